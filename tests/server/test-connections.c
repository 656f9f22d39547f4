/* test-connections.c — what an anonymous peer can do to the server's connections and request
 * path, tried from outside over raw sockets: bodies refused before they are read (401/403 from
 * the headers alone), ambiguous framing (400), slow or silent peers timed out (408, close), the
 * connection cap (evicting idle ones, 503 when all are busy), streamed uploads (no body in
 * memory, no file left behind) and a concurrent write's latency while a 200 MiB upload is in
 * flight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "after-sales-common.h"

#define MiB (1024 * 1024)

/* ---- a raw HTTP client ----------------------------------------------------------------------- */

static int
raw_connect (guint16 port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  return fd;
}

static void
raw_send (int         fd,
          const char *text)
{
  gsize len = strlen (text);

  g_assert_cmpint (send (fd, text, len, MSG_NOSIGNAL), ==, (gssize) len);
}

/* Everything the server sends until it closes, or until @timeout_ms passes without a byte;
 * *@closed says which. */
static GString *
raw_read (int       fd,
          int       timeout_ms,
          gboolean *closed)
{
  GString *out = g_string_new (NULL);
  char buf[4096];

  *closed = FALSE;
  for (;;)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      ssize_t n;

      if (poll (&p, 1, timeout_ms) <= 0)
        break;
      n = recv (fd, buf, sizeof buf, 0);
      if (n <= 0)
        {
          *closed = TRUE;
          break;
        }
      g_string_append_len (out, buf, n);
    }
  return out;
}

/* The status of the response in @text, 0 if none. */
static guint
status_of (GString *text)
{
  guint status = 0;

  if (text->len < 12 || sscanf (text->str, "HTTP/1.%*c %u", &status) != 1)
    return 0;
  return status;
}

static gboolean
has_error_code (GString    *text,
                const char *code)
{
  g_autofree char *needle = g_strdup_printf ("\"code\":\"%s\"", code);

  return strstr (text->str, needle) != NULL;
}

static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + 6, NULL, 10);
}

static void
assert_health (KefuTestServer *ts)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "GET", "/health", NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

/* ---- bodies are refused from the headers ----------------------------------------------------- */

/* A 200 MiB upload without a session: 401 as soon as the head is in, the connection closed
 * after at most a short drain, so nearly all of the body is never read, let alone kept. */
