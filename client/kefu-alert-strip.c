/* kefu-alert-strip.c — the strip across the window for unacknowledged alerts
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-alert-strip"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-alert-strip.h"
#include "kefu-alerts-page.h"

struct _KefuAlertStrip
{
  AdwBin           parent_instance;

  KefuAlertList   *alerts;
  KefuAlertObject *alert;     /* the one shown */

  /* Template widgets */
  GtkRevealer     *revealer;
  GtkWidget       *bar;
  GtkImage        *icon;
  GtkLabel        *title_label;
  GtkLabel        *text_label;
  GtkLabel        *more_label;
  GtkWidget       *open_button;
  GtkWidget       *ack_button;
};

G_DEFINE_FINAL_TYPE (KefuAlertStrip, kefu_alert_strip, ADW_TYPE_BIN)

static void
update (KefuAlertStrip *self)
{
  KefuAlertObject *alert = NULL;
  guint n_open = 0;

  if (self->alerts != NULL)
    {
      alert = kefu_alert_list_get_most_urgent (self->alerts);
      n_open = kefu_alert_list_get_n_open (self->alerts);
    }
  g_set_object (&self->alert, alert);

  /* Leave the words in place while it slides away. */
  gtk_revealer_set_reveal_child (self->revealer, alert != NULL);
  if (alert == NULL)
    return;

  if (kefu_alert_object_is_serious (alert))
    {
      gtk_widget_add_css_class (self->bar, "kefu-alert-strip-serious");
      gtk_widget_remove_css_class (self->bar, "kefu-alert-strip-warning");
    }
  else
    {
      gtk_widget_add_css_class (self->bar, "kefu-alert-strip-warning");
      gtk_widget_remove_css_class (self->bar, "kefu-alert-strip-serious");
    }

  {
    /* Translators: what happened, and whom it reached: "Overdue · Level 1 · for supervisors" */
    g_autofree char *title = g_strdup_printf (C_("alert strip", "%s · %s"),
                                              kefu_alert_object_get_kind_text (alert),
                                              kefu_alert_object_get_level_text (alert));
    g_autofree char *text = kefu_alert_object_dup_headline (alert);

    gtk_label_set_text (self->title_label, title);
    gtk_label_set_text (self->text_label, text);
  }

  if (n_open > 1)
    {
      /* Translators: how many other alerts are waiting besides the one shown */
      g_autofree char *more = g_strdup_printf (ngettext ("%u more", "%u more", n_open - 1),
                                               n_open - 1);

      gtk_label_set_text (self->more_label, more);
      gtk_widget_set_visible (GTK_WIDGET (self->more_label), TRUE);
    }
  else
    {
      gtk_label_set_text (self->more_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->more_label), FALSE);
    }

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->open_button),
                                          g_variant_new_string (
                                            kefu_alert_object_get_number (alert)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "win.open-ticket");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->ack_button),
                                          g_variant_new_int64 (kefu_alert_object_get_id (alert)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->ack_button), "win.ack-alert");
}

void
kefu_alert_strip_set_alerts (KefuAlertStrip *self,
                             KefuAlertList  *alerts)
{
  g_return_if_fail (KEFU_IS_ALERT_STRIP (self));
  g_return_if_fail (alerts == NULL || KEFU_IS_ALERT_LIST (alerts));

  if (self->alerts == alerts)
    return;

  if (self->alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->alerts, self);
  g_set_object (&self->alerts, alerts);
  if (alerts != NULL)
    {
      g_signal_connect_object (alerts, "notify::n-open", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (alerts, "items-changed", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }

  update (self);
}

gboolean
kefu_alert_strip_get_revealed (KefuAlertStrip *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_STRIP (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

KefuAlertObject *
kefu_alert_strip_get_alert (KefuAlertStrip *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_STRIP (self), NULL);

  return self->alert;
}

const char *
kefu_alert_strip_get_text (KefuAlertStrip *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_STRIP (self), NULL);

  return gtk_label_get_text (self->text_label);
}

const char *
kefu_alert_strip_get_more_text (KefuAlertStrip *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_STRIP (self), NULL);

  return gtk_label_get_text (self->more_label);
}

static void
kefu_alert_strip_dispose (GObject *object)
{
  KefuAlertStrip *self = KEFU_ALERT_STRIP (object);

  if (self->alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->alerts, self);
  g_clear_object (&self->alerts);
  g_clear_object (&self->alert);

  G_OBJECT_CLASS (kefu_alert_strip_parent_class)->dispose (object);
}

static void
kefu_alert_strip_class_init (KefuAlertStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_alert_strip_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-alert-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, revealer);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, bar);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, icon);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, title_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, text_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, more_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, open_button);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertStrip, ack_button);
}

static void
kefu_alert_strip_init (KefuAlertStrip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kefu_alerts_page_ensure_style ();
  update (self);
}
