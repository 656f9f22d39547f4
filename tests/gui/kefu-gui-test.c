/* kefu-gui-test.c — what GUI tests share: a real demo server, waiting, screenshots
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kefu-gui-test.h"

struct _KefuGuiServer
{
  GSubprocess *process;
  char        *data_dir;
  guint16      port;
  char        *url;
  SoupSession *session;
};

/* Under Xvfb without a window manager GTK warns about focus changes it never hears of. */
static gboolean
fatal_log_handler (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (log_domain, "Gtk") == 0
      && strstr (message, "did not receive a focus-out event") != NULL)
    return FALSE;

  return TRUE;
}

void
kefu_gui_test_init (int    *argc,
                    char ***argv)
{
  const char *localedir;

  /* Before GTK starts: these are read once. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", KEFU_GUI_SCHEMA_DIR, TRUE);

  localedir = g_getenv ("KEFU_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = KEFU_GUI_LOCALE_DIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (argc, argv, NULL);
  /* Criticals stay fatal; warnings are printed (see fatal_log_handler for the known one). */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_log_set_fatal_handler (fatal_log_handler, NULL);
  adw_init ();
}

/* ---- the server -------------------------------------------------------------------------- */

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
server_is_healthy (KefuGuiServer *server)
{
  g_autofree char *url = g_strconcat (server->url, "/api/v1/health", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read (server->session, message, NULL, NULL);
  return bytes != NULL && soup_message_get_status (message) == SOUP_STATUS_OK;
}

/* A test that crashes takes its server with it. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
kefu_gui_server_start (KefuGuiServer *server)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  const char *binary;

  g_assert_null (server->process);

  binary = g_getenv ("KEFU_SERVER_BINARY");
  if (binary == NULL || binary[0] == '\0')
    binary = KEFU_GUI_SERVER_BINARY;

  listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, &error,
                                                 binary, "--demo", "--data-dir", server->data_dir,
                                                 "--listen", listen, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < 200; i++)
    {
      if (server_is_healthy (server))
        return;
      g_usleep (50 * 1000);
    }

  g_error ("The Kefu server (%s) did not start on %s", binary, server->url);
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
kefu_gui_server_stop (KefuGuiServer *server)
{
  g_autoptr(GSubprocess) process = g_steal_pointer (&server->process);
  gboolean done = FALSE;

  if (process == NULL)
    return;

  /* The test's own keep-alive connections would only fail on the next request. */
  soup_session_abort (server->session);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  if (!kefu_gui_wait (is_true, &done, 10000))
    {
      g_subprocess_force_exit (process);
      kefu_gui_wait (is_true, &done, 10000);
    }
}

KefuGuiServer *
kefu_gui_server_new (void)
{
  g_autoptr(GError) error = NULL;
  KefuGuiServer *server = g_new0 (KefuGuiServer, 1);

  server->data_dir = g_dir_make_tmp ("kefu-gui-XXXXXX", &error);
  g_assert_no_error (error);
  server->port = free_port ();
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  server->session = soup_session_new_with_options ("timeout", 10, NULL);

  kefu_gui_server_start (server);
  return server;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
kefu_gui_server_free (KefuGuiServer *server)
{
  if (server == NULL)
    return;

  kefu_gui_server_stop (server);
  remove_tree (server->data_dir);
  g_clear_object (&server->session);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server);
}

const char *
kefu_gui_server_get_url (KefuGuiServer *server)
{
  return server->url;
}

const char *
kefu_gui_server_get_data_dir (KefuGuiServer *server)
{
  return server->data_dir;
}

JsonNode *
kefu_gui_server_request (KefuGuiServer *server,
                         const char    *token,
                         const char    *method,
                         const char    *path,
                         const char    *json_body,
                         const char    *if_match,
                         guint         *status)
{
  g_autofree char *url = g_strconcat (server->url, "/api/v1", path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *body_now = NULL;
  SoupMessageHeaders *headers;
  gconstpointer data;
  gsize size;

  /* "@NOW@" in a body: a minute ago, in UTC (the time a customer reported, for example). */
  if (json_body != NULL && strstr (json_body, "@NOW@") != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) then = g_date_time_add_minutes (now, -1);
      g_autofree char *stamp = g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
      g_auto(GStrv) parts = g_strsplit (json_body, "@NOW@", -1);

      body_now = g_strjoinv (stamp, parts);
      json_body = body_now;
    }

  g_assert_nonnull (message);
  headers = soup_message_get_request_headers (message);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (message, "application/json", body);
    }

  bytes = soup_session_send_and_read (server->session, message, NULL, &error);
  g_assert_no_error (error);

  if (status != NULL)
    *status = soup_message_get_status (message);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

char *
kefu_gui_server_login (KefuGuiServer *server,
                       const char    *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"demo\"}",
                                           username);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = kefu_gui_server_request (server, NULL, "POST", "/session", body, NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_nonnull (answer);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
}

