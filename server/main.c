/* main.c — kefu-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <string.h>

#include "kefu-server.h"

#define DEFAULT_LISTEN "127.0.0.1:8765"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static char *
default_data_dir (void)
{
  const char *state = g_getenv ("STATE_DIRECTORY");   /* systemd StateDirectory= */

  if (state != NULL && *state != '\0')
    return g_strdup (state);
  return g_build_filename (g_get_user_data_dir (), "kefu-server", NULL);
}

/* The keys of [server] in a --config file: the long options of the same names (but
 * trusted-proxies, a list, for --trusted-proxy). */
static const char *const config_keys[] = {
  "listen", "data-dir", "time-zone", "tls-cert", "tls-key", "trusted-proxies", "max-connections",
  "head-timeout", "idle-timeout", NULL
};

/* A path of the configuration file, relative to the file's own directory. */
static char *
config_path (const char *config_dir,
             char       *value)
{
  char *path;

  if (g_path_is_absolute (value))
    return value;
  path = g_build_filename (config_dir, value, NULL);
  g_free (value);
  return path;
}

/* Fills the options the command line left unset from the [server] group of a GKeyFile (the
 * command line wins). A file that cannot be read or parsed, another group, an unknown key or
 * an empty value is an error, so that a typing mistake never passes for a default. */
static gboolean
load_config (const char  *path,
             char       **data_dir,
             char       **listen,
             char       **tls_cert,
             char       **tls_key,
             char       **time_zone,
             char       **trusted_proxies,
             char       **max_connections,
             char       **head_timeout,
             char       **idle_timeout,
             GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *config_dir = NULL;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) keys = NULL;
  struct { const char *key; char **value; gboolean is_path; } settings[] = {
    { "data-dir", data_dir, TRUE }, { "listen", listen, FALSE }, { "tls-cert", tls_cert, TRUE },
    { "tls-key", tls_key, TRUE }, { "time-zone", time_zone, FALSE },
    { "max-connections", max_connections, FALSE }, { "head-timeout", head_timeout, FALSE },
    { "idle-timeout", idle_timeout, FALSE },
    { "trusted-proxies", trusted_proxies, FALSE },
  };

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (!g_str_equal (groups[i], "server"))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                       "%s: unknown group [%s]; the settings belong in [server]", path,
                       groups[i]);
          return FALSE;
        }
    }

  if (!g_key_file_has_group (kf, "server"))
    return TRUE;   /* everything commented out: the defaults */

  keys = g_key_file_get_keys (kf, "server", NULL, error);
  if (keys == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (!g_strv_contains (config_keys, keys[i]))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) config_keys);

          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                       "%s: unknown key “%s” in [server] (known keys: %s)", path, keys[i],
                       known);
          return FALSE;
        }
    }

  config_dir = g_path_get_dirname (path);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      char *value;

      if (!g_key_file_has_key (kf, "server", settings[i].key, NULL))
        continue;

      value = g_key_file_get_string (kf, "server", settings[i].key, error);
      if (value == NULL)
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
      g_strstrip (value);
      if (value[0] == '\0')
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "%s: “%s” is empty; comment it out to use the default", path,
                       settings[i].key);
          g_free (value);
          return FALSE;
        }

      if (*settings[i].value != NULL)
        g_free (value);   /* given on the command line */
      else
        *settings[i].value = settings[i].is_path ? config_path (config_dir, value) : value;
    }

  return TRUE;
}

