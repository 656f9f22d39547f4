/* test-fd-limit.c — the real kefu-server under a low open-file limit (ulimit -n 128), flooded
 * with connections: it stays up, keeps answering /health, refuses what it cannot hold with 503,
 * and once the flood is gone it accepts again and its descriptors are back where they were.
 * (libsoup's own listener stops accepting for good at the first EMFILE.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#define SERVER_FD_LIMIT 128
#define SILENT_FLOOD    600
#define BUSY_FLOOD      300

static guint16 port;
static GPid pid;

static void
limit_fds (gpointer data)
{
  struct rlimit rl = { SERVER_FD_LIMIT, SERVER_FD_LIMIT };

  setrlimit (RLIMIT_NOFILE, &rl);
}

static guint16
free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  close (fd);
  return ntohs (addr.sin_port);
}

static int
try_connect (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* The status of a GET /api/v1/health on a new connection, answered within @timeout_ms; 0 if
 * none came. */
static guint
health (int timeout_ms)
{
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  char buf[512] = { 0 };
  struct pollfd p;
  guint status = 0;
  int fd = try_connect ();

  if (fd < 0)
    return 0;
  if (send (fd, request, sizeof request - 1, MSG_NOSIGNAL) == sizeof request - 1)
    {
      p.fd = fd;
      p.events = POLLIN;
      if (poll (&p, 1, timeout_ms) == 1 && recv (fd, buf, sizeof buf - 1, 0) > 12)
        sscanf (buf, "HTTP/1.%*c %u", &status);
    }
  close (fd);
  return status;
}

static guint
server_fds (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir))
    n++;
  return n;
}

static void
assert_alive (void)
{
  int status;

  g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);
}

static void
test_flood (void)
{
  const char *binary = g_getenv ("KEFU_SERVER_BINARY");
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("kefu-fd-XXXXXX", &error);
  g_autofree char *listen = NULL;
  struct rlimit rl;
  int silent[SILENT_FLOOD], busy[BUSY_FLOOD];
  guint baseline, n503 = 0, n408 = 0, answered = 0;
  gint64 until;
  int status;

  g_assert_no_error (error);
  g_assert_nonnull (binary);

  /* This process holds the client ends of the flood. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &rl), ==, 0);
  rl.rlim_cur = rl.rlim_max;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &rl), ==, 0);
  g_assert_cmpuint (rl.rlim_cur, >, SILENT_FLOOD + BUSY_FLOOD + 64);

  port = free_port ();
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  {
    /* An explicit cap far above what 128 descriptors allow: the server must still cope. */
    const char *argv[] = { binary, "--data-dir", data_dir, "--listen", listen,
                           "--max-connections", "5000", "--head-timeout", "1",
                           "--idle-timeout", "2", NULL };

    g_spawn_async (NULL, (char **) argv, NULL,
                   G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                   G_SPAWN_STDERR_TO_DEV_NULL,
                   limit_fds, NULL, &pid, &error);
    g_assert_no_error (error);
  }

  until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (health (500) != 200 && g_get_monotonic_time () < until)
    g_usleep (50000);
  g_assert_cmpuint (health (1000), ==, 200);
  baseline = server_fds ();
  g_test_message ("server descriptors at rest: %u of %d", baseline, SERVER_FD_LIMIT);

  /* 1. Silent connections, far more than it has descriptors for: the oldest are closed to
   * make room and /health is answered throughout. */
  for (guint i = 0; i < SILENT_FLOOD; i++)
    {
      silent[i] = try_connect ();
      if (i % 100 == 99)
        {
          gint64 t0 = g_get_monotonic_time ();

          g_assert_cmpuint (health (1000), ==, 200);
          g_test_message ("after %u silent connections: /health in %.1f ms", i + 1,
                          (g_get_monotonic_time () - t0) / 1000.0);
        }
    }
  assert_alive ();
  g_assert_cmpuint (server_fds (), <=, SERVER_FD_LIMIT);
  for (guint i = 0; i < SILENT_FLOOD; i++)
    if (silent[i] >= 0)
      close (silent[i]);

  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (server_fds () > baseline + 2 && g_get_monotonic_time () < until)
    g_usleep (50000);
  g_assert_cmpuint (server_fds (), <=, baseline + 2);
  g_assert_cmpuint (health (1000), ==, 200);

  /* 2. Connections in the middle of a request (nothing to evict): past its descriptors the
   * server refuses with 503; the head timeout then closes them (408) and it serves again. */
  for (guint i = 0; i < BUSY_FLOOD; i++)
    {
      busy[i] = try_connect ();
      if (busy[i] >= 0)
        send (busy[i], "GET /api/v1/health HTTP/1.1\r\n", 29, MSG_NOSIGNAL);
    }
  assert_alive ();
  {
    /* Answered within a second, whatever the answer: never a hang. */
    guint s = health (1000);

    g_test_message ("/health during the busy flood: %u", s);
    g_assert_true (s == 200 || s == 503);
  }

  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (guint i = 0; i < BUSY_FLOOD; i++)
    {
      char buf[256] = { 0 };
      struct pollfd p = { .fd = busy[i], .events = POLLIN };
      guint s = 0;
      int left = (int) MAX (0, (until - g_get_monotonic_time ()) / 1000);

      if (busy[i] < 0)
        continue;
      if (poll (&p, 1, left) == 1 && recv (busy[i], buf, sizeof buf - 1, 0) > 12)
        sscanf (buf, "HTTP/1.%*c %u", &s);
      n503 += s == 503;
      n408 += s == 408;
      answered += s != 0;
      close (busy[i]);
    }
  g_test_message ("busy flood of %d: %u answered 503, %u answered 408, %u answered", BUSY_FLOOD,
                  n503, n408, answered);
  g_assert_cmpuint (n503, >, 0);
  g_assert_cmpuint (n408, >, 0);

  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((server_fds () > baseline + 2 || health (500) != 200) && g_get_monotonic_time () < until)
    g_usleep (50000);
  g_assert_cmpuint (health (1000), ==, 200);
  g_assert_cmpuint (server_fds (), <=, baseline + 2);
  assert_alive ();

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (pid);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", data_dir);

    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fd-limit/flood-and-recover", test_flood);
  return g_test_run ();
}
