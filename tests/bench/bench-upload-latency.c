/* bench-upload-latency.c — how much a 200 MiB upload in flight delays other writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spawns the real kefu-server (--demo, its own data directory), then registers tickets one
 * after another (POST /tickets, each a durable write) first on a quiet server, then while
 * another connection uploads a 200 MiB video as fast as loopback allows. Prints the latency
 * percentiles of both phases, the upload's rate and the server's resident memory. Point
 * KEFU_SERVER_BINARY at another build to compare two versions in the same run.
 */
#include "config.h"

#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kefu-bench-common.h"

#define MiB          (1024 * 1024)
#define UPLOAD_BYTES (200 * MiB)

typedef struct {
  guint16   port;
  char     *token;
  char     *number;
  gint64    started;
  gint64    finished;
  guint     status;
  gboolean  done;
} Upload;

static gpointer
upload_thread (gpointer data)
{
  Upload *u = data;
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (u->port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  g_autofree guint8 *chunk = g_malloc0 (MiB);
  g_autofree char *head = NULL;
  char answer[512] = { 0 };
  gsize sent = 0;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  memcpy (chunk, "\0\0\0\x18" "ftypisom", 12);
  head = g_strdup_printf ("POST /api/v1/tickets/%s/attachments?name=clip.mp4 HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: video/mp4\r\nContent-Length: %d\r\n\r\n",
                          u->number, u->token, UPLOAD_BYTES);
  u->started = g_get_monotonic_time ();
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0 &&
      send (fd, head, strlen (head), MSG_NOSIGNAL) > 0)
    {
      while (sent < UPLOAD_BYTES)
        {
          ssize_t n = send (fd, chunk, MIN (MiB, UPLOAD_BYTES - sent), MSG_NOSIGNAL);

          if (n <= 0)
            break;
          sent += n;
          memset (chunk, 0, 12);
        }
      if (recv (fd, answer, sizeof answer - 1, 0) > 12)
        sscanf (answer, "HTTP/1.%*c %u", &u->status);
    }
  close (fd);
  u->finished = g_get_monotonic_time ();
  g_atomic_int_set (&u->done, TRUE);
  return NULL;
}

static long
rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(line = strstr (text, "VmRSS:")))
    return 0;
  return strtol (line + 6, NULL, 10);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
print_latencies (const char *label,
                 GArray     *ms)
{
  gint64 *v;

  g_array_sort (ms, compare_gint64);
  v = (gint64 *) ms->data;
  g_print ("  %-28s n=%4u  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", label,
           ms->len, v[ms->len / 2] / 1000.0, v[ms->len * 95 / 100] / 1000.0,
           v[ms->len * 99 / 100] / 1000.0, v[ms->len - 1] / 1000.0);
}

static gint64
register_one (SoupSession *session,
              const char  *base,
              const char  *token,
              guint64      serial)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *submitted = kefu_bench_submitted_at_now ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 t0;

  kefu_bench_build_ticket_body (body, serial, submitted);
  t0 = g_get_monotonic_time ();
  node = kefu_bench_call (session, base, "POST", "/tickets", token, body->str, 201, &error);
  if (node == NULL)
    g_error ("POST /tickets: %s", error->message);
  return g_get_monotonic_time () - t0;
}

int
main (int   argc,
      char *argv[])
{
  const char *const extra[] = { "--demo", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *data_dir = g_dir_make_tmp ("kefu-bench-upload-XXXXXX", &error);
  g_autofree char *base = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GArray) quiet = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) loaded = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonNode) created = NULL;
  Server srv = { 0 };
  Upload u = { 0 };
  GThread *thread;
  long rss_before, rss_peak = 0;
  guint64 serial = 1;

  if (data_dir == NULL || !kefu_bench_server_spawn_full (&srv, data_dir, extra, FALSE, &error))
    g_error ("%s", error->message);
  base = g_strdup_printf ("http://127.0.0.1:%u", srv.port);
  token = kefu_bench_sign_in (session, base, "agent", "demo", &error);
  if (token == NULL)
    g_error ("%s", error->message);

  g_print ("upload-latency: %s\n", srv.banner);
  for (guint i = 0; i < 20; i++)   /* warm up */
    register_one (session, base, token, serial++);
  for (guint i = 0; i < 200; i++)
    {
      gint64 dt = register_one (session, base, token, serial++);

      g_array_append_val (quiet, dt);
      g_usleep (2000);
    }

  {
    g_autoptr(GString) body = g_string_new (NULL);
    g_autofree char *submitted = kefu_bench_submitted_at_now ();

    kefu_bench_build_ticket_body (body, serial++, submitted);
    created = kefu_bench_call (session, base, "POST", "/tickets", token, body->str, 201, &error);
    if (created == NULL)
      g_error ("%s", error->message);
  }
  u.port = srv.port;
  u.token = token;
  u.number = g_strdup (json_object_get_string_member (json_node_get_object (created), "number"));
  rss_before = rss_kib (srv.pid);

  thread = g_thread_new ("upload", upload_thread, &u);
  while (!g_atomic_int_get (&u.done))
    {
      gint64 dt = register_one (session, base, token, serial++);

      g_array_append_val (loaded, dt);
      rss_peak = MAX (rss_peak, rss_kib (srv.pid));
      g_usleep (2000);
    }
  g_thread_join (thread);

  print_latencies ("POST /tickets, quiet", quiet);
  print_latencies ("POST /tickets, 200 MiB upload", loaded);
  g_print ("  upload: HTTP %u, %.0f MiB/s; server RSS %ld MiB before, %ld MiB peak during\n",
           u.status, UPLOAD_BYTES / (double) MiB / ((u.finished - u.started) / 1e6),
           rss_before / 1024, rss_peak / 1024);

  kefu_bench_server_stop (&srv);
  g_free (u.number);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", data_dir);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return 0;
}
