/* kefu-ticket-list.c — every loaded ticket, kept current by live events
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-ticket-list"

#include "config.h"

#include "kefu-ticket-list.h"

struct _KefuTicketList
{
  GObject           parent_instance;

  GPtrArray        *items;       /* of KefuTicketObject*, owned */
  GHashTable       *by_number;   /* number (owned copy) → KefuTicketObject* (borrowed) */

  /* During a reload: the objects applied since it began. */
  GHashTable       *reloaded;

  KefuTicketChange  pending_change;
  guint             changed_idle;

  guint             loaded : 1;
  guint             complete : 1;
};

static void kefu_ticket_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KefuTicketList, kefu_ticket_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kefu_ticket_list_model_init))

enum {
  PROP_0,
  PROP_LOADED,
  PROP_COMPLETE,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  TICKETS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- GListModel -------------------------------------------------------------------------- */

static GType
kefu_ticket_list_get_item_type (GListModel *model)
{
  return KEFU_TYPE_TICKET_OBJECT;
}

static guint
kefu_ticket_list_get_n_items (GListModel *model)
{
  return KEFU_TICKET_LIST (model)->items->len;
}

static gpointer
kefu_ticket_list_get_item (GListModel *model,
                           guint       position)
{
  KefuTicketList *self = KEFU_TICKET_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
kefu_ticket_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kefu_ticket_list_get_item_type;
  iface->get_n_items = kefu_ticket_list_get_n_items;
  iface->get_item = kefu_ticket_list_get_item;
}

/* ---- changes ----------------------------------------------------------------------------- */

static gboolean
emit_changed_idle (gpointer user_data)
{
  KefuTicketList *self = user_data;
  KefuTicketChange change = self->pending_change;

  self->changed_idle = 0;
  self->pending_change = KEFU_TICKET_CHANGE_NONE;
  g_signal_emit (self, signals[TICKETS_CHANGED], 0, (guint) change);

  return G_SOURCE_REMOVE;
}

static void
queue_changed (KefuTicketList   *self,
               KefuTicketChange  change)
{
  if (change == KEFU_TICKET_CHANGE_NONE)
    return;

  /* Coalesced, but at the default priority: as an idle it waited behind every network and
   * decoding callback of a busy client, and a resolved ticket stayed on the board for up to a
   * second (test-e2e measured 163–929 ms under load, 11–193 ms at this priority). */
  self->pending_change |= change;
  if (self->changed_idle == 0)
    self->changed_idle = g_idle_add_full (G_PRIORITY_DEFAULT, emit_changed_idle, self, NULL);
}

static void
items_changed (KefuTicketList *self,
               guint           position,
               guint           removed,
               guint           added)
{
  if (removed == 0 && added == 0)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Applies without telling anyone about additions; returns TRUE when @ticket was added. */
static gboolean
apply_one (KefuTicketList    *self,
           KefuTicket        *ticket,
           KefuTicketObject **out_object)
{
  KefuTicketObject *object;

  g_return_val_if_fail (ticket != NULL && ticket->number != NULL, FALSE);

  object = g_hash_table_lookup (self->by_number, ticket->number);
  if (object == NULL)
    {
      object = kefu_ticket_object_new (ticket);
      g_ptr_array_add (self->items, object);
      g_hash_table_insert (self->by_number, g_strdup (ticket->number), object);
      if (self->reloaded != NULL)
        g_hash_table_add (self->reloaded, object);
      *out_object = object;
      return TRUE;
    }

  if (self->reloaded != NULL)
    g_hash_table_add (self->reloaded, object);

  /* Events and list pages may cross: only ever move forward. */
  if (ticket->version > kefu_ticket_object_get_version (object))
    queue_changed (self, kefu_ticket_object_set_ticket (object, ticket));

  *out_object = object;
  return FALSE;
}

KefuTicketObject *
kefu_ticket_list_apply (KefuTicketList *self,
                        KefuTicket     *ticket)
{
  KefuTicketObject *object = NULL;

  g_return_val_if_fail (KEFU_IS_TICKET_LIST (self), NULL);
  g_return_val_if_fail (ticket != NULL, NULL);

  if (apply_one (self, ticket, &object))
    items_changed (self, self->items->len - 1, 0, 1);

  return object;
}

void
kefu_ticket_list_apply_many (KefuTicketList *self,
                             GPtrArray      *tickets)
{
  guint before;

  g_return_if_fail (KEFU_IS_TICKET_LIST (self));
  g_return_if_fail (tickets != NULL);

  before = self->items->len;
  for (guint i = 0; i < tickets->len; i++)
    {
      KefuTicketObject *object;

      apply_one (self, g_ptr_array_index (tickets, i), &object);
    }

  items_changed (self, before, 0, self->items->len - before);
}

KefuTicketObject *
kefu_ticket_list_lookup (KefuTicketList *self,
                         const char     *number)
{
  g_return_val_if_fail (KEFU_IS_TICKET_LIST (self), NULL);

  if (number == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_number, number);
}

void
kefu_ticket_list_remove_all (KefuTicketList *self)
{
  guint n;

  g_return_if_fail (KEFU_IS_TICKET_LIST (self));

  n = self->items->len;
  g_hash_table_remove_all (self->by_number);
  g_clear_pointer (&self->reloaded, g_hash_table_unref);
  /* Keep the objects alive until the views have dropped them. */
  {
    g_autoptr(GPtrArray) old = g_steal_pointer (&self->items);

    self->items = g_ptr_array_new_with_free_func (g_object_unref);
    items_changed (self, 0, n, 0);
  }
  kefu_ticket_list_set_loaded (self, FALSE);
  kefu_ticket_list_set_complete (self, FALSE);
}

void
kefu_ticket_list_begin_reload (KefuTicketList *self)
{
  g_return_if_fail (KEFU_IS_TICKET_LIST (self));

  g_clear_pointer (&self->reloaded, g_hash_table_unref);
  self->reloaded = g_hash_table_new (NULL, NULL);
}

void
kefu_ticket_list_end_reload (KefuTicketList *self)
{
  g_autoptr(GHashTable) reloaded = NULL;

  g_return_if_fail (KEFU_IS_TICKET_LIST (self));

  if (self->reloaded == NULL)
    return;
  reloaded = g_steal_pointer (&self->reloaded);

  /* From the end, one items-changed per run of removed objects. */
  for (guint i = self->items->len; i > 0; )
    {
      g_autoptr(GPtrArray) removed = NULL;
      guint end;

      if (g_hash_table_contains (reloaded, g_ptr_array_index (self->items, i - 1)))
        {
          i--;
          continue;
        }

      end = i;
      while (i > 0 && !g_hash_table_contains (reloaded, g_ptr_array_index (self->items, i - 1)))
        i--;

      /* The views still hold the objects while they hear of the removal. */
      removed = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint j = i; j < end; j++)
        {
          KefuTicketObject *object = g_ptr_array_index (self->items, j);

          g_hash_table_remove (self->by_number, kefu_ticket_object_get_number (object));
          g_ptr_array_add (removed, g_object_ref (object));
        }
      g_ptr_array_remove_range (self->items, i, end - i);
      items_changed (self, i, end - i, 0);
    }
}

gboolean
kefu_ticket_list_get_loaded (KefuTicketList *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_LIST (self), FALSE);

