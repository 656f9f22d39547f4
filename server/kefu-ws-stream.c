/* kefu-ws-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GIOStream needs its input and output streams to be objects of their own, and libsoup needs
 * them pollable: KefuWsInput and KefuWsOutput below are private helpers of KefuWsStream that
 * forward every call to the wrapped streams and hand the bytes that passed to the frame
 * scanner of their KefuWsStream.
 *
 * The scanner follows RFC 6455 framing: a 2-byte head, a 16- or 64-bit extended length, a
 * 4-byte mask when the mask bit is set, then the payload. It never looks into payloads (no
 * unmasking is needed to count them) and keeps no data, only a few counters per direction.
 * libsoup itself rejects malformed frames; the scanner only has to stay in step with valid
 * ones until libsoup does.
 */
#include "config.h"

#include "kefu-ws-stream.h"

typedef struct {
  guint8   head[14];
  guint    head_len;       /* bytes of the current frame head gathered so far */
  guint    head_need;      /* its full size, known once the second byte is in */
  gboolean in_payload;
  guint64  payload_left;
  guint8   opcode;
  gboolean fin;
  guint64  message_bytes;  /* payload of the data message being assembled */
} FrameScan;

struct _KefuWsStream
{
  GIOStream                parent_instance;

  GIOStream               *base;
  GInputStream            *input;    /* KefuWsInput */
  GOutputStream           *output;   /* KefuWsOutput */

  FrameScan                in_scan;
  FrameScan                out_scan;
  guint64                  max_message;
  guint64                  data_written;
  guint64                  pings_in;
  guint64                  pongs_out;
  gboolean                 aborted;
  gboolean                 failed;   /* the peer broke a limit: reads fail from now on */

  KefuWsStreamWrittenFunc  written_func;
  gpointer                 written_data;
};

G_DEFINE_FINAL_TYPE (KefuWsStream, kefu_ws_stream, G_TYPE_IO_STREAM)

/* ---- frame scanner ----------------------------------------------------------------------- */

static inline gboolean
is_data_opcode (guint8 opcode)
{
  return (opcode & 0x08) == 0;   /* continuation, text, binary (and reserved non-control) */
}

static gboolean
frame_end (KefuWsStream  *self,
           gboolean       incoming,
           GError       **error)
{
  FrameScan *fs = incoming ? &self->in_scan : &self->out_scan;

  fs->in_payload = FALSE;

  if (is_data_opcode (fs->opcode))
    {
      if (fs->fin)
        fs->message_bytes = 0;
    }
  else if (incoming && fs->opcode == 0x9)
    {
      self->pings_in++;
      if (self->pings_in > self->pongs_out &&
          self->pings_in - self->pongs_out > KEFU_WS_STREAM_MAX_OWED_PONGS)
        {
          self->failed = TRUE;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "the peer sent more than %u pings without reading the pongs",
                       KEFU_WS_STREAM_MAX_OWED_PONGS);
          return FALSE;
        }
    }
  else if (!incoming && fs->opcode == 0xA)
    {
      self->pongs_out++;
    }

  return TRUE;
}

static gboolean
frame_begin (KefuWsStream  *self,
             gboolean       incoming,
             GError       **error)
{
  FrameScan *fs = incoming ? &self->in_scan : &self->out_scan;
  guint len7 = fs->head[1] & 0x7f;
  guint64 len;

  fs->fin = (fs->head[0] & 0x80) != 0;
  fs->opcode = fs->head[0] & 0x0f;

  if (len7 == 126)
    {
      len = ((guint64) fs->head[2] << 8) | fs->head[3];
    }
  else if (len7 == 127)
    {
      len = 0;
      for (guint i = 2; i < 10; i++)
        len = (len << 8) | fs->head[i];
    }
  else
    {
      len = len7;
    }

  fs->head_len = 0;
  fs->head_need = 0;

  if (is_data_opcode (fs->opcode))
    {
      if (incoming && self->max_message > 0 &&
          (fs->message_bytes > self->max_message ||
           len > self->max_message - fs->message_bytes))
        {
          self->failed = TRUE;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "the peer sent a message over %" G_GUINT64_FORMAT " bytes",
                       self->max_message);
          return FALSE;
        }
      /* Saturates on absurd lengths; libsoup refuses those frames anyway. */
      fs->message_bytes = len > G_MAXUINT64 - fs->message_bytes ? G_MAXUINT64
                                                                 : fs->message_bytes + len;
    }

  fs->payload_left = len;
  if (len == 0)
    return frame_end (self, incoming, error);
  fs->in_payload = TRUE;
  return TRUE;
}

