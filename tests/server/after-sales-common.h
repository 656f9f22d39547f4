/* after-sales-common.h — helpers shared by the issue-5 server tests (visits, returns,
 * attachments, permissions): a fixture with one real server, calls as a named user, tickets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Included by each test file (static helpers; each test is its own executable).
 */
#pragma once

#include <string.h>

#include "kefu-test-server.h"

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR   (MINUTE * 60)

typedef struct {
  KefuTestServer *ts;
  GHashTable     *tokens;   /* username → token */
} Fixture;

G_GNUC_UNUSED static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = kefu_test_server_new (FALSE);
  g_set_print_handler (NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

G_GNUC_UNUSED static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  g_clear_pointer (&f->ts, kefu_test_server_free);
}

static const char * G_GNUC_UNUSED
token (Fixture    *f,
       const char *username)
{
  const char *t = g_hash_table_lookup (f->tokens, username);

  if (t == NULL)
    {
      char *fresh = kefu_test_login (f->ts, username, "demo");

      g_assert_nonnull (fresh);
      g_hash_table_insert (f->tokens, g_strdup (username), fresh);
      t = fresh;
    }
  return t;
}

G_GNUC_UNUSED static void
advance (Fixture *f,
         gint64   usec)
{
  kefu_manual_clock_advance (kefu_test_server_get_clock (f->ts), usec);
}

/* A request as @username with If-Match @version (-1 = none). */
G_GNUC_UNUSED static KefuTestResponse *
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

G_GNUC_UNUSED static void
assert_status (KefuTestResponse *r,
               guint             status)
{
  if (r->status != status)
    g_error ("expected HTTP %u, got %u: %s", status, r->status, r->raw);
}

G_GNUC_UNUSED static void
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

/* Registers a ticket as the agent: @purchase_date and @address may be NULL. */
G_GNUC_UNUSED static char *
create_ticket (Fixture    *f,
               int         priority,
               const char *purchase_date,
               const char *address)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(KefuTestResponse) r = NULL;

  g_string_append_printf (body,
                          "{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":%d,"
                          "\"submitted_at\":\"2026-11-23T07:55:00Z\","
                          "\"description\":\"洗衣机无法开机\",\"customer\":{\"name\":\"王小明\","
                          "\"phone\":\"13812345678\"", priority);
  if (purchase_date != NULL)
    g_string_append_printf (body, ",\"purchase_date\":\"%s\"", purchase_date);
  if (address != NULL)
    g_string_append_printf (body, ",\"address\":\"%s\"", address);
  g_string_append (body, "}}");

  r = call (f, "agent", "POST", "/tickets", body->str, -1);
  assert_status (r, 201);
  return g_strdup (json_object_get_string_member (kefu_test_object (r), "number"));
}

G_GNUC_UNUSED static char *
ticket_path (const char *number,
             const char *rest)
{
  return g_strdup_printf ("/tickets/%s%s%s", number, rest ? "/" : "", rest ? rest : "");
}

/* The current version of the ticket (as the supervisor sees it). */
static gint64 G_GNUC_UNUSED
version_of (Fixture    *f,
            const char *number)
{
  g_autofree char *path = ticket_path (number, NULL);
  g_autoptr(KefuTestResponse) r = call (f, "supervisor", "GET", path, NULL, -1);

  assert_status (r, 200);
  return json_object_get_int_member (kefu_test_object (r), "version");
}

/* A ticket object fetched afresh (owned by @out_r). */
G_GNUC_UNUSED static JsonObject *
get_ticket (Fixture           *f,
            const char        *number,
            KefuTestResponse **out_r)
{
  g_autofree char *path = ticket_path (number, NULL);

  *out_r = call (f, "supervisor", "GET", path, NULL, -1);
  assert_status (*out_r, 200);
  return kefu_test_object (*out_r);
}

/* Posts @body to /tickets/{n}/@action as @user at the current version; asserts @status. */
G_GNUC_UNUSED static KefuTestResponse *
act (Fixture    *f,
     const char *user,
     const char *method,
     const char *number,
     const char *action,
     const char *body,
     guint       status)
{
  g_autofree char *path = ticket_path (number, action);
  KefuTestResponse *r = call (f, user, method, path, body, version_of (f, number));

  assert_status (r, status);
  return r;
}

/* Assigns to @technician (supervisor) and accepts (the technician). */
G_GNUC_UNUSED static void
assign_and_accept (Fixture    *f,
                   const char *number,
                   const char *technician)
{
  g_autofree char *body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT "}",
                                           kefu_test_server_user_id (f->ts, technician));
  g_autoptr(KefuTestResponse) a = act (f, "supervisor", "POST", number, "assign", body, 200);
  g_autoptr(KefuTestResponse) b = act (f, technician, "POST", number, "accept", NULL, 200);
}

G_GNUC_UNUSED static JsonObject *
array_last (JsonObject *object,
            const char *member)
{
  JsonArray *array = json_object_get_array_member (object, member);

  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), >, 0);
  return json_array_get_object_element (array, json_array_get_length (array) - 1);
}

/* The kinds of the ticket's timeline, comma-separated. */
G_GNUC_UNUSED static char *
event_kinds (JsonObject *ticket)
{
  JsonArray *events = json_object_get_array_member (ticket, "events");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (events); i++)
    g_string_append_printf (out, "%s%s", i ? "," : "",
                            json_object_get_string_member (
                              json_array_get_object_element (events, i), "kind"));
  return g_string_free (out, FALSE);
}

/* A few bytes that start like a JPEG file (the server checks the magic). */
G_GNUC_UNUSED static GBytes *
jpeg_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + 3);
  data[0] = 0xFF;
  data[1] = 0xD8;
  data[2] = 0xFF;
  data[3] = 0xE0;
  return g_bytes_new_take (data, size);
}

/* Uploads @bytes as @user; returns the response (status not checked). */
G_GNUC_UNUSED static KefuTestResponse *
upload (Fixture    *f,
        const char *user,
        const char *number,
        const char *name,
        const char *content_type,
        GBytes     *bytes)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/attachments?name=%s", number, escaped);

  return kefu_test_request_raw (f->ts, "POST", path, token (f, user), content_type, bytes);
}

/* Creates a user of @role in @department (as the admin), password "demo-password". */
G_GNUC_UNUSED static void
create_user (Fixture    *f,
             const char *username,
             const char *role,
             const char *department)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"display_name\":\"%s\","
                                           "\"role\":\"%s\",\"department\":\"%s\","
                                           "\"password\":\"demo-password\"}",
                                           username, username, role, department);
  g_autoptr(KefuTestResponse) r = call (f, "admin", "POST", "/users", body, -1);
  char *fresh;

  assert_status (r, 201);
  fresh = kefu_test_login (f->ts, username, "demo-password");
  g_assert_nonnull (fresh);
  g_hash_table_insert (f->tokens, g_strdup (username), fresh);
}
