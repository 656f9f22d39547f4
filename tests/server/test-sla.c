/* test-sla.c — SLA clocks and escalation against a real server: the alert ladder of every
 * priority, pauses, business days with a holiday, restarting windows, catching up after a
 * restart (each alert exactly once), acknowledgement, /alerts and /sla-policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's manual clock starts at 2026-11-23T08:00:00Z, a Monday, 16:00 in the server's zone
 * (Asia/Shanghai). Moving it (kefu_manual_clock_set/advance) emits KefuClock::jumped, and the
 * scheduler has handled everything due at the new time when that returns — no sleeps.
 *
 * Expected instants are worked out by hand from DOMAIN.md's default policy (P1 2 h / 24 h,
 * P2 4 h / 48 h, P3 24 h / 72 h, P4 48 h / 5 business days of Mon–Fri 09:00–18:00 local; accept
 * 1 h; progress update 4 h, 2 h for P1; warning at 80 %), never by calling the SLA code. Each
 * point is checked twice: one second before it nothing is raised, at it exactly the alerts
 * listed are.
 *
 * Alerts are described as "LABEL kind/clock/level>recipient", recipient "user:NAME",
 * "role:ROLE" or "role:ROLE@DEPARTMENT", sorted, joined by "; ".
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "kefu-test-server.h"
#include "kefu-ticket.h"

#define SECOND (G_USEC_PER_SEC)
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR   (MINUTE * 60)

/* The password of the users add_user() creates: the server's policy refuses "demo". */
#define ADDED_USER_PASSWORD "Sla-Clock-Tester-26"

typedef struct {
  KefuTestServer *ts;
  GHashTable     *tokens;      /* username → token */
  gint64          signed_in;   /* clock time of the sign-ins in @tokens */
  GHashTable     *labels;      /* ticket number → label used in descriptions */
  GHashTable     *user_names;  /* user id (as string) → username */
  GHashTable     *added;       /* usernames made by add_user() */
  gint64          seen;        /* the last alert id described by new_alerts() */
} Fixture;

/* ---- plumbing ---------------------------------------------------------------------------- */

static const char *
token (Fixture    *f,
       const char *username)
{
  gint64 now = kefu_clock_now (KEFU_CLOCK (kefu_test_server_get_clock (f->ts)));
  const char *t;

  /* Sessions last 24 h of (manual) clock time, and the tests travel days ahead. */
  if (now - f->signed_in > 12 * HOUR || now < f->signed_in)
    {
      g_hash_table_remove_all (f->tokens);
      f->signed_in = now;
    }

  t = g_hash_table_lookup (f->tokens, username);

  if (t == NULL)
    {
      char *fresh = kefu_test_login (f->ts, username,
                                     g_hash_table_contains (f->added, username)
                                     ? ADDED_USER_PASSWORD : "demo");

      g_hash_table_insert (f->tokens, g_strdup (username), fresh);
      t = fresh;
    }
  return t;
}

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
  g_assert_cmpstr (kefu_test_error_field (r), ==, field);
}

static gint64
iso (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
set_time (Fixture *f,
          gint64   usec)
{
  kefu_manual_clock_set (kefu_test_server_get_clock (f->ts), usec);
}

/* Lets the scheduler look at the present again (after a restart: wait for its catch-up). */
static void
kick (Fixture *f)
{
  kefu_manual_clock_advance (kefu_test_server_get_clock (f->ts), 0);
}

/* The server "goes down" as far as the SLA is concerned: its scheduler no longer hears the
 * clock move (nothing else commits meanwhile), until kefu_test_server_restart() starts a new
 * server whose scheduler starts by catching up. */
static void
scheduler_down (Fixture *f)
{
  KefuManualClock *clock = kefu_test_server_get_clock (f->ts);
  guint id = g_signal_lookup ("jumped", KEFU_TYPE_CLOCK);
  gulong handler;

  /* The scheduler is the clock's only listener; the next server connects afresh. */
  handler = g_signal_handler_find (clock, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_UNBLOCKED, id, 0,
                                   NULL, NULL, NULL);
  g_assert_cmpuint (handler, !=, 0);
  g_signal_handler_block (clock, handler);
  g_assert_cmpuint (g_signal_handler_find (clock, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_UNBLOCKED,
                                           id, 0, NULL, NULL, NULL), ==, 0);
}

static void
restart (Fixture *f)
{
  kefu_test_server_restart (f->ts);
  g_hash_table_remove_all (f->tokens);
}

static void
add_user (Fixture    *f,
          const char *username,
          const char *role,
          const char *department)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"display_name\":\"%s\","
                                           "\"role\":\"%s\",\"department\":\"%s\","
                                           "\"password\":\"" ADDED_USER_PASSWORD "\"}",
                                           username, username, role, department);
  g_autoptr(KefuTestResponse) r = call (f, "admin", "POST", "/users", body, -1);

  assert_status (r, 201);
  g_hash_table_add (f->added, g_strdup (username));
}

