/* kefu-event-hub.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox (the events table) is the only source of events: every change appends its row
 * in the transaction of the change, and after each commit the store emits ::committed on the
 * main thread. The hub then reads the rows after the newest seq it has seen, keeps the last
 * ring_size of them in memory as ready-to-send text, and pumps every client.
 *
 * Each client has a cursor: the seq of the last event it was sent (or skipped). Pumping a
 * client sends the events after its cursor in order, taking them from the ring when the ring
 * still holds them and otherwise from the table, in chunks. Live delivery and replay after
 * `since` are this one loop, so a client that connects with since=N while events keep
 * arriving gets every event after N once and in order, and nothing before N.
 *
 * Flow control: what a client's connection still owes it is the payload the hub queued
 * minus what KefuWsStream saw reach the kernel. A client catching up (replay) stops when that
 * would pass max_backlog_bytes and resumes when half of it has been written; a client that
 * was caught up once and then owes more than max_backlog_bytes is too slow and is dropped (it
 * resumes with since). Either way the memory libsoup holds per connection stays bounded.
 *
 * Liveness: libsoup pings every ping_interval (rounded up to whole seconds, its unit); one hub
 * timer, running only while clients exist, drops connections from which neither a pong nor a
 * message came for pong_timeout_ms.
 */
#include "config.h"

#include <string.h>

#include "kefu-alert.h"
#include "kefu-client-message.h"
#include "kefu-event-hub.h"
#include "kefu-ticket.h"
#include "kefu-ws-stream.h"

#define DEFAULT_MAX_BACKLOG_BYTES  (4 * 1024 * 1024)
#define DEFAULT_PING_INTERVAL_MS   30000
#define DEFAULT_PONG_TIMEOUT_MS    75000
#define DEFAULT_MAX_INCOMING_BYTES (64 * 1024)
#define DEFAULT_RING_SIZE          4096

#define READ_CHUNK   256    /* outbox rows per query */
#define PUMP_BUDGET  1024   /* messages per client per main-loop turn; the rest in an idle */

/* ---- events ------------------------------------------------------------------------------ */

typedef struct {
  grefcount  ref_count;
  gint64     seq;
  char      *text;         /* {"seq":…,"type":…,"at":…,"data":DATA} as stored */
  gsize      len;
  gsize      data_offset;  /* where DATA starts in text; it ends before the final '}' */
  char      *masked;       /* the variant with customer.phone masked, made on first use */
  gsize      masked_len;
  gboolean   masked_made;  /* masked == NULL after that: nothing to mask, send text */
  KefuAlert *recipients;   /* alert.* events: who may see them, parsed on first use */
  gboolean   recipients_made;
} HubEvent;

static HubEvent *
hub_event_ref (HubEvent *ev)
{
  g_ref_count_inc (&ev->ref_count);
  return ev;
}

static void
hub_event_unref (HubEvent *ev)
{
  if (ev == NULL || !g_ref_count_dec (&ev->ref_count))
    return;
  g_free (ev->text);
  g_free (ev->masked);
  g_clear_pointer (&ev->recipients, kefu_alert_free);
  g_free (ev);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubEvent, hub_event_unref)

static void
append_json_string (GString    *s,
                    const char *str)
{
  g_string_append_c (s, '"');
  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      else if (*p < 0x20)
        {
          g_string_append_printf (s, "\\u%04x", *p);
        }
      else
        {
          g_string_append_c (s, *p);
        }
    }
  g_string_append_c (s, '"');
}

static gboolean
valid_text (const char *text,
            gsize       len)
{
  /* libsoup sends text frames only of valid UTF-8, measured with strlen() */
  return text != NULL && memchr (text, '\0', len) == NULL && g_utf8_validate (text, len, NULL);
}

