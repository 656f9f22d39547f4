/* kefu-ticket-page.c — one ticket: its fields, deadlines and timeline
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-ticket-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kefu-attachments-section.h"
#include "kefu-error.h"
#include "kefu-error-text.h"
#include "kefu-returns-section.h"
#include "kefu-sla.h"
#include "kefu-ticket-page.h"
#include "kefu-ticket-text.h"
#include "kefu-timeline-row.h"
#include "kefu-validate.h"
#include "kefu-visits-section.h"

/* The fields shown as rows; the first ones in the Customer group, the others in Ticket. */
typedef enum {
  INFO_NAME,
  INFO_PHONE,
  INFO_EMAIL,
  INFO_CODE,
  INFO_ORDER,
  INFO_MODEL,
  INFO_SERIAL,
  INFO_PURCHASE,
  INFO_ADDRESS,
  INFO_FIRST_TICKET_ROW,
  INFO_CHANNEL = INFO_FIRST_TICKET_ROW,
  INFO_STAGE,
  INFO_CATEGORY,
  INFO_PRIORITY,
  INFO_STATUS,
  INFO_ASSIGNEE,
  INFO_DEPARTMENT,
  INFO_SUPPORTING,
  INFO_SUBMITTED,
  INFO_REGISTERED,
  INFO_ESCALATION,
  INFO_RESOLUTION,
  INFO_CONFIRMATION,
  N_INFO
} InfoRow;

/* The clocks shown, in this order. */
static const KefuSlaClock shown_clocks[] = {
  KEFU_SLA_CLOCK_RESPONSE,
  KEFU_SLA_CLOCK_ACCEPT,
  KEFU_SLA_CLOCK_RESOLVE,
  KEFU_SLA_CLOCK_UPDATE,
  KEFU_SLA_CLOCK_CONFIRM,
};
#define N_CLOCKS G_N_ELEMENTS (shown_clocks)

typedef enum {
  CLOCK_IDLE,        /* not started or not applicable */
  CLOCK_RUNNING,
  CLOCK_WARNING,
  CLOCK_BREACHED,
  CLOCK_PAUSED,
  CLOCK_MET,
  CLOCK_MET_LATE,
} ClockState;

struct _KefuTicketPage
{
  AdwBin           parent_instance;

  KefuConnection  *connection;
  char            *number;
  char            *title;
  KefuTicket      *ticket;
  GCancellable    *cancellable;       /* every request; cancelled when the page goes */
  GCancellable    *load_cancellable;  /* the GET in flight */
  char            *pending_note;      /* a note to post again after a version conflict */
  gboolean         pending_note_contact;
  /* The document carries the newest events of the timeline; the ones before them that "Show
   * Earlier Entries" loaded, oldest first, contiguous with the document's. */
  GPtrArray       *earlier;
  gint64           earlier_before;    /* the event the page in flight ends before */

  AdwActionRow    *info_rows[N_INFO];
  AdwActionRow    *clock_rows[N_CLOCKS];
  GtkLabel        *clock_labels[N_CLOCKS];
  GtkWidget       *copy_phone_button;

  guint            tick_id;
  guint            ticks;
  guint            loading : 1;
  guint            reload_again : 1;
  guint            posting : 1;
  guint            loading_earlier : 1;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  AdwStatusPage   *error_page;
  GtkLabel        *number_label;
  GtkLabel        *priority_tag;
  GtkLabel        *status_tag;
  GtkLabel        *headline_label;
  GtkLabel        *subline_label;
  AdwPreferencesGroup *sla_group;
  GtkLabel        *sla_tag;
  GtkLabel        *description_label;
  AdwPreferencesGroup *customer_group;
  AdwPreferencesGroup *details_group;
  GtkListBox      *timeline_list;
  GtkWidget       *earlier_button;
  GtkToggleButton *note_toggle;
  GtkToggleButton *contact_toggle;
  GtkLabel        *compose_hint;
  GtkTextView     *compose_view;
  GtkWidget       *compose_scroller;
  GtkLabel        *compose_error;
  GtkWidget       *compose_button;
  GtkSpinner      *compose_spinner;
  GtkLabel        *compose_label;
  KefuTicketActions *workflow;
  KefuAttachmentsSection *attachments_section;
  KefuVisitsSection *visits_section;
  KefuReturnsSection *returns_section;
};

