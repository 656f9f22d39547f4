/* bench-create-throughput.c — durable ticket creates per second over real HTTP, beside the
 * raw SQLite ceilings of the same rows on the same disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it prints figures and fails only when it cannot run at all. What the figures
 * mean, and how to read them: docs/benchmarks.md.
 *
 * Load: N clients on one thread (async I/O on this thread's main loop), each with one
 * keep-alive connection and one request in flight; the next request goes out as soon as the
 * previous one is answered. By default the server is the real kefu-server binary, spawned on a
 * fresh data directory, so the server and the load generator are separate processes that share
 * the machine's cores.
 *
 * Two client implementations: "raw" (default) writes HTTP/1.1 requests and parses the answers
 * by hand over non-blocking GSockets, which costs a few microseconds per request; "soup" uses one
 * SoupSession (max-conns-per-host = N), which is what a real client would do but costs several
 * times more CPU per request on the shared cores.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kefu-bench-common.h"
#include "kefu-store.h"
#include "kefu-ticket-ops.h"
#include "kefu-user.h"
#include "kefu-validate.h"

#define RAW_INTAKE_POOL 1024

/* ---- options ------------------------------------------------------------------------------ */

static int      opt_clients = 16;
static int      opt_seconds = 10;
static double   opt_warmup = 1.0;
static char    *opt_server;
static char    *opt_user;
static char    *opt_password;
static char    *opt_client;
static char    *opt_endpoint;
static double   opt_sqlite_seconds = 3.0;
static char    *opt_tmpdir;
static gboolean opt_keep;
static gboolean opt_sqlite_only;

static GOptionEntry entries[] = {
  { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients,
    "Concurrent keep-alive clients, one request in flight each (default 16)", "N" },
  { "seconds", 's', 0, G_OPTION_ARG_INT, &opt_seconds,
    "Length of the measured run (default 10)", "T" },
  { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &opt_warmup,
    "Seconds of load before measuring starts (default 1)", "S" },
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server,
    "Load a running server (http://HOST:PORT) instead of spawning kefu-server", "URL" },
  { "user", 0, 0, G_OPTION_ARG_STRING, &opt_user,
    "With --server: an agent or supervisor account (default agent)", "NAME" },
  { "password", 0, 0, G_OPTION_ARG_STRING, &opt_password,
    "With --server: its password (default demo)", "PASSWORD" },
  { "client", 0, 0, G_OPTION_ARG_STRING, &opt_client,
    "HTTP client: raw (hand-written HTTP/1.1, default) or soup (one SoupSession)", "KIND" },
  { "endpoint", 0, 0, G_OPTION_ARG_STRING, &opt_endpoint,
    "What to load: create (POST /tickets, default), me (GET /me: auth only), health "
    "(GET /health: the bare HTTP stack)", "NAME" },
  { "sqlite-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &opt_sqlite_seconds,
    "Length of each raw SQLite measurement; 0 skips them (default 3)", "S" },
  { "tmpdir", 0, 0, G_OPTION_ARG_FILENAME, &opt_tmpdir,
    "Where to put the data directories (default: $TMPDIR or /tmp)", "DIR" },
  { "sqlite-only", 0, 0, G_OPTION_ARG_NONE, &opt_sqlite_only,
    "Only measure the raw SQLite ceilings (no server, no HTTP)", NULL },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep,
    "Keep the data directories", NULL },
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

static const char *
fs_type_name (const char *path)
{
  struct statfs st;

  if (statfs (path, &st) != 0)
    return "unknown filesystem";
  switch ((unsigned long) st.f_type)
    {
    case 0xEF53UL: return "ext4";
    case 0x01021994UL: return "tmpfs (no real fsync!)";
    case 0x58465342UL: return "xfs";
    case 0x9123683EUL: return "btrfs";
    case 0x794C7630UL: return "overlayfs";
    case 0x2FC12FC1UL: return "zfs";
    case 0x65735546UL: return "fuse";
    default: return "other filesystem";
    }
}

static gint64
process_cpu_usec (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (gint64) ru.ru_utime.tv_sec * G_USEC_PER_SEC + ru.ru_utime.tv_usec +
         (gint64) ru.ru_stime.tv_sec * G_USEC_PER_SEC + ru.ru_stime.tv_usec;
}

/* utime + stime from a /proc/…/stat file; -1 when not readable. @comm gets the name. */
static gint64
stat_cpu_usec (const char  *path,
               char       **comm)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *open, *close;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  open = strchr (text, '(');
  close = strrchr (text, ')');
  if (open == NULL || close == NULL || close < open)
    return -1;
  if (comm != NULL)
    *comm = g_strndup (open + 1, close - open - 1);
  fields = g_strsplit (close + 2, " ", -1);   /* fields[0] is field 3 (state) */
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
}

/* CPU time of another process: all of it, its writer thread (kefu-writer), its main thread.
 * -1 when not readable. */
