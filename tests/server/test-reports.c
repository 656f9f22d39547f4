/* test-reports.c — /reports against a real server: every metric of docs/reports.md on a
 * dataset whose answers are known by construction, the CSAT trend by day and week, the CSV
 * export, bad periods, roles, and the back-fill of report_facts by migration 5
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's manual clock starts at 2026-11-23T08:00:00Z (T0), a Monday, 16:00 in the
 * server's zone (Asia/Shanghai). Every ticket is made and walked through the real API. Times
 * below are minutes after T0; each ticket is reported 5 minutes before it is registered, and
 * its response and resolution clocks count from the report. The expected figures are worked
 * out by hand from the story and DOMAIN.md's default policy (P2 4 h / 48 h, P3 24 h / 72 h, P4
 * 48 h; progress update every 4 h from the acceptance; accept 1 h; confirmation 1 h; reopen
 * 24 h):
 *
 *   A  P2 quality 功能故障, phone, technician, lead technical + supporting logistics:
 *      accepted 5, contacted 20, resolved 180, confirmed 5/5 → closed, SLA met
 *   B  P3 logistics «物流延迟, "加急"», online, technician2 (logistics): accepted 5; the
 *      progress update breaches at 245 (level 1) and the first response (24 h) at 1435;
 *      contacted 1500, resolved 1560, confirmed 2/5 → reopened, level 2; its new 24 h
 *      resolution clock runs out at 3000 → SLA breached
 *   C  P1 complaint, email: cancelled (duplicate) at once → counted in volume only
 *   D  P4 consultation 使用方法, phone: never touched, so it owes no progress update; the first
 *      response (48 h) breaches at 2875 (level 1) → SLA breached while still open
 *   E  P2 quality 功能故障, app, technician: accepted 5, contacted 60, resolved and confirmed
 *      3/5 (basically satisfied) at 120 → closed, SLA met
 *   F  P3 service 服务态度, social, technician, registered 2520 (Wed 25 Nov 10:00 local):
 *      accepted 2525, contacted 2530, resolved and confirmed 4/5 at 2580 → closed, SLA met
 *
 * The reports are read at 4000.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "kefu-test-server.h"
#include "kefu-ticket.h"

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

#define SUB_B "物流延迟, \"加急\""

typedef struct {
  KefuTestServer *ts;
  GHashTable     *tokens;   /* username → token */
  int             signed_in_at;           /* minutes after T0 of the oldest token */
  char           *a, *b, *c, *d, *e, *g;   /* ticket numbers (g is F) */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = kefu_test_server_new (FALSE);
  g_set_print_handler (NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->a);
  g_free (f->b);
  g_free (f->c);
  g_free (f->d);
  g_free (f->e);
  g_free (f->g);
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  g_clear_pointer (&f->ts, kefu_test_server_free);
}

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

/* Sets the server's clock to T0 + @minutes (the SLA scheduler has acted when it returns). */
static void
at (Fixture *f,
    int      minutes)
{
  kefu_manual_clock_set (kefu_test_server_get_clock (f->ts),
                         KEFU_TEST_START_USEC + minutes * MINUTE);
  /* Sessions last 24 hours: sign in again when the oldest could have expired. */
  if (minutes - f->signed_in_at >= 23 * 60)
    {
      g_hash_table_remove_all (f->tokens);
      f->signed_in_at = minutes;
    }
}

static void
assert_status (KefuTestResponse *r,
               guint             status)
{
  if (r->status != status)
    g_error ("expected HTTP %u, got %u: %s", status, r->status, r->raw);
}

static KefuTestResponse *
get (Fixture    *f,
     const char *username,
     const char *path)
{
  return kefu_test_request (f->ts, "GET", path, username ? token (f, username) : NULL, NULL,
                            NULL);
}

static char *
create (Fixture    *f,
        int         priority,
        const char *channel,
        const char *category,
        const char *subcategory)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(KefuTestResponse) r = NULL;
  /* Reported five minutes before it is registered: the clocks count from the report. */
  g_autofree char *submitted = kefu_time_to_iso8601 (
    kefu_clock_now (KEFU_CLOCK (kefu_test_server_get_clock (f->ts))) - 5 * MINUTE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, channel);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, category);
  json_builder_set_member_name (b, "subcategory");
  json_builder_add_string_value (b, subcategory);
  json_builder_set_member_name (b, "priority");
  json_builder_add_int_value (b, priority);
  json_builder_set_member_name (b, "customer");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "王小明");
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, "13800005678");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "客户反馈的问题");
  json_builder_set_member_name (b, "submitted_at");
  json_builder_add_string_value (b, submitted);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);

  r = kefu_test_request (f->ts, "POST", "/tickets", token (f, "agent"), body, NULL);
  assert_status (r, 201);
  return g_strdup (json_object_get_string_member (kefu_test_object (r), "number"));
}

