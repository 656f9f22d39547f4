/* kefu-ticket-form.c — the registration form (用户反馈登记表)
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-ticket-form"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kefu-error.h"
#include "kefu-error-text.h"
#include "kefu-sla.h"
#include "kefu-attachments-section.h"
#include "kefu-ticket-form.h"
#include "kefu-ticket-text.h"
#include "kefu-validate.h"

/* One input of the form and the message shown under it. */
typedef struct
{
  const char *name;          /* the wire field: "customer.phone", "description", … */
  GtkWidget  *row;           /* the row (or, for the description, the text view) */
  GtkWidget  *error_row;     /* the list row under it (NULL for the description) */
  GtkLabel   *error_label;
} Field;

struct _KefuTicketForm
{
  AdwWindow        parent_instance;

  KefuConnection  *connection;
  KefuSlaPolicy   *policy;
  GCancellable    *cancellable;            /* every request; cancelled when the form goes */
  GCancellable    *phone_check;            /* the duplicate look-up of the phone in flight */
  GCancellable    *order_check;            /* … and of the order number */
  GArray          *fields;                 /* of Field */
  GStrv            phone_duplicates;       /* open tickets with the phone checked last */
  GStrv            order_duplicates;
  char            *checked_phone;          /* what the last look-ups were for */
  char            *checked_order;
  char            *promise;                /* the words for the customer after saving */
  GPtrArray       *evidence;               /* of GFile: to attach once the ticket exists */
  AdwPreferencesGroup *evidence_group;
  GtkWidget       *evidence_list;
  GtkLabel        *evidence_status;        /* on the "done" page: the uploads' progress */
  GtkNativeDialog *evidence_chooser;
  char            *evidence_number;        /* the ticket the uploads go to */
  guint            evidence_next;          /* the next file to upload */
  guint            evidence_failed;
  guint            evidence_checking;      /* files being checked before they are listed */

  guint            busy : 1;
  guint            done : 1;
  guint            duplicates_accepted : 1;
  guint            close_confirmed : 1;
  guint            validate_locally : 1;
  guint            syncing_picker : 1;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwHeaderBar    *header_bar;
  AdwWindowTitle  *window_title;
  GtkWidget       *cancel_button;
  GtkWidget       *save_button;
  GtkSpinner      *save_spinner;
  GtkStack        *stack;
  AdwPreferencesPage *form_page;
  GtkWidget       *notice_group;
  AdwActionRow    *server_error_row;
  AdwActionRow    *duplicate_row;
  AdwEntryRow     *name_row;
  AdwEntryRow     *phone_row;
  AdwEntryRow     *email_row;
  AdwEntryRow     *code_row;
  AdwEntryRow     *address_row;
  AdwEntryRow     *order_row;
  AdwEntryRow     *model_row;
  AdwEntryRow     *serial_row;
  AdwEntryRow     *purchase_row;
  GtkMenuButton   *purchase_button;
  GtkCalendar     *purchase_calendar;
  AdwComboRow     *channel_row;
  AdwComboRow     *stage_row;
  AdwComboRow     *category_row;
  AdwEntryRow     *subcategory_row;
  GtkMenuButton   *subcategory_button;
  AdwEntryRow     *submitted_row;
  GtkMenuButton   *submitted_button;
  GtkCalendar     *submitted_calendar;
  GtkSpinButton   *hour_spin;
  GtkSpinButton   *minute_spin;
  GtkTextView     *description_view;
  GtkWidget       *description_scroller;
  GtkLabel        *description_error;
  GtkLabel        *description_count;
  AdwActionRow    *p1_row;
  AdwActionRow    *p2_row;
  AdwActionRow    *p3_row;
  AdwActionRow    *p4_row;
  GtkCheckButton  *p1_check;
  GtkCheckButton  *p2_check;
  GtkCheckButton  *p3_check;
  GtkCheckButton  *p4_check;
  AdwStatusPage   *done_page;
  GtkLabel        *promise_label;
  GtkLabel        *done_duplicates_label;
  GtkWidget       *done_button;
};

G_DEFINE_FINAL_TYPE (KefuTicketForm, kefu_ticket_form, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

enum {
  CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define DEFAULT_PRIORITY 3

/* ---- small helpers ------------------------------------------------------------------------ */

static char *
editable_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static char *
description_text (KefuTicketForm *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* "+86 138-1234-5678" → "8613812345678"; NULL when there are no digits. */
static char *
phone_digits (const char *phone)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = phone; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }
  return g_string_free (digits, FALSE);
}

static int
selected_priority (KefuTicketForm *self)
{
  if (gtk_check_button_get_active (self->p1_check))
    return 1;
  if (gtk_check_button_get_active (self->p2_check))
    return 2;
  if (gtk_check_button_get_active (self->p4_check))
    return 4;
  return 3;
}

static void
select_priority (KefuTicketForm *self,
                 int             priority)
{
  GtkCheckButton *checks[] = { self->p1_check, self->p2_check, self->p3_check, self->p4_check };

  if (priority < 1 || priority > 4)
    priority = DEFAULT_PRIORITY;
  gtk_check_button_set_active (checks[priority - 1], TRUE);
}

/* "2026-11-23 17:05" (local time; seconds and a "T" are accepted) → µs since the epoch. */
static gboolean
parse_local_time (const char *text,
                  gint64     *out_usec)
{
  g_autoptr(GDateTime) local = NULL;
  int year, month, day, hour, minute, second = 0;
  char sep;
  int consumed = 0;

  if (text == NULL)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c%2d:%2d%n", &year, &month, &day, &sep, &hour, &minute,
              &consumed) != 6 || (sep != ' ' && sep != 'T'))
    return FALSE;
  if (text[consumed] == ':')
    {
      int more = 0;

      if (sscanf (text + consumed, ":%2d%n", &second, &more) != 1)
        return FALSE;
      consumed += more;
    }
  if (text[consumed] != '\0' || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 59 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  local = g_date_time_new_local (year, month, day, hour, minute, second);
  if (local == NULL)
    return FALSE;

  *out_usec = g_date_time_to_unix (local) * G_USEC_PER_SEC;
  return TRUE;
}

static char *
format_local_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d %H:%M");
}

/* ---- field errors ------------------------------------------------------------------------- */