/* The message text is built by concatenation: @data is the JSON text the outbox stored. */
static HubEvent *
hub_event_new (gint64      seq,
               const char *type,
               gint64      at,
               const char *data,
               gsize       data_len)
{
  HubEvent *ev = g_new0 (HubEvent, 1);
  g_autofree char *at_text = kefu_time_to_iso8601 (at);
  GString *s = g_string_sized_new (data_len + 96);

  g_ref_count_init (&ev->ref_count);
  ev->seq = seq;

  if (type == NULL || !valid_text (type, strlen (type)))
    type = "unknown";
  if (data == NULL || data_len == 0 || !valid_text (data, data_len))
    {
      if (data != NULL && data_len > 0)
        g_warning ("Outbox event %" G_GINT64_FORMAT " has data that is not text; sent as null",
                   seq);
      data = "null";
      data_len = 4;
    }

  g_string_append_printf (s, "{\"seq\":%" G_GINT64_FORMAT ",\"type\":", seq);
  append_json_string (s, type);
  g_string_append (s, ",\"at\":");
  if (at_text != NULL)
    append_json_string (s, at_text);
  else
    g_string_append (s, "null");
  g_string_append (s, ",\"data\":");
  ev->data_offset = s->len;
  g_string_append_len (s, data, data_len);
  g_string_append_c (s, '}');

  ev->len = s->len;
  ev->text = g_string_free (s, FALSE);
  return ev;
}

static void
hub_event_make_masked (HubEvent *ev)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = NULL;
  g_autofree char *masked_phone = NULL;
  g_autofree char *data = NULL;
  JsonNode *root;
  JsonObject *object, *customer;
  const char *phone;
  GString *s;

  ev->masked_made = TRUE;

  if (!json_parser_load_from_data (parser, ev->text + ev->data_offset,
                                   ev->len - ev->data_offset - 1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "customer") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "customer")))
    return;
  customer = json_object_get_object_member (object, "customer");
  if (!json_object_has_member (customer, "phone") ||
      json_node_get_value_type (json_object_get_member (customer, "phone")) != G_TYPE_STRING)
    return;

  phone = json_object_get_string_member (customer, "phone");
  masked_phone = kefu_mask_phone (phone);
  if (masked_phone != NULL)
    json_object_set_string_member (customer, "phone", masked_phone);
  else
    json_object_set_null_member (customer, "phone");

  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, NULL);

  s = g_string_sized_new (ev->len);
  g_string_append_len (s, ev->text, ev->data_offset);
  g_string_append (s, data);
  g_string_append_c (s, '}');
  ev->masked_len = s->len;
  ev->masked = g_string_free (s, FALSE);
}

static const char *
hub_event_text (HubEvent *ev,
                gboolean  masked,
                gsize    *out_len)
{
  if (masked)
    {
      if (!ev->masked_made)
        hub_event_make_masked (ev);
      if (ev->masked != NULL)
        {
          *out_len = ev->masked_len;
          return ev->masked;
        }
    }
  *out_len = ev->len;
  return ev->text;
}

/* ---- the hub ----------------------------------------------------------------------------- */

typedef struct {
  KefuEventHub            *hub;
  GList                   *link;          /* in hub->clients */
  SoupWebsocketConnection *conn;
  KefuWsStream            *stream;        /* NULL when the connection is not over one */
  GSocket                 *socket;        /* may be NULL */
  gint64                   user_id;
  KefuRole                 role;
  char                    *department;
  gboolean                 masked;

  gint64                   cursor;        /* the last seq sent or skipped */
  GQueue                   pending;       /* of HubEvent*: the events right after cursor, read
                                           * from the log or put back when the backlog was full */
  guint64                  queued;        /* payload bytes handed to libsoup */
  guint64                  writable_mark; /* without a KefuWsStream: queued when last writable */
  gint64                   last_heard;    /* monotonic µs of the last pong or message */
  gboolean                 live;          /* has been caught up once */
  gboolean                 waiting;       /* paused until its backlog has drained */
  gboolean                 needs_pump;

  gulong                   message_id;
  gulong                   pong_id;
  gulong                   closed_id;
} Client;

struct _KefuEventHub
{
  GObject             parent_instance;

  KefuStore          *store;
  GMainContext       *context;
  gulong              committed_id;
  KefuEventHubLimits  limits;
  gboolean            closed;

  gint64              last_seq;     /* the newest seq read */
  gint64              ring_base;    /* the ring holds every event after this seq */
  HubEvent          **ring;
  guint               ring_cap;
  guint               ring_start;
  guint               ring_len;

  GQueue              clients;      /* of Client* */
  GSource            *sweep;
  GSource            *pump_idle;
};

