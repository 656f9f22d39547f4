/* test-events.c — the live event WebSocket: auth before upgrade, fan-out, resume with since,
 * resync, phone masking, and the limits (stalled reader, silent peer, oversized message)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test runs its own server (the harness) and talks to it with real WebSocket clients
 * from this thread: libsoup's client for well-behaved peers, and a raw TCP socket that does
 * the handshake by hand for peers that misbehave (never read, never answer pings, send
 * fragmented messages). Events are made by real POST /tickets, or appended to the outbox
 * directly through the server's store (kefu_outbox_append, as the ticket code does), which
 * is what makes thousands of large events cheap.
 *
 * The harness has no accessor for the server's objects, so the test picks them up with
 * signal emission hooks as the server thread emits KefuStore::committed and
 * KefuEventHub::clients-changed (the hub: once a first client has connected).
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "kefu-http-guard.h"
#include "kefu-test-server.h"
#include "kefu-ticket-repo.h"

#define WAIT_MS 15000

/* ---- the server's objects ---------------------------------------------------------------- */

static GMutex        capture_mutex;
static KefuStore    *captured_store;   /* unowned; valid while its server runs */
static KefuEventHub *captured_hub;

static gboolean
store_hook (GSignalInvocationHint *ihint,
            guint                  n_values,
            const GValue          *values,
            gpointer               data)
{
  g_mutex_lock (&capture_mutex);
  captured_store = g_value_get_object (&values[0]);
  g_mutex_unlock (&capture_mutex);
  return TRUE;
}

static gboolean
hub_hook (GSignalInvocationHint *ihint,
          guint                  n_values,
          const GValue          *values,
          gpointer               data)
{
  g_mutex_lock (&capture_mutex);
  captured_hub = g_value_get_object (&values[0]);
  g_mutex_unlock (&capture_mutex);
  return TRUE;
}

static gboolean
noop_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

static KefuTestServer *
server_new (void)
{
  KefuTestServer *ts;

  g_mutex_lock (&capture_mutex);
  captured_store = NULL;
  captured_hub = NULL;
  g_mutex_unlock (&capture_mutex);

  ts = kefu_test_server_new (FALSE);
  /* The seeding commit's ::committed is queued on the server's loop before this. */
  kefu_test_server_invoke (ts, noop_cb, NULL);
  return ts;
}

static void
server_free (KefuTestServer *ts)
{
  kefu_test_server_free (ts);
  g_mutex_lock (&capture_mutex);
  captured_store = NULL;
  captured_hub = NULL;
  g_mutex_unlock (&capture_mutex);
}

static KefuStore *
store_of (KefuTestServer *ts)
{
  KefuStore *store;

  kefu_test_server_invoke (ts, noop_cb, NULL);
  g_mutex_lock (&capture_mutex);
  store = captured_store;
  g_mutex_unlock (&capture_mutex);
  g_assert_nonnull (store);
  return store;
}

/* The hub: a client must have connected since the server started. */
static KefuEventHub *
hub_of (KefuTestServer *ts)
{
  KefuEventHub *hub;

  kefu_test_server_invoke (ts, noop_cb, NULL);
  g_mutex_lock (&capture_mutex);
  hub = captured_hub;
  g_mutex_unlock (&capture_mutex);
  g_assert_nonnull (hub);
  return hub;
}

typedef struct {
  KefuEventHub       *hub;
  KefuEventHubLimits  limits;
  guint               n_clients;
  gint64              last_seq;
} HubCall;

static gboolean
get_limits_cb (gpointer data)
{
  HubCall *call = data;

  kefu_event_hub_get_limits (call->hub, &call->limits);
  return G_SOURCE_REMOVE;
}

static gboolean
set_limits_cb (gpointer data)
{
  HubCall *call = data;

  kefu_event_hub_set_limits (call->hub, &call->limits);
  return G_SOURCE_REMOVE;
}

static gboolean
get_state_cb (gpointer data)
{
  HubCall *call = data;

  call->n_clients = kefu_event_hub_get_n_clients (call->hub);
  call->last_seq = kefu_event_hub_get_last_seq (call->hub);
  return G_SOURCE_REMOVE;
}

/* Limits: 0 keeps the current value. */
static void
set_limits (KefuTestServer *ts,
            gsize           max_backlog_bytes,
            guint           ping_interval_ms,
            guint           pong_timeout_ms,
            gsize           max_incoming_bytes,
            guint           ring_size)
{
  HubCall call = { hub_of (ts) };

  kefu_test_server_invoke (ts, get_limits_cb, &call);
  g_assert_cmpuint (call.limits.max_backlog_bytes, ==, 4 * 1024 * 1024);   /* the defaults */
  g_assert_cmpuint (call.limits.ping_interval_ms, ==, 30000);
  g_assert_cmpuint (call.limits.pong_timeout_ms, ==, 75000);
  g_assert_cmpuint (call.limits.max_incoming_bytes, ==, 64 * 1024);
  g_assert_cmpuint (call.limits.ring_size, ==, 4096);
  if (max_backlog_bytes)
    call.limits.max_backlog_bytes = max_backlog_bytes;
  if (ping_interval_ms)
    call.limits.ping_interval_ms = ping_interval_ms;
  if (pong_timeout_ms)
    call.limits.pong_timeout_ms = pong_timeout_ms;
  if (max_incoming_bytes)
    call.limits.max_incoming_bytes = max_incoming_bytes;
  if (ring_size)
    call.limits.ring_size = ring_size;
  kefu_test_server_invoke (ts, set_limits_cb, &call);
}

static guint
n_clients (KefuTestServer *ts)
{
  HubCall call = { hub_of (ts) };

  kefu_test_server_invoke (ts, get_state_cb, &call);
  return call.n_clients;
}

/* ---- events through the store ------------------------------------------------------------ */

static guint next_number;   /* event data carry "number": "E000001", … in order of creation */

typedef struct {
  guint   n;
  gsize   pad;
  gint64  last_seq;
} AppendJob;

static gpointer
append_job (KefuDb   *db,
            gpointer  data,
            GError  **error)
{
  AppendJob *job = data;

  for (guint i = 0; i < job->n; i++)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *number = g_strdup_printf ("E%06u", ++next_number);
      g_autofree char *pad = g_strnfill (job->pad, 'x');
      gint64 seq;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, number);
      json_builder_set_member_name (b, "customer");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, "王*");
      json_builder_set_member_name (b, "phone");
      json_builder_add_string_value (b, "13800005678");
      json_builder_end_object (b);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, pad);
      json_builder_end_object (b);
      node = json_builder_get_root (b);

      seq = kefu_outbox_append (db, "ticket.created", KEFU_TEST_START_USEC, node, error);
      if (seq <= 0)
        return NULL;
      job->last_seq = seq;
    }
  return NULL;
}

/* Appends @n events in one transaction; returns the last seq. Blocks until committed. */
static gint64
append_events (KefuStore *store,
               guint      n,
               gsize      pad)
{
  AppendJob job = { n, pad, 0 };
  g_autoptr(GError) error = NULL;

  kefu_store_write_sync (store, append_job, &job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job.last_seq, >, 0);
  return job.last_seq;
}

