/* test-http-guard.c — kefu_http_guard_install(): body limit and idle keep-alive reaping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer runs in its own thread on its own GMainContext, on 127.0.0.1 and a free port;
 * the tests talk raw HTTP/1.1 to it over blocking sockets, so that they control exactly what
 * is sent and when a connection is closed.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/socket.h>

#include "kefu-http-guard.h"

#define MAX_BODY       (1024 * 1024)
#define FD_SLACK       5
#define IO_TIMEOUT_S   10

/* ---------------------------------------------------------------------------------------- */
/* The server under test                                                                    */
/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  gboolean      guarded;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  guint16       port;
  gint          handler_calls;   /* atomic */
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
} TestServer;

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  TestServer *ts = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  char *text = g_strdup_printf ("%" G_GSIZE_FORMAT " %s", g_bytes_get_size (bytes), sum);

  g_atomic_int_inc (&ts->handler_calls);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
on_websocket_message (SoupWebsocketConnection *ws,
                      SoupWebsocketDataType    type,
                      GBytes                  *message,
                      gpointer                 user_data)
{
  soup_websocket_connection_send_message (ws, type, message);
}

static void
on_websocket_closed (SoupWebsocketConnection *ws,
                     gpointer                 user_data)
{
  g_object_unref (ws);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  g_object_ref (ws);
  g_signal_connect (ws, "message", G_CALLBACK (on_websocket_message), NULL);
  g_signal_connect (ws, "closed", G_CALLBACK (on_websocket_closed), NULL);
}

static gpointer
server_thread (gpointer data)
{
  TestServer *ts = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  gint64 until;

  g_main_context_push_thread_default (ts->context);

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, on_request, ts, NULL);
  soup_server_add_websocket_handler (server, "/ws", NULL, NULL, on_websocket, NULL, NULL);
  if (ts->guarded)
    kefu_http_guard_install (server, MAX_BODY);

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  ts->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&ts->lock);
  ts->ready = TRUE;
  g_cond_signal (&ts->cond);
  g_mutex_unlock (&ts->lock);

  g_main_loop_run (ts->loop);

  soup_server_disconnect (server);
  g_clear_object (&server);

  /* Let closes and lingering 413 connections finish: until nothing happened for 50 ms. */
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 20;
  while (g_get_monotonic_time () < until)
    if (g_main_context_iteration (ts->context, FALSE))
      until = g_get_monotonic_time () + G_USEC_PER_SEC / 20;
    else
      g_usleep (1000);

  g_main_context_pop_thread_default (ts->context);
  return NULL;
}

static TestServer *
test_server_start (gboolean guarded)
{
  TestServer *ts = g_new0 (TestServer, 1);

  ts->guarded = guarded;
  ts->context = g_main_context_new ();
  ts->loop = g_main_loop_new (ts->context, FALSE);
  g_mutex_init (&ts->lock);
  g_cond_init (&ts->cond);
  ts->thread = g_thread_new ("test-server", server_thread, ts);

  g_mutex_lock (&ts->lock);
  while (!ts->ready)
    g_cond_wait (&ts->cond, &ts->lock);
  g_mutex_unlock (&ts->lock);

  return ts;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_server_stop (TestServer *ts)
{
  g_main_context_invoke (ts->context, quit_loop, ts->loop);
  g_thread_join (ts->thread);
  g_main_loop_unref (ts->loop);
  g_main_context_unref (ts->context);
  g_mutex_clear (&ts->lock);
  g_cond_clear (&ts->cond);
  g_free (ts);
}

/* ---------------------------------------------------------------------------------------- */
/* A raw HTTP/1.1 client                                                                    */
/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  guint   status;
  char   *head;   /* status line and headers */
  char   *body;
  gsize   body_len;
} Response;

static void
response_free (Response *resp)
{
  g_free (resp->head);
  g_free (resp->body);
  g_free (resp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static GSocket *
client_connect (TestServer *ts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, ts->port);
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_set_timeout (socket, IO_TIMEOUT_S);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);

  return socket;
}