/* POST /tickets/NUMBER/ACTION as @username with the ticket's current version. */
static void
act (Fixture    *f,
     const char *username,
     const char *number,
     const char *action,
     const char *body)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);
  g_autofree char *action_path = g_strdup_printf ("/tickets/%s/%s", number, action);
  g_autofree char *version = NULL;
  g_autoptr(KefuTestResponse) current = get (f, "supervisor", path);
  g_autoptr(KefuTestResponse) r = NULL;

  assert_status (current, 200);
  version = g_strdup_printf ("%" G_GINT64_FORMAT,
                             json_object_get_int_member (kefu_test_object (current), "version"));
  r = kefu_test_request (f->ts, "POST", action_path, token (f, username), body, version);
  assert_status (r, 200);
}

static void
assign (Fixture    *f,
        const char *number,
        const char *username,
        const char *department,
        const char *supporting)
{
  g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT ","
                                           "\"department\":\"%s\","
                                           "\"supporting_departments\":[%s]}",
                                           kefu_test_server_user_id (f->ts, username),
                                           department, supporting ? supporting : "");

  act (f, "supervisor", number, "assign", body);
}

static void
contact (Fixture    *f,
         const char *number)
{
  act (f, "agent", number, "notes", "{\"text\":\"已联系客户\",\"kind\":\"customer_contact\"}");
}

static void
resolve (Fixture    *f,
         const char *username,
         const char *number)
{
  act (f, username, number, "resolve", "{\"kind\":\"repair\",\"summary\":\"已处理\"}");
}

static void
confirm (Fixture    *f,
         const char *number,
         int         satisfaction)
{
  g_autofree char *body = g_strdup_printf ("{\"solved\":true,\"satisfaction\":%d}",
                                           satisfaction);

  act (f, "agent", number, "confirm", body);
}

/* The story of the header comment; ends with the clock at 4000. */
static void
build_dataset (Fixture *f)
{
  at (f, 0);
  f->a = create (f, 2, "phone", "quality", "功能故障");
  f->b = create (f, 3, "online", "logistics", SUB_B);
  f->c = create (f, 1, "email", "complaint", "服务投诉");
  f->d = create (f, 4, "phone", "consultation", "使用方法");
  f->e = create (f, 2, "app", "quality", "功能故障");
  assign (f, f->a, "technician", "technical", "\"logistics\"");
  assign (f, f->b, "technician2", "logistics", NULL);
  assign (f, f->e, "technician", "technical", NULL);
  act (f, "supervisor", f->c, "status", "{\"status\":\"cancelled\",\"reason\":\"duplicate\"}");

  at (f, 5);
  act (f, "technician", f->a, "accept", NULL);
  act (f, "technician2", f->b, "accept", NULL);
  act (f, "technician", f->e, "accept", NULL);

  at (f, 20);
  contact (f, f->a);

  at (f, 60);
  contact (f, f->e);

  at (f, 120);
  resolve (f, "technician", f->e);
  confirm (f, f->e, 3);

  at (f, 180);
  resolve (f, "technician", f->a);
  confirm (f, f->a, 5);

  at (f, 1500);
  contact (f, f->b);

  at (f, 1560);
  resolve (f, "technician2", f->b);
  confirm (f, f->b, 2);

  at (f, 2520);
  f->g = create (f, 3, "social", "service", "服务态度");
  assign (f, f->g, "technician", "technical", NULL);
  at (f, 2525);
  act (f, "technician", f->g, "accept", NULL);
  at (f, 2530);
  contact (f, f->g);
  at (f, 2580);
  resolve (f, "technician", f->g);
  confirm (f, f->g, 4);

  at (f, 4000);
}

static JsonObject *
summary (Fixture          *f,
         const char       *from,
         const char       *to,
         KefuTestResponse **keep)
{
  g_autofree char *path = g_strdup_printf ("/reports/summary?from=%s&to=%s", from, to);
  KefuTestResponse *r = get (f, "manager", path);

  assert_status (r, 200);
  *keep = r;
  return kefu_test_object (r);
}

static JsonObject *
member_object (JsonObject *object,
               const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, parts[i]);

      g_assert_nonnull (node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      object = json_node_get_object (node);
    }
  return object;
}

