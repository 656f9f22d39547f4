/* kefu-my-work.c — "My work": the signed-in technician's open tickets, nearest due first
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-my-work"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-board.h"
#include "kefu-my-work.h"
#include "kefu-permissions.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-filter.h"
#include "kefu-workflow.h"

struct _KefuMyWork
{
  AdwBin            parent_instance;

  KefuConnection   *connection;
  KefuTicketFilter *filter;
  GtkSorter        *sorter;
  GListModel       *model;
  GtkNoSelection   *selection;
  GCancellable     *cancellable;

  /* Template widgets */
  GtkStack         *stack;
  GtkLabel         *summary_label;
  GtkListView      *list_view;
};

G_DEFINE_FINAL_TYPE (KefuMyWork, kefu_my_work, ADW_TYPE_BIN)

static int
compare_due_cb (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return kefu_board_compare_due ((KefuTicketObject *) a, (KefuTicketObject *) b);
}

static void
update_summary (KefuMyWork *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  g_autofree char *text = NULL;

  /* Translators: the heading of "My work" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open ticket assigned to you",
                                       "%u open tickets assigned to you", n), n);
  gtk_label_set_text (self->summary_label, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

/* ---- rows --------------------------------------------------------------------------------- */

static void
update_row_buttons (GtkWidget *row)
{
  KefuMyWork *self = g_object_get_data (G_OBJECT (row), "my-work");
  KefuTicketObject *object = g_object_get_data (G_OBJECT (row), "ticket");
  GtkWidget *accept = g_object_get_data (G_OBJECT (row), "accept");
  GtkWidget *start = g_object_get_data (G_OBJECT (row), "start");
  KefuTicket *ticket = object != NULL ? kefu_ticket_object_get_ticket (object) : NULL;

  gtk_widget_set_visible (accept, ticket != NULL && self->connection != NULL &&
                          kefu_permissions_allow_for (self->connection, ticket,
                                                      KEFU_TICKET_ACTION_ACCEPT));
  gtk_widget_set_visible (start, ticket != NULL && self->connection != NULL &&
                          ticket->status != KEFU_STATUS_WAITING_CUSTOMER &&
                          ticket->status != KEFU_STATUS_WAITING_PARTS &&
                          kefu_permissions_allow_for (self->connection, ticket,
                                                      KEFU_TICKET_ACTION_START_WORK));
}

typedef struct {
  KefuMyWork *self;
  char       *done;
} Write;

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = kefu_workflow_write_finish (KEFU_CONNECTION (object), result,
                                                             &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = ticket != NULL ? g_strdup (write->done)
                                             : kefu_workflow_error_text (error);

      kefu_workflow_toast (GTK_WIDGET (write->self), text);
    }
  g_object_unref (write->self);
  g_free (write->done);
  g_free (write);
}

void
kefu_my_work_activate (KefuMyWork *self,
                       const char *number,
                       const char *what)
{
  KefuTicketObject *object;
  KefuTicket *ticket;
  g_autoptr(JsonNode) body = NULL;
  Write *write;

  g_return_if_fail (KEFU_IS_MY_WORK (self));
  g_return_if_fail (number != NULL && what != NULL);

  if (self->connection == NULL)
    return;
  object = kefu_ticket_list_lookup (kefu_connection_get_tickets (self->connection), number);
  if (object == NULL)
    return;
  ticket = kefu_ticket_object_get_ticket (object);

  write = g_new0 (Write, 1);
  write->self = g_object_ref (self);
  if (g_str_equal (what, "accept"))
    {
      /* Translators: a toast, e.g. "FW20261123001 accepted" */
      write->done = g_strdup_printf (_("%s accepted"), number);
      kefu_workflow_write_async (self->connection, "POST", number, "accept", ticket->version,
                                 NULL, self->cancellable, written_cb, write);
    }
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "in_progress");
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      /* Translators: a toast, e.g. "Work on FW20261123001 started" */
      write->done = g_strdup_printf (_("Work on %s started"), number);
      kefu_workflow_write_async (self->connection, "POST", number, "status", ticket->version,
                                 body, self->cancellable, written_cb, write);
    }
}

static void
on_row_button_clicked (GtkButton *button,
                       GtkWidget *row)
{
  KefuMyWork *self = g_object_get_data (G_OBJECT (row), "my-work");
  KefuTicketObject *object = g_object_get_data (G_OBJECT (row), "ticket");

  if (object != NULL)
    kefu_my_work_activate (self, kefu_ticket_object_get_number (object),
                           g_object_get_data (G_OBJECT (button), "what"));
}

static GtkWidget *
row_button (GtkWidget  *row,
            const char *label,
            const char *what,
            gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (button), "what", (gpointer) what);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect (button, "clicked", G_CALLBACK (on_row_button_clicked), row);
  return button;
}

