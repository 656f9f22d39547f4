/* test-bounds.c — hostile JSON bodies: nesting that would overflow the stack, integers that
 * would wrap
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-test-server.h"

#define NUMBER "FW20261123001"   /* the format is all these checks need: nothing is loaded */

static void
assert_error (KefuTestResponse *r,
              guint             status,
              const char       *code,
              const char       *field)
{
  if (r->status != status)
    g_error ("expected %u %s, got %u: %s", status, code, r->status, r->raw);
  if (g_strcmp0 (kefu_test_error_code (r), code) != 0)
    g_error ("expected %s, got %s", code, r->raw);
  g_assert_cmpstr (kefu_test_error_code (r), ==, code);
  g_assert_cmpstr (kefu_test_error_field (r), ==, field);
}

static void
assert_healthy (KefuTestServer *ts)
{
  g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "GET", "/health", NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (kefu_test_object (r), "status"), ==, "ok");
}

static KefuTestResponse *
post_raw (KefuTestServer *ts,
          const char     *path,
          const char     *token,
          char           *body)   /* (transfer full) */
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (body, strlen (body));

  return kefu_test_request_raw (ts, "POST", path, token, "application/json", bytes);
}

/* {"username":"agent","password":"demo","x":[[…]]} with the array nested to @depth in all
 * (the object is level 1). */
