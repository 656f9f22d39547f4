/* kefu-tickets-view.c — every loaded ticket in a sortable table
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-tickets-view"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-board.h"
#include "kefu-ticker.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-filter.h"
#include "kefu-ticket-text.h"
#include "kefu-tickets-view.h"

typedef enum {
  CELL_NUMBER,
  CELL_PRIORITY,
  CELL_STATUS,
  CELL_CUSTOMER,
  CELL_CATEGORY,
  CELL_ASSIGNEE,
  CELL_REGISTERED,
  CELL_DUE,
  N_CELLS
} Cell;

/* State choices of the drop-down, in its order. */
enum {
  STATE_ALL,
  STATE_OPEN,
  STATE_CLOSED,
};

struct _KefuTicketsView
{
  AdwBin              parent_instance;

  KefuTicketList     *tickets;
  GtkFilter          *filter;          /* shared criteria, nullable */
  GtkCustomFilter    *state_filter;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkNoSelection     *selection;
  GtkSorter          *sorters[N_CELLS];
  KefuTicker         *ticker;

  /* Template widgets */
  GtkLabel           *count_label;
  GtkDropDown        *state_dropdown;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  GtkSpinner         *spinner;
  GtkColumnViewColumn *number_column;
  GtkColumnViewColumn *priority_column;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *customer_column;
  GtkColumnViewColumn *category_column;
  GtkColumnViewColumn *assignee_column;
  GtkColumnViewColumn *registered_column;
  GtkColumnViewColumn *due_column;
};

G_DEFINE_FINAL_TYPE (KefuTicketsView, kefu_tickets_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TICKETS,
  PROP_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- cells ------------------------------------------------------------------------------- */

static void
cell_update (GtkListItem *list_item)
{
  KefuTicketObject *t = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  Cell cell = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "kefu-cell"));
  g_autofree char *text = NULL;
  const char *css_class = NULL;

  if (t == NULL)
    return;

  switch (cell)
    {
    case CELL_NUMBER:
      gtk_label_set_text (label, kefu_ticket_object_get_number (t));
      break;

    case CELL_PRIORITY:
      gtk_label_set_text (label, kefu_text_priority (kefu_ticket_object_get_priority (t)));
      css_class = kefu_ticket_object_get_priority (t) == 1 ? "kefu-p1-text" : NULL;
      break;

    case CELL_STATUS:
      gtk_label_set_text (label, kefu_text_status (kefu_ticket_object_get_status (t)));
      break;

    case CELL_CUSTOMER:
      if (kefu_ticket_object_get_customer_phone (t) != NULL)
        /* Translators: a customer's name and masked phone in the ticket table */
        text = g_strdup_printf (_("%s  %s"), kefu_ticket_object_get_customer_name (t),
                                kefu_ticket_object_get_customer_phone (t));
      gtk_label_set_text (label, text != NULL ? text : kefu_ticket_object_get_customer_name (t));
      break;

    case CELL_CATEGORY:
      if (kefu_ticket_object_get_subcategory (t) != NULL
          && kefu_ticket_object_get_subcategory (t)[0] != '\0')
        text = g_strdup_printf (_("%s · %s"),
                                kefu_text_category (kefu_ticket_object_get_category (t)),
                                kefu_ticket_object_get_subcategory (t));
      gtk_label_set_text (label, text != NULL ? text
                                 : kefu_text_category (kefu_ticket_object_get_category (t)));
      break;

    case CELL_ASSIGNEE:
      if (kefu_ticket_object_get_assignee_name (t) != NULL)
        {
          gtk_label_set_text (label, kefu_ticket_object_get_assignee_name (t));
        }
      else
        {
          gtk_label_set_text (label, _("Unassigned"));
          css_class = "kefu-unassigned";
        }
      break;

    case CELL_REGISTERED:
      text = kefu_text_local_time (kefu_ticket_object_get_registered_at (t), FALSE);
      gtk_label_set_text (label, text);
      break;

    case CELL_DUE:
      {
        KefuTicker *ticker = kefu_ticker_get_default ();
        gint64 now = kefu_ticker_get_now (ticker);
        gint64 due = kefu_ticket_object_get_nearest_due (t);

        if (!kefu_ticket_object_get_is_open (t))
          {
            gtk_label_set_text (label, "—");
          }
        else if (kefu_ticket_object_get_paused (t))
          {
            gtk_label_set_text (label, C_("deadline", "Paused"));
            css_class = "kefu-paused-text";
          }
        else if (due == 0)
          {
            gtk_label_set_text (label, _("No deadline"));
          }
        else
          {
            static const char *classes[] = { "kefu-ok-text", "kefu-warning-text",
                                             "kefu-breached-text" };

            text = kefu_ticket_card_format_countdown (due - now, NULL);
            gtk_label_set_text (label, text);
            css_class = classes[kefu_ticket_object_get_sla_state_at (t, now)];
          }
      }
      break;

    case N_CELLS:
    default:
      g_assert_not_reached ();
    }

  {
    const char *old = g_object_get_data (G_OBJECT (label), "kefu-class");

    if (g_strcmp0 (old, css_class) != 0)
      {
        if (old != NULL)
          gtk_widget_remove_css_class (GTK_WIDGET (label), old);
        if (css_class != NULL)
          gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
        g_object_set_data (G_OBJECT (label), "kefu-class", (gpointer) css_class);
      }
  }
}