static gpointer
delete_job (KefuDb   *db,
            gpointer  data,
            GError  **error)
{
  sqlite3_stmt *stmt = kefu_db_prepare (db, "DELETE FROM events WHERE seq <= ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, *(gint64 *) data);
  kefu_db_step_done (db, stmt, error);
  return NULL;
}

static void
prune_events (KefuStore *store,
              gint64     upto)
{
  g_autoptr(GError) error = NULL;

  kefu_store_write_sync (store, delete_job, &upto, NULL, &error);
  g_assert_no_error (error);
}

/* Appends batches from a thread of its own, so that this thread's clients keep reading. */
typedef struct {
  KefuStore *store;
  guint      batches;
  guint      per_batch;
  gsize      pad;
  gint       stop;       /* atomic */
  gint       appended;   /* atomic */
} Producer;

static gpointer
producer_thread (gpointer data)
{
  Producer *p = data;

  for (guint i = 0; i < p->batches && !g_atomic_int_get (&p->stop); i++)
    {
      append_events (p->store, p->per_batch, p->pad);
      g_atomic_int_add (&p->appended, p->per_batch);
      g_usleep (2000);
    }
  return NULL;
}

/* ---- waiting on this thread's loop ------------------------------------------------------- */

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the loop for @ms. */
static void
spin (guint ms)
{
  gboolean done = FALSE;
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, flag_cb, &done, NULL);
  g_source_attach (source, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_unref (source);
}

typedef gboolean (*CheckFunc) (gpointer data);

static gboolean
wait_for (CheckFunc check,
          gpointer  data,
          guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  GSource *source = g_timeout_source_new (timeout_ms);

  g_source_set_callback (source, flag_cb, &timed_out, NULL);
  g_source_attach (source, NULL);
  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (source);
  g_source_unref (source);
  return check (data);
}

/* ---- a libsoup WebSocket client ---------------------------------------------------------- */

typedef struct {
  SoupSession             *session;
  SoupMessage             *msg;
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
  GPtrArray               *messages;   /* of JsonNode* (objects), the hello set aside */
  gint64                   hello_seq;  /* of the "hello" opening a stream without since, or -1 */
  guint                    n_hellos;
  gboolean                 closed;
} Ws;

static void
on_ws_message (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  Ws *ws = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  if (g_strcmp0 (json_object_get_string_member_with_default (
                   json_node_get_object (json_parser_get_root (parser)), "type", ""),
                 "hello") == 0)
    {
      /* Only ever first, and only once. */
      g_assert_cmpuint (ws->messages->len, ==, 0);
      g_assert_cmpuint (ws->n_hellos, ==, 0);
      ws->hello_seq = json_object_get_int_member (
        json_node_get_object (json_parser_get_root (parser)), "seq");
      ws->n_hellos++;
      return;
    }
  g_ptr_array_add (ws->messages, json_parser_steal_root (parser));
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  Ws *ws = user_data;

  ws->closed = TRUE;
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Ws *ws = user_data;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &ws->error);
  if (ws->conn != NULL)
    {
      g_signal_connect (ws->conn, "message", G_CALLBACK (on_ws_message), ws);
      g_signal_connect (ws->conn, "closed", G_CALLBACK (on_ws_closed), ws);
    }
  ws->done = TRUE;
}

static gboolean
ws_done (gpointer data)
{
  return ((Ws *) data)->done;
}

/* Starts a handshake with @token (NULL: no Authorization) and @query ("" or "?since=…"). */
static Ws *
ws_start (KefuTestServer *ts,
          const char     *token,
          const char     *query)
{
  Ws *ws = g_new0 (Ws, 1);
  g_autofree char *url = g_strdup_printf ("%s/events%s", kefu_test_server_get_base_url (ts),
                                          query);

  ws->session = soup_session_new ();
  ws->hello_seq = -1;
  ws->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  ws->msg = soup_message_new ("GET", url);
  g_assert_nonnull (ws->msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (ws->msg), "Authorization",
                                    auth);
    }
  soup_session_websocket_connect_async (ws->session, ws->msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, ws_connected_cb, ws);
  g_assert_true (wait_for (ws_done, ws, WAIT_MS));
  return ws;
}

static Ws *
ws_open (KefuTestServer *ts,
         const char     *token,
         gint64          since)
{
  g_autofree char *query = since >= 0 ? g_strdup_printf ("?since=%" G_GINT64_FORMAT, since)
                                      : g_strdup ("");
  Ws *ws = ws_start (ts, token, query);

  g_assert_no_error (ws->error);
  g_assert_nonnull (ws->conn);
  g_assert_cmpuint (soup_message_get_status (ws->msg), ==, SOUP_STATUS_SWITCHING_PROTOCOLS);
  return ws;
}

static gboolean
ws_closed (gpointer data)
{
  return ((Ws *) data)->closed;
}

static void
ws_free (Ws *ws)
{
  if (ws->conn != NULL &&
      soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      wait_for (ws_closed, ws, WAIT_MS);
    }
  if (ws->conn != NULL)
    g_signal_handlers_disconnect_by_data (ws->conn, ws);
  g_clear_object (&ws->conn);
  g_clear_object (&ws->msg);
  g_clear_object (&ws->session);
  g_clear_error (&ws->error);
  g_ptr_array_unref (ws->messages);
  g_free (ws);
}

typedef struct {
  Ws    *ws;
  guint  n;
} Count;

static gboolean
ws_has (gpointer data)
{
  Count *c = data;

  return c->ws->messages->len >= c->n || c->ws->closed;
}

/* Waits until @ws has @n messages in all; fails on a timeout. */
static void
ws_wait (Ws    *ws,
         guint  n)
{
  Count c = { ws, n };

  wait_for (ws_has, &c, WAIT_MS);
  if (ws->messages->len < n)
    g_error ("expected %u events, got %u (closed: %d)", n, ws->messages->len, ws->closed);
}

static JsonObject *
ws_msg (Ws    *ws,
        guint  i)
{
  g_assert_cmpuint (i, <, ws->messages->len);
  return json_node_get_object (g_ptr_array_index (ws->messages, i));
}

static gint64
msg_seq (JsonObject *msg)
{
  g_assert_true (json_object_has_member (msg, "seq"));
  return json_object_get_int_member (msg, "seq");
}

static const char *
msg_number (JsonObject *msg)
{
  JsonObject *data = json_object_get_object_member (msg, "data");

  g_assert_nonnull (data);
  return json_object_get_string_member (data, "number");
}

static const char *
msg_phone (JsonObject *msg)
{
  JsonObject *data = json_object_get_object_member (msg, "data");

  return json_object_get_string_member (json_object_get_object_member (data, "customer"),
                                        "phone");
}

/* Asserts that messages [from, from + n) are events with seq first_seq, first_seq + 1, … */
static void
assert_seqs (Ws     *ws,
             guint   from,
             guint   n,
             gint64  first_seq)
{
  g_assert_cmpuint (ws->messages->len, >=, from + n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *msg = ws_msg (ws, from + i);

      if (msg_seq (msg) != first_seq + i)
        g_error ("message %u: expected seq %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT,
                 from + i, first_seq + i, msg_seq (msg));
      g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "ticket.created");
    }
}

/* ---- a raw WebSocket peer ---------------------------------------------------------------- */

typedef struct {
  GSocket    *socket;
  GByteArray *buf;   /* received and not yet parsed */
} Raw;

static void
raw_send_all (Raw          *raw,
              const guint8 *data,
              gsize         len,
              GError      **error)
{
  while (len > 0)
    {
      gssize n = g_socket_send (raw->socket, (const char *) data, len, NULL, error);

      if (n <= 0)
        return;
      data += n;
      len -= n;
    }
}

