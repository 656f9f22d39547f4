/* test-session.c — health, sign-in, throttling, sessions, users, departments, error shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-test-server.h"

static KefuTestServer *ts;

static void
assert_error (KefuTestResponse *r,
              guint             status,
              const char       *code)
{
  JsonObject *err;

  if (r->status != status)
    g_error ("expected %u %s, got %u: %s", status, code, r->status, r->raw);
  err = json_object_get_object_member (kefu_test_object (r), "error");
  g_assert_nonnull (err);
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, code);
  g_assert_true (json_object_has_member (err, "message"));
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==,
                   "application/json");
}

static void
test_health (void)
{
  g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "GET", "/health", NULL, NULL, NULL);
  JsonObject *obj;

  g_assert_cmpuint (r->status, ==, 200);
  obj = kefu_test_object (r);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (obj, "version"), ==, PACKAGE_VERSION);
}

static void
test_sign_in_every_role (void)
{
  const char *names[] = { "admin", "supervisor", "agent", "technician", "manager" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"demo\"}",
                                               names[i]);
      g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "POST", "/session", NULL, body,
                                                         NULL);
      g_autoptr(KefuTestResponse) me = NULL;
      JsonObject *obj, *user;
      const char *token;

      g_assert_cmpuint (r->status, ==, 201);
      obj = kefu_test_object (r);
      token = json_object_get_string_member (obj, "token");
      g_assert_cmpuint (strlen (token), >=, 22);   /* ≥ 128 bits, base64 */
      g_assert_true (json_object_has_member (obj, "expires_at"));
      user = json_object_get_object_member (obj, "user");
      g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, names[i]);
      g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, names[i]);
      g_assert_false (json_object_has_member (user, "password_hash"));

      me = kefu_test_request (ts, "GET", "/me", token, NULL, NULL);
      g_assert_cmpuint (me->status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (kefu_test_object (me), "role"), ==,
                       names[i]);
    }
}

static void
test_sign_in_errors (void)
{
  g_autoptr(KefuTestResponse) wrong = NULL;
  g_autoptr(KefuTestResponse) unknown = NULL;
  g_autoptr(KefuTestResponse) bad = NULL;
  g_autoptr(KefuTestResponse) missing = NULL;

  wrong = kefu_test_request (ts, "POST", "/session", NULL,
                             "{\"username\":\"agent\",\"password\":\"nope\"}", NULL);
  assert_error (wrong, 401, "unauthenticated");

  unknown = kefu_test_request (ts, "POST", "/session", NULL,
                               "{\"username\":\"nobody\",\"password\":\"demo\"}", NULL);
  assert_error (unknown, 401, "unauthenticated");
  /* the same answer whether or not the name exists */
  g_assert_cmpstr (wrong->raw, ==, unknown->raw);

  bad = kefu_test_request (ts, "POST", "/session", NULL, "{\"username\":", NULL);
  assert_error (bad, 400, "bad_json");

  missing = kefu_test_request (ts, "POST", "/session", NULL, "{\"username\":\"agent\"}", NULL);
  assert_error (missing, 400, "validation_failed");
  g_assert_cmpstr (kefu_test_error_field (missing), ==, "password");
}

static void
test_throttling (void)
{
  g_autoptr(KefuTestResponse) locked = NULL;
  g_autoptr(KefuTestResponse) later = NULL;
  g_autoptr(KefuTestResponse) other = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(KefuTestResponse) r =
        kefu_test_request (ts, "POST", "/session", NULL,
                           "{\"username\":\"technician2\",\"password\":\"guess\"}", NULL);
      assert_error (r, 401, "unauthenticated");
    }

  /* Now even the right password is refused from this address for a while (other addresses:
   * test-sign-in.c)… */
  locked = kefu_test_request (ts, "POST", "/session", NULL,
                              "{\"username\":\"technician2\",\"password\":\"demo\"}", NULL);
  assert_error (locked, 429, "too_many_attempts");
  g_assert_nonnull (soup_message_headers_get_one (locked->headers, "Retry-After"));

  /* …while other accounts can still sign in… */
  other = kefu_test_request (ts, "POST", "/session", NULL,
                             "{\"username\":\"manager\",\"password\":\"demo\"}", NULL);
  g_assert_cmpuint (other->status, ==, 201);

  /* …and after the window it works again. */
  kefu_manual_clock_advance (kefu_test_server_get_clock (ts), 16 * 60 * G_USEC_PER_SEC);
  later = kefu_test_request (ts, "POST", "/session", NULL,
                             "{\"username\":\"technician2\",\"password\":\"demo\"}", NULL);
  g_assert_cmpuint (later->status, ==, 201);
}