/* A whole number in [@min, @max] for option @name, or an error. */
static gboolean
parse_count (const char  *name,
             const char  *text,
             guint64      min,
             guint64      max,
             guint       *out,
             GError     **error)
{
  guint64 value;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                   ", not “%s”", name, min, max, text);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *config = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *time_zone = NULL;
  g_autofree char *max_connections = NULL;
  g_autofree char *head_timeout = NULL;
  g_autofree char *idle_timeout = NULL;
  KefuHttpGuardLimits limits = { 0 };
  guint head_s = 0, idle_s = 0;
  g_autofree char *trusted_proxies = NULL;
  gboolean demo = FALSE;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Where the database lives (default: $STATE_DIRECTORY or ~/.local/share/kefu-server)",
      "DIR" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address and port to listen on (default: " DEFAULT_LISTEN ")", "ADDRESS:PORT" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
      "Read settings from the [server] group of this key file (options given here win)",
      "FILE" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve HTTPS with this certificate (PEM)",
      "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The certificate's private key (PEM)",
      "FILE" },
    { "time-zone", 0, 0, G_OPTION_ARG_STRING, &time_zone,
      "Time zone of ticket numbers and the business calendar (default: the system's)", "ZONE" },
    { "max-connections", 0, 0, G_OPTION_ARG_STRING, &max_connections,
      "Open connections at most, WebSockets included (default: 4096, or what the open-file "
      "limit allows)", "N" },
    { "head-timeout", 0, 0, G_OPTION_ARG_STRING, &head_timeout,
      "Seconds a connection has to send a whole request head (default: 10)", "SECONDS" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_STRING, &idle_timeout,
      "Seconds a keep-alive connection may stay idle between requests (default: 60)",
      "SECONDS" },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING, &trusted_proxies,
      "Believe X-Forwarded-For from these reverse proxies (addresses or networks such as "
      "10.0.0.0/8, comma-separated)", "ADDR[,ADDR…]" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Seed demo accounts (password \"demo\") and tickets; loopback only", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;

  setlocale (LC_ALL, "");
  g_set_prgname ("kefu-server");

  context = g_option_context_new ("— the Kefu service desk server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("kefu-server: %s\n", error->message);
      return 2;
    }

  if (version)
    {
      g_print ("kefu-server %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (config != NULL &&
      !load_config (config, &data_dir, &listen, &tls_cert, &tls_key, &time_zone,
                    &trusted_proxies, &max_connections, &head_timeout, &idle_timeout, &error))
    {
      g_printerr ("kefu-server: %s\n", error->message);
      return 1;
    }

  if (time_zone != NULL)
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (time_zone);

      if (tz == NULL)
        {
          g_printerr ("kefu-server: unknown time zone “%s” (use a name such as Asia/Shanghai)\n",
                      time_zone);
          return 1;
        }
    }

  if (!parse_count ("max-connections", max_connections, 1, 1000000, &limits.max_connections,
                    &error) ||
      !parse_count ("head-timeout", head_timeout, 1, 3600, &head_s, &error) ||
      !parse_count ("idle-timeout", idle_timeout, 1, 86400, &idle_s, &error))
    {
      g_printerr ("kefu-server: %s\n", error->message);
      return 1;
    }
  limits.head_timeout_ms = head_s * 1000;
  limits.idle_timeout_ms = idle_s * 1000;

  /* Connections need descriptors: take what the hard limit allows (the unit sets it). */
  kefu_http_guard_raise_fd_limit ();

  if (data_dir == NULL)
    data_dir = default_data_dir ();
  if (listen == NULL)
    listen = g_strdup (DEFAULT_LISTEN);

  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("kefu-server: --tls-cert and --tls-key (tls-cert and tls-key) go together\n");
      return 1;
    }
  if (tls_cert != NULL)
    {
      cert = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (cert == NULL)
        {
          g_printerr ("kefu-server: cannot load the TLS certificate: %s\n", error->message);
          return 1;
        }
    }

  server = kefu_server_new (data_dir, NULL, time_zone);
  kefu_server_set_demo (server, demo);
  kefu_server_set_connection_limits (server, &limits);
  if (trusted_proxies != NULL &&
      !kefu_auth_set_trusted_proxies (kefu_server_get_auth (server), trusted_proxies, &error))
    {
      g_printerr ("kefu-server: %s\n", error->message);
      return 1;
    }
  if (cert != NULL)
    kefu_server_set_tls_certificate (server, cert);

  if (!kefu_server_start (server, listen, &error))
    {
      g_printerr ("kefu-server: %s\n", error->message);
      return 1;
    }

  {
    g_autofree char *host = g_strndup (listen, strrchr (listen, ':') - listen);

    g_print ("kefu-server %s listening on %s://%s:%u (data in %s)%s\n", PACKAGE_VERSION,
             cert ? "https" : "http", host, kefu_server_get_port (server), data_dir,
             demo ? " — demo mode" : "");
  }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  /* Queued writes commit before the store closes. */
  kefu_server_stop (server);
  return 0;
}