/* A due cell on screen counts down with the one ticker (rows kept off screen do not). */
static void
due_cell_map (GtkWidget   *label,
              GtkListItem *list_item)
{
  KefuTicker *ticker = kefu_ticker_get_default ();
  gulong handler;

  kefu_ticker_hold (ticker);
  handler = g_signal_connect_swapped (ticker, "tick", G_CALLBACK (cell_update), list_item);
  g_object_set_data (G_OBJECT (label), "kefu-tick", GSIZE_TO_POINTER (handler));
  cell_update (list_item);
}

static void
due_cell_unmap (GtkWidget   *label,
                GtkListItem *list_item)
{
  KefuTicker *ticker = kefu_ticker_get_default ();
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (label), "kefu-tick"));

  if (handler == 0)
    return;

  g_signal_handler_disconnect (ticker, handler);
  g_object_set_data (G_OBJECT (label), "kefu-tick", NULL);
  kefu_ticker_release (ticker);
}

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Cell cell = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  if (cell == CELL_DUE)
    {
      g_signal_connect (label, "map", G_CALLBACK (due_cell_map), list_item);
      g_signal_connect (label, "unmap", G_CALLBACK (due_cell_unmap), list_item);
    }

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (label), "kefu-cell", GINT_TO_POINTER (cell));
  if (cell == CELL_NUMBER || cell == CELL_REGISTERED || cell == CELL_DUE)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  KefuTicketObject *t = gtk_list_item_get_item (list_item);
  gulong handler;

  handler = g_signal_connect_swapped (t, "notify", G_CALLBACK (cell_update), list_item);
  g_object_set_data (G_OBJECT (list_item), "kefu-notify", GSIZE_TO_POINTER (handler));

  cell_update (list_item);
}

static void
cell_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  KefuTicketObject *t = gtk_list_item_get_item (list_item);
  gulong handler;

  handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "kefu-notify"));
  if (handler != 0 && t != NULL)
    g_signal_handler_disconnect (t, handler);
  g_object_set_data (G_OBJECT (list_item), "kefu-notify", NULL);
}

/* ---- sorting ----------------------------------------------------------------------------- */

static int
compare_strings (const char *a,
                 const char *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return g_utf8_collate (a, b);
}

