/* kefu-sla-scheduler.c — one timer for every SLA clock: warnings, breaches, escalations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every ticket row carries next_due: the next warning point or due that the scheduler has not
 * handled (kefu_ticket_clock_next_point()), in a partial index. So the whole state of the
 * scheduler is one number, `SELECT min(next_due)`, one index lookup:
 *
 * - With the system clock, one GSource is armed for that instant (never more than an hour
 *   ahead, so that a step of the wall clock is noticed). Nothing wakes the server while
 *   nothing is due: no per-ticket timers, no periodic scan.
 * - With any other clock (the tests' manual clock) there is no timer: KefuClock::jumped means
 *   "time moved", and the scheduler handles what is due at the new time before the signal
 *   returns (kefu_sla_scheduler_sync()).
 * - After every commit (KefuStore::committed) the minimum is read again: a change may have
 *   brought the earliest point forward (a new P1, a priority raised), or made a point due at
 *   once. Reading it costs one index lookup, so it is simply done every time.
 *
 * A run handles everything due: write jobs of at most `batch` tickets each (earliest first), each
 * one transaction through the store's writer, repeated while a job was full. The work per
 * ticket is kefu_ticket_op_escalate(): alerts (raised once, by the alerts table's unique key),
 * timeline events, escalation level, SLA state, version, outbox. Starting up is a run like any
 * other, which is how what fell due while the server was down gets raised — once.
 *
 * Threads: the scheduler lives on the server's main context. A run started there chains
 * asynchronous jobs; kefu_sla_scheduler_sync() (another thread) runs jobs with
 * kefu_store_write_sync(). `busy` says a run is going on; whoever finds it busy sets `again`,
 * and the run does one more job (reading the clock afresh) before it ends.
 */
#include "config.h"

#include "kefu-sla-scheduler.h"
#include "kefu-system-clock.h"
#include "kefu-ticket-ops.h"
#include "kefu-ticket-repo.h"

/* The longest the timer sleeps without looking at the wall clock again. */
#define MAX_SLEEP_MS (60 * 60 * 1000)
/* After a failed job, when the system clock is used: try again this much later. */
#define RETRY_MS     (60 * 1000)

struct _KefuSlaScheduler
{
  GObject        parent_instance;

  KefuStore     *store;
  KefuClock     *clock;
  GTimeZone     *tz;
  GMainContext  *context;
  gboolean       real_time;       /* the system clock: time passes by itself, arm a timer */
  gulong         committed_id;
  gulong         jumped_id;
  GSource       *timer;
  gint64         timer_at;

  GMutex         mutex;
  GCond          cond;
  gboolean       started;
  gboolean       closed;
  gboolean       busy;            /* a run is going on */
  gboolean       again;           /* … and must do one more job before it ends */
  guint          sync_callers;
  guint          batch;

  /* atomic */
  guint64        timer_wakeups;
  guint64        runs;
  guint64        jobs;
  guint64        tickets;
  guint64        alerts;
};

G_DEFINE_FINAL_TYPE (KefuSlaScheduler, kefu_sla_scheduler, G_TYPE_OBJECT)

static void check (KefuSlaScheduler *self);

/* ---- the job (writer thread) ------------------------------------------------------------- */

typedef struct {
  KefuClock  *clock;
  GTimeZone  *tz;
  guint       batch;
} DueJob;

typedef struct {
  guint     tickets;
  guint     alerts;
  gboolean  more;     /* the batch was full: more may be due */
} DueResult;

static DueJob *
due_job_new (KefuSlaScheduler *self)
{
  DueJob *job = g_new0 (DueJob, 1);

  job->clock = g_object_ref (self->clock);
  job->tz = g_time_zone_ref (self->tz);
  g_mutex_lock (&self->mutex);
  job->batch = self->batch;
  g_mutex_unlock (&self->mutex);
  return job;
}

static void
due_job_free (gpointer data)
{
  DueJob *job = data;

  g_clear_object (&job->clock);
  g_clear_pointer (&job->tz, g_time_zone_unref);
  g_free (job);
}

