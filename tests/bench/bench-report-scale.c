/* bench-report-scale.c — the reports over a million tickets: one month and three years
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it prints figures and fails only when it cannot run at all.
 *
 * 1. Builds a database of N tickets (default 1,000,000) registered over the three years before
 *    today, straight into SQLite in transactions of 100,000 (the bench measures the reading
 *    side): a ticket row per ticket (short document: the reports never read it) and its
 *    report_facts row, with realistic mixes — priorities, categories, channels, forty
 *    subcategories, thirty technicians, 12 % cross-department, statuses by age (the last
 *    fortnight still open), first responses and resolutions with 10 % late, 4 % cancelled,
 *    4 % reopened, escalations, satisfaction on 70 % of the closed ones.
 * 2. Spawns the real kefu-server binary on it and signs in as a manager.
 * 3. Times, over real HTTP, GET /reports/summary for the last whole month (target < 100 ms)
 *    and for the whole three years (target < 1 s), plus the weekly CSAT trend of three years
 *    and the CSV export of one month; R runs each (default 10), reporting the median and the
 *    extremes. Prints SQLite's plan of the summary's scan.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kefu-auth.h"
#include "kefu-bench-common.h"
#include "kefu-number.h"
#include "kefu-report-facts.h"
#include "kefu-store.h"

#define SECOND     (G_GINT64_CONSTANT (1000000))
#define MINUTE     (60 * SECOND)
#define HOUR       (60 * MINUTE)
#define DAY        (24 * HOUR)
#define TIME_ZONE  "Asia/Shanghai"
#define N_TECHS    30
#define FIRST_TECH 10
#define BATCH      100000

static int       opt_tickets = 1000000;
static int       opt_runs = 10;
static char     *opt_tmpdir;
static char     *opt_reuse;
static gboolean  opt_keep;

static GOptionEntry entries[] = {
  { "tickets", 'n', 0, G_OPTION_ARG_INT, &opt_tickets, "Tickets over the three years", "N" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Timed requests per report", "R" },
  { "tmpdir", 0, 0, G_OPTION_ARG_FILENAME, &opt_tmpdir, "Where to make the data directory",
    "DIR" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the data directory", NULL },
  { "reuse", 0, 0, G_OPTION_ARG_FILENAME, &opt_reuse,
    "Time the reports on a data directory kept from an earlier run (built today)", "DIR" },
  { NULL }
};

static const char *departments[][3] = {
  { "customer_service", "Customer service", "客服部" },
  { "technical", "Technical", "技术部" },
  { "logistics", "Logistics & warehouse", "仓储物流部" },
  { "product", "Product", "产品部" },
  { "quality", "Quality", "质检部" },
};

static const char *categories[] = { "quality", "logistics", "service", "consultation",
                                    "complaint" };
static const char *subcategories[5][8] = {
  { "功能故障", "无法开机", "噪音异常", "制冷异常", "漏水", "配件缺失", "外观破损", "显示异常" },
  { "物流延迟", "物流破损", "错发漏发", "丢件/无法签收", "配送态度", "未按时上门", "地址错误",
    "拒收" },
  { "服务态度", "响应慢", "流程繁琐", "上门迟到", "收费争议", "承诺未兑现", "多次转接", "其他" },
  { "使用方法", "保修政策", "安装指导", "配件购买", "信息更新", "价格咨询", "发票", "会员" },
  { "产品建议", "退款投诉", "服务投诉", "质量投诉", "虚假宣传", "隐私", "表扬", "其他建议" },
};
static const char *channels[] = { "phone", "online", "email", "web_form", "social",
                                  "platform", "app", "onsite" };
static const int priorities[10] = { 1, 2, 2, 2, 3, 3, 3, 3, 4, 4 };
static const int satisfactions[20] = { 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5,
                                       5 };

static gint64
mono (void)
{
  return g_get_monotonic_time ();
}

static void
check (KefuDb  *db,
       int      rc,
       int      expected)
{
  if (rc != expected)
    g_error ("database: %s", sqlite3_errmsg (kefu_db_handle (db)));
}

/* ---- the database ------------------------------------------------------------------------ */

