/* kefu-http-guard-accept.c — accepting connections for a SoupServer, within limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup 3.2's listener (libsoup/server/soup-listener.c, listen_watch()) removes its source
 * the first time g_socket_accept() fails. Out of descriptors (EMFILE), that is for good: the
 * server never accepts again, the listen queue fills up, and the process sits idle, which no
 * supervisor notices. So the guard accepts itself:
 *
 * - Every accepted socket is counted until it is finalized (a weak reference), whoever owns it
 *   by then: libsoup, a WebSocket, a lingering early answer. Over max_connections, the
 *   connection that has been idle longest (no byte yet, or keep-alive between requests) is
 *   closed to make room; when none is idle, the new one gets a 503 and is closed.
 * - Out of descriptors, accept() leaves the connection in the queue and would wake us again at
 *   once. The guard keeps one descriptor in reserve (/dev/null): it closes it, accepts, answers
 *   503, closes, and opens the reserve again. The queue drains and accepting goes on as soon
 *   as descriptors are free again.
 * - A new connection stays with the guard until its first byte: one that never sends anything
 *   costs libsoup nothing and is closed at the head timeout (or evicted first). Then it is
 *   handed over with soup_server_accept_iostream(), TLS-wrapped when the server has a
 *   certificate (HTTP/1.1 only: no ALPN, so no HTTP/2).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kefu-http-guard-private.h"

#define ACCEPTS_PER_WAKEUP 64
/* Descriptors kept for everything but client connections: the database and its WAL, files
 * being uploaded or served, the reserve, libsodium and GLib's own. */
#define FD_RESERVE         64
#define MIN_CONNECTIONS    16

static const char unavailable_response[] =
  "HTTP/1.1 503 Service Unavailable\r\n"
  "Content-Type: application/json\r\n"
  "Content-Length: 84\r\n"
  "Retry-After: 1\r\n"
  "Cache-Control: no-store\r\n"
  "Connection: close\r\n"
  "\r\n"
  "{\"error\":{\"code\":\"unavailable\",\"message\":\"too many connections; try again shortly\"}}";

G_STATIC_ASSERT (sizeof "{\"error\":{\"code\":\"unavailable\",\"message\":\"too many "
                        "connections; try again shortly\"}}" - 1 == 84);

/* Best effort: the connection is closed right after. What the client already sent is read
 * first, because closing a socket with unread data sends a reset, which can destroy the answer
 * before the client reads it. */
