/* kefu-ticket-actions.c — the workflow of one ticket: what the signed-in user may do next
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forms are small modal windows rather than AdwMessageDialogs: a message dialog of
 * libadwaita 1.2 closes on every response, and a field the server refuses has to stay on
 * screen with its error under it.
 */
#define G_LOG_DOMAIN "kefu-ticket-actions"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kefu-error.h"
#include "kefu-ticker.h"
#include "kefu-ticket-actions.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-text.h"
#include "kefu-validate.h"
#include "kefu-workflow.h"

/* ---- forms -------------------------------------------------------------------------------- */

typedef enum {
  FIELD_ENTRY,
  FIELD_COMBO,
  FIELD_SPIN,
  FIELD_TEXT,
  FIELD_SWITCH,
  FIELD_CHECKS,
} FieldKind;

typedef struct {
  char      *name;        /* the wire name the server's errors use */
  char      *title;
  FieldKind  kind;
  GtkWidget *row;         /* what gets the "error" style */
  GtkWidget *value;
  GtkLabel  *error;
  GStrv      words;       /* combo, checks: the wire words of the items */
  GPtrArray *checks;      /* checks: one GtkCheckButton per word */
} Field;

typedef struct _Form Form;

/* Builds the request from the fields: the method, what follows /tickets/NUMBER (NULL for a
 * PATCH of the ticket) and the body; or FALSE with a field error to show. */
typedef gboolean (*FormBuild) (Form      *form,
                               char     **out_method,
                               char     **out_what,
                               JsonNode **out_body,
                               GError   **error);

struct _Form
{
  KefuTicketActions *self;
  GtkWindow         *window;
  GtkWidget         *box;
  GtkWidget         *ok_button;
  GtkSpinner        *spinner;
  GtkLabel          *general_error;
  GtkLabel          *note;
  GPtrArray         *fields;
  FormBuild          build;
  GCancellable      *cancellable;
  char              *number;
  gint64             version;
  char              *done_message;
  char              *follow_note;    /* an internal note to add once the change succeeded */
  KefuSlaPolicy     *policy;
};

struct _KefuTicketActions
{
  GtkBox           parent_instance;

  KefuConnection  *connection;
  KefuTicket      *ticket;
  GCancellable    *cancellable;
  Form            *form;            /* the open form, owned by its window */
  KefuTicker      *ticker;
  guint            busy : 1;

  /* Template widgets */
  GtkWidget       *update_box;
  GtkLabel        *update_label;
  GtkActionBar    *action_bar;
  GtkWidget       *assign_button;
  GtkWidget       *accept_button;
  GtkWidget       *start_button;
  GtkWidget       *wait_parts_button;
  GtkWidget       *wait_customer_button;
  GtkWidget       *resolve_button;
  GtkWidget       *confirm_button;
  GtkWidget       *more_button;
};

G_DEFINE_FINAL_TYPE (KefuTicketActions, kefu_ticket_actions, GTK_TYPE_BOX)

enum {
  TICKET_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *action_names[KEFU_TICKET_ACTION_LAST] = {
  [KEFU_TICKET_ACTION_ASSIGN] = "workflow.assign",
  [KEFU_TICKET_ACTION_ACCEPT] = "workflow.accept",
  [KEFU_TICKET_ACTION_START_WORK] = "workflow.start-work",
  [KEFU_TICKET_ACTION_WAIT_PARTS] = "workflow.wait-parts",
  [KEFU_TICKET_ACTION_WAIT_CUSTOMER] = "workflow.wait-customer",
  [KEFU_TICKET_ACTION_RESOLVE] = "workflow.resolve",
  [KEFU_TICKET_ACTION_CONFIRM] = "workflow.confirm",
  [KEFU_TICKET_ACTION_CANCEL] = "workflow.cancel",
  [KEFU_TICKET_ACTION_PRIORITY] = "workflow.priority",
  [KEFU_TICKET_ACTION_CLASSIFY] = "workflow.classify",
};

static void update (KefuTicketActions *self);

static void
field_free (Field *field)
{
  g_free (field->name);
  g_free (field->title);
  g_strfreev (field->words);
  g_clear_pointer (&field->checks, g_ptr_array_unref);
  g_free (field);
}

static void
form_free (Form *form)
{
  g_cancellable_cancel (form->cancellable);
  g_clear_object (&form->cancellable);
  if (form->self != NULL && form->self->form == form)
    form->self->form = NULL;
  g_clear_object (&form->self);
  g_clear_pointer (&form->fields, g_ptr_array_unref);
  g_clear_pointer (&form->policy, kefu_sla_policy_unref);
  g_free (form->number);
  g_free (form->done_message);
  g_free (form->follow_note);
  g_free (form);
}

static Field *
form_find (Form       *form,
           const char *name)
{
  for (guint i = 0; form != NULL && name != NULL && i < form->fields->len; i++)
    {
      Field *field = g_ptr_array_index (form->fields, i);

      if (g_str_equal (field->name, name))
        return field;
    }
  return NULL;
}

static void
form_clear_errors (Form *form)
{
  for (guint i = 0; i < form->fields->len; i++)
    {
      Field *field = g_ptr_array_index (form->fields, i);

      gtk_widget_set_visible (GTK_WIDGET (field->error), FALSE);
      gtk_widget_remove_css_class (field->row, "error");
    }
  gtk_widget_set_visible (GTK_WIDGET (form->general_error), FALSE);
}

static void
form_show_error (Form         *form,
                 const GError *error)
{
  Field *field = form_find (form, kefu_error_get_field (error));
  g_autofree char *text = NULL;

  if (field != NULL && g_str_has_suffix (error->message, " is required"))
    /* Translators: %s is the label of a field, e.g. "Reason is required." */
    text = g_strdup_printf (_("%s is required."), field->title);
  else if (field != NULL && g_str_equal (field->name, "assignee_id") &&
           strstr (error->message, "no active user") != NULL)
    text = g_strdup (_("This person is no longer active. Choose someone else."));
  else
    text = kefu_workflow_error_text (error);

  if (field == NULL)
    {
      gtk_label_set_text (form->general_error, text);
      gtk_widget_set_visible (GTK_WIDGET (form->general_error), TRUE);
      return;
    }

  gtk_label_set_text (field->error, text);
  gtk_widget_set_visible (GTK_WIDGET (field->error), TRUE);
  gtk_widget_add_css_class (field->row, "error");
  gtk_widget_grab_focus (field->value);
}

static void
form_set_busy (Form     *form,
               gboolean  busy)
{
  gtk_widget_set_sensitive (form->ok_button, !busy);
  gtk_widget_set_sensitive (form->box, !busy);
  gtk_widget_set_visible (GTK_WIDGET (form->spinner), busy);
  gtk_spinner_set_spinning (form->spinner, busy);
}

static void form_submit (Form *form);

static void
on_form_ok (GtkButton *button,
            Form      *form)
{
  form_submit (form);
}

static void
on_form_cancel (GtkButton *button,
                Form      *form)
{
  gtk_window_destroy (form->window);
}

/* A block for one field: its row (or rows) and the error under it. */
static GtkWidget *
form_add_block (Form      *form,
                Field     *field,
                GtkWidget *content)
{
  GtkWidget *block = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  /* Read out as soon as it shows. */
  GtkWidget *error = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                                   NULL);

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_margin_start (error, 12);
  gtk_widget_set_visible (error, FALSE);

