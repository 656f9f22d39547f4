/* kefu-returns-section.c — the returns, exchanges and refunds (退换货) of one ticket
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-returns-section"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kefu-error.h"
#include "kefu-permissions.h"
#include "kefu-returns-section.h"
#include "kefu-ticker.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-text.h"
#include "kefu-workflow.h"

typedef struct {
  gint64    id;
  GtkLabel *countdown;
} Countdown;

struct _KefuReturnsSection
{
  GtkBox           parent_instance;

  KefuConnection  *connection;
  KefuTicket      *ticket;
  KefuSectionForm *form;
  KefuTicker      *ticker;
  GArray          *countdowns;     /* of Countdown */
  GHashTable      *row_texts;      /* return id → the row's fixed text, for tests */

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkWidget       *new_button;
  GtkListBox      *list;
};

G_DEFINE_FINAL_TYPE (KefuReturnsSection, kefu_returns_section, GTK_TYPE_BOX)

enum {
  TICKET_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The tracker's stations; approved and rejected share the "reviewed" one. */
static const KefuReturnStep stations[] = {
  KEFU_RETURN_STEP_REQUESTED,
  KEFU_RETURN_STEP_APPROVED,
  KEFU_RETURN_STEP_PICKUP_ARRANGED,
  KEFU_RETURN_STEP_RECEIVED,
  KEFU_RETURN_STEP_INSPECTED,
  KEFU_RETURN_STEP_COMPLETED,
};

const char *
kefu_returns_text_type (KefuReturnType type)
{
  switch (type)
    {
    case KEFU_RETURN_TYPE_RETURN_REFUND:
      return _("Return and refund");
    case KEFU_RETURN_TYPE_EXCHANGE:
      return _("Exchange");
    case KEFU_RETURN_TYPE_RESHIP:
      return _("Reship");
    case KEFU_RETURN_TYPE_PARTIAL_REFUND:
      return _("Partial refund");
    case KEFU_RETURN_TYPE_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_returns_text_reason (KefuReturnReason reason)
{
  switch (reason)
    {
    case KEFU_RETURN_REASON_QUALITY:
      return _("Quality problem");
    case KEFU_RETURN_REASON_NO_REASON_7D:
      return _("No reason, within 7 days");
    case KEFU_RETURN_REASON_WRONG_ITEM:
      return _("Wrong item sent");
    case KEFU_RETURN_REASON_MISSING_ITEM:
      return _("Item missing");
    case KEFU_RETURN_REASON_DAMAGED:
      return _("Damaged in transit");
    case KEFU_RETURN_REASON_NOT_AS_DESCRIBED:
      return _("Not as described");
    case KEFU_RETURN_REASON_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_returns_text_step (KefuReturnStep step)
{
  switch (step)
    {
    case KEFU_RETURN_STEP_REQUESTED:
      return _("Requested");
    case KEFU_RETURN_STEP_APPROVED:
      return _("Approved");
    case KEFU_RETURN_STEP_REJECTED:
      return _("Rejected");
    case KEFU_RETURN_STEP_PICKUP_ARRANGED:
      return _("Pickup arranged");
    case KEFU_RETURN_STEP_RECEIVED:
      return _("Received");
    case KEFU_RETURN_STEP_INSPECTED:
      return _("Inspected");
    case KEFU_RETURN_STEP_COMPLETED:
      return _("Completed");
    case KEFU_RETURN_STEP_LAST:
    default:
      return NULL;
    }
}

/* What the button for a move says. */
static const char *
step_action_text (KefuReturnStep step)
{
  switch (step)
    {
    case KEFU_RETURN_STEP_APPROVED:
      return _("Approve");
    case KEFU_RETURN_STEP_REJECTED:
      return _("Reject");
    case KEFU_RETURN_STEP_PICKUP_ARRANGED:
      return _("Arrange pickup");
    case KEFU_RETURN_STEP_RECEIVED:
      return _("Mark received");
    case KEFU_RETURN_STEP_INSPECTED:
      return _("Mark inspected");
    case KEFU_RETURN_STEP_COMPLETED:
      return _("Complete");
    case KEFU_RETURN_STEP_REQUESTED:
    case KEFU_RETURN_STEP_LAST:
    default:
      return NULL;
    }
}

static int
station_of (KefuReturnStep step)
{
  if (step == KEFU_RETURN_STEP_REJECTED)
    return 1;
  for (guint i = 0; i < G_N_ELEMENTS (stations); i++)
    {
      if (stations[i] == step)
        return i;
    }
  return 0;
}

static gboolean
may (KefuReturnsSection *self,
     KefuTicketAction    action)
{
  return self->ticket != NULL && self->connection != NULL &&
         kefu_permissions_allow_for (self->connection, self->ticket, action);
}

/* ---- countdowns --------------------------------------------------------------------------- */

/* The clock a return runs now: review while requested, pickup while approved. */
static gboolean
return_clock (const KefuReturn  *ret,
              gint64            *out_due,
              const char       **out_name)
{
  if (ret->step == KEFU_RETURN_STEP_REQUESTED && ret->review_due != 0)
    {
      *out_due = ret->review_due;
      *out_name = _("Review");
      return TRUE;
    }
  if (ret->step == KEFU_RETURN_STEP_APPROVED && ret->pickup_due != 0)
    {
      *out_due = ret->pickup_due;
      *out_name = _("Pickup");
      return TRUE;
    }
  return FALSE;
}

static void
update_countdowns (KefuReturnsSection *self)
{
  gint64 now = kefu_ticker_get_now (self->ticker);
  gboolean wants_seconds = FALSE;

  for (guint i = 0; self->ticket != NULL && i < self->countdowns->len; i++)
    {
      Countdown *c = &g_array_index (self->countdowns, Countdown, i);
      KefuReturn *ret = kefu_ticket_find_return (self->ticket, c->id);
      g_autofree char *span = NULL;
      g_autofree char *text = NULL;
      const char *name;
      gint64 due;
      gboolean seconds = FALSE;

      if (ret == NULL || !return_clock (ret, &due, &name))
        continue;
      span = kefu_ticket_card_format_countdown (due - now, &seconds);
      wants_seconds |= seconds;
      /* Translators: a return's deadline: "Review due: 3 h left" */
      text = g_strdup_printf (_("%s due: %s"), name, span);
      gtk_label_set_text (c->countdown, text);
      gtk_widget_remove_css_class (GTK_WIDGET (c->countdown), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (c->countdown), "warning");
      if (due <= now)
        gtk_widget_add_css_class (GTK_WIDGET (c->countdown), "error");
      else if (due - now < 4 * G_TIME_SPAN_HOUR)
        gtk_widget_add_css_class (GTK_WIDGET (c->countdown), "warning");
    }

  kefu_ticker_follower_want_seconds (self->ticker, GTK_WIDGET (self), wants_seconds);
}

/* ---- the list ----------------------------------------------------------------------------- */

static GtkWidget *
tracker_new (const KefuReturn *ret,
             GString          *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  int current = station_of (ret->step);
  gboolean rejected = ret->step == KEFU_RETURN_STEP_REJECTED;

  for (guint i = 0; i < G_N_ELEMENTS (stations); i++)
    {
      const char *word = kefu_returns_text_step (stations[i]);
      GtkWidget *label;

      if (i == 1)
        word = rejected ? _("Rejected") : _("Reviewed");
      else if (i == 2)
        word = _("Pickup");
      if (rejected && (int) i > current)
        break;
      if (i > 0)
        {
          GtkWidget *arrow = gtk_label_new ("→");

          gtk_widget_add_css_class (arrow, "dim-label");
          gtk_box_append (GTK_BOX (box), arrow);
          g_string_append (text, " → ");
        }
      label = gtk_label_new (word);
      gtk_widget_add_css_class (label, "kefu-tag");
      /* Reached: green; the next one: accent; later ones: dim; a rejection: red. */
      if (rejected && (int) i == current)
        gtk_widget_add_css_class (label, "kefu-tag-error");
      else if ((int) i <= current)
        gtk_widget_add_css_class (label, "kefu-tag-success");
      else if ((int) i == current + 1)
        gtk_widget_add_css_class (label, "kefu-tag-accent");
      else
        gtk_widget_add_css_class (label, "kefu-tag-dim");
      gtk_box_append (GTK_BOX (box), label);
      g_string_append (text, word);
      if ((int) i <= current)
        g_string_append (text, " ✓");
    }
  return box;
}

static char *
history_text (KefuReturnsSection *self,
              const KefuReturn   *ret)
{
  GString *text = g_string_new (NULL);
  g_autofree char *amount = kefu_section_format_money (ret->amount_cents);

  if (ret->amount_cents > 0)
    g_string_append_printf (text, _("Amount: %s"), amount);
  for (guint i = 0; i < ret->attachment_ids->len; i++)
    {
      gint64 id = g_array_index (ret->attachment_ids, gint64, i);
      KefuAttachment *a = kefu_ticket_find_attachment (self->ticket, id);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Evidence: %s"), a != NULL ? a->name : "—");
    }
  for (guint i = 0; i < ret->steps->len; i++)
    {
      const KefuReturnStepEntry *e = g_ptr_array_index (ret->steps, i);
      g_autofree char *at = kefu_text_local_time (e->at, FALSE);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: a step of a return: the step, when, by whom */
      g_string_append_printf (text, _("%s · %s · %s"), kefu_returns_text_step (e->step), at,
                              e->by.display_name != NULL ? e->by.display_name : _("the system"));
      if (e->note != NULL && *e->note != '\0')
        g_string_append_printf (text, " — %s", e->note);
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
return_row_new (KefuReturnsSection *self,
                const KefuReturn   *ret)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title, *tracker, *history, *countdown, *foot;
  g_autofree char *title_text = NULL;
  g_autofree char *history_str = history_text (self, ret);
  g_autoptr(GString) tracker_text = g_string_new (NULL);
  gint64 due;
  const char *clock_name;

  /* Translators: a return's title: its type and the reason in plain words */
  title_text = g_strdup_printf (_("%s · %s"), kefu_returns_text_type (ret->type),
                                kefu_returns_text_reason (ret->reason));
  title = gtk_label_new (title_text);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (head), title);
  gtk_box_append (GTK_BOX (box), head);

  tracker = tracker_new (ret, tracker_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tracker), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tracker_text->str, -1);
  gtk_box_append (GTK_BOX (box), tracker);

  history = gtk_label_new (history_str);
  gtk_label_set_xalign (GTK_LABEL (history), 0);
  gtk_label_set_wrap (GTK_LABEL (history), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (history), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (history), TRUE);
  gtk_widget_add_css_class (history, "dim-label");
  gtk_box_append (GTK_BOX (box), history);

  foot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  countdown = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (countdown), 0);
  gtk_widget_set_hexpand (countdown, TRUE);
  gtk_widget_add_css_class (countdown, "numeric");
  gtk_box_append (GTK_BOX (foot), countdown);
  if (return_clock (ret, &due, &clock_name))
    {
      Countdown c = { ret->id, GTK_LABEL (countdown) };

      g_array_append_val (self->countdowns, c);
    }

  if (!kefu_return_step_is_final (ret->step) && may (self, KEFU_TICKET_ACTION_RETURN_UPDATE))
    {
      GtkWidget *next = gtk_button_new_with_mnemonic (_("_Next Step…"));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (next), "returns.next-step");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (next), "x", ret->id);
      gtk_widget_add_css_class (next, "suggested-action");
      gtk_box_append (GTK_BOX (foot), next);
    }
  gtk_widget_set_visible (countdown, return_clock (ret, &due, &clock_name));
  gtk_widget_set_visible (foot, gtk_widget_get_visible (countdown) ||
                                gtk_widget_get_last_child (foot) != countdown);
  gtk_box_append (GTK_BOX (box), foot);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title_text, -1);

