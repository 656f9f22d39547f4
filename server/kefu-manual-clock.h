/* kefu-manual-clock.h — a clock that only moves when a test moves it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-clock.h"

G_BEGIN_DECLS

#define KEFU_TYPE_MANUAL_CLOCK (kefu_manual_clock_get_type ())
G_DECLARE_FINAL_TYPE (KefuManualClock, kefu_manual_clock, KEFU, MANUAL_CLOCK, GObject)

KefuClock *kefu_manual_clock_new     (gint64           start_usec);
/* Both emit KefuClock::jumped. The clock is safe to read from any thread. */
void       kefu_manual_clock_set     (KefuManualClock *self,
                                      gint64           usec);
void       kefu_manual_clock_advance (KefuManualClock *self,
                                      gint64           delta_usec);

G_END_DECLS
