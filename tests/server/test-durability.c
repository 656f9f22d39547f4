/* test-durability.c — every create answered 201 survives kill -9 of the real server binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#define BURST 400
#define KILL_AFTER 150

typedef struct {
  GSubprocess      *proc;
  GDataInputStream *out;
  guint16           port;
  char             *admin_password;
  GPtrArray        *lines;
} Server;

static void
server_start (Server     *srv,
              const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("KEFU_SERVER_BINARY");

  g_assert_nonnull (exe);
  memset (srv, 0, sizeof *srv);
  srv->lines = g_ptr_array_new_with_free_func (g_free);
  srv->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--data-dir",
                                data_dir, "--listen", "127.0.0.1:0", "--time-zone",
                                "Asia/Shanghai", NULL);
  g_assert_no_error (error);
  srv->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (srv->proc));

  while (srv->port == 0)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (srv->out, NULL, NULL, &error);
      const char *p;

      g_assert_no_error (error);
      g_assert_nonnull (line);   /* the server died before listening */
      if ((p = strstr (line, "password: ")))
        srv->admin_password = g_strdup (p + strlen ("password: "));
      if ((p = strstr (line, "listening on http://127.0.0.1:")))
        srv->port = atoi (p + strlen ("listening on http://127.0.0.1:"));
      g_ptr_array_add (srv->lines, g_steal_pointer (&line));
    }
}

static void
server_kill (Server *srv)
{
  g_subprocess_send_signal (srv->proc, SIGKILL);
  g_subprocess_wait (srv->proc, NULL, NULL);
  g_clear_object (&srv->out);
  g_clear_object (&srv->proc);
  g_clear_pointer (&srv->admin_password, g_free);
  g_clear_pointer (&srv->lines, g_ptr_array_unref);
}

static JsonObject *
call (SoupSession *session,
      guint16      port,
      const char  *method,
      const char  *path,
      const char  *token,
      const char  *body,
      guint        expect,
      JsonNode   **holder)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != expect)
    g_error ("%s %s: expected %u, got %u: %.*s", method, path, expect,
             soup_message_get_status (msg), (int) g_bytes_get_size (bytes),
             (const char *) g_bytes_get_data (bytes, NULL));
  *holder = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  return *holder ? json_node_get_object (*holder) : NULL;
}

static char *
sign_in (SoupSession *session,
         guint16      port,
         const char  *user,
         const char  *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", user,
                                           password);
  g_autoptr(JsonNode) holder = NULL;
  JsonObject *obj = call (session, port, "POST", "/session", NULL, body, 201, &holder);

  return g_strdup (json_object_get_string_member (obj, "token"));
}

typedef struct {
  Server    *srv;
  GPtrArray *acked;       /* numbers answered 201 */
  guint      pending;
  guint      failed;
  gboolean   killed;
  GMainLoop *loop;
} Burst;

static void
create_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  if (bytes != NULL && soup_message_get_status (msg) == 201)
    {
      g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (bytes, NULL), NULL);

      g_assert_nonnull (node);
      g_ptr_array_add (burst->acked,
                       g_strdup (json_object_get_string_member (json_node_get_object (node),
                                                                "number")));
    }
  else
    burst->failed++;

  /* Pull the plug in the middle of the burst, with writes still in flight. */
  if (!burst->killed && burst->acked->len >= KILL_AFTER)
    {
      burst->killed = TRUE;
      g_subprocess_send_signal (burst->srv->proc, SIGKILL);
    }

  if (--burst->pending == 0)
    g_main_loop_quit (burst->loop);
}

static void
test_kill_9 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kefu-durability-XXXXXX", &error);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64,
                                                                  "max-conns-per-host", 64,
                                                                  NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *admin = NULL;
  g_autofree char *agent = NULL;
  g_autoptr(JsonNode) holder = NULL;
  Server srv;
  Burst burst = { &srv, acked, 0, 0, FALSE, loop };

  g_assert_no_error (error);
  server_start (&srv, dir);
  g_assert_nonnull (srv.admin_password);   /* first start prints it */
  g_assert_cmpuint (strlen (srv.admin_password), >=, 12);

  admin = sign_in (session, srv.port, "admin", srv.admin_password);
  g_clear_pointer (&holder, json_node_unref);
  call (session, srv.port, "POST", "/users", admin,
        "{\"username\":\"agent\",\"display_name\":\"Agent\",\"role\":\"agent\","
        "\"department\":\"customer_service\",\"password\":\"Durable-Tickets-26\"}", 201,
        &holder);
  agent = sign_in (session, srv.port, "agent", "Durable-Tickets-26");

  for (guint i = 0; i < BURST; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/tickets", srv.port);
      g_autofree char *auth = g_strconcat ("Bearer ", agent, NULL);
      g_autofree char *body = g_strdup_printf (
        "{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":3,"
        "\"customer\":{\"name\":\"客户%u\",\"phone\":\"1380000%04u\"},"
        "\"description\":\"burst %u\",\"submitted_at\":\"2026-11-23T08:00:00Z\"}", i, i, i);
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
      burst.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, create_done,
                                        &burst);
    }
  g_main_loop_run (loop);

  g_test_message ("%u creates acknowledged before and around kill -9, %u failed",
                  acked->len, burst.failed);
  g_assert_true (burst.killed);
  g_assert_cmpuint (acked->len, >=, KILL_AFTER);
  g_subprocess_wait (srv.proc, NULL, NULL);
  server_kill (&srv);

  /* Restart: the admin password is not printed again, and every acknowledged ticket is there. */
  server_start (&srv, dir);
  g_assert_null (srv.admin_password);
  g_clear_object (&session);
  session = soup_session_new ();
  g_free (agent);
  agent = sign_in (session, srv.port, "agent", "Durable-Tickets-26");

  for (guint i = 0; i < acked->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/tickets/%s",
                                               (char *) g_ptr_array_index (acked, i));
      g_autoptr(JsonNode) node = NULL;
      JsonObject *t = call (session, srv.port, "GET", path, agent, NULL, 200, &node);

      g_assert_cmpstr (json_object_get_string_member (t, "number"), ==,
                       g_ptr_array_index (acked, i));
    }

  server_kill (&srv);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/durability/kill-9", test_kill_9);
  return g_test_run ();
}