G_DEFINE_FINAL_TYPE (KefuTicketPage, kefu_ticket_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_NUMBER,
  PROP_TITLE,
  PROP_TICKET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (KefuTicketPage *self);
static void post_note (KefuTicketPage *self, const char *text, gboolean contact);

/* ---- helpers ------------------------------------------------------------------------------ */

static void
toast (KefuTicketPage *self,
       const char     *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
set_tag (GtkLabel   *label,
         const char *text,
         const char *style)
{
  static const char *styles[] = { "kefu-tag-urgent", "kefu-tag-high", "kefu-tag-accent",
                                  "kefu-tag-success", "kefu-tag-warning", "kefu-tag-error",
                                  "kefu-tag-dim" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), style);
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static const char *
priority_style (int priority)
{
  switch (priority)
    {
    case 1:
      return "kefu-tag-urgent";
    case 2:
      return "kefu-tag-high";
    case 3:
      return "kefu-tag-accent";
    default:
      return "kefu-tag-dim";
    }
}

static const char *
status_style (KefuStatus status)
{
  switch (status)
    {
    case KEFU_STATUS_RESOLVED:
    case KEFU_STATUS_CLOSED:
      return "kefu-tag-success";
    case KEFU_STATUS_REOPENED:
      return "kefu-tag-warning";
    case KEFU_STATUS_CANCELLED:
      return "kefu-tag-dim";
    case KEFU_STATUS_NEW:
    case KEFU_STATUS_ASSIGNED:
    case KEFU_STATUS_ACCEPTED:
    case KEFU_STATUS_IN_PROGRESS:
    case KEFU_STATUS_WAITING_CUSTOMER:
    case KEFU_STATUS_WAITING_PARTS:
    case KEFU_STATUS_LAST:
    default:
      return "kefu-tag-accent";
    }
}

static gboolean
is_me (KefuTicketPage *self,
       gint64          user_id)
{
  return user_id != 0 && user_id == kefu_connection_get_user_id (self->connection);
}

static gboolean
role_is (KefuTicketPage *self,
         const char     *role)
{
  return g_strcmp0 (kefu_connection_get_role (self->connection), role) == 0;
}

/* ---- the fields --------------------------------------------------------------------------- */

static void
set_info (KefuTicketPage *self,
          InfoRow         info,
          const char     *value)
{
  AdwActionRow *row = self->info_rows[info];

  adw_action_row_set_subtitle (row, value != NULL ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), value != NULL && *value != '\0');
}

static void
set_info_take (KefuTicketPage *self,
               InfoRow         info,
               char           *value)   /* (transfer full) */
{
  set_info (self, info, value);
  g_free (value);
}

static char *
user_and_time (const char *name,
               gint64      usec)
{
  g_autofree char *time = kefu_text_local_time (usec, FALSE);

  if (name == NULL || *name == '\0')
    return g_steal_pointer (&time);
  if (time == NULL)
    return g_strdup (name);
  /* Translators: who and when, e.g. "Zhang Li · 2026-11-23 17:05" */
  return g_strdup_printf (_("%s · %s"), name, time);
}

static void
update_fields (KefuTicketPage *self)
{
  KefuTicket *t = self->ticket;
  KefuCustomer *c = &t->customer;
  gboolean masked = c->phone != NULL && strchr (c->phone, '*') != NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *headline = NULL;
  g_autofree char *subline = NULL;
  g_autofree char *submitted = kefu_text_local_time (t->submitted_at, FALSE);

  gtk_label_set_text (self->number_label, t->number);
  set_tag (self->priority_tag, kefu_text_priority (t->priority), priority_style (t->priority));
  set_tag (self->status_tag, kefu_text_status (t->status), status_style (t->status));

  /* "王芳 · Quality · Will not start" */
  g_ptr_array_add (parts, g_strdup (c->name != NULL ? c->name : ""));
  g_ptr_array_add (parts, g_strdup (kefu_text_category (t->category)));
  if (t->subcategory != NULL)
    g_ptr_array_add (parts, g_strdup (t->subcategory));
  g_ptr_array_add (parts, NULL);
  headline = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_text (self->headline_label, headline);

  /* Translators: how and when a ticket came in, e.g. "Phone · reported 2026-11-23 17:05" */
  subline = g_strdup_printf (_("%s · reported %s"), kefu_text_channel (t->channel),
                             submitted != NULL ? submitted : "—");
  gtk_label_set_text (self->subline_label, subline);

  gtk_label_set_text (self->description_label, t->description != NULL ? t->description : "");

  set_info (self, INFO_NAME, c->name);
  set_info (self, INFO_PHONE, c->phone);
  gtk_widget_set_visible (self->copy_phone_button, c->phone != NULL && !masked);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->info_rows[INFO_PHONE]),
                               masked ? _("Only the roles that call customers see the full "
                                          "number")
                                      : NULL);
  set_info (self, INFO_EMAIL, c->email);
  set_info (self, INFO_CODE, c->code);
  set_info (self, INFO_ORDER, c->order_no);
  set_info (self, INFO_MODEL, c->product_model);
  set_info (self, INFO_SERIAL, c->serial_no);
  set_info (self, INFO_PURCHASE, c->purchase_date);
  set_info (self, INFO_ADDRESS, c->address);

  set_info (self, INFO_CHANNEL, kefu_text_channel (t->channel));
  set_info (self, INFO_STAGE, kefu_text_stage (t->stage));
  if (t->subcategory != NULL)
    /* Translators: a category and its subcategory, e.g. "Quality: Will not start" */
    set_info_take (self, INFO_CATEGORY, g_strdup_printf (_("%s: %s"),
                                                         kefu_text_category (t->category),
                                                         t->subcategory));
  else
    set_info (self, INFO_CATEGORY, kefu_text_category (t->category));
  set_info_take (self, INFO_PRIORITY, g_strdup_printf ("%s — %s", kefu_text_priority (t->priority),
                                                       kefu_text_priority_meaning (t->priority)));
  set_info (self, INFO_STATUS, kefu_text_status (t->status));
  set_info (self, INFO_ASSIGNEE, t->assignee.id != 0 ? t->assignee.display_name
                                                      : C_("assignee", "Not assigned yet"));
  set_info (self, INFO_DEPARTMENT, kefu_text_department (t->department));
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();

    for (guint i = 0; t->supporting_departments != NULL && t->supporting_departments[i]; i++)
      g_ptr_array_add (names, (gpointer) kefu_text_department (t->supporting_departments[i]));
    g_ptr_array_add (names, NULL);
    set_info_take (self, INFO_SUPPORTING, g_strjoinv (", ", (char **) names->pdata));
  }
  set_info_take (self, INFO_SUBMITTED, kefu_text_local_time (t->submitted_at, FALSE));
  set_info_take (self, INFO_REGISTERED, user_and_time (t->registered_by.display_name,
                                                       t->registered_at));
  if (t->escalation_level > 0)
    /* Translators: 1 = the supervisors were alerted, 2 = the managers */
    set_info_take (self, INFO_ESCALATION, g_strdup_printf (_("Level %d"), t->escalation_level));
  else
    set_info (self, INFO_ESCALATION, NULL);

  if (t->resolution != NULL)
    {
      const char *kind = kefu_text_resolution_kind (t->resolution->kind);

      set_info_take (self, INFO_RESOLUTION,
                     t->resolution->summary != NULL
                     ? g_strdup_printf ("%s — %s", kind, t->resolution->summary)
                     : g_strdup (kind));
    }
  else
    set_info (self, INFO_RESOLUTION, NULL);

  if (t->confirmation != NULL)
    set_info_take (self, INFO_CONFIRMATION,
                   /* Translators: e.g. "Solved · satisfaction 5/5" */
                   g_strdup_printf (t->confirmation->solved ? _("Solved · satisfaction %d/5")
                                                            : _("Not solved · satisfaction %d/5"),
                                    t->confirmation->satisfaction));
  else
    set_info (self, INFO_CONFIRMATION, NULL);
}