  g_hash_table_insert (self->row_texts, g_memdup2 (&ret->id, sizeof ret->id),
                       g_strdup_printf ("%s\n%s\n%s", title_text, tracker_text->str,
                                        history_str));
  return row;
}

static void
update (KefuReturnsSection *self)
{
  GtkWidget *child;
  gboolean may_new = may (self, KEFU_TICKET_ACTION_RETURN_REQUEST);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_hash_table_remove_all (self->row_texts);
  g_array_set_size (self->countdowns, 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "returns.new", may_new);
  gtk_widget_set_visible (self->new_button, may_new);
  if (self->ticket == NULL)
    return;

  for (guint i = 0; i < self->ticket->returns->len; i++)
    gtk_list_box_append (self->list,
                         return_row_new (self, g_ptr_array_index (self->ticket->returns, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->ticket->returns->len > 0);
  adw_preferences_group_set_description (self->group,
                                         self->ticket->returns->len == 0
                                         ? _("No return, exchange or refund requested.") : NULL);
  update_countdowns (self);
}

/* ---- forms -------------------------------------------------------------------------------- */

static void
form_done (GtkWidget  *owner,
           KefuTicket *ticket)
{
  g_signal_emit (owner, signals[TICKET_CHANGED], 0, ticket);
}

static gboolean
build_new (KefuSectionForm  *form,
           char            **out_method,
           char            **out_what,
           JsonNode        **out_body,
           GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *note = kefu_section_form_get_text (form, "note");
  gint64 amount = (gint64) (kefu_section_form_get_number (form, "amount_cents") * 100 + 0.5);
  const char *type = kefu_section_form_get_word (form, "type");
  const char *reason = kefu_section_form_get_word (form, "reason");
  g_auto(GStrv) evidence = NULL;

  if (!kefu_section_form_check_text (note, "note", FALSE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  if (amount > 0)
    {
      json_builder_set_member_name (builder, "amount_cents");
      json_builder_add_int_value (builder, amount);
    }
  if (*note != '\0')
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  if (g_object_get_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-has-evidence"))
    evidence = kefu_section_form_get_checked (form, "attachment_ids");
  if (evidence != NULL && evidence[0] != NULL)
    {
      json_builder_set_member_name (builder, "attachment_ids");
      json_builder_begin_array (builder);
      for (guint i = 0; evidence[i] != NULL; i++)
        json_builder_add_int_value (builder, g_ascii_strtoll (evidence[i], NULL, 10));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  *out_method = g_strdup ("POST");
  *out_what = g_strdup ("returns");
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KefuReturnsSection *self = KEFU_RETURNS_SECTION (widget);
  const char *type_labels[KEFU_RETURN_TYPE_LAST + 1] = { NULL };
  const char *type_words[KEFU_RETURN_TYPE_LAST + 1] = { NULL };
  const char *reason_labels[KEFU_RETURN_REASON_LAST + 1] = { NULL };
  const char *reason_words[KEFU_RETURN_REASON_LAST + 1] = { NULL };
  KefuSectionForm *form;
  GPtrArray *attachments;

  if (!may (self, KEFU_TICKET_ACTION_RETURN_REQUEST))
    return;

  for (int i = 0; i < KEFU_RETURN_TYPE_LAST; i++)
    {
      type_labels[i] = kefu_returns_text_type (i);
      type_words[i] = kefu_return_type_to_string (i);
    }
  for (int i = 0; i < KEFU_RETURN_REASON_LAST; i++)
    {
      reason_labels[i] = kefu_returns_text_reason (i);
      reason_words[i] = kefu_return_reason_to_string (i);
    }

  form = kefu_section_form_new (widget, &self->form, self->connection, self->ticket,
                                _("New Return or Refund"), _("_Request"), FALSE, build_new,
                                form_done, _("Return requested"));
  kefu_section_form_add_combo (form, "type", _("Type"), type_labels, type_words, NULL);
  kefu_section_form_add_combo (form, "reason", _("Reason"), reason_labels, reason_words, NULL);
  kefu_section_form_add_spin (form, "amount_cents", _("Amount (¥)"),
                              _("To refund; leave 0 for an exchange or reship"), 1000000, 2);
  kefu_section_form_add_text (form, "note", _("Note"), NULL);

  attachments = self->ticket->attachments;
  if (attachments->len > 0)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < attachments->len; i++)
        {
          KefuAttachment *a = g_ptr_array_index (attachments, i);

          g_ptr_array_add (labels, g_strdup (a->name));
          g_ptr_array_add (words, g_strdup_printf ("%" G_GINT64_FORMAT, a->id));
        }
      g_ptr_array_add (labels, NULL);
      g_ptr_array_add (words, NULL);
      kefu_section_form_add_checks (form, "attachment_ids", _("Evidence"),
                                    (const char * const *) labels->pdata,
                                    (const char * const *) words->pdata);
      g_object_set_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-has-evidence",
                         GINT_TO_POINTER (1));
    }
  kefu_section_form_set_note (form, _("The request must be reviewed within 24 hours."),
                              "dim-label");
  kefu_section_form_present (form);
}

static gboolean
build_step (KefuSectionForm  *form,
            char            **out_method,
            char            **out_what,
            JsonNode        **out_body,
            GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *note = kefu_section_form_get_text (form, "note");
  gint64 amount = (gint64) (kefu_section_form_get_number (form, "amount_cents") * 100 + 0.5);
  const char *step = kefu_section_form_get_word (form, "step");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (kefu_section_form_get_window (form)),
                                                   "kefu-return-id"));

  if (!kefu_section_form_check_text (note, "note", g_strcmp0 (step, "rejected") == 0,
                                     KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "step");
  json_builder_add_string_value (builder, step);
  if (*note != '\0')
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  if (amount > 0)
    {
      json_builder_set_member_name (builder, "amount_cents");
      json_builder_add_int_value (builder, amount);
    }
  json_builder_end_object (builder);

  *out_method = g_strdup ("PATCH");
  *out_what = g_strdup_printf ("returns/%" G_GINT64_FORMAT, id);
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static void
next_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KefuReturnsSection *self = KEFU_RETURNS_SECTION (widget);
  KefuReturn *ret;
  const char *labels[KEFU_RETURN_STEP_LAST + 1] = { NULL };
  const char *words[KEFU_RETURN_STEP_LAST + 1] = { NULL };
  guint n = 0;
  KefuSectionForm *form;

  if (!may (self, KEFU_TICKET_ACTION_RETURN_UPDATE))
    return;
  ret = kefu_ticket_find_return (self->ticket, g_variant_get_int64 (parameter));
  if (ret == NULL)
    return;

  for (int s = 0; s < KEFU_RETURN_STEP_LAST; s++)
    {
      if (!kefu_return_step_can_transition (ret->step, s))
        continue;
      labels[n] = step_action_text (s);
      words[n] = kefu_return_step_to_string (s);
      n++;
    }
  if (n == 0)
    return;

  form = kefu_section_form_new (widget, &self->form, self->connection, self->ticket,
                                _("Next Step of the Return"), _("_Save"), FALSE, build_step,
                                form_done, _("Return updated"));
  g_object_set_data (G_OBJECT (kefu_section_form_get_window (form)), "kefu-return-id",
                     GSIZE_TO_POINTER ((gsize) ret->id));
  kefu_section_form_add_combo (form, "step", _("Step"), labels, words, NULL);
  kefu_section_form_add_text (form, "note", _("Note"),
                              _("Required when rejecting: say why."));
  kefu_section_form_add_spin (form, "amount_cents", _("Amount (¥)"),
                              _("Leave 0 to keep the amount"), 1000000, 2);
  if (ret->step == KEFU_RETURN_STEP_REQUESTED)
    kefu_section_form_set_note (form, _("Once approved, the pickup must be arranged within "
                                        "48 hours."), "dim-label");
  kefu_section_form_present (form);
}

/* ---- public ------------------------------------------------------------------------------- */

GtkWidget *
kefu_returns_section_new (void)
{
  return g_object_new (KEFU_TYPE_RETURNS_SECTION, NULL);
}

void
kefu_returns_section_set_connection (KefuReturnsSection *self,
                                     KefuConnection     *connection)
{
  g_return_if_fail (KEFU_IS_RETURNS_SECTION (self));
  g_return_if_fail (connection == NULL || KEFU_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  update (self);
}

void
kefu_returns_section_set_ticket (KefuReturnsSection *self,
                                 KefuTicket         *ticket)
{
  g_return_if_fail (KEFU_IS_RETURNS_SECTION (self));

  if (ticket != NULL)
    kefu_ticket_ref (ticket);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);
  self->ticket = ticket;
  update (self);
}

gboolean
kefu_returns_section_is_relevant (KefuReturnsSection *self)
{
  g_return_val_if_fail (KEFU_IS_RETURNS_SECTION (self), FALSE);

  return self->ticket != NULL &&
         (self->ticket->returns->len > 0 || may (self, KEFU_TICKET_ACTION_RETURN_REQUEST));
}

KefuSectionForm *
kefu_returns_section_get_form (KefuReturnsSection *self)
{
  g_return_val_if_fail (KEFU_IS_RETURNS_SECTION (self), NULL);
  return self->form;
}

char *
kefu_returns_section_get_row_text (KefuReturnsSection *self,
                                   gint64              id)
{
  const char *text;

  g_return_val_if_fail (KEFU_IS_RETURNS_SECTION (self), NULL);

  text = g_hash_table_lookup (self->row_texts, &id);
  if (text == NULL)
    return NULL;
  for (guint i = 0; i < self->countdowns->len; i++)
    {
      Countdown *c = &g_array_index (self->countdowns, Countdown, i);

      if (c->id == id)
        return g_strdup_printf ("%s\n%s", text, gtk_label_get_text (c->countdown));
    }
  return g_strdup (text);
}

static void
kefu_returns_section_dispose (GObject *object)
{
  KefuReturnsSection *self = KEFU_RETURNS_SECTION (object);

  if (self->form != NULL)
    gtk_window_destroy (kefu_section_form_get_window (self->form));
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_RETURNS_SECTION);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);
  if (self->countdowns != NULL)
    g_array_set_size (self->countdowns, 0);

  G_OBJECT_CLASS (kefu_returns_section_parent_class)->dispose (object);
}

