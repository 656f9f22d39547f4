/* kefu-section-form.c — a small modal form for a change to one part of a ticket
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same shape as the workflow forms of kefu-ticket-actions.c: a header bar with Cancel and
 * the main button, a field per block with its error under it, a general error line first and a
 * note last.
 */
#define G_LOG_DOMAIN "kefu-section-form"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kefu-error.h"
#include "kefu-section-form.h"
#include "kefu-validate.h"
#include "kefu-workflow.h"

typedef enum {
  FIELD_ENTRY,
  FIELD_COMBO,
  FIELD_SPIN,
  FIELD_TEXT,
  FIELD_CHECKS,
} FieldKind;

typedef struct {
  char      *name;
  char      *title;
  FieldKind  kind;
  GtkWidget *row;         /* what gets the "error" style */
  GtkWidget *value;
  GtkLabel  *error;
  GStrv      words;
  GPtrArray *checks;
} Field;

struct _KefuSectionForm
{
  GtkWidget            *owner;
  KefuSectionForm     **slot;
  KefuConnection       *connection;
  KefuTicket           *ticket;
  GtkWindow            *window;
  GtkWidget            *box;
  GtkWidget            *ok_button;
  GtkSpinner           *spinner;
  GtkLabel             *general_error;
  GtkLabel             *note;
  GPtrArray            *fields;
  KefuSectionFormBuild  build;
  KefuSectionFormDone   done;
  char                 *done_message;
  GCancellable         *cancellable;
  gpointer              data;
  GDestroyNotify        data_destroy;
  gboolean              busy;
};

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
form_free (KefuSectionForm *form)
{
  g_cancellable_cancel (form->cancellable);
  g_clear_object (&form->cancellable);
  if (form->slot != NULL && *form->slot == form)
    *form->slot = NULL;
  if (form->data_destroy != NULL)
    form->data_destroy (form->data);
  g_clear_object (&form->owner);
  g_clear_object (&form->connection);
  g_clear_pointer (&form->ticket, kefu_ticket_unref);
  g_clear_pointer (&form->fields, g_ptr_array_unref);
  g_free (form->done_message);
  g_free (form);
}

static Field *
form_find (KefuSectionForm *form,
           const char      *name)
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
form_clear_errors (KefuSectionForm *form)
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
form_show_error (KefuSectionForm *form,
                 const GError    *error)
{
  Field *field = form_find (form, kefu_error_get_field (error));
  g_autofree char *text = NULL;

  if (field != NULL && g_str_has_suffix (error->message, " is required"))
    /* Translators: %s is the label of a field, e.g. "Reason is required." */
    text = g_strdup_printf (_("%s is required."), field->title);
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
form_set_busy (KefuSectionForm *form,
               gboolean         busy)
{
  form->busy = busy;
  gtk_widget_set_sensitive (form->ok_button, !busy);
  gtk_widget_set_sensitive (form->box, !busy);
  gtk_widget_set_visible (GTK_WIDGET (form->spinner), busy);
  gtk_spinner_set_spinning (form->spinner, busy);
}

static void
on_form_ok (GtkButton       *button,
            KefuSectionForm *form)
{
  kefu_section_form_submit (form);
}

static void
on_form_cancel (GtkButton       *button,
                KefuSectionForm *form)
{
  gtk_window_destroy (form->window);
}

KefuSectionForm *
kefu_section_form_new (GtkWidget            *owner,
                       KefuSectionForm     **slot,
                       KefuConnection       *connection,
                       KefuTicket           *ticket,
                       const char           *title,
                       const char           *ok_label,
                       gboolean              destructive,
                       KefuSectionFormBuild  build,
                       KefuSectionFormDone   done,
                       const char           *done_message)
{
  KefuSectionForm *form;
  GtkRoot *root;
  GtkWidget *window, *content, *header, *cancel, *ok, *ok_box, *ok_label_widget, *spinner;
  GtkWidget *clamp, *box, *general_error, *note;
  GtkEventController *shortcuts;

  g_return_val_if_fail (GTK_IS_WIDGET (owner), NULL);
  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (ticket != NULL, NULL);
  g_return_val_if_fail (build != NULL, NULL);

  form = g_new0 (KefuSectionForm, 1);
  root = gtk_widget_get_root (owner);
  window = adw_window_new ();
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  ok = gtk_button_new ();
  ok_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  ok_label_widget = gtk_label_new_with_mnemonic (ok_label);
  spinner = gtk_spinner_new ();
  clamp = adw_clamp_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  general_error = gtk_label_new (NULL);
  note = gtk_label_new (NULL);

  form->owner = g_object_ref (owner);
  form->slot = slot;
  form->connection = g_object_ref (connection);
  form->ticket = kefu_ticket_ref (ticket);
  form->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  form->build = build;
  form->done = done;
  form->done_message = g_strdup (done_message);
  form->cancellable = g_cancellable_new ();
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
                                   adw_window_title_new (title, ticket->number));
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
  g_object_set_data_full (G_OBJECT (window), "kefu-section-form", form,
                          (GDestroyNotify) form_free);
  if (slot != NULL)
    {
      if (*slot != NULL)
        gtk_window_destroy ((*slot)->window);
      *slot = form;
    }
  return form;
}