/* Reads more into raw->buf; FALSE at end of stream or on an error (a reset, a timeout). */
static gboolean
raw_fill (Raw     *raw,
          GError **error)
{
  guint8 chunk[16384];
  gssize n = g_socket_receive (raw->socket, (char *) chunk, sizeof chunk, NULL, error);

  if (n <= 0)
    return FALSE;
  g_byte_array_append (raw->buf, chunk, n);
  return TRUE;
}

/* Connects and does the handshake by hand. @rcvbuf > 0 shrinks the socket's receive buffer
 * (before connecting, so that the TCP window stays small). */
static Raw *
raw_open_query (KefuTestServer *ts,
                const char     *token,
                const char     *query,
                int             rcvbuf)
{
  Raw *raw = g_new0 (Raw, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autofree char *request = NULL;
  const char *end;

  raw->buf = g_byte_array_new ();
  raw->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  if (rcvbuf > 0)
    {
      g_socket_set_option (raw->socket, SOL_SOCKET, SO_RCVBUF, rcvbuf, &error);
      g_assert_no_error (error);
    }
  g_socket_set_timeout (raw->socket, 20);
  addr = g_inet_socket_address_new_from_string ("127.0.0.1", kefu_test_server_get_port (ts));
  g_socket_connect (raw->socket, addr, NULL, &error);
  g_assert_no_error (error);

  request = g_strdup_printf ("GET /api/v1/events%s HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Authorization: Bearer %s\r\n"
                             "\r\n", query, kefu_test_server_get_port (ts), token);
  raw_send_all (raw, (const guint8 *) request, strlen (request), &error);
  g_assert_no_error (error);

  while (raw->buf->len == 0 ||
         (end = g_strstr_len ((const char *) raw->buf->data, raw->buf->len, "\r\n\r\n")) == NULL)
    {
      if (!raw_fill (raw, &error))
        g_error ("handshake failed: %s", error ? error->message : "end of stream");
    }
  {
    g_autofree char *head = g_strndup ((const char *) raw->buf->data,
                                       end - (const char *) raw->buf->data);

    g_assert_true (g_str_has_prefix (head, "HTTP/1.1 101"));
    /* RFC 6455's example key and its answer */
    g_assert_nonnull (strstr (head, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    g_byte_array_remove_range (raw->buf, 0, end + 4 - (const char *) raw->buf->data);
  }
  return raw;
}

static gboolean raw_read_frame (Raw        *raw,
                                guint8     *opcode,
                                GByteArray *payload);

/* A stream without since: its first frame, the hello, is read and checked here. */
static Raw *
raw_open (KefuTestServer *ts,
          const char     *token,
          int             rcvbuf)
{
  Raw *raw = raw_open_query (ts, token, "", rcvbuf);
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  guint8 opcode = 0;

  g_assert_true (raw_read_frame (raw, &opcode, payload));
  g_assert_cmpuint (opcode, ==, 0x1);
  g_byte_array_append (payload, (const guint8 *) "", 1);
  g_assert_true (g_str_has_prefix ((const char *) payload->data, "{\"type\":\"hello\",\"seq\":"));
  return raw;
}

static void
raw_free (Raw *raw)
{
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->socket);
  g_byte_array_unref (raw->buf);
  g_free (raw);
}

/* Sends one masked frame (as clients must). */
static void
raw_send_frame (Raw        *raw,
                guint8      opcode,
                gboolean    fin,
                const char *payload,
                gsize       len)
{
  static const guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 head[10];
  gsize head_len;

  head[0] = (fin ? 0x80 : 0) | opcode;
  if (len < 126)
    {
      head[1] = 0x80 | len;
      head_len = 2;
    }
  else if (len < 65536)
    {
      head[1] = 0x80 | 126;
      head[2] = len >> 8;
      head[3] = len & 0xff;
      head_len = 4;
    }
  else
    {
      head[1] = 0x80 | 127;
      for (guint i = 0; i < 8; i++)
        head[2 + i] = ((guint64) len >> (56 - 8 * i)) & 0xff;
      head_len = 10;
    }
  g_byte_array_append (frame, head, head_len);
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = payload[i] ^ mask[i % 4];

      g_byte_array_append (frame, &b, 1);
    }
  /* The server may have closed already: errors are expected then. */
  raw_send_all (raw, frame->data, frame->len, NULL);
}

/* Reads one frame from the server (unmasked). FALSE when the connection ended. */
static gboolean
raw_read_frame (Raw        *raw,
                guint8     *opcode,
                GByteArray *payload)
{
  for (;;)
    {
      const guint8 *d = raw->buf->data;
      gsize have = raw->buf->len;
      guint64 len;
      gsize at;

      if (have >= 2)
        {
          len = d[1] & 0x7f;
          at = 2;
          if (len == 126)
            {
              at = 4;
              len = have >= 4 ? ((guint64) d[2] << 8 | d[3]) : G_MAXUINT64;
            }
          else if (len == 127)
            {
              at = 10;
              if (have >= 10)
                {
                  len = 0;
                  for (guint i = 2; i < 10; i++)
                    len = len << 8 | d[i];
                }
              else
                {
                  len = G_MAXUINT64;
                }
            }
          if (len != G_MAXUINT64 && have >= at + len)
            {
              *opcode = d[0] & 0x0f;
              g_byte_array_set_size (payload, 0);
              g_byte_array_append (payload, d + at, len);
              g_byte_array_remove_range (raw->buf, 0, at + len);
              return TRUE;
            }
        }
      if (!raw_fill (raw, NULL))
        return FALSE;
    }
}

/* Reads until the server ends the connection; returns the text frames read on the way. A
 * timeout (the connection stays open) fails the test. */
static guint
raw_read_until_closed (Raw *raw)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint texts = 0;
  guint8 opcode;

  for (;;)
    {
      while (raw_read_frame (raw, &opcode, payload))
        {
          if (opcode == 0x1)
            texts++;
          if (g_get_monotonic_time () > deadline)
            g_error ("the server did not close the connection");
        }
      /* raw_read_frame() hides why it stopped: look once more */
      g_clear_error (&error);
      if (!raw_fill (raw, &error))
        break;
    }
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_error ("the server did not close the connection");
  return texts;
}

/* ---- helpers over HTTP ------------------------------------------------------------------- */

static char *
post_ticket (KefuTestServer *ts,
             const char     *token,
             const char     *phone)
{
  g_autofree char *body = g_strdup_printf (
    "{\"channel\":\"phone\",\"category\":\"quality\",\"subcategory\":\"功能故障\","
    "\"priority\":2,\"customer\":{\"name\":\"王*\",\"phone\":\"%s\"},"
    "\"description\":\"洗衣机无法开机，指示灯不亮\",\"submitted_at\":\"2026-11-23T07:55:00Z\"}",
    phone);
  g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "POST", "/tickets", token, body, NULL);

  if (r->status != SOUP_STATUS_CREATED)
    g_error ("POST /tickets: %u %s", r->status, r->raw);
  return g_strdup (json_object_get_string_member (kefu_test_object (r), "number"));
}

