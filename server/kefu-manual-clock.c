/* kefu-manual-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-manual-clock.h"

struct _KefuManualClock
{
  GObject parent_instance;
  gint64  now;            /* atomic */
};

static void clock_iface_init (KefuClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KefuManualClock, kefu_manual_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KEFU_TYPE_CLOCK, clock_iface_init))

static gint64
kefu_manual_clock_now (KefuClock *clock)
{
  KefuManualClock *self = KEFU_MANUAL_CLOCK (clock);

  return __atomic_load_n (&self->now, __ATOMIC_SEQ_CST);
}

static void
clock_iface_init (KefuClockInterface *iface)
{
  iface->now = kefu_manual_clock_now;
}

static void
kefu_manual_clock_class_init (KefuManualClockClass *klass)
{
}

static void
kefu_manual_clock_init (KefuManualClock *self)
{
}

KefuClock *
kefu_manual_clock_new (gint64 start_usec)
{
  KefuManualClock *self = g_object_new (KEFU_TYPE_MANUAL_CLOCK, NULL);

  self->now = start_usec;
  return KEFU_CLOCK (self);
}

void
kefu_manual_clock_set (KefuManualClock *self,
                       gint64           usec)
{
  g_return_if_fail (KEFU_IS_MANUAL_CLOCK (self));

  __atomic_store_n (&self->now, usec, __ATOMIC_SEQ_CST);
  g_signal_emit_by_name (self, "jumped");
}

void
kefu_manual_clock_advance (KefuManualClock *self,
                           gint64           delta_usec)
{
  g_return_if_fail (KEFU_IS_MANUAL_CLOCK (self));

  __atomic_add_fetch (&self->now, delta_usec, __ATOMIC_SEQ_CST);
  g_signal_emit_by_name (self, "jumped");
}
