/* bench-push-latency.c — how long after a write's 2xx its event reaches every live WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it prints figures and fails only when it cannot run at all (or when an event
 * never arrives). What the figures mean: docs/benchmarks.md.
 *
 * The real kefu-server binary is spawned on a fresh data directory (KEFU_SERVER_BINARY or the
 * compiled-in path). N WebSocket clients (default 200, all signed in as the same agent) listen
 * on GET /api/v1/events, all on this one thread's main loop; one writer posts tickets one at a
 * time. For every write the time its 201 arrived is recorded, and for every client the time the
 * ticket.created event with that ticket's "number" arrived (the writer has a thread and a
 * session of its own, so its 201 is timed without waiting behind the clients' parsing); latency = arrival − 2xx time. The
 * next write goes out once the 201 and every client's event are in (or after --event-timeout),
 * so the figure is the push path on its own, not a queue. An event may beat its 201: those
 * latencies are negative and are reported as they are.
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
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kefu-bench-common.h"


/* ---- options ------------------------------------------------------------------------------ */

static int      opt_clients = 200;
static int      opt_writes = 200;
static double   opt_event_timeout = 10.0;
static char    *opt_tmpdir;
static gboolean opt_keep;

static GOptionEntry entries[] = {
  { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients,
    "WebSocket clients listening on /api/v1/events (default 200)", "N" },
  { "writes", 'w', 0, G_OPTION_ARG_INT, &opt_writes,
    "Tickets to create, one at a time (default 200)", "N" },
  { "event-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_event_timeout,
    "Seconds to wait for a write's events before moving on (default 10)", "S" },
  { "tmpdir", 0, 0, G_OPTION_ARG_FILENAME, &opt_tmpdir,
    "Where to put the data directory (default: $TMPDIR or /tmp)", "DIR" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep,
    "Keep the data directory", NULL },
  { NULL }
};

/* ---- small helpers ------------------------------------------------------------------------ */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ---- the measurement ---------------------------------------------------------------------- */

typedef struct {
  gint64  t_reply;      /* monotonic µs the 201 arrived; 0 until then */
  gint64 *arrival;      /* per client: monotonic µs its event arrived; 0 until then */
  guint   got;          /* clients that have it */
} Record;

typedef struct _Bench Bench;

typedef struct {
  Bench                   *bench;
  guint                    index;
  SoupWebsocketConnection *conn;
  SoupMessage             *msg;
  gboolean                 closed;
} WsClient;

struct _Bench {
  GMainLoop    *loop;
  SoupSession  *ws_session;
  GAsyncQueue  *go;          /* serials (≥ 1000) for the writer thread; 1 stops it */
  GThread      *writer;
  char         *base;
  char         *ws_url;
  char         *token;
  char         *submitted_at;
  guint         nclients;
  WsClient     *clients;
  guint         connected;
  guint         connect_failed;
  GHashTable   *records;       /* number → Record */
  char         *current;       /* number of the write in flight, once its 201 is in */
  gboolean      waiting_reply;
  guint         timeout_id;
  guint         writes_done;
  guint         timed_out;     /* writes whose events did not all arrive in time */
  guint         stray;         /* events for numbers never written by us */
  guint         closed;
  GError       *error;
  GString      *body;
};

static void record_free (gpointer data)
{
  Record *r = data;

  g_free (r->arrival);
  g_free (r);
}

static Record *
record_get (Bench      *b,
            const char *number)
{
  Record *r = g_hash_table_lookup (b->records, number);

  if (r == NULL)
    {
      r = g_new0 (Record, 1);
      r->arrival = g_new0 (gint64, b->nclients);
      g_hash_table_insert (b->records, g_strdup (number), r);
    }
  return r;
}

static void write_next (Bench *b);

static void
fail (Bench  *b,
      GError *error)
{
  if (b->error == NULL)
    b->error = error;
  else
    g_error_free (error);
  g_main_loop_quit (b->loop);
}

/* Moves on when the current write's 201 and all its events are in. */
static void
maybe_advance (Bench *b)
{
  Record *r;

  if (b->waiting_reply || b->current == NULL)
    return;
  r = g_hash_table_lookup (b->records, b->current);
  if (r == NULL || r->got < b->nclients)
    return;
  g_clear_handle_id (&b->timeout_id, g_source_remove);
  g_clear_pointer (&b->current, g_free);
  b->writes_done++;
  write_next (b);
}

