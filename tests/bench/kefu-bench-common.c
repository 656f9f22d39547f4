/* kefu-bench-common.c — what the benchmarks share: realistic ticket bodies, spawning the real
 * server binary, signing in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kefu-bench-common.h"

/* ---- realistic ticket bodies ------------------------------------------------------------- */

static const struct {
  const char *channel;
  const char *stage;
  const char *category;
  const char *subcategory;
  int         priority;
  const char *name;
  const char *model;
  const char *description;
} samples[] = {
  { "phone", "after_sale", "quality", "无法开机", 2, "王先生", "KX-200",
    "客户来电：KX-200 开机三分钟后自动关机，指示灯闪红。Unit shuts down 3 min after power-on, "
    "red LED blinking; restart did not help." },
  { "online", "after_sale", "logistics", "物流延误", 3, "李女士", "KX-310",
    "订单已付款五天仍未发货，客户要求尽快处理。Order paid 5 days ago and still not shipped; "
    "customer asks for a date." },
  { "email", "in_sale", "consultation", "安装咨询", 4, "Chen Wei", "KX-120",
    "Customer asks whether the KX-120 wall bracket fits a 12 cm partition wall. 客户询问壁挂支架"
    "是否适用于 12 厘米隔墙。" },
  { "app", "after_sale", "complaint", "服务态度", 1, "赵女士", "KX-200",
    "客户投诉上门工程师迟到两小时且未提前通知。Engineer arrived two hours late without notice; "
    "customer wants a call back today." },
  { "web_form", "after_sale", "service", "上门维修", 2, "刘先生", "KX-500",
    "滤网更换后出现异响，需要安排上门检查。Rattling noise after the filter change; please "
    "book an on-site visit this week." },
};

char *
kefu_bench_submitted_at_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) earlier = g_date_time_add_seconds (now, -60);

  return g_date_time_format (earlier, "%Y-%m-%dT%H:%M:%SZ");
}

/* A POST /tickets body of about 450 bytes; @serial makes phone, e-mail and order unique (so
 * that duplicate lookups by phone or order stay realistic). */
void
kefu_bench_build_ticket_body (GString    *out,
                   guint64     serial,
                   const char *submitted_at)
{
  guint i = serial % G_N_ELEMENTS (samples);

  g_string_printf (out,
                   "{\"channel\":\"%s\",\"stage\":\"%s\",\"category\":\"%s\","
                   "\"subcategory\":\"%s\",\"priority\":%d,"
                   "\"customer\":{\"name\":\"%s\",\"phone\":\"139%08u\","
                   "\"email\":\"c%" G_GUINT64_FORMAT "@example.com\",\"order_no\":\"SO-%"
                   G_GUINT64_FORMAT "\",\"product_model\":\"%s\"},"
                   "\"description\":\"%s\",\"submitted_at\":\"%s\"}",
                   samples[i].channel, samples[i].stage, samples[i].category,
                   samples[i].subcategory, samples[i].priority, samples[i].name,
                   (guint) (serial % 100000000), serial, 880000 + serial, samples[i].model,
                   samples[i].description, submitted_at);
}

/* ---- the spawned server ------------------------------------------------------------------ */


char *
kefu_bench_find_server_binary (void)
{
  const char *env = g_getenv ("KEFU_SERVER_BINARY");
  g_autofree char *self = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
#ifdef KEFU_SERVER_BINARY
  if (g_file_test (KEFU_SERVER_BINARY, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (KEFU_SERVER_BINARY);
#endif
  /* BUILD/tests/bench/bench-NAME → BUILD/server/kefu-server */
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *candidate = g_build_filename (dir, "..", "..", "server", "kefu-server",
                                                     NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static void
drain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                   result, NULL, NULL);

  if (line != NULL)
    g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_LOW, NULL,
                                         drain_cb, NULL);
}

gboolean
kefu_bench_server_spawn (Server      *srv,
              const char  *data_dir,
              GError     **error)
{
  return kefu_bench_server_spawn_full (srv, data_dir, NULL, TRUE, error);
}

gboolean
kefu_bench_server_spawn_full (Server             *srv,
                              const char         *data_dir,
                              const char * const *extra_args,
                              gboolean            first_start,
                              GError            **error)
{
  g_autofree char *exe = kefu_bench_find_server_binary ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *pid_str;

  if (exe == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "cannot find kefu-server: set KEFU_SERVER_BINARY or use --server");
      return FALSE;
    }

  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  srv->proc = g_subprocess_newv ((const char * const *) argv->pdata,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (srv->proc == NULL)
    return FALSE;
  pid_str = g_subprocess_get_identifier (srv->proc);
  srv->pid = pid_str ? atoi (pid_str) : 0;
  srv->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (srv->proc));

  while (srv->port == 0)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (srv->out, NULL, NULL, error);
      const char *p;

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "%s exited before it listened", exe);
          return FALSE;
        }
      if ((p = strstr (line, "password: ")))
        srv->admin_password = g_strstrip (g_strdup (p + strlen ("password: ")));
      if ((p = strstr (line, "listening on http://127.0.0.1:")))
        {
          srv->port = atoi (p + strlen ("listening on http://127.0.0.1:"));
          srv->banner = g_strdup (line);
        }
    }

  if (srv->admin_password == NULL && first_start)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "the server did not print the administrator's password");
      return FALSE;
    }

  /* Keep its stdout flowing so the server never blocks on a full pipe. */
  g_data_input_stream_read_line_async (srv->out, G_PRIORITY_LOW, NULL, drain_cb, NULL);
  return TRUE;
}

void
kefu_bench_server_stop (Server *srv)
{
  if (srv->proc != NULL)
    {
      g_subprocess_send_signal (srv->proc, SIGTERM);
      g_subprocess_wait (srv->proc, NULL, NULL);
    }
  g_clear_object (&srv->out);
  g_clear_object (&srv->proc);
  g_clear_pointer (&srv->admin_password, g_free);
  g_clear_pointer (&srv->banner, g_free);
}

/* ---- blocking set-up calls --------------------------------------------------------------- */

JsonNode *
kefu_bench_call (SoupSession  *session,
      const char   *base,
      const char   *method,
      const char   *path,
      const char   *token,
      const char   *body,
      guint         expect,
      GError      **error)
{
  g_autofree char *url = g_strconcat (base, API_PREFIX, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *node;

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad URL %s", url);
      return NULL;
    }
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, error);
  if (bytes == NULL)
    return NULL;
  if (soup_message_get_status (msg) != expect)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: expected %u, got %u: %.*s",
                   method, path, expect, soup_message_get_status (msg),
                   (int) MIN (g_bytes_get_size (bytes), 400),
                   (const char *) g_bytes_get_data (bytes, NULL));
      return NULL;
    }
  node = json_from_string (g_bytes_get_size (bytes) ? g_bytes_get_data (bytes, NULL) : "{}",
                           error);
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    {
      json_node_unref (node);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: not a JSON object", method,
                   path);
      return NULL;
    }
  return node;
}

char *
kefu_bench_sign_in (SoupSession  *session,
         const char   *base,
         const char   *user,
         const char   *password,
         GError      **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body = NULL;
  JsonObject *obj;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, user);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  request = json_builder_get_root (b);
  body = json_to_string (request, FALSE);

  answer = kefu_bench_call (session, base, "POST", "/session", NULL, body, SOUP_STATUS_CREATED, error);
  if (answer == NULL)
    return NULL;
  obj = json_node_get_object (answer);
  if (!json_object_has_member (obj, "token"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "POST /session: no token");
      return NULL;
    }
  return g_strdup (json_object_get_string_member (obj, "token"));
}
