/* kefu-board.c — the Kanban board: open tickets in four priority columns
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-board"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-board.h"
#include "kefu-ticket-filter.h"
#include "kefu-ticket-text.h"
#include "kefu-workflow.h"

struct _KefuBoard
{
  AdwBin           parent_instance;

  KefuTicketList  *tickets;
  GtkFilter       *filter;
  GtkSorter       *sorter;
  GListModel      *models[4];
  KefuConnection  *connection;
  GtkDropTarget   *drop_targets[4];
  GMenu           *assign_menu;      /* the technicians, for the cards' context menu */
  char            *menu_number;      /* the ticket the context menu is open for */

  /* Template widgets */
  GtkStack        *stack;
  GtkSpinner      *spinner;
  KefuBoardColumn *columns[4];
  GtkRevealer     *workload_revealer;
  KefuWorkloadPanel *workload_panel;
};

G_DEFINE_FINAL_TYPE (KefuBoard, kefu_board, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TICKETS,
  PROP_FILTER,
  PROP_SHOW_WORKLOAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

int
kefu_board_compare_due (KefuTicketObject *a,
                        KefuTicketObject *b)
{
  gint64 due_a = kefu_ticket_object_get_nearest_due (a);
  gint64 due_b = kefu_ticket_object_get_nearest_due (b);

  if (due_a != due_b)
    {
      if (due_a == 0)
        return 1;
      if (due_b == 0)
        return -1;
      return due_a < due_b ? -1 : 1;
    }

  return g_strcmp0 (kefu_ticket_object_get_number (a), kefu_ticket_object_get_number (b));
}

static int
compare_due_cb (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return kefu_board_compare_due ((KefuTicketObject *) a, (KefuTicketObject *) b);
}

/* Sort models do not watch their items: re-sort when a due moved. */
static void
on_tickets_changed (KefuBoard      *self,
                    guint           change,
                    KefuTicketList *tickets)
{
  if (change & KEFU_TICKET_CHANGE_DUE)
    gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
update_loaded (KefuBoard *self)
{
  gboolean loaded = self->tickets == NULL || kefu_ticket_list_get_loaded (self->tickets);

  gtk_stack_set_visible_child_name (self->stack, loaded ? "board" : "loading");
  gtk_spinner_set_spinning (self->spinner, !loaded);
}

static void
update_empty_texts (KefuBoard *self)
{
  gboolean filtered = self->filter != NULL
                      && gtk_filter_get_strictness (self->filter) != GTK_FILTER_MATCH_ALL;

  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    kefu_board_column_set_empty_text (self->columns[i],
                                      filtered ? _("No tickets match")
                                               : _("No open tickets"));
}

static void
rebuild (KefuBoard *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    {
      g_autoptr(GtkFilterListModel) filtered = NULL;
      GtkEveryFilter *every;
      KefuTicketFilter *column_filter;

      g_clear_object (&self->models[i]);

      /* While the list loads, the board shows a spinner: filtering and sorting 20,000 tickets
       * once at the end costs far less than re-sorting the columns for every page. */
      if (self->tickets == NULL || !kefu_ticket_list_get_loaded (self->tickets))
        {
          kefu_board_column_set_model (self->columns[i], NULL);
          continue;
        }

      column_filter = kefu_ticket_filter_new (self->tickets);
      kefu_ticket_filter_set_priority (column_filter, i + 1);
      kefu_ticket_filter_set_open_only (column_filter, TRUE);

      every = gtk_every_filter_new ();
      gtk_multi_filter_append (GTK_MULTI_FILTER (every), GTK_FILTER (column_filter));
      if (self->filter != NULL)
        gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (self->filter));

      filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->tickets)),
                                            GTK_FILTER (every));
      self->models[i] = G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (g_steal_pointer (&filtered)),
                                                               g_object_ref (self->sorter)));
      kefu_board_column_set_model (self->columns[i], self->models[i]);
    }

  update_empty_texts (self);
  update_loaded (self);
}

