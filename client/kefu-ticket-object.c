/* kefu-ticket-object.c — one ticket as a GObject, for list models and views
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-ticket-object"

#include "config.h"

#include <string.h>

#include "kefu-ticket-object.h"

struct _KefuTicketObject
{
  GObject       parent_instance;

  KefuTicket   *ticket;

  /* Derived from the ticket when it is set. */
  char         *masked_phone;
  gint64        nearest_due;
  KefuSlaClock  nearest_due_clock;
  char         *search_text;     /* casefolded, made on the first search */
};

G_DEFINE_FINAL_TYPE (KefuTicketObject, kefu_ticket_object, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TICKET,
  PROP_NUMBER,
  PROP_VERSION,
  PROP_PRIORITY,
  PROP_STATUS,
  PROP_CATEGORY,
  PROP_SUBCATEGORY,
  PROP_CUSTOMER_NAME,
  PROP_CUSTOMER_PHONE,
  PROP_ASSIGNEE_ID,
  PROP_ASSIGNEE_NAME,
  PROP_DEPARTMENT,
  PROP_REGISTERED_AT,
  PROP_UPDATED_AT,
  PROP_NEAREST_DUE,
  PROP_PAUSED,
  PROP_SLA_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The soonest due among the running clocks. The server sends null for a clock that is met, not
 * started or not applicable, so every due it sends is pending. Paused clocks have no due. */
static void
compute_nearest_due (const KefuTicket *ticket,
                     gint64           *out_due,
                     KefuSlaClock     *out_clock)
{
  const struct {
    gint64       due;
    KefuSlaClock clock;
  } dues[] = {
    { ticket->sla.response_due, KEFU_SLA_CLOCK_RESPONSE },
    { ticket->sla.accept_due, KEFU_SLA_CLOCK_ACCEPT },
    { ticket->sla.next_update_due, KEFU_SLA_CLOCK_UPDATE },
    { ticket->sla.resolve_due, KEFU_SLA_CLOCK_RESOLVE },
    { ticket->sla.confirm_due, KEFU_SLA_CLOCK_CONFIRM },
  };
  gint64 best = 0;
  KefuSlaClock clock = KEFU_SLA_CLOCK_RESOLVE;

  if (!ticket->sla.paused)
    {
      for (guint i = 0; i < G_N_ELEMENTS (dues); i++)
        {
          if (dues[i].due > 0 && dues[i].due < G_MAXINT64 && (best == 0 || dues[i].due < best))
            {
              best = dues[i].due;
              clock = dues[i].clock;
            }
        }
    }

  *out_due = best;
  *out_clock = clock;
}

/* Masks whatever the server sent: roles that may call the customer get the full number even in
 * lists, but a board card never shows it. */
static char *
mask_phone (const char *phone)
{
  if (phone == NULL || phone[0] == '\0')
    return NULL;
  if (strstr (phone, "****") != NULL)
    return g_strdup (phone);
  return kefu_mask_phone (phone);
}

static gboolean
text_differs (const char *a,
              const char *b)
{
  return g_strcmp0 (a, b) != 0;
}

KefuTicketChange
kefu_ticket_object_set_ticket (KefuTicketObject *self,
                               KefuTicket       *ticket)
{
  KefuTicket *old;
  KefuTicketChange change = KEFU_TICKET_CHANGE_NONE;
  g_autofree char *masked_phone = NULL;
  gint64 nearest_due;
  KefuSlaClock nearest_due_clock;
  GObject *object = G_OBJECT (self);

  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), KEFU_TICKET_CHANGE_NONE);
  g_return_val_if_fail (ticket != NULL, KEFU_TICKET_CHANGE_NONE);

  if (self->ticket == ticket)
    return KEFU_TICKET_CHANGE_NONE;

  old = g_steal_pointer (&self->ticket);
  self->ticket = kefu_ticket_ref (ticket);

  masked_phone = mask_phone (ticket->customer.phone);
  compute_nearest_due (ticket, &nearest_due, &nearest_due_clock);

  /* First thing at construction: everything is new, nobody listens yet. */
  if (old == NULL)
    {
      self->masked_phone = g_steal_pointer (&masked_phone);
      self->nearest_due = nearest_due;
      self->nearest_due_clock = nearest_due_clock;
      return KEFU_TICKET_CHANGE_NONE;
    }

  g_object_freeze_notify (object);

  g_object_notify_by_pspec (object, properties[PROP_TICKET]);

  if (old->version != ticket->version)
    g_object_notify_by_pspec (object, properties[PROP_VERSION]);

  if (old->priority != ticket->priority)
    {
      change |= KEFU_TICKET_CHANGE_PRIORITY;
      g_object_notify_by_pspec (object, properties[PROP_PRIORITY]);
    }

  if (old->status != ticket->status)
    {
      change |= KEFU_TICKET_CHANGE_STATUS;
      g_object_notify_by_pspec (object, properties[PROP_STATUS]);
    }

  if (old->category != ticket->category)
    {
      change |= KEFU_TICKET_CHANGE_OTHER;
      g_object_notify_by_pspec (object, properties[PROP_CATEGORY]);
    }

  if (text_differs (old->subcategory, ticket->subcategory))
    {
      change |= KEFU_TICKET_CHANGE_TEXT;
      g_object_notify_by_pspec (object, properties[PROP_SUBCATEGORY]);
    }

  if (text_differs (old->customer.name, ticket->customer.name))
    {
      change |= KEFU_TICKET_CHANGE_TEXT;
      g_object_notify_by_pspec (object, properties[PROP_CUSTOMER_NAME]);
    }

  if (text_differs (self->masked_phone, masked_phone))
    {
      change |= KEFU_TICKET_CHANGE_TEXT;
      g_free (self->masked_phone);
      self->masked_phone = g_steal_pointer (&masked_phone);
      g_object_notify_by_pspec (object, properties[PROP_CUSTOMER_PHONE]);
    }

  if (text_differs (old->customer.code, ticket->customer.code)
      || text_differs (old->customer.order_no, ticket->customer.order_no)
      || text_differs (old->customer.product_model, ticket->customer.product_model))
    change |= KEFU_TICKET_CHANGE_TEXT;

  if (old->assignee.id != ticket->assignee.id)
    {
      change |= KEFU_TICKET_CHANGE_ASSIGNEE | KEFU_TICKET_CHANGE_TEXT;
      g_object_notify_by_pspec (object, properties[PROP_ASSIGNEE_ID]);
    }

  if (text_differs (old->assignee.display_name, ticket->assignee.display_name))
    {
      change |= KEFU_TICKET_CHANGE_TEXT;
      g_object_notify_by_pspec (object, properties[PROP_ASSIGNEE_NAME]);
    }

  if (text_differs (old->department, ticket->department))
    {
      change |= KEFU_TICKET_CHANGE_DEPARTMENT;
      g_object_notify_by_pspec (object, properties[PROP_DEPARTMENT]);
    }

  if (old->registered_at != ticket->registered_at)
    {
      change |= KEFU_TICKET_CHANGE_OTHER;
      g_object_notify_by_pspec (object, properties[PROP_REGISTERED_AT]);
    }

  if (old->updated_at != ticket->updated_at)
    g_object_notify_by_pspec (object, properties[PROP_UPDATED_AT]);

  if (self->nearest_due != nearest_due || self->nearest_due_clock != nearest_due_clock)
    {
      change |= KEFU_TICKET_CHANGE_DUE;
      self->nearest_due = nearest_due;
      self->nearest_due_clock = nearest_due_clock;
      g_object_notify_by_pspec (object, properties[PROP_NEAREST_DUE]);
    }

  if (old->sla.paused != ticket->sla.paused)
    {
      change |= KEFU_TICKET_CHANGE_DUE;
      g_object_notify_by_pspec (object, properties[PROP_PAUSED]);
    }

  if (old->sla.state != ticket->sla.state)
    {
      change |= KEFU_TICKET_CHANGE_DUE;
      g_object_notify_by_pspec (object, properties[PROP_SLA_STATE]);
    }

  if (change & KEFU_TICKET_CHANGE_TEXT)
    g_clear_pointer (&self->search_text, g_free);

  kefu_ticket_unref (old);

  g_object_thaw_notify (object);

  return change;
}

