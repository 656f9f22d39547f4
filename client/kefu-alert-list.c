/* kefu-alert-list.c — the signed-in user's alerts, kept current by live events
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-alert-list"

#include "config.h"

#include "kefu-alert-list.h"

#define OPEN_PAGE_SIZE   500
#define MAX_OPEN_PAGES   20    /* 10 000 open alerts: far beyond what anyone can work through */
#define ACKED_PAGE_SIZE  100

struct _KefuAlertList
{
  GObject         parent_instance;

  KefuConnection *connection;   /* weak: the connection owns the list */

  GPtrArray      *items;        /* of KefuAlertObject*, owned, newest first */
  GHashTable     *by_id;        /* gint64* (in the object) → KefuAlertObject* (borrowed) */

  /* The load in flight: what it has seen, its requests, how many chains are running. */
  GCancellable   *load_cancellable;
  GHashTable     *reloaded;
  guint           load_pending;
  guint           load_failed : 1;

  KefuConnectionState last_state;

  guint           n_open;
  guint           loaded : 1;
};

static void kefu_alert_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KefuAlertList, kefu_alert_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kefu_alert_list_model_init))

enum {
  PROP_0,
  PROP_N_OPEN,
  PROP_LOADED,
  N_PROPS
};

enum {
  ALERT_RAISED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- GListModel ---------------------------------------------------------------------------- */

static GType
kefu_alert_list_get_item_type (GListModel *model)
{
  return KEFU_TYPE_ALERT_OBJECT;
}

static guint
kefu_alert_list_get_n_items (GListModel *model)
{
  return KEFU_ALERT_LIST (model)->items->len;
}

static gpointer
kefu_alert_list_get_item (GListModel *model,
                          guint       position)
{
  KefuAlertList *self = KEFU_ALERT_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
kefu_alert_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kefu_alert_list_get_item_type;
  iface->get_n_items = kefu_alert_list_get_n_items;
  iface->get_item = kefu_alert_list_get_item;
}

/* ---- state --------------------------------------------------------------------------------- */

static void
update_n_open (KefuAlertList *self)
{
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      if (!kefu_alert_object_get_acked (g_ptr_array_index (self->items, i)))
        n++;
    }

  if (n == self->n_open)
    return;

  self->n_open = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN]);
}

static void
set_loaded (KefuAlertList *self,
            gboolean       loaded)
{
  loaded = !!loaded;
  if (self->loaded == loaded)
    return;

  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/* Newest first: the later creation, then the higher id. */
static gboolean
is_newer (KefuAlertObject *a,
          KefuAlertObject *b)
{
  gint64 ca = kefu_alert_object_get_created_at (a);
  gint64 cb = kefu_alert_object_get_created_at (b);

  if (ca != cb)
    return ca > cb;
  return kefu_alert_object_get_id (a) > kefu_alert_object_get_id (b);
}

/* Returns the object holding the alert; *out_added tells whether it is new. */
static KefuAlertObject *
apply_one (KefuAlertList *self,
           JsonNode      *node,
           gboolean      *out_added)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuAlertObject) alert = kefu_alert_object_new_from_json (node, &error);
  KefuAlertObject *held;
  gint64 *key;
  gint64 id;
  guint position;

  *out_added = FALSE;
  if (alert == NULL)
    {
      g_debug ("Ignoring an alert the client cannot read: %s", error->message);
      return NULL;
    }

  id = kefu_alert_object_get_id (alert);
  held = g_hash_table_lookup (self->by_id, &id);
  if (held != NULL)
    {
      kefu_alert_object_update (held, alert);
    }
  else
    {
      for (position = 0; position < self->items->len; position++)
        {
          if (is_newer (alert, g_ptr_array_index (self->items, position)))
            break;
        }

      key = g_new (gint64, 1);
      *key = id;
      held = alert;
      g_ptr_array_insert (self->items, position, g_steal_pointer (&alert));
      g_hash_table_insert (self->by_id, key, held);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      *out_added = TRUE;
    }

  if (self->reloaded != NULL)
    g_hash_table_add (self->reloaded, held);

  return held;
}

