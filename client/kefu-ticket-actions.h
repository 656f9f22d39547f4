/* kefu-ticket-actions.h — the workflow of one ticket: what the signed-in user may do next
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"
#include "kefu-permissions.h"

G_BEGIN_DECLS

#define KEFU_TYPE_TICKET_ACTIONS (kefu_ticket_actions_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketActions, kefu_ticket_actions, KEFU, TICKET_ACTIONS, GtkBox)

/* A bar at the foot of the ticket page with the workflow buttons the user's role may use on the
 * ticket as it is now (kefu-permissions.h): Assign, Accept, Start Work / Resume, Waiting for
 * Parts, Waiting for Customer, Resolve, Confirm; and a menu with Change Priority, Edit
 * Classification and Cancel Ticket. Each runs a GAction "workflow.NAME" (assign, accept,
 * start-work, wait-parts, wait-customer, resolve, confirm, priority, classify, cancel). Actions
 * that need input open a small modal window; a field the server refuses shows its error under
 * that field, a version conflict closes it, says so and reloads the ticket (ticket.reload).
 * Above the buttons, for the roles that talk to customers, a strip shows when the next
 * progress update to the customer is due.
 *
 * Signals:
 *   "ticket-changed" (KefuTicket *ticket): a change succeeded; @ticket is the server's answer,
 *     with its timeline. */
GtkWidget  *kefu_ticket_actions_new            (void);

KefuConnection *kefu_ticket_actions_get_connection (KefuTicketActions *self);
void        kefu_ticket_actions_set_connection (KefuTicketActions *self,
                                                KefuConnection    *connection);
KefuTicket *kefu_ticket_actions_get_ticket     (KefuTicketActions *self);
void        kefu_ticket_actions_set_ticket     (KefuTicketActions *self,
                                                KefuTicket        *ticket);

/* Whether the action is offered now (visible and enabled). */
/* TRUE while a request of the bar is on its way: nothing is offered until its answer. */
gboolean    kefu_ticket_actions_get_busy       (KefuTicketActions *self);
gboolean    kefu_ticket_actions_is_offered     (KefuTicketActions *self,
                                                KefuTicketAction   action);
/* The button of an action, or NULL for the actions of the menu. */
GtkWidget  *kefu_ticket_actions_get_button     (KefuTicketActions *self,
                                                KefuTicketAction   action);
/* The text of the "next customer update" strip, or NULL when it is hidden. */
const char *kefu_ticket_actions_get_update_text (KefuTicketActions *self);

/* The window of the action being filled in, or NULL; and its fields by their wire name
 * ("reason", "summary", "kind", "cost_cents", "satisfaction", "solved", "assignee_id", …).
 * For tests and for the keyboard: the same as typing. */
GtkWindow  *kefu_ticket_actions_get_form       (KefuTicketActions *self);
void        kefu_ticket_actions_form_set_text  (KefuTicketActions *self,
                                                const char        *field,
                                                const char        *text);
/* Selects the item of a drop-down whose wire word is @word; FALSE if there is none. */
gboolean    kefu_ticket_actions_form_select    (KefuTicketActions *self,
                                                const char        *field,
                                                const char        *word);
void        kefu_ticket_actions_form_set_number (KefuTicketActions *self,
                                                 const char        *field,
                                                 double             value);
void        kefu_ticket_actions_form_set_active (KefuTicketActions *self,
                                                 const char        *field,
                                                 gboolean           active);
/* The shown text of a field's error, or NULL; the note under the form (e.g. "will reopen"). */
const char *kefu_ticket_actions_form_get_error (KefuTicketActions *self,
                                                const char        *field);
const char *kefu_ticket_actions_form_get_note  (KefuTicketActions *self);
/* The words of a drop-down's items, in order (free with g_strfreev()). */
GStrv       kefu_ticket_actions_form_get_words (KefuTicketActions *self,
                                                const char        *field);
/* The item labels of a drop-down, in order (free with g_strfreev()). */
GStrv       kefu_ticket_actions_form_get_labels (KefuTicketActions *self,
                                                 const char        *field);
/* As the form's main button does. */
void        kefu_ticket_actions_form_submit    (KefuTicketActions *self);

G_END_DECLS