static void
row_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           KefuMyWork               *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *card = kefu_ticket_card_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *accept = row_button (row, _("_Accept"), "accept", TRUE);
  GtkWidget *start = row_button (row, _("_Start Work"), "start-work", FALSE);

  gtk_widget_set_hexpand (card, TRUE);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  /* The same width on every row, with or without a button. */
  gtk_widget_set_size_request (buttons, 120, -1);
  gtk_box_append (GTK_BOX (buttons), accept);
  gtk_box_append (GTK_BOX (buttons), start);
  gtk_box_append (GTK_BOX (row), card);
  gtk_box_append (GTK_BOX (row), buttons);

  g_object_set_data (G_OBJECT (row), "my-work", self);
  g_object_set_data (G_OBJECT (row), "card", card);
  g_object_set_data (G_OBJECT (row), "accept", accept);
  g_object_set_data (G_OBJECT (row), "start", start);
  gtk_list_item_set_child (list_item, row);
}

static void
row_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          KefuMyWork               *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  KefuTicketObject *object = gtk_list_item_get_item (list_item);

  kefu_ticket_card_set_ticket (g_object_get_data (G_OBJECT (row), "card"), object);
  g_object_set_data_full (G_OBJECT (row), "ticket", g_object_ref (object), g_object_unref);
  g_signal_connect_object (object, "notify", G_CALLBACK (update_row_buttons), row,
                           G_CONNECT_SWAPPED);
  update_row_buttons (row);
}

static void
row_unbind (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            KefuMyWork               *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  KefuTicketObject *object = g_object_get_data (G_OBJECT (row), "ticket");

  if (object != NULL)
    g_signal_handlers_disconnect_by_func (object, update_row_buttons, row);
  kefu_ticket_card_set_ticket (g_object_get_data (G_OBJECT (row), "card"), NULL);
  g_object_set_data (G_OBJECT (row), "ticket", NULL);
}

static void
on_activate (KefuMyWork *self,
             guint       position)
{
  g_autoptr(KefuTicketObject) ticket = NULL;

  if (self->model == NULL)
    return;
  ticket = g_list_model_get_item (self->model, position);
  if (ticket != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-ticket", "s",
                                kefu_ticket_object_get_number (ticket));
}

/* ---- the model ---------------------------------------------------------------------------- */

static void
on_tickets_changed (KefuMyWork     *self,
                    guint           change,
                    KefuTicketList *tickets)
{
  if (change & KEFU_TICKET_CHANGE_DUE)
    gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
on_user_changed (KefuMyWork *self)
{
  kefu_ticket_filter_set_user_id (self->filter, kefu_connection_get_user_id (self->connection));
}

KefuConnection *
kefu_my_work_get_connection (KefuMyWork *self)
{
  g_return_val_if_fail (KEFU_IS_MY_WORK (self), NULL);

  return self->connection;
}

void
kefu_my_work_set_connection (KefuMyWork     *self,
                             KefuConnection *connection)
{
  KefuTicketList *tickets;
  g_autoptr(GtkFilterListModel) filtered = NULL;

  g_return_if_fail (KEFU_IS_MY_WORK (self));
  g_return_if_fail (KEFU_IS_CONNECTION (connection));
  g_return_if_fail (self->connection == NULL);

  self->connection = g_object_ref (connection);
  tickets = kefu_connection_get_tickets (connection);

  self->filter = kefu_ticket_filter_new (tickets);
  kefu_ticket_filter_set_scope (self->filter, KEFU_TICKET_SCOPE_MINE);
  kefu_ticket_filter_set_open_only (self->filter, TRUE);
  on_user_changed (self);
  g_signal_connect_object (connection, "notify::user-id", G_CALLBACK (on_user_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (tickets, "tickets-changed", G_CALLBACK (on_tickets_changed), self,
                           G_CONNECT_SWAPPED);

  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (tickets)),
                                        g_object_ref (GTK_FILTER (self->filter)));
  self->model = G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (g_steal_pointer (&filtered)),
                                                       g_object_ref (self->sorter)));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_summary), self,
                           G_CONNECT_SWAPPED);
  gtk_no_selection_set_model (self->selection, self->model);
  update_summary (self);
}

GListModel *
kefu_my_work_get_model (KefuMyWork *self)
{
  g_return_val_if_fail (KEFU_IS_MY_WORK (self), NULL);

  return self->model;
}

GtkWidget *
kefu_my_work_new (void)
{
  return g_object_new (KEFU_TYPE_MY_WORK, NULL);
}

static void
kefu_my_work_dispose (GObject *object)
{
  KefuMyWork *self = KEFU_MY_WORK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->selection != NULL)
    gtk_no_selection_set_model (self->selection, NULL);
  g_clear_object (&self->model);
  g_clear_object (&self->filter);
  g_clear_object (&self->connection);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_MY_WORK);

  G_OBJECT_CLASS (kefu_my_work_parent_class)->dispose (object);
}

static void
kefu_my_work_finalize (GObject *object)
{
  KefuMyWork *self = KEFU_MY_WORK (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->sorter);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (kefu_my_work_parent_class)->finalize (object);
}

static void
kefu_my_work_class_init (KefuMyWorkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_my_work_dispose;
  object_class->finalize = kefu_my_work_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kefu/Kefu/kefu-my-work.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuMyWork, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuMyWork, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KefuMyWork, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
kefu_my_work_init (KefuMyWork *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_due_cb, NULL, NULL));
  self->selection = gtk_no_selection_new (NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_summary (self);
}
