/* kefu-db.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-db.h"

struct _KefuDb
{
  sqlite3    *handle;
  GHashTable *stmts;     /* const char *sql (interned by pointer) → sqlite3_stmt */
};

G_DEFINE_QUARK (kefu-db-error-quark, kefu_db_error)

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

gboolean
kefu_db_fail (KefuDb  *db,
              GError **error)
{
  g_set_error (error, KEFU_DB_ERROR, sqlite3_extended_errcode (db->handle),
               "database error: %s", sqlite3_errmsg (db->handle));
  return FALSE;
}

gboolean
kefu_db_exec (KefuDb      *db,
              const char  *sql,
              GError     **error)
{
  char *msg = NULL;

  g_return_val_if_fail (db != NULL, FALSE);

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, KEFU_DB_ERROR, sqlite3_extended_errcode (db->handle),
                   "database error: %s", msg ? msg : sqlite3_errmsg (db->handle));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

KefuDb *
kefu_db_open (const char  *path,
              gboolean     read_only,
              GError     **error)
{
  g_autoptr(KefuDb) db = g_new0 (KefuDb, 1);
  g_autofree char *mode = NULL;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;

  g_return_val_if_fail (path != NULL, NULL);

  flags |= read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  db->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);

  if (sqlite3_open_v2 (path, &db->handle, flags, NULL) != SQLITE_OK)
    {
      if (db->handle == NULL)
        {
          g_set_error (error, KEFU_DB_ERROR, SQLITE_NOMEM, "cannot open %s: out of memory", path);
          return NULL;
        }
      g_set_error (error, KEFU_DB_ERROR, sqlite3_extended_errcode (db->handle),
                   "cannot open %s: %s", path, sqlite3_errmsg (db->handle));
      return NULL;
    }

  sqlite3_busy_timeout (db->handle, 5000);
  sqlite3_extended_result_codes (db->handle, 1);

  if (!kefu_db_exec (db, "PRAGMA foreign_keys = ON;", error))
    return NULL;

  if (!read_only)
    {
      if (!kefu_db_exec (db, "PRAGMA journal_mode = WAL;", error))
        return NULL;
      mode = kefu_db_get_journal_mode (db);
      if (g_strcmp0 (mode, "wal") != 0)
        {
          g_set_error (error, KEFU_DB_ERROR, SQLITE_CANTOPEN,
                       "cannot enable write-ahead logging on %s (journal mode is %s)",
                       path, mode ? mode : "unknown");
          return NULL;
        }
    }

  /* Savepoint journals of a write batch stay in memory instead of spilling to /var/tmp. */
  if (!kefu_db_exec (db, "PRAGMA temp_store = MEMORY;", error))
    return NULL;

  /* Every acknowledged write must survive a crash or power cut. */
  if (!kefu_db_exec (db, "PRAGMA synchronous = FULL;", error))
    return NULL;

  return g_steal_pointer (&db);
}

void
kefu_db_close (KefuDb *db)
{
  if (db == NULL)
    return;

  g_clear_pointer (&db->stmts, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close_v2 (db->handle);
  g_free (db);
}

sqlite3 *
kefu_db_handle (KefuDb *db)
{
  g_return_val_if_fail (db != NULL, NULL);
  return db->handle;
}

sqlite3_stmt *
kefu_db_prepare (KefuDb      *db,
                 const char  *sql,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  /* Statements are cached by the SQL text; callers pass string literals. */
  stmt = g_hash_table_lookup (db->stmts, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
      != SQLITE_OK)
    {
      kefu_db_fail (db, error);
      return NULL;
    }

  g_hash_table_insert (db->stmts, (gpointer) sql, stmt);
  return stmt;
}

gboolean
kefu_db_step_done (KefuDb       *db,
                   sqlite3_stmt *stmt,
                   GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gint64
kefu_db_get_user_version (KefuDb *db)
{
  sqlite3_stmt *stmt;
  gint64 v = -1;

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA user_version;", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

char *
kefu_db_get_journal_mode (KefuDb *db)
{
  sqlite3_stmt *stmt;
  char *mode = NULL;

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA journal_mode;", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mode = g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 0), -1);
  sqlite3_finalize (stmt);
  return mode;
}

void
kefu_db_bind_text (sqlite3_stmt *stmt,
                   int           idx,
                   const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
}

void
kefu_db_bind_time (sqlite3_stmt *stmt,
                   int           idx,
                   gint64        usec)
{
  if (usec == 0)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int64 (stmt, idx, usec);
}

const char *
kefu_db_column_text (sqlite3_stmt *stmt,
                     int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

char *
kefu_db_column_dup (sqlite3_stmt *stmt,
                    int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}
