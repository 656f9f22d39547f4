/* test-visits.c — field visits (上门服务) through the real API: scheduling with the warranty
 * worked out from the purchase date, reschedule with a reason, arrive, done with outcome,
 * cancel, the order of steps, fees only out of warranty, roles, persistence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manual clock starts at 2026-11-23T08:00:00Z (16:00 in Asia/Shanghai).
 */
#include "config.h"

#include <glib/gstdio.h>

#include "after-sales-common.h"
#include "kefu-db.h"
#include "kefu-schema.h"

static JsonObject *
visit_of (KefuTestResponse *r)
{
  return array_last (kefu_test_object (r), "visits");
}

static char *
visit_path (JsonObject *visit)
{
  return g_strdup_printf ("visits/%" G_GINT64_FORMAT, json_object_get_int_member (visit, "id"));
}

static void
test_flow (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 2, "2026-01-10", "上海市浦东新区世纪大道 100 号");
  g_autoptr(KefuTestResponse) r = NULL;
  g_autofree char *path = NULL;
  g_autofree char *kinds = NULL;
  JsonObject *visit, *event, *reschedule;
  gint64 version;

  assign_and_accept (f, number, "technician");
  version = version_of (f, number);

  /* A fee in warranty is refused. */
  {
    g_autoptr(KefuTestResponse) bad = act (f, "technician", "POST", number, "visits",
                                           "{\"scheduled_at\":\"2026-11-24T02:00:00Z\","
                                           "\"fee_cents\":5000}", 400);

    assert_error (bad, 400, "validation_failed", "fee_cents");
  }
  {
    g_autoptr(KefuTestResponse) bad = act (f, "technician", "POST", number, "visits",
                                           "{\"address\":\"x\"}", 400);

    assert_error (bad, 400, "validation_failed", "scheduled_at");
  }
  /* A body of white space only is answered, not dropped: 400 and no change. */
  {
    g_autoptr(KefuTestResponse) bad = act (f, "technician", "POST", number, "visits", "  \n",
                                           400);

    g_assert_nonnull (kefu_test_error_code (bad));
    g_assert_true (g_str_equal (kefu_test_error_code (bad), "validation_failed") ||
                   g_str_equal (kefu_test_error_code (bad), "bad_json"));
  }
  g_assert_cmpint (version_of (f, number), ==, version);

  r = act (f, "technician", "POST", number, "visits",
           "{\"scheduled_at\":\"2026-11-24T02:00:00Z\",\"parts\":\"主板\"}", 201);
  g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "version"), ==, version + 1);
  visit = visit_of (r);
  g_assert_cmpint (json_object_get_int_member (visit, "id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (visit, "status"), ==, "scheduled");
  g_assert_cmpstr (json_object_get_string_member (visit, "scheduled_at"), ==,
                   "2026-11-24T02:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (visit, "address"), ==,
                   "上海市浦东新区世纪大道 100 号");
  g_assert_cmpstr (json_object_get_string_member (visit, "warranty"), ==, "in");
  g_assert_cmpstr (json_object_get_string_member (visit, "warranty_until"), ==, "2027-01-10");
  g_assert_cmpstr (json_object_get_string_member (visit, "parts"), ==, "主板");
  g_assert_cmpint (json_object_get_int_member (visit, "fee_cents"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (visit, "technician"), "display_name"), ==,
                   "Technician Liu");
  g_assert_true (json_object_get_null_member (visit, "arrived_at"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (visit, "reschedules")),
                    ==, 0);
  event = array_last (kefu_test_object (r), "events");
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "visit");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "data"),
                                                  "action"), ==, "scheduled");
  path = visit_path (visit);
  g_clear_pointer (&r, kefu_test_response_free);

  /* Done before arriving: the wrong order. */
  r = act (f, "technician", "PATCH", number, path, "{\"action\":\"done\",\"outcome\":\"x\"}",
           409);
  assert_error (r, 409, "invalid_transition", NULL);
  g_clear_pointer (&r, kefu_test_response_free);

  /* Reschedule needs a reason. */
  r = act (f, "technician", "PATCH", number, path,
           "{\"action\":\"reschedule\",\"scheduled_at\":\"2026-11-25T03:00:00Z\"}", 400);
  assert_error (r, 400, "validation_failed", "reason");
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "technician", "PATCH", number, path, "{\"action\":\"fly\"}", 400);
  assert_error (r, 400, "validation_failed", "action");
  g_clear_pointer (&r, kefu_test_response_free);

  advance (f, HOUR);
  r = act (f, "technician", "PATCH", number, path,
           "{\"action\":\"reschedule\",\"scheduled_at\":\"2026-11-25T03:00:00Z\","
           "\"reason\":\"客户不在家\"}", 200);
  visit = visit_of (r);
  g_assert_cmpstr (json_object_get_string_member (visit, "scheduled_at"), ==,
                   "2026-11-25T03:00:00Z");
  reschedule = json_array_get_object_element (json_object_get_array_member (visit,
                                                                            "reschedules"), 0);
  g_assert_cmpstr (json_object_get_string_member (reschedule, "at"), ==, "2026-11-23T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (reschedule, "from"), ==,
                   "2026-11-24T02:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (reschedule, "to"), ==, "2026-11-25T03:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (reschedule, "reason"), ==, "客户不在家");
  g_assert_cmpstr (json_object_get_string_member (array_last (kefu_test_object (r), "events"),
                                                  "text"), ==, "客户不在家");
  g_clear_pointer (&r, kefu_test_response_free);

  advance (f, HOUR);
  r = act (f, "technician", "PATCH", number, path, "{\"action\":\"arrive\"}", 200);
  visit = visit_of (r);
  g_assert_cmpstr (json_object_get_string_member (visit, "status"), ==, "arrived");
  g_assert_cmpstr (json_object_get_string_member (visit, "arrived_at"), ==,
                   "2026-11-23T10:00:00Z");
  g_clear_pointer (&r, kefu_test_response_free);

  r = act (f, "technician", "PATCH", number, path, "{\"action\":\"arrive\"}", 409);
  assert_error (r, 409, "invalid_transition", NULL);
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "technician", "PATCH", number, path, "{\"action\":\"done\"}", 400);
  assert_error (r, 400, "validation_failed", "outcome");
  g_clear_pointer (&r, kefu_test_response_free);

  /* A stale version is turned away. */
  {
    g_autofree char *full = ticket_path (number, path);
    g_autoptr(KefuTestResponse) stale = call (f, "technician", "PATCH", full,
                                              "{\"action\":\"done\",\"outcome\":\"好了\"}",
                                              version);

    assert_error (stale, 409, "version_conflict", NULL);
  }

  advance (f, HOUR);
  r = act (f, "technician", "PATCH", number, path,
           "{\"action\":\"done\",\"outcome\":\"更换主板后正常开机\",\"parts\":\"主板 ×1\"}", 200);
  visit = visit_of (r);
  g_assert_cmpstr (json_object_get_string_member (visit, "status"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (visit, "done_at"), ==, "2026-11-23T11:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (visit, "outcome"), ==, "更换主板后正常开机");
  g_assert_cmpstr (json_object_get_string_member (visit, "parts"), ==, "主板 ×1");
  kinds = event_kinds (kefu_test_object (r));
  g_assert_true (g_str_has_suffix (kinds, "visit,visit,visit,visit"));
  g_clear_pointer (&r, kefu_test_response_free);

  r = act (f, "technician", "PATCH", number, path, "{\"action\":\"cancel\",\"reason\":\"x\"}",
           409);
  assert_error (r, 409, "invalid_transition", NULL);
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "technician", "PATCH", number, "visits/999999", "{\"action\":\"arrive\"}", 404);
  g_clear_pointer (&r, kefu_test_response_free);

  /* The visit is in the ticket list too, and survives a restart. */
  kefu_test_server_restart (f->ts);
  g_hash_table_remove_all (f->tokens);
  {
    g_autoptr(KefuTestResponse) list = call (f, "supervisor", "GET", "/tickets", NULL, -1);
    JsonObject *item;

    assert_status (list, 200);
    item = json_array_get_object_element (json_object_get_array_member (kefu_test_object (list),
                                                                        "tickets"), 0);
    g_assert_cmpstr (json_object_get_string_member (item, "number"), ==, number);
    visit = array_last (item, "visits");
    g_assert_cmpstr (json_object_get_string_member (visit, "status"), ==, "done");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (visit,
                                                                           "reschedules")), ==, 1);
    g_assert_nonnull (json_object_get_array_member (item, "returns"));
    g_assert_nonnull (json_object_get_array_member (item, "attachments"));
  }
}