static void
assert_int (JsonObject *object,
            const char *name,
            gint64      expected)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("%s is not an integer", name);
  if (json_node_get_int (node) != expected)
    g_error ("%s: expected %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT, name, expected,
             json_node_get_int (node));
}

/* A number (integer or not) close to @expected. */
static void
assert_number (JsonObject *object,
               const char *name,
               double      expected)
{
  JsonNode *node = json_object_get_member (object, name);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    g_error ("%s is not a number", name);
  value = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                           : json_node_get_double (node);
  if (ABS (value - expected) > 1e-9)
    g_error ("%s: expected %.6f, got %.6f", name, expected, value);
}

static void
assert_null (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  if (!JSON_NODE_HOLDS_NULL (node))
    g_error ("%s: expected null", name);
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KefuTestResponse) r = NULL;
  g_autoptr(KefuTestResponse) week = NULL;
  g_autoptr(KefuTestResponse) empty = NULL;
  JsonObject *s, *o;
  JsonArray *array;

  build_dataset (f);

  /* Monday 23 November: A, B, C, D, E (F is on Wednesday). */
  s = summary (f, "2026-11-23", "2026-11-23", &r);
  g_assert_cmpstr (json_object_get_string_member (s, "from"), ==, "2026-11-23");
  g_assert_cmpstr (json_object_get_string_member (s, "to"), ==, "2026-11-23");
  g_assert_cmpstr (json_object_get_string_member (s, "generated_at"), ==,
                   "2026-11-26T02:40:00Z");
  assert_int (s, "tickets", 5);
  assert_int (s, "open", 2);              /* B reopened, D new */
  assert_int (s, "cancelled", 1);         /* C */

  o = member_object (s, "by_category");
  assert_int (o, "quality", 2);
  assert_int (o, "logistics", 1);
  assert_int (o, "service", 0);
  assert_int (o, "consultation", 1);
  assert_int (o, "complaint", 1);
  o = member_object (s, "by_channel");
  assert_int (o, "phone", 2);
  assert_int (o, "online", 1);
  assert_int (o, "email", 1);
  assert_int (o, "app", 1);
  assert_int (o, "social", 0);
  o = member_object (s, "by_priority");
  assert_int (o, "1", 1);
  assert_int (o, "2", 2);
  assert_int (o, "3", 1);
  assert_int (o, "4", 1);

  /* A 20, E 60, B 1500 minutes; nearest-rank p90 of three is the largest. */
  o = member_object (s, "first_response");
  assert_int (o, "count", 3);
  assert_number (o, "avg_minutes", (20.0 + 60.0 + 1500.0) / 3);
  assert_number (o, "p90_minutes", 1500);

  /* A 180, E 120; B's resolution was undone by the reopen. */
  o = member_object (s, "resolution");
  assert_int (o, "count", 2);
  assert_number (o, "avg_minutes", 150);
  assert_number (s, "resolution_rate", 2.0 / 4);

  /* A, E met; B (late response, then the reopened clock ran out) and D (no response by its
   * due) breached; C cancelled, left out. */
  o = member_object (s, "sla");
  assert_number (o, "compliance", 0.5);
  o = member_object (s, "sla.by_priority.1");
  assert_int (o, "met", 0);
  assert_int (o, "breached", 0);
  assert_null (o, "rate");
  o = member_object (s, "sla.by_priority.2");
  assert_int (o, "met", 2);
  assert_int (o, "breached", 0);
  assert_number (o, "rate", 1);
  o = member_object (s, "sla.by_priority.3");
  assert_int (o, "met", 0);
  assert_int (o, "breached", 1);
  assert_number (o, "rate", 0);
  o = member_object (s, "sla.by_priority.4");
  assert_int (o, "breached", 1);
  assert_number (o, "rate", 0);

  /* A 5, E 3, B 2. */
  o = member_object (s, "csat");
  assert_int (o, "count", 3);
  assert_number (o, "average", 10.0 / 3);
  assert_number (o, "satisfied_share", 1.0 / 3);
  assert_number (o, "basically_satisfied_share", 1.0 / 3);
  assert_number (o, "unsatisfied_share", 1.0 / 3);
  o = member_object (s, "csat.distribution");
  assert_int (o, "1", 0);
  assert_int (o, "2", 1);
  assert_int (o, "3", 1);
  assert_int (o, "4", 0);
  assert_int (o, "5", 1);

  /* Resolved at least once: A, E, B; reopened: B. */
  assert_number (s, "reopen_rate", 1.0 / 3);

  /* Highest level reached: D 1, B 2. */
  o = member_object (s, "escalations");
  assert_int (o, "level1", 1);
  assert_int (o, "level2", 1);
  assert_int (o, "total", 2);

  /* Of the four tickets that count (C is cancelled). */
  array = json_object_get_array_member (s, "top_subcategories");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  o = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "subcategory"), ==, "功能故障");
  g_assert_cmpstr (json_object_get_string_member (o, "category"), ==, "quality");
  assert_int (o, "count", 2);
  assert_number (o, "share", 0.5);
  o = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "subcategory"), ==, "使用方法");
  assert_number (o, "share", 0.25);
  o = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "subcategory"), ==, SUB_B);
  g_assert_cmpstr (json_object_get_string_member (o, "category"), ==, "logistics");
  assert_int (o, "count", 1);

  /* A: lead technical, supporting logistics, resolved in 180 minutes. */
  o = member_object (s, "cross_department");
  assert_int (o, "count", 1);
  assert_number (o, "avg_resolution_minutes", 180);
  array = json_object_get_array_member (o, "by_department");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  o = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "department"), ==, "logistics");
  assert_int (o, "count", 1);
  assert_number (o, "avg_resolution_minutes", 180);
  o = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "department"), ==, "technical");

  /* technician: A, E; technician2: B. */
  array = json_object_get_array_member (s, "technicians");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  o = json_array_get_object_element (array, 0);
  assert_int (o, "id", kefu_test_server_user_id (f->ts, "technician"));
  g_assert_cmpstr (json_object_get_string_member (o, "display_name"), ==, "Technician Liu");
  assert_int (o, "assigned", 2);
  assert_int (o, "open", 0);
  assert_int (o, "resolved", 2);
  assert_number (o, "avg_resolution_minutes", 150);
  assert_int (o, "csat_count", 2);
  assert_number (o, "csat_average", 4);
  o = json_array_get_object_element (array, 1);
  assert_int (o, "id", kefu_test_server_user_id (f->ts, "technician2"));
  assert_int (o, "assigned", 1);
  assert_int (o, "open", 1);
  assert_int (o, "resolved", 0);
  assert_null (o, "avg_resolution_minutes");
  assert_int (o, "csat_count", 1);
  assert_number (o, "csat_average", 2);

  /* The whole week adds F: P3, first response 10 min, resolved in 60, met, 4/5. */
  s = summary (f, "2026-11-23", "2026-11-29", &week);
  assert_int (s, "tickets", 6);
  assert_int (member_object (s, "by_category"), "service", 1);
  assert_int (member_object (s, "first_response"), "count", 4);
  assert_number (member_object (s, "first_response"), "p90_minutes", 1500);
  assert_number (member_object (s, "resolution"), "avg_minutes", (180.0 + 120.0 + 60.0) / 3);
  assert_number (member_object (s, "sla.by_priority.3"), "rate", 0.5);
  assert_number (member_object (s, "csat"), "average", 14.0 / 4);
  o = json_array_get_object_element (json_object_get_array_member (s, "technicians"), 0);
  assert_int (o, "assigned", 3);

  /* A long period is read in slices side by side (one per processor): 120 days around the
   * week put A–E and F in different slices, and the merged figures are the week's. */
  {
    g_autoptr(KefuTestResponse) long_period = NULL;
    JsonObject *l = summary (f, "2026-09-25", "2027-01-22", &long_period);
    g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), s);
    g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), l);
    g_autofree char *week_text = NULL;
    g_autofree char *long_text = NULL;

    for (guint i = 0; i < 3; i++)
      {
        const char *names[] = { "from", "to", "generated_at" };

        json_object_remove_member (s, names[i]);
        json_object_remove_member (l, names[i]);
      }
    week_text = json_to_string (a, FALSE);
    long_text = json_to_string (b, FALSE);
    g_assert_cmpstr (long_text, ==, week_text);
  }

  /* A period without tickets: zeros, and null wherever there is nothing to divide by. */
  s = summary (f, "2025-01-01", "2025-01-31", &empty);
  assert_int (s, "tickets", 0);
  assert_null (member_object (s, "first_response"), "avg_minutes");
  assert_null (member_object (s, "first_response"), "p90_minutes");
  assert_null (member_object (s, "resolution"), "avg_minutes");
  assert_null (s, "resolution_rate");
  assert_null (s, "reopen_rate");
  assert_null (member_object (s, "sla"), "compliance");
  assert_null (member_object (s, "csat"), "average");
  assert_null (member_object (s, "csat"), "satisfied_share");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "technicians")), ==,
                    0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s,
                                                                         "top_subcategories")),
                    ==, 0);
}

