/* test-tickets.c — the /tickets API against a real server: intake, numbering under
 * concurrency, roles, validation, versions, the status flow with its SLA clocks, lists, masking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's manual clock starts at 2026-11-23T08:00:00Z, a Monday, 16:00 in the server's zone
 * (Asia/Shanghai). Expected due times below are worked out by hand from DOMAIN.md's default
 * policy (P1 2 h / 24 h, P2 4 h / 48 h, P3 24 h / 72 h, P4 48 h / 5 business days; accept 1 h;
 * progress update 4 h, 2 h for P1; confirmation 1 h; reopen 24 h; business days Mon–Fri
 * 09:00–18:00 local), never by calling the SLA code.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "kefu-test-server.h"

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR   (MINUTE * 60)

typedef struct {
  KefuTestServer *ts;
  GHashTable     *tokens;   /* username → token */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = kefu_test_server_new (FALSE);
  /* The harness silences g_print() (the first start prints the admin password), which also
   * silences GTest's TAP lines; the server has printed what it prints by now. */
  g_set_print_handler (NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  g_clear_pointer (&f->ts, kefu_test_server_free);
}

/* The session token of @username (signing in once per test). */
static const char *
token (Fixture    *f,
       const char *username)
{
  const char *t = g_hash_table_lookup (f->tokens, username);

  if (t == NULL)
    {
      char *fresh = kefu_test_login (f->ts, username, "demo");

      g_hash_table_insert (f->tokens, g_strdup (username), fresh);
      t = fresh;
    }
  return t;
}

static void
advance (Fixture *f,
         gint64   usec)
{
  kefu_manual_clock_advance (kefu_test_server_get_clock (f->ts), usec);
}

/* A request as @username (NULL = no token) with If-Match @version (-1 = none). */
static KefuTestResponse *
call (Fixture    *f,
      const char *username,
      const char *method,
      const char *path,
      const char *body,
      gint64      version)
{
  g_autofree char *if_match = NULL;

  if (version >= 0)
    if_match = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  return kefu_test_request (f->ts, method, path, username ? token (f, username) : NULL, body,
                            if_match);
}

static void
assert_status (KefuTestResponse *r,
               guint             status)
{
  if (r->status != status)
    g_error ("expected HTTP %u, got %u: %s", status, r->status, r->raw);
}

static void
assert_error (KefuTestResponse *r,
              guint             status,
              const char       *code,
              const char       *field)
{
  assert_status (r, status);
  g_assert_cmpstr (kefu_test_error_code (r), ==, code);
  if (field != NULL)
    g_assert_cmpstr (kefu_test_error_field (r), ==, field);
}

static char *
intake_json_full (int         priority,
                  const char *category,
                  const char *name,
                  const char *phone,
                  const char *order_no,
                  const char *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, "phone");
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, category);
  json_builder_set_member_name (b, "subcategory");
  json_builder_add_string_value (b, "功能故障");
  json_builder_set_member_name (b, "priority");
  json_builder_add_int_value (b, priority);
  json_builder_set_member_name (b, "customer");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, phone);
  if (order_no != NULL)
    {
      json_builder_set_member_name (b, "order_no");
      json_builder_add_string_value (b, order_no);
    }
  json_builder_end_object (b);
  if (description != NULL)
    {
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, description);
    }
  json_builder_set_member_name (b, "submitted_at");
  json_builder_add_string_value (b, "2026-11-23T07:55:00Z");
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static char *
intake_json (int         priority,
             const char *name,
             const char *phone)
{
  return intake_json_full (priority, "quality", name, phone, NULL, "洗衣机无法开机，指示灯不亮");
}

/* Registers a ticket as the agent; returns its number. */
static char *
create_full (Fixture    *f,
             int         priority,
             const char *category,
             const char *name,
             const char *phone,
             const char *order_no,
             const char *description)
{
  g_autofree char *body = intake_json_full (priority, category, name, phone, order_no,
                                            description);
  g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);

  assert_status (r, 201);
  return g_strdup (json_object_get_string_member (kefu_test_object (r), "number"));
}

static char *
create (Fixture    *f,
        int         priority,
        const char *name,
        const char *phone)
{
  return create_full (f, priority, "quality", name, phone, NULL, "洗衣机无法开机，指示灯不亮");
}

static char *
ticket_path (const char *number,
             const char *action)
{
  return action ? g_strdup_printf ("/tickets/%s/%s", number, action)
                : g_strdup_printf ("/tickets/%s", number);
}

static KefuTestResponse *
get_ticket (Fixture    *f,
            const char *username,
            const char *number)
{
  g_autofree char *path = ticket_path (number, NULL);

  return call (f, username, "GET", path, NULL, -1);
}

/* POST /tickets/NUMBER/ACTION, asserting @status. */
static KefuTestResponse *
act (Fixture    *f,
     const char *username,
     const char *number,
     const char *action,
     const char *body,
     gint64      version,
     guint       status)
{
  g_autofree char *path = ticket_path (number, action);
  KefuTestResponse *r = call (f, username, "POST", path, body, version);

  assert_status (r, status);
  return r;
}

static gint64
version_of (KefuTestResponse *r)
{
  return json_object_get_int_member (kefu_test_object (r), "version");
}

static JsonObject *
sla_of (KefuTestResponse *r)
{
  return json_object_get_object_member (kefu_test_object (r), "sla");
}

static const char *
string_of (KefuTestResponse *r,
           const char       *member)
{
  return json_object_get_string_member (kefu_test_object (r), member);
}

/* @member of @object is the time @expected, or null when @expected is NULL. */
static void
assert_time (JsonObject *object,
             const char *member,
             const char *expected)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  if (expected == NULL)
    {
      if (!JSON_NODE_HOLDS_NULL (node))
        g_error ("%s: expected null, got %s", member, json_node_get_string (node));
    }
  else
    {
      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      if (g_strcmp0 (json_node_get_string (node), expected) != 0)
        g_error ("%s: expected %s, got %s", member, expected, json_node_get_string (node));
    }
}