  gtk_box_append (GTK_BOX (block), content);
  gtk_box_append (GTK_BOX (block), error);
  gtk_box_insert_child_after (GTK_BOX (form->box), block,
                              gtk_widget_get_prev_sibling (GTK_WIDGET (form->note)));

  field->error = GTK_LABEL (error);
  g_ptr_array_add (form->fields, field);
  return block;
}

static GtkWidget *
boxed (GtkWidget *row)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return list;
}

static Field *
field_new (const char *name,
           const char *title,
           FieldKind   kind)
{
  Field *field = g_new0 (Field, 1);

  field->name = g_strdup (name);
  field->title = g_strdup (title);
  field->kind = kind;
  return field;
}

static Field *
form_add_combo (Form               *form,
                const char         *name,
                const char         *title,
                const char * const *labels,
                const char * const *words,
                const char         *selected)
{
  Field *field = field_new (name, title, FIELD_COMBO);
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  field->words = g_strdupv ((char **) words);
  for (guint i = 0; selected != NULL && field->words[i] != NULL; i++)
    {
      if (g_str_equal (field->words[i], selected))
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
    }
  field->row = row;
  field->value = row;
  form_add_block (form, field, boxed (row));
  return field;
}

static Field *
form_add_entry (Form       *form,
                const char *name,
                const char *title,
                const char *text)
{
  Field *field = field_new (name, title, FIELD_ENTRY);
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  field->row = row;
  field->value = row;
  form_add_block (form, field, boxed (row));
  return field;
}

static Field *
form_add_spin (Form       *form,
               const char *name,
               const char *title,
               const char *subtitle,
               double      max,
               guint       digits)
{
  Field *field = field_new (name, title, FIELD_SPIN);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, digits > 0 ? 0.01 : 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  field->row = row;
  field->value = spin;
  form_add_block (form, field, boxed (row));
  return field;
}

static Field *
form_add_switch (Form       *form,
                 const char *name,
                 const char *title,
                 const char *subtitle,
                 gboolean    active)
{
  Field *field = field_new (name, title, FIELD_SWITCH);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  gtk_switch_set_active (GTK_SWITCH (sw), active);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  field->row = row;
  field->value = sw;
  form_add_block (form, field, boxed (row));
  return field;
}

static Field *
form_add_text (Form       *form,
               const char *name,
               const char *title,
               const char *placeholder_hint)
{
  Field *field = field_new (name, title, FIELD_TEXT);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *hint;
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (content), label);
  if (placeholder_hint != NULL)
    {
      hint = gtk_label_new (placeholder_hint);
      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_add_css_class (hint, "caption");
      gtk_box_append (GTK_BOX (content), hint);
    }

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 80);
  gtk_widget_add_css_class (scroller, "card");
  gtk_widget_add_css_class (scroller, "kefu-text-card");
  gtk_box_append (GTK_BOX (content), scroller);

  field->row = scroller;
  field->value = view;
  form_add_block (form, field, content);
  return field;
}

static Field *
form_add_checks (Form               *form,
                 const char         *name,
                 const char         *title,
                 const char * const *labels,
                 const char * const *words,
                 const char * const *active)
{
  Field *field = field_new (name, title, FIELD_CHECKS);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *list = gtk_list_box_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (content), label);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (content), list);

  field->words = g_strdupv ((char **) words);
  field->checks = g_ptr_array_new ();
  for (guint i = 0; words[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), labels[i]);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   active != NULL &&
                                   g_strv_contains (active, words[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (field->checks, check);
    }

  field->row = list;
  field->value = list;
  form_add_block (form, field, content);
  return field;
}

static const char *
form_get_word (Form       *form,
               const char *name)
{
  Field *field = form_find (form, name);
  guint selected;

  g_return_val_if_fail (field != NULL && field->kind == FIELD_COMBO, NULL);

  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));
  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (field->words))
    return NULL;
  return field->words[selected];
}

static char *
form_get_text (Form       *form,
               const char *name)
{
  Field *field = form_find (form, name);

  g_return_val_if_fail (field != NULL, NULL);

  if (field->kind == FIELD_TEXT)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->value));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
    }
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->value))));
}

static double
form_get_number (Form       *form,
                 const char *name)
{
  Field *field = form_find (form, name);

  g_return_val_if_fail (field != NULL && field->kind == FIELD_SPIN, 0);

  gtk_spin_button_update (GTK_SPIN_BUTTON (field->value));
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (field->value));
}

static gboolean
form_get_active (Form       *form,
                 const char *name)
{
  Field *field = form_find (form, name);

  g_return_val_if_fail (field != NULL && field->kind == FIELD_SWITCH, FALSE);

  return gtk_switch_get_active (GTK_SWITCH (field->value));
}

static void
form_set_note (Form       *form,
               const char *text,
               const char *style)
{
  gtk_widget_remove_css_class (GTK_WIDGET (form->note), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (form->note), "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (form->note), style);
  gtk_label_set_text (form->note, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (form->note), text != NULL);
}

/* A checked text of at most @max characters, or FALSE with a field error. */
static gboolean
check_text (const char  *text,
            const char  *field,
            gboolean     required,
            gsize        max,
            GError     **error)
{
  if (*text == '\0')
    {
      if (!required)
        return TRUE;
      kefu_set_field_error (error, field, "%s is required", field);
      return FALSE;
    }
  if (!kefu_validate_text (text, max, TRUE))
    {
      kefu_set_field_error (error, field, "%s is too long: at most %" G_GSIZE_FORMAT
                            " characters", field, max);
      return FALSE;
    }
  return TRUE;
}

static Form *
form_new (KefuTicketActions *self,
          const char        *title,
          const char        *ok_label,
          gboolean           destructive,
          FormBuild          build)
{
  Form *form = g_new0 (Form, 1);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window = adw_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *ok = gtk_button_new ();
  GtkWidget *ok_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *ok_label_widget = gtk_label_new_with_mnemonic (ok_label);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *general_error = gtk_label_new (NULL);
  GtkWidget *note = gtk_label_new (NULL);
  GtkEventController *shortcuts;

  form->self = g_object_ref (self);
  form->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  form->build = build;
  form->cancellable = g_cancellable_new ();
  form->number = g_strdup (self->ticket->number);
  form->version = self->ticket->version;
  form->window = GTK_WINDOW (window);

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, -1);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (title, form->number));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  gtk_widget_set_visible (spinner, FALSE);
  gtk_box_append (GTK_BOX (ok_box), spinner);
  gtk_box_append (GTK_BOX (ok_box), ok_label_widget);
  gtk_button_set_child (GTK_BUTTON (ok), ok_box);
  gtk_widget_add_css_class (ok, destructive ? "destructive-action" : "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), ok);
  gtk_box_append (GTK_BOX (content), header);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (general_error), 0);
  gtk_label_set_wrap (GTK_LABEL (general_error), TRUE);
  gtk_widget_add_css_class (general_error, "error");
  gtk_widget_set_visible (general_error, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (general_error),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Error"), -1);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_widget_set_visible (note, FALSE);
  gtk_box_append (GTK_BOX (box), general_error);
  gtk_box_append (GTK_BOX (box), note);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  /* The forms are short: no scrolling, so that the window fits its wrapped texts. */
  gtk_widget_set_vexpand (clamp, TRUE);
  gtk_box_append (GTK_BOX (content), clamp);
  adw_window_set_content (ADW_WINDOW (window), content);

  form->box = box;
  form->ok_button = ok;
  form->spinner = GTK_SPINNER (spinner);
  form->general_error = GTK_LABEL (general_error);
  form->note = GTK_LABEL (note);

  g_signal_connect (ok, "clicked", G_CALLBACK (on_form_ok), form);
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_form_cancel), form);
  gtk_window_set_default_widget (GTK_WINDOW (window), ok);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape,
                                                                                  0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);

  /* The window owns the form; closing it forgets the form and cancels its request. */
  g_object_set_data_full (G_OBJECT (window), "kefu-form", form, (GDestroyNotify) form_free);
  if (self->form != NULL)
    gtk_window_destroy (self->form->window);
  self->form = form;
  return form;
}