static char *
session_body (guint depth)
{
  GString *s = g_string_new ("{\"username\":\"agent\",\"password\":\"demo\",\"x\":");

  for (guint i = 1; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 1; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* 100,000 levels of '[' in an anonymous sign-in: 400 bad_json, and the server lives. Before
 * the depth check this overflowed the main thread's stack inside json-glib (SIGSEGV). */
static void
test_deep_session (void)
{
  KefuTestServer *ts = kefu_test_server_new (FALSE);
  g_autoptr(KefuTestResponse) deep = NULL;
  g_autoptr(KefuTestResponse) mixed = NULL;
  g_autoptr(KefuTestResponse) at_limit = NULL;
  g_autoptr(KefuTestResponse) over = NULL;
  g_autoptr(KefuTestResponse) in_string = NULL;
  GString *m = g_string_new (NULL);

  deep = post_raw (ts, "/session", NULL, g_strnfill (100000, '['));
  assert_error (deep, 400, "bad_json", NULL);
  g_assert_nonnull (strstr (json_object_get_string_member (
                      json_object_get_object_member (kefu_test_object (deep), "error"),
                      "message"), "deeper than 64"));
  assert_healthy (ts);

  for (guint i = 0; i < 50000; i++)
    g_string_append (m, "{\"a\":[");
  mixed = post_raw (ts, "/session", NULL, g_string_free (m, FALSE));
  assert_error (mixed, 400, "bad_json", NULL);
  assert_healthy (ts);

  /* Exactly 64 levels is fine: the sign-in goes through. One more is not. */
  at_limit = post_raw (ts, "/session", NULL, session_body (64));
  if (at_limit->status != SOUP_STATUS_CREATED)
    g_error ("depth 64: %u %s", at_limit->status, at_limit->raw);
  g_assert_nonnull (json_object_get_string_member (kefu_test_object (at_limit), "token"));
  over = post_raw (ts, "/session", NULL, session_body (65));
  assert_error (over, 400, "bad_json", NULL);

  /* Brackets in strings are text, not nesting. */
  {
    g_autofree char *brackets = g_strnfill (5000, '[');

    in_string = post_raw (ts, "/session", NULL,
                          g_strdup_printf ("{\"username\":\"agent\",\"password\":\"demo\","
                                           "\"x\":\"\\\"%s\"}", brackets));
    g_assert_cmpuint (in_string->status, ==, SOUP_STATUS_CREATED);
  }

  assert_healthy (ts);
  kefu_test_server_free (ts);
}

/* Every JSON body goes through the same check: a ticket write and the SLA policy too. */
static void
test_deep_other_bodies (void)
{
  KefuTestServer *ts = kefu_test_server_new (FALSE);
  g_autofree char *agent = kefu_test_login (ts, "agent", "demo");
  g_autofree char *admin = kefu_test_login (ts, "admin", "demo");
  g_autoptr(KefuTestResponse) intake = NULL;
  g_autoptr(KefuTestResponse) policy = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_strnfill (100000, '{'), 100000);

  intake = post_raw (ts, "/tickets", agent, g_strnfill (100000, '['));
  assert_error (intake, 400, "bad_json", NULL);
  policy = kefu_test_request_raw (ts, "PUT", "/sla-policy", admin, "application/json", bytes);
  assert_error (policy, 400, "bad_json", NULL);
  assert_healthy (ts);

  kefu_test_server_free (ts);
}

static char *
intake_body (const char *priority)
{
  return g_strdup_printf (
    "{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":%s,"
    "\"customer\":{\"name\":\"王*\",\"phone\":\"13800001234\"},"
    "\"description\":\"洗衣机无法开机\",\"submitted_at\":\"2026-11-23T07:55:00Z\"}", priority);
}

/* Numbers outside the field's range are refused with the field, never wrapped: json-glib
 * reads -18446744073709551615 as 1, and -18446744073709551415 as 201. */
static void
test_priority_numbers (void)
{
  static const char * const bad[] = {
    "-18446744073709551615", "-18446744073709551415", "18446744073709551617",
    "9223372036854775808", "1e300", "2.5", "2.0", "\"2\"", "-1", "5", "true",
  };
  KefuTestServer *ts = kefu_test_server_new (FALSE);
  g_autofree char *agent = kefu_test_login (ts, "agent", "demo");
  g_autofree char *supervisor = kefu_test_login (ts, "supervisor", "demo");
  g_autofree char *body = intake_body ("2");
  g_autofree char *path = NULL;
  g_autoptr(KefuTestResponse) good = NULL;
  g_autoptr(KefuTestResponse) list = NULL;
  g_autoptr(KefuTestResponse) after = NULL;

  good = kefu_test_request (ts, "POST", "/tickets", agent, body, NULL);
  g_assert_cmpuint (good->status, ==, SOUP_STATUS_CREATED);
  path = g_strconcat ("/tickets/", json_object_get_string_member (kefu_test_object (good),
                                                                   "number"), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *b = intake_body (bad[i]);
      g_autofree char *patch = g_strdup_printf ("{\"priority\":%s}", bad[i]);
      g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "POST", "/tickets", agent, b, NULL);
      g_autoptr(KefuTestResponse) p = kefu_test_request (ts, "PATCH", path, supervisor, patch,
                                                         "1");

      g_test_message ("priority %s", bad[i]);
      assert_error (r, 400, "validation_failed", "priority");
      assert_error (p, 400, "validation_failed", "priority");
    }

  /* Nothing was created or changed by the refused ones. */
  list = kefu_test_request (ts, "GET", "/tickets", agent, NULL, NULL);
  g_assert_cmpuint (list->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      kefu_test_object (list), "tickets")), ==, 1);
  after = kefu_test_request (ts, "GET", path, agent, NULL, NULL);
  g_assert_cmpuint (after->status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (kefu_test_object (after), "priority"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (kefu_test_object (after), "version"), ==, 1);

  kefu_test_server_free (ts);
}

