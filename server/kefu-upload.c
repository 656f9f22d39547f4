/* kefu-upload.c — a request body streamed to a file off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why: libsoup keeps a request body in memory until it is complete, and the file used to be
 * hashed on the main loop and written and fsynced inside the writer's transaction, so a 200
 * MiB video held 200 MiB of memory and stalled every other write for its fsync.
 *
 * How: the main loop only hands each chunk (a GBytes libsoup made anyway) to one process-wide
 * writer thread, a GThreadPool of one, so the chunks of an upload are written in order and
 * uploads never take threads from the pool that hashes passwords or runs reports. The thread
 * writes to DIR/.upload-XXXXXX and feeds a SHA-256 as it goes; finishing fsyncs the file, renames
 * it to DIR/<sha256> and fsyncs the directory, so that once the row naming it commits, both
 * are durable. If the disk falls behind, the message is paused while more than HIGH_WATER
 * bytes wait, and resumed below LOW_WATER: memory stays bounded whatever the network does.
 */
#define _GNU_SOURCE 1   /* sync_file_range() */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kefu-error.h"
#include "kefu-upload.h"

#define HIGH_WATER   (8 * 1024 * 1024)
#define LOW_WATER    (2 * 1024 * 1024)
/* libsoup reads a body in a loop for as long as the socket has data: from a fast client that
 * is the whole body in one go. Pausing after this much and resuming from an idle source lets
 * every other request in between. */
#define YIELD_EVERY  (512 * 1024)
/* Start the disk writing early and keep at most this much dirty: a single fsync of 200 MiB at
 * the end would also hold up the database's fsyncs on the same file system. */
#define FLUSH_EVERY  (1024 * 1024)
#define TEMP_PREFIX  ".upload-"

/* The writer thread's side; shared by the upload and every queued item. */
typedef struct
{
  char         *dir;
  int           fd;
  char         *tmp;
  guint64       written;
  guint64       flushed;      /* written back up to here (sync_file_range) */
  GChecksum    *checksum;
  GError       *error;        /* the first failure; later chunks are dropped */
  GMutex        lock;
  gsize         pending;      /* bytes queued and not yet written */
  gboolean      paused;       /* the message was paused for them */
  GWeakRef      upload;
  GMainContext *context;
} UploadFile;

typedef enum { ITEM_CHUNK, ITEM_FINISH, ITEM_ABORT } ItemKind;

typedef struct
{
  ItemKind    kind;
  UploadFile *file;
  GBytes     *bytes;          /* ITEM_CHUNK */
  GTask      *task;           /* ITEM_FINISH */
} Item;

struct _KefuUpload
{
  GObject      parent_instance;

  UploadFile  *file;
  GWeakRef     msg;
  guint64      size;
  guint8       head[KEFU_UPLOAD_HEAD_BYTES];
  gsize        head_len;
  guint64      since_yield;
  guint        yield_source;
  gboolean     finished;      /* finish or abort queued */
  gboolean     io_gone;       /* the message's connection was closed or taken */
};

G_DEFINE_FINAL_TYPE (KefuUpload, kefu_upload, G_TYPE_OBJECT)

static GQuark upload_quark;

static void
upload_file_clear (gpointer data)
{
  UploadFile *file = data;

  if (file->fd >= 0)
    close (file->fd);
  if (file->tmp != NULL)
    g_unlink (file->tmp);
  g_free (file->tmp);
  g_free (file->dir);
  g_clear_pointer (&file->checksum, g_checksum_free);
  g_clear_error (&file->error);
  g_mutex_clear (&file->lock);
  g_weak_ref_clear (&file->upload);
  g_main_context_unref (file->context);
}

static UploadFile *
upload_file_ref (UploadFile *file)
{
  return g_atomic_rc_box_acquire (file);
}

static void
upload_file_unref (UploadFile *file)
{
  g_atomic_rc_box_release_full (file, upload_file_clear);
}

