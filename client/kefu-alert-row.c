/* kefu-alert-row.c — one alert on the Alerts page
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-alert-row"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-alert-row.h"
#include "kefu-ticker.h"
#include "kefu-ticket-text.h"

struct _KefuAlertRow
{
  AdwBin           parent_instance;

  KefuAlertObject *alert;
  KefuTicker      *ticker;

  /* Template widgets */
  GtkLabel        *priority_label;
  GtkLabel        *number_label;
  GtkLabel        *kind_label;
  GtkLabel        *level_label;
  GtkLabel        *headline_label;
  GtkLabel        *meta_label;
  GtkWidget       *open_button;
  GtkWidget       *ack_button;
};

G_DEFINE_FINAL_TYPE (KefuAlertRow, kefu_alert_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ALERT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *priority_classes[] = {
  "kefu-priority-1", "kefu-priority-2", "kefu-priority-3", "kefu-priority-4",
};

static char *
meta_text (KefuAlertObject *alert,
           gint64           now)
{
  g_autofree char *raised = NULL;
  g_autofree char *due = NULL;
  const char *clock = kefu_alert_object_get_clock_text (alert);
  GString *text = g_string_new (NULL);

  raised = kefu_text_relative_time (kefu_alert_object_get_created_at (alert), now);
  due = kefu_text_local_time (kefu_alert_object_get_due_at (alert), FALSE);

  if (kefu_alert_object_get_acked (alert))
    {
      g_autofree char *acked = kefu_text_local_time (kefu_alert_object_get_acked_at (alert),
                                                     FALSE);
      const char *by = kefu_alert_object_get_acked_by (alert);

      if (by != NULL)
        /* Translators: who acknowledged an alert, and when */
        g_string_append_printf (text, _("Acknowledged by %s at %s"), by, acked);
      else
        /* Translators: when an alert was acknowledged */
        g_string_append_printf (text, _("Acknowledged at %s"), acked);
      g_string_append (text, " · ");
    }

  if (clock != NULL && due != NULL)
    {
      /* Translators: a deadline's name ("First response") and when it was due */
      g_string_append_printf (text, _("%s due at %s"), clock, due);
      g_string_append (text, " · ");
    }

  if (raised != NULL)
    /* Translators: when an alert was raised ("5 min ago", "yesterday 17:05") */
    g_string_append_printf (text, _("raised %s"), raised);

  return g_string_free (text, FALSE);
}

/* "raised 5 min ago" moves with the one ticker while the row is on screen; the label is set
 * again only when its words change (once a minute at most, though the ticker may tick every
 * second for a countdown elsewhere). */
static void
update_meta (KefuAlertRow *self)
{
  g_autofree char *meta = NULL;

  if (self->alert == NULL)
    return;

  meta = meta_text (self->alert, kefu_ticker_get_now (self->ticker));
  if (g_strcmp0 (gtk_label_get_text (self->meta_label), meta) != 0)
    gtk_label_set_text (self->meta_label, meta);
}

static void
update (KefuAlertRow *self)
{
  KefuAlertObject *alert = self->alert;
  g_autofree char *priority = NULL;
  g_autofree char *headline = NULL;
  GtkWidget *widget = GTK_WIDGET (self);
  int p;

  for (guint i = 0; i < G_N_ELEMENTS (priority_classes); i++)
    gtk_widget_remove_css_class (widget, priority_classes[i]);

  if (alert == NULL)
    return;

  p = kefu_alert_object_get_priority (alert);
  if (p >= 1 && p <= 4)
    gtk_widget_add_css_class (widget, priority_classes[p - 1]);
  priority = g_strdup_printf ("P%d", p);
  gtk_label_set_text (self->priority_label, priority);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->priority_label), kefu_text_priority (p));
  gtk_label_set_text (self->number_label, kefu_alert_object_get_number (alert));
  gtk_label_set_text (self->kind_label, kefu_alert_object_get_kind_text (alert));
  gtk_label_set_text (self->level_label, kefu_alert_object_get_level_text (alert));

  headline = kefu_alert_object_dup_headline (alert);
  gtk_label_set_text (self->headline_label, headline);
  update_meta (self);

  if (kefu_alert_object_is_serious (alert))
    {
      gtk_widget_add_css_class (widget, "kefu-alert-serious");
      gtk_widget_remove_css_class (widget, "kefu-alert-warning");
    }
  else
    {
      gtk_widget_add_css_class (widget, "kefu-alert-warning");
      gtk_widget_remove_css_class (widget, "kefu-alert-serious");
    }

  if (kefu_alert_object_get_acked (alert))
    gtk_widget_add_css_class (widget, "kefu-alert-acked");
  else
    gtk_widget_remove_css_class (widget, "kefu-alert-acked");

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->open_button),
                                          g_variant_new_string (
                                            kefu_alert_object_get_number (alert)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "win.open-ticket");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->ack_button),
                                          g_variant_new_int64 (kefu_alert_object_get_id (alert)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->ack_button), "win.ack-alert");
  gtk_widget_set_visible (self->ack_button, !kefu_alert_object_get_acked (alert));
}

