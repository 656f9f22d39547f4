/* kefu-ticket-card.c — one ticket on the board
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-ticket-card"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-ticker.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-text.h"

#define SECONDS_BELOW (10 * 60)   /* a countdown shows seconds in its last ten minutes */

struct _KefuTicketCard
{
  AdwBin            parent_instance;

  KefuTicketObject *ticket;
  KefuTicker       *ticker;
  KefuSlaState      shown_state;
  const char       *state_class;
  char             *status_class;

  /* Template widgets */
  GtkLabel         *number_label;
  GtkLabel         *escalation_label;
  GtkLabel         *status_label;
  GtkLabel         *customer_label;
  GtkLabel         *phone_label;
  GtkLabel         *category_label;
  GtkLabel         *assignee_label;
  GtkImage         *countdown_icon;
  GtkLabel         *countdown_label;
  GtkLabel         *clock_label;
};

G_DEFINE_FINAL_TYPE (KefuTicketCard, kefu_ticket_card, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TICKET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the countdown ----------------------------------------------------------------------- */

static char *
format_span (gint64 seconds)
{
  if (seconds >= 24 * 3600)
    /* Translators: a span of days and hours, e.g. "2 d 4 h" */
    return g_strdup_printf (_("%d d %d h"), (int) (seconds / 86400),
                            (int) (seconds % 86400 / 3600));
  if (seconds >= 3600 && seconds % 3600 / 60 == 0)
    /* Translators: a span of whole hours, e.g. "3 h" */
    return g_strdup_printf (_("%d h"), (int) (seconds / 3600));
  if (seconds >= 3600)
    /* Translators: a span of hours and minutes, e.g. "1 h 12 min" */
    return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600),
                            (int) (seconds % 3600 / 60));
  /* Translators: a span of minutes, e.g. "25 min" */
  return g_strdup_printf (_("%d min"), (int) (seconds / 60));
}

char *
kefu_ticket_card_format_countdown (gint64    remaining_usec,
                                   gboolean *shows_seconds)
{
  g_autofree char *span = NULL;
  gboolean seconds_shown = FALSE;

  if (remaining_usec > 0)
    {
      /* Rounded up: "1 s left" until the very end. */
      gint64 seconds = (remaining_usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      if (seconds < 60)
        {
          /* Translators: a span of seconds, e.g. "42 s" */
          span = g_strdup_printf (_("%d s"), (int) seconds);
          seconds_shown = TRUE;
        }
      else if (seconds < SECONDS_BELOW)
        {
          /* Translators: a span of minutes and seconds, e.g. "8 min 5 s" */
          span = g_strdup_printf (_("%d min %d s"), (int) (seconds / 60), (int) (seconds % 60));
          seconds_shown = TRUE;
        }
      else if (seconds < 3600)
        {
          /* Whole minutes still to go, rounded up: "25 min left" means less than 25. */
          span = format_span ((seconds + 59) / 60 * 60);
        }
      else
        {
          span = format_span (seconds);
        }

      if (shows_seconds != NULL)
        *shows_seconds = seconds_shown;
      /* Translators: the time until a deadline, e.g. "1 h 12 min left" */
      return g_strdup_printf (_("%s left"), span);
    }
  else
    {
      gint64 seconds = -remaining_usec / G_USEC_PER_SEC;

      if (seconds < 60)
        {
          span = g_strdup_printf (_("%d s"), (int) seconds);
          seconds_shown = TRUE;
        }
      else
        {
          span = format_span (seconds);
        }

      if (shows_seconds != NULL)
        *shows_seconds = seconds_shown;
      /* Translators: the time since a deadline passed, e.g. "overdue 25 min" */
      return g_strdup_printf (_("overdue %s"), span);
    }
}

static void
set_wants_seconds (KefuTicketCard *self,
                   gboolean        wants_seconds)
{
  kefu_ticker_follower_want_seconds (self->ticker, GTK_WIDGET (self), wants_seconds);
}

static void
set_state_class (KefuTicketCard *self,
                 const char     *state_class)
{
  if (g_strcmp0 (self->state_class, state_class) == 0)
    return;

  if (self->state_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->state_class);
  self->state_class = state_class;
  if (state_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), state_class);
}

