/* bench-board-load.c — from sign-in to a populated board with 20,000 open tickets
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it prints figures and fails only when it cannot run at all.
 *
 * 1. Spawns the real kefu-server --demo once on a new data directory (schema, demo accounts
 *    with the password "demo", 60 demo tickets) and stops it.
 * 2. Adds N open tickets (default 20,000) through the server's own insert code
 *    (kefu_ticket_repo_insert(), one transaction): P1–P4, new / assigned / in progress /
 *    waiting, registered over the last three days, dues from the SLA calculus.
 * 3. Starts the server again and, in this process, signs in as the supervisor with the real
 *    KefuConnection and shows a KefuBoard in a 1280×800 window. It measures, from the start of
 *    the sign-in: signed in; every open ticket in the ticket list (and in the columns'
 *    models); the first frame drawn after that with cards on screen; the recently closed
 *    tickets loaded too; the longest frame in the second after the board is drawn (while the
 *    columns add the rows below the screen). Then the client's memory: VmRSS and VmHWM from
 *    /proc/self/status.
 * 4. Scrolls every column as a user would, one frame at a time: 120 wheel steps of 50 px, then
 *    120 jumps of 1/120 of the column (dragging the scroll bar: every row rebound each frame).
 *    It prints the time between frames and the work of each frame (layout and drawing, from
 *    the frame clock's before-paint to after-paint), and how many frames took over 50 ms
 *    (three frames at 60 Hz: a stall a user sees).
 *
 * Targets: populated in under 1 s after sign-in, memory under 300 MB, no stalls while
 * scrolling.
 * Without a display (no DISPLAY or WAYLAND_DISPLAY) only the model is measured: run it under
 * xvfb-run -a for the drawing figure.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kefu-board.h"
#include "kefu-connection.h"
#include "kefu-db.h"
#include "kefu-malloc.h"
#include "kefu-number.h"
#include "kefu-store.h"
#include "kefu-ticket-ops.h"
#include "kefu-ticket-repo.h"

#define SECOND     (G_GINT64_CONSTANT (1000000))
#define MINUTE     (60 * SECOND)
#define HOUR       (60 * MINUTE)
#define TIME_ZONE  "Asia/Shanghai"

static int       opt_tickets = 20000;
static gboolean  opt_keep;

static GOptionEntry entries[] = {
  { "tickets", 'n', 0, G_OPTION_ARG_INT, &opt_tickets, "Open tickets to add (20000)", "N" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the data directory", NULL },
  { NULL }
};

static gint64
mono (void)
{
  return g_get_monotonic_time ();
}

/* ---- the server -------------------------------------------------------------------------- */

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_socket_bind (socket, address, TRUE, NULL);
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static GSubprocess *
server_start (const char *dir,
              guint16     port)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *health = g_strdup_printf ("http://%s/api/v1/health", listen);
  const char *binary = g_getenv ("KEFU_SERVER_BINARY");
  GSubprocess *process;

  if (binary == NULL || binary[0] == '\0')
    binary = KEFU_SERVER_BINARY;

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--demo", "--data-dir", dir,
                                         "--listen", listen, NULL);
  if (process == NULL)
    g_error ("Cannot start %s: %s", binary, error->message);

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, health);
      g_autoptr(GBytes) bytes = soup_session_send_and_read (session, message, NULL, NULL);

      if (bytes != NULL && soup_message_get_status (message) == SOUP_STATUS_OK)
        return process;
      g_usleep (50 * 1000);
    }

  g_error ("The server did not start");
  return NULL;
}

static void
server_stop (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_object_unref (process);
}

/* ---- the tickets ------------------------------------------------------------------------- */

