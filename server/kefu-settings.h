/* kefu-settings.h — server settings kept in the database (schema 3): the SLA policy, …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-db.h"

G_BEGIN_DECLS

#define KEFU_SETTING_SLA_POLICY "sla_policy"

/* The value of @key, or NULL (without error when it was never set). */
char     *kefu_settings_get (KefuDb      *db,
                             const char  *key,
                             GError     **error);
/* Inside a write job. @user_id 0 = the system. */
gboolean  kefu_settings_set (KefuDb      *db,
                             const char  *key,
                             const char  *value,
                             gint64       now,
                             gint64       user_id,
                             GError     **error);

G_END_DECLS