/* The kinds of the ticket's timeline, comma-separated. */
static char *
event_kinds (KefuTestResponse *r)
{
  JsonArray *events = json_object_get_array_member (kefu_test_object (r), "events");
  GString *kinds = g_string_new (NULL);

  g_assert_nonnull (events);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (i > 0)
        g_string_append_c (kinds, ',');
      g_string_append (kinds, json_object_get_string_member (event, "kind"));
    }
  return g_string_free (kinds, FALSE);
}

static JsonObject *
last_event (KefuTestResponse *r)
{
  JsonArray *events = json_object_get_array_member (kefu_test_object (r), "events");
  guint n = json_array_get_length (events);

  g_assert_cmpuint (n, >, 0);
  return json_array_get_object_element (events, n - 1);
}

static void
assert_etag (KefuTestResponse *r)
{
  g_autofree char *expected = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version_of (r));

  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, expected);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  /* Dues for a ticket reported at 07:55Z and registered at 08:00Z — the clocks count from the
   * report — by priority (index 1..4): response = +2 h, +4 h, +24 h, +48 h; resolve = +24 h,
   * +48 h, +72 h, and for P4 five business days = 45 business hours from Mon 15:55 local: Mon
   * 2 h 5 min, Tue–Fri 4 × 9 h = 36 h, then 6 h 55 min on the next Monday from 09:00 = 15:55
   * local = 07:55Z on 30 Nov; no progress update before anyone accepted the ticket. */
  static const char *response_due[] = { NULL, "2026-11-23T09:55:00Z", "2026-11-23T11:55:00Z",
                                        "2026-11-24T07:55:00Z", "2026-11-25T07:55:00Z" };
  static const char *resolve_due[] = { NULL, "2026-11-24T07:55:00Z", "2026-11-25T07:55:00Z",
                                       "2026-11-26T07:55:00Z", "2026-11-30T07:55:00Z" };
  static const char *update_due[] = { NULL, NULL, NULL, NULL, NULL };
  g_autofree char *first = NULL;
  gint64 agent_id = kefu_test_server_user_id (f->ts, "agent");

  for (int p = 1; p <= 4; p++)
    {
      g_autofree char *body = intake_json_full (p, "quality", "王小明", "13800005678", "SO-88231",
                                                "洗衣机无法开机");
      g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);
      g_autofree char *expected_number = g_strdup_printf ("FW20261123%03d", p);
      g_autofree char *location = NULL;
      JsonObject *obj, *sla, *registered_by;
      JsonArray *duplicates;

      assert_status (r, 201);
      obj = kefu_test_object (r);
      g_assert_cmpstr (string_of (r, "number"), ==, expected_number);
      g_assert_true (g_regex_match_simple ("^FW20261123[0-9]{3,}$", string_of (r, "number"), 0,
                                           0));
      g_assert_cmpint (version_of (r), ==, 1);
      assert_etag (r);
      location = g_strconcat ("/api/v1/tickets/", expected_number, NULL);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, location);
      g_assert_cmpstr (string_of (r, "status"), ==, "new");
      g_assert_cmpint (json_object_get_int_member (obj, "priority"), ==, p);
      assert_time (obj, "registered_at", "2026-11-23T08:00:00Z");
      assert_time (obj, "submitted_at", "2026-11-23T07:55:00Z");
      registered_by = json_object_get_object_member (obj, "registered_by");
      g_assert_cmpint (json_object_get_int_member (registered_by, "id"), ==, agent_id);
      g_assert_cmpstr (json_object_get_string_member (registered_by, "display_name"), ==,
                       "Agent Zhang");
      /* The agent calls the customer: the full number. */
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (obj, "customer"), "phone"), ==,
                       "13800005678");

      sla = sla_of (r);
      assert_time (sla, "response_due", response_due[p]);
      assert_time (sla, "resolve_due", resolve_due[p]);
      assert_time (sla, "next_update_due", update_due[p]);
      assert_time (sla, "accept_due", NULL);
      assert_time (sla, "first_response_at", NULL);
      g_assert_false (json_object_get_boolean_member (sla, "paused"));
      g_assert_cmpstr (json_object_get_string_member (sla, "state"), ==, "ok");

      g_autofree char *kinds = event_kinds (r);
      g_assert_cmpstr (kinds, ==, "created");
      g_assert_cmpint (json_object_get_int_member (
                         json_object_get_object_member (last_event (r), "actor"), "id"), ==,
                       agent_id);

      /* Every earlier ticket is an open ticket of the same customer. */
      duplicates = json_object_get_array_member (obj, "duplicates");
      g_assert_nonnull (duplicates);
      g_assert_cmpuint (json_array_get_length (duplicates), ==, p - 1);
      if (p == 1)
        first = g_strdup (expected_number);
      else
        {
          gboolean found = FALSE;

          for (guint i = 0; i < json_array_get_length (duplicates); i++)
            found |= g_strcmp0 (json_array_get_string_element (duplicates, i), first) == 0;
          g_assert_true (found);
        }
    }

  /* The same order number with another phone is a duplicate too; a new customer is not. */
  {
    g_autofree char *body = intake_json_full (3, "quality", "王小明", "13911112222", "SO-88231",
                                              "还是不能开机");
    g_autofree char *other = intake_json (3, "李雷", "13700001234");
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "POST", "/tickets", body, -1);
    g_autoptr(KefuTestResponse) r2 = call (f, "agent", "POST", "/tickets", other, -1);

    assert_status (r, 201);
    g_assert_cmpstr (string_of (r, "number"), ==, "FW20261123005");
    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (kefu_test_object (r), "duplicates")), ==,
                      4);
    assert_status (r2, 201);
    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (kefu_test_object (r2), "duplicates")), ==,
                      0);
  }

  /* GET answers the same ticket. */
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, "agent", first);

    assert_status (r, 200);
    g_assert_cmpstr (string_of (r, "number"), ==, first);
    g_assert_cmpstr (string_of (r, "description"), ==, "洗衣机无法开机");
    assert_etag (r);
  }
}

typedef struct {
  GMainLoop  *loop;
  guint       pending;
  GPtrArray  *numbers;
  GPtrArray  *failures;
} Concurrent;

