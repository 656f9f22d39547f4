/* kefu-ticket-filter.h — which tickets a view shows
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kefu-ticket-list.h"

G_BEGIN_DECLS

typedef enum {
  KEFU_TICKET_SCOPE_ALL,
  KEFU_TICKET_SCOPE_MINE,        /* assigned to the user (user-id) */
  KEFU_TICKET_SCOPE_UNASSIGNED,
} KefuTicketScope;

#define KEFU_TYPE_TICKET_FILTER (kefu_ticket_filter_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketFilter, kefu_ticket_filter, KEFU, TICKET_FILTER, GtkFilter)

/* A filter of KefuTicketObject. Every criterion is off by default. Given the ticket list it
 * filters, it re-evaluates (once per burst of events) when a new version of a ticket changes
 * something one of its criteria looks at — list models do not watch item properties. */
KefuTicketFilter *kefu_ticket_filter_new            (KefuTicketList   *tickets);

KefuTicketScope   kefu_ticket_filter_get_scope      (KefuTicketFilter *self);
void              kefu_ticket_filter_set_scope      (KefuTicketFilter *self,
                                                     KefuTicketScope   scope);
/* Whose tickets are "mine". */
gint64            kefu_ticket_filter_get_user_id    (KefuTicketFilter *self);
void              kefu_ticket_filter_set_user_id    (KefuTicketFilter *self,
                                                     gint64            user_id);
/* A department code: tickets it leads or supports. NULL or "" = any. */
const char       *kefu_ticket_filter_get_department (KefuTicketFilter *self);
void              kefu_ticket_filter_set_department (KefuTicketFilter *self,
                                                     const char       *department);
/* Words that must all appear (number, customer, masked phone, codes, model, subcategory,
 * assignee), ignoring case. */
const char       *kefu_ticket_filter_get_search     (KefuTicketFilter *self);
void              kefu_ticket_filter_set_search     (KefuTicketFilter *self,
                                                     const char       *search);
/* 1..4, or 0 = any. */
int               kefu_ticket_filter_get_priority   (KefuTicketFilter *self);
void              kefu_ticket_filter_set_priority   (KefuTicketFilter *self,
                                                     int               priority);
/* Only tickets that are not resolved, closed or cancelled. */
gboolean          kefu_ticket_filter_get_open_only  (KefuTicketFilter *self);
void              kefu_ticket_filter_set_open_only  (KefuTicketFilter *self,
                                                     gboolean          open_only);

gboolean          kefu_ticket_filter_matches        (KefuTicketFilter *self,
                                                     KefuTicketObject *ticket);

G_END_DECLS
