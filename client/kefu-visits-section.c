/* kefu-visits-section.c — the field visits (上门服务) of one ticket
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-visits-section"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kefu-error.h"
#include "kefu-permissions.h"
#include "kefu-ticket-text.h"
#include "kefu-visits-section.h"
#include "kefu-workflow.h"

struct _KefuVisitsSection
{
  GtkBox           parent_instance;

  KefuConnection  *connection;
  KefuTicket      *ticket;
  GCancellable    *cancellable;
  KefuSectionForm *form;
  GHashTable      *row_texts;      /* visit id → the row's text, for tests */
  gboolean         busy;

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkWidget       *schedule_button;
  GtkListBox      *list;
};

G_DEFINE_FINAL_TYPE (KefuVisitsSection, kefu_visits_section, GTK_TYPE_BOX)

enum {
  TICKET_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (KefuVisitsSection *self);

static const char *
visit_status_text (KefuVisitStatus status)
{
  switch (status)
    {
    case KEFU_VISIT_STATUS_SCHEDULED:
      return _("Scheduled");
    case KEFU_VISIT_STATUS_ARRIVED:
      return _("Technician on site");
    case KEFU_VISIT_STATUS_DONE:
      return _("Done");
    case KEFU_VISIT_STATUS_CANCELLED:
      return _("Cancelled");
    case KEFU_VISIT_STATUS_LAST:
    default:
      return "";
    }
}

static const char *
visit_status_style (KefuVisitStatus status)
{
  switch (status)
    {
    case KEFU_VISIT_STATUS_SCHEDULED:
      return "kefu-tag-accent";
    case KEFU_VISIT_STATUS_ARRIVED:
      return "kefu-tag-warning";
    case KEFU_VISIT_STATUS_DONE:
      return "kefu-tag-success";
    case KEFU_VISIT_STATUS_CANCELLED:
    case KEFU_VISIT_STATUS_LAST:
    default:
      return "kefu-tag-dim";
    }
}

static KefuRole
current_role (KefuVisitsSection *self)
{
  KefuRole role = KEFU_ROLE_LAST;

  if (self->connection == NULL ||
      !kefu_role_from_string (kefu_connection_get_role (self->connection), &role))
    return KEFU_ROLE_LAST;
  return role;
}

static gboolean
may_update (KefuVisitsSection *self,
            const KefuVisit   *visit)
{
  return self->ticket != NULL && !self->busy &&
         kefu_permissions_allow_for (self->connection, self->ticket,
                                     KEFU_TICKET_ACTION_VISIT_UPDATE) &&
         kefu_permissions_allow_visit_update (current_role (self),
                                              kefu_connection_get_user_id (self->connection),
                                              self->ticket, visit);
}

/* ---- the list ----------------------------------------------------------------------------- */

static GtkWidget *
action_button (const char *label,
               const char *action,
               gint64      id,
               const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", id);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  return button;
}

static char *
visit_details (const KefuVisit *visit)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Address: %s"), visit->address != NULL ? visit->address : "—");
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Technician: %s"),
                          visit->technician.display_name != NULL
                          ? visit->technician.display_name : _("not named"));
  g_string_append_c (text, '\n');
  if (visit->warranty == KEFU_WARRANTY_IN)
    {
      if (visit->warranty_until != NULL)
        g_string_append_printf (text, _("In warranty until %s: no fee"), visit->warranty_until);
      else
        g_string_append (text, _("In warranty: no fee"));
    }
  else
    {
      g_autofree char *fee = kefu_section_format_money (visit->fee_cents);

      if (visit->warranty_until != NULL)
        g_string_append_printf (text, _("Out of warranty (ended %s) · fee %s"),
                                visit->warranty_until, fee);
      else
        g_string_append_printf (text, _("Out of warranty · fee %s"), fee);
    }
  if (visit->parts != NULL && *visit->parts != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Parts: %s"), visit->parts);
    }
  if (visit->arrived_at != 0)
    {
      g_autofree char *at = kefu_text_local_time (visit->arrived_at, FALSE);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Arrived: %s"), at);
    }
  if (visit->done_at != 0)
    {
      g_autofree char *at = kefu_text_local_time (visit->done_at, FALSE);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Done: %s"), at);
    }
  if (visit->outcome != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Outcome: %s"), visit->outcome);
    }
  for (guint i = 0; i < visit->reschedules->len; i++)
    {
      const KefuVisitReschedule *r = g_ptr_array_index (visit->reschedules, i);
      g_autofree char *from = kefu_text_local_time (r->from, FALSE);
      g_autofree char *to = kefu_text_local_time (r->to, FALSE);

      g_string_append_c (text, '\n');
      /* Translators: a reschedule: the old time, the new time and why */
      g_string_append_printf (text, _("Moved from %s to %s: %s"), from, to,
                              r->reason != NULL ? r->reason : "");
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
visit_row_new (KefuVisitsSection *self,
               const KefuVisit   *visit)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title, *tag, *details, *buttons;
  g_autofree char *when = kefu_text_local_time (visit->scheduled_at, FALSE);
  g_autofree char *title_text = NULL;
  g_autofree char *details_text = visit_details (visit);
  gboolean open = visit->status == KEFU_VISIT_STATUS_SCHEDULED ||
                  visit->status == KEFU_VISIT_STATUS_ARRIVED;

  /* Translators: a visit's title: its scheduled time */
  title_text = g_strdup_printf (_("Visit on %s"), when != NULL ? when : "—");
  title = gtk_label_new (title_text);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  tag = gtk_label_new (visit_status_text (visit->status));
  gtk_widget_add_css_class (tag, "kefu-tag");
  gtk_widget_add_css_class (tag, visit_status_style (visit->status));
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (head), title);
  gtk_box_append (GTK_BOX (head), tag);

  details = gtk_label_new (details_text);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (details), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (details), TRUE);
  gtk_widget_add_css_class (details, "dim-label");

  gtk_box_append (GTK_BOX (box), head);
  gtk_box_append (GTK_BOX (box), details);

  if (open && may_update (self, visit))
    {
      buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_halign (buttons, GTK_ALIGN_END);
      if (visit->status == KEFU_VISIT_STATUS_SCHEDULED)
        {
          gtk_box_append (GTK_BOX (buttons), action_button (_("_Cancel Visit…"), "visits.cancel",
                                                            visit->id, "flat"));
          gtk_box_append (GTK_BOX (buttons), action_button (_("_Reschedule…"),
                                                            "visits.reschedule", visit->id,
                                                            NULL));
          gtk_box_append (GTK_BOX (buttons), action_button (_("_Arrived"), "visits.arrive",
                                                            visit->id, "suggested-action"));
        }
      else
        gtk_box_append (GTK_BOX (buttons), action_button (_("_Done…"), "visits.done", visit->id,
                                                          "suggested-action"));
      gtk_box_append (GTK_BOX (box), buttons);
    }

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title_text, -1);

  g_hash_table_insert (self->row_texts, g_memdup2 (&visit->id, sizeof visit->id),
                       g_strdup_printf ("%s · %s\n%s", title_text,
                                        visit_status_text (visit->status), details_text));
  return row;
}

