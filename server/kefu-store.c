/* kefu-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Durability costs one fsync per commit (synchronous=FULL), about 3,000 per second on a plain
 * disk, which would cap the server at that many writes. So all writes go through one writer
 * thread: it takes every job queued at that moment (up to KEFU_STORE_MAX_BATCH), runs each in a
 * savepoint of one transaction, commits once, and only then completes the jobs. While it
 * waits for the disk, the next batch accumulates. Reads use their own connection; WAL lets
 * them run alongside the writer.
 */
#include "config.h"

#include <errno.h>

#include "kefu-schema.h"
#include "kefu-store.h"

#define KEFU_STORE_MAX_BATCH 1024

typedef struct {
  KefuStoreWriteFunc  func;
  gpointer            data;
  GDestroyNotify      data_destroy;
  GDestroyNotify      result_destroy;
  GTask              *task;          /* async jobs */
  /* sync jobs */
  GMutex             *mutex;
  GCond              *cond;
  gboolean            done;
  /* outcome */
  gpointer            result;
  GError             *error;
  gboolean            stop;          /* the sentinel that stops the writer */
} Job;

struct _KefuStore
{
  GObject      parent_instance;

  char        *path;
  KefuDb      *reader;
  KefuDb      *writer;       /* owned by the writer thread once it runs */
  GThread     *thread;
  GAsyncQueue *queue;        /* of Job* */

  guint64      batches;      /* atomic */
  guint64      jobs;         /* atomic */

  GMainContext *context;     /* where ::committed is emitted */
  gint          notify_pending;  /* atomic: a ::committed emission is queued */
};

G_DEFINE_FINAL_TYPE (KefuStore, kefu_store, G_TYPE_OBJECT)

enum {
  COMMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
emit_committed (gpointer data)
{
  KefuStore *self = data;

  __atomic_store_n (&self->notify_pending, 0, __ATOMIC_SEQ_CST);
  g_signal_emit (self, signals[COMMITTED], 0);
  return G_SOURCE_REMOVE;
}

/* Called on the writer thread after each commit: one queued emission covers any number of
 * commits, so a busy writer does not flood the main loop. */
static void
queue_committed (KefuStore *self)
{
  if (__atomic_exchange_n (&self->notify_pending, 1, __ATOMIC_SEQ_CST) == 0)
    g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, emit_committed,
                                g_object_ref (self), g_object_unref);
}

static void
job_free (Job *job)
{
  if (job->data_destroy != NULL && job->data != NULL)
    job->data_destroy (job->data);
  if (job->result_destroy != NULL && job->result != NULL)
    job->result_destroy (job->result);
  g_clear_error (&job->error);
  g_clear_object (&job->task);
  g_free (job);
}

static void
job_complete (Job *job)
{
  if (job->data_destroy != NULL && job->data != NULL)
    {
      job->data_destroy (job->data);
      job->data = NULL;
    }

  if (job->task != NULL)
    {
      GTask *task = g_steal_pointer (&job->task);

      if (job->error != NULL)
        g_task_return_error (task, g_steal_pointer (&job->error));
      else
        g_task_return_pointer (task, g_steal_pointer (&job->result), job->result_destroy);
      g_object_unref (task);
      job_free (job);
    }
  else
    {
      g_mutex_lock (job->mutex);
      job->done = TRUE;
      g_cond_signal (job->cond);
      g_mutex_unlock (job->mutex);
      /* the waiting thread frees the job */
    }
}

static void
run_batch (KefuStore *self,
           GPtrArray *batch)
{
  g_autoptr(GError) error = NULL;

  if (!kefu_db_exec (self->writer, "BEGIN IMMEDIATE;", &error))
    goto failed;

  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      if (!kefu_db_exec (self->writer, "SAVEPOINT job;", &error))
        goto failed_rollback;

      job->result = job->func (self->writer, job->data, &job->error);

      if (job->error != NULL)
        {
          if (job->result_destroy != NULL && job->result != NULL)
            job->result_destroy (job->result);
          job->result = NULL;
          if (!kefu_db_exec (self->writer, "ROLLBACK TO job;", &error))
            goto failed_rollback;
        }
      if (!kefu_db_exec (self->writer, "RELEASE job;", &error))
        goto failed_rollback;
    }

  if (!kefu_db_exec (self->writer, "COMMIT;", &error))
    goto failed_rollback;

  __atomic_add_fetch (&self->batches, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch (&self->jobs, batch->len, __ATOMIC_RELAXED);

  for (guint i = 0; i < batch->len; i++)
    job_complete (g_ptr_array_index (batch, i));
  queue_committed (self);
  return;

failed_rollback:
  kefu_db_exec (self->writer, "ROLLBACK;", NULL);
failed:
  g_warning ("Write batch of %u jobs failed: %s", batch->len, error->message);
  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      if (job->result_destroy != NULL && job->result != NULL)
        job->result_destroy (job->result);
      job->result = NULL;
      g_clear_error (&job->error);
      job->error = g_error_copy (error);
      job_complete (job);
    }
}

static gpointer
writer_thread (gpointer data)
{
  KefuStore *self = data;
  g_autoptr(GPtrArray) batch = g_ptr_array_sized_new (64);
  gboolean stop = FALSE;

  while (!stop)
    {
      Job *job = g_async_queue_pop (self->queue);

      g_ptr_array_set_size (batch, 0);
      do
        {
          if (job->stop)
            {
              stop = TRUE;
              job_complete (job);
              break;
            }
          g_ptr_array_add (batch, job);
        }
      while (batch->len < KEFU_STORE_MAX_BATCH && (job = g_async_queue_try_pop (self->queue)));

      if (batch->len > 0)
        run_batch (self, batch);
    }

  return NULL;
}

