/* test-permissions.c — every role against every ticket action, from one table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each cell runs on a ticket (or alert) prepared afresh in the state the action needs, so the
 * caller's role is the only thing that changes along a row; the expected status of each cell
 * is in the table below (docs/protocol.md carries the same table). "technician" is the
 * ticket's assignee wherever there is one; "technician2" is a technician who is not.
 */
#include "config.h"

#include "after-sales-common.h"

enum { AGENT, SUPERVISOR, TECHNICIAN, TECHNICIAN2, MANAGER, ADMIN, N_ROLES };

static const char * const roles[N_ROLES] = {
  "agent", "supervisor", "technician", "technician2", "manager", "admin",
};

/* What one cell sends. */
typedef struct {
  char   *method;
  char   *path;
  char   *body;
  gint64  version;        /* If-Match, -1 = none */
  GBytes *raw;            /* a raw body (attachments) instead of JSON */
  char   *content_type;
} Request;

static void
request_clear (Request *rq)
{
  g_free (rq->method);
  g_free (rq->path);
  g_free (rq->body);
  g_clear_pointer (&rq->raw, g_bytes_unref);
  g_free (rq->content_type);
}

typedef void (*Prepare) (Fixture *f, guint cell, Request *rq);

/* ---- ticket states ---------------------------------------------------------------------- */

static char *
new_ticket (Fixture *f)
{
  return create_ticket (f, 3, "2026-01-10", "上海市浦东新区世纪大道 100 号");
}

static char *
assigned_ticket (Fixture *f)
{
  char *number = new_ticket (f);
  g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                           kefu_test_server_user_id (f->ts, "technician"));
  g_autoptr(KefuTestResponse) r = act (f, "supervisor", "POST", number, "assign", body, 200);

  return number;
}

static char *
accepted_ticket (Fixture *f)
{
  char *number = assigned_ticket (f);
  g_autoptr(KefuTestResponse) r = act (f, "technician", "POST", number, "accept", NULL, 200);

  return number;
}

static char *
in_progress_ticket (Fixture *f)
{
  char *number = accepted_ticket (f);
  g_autoptr(KefuTestResponse) r = act (f, "technician", "POST", number, "status",
                                       "{\"status\":\"in_progress\"}", 200);

  return number;
}

static char *
resolved_ticket (Fixture *f)
{
  char *number = in_progress_ticket (f);
  g_autoptr(KefuTestResponse) r = act (f, "technician", "POST", number, "resolve",
                                       "{\"kind\":\"repair\",\"summary\":\"更换主板\"}", 200);

  return number;
}

static void
on_ticket (Fixture    *f,
           Request    *rq,
           char       *number,      /* (transfer full) */
           const char *method,
           const char *action,
           const char *body)
{
  rq->method = g_strdup (method);
  rq->path = ticket_path (number, action);
  rq->body = g_strdup (body);
  rq->version = version_of (f, number);
  g_free (number);
}

/* ---- one preparation per action ------------------------------------------------------- */

static void
prep_create (Fixture *f, guint cell, Request *rq)
{
  rq->method = g_strdup ("POST");
  rq->path = g_strdup ("/tickets");
  rq->body = g_strdup ("{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":3,"
                       "\"submitted_at\":\"2026-11-23T07:55:00Z\",\"description\":\"无法开机\","
                       "\"customer\":{\"name\":\"李四\",\"phone\":\"13900001111\"}}");
  rq->version = -1;
}

static void
prep_patch (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, new_ticket (f), "PATCH", NULL, "{\"subcategory\":\"屏幕闪烁\"}");
}

static void
prep_priority (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, new_ticket (f), "PATCH", NULL, "{\"priority\":2}");
}

static void
prep_assign (Fixture *f, guint cell, Request *rq)
{
  g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                           kefu_test_server_user_id (f->ts, "technician"));

  on_ticket (f, rq, new_ticket (f), "POST", "assign", body);
}

static void
prep_accept (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, assigned_ticket (f), "POST", "accept", NULL);
}

static void
prep_status (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, accepted_ticket (f), "POST", "status", "{\"status\":\"in_progress\"}");
}

static void
prep_cancel (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, assigned_ticket (f), "POST", "status",
             "{\"status\":\"cancelled\",\"reason\":\"duplicate\"}");
}

static void
prep_note (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, assigned_ticket (f), "POST", "notes", "{\"text\":\"内部备注\"}");
}