static void
remember_user (Fixture    *f,
               const char *username)
{
  g_hash_table_insert (f->user_names,
                       g_strdup_printf ("%" G_GINT64_FORMAT,
                                        kefu_test_server_user_id (f->ts, username)),
                       g_strdup (username));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *users[] = {
    "supervisor", "agent", "technician", "technician2", "manager", "sup_tech",
  };

  f->ts = kefu_test_server_new (FALSE);
  g_set_print_handler (NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The harness's supervisor is in customer service; the technicians' lead department
   * (technical) gets a supervisor of its own. */
  add_user (f, "sup_tech", "supervisor", "technical");
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    remember_user (f, users[i]);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  g_clear_pointer (&f->labels, g_hash_table_unref);
  g_clear_pointer (&f->user_names, g_hash_table_unref);
  g_clear_pointer (&f->added, g_hash_table_unref);
  g_clear_pointer (&f->ts, kefu_test_server_free);
}

static sqlite3 *
open_db (Fixture *f)
{
  g_autofree char *path = g_build_filename (kefu_test_server_get_data_dir (f->ts), "kefu.db",
                                            NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gint64
db_count (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = open_db (f);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The alerts raised since the last call, described and sorted (see the top of the file). */
static char *
new_alerts (Fixture *f)
{
  sqlite3 *db = open_db (f);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT id, number, kind, ifnull (clock, '-'), level,"
                                       " recipient_role, recipient_user_id, department"
                                       " FROM alerts WHERE id > ? ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, f->seen);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *number = (const char *) sqlite3_column_text (stmt, 1);
      const char *label = g_hash_table_lookup (f->labels, number);
      g_autofree char *recipient = NULL;

      f->seen = MAX (f->seen, sqlite3_column_int64 (stmt, 0));
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        {
          g_autofree char *id = g_strdup_printf ("%lld",
                                                 (long long) sqlite3_column_int64 (stmt, 6));
          const char *name = g_hash_table_lookup (f->user_names, id);

          recipient = g_strdup_printf ("user:%s", name ? name : id);
        }
      else if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        recipient = g_strdup_printf ("role:%s@%s", sqlite3_column_text (stmt, 5),
                                     sqlite3_column_text (stmt, 7));
      else
        recipient = g_strdup_printf ("role:%s", sqlite3_column_text (stmt, 5));

      g_ptr_array_add (lines, g_strdup_printf ("%s %s/%s/%d>%s", label ? label : number,
                                               sqlite3_column_text (stmt, 2),
                                               sqlite3_column_text (stmt, 3),
                                               sqlite3_column_int (stmt, 4), recipient));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        g_string_append (out, "; ");
      g_string_append (out, g_ptr_array_index (lines, i));
    }
  return g_string_free (out, FALSE);
}

static void
expect_alerts (Fixture    *f,
               const char *expected)
{
  g_autofree char *got = new_alerts (f);

  g_assert_cmpstr (got, ==, expected);
}

/* One second before @when nothing is raised; at @when exactly @expected is. */
static void
step (Fixture    *f,
      const char *when,
      const char *expected)
{
  g_test_message ("at %s: %s", when, expected);
  set_time (f, iso (when) - SECOND);
  expect_alerts (f, "");
  set_time (f, iso (when));
  expect_alerts (f, expected);
}

/* A deep copy (json_node_copy() shares the object). */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_parser_steal_root (parser);
}

/* ---- tickets ----------------------------------------------------------------------------- */

/* A ticket the customer reported at @submitted (RFC 3339). */
static char *
create_ticket_submitted (Fixture    *f,
                         int         priority,
                         const char *label,
                         const char *submitted)
{
  g_autofree char *body = g_strdup_printf (
    "{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":%d,"
    "\"customer\":{\"name\":\"王小明\",\"phone\":\"13800005678\"},"
    "\"description\":\"洗衣机无法开机，指示灯不亮\",\"submitted_at\":\"%s\"}",
    priority, submitted);
  g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);
  char *number;

  assert_status (r, 201);
  number = g_strdup (json_object_get_string_member (kefu_test_object (r), "number"));
  g_hash_table_insert (f->labels, g_strdup (number), g_strdup (label));
  return number;
}

/* A ticket reported at the moment it is registered (now), so that its clocks start then. */
static char *
create_ticket (Fixture    *f,
               int         priority,
               const char *label)
{
  gint64 now = kefu_clock_now (KEFU_CLOCK (kefu_test_server_get_clock (f->ts)));
  g_autofree char *submitted = kefu_time_to_iso8601 (now);

  return create_ticket_submitted (f, priority, label, submitted);
}

static KefuTestResponse *
get_ticket (Fixture    *f,
            const char *number)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);
  KefuTestResponse *r = call (f, "supervisor", "GET", path, NULL, -1);

  assert_status (r, 200);
  return r;
}

static gint64
version_of (Fixture    *f,
            const char *number)
{
  g_autoptr(KefuTestResponse) r = get_ticket (f, number);

  return json_object_get_int_member (kefu_test_object (r), "version");
}

/* POST /tickets/N/ACTION as @username with the ticket's current version. */
static KefuTestResponse *
act (Fixture    *f,
     const char *username,
     const char *number,
     const char *action,
     const char *body)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s/%s", number, action);
  KefuTestResponse *r = call (f, username, "POST", path, body ? body : "{}",
                              version_of (f, number));

  assert_status (r, 200);
  return r;
}

static void
assign (Fixture    *f,
        const char *number,
        const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                           kefu_test_server_user_id (f->ts, username));
  g_autoptr(KefuTestResponse) r = act (f, "supervisor", number, "assign", body);
}

static void
contact (Fixture    *f,
         const char *number)
{
  g_autoptr(KefuTestResponse) r = act (f, "agent", number, "notes",
                                       "{\"text\":\"已致电客户\",\"kind\":\"customer_contact\"}");
}

static JsonObject *
sla_of (KefuTestResponse *r)
{
  return json_object_get_object_member (kefu_test_object (r), "sla");
}

static void
assert_time (JsonObject *object,
             const char *member,
             const char *expected)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  if (expected == NULL)
    g_assert_true (JSON_NODE_HOLDS_NULL (node));
  else
    g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

/* The kinds of the ticket's timeline, comma-separated. */
static char *
event_kinds (Fixture    *f,
             const char *number)
{
  g_autoptr(KefuTestResponse) r = get_ticket (f, number);
  JsonArray *events = json_object_get_array_member (kefu_test_object (r), "events");
  GString *kinds = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      if (i > 0)
        g_string_append_c (kinds, ',');
      g_string_append (kinds, json_object_get_string_member (
                                json_array_get_object_element (events, i), "kind"));
    }
  return g_string_free (kinds, FALSE);
}

/* GET /alerts?state=STATE as @username: the alerts array (owned by @r). */
static JsonArray *
alerts_of (Fixture           *f,
           const char        *username,
           const char        *state,
           KefuTestResponse **r)
{
  g_autofree char *path = g_strdup_printf ("/alerts?state=%s&limit=500", state);

  *r = call (f, username, "GET", path, NULL, -1);
  assert_status (*r, 200);
  return json_object_get_array_member (kefu_test_object (*r), "alerts");
}

/* "kind/clock/level" of the alerts @username sees in @state for @number, oldest first. */
static char *
visible (Fixture    *f,
         const char *username,
         const char *state,
         const char *number)
{
  g_autoptr(KefuTestResponse) r = NULL;
  JsonArray *alerts = alerts_of (f, username, state, &r);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  /* newest first on the wire */
  for (guint i = json_array_get_length (alerts); i > 0; i--)
    {
      JsonObject *a = json_array_get_object_element (alerts, i - 1);
      JsonNode *clock = json_object_get_member (a, "clock");

      if (number != NULL && g_strcmp0 (json_object_get_string_member (a, "number"), number) != 0)
        continue;
      g_ptr_array_add (lines, g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT,
                                               json_object_get_string_member (a, "kind"),
                                               JSON_NODE_HOLDS_NULL (clock)
                                               ? "-" : json_node_get_string (clock),
                                               json_object_get_int_member (a, "level")));
    }
  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        g_string_append (out, ",");
      g_string_append (out, g_ptr_array_index (lines, i));
    }
  return g_string_free (out, FALSE);
}

static void
assert_visible (Fixture    *f,
                const char *username,
                const char *state,
                const char *number,
                const char *expected)
{
  g_autofree char *got = visible (f, username, state, number);

  g_assert_cmpstr (got, ==, expected);
}

/* ---- the ladder -------------------------------------------------------------------------- */

/* P1: every supervisor at once; no contact: warnings at 80 % (08:00 + 96 min), breaches at
 * 2 h (level 1, to all supervisors as there is no lead department yet); resolution: warning at
 * 80 % of 24 h (+19 h 12 min), breach at 24 h — level 1 to the supervisors and level 2 to the
 * managers. The progress-update clock (2 h for P1, from registration) runs alongside. */