static Field *
find_field (KefuTicketForm *self,
            const char     *name)
{
  for (guint i = 0; name != NULL && i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      if (g_str_equal (field->name, name))
        return field;
    }
  return NULL;
}

static void
hide_field_error (KefuTicketForm *self,
                  Field          *field)
{
  if (field->error_row != NULL)
    {
      gtk_widget_set_visible (field->error_row, FALSE);
      gtk_widget_remove_css_class (field->row, "error");
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (field->error_label), FALSE);
      gtk_widget_remove_css_class (self->description_scroller, "kefu-error");
    }
  gtk_accessible_reset_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID);
}

static void
clear_field_error (KefuTicketForm *self,
                   const char     *name)
{
  Field *field = find_field (self, name);

  if (field != NULL)
    hide_field_error (self, field);
}

static void
show_server_error (KefuTicketForm *self,
                   const char     *message)
{
  adw_action_row_set_subtitle (self->server_error_row, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->server_error_row), message != NULL);
  gtk_widget_set_visible (self->notice_group,
                          message != NULL
                          || gtk_widget_get_visible (GTK_WIDGET (self->duplicate_row)));
}

static void
clear_errors (KefuTicketForm *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    hide_field_error (self, &g_array_index (self->fields, Field, i));
  show_server_error (self, NULL);
}

/* Shows @error (a KEFU_ERROR with a field) under its field; with @focus, also moves the focus
 * there. Errors of fields the form does not have go to the top of the form. */
static void
show_field_error (KefuTicketForm *self,
                  const GError   *error,
                  gboolean        focus)
{
  g_autofree char *message = kefu_text_field_error (error);
  Field *field = find_field (self, kefu_error_get_field (error));

  if (field == NULL)
    {
      show_server_error (self, message);
      return;
    }

  gtk_label_set_text (field->error_label, message);
  if (field->error_row != NULL)
    {
      gtk_widget_set_visible (field->error_row, TRUE);
      gtk_widget_add_css_class (field->row, "error");
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (field->error_label), TRUE);
      gtk_widget_add_css_class (self->description_scroller, "kefu-error");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (field->row),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);

  if (focus)
    gtk_widget_grab_focus (field->row);
}

/* Puts a hidden message row under each row of the form, for its error. */
static void
add_field (KefuTicketForm *self,
           const char     *name,
           gpointer        row)
{
  Field field = { name, GTK_WIDGET (row), NULL, NULL };

  if (ADW_IS_PREFERENCES_ROW (row))
    {
      GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (row));
      GtkWidget *label = gtk_label_new (NULL);
      GtkWidget *error_row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, NULL, -1);
      gtk_widget_add_css_class (label, "error");
      gtk_widget_add_css_class (label, "caption");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (error_row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (error_row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (error_row), FALSE);
      gtk_widget_set_focusable (error_row, FALSE);
      gtk_widget_add_css_class (error_row, "kefu-field-error");
      gtk_widget_set_visible (error_row, FALSE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
      g_return_if_fail (GTK_IS_LIST_BOX (list));
      gtk_list_box_insert (GTK_LIST_BOX (list), error_row,
                           gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);

      field.error_row = error_row;
      field.error_label = GTK_LABEL (label);
    }
  else
    {
      field.error_label = self->description_error;
    }

  g_array_append_val (self->fields, field);
}

/* ---- the body ----------------------------------------------------------------------------- */

static void
set_text_member (JsonObject *object,
                 const char *member,
                 char       *text)   /* (transfer full) */
{
  if (text != NULL && *text != '\0')
    json_object_set_string_member (object, member, text);
  g_free (text);
}

JsonNode *
kefu_ticket_form_build_body (KefuTicketForm *self)
{
  JsonObject *object, *customer;
  JsonNode *node;
  g_autofree char *submitted = NULL;
  guint channel, stage, category;
  gint64 submitted_usec;

  g_return_val_if_fail (KEFU_IS_TICKET_FORM (self), NULL);

  object = json_object_new ();

  channel = adw_combo_row_get_selected (self->channel_row);
  stage = adw_combo_row_get_selected (self->stage_row);
  category = adw_combo_row_get_selected (self->category_row);
  if (channel < KEFU_CHANNEL_LAST)
    json_object_set_string_member (object, "channel", kefu_channel_to_string (channel));
  if (stage < KEFU_STAGE_LAST)
    json_object_set_string_member (object, "stage", kefu_stage_to_string (stage));
  if (category < KEFU_CATEGORY_LAST)
    json_object_set_string_member (object, "category", kefu_category_to_string (category));
  set_text_member (object, "subcategory", editable_text (self->subcategory_row));
  json_object_set_int_member (object, "priority", selected_priority (self));

  customer = json_object_new ();
  set_text_member (customer, "name", editable_text (self->name_row));
  set_text_member (customer, "phone", editable_text (self->phone_row));
  set_text_member (customer, "email", editable_text (self->email_row));
  set_text_member (customer, "code", editable_text (self->code_row));
  set_text_member (customer, "order_no", editable_text (self->order_row));
  set_text_member (customer, "product_model", editable_text (self->model_row));
  set_text_member (customer, "serial_no", editable_text (self->serial_row));
  set_text_member (customer, "purchase_date", editable_text (self->purchase_row));
  set_text_member (customer, "address", editable_text (self->address_row));
  json_object_set_object_member (object, "customer", customer);

  set_text_member (object, "description", description_text (self));

  /* A time that does not parse goes as it is: validation then names the field. */
  submitted = editable_text (self->submitted_row);
  if (parse_local_time (submitted, &submitted_usec))
    set_text_member (object, "submitted_at", kefu_time_to_iso8601 (submitted_usec));
  else
    set_text_member (object, "submitted_at", g_steal_pointer (&submitted));

  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

/* ---- state -------------------------------------------------------------------------------- */

gboolean
kefu_ticket_form_get_has_input (KefuTicketForm *self)
{
  AdwEntryRow *rows[] = {
    self->name_row, self->phone_row, self->email_row, self->code_row, self->address_row,
    self->order_row, self->model_row, self->serial_row, self->purchase_row,
    self->subcategory_row,
  };
  g_autofree char *description = NULL;

  g_return_val_if_fail (KEFU_IS_TICKET_FORM (self), FALSE);

  if (self->done)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *text = editable_text (rows[i]);

      if (*text != '\0')
        return TRUE;
    }

  description = description_text (self);
  return g_strstrip (description)[0] != '\0';
}