G_DEFINE_FINAL_TYPE (KefuEventHub, kefu_event_hub, G_TYPE_OBJECT)

enum {
  CLIENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_clients_changed (KefuEventHub *self)
{
  g_signal_emit (self, signals[CLIENTS_CHANGED], 0, g_queue_get_length (&self->clients));
}

static void client_pump   (KefuEventHub *self,
                           Client       *c);
static void client_remove (KefuEventHub *self,
                           Client       *c);

/* ---- the ring ---------------------------------------------------------------------------- */

static HubEvent *
ring_at (KefuEventHub *self,
         guint         i)
{
  return self->ring[(self->ring_start + i) % self->ring_cap];
}

static void
ring_push (KefuEventHub *self,
           HubEvent     *ev)   /* takes a reference */
{
  if (self->ring_cap == 0)
    {
      self->ring_base = ev->seq;
      hub_event_unref (ev);
      return;
    }

  if (self->ring_len == self->ring_cap)
    {
      HubEvent *oldest = self->ring[self->ring_start];

      self->ring_base = oldest->seq;
      hub_event_unref (oldest);
      self->ring[self->ring_start] = ev;
      self->ring_start = (self->ring_start + 1) % self->ring_cap;
      return;
    }

  self->ring[(self->ring_start + self->ring_len) % self->ring_cap] = ev;
  self->ring_len++;
}

/* The first event after @cursor in the ring, or NULL. */
static HubEvent *
ring_find_after (KefuEventHub *self,
                 gint64        cursor)
{
  guint lo = 0, hi = self->ring_len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ring_at (self, mid)->seq > cursor)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo < self->ring_len ? ring_at (self, lo) : NULL;
}

static void
ring_resize (KefuEventHub *self,
             guint         cap)
{
  HubEvent **ring = g_new0 (HubEvent *, MAX (cap, 1));
  guint keep = MIN (self->ring_len, cap);
  guint drop = self->ring_len - keep;

  for (guint i = 0; i < drop; i++)
    {
      HubEvent *ev = ring_at (self, i);

      self->ring_base = ev->seq;
      hub_event_unref (ev);
    }
  for (guint i = 0; i < keep; i++)
    ring[i] = ring_at (self, drop + i);

  g_free (self->ring);
  self->ring = ring;
  self->ring_cap = cap;
  self->ring_start = 0;
  self->ring_len = keep;
}

/* ---- the log ----------------------------------------------------------------------------- */

static KefuDb *
reader (KefuEventHub  *self,
        GError       **error)
{
  KefuDb *db = self->store ? kefu_store_get_reader (self->store) : NULL;

  if (db == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the store is closed");
  return db;
}

static gint64
query_int (KefuEventHub  *self,
           const char    *sql,
           gint64         if_null,
           GError       **error)
{
  KefuDb *db = reader (self, error);
  sqlite3_stmt *stmt;
  gint64 value = if_null;
  int rc;

  if (db == NULL || (stmt = kefu_db_prepare (db, sql, error)) == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    value = (kefu_db_fail (db, error), -1);
  sqlite3_reset (stmt);
  return value;
}

/* The newest seq ever given out: the table's maximum, or the AUTOINCREMENT counter when the
 * newest rows have been pruned. */
static gint64
log_newest (KefuEventHub  *self,
            GError       **error)
{
  gint64 max_row, counter;

  max_row = query_int (self, "SELECT max(seq) FROM events", 0, error);
  if (max_row < 0)
    return -1;
  counter = query_int (self, "SELECT seq FROM sqlite_sequence WHERE name = 'events'", 0, error);
  if (counter < 0)
    return -1;
  return MAX (max_row, counter);
}

/* Rows with after < seq <= upto, oldest first, at most @limit. */
static gboolean
log_read (KefuEventHub  *self,
          gint64         after,
          gint64         upto,
          guint          limit,
          GPtrArray     *out,
          GError       **error)
{
  KefuDb *db = reader (self, error);
  sqlite3_stmt *stmt;
  int rc;

  if (db == NULL)
    return FALSE;
  stmt = kefu_db_prepare (db,
                          "SELECT seq, type, at, data FROM events"
                          " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, upto);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, hub_event_new (sqlite3_column_int64 (stmt, 0),
                                         kefu_db_column_text (stmt, 1),
                                         sqlite3_column_int64 (stmt, 2),
                                         (const char *) sqlite3_column_text (stmt, 3),
                                         sqlite3_column_bytes (stmt, 3)));

  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);   /* ends the read transaction: WAL checkpoints need that */
  return TRUE;
}

