/* kefu-ticket-page.h — one ticket: its fields, deadlines and timeline
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"
#include "kefu-attachments-section.h"
#include "kefu-returns-section.h"
#include "kefu-ticket-actions.h"
#include "kefu-visits-section.h"
#include "kefu-ticket.h"

G_BEGIN_DECLS

#define KEFU_TYPE_TICKET_PAGE (kefu_ticket_page_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketPage, kefu_ticket_page, KEFU, TICKET_PAGE, AdwBin)

/* Loads ticket @number (GET /tickets/{number}) and keeps it current from the connection's live
 * events. The page has no header bar of its own: put it under one and show its "title".
 *
 * Actions (group "ticket"): reload (F5, Ctrl+R), add-note (Ctrl+Enter in the note), accept,
 * start-work, copy-number, copy-phone, show-earlier (loads the timeline entries before the
 * ones the document carries, a page at a time, from GET /tickets/{number}/timeline). */
GtkWidget      *kefu_ticket_page_new             (KefuConnection *connection,
                                                  const char     *number);

KefuConnection *kefu_ticket_page_get_connection  (KefuTicketPage *self);
const char     *kefu_ticket_page_get_number      (KefuTicketPage *self);
/* "FW20261123004 · 王芳" once loaded, the number before. */
const char     *kefu_ticket_page_get_title       (KefuTicketPage *self);
/* The version shown, with its events; NULL until loaded. */
KefuTicket     *kefu_ticket_page_get_ticket      (KefuTicketPage *self);
/* The workflow bar at the foot of the page (assign, accept, status, resolve, confirm, …). */
KefuTicketActions *kefu_ticket_page_get_actions  (KefuTicketPage *self);
/* The sections of the page: attachments, field visits, returns. */
KefuAttachmentsSection *kefu_ticket_page_get_attachments (KefuTicketPage *self);
KefuVisitsSection *kefu_ticket_page_get_visits   (KefuTicketPage *self);
KefuReturnsSection *kefu_ticket_page_get_returns (KefuTicketPage *self);
/* How many timeline entries the page shows, and the button that loads earlier ones (visible
 * while the timeline has more than that). */
guint           kefu_ticket_page_get_n_timeline_entries (KefuTicketPage *self);
GtkWidget      *kefu_ticket_page_get_earlier_button     (KefuTicketPage *self);

G_END_DECLS