static void
set_busy (KefuTicketForm *self,
          gboolean        busy)
{
  /* A focused entry that turns insensitive never hears that it lost the focus: move the
   * focus to the button that was pressed first. */
  if (busy && gtk_widget_get_visible (self->save_button))
    gtk_widget_grab_focus (self->save_button);

  self->busy = !!busy;
  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), busy);
  gtk_spinner_set_spinning (self->save_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_page), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.save", !busy && !self->done);
}

static void
update_priority_rows (KefuTicketForm *self)
{
  AdwActionRow *rows[] = { self->p1_row, self->p2_row, self->p3_row, self->p4_row };

  for (int priority = 1; priority <= 4; priority++)
    {
      g_autofree char *response = kefu_text_target (kefu_sla_policy_get_response (self->policy,
                                                                                  priority),
                                                    self->policy);
      g_autofree char *resolve = kefu_text_target (kefu_sla_policy_get_resolve (self->policy,
                                                                                priority),
                                                   self->policy);
      g_autofree char *targets = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: the deadlines of a priority, e.g. "Respond within 2 hours, resolve
       * within 24 hours" */
      targets = g_strdup_printf (_("Respond within %s, resolve within %s"), response, resolve);
      subtitle = g_strdup_printf ("%s\n%s", kefu_text_priority_meaning (priority), targets);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows[priority - 1]),
                                     kefu_text_priority (priority));
      adw_action_row_set_subtitle (rows[priority - 1], subtitle);
    }
}

static void
update_description_count (KefuTicketForm *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  int count = gtk_text_buffer_get_char_count (buffer);
  g_autofree char *text = NULL;

  /* Translators: characters used of the most allowed, e.g. "120 / 10000" */
  text = g_strdup_printf (_("%d / %d"), count, KEFU_DESCRIPTION_MAX_CHARS);
  gtk_label_set_text (self->description_count, text);
  if (count > KEFU_DESCRIPTION_MAX_CHARS)
    gtk_widget_add_css_class (GTK_WIDGET (self->description_count), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->description_count), "error");
}

/* ---- duplicates --------------------------------------------------------------------------- */

static gboolean
has_duplicates (KefuTicketForm *self)
{
  return (self->phone_duplicates != NULL && self->phone_duplicates[0] != NULL) ||
         (self->order_duplicates != NULL && self->order_duplicates[0] != NULL);
}

static void
update_duplicates (KefuTicketForm *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean show = has_duplicates (self) && !self->duplicates_accepted;

  if (self->phone_duplicates != NULL && self->phone_duplicates[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", self->phone_duplicates);

      /* Translators: %s is a list of ticket numbers */
      g_string_append_printf (text, _("Same phone number: %s"), list);
    }
  if (self->order_duplicates != NULL && self->order_duplicates[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", self->order_duplicates);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: %s is a list of ticket numbers */
      g_string_append_printf (text, _("Same order number: %s"), list);
    }

  adw_action_row_set_subtitle (self->duplicate_row, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicate_row), show);
  gtk_widget_set_visible (self->notice_group,
                          show || gtk_widget_get_visible (GTK_WIDGET (self->server_error_row)));
}

static void
set_duplicates (KefuTicketForm  *self,
                GStrv           *slot,
                GStrv            numbers)   /* (transfer full) */
{
  gboolean changed = !((*slot == NULL || **slot == NULL) && (numbers == NULL || *numbers == NULL))
                     && !(*slot != NULL && numbers != NULL
                          && g_strv_equal ((const char * const *) *slot,
                                           (const char * const *) numbers));

  g_strfreev (*slot);
  *slot = numbers;
  if (changed)
    self->duplicates_accepted = FALSE;
  update_duplicates (self);
}

typedef struct
{
  KefuTicketForm *self;
  gboolean        by_phone;
  char           *value;      /* the masked phone, or the order number, to compare with */
} DuplicateCheck;

static void
duplicate_check_free (DuplicateCheck *check)
{
  g_object_unref (check->self);
  g_free (check->value);
  g_free (check);
}

static void
duplicate_check_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DuplicateCheck *check = user_data;
  KefuTicketForm *self = check->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();
  JsonObject *root;
  JsonArray *tickets;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Looking for duplicates failed: %s", error->message);
      duplicate_check_free (check);
      return;
    }

  root = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  tickets = root != NULL && json_object_has_member (root, "tickets")
            ? json_object_get_array_member (root, "tickets") : NULL;

  for (guint i = 0; tickets != NULL && i < json_array_get_length (tickets); i++)
    {
      JsonObject *ticket = json_array_get_object_element (tickets, i);
      JsonObject *customer;
      const char *number, *value;

      if (ticket == NULL || !json_object_has_member (ticket, "customer"))
        continue;
      customer = json_object_get_object_member (ticket, "customer");
      number = json_object_get_string_member_with_default (ticket, "number", NULL);
      value = customer == NULL ? NULL
              : json_object_get_string_member_with_default (customer,
                                                            check->by_phone ? "phone" : "order_no",
                                                            NULL);
      if (number == NULL || value == NULL)
        continue;

      /* The text search also finds the digits in descriptions: keep the tickets whose own
       * phone (masked in lists) or order number is the one entered. */
      if (check->by_phone)
        {
          g_autofree char *masked = kefu_mask_phone (value);

          if (g_strcmp0 (value, check->value) != 0 && g_strcmp0 (masked, check->value) != 0)
            continue;
        }
      else if (g_strcmp0 (value, check->value) != 0)
        continue;

      g_strv_builder_add (numbers, number);
    }

  set_duplicates (self, check->by_phone ? &self->phone_duplicates : &self->order_duplicates,
                  g_strv_builder_end (numbers));
  duplicate_check_free (check);
}