KefuTicketObject *
kefu_ticket_object_new (KefuTicket *ticket)
{
  g_return_val_if_fail (ticket != NULL, NULL);

  return g_object_new (KEFU_TYPE_TICKET_OBJECT, "ticket", ticket, NULL);
}

KefuTicket *
kefu_ticket_object_get_ticket (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), NULL);

  return self->ticket;
}

const char *
kefu_ticket_object_get_number (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), NULL);

  return self->ticket->number;
}

gint64
kefu_ticket_object_get_version (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), 0);

  return self->ticket->version;
}

int
kefu_ticket_object_get_priority (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), 0);

  return self->ticket->priority;
}

KefuStatus
kefu_ticket_object_get_status (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), KEFU_STATUS_NEW);

  return self->ticket->status;
}

gboolean
kefu_ticket_object_get_is_open (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), FALSE);

  return kefu_status_is_open (self->ticket->status);
}

KefuCategory
kefu_ticket_object_get_category (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), KEFU_CATEGORY_QUALITY);

  return self->ticket->category;
}

const char *
kefu_ticket_object_get_subcategory (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), NULL);

  return self->ticket->subcategory;
}

const char *
kefu_ticket_object_get_customer_name (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), NULL);

  return self->ticket->customer.name;
}

const char *
kefu_ticket_object_get_customer_phone (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), NULL);

  return self->masked_phone;
}