static void
test_p1_ladder (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *p1 = create_ticket (f, 1, "P1");
  g_autofree char *kinds = NULL;

  /* At once, to every supervisor (both departments), no one else. */
  expect_alerts (f, "P1 new_p1/-/0>role:supervisor");
  assert_visible (f, "supervisor", "open", p1, "new_p1/-/0");
  assert_visible (f, "sup_tech", "open", p1, "new_p1/-/0");
  assert_visible (f, "agent", "open", p1, "");
  assert_visible (f, "manager", "open", p1, "");
  assert_visible (f, "technician", "open", p1, "");
  {
    g_autoptr(KefuTestResponse) r = NULL;
    JsonArray *alerts = alerts_of (f, "supervisor", "open", &r);
    JsonObject *a = json_array_get_object_element (alerts, 0);
    JsonObject *recipients = json_object_get_object_member (a, "recipients");

    g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (a, "number"), ==, p1);
    g_assert_cmpint (json_object_get_int_member (a, "priority"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (recipients, "role"), ==, "supervisor");
    g_assert_true (json_node_is_null (json_object_get_member (recipients, "department")));
    g_assert_true (json_node_is_null (json_object_get_member (recipients, "user_id")));
    assert_time (a, "created_at", "2026-11-23T08:00:00Z");
    assert_time (a, "due_at", "2026-11-23T10:00:00Z");
    assert_time (a, "acked_at", NULL);
    g_assert_true (json_node_is_null (json_object_get_member (a, "acked_by")));
    g_assert_true (strstr (json_object_get_string_member (a, "message"), p1) != NULL);
  }

  /* 09:36Z: 80 % of 2 h. Unassigned: the warning goes to the supervisors. Nobody accepted the
   * ticket, so no progress update is owed (and none warns or breaches). */
  step (f, "2026-11-23T09:36:00Z", "P1 warning/response/0>role:supervisor");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p1);

    g_assert_cmpstr (json_object_get_string_member (sla_of (r), "state"), ==, "warning");
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "version"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     0);
  }

  /* 10:00Z: breached, level 1. */
  step (f, "2026-11-23T10:00:00Z", "P1 breach/response/1>role:supervisor");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p1);
    JsonObject *obj = kefu_test_object (r);

    g_assert_cmpstr (json_object_get_string_member (sla_of (r), "state"), ==, "breached");
    g_assert_cmpint (json_object_get_int_member (obj, "version"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (obj, "escalation_level"), ==, 1);
  }

  /* 2026-11-24T03:12Z: 80 % of 24 h. */
  step (f, "2026-11-24T03:12:00Z", "P1 warning/resolve/0>role:supervisor");

  /* 08:00Z: 24 h — level 1 and level 2. */
  step (f, "2026-11-24T08:00:00Z",
        "P1 breach/resolve/1>role:supervisor; P1 escalation/resolve/2>role:manager");
  assert_visible (f, "manager", "open", p1, "escalation/resolve/2");
  assert_visible (f, "supervisor", "open", p1,
                  "new_p1/-/0,warning/response/0,breach/response/1,warning/resolve/0,"
                  "breach/resolve/1");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p1);

    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     2);
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "version"), ==, 5);
  }

  /* The timeline tells the story; the system is the actor. */
  kinds = event_kinds (f, p1);
  g_assert_cmpstr (kinds, ==,
                   "created,sla_warning,sla_breach,escalation,sla_warning,sla_breach,"
                   "escalation");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p1);
    JsonArray *events = json_object_get_array_member (kefu_test_object (r), "events");
    JsonObject *last = json_array_get_object_element (events, json_array_get_length (events) - 1);
    JsonObject *breach = json_array_get_object_element (events, 2);

    g_assert_true (json_node_is_null (json_object_get_member (last, "actor")));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (last, "data"),
                                                 "level"), ==, 2);
    assert_time (breach, "at", "2026-11-23T10:00:00Z");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (breach,
                                                                                   "data"),
                                                    "clock"), ==, "response");
  }

  /* Much later nothing more is raised for this window. */
  set_time (f, iso ("2026-12-31T00:00:00Z"));
  expect_alerts (f, "");

  /* Every alert is also a live event. */
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM events WHERE type = 'alert.raised'"), ==,
                   db_count (f, "SELECT count(*) FROM alerts"));
}

/* P2, P3 and P4 side by side, from 08:00Z. P2 is assigned to the technician (lead department
 * technical): warnings go to him, breaches to the technical supervisors. P3 and P4 stay
 * unassigned: everything goes to every supervisor. */
static void
test_p2_p3_p4 (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *p2 = create_ticket (f, 2, "P2");
  g_autofree char *p3 = create_ticket (f, 3, "P3");
  g_autofree char *p4 = create_ticket (f, 4, "P4");

  expect_alerts (f, "");  /* only P1 tickets alert at once */

  /* 08:00Z assigned: accept due 09:00Z, warning 08:48Z; accepted 08:50Z. */
  assign (f, p2, "technician");
  step (f, "2026-11-23T08:48:00Z", "P2 warning/accept/0>user:technician");
  set_time (f, iso ("2026-11-23T08:50:00Z"));
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", p2, "accept", NULL);
  }
  assert_visible (f, "technician", "open", p2, "warning/accept/0");
  assert_visible (f, "supervisor", "open", p2, "");

  /* 09:00Z the accept due has no effect: accepted in time. */
  set_time (f, iso ("2026-11-23T09:00:00Z"));
  expect_alerts (f, "");

  /* 11:12Z: 80 % of 4 h — P2's first response. P3 and P4, which nobody accepted, owe no
   * progress update. */
  step (f, "2026-11-23T11:12:00Z", "P2 warning/response/0>user:technician");

  /* 12:00Z: 4 h. */
  step (f, "2026-11-23T12:00:00Z", "P2 breach/response/1>role:supervisor@technical");

  /* P2's progress update: every 4 h from its acceptance at 08:50Z → 12:50Z, warning 12:02Z. */
  step (f, "2026-11-23T12:02:00Z", "P2 warning/update/0>user:technician");
  step (f, "2026-11-23T12:50:00Z", "P2 breach/update/1>role:supervisor@technical");
  assert_visible (f, "sup_tech", "open", p2, "breach/response/1,breach/update/1");
  assert_visible (f, "supervisor", "open", p2, "");  /* customer service: not theirs */
  assert_visible (f, "supervisor", "open", p3, "");
  assert_visible (f, "technician", "open", p2,
                  "warning/accept/0,warning/response/0,warning/update/0");

  /* P3's first response: 24 h, warning at 19 h 12 min. */
  step (f, "2026-11-24T03:12:00Z", "P3 warning/response/0>role:supervisor");
  step (f, "2026-11-24T08:00:00Z", "P3 breach/response/1>role:supervisor");

  /* P2's resolution (48 h, warning at 38 h 24 min) and P4's first response (48 h). */
  step (f, "2026-11-24T22:24:00Z",
        "P2 warning/resolve/0>user:technician; P4 warning/response/0>role:supervisor");
  step (f, "2026-11-25T08:00:00Z",
        "P2 breach/resolve/1>role:supervisor@technical; P4 breach/response/1>role:supervisor");

  /* P3's resolution: 72 h, warning at 57 h 36 min. */
  step (f, "2026-11-25T17:36:00Z", "P3 warning/resolve/0>role:supervisor");
  step (f, "2026-11-26T08:00:00Z", "P3 breach/resolve/1>role:supervisor");

  /* P4's resolution: 5 business days (45 h) from Monday 16:00 local: Mon 2 h, Tue–Fri 9 h
   * each (38 h), next Monday 7 h → Mon 30 Nov 16:00 local = 08:00Z. 80 % = 36 h: Mon 2, Tue–Thu
   * 27 (29), Fri 7 → Fri 27 Nov 16:00 local = 08:00Z. The weekend counts nothing. */
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p4);

    assert_time (sla_of (r), "resolve_due", "2026-11-30T08:00:00Z");
  }
  step (f, "2026-11-27T08:00:00Z", "P4 warning/resolve/0>role:supervisor");
  set_time (f, iso ("2026-11-29T12:00:00Z"));  /* Sunday */
  expect_alerts (f, "");
  step (f, "2026-11-30T08:00:00Z", "P4 breach/resolve/1>role:supervisor");

  /* No P2–P4 breach reaches the managers. */
  assert_visible (f, "manager", "all", NULL, "");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p4);

    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     1);
    g_assert_cmpstr (json_object_get_string_member (sla_of (r), "state"), ==, "breached");
  }
}

