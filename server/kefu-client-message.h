/* kefu-client-message.h — what a client may send on the live event stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Clients have nothing to ask on the stream yet. A text message holding a JSON object is
 * accepted (it shows that the peer is alive) and otherwise ignored, whatever its "type", so
 * that message types added later do not break older servers. Anything else ends the
 * connection (docs/protocol.md, "Live events"). */
typedef struct {
  char *type;   /* the "type" member, or NULL when absent */
} KefuClientMessage;

/* The largest message decoded; the hub also makes libsoup refuse larger ones (close 1009). */
#define KEFU_CLIENT_MESSAGE_MAX_BYTES (64 * 1024)

/* Decodes one message of @data_type. On failure returns FALSE with a KEFU_ERROR_BAD_JSON
 * @error and the close code in *@out_close_code: SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA (1003)
 * for a binary message, SOUP_WEBSOCKET_CLOSE_BAD_DATA (1007) for text that is not a JSON
 * object within the limits of kefu_json_parse_bounded(), SOUP_WEBSOCKET_CLOSE_TOO_BIG (1009)
 * past KEFU_CLIENT_MESSAGE_MAX_BYTES. */
gboolean  kefu_client_message_decode       (SoupWebsocketDataType  data_type,
                                            const char            *data,
                                            gsize                  len,
                                            KefuClientMessage     *out,
                                            gushort               *out_close_code,
                                            GError               **error);
void      kefu_client_message_clear        (KefuClientMessage     *message);

/* The reason of the close frame for @error: "bad_json: MESSAGE", cut at a character boundary
 * to the 123 bytes a close frame has room for. */
char     *kefu_client_message_close_reason (const GError          *error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuClientMessage, kefu_client_message_clear)

G_END_DECLS
