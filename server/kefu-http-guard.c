/* kefu-http-guard.c — request-body limit and idle keep-alive reaping for a libsoup 3.2 server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What libsoup 3.2.3 does (libsoup/server/…), and why the guard works the way it does:
 *
 * The leak. After a keep-alive response, soup_server_message_io_http1_finished()
 * (http1/soup-server-message-io-http1.c) makes a new SoupServerMessage for the next request
 * and attaches a read source for it, but announces it to the SoupServer only when its first
 * byte arrives: io_read() calls started_cb only "if (is_first_read &&
 * io->read_header_buf->len > 0 && !io->completion_cb)". Until then the message has no
 * completion callback (SoupServer's request_finished() is set through
 * soup_server_message_read_request(), from request_started_cb() in soup-server.c). When the
 * client closes the idle connection, soup_message_io_data_read_headers()
 * (http1/soup-message-io-data.c) fails with "Connection terminated unexpectedly", io_run()
 * calls soup_server_message_finish(), and _http1_finished() finds no completion callback, so
 * nothing ever calls soup_server_connection_disconnect(): the SoupServerConnection stays in
 * the server's client list with its GSocket open, and no source watches it any more, until
 * the SoupServer is disposed. Nothing public can release it after that point either (even
 * soup_server_message_steal_connection() would crash: _http1_steal() dereferences the now
 * NULL msg_io).
 *
 * So the guard must see the close first. It keeps, per connection, the latest
 * SoupServerMessage (any message of a connection can steal it) and, from the end of each
 * keep-alive response until the next request starts, a source on the socket at a priority
 * above libsoup's (G_PRIORITY_DEFAULT): when the socket turns readable, that source runs
 * before libsoup's read source can (GLib does not dispatch lower-priority sources while a
 * higher one is ready). It peeks one byte: data means a new request, and the watch steps
 * aside so that libsoup reads it; end-of-stream or a socket error means the peer is gone, and
 * the guard steals the connection (which also drops it from the server's list: the
 * connection emits "disconnected") and closes it. Connections libsoup gives away (WebSocket
 * upgrades, any other steal) or closes itself emit "disconnected" on the message the guard
 * holds, and the guard forgets them without touching them.
 *
 * Per connection, the guard attaches one GSource for the connection's lifetime; per
 * keep-alive request it adds and removes that source's descriptor, peeks once, sets qdata on
 * the message, and costs one extra main-loop iteration when the next request arrives (the
 * watch runs first, then libsoup's source). It connects no handler to messages: two
 * process-wide emission hooks (SoupServerMessage::got-headers and ::disconnected) find the
 * connection through the message's qdata.
 *
 * TLS: a client that sends close_notify before closing makes the socket readable with data
 * while idle. libsoup then reads an end-of-stream through GTlsConnection and leaks the
 * connection as above, with no way left to take it. For TLS connections the guard therefore
 * keeps a low-priority watch after such data: if the request never starts and the socket
 * reports end-of-stream while libsoup is no longer reading it (its own read source would
 * have run first otherwise), the guard closes the socket, which frees the descriptor (the
 * small SoupServerConnection object stays until the server is disposed).
 *
 * HTTP/2 (TLS with ALPN only): the idle watch is off (libsoup's HTTP/2 code owns the
 * connection's life), and the body limit applies to the stream that started last; a body
 * over the limit is answered 413 only after libsoup has read (and dropped) it.
 *
 * Pipelining: a client that pipelines a request and then half-closes (shutdown(SHUT_WR))
 * before the previous response is complete may see that last request dropped, as the
 * pipelined bytes already sit in libsoup's buffer, out of the guard's sight. HTTP allows a
 * server to close there, and real clients do not do this.
 *
 * Connections the guard accepts itself (kefu-http-guard-accept.c) are handed to libsoup with
 * soup_server_accept_iostream() once their first byte arrives. libsoup then knows no socket for
 * them (soup_server_message_get_socket() is NULL), so the guard finds their Conn through the
 * remote address object it passed in, which libsoup hands back unchanged from
 * soup_server_message_get_remote_address(). soup_server_connection_accepted() emits
 * "request-started" for the first request synchronously, inside that call, so every such
 * connection has a message to steal it through from the start. Timeouts use that: a request
 * head or body that does not arrive in time is answered 408 the way a 413 is (below), and a
 * keep-alive connection idle too long is reaped like one whose peer closed it.
 *
 * The body limit. io_read() reads the body right after "got-headers" whatever status a
 * handler set there (the read length is fixed before the signal), accumulating it in
 * memory. Stealing the connection from "got-headers" (or "got-chunk") is the one public way
 * to stop it: after the steal, io_run_until() sees that the message's I/O is gone and stops
 * (soup-server.c does the same for WebSocket upgrades from "wrote-informational"). The guard
 * then writes the 413 itself, shuts down its sending side, drains what the client still
 * sends for at most LINGER_TIMEOUT_MS / LINGER_MAX_BYTES (closing with unread data would
 * send a reset that can destroy the 413 before the client reads it), and closes. Refusals by
 * the admit function (401/403 before the body) and framing errors (400) take the same path.
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>

#include "kefu-http-guard-private.h"

#define GUARD_DATA_KEY       "kefu-http-guard"
#define IDLE_WATCH_PRIORITY  (G_PRIORITY_DEFAULT - 1)
#define TLS_WATCH_PRIORITY   G_PRIORITY_LOW
#define LINGER_TIMEOUT_MS    2000
#define LINGER_MAX_BYTES     (8 * 1024 * 1024)
#define LINGER_BUFFER_SIZE   16384

GQuark kefu_http_guard_conn_quark;

static char *
error_json (const char *code,
            const char *message)
{
  g_autoptr(GString) escaped = g_string_new (NULL);

  /* Our own fixed messages: only quotes and backslashes could need escaping. */
  for (const char *p = message; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }
  return g_strdup_printf ("{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code,
                          escaped->str);
}