/* Marks every warning and due up to @until as handled, as the SLA scheduler would have left
 * them, so that the server does not start by catching up on thousands of them (which would
 * time the scheduler, not the board). */
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
          ticket->escalation_level = MAX (ticket->escalation_level, 1);
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
             KefuSlaPolicy    *policy,
             KefuTicketClock **out_clock)
{
  static const int priorities[10] = { 1, 2, 2, 2, 3, 3, 3, 3, 4, 4 };
  static const char *subcategories[] = { "无法开机", "功能故障", "物流延迟", "配件缺失",
                                         "使用咨询", "上门超时" };
  static const char *surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄" };
  KefuTicket *t = kefu_ticket_new ();
  KefuTicketClock *clock = kefu_ticket_clock_new ();
  int kind = g_rand_int_range (rand, 0, 20);

  t->number = kefu_number_format (day, serial);
  t->version = 1;
  t->channel = g_rand_int_range (rand, 0, KEFU_CHANNEL_LAST);
  t->stage = KEFU_STAGE_AFTER_SALE;
  t->category = g_rand_int_range (rand, 0, KEFU_CATEGORY_LAST);
  t->subcategory = g_strdup (subcategories[g_rand_int_range (rand, 0, G_N_ELEMENTS (subcategories))]);
  t->customer.name = g_strdup_printf ("%s客户%u", surnames[serial % G_N_ELEMENTS (surnames)],
                                      serial);
  t->customer.phone = g_strdup_printf ("138%08u", serial % 100000000);
  t->customer.order_no = g_strdup_printf ("SO-%u", 100000 + serial);
  t->customer.product_model = g_strdup ("WM-80 洗衣机");
  t->customer.address = g_strdup ("上海市浦东新区世纪大道100号");
  t->description = g_strdup ("洗衣机无法开机，指示灯不亮，按了电源键也没有任何反应。"
                             "The washing machine does not start.");
  kefu_user_ref_set (&t->registered_by, 4, "客服专员 张丽");
  t->priority = priorities[g_rand_int_range (rand, 0, 10)];
  t->registered_at = now - g_rand_int_range (rand, 600, 72 * 3600) * SECOND;
  t->submitted_at = t->registered_at - 5 * MINUTE;

  if (kind < 5)
    {
      t->status = KEFU_STATUS_NEW;
    }
  else
    {
      kefu_user_ref_set (&t->assignee, 7, "Zhao Lei");
      t->department = g_strdup ("technical");
      clock->assigned_at = t->registered_at + 10 * MINUTE;
      t->status = KEFU_STATUS_ASSIGNED;
      if (kind >= 10)
        {
          t->status = kind >= 17 ? KEFU_STATUS_WAITING_CUSTOMER : KEFU_STATUS_IN_PROGRESS;
          t->sla.accepted_at = clock->assigned_at + 5 * MINUTE;
          t->sla.first_response_at = t->registered_at + 20 * MINUTE;
          clock->last_contact_at = t->sla.first_response_at;
          if (t->status == KEFU_STATUS_WAITING_CUSTOMER)
            {
              KefuSlaPause pause = { clock->last_contact_at + MINUTE, 0 };

              g_array_append_val (clock->pauses, pause);
            }
        }
    }
  t->updated_at = t->registered_at;

  /* Handled up to a while from now: the run must not be disturbed by dues. */
  kefu_ticket_recompute_sla (t, clock, policy, now + 10 * MINUTE);
  pre_handle (t, clock, now + 10 * MINUTE);
  t->sla.state = kefu_sla_state_at (&clock->dues, now);

  *out_clock = clock;
  return t;
}

static void
add_tickets (const char *dir,
             guint       n)
{
  g_autoptr(KefuSlaPolicy) policy = kefu_sla_policy_new_default (TIME_ZONE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "kefu.db", NULL);
  g_autofree char *serials = NULL;
  gint64 now = g_get_real_time ();
  /* A day of its own (a year ago), so that the numbers never meet the demo's. */
  guint32 day = kefu_number_day_key (now - 365 * 24 * HOUR, g_time_zone_new_identifier (TIME_ZONE));
  KefuDb *db;

  db = kefu_db_open (path, FALSE, &error);
  if (db == NULL)
    g_error ("%s", error->message);
  if (!kefu_db_exec (db, "BEGIN;", &error))
    g_error ("%s", error->message);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KefuTicketClock) clock = NULL;
      g_autoptr(KefuTicket) ticket = make_ticket (rand, day, i + 1, now, policy, &clock);

      if (!kefu_ticket_repo_insert (db, ticket, clock, &error))
        g_error ("%s", error->message);
    }

  serials = g_strdup_printf ("INSERT OR REPLACE INTO day_serials (day, last) VALUES (%u, %u)",
                             day, n);
  if (!kefu_db_exec (db, serials, &error) || !kefu_db_exec (db, "COMMIT;", &error)
      || !kefu_db_exec (db, "PRAGMA wal_checkpoint(TRUNCATE);", &error))
    g_error ("%s", error->message);

  kefu_db_close (db);
}

