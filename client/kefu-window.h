/* kefu-window.h
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-alert-strip.h"
#include "kefu-alerts-page.h"
#include "kefu-board.h"
#include "kefu-connection.h"
#include "kefu-reports-page.h"
#include "kefu-tickets-view.h"

G_BEGIN_DECLS

#define KEFU_TYPE_WINDOW (kefu_window_get_type ())
G_DECLARE_FINAL_TYPE (KefuWindow, kefu_window, KEFU, WINDOW, AdwApplicationWindow)

KefuWindow     *kefu_window_new            (GtkApplication *application,
                                            KefuConnection *connection);
KefuConnection *kefu_window_get_connection (KefuWindow     *self);
KefuBoard      *kefu_window_get_board      (KefuWindow     *self);
KefuTicketsView *kefu_window_get_tickets_view (KefuWindow   *self);
KefuAlertStrip *kefu_window_get_alert_strip (KefuWindow    *self);
KefuAlertsPage *kefu_window_get_alerts_page (KefuWindow    *self);
KefuReportsPage *kefu_window_get_reports_page (KefuWindow   *self);
/* The connection state as the header bar shows it ("Connected", "Reconnecting…",
 * "Offline"), or NULL while signed out. */
const char     *kefu_window_get_connection_text (KefuWindow *self);
/* Fills the sign-in fields that are given (NULL leaves a field as it is). */
void            kefu_window_prefill        (KefuWindow     *self,
                                            const char     *server_url,
                                            const char     *username);
/* Fills the sign-in fields and signs in at once, as if the user had pressed "Sign In". */
void            kefu_window_sign_in        (KefuWindow     *self,
                                            const char     *server_url,
                                            const char     *username,
                                            const char     *password);

G_END_DECLS