static gpointer
due_job_run (KefuDb   *db,
             gpointer  data,
             GError  **error)
{
  DueJob *job = data;
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_due_ticket_free);
  DueResult *result;
  gint64 now;

  /* The time when the job runs, not when it was queued: nothing due by then is left over. */
  now = kefu_clock_now (job->clock);

  if (!kefu_ticket_repo_load_due (db, now, job->batch, tickets, error))
    return NULL;

  result = g_new0 (DueResult, 1);
  for (guint i = 0; i < tickets->len; i++)
    {
      KefuDueTicket *ticket = g_ptr_array_index (tickets, i);
      guint raised = 0;

      if (!kefu_ticket_op_escalate (db, job->tz, now, ticket, &raised, error))
        {
          g_free (result);
          return NULL;
        }
      /* Everything up to now is handled, so the ticket cannot come back in this run. */
      g_warn_if_fail (kefu_ticket_clock_next_point (ticket->clock) == 0 ||
                      kefu_ticket_clock_next_point (ticket->clock) > now);
      result->alerts += raised;
    }
  result->tickets = tickets->len;
  result->more = tickets->len >= job->batch;

  return result;
}

static void
count_result (KefuSlaScheduler *self,
              const DueResult  *result)
{
  __atomic_add_fetch (&self->jobs, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch (&self->tickets, result->tickets, __ATOMIC_RELAXED);
  __atomic_add_fetch (&self->alerts, result->alerts, __ATOMIC_RELAXED);
}

/* ---- the timer (main thread) ------------------------------------------------------------- */

static void
disarm (KefuSlaScheduler *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  self->timer_at = 0;
}

static gboolean
timer_fired (gpointer data)
{
  KefuSlaScheduler *self = data;

  __atomic_add_fetch (&self->timer_wakeups, 1, __ATOMIC_RELAXED);
  g_clear_pointer (&self->timer, g_source_unref);
  self->timer_at = 0;
  check (self);
  return G_SOURCE_REMOVE;
}

static void
arm_in (KefuSlaScheduler *self,
        gint64            at,
        guint             delay_ms)
{
  disarm (self);
  self->timer = g_timeout_source_new (delay_ms);
  g_source_set_name (self->timer, "[kefu] SLA scheduler");
  g_source_set_callback (self->timer, timer_fired, self, NULL);
  g_source_attach (self->timer, self->context);
  self->timer_at = at;
}

/* Arms the one timer for @at (when time passes by itself; other clocks say when they jump). */
static void
arm (KefuSlaScheduler *self,
     gint64            at,
     gint64            now)
{
  gint64 delay_ms;

  if (!self->real_time)
    return;
  if (self->timer != NULL && self->timer_at == at)
    return;

  /* Rounded up, so that the due has come when the timer fires. */
  delay_ms = (at - now + 999) / 1000;
  arm_in (self, at, (guint) CLAMP (delay_ms, 0, MAX_SLEEP_MS));
}

/* ---- runs -------------------------------------------------------------------------------- */

static void run_async (KefuSlaScheduler *self);

static void
end_run (KefuSlaScheduler *self)
{
  g_mutex_lock (&self->mutex);
  self->busy = FALSE;
  self->again = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
job_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(KefuSlaScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree DueResult *result = NULL;
  gboolean more;

  result = kefu_store_write_finish (KEFU_STORE (source), res, &error);

  g_mutex_lock (&self->mutex);
  if (self->closed)
    {
      g_mutex_unlock (&self->mutex);
      end_run (self);
      return;
    }

  if (result == NULL)
    {
      g_mutex_unlock (&self->mutex);
      g_warning ("SLA: handling the due tickets failed: %s",
                 error ? error->message : "no result");
      end_run (self);
      /* Not at once (it would fail again at once): a while later, or at the next jump. */
      if (self->real_time)
        arm_in (self, kefu_clock_now (self->clock) + RETRY_MS * 1000, RETRY_MS);
      return;
    }

  count_result (self, result);
  more = result->more || self->again;
  self->again = FALSE;
  g_mutex_unlock (&self->mutex);

  if (more)
    {
      run_async (self);
      return;
    }

  end_run (self);
  /* Commits that arrived during the run were not looked at: look now (and arm the timer). */
  check (self);
}

/* Queues one job; the caller has set busy. */
static void
run_async (KefuSlaScheduler *self)
{
  kefu_store_write_async (self->store, due_job_run, due_job_new (self), due_job_free, g_free,
                          NULL, job_done, g_object_ref (self));
}

/* Main thread: starts a run unless one is going on. */
static void
start_run (KefuSlaScheduler *self)
{
  g_mutex_lock (&self->mutex);
  if (self->closed || self->busy)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->busy = TRUE;
  self->again = FALSE;
  g_mutex_unlock (&self->mutex);

  __atomic_add_fetch (&self->runs, 1, __ATOMIC_RELAXED);
  disarm (self);
  run_async (self);
}

/* Main thread: is anything due? Then run; otherwise arm the timer for the earliest point. */
static void
check (KefuSlaScheduler *self)
{
  g_autoptr(GError) error = NULL;
  gint64 earliest;
  gint64 now;

  g_mutex_lock (&self->mutex);
  if (self->closed || !self->started || self->busy)
    {
      /* A run ends with a check of its own. */
      g_mutex_unlock (&self->mutex);
      return;
    }
  g_mutex_unlock (&self->mutex);

  earliest = kefu_ticket_repo_earliest_due (kefu_store_get_reader (self->store), &error);
  if (error != NULL)
    {
      g_warning ("SLA: cannot read the earliest due: %s", error->message);
      return;
    }

  if (earliest == 0)
    {
      disarm (self);
      return;
    }

  now = kefu_clock_now (self->clock);
  if (earliest <= now)
    start_run (self);
  else
    arm (self, earliest, now);
}

static void
on_committed (KefuStore        *store,
              KefuSlaScheduler *self)
{
  check (self);
}

static gboolean
check_cb (gpointer data)
{
  check (data);
  return G_SOURCE_REMOVE;
}

gboolean
kefu_sla_scheduler_sync (KefuSlaScheduler  *self,
                         GError           **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (KEFU_IS_SLA_SCHEDULER (self), FALSE);
  g_return_val_if_fail (!g_main_context_is_owner (self->context), FALSE);

  g_mutex_lock (&self->mutex);
  if (self->closed || !self->started)
    {
      g_mutex_unlock (&self->mutex);
      return TRUE;
    }

  if (self->busy)
    {
      /* A run is going on: it does one more job, which reads the clock after our caller moved
       * it, and so covers everything due now. */
      self->again = TRUE;
      while (self->busy && !self->closed)
        g_cond_wait (&self->cond, &self->mutex);
      g_mutex_unlock (&self->mutex);
      return TRUE;
    }

  self->busy = TRUE;
  self->again = FALSE;
  self->sync_callers++;
  g_mutex_unlock (&self->mutex);
  __atomic_add_fetch (&self->runs, 1, __ATOMIC_RELAXED);

  for (;;)
    {
      g_autofree DueResult *result = NULL;
      DueJob *job;
      gboolean more;

      g_mutex_lock (&self->mutex);
      if (self->closed)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      self->again = FALSE;
      g_mutex_unlock (&self->mutex);

      job = due_job_new (self);
      result = kefu_store_write_sync (self->store, due_job_run, job, g_free, error);
      due_job_free (job);
      if (result == NULL)
        {
          ok = FALSE;
          break;
        }
      count_result (self, result);

      g_mutex_lock (&self->mutex);
      more = result->more || self->again;
      g_mutex_unlock (&self->mutex);
      if (!more)
        break;
    }

  g_mutex_lock (&self->mutex);
  self->busy = FALSE;
  self->again = FALSE;
  self->sync_callers--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* Let the main thread look at the new earliest point (and arm its timer). */
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, check_cb,
                              g_object_ref (self), g_object_unref);
  return ok;
}

static void
on_jumped (KefuClock        *clock,
           KefuSlaScheduler *self)
{
  g_autoptr(GError) error = NULL;

  if (g_main_context_is_owner (self->context))
    {
      check (self);
      return;
    }
  if (!kefu_sla_scheduler_sync (self, &error))
    g_warning ("SLA: handling the due tickets failed: %s", error->message);
}

/* ---- the object -------------------------------------------------------------------------- */

static void
closure_unref (gpointer  data,
               GClosure *closure)
{
  g_object_unref (data);
}

void
kefu_sla_scheduler_start (KefuSlaScheduler *self)
{
  g_return_if_fail (KEFU_IS_SLA_SCHEDULER (self));

  g_mutex_lock (&self->mutex);
  if (self->started || self->closed)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->started = TRUE;
  g_mutex_unlock (&self->mutex);

  self->committed_id = g_signal_connect (self->store, "committed",
                                         G_CALLBACK (on_committed), self);
  /* Emitted on whatever thread moves the clock: the closure keeps us alive while it runs. */
  self->jumped_id = g_signal_connect_data (self->clock, "jumped", G_CALLBACK (on_jumped),
                                           g_object_ref (self), closure_unref, 0);

  /* Catch up on what fell due while we were down: the same run as any other. */
  check (self);
}

void
kefu_sla_scheduler_stop (KefuSlaScheduler *self)
{
  g_return_if_fail (KEFU_IS_SLA_SCHEDULER (self));

  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  g_cond_broadcast (&self->cond);
  /* A sync caller is between write jobs: let it finish the one it queued while the store is
   * still open. */
  while (self->sync_callers > 0)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  g_clear_signal_handler (&self->committed_id, self->store);
  g_clear_signal_handler (&self->jumped_id, self->clock);
  disarm (self);
}

static void
kefu_sla_scheduler_dispose (GObject *object)
{
  KefuSlaScheduler *self = KEFU_SLA_SCHEDULER (object);

  kefu_sla_scheduler_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (kefu_sla_scheduler_parent_class)->dispose (object);
}

static void
kefu_sla_scheduler_finalize (GObject *object)
{
  KefuSlaScheduler *self = KEFU_SLA_SCHEDULER (object);

  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (kefu_sla_scheduler_parent_class)->finalize (object);
}

static void
kefu_sla_scheduler_class_init (KefuSlaSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kefu_sla_scheduler_dispose;
  object_class->finalize = kefu_sla_scheduler_finalize;
}

static void
kefu_sla_scheduler_init (KefuSlaScheduler *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->batch = KEFU_SLA_SCHEDULER_DEFAULT_BATCH;
}

KefuSlaScheduler *
kefu_sla_scheduler_new (KefuStore *store,
                        KefuClock *clock,
                        GTimeZone *tz)
{
  KefuSlaScheduler *self;

  g_return_val_if_fail (KEFU_IS_STORE (store), NULL);
  g_return_val_if_fail (KEFU_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  self = g_object_new (KEFU_TYPE_SLA_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->tz = g_time_zone_ref (tz);
  self->context = g_main_context_ref_thread_default ();
  self->real_time = KEFU_IS_SYSTEM_CLOCK (clock);

  return self;
}

void
kefu_sla_scheduler_set_batch_size (KefuSlaScheduler *self,
                                   guint             batch)
{
  g_return_if_fail (KEFU_IS_SLA_SCHEDULER (self));
  g_return_if_fail (batch > 0);

  g_mutex_lock (&self->mutex);
  self->batch = batch;
  g_mutex_unlock (&self->mutex);
}

void
kefu_sla_scheduler_get_stats (KefuSlaScheduler      *self,
                              KefuSlaSchedulerStats *stats)
{
  g_return_if_fail (KEFU_IS_SLA_SCHEDULER (self));
  g_return_if_fail (stats != NULL);

  stats->timer_wakeups = __atomic_load_n (&self->timer_wakeups, __ATOMIC_RELAXED);
  stats->runs = __atomic_load_n (&self->runs, __ATOMIC_RELAXED);
  stats->jobs = __atomic_load_n (&self->jobs, __ATOMIC_RELAXED);
  stats->tickets = __atomic_load_n (&self->tickets, __ATOMIC_RELAXED);
  stats->alerts = __atomic_load_n (&self->alerts, __ATOMIC_RELAXED);
  stats->armed_for = self->timer_at;
}