static void
update (KefuVisitsSection *self)
{
  GtkWidget *child;
  gboolean may_schedule;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_hash_table_remove_all (self->row_texts);

  may_schedule = self->ticket != NULL && !self->busy && self->connection != NULL &&
                 kefu_permissions_allow_for (self->connection, self->ticket,
                                             KEFU_TICKET_ACTION_VISIT_SCHEDULE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "visits.schedule", may_schedule);
  gtk_widget_set_visible (self->schedule_button, may_schedule);

  if (self->ticket == NULL)
    return;

  for (guint i = 0; i < self->ticket->visits->len; i++)
    gtk_list_box_append (self->list,
                         visit_row_new (self, g_ptr_array_index (self->ticket->visits, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->ticket->visits->len > 0);
  adw_preferences_group_set_description (self->group,
                                         self->ticket->visits->len == 0
                                         ? _("No visit scheduled.") : NULL);
}

/* ---- writing ------------------------------------------------------------------------------ */

static void
form_done (GtkWidget  *owner,
           KefuTicket *ticket)
{
  g_signal_emit (owner, signals[TICKET_CHANGED], 0, ticket);
}

/* "2026-11-24 10:00" (local) → µs, or FALSE. */
static gboolean
parse_local_time (const char *text,
                  gint64     *out_usec)
{
  int y, mo, d, h, mi;
  char rest;
  g_autoptr(GDateTime) dt = NULL;

  if (sscanf (text, "%d-%d-%d %d:%d%c", &y, &mo, &d, &h, &mi, &rest) != 5)
    return FALSE;
  dt = g_date_time_new_local (y, mo, d, h, mi, 0);
  if (dt == NULL)
    return FALSE;
  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
read_time (KefuSectionForm  *form,
           JsonBuilder      *builder,
           GError          **error)
{
  g_autofree char *text = kefu_section_form_get_text (form, "scheduled_at");
  g_autofree char *iso = NULL;
  gint64 usec;

  if (*text == '\0')
    {
      kefu_set_field_error (error, "scheduled_at", "scheduled_at is required");
      return FALSE;
    }
  if (!parse_local_time (text, &usec))
    {
      kefu_set_field_error (error, "scheduled_at", "%s",
                            _("Write the date and time as 2026-11-24 10:00."));
      return FALSE;
    }
  iso = kefu_time_to_iso8601 (usec);
  json_builder_set_member_name (builder, "scheduled_at");
  json_builder_add_string_value (builder, iso);
  return TRUE;
}

static void
add_optional_text (KefuSectionForm *form,
                   JsonBuilder     *builder,
                   const char      *name)
{
  g_autofree char *text = kefu_section_form_get_text (form, name);

  if (*text == '\0')
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static gboolean
build_schedule (KefuSectionForm  *form,
                char            **out_method,
                char            **out_what,
                JsonNode        **out_body,
                GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *address = kefu_section_form_get_text (form, "address");
  g_autofree char *parts = kefu_section_form_get_text (form, "parts");
  gint64 fee = 0;
  const char *technician = NULL;
  const char *warranty = NULL;
  GtkWindow *window = kefu_section_form_get_window (form);

  if (g_object_get_data (G_OBJECT (window), "kefu-has-fee") != NULL)
    fee = (gint64) (kefu_section_form_get_number (form, "fee_cents") * 100 + 0.5);
  json_builder_begin_object (builder);
  if (!read_time (form, builder, error))
    return FALSE;
  if (!kefu_section_form_check_text (address, "address", FALSE, KEFU_LONG_TEXT_MAX_CHARS, error) ||
      !kefu_section_form_check_text (parts, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;
  if (*address != '\0')
    {
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address);
    }
  if (*parts != '\0')
    {
      json_builder_set_member_name (builder, "parts");
      json_builder_add_string_value (builder, parts);
    }
  if (g_object_get_data (G_OBJECT (window), "kefu-has-technician") != NULL)
    technician = kefu_section_form_get_word (form, "technician_id");
  if (technician != NULL && *technician != '\0')
    {
      json_builder_set_member_name (builder, "technician_id");
      json_builder_add_int_value (builder, g_ascii_strtoll (technician, NULL, 10));
    }
  if (g_object_get_data (G_OBJECT (window), "kefu-has-warranty") != NULL)
    warranty = kefu_section_form_get_word (form, "warranty");
  if (warranty != NULL)
    {
      json_builder_set_member_name (builder, "warranty");
      json_builder_add_string_value (builder, warranty);
    }
  if (fee > 0)
    {
      json_builder_set_member_name (builder, "fee_cents");
      json_builder_add_int_value (builder, fee);
    }
  json_builder_end_object (builder);

  *out_method = g_strdup ("POST");
  *out_what = g_strdup ("visits");
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static gint64
form_visit_id (KefuSectionForm *form)
{
  return GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (kefu_section_form_get_window (form)),
                                              "kefu-visit-id"));
}

static gboolean
build_patch (KefuSectionForm  *form,
             const char       *action,
             JsonBuilder      *builder,
             char            **out_method,
             char            **out_what,
             JsonNode        **out_body)
{
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  json_builder_end_object (builder);
  *out_method = g_strdup ("PATCH");
  *out_what = g_strdup_printf ("visits/%" G_GINT64_FORMAT, form_visit_id (form));
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
build_reschedule (KefuSectionForm  *form,
                  char            **out_method,
                  char            **out_what,
                  JsonNode        **out_body,
                  GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *reason = kefu_section_form_get_text (form, "reason");

  json_builder_begin_object (builder);
  if (!read_time (form, builder, error) ||
      !kefu_section_form_check_text (reason, "reason", TRUE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  return build_patch (form, "reschedule", builder, out_method, out_what, out_body);
}

static gboolean
build_done (KefuSectionForm  *form,
            char            **out_method,
            char            **out_what,
            JsonNode        **out_body,
            GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *outcome = kefu_section_form_get_text (form, "outcome");
  g_autofree char *parts = kefu_section_form_get_text (form, "parts");
  GtkWindow *window = kefu_section_form_get_window (form);

  json_builder_begin_object (builder);
  if (!kefu_section_form_check_text (outcome, "outcome", TRUE, KEFU_LONG_TEXT_MAX_CHARS,
                                     error) ||
      !kefu_section_form_check_text (parts, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, outcome);
  add_optional_text (form, builder, "parts");
  if (g_object_get_data (G_OBJECT (window), "kefu-has-fee") != NULL)
    {
      json_builder_set_member_name (builder, "fee_cents");
      json_builder_add_int_value (builder,
                                  (gint64) (kefu_section_form_get_number (form, "fee_cents") *
                                            100 + 0.5));
    }
  return build_patch (form, "done", builder, out_method, out_what, out_body);
}

static gboolean
build_cancel (KefuSectionForm  *form,
              char            **out_method,
              char            **out_what,
              JsonNode        **out_body,
              GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *reason = kefu_section_form_get_text (form, "reason");

  json_builder_begin_object (builder);
  if (!kefu_section_form_check_text (reason, "reason", TRUE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  return build_patch (form, "cancel", builder, out_method, out_what, out_body);
}

static KefuSectionForm *
new_form (KefuVisitsSection    *self,
          const char           *title,
          const char           *ok_label,
          gboolean              destructive,
          KefuSectionFormBuild  build,
          const char           *done_message)
{
  return kefu_section_form_new (GTK_WIDGET (self), &self->form, self->connection, self->ticket,
                                title, ok_label, destructive, build, form_done, done_message);
}

/* What the client can tell before the server decides: the warranty from the purchase date and
 * the default 365 days (the server's setting may differ; its answer shows on the visit). */
static char *
warranty_estimate (const KefuTicket *ticket,
                   gboolean         *out_in_warranty)
{
  g_autoptr(GDateTime) bought = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *iso = NULL;
  g_autofree char *until_text = NULL;

  if (ticket->customer.purchase_date == NULL)
    return g_strdup (_("The purchase date is not known: the visit counts as out of warranty "
                       "unless you mark it in warranty."));
  iso = g_strdup_printf ("%sT00:00:00Z", ticket->customer.purchase_date);
  bought = g_date_time_new_from_iso8601 (iso, NULL);
  if (bought == NULL)
    return NULL;
  until = g_date_time_add_days (bought, 365);
  until_text = g_date_time_format (until, "%Y-%m-%d");
  *out_in_warranty = g_date_time_compare (until, now) > 0;
  if (*out_in_warranty)
    return g_strdup_printf (_("Bought on %s: in warranty until about %s, so no fee. The server "
                              "works it out for the visit date."),
                            ticket->customer.purchase_date, until_text);
  return g_strdup_printf (_("Bought on %s: out of warranty since about %s, so a fee may be "
                            "charged. The server works it out for the visit date."),
                          ticket->customer.purchase_date, until_text);
}

static void
open_schedule_form (KefuVisitsSection *self,
                    JsonArray         *technicians)
{
  KefuSectionForm *form;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) at = g_date_time_new_local (g_date_time_get_year (tomorrow),
                                                   g_date_time_get_month (tomorrow),
                                                   g_date_time_get_day_of_month (tomorrow),
                                                   10, 0, 0);
  g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M");
  gboolean in_warranty = FALSE;
  g_autofree char *estimate = warranty_estimate (self->ticket, &in_warranty);

  form = new_form (self, _("Schedule a Visit"), _("_Schedule"), FALSE, build_schedule,
                   _("Visit scheduled"));
  kefu_section_form_add_entry (form, "scheduled_at", _("Date and Time (YYYY-MM-DD HH:MM)"),
                               when);
  kefu_section_form_add_entry (form, "address", _("Address"), self->ticket->customer.address);

  if (technicians != NULL && json_array_get_length (technicians) > 0)
    {
      g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
      g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
      g_auto(GStrv) label_v = NULL;
      g_auto(GStrv) word_v = NULL;
      g_autofree char *selected = NULL;

      g_strv_builder_add (labels, _("The assignee"));
      g_strv_builder_add (words, "");
      for (guint i = 0; i < json_array_get_length (technicians); i++)
        {
          JsonObject *user = json_array_get_object_element (technicians, i);
          gint64 id = json_object_get_int_member_with_default (user, "id", 0);
          const char *name = json_object_get_string_member_with_default (user, "display_name",
                                                                        NULL);
          g_autofree char *word = g_strdup_printf ("%" G_GINT64_FORMAT, id);

          if (id == 0 || name == NULL)
            continue;
          g_strv_builder_add (labels, name);
          g_strv_builder_add (words, word);
        }
      label_v = g_strv_builder_end (labels);
      word_v = g_strv_builder_end (words);
      kefu_section_form_add_combo (form, "technician_id", _("Technician"),
                                   (const char * const *) label_v,
                                   (const char * const *) word_v, "");
      g_object_set_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-has-technician",
                         GINT_TO_POINTER (1));
    }

  kefu_section_form_add_entry (form, "parts", _("Parts to Bring"), NULL);
  if (self->ticket->customer.purchase_date == NULL)
    {
      const char *labels[] = { _("Out of warranty"), _("In warranty (the customer has proof)"),
                               NULL };
      const char *words[] = { "out", "in", NULL };

      kefu_section_form_add_combo (form, "warranty", _("Warranty"), labels, words, "out");
      g_object_set_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-has-warranty",
                         GINT_TO_POINTER (1));
    }
  /* A fee only out of warranty; the server refuses one in warranty (at the field). */
  if (!in_warranty)
    {
      kefu_section_form_add_spin (form, "fee_cents", _("Visit Fee (¥)"),
                                  _("Only out of warranty"), 100000, 2);
      g_object_set_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-has-fee",
                         GINT_TO_POINTER (1));
    }
  kefu_section_form_set_note (form, estimate, "dim-label");
  kefu_section_form_present (form);
}

static void
technicians_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KefuVisitsSection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result,
                                                               &error);
  JsonArray *users = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (self->ticket == NULL)
    return;
  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) &&
      json_object_has_member (json_node_get_object (answer), "users"))
    users = json_object_get_array_member (json_node_get_object (answer), "users");
  /* Without the list the server's default (the assignee) still works. */
  open_schedule_form (self, users);
  update (self);
}

static void
schedule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KefuVisitsSection *self = KEFU_VISITS_SECTION (widget);

  if (self->ticket == NULL || self->busy)
    return;

  if (current_role (self) == KEFU_ROLE_SUPERVISOR)
    {
      self->busy = TRUE;
      kefu_connection_request_async (self->connection, "GET", "/users?role=technician", NULL,
                                     NULL, self->cancellable, technicians_cb,
                                     g_object_ref (self));
      return;
    }
  open_schedule_form (self, NULL);
}

static KefuVisit *
find_visit (KefuVisitsSection *self,
            GVariant          *parameter)
{
  KefuVisit *visit;

  if (self->ticket == NULL || self->busy)
    return NULL;
  visit = kefu_ticket_find_visit (self->ticket, g_variant_get_int64 (parameter));
  if (visit == NULL || !may_update (self, visit))
    return NULL;
  return visit;
}

static void
set_form_visit (KefuSectionForm *form,
                KefuVisit       *visit)
{
  g_object_set_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-visit-id",
                     GSIZE_TO_POINTER ((gsize) visit->id));
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KefuVisitsSection *self = KEFU_VISITS_SECTION (widget);
  KefuVisit *visit = find_visit (self, parameter);
  KefuSectionForm *form;
  g_autofree char *when = NULL;

  if (visit == NULL)
    return;
  when = kefu_text_local_time (visit->scheduled_at, FALSE);
  form = new_form (self, _("Reschedule the Visit"), _("_Reschedule"), FALSE, build_reschedule,
                   _("Visit rescheduled"));
  set_form_visit (form, visit);
  kefu_section_form_add_entry (form, "scheduled_at", _("New Date and Time (YYYY-MM-DD HH:MM)"),
                               when);
  kefu_section_form_add_text (form, "reason", _("Reason"),
                              _("Why the visit moves; it is kept with the visit."));
  kefu_section_form_set_note (form, _("Tell the customer first: agree the new time with them "
                                      "before you change it here."), "warning");
  kefu_section_form_present (form);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KefuVisitsSection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = kefu_workflow_write_finish (KEFU_CONNECTION (object), result,
                                                             &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (ticket != NULL)
    {
      g_signal_emit (self, signals[TICKET_CHANGED], 0, ticket);
      kefu_workflow_toast (GTK_WIDGET (self), _("Arrival recorded"));
    }
  else
    {
      g_autofree char *text = kefu_workflow_error_text (error);

      kefu_workflow_toast (GTK_WIDGET (self), text);
      if (g_error_matches (error, KEFU_ERROR, KEFU_ERROR_VERSION_CONFLICT) ||
          g_error_matches (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION))
        gtk_widget_activate_action (GTK_WIDGET (self), "ticket.reload", NULL);
    }
  update (self);
}

static void
arrive_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KefuVisitsSection *self = KEFU_VISITS_SECTION (widget);
  KefuVisit *visit = find_visit (self, parameter);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *what = NULL;

  if (visit == NULL)
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, "arrive");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  what = g_strdup_printf ("visits/%" G_GINT64_FORMAT, visit->id);
  self->busy = TRUE;
  update (self);
  kefu_workflow_write_async (self->connection, "PATCH", self->ticket->number, what,
                             self->ticket->version, body, self->cancellable, written_cb,
                             g_object_ref (self));
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KefuVisitsSection *self = KEFU_VISITS_SECTION (widget);
  KefuVisit *visit = find_visit (self, parameter);
  KefuSectionForm *form;

  if (visit == NULL)
    return;
  form = new_form (self, _("Visit Done"), _("_Done"), FALSE, build_done, _("Visit done"));
  set_form_visit (form, visit);
  kefu_section_form_add_text (form, "outcome", _("Outcome"),
                              _("What was found and done on site."));
  kefu_section_form_add_entry (form, "parts", _("Parts Used"), visit->parts);
  if (visit->warranty == KEFU_WARRANTY_OUT)
    {
      kefu_section_form_add_spin (form, "fee_cents", _("Visit Fee (¥)"),
                                  _("Out of warranty"), 100000, 2);
      kefu_section_form_set_number (form, "fee_cents", visit->fee_cents / 100.0);
      g_object_set_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-has-fee",
                         GINT_TO_POINTER (1));
    }
  kefu_section_form_present (form);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KefuVisitsSection *self = KEFU_VISITS_SECTION (widget);
  KefuVisit *visit = find_visit (self, parameter);
  KefuSectionForm *form;

  if (visit == NULL)
    return;
  form = new_form (self, _("Cancel the Visit"), _("Cancel _Visit"), TRUE, build_cancel,
                   _("Visit cancelled"));
  set_form_visit (form, visit);
  kefu_section_form_add_text (form, "reason", _("Reason"), NULL);
  kefu_section_form_present (form);
}