static void
pid_cpu_usec (GPid    pid,
              gint64  out[3])
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  out[0] = out[1] = out[2] = -1;
  if (pid <= 0)
    return;
  out[0] = stat_cpu_usec (path, NULL);
  dir = g_dir_open (task_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *task = g_build_filename (task_dir, name, "stat", NULL);
      g_autofree char *comm = NULL;
      gint64 usec = stat_cpu_usec (task, &comm);

      if (usec < 0)
        continue;
      if (g_strcmp0 (comm, "kefu-writer") == 0)
        out[1] = usec;
      else if (atoi (name) == (int) pid)
        out[2] = usec;
    }
}

/* Busy and total jiffies of all CPUs (first line of /proc/stat). */
static void
machine_cpu (guint64 *busy,
             guint64 *total)
{
  g_autofree char *text = NULL;
  guint64 v[8] = { 0 };

  *busy = *total = 0;
  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL) || strncmp (text, "cpu ", 4) != 0)
    return;
  if (sscanf (text + 4, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 4)
    return;
  for (guint i = 0; i < 8; i++)
    *total += v[i];
  *busy = *total - v[3] - v[4];   /* minus idle and iowait */
}


/* ---- the load ------------------------------------------------------------------------------ */

typedef enum {
  ENDPOINT_CREATE,
  ENDPOINT_ME,
  ENDPOINT_HEALTH,
} Endpoint;

typedef struct _Client Client;

typedef struct {
  /* target */
  char         *host;
  guint16       port;
  char         *base;             /* http://HOST:PORT */
  GUri         *uri;              /* of the endpoint */
  char         *token;
  Endpoint      endpoint;
  guint         expect;
  char         *submitted_at;
  gboolean      raw;
  SoupSession  *soup;
  GSocketClient *connector;

  /* run state */
  GMainLoop    *loop;
  GPtrArray    *clients;
  gboolean      measuring;
  gboolean      stopping;
  guint         in_flight;
  guint64       serial;

  /* figures of the measured window */
  gint64        t_start;
  gint64        t_end;
  guint64       ok;
  guint64       errors;
  guint64       bad_status[6];    /* by status / 100 (0 = I/O error) */
  char         *first_error;
  GArray       *latencies;        /* of guint32 µs */
  gint64        client_cpu[2];
  gint64        server_cpu[2][3];   /* all, writer thread, main thread */
  guint64       machine_busy[2];
  guint64       machine_total[2];
  GPid          server_pid;
  guint         give_up_id;
} Load;

struct _Client
{
  Load              *load;
  guint              index;
  gint64             sent_at;
  GString           *body;

  /* raw client */
  GSocketConnection *conn;
  GSocket           *socket;
  GSource           *in_source;
  GSource           *out_source;
  GString           *request;
  gsize              written;
  GString           *rbuf;
  gboolean           waiting;     /* a request is out */
};

static void client_send (Client *c);

static void
note_error (Load       *load,
            guint       status,
            const char *what)
{
  if (!load->measuring)
    return;
  load->errors++;
  load->bad_status[MIN (status / 100, 5)]++;
  if (load->first_error == NULL)
    load->first_error = g_strdup_printf ("%u: %.300s", status, what);
}

static void
request_done (Client     *c,
              guint       status,
              const char *body)
{
  Load *load = c->load;
  gint64 now = g_get_monotonic_time ();

  if (load->measuring)
    {
      if (status == load->expect)
        {
          guint32 us = (guint32) MIN (now - c->sent_at, G_MAXUINT32);

          load->ok++;
          g_array_append_val (load->latencies, us);
        }
      else
        note_error (load, status, body ? body : "");
    }
  client_send (c);
}

static void
client_finished (Client *c)
{
  Load *load = c->load;

  if (--load->in_flight == 0)
    g_main_loop_quit (load->loop);
}

/* The next request's body, when the endpoint has one. */
static void
next_body (Client *c)
{
  Load *load = c->load;

  if (load->endpoint == ENDPOINT_CREATE)
    kefu_bench_build_ticket_body (c->body, ++load->serial, load->submitted_at);
  else
    g_string_truncate (c->body, 0);
}

/* -- raw HTTP/1.1 -- */

static void raw_connect (Client *c);
static gboolean raw_readable (GSocket *socket, GIOCondition cond, gpointer data);

static void
raw_close (Client *c)
{
  if (c->in_source != NULL)
    {
      g_source_destroy (c->in_source);
      g_clear_pointer (&c->in_source, g_source_unref);
    }
  if (c->out_source != NULL)
    {
      g_source_destroy (c->out_source);
      g_clear_pointer (&c->out_source, g_source_unref);
    }
  if (c->conn != NULL)
    g_io_stream_close (G_IO_STREAM (c->conn), NULL, NULL);
  g_clear_object (&c->conn);
  c->socket = NULL;
  g_string_truncate (c->rbuf, 0);
}

/* A connection failed: count it, reconnect, carry on with a new request. */
static void
raw_fail (Client     *c,
          const char *what)
{
  note_error (c->load, 0, what);
  raw_close (c);
  c->waiting = FALSE;
  if (!c->load->stopping)
    raw_connect (c);
  client_send (c);
}

typedef enum { FLUSH_DONE, FLUSH_BLOCKED, FLUSH_FAILED } FlushResult;