void
kefu_section_form_present (KefuSectionForm *form)
{
  g_return_if_fail (form != NULL);
  gtk_window_present (form->window);
}

GtkWindow *
kefu_section_form_get_window (KefuSectionForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);
  return form->window;
}

KefuTicket *
kefu_section_form_get_ticket (KefuSectionForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);
  return form->ticket;
}

void
kefu_section_form_set_data (KefuSectionForm *form,
                            gpointer         data,
                            GDestroyNotify   destroy)
{
  g_return_if_fail (form != NULL);
  if (form->data_destroy != NULL)
    form->data_destroy (form->data);
  form->data = data;
  form->data_destroy = destroy;
}

gpointer
kefu_section_form_get_data (KefuSectionForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);
  return form->data;
}

/* ---- fields ------------------------------------------------------------------------------- */

static void
form_add_block (KefuSectionForm *form,
                Field           *field,
                GtkWidget       *content)
{
  GtkWidget *block = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
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

void
kefu_section_form_add_entry (KefuSectionForm *form,
                             const char      *name,
                             const char      *title,
                             const char      *text)
{
  Field *field = field_new (name, title, FIELD_ENTRY);
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  field->row = row;
  field->value = row;
  form_add_block (form, field, boxed (row));
}

void
kefu_section_form_add_combo (KefuSectionForm    *form,
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
}

void
kefu_section_form_add_spin (KefuSectionForm *form,
                            const char      *name,
                            const char      *title,
                            const char      *subtitle,
                            double           max,
                            guint            digits)
{
  Field *field = field_new (name, title, FIELD_SPIN);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, digits > 0 ? 0.01 : 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  field->row = row;
  field->value = spin;
  form_add_block (form, field, boxed (row));
}

void
kefu_section_form_add_text (KefuSectionForm *form,
                            const char      *name,
                            const char      *title,
                            const char      *hint)
{
  Field *field = field_new (name, title, FIELD_TEXT);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (content), label);
  if (hint != NULL)
    {
      GtkWidget *hint_label = gtk_label_new (hint);

      gtk_label_set_xalign (GTK_LABEL (hint_label), 0);
      gtk_label_set_wrap (GTK_LABEL (hint_label), TRUE);
      gtk_widget_add_css_class (hint_label, "dim-label");
      gtk_widget_add_css_class (hint_label, "caption");
      gtk_box_append (GTK_BOX (content), hint_label);
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
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 64);
  gtk_widget_add_css_class (scroller, "card");
  gtk_widget_add_css_class (scroller, "kefu-text-card");
  gtk_box_append (GTK_BOX (content), scroller);

  field->row = scroller;
  field->value = view;
  form_add_block (form, field, content);
}

void
kefu_section_form_add_checks (KefuSectionForm    *form,
                              const char         *name,
                              const char         *title,
                              const char * const *labels,
                              const char * const *words)
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
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (field->checks, check);
    }

  field->row = list;
  field->value = list;
  form_add_block (form, field, content);
}

void
kefu_section_form_set_note (KefuSectionForm *form,
                            const char      *text,
                            const char      *style)
{
  g_return_if_fail (form != NULL);

  gtk_widget_remove_css_class (GTK_WIDGET (form->note), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (form->note), "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (form->note), style);
  gtk_label_set_text (form->note, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (form->note), text != NULL);
}

const char *
kefu_section_form_get_note (KefuSectionForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);
  return gtk_widget_get_visible (GTK_WIDGET (form->note)) ? gtk_label_get_text (form->note) : NULL;
}

/* ---- values ------------------------------------------------------------------------------- */

const char *
kefu_section_form_get_word (KefuSectionForm *form,
                            const char      *name)
{
  Field *field = form_find (form, name);
  guint selected;

  g_return_val_if_fail (field != NULL && field->kind == FIELD_COMBO, NULL);

  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));
  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (field->words))
    return NULL;
  return field->words[selected];
}