static GBytes *
error_bytes (const char *code,
             const char *message)
{
  char *json = error_json (code, message);
  gsize len = strlen (json);

  return g_bytes_new_take (json, len);
}

/* The limit for @msg: the limit function's answer, or the default. */
static gsize
guard_limit_for (Guard             *guard,
                 SoupServerMessage *msg)
{
  gsize limit = guard->limit_func != NULL ? guard->limit_func (msg, guard->limit_data) : 0;

  return limit > 0 ? limit : guard->max_body;
}

/* The 413 body for @limit (the guard's own for the default limit). */
static GBytes *
too_large_json_for (Guard *guard,
                    gsize  limit)
{
  g_autofree char *message = NULL;

  if (limit == guard->max_body)
    return g_bytes_ref (guard->too_large_json);
  message = g_strdup_printf ("request body exceeds %" G_GSIZE_FORMAT " bytes", limit);
  return error_bytes ("too_large", message);
}

static void
guard_clear (gpointer data)
{
  Guard *guard = data;

  kefu_http_guard_accept_clear (guard);
  g_clear_pointer (&guard->too_large_json, g_bytes_unref);
}

Guard *
kefu_http_guard_ref (Guard *guard)
{
  return g_rc_box_acquire (guard);
}

void
kefu_http_guard_unref (gpointer guard)
{
  g_rc_box_release_full (guard, guard_clear);
}

Guard *
kefu_http_guard_get (SoupServer *server)
{
  return g_object_get_data (G_OBJECT (server), GUARD_DATA_KEY);
}

/* ---------------------------------------------------------------------------------------- */
/* Connections                                                                              */
/* ---------------------------------------------------------------------------------------- */

static void reject (Guard *guard, SoupServerMessage *msg, guint status, GBytes *json,
                    const char *headers);
static void conn_reap (Conn *conn);
static gboolean watch_dispatch (GSource *source, GSourceFunc callback, gpointer user_data);

static GSourceFuncs watch_funcs = {
  .dispatch = watch_dispatch,
};

static void
conn_arm (Conn *conn)
{
  if (!conn->watch->fd_tag)
    conn->watch->fd_tag = g_source_add_unix_fd ((GSource *) conn->watch,
                                                g_socket_get_fd (conn->socket),
                                                G_IO_IN | G_IO_HUP | G_IO_ERR);
}

static void
conn_disarm (Conn *conn)
{
  if (conn->watch->fd_tag)
    {
      g_source_remove_unix_fd ((GSource *) conn->watch, conn->watch->fd_tag);
      conn->watch->fd_tag = NULL;
    }
  if (conn->tls_watch)
    {
      g_source_destroy (conn->tls_watch);
      g_clear_pointer (&conn->tls_watch, g_source_unref);
    }
}