/* ---- the client -------------------------------------------------------------------------- */

typedef struct {
  KefuConnection *connection;
  KefuBoard      *board;
  GtkWidget      *window;
  gint64          t0;
  gint64          signed_in;
  gint64          loaded;
  gint64          drawn;
  gint64          complete;
  guint           n_loaded;
  gboolean        done;
  gint64          last_paint;  /* after the board is drawn: the last frame's end */
  gint64          settle_max;  /* the longest time between two frames since then */
  gboolean        settled;
} Run;

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!kefu_connection_sign_in_finish (KEFU_CONNECTION (object), result, &error))
    g_error ("Sign-in failed: %s", error->message);
  run->signed_in = mono ();
}

static void
on_loaded (KefuTicketList *tickets,
           GParamSpec     *pspec,
           Run            *run)
{
  if (!kefu_ticket_list_get_loaded (tickets) || run->loaded != 0)
    return;

  run->loaded = mono ();
  run->n_loaded = g_list_model_get_n_items (G_LIST_MODEL (tickets));
}

static void
on_complete (KefuTicketList *tickets,
             GParamSpec     *pspec,
             Run            *run)
{
  if (kefu_ticket_list_get_complete (tickets) && run->complete == 0)
    run->complete = mono ();
}

/* The first frame painted once the list is loaded, with the first column's cards mapped. */
static void
on_after_paint (GdkFrameClock *frame_clock,
                Run           *run)
{
  GtkListView *list;

  if (run->drawn != 0)
    {
      gint64 now = mono ();

      if (!run->settled)
        run->settle_max = MAX (run->settle_max, now - run->last_paint);
      run->last_paint = now;
      return;
    }
  if (run->loaded == 0)
    return;

  list = kefu_board_column_get_list_view (kefu_board_get_column (run->board, 1));
  if (gtk_widget_get_first_child (GTK_WIDGET (list)) == NULL)
    return;

  run->drawn = mono ();
  run->last_paint = run->drawn;
}

/* ---- scrolling -------------------------------------------------------------------------- */

#define SCROLL_FRAMES 120
#define STALL_MS      50.0

typedef struct {
  GtkAdjustment *adjustment;
  double         step;      /* px per frame; 0 for the jumps */
  guint          frame;
  gint64         before;
  gint64         last_after;
  GArray        *intervals; /* double, ms */
  GArray        *work;      /* double, ms */
  gboolean       done;
} Scroll;

static void
on_scroll_before_paint (GdkFrameClock *frame_clock,
                        Scroll        *scroll)
{
  scroll->before = mono ();
}

/* After each frame: record it, then move the column for the next one. */
static void
on_scroll_after_paint (GdkFrameClock *frame_clock,
                       Scroll        *scroll)
{
  gint64 now = mono ();
  double top;
  double value;

  if (scroll->done)
    return;

  if (scroll->last_after != 0)
    {
      double interval = (now - scroll->last_after) / 1e3;
      double work = scroll->before != 0 ? (now - scroll->before) / 1e3 : 0;

      g_array_append_val (scroll->intervals, interval);
      g_array_append_val (scroll->work, work);
    }
  scroll->last_after = now;
  scroll->before = 0;

  if (scroll->frame == SCROLL_FRAMES)
    {
      scroll->done = TRUE;
      return;
    }
  scroll->frame++;

  top = gtk_adjustment_get_upper (scroll->adjustment)
        - gtk_adjustment_get_page_size (scroll->adjustment);
  if (scroll->step > 0)
    value = MIN (gtk_adjustment_get_value (scroll->adjustment) + scroll->step, top);
  else
    value = top * scroll->frame / SCROLL_FRAMES;
  gtk_adjustment_set_value (scroll->adjustment, value);
}

