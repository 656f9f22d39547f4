/* kefu-auth.h — passwords, session tokens and login throttling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kefu-clock.h"
#include "kefu-db.h"
#include "kefu-user.h"

G_BEGIN_DECLS

#define KEFU_SESSION_LIFETIME_USEC   (G_GINT64_CONSTANT (24) * 60 * 60 * G_USEC_PER_SEC)   /* a working day and more */
#define KEFU_LOGIN_MAX_FAILURES      5
#define KEFU_LOGIN_WINDOW_USEC       (G_GINT64_CONSTANT (15) * 60 * G_USEC_PER_SEC)
#define KEFU_PASSWORD_MIN_CHARS      4
#define KEFU_PASSWORD_MAX_BYTES      1024

#define KEFU_TYPE_AUTH (kefu_auth_get_type ())
G_DECLARE_FINAL_TYPE (KefuAuth, kefu_auth, KEFU, AUTH, GObject)

KefuAuth  *kefu_auth_new                  (KefuClock     *clock);

/* argon2id (libsodium crypto_pwhash_str, interactive limits). Blocking: call off the main loop,
 * or use the _async variants which run in a worker thread. */
char      *kefu_auth_hash_password        (const char    *password,
                                           GError       **error);
gboolean   kefu_auth_verify_password      (const char    *hash,
                                           const char    *password);
void       kefu_auth_hash_password_async  (const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char      *kefu_auth_hash_password_finish (GAsyncResult        *result,
                                           GError             **error);
/* Verifies @password against @hash in a worker thread. With @hash NULL (no such user) it still
 * spends the same time on a dummy hash, so the answer's timing does not tell which names exist. */
void       kefu_auth_verify_password_async (const char         *hash,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean   kefu_auth_verify_password_finish (GAsyncResult      *result);

/* A random password of @n_chars from an unambiguous alphabet (for the first admin). */
char      *kefu_auth_random_password      (guint          n_chars);
/* A new opaque token: 32 random bytes, base64url without padding (43 chars). */
char      *kefu_auth_new_token            (void);
/* The 32-byte BLAKE2b hash under which a token is stored. */
void       kefu_auth_hash_token           (const char    *token,
                                           guint8         out[32]);

/* Login throttling, by username and by client address. Returns 0 when a login may be tried, or
 * the seconds to wait. */
gint64     kefu_auth_throttle_check       (KefuAuth      *self,
                                           const char    *username,
                                           const char    *peer);
void       kefu_auth_throttle_failure     (KefuAuth      *self,
                                           const char    *username,
                                           const char    *peer);
void       kefu_auth_throttle_success     (KefuAuth      *self,
                                           const char    *username,
                                           const char    *peer);

/* The active user behind a bearer token whose session has not expired at @now, or NULL. */
KefuUser  *kefu_auth_lookup_session       (KefuDb        *db,
                                           const char    *token,
                                           gint64         now,
                                           GError       **error);

G_END_DECLS