/* ---- waiting ----------------------------------------------------------------------------- */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
kefu_gui_wait (gboolean (*condition) (gpointer data),
               gpointer   data,
               guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id;
  guint wake_id;
  gboolean result;

  if (condition (data))
    return TRUE;

  timeout_id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  wake_id = g_timeout_add (10, wake_cb, NULL);

  while (!(result = condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);
  g_source_remove (wake_id);

  return result;
}

void
kefu_gui_run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- screenshots ------------------------------------------------------------------------- */

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

char *
kefu_gui_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  const char *dir;
  GskRenderer *renderer;
  int width;
  int height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  dir = g_getenv ("KEFU_SCREENSHOT_DIR");
  if (dir == NULL || dir[0] == '\0')
    dir = KEFU_GUI_SCREENSHOT_DIR;
  g_mkdir_with_parents (dir, 0755);

  /* Let pending layout and drawing happen first. */
  if (!kefu_gui_wait (widget_is_mapped, widget, 5000))
    g_error ("Cannot take the screenshot %s: the %s is not on screen (mapped)", name,
             G_OBJECT_TYPE_NAME (widget));
  kefu_gui_run_for (100);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  /* Right after a resize the widget may not have drawn its new size yet: give a loaded
   * machine a few frames before calling it a failure. */
  for (guint attempt = 0; attempt < 20 && node == NULL; attempt++)
    {
      if (attempt > 0)
        kefu_gui_run_for (100);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  if (node == NULL)
    g_error ("Cannot take the screenshot %s: the %s drew nothing", name,
             G_OBJECT_TYPE_NAME (widget));

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not save %s", path);

  g_test_message ("Screenshot: %s", path);
  return g_steal_pointer (&path);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  kefu_connection_sign_in_finish (KEFU_CONNECTION (object), result, &error);
  g_assert_no_error (error);
}

gboolean
kefu_gui_connection_ready (gpointer connection)
{
  return kefu_connection_get_user_id (connection) != 0 &&
         kefu_ticket_list_get_loaded (kefu_connection_get_tickets (connection));
}

KefuConnection *
kefu_gui_sign_in (KefuGuiServer *server,
                  const char    *username)
{
  KefuConnection *connection = kefu_connection_new ();

  kefu_connection_sign_in_async (connection, kefu_gui_server_get_url (server), username, "demo",
                                 NULL, sign_in_cb, NULL);
  g_assert_true (kefu_gui_wait (kefu_gui_connection_ready, connection, 10000));
  return connection;
}

JsonNode *
kefu_gui_api (KefuGuiServer *server,
              const char    *token,
              const char    *method,
              const char    *path,
              const char    *json_body,
              const char    *if_match,
              guint          expected_status)
{
  guint status = 0;
  JsonNode *answer = kefu_gui_server_request (server, token, method, path, json_body, if_match,
                                              &status);

  if (status != expected_status)
    g_error ("%s %s answered %u, not %u", method, path, status, expected_status);
  return answer;
}

JsonObject *
kefu_gui_object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

KefuApplication *
kefu_gui_application_new (void)
{
  KefuApplication *app = kefu_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  return app;
}

KefuWindow *
kefu_gui_window_new (KefuApplication *app,
                     KefuConnection  *connection,
                     int              width,
                     int              height)
{
  KefuWindow *window;

  if (connection == NULL)
    connection = kefu_application_get_connection (app);
  window = kefu_window_new (GTK_APPLICATION (app), connection);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

guint
kefu_gui_count_mapped (GtkWidget *root,
                       GType      type)
{
  guint n = 0;

  g_return_val_if_fail (GTK_IS_WIDGET (root), 0);

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return gtk_widget_get_mapped (root) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += kefu_gui_count_mapped (child, type);

  return n;
}

GtkWidget *
kefu_gui_find_mapped (GtkWidget     *root,
                      GType          type,
                      KefuGuiMatch   match,
                      gconstpointer  data)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return gtk_widget_get_mapped (root) && (match == NULL || match (root, data)) ? root : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kefu_gui_find_mapped (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
card_shows (GtkWidget     *widget,
            gconstpointer  number)
{
  KefuTicketObject *t = kefu_ticket_card_get_ticket (KEFU_TICKET_CARD (widget));

  return t != NULL && g_strcmp0 (kefu_ticket_object_get_number (t), number) == 0;
}

KefuTicketCard *
kefu_gui_find_card (GtkWidget  *root,
                    const char *number)
{
  return (KefuTicketCard *) kefu_gui_find_mapped (root, KEFU_TYPE_TICKET_CARD, card_shows,
                                                  number);
}

static gboolean
row_shows (GtkWidget     *widget,
           gconstpointer  id)
{
  KefuAlertObject *alert = kefu_alert_row_get_alert (KEFU_ALERT_ROW (widget));

  return alert != NULL && kefu_alert_object_get_id (alert) == *(const gint64 *) id;
}

KefuAlertRow *
kefu_gui_find_alert_row (GtkWidget *root,
                         gint64     id)
{
  return (KefuAlertRow *) kefu_gui_find_mapped (root, KEFU_TYPE_ALERT_ROW, row_shows, &id);
}

const char *
kefu_gui_language (void)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && g_str_has_prefix (language, "zh") ? "zh_CN" : "en";
}
