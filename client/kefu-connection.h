/* kefu-connection.h — the client's one link to a Kefu server
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  KEFU_CONNECTION_STATE_OFFLINE,
  KEFU_CONNECTION_STATE_CONNECTING,
  KEFU_CONNECTION_STATE_CONNECTED,
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