/* Returns FALSE if the peer stopped taking data (it may have answered already). */
static gboolean
client_send (GSocket    *socket,
             const void *data,
             gsize       len)
{
  const char *p = data;

  while (len > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (socket, p, len, NULL, &error);

      if (n <= 0)
        return FALSE;
      p += n;
      len -= n;
    }
  return TRUE;
}

static void
client_send_str (GSocket    *socket,
                 const char *text)
{
  g_assert_true (client_send (socket, text, strlen (text)));
}

/* Bytes received past the end of the last response read from a socket (pipelining). */
static GByteArray *
client_buffer (GSocket *socket)
{
  GByteArray *buf = g_object_get_data (G_OBJECT (socket), "test-buffer");

  if (!buf)
    {
      buf = g_byte_array_new ();
      g_object_set_data_full (G_OBJECT (socket), "test-buffer", buf,
                              (GDestroyNotify) g_byte_array_unref);
    }
  return buf;
}

/* Reads one response to a request that is not HEAD. NULL on end of stream or error. */
static Response *
client_read_response (GSocket *socket)
{
  GByteArray *buf = client_buffer (socket);
  g_autoptr(Response) resp = g_new0 (Response, 1);
  const char *end = NULL;
  gsize head_len = 0;
  gssize content_length = -1;

  for (;;)
    {
      guint8 chunk[16384];
      gssize n;

      if (!end && buf->len >= 4)
        end = g_strstr_len ((const char *) buf->data, buf->len, "\r\n\r\n");
      if (end)
        {
          if (content_length < 0)
            {
              g_auto(GStrv) lines = NULL;

              head_len = end - (const char *) buf->data;
              resp->head = g_strndup ((const char *) buf->data, head_len);
              lines = g_strsplit (resp->head, "\r\n", -1);
              content_length = 0;
              for (guint i = 1; lines[i]; i++)
                if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
                  content_length = g_ascii_strtoll (lines[i] + 15, NULL, 10);
            }
          if (buf->len >= head_len + 4 + content_length)
            break;
        }

      n = g_socket_receive (socket, (char *) chunk, sizeof chunk, NULL, NULL);
      if (n <= 0)
        return NULL;
      g_byte_array_append (buf, chunk, n);
    }

  g_assert_true (g_str_has_prefix (resp->head, "HTTP/1."));
  resp->status = g_ascii_strtoull (resp->head + 9, NULL, 10);
  resp->body_len = content_length;
  resp->body = g_strndup ((const char *) buf->data + head_len + 4, content_length);
  g_byte_array_remove_range (buf, 0, head_len + 4 + content_length);

  return g_steal_pointer (&resp);
}

static gboolean
response_has_header (Response   *resp,
                     const char *name,
                     const char *value)
{
  g_auto(GStrv) lines = g_strsplit (resp->head, "\r\n", -1);
  gsize name_len = strlen (name);

  for (guint i = 1; lines[i]; i++)
    if (g_ascii_strncasecmp (lines[i], name, name_len) == 0 && lines[i][name_len] == ':')
      {
        g_autofree char *v = g_strstrip (g_strdup (lines[i] + name_len + 1));

        if (value == NULL || g_ascii_strcasecmp (v, value) == 0)
          return TRUE;
      }
  return FALSE;
}

/* TRUE once the server has closed its side (after a response, nothing more comes). */
static gboolean
client_sees_close (GSocket *socket)
{
  char byte;
  g_autoptr(GError) error = NULL;
  gssize n = g_socket_receive (socket, &byte, 1, NULL, &error);

  return n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
}

static void
client_close (GSocket *socket)
{
  g_socket_close (socket, NULL);
  g_object_unref (socket);
}

/* Closes with a reset (RST) instead of an orderly FIN. */
static void
client_reset (GSocket *socket)
{
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger,
                               sizeof linger), ==, 0);
  client_close (socket);
}

static const char get_request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/* One keep-alive request on a new connection, then the client closes it (or resets it). */
static void
one_request_and_close_full (TestServer *ts,
                            gboolean    reset)
{
  GSocket *socket = client_connect (ts);
  g_autoptr(Response) resp = NULL;

  client_send_str (socket, get_request);
  resp = client_read_response (socket);
  g_assert_nonnull (resp);
  g_assert_cmpuint (resp->status, ==, 200);
  g_assert_false (response_has_header (resp, "Connection", "close"));
  if (reset)
    client_reset (socket);
  else
    client_close (socket);
}

