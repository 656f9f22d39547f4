/* kefu-connection.c — the client's one link to a Kefu server
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-connection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kefu-client-enums.h"
#include "kefu-connection.h"
#include "kefu-error.h"
#include "kefu-ticket.h"

#define API_PREFIX        "/api/v1"
#define IO_TIMEOUT_SECS   30
#define IDLE_TIMEOUT_SECS 60

#define PAGE_SIZE              500        /* the most GET /tickets gives at once */
#define RECENT_CLOSED_DAYS     30         /* closed tickets loaded for the Tickets page */
#define MAX_BACKOFF_SECS       30
#define KEEPALIVE_SECS         20

struct _KefuConnection
{
  GObject              parent_instance;

  SoupSession         *session;

  KefuConnectionState  state;
  char                *server_url;
  char                *token;
  char                *username;
  char                *user_display_name;
  char                *role;
  gint64               user_id;
  char                *department;

  /* The sign-in in flight, if any; a newer one cancels it. */
  GCancellable        *sign_in_cancellable;
  guint                sign_in_serial;

  KefuTicketList      *tickets;

  /* The live part of a session: the event stream, the loading of the ticket list and the
   * reconnection timer. live_cancellable is cancelled when the session ends. */
  GCancellable        *live_cancellable;
  SoupWebsocketConnection *events;
  gint64               last_seq;          /* of the last event seen, -1 when none yet */
  gboolean             list_complete;     /* a load finished since the stream was opened */
  guint                load_serial;       /* a newer load makes an older one stop */
  guint                backoff_secs;      /* the next wait before reconnecting */
  guint                reconnect_source;
  gint64               reconnect_time;
  gboolean             connecting;        /* an event stream handshake is in flight */
  GNetworkMonitor     *network_monitor;
};

G_DEFINE_FINAL_TYPE (KefuConnection, kefu_connection, G_TYPE_OBJECT)

G_DEFINE_QUARK (kefu-connection-error-quark, kefu_connection_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SERVER_URL,
  PROP_USERNAME,
  PROP_USER_DISPLAY_NAME,
  PROP_ROLE,
  PROP_USER_ID,
  PROP_DEPARTMENT,
  PROP_RECONNECT_TIME,
  N_PROPS
};

enum {
  EVENT,
  SESSION_ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void stop_live (KefuConnection *self);
static void start_live (KefuConnection *self);

typedef struct
{
  SoupMessage  *message;
  char         *server_url;
  GCancellable *cancellable;         /* ours, cancelled by a newer sign-in or the caller's */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  guint         serial;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->message);
  g_free (data->server_url);
  g_free (data);
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* ---- notify-on-change setters ------------------------------------------------------------ */

static void
set_state (KefuConnection      *self,
           KefuConnectionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_string (KefuConnection  *self,
            char           **field,
            const char      *value,
            guint            prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_user_id (KefuConnection *self,
             gint64          user_id)
{
  if (self->user_id == user_id)
    return;

  self->user_id = user_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
}

static void
set_reconnect_time (KefuConnection *self,
                    gint64          reconnect_time)
{
  if (self->reconnect_time == reconnect_time)
    return;

  self->reconnect_time = reconnect_time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT_TIME]);
}

static void
forget_session (KefuConnection *self)
{
  stop_live (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_clear_pointer (&self->token, g_free);
  set_string (self, &self->user_display_name, NULL, PROP_USER_DISPLAY_NAME);
  set_string (self, &self->role, NULL, PROP_ROLE);
  set_string (self, &self->department, NULL, PROP_DEPARTMENT);
  set_user_id (self, 0);
  set_state (self, KEFU_CONNECTION_STATE_OFFLINE);
  g_object_thaw_notify (G_OBJECT (self));

  kefu_ticket_list_remove_all (self->tickets);
}

/* ---- addresses --------------------------------------------------------------------------- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* A DNS name (IDN allowed) or an IP address literal. */
static gboolean
host_is_valid (const char *host)
{
  if (host == NULL || host[0] == '\0')
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_' && (guchar) *p < 0x80)
        return FALSE;
    }
  return TRUE;
}

static gboolean
invalid_address (const char  *text,
                 GError     **error)
{
  g_set_error (error, KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_INVALID_ADDRESS,
               /* Translators: %s is what the user typed as the server address */
               _("“%s” is not a server address. Enter an address such as "
                 "https://kefu.example.com:8443."),
               text);
  return FALSE;
}

char *
kefu_connection_normalize_server_url (const char  *text,
                                      GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  gsize len;

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_INVALID_ADDRESS,
                           _("Enter the address of your Kefu server."));
      return NULL;
    }

  if (strstr (trimmed, "://") == NULL)
    {
      g_autofree char *probe = g_strconcat ("http://", trimmed, NULL);
      g_autoptr(GUri) probe_uri = g_uri_parse (probe, G_URI_FLAGS_NONE, NULL);

      if (probe_uri == NULL || g_uri_get_host (probe_uri) == NULL)
        {
          invalid_address (trimmed, error);
          return NULL;
        }
      with_scheme = g_strconcat (host_is_loopback (g_uri_get_host (probe_uri)) ? "http://"
                                                                                : "https://",
                                 trimmed, NULL);
    }
  else
    {
      with_scheme = g_strdup (trimmed);
    }

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      invalid_address (trimmed, error);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || !host_is_valid (host))
    {
      invalid_address (trimmed, error);
      return NULL;
    }

  /* Keep a reverse proxy's path prefix, drop trailing slashes and a pasted API prefix. */
  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';
  if (g_str_has_suffix (path, API_PREFIX))
    path[len - strlen (API_PREFIX)] = '\0';
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  return g_uri_join (G_URI_FLAGS_NONE,
                     g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http",
                     NULL, host, g_uri_get_port (uri), path, NULL, NULL);
}

