/* kefu-permissions.c — which ticket actions the client offers to whom
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each rule below names the server check it mirrors (server/kefu-ticket-ops.c, and for visits,
 * returns and attachments the rules of docs/protocol.md). Keep them in step.
 */
#define G_LOG_DOMAIN "kefu-permissions"

#include "config.h"

#include "kefu-permissions.h"

static const char *action_words[KEFU_TICKET_ACTION_LAST] = {
  [KEFU_TICKET_ACTION_ASSIGN] = "assign",
  [KEFU_TICKET_ACTION_ACCEPT] = "accept",
  [KEFU_TICKET_ACTION_START_WORK] = "start-work",
  [KEFU_TICKET_ACTION_WAIT_PARTS] = "wait-parts",
  [KEFU_TICKET_ACTION_WAIT_CUSTOMER] = "wait-customer",
  [KEFU_TICKET_ACTION_RESOLVE] = "resolve",
  [KEFU_TICKET_ACTION_CONFIRM] = "confirm",
  [KEFU_TICKET_ACTION_CANCEL] = "cancel",
  [KEFU_TICKET_ACTION_PRIORITY] = "priority",
  [KEFU_TICKET_ACTION_CLASSIFY] = "classify",
  [KEFU_TICKET_ACTION_NOTE] = "note",
  [KEFU_TICKET_ACTION_CUSTOMER_CONTACT] = "customer-contact",
  [KEFU_TICKET_ACTION_VISIT_SCHEDULE] = "visit-schedule",
  [KEFU_TICKET_ACTION_VISIT_UPDATE] = "visit-update",
  [KEFU_TICKET_ACTION_RETURN_REQUEST] = "return-request",
  [KEFU_TICKET_ACTION_RETURN_UPDATE] = "return-update",
  [KEFU_TICKET_ACTION_ATTACH] = "attach",
};

const char *
kefu_ticket_action_to_string (KefuTicketAction action)
{
  if ((guint) action >= KEFU_TICKET_ACTION_LAST)
    return NULL;
  return action_words[action];
}

/* check_may_change(): managers and administrators read tickets but never change them. */
static gboolean
may_change (KefuRole role)
{
  return role == KEFU_ROLE_AGENT || role == KEFU_ROLE_SUPERVISOR || role == KEFU_ROLE_TECHNICIAN;
}

gboolean
kefu_permissions_role_may (KefuRole         role,
                           KefuTicketAction action)
{
  switch (action)
    {
    case KEFU_TICKET_ACTION_ASSIGN:
    case KEFU_TICKET_ACTION_CANCEL:
    case KEFU_TICKET_ACTION_PRIORITY:
      return role == KEFU_ROLE_SUPERVISOR;

    case KEFU_TICKET_ACTION_CONFIRM:
    case KEFU_TICKET_ACTION_CLASSIFY:
      return role == KEFU_ROLE_AGENT || role == KEFU_ROLE_SUPERVISOR;

    case KEFU_TICKET_ACTION_NOTE:
      return role != KEFU_ROLE_ADMIN && (guint) role < KEFU_ROLE_LAST;

    case KEFU_TICKET_ACTION_VISIT_SCHEDULE:
    case KEFU_TICKET_ACTION_VISIT_UPDATE:
      return role == KEFU_ROLE_TECHNICIAN || role == KEFU_ROLE_SUPERVISOR;

    case KEFU_TICKET_ACTION_ACCEPT:
    case KEFU_TICKET_ACTION_START_WORK:
    case KEFU_TICKET_ACTION_WAIT_PARTS:
    case KEFU_TICKET_ACTION_WAIT_CUSTOMER:
    case KEFU_TICKET_ACTION_RESOLVE:
    case KEFU_TICKET_ACTION_CUSTOMER_CONTACT:
    case KEFU_TICKET_ACTION_RETURN_REQUEST:
    case KEFU_TICKET_ACTION_RETURN_UPDATE:
    case KEFU_TICKET_ACTION_ATTACH:
      return may_change (role);

    case KEFU_TICKET_ACTION_LAST:
    default:
      return FALSE;
    }
}

