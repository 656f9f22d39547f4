/* kefu-report-facts.h — one short row per ticket for the reports (table report_facts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-db.h"
#include "kefu-ticket-repo.h"

G_BEGIN_DECLS

/* Outcome of one SLA clock of a ticket. */
typedef enum {
  KEFU_REPORT_SLA_UNDECIDED = 0,   /* still running (it may yet be breached: see the due) */
  KEFU_REPORT_SLA_MET       = 1,
  KEFU_REPORT_SLA_BREACHED  = 2,
} KefuReportSla;

/* report_facts.codes packs the small values of a row (a report reads every column of every
 * row of its period, so fewer columns is faster):
 *
 *   bits  0–2   priority 1–4
 *   bits  3–5   category code  (kefu_report_category_words)
 *   bits  6–9   channel code   (kefu_report_channel_words)
 *   bits 10–13  status code    (kefu_report_status_words)
 *   bits 14–15  first-response verdict (KefuReportSla)
 *   bits 16–17  resolution verdict (KefuReportSla)
 *   bits 18–19  highest escalation level reached (0–3)
 *   bits 20–22  satisfaction of the last confirmation (0 = none, 1–5)
 *   bits 23–30  number of reopens (at most 255)
 *
 * The codes are the positions of the words in the tables below — stored on disk: never
 * reorder them, only append (migration 5 writes the same codes in SQL). */
#define KEFU_FACTS_PRIORITY(c)      ((int) ((c) & 0x7))
#define KEFU_FACTS_CATEGORY(c)      ((int) (((c) >> 3) & 0x7))
#define KEFU_FACTS_CHANNEL(c)       ((int) (((c) >> 6) & 0xf))
#define KEFU_FACTS_STATUS(c)        ((int) (((c) >> 10) & 0xf))
#define KEFU_FACTS_RESPONSE_SLA(c)  ((int) (((c) >> 14) & 0x3))
#define KEFU_FACTS_RESOLVE_SLA(c)   ((int) (((c) >> 16) & 0x3))
#define KEFU_FACTS_LEVEL(c)         ((int) (((c) >> 18) & 0x3))
#define KEFU_FACTS_SATISFACTION(c)  ((int) (((c) >> 20) & 0x7))
#define KEFU_FACTS_REOPENED(c)      ((int) (((c) >> 23) & 0xff))
/* The status code of "cancelled" and the SQL that reads the status and the satisfaction. */
#define KEFU_FACTS_STATUS_CANCELLED 9
#define KEFU_FACTS_SQL_STATUS       "((codes >> 10) & 15)"
#define KEFU_FACTS_SQL_SATISFACTION "((codes >> 20) & 7)"

#define KEFU_FACTS_N_CATEGORIES 5
#define KEFU_FACTS_N_CHANNELS   8
#define KEFU_FACTS_N_STATUSES   10

extern const char * const kefu_report_category_words[KEFU_FACTS_N_CATEGORIES];
extern const char * const kefu_report_channel_words[KEFU_FACTS_N_CHANNELS];
extern const char * const kefu_report_status_words[KEFU_FACTS_N_STATUSES];

/* The code of @word in @words (of @n), or -1. */
int      kefu_report_facts_code             (const char * const *words,
                                             guint               n,
                                             const char         *word);
/* Packs the values (out-of-range values are clamped). */
gint64   kefu_report_facts_pack             (int                 priority,
                                             int                 category,
                                             int                 channel,
                                             int                 status,
                                             int                 response_sla,
                                             int                 resolve_sla,
                                             int                 level,
                                             int                 satisfaction,
                                             int                 reopened);

/* Brings @ticket's row up to date after it was inserted or rewritten (same transaction, on the
 * writer's connection): kefu_ticket_repo_insert() and kefu_ticket_repo_update() call it. The
 * previous row is what tells a first response or a resolution on time from a late one: it
 * holds the due that was in force until this change. */
gboolean kefu_report_facts_update           (KefuDb                *db,
                                             const KefuTicket      *ticket,
                                             const KefuTicketClock *clock,
                                             GError               **error);
/* The SLA scheduler raised @ticket_id's escalation level (kefu_ticket_repo_update_due()). */
gboolean kefu_report_facts_raise_escalation (KefuDb                *db,
                                             gint64                 ticket_id,
                                             int                    level,
                                             GError               **error);

G_END_DECLS