static char *
api_url (const char *server_url,
         const char *path)
{
  return g_strconcat (server_url, API_PREFIX, path, NULL);
}

/* ---- answers ----------------------------------------------------------------------------- */

/* The JSON object of an answer body, or NULL when the body is not one. */
static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gconstpointer data;
  gsize size;
  JsonNode *root;

  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

/* A transport failure (no HTTP answer at all) as a message for people. */
static GError *
transport_error (GError      *error,
                 SoupMessage *message,
                 const char  *server_url)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  g_debug ("Request to %s failed: %s", server_url, error->message);

  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (message);

      if (error->code == G_TLS_ERROR_NOT_TLS)
        return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_CERTIFICATE,
                            /* Translators: %s is the server address */
                            _("The server at %s does not use a secure connection. If it is on "
                              "your own network, try an address starting with http://."),
                            server_url);
      if (error->code == G_TLS_ERROR_UNAVAILABLE)
        return g_error_new_literal (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_CERTIFICATE,
                                    _("Secure connections are not available on this computer. "
                                      "Ask your administrator to install glib-networking."));
      if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
        return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_CERTIFICATE,
                            /* Translators: %s is the server address */
                            _("The server’s certificate is not valid for %s. Check the address "
                              "or ask your administrator."),
                            server_url);
      if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
        return g_error_new_literal (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_CERTIFICATE,
                                    _("The server’s certificate has expired or is not valid yet. "
                                      "Ask your administrator to renew it."));
      if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
        return g_error_new_literal (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_CERTIFICATE,
                                    _("The server’s certificate is not issued by an authority "
                                      "this computer trusts. Ask your administrator."));
      return g_error_new_literal (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_CERTIFICATE,
                                  _("A secure connection to the server could not be made "
                                    "because of a certificate problem. Ask your "
                                    "administrator."));
    }

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_NOT_KEFU,
                        /* Translators: %s is the server address */
                        _("There is no Kefu server at %s. Check the address."),
                        server_url);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_UNREACHABLE,
                        /* Translators: %s is the server address */
                        _("The server at %s did not answer in time. Try again later."),
                        server_url);

  return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_UNREACHABLE,
                      /* Translators: %s is the server address */
                      _("Cannot reach the server at %s. Check the address and your network "
                        "connection."),
                      server_url);
}

static GError *
too_many_attempts_error (SoupMessage *message)
{
  const char *retry_after;
  guint64 seconds = 0;

  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                              "Retry-After");
  if (retry_after == NULL
      || !g_ascii_string_to_unsigned (retry_after, 10, 1, G_MAXUINT32, &seconds, NULL))
    return g_error_new_literal (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_TOO_MANY_ATTEMPTS,
                                _("Too many sign-in attempts. Wait a while and try again."));

  if (seconds < 120)
    return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_TOO_MANY_ATTEMPTS,
                        ngettext ("Too many sign-in attempts. Try again in %u second.",
                                  "Too many sign-in attempts. Try again in %u seconds.",
                                  (gulong) seconds),
                        (guint) seconds);

  seconds = (seconds + 59) / 60;
  return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_TOO_MANY_ATTEMPTS,
                      ngettext ("Too many sign-in attempts. Try again in %u minute.",
                                "Too many sign-in attempts. Try again in %u minutes.",
                                (gulong) seconds),
                      (guint) seconds);
}

/* An HTTP error answer as a message for people. The server's own message, in the
 * {"error": {"code", "message", "field"}} shape, is shown when no better one is known. */
static GError *
answer_error (SoupMessage *message,
              JsonObject  *answer,
              const char  *server_url)
{
  guint status = soup_message_get_status (message);
  JsonObject *error_object = get_object_member (answer, "error");
  const char *code = get_string_member (error_object, "code");
  const char *text = get_string_member (error_object, "message");

  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_error_new_literal (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_WRONG_CREDENTIALS,
                                _("Wrong username or password."));

  if (status == 429 /* Too Many Requests */)
    return too_many_attempts_error (message);

  if (code == NULL || text == NULL)
    {
      if (status >= 500)
        return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_SERVER,
                            /* Translators: %s is the server address, %u an HTTP status code */
                            _("The server at %s is not working right now (error %u). Try again "
                              "later."),
                            server_url, status);

      return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_NOT_KEFU,
                          _("There is no Kefu server at %s. Check the address."),
                          server_url);
    }

  g_debug ("Server refused the request: %u %s: %s", status, code, text);

  if (status >= 500)
    return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_SERVER,
                        /* Translators: %s is the server's own message, in English */
                        _("The server has a problem: %s. Try again later or tell your "
                          "administrator."),
                        text);

  return g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_SERVER,
                      /* Translators: %s is the server's own message, in English */
                      _("The server refused to sign you in: %s."),
                      text);
}

/* ---- signing in -------------------------------------------------------------------------- */

