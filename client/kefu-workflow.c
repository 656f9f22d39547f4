/* kefu-workflow.c — ticket changes shared by the ticket page, the board and "My work"
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-workflow"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-error.h"
#include "kefu-error-text.h"
#include "kefu-sla.h"
#include "kefu-ticket-object.h"
#include "kefu-ticket-text.h"
#include "kefu-workflow.h"

/* ---- writing ------------------------------------------------------------------------------ */

void
kefu_workflow_write_async (KefuConnection      *connection,
                           const char          *method,
                           const char          *number,
                           const char          *what,
                           gint64               version,
                           JsonNode            *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *if_match = NULL;

  g_return_if_fail (KEFU_IS_CONNECTION (connection));
  g_return_if_fail (method != NULL && number != NULL);

  escaped = g_uri_escape_string (number, NULL, FALSE);
  path = what != NULL ? g_strdup_printf ("/tickets/%s/%s", escaped, what)
                      : g_strdup_printf ("/tickets/%s", escaped);
  if_match = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  kefu_connection_request_async (connection, method, path, body, if_match, cancellable,
                                 callback, user_data);
}

KefuTicket *
kefu_workflow_write_finish (KefuConnection  *connection,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_autoptr(JsonNode) answer = NULL;

  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), NULL);

  answer = kefu_connection_request_finish (connection, result, error);
  if (answer == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                             _("The server sent no ticket back."));
      return NULL;
    }
  return kefu_ticket_from_json (answer, error);
}

static AdwToastOverlay *
find_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *overlay = find_overlay (child);

      if (overlay != NULL)
        return overlay;
    }
  return NULL;
}

void
kefu_workflow_toast (GtkWidget  *widget,
                     const char *message)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL && gtk_widget_get_root (widget) != NULL)
    overlay = GTK_WIDGET (find_overlay (GTK_WIDGET (gtk_widget_get_root (widget))));
  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

char *
kefu_workflow_error_text (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, KEFU_ERROR, KEFU_ERROR_VERSION_CONFLICT))
    return g_strdup (_("Someone else changed this ticket meanwhile. It now shows their change; "
                       "check it and try again."));
  if (kefu_error_get_field (error) != NULL)
    return kefu_text_field_error (error);
  /* Any other code of the server: the client's own sentence, not the server's English. */
  return kefu_error_text (error);
}

guint
kefu_workflow_open_tickets (KefuConnection *connection,
                            JsonObject     *user)
{
  GListModel *tickets;
  gint64 id;
  guint n = 0;

  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), 0);
  g_return_val_if_fail (user != NULL, 0);

  if (json_object_has_member (user, "open_tickets"))
    return (guint) CLAMP (json_object_get_int_member (user, "open_tickets"), 0, G_MAXUINT);

  id = json_object_get_int_member_with_default (user, "id", 0);
  tickets = G_LIST_MODEL (kefu_connection_get_tickets (connection));
  for (guint i = 0; id != 0 && i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(KefuTicketObject) t = g_list_model_get_item (tickets, i);

      if (kefu_ticket_object_get_is_open (t) && kefu_ticket_object_get_assignee_id (t) == id)
        n++;
    }
  return n;
}

/* ---- one change confirmed in a dialog ----------------------------------------------------- */

typedef struct {
  GtkWidget      *widget;        /* for toasts; its window outlives cards */
  KefuConnection *connection;
  char           *number;
  gint64          version;
  int             from_priority;
  int             to_priority;
  gint64          assignee_id;
  char           *assignee_name;
  char           *done_message;
} Change;

static void
change_free (Change *change)
{
  g_clear_object (&change->widget);
  g_clear_object (&change->connection);
  g_free (change->number);
  g_free (change->assignee_name);
  g_free (change->done_message);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Change, change_free)

static Change *
change_new (GtkWidget      *widget,
            KefuConnection *connection,
            const char     *number,
            gint64          version)
{
  Change *change = g_new0 (Change, 1);
  GtkRoot *root = gtk_widget_get_root (widget);

  /* A card may be recycled while the dialog is up: tell the window instead. */
  change->widget = g_object_ref (root != NULL ? GTK_WIDGET (root) : widget);
  change->connection = g_object_ref (connection);
  change->number = g_strdup (number);
  change->version = version;
  return change;
}

static void
change_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Change) change = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  ticket = kefu_workflow_write_finish (KEFU_CONNECTION (object), result, &error);
  if (ticket == NULL)
    {
      g_autofree char *text = kefu_workflow_error_text (error);

      kefu_workflow_toast (change->widget, text);
      return;
    }

  kefu_workflow_toast (change->widget, change->done_message);
}

static AdwMessageDialog *
confirm_dialog_new (GtkWidget  *widget,
                    const char *heading,
                    const char *body,
                    const char *ok_label)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog,
                                    KEFU_WORKFLOW_RESPONSE_CANCEL, _("_Cancel"),
                                    KEFU_WORKFLOW_RESPONSE_OK, ok_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, KEFU_WORKFLOW_RESPONSE_OK,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, KEFU_WORKFLOW_RESPONSE_OK);
  adw_message_dialog_set_close_response (dialog, KEFU_WORKFLOW_RESPONSE_CANCEL);
  return dialog;
}

/* ---- priority ----------------------------------------------------------------------------- */