static void
assert_point (JsonArray  *points,
              guint       i,
              const char *start,
              gint64      count,
              double      average,
              double      share)
{
  JsonObject *p = json_array_get_object_element (points, i);

  g_assert_cmpstr (json_object_get_string_member (p, "start"), ==, start);
  assert_int (p, "count", count);
  if (count == 0)
    {
      assert_null (p, "average");
      assert_null (p, "satisfied_share");
    }
  else
    {
      assert_number (p, "average", average);
      assert_number (p, "satisfied_share", share);
    }
}

static void
test_trend (Fixture       *f,
            gconstpointer  data)
{
  build_dataset (f);

  /* Days: A 5, E 3, B 2 on the 23rd; F 4 on the 25th; the others empty. */
  {
    g_autoptr(KefuTestResponse) r = get (f, "supervisor",
                                         "/reports/csat-trend?from=2026-11-22&to=2026-11-26"
                                         "&bucket=day");
    JsonArray *points;

    assert_status (r, 200);
    g_assert_cmpstr (json_object_get_string_member (kefu_test_object (r), "bucket"), ==, "day");
    points = json_object_get_array_member (kefu_test_object (r), "points");
    g_assert_cmpuint (json_array_get_length (points), ==, 5);
    assert_point (points, 0, "2026-11-22", 0, 0, 0);
    assert_point (points, 1, "2026-11-23", 3, 10.0 / 3, 1.0 / 3);
    assert_point (points, 2, "2026-11-24", 0, 0, 0);
    assert_point (points, 3, "2026-11-25", 1, 4, 1);
    assert_point (points, 4, "2026-11-26", 0, 0, 0);
  }

  /* Weeks from Wednesday 18 Nov to Tuesday 1 Dec: the weeks of Monday 16, 23 and 30. */
  {
    g_autoptr(KefuTestResponse) r = get (f, "manager",
                                         "/reports/csat-trend?from=2026-11-18&to=2026-12-01"
                                         "&bucket=week");
    JsonArray *points;

    assert_status (r, 200);
    g_assert_cmpstr (json_object_get_string_member (kefu_test_object (r), "bucket"), ==, "week");
    points = json_object_get_array_member (kefu_test_object (r), "points");
    g_assert_cmpuint (json_array_get_length (points), ==, 3);
    assert_point (points, 0, "2026-11-16", 0, 0, 0);
    assert_point (points, 1, "2026-11-23", 4, 3.5, 0.5);
    assert_point (points, 2, "2026-11-30", 0, 0, 0);
  }

  /* A week bucket counts only the period's days: from Tuesday 24th, only F. */
  {
    g_autoptr(KefuTestResponse) r = get (f, "manager",
                                         "/reports/csat-trend?from=2026-11-24&to=2026-11-29"
                                         "&bucket=week");
    JsonArray *points;

    assert_status (r, 200);
    points = json_object_get_array_member (kefu_test_object (r), "points");
    g_assert_cmpuint (json_array_get_length (points), ==, 1);
    assert_point (points, 0, "2026-11-23", 1, 4, 1);
  }
}

