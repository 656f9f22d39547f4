/* kefu-client-message.c — what a client may send on the live event stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decoder runs on the main loop for every message of every client, so it is bounded like
 * request bodies: the size is capped before it is called and the JSON goes through
 * kefu_json_parse_bounded(), never straight to json-glib.
 */
#include "config.h"

#include <string.h>

#include "kefu-client-message.h"
#include "kefu-error.h"
#include "kefu-json-input.h"

/* RFC 6455 5.5: a control frame carries at most 125 bytes, two of them the code. */
#define CLOSE_REASON_MAX_BYTES 123

gboolean
kefu_client_message_decode (SoupWebsocketDataType   data_type,
                            const char             *data,
                            gsize                   len,
                            KefuClientMessage      *out,
                            gushort                *out_close_code,
                            GError                **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *type;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (out_close_code != NULL, FALSE);

  *out_close_code = SOUP_WEBSOCKET_CLOSE_BAD_DATA;

  if (data_type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      *out_close_code = SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA;
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "only text messages with a JSON object are understood");
      return FALSE;
    }
  if (len > KEFU_CLIENT_MESSAGE_MAX_BYTES)
    {
      *out_close_code = SOUP_WEBSOCKET_CLOSE_TOO_BIG;
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                   "a message may have at most %d bytes", KEFU_CLIENT_MESSAGE_MAX_BYTES);
      return FALSE;
    }

  root = kefu_json_parse_bounded (data, len, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* An integer out of range is a malformed message here: there is no field to blame. */
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON, "%s",
                   local_error != NULL ? local_error->message : "a message must be a JSON object");
      return FALSE;
    }

  type = json_object_get_member (json_node_get_object (root), "type");
  if (type != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (type) || json_node_get_value_type (type) != G_TYPE_STRING)
        {
          g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                               "a message's type must be a string");
          return FALSE;
        }
      out->type = g_strdup (json_node_get_string (type));
    }

  return TRUE;
}

void
kefu_client_message_clear (KefuClientMessage *message)
{
  g_clear_pointer (&message->type, g_free);
}

char *
kefu_client_message_close_reason (const GError *error)
{
  const char *code = "bad_json";
  g_autofree char *reason = NULL;
  gsize n = CLOSE_REASON_MAX_BYTES;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == KEFU_ERROR && error->code >= 0 && error->code < KEFU_ERROR_LAST)
    code = kefu_error_code_to_string (error->code);
  reason = g_strdup_printf ("%s: %s", code, error->message);
  if (strlen (reason) <= CLOSE_REASON_MAX_BYTES)
    return g_steal_pointer (&reason);

  /* The messages may quote the input: do not cut a character in two. */
  while (n > 0 && ((guchar) reason[n] & 0xc0) == 0x80)
    n--;
  return g_strndup (reason, n);
}