/* Follows @n bytes that went through in one direction. FALSE with @error when the peer broke
 * a limit (incoming only). */
static gboolean
scan_bytes (KefuWsStream  *self,
            gboolean       incoming,
            const guint8  *p,
            gsize          n,
            GError       **error)
{
  FrameScan *fs = incoming ? &self->in_scan : &self->out_scan;

  while (n > 0)
    {
      if (fs->in_payload)
        {
          gsize take = (gsize) MIN ((guint64) n, fs->payload_left);

          if (!incoming && is_data_opcode (fs->opcode))
            self->data_written += take;
          fs->payload_left -= take;
          p += take;
          n -= take;
          if (fs->payload_left == 0 && !frame_end (self, incoming, error))
            return FALSE;
          continue;
        }

      fs->head[fs->head_len++] = *p++;
      n--;

      if (fs->head_len == 2)
        {
          guint len7 = fs->head[1] & 0x7f;

          fs->head_need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) +
                          ((fs->head[1] & 0x80) ? 4 : 0);
        }
      if (fs->head_len >= 2 && fs->head_len == fs->head_need &&
          !frame_begin (self, incoming, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_usable (KefuWsStream  *owner,
              gboolean       incoming,
              GError       **error)
{
  if (owner == NULL)
    return TRUE;
  if (owner->aborted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           "the connection was dropped by the server");
      return FALSE;
    }
  if (incoming && owner->failed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "the peer broke a limit of the connection");
      return FALSE;
    }
  return TRUE;
}

static gboolean
fires_at_once (KefuWsStream *owner,
               gboolean      incoming)
{
  return owner != NULL && (owner->aborted || (incoming && owner->failed));
}

static void
wrote (KefuWsStream *owner,
       const void   *buffer,
       gssize        n)
{
  guint64 before;

  if (owner == NULL || n <= 0)
    return;

  before = owner->data_written;
  scan_bytes (owner, FALSE, buffer, n, NULL);
  if (owner->data_written != before && owner->written_func != NULL)
    owner->written_func (owner, owner->written_data);
}

/* ---- KefuWsInput ------------------------------------------------------------------------- */

#define KEFU_TYPE_WS_INPUT (kefu_ws_input_get_type ())
G_DECLARE_FINAL_TYPE (KefuWsInput, kefu_ws_input, KEFU, WS_INPUT, GInputStream)

struct _KefuWsInput
{
  GInputStream   parent_instance;
  GInputStream  *base;
  KefuWsStream  *owner;   /* unowned; cleared when the owner goes */
};

static void kefu_ws_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KefuWsInput, kefu_ws_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      kefu_ws_input_pollable_init))

static gssize
kefu_ws_input_read (GInputStream  *stream,
                    void          *buffer,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  KefuWsInput *self = KEFU_WS_INPUT (stream);
  gssize n;

  if (!check_usable (self->owner, TRUE, error))
    return -1;
  n = g_input_stream_read (self->base, buffer, count, cancellable, error);
  if (n > 0 && self->owner != NULL && !scan_bytes (self->owner, TRUE, buffer, n, error))
    return -1;
  return n;
}

static gboolean
kefu_ws_input_close (GInputStream  *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  /* The KefuWsStream closes the wrapped stream. */
  return TRUE;
}

