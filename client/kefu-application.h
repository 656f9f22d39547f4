/* kefu-application.h
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

#define KEFU_TYPE_APPLICATION (kefu_application_get_type ())
G_DECLARE_FINAL_TYPE (KefuApplication, kefu_application, KEFU, APPLICATION, AdwApplication)

KefuApplication *kefu_application_new            (void);
KefuConnection  *kefu_application_get_connection (KefuApplication *self);
/* Whether desktop notifications can be shown: a session bus with a notification service (or
 * the portal in a sandbox). Without, new alerts show in the window only, and GLib is never
 * asked to send one (it would warn). Known shortly after start-up; FALSE until then. */
gboolean         kefu_application_get_can_notify (KefuApplication *self);
/* How many desktop notifications of alerts were sent (or, when they cannot be shown, would
 * have been). */
guint            kefu_application_get_n_alert_notifications (KefuApplication *self);

G_END_DECLS