static void
sign_in_failed (KefuConnection *self,
                GTask          *task,
                GError         *error)
{
  forget_session (self);
  g_task_return_error (task, error);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KefuConnection *self = g_task_get_source_object (task);
  SignIn *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *user;
  const char *token;
  const char *username;
  const char *display_name;
  const char *role;
  const char *department;
  gint64 user_id = 0;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  /* A newer sign-in took over: it owns the state now. */
  if (data->serial != self->sign_in_serial)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Replaced by a newer sign-in");
      return;
    }
  g_clear_object (&self->sign_in_cancellable);

  if (bytes == NULL)
    {
      sign_in_failed (self, task, transport_error (error, data->message, data->server_url));
      return;
    }

  status = soup_message_get_status (data->message);
  answer = parse_object (bytes);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      sign_in_failed (self, task, answer_error (data->message, answer, data->server_url));
      return;
    }

  token = get_string_member (answer, "token");
  user = get_object_member (answer, "user");
  username = get_string_member (user, "username");
  display_name = get_string_member (user, "display_name");
  role = get_string_member (user, "role");
  department = get_string_member (user, "department");
  if (user != NULL && json_object_has_member (user, "id"))
    user_id = json_node_get_int (json_object_get_member (user, "id"));
  if (token == NULL || token[0] == '\0' || username == NULL || role == NULL)
    {
      sign_in_failed (self, task,
                      g_error_new (KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_NOT_KEFU,
                                   _("There is no Kefu server at %s. Check the address."),
                                   data->server_url));
      return;
    }

  if (display_name == NULL || display_name[0] == '\0')
    display_name = username;

  g_object_freeze_notify (G_OBJECT (self));
  g_free (self->token);
  self->token = g_strdup (token);
  set_string (self, &self->server_url, data->server_url, PROP_SERVER_URL);
  set_string (self, &self->username, username, PROP_USERNAME);
  set_string (self, &self->user_display_name, display_name, PROP_USER_DISPLAY_NAME);
  set_string (self, &self->role, role, PROP_ROLE);
  set_string (self, &self->department, department, PROP_DEPARTMENT);
  set_user_id (self, user_id);
  set_state (self, KEFU_CONNECTION_STATE_CONNECTED);
  g_object_thaw_notify (G_OBJECT (self));

  start_live (self);

  g_task_return_boolean (task, TRUE);
}

void
kefu_connection_sign_in_async (KefuConnection      *self,
                               const char          *server_url,
                               const char          *username,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  SignIn *data;
  gsize json_len;

  g_return_if_fail (KEFU_IS_CONNECTION (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_connection_sign_in_async);

  /* A new sign-in replaces the one in flight and whatever session there was. */
  if (self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_serial++;
  if (self->token != NULL)
    kefu_connection_sign_out (self);

  data = g_new0 (SignIn, 1);
  data->serial = self->sign_in_serial;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_free);

  data->server_url = kefu_connection_normalize_server_url (server_url, &error);
  if (data->server_url == NULL)
    {
      sign_in_failed (self, task, g_steal_pointer (&error));
      return;
    }

  url = api_url (data->server_url, "/session");
  data->message = soup_message_new (SOUP_METHOD_POST, url);
  if (data->message == NULL)
    {
      invalid_address (server_url, &error);
      sign_in_failed (self, task, g_steal_pointer (&error));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &json_len);
  body = g_bytes_new_take (g_steal_pointer (&json), json_len);

  soup_message_set_request_body_from_bytes (data->message, "application/json", body);
  soup_message_headers_replace (soup_message_get_request_headers (data->message),
                                "Accept", "application/json");

  data->cancellable = g_cancellable_new ();
  self->sign_in_cancellable = g_object_ref (data->cancellable);
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    data->cancellable, NULL);
    }

  set_state (self, KEFU_CONNECTION_STATE_CONNECTING);

  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT,
                                    data->cancellable, sign_in_cb, g_steal_pointer (&task));
}

gboolean
kefu_connection_sign_in_finish (KefuConnection  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kefu_connection_sign_in_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- requests ---------------------------------------------------------------------------- */

static SoupMessage *
new_api_message (KefuConnection *self,
                 const char     *method,
                 const char     *path)
{
  g_autofree char *url = api_url (self->server_url, path);
  g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    return NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  return message;
}

/* The server no longer knows our token: sign out and say why. */
static void
session_ended (KefuConnection *self)
{
  if (self->token == NULL)
    return;

  g_debug ("The server ended the session");
  forget_session (self);
  g_signal_emit (self, signals[SESSION_ENDED], 0,
                 _("Your session has ended. Sign in again to continue."));
}

/* A transport failure as G_IO_ERROR with a message for people. */
static GError *
network_error (KefuConnection *self,
               GError         *error,
               SoupMessage    *message)
{
  g_autoptr(GError) human = NULL;
  int code;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  human = transport_error (error, message, self->server_url);
  code = error->domain == G_IO_ERROR ? error->code : G_IO_ERROR_FAILED;
  return g_error_new_literal (G_IO_ERROR, code, human->message);
}

/* An HTTP error answer of the API as KEFU_ERROR with the server's code, message and field. */
static GError *
api_error (KefuConnection *self,
           SoupMessage    *message,
           JsonObject     *answer)
{
  guint status = soup_message_get_status (message);
  JsonObject *error_object = get_object_member (answer, "error");
  const char *code = get_string_member (error_object, "code");
  const char *text = get_string_member (error_object, "message");
  const char *field = get_string_member (error_object, "field");
  KefuErrorCode error_code;
  GError *error = NULL;

  if (code == NULL || text == NULL || !kefu_error_code_from_string (code, &error_code))
    {
      if (status >= 500)
        return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                            _("The server at %s is not working right now (error %u). Try again "
                              "later."),
                            self->server_url, status);
      return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                          _("There is no Kefu server at %s. Check the address."),
                          self->server_url);
    }

  if (error_code == KEFU_ERROR_VALIDATION_FAILED && field != NULL)
    kefu_set_field_error (&error, field, "%s", text);
  else
    error = g_error_new_literal (KEFU_ERROR, error_code, text);

  return error;
}

