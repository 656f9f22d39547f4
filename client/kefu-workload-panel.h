/* kefu-workload-panel.h — the board's side panel: technicians and their open workload
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

#define KEFU_TYPE_WORKLOAD_PANEL (kefu_workload_panel_get_type ())
G_DECLARE_FINAL_TYPE (KefuWorkloadPanel, kefu_workload_panel, KEFU, WORKLOAD_PANEL, GtkBox)

/* One row per active technician (GET /users?role=technician) with the number of open tickets
 * assigned to them, least busy first; reloaded while the panel shows, a second after a burst
 * of ticket events. Dropping a board card (its ticket number as a string) on a row assigns the
 * ticket to that technician (asking first when it already has another assignee).
 *
 * Signals:
 *   "users-changed": the list was reloaded. */
GtkWidget     *kefu_workload_panel_new             (void);

KefuConnection *kefu_workload_panel_get_connection (KefuWorkloadPanel *self);
void           kefu_workload_panel_set_connection  (KefuWorkloadPanel *self,
                                                    KefuConnection    *connection);

/* Reloads now. */
void           kefu_workload_panel_reload          (KefuWorkloadPanel *self);

guint          kefu_workload_panel_get_n_technicians (KefuWorkloadPanel *self);
/* The @index-th technician shown: id, name and open tickets. */
gint64         kefu_workload_panel_get_technician  (KefuWorkloadPanel *self,
                                                    guint              index,
                                                    const char       **out_name,
                                                    guint             *out_open);
/* The drop target of a technician's row, or NULL. */
GtkDropTarget *kefu_workload_panel_get_drop_target (KefuWorkloadPanel *self,
                                                    gint64             user_id);
/* Assigns @number to @user_id as a drop does. */
void           kefu_workload_panel_assign          (KefuWorkloadPanel *self,
                                                    const char        *number,
                                                    gint64             user_id);

G_END_DECLS