typedef struct {
  Concurrent  *c;
  SoupMessage *msg;
} ConcurrentCall;

static void
concurrent_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ConcurrentCall *cc = user_data;
  Concurrent *c = cc->c;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error != NULL)
    g_ptr_array_add (c->failures, g_strdup (error->message));
  else if (soup_message_get_status (cc->msg) != 201)
    g_ptr_array_add (c->failures, g_strdup_printf ("HTTP %u: %.*s",
                                                   soup_message_get_status (cc->msg),
                                                   (int) g_bytes_get_size (bytes),
                                                   (const char *) g_bytes_get_data (bytes, NULL)));
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *obj;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), NULL));
      obj = json_node_get_object (json_parser_get_root (parser));
      g_ptr_array_add (c->numbers, g_strdup (json_object_get_string_member (obj, "number")));
    }

  g_object_unref (cc->msg);
  g_free (cc);
  if (--c->pending == 0)
    g_main_loop_quit (c->loop);
}

static gboolean
concurrent_timeout (gpointer data)
{
  g_error ("concurrent creates did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
test_concurrent_numbers (Fixture       *f,
                         gconstpointer  data)
{
  const guint n = 200;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 256,
                                                                  "max-conns-per-host", 256,
                                                                  "timeout", 60, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *url = g_strconcat (kefu_test_server_get_base_url (f->ts), "/tickets", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token (f, "agent"), NULL);
  Concurrent c = { loop, n, numbers, failures };
  guint timeout_id;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%u", i);
      g_autofree char *phone = g_strdup_printf ("139%08u", i);
      g_autofree char *body = intake_json (1 + i % 4, name, phone);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      ConcurrentCall *cc = g_new0 (ConcurrentCall, 1);

      cc->c = &c;
      cc->msg = soup_message_new ("POST", url);
      soup_message_headers_replace (soup_message_get_request_headers (cc->msg), "Authorization",
                                    auth);
      soup_message_set_request_body_from_bytes (cc->msg, "application/json", bytes);
      soup_session_send_and_read_async (session, cc->msg, G_PRIORITY_DEFAULT, NULL,
                                        concurrent_done, cc);
    }

  timeout_id = g_timeout_add_seconds (120, concurrent_timeout, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout_id);

  if (failures->len > 0)
    g_error ("%u of %u creates failed, first: %s", failures->len, n,
             (const char *) g_ptr_array_index (failures, 0));
  g_assert_cmpuint (numbers->len, ==, n);

  /* n distinct numbers, and they are exactly serials 1..n: no gap, no reuse. */
  for (guint i = 0; i < numbers->len; i++)
    g_assert_true (g_hash_table_add (seen, g_ptr_array_index (numbers, i)));
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *number = g_strdup_printf ("FW20261123%03u", i);

      if (!g_hash_table_contains (seen, number))
        g_error ("number %s is missing", number);
    }

  /* The next one continues the series. */
  {
    g_autofree char *next = create (f, 2, "后来者", "13600000000");
    g_autofree char *expected = g_strdup_printf ("FW20261123%03u", n + 1);

    g_assert_cmpstr (next, ==, expected);
  }
}

static void
test_roles_and_auth (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *body = intake_json (3, "王小明", "13800005678");
  g_autofree char *number = create (f, 3, "王小明", "13800005678");

  {
    g_autoptr(KefuTestResponse) r = call (f, "technician", "POST", "/tickets", body, -1);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, "manager", "POST", "/tickets", body, -1);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, NULL, "POST", "/tickets", body, -1);

    assert_error (r, 401, "unauthenticated", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, NULL, "GET", "/tickets", NULL, -1);

    assert_error (r, 401, "unauthenticated", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = kefu_test_request (f->ts, "GET", "/tickets", "not-a-token",
                                                       NULL, NULL);

    assert_error (r, 401, "unauthenticated", NULL);
  }
  /* Only supervisors assign; managers may leave internal notes but not log customer contacts;
   * administrators do not touch tickets. */
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "assign", "{}", 1, 403);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "manager", number, "notes",
                                         "{\"text\":\"看一下\",\"kind\":\"customer_contact\"}",
                                         -1, 403);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "manager", number, "notes", "{\"text\":\"看一下\"}",
                                         -1, 200);

    g_assert_cmpint (version_of (r), ==, 2);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "admin", number, "notes", "{\"text\":\"看一下\"}", -1,
                                         403);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, "manager", number);

    assert_status (r, 200);
    g_assert_cmpint (version_of (r), ==, 2);
  }
  /* A technician who is not the assignee records no customer contact but may leave a note. */
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "notes",
                                         "{\"text\":\"已联系\",\"kind\":\"customer_contact\"}",
                                         -1, 403);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "notes",
                                         "{\"text\":\"可能是电源板\"}", -1, 200);
    JsonObject *event = last_event (r);

    g_assert_cmpint (version_of (r), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "note");
    g_assert_cmpstr (json_object_get_string_member (event, "text"), ==, "可能是电源板");
    /* An internal note is no response to the customer. */
    assert_time (sla_of (r), "first_response_at", NULL);
    assert_time (sla_of (r), "response_due", "2026-11-24T07:55:00Z");
  }
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *number = create (f, 3, "王小明", "13800005678");
  gint64 manager_id = kefu_test_server_user_id (f->ts, "manager");

  {
    g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", "{\"channel\":", -1);

    assert_error (r, 400, "bad_json", NULL);
  }
  {
    g_autofree char *body = intake_json_full (3, "quality", "王小明", "13800005678", NULL, NULL);
    g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);

    assert_error (r, 400, "validation_failed", "description");
  }
  {
    g_autofree char *body = intake_json (7, "王小明", "13800005678");
    g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);

    assert_error (r, 400, "validation_failed", "priority");
  }
  /* A PATCH needs the version it is based on. */
  {
    g_autofree char *path = ticket_path (number, NULL);
    g_autoptr(KefuTestResponse) r = call (f, "agent", "PATCH", path, "{\"subcategory\":\"x\"}",
                                          -1);

    assert_error (r, 428, "precondition_required", NULL);
  }
  {
    g_autofree char *path = ticket_path (number, NULL);
    g_autoptr(KefuTestResponse) r = call (f, "agent", "PATCH", path, "{\"priority\":0}", 1);

    assert_error (r, 400, "validation_failed", "priority");
  }
  /* Managers cannot be assigned work; departments must exist. */
  {
    g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                             manager_id);
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", body, 1, 400);

    assert_error (r, 400, "validation_failed", "assignee_id");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign",
                                         "{\"assignee_id\":999999}", 1, 400);

    assert_error (r, 400, "validation_failed", "assignee_id");
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT
                                             ",\"department\":\"nowhere\"}",
                                             kefu_test_server_user_id (f->ts, "technician"));
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", body, 1, 400);

    assert_error (r, 400, "validation_failed", "department");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", "{}", 1, 400);

    assert_error (r, 400, "validation_failed", "assignee_id");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "notes", "{\"text\":\"   \"}", -1,
                                         400);

    assert_error (r, 400, "validation_failed", "text");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "notes",
                                         "{\"text\":\"hi\",\"kind\":\"gossip\"}", -1, 400);

    assert_error (r, 400, "validation_failed", "kind");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "status",
                                         "{\"status\":\"closed\"}", 1, 400);

    assert_error (r, 400, "validation_failed", "status");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "resolve",
                                         "{\"kind\":\"magic\",\"summary\":\"x\"}", 1, 400);

    assert_error (r, 400, "validation_failed", "kind");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "resolve",
                                         "{\"kind\":\"repair\",\"summary\":\"x\","
                                         "\"cost_cents\":-1}", 1, 400);

    assert_error (r, 400, "validation_failed", "cost_cents");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "confirm",
                                         "{\"solved\":true,\"satisfaction\":6}", 1, 400);

    assert_error (r, 400, "validation_failed", "satisfaction");
  }

  /* None of that changed the ticket. */
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, "agent", number);
    g_autofree char *kinds = NULL;

    assert_status (r, 200);
    g_assert_cmpint (version_of (r), ==, 1);
    g_assert_cmpstr (string_of (r, "status"), ==, "new");
    kinds = event_kinds (r);
    g_assert_cmpstr (kinds, ==, "created");
  }
}