static void
conn_stop_timer (Conn *conn)
{
  if (conn->timer)
    {
      g_source_destroy (conn->timer);
      g_clear_pointer (&conn->timer, g_source_unref);
    }
}

Conn *
kefu_http_guard_conn_new (Guard   *guard,
                          GSocket *socket)
{
  Conn *conn = g_new0 (Conn, 1);

  conn->guard = kefu_http_guard_ref (guard);
  conn->socket = g_object_ref (socket);
  g_object_set_qdata (G_OBJECT (socket), kefu_http_guard_conn_quark, conn);

  conn->watch = (Watch *) g_source_new (&watch_funcs, sizeof (Watch));
  conn->watch->conn = conn;
  g_source_set_priority ((GSource *) conn->watch, IDLE_WATCH_PRIORITY);
  g_source_set_static_name ((GSource *) conn->watch, "[kefu] connection watch");
  g_source_attach ((GSource *) conn->watch, g_main_context_get_thread_default ());

  g_queue_push_tail (&guard->conns, conn);
  conn->link = guard->conns.tail;
  return conn;
}

void
kefu_http_guard_conn_free (Conn *conn)
{
  conn_disarm (conn);
  conn_stop_timer (conn);
  conn->watch->conn = NULL;
  g_source_destroy ((GSource *) conn->watch);
  g_source_unref ((GSource *) conn->watch);
  if (conn->link)
    g_queue_delete_link (&conn->guard->conns, conn->link);
  if (conn->msg)
    {
      g_object_set_qdata (G_OBJECT (conn->msg), kefu_http_guard_conn_quark, NULL);
      g_clear_object (&conn->msg);
    }
  if (conn->remote)
    {
      g_object_set_qdata (G_OBJECT (conn->remote), kefu_http_guard_conn_quark, NULL);
      g_clear_object (&conn->remote);
    }
  if (conn->stream)
    {
      g_io_stream_close (conn->stream, NULL, NULL);
      g_clear_object (&conn->stream);
    }
  g_object_set_qdata (G_OBJECT (conn->socket), kefu_http_guard_conn_quark, NULL);
  g_clear_object (&conn->socket);
  kefu_http_guard_unref (conn->guard);
  g_free (conn);
}

static Conn *
conn_for_msg (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), kefu_http_guard_conn_quark);
}

static void conn_start_timer (Conn *conn, guint timeout_ms);