/* Waiting for the customer stops the clocks; the time spent waiting moves every due. */
static void
test_pause (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *p2 = create_ticket (f, 2, "P2");

  assign (f, p2, "technician");
  set_time (f, iso ("2026-11-23T08:10:00Z"));
  {
    g_autoptr(KefuTestResponse) r1 = act (f, "technician", p2, "accept", NULL);
    g_autoptr(KefuTestResponse) r2 = act (f, "technician", p2, "status",
                                          "{\"status\":\"in_progress\"}");
  }

  /* 09:00Z waiting: the warnings of 11:12Z and the dues of 12:00Z do not come. */
  set_time (f, iso ("2026-11-23T09:00:00Z"));
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", p2, "status",
                                         "{\"status\":\"waiting_customer\","
                                         "\"reason\":\"等待客户提供购买凭证\"}");

    g_assert_true (json_object_get_boolean_member (sla_of (r), "paused"));
    assert_time (sla_of (r), "response_due", NULL);
  }
  set_time (f, iso ("2026-11-23T13:00:00Z"));
  expect_alerts (f, "");

  /* 13:00Z the customer answers: 4 h of pause, so the response due moves from 12:00Z to
   * 16:00Z, its warning from 11:12Z to 15:12Z; the update clock (from the acceptance at 08:10Z)
   * from 12:10Z to 16:10Z, its warning from 11:22Z to 15:22Z. */
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", p2, "status",
                                         "{\"status\":\"in_progress\"}");

    g_assert_false (json_object_get_boolean_member (sla_of (r), "paused"));
    assert_time (sla_of (r), "response_due", "2026-11-23T16:00:00Z");
    assert_time (sla_of (r), "next_update_due", "2026-11-23T16:10:00Z");
    assert_time (sla_of (r), "resolve_due", "2026-11-25T12:00:00Z");
  }
  step (f, "2026-11-23T15:12:00Z", "P2 warning/response/0>user:technician");
  step (f, "2026-11-23T15:22:00Z", "P2 warning/update/0>user:technician");
  step (f, "2026-11-23T16:00:00Z", "P2 breach/response/1>role:supervisor@technical");
  step (f, "2026-11-23T16:10:00Z", "P2 breach/update/1>role:supervisor@technical");

  /* A pause after a warning: the breach waits as long as the pause lasts. Resolution: due
   * 25 Nov 12:00Z, warning 08:00Z + 38 h 24 min + 4 h = 25 Nov 02:24Z. */
  step (f, "2026-11-25T02:24:00Z", "P2 warning/resolve/0>user:technician");
  set_time (f, iso ("2026-11-25T03:00:00Z"));
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", p2, "status",
                                         "{\"status\":\"waiting_customer\","
                                         "\"reason\":\"客户出差\"}");
  }
  set_time (f, iso ("2026-11-26T03:00:00Z"));
  expect_alerts (f, "");
  {
    /* 24 h paused: due 26 Nov 12:00Z. */
    g_autoptr(KefuTestResponse) r = act (f, "technician", p2, "status",
                                         "{\"status\":\"in_progress\"}");

    assert_time (sla_of (r), "resolve_due", "2026-11-26T12:00:00Z");
  }
  step (f, "2026-11-26T12:00:00Z", "P2 breach/resolve/1>role:supervisor@technical");
}

/* A holiday in the policy: P4's five business days skip it. PUT /sla-policy applies to
 * changes made after it; a ticket nobody touches keeps its dues. */
static void
test_holiday_policy (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *before = create_ticket (f, 4, "P4-before");
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) policy = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *body = NULL;
  JsonObject *calendar;
  JsonArray *holidays;

  {
    g_autoptr(KefuTestResponse) r = call (f, "agent", "GET", "/sla-policy", NULL, -1);

    assert_status (r, 200);
    policy = deep_copy (r->body);
  }
  calendar = json_object_get_object_member (json_node_get_object (policy), "calendar");
  g_assert_cmpstr (json_object_get_string_member (calendar, "time_zone"), ==, "Asia/Shanghai");
  holidays = json_object_get_array_member (calendar, "holidays");
  g_assert_cmpuint (json_array_get_length (holidays), ==, 0);
  json_array_add_string_element (holidays, "2026-11-25");  /* Wednesday */
  json_generator_set_root (gen, policy);
  body = json_generator_to_data (gen, NULL);

  {
    g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);
    JsonObject *cal;

    assert_status (r, 200);
    cal = json_object_get_object_member (kefu_test_object (r), "calendar");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (cal,
                                                                                  "holidays"),
                                                    0), ==, "2026-11-25");
  }

  /* Registered Monday 16:00 local: Mon 2 h, Tue 9 h (11), Wed holiday, Thu 9 h (20), Fri 9 h
   * (29), Mon 9 h (38), Tue 1 Dec 7 h → 16:00 local = 08:00Z. Warning (36 h): Mon 30 Nov 7 h →
   * 08:00Z. */
  after = create_ticket (f, 4, "P4-after");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, after);

    assert_time (sla_of (r), "resolve_due", "2026-12-01T08:00:00Z");
  }
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, before);

    assert_time (sla_of (r), "resolve_due", "2026-11-30T08:00:00Z");
  }

  /* Survives a restart. */
  restart (f);
  {
    g_autoptr(KefuTestResponse) r = call (f, "technician", "GET", "/sla-policy", NULL, -1);
    JsonObject *cal;

    assert_status (r, 200);
    cal = json_object_get_object_member (kefu_test_object (r), "calendar");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cal, "holidays")),
                      ==, 1);
  }

  /* The untouched ticket warns and breaches on its old schedule … */
  expect_alerts (f, "");
  set_time (f, iso ("2026-11-27T08:00:00Z"));
  {
    g_autofree char *got = new_alerts (f);

    g_assert_true (strstr (got, "P4-before warning/resolve/0>role:supervisor") != NULL);
    g_assert_true (strstr (got, "P4-after warning/resolve") == NULL);
  }
  step (f, "2026-11-30T08:00:00Z",
        "P4-after warning/resolve/0>role:supervisor; P4-before breach/resolve/1>role:supervisor");
  step (f, "2026-12-01T08:00:00Z", "P4-after breach/resolve/1>role:supervisor");

  /* … and a change recomputes it with the policy in force. */
  {
    g_autoptr(KefuTestResponse) r = NULL;

    contact (f, before);
    r = get_ticket (f, before);
    assert_time (sla_of (r), "resolve_due", "2026-12-01T08:00:00Z");
  }
  /* The due that moved later was breached already in this window: nothing raised twice. */
  expect_alerts (f, "");
}