static void
update_countdown (KefuTicketCard *self)
{
  static const char *state_classes[] = { "kefu-ok", "kefu-warning", "kefu-breached" };
  gint64 now;
  gint64 due;

  if (self->ticket == NULL)
    return;

  now = kefu_ticker_get_now (self->ticker);
  due = kefu_ticket_object_get_nearest_due (self->ticket);

  if (!kefu_ticket_object_get_is_open (self->ticket))
    {
      gtk_label_set_text (self->countdown_label, kefu_text_status (kefu_ticket_object_get_status (self->ticket)));
      gtk_label_set_text (self->clock_label, "");
      gtk_image_set_from_icon_name (self->countdown_icon, "object-select-symbolic");
      self->shown_state = KEFU_SLA_STATE_OK;
      set_state_class (self, "kefu-closed");
      set_wants_seconds (self, FALSE);
      return;
    }

  if (kefu_ticket_object_get_paused (self->ticket))
    {
      gtk_label_set_text (self->countdown_label, C_("deadline", "Paused"));
      gtk_label_set_text (self->clock_label, _("Waiting for the customer"));
      gtk_image_set_from_icon_name (self->countdown_icon, "media-playback-pause-symbolic");
      self->shown_state = kefu_ticket_object_get_sla_state (self->ticket);
      set_state_class (self, "kefu-paused");
      set_wants_seconds (self, FALSE);
      return;
    }

  if (due == 0)
    {
      gtk_label_set_text (self->countdown_label, _("No deadline"));
      gtk_label_set_text (self->clock_label, "");
      gtk_image_set_from_icon_name (self->countdown_icon, "alarm-symbolic");
      self->shown_state = kefu_ticket_object_get_sla_state (self->ticket);
      set_state_class (self, state_classes[self->shown_state]);
      set_wants_seconds (self, FALSE);
      return;
    }

  {
    gboolean shows_seconds = FALSE;
    g_autofree char *text = kefu_ticket_card_format_countdown (due - now, &shows_seconds);
    const char *clock = kefu_text_sla_clock (kefu_ticket_object_get_nearest_due_clock (self->ticket));

    self->shown_state = kefu_ticket_object_get_sla_state_at (self->ticket, now);
    gtk_label_set_text (self->countdown_label, text);
    gtk_label_set_text (self->clock_label, clock != NULL ? clock : "");
    gtk_image_set_from_icon_name (self->countdown_icon,
                                  self->shown_state == KEFU_SLA_STATE_BREACHED
                                  ? "dialog-warning-symbolic" : "alarm-symbolic");
    set_state_class (self, state_classes[self->shown_state]);
    /* Seconds only need a tick every second while the card is on screen. */
    set_wants_seconds (self, shows_seconds);
  }
}

/* ---- the rest of the card ---------------------------------------------------------------- */

static void
set_status_class (KefuTicketCard *self,
                  KefuStatus      status)
{
  g_autofree char *status_class = g_strconcat ("kefu-status-", kefu_status_to_string (status),
                                               NULL);

  if (g_strcmp0 (self->status_class, status_class) == 0)
    return;

  if (self->status_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
  g_free (self->status_class);
  self->status_class = g_steal_pointer (&status_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), self->status_class);
}