static void
form_present (Form *form)
{
  /* The general error line stays first, the note last. */
  gtk_window_present (form->window);
}

static void
form_note_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KefuTicketActions) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = kefu_workflow_write_finish (KEFU_CONNECTION (object), result,
                                                             &error);

  if (ticket != NULL)
    g_signal_emit (self, signals[TICKET_CHANGED], 0, ticket);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    kefu_workflow_toast (GTK_WIDGET (self), error->message);
}

static void
form_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Form *form = user_data;
  KefuTicketActions *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  ticket = kefu_workflow_write_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the form is gone */

  self = form->self;
  form_set_busy (form, FALSE);
  self->busy = FALSE;

  if (ticket == NULL)
    {
      if (g_error_matches (error, KEFU_ERROR, KEFU_ERROR_VERSION_CONFLICT))
        {
          g_autofree char *text = kefu_workflow_error_text (error);

          kefu_workflow_toast (GTK_WIDGET (self), text);
          gtk_widget_activate_action (GTK_WIDGET (self), "ticket.reload", NULL);
          gtk_window_destroy (form->window);
        }
      else
        form_show_error (form, error);
      update (self);
      return;
    }

  g_signal_emit (self, signals[TICKET_CHANGED], 0, ticket);
  if (form->done_message != NULL)
    kefu_workflow_toast (GTK_WIDGET (self), form->done_message);

  if (form->follow_note != NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, form->follow_note);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "note");
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      kefu_workflow_write_async (self->connection, "POST", ticket->number, "notes",
                                 ticket->version, body, self->cancellable,
                                 form_note_written_cb, g_object_ref (self));
    }

  gtk_window_destroy (form->window);
  update (self);
}

static void
form_submit (Form *form)
{
  KefuTicketActions *self = form->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *method = NULL;
  g_autofree char *what = NULL;

  if (self->busy || self->connection == NULL)
    return;

  form_clear_errors (form);
  if (!form->build (form, &method, &what, &body, &error))
    {
      if (error != NULL)
        form_show_error (form, error);
      else
        gtk_window_destroy (form->window);   /* nothing to change */
      return;
    }

  self->busy = TRUE;
  form_set_busy (form, TRUE);
  update (self);
  kefu_workflow_write_async (self->connection, method, form->number, what, form->version, body,
                             form->cancellable, form_written_cb, form);
}

/* ---- simple writes ------------------------------------------------------------------------ */

typedef struct {
  KefuTicketActions *self;
  char              *done_message;
} Simple;

static void
simple_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Simple *simple = user_data;
  KefuTicketActions *self = simple->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  ticket = kefu_workflow_write_finish (KEFU_CONNECTION (object), result, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->busy = FALSE;
      if (ticket != NULL)
        {
          g_signal_emit (self, signals[TICKET_CHANGED], 0, ticket);
          kefu_workflow_toast (GTK_WIDGET (self), simple->done_message);
        }
      else
        {
          g_autofree char *text = kefu_workflow_error_text (error);

          kefu_workflow_toast (GTK_WIDGET (self), text);
          if (g_error_matches (error, KEFU_ERROR, KEFU_ERROR_VERSION_CONFLICT))
            gtk_widget_activate_action (GTK_WIDGET (self), "ticket.reload", NULL);
        }
      update (self);
    }

  g_object_unref (simple->self);
  g_free (simple->done_message);
  g_free (simple);
}

static void
simple_write (KefuTicketActions *self,
              const char        *what,
              JsonNode          *body,
              const char        *done_message)
{
  Simple *simple = g_new0 (Simple, 1);

  simple->self = g_object_ref (self);
  simple->done_message = g_strdup (done_message);
  self->busy = TRUE;
  update (self);
  kefu_workflow_write_async (self->connection, "POST", self->ticket->number, what,
                             self->ticket->version, body, self->cancellable, simple_written_cb,
                             simple);
}

static JsonNode *
status_body (const char *status,
             const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
may (KefuTicketActions *self,
     KefuTicketAction   action)
{
  return self->connection != NULL && self->ticket != NULL && !self->busy &&
         kefu_permissions_allow_for (self->connection, self->ticket, action);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);

  if (may (self, KEFU_TICKET_ACTION_ACCEPT))
    simple_write (self, "accept", NULL, _("Ticket accepted"));
}

static void
start_work_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);
  g_autoptr(JsonNode) body = NULL;

  if (!may (self, KEFU_TICKET_ACTION_START_WORK))
    return;
  body = status_body ("in_progress", NULL);
  simple_write (self, "status", body, _("Work started"));
}

/* ---- waiting ------------------------------------------------------------------------------ */

static gboolean
build_waiting (Form      *form,
               char     **out_method,
               char     **out_what,
               JsonNode **out_body,
               GError   **error)
{
  g_autofree char *reason = form_get_text (form, "reason");
  const char *status = g_object_get_data (G_OBJECT (form->window), "status");

  if (!check_text (reason, "reason", TRUE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;
  *out_method = g_strdup ("POST");
  *out_what = g_strdup ("status");
  *out_body = status_body (status, reason);
  return TRUE;
}

static void
wait_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);
  gboolean parts = g_str_equal (action_name, "workflow.wait-parts");
  Form *form;

  if (!may (self, parts ? KEFU_TICKET_ACTION_WAIT_PARTS : KEFU_TICKET_ACTION_WAIT_CUSTOMER))
    return;

  form = form_new (self, parts ? _("Waiting for Parts") : _("Waiting for the Customer"),
                   _("_Set Status"), FALSE, build_waiting);
  g_object_set_data (G_OBJECT (form->window), "status",
                     (gpointer) (parts ? "waiting_parts" : "waiting_customer"));
  form_add_text (form, "reason", _("Reason"),
                 parts ? _("Which parts, from where, and when they are expected.")
                       : _("What the customer has to do or send, and when they said they "
                           "would."));
  form_set_note (form,
                 parts ? _("The deadlines keep running while the ticket waits for parts.")
                       : _("The deadlines pause while the ticket waits for the customer."),
                 "dim-label");
  form->done_message = g_strdup (parts ? _("Waiting for parts") : _("Waiting for the customer"));
  form_present (form);
}

/* ---- resolve ------------------------------------------------------------------------------ */

