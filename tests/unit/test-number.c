/* test-number.c — ticket numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "kefu-number.h"

static gint64
utc_usec (int year,
          int month,
          int day,
          int hour,
          int minute,
          int second)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, second);

  g_assert_nonnull (dt);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
test_day_key (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GTimeZone) west = g_time_zone_new_identifier ("-05:00");

  g_assert_nonnull (shanghai);
  g_assert_nonnull (west);

  g_assert_cmpuint (kefu_number_day_key (utc_usec (2026, 11, 23, 8, 30, 0), utc), ==, 20261123);
  /* 16:30 UTC is already the next day in UTC+8, still the same day in UTC-5. */
  g_assert_cmpuint (kefu_number_day_key (utc_usec (2026, 11, 23, 16, 30, 0), shanghai), ==,
                    20261124);
  g_assert_cmpuint (kefu_number_day_key (utc_usec (2026, 11, 23, 16, 30, 0), west), ==, 20261123);
  /* 03:00 UTC on New Year's Day is still the old year in UTC-5. */
  g_assert_cmpuint (kefu_number_day_key (utc_usec (2027, 1, 1, 3, 0, 0), west), ==, 20261231);
  /* Leap day and the last microsecond of a day. */
  g_assert_cmpuint (kefu_number_day_key (utc_usec (2028, 2, 29, 12, 0, 0), utc), ==, 20280229);
  g_assert_cmpuint (kefu_number_day_key (utc_usec (2026, 11, 24, 0, 0, 0) - 1, utc), ==,
                    20261123);
  g_assert_cmpuint (kefu_number_day_key (utc_usec (2026, 11, 24, 0, 0, 0), utc), ==, 20261124);
}

static void
test_format (void)
{
  g_autofree char *first = kefu_number_format (20261123, 1);
  g_autofree char *mid = kefu_number_format (20240520, 42);
  g_autofree char *full = kefu_number_format (20240520, 999);
  g_autofree char *wide = kefu_number_format (20240520, 1000);
  g_autofree char *wider = kefu_number_format (20240520, 123456);

  g_assert_cmpstr (first, ==, "FW20261123001");
  g_assert_cmpstr (mid, ==, "FW20240520042");
  g_assert_cmpstr (full, ==, "FW20240520999");
  g_assert_cmpstr (wide, ==, "FW202405201000");
  g_assert_cmpstr (wider, ==, "FW20240520123456");
}

static void
test_round_trip (void)
{
  static const guint serials[] = { 1, 9, 10, 99, 100, 999, 1000, 1001, 65536, G_MAXUINT };
  static const guint32 days[] = { 20000101, 20240229, 20261123, 20261231, 99991231 };

  for (guint d = 0; d < G_N_ELEMENTS (days); d++)
    {
      for (guint s = 0; s < G_N_ELEMENTS (serials); s++)
        {
          g_autofree char *number = kefu_number_format (days[d], serials[s]);
          guint32 day = 0;
          guint serial = 0;

          g_assert_nonnull (number);
          g_assert_true (kefu_number_parse (number, &day, &serial));
          g_assert_cmpuint (day, ==, days[d]);
          g_assert_cmpuint (serial, ==, serials[s]);
        }
    }
}

static void
test_parse (void)
{
  static const char * const bad[] = {
    "",
    "FW",
    "FW20261123",
    "FW2026112301",          /* serial too short */
    "FW20261123000",         /* serial 0 */
    "FW202611230001",        /* not canonical: leading zero on a 4-digit serial */
    "FW20261323001",         /* month 13 */
    "FW20260230001",         /* 30 February */
    "FW20270229001",         /* 2027 is not a leap year */
    "FW20261100001",         /* day 0 */
    "FW00001123001",         /* year 0 */
    "fw20261123001",         /* lower case prefix */
    "FX20261123001",
    "20261123001",
    " FW20261123001",
    "FW20261123001 ",
    "FW20261123001\n",
    "FW2026112300a",
    "FW-0261123001",
    "FW+20261123001",
    "FW2026-11-23001",
    "FW20261123004294967296", /* serial overflows guint */
    "FW2026112399999999999",
  };
  guint32 day = 7;
  guint serial = 7;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (kefu_number_parse (bad[i], &day, &serial))
        g_error ("parsed bad number \"%s\"", bad[i]);
    }
  g_assert_false (kefu_number_parse (NULL, &day, &serial));
  /* Outputs are untouched on failure. */
  g_assert_cmpuint (day, ==, 7);
  g_assert_cmpuint (serial, ==, 7);

  g_assert_true (kefu_number_parse ("FW20240520001", NULL, NULL));
  g_assert_true (kefu_number_parse ("FW20240229017", &day, &serial));
  g_assert_cmpuint (day, ==, 20240229);
  g_assert_cmpuint (serial, ==, 17);
  g_assert_true (kefu_number_parse ("FW202405201234", &day, &serial));
  g_assert_cmpuint (day, ==, 20240520);
  g_assert_cmpuint (serial, ==, 1234);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/number/day-key", test_day_key);
  g_test_add_func ("/number/format", test_format);
  g_test_add_func ("/number/round-trip", test_round_trip);
  g_test_add_func ("/number/parse", test_parse);

  return g_test_run ();
}