static void
one_request_and_close (TestServer *ts)
{
  one_request_and_close_full (ts, FALSE);
}

/* Waits (up to @timeout_ms) for the fd count to drop to @limit; returns the last count. */
static guint
wait_for_fds (guint limit,
              guint timeout_ms)
{
  gint64 until = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  guint count;

  while ((count = kefu_http_guard_count_open_fds ()) > limit &&
         g_get_monotonic_time () < until)
    g_usleep (10 * 1000);
  return count;
}

static void
assert_too_large (Response *resp)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *err;

  g_assert_nonnull (resp);
  g_assert_cmpuint (resp->status, ==, 413);
  g_assert_true (response_has_header (resp, "Content-Type", "application/json"));
  g_assert_true (response_has_header (resp, "Connection", "close"));
  g_assert_cmpstr (resp->body, ==,
                   "{\"error\":{\"code\":\"too_large\","
                   "\"message\":\"request body exceeds 1048576 bytes\"}}");

  node = json_from_string (resp->body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  err = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_nonnull (err);
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, "too_large");
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* Not an assertion on the guard: shows whether this libsoup leaks at all, which is what
 * makes /http-guard/idle-close meaningful. */
static void
test_leak_without_guard (void)
{
  TestServer *ts = test_server_start (FALSE);
  guint before, after, released;

  before = kefu_http_guard_count_open_fds ();
  for (guint i = 0; i < 200; i++)
    one_request_and_close (ts);
  g_usleep (300 * 1000);
  after = kefu_http_guard_count_open_fds ();
  test_server_stop (ts);
  released = wait_for_fds (before, 2000);

  g_test_message ("without the guard: %u open fds before 200 keep-alive connections, %u after "
                  "they were closed by the client, %u once the SoupServer was disposed",
                  before, after, released);
  if (after >= before + 150)
    g_test_message ("this libsoup leaks idle keep-alive sockets (+%u fds)", after - before);
  else
    g_test_message ("this libsoup does not leak idle keep-alive sockets (any more)");
}

static void
test_idle_close (void)
{
  TestServer *ts = test_server_start (TRUE);
  guint before, after;

  /* Warm up once so that lazily opened descriptors do not count. */
  one_request_and_close (ts);
  wait_for_fds (0, 100);

  before = kefu_http_guard_count_open_fds ();
  for (guint i = 0; i < 1000; i++)
    one_request_and_close (ts);
  after = wait_for_fds (before + FD_SLACK, 5000);
  g_test_message ("with the guard: %u open fds before 1000 keep-alive connections, %u after",
                  before, after);
  g_assert_cmpuint (after, <=, before + FD_SLACK);
  g_assert_cmpint (g_atomic_int_get (&ts->handler_calls), ==, 1001);

  test_server_stop (ts);
}

/* Same, with clients that reset the connection: the guard must close those too, and
 * quietly (g_test_init() makes warnings fatal). */
static void
test_idle_reset (void)
{
  TestServer *ts = test_server_start (TRUE);
  guint before, after;

  one_request_and_close_full (ts, TRUE);
  wait_for_fds (0, 100);

  before = kefu_http_guard_count_open_fds ();
  for (guint i = 0; i < 300; i++)
    one_request_and_close_full (ts, TRUE);
  after = wait_for_fds (before + FD_SLACK, 5000);
  g_test_message ("with the guard: %u open fds before 300 reset keep-alive connections, %u "
                  "after", before, after);
  g_assert_cmpuint (after, <=, before + FD_SLACK);

  test_server_stop (ts);
}