static gboolean
build_resolve (Form      *form,
               char     **out_method,
               char     **out_what,
               JsonNode **out_body,
               GError   **error)
{
  g_autofree char *summary = form_get_text (form, "summary");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *kind = form_get_word (form, "kind");

  if (kind == NULL)
    {
      kefu_set_field_error (error, "kind", "kind is required");
      return FALSE;
    }
  if (!check_text (summary, "summary", TRUE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, summary);
  json_builder_set_member_name (builder, "cost_cents");
  json_builder_add_int_value (builder, (gint64) (form_get_number (form, "cost_cents") * 100 + 0.5));
  json_builder_set_member_name (builder, "minutes_spent");
  json_builder_add_int_value (builder, (gint64) form_get_number (form, "minutes_spent"));
  json_builder_end_object (builder);

  *out_method = g_strdup ("POST");
  *out_what = g_strdup ("resolve");
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);
  const char *labels[KEFU_RESOLUTION_LAST + 1] = { NULL };
  const char *words[KEFU_RESOLUTION_LAST + 1] = { NULL };
  Form *form;

  if (!may (self, KEFU_TICKET_ACTION_RESOLVE))
    return;

  for (guint i = 0; i < KEFU_RESOLUTION_LAST; i++)
    {
      labels[i] = kefu_text_resolution_kind (i);
      words[i] = kefu_resolution_kind_to_string (i);
    }

  form = form_new (self, _("Resolve the Ticket"), _("_Resolve"), FALSE, build_resolve);
  form_add_combo (form, "kind", _("How It Was Resolved"), labels, words,
                  self->ticket->resolution != NULL
                  ? kefu_resolution_kind_to_string (self->ticket->resolution->kind) : "repair");
  form_add_text (form, "summary", _("Summary"),
                 _("What was wrong and what was done (处理总结). The customer is told this "
                   "when the result is confirmed."));
  form_add_spin (form, "cost_cents", _("Cost"), _("In yuan: parts, fees and compensation"),
                 10000000, 2);
  form_add_spin (form, "minutes_spent", _("Time Spent"), _("In minutes"), 100000, 0);
  form_set_note (form, _("The agent then calls the customer to confirm the result, within an "
                         "hour."), "dim-label");
  form->done_message = g_strdup (_("Ticket resolved"));
  form_present (form);
}

/* ---- confirm ------------------------------------------------------------------------------ */

static gboolean
confirm_is_satisfied (Form *form)
{
  const char *score = form_get_word (form, "satisfaction");

  return form_get_active (form, "solved") && score != NULL && atoi (score) >= 3;
}

static void
update_confirm_note (Form *form)
{
  gboolean satisfied = confirm_is_satisfied (form);
  GtkWidget *label = gtk_button_get_child (GTK_BUTTON (form->ok_button));

  if (satisfied)
    form_set_note (form, _("The ticket will be closed."), "dim-label");
  else
    form_set_note (form, _("The customer is not satisfied: the ticket will be reopened with a "
                           "new 24-hour resolution deadline and escalated to the after-sales "
                           "managers (level 2)."), "warning");

  label = gtk_widget_get_last_child (label);
  gtk_label_set_text_with_mnemonic (GTK_LABEL (label),
                                    satisfied ? _("_Close Ticket") : _("_Reopen and Escalate"));
  gtk_widget_remove_css_class (form->ok_button, satisfied ? "destructive-action"
                                                          : "suggested-action");
  gtk_widget_add_css_class (form->ok_button, satisfied ? "suggested-action"
                                                       : "destructive-action");
}

static gboolean
build_confirm (Form      *form,
               char     **out_method,
               char     **out_what,
               JsonNode **out_body,
               GError   **error)
{
  g_autofree char *comment = form_get_text (form, "comment");
  const char *score = form_get_word (form, "satisfaction");
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (score == NULL)
    {
      kefu_set_field_error (error, "satisfaction", "satisfaction is required");
      return FALSE;
    }
  if (!check_text (comment, "comment", FALSE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "solved");
  json_builder_add_boolean_value (builder, form_get_active (form, "solved"));
  json_builder_set_member_name (builder, "satisfaction");
  json_builder_add_int_value (builder, atoi (score));
  if (*comment != '\0')
    {
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, comment);
    }
  json_builder_end_object (builder);

  g_free (form->done_message);
  form->done_message = g_strdup (confirm_is_satisfied (form)
                                 ? _("Confirmed: the ticket is closed")
                                 : _("The ticket is reopened and escalated to the managers"));
  *out_method = g_strdup ("POST");
  *out_what = g_strdup ("confirm");
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static void
on_confirm_changed (Form *form)
{
  update_confirm_note (form);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);
  const char *words[] = { "5", "4", "3", "2", "1", NULL };
  g_autofree char *l5 = NULL, *l4 = NULL, *l3 = NULL, *l2 = NULL, *l1 = NULL;
  const char *labels[6] = { NULL };
  Field *solved, *satisfaction;
  Form *form;

  if (!may (self, KEFU_TICKET_ACTION_CONFIRM))
    return;

  /* Translators: a satisfaction score and the seed's word for it: 4–5 满意, 3 基本满意,
   * 1–2 不满意 */
  l5 = g_strdup_printf (_("%d · %s"), 5, _("Satisfied"));
  l4 = g_strdup_printf (_("%d · %s"), 4, _("Satisfied"));
  l3 = g_strdup_printf (_("%d · %s"), 3, _("Basically satisfied"));
  l2 = g_strdup_printf (_("%d · %s"), 2, _("Unsatisfied"));
  l1 = g_strdup_printf (_("%d · %s"), 1, _("Unsatisfied"));
  labels[0] = l5;
  labels[1] = l4;
  labels[2] = l3;
  labels[3] = l2;
  labels[4] = l1;

  form = form_new (self, _("Confirm with the Customer"), _("_Close Ticket"), FALSE,
                   build_confirm);
  solved = form_add_switch (form, "solved", _("Problem Solved"),
                            _("The customer says the problem is gone"), TRUE);
  satisfaction = form_add_combo (form, "satisfaction", _("Satisfaction"), labels, words, "5");
  form_add_text (form, "comment", _("Comment"), _("What the customer said, in their words."));
  g_signal_connect_swapped (solved->value, "notify::active", G_CALLBACK (on_confirm_changed),
                            form);
  g_signal_connect_swapped (satisfaction->row, "notify::selected",
                            G_CALLBACK (on_confirm_changed), form);
  update_confirm_note (form);
  form_present (form);
}

/* ---- cancel ------------------------------------------------------------------------------- */

static gboolean
build_cancel (Form      *form,
              char     **out_method,
              char     **out_what,
              JsonNode **out_body,
              GError   **error)
{
  g_autofree char *details = form_get_text (form, "details");
  const char *reason = form_get_word (form, "reason");

  if (reason == NULL)
    {
      kefu_set_field_error (error, "reason", "reason is required");
      return FALSE;
    }
  if (!check_text (details, "details", FALSE, KEFU_LONG_TEXT_MAX_CHARS, error))
    return FALSE;

  g_clear_pointer (&form->follow_note, g_free);
  if (*details != '\0')
    {
      KefuCancelReason value = KEFU_CANCEL_REASON_DUPLICATE;

      kefu_cancel_reason_from_string (reason, &value);
      /* Translators: the internal note added with a cancellation, e.g. "Cancelled (Duplicate):
       * same as FW20261123004" */
      form->follow_note = g_strdup_printf (_("Cancelled (%s): %s"),
                                           kefu_text_cancel_reason (value), details);
    }
  *out_method = g_strdup ("POST");
  *out_what = g_strdup ("status");
  *out_body = status_body ("cancelled", reason);
  return TRUE;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);
  const char *labels[KEFU_CANCEL_REASON_LAST + 1] = { NULL };
  const char *words[KEFU_CANCEL_REASON_LAST + 1] = { NULL };
  Form *form;

  if (!may (self, KEFU_TICKET_ACTION_CANCEL))
    return;

  for (guint i = 0; i < KEFU_CANCEL_REASON_LAST; i++)
    {
      labels[i] = kefu_text_cancel_reason (i);
      words[i] = kefu_cancel_reason_to_string (i);
    }

  form = form_new (self, _("Cancel the Ticket"), _("Cancel _Ticket"), TRUE, build_cancel);
  form_add_combo (form, "reason", _("Reason"), labels, words, "duplicate");
  form_add_text (form, "details", _("Details"),
                 _("Optional: e.g. the number of the ticket this one duplicates. Added as an "
                   "internal note."));
  form_set_note (form, _("A cancelled ticket leaves the board and cannot be reopened."),
                 "warning");
  form->done_message = g_strdup (_("Ticket cancelled"));
  form_present (form);
}