static int
compare_ints (gint64 a,
              gint64 b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
compare_cells (gconstpointer item_a,
               gconstpointer item_b,
               gpointer      user_data)
{
  KefuTicketObject *a = (KefuTicketObject *) item_a;
  KefuTicketObject *b = (KefuTicketObject *) item_b;
  int result = 0;

  switch ((Cell) GPOINTER_TO_INT (user_data))
    {
    case CELL_NUMBER:
      break;

    case CELL_PRIORITY:
      result = compare_ints (kefu_ticket_object_get_priority (a),
                             kefu_ticket_object_get_priority (b));
      break;

    case CELL_STATUS:
      result = compare_ints (kefu_ticket_object_get_status (a), kefu_ticket_object_get_status (b));
      break;

    case CELL_CUSTOMER:
      result = compare_strings (kefu_ticket_object_get_customer_name (a),
                                kefu_ticket_object_get_customer_name (b));
      break;

    case CELL_CATEGORY:
      result = compare_ints (kefu_ticket_object_get_category (a),
                             kefu_ticket_object_get_category (b));
      if (result == 0)
        result = compare_strings (kefu_ticket_object_get_subcategory (a),
                                  kefu_ticket_object_get_subcategory (b));
      break;

    case CELL_ASSIGNEE:
      /* Unassigned last. */
      result = compare_strings (kefu_ticket_object_get_assignee_name (a),
                                kefu_ticket_object_get_assignee_name (b));
      break;

    case CELL_REGISTERED:
      result = compare_ints (kefu_ticket_object_get_registered_at (a),
                             kefu_ticket_object_get_registered_at (b));
      break;

    case CELL_DUE:
      return kefu_board_compare_due (a, b);

    case N_CELLS:
    default:
      g_assert_not_reached ();
    }

  if (result == 0)
    result = g_strcmp0 (kefu_ticket_object_get_number (a), kefu_ticket_object_get_number (b));

  return result;
}

/* Sort models do not watch their items: re-sort by what changed. */
static void
on_tickets_changed (KefuTicketsView *self,
                    guint            change)
{
  if (change & KEFU_TICKET_CHANGE_DUE)
    gtk_sorter_changed (self->sorters[CELL_DUE], GTK_SORTER_CHANGE_DIFFERENT);
  if (change & KEFU_TICKET_CHANGE_PRIORITY)
    gtk_sorter_changed (self->sorters[CELL_PRIORITY], GTK_SORTER_CHANGE_DIFFERENT);
  if (change & KEFU_TICKET_CHANGE_STATUS)
    {
      gtk_sorter_changed (self->sorters[CELL_STATUS], GTK_SORTER_CHANGE_DIFFERENT);
      if (gtk_drop_down_get_selected (self->state_dropdown) != STATE_ALL)
        gtk_filter_changed (GTK_FILTER (self->state_filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
  if (change & (KEFU_TICKET_CHANGE_TEXT | KEFU_TICKET_CHANGE_ASSIGNEE))
    {
      gtk_sorter_changed (self->sorters[CELL_CUSTOMER], GTK_SORTER_CHANGE_DIFFERENT);
      gtk_sorter_changed (self->sorters[CELL_ASSIGNEE], GTK_SORTER_CHANGE_DIFFERENT);
      gtk_sorter_changed (self->sorters[CELL_CATEGORY], GTK_SORTER_CHANGE_DIFFERENT);
    }
}

/* ---- filtering --------------------------------------------------------------------------- */

static gboolean
state_matches (gpointer item,
               gpointer user_data)
{
  KefuTicketsView *self = user_data;
  gboolean open = kefu_ticket_object_get_is_open (item);

  switch (gtk_drop_down_get_selected (self->state_dropdown))
    {
    case STATE_OPEN:
      return open;
    case STATE_CLOSED:
      return !open;
    case STATE_ALL:
    default:
      return TRUE;
    }
}

static void
on_state_selected (KefuTicketsView *self)
{
  if (self->state_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->state_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
update_count (KefuTicketsView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  guint all = self->tickets != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->tickets)) : 0;
  gboolean loaded = self->tickets == NULL || kefu_ticket_list_get_loaded (self->tickets);
  g_autofree char *text = NULL;

  if (shown == all)
    /* Translators: the number of tickets in the ticket table */
    text = g_strdup_printf (ngettext ("%u ticket", "%u tickets", all), all);
  else
    /* Translators: the number of tickets shown of those loaded, e.g. "12 of 60 tickets" */
    text = g_strdup_printf (ngettext ("%u of %u ticket", "%u of %u tickets", all), shown, all);
  gtk_label_set_text (self->count_label, text);

  gtk_spinner_set_spinning (self->spinner, !loaded);
  if (!loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->stack, shown > 0 ? "table" : "empty");
}

static void
rebuild (KefuTicketsView *self)
{
  GtkEveryFilter *every = gtk_every_filter_new ();

  gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (GTK_FILTER (self->state_filter)));
  if (self->filter != NULL)
    gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (self->filter));

  /* Not while the list loads (a spinner shows): one sort at the end, not one per page. */
  gtk_filter_list_model_set_model (self->filter_model,
                                   self->tickets != NULL
                                   && kefu_ticket_list_get_loaded (self->tickets)
                                   ? G_LIST_MODEL (self->tickets) : NULL);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (every));
  g_object_unref (every);

  update_count (self);
}

KefuTicketList *
kefu_tickets_view_get_tickets (KefuTicketsView *self)
{
  g_return_val_if_fail (KEFU_IS_TICKETS_VIEW (self), NULL);

  return self->tickets;
}

void
kefu_tickets_view_set_tickets (KefuTicketsView *self,
                               KefuTicketList  *tickets)
{
  g_return_if_fail (KEFU_IS_TICKETS_VIEW (self));
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
      g_signal_connect_object (tickets, "items-changed", G_CALLBACK (update_count),
                               self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKETS]);
}

