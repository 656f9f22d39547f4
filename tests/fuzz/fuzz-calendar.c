/* fuzz-calendar.c — the business calendar: kefu_calendar_from_json() and its arithmetic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An accepted calendar writes back to the same JSON; adding business time from a start taken
 * from the input ends, never goes backwards, and agrees with counting it back.
 */
#include "config.h"

#include "kefu-calendar.h"
#include "kefu-fuzz.h"

#define YEAR_2000 (G_GINT64_CONSTANT (946684800) * G_USEC_PER_SEC)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = kefu_fuzz_parse (data, size);
  g_autoptr(KefuCalendar) cal = NULL;
  g_autoptr(KefuCalendar) again = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) rewritten = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  guint32 hash = 2166136261u;
  gint64 start, seconds, end;

  if (node == NULL)
    return 0;

  cal = kefu_calendar_from_json (node, &error);
  if (cal == NULL)
    {
      kefu_fuzz_check_error (g_steal_pointer (&error));
      return 0;
    }

  written = kefu_calendar_to_json (cal);
  again = kefu_calendar_from_json (written, &error);
  g_assert_no_error (error);
  rewritten = kefu_calendar_to_json (again);
  text = json_to_string (written, FALSE);
  text_again = json_to_string (rewritten, FALSE);
  g_assert_cmpstr (text, ==, text_again);

  /* A start in 2000–2100 and up to 60 days of business time, from the input's bytes. */
  for (size_t i = 0; i < size; i++)
    hash = (hash ^ data[i]) * 16777619u;
  start = YEAR_2000 + (gint64) (hash % (100u * 366u * 24u)) * 3600 * G_USEC_PER_SEC;
  seconds = (gint64) ((hash >> 7) % (60u * 86400u));

  end = kefu_calendar_add_business (cal, start, seconds);
  g_assert_cmpint (end, >=, start);
  if (end != G_MAXINT64)
    g_assert_cmpint (kefu_calendar_business_between (cal, start, end), ==, seconds);
  return 0;
}