static gboolean
on_conn_timeout (gpointer user_data)
{
  Conn *conn = user_data;
  g_autoptr(GBytes) json = NULL;
  gint64 quiet_ms;

  g_clear_pointer (&conn->timer, g_source_unref);

  /* A body that kept arriving: its clock runs from the last chunk (kept without re-arming
   * the timer on every chunk). */
  quiet_ms = (g_get_monotonic_time () - conn->last_progress) / 1000;
  if (conn->state == CONN_BODY && quiet_ms < conn->guard->limits.body_timeout_ms)
    {
      conn_start_timer (conn, conn->guard->limits.body_timeout_ms - quiet_ms);
      return G_SOURCE_REMOVE;
    }

  conn->guard->n_timed_out++;

  switch (conn->state)
    {
    case CONN_PENDING:
    case CONN_IDLE:
      g_debug ("http-guard: closing a connection idle for too long");
      kefu_http_guard_conn_drop (conn);
      break;

    case CONN_HEAD:
    case CONN_BODY:
      g_debug ("http-guard: a request %s did not arrive in time, answering 408",
               conn->state == CONN_HEAD ? "head" : "body");
      if (conn->msg)
        {
          json = error_bytes ("timeout", conn->state == CONN_HEAD
                                         ? "the request head did not arrive in time"
                                         : "the request body stopped arriving");
          reject (conn->guard, conn->msg, SOUP_STATUS_REQUEST_TIMEOUT, json, NULL);
        }
      else
        {
          g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
        }
      break;

    case CONN_BUSY:
    default:
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
conn_start_timer (Conn  *conn,
                  guint  timeout_ms)
{
  conn_stop_timer (conn);
  if (timeout_ms == 0)
    return;
  conn->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (conn->timer, on_conn_timeout, conn, NULL);
  g_source_set_static_name (conn->timer, "[kefu] connection timeout");
  g_source_attach (conn->timer, g_source_get_context ((GSource *) conn->watch));
}

/* Each state has its own clock; a request head's runs from the connection's acceptance (or
 * the request's first byte) to the end of the head, whatever the state in between. */
void
kefu_http_guard_conn_set_state (Conn      *conn,
                                ConnState  state)
{
  const KefuHttpGuardLimits *limits = &conn->guard->limits;
  ConnState old = conn->state;

  conn->state = state;
  switch (state)
    {
    case CONN_PENDING:
    case CONN_HEAD:
      if ((old != CONN_PENDING && old != CONN_HEAD) || conn->timer == NULL)
        conn_start_timer (conn, limits->head_timeout_ms);
      break;
    case CONN_BODY:
      conn->last_progress = g_get_monotonic_time ();
      if (old != CONN_BODY || conn->timer == NULL)
        conn_start_timer (conn, limits->body_timeout_ms);
      break;
    case CONN_IDLE:
      conn_start_timer (conn, limits->idle_timeout_ms);
      break;
    case CONN_BUSY:
    default:
      conn_stop_timer (conn);
      break;
    }

  /* Keep conns in order of last activity: eviction takes the one idle longest. */
  if (conn->link && state != old)
    {
      g_queue_unlink (&conn->guard->conns, conn->link);
      g_queue_push_tail_link (&conn->guard->conns, conn->link);
    }
}

/* SoupServerMessage::disconnected, for every message in the process: libsoup closed a
 * connection or gave it away (WebSocket, steal). Forget it without touching it. */
static gboolean
disconnected_hook (GSignalInvocationHint *ihint,
                   guint                  n_param_values,
                   const GValue          *param_values,
                   gpointer               user_data)
{
  Conn *conn = conn_for_msg (g_value_get_object (&param_values[0]));

  if (conn)
    kefu_http_guard_conn_free (conn);
  return TRUE;
}

static void
on_stream_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
}

/* The peer has gone while the connection was idle, or it stayed idle too long: take it from
 * libsoup and close it. */
static void
conn_reap (Conn *conn)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (conn->msg);
  g_autoptr(GSocket) socket = g_object_ref (conn->socket);
  g_autoptr(GIOStream) stream = NULL;
  Conn *left;

  /* Emits "disconnected" on @msg, which frees @conn. */
  stream = soup_server_message_steal_connection (msg);

  left = g_object_get_qdata (G_OBJECT (socket), kefu_http_guard_conn_quark);
  if (left)
    kefu_http_guard_conn_free (left);

  if (stream)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed, NULL);
  else
    g_socket_close (socket, NULL);
}

void
kefu_http_guard_conn_drop (Conn *conn)
{
  if (conn->msg != NULL)
    {
      conn_reap (conn);
      return;
    }
  /* Not handed to libsoup yet: ours alone. */
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  kefu_http_guard_conn_free (conn);
}

/* 1 = data waiting, 0 = end of stream or a socket error, -1 = nothing to tell yet. */
int
kefu_http_guard_socket_peek (GSocket *socket)
{
  char byte;
  ssize_t n;

  do
    n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  if (n > 0)
    return 1;
  if (n == 0)
    return 0;
  if (errno == EAGAIN || errno == EWOULDBLOCK)
    return -1;
  return 0;
}

/* TLS data arrived on an idle connection but no request started. This source runs only when
 * no higher-priority source is ready; if the socket is readable here, libsoup's own read
 * source (priority default) is gone, i.e. libsoup read an end of stream (close_notify) and
 * dropped the connection without closing it. */
static gboolean
on_tls_watch (int          fd,
              GIOCondition condition,
              gpointer     user_data)
{
  Conn *conn = user_data;
  g_autoptr(GSocket) socket = NULL;

  switch (kefu_http_guard_socket_peek (conn->socket))
    {
    case 0:
      g_debug ("http-guard: TLS peer closed an idle keep-alive connection, closing its socket");
      socket = g_object_ref (conn->socket);
      g_clear_pointer (&conn->tls_watch, g_source_unref);
      kefu_http_guard_conn_free (conn);
      g_socket_close (socket, NULL);
      return G_SOURCE_REMOVE;

    case 1:
      /* Unread data that libsoup does not read: nothing safe to do; stop watching. */
      g_clear_pointer (&conn->tls_watch, g_source_unref);
      return G_SOURCE_REMOVE;

    default:
      return G_SOURCE_CONTINUE;
    }
}