KefuTicketList *
kefu_board_get_tickets (KefuBoard *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), NULL);

  return self->tickets;
}

void
kefu_board_set_tickets (KefuBoard      *self,
                        KefuTicketList *tickets)
{
  g_return_if_fail (KEFU_IS_BOARD (self));
  g_return_if_fail (tickets == NULL || KEFU_IS_TICKET_LIST (tickets));

  if (self->tickets == tickets)
    return;

  if (self->tickets != NULL)
    g_signal_handlers_disconnect_by_data (self->tickets, self);
  g_set_object (&self->tickets, tickets);
  if (tickets != NULL)
    {
      g_signal_connect_object (tickets, "tickets-changed", G_CALLBACK (on_tickets_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (tickets, "notify::loaded", G_CALLBACK (rebuild),
                               self, G_CONNECT_SWAPPED);
    }

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKETS]);
}

GtkFilter *
kefu_board_get_filter (KefuBoard *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), NULL);

  return self->filter;
}

void
kefu_board_set_filter (KefuBoard *self,
                       GtkFilter *filter)
{
  g_return_if_fail (KEFU_IS_BOARD (self));
  g_return_if_fail (filter == NULL || GTK_IS_FILTER (filter));

  if (self->filter == filter)
    return;

  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_func (self->filter, update_empty_texts, self);
  g_set_object (&self->filter, filter);
  if (filter != NULL)
    g_signal_connect_object (filter, "changed", G_CALLBACK (update_empty_texts), self,
                             G_CONNECT_SWAPPED);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

/* ---- supervising: priorities and assignment ------------------------------------------------ */

static gboolean
is_supervisor (KefuBoard *self)
{
  return self->connection != NULL &&
         g_strcmp0 (kefu_connection_get_role (self->connection), "supervisor") == 0;
}

static void
update_board_actions (KefuBoard *self)
{
  gboolean supervisor = is_supervisor (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.set-priority", supervisor);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.assign", supervisor);
}

/* Moves @number to @priority, asking first. */
static void
move_to_priority (KefuBoard  *self,
                  const char *number,
                  int         priority)
{
  KefuTicketObject *object;
  KefuTicket *ticket;

  if (self->tickets == NULL || self->connection == NULL || number == NULL)
    return;
  if (!is_supervisor (self))
    {
      kefu_workflow_toast (GTK_WIDGET (self), _("Only supervisors change priorities."));
      return;
    }

  object = kefu_ticket_list_lookup (self->tickets, number);
  if (object == NULL)
    return;
  ticket = kefu_ticket_object_get_ticket (object);
  kefu_workflow_change_priority (GTK_WIDGET (self), self->connection, number, ticket->version,
                                 ticket->priority, priority);
}

static gboolean
on_column_drop (GtkDropTarget *target,
                const GValue  *value,
                double         x,
                double         y,
                gpointer       user_data)
{
  KefuBoard *self = user_data;
  int priority = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (target), "priority"));
  const char *number;
  KefuTicketObject *object;

  if (!G_VALUE_HOLDS_STRING (value) || (number = g_value_get_string (value)) == NULL)
    return FALSE;
  object = self->tickets != NULL ? kefu_ticket_list_lookup (self->tickets, number) : NULL;
  if (object == NULL || kefu_ticket_object_get_priority (object) == priority)
    return FALSE;

  move_to_priority (self, number, priority);
  return TRUE;
}

static void
menu_ticket_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KefuBoard *self = KEFU_BOARD (widget);

  g_free (self->menu_number);
  self->menu_number = g_strdup (g_variant_get_string (parameter, NULL));
  /* The technicians for "Assign to", also when the side panel was never shown. */
  if (kefu_workload_panel_get_n_technicians (self->workload_panel) == 0 && is_supervisor (self))
    kefu_workload_panel_reload (self->workload_panel);
}