/* ---- priority ----------------------------------------------------------------------------- */

static void
update_priority_note (Form *form)
{
  const char *word = form_get_word (form, "priority");
  int priority = word != NULL ? atoi (word) : 0;
  int current = form->self->ticket != NULL ? form->self->ticket->priority : 0;
  g_autofree char *response = NULL;
  g_autofree char *resolve = NULL;
  g_autofree char *text = NULL;

  if (priority == current || priority == 0)
    {
      form_set_note (form, _("Choose the new priority."), "dim-label");
      return;
    }
  if (form->policy == NULL)
    {
      form_set_note (form, _("The deadlines are worked out again from registration."),
                     "dim-label");
      return;
    }

  response = kefu_text_target (kefu_sla_policy_get_response (form->policy, priority),
                               form->policy);
  resolve = kefu_text_target (kefu_sla_policy_get_resolve (form->policy, priority),
                              form->policy);
  text = g_strdup_printf (_("The deadlines are worked out again from registration: first "
                            "response within %s, resolution within %s."), response, resolve);
  form_set_note (form, text, "warning");
}

static gboolean
build_priority (Form      *form,
                char     **out_method,
                char     **out_what,
                JsonNode **out_body,
                GError   **error)
{
  const char *word = form_get_word (form, "priority");
  int priority = word != NULL ? atoi (word) : 0;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (priority == form->self->ticket->priority)
    {
      kefu_set_field_error (error, "priority", "%s", _("Choose a different priority."));
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, priority);
  json_builder_end_object (builder);

  g_free (form->done_message);
  /* Translators: a toast, e.g. "FW20261123001 is now P1" */
  form->done_message = g_strdup_printf (_("%s is now %s"), form->number,
                                        kefu_text_priority (priority));
  *out_method = g_strdup ("PATCH");
  *out_what = NULL;
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static void
open_priority_form (KefuTicketActions *self,
                    KefuSlaPolicy     *policy)
{
  const char *words[] = { "1", "2", "3", "4", NULL };
  g_autofree char *l1 = NULL, *l2 = NULL, *l3 = NULL, *l4 = NULL;
  const char *labels[5] = { NULL };
  g_autofree char *current = NULL;
  Field *field;
  Form *form;

  /* Translators: a priority and what it means, e.g. "P1 · Urgent — core use blocked" */
  l1 = g_strdup_printf (_("%s — %s"), kefu_text_priority (1), kefu_text_priority_meaning (1));
  l2 = g_strdup_printf (_("%s — %s"), kefu_text_priority (2), kefu_text_priority_meaning (2));
  l3 = g_strdup_printf (_("%s — %s"), kefu_text_priority (3), kefu_text_priority_meaning (3));
  l4 = g_strdup_printf (_("%s — %s"), kefu_text_priority (4), kefu_text_priority_meaning (4));
  labels[0] = l1;
  labels[1] = l2;
  labels[2] = l3;
  labels[3] = l4;
  current = g_strdup_printf ("%d", self->ticket->priority);

  form = form_new (self, _("Change the Priority"), _("_Change Priority"), FALSE,
                   build_priority);
  form->policy = policy != NULL ? kefu_sla_policy_ref (policy) : NULL;
  field = form_add_combo (form, "priority", _("Priority"), labels, words, current);
  g_signal_connect_swapped (field->row, "notify::selected", G_CALLBACK (update_priority_note),
                            form);
  update_priority_note (form);
  form_present (form);
}

static void
policy_for_form_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KefuTicketActions) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(KefuSlaPolicy) policy = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer != NULL)
    policy = kefu_sla_policy_from_json (answer, NULL);
  if (self->ticket != NULL)
    open_priority_form (self, policy);
}

static void
priority_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);

  if (!may (self, KEFU_TICKET_ACTION_PRIORITY))
    return;
  kefu_connection_request_async (self->connection, "GET", "/sla-policy", NULL, NULL,
                                 self->cancellable, policy_for_form_cb, g_object_ref (self));
}

/* ---- classification ----------------------------------------------------------------------- */

static gboolean
build_classify (Form      *form,
                char     **out_method,
                char     **out_what,
                JsonNode **out_body,
                GError   **error)
{
  KefuTicket *t = form->self->ticket;
  g_autofree char *subcategory = form_get_text (form, "subcategory");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *category = form_get_word (form, "category");
  const char *stage = form_get_word (form, "stage");
  const char *channel = form_get_word (form, "channel");
  gboolean any = FALSE;

  if (!kefu_validate_text (subcategory, KEFU_SHORT_TEXT_MAX_CHARS, FALSE))
    {
      kefu_set_field_error (error, "subcategory", "subcategory is too long: at most %d "
                            "characters", KEFU_SHORT_TEXT_MAX_CHARS);
      return FALSE;
    }

  json_builder_begin_object (builder);
  if (g_strcmp0 (category, kefu_category_to_string (t->category)) != 0)
    {
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, category);
      any = TRUE;
    }
  if (g_strcmp0 (subcategory, t->subcategory != NULL ? t->subcategory : "") != 0)
    {
      json_builder_set_member_name (builder, "subcategory");
      if (*subcategory != '\0')
        json_builder_add_string_value (builder, subcategory);
      else
        json_builder_add_null_value (builder);
      any = TRUE;
    }
  if (g_strcmp0 (stage, kefu_stage_to_string (t->stage)) != 0)
    {
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, stage);
      any = TRUE;
    }
  if (g_strcmp0 (channel, kefu_channel_to_string (t->channel)) != 0)
    {
      json_builder_set_member_name (builder, "channel");
      json_builder_add_string_value (builder, channel);
      any = TRUE;
    }
  json_builder_end_object (builder);

  if (!any)
    return FALSE;   /* nothing changed: just close */

  *out_method = g_strdup ("PATCH");
  *out_what = NULL;
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static void
classify_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);
  const char *c_labels[KEFU_CATEGORY_LAST + 1] = { NULL }, *c_words[KEFU_CATEGORY_LAST + 1] = { NULL };
  const char *s_labels[KEFU_STAGE_LAST + 1] = { NULL }, *s_words[KEFU_STAGE_LAST + 1] = { NULL };
  const char *h_labels[KEFU_CHANNEL_LAST + 1] = { NULL }, *h_words[KEFU_CHANNEL_LAST + 1] = { NULL };
  KefuTicket *t;
  Form *form;

  if (!may (self, KEFU_TICKET_ACTION_CLASSIFY))
    return;
  t = self->ticket;

  for (guint i = 0; i < KEFU_CATEGORY_LAST; i++)
    {
      c_labels[i] = kefu_text_category (i);
      c_words[i] = kefu_category_to_string (i);
    }
  for (guint i = 0; i < KEFU_STAGE_LAST; i++)
    {
      s_labels[i] = kefu_text_stage (i);
      s_words[i] = kefu_stage_to_string (i);
    }
  for (guint i = 0; i < KEFU_CHANNEL_LAST; i++)
    {
      h_labels[i] = kefu_text_channel (i);
      h_words[i] = kefu_channel_to_string (i);
    }

  form = form_new (self, _("Edit the Classification"), _("_Save"), FALSE, build_classify);
  form_add_combo (form, "category", _("Category"), c_labels, c_words,
                  kefu_category_to_string (t->category));
  form_add_entry (form, "subcategory", _("Subcategory"), t->subcategory);
  form_add_combo (form, "stage", _("Stage"), s_labels, s_words, kefu_stage_to_string (t->stage));
  form_add_combo (form, "channel", _("Channel"), h_labels, h_words,
                  kefu_channel_to_string (t->channel));
  form_set_note (form, _("The change is recorded in the ticket’s timeline."), "dim-label");
  form->done_message = g_strdup (_("Classification saved"));
  form_present (form);
}