/* Finds the event for ticket @number among @ws's messages from @from on. */
static JsonObject *
find_ticket_event (Ws         *ws,
                   guint       from,
                   const char *number)
{
  for (guint i = from; i < ws->messages->len; i++)
    {
      JsonObject *msg = ws_msg (ws, i);

      if (json_object_has_member (msg, "data") &&
          g_strcmp0 (msg_number (msg), number) == 0)
        return msg;
    }
  return NULL;
}

static void
assert_error (KefuTestResponse *r,
              guint             status,
              const char       *code,
              const char       *field)
{
  if (r->status != status)
    g_error ("expected %u %s, got %u: %s", status, code, r->status, r->raw);
  g_assert_cmpstr (kefu_test_error_code (r), ==, code);
  g_assert_cmpstr (kefu_test_error_field (r), ==, field);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==,
                   "application/json");
  g_assert_null (soup_message_headers_get_one (r->headers, "Upgrade"));
}

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_handshake_auth (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  Ws *ws;

  /* Plain HTTP: the error shape. */
  {
    g_autoptr(KefuTestResponse) none = kefu_test_request (ts, "GET", "/events", NULL, NULL, NULL);
    g_autoptr(KefuTestResponse) bad = kefu_test_request (ts, "GET", "/events", "not-a-token",
                                                         NULL, NULL);
    g_autoptr(KefuTestResponse) plain = kefu_test_request (ts, "GET", "/events", token, NULL,
                                                           NULL);
    g_autoptr(KefuTestResponse) since = kefu_test_request (ts, "GET", "/events?since=abc",
                                                           token, NULL, NULL);
    g_autoptr(KefuTestResponse) negative = kefu_test_request (ts, "GET", "/events?since=-1",
                                                              token, NULL, NULL);
    g_autoptr(KefuTestResponse) post = kefu_test_request (ts, "POST", "/events", token, "{}",
                                                          NULL);
    g_autoptr(KefuTestResponse) below = kefu_test_request (ts, "GET", "/events/x", token, NULL,
                                                           NULL);

    assert_error (none, 401, "unauthenticated", NULL);
    g_assert_nonnull (soup_message_headers_get_one (none->headers, "WWW-Authenticate"));
    assert_error (bad, 401, "unauthenticated", NULL);
    assert_error (plain, 400, "validation_failed", "Upgrade");
    assert_error (since, 400, "validation_failed", "since");
    assert_error (negative, 400, "validation_failed", "since");
    assert_error (post, 405, "method_not_allowed", NULL);
    assert_error (below, 404, "not_found", NULL);
  }

  /* WebSocket handshakes: refused before the upgrade. */
  ws = ws_start (ts, "not-a-token", "");
  g_assert_null (ws->conn);
  g_assert_error (ws->error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET);
  g_assert_cmpuint (soup_message_get_status (ws->msg), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (ws->msg),
                                               "Sec-WebSocket-Accept"));
  ws_free (ws);

  ws = ws_start (ts, NULL, "");
  g_assert_null (ws->conn);
  g_assert_cmpuint (soup_message_get_status (ws->msg), ==, SOUP_STATUS_UNAUTHORIZED);
  ws_free (ws);

  ws = ws_start (ts, token, "?since=x1");
  g_assert_null (ws->conn);
  g_assert_cmpuint (soup_message_get_status (ws->msg), ==, SOUP_STATUS_BAD_REQUEST);
  ws_free (ws);

  /* The same handshake with the token is upgraded. */
  ws = ws_open (ts, token, -1);
  g_assert_cmpuint (n_clients (ts), ==, 1);
  ws_free (ws);

  /* A signed-out session no longer opens one. */
  {
    g_autoptr(KefuTestResponse) out = kefu_test_request (ts, "DELETE", "/session", token, NULL,
                                                         NULL);

    g_assert_cmpuint (out->status, ==, 204);
  }
  ws = ws_start (ts, token, "");
  g_assert_null (ws->conn);
  g_assert_cmpuint (soup_message_get_status (ws->msg), ==, SOUP_STATUS_UNAUTHORIZED);
  ws_free (ws);

  server_free (ts);
}

static void
test_expired_session (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "technician", "demo");
  Ws *ws;

  ws = ws_open (ts, token, -1);
  ws_free (ws);

  kefu_manual_clock_advance (kefu_test_server_get_clock (ts),
                             KEFU_SESSION_LIFETIME_USEC + G_USEC_PER_SEC);
  ws = ws_start (ts, token, "");
  g_assert_null (ws->conn);
  g_assert_cmpuint (soup_message_get_status (ws->msg), ==, SOUP_STATUS_UNAUTHORIZED);
  ws_free (ws);

  server_free (ts);
}

/* Two clients both see each other's tickets, made through the real API. */
/* A stream opened without since starts with {"type":"hello","seq":N}, N the seq it starts
 * after: a client that loses the stream before any event resumes from N and misses nothing.
 * A resumed stream has no hello. */
static gboolean
ws_has_hello (gpointer data)
{
  return ((Ws *) data)->n_hellos > 0;
}

static void
test_hello (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *agent = kefu_test_login (ts, "agent", "demo");
  g_autofree char *first = post_ticket (ts, agent, "13800001111");
  g_autofree char *second = NULL;
  Ws *a = ws_open (ts, agent, -1);
  Ws *b;
  gint64 hello;

  g_assert_true (wait_for (ws_has_hello, a, WAIT_MS));
  hello = a->hello_seq;
  /* The ticket created before the stream is in the log: hello names its event or later. */
  g_assert_cmpint (hello, >=, 1);
  g_assert_cmpuint (a->messages->len, ==, 0);

  /* The stream drops before any event; meanwhile a ticket is registered. */
  ws_free (a);
  second = post_ticket (ts, agent, "13800002222");

  b = ws_open (ts, agent, hello);
  ws_wait (b, 1);
  g_assert_cmpstr (json_object_get_string_member (ws_msg (b, 0), "type"), ==, "ticket.created");
  g_assert_cmpstr (msg_number (ws_msg (b, 0)), ==, second);
  g_assert_cmpint (msg_seq (ws_msg (b, 0)), ==, hello + 1);
  g_assert_cmpuint (b->n_hellos, ==, 0);

  ws_free (b);
  kefu_test_server_free (ts);
}

static void
test_two_clients (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *agent = kefu_test_login (ts, "agent", "demo");
  g_autofree char *supervisor = kefu_test_login (ts, "supervisor", "demo");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  Ws *a = ws_open (ts, agent, -1);
  Ws *b = ws_open (ts, supervisor, -1);
  JsonObject *msg;
  gint64 seq;

  g_assert_cmpuint (n_clients (ts), ==, 2);

  first = post_ticket (ts, agent, "13800001111");
  ws_wait (a, 1);
  ws_wait (b, 1);
  for (guint i = 0; i < 2; i++)
    {
      msg = ws_msg (i == 0 ? a : b, 0);
      g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "ticket.created");
      g_assert_cmpstr (msg_number (msg), ==, first);
      g_assert_cmpstr (json_object_get_string_member (msg, "at"), ==, "2026-11-23T08:00:00Z");
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (msg, "data"), "status"), ==, "new");
    }
  seq = msg_seq (ws_msg (a, 0));
  g_assert_cmpint (seq, >, 0);
  g_assert_cmpint (msg_seq (ws_msg (b, 0)), ==, seq);

  second = post_ticket (ts, supervisor, "13800002222");
  ws_wait (a, 2);
  ws_wait (b, 2);
  g_assert_cmpstr (msg_number (ws_msg (a, 1)), ==, second);
  g_assert_cmpstr (msg_number (ws_msg (b, 1)), ==, second);
  g_assert_cmpint (msg_seq (ws_msg (a, 1)), ==, seq + 1);
  g_assert_cmpint (msg_seq (ws_msg (b, 1)), ==, seq + 1);

  /* Nothing else came. */
  spin (200);
  g_assert_cmpuint (a->messages->len, ==, 2);
  g_assert_cmpuint (b->messages->len, ==, 2);

  ws_free (a);
  ws_free (b);
  server_free (ts);
}