static gboolean
watch_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  Watch *watch = (Watch *) source;
  Conn *conn = watch->conn;

  if (!conn || !watch->fd_tag)
    return G_SOURCE_CONTINUE;

  switch (kefu_http_guard_socket_peek (conn->socket))
    {
    case 1:
      conn_disarm (conn);
      if (conn->state == CONN_PENDING)
        {
          /* Its first byte: libsoup takes it from here. */
          kefu_http_guard_conn_hand_off (conn);
          break;
        }
      /* The next request: libsoup reads it and the server emits "request-started". */
      kefu_http_guard_conn_set_state (conn, CONN_HEAD);
      if (conn->tls)
        {
          conn->tls_watch = g_unix_fd_source_new (g_socket_get_fd (conn->socket),
                                                  G_IO_IN | G_IO_HUP | G_IO_ERR);
          g_source_set_priority (conn->tls_watch, TLS_WATCH_PRIORITY);
          g_source_set_callback (conn->tls_watch, G_SOURCE_FUNC (on_tls_watch), conn, NULL);
          g_source_set_static_name (conn->tls_watch, "[kefu] idle TLS connection watch");
          g_source_attach (conn->tls_watch, g_source_get_context (source));
        }
      break;

    case 0:
      g_debug ("http-guard: peer closed an idle connection, closing it");
      kefu_http_guard_conn_drop (conn);
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
conn_request_started (Guard             *guard,
                      SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GSocketAddress *remote;
  Conn *conn = NULL;

  if (socket)
    {
      conn = g_object_get_qdata (G_OBJECT (socket), kefu_http_guard_conn_quark);
      if (!conn)
        {
          /* A connection of a libsoup listener: first seen now. */
          conn = kefu_http_guard_conn_new (guard, socket);
          conn->state = CONN_HEAD;

          /* Stealing a connection makes libsoup cache both addresses, and it g_warning()s
           * when getpeername() fails, which it does once the peer has reset the connection.
           * Have them cached now, while the connection is fresh. */
          soup_server_message_get_local_address (msg);
          soup_server_message_get_remote_address (msg);
        }
    }
  else
    {
      /* One the guard accepted (or soup_server_accept_iostream() by someone else: none). */
      remote = soup_server_message_get_remote_address (msg);
      if (remote)
        conn = g_object_get_qdata (G_OBJECT (remote), kefu_http_guard_conn_quark);
      if (!conn)
        return;
    }

  conn_disarm (conn);
  if (conn->state == CONN_IDLE)
    kefu_http_guard_conn_set_state (conn, CONN_HEAD);
  if (conn->msg != msg)
    {
      if (conn->msg)
        {
          g_object_set_qdata (G_OBJECT (conn->msg), kefu_http_guard_conn_quark, NULL);
          g_object_unref (conn->msg);
        }
      conn->msg = g_object_ref (msg);
      g_object_set_qdata (G_OBJECT (msg), kefu_http_guard_conn_quark, conn);
    }
}

/* "request-finished" and "request-aborted": SoupServer emits them before deciding whether
 * to keep the connection; if it closes it, "disconnected" frees @conn before the watch can
 * run. */
static void
on_request_done (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Conn *conn = conn_for_msg (msg);
  GUri *uri;

  if (!conn)
    return;

  if (soup_server_message_get_http_version (msg) == SOUP_HTTP_2_0)
    conn->http2 = TRUE;  /* multiplexed; libsoup's HTTP/2 code handles the peer closing */
  if (conn->http2)
    {
      kefu_http_guard_conn_set_state (conn, CONN_BUSY);
      return;
    }

  uri = soup_server_message_get_uri (msg);
  if (uri && g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    conn->tls = TRUE;

  kefu_http_guard_conn_set_state (conn, CONN_IDLE);
  conn_arm (conn);
}

/* ---------------------------------------------------------------------------------------- */
/* Answering early: 413, 401/403 before the body, 400 framing, 408                          */
/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  GIOStream    *stream;
  GSocket      *socket;
  GBytes       *response;
  GCancellable *cancellable;
  GSource      *timeout;
  gsize         drained;
  guint8        buffer[LINGER_BUFFER_SIZE];
} Linger;

static void
linger_free (Linger *linger)
{
  if (linger->timeout)
    {
      g_source_destroy (linger->timeout);
      g_source_unref (linger->timeout);
    }
  g_clear_object (&linger->stream);
  g_clear_object (&linger->socket);
  g_clear_pointer (&linger->response, g_bytes_unref);
  g_clear_object (&linger->cancellable);
  g_free (linger);
}

static void
on_linger_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  linger_free (user_data);
}