/* Every (re)assignment restarts the accept clock: a new window, alerted afresh. */
static void
test_accept_restarts (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *p3 = create_ticket (f, 3, "P3");

  assign (f, p3, "technician");                               /* due 09:00Z, warning 08:48Z */
  step (f, "2026-11-23T08:48:00Z", "P3 warning/accept/0>user:technician");

  set_time (f, iso ("2026-11-23T08:50:00Z"));
  assign (f, p3, "technician2");                              /* due 09:50Z, warning 09:38Z */
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p3);

    assert_time (sla_of (r), "accept_due", "2026-11-23T09:50:00Z");
  }
  set_time (f, iso ("2026-11-23T09:00:00Z"));
  expect_alerts (f, "");
  step (f, "2026-11-23T09:38:00Z", "P3 warning/accept/0>user:technician2");
  step (f, "2026-11-23T09:50:00Z", "P3 breach/accept/1>role:supervisor@technical");

  assert_visible (f, "technician", "open", p3, "warning/accept/0");
  assert_visible (f, "technician2", "open", p3, "warning/accept/0");
  g_assert_cmpint (db_count (f, "SELECT count(DISTINCT cycle) FROM alerts"
                                " WHERE clock = 'accept' AND kind = 'warning'"), ==, 2);
}

/* The progress-update clock restarts with every customer contact. */
static void
test_update_clock (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *p2 = create_ticket (f, 2, "P2");

  assign (f, p2, "technician");
  set_time (f, iso ("2026-11-23T08:10:00Z"));
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", p2, "accept", NULL);
  }

  /* 08:30Z the first contact: response met; next update due 12:30Z, warning 11:42Z. */
  set_time (f, iso ("2026-11-23T08:30:00Z"));
  contact (f, p2);
  step (f, "2026-11-23T11:42:00Z", "P2 warning/update/0>user:technician");

  /* 12:00Z another contact: due 16:00Z, warning 15:12Z; 12:30Z is nothing any more. */
  set_time (f, iso ("2026-11-23T12:00:00Z"));
  contact (f, p2);
  set_time (f, iso ("2026-11-23T12:30:00Z"));
  expect_alerts (f, "");
  step (f, "2026-11-23T15:12:00Z", "P2 warning/update/0>user:technician");
  step (f, "2026-11-23T16:00:00Z", "P2 breach/update/1>role:supervisor@technical");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p2);

    /* The response was met at 08:30Z: no response alerts at all. */
    assert_time (sla_of (r), "first_response_at", "2026-11-23T08:30:00Z");
  }
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM alerts WHERE clock = 'response'"), ==, 0);
}

/* Dues that pass while the server is down are raised when it starts — once, whatever restarts
 * follow. */
static void
test_restart_catch_up (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *p1 = create_ticket (f, 1, "P1");
  g_autofree char *kinds = NULL;
  gint64 alerts_before;

  expect_alerts (f, "P1 new_p1/-/0>role:supervisor");

  /* "Down": no scheduler, while the warnings (09:36Z) and the breaches (10:00Z) pass. */
  scheduler_down (f);
  set_time (f, iso ("2026-11-23T10:30:00Z"));
  expect_alerts (f, "");

  /* Back up: the breach is raised; the warning it supersedes is not. (Nobody accepted the
   * ticket: no update clock.) */
  restart (f);
  kick (f);
  expect_alerts (f, "P1 breach/response/1>role:supervisor");
  kinds = event_kinds (f, p1);
  g_assert_cmpstr (kinds, ==, "created,sla_breach,escalation");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p1);

    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "version"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     1);
  }

  /* Restarting again raises nothing again. */
  alerts_before = db_count (f, "SELECT count(*) FROM alerts");
  restart (f);
  kick (f);
  expect_alerts (f, "");
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM alerts"), ==, alerts_before);

  /* Down across the resolution warning (03:12Z) and up again before the breach: the warning,
   * once; then the breach at its time, once. */
  scheduler_down (f);
  set_time (f, iso ("2026-11-24T04:00:00Z"));
  expect_alerts (f, "");
  restart (f);
  kick (f);
  expect_alerts (f, "P1 warning/resolve/0>role:supervisor");
  restart (f);
  kick (f);
  expect_alerts (f, "");
  step (f, "2026-11-24T08:00:00Z",
        "P1 breach/resolve/1>role:supervisor; P1 escalation/resolve/2>role:manager");

  /* Each alert exactly once, each with one live event, and the API agrees. */
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM alerts"), ==, 5);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM (SELECT ticket_id, kind, clock, level,"
                                " cycle FROM alerts GROUP BY 1, 2, 3, 4, 5)"), ==, 5);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM events WHERE type = 'alert.raised'"), ==,
                   5);
  assert_visible (f, "supervisor", "all", p1,
                  "new_p1/-/0,breach/response/1,warning/resolve/0,breach/resolve/1");
  assert_visible (f, "manager", "all", p1, "escalation/resolve/2");
}

