/* kefu-routes-events.c — GET /api/v1/events: the live event WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The route has a SoupServer handler of its own (the more specific path wins over the API
 * dispatcher's "/api/v1"), which checks the session and `since` before anything else, so a
 * bad token gets a 401 JSON error and never an upgrade. It then does the handshake itself
 * rather than through soup_server_add_websocket_handler(): once the 101 is written it takes
 * the connection from libsoup and builds the SoupWebsocketConnection over a KefuWsStream,
 * which lets the event hub measure and bound what libsoup 3.2 would otherwise buffer without
 * limit. No WebSocket extension is offered (see kefu-ws-stream.h).
 */
#include "config.h"

#include <string.h>

#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-server.h"
#include "kefu-ws-stream.h"

#define EVENTS_PATH "/api/v1/events"

typedef struct {
  KefuServer *server;   /* unowned: the server outlives its connections */
  KefuUser   *user;
  gint64      since;
  GSocket    *socket;
} Upgrade;

static void
upgrade_free (gpointer  data,
              GClosure *closure)
{
  Upgrade *up = data;

  g_clear_pointer (&up->user, kefu_user_free);
  g_clear_object (&up->socket);
  g_free (up);
}

static void
reply_error (SoupServerMessage *msg,
             KefuErrorCode      code,
             const char        *message,
             const char        *field)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, kefu_error_code_to_string (code));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (field != NULL)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, field);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, kefu_error_code_http_status (code), NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static char *
bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  return g_strstrip (g_strdup (value + 7));
}

/* `since`: a decimal integer ≥ 0. */
static gboolean
parse_since (const char *text,
             gint64     *out)
{
  return kefu_parse_decimal (text, 0, G_MAXINT64, out);
}

/* The 101 is on the wire: the connection is ours now. */
static void
on_wrote_informational (SoupServerMessage *msg,
                        gpointer           user_data)
{
  Upgrade *up = user_data;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(KefuWsStream) ws_stream = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(SoupServerMessage) keep = g_object_ref (msg);  /* stealing may drop libsoup's */
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  KefuEventHub *hub;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  ws_stream = kefu_ws_stream_new (stream);
  conn = soup_websocket_connection_new (G_IO_STREAM (ws_stream),
                                        soup_server_message_get_uri (msg),
                                        SOUP_WEBSOCKET_CONNECTION_SERVER,
                                        soup_message_headers_get_one (headers, "Origin"),
                                        NULL, NULL);

  hub = kefu_server_get_event_hub (up->server);
  if (hub == NULL)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                       "the server is shutting down");
      return;
    }
  kefu_event_hub_add_client (hub, conn, up->socket, up->user, up->since);
}

static void
events_handler (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  KefuServer *server = user_data;
  g_autoptr(KefuUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *since_text;
  gint64 since = -1;
  Upgrade *up;

  soup_message_headers_replace (response_headers, "Cache-Control", "no-store");

  if (strcmp (path, EVENTS_PATH) != 0)
    {
      reply_error (msg, KEFU_ERROR_NOT_FOUND, "no such resource", NULL);
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      soup_message_headers_replace (response_headers, "Allow", "GET");
      reply_error (msg, KEFU_ERROR_METHOD_NOT_ALLOWED, "this method is not allowed here", NULL);
      return;
    }

  token = bearer_token (msg);
  if (token != NULL)
    user = kefu_auth_lookup_session (kefu_store_get_reader (kefu_server_get_store (server)),
                                     token, kefu_server_now (server), &error);
  if (error != NULL)
    {
      g_warning ("GET %s failed: %s", EVENTS_PATH, error->message);
      reply_error (msg, KEFU_ERROR_INTERNAL, "internal server error", NULL);
      return;
    }
  if (user == NULL)
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer realm=\"kefu\"");
      reply_error (msg, KEFU_ERROR_UNAUTHENTICATED,
                   token ? "the session has expired or is not valid" : "sign in first", NULL);
      return;
    }

  since_text = query ? g_hash_table_lookup (query, "since") : NULL;
  if (since_text != NULL && !parse_since (since_text, &since))
    {
      reply_error (msg, KEFU_ERROR_VALIDATION_FAILED,
                   "since must be the seq of an event (an integer ≥ 0)", "since");
      return;
    }

  if (kefu_server_get_event_hub (server) == NULL)
    {
      reply_error (msg, KEFU_ERROR_UNAVAILABLE, "live events are not available", NULL);
      return;
    }

  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf ("GET %s is a WebSocket: %s", EVENTS_PATH,
                                                  error->message);

      reply_error (msg, KEFU_ERROR_VALIDATION_FAILED, message, "Upgrade");
      return;
    }
  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    return;   /* libsoup set the error status */

  up = g_new0 (Upgrade, 1);
  up->server = server;
  up->user = g_steal_pointer (&user);
  up->since = since;
  if (soup_server_message_get_socket (msg) != NULL)
    up->socket = g_object_ref (soup_server_message_get_socket (msg));
  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (on_wrote_informational), up,
                         upgrade_free, 0);
}

void
kefu_routes_events_attach (KefuServer *server,
                           SoupServer *soup)
{
  g_return_if_fail (KEFU_IS_SERVER (server));
  g_return_if_fail (SOUP_IS_SERVER (soup));

  soup_server_add_handler (soup, EVENTS_PATH, events_handler, server, NULL);
}
