/* kefu-auth-private.h — test hooks of KefuAuth; not for server code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-auth.h"

G_BEGIN_DECLS

typedef struct {
  guint verifications;   /* sign-in passwords checked against a hash (argon2id) */
  guint hashes;          /* new passwords hashed */
  guint max_running;     /* the most argon2id computations seen running at once */
} KefuAuthHashStats;

/* Any thread. */
void     kefu_auth_get_hash_stats     (KefuAuth          *self,
                                       KefuAuthHashStats *out);
void     kefu_auth_reset_hash_stats   (KefuAuth          *self);

/* Main thread. While held, admitted work waits in the queue and nothing starts, so a test can
 * make many attempts be in flight at once; releasing starts the queue. */
void     kefu_auth_hold_hashing       (KefuAuth          *self,
                                       gboolean           hold);
/* Work admitted and not finished: running plus waiting. */
guint    kefu_auth_get_hash_queue_length (KefuAuth       *self);

G_END_DECLS