static void
test_warranty_and_fee (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *old = create_ticket (f, 3, "2025-06-01", "北京市朝阳区 1 号");
  g_autofree char *unknown = create_ticket (f, 3, NULL, NULL);
  g_autoptr(KefuTestResponse) r = NULL;
  JsonObject *visit;

  assign_and_accept (f, old, "technician");
  assign_and_accept (f, unknown, "technician");

  /* Bought 2025-06-01: the year ended 2026-06-01, so the visit is paid. */
  r = act (f, "technician", "POST", old, "visits",
           "{\"scheduled_at\":\"2026-11-24T02:00:00Z\",\"fee_cents\":8000}", 201);
  visit = visit_of (r);
  g_assert_cmpstr (json_object_get_string_member (visit, "warranty"), ==, "out");
  g_assert_cmpstr (json_object_get_string_member (visit, "warranty_until"), ==, "2026-06-01");
  g_assert_cmpint (json_object_get_int_member (visit, "fee_cents"), ==, 8000);
  g_clear_pointer (&r, kefu_test_response_free);

  /* No address on file and none given. */
  r = act (f, "technician", "POST", unknown, "visits",
           "{\"scheduled_at\":\"2026-11-24T02:00:00Z\"}", 400);
  assert_error (r, 400, "validation_failed", "address");
  g_clear_pointer (&r, kefu_test_response_free);

  /* Unknown purchase date: out, unless the body says in (a warranty card seen on site). */
  r = act (f, "technician", "POST", unknown, "visits",
           "{\"scheduled_at\":\"2026-11-24T02:00:00Z\",\"address\":\"杭州市西湖区\"}", 201);
  visit = visit_of (r);
  g_assert_cmpstr (json_object_get_string_member (visit, "warranty"), ==, "out");
  g_assert_true (json_object_get_null_member (visit, "warranty_until"));
  g_assert_cmpstr (json_object_get_string_member (visit, "address"), ==, "杭州市西湖区");
  g_clear_pointer (&r, kefu_test_response_free);

  r = act (f, "technician", "POST", unknown, "visits",
           "{\"scheduled_at\":\"2026-11-26T02:00:00Z\",\"address\":\"杭州市西湖区\","
           "\"warranty\":\"in\",\"fee_cents\":100}", 400);
  assert_error (r, 400, "validation_failed", "fee_cents");
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "technician", "POST", unknown, "visits",
           "{\"scheduled_at\":\"2026-11-26T02:00:00Z\",\"address\":\"杭州市西湖区\","
           "\"warranty\":\"in\"}", 201);
  g_assert_cmpstr (json_object_get_string_member (visit_of (r), "warranty"), ==, "in");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (kefu_test_object (r),
                                                                         "visits")), ==, 2);
  g_clear_pointer (&r, kefu_test_response_free);

  /* A supervisor sends another technician; an agent is no technician. */
  {
    g_autofree char *body = g_strdup_printf ("{\"scheduled_at\":\"2026-11-27T02:00:00Z\","
                                             "\"technician_id\":%" G_GINT64_FORMAT "}",
                                             kefu_test_server_user_id (f->ts, "technician2"));
    g_autofree char *bad = g_strdup_printf ("{\"scheduled_at\":\"2026-11-27T02:00:00Z\","
                                            "\"technician_id\":%" G_GINT64_FORMAT "}",
                                            kefu_test_server_user_id (f->ts, "agent"));

    r = act (f, "supervisor", "POST", old, "visits", body, 201);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (visit_of (r), "technician"),
                       "display_name"), ==, "Technician Zhao");
    g_clear_pointer (&r, kefu_test_response_free);
    r = act (f, "supervisor", "POST", old, "visits", bad, 400);
    assert_error (r, 400, "validation_failed", "technician_id");
    g_clear_pointer (&r, kefu_test_response_free);
  }

  /* The visit's own technician (not the assignee) may move it on; another may not. */
  {
    g_autofree char *path = NULL;
    g_autoptr(KefuTestResponse) t = NULL;
    JsonObject *ticket = get_ticket (f, old, &t);

    path = visit_path (array_last (ticket, "visits"));
    r = act (f, "technician2", "PATCH", old, path, "{\"action\":\"arrive\"}", 200);
    g_clear_pointer (&r, kefu_test_response_free);
    g_free (path);
    path = g_strdup_printf ("visits/%" G_GINT64_FORMAT,
                            json_object_get_int_member (
                              json_array_get_object_element (
                                json_object_get_array_member (ticket, "visits"), 0), "id"));
    r = act (f, "technician2", "PATCH", old, path, "{\"action\":\"arrive\"}", 403);
    assert_error (r, 403, "forbidden", NULL);
    g_clear_pointer (&r, kefu_test_response_free);
    r = act (f, "technician", "PATCH", old, path, "{\"action\":\"cancel\"}", 400);
    assert_error (r, 400, "validation_failed", "reason");
    g_clear_pointer (&r, kefu_test_response_free);
    r = act (f, "technician", "PATCH", old, path,
             "{\"action\":\"cancel\",\"reason\":\"客户已自行修好\"}", 200);
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (
                         json_object_get_array_member (kefu_test_object (r), "visits"), 0),
                       "status"), ==, "cancelled");
  }
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, "2026-01-10", "上海");
  const char *refused[] = { "technician2", "agent", "manager", "admin" };

  assign_and_accept (f, number, "technician");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(KefuTestResponse) r = act (f, refused[i], "POST", number, "visits",
                                           "{\"scheduled_at\":\"2026-11-24T02:00:00Z\"}", 403);

      assert_error (r, 403, "forbidden", NULL);
    }
  /* Without If-Match: 428. */
  {
    g_autofree char *path = ticket_path (number, "visits");
    g_autoptr(KefuTestResponse) r = call (f, "technician", "POST", path,
                                          "{\"scheduled_at\":\"2026-11-24T02:00:00Z\"}", -1);

    assert_error (r, 428, "precondition_required", NULL);
  }
  {
    g_autoptr(KefuTestResponse) t = NULL;

    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (get_ticket (f, number, &t), "visits")),
                      ==, 0);
  }
}

