/* kefu-visits-section.h — the field visits (上门服务) of one ticket
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

#define KEFU_TYPE_VISITS_SECTION (kefu_visits_section_get_type ())
G_DECLARE_FINAL_TYPE (KefuVisitsSection, kefu_visits_section, KEFU, VISITS_SECTION, GtkBox)

/* The ticket's visits, each with its status, time, address, technician, warranty, fee, parts,
 * arrival and completion, outcome and reschedules; and what the user may do with them
 * (kefu-permissions.h). Actions (group "visits"): schedule; reschedule, arrive, done and cancel
 * with the visit id (int64). Those that need input open a form (kefu-section-form.h).
 *
 * Signals:
 *   "ticket-changed" (KefuTicket *ticket): a change succeeded; @ticket is the server's answer. */
GtkWidget       *kefu_visits_section_new            (void);

void             kefu_visits_section_set_connection (KefuVisitsSection *self,
                                                     KefuConnection    *connection);
void             kefu_visits_section_set_ticket     (KefuVisitsSection *self,
                                                     KefuTicket        *ticket);
/* Whether the section has something to show or offer for the ticket and user. */
gboolean         kefu_visits_section_is_relevant    (KefuVisitsSection *self);
/* The open form, or NULL. */
KefuSectionForm *kefu_visits_section_get_form       (KefuVisitsSection *self);
/* The text of the row of visit @id (title and details), or NULL; for tests. */
char            *kefu_visits_section_get_row_text   (KefuVisitsSection *self,
                                                     gint64             id);

G_END_DECLS
