/* kefu-ticket-repo.h — tickets and their timelines in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-db.h"
#include "kefu-sla.h"
#include "kefu-ticket.h"
#include "kefu-user.h"

G_BEGIN_DECLS

/* How far the SLA scheduler has handled one window of a clock. */
typedef enum {
  KEFU_SLA_STAGE_NONE,       /* nothing raised yet */
  KEFU_SLA_STAGE_WARNED,     /* the warning point was handled */
  KEFU_SLA_STAGE_BREACHED,   /* the due was handled (the window is done) */
} KefuSlaStage;

/* The SLA state of a ticket that is not on the wire: what kefu_sla_compute() needs, and the
 * warning points it produced. Stored as JSON in tickets.clock. */
typedef struct {
  gint64       assigned_at;
  gint64       last_contact_at;
  gint64       reopened_at;
  /* Issue 5: where the return clocks count from — the request of the earliest return waiting
   * for review, the approval of the earliest one waiting for its pickup (0 = none). */
  gint64       return_requested_at;
  gint64       return_approved_at;
  GArray      *pauses;                      /* of KefuSlaPause, never NULL */
  KefuSlaDues  dues;                        /* as last computed */
  /* Schema 3, for the SLA scheduler: the start of each clock's current window (set with the
   * dues), and the window and stage it last handled. A clock whose window differs from the
   * handled one (reassigned, contacted, reopened) starts again at KEFU_SLA_STAGE_NONE. */
  gint64       window[KEFU_SLA_CLOCK_LAST];
  gint64       handled_window[KEFU_SLA_CLOCK_LAST];
  KefuSlaStage handled[KEFU_SLA_CLOCK_LAST];
} KefuTicketClock;

KefuTicketClock *kefu_ticket_clock_new   (void);
KefuTicketClock *kefu_ticket_clock_copy  (const KefuTicketClock *clock);
void             kefu_ticket_clock_free  (KefuTicketClock *clock);
/* Sets clock->window[]: where each clock's current window starts — registration (which names
 * the one window of the response clock, whatever its origin), the last (re)assignment, the
 * later of the acceptance, last customer contact and reopen, the resolution: the starts
 * kefu_sla_compute() counts from. An alert is raised once per window (its "cycle"). */
void             kefu_ticket_clock_set_windows (KefuTicketClock      *clock,
                                               gint64                 registered_at,
                                               gint64                 accepted_at,
                                               gint64                 resolved_at);
/* What the scheduler has handled of @clock's current window. */
KefuSlaStage     kefu_ticket_clock_get_stage  (const KefuTicketClock *clock,
                                               KefuSlaClock           which);
void             kefu_ticket_clock_set_stage  (KefuTicketClock       *clock,
                                               KefuSlaClock           which,
                                               KefuSlaStage           stage);
/* The next instant the scheduler must act on (stored as tickets.next_due): the earliest
 * warning point or due not handled yet; 0 when there is none (stopped clocks don't count). */
gint64           kefu_ticket_clock_next_point (const KefuTicketClock *clock);

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
 * copy to it (dropping the oldest beyond KEFU_TIMELINE_PAGE) and counts it in
 * ticket->timeline_total. */
gboolean    kefu_ticket_repo_append_event (KefuDb           *db,
                                           KefuTicket       *ticket,
                                           const KefuTicketEvent *event,
                                           GError          **error);
/* NULL with KEFU_ERROR_NOT_FOUND when there is no such ticket. @out_clock may be NULL. With
 * @with_events, ticket->events holds the newest KEFU_TIMELINE_PAGE events of the timeline and
 * ticket->timeline_total counts them all. */
KefuTicket *kefu_ticket_repo_load         (KefuDb           *db,
                                           const char       *number,
                                           gboolean          with_events,
                                           KefuTicketClock **out_clock,
                                           GError          **error);

/* A page of ticket @number's timeline: up to @limit events older than the event @before (0: the
 * newest), oldest first. *out_total (nullable) counts the whole timeline; *out_more (nullable)
 * tells whether events older than the page remain. NULL with KEFU_ERROR_NOT_FOUND when there is
 * no such ticket. */