static FlushResult
raw_flush (Client  *c,
           char   **failure)
{
  while (c->written < c->request->len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (c->socket, c->request->str + c->written,
                                c->request->len - c->written, NULL, &error);

      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return FLUSH_BLOCKED;
          *failure = g_strdup (error->message);
          return FLUSH_FAILED;
        }
      c->written += n;
    }
  return FLUSH_DONE;
}

static gboolean
raw_writable (GSocket      *socket,
              GIOCondition  cond,
              gpointer      data)
{
  Client *c = data;
  g_autofree char *failure = NULL;

  switch (raw_flush (c, &failure))
    {
    case FLUSH_BLOCKED:
      return G_SOURCE_CONTINUE;
    case FLUSH_DONE:
      g_clear_pointer (&c->out_source, g_source_unref);
      return G_SOURCE_REMOVE;
    case FLUSH_FAILED:
    default:
      g_clear_pointer (&c->out_source, g_source_unref);
      raw_fail (c, failure);
      return G_SOURCE_REMOVE;
    }
}

static void
raw_connect (Client *c)
{
  Load *load = c->load;
  g_autoptr(GError) error = NULL;

  /* Blocking connect: loopback, done once per client (and again only after an error). */
  c->conn = g_socket_client_connect_to_host (load->connector, load->host, load->port, NULL,
                                             &error);
  if (c->conn == NULL)
    {
      /* the server is gone: nothing sensible to measure any more */
      g_printerr ("bench-create-throughput: cannot connect to %s:%u: %s\n", load->host,
                  load->port, error->message);
      exit (1);
    }
  c->socket = g_socket_connection_get_socket (c->conn);
  g_socket_set_blocking (c->socket, FALSE);
  g_socket_set_option (c->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  c->in_source = g_socket_create_source (c->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (c->in_source, G_SOURCE_FUNC (raw_readable), c, NULL);
  g_source_attach (c->in_source, NULL);
}

static void
raw_send (Client *c)
{
  Load *load = c->load;
  g_autofree char *failure = NULL;

  g_string_truncate (c->request, 0);
  if (load->endpoint == ENDPOINT_CREATE)
    g_string_append_printf (c->request,
                            "POST %s HTTP/1.1\r\nHost: %s:%u\r\nAuthorization: Bearer %s\r\n"
                            "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                            g_uri_get_path (load->uri), load->host, load->port, load->token,
                            c->body->len);
  else
    g_string_append_printf (c->request, "GET %s HTTP/1.1\r\nHost: %s:%u\r\n%s%s%s\r\n",
                            g_uri_get_path (load->uri), load->host, load->port,
                            load->token ? "Authorization: Bearer " : "",
                            load->token ? load->token : "", load->token ? "\r\n" : "");
  g_string_append_len (c->request, c->body->str, c->body->len);
  c->written = 0;
  c->waiting = TRUE;

  switch (raw_flush (c, &failure))
    {
    case FLUSH_DONE:
      break;
    case FLUSH_BLOCKED:
      if (c->out_source == NULL)
        {
          c->out_source = g_socket_create_source (c->socket, G_IO_OUT, NULL);
          g_source_set_callback (c->out_source, G_SOURCE_FUNC (raw_writable), c, NULL);
          g_source_attach (c->out_source, NULL);
        }
      break;
    case FLUSH_FAILED:
      raw_fail (c, failure);
      break;
    }
}

/* Length of the first complete response in @buf (0 = incomplete, -1 = not HTTP). */
static gssize
parse_response (const GString *buf,
                guint         *status,
                gboolean      *close,
                gsize         *body_start)
{
  const char *head_end = strstr (buf->str, "\r\n\r\n");
  const char *line;
  gsize head_len;
  gint64 content_length = -1;
  gboolean chunked = FALSE;

  if (head_end == NULL)
    return 0;
  if (buf->len < 12 || strncmp (buf->str, "HTTP/1.", 7) != 0)
    return -1;
  head_len = head_end - buf->str + 4;
  *status = (guint) g_ascii_strtoull (buf->str + 9, NULL, 10);
  *close = strncmp (buf->str, "HTTP/1.0", 8) == 0;
  *body_start = head_len;

  for (line = strstr (buf->str, "\r\n") + 2; line < head_end; line = strstr (line, "\r\n") + 2)
    {
      if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
        content_length = g_ascii_strtoll (line + 15, NULL, 10);
      else if (g_ascii_strncasecmp (line, "Transfer-Encoding:", 18) == 0)
        chunked = g_strstr_len (line, strstr (line, "\r\n") - line, "chunked") != NULL;
      else if (g_ascii_strncasecmp (line, "Connection:", 11) == 0)
        *close = g_strstr_len (line, strstr (line, "\r\n") - line, "close") != NULL;
    }

  if (!chunked)
    {
      if (content_length < 0)
        content_length = 0;
      if (buf->len < head_len + content_length)
        return 0;
      return head_len + content_length;
    }

  /* chunked: size CRLF data CRLF … 0 CRLF CRLF (no trailers from libsoup) */
  {
    gsize pos = head_len;

    for (;;)
      {
        const char *eol = pos < buf->len ? strstr (buf->str + pos, "\r\n") : NULL;
        guint64 size;

        if (eol == NULL)
          return 0;
        size = g_ascii_strtoull (buf->str + pos, NULL, 16);
        pos = eol - buf->str + 2;
        if (size == 0)
          return buf->len >= pos + 2 ? (gssize) (pos + 2) : 0;
        pos += size + 2;
        if (pos > buf->len)
          return 0;
      }
  }
}

static gboolean
raw_readable (GSocket      *socket,
              GIOCondition  cond,
              gpointer      data)
{
  Client *c = data;
  char chunk[16384];
  g_autoptr(GError) error = NULL;
  gssize n, len;
  guint status = 0;
  gboolean close = FALSE;
  gsize body_start = 0;

  n = g_socket_receive (socket, chunk, sizeof chunk, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      /* the source is destroyed by raw_close() inside raw_fail() */
      if (c->waiting)
        raw_fail (c, n == 0 ? "the server closed the connection" : error->message);
      else
        {
          /* an idle keep-alive connection closed by the server */
          raw_close (c);
          if (!c->load->stopping)
            raw_connect (c);
        }
      return G_SOURCE_CONTINUE;
    }
  g_string_append_len (c->rbuf, chunk, n);

  len = parse_response (c->rbuf, &status, &close, &body_start);
  if (len == 0)
    return G_SOURCE_CONTINUE;
  if (len < 0 || !c->waiting)
    {
      raw_fail (c, "not an HTTP answer");
      return G_SOURCE_CONTINUE;
    }

  c->waiting = FALSE;
  if (status != c->load->expect)
    {
      g_autofree char *body = g_strndup (c->rbuf->str + body_start, len - body_start);

      g_string_erase (c->rbuf, 0, len);
      if (close)
        {
          raw_close (c);
          raw_connect (c);
        }
      request_done (c, status, body);
      return G_SOURCE_CONTINUE;
    }

  g_string_erase (c->rbuf, 0, len);
  if (close)
    {
      raw_close (c);
      raw_connect (c);
    }
  request_done (c, status, NULL);
  return G_SOURCE_CONTINUE;
}

/* -- libsoup -- */

static void
soup_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Client *c = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               &error);
  guint status = soup_message_get_status (msg);

  g_object_unref (msg);
  if (bytes == NULL)
    request_done (c, 0, error->message);
  else if (status != c->load->expect)
    {
      g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      request_done (c, status, body);
    }
  else
    request_done (c, status, NULL);
}

