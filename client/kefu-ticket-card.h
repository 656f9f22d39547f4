/* kefu-ticket-card.h — one ticket on the board
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-ticket-object.h"

G_BEGIN_DECLS

#define KEFU_TYPE_TICKET_CARD (kefu_ticket_card_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicketCard, kefu_ticket_card, KEFU, TICKET_CARD, AdwBin)

/* Number, customer with the masked phone, category, assignee, status and a live countdown to
 * the nearest deadline, coloured by its state (style classes kefu-ok, kefu-warning,
 * kefu-breached, kefu-paused on the card). It follows its ticket object as new versions
 * arrive; the countdown moves with the process's KefuTicker while the card is mapped. */
GtkWidget        *kefu_ticket_card_new             (void);

KefuTicketObject *kefu_ticket_card_get_ticket      (KefuTicketCard   *self);
void              kefu_ticket_card_set_ticket      (KefuTicketCard   *self,
                                                    KefuTicketObject *ticket);

/* What the card shows, for tests. */
const char       *kefu_ticket_card_get_countdown_text (KefuTicketCard *self);
const char       *kefu_ticket_card_get_assignee_text  (KefuTicketCard *self);
const char       *kefu_ticket_card_get_status_text    (KefuTicketCard *self);
KefuSlaState      kefu_ticket_card_get_shown_state    (KefuTicketCard *self);

/* "1 h 12 min left", "8 min 5 s left", "overdue 25 min" for the time from now to a due
 * (negative when it has passed); *shows_seconds tells whether the text has seconds. */
char             *kefu_ticket_card_format_countdown (gint64    remaining_usec,
                                                     gboolean *shows_seconds);

G_END_DECLS