static void
test_unauthenticated_upload (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autofree char *head = NULL;
  g_autoptr(GString) answer = NULL;
  g_autofree char *chunk = g_malloc0 (MiB);
  guint16 port = kefu_test_server_get_port (f->ts);
  G_GNUC_UNUSED gint64 rss_before = rss_kib ();
  gint64 start;
  gsize sent = 0;
  gboolean closed;
  int fd;

  head = g_strdup_printf ("POST /api/v1/tickets/%s/attachments?name=v.mp4 HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\nContent-Type: video/mp4\r\n"
                          "Content-Length: %d\r\n\r\n", number, 200 * MiB);
  fd = raw_connect (port);
  start = g_get_monotonic_time ();
  raw_send (fd, head);
  answer = raw_read (fd, 2000, &closed);
  g_assert_cmpuint (status_of (answer), ==, 401);
  g_assert_true (has_error_code (answer, "unauthenticated"));
  g_assert_nonnull (strstr (answer->str, "WWW-Authenticate: Bearer"));
  g_assert_true (closed);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* The body anyway: the server stops taking it long before 200 MiB. */
  {
    struct timeval tv = { .tv_sec = 2 };

    setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  while (sent < (gsize) 200 * MiB)
    {
      ssize_t n = send (fd, chunk, MiB, MSG_NOSIGNAL);

      if (n <= 0)
        break;
      sent += n;
    }
  close (fd);
  g_test_message ("the server took %" G_GSIZE_FORMAT " bytes of the refused body", sent);
  g_assert_cmpuint (sent, <, 32 * MiB);
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (rss_kib () - rss_before, <, 16 * 1024);
#endif
  assert_health (f->ts);
}

/* A role without the right to a route is refused the same way (403), before its body. */
static void
test_forbidden_before_body (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *head = NULL;
  g_autoptr(GString) answer = NULL;
  gboolean closed;
  int fd;

  head = g_strdup_printf ("POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                          "Content-Length: 900000\r\n\r\n", token (f, "technician"));
  fd = raw_connect (kefu_test_server_get_port (f->ts));
  raw_send (fd, head);
  answer = raw_read (fd, 2000, &closed);
  close (fd);
  g_assert_cmpuint (status_of (answer), ==, 403);
  g_assert_true (has_error_code (answer, "forbidden"));
  g_assert_true (closed);

  /* A bad token is a 401, whatever the route. */
  fd = raw_connect (kefu_test_server_get_port (f->ts));
  raw_send (fd, "POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n"
                "Content-Type: application/json\r\nContent-Length: 10\r\n\r\n");
  g_string_free (answer, TRUE);
  answer = raw_read (fd, 2000, &closed);
  close (fd);
  g_assert_cmpuint (status_of (answer), ==, 401);
  assert_health (f->ts);
}

/* Requests that could be read two ways are answered 400 at once, not waited on. */
static void
test_ambiguous_framing (Fixture       *f,
                        gconstpointer  data)
{
  static const char *requests[] = {
    "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Content-Length: 5\r\nContent-Length: 40\r\n\r\n{\"a\":",
    "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n",
    "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GString) answer = NULL;
      gint64 start = g_get_monotonic_time ();
      gboolean closed;
      int fd = raw_connect (kefu_test_server_get_port (f->ts));

      raw_send (fd, requests[i]);
      answer = raw_read (fd, 3000, &closed);
      close (fd);
      g_assert_cmpuint (status_of (answer), ==, 400);
      g_assert_true (has_error_code (answer, "bad_request"));
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
    }

  /* A transfer coding libsoup does not know: it answers 501 itself, at once. */
  {
    g_autoptr(GString) answer = NULL;
    gboolean closed;
    int fd = raw_connect (kefu_test_server_get_port (f->ts));

    raw_send (fd, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                  "Transfer-Encoding: gzip, chunked\r\n\r\n");
    answer = raw_read (fd, 3000, &closed);
    close (fd);
    g_assert_cmpuint (status_of (answer), ==, 501);
  }
  assert_health (f->ts);
}

/* ---- timeouts -------------------------------------------------------------------------------- */

static void
timeouts_set_up (Fixture       *f,
                 gconstpointer  data)
{
  KefuHttpGuardLimits limits = { .head_timeout_ms = 400, .body_timeout_ms = 400,
                                 .idle_timeout_ms = 400 };

  f->ts = kefu_test_server_new_full (FALSE, &limits);
  g_set_print_handler (NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
test_timeouts (Fixture       *f,
               gconstpointer  data)
{
  guint16 port = kefu_test_server_get_port (f->ts);
  g_autoptr(GString) answer = NULL;
  gboolean closed;
  gint64 start;
  int fd;

  /* Silent: closed without a word. */
  fd = raw_connect (port);
  start = g_get_monotonic_time ();
  answer = raw_read (fd, 5000, &closed);
  close (fd);
  g_assert_true (closed);
  g_assert_cmpuint (answer->len, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

  /* Half a head, then nothing: 408. */
  fd = raw_connect (port);
  raw_send (fd, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n");
  g_string_free (answer, TRUE);
  answer = raw_read (fd, 5000, &closed);
  close (fd);
  g_assert_cmpuint (status_of (answer), ==, 408);
  g_assert_true (has_error_code (answer, "timeout"));
  g_assert_true (closed);

  /* A body that stops: 408. */
  fd = raw_connect (port);
  raw_send (fd, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 100\r\n\r\n{\"username\":");
  g_string_free (answer, TRUE);
  answer = raw_read (fd, 5000, &closed);
  close (fd);
  g_assert_cmpuint (status_of (answer), ==, 408);
  g_assert_true (closed);

  /* Kept alive after an answer (a second request is answered on it), then idle: closed. */
  fd = raw_connect (port);
  raw_send (fd, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
  g_string_free (answer, TRUE);
  answer = raw_read (fd, 200, &closed);
  g_assert_cmpuint (status_of (answer), ==, 200);
  g_assert_false (closed);
  raw_send (fd, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
  g_string_free (answer, TRUE);
  start = g_get_monotonic_time ();
  answer = raw_read (fd, 5000, &closed);
  close (fd);
  g_assert_cmpuint (status_of (answer), ==, 200);
  g_assert_true (closed);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);

  assert_health (f->ts);
}

/* ---- the cap ---------------------------------------------------------------------------------- */

#define CAP 16

static void
cap_set_up (Fixture       *f,
            gconstpointer  data)
{
  KefuHttpGuardLimits limits = { .max_connections = CAP, .head_timeout_ms = 1500 };

  f->ts = kefu_test_server_new_full (FALSE, &limits);
  g_set_print_handler (NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

typedef struct {
  KefuTestServer    *ts;
  KefuHttpGuardStats stats;
} StatsCall;

static gboolean
read_stats (gpointer data)
{
  StatsCall *call = data;

  kefu_http_guard_get_stats (kefu_server_get_soup_server (kefu_test_server_get_server (call->ts)),
                             &call->stats);
  return G_SOURCE_REMOVE;
}

static KefuHttpGuardStats
stats (KefuTestServer *ts)
{
  StatsCall call = { ts };

  kefu_test_server_invoke (ts, read_stats, &call);
  return call.stats;
}

static void
wait_for_open (KefuTestServer *ts,
               guint           n)
{
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (stats (ts).open != n && g_get_monotonic_time () < until)
    g_usleep (10000);
  g_assert_cmpuint (stats (ts).open, ==, n);
}

static void
test_cap (Fixture       *f,
          gconstpointer  data)
{
  guint16 port = kefu_test_server_get_port (f->ts);
  int idle[CAP], busy[CAP];
  g_autoptr(GString) answer = NULL;
  gboolean closed;
  int fd;

  wait_for_open (f->ts, 0);

  /* Full of silent connections: a new one evicts the oldest and is served. */
  for (guint i = 0; i < CAP; i++)
    idle[i] = raw_connect (port);
  wait_for_open (f->ts, CAP);
  fd = raw_connect (port);
  raw_send (fd, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  answer = raw_read (fd, 3000, &closed);
  close (fd);
  g_assert_cmpuint (status_of (answer), ==, 200);
  g_string_free (answer, TRUE);
  answer = raw_read (idle[0], 1000, &closed);
  g_assert_true (closed);   /* the oldest went */
  g_assert_cmpuint (stats (f->ts).evicted, >=, 1);
  for (guint i = 0; i < CAP; i++)
    close (idle[i]);
  wait_for_open (f->ts, 0);

  /* Full of connections in the middle of a request: none to evict, 503 at once. */
  for (guint i = 0; i < CAP; i++)
    {
      busy[i] = raw_connect (port);
      raw_send (busy[i], "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
    }
  wait_for_open (f->ts, CAP);
  /* Each has been handed to libsoup (a byte arrived) before the next one comes. */
  g_usleep (100 * 1000);
  fd = raw_connect (port);
  g_string_free (answer, TRUE);
  answer = raw_read (fd, 3000, &closed);
  close (fd);
  g_assert_cmpuint (status_of (answer), ==, 503);
  g_assert_true (has_error_code (answer, "unavailable"));
  g_assert_nonnull (strstr (answer->str, "Retry-After:"));
  g_assert_cmpuint (stats (f->ts).refused, >=, 1);

  /* Once they go, the server serves again. */
  for (guint i = 0; i < CAP; i++)
    close (busy[i]);
  wait_for_open (f->ts, 0);
  assert_health (f->ts);
}

/* ---- uploads ----------------------------------------------------------------------------------- */

/* Sends a POST of @size bytes of MP4 (a valid magic, then zeros) as @token from a 1 MiB buffer;
 * returns the answer. @abort_after > 0: close after that many bytes instead. */
static GString *
stream_upload (guint16     port,
               const char *number,
               const char *tok,
               gsize       size,
               gsize       abort_after,
               const char *content_type)
{
  g_autofree char *head = NULL;
  g_autofree guint8 *chunk = g_malloc0 (MiB);
  gsize sent = 0;
  gboolean closed;
  GString *answer;
  int fd;

  memcpy (chunk, "\0\0\0\x18" "ftypisom", 12);
  head = g_strdup_printf ("POST /api/v1/tickets/%s/attachments?name=clip.mp4 HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          number, tok, content_type, size);
  fd = raw_connect (port);
  raw_send (fd, head);
  while (sent < size)
    {
      gsize n = MIN (MiB, size - sent);
      ssize_t done;

      if (abort_after > 0 && sent >= abort_after)
        break;
      done = send (fd, chunk, n, MSG_NOSIGNAL);
      g_assert_cmpint (done, >, 0);
      sent += done;
      memset (chunk, 0, 12);   /* the magic once, at the start */
    }
  if (abort_after > 0)
    {
      close (fd);
      return g_string_new (NULL);
    }
  answer = raw_read (fd, 20000, &closed);
  close (fd);
  return answer;
}

static guint
count_temp_files (KefuTestServer *ts)
{
  g_autofree char *dir = g_build_filename (kefu_test_server_get_data_dir (ts), "attachments",
                                           NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, ".upload-"))
      n++;
  return n;
}

static gboolean
no_temp_files_soon (KefuTestServer *ts)
{
  gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (count_temp_files (ts) > 0 && g_get_monotonic_time () < until)
    g_usleep (20000);
  return count_temp_files (ts) == 0;
}

typedef struct {
  guint16  port;
  char    *number;
  char    *token;
  GString *answer;
} UploadThread;

static gpointer
upload_thread (gpointer data)
{
  UploadThread *u = data;

  u->answer = stream_upload (u->port, u->number, u->token, 200 * MiB, 0, "video/mp4");
  return NULL;
}

/* A 200 MiB video streams to disk: the server's memory hardly moves, the file is there under
 * its SHA-256, nothing temporary is left, and tickets registered meanwhile are answered about
 * as fast as without it. */
static void
test_streamed_upload (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  UploadThread u = { kefu_test_server_get_port (f->ts), number, g_strdup (token (f, "agent")) };
  g_autoptr(GArray) quiet = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) loaded = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 rss_before = rss_kib (), rss_peak = 0;
  GThread *thread;
  const char *body;
  JsonObject *attachment;
  g_autofree char *path = NULL;
  GStatBuf st;

  for (guint i = 0; i < 10; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autofree char *n = create_ticket (f, 4, NULL, NULL);
      gint64 dt = g_get_monotonic_time () - t0;

      g_array_append_val (quiet, dt);
    }

  thread = g_thread_new ("upload", upload_thread, &u);
  for (guint i = 0; i < 200 && g_atomic_pointer_get (&u.answer) == NULL; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autofree char *n = create_ticket (f, 4, NULL, NULL);
      gint64 dt = g_get_monotonic_time () - t0;

      g_array_append_val (loaded, dt);
      rss_peak = MAX (rss_peak, rss_kib ());
      g_usleep (5000);
    }
  g_thread_join (thread);

  {
    gint64 q_max = 0, l_max = 0, q_sum = 0, l_sum = 0;

    for (guint i = 0; i < quiet->len; i++)
      {
        q_max = MAX (q_max, g_array_index (quiet, gint64, i));
        q_sum += g_array_index (quiet, gint64, i);
      }
    for (guint i = 0; i < loaded->len; i++)
      {
        l_max = MAX (l_max, g_array_index (loaded, gint64, i));
        l_sum += g_array_index (loaded, gint64, i);
      }
    g_test_message ("POST /tickets: quiet mean %.1f ms max %.1f ms; during a 200 MiB upload "
                    "(%u requests) mean %.1f ms max %.1f ms; RSS +%" G_GINT64_FORMAT " KiB",
                    q_sum / 1000.0 / quiet->len, q_max / 1000.0, loaded->len,
                    loaded->len ? l_sum / 1000.0 / loaded->len : 0.0, l_max / 1000.0,
                    rss_peak - rss_before);
    g_assert_cmpuint (loaded->len, >, 0);
#ifndef __SANITIZE_ADDRESS__
    /* Generous for a busy CI machine; the figures are in docs/benchmarks.md. */
    g_assert_cmpint (l_max, <, 500 * 1000);
#endif
  }
#ifndef __SANITIZE_ADDRESS__
  /* (AddressSanitizer keeps freed memory in quarantine: RSS says nothing there.) */
  g_assert_cmpint (rss_peak - rss_before, <, 64 * 1024);
#endif

  g_assert_cmpuint (status_of (u.answer), ==, 201);
  body = strstr (u.answer->str, "\r\n\r\n");
  g_assert_nonnull (body);
  g_assert_true (json_parser_load_from_data (parser, body + 4, -1, NULL));
  attachment = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, 200 * MiB);
  g_assert_true (no_temp_files_soon (f->ts));

  /* One content-addressed file of the right size. */
  {
    g_autofree char *dir = g_build_filename (kefu_test_server_get_data_dir (f->ts),
                                             "attachments", NULL);
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name = g_dir_read_name (d);

    g_assert_nonnull (name);
    g_assert_cmpuint (strlen (name), ==, 64);
    path = g_build_filename (dir, name, NULL);
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_size, ==, 200 * MiB);
  }

  g_string_free (u.answer, TRUE);
  g_free (u.token);
}

/* Refused after the body (wrong bytes for the type) or abandoned half-way: no file stays. */
static void
test_refused_upload_leaves_nothing (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  guint16 port = kefu_test_server_get_port (f->ts);
  g_autoptr(GString) answer = NULL;
  g_autoptr(GString) aborted = NULL;

  answer = stream_upload (port, number, token (f, "agent"), 3 * MiB, 0, "image/png");
  g_assert_cmpuint (status_of (answer), ==, 415);
  g_assert_true (no_temp_files_soon (f->ts));

  aborted = stream_upload (port, number, token (f, "agent"), 30 * MiB, 5 * MiB, "video/mp4");
  g_assert_true (no_temp_files_soon (f->ts));
  assert_health (f->ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/connections/unauthenticated-upload", Fixture, NULL, fixture_set_up,
              test_unauthenticated_upload, fixture_tear_down);
  g_test_add ("/connections/forbidden-before-body", Fixture, NULL, fixture_set_up,
              test_forbidden_before_body, fixture_tear_down);
  g_test_add ("/connections/ambiguous-framing", Fixture, NULL, fixture_set_up,
              test_ambiguous_framing, fixture_tear_down);
  g_test_add ("/connections/timeouts", Fixture, NULL, timeouts_set_up, test_timeouts,
              fixture_tear_down);
  g_test_add ("/connections/cap", Fixture, NULL, cap_set_up, test_cap, fixture_tear_down);
  g_test_add ("/connections/streamed-upload", Fixture, NULL, fixture_set_up,
              test_streamed_upload, fixture_tear_down);
  g_test_add ("/connections/refused-upload-leaves-nothing", Fixture, NULL, fixture_set_up,
              test_refused_upload_leaves_nothing, fixture_tear_down);

  return g_test_run ();
}
