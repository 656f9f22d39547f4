/* kefu-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-clock.h"

G_DEFINE_INTERFACE (KefuClock, kefu_clock, G_TYPE_OBJECT)

static void
kefu_clock_default_init (KefuClockInterface *iface)
{
  /**
   * KefuClock::jumped:
   *
   * Time moved by other means than real passing (a test advanced a manual clock).
   */
  g_signal_new ("jumped",
                G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
}

gint64
kefu_clock_now (KefuClock *self)
{
  g_return_val_if_fail (KEFU_IS_CLOCK (self), 0);

  return KEFU_CLOCK_GET_IFACE (self)->now (self);
}
