/* kefu-sla-scheduler.h — one timer for every SLA clock: warnings, breaches, escalations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kefu-clock.h"
#include "kefu-store.h"

G_BEGIN_DECLS

#define KEFU_TYPE_SLA_SCHEDULER (kefu_sla_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (KefuSlaScheduler, kefu_sla_scheduler, KEFU, SLA_SCHEDULER, GObject)

/* The most tickets one write job handles; a run loops over jobs while more are due. */
#define KEFU_SLA_SCHEDULER_DEFAULT_BATCH 2000

typedef struct {
  guint64 timer_wakeups;   /* the timer fired */
  guint64 runs;            /* catch-up runs (each one job or more, until nothing is due) */
  guint64 jobs;            /* write jobs */
  guint64 tickets;         /* tickets handled */
  guint64 alerts;          /* alerts raised */
  gint64  armed_for;       /* the instant the timer is armed for, 0 = none */
} KefuSlaSchedulerStats;

/* Created and used on the thread whose main context serves the store (the server's). @tz: the
 * zone of the times in alert messages. */
KefuSlaScheduler *kefu_sla_scheduler_new        (KefuStore         *store,
                                                 KefuClock         *clock,
                                                 GTimeZone         *tz);
/* Starts watching (KefuStore::committed, KefuClock::jumped) and catches up on everything that
 * fell due while the server was down, in the background. */
void              kefu_sla_scheduler_start      (KefuSlaScheduler  *self);
/* Stops for good (before the store closes); a run in progress finishes its current job. */
void              kefu_sla_scheduler_stop       (KefuSlaScheduler  *self);

/* From any thread but the scheduler's own: handles everything due at the clock's current time
 * and returns once it is committed (waiting for a run in progress, which then covers it).
 * KefuClock::jumped does this when a test moves the manual clock, so that tests need no
 * sleeps. FALSE with @error when a job failed. */
gboolean          kefu_sla_scheduler_sync       (KefuSlaScheduler  *self,
                                                 GError           **error);

void              kefu_sla_scheduler_set_batch_size (KefuSlaScheduler *self,
                                                 guint              batch);
void              kefu_sla_scheduler_get_stats  (KefuSlaScheduler  *self,
                                                 KefuSlaSchedulerStats *stats);

G_END_DECLS
