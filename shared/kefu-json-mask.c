/* kefu-json-mask.c — mask the phone numbers of a ticket document without decoding it
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ticket lists and the live stream send stored documents to roles that see phone numbers
 * masked. Decoding and re-encoding each document costs far more than the rest of a list page,
 * so this works on the text: in JSON text the nine bytes "phone":" are a member named phone
 * with a string value unless their first quote is escaped (the end of a name such as a"phone,
 * written "a\"phone"), because a quote inside a string is always escaped — the second quote
 * of the pattern follows a letter, so it is structural, and so is the rest.
 */
#define _GNU_SOURCE  /* memmem */
#include "config.h"

#include <string.h>

#include "kefu-json-mask.h"
#include "kefu-ticket.h"

#define KEY "\"phone\":\""

/**
 * kefu_json_append_masked:
 * @out: where to append
 * @json: JSON text (a ticket document, an event, a list)
 * @len: its length, or -1 when NUL-terminated
 *
 * Appends @json to @out with the value of every string member named "phone" replaced by
 * kefu_mask_phone() of it. A value holding an escape sequence is not handled here: then
 * nothing is appended and FALSE is returned, and the caller masks through the decoder.
 *
 * Returns: TRUE when @json was appended, masked.
 */
gboolean
kefu_json_append_masked (GString    *out,
                         const char *json,
                         gssize      len)
{
  const char *p, *end;
  gsize start_len;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (len < 0)
    len = strlen (json);

  start_len = out->len;
  p = json;
  end = json + len;

  while (p < end)
    {
      const char *key = memmem (p, end - p, KEY, strlen (KEY));
      const char *value, *close;
      g_autofree char *phone = NULL;
      g_autofree char *masked = NULL;
      gsize backslashes = 0;

      if (key == NULL)
        break;

      /* After an odd run of backslashes the first quote is escaped: the bytes are the end of
       * a longer name ("a\"phone":"…" is the member a"phone), not the member phone. */
      while (key - backslashes > json && key[-1 - (gssize) backslashes] == '\\')
        backslashes++;
      if (backslashes % 2 == 1)
        {
          g_string_append_len (out, p, key + 1 - p);
          p = key + 1;
          continue;
        }

      value = key + strlen (KEY);
      close = memchr (value, '"', end - value);
      if (close == NULL || memchr (value, '\\', close - value) != NULL)
        {
          g_string_truncate (out, start_len);
          return FALSE;
        }

      phone = g_strndup (value, close - value);
      masked = kefu_mask_phone (phone);
      g_string_append_len (out, p, value - p);
      g_string_append (out, masked);
      p = close;
    }

  g_string_append_len (out, p, end - p);
  return TRUE;
}
