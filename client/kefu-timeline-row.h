/* kefu-timeline-row.h — one event of a ticket's timeline
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kefu-ticket.h"

G_BEGIN_DECLS

#define KEFU_TYPE_TIMELINE_ROW (kefu_timeline_row_get_type ())
G_DECLARE_FINAL_TYPE (KefuTimelineRow, kefu_timeline_row, KEFU, TIMELINE_ROW, GtkListBoxRow)

/* A row that reads @event (copied) as a sentence: who, when ("5 min ago", the local time in
 * the tooltip), what, and the text that came with it. */
GtkWidget       *kefu_timeline_row_new         (const KefuTicketEvent *event,
                                                gint64                 now_usec);

const KefuTicketEvent *kefu_timeline_row_get_event (KefuTimelineRow *self);
/* The one-line reading of the event ("Status: New → Assigned"). */
const char      *kefu_timeline_row_get_summary (KefuTimelineRow      *self);
/* Refreshes the relative time. */
void             kefu_timeline_row_update_time (KefuTimelineRow      *self,
                                                gint64                 now_usec);

/* The sentence for an event (translated; newly allocated), and the details under it (or
 * NULL). Exposed for the tests and for notifications. */
char            *kefu_timeline_event_summary   (const KefuTicketEvent *event);
char            *kefu_timeline_event_details   (const KefuTicketEvent *event);

G_END_DECLS