static void
check_duplicates (KefuTicketForm *self,
                  gboolean        by_phone)
{
  g_autofree char *text = editable_text (by_phone ? self->phone_row : self->order_row);
  g_autofree char *query = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GCancellable **cancellable = by_phone ? &self->phone_check : &self->order_check;
  char **checked = by_phone ? &self->checked_phone : &self->checked_order;
  DuplicateCheck *check;

  if (by_phone)
    query = kefu_validate_phone (text) ? phone_digits (text) : NULL;
  else
    query = *text != '\0' && kefu_validate_text (text, KEFU_SHORT_TEXT_MAX_CHARS, FALSE)
            ? g_strdup (text) : NULL;

  if (g_strcmp0 (query, *checked) == 0)
    return;

  g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  g_free (*checked);
  *checked = g_strdup (query);

  if (query == NULL)
    {
      set_duplicates (self, by_phone ? &self->phone_duplicates : &self->order_duplicates, NULL);
      return;
    }

  /* The server keeps the last 11 digits of a phone for searching. */
  if (by_phone && strlen (query) > 11)
    memmove (query, query + strlen (query) - 11, 12);

  check = g_new0 (DuplicateCheck, 1);
  check->self = g_object_ref (self);
  check->by_phone = by_phone;
  check->value = by_phone ? kefu_mask_phone (text) : g_strdup (text);

  *cancellable = g_cancellable_new ();
  escaped = g_uri_escape_string (query, NULL, FALSE);
  path = g_strdup_printf ("/tickets?status=open&limit=50&q=%s", escaped);
  kefu_connection_request_async (self->connection, "GET", path, NULL, NULL, *cancellable,
                                 duplicate_check_cb, check);
}

/* ---- evidence picked at intake ------------------------------------------------------------
 *
 * Photos, videos and PDFs chosen before saving are uploaded one after the other right after the
 * ticket is created; the "done" page shows how it goes. */

static void
evidence_rebuild (KefuTicketForm *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->evidence_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->evidence_list), child);
  for (guint i = 0; i < self->evidence->len; i++)
    {
      GFile *file = g_ptr_array_index (self->evidence, i);
      g_autofree char *name = g_file_get_basename (file);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "form.remove-evidence");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", i);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (GTK_LIST_BOX (self->evidence_list), row);
    }
  gtk_widget_set_visible (self->evidence_list, self->evidence->len > 0);
}

static void
remove_evidence_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (self->done || index >= self->evidence->len)
    return;
  g_ptr_array_remove_index (self->evidence, index);
  evidence_rebuild (self);
}

/* A file the server would refuse is refused here, before the ticket is saved. */
static void
evidence_info_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KefuTicketForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  g_autofree char *message = NULL;
  const char *mime;

  self->evidence_checking--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (info == NULL)
    message = g_strdup (error->message);
  else if ((mime = kefu_attachment_accepted_type (g_file_info_get_content_type (info))) == NULL)
    /* Short: it shows in a toast. */
    message = g_strdup_printf (_("“%s” is not a photo, video or PDF."),
                               g_file_info_get_display_name (info));
  else if (g_file_info_get_size (info) > kefu_attachment_max_size (mime))
    {
      g_autofree char *max_text = g_format_size (kefu_attachment_max_size (mime));

      message = g_strdup_printf (_("“%s” is too large: at most %s for this kind of file."),
                                 g_file_info_get_display_name (info), max_text);
    }
  else if (self->done || self->evidence->len >= KEFU_ATTACHMENT_MAX_PER_TICKET)
    return;

  if (message != NULL)
    {
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 8);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }
  g_ptr_array_add (self->evidence, g_object_ref (object));
  evidence_rebuild (self);
}

void
kefu_ticket_form_add_evidence (KefuTicketForm *self,
                               GFile          *file)
{
  g_return_if_fail (KEFU_IS_TICKET_FORM (self));
  g_return_if_fail (G_IS_FILE (file));

  self->evidence_checking++;
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                           evidence_info_cb, g_object_ref (self));
}

guint
kefu_ticket_form_get_n_evidence (KefuTicketForm *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FORM (self), 0);
  return self->evidence_checking > 0 ? 0 : self->evidence->len;
}

static void
evidence_chooser_cb (GtkNativeDialog *dialog,
                     int              response,
                     KefuTicketForm  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          kefu_ticket_form_add_evidence (self, file);
        }
    }
  g_clear_object (&self->evidence_chooser);
}

static void
add_evidence_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = kefu_attachment_file_filter ();

  if (self->done || self->evidence_chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Add Attachments"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (evidence_chooser_cb), self, 0);
  self->evidence_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->evidence_chooser);
}

static void evidence_upload_next (KefuTicketForm *self);

static void
evidence_uploaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KefuTicketForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = kefu_attachment_upload_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      g_autofree char *text = kefu_error_text (error);
      const char *shown = gtk_label_get_text (self->evidence_status);
      g_autofree char *joined = NULL;

      /* Keep every failure in view: each says which file it was. */
      self->evidence_failed++;
      joined = self->evidence_failed > 1 ? g_strdup_printf ("%s\n%s", shown, text)
                                         : g_strdup (text);
      gtk_label_set_text (self->evidence_status, joined);
      gtk_widget_add_css_class (GTK_WIDGET (self->evidence_status), "error");
    }
  self->evidence_next++;
  evidence_upload_next (self);
}

static void
evidence_upload_next (KefuTicketForm *self)
{
  g_autofree char *text = NULL;
  guint n = self->evidence->len;

  if (self->evidence_next >= n)
    {
      if (self->evidence_failed == 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attachment added.",
                                             "%u attachments added.", n), n);
      else
        {
          g_autofree char *errors = g_strdup (gtk_label_get_text (self->evidence_status));

          /* Translators: "1 of 2 attachments added." then the errors, one a line */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u attachment added.\n%s",
                                               "%u of %u attachments added.\n%s", n),
                                  n - self->evidence_failed, n, errors);
        }
      gtk_label_set_text (self->evidence_status, text);
      g_ptr_array_set_size (self->evidence, 0);
      evidence_rebuild (self);
      return;
    }

  if (self->evidence_failed == 0)
    {
      /* Translators: progress of the uploads after registering: "Attaching 1 of 3…" */
      text = g_strdup_printf (_("Attaching %u of %u…"), self->evidence_next + 1, n);
      gtk_label_set_text (self->evidence_status, text);
    }
  kefu_attachment_upload_async (self->connection, self->evidence_number,
                                g_ptr_array_index (self->evidence, self->evidence_next),
                                self->cancellable, evidence_uploaded_cb, g_object_ref (self));
}