/* Acknowledging records who and when, once; only recipients may. */
static void
test_ack (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *p1 = create_ticket (f, 1, "P1");
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  gint64 supervisor_id = kefu_test_server_user_id (f->ts, "supervisor");
  gint64 id;

  {
    g_autoptr(KefuTestResponse) r = NULL;
    JsonArray *alerts = alerts_of (f, "supervisor", "open", &r);

    g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
    id = json_object_get_int_member (json_array_get_object_element (alerts, 0), "id");
  }
  path = g_strdup_printf ("/alerts/%" G_GINT64_FORMAT "/ack", id);
  missing = g_strdup_printf ("/alerts/%" G_GINT64_FORMAT "/ack", id + 1000);

  /* Not addressed to a technician or a manager. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "technician", "POST", path, NULL, -1);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, "manager", "POST", path, NULL, -1);

    assert_error (r, 403, "forbidden", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "POST", missing, NULL, -1);

    assert_error (r, 404, "not_found", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "POST", "/alerts/abc/ack", NULL, -1);

    assert_error (r, 404, "not_found", NULL);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, NULL, "POST", path, NULL, -1);

    assert_error (r, 401, "unauthenticated", NULL);
  }

  /* 08:07Z the supervisor acknowledges. */
  set_time (f, iso ("2026-11-23T08:07:00Z"));
  {
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "POST", path, NULL, -1);
    JsonObject *a;
    JsonObject *by;

    assert_status (r, 200);
    a = kefu_test_object (r);
    assert_time (a, "acked_at", "2026-11-23T08:07:00Z");
    by = json_object_get_object_member (a, "acked_by");
    g_assert_nonnull (by);
    g_assert_cmpint (json_object_get_int_member (by, "id"), ==, supervisor_id);
    g_assert_cmpstr (json_object_get_string_member (by, "display_name"), ==, "Supervisor Wang");
  }

  /* It leaves every supervisor's open list (one alert for the role, one acknowledgement). */
  assert_visible (f, "supervisor", "open", NULL, "");
  assert_visible (f, "sup_tech", "open", NULL, "");
  assert_visible (f, "sup_tech", "acked", NULL, "new_p1/-/0");
  assert_visible (f, "supervisor", "all", NULL, "new_p1/-/0");

  /* Again, by another supervisor, later: 200, the first record stands. */
  set_time (f, iso ("2026-11-23T08:09:00Z"));
  {
    g_autoptr(KefuTestResponse) r = call (f, "sup_tech", "POST", path, NULL, -1);
    JsonObject *a;

    assert_status (r, 200);
    a = kefu_test_object (r);
    assert_time (a, "acked_at", "2026-11-23T08:07:00Z");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (a, "acked_by"),
                                                 "id"), ==, supervisor_id);
  }
  {
    g_autoptr(KefuTestResponse) r = NULL;
    JsonArray *alerts = alerts_of (f, "sup_tech", "acked", &r);
    JsonObject *a = json_array_get_object_element (alerts, 0);

    assert_time (a, "acked_at", "2026-11-23T08:07:00Z");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (a,
                                                                                   "acked_by"),
                                                    "display_name"), ==, "Supervisor Wang");
  }
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM events WHERE type = 'alert.acked'"), ==, 1);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM alerts WHERE acked_at IS NOT NULL"), ==, 1);
  (void) p1;
}

/* GET /alerts shows each caller what is addressed to them. */
static void
test_recipients (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *p3 = create_ticket (f, 3, "P3");
  g_autofree char *p3b = create_ticket (f, 3, "P3b");

  assign (f, p3, "technician");
  /* p3b is led by customer service. */
  {
    g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT ","
                                             "\"department\":\"customer_service\"}",
                                             kefu_test_server_user_id (f->ts, "technician2"));
    g_autoptr(KefuTestResponse) r = act (f, "supervisor", p3b, "assign", body);
  }

  /* Accept warnings (08:48Z) to each assignee, breaches (09:00Z) to each lead department. */
  step (f, "2026-11-23T08:48:00Z",
        "P3 warning/accept/0>user:technician; P3b warning/accept/0>user:technician2");
  step (f, "2026-11-23T09:00:00Z",
        "P3 breach/accept/1>role:supervisor@technical; "
        "P3b breach/accept/1>role:supervisor@customer_service");

  assert_visible (f, "technician", "open", NULL, "warning/accept/0");
  assert_visible (f, "technician2", "open", NULL, "warning/accept/0");
  assert_visible (f, "sup_tech", "open", NULL, "breach/accept/1");
  assert_visible (f, "supervisor", "open", NULL, "breach/accept/1");
  assert_visible (f, "supervisor", "open", p3b, "breach/accept/1");
  assert_visible (f, "agent", "all", NULL, "");
  assert_visible (f, "manager", "all", NULL, "");
  assert_visible (f, "admin", "all", NULL, "");

  {
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "GET", "/alerts?state=closed", NULL,
                                          -1);

    assert_error (r, 400, "validation_failed", "state");
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "GET", "/alerts?limit=0", NULL, -1);

    assert_error (r, 400, "validation_failed", "limit");
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, NULL, "GET", "/alerts", NULL, -1);

    assert_error (r, 401, "unauthenticated", NULL);
  }
  /* Default: open. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "technician", "GET", "/alerts", NULL, -1);

    assert_status (r, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (kefu_test_object (r),
                                                                           "alerts")), ==, 1);
    g_assert_true (json_node_is_null (json_object_get_member (kefu_test_object (r),
                                                              "next_cursor")));
  }
}

/* Raised by the workflow: an unsatisfied customer (level 2, managers) and a ticket raised to P1
 * (every supervisor). */
static void
test_workflow_alerts (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *p3 = create_ticket (f, 3, "P3");
  g_autofree char *p2 = create_ticket (f, 2, "P2");

  assign (f, p3, "technician");
  {
    g_autoptr(KefuTestResponse) r1 = act (f, "technician", p3, "accept", NULL);
    g_autoptr(KefuTestResponse) r2 = act (f, "agent", p3, "notes",
                                          "{\"text\":\"已联系\",\"kind\":\"customer_contact\"}");
  }
  set_time (f, iso ("2026-11-23T08:30:00Z"));
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", p3, "resolve",
                                         "{\"kind\":\"repair\",\"summary\":\"更换电源板\"}");
  }
  set_time (f, iso ("2026-11-23T08:40:00Z"));
  expect_alerts (f, "");
  {
    g_autoptr(KefuTestResponse) r = act (f, "agent", p3, "confirm",
                                         "{\"solved\":true,\"satisfaction\":2}");

    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     2);
  }
  expect_alerts (f, "P3 escalation/-/2>role:manager");
  assert_visible (f, "manager", "open", p3, "escalation/-/2");
  assert_visible (f, "supervisor", "open", p3, "");

  /* Raised to P1 at 09:00Z: the supervisors at once; the dues move (response 10:00Z). */
  set_time (f, iso ("2026-11-23T09:00:00Z"));
  {
    g_autofree char *path = g_strdup_printf ("/tickets/%s", p2);
    g_autoptr(KefuTestResponse) r = call (f, "supervisor", "PATCH", path, "{\"priority\":1}",
                                          version_of (f, p2));

    assert_status (r, 200);
    assert_time (sla_of (r), "response_due", "2026-11-23T10:00:00Z");
  }
  expect_alerts (f, "P2 new_p1/-/0>role:supervisor");

  /* Raised to P1 long after registration: the warning (09:36Z) and the due (10:00Z) have
   * passed; the breach comes at once (with the next look at the clock). */
  {
    g_autofree char *p4 = create_ticket (f, 4, "P4");
    g_autofree char *path = g_strdup_printf ("/tickets/%s", p4);

    set_time (f, iso ("2026-11-23T11:00:00Z"));
    /* Nobody accepted either ticket: only the response clock breaches. */
    expect_alerts (f, "P2 breach/response/1>role:supervisor");
    {
      g_autoptr(KefuTestResponse) r = call (f, "supervisor", "PATCH", path, "{\"priority\":1}",
                                            version_of (f, p4));

      assert_status (r, 200);
    }
    kick (f);
    expect_alerts (f, "P4 breach/response/1>role:supervisor; P4 new_p1/-/0>role:supervisor");
  }
}

