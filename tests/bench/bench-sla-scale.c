/* bench-sla-scale.c — the SLA scheduler with a million open tickets: start-up time, 10,000
 * simultaneous dues, and what an idle server costs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it prints figures and fails only when it cannot run at all.
 *
 * 1. Builds a database of N open tickets (default 1,000,000) through the server's own insert
 *    code (kefu_ticket_repo_insert(), one transaction per 50,000 rows): P1–P4, registered over
 *    the last three days, new / assigned / in progress / waiting for the customer, with their
 *    dues computed by the SLA calculus and everything up to NOW + 30 min marked as handled (as
 *    the scheduler would have left it) — so their next_due spread over the following days. Of
 *    them, H (default 10,000) "hot" P2 tickets were registered at NOW − 2 h 52 min, so that the
 *    warning points of their first response and progress update (80 % of 4 h) both fall at
 *    NOW + 20 min, before anything else.
 * 2. Start-up: spawns the real kefu-server binary on that database and measures the time until
 *    GET /health answers (target < 2 s).
 * 3. Idle: runs the server in this process on the system clock for S seconds (default 60)
 *    while nothing is due, and reports the CPU time of the whole process (getrusage), the
 *    context switches of all its threads (/proc/self/task/…/status: every wake-up of any thread
 *    is one) and the scheduler's timer wake-ups (target: none).
 * 4. Dues: runs the server in this process on a manual clock set to NOW, moves it to
 *    NOW + 20 min and measures until the scheduler has committed the H tickets (2 H alerts,
 *    their timeline events and outbox rows) (target < 1 s).
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kefu-manual-clock.h"
#include "kefu-number.h"
#include "kefu-server.h"
#include "kefu-sla-scheduler.h"
#include "kefu-system-clock.h"
#include "kefu-ticket-ops.h"
#include "kefu-ticket-repo.h"

#define SECOND     (G_GINT64_CONSTANT (1000000))
#define MINUTE     (60 * SECOND)
#define HOUR       (60 * MINUTE)
#define TIME_ZONE  "Asia/Shanghai"
#define N_TECHS    20

static int       opt_tickets = 1000000;
static int       opt_hot = 10000;
static int       opt_idle = 60;
static int       opt_batch = 0;
static char     *opt_tmpdir;
static gboolean  opt_keep;

static GOptionEntry entries[] = {
  { "tickets", 'n', 0, G_OPTION_ARG_INT, &opt_tickets, "Open tickets in the database", "N" },
  { "hot", 0, 0, G_OPTION_ARG_INT, &opt_hot, "Tickets that fall due at the same instant", "H" },
  { "idle-seconds", 0, 0, G_OPTION_ARG_INT, &opt_idle, "How long to watch the idle server",
    "S" },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch, "Tickets per scheduler write job (0 = default)",
    "B" },
  { "tmpdir", 0, 0, G_OPTION_ARG_FILENAME, &opt_tmpdir, "Where to make the data directory",
    "DIR" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the data directory", NULL },
  { NULL }
};

static gint64
mono (void)
{
  return g_get_monotonic_time ();
}

/* ---- the database ------------------------------------------------------------------------ */

static gboolean
exec (KefuDb     *db,
      const char *sql,
      GError    **error)
{
  return kefu_db_exec (db, sql, error);
}

static gboolean
seed_people (KefuDb  *db,
             gint64   now,
             GError **error)
{
  static const char *departments[][3] = {
    { "customer_service", "Customer service", "客服部" },
    { "technical", "Technical", "技术部" },
    { "logistics", "Logistics & warehouse", "仓储物流部" },
    { "product", "Product", "产品部" },
    { "quality", "Quality", "质检部" },
  };
  g_autofree char *users = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (departments); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO departments VALUES ('%s', '%s', '%s')",
                                              departments[i][0], departments[i][1],
                                              departments[i][2]);

      if (!exec (db, sql, error))
        return FALSE;
    }

  /* The password hash is never used: nobody signs in. */
  users = g_strdup_printf (
    "INSERT INTO users (id, username, display_name, role, department, password_hash, active,"
    " created_at, updated_at) VALUES"
    " (1, 'admin', 'Administrator', 'admin', 'technical', 'x', 1, %" G_GINT64_FORMAT ", 0),"
    " (2, 'supervisor', 'Supervisor', 'supervisor', 'technical', 'x', 1, 0, 0),"
    " (3, 'agent', 'Agent', 'agent', 'customer_service', 'x', 1, 0, 0)", now);
  if (!exec (db, users, error))
    return FALSE;
  for (guint i = 0; i < N_TECHS; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO users (id, username, display_name, role, department, password_hash, active,"
        " created_at, updated_at) VALUES (%u, 'tech%u', 'Technician %u', 'technician',"
        " 'technical', 'x', 1, 0, 0)", 10 + i, i, i);

      if (!exec (db, sql, error))
        return FALSE;
    }
  return TRUE;
}