static void
fail_errno (UploadFile *file,
            const char *what,
            const char *path,
            int         saved)
{
  if (file->error == NULL)
    file->error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved), "%s %s: %s", what,
                               path, g_strerror (saved));
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gboolean
fsync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

static gboolean
fsync_file (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

/* ---- the writer thread --------------------------------------------------------------------- */

static gboolean
resume_reading (gpointer data)
{
  g_autoptr(KefuUpload) upload = g_weak_ref_get (data);
  g_autoptr(SoupServerMessage) msg = NULL;

  g_weak_ref_clear (data);
  g_free (data);
  if (upload == NULL)
    return G_SOURCE_REMOVE;
  msg = g_weak_ref_get (&upload->msg);
  /* Not if the guard took the connection meanwhile (a timeout): no I/O left to resume. */
  if (msg != NULL && !upload->io_gone)
    soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
write_chunk (UploadFile *file,
             GBytes     *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gboolean resume = FALSE;

  if (file->error == NULL && file->fd < 0)
    {
      if (g_mkdir_with_parents (file->dir, 0700) != 0)
        fail_errno (file, "mkdir", file->dir, errno);
      else
        {
          file->tmp = g_build_filename (file->dir, TEMP_PREFIX "XXXXXX", NULL);
          file->fd = g_mkstemp_full (file->tmp, O_WRONLY | O_CLOEXEC, 0600);
          if (file->fd < 0)
            {
              fail_errno (file, "create", file->tmp, errno);
              g_clear_pointer (&file->tmp, g_free);
            }
        }
    }
  if (file->error == NULL)
    {
      if (write_all (file->fd, data, len))
        {
          g_checksum_update (file->checksum, data, len);
          file->written += len;
        }
      else
        fail_errno (file, "write", file->tmp, errno);
    }
  if (file->error == NULL && file->written - file->flushed >= FLUSH_EVERY)
    {
      /* Wait for the previous range, start this one: a bounded amount of dirty data. */
      if (file->flushed >= FLUSH_EVERY)
        sync_file_range (file->fd, file->flushed - FLUSH_EVERY, FLUSH_EVERY,
                         SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                         SYNC_FILE_RANGE_WAIT_AFTER);
      sync_file_range (file->fd, file->flushed, file->written - file->flushed,
                       SYNC_FILE_RANGE_WRITE);
      file->flushed = file->written;
    }

  g_mutex_lock (&file->lock);
  file->pending -= len;
  if (file->paused && file->pending <= LOW_WATER)
    {
      file->paused = FALSE;
      resume = TRUE;
    }
  g_mutex_unlock (&file->lock);

  if (resume)
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);
      g_autoptr(GObject) upload = g_weak_ref_get (&file->upload);

      g_weak_ref_init (ref, upload);
      g_main_context_invoke (file->context, resume_reading, ref);
    }
}

static void
finish_file (UploadFile *file,
             GTask      *task)
{
  g_autofree char *path = NULL;
  const char *sha256;

  if (file->error == NULL && file->fd < 0)
    g_set_error_literal (&file->error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED,
                         "the body is empty");
  if (file->error != NULL)
    {
      g_task_return_error (task, g_error_copy (file->error));
      return;
    }

  if (fsync (file->fd) != 0)
    fail_errno (file, "fsync", file->tmp, errno);
  if (close (file->fd) != 0)
    fail_errno (file, "close", file->tmp, errno);
  file->fd = -1;
  if (file->error != NULL)
    {
      g_task_return_error (task, g_error_copy (file->error));
      return;
    }

  sha256 = g_checksum_get_string (file->checksum);
  path = g_build_filename (file->dir, sha256, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* The same bytes once more: keep the file there (rows may name it), make sure it is
       * durable, drop ours. */
      if (!fsync_file (path))
        fail_errno (file, "fsync", path, errno);
    }
  else if (g_rename (file->tmp, path) != 0)
    fail_errno (file, "rename", file->tmp, errno);
  else
    g_clear_pointer (&file->tmp, g_free);   /* it has its name now: not ours to remove */

  if (file->error == NULL && !fsync_dir (file->dir))
    fail_errno (file, "fsync", file->dir, errno);

  if (file->error != NULL)
    g_task_return_error (task, g_error_copy (file->error));
  else
    g_task_return_pointer (task, g_strdup (sha256), g_free);
}

