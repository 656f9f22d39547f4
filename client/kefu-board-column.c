/* kefu-board-column.c — one priority's column of the board
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-board-column"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-board-column.h"
#include "kefu-ticker.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-object.h"
#include "kefu-ticket-text.h"

struct _KefuBoardColumn
{
  AdwBin             parent_instance;

  int                priority;
  GListModel        *model;
  GtkSliceListModel *first_rows;
  guint              grow_tick;
  gboolean           first_frame_seen;
  GtkNoSelection    *selection;
  KefuTicker        *ticker;
  guint              overdue_idle;
  guint              n_overdue;
  char              *priority_class;
  GMenuModel        *assign_menu;

  /* Template widgets */
  GtkLabel          *badge_label;
  GtkLabel          *title_label;
  GtkLabel          *meaning_label;
  GtkLabel          *count_label;
  GtkLabel          *overdue_label;
  GtkStack          *stack;
  GtkListView       *list_view;
  GtkLabel          *empty_label;
};

G_DEFINE_FINAL_TYPE (KefuBoardColumn, kefu_board_column, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PRIORITY,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the priorities mean, short enough for a column header. */
static const char *
priority_meaning (int priority)
{
  switch (priority)
    {
    case 1:
      return _("Core use blocked");
    case 2:
      return _("Experience affected");
    case 3:
      return _("Questions and suggestions");
    case 4:
      return _("Non-urgent updates");
    default:
      return NULL;
    }
}

/* The model is sorted by the nearest due, soonest first and "no due" last, so the overdue
 * cards are a prefix: find its end by bisection. */
static guint
count_overdue (GListModel *model,
               gint64      now)
{
  guint low = 0;
  guint high = g_list_model_get_n_items (model);

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      g_autoptr(KefuTicketObject) ticket = g_list_model_get_item (model, mid);
      gint64 due = kefu_ticket_object_get_nearest_due (ticket);

      if (due != 0 && due <= now)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

static void
update_overdue (KefuBoardColumn *self)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (self->model != NULL)
    n = count_overdue (self->model, kefu_ticker_get_now (self->ticker));

  if (n == self->n_overdue && gtk_widget_get_visible (GTK_WIDGET (self->overdue_label)) == (n > 0))
    return;

  self->n_overdue = n;
  /* Translators: how many tickets of a board column are past a deadline */
  text = g_strdup_printf (ngettext ("%u overdue", "%u overdue", n), n);
  gtk_label_set_text (self->overdue_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->overdue_label), n > 0);
}

static gboolean
update_overdue_idle (gpointer user_data)
{
  KefuBoardColumn *self = user_data;

  self->overdue_idle = 0;
  update_overdue (self);
  return G_SOURCE_REMOVE;
}

static void
update_count (KefuBoardColumn *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  g_autofree char *text = g_strdup_printf ("%u", n);
  g_autofree char *tooltip = NULL;

  gtk_label_set_text (self->count_label, text);
  /* Translators: the tooltip of a board column's ticket count */
  tooltip = g_strdup_printf (ngettext ("%u ticket", "%u tickets", n), n);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), tooltip);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  if (self->overdue_idle == 0)
    self->overdue_idle = g_idle_add (update_overdue_idle, self);
}

static void
on_items_changed (KefuBoardColumn *self)
{
  update_count (self);
}

/* ---- dragging and the context menu -------------------------------------------------------- */

/* A card carries its ticket number. */
static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *card)
{
  KefuTicketObject *ticket = kefu_ticket_card_get_ticket (KEFU_TICKET_CARD (card));

  if (ticket == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, kefu_ticket_object_get_number (ticket));
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *card)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (card);

  gtk_drag_source_set_icon (source, paintable, 16, 16);
  gtk_widget_add_css_class (card, "kefu-dragged");
}

static void
on_drag_end (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             GtkWidget     *card)
{
  gtk_widget_remove_css_class (card, "kefu-dragged");
}

static void
on_popover_closed (GtkWidget *popover)
{
  gtk_widget_unparent (popover);
}