static void
send_unavailable (int fd)
{
  char sink[4096];
  ssize_t n;

  for (guint i = 0; i < 16; i++)
    {
      n = recv (fd, sink, sizeof sink, MSG_DONTWAIT);
      if (n <= 0 && !(n < 0 && errno == EINTR))
        break;
    }
  do
    n = send (fd, unavailable_response, sizeof unavailable_response - 1,
              MSG_DONTWAIT | MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
}

static void
refuse_socket (Guard   *guard,
               GSocket *socket)
{
  guard->n_refused++;
  send_unavailable (g_socket_get_fd (socket));
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_socket_close (socket, NULL);
}

/* Out of descriptors: take one connection off the queue with the reserve and refuse it. */
static void
refuse_with_reserve (Guard *guard)
{
  int fd;

  if (guard->reserve_fd >= 0)
    {
      close (guard->reserve_fd);
      guard->reserve_fd = -1;
    }
  do
    fd = accept (g_socket_get_fd (guard->listener), NULL, NULL);
  while (fd < 0 && errno == EINTR);
  if (fd >= 0)
    {
      guard->n_refused++;
      send_unavailable (fd);
      shutdown (fd, SHUT_WR);
      close (fd);
    }
  guard->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Closes the connection idle longest to make room; FALSE when none is idle. Connections that
 * never sent a byte go first: closing them frees their descriptor at once (libsoup has not
 * seen them), and they are the ones a flood is made of. */
static gboolean
evict_one (Guard *guard)
{
  for (guint pass = 0; pass < 2; pass++)
    for (GList *l = guard->conns.head, *next; l != NULL; l = next)
      {
        Conn *conn = l->data;

        next = l->next;
        if (conn->state != (pass == 0 ? CONN_PENDING : CONN_IDLE))
          continue;
        /* Its request may be waiting already, its watch not yet run (a burst): not idle. */
        if (kefu_http_guard_socket_peek (conn->socket) == 1)
          continue;
        guard->n_evicted++;
        g_debug ("http-guard: %u connections open, closing the one idle longest",
                 guard->n_open);
        kefu_http_guard_conn_drop (conn);
        return TRUE;
      }
  return FALSE;
}

static void
socket_gone (gpointer  data,
             GObject  *where_the_socket_was)
{
  Guard *guard = data;

  guard->n_open--;
  kefu_http_guard_unref (guard);
}

static void
adopt (Guard   *guard,
       GSocket *socket)
{
  g_autoptr(GError) error = NULL;
  GSocketAddress *remote;
  Conn *conn;

  guard->n_open++;
  g_object_weak_ref (G_OBJECT (socket), socket_gone, kefu_http_guard_ref (guard));

  remote = g_socket_get_remote_address (socket, &error);
  if (remote == NULL)
    {
      /* Reset before we got to it. */
      g_socket_close (socket, NULL);
      return;
    }
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  conn = kefu_http_guard_conn_new (guard, socket);
  conn->accepted = TRUE;
  conn->remote = remote;
  g_object_set_qdata (G_OBJECT (remote), kefu_http_guard_conn_quark, conn);
  conn->stream = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  kefu_http_guard_conn_set_state (conn, CONN_PENDING);
  conn->watch->fd_tag = g_source_add_unix_fd ((GSource *) conn->watch,
                                              g_socket_get_fd (socket),
                                              G_IO_IN | G_IO_HUP | G_IO_ERR);
}

void
kefu_http_guard_conn_hand_off (Conn *conn)
{
  Guard *guard = conn->guard;
  g_autoptr(GIOStream) stream = g_steal_pointer (&conn->stream);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;

  local = g_socket_get_local_address (conn->socket, &error);
  if (local == NULL || guard->server == NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      kefu_http_guard_conn_free (conn);
      return;
    }

  if (guard->tls_cert != NULL)
    {
      GIOStream *tls = g_tls_server_connection_new (stream, guard->tls_cert, &error);

      if (tls == NULL)
        {
          g_warning ("http-guard: cannot start TLS: %s", error->message);
          g_io_stream_close (stream, NULL, NULL);
          kefu_http_guard_conn_free (conn);
          return;
        }
      g_object_set (tls, "require-close-notify", FALSE, NULL);
      g_object_unref (stream);
      stream = tls;
      conn->tls = TRUE;
    }

  /* The head's clock goes on running from the acceptance. libsoup emits "request-started"
   * inside this call, which gives @conn its message. */
  kefu_http_guard_conn_set_state (conn, CONN_HEAD);
  soup_server_accept_iostream (guard->server, stream, local, conn->remote, NULL);
}

static gboolean
on_accept (GSocket      *listener,
           GIOCondition  condition,
           gpointer      user_data)
{
  Guard *guard = user_data;

  for (guint i = 0; i < ACCEPTS_PER_WAKEUP; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);

      if (socket == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            break;
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
            {
              g_warning_once ("http-guard: out of file descriptors; refusing connections "
                              "until some are free (raise LimitNOFILE= or lower "
                              "max-connections)");
              /* Make room and try again; with nothing to evict, refuse this one. */
              if (!evict_one (guard))
                refuse_with_reserve (guard);
              continue;
            }
          /* ECONNABORTED and friends: that connection is gone, the next may be fine. */
          continue;
        }

      if (guard->limits.max_connections > 0 && guard->n_open >= guard->limits.max_connections &&
          !evict_one (guard))
        {
          refuse_socket (guard, socket);
          continue;
        }
      adopt (guard, socket);
    }
  return G_SOURCE_CONTINUE;
}

gboolean
kefu_http_guard_listen (SoupServer  *server,
                        GSocket     *listening,
                        GError     **error)
{
  Guard *guard;

  g_return_val_if_fail (SOUP_IS_SERVER (server), FALSE);
  g_return_val_if_fail (G_IS_SOCKET (listening), FALSE);

  guard = kefu_http_guard_get (server);
  g_return_val_if_fail (guard != NULL, FALSE);
  g_return_val_if_fail (guard->listener == NULL, FALSE);

  g_object_get (server, "tls-certificate", &guard->tls_cert, NULL);
  /* Load the TLS module now rather than inside the first client's head timeout. */
  if (guard->tls_cert != NULL)
    g_tls_backend_get_default ();
  g_socket_set_blocking (listening, FALSE);
  guard->listener = g_object_ref (listening);
  guard->context = g_main_context_ref_thread_default ();
  guard->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (guard->reserve_fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "open /dev/null: %s",
                   g_strerror (saved));
      kefu_http_guard_accept_clear (guard);
      return FALSE;
    }

  /* SoupServer keeps a connection alive after a response only while it has a listener of its
   * own (request_finished() in soup-server.c checks priv->listeners), and it takes only a
   * listening or connected socket. Give it one that can never accept or read anything: a UDP
   * socket connected to itself, to which nobody else can send (the kernel drops datagrams
   * from any other address), and we never do. */
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) self_address = NULL;
    g_autoptr(GSocket) inert = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                             G_SOCKET_PROTOCOL_UDP, error);

    if (inert == NULL || !g_socket_bind (inert, any_port, FALSE, error) ||
        (self_address = g_socket_get_local_address (inert, error)) == NULL ||
        !g_socket_connect (inert, self_address, NULL, error) ||
        !soup_server_listen_socket (server, inert, 0, error))
      {
        kefu_http_guard_accept_clear (guard);
        return FALSE;
      }
  }

  guard->accept_source = g_socket_create_source (listening, G_IO_IN, NULL);
  g_source_set_callback (guard->accept_source, G_SOURCE_FUNC (on_accept), guard, NULL);
  g_source_set_static_name (guard->accept_source, "[kefu] accept");
  g_source_attach (guard->accept_source, guard->context);
  return TRUE;
}