GtkFilter *
kefu_tickets_view_get_filter (KefuTicketsView *self)
{
  g_return_val_if_fail (KEFU_IS_TICKETS_VIEW (self), NULL);

  return self->filter;
}

void
kefu_tickets_view_set_filter (KefuTicketsView *self,
                              GtkFilter       *filter)
{
  g_return_if_fail (KEFU_IS_TICKETS_VIEW (self));
  g_return_if_fail (filter == NULL || GTK_IS_FILTER (filter));

  if (g_set_object (&self->filter, filter))
    {
      rebuild (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
    }
}

GListModel *
kefu_tickets_view_get_model (KefuTicketsView *self)
{
  g_return_val_if_fail (KEFU_IS_TICKETS_VIEW (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

static void
on_activate (KefuTicketsView *self,
             guint            position)
{
  g_autoptr(KefuTicketObject) ticket = g_list_model_get_item (G_LIST_MODEL (self->sort_model),
                                                              position);

  if (ticket != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-ticket", "s",
                                kefu_ticket_object_get_number (ticket));
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
kefu_tickets_view_dispose (GObject *object)
{
  KefuTicketsView *self = KEFU_TICKETS_VIEW (object);

  /* The column view re-sorts as its columns go: do not listen any more. */
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_data (self->sort_model, self);
  if (self->tickets != NULL)
    g_signal_handlers_disconnect_by_data (self->tickets, self);
  g_clear_object (&self->tickets);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (kefu_tickets_view_parent_class)->dispose (object);
}

static void
kefu_tickets_view_finalize (GObject *object)
{
  KefuTicketsView *self = KEFU_TICKETS_VIEW (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->state_filter);
  for (guint i = 0; i < N_CELLS; i++)
    g_clear_object (&self->sorters[i]);

  G_OBJECT_CLASS (kefu_tickets_view_parent_class)->finalize (object);
}

static void
kefu_tickets_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KefuTicketsView *self = KEFU_TICKETS_VIEW (object);

  switch (prop_id)
    {
    case PROP_TICKETS:
      g_value_set_object (value, self->tickets);
      break;

    case PROP_FILTER:
      g_value_set_object (value, self->filter);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_tickets_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KefuTicketsView *self = KEFU_TICKETS_VIEW (object);

  switch (prop_id)
    {
    case PROP_TICKETS:
      kefu_tickets_view_set_tickets (self, g_value_get_object (value));
      break;

    case PROP_FILTER:
      kefu_tickets_view_set_filter (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_tickets_view_class_init (KefuTicketsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_tickets_view_dispose;
  object_class->finalize = kefu_tickets_view_finalize;
  object_class->get_property = kefu_tickets_view_get_property;
  object_class->set_property = kefu_tickets_view_set_property;

  properties[PROP_TICKETS] =
    g_param_spec_object ("tickets", NULL, NULL,
                         KEFU_TYPE_TICKET_LIST,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILTER] =
    g_param_spec_object ("filter", NULL, NULL,
                         GTK_TYPE_FILTER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-tickets-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, number_column);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, priority_column);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, status_column);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, customer_column);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, category_column);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, assignee_column);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, registered_column);
  gtk_widget_class_bind_template_child (widget_class, KefuTicketsView, due_column);
  gtk_widget_class_bind_template_callback (widget_class, on_state_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
kefu_tickets_view_init (KefuTicketsView *self)
{
  GtkColumnViewColumn *columns[N_CELLS];

  gtk_widget_init_template (GTK_WIDGET (self));

  columns[CELL_NUMBER] = self->number_column;
  columns[CELL_PRIORITY] = self->priority_column;
  columns[CELL_STATUS] = self->status_column;
  columns[CELL_CUSTOMER] = self->customer_column;
  columns[CELL_CATEGORY] = self->category_column;
  columns[CELL_ASSIGNEE] = self->assignee_column;
  columns[CELL_REGISTERED] = self->registered_column;
  columns[CELL_DUE] = self->due_column;

  for (guint i = 0; i < N_CELLS; i++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), GINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), GINT_TO_POINTER (i));
      gtk_column_view_column_set_factory (columns[i], factory);

      self->sorters[i] = GTK_SORTER (gtk_custom_sorter_new (compare_cells, GINT_TO_POINTER (i),
                                                            NULL));
      gtk_column_view_column_set_sorter (columns[i], self->sorters[i]);
    }

  self->state_filter = gtk_custom_filter_new (state_matches, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, NULL);
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->sort_model, "items-changed", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);

  gtk_column_view_sort_by_column (self->column_view, self->due_column, GTK_SORT_ASCENDING);
  rebuild (self);
}