static gboolean
seed_people (KefuDb  *db,
             gint64   now,
             GError **error)
{
  g_autofree char *hash = kefu_auth_hash_password ("bench", error);
  sqlite3_stmt *stmt;

  if (hash == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (departments); i++)
    {
      stmt = kefu_db_prepare (db, "INSERT INTO departments VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      for (guint j = 0; j < 3; j++)
        kefu_db_bind_text (stmt, j + 1, departments[i][j]);
      if (!kefu_db_step_done (db, stmt, error))
        return FALSE;
    }

  stmt = kefu_db_prepare (db,
                          "INSERT INTO users (id, username, display_name, role, department,"
                          " password_hash, active, created_at, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                          error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < 1 + N_TECHS; i++)
    {
      g_autofree char *username = i == 0 ? g_strdup ("manager") : g_strdup_printf ("tech%u", i);
      g_autofree char *name = i == 0 ? g_strdup ("售后总监 孙") : g_strdup_printf ("维修工程师 %u", i);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, i == 0 ? 2 : FIRST_TECH + i - 1);
      kefu_db_bind_text (stmt, 2, username);
      kefu_db_bind_text (stmt, 3, name);
      kefu_db_bind_text (stmt, 4, i == 0 ? "manager" : "technician");
      kefu_db_bind_text (stmt, 5, i == 0 ? "customer_service" : "technical");
      kefu_db_bind_text (stmt, 6, i == 0 ? hash : "x");
      sqlite3_bind_int64 (stmt, 7, now);
      sqlite3_bind_int64 (stmt, 8, now);
      if (!kefu_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
build_database (const char  *dir,
                gint64       now,
                GError     **error)
{
  g_autoptr(KefuStore) store = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GHashTable) day_serials = g_hash_table_new (g_direct_hash, g_direct_equal);
  KefuDb *db;
  sqlite3_stmt *ticket_stmt, *fact_stmt, *serial_stmt;
  gint64 start = now - 3 * 365 * DAY;
  gint64 spacing = 3 * 365 * DAY / opt_tickets;
  gint64 at = start;
  gint64 t0 = mono ();
  GHashTableIter iter;
  gpointer key, value;

  /* The schema, as the server makes it. */
  store = kefu_store_new (dir, error);
  if (store == NULL)
    return FALSE;
  kefu_store_close (store);
  g_clear_object (&store);

  db = kefu_db_open (path, FALSE, error);
  if (db == NULL)
    return FALSE;
  if (!kefu_db_exec (db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -200000; BEGIN;",
                     error) ||
      !seed_people (db, now, error))
    goto fail;

  ticket_stmt = kefu_db_prepare (db,
                                 "INSERT INTO tickets (id, number, version, status, priority,"
                                 " category, channel, assignee_id, department, customer_phone,"
                                 " order_no, search, registered_at, updated_at, next_due, clock,"
                                 " doc) VALUES (?, ?, 3, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL,"
                                 " '{}', '{}')",
                                 error);
  fact_stmt = kefu_db_prepare (db,
                               "INSERT INTO report_facts (registered_at, ticket_id, codes,"
                               " subcategory, assignee_id, involved, first_response_at,"
                               " resolved_at, response_due, resolve_due, department,"
                               " reopened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                               error);
  if (ticket_stmt == NULL || fact_stmt == NULL)
    goto fail;

  for (gint64 id = 1; id <= opt_tickets; id++)
    {
      int priority = priorities[g_rand_int_range (rand, 0, 10)];
      int category = g_rand_int_range (rand, 0, 5);
      const char *subcategory = subcategories[category][MIN (g_rand_int_range (rand, 0, 8),
                                                             g_rand_int_range (rand, 0, 8))];
      const char *channel = channels[g_rand_int_range (rand, 0, 8)];
      gint64 age = now - at;
      gint64 tech = FIRST_TECH + g_rand_int_range (rand, 0, N_TECHS);
      const char *department = departments[g_rand_int_range (rand, 0, 5)][0];
      const char *supporting = NULL;
      const char *status;
      gint64 response_target = (gint64[]) { 0, 2, 4, 24, 48 }[priority] * HOUR;
      gint64 resolve_target = (gint64[]) { 0, 24, 48, 72, 120 }[priority] * HOUR;
      gint64 first_response_at = 0, resolved_at = 0, response_due = 0, resolve_due = 0;
      int response_sla = 0, resolve_sla = 0, reopened = 0, level = 0, satisfaction = 0;
      int roll = g_rand_int_range (rand, 0, 100);
      guint32 day = kefu_number_day_key (at, tz);
      guint serial = GPOINTER_TO_UINT (g_hash_table_lookup (day_serials,
                                                            GUINT_TO_POINTER (day))) + 1;
      g_autofree char *number = kefu_number_format (day, serial);
      g_autofree char *phone = g_strdup_printf ("138%08" G_GINT64_FORMAT, id % 100000000);
      int i = 1;

      g_hash_table_insert (day_serials, GUINT_TO_POINTER (day), GUINT_TO_POINTER (serial));
      if (g_rand_int_range (rand, 0, 100) < 12)
        supporting = departments[g_rand_int_range (rand, 0, 5)][0];
      if (g_strcmp0 (supporting, department) == 0)
        supporting = NULL;

      /* Statuses by age: 4 % cancelled, the last fortnight partly still open. */
      if (roll < 4)
        status = "cancelled";
      else if (age < 14 * DAY && roll < 40)
        status = (const char *[]) { "new", "assigned", "in_progress", "waiting_customer",
                                    "waiting_parts", "reopened" }[roll % 6];
      else if (age < 3 * DAY)
        status = "resolved";
      else
        status = "closed";

      if (!g_str_equal (status, "cancelled") && !g_str_equal (status, "new"))
        {
          /* A first response within its target nine times in ten. */
          gboolean late = g_rand_int_range (rand, 0, 10) == 0;

          first_response_at = at + (late ? response_target + g_rand_int_range (rand, 60, 6000)
                                                               * MINUTE
                                         : g_rand_int_range (rand, 60, (int) (response_target /
                                                                               SECOND)) * SECOND);
          response_sla = late ? 2 : 1;
        }
      else if (!g_str_equal (status, "cancelled"))
        {
          response_due = at + response_target;
        }

      if (g_str_equal (status, "resolved") || g_str_equal (status, "closed"))
        {
          gboolean late = g_rand_int_range (rand, 0, 10) == 0;

          resolved_at = MAX (first_response_at, at) +
                        (late ? resolve_target + g_rand_int_range (rand, 60, 20000) * MINUTE
                              : g_rand_int_range (rand, 600, (int) (resolve_target / SECOND))
                                * SECOND);
          resolve_sla = late ? 2 : 1;
          reopened = g_rand_int_range (rand, 0, 100) < 4;
          if (g_str_equal (status, "closed") && g_rand_int_range (rand, 0, 10) < 7)
            satisfaction = satisfactions[g_rand_int_range (rand, 0, 20)];
        }
      else if (!g_str_equal (status, "cancelled"))
        {
          resolve_due = at + resolve_target;
          if (g_str_equal (status, "reopened"))
            {
              reopened = 1;
              satisfaction = g_rand_int_range (rand, 1, 3);
            }
        }
      if (response_sla == 2 || resolve_sla == 2)
        level = priority == 1 && resolve_sla == 2 ? 2 : 1;
      if (reopened && satisfaction != 0 && satisfaction <= 2)
        level = 2;

      sqlite3_reset (ticket_stmt);
      sqlite3_bind_int64 (ticket_stmt, i++, id);
      kefu_db_bind_text (ticket_stmt, i++, number);
      kefu_db_bind_text (ticket_stmt, i++, status);
      sqlite3_bind_int (ticket_stmt, i++, priority);
      kefu_db_bind_text (ticket_stmt, i++, categories[category]);
      kefu_db_bind_text (ticket_stmt, i++, channel);
      sqlite3_bind_int64 (ticket_stmt, i++, tech);
      kefu_db_bind_text (ticket_stmt, i++, department);
      kefu_db_bind_text (ticket_stmt, i++, phone);
      kefu_db_bind_text (ticket_stmt, i++, NULL);
      kefu_db_bind_text (ticket_stmt, i++, number);
      sqlite3_bind_int64 (ticket_stmt, i++, at);
      sqlite3_bind_int64 (ticket_stmt, i++, MAX (at, resolved_at));
      check (db, sqlite3_step (ticket_stmt), SQLITE_DONE);

      i = 1;
      sqlite3_reset (fact_stmt);
      sqlite3_bind_int64 (fact_stmt, i++, at);
      sqlite3_bind_int64 (fact_stmt, i++, id);
      sqlite3_bind_int64 (fact_stmt, i++,
                          kefu_report_facts_pack (priority,
                                                  kefu_report_facts_code (
                                                    kefu_report_category_words,
                                                    KEFU_FACTS_N_CATEGORIES,
                                                    categories[category]),
                                                  kefu_report_facts_code (
                                                    kefu_report_channel_words,
                                                    KEFU_FACTS_N_CHANNELS, channel),
                                                  kefu_report_facts_code (
                                                    kefu_report_status_words,
                                                    KEFU_FACTS_N_STATUSES, status),
                                                  response_sla, resolve_sla, level,
                                                  satisfaction, reopened));
      kefu_db_bind_text (fact_stmt, i++, subcategory);
      if (g_str_equal (status, "new"))
        sqlite3_bind_null (fact_stmt, i++);
      else
        sqlite3_bind_int64 (fact_stmt, i++, tech);
      if (supporting != NULL)
        {
          g_autofree char *involved = g_strdup_printf ("%s,%s", department, supporting);

          kefu_db_bind_text (fact_stmt, i++, involved);
        }
      else
        {
          sqlite3_bind_null (fact_stmt, i++);
        }
      kefu_db_bind_time (fact_stmt, i++, first_response_at);
      kefu_db_bind_time (fact_stmt, i++, resolved_at);
      kefu_db_bind_time (fact_stmt, i++, response_due);
      kefu_db_bind_time (fact_stmt, i++, resolve_due);
      kefu_db_bind_text (fact_stmt, i++, department);
      check (db, sqlite3_step (fact_stmt), SQLITE_DONE);

      at += g_rand_int_range (rand, 0, (int) (2 * spacing / SECOND) + 1) * SECOND;
      if (at > now - MINUTE)
        at = now - MINUTE;

      if (id % BATCH == 0)
        {
          if (!kefu_db_exec (db, "COMMIT; BEGIN;", error))
            goto fail;
          g_printerr ("\r  %" G_GINT64_FORMAT " / %d tickets (%.0f s) ", id, opt_tickets,
                      (mono () - t0) / 1e6);
        }
    }

  serial_stmt = kefu_db_prepare (db, "INSERT INTO day_serials (day, last) VALUES (?, ?)", error);
  if (serial_stmt == NULL)
    goto fail;
  g_hash_table_iter_init (&iter, day_serials);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_reset (serial_stmt);
      sqlite3_bind_int64 (serial_stmt, 1, GPOINTER_TO_UINT (key));
      sqlite3_bind_int64 (serial_stmt, 2, GPOINTER_TO_UINT (value));
      check (db, sqlite3_step (serial_stmt), SQLITE_DONE);
    }

  if (!kefu_db_exec (db, "COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);", error))
    goto fail;

  g_printerr ("\r%60s\r", "");
  kefu_db_close (db);
  return TRUE;

fail:
  kefu_db_close (db);
  return FALSE;
}

static void
print_plan (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuDb) db = kefu_db_open (path, TRUE, &error);
  sqlite3_stmt *stmt;

  if (db == NULL)
    return;
  stmt = kefu_db_prepare (db,
                          "EXPLAIN QUERY PLAN SELECT registered_at, codes, subcategory,"
                          " assignee_id, involved, first_response_at, resolved_at, response_due,"
                          " resolve_due FROM report_facts"
                          " WHERE registered_at >= ? AND registered_at < ?",
                          NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_print ("  plan of the summary's scan: %s\n", kefu_db_column_text (stmt, 3));
  if (stmt != NULL)
    sqlite3_reset (stmt);
}

static gint64
scalar (const char *dir,
        const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuDb) db = kefu_db_open (path, TRUE, &error);
  sqlite3_stmt *stmt;
  gint64 value = -1;

  if (db == NULL)
    g_error ("%s", error->message);
  stmt = kefu_db_prepare (db, sql, &error);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

/* ---- timing ------------------------------------------------------------------------------ */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* CPU seconds (user + system, all threads) used so far by process @pid; -1 if unknown. */
static double
process_cpu (GPid pid)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *p;

  if (pid <= 0 || !g_file_get_contents (file, &text, NULL, NULL))
    return -1;
  /* After "(comm)": state is field 3; utime and stime are fields 14 and 15. */
  p = strrchr (text, ')');
  if (p == NULL)
    return -1;
  fields = g_strsplit (p + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static GPid server_pid;

/* GETs @path @runs times (after one untimed request); prints the median, min and max wall time
 * in ms, and the server's CPU time per request (all its threads: load-independent). */
static double
time_get (SoupSession *session,
          const char  *base,
          const char  *token,
          const char  *label,
          const char  *path,
          int          runs,
          gsize       *out_size)
{
  double cpu0 = 0, cpu1;
  g_autofree char *url = g_strconcat (base, API_PREFIX, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gsize size = 0;
  double median;

  for (int i = -1; i < runs; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      gint64 t0;
      double ms;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
      t0 = mono ();
      body = soup_session_send_and_read (session, msg, NULL, &error);
      ms = (mono () - t0) / 1000.0;
      if (body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
        g_error ("GET %s: %s %u", path, error ? error->message : "status",
                 soup_message_get_status (msg));
      size = g_bytes_get_size (body);
      if (i >= 0)
        g_array_append_val (times, ms);
      else
        cpu0 = process_cpu (server_pid);
    }
  cpu1 = process_cpu (server_pid);

  g_array_sort (times, compare_double);
  median = g_array_index (times, double, times->len / 2);
  g_print ("  %-40s median %7.1f ms (min %.1f, max %.1f; server CPU %.0f ms/request;"
           " %d runs; %" G_GSIZE_FORMAT " bytes)\n", label, median,
           g_array_index (times, double, 0), g_array_index (times, double, times->len - 1),
           cpu0 >= 0 && cpu1 >= 0 ? (cpu1 - cpu0) * 1000 / runs : -1.0, runs, size);
  if (out_size != NULL)
    *out_size = size;
  return median;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— reports over a million tickets");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) month_start = NULL;
  g_autoptr(GDateTime) month_end = NULL;
  g_autoptr(GDateTime) years_ago = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree char *base = NULL;
  g_autofree char *token = NULL;
  g_autofree char *month_from = NULL, *month_to = NULL, *all_from = NULL, *all_to = NULL;
  g_autofree char *path = NULL;
  const char *server_args[] = { "--time-zone", TIME_ZONE, NULL };
  Server srv = { 0 };
  double month_ms, all_ms;
  gint64 now, t0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_tickets < 1000 || opt_runs < 1)
    {
      g_printerr ("bad --tickets (at least 1000) or --runs\n");
      return 2;
    }

  template = g_build_filename (opt_tmpdir ? opt_tmpdir : g_get_tmp_dir (),
                               "kefu-bench-report-XXXXXX", NULL);
  if (opt_reuse != NULL)
    {
      dir = g_strdup (opt_reuse);
      opt_keep = TRUE;
    }
  else
    dir = g_mkdtemp (template) ? g_strdup (template) : NULL;
  if (dir == NULL)
    {
      g_printerr ("cannot make a data directory: %s\n", g_strerror (errno));
      return 1;
    }

  /* 1. the database */
  now = g_get_real_time () / SECOND * SECOND;
  g_print ("Reports at scale — data in %s\n", dir);
  t0 = mono ();
  if (opt_reuse == NULL && !build_database (dir, now, &error))
    {
      g_printerr ("cannot build the database: %s\n", error->message);
      return 1;
    }
  g_print ("  database: %d tickets over three years built in %.1f s; %.0f MB"
           " (report_facts %.0f MB)\n",
           opt_tickets, (mono () - t0) / 1e6,
           (double) scalar (dir, "SELECT page_count * page_size FROM pragma_page_count,"
                                 " pragma_page_size") / 1e6,
           (double) scalar (dir, "SELECT sum (pgsize) FROM dbstat WHERE name = 'report_facts'")
           / 1e6);
  print_plan (dir);

  /* The periods, in the server's zone: the last whole month, and three years to today. */
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / SECOND);

    today = g_date_time_to_timezone (utc, tz);
  }
  {
    g_autoptr(GDateTime) first = g_date_time_new (tz, g_date_time_get_year (today),
                                                  g_date_time_get_month (today), 1, 0, 0, 0);

    month_start = g_date_time_add_months (first, -1);
    month_end = g_date_time_add_days (first, -1);
  }
  years_ago = g_date_time_add_years (today, -3);
  month_from = g_date_time_format (month_start, "%Y-%m-%d");
  month_to = g_date_time_format (month_end, "%Y-%m-%d");
  all_from = g_date_time_format (years_ago, "%Y-%m-%d");
  all_to = g_date_time_format (today, "%Y-%m-%d");

  /* 2. the real server */
  if (!kefu_bench_server_spawn_full (&srv, dir, server_args, FALSE, &error))
    {
      g_printerr ("cannot start the server: %s\n", error->message);
      return 1;
    }
  server_pid = srv.pid;
  base = g_strdup_printf ("http://127.0.0.1:%u", srv.port);
  session = soup_session_new ();
  soup_session_set_timeout (session, 120);
  token = kefu_bench_sign_in (session, base, "manager", "bench", &error);
  if (token == NULL)
    {
      g_printerr ("cannot sign in: %s\n", error->message);
      kefu_bench_server_stop (&srv);
      return 1;
    }

  /* 3. the reports */
  g_print ("  month %s … %s: %" G_GINT64_FORMAT " tickets; three years %s … %s: %"
           G_GINT64_FORMAT " tickets\n", month_from, month_to,
           scalar (dir, (path = g_strdup_printf ("SELECT count(*) FROM report_facts WHERE"
                                                 " registered_at >= %" G_GINT64_FORMAT
                                                 " AND registered_at < %" G_GINT64_FORMAT,
                                                 g_date_time_to_unix (month_start) * SECOND,
                                                 (g_date_time_to_unix (month_end) + 86400)
                                                 * SECOND))),
           all_from, all_to, scalar (dir, "SELECT count(*) FROM report_facts"));
  g_clear_pointer (&path, g_free);

  path = g_strdup_printf ("/reports/summary?from=%s&to=%s", month_from, month_to);
  month_ms = time_get (session, base, token, "summary, one month (target < 100 ms)", path,
                       opt_runs, NULL);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/reports/summary?from=%s&to=%s", all_from, all_to);
  all_ms = time_get (session, base, token, "summary, three years (target < 1 s)", path,
                     MAX (opt_runs / 2, 1), NULL);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/reports/csat-trend?from=%s&to=%s&bucket=week", all_from, all_to);
  time_get (session, base, token, "CSAT trend by week, three years", path,
            MAX (opt_runs / 2, 1), NULL);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/reports/csat-trend?from=%s&to=%s&bucket=day", month_from, month_to);
  time_get (session, base, token, "CSAT trend by day, one month", path, opt_runs, NULL);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/reports/export.csv?from=%s&to=%s", month_from, month_to);
  time_get (session, base, token, "CSV export, one month", path, MAX (opt_runs / 2, 1), NULL);
  g_clear_pointer (&path, g_free);

  g_print ("  verdict: one month %.1f ms (%s), three years %.1f ms (%s)\n", month_ms,
           month_ms < 100 ? "met" : "MISSED", all_ms, all_ms < 1000 ? "met" : "MISSED");

  kefu_bench_server_stop (&srv);
  if (!opt_keep)
    remove_tree (dir);
  else
    g_print ("  kept %s\n", dir);
  return 0;
}
