/* kefu-settings.c — server settings kept in the database (schema 3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-settings.h"

char *
kefu_settings_get (KefuDb      *db,
                   const char  *key,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kefu_db_prepare (db, "SELECT value FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;

  kefu_db_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = kefu_db_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);

  return value;
}

gboolean
kefu_settings_set (KefuDb      *db,
                   const char  *key,
                   const char  *value,
                   gint64       now,
                   gint64       user_id,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kefu_db_prepare (db,
                          "INSERT INTO settings (key, value, updated_at, updated_by)"
                          " VALUES (?1, ?2, ?3, ?4)"
                          " ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3,"
                          " updated_by = ?4",
                          error);
  if (stmt == NULL)
    return FALSE;

  kefu_db_bind_text (stmt, 1, key);
  kefu_db_bind_text (stmt, 2, value);
  sqlite3_bind_int64 (stmt, 3, now);
  if (user_id != 0)
    sqlite3_bind_int64 (stmt, 4, user_id);
  else
    sqlite3_bind_null (stmt, 4);
  return kefu_db_step_done (db, stmt, error);
}