static gboolean
kefu_ws_input_can_poll (GPollableInputStream *stream)
{
  KefuWsInput *self = KEFU_WS_INPUT (stream);

  return G_IS_POLLABLE_INPUT_STREAM (self->base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
kefu_ws_input_is_readable (GPollableInputStream *stream)
{
  KefuWsInput *self = KEFU_WS_INPUT (stream);

  if (fires_at_once (self->owner, TRUE))
    return TRUE;
  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
kefu_ws_input_create_source (GPollableInputStream *stream,
                             GCancellable         *cancellable)
{
  KefuWsInput *self = KEFU_WS_INPUT (stream);
  g_autoptr(GSource) child = NULL;

  if (fires_at_once (self->owner, TRUE))
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
kefu_ws_input_read_nonblocking (GPollableInputStream  *stream,
                                void                  *buffer,
                                gsize                  count,
                                GError               **error)
{
  KefuWsInput *self = KEFU_WS_INPUT (stream);
  gssize n;

  if (!check_usable (self->owner, TRUE, error))
    return -1;
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                count, NULL, error);
  if (n > 0 && self->owner != NULL && !scan_bytes (self->owner, TRUE, buffer, n, error))
    return -1;
  return n;
}

static void
kefu_ws_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = kefu_ws_input_can_poll;
  iface->is_readable = kefu_ws_input_is_readable;
  iface->create_source = kefu_ws_input_create_source;
  iface->read_nonblocking = kefu_ws_input_read_nonblocking;
}

static void
kefu_ws_input_finalize (GObject *object)
{
  KefuWsInput *self = KEFU_WS_INPUT (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (kefu_ws_input_parent_class)->finalize (object);
}

static void
kefu_ws_input_class_init (KefuWsInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = kefu_ws_input_finalize;
  input_class->read_fn = kefu_ws_input_read;
  input_class->close_fn = kefu_ws_input_close;
}

static void
kefu_ws_input_init (KefuWsInput *self)
{
}

/* ---- KefuWsOutput ------------------------------------------------------------------------ */

#define KEFU_TYPE_WS_OUTPUT (kefu_ws_output_get_type ())
G_DECLARE_FINAL_TYPE (KefuWsOutput, kefu_ws_output, KEFU, WS_OUTPUT, GOutputStream)

struct _KefuWsOutput
{
  GOutputStream  parent_instance;
  GOutputStream *base;
  KefuWsStream  *owner;   /* unowned; cleared when the owner goes */
};

static void kefu_ws_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KefuWsOutput, kefu_ws_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      kefu_ws_output_pollable_init))

static gssize
kefu_ws_output_write (GOutputStream  *stream,
                      const void     *buffer,
                      gsize           count,
                      GCancellable   *cancellable,
                      GError        **error)
{
  KefuWsOutput *self = KEFU_WS_OUTPUT (stream);
  gssize n;

  if (!check_usable (self->owner, FALSE, error))
    return -1;
  n = g_output_stream_write (self->base, buffer, count, cancellable, error);
  wrote (self->owner, buffer, n);
  return n;
}

static gboolean
kefu_ws_output_flush (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  KefuWsOutput *self = KEFU_WS_OUTPUT (stream);

  if (!check_usable (self->owner, FALSE, error))
    return FALSE;
  return g_output_stream_flush (self->base, cancellable, error);
}

static gboolean
kefu_ws_output_close (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  return TRUE;
}

static gboolean
kefu_ws_output_can_poll (GPollableOutputStream *stream)
{
  KefuWsOutput *self = KEFU_WS_OUTPUT (stream);

  return G_IS_POLLABLE_OUTPUT_STREAM (self->base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static gboolean
kefu_ws_output_is_writable (GPollableOutputStream *stream)
{
  KefuWsOutput *self = KEFU_WS_OUTPUT (stream);

  if (fires_at_once (self->owner, FALSE))
    return TRUE;
  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static GSource *
kefu_ws_output_create_source (GPollableOutputStream *stream,
                              GCancellable          *cancellable)
{
  KefuWsOutput *self = KEFU_WS_OUTPUT (stream);
  g_autoptr(GSource) child = NULL;

  if (fires_at_once (self->owner, FALSE))
    child = g_timeout_source_new (0);
  else
    child = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
kefu_ws_output_write_nonblocking (GPollableOutputStream  *stream,
                                  const void             *buffer,
                                  gsize                   count,
                                  GError                **error)
{
  KefuWsOutput *self = KEFU_WS_OUTPUT (stream);
  gssize n;

  if (!check_usable (self->owner, FALSE, error))
    return -1;
  n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base), buffer,
                                                  count, NULL, error);
  wrote (self->owner, buffer, n);
  return n;
}

static void
kefu_ws_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = kefu_ws_output_can_poll;
  iface->is_writable = kefu_ws_output_is_writable;
  iface->create_source = kefu_ws_output_create_source;
  iface->write_nonblocking = kefu_ws_output_write_nonblocking;
}

static void
kefu_ws_output_finalize (GObject *object)
{
  KefuWsOutput *self = KEFU_WS_OUTPUT (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (kefu_ws_output_parent_class)->finalize (object);
}

static void
kefu_ws_output_class_init (KefuWsOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = kefu_ws_output_finalize;
  output_class->write_fn = kefu_ws_output_write;
  output_class->flush = kefu_ws_output_flush;
  output_class->close_fn = kefu_ws_output_close;
}

static void
kefu_ws_output_init (KefuWsOutput *self)
{
}

/* ---- KefuWsStream ------------------------------------------------------------------------ */

static GInputStream *
kefu_ws_stream_get_input_stream (GIOStream *stream)
{
  return KEFU_WS_STREAM (stream)->input;
}

static GOutputStream *
kefu_ws_stream_get_output_stream (GIOStream *stream)
{
  return KEFU_WS_STREAM (stream)->output;
}

static gboolean
kefu_ws_stream_close (GIOStream     *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  KefuWsStream *self = KEFU_WS_STREAM (stream);

  return g_io_stream_close (self->base, cancellable, error);
}

static void
base_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The wrapped stream's own asynchronous close, rather than GIOStream's default of running
 * the synchronous close in a worker thread. */
static void
kefu_ws_stream_close_async (GIOStream           *stream,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  KefuWsStream *self = KEFU_WS_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, kefu_ws_stream_close_async);
  g_io_stream_close_async (self->base, io_priority, cancellable, base_closed_cb, task);
}

static gboolean
kefu_ws_stream_close_finish (GIOStream     *stream,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
kefu_ws_stream_finalize (GObject *object)
{
  KefuWsStream *self = KEFU_WS_STREAM (object);

  KEFU_WS_INPUT (self->input)->owner = NULL;
  KEFU_WS_OUTPUT (self->output)->owner = NULL;
  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (kefu_ws_stream_parent_class)->finalize (object);
}

static void
kefu_ws_stream_class_init (KefuWsStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *io_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = kefu_ws_stream_finalize;
  io_class->get_input_stream = kefu_ws_stream_get_input_stream;
  io_class->get_output_stream = kefu_ws_stream_get_output_stream;
  io_class->close_fn = kefu_ws_stream_close;
  io_class->close_async = kefu_ws_stream_close_async;
  io_class->close_finish = kefu_ws_stream_close_finish;
}

static void
kefu_ws_stream_init (KefuWsStream *self)
{
}

KefuWsStream *
kefu_ws_stream_new (GIOStream *base)
{
  KefuWsStream *self;
  KefuWsInput *input;
  KefuWsOutput *output;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (KEFU_TYPE_WS_STREAM, NULL);
  self->base = g_object_ref (base);

  input = g_object_new (KEFU_TYPE_WS_INPUT, NULL);
  input->base = g_object_ref (g_io_stream_get_input_stream (base));
  input->owner = self;
  self->input = G_INPUT_STREAM (input);

  output = g_object_new (KEFU_TYPE_WS_OUTPUT, NULL);
  output->base = g_object_ref (g_io_stream_get_output_stream (base));
  output->owner = self;
  self->output = G_OUTPUT_STREAM (output);

  return self;
}

GIOStream *
kefu_ws_stream_get_base_stream (KefuWsStream *self)
{
  g_return_val_if_fail (KEFU_IS_WS_STREAM (self), NULL);
  return self->base;
}

void
kefu_ws_stream_set_max_message (KefuWsStream *self,
                                guint64       max_bytes)
{
  g_return_if_fail (KEFU_IS_WS_STREAM (self));
  self->max_message = max_bytes;
}

guint64
kefu_ws_stream_get_data_bytes_written (KefuWsStream *self)
{
  g_return_val_if_fail (KEFU_IS_WS_STREAM (self), 0);
  return self->data_written;
}

void
kefu_ws_stream_set_written_func (KefuWsStream            *self,
                                 KefuWsStreamWrittenFunc  func,
                                 gpointer                 user_data)
{
  g_return_if_fail (KEFU_IS_WS_STREAM (self));
  self->written_func = func;
  self->written_data = user_data;
}

void
kefu_ws_stream_abort (KefuWsStream *self)
{
  g_return_if_fail (KEFU_IS_WS_STREAM (self));
  self->aborted = TRUE;
  self->written_func = NULL;
  self->written_data = NULL;
}

gboolean
kefu_ws_stream_is_aborted (KefuWsStream *self)
{
  g_return_val_if_fail (KEFU_IS_WS_STREAM (self), FALSE);
  return self->aborted;
}