static gboolean
event_timeout_cb (gpointer user_data)
{
  Bench *b = user_data;

  b->timeout_id = 0;
  b->timed_out++;
  g_clear_pointer (&b->current, g_free);
  b->writes_done++;
  write_next (b);
  return G_SOURCE_REMOVE;
}

static void
ws_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  WsClient *c = user_data;
  Bench *b = c->bench;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj, *data;
  const char *number;
  Record *r;
  gsize len;
  const char *text = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  root = json_from_string (len ? text : "{}", NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  obj = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "type", ""),
                 "ticket.created") != 0)
    return;
  data = json_object_get_object_member (obj, "data");
  number = data ? json_object_get_string_member_with_default (data, "number", NULL) : NULL;
  if (number == NULL)
    return;
  r = record_get (b, number);
  if (r->arrival[c->index] == 0)
    {
      r->arrival[c->index] = now;
      r->got++;
    }
  maybe_advance (b);
}

static void
ws_closed_cb (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  WsClient *c = user_data;

  if (!c->closed)
    {
      c->closed = TRUE;
      c->bench->closed++;
    }
}

/* The writer runs on a thread of its own, with blocking calls on a session of its own, so
 * that the time its 201 arrives is not delayed by this thread parsing 200 clients' events. */
typedef struct {
  Bench  *bench;
  gint64  t_reply;
  char   *number;
  GError *error;
} Reply;

static gboolean
reply_cb (gpointer user_data)
{
  Reply *rep = user_data;
  Bench *b = rep->bench;
  Record *r;

  if (rep->error != NULL)
    {
      fail (b, g_steal_pointer (&rep->error));
      g_free (rep->number);
      g_free (rep);
      return G_SOURCE_REMOVE;
    }
  r = record_get (b, rep->number);
  r->t_reply = rep->t_reply;
  b->current = g_steal_pointer (&rep->number);
  b->waiting_reply = FALSE;
  g_free (rep);
  b->timeout_id = g_timeout_add ((guint) (opt_event_timeout * 1000), event_timeout_cb, b);
  maybe_advance (b);
  return G_SOURCE_REMOVE;
}

static gpointer
writer_thread (gpointer user_data)
{
  Bench *b = user_data;
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = g_strconcat (b->base, API_PREFIX "/tickets", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", b->token, NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  g_main_context_push_thread_default (ctx);
  session = soup_session_new_with_options ("timeout", 60, NULL);
  for (;;)
    {
      gpointer serial = g_async_queue_pop (b->go);
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(JsonNode) root = NULL;
      Reply *rep;
      const char *number = NULL;

      if (GPOINTER_TO_SIZE (serial) == 1)
        break;
      msg = soup_message_new ("POST", url);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
      kefu_bench_build_ticket_body (text, GPOINTER_TO_SIZE (serial), b->submitted_at);
      body = g_bytes_new (text->str, text->len);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      rep = g_new0 (Reply, 1);
      rep->bench = b;
      bytes = soup_session_send_and_read (session, msg, NULL, &rep->error);
      rep->t_reply = g_get_monotonic_time ();
      if (bytes != NULL && soup_message_get_status (msg) != SOUP_STATUS_CREATED)
        rep->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "POST /tickets: got %u: %.*s",
                                  soup_message_get_status (msg),
                                  (int) MIN (g_bytes_get_size (bytes), 400),
                                  (const char *) g_bytes_get_data (bytes, NULL));
      else if (bytes != NULL)
        {
          root = json_from_string (g_bytes_get_size (bytes) ? g_bytes_get_data (bytes, NULL)
                                                            : "{}", NULL);
          if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
            number = json_object_get_string_member_with_default (json_node_get_object (root),
                                                                 "number", NULL);
          if (number == NULL)
            rep->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                              "POST /tickets: no \"number\" in the answer");
          else
            rep->number = g_strdup (number);
        }
      g_main_context_invoke (NULL, reply_cb, rep);
    }
  g_main_context_pop_thread_default (ctx);
  return NULL;
}

