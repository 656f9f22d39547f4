/* kefu-ticket-form.h — the registration form (用户反馈登记表)
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

#define KEFU_TYPE_TICKET_FORM (kefu_ticket_form_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketForm, kefu_ticket_form, KEFU, TICKET_FORM, AdwWindow)

/* A modal window over @parent (nullable) that registers one customer feedback as a ticket
 * (POST /tickets), then tells the agent what to say to the customer. Emits "created"
 * (const char *number) for every ticket it registers ("Register Another" may make several).
 *
 * Actions (group "form"): save (Ctrl+Enter), close (Escape; asks before dropping input),
 * copy (the words for the customer), register-another, accept-duplicates, submitted-now. */
KefuTicketForm *kefu_ticket_form_new            (KefuConnection *connection,
                                                 GtkWindow      *parent);

KefuConnection *kefu_ticket_form_get_connection (KefuTicketForm *self);
/* Whether anything was entered that closing the form would lose. */
gboolean        kefu_ticket_form_get_has_input  (KefuTicketForm *self);

/* The POST /tickets body the form would send now (a new reference), whatever its validity. */
JsonNode       *kefu_ticket_form_build_body     (KefuTicketForm *self);

/* The form checks its input with kefu_validate_intake() before sending it (TRUE, the default);
 * tests turn that off to see the server's own field errors arrive at the fields. */
void            kefu_ticket_form_set_validate_locally (KefuTicketForm *self,
                                                       gboolean        validate_locally);

/* Evidence to attach once the ticket is registered (as "Add…" of the form's attachments group
 * does once files are chosen; checked first, asynchronously); whether those uploads run; their progress or errors on the
 * "done" page (NULL when none were picked). */
void            kefu_ticket_form_add_evidence   (KefuTicketForm *self,
                                                 GFile          *file);
/* How many files are listed to attach (0 while a picked file is still being checked: one the
 * server would refuse is not listed, a toast says why). */
guint           kefu_ticket_form_get_n_evidence (KefuTicketForm *self);
gboolean        kefu_ticket_form_get_evidence_busy (KefuTicketForm *self);
const char     *kefu_ticket_form_get_evidence_status (KefuTicketForm *self);

G_END_DECLS