/* Uploads are bulk: let the database's small writes and fsyncs go first at the disk. The
 * pool's one thread lives for the process, so this is set once. Ignored where the I/O scheduler
 * has no priorities. */
static void
lower_io_priority (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      /* IOPRIO_PRIO_VALUE (IOPRIO_CLASS_BE, 7), IOPRIO_WHO_PROCESS, this thread */
      syscall (SYS_ioprio_set, 1, 0, (2 << 13) | 7);
      g_once_init_leave (&once, 1);
    }
}

static void
writer_run (gpointer data,
            gpointer pool_data)
{
  Item *item = data;

  lower_io_priority ();
  switch (item->kind)
    {
    case ITEM_CHUNK:
      write_chunk (item->file, item->bytes);
      break;
    case ITEM_FINISH:
      finish_file (item->file, item->task);
      break;
    case ITEM_ABORT:
    default:
      if (item->file->fd >= 0)
        close (item->file->fd);
      item->file->fd = -1;
      if (item->file->tmp != NULL)
        g_unlink (item->file->tmp);
      g_clear_pointer (&item->file->tmp, g_free);
      if (item->file->error == NULL)
        item->file->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "refused");
      break;
    }

  g_clear_pointer (&item->bytes, g_bytes_unref);
  g_clear_object (&item->task);
  upload_file_unref (item->file);
  g_free (item);
}

static void
queue_item (UploadFile *file,
            ItemKind    kind,
            GBytes     *bytes,
            GTask      *task)
{
  static GThreadPool *writer;
  static gsize once;
  Item *item = g_new0 (Item, 1);

  if (g_once_init_enter (&once))
    {
      /* One thread, for the life of the process: chunks stay in order. */
      writer = g_thread_pool_new (writer_run, NULL, 1, FALSE, NULL);
      g_once_init_leave (&once, 1);
    }

  item->kind = kind;
  item->file = upload_file_ref (file);
  item->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  item->task = task ? g_object_ref (task) : NULL;
  g_thread_pool_push (writer, item, NULL);
}

/* ---- the main loop's side ------------------------------------------------------------------ */

static void
kefu_upload_dispose (GObject *object)
{
  KefuUpload *self = KEFU_UPLOAD (object);

  if (self->file != NULL && !self->finished)
    {
      self->finished = TRUE;
      queue_item (self->file, ITEM_ABORT, NULL, NULL);
    }
  G_OBJECT_CLASS (kefu_upload_parent_class)->dispose (object);
}

static void
kefu_upload_finalize (GObject *object)
{
  KefuUpload *self = KEFU_UPLOAD (object);

  g_clear_pointer (&self->file, upload_file_unref);
  g_weak_ref_clear (&self->msg);
  G_OBJECT_CLASS (kefu_upload_parent_class)->finalize (object);
}

static void
kefu_upload_class_init (KefuUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kefu_upload_dispose;
  object_class->finalize = kefu_upload_finalize;
  upload_quark = g_quark_from_static_string ("kefu-upload");
}

static void
kefu_upload_init (KefuUpload *self)
{
  g_weak_ref_init (&self->msg, NULL);
}