void
kefu_board_column_popup_menu (KefuBoardColumn *self,
                              GtkWidget       *card)
{
  KefuTicketObject *ticket;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();
  g_autoptr(GMenu) priorities = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;
  const char *number;
  GtkWidget *popover;

  g_return_if_fail (KEFU_IS_BOARD_COLUMN (self));
  g_return_if_fail (KEFU_IS_TICKET_CARD (card));

  ticket = kefu_ticket_card_get_ticket (KEFU_TICKET_CARD (card));
  if (ticket == NULL)
    return;
  number = kefu_ticket_object_get_number (ticket);
  gtk_widget_activate_action (GTK_WIDGET (self), "board.menu-ticket", "s", number);

  item = g_menu_item_new (_("_Open Ticket"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.open-ticket",
                                           g_variant_new_string (number));
  g_menu_append_item (open, item);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));

  for (int p = 1; p <= 4; p++)
    {
      g_autoptr(GMenuItem) move = NULL;
      g_autofree char *label = NULL;

      if (p == kefu_ticket_object_get_priority (ticket))
        continue;
      /* Translators: a card's menu item, e.g. "Move to P1 · Urgent…" */
      label = g_strdup_printf (_("Move to %s…"), kefu_text_priority (p));
      move = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (move, "board.set-priority",
                                               g_variant_new_int32 (p));
      g_menu_item_set_attribute (move, "hidden-when", "s", "action-disabled");
      g_menu_append_item (priorities, move);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (priorities));

  if (self->assign_menu != NULL &&
      kefu_ticket_object_get_is_open (ticket))
    {
      g_autoptr(GMenu) assign = g_menu_new ();

      g_menu_append_submenu (assign, _("_Assign To"), self->assign_menu);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (assign));
    }

  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, card);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), TRUE);
  g_signal_connect (popover, "closed", G_CALLBACK (on_popover_closed), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
on_card_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkWidget       *card)
{
  GtkWidget *column = gtk_widget_get_ancestor (card, KEFU_TYPE_BOARD_COLUMN);

  if (column == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  kefu_board_column_popup_menu (KEFU_BOARD_COLUMN (column), card);
}

/* Menu or Shift+F10 on the focused card. */
static gboolean
on_menu_key (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  KefuBoardColumn *self = user_data;
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (self->list_view));
  GtkWidget *card = focus != NULL ? gtk_widget_get_first_child (focus) : NULL;

  if (card == NULL || !KEFU_IS_TICKET_CARD (card))
    return FALSE;
  kefu_board_column_popup_menu (self, card);
  return TRUE;
}

void
kefu_board_column_set_assign_menu (KefuBoardColumn *self,
                                   GMenuModel      *menu)
{
  g_return_if_fail (KEFU_IS_BOARD_COLUMN (self));

  g_set_object (&self->assign_menu, menu);
}

/* A signal factory rather than a builder one: GTK 4.8 keeps up to 200 rows per list view, and
 * parsing a builder snippet for each of them adds up with 20,000 tickets. */
static void
card_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item)
{
  GtkWidget *card = kefu_ticket_card_new ();
  GtkDragSource *source = gtk_drag_source_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), card);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), card);
  g_signal_connect (source, "drag-end", G_CALLBACK (on_drag_end), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (source));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_card_pressed), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (click));

  gtk_list_item_set_child (list_item, card);
}

static void
card_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  kefu_ticket_card_set_ticket (KEFU_TICKET_CARD (gtk_list_item_get_child (list_item)),
                               gtk_list_item_get_item (list_item));
}

static void
card_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item)
{
  kefu_ticket_card_set_ticket (KEFU_TICKET_CARD (gtk_list_item_get_child (list_item)), NULL);
}

static void
on_list_activate (KefuBoardColumn *self,
                  guint            position)
{
  g_autoptr(KefuTicketObject) ticket = NULL;

  if (self->model == NULL)
    return;

  ticket = g_list_model_get_item (self->model, position);
  if (ticket == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-ticket", "s",
                              kefu_ticket_object_get_number (ticket));
}

int
kefu_board_column_get_priority (KefuBoardColumn *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD_COLUMN (self), 0);

  return self->priority;
}

void
kefu_board_column_set_priority (KefuBoardColumn *self,
                                int              priority)
{
  g_autofree char *badge = NULL;
  g_autofree char *priority_class = NULL;
  g_autofree char *tooltip = NULL;

  g_return_if_fail (KEFU_IS_BOARD_COLUMN (self));
  g_return_if_fail (priority >= 1 && priority <= 4);

  if (self->priority == priority)
    return;

  self->priority = priority;

  /* Translators: the priority badge of a board column, P1 … P4 */
  badge = g_strdup_printf (_("P%d"), priority);
  gtk_label_set_text (self->badge_label, badge);
  gtk_label_set_text (self->title_label, kefu_text_priority_name (priority));
  gtk_label_set_text (self->meaning_label, priority_meaning (priority));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->meaning_label),
                               kefu_text_priority_meaning (priority));

  priority_class = g_strdup_printf ("kefu-priority-%d", priority);
  if (self->priority_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->priority_class);
  gtk_widget_add_css_class (GTK_WIDGET (self), priority_class);
  g_free (self->priority_class);
  self->priority_class = g_steal_pointer (&priority_class);

  /* Translators: the accessible name of a board column, e.g. "P1 Urgent" */
  tooltip = g_strdup_printf (_("%s %s"), badge, kefu_text_priority_name (priority));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

GListModel *
kefu_board_column_get_model (KefuBoardColumn *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD_COLUMN (self), NULL);

  return self->model;
}

