/* kefu-ticket-ops.h — the ticket workflow: every change with its rules, timeline and clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-alert.h"
#include "kefu-db.h"
#include "kefu-sla.h"
#include "kefu-ticket-repo.h"
#include "kefu-ticket.h"
#include "kefu-user.h"

G_BEGIN_DECLS

/* What every operation needs besides its own arguments. Operations run inside a store write job
 * (one transaction): they load the ticket, check the caller's role, the If-Match version and
 * the status flow, change the ticket, recompute its SLA dues, append its timeline event(s) and
 * a live event (outbox) — all or nothing. They return the changed ticket (events loaded) or
 * fail with a KEFU_ERROR: FORBIDDEN, NOT_FOUND, VERSION_CONFLICT, INVALID_TRANSITION,
 * VALIDATION_FAILED (with field). */
typedef struct {
  KefuSlaPolicy  *policy;
  GTimeZone      *tz;          /* the server's zone, for ticket numbers */
  gint64          now;
  const KefuUser *actor;
} KefuOpContext;

/* if_match: the version the caller saw; -1 = not given (only allowed for notes). */

/* @intake: from kefu_validate_intake(). Roles: agent, supervisor. A P1 ticket also raises the
 * new_p1 alert to every supervisor (kefu-alert.h). */
KefuTicket *kefu_ticket_op_create     (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       KefuTicket          *intake,
                                       GError             **error);
/* Roles: agent, supervisor; a change of priority: supervisors only (FORBIDDEN otherwise; the
 * dues are recomputed from registration). Body as for kefu_validate_patch(). Raising the
 * priority to P1 raises the new_p1 alert (once per ticket). */
KefuTicket *kefu_ticket_op_patch      (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       JsonNode            *body,
                                       GError             **error);
/* Roles: supervisor. @assignee_id 0 = keep; department NULL = keep; supporting NULL = keep. */
KefuTicket *kefu_ticket_op_assign     (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       gint64               assignee_id,
                                       const char          *department,
                                       const char * const  *supporting,
                                       GError             **error);
/* The assignee only. */
KefuTicket *kefu_ticket_op_accept     (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       GError             **error);
/* in_progress, waiting_customer, waiting_parts (assignee or supervisor; waiting_* need a
 * reason), cancelled (supervisor, reason one of kefu_cancel_reason words). */
KefuTicket *kefu_ticket_op_set_status (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       KefuStatus           status,
                                       const char          *reason,
                                       GError             **error);
/* Any staff but administrators may add a note; a customer contact (agent, supervisor, assignee) meets the first
 * response and restarts the progress-update clock. */
KefuTicket *kefu_ticket_op_add_note   (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       const char          *text,
                                       gboolean             customer_contact,
                                       GError             **error);
/* Assignee or supervisor. */
KefuTicket *kefu_ticket_op_resolve    (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       const KefuResolution *resolution,
                                       GError             **error);
/* Agent or supervisor, on a resolved ticket. Solved and satisfaction ≥ 3 → closed; otherwise
 * reopened with a new 24 h resolution clock and escalation level 2, with a level-2 escalation
 * alert to the managers. */
KefuTicket *kefu_ticket_op_confirm    (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       const KefuConfirmation *confirmation,
                                       GError             **error);

/* ---- Issue 5: field visits, returns and attachments --------------------------------------
 * Each appends a timeline event of kind visit / return / attachment, bumps the version and
 * appends ticket.updated, like the operations above. The new item is the last of its array. */

#define KEFU_WARRANTY_DAYS_DEFAULT 365
#define KEFU_SETTING_WARRANTY_DAYS "warranty_days"
#define KEFU_MAX_ATTACHMENTS_PER_TICKET 50

typedef enum {
  KEFU_VISIT_ACTION_RESCHEDULE,
  KEFU_VISIT_ACTION_ARRIVE,
  KEFU_VISIT_ACTION_DONE,
  KEFU_VISIT_ACTION_CANCEL,
} KefuVisitAction;