/* Marks every point up to @until handled, as the scheduler would have; sets the level. */
static void
pre_handle (KefuTicket      *ticket,
            KefuTicketClock *clock,
            gint64           until)
{
  for (guint c = 0; c < KEFU_SLA_CLOCK_LAST; c++)
    {
      gint64 due = clock->dues.due[c];
      gint64 warn = clock->dues.warn[c];

      if (due == 0)
        continue;
      if (due != G_MAXINT64 && due <= until)
        {
          kefu_ticket_clock_set_stage (clock, c, KEFU_SLA_STAGE_BREACHED);
          ticket->escalation_level = MAX (ticket->escalation_level,
                                          c == KEFU_SLA_CLOCK_RESOLVE && ticket->priority == 1
                                          ? 2 : 1);
        }
      else if (warn != 0 && warn != G_MAXINT64 && warn <= until)
        {
          kefu_ticket_clock_set_stage (clock, c, KEFU_SLA_STAGE_WARNED);
        }
    }
}

static KefuTicket *
make_ticket (GRand            *rand,
             guint32           day,
             guint             serial,
             gint64            now,
             gboolean          hot,
             KefuSlaPolicy    *policy,
             KefuTicketClock **out_clock)
{
  static const int priorities[10] = { 1, 2, 2, 2, 3, 3, 3, 3, 4, 4 };
  KefuTicket *t = kefu_ticket_new ();
  KefuTicketClock *clock = kefu_ticket_clock_new ();
  int kind = hot ? 0 : g_rand_int_range (rand, 0, 20);
  gint64 handled_until;

  t->number = kefu_number_format (day, serial);
  t->version = 1;
  t->channel = g_rand_int_range (rand, 0, KEFU_CHANNEL_LAST);
  t->stage = KEFU_STAGE_AFTER_SALE;
  t->category = g_rand_int_range (rand, 0, KEFU_CATEGORY_LAST);
  t->subcategory = g_strdup ("功能故障");
  t->customer.name = g_strdup_printf ("客户%u", serial);
  t->customer.phone = g_strdup_printf ("138%08u", serial % 100000000);
  t->customer.order_no = g_strdup_printf ("SO-%u", serial);
  t->description = g_strdup ("洗衣机无法开机，指示灯不亮。The washing machine does not start.");
  kefu_user_ref_set (&t->registered_by, 3, "Agent");

  if (hot)
    {
      /* P2, unassigned: response and update warnings at now + 20 min. */
      t->priority = 2;
      t->registered_at = now + 20 * MINUTE - (3 * HOUR + 12 * MINUTE);
      t->status = KEFU_STATUS_NEW;
      handled_until = now;
    }
  else
    {
      t->priority = priorities[g_rand_int_range (rand, 0, 10)];
      t->registered_at = now - g_rand_int_range (rand, 3600, 72 * 3600) * SECOND;
      handled_until = now + 30 * MINUTE;
      if (kind < 5)
        {
          t->status = KEFU_STATUS_NEW;
        }
      else
        {
          gint64 tech = 10 + g_rand_int_range (rand, 0, N_TECHS);
          g_autofree char *name = g_strdup_printf ("Technician %" G_GINT64_FORMAT, tech - 10);

          kefu_user_ref_set (&t->assignee, tech, name);
          t->department = g_strdup ("technical");
          clock->assigned_at = t->registered_at + 10 * MINUTE;
          t->status = KEFU_STATUS_ASSIGNED;
          if (kind >= 10)
            {
              gint64 span = now - (t->registered_at + 20 * MINUTE);

              t->status = kind >= 17 ? KEFU_STATUS_WAITING_CUSTOMER : KEFU_STATUS_IN_PROGRESS;
              t->sla.accepted_at = clock->assigned_at + 5 * MINUTE;
              t->sla.first_response_at = t->registered_at + 20 * MINUTE;
              clock->last_contact_at = t->sla.first_response_at +
                                       (span > SECOND ? g_rand_int_range (rand, 0, span / SECOND)
                                                        * SECOND : 0);
              if (t->status == KEFU_STATUS_WAITING_CUSTOMER)
                {
                  KefuSlaPause pause = { clock->last_contact_at + MINUTE, 0 };

                  g_array_append_val (clock->pauses, pause);
                }
            }
        }
    }
  t->updated_at = t->registered_at;

  kefu_ticket_recompute_sla (t, clock, policy, handled_until);
  pre_handle (t, clock, handled_until);
  t->sla.state = kefu_sla_state_at (&clock->dues, handled_until);

  *out_clock = clock;
  return t;
}