static void
priority_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  Change *change = user_data;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (g_strcmp0 (response, KEFU_WORKFLOW_RESPONSE_OK) != 0)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, change->to_priority);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* Translators: a toast, e.g. "FW20261123001 is now P1" */
  change->done_message = g_strdup_printf (_("%s is now %s"), change->number,
                                          kefu_text_priority (change->to_priority));
  g_object_steal_data (G_OBJECT (dialog), "change");
  kefu_workflow_write_async (change->connection, "PATCH", change->number, NULL,
                             change->version, body, NULL, change_written_cb, change);
}

static void
present_priority_dialog (Change        *change,   /* (transfer full) */
                         KefuSlaPolicy *policy)   /* (nullable) */
{
  g_autofree char *heading = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;

  /* Translators: a question, e.g. "Move FW20261123001 to P1 · Urgent?" */
  heading = g_strdup_printf (_("Move %s to %s?"), change->number,
                             kefu_text_priority (change->to_priority));
  g_string_append_printf (body,
                          /* Translators: the priority before and after, e.g. "P3 → P1" */
                          _("Priority P%d → P%d."), change->from_priority,
                          change->to_priority);
  if (policy != NULL)
    {
      g_autofree char *response = kefu_text_target (
        kefu_sla_policy_get_response (policy, change->to_priority), policy);
      g_autofree char *resolve = kefu_text_target (
        kefu_sla_policy_get_resolve (policy, change->to_priority), policy);

      g_string_append (body, " ");
      g_string_append_printf (body,
                              /* Translators: the new SLA targets, e.g. "first response within
                               * 2 hours, resolution within 24 hours" */
                              _("The deadlines are worked out again from registration: first "
                                "response within %s, resolution within %s."),
                              response, resolve);
    }
  g_string_append (body, " ");
  g_string_append (body, _("The change is recorded in the ticket’s timeline."));

  dialog = confirm_dialog_new (change->widget, heading, body->str, _("_Change Priority"));
  g_object_set_data_full (G_OBJECT (dialog), "change", change, (GDestroyNotify) change_free);
  g_signal_connect (dialog, "response", G_CALLBACK (priority_response_cb), change);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
policy_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Change *change = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(KefuSlaPolicy) policy = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (answer != NULL)
    policy = kefu_sla_policy_from_json (answer, &error);
  if (policy == NULL)
    g_debug ("No SLA policy for the priority dialog: %s", error->message);

  present_priority_dialog (change, policy);
}

void
kefu_workflow_change_priority (GtkWidget      *widget,
                               KefuConnection *connection,
                               const char     *number,
                               gint64          version,
                               int             from_priority,
                               int             to_priority)
{
  Change *change;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (KEFU_IS_CONNECTION (connection));
  g_return_if_fail (number != NULL);
  g_return_if_fail (to_priority >= 1 && to_priority <= 4);

  if (from_priority == to_priority)
    return;

  change = change_new (widget, connection, number, version);
  change->from_priority = from_priority;
  change->to_priority = to_priority;
  kefu_connection_request_async (connection, "GET", "/sla-policy", NULL, NULL, NULL, policy_cb,
                                 change);
}

/* ---- assignment --------------------------------------------------------------------------- */

static void
send_assign (Change *change)   /* (transfer full) */
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "assignee_id");
  json_builder_add_int_value (builder, change->assignee_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* Translators: a toast, e.g. "FW20261123001 assigned to Zhao Lei" */
  change->done_message = g_strdup_printf (_("%s assigned to %s"), change->number,
                                          change->assignee_name);
  kefu_workflow_write_async (change->connection, "POST", change->number, "assign",
                             change->version, body, NULL, change_written_cb, change);
}

static void
assign_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  Change *change = user_data;

  if (g_strcmp0 (response, KEFU_WORKFLOW_RESPONSE_OK) != 0)
    return;

  g_object_steal_data (G_OBJECT (dialog), "change");
  send_assign (change);
}

void
kefu_workflow_assign (GtkWidget      *widget,
                      KefuConnection *connection,
                      const char     *number,
                      gint64          version,
                      gint64          current_assignee_id,
                      const char     *current_name,
                      gint64          assignee_id,
                      const char     *assignee_name)
{
  Change *change;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (KEFU_IS_CONNECTION (connection));
  g_return_if_fail (number != NULL);
  g_return_if_fail (assignee_id > 0);

  if (current_assignee_id == assignee_id)
    {
      /* Translators: a toast, e.g. "FW20261123001 is already Zhao Lei’s" */
      g_autofree char *text = g_strdup_printf (_("%s is already assigned to %s"), number,
                                               assignee_name);

      kefu_workflow_toast (widget, text);
      return;
    }

  change = change_new (widget, connection, number, version);
  change->assignee_id = assignee_id;
  change->assignee_name = g_strdup (assignee_name != NULL ? assignee_name : "");

  if (current_assignee_id == 0)
    {
      send_assign (change);
      return;
    }

  /* Translators: a question, e.g. "Reassign FW20261123001 to Zhao Lei?" */
  heading = g_strdup_printf (_("Reassign %s to %s?"), number, change->assignee_name);
  /* Translators: %s is who has the ticket now */
  body = g_strdup_printf (_("It is assigned to %s now. The new assignee has to accept it, and "
                            "the accept deadline starts again."),
                          current_name != NULL ? current_name : "");
  dialog = confirm_dialog_new (change->widget, heading, body, _("_Reassign"));
  g_object_set_data_full (G_OBJECT (dialog), "change", change, (GDestroyNotify) change_free);
  g_signal_connect (dialog, "response", G_CALLBACK (assign_response_cb), change);
  gtk_window_present (GTK_WINDOW (dialog));
}
