/* kefu-system-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-system-clock.h"

struct _KefuSystemClock
{
  GObject parent_instance;
};

static void clock_iface_init (KefuClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KefuSystemClock, kefu_system_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KEFU_TYPE_CLOCK, clock_iface_init))

static gint64
kefu_system_clock_now (KefuClock *clock)
{
  return g_get_real_time ();
}

static void
clock_iface_init (KefuClockInterface *iface)
{
  iface->now = kefu_system_clock_now;
}

static void
kefu_system_clock_class_init (KefuSystemClockClass *klass)
{
}

static void
kefu_system_clock_init (KefuSystemClock *self)
{
}

KefuClock *
kefu_system_clock_new (void)
{
  return g_object_new (KEFU_TYPE_SYSTEM_CLOCK, NULL);
}