/* Schema 4 on a database of schema 3: the new tables, and old documents gain the arrays. */
static void
test_migration (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kefu-visits-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) doc = NULL;
  g_autofree char *text = NULL;
  KefuDb *db;
  sqlite3_stmt *stmt;
  JsonObject *object;

  db = kefu_db_open (path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (kefu_schema_migrate (db, 3, &error));
  g_assert_true (kefu_db_exec (db,
                               "INSERT INTO tickets (number, version, status, priority, category,"
                               " channel, search, registered_at, updated_at, clock, doc)"
                               " VALUES ('FW20261123001', 1, 'new', 3, 'quality', 'phone', '',"
                               " 1, 1, '{}', '{\"number\":\"FW20261123001\",\"version\":1}');",
                               &error));
  g_assert_true (kefu_schema_migrate (db, 4, &error));
  g_assert_no_error (error);

  stmt = kefu_db_prepare (db, "SELECT doc FROM tickets", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = kefu_db_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  doc = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (doc);
  g_assert_cmpstr (json_object_get_string_member (object, "number"), ==, "FW20261123001");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "visits")), ==,
                    0);
  g_assert_nonnull (json_object_get_array_member (object, "returns"));
  g_assert_nonnull (json_object_get_array_member (object, "attachments"));
  g_assert_true (kefu_db_exec (db, "SELECT id, sha256 FROM attachments;"
                                   "SELECT technician_id FROM visits;"
                                   "SELECT review_due, pickup_due FROM returns;"
                                   "SELECT note FROM return_steps;", &error));
  kefu_db_close (db);

  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/visits/flow", Fixture, NULL, fixture_set_up, test_flow, fixture_tear_down);
  g_test_add ("/visits/warranty-and-fee", Fixture, NULL, fixture_set_up, test_warranty_and_fee,
              fixture_tear_down);
  g_test_add ("/visits/roles", Fixture, NULL, fixture_set_up, test_roles, fixture_tear_down);
  g_test_add_func ("/visits/migration", test_migration);

  return g_test_run ();
}