static gboolean
yield_done (gpointer data)
{
  KefuUpload *self = data;
  g_autoptr(SoupServerMessage) msg = g_weak_ref_get (&self->msg);

  gboolean waiting_for_disk;

  self->yield_source = 0;
  g_mutex_lock (&self->file->lock);
  waiting_for_disk = self->file->paused;
  g_mutex_unlock (&self->file->lock);
  /* If the disk is behind meanwhile, the writer thread resumes it instead. */
  if (msg != NULL && !self->io_gone && !waiting_for_disk)
    soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  KefuUpload *self = user_data;
  UploadFile *file = self->file;
  gsize len = g_bytes_get_size (chunk);
  gboolean pause = FALSE;

  if (self->finished || len == 0)
    return;

  if (self->head_len < sizeof self->head)
    {
      gsize take = MIN (len, sizeof self->head - self->head_len);

      memcpy (self->head + self->head_len, g_bytes_get_data (chunk, NULL), take);
      self->head_len += take;
    }
  self->size += len;

  g_mutex_lock (&file->lock);
  file->pending += len;
  if (!file->paused && file->pending > HIGH_WATER)
    file->paused = pause = TRUE;
  g_mutex_unlock (&file->lock);

  queue_item (file, ITEM_CHUNK, chunk, NULL);
  if (pause)
    {
      /* The writer thread resumes it (resume_reading()). */
      soup_server_message_pause (msg);
      return;
    }

  self->since_yield += len;
  if (self->since_yield >= YIELD_EVERY && self->yield_source == 0)
    {
      g_autoptr(GSource) idle = g_idle_source_new ();

      self->since_yield = 0;
      soup_server_message_pause (msg);
      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, yield_done, g_object_ref (self), g_object_unref);
      g_source_set_static_name (idle, "[kefu] upload yield");
      self->yield_source = g_source_attach (idle, self->file->context);
    }
}

static void
on_io_gone (SoupServerMessage *msg,
            gpointer           user_data)
{
  KEFU_UPLOAD (user_data)->io_gone = TRUE;
}

KefuUpload *
kefu_upload_attach (SoupServerMessage *msg,
                    const char        *dir)
{
  KefuUpload *self;
  UploadFile *file;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (KEFU_TYPE_UPLOAD, NULL);
  file = g_atomic_rc_box_new0 (UploadFile);
  file->dir = g_strdup (dir);
  file->fd = -1;
  file->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_mutex_init (&file->lock);
  g_weak_ref_init (&file->upload, self);
  file->context = g_main_context_ref_thread_default ();
  self->file = file;
  g_weak_ref_set (&self->msg, msg);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), self, 0);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (on_io_gone), self, 0);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_io_gone), self, 0);
  g_object_set_qdata_full (G_OBJECT (msg), upload_quark, self, g_object_unref);
  return self;
}

KefuUpload *
kefu_upload_get_for_message (SoupServerMessage *msg)
{
  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);

  if (upload_quark == 0)
    return NULL;
  return g_object_get_qdata (G_OBJECT (msg), upload_quark);
}

guint64
kefu_upload_get_size (KefuUpload *self)
{
  g_return_val_if_fail (KEFU_IS_UPLOAD (self), 0);
  return self->size;
}

const guint8 *
kefu_upload_peek_head (KefuUpload *self,
                       gsize      *len)
{
  g_return_val_if_fail (KEFU_IS_UPLOAD (self), NULL);
  g_return_val_if_fail (len != NULL, NULL);

  *len = self->head_len;
  return self->head;
}

void
kefu_upload_finish_async (KefuUpload          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KEFU_IS_UPLOAD (self));
  g_return_if_fail (!self->finished);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_upload_finish_async);
  self->finished = TRUE;
  queue_item (self->file, ITEM_FINISH, NULL, task);
}

char *
kefu_upload_finish_finish (KefuUpload    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (KEFU_IS_UPLOAD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kefu_upload_abort (KefuUpload *self)
{
  g_return_if_fail (KEFU_IS_UPLOAD (self));

  if (self->finished)
    return;
  self->finished = TRUE;
  queue_item (self->file, ITEM_ABORT, NULL, NULL);
}

void
kefu_upload_clean_stale (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_return_if_fail (dir != NULL);

  d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (g_str_has_prefix (name, TEMP_PREFIX))
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);

          g_unlink (path);
        }
    }
}