static void
test_session_lifecycle (void)
{
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  g_autoptr(KefuTestResponse) ok = NULL;
  g_autoptr(KefuTestResponse) del = NULL;
  g_autoptr(KefuTestResponse) after = NULL;
  g_autoptr(KefuTestResponse) none = NULL;
  g_autoptr(KefuTestResponse) junk = NULL;
  g_autoptr(KefuTestResponse) expired = NULL;
  g_autofree char *token2 = NULL;

  ok = kefu_test_request (ts, "GET", "/me", token, NULL, NULL);
  g_assert_cmpuint (ok->status, ==, 200);

  del = kefu_test_request (ts, "DELETE", "/session", token, NULL, NULL);
  g_assert_cmpuint (del->status, ==, 204);
  after = kefu_test_request (ts, "GET", "/me", token, NULL, NULL);
  assert_error (after, 401, "unauthenticated");

  none = kefu_test_request (ts, "GET", "/me", NULL, NULL, NULL);
  assert_error (none, 401, "unauthenticated");
  g_assert_nonnull (soup_message_headers_get_one (none->headers, "WWW-Authenticate"));
  junk = kefu_test_request (ts, "GET", "/me", "not-a-token", NULL, NULL);
  assert_error (junk, 401, "unauthenticated");

  /* Sessions expire. */
  token2 = kefu_test_login (ts, "agent", "demo");
  kefu_manual_clock_advance (kefu_test_server_get_clock (ts), 25 * G_TIME_SPAN_HOUR);
  expired = kefu_test_request (ts, "GET", "/me", token2, NULL, NULL);
  assert_error (expired, 401, "unauthenticated");
}