/* RFC 4180: records of fields, quotes doubled inside quoted fields, CRLF line ends. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"' && field->len == 0)
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                {
                  g_string_append_c (field, *p);
                }
            }
          continue;
        }
      if (*p == ',')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
        }
      else if (*p == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
          fields = g_ptr_array_new ();
          p++;
        }
      else
        {
          g_assert_true (*p != '\n' && *p != '\r');   /* bare line breaks only inside quotes */
          g_string_append_c (field, *p);
        }
      p++;
    }
  g_assert_cmpuint (fields->len, ==, 0);   /* the last record ends with CRLF */
  g_ptr_array_free (fields, TRUE);
  g_string_free (field, TRUE);
  return records;
}

static const char *
metric (GPtrArray  *records,
        guint       from,
        const char *name)
{
  for (guint i = from; i < records->len; i++)
    {
      GStrv record = g_ptr_array_index (records, i);

      if (g_strv_length (record) == 2 && g_str_equal (record[0], name))
        return record[1];
    }
  g_error ("no metric %s", name);
  return NULL;
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(KefuTestResponse) r = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *header[] = { "number", "registered_at", "channel", "category", "subcategory",
                           "priority", "status", "assignee", "department",
                           "first_response_minutes", "resolution_minutes", "sla_met",
                           "escalation_level", "reopened", "satisfaction", NULL };
  GStrv row;
  guint blank = 0;

  build_dataset (f);

  r = get (f, "manager", "/reports/export.csv?from=2026-11-23&to=2026-11-23");
  assert_status (r, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==,
                   "text/csv; charset=utf-8");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Disposition"), ==,
                   "attachment; filename=\"kefu-report-2026-11-23-2026-11-23.csv\"");
  g_assert_true (g_str_has_prefix (r->raw, "\xEF\xBB\xBF"));
  g_assert_true (g_utf8_validate (r->raw, -1, NULL));
  /* The comma and the quotes of B's subcategory, quoted as RFC 4180 says. */
  g_assert_nonnull (strstr (r->raw, ",\"物流延迟, \"\"加急\"\"\","));

  records = parse_csv (r->raw + 3);
  g_assert_true (g_strv_equal ((const char * const *) g_ptr_array_index (records, 0), header));

  /* Five tickets in registration order (A, B, C, D, E), then a blank line. */
  for (guint i = 1; i < records->len; i++)
    {
      row = g_ptr_array_index (records, i);
      if (g_strv_length (row) == 1 && *row[0] == '\0')
        {
          blank = i;
          break;
        }
      g_assert_cmpuint (g_strv_length (row), ==, 15);
    }
  g_assert_cmpuint (blank, ==, 6);

  row = g_ptr_array_index (records, 1);
  g_assert_cmpstr (row[0], ==, f->a);
  g_assert_cmpstr (row[1], ==, "2026-11-23T16:00:00+08:00");
  g_assert_cmpstr (row[2], ==, "phone");
  g_assert_cmpstr (row[4], ==, "功能故障");
  g_assert_cmpstr (row[5], ==, "2");
  g_assert_cmpstr (row[6], ==, "closed");
  g_assert_cmpstr (row[7], ==, "Technician Liu");
  g_assert_cmpstr (row[8], ==, "technical");
  g_assert_cmpstr (row[9], ==, "20.0");
  g_assert_cmpstr (row[10], ==, "180.0");
  g_assert_cmpstr (row[11], ==, "yes");
  g_assert_cmpstr (row[12], ==, "0");
  g_assert_cmpstr (row[13], ==, "0");
  g_assert_cmpstr (row[14], ==, "5");

  row = g_ptr_array_index (records, 2);
  g_assert_cmpstr (row[0], ==, f->b);
  g_assert_cmpstr (row[4], ==, SUB_B);
  g_assert_cmpstr (row[6], ==, "reopened");
  g_assert_cmpstr (row[9], ==, "1500.0");
  g_assert_cmpstr (row[10], ==, "");
  g_assert_cmpstr (row[11], ==, "no");
  g_assert_cmpstr (row[12], ==, "2");
  g_assert_cmpstr (row[13], ==, "1");
  g_assert_cmpstr (row[14], ==, "2");

  row = g_ptr_array_index (records, 3);
  g_assert_cmpstr (row[0], ==, f->c);
  g_assert_cmpstr (row[6], ==, "cancelled");
  g_assert_cmpstr (row[11], ==, "");   /* cancelled: no SLA verdict */

  row = g_ptr_array_index (records, 4);
  g_assert_cmpstr (row[0], ==, f->d);
  g_assert_cmpstr (row[7], ==, "");    /* unassigned */
  g_assert_cmpstr (row[9], ==, "");
  g_assert_cmpstr (row[11], ==, "no");
  g_assert_cmpstr (row[12], ==, "1");

  /* Then the metrics, the same as the summary's. */
  row = g_ptr_array_index (records, blank + 1);
  g_assert_cmpstr (row[0], ==, "metric");
  g_assert_cmpstr (row[1], ==, "value");
  g_assert_cmpstr (metric (records, blank, "tickets"), ==, "5");
  g_assert_cmpstr (metric (records, blank, "cancelled"), ==, "1");
  g_assert_cmpstr (metric (records, blank, "by_category.quality"), ==, "2");
  g_assert_cmpstr (metric (records, blank, "resolution_rate"), ==, "0.5000");
  g_assert_cmpstr (metric (records, blank, "sla.by_priority.2.met"), ==, "2");
  g_assert_cmpstr (metric (records, blank, "sla.by_priority.1.rate"), ==, "");
  g_assert_cmpstr (metric (records, blank, "top_subcategories.3.subcategory"), ==, SUB_B);
  g_assert_cmpstr (metric (records, blank, "technicians.1.display_name"), ==, "Technician Liu");

  /* An empty period: the header, the blank line and the metrics. */
  {
    g_autoptr(KefuTestResponse) e = get (f, "supervisor",
                                         "/reports/export.csv?from=2025-01-01&to=2025-01-07");
    g_autoptr(GPtrArray) empty = NULL;

    assert_status (e, 200);
    empty = parse_csv (e->raw + 3);
    g_assert_cmpuint (g_strv_length (g_ptr_array_index (empty, 1)), ==, 1);
    g_assert_cmpstr (metric (empty, 1, "tickets"), ==, "0");
  }
}