KefuAlertObject *
kefu_alert_list_apply_json (KefuAlertList *self,
                            JsonNode      *node)
{
  KefuAlertObject *alert;
  gboolean added;

  g_return_val_if_fail (KEFU_IS_ALERT_LIST (self), NULL);

  alert = apply_one (self, node, &added);
  update_n_open (self);
  return alert;
}

static void
remove_all (KefuAlertList *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint n = self->items->len;

  g_hash_table_remove_all (self->by_id);
  g_clear_pointer (&self->reloaded, g_hash_table_unref);
  /* The views still hold the objects while they hear of the removal. */
  old = g_steal_pointer (&self->items);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  update_n_open (self);
  set_loaded (self, FALSE);
}

static void
sweep_unseen (KefuAlertList *self,
              GHashTable    *seen)
{
  for (guint i = self->items->len; i > 0; i--)
    {
      g_autoptr(KefuAlertObject) alert = NULL;
      gint64 id;

      if (g_hash_table_contains (seen, g_ptr_array_index (self->items, i - 1)))
        continue;

      alert = g_object_ref (g_ptr_array_index (self->items, i - 1));
      id = kefu_alert_object_get_id (alert);
      g_hash_table_remove (self->by_id, &id);
      g_ptr_array_remove_index (self->items, i - 1);
      g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
    }
}

/* ---- loading ------------------------------------------------------------------------------- */

typedef struct {
  KefuAlertList *self;
  GCancellable  *cancellable;   /* the load's */
  char          *state;         /* "open" or "acked" */
  guint          page;
} Chain;

static void
chain_free (Chain *chain)
{
  g_object_unref (chain->self);
  g_object_unref (chain->cancellable);
  g_free (chain->state);
  g_free (chain);
}

static void fetch_page (Chain *chain, const char *cursor);

static void
chain_done (Chain    *chain,
            gboolean  failed)
{
  KefuAlertList *self = chain->self;

  if (g_cancellable_is_cancelled (chain->cancellable)
      || self->load_cancellable != chain->cancellable)
    return;

  if (failed)
    self->load_failed = TRUE;
  if (--self->load_pending > 0)
    return;

  if (!self->load_failed && self->reloaded != NULL)
    {
      g_autoptr(GHashTable) seen = g_steal_pointer (&self->reloaded);

      sweep_unseen (self, seen);
    }
  g_clear_pointer (&self->reloaded, g_hash_table_unref);
  update_n_open (self);
  set_loaded (self, TRUE);
  g_debug ("Alerts loaded: %u, %u open", self->items->len, self->n_open);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Chain *chain = user_data;
  KefuAlertList *self = chain->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *page;
  JsonArray *alerts;
  JsonNode *next;
  const char *cursor = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (g_cancellable_is_cancelled (chain->cancellable))
    {
      chain_free (chain);
      return;
    }

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer)
      || !json_object_has_member (json_node_get_object (answer), "alerts"))
    {
      g_debug ("Could not load the %s alerts: %s", chain->state,
               error != NULL ? error->message : "not an alert page");
      chain_done (chain, TRUE);
      chain_free (chain);
      return;
    }

  page = json_node_get_object (answer);
  alerts = json_object_get_array_member (page, "alerts");
  for (guint i = 0; alerts != NULL && i < json_array_get_length (alerts); i++)
    {
      gboolean added;

      apply_one (self, json_array_get_element (alerts, i), &added);
    }
  update_n_open (self);

  next = json_object_get_member (page, "next_cursor");
  if (next != NULL && JSON_NODE_HOLDS_VALUE (next)
      && json_node_get_value_type (next) == G_TYPE_STRING)
    cursor = json_node_get_string (next);

  /* Only the open ones are followed to the end; of the acknowledged, the latest page. */
  if (cursor != NULL && g_str_equal (chain->state, "open") && ++chain->page < MAX_OPEN_PAGES)
    {
      fetch_page (chain, cursor);
      return;
    }

  chain_done (chain, FALSE);
  chain_free (chain);
}

static void
fetch_page (Chain      *chain,
            const char *cursor)
{
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  guint limit = g_str_equal (chain->state, "open") ? OPEN_PAGE_SIZE : ACKED_PAGE_SIZE;

  if (cursor != NULL)
    {
      escaped = g_uri_escape_string (cursor, NULL, FALSE);
      path = g_strdup_printf ("/alerts?state=%s&limit=%u&cursor=%s", chain->state, limit,
                              escaped);
    }
  else
    {
      path = g_strdup_printf ("/alerts?state=%s&limit=%u", chain->state, limit);
    }

  kefu_connection_request_async (chain->self->connection, "GET", path, NULL, NULL,
                                 chain->cancellable, page_cb, chain);
}