  return self->loaded;
}

void
kefu_ticket_list_set_loaded (KefuTicketList *self,
                             gboolean        loaded)
{
  g_return_if_fail (KEFU_IS_TICKET_LIST (self));

  loaded = !!loaded;
  if (self->loaded == loaded)
    return;

  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

gboolean
kefu_ticket_list_get_complete (KefuTicketList *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_LIST (self), FALSE);

  return self->complete;
}

void
kefu_ticket_list_set_complete (KefuTicketList *self,
                               gboolean        complete)
{
  g_return_if_fail (KEFU_IS_TICKET_LIST (self));

  complete = !!complete;
  if (self->complete == complete)
    return;

  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* ---- GObject ----------------------------------------------------------------------------- */

KefuTicketList *
kefu_ticket_list_new (void)
{
  return g_object_new (KEFU_TYPE_TICKET_LIST, NULL);
}

static void
kefu_ticket_list_finalize (GObject *object)
{
  KefuTicketList *self = (KefuTicketList *)object;

  g_clear_handle_id (&self->changed_idle, g_source_remove);
  g_clear_pointer (&self->reloaded, g_hash_table_unref);
  g_clear_pointer (&self->by_number, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (kefu_ticket_list_parent_class)->finalize (object);
}

static void
kefu_ticket_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KefuTicketList *self = KEFU_TICKET_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_list_class_init (KefuTicketListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kefu_ticket_list_finalize;
  object_class->get_property = kefu_ticket_list_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TICKETS_CHANGED] =
    g_signal_new ("tickets-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__UINT,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
kefu_ticket_list_init (KefuTicketList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_number = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