/* Subcategories are typed by agents: the ones a spreadsheet would run as a formula come out
 * with a leading apostrophe, in the ticket rows and in the metrics; numbers do not. */
static void
test_csv_formulas (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *typed;
    const char *exported;
  } cases[] = {
    { "=HYPERLINK(\"http://evil.example/\",\"x\")",
      "'=HYPERLINK(\"http://evil.example/\",\"x\")" },
    { "+86 hotline", "'+86 hotline" },
    { "-2+3", "'-2+3" },
    { "@SUM(A1:A9)", "'@SUM(A1:A9)" },
    { "a=b", "a=b" },
  };
  g_autoptr(KefuTestResponse) r = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  guint blank = 0;

  at (f, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_ptr_array_add (numbers, create (f, 3, "phone", "quality", cases[i].typed));

  r = get (f, "manager", "/reports/export.csv?from=2026-11-23&to=2026-11-23");
  assert_status (r, 200);
  g_assert_null (strstr (r->raw, ",=HYPERLINK"));
  g_assert_null (strstr (r->raw, "\"=HYPERLINK"));
  records = parse_csv (r->raw + 3);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GStrv row = g_ptr_array_index (records, i + 1);

      g_assert_cmpstr (row[0], ==, g_ptr_array_index (numbers, i));
      g_assert_cmpstr (row[4], ==, cases[i].exported);
      g_assert_cmpstr (row[5], ==, "3");
    }
  for (guint i = 1; i < records->len && blank == 0; i++)
    {
      GStrv row = g_ptr_array_index (records, i);

      if (g_strv_length (row) == 1 && *row[0] == '\0')
        blank = i;
    }
  g_assert_cmpuint (blank, ==, G_N_ELEMENTS (cases) + 1);
  g_assert_cmpstr (metric (records, blank, "tickets"), ==, "5");
  for (guint i = 1; i <= G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("top_subcategories.%u.subcategory", i);
      const char *value = metric (records, blank, name);
      gboolean known = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        known |= g_str_equal (value, cases[j].exported);
      g_assert_true (known);
      g_assert_true (strchr ("=+-@", *value) == NULL);
    }
}