/* Scrolls the column of @priority from its top, SCROLL_FRAMES frames of @step px (or jumps
 * through the whole column when @step is 0), adding each frame's figures to the arrays. */
static void
scroll_column (Run    *run,
               int     priority,
               double  step,
               GArray *intervals,
               GArray *work)
{
  KefuBoardColumn *column = kefu_board_get_column (run->board, priority);
  GtkListView *list = kefu_board_column_get_list_view (column);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (run->window);
  Scroll scroll = { 0 };
  gulong before_id;
  gulong after_id;
  gint64 start = mono ();

  scroll.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  scroll.step = step;
  scroll.intervals = intervals;
  scroll.work = work;
  gtk_adjustment_set_value (scroll.adjustment, 0);

  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_scroll_before_paint),
                                &scroll);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_scroll_after_paint),
                               &scroll);
  gtk_widget_queue_draw (GTK_WIDGET (list));
  while (!scroll.done)
    {
      g_main_context_iteration (NULL, TRUE);
      if (mono () - start > 60 * SECOND)
        g_error ("Scrolling column P%d gave up after 60 s", priority);
    }
  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* "median M ms, p95 P ms, max X ms" of @values (sorted in place). */
static char *
describe_ms (GArray *values)
{
  double *v;
  guint n = values->len;

  if (n == 0)
    return g_strdup ("no frames");
  g_array_sort (values, compare_doubles);
  v = (double *) (void *) values->data;
  return g_strdup_printf ("median %.1f ms, p95 %.1f ms, max %.1f ms",
                          v[n / 2], v[MIN (n - 1, n * 95 / 100)], v[n - 1]);
}

static guint
count_over (GArray *values,
            double  limit)
{
  guint count = 0;

  for (guint i = 0; i < values->len; i++)
    count += g_array_index (values, double, i) > limit;
  return count;
}

static void
measure_scrolling (Run *run)
{
  static const struct {
    const char *name;
    double      step;
  } kinds[] = {
    { "wheel, 50 px a frame", 50 },
    { "scroll bar, 1/120 of the column a frame", 0 },
  };

  g_print ("  scrolling, drawn by %s:\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (run->window))));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) work = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *interval_text = NULL;
      g_autofree char *work_text = NULL;
      guint stalls;

      for (int p = 1; p <= 4; p++)
        scroll_column (run, p, kinds[k].step, intervals, work);

      stalls = count_over (intervals, STALL_MS);
      interval_text = describe_ms (intervals);
      work_text = describe_ms (work);
      g_print ("    %s, 4 columns:\n"
               "      time between frames: %s\n"
               "      work per frame:      %s\n"
               "      frames over %.0f ms:  %u of %u\n",
               kinds[k].name, interval_text, work_text, STALL_MS, stalls, intervals->len);
    }
}

