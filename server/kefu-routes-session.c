/* kefu-routes-session.c — health, sessions, the caller, users and departments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-bodies.h"
#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-server.h"
#include "kefu-ticket.h"
#include "kefu-validate.h"

static void
add_time_member (JsonBuilder *b,
                 const char  *name,
                 gint64       usec)
{
  g_autofree char *iso = kefu_time_to_iso8601 (usec);

  json_builder_set_member_name (b, name);
  if (iso)
    json_builder_add_string_value (b, iso);
  else
    json_builder_add_null_value (b);
}

/* ---- GET /health ------------------------------------------------------------------------- */

static void
health (KefuRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  add_time_member (b, "time", kefu_server_now (req->server));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  kefu_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* ---- helpers ----------------------------------------------------------------------------- */

static gboolean
department_exists (KefuDb      *db,
                   const char  *code,
                   GError     **error)
{
  sqlite3_stmt *stmt = kefu_db_prepare (db, "SELECT 1 FROM departments WHERE code = ?", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  kefu_db_bind_text (stmt, 1, code);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!found)
    kefu_set_field_error (error, "department", "there is no department \"%s\"", code);
  return found;
}

/* ---- POST /session ----------------------------------------------------------------------- */

typedef struct {
  KefuUser *user;
  char     *token;
  guint8    token_hash[32];
  gint64    now;
  gint64    expires_at;
} SessionJob;

static void
session_job_free (SessionJob *job)
{
  g_clear_pointer (&job->user, kefu_user_free);
  g_free (job->token);
  g_free (job);
}

static gpointer
create_session_job (KefuDb   *db,
                    gpointer  data,
                    GError  **error)
{
  SessionJob *job = data;
  sqlite3_stmt *stmt;

  /* Forget this user's expired sessions while we are here: the table stays small. */
  stmt = kefu_db_prepare (db, "DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->user->id);
  sqlite3_bind_int64 (stmt, 2, job->now);
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;

  stmt = kefu_db_prepare (db,
                          "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)"
                          " VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, job->token_hash, sizeof job->token_hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, job->user->id);
  sqlite3_bind_int64 (stmt, 3, job->now);
  sqlite3_bind_int64 (stmt, 4, job->expires_at);
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;

  stmt = kefu_db_prepare (db, "UPDATE users SET last_login_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->now);
  sqlite3_bind_int64 (stmt, 2, job->user->id);
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;

  /* The answer: the job's own data is freed once it has run, so hand over a copy. */
  {
    SessionJob *answer = g_new0 (SessionJob, 1);

    answer->user = kefu_user_copy (job->user);
    answer->user->last_login_at = job->now;
    answer->token = g_strdup (job->token);
    answer->expires_at = job->expires_at;
    return answer;
  }
}

typedef struct {
  KefuRequest *req;
  KefuUser    *user;       /* NULL when the name is unknown */
} Login;

static void
login_free (Login *login)
{
  g_clear_pointer (&login->req, kefu_request_unref);
  g_clear_pointer (&login->user, kefu_user_free);
  g_free (login);
}

static void
session_created (KefuRequest  *req,
                 gpointer      result,
                 const GError *error)
{
  SessionJob *login = result;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) user = NULL;

  if (error != NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  b = json_builder_new ();
  user = kefu_user_to_json (login->user);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, login->token);
  add_time_member (b, "expires_at", login->expires_at);
  json_builder_set_member_name (b, "user");
  json_builder_add_value (b, g_steal_pointer (&user));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  kefu_request_reply_json (req, SOUP_STATUS_CREATED, root);
}

static void
password_verified (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Login *login = user_data;
  KefuRequest *req = login->req;
  g_autoptr(GError) error = NULL;
  SessionJob *job;

  /* The attempt is already counted as a success or a failure. */
  if (!kefu_auth_login_verify_finish (KEFU_AUTH (object), result, &error))
    {
      if (error != NULL)
        kefu_request_reply_error (req, error);
      else
        kefu_request_reply_error_literal (req, KEFU_ERROR_UNAUTHENTICATED,
                                          "wrong username or password");
      login_free (login);
      return;
    }

  job = g_new0 (SessionJob, 1);
  job->user = g_steal_pointer (&login->user);
  job->now = kefu_server_now (req->server);
  job->expires_at = job->now + KEFU_SESSION_LIFETIME_USEC;
  job->token = kefu_auth_new_token ();
  kefu_auth_hash_token (job->token, job->token_hash);

  kefu_request_write (req, create_session_job, job, (GDestroyNotify) session_job_free,
                      (GDestroyNotify) session_job_free, session_created);
  login_free (login);
}

static void
create_session (KefuRequest *req)
{
  KefuAuth *auth = kefu_server_get_auth (req->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) holder = NULL;
  g_auto(KefuSessionBody) in = { 0 };
  g_autoptr(KefuLoginAttempt) attempt = NULL;
  g_autofree char *hash = NULL;
  const char *username;
  const char *password;
  Login *login;
  gint64 retry_after = 0;

  holder = kefu_request_parse_body (req, FALSE, &error);
  if (holder == NULL || !kefu_body_read_session (holder, &in, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }
  username = in.username;
  password = in.password;

  /* Counted from here on, before the password is hashed: attempts in flight count against
   * the limits, so a burst of them cannot slip past the check. */
  attempt = kefu_auth_login_begin (auth, username, req->peer, &retry_after, &error);
  if (attempt == NULL)
    {
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "Retry-After", retry);
      kefu_request_reply_error (req, error);
      return;
    }

  login = g_new0 (Login, 1);
  login->req = kefu_request_ref (req);
  login->user = kefu_user_load_by_name (kefu_store_get_reader (kefu_server_get_store (req->server)),
                                        username, &hash, &error);
  if (error != NULL)
    {
      kefu_request_reply_error (req, error);
      login_free (login);
      return;   /* the attempt is abandoned: nothing was tried */
    }

  /* Hashing takes tens of milliseconds and 64 MiB: never on the main loop. An inactive
   * account is checked against the dummy hash, in the same time, and fails. */
  kefu_auth_login_verify_async (auth, g_steal_pointer (&attempt),
                                login->user != NULL && login->user->active ? hash : NULL,
                                password, NULL, password_verified, login);
}

/* ---- DELETE /session --------------------------------------------------------------------- */

static gpointer
delete_session_job (KefuDb   *db,
                    gpointer  data,
                    GError  **error)
{
  sqlite3_stmt *stmt = kefu_db_prepare (db, "DELETE FROM sessions WHERE token_hash = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, data, 32, SQLITE_TRANSIENT);
  kefu_db_step_done (db, stmt, error);
  return NULL;
}

static void
delete_session (KefuRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *token = g_strstrip (g_strdup (value + strlen ("Bearer ")));
  guint8 *hash = g_malloc (32);

  kefu_auth_hash_token (token, hash);
  kefu_request_write (req, delete_session_job, hash, g_free, NULL, NULL);
}

/* ---- GET /me, GET /users, GET /departments ----------------------------------------------- */

static void
me (KefuRequest *req)
{
  g_autoptr(JsonNode) node = kefu_user_to_json (req->user);

  kefu_request_reply_json (req, SOUP_STATUS_OK, node);
}

/* Open tickets assigned to each user (issue 5: the supervisor's workload panel), by user id. */
static GHashTable *
open_ticket_counts (KefuDb  *db,
                    GError **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        NULL);
  sqlite3_stmt *stmt;
  int rc;

  /* The open statuses of kefu_status_is_open() (statements are cached by their literal). */
  stmt = kefu_db_prepare (db, "SELECT assignee_id, count(*) FROM tickets"
                              " WHERE assignee_id IS NOT NULL AND status IN ('new', 'assigned',"
                              " 'accepted', 'in_progress', 'waiting_customer', 'waiting_parts',"
                              " 'reopened') GROUP BY assignee_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *key = g_new (gint64, 1);

      *key = sqlite3_column_int64 (stmt, 0);
      g_hash_table_insert (counts, key, GINT_TO_POINTER ((int) sqlite3_column_int64 (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      return NULL;
    }
  return g_steal_pointer (&counts);
}

static void
list_users (KefuRequest *req)
{
  KefuDb *db = kefu_store_get_reader (kefu_server_get_store (req->server));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *role_word = kefu_request_get_query (req, "role");
  KefuRole role = KEFU_ROLE_LAST;

  if (role_word != NULL && *role_word != '\0' && !kefu_role_from_string (role_word, &role))
    {
      kefu_set_field_error (&error, "role", "role: not a role");
      kefu_request_reply_error (req, error);
      return;
    }

  users = kefu_user_load_all (db, &error);
  if (users == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }
  counts = open_ticket_counts (db, &error);
  if (counts == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  for (guint i = 0; i < users->len; i++)
    {
      KefuUser *user = g_ptr_array_index (users, i);
      JsonNode *node;

      if (role != KEFU_ROLE_LAST && user->role != role)
        continue;
      node = kefu_user_to_json (user);
      if (user->role == KEFU_ROLE_TECHNICIAN)
        json_object_set_int_member (json_node_get_object (node), "open_tickets",
                                    GPOINTER_TO_INT (g_hash_table_lookup (counts, &user->id)));
      json_builder_add_value (b, node);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  kefu_request_reply_json (req, SOUP_STATUS_OK, root);
}

static void
list_departments (KefuRequest *req)
{
  KefuDb *db = kefu_store_get_reader (kefu_server_get_store (req->server));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = kefu_db_prepare (db, "SELECT code, name, name_zh FROM departments ORDER BY rowid",
                          &error);
  if (stmt == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "departments");
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, kefu_db_column_text (stmt, 0));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, kefu_db_column_text (stmt, 1));
      json_builder_set_member_name (b, "name_zh");
      json_builder_add_string_value (b, kefu_db_column_text (stmt, 2));
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  json_builder_end_object (b);

  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, &error);
      kefu_request_reply_error (req, error);
      return;
    }
  root = json_builder_get_root (b);
  kefu_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* ---- POST /users, PATCH /users/{id} ------------------------------------------------------ */

typedef struct {
  gint64    id;            /* 0 = create */
  gint64    actor_id;
  char     *username;
  char     *display_name;
  gboolean  has_role;
  KefuRole  role;
  char     *department;
  gboolean  has_active;
  gboolean  active;
  char     *password;      /* clear, until hashed */
  char     *password_hash;
  gint64    now;
} UserJob;

static void
user_job_free (UserJob *job)
{
  g_free (job->username);
  g_free (job->display_name);
  g_free (job->department);
  g_free (job->password);
  g_free (job->password_hash);
  g_free (job);
}

static gpointer
save_user_job (KefuDb   *db,
               gpointer  data,
               GError  **error)
{
  UserJob *job = data;
  g_autoptr(KefuUser) user = NULL;
  sqlite3_stmt *stmt;
  gint64 id = job->id;

  if (job->department != NULL && !department_exists (db, job->department, error))
    return NULL;

  if (id == 0)
    {
      g_autoptr(KefuUser) existing = kefu_user_load_by_name (db, job->username, NULL, error);

      if (existing != NULL)
        {
          g_set_error (error, KEFU_ERROR, KEFU_ERROR_CONFLICT,
                       "the username \"%s\" is taken", job->username);
          return NULL;
        }
      stmt = kefu_db_prepare (db,
                              "INSERT INTO users (username, display_name, role, department,"
                              " password_hash, active, created_at, updated_at)"
                              " VALUES (?, ?, ?, ?, ?, 1, ?, ?)", error);
      if (stmt == NULL)
        return NULL;
      kefu_db_bind_text (stmt, 1, job->username);
      kefu_db_bind_text (stmt, 2, job->display_name);
      kefu_db_bind_text (stmt, 3, kefu_role_to_string (job->role));
      kefu_db_bind_text (stmt, 4, job->department);
      kefu_db_bind_text (stmt, 5, job->password_hash);
      sqlite3_bind_int64 (stmt, 6, job->now);
      sqlite3_bind_int64 (stmt, 7, job->now);
      if (!kefu_db_step_done (db, stmt, error))
        return NULL;
      id = sqlite3_last_insert_rowid (kefu_db_handle (db));
    }
  else
    {
      g_autoptr(KefuUser) existing = kefu_user_load (db, id, error);

      if (existing == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "there is no user %" G_GINT64_FORMAT, id);
          return NULL;
        }
      if (id == job->actor_id &&
          ((job->has_active && !job->active) || (job->has_role && job->role != KEFU_ROLE_ADMIN)))
        {
          g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_CONFLICT,
                               "you cannot deactivate yourself or give up your own admin role");
          return NULL;
        }

      stmt = kefu_db_prepare (db,
                              "UPDATE users SET"
                              " display_name = coalesce (?, display_name),"
                              " role = coalesce (?, role),"
                              " department = coalesce (?, department),"
                              " active = coalesce (?, active),"
                              " password_hash = coalesce (?, password_hash),"
                              " updated_at = ?"
                              " WHERE id = ?", error);
      if (stmt == NULL)
        return NULL;
      kefu_db_bind_text (stmt, 1, job->display_name);
      kefu_db_bind_text (stmt, 2, job->has_role ? kefu_role_to_string (job->role) : NULL);
      kefu_db_bind_text (stmt, 3, job->department);
      if (job->has_active)
        sqlite3_bind_int (stmt, 4, job->active);
      kefu_db_bind_text (stmt, 5, job->password_hash);
      sqlite3_bind_int64 (stmt, 6, job->now);
      sqlite3_bind_int64 (stmt, 7, id);
      if (!kefu_db_step_done (db, stmt, error))
        return NULL;

      /* A new password or a deactivation ends the user's sessions. */
      if (job->password_hash != NULL || (job->has_active && !job->active))
        {
          stmt = kefu_db_prepare (db, "DELETE FROM sessions WHERE user_id = ?", error);
          if (stmt == NULL)
            return NULL;
          sqlite3_bind_int64 (stmt, 1, id);
          if (!kefu_db_step_done (db, stmt, error))
            return NULL;
        }
    }

  user = kefu_user_load (db, id, error);
  return g_steal_pointer (&user);
}

static void
user_saved (KefuRequest  *req,
            gpointer      result,
            const GError *error)
{
  g_autoptr(JsonNode) node = NULL;

  if (error != NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }
  node = kefu_user_to_json (result);
  kefu_request_reply_json (req, req->params[0] ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, node);
}

static void
save_user_write (KefuRequest *req,
                 UserJob     *job)
{
  kefu_request_write (req, save_user_job, job, (GDestroyNotify) user_job_free,
                      (GDestroyNotify) kefu_user_free, user_saved);
}

typedef struct {
  KefuRequest *req;
  UserJob     *job;
} HashWait;

static void
password_hashed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HashWait *wait = user_data;
  g_autoptr(KefuRequest) req = wait->req;
  g_autoptr(GError) error = NULL;

  wait->job->password_hash = kefu_auth_new_password_hash_finish (KEFU_AUTH (object), result,
                                                                 &error);
  if (wait->job->password_hash == NULL)
    {
      kefu_request_reply_error (req, error);
      user_job_free (wait->job);
    }
  else
    save_user_write (req, wait->job);
  g_free (wait);
}

/* Checks a new password against the policy (not the user's own name, not a dictionary
 * word, …) and hashes it, both on a worker thread, then saves. */
static void
hash_then_save (KefuRequest *req,
                UserJob     *job)
{
  g_autoptr(KefuUser) user = NULL;
  const char *username = job->username;
  HashWait *wait;

  if (job->password == NULL)
    {
      save_user_write (req, job);
      return;
    }

  if (username == NULL)
    {
      /* PATCH: the name is in the database. No such user: the write answers 404. */
      user = kefu_user_load (kefu_store_get_reader (kefu_server_get_store (req->server)),
                             job->id, NULL);
      if (user != NULL)
        username = user->username;
    }

  wait = g_new0 (HashWait, 1);
  wait->req = kefu_request_ref (req);
  wait->job = job;
  kefu_auth_new_password_hash_async (kefu_server_get_auth (req->server), job->password,
                                     username, NULL, password_hashed, wait);
  g_clear_pointer (&job->password, g_free);
}

static gboolean
parse_user_body (KefuRequest  *req,
                 gboolean      create,
                 UserJob      *job,
                 GError      **error)
{
  g_autoptr(JsonNode) holder = NULL;
  g_auto(KefuUserBody) in = { 0 };

  holder = kefu_request_parse_body (req, FALSE, error);
  if (holder == NULL || !kefu_body_read_user (holder, create, &in, error))
    return FALSE;

  job->username = g_steal_pointer (&in.username);
  job->display_name = g_steal_pointer (&in.display_name);
  job->has_role = in.has_role;
  job->role = in.role;
  job->department = g_steal_pointer (&in.department);
  job->has_active = in.has_active;
  job->active = in.active;
  job->password = g_steal_pointer (&in.password);
  return TRUE;
}

static void
create_user (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  UserJob *job = g_new0 (UserJob, 1);

  job->now = kefu_server_now (req->server);
  job->actor_id = req->user->id;
  if (!parse_user_body (req, TRUE, job, &error))
    {
      kefu_request_reply_error (req, error);
      user_job_free (job);
      return;
    }
  hash_then_save (req, job);
}

static void
update_user (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  UserJob *job;
  gint64 id;

  if (!kefu_parse_decimal (req->params[0], 1, G_MAXINT64, &id))
    {
      kefu_request_reply_error_literal (req, KEFU_ERROR_NOT_FOUND, "there is no such user");
      return;
    }

  job = g_new0 (UserJob, 1);
  job->id = id;
  job->now = kefu_server_now (req->server);
  job->actor_id = req->user->id;
  if (!parse_user_body (req, FALSE, job, &error))
    {
      kefu_request_reply_error (req, error);
      user_job_free (job);
      return;
    }
  hash_then_save (req, job);
}

void
kefu_routes_session_register (KefuServer *server)
{
  guint admin = KEFU_ROLE_BIT (KEFU_ROLE_ADMIN);

  kefu_server_add_route (server, "GET", "/health", KEFU_ROUTE_ANONYMOUS, health);
  kefu_server_add_route (server, "POST", "/session", KEFU_ROUTE_ANONYMOUS, create_session);
  kefu_server_add_route (server, "DELETE", "/session", KEFU_ROUTE_STAFF, delete_session);
  kefu_server_add_route (server, "GET", "/me", KEFU_ROUTE_STAFF, me);
  kefu_server_add_route (server, "GET", "/users", KEFU_ROUTE_STAFF, list_users);
  kefu_server_add_route (server, "POST", "/users", admin, create_user);
  kefu_server_add_route (server, "PATCH", "/users/{}", admin, update_user);
  kefu_server_add_route (server, "GET", "/departments", KEFU_ROUTE_STAFF, list_departments);
}