static gboolean
build_database (const char  *dir,
                gint64       now,
                GError     **error)
{
  g_autoptr(KefuStore) store = NULL;
  g_autoptr(KefuSlaPolicy) policy = kefu_sla_policy_new_default (TIME_ZONE);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autofree char *serials = NULL;
  KefuDb *db;
  guint32 day = kefu_number_day_key (now, tz);
  guint n = (guint) opt_tickets;
  guint hot = (guint) MIN (opt_hot, opt_tickets);
  gint64 t0 = mono ();

  /* The schema, as the server makes it. */
  store = kefu_store_new (dir, error);
  if (store == NULL)
    return FALSE;
  kefu_store_close (store);
  g_clear_object (&store);

  db = kefu_db_open (path, FALSE, error);
  if (db == NULL)
    return FALSE;
  if (!exec (db, "PRAGMA synchronous = OFF;", error) ||
      !exec (db, "BEGIN;", error) ||
      !seed_people (db, now, error))
    goto fail;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KefuTicketClock) clock = NULL;
      g_autoptr(KefuTicket) ticket = NULL;
      guint step = hot > 0 ? n / hot : 0;
      gboolean is_hot = step > 0 && i % step == 0 && i / step < hot;

      ticket = make_ticket (rand, day, i + 1, now, is_hot, policy, &clock);

      if (!kefu_ticket_repo_insert (db, ticket, clock, error))
        goto fail;
      if ((i + 1) % 50000 == 0)
        {
          if (!exec (db, "COMMIT; BEGIN;", error))
            goto fail;
          g_printerr ("\r  %u / %u tickets (%.0f s) ", i + 1, n, (mono () - t0) / 1e6);
        }
    }

  serials = g_strdup_printf ("INSERT INTO day_serials (day, last) VALUES (%u, %u)", day, n);
  if (!exec (db, serials, error) || !exec (db, "COMMIT;", error) ||
      !exec (db, "PRAGMA wal_checkpoint(TRUNCATE);", error))
    goto fail;

  g_printerr ("\r%60s\r", "");
  kefu_db_close (db);
  return TRUE;

fail:
  kefu_db_close (db);
  return FALSE;
}

static gint64
scalar (const char *dir,
        const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autoptr(GError) error = NULL;
  KefuDb *db = kefu_db_open (path, TRUE, &error);
  sqlite3_stmt *stmt;
  gint64 value = -1;

  if (db == NULL)
    g_error ("%s", error->message);
  stmt = kefu_db_prepare (db, sql, &error);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  kefu_db_close (db);
  return value;
}

/* ---- start-up of the real binary --------------------------------------------------------- */

static char *
find_server_binary (void)
{
  const char *env = g_getenv ("KEFU_SERVER_BINARY");
  g_autofree char *self = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
#ifdef KEFU_SERVER_BINARY
  if (g_file_test (KEFU_SERVER_BINARY, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (KEFU_SERVER_BINARY);
#endif
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *candidate = g_build_filename (dir, "..", "..", "server", "kefu-server",
                                                     NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any, TRUE, NULL))
    return 0;
  bound = g_socket_get_local_address (socket, NULL);
  return bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

/* One GET /health over a fresh connection: TRUE when it answered 200. */
static gboolean
health_ok (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autofree char *request = g_strdup_printf ("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:%u"
                                              "\r\nConnection: close\r\n\r\n", port);
  char buf[64] = { 0 };
  gsize n = 0;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  if (conn == NULL)
    return FALSE;
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                  strlen (request), NULL, NULL, NULL))
    return FALSE;
  if (!g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf,
                                sizeof buf - 1, &n, NULL, NULL))
    return FALSE;
  return g_str_has_prefix (buf, "HTTP/1.1 200");
}