static void
prep_contact (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, assigned_ticket (f), "POST", "notes",
             "{\"kind\":\"customer_contact\",\"text\":\"已致电客户\"}");
}

static void
prep_resolve (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, in_progress_ticket (f), "POST", "resolve",
             "{\"kind\":\"repair\",\"summary\":\"更换主板\"}");
}

static void
prep_confirm (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, resolved_ticket (f), "POST", "confirm",
             "{\"solved\":true,\"satisfaction\":5}");
}

static void
prep_visit (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, accepted_ticket (f), "POST", "visits",
             "{\"scheduled_at\":\"2026-11-24T02:00:00Z\"}");
}

static void
prep_visit_update (Fixture *f, guint cell, Request *rq)
{
  char *number = accepted_ticket (f);
  g_autoptr(KefuTestResponse) r = act (f, "technician", "POST", number, "visits",
                                       "{\"scheduled_at\":\"2026-11-24T02:00:00Z\"}", 201);
  g_autofree char *action = g_strdup_printf ("visits/%" G_GINT64_FORMAT,
                                             json_object_get_int_member (
                                               array_last (kefu_test_object (r), "visits"),
                                               "id"));

  on_ticket (f, rq, number, "PATCH", action, "{\"action\":\"arrive\"}");
}

static void
prep_return (Fixture *f, guint cell, Request *rq)
{
  on_ticket (f, rq, new_ticket (f), "POST", "returns",
             "{\"type\":\"return_refund\",\"reason\":\"quality\"}");
}

static void
prep_return_update (Fixture *f, guint cell, Request *rq)
{
  char *number = new_ticket (f);
  g_autoptr(KefuTestResponse) r = act (f, "agent", "POST", number, "returns",
                                       "{\"type\":\"return_refund\",\"reason\":\"quality\"}", 201);
  g_autofree char *action = g_strdup_printf ("returns/%" G_GINT64_FORMAT,
                                             json_object_get_int_member (
                                               array_last (kefu_test_object (r), "returns"),
                                               "id"));

  on_ticket (f, rq, number, "PATCH", action, "{\"step\":\"approved\"}");
}

static void
prep_attachment (Fixture *f, guint cell, Request *rq)
{
  g_autofree char *number = assigned_ticket (f);

  rq->method = g_strdup ("POST");
  rq->path = g_strdup_printf ("/tickets/%s/attachments?name=photo.jpg", number);
  rq->raw = jpeg_bytes (256);
  rq->content_type = g_strdup ("image/jpeg");
  rq->version = -1;
}

static void
prep_attachment_get (Fixture *f, guint cell, Request *rq)
{
  g_autofree char *number = assigned_ticket (f);
  g_autoptr(GBytes) bytes = jpeg_bytes (256);
  g_autoptr(KefuTestResponse) r = upload (f, "agent", number, "photo.jpg", "image/jpeg", bytes);

  assert_status (r, 201);
  rq->method = g_strdup ("GET");
  rq->path = g_strdup_printf ("/attachments/%" G_GINT64_FORMAT,
                              json_object_get_int_member (kefu_test_object (r), "id"));
  rq->version = -1;
}

/* A new P1 raises new_p1 to every supervisor: acknowledge that alert. */
static void
prep_ack (Fixture *f, guint cell, Request *rq)
{
  g_autofree char *number = create_ticket (f, 1, NULL, NULL);
  g_autoptr(KefuTestResponse) r = call (f, "supervisor", "GET", "/alerts?state=open&limit=500",
                                        NULL, -1);
  JsonArray *alerts;
  gint64 id = 0;

  assert_status (r, 200);
  alerts = json_object_get_array_member (kefu_test_object (r), "alerts");
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (alerts, i);

      if (g_strcmp0 (json_object_get_string_member (alert, "number"), number) == 0)
        id = json_object_get_int_member (alert, "id");
    }
  g_assert_cmpint (id, >, 0);
  rq->method = g_strdup ("POST");
  rq->path = g_strdup_printf ("/alerts/%" G_GINT64_FORMAT "/ack", id);
  rq->version = -1;
}

static void
prep_policy (Fixture *f, guint cell, Request *rq)
{
  g_autoptr(KefuTestResponse) r = call (f, "supervisor", "GET", "/sla-policy", NULL, -1);

  assert_status (r, 200);
  rq->method = g_strdup ("PUT");
  rq->path = g_strdup ("/sla-policy");
  rq->body = json_to_string (r->body, FALSE);
  rq->version = -1;
}