/* ---- the deadlines ------------------------------------------------------------------------ */

/* Whether the timeline as far as it is loaded (the document's events and the earlier ones)
 * has an event @kind about @clock. */
static gboolean
has_clock_event (KefuTicketPage *self,
                 KefuEventKind   kind,
                 KefuSlaClock    clock,
                 gint64          due)      /* 0: any due */
{
  const char *word = kefu_sla_clock_to_string (clock);
  g_autofree char *due_text = due != 0 ? kefu_time_to_iso8601 (due) : NULL;
  GPtrArray *doc_events = self->ticket->events;
  guint n_earlier = self->earlier->len;
  guint n = n_earlier + (doc_events != NULL ? doc_events->len : 0);

  for (guint i = 0; i < n; i++)
    {
      KefuTicketEvent *event = i < n_earlier ? g_ptr_array_index (self->earlier, i)
                                             : g_ptr_array_index (doc_events, i - n_earlier);

      if (event->kind != kind || event->data == NULL)
        continue;
      if (g_strcmp0 (json_object_get_string_member_with_default (event->data, "clock", NULL),
                     word) != 0)
        continue;
      if (due_text == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (event->data, "due", NULL),
                     due_text) == 0)
        return TRUE;
    }
  return FALSE;
}

static ClockState
clock_state (KefuTicketPage *self,
             KefuSlaClock    clock,
             gint64          now,
             gint64         *out_due,
             gint64         *out_met)
{
  KefuTicket *t = self->ticket;
  KefuTicketSla *sla = &t->sla;
  gint64 due = 0, met = 0;
  gboolean pausable = FALSE;

  switch (clock)
    {
    case KEFU_SLA_CLOCK_RESPONSE:
      due = sla->response_due;
      met = sla->first_response_at;
      pausable = TRUE;
      break;
    case KEFU_SLA_CLOCK_ACCEPT:
      due = sla->accept_due;
      met = t->assignee.id != 0 ? sla->accepted_at : 0;
      break;
    case KEFU_SLA_CLOCK_RESOLVE:
      due = sla->resolve_due;
      met = sla->resolved_at;
      pausable = TRUE;
      break;
    case KEFU_SLA_CLOCK_UPDATE:
      due = sla->next_update_due;
      pausable = TRUE;
      break;
    case KEFU_SLA_CLOCK_CONFIRM:
      /* A reopened ticket was confirmed too, unsatisfied: that call belongs to the previous
       * round. */
      due = sla->confirm_due;
      met = t->status == KEFU_STATUS_CLOSED && t->confirmation != NULL
            ? t->confirmation->confirmed_at : 0;
      break;
    case KEFU_SLA_CLOCK_RETURN_REVIEW:
    case KEFU_SLA_CLOCK_RETURN_PICKUP:
    case KEFU_SLA_CLOCK_LAST:
    default:
      break;
    }

  *out_due = due;
  *out_met = met;

  if (due != 0)
    {
      if (due <= now)
        return CLOCK_BREACHED;
      if (has_clock_event (self, KEFU_EVENT_SLA_WARNING, clock, due))
        return CLOCK_WARNING;
      return CLOCK_RUNNING;
    }
  if (met == 0 && pausable && sla->paused && kefu_status_is_open (t->status))
    return CLOCK_PAUSED;
  if (met != 0)
    return has_clock_event (self, KEFU_EVENT_SLA_BREACH, clock, 0) ? CLOCK_MET_LATE
                                                                     : CLOCK_MET;
  return CLOCK_IDLE;
}

static const char *
idle_text (KefuTicketPage *self,
           KefuSlaClock    clock)
{
  gboolean open = kefu_status_is_open (self->ticket->status);

  if (clock == KEFU_SLA_CLOCK_ACCEPT && open && self->ticket->assignee.id == 0)
    return _("Starts when the ticket is assigned");
  if (clock == KEFU_SLA_CLOCK_CONFIRM && open)
    return _("Starts when the ticket is resolved");
  return _("Not running");
}