typedef struct
{
  SoupMessage *message;
  char        *method;
  char        *path;
  gboolean     raw;          /* kefu_connection_download_async(): the body as it is */
} Request;

static void
request_free (Request *data)
{
  g_clear_object (&data->message);
  g_free (data->method);
  g_free (data->path);
  g_free (data);
}

/* A single ticket in the answer to a /tickets request: show it at once. Its live event comes
 * later with the same version and changes nothing then. */
static void
apply_answered_ticket (KefuConnection *self,
                       Request        *data,
                       JsonNode       *root)
{
  g_autoptr(KefuTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (!g_str_has_prefix (data->path, "/tickets") || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  if (get_string_member (object, "number") == NULL || !json_object_has_member (object, "version"))
    return;

  ticket = kefu_ticket_from_json (root, &error);
  if (ticket == NULL)
    {
      g_debug ("Answer to %s %s is not a ticket: %s", data->method, data->path, error->message);
      return;
    }

  kefu_ticket_list_apply (self->tickets, ticket);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KefuConnection *self = g_task_get_source_object (task);
  Request *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root = NULL;
  gconstpointer body;
  gsize size;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, network_error (self, error, data->message));
      return;
    }

  status = soup_message_get_status (data->message);
  body = g_bytes_get_data (bytes, &size);
  if (data->raw && SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (size > 0)
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, body, size, NULL))
        root = json_parser_get_root (parser);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(JsonObject) answer = NULL;

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        answer = json_object_ref (json_node_get_object (root));

      if (status == SOUP_STATUS_UNAUTHORIZED)
        {
          g_task_return_new_error (task, KEFU_ERROR, KEFU_ERROR_UNAUTHENTICATED, "%s",
                                   _("Your session has ended. Sign in again to continue."));
          session_ended (self);
          return;
        }

      g_task_return_error (task, api_error (self, data->message, answer));
      return;
    }

  if (status == SOUP_STATUS_NO_CONTENT || size == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (root == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("There is no Kefu server at %s. Check the address."),
                               self->server_url);
      return;
    }

  apply_answered_ticket (self, data, root);

  g_task_return_pointer (task, json_node_ref (root), (GDestroyNotify) json_node_unref);
}

void
kefu_connection_request_async (KefuConnection      *self,
                               const char          *method,
                               const char          *path,
                               JsonNode            *body,
                               const char          *if_match,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *data;

  g_return_if_fail (KEFU_IS_CONNECTION (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_connection_request_async);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _("You are not signed in."));
      return;
    }

  data = g_new0 (Request, 1);
  data->method = g_strdup (method);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) request_free);

  data->message = new_api_message (self, method, path);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Not a valid request path: %s", path);
      return;
    }

  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (data->message),
                                  "If-Match", if_match);

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GBytes) bytes = NULL;
      char *json;
      gsize json_len;

      json_generator_set_root (generator, body);
      json = json_generator_to_data (generator, &json_len);
      bytes = g_bytes_new_take (json, json_len);
      soup_message_set_request_body_from_bytes (data->message, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT,
                                    cancellable, request_cb, g_steal_pointer (&task));
}

void
kefu_connection_download_async (KefuConnection      *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *data;

  g_return_if_fail (KEFU_IS_CONNECTION (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_connection_download_async);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _("You are not signed in."));
      return;
    }

  data = g_new0 (Request, 1);
  data->method = g_strdup ("GET");
  data->path = g_strdup (path);
  data->raw = TRUE;
  g_task_set_task_data (task, data, (GDestroyNotify) request_free);

  data->message = new_api_message (self, "GET", path);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Not a valid request path: %s", path);
      return;
    }

  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT,
                                    cancellable, request_cb, g_steal_pointer (&task));
}

GBytes *
kefu_connection_download_finish (KefuConnection  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kefu_connection_download_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kefu_connection_upload_async (KefuConnection      *self,
                              const char          *path,
                              const char          *content_type,
                              GBytes              *bytes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *data;

  g_return_if_fail (KEFU_IS_CONNECTION (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_connection_upload_async);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _("You are not signed in."));
      return;
    }

  data = g_new0 (Request, 1);
  data->method = g_strdup ("POST");
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) request_free);

  data->message = new_api_message (self, "POST", path);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Not a valid request path: %s", path);
      return;
    }

  soup_message_set_request_body_from_bytes (data->message, content_type, bytes);
  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT,
                                    cancellable, request_cb, g_steal_pointer (&task));
}