gint64
kefu_ticket_object_get_assignee_id (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), 0);

  return self->ticket->assignee.id;
}

const char *
kefu_ticket_object_get_assignee_name (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), NULL);

  return self->ticket->assignee.id != 0 ? self->ticket->assignee.display_name : NULL;
}

const char *
kefu_ticket_object_get_department (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), NULL);

  return self->ticket->department;
}

gint64
kefu_ticket_object_get_registered_at (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), 0);

  return self->ticket->registered_at;
}

gint64
kefu_ticket_object_get_updated_at (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), 0);

  return self->ticket->updated_at;
}

gint64
kefu_ticket_object_get_nearest_due (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), 0);

  return self->nearest_due;
}

KefuSlaClock
kefu_ticket_object_get_nearest_due_clock (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), KEFU_SLA_CLOCK_RESOLVE);

  return self->nearest_due_clock;
}

gboolean
kefu_ticket_object_get_paused (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), FALSE);

  return self->ticket->sla.paused;
}

KefuSlaState
kefu_ticket_object_get_sla_state (KefuTicketObject *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), KEFU_SLA_STATE_OK);

  return self->ticket->sla.state;
}

KefuSlaState
kefu_ticket_object_get_sla_state_at (KefuTicketObject *self,
                                     gint64            now)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), KEFU_SLA_STATE_OK);

  if (self->nearest_due != 0 && self->nearest_due <= now)
    return KEFU_SLA_STATE_BREACHED;

  return self->ticket->sla.state;
}

static void
append_folded (GString    *string,
               const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL || text[0] == '\0')
    return;

  folded = g_utf8_casefold (text, -1);
  g_string_append (string, folded);
  g_string_append_c (string, '\n');
}

