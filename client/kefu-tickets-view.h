/* kefu-tickets-view.h — every loaded ticket in a sortable table
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-ticket-list.h"

G_BEGIN_DECLS

#define KEFU_TYPE_TICKETS_VIEW (kefu_tickets_view_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketsView, kefu_tickets_view, KEFU, TICKETS_VIEW, AdwBin)

/* A GtkColumnView of the ONE ticket list: number, priority, status, customer, category,
 * assignee, registered, due; sortable by every column (by due at first), filtered by the
 * shared "filter" and by state (all, open, resolved or closed). Activating a row runs
 * win.open-ticket with its number. */
KefuTicketList *kefu_tickets_view_get_tickets (KefuTicketsView *self);
void            kefu_tickets_view_set_tickets (KefuTicketsView *self,
                                               KefuTicketList  *tickets);
GtkFilter      *kefu_tickets_view_get_filter  (KefuTicketsView *self);
void            kefu_tickets_view_set_filter  (KefuTicketsView *self,
                                               GtkFilter       *filter);
/* The rows shown, in their order. */
GListModel     *kefu_tickets_view_get_model   (KefuTicketsView *self);

G_END_DECLS