gboolean
kefu_permissions_allow (KefuRole          role,
                        gint64            user_id,
                        const char       *department,
                        const KefuTicket *ticket,
                        KefuTicketAction  action)
{
  KefuStatus status;
  gboolean assignee;
  gboolean editable;

  g_return_val_if_fail (ticket != NULL, FALSE);

  if ((guint) role >= KEFU_ROLE_LAST || (guint) action >= KEFU_TICKET_ACTION_LAST)
    return FALSE;

  status = ticket->status;
  assignee = user_id != 0 && ticket->assignee.id == user_id;
  /* kefu_ticket_op_patch(): closed and cancelled tickets are the record, never edited. */
  editable = status != KEFU_STATUS_CLOSED && status != KEFU_STATUS_CANCELLED;

  switch (action)
    {
    case KEFU_TICKET_ACTION_ASSIGN:
      /* kefu_ticket_op_assign(): supervisors; any open status (reopened included). */
      return role == KEFU_ROLE_SUPERVISOR && kefu_status_is_open (status);

    case KEFU_TICKET_ACTION_ACCEPT:
      /* kefu_ticket_op_accept(): only the assignee, from assigned. */
      return may_change (role) && assignee &&
             kefu_status_can_transition (status, KEFU_STATUS_ACCEPTED);

    case KEFU_TICKET_ACTION_START_WORK:
    case KEFU_TICKET_ACTION_WAIT_PARTS:
    case KEFU_TICKET_ACTION_WAIT_CUSTOMER:
      {
        /* kefu_ticket_op_set_status(): the assignee or a supervisor, along the flow. */
        KefuStatus to = action == KEFU_TICKET_ACTION_START_WORK ? KEFU_STATUS_IN_PROGRESS
                        : action == KEFU_TICKET_ACTION_WAIT_PARTS ? KEFU_STATUS_WAITING_PARTS
                        : KEFU_STATUS_WAITING_CUSTOMER;

        return may_change (role) && (role == KEFU_ROLE_SUPERVISOR || assignee) &&
               status != to && kefu_status_can_transition (status, to);
      }

    case KEFU_TICKET_ACTION_RESOLVE:
      /* kefu_ticket_op_resolve(): the assignee or a supervisor, once work began. */
      return may_change (role) && (role == KEFU_ROLE_SUPERVISOR || assignee) &&
             kefu_status_can_transition (status, KEFU_STATUS_RESOLVED);

    case KEFU_TICKET_ACTION_CONFIRM:
      /* kefu_ticket_op_confirm(): agents and supervisors, a resolved ticket. */
      return (role == KEFU_ROLE_AGENT || role == KEFU_ROLE_SUPERVISOR) &&
             status == KEFU_STATUS_RESOLVED;

    case KEFU_TICKET_ACTION_CANCEL:
      /* kefu_ticket_op_set_status(cancelled): supervisors, any open status. */
      return role == KEFU_ROLE_SUPERVISOR &&
             kefu_status_can_transition (status, KEFU_STATUS_CANCELLED);

    case KEFU_TICKET_ACTION_PRIORITY:
      /* PATCH {"priority"}: supervisors only, not on closed or cancelled. */
      return role == KEFU_ROLE_SUPERVISOR && editable;

    case KEFU_TICKET_ACTION_CLASSIFY:
      /* kefu_ticket_op_patch(): agents and supervisors, not on closed or cancelled. */
      return (role == KEFU_ROLE_AGENT || role == KEFU_ROLE_SUPERVISOR) && editable;

    case KEFU_TICKET_ACTION_NOTE:
      /* kefu_ticket_op_add_note(): everyone but administrators. */
      return role != KEFU_ROLE_ADMIN;

    case KEFU_TICKET_ACTION_CUSTOMER_CONTACT:
      /* kefu_ticket_op_add_note(customer_contact): agents, supervisors and the assignee. */
      return role == KEFU_ROLE_AGENT || role == KEFU_ROLE_SUPERVISOR ||
             (may_change (role) && assignee);

    case KEFU_TICKET_ACTION_VISIT_SCHEDULE:
      /* kefu_ticket_op_add_visit(): supervisors, or the assignee technician; not on a
       * resolved, closed or cancelled ticket. */
      return (role == KEFU_ROLE_SUPERVISOR || (role == KEFU_ROLE_TECHNICIAN && assignee)) &&
             kefu_status_is_open (status);

    case KEFU_TICKET_ACTION_VISIT_UPDATE:
      /* kefu_ticket_op_update_visit(): supervisors, or a technician who is the assignee or the
       * technician of one of its visits; not on a closed or cancelled ticket. (One visit:
       * kefu_permissions_allow_visit_update().) */
      if (!editable)
        return FALSE;
      if (role == KEFU_ROLE_SUPERVISOR || (role == KEFU_ROLE_TECHNICIAN && assignee))
        return TRUE;
      for (guint i = 0; role == KEFU_ROLE_TECHNICIAN && user_id != 0 && ticket->visits != NULL &&
           i < ticket->visits->len; i++)
        {
          const KefuVisit *visit = g_ptr_array_index (ticket->visits, i);

          if (visit->technician.id == user_id)
            return TRUE;
        }
      return FALSE;

    case KEFU_TICKET_ACTION_RETURN_REQUEST:
      /* kefu_ticket_op_add_return(): agents, supervisors, anyone of logistics who may change
       * tickets; not on a cancelled ticket (a closed one may still be returned). */
      return may_change (role) && status != KEFU_STATUS_CANCELLED &&
             (role == KEFU_ROLE_AGENT || role == KEFU_ROLE_SUPERVISOR ||
              g_strcmp0 (department, "logistics") == 0);

    case KEFU_TICKET_ACTION_RETURN_UPDATE:
      /* kefu_ticket_op_update_return(): supervisors and logistics; not cancelled. */
      return may_change (role) && status != KEFU_STATUS_CANCELLED &&
             (role == KEFU_ROLE_SUPERVISOR || g_strcmp0 (department, "logistics") == 0);

    case KEFU_TICKET_ACTION_ATTACH:
      /* kefu_ticket_op_add_attachment(): whoever may change tickets; not cancelled. */
      return may_change (role) && status != KEFU_STATUS_CANCELLED;

    case KEFU_TICKET_ACTION_LAST:
    default:
      return FALSE;
    }
}

gboolean
kefu_permissions_allow_visit_update (KefuRole          role,
                                     gint64            user_id,
                                     const KefuTicket *ticket,
                                     const KefuVisit  *visit)
{
  g_return_val_if_fail (ticket != NULL, FALSE);
  g_return_val_if_fail (visit != NULL, FALSE);

  if (ticket->status == KEFU_STATUS_CLOSED || ticket->status == KEFU_STATUS_CANCELLED)
    return FALSE;
  if (role == KEFU_ROLE_SUPERVISOR)
    return TRUE;
  return role == KEFU_ROLE_TECHNICIAN && user_id != 0 &&
         (ticket->assignee.id == user_id || visit->technician.id == user_id);
}

gboolean
kefu_permissions_allow_for (KefuConnection   *connection,
                            const KefuTicket *ticket,
                            KefuTicketAction  action)
{
  const char *word;
  KefuRole role;

  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (ticket != NULL, FALSE);

  word = kefu_connection_get_role (connection);
  if (word == NULL || !kefu_role_from_string (word, &role))
    return FALSE;

  return kefu_permissions_allow (role, kefu_connection_get_user_id (connection),
                                 kefu_connection_get_department (connection), ticket, action);
}
