/* kefu-store.h — the durable store: one writer thread that group-commits, one reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kefu-db.h"

G_BEGIN_DECLS

#define KEFU_TYPE_STORE (kefu_store_get_type ())
G_DECLARE_FINAL_TYPE (KefuStore, kefu_store, KEFU, STORE, GObject)

/* A write job. Runs on the writer thread inside a transaction (its own savepoint): return a
 * result (may be NULL for "no result") or set @error, in which case everything it did is rolled
 * back and nothing else in the batch is affected. It must not touch main-thread state. */
typedef gpointer (*KefuStoreWriteFunc) (KefuDb   *db,
                                        gpointer  data,
                                        GError  **error);

/* Opens (creating) DIR/kefu.db, migrates it to the newest schema and starts the writer. */
KefuStore *kefu_store_new           (const char          *data_dir,
                                     GError             **error);
/* Stops the writer after the queued jobs have committed. Called by dispose too. */
void       kefu_store_close         (KefuStore           *self);

const char *kefu_store_get_path     (KefuStore           *self);

/* The main thread's read connection (WAL: it sees every committed write, never blocks the
 * writer). Use only on the thread that created the store. */
KefuDb    *kefu_store_get_reader    (KefuStore           *self);

/* Queues @func; @callback runs on the caller's thread-default main context once the batch that
 * holds the job has been committed to disk (synchronous=FULL), or has failed. @data is freed
 * with @data_destroy after the job ran; the result with @result_destroy if nobody takes it. */
void       kefu_store_write_async   (KefuStore           *self,
                                     KefuStoreWriteFunc   func,
                                     gpointer             data,
                                     GDestroyNotify       data_destroy,
                                     GDestroyNotify       result_destroy,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* @self may be NULL: the task has no source object (see kefu_store_write_async). */
gpointer   kefu_store_write_finish  (KefuStore           *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* The same, blocking the calling thread (never the writer's) until the job is committed.
 * For start-up work (seeding) and tools. */
gpointer   kefu_store_write_sync    (KefuStore           *self,
                                     KefuStoreWriteFunc   func,
                                     gpointer             data,
                                     GDestroyNotify       result_destroy,
                                     GError             **error);

/* Figures for benchmarks: committed batches and jobs so far. */
void       kefu_store_get_stats     (KefuStore           *self,
                                     guint64             *batches,
                                     guint64             *jobs);

G_END_DECLS
