/* kefu-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "kefu-auth.h"
#include "kefu-error.h"

typedef struct {
  guint  failures;
  gint64 window_start;
} Attempts;

struct _KefuAuth
{
  GObject     parent_instance;
  KefuClock  *clock;
  GHashTable *attempts;      /* "u:NAME" / "a:PEER" → Attempts */
};

G_DEFINE_FINAL_TYPE (KefuAuth, kefu_auth, G_TYPE_OBJECT)

static void
kefu_auth_finalize (GObject *object)
{
  KefuAuth *self = KEFU_AUTH (object);

  g_clear_object (&self->clock);
  g_clear_pointer (&self->attempts, g_hash_table_unref);

  G_OBJECT_CLASS (kefu_auth_parent_class)->finalize (object);
}

static void
kefu_auth_class_init (KefuAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kefu_auth_finalize;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

static void
kefu_auth_init (KefuAuth *self)
{
  self->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

KefuAuth *
kefu_auth_new (KefuClock *clock)
{
  KefuAuth *self;

  g_return_val_if_fail (KEFU_IS_CLOCK (clock), NULL);

  self = g_object_new (KEFU_TYPE_AUTH, NULL);
  self->clock = g_object_ref (clock);
  return self;
}

char *
kefu_auth_hash_password (const char  *password,
                         GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (sodium_init () < 0 ||
      crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                           "out of memory while hashing a password");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
kefu_auth_verify_password (const char *hash,
                           const char *password)
{
  g_return_val_if_fail (password != NULL, FALSE);

  if (hash == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

static void
hash_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  char *hash = kefu_auth_hash_password (task_data, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

void
kefu_auth_hash_password_async (const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_auth_hash_password_async);
  g_task_set_task_data (task, g_strdup (password), g_free);
  g_task_run_in_thread (task, hash_thread);
}

char *
kefu_auth_hash_password_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  char *hash;
  char *password;
} VerifyData;

static void
verify_data_free (gpointer data)
{
  VerifyData *vd = data;

  g_free (vd->hash);
  if (vd->password != NULL)
    sodium_memzero (vd->password, strlen (vd->password));
  g_free (vd->password);
  g_free (vd);
}

/* A valid hash of a random password, verified against when the user does not exist. */
static char *
dummy_hash (void)
{
  static gsize once;
  static char *hash;

  if (g_once_init_enter (&once))
    {
      g_autofree char *pw = kefu_auth_random_password (16);

      hash = kefu_auth_hash_password (pw, NULL);
      g_once_init_leave (&once, 1);
    }
  return hash;
}

static void
verify_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *vd = task_data;
  gboolean ok;

  if (vd->hash != NULL)
    ok = kefu_auth_verify_password (vd->hash, vd->password);
  else
    ok = kefu_auth_verify_password (dummy_hash (), vd->password) && FALSE;

  g_task_return_boolean (task, ok);
}

void
kefu_auth_verify_password_async (const char          *hash,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *vd;

  g_return_if_fail (password != NULL);

  vd = g_new0 (VerifyData, 1);
  vd->hash = g_strdup (hash);
  vd->password = g_strdup (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_auth_verify_password_async);
  g_task_set_task_data (task, vd, verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
kefu_auth_verify_password_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

char *
kefu_auth_random_password (guint n_chars)
{
  static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  GString *s = g_string_sized_new (n_chars);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  for (guint i = 0; i < n_chars; i++)
    g_string_append_c (s, alphabet[randombytes_uniform (sizeof alphabet - 1)]);
  return g_string_free (s, FALSE);
}

char *
kefu_auth_new_token (void)
{
  guint8 bytes[32];
  char out[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (out, sizeof out, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (out);
}

void
kefu_auth_hash_token (const char *token,
                      guint8      out[32])
{
  g_return_if_fail (token != NULL);

  crypto_generichash (out, 32, (const guint8 *) token, strlen (token), NULL, 0);
}

static Attempts *
attempts_for (KefuAuth   *self,
              const char *prefix,
              const char *key,
              gboolean    create)
{
  g_autofree char *k = NULL;
  Attempts *a;

  if (key == NULL)
    return NULL;
  k = g_strconcat (prefix, key, NULL);
  if (prefix[0] == 'u')
    {
      char *lower = g_utf8_casefold (k, -1);

      g_free (k);
      k = lower;
    }
  a = g_hash_table_lookup (self->attempts, k);
  if (a == NULL && create)
    {
      /* Keep the table bounded: forget everything when it grows too big (a flood of made-up
       * names), rather than let an attacker grow the server's memory. */
      if (g_hash_table_size (self->attempts) > 100000)
        g_hash_table_remove_all (self->attempts);
      a = g_new0 (Attempts, 1);
      g_hash_table_insert (self->attempts, g_steal_pointer (&k), a);
    }
  return a;
}

static gint64
attempts_wait (Attempts *a,
               guint     max_failures,
               gint64    now)
{
  gint64 end;

  if (a == NULL || a->failures < max_failures)
    return 0;
  end = a->window_start + KEFU_LOGIN_WINDOW_USEC;
  if (now >= end)
    return 0;
  return (end - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

gint64
kefu_auth_throttle_check (KefuAuth   *self,
                          const char *username,
                          const char *peer)
{
  gint64 now;

  g_return_val_if_fail (KEFU_IS_AUTH (self), 0);

  now = kefu_clock_now (self->clock);
  /* A client address may try a few names (a shared office PC); a name only a few passwords. */
  return MAX (attempts_wait (attempts_for (self, "u:", username, FALSE),
                             KEFU_LOGIN_MAX_FAILURES, now),
              attempts_wait (attempts_for (self, "a:", peer, FALSE),
                             KEFU_LOGIN_MAX_FAILURES * 4, now));
}

static void
attempts_fail (Attempts *a,
               gint64    now)
{
  if (a == NULL)
    return;
  if (now - a->window_start >= KEFU_LOGIN_WINDOW_USEC)
    {
      a->window_start = now;
      a->failures = 0;
    }
  a->failures++;
}

void
kefu_auth_throttle_failure (KefuAuth   *self,
                            const char *username,
                            const char *peer)
{
  gint64 now;

  g_return_if_fail (KEFU_IS_AUTH (self));

  now = kefu_clock_now (self->clock);
  attempts_fail (attempts_for (self, "u:", username, TRUE), now);
  attempts_fail (attempts_for (self, "a:", peer, TRUE), now);
}

void
kefu_auth_throttle_success (KefuAuth   *self,
                            const char *username,
                            const char *peer)
{
  Attempts *a;

  g_return_if_fail (KEFU_IS_AUTH (self));

  if ((a = attempts_for (self, "u:", username, FALSE)))
    a->failures = 0;
}

KefuUser *
kefu_auth_lookup_session (KefuDb      *db,
                          const char  *token,
                          gint64       now,
                          GError     **error)
{
  guint8 hash[32];
  sqlite3_stmt *stmt;
  KefuUser *user = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  if (token == NULL || strlen (token) != 43)
    return NULL;

  kefu_auth_hash_token (token, hash);
  stmt = kefu_db_prepare (db,
                          "SELECT u.id, u.username, u.display_name, u.role, u.department,"
                          " u.active, u.created_at, u.last_login_at"
                          " FROM sessions s JOIN users u ON u.id = s.user_id"
                          " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = kefu_user_from_row (stmt, 0);
  else if (rc != SQLITE_DONE)
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);
  return user;
}