static void
read_memory (gint64 *rss_kb,
             gint64 *hwm_kb)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  *rss_kb = *hwm_kb = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;

  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        *rss_kb = g_ascii_strtoll (lines[i] + 6, NULL, 10);
      else if (g_str_has_prefix (lines[i], "VmHWM:"))
        *hwm_kb = g_ascii_strtoll (lines[i] + 6, NULL, 10);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
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
  g_autoptr(GOptionContext) context = g_option_context_new ("— time sign-in to a full board");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *url = NULL;
  GSubprocess *server;
  guint16 port;
  gboolean have_display;
  gint64 t;
  gint64 rss_kb;
  gint64 hwm_kb;
  gint64 base_rss_kb;
  gint64 base_hwm_kb;
  Run run = { 0 };

  /* As kefu's main() does: the load is measured with the allocator the client runs with. */
  kefu_malloc_prefer_system (argv);

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  dir = g_dir_make_tmp ("kefu-bench-board-XXXXXX", &error);
  g_assert_no_error (error);
  port = free_port ();
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  g_print ("bench-board-load: %d open tickets (+ the demo's), data in %s\n", opt_tickets, dir);

  t = mono ();
  server_stop (server_start (dir, port));
  g_print ("  schema and demo accounts (server run once): %.2f s\n", (mono () - t) / 1e6);

  t = mono ();
  add_tickets (dir, (guint) opt_tickets);
  g_print ("  %d tickets inserted: %.2f s\n", opt_tickets, (mono () - t) / 1e6);

  server = server_start (dir, port);

  read_memory (&base_rss_kb, &base_hwm_kb);

  run.connection = kefu_connection_new ();
  g_signal_connect (kefu_connection_get_tickets (run.connection), "notify::loaded",
                    G_CALLBACK (on_loaded), &run);
  g_signal_connect (kefu_connection_get_tickets (run.connection), "notify::complete",
                    G_CALLBACK (on_complete), &run);

  if (have_display)
    {
      run.window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (run.window), 1280, 800);
      run.board = g_object_new (KEFU_TYPE_BOARD, NULL);
      kefu_board_set_tickets (run.board, kefu_connection_get_tickets (run.connection));
      gtk_window_set_child (GTK_WINDOW (run.window), GTK_WIDGET (run.board));
      gtk_window_present (GTK_WINDOW (run.window));
      while (!gtk_widget_get_mapped (run.window))
        g_main_context_iteration (NULL, TRUE);
      g_signal_connect (gtk_widget_get_frame_clock (run.window), "after-paint",
                        G_CALLBACK (on_after_paint), &run);
    }

  run.t0 = mono ();
  kefu_connection_sign_in_async (run.connection, url, "supervisor", "demo", NULL, sign_in_cb,
                                 &run);

  while (run.complete == 0 || (have_display && run.drawn == 0))
    {
      g_main_context_iteration (NULL, TRUE);
      if (mono () - run.t0 > 120 * SECOND)
        g_error ("Gave up after 120 s");
    }

  /* Let the board settle, then read the memory. */
  {
    gint64 until = mono () + SECOND;

    while (mono () < until)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (5000), TRUE);
  }
  run.settled = TRUE;
  read_memory (&rss_kb, &hwm_kb);

  g_print ("  signed in:                          %7.0f ms\n", (run.signed_in - run.t0) / 1e3);
  g_print ("  every open ticket in the list:      %7.0f ms  (%u tickets; %.0f ms after sign-in)\n",
           (run.loaded - run.t0) / 1e3, run.n_loaded, (run.loaded - run.signed_in) / 1e3);
  if (have_display)
    {
      guint in_columns = 0;

      for (int p = 1; p <= 4; p++)
        in_columns += g_list_model_get_n_items (kefu_board_get_column_model (run.board, p));
      g_print ("  board drawn with its cards:         %7.0f ms  (%.0f ms after sign-in; "
               "%u cards in the columns' models)\n",
               (run.drawn - run.t0) / 1e3, (run.drawn - run.signed_in) / 1e3, in_columns);
      g_print ("  longest frame in the second after:  %7.0f ms  (the rows below the screen)\n",
               run.settle_max / 1e3);
    }
  else
    {
      g_print ("  board drawn:                        (no display; run under xvfb-run -a)\n");
    }
  g_print ("  recently closed tickets loaded too: %7.0f ms  (%u tickets in all)\n",
           (run.complete - run.t0) / 1e3,
           g_list_model_get_n_items (G_LIST_MODEL (kefu_connection_get_tickets (run.connection))));
  g_print ("  memory: VmRSS %.0f MB, VmHWM %.0f MB (before sign-in: VmRSS %.0f MB)\n",
           rss_kb / 1024.0, hwm_kb / 1024.0, base_rss_kb / 1024.0);
  if (have_display)
    measure_scrolling (&run);
  else
    g_print ("  scrolling:                          (no display; run under xvfb-run -a)\n");
  g_print ("  targets: populated < 1000 ms after sign-in, memory < 300 MB, "
           "no frame over %.0f ms while scrolling\n", STALL_MS);

  kefu_connection_sign_out (run.connection);
  if (run.window != NULL)
    gtk_window_destroy (GTK_WINDOW (run.window));
  g_object_unref (run.connection);
  server_stop (server);

  if (!opt_keep)
    remove_tree (dir);

  return 0;
}
