/* kefu-schema.h — the database schema and its migrations (PRAGMA user_version)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-db.h"

G_BEGIN_DECLS

/* The newest schema this build knows. */
#define KEFU_SCHEMA_VERSION 6

/* Brings @db from its user_version up to @target (each step in its own transaction). Refuses a
 * database newer than this build. @target = KEFU_SCHEMA_VERSION normally; tests pass 1 to make
 * a database of the first schema. */
gboolean kefu_schema_migrate (KefuDb  *db,
                              gint64   target,
                              GError **error);

G_END_DECLS