GtkWidget *
kefu_alert_row_new (void)
{
  return g_object_new (KEFU_TYPE_ALERT_ROW, NULL);
}

KefuAlertObject *
kefu_alert_row_get_alert (KefuAlertRow *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_ROW (self), NULL);

  return self->alert;
}

void
kefu_alert_row_set_alert (KefuAlertRow    *self,
                          KefuAlertObject *alert)
{
  g_return_if_fail (KEFU_IS_ALERT_ROW (self));
  g_return_if_fail (alert == NULL || KEFU_IS_ALERT_OBJECT (alert));

  if (self->alert == alert)
    return;

  if (self->alert != NULL)
    g_signal_handlers_disconnect_by_data (self->alert, self);
  g_set_object (&self->alert, alert);
  if (alert != NULL)
    g_signal_connect_object (alert, "notify::acked", G_CALLBACK (update), self,
                             G_CONNECT_SWAPPED);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERT]);
}

const char *
kefu_alert_row_get_headline_text (KefuAlertRow *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_ROW (self), NULL);

  return gtk_label_get_text (self->headline_label);
}

const char *
kefu_alert_row_get_meta_text (KefuAlertRow *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_ROW (self), NULL);

  return gtk_label_get_text (self->meta_label);
}

gboolean
kefu_alert_row_get_can_acknowledge (KefuAlertRow *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_ROW (self), FALSE);

  return gtk_widget_get_visible (self->ack_button);
}

static void
kefu_alert_row_dispose (GObject *object)
{
  KefuAlertRow *self = KEFU_ALERT_ROW (object);

  if (self->alert != NULL)
    g_signal_handlers_disconnect_by_data (self->alert, self);
  g_clear_object (&self->alert);
  g_clear_object (&self->ticker);

  G_OBJECT_CLASS (kefu_alert_row_parent_class)->dispose (object);
}

static void
kefu_alert_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KefuAlertRow *self = KEFU_ALERT_ROW (object);

  switch (prop_id)
    {
    case PROP_ALERT:
      g_value_set_object (value, self->alert);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_alert_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KefuAlertRow *self = KEFU_ALERT_ROW (object);

  switch (prop_id)
    {
    case PROP_ALERT:
      kefu_alert_row_set_alert (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_alert_row_class_init (KefuAlertRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_alert_row_dispose;
  object_class->get_property = kefu_alert_row_get_property;
  object_class->set_property = kefu_alert_row_set_property;

  properties[PROP_ALERT] =
    g_param_spec_object ("alert", NULL, NULL,
                         KEFU_TYPE_ALERT_OBJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kefu/Kefu/kefu-alert-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, priority_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, level_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, headline_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, KefuAlertRow, ack_button);
  gtk_widget_class_set_css_name (widget_class, "kefualertrow");
}

static void
kefu_alert_row_init (KefuAlertRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A row on screen says "raised 5 min ago" from the one ticker; a row the list view keeps
   * off screen, or recycles for another alert, does not tick (set_alert() updates it). */
  self->ticker = g_object_ref (kefu_ticker_get_default ());
  kefu_ticker_follow_mapped (self->ticker, GTK_WIDGET (self), G_CALLBACK (update_meta));
}