/* GET /sla-policy for staff, PUT for the administrator, validated field by field. */
static void
test_policy_api (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) policy = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *body = NULL;
  JsonObject *root;
  JsonObject *target;

  {
    g_autoptr(KefuTestResponse) r = call (f, "technician", "GET", "/sla-policy", NULL, -1);
    JsonArray *targets;

    assert_status (r, 200);
    policy = deep_copy (r->body);
    root = json_node_get_object (policy);
    targets = json_object_get_array_member (root, "targets");
    g_assert_cmpuint (json_array_get_length (targets), ==, 4);
    target = json_array_get_object_element (targets, 0);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (target,
                                                                                "response"),
                                                 "seconds"), ==, 7200);
  }
  {
    g_autoptr(KefuTestResponse) r = call (f, NULL, "GET", "/sla-policy", NULL, -1);

    assert_error (r, 401, "unauthenticated", NULL);
  }

  json_generator_set_root (gen, policy);
  body = json_generator_to_data (gen, NULL);
  for (guint i = 0; i < 5; i++)
    {
      static const char *roles[] = { "agent", "supervisor", "technician", "manager", NULL };
      g_autoptr(KefuTestResponse) r = NULL;

      if (roles[i] == NULL)
        break;
      r = call (f, roles[i], "PUT", "/sla-policy", body, -1);
      assert_error (r, 403, "forbidden", NULL);
    }

  /* Validation, one field at a time. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", "[1,2]", -1);

    assert_error (r, 400, "bad_json", NULL);
  }
  {
    g_autoptr(JsonNode) bad = deep_copy (policy);

    json_object_set_double_member (json_node_get_object (bad), "warning_ratio", 1.5);
    json_generator_set_root (gen, bad);
    g_free (body);
    body = json_generator_to_data (gen, NULL);
    {
      g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);

      assert_error (r, 400, "validation_failed", "warning_ratio");
    }
  }
  {
    g_autoptr(JsonNode) bad = deep_copy (policy);
    JsonObject *t = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (bad), "targets"), 0);

    json_object_set_int_member (json_object_get_object_member (t, "response"), "seconds", 0);
    json_generator_set_root (gen, bad);
    g_free (body);
    body = json_generator_to_data (gen, NULL);
    {
      g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);

      assert_error (r, 400, "validation_failed", "targets[0].response.seconds");
    }
  }
  {
    g_autoptr(JsonNode) bad = deep_copy (policy);

    json_object_set_string_member (json_object_get_object_member (json_node_get_object (bad),
                                                                  "calendar"),
                                   "time_zone", "Mars/Olympus_Mons");
    json_generator_set_root (gen, bad);
    g_free (body);
    body = json_generator_to_data (gen, NULL);
    {
      g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);

      assert_error (r, 400, "validation_failed", "calendar.time_zone");
    }
  }
  {
    g_autoptr(JsonNode) bad = deep_copy (policy);
    JsonArray *holidays = json_array_new ();

    json_array_add_string_element (holidays, "2026-02-30");
    json_object_set_array_member (json_object_get_object_member (json_node_get_object (bad),
                                                                 "calendar"),
                                  "holidays", holidays);
    json_generator_set_root (gen, bad);
    g_free (body);
    body = json_generator_to_data (gen, NULL);
    {
      g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);

      assert_error (r, 400, "validation_failed", "calendar.holidays[0]");
    }
  }
  {
    g_autoptr(JsonNode) bad = deep_copy (policy);

    json_object_remove_member (json_node_get_object (bad), "accept");
    json_generator_set_root (gen, bad);
    g_free (body);
    body = json_generator_to_data (gen, NULL);
    {
      g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);

      assert_error (r, 400, "validation_failed", "accept");
    }
  }

  /* Nothing of that was stored: still the defaults. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "agent", "GET", "/sla-policy", NULL, -1);

    assert_status (r, 200);
    g_assert_true (json_node_equal (r->body, policy));
  }
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM settings"), ==, 0);

  /* A good one: P3's first response in 1 h, warnings at 50 %. New tickets follow it. */
  {
    g_autoptr(JsonNode) good = deep_copy (policy);
    JsonObject *t = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (good), "targets"), 2);

    json_object_set_int_member (json_object_get_object_member (t, "response"), "seconds", 3600);
    json_object_set_double_member (json_node_get_object (good), "warning_ratio", 0.5);
    json_generator_set_root (gen, good);
    g_free (body);
    body = json_generator_to_data (gen, NULL);
    {
      g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);

      assert_status (r, 200);
      g_assert_true (json_node_equal (r->body, good));
    }
  }
  {
    g_autofree char *p3 = create_ticket (f, 3, "P3");
    g_autoptr(KefuTestResponse) r = get_ticket (f, p3);

    assert_time (sla_of (r), "response_due", "2026-11-23T09:00:00Z");
    step (f, "2026-11-23T08:30:00Z", "P3 warning/response/0>role:supervisor");
  }
}

/* An untouched ticket owes no progress update: a P3 registered at 08:00Z and left alone is
 * neither overdue nor alerted at 4 h or at 23 h, only its first response warns (19 h 12 min). */
static void
test_untouched_no_update (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *p3 = create_ticket (f, 3, "P3");

  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p3);

    assert_time (sla_of (r), "next_update_due", NULL);
    assert_time (sla_of (r), "response_due", "2026-11-24T08:00:00Z");
  }

  set_time (f, iso ("2026-11-23T12:00:00Z"));   /* 4 h */
  expect_alerts (f, "");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p3);

    g_assert_cmpstr (json_object_get_string_member (sla_of (r), "state"), ==, "ok");
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     0);
  }

  step (f, "2026-11-24T03:12:00Z", "P3 warning/response/0>role:supervisor");
  set_time (f, iso ("2026-11-24T07:00:00Z"));   /* 23 h */
  expect_alerts (f, "");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p3);

    assert_time (sla_of (r), "next_update_due", NULL);
    g_assert_cmpstr (json_object_get_string_member (sla_of (r), "state"), ==, "warning");
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     0);
  }
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM alerts WHERE clock = 'update'"), ==, 0);
}