static void
update_clocks (KefuTicketPage *self)
{
  static const char *styles[] = { "error", "warning", "success", "dim-label", "accent" };
  gint64 now = g_get_real_time ();
  gboolean any_breached = FALSE, any_warning = FALSE, any_running = FALSE;
  gboolean open;

  if (self->ticket == NULL)
    return;

  open = kefu_status_is_open (self->ticket->status) ||
         self->ticket->status == KEFU_STATUS_RESOLVED;

  for (guint i = 0; i < N_CLOCKS; i++)
    {
      KefuSlaClock clock = shown_clocks[i];
      AdwActionRow *row = self->clock_rows[i];
      GtkLabel *label = self->clock_labels[i];
      g_autofree char *countdown = NULL;
      g_autofree char *text = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *when = NULL;
      const char *style = NULL;
      gint64 due, met;
      ClockState state = clock_state (self, clock, now, &due, &met);

      switch (state)
        {
        case CLOCK_RUNNING:
        case CLOCK_WARNING:
          countdown = kefu_text_countdown (due - now);
          /* Translators: the time left until a deadline, e.g. "1:12:05 left" */
          text = g_strdup_printf (_("%s left"), countdown);
          when = kefu_text_local_time (due, FALSE);
          /* Translators: %s is a local date and time */
          subtitle = g_strdup_printf (_("Due %s"), when);
          style = state == CLOCK_WARNING ? "warning" : NULL;
          any_warning |= state == CLOCK_WARNING;
          any_running = TRUE;
          break;

        case CLOCK_BREACHED:
          countdown = kefu_text_countdown (now - due);
          /* Translators: how long ago a deadline passed, e.g. "Overdue by 0:05:12" */
          text = g_strdup_printf (_("Overdue by %s"), countdown);
          when = kefu_text_local_time (due, FALSE);
          /* Translators: %s is a local date and time */
          subtitle = g_strdup_printf (_("Was due %s"), when);
          style = "error";
          any_breached = TRUE;
          break;

        case CLOCK_PAUSED:
          text = g_strdup (C_("deadline", "Paused"));
          subtitle = g_strdup (_("Stopped while waiting for the customer"));
          style = "dim-label";
          break;

        case CLOCK_MET:
        case CLOCK_MET_LATE:
          text = g_strdup (state == CLOCK_MET ? C_("deadline", "Met")
                                              : C_("deadline", "Met late"));
          when = kefu_text_local_time (met, FALSE);
          /* Translators: when a deadline was met; %s is a local date and time */
          subtitle = g_strdup_printf (_("Done %s"), when);
          style = state == CLOCK_MET ? "success" : "warning";
          break;

        case CLOCK_IDLE:
        default:
          text = g_strdup ("—");
          subtitle = g_strdup (idle_text (self, clock));
          style = "dim-label";
          break;
        }

      gtk_label_set_text (label, text);
      for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
        gtk_widget_remove_css_class (GTK_WIDGET (label), styles[s]);
      if (style != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (label), style);
      adw_action_row_set_subtitle (row, subtitle);
    }

  if (!open)
    set_tag (self->sla_tag, NULL, NULL);
  else if (any_breached)
    set_tag (self->sla_tag, C_("deadlines", "Overdue"), "kefu-tag-error");
  else if (any_warning)
    set_tag (self->sla_tag, C_("deadlines", "Due soon"), "kefu-tag-warning");
  else if (self->ticket->sla.paused)
    set_tag (self->sla_tag, C_("deadlines", "Paused"), "kefu-tag-dim");
  else if (any_running)
    set_tag (self->sla_tag, C_("deadlines", "On track"), "kefu-tag-success");
  else
    set_tag (self->sla_tag, NULL, NULL);
}

/* ---- the timeline ------------------------------------------------------------------------- */

/* How many entries of the timeline are loaded: the earlier ones and the document's. */
static guint
timeline_loaded (KefuTicketPage *self)
{
  if (self->ticket == NULL || self->ticket->events == NULL)
    return 0;
  return self->earlier->len + self->ticket->events->len;
}

static void
update_earlier_button (KefuTicketPage *self)
{
  gboolean more = self->ticket != NULL && self->ticket->events != NULL &&
                  self->ticket->events->len > 0 &&
                  kefu_ticket_timeline_total (self->ticket) > (gint64) timeline_loaded (self);

  gtk_widget_set_visible (self->earlier_button, more);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.show-earlier",
                                 more && !self->loading_earlier);
}

static void
update_timeline (KefuTicketPage *self)
{
  GtkWidget *child;
  gint64 now = g_get_real_time ();

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_list))) != NULL)
    gtk_list_box_remove (self->timeline_list, child);

  for (guint i = 0; i < self->earlier->len; i++)
    gtk_list_box_append (self->timeline_list,
                         kefu_timeline_row_new (g_ptr_array_index (self->earlier, i), now));
  for (guint i = 0; self->ticket->events != NULL && i < self->ticket->events->len; i++)
    gtk_list_box_append (self->timeline_list,
                         kefu_timeline_row_new (g_ptr_array_index (self->ticket->events, i), now));
  update_earlier_button (self);
}

static gboolean
holds_event (GPtrArray *events,
             gint64     id)
{
  for (guint i = events->len; i-- > 0;)
    {
      if (((KefuTicketEvent *) g_ptr_array_index (events, i))->id == id)
        return TRUE;
    }
  return FALSE;
}

/* A new document (@ticket) replaces @old: what was loaded before its first event stays, as
 * long as it joins on. Events are never changed or removed, so a document that still holds the
 * newest event of the old one continues it; one that does not (more events came meanwhile
 * than a document holds) leaves a gap, and the earlier entries are loaded again on request. */
static void
keep_earlier (KefuTicketPage *self,
              KefuTicket     *old,
              KefuTicket     *ticket)
{
  gint64 first;

  if (ticket->events == NULL || ticket->events->len == 0)
    {
      g_ptr_array_set_size (self->earlier, 0);
      return;
    }
  first = ((KefuTicketEvent *) g_ptr_array_index (ticket->events, 0))->id;

  if (old == NULL || old->events == NULL || old->events->len == 0 ||
      !holds_event (ticket->events,
                    ((KefuTicketEvent *) g_ptr_array_index (old->events,
                                                            old->events->len - 1))->id))
    {
      g_ptr_array_set_size (self->earlier, 0);
      return;
    }

  for (guint i = 0; i < old->events->len; i++)
    {
      const KefuTicketEvent *event = g_ptr_array_index (old->events, i);

      if (event->id < first)
        g_ptr_array_add (self->earlier, kefu_ticket_event_copy (event));
    }
}