void
kefu_store_close (KefuStore *self)
{
  g_return_if_fail (KEFU_IS_STORE (self));

  if (self->thread != NULL)
    {
      GMutex mutex;
      GCond cond;
      Job *job = g_new0 (Job, 1);

      g_mutex_init (&mutex);
      g_cond_init (&cond);
      job->stop = TRUE;
      job->mutex = &mutex;
      job->cond = &cond;
      g_async_queue_push (self->queue, job);
      g_thread_join (g_steal_pointer (&self->thread));
      g_mutex_clear (&mutex);
      g_cond_clear (&cond);
      job_free (job);
    }

  g_clear_pointer (&self->writer, kefu_db_close);
  g_clear_pointer (&self->reader, kefu_db_close);
}

static void
kefu_store_dispose (GObject *object)
{
  kefu_store_close (KEFU_STORE (object));

  G_OBJECT_CLASS (kefu_store_parent_class)->dispose (object);
}

static void
kefu_store_finalize (GObject *object)
{
  KefuStore *self = KEFU_STORE (object);

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (kefu_store_parent_class)->finalize (object);
}

static void
kefu_store_class_init (KefuStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kefu_store_dispose;
  object_class->finalize = kefu_store_finalize;

  /**
   * KefuStore::committed:
   *
   * Emitted on the main context of the thread that created the store after writes have been
   * committed (one emission may cover several commits). The event hub reads the new outbox
   * rows when it fires.
   */
  signals[COMMITTED] = g_signal_new ("committed",
                                     G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);
}

static void
kefu_store_init (KefuStore *self)
{
  self->queue = g_async_queue_new ();
}

KefuStore *
kefu_store_new (const char  *data_dir,
                GError     **error)
{
  g_autoptr(KefuStore) self = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create data directory %s: %s", data_dir, g_strerror (saved));
      return NULL;
    }

  self = g_object_new (KEFU_TYPE_STORE, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->path = g_build_filename (data_dir, "kefu.db", NULL);

  self->writer = kefu_db_open (self->path, FALSE, error);
  if (self->writer == NULL)
    return NULL;
  if (!kefu_schema_migrate (self->writer, KEFU_SCHEMA_VERSION, error))
    return NULL;

  self->reader = kefu_db_open (self->path, FALSE, error);
  if (self->reader == NULL)
    return NULL;
  if (!kefu_db_exec (self->reader, "PRAGMA query_only = ON;", error))
    return NULL;

  self->thread = g_thread_try_new ("kefu-writer", writer_thread, self, error);
  if (self->thread == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
kefu_store_get_path (KefuStore *self)
{
  g_return_val_if_fail (KEFU_IS_STORE (self), NULL);
  return self->path;
}

KefuDb *
kefu_store_get_reader (KefuStore *self)
{
  g_return_val_if_fail (KEFU_IS_STORE (self), NULL);
  return self->reader;
}

void
kefu_store_write_async (KefuStore           *self,
                        KefuStoreWriteFunc   func,
                        gpointer             data,
                        GDestroyNotify       data_destroy,
                        GDestroyNotify       result_destroy,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Job *job;

  g_return_if_fail (KEFU_IS_STORE (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_destroy = data_destroy;
  job->result_destroy = result_destroy;
  /* No source object: the writer thread drops its task references, and must never drop the
   * last reference to the store (dispose would then join the writer from the writer). */
  job->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, kefu_store_write_async);

  if (self->thread == NULL)
    {
      job->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "the store is closed");
      job_complete (job);
      return;
    }

  g_async_queue_push (self->queue, job);
}

gpointer
kefu_store_write_finish (KefuStore     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (self == NULL || KEFU_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kefu_store_write_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
kefu_store_write_sync (KefuStore           *self,
                       KefuStoreWriteFunc   func,
                       gpointer             data,
                       GDestroyNotify       result_destroy,
                       GError             **error)
{
  GMutex mutex;
  GCond cond;
  Job *job;
  gpointer result;

  g_return_val_if_fail (KEFU_IS_STORE (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (g_thread_self () != self->thread, NULL);

  if (self->thread == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the store is closed");
      return NULL;
    }

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->result_destroy = result_destroy;
  job->mutex = &mutex;
  job->cond = &cond;

  g_mutex_lock (&mutex);
  g_async_queue_push (self->queue, job);
  while (!job->done)
    g_cond_wait (&cond, &mutex);
  g_mutex_unlock (&mutex);

  result = g_steal_pointer (&job->result);
  if (job->error != NULL)
    g_propagate_error (error, g_steal_pointer (&job->error));
  job->result_destroy = NULL;
  job_free (job);
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  return result;
}

void
kefu_store_get_stats (KefuStore *self,
                      guint64   *batches,
                      guint64   *jobs)
{
  g_return_if_fail (KEFU_IS_STORE (self));

  if (batches)
    *batches = __atomic_load_n (&self->batches, __ATOMIC_RELAXED);
  if (jobs)
    *jobs = __atomic_load_n (&self->jobs, __ATOMIC_RELAXED);
}
