/* kefu-auth.h — passwords, session tokens and sign-in throttling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kefu-clock.h"
#include "kefu-db.h"
#include "kefu-password-policy.h"
#include "kefu-user.h"

G_BEGIN_DECLS

#define KEFU_SESSION_LIFETIME_USEC   (G_GINT64_CONSTANT (24) * 60 * 60 * G_USEC_PER_SEC)   /* a working day and more */

/* Sign-in throttling (docs/protocol.md, "Sign-in throttling", says the same for clients).
 * An attempt counts from the moment it is admitted, before its password is hashed. */
#define KEFU_LOGIN_WINDOW_USEC       (G_GINT64_CONSTANT (15) * 60 * G_USEC_PER_SEC)
/* Failed (or pending) attempts on one account from one address within the window. */
#define KEFU_LOGIN_MAX_PAIR_FAILURES 5
/* Failed (or pending) attempts from one address, whatever the names, within the window. */
#define KEFU_LOGIN_MAX_ADDRESS_FAILURES 20
/* Failed (or pending) attempts on one account from anywhere before each further attempt waits
 * 1 s, then 2, 4, … up to KEFU_LOGIN_MAX_DELAY_USEC. Forgotten a window after the last one. */
#define KEFU_LOGIN_ACCOUNT_FREE_ATTEMPTS 10
#define KEFU_LOGIN_MAX_DELAY_USEC    (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
/* Addresses where an account signed in within this time are spared its delay. */
#define KEFU_LOGIN_KNOWN_ADDRESS_USEC (G_GINT64_CONSTANT (30) * 24 * 60 * 60 * G_USEC_PER_SEC)

/* argon2id computations running at once (each takes 64 MiB), and how many more may wait for
 * one of them; a sign-in beyond that is answered 503 at once. */
#define KEFU_AUTH_MAX_HASHING        4
#define KEFU_AUTH_MAX_WAITING        28

#define KEFU_TYPE_AUTH (kefu_auth_get_type ())
G_DECLARE_FINAL_TYPE (KefuAuth, kefu_auth, KEFU, AUTH, GObject)

KefuAuth  *kefu_auth_new                  (KefuClock     *clock);

/* Reverse proxies whose X-Forwarded-For names the client (kefu-client-address.h for the
 * format and the rule). Replaces the previous list; NULL trusts nobody. */
gboolean   kefu_auth_set_trusted_proxies  (KefuAuth      *self,
                                           const char    *list,
                                           GError       **error);
/* The client's address for @msg: the TCP peer, or what trusted proxies say it is. */
char      *kefu_auth_client_address       (KefuAuth          *self,
                                           SoupServerMessage *msg);

/* argon2id (libsodium crypto_pwhash_str, interactive limits), without any policy check (the
 * demo seeds and tests use it). Blocking: call off the main loop. */
char      *kefu_auth_hash_password        (const char    *password,
                                           GError       **error);
gboolean   kefu_auth_verify_password      (const char    *hash,
                                           const char    *password);

/* A new password for @username: checked against the policy (kefu-password-policy.h), then
 * hashed, on a worker thread among at most KEFU_AUTH_MAX_HASHING. The finish function
 * returns the hash, or KEFU_ERROR_VALIDATION_FAILED (field "password") saying why not. */
void       kefu_auth_new_password_hash_async  (KefuAuth            *self,
                                               const char          *password,
                                               const char          *username,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char      *kefu_auth_new_password_hash_finish (KefuAuth            *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* One sign-in attempt, counted against its account, address and pair from the moment it
 * is admitted until it is judged (or abandoned, which counts nothing). */
typedef struct _KefuLoginAttempt KefuLoginAttempt;

/* Admits an attempt on @username from @client (a kefu_auth_client_address(); NULL counts as
 * one unknown address), or refuses it with KEFU_ERROR_TOO_MANY_ATTEMPTS (throttled) or
 * KEFU_ERROR_UNAVAILABLE (too many passwords being checked already); @retry_after then
 * holds the seconds to wait, for the Retry-After header. Main thread. */
KefuLoginAttempt *kefu_auth_login_begin   (KefuAuth      *self,
                                           const char    *username,
                                           const char    *client,
                                           gint64        *retry_after,
                                           GError       **error);
/* Drops an attempt that was never checked (a database error), counting nothing. */
void       kefu_login_attempt_abandon     (KefuLoginAttempt *attempt);

/* Verifies @password against @hash on a worker thread and judges @attempt (taken) by the
 * result. With @hash NULL (no such user, or inactive) it spends the same time on a dummy
 * hash and fails, so the answer's timing does not tell which names exist. */
void       kefu_auth_login_verify_async   (KefuAuth            *self,
                                           KefuLoginAttempt    *attempt,
                                           const char          *hash,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* TRUE when the password was right. */
gboolean   kefu_auth_login_verify_finish  (KefuAuth            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* A random password of @n_chars from an unambiguous alphabet. */
char      *kefu_auth_random_password      (guint          n_chars);
/* A random password for @username that the password policy accepts (the first admin's).
 * Blocking (the policy reads the dictionary). */
char      *kefu_auth_random_strong_password (const char  *username);
/* A new opaque token: 32 random bytes, base64url without padding (43 chars). */
char      *kefu_auth_new_token            (void);
/* The 32-byte BLAKE2b hash under which a token is stored. */
void       kefu_auth_hash_token           (const char    *token,
                                           guint8         out[32]);

/* The active user behind a bearer token whose session has not expired at @now, or NULL. */
KefuUser  *kefu_auth_lookup_session       (KefuDb        *db,
                                           const char    *token,
                                           gint64         now,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuLoginAttempt, kefu_login_attempt_abandon)

G_END_DECLS