static void
earlier_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KefuTicketPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) page = NULL;
  JsonArray *array = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_earlier = FALSE;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (answer), "events");

      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        array = json_node_get_array (member);
      else
        g_set_error_literal (&error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                             "the timeline page has no events");
    }

  page = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_event_free);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      KefuTicketEvent *event = kefu_ticket_event_from_json (json_array_get_element (array, i),
                                                            &error);

      if (event == NULL)
        break;
      g_ptr_array_add (page, event);
    }

  if (error != NULL)
    {
      g_autofree char *text = kefu_error_text (error);

      g_debug ("Loading earlier entries of %s failed: %s", self->number, error->message);
      toast (self, text);
      update_earlier_button (self);
      return;
    }

  /* The page ends where the loaded timeline began when it was asked for; if a new document
   * has moved that start meanwhile, the page no longer joins on: drop it (the button asks
   * again from the new start). */
  if (self->ticket != NULL && page->len > 0 && timeline_loaded (self) > 0)
    {
      const KefuTicketEvent *oldest = self->earlier->len > 0
                                      ? g_ptr_array_index (self->earlier, 0)
                                      : g_ptr_array_index (self->ticket->events, 0);
      if (oldest->id == self->earlier_before)
        {
          g_ptr_array_extend_and_steal (page, g_steal_pointer (&self->earlier));
          self->earlier = g_steal_pointer (&page);
          update_timeline (self);
          update_clocks (self);
          return;
        }
    }

  update_earlier_button (self);
}

static void
show_earlier_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  const KefuTicketEvent *oldest;

  if (self->ticket == NULL || self->loading_earlier || timeline_loaded (self) == 0)
    return;

  oldest = self->earlier->len > 0 ? g_ptr_array_index (self->earlier, 0)
                                  : g_ptr_array_index (self->ticket->events, 0);
  self->loading_earlier = TRUE;
  self->earlier_before = oldest->id;
  update_earlier_button (self);

  escaped = g_uri_escape_string (self->number, NULL, FALSE);
  path = g_strdup_printf ("/tickets/%s/timeline?before=%" G_GINT64_FORMAT "&limit=%d",
                          escaped, oldest->id, KEFU_TIMELINE_PAGE);
  kefu_connection_request_async (self->connection, "GET", path, NULL, NULL, self->cancellable,
                                 earlier_cb, g_object_ref (self));
}

static void
update_timeline_times (KefuTicketPage *self)
{
  gint64 now = g_get_real_time ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (KEFU_IS_TIMELINE_ROW (child))
        kefu_timeline_row_update_time (KEFU_TIMELINE_ROW (child), now);
    }
}

/* ---- actions' availability ---------------------------------------------------------------- */

static void
update_actions (KefuTicketPage *self)
{
  KefuTicket *t = self->ticket;
  gboolean loaded = t != NULL;
  gboolean mine = loaded && is_me (self, t->assignee.id);
  gboolean may_accept = loaded && !self->posting && mine && t->status == KEFU_STATUS_ASSIGNED;
  gboolean may_start = loaded && !self->posting &&
                       (mine || role_is (self, "supervisor")) &&
                       t->status != KEFU_STATUS_IN_PROGRESS &&
                       kefu_status_can_transition (t->status, KEFU_STATUS_IN_PROGRESS);
  gboolean may_note = loaded && !self->posting && t->status != KEFU_STATUS_CANCELLED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.accept", may_accept);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.start-work", may_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.add-note", may_note);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.copy-number", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.copy-phone",
                                 loaded && t->customer.phone != NULL &&
                                 strchr (t->customer.phone, '*') == NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->compose_spinner), self->posting);
  gtk_spinner_set_spinning (self->compose_spinner, self->posting);
}

/* ---- the ticket --------------------------------------------------------------------------- */

/* Attachments, visits and returns: each shown when the ticket has some or the user may add. */
static void
update_sections (KefuTicketPage *self)
{
  kefu_attachments_section_set_ticket (self->attachments_section, self->ticket);
  kefu_visits_section_set_ticket (self->visits_section, self->ticket);
  kefu_returns_section_set_ticket (self->returns_section, self->ticket);
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_section),
                          kefu_attachments_section_is_relevant (self->attachments_section));
  gtk_widget_set_visible (GTK_WIDGET (self->visits_section),
                          kefu_visits_section_is_relevant (self->visits_section));
  gtk_widget_set_visible (GTK_WIDGET (self->returns_section),
                          kefu_returns_section_is_relevant (self->returns_section));
}

static void
set_title (KefuTicketPage *self)
{
  g_autofree char *title = NULL;

  if (self->ticket != NULL && self->ticket->customer.name != NULL)
    title = g_strdup_printf ("%s · %s", self->number, self->ticket->customer.name);
  else
    title = g_strdup (self->number);

  if (g_strcmp0 (title, self->title) == 0)
    return;
  g_free (self->title);
  self->title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
set_ticket (KefuTicketPage *self,
            KefuTicket     *ticket)
{
  g_autoptr(KefuTicket) old = g_steal_pointer (&self->ticket);

  self->ticket = kefu_ticket_ref (ticket);

  /* The server sends the full phone to the roles that call the customer; a live update may
   * carry it masked where GET did not: keep what we know. */
  if (old != NULL && old->customer.phone != NULL && ticket->customer.phone != NULL &&
      strchr (ticket->customer.phone, '*') != NULL && strchr (old->customer.phone, '*') == NULL)
    {
      g_autofree char *masked = kefu_mask_phone (old->customer.phone);

      if (g_strcmp0 (masked, ticket->customer.phone) == 0)
        {
          g_free (ticket->customer.phone);
          ticket->customer.phone = g_strdup (old->customer.phone);
        }
    }

  keep_earlier (self, old, ticket);

  kefu_ticket_actions_set_ticket (self->workflow, ticket);
  update_sections (self);
  update_fields (self);
  update_clocks (self);
  if (old == NULL || ticket->events == NULL || old->events == NULL ||
      old->events->len != ticket->events->len || old->version != ticket->version)
    update_timeline (self);
  update_actions (self);
  set_title (self);
  gtk_stack_set_visible_child_name (self->stack, "ticket");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKET]);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KefuTicketPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (answer != NULL)
    ticket = kefu_ticket_from_json (answer, &error);

  if (ticket == NULL)
    {
      g_autofree char *text = kefu_error_text (error);

      g_debug ("Loading %s failed: %s", self->number, error->message);
      if (self->ticket == NULL)
        {
          adw_status_page_set_description (self->error_page, text);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        toast (self, text);
      self->reload_again = FALSE;
      g_clear_pointer (&self->pending_note, g_free);
      return;
    }

  if (self->ticket == NULL || ticket->version >= self->ticket->version)
    set_ticket (self, ticket);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      reload (self);
      return;
    }

  /* A note that met a newer version: post it again on this one. */
  if (self->pending_note != NULL)
    {
      g_autofree char *text = g_steal_pointer (&self->pending_note);

      post_note (self, text, self->pending_note_contact);
    }
}