JsonNode *
kefu_connection_upload_finish (KefuConnection  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kefu_connection_upload_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
kefu_connection_request_finish (KefuConnection  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kefu_connection_request_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- loading the ticket list --------------------------------------------------------------
 *
 * Race-free order. The event stream is opened first, without `since`: the server then sends
 * every event committed after the handshake. Only then are the lists loaded (GET /tickets,
 * page by page), so every change is either in a page or in an event — possibly in both, when a
 * page is read after a change whose event already arrived, or the other way round. The ticket
 * list keeps, per number, only the highest `version` it was given, so whichever comes second
 * is ignored when older and the outcome does not depend on the order. Events are applied as
 * they arrive, during the load too.
 *
 * Resuming: once a load has completed, a dropped stream is reopened with since=the last seq
 * seen — the server's "hello" names the seq a new stream starts after, so there is one even
 * before the first event — and the server replays what was missed. When no seq is known (an
 * older server without "hello") or the server answers "resync" (its log no longer reaches back
 * that far), the lists are loaded again the same way; a reload marks what it sees and drops the
 * tickets that are gone from both lists.
 *
 * Speed: the open tickets and the recently closed ones are two chains of pages loaded side by
 * side. Pages are decoded in a worker thread, and the next page is asked for as soon as a
 * page's bytes are in (its next_cursor is read from the end of the body) rather than after it
 * was decoded, so that the server, the network and the decoding overlap. */

typedef struct _Load Load;

typedef struct
{
  Load     *load;           /* the chain */
  gboolean  open;           /* the open tickets' chain, else the recently closed ones' */
  char     *query;
  gboolean  done;           /* no page left to ask for */
  guint     pending;        /* pages asked for or being decoded */
} Chain;

struct _Load
{
  KefuConnection *self;     /* a reference */
  guint           serial;
  Chain           chains[2];
  gboolean        failed;
  guint           decoding; /* pages being decoded in worker threads */
  GQueue          waiting;  /* of GTask*: pages in, waiting for a worker (owned) */
};

typedef struct
{
  Chain       *chain;
  SoupMessage *message;
  gboolean     next_asked;  /* the next page was asked for from the raw bytes */
} PageJob;

typedef struct
{
  GPtrArray *tickets;
  char      *next_cursor;
} Page;

static void
load_unref_chain (Load *load)
{
  if (load->chains[0].pending > 0 || load->chains[1].pending > 0)
    return;

  g_assert (g_queue_is_empty (&load->waiting));
  g_free (load->chains[0].query);
  g_free (load->chains[1].query);
  g_object_unref (load->self);
  g_free (load);
}

static void
page_job_free (PageJob *job)
{
  g_clear_object (&job->message);
  g_free (job);
}

static void
page_free (Page *page)
{
  g_clear_pointer (&page->tickets, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

static gboolean
load_is_current (Load *load)
{
  return !load->failed && load->serial == load->self->load_serial;
}

static void
decode_page_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  Page *page;
  JsonNode *root;
  JsonObject *object;
  JsonArray *array;
  JsonNode *cursor;
  gconstpointer body;
  gsize size;
  guint n;

  body = g_bytes_get_data (bytes, &size);
  if (!json_parser_load_from_data (parser, body, size, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The ticket list is not JSON: %s", error->message);
      return;
    }

  root = json_parser_get_root (parser);
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  array = object != NULL ? json_object_get_array_member (object, "tickets") : NULL;
  if (array == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The ticket list has no tickets member");
      return;
    }

  n = json_array_get_length (array);
  page = g_new0 (Page, 1);
  page->tickets = g_ptr_array_new_full (n, (GDestroyNotify) kefu_ticket_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) ticket_error = NULL;
      KefuTicket *ticket = kefu_ticket_from_json (json_array_get_element (array, i),
                                                  &ticket_error);

      if (ticket == NULL)
        {
          g_warning ("Skipping a ticket the client cannot read: %s", ticket_error->message);
          continue;
        }
      g_ptr_array_add (page->tickets, ticket);
    }

  cursor = json_object_get_member (object, "next_cursor");
  if (cursor != NULL && json_node_get_value_type (cursor) == G_TYPE_STRING)
    page->next_cursor = g_strdup (json_node_get_string (cursor));

  g_task_return_pointer (task, page, (GDestroyNotify) page_free);
}

/* The next_cursor of a list page from the end of its raw body, where the server puts it:
 * TRUE with *cursor (NULL for null) when it is there in a shape understood for sure. */
static gboolean
peek_next_cursor (GBytes  *bytes,
                  char   **cursor)
{
  static const char key[] = "\"next_cursor\":";
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *tail;
  const char *found = NULL;
  const char *p;
  gsize tail_len = MIN (size, 96);

  *cursor = NULL;
  tail = data + size - tail_len;
  for (p = tail; p + strlen (key) <= data + size; p++)
    {
      if (memcmp (p, key, strlen (key)) == 0)
        found = p + strlen (key);
    }
  if (found == NULL)
    return FALSE;

  p = found;
  while (p < data + size && g_ascii_isspace (*p))
    p++;
  if ((gsize) (data + size - p) >= 4 && memcmp (p, "null", 4) == 0)
    return TRUE;
  if (p < data + size && *p == '"')
    {
      const char *start = ++p;

      while (p < data + size && g_ascii_isalnum (*p))
        p++;
      if (p < data + size && *p == '"' && p > start)
        {
          *cursor = g_strndup (start, p - start);
          return TRUE;
        }
    }

  return FALSE;
}

static void fetch_page (Chain *chain, const char *cursor);
static void schedule_reconnect (KefuConnection *self);

/* As many pages are decoded at once as there are processors (at most four), the others wait
 * their turn. With a worker for each page in (eight on two cores) they only took turns, each
 * growing its own malloc arena: the load was no faster, and the peak memory ~10 MB higher
 * (bench-board-load, 20,000 tickets: VmHWM 301 MB instead of 291 MB). */
static void
load_decode_next (Load *load)
{
  guint max = CLAMP (g_get_num_processors (), 1, 4);

  while (load->decoding < max && !g_queue_is_empty (&load->waiting))
    {
      GTask *task = g_queue_pop_head (&load->waiting);

      load->decoding++;
      g_task_run_in_thread (task, decode_page_thread);
      g_object_unref (task);
    }
}

static void
load_failed (Load   *load,
             GError *error)
{
  KefuConnection *self = load->self;

  if (!load_is_current (load))
    return;
  load->failed = TRUE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Loading the tickets failed: %s", error->message);

  /* Start over: reopen the stream without since and load again. */
  self->list_complete = FALSE;
  if (self->events != NULL)
    soup_websocket_connection_close (self->events, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  else
    schedule_reconnect (self);
}

static void
chain_maybe_finished (Chain *chain)
{
  Load *load = chain->load;
  KefuConnection *self = load->self;

  if (!chain->done || chain->pending > 0 || !load_is_current (load))
    return;

  if (chain->open)
    {
      g_debug ("Open tickets loaded: %u in the list",
               g_list_model_get_n_items (G_LIST_MODEL (self->tickets)));
      kefu_ticket_list_set_loaded (self->tickets, TRUE);
    }

  if (load->chains[0].done && load->chains[0].pending == 0
      && load->chains[1].done && load->chains[1].pending == 0)
    {
      kefu_ticket_list_end_reload (self->tickets);
      kefu_ticket_list_set_complete (self->tickets, TRUE);
      self->list_complete = TRUE;
    }
}

static void
page_decoded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PageJob *job = user_data;
  Chain *chain = job->chain;
  Load *load = chain->load;
  Page *page;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  chain->pending--;
  load->decoding--;
  load_decode_next (load);

  if (page == NULL)
    {
      load_failed (load, error);
    }
  else if (load_is_current (load))
    {
      kefu_ticket_list_apply_many (load->self->tickets, page->tickets);

      if (!job->next_asked)
        {
          if (page->next_cursor != NULL)
            fetch_page (chain, page->next_cursor);
          else
            chain->done = TRUE;
        }
      chain_maybe_finished (chain);
    }

  g_clear_pointer (&page, page_free);
  page_job_free (job);
  load_unref_chain (load);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PageJob *job = user_data;
  Chain *chain = job->chain;
  Load *load = chain->load;
  KefuConnection *self = load->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;
  g_autofree char *next_cursor = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (!load_is_current (load))
    goto drop;

  if (bytes == NULL)
    {
      g_autoptr(GError) human = network_error (self, error, job->message);

      load_failed (load, human);
      goto drop;
    }

  status = soup_message_get_status (job->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      load->failed = TRUE;
      session_ended (self);
      goto drop;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(JsonObject) answer = parse_object (bytes);
      g_autoptr(GError) api = api_error (self, job->message, answer);

      load_failed (load, api);
      goto drop;
    }

  /* Ask for the next page now; decoding this one can overlap with it. */
  if (peek_next_cursor (bytes, &next_cursor))
    {
      job->next_asked = TRUE;
      if (next_cursor != NULL)
        fetch_page (chain, next_cursor);
      else
        chain->done = TRUE;
    }

  task = g_task_new (self, self->live_cancellable, page_decoded_cb, job);
  g_task_set_source_tag (task, page_cb);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_queue_push_tail (&load->waiting, task);
  load_decode_next (load);
  return;

drop:
  chain->pending--;
  page_job_free (job);
  load_unref_chain (load);
}

static void
fetch_page (Chain      *chain,
            const char *cursor)
{
  KefuConnection *self = chain->load->self;
  g_autofree char *path = NULL;
  PageJob *job;

  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("%s&cursor=%s", chain->query, escaped);
    }
  else
    {
      path = g_strdup (chain->query);
    }

  job = g_new0 (PageJob, 1);
  job->chain = chain;
  job->message = new_api_message (self, SOUP_METHOD_GET, path);
  chain->pending++;
  soup_session_send_and_read_async (self->session, job->message, G_PRIORITY_DEFAULT,
                                    self->live_cancellable, page_cb, job);
}

static void
start_load (KefuConnection *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_days (now, -RECENT_CLOSED_DAYS);
  g_autofree char *since_text = g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ");
  Load *load = g_new0 (Load, 1);

  g_debug ("Loading the tickets");

  load->self = g_object_ref (self);
  load->serial = ++self->load_serial;
  for (guint i = 0; i < G_N_ELEMENTS (load->chains); i++)
    load->chains[i].load = load;
  load->chains[0].open = TRUE;
  load->chains[0].query = g_strdup_printf ("/tickets?status=open&limit=%d", PAGE_SIZE);
  load->chains[1].query = g_strdup_printf ("/tickets?status=resolved,closed,cancelled"
                                           "&updated_since=%s&limit=%d", since_text, PAGE_SIZE);

  self->list_complete = FALSE;
  kefu_ticket_list_begin_reload (self->tickets);
  fetch_page (&load->chains[0], NULL);
  fetch_page (&load->chains[1], NULL);
}

/* ---- the live event stream --------------------------------------------------------------- */

static void connect_events (KefuConnection *self);

static gboolean
reconnect_cb (gpointer user_data)
{
  KefuConnection *self = user_data;

  self->reconnect_source = 0;
  set_reconnect_time (self, 0);
  connect_events (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (KefuConnection *self)
{
  guint delay;

  if (self->token == NULL || self->reconnect_source != 0 || self->connecting)
    return;

  delay = self->backoff_secs;
  self->backoff_secs = MIN (MAX (delay, 1) * 2, MAX_BACKOFF_SECS);

  g_debug ("Reconnecting in %u s", delay);
  set_state (self, KEFU_CONNECTION_STATE_RECONNECTING);
  self->reconnect_source = g_timeout_add_seconds (delay, reconnect_cb, self);
  set_reconnect_time (self, g_get_monotonic_time () + delay * G_USEC_PER_SEC);
}

void
kefu_connection_reconnect_now (KefuConnection *self)
{
  g_return_if_fail (KEFU_IS_CONNECTION (self));

  if (self->reconnect_source == 0)
    return;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  reconnect_cb (self);
}

static void
handle_event (KefuConnection *self,
              JsonObject     *message)
{
  const char *type = get_string_member (message, "type");
  JsonNode *seq_node = json_object_get_member (message, "seq");
  JsonNode *data = json_object_get_member (message, "data");
  gint64 seq = -1;

  if (type == NULL)
    return;

  if (seq_node != NULL && json_node_get_value_type (seq_node) == G_TYPE_INT64)
    seq = json_node_get_int (seq_node);

  /* The first message of a stream opened without since: the seq it starts after. */
  if (g_str_equal (type, "hello"))
    {
      if (seq >= 0 && self->last_seq < 0)
        self->last_seq = seq;
      return;
    }

  if (g_str_equal (type, "resync"))
    {
      g_debug ("The server asks for a reload");
      if (seq >= 0)
        self->last_seq = seq;
      start_load (self);
      g_signal_emit (self, signals[EVENT], 0, type, data);
      return;
    }

  /* Replays and live events never repeat, but be sure. */
  if (seq >= 0)
    {
      if (seq <= self->last_seq)
        return;
      self->last_seq = seq;
    }

  if ((g_str_equal (type, "ticket.created") || g_str_equal (type, "ticket.updated"))
      && data != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KefuTicket) ticket = kefu_ticket_from_json (data, &error);

      if (ticket != NULL)
        kefu_ticket_list_apply (self->tickets, ticket);
      else
        g_warning ("Ignoring a %s event the client cannot read: %s", type, error->message);
    }

  g_signal_emit (self, signals[EVENT], 0, type, data);
}

static void
on_events_message (SoupWebsocketConnection *connection,
                   gint                     type,
                   GBytes                  *message,
                   KefuConnection          *self)
{
  g_autoptr(JsonObject) object = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  object = parse_object (message);
  if (object == NULL)
    {
      g_debug ("Ignoring an event that is not a JSON object");
      return;
    }

  handle_event (self, object);
}

static void
drop_events (KefuConnection *self)
{
  if (self->events == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->events, self);
  if (soup_websocket_connection_get_state (self->events) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->events, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&self->events);
}

static void
on_events_closed (SoupWebsocketConnection *connection,
                  KefuConnection          *self)
{
  g_debug ("The event stream closed (code %u)",
           soup_websocket_connection_get_close_code (connection));

  drop_events (self);
  /* A load in flight goes on: its pages are still right, and the reconnection starts over
   * when the load did not finish. */
  schedule_reconnect (self);
}

static void
on_events_error (SoupWebsocketConnection *connection,
                 GError                  *error,
                 KefuConnection          *self)
{
  g_debug ("Event stream error: %s", error->message);
}

static void
events_connected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SoupMessage) message = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;
  KefuConnection *self;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (connection == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = g_object_get_data (G_OBJECT (message), "kefu-connection");
  g_assert (KEFU_IS_CONNECTION (self));
  self->connecting = FALSE;

  if (connection == NULL)
    {
      g_debug ("Could not open the event stream: %s (HTTP %u)", error->message,
               soup_message_get_status (message));
      if (soup_message_get_status (message) == SOUP_STATUS_UNAUTHORIZED)
        session_ended (self);
      else
        schedule_reconnect (self);
      return;
    }

  g_debug ("Event stream open");
  drop_events (self);
  self->events = connection;
  self->backoff_secs = 1;
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_SECS);
  g_signal_connect (connection, "message", G_CALLBACK (on_events_message), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_events_closed), self);
  g_signal_connect (connection, "error", G_CALLBACK (on_events_error), self);

  set_state (self, KEFU_CONNECTION_STATE_CONNECTED);

  if (!self->list_complete || self->last_seq < 0)
    start_load (self);
}