static void
test_keep_alive (void)
{
  TestServer *ts = test_server_start (TRUE);
  GSocket *socket = client_connect (ts);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Response) resp = NULL;

      client_send_str (socket, get_request);
      resp = client_read_response (socket);
      g_assert_nonnull (resp);
      g_assert_cmpuint (resp->status, ==, 200);
      g_assert_false (response_has_header (resp, "Connection", "close"));
      /* Idle between requests: the guard's watch is armed and must let the next one in. */
      g_usleep (100 * 1000);
    }
  g_assert_cmpint (g_atomic_int_get (&ts->handler_calls), ==, 3);

  /* Two pipelined requests in one write are both answered. */
  client_send_str (socket, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                           "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Response) resp = client_read_response (socket);

      g_assert_nonnull (resp);
      g_assert_cmpuint (resp->status, ==, 200);
    }
  g_assert_cmpint (g_atomic_int_get (&ts->handler_calls), ==, 5);

  client_close (socket);
  test_server_stop (ts);
}

static void
test_too_large (void)
{
  TestServer *ts = test_server_start (TRUE);
  const gsize size = 2 * 1024 * 1024;
  g_autofree char *body = g_malloc0 (size);
  g_autofree char *head = g_strdup_printf ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Content-Type: application/octet-stream\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", size);
  GSocket *socket;
  g_autoptr(Response) resp = NULL;
  g_autoptr(Response) resp2 = NULL;
  g_autoptr(Response) resp3 = NULL;

  /* The 413 comes right after the headers: the body is never waited for. */
  socket = client_connect (ts);
  client_send_str (socket, head);
  resp = client_read_response (socket);
  assert_too_large (resp);
  g_assert_true (client_sees_close (socket));
  client_close (socket);

  /* Headers and the whole body sent at once: still a clean 413, not a reset. */
  socket = client_connect (ts);
  client_send_str (socket, head);
  client_send (socket, body, size);
  resp2 = client_read_response (socket);
  assert_too_large (resp2);
  client_close (socket);

  /* Expect: 100-continue gets the 413 instead of 100 Continue. */
  socket = client_connect (ts);
  client_send_str (socket, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                           "Content-Length: 5000000\r\n\r\n");
  resp3 = client_read_response (socket);
  assert_too_large (resp3);
  client_close (socket);

  g_assert_cmpint (g_atomic_int_get (&ts->handler_calls), ==, 0);
  test_server_stop (ts);
}