static void
prep_user (Fixture *f, guint cell, Request *rq)
{
  rq->method = g_strdup ("POST");
  rq->path = g_strdup ("/users");
  rq->body = g_strdup_printf ("{\"username\":\"new%u\",\"display_name\":\"New %u\","
                              "\"role\":\"agent\",\"department\":\"customer_service\","
                              "\"password\":\"long-enough-1\"}", cell, cell);
  rq->version = -1;
}

static void
prep_users_get (Fixture *f, guint cell, Request *rq)
{
  rq->method = g_strdup ("GET");
  rq->path = g_strdup ("/users?role=technician");
  rq->version = -1;
}

static void
prep_reports (Fixture *f, guint cell, Request *rq)
{
  rq->method = g_strdup ("GET");
  rq->path = g_strdup ("/reports/summary?from=2026-11-01&to=2026-11-30");
  rq->version = -1;
}

/* ---- the table ------------------------------------------------------------------------ */

static const struct {
  const char *action;
  Prepare     prepare;
  /*            agent supervisor technician technician2 manager admin */
  guint       expect[N_ROLES];
} table[] = {
  { "POST /tickets (create)",          prep_create,         { 201, 201, 403, 403, 403, 403 } },
  { "PATCH /tickets/{n} (classify)",   prep_patch,          { 200, 200, 403, 403, 403, 403 } },
  { "PATCH /tickets/{n} (priority)",   prep_priority,       { 403, 200, 403, 403, 403, 403 } },
  { "POST …/assign",                   prep_assign,         { 403, 200, 403, 403, 403, 403 } },
  { "POST …/accept",                   prep_accept,         { 403, 403, 200, 403, 403, 403 } },
  { "POST …/status (in_progress)",     prep_status,         { 403, 200, 200, 403, 403, 403 } },
  { "POST …/status (cancelled)",       prep_cancel,         { 403, 200, 403, 403, 403, 403 } },
  { "POST …/notes (note)",             prep_note,           { 200, 200, 200, 200, 200, 403 } },
  { "POST …/notes (customer_contact)", prep_contact,        { 200, 200, 200, 403, 403, 403 } },
  { "POST …/resolve",                  prep_resolve,        { 403, 200, 200, 403, 403, 403 } },
  { "POST …/confirm",                  prep_confirm,        { 200, 200, 403, 403, 403, 403 } },
  { "POST …/visits",                   prep_visit,          { 403, 201, 201, 403, 403, 403 } },
  { "PATCH …/visits/{id}",             prep_visit_update,   { 403, 200, 200, 403, 403, 403 } },
  { "POST …/returns",                  prep_return,         { 201, 201, 403, 403, 403, 403 } },
  { "PATCH …/returns/{id}",            prep_return_update,  { 403, 200, 403, 403, 403, 403 } },
  { "POST …/attachments",              prep_attachment,     { 201, 201, 201, 201, 403, 403 } },
  { "GET /attachments/{id}",           prep_attachment_get, { 200, 200, 200, 200, 200, 200 } },
  { "POST /alerts/{id}/ack (new P1)",  prep_ack,            { 403, 200, 403, 403, 403, 403 } },
  { "PUT /sla-policy",                 prep_policy,         { 403, 403, 403, 403, 403, 200 } },
  { "POST /users",                     prep_user,           { 403, 403, 403, 403, 403, 201 } },
  { "GET /users?role=technician",      prep_users_get,      { 200, 200, 200, 200, 200, 200 } },
  /* Reports (issue 6): supervisors and managers. */
  { "GET /reports/summary",            prep_reports,        { 403, 200, 403, 403, 200, 403 } },
};

static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GString) failures = g_string_new (NULL);

  for (guint a = 0; a < G_N_ELEMENTS (table); a++)
    {
      for (guint role = 0; role < N_ROLES; role++)
        {
          Request rq = { 0 };
          g_autoptr(KefuTestResponse) r = NULL;
          const char *tok;

          table[a].prepare (f, a * N_ROLES + role, &rq);
          tok = token (f, roles[role]);
          if (rq.raw != NULL)
            {
              r = kefu_test_request_raw (f->ts, rq.method, rq.path, tok, rq.content_type,
                                         rq.raw);
            }
          else
            {
              g_autofree char *if_match = rq.version >= 0
                                          ? g_strdup_printf ("%" G_GINT64_FORMAT, rq.version)
                                          : NULL;

              r = kefu_test_request (f->ts, rq.method, rq.path, tok, rq.body, if_match);
            }

          if (r->status != table[a].expect[role])
            g_string_append_printf (failures, "\n  %s as %s: expected %u, got %u %s",
                                    table[a].action, roles[role], table[a].expect[role],
                                    r->status, r->raw);
          else if (r->status == 403)
            g_assert_cmpstr (kefu_test_error_code (r), ==, "forbidden");
          request_clear (&rq);
        }
    }

  if (failures->len > 0)
    g_error ("role × action table:%s", failures->str);
}