static void
kefu_returns_section_finalize (GObject *object)
{
  KefuReturnsSection *self = KEFU_RETURNS_SECTION (object);

  g_clear_object (&self->ticker);
  g_clear_pointer (&self->countdowns, g_array_unref);
  g_clear_pointer (&self->row_texts, g_hash_table_unref);

  G_OBJECT_CLASS (kefu_returns_section_parent_class)->finalize (object);
}

static void
kefu_returns_section_class_init (KefuReturnsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_returns_section_dispose;
  object_class->finalize = kefu_returns_section_finalize;

  signals[TICKET_CHANGED] =
    g_signal_new ("ticket-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KEFU_TYPE_TICKET);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-returns-section.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuReturnsSection, group);
  gtk_widget_class_bind_template_child (widget_class, KefuReturnsSection, new_button);
  gtk_widget_class_bind_template_child (widget_class, KefuReturnsSection, list);

  gtk_widget_class_install_action (widget_class, "returns.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "returns.next-step", "x", next_step_action);
}

static void
kefu_returns_section_init (KefuReturnsSection *self)
{
  self->ticker = g_object_ref (kefu_ticker_get_default ());
  kefu_ticker_follow_mapped (self->ticker, GTK_WIDGET (self), G_CALLBACK (update_countdowns));
  self->countdowns = g_array_new (FALSE, TRUE, sizeof (Countdown));
  self->row_texts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