/* The ticket rows of the outbox for @number: "type:version" in order of seq (the alerts about
 * the ticket are test-sla's business). */
static char *
outbox_rows (Fixture    *f,
             const char *number)
{
  g_autofree char *path = g_build_filename (kefu_test_server_get_data_dir (f->ts), "kefu.db",
                                            NULL);
  GString *rows = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type, json_extract (data, '$.version')"
                                       " FROM events WHERE json_extract (data, '$.number') = ?"
                                       " AND type LIKE 'ticket.%'"
                                       " ORDER BY seq", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (rows->len > 0)
        g_string_append_c (rows, ',');
      g_string_append_printf (rows, "%s:%lld", sqlite3_column_text (stmt, 0),
                              (long long) sqlite3_column_int64 (stmt, 1));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (rows, FALSE);
}

static void
test_version_conflict (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *number = create (f, 3, "王小明", "13800005678");
  g_autofree char *path = ticket_path (number, NULL);

  {
    g_autoptr(KefuTestResponse) r = call (f, "agent", "PATCH", path,
                                          "{\"subcategory\":\"屏幕闪烁\"}", 1);

    assert_status (r, 200);
    g_assert_cmpint (version_of (r), ==, 2);
    assert_etag (r);
    g_assert_cmpstr (string_of (r, "subcategory"), ==, "屏幕闪烁");
  }
  /* A second writer that still holds version 1 is turned away and changes nothing. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "PATCH", path,
                                          "{\"description\":\"被覆盖的描述\",\"priority\":1}", 1);

    assert_error (r, 409, "version_conflict", NULL);
  }
  {
    g_autofree char *assign = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                               kefu_test_server_user_id (f->ts, "technician"));
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", assign, 1, 409);

    assert_error (r, 409, "version_conflict", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, "agent", number);
    g_autofree char *kinds = NULL;

    assert_status (r, 200);
    g_assert_cmpint (version_of (r), ==, 2);
    g_assert_cmpstr (string_of (r, "description"), ==, "洗衣机无法开机，指示灯不亮");
    g_assert_cmpstr (string_of (r, "subcategory"), ==, "屏幕闪烁");
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "priority"), ==, 3);
    g_assert_cmpstr (string_of (r, "status"), ==, "new");
    kinds = event_kinds (r);
    g_assert_cmpstr (kinds, ==, "created,updated");
  }

  /* A priority change moves the dues: P1 reported at 07:55Z answers by 09:55Z, resolves by
   * +24 h. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "PATCH", path, "{\"priority\":1}", 2);
    JsonObject *event;

    assert_status (r, 200);
    g_assert_cmpint (version_of (r), ==, 3);
    assert_time (sla_of (r), "response_due", "2026-11-23T09:55:00Z");
    assert_time (sla_of (r), "resolve_due", "2026-11-24T07:55:00Z");
    event = last_event (r);
    g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "priority");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (event, "data"),
                                                 "from"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (event, "data"),
                                                 "to"), ==, 1);
  }

  /* One outbox row per change, none for the refused ones. */
  {
    g_autofree char *rows = outbox_rows (f, number);

    g_assert_cmpstr (rows, ==, "ticket.created:1,ticket.updated:2,ticket.updated:3");
  }
}

static void
test_invalid_transitions (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *number = create (f, 2, "王小明", "13800005678");

  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "accept", NULL, 1, 409);

    assert_error (r, 409, "invalid_transition", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "resolve",
                                         "{\"kind\":\"repair\",\"summary\":\"修好了\"}", 1, 409);

    assert_error (r, 409, "invalid_transition", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "confirm",
                                         "{\"solved\":true,\"satisfaction\":5}", 1, 409);

    assert_error (r, 409, "invalid_transition", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "status",
                                         "{\"status\":\"waiting_parts\",\"reason\":\"缺主板\"}", 1,
                                         409);

    assert_error (r, 409, "invalid_transition", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, "agent", number);

    g_assert_cmpint (version_of (r), ==, 1);
    g_assert_cmpstr (string_of (r, "status"), ==, "new");
  }
}

