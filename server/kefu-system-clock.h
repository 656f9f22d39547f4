/* kefu-system-clock.h — the real wall clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-clock.h"

G_BEGIN_DECLS

#define KEFU_TYPE_SYSTEM_CLOCK (kefu_system_clock_get_type ())
G_DECLARE_FINAL_TYPE (KefuSystemClock, kefu_system_clock, KEFU, SYSTEM_CLOCK, GObject)

KefuClock *kefu_system_clock_new (void);

G_END_DECLS
