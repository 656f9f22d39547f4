/* kefu-my-work.h — "My work": the signed-in technician's open tickets, nearest due first
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

#define KEFU_TYPE_MY_WORK (kefu_my_work_get_type ())
G_DECLARE_FINAL_TYPE (KefuMyWork, kefu_my_work, KEFU, MY_WORK, AdwBin)

/* The open tickets assigned to the signed-in user, from the connection's one ticket list
 * (KefuTicketFilter scope "mine", open only), sorted like the board by the nearest due, each
 * a board card with its live countdown and, when the workflow allows, an Accept or Start Work
 * button. Activating a row opens the ticket (win.open-ticket). */
GtkWidget      *kefu_my_work_new            (void);

KefuConnection *kefu_my_work_get_connection (KefuMyWork     *self);
void            kefu_my_work_set_connection (KefuMyWork     *self,
                                             KefuConnection *connection);
/* The rows shown, in their order (KefuTicketObject). */
GListModel     *kefu_my_work_get_model      (KefuMyWork     *self);
/* Accepts or starts @number as its row's button does ("accept" or "start-work"). */
void            kefu_my_work_activate       (KefuMyWork     *self,
                                             const char     *number,
                                             const char     *what);

G_END_DECLS
