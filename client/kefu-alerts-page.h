/* kefu-alerts-page.h — the Alerts page: open and acknowledged alerts
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-alert-list.h"

G_BEGIN_DECLS

#define KEFU_TYPE_ALERTS_PAGE (kefu_alerts_page_get_type ())
G_DECLARE_FINAL_TYPE (KefuAlertsPage, kefu_alerts_page, KEFU, ALERTS_PAGE, AdwBin)

/* Loads the style sheet of the alert views (once per process; needs a display). */
void           kefu_alerts_page_ensure_style    (void);

void           kefu_alerts_page_set_alerts      (KefuAlertsPage *self,
                                                 KefuAlertList  *alerts);
/* Which section shows: the open alerts (the default) or the acknowledged ones. */
gboolean       kefu_alerts_page_get_show_acked  (KefuAlertsPage *self);
void           kefu_alerts_page_set_show_acked  (KefuAlertsPage *self,
                                                 gboolean        show_acked);
/* The alerts of the section shown (of KefuAlertObject), newest first. */
GListModel    *kefu_alerts_page_get_model       (KefuAlertsPage *self);

G_END_DECLS