static void
evidence_upload_start (KefuTicketForm *self,
                       const char     *number)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->evidence_status), "error");
  gtk_label_set_text (self->evidence_status, "");
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_status), self->evidence->len > 0);
  if (self->evidence->len == 0)
    return;
  g_free (self->evidence_number);
  self->evidence_number = g_strdup (number);
  self->evidence_next = 0;
  self->evidence_failed = 0;
  evidence_upload_next (self);
}

gboolean
kefu_ticket_form_get_evidence_busy (KefuTicketForm *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FORM (self), FALSE);
  return self->evidence_number != NULL && self->evidence->len > 0 &&
         self->evidence_next < self->evidence->len;
}

const char *
kefu_ticket_form_get_evidence_status (KefuTicketForm *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FORM (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->evidence_status))
         ? gtk_label_get_text (self->evidence_status) : NULL;
}

static void
evidence_init (KefuTicketForm *self)
{
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add…"));
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *done_box = gtk_widget_get_parent (GTK_WIDGET (self->done_duplicates_label));

  self->evidence = g_ptr_array_new_with_free_func (g_object_unref);
  self->evidence_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->evidence_group, _("Photos, Videos and PDFs"));
  adw_preferences_group_set_description (self->evidence_group,
                                         _("Evidence from the customer; attached right after "
                                           "the ticket is registered."));
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (add, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "form.add-evidence");
  adw_preferences_group_set_header_suffix (self->evidence_group, add);
  self->evidence_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->evidence_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->evidence_list, "boxed-list");
  gtk_widget_set_visible (self->evidence_list, FALSE);
  adw_preferences_group_add (self->evidence_group, self->evidence_list);
  adw_preferences_page_add (self->form_page, self->evidence_group);

  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Attachments"), -1);
  gtk_widget_set_visible (status, FALSE);
  gtk_box_insert_child_after (GTK_BOX (done_box), status,
                              GTK_WIDGET (self->done_duplicates_label));
  self->evidence_status = GTK_LABEL (status);
}

/* ---- saving ------------------------------------------------------------------------------- */

static void
show_done (KefuTicketForm *self,
           KefuTicket     *ticket,
           GStrv           duplicates)
{
  g_autofree char *target = NULL;
  g_autofree char *description = NULL;
  KefuSlaTarget promise;

  /* The promise the server stored on the ticket is what was promised; a server that keeps none
   * gets the promise of the policy the form loaded. */
  if (ticket->sla.callback_promise_seconds > 0)
    promise = (KefuSlaTarget) { .seconds = ticket->sla.callback_promise_seconds,
                                .business = ticket->sla.callback_promise_business };
  else
    promise = kefu_sla_policy_get_callback (self->policy, ticket->priority);
  target = kefu_text_target (promise, self->policy);
  g_free (self->promise);
  /* Translators: read to the customer after registering; the first %s is the ticket number,
   * the second the promised call-back time, e.g. "1 hour" */
  self->promise = g_strdup_printf (_("Ticket %s registered. We will contact you within %s."),
                                   ticket->number, target);
  gtk_label_set_text (self->promise_label, self->promise);

  description = g_strdup_printf ("%s · %s", ticket->number, kefu_text_priority (ticket->priority));
  adw_status_page_set_description (self->done_page, description);

  if (duplicates != NULL && duplicates[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", duplicates);
      g_autofree char *text = NULL;

      /* Translators: %s is a list of ticket numbers */
      text = g_strdup_printf (_("Also open for this customer: %s"), list);
      gtk_label_set_text (self->done_duplicates_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->done_duplicates_label),
                          duplicates != NULL && duplicates[0] != NULL);

  self->done = TRUE;
  gtk_widget_set_visible (self->save_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.save", FALSE);
  gtk_widget_grab_focus (self->done_button);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KefuTicketForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(KefuTicket) ticket = NULL;
  g_auto(GStrv) duplicates = NULL;
  JsonObject *root;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (answer != NULL)
    ticket = kefu_ticket_from_json (answer, &error);

  if (ticket == NULL)
    {
      g_debug ("Registering failed: %s", error->message);
      if (g_error_matches (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED) &&
          kefu_error_get_field (error) != NULL)
        show_field_error (self, error, TRUE);
      else
        {
          g_autofree char *text = kefu_error_text (error);

          show_server_error (self, text);
          gtk_widget_grab_focus (self->save_button);
        }
      return;
    }

  root = json_node_get_object (answer);
  if (json_object_has_member (root, "duplicates"))
    {
      JsonArray *array = json_object_get_array_member (root, "duplicates");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          const char *number = json_array_get_string_element (array, i);

          if (number != NULL && g_strcmp0 (number, ticket->number) != 0)
            g_strv_builder_add (builder, number);
        }
      duplicates = g_strv_builder_end (builder);
    }

  show_done (self, ticket, duplicates);
  g_signal_emit (self, signals[CREATED], 0, ticket->number);
  evidence_upload_start (self, ticket->number);
}

static void
submit (KefuTicketForm *self,
        JsonNode       *body)
{
  set_busy (self, TRUE);
  kefu_connection_request_async (self->connection, "POST", "/tickets", body, NULL,
                                 self->cancellable, create_cb, g_object_ref (self));
}

static void save (KefuTicketForm *self);

static void
duplicates_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        KefuTicketForm   *self)
{
  if (g_strcmp0 (response, "register") != 0)
    return;

  self->duplicates_accepted = TRUE;
  update_duplicates (self);
  save (self);
}