static void
write_next (Bench *b)
{
  if (b->writes_done >= (guint) opt_writes)
    {
      g_main_loop_quit (b->loop);
      return;
    }
  b->waiting_reply = TRUE;
  g_async_queue_push (b->go, GSIZE_TO_POINTER (1000 + b->writes_done));
}

static void
ws_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsClient *c = user_data;
  Bench *b = c->bench;
  g_autoptr(GError) error = NULL;

  c->conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (c->conn == NULL)
    {
      if (b->connect_failed++ == 0)
        fail (b, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "WebSocket client %u: %s",
                              c->index, error->message));
      return;
    }
  /* No keep-alive pings from us, and no limit on what the server sends. */
  soup_websocket_connection_set_max_incoming_payload_size (c->conn, 0);
  g_signal_connect (c->conn, "message", G_CALLBACK (ws_message_cb), c);
  g_signal_connect (c->conn, "closed", G_CALLBACK (ws_closed_cb), c);
  if (++b->connected == b->nclients)
    g_main_loop_quit (b->loop);
}

static void
ws_connect (Bench    *b,
            WsClient *c)
{
  g_autofree char *auth = g_strconcat ("Bearer ", b->token, NULL);

  c->msg = soup_message_new ("GET", b->ws_url);
  soup_message_headers_replace (soup_message_get_request_headers (c->msg), "Authorization", auth);
  soup_session_websocket_connect_async (b->ws_session, c->msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, ws_connected_cb, c);
}

