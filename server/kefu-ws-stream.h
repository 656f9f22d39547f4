/* kefu-ws-stream.h — the byte stream under a server WebSocket, watched frame by frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup 3.2's SoupWebsocketConnection queues outgoing frames without bound, reassembles a
 * fragmented incoming message without bound (max-incoming-payload-size limits one frame) and
 * answers every ping with a queued pong. A KefuWsStream sits between it and the connection's
 * GIOStream and follows the frames in both directions, so that
 *
 *  - the event hub knows exactly how many payload bytes of data frames have reached the
 *    kernel (kefu_ws_stream_get_data_bytes_written()); what it queued minus that is what
 *    libsoup still holds for the peer;
 *  - a data message (all its fragments) longer than the set maximum fails the read, and so
 *    does a peer that keeps sending pings while it does not read the pongs: libsoup then
 *    closes the connection at once (without a close frame);
 *  - the hub can abort the connection (kefu_ws_stream_abort()): every later read and write
 *    fails, so libsoup drops the connection and the frames it still holds.
 *
 * Nothing is copied: reads and writes go straight to the wrapped stream. WebSocket
 * extensions (compression) must not be negotiated on such a connection, as frame payloads are
 * counted as they appear on the wire.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KEFU_TYPE_WS_STREAM (kefu_ws_stream_get_type ())
G_DECLARE_FINAL_TYPE (KefuWsStream, kefu_ws_stream, KEFU, WS_STREAM, GIOStream)

/* Pings a peer may send whose pongs it has not read yet before the stream fails. */
#define KEFU_WS_STREAM_MAX_OWED_PONGS 64

/* Called after a write that moved data-frame payload to the wrapped stream. */
typedef void (*KefuWsStreamWrittenFunc) (KefuWsStream *stream,
                                         gpointer      user_data);

/* @base must have pollable input and output streams (a stolen server connection has). */
KefuWsStream *kefu_ws_stream_new                   (GIOStream     *base);
GIOStream    *kefu_ws_stream_get_base_stream       (KefuWsStream  *self);

/* The largest incoming data message (payload of all fragments); 0 = no limit. */
void          kefu_ws_stream_set_max_message       (KefuWsStream  *self,
                                                    guint64        max_bytes);
/* Payload bytes of outgoing data frames written to the wrapped stream so far. */
guint64       kefu_ws_stream_get_data_bytes_written (KefuWsStream *self);
void          kefu_ws_stream_set_written_func      (KefuWsStream            *self,
                                                    KefuWsStreamWrittenFunc  func,
                                                    gpointer                 user_data);
/* Makes every later read and write fail (and pollable sources fire at once). */
void          kefu_ws_stream_abort                 (KefuWsStream  *self);
gboolean      kefu_ws_stream_is_aborted            (KefuWsStream  *self);

G_END_DECLS