char *
kefu_section_form_get_text (KefuSectionForm *form,
                            const char      *name)
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

double
kefu_section_form_get_number (KefuSectionForm *form,
                              const char      *name)
{
  Field *field = form_find (form, name);

  g_return_val_if_fail (field != NULL && field->kind == FIELD_SPIN, 0);

  gtk_spin_button_update (GTK_SPIN_BUTTON (field->value));
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (field->value));
}

GStrv
kefu_section_form_get_checked (KefuSectionForm *form,
                               const char      *name)
{
  Field *field = form_find (form, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (field != NULL && field->kind == FIELD_CHECKS, NULL);

  for (guint i = 0; i < field->checks->len; i++)
    {
      if (gtk_check_button_get_active (g_ptr_array_index (field->checks, i)))
        g_strv_builder_add (builder, field->words[i]);
    }
  return g_strv_builder_end (builder);
}

void
kefu_section_form_set_text (KefuSectionForm *form,
                            const char      *name,
                            const char      *text)
{
  Field *field = form_find (form, name);

  g_return_if_fail (field != NULL);

  if (field->kind == FIELD_TEXT)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->value)), text, -1);
  else if (field->kind == FIELD_ENTRY)
    gtk_editable_set_text (GTK_EDITABLE (field->value), text);
  else
    g_return_if_reached ();
}

gboolean
kefu_section_form_select (KefuSectionForm *form,
                          const char      *name,
                          const char      *word)
{
  Field *field = form_find (form, name);

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
kefu_section_form_set_number (KefuSectionForm *form,
                              const char      *name,
                              double           value)
{
  Field *field = form_find (form, name);

  g_return_if_fail (field != NULL && field->kind == FIELD_SPIN);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->value), value);
}

void
kefu_section_form_set_checked (KefuSectionForm *form,
                               const char      *name,
                               const char      *word,
                               gboolean         active)
{
  Field *field = form_find (form, name);

  g_return_if_fail (field != NULL && field->kind == FIELD_CHECKS);

  for (guint i = 0; field->words[i] != NULL; i++)
    {
      if (g_str_equal (field->words[i], word))
        gtk_check_button_set_active (g_ptr_array_index (field->checks, i), active);
    }
}

const char *
kefu_section_form_get_error (KefuSectionForm *form,
                             const char      *name)
{
  Field *field;

  g_return_val_if_fail (form != NULL, NULL);

  if (name == NULL)
    return gtk_widget_get_visible (GTK_WIDGET (form->general_error))
           ? gtk_label_get_text (form->general_error) : NULL;
  field = form_find (form, name);
  if (field == NULL || !gtk_widget_get_visible (GTK_WIDGET (field->error)))
    return NULL;
  return gtk_label_get_text (field->error);
}

gboolean
kefu_section_form_is_busy (KefuSectionForm *form)
{
  g_return_val_if_fail (form != NULL, FALSE);
  return form->busy;
}

/* ---- writing ------------------------------------------------------------------------------ */

static void
form_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KefuSectionForm *form = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  ticket = kefu_workflow_write_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the form is gone */

  form_set_busy (form, FALSE);

  if (ticket == NULL)
    {
      /* 409: someone else changed the ticket, or the visit or return moved on meanwhile:
       * show what is there now. */
      if (g_error_matches (error, KEFU_ERROR, KEFU_ERROR_VERSION_CONFLICT) ||
          g_error_matches (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION))
        {
          g_autofree char *text = kefu_workflow_error_text (error);

          kefu_workflow_toast (form->owner, text);
          gtk_widget_activate_action (form->owner, "ticket.reload", NULL);
          gtk_window_destroy (form->window);
        }
      else
        form_show_error (form, error);
      return;
    }

  if (form->done != NULL)
    form->done (form->owner, ticket);
  if (form->done_message != NULL)
    kefu_workflow_toast (form->owner, form->done_message);
  gtk_window_destroy (form->window);
}

void
kefu_section_form_submit (KefuSectionForm *form)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *method = NULL;
  g_autofree char *what = NULL;

  g_return_if_fail (form != NULL);

  if (form->busy)
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

  form_set_busy (form, TRUE);
  kefu_workflow_write_async (form->connection, method, form->ticket->number, what,
                             form->ticket->version, body, form->cancellable, form_written_cb,
                             form);
}

gboolean
kefu_section_form_check_text (const char  *text,
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

char *
kefu_section_format_money (gint64 cents)
{
  return g_strdup_printf ("¥%" G_GINT64_FORMAT ".%02d", cents / 100, (int) ABS (cents % 100));
}
