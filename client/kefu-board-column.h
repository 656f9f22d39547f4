/* kefu-board-column.h — one priority's column of the board
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KEFU_TYPE_BOARD_COLUMN (kefu_board_column_get_type ())
G_DECLARE_FINAL_TYPE (KefuBoardColumn, kefu_board_column, KEFU, BOARD_COLUMN, AdwBin)

/* A header (priority badge, name, meaning, how many tickets and how many overdue) over a list
 * of ticket cards. The model is given sorted by the nearest due; activating a card runs
 * win.open-ticket with the ticket's number. */
int         kefu_board_column_get_priority (KefuBoardColumn *self);
void        kefu_board_column_set_priority (KefuBoardColumn *self,
                                            int              priority);
GListModel *kefu_board_column_get_model    (KefuBoardColumn *self);
void        kefu_board_column_set_model    (KefuBoardColumn *self,
                                            GListModel      *model);
/* The text the column gives when it has no card ("No tickets", "No tickets match"). */
void        kefu_board_column_set_empty_text (KefuBoardColumn *self,
                                              const char      *text);
GtkListView *kefu_board_column_get_list_view (KefuBoardColumn *self);
guint        kefu_board_column_get_n_overdue (KefuBoardColumn *self);
/* The "Assign to" items of the cards' context menu (actions of the board). */
void         kefu_board_column_set_assign_menu (KefuBoardColumn *self,
                                                GMenuModel      *menu);
/* Opens the context menu of @card (a card of this column): open the ticket, move it to
 * another priority (board.set-priority), assign it (board.assign). */
void         kefu_board_column_popup_menu (KefuBoardColumn *self,
                                           GtkWidget       *card);

G_END_DECLS