static void
test_bad_periods (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char *query;
    const char *field;
  } cases[] = {
    { "/reports/summary", "from" },
    { "/reports/summary?to=2026-11-23", "from" },
    { "/reports/summary?from=2026-11-23", "to" },
    { "/reports/summary?from=2026-11-3&to=2026-11-23", "from" },
    { "/reports/summary?from=2026-02-30&to=2026-03-01", "from" },
    { "/reports/summary?from=2026-11-01&to=20261130", "to" },
    { "/reports/summary?from=2026-11-23&to=2026-11-22", "to" },
    { "/reports/summary?from=2000-01-01&to=2026-11-23", "to" },
    { "/reports/summary?from=+2026-11-01&to=2026-11-30", "from" },
    { "/reports/csat-trend?from=2026-11-01&to=2026-11-30&bucket=month", "bucket" },
    { "/reports/csat-trend?from=2026-11-30&to=2026-11-01&bucket=week", "to" },
    { "/reports/export.csv?from=2026-11-01", "to" },
    { "/reports/export.csv?from=x&to=2026-11-30", "from" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KefuTestResponse) r = get (f, "manager", cases[i].query);

      if (r->status != 400)
        g_error ("%s: expected 400, got %u: %s", cases[i].query, r->status, r->raw);
      g_assert_cmpstr (kefu_test_error_code (r), ==, "validation_failed");
      g_assert_cmpstr (kefu_test_error_field (r), ==, cases[i].field);
    }

  /* The longest period allowed: 3700 days. */
  {
    g_autoptr(KefuTestResponse) r = get (f, "manager",
                                         "/reports/summary?from=2016-10-07&to=2026-11-23");

    assert_status (r, 200);
  }
  {
    g_autoptr(KefuTestResponse) r = get (f, "manager",
                                         "/reports/summary?from=2016-10-06&to=2026-11-23");

    assert_status (r, 400);
    g_assert_cmpstr (kefu_test_error_field (r), ==, "to");
  }
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  static const char *paths[] = {
    "/reports/summary?from=2026-11-23&to=2026-11-23",
    "/reports/csat-trend?from=2026-11-23&to=2026-11-23&bucket=day",
    "/reports/export.csv?from=2026-11-23&to=2026-11-23",
  };
  static const char *forbidden[] = { "agent", "technician", "admin" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      {
        g_autoptr(KefuTestResponse) r = get (f, NULL, paths[i]);

        assert_status (r, 401);
        g_assert_cmpstr (kefu_test_error_code (r), ==, "unauthenticated");
      }
      for (guint j = 0; j < G_N_ELEMENTS (forbidden); j++)
        {
          g_autoptr(KefuTestResponse) r = get (f, forbidden[j], paths[i]);

          assert_status (r, 403);
          g_assert_cmpstr (kefu_test_error_code (r), ==, "forbidden");
        }
      {
        g_autoptr(KefuTestResponse) r = get (f, "supervisor", paths[i]);

        assert_status (r, 200);
      }
      {
        g_autoptr(KefuTestResponse) r = get (f, "manager", paths[i]);

        assert_status (r, 200);
      }
    }
}