gboolean
kefu_ticket_object_matches_words (KefuTicketObject  *self,
                                  const char *const *casefolded_words)
{
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (self), FALSE);

  if (casefolded_words == NULL || casefolded_words[0] == NULL)
    return TRUE;

  if (self->search_text == NULL)
    {
      const KefuTicket *t = self->ticket;
      GString *text = g_string_new (NULL);

      append_folded (text, t->number);
      append_folded (text, t->customer.name);
      append_folded (text, self->masked_phone);
      append_folded (text, t->customer.code);
      append_folded (text, t->customer.order_no);
      append_folded (text, t->customer.product_model);
      append_folded (text, t->subcategory);
      if (t->assignee.id != 0)
        append_folded (text, t->assignee.display_name);
      self->search_text = g_string_free (text, FALSE);
    }

  for (guint i = 0; casefolded_words[i] != NULL; i++)
    {
      if (strstr (self->search_text, casefolded_words[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
kefu_ticket_object_finalize (GObject *object)
{
  KefuTicketObject *self = (KefuTicketObject *)object;

  g_clear_pointer (&self->ticket, kefu_ticket_unref);
  g_free (self->masked_phone);
  g_free (self->search_text);

  G_OBJECT_CLASS (kefu_ticket_object_parent_class)->finalize (object);
}

static void
kefu_ticket_object_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KefuTicketObject *self = KEFU_TICKET_OBJECT (object);

  switch (prop_id)
    {
    case PROP_TICKET:
      g_value_set_boxed (value, self->ticket);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->ticket->number);
      break;

    case PROP_VERSION:
      g_value_set_int64 (value, self->ticket->version);
      break;

    case PROP_PRIORITY:
      g_value_set_int (value, self->ticket->priority);
      break;

    case PROP_STATUS:
      g_value_set_int (value, self->ticket->status);
      break;

    case PROP_CATEGORY:
      g_value_set_int (value, self->ticket->category);
      break;

    case PROP_SUBCATEGORY:
      g_value_set_string (value, self->ticket->subcategory);
      break;

    case PROP_CUSTOMER_NAME:
      g_value_set_string (value, self->ticket->customer.name);
      break;

    case PROP_CUSTOMER_PHONE:
      g_value_set_string (value, self->masked_phone);
      break;

    case PROP_ASSIGNEE_ID:
      g_value_set_int64 (value, self->ticket->assignee.id);
      break;

    case PROP_ASSIGNEE_NAME:
      g_value_set_string (value, kefu_ticket_object_get_assignee_name (self));
      break;

    case PROP_DEPARTMENT:
      g_value_set_string (value, self->ticket->department);
      break;

    case PROP_REGISTERED_AT:
      g_value_set_int64 (value, self->ticket->registered_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->ticket->updated_at);
      break;

    case PROP_NEAREST_DUE:
      g_value_set_int64 (value, self->nearest_due);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->ticket->sla.paused);
      break;

    case PROP_SLA_STATE:
      g_value_set_int (value, self->ticket->sla.state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_object_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KefuTicketObject *self = KEFU_TICKET_OBJECT (object);

  switch (prop_id)
    {
    case PROP_TICKET:
      kefu_ticket_object_set_ticket (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
kefu_ticket_object_class_init (KefuTicketObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kefu_ticket_object_finalize;
  object_class->get_property = kefu_ticket_object_get_property;
  object_class->set_property = kefu_ticket_object_set_property;

  properties[PROP_TICKET] =
    g_param_spec_boxed ("ticket", NULL, NULL,
                        KEFU_TYPE_TICKET,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS));
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL, RO);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL, 1, 4, 4, RO);
  /* KefuStatus */
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, 0, KEFU_STATUS_LAST - 1, 0, RO);
  /* KefuCategory */
  properties[PROP_CATEGORY] =
    g_param_spec_int ("category", NULL, NULL, 0, KEFU_CATEGORY_LAST - 1, 0, RO);
  properties[PROP_SUBCATEGORY] =
    g_param_spec_string ("subcategory", NULL, NULL, NULL, RO);
  properties[PROP_CUSTOMER_NAME] =
    g_param_spec_string ("customer-name", NULL, NULL, NULL, RO);
  properties[PROP_CUSTOMER_PHONE] =
    g_param_spec_string ("customer-phone", NULL, NULL, NULL, RO);
  properties[PROP_ASSIGNEE_ID] =
    g_param_spec_int64 ("assignee-id", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_ASSIGNEE_NAME] =
    g_param_spec_string ("assignee-name", NULL, NULL, NULL, RO);
  properties[PROP_DEPARTMENT] =
    g_param_spec_string ("department", NULL, NULL, NULL, RO);
  properties[PROP_REGISTERED_AT] =
    g_param_spec_int64 ("registered-at", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_NEAREST_DUE] =
    g_param_spec_int64 ("nearest-due", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE, RO);
  /* KefuSlaState, as the server says */
  properties[PROP_SLA_STATE] =
    g_param_spec_int ("sla-state", NULL, NULL, 0, KEFU_SLA_STATE_LAST - 1, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kefu_ticket_object_init (KefuTicketObject *self)
{
}