static void
ask_about_duplicates (KefuTicketForm *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) numbers = NULL;
  g_autofree char *list = NULL;
  AdwMessageDialog *dialog;

  if (self->phone_duplicates != NULL)
    g_strv_builder_addv (builder, (const char **) self->phone_duplicates);
  if (self->order_duplicates != NULL)
    g_strv_builder_addv (builder, (const char **) self->order_duplicates);
  numbers = g_strv_builder_end (builder);
  list = g_strjoinv (", ", numbers);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Register Another Ticket?"), NULL));
  /* Translators: %s is a list of ticket numbers */
  adw_message_dialog_format_body (dialog,
                                  _("This customer already has open tickets: %s. If the "
                                    "customer calls about the same problem, add a note to that "
                                    "ticket instead."),
                                  list);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "register", _("_Register Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "register", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (duplicates_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save (KefuTicketForm *self)
{
  g_autoptr(JsonNode) body = NULL;

  if (self->busy || self->done)
    return;

  clear_errors (self);
  body = kefu_ticket_form_build_body (self);

  if (self->validate_locally)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KefuTicket) ticket = kefu_validate_intake (body, g_get_real_time (), &error);

      if (ticket == NULL)
        {
          show_field_error (self, error, TRUE);
          return;
        }
    }

  if (has_duplicates (self) && !self->duplicates_accepted)
    {
      ask_about_duplicates (self);
      return;
    }

  submit (self, body);
}

/* ---- resetting ---------------------------------------------------------------------------- */

static void
reset (KefuTicketForm *self)
{
  AdwEntryRow *rows[] = {
    self->name_row, self->phone_row, self->email_row, self->code_row, self->address_row,
    self->order_row, self->model_row, self->serial_row, self->purchase_row,
    self->subcategory_row,
  };
  g_autofree char *now = format_local_now ();

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
  gtk_editable_set_text (GTK_EDITABLE (self->submitted_row), now);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view), "", -1);
  adw_combo_row_set_selected (self->channel_row, KEFU_CHANNEL_PHONE);
  adw_combo_row_set_selected (self->stage_row, KEFU_STAGE_AFTER_SALE);
  adw_combo_row_set_selected (self->category_row, KEFU_CATEGORY_QUALITY);
  select_priority (self, DEFAULT_PRIORITY);

  g_clear_pointer (&self->checked_phone, g_free);
  g_clear_pointer (&self->checked_order, g_free);
  g_clear_pointer (&self->phone_duplicates, g_strfreev);
  g_clear_pointer (&self->order_duplicates, g_strfreev);
  self->duplicates_accepted = FALSE;
  update_duplicates (self);
  clear_errors (self);
  if (self->evidence != NULL && !kefu_ticket_form_get_evidence_busy (self))
    {
      g_ptr_array_set_size (self->evidence, 0);
      evidence_rebuild (self);
    }
}

/* ---- signal handlers ---------------------------------------------------------------------- */

static void
on_field_changed (KefuTicketForm *self,
                  GtkWidget      *row)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      if (field->row == row)
        hide_field_error (self, field);
    }
  /* Phone and email answer for each other ("phone or email is required"). */
  if (row == GTK_WIDGET (self->email_row))
    clear_field_error (self, "customer.phone");
  if (row == GTK_WIDGET (self->phone_row))
    {
      g_autofree char *text = editable_text (self->phone_row);
      g_autofree char *digits = kefu_validate_phone (text) ? phone_digits (text) : NULL;

      /* Another number: the warning about the previous one no longer applies. */
      if (self->phone_duplicates != NULL && g_strcmp0 (digits, self->checked_phone) != 0)
        set_duplicates (self, &self->phone_duplicates, NULL);
    }
}

static void
on_description_changed (KefuTicketForm *self)
{
  clear_field_error (self, "description");
  update_description_count (self);
}

/* The checks of one field that can be made as soon as the focus leaves it, with the same
 * validation the server makes. */
static void
on_row_focus_leave (GtkEventControllerFocus *controller,
                    KefuTicketForm          *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  g_autofree char *text = editable_text (row);
  g_autoptr(GError) error = NULL;

  if (self->busy || self->done)
    return;

  if (row == GTK_WIDGET (self->phone_row))
    {
      if (*text != '\0' && !kefu_validate_phone (text))
        kefu_set_field_error (&error, "customer.phone",
                              "customer.phone is not a valid phone number");
      else
        check_duplicates (self, TRUE);
    }
  else if (row == GTK_WIDGET (self->order_row))
    check_duplicates (self, FALSE);
  else if (row == GTK_WIDGET (self->email_row))
    {
      if (*text != '\0' && !kefu_validate_email (text))
        kefu_set_field_error (&error, "customer.email",
                              "customer.email is not a valid email address");
    }
  else if (row == GTK_WIDGET (self->purchase_row))
    {
      if (*text != '\0' && !kefu_validate_date (text))
        kefu_set_field_error (&error, "customer.purchase_date",
                              "customer.purchase_date is not a valid date (YYYY-MM-DD)");
    }
  else if (row == GTK_WIDGET (self->submitted_row))
    {
      gint64 usec;

      if (*text != '\0' && !parse_local_time (text, &usec))
        kefu_set_field_error (&error, "submitted_at",
                              "submitted_at must be an RFC 3339 time such as "
                              "2026-11-23T08:30:00Z");
      else if (*text != '\0' && usec > g_get_real_time () + 5 * G_TIME_SPAN_MINUTE)
        kefu_set_field_error (&error, "submitted_at", "submitted_at may not be in the future");
    }

  if (error != NULL)
    show_field_error (self, error, FALSE);
}

static void
on_category_changed (KefuTicketForm *self)
{
  guint category = adw_combo_row_get_selected (self->category_row);
  const char * const *suggestions = kefu_text_subcategory_suggestions (category);
  g_autoptr(GMenu) menu = g_menu_new ();

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->category_row),
                               kefu_text_category_hint (category));

  for (guint i = 0; suggestions != NULL && suggestions[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (suggestions[i], NULL);

      g_menu_item_set_action_and_target (item, "form.suggest", "s", suggestions[i]);
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->subcategory_button, G_MENU_MODEL (menu));
}

static void
on_purchase_popover_show (KefuTicketForm *self)
{
  g_autofree char *text = editable_text (self->purchase_row);
  g_autoptr(GDateTime) date = NULL;

  if (kefu_validate_date (text))
    {
      int year, month, day;

      if (sscanf (text, "%4d-%2d-%2d", &year, &month, &day) == 3)
        date = g_date_time_new_local (year, month, day, 0, 0, 0);
    }
  if (date == NULL)
    date = g_date_time_new_now_local ();

  self->syncing_picker = TRUE;
  gtk_calendar_select_day (self->purchase_calendar, date);
  self->syncing_picker = FALSE;
}