/* A new P1 registered by an agent reaches every supervisor's socket at once as alert.raised,
 * addressed to supervisors only: the technician's and the agent's sockets see the ticket but
 * not the alert. */
static void
test_alert_recipients (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *agent = kefu_test_login (ts, "agent", "demo");
  g_autofree char *supervisor = kefu_test_login (ts, "supervisor", "demo");
  g_autofree char *technician = kefu_test_login (ts, "technician", "demo");
  g_autoptr(KefuTestResponse) r = NULL;
  Ws *sup = ws_open (ts, supervisor, -1);
  Ws *tech = ws_open (ts, technician, -1);
  Ws *ag = ws_open (ts, agent, -1);
  const char *number;
  JsonObject *alert = NULL;
  gint64 posted;

  posted = g_get_monotonic_time ();
  r = kefu_test_request (ts, "POST", "/tickets", agent,
                         "{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":1,"
                         "\"customer\":{\"name\":\"李雷\",\"phone\":\"13900001234\"},"
                         "\"description\":\"冰箱完全不制冷\","
                         "\"submitted_at\":\"2026-11-23T07:58:00Z\"}", NULL);
  g_assert_cmpuint (r->status, ==, SOUP_STATUS_CREATED);
  number = json_object_get_string_member (kefu_test_object (r), "number");

  ws_wait (sup, 2);
  g_test_message ("alert reached the supervisor %.1f ms after the request was sent",
                  (g_get_monotonic_time () - posted) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - posted, <, 2 * G_USEC_PER_SEC);
  for (guint i = 0; i < sup->messages->len; i++)
    if (g_strcmp0 (json_object_get_string_member (ws_msg (sup, i), "type"), "alert.raised") == 0)
      alert = json_object_get_object_member (ws_msg (sup, i), "data");
  g_assert_nonnull (alert);
  g_assert_cmpstr (json_object_get_string_member (alert, "kind"), ==, "new_p1");
  g_assert_cmpstr (json_object_get_string_member (alert, "number"), ==, number);

  /* The others get the ticket, and nothing more. */
  ws_wait (tech, 1);
  ws_wait (ag, 1);
  spin (300);
  g_assert_cmpuint (tech->messages->len, ==, 1);
  g_assert_cmpuint (ag->messages->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (ws_msg (tech, 0), "type"), ==,
                   "ticket.created");
  g_assert_cmpstr (json_object_get_string_member (ws_msg (ag, 0), "type"), ==, "ticket.created");

  ws_free (sup);
  ws_free (tech);
  ws_free (ag);
  server_free (ts);
}

/* A client that was away gets exactly what it missed, in order, then live events. With a
 * ring of 2, the first of the three missed events comes from the log, the rest from memory. */
static void
test_resume (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  KefuStore *store = store_of (ts);

  for (guint round = 0; round < 2; round++)
    {
      Ws *ws = ws_open (ts, token, -1);
      gint64 last, missed_last, live;

      if (round == 1)
        set_limits (ts, 0, 0, 0, 0, 2);

      last = append_events (store, 1, 10);
      ws_wait (ws, 1);
      assert_seqs (ws, 0, 1, last);
      ws_free (ws);

      missed_last = append_events (store, 1, 10);
      append_events (store, 2, 10);
      missed_last += 2;
      g_assert_cmpint (missed_last, ==, last + 3);

      ws = ws_open (ts, token, last);
      ws_wait (ws, 3);
      assert_seqs (ws, 0, 3, last + 1);
      g_assert_cmpstr (msg_number (ws_msg (ws, 0)), <, msg_number (ws_msg (ws, 2)));
      spin (100);
      g_assert_cmpuint (ws->messages->len, ==, 3);

      live = append_events (store, 1, 10);
      ws_wait (ws, 4);
      assert_seqs (ws, 3, 1, live);
      g_assert_cmpint (live, ==, missed_last + 1);
      spin (100);
      g_assert_cmpuint (ws->messages->len, ==, 4);
      ws_free (ws);
    }

  server_free (ts);
}

/* since=0 on a fresh server: every event there is; since=newest: nothing but live ones. */
static void
test_since_zero (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "supervisor", "demo");
  KefuStore *store = store_of (ts);
  guint first_number = next_number + 1;
  gint64 last;
  Ws *ws, *now;

  last = append_events (store, 5, 100);
  g_assert_cmpint (last, ==, 5);

  ws = ws_open (ts, token, 0);
  now = ws_open (ts, token, last);
  ws_wait (ws, 5);
  assert_seqs (ws, 0, 5, 1);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *number = g_strdup_printf ("E%06u", first_number + i);

      g_assert_cmpstr (msg_number (ws_msg (ws, i)), ==, number);
    }
  spin (100);
  g_assert_cmpuint (ws->messages->len, ==, 5);
  g_assert_cmpuint (now->messages->len, ==, 0);

  append_events (store, 1, 100);
  ws_wait (ws, 6);
  ws_wait (now, 1);
  assert_seqs (ws, 5, 1, 6);
  assert_seqs (now, 0, 1, 6);

  ws_free (ws);
  ws_free (now);
  server_free (ts);
}

/* Replay and live are one path: a client resuming from 0 while events keep coming gets each
 * once and in order, through a small ring and a small backlog (so it pauses while catching
 * up). */
static void
test_replay_while_live (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  KefuStore *store = store_of (ts);
  Producer p = { store, 40, 5, 300, 0, 0 };
  GThread *thread;
  Ws *first, *ws;
  guint total;

  first = ws_open (ts, token, -1);   /* makes the hub known */
  set_limits (ts, 32 * 1024, 0, 0, 0, 16);
  ws_free (first);

  /* 2 MB to replay against a 32 KiB backlog: it has to pause and resume many times. */
  append_events (store, 2000, 1000);
  ws = ws_open (ts, token, 0);
  thread = g_thread_new ("producer", producer_thread, &p);
  g_thread_join (thread);
  total = 2000 + g_atomic_int_get (&p.appended);
  g_assert_cmpuint (total, ==, 2200);

  ws_wait (ws, total);
  assert_seqs (ws, 0, total, 1);
  spin (100);
  g_assert_cmpuint (ws->messages->len, ==, total);
  g_assert_false (ws->closed);

  ws_free (ws);
  server_free (ts);
}

/* A client catching up that reads slowly is paused, not dropped, however far it is behind:
 * it gets all 8 MB of history in order through a 256 KiB backlog, then live events. */