/* Drops report_facts and steps the schema back to 4, as before this feature (undoing the
 * later migrations too: 6 added two columns to tickets). */
static void
forget_facts (Fixture *f)
{
  g_autofree char *path = g_build_filename (kefu_test_server_get_data_dir (f->ts), "kefu.db",
                                            NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, "DROP TABLE report_facts; ALTER TABLE tickets DROP COLUMN phone_digits;"
                    " ALTER TABLE tickets DROP COLUMN email; PRAGMA user_version = 4;", NULL, NULL,
                    &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
}

static char *
summary_without_time (Fixture    *f,
                      const char *from,
                      const char *to)
{
  g_autoptr(KefuTestResponse) r = NULL;
  JsonObject *s = summary (f, from, to, &r);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), s);

  json_object_remove_member (s, "generated_at");
  return json_to_string (node, FALSE);
}

static void
test_backfill (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *csv_before = NULL;

  build_dataset (f);
  before = summary_without_time (f, "2026-11-23", "2026-11-29");
  {
    g_autoptr(KefuTestResponse) r = get (f, "manager",
                                         "/reports/export.csv?from=2026-11-23&to=2026-11-29");

    csv_before = g_strdup (r->raw);
  }

  /* Migration 5 rebuilds the facts from the tickets' documents, events and alerts. */
  forget_facts (f);
  kefu_test_server_restart (f->ts);
  g_hash_table_remove_all (f->tokens);
  after = summary_without_time (f, "2026-11-23", "2026-11-29");
  g_assert_cmpstr (after, ==, before);
  {
    g_autoptr(KefuTestResponse) r = get (f, "manager",
                                         "/reports/export.csv?from=2026-11-23&to=2026-11-29");
    const char *metrics_before = strstr (csv_before, "\r\n\r\n");
    const char *metrics_after = strstr (r->raw, "\r\n\r\n");

    /* The rows are the same; the metrics differ only by generated_at. */
    g_assert_nonnull (metrics_before);
    g_assert_nonnull (metrics_after);
    g_assert_cmpint (metrics_before - csv_before, ==, metrics_after - r->raw);
    g_assert_cmpint (memcmp (csv_before, r->raw, metrics_before - csv_before), ==, 0);
  }

  /* And the facts are kept current again from there. */
  at (f, 4100);
  contact (f, f->d);
  {
    g_autoptr(KefuTestResponse) r = NULL;
    JsonObject *s = summary (f, "2026-11-23", "2026-11-23", &r);

    assert_int (member_object (s, "first_response"), "count", 4);
    assert_int (member_object (s, "sla.by_priority.4"), "breached", 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/reports/summary", test_summary);
  ADD ("/reports/csat-trend", test_trend);
  ADD ("/reports/export-csv", test_csv);
  ADD ("/reports/export-csv-formulas", test_csv_formulas);
  ADD ("/reports/bad-periods", test_bad_periods);
  ADD ("/reports/roles", test_roles);
  ADD ("/reports/backfill", test_backfill);

  return g_test_run ();
}
