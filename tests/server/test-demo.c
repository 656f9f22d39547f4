/* test-demo.c — the demo data: accounts, realistic tickets, timelines and clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kefu-demo.h"
#include "kefu-test-server.h"
#include "kefu-ticket-repo.h"
#include "kefu-ticket.h"

#define HOUR_USEC (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define DAY_USEC  (24 * HOUR_USEC)

static KefuTestServer *ts;

/* The demo's tickets, fetched once: GET /tickets?limit=500 */
static JsonNode *list_body;

static const char *const every_status[] = {
  "new", "assigned", "accepted", "in_progress", "waiting_customer", "waiting_parts",
  "resolved", "closed", "reopened", "cancelled",
};

static JsonArray *
demo_tickets (void)
{
  if (list_body == NULL)
    {
      g_autofree char *token = kefu_test_login (ts, "supervisor", "demo");
      g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "GET", "/tickets?limit=500", token,
                                                         NULL, NULL);

      if (r->status != 200)
        g_error ("GET /tickets: %u %s", r->status, r->raw);
      list_body = json_node_ref (r->body);
      g_assert_true (json_node_is_null (json_object_get_member (kefu_test_object (r),
                                                                 "next_cursor")));
    }
  return json_object_get_array_member (json_node_get_object (list_body), "tickets");
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

static gint64
time_member (JsonObject *object,
             const char *name)
{
  const char *str = json_object_get_string_member_with_default (object, name, NULL);
  gint64 usec = 0;

  if (str != NULL)
    g_assert_true (kefu_time_from_iso8601 (str, &usec));
  return usec;
}

/* ---- accounts ---------------------------------------------------------------------------- */

static void
test_accounts (void)
{
  guint n;
  const KefuDemoAccount *accounts = kefu_demo_get_accounts (&n);
  g_autofree char *token = NULL;
  g_autoptr(KefuTestResponse) users = NULL;

  g_assert_cmpuint (n, ==, 9);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *user_token = kefu_test_login (ts, accounts[i].username, "demo");
      g_autoptr(KefuTestResponse) me = kefu_test_request (ts, "GET", "/me", user_token, NULL,
                                                          NULL);
      JsonObject *obj;

      g_assert_cmpuint (me->status, ==, 200);
      obj = kefu_test_object (me);
      g_assert_cmpstr (json_object_get_string_member (obj, "username"), ==,
                       accounts[i].username);
      g_assert_cmpstr (json_object_get_string_member (obj, "role"), ==, accounts[i].role);
      g_assert_cmpstr (json_object_get_string_member (obj, "department"), ==,
                       accounts[i].department);
      g_assert_cmpstr (json_object_get_string_member (obj, "display_name"), ==,
                       accounts[i].display_name);
    }

  /* The roles the brief names, by account. */
  g_assert_cmpstr (accounts[0].username, ==, "admin");
  g_assert_cmpstr (accounts[0].role, ==, "admin");

  /* Nothing but the demo accounts. */
  token = kefu_test_login (ts, "admin", "demo");
  users = kefu_test_request (ts, "GET", "/users", token, NULL, NULL);
  g_assert_cmpuint (users->status, ==, 200);
}

/* ---- the ticket list --------------------------------------------------------------------- */

