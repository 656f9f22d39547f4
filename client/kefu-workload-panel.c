/* kefu-workload-panel.c — the board's side panel: technicians and their open workload
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-workload-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-error-text.h"
#include "kefu-ticket-list.h"
#include "kefu-ticket-text.h"
#include "kefu-workflow.h"
#include "kefu-workload-panel.h"

#define RELOAD_DELAY_MS 1000   /* one reload per burst of ticket events */

typedef struct {
  gint64  id;
  char   *name;
  char   *department;
  guint   open;
} Technician;

struct _KefuWorkloadPanel
{
  GtkBox          parent_instance;

  KefuConnection *connection;
  GCancellable   *cancellable;
  GArray         *technicians;     /* of Technician, least busy first */
  GHashTable     *drop_targets;    /* user id (gint64 *) → GtkDropTarget */
  guint           reload_timeout;
  guint           loaded : 1;

  /* Template widgets */
  GtkStack       *stack;
  GtkSpinner     *spinner;
  GtkListBox     *list_box;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (KefuWorkloadPanel, kefu_workload_panel, GTK_TYPE_BOX)

enum {
  USERS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
technician_clear (Technician *t)
{
  g_free (t->name);
  g_free (t->department);
}

static int
compare_technicians (gconstpointer a,
                     gconstpointer b)
{
  const Technician *ta = a, *tb = b;

  if (ta->open != tb->open)
    return ta->open < tb->open ? -1 : 1;
  return g_strcmp0 (ta->name, tb->name);
}

/* ---- assigning ---------------------------------------------------------------------------- */

void
kefu_workload_panel_assign (KefuWorkloadPanel *self,
                            const char        *number,
                            gint64             user_id)
{
  KefuTicketObject *object;
  KefuTicket *ticket;
  const char *name = NULL;

  g_return_if_fail (KEFU_IS_WORKLOAD_PANEL (self));
  g_return_if_fail (number != NULL);

  if (self->connection == NULL)
    return;

  if (g_strcmp0 (kefu_connection_get_role (self->connection), "supervisor") != 0)
    {
      kefu_workflow_toast (GTK_WIDGET (self), _("Only supervisors assign tickets."));
      return;
    }

  object = kefu_ticket_list_lookup (kefu_connection_get_tickets (self->connection), number);
  if (object == NULL)
    return;
  ticket = kefu_ticket_object_get_ticket (object);

  for (guint i = 0; i < self->technicians->len; i++)
    {
      Technician *t = &g_array_index (self->technicians, Technician, i);

      if (t->id == user_id)
        name = t->name;
    }

  if (!kefu_status_is_open (ticket->status))
    {
      /* Translators: a toast, e.g. "FW20261123001 is resolved and cannot be assigned" */
      g_autofree char *text = g_strdup_printf (_("%s is %s and cannot be assigned"), number,
                                               kefu_text_status (ticket->status));

      kefu_workflow_toast (GTK_WIDGET (self), text);
      return;
    }

  kefu_workflow_assign (GTK_WIDGET (self), self->connection, number, ticket->version,
                        ticket->assignee.id, ticket->assignee.display_name, user_id,
                        name != NULL ? name : "");
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  KefuWorkloadPanel *self = user_data;
  gint64 user_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (target), "user-id"));

  if (!G_VALUE_HOLDS_STRING (value) || g_value_get_string (value) == NULL)
    return FALSE;

  kefu_workload_panel_assign (self, g_value_get_string (value), user_id);
  return TRUE;
}

/* ---- loading ------------------------------------------------------------------------------ */

static void
rebuild_rows (KefuWorkloadPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_hash_table_remove_all (self->drop_targets);

  for (guint i = 0; i < self->technicians->len; i++)
    {
      Technician *t = &g_array_index (self->technicians, Technician, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *count = gtk_label_new (NULL);
      GtkDropTarget *target;
      g_autofree char *text = NULL;
      g_autofree char *tooltip = NULL;
      gint64 *key;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), kefu_text_department (t->department));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("avatar-default-symbolic"));

      text = g_strdup_printf ("%u", t->open);
      gtk_label_set_text (GTK_LABEL (count), text);
      gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (count, "kefu-pill");
      gtk_widget_add_css_class (count, "kefu-count");
      gtk_widget_add_css_class (count, "numeric");
      if (t->open >= 8)
        gtk_widget_add_css_class (count, "kefu-overdue-count");
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open ticket",
                                              "%u open tickets", t->open), t->open);
      gtk_widget_set_tooltip_text (count, tooltip);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);

      target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY | GDK_ACTION_MOVE);
      g_object_set_data (G_OBJECT (target), "user-id", GSIZE_TO_POINTER ((gsize) t->id));
      g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
      gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));

      key = g_new (gint64, 1);
      *key = t->id;
      g_hash_table_insert (self->drop_targets, key, target);
      gtk_list_box_append (self->list_box, row);
    }
}

static void
users_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  KefuWorkloadPanel *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *users = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    users = json_object_get_array_member (json_node_get_object (answer), "users");

  if (users == NULL)
    {
      g_autofree char *why = error != NULL ? kefu_error_text (error) : NULL;

      gtk_label_set_text (self->error_label, why != NULL ? why : _("No technicians found."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  g_array_set_size (self->technicians, 0);
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);
      Technician t = { 0 };

      /* A server without ?role= sends everyone. */
      if (g_strcmp0 (json_object_get_string_member_with_default (user, "role", NULL),
                     "technician") != 0 ||
          !json_object_get_boolean_member_with_default (user, "active", TRUE))
        continue;

      t.id = json_object_get_int_member_with_default (user, "id", 0);
      t.name = g_strdup (json_object_get_string_member_with_default (user, "display_name", "?"));
      t.department = g_strdup (json_object_get_string_member_with_default (user, "department",
                                                                          NULL));
      t.open = kefu_workflow_open_tickets (self->connection, user);
      g_array_append_val (self->technicians, t);
    }
  g_array_sort (self->technicians, compare_technicians);

  self->loaded = TRUE;
  rebuild_rows (self);
  gtk_stack_set_visible_child_name (self->stack, "list");
  g_signal_emit (self, signals[USERS_CHANGED], 0);
}