static void
soup_send (Client *c)
{
  Load *load = c->load;
  SoupMessage *msg = soup_message_new_from_uri (load->endpoint == ENDPOINT_CREATE ? "POST" : "GET",
                                                load->uri);

  if (load->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", load->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (c->body->len > 0)
    {
      g_autoptr(GBytes) b = g_bytes_new (c->body->str, c->body->len);

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  soup_session_send_and_read_async (load->soup, msg, G_PRIORITY_DEFAULT, NULL, soup_done, c);
}

static void
client_send (Client *c)
{
  if (c->load->stopping)
    {
      client_finished (c);
      return;
    }
  next_body (c);
  c->sent_at = g_get_monotonic_time ();
  if (c->load->raw)
    raw_send (c);
  else
    soup_send (c);
}

static void
snapshot (Load *load,
          guint i)
{
  load->client_cpu[i] = process_cpu_usec ();
  pid_cpu_usec (load->server_pid, load->server_cpu[i]);
  machine_cpu (&load->machine_busy[i], &load->machine_total[i]);
}

static gboolean
give_up (gpointer data)
{
  Load *load = data;

  g_printerr ("bench: %u requests still unanswered 30 s after the end; giving up on them\n",
              load->in_flight);
  load->give_up_id = 0;
  g_main_loop_quit (load->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_measuring (gpointer data)
{
  Load *load = data;

  load->t_end = g_get_monotonic_time ();
  load->measuring = FALSE;
  load->stopping = TRUE;
  snapshot (load, 1);
  load->give_up_id = g_timeout_add_seconds (30, give_up, load);
  return G_SOURCE_REMOVE;
}

static gboolean
start_measuring (gpointer data)
{
  Load *load = data;

  snapshot (load, 0);
  load->t_start = g_get_monotonic_time ();
  load->measuring = TRUE;
  g_timeout_add (opt_seconds * 1000, stop_measuring, load);
  return G_SOURCE_REMOVE;
}

static void
client_free (Client *c)
{
  if (c->load->raw)
    raw_close (c);
  g_string_free (c->body, TRUE);
  g_string_free (c->request, TRUE);
  g_string_free (c->rbuf, TRUE);
  g_free (c);
}

static void
run_load (Load *load)
{
  load->loop = g_main_loop_new (NULL, FALSE);
  load->latencies = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 1 << 20);
  load->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  if (load->raw)
    load->connector = g_socket_client_new ();
  else
    load->soup = soup_session_new_with_options ("max-conns", opt_clients + 4,
                                                "max-conns-per-host", opt_clients + 4,
                                                "timeout", 60, NULL);

  for (int i = 0; i < opt_clients; i++)
    {
      Client *c = g_new0 (Client, 1);

      c->load = load;
      c->index = i;
      c->body = g_string_sized_new (1024);
      c->request = g_string_sized_new (2048);
      c->rbuf = g_string_sized_new (16384);
      if (load->raw)
        raw_connect (c);
      g_ptr_array_add (load->clients, c);
    }

  load->in_flight = opt_clients;
  for (guint i = 0; i < load->clients->len; i++)
    client_send (g_ptr_array_index (load->clients, i));

  if (opt_warmup > 0)
    g_timeout_add ((guint) (opt_warmup * 1000), start_measuring, load);
  else
    start_measuring (load);

  /* Returns once every client has had its last answer after the end (or after give_up). */
  g_main_loop_run (load->loop);
  if (load->give_up_id != 0)
    g_source_remove (load->give_up_id);
}

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *sorted,
               double  p)
{
  gsize i;

  if (sorted->len == 0)
    return 0;
  i = (gsize) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, guint32, MIN (i, sorted->len - 1)) / 1000.0;
}

/* ---- raw SQLite: the same rows through KefuStore and kefu_ticket_op_create ----------------- */

typedef struct {
  KefuOpContext  ctx;
  GPtrArray     *intakes;     /* of KefuTicket* */
  guint          next;
  guint          count;
} RawRun;

static gpointer
seed_agent_job (KefuDb   *db,
                gpointer  data,
                GError  **error)
{
  gint64 now = g_get_real_time ();
  sqlite3_stmt *stmt;
  gint64 *id;

  if (!kefu_db_exec (db,
                     "INSERT OR IGNORE INTO departments (code, name, name_zh)"
                     " VALUES ('customer_service', 'Customer service', '客服部')", error))
    return NULL;
  stmt = kefu_db_prepare (db,
                          "INSERT INTO users (username, display_name, role, department,"
                          " password_hash, active, created_at, updated_at)"
                          " VALUES ('bench-agent', 'Bench Agent 压测', 'agent',"
                          " 'customer_service', 'x', 1, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;
  id = g_new (gint64, 1);
  *id = sqlite3_last_insert_rowid (kefu_db_handle (db));
  return id;
}

static gpointer
raw_create_job (KefuDb   *db,
                gpointer  data,
                GError  **error)
{
  RawRun *run = data;

  for (guint i = 0; i < run->count; i++)
    {
      KefuTicket *intake = g_ptr_array_index (run->intakes, run->next++ % run->intakes->len);
      KefuTicket *ticket = kefu_ticket_op_create (db, &run->ctx, intake, error);

      if (ticket == NULL)
        return NULL;
      kefu_ticket_unref (ticket);
    }
  return NULL;
}

typedef struct {
  double rate;          /* rows/s */
  double cpu_per_row;   /* µs of this process's CPU per row */
  double commit_ms;     /* mean wall time per commit */
} RawFigure;

static gboolean
raw_measure (KefuStore  *store,
             RawRun     *run,
             guint       per_commit,
             double      seconds,
             RawFigure  *out,
             GError    **error)
{
  gint64 start = g_get_monotonic_time ();
  gint64 cpu = process_cpu_usec ();
  gint64 deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 rows = 0, commits = 0;
  gint64 elapsed;

  run->count = per_commit;
  while (g_get_monotonic_time () < deadline)
    {
      kefu_store_write_sync (store, raw_create_job, run, NULL, error);
      if (error != NULL && *error != NULL)
        return FALSE;
      rows += per_commit;
      commits++;
    }
  elapsed = g_get_monotonic_time () - start;
  out->rate = rows * (double) G_USEC_PER_SEC / elapsed;
  out->cpu_per_row = (process_cpu_usec () - cpu) / (double) rows;
  out->commit_ms = elapsed / 1000.0 / commits;
  return TRUE;
}

typedef struct {
  KefuStore *store;
  guint      pending;
  GError    *error;
} GroupRound;

static void
grouped_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GroupRound *round = user_data;
  g_autoptr(GError) error = NULL;

  kefu_store_write_finish (round->store, result, &error);
  if (error != NULL && round->error == NULL)
    round->error = g_steal_pointer (&error);
  round->pending--;
}

/* Like the server: one job per row, queued together, so that the writer group-commits them
 * (each job in its own savepoint). */
static gboolean
raw_measure_grouped (KefuStore  *store,
                     RawRun     *run,
                     guint       jobs,
                     double      seconds,
                     RawFigure  *out,
                     double     *mean_batch,
                     GError    **error)
{
  gint64 start = g_get_monotonic_time ();
  gint64 cpu = process_cpu_usec ();
  gint64 deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 rows = 0, batches0, batches1, jobs0, jobs1;
  GroupRound round = { store, 0, NULL };
  gint64 elapsed;

  kefu_store_get_stats (store, &batches0, &jobs0);
  run->count = 1;
  while (g_get_monotonic_time () < deadline)
    {
      round.pending = jobs;
      for (guint i = 0; i < jobs; i++)
        kefu_store_write_async (store, raw_create_job, run, NULL, NULL, NULL, grouped_done,
                                &round);
      while (round.pending > 0)
        g_main_context_iteration (NULL, TRUE);
      if (round.error != NULL)
        {
          g_propagate_error (error, round.error);
          return FALSE;
        }
      rows += jobs;
    }
  elapsed = g_get_monotonic_time () - start;
  kefu_store_get_stats (store, &batches1, &jobs1);
  out->rate = rows * (double) G_USEC_PER_SEC / elapsed;
  out->cpu_per_row = (process_cpu_usec () - cpu) / (double) rows;
  out->commit_ms = elapsed / 1000.0 / MAX (batches1 - batches0, 1);
  *mean_batch = (jobs1 - jobs0) / (double) MAX (batches1 - batches0, 1);
  return TRUE;
}

static gboolean
run_raw_sqlite (const char  *data_dir,
                RawFigure   *one,
                RawFigure   *hundred,
                RawFigure   *grouped,
                double      *mean_batch,
                GError     **error)
{
  g_autoptr(KefuStore) store = NULL;
  g_autoptr(KefuSlaPolicy) policy = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(KefuUser) actor = kefu_user_new ();
  g_autoptr(GPtrArray) intakes = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_unref);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *submitted_at = kefu_bench_submitted_at_now ();
  g_autofree gint64 *agent_id = NULL;
  gint64 now = g_get_real_time ();
  RawRun run = { { 0 } };
  RawFigure warm;

  store = kefu_store_new (data_dir, error);
  if (store == NULL)
    return FALSE;
  policy = kefu_sla_policy_new_default (g_time_zone_get_identifier (tz));
  if (policy == NULL)
    policy = kefu_sla_policy_new_default ("UTC");

  agent_id = kefu_store_write_sync (store, seed_agent_job, NULL, g_free, error);
  if (agent_id == NULL)
    return FALSE;
  actor->id = *agent_id;
  actor->username = g_strdup ("bench-agent");
  actor->display_name = g_strdup ("Bench Agent 压测");
  actor->role = KEFU_ROLE_AGENT;
  actor->department = g_strdup ("customer_service");
  actor->active = TRUE;

  /* The intake the server would have parsed and validated, prepared outside the timing. */
  for (guint i = 0; i < RAW_INTAKE_POOL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      KefuTicket *intake;

      kefu_bench_build_ticket_body (body, i + 1, submitted_at);
      node = json_from_string (body->str, error);
      if (node == NULL)
        return FALSE;
      intake = kefu_validate_intake (node, now, error);
      if (intake == NULL)
        return FALSE;
      g_ptr_array_add (intakes, intake);
    }

  run.ctx.policy = policy;
  run.ctx.tz = tz;
  run.ctx.now = now;
  run.ctx.actor = actor;
  run.intakes = intakes;

  /* Warm the page cache and statement cache a little first. */
  if (!raw_measure (store, &run, 10, MIN (0.3, opt_sqlite_seconds), &warm, error) ||
      !raw_measure (store, &run, 1, opt_sqlite_seconds, one, error) ||
      !raw_measure (store, &run, 100, opt_sqlite_seconds, hundred, error) ||
      !raw_measure_grouped (store, &run, 100, opt_sqlite_seconds, grouped, mean_batch, error))
    return FALSE;

  kefu_store_close (store);
  return TRUE;
}