/* ---- public ------------------------------------------------------------------------------- */

GtkWidget *
kefu_visits_section_new (void)
{
  return g_object_new (KEFU_TYPE_VISITS_SECTION, NULL);
}

void
kefu_visits_section_set_connection (KefuVisitsSection *self,
                                    KefuConnection    *connection)
{
  g_return_if_fail (KEFU_IS_VISITS_SECTION (self));
  g_return_if_fail (connection == NULL || KEFU_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  update (self);
}

void
kefu_visits_section_set_ticket (KefuVisitsSection *self,
                                KefuTicket        *ticket)
{
  g_return_if_fail (KEFU_IS_VISITS_SECTION (self));

  if (ticket != NULL)
    kefu_ticket_ref (ticket);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);
  self->ticket = ticket;
  update (self);
}

gboolean
kefu_visits_section_is_relevant (KefuVisitsSection *self)
{
  g_return_val_if_fail (KEFU_IS_VISITS_SECTION (self), FALSE);

  if (self->ticket == NULL || self->connection == NULL)
    return FALSE;
  return self->ticket->visits->len > 0 ||
         kefu_permissions_allow_for (self->connection, self->ticket,
                                     KEFU_TICKET_ACTION_VISIT_SCHEDULE);
}

KefuSectionForm *
kefu_visits_section_get_form (KefuVisitsSection *self)
{
  g_return_val_if_fail (KEFU_IS_VISITS_SECTION (self), NULL);
  return self->form;
}

