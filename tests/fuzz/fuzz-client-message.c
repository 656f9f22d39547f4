/* fuzz-client-message.c — WebSocket messages from clients (kefu-client-message.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte's low bit picks the frame type (0 text, 1 binary); the rest is the message.
 */
#include "config.h"

#include <string.h>

#include "kefu-client-message.h"
#include "kefu-error.h"
#include "kefu-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(KefuClientMessage) message = { 0 };
  g_autoptr(GError) error = NULL;
  SoupWebsocketDataType type;
  gushort code = 0;

  if (size == 0)
    return 0;
  type = (data[0] & 1) ? SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT;

  if (kefu_client_message_decode (type, (const char *) data + 1, size - 1, &message, &code,
                                  &error))
    {
      g_assert_no_error (error);
      g_assert_true (type == SOUP_WEBSOCKET_DATA_TEXT);
      g_assert_true (message.type == NULL || g_utf8_validate (message.type, -1, NULL));
    }
  else
    {
      g_autofree char *reason = kefu_client_message_close_reason (error);

      g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
      g_assert_true (code == SOUP_WEBSOCKET_CLOSE_BAD_DATA ||
                     code == SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA ||
                     code == SOUP_WEBSOCKET_CLOSE_TOO_BIG);
      /* What a close frame can carry. */
      g_assert_cmpuint (strlen (reason), <=, 123);
      g_assert_true (g_utf8_validate (reason, -1, NULL));
      g_assert_true (g_str_has_prefix (reason, "bad_json: "));
    }
  return 0;
}
