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

#define API_PREFIX        "/api/v1"
#define IO_TIMEOUT_SECS   30
#define IDLE_TIMEOUT_SECS 60

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

  /* The sign-in in flight, if any; a newer one cancels it. */
  GCancellable        *sign_in_cancellable;
  guint                sign_in_serial;
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
forget_session (KefuConnection *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_clear_pointer (&self->token, g_free);
  set_string (self, &self->user_display_name, NULL, PROP_USER_DISPLAY_NAME);
  set_string (self, &self->role, NULL, PROP_ROLE);
  set_state (self, KEFU_CONNECTION_STATE_OFFLINE);
  g_object_thaw_notify (G_OBJECT (self));
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
  set_state (self, KEFU_CONNECTION_STATE_CONNECTED);
  g_object_thaw_notify (G_OBJECT (self));

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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kefu_connection_init (KefuConnection *self)
{
  self->state = KEFU_CONNECTION_STATE_OFFLINE;
  self->session = soup_session_new_with_options ("user-agent", "Kefu/" PACKAGE_VERSION,
                                                 "timeout", IO_TIMEOUT_SECS,
                                                 "idle-timeout", IDLE_TIMEOUT_SECS,
                                                 NULL);
}