static void
test_chunked_too_large (void)
{
  TestServer *ts = test_server_start (TRUE);
  GSocket *socket = client_connect (ts);
  g_autofree char *chunk = g_malloc0 (65536);
  g_autoptr(Response) resp = NULL;

  client_send_str (socket, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n");
  /* 20 chunks of 64 KiB = 1.25 MiB, and the body is left unfinished: the 413 must come as
   * soon as the limit is passed, not once the body is complete. */
  for (guint i = 0; i < 20; i++)
    if (!client_send (socket, "10000\r\n", 7) ||
        !client_send (socket, chunk, 65536) ||
        !client_send (socket, "\r\n", 2))
      break;

  resp = client_read_response (socket);
  assert_too_large (resp);
  g_assert_cmpint (g_atomic_int_get (&ts->handler_calls), ==, 0);

  client_close (socket);
  test_server_stop (ts);
}

static void
post_and_check (GSocket    *socket,
                const char *data,
                gsize       len,
                gboolean    chunked)
{
  g_autoptr(Response) resp = NULL;
  g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                                      len);
  g_autofree char *expected = g_strdup_printf ("%" G_GSIZE_FORMAT " %s", len, sum);

  if (chunked)
    {
      client_send_str (socket, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n");
      for (gsize off = 0; off < len; off += 10000)
        {
          gsize n = MIN (10000, len - off);
          g_autofree char *size_line = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n", n);

          client_send_str (socket, size_line);
          g_assert_true (client_send (socket, data + off, n));
          client_send_str (socket, "\r\n");
        }
      client_send_str (socket, "0\r\n\r\n");
    }
  else
    {
      g_autofree char *head = g_strdup_printf ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                               "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                               len);

      client_send_str (socket, head);
      g_assert_true (client_send (socket, data, len));
    }

  resp = client_read_response (socket);
  g_assert_nonnull (resp);
  g_assert_cmpuint (resp->status, ==, 200);
  g_assert_cmpstr (resp->body, ==, expected);
  g_assert_false (response_has_header (resp, "Connection", "close"));
}

static void
test_small_body (void)
{
  TestServer *ts = test_server_start (TRUE);
  GSocket *socket = client_connect (ts);
  g_autofree char *data = g_malloc (MAX_BODY);

  for (gsize i = 0; i < MAX_BODY; i++)
    data[i] = (char) g_test_rand_int_range (0, 256);

  /* All on one keep-alive connection: none of these closes it. */
  post_and_check (socket, data, 100 * 1000, FALSE);
  post_and_check (socket, data + 7, 300 * 1000, TRUE);
  post_and_check (socket, data, MAX_BODY, FALSE);   /* exactly at the limit */
  post_and_check (socket, data, MAX_BODY, TRUE);
  post_and_check (socket, data, 0, FALSE);
  g_assert_cmpint (g_atomic_int_get (&ts->handler_calls), ==, 5);

  client_close (socket);
  test_server_stop (ts);
}

/* libsoup bounds the request head itself (64 KiB, then it drops the connection). */
static void
test_header_limit (void)
{
  TestServer *ts = test_server_start (TRUE);
  GSocket *socket = client_connect (ts);
  g_autoptr(GString) head = g_string_new ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  g_autoptr(Response) resp = NULL;

  while (head->len < 256 * 1024)
    g_string_append (head, "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
  g_string_append (head, "\r\n");

  client_send (socket, head->str, head->len);
  resp = client_read_response (socket);
  if (resp)
    g_assert_cmpuint (resp->status, >=, 400);
  g_assert_cmpint (g_atomic_int_get (&ts->handler_calls), ==, 0);

  client_close (socket);
  test_server_stop (ts);
}

/* A WebSocket upgrade takes the connection out of libsoup's HTTP handling; the guard must
 * leave it alone, idle or not. */
static void
test_websocket_untouched (void)
{
  TestServer *ts = test_server_start (TRUE);
  GSocket *socket = client_connect (ts);
  g_autoptr(Response) resp = NULL;
  g_autoptr(Response) upgrade = NULL;

  /* A plain request first, so that the connection has been idle under the guard. */
  client_send_str (socket, get_request);
  resp = client_read_response (socket);
  g_assert_nonnull (resp);
  g_usleep (50 * 1000);

  client_send_str (socket, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
  upgrade = client_read_response (socket);
  g_assert_nonnull (upgrade);
  g_assert_cmpuint (upgrade->status, ==, 101);

  for (guint round = 0; round < 3; round++)
    {
      /* A masked text frame "hello", and its unmasked echo. */
      const guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
      const char *text = "hello";
      guint8 frame[2 + 4 + 5];
      guint8 echo[2 + 5];
      gsize got = 0;

      frame[0] = 0x81;
      frame[1] = 0x80 | 5;
      memcpy (frame + 2, mask, 4);
      for (guint i = 0; i < 5; i++)
        frame[6 + i] = text[i] ^ mask[i % 4];
      g_assert_true (client_send (socket, frame, sizeof frame));

      while (got < sizeof echo)
        {
          gssize n = g_socket_receive (socket, (char *) echo + got, sizeof echo - got, NULL,
                                       NULL);

          g_assert_cmpint (n, >, 0);
          got += n;
        }
      g_assert_cmpuint (echo[0], ==, 0x81);
      g_assert_cmpuint (echo[1], ==, 5);
      g_assert_cmpmem (echo + 2, 5, text, 5);

      /* Idle, as a keep-alive connection would be between requests. */
      g_usleep (150 * 1000);
    }

  client_close (socket);

  test_server_stop (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-guard/leak-without-guard", test_leak_without_guard);
  g_test_add_func ("/http-guard/idle-close", test_idle_close);
  g_test_add_func ("/http-guard/idle-reset", test_idle_reset);
  g_test_add_func ("/http-guard/keep-alive", test_keep_alive);
  g_test_add_func ("/http-guard/too-large", test_too_large);
  g_test_add_func ("/http-guard/chunked-too-large", test_chunked_too_large);
  g_test_add_func ("/http-guard/small-body", test_small_body);
  g_test_add_func ("/http-guard/header-limit", test_header_limit);
  g_test_add_func ("/http-guard/websocket-untouched", test_websocket_untouched);

  return g_test_run ();
}