static void
linger_finish (Linger *linger)
{
  if (linger->timeout)
    {
      g_source_destroy (linger->timeout);
      g_clear_pointer (&linger->timeout, g_source_unref);
    }
  g_io_stream_close_async (linger->stream, G_PRIORITY_DEFAULT, NULL, on_linger_closed, linger);
}

static void on_linger_drained (GObject *source, GAsyncResult *result, gpointer user_data);

static void
linger_drain (Linger *linger)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (linger->stream),
                             linger->buffer, sizeof linger->buffer,
                             G_PRIORITY_DEFAULT, linger->cancellable,
                             on_linger_drained, linger);
}

static void
on_linger_drained (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Linger *linger = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0 && linger->drained + n < LINGER_MAX_BYTES)
    {
      linger->drained += n;
      linger_drain (linger);
      return;
    }
  linger_finish (linger);
}

static void
on_linger_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Linger *linger = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      linger_finish (linger);
      return;
    }

  /* The client sees the end of the response, then we read (and drop) what it still sends. */
  if (linger->socket)
    g_socket_shutdown (linger->socket, FALSE, TRUE, NULL);
  linger_drain (linger);
}

static gboolean
on_linger_timeout (gpointer user_data)
{
  Linger *linger = user_data;

  g_cancellable_cancel (linger->cancellable);
  return G_SOURCE_CONTINUE;  /* removed by linger_finish() */
}

static GBytes *
early_response (SoupServerMessage *msg,
                guint              status,
                GBytes            *json,
                const char        *headers)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  gsize json_len;
  const char *body = g_bytes_get_data (json, &json_len);
  GString *response = g_string_sized_new (256 + json_len);

  g_string_append_printf (response,
                          "HTTP/1.%c %u %s\r\n"
                          "Date: %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "%s"
                          "Connection: close\r\n"
                          "\r\n",
                          soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0 ? '0' : '1',
                          status, soup_status_get_phrase (status), date, json_len,
                          headers != NULL ? headers : "");
  g_string_append_len (response, body, json_len);

  return g_string_free_to_bytes (response);
}

/* Fallback when the connection cannot be taken (HTTP/2): libsoup reads and drops the rest
 * of the body, then answers and closes. */
static void
reject_in_place (SoupServerMessage *msg,
                 guint              status,
                 GBytes            *json)
{
  gsize len;
  const char *body = g_bytes_get_data (json, &len);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, len);
  if (soup_server_message_get_http_version (msg) != SOUP_HTTP_2_0)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");
}

/* Answers @msg with @status and the JSON body @json, from the guard rather than libsoup, and
 * closes the connection after a short drain; libsoup reads nothing more of it. */
static void
reject (Guard             *guard,
        SoupServerMessage *msg,
        guint              status,
        GBytes            *json,
        const char        *headers)
{
  g_autoptr(SoupServerMessage) keep = g_object_ref (msg);
  GSocket *socket;
  GIOStream *stream;
  Linger *linger;
  Conn *conn;

  if (soup_server_message_get_http_version (msg) == SOUP_HTTP_2_0)
    {
      reject_in_place (msg, status, json);
      return;
    }

  /* SoupServer's got-headers handler, still to run, then leaves the message alone. */
  soup_server_message_set_status (msg, status, NULL);

  conn = conn_for_msg (msg);
  socket = conn != NULL ? conn->socket : soup_server_message_get_socket (msg);
  if (socket)
    g_object_ref (socket);

  /* libsoup stops reading this request as soon as the signal emission returns (or at once,
   * outside of one). Frees @conn through "disconnected". */
  stream = soup_server_message_steal_connection (msg);
  if (!stream)
    {
      g_clear_object (&socket);
      reject_in_place (msg, status, json);
      return;
    }

  g_debug ("http-guard: answering %u before the body", status);

  linger = g_new0 (Linger, 1);
  linger->stream = stream;
  linger->socket = socket;
  linger->response = early_response (msg, status, json, headers);
  linger->cancellable = g_cancellable_new ();

  linger->timeout = g_timeout_source_new (LINGER_TIMEOUT_MS);
  g_source_set_callback (linger->timeout, on_linger_timeout, linger, NULL);
  g_source_set_static_name (linger->timeout, "[kefu] early answer linger timeout");
  g_source_attach (linger->timeout, g_main_context_get_thread_default ());

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (linger->response, NULL),
                                   g_bytes_get_size (linger->response),
                                   G_PRIORITY_DEFAULT, linger->cancellable,
                                   on_linger_written, linger);
}