static void
test_happy_path (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *number = create (f, 2, "王小明", "13800005678");
  gint64 technician_id = kefu_test_server_user_id (f->ts, "technician");
  g_autofree char *assign = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT ","
                                             "\"department\":\"technical\","
                                             "\"supporting_departments\":[\"logistics\"]}",
                                             technician_id);
  g_autofree char *kinds = NULL;
  g_autofree char *rows = NULL;
  JsonObject *data_obj;

  /* 08:00Z assigned: the accept clock runs 1 h. */
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", assign, 1, 200);
    JsonObject *obj = kefu_test_object (r);
    JsonArray *supporting = json_object_get_array_member (obj, "supporting_departments");

    g_assert_cmpint (version_of (r), ==, 2);
    g_assert_cmpstr (string_of (r, "status"), ==, "assigned");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj, "assignee"),
                                                 "id"), ==, technician_id);
    g_assert_cmpstr (string_of (r, "department"), ==, "technical");
    g_assert_cmpuint (json_array_get_length (supporting), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (supporting, 0), ==, "logistics");
    assert_time (sla_of (r), "accept_due", "2026-11-23T09:00:00Z");
    data_obj = json_object_get_object_member (last_event (r), "data");
    g_assert_cmpstr (json_object_get_string_member (last_event (r), "kind"), ==, "assignment");
    g_assert_cmpstr (json_object_get_string_member (data_obj, "from"), ==, "new");
    g_assert_cmpstr (json_object_get_string_member (data_obj, "to"), ==, "assigned");
  }

  /* 08:10Z only the assignee accepts. */
  advance (f, 10 * MINUTE);
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician2", number, "accept", NULL, 2, 403);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "accept", NULL, 2, 200);

    g_assert_cmpint (version_of (r), ==, 3);
    g_assert_cmpstr (string_of (r, "status"), ==, "accepted");
    assert_time (sla_of (r), "accepted_at", "2026-11-23T08:10:00Z");
    assert_time (sla_of (r), "accept_due", NULL);
    g_assert_cmpstr (json_object_get_string_member (last_event (r), "kind"), ==, "status");
  }

  /* 08:20Z the agent calls the customer: the first response, and the update clock restarts
   * (4 h for P2). */
  advance (f, 10 * MINUTE);
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "notes",
                                         "{\"text\":\"已致电客户，约定明天上门\","
                                         "\"kind\":\"customer_contact\"}", 3, 200);

    g_assert_cmpint (version_of (r), ==, 4);
    assert_time (sla_of (r), "first_response_at", "2026-11-23T08:20:00Z");
    assert_time (sla_of (r), "response_due", NULL);
    assert_time (sla_of (r), "next_update_due", "2026-11-23T12:20:00Z");
    g_assert_cmpstr (json_object_get_string_member (last_event (r), "kind"), ==,
                     "customer_contact");
  }

  /* 08:30Z work starts. */
  advance (f, 10 * MINUTE);
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "status",
                                         "{\"status\":\"in_progress\"}", 4, 200);

    g_assert_cmpint (version_of (r), ==, 5);
    g_assert_cmpstr (string_of (r, "status"), ==, "in_progress");
  }

  /* 09:00Z waiting for the customer (with a reason): the clocks stop. */
  advance (f, 30 * MINUTE);
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "status",
                                         "{\"status\":\"waiting_customer\"}", 5, 400);

    assert_error (r, 400, "validation_failed", "reason");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "status",
                                         "{\"status\":\"waiting_customer\","
                                         "\"reason\":\"等待客户提供购买凭证\"}", 5, 200);
    JsonObject *event = last_event (r);

    g_assert_cmpint (version_of (r), ==, 6);
    g_assert_cmpstr (string_of (r, "status"), ==, "waiting_customer");
    g_assert_true (json_object_get_boolean_member (sla_of (r), "paused"));
    assert_time (sla_of (r), "resolve_due", NULL);
    assert_time (sla_of (r), "next_update_due", NULL);
    g_assert_cmpstr (json_object_get_string_member (event, "text"), ==, "等待客户提供购买凭证");
  }

  /* 12:00Z three hours later the customer answers: every running due moves by 3 h. Resolve:
   * 07:55Z (reported) + 48 h + 3 h = 25 Nov 10:55Z; update: 08:20Z + 4 h + 3 h = 15:20Z. */
  advance (f, 3 * HOUR);
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "status",
                                         "{\"status\":\"in_progress\"}", 6, 200);

    g_assert_cmpint (version_of (r), ==, 7);
    g_assert_false (json_object_get_boolean_member (sla_of (r), "paused"));
    assert_time (sla_of (r), "resolve_due", "2026-11-25T10:55:00Z");
    assert_time (sla_of (r), "next_update_due", "2026-11-23T15:20:00Z");
    g_assert_cmpstr (json_object_get_string_member (sla_of (r), "state"), ==, "ok");
  }

  /* 13:00Z resolved: the confirmation call is due within 1 h. */
  advance (f, HOUR);
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "resolve",
                                         "{\"kind\":\"repair\",\"summary\":\"更换电源板后开机正常\","
                                         "\"cost_cents\":0,\"minutes_spent\":90}", 7, 200);
    JsonObject *resolution = json_object_get_object_member (kefu_test_object (r), "resolution");

    g_assert_cmpint (version_of (r), ==, 8);
    g_assert_cmpstr (string_of (r, "status"), ==, "resolved");
    assert_time (sla_of (r), "resolved_at", "2026-11-23T13:00:00Z");
    assert_time (sla_of (r), "resolve_due", NULL);
    assert_time (sla_of (r), "next_update_due", NULL);
    assert_time (sla_of (r), "confirm_due", "2026-11-23T14:00:00Z");
    g_assert_cmpstr (json_object_get_string_member (resolution, "kind"), ==, "repair");
    g_assert_cmpint (json_object_get_int_member (resolution, "minutes_spent"), ==, 90);
    g_assert_cmpstr (json_object_get_string_member (last_event (r), "kind"), ==, "resolution");
  }

  /* 13:30Z the customer is satisfied: closed. */
  advance (f, 30 * MINUTE);
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "confirm",
                                         "{\"solved\":true,\"satisfaction\":5,"
                                         "\"comment\":\"师傅很专业\"}", 8, 200);
    JsonObject *confirmation = json_object_get_object_member (kefu_test_object (r),
                                                              "confirmation");

    g_assert_cmpint (version_of (r), ==, 9);
    g_assert_cmpstr (string_of (r, "status"), ==, "closed");
    assert_time (sla_of (r), "closed_at", "2026-11-23T13:30:00Z");
    assert_time (sla_of (r), "confirm_due", NULL);
    g_assert_cmpint (json_object_get_int_member (confirmation, "satisfaction"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     0);
    data_obj = json_object_get_object_member (last_event (r), "data");
    g_assert_cmpstr (json_object_get_string_member (last_event (r), "kind"), ==, "confirmation");
    g_assert_cmpstr (json_object_get_string_member (data_obj, "to"), ==, "closed");
  }

  /* The whole story, in order, and nothing more can happen to it. */
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, "supervisor", number);

    assert_status (r, 200);
    kinds = event_kinds (r);
    g_assert_cmpstr (kinds, ==,
                     "created,assignment,status,customer_contact,status,status,status,"
                     "resolution,confirmation");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "resolve",
                                         "{\"kind\":\"repair\",\"summary\":\"再修一次\"}", 9, 409);

    assert_error (r, 409, "invalid_transition", NULL);
  }
  {
    g_autofree char *path = ticket_path (number, NULL);
    g_autoptr(KefuTestResponse) r = call (f, "agent", "PATCH", path, "{\"priority\":1}", 9);

    assert_error (r, 409, "invalid_transition", NULL);
  }

  rows = outbox_rows (f, number);
  g_assert_cmpstr (rows, ==,
                   "ticket.created:1,ticket.updated:2,ticket.updated:3,ticket.updated:4,"
                   "ticket.updated:5,ticket.updated:6,ticket.updated:7,ticket.updated:8,"
                   "ticket.updated:9");
}

