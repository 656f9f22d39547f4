/* kefu-alerts-page.c — the Alerts page: open and acknowledged alerts
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-alerts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-alert-row.h"
#include "kefu-alerts-page.h"

struct _KefuAlertsPage
{
  AdwBin              parent_instance;

  KefuAlertList      *alerts;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;

  /* Template widgets */
  GtkToggleButton    *open_toggle;
  GtkToggleButton    *acked_toggle;
  GtkStack           *stack;
  GtkListView        *list_view;

  guint               show_acked : 1;
};

G_DEFINE_FINAL_TYPE (KefuAlertsPage, kefu_alerts_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOW_ACKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
kefu_alerts_page_ensure_style (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/org/kefu/Kefu/kefu-alerts.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&done, 1);
    }
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  KefuAlertsPage *self = user_data;

  return kefu_alert_object_get_acked (item) == self->show_acked;
}

static void
update_stack (KefuAlertsPage *self)
{
  const char *name;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    name = "list";
  else
    name = self->show_acked ? "empty-acked" : "empty-open";
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
update_counts (KefuAlertsPage *self)
{
  guint n = self->alerts != NULL ? kefu_alert_list_get_n_open (self->alerts) : 0;
  g_autofree char *label = NULL;

  if (n > 0)
    /* Translators: the section of open alerts, and how many there are */
    label = g_strdup_printf (C_("alerts shown", "Open (%u)"), n);
  else
    label = g_strdup (C_("alerts shown", "Open"));
  gtk_button_set_label (GTK_BUTTON (self->open_toggle), label);
}

static void
on_n_open_changed (KefuAlertsPage *self)
{
  /* An alert was acknowledged (or one came back): it changes section. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_counts (self);
  update_stack (self);
}

static void
on_section_toggled (KefuAlertsPage *self)
{
  kefu_alerts_page_set_show_acked (self, !gtk_toggle_button_get_active (self->open_toggle));
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, kefu_alert_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  kefu_alert_row_set_alert (KEFU_ALERT_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  kefu_alert_row_set_alert (KEFU_ALERT_ROW (gtk_list_item_get_child (item)), NULL);
}

void
kefu_alerts_page_set_alerts (KefuAlertsPage *self,
                             KefuAlertList  *alerts)
{
  g_return_if_fail (KEFU_IS_ALERTS_PAGE (self));
  g_return_if_fail (alerts == NULL || KEFU_IS_ALERT_LIST (alerts));

  if (self->alerts == alerts)
    return;

  if (self->alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->alerts, self);
  g_set_object (&self->alerts, alerts);
  if (alerts != NULL)
    g_signal_connect_object (alerts, "notify::n-open", G_CALLBACK (on_n_open_changed), self,
                             G_CONNECT_SWAPPED);

  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (alerts));
  on_n_open_changed (self);
}

gboolean
kefu_alerts_page_get_show_acked (KefuAlertsPage *self)
{
  g_return_val_if_fail (KEFU_IS_ALERTS_PAGE (self), FALSE);

  return self->show_acked;
}

void
kefu_alerts_page_set_show_acked (KefuAlertsPage *self,
                                 gboolean        show_acked)
{
  g_return_if_fail (KEFU_IS_ALERTS_PAGE (self));

  show_acked = !!show_acked;
  if (self->show_acked == show_acked)
    return;

  self->show_acked = show_acked;
  gtk_toggle_button_set_active (show_acked ? self->acked_toggle : self->open_toggle, TRUE);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ACKED]);
}

GListModel *
kefu_alerts_page_get_model (KefuAlertsPage *self)
{
  g_return_val_if_fail (KEFU_IS_ALERTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

static void
kefu_alerts_page_dispose (GObject *object)
{
  KefuAlertsPage *self = KEFU_ALERTS_PAGE (object);

  if (self->alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->alerts, self);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_ALERTS_PAGE);
  g_clear_object (&self->filtered);
  g_clear_object (&self->alerts);

  G_OBJECT_CLASS (kefu_alerts_page_parent_class)->dispose (object);
}

static void
kefu_alerts_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KefuAlertsPage *self = KEFU_ALERTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOW_ACKED:
      g_value_set_boolean (value, self->show_acked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_alerts_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KefuAlertsPage *self = KEFU_ALERTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOW_ACKED:
      kefu_alerts_page_set_show_acked (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_alerts_page_class_init (KefuAlertsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_alerts_page_dispose;
  object_class->get_property = kefu_alerts_page_get_property;
  object_class->set_property = kefu_alerts_page_set_property;

  properties[PROP_SHOW_ACKED] =
    g_param_spec_boolean ("show-acked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-alerts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuAlertsPage, open_toggle);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertsPage, acked_toggle);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertsPage, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_section_toggled);
}

static void
kefu_alerts_page_init (KefuAlertsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  kefu_alerts_page_ensure_style ();

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_stack), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  update_counts (self);
  update_stack (self);
}