static void
start_load (KefuAlertList *self)
{
  const char *states[] = { "open", "acked" };

  if (self->connection == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->reloaded, g_hash_table_unref);
  self->reloaded = g_hash_table_new (NULL, NULL);
  self->load_failed = FALSE;
  self->load_pending = G_N_ELEMENTS (states);

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      Chain *chain = g_new0 (Chain, 1);

      chain->self = g_object_ref (self);
      chain->cancellable = g_object_ref (self->load_cancellable);
      chain->state = g_strdup (states[i]);
      fetch_page (chain, NULL);
    }
}

static void
stop_load (KefuAlertList *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->reloaded, g_hash_table_unref);
  self->load_pending = 0;
}

/* ---- the connection ------------------------------------------------------------------------ */

/* A load must start once the event stream is open, so that every change after what it reads
 * arrives as an event: like the tickets (kefu-connection.c), which the connection loads only
 * then. At sign-in the state is "connected" before the stream opens, so the first load waits
 * for the ticket list; after a reconnection the state turns "connected" once the stream is
 * open. */
static void
on_state_changed (KefuAlertList  *self,
                  GParamSpec     *pspec,
                  KefuConnection *connection)
{
  KefuConnectionState state = kefu_connection_get_state (connection);
  KefuConnectionState last = self->last_state;

  self->last_state = state;
  switch (state)
    {
    case KEFU_CONNECTION_STATE_OFFLINE:
    case KEFU_CONNECTION_STATE_CONNECTING:
      /* Signed out, or signing in (perhaps as someone else): nothing of before is theirs. */
      stop_load (self);
      remove_all (self);
      break;

    case KEFU_CONNECTION_STATE_CONNECTED:
      /* The stream reopened: whatever happened meanwhile is in the answer. */
      if (last == KEFU_CONNECTION_STATE_RECONNECTING)
        start_load (self);
      break;

    case KEFU_CONNECTION_STATE_RECONNECTING:
    default:
      break;
    }
}

static void
on_tickets_loaded (KefuAlertList  *self,
                   GParamSpec     *pspec,
                   KefuTicketList *tickets)
{
  /* The stream is open and the tickets are in (at sign-in, and after a reload). */
  if (kefu_ticket_list_get_loaded (tickets))
    start_load (self);
}

static void
on_event (KefuAlertList  *self,
          const char     *type,
          JsonNode       *data,
          KefuConnection *connection)
{
  if (g_strcmp0 (type, "resync") == 0)
    {
      start_load (self);
    }
  else if (g_strcmp0 (type, "alert.raised") == 0 || g_strcmp0 (type, "alert.acked") == 0)
    {
      KefuAlertObject *alert;
      gboolean added;

      alert = apply_one (self, data, &added);
      update_n_open (self);
      if (alert != NULL && added && g_str_equal (type, "alert.raised")
          && !kefu_alert_object_get_acked (alert))
        g_signal_emit (self, signals[ALERT_RAISED], 0, alert);
    }
}

/* ---- acknowledging ------------------------------------------------------------------------- */