/* Once accepted, the update clock runs from the acceptance (a contact before it doesn't
 * count). */
static void
test_update_from_acceptance (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *p3 = create_ticket (f, 3, "P3");

  set_time (f, iso ("2026-11-23T08:05:00Z"));
  contact (f, p3);
  assign (f, p3, "technician");                      /* accept due 09:05Z, warning 08:53Z */
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p3);

    assert_time (sla_of (r), "next_update_due", NULL);
  }

  /* Accepted 08:30Z: updates every 4 h from then → 12:30Z, warning at 3 h 12 min → 11:42Z. */
  set_time (f, iso ("2026-11-23T08:30:00Z"));
  {
    g_autoptr(KefuTestResponse) r = act (f, "technician", p3, "accept", NULL);

    assert_time (sla_of (r), "next_update_due", "2026-11-23T12:30:00Z");
  }
  step (f, "2026-11-23T11:42:00Z", "P3 warning/update/0>user:technician");
  step (f, "2026-11-23T12:30:00Z", "P3 breach/update/1>role:supervisor@technical");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p3);

    g_assert_cmpstr (json_object_get_string_member (sla_of (r), "state"), ==, "breached");
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "escalation_level"), ==,
                     1);
  }
}

static void
assert_promise (KefuTestResponse *r,
                gint64            seconds,
                const char       *due)
{
  JsonObject *promise = json_object_get_object_member (sla_of (r), "callback_promise");

  g_assert_nonnull (promise);
  g_assert_cmpint (json_object_get_int_member (promise, "seconds"), ==, seconds);
  g_assert_false (json_object_get_boolean_member (promise, "business"));
  assert_time (sla_of (r), "callback_due", due);
}

/* The call back promised at registration: 1 h for P1 (not its 2 h response target), the
 * response target for the others; kept on the ticket as said, whatever the policy says later. */
static void
test_callback_promise (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *p1 = create_ticket (f, 1, "P1");
  g_autofree char *p2 = create_ticket (f, 2, "P2");
  g_autofree char *p2b = NULL;
  g_autoptr(JsonNode) policy = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *body = NULL;
  JsonObject *root;

  expect_alerts (f, "P1 new_p1/-/0>role:supervisor");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p1);

    assert_promise (r, 3600, "2026-11-23T09:00:00Z");
    assert_time (sla_of (r), "response_due", "2026-11-23T10:00:00Z");
  }
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p2);

    assert_promise (r, 4 * 3600, "2026-11-23T12:00:00Z");
  }

  /* The policy says so, and an administrator may change it. */
  {
    g_autoptr(KefuTestResponse) r = call (f, "agent", "GET", "/sla-policy", NULL, -1);
    JsonObject *p1_target;

    assert_status (r, 200);
    policy = deep_copy (r->body);
    root = json_node_get_object (policy);
    p1_target = json_array_get_object_element (json_object_get_array_member (root, "targets"),
                                               0);
    g_assert_cmpint (json_object_get_int_member (
                       json_object_get_object_member (p1_target, "callback"), "seconds"), ==,
                     3600);
    g_assert_cmpint (json_object_get_int_member (root, "submitted_limit_seconds"), ==,
                     7 * 24 * 3600);
  }
  json_object_set_int_member (
    json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (root, "targets"), 1),
      "callback"), "seconds", 2 * 3600);
  json_generator_set_root (gen, policy);
  body = json_generator_to_data (gen, NULL);
  {
    g_autoptr(KefuTestResponse) r = call (f, "admin", "PUT", "/sla-policy", body, -1);

    assert_status (r, 200);
  }
  p2b = create_ticket (f, 2, "P2b");
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p2b);

    assert_promise (r, 2 * 3600, "2026-11-23T10:00:00Z");
  }
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p2);

    assert_promise (r, 4 * 3600, "2026-11-23T12:00:00Z");   /* as promised then */
  }
}

/* The response and resolution clocks run from when the customer reported, within a limit. */
static void
test_submitted_at (Fixture       *f,
                   gconstpointer  data)
{
  /* Reported 05:00Z, registered 08:00Z: P2 response 4 h → 09:00Z (warning 08:12Z), resolution
   * 48 h → 2026-11-25T05:00Z; the accept clock still runs from the assignment. */
  g_autofree char *p2 = create_ticket_submitted (f, 2, "P2", "2026-11-23T05:00:00Z");
  /* Reported 30 days before: counted from the limit, 7 days before the registration. */
  g_autofree char *old = create_ticket_submitted (f, 2, "old", "2026-10-24T08:00:00Z");

  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, p2);

    assert_time (sla_of (r), "response_due", "2026-11-23T09:00:00Z");
    assert_time (sla_of (r), "resolve_due", "2026-11-25T05:00:00Z");
    assert_time (kefu_test_object (r), "submitted_at", "2026-11-23T05:00:00Z");
  }
  {
    g_autoptr(KefuTestResponse) r = get_ticket (f, old);

    assert_time (sla_of (r), "response_due", "2026-11-16T12:00:00Z");
    assert_time (sla_of (r), "resolve_due", "2026-11-18T08:00:00Z");
    /* The customer's own time stays as given. */
    assert_time (kefu_test_object (r), "submitted_at", "2026-10-24T08:00:00Z");
  }

  /* The old one was overdue on arrival: breached at once (the warnings are superseded). */
  set_time (f, iso ("2026-11-23T08:00:01Z"));
  expect_alerts (f, "old breach/resolve/1>role:supervisor; old breach/response/1>role:supervisor");
  /* The other's response clock started three hours before its registration. */
  step (f, "2026-11-23T08:12:00Z", "P2 warning/response/0>role:supervisor");
  step (f, "2026-11-23T09:00:00Z", "P2 breach/response/1>role:supervisor");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sla/p1-ladder", test_p1_ladder);
  ADD ("/sla/p2-p3-p4", test_p2_p3_p4);
  ADD ("/sla/pause", test_pause);
  ADD ("/sla/holiday-policy", test_holiday_policy);
  ADD ("/sla/accept-restarts", test_accept_restarts);
  ADD ("/sla/update-clock", test_update_clock);
  ADD ("/sla/restart-catch-up", test_restart_catch_up);
  ADD ("/sla/ack", test_ack);
  ADD ("/sla/recipients", test_recipients);
  ADD ("/sla/workflow-alerts", test_workflow_alerts);
  ADD ("/sla/policy-api", test_policy_api);
  ADD ("/sla/untouched-no-update", test_untouched_no_update);
  ADD ("/sla/update-from-acceptance", test_update_from_acceptance);
  ADD ("/sla/callback-promise", test_callback_promise);
  ADD ("/sla/submitted-at", test_submitted_at);

  return g_test_run ();
}