static void
reload (KefuTicketPage *self)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }

  self->loading = TRUE;
  if (self->ticket == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
    }

  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  escaped = g_uri_escape_string (self->number, NULL, FALSE);
  path = g_strdup_printf ("/tickets/%s", escaped);
  kefu_connection_request_async (self->connection, "GET", path, NULL, NULL,
                                 self->load_cancellable, load_cb, g_object_ref (self));
}

static void
on_connection_event (KefuTicketPage *self,
                     const char     *type,
                     JsonNode       *data)
{
  JsonObject *object;

  if (g_strcmp0 (type, "ticket.updated") != 0 && g_strcmp0 (type, "ticket.created") != 0 &&
      g_strcmp0 (type, "resync") != 0)
    return;

  if (g_strcmp0 (type, "resync") == 0)
    {
      reload (self);
      return;
    }

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return;
  object = json_node_get_object (data);
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "number", NULL),
                 self->number) != 0)
    return;

  /* The event carries the ticket without its timeline: fetch both, unless we have this
   * version already (our own change, applied from its answer). */
  if (self->ticket != NULL &&
      json_object_get_int_member_with_default (object, "version", 0) <= self->ticket->version)
    return;

  reload (self);
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct
{
  KefuTicketPage *self;
  char           *text;        /* the note, to post again after a conflict */
  gboolean        contact;
  char           *done_message;
} Write;

static void
write_free (Write *write)
{
  g_object_unref (write->self);
  g_free (write->text);
  g_free (write->done_message);
  g_free (write);
}

static void
set_posting (KefuTicketPage *self,
             gboolean        posting)
{
  self->posting = !!posting;
  gtk_text_view_set_editable (self->compose_view, !posting);
  update_actions (self);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Write *write = user_data;
  KefuTicketPage *self = write->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      write_free (write);
      return;
    }

  set_posting (self, FALSE);

  if (answer != NULL)
    ticket = kefu_ticket_from_json (answer, &error);

  if (ticket == NULL)
    {
      if (g_error_matches (error, KEFU_ERROR, KEFU_ERROR_VERSION_CONFLICT))
        {
          /* Someone changed the ticket meanwhile. A note does not depend on what changed:
           * load the new version and post it again, once. Anything else: show the change
           * and let the user decide. */
          if (write->text != NULL && self->pending_note == NULL)
            {
              g_free (self->pending_note);
              self->pending_note = g_strdup (write->text);
              self->pending_note_contact = write->contact;
              set_posting (self, TRUE);
            }
          else
            toast (self, _("Someone else changed this ticket meanwhile. It now shows their "
                           "change; check it and try again."));
          reload (self);
        }
      else if (write->text != NULL)
        {
          g_autofree char *text = kefu_error_text (error);

          gtk_label_set_text (self->compose_error, text);
          gtk_widget_set_visible (GTK_WIDGET (self->compose_error), TRUE);
        }
      else
        {
          g_autofree char *text = kefu_error_text (error);

          toast (self, text);
        }

      write_free (write);
      return;
    }

  if (write->text != NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->compose_view), "", -1);
      gtk_widget_set_visible (GTK_WIDGET (self->compose_error), FALSE);
    }
  if (self->ticket == NULL || ticket->version >= self->ticket->version)
    set_ticket (self, ticket);
  if (write->done_message != NULL)
    toast (self, write->done_message);

  write_free (write);
}

static void
send_write (KefuTicketPage *self,
            const char     *what,        /* "notes", "accept", "status" */
            JsonNode       *body,
            Write          *w)
{
  g_autofree char *escaped = g_uri_escape_string (self->number, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/%s", escaped, what);
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, self->ticket->version);

  set_posting (self, TRUE);
  kefu_connection_request_async (self->connection, "POST", path, body, version,
                                 self->cancellable, write_cb, w);
}

static Write *
write_new (KefuTicketPage *self,
           const char     *done_message)
{
  Write *w = g_new0 (Write, 1);

  w->self = g_object_ref (self);
  w->done_message = g_strdup (done_message);
  return w;
}

static void
post_note (KefuTicketPage *self,
           const char     *text,
           gboolean        contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Write *w;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, contact ? "customer_contact" : "note");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  w = write_new (self, contact ? _("Customer contact logged") : _("Note added"));
  w->text = g_strdup (text);
  w->contact = contact;
  send_write (self, "notes", body, w);
}