void
kefu_workload_panel_reload (KefuWorkloadPanel *self)
{
  g_return_if_fail (KEFU_IS_WORKLOAD_PANEL (self));

  g_clear_handle_id (&self->reload_timeout, g_source_remove);
  if (self->connection == NULL || kefu_connection_get_user_id (self->connection) == 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (!self->loaded)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
    }
  kefu_connection_request_async (self->connection, "GET", "/users?role=technician", NULL, NULL,
                                 self->cancellable, users_cb, self);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  KefuWorkloadPanel *self = user_data;

  self->reload_timeout = 0;
  kefu_workload_panel_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_connection_event (KefuWorkloadPanel *self,
                     const char        *type,
                     JsonNode          *data)
{
  if (!g_str_has_prefix (type, "ticket.") && g_strcmp0 (type, "user.updated") != 0 &&
      g_strcmp0 (type, "resync") != 0)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->reload_timeout != 0)
    return;
  self->reload_timeout = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

static void
on_signed_in_changed (KefuWorkloadPanel *self)
{
  if (kefu_connection_get_user_id (self->connection) == 0)
    {
      self->loaded = FALSE;
      g_array_set_size (self->technicians, 0);
      rebuild_rows (self);
    }
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    kefu_workload_panel_reload (self);
}

/* ---- public ------------------------------------------------------------------------------- */

GtkWidget *
kefu_workload_panel_new (void)
{
  return g_object_new (KEFU_TYPE_WORKLOAD_PANEL, NULL);
}

KefuConnection *
kefu_workload_panel_get_connection (KefuWorkloadPanel *self)
{
  g_return_val_if_fail (KEFU_IS_WORKLOAD_PANEL (self), NULL);

  return self->connection;
}

void
kefu_workload_panel_set_connection (KefuWorkloadPanel *self,
                                    KefuConnection    *connection)
{
  g_return_if_fail (KEFU_IS_WORKLOAD_PANEL (self));
  g_return_if_fail (connection == NULL || KEFU_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_set_object (&self->connection, connection);
  if (connection != NULL)
    {
      g_signal_connect_object (connection, "event", G_CALLBACK (on_connection_event), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (connection, "notify::user-id",
                               G_CALLBACK (on_signed_in_changed), self, G_CONNECT_SWAPPED);
    }
  self->loaded = FALSE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    kefu_workload_panel_reload (self);
}

guint
kefu_workload_panel_get_n_technicians (KefuWorkloadPanel *self)
{
  g_return_val_if_fail (KEFU_IS_WORKLOAD_PANEL (self), 0);

  return self->technicians->len;
}

gint64
kefu_workload_panel_get_technician (KefuWorkloadPanel *self,
                                    guint              index,
                                    const char       **out_name,
                                    guint             *out_open)
{
  Technician *t;

  g_return_val_if_fail (KEFU_IS_WORKLOAD_PANEL (self), 0);
  g_return_val_if_fail (index < self->technicians->len, 0);

  t = &g_array_index (self->technicians, Technician, index);
  if (out_name != NULL)
    *out_name = t->name;
  if (out_open != NULL)
    *out_open = t->open;
  return t->id;
}

GtkDropTarget *
kefu_workload_panel_get_drop_target (KefuWorkloadPanel *self,
                                     gint64             user_id)
{
  g_return_val_if_fail (KEFU_IS_WORKLOAD_PANEL (self), NULL);

  return g_hash_table_lookup (self->drop_targets, &user_id);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
kefu_workload_panel_map (GtkWidget *widget)
{
  KefuWorkloadPanel *self = KEFU_WORKLOAD_PANEL (widget);

  GTK_WIDGET_CLASS (kefu_workload_panel_parent_class)->map (widget);

  /* Fresh numbers each time it is shown. */
  kefu_workload_panel_reload (self);
}

static void
kefu_workload_panel_dispose (GObject *object)
{
  KefuWorkloadPanel *self = KEFU_WORKLOAD_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_timeout, g_source_remove);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_WORKLOAD_PANEL);

  G_OBJECT_CLASS (kefu_workload_panel_parent_class)->dispose (object);
}

static void
kefu_workload_panel_finalize (GObject *object)
{
  KefuWorkloadPanel *self = KEFU_WORKLOAD_PANEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->technicians, g_array_unref);
  g_clear_pointer (&self->drop_targets, g_hash_table_unref);

  G_OBJECT_CLASS (kefu_workload_panel_parent_class)->finalize (object);
}

static void
kefu_workload_panel_class_init (KefuWorkloadPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_workload_panel_dispose;
  object_class->finalize = kefu_workload_panel_finalize;
  widget_class->map = kefu_workload_panel_map;

  signals[USERS_CHANGED] =
    g_signal_new ("users-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-workload-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuWorkloadPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuWorkloadPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuWorkloadPanel, list_box);
  gtk_widget_class_bind_template_child (widget_class, KefuWorkloadPanel, error_label);
}

static void
kefu_workload_panel_init (KefuWorkloadPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kefu_ticket_text_ensure_style ();

  self->technicians = g_array_new (FALSE, TRUE, sizeof (Technician));
  g_array_set_clear_func (self->technicians, (GDestroyNotify) technician_clear);
  self->drop_targets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}