static void
set_priority_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KefuBoard *self = KEFU_BOARD (widget);

  move_to_priority (self, self->menu_number, g_variant_get_int32 (parameter));
}

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KefuBoard *self = KEFU_BOARD (widget);

  if (self->menu_number != NULL)
    kefu_workload_panel_assign (self->workload_panel, self->menu_number,
                                g_variant_get_int64 (parameter));
}

/* The technicians of the side panel, as the "Assign to" part of the cards' menu. */
static void
on_users_changed (KefuBoard *self)
{
  g_menu_remove_all (self->assign_menu);
  for (guint i = 0; i < kefu_workload_panel_get_n_technicians (self->workload_panel); i++)
    {
      const char *name = NULL;
      guint open = 0;
      gint64 id = kefu_workload_panel_get_technician (self->workload_panel, i, &name, &open);
      g_autoptr(GMenuItem) item = NULL;
      /* Translators: a technician and their open tickets in a card's menu, e.g.
       * "Zhao Lei (3 open)" */
      g_autofree char *label = g_strdup_printf (_("%s (%u open)"), name, open);

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "board.assign", g_variant_new_int64 (id));
      g_menu_append_item (self->assign_menu, item);
    }
}

KefuConnection *
kefu_board_get_connection (KefuBoard *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), NULL);

  return self->connection;
}

void
kefu_board_set_connection (KefuBoard      *self,
                           KefuConnection *connection)
{
  g_return_if_fail (KEFU_IS_BOARD (self));
  g_return_if_fail (connection == NULL || KEFU_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, update_board_actions, self);
  g_set_object (&self->connection, connection);
  if (connection != NULL)
    g_signal_connect_object (connection, "notify::role", G_CALLBACK (update_board_actions),
                             self, G_CONNECT_SWAPPED);
  kefu_workload_panel_set_connection (self->workload_panel, connection);
  update_board_actions (self);
}

gboolean
kefu_board_get_show_workload (KefuBoard *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), FALSE);

  return gtk_revealer_get_reveal_child (self->workload_revealer);
}

void
kefu_board_set_show_workload (KefuBoard *self,
                              gboolean   show)
{
  g_return_if_fail (KEFU_IS_BOARD (self));

  show = !!show;
  if (gtk_revealer_get_reveal_child (self->workload_revealer) == show)
    return;

  gtk_revealer_set_reveal_child (self->workload_revealer, show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_WORKLOAD]);
}

KefuWorkloadPanel *
kefu_board_get_workload_panel (KefuBoard *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), NULL);

  return self->workload_panel;
}

GtkDropTarget *
kefu_board_get_column_drop_target (KefuBoard *self,
                                   int        priority)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), NULL);
  g_return_val_if_fail (priority >= 1 && priority <= 4, NULL);

  return self->drop_targets[priority - 1];
}

KefuBoardColumn *
kefu_board_get_column (KefuBoard *self,
                       int        priority)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), NULL);
  g_return_val_if_fail (priority >= 1 && priority <= 4, NULL);

  return self->columns[priority - 1];
}

GListModel *
kefu_board_get_column_model (KefuBoard *self,
                             int        priority)
{
  g_return_val_if_fail (KEFU_IS_BOARD (self), NULL);
  g_return_val_if_fail (priority >= 1 && priority <= 4, NULL);

  return self->models[priority - 1];
}

static void
kefu_board_dispose (GObject *object)
{
  KefuBoard *self = KEFU_BOARD (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->models); i++)
    g_clear_object (&self->models[i]);
  if (self->tickets != NULL)
    g_signal_handlers_disconnect_by_data (self->tickets, self);
  g_clear_object (&self->tickets);
  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_func (self->filter, update_empty_texts, self);
  g_clear_object (&self->filter);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, update_board_actions, self);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (kefu_board_parent_class)->dispose (object);
}