/* ---- assign ------------------------------------------------------------------------------- */

typedef struct {
  KefuTicketActions *self;
  JsonNode          *users;
  JsonNode          *departments;
  guint              pending;
  gboolean           failed;
} AssignLoad;

static gboolean
build_assign (Form      *form,
              char     **out_method,
              char     **out_what,
              JsonNode **out_body,
              GError   **error)
{
  const char *assignee = form_get_word (form, "assignee_id");
  const char *department = form_get_word (form, "department");
  Field *supporting = form_find (form, "supporting_departments");
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (assignee == NULL)
    {
      kefu_set_field_error (error, "assignee_id", "assignee_id is required");
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "assignee_id");
  json_builder_add_int_value (builder, g_ascii_strtoll (assignee, NULL, 10));
  if (department != NULL && *department != '\0')
    {
      json_builder_set_member_name (builder, "department");
      json_builder_add_string_value (builder, department);
    }
  json_builder_set_member_name (builder, "supporting_departments");
  json_builder_begin_array (builder);
  for (guint i = 0; supporting != NULL && i < supporting->checks->len; i++)
    {
      if (gtk_check_button_get_active (g_ptr_array_index (supporting->checks, i)) &&
          g_strcmp0 (supporting->words[i], department) != 0)
        json_builder_add_string_value (builder, supporting->words[i]);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  *out_method = g_strdup ("POST");
  *out_what = g_strdup ("assign");
  *out_body = json_builder_get_root (builder);
  return TRUE;
}

static int
compare_workload (gconstpointer a,
                  gconstpointer b)
{
  const guint *wa = g_object_get_data (*(GObject **) a, "n");
  const guint *wb = g_object_get_data (*(GObject **) b, "n");

  return (int) GPOINTER_TO_UINT (wa) - (int) GPOINTER_TO_UINT (wb);
}

static void
open_assign_form (KefuTicketActions *self,
                  JsonArray         *users,
                  JsonArray         *departments)
{
  KefuTicket *t = self->ticket;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) d_labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) d_words = g_ptr_array_new ();
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *current = t->assignee.id != 0
                             ? g_strdup_printf ("%" G_GINT64_FORMAT, t->assignee.id) : NULL;
  Field *field;
  Form *form;

  /* Technicians, least busy first (the order the supervisor usually picks from). */
  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);
      GObject *holder;

      if (g_strcmp0 (json_object_get_string_member_with_default (user, "role", NULL),
                     "technician") != 0 ||
          !json_object_get_boolean_member_with_default (user, "active", TRUE))
        continue;
      holder = g_object_new (G_TYPE_OBJECT, NULL);
      g_object_set_data_full (holder, "user", json_object_ref (user),
                              (GDestroyNotify) json_object_unref);
      g_object_set_data (holder, "n",
                         GUINT_TO_POINTER (kefu_workflow_open_tickets (self->connection, user)));
      g_ptr_array_add (order, holder);
    }
  g_ptr_array_sort (order, compare_workload);

  for (guint i = 0; i < order->len; i++)
    {
      GObject *holder = g_ptr_array_index (order, i);
      JsonObject *user = g_object_get_data (holder, "user");
      guint n = GPOINTER_TO_UINT (g_object_get_data (holder, "n"));
      g_autofree char *load = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open ticket",
                                                            "%u open tickets", n), n);

      /* Translators: a technician in the assignment list: name, open tickets, department,
       * e.g. "Zhao Lei · 3 open tickets · Technical" */
      g_ptr_array_add (labels, g_strdup_printf (_("%s · %s · %s"),
                                                json_object_get_string_member_with_default (
                                                  user, "display_name", "?"),
                                                load,
                                                kefu_text_department (
                                                  json_object_get_string_member_with_default (
                                                    user, "department", ""))));
      g_ptr_array_add (words, g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member (user, "id")));
    }
  g_ptr_array_add (labels, NULL);
  g_ptr_array_add (words, NULL);

  g_ptr_array_add (d_labels, (gpointer) _("The assignee’s department"));
  g_ptr_array_add (d_words, (gpointer) "");
  for (guint i = 0; departments != NULL && i < json_array_get_length (departments); i++)
    {
      JsonObject *d = json_array_get_object_element (departments, i);
      const char *code = json_object_get_string_member_with_default (d, "code", NULL);
      const char *shown = kefu_text_department (code);

      if (code == NULL)
        continue;
      if (g_strcmp0 (shown, code) == 0)
        shown = json_object_get_string_member_with_default (d, "name", code);
      g_ptr_array_add (d_labels, (gpointer) shown);
      g_ptr_array_add (d_words, (gpointer) code);
    }
  g_ptr_array_add (d_labels, NULL);
  g_ptr_array_add (d_words, NULL);

  form = form_new (self, t->assignee.id != 0 ? _("Reassign the Ticket") : _("Assign the Ticket"),
                   t->assignee.id != 0 ? _("_Reassign") : _("_Assign"), FALSE, build_assign);
  field = form_add_combo (form, "assignee_id", _("Technician"),
                          (const char * const *) labels->pdata,
                          (const char * const *) words->pdata, current);
  /* Name, workload and department are long: the choice shows under the title. */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (field->row), TRUE);
  form_add_combo (form, "department", _("Lead Department"),
                  (const char * const *) d_labels->pdata, (const char * const *) d_words->pdata,
                  t->department != NULL ? t->department : "");
  /* Supporting departments: every one but the first ("the assignee's"). */
  form_add_checks (form, "supporting_departments", _("Supporting Departments"),
                   (const char * const *) d_labels->pdata + 1,
                   (const char * const *) d_words->pdata + 1,
                   (const char * const *) t->supporting_departments);
  form_set_note (form, t->assignee.id != 0
                       ? _("The new assignee has to accept the ticket; the accept deadline "
                           "starts again.")
                       : _("The assignee has an hour to accept the ticket."), "dim-label");
  form->done_message = g_strdup (_("Ticket assigned"));
  form_present (form);
}

