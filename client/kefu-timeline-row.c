/* kefu-timeline-row.c — one event of a ticket's timeline
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-timeline-row"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-sla.h"
#include "kefu-ticket-text.h"
#include "kefu-timeline-row.h"

struct _KefuTimelineRow
{
  GtkListBoxRow    parent_instance;

  KefuTicketEvent *event;
  char            *summary;

  /* Template widgets */
  GtkImage        *icon;
  GtkLabel        *summary_label;
  GtkLabel        *time_label;
  GtkLabel        *actor_label;
  GtkLabel        *body_label;
  GtkLabel        *detail_label;
};

G_DEFINE_FINAL_TYPE (KefuTimelineRow, kefu_timeline_row, GTK_TYPE_LIST_BOX_ROW)

/* ---- reading the event's data ------------------------------------------------------------- */

static const char *
data_string (const KefuTicketEvent *event,
             const char            *member)
{
  JsonNode *node;

  if (event->data == NULL || !json_object_has_member (event->data, member))
    return NULL;
  node = json_object_get_member (event->data, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
data_int (const KefuTicketEvent *event,
          const char            *member,
          gint64                 fallback)
{
  JsonNode *node;

  if (event->data == NULL || !json_object_has_member (event->data, member))
    return fallback;
  node = json_object_get_member (event->data, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

static gboolean
data_bool (const KefuTicketEvent *event,
           const char            *member,
           gboolean               fallback)
{
  JsonNode *node;

  if (event->data == NULL || !json_object_has_member (event->data, member))
    return fallback;
  node = json_object_get_member (event->data, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static const char *
clock_name (const char *word)
{
  KefuSlaClock clock;

  if (word != NULL && kefu_sla_clock_from_string (word, &clock))
    return kefu_text_sla_clock (clock);
  return word != NULL ? word : "";
}

static char *
local_time_of (const char *iso)
{
  gint64 usec;

  if (iso == NULL || !kefu_time_from_iso8601 (iso, &usec))
    return g_strdup ("—");
  return kefu_text_local_time (usec, FALSE);
}

static const char *
satisfaction_word (gint64 satisfaction)
{
  if (satisfaction >= 4)
    return C_("satisfaction", "Satisfied");
  if (satisfaction == 3)
    return C_("satisfaction", "Basically satisfied");
  return C_("satisfaction", "Unsatisfied");
}

/* ---- the sentences ------------------------------------------------------------------------ */

char *
kefu_timeline_event_summary (const KefuTicketEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  switch (event->kind)
    {
    case KEFU_EVENT_CREATED:
      return g_strdup (_("Registered the ticket"));

    case KEFU_EVENT_NOTE:
      return g_strdup (_("Internal note"));

    case KEFU_EVENT_CUSTOMER_CONTACT:
      return g_strdup (_("Contacted the customer"));

    case KEFU_EVENT_STATUS:
      {
        const char *from = data_string (event, "from");
        const char *to = data_string (event, "to");

        if (g_strcmp0 (to, "accepted") == 0)
          return g_strdup (_("Accepted the ticket"));
        if (g_strcmp0 (to, "cancelled") == 0)
          return g_strdup (_("Cancelled the ticket"));
        if (from != NULL && to != NULL)
          /* Translators: a status change, e.g. "Status: Accepted → In Progress" */
          return g_strdup_printf (_("Status: %s → %s"), kefu_text_status_word (from),
                                  kefu_text_status_word (to));
        return g_strdup (_("Changed the status"));
      }

    case KEFU_EVENT_ASSIGNMENT:
      {
        const char *name = event->text != NULL ? event->text : "";

        if (data_int (event, "previous_assignee_id", 0) != 0)
          /* Translators: %s is a person's name */
          return g_strdup_printf (_("Reassigned to %s"), name);
        if (event->data != NULL && !json_object_has_member (event->data, "previous_assignee_id"))
          /* Translators: the departments of an assigned ticket changed, not its assignee */
          return g_strdup (_("Changed the departments"));
        /* Translators: %s is a person's name */
        return g_strdup_printf (_("Assigned to %s"), name);
      }

    case KEFU_EVENT_PRIORITY:
      /* Translators: e.g. "Priority: P3 · Medium → P1 · Urgent" */
      return g_strdup_printf (_("Priority: %s → %s"),
                              kefu_text_priority ((int) data_int (event, "from", 0)) ?: "?",
                              kefu_text_priority ((int) data_int (event, "to", 0)) ?: "?");

    case KEFU_EVENT_UPDATED:
      return g_strdup (_("Edited the ticket"));

    case KEFU_EVENT_ATTACHMENT:
      return g_strdup (_("Added an attachment"));

    case KEFU_EVENT_VISIT:
      {
        const char *action = data_string (event, "action");

        if (g_strcmp0 (action, "scheduled") == 0)
          return g_strdup (_("Scheduled a field visit"));
        if (g_strcmp0 (action, "rescheduled") == 0)
          return g_strdup (_("Rescheduled the field visit"));
        if (g_strcmp0 (action, "arrived") == 0)
          return g_strdup (_("Arrived at the customer"));
        if (g_strcmp0 (action, "done") == 0)
          return g_strdup (_("Finished the field visit"));
        if (g_strcmp0 (action, "cancelled") == 0)
          return g_strdup (_("Cancelled the field visit"));
        return g_strdup (_("Field visit"));
      }

    case KEFU_EVENT_RETURN:
      {
        const char *action = data_string (event, "action");

        if (g_strcmp0 (action, "requested") == 0)
          return g_strdup (_("Return, exchange or refund requested"));
        if (g_strcmp0 (action, "approved") == 0)
          return g_strdup (_("Return approved"));
        if (g_strcmp0 (action, "rejected") == 0)
          return g_strdup (_("Return rejected"));
        if (g_strcmp0 (action, "pickup_arranged") == 0)
          return g_strdup (_("Pickup arranged"));
        if (g_strcmp0 (action, "received") == 0)
          return g_strdup (_("Goods received"));
        if (g_strcmp0 (action, "inspected") == 0)
          return g_strdup (_("Goods inspected"));
        if (g_strcmp0 (action, "completed") == 0)
          return g_strdup (_("Return, exchange or refund completed"));
        return g_strdup (_("Return, exchange or refund"));
      }

    case KEFU_EVENT_SLA_WARNING:
      /* Translators: %s names a deadline, e.g. "Deadline approaching: First response" */
      return g_strdup_printf (_("Deadline approaching: %s"),
                              clock_name (data_string (event, "clock")));

    case KEFU_EVENT_SLA_BREACH:
      /* Translators: %s names a deadline, e.g. "Deadline missed: Resolution" */
      return g_strdup_printf (_("Deadline missed: %s"), clock_name (data_string (event, "clock")));

    case KEFU_EVENT_ESCALATION:
      return g_strdup_printf (_("Escalated to level %d"), (int) data_int (event, "level", 1));

    case KEFU_EVENT_RESOLUTION:
      {
        KefuResolutionKind kind;
        const char *word = data_string (event, "kind");

        if (word != NULL && kefu_resolution_kind_from_string (word, &kind))
          /* Translators: %s is how it was resolved, e.g. "Resolved: Repair" */
          return g_strdup_printf (_("Resolved: %s"), kefu_text_resolution_kind (kind));
        return g_strdup (_("Resolved the ticket"));
      }

    case KEFU_EVENT_CONFIRMATION:
      if (data_bool (event, "solved", FALSE))
        return g_strdup (_("The customer confirmed the solution"));
      return g_strdup (_("The customer says the problem is not solved"));

    case KEFU_EVENT_REOPEN:
      return g_strdup (_("Reopened the ticket"));

    case KEFU_EVENT_LAST:
    default:
      return g_strdup (kefu_event_kind_to_string (event->kind) ?: "?");
    }
}

char *
kefu_timeline_event_details (const KefuTicketEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  switch (event->kind)
    {
    case KEFU_EVENT_CREATED:
      {
        const char *channel_word = data_string (event, "channel");
        const char *category_word = data_string (event, "category");
        KefuChannel channel;
        KefuCategory category;
        g_autoptr(GPtrArray) parts = g_ptr_array_new ();

        if (channel_word != NULL && kefu_channel_from_string (channel_word, &channel))
          g_ptr_array_add (parts, (gpointer) kefu_text_channel (channel));
        if (category_word != NULL && kefu_category_from_string (category_word, &category))
          g_ptr_array_add (parts, (gpointer) kefu_text_category (category));
        if (kefu_text_priority ((int) data_int (event, "priority", 0)) != NULL)
          g_ptr_array_add (parts, (gpointer) kefu_text_priority ((int) data_int (event, "priority",
                                                                                 0)));
        g_ptr_array_add (parts, NULL);
        return parts->len > 1 ? g_strjoinv (" · ", (char **) parts->pdata) : NULL;
      }

    case KEFU_EVENT_ASSIGNMENT:
      {
        const char *department = data_string (event, "department");
        JsonArray *supporting = NULL;
        g_autoptr(GString) text = g_string_new (NULL);

        if (department != NULL)
          /* Translators: %s is a department */
          g_string_append_printf (text, _("Lead department: %s"),
                                  kefu_text_department (department));

        if (event->data != NULL && json_object_has_member (event->data, "supporting_departments"))
          supporting = json_object_get_array_member (event->data, "supporting_departments");
        if (supporting != NULL && json_array_get_length (supporting) > 0)
          {
            g_autoptr(GPtrArray) names = g_ptr_array_new ();
            g_autofree char *list = NULL;

            for (guint i = 0; i < json_array_get_length (supporting); i++)
              g_ptr_array_add (names, (gpointer) kefu_text_department (
                                 json_array_get_string_element (supporting, i)));
            g_ptr_array_add (names, NULL);
            list = g_strjoinv (", ", (char **) names->pdata);
            if (text->len > 0)
              g_string_append (text, " · ");
            /* Translators: %s is a list of departments */
            g_string_append_printf (text, _("Supported by: %s"), list);
          }
        return text->len > 0 ? g_strdup (text->str) : NULL;
      }

    case KEFU_EVENT_UPDATED:
      {
        JsonArray *fields = NULL;
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autofree char *list = NULL;

        if (event->data != NULL && json_object_has_member (event->data, "fields"))
          fields = json_object_get_array_member (event->data, "fields");
        for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
          g_ptr_array_add (names, (gpointer) kefu_text_field (
                             json_array_get_string_element (fields, i)));
        if (names->len == 0)
          return NULL;
        g_ptr_array_add (names, NULL);
        list = g_strjoinv (", ", (char **) names->pdata);
        /* Translators: %s is a list of fields, e.g. "Changed: Phone, Subcategory" */
        return g_strdup_printf (_("Changed: %s"), list);
      }

    case KEFU_EVENT_SLA_WARNING:
    case KEFU_EVENT_SLA_BREACH:
      {
        g_autofree char *due = local_time_of (data_string (event, "due"));

        /* Translators: %s is a local date and time */
        return g_strdup_printf (_("Due %s"), due);
      }

    case KEFU_EVENT_ESCALATION:
      {
        const char *reason = data_string (event, "reason");

        if (g_strcmp0 (reason, "unsatisfied") == 0)
          return g_strdup (_("The customer was not satisfied with the result"));
        if (g_strcmp0 (reason, "breach") == 0)
          /* Translators: %s names a deadline */
          return g_strdup_printf (_("A deadline was missed: %s"),
                                  clock_name (data_string (event, "clock")));
        return NULL;
      }

    case KEFU_EVENT_RESOLUTION:
      {
        gint64 cents = data_int (event, "cost_cents", 0);
        int minutes = (int) MIN (data_int (event, "minutes_spent", 0), G_MAXINT);
        g_autofree char *cost = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", cents / 100,
                                                 (int) (ABS (cents) % 100));

        /* Translators: the cost (e.g. "120.00") and time spent of a resolution */
        return g_strdup_printf (_("Cost %s · %d min spent"), cost, minutes);
      }

    case KEFU_EVENT_CONFIRMATION:
      {
        gint64 satisfaction = data_int (event, "satisfaction", 0);

        if (satisfaction < 1 || satisfaction > 5)
          return NULL;
        /* Translators: e.g. "Satisfaction 4/5 · Satisfied" */
        return g_strdup_printf (_("Satisfaction %d/5 · %s"), (int) satisfaction,
                                satisfaction_word (satisfaction));
      }

    case KEFU_EVENT_STATUS:
      {
        KefuCancelReason reason;
        const char *word = data_string (event, "reason");

        if (word != NULL && kefu_cancel_reason_from_string (word, &reason))
          /* Translators: %s is why a ticket was cancelled */
          return g_strdup_printf (_("Reason: %s"), kefu_text_cancel_reason (reason));
        return NULL;
      }

    case KEFU_EVENT_NOTE:
    case KEFU_EVENT_CUSTOMER_CONTACT:
    case KEFU_EVENT_PRIORITY:
    case KEFU_EVENT_ATTACHMENT:
    case KEFU_EVENT_VISIT:
    case KEFU_EVENT_RETURN:
    case KEFU_EVENT_REOPEN:
    case KEFU_EVENT_LAST:
    default:
      return NULL;
    }
}

/* The free text that came with the event, when it says more than the summary. */
static const char *
event_body (const KefuTicketEvent *event)
{
  switch (event->kind)
    {
    case KEFU_EVENT_ASSIGNMENT:     /* the assignee's name, already in the summary */
    case KEFU_EVENT_PRIORITY:       /* "P3 → P1", idem */
      return NULL;

    case KEFU_EVENT_STATUS:
      /* A cancel reason is a word, read in the details. */
      if (g_strcmp0 (data_string (event, "to"), "cancelled") == 0)
        return NULL;
      return event->text;

    case KEFU_EVENT_CREATED:
    case KEFU_EVENT_NOTE:
    case KEFU_EVENT_CUSTOMER_CONTACT:
    case KEFU_EVENT_UPDATED:
    case KEFU_EVENT_ATTACHMENT:
    case KEFU_EVENT_VISIT:
    case KEFU_EVENT_RETURN:
    case KEFU_EVENT_SLA_WARNING:
    case KEFU_EVENT_SLA_BREACH:
    case KEFU_EVENT_ESCALATION:
    case KEFU_EVENT_RESOLUTION:
    case KEFU_EVENT_CONFIRMATION:
    case KEFU_EVENT_REOPEN:
    case KEFU_EVENT_LAST:
    default:
      return event->text;
    }
}

static const char *
event_icon (KefuEventKind kind)
{
  switch (kind)
    {
    case KEFU_EVENT_CREATED:          return "document-new-symbolic";
    case KEFU_EVENT_NOTE:             return "document-edit-symbolic";
    case KEFU_EVENT_CUSTOMER_CONTACT: return "call-start-symbolic";
    case KEFU_EVENT_STATUS:           return "go-next-symbolic";
    case KEFU_EVENT_ASSIGNMENT:       return "system-users-symbolic";
    case KEFU_EVENT_PRIORITY:         return "emblem-important-symbolic";
    case KEFU_EVENT_UPDATED:          return "document-edit-symbolic";
    case KEFU_EVENT_ATTACHMENT:       return "mail-attachment-symbolic";
    case KEFU_EVENT_VISIT:            return "user-home-symbolic";
    case KEFU_EVENT_RETURN:           return "send-to-symbolic";
    case KEFU_EVENT_SLA_WARNING:      return "alarm-symbolic";
    case KEFU_EVENT_SLA_BREACH:       return "dialog-warning-symbolic";
    case KEFU_EVENT_ESCALATION:       return "go-up-symbolic";
    case KEFU_EVENT_RESOLUTION:       return "emblem-ok-symbolic";
    case KEFU_EVENT_CONFIRMATION:     return "starred-symbolic";
    case KEFU_EVENT_REOPEN:           return "view-refresh-symbolic";
    case KEFU_EVENT_LAST:
    default:                          return "document-properties-symbolic";
    }
}

/* The colour of the icon: what matters to the customer and to the deadlines stands out. */
static const char *
event_style (const KefuTicketEvent *event)
{
  switch (event->kind)
    {
    case KEFU_EVENT_CUSTOMER_CONTACT:
      return "accent";
    case KEFU_EVENT_SLA_WARNING:
      return "warning";
    case KEFU_EVENT_SLA_BREACH:
    case KEFU_EVENT_ESCALATION:
      return "error";
    case KEFU_EVENT_RESOLUTION:
      return "success";
    case KEFU_EVENT_CONFIRMATION:
      return data_bool (event, "solved", FALSE) ? "success" : "error";
    case KEFU_EVENT_REOPEN:
      return "warning";
    case KEFU_EVENT_CREATED:
    case KEFU_EVENT_NOTE:
    case KEFU_EVENT_STATUS:
    case KEFU_EVENT_ASSIGNMENT:
    case KEFU_EVENT_PRIORITY:
    case KEFU_EVENT_UPDATED:
    case KEFU_EVENT_ATTACHMENT:
    case KEFU_EVENT_VISIT:
    case KEFU_EVENT_RETURN:
    case KEFU_EVENT_LAST:
    default:
      return NULL;
    }
}

/* ---- the row ------------------------------------------------------------------------------ */

static void
set_optional_label (GtkLabel   *label,
                    const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

void
kefu_timeline_row_update_time (KefuTimelineRow *self,
                               gint64           now_usec)
{
  g_autofree char *relative = NULL;

  g_return_if_fail (KEFU_IS_TIMELINE_ROW (self));

  relative = kefu_text_relative_time (self->event->at, now_usec);
  gtk_label_set_text (self->time_label, relative != NULL ? relative : "");
}

const KefuTicketEvent *
kefu_timeline_row_get_event (KefuTimelineRow *self)
{
  g_return_val_if_fail (KEFU_IS_TIMELINE_ROW (self), NULL);

  return self->event;
}

const char *
kefu_timeline_row_get_summary (KefuTimelineRow *self)
{
  g_return_val_if_fail (KEFU_IS_TIMELINE_ROW (self), NULL);

  return self->summary;
}

GtkWidget *
kefu_timeline_row_new (const KefuTicketEvent *event,
                       gint64                 now_usec)
{
  KefuTimelineRow *self;
  g_autofree char *details = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *accessible = NULL;
  const char *style;
  const char *actor;

  g_return_val_if_fail (event != NULL, NULL);

  self = g_object_new (KEFU_TYPE_TIMELINE_ROW, NULL);
  self->event = kefu_ticket_event_copy (event);
  self->summary = kefu_timeline_event_summary (event);
  details = kefu_timeline_event_details (event);

  gtk_image_set_from_icon_name (self->icon, event_icon (event->kind));
  style = event_style (event);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->icon), style);
  if (event->kind == KEFU_EVENT_CUSTOMER_CONTACT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "kefu-customer-contact");
  if (event->kind == KEFU_EVENT_NOTE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "kefu-internal-note");

  gtk_label_set_text (self->summary_label, self->summary);

  if (event->actor.id == 0)
    /* Translators: who made an automatic timeline event (the SLA clock) */
    actor = C_("actor", "Kefu (automatic)");
  else
    actor = event->actor.display_name != NULL ? event->actor.display_name : "";
  gtk_label_set_text (self->actor_label, actor);

  absolute = kefu_text_local_time (event->at, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), absolute);
  kefu_timeline_row_update_time (self, now_usec);

  set_optional_label (self->body_label, event_body (event));
  set_optional_label (self->detail_label, details);

  accessible = g_strdup_printf ("%s, %s, %s", self->summary, actor,
                                absolute != NULL ? absolute : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return GTK_WIDGET (self);
}

static void
kefu_timeline_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KEFU_TYPE_TIMELINE_ROW);

  G_OBJECT_CLASS (kefu_timeline_row_parent_class)->dispose (object);
}

static void
kefu_timeline_row_finalize (GObject *object)
{
  KefuTimelineRow *self = KEFU_TIMELINE_ROW (object);

  g_clear_pointer (&self->event, kefu_ticket_event_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (kefu_timeline_row_parent_class)->finalize (object);
}

static void
kefu_timeline_row_class_init (KefuTimelineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_timeline_row_dispose;
  object_class->finalize = kefu_timeline_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-timeline-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuTimelineRow, icon);
  gtk_widget_class_bind_template_child (widget_class, KefuTimelineRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTimelineRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTimelineRow, actor_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTimelineRow, body_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTimelineRow, detail_label);
}

static void
kefu_timeline_row_init (KefuTimelineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
