/* kefu-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kefu-auth.h"
#include "kefu-test-server.h"

struct _KefuTestServer
{
  gboolean      demo;
  char         *data_dir;
  KefuClock    *clock;
  char         *base_url;
  SoupSession  *session;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  KefuServer   *server;
  guint16       port;

  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GError       *error;
};

static const char *test_users[][4] = {
  /* username, display name, role, department */
  { "supervisor", "Supervisor Wang", "supervisor", "customer_service" },
  { "agent", "Agent Zhang", "agent", "customer_service" },
  { "technician", "Technician Liu", "technician", "technical" },
  { "technician2", "Technician Zhao", "technician", "technical" },
  { "manager", "Manager Sun", "manager", "customer_service" },
};

static const char *
demo_hash (void)
{
  static gsize once;
  static char *hash;

  if (g_once_init_enter (&once))
    {
      hash = kefu_auth_hash_password ("demo", NULL);
      g_once_init_leave (&once, 1);
    }
  return hash;
}

static gpointer
seed_users_job (KefuDb   *db,
                gpointer  data,
                GError  **error)
{
  gint64 now = *(gint64 *) data;
  sqlite3_stmt *stmt;

  stmt = kefu_db_prepare (db, "UPDATE users SET password_hash = ? WHERE username = 'admin'",
                          error);
  if (stmt == NULL)
    return NULL;
  kefu_db_bind_text (stmt, 1, demo_hash ());
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (test_users); i++)
    {
      stmt = kefu_db_prepare (db,
                              "INSERT OR IGNORE INTO users (username, display_name, role,"
                              " department, password_hash, active, created_at, updated_at)"
                              " VALUES (?, ?, ?, ?, ?, 1, ?, ?)", error);
      if (stmt == NULL)
        return NULL;
      for (guint j = 0; j < 4; j++)
        kefu_db_bind_text (stmt, j + 1, test_users[i][j]);
      kefu_db_bind_text (stmt, 5, demo_hash ());
      sqlite3_bind_int64 (stmt, 6, now);
      sqlite3_bind_int64 (stmt, 7, now);
      if (!kefu_db_step_done (db, stmt, error))
        return NULL;
    }
  return NULL;
}

static void
discard_print (const char *text)
{
}

static gpointer
server_thread (gpointer data)
{
  KefuTestServer *ts = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (ts->context);

  ts->server = kefu_server_new (ts->data_dir, ts->clock, KEFU_TEST_TIME_ZONE);
  kefu_server_set_demo (ts->server, ts->demo);
  if (kefu_server_start (ts->server, "127.0.0.1:0", &error) && !ts->demo)
    {
      gint64 now = kefu_clock_now (ts->clock);

      kefu_store_write_sync (kefu_server_get_store (ts->server), seed_users_job, &now, NULL,
                             &error);
    }

  g_mutex_lock (&ts->mutex);
  ts->port = kefu_server_get_port (ts->server);
  ts->error = g_steal_pointer (&error);
  ts->ready = TRUE;
  g_cond_signal (&ts->cond);
  g_mutex_unlock (&ts->mutex);

  if (ts->error == NULL)
    g_main_loop_run (ts->loop);

  kefu_server_stop (ts->server);
  g_clear_object (&ts->server);
  /* Let pending callbacks of the stopped server run out. */
  while (g_main_context_iteration (ts->context, FALSE))
    ;
  g_main_context_pop_thread_default (ts->context);
  return NULL;
}

static void
start (KefuTestServer *ts)
{
  GPrintFunc old_print;

  /* The first start prints the admin's password: keep it out of the TAP output. */
  old_print = g_set_print_handler (discard_print);
  ts->context = g_main_context_new ();
  ts->loop = g_main_loop_new (ts->context, FALSE);
  ts->ready = FALSE;
  ts->thread = g_thread_new ("kefu-test-server", server_thread, ts);

  g_mutex_lock (&ts->mutex);
  while (!ts->ready)
    g_cond_wait (&ts->cond, &ts->mutex);
  g_mutex_unlock (&ts->mutex);
  g_set_print_handler (old_print);

  g_assert_no_error (ts->error);
  g_assert_cmpuint (ts->port, >, 0);
  g_free (ts->base_url);
  ts->base_url = g_strdup_printf ("http://127.0.0.1:%u/api/v1", ts->port);
}

static gboolean
quit_in_thread (gpointer data)
{
  KefuTestServer *ts = data;

  g_main_loop_quit (ts->loop);
  return G_SOURCE_REMOVE;
}

static void
stop (KefuTestServer *ts)
{
  if (ts->thread == NULL)
    return;
  g_main_context_invoke (ts->context, quit_in_thread, ts);
  g_thread_join (g_steal_pointer (&ts->thread));
  g_clear_pointer (&ts->loop, g_main_loop_unref);
  g_clear_pointer (&ts->context, g_main_context_unref);
}

