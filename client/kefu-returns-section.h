/* kefu-returns-section.h — the returns, exchanges and refunds (退换货) of one ticket
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"
#include "kefu-section-form.h"

G_BEGIN_DECLS

#define KEFU_TYPE_RETURNS_SECTION (kefu_returns_section_get_type ())
G_DECLARE_FINAL_TYPE (KefuReturnsSection, kefu_returns_section, KEFU, RETURNS_SECTION, GtkBox)

/* Each return of the ticket with its type, reason, a step tracker (requested → reviewed →
 * pickup → received → inspected → completed; rejected shown as such) with when and who, and the
 * review and pickup deadlines as live countdowns. Actions (group "returns"): new; next-step with
 * the return id (int64). Both open a form (kefu-section-form.h); the next-step form's "step"
 * offers only the moves the flow allows.
 *
 * Signals:
 *   "ticket-changed" (KefuTicket *ticket): a change succeeded; @ticket is the server's answer. */
GtkWidget       *kefu_returns_section_new            (void);

void             kefu_returns_section_set_connection (KefuReturnsSection *self,
                                                      KefuConnection     *connection);
void             kefu_returns_section_set_ticket     (KefuReturnsSection *self,
                                                      KefuTicket         *ticket);
gboolean         kefu_returns_section_is_relevant    (KefuReturnsSection *self);
KefuSectionForm *kefu_returns_section_get_form       (KefuReturnsSection *self);
/* The texts of the row of return @id (title, tracker, history, countdown), or NULL. */
char            *kefu_returns_section_get_row_text   (KefuReturnsSection *self,
                                                      gint64              id);

/* The plain words of a type, reason or step. */
const char      *kefu_returns_text_type              (KefuReturnType      type);
const char      *kefu_returns_text_reason            (KefuReturnReason    reason);
const char      *kefu_returns_text_step              (KefuReturnStep      step);

G_END_DECLS
