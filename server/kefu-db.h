/* kefu-db.h — one SQLite connection with its cache of prepared statements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define KEFU_DB_ERROR (kefu_db_error_quark ())

typedef struct _KefuDb KefuDb;

GQuark        kefu_db_error_quark (void);

/* Opens @path (created if missing) with WAL, synchronous=FULL, foreign_keys=ON and a busy
 * timeout. Fails when WAL could not be enabled. A connection belongs to one thread. */
KefuDb       *kefu_db_open        (const char  *path,
                                   gboolean     read_only,
                                   GError     **error);
void          kefu_db_close       (KefuDb      *db);
sqlite3      *kefu_db_handle      (KefuDb      *db);

/* A cached prepared statement, reset and with its bindings cleared. Owned by @db: do not
 * finalize. NULL with @error set when the SQL does not compile. */
sqlite3_stmt *kefu_db_prepare     (KefuDb      *db,
                                   const char  *sql,
                                   GError     **error);
gboolean      kefu_db_exec        (KefuDb      *db,
                                   const char  *sql,
                                   GError     **error);
/* Sets @error from the connection's last error; always returns FALSE. */
gboolean      kefu_db_fail        (KefuDb      *db,
                                   GError     **error);
/* Runs @stmt to completion, expecting no row (or ignoring rows). */
gboolean      kefu_db_step_done   (KefuDb       *db,
                                   sqlite3_stmt *stmt,
                                   GError      **error);

gint64        kefu_db_get_user_version (KefuDb *db);
char         *kefu_db_get_journal_mode (KefuDb *db);

/* Binding helpers: NULL text / 0 time bind NULL. */
void          kefu_db_bind_text   (sqlite3_stmt *stmt, int idx, const char *text);
void          kefu_db_bind_time   (sqlite3_stmt *stmt, int idx, gint64 usec);
/* Column helpers: NULL → NULL / 0. */
char         *kefu_db_column_dup  (sqlite3_stmt *stmt, int col);
const char   *kefu_db_column_text (sqlite3_stmt *stmt, int col);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuDb, kefu_db_close)

G_END_DECLS