static gboolean
compose_is_contact (KefuTicketPage *self)
{
  return gtk_toggle_button_get_active (self->contact_toggle);
}

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->compose_view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->ticket == NULL || self->posting)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  if (*text == '\0' || !kefu_validate_text (text, KEFU_LONG_TEXT_MAX_CHARS, TRUE))
    {
      g_autofree char *message = NULL;

      if (*text == '\0')
        message = g_strdup (compose_is_contact (self)
                            ? _("Write down what you told the customer and what they said.")
                            : _("Write the note first."));
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Too long: at most %d character.",
                                                "Too long: at most %d characters.",
                                                KEFU_LONG_TEXT_MAX_CHARS),
                                   KEFU_LONG_TEXT_MAX_CHARS);
      gtk_label_set_text (self->compose_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->compose_error), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->compose_view));
      return;
    }

  post_note (self, text, compose_is_contact (self));
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);

  if (self->ticket == NULL || self->posting)
    return;
  send_write (self, "accept", NULL, write_new (self, _("Ticket accepted")));
}

static void
start_work_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  if (self->ticket == NULL || self->posting)
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "in_progress");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  send_write (self, "status", body, write_new (self, _("Work started")));
}

/* A change made through the workflow bar: its answer is the new version, with the timeline. */
static void
on_workflow_ticket_changed (KefuTicketPage *self,
                            KefuTicket     *ticket)
{
  if (self->ticket == NULL || ticket->version >= self->ticket->version)
    set_ticket (self, ticket);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (KEFU_TICKET_PAGE (widget));
}

static void
copy_text (KefuTicketPage *self,
           const char     *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast (self, _("Copied"));
}

static void
copy_number_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);

  copy_text (self, self->number);
}

static void
copy_phone_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);

  if (self->ticket != NULL && self->ticket->customer.phone != NULL)
    copy_text (self, self->ticket->customer.phone);
}

static void
on_compose_kind_toggled (KefuTicketPage *self)
{
  gboolean contact = compose_is_contact (self);

  gtk_label_set_text (self->compose_hint,
                      contact ? _("A call or message with the customer. It counts as a "
                                  "response and restarts the progress-update clock.")
                              : _("Only your team sees internal notes."));
  gtk_label_set_text_with_mnemonic (self->compose_label,
                                    contact ? _("_Log Contact") : _("_Add Note"));
}

static void
on_compose_changed (KefuTicketPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->compose_error), FALSE);
}

/* ---- the clock ---------------------------------------------------------------------------- */

static gboolean
tick_cb (gpointer user_data)
{
  KefuTicketPage *self = user_data;

  update_clocks (self);
  if (++self->ticks % 30 == 0)
    update_timeline_times (self);
  return G_SOURCE_CONTINUE;
}

static void
kefu_ticket_page_map (GtkWidget *widget)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);

  GTK_WIDGET_CLASS (kefu_ticket_page_parent_class)->map (widget);

  /* One timer for the whole page, and only while it shows. */
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  update_clocks (self);
  update_timeline_times (self);
}

static void
kefu_ticket_page_unmap (GtkWidget *widget)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (kefu_ticket_page_parent_class)->unmap (widget);
}

/* ---- GObject ------------------------------------------------------------------------------ */

GtkWidget *
kefu_ticket_page_new (KefuConnection *connection,
                      const char     *number)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  return g_object_new (KEFU_TYPE_TICKET_PAGE,
                       "connection", connection,
                       "number", number,
                       NULL);
}

KefuConnection *
kefu_ticket_page_get_connection (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);

  return self->connection;
}

const char *
kefu_ticket_page_get_number (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);

  return self->number;
}

const char *
kefu_ticket_page_get_title (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);

  return self->title;
}

KefuTicketActions *
kefu_ticket_page_get_actions (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);

  return self->workflow;
}

KefuAttachmentsSection *
kefu_ticket_page_get_attachments (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);
  return self->attachments_section;
}

KefuVisitsSection *
kefu_ticket_page_get_visits (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);
  return self->visits_section;
}

KefuReturnsSection *
kefu_ticket_page_get_returns (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);
  return self->returns_section;
}

guint
kefu_ticket_page_get_n_timeline_entries (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), 0);
  return timeline_loaded (self);
}

GtkWidget *
kefu_ticket_page_get_earlier_button (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);
  return self->earlier_button;
}

KefuTicket *
kefu_ticket_page_get_ticket (KefuTicketPage *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_PAGE (self), NULL);

  return self->ticket;
}

static void
kefu_ticket_page_constructed (GObject *object)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (object);

  G_OBJECT_CLASS (kefu_ticket_page_parent_class)->constructed (object);

  g_return_if_fail (self->connection != NULL && self->number != NULL);

  set_title (self);
  gtk_label_set_text (self->number_label, self->number);
  g_signal_connect_object (self->connection, "event", G_CALLBACK (on_connection_event), self,
                           G_CONNECT_SWAPPED);
  kefu_ticket_actions_set_connection (self->workflow, self->connection);
  g_signal_connect_object (self->workflow, "ticket-changed",
                           G_CALLBACK (on_workflow_ticket_changed), self, G_CONNECT_SWAPPED);
  kefu_attachments_section_set_connection (self->attachments_section, self->connection);
  kefu_visits_section_set_connection (self->visits_section, self->connection);
  kefu_returns_section_set_connection (self->returns_section, self->connection);
  g_signal_connect_object (self->visits_section, "ticket-changed",
                           G_CALLBACK (on_workflow_ticket_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->returns_section, "ticket-changed",
                           G_CALLBACK (on_workflow_ticket_changed), self, G_CONNECT_SWAPPED);
  update_sections (self);
  reload (self);
}