static void
test_users_and_departments (void)
{
  g_autofree char *admin = kefu_test_login (ts, "admin", "demo");
  g_autofree char *agent = kefu_test_login (ts, "agent", "demo");
  g_autofree char *path = NULL;
  g_autofree char *newbie = NULL;
  g_autoptr(KefuTestResponse) deps = NULL;
  g_autoptr(KefuTestResponse) users = NULL;
  g_autoptr(KefuTestResponse) created = NULL;
  g_autoptr(KefuTestResponse) dup = NULL;
  g_autoptr(KefuTestResponse) forbidden = NULL;
  g_autoptr(KefuTestResponse) bad_role = NULL;
  g_autoptr(KefuTestResponse) bad_dept = NULL;
  g_autoptr(KefuTestResponse) patched = NULL;
  g_autoptr(KefuTestResponse) gone = NULL;
  g_autoptr(KefuTestResponse) self_demote = NULL;
  JsonArray *arr;
  gint64 id;

  deps = kefu_test_request (ts, "GET", "/departments", agent, NULL, NULL);
  g_assert_cmpuint (deps->status, ==, 200);
  arr = json_object_get_array_member (kefu_test_object (deps), "departments");
  g_assert_cmpuint (json_array_get_length (arr), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr, 1), "name_zh"),
                   ==, "技术部");

  users = kefu_test_request (ts, "GET", "/users", agent, NULL, NULL);
  g_assert_cmpuint (users->status, ==, 200);
  arr = json_object_get_array_member (kefu_test_object (users), "users");
  g_assert_cmpuint (json_array_get_length (arr), >=, 6);

  forbidden = kefu_test_request (ts, "POST", "/users", agent,
                                 "{\"username\":\"x\",\"display_name\":\"X\",\"role\":\"agent\","
                                 "\"department\":\"technical\",\"password\":\"secret\"}", NULL);
  assert_error (forbidden, 403, "forbidden");

  created = kefu_test_request (ts, "POST", "/users", admin,
                               "{\"username\":\"wang.fang\",\"display_name\":\"王芳\","
                               "\"role\":\"technician\",\"department\":\"technical\","
                               "\"password\":\"Tea-Garden-Path-61\"}", NULL);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (kefu_test_object (created), "display_name"), ==,
                   "王芳");
  id = json_object_get_int_member (kefu_test_object (created), "id");
  newbie = kefu_test_login (ts, "wang.fang", "Tea-Garden-Path-61");

  dup = kefu_test_request (ts, "POST", "/users", admin,
                           "{\"username\":\"WANG.FANG\",\"display_name\":\"Dup\","
                           "\"role\":\"technician\",\"department\":\"technical\","
                           "\"password\":\"Tea-Garden-Path-61\"}", NULL);
  assert_error (dup, 409, "conflict");

  bad_role = kefu_test_request (ts, "POST", "/users", admin,
                                "{\"username\":\"x1\",\"display_name\":\"X\",\"role\":\"boss\","
                                "\"department\":\"technical\",\"password\":\"secret\"}", NULL);
  assert_error (bad_role, 400, "validation_failed");
  g_assert_cmpstr (kefu_test_error_field (bad_role), ==, "role");

  bad_dept = kefu_test_request (ts, "POST", "/users", admin,
                                "{\"username\":\"x2\",\"display_name\":\"X\",\"role\":\"agent\","
                                "\"department\":\"nowhere\","
                                "\"password\":\"Tea-Garden-Path-61\"}", NULL);
  assert_error (bad_dept, 400, "validation_failed");
  g_assert_cmpstr (kefu_test_error_field (bad_dept), ==, "department");

  /* Deactivating a user ends their sessions. */
  path = g_strdup_printf ("/users/%" G_GINT64_FORMAT, id);
  patched = kefu_test_request (ts, "PATCH", path, admin, "{\"active\":false}", NULL);
  g_assert_cmpuint (patched->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (kefu_test_object (patched), "active"));
  gone = kefu_test_request (ts, "GET", "/me", newbie, NULL, NULL);
  assert_error (gone, 401, "unauthenticated");

  g_free (path);
  path = g_strdup_printf ("/users/%" G_GINT64_FORMAT, kefu_test_server_user_id (ts, "admin"));
  self_demote = kefu_test_request (ts, "PATCH", path, admin, "{\"role\":\"agent\"}", NULL);
  assert_error (self_demote, 409, "conflict");
}

static void
test_error_shape (void)
{
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  g_autoptr(KefuTestResponse) nf = kefu_test_request (ts, "GET", "/nothing", token, NULL, NULL);
  g_autoptr(KefuTestResponse) outside = kefu_test_request (ts, "GET", "/../../x", NULL, NULL, NULL);
  g_autoptr(KefuTestResponse) method = kefu_test_request (ts, "PUT", "/me", token, "{}", NULL);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr(KefuTestResponse) media = kefu_test_request_raw (ts, "POST", "/session", NULL,
                                                            "text/plain", text);
  g_autoptr(GBytes) latin1 = g_bytes_new_static ("{\"username\":\"\xe9\"}", 16);
  g_autoptr(KefuTestResponse) utf8 = kefu_test_request_raw (ts, "POST", "/session", NULL,
                                                           "application/json", latin1);

  assert_error (nf, 404, "not_found");
  g_assert_cmpuint (outside->status, ==, 404);
  assert_error (method, 405, "method_not_allowed");
  assert_error (media, 415, "unsupported_media_type");
  assert_error (utf8, 400, "bad_json");
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  ts = kefu_test_server_new (FALSE);

  g_test_add_func ("/session/health", test_health);
  g_test_add_func ("/session/sign-in-every-role", test_sign_in_every_role);
  g_test_add_func ("/session/sign-in-errors", test_sign_in_errors);
  g_test_add_func ("/session/throttling", test_throttling);
  g_test_add_func ("/session/lifecycle", test_session_lifecycle);
  g_test_add_func ("/session/users-and-departments", test_users_and_departments);
  g_test_add_func ("/session/error-shape", test_error_shape);

  rc = g_test_run ();
  kefu_test_server_free (ts);
  return rc;
}