/* The other integers of write bodies: each refused with its field, before any change. */
static void
test_other_numbers (void)
{
  static const struct {
    const char *role;
    const char *method;
    const char *path;
    const char *body;
    const char *field;
  } cases[] = {
    { "supervisor", "POST", "/tickets/" NUMBER "/assign",
      "{\"assignee_id\":18446744073709551621}", "assignee_id" },
    { "supervisor", "POST", "/tickets/" NUMBER "/assign", "{\"assignee_id\":4.0}",
      "assignee_id" },
    { "supervisor", "POST", "/tickets/" NUMBER "/assign", "{\"assignee_id\":0}",
      "assignee_id" },
    { "supervisor", "POST", "/tickets/" NUMBER "/resolve",
      "{\"kind\":\"repair\",\"summary\":\"ok\",\"cost_cents\":1e300}", "cost_cents" },
    { "supervisor", "POST", "/tickets/" NUMBER "/resolve",
      "{\"kind\":\"repair\",\"summary\":\"ok\",\"cost_cents\":9223372036854775807}",
      "cost_cents" },
    { "supervisor", "POST", "/tickets/" NUMBER "/resolve",
      "{\"kind\":\"repair\",\"summary\":\"ok\",\"minutes_spent\":-5}", "minutes_spent" },
    { "agent", "POST", "/tickets/" NUMBER "/confirm",
      "{\"solved\":true,\"satisfaction\":-18446744073709551611}", "satisfaction" },
    { "agent", "POST", "/tickets/" NUMBER "/confirm",
      "{\"solved\":true,\"satisfaction\":\"5\"}", "satisfaction" },
    { "supervisor", "POST", "/tickets/" NUMBER "/visits",
      "{\"scheduled_at\":\"2026-11-24T02:00:00Z\",\"fee_cents\":2.5}", "fee_cents" },
    { "supervisor", "POST", "/tickets/" NUMBER "/visits",
      "{\"scheduled_at\":\"2026-11-24T02:00:00Z\",\"technician_id\":\"7\"}", "technician_id" },
    { "agent", "POST", "/tickets/" NUMBER "/returns",
      "{\"type\":\"exchange\",\"reason\":\"quality\",\"amount_cents\":-18446744073709551516}",
      "amount_cents" },
    { "agent", "POST", "/tickets/" NUMBER "/returns",
      "{\"type\":\"exchange\",\"reason\":\"quality\",\"attachment_ids\":[1,2.5]}",
      "attachment_ids" },
    { "agent", "POST", "/tickets/" NUMBER "/returns",
      "{\"type\":\"exchange\",\"reason\":\"quality\",\"attachment_ids\":[1,99999999999999999999]}",
      "attachment_ids[1]" },
  };
  KefuTestServer *ts = kefu_test_server_new (FALSE);
  g_autofree char *agent = kefu_test_login (ts, "agent", "demo");
  g_autofree char *supervisor = kefu_test_login (ts, "supervisor", "demo");
  g_autofree char *admin = kefu_test_login (ts, "admin", "demo");
  g_autoptr(KefuTestResponse) policy = NULL;
  g_autoptr(KefuTestResponse) alerts = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *token = g_str_equal (cases[i].role, "agent") ? agent : supervisor;
      g_autoptr(KefuTestResponse) r = kefu_test_request (ts, cases[i].method, cases[i].path,
                                                         token, cases[i].body, "1");

      g_test_message ("%s %s", cases[i].path, cases[i].body);
      assert_error (r, 400, "validation_failed", cases[i].field);
    }

  /* A nested field is named by its path. */
  policy = kefu_test_request (ts, "PUT", "/sla-policy", admin,
                              "{\"targets\":[{\"priority\":1,\"response\":{\"seconds\":"
                              "-18446744073709547215}}]}", NULL);
  assert_error (policy, 400, "validation_failed", "targets[0].response.seconds");

  /* Query integers are refused, not clamped. */
  alerts = kefu_test_request (ts, "GET", "/alerts?limit=18446744073709551617", supervisor,
                              NULL, NULL);
  assert_error (alerts, 400, "validation_failed", "limit");

  kefu_test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bounds/deep-session", test_deep_session);
  g_test_add_func ("/bounds/deep-other-bodies", test_deep_other_bodies);
  g_test_add_func ("/bounds/priority-numbers", test_priority_numbers);
  g_test_add_func ("/bounds/other-numbers", test_other_numbers);

  return g_test_run ();
}
