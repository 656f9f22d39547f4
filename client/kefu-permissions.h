/* kefu-permissions.h — which ticket actions the client offers to whom
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table for the whole client, mirroring the server's rules (server/kefu-ticket-ops.c): the
 * role may ever do it, the status flow allows it now, and the rules that depend on the ticket
 * ("only the assignee accepts"). The server enforces the same rules; the client only uses this
 * to offer what would succeed. Managers and administrators never change tickets (managers may
 * add internal notes).
 */
#pragma once

#include "kefu-connection.h"
#include "kefu-enums.h"
#include "kefu-ticket.h"

G_BEGIN_DECLS

typedef enum {
  KEFU_TICKET_ACTION_ASSIGN,           /* POST …/assign (also lead and supporting departments) */
  KEFU_TICKET_ACTION_ACCEPT,           /* POST …/accept */
  KEFU_TICKET_ACTION_START_WORK,       /* status in_progress: start, resume, pick up reopened */
  KEFU_TICKET_ACTION_WAIT_PARTS,       /* status waiting_parts (with a reason) */
  KEFU_TICKET_ACTION_WAIT_CUSTOMER,    /* status waiting_customer (with a reason) */
  KEFU_TICKET_ACTION_RESOLVE,          /* POST …/resolve */
  KEFU_TICKET_ACTION_CONFIRM,          /* POST …/confirm */
  KEFU_TICKET_ACTION_CANCEL,           /* status cancelled (duplicate, spam, withdrawn) */
  KEFU_TICKET_ACTION_PRIORITY,         /* PATCH {"priority"} */
  KEFU_TICKET_ACTION_CLASSIFY,         /* PATCH category, subcategory, stage, channel */
  KEFU_TICKET_ACTION_NOTE,             /* POST …/notes kind note */
  KEFU_TICKET_ACTION_CUSTOMER_CONTACT, /* POST …/notes kind customer_contact */
  KEFU_TICKET_ACTION_VISIT_SCHEDULE,   /* POST …/visits */
  KEFU_TICKET_ACTION_VISIT_UPDATE,     /* PATCH …/visits/{id} */
  KEFU_TICKET_ACTION_RETURN_REQUEST,   /* POST …/returns */
  KEFU_TICKET_ACTION_RETURN_UPDATE,    /* PATCH …/returns/{id} */
  KEFU_TICKET_ACTION_ATTACH,           /* POST …/attachments */
  KEFU_TICKET_ACTION_LAST
} KefuTicketAction;

/* A short English word for messages and tests ("assign", "wait-parts", …). */
const char *kefu_ticket_action_to_string (KefuTicketAction  action);

/* Whether a user with @role, id @user_id and department code @department (nullable) may do
 * @action on @ticket as it is now. */
gboolean    kefu_permissions_allow       (KefuRole          role,
                                          gint64            user_id,
                                          const char       *department,
                                          const KefuTicket *ticket,
                                          KefuTicketAction  action);

/* Whether a user may update (reschedule, arrive, done, cancel) this one @visit of @ticket: a
 * supervisor, the assignee, or the visit's own technician. */
gboolean    kefu_permissions_allow_visit_update (KefuRole          role,
                                                 gint64            user_id,
                                                 const KefuTicket *ticket,
                                                 const KefuVisit  *visit);

/* The same for the user signed in on @connection; FALSE when signed out. */
gboolean    kefu_permissions_allow_for   (KefuConnection   *connection,
                                          const KefuTicket *ticket,
                                          KefuTicketAction  action);

/* Whether the role may do @action on some ticket at all (menus that do not depend on one
 * ticket, e.g. the board's assignment panel). */
gboolean    kefu_permissions_role_may    (KefuRole          role,
                                          KefuTicketAction  action);

G_END_DECLS