/* The first screen first. GTK 4.8's list view makes, binds and measures up to 200 rows (not
 * just the visible ones) as soon as it gets a model: ~0.4 s for the four columns of a loaded
 * board, all in the frame that first shows it (bench-board-load). So the list view is shown
 * only the first FIRST_ROWS items of a new model — more than a screen of cards — in the first
 * frame the column is drawn in, and GROW_ROWS more in each frame after that until it shows the
 * whole model: the board is drawn populated sooner, and the rows below the screen come in
 * frames short enough not to be a stall. The count, the overdue figure and activation read the
 * whole model, whose positions are the same. */
#define FIRST_ROWS 24
#define GROW_ROWS  16
#define LAST_ROWS  240 /* past GTK 4.8's 200 rows, more rows cost nothing: all at once */

static gboolean
grow_tick_cb (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  KefuBoardColumn *self = KEFU_BOARD_COLUMN (widget);
  guint size;

  /* The first tick comes before the short list is laid out and drawn: wait for the next. */
  if (!self->first_frame_seen)
    {
      self->first_frame_seen = TRUE;
      return G_SOURCE_CONTINUE;
    }

  size = gtk_slice_list_model_get_size (self->first_rows) + GROW_ROWS;
  if (size < LAST_ROWS)
    {
      gtk_slice_list_model_set_size (self->first_rows, size);
      return G_SOURCE_CONTINUE;
    }

  self->grow_tick = 0;
  gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);
  return G_SOURCE_REMOVE;
}

/* From the first frame the column is drawn in (which may be later, when it is shown). */
static void
show_first_rows (KefuBoardColumn *self)
{
  if (self->grow_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->grow_tick);
  self->grow_tick = 0;

  if (self->model == NULL || g_list_model_get_n_items (self->model) <= FIRST_ROWS)
    {
      gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);
      return;
    }

  gtk_slice_list_model_set_size (self->first_rows, FIRST_ROWS);
  self->first_frame_seen = FALSE;
  self->grow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), grow_tick_cb, NULL, NULL);
}

void
kefu_board_column_set_model (KefuBoardColumn *self,
                             GListModel      *model)
{
  g_return_if_fail (KEFU_IS_BOARD_COLUMN (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed), self,
                             G_CONNECT_SWAPPED);

  gtk_slice_list_model_set_model (self->first_rows, model);
  show_first_rows (self);
  update_count (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
kefu_board_column_set_empty_text (KefuBoardColumn *self,
                                  const char      *text)
{
  g_return_if_fail (KEFU_IS_BOARD_COLUMN (self));

  gtk_label_set_text (self->empty_label, text);
}

GtkListView *
kefu_board_column_get_list_view (KefuBoardColumn *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD_COLUMN (self), NULL);

  return self->list_view;
}

guint
kefu_board_column_get_n_overdue (KefuBoardColumn *self)
{
  g_return_val_if_fail (KEFU_IS_BOARD_COLUMN (self), 0);

  return self->n_overdue;
}

static void
kefu_board_column_dispose (GObject *object)
{
  KefuBoardColumn *self = KEFU_BOARD_COLUMN (object);

  g_clear_handle_id (&self->overdue_idle, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (kefu_board_column_parent_class)->dispose (object);
}

static void
kefu_board_column_finalize (GObject *object)
{
  KefuBoardColumn *self = KEFU_BOARD_COLUMN (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->first_rows);
  g_clear_object (&self->ticker);
  g_clear_object (&self->assign_menu);
  g_free (self->priority_class);

  G_OBJECT_CLASS (kefu_board_column_parent_class)->finalize (object);
}

static void
kefu_board_column_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KefuBoardColumn *self = KEFU_BOARD_COLUMN (object);

  switch (prop_id)
    {
    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_board_column_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KefuBoardColumn *self = KEFU_BOARD_COLUMN (object);

  switch (prop_id)
    {
    case PROP_PRIORITY:
      kefu_board_column_set_priority (self, g_value_get_int (value));
      break;

    case PROP_MODEL:
      kefu_board_column_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_board_column_class_init (KefuBoardColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_board_column_dispose;
  object_class->finalize = kefu_board_column_finalize;
  object_class->get_property = kefu_board_column_get_property;
  object_class->set_property = kefu_board_column_set_property;

  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL,
                      0, 4, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KEFU_TYPE_TICKET_CARD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-board-column.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, badge_label);
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, title_label);
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, meaning_label);
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, count_label);
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, list_view);
  gtk_widget_class_bind_template_child (widget_class, KefuBoardColumn, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
}

static void
kefu_board_column_init (KefuBoardColumn *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->ticker = g_object_ref (kefu_ticker_get_default ());
  g_signal_connect_object (self->ticker, "tick", G_CALLBACK (update_overdue), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (card_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (card_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (card_unbind), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  self->first_rows = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->first_rows)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_count (self);

  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();
    GtkShortcutTrigger *trigger;

    trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                           gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                   GDK_SHIFT_MASK));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (trigger,
                                                            gtk_callback_action_new (on_menu_key,
                                                                                     self,
                                                                                     NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self->list_view), shortcuts);
  }
}
