/* kefu-number.c — ticket numbers: "FW" + YYYYMMDD + per-day serial (≥ 3 digits)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kefu-number.h"

#include <string.h>

#define NUMBER_PREFIX      "FW"
#define NUMBER_PREFIX_LEN  2
#define NUMBER_DAY_LEN     8
#define NUMBER_SERIAL_MIN  3
#define NUMBER_SERIAL_MAX  10   /* G_MAXUINT has 10 digits */

static gboolean
day_key_is_valid (guint32 day_key)
{
  guint year = day_key / 10000;
  guint month = (day_key / 100) % 100;
  guint day = day_key % 100;

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;

  return g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
all_digits (const char *str,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (str[i]))
        return FALSE;
    }

  return TRUE;
}

guint32
kefu_number_day_key (gint64     usec,
                     GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 secs;

  g_return_val_if_fail (tz != NULL, 0);

  /* Floor division so that times before the epoch land on the right second. */
  secs = usec / G_USEC_PER_SEC;
  if (usec % G_USEC_PER_SEC < 0)
    secs--;

  utc = g_date_time_new_from_unix_utc (secs);
  g_return_val_if_fail (utc != NULL, 0);
  local = g_date_time_to_timezone (utc, tz);
  g_return_val_if_fail (local != NULL, 0);

  return (guint32) (g_date_time_get_year (local) * 10000 +
                    g_date_time_get_month (local) * 100 +
                    g_date_time_get_day_of_month (local));
}

char *
kefu_number_format (guint32 day_key,
                    guint   serial)
{
  g_return_val_if_fail (day_key_is_valid (day_key), NULL);
  g_return_val_if_fail (serial >= 1, NULL);

  return g_strdup_printf (NUMBER_PREFIX "%08u%03u", day_key, serial);
}

gboolean
kefu_number_parse (const char *number,
                   guint32    *out_day_key,
                   guint      *out_serial)
{
  const char *serial_str;
  gsize len, serial_len;
  guint64 day_key = 0;
  guint64 serial = 0;

  if (number == NULL)
    return FALSE;

  len = strlen (number);
  if (len < NUMBER_PREFIX_LEN + NUMBER_DAY_LEN + NUMBER_SERIAL_MIN ||
      len > NUMBER_PREFIX_LEN + NUMBER_DAY_LEN + NUMBER_SERIAL_MAX)
    return FALSE;

  if (strncmp (number, NUMBER_PREFIX, NUMBER_PREFIX_LEN) != 0)
    return FALSE;

  if (!all_digits (number + NUMBER_PREFIX_LEN, len - NUMBER_PREFIX_LEN))
    return FALSE;

  for (gsize i = 0; i < NUMBER_DAY_LEN; i++)
    day_key = day_key * 10 + (guint64) (number[NUMBER_PREFIX_LEN + i] - '0');

  serial_str = number + NUMBER_PREFIX_LEN + NUMBER_DAY_LEN;
  serial_len = len - NUMBER_PREFIX_LEN - NUMBER_DAY_LEN;

  /* Only the canonical spelling: a serial above 999 has no leading zero. */
  if (serial_len > NUMBER_SERIAL_MIN && serial_str[0] == '0')
    return FALSE;

  for (gsize i = 0; i < serial_len; i++)
    serial = serial * 10 + (guint64) (serial_str[i] - '0');

  if (serial < 1 || serial > G_MAXUINT)
    return FALSE;

  if (!day_key_is_valid ((guint32) day_key))
    return FALSE;

  if (out_day_key != NULL)
    *out_day_key = (guint32) day_key;
  if (out_serial != NULL)
    *out_serial = (guint) serial;

  return TRUE;
}
