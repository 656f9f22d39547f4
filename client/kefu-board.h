/* kefu-board.h — the Kanban board: open tickets in four priority columns
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-board-column.h"
#include "kefu-connection.h"
#include "kefu-ticket-list.h"
#include "kefu-workload-panel.h"

G_BEGIN_DECLS

#define KEFU_TYPE_BOARD (kefu_board_get_type ())
G_DECLARE_FINAL_TYPE (KefuBoard, kefu_board, KEFU, BOARD, AdwBin)

/* Each column shows the open tickets of one priority from the ONE ticket list, through a
 * GtkFilterListModel (its priority, open, and the shared "filter") and a GtkSortListModel by
 * the nearest due, soonest first, paused and due-less last. A spinner shows until the list is
 * loaded. */
KefuTicketList  *kefu_board_get_tickets      (KefuBoard      *self);
void             kefu_board_set_tickets      (KefuBoard      *self,
                                              KefuTicketList *tickets);
/* The criteria shared with the other ticket views (scope, department, text); nullable. */
GtkFilter       *kefu_board_get_filter       (KefuBoard      *self);
void             kefu_board_set_filter       (KefuBoard      *self,
                                              GtkFilter      *filter);

KefuBoardColumn *kefu_board_get_column       (KefuBoard      *self,
                                              int             priority);
/* The sorted, filtered model a column shows. */
GListModel      *kefu_board_get_column_model (KefuBoard      *self,
                                              int             priority);

/* The connection the board's own changes go through: dropping a card on another priority
 * column re-prioritises it (supervisors; asks first), dropping it on a technician of the side
 * panel assigns it. A card's context menu (right click, Menu or Shift+F10) offers the same
 * without dragging: open, move to another priority, assign to a technician. */
KefuConnection  *kefu_board_get_connection   (KefuBoard      *self);
void             kefu_board_set_connection   (KefuBoard      *self,
                                              KefuConnection *connection);
/* Whether the side panel of technicians and their workload shows. */
gboolean         kefu_board_get_show_workload (KefuBoard     *self);
void             kefu_board_set_show_workload (KefuBoard     *self,
                                               gboolean       show);
KefuWorkloadPanel *kefu_board_get_workload_panel (KefuBoard  *self);
/* The drop target of a priority column (cards dropped on it move to that priority). */
GtkDropTarget   *kefu_board_get_column_drop_target (KefuBoard *self,
                                                    int        priority);

/* The sort order of the board: nearest due first, no due last, then by number. */
int              kefu_board_compare_due      (KefuTicketObject *a,
                                              KefuTicketObject *b);

G_END_DECLS