static void
test_coverage (void)
{
  JsonArray *tickets = demo_tickets ();
  guint n = json_array_get_length (tickets);
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) channels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) stages = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) number_re = g_regex_new ("^FW\\d{11,}$", 0, 0, NULL);
  gboolean priorities[5] = { FALSE };
  guint chinese = 0, english = 0, closed = 0;
  guint scores[6] = { 0 };
  gint64 oldest = G_MAXINT64;

  g_assert_cmpuint (n, >=, 50);
  g_assert_cmpuint (n, <=, 80);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);
      const char *number = json_object_get_string_member (t, "number");
      const char *status = json_object_get_string_member (t, "status");
      const char *description = json_object_get_string_member (t, "description");
      JsonObject *customer = json_object_get_object_member (t, "customer");
      gint64 priority = json_object_get_int_member (t, "priority");
      gint64 registered = time_member (t, "registered_at");

      g_assert_true (g_regex_match (number_re, number, 0, NULL));
      g_assert_true (g_hash_table_add (numbers, (gpointer) number));

      g_hash_table_add (categories, (gpointer) json_object_get_string_member (t, "category"));
      g_hash_table_add (channels, (gpointer) json_object_get_string_member (t, "channel"));
      g_hash_table_add (stages, (gpointer) json_object_get_string_member (t, "stage"));
      g_hash_table_add (statuses, (gpointer) status);
      g_assert_cmpint (priority, >=, 1);
      g_assert_cmpint (priority, <=, 4);
      priorities[priority] = TRUE;

      if (has_han (description))
        chinese++;
      else if (is_ascii (description))
        english++;

      /* Real-looking customers: a name and a way to reach them, no masked placeholders. */
      g_assert_nonnull (json_object_get_string_member (customer, "name"));
      g_assert_null (strchr (json_object_get_string_member (customer, "name"), '*'));
      g_assert_true (!json_object_get_null_member (customer, "phone") ||
                     !json_object_get_null_member (customer, "email"));

      /* Registered in the past three weeks, never in the future. */
      g_assert_cmpint (registered, <=, KEFU_TEST_START_USEC);
      g_assert_cmpint (registered, >, KEFU_TEST_START_USEC - 22 * DAY_USEC);
      g_assert_cmpint (time_member (t, "updated_at"), <=, KEFU_TEST_START_USEC);
      oldest = MIN (oldest, registered);

      if (g_str_equal (status, "closed"))
        {
          JsonObject *confirmation = json_object_get_object_member (t, "confirmation");
          gint64 score;

          g_assert_nonnull (confirmation);
          score = json_object_get_int_member (confirmation, "satisfaction");
          g_assert_cmpint (score, >=, 1);
          g_assert_cmpint (score, <=, 5);
          g_assert_true (json_object_get_boolean_member (confirmation, "solved"));
          g_assert_nonnull (json_object_get_object_member (t, "resolution"));
          scores[score]++;
          closed++;
        }
      if (g_str_equal (status, "resolved"))
        g_assert_nonnull (json_object_get_object_member (t, "resolution"));
      if (g_str_equal (status, "new"))
        g_assert_true (json_node_is_null (json_object_get_member (t, "assignee")));
      if (g_str_equal (status, "reopened"))
        g_assert_cmpint (json_object_get_int_member (t, "escalation_level"), ==, 2);
    }

  g_assert_cmpuint (g_hash_table_size (categories), ==, KEFU_CATEGORY_LAST);
  g_assert_cmpuint (g_hash_table_size (channels), ==, KEFU_CHANNEL_LAST);
  g_assert_cmpuint (g_hash_table_size (stages), ==, KEFU_STAGE_LAST);
  for (int p = 1; p <= 4; p++)
    g_assert_true (priorities[p]);
  for (guint i = 0; i < G_N_ELEMENTS (every_status); i++)
    if (!g_hash_table_contains (statuses, every_status[i]))
      g_error ("no demo ticket is %s", every_status[i]);
  g_assert_cmpuint (g_hash_table_size (statuses), ==, KEFU_STATUS_LAST);

  g_assert_cmpuint (chinese, >=, 10);
  g_assert_cmpuint (english, >=, 10);

  /* Closed tickets carry a spread of scores, mostly satisfied. */
  g_assert_cmpuint (closed, >=, 10);
  g_assert_cmpuint (scores[5], >, 0);
  g_assert_cmpuint (scores[4], >, 0);
  g_assert_cmpuint (scores[3], >, 0);

  /* Spread over the weeks before now. */
  g_assert_cmpint (oldest, <, KEFU_TEST_START_USEC - 14 * DAY_USEC);
}

/* Open tickets show every colour on the board; waiting for the customer pauses the clock. */
static void
test_clocks (void)
{
  JsonArray *tickets = demo_tickets ();
  guint ok = 0, warning = 0, breached = 0;

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);
      const char *status = json_object_get_string_member (t, "status");
      JsonObject *sla = json_object_get_object_member (t, "sla");
      const char *state = json_object_get_string_member (sla, "state");

      if (g_str_equal (status, "closed") || g_str_equal (status, "cancelled"))
        {
          g_assert_cmpstr (state, ==, "ok");
          g_assert_cmpint (time_member (sla, "closed_at"), >, 0);
          continue;
        }
      if (g_str_equal (status, "waiting_customer"))
        g_assert_true (json_object_get_boolean_member (sla, "paused"));

      if (g_str_equal (state, "ok"))
        ok++;
      else if (g_str_equal (state, "warning"))
        warning++;
      else if (g_str_equal (state, "breached"))
        breached++;
      else
        g_error ("unknown SLA state %s", state);
    }

  g_test_message ("open clocks: %u ok, %u warning, %u breached", ok, warning, breached);
  g_assert_cmpuint (ok, >=, 5);
  g_assert_cmpuint (warning, >=, 5);
  g_assert_cmpuint (breached, >=, 5);
}