static void
kefu_ticket_page_dispose (GObject *object)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);

  /* The bin's child is a template child too: let the bin forget it before the template
   * drops it, or the bin would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_TICKET_PAGE);

  G_OBJECT_CLASS (kefu_ticket_page_parent_class)->dispose (object);
}

static void
kefu_ticket_page_finalize (GObject *object)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->pending_note, g_free);
  g_clear_pointer (&self->earlier, g_ptr_array_unref);

  G_OBJECT_CLASS (kefu_ticket_page_parent_class)->finalize (object);
}

static void
kefu_ticket_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_TICKET:
      g_value_set_boxed (value, self->ticket);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KefuTicketPage *self = KEFU_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_NUMBER:
      self->number = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_page_class_init (KefuTicketPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kefu_ticket_page_constructed;
  object_class->dispose = kefu_ticket_page_dispose;
  object_class->finalize = kefu_ticket_page_finalize;
  object_class->get_property = kefu_ticket_page_get_property;
  object_class->set_property = kefu_ticket_page_set_property;

  widget_class->map = kefu_ticket_page_map;
  widget_class->unmap = kefu_ticket_page_unmap;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         KEFU_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TICKET] =
    g_param_spec_boxed ("ticket", NULL, NULL,
                        KEFU_TYPE_TICKET,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KEFU_TYPE_TICKET_ACTIONS);
  g_type_ensure (KEFU_TYPE_ATTACHMENTS_SECTION);
  g_type_ensure (KEFU_TYPE_VISITS_SECTION);
  g_type_ensure (KEFU_TYPE_RETURNS_SECTION);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-ticket-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, number_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, priority_tag);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, status_tag);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, headline_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, subline_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, sla_group);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, sla_tag);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, customer_group);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, earlier_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, note_toggle);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, contact_toggle);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, compose_hint);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, compose_view);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, compose_scroller);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, compose_error);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, compose_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, compose_spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, compose_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, workflow);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, attachments_section);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, visits_section);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketPage, returns_section);
  gtk_widget_class_bind_template_callback (widget_class, on_compose_kind_toggled);

  gtk_widget_class_install_action (widget_class, "ticket.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "ticket.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "ticket.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "ticket.start-work", NULL, start_work_action);
  gtk_widget_class_install_action (widget_class, "ticket.copy-number", NULL,
                                   copy_number_action);
  gtk_widget_class_install_action (widget_class, "ticket.copy-phone", NULL, copy_phone_action);
  gtk_widget_class_install_action (widget_class, "ticket.show-earlier", NULL,
                                   show_earlier_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "ticket.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "ticket.reload", NULL);
}

static AdwActionRow *
property_row_new (AdwPreferencesGroup *group,
                  const char          *title)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle_lines (row, 0);
  gtk_widget_add_css_class (GTK_WIDGET (row), "kefu-property");
  gtk_widget_set_visible (GTK_WIDGET (row), FALSE);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

static void
kefu_ticket_page_init (KefuTicketPage *self)
{
  const char *titles[N_INFO] = {
    [INFO_NAME] = _("Name"),
    [INFO_PHONE] = _("Phone"),
    [INFO_EMAIL] = _("Email"),
    [INFO_CODE] = _("Customer Code"),
    [INFO_ORDER] = _("Order Number"),
    [INFO_MODEL] = _("Product Model"),
    [INFO_SERIAL] = _("Serial or Batch Number"),
    [INFO_PURCHASE] = _("Purchase Date"),
    [INFO_ADDRESS] = _("Address for Visits"),
    [INFO_CHANNEL] = _("Channel"),
    [INFO_STAGE] = _("Stage"),
    [INFO_CATEGORY] = _("Category"),
    [INFO_PRIORITY] = _("Priority"),
    [INFO_STATUS] = _("Status"),
    [INFO_ASSIGNEE] = _("Assignee"),
    [INFO_DEPARTMENT] = _("Lead Department"),
    [INFO_SUPPORTING] = _("Supporting Departments"),
    [INFO_SUBMITTED] = _("Reported At"),
    [INFO_REGISTERED] = _("Registered By"),
    [INFO_ESCALATION] = _("Escalation"),
    [INFO_RESOLUTION] = _("Resolution"),
    [INFO_CONFIRMATION] = _("Customer’s Confirmation"),
  };
  GtkEventController *shortcuts;
  GtkShortcutTrigger *trigger;

  self->cancellable = g_cancellable_new ();
  self->earlier = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_event_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  kefu_ticket_text_ensure_style ();

  for (guint i = 0; i < N_INFO; i++)
    self->info_rows[i] = property_row_new (i < INFO_FIRST_TICKET_ROW ? self->customer_group
                                                                     : self->details_group,
                                           titles[i]);

  self->copy_phone_button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (self->copy_phone_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->copy_phone_button, "flat");
  gtk_widget_set_tooltip_text (self->copy_phone_button, _("Copy the Phone Number"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_phone_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the Phone Number"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_phone_button), "ticket.copy-phone");
  adw_action_row_add_suffix (self->info_rows[INFO_PHONE], self->copy_phone_button);

  for (guint i = 0; i < N_CLOCKS; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      GtkWidget *label = gtk_label_new (NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     kefu_text_sla_clock (shown_clocks[i]));
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "kefu-countdown");
      adw_action_row_add_suffix (row, label);
      adw_preferences_group_add (self->sla_group, GTK_WIDGET (row));
      self->clock_rows[i] = row;
      self->clock_labels[i] = GTK_LABEL (label);
    }

  g_signal_connect_object (gtk_text_view_get_buffer (self->compose_view), "changed",
                           G_CALLBACK (on_compose_changed), self, G_CONNECT_SWAPPED);

  /* Ctrl+Enter in the note posts it (the text view would take the Enter otherwise). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                 GDK_CONTROL_MASK));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger, gtk_named_action_new (
                                                            "ticket.add-note")));
  gtk_widget_add_controller (GTK_WIDGET (self->compose_view), shortcuts);

  gtk_widget_set_visible (GTK_WIDGET (self->compose_error), FALSE);
  on_compose_kind_toggled (self);
  update_actions (self);
  update_earlier_button (self);
}