/* Registers, assigns to the technician, accepts, starts and resolves; returns the number with
 * the ticket at version 5. */
static char *
resolved_ticket (Fixture *f,
                 int      priority)
{
  char *number = create (f, priority, "韩梅梅", "13700002222");
  g_autofree char *assign = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                             kefu_test_server_user_id (f->ts, "technician"));
  g_autoptr(KefuTestResponse) r1 = act (f, "supervisor", number, "assign", assign, 1, 200);
  g_autoptr(KefuTestResponse) r2 = act (f, "technician", number, "accept", NULL, 2, 200);
  g_autoptr(KefuTestResponse) r3 = act (f, "technician", number, "status",
                                        "{\"status\":\"in_progress\"}", 3, 200);
  g_autoptr(KefuTestResponse) r4 = act (f, "technician", number, "resolve",
                                        "{\"kind\":\"replace\",\"summary\":\"换新机\"}", 4, 200);

  g_assert_cmpint (version_of (r4), ==, 5);
  return number;
}

static void
test_unsatisfied_reopens (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *number = resolved_ticket (f, 3);
  g_autofree char *number2 = resolved_ticket (f, 4);
  gint64 technician_id = kefu_test_server_user_id (f->ts, "technician");

  /* 11:00Z: "solved" but only 2 of 5 — unsatisfied. Reopened with a fresh 24 h resolution
   * clock (11:00Z + 24 h), escalated to level 2. The confirmation call was due at 09:00Z: the
   * SLA scheduler has recorded that breach meanwhile (version 6). */
  advance (f, 3 * HOUR);
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "confirm",
                                         "{\"solved\":true,\"satisfaction\":2,"
                                         "\"comment\":\"还是有异响\"}", 6, 200);
    g_autofree char *kinds = event_kinds (r);

    g_assert_cmpint (version_of (r), ==, 7);
    g_assert_cmpstr (string_of (r, "status"), ==, "reopened");
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     2);
    assert_time (sla_of (r), "resolve_due", "2026-11-24T11:00:00Z");
    assert_time (sla_of (r), "resolved_at", NULL);
    assert_time (sla_of (r), "closed_at", NULL);
    assert_time (sla_of (r), "confirm_due", NULL);
    g_assert_true (g_str_has_suffix (kinds, ",resolution,sla_breach,escalation,confirmation,"
                                            "reopen,escalation"));
  }

  /* Not solved, however friendly: reopened too. */
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number2, "confirm",
                                         "{\"solved\":false,\"satisfaction\":4}", 6, 200);

    g_assert_cmpstr (string_of (r, "status"), ==, "reopened");
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     2);
  }

  /* A reopened ticket goes back to its assignee, who must accept again within 1 h. */
  advance (f, 15 * MINUTE);
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", "{}", 7, 200);

    g_assert_cmpstr (string_of (r, "status"), ==, "assigned");
    g_assert_cmpint (json_object_get_int_member (
                       json_object_get_object_member (kefu_test_object (r), "assignee"), "id"),
                     ==, technician_id);
    assert_time (sla_of (r), "accept_due", "2026-11-23T12:15:00Z");
    assert_time (sla_of (r), "resolve_due", "2026-11-24T11:00:00Z");
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", number, "accept", NULL, 8, 200);

    g_assert_cmpstr (string_of (r, "status"), ==, "accepted");
    assert_time (sla_of (r), "accepted_at", "2026-11-23T11:15:00Z");
    assert_time (sla_of (r), "accept_due", NULL);
  }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *number = create (f, 2, "王小明", "13800005678");

  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", number, "status",
                                         "{\"status\":\"cancelled\",\"reason\":\"duplicate\"}", 1,
                                         403);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "status",
                                         "{\"status\":\"cancelled\",\"reason\":\"不想要了\"}", 1,
                                         400);

    assert_error (r, 400, "validation_failed", "reason");
  }
  advance (f, 5 * MINUTE);
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "status",
                                         "{\"status\":\"cancelled\",\"reason\":\"duplicate\"}", 1,
                                         200);
    JsonObject *sla = sla_of (r);

    g_assert_cmpstr (string_of (r, "status"), ==, "cancelled");
    assert_time (sla, "closed_at", "2026-11-23T08:05:00Z");
    assert_time (sla, "response_due", NULL);
    assert_time (sla, "resolve_due", NULL);
    assert_time (sla, "next_update_due", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "status",
                                         "{\"status\":\"cancelled\",\"reason\":\"spam\"}", 2, 409);

    assert_error (r, 409, "invalid_transition", NULL);
  }
}

