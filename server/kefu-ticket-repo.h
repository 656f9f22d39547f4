/* kefu-ticket-repo.h — tickets and their timelines in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-db.h"
#include "kefu-sla.h"
#include "kefu-ticket.h"

G_BEGIN_DECLS

/* The SLA state of a ticket that is not on the wire: what kefu_sla_compute() needs, and the
 * warning points it produced. Stored as JSON in tickets.clock. */
typedef struct {
  gint64       assigned_at;
  gint64       last_contact_at;
  gint64       reopened_at;
  GArray      *pauses;                      /* of KefuSlaPause, never NULL */
  KefuSlaDues  dues;                        /* as last computed */
} KefuTicketClock;

KefuTicketClock *kefu_ticket_clock_new   (void);
KefuTicketClock *kefu_ticket_clock_copy  (const KefuTicketClock *clock);
void             kefu_ticket_clock_free  (KefuTicketClock *clock);

/* All of these run on one connection: inside a store write job for the writing ones. */

/* Next serial of @day_key ("FW" numbers): 1 for the first ticket of the day. Never reused:
 * the counter lives in the same transaction as the insert. */
gboolean    kefu_ticket_repo_next_serial  (KefuDb           *db,
                                           guint32           day_key,
                                           guint            *out_serial,
                                           GError          **error);
/* Inserts @ticket (number set) and its events (ticket->events, when not NULL), setting
 * ticket->id and each event's id. */
gboolean    kefu_ticket_repo_insert       (KefuDb           *db,
                                           KefuTicket       *ticket,
                                           const KefuTicketClock *clock,
                                           GError          **error);
/* Rewrites the ticket's row (doc and columns) from @ticket. */
gboolean    kefu_ticket_repo_update       (KefuDb           *db,
                                           KefuTicket       *ticket,
                                           const KefuTicketClock *clock,
                                           GError          **error);
/* Appends one timeline event (sets event->id) and, when ticket->events is loaded, adds a
 * copy to it. */
gboolean    kefu_ticket_repo_append_event (KefuDb           *db,
                                           KefuTicket       *ticket,
                                           const KefuTicketEvent *event,
                                           GError          **error);
/* NULL with KEFU_ERROR_NOT_FOUND when there is no such ticket. @out_clock may be NULL. */
KefuTicket *kefu_ticket_repo_load         (KefuDb           *db,
                                           const char       *number,
                                           gboolean          with_events,
                                           KefuTicketClock **out_clock,
                                           GError          **error);

typedef struct {
  GArray     *statuses;        /* of KefuStatus; NULL = any */
  GArray     *priorities;      /* of int; NULL = any */
  GArray     *categories;      /* of KefuCategory; NULL = any */
  gboolean    assignee_none;   /* unassigned only */
  gint64      assignee_id;     /* 0 = any */
  char       *department;      /* lead department; NULL = any */
  char       *text;            /* searched in number, customer and description; NULL = none */
  gint64      updated_since;   /* 0 = any */
  gboolean    open_only;       /* status filter "open" */
  guint       limit;           /* 1..500 */
  gint64      cursor;          /* 0 = first page; else the id to continue below */
} KefuTicketQuery;

void        kefu_ticket_query_clear       (KefuTicketQuery  *query);
/* Tickets newest first (by id). *next_cursor is 0 when there are no more. */
GPtrArray  *kefu_ticket_repo_list         (KefuDb           *db,
                                           const KefuTicketQuery *query,
                                           gint64           *next_cursor,
                                           GError          **error);
/* Open tickets with the same phone or order number (for the duplicate warning). */
GPtrArray  *kefu_ticket_repo_find_open_duplicates (KefuDb      *db,
                                           const char       *phone,
                                           const char       *order_no,
                                           GError          **error);

/* Appends a live event to the outbox (events table) in the current transaction; returns its
 * seq. @data is the event's "data" object (e.g. the full ticket). */
gint64      kefu_outbox_append            (KefuDb           *db,
                                           const char       *type,
                                           gint64            at,
                                           JsonNode         *data,
                                           GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuTicketClock, kefu_ticket_clock_free)

G_END_DECLS