static int
compare_i64 (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *sorted,
               double  p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, gint64, MIN (i, sorted->len - 1)) / 1000.0;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* ---- main ---------------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) setup = NULL;
  g_autoptr(JsonNode) user = NULL;
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *workdir = NULL;
  g_autofree char *server_dir = NULL;
  g_autofree char *admin = NULL;
  Server srv = { 0 };
  Bench b = { 0 };
  guint64 expected, delivered = 0;
  guint negative = 0, replies = 0;
  struct rlimit rl;

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new ("— latency from a write's 2xx to its event at every client");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-push-latency: %s\n", error->message);
      return 2;
    }
  if (opt_clients < 1 || opt_clients > 20000 || opt_writes < 1 || opt_event_timeout <= 0)
    {
      g_printerr ("bench-push-latency: --clients 1…20000, --writes ≥ 1, --event-timeout > 0\n");
      return 2;
    }

  /* One descriptor per client, plus slack. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t) opt_clients + 64)
    {
      rl.rlim_cur = MIN (rl.rlim_max, (rlim_t) opt_clients + 256);
      setrlimit (RLIMIT_NOFILE, &rl);
    }

  {
    g_autofree char *template = g_build_filename (opt_tmpdir ? opt_tmpdir : g_get_tmp_dir (),
                                                  "kefu-bench-XXXXXX", NULL);

    workdir = g_mkdtemp (g_steal_pointer (&template));
    if (workdir == NULL)
      {
        g_printerr ("bench-push-latency: cannot create a temporary directory: %s\n",
                    g_strerror (errno));
        return 1;
      }
  }
  server_dir = g_build_filename (workdir, "server", NULL);

  setup = soup_session_new_with_options ("timeout", 60, NULL);
  if (!kefu_bench_server_spawn (&srv, server_dir, &error))
    goto failed;
  b.base = g_strdup_printf ("http://127.0.0.1:%u", srv.port);
  b.ws_url = g_strdup_printf ("ws://127.0.0.1:%u" API_PREFIX "/events", srv.port);

  admin = kefu_bench_sign_in (setup, b.base, "admin", srv.admin_password, &error);
  if (admin == NULL)
    goto failed;
  user = kefu_bench_call (setup, b.base, "POST", "/users", admin,
               "{\"username\":\"bench-agent\",\"display_name\":\"Bench Agent 压测\","
               "\"role\":\"agent\",\"department\":\"customer_service\","
               "\"password\":\"Bench-Lantern-2026\"}", SOUP_STATUS_CREATED, &error);
  if (user == NULL)
    goto failed;
  b.token = kefu_bench_sign_in (setup, b.base, "bench-agent", "Bench-Lantern-2026", &error);
  if (b.token == NULL)
    goto failed;

  b.loop = g_main_loop_new (NULL, FALSE);
  b.nclients = opt_clients;
  b.clients = g_new0 (WsClient, b.nclients);
  b.records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, record_free);
  b.body = g_string_new (NULL);
  b.submitted_at = kefu_bench_submitted_at_now ();
  b.ws_session = soup_session_new_with_options ("max-conns", opt_clients + 16,
                                                "max-conns-per-host", opt_clients + 16,
                                                "timeout", 0, "idle-timeout", 0, NULL);
  b.go = g_async_queue_new ();
  b.writer = g_thread_new ("push-writer", writer_thread, &b);

  g_print ("push-latency: %s; %d WebSocket clients on 1 thread, %u CPUs shared by client and "
           "server\n", srv.banner, opt_clients, g_get_num_processors ());

  /* Connect everyone, then let the hello/resync traffic settle. */
  for (guint i = 0; i < b.nclients; i++)
    {
      b.clients[i].bench = &b;
      b.clients[i].index = i;
      ws_connect (&b, &b.clients[i]);
    }
  g_main_loop_run (b.loop);
  if (b.error != NULL)
    {
      error = g_steal_pointer (&b.error);
      goto failed;
    }
  g_timeout_add (300, quit_cb, b.loop);
  g_main_loop_run (b.loop);

  /* The writes, one at a time. */
  write_next (&b);
  g_main_loop_run (b.loop);
  if (b.error != NULL)
    {
      error = g_steal_pointer (&b.error);
      goto failed;
    }
  /* A short grace for any stragglers of a timed-out write. */
  if (b.timed_out > 0)
    {
      g_timeout_add (1000, quit_cb, b.loop);
      g_main_loop_run (b.loop);
    }

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, b.records);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        Record *r = value;

        if (r->t_reply == 0)
          {
            b.stray++;
            continue;
          }
        replies++;
        for (guint i = 0; i < b.nclients; i++)
          if (r->arrival[i] != 0)
            {
              gint64 d = r->arrival[i] - r->t_reply;

              g_array_append_val (lat, d);
              delivered++;
              if (d < 0)
                negative++;
            }
      }
  }
  g_array_sort (lat, compare_i64);
  expected = (guint64) replies * b.nclients;

  g_print ("push-latency: %d clients, %u writes: p50 %.2f ms, p99 %.2f ms, max %.2f ms (time "
           "from a write's 2xx to its event at every client)\n",
           opt_clients, replies, percentile_ms (lat, 0.50), percentile_ms (lat, 0.99),
           lat->len ? g_array_index (lat, gint64, lat->len - 1) / 1000.0 : 0.0);
  g_print ("push-latency: delivered %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " (%.4f%s); "
           "min %.2f ms, %u events before their 2xx (negative, reported as is); "
           "%u writes timed out, %u connections closed, %u stray events\n",
           delivered, expected, expected ? (double) delivered / expected : 0.0,
           delivered == expected ? ", all" : " — NOT ALL",
           lat->len ? g_array_index (lat, gint64, 0) / 1000.0 : 0.0,
           negative, b.timed_out, b.closed, b.stray);

  for (guint i = 0; i < b.nclients; i++)
    {
      if (b.clients[i].conn != NULL &&
          soup_websocket_connection_get_state (b.clients[i].conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (b.clients[i].conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_timeout_add (200, quit_cb, b.loop);
  g_main_loop_run (b.loop);
  for (guint i = 0; i < b.nclients; i++)
    {
      g_clear_object (&b.clients[i].conn);
      g_clear_object (&b.clients[i].msg);
    }

  kefu_bench_server_stop (&srv);
  if (!opt_keep)
    remove_tree (workdir);
  else
    g_print ("kept %s\n", workdir);

  g_free (b.clients);
  g_hash_table_unref (b.records);
  g_string_free (b.body, TRUE);
  g_clear_object (&b.ws_session);
  g_async_queue_push (b.go, GSIZE_TO_POINTER (1));
  g_thread_join (b.writer);
  g_async_queue_unref (b.go);
  g_main_loop_unref (b.loop);
  g_free (b.base);
  g_free (b.ws_url);
  g_free (b.token);
  g_free (b.submitted_at);
  g_free (b.current);
  return delivered == expected ? 0 : 1;

failed:
  g_printerr ("bench-push-latency: %s\n", error->message);
  kefu_bench_server_stop (&srv);
  if (!opt_keep)
    remove_tree (workdir);
  return 1;
}