typedef struct
{
  Guard   *guard;
  guint64  seen;
  gsize    limit;
  gboolean counting;   /* chunked: the length is known only as it arrives */
  gboolean rejected;
} BodyWatch;

static void
body_watch_free (gpointer data,
                 GClosure *closure)
{
  BodyWatch *bw = data;

  kefu_http_guard_unref (bw->guard);
  g_free (bw);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  BodyWatch *bw = user_data;
  Conn *conn;
  g_autoptr(GBytes) json = NULL;

  if (bw->rejected)
    return;

  conn = conn_for_msg (msg);
  if (conn && conn->state == CONN_BODY)
    conn->last_progress = g_get_monotonic_time ();

  if (!bw->counting)
    return;
  bw->seen += g_bytes_get_size (chunk);
  if (bw->seen > bw->limit)
    {
      bw->rejected = TRUE;
      json = too_large_json_for (bw->guard, bw->limit);
      reject (bw->guard, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, json, NULL);
    }
}

static void
on_got_body (SoupServerMessage *msg,
             gpointer           user_data)
{
  Conn *conn = conn_for_msg (msg);

  if (conn && conn->state == CONN_BODY)
    kefu_http_guard_conn_set_state (conn, CONN_BUSY);
}

/* NULL when the framing is clear, or why not. Two Content-Length headers arrive joined as
 * "a, b"; a request that could be read two ways is refused rather than guessed. */
static const char *
framing_error (SoupMessageHeaders *headers)
{
  const char *length = soup_message_headers_get_list (headers, "Content-Length");
  const char *coding = soup_message_headers_get_list (headers, "Transfer-Encoding");
  g_auto(GStrv) values = NULL;

  if (length != NULL && coding != NULL)
    return "a request may not have both Content-Length and Transfer-Encoding";
  if (coding != NULL && g_ascii_strcasecmp (coding, "chunked") != 0)
    return "the only transfer coding accepted is chunked";
  if (length == NULL)
    return NULL;

  values = g_strsplit (length, ",", -1);
  for (guint i = 0; values[i] != NULL; i++)
    {
      const char *v = g_strstrip (values[i]);

      if (*v == '\0' || strspn (v, "0123456789") != strlen (v) || strlen (v) > 18)
        return "Content-Length is not a number";
      if (i > 0 && g_ascii_strtoull (v, NULL, 10) != g_ascii_strtoull (values[0], NULL, 10))
        return "the request has two different Content-Length headers";
    }
  return NULL;
}

/* SoupServerMessage::got-headers, for every message in the process. Emission hooks run
 * before the handlers, so a rejected request never reaches SoupServer's own got-headers
 * handler (auth, early handlers): it sees the status set and returns. */
static gboolean
got_headers_hook (GSignalInvocationHint *ihint,
                  guint                  n_param_values,
                  const GValue          *param_values,
                  gpointer               user_data)
{
  SoupServerMessage *msg = g_value_get_object (&param_values[0]);
  Conn *conn = conn_for_msg (msg);
  Guard *guard;
  SoupMessageHeaders *headers;
  const char *why;
  gboolean has_body = FALSE;
  gboolean counting = FALSE;
  gsize limit;

  if (!conn)
    return TRUE;  /* not a guarded server */
  guard = conn->guard;

  headers = soup_server_message_get_request_headers (msg);
  why = framing_error (headers);
  if (why != NULL)
    {
      g_autoptr(GBytes) json = error_bytes ("bad_request", why);

      reject (guard, msg, SOUP_STATUS_BAD_REQUEST, json, NULL);
      return TRUE;
    }

  limit = guard_limit_for (guard, msg);
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if ((guint64) soup_message_headers_get_content_length (headers) > limit)
        {
          g_autoptr(GBytes) json = too_large_json_for (guard, limit);

          reject (guard, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, json, NULL);
          return TRUE;
        }
      has_body = soup_message_headers_get_content_length (headers) > 0;
      break;

    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_BYTERANGES:
      has_body = TRUE;
      counting = TRUE;
      break;

    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_NONE:
    default:
      break;
    }

  if (has_body && guard->admit_func != NULL)
    {
      g_autofree char *json = NULL;
      g_autofree char *extra = NULL;
      guint status = guard->admit_func (msg, &json, &extra, guard->admit_data);

      if (status != 0)
        {
          g_autoptr(GBytes) body = NULL;

          if (json == NULL)
            json = error_json ("forbidden", "this request may not send a body");
          body = g_bytes_new (json, strlen (json));
          reject (guard, msg, status, body, extra);
          return TRUE;
        }
    }

  if (has_body)
    {
      BodyWatch *bw = g_new0 (BodyWatch, 1);

      bw->guard = kefu_http_guard_ref (guard);
      bw->limit = limit;
      bw->counting = counting;
      g_signal_connect_data (msg, "got-chunk", G_CALLBACK (on_got_chunk), bw,
                             body_watch_free, 0);
      g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), NULL);
      kefu_http_guard_conn_set_state (conn, CONN_BODY);
    }
  else
    {
      kefu_http_guard_conn_set_state (conn, CONN_BUSY);
    }
  return TRUE;
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  conn_request_started (user_data, msg);
}