/* Whether the log no longer holds every event after @since (it may be pruned). */
static gboolean
log_gone_after (KefuEventHub *self,
                gint64        since)
{
  g_autoptr(GError) error = NULL;
  gint64 oldest;

  if (since >= self->last_seq)
    return FALSE;
  oldest = query_int (self, "SELECT min(seq) FROM events", G_MAXINT64, &error);
  if (error != NULL)
    {
      g_warning ("Cannot read the event log: %s", error->message);
      return TRUE;
    }
  return oldest > since + 1;
}

/* ---- clients ----------------------------------------------------------------------------- */

static gboolean
client_is_open (Client *c)
{
  return soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* Payload bytes queued in libsoup that have not reached the kernel yet. */
static guint64
client_backlog (Client *c)
{
  if (c->stream != NULL)
    {
      guint64 written = kefu_ws_stream_get_data_bytes_written (c->stream);

      return c->queued > written ? c->queued - written : 0;
    }

  /* Without a KefuWsStream: what was queued since the socket was last seen writable. */
  if (c->socket == NULL)
    return 0;
  if (g_socket_condition_check (c->socket, G_IO_OUT) & G_IO_OUT)
    c->writable_mark = c->queued;
  return c->queued - c->writable_mark;
}

static void
client_send (Client     *c,
             const char *text,
             gsize       len)
{
  if (!client_is_open (c))
    return;
  /* Counted before: libsoup may write (and KefuWsStream count) within the call. */
  c->queued += len;
  soup_websocket_connection_send_text (c->conn, text);
}

static void
client_clear_pending (Client *c)
{
  g_queue_clear_full (&c->pending, (GDestroyNotify) hub_event_unref);
}

static void
client_resync (KefuEventHub *self,
               Client       *c)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"resync\",\"seq\":%" G_GINT64_FORMAT "}",
                                           self->last_seq);

  client_clear_pending (c);
  client_send (c, text, strlen (text));
  c->cursor = self->last_seq;
}

/* Whether @c is to receive @ev. Every event goes to every signed-in client for now.
 * Hook: alert events (alert.raised, alert.acked) will carry "recipients" (the users and roles
 * an alert is addressed to); filter them here. The cursor moves past an event a client does
 * not see, so what it does receive keeps a strictly increasing seq. */
/* The recipients of an alert.* event, or NULL for any other event. */
static const KefuAlert *
hub_event_recipients (HubEvent *ev)
{
  static const char prefix[] = "\"type\":\"alert.";
  g_autoptr(JsonNode) root = NULL;
  JsonObject *data, *recipients;

  if (ev->recipients_made)
    return ev->recipients;
  ev->recipients_made = TRUE;

  if (strstr (ev->text, prefix) == NULL || strstr (ev->text, prefix) > ev->text + ev->data_offset)
    return NULL;

  root = json_from_string (ev->text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  data = json_object_get_object_member (json_node_get_object (root), "data");
  if (data == NULL || !json_object_has_member (data, "recipients"))
    return NULL;
  recipients = json_object_get_object_member (data, "recipients");

  /* Nobody but the addressees, unless the alert says otherwise below. */
  ev->recipients = kefu_alert_new (KEFU_ALERT_WARNING);
  if (recipients != NULL)
    {
      const char *role = json_object_get_string_member_with_default (recipients, "role", NULL);
      const char *dept = json_object_get_string_member_with_default (recipients, "department",
                                                                     NULL);

      if (role == NULL || !kefu_role_from_string (role, &ev->recipients->recipient_role))
        ev->recipients->recipient_role = KEFU_ROLE_LAST;
      ev->recipients->recipient_user_id =
        json_object_get_int_member_with_default (recipients, "user_id", 0);
      ev->recipients->department = g_strdup (dept);
    }
  return ev->recipients;
}

/* Alerts go to their addressees only (the same rule as GET /alerts); everything else to all. */
static gboolean
client_may_see (Client   *c,
                HubEvent *ev)
{
  const KefuAlert *recipients = hub_event_recipients (ev);
  KefuUser user = { 0, };

  if (recipients == NULL)
    return TRUE;

  user.id = c->user_id;
  user.role = c->role;
  user.department = c->department;
  return kefu_alert_is_addressed_to (recipients, &user);
}

/* The next event after the client's cursor (a new reference), or NULL when there is none
 * yet; *gone when the log no longer holds it. */
static HubEvent *
client_next_event (KefuEventHub *self,
                   Client       *c,
                   gboolean     *gone)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  HubEvent *ev;

  if (!g_queue_is_empty (&c->pending))
    return g_queue_pop_head (&c->pending);

  if (c->cursor >= self->ring_base)
    {
      ev = ring_find_after (self, c->cursor);
      return ev ? hub_event_ref (ev) : NULL;
    }

  /* Behind the ring: replay from the log. */
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hub_event_unref);
  if (!log_read (self, c->cursor, self->last_seq, READ_CHUNK, rows, &error))
    {
      g_warning ("Cannot read the event log: %s", error->message);
      return NULL;
    }
  if (rows->len == 0 || ((HubEvent *) rows->pdata[0])->seq != c->cursor + 1)
    {
      *gone = TRUE;
      return NULL;
    }
  for (guint i = 0; i < rows->len; i++)
    g_queue_push_tail (&c->pending, g_steal_pointer (&rows->pdata[i]));
  return g_queue_pop_head (&c->pending);
}

