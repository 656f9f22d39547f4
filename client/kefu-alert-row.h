/* kefu-alert-row.h — one alert on the Alerts page
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-alert-object.h"

G_BEGIN_DECLS

#define KEFU_TYPE_ALERT_ROW (kefu_alert_row_get_type ())
G_DECLARE_FINAL_TYPE (KefuAlertRow, kefu_alert_row, KEFU, ALERT_ROW, AdwBin)

/* A row for the list views of alerts: the ticket number and priority, what happened and whom
 * it reached in plain words, the clock, when it was due and raised (or who acknowledged it),
 * and the buttons "Open Ticket" (win.open-ticket) and "Acknowledge" (win.ack-alert). */
GtkWidget       *kefu_alert_row_new       (void);

KefuAlertObject *kefu_alert_row_get_alert (KefuAlertRow    *self);
void             kefu_alert_row_set_alert (KefuAlertRow    *self,
                                           KefuAlertObject *alert);

/* What the row shows, for tests. */
const char      *kefu_alert_row_get_headline_text (KefuAlertRow *self);
/* The line under it: acknowledged by whom, the deadline, "raised 5 min ago". */
const char      *kefu_alert_row_get_meta_text     (KefuAlertRow *self);
gboolean         kefu_alert_row_get_can_acknowledge (KefuAlertRow *self);

G_END_DECLS