static void
test_replay_slow_reader (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  KefuStore *store = store_of (ts);
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  Ws *ws;
  Raw *raw;
  gint64 live;
  guint8 opcode;

  ws = ws_open (ts, token, -1);
  set_limits (ts, 256 * 1024, 0, 0, 0, 64);
  ws_free (ws);
  /* One 8 MB commit: a live client connected now would be dropped for it (it owes more than
   * the backlog limit at once), so the live client comes after. */
  append_events (store, 800, 10000);

  raw = raw_open_query (ts, token, "?since=0", 4096);
  ws = ws_open (ts, token, -1);
  g_usleep (500 * 1000);                  /* not reading: its kernel buffers fill up */
  g_assert_cmpuint (n_clients (ts), ==, 2);

  for (gint64 seq = 1; seq <= 800; seq++)
    {
      g_autofree char *expected = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT ",", seq);

      g_assert_true (raw_read_frame (raw, &opcode, payload));
      g_assert_cmpuint (opcode, ==, 0x1);
      g_byte_array_append (payload, (const guint8 *) "", 1);
      if (!g_str_has_prefix ((const char *) payload->data, expected))
        g_error ("expected %s…, got %.40s", expected, payload->data);
      if (seq % 100 == 0)
        g_usleep (20 * 1000);             /* and reads slowly */
    }
  g_assert_cmpuint (n_clients (ts), ==, 2);

  live = append_events (store, 1, 10);
  g_assert_cmpint (live, ==, 801);
  g_assert_true (raw_read_frame (raw, &opcode, payload));
  g_byte_array_append (payload, (const guint8 *) "", 1);
  g_assert_true (g_str_has_prefix ((const char *) payload->data, "{\"seq\":801,"));

  /* The live client got just that. */
  ws_wait (ws, 1);
  assert_seqs (ws, 0, 1, 801);

  raw_free (raw);
  ws_free (ws);
  server_free (ts);
}

/* A since the log no longer holds (pruned), or from the future: resync, then live. */
static void
test_resync (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  KefuStore *store = store_of (ts);
  gint64 newest;
  Ws *ws;

  newest = append_events (store, 10, 10);
  g_assert_cmpint (newest, ==, 10);

  /* The log holds 1…10: since=0 still replays. */
  ws = ws_open (ts, token, 0);
  ws_wait (ws, 10);
  assert_seqs (ws, 0, 10, 1);
  ws_free (ws);

  prune_events (store, 5);   /* the log now holds 6…10 */

  ws = ws_open (ts, token, 5);   /* 6… are there: no resync */
  ws_wait (ws, 5);
  assert_seqs (ws, 0, 5, 6);
  ws_free (ws);

  for (guint i = 0; i < 3; i++)
    {
      static const gint64 since[] = { 4, 0, 1000 };
      JsonObject *msg;
      gint64 live;

      ws = ws_open (ts, token, since[i]);
      ws_wait (ws, 1);
      msg = ws_msg (ws, 0);
      g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "resync");
      g_assert_cmpint (msg_seq (msg), ==, newest);
      g_assert_false (json_object_has_member (msg, "data"));
      spin (100);
      g_assert_cmpuint (ws->messages->len, ==, 1);

      live = append_events (store, 1, 10);
      g_assert_cmpint (live, ==, newest + 1);
      ws_wait (ws, 2);
      assert_seqs (ws, 1, 1, live);
      newest = live;
      ws_free (ws);
    }

  server_free (ts);
}

/* Technicians, managers and admins get customer.phone masked; agents and supervisors not. */
static void
test_phone_masking (void)
{
  static const char *users[] = { "agent", "supervisor", "technician", "manager", "admin" };
  static const gboolean masked[] = { FALSE, FALSE, TRUE, TRUE, TRUE };
  KefuTestServer *ts = server_new ();
  g_autofree char *number = NULL;
  Ws *ws[G_N_ELEMENTS (users)];
  char *tokens[G_N_ELEMENTS (users)];

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      tokens[i] = kefu_test_login (ts, users[i], "demo");
      ws[i] = ws_open (ts, tokens[i], -1);
    }

  number = post_ticket (ts, tokens[0], "13800005678");
  append_events (store_of (ts), 1, 10);   /* the outbox's own phone too */

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      JsonObject *msg;

      ws_wait (ws[i], 2);
      msg = find_ticket_event (ws[i], 0, number);
      g_assert_nonnull (msg);
      g_assert_cmpstr (msg_phone (msg), ==, masked[i] ? "138****5678" : "13800005678");
      /* the rest of the ticket is the same */
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (
                           json_object_get_object_member (msg, "data"), "customer"), "name"),
                       ==, "王*");
      g_assert_cmpstr (msg_phone (ws_msg (ws[i], 1)), ==,
                       masked[i] ? "138****5678" : "13800005678");
      ws_free (ws[i]);
      g_free (tokens[i]);
    }

  server_free (ts);
}

typedef struct {
  KefuTestServer *ts;
  guint           n;
} ClientsCheck;

static gboolean
clients_are (gpointer data)
{
  ClientsCheck *check = data;

  return n_clients (check->ts) == check->n;
}

/* A peer that never reads is dropped once it owes more than the backlog limit, while a
 * client that reads gets every event. */
static void
test_stalled_reader (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  KefuStore *store = store_of (ts);
  Producer p = { store, 300, 5, 10000, 0, 0 };
  ClientsCheck one = { ts, 1 };
  GThread *thread;
  Ws *ws;
  Raw *raw;
  guint total, stalled_got;

  ws = ws_open (ts, token, -1);
  set_limits (ts, 512 * 1024, 0, 0, 0, 0);
  raw = raw_open (ts, token, 4096);
  g_assert_cmpuint (n_clients (ts), ==, 2);

  /* ~10 KB events, 5 per commit, until the stalled peer is gone (at most ~15 MB). */
  thread = g_thread_new ("producer", producer_thread, &p);
  if (!wait_for (clients_are, &one, 60000))
    g_error ("the stalled client was not dropped after %d events",
             g_atomic_int_get (&p.appended));
  /* A few more after the drop, then stop (joining blocks this thread for one batch). */
  {
    gint appended = g_atomic_int_get (&p.appended);

    while (g_atomic_int_get (&p.appended) < appended + 20 &&
           g_atomic_int_get (&p.appended) < (gint) (p.batches * p.per_batch))
      spin (5);
  }
  g_atomic_int_set (&p.stop, 1);
  g_thread_join (thread);
  total = g_atomic_int_get (&p.appended);
  g_test_message ("stalled client dropped; %u events of ~10 KB made", total);

  ws_wait (ws, total);
  assert_seqs (ws, 0, total, 1);
  g_assert_false (ws->closed);
  g_assert_cmpuint (n_clients (ts), ==, 1);

  /* The stalled peer reads what its kernel buffers held, then the end: it missed the rest. */
  stalled_got = raw_read_until_closed (raw);
  g_test_message ("the stalled client had %u events in its buffers", stalled_got);
  g_assert_cmpuint (stalled_got, <, total);

  raw_free (raw);
  ws_free (ws);
  server_free (ts);
}