/* ---- main ---------------------------------------------------------------------------------- */

static gboolean
parse_server_url (Load        *load,
                  const char  *url,
                  GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);

  if (uri == NULL)
    return FALSE;
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--server takes http://HOST:PORT (HTTPS is not supported by the benchmark)");
      return FALSE;
    }
  load->host = g_strdup (g_uri_get_host (uri));
  load->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 80;
  load->base = g_strdup_printf ("http://%s:%u", load->host, load->port);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) setup = NULL;
  g_autofree char *workdir = NULL;
  g_autofree char *server_dir = NULL;
  g_autofree char *sqlite_dir = NULL;
  g_autofree char *endpoint_url = NULL;
  g_autoptr(GArray) sorted = NULL;
  Server srv = { 0 };
  Load load = { 0 };
  RawFigure one = { 0 }, hundred = { 0 }, grouped = { 0 };
  double mean_batch = 0;
  const char *path;
  double wall_s, per_s;
  guint ncpu = g_get_num_processors ();

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new ("— durable ticket creates per second, and the SQLite ceilings");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-create-throughput: %s\n", error->message);
      return 2;
    }
  if (opt_clients < 1 || opt_clients > 4096 || opt_seconds < 1 || opt_warmup < 0 ||
      opt_sqlite_seconds < 0)
    {
      g_printerr ("bench-create-throughput: --clients 1…4096, --seconds ≥ 1, --warmup ≥ 0\n");
      return 2;
    }

  if (opt_client == NULL || strcmp (opt_client, "raw") == 0)
    load.raw = TRUE;
  else if (strcmp (opt_client, "soup") != 0)
    {
      g_printerr ("bench-create-throughput: --client is raw or soup\n");
      return 2;
    }

  if (opt_endpoint == NULL || strcmp (opt_endpoint, "create") == 0)
    {
      load.endpoint = ENDPOINT_CREATE;
      path = API_PREFIX "/tickets";
      load.expect = SOUP_STATUS_CREATED;
    }
  else if (strcmp (opt_endpoint, "me") == 0)
    {
      load.endpoint = ENDPOINT_ME;
      path = API_PREFIX "/me";
      load.expect = SOUP_STATUS_OK;
    }
  else if (strcmp (opt_endpoint, "health") == 0)
    {
      load.endpoint = ENDPOINT_HEALTH;
      path = API_PREFIX "/health";
      load.expect = SOUP_STATUS_OK;
    }
  else
    {
      g_printerr ("bench-create-throughput: --endpoint is create, me or health\n");
      return 2;
    }

  {
    g_autofree char *template = g_build_filename (opt_tmpdir ? opt_tmpdir : g_get_tmp_dir (),
                                                  "kefu-bench-XXXXXX", NULL);

    workdir = g_mkdtemp (g_steal_pointer (&template));
    if (workdir == NULL)
      {
        g_printerr ("bench-create-throughput: cannot create a temporary directory: %s\n",
                    g_strerror (errno));
        return 1;
      }
  }
  server_dir = g_build_filename (workdir, "server", NULL);
  sqlite_dir = g_build_filename (workdir, "sqlite", NULL);

  setup = soup_session_new_with_options ("timeout", 60, NULL);
  if (opt_sqlite_only)
    goto raw_sqlite;

  /* The server and an account that may create tickets. */
  if (opt_server == NULL)
    {
      g_autoptr(JsonNode) user = NULL;
      g_autofree char *admin = NULL;

      if (!kefu_bench_server_spawn (&srv, server_dir, &error))
        goto failed;
      load.server_pid = srv.pid;
      load.host = g_strdup ("127.0.0.1");
      load.port = srv.port;
      load.base = g_strdup_printf ("http://127.0.0.1:%u", srv.port);

      admin = kefu_bench_sign_in (setup, load.base, "admin", srv.admin_password, &error);
      if (admin == NULL)
        goto failed;
      user = kefu_bench_call (setup, load.base, "POST", "/users", admin,
                   "{\"username\":\"bench-agent\",\"display_name\":\"Bench Agent 压测\","
                   "\"role\":\"agent\",\"department\":\"customer_service\","
                   "\"password\":\"Bench-Lantern-2026\"}", SOUP_STATUS_CREATED, &error);
      if (user == NULL)
        goto failed;
      load.token = kefu_bench_sign_in (setup, load.base, "bench-agent", "Bench-Lantern-2026", &error);
    }
  else
    {
      if (!parse_server_url (&load, opt_server, &error))
        goto failed;
      load.token = kefu_bench_sign_in (setup, load.base, opt_user ? opt_user : "agent",
                            opt_password ? opt_password : "demo", &error);
    }
  if (load.token == NULL)
    goto failed;
  if (load.endpoint == ENDPOINT_HEALTH)
    g_clear_pointer (&load.token, g_free);

  load.submitted_at = kefu_bench_submitted_at_now ();
  endpoint_url = g_strconcat (load.base, path, NULL);
  load.uri = g_uri_parse (endpoint_url, G_URI_FLAGS_NONE, &error);
  if (load.uri == NULL)
    goto failed;

  /* One request the slow way first, so that a rejected body shows up as a clear error. */
  if (load.endpoint == ENDPOINT_CREATE)
    {
      g_autoptr(GString) body = g_string_new (NULL);
      g_autoptr(JsonNode) ticket = NULL;

      kefu_bench_build_ticket_body (body, 0, load.submitted_at);
      ticket = kefu_bench_call (setup, load.base, "POST", "/tickets", load.token, body->str,
                     SOUP_STATUS_CREATED, &error);
      if (ticket == NULL)
        goto failed;
      load.serial = 1000;
    }

  g_print ("create-throughput: %s, %s client (%s), %u clients on 1 thread; %u CPUs shared by "
           "client and server\n",
           opt_server ? opt_server : (srv.banner ? srv.banner : "kefu-server"),
           load.raw ? "raw HTTP/1.1" : "libsoup",
           load.endpoint == ENDPOINT_CREATE ? "POST /tickets" :
           load.endpoint == ENDPOINT_ME ? "GET /me" : "GET /health",
           opt_clients, ncpu);
  if (opt_server == NULL)
    g_print ("create-throughput: server pid %d, data on %s (%s)\n", (int) srv.pid, server_dir,
             fs_type_name (server_dir));

  run_load (&load);

  /* Close the connections before the server goes away (and before the SQLite part runs the
   * main context again). */
  g_clear_pointer (&load.clients, g_ptr_array_unref);

  sorted = g_array_ref (load.latencies);
  g_array_sort (sorted, compare_u32);
  wall_s = (load.t_end - load.t_start) / (double) G_USEC_PER_SEC;
  per_s = load.ok / wall_s;

  g_print ("create-throughput: %d clients, %d s: %.0f %s/s%s, p50 %.2f ms, p90 %.2f ms, "
           "p99 %.2f ms, max %.2f ms, %" G_GUINT64_FORMAT " errors (%" G_GUINT64_FORMAT
           " answered %u in %.2f s)\n",
           opt_clients, opt_seconds, per_s,
           load.endpoint == ENDPOINT_CREATE ? "creates" : "requests",
           load.endpoint == ENDPOINT_CREATE ? " durable" : "",
           percentile_ms (sorted, 0.50), percentile_ms (sorted, 0.90),
           percentile_ms (sorted, 0.99),
           sorted->len ? g_array_index (sorted, guint32, sorted->len - 1) / 1000.0 : 0.0,
           load.errors, load.ok, load.expect, wall_s);
  if (load.errors > 0)
    g_print ("create-throughput: errors: %" G_GUINT64_FORMAT " I/O, %" G_GUINT64_FORMAT
             " 4xx, %" G_GUINT64_FORMAT " 5xx; first: %s\n",
             load.bad_status[0], load.bad_status[4], load.bad_status[5], load.first_error);

  {
    double answered = MAX (load.ok + load.errors, 1);
    double client_us = (load.client_cpu[1] - load.client_cpu[0]) / answered;
    double busy = load.machine_total[1] > load.machine_total[0]
                  ? 100.0 * (load.machine_busy[1] - load.machine_busy[0]) /
                    (load.machine_total[1] - load.machine_total[0])
                  : 0;

    if (load.server_cpu[0][0] >= 0 && load.server_cpu[1][0] >= 0 && opt_server == NULL)
      {
        double server_us = (load.server_cpu[1][0] - load.server_cpu[0][0]) / answered;
        double writer_us = (load.server_cpu[1][1] - load.server_cpu[0][1]) / answered;
        double main_us = (load.server_cpu[1][2] - load.server_cpu[0][2]) / answered;
        double server_cores = server_us * answered / (wall_s * 1e6);
        double client_cores = client_us * answered / (wall_s * 1e6);
        double other = busy / 100.0 * ncpu - server_cores - client_cores;

        g_print ("cpu: server %.0f µs/request (%.2f cores: main thread %.0f µs, writer thread "
                 "%.0f µs), client %.0f µs/request (%.2f cores), all %u CPUs %.0f%% busy "
                 "(others, kernel threads included: %.2f cores%s)\n",
                 server_us, server_cores, main_us, writer_us, client_us, client_cores, ncpu,
                 busy, MAX (other, 0),
                 other > 0.3 ? " — was the machine idle? see docs/benchmarks.md" : "");
      }
    else
      g_print ("cpu: client %.0f µs/request (%.2f cores), all %u local CPUs %.0f%% busy\n",
               client_us, client_us * answered / (wall_s * 1e6), ncpu, busy);
  }

  kefu_bench_server_stop (&srv);

