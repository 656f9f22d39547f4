/* test-store.c — the durable store: schema, migrations, group commit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kefu-schema.h"
#include "kefu-store.h"

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("kefu-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  const char *files[] = { "kefu.db", "kefu.db-wal", "kefu.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static gint64
query_int (KefuDb     *db,
           const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 v = G_MININT64;

  g_assert_cmpint (sqlite3_prepare_v2 (kefu_db_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static void
test_store_pragmas (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuStore) store = kefu_store_new (dir, &error);
  g_autofree char *mode = NULL;
  KefuDb *reader;

  g_assert_no_error (error);
  reader = kefu_store_get_reader (store);
  mode = kefu_db_get_journal_mode (reader);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (kefu_db_get_user_version (reader), ==, KEFU_SCHEMA_VERSION);
  g_assert_cmpint (query_int (reader, "PRAGMA foreign_keys"), ==, 1);
  /* 2 = FULL */
  g_assert_cmpint (query_int (reader, "PRAGMA synchronous"), ==, 2);

  g_clear_object (&store);
  remove_dir (dir);
}

static gpointer
insert_department_job (KefuDb   *db,
                       gpointer  data,
                       GError  **error)
{
  const char *code = data;
  sqlite3_stmt *stmt = kefu_db_prepare (db, "INSERT INTO departments (code, name, name_zh)"
                                            " VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  kefu_db_bind_text (stmt, 1, code);
  kefu_db_bind_text (stmt, 2, code);
  kefu_db_bind_text (stmt, 3, code);
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;
  return g_strdup (code);
}

typedef struct {
  GMainLoop *loop;
  guint      pending;
  guint      ok;
  guint      failed;
} Counter;

static void
write_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = kefu_store_write_finish (KEFU_STORE (object), result, &error);

  if (error != NULL)
    {
      g_assert_null (value);
      c->failed++;
    }
  else
    {
      g_assert_nonnull (value);
      c->ok++;
    }
  if (--c->pending == 0)
    g_main_loop_quit (c->loop);
}

/* Many queued writes are committed in far fewer transactions than jobs, and a failing job
 * (a duplicate primary key) rolls back alone without harming its batch. */
static void
test_store_group_commit (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuStore) store = kefu_store_new (dir, &error);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Counter c = { loop, 0, 0, 0 };
  guint64 batches = 0, jobs = 0;
  const guint n = 2000;

  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    {
      /* every 100th job repeats the previous code and must fail */
      char *code = g_strdup_printf ("d%u", (i % 100 == 99) ? i - 1 : i);

      c.pending++;
      kefu_store_write_async (store, insert_department_job, code, g_free, g_free, NULL,
                              write_done, &c);
    }
  g_main_loop_run (loop);

  g_assert_cmpuint (c.failed, ==, n / 100);
  g_assert_cmpuint (c.ok, ==, n - n / 100);
  g_assert_cmpint (query_int (kefu_store_get_reader (store), "SELECT count(*) FROM departments"),
                   ==, n - n / 100);

  kefu_store_get_stats (store, &batches, &jobs);
  g_assert_cmpuint (jobs, ==, n);
  g_test_message ("%u jobs in %" G_GUINT64_FORMAT " commits", n, batches);
  g_assert_cmpuint (batches, <, n / 4);

  g_clear_object (&store);
  remove_dir (dir);
}

static void
test_store_write_sync (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuStore) store = kefu_store_new (dir, &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  value = kefu_store_write_sync (store, insert_department_job, (gpointer) "x", g_free, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "x");

  g_clear_pointer (&value, g_free);
  value = kefu_store_write_sync (store, insert_department_job, (gpointer) "x", g_free, &error);
  g_assert_error (error, KEFU_DB_ERROR, SQLITE_CONSTRAINT_PRIMARYKEY);
  g_assert_null (value);

  g_clear_object (&store);
  remove_dir (dir);
}

/* A database made by the first schema, with data in it, is upgraded in place on open. */
static void
test_store_migrate_from_v1 (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuStore) store = NULL;
  KefuDb *db;

  db = kefu_db_open (path, FALSE, &error);
  g_assert_no_error (error);
  kefu_schema_migrate (db, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kefu_db_get_user_version (db), ==, 1);
  kefu_db_exec (db,
                "INSERT INTO departments VALUES ('technical', 'Technical', '技术部');"
                "INSERT INTO users (username, display_name, role, department, password_hash,"
                " active, created_at, updated_at)"
                " VALUES ('old', 'Old User', 'agent', 'technical', 'x', 1, 1, 1);",
                &error);
  g_assert_no_error (error);
  /* v1 has no outbox yet */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'events'"),
                   ==, 0);
  kefu_db_close (db);

  store = kefu_store_new (dir, &error);
  g_assert_no_error (error);
  db = kefu_store_get_reader (store);
  g_assert_cmpint (kefu_db_get_user_version (db), ==, KEFU_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM users WHERE username = 'old'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'events'"),
                   ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM users WHERE last_login_at IS NULL"),
                   ==, 1);

  g_clear_object (&store);
  remove_dir (dir);
}