/* A peer that answers no ping is dropped after the pong timeout; one that answers stays. */
static void
test_pong_timeout (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "technician", "demo");
  ClientsCheck one = { ts, 1 };
  Ws *ws;
  Raw *raw;
  gint64 start, elapsed;

  ws = ws_open (ts, token, -1);
  set_limits (ts, 0, 1000, 2500, 0, 0);
  start = g_get_monotonic_time ();
  raw = raw_open (ts, token, 0);
  g_assert_cmpuint (n_clients (ts), ==, 2);

  g_assert_true (wait_for (clients_are, &one, 10000));
  elapsed = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("silent peer dropped after %" G_GINT64_FORMAT " ms", elapsed);
  g_assert_cmpint (elapsed, >=, 2400);

  /* The silent peer got pings, then the end. */
  raw_read_until_closed (raw);

  /* The client that answers pings is still there well past the timeout. */
  spin (3500);
  g_assert_false (ws->closed);
  g_assert_cmpint (soup_websocket_connection_get_state (ws->conn), ==,
                   SOUP_WEBSOCKET_STATE_OPEN);
  g_assert_cmpuint (n_clients (ts), ==, 1);

  raw_free (raw);
  ws_free (ws);
  server_free (ts);
}

/* A fragmented message over the incoming cap (each fragment under the frame limit) closes
 * the connection; a small fragmented one does not. */
static void
test_incoming_cap (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  KefuStore *store = store_of (ts);
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autofree char *chunk = g_strnfill (1000, 'a');
  g_autofree char *filler = g_strnfill (3000 - 8, 'a');
  g_autofree char *object = g_strdup_printf ("{\"p\":\"%s\"}", filler);
  ClientsCheck one = { ts, 1 };
  Ws *ws;
  Raw *raw, *single;
  guint8 opcode;
  gint64 seq;

  ws = ws_open (ts, token, -1);
  set_limits (ts, 0, 0, 0, 4096, 0);
  raw = raw_open (ts, token, 0);

  /* 3 × 1000 bytes: under the cap (a JSON object, the only message a client may send) */
  raw_send_frame (raw, 0x1, FALSE, object, 1000);
  raw_send_frame (raw, 0x0, FALSE, object + 1000, 1000);
  raw_send_frame (raw, 0x0, TRUE, object + 2000, 1000);
  /* and again, to show the count starts over with each message */
  raw_send_frame (raw, 0x1, FALSE, object, 1000);
  raw_send_frame (raw, 0x0, FALSE, object + 1000, 1000);
  raw_send_frame (raw, 0x0, TRUE, object + 2000, 1000);
  seq = append_events (store, 1, 10);
  g_assert_true (raw_read_frame (raw, &opcode, payload));
  g_assert_cmpuint (opcode, ==, 0x1);
  {
    g_autofree char *expected = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT ",", seq);

    g_assert_true (g_str_has_prefix ((const char *) payload->data, expected));
  }
  g_assert_cmpuint (n_clients (ts), ==, 2);

  /* 6 × 1000 bytes, never finished: closed. */
  raw_send_frame (raw, 0x1, FALSE, chunk, 1000);
  for (guint i = 0; i < 5; i++)
    raw_send_frame (raw, 0x0, FALSE, chunk, 1000);
  raw_read_until_closed (raw);
  g_assert_true (wait_for (clients_are, &one, WAIT_MS));

  /* One frame over the limit: closed too (libsoup's max-incoming-payload-size). */
  single = raw_open (ts, token, 0);
  g_assert_cmpuint (n_clients (ts), ==, 2);
  {
    g_autofree char *big = g_strnfill (5000, 'b');

    raw_send_frame (single, 0x1, TRUE, big, 5000);
  }
  raw_read_until_closed (single);
  g_assert_true (wait_for (clients_are, &one, WAIT_MS));

  /* The well-behaved client saw the event and is unaffected. */
  ws_wait (ws, 1);
  g_assert_false (ws->closed);

  raw_free (raw);
  raw_free (single);
  ws_free (ws);
  server_free (ts);
}

/* Reads frames until the server's close frame; checks its code and the start of its reason,
 * and answers it so that the server lets the connection go. */
static void
raw_expect_close (Raw        *raw,
                  gushort     code,
                  const char *reason_prefix)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autofree char *reason = NULL;
  guint8 opcode = 0;

  do
    {
      if (!raw_read_frame (raw, &opcode, payload))
        g_error ("the connection ended without a close frame (expected %u)", code);
    }
  while (opcode != 0x8);

  g_assert_cmpuint (payload->len, >=, 2);
  g_assert_cmpuint (payload->len, <=, 125);
  g_assert_cmpuint ((payload->data[0] << 8) | payload->data[1], ==, code);
  reason = g_strndup ((const char *) payload->data + 2, payload->len - 2);
  g_assert_true (g_utf8_validate (reason, -1, NULL));
  if (!g_str_has_prefix (reason, reason_prefix))
    g_error ("close reason \"%s\", expected it to start with \"%s\"", reason, reason_prefix);

  raw_send_frame (raw, 0x8, TRUE, (const char *) payload->data, 2);
  raw_read_until_closed (raw);
}

static void
assert_healthy (KefuTestServer *ts)
{
  g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "GET", "/health", NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (kefu_test_object (r), "status"), ==, "ok");
}

/* Client messages: a JSON object is accepted as a sign of life and ignored; anything else
 * closes the connection with 1007 (1003 for binary) and a reason, a message past the size cap
 * is cut off, and the server goes on serving everyone else. Nesting is bounded before json-glib sees it:
 * 60,000 levels of '[' would overflow the main thread's stack otherwise. */
static void
test_client_messages (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  g_autofree char *deep = g_strnfill (60000, '[');
  g_autofree char *deeper = g_strnfill (100000, '[');
  g_autofree char *at_limit = NULL;
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  KefuStore *store = store_of (ts);
  ClientsCheck one = { ts, 1 };
  static const struct {
    guint8       opcode;
    const char  *text;
    gushort      code;
    const char  *reason;
  } bad[] = {
    { 0x1, "hello", 1007, "bad_json: not valid JSON" },
    { 0x1, "[1,2]", 1007, "bad_json: a message must be a JSON object" },
    { 0x1, "{\"type\":1}", 1007, "bad_json: a message's type must be a string" },
    { 0x1, "{\"a\":'[[[['}", 1007, "bad_json: not valid JSON" },
    { 0x1, "{\"n\":-18446744073709551615}", 1007, "bad_json: n is out of range" },
    { 0x2, "{}", 1003, "bad_json: only text messages" },
  };
  static const char * const good[] = {
    "{}", "{\"type\":\"ping\"}", "{\"type\":\"not-yet-known\",\"x\":[1,\"]]]\"]}",
  };
  guint8 opcode;
  Ws *ws;
  Raw *raw;

  ws = ws_open (ts, token, -1);

  /* Accepted: objects, whatever their type, and objects nested exactly 64 deep. */
  {
    GString *s = g_string_new ("{\"a\":");

    for (guint i = 1; i < 64; i++)
      g_string_append_c (s, '[');
    for (guint i = 1; i < 64; i++)
      g_string_append_c (s, ']');
    g_string_append_c (s, '}');
    at_limit = g_string_free (s, FALSE);
  }
  raw = raw_open (ts, token, 0);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    raw_send_frame (raw, 0x1, TRUE, good[i], strlen (good[i]));
  raw_send_frame (raw, 0x1, TRUE, at_limit, strlen (at_limit));
  {
    gint64 seq = append_events (store, 1, 10);
    g_autofree char *expected = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT ",", seq);

    g_assert_true (raw_read_frame (raw, &opcode, payload));
    g_assert_cmpuint (opcode, ==, 0x1);
    g_byte_array_append (payload, (const guint8 *) "", 1);
    g_assert_true (g_str_has_prefix ((const char *) payload->data, expected));
  }
  g_assert_cmpuint (n_clients (ts), ==, 2);

  /* One level more than that: closed, and the reason says why. */
  {
    g_autofree char *over = g_strdup_printf ("{\"a\":%s", deep + 60000 - 64);

    raw_send_frame (raw, 0x1, TRUE, over, strlen (over));
    raw_expect_close (raw, 1007, "bad_json: JSON nested deeper than 64 levels");
  }
  raw_free (raw);
  g_assert_true (wait_for (clients_are, &one, WAIT_MS));

  /* 60,000 levels, under the 64 KiB cap: refused by the depth check. */
  raw = raw_open (ts, token, 0);
  raw_send_frame (raw, 0x1, TRUE, deep, 60000);
  raw_expect_close (raw, 1007, "bad_json: JSON nested deeper than 64 levels");
  raw_free (raw);
  assert_healthy (ts);

  /* 100,000 levels: over the 64 KiB cap, cut as soon as the frame header is read, before
   * any of it is decoded. */
  raw = raw_open (ts, token, 0);
  raw_send_frame (raw, 0x1, TRUE, deeper, 100000);
  g_assert_cmpuint (raw_read_until_closed (raw), ==, 0);
  raw_free (raw);
  g_assert_true (wait_for (clients_are, &one, WAIT_MS));
  assert_healthy (ts);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      raw = raw_open (ts, token, 0);
      raw_send_frame (raw, bad[i].opcode, TRUE, bad[i].text, strlen (bad[i].text));
      raw_expect_close (raw, bad[i].code, bad[i].reason);
      raw_free (raw);
    }
  g_assert_true (wait_for (clients_are, &one, WAIT_MS));
  assert_healthy (ts);

  /* The well-behaved client saw the events and is unaffected. */
  append_events (store, 1, 10);
  ws_wait (ws, 2);
  g_assert_false (ws->closed);

  ws_free (ws);
  server_free (ts);
}

