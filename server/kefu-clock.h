/* kefu-clock.h — how server code reads the time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KEFU_TYPE_CLOCK (kefu_clock_get_type ())
G_DECLARE_INTERFACE (KefuClock, kefu_clock, KEFU, CLOCK, GObject)

struct _KefuClockInterface
{
  GTypeInterface parent_iface;

  /* µs since the Unix epoch, UTC */
  gint64 (*now) (KefuClock *self);
};

/* Implementations emit KefuClock::jumped when time moves other than by real passing (a manual
 * clock advanced by a test), so that timers armed against it can re-check. */
gint64 kefu_clock_now (KefuClock *self);

G_END_DECLS