static void
assign_loaded (AssignLoad *load)
{
  KefuTicketActions *self = load->self;

  if (!load->failed && self->ticket != NULL)
    {
      JsonArray *users = NULL, *departments = NULL;

      if (load->users != NULL && JSON_NODE_HOLDS_OBJECT (load->users))
        users = json_object_get_array_member (json_node_get_object (load->users), "users");
      if (load->departments != NULL && JSON_NODE_HOLDS_OBJECT (load->departments))
        departments = json_object_get_array_member (json_node_get_object (load->departments),
                                                    "departments");
      open_assign_form (self, users, departments);
    }

  g_clear_pointer (&load->users, json_node_unref);
  g_clear_pointer (&load->departments, json_node_unref);
  g_object_unref (load->self);
  g_free (load);
}

static void
assign_part_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AssignLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);

  if (answer == NULL)
    {
      if (!load->failed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kefu_workflow_toast (GTK_WIDGET (load->self), error->message);
      load->failed = TRUE;
    }
  else if (JSON_NODE_HOLDS_OBJECT (answer) &&
           json_object_has_member (json_node_get_object (answer), "users"))
    load->users = answer;
  else
    load->departments = answer;

  if (--load->pending == 0)
    assign_loaded (load);
}

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (widget);
  AssignLoad *load;

  if (!may (self, KEFU_TICKET_ACTION_ASSIGN))
    return;

  load = g_new0 (AssignLoad, 1);
  load->self = g_object_ref (self);
  load->pending = 2;
  kefu_connection_request_async (self->connection, "GET", "/users?role=technician", NULL, NULL,
                                 self->cancellable, assign_part_cb, load);
  kefu_connection_request_async (self->connection, "GET", "/departments", NULL, NULL,
                                 self->cancellable, assign_part_cb, load);
}

/* ---- what is offered ---------------------------------------------------------------------- */

static GtkWidget *
button_of (KefuTicketActions *self,
           KefuTicketAction   action)
{
  switch (action)
    {
    case KEFU_TICKET_ACTION_ASSIGN:
      return self->assign_button;
    case KEFU_TICKET_ACTION_ACCEPT:
      return self->accept_button;
    case KEFU_TICKET_ACTION_START_WORK:
      return self->start_button;
    case KEFU_TICKET_ACTION_WAIT_PARTS:
      return self->wait_parts_button;
    case KEFU_TICKET_ACTION_WAIT_CUSTOMER:
      return self->wait_customer_button;
    case KEFU_TICKET_ACTION_RESOLVE:
      return self->resolve_button;
    case KEFU_TICKET_ACTION_CONFIRM:
      return self->confirm_button;
    case KEFU_TICKET_ACTION_CANCEL:
    case KEFU_TICKET_ACTION_PRIORITY:
    case KEFU_TICKET_ACTION_CLASSIFY:
    case KEFU_TICKET_ACTION_NOTE:
    case KEFU_TICKET_ACTION_CUSTOMER_CONTACT:
    case KEFU_TICKET_ACTION_VISIT_SCHEDULE:
    case KEFU_TICKET_ACTION_VISIT_UPDATE:
    case KEFU_TICKET_ACTION_RETURN_REQUEST:
    case KEFU_TICKET_ACTION_RETURN_UPDATE:
    case KEFU_TICKET_ACTION_ATTACH:
    case KEFU_TICKET_ACTION_LAST:
    default:
      return NULL;
    }
}

static void
set_wants_seconds (KefuTicketActions *self,
                   gboolean           wants)
{
  kefu_ticker_follower_want_seconds (self->ticker, GTK_WIDGET (self), wants);
}

static void
update_update_strip (KefuTicketActions *self)
{
  gboolean shows_seconds = FALSE;
  KefuTicket *t = self->ticket;
  const char *role = self->connection != NULL ? kefu_connection_get_role (self->connection)
                                              : NULL;
  gboolean talks = g_strcmp0 (role, "agent") == 0 || g_strcmp0 (role, "supervisor") == 0;
  gboolean shown = talks && t != NULL && kefu_status_is_open (t->status) &&
                   t->sla.next_update_due != 0;
  gint64 now;
  g_autofree char *countdown = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->update_box, shown);
  if (!shown)
    {
      set_wants_seconds (self, FALSE);
      return;
    }

  now = kefu_ticker_get_now (self->ticker);
  countdown = kefu_ticket_card_format_countdown (t->sla.next_update_due - now, &shows_seconds);
  set_wants_seconds (self, shows_seconds);
  when = kefu_text_local_time (t->sla.next_update_due, FALSE);
  /* Translators: when the next progress update to the customer is due, e.g.
   * "1 h 12 min left · 2026-11-23 17:05" */
  text = g_strdup_printf (_("%s · %s"), countdown, when);
  gtk_label_set_text (self->update_label, text);

  gtk_widget_remove_css_class (self->update_box, "kefu-overdue");
  gtk_widget_remove_css_class (self->update_box, "kefu-soon");
  if (t->sla.next_update_due <= now)
    gtk_widget_add_css_class (self->update_box, "kefu-overdue");
  else if (t->sla.next_update_due - now < 30 * 60 * G_USEC_PER_SEC)
    gtk_widget_add_css_class (self->update_box, "kefu-soon");
}

static void
update (KefuTicketActions *self)
{
  gboolean any = FALSE, any_menu = FALSE;

  for (guint a = 0; a < KEFU_TICKET_ACTION_LAST; a++)
    {
      GtkWidget *button = button_of (self, a);
      gboolean offered;

      if (action_names[a] == NULL)
        continue;
      offered = self->ticket != NULL && self->connection != NULL &&
                kefu_permissions_allow_for (self->connection, self->ticket, a);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), action_names[a], offered && !self->busy);
      if (button != NULL)
        gtk_widget_set_visible (button, offered);
      else
        any_menu |= offered;
      any |= offered;
    }

  if (self->ticket != NULL)
    gtk_button_set_label (GTK_BUTTON (self->start_button),
                          self->ticket->status == KEFU_STATUS_WAITING_CUSTOMER ||
                          self->ticket->status == KEFU_STATUS_WAITING_PARTS
                          ? _("_Resume Work")
                          : self->ticket->status == KEFU_STATUS_REOPENED
                          ? _("_Work on It Again") : _("_Start Work"));

  gtk_widget_set_visible (self->more_button, any_menu);
  gtk_action_bar_set_revealed (self->action_bar, any);
  update_update_strip (self);
}

/* ---- public ------------------------------------------------------------------------------- */

GtkWidget *
kefu_ticket_actions_new (void)
{
  return g_object_new (KEFU_TYPE_TICKET_ACTIONS, NULL);
}

KefuConnection *
kefu_ticket_actions_get_connection (KefuTicketActions *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);

  return self->connection;
}

void
kefu_ticket_actions_set_connection (KefuTicketActions *self,
                                    KefuConnection    *connection)
{
  g_return_if_fail (KEFU_IS_TICKET_ACTIONS (self));
  g_return_if_fail (connection == NULL || KEFU_IS_CONNECTION (connection));

  if (g_set_object (&self->connection, connection))
    update (self);
}

KefuTicket *
kefu_ticket_actions_get_ticket (KefuTicketActions *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);

  return self->ticket;
}