static void
connect_events (KefuConnection *self)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *path = NULL;
  gboolean resume;

  if (self->token == NULL || self->connecting)
    return;

  drop_events (self);

  /* Resume only from a complete list; otherwise start over (see above). A new stream's seqs
   * are all newer than what was seen, unless the server lost its database, so forget. */
  resume = self->list_complete && self->last_seq >= 0;
  if (resume)
    {
      path = g_strdup_printf ("/events?since=%" G_GINT64_FORMAT, self->last_seq);
    }
  else
    {
      path = g_strdup ("/events");
      self->last_seq = -1;
    }
  self->connecting = TRUE;

  g_debug ("Opening the event stream: %s", path);
  message = new_api_message (self, SOUP_METHOD_GET, path);
  g_object_set_data (G_OBJECT (message), "kefu-connection", self);
  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->live_cancellable, events_connected_cb,
                                        g_object_ref (message));
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    KefuConnection  *self)
{
  if (available && self->reconnect_source != 0)
    {
      g_debug ("The network is back");
      kefu_connection_reconnect_now (self);
    }
}

static void
start_live (KefuConnection *self)
{
  stop_live (self);

  self->live_cancellable = g_cancellable_new ();
  self->last_seq = -1;
  self->list_complete = FALSE;
  self->backoff_secs = 1;

  kefu_ticket_list_remove_all (self->tickets);
  connect_events (self);
}