/* GET /tickets?QUERY as @username: the numbers, in order, comma-separated. */
static char *
list_numbers (Fixture    *f,
              const char *username,
              const char *query,
              char      **next_cursor)
{
  g_autofree char *path = g_strconcat ("/tickets", query ? "?" : "", query, NULL);
  g_autoptr(KefuTestResponse) r = call (f, username, "GET", path, NULL, -1);
  JsonArray *tickets;
  JsonNode *cursor;
  GString *numbers = g_string_new (NULL);

  assert_status (r, 200);
  tickets = json_object_get_array_member (kefu_test_object (r), "tickets");
  g_assert_nonnull (tickets);
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);
      const char *phone = json_object_get_string_member (
          json_object_get_object_member (t, "customer"), "phone");

      /* Lists never show the whole phone number. */
      g_assert_nonnull (strstr (phone, "****"));
      g_assert_false (json_object_has_member (t, "events"));
      if (i > 0)
        g_string_append_c (numbers, ',');
      g_string_append (numbers, json_object_get_string_member (t, "number"));
    }

  cursor = json_object_get_member (kefu_test_object (r), "next_cursor");
  g_assert_nonnull (cursor);
  if (next_cursor != NULL)
    *next_cursor = JSON_NODE_HOLDS_NULL (cursor) ? NULL : g_strdup (json_node_get_string (cursor));
  else
    g_assert_true (JSON_NODE_HOLDS_NULL (cursor));

  return g_string_free (numbers, FALSE);
}

static void
assert_list (Fixture    *f,
             const char *username,
             const char *query,
             const char *expected)
{
  g_autofree char *numbers = list_numbers (f, username, query, NULL);

  if (g_strcmp0 (numbers, expected) != 0)
    g_error ("GET /tickets?%s: expected [%s], got [%s]", query, expected, numbers);
}

static void
assert_list_error (Fixture    *f,
                   const char *query,
                   const char *field)
{
  g_autofree char *path = g_strconcat ("/tickets?", query, NULL);
  g_autoptr(KefuTestResponse) r = call (f, "agent", "GET", path, NULL, -1);

  assert_error (r, 400, "validation_failed", field);
}

#define N(i) "FW2026112300" #i

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *assign_t1 = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                                kefu_test_server_user_id (f->ts, "technician"));
  g_autofree char *assign_t2 = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                                kefu_test_server_user_id (f->ts, "technician2"));
  g_autofree char *a = create_full (f, 1, "quality", "王小明", "13800005678", "SO-1", "无法开机");
  g_autofree char *b = create_full (f, 2, "logistics", "李雷", "13900001111", NULL,
                                    "快递延迟三天, 承诺 100%_ok");
  g_autofree char *c = create (f, 3, "韩梅梅", "13700002222");
  g_autofree char *d = create (f, 4, "张伟", "13600003333");
  g_autofree char *e = create (f, 1, "赵敏", "13500004444");
  g_autofree char *f_ = create (f, 2, "王芳", "13400005555");
  g_autofree char *g = create (f, 3, "刘洋", "13300006666");
  g_autofree char *q = NULL;

  g_assert_cmpstr (g, ==, N (7));

  /* 09:00Z three of them are assigned; lists are newest first. */
  advance (f, HOUR);
  g_autoptr(KefuTestResponse) r1 = act (f, "supervisor", a, "assign", assign_t1, 1, 200);
  g_autoptr(KefuTestResponse) r2 = act (f, "supervisor", b, "assign", assign_t1, 1, 200);
  g_autoptr(KefuTestResponse) r3 = act (f, "supervisor", c, "assign", assign_t2, 1, 200);

  assert_list (f, "agent", NULL, N (7) "," N (6) "," N (5) "," N (4) "," N (3) "," N (2) ","
               N (1));
  assert_list (f, "agent", "status=new", N (7) "," N (6) "," N (5) "," N (4));
  assert_list (f, "agent", "status=assigned", N (3) "," N (2) "," N (1));
  assert_list (f, "agent", "status=assigned,new", N (7) "," N (6) "," N (5) "," N (4) "," N (3)
               "," N (2) "," N (1));
  assert_list (f, "agent", "status=open", N (7) "," N (6) "," N (5) "," N (4) "," N (3) ","
               N (2) "," N (1));
  assert_list (f, "agent", "status=resolved", "");
  assert_list (f, "agent", "priority=1", N (5) "," N (1));
  assert_list (f, "agent", "priority=1,2", N (6) "," N (5) "," N (2) "," N (1));
  assert_list (f, "agent", "priority=4&status=new", N (4));
  assert_list (f, "agent", "category=logistics", N (2));
  assert_list (f, "technician", "assignee=me", N (2) "," N (1));
  assert_list (f, "technician2", "assignee=me", N (3));
  assert_list (f, "agent", "assignee=me", "");
  assert_list (f, "agent", "assignee=none", N (7) "," N (6) "," N (5) "," N (4));
  /* The lead department defaults to the assignee's. */
  assert_list (f, "agent", "department=technical", N (3) "," N (2) "," N (1));
  assert_list (f, "agent", "updated_since=2026-11-23T08:30:00Z", N (3) "," N (2) "," N (1));

  /* Text search: a Chinese name (also a part of one), a number, and LIKE's wildcards taken
   * literally. */
  q = g_uri_escape_string ("王小明", NULL, FALSE);
  {
    g_autofree char *query = g_strconcat ("q=", q, NULL);

    assert_list (f, "agent", query, N (1));
  }
  {
    g_autofree char *wang = g_uri_escape_string ("王", NULL, FALSE);
    g_autofree char *query = g_strconcat ("q=", wang, NULL);

    assert_list (f, "agent", query, N (6) "," N (1));
  }
  assert_list (f, "agent", "q=" N (3), N (3));
  assert_list (f, "agent", "q=fw20261123004", N (4));
  assert_list (f, "agent", "q=%25", N (2));
  assert_list (f, "agent", "q=_", N (2));
  assert_list (f, "agent", "q=5555", N (6));
  assert_list (f, "agent", "q=so-1", N (1));
  assert_list (f, "agent", "q=nothing-like-this", "");

  /* Paging: every ticket exactly once. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *cursor = NULL;
    guint pages = 0;

    do
      {
        g_autofree char *query = cursor ? g_strdup_printf ("limit=3&cursor=%s", cursor)
                                        : g_strdup ("limit=3");
        g_autofree char *numbers = NULL;
        g_auto(GStrv) parts = NULL;

        g_clear_pointer (&cursor, g_free);
        numbers = list_numbers (f, "technician", query, &cursor);
        parts = g_strsplit (numbers, ",", -1);
        g_assert_cmpuint (g_strv_length (parts), ==, pages < 2 ? 3 : 1);
        for (guint i = 0; parts[i] != NULL; i++)
          g_assert_true (g_hash_table_add (seen, g_strdup (parts[i])));
        pages++;
      }
    while (cursor != NULL && pages < 10);

    g_assert_cmpuint (pages, ==, 3);
    g_assert_cmpuint (g_hash_table_size (seen), ==, 7);
    g_assert_true (g_hash_table_contains (seen, a) && g_hash_table_contains (seen, g));
  }

  /* Bad query values name their parameter. */
  assert_list_error (f, "status=bogus", "status");
  assert_list_error (f, "priority=5", "priority");
  assert_list_error (f, "priority=high", "priority");
  assert_list_error (f, "category=food", "category");
  assert_list_error (f, "assignee=someone", "assignee");
  assert_list_error (f, "limit=0", "limit");
  assert_list_error (f, "limit=501", "limit");
  assert_list_error (f, "updated_since=yesterday", "updated_since");
  assert_list_error (f, "cursor=abc", "cursor");

  (void) d;
  (void) e;
  (void) f_;
}

