/* kefu-ticket-list.h — every loaded ticket, kept current by live events
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kefu-ticket-object.h"

G_BEGIN_DECLS

#define KEFU_TYPE_TICKET_LIST (kefu_ticket_list_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketList, kefu_ticket_list, KEFU, TICKET_LIST, GObject)

/* A GListModel of KefuTicketObject, one per ticket number. A newer version of a ticket it
 * holds replaces that object's ticket in place (the object notifies); items-changed is only
 * emitted for tickets added or removed. Signals:
 *   "tickets-changed" (guint KefuTicketChange mask): some objects got a new version that
 *     changed these things; emitted at most once per main-loop iteration, so that filters and
 *     sorters can re-evaluate once for a burst of events. */
KefuTicketList   *kefu_ticket_list_new          (void);

/* The object for @number (borrowed), or NULL. */
KefuTicketObject *kefu_ticket_list_lookup       (KefuTicketList *self,
                                                 const char     *number);
/* Adds @ticket, or replaces the version held when @ticket is newer; an older or equal version
 * is ignored. Returns the object holding the number (borrowed). */
KefuTicketObject *kefu_ticket_list_apply        (KefuTicketList *self,
                                                 KefuTicket     *ticket);
/* The same for many tickets (of KefuTicket*), with one items-changed for all that are new. */
void              kefu_ticket_list_apply_many   (KefuTicketList *self,
                                                 GPtrArray      *tickets);
void              kefu_ticket_list_remove_all   (KefuTicketList *self);

/* A reload: every ticket applied between begin and end is marked; end removes the others. */
void              kefu_ticket_list_begin_reload (KefuTicketList *self);
void              kefu_ticket_list_end_reload   (KefuTicketList *self);

/* "loaded": every open ticket is in (after sign-in, and again after a reload). */
gboolean          kefu_ticket_list_get_loaded   (KefuTicketList *self);
void              kefu_ticket_list_set_loaded   (KefuTicketList *self,
                                                 gboolean        loaded);
/* "complete": the recently closed tickets are in too (the Tickets page lists them). */
gboolean          kefu_ticket_list_get_complete (KefuTicketList *self);
void              kefu_ticket_list_set_complete (KefuTicketList *self,
                                                 gboolean        complete);

G_END_DECLS