typedef struct {
  guint baseline;
} FdCheck;

static gboolean
fds_back (gpointer data)
{
  return kefu_http_guard_count_open_fds () <= ((FdCheck *) data)->baseline;
}

/* Connections that end in any way (closed by the client, cut, dropped by the server) leave
 * no descriptor behind. */
static void
test_no_fd_leak (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "agent", "demo");
  ClientsCheck none = { ts, 0 };
  FdCheck check;
  Ws *ws[10];
  Raw *raw[6];
  Ws *first;

  first = ws_open (ts, token, -1);
  set_limits (ts, 0, 0, 0, 1024, 0);
  ws_free (first);
  g_assert_true (wait_for (clients_are, &none, WAIT_MS));
  check.baseline = kefu_http_guard_count_open_fds ();
  g_assert_cmpuint (check.baseline, >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ws); i++)
    ws[i] = ws_open (ts, token, -1);
  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    raw[i] = raw_open (ts, token, 0);
  g_assert_cmpuint (n_clients (ts), ==, G_N_ELEMENTS (ws) + G_N_ELEMENTS (raw));
  g_assert_cmpuint (kefu_http_guard_count_open_fds (), >=,
                    check.baseline + G_N_ELEMENTS (ws) + G_N_ELEMENTS (raw));

  for (guint i = 0; i < G_N_ELEMENTS (ws); i++)
    ws_free (ws[i]);
  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    {
      if (i % 2 == 0)
        {
          g_autofree char *big = g_strnfill (2000, 'b');

          raw_send_frame (raw[i], 0x2, TRUE, big, 2000);   /* over the cap: dropped */
          raw_read_until_closed (raw[i]);
        }
      raw_free (raw[i]);                                  /* or just cut */
    }

  g_assert_true (wait_for (clients_are, &none, WAIT_MS));
  if (!wait_for (fds_back, &check, WAIT_MS))
    g_error ("%u descriptors open, %u before", kefu_http_guard_count_open_fds (),
             check.baseline);

  server_free (ts);
}

/* Stopping the server closes clients with 1001 going away; after the restart a client
 * resumes from the log (the ring starts empty). */
static void
test_server_stop (void)
{
  KefuTestServer *ts = server_new ();
  g_autofree char *token = kefu_test_login (ts, "supervisor", "demo");
  g_autofree char *token2 = NULL;
  KefuStore *store = store_of (ts);
  gint64 seq;
  Ws *ws;

  ws = ws_open (ts, token, -1);
  seq = append_events (store, 2, 10);
  ws_wait (ws, 2);

  /* The old server's last emissions come before the new one's first (its start-up commit). */
  g_mutex_lock (&capture_mutex);
  captured_store = NULL;
  g_mutex_unlock (&capture_mutex);
  kefu_test_server_restart (ts);
  g_mutex_lock (&capture_mutex);
  captured_hub = NULL;
  g_mutex_unlock (&capture_mutex);

  g_assert_true (wait_for (ws_closed, ws, WAIT_MS));
  g_assert_cmpuint (soup_websocket_connection_get_close_code (ws->conn), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  ws_free (ws);

  store = store_of (ts);
  append_events (store, 2, 10);
  token2 = kefu_test_login (ts, "supervisor", "demo");
  ws = ws_open (ts, token2, seq);
  ws_wait (ws, 2);
  assert_seqs (ws, 0, 2, seq + 1);
  ws_free (ws);

  server_free (ts);
}

static void
drop_log (const char     *domain,
          GLogLevelFlags  level,
          const char     *message,
          gpointer        data)
{
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* libsoup logs every WebSocket frame at debug level (thousands of lines here), and the
   * test framework's log handler prints every level. */
  if (g_getenv ("G_MESSAGES_DEBUG") == NULL)
    {
      g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, drop_log, NULL);
      g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG, drop_log, NULL);
    }

  /* Signals exist once their classes do. */
  g_type_class_unref (g_type_class_ref (KEFU_TYPE_STORE));
  g_type_class_unref (g_type_class_ref (KEFU_TYPE_EVENT_HUB));
  g_signal_add_emission_hook (g_signal_lookup ("committed", KEFU_TYPE_STORE), 0, store_hook,
                              NULL, NULL);
  g_signal_add_emission_hook (g_signal_lookup ("clients-changed", KEFU_TYPE_EVENT_HUB), 0,
                              hub_hook, NULL, NULL);

  g_test_add_func ("/events/handshake-auth", test_handshake_auth);
  g_test_add_func ("/events/expired-session", test_expired_session);
  g_test_add_func ("/events/hello", test_hello);
  g_test_add_func ("/events/two-clients", test_two_clients);
  g_test_add_func ("/events/alert-recipients", test_alert_recipients);
  g_test_add_func ("/events/resume", test_resume);
  g_test_add_func ("/events/since-zero", test_since_zero);
  g_test_add_func ("/events/replay-while-live", test_replay_while_live);
  g_test_add_func ("/events/replay-slow-reader", test_replay_slow_reader);
  g_test_add_func ("/events/resync", test_resync);
  g_test_add_func ("/events/phone-masking", test_phone_masking);
  g_test_add_func ("/events/stalled-reader", test_stalled_reader);
  g_test_add_func ("/events/pong-timeout", test_pong_timeout);
  g_test_add_func ("/events/incoming-cap", test_incoming_cap);
  g_test_add_func ("/events/client-messages", test_client_messages);
  g_test_add_func ("/events/no-fd-leak", test_no_fd_leak);
  g_test_add_func ("/events/server-stop", test_server_stop);

  return g_test_run ();
}