static void
test_phone_masking (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *number = create (f, 2, "王小明", "13800005678");
  g_autofree char *assign = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                             kefu_test_server_user_id (f->ts, "technician"));
  struct {
    const char *user;
    const char *phone;
  } before[] = {
    { "agent", "13800005678" },
    { "supervisor", "13800005678" },
    { "technician", "138****5678" },
    { "manager", "138****5678" },
  }, after[] = {
    { "technician", "13800005678" },   /* now the assignee, who calls the customer */
    { "technician2", "138****5678" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (before); i++)
    {
      g_autoptr(KefuTestResponse) r = get_ticket (f, before[i].user, number);

      assert_status (r, 200);
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (kefu_test_object (r), "customer"),
                         "phone"), ==, before[i].phone);
    }

  {
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", assign, 1, 200);
  }

  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      g_autoptr(KefuTestResponse) r = get_ticket (f, after[i].user, number);

      assert_status (r, 200);
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (kefu_test_object (r), "customer"),
                         "phone"), ==, after[i].phone);
    }

  /* In lists, even for the agent. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "agent", "GET", "/tickets", NULL, -1);
    JsonArray *tickets = json_object_get_array_member (kefu_test_object (r), "tickets");
    JsonObject *t = json_array_get_object_element (tickets, 0);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (t, "customer"),
                                                    "phone"), ==, "138****5678");
  }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *number = create (f, 3, "王小明", "13800005678");
  const char *paths[] = {
    "/tickets/FW20261123999",
    "/tickets/FW20261124001",
    "/tickets/nonsense",
    "/tickets/FW20261332001",
  };

  g_assert_cmpstr (number, ==, "FW20261123001");

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(KefuTestResponse) r = call (f, "agent", "GET", paths[i], NULL, -1);

      assert_error (r, 404, "not_found", NULL);
    }
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", "FW20261123999", "notes",
                                         "{\"text\":\"hello\"}", -1, 404);

    assert_error (r, 404, "not_found", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", "FW20261123999", "accept", NULL, 1,
                                         404);

    assert_error (r, 404, "not_found", NULL);
  }
}

static void
test_restart_keeps_tickets (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *first = create (f, 3, "王小明", "13800005678");
  g_autofree char *second = NULL;

  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", first, "notes", "{\"text\":\"记录一下\"}",
                                         1, 200);
  }

  kefu_test_server_restart (f->ts);
  g_hash_table_remove_all (f->tokens);

  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, "agent", first);
    g_autofree char *kinds = NULL;

    assert_status (r, 200);
    g_assert_cmpint (version_of (r), ==, 2);
    kinds = event_kinds (r);
    g_assert_cmpstr (kinds, ==, "created,note");
  }

  second = create (f, 3, "李雷", "13900001111");
  g_assert_cmpstr (second, ==, "FW20261123002");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tickets/create", test_create);
  ADD ("/tickets/concurrent-numbers", test_concurrent_numbers);
  ADD ("/tickets/roles-and-auth", test_roles_and_auth);
  ADD ("/tickets/validation", test_validation);
  ADD ("/tickets/version-conflict", test_version_conflict);
  ADD ("/tickets/invalid-transitions", test_invalid_transitions);
  ADD ("/tickets/happy-path", test_happy_path);
  ADD ("/tickets/unsatisfied-reopens", test_unsatisfied_reopens);
  ADD ("/tickets/cancel", test_cancel);
  ADD ("/tickets/list", test_list);
  ADD ("/tickets/phone-masking", test_phone_masking);
  ADD ("/tickets/not-found", test_not_found);
  ADD ("/tickets/restart", test_restart_keeps_tickets);

  return g_test_run ();
}