GPtrArray  *kefu_ticket_repo_load_timeline (KefuDb          *db,
                                           const char       *number,
                                           gint64            before,
                                           guint             limit,
                                           gint64           *out_total,
                                           gboolean         *out_more,
                                           GError          **error);

typedef struct {
  GArray     *statuses;        /* of KefuStatus; NULL = any */
  GArray     *priorities;      /* of int; NULL = any */
  GArray     *categories;      /* of KefuCategory; NULL = any */
  gboolean    assignee_none;   /* unassigned only */
  gint64      assignee_id;     /* 0 = any */
  char       *department;      /* lead department; NULL = any */
  char       *text;            /* searched in number, customer and description; NULL = none */
  /* Who searches: the phone number and e-mail address match @text by any part only where
   * kefu_user_sees_full_phone() shows them to @viewer, elsewhere only as the whole number, its
   * last four digits or the whole address. Borrowed; NULL = nobody sees them. */
  const KefuUser *viewer;
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
gssize      kefu_ticket_repo_list_json    (KefuDb           *db,
                                           const KefuTicketQuery *query,
                                           GString          *out,
                                           gint64           *next_cursor,
                                           GError          **error);
/* Open tickets with the same phone or order number (for the duplicate warning). */
GPtrArray  *kefu_ticket_repo_find_open_duplicates (KefuDb      *db,
                                           const char       *phone,
                                           const char       *order_no,
                                           GError          **error);

/* The SLA scheduler's side. A ticket as the scheduler sees it: what it reads and changes, read
 * from the row's columns and (with SQLite's JSON functions) its document, which is never
 * decoded as a whole — handling a ticket must cost little when ten thousand fall due at once. */
typedef struct {
  gint64           id;
  char            *number;
  int              priority;
  gint64           assignee_id;        /* 0 = unassigned */
  char            *department;         /* the lead department, or NULL */
  gint64           registered_at;
  gint64           resolved_at;
  gint64           accepted_at;        /* 0 = never accepted */
  int              escalation_level;
  KefuSlaState     state;
  KefuTicketClock *clock;
} KefuDueTicket;

void        kefu_due_ticket_free          (KefuDueTicket    *ticket);

/* The earliest tickets.next_due (0 = none), from its index. */
gint64      kefu_ticket_repo_earliest_due (KefuDb           *db,
                                           GError          **error);
/* Up to @limit tickets whose next_due ≤ @now, earliest first (appended to @out, of
 * KefuDueTicket). A row that cannot be decoded is logged and left out, its next_due cleared,
 * so that it cannot stall the scheduler. */
gboolean    kefu_ticket_repo_load_due     (KefuDb           *db,
                                           gint64            now,
                                           guint             limit,
                                           GPtrArray        *out,
                                           GError          **error);
/* Stores @ticket's clock and next_due. When @visible, also its change on the wire: the
 * version goes up by one, and updated_at = @at, escalation_level and sla.state are set in the
 * document (in place: the document stays as kefu_ticket_to_json() writes it), which is then
 * appended to the outbox as ticket.updated. */
gboolean    kefu_ticket_repo_update_due   (KefuDb           *db,
                                           const KefuDueTicket *ticket,
                                           gboolean          visible,
                                           gint64            at,
                                           GError          **error);
/* Appends one timeline event to ticket @ticket_id (sets event->id). */
gboolean    kefu_ticket_repo_insert_event (KefuDb           *db,
                                           gint64            ticket_id,
                                           KefuTicketEvent  *event,
                                           GError          **error);

/* Appends a live event to the outbox (events table) in the current transaction; returns its
 * seq. @data is the event's "data" object (e.g. the full ticket). */
gint64      kefu_outbox_append            (KefuDb           *db,
                                           const char       *type,
                                           gint64            at,
                                           JsonNode         *data,
                                           GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuTicketClock, kefu_ticket_clock_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuDueTicket, kefu_due_ticket_free)

G_END_DECLS