KefuTestServer *
kefu_test_server_new (gboolean demo)
{
  KefuTestServer *ts = g_new0 (KefuTestServer, 1);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&ts->mutex);
  g_cond_init (&ts->cond);
  ts->demo = demo;
  ts->data_dir = g_dir_make_tmp ("kefu-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->clock = kefu_manual_clock_new (KEFU_TEST_START_USEC);
  ts->session = soup_session_new_with_options ("timeout", 60, "max-conns", 256,
                                               "max-conns-per-host", 256, NULL);
  start (ts);
  return ts;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
kefu_test_server_free (KefuTestServer *ts)
{
  if (ts == NULL)
    return;
  stop (ts);
  g_clear_object (&ts->session);
  g_clear_object (&ts->clock);
  remove_tree (ts->data_dir);
  g_free (ts->data_dir);
  g_free (ts->base_url);
  g_clear_error (&ts->error);
  g_mutex_clear (&ts->mutex);
  g_cond_clear (&ts->cond);
  g_free (ts);
}

void
kefu_test_server_restart (KefuTestServer *ts)
{
  stop (ts);
  /* Connections to the old server are gone. */
  g_clear_object (&ts->session);
  ts->session = soup_session_new_with_options ("timeout", 60, "max-conns", 256,
                                               "max-conns-per-host", 256, NULL);
  start (ts);
}

KefuManualClock *
kefu_test_server_get_clock (KefuTestServer *ts)
{
  return KEFU_MANUAL_CLOCK (ts->clock);
}

const char *
kefu_test_server_get_data_dir (KefuTestServer *ts)
{
  return ts->data_dir;
}

const char *
kefu_test_server_get_base_url (KefuTestServer *ts)
{
  return ts->base_url;
}

guint16
kefu_test_server_get_port (KefuTestServer *ts)
{
  return ts->port;
}

KefuServer *
kefu_test_server_get_server (KefuTestServer *ts)
{
  return ts->server;
}

typedef struct {
  KefuTestServer *ts;
  GSourceFunc     func;
  gpointer        data;
  gboolean        done;
} Invoke;

static gboolean
invoke_cb (gpointer data)
{
  Invoke *inv = data;

  inv->func (inv->data);
  g_mutex_lock (&inv->ts->mutex);
  inv->done = TRUE;
  g_cond_broadcast (&inv->ts->cond);
  g_mutex_unlock (&inv->ts->mutex);
  return G_SOURCE_REMOVE;
}

void
kefu_test_server_invoke (KefuTestServer *ts,
                         GSourceFunc     func,
                         gpointer        data)
{
  Invoke inv = { ts, func, data, FALSE };

  g_main_context_invoke (ts->context, invoke_cb, &inv);
  g_mutex_lock (&ts->mutex);
  while (!inv.done)
    g_cond_wait (&ts->cond, &ts->mutex);
  g_mutex_unlock (&ts->mutex);
}

typedef struct {
  KefuTestServer *ts;
  const char     *username;
  gint64          id;
} UserLookup;

static gboolean
user_lookup_cb (gpointer data)
{
  UserLookup *ul = data;
  KefuDb *db = kefu_store_get_reader (kefu_server_get_store (ul->ts->server));
  g_autoptr(KefuUser) user = kefu_user_load_by_name (db, ul->username, NULL, NULL);

  ul->id = user ? user->id : 0;
  return G_SOURCE_REMOVE;
}

gint64
kefu_test_server_user_id (KefuTestServer *ts,
                          const char     *username)
{
  UserLookup ul = { ts, username, 0 };

  kefu_test_server_invoke (ts, user_lookup_cb, &ul);
  g_assert_cmpint (ul.id, >, 0);
  return ul.id;
}

static KefuTestResponse *
send_request (KefuTestServer *ts,
              const char     *method,
              const char     *path,
              const char     *token,
              const char     *content_type,
              GBytes         *body,
              const char     *if_match)
{
  g_autofree char *url = g_strconcat (ts->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers;
  KefuTestResponse *r;
  const char *data;
  gsize len;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  bytes = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);

  r = g_new0 (KefuTestResponse, 1);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  data = g_bytes_get_data (bytes, &len);
  r->raw = g_strndup (data, len);
  if (len > 0 && json_parser_load_from_data (parser, r->raw, len, NULL))
    r->body = json_parser_steal_root (parser);
  return r;
}

KefuTestResponse *
kefu_test_request_raw (KefuTestServer *ts,
                       const char     *method,
                       const char     *path,
                       const char     *token,
                       const char     *content_type,
                       GBytes         *body)
{
  return send_request (ts, method, path, token, content_type, body, NULL);
}

KefuTestResponse *
kefu_test_request (KefuTestServer *ts,
                   const char     *method,
                   const char     *path,
                   const char     *token,
                   const char     *json_body,
                   const char     *if_match)
{
  g_autoptr(GBytes) body = NULL;

  if (json_body != NULL)
    body = g_bytes_new (json_body, strlen (json_body));
  return send_request (ts, method, path, token, json_body ? "application/json" : NULL, body,
                       if_match);
}

void
kefu_test_response_free (KefuTestResponse *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->body, json_node_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r->raw);
  g_free (r);
}

char *
kefu_test_login (KefuTestServer *ts,
                 const char     *username,
                 const char     *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, password);
  g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "POST", "/session", NULL, body, NULL);
  JsonObject *obj;

  if (r->status != SOUP_STATUS_CREATED)
    g_error ("sign-in of %s failed: %u %s", username, r->status, r->raw);
  obj = kefu_test_object (r);
  g_assert_true (json_object_has_member (obj, "token"));
  return g_strdup (json_object_get_string_member (obj, "token"));
}

JsonObject *
kefu_test_object (KefuTestResponse *r)
{
  if (r->body == NULL || !JSON_NODE_HOLDS_OBJECT (r->body))
    g_error ("expected a JSON object, got %u: %s", r->status, r->raw);
  return json_node_get_object (r->body);
}

const char *
kefu_test_error_code (KefuTestResponse *r)
{
  JsonObject *obj = kefu_test_object (r);
  JsonObject *err;

  if (!json_object_has_member (obj, "error"))
    return NULL;
  err = json_object_get_object_member (obj, "error");
  return json_object_get_string_member (err, "code");
}

const char *
kefu_test_error_field (KefuTestResponse *r)
{
  JsonObject *obj = kefu_test_object (r);
  JsonObject *err;

  if (!json_object_has_member (obj, "error"))
    return NULL;
  err = json_object_get_object_member (obj, "error");
  if (!json_object_has_member (err, "field"))
    return NULL;
  return json_object_get_string_member (err, "field");
}