static double
measure_startup (const char *dir)
{
  g_autofree char *exe = find_server_binary ();
  g_autofree char *listen = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = free_port ();
  gint64 t0;
  double seconds = -1;

  if (exe == NULL || port == 0)
    {
      g_printerr ("cannot find kefu-server (set KEFU_SERVER_BINARY) or a free port\n");
      return -1;
    }
  listen = g_strdup_printf ("127.0.0.1:%u", port);

  t0 = mono ();
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, exe, "--data-dir", dir,
                           "--listen", listen, "--time-zone", TIME_ZONE, NULL);
  if (proc == NULL)
    {
      g_printerr ("cannot start %s: %s\n", exe, error->message);
      return -1;
    }

  while (mono () - t0 < 60 * SECOND)
    {
      if (health_ok (port))
        {
          seconds = (mono () - t0) / 1e6;
          break;
        }
      g_usleep (1000);
    }

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
  return seconds;
}

/* ---- a server in this process ------------------------------------------------------------ */

typedef struct {
  char         *dir;
  KefuClock    *clock;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  KefuServer   *server;
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GError       *error;
} Runner;

static gpointer
runner_thread (gpointer data)
{
  Runner *r = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (r->context);
  r->server = kefu_server_new (r->dir, r->clock, TIME_ZONE);
  kefu_server_start (r->server, "127.0.0.1:0", &error);
  if (error == NULL && opt_batch > 0)
    kefu_sla_scheduler_set_batch_size (kefu_server_get_sla_scheduler (r->server), opt_batch);

  g_mutex_lock (&r->mutex);
  r->error = g_steal_pointer (&error);
  r->ready = TRUE;
  g_cond_signal (&r->cond);
  g_mutex_unlock (&r->mutex);

  if (r->error == NULL)
    g_main_loop_run (r->loop);

  kefu_server_stop (r->server);
  g_clear_object (&r->server);
  while (g_main_context_iteration (r->context, FALSE))
    ;
  g_main_context_pop_thread_default (r->context);
  return NULL;
}

