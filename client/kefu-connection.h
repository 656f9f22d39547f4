/* kefu-connection.h — the client's one link to a Kefu server
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kefu-ticket-list.h"

G_BEGIN_DECLS

/* OFFLINE: signed out. CONNECTING: signing in. CONNECTED: signed in with the live event
 * stream up (or being opened for the first time). RECONNECTING: still signed in, but the event
 * stream is down; the connection retries with back-off (1, 2, 4 … 30 s) and resumes where it
 * stopped, so that nothing is missed. */
typedef enum {
  KEFU_CONNECTION_STATE_OFFLINE,
  KEFU_CONNECTION_STATE_CONNECTING,
  KEFU_CONNECTION_STATE_CONNECTED,
  KEFU_CONNECTION_STATE_RECONNECTING,
} KefuConnectionState;

#define KEFU_CONNECTION_ERROR (kefu_connection_error_quark ())

/* Every error of this domain has a message fit to show to the user as it is. */
typedef enum {
  KEFU_CONNECTION_ERROR_INVALID_ADDRESS,     /* not an http(s) address */
  KEFU_CONNECTION_ERROR_WRONG_CREDENTIALS,   /* 401 */
  KEFU_CONNECTION_ERROR_TOO_MANY_ATTEMPTS,   /* 429 */
  KEFU_CONNECTION_ERROR_UNREACHABLE,         /* name lookup, refused, timed out, … */
  KEFU_CONNECTION_ERROR_CERTIFICATE,         /* TLS handshake or certificate problem */
  KEFU_CONNECTION_ERROR_NOT_KEFU,            /* the answer is not the Kefu protocol */
  KEFU_CONNECTION_ERROR_SERVER,              /* any other error the server reported */
} KefuConnectionError;

#define KEFU_TYPE_CONNECTION (kefu_connection_get_type ())
G_DECLARE_FINAL_TYPE (KefuConnection, kefu_connection, KEFU, CONNECTION, GObject)

GQuark               kefu_connection_error_quark       (void);

KefuConnection      *kefu_connection_new               (void);

KefuConnectionState  kefu_connection_get_state         (KefuConnection       *self);
/* The server's base address as normalised by the last sign-in ("https://host:port"), or NULL. */
const char          *kefu_connection_get_server_url    (KefuConnection       *self);
const char          *kefu_connection_get_username      (KefuConnection       *self);
const char          *kefu_connection_get_user_display_name (KefuConnection   *self);
/* The role's wire word ("agent", "supervisor", …), or NULL when signed out. */
const char          *kefu_connection_get_role          (KefuConnection       *self);
/* The signed-in user's id, 0 when signed out. */
gint64               kefu_connection_get_user_id       (KefuConnection       *self);
/* The signed-in user's department code ("technical", …), or NULL. */
const char          *kefu_connection_get_department    (KefuConnection       *self);
/* While RECONNECTING: when the next attempt starts (g_get_monotonic_time() µs), else 0. */
gint64               kefu_connection_get_reconnect_time (KefuConnection      *self);

/* Every ticket loaded since sign-in (the open ones, then those closed in the last 30 days),
 * kept current by the live events. Emptied at sign-out. Never NULL. */
KefuTicketList      *kefu_connection_get_tickets       (KefuConnection       *self);

/* Signals:
 *   "event" (const char *type, JsonNode *data): every live event ("ticket.created",
 *     "ticket.updated", "alert.raised", "alert.acked", "user.updated", …), emitted after a
 *     ticket it carries was applied to the ticket list. @data may be NULL.
 *   "session-ended" (const char *message): the server no longer knows the session (expired,
 *     or ended elsewhere); the connection is signed out, @message says so in plain words. */

/* A request to the API of the signed-in server with the session's token. @path is what
 * follows /api/v1 and may carry a query ("/tickets?status=open"); @body (nullable, not taken)
 * is sent as JSON; @if_match (nullable) is the ticket version a write saw.
 * A ticket in the answer of a /tickets request is applied to the ticket list as well, so a
 * change shows at once, before its live event. */
void                 kefu_connection_request_async     (KefuConnection       *self,
                                                        const char           *method,
                                                        const char           *path,
                                                        JsonNode             *body,
                                                        const char           *if_match,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* The parsed body (NULL for 204 No Content; free with json_node_unref()). Errors: KEFU_ERROR
 * with the server's code and message (and, for validation_failed, the field:
 * kefu_error_get_field()); G_IO_ERROR for network problems (G_IO_ERROR_NOT_CONNECTED when not
 * signed in), with a message fit for people. */
JsonNode            *kefu_connection_request_finish    (KefuConnection       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* GET @path (after /api/v1) with the session's token, for answers that are not JSON (a CSV
 * export): the body as it came. Errors as kefu_connection_request_finish(). */
void                 kefu_connection_download_async    (KefuConnection       *self,
                                                        const char           *path,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GBytes              *kefu_connection_download_finish   (KefuConnection       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* POST @path (after /api/v1) with @bytes as the body, of @content_type (an attachment). The
 * parsed answer as kefu_connection_request_finish(). */
void                 kefu_connection_upload_async      (KefuConnection       *self,
                                                        const char           *path,
                                                        const char           *content_type,
                                                        GBytes               *bytes,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
JsonNode            *kefu_connection_upload_finish     (KefuConnection       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* While RECONNECTING: tries again now instead of waiting. */
void                 kefu_connection_reconnect_now     (KefuConnection       *self);

/* Turns what a user typed ("kefu.example.com:8443", "http://127.0.0.1:8080/api/v1/") into a
 * base address without a trailing slash, or NULL with KEFU_CONNECTION_ERROR_INVALID_ADDRESS.
 * Without a scheme, loopback hosts get http:// and every other host https://. */
char                *kefu_connection_normalize_server_url (const char        *text,
                                                        GError           **error);

/* POST {server}/api/v1/session. A newer sign-in cancels one still in flight (which then fails
 * with G_IO_ERROR_CANCELLED) and replaces any current session. */
void                 kefu_connection_sign_in_async     (KefuConnection       *self,
                                                        const char           *server_url,
                                                        const char           *username,
                                                        const char           *password,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean             kefu_connection_sign_in_finish    (KefuConnection       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* Forgets the session at once and tells the server (DELETE /session) without waiting. */
void                 kefu_connection_sign_out          (KefuConnection       *self);

G_END_DECLS
