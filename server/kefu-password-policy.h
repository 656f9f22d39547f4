/* kefu-password-policy.h — what a new password must be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Characters, not bytes: a Chinese passphrase of ten characters is as long as a Latin one. */
#define KEFU_PASSWORD_MIN_CHARS      10
#define KEFU_PASSWORD_MAX_BYTES      1024

/* Checks a new password with libpwquality: at least KEFU_PASSWORD_MIN_CHARS characters, not
 * the user name (@username may be NULL when unknown) in any form, and not a dictionary word or
 * a simple pattern by cracklib's dictionary. A refusal is KEFU_ERROR_VALIDATION_FAILED with
 * field "password" and an English message that says why.
 *
 * Blocking: it reads the dictionary from disk. Call it off the main loop. */
gboolean kefu_password_policy_check (const char  *password,
                                     const char  *username,
                                     GError     **error);

G_END_DECLS