/* ---- timelines --------------------------------------------------------------------------- */

static gboolean
has_event (JsonArray  *events,
           const char *kind)
{
  for (guint i = 0; i < json_array_get_length (events); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (events, i),
                                                    "kind"), kind))
      return TRUE;
  return FALSE;
}

static void
test_timelines (void)
{
  JsonArray *tickets = demo_tickets ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  guint contacts = 0, notes = 0, priority_changes = 0;

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *listed = json_array_get_object_element (tickets, i);
      const char *number = json_object_get_string_member (listed, "number");
      const char *status = json_object_get_string_member (listed, "status");
      g_autofree char *path = g_strconcat ("/tickets/", number, NULL);
      g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "GET", path, token, NULL, NULL);
      JsonObject *t;
      JsonArray *events;
      JsonObject *first;
      gint64 previous = 0;
      guint n;

      g_assert_cmpuint (r->status, ==, 200);
      t = kefu_test_object (r);
      g_assert_cmpstr (json_object_get_string_member (t, "status"), ==, status);
      events = json_object_get_array_member (t, "events");
      g_assert_nonnull (events);
      n = json_array_get_length (events);
      g_assert_cmpuint (n, >=, 1);

      first = json_array_get_object_element (events, 0);
      g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "created");
      g_assert_cmpint (time_member (first, "at"), ==, time_member (t, "registered_at"));
      if (!g_str_equal (status, "new"))
        g_assert_cmpuint (n, >=, 2);

      /* In order, in the past, and every change counted in the version. */
      for (guint j = 0; j < n; j++)
        {
          JsonObject *event = json_array_get_object_element (events, j);
          gint64 at = time_member (event, "at");
          const char *kind = json_object_get_string_member (event, "kind");

          g_assert_cmpint (at, >=, previous);
          g_assert_cmpint (at, <=, KEFU_TEST_START_USEC);
          previous = at;
          if (g_str_equal (kind, "customer_contact"))
            contacts++;
          else if (g_str_equal (kind, "note"))
            notes++;
          else if (g_str_equal (kind, "priority"))
            priority_changes++;
        }
      g_assert_cmpint (json_object_get_int_member (t, "version"), >=, 1);

      /* The history matches the status. */
      if (!g_str_equal (status, "new") && !g_str_equal (status, "cancelled"))
        g_assert_true (has_event (events, "assignment"));
      if (g_str_equal (status, "resolved") || g_str_equal (status, "closed") ||
          g_str_equal (status, "reopened"))
        g_assert_true (has_event (events, "resolution"));
      if (g_str_equal (status, "closed"))
        g_assert_true (has_event (events, "confirmation"));
      if (g_str_equal (status, "reopened"))
        {
          g_assert_true (has_event (events, "reopen"));
          g_assert_true (has_event (events, "escalation"));
        }
      if (g_str_equal (status, "cancelled"))
        {
          JsonObject *last = json_array_get_object_element (events, n - 1);
          JsonObject *data = json_object_get_object_member (last, "data");

          g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "status");
          g_assert_cmpstr (json_object_get_string_member (data, "to"), ==, "cancelled");
        }
      if (g_str_equal (status, "accepted") || g_str_equal (status, "in_progress") ||
          g_str_equal (status, "waiting_customer") || g_str_equal (status, "waiting_parts"))
        g_assert_cmpint (time_member (json_object_get_object_member (t, "sla"), "accepted_at"),
                         >, 0);
    }

  g_assert_cmpuint (contacts, >=, 60);
  g_assert_cmpuint (notes, >=, 40);
  g_assert_cmpuint (priority_changes, >=, 1);
}

/* ---- determinism ------------------------------------------------------------------------- */

static gpointer
departments_job (KefuDb   *db,
                 gpointer  data,
                 GError  **error)
{
  static const char *codes[] = {
    "customer_service", "technical", "logistics", "product", "quality",
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      sqlite3_stmt *stmt = kefu_db_prepare (db, "INSERT INTO departments (code, name, name_zh)"
                                                " VALUES (?, ?, ?)", error);

      if (stmt == NULL)
        return NULL;
      kefu_db_bind_text (stmt, 1, codes[i]);
      kefu_db_bind_text (stmt, 2, codes[i]);
      kefu_db_bind_text (stmt, 3, codes[i]);
      if (!kefu_db_step_done (db, stmt, error))
        return NULL;
    }
  return NULL;
}