static void
client_drop (KefuEventHub *self,
             Client       *c,
             gushort       code,
             const char   *reason)
{
  g_autoptr(SoupWebsocketConnection) conn = g_object_ref (c->conn);
  g_autoptr(KefuWsStream) stream = c->stream ? g_object_ref (c->stream) : NULL;

  g_debug ("Dropping event client (user %" G_GINT64_FORMAT "): %s", c->user_id, reason);
  client_remove (self, c);

  /* With every read and write failing, the write that queuing the close frame triggers makes
   * libsoup close the stream at once and free the frames it held. */
  if (stream != NULL)
    kefu_ws_stream_abort (stream);
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn, code, reason);
}

static void
schedule_pump (KefuEventHub *self,
               Client       *c);

static void
client_pump (KefuEventHub *self,
             Client       *c)
{
  guint budget = PUMP_BUDGET;

  c->needs_pump = FALSE;

  while (c->cursor < self->last_seq)
    {
      g_autoptr(HubEvent) ev = NULL;
      gboolean gone = FALSE;
      const char *text;
      gsize len;
      guint64 backlog;

      if (!client_is_open (c))
        return;
      if (budget-- == 0)
        {
          schedule_pump (self, c);
          return;
        }

      ev = client_next_event (self, c, &gone);
      if (gone)
        {
          client_resync (self, c);
          continue;
        }
      if (ev == NULL)
        return;   /* the log could not be read: tried again on the next commit */

      if (!client_may_see (c, ev))
        {
          c->cursor = ev->seq;
          continue;
        }

      text = hub_event_text (ev, c->masked, &len);
      backlog = client_backlog (c);
      if (backlog > 0 && backlog + len > self->limits.max_backlog_bytes)
        {
          g_autofree char *reason = NULL;

          if (!c->live)
            {
              /* Catching up: go on once the peer has read some. */
              g_queue_push_head (&c->pending, g_steal_pointer (&ev));
              c->waiting = TRUE;
              return;
            }
          reason = g_strdup_printf ("too slow: %" G_GUINT64_FORMAT " bytes unsent", backlog);
          client_drop (self, c, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, reason);
          return;
        }

      client_send (c, text, len);
      c->cursor = ev->seq;
    }

  c->live = TRUE;
  c->waiting = FALSE;
}

