/* kefu-ticket-object.h — one ticket as a GObject, for list models and views
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kefu-sla.h"
#include "kefu-ticket.h"

G_BEGIN_DECLS

/* What a new version of a ticket changed, for the models that filter and sort on it. */
typedef enum {
  KEFU_TICKET_CHANGE_NONE       = 0,
  KEFU_TICKET_CHANGE_PRIORITY   = 1 << 0,
  KEFU_TICKET_CHANGE_STATUS     = 1 << 1,
  KEFU_TICKET_CHANGE_ASSIGNEE   = 1 << 2,
  KEFU_TICKET_CHANGE_DEPARTMENT = 1 << 3,
  KEFU_TICKET_CHANGE_DUE        = 1 << 4,   /* nearest due, its clock, paused, SLA state */
  KEFU_TICKET_CHANGE_TEXT       = 1 << 5,   /* what a text search looks at */
  KEFU_TICKET_CHANGE_OTHER      = 1 << 6,
} KefuTicketChange;

#define KEFU_TYPE_TICKET_OBJECT (kefu_ticket_object_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketObject, kefu_ticket_object, KEFU, TICKET_OBJECT, GObject)

KefuTicketObject *kefu_ticket_object_new                (KefuTicket       *ticket);

/* The current version (borrowed; replaced, never modified, when a newer version arrives). */
KefuTicket       *kefu_ticket_object_get_ticket         (KefuTicketObject *self);
/* Replaces the ticket (same number) and notifies the properties whose value changed; returns
 * what changed. Takes a new reference to @ticket. */
KefuTicketChange  kefu_ticket_object_set_ticket         (KefuTicketObject *self,
                                                         KefuTicket       *ticket);

const char       *kefu_ticket_object_get_number         (KefuTicketObject *self);
gint64            kefu_ticket_object_get_version        (KefuTicketObject *self);
int               kefu_ticket_object_get_priority       (KefuTicketObject *self);
KefuStatus        kefu_ticket_object_get_status         (KefuTicketObject *self);
gboolean          kefu_ticket_object_get_is_open        (KefuTicketObject *self);
KefuCategory      kefu_ticket_object_get_category       (KefuTicketObject *self);
const char       *kefu_ticket_object_get_subcategory    (KefuTicketObject *self);
const char       *kefu_ticket_object_get_customer_name  (KefuTicketObject *self);
/* Always masked ("138****5678"), whatever the server sent; NULL when there is no phone. */
const char       *kefu_ticket_object_get_customer_phone (KefuTicketObject *self);
gint64            kefu_ticket_object_get_assignee_id    (KefuTicketObject *self);
const char       *kefu_ticket_object_get_assignee_name  (KefuTicketObject *self);
const char       *kefu_ticket_object_get_department     (KefuTicketObject *self);
gint64            kefu_ticket_object_get_registered_at  (KefuTicketObject *self);
gint64            kefu_ticket_object_get_updated_at     (KefuTicketObject *self);
/* The soonest pending SLA due (µs since the epoch), or 0 when none is pending or the clocks
 * are paused; and which clock it is (response, resolve, accept, update or confirm). */
gint64            kefu_ticket_object_get_nearest_due    (KefuTicketObject *self);
KefuSlaClock      kefu_ticket_object_get_nearest_due_clock (KefuTicketObject *self);
gboolean          kefu_ticket_object_get_paused         (KefuTicketObject *self);
/* The server's SLA state. */
KefuSlaState      kefu_ticket_object_get_sla_state      (KefuTicketObject *self);
/* The state at @now: breached as soon as the nearest due has passed, even before the server
 * says so; otherwise the server's state. */
KefuSlaState      kefu_ticket_object_get_sla_state_at   (KefuTicketObject *self,
                                                         gint64            now);
/* Whether every word of @casefolded_words (from g_utf8_casefold()) is in the number, customer
 * name, phone, code, order number, product model, subcategory or assignee. */
gboolean          kefu_ticket_object_matches_words     (KefuTicketObject *self,
                                                         const char *const *casefolded_words);

G_END_DECLS