static void
on_purchase_day_selected (KefuTicketForm *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *text = NULL;

  if (self->syncing_picker)
    return;

  date = gtk_calendar_get_date (self->purchase_calendar);
  text = g_date_time_format (date, "%Y-%m-%d");
  old_text = editable_text (self->purchase_row);
  gtk_editable_set_text (GTK_EDITABLE (self->purchase_row), text);

  /* A click on a day of the month shown picks it; paging through months does not close. */
  if (strlen (old_text) == 10 && strncmp (old_text, text, 8) == 0)
    gtk_popover_popdown (GTK_POPOVER (gtk_menu_button_get_popover (self->purchase_button)));
}

static void
sync_submitted_picker (KefuTicketForm *self)
{
  g_autofree char *text = editable_text (self->submitted_row);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 usec;

  if (parse_local_time (text, &usec))
    {
      utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
      local = g_date_time_to_local (utc);
    }
  else
    local = g_date_time_new_now_local ();

  self->syncing_picker = TRUE;
  gtk_calendar_select_day (self->submitted_calendar, local);
  gtk_spin_button_set_value (self->hour_spin, g_date_time_get_hour (local));
  gtk_spin_button_set_value (self->minute_spin, g_date_time_get_minute (local));
  self->syncing_picker = FALSE;
}

static void
on_submitted_popover_show (KefuTicketForm *self)
{
  sync_submitted_picker (self);
}

static void
on_submitted_picker_changed (KefuTicketForm *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *day = NULL;
  g_autofree char *text = NULL;

  if (self->syncing_picker)
    return;

  date = gtk_calendar_get_date (self->submitted_calendar);
  day = g_date_time_format (date, "%Y-%m-%d");
  text = g_strdup_printf ("%s %02d:%02d", day,
                          gtk_spin_button_get_value_as_int (self->hour_spin),
                          gtk_spin_button_get_value_as_int (self->minute_spin));
  gtk_editable_set_text (GTK_EDITABLE (self->submitted_row), text);
}

static gboolean
on_time_spin_output (GtkSpinButton *spin,
                     gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
policy_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KefuTicketForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  KefuSlaPolicy *policy;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the SLA policy, showing the defaults: %s", error->message);
      return;
    }

  policy = kefu_sla_policy_from_json (answer, &error);
  if (policy == NULL)
    {
      g_debug ("The server's SLA policy does not parse: %s", error->message);
      return;
    }

  kefu_sla_policy_unref (self->policy);
  self->policy = policy;
  update_priority_rows (self);
}

/* ---- closing ------------------------------------------------------------------------------ */

static gboolean
close_idle (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     KefuTicketForm   *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;

  /* Not from within the dialog's response: closing the form destroys the dialog too. */
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle, g_object_ref (self), g_object_unref);
}

static gboolean
kefu_ticket_form_close_request (GtkWindow *window)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (window);
  AdwMessageDialog *dialog;

  /* The server may be creating the ticket right now: wait for its answer. */
  if (self->busy)
    return TRUE;

  if (self->close_confirmed || !kefu_ticket_form_get_has_input (self))
    return GTK_WINDOW_CLASS (kefu_ticket_form_parent_class)->close_request (window);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Discard the Registration?"),
                                                       _("What you entered will be lost.")));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* ---- actions ------------------------------------------------------------------------------ */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (KEFU_TICKET_FORM (widget));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (widget);

  if (self->promise == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->promise);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied")));
}

static void
register_another_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (widget);

  reset (self);
  self->done = FALSE;
  self->close_confirmed = FALSE;
  gtk_widget_set_visible (self->save_button, TRUE);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "form");
  set_busy (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
accept_duplicates_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (widget);

  self->duplicates_accepted = TRUE;
  update_duplicates (self);
}

static void
submitted_now_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (widget);
  g_autofree char *now = format_local_now ();

  gtk_editable_set_text (GTK_EDITABLE (self->submitted_row), now);
  sync_submitted_picker (self);
}

static void
suggest_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->subcategory_row),
                         g_variant_get_string (parameter, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->subcategory_row));
  gtk_editable_set_position (GTK_EDITABLE (self->subcategory_row), -1);
}

/* ---- GObject ------------------------------------------------------------------------------ */

KefuConnection *
kefu_ticket_form_get_connection (KefuTicketForm *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FORM (self), NULL);

  return self->connection;
}

void
kefu_ticket_form_set_validate_locally (KefuTicketForm *self,
                                       gboolean        validate_locally)
{
  g_return_if_fail (KEFU_IS_TICKET_FORM (self));

  self->validate_locally = !!validate_locally;
}

KefuTicketForm *
kefu_ticket_form_new (KefuConnection *connection,
                      GtkWindow      *parent)
{
  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (KEFU_TYPE_TICKET_FORM,
                       "connection", connection,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

static void
kefu_ticket_form_constructed (GObject *object)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (object);

  G_OBJECT_CLASS (kefu_ticket_form_parent_class)->constructed (object);

  g_return_if_fail (self->connection != NULL);

  kefu_connection_request_async (self->connection, "GET", "/sla-policy", NULL, NULL,
                                 self->cancellable, policy_cb, g_object_ref (self));
}

static void
kefu_ticket_form_dispose (GObject *object)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->phone_check);
  g_cancellable_cancel (self->order_check);
  if (self->evidence_chooser != NULL)
    gtk_native_dialog_destroy (self->evidence_chooser);
  g_clear_object (&self->evidence_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_TICKET_FORM);

  G_OBJECT_CLASS (kefu_ticket_form_parent_class)->dispose (object);
}

static void
kefu_ticket_form_finalize (GObject *object)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->phone_check);
  g_clear_object (&self->order_check);
  g_clear_pointer (&self->policy, kefu_sla_policy_unref);
  g_clear_pointer (&self->fields, g_array_unref);
  g_clear_pointer (&self->phone_duplicates, g_strfreev);
  g_clear_pointer (&self->order_duplicates, g_strfreev);
  g_clear_pointer (&self->checked_phone, g_free);
  g_clear_pointer (&self->checked_order, g_free);
  g_clear_pointer (&self->promise, g_free);
  g_clear_pointer (&self->evidence, g_ptr_array_unref);
  g_clear_pointer (&self->evidence_number, g_free);

  G_OBJECT_CLASS (kefu_ticket_form_parent_class)->finalize (object);
}