static void
closure_guard_unref (gpointer  data,
                     GClosure *closure)
{
  kefu_http_guard_unref (data);
}

/* ---------------------------------------------------------------------------------------- */

static gsize hooks_installed;

/* The server is going: stop accepting for it, even if nobody called
 * kefu_http_guard_disconnect(). Weak references are notified before object data is freed. */
static void
server_gone (gpointer  data,
             GObject  *where_the_server_was)
{
  kefu_http_guard_accept_clear (data);
}

void
kefu_http_guard_install (SoupServer *server,
                         gsize       max_body_bytes)
{
  Guard *guard;
  g_autofree char *message = NULL;

  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (kefu_http_guard_get (server) == NULL);

  if (g_once_init_enter (&hooks_installed))
    {
      GType type = SOUP_TYPE_SERVER_MESSAGE;

      /* The signals exist once the class does; keep it (it is never freed anyway). */
      g_type_class_ref (type);
      kefu_http_guard_conn_quark = g_quark_from_static_string ("kefu-http-guard-conn");
      /* Process-wide, cheaper than connecting handlers to every message. */
      g_signal_add_emission_hook (g_signal_lookup ("got-headers", type), 0,
                                  got_headers_hook, NULL, NULL);
      g_signal_add_emission_hook (g_signal_lookup ("disconnected", type), 0,
                                  disconnected_hook, NULL, NULL);
      g_once_init_leave (&hooks_installed, 1);
    }

  message = g_strdup_printf ("request body exceeds %" G_GSIZE_FORMAT " bytes", max_body_bytes);

  guard = g_rc_box_new0 (Guard);
  guard->max_body = max_body_bytes;
  guard->too_large_json = error_bytes ("too_large", message);
  guard->server = server;
  guard->reserve_fd = -1;
  g_queue_init (&guard->conns);

  /* The server holds one reference; every handler closure holds its own. */
  g_object_set_data_full (G_OBJECT (server), GUARD_DATA_KEY, guard, kefu_http_guard_unref);
  g_object_weak_ref (G_OBJECT (server), server_gone, guard);
  kefu_http_guard_set_limits (server, NULL);
  g_signal_connect_data (server, "request-started", G_CALLBACK (on_request_started),
                         kefu_http_guard_ref (guard), closure_guard_unref, 0);
  g_signal_connect (server, "request-finished", G_CALLBACK (on_request_done), NULL);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_request_done), NULL);
}

void
kefu_http_guard_set_limit_func (SoupServer             *server,
                                KefuHttpGuardLimitFunc  func,
                                gpointer                user_data)
{
  Guard *guard;

  g_return_if_fail (SOUP_IS_SERVER (server));

  guard = kefu_http_guard_get (server);
  g_return_if_fail (guard != NULL);

  guard->limit_func = func;
  guard->limit_data = user_data;
}

void
kefu_http_guard_set_admit_func (SoupServer             *server,
                                KefuHttpGuardAdmitFunc  func,
                                gpointer                user_data)
{
  Guard *guard;

  g_return_if_fail (SOUP_IS_SERVER (server));

  guard = kefu_http_guard_get (server);
  g_return_if_fail (guard != NULL);

  guard->admit_func = func;
  guard->admit_data = user_data;
}

guint
kefu_http_guard_count_open_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  if (!dir)
    return 0;
  while (g_dir_read_name (dir))
    count++;
  g_dir_close (dir);

  return count > 0 ? count - 1 : 0;  /* the directory's own descriptor */
}