static char *
query_text (KefuDb     *db,
            const char *sql)
{
  sqlite3_stmt *stmt;
  char *v = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (kefu_db_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return v;
}

/* Schema 6 takes the phone number and the e-mail address out of the search text of existing
 * tickets, into columns of their own: the other lines stay exactly as they were (a non-ASCII
 * capital the C code lower-cased included); a row of another shape is rebuilt from its
 * document. */
static void
test_store_migrate_search (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuStore) store = NULL;
  g_autofree char *search = NULL;
  KefuDb *db;

  db = kefu_db_open (path, FALSE, &error);
  g_assert_no_error (error);
  kefu_schema_migrate (db, 5, &error);
  g_assert_no_error (error);
  kefu_db_exec (db,
                "INSERT INTO tickets (id, number, version, status, priority, category, channel,"
                " customer_phone, search, registered_at, updated_at, clock, doc) VALUES"
                " (1, 'FW20261123001', 1, 'new', 3, 'quality', 'phone', '13512347718',"
                "  'fw20261123001' || char (10) || 'émile wang' || char (10)"
                "  || '+86 135-1234-7718' || char (10) || '13512347718' || char (10)"
                "  || 'wang@example.com' || char (10) || 'c1001' || char (10) || 'so-7718'"
                "  || char (10) || '无法开机' || char (10) || '第二行',"
                "  1, 1, '{}',"
                "  json_object ('number', 'FW20261123001', 'description', '无法开机' || char (10)"
                "   || '第二行', 'customer', json_object ('name', 'Émile Wang',"
                "   'phone', '+86 135-1234-7718', 'email', 'Wang@Example.com', 'code', 'C1001',"
                "   'order_no', 'SO-7718')));"
                "INSERT INTO tickets (id, number, version, status, priority, category, channel,"
                " customer_phone, search, registered_at, updated_at, clock, doc) VALUES"
                " (2, 'FW20261123002', 1, 'new', 3, 'quality', 'phone', '13900001111',"
                "  'something else 13900001111', 1, 1, '{}',"
                "  json_object ('number', 'FW20261123002', 'description', 'Broken',"
                "   'customer', json_object ('name', 'Li', 'phone', '13900001111')));"
                "INSERT INTO tickets (id, number, version, status, priority, category, channel,"
                " customer_phone, search, registered_at, updated_at, clock, doc) VALUES"
                " (3, 'FW20261123003', 1, 'new', 3, 'quality', 'email', NULL,"
                "  'fw20261123003' || char (10) || 'li' || char (10) || 'li@example.org'"
                "  || char (10) || 'x',"
                "  1, 1, '{}',"
                "  json_object ('number', 'FW20261123003', 'description', 'x',"
                "   'customer', json_object ('name', 'Li', 'email', 'li@example.org')));",
                &error);
  g_assert_no_error (error);
  kefu_db_close (db);

  store = kefu_store_new (dir, &error);
  g_assert_no_error (error);
  db = kefu_store_get_reader (store);
  g_assert_cmpint (kefu_db_get_user_version (db), ==, KEFU_SCHEMA_VERSION);

  search = query_text (db, "SELECT search FROM tickets WHERE id = 1");
  g_assert_cmpstr (search, ==, "fw20261123001\némile wang\nc1001\nso-7718\n无法开机\n第二行");
  g_clear_pointer (&search, g_free);
  search = query_text (db, "SELECT phone_digits || ' ' || email FROM tickets WHERE id = 1");
  g_assert_cmpstr (search, ==, "8613512347718 wang@example.com");
  g_clear_pointer (&search, g_free);

  search = query_text (db, "SELECT search FROM tickets WHERE id = 2");
  g_assert_cmpstr (search, ==, "fw20261123002\nli\nbroken");
  g_clear_pointer (&search, g_free);
  g_assert_cmpint (query_int (db, "SELECT email IS NULL FROM tickets WHERE id = 2"), ==, 1);

  search = query_text (db, "SELECT search FROM tickets WHERE id = 3");
  g_assert_cmpstr (search, ==, "fw20261123003\nli\nx");
  g_clear_pointer (&search, g_free);
  g_assert_cmpint (query_int (db, "SELECT phone_digits IS NULL FROM tickets WHERE id = 3"), ==,
                   1);

  g_clear_object (&store);
  remove_dir (dir);
}

static void
test_store_refuses_newer (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuStore) store = NULL;
  KefuDb *db;

  db = kefu_db_open (path, FALSE, &error);
  g_assert_no_error (error);
  kefu_db_exec (db, "PRAGMA user_version = 999;", &error);
  g_assert_no_error (error);
  kefu_db_close (db);

  store = kefu_store_new (dir, &error);
  g_assert_null (store);
  g_assert_error (error, KEFU_DB_ERROR, 0);
  g_assert_nonnull (strstr (error->message, "newer"));

  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/pragmas", test_store_pragmas);
  g_test_add_func ("/store/group-commit", test_store_group_commit);
  g_test_add_func ("/store/write-sync", test_store_write_sync);
  g_test_add_func ("/store/migrate-from-v1", test_store_migrate_from_v1);
  g_test_add_func ("/store/migrate-search", test_store_migrate_search);
  g_test_add_func ("/store/refuses-newer", test_store_refuses_newer);

  return g_test_run ();
}