static void
stop_live (KefuConnection *self)
{
  if (self->live_cancellable != NULL)
    g_cancellable_cancel (self->live_cancellable);
  g_clear_object (&self->live_cancellable);
  self->load_serial++;
  self->connecting = FALSE;
  drop_events (self);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  set_reconnect_time (self, 0);
}

/* ---- signing out ------------------------------------------------------------------------- */

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    g_debug ("Could not end the session on the server: %s", error->message);
}

void
kefu_connection_sign_out (KefuConnection *self)
{
  g_return_if_fail (KEFU_IS_CONNECTION (self));

  if (self->token != NULL && self->server_url != NULL)
    {
      g_autofree char *url = api_url (self->server_url, "/session");
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
      g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_DELETE, url);

      if (message != NULL)
        {
          soup_message_headers_replace (soup_message_get_request_headers (message),
                                        "Authorization", authorization);
          soup_session_send_and_read_async (self->session, message, G_PRIORITY_LOW, NULL,
                                            sign_out_cb, NULL);
        }
    }

  forget_session (self);
}

/* ---- getters ----------------------------------------------------------------------------- */

KefuConnectionState
kefu_connection_get_state (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), KEFU_CONNECTION_STATE_OFFLINE);

  return self->state;
}

const char *
kefu_connection_get_server_url (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);

  return self->server_url;
}

