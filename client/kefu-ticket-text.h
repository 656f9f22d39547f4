/* kefu-ticket-text.h — a ticket's words and times as people read them, translated
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kefu-enums.h"
#include "kefu-sla.h"
#include "kefu-ticket.h"

G_BEGIN_DECLS

/* Loads the style sheet of the ticket views (once per process; needs a display). */
void        kefu_ticket_text_ensure_style (void);

/* Translated names of the domain's words; NULL for an out-of-range value. */
const char *kefu_text_channel          (KefuChannel         channel);
const char *kefu_text_stage            (KefuStage           stage);
const char *kefu_text_category         (KefuCategory        category);
/* What a category covers ("Faults, substandard function, missing parts"). */
const char *kefu_text_category_hint    (KefuCategory        category);
const char *kefu_text_status           (KefuStatus          status);
/* "P1 · Urgent" */
const char *kefu_text_priority         (int                 priority);
/* "Urgent" */
const char *kefu_text_priority_name    (int                 priority);
/* When to choose it ("Core use blocked: an appliance will not start, an order cannot be
 * received"). */
const char *kefu_text_priority_meaning (int                 priority);
const char *kefu_text_resolution_kind  (KefuResolutionKind  kind);
const char *kefu_text_sla_clock        (KefuSlaClock        clock);
const char *kefu_text_cancel_reason    (KefuCancelReason    reason);
/* A department code ("technical") → its name; an unknown code comes back as it is. */
const char *kefu_text_department       (const char         *code);
/* A wire field name ("customer.phone") → its label; an unknown name comes back as it is. */
const char *kefu_text_field            (const char         *field);
/* The words of a wire status/category/… given as a string; unknown words come back as they
 * are, NULL as NULL. */
const char *kefu_text_status_word      (const char         *word);

/* The suggestions for a category's free subcategory (NULL-terminated, translated, static). */
const char * const *kefu_text_subcategory_suggestions (KefuCategory category);

/* "2 hours", "30 minutes", "5 business days", "9 business hours". */
char       *kefu_text_target           (KefuSlaTarget       target,
                                        KefuSlaPolicy      *policy);
/* A short span: "2 h", "1 h 30 min", "5 business days". */
char       *kefu_text_target_short     (KefuSlaTarget       target,
                                        KefuSlaPolicy      *policy);

/* Local time "2026-11-23 17:05" (or with the seconds). NULL for 0. */
char       *kefu_text_local_time       (gint64              usec,
                                        gboolean            with_seconds);
/* "just now", "5 min ago", "3 h ago", "yesterday 17:05", "2026-11-20 09:30"; "in 5 min" ahead. */
char       *kefu_text_relative_time    (gint64              usec,
                                        gint64              now_usec);
/* A countdown: "1:12:05", "2 d 4 h", "0:00:42" (the absolute value of @usec). */
char       *kefu_text_countdown        (gint64              usec);

/* A validation error (from kefu_validate_*() or the server) as a sentence to show under the
 * field, translated where the kind of problem is known, the error's own message otherwise. */
char       *kefu_text_field_error      (const GError       *error);

G_END_DECLS