static Runner *
runner_start (const char *dir,
              KefuClock  *clock)
{
  Runner *r = g_new0 (Runner, 1);

  r->dir = g_strdup (dir);
  r->clock = g_object_ref (clock);
  r->context = g_main_context_new ();
  r->loop = g_main_loop_new (r->context, FALSE);
  g_mutex_init (&r->mutex);
  g_cond_init (&r->cond);
  r->thread = g_thread_new ("bench-server", runner_thread, r);

  g_mutex_lock (&r->mutex);
  while (!r->ready)
    g_cond_wait (&r->cond, &r->mutex);
  g_mutex_unlock (&r->mutex);
  if (r->error != NULL)
    g_error ("the server did not start: %s", r->error->message);
  return r;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
runner_stop (Runner *r)
{
  g_main_context_invoke (r->context, quit_cb, r->loop);
  g_thread_join (r->thread);
  g_main_loop_unref (r->loop);
  g_main_context_unref (r->context);
  g_object_unref (r->clock);
  g_mutex_clear (&r->mutex);
  g_cond_clear (&r->cond);
  g_free (r->dir);
  g_free (r);
}

/* Context switches of every thread of this process so far (those that ended included): each
 * time a thread went to sleep or was preempted. A thread that wakes up is one of them. */
static guint64
context_switches (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (guint64) ru.ru_nvcsw + (guint64) ru.ru_nivcsw;
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ---- main -------------------------------------------------------------------------------- */

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
  g_autoptr(GOptionContext) context = g_option_context_new ("— SLA scheduler at scale");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  KefuSlaSchedulerStats before, after;
  gint64 now, t0, build_us;
  double startup, cpu0, cpu1;
  guint64 ctx0, ctx1;
  gint64 alerts0, alerts1;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_tickets < 1 || opt_hot < 0 || opt_hot > opt_tickets || opt_idle < 1)
    {
      g_printerr ("bad --tickets / --hot / --idle-seconds\n");
      return 2;
    }

  template = g_build_filename (opt_tmpdir ? opt_tmpdir : g_get_tmp_dir (),
                               "kefu-bench-sla-XXXXXX", NULL);
  dir = g_mkdtemp (template) ? g_strdup (template) : NULL;
  if (dir == NULL)
    {
      g_printerr ("cannot make a data directory: %s\n", g_strerror (errno));
      return 1;
    }

  /* 1. the database */
  now = g_get_real_time () / SECOND * SECOND;
  g_print ("SLA scheduler at scale — data in %s\n", dir);
  t0 = mono ();
  if (!build_database (dir, now, &error))
    {
      g_printerr ("cannot build the database: %s\n", error->message);
      return 1;
    }
  build_us = mono () - t0;
  g_print ("  database: %d open tickets (%d hot) built in %.1f s; %" G_GINT64_FORMAT
           " with a pending point, the earliest in %.0f min (the hot ones), the next in %.0f"
           " min; %.0f MB\n",
           opt_tickets, opt_hot, build_us / 1e6,
           scalar (dir, "SELECT count(*) FROM tickets WHERE next_due IS NOT NULL"),
           (scalar (dir, "SELECT min(next_due) FROM tickets") - now) / 60e6,
           (scalar (dir, "SELECT min(next_due) FROM tickets WHERE next_due > (SELECT"
                         " min(next_due) FROM tickets)") - now) / 60e6,
           (double) scalar (dir, "SELECT page_count * page_size FROM pragma_page_count,"
                                 " pragma_page_size") / 1e6);
  if (g_get_real_time () + 3 * MINUTE + opt_idle * SECOND > now + 20 * MINUTE)
    g_print ("  (the build took long: the hot tickets may fall due during the idle phase)\n");

  /* 2. start-up of the real server: the first time (cold-ish page cache) and again */
  startup = measure_startup (dir);
  g_print ("  start-up: GET /health answered %.3f s after spawning kefu-server", startup);
  startup = measure_startup (dir);
  g_print (", %.3f s the second time (target < 2 s)\n", startup);

  /* 3. idle on the system clock */
  {
    g_autoptr(KefuClock) clock = kefu_system_clock_new ();
    Runner *r = runner_start (dir, clock);
    KefuSlaScheduler *scheduler = kefu_server_get_sla_scheduler (r->server);

    g_usleep (2 * SECOND);  /* let start-up settle */
    kefu_sla_scheduler_get_stats (scheduler, &before);
    cpu0 = cpu_seconds ();
    ctx0 = context_switches ();
    g_usleep ((gulong) opt_idle * SECOND);
    cpu1 = cpu_seconds ();
    ctx1 = context_switches ();
    kefu_sla_scheduler_get_stats (scheduler, &after);
    g_print ("  idle %d s (nothing due): CPU %.3f s (%.4f %%), %" G_GUINT64_FORMAT
             " context switches in all threads (this program's own sleep is one), %"
             G_GUINT64_FORMAT " scheduler timer wake-ups, %" G_GUINT64_FORMAT
             " runs; timer armed for %+.1f min (target: no wake-ups)\n",
             opt_idle, cpu1 - cpu0, 100.0 * (cpu1 - cpu0) / opt_idle, ctx1 - ctx0,
             after.timer_wakeups - before.timer_wakeups, after.runs - before.runs,
             after.armed_for ? (after.armed_for - g_get_real_time ()) / 60e6 : 0.0);
    runner_stop (r);
  }

  /* 4. the hot tickets fall due at once (manual clock) */
  {
    g_autoptr(KefuClock) clock = kefu_manual_clock_new (now);
    Runner *r = runner_start (dir, clock);
    KefuSlaScheduler *scheduler = kefu_server_get_sla_scheduler (r->server);
    gint64 took;

    alerts0 = scalar (dir, "SELECT count(*) FROM alerts");
    kefu_sla_scheduler_get_stats (scheduler, &before);
    t0 = mono ();
    /* Returns once the scheduler has committed everything due at the new time. */
    kefu_manual_clock_set (KEFU_MANUAL_CLOCK (clock), now + 20 * MINUTE);
    took = mono () - t0;
    kefu_sla_scheduler_get_stats (scheduler, &after);
    alerts1 = scalar (dir, "SELECT count(*) FROM alerts");
    g_print ("  %d simultaneous dues: %" G_GUINT64_FORMAT " tickets handled, %" G_GINT64_FORMAT
             " alerts raised, in %" G_GUINT64_FORMAT " write jobs of ≤ %d, %.3f s (target < 1 s);"
             " %.0f tickets/s\n",
             opt_hot, after.tickets - before.tickets, alerts1 - alerts0,
             after.jobs - before.jobs, opt_batch > 0 ? opt_batch
                                                     : KEFU_SLA_SCHEDULER_DEFAULT_BATCH,
             took / 1e6, (after.tickets - before.tickets) / (took / 1e6));
    g_print ("  outbox rows now: %" G_GINT64_FORMAT " (alert.raised %" G_GINT64_FORMAT
             ", ticket.updated %" G_GINT64_FORMAT ")\n",
             scalar (dir, "SELECT count(*) FROM events"),
             scalar (dir, "SELECT count(*) FROM events WHERE type = 'alert.raised'"),
             scalar (dir, "SELECT count(*) FROM events WHERE type = 'ticket.updated'"));
    runner_stop (r);
  }

  if (!opt_keep)
    remove_tree (dir);
  else
    g_print ("  kept %s\n", dir);
  return 0;
}