/* The validated body of POST …/visits or PATCH …/visits/{id}. */
typedef struct {
  gint64    scheduled_at;      /* create, reschedule */
  char     *address;           /* create; NULL = the customer's address */
  gint64    technician_id;     /* create; 0 = the assignee */
  char     *parts;             /* create, done; NULL = none / keep */
  gboolean  has_fee;
  gint64    fee_cents;         /* create, done */
  gboolean  warranty_in;       /* create: the body said "warranty":"in" */
  char     *reason;            /* reschedule, cancel */
  char     *outcome;           /* done */
} KefuVisitInput;

void        kefu_visit_input_clear    (KefuVisitInput      *input);

/* Technicians (the assignee) and supervisors. Warranty from customer.purchase_date plus the
 * warranty_days setting (default 365) at the scheduled day; a fee only out of warranty. */
KefuTicket *kefu_ticket_op_add_visit  (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       const KefuVisitInput *input,
                                       GError             **error);
/* The assignee, the visit's technician or a supervisor. Wrong order: INVALID_TRANSITION. */
KefuTicket *kefu_ticket_op_update_visit (KefuDb            *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       gint64               visit_id,
                                       KefuVisitAction      action,
                                       const KefuVisitInput *input,
                                       GError             **error);
/* Agents, supervisors and anyone of the logistics department. review_due = now + the policy's
 * return review target. @attachment_ids: ids of this ticket's attachments. */
KefuTicket *kefu_ticket_op_add_return (KefuDb              *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       KefuReturnType       type,
                                       KefuReturnReason     reason,
                                       gint64               amount_cents,
                                       const char          *note,
                                       GArray              *attachment_ids,
                                       GError             **error);
/* Supervisors and anyone of the logistics department; @step must follow the return flow
 * (kefu_return_step_can_transition()); approval sets pickup_due. @amount_cents < 0 = keep. */
KefuTicket *kefu_ticket_op_update_return (KefuDb            *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       gint64               return_id,
                                       KefuReturnStep       step,
                                       const char          *note,
                                       gint64               amount_cents,
                                       GError             **error);
/* Staff but managers and administrators; at most KEFU_MAX_ATTACHMENTS_PER_TICKET (409
 * conflict). The file (@sha256) must already be durable on disk. */
KefuTicket *kefu_ticket_op_add_attachment (KefuDb          *db,
                                       const KefuOpContext *ctx,
                                       const char          *number,
                                       gint64               if_match,
                                       const char          *name,
                                       const char          *content_type,
                                       gint64               size,
                                       const char          *sha256,
                                       GError             **error);

/* Recomputes ticket->sla (dues, paused, state at ctx->now) and clock->dues from the ticket's
 * status and @clock. Used by every operation and by the demo seeder. */
void        kefu_ticket_recompute_sla (KefuTicket          *ticket,
                                       KefuTicketClock     *clock,
                                       KefuSlaPolicy       *policy,
                                       gint64               now);
/* The SLA scheduler's operation, on a ticket from kefu_ticket_repo_load_due() at @now: for
 * every clock, a due ≤ @now not handled yet raises a breach (level 1 to the supervisors of the
 * lead department, every supervisor when there is none; a P1 resolution breach also level 2 to
 * the managers), and a warning point ≤ @now a warning (to the assignee, the supervisors when
 * unassigned); a warning whose due has passed as well is superseded by the breach. Appends the
 * timeline events (sla_warning, sla_breach, escalation when the level rises; actor: the
 * system), sets sla.state and escalation_level and, when anything visible changed, bumps the
 * version and appends ticket.updated and then one alert.raised per alert. The dues are not
 * recomputed (they keep the policy they were computed with). next_due is always rewritten.
 * @out_raised (nullable): how many alerts were raised. */
gboolean    kefu_ticket_op_escalate   (KefuDb              *db,
                                       GTimeZone           *tz,
                                       gint64               now,
                                       KefuDueTicket       *ticket,
                                       guint               *out_raised,
                                       GError             **error);

G_END_DECLS