/* Cancelling needs a reason of duplicate, spam (or withdrawn), and records it. */
static void
test_cancel_reason (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *number = new_ticket (f);
  g_autoptr(KefuTestResponse) r = NULL;
  JsonObject *event;

  r = act (f, "supervisor", "POST", number, "status", "{\"status\":\"cancelled\"}", 400);
  assert_error (r, 400, "validation_failed", "reason");
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "supervisor", "POST", number, "status",
           "{\"status\":\"cancelled\",\"reason\":\"boring\"}", 400);
  assert_error (r, 400, "validation_failed", "reason");
  g_clear_pointer (&r, kefu_test_response_free);

  r = act (f, "supervisor", "POST", number, "status",
           "{\"status\":\"cancelled\",\"reason\":\"spam\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (kefu_test_object (r), "status"), ==,
                   "cancelled");
  event = array_last (kefu_test_object (r), "events");
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "data"),
                                                  "reason"), ==, "spam");
  g_assert_cmpstr (json_object_get_string_member (event, "text"), ==, "spam");
}

/* Re-prioritising recomputes the dues from the customer's report and is on the timeline. */
static void
test_priority (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *number = new_ticket (f);   /* P3, reported 07:55Z, registered 08:00Z */
  g_autoptr(KefuTestResponse) r = NULL;
  JsonObject *sla, *event;

  advance (f, HOUR);
  r = act (f, "supervisor", "PATCH", number, NULL, "{\"priority\":1}", 200);
  sla = json_object_get_object_member (kefu_test_object (r), "sla");
  /* P1: response 2 h, resolution 24 h from the report at 07:55Z. */
  g_assert_cmpstr (json_object_get_string_member (sla, "response_due"), ==,
                   "2026-11-23T09:55:00Z");
  g_assert_cmpstr (json_object_get_string_member (sla, "resolve_due"), ==,
                   "2026-11-24T07:55:00Z");
  event = array_last (kefu_test_object (r), "events");
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "priority");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (event, "data"),
                                               "from"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (event, "data"),
                                               "to"), ==, 1);
}

/* GET /users: the technicians' open workload, and ?role=. */
static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *a = assigned_ticket (f);
  g_autofree char *b = accepted_ticket (f);
  g_autofree char *c = resolved_ticket (f);    /* resolved: not open */
  g_autoptr(KefuTestResponse) r = call (f, "supervisor", "GET", "/users?role=technician", NULL,
                                        -1);
  JsonArray *users;
  guint seen = 0;

  assert_status (r, 200);
  users = json_object_get_array_member (kefu_test_object (r), "users");
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "technician");
      if (g_str_equal (json_object_get_string_member (user, "username"), "technician"))
        g_assert_cmpint (json_object_get_int_member (user, "open_tickets"), ==, 2);
      else
        g_assert_cmpint (json_object_get_int_member (user, "open_tickets"), ==, 0);
      seen++;
    }
  g_assert_cmpuint (seen, ==, 2);
  g_clear_pointer (&r, kefu_test_response_free);

  r = call (f, "supervisor", "GET", "/users", NULL, -1);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (kefu_test_object (r),
                                                                         "users")), ==, 6);
  g_clear_pointer (&r, kefu_test_response_free);
  r = call (f, "supervisor", "GET", "/users?role=boss", NULL, -1);
  assert_error (r, 400, "validation_failed", "role");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/permissions/table", Fixture, NULL, fixture_set_up, test_table,
              fixture_tear_down);
  g_test_add ("/permissions/cancel-reason", Fixture, NULL, fixture_set_up, test_cancel_reason,
              fixture_tear_down);
  g_test_add ("/permissions/priority", Fixture, NULL, fixture_set_up, test_priority,
              fixture_tear_down);
  g_test_add ("/permissions/users", Fixture, NULL, fixture_set_up, test_users,
              fixture_tear_down);

  return g_test_run ();
}
