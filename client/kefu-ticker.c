/* kefu-ticker.c — the one timer that moves every visible countdown
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-ticker"

#include "config.h"

#include "kefu-ticker.h"

struct _KefuTicker
{
  GObject  parent_instance;

  gint64   now;
  gint64   offset;      /* tests only: added to the real time */
  guint    n_holders;
  guint    n_seconds;
  guint    source;
  gboolean source_every_second;
};

G_DEFINE_FINAL_TYPE (KefuTicker, kefu_ticker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NOW,
  N_PROPS
};

enum {
  TICK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void arm (KefuTicker *self);

/* The time "now" stands for: the real one, moved by tests only. */
static gint64
real_now (KefuTicker *self)
{
  return g_get_real_time () + self->offset;
}

static gboolean
tick_cb (gpointer user_data)
{
  KefuTicker *self = user_data;

  self->source = 0;
  self->now = real_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
  g_signal_emit (self, signals[TICK], 0);
  arm (self);

  return G_SOURCE_REMOVE;
}

/* Until the next whole second, or the next whole minute, of the real clock (plus a little,
 * so that the tick lands after the boundary and not just before it). */
static void
arm (KefuTicker *self)
{
  gboolean every_second = self->n_seconds > 0;
  gint64 period = every_second ? G_USEC_PER_SEC : 60 * G_USEC_PER_SEC;
  gint64 now;
  guint delay_ms;

  if (self->n_holders == 0)
    {
      g_clear_handle_id (&self->source, g_source_remove);
      return;
    }

  if (self->source != 0 && self->source_every_second == every_second)
    return;

  g_clear_handle_id (&self->source, g_source_remove);
  now = real_now (self);
  delay_ms = (guint) ((period - now % period) / 1000) + 5;
  self->source = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, tick_cb, self, NULL);
  self->source_every_second = every_second;
}

KefuTicker *
kefu_ticker_get_default (void)
{
  static KefuTicker *ticker;

  if (ticker == NULL)
    {
      ticker = g_object_new (KEFU_TYPE_TICKER, NULL);
      g_object_add_weak_pointer (G_OBJECT (ticker), (gpointer *) &ticker);
    }

  return ticker;
}

gint64
kefu_ticker_get_now (KefuTicker *self)
{
  g_return_val_if_fail (KEFU_IS_TICKER (self), 0);

  /* Fresh when nothing held the ticker for a while. */
  if (self->source == 0)
    self->now = real_now (self);

  return self->now;
}

void
kefu_ticker_hold (KefuTicker *self)
{
  g_return_if_fail (KEFU_IS_TICKER (self));

  if (self->n_holders++ == 0)
    self->now = real_now (self);
  arm (self);
}

void
kefu_ticker_release (KefuTicker *self)
{
  g_return_if_fail (KEFU_IS_TICKER (self));
  g_return_if_fail (self->n_holders > 0);

  self->n_holders--;
  arm (self);
}

void
kefu_ticker_want_seconds (KefuTicker *self,
                          gboolean    want)
{
  g_return_if_fail (KEFU_IS_TICKER (self));

  if (want)
    {
      self->n_seconds++;
    }
  else
    {
      g_return_if_fail (self->n_seconds > 0);
      self->n_seconds--;
    }
  arm (self);
}

/* ---- widgets that follow the ticker ------------------------------------------------------ */

typedef struct
{
  KefuTicker *ticker;        /* owned */
  GCallback   update;
  gulong      tick_handler;  /* while the widget is mapped */
  gboolean    wants_seconds;
} Follower;

static GQuark
follower_quark (void)
{
  return g_quark_from_static_string ("kefu-ticker-follower");
}

static void
follower_free (Follower *follower)
{
  g_object_unref (follower->ticker);
  g_free (follower);
}

static void
follower_map (GtkWidget *widget,
              Follower  *follower)
{
  kefu_ticker_hold (follower->ticker);
  follower->tick_handler = g_signal_connect_swapped (follower->ticker, "tick",
                                                     follower->update, widget);
  ((void (*) (GtkWidget *)) follower->update) (widget);
}

static void
follower_unmap (GtkWidget *widget,
                Follower  *follower)
{
  g_clear_signal_handler (&follower->tick_handler, follower->ticker);
  kefu_ticker_follower_want_seconds (follower->ticker, widget, FALSE);
  kefu_ticker_release (follower->ticker);
}

void
kefu_ticker_follow_mapped (KefuTicker *self,
                           GtkWidget  *widget,
                           GCallback   update)
{
  Follower *follower;

  g_return_if_fail (KEFU_IS_TICKER (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (update != NULL);
  g_return_if_fail (!gtk_widget_get_mapped (widget));
  g_return_if_fail (g_object_get_qdata (G_OBJECT (widget), follower_quark ()) == NULL);

  follower = g_new0 (Follower, 1);
  follower->ticker = g_object_ref (self);
  follower->update = update;
  g_object_set_qdata_full (G_OBJECT (widget), follower_quark (), follower,
                           (GDestroyNotify) follower_free);
  /* After the widget's own map, so that its children are mapped when it updates. */
  g_signal_connect (widget, "map", G_CALLBACK (follower_map), follower);
  g_signal_connect (widget, "unmap", G_CALLBACK (follower_unmap), follower);
}

void
kefu_ticker_follower_want_seconds (KefuTicker *self,
                                   GtkWidget  *widget,
                                   gboolean    want)
{
  Follower *follower;

  g_return_if_fail (KEFU_IS_TICKER (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  follower = g_object_get_qdata (G_OBJECT (widget), follower_quark ());
  g_return_if_fail (follower != NULL && follower->ticker == self);

  want = want && follower->tick_handler != 0;
  if (follower->wants_seconds == want)
    return;

  follower->wants_seconds = want;
  kefu_ticker_want_seconds (self, want);
}

void
kefu_ticker_set_offset_for_testing (KefuTicker *self,
                                    gint64      offset)
{
  g_return_if_fail (KEFU_IS_TICKER (self));

  self->offset = offset;
  self->now = real_now (self);
  if (self->n_holders == 0)
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
  g_signal_emit (self, signals[TICK], 0);
}

guint
kefu_ticker_get_n_holders (KefuTicker *self)
{
  g_return_val_if_fail (KEFU_IS_TICKER (self), 0);

  return self->n_holders;
}

gboolean
kefu_ticker_get_every_second (KefuTicker *self)
{
  g_return_val_if_fail (KEFU_IS_TICKER (self), FALSE);

  return self->source != 0 && self->source_every_second;
}

static void
kefu_ticker_finalize (GObject *object)
{
  KefuTicker *self = (KefuTicker *)object;

  g_clear_handle_id (&self->source, g_source_remove);

  G_OBJECT_CLASS (kefu_ticker_parent_class)->finalize (object);
}

static void
kefu_ticker_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KefuTicker *self = KEFU_TICKER (object);

  switch (prop_id)
    {
    case PROP_NOW:
      g_value_set_int64 (value, kefu_ticker_get_now (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticker_class_init (KefuTickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kefu_ticker_finalize;
  object_class->get_property = kefu_ticker_get_property;

  properties[PROP_NOW] =
    g_param_spec_int64 ("now", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TICK] =
    g_signal_new ("tick",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kefu_ticker_init (KefuTicker *self)
{
  self->now = g_get_real_time ();
}