/* Seeds a fresh store at @now and dumps every ticket with its timeline. */
static char *
seed_and_dump (gint64 now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kefu-demo-XXXXXX", &error);
  g_autoptr(KefuStore) store = NULL;
  g_autoptr(KefuSlaPolicy) policy = kefu_sla_policy_new_default (KEFU_TEST_TIME_ZONE);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (KEFU_TEST_TIME_ZONE);
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *db_path = NULL;
  KefuDb *reader;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_nonnull (tz);
  store = kefu_store_new (dir, &error);
  g_assert_no_error (error);
  kefu_store_write_sync (store, departments_job, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (kefu_demo_seed (store, policy, tz, now, "not-a-real-hash", &error));
  g_assert_no_error (error);

  reader = kefu_store_get_reader (store);
  stmt = kefu_db_prepare (reader, "SELECT number FROM tickets ORDER BY id", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (numbers, kefu_db_column_dup (stmt, 0));
  sqlite3_reset (stmt);

  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr(KefuTicket) ticket = kefu_ticket_repo_load (reader, numbers->pdata[i], TRUE,
                                                            NULL, &error);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;

      g_assert_no_error (error);
      node = kefu_ticket_to_json (ticket, KEFU_TICKET_JSON_WITH_EVENTS);
      json = json_to_string (node, FALSE);
      g_string_append (dump, json);
      g_string_append_c (dump, '\n');
    }

  kefu_store_close (store);
  db_path = g_build_filename (dir, "kefu.db", NULL);
  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *path = g_strconcat (db_path, suffix, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);

  return g_string_free (g_steal_pointer (&dump), FALSE);
}

/* Issue 5: a visit scheduled, a visit done, a return on its way back — for the client. */
static void
test_after_sales (void)
{
  JsonArray *tickets = demo_tickets ();
  guint scheduled = 0, done = 0, returns = 0;

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);
      JsonArray *visits = json_object_get_array_member (t, "visits");
      JsonArray *rets = json_object_get_array_member (t, "returns");

      g_assert_nonnull (visits);
      g_assert_nonnull (rets);
      g_assert_nonnull (json_object_get_array_member (t, "attachments"));
      for (guint j = 0; j < json_array_get_length (visits); j++)
        {
          JsonObject *v = json_array_get_object_element (visits, j);
          const char *status = json_object_get_string_member (v, "status");

          if (g_str_equal (status, "scheduled"))
            {
              g_assert_cmpint (time_member (v, "scheduled_at"), >, KEFU_TEST_START_USEC);
              scheduled++;
            }
          else if (g_str_equal (status, "done"))
            {
              g_assert_cmpint (time_member (v, "done_at"), <=, KEFU_TEST_START_USEC);
              g_assert_nonnull (json_object_get_string_member (v, "outcome"));
              done++;
            }
        }
      for (guint j = 0; j < json_array_get_length (rets); j++)
        {
          JsonObject *r = json_array_get_object_element (rets, j);

          g_assert_cmpstr (json_object_get_string_member (r, "step"), ==, "pickup_arranged");
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "steps")),
                            ==, 3);
          returns++;
        }
    }
  g_assert_cmpuint (scheduled, ==, 1);
  g_assert_cmpuint (done, ==, 1);
  g_assert_cmpuint (returns, ==, 1);
}

static void
test_deterministic (void)
{
  /* A different moment than the test server's, a Saturday night in Shanghai. */
  gint64 now = KEFU_TEST_START_USEC + 5 * DAY_USEC + 6 * HOUR_USEC + 17 * G_USEC_PER_SEC;
  g_autofree char *a = seed_and_dump (now);
  g_autofree char *b = seed_and_dump (now);

  g_assert_cmpuint (strlen (a), >, 10000);
  g_assert_cmpstr (a, ==, b);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ts = kefu_test_server_new (TRUE);

  g_test_add_func ("/demo/accounts", test_accounts);
  g_test_add_func ("/demo/coverage", test_coverage);
  g_test_add_func ("/demo/clocks", test_clocks);
  g_test_add_func ("/demo/timelines", test_timelines);
  g_test_add_func ("/demo/after-sales", test_after_sales);
  g_test_add_func ("/demo/deterministic", test_deterministic);

  status = g_test_run ();

  g_clear_pointer (&list_body, json_node_unref);
  kefu_test_server_free (ts);
  return status;
}