static void
update_all (KefuTicketCard *self)
{
  KefuTicketObject *t = self->ticket;
  KefuTicket *ticket;
  const char *subcategory;
  const char *assignee;
  const char *phone;
  g_autofree char *category = NULL;
  g_autofree char *escalation = NULL;
  g_autofree char *accessible = NULL;

  if (t == NULL)
    return;

  ticket = kefu_ticket_object_get_ticket (t);

  gtk_label_set_text (self->number_label, kefu_ticket_object_get_number (t));
  gtk_label_set_text (self->status_label, kefu_text_status (kefu_ticket_object_get_status (t)));
  set_status_class (self, kefu_ticket_object_get_status (t));

  if (ticket->escalation_level > 0)
    {
      /* Translators: a ticket's escalation level on a board card, e.g. "Escalated 2" */
      escalation = g_strdup_printf (_("Escalated %d"), ticket->escalation_level);
      gtk_label_set_text (self->escalation_label, escalation);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->escalation_label),
                                   ticket->escalation_level >= 2
                                   ? _("Escalated to the after-sales managers")
                                   : _("Escalated to the supervisors"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->escalation_label), ticket->escalation_level > 0);

  gtk_label_set_text (self->customer_label, kefu_ticket_object_get_customer_name (t));
  phone = kefu_ticket_object_get_customer_phone (t);
  gtk_label_set_text (self->phone_label, phone != NULL ? phone : "");

  subcategory = kefu_ticket_object_get_subcategory (t);
  if (subcategory != NULL && subcategory[0] != '\0')
    /* Translators: a ticket's category and subcategory, e.g. "Quality · Will not start" */
    category = g_strdup_printf (_("%s · %s"), kefu_text_category (kefu_ticket_object_get_category (t)),
                                subcategory);
  else
    category = g_strdup (kefu_text_category (kefu_ticket_object_get_category (t)));
  gtk_label_set_text (self->category_label, category);

  assignee = kefu_ticket_object_get_assignee_name (t);
  if (assignee != NULL)
    {
      gtk_label_set_text (self->assignee_label, assignee);
      gtk_widget_remove_css_class (GTK_WIDGET (self->assignee_label), "kefu-unassigned");
    }
  else
    {
      gtk_label_set_text (self->assignee_label, _("Unassigned"));
      gtk_widget_add_css_class (GTK_WIDGET (self->assignee_label), "kefu-unassigned");
    }

  update_countdown (self);

  /* Translators: what a screen reader says for a board card: number, customer, status,
   * assignee and deadline */
  accessible = g_strdup_printf (_("%s, %s, %s, %s, %s"),
                                kefu_ticket_object_get_number (t),
                                kefu_ticket_object_get_customer_name (t),
                                gtk_label_get_text (self->status_label),
                                gtk_label_get_text (self->assignee_label),
                                gtk_label_get_text (self->countdown_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
on_ticket_notify (KefuTicketCard *self)
{
  update_all (self);
}

KefuTicketObject *
kefu_ticket_card_get_ticket (KefuTicketCard *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_CARD (self), NULL);

  return self->ticket;
}

void
kefu_ticket_card_set_ticket (KefuTicketCard   *self,
                             KefuTicketObject *ticket)
{
  g_return_if_fail (KEFU_IS_TICKET_CARD (self));
  g_return_if_fail (ticket == NULL || KEFU_IS_TICKET_OBJECT (ticket));

  if (self->ticket == ticket)
    return;

  if (self->ticket != NULL)
    g_signal_handlers_disconnect_by_func (self->ticket, on_ticket_notify, self);
  g_set_object (&self->ticket, ticket);
  if (ticket != NULL)
    {
      /* One handler for every property: a new version usually changes several at once, and
       * the object freezes notifications, so this runs once per version. */
      g_signal_connect_object (ticket, "notify", G_CALLBACK (on_ticket_notify), self,
                               G_CONNECT_SWAPPED);
      update_all (self);
    }
  else
    {
      set_wants_seconds (self, FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKET]);
}

const char *
kefu_ticket_card_get_countdown_text (KefuTicketCard *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_CARD (self), NULL);

  return gtk_label_get_text (self->countdown_label);
}

const char *
kefu_ticket_card_get_assignee_text (KefuTicketCard *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_CARD (self), NULL);

  return gtk_label_get_text (self->assignee_label);
}

const char *
kefu_ticket_card_get_status_text (KefuTicketCard *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_CARD (self), NULL);

  return gtk_label_get_text (self->status_label);
}

KefuSlaState
kefu_ticket_card_get_shown_state (KefuTicketCard *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_CARD (self), KEFU_SLA_STATE_OK);

  return self->shown_state;
}

GtkWidget *
kefu_ticket_card_new (void)
{
  return g_object_new (KEFU_TYPE_TICKET_CARD, NULL);
}

static void
kefu_ticket_card_dispose (GObject *object)
{
  KefuTicketCard *self = KEFU_TICKET_CARD (object);

  kefu_ticket_card_set_ticket (self, NULL);

  G_OBJECT_CLASS (kefu_ticket_card_parent_class)->dispose (object);
}

static void
kefu_ticket_card_finalize (GObject *object)
{
  KefuTicketCard *self = KEFU_TICKET_CARD (object);

  g_clear_object (&self->ticker);
  g_free (self->status_class);

  G_OBJECT_CLASS (kefu_ticket_card_parent_class)->finalize (object);
}

static void
kefu_ticket_card_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KefuTicketCard *self = KEFU_TICKET_CARD (object);

  switch (prop_id)
    {
    case PROP_TICKET:
      g_value_set_object (value, self->ticket);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_card_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KefuTicketCard *self = KEFU_TICKET_CARD (object);

  switch (prop_id)
    {
    case PROP_TICKET:
      kefu_ticket_card_set_ticket (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_card_class_init (KefuTicketCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_ticket_card_dispose;
  object_class->finalize = kefu_ticket_card_finalize;
  object_class->get_property = kefu_ticket_card_get_property;
  object_class->set_property = kefu_ticket_card_set_property;


  properties[PROP_TICKET] =
    g_param_spec_object ("ticket", NULL, NULL,
                         KEFU_TYPE_TICKET_OBJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-ticket-card.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, number_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, escalation_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, status_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, customer_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, phone_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, category_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, assignee_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, countdown_icon);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketCard, clock_label);

  gtk_widget_class_set_css_name (widget_class, "kefuticketcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kefu_ticket_card_init (KefuTicketCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->ticker = g_object_ref (kefu_ticker_get_default ());
  kefu_ticker_follow_mapped (self->ticker, GTK_WIDGET (self), G_CALLBACK (update_countdown));
}