raw_sqlite:
  /* The ceilings, on the same filesystem, with nothing else running. */
  if (opt_sqlite_seconds > 0 || opt_sqlite_only)
    {
      if (opt_sqlite_seconds <= 0)
        opt_sqlite_seconds = 3;
      if (!run_raw_sqlite (sqlite_dir, &one, &hundred, &grouped, &mean_batch, &error))
        goto failed;
      g_print ("raw sqlite: %.0f inserts/s one-commit-per-row, %.0f inserts/s 100-per-commit "
               "(KefuStore + kefu_ticket_op_create: serial, ticket, event and outbox rows; WAL, "
               "synchronous=FULL; %s)\n",
               one.rate, hundred.rate, fs_type_name (sqlite_dir));
      g_print ("raw sqlite: %.2f ms per commit of 1 row, %.2f ms per commit of 100 rows; "
               "write path CPU %.0f µs/row batched\n",
               one.commit_ms, hundred.commit_ms, hundred.cpu_per_row);
      g_print ("raw sqlite: %.0f inserts/s group-committed as the server does (one job and "
               "savepoint per row, %.1f rows per commit, %.2f ms per commit); write path CPU "
               "%.0f µs/row\n",
               grouped.rate, mean_batch, grouped.commit_ms, grouped.cpu_per_row);
    }

  if (!opt_keep)
    remove_tree (workdir);
  else
    g_print ("kept %s\n", workdir);

  g_clear_pointer (&load.clients, g_ptr_array_unref);
  g_clear_object (&load.soup);
  g_clear_object (&load.connector);
  g_clear_pointer (&load.loop, g_main_loop_unref);
  g_clear_pointer (&load.latencies, g_array_unref);
  g_clear_pointer (&load.uri, g_uri_unref);
  g_free (load.host);
  g_free (load.base);
  g_free (load.token);
  g_free (load.submitted_at);
  g_free (load.first_error);
  return 0;

failed:
  g_printerr ("bench-create-throughput: %s\n", error->message);
  kefu_bench_server_stop (&srv);
  if (!opt_keep)
    remove_tree (workdir);
  return 1;
}