void
kefu_http_guard_accept_clear (Guard *guard)
{
  GList *l, *next;

  if (guard->accept_source)
    {
      g_source_destroy (guard->accept_source);
      g_clear_pointer (&guard->accept_source, g_source_unref);
    }
  if (guard->listener)
    {
      g_socket_close (guard->listener, NULL);
      g_clear_object (&guard->listener);
    }
  if (guard->reserve_fd >= 0)
    {
      close (guard->reserve_fd);
      guard->reserve_fd = -1;
    }
  /* Connections libsoup has not seen: nobody else will close them. */
  for (l = guard->conns.head; l != NULL; l = next)
    {
      Conn *conn = l->data;

      next = l->next;
      if (conn->state == CONN_PENDING)
        kefu_http_guard_conn_drop (conn);
    }
  g_clear_object (&guard->tls_cert);
  g_clear_pointer (&guard->context, g_main_context_unref);
  guard->server = NULL;
}

void
kefu_http_guard_disconnect (SoupServer *server)
{
  Guard *guard;

  g_return_if_fail (SOUP_IS_SERVER (server));

  guard = kefu_http_guard_get (server);
  if (guard != NULL)
    kefu_http_guard_accept_clear (guard);
}

static guint
fd_soft_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
      rl.rlim_cur > G_MAXUINT)
    return G_MAXUINT;
  return (guint) rl.rlim_cur;
}

guint
kefu_http_guard_raise_fd_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
        g_warning ("cannot raise the open-file limit to %lu: %s",
                   (unsigned long) rl.rlim_max, g_strerror (errno));
    }
  return fd_soft_limit ();
}

void
kefu_http_guard_set_limits (SoupServer                *server,
                            const KefuHttpGuardLimits *limits)
{
  KefuHttpGuardLimits l = { 0 };
  gboolean explicit_max;
  Guard *guard;
  guint fds, room;

  g_return_if_fail (SOUP_IS_SERVER (server));

  guard = kefu_http_guard_get (server);
  g_return_if_fail (guard != NULL);

  if (limits != NULL)
    l = *limits;
  explicit_max = l.max_connections != 0;
  if (l.max_connections == 0)
    l.max_connections = KEFU_HTTP_GUARD_DEFAULT_MAX_CONNECTIONS;
  if (l.head_timeout_ms == 0)
    l.head_timeout_ms = KEFU_HTTP_GUARD_DEFAULT_HEAD_TIMEOUT_MS;
  if (l.body_timeout_ms == 0)
    l.body_timeout_ms = KEFU_HTTP_GUARD_DEFAULT_BODY_TIMEOUT_MS;
  if (l.idle_timeout_ms == 0)
    l.idle_timeout_ms = KEFU_HTTP_GUARD_DEFAULT_IDLE_TIMEOUT_MS;

  /* Connections can only use what the descriptor limit leaves. An administrator's explicit
   * number stands (the guard still refuses cleanly when descriptors run out), with a warning. */
  fds = fd_soft_limit ();
  room = fds > FD_RESERVE + MIN_CONNECTIONS ? fds - FD_RESERVE : MIN_CONNECTIONS;
  if (l.max_connections > room)
    {
      if (explicit_max)
        g_warning ("max-connections %u is more than the open-file limit (%u) leaves room for "
                   "(%u); raise LimitNOFILE=", l.max_connections, fds, room);
      else
        l.max_connections = room;
    }

  guard->limits = l;
}

void
kefu_http_guard_get_limits (SoupServer          *server,
                            KefuHttpGuardLimits *limits)
{
  Guard *guard;

  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (limits != NULL);

  guard = kefu_http_guard_get (server);
  g_return_if_fail (guard != NULL);
  *limits = guard->limits;
}

void
kefu_http_guard_get_stats (SoupServer         *server,
                           KefuHttpGuardStats *stats)
{
  Guard *guard;

  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (stats != NULL);

  guard = kefu_http_guard_get (server);
  g_return_if_fail (guard != NULL);
  stats->open = guard->n_open;
  stats->refused = guard->n_refused;
  stats->evicted = guard->n_evicted;
  stats->timed_out = guard->n_timed_out;
}