static gboolean
pump_idle_cb (gpointer data)
{
  KefuEventHub *self = data;
  GList *next;

  g_clear_pointer (&self->pump_idle, g_source_unref);

  for (GList *l = self->clients.head; l != NULL; l = next)
    {
      Client *c = l->data;

      next = l->next;
      if (c->needs_pump)
        client_pump (self, c);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_pump (KefuEventHub *self,
               Client       *c)
{
  c->needs_pump = TRUE;
  if (self->pump_idle != NULL || self->closed)
    return;
  self->pump_idle = g_idle_source_new ();
  g_source_set_static_name (self->pump_idle, "KefuEventHub pump");
  g_source_set_callback (self->pump_idle, pump_idle_cb, self, NULL);
  g_source_attach (self->pump_idle, self->context);
}

static void
on_written (KefuWsStream *stream,
            gpointer      user_data)
{
  Client *c = user_data;

  /* Called from within libsoup's write: only note it, pump from an idle. */
  if (c->waiting && client_backlog (c) <= c->hub->limits.max_backlog_bytes / 2)
    {
      c->waiting = FALSE;
      schedule_pump (c->hub, c);
    }
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Client *c = user_data;
  g_auto(KefuClientMessage) decoded = { 0 };
  g_autoptr(GError) error = NULL;
  gushort code;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  if (!kefu_client_message_decode (type, data, len, &decoded, &code, &error))
    {
      g_autofree char *reason = kefu_client_message_close_reason (error);

      g_debug ("Closing event client (user %" G_GINT64_FORMAT "): %s", c->user_id, reason);
      /* A clean close, so that the peer reads the code and the reason. The client stays
       * listed until ::closed; a closing connection is sent nothing more. */
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, code, reason);
      return;
    }

  /* Clients have nothing to say yet; a message only shows that the peer is alive. */
  c->last_heard = g_get_monotonic_time ();
}

static void
on_pong (SoupWebsocketConnection *conn,
         GBytes                  *message,
         gpointer                 user_data)
{
  Client *c = user_data;

  c->last_heard = g_get_monotonic_time ();
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  Client *c = user_data;

  client_remove (c->hub, c);
}

static void
stop_sweep (KefuEventHub *self)
{
  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
}

static void
client_remove (KefuEventHub *self,
               Client       *c)
{
  g_signal_handler_disconnect (c->conn, c->message_id);
  g_signal_handler_disconnect (c->conn, c->pong_id);
  g_signal_handler_disconnect (c->conn, c->closed_id);
  if (c->stream != NULL)
    kefu_ws_stream_set_written_func (c->stream, NULL, NULL);
  g_queue_delete_link (&self->clients, c->link);
  client_clear_pending (c);
  g_clear_object (&c->conn);
  g_clear_object (&c->stream);
  g_clear_object (&c->socket);
  g_free (c->department);
  g_free (c);

  if (g_queue_is_empty (&self->clients))
    stop_sweep (self);
  emit_clients_changed (self);
}

static guint
keepalive_seconds (const KefuEventHubLimits *limits)
{
  return limits->ping_interval_ms == 0 ? 0 : MAX (1, (limits->ping_interval_ms + 999) / 1000);
}

static void
client_apply_limits (KefuEventHub *self,
                     Client       *c)
{
  soup_websocket_connection_set_max_incoming_payload_size (c->conn,
                                                           self->limits.max_incoming_bytes);
  soup_websocket_connection_set_keepalive_interval (c->conn, keepalive_seconds (&self->limits));
  if (c->stream != NULL)
    kefu_ws_stream_set_max_message (c->stream, self->limits.max_incoming_bytes);
}

/* ---- the sweep: one timer for every client's pong timeout -------------------------------- */

static gboolean
sweep_cb (gpointer data)
{
  KefuEventHub *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 timeout = (gint64) self->limits.pong_timeout_ms * 1000;
  GList *next;

  for (GList *l = self->clients.head; l != NULL; l = next)
    {
      Client *c = l->data;

      next = l->next;
      if (timeout > 0 && now - c->last_heard > timeout)
        {
          client_drop (self, c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "no answer to pings");
          continue;
        }
      /* Without a KefuWsStream nothing reports a drained backlog: look here. */
      if (c->waiting && c->stream == NULL)
        client_pump (self, c);
    }

  return G_SOURCE_CONTINUE;   /* removed with the last client */
}

static void
ensure_sweep (KefuEventHub *self)
{
  guint interval;

  if (self->sweep != NULL || self->closed || g_queue_is_empty (&self->clients))
    return;

  interval = self->limits.pong_timeout_ms > 0 ? self->limits.pong_timeout_ms / 4 : 1000;
  interval = CLAMP (interval, 10, 5000);
  self->sweep = g_timeout_source_new (interval);
  g_source_set_static_name (self->sweep, "KefuEventHub sweep");
  g_source_set_callback (self->sweep, sweep_cb, self, NULL);
  g_source_attach (self->sweep, self->context);
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
on_committed (KefuStore *store,
              gpointer   user_data)
{
  kefu_event_hub_poll (KEFU_EVENT_HUB (user_data));
}

static void
kefu_event_hub_dispose (GObject *object)
{
  KefuEventHub *self = KEFU_EVENT_HUB (object);

  kefu_event_hub_close_all (self);
  if (self->committed_id != 0)
    {
      g_signal_handler_disconnect (self->store, self->committed_id);
      self->committed_id = 0;
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kefu_event_hub_parent_class)->dispose (object);
}

static void
kefu_event_hub_finalize (GObject *object)
{
  KefuEventHub *self = KEFU_EVENT_HUB (object);

  for (guint i = 0; i < self->ring_len; i++)
    hub_event_unref (ring_at (self, i));
  g_free (self->ring);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (kefu_event_hub_parent_class)->finalize (object);
}

static void
kefu_event_hub_class_init (KefuEventHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kefu_event_hub_dispose;
  object_class->finalize = kefu_event_hub_finalize;

  /**
   * KefuEventHub::clients-changed:
   * @n_clients: the clients connected now
   *
   * Emitted on the hub's thread when a client has come or gone.
   */
  signals[CLIENTS_CHANGED] = g_signal_new ("clients-changed",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
kefu_event_hub_init (KefuEventHub *self)
{
  self->limits.max_backlog_bytes = DEFAULT_MAX_BACKLOG_BYTES;
  self->limits.ping_interval_ms = DEFAULT_PING_INTERVAL_MS;
  self->limits.pong_timeout_ms = DEFAULT_PONG_TIMEOUT_MS;
  self->limits.max_incoming_bytes = DEFAULT_MAX_INCOMING_BYTES;
  self->limits.ring_size = DEFAULT_RING_SIZE;
  g_queue_init (&self->clients);
}

/* ---- API --------------------------------------------------------------------------------- */

KefuEventHub *
kefu_event_hub_new (KefuStore *store)
{
  KefuEventHub *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (KEFU_IS_STORE (store), NULL);

  self = g_object_new (KEFU_TYPE_EVENT_HUB, NULL);
  self->store = g_object_ref (store);
  self->context = g_main_context_ref_thread_default ();
  self->ring_cap = self->limits.ring_size;
  self->ring = g_new0 (HubEvent *, MAX (self->ring_cap, 1));

  self->last_seq = log_newest (self, &error);
  if (self->last_seq < 0)
    {
      g_warning ("Cannot read the event log: %s", error->message);
      self->last_seq = 0;
    }
  self->ring_base = self->last_seq;

  self->committed_id = g_signal_connect_object (store, "committed", G_CALLBACK (on_committed),
                                                self, 0);
  return self;
}

void
kefu_event_hub_set_limits (KefuEventHub             *self,
                           const KefuEventHubLimits *limits)
{
  g_return_if_fail (KEFU_IS_EVENT_HUB (self));
  g_return_if_fail (limits != NULL);

  self->limits = *limits;
  if (self->ring_cap != limits->ring_size)
    ring_resize (self, limits->ring_size);

  for (GList *l = self->clients.head; l != NULL; l = l->next)
    client_apply_limits (self, l->data);

  stop_sweep (self);
  ensure_sweep (self);
}

void
kefu_event_hub_get_limits (KefuEventHub       *self,
                           KefuEventHubLimits *limits)
{
  g_return_if_fail (KEFU_IS_EVENT_HUB (self));
  g_return_if_fail (limits != NULL);

  *limits = self->limits;
}

void
kefu_event_hub_add_client (KefuEventHub            *self,
                           SoupWebsocketConnection *connection,
                           GSocket                 *socket,
                           const KefuUser          *user,
                           gint64                   since)
{
  GIOStream *io;
  Client *c;

  g_return_if_fail (KEFU_IS_EVENT_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  g_return_if_fail (socket == NULL || G_IS_SOCKET (socket));
  g_return_if_fail (user != NULL);

  if (self->closed)
    {
      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "the server is shutting down");
      return;
    }

  /* Judge @since against everything committed so far. */
  kefu_event_hub_poll (self);

  c = g_new0 (Client, 1);
  c->hub = self;
  c->conn = g_object_ref (connection);
  c->socket = socket ? g_object_ref (socket) : NULL;
  c->user_id = user->id;
  c->role = user->role;
  c->department = g_strdup (user->department);
  /* By role: a stream serves every ticket, so the assignee's exception (which GET
   * /tickets/{n} makes) does not apply here. */
  c->masked = !kefu_role_sees_full_phone (user->role);
  c->last_heard = g_get_monotonic_time ();
  g_queue_init (&c->pending);

  io = soup_websocket_connection_get_io_stream (connection);
  if (KEFU_IS_WS_STREAM (io))
    {
      c->stream = g_object_ref (KEFU_WS_STREAM (io));
      kefu_ws_stream_set_written_func (c->stream, on_written, c);
    }
  client_apply_limits (self, c);

  c->message_id = g_signal_connect (connection, "message", G_CALLBACK (on_message), c);
  c->pong_id = g_signal_connect (connection, "pong", G_CALLBACK (on_pong), c);
  c->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_closed), c);

  g_queue_push_tail (&self->clients, c);
  c->link = self->clients.tail;
  ensure_sweep (self);
  emit_clients_changed (self);

  if (since < 0)
    {
      /* Say where the stream starts: a client that loses it before any event arrives can
       * then resume with since=this seq instead of reloading everything. */
      g_autofree char *hello = NULL;

      hello = g_strdup_printf ("{\"type\":\"hello\",\"seq\":%" G_GINT64_FORMAT "}",
                               self->last_seq);

      c->cursor = self->last_seq;
      client_send (c, hello, strlen (hello));
    }
  else if (since > self->last_seq || log_gone_after (self, since))
    {
      client_resync (self, c);
    }
  else
    {
      c->cursor = since;
    }

  client_pump (self, c);
}

guint
kefu_event_hub_get_n_clients (KefuEventHub *self)
{
  g_return_val_if_fail (KEFU_IS_EVENT_HUB (self), 0);
  return g_queue_get_length (&self->clients);
}

gint64
kefu_event_hub_get_last_seq (KefuEventHub *self)
{
  g_return_val_if_fail (KEFU_IS_EVENT_HUB (self), 0);
  return self->last_seq;
}

void
kefu_event_hub_poll (KefuEventHub *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;
  GList *next;

  g_return_if_fail (KEFU_IS_EVENT_HUB (self));

  if (self->closed)
    return;

  before = self->last_seq;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hub_event_unref);
  for (;;)
    {
      g_ptr_array_set_size (rows, 0);
      if (!log_read (self, self->last_seq, G_MAXINT64, READ_CHUNK, rows, &error))
        {
          g_warning ("Cannot read the event log: %s", error->message);
          break;
        }
      for (guint i = 0; i < rows->len; i++)
        {
          HubEvent *ev = rows->pdata[i];

          self->last_seq = ev->seq;
          ring_push (self, hub_event_ref (ev));
        }
      if (rows->len < READ_CHUNK)
        break;
    }

  if (self->last_seq == before)
    return;

  for (GList *l = self->clients.head; l != NULL; l = next)
    {
      Client *c = l->data;

      next = l->next;
      if (!c->waiting)
        client_pump (self, c);
    }
}

void
kefu_event_hub_close_all (KefuEventHub *self)
{
  g_return_if_fail (KEFU_IS_EVENT_HUB (self));

  self->closed = TRUE;

  while (!g_queue_is_empty (&self->clients))
    {
      Client *c = g_queue_peek_head (&self->clients);
      g_autoptr(SoupWebsocketConnection) conn = g_object_ref (c->conn);

      client_remove (self, c);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "the server is shutting down");
    }

  stop_sweep (self);
  if (self->pump_idle != NULL)
    {
      g_source_destroy (self->pump_idle);
      g_clear_pointer (&self->pump_idle, g_source_unref);
    }
}