static void
kefu_board_finalize (GObject *object)
{
  KefuBoard *self = KEFU_BOARD (object);

  g_clear_object (&self->sorter);
  g_clear_object (&self->assign_menu);
  g_clear_pointer (&self->menu_number, g_free);

  G_OBJECT_CLASS (kefu_board_parent_class)->finalize (object);
}

static void
kefu_board_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KefuBoard *self = KEFU_BOARD (object);

  switch (prop_id)
    {
    case PROP_TICKETS:
      g_value_set_object (value, self->tickets);
      break;

    case PROP_FILTER:
      g_value_set_object (value, self->filter);
      break;

    case PROP_SHOW_WORKLOAD:
      g_value_set_boolean (value, kefu_board_get_show_workload (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_board_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KefuBoard *self = KEFU_BOARD (object);

  switch (prop_id)
    {
    case PROP_TICKETS:
      kefu_board_set_tickets (self, g_value_get_object (value));
      break;

    case PROP_FILTER:
      kefu_board_set_filter (self, g_value_get_object (value));
      break;

    case PROP_SHOW_WORKLOAD:
      kefu_board_set_show_workload (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_board_class_init (KefuBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_board_dispose;
  object_class->finalize = kefu_board_finalize;
  object_class->get_property = kefu_board_get_property;
  object_class->set_property = kefu_board_set_property;

  properties[PROP_TICKETS] =
    g_param_spec_object ("tickets", NULL, NULL,
                         KEFU_TYPE_TICKET_LIST,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILTER] =
    g_param_spec_object ("filter", NULL, NULL,
                         GTK_TYPE_FILTER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SHOW_WORKLOAD] =
    g_param_spec_boolean ("show-workload", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KEFU_TYPE_BOARD_COLUMN);
  g_type_ensure (KEFU_TYPE_WORKLOAD_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kefu/Kefu/kefu-board.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuBoard, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuBoard, spinner);
  gtk_widget_class_bind_template_child_full (widget_class, "column1", FALSE,
                                             G_STRUCT_OFFSET (KefuBoard, columns[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "column2", FALSE,
                                             G_STRUCT_OFFSET (KefuBoard, columns[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "column3", FALSE,
                                             G_STRUCT_OFFSET (KefuBoard, columns[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "column4", FALSE,
                                             G_STRUCT_OFFSET (KefuBoard, columns[3]));
  gtk_widget_class_bind_template_child (widget_class, KefuBoard, workload_revealer);
  gtk_widget_class_bind_template_child (widget_class, KefuBoard, workload_panel);

  gtk_widget_class_install_action (widget_class, "board.menu-ticket", "s", menu_ticket_action);
  gtk_widget_class_install_action (widget_class, "board.set-priority", "i",
                                   set_priority_action);
  gtk_widget_class_install_action (widget_class, "board.assign", "x", assign_action);
}

static void
kefu_board_init (KefuBoard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_due_cb, NULL, NULL));
  update_empty_texts (self);
  update_loaded (self);

  /* Cards dropped on another column change priority. */
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    {
      GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING,
                                                   GDK_ACTION_COPY | GDK_ACTION_MOVE);

      g_object_set_data (G_OBJECT (target), "priority", GINT_TO_POINTER (i + 1));
      g_signal_connect (target, "drop", G_CALLBACK (on_column_drop), self);
      gtk_widget_add_controller (GTK_WIDGET (self->columns[i]), GTK_EVENT_CONTROLLER (target));
      self->drop_targets[i] = target;
    }

  self->assign_menu = g_menu_new ();
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    kefu_board_column_set_assign_menu (self->columns[i], G_MENU_MODEL (self->assign_menu));
  g_signal_connect_object (self->workload_panel, "users-changed", G_CALLBACK (on_users_changed),
                           self, G_CONNECT_SWAPPED);
  update_board_actions (self);
}
