/* kefu-workflow.h — ticket changes shared by the ticket page, the board and "My work"
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers, not a class: a write to a ticket with the version it saw, the toast that tells
 * how it went, and the two changes a supervisor also makes by dragging a card (assign,
 * re-prioritise), each confirmed with an AdwMessageDialog first.
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

/* Response ids of the confirmation dialogs (tests answer them with
 * adw_message_dialog_response()). */
#define KEFU_WORKFLOW_RESPONSE_CANCEL "cancel"
#define KEFU_WORKFLOW_RESPONSE_OK     "ok"

/* METHOD /tickets/NUMBER[/WHAT] with If-Match: VERSION and @body (nullable, not taken). */
void        kefu_workflow_write_async   (KefuConnection      *connection,
                                         const char          *method,
                                         const char          *number,
                                         const char          *what,
                                         gint64               version,
                                         JsonNode            *body,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The ticket the server answered (with its timeline), or NULL with the error. */
KefuTicket *kefu_workflow_write_finish  (KefuConnection      *connection,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Shows @message in the nearest AdwToastOverlay above @widget (or in its window's). */
void        kefu_workflow_toast         (GtkWidget           *widget,
                                         const char          *message);

/* The message for an error of a workflow write, in plain words. */
char       *kefu_workflow_error_text    (const GError        *error);

/* Asks whether to move @number (at @version, now @from_priority) to @to_priority, showing the
 * new deadlines (first response and resolution, from GET /sla-policy), then PATCHes the
 * priority. The dialog is transient for @widget's window; the outcome is a toast. */
void        kefu_workflow_change_priority (GtkWidget         *widget,
                                           KefuConnection    *connection,
                                           const char        *number,
                                           gint64             version,
                                           int                from_priority,
                                           int                to_priority);

/* Assigns @number (at @version) to @assignee_id. When the ticket already has another assignee
 * (@current_assignee_id, its name @current_name), asks first. */
void        kefu_workflow_assign        (GtkWidget           *widget,
                                         KefuConnection      *connection,
                                         const char          *number,
                                         gint64               version,
                                         gint64              current_assignee_id,
                                         const char          *current_name,
                                         gint64               assignee_id,
                                         const char          *assignee_name);

/* How many open tickets @user (an object of GET /users) holds: the server's "open_tickets", or,
 * from a server without it, counted in the connection's ticket list. */
guint       kefu_workflow_open_tickets  (KefuConnection      *connection,
                                         JsonObject          *user);

G_END_DECLS
