/* kefu-alert-strip.h — the strip across the window for unacknowledged alerts
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-alert-list.h"

G_BEGIN_DECLS

#define KEFU_TYPE_ALERT_STRIP (kefu_alert_strip_get_type ())
G_DECLARE_FINAL_TYPE (KefuAlertStrip, kefu_alert_strip, KEFU, ALERT_STRIP, AdwBin)

/* While any alert is open, the strip shows the most urgent one in plain words ("N more"
 * besides), red for breaches, escalations and new P1 tickets, amber for deadline warnings, with
 * the buttons Open Ticket (win.open-ticket), Acknowledge (win.ack-alert) and Show All
 * (win.show-view::alerts). It stays until every alert is acknowledged. */
void             kefu_alert_strip_set_alerts   (KefuAlertStrip *self,
                                                KefuAlertList  *alerts);
/* Whether it is revealed, and the alert it shows (borrowed, or NULL). */
gboolean         kefu_alert_strip_get_revealed (KefuAlertStrip *self);
KefuAlertObject *kefu_alert_strip_get_alert    (KefuAlertStrip *self);
/* What it says, for tests. */
const char      *kefu_alert_strip_get_text     (KefuAlertStrip *self);
const char      *kefu_alert_strip_get_more_text (KefuAlertStrip *self);

G_END_DECLS