static void
ack_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KefuAlertList *self = g_task_get_source_object (task);
  KefuAlertObject *alert = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (answer == NULL)
    {
      /* Only our own mark is undone: the server's acknowledgement, if it came, stands. */
      kefu_alert_object_set_acked (alert, 0, NULL);
      update_n_open (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (kefu_alert_list_lookup (self, kefu_alert_object_get_id (alert)) == alert)
    kefu_alert_list_apply_json (self, answer);
  g_task_return_boolean (task, TRUE);
}

void
kefu_alert_list_acknowledge_async (KefuAlertList       *self,
                                   gint64               id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  KefuAlertObject *alert;

  g_return_if_fail (KEFU_IS_ALERT_LIST (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_alert_list_acknowledge_async);

  alert = kefu_alert_list_lookup (self, id);
  if (alert == NULL || self->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "No such alert");
      return;
    }
  g_task_set_task_data (task, g_object_ref (alert), g_object_unref);

  kefu_alert_object_set_acked (alert, g_get_real_time (),
                               kefu_connection_get_user_display_name (self->connection));
  update_n_open (self);

  path = g_strdup_printf ("/alerts/%" G_GINT64_FORMAT "/ack", id);
  kefu_connection_request_async (self->connection, "POST", path, NULL, NULL, cancellable,
                                 ack_cb, g_steal_pointer (&task));
}

gboolean
kefu_alert_list_acknowledge_finish (KefuAlertList  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (KEFU_IS_ALERT_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- getters ------------------------------------------------------------------------------- */

KefuConnection *
kefu_alert_list_get_connection (KefuAlertList *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_LIST (self), NULL);

  return self->connection;
}

guint
kefu_alert_list_get_n_open (KefuAlertList *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_LIST (self), 0);

  return self->n_open;
}

gboolean
kefu_alert_list_get_loaded (KefuAlertList *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_LIST (self), FALSE);

  return self->loaded;
}

KefuAlertObject *
kefu_alert_list_lookup (KefuAlertList *self,
                        gint64         id)
{
  g_return_val_if_fail (KEFU_IS_ALERT_LIST (self), NULL);

  return g_hash_table_lookup (self->by_id, &id);
}

KefuAlertObject *
kefu_alert_list_get_most_urgent (KefuAlertList *self)
{
  KefuAlertObject *best = NULL;

  g_return_val_if_fail (KEFU_IS_ALERT_LIST (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      KefuAlertObject *alert = g_ptr_array_index (self->items, i);

      if (kefu_alert_object_get_acked (alert))
        continue;
      if (best == NULL || kefu_alert_object_compare_urgency (alert, best) < 0)
        best = alert;
    }

  return best;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static KefuAlertList *
kefu_alert_list_new (KefuConnection *connection)
{
  KefuAlertList *self = g_object_new (KEFU_TYPE_ALERT_LIST, NULL);

  self->connection = connection;
  g_object_add_weak_pointer (G_OBJECT (connection), (gpointer *) &self->connection);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (on_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "event", G_CALLBACK (on_event), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (kefu_connection_get_tickets (connection), "notify::loaded",
                           G_CALLBACK (on_tickets_loaded), self, G_CONNECT_SWAPPED);

  /* Already signed in: load now. */
  self->last_state = kefu_connection_get_state (connection);
  if (kefu_ticket_list_get_loaded (kefu_connection_get_tickets (connection)))
    start_load (self);

  return self;
}

KefuAlertList *
kefu_alert_list_get_for_connection (KefuConnection *connection)
{
  KefuAlertList *self;

  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), NULL);

  self = g_object_get_data (G_OBJECT (connection), "kefu-alert-list");
  if (self == NULL)
    {
      self = kefu_alert_list_new (connection);
      g_object_set_data_full (G_OBJECT (connection), "kefu-alert-list", self, g_object_unref);
    }

  return self;
}

static void
kefu_alert_list_dispose (GObject *object)
{
  KefuAlertList *self = (KefuAlertList *)object;

  stop_load (self);
  if (self->connection != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->connection), (gpointer *) &self->connection);
      self->connection = NULL;
    }

  G_OBJECT_CLASS (kefu_alert_list_parent_class)->dispose (object);
}

static void
kefu_alert_list_finalize (GObject *object)
{
  KefuAlertList *self = (KefuAlertList *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (kefu_alert_list_parent_class)->finalize (object);
}

static void
kefu_alert_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KefuAlertList *self = KEFU_ALERT_LIST (object);

  switch (prop_id)
    {
    case PROP_N_OPEN:
      g_value_set_uint (value, self->n_open);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_alert_list_class_init (KefuAlertListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kefu_alert_list_dispose;
  object_class->finalize = kefu_alert_list_finalize;
  object_class->get_property = kefu_alert_list_get_property;

  properties[PROP_N_OPEN] =
    g_param_spec_uint ("n-open", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ALERT_RAISED] =
    g_signal_new ("alert-raised",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__OBJECT,
                  G_TYPE_NONE, 1, KEFU_TYPE_ALERT_OBJECT);
}

static void
kefu_alert_list_init (KefuAlertList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}