static void
kefu_ticket_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_form_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KefuTicketForm *self = KEFU_TICKET_FORM (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_form_class_init (KefuTicketFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kefu_ticket_form_constructed;
  object_class->dispose = kefu_ticket_form_dispose;
  object_class->finalize = kefu_ticket_form_finalize;
  object_class->get_property = kefu_ticket_form_get_property;
  object_class->set_property = kefu_ticket_form_set_property;

  window_class->close_request = kefu_ticket_form_close_request;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         KEFU_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KefuTicketForm::created:
   * @number: the number of the new ticket
   *
   * A ticket was registered.
   */
  signals[CREATED] =
    g_signal_new ("created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-ticket-form.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, window_title);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, save_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, form_page);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, notice_group);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, server_error_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, duplicate_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, phone_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, email_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, code_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, address_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, order_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, model_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, serial_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, purchase_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, purchase_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, purchase_calendar);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, channel_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, stage_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, category_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, subcategory_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, subcategory_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, submitted_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, submitted_button);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, submitted_calendar);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, description_view);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, description_scroller);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, description_error);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, description_count);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p1_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p2_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p3_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p4_row);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p1_check);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p2_check);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p3_check);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, p4_check);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, done_page);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, promise_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, done_duplicates_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketForm, done_button);
  gtk_widget_class_bind_template_callback (widget_class, on_category_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_purchase_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_purchase_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_submitted_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_submitted_picker_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_time_spin_output);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "form.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "form.register-another", NULL,
                                   register_another_action);
  gtk_widget_class_install_action (widget_class, "form.accept-duplicates", NULL,
                                   accept_duplicates_action);
  gtk_widget_class_install_action (widget_class, "form.submitted-now", NULL,
                                   submitted_now_action);
  gtk_widget_class_install_action (widget_class, "form.suggest", "s", suggest_action);
  gtk_widget_class_install_action (widget_class, "form.add-evidence", NULL, add_evidence_action);
  gtk_widget_class_install_action (widget_class, "form.remove-evidence", "u",
                                   remove_evidence_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.close", NULL);
}

static GtkStringList *
string_list_new (const char *(*label) (guint value),
                 guint        n_values)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_values; i++)
    gtk_string_list_append (list, label (i));
  return list;
}

static const char *
channel_label (guint value)
{
  return kefu_text_channel ((KefuChannel) value);
}

static const char *
stage_label (guint value)
{
  return kefu_text_stage ((KefuStage) value);
}

static const char *
category_label (guint value)
{
  return kefu_text_category ((KefuCategory) value);
}

static void
kefu_ticket_form_init (KefuTicketForm *self)
{
  g_autoptr(GtkStringList) channels = string_list_new (channel_label, KEFU_CHANNEL_LAST);
  g_autoptr(GtkStringList) stages = string_list_new (stage_label, KEFU_STAGE_LAST);
  g_autoptr(GtkStringList) categories = string_list_new (category_label, KEFU_CATEGORY_LAST);
  GtkEventController *shortcuts;
  GtkShortcutTrigger *trigger;
  struct {
    const char *name;
    gpointer    row;
    gboolean    check_on_leave;
  } inputs[] = {
    { "customer.name", NULL, FALSE },
    { "customer.phone", NULL, TRUE },
    { "customer.email", NULL, TRUE },
    { "customer.code", NULL, FALSE },
    { "customer.address", NULL, FALSE },
    { "customer.order_no", NULL, TRUE },
    { "customer.product_model", NULL, FALSE },
    { "customer.serial_no", NULL, FALSE },
    { "customer.purchase_date", NULL, TRUE },
    { "channel", NULL, FALSE },
    { "stage", NULL, FALSE },
    { "category", NULL, FALSE },
    { "subcategory", NULL, FALSE },
    { "submitted_at", NULL, TRUE },
    { "priority", NULL, FALSE },
  };

  self->cancellable = g_cancellable_new ();
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  self->policy = kefu_sla_policy_new_default (NULL);
  self->validate_locally = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  kefu_ticket_text_ensure_style ();

  inputs[0].row = self->name_row;
  inputs[1].row = self->phone_row;
  inputs[2].row = self->email_row;
  inputs[3].row = self->code_row;
  inputs[4].row = self->address_row;
  inputs[5].row = self->order_row;
  inputs[6].row = self->model_row;
  inputs[7].row = self->serial_row;
  inputs[8].row = self->purchase_row;
  inputs[9].row = self->channel_row;
  inputs[10].row = self->stage_row;
  inputs[11].row = self->category_row;
  inputs[12].row = self->subcategory_row;
  inputs[13].row = self->submitted_row;
  inputs[14].row = self->p1_row;

  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (channels));
  adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (stages));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (categories));

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      add_field (self, inputs[i].name, inputs[i].row);

      if (ADW_IS_ENTRY_ROW (inputs[i].row))
        g_signal_connect_object (inputs[i].row, "changed", G_CALLBACK (on_field_changed), self,
                                 G_CONNECT_SWAPPED);
      else if (ADW_IS_COMBO_ROW (inputs[i].row))
        g_signal_connect_object (inputs[i].row, "notify::selected",
                                 G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);

      if (inputs[i].check_on_leave)
        {
          GtkEventController *focus = gtk_event_controller_focus_new ();

          g_signal_connect_object (focus, "leave", G_CALLBACK (on_row_focus_leave), self, 0);
          gtk_widget_add_controller (GTK_WIDGET (inputs[i].row), focus);
        }
    }
  add_field (self, "description", self->description_view);

  g_signal_connect_object (gtk_text_view_get_buffer (self->description_view), "changed",
                           G_CALLBACK (on_description_changed), self, G_CONNECT_SWAPPED);

  /* Ctrl+Enter saves from anywhere, the description included (whose own key handling would
   * otherwise take Enter): catch it on the way down. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                 GDK_CONTROL_MASK));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger,
                                                          gtk_named_action_new ("form.save")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  evidence_init (self);
  update_priority_rows (self);
  reset (self);
  on_category_changed (self);
  update_description_count (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}