void
kefu_ticket_actions_set_ticket (KefuTicketActions *self,
                                KefuTicket        *ticket)
{
  g_return_if_fail (KEFU_IS_TICKET_ACTIONS (self));

  if (self->ticket == ticket)
    return;
  g_clear_pointer (&self->ticket, kefu_ticket_unref);
  self->ticket = ticket != NULL ? kefu_ticket_ref (ticket) : NULL;
  update (self);
}

gboolean
kefu_ticket_actions_get_busy (KefuTicketActions *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), FALSE);

  return self->busy;
}

gboolean
kefu_ticket_actions_is_offered (KefuTicketActions *self,
                                KefuTicketAction   action)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), FALSE);
  g_return_val_if_fail ((guint) action < KEFU_TICKET_ACTION_LAST, FALSE);

  if (action_names[action] == NULL)
    return FALSE;
  if (button_of (self, action) != NULL &&
      !gtk_widget_get_visible (button_of (self, action)))
    return FALSE;
  return gtk_action_bar_get_revealed (self->action_bar) &&
         self->ticket != NULL && !self->busy &&
         kefu_permissions_allow_for (self->connection, self->ticket, action);
}

GtkWidget *
kefu_ticket_actions_get_button (KefuTicketActions *self,
                                KefuTicketAction   action)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);

  return button_of (self, action);
}

const char *
kefu_ticket_actions_get_update_text (KefuTicketActions *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);

  return gtk_widget_get_visible (self->update_box) ? gtk_label_get_text (self->update_label)
                                                   : NULL;
}

GtkWindow *
kefu_ticket_actions_get_form (KefuTicketActions *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);

  return self->form != NULL ? self->form->window : NULL;
}

void
kefu_ticket_actions_form_set_text (KefuTicketActions *self,
                                   const char        *name,
                                   const char        *text)
{
  Field *field;

  g_return_if_fail (KEFU_IS_TICKET_ACTIONS (self));
  field = form_find (self->form, name);
  g_return_if_fail (field != NULL);

  if (field->kind == FIELD_TEXT)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->value)), text, -1);
  else if (field->kind == FIELD_ENTRY)
    gtk_editable_set_text (GTK_EDITABLE (field->value), text);
  else
    g_return_if_reached ();
}

gboolean
kefu_ticket_actions_form_select (KefuTicketActions *self,
                                 const char        *name,
                                 const char        *word)
{
  Field *field;

  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), FALSE);
  field = form_find (self->form, name);
  g_return_val_if_fail (field != NULL && field->kind == FIELD_COMBO, FALSE);

  for (guint i = 0; field->words[i] != NULL; i++)
    {
      if (g_str_equal (field->words[i], word))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), i);
          return TRUE;
        }
    }
  return FALSE;
}

void
kefu_ticket_actions_form_set_number (KefuTicketActions *self,
                                     const char        *name,
                                     double             value)
{
  Field *field;

  g_return_if_fail (KEFU_IS_TICKET_ACTIONS (self));
  field = form_find (self->form, name);
  g_return_if_fail (field != NULL && field->kind == FIELD_SPIN);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->value), value);
}

void
kefu_ticket_actions_form_set_active (KefuTicketActions *self,
                                     const char        *name,
                                     gboolean           active)
{
  Field *field;

  g_return_if_fail (KEFU_IS_TICKET_ACTIONS (self));
  field = form_find (self->form, name);
  g_return_if_fail (field != NULL && field->kind == FIELD_SWITCH);

  gtk_switch_set_active (GTK_SWITCH (field->value), active);
}

const char *
kefu_ticket_actions_form_get_error (KefuTicketActions *self,
                                    const char        *name)
{
  Field *field;

  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);

  if (self->form == NULL)
    return NULL;
  if (name == NULL)
    return gtk_widget_get_visible (GTK_WIDGET (self->form->general_error))
           ? gtk_label_get_text (self->form->general_error) : NULL;
  field = form_find (self->form, name);
  if (field == NULL || !gtk_widget_get_visible (GTK_WIDGET (field->error)))
    return NULL;
  return gtk_label_get_text (field->error);
}

const char *
kefu_ticket_actions_form_get_note (KefuTicketActions *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);

  if (self->form == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->form->note)))
    return NULL;
  return gtk_label_get_text (self->form->note);
}

GStrv
kefu_ticket_actions_form_get_words (KefuTicketActions *self,
                                    const char        *name)
{
  Field *field;

  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);
  field = form_find (self->form, name);
  g_return_val_if_fail (field != NULL && field->words != NULL, NULL);

  return g_strdupv (field->words);
}

GStrv
kefu_ticket_actions_form_get_labels (KefuTicketActions *self,
                                     const char        *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model;
  Field *field;

  g_return_val_if_fail (KEFU_IS_TICKET_ACTIONS (self), NULL);
  field = form_find (self->form, name);
  g_return_val_if_fail (field != NULL && field->kind == FIELD_COMBO, NULL);

  model = adw_combo_row_get_model (ADW_COMBO_ROW (field->row));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      g_strv_builder_add (builder, gtk_string_object_get_string (item));
    }
  return g_strv_builder_end (builder);
}

void
kefu_ticket_actions_form_submit (KefuTicketActions *self)
{
  g_return_if_fail (KEFU_IS_TICKET_ACTIONS (self));
  g_return_if_fail (self->form != NULL);

  form_submit (self->form);
}

static void
kefu_ticket_actions_dispose (GObject *object)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->form != NULL)
    gtk_window_destroy (self->form->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_TICKET_ACTIONS);

  G_OBJECT_CLASS (kefu_ticket_actions_parent_class)->dispose (object);
}

static void
kefu_ticket_actions_finalize (GObject *object)
{
  KefuTicketActions *self = KEFU_TICKET_ACTIONS (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->ticker);
  g_clear_pointer (&self->ticket, kefu_ticket_unref);

  G_OBJECT_CLASS (kefu_ticket_actions_parent_class)->finalize (object);
}

static void
kefu_ticket_actions_class_init (KefuTicketActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_ticket_actions_dispose;
  object_class->finalize = kefu_ticket_actions_finalize;

  signals[TICKET_CHANGED] =
    g_signal_new ("ticket-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, KEFU_TYPE_TICKET);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-ticket-actions.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, update_box);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, update_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, action_bar);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, assign_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, accept_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, start_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, wait_parts_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, wait_customer_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketActions, more_button);

  gtk_widget_class_install_action (widget_class, "workflow.assign", NULL, assign_action);
  gtk_widget_class_install_action (widget_class, "workflow.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "workflow.start-work", NULL,
                                   start_work_action);
  gtk_widget_class_install_action (widget_class, "workflow.wait-parts", NULL, wait_action);
  gtk_widget_class_install_action (widget_class, "workflow.wait-customer", NULL, wait_action);
  gtk_widget_class_install_action (widget_class, "workflow.resolve", NULL, resolve_action);
  gtk_widget_class_install_action (widget_class, "workflow.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "workflow.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "workflow.priority", NULL, priority_action);
  gtk_widget_class_install_action (widget_class, "workflow.classify", NULL, classify_action);
}

static void
kefu_ticket_actions_init (KefuTicketActions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->ticker = g_object_ref (kefu_ticker_get_default ());
  kefu_ticker_follow_mapped (self->ticker, GTK_WIDGET (self), G_CALLBACK (update_update_strip));
  update (self);
}