char *
kefu_visits_section_get_row_text (KefuVisitsSection *self,
                                  gint64             id)
{
  g_return_val_if_fail (KEFU_IS_VISITS_SECTION (self), NULL);
  return g_strdup (g_hash_table_lookup (self->row_texts, &id));
}

static void
kefu_visits_section_dispose (GObject *object)
{
  KefuVisitsSection *self = KEFU_VISITS_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->form != NULL)
    gtk_window_destroy (kefu_section_form_get_window (self->form));
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_VISITS_SECTION);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);

  G_OBJECT_CLASS (kefu_visits_section_parent_class)->dispose (object);
}

static void
kefu_visits_section_finalize (GObject *object)
{
  KefuVisitsSection *self = KEFU_VISITS_SECTION (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->row_texts, g_hash_table_unref);

  G_OBJECT_CLASS (kefu_visits_section_parent_class)->finalize (object);
}

static void
kefu_visits_section_class_init (KefuVisitsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_visits_section_dispose;
  object_class->finalize = kefu_visits_section_finalize;

  signals[TICKET_CHANGED] =
    g_signal_new ("ticket-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KEFU_TYPE_TICKET);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-visits-section.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuVisitsSection, group);
  gtk_widget_class_bind_template_child (widget_class, KefuVisitsSection, schedule_button);
  gtk_widget_class_bind_template_child (widget_class, KefuVisitsSection, list);

  gtk_widget_class_install_action (widget_class, "visits.schedule", NULL, schedule_action);
  gtk_widget_class_install_action (widget_class, "visits.reschedule", "x", reschedule_action);
  gtk_widget_class_install_action (widget_class, "visits.arrive", "x", arrive_action);
  gtk_widget_class_install_action (widget_class, "visits.done", "x", done_action);
  gtk_widget_class_install_action (widget_class, "visits.cancel", "x", cancel_action);
}

static void
kefu_visits_section_init (KefuVisitsSection *self)
{
  self->cancellable = g_cancellable_new ();
  self->row_texts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
