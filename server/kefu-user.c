/* kefu-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-ticket.h"
#include "kefu-user.h"

KefuUser *
kefu_user_new (void)
{
  KefuUser *user = g_new0 (KefuUser, 1);

  user->active = TRUE;
  return user;
}

KefuUser *
kefu_user_copy (const KefuUser *user)
{
  KefuUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = g_memdup2 (user, sizeof *user);
  copy->username = g_strdup (user->username);
  copy->display_name = g_strdup (user->display_name);
  copy->department = g_strdup (user->department);
  return copy;
}

void
kefu_user_free (KefuUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->display_name);
  g_free (user->department);
  g_free (user);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       usec)
{
  g_autofree char *iso = kefu_time_to_iso8601 (usec);

  json_builder_set_member_name (b, name);
  if (iso != NULL)
    json_builder_add_string_value (b, iso);
  else
    json_builder_add_null_value (b);
}

gboolean
kefu_role_sees_full_phone (KefuRole role)
{
  return role == KEFU_ROLE_AGENT || role == KEFU_ROLE_SUPERVISOR;
}

gboolean
kefu_user_sees_full_phone (const KefuUser *user,
                           gint64          assignee_id)
{
  if (user == NULL)
    return FALSE;
  return kefu_role_sees_full_phone (user->role) || (assignee_id != 0 && assignee_id == user->id);
}

JsonNode *
kefu_user_to_json (const KefuUser *user)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (user != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, user->id);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, user->username);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, user->display_name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, kefu_role_to_string (user->role));
  json_builder_set_member_name (b, "department");
  json_builder_add_string_value (b, user->department);
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, user->active);
  add_time (b, "created_at", user->created_at);
  add_time (b, "last_login_at", user->last_login_at);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

KefuUser *
kefu_user_from_row (sqlite3_stmt *stmt,
                    int           c)
{
  KefuUser *user = kefu_user_new ();

  user->id = sqlite3_column_int64 (stmt, c + 0);
  user->username = kefu_db_column_dup (stmt, c + 1);
  user->display_name = kefu_db_column_dup (stmt, c + 2);
  if (!kefu_role_from_string (kefu_db_column_text (stmt, c + 3), &user->role))
    user->role = KEFU_ROLE_AGENT;
  user->department = kefu_db_column_dup (stmt, c + 4);
  user->active = sqlite3_column_int (stmt, c + 5) != 0;
  user->created_at = sqlite3_column_int64 (stmt, c + 6);
  user->last_login_at = sqlite3_column_int64 (stmt, c + 7);
  return user;
}

KefuUser *
kefu_user_load (KefuDb  *db,
                gint64   id,
                GError **error)
{
  sqlite3_stmt *stmt;
  KefuUser *user = NULL;
  int rc;

  stmt = kefu_db_prepare (db, "SELECT " KEFU_USER_COLUMNS " FROM users WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = kefu_user_from_row (stmt, 0);
  else if (rc != SQLITE_DONE)
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);
  return user;
}

KefuUser *
kefu_user_load_by_name (KefuDb      *db,
                        const char  *username,
                        char       **out_password_hash,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  KefuUser *user = NULL;
  int rc;

  stmt = kefu_db_prepare (db, "SELECT " KEFU_USER_COLUMNS ", password_hash FROM users"
                              " WHERE username = ?", error);
  if (stmt == NULL)
    return NULL;
  kefu_db_bind_text (stmt, 1, username);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      user = kefu_user_from_row (stmt, 0);
      if (out_password_hash != NULL)
        *out_password_hash = kefu_db_column_dup (stmt, 8);
    }
  else if (rc != SQLITE_DONE)
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);
  return user;
}

GPtrArray *
kefu_user_load_all (KefuDb  *db,
                    GError **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_user_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kefu_db_prepare (db, "SELECT " KEFU_USER_COLUMNS " FROM users ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, kefu_user_from_row (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      return NULL;
    }
  return g_steal_pointer (&users);
}