const char *
kefu_connection_get_username (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);

  return self->username;
}

const char *
kefu_connection_get_user_display_name (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);

  return self->user_display_name;
}

const char *
kefu_connection_get_role (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);

  return self->role;
}

gint64
kefu_connection_get_user_id (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), 0);

  return self->user_id;
}

const char *
kefu_connection_get_department (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);

  return self->department;
}

gint64
kefu_connection_get_reconnect_time (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), 0);

  return self->reconnect_time;
}

KefuTicketList *
kefu_connection_get_tickets (KefuConnection *self)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (self), NULL);

  return self->tickets;
}

/* ---- GObject ----------------------------------------------------------------------------- */

KefuConnection *
kefu_connection_new (void)
{
  return g_object_new (KEFU_TYPE_CONNECTION, NULL);
}

static void
kefu_connection_dispose (GObject *object)
{
  KefuConnection *self = (KefuConnection *)object;

  if (self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  stop_live (self);
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_clear_object (&self->network_monitor);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kefu_connection_parent_class)->dispose (object);
}

static void
kefu_connection_finalize (GObject *object)
{
  KefuConnection *self = (KefuConnection *)object;

  g_free (self->server_url);
  g_free (self->token);
  g_free (self->username);
  g_free (self->user_display_name);
  g_free (self->role);
  g_free (self->department);
  g_clear_object (&self->tickets);

  G_OBJECT_CLASS (kefu_connection_parent_class)->finalize (object);
}

static void
kefu_connection_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KefuConnection *self = KEFU_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_USER_DISPLAY_NAME:
      g_value_set_string (value, self->user_display_name);
      break;

    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;

    case PROP_USER_ID:
      g_value_set_int64 (value, self->user_id);
      break;

    case PROP_DEPARTMENT:
      g_value_set_string (value, self->department);
      break;

    case PROP_RECONNECT_TIME:
      g_value_set_int64 (value, self->reconnect_time);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_connection_class_init (KefuConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kefu_connection_dispose;
  object_class->finalize = kefu_connection_finalize;
  object_class->get_property = kefu_connection_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       KEFU_TYPE_CONNECTION_STATE,
                       KEFU_CONNECTION_STATE_OFFLINE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USER_DISPLAY_NAME] =
    g_param_spec_string ("user-display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USER_ID] =
    g_param_spec_int64 ("user-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEPARTMENT] =
    g_param_spec_string ("department", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RECONNECT_TIME] =
    g_param_spec_int64 ("reconnect-time", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals[SESSION_ENDED] =
    g_signal_new ("session-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
kefu_connection_init (KefuConnection *self)
{
  self->state = KEFU_CONNECTION_STATE_OFFLINE;
  self->session = soup_session_new_with_options ("user-agent", "Kefu/" PACKAGE_VERSION,
                                                 "timeout", IO_TIMEOUT_SECS,
                                                 "idle-timeout", IDLE_TIMEOUT_SECS,
                                                 NULL);
  self->tickets = kefu_ticket_list_new ();
  self->last_seq = -1;
  self->backoff_secs = 1;

  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->network_monitor, "network-changed",
                    G_CALLBACK (on_network_changed), self);
}
