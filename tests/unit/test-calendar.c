/* test-calendar.c — the business calendar: working days, hours, holidays, DST, JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected instant is worked out by hand in the comment next to it; the only other oracle
 * is a deliberately naive reference implementation built on GDateTime (one day at a time, no
 * skipping) that the randomised test compares against.
 */

#include "kefu-calendar.h"
#include "kefu-error.h"

#include <math.h>

#define HOUR G_GINT64_CONSTANT (3600)

/* ---- helpers ------------------------------------------------------------------------------ */

/* An ISO 8601 instant with its offset, in µs since the epoch. */
static gint64
at (const char *iso)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static char *
fmt (gint64 t)
{
  g_autoptr (GDateTime) base = NULL;
  g_autoptr (GDateTime) dt = NULL;
  gint64 s;

  if (t == G_MAXINT64)
    return g_strdup ("never");
  s = (gint64) floor ((double) t / G_USEC_PER_SEC);
  base = g_date_time_new_from_unix_utc (s);
  dt = g_date_time_add (base, t - s * G_USEC_PER_SEC);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* Compares instants as UTC strings, so that a failure shows both readably. */
#define assert_at(got, iso)                                         \
  G_STMT_START {                                                    \
    g_autofree char *got_ = fmt (got);                              \
    g_autofree char *want_ = fmt (at (iso));                        \
    g_assert_cmpstr (got_, ==, want_);                              \
  } G_STMT_END

static KefuCalendar *
calendar (const char *tz,
          guint       mask,
          guint       start_minute,
          guint       end_minute)
{
  KefuCalendar *cal = kefu_calendar_new (tz);

  g_assert_nonnull (cal);
  kefu_calendar_set_work_days (cal, mask);
  kefu_calendar_set_work_hours (cal, start_minute, end_minute);
  return cal;
}

#define MON_FRI 0x1fu
#define SUNDAY  0x40u
#define ALL     0x7fu

/* ---- construction and days ---------------------------------------------------------------- */

static void
test_new (void)
{
  g_autoptr (KefuCalendar) cal = kefu_calendar_new ("Asia/Shanghai");
  g_autoptr (KefuCalendar) utc = kefu_calendar_new (NULL);
  guint start = 0, end = 0;

  g_assert_nonnull (cal);
  g_assert_cmpstr (kefu_calendar_get_time_zone (cal), ==, "Asia/Shanghai");
  g_assert_cmpuint (kefu_calendar_get_work_days (cal), ==, 0x1f);
  kefu_calendar_get_work_hours (cal, &start, &end);
  g_assert_cmpuint (start, ==, 9 * 60);
  g_assert_cmpuint (end, ==, 18 * 60);

  g_assert_nonnull (utc);
  g_assert_cmpstr (kefu_calendar_get_time_zone (utc), ==, "UTC");

  g_assert_null (kefu_calendar_new ("Mars/Olympus_Mons"));
  g_assert_null (kefu_calendar_new ("asia/shanghai"));
  g_assert_null (kefu_calendar_new (""));

  kefu_calendar_set_work_days (cal, 0x41);
  kefu_calendar_set_work_hours (cal, 0, 1440);
  g_assert_cmpuint (kefu_calendar_get_work_days (cal), ==, 0x41);
  kefu_calendar_get_work_hours (cal, &start, &end);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (end, ==, 1440);
}

static void
test_work_day (void)
{
  g_autoptr (KefuCalendar) cal = kefu_calendar_new ("Asia/Shanghai");

  /* 2024-05-20 is a Monday, 2024-05-25 a Saturday, 2024-05-26 a Sunday. */
  g_assert_true (kefu_calendar_is_work_day (cal, 2024, 5, 20));
  g_assert_true (kefu_calendar_is_work_day (cal, 2024, 5, 24));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 5, 25));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 5, 26));
  /* 2024-02-29 exists (a Thursday); 2023-02-29 and 2024-04-31 don't. */
  g_assert_true (kefu_calendar_is_work_day (cal, 2024, 2, 29));
  g_assert_false (kefu_calendar_is_work_day (cal, 2023, 2, 29));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 4, 31));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 13, 1));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 0, 1));
  /* 1900-01-01 was a Monday, 2100-12-31 a Friday (century rules). */
  g_assert_true (kefu_calendar_is_work_day (cal, 1900, 1, 1));
  g_assert_true (kefu_calendar_is_work_day (cal, 2100, 12, 31));
  g_assert_false (kefu_calendar_is_work_day (cal, 2000, 1, 1));  /* Saturday */

  g_assert_true (kefu_calendar_add_holiday (cal, "2024-05-21"));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 5, 21));
  g_assert_true (kefu_calendar_is_work_day (cal, 2024, 5, 22));

  /* A make-up working day on a Saturday. */
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-05-25"));
  g_assert_true (kefu_calendar_is_work_day (cal, 2024, 5, 25));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 5, 26));

  /* Listed as both: the holiday wins. */
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-05-21"));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 5, 21));

  /* Malformed dates are refused and change nothing. */
  g_assert_false (kefu_calendar_add_holiday (cal, "2024-02-30"));
  g_assert_false (kefu_calendar_add_holiday (cal, "2024-5-22"));
  g_assert_false (kefu_calendar_add_holiday (cal, "2024-05-22x"));
  g_assert_false (kefu_calendar_add_holiday (cal, "2024/05/22"));
  g_assert_false (kefu_calendar_add_holiday (cal, "abcd-ef-gh"));
  g_assert_false (kefu_calendar_add_holiday (cal, ""));
  g_assert_false (kefu_calendar_add_holiday (cal, "0000-01-01"));
  g_assert_false (kefu_calendar_add_extra_work_day (cal, "2024-05-32"));
  g_assert_true (kefu_calendar_is_work_day (cal, 2024, 5, 22));
  g_assert_false (kefu_calendar_is_work_day (cal, 2024, 6, 1));
}

/* ---- add_business / business_between, no DST ---------------------------------------------- */

static void
test_add_inside_hours (void)
{
  /* Mon–Fri 09:00–18:00, UTC+8 all year. 2024-05-20 is a Monday. */
  g_autoptr (KefuCalendar) cal = kefu_calendar_new ("Asia/Shanghai");

  /* 10:00 + 1 h = 11:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T10:00:00+08:00"), HOUR),
             "2024-05-20T11:00:00+08:00");
  /* 10:00 + 8 h runs out exactly at the 18:00 closing: the closing, not next morning. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T10:00:00+08:00"), 8 * HOUR),
             "2024-05-20T18:00:00+08:00");
  /* 10:00 + 8 h + 1 s: 8 h today, the last second after Tuesday's opening. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T10:00:00+08:00"), 8 * HOUR + 1),
             "2024-05-21T09:00:01+08:00");
  /* 17:00 + 2 h: one hour on Monday, one on Tuesday → 10:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T17:00:00+08:00"), 2 * HOUR),
             "2024-05-21T10:00:00+08:00");
  /* 45 h from Monday 09:00 is exactly the working week → Friday 18:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T09:00:00+08:00"), 45 * HOUR),
             "2024-05-24T18:00:00+08:00");
  /* 46 h from Monday 09:00 → one hour into the next Monday. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T09:00:00+08:00"), 46 * HOUR),
             "2024-05-27T10:00:00+08:00");
}

static void
test_add_outside_hours (void)
{
  g_autoptr (KefuCalendar) cal = kefu_calendar_new ("Asia/Shanghai");

  /* Before opening: counting starts at 09:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T07:30:00+08:00"), HOUR),
             "2024-05-20T10:00:00+08:00");
  /* Just after local midnight (still Sunday 16:00 in UTC). */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T00:00:00+08:00"), 30 * 60),
             "2024-05-20T09:30:00+08:00");
  /* At the opening instant. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T09:00:00+08:00"), 60),
             "2024-05-20T09:01:00+08:00");
  /* After closing: the next morning. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T19:00:00+08:00"), HOUR),
             "2024-05-21T10:00:00+08:00");
  /* At the closing instant: nothing left today. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T18:00:00+08:00"), HOUR),
             "2024-05-21T10:00:00+08:00");
  /* On a Saturday: Monday 10:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-25T12:00:00+08:00"), HOUR),
             "2024-05-27T10:00:00+08:00");
  /* Friday 17:30 + 1 h: 30 min on Friday, 30 min on Monday. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-24T17:30:00+08:00"), HOUR),
             "2024-05-27T09:30:00+08:00");
  /* Friday 23:59:59 local is still Friday, not Saturday. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-24T23:59:59+08:00"), 9 * HOUR),
             "2024-05-27T18:00:00+08:00");
}

static void
test_add_zero_and_usec (void)
{
  g_autoptr (KefuCalendar) cal = kefu_calendar_new ("Asia/Shanghai");

  /* Nothing to count: the start itself, even on a weekend. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-25T12:00:00+08:00"), 0),
             "2024-05-25T12:00:00+08:00");
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-25T12:00:00+08:00"), -5),
             "2024-05-25T12:00:00+08:00");
  /* Microseconds of the start are kept. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-05-20T10:00:00.250000+08:00"), 1),
             "2024-05-20T10:00:01.250000+08:00");
  /* µs variant: 17:59:59.9 + 0.2 s → 0.1 s today, 0.1 s after Tuesday's opening. */
  assert_at (kefu_calendar_add_business_usec (cal, at ("2024-05-20T17:59:59.900000+08:00"),
                                              200000),
             "2024-05-21T09:00:00.100000+08:00");
  g_assert_cmpint (kefu_calendar_business_between_usec (cal, at ("2024-05-20T10:00:00+08:00"),
                                                         at ("2024-05-20T10:00:00.5+08:00")),
                   ==, 500000);
  /* The seconds variant truncates. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-20T10:00:00+08:00"),
                                                   at ("2024-05-20T10:00:01.5+08:00")), ==, 1);
}

static void
test_holiday_and_extra_day (void)
{
  /* China's National Day 2024: Tue 1 … Mon 7 October off; Sunday 29 September and Saturday
   * 12 October are make-up working days. */
  g_autoptr (KefuCalendar) cal = kefu_calendar_new ("Asia/Shanghai");
  g_autoptr (KefuCalendar) plain = kefu_calendar_new ("Asia/Shanghai");
  const char *holidays[] = { "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04",
                             "2024-10-05", "2024-10-06", "2024-10-07" };

  for (guint i = 0; i < G_N_ELEMENTS (holidays); i++)
    g_assert_true (kefu_calendar_add_holiday (cal, holidays[i]));
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-09-29"));
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-10-12"));

  /* Friday 27 September 17:00 + 2 h: 1 h Friday, Saturday off, Sunday 29 works → 10:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-09-27T17:00:00+08:00"), 2 * HOUR),
             "2024-09-29T10:00:00+08:00");
  /* Without the make-up day: Monday 30 September 10:00. */
  assert_at (kefu_calendar_add_business (plain, at ("2024-09-27T17:00:00+08:00"), 2 * HOUR),
             "2024-09-30T10:00:00+08:00");
  /* Monday 30 September 17:00 + 2 h: 1 h Monday, a week off, Tuesday 8 October 10:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-09-30T17:00:00+08:00"), 2 * HOUR),
             "2024-10-08T10:00:00+08:00");
  /* Friday 11 October 17:00 + 2 h → Saturday 12 October (make-up) 10:00. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-10-11T17:00:00+08:00"), 2 * HOUR),
             "2024-10-12T10:00:00+08:00");
  /* Started on the holiday itself: the next working day's opening. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-10-03T11:00:00+08:00"), HOUR),
             "2024-10-08T10:00:00+08:00");

  /* Fri 27 Sep 09:00 → Mon 14 Oct 09:00: Fri 27, Sun 29, Mon 30, Tue 8 … Fri 11, Sat 12 =
   * 8 days × 9 h = 72 h. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-09-27T09:00:00+08:00"),
                                                   at ("2024-10-14T09:00:00+08:00")),
                   ==, 72 * HOUR);
  /* The plain calendar: Fri 27, Mon 30 … Fri 4 (5), Mon 7 … Fri 11 (5) = 11 days = 99 h. */
  g_assert_cmpint (kefu_calendar_business_between (plain, at ("2024-09-27T09:00:00+08:00"),
                                                   at ("2024-10-14T09:00:00+08:00")),
                   ==, 99 * HOUR);
}

static void
test_business_between (void)
{
  g_autoptr (KefuCalendar) cal = kefu_calendar_new ("Asia/Shanghai");
  g_autoptr (KefuCalendar) berlin = kefu_calendar_new ("Europe/Berlin");

  /* Mon 10:00 → Tue 10:00: 8 h + 1 h. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-20T10:00:00+08:00"),
                                                   at ("2024-05-21T10:00:00+08:00")),
                   ==, 9 * HOUR);
  /* Fri 17:00 → Mon 10:00: 1 h + 1 h. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-24T17:00:00+08:00"),
                                                   at ("2024-05-27T10:00:00+08:00")),
                   ==, 2 * HOUR);
  /* Weekend, early morning, evening: nothing. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-25T10:00:00+08:00"),
                                                   at ("2024-05-26T20:00:00+08:00")), ==, 0);
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-20T07:00:00+08:00"),
                                                   at ("2024-05-20T09:00:00+08:00")), ==, 0);
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-20T18:00:00+08:00"),
                                                   at ("2024-05-20T23:00:00+08:00")), ==, 0);
  /* Empty and reversed ranges. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-20T10:00:00+08:00"),
                                                   at ("2024-05-20T10:00:00+08:00")), ==, 0);
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-21T10:00:00+08:00"),
                                                   at ("2024-05-20T10:00:00+08:00")), ==, 0);
  /* Inside one window. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-05-20T10:15:00+08:00"),
                                                   at ("2024-05-20T12:45:00+08:00")),
                   ==, 2 * HOUR + 30 * 60);

  /* All of 2024 (366 days from Monday 1 January): 52 weeks + Mon 30 and Tue 31 December =
   * 262 working days × 9 h = 2358 h. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-01-01T00:00:00+08:00"),
                                                   at ("2025-01-01T00:00:00+08:00")),
                   ==, 2358 * HOUR);
  /* The same in Berlin: the DST changes happen at night, outside 09:00–18:00. */
  g_assert_cmpint (kefu_calendar_business_between (berlin, at ("2024-01-01T00:00:00+01:00"),
                                                   at ("2025-01-01T00:00:00+01:00")),
                   ==, 2358 * HOUR);
}

static void
test_add_long (void)
{
  /* 365 days of business time = 31 536 000 s = 973 full days of 9 h (31 525 200 s) + 3 h.
   * From Monday 2024-01-01 09:00: 194 weeks = 970 days end on Friday 2027-09-17; Mon 20, Tue 21,
   * Wed 22 make 973; 3 h into Thursday 2027-09-23 → 12:00 local. */
  g_autoptr (KefuCalendar) shanghai = kefu_calendar_new ("Asia/Shanghai");
  g_autoptr (KefuCalendar) berlin = kefu_calendar_new ("Europe/Berlin");
  g_autoptr (KefuCalendar) utc = kefu_calendar_new ("UTC");
  gint64 year = 365 * 24 * HOUR;
  double elapsed;

  assert_at (kefu_calendar_add_business (shanghai, at ("2024-01-01T09:00:00+08:00"), year),
             "2027-09-23T12:00:00+08:00");
  /* Berlin: eight DST changes on the way, none inside working hours; September is CEST. */
  assert_at (kefu_calendar_add_business (berlin, at ("2024-01-01T09:00:00+01:00"), year),
             "2027-09-23T12:00:00+02:00");
  assert_at (kefu_calendar_add_business (utc, at ("2024-01-01T09:00:00Z"), year),
             "2027-09-23T12:00:00Z");
  /* And back. */
  g_assert_cmpint (kefu_calendar_business_between (berlin, at ("2024-01-01T09:00:00+01:00"),
                                                   at ("2027-09-23T12:00:00+02:00")),
                   ==, year);

  /* Cost: whole weeks are skipped arithmetically, so a thousand year-long targets are cheap
   * (the naive day-by-day walk takes ~1400 iterations each). */
  g_test_timer_start ();
  for (int i = 0; i < 1000; i++)
    {
      gint64 start = at ("2024-01-01T09:00:00+01:00") + (gint64) i * 7919 * G_USEC_PER_SEC;

      g_assert_cmpint (kefu_calendar_add_business (berlin, start, year), >, start);
    }
  elapsed = g_test_timer_elapsed ();
  g_test_message ("1000 year-long targets: %.3f s", elapsed);
  g_assert_cmpfloat (elapsed, <, 5.0);
}

static void
test_dense_holidays_and_horizon (void)
{
  /* Mondays only; every Monday of 2024 is a holiday. 2025-01-06 is the first Monday of 2025. */
  g_autoptr (KefuCalendar) cal = calendar ("UTC", 0x01, 9 * 60, 18 * 60);
  g_autoptr (KefuCalendar) never = calendar ("UTC", 0x01, 9 * 60, 18 * 60);
  g_autoptr (GDate) d = g_date_new_dmy (1, G_DATE_JANUARY, 2024);

  while (g_date_get_year (d) == 2024)
    {
      char buf[16];

      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", d);
      g_assert_true (kefu_calendar_add_holiday (cal, buf));
      g_date_add_days (d, 7);
    }
  assert_at (kefu_calendar_add_business (cal, at ("2024-01-01T00:00:00Z"), HOUR),
             "2025-01-06T10:00:00Z");
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-01-01T00:00:00Z"),
                                                   at ("2025-01-06T00:00:00Z")), ==, 0);

  /* Every Monday for 110 years off: no working time within the 100-year horizon → never. */
  g_date_set_dmy (d, 1, G_DATE_JANUARY, 2024);
  while (g_date_get_year (d) < 2134)
    {
      char buf[16];

      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", d);
      g_assert_true (kefu_calendar_add_holiday (never, buf));
      g_date_add_days (d, 7);
    }
  g_assert_cmpint (kefu_calendar_add_business (never, at ("2024-01-01T00:00:00Z"), 1), ==,
                   G_MAXINT64);
  /* A start beyond year 9999 can't be served either. */
  g_assert_cmpint (kefu_calendar_add_business (cal, G_MAXINT64 - 1, 1), ==, G_MAXINT64);
}

/* ---- DST ---------------------------------------------------------------------------------- */

static void
test_dst_all_day (void)
{
  /* New York, every day 00:00–24:00: business time is real time, and a local day lasts 23 h on
   * 2024-03-10 (02:00 EST → 03:00 EDT) and 25 h on 2024-11-03 (02:00 EDT → 01:00 EST). */
  g_autoptr (KefuCalendar) cal = calendar ("America/New_York", ALL, 0, 1440);

  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-03-10T00:00:00-05:00"),
                                                   at ("2024-03-11T00:00:00-04:00")),
                   ==, 23 * HOUR);
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-11-03T00:00:00-04:00"),
                                                   at ("2024-11-04T00:00:00-05:00")),
                   ==, 25 * HOUR);
  /* Saturday noon EST + 24 h of real time = Sunday 17:00Z = 13:00 EDT. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-03-09T12:00:00-05:00"), 24 * HOUR),
             "2024-03-10T13:00:00-04:00");
  /* Saturday noon EDT + 24 h = Sunday 16:00Z = 11:00 EST. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-11-02T12:00:00-04:00"), 24 * HOUR),
             "2024-11-03T11:00:00-05:00");
  /* The 23-hour day used up exactly → its end, Monday 00:00 EDT. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-03-10T00:00:00-05:00"), 23 * HOUR),
             "2024-03-11T00:00:00-04:00");
  /* 24 h from that midnight → 01:00 on Monday. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-03-10T00:00:00-05:00"), 24 * HOUR),
             "2024-03-11T01:00:00-04:00");
  /* A whole year of real time: 2024 is 366 days, EST at both ends. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-01-01T00:00:00-05:00"),
                                                   at ("2025-01-01T00:00:00-05:00")),
                   ==, 366 * 24 * HOUR);
  assert_at (kefu_calendar_add_business (cal, at ("2024-01-01T00:00:00-05:00"),
                                         366 * 24 * HOUR),
             "2025-01-01T00:00:00-05:00");
}

static void
test_dst_sunday_calendar (void)
{
  /* Berlin, Sundays 00:00–24:00 only. 2024-03-31 (Sunday): 02:00 CET → 03:00 CEST, 23 h.
   * 2024-10-27 (Sunday): 03:00 CEST → 02:00 CET, 25 h. */
  g_autoptr (KefuCalendar) cal = calendar ("Europe/Berlin", SUNDAY, 0, 1440);

  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-03-25T00:00:00+01:00"),
                                                   at ("2024-04-01T00:00:00+02:00")),
                   ==, 23 * HOUR);
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-10-21T00:00:00+02:00"),
                                                   at ("2024-10-28T00:00:00+01:00")),
                   ==, 25 * HOUR);
  /* A week without a change: 24 h. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-04-01T00:00:00+02:00"),
                                                   at ("2024-04-08T00:00:00+02:00")),
                   ==, 24 * HOUR);
  /* Saturday + 23 h → the end of the short Sunday: Monday 00:00 CEST. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-03-30T12:00:00+01:00"), 23 * HOUR),
             "2024-04-01T00:00:00+02:00");
  /* One second more spills into the next Sunday. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-03-30T12:00:00+01:00"), 23 * HOUR + 1),
             "2024-04-07T00:00:01+02:00");
  /* Saturday + 25 h → the end of the long Sunday: Monday 00:00 CET. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-10-26T12:00:00+02:00"), 25 * HOUR),
             "2024-10-28T00:00:00+01:00");
  /* Sunday 00:00 CEST + 3 h real = 01:00Z, the very instant of the change = 02:00 CET. */
  assert_at (kefu_calendar_add_business (cal, at ("2024-10-27T00:00:00+02:00"), 3 * HOUR),
             "2024-10-27T02:00:00+01:00");
  /* Sunday 00:00 CET + 3 h real = 02:00Z = 04:00 CEST (the 02:00–03:00 hour doesn't exist). */
  assert_at (kefu_calendar_add_business (cal, at ("2024-03-31T00:00:00+01:00"), 3 * HOUR),
             "2024-03-31T04:00:00+02:00");
}

static void
test_dst_office_hours (void)
{
  /* New York, Mon–Fri 09:00–18:00. Friday 17:00 EST + 2 h: 1 h Friday, 1 h Monday, and Monday
   * is EDT → 10:00-04:00 (14:00Z, where adding UTC days would give 15:00Z). */
  g_autoptr (KefuCalendar) cal = calendar ("America/New_York", MON_FRI, 9 * 60, 18 * 60);

  assert_at (kefu_calendar_add_business (cal, at ("2024-03-08T17:00:00-05:00"), 2 * HOUR),
             "2024-03-11T10:00:00-04:00");
  /* Fall: Friday 17:00 EDT + 2 h → Monday 10:00 EST (15:00Z). */
  assert_at (kefu_calendar_add_business (cal, at ("2024-11-01T17:00:00-04:00"), 2 * HOUR),
             "2024-11-04T10:00:00-05:00");
  /* Fri 09:00 EST → Mon 18:00 EDT: two whole days, 18 h. */
  g_assert_cmpint (kefu_calendar_business_between (cal, at ("2024-03-08T09:00:00-05:00"),
                                                   at ("2024-03-11T18:00:00-04:00")),
                   ==, 18 * HOUR);
}

static void
test_dst_hours_around_jump (void)
{
  /* Sunday-only calendars in New York whose hours touch the changes of 2024-03-10 (02:00 EST →
   * 03:00 EDT) and 2024-11-03 (02:00 EDT → 01:00 EST). */
  g_autoptr (KefuCalendar) spring_a = calendar ("America/New_York", SUNDAY, 60, 240);
  g_autoptr (KefuCalendar) spring_b = calendar ("America/New_York", SUNDAY, 150, 300);
  g_autoptr (KefuCalendar) spring_c = calendar ("America/New_York", SUNDAY, 120, 180);
  g_autoptr (KefuCalendar) fall_a = calendar ("America/New_York", SUNDAY, 60, 180);
  g_autoptr (KefuCalendar) fall_b = calendar ("America/New_York", SUNDAY, 0, 90);
  gint64 sat = at ("2024-03-09T00:00:00-05:00");
  gint64 mon = at ("2024-03-11T00:00:00-04:00");
  gint64 fall_sat = at ("2024-11-02T00:00:00-04:00");
  gint64 fall_mon = at ("2024-11-04T00:00:00-05:00");

  /* 01:00–04:00: 01:00 EST (06:00Z) → 04:00 EDT (08:00Z) = 2 h. */
  g_assert_cmpint (kefu_calendar_business_between (spring_a, sat, mon), ==, 2 * HOUR);
  /* 02:30–05:00: 02:30 doesn't exist, opening moves to 03:00 EDT (07:00Z) → 05:00 EDT = 2 h. */
  g_assert_cmpint (kefu_calendar_business_between (spring_b, sat, mon), ==, 2 * HOUR);
  assert_at (kefu_calendar_add_business (spring_b, sat, 60), "2024-03-10T03:01:00-04:00");
  /* 02:00–03:00 is swallowed whole: no working time that Sunday; the next Sunday has its hour
   * (02:00–03:00 EDT). */
  g_assert_cmpint (kefu_calendar_business_between (spring_c, sat, mon), ==, 0);
  assert_at (kefu_calendar_add_business (spring_c, sat, HOUR), "2024-03-17T03:00:00-04:00");
  /* 01:00–03:00 in the fall: 01:00 EDT (05:00Z) → 03:00 EST (08:00Z) = 3 h. */
  g_assert_cmpint (kefu_calendar_business_between (fall_a, fall_sat, fall_mon), ==, 3 * HOUR);
  /* 00:00–01:30: 01:30 happens twice; the first (EDT, 05:30Z) closes: 1.5 h. */
  g_assert_cmpint (kefu_calendar_business_between (fall_b, fall_sat, fall_mon), ==,
                   HOUR + 30 * 60);
  assert_at (kefu_calendar_add_business (fall_b, fall_sat, HOUR + 30 * 60),
             "2024-11-03T01:30:00-04:00");
}

/* ---- cross-check against a naive reference ------------------------------------------------ */

typedef struct {
  const char *tz_id;
  guint       mask;
  guint       start_minute;
  guint       end_minute;
  GHashTable *holidays;  /* "YYYY-MM-DD" */
  GHashTable *extras;
} Reference;

static gint64
usec_of (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* The working window of the local day that starts at @midnight, from GDateTime's own idea of
 * wall-clock time. FALSE on a day off. */
static gboolean
reference_window (Reference *r,
                  GDateTime *midnight,
                  gint64    *open,
                  gint64    *close)
{
  g_autofree char *date = g_date_time_format (midnight, "%Y-%m-%d");
  g_autoptr (GDateTime) o = NULL;
  g_autoptr (GDateTime) c = NULL;
  GTimeZone *tz = g_date_time_get_timezone (midnight);
  int y, m, d;
  gboolean work;

  if (g_hash_table_contains (r->holidays, date))
    work = FALSE;
  else if (g_hash_table_contains (r->extras, date))
    work = TRUE;
  else
    work = (r->mask >> (g_date_time_get_day_of_week (midnight) - 1)) & 1;
  if (!work)
    return FALSE;

  g_date_time_get_ymd (midnight, &y, &m, &d);
  o = g_date_time_new (tz, y, m, d, r->start_minute / 60, r->start_minute % 60, 0);
  if (r->end_minute == 1440)
    c = g_date_time_add_days (midnight, 1);
  else
    c = g_date_time_new (tz, y, m, d, r->end_minute / 60, r->end_minute % 60, 0);
  *open = usec_of (o);
  *close = usec_of (c);
  return *close > *open;
}

static GDateTime *
reference_day_before (GTimeZone *tz,
                      gint64     t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  int y, m, d;

  g_date_time_get_ymd (local, &y, &m, &d);
  {
    g_autoptr (GDateTime) midnight = g_date_time_new (tz, y, m, d, 0, 0, 0);

    return g_date_time_add_days (midnight, -1);
  }
}

static gint64
reference_add (Reference *r,
               gint64     start,
               gint64     seconds)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (r->tz_id);
  g_autoptr (GDateTime) day = reference_day_before (tz, start);
  gint64 remaining = seconds * G_USEC_PER_SEC;

  for (int i = 0; i < 5000; i++)
    {
      GDateTime *next;
      gint64 o, c;

      if (reference_window (r, day, &o, &c))
        {
          o = MAX (o, start);
          if (c > o)
            {
              if (remaining <= c - o)
                return o + remaining;
              remaining -= c - o;
            }
        }
      next = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = next;
    }
  g_assert_not_reached ();
}

static gint64
reference_between (Reference *r,
                   gint64     from,
                   gint64     to)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (r->tz_id);
  g_autoptr (GDateTime) day = reference_day_before (tz, from);
  gint64 total = 0;

  while (usec_of (day) < to)
    {
      GDateTime *next;
      gint64 o, c;

      if (reference_window (r, day, &o, &c))
        {
          o = MAX (o, from);
          c = MIN (c, to);
          if (c > o)
            total += c - o;
        }
      next = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = next;
    }
  return total;
}

static void
random_date (char *buf,
             gsize size,
             int   year_from,
             int   years)
{
  g_autoptr (GDate) d = g_date_new_dmy (1, G_DATE_JANUARY, (GDateYear) year_from);

  g_date_add_days (d, (guint) g_test_rand_int_range (0, 365 * years));
  g_date_strftime (buf, size, "%Y-%m-%d", d);
}

static void
test_random_vs_reference (void)
{
  /* Calendars that avoid ambiguous wall-clock openings (where GDateTime and the calendar
   * deliberately differ): DST changes fall outside the hours, or the hours are the whole day. */
  const Reference shapes[] = {
    { "Europe/Berlin", MON_FRI, 9 * 60, 18 * 60, NULL, NULL },
    { "Asia/Shanghai", 0x3f, 8 * 60 + 30, 17 * 60 + 45, NULL, NULL },
    { "America/New_York", 0x3f, 0, 1440, NULL, NULL },
    { "Australia/Sydney", 0x15, 7 * 60, 23 * 60, NULL, NULL },
  };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      Reference r = shapes[s];
      g_autoptr (KefuCalendar) cal = calendar (r.tz_id, r.mask, r.start_minute, r.end_minute);
      g_autoptr (GHashTable) holidays = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                               g_free, NULL);
      g_autoptr (GHashTable) extras = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, NULL);
      int trials = g_test_slow () ? 400 : 120;

      r.holidays = holidays;
      r.extras = extras;
      for (int i = 0; i < 40; i++)
        {
          char buf[16];

          random_date (buf, sizeof buf, 2024, 3);
          g_assert_true (kefu_calendar_add_holiday (cal, buf));
          g_hash_table_add (holidays, g_strdup (buf));
        }
      for (int i = 0; i < 8; i++)
        {
          char buf[16];

          random_date (buf, sizeof buf, 2024, 3);
          if (g_hash_table_contains (holidays, buf))
            continue;
          g_assert_true (kefu_calendar_add_extra_work_day (cal, buf));
          g_hash_table_add (extras, g_strdup (buf));
        }

      for (int i = 0; i < trials; i++)
        {
          gint64 start = at ("2024-01-01T00:00:00Z") +
                         (gint64) g_test_rand_int_range (0, 2 * 365 * 24 * 60) * 60 *
                         G_USEC_PER_SEC +
                         g_test_rand_int_range (0, 1000000);
          gint64 seconds = i % 10 == 0 ? g_test_rand_int_range (1, 300 * 24 * 3600)
                                       : g_test_rand_int_range (1, 20 * 24 * 3600);
          gint64 span = (gint64) g_test_rand_int_range (0, 90 * 24 * 3600) * G_USEC_PER_SEC;
          gint64 want = reference_add (&r, start, seconds);
          gint64 got = kefu_calendar_add_business (cal, start, seconds);

          if (got != want)
            {
              g_autofree char *s1 = fmt (start);
              g_autofree char *s2 = fmt (got);
              g_autofree char *s3 = fmt (want);

              g_test_message ("%s: %s + %" G_GINT64_FORMAT " s: got %s, want %s",
                              r.tz_id, s1, seconds, s2, s3);
            }
          g_assert_cmpint (got, ==, want);
          g_assert_cmpint (kefu_calendar_business_between_usec (cal, start, start + span), ==,
                           reference_between (&r, start, start + span));
          /* And the two agree with each other. */
          g_assert_cmpint (kefu_calendar_business_between_usec (cal, start, got), ==,
                           seconds * G_USEC_PER_SEC);
        }
    }
}

/* ---- copy and JSON ------------------------------------------------------------------------ */

static char *
to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
test_copy (void)
{
  g_autoptr (KefuCalendar) cal = calendar ("Asia/Shanghai", 0x3f, 8 * 60, 17 * 60);
  g_autoptr (KefuCalendar) copy = NULL;
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;

  g_assert_true (kefu_calendar_add_holiday (cal, "2024-10-01"));
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-10-13"));
  copy = kefu_calendar_copy (cal);
  a = kefu_calendar_to_json (cal);
  b = kefu_calendar_to_json (copy);
  sa = to_string (a);
  sb = to_string (b);
  g_assert_cmpstr (sa, ==, sb);

  /* Independent from then on. */
  g_assert_true (kefu_calendar_add_holiday (copy, "2024-10-02"));
  kefu_calendar_set_work_days (copy, 0x01);
  g_assert_true (kefu_calendar_is_work_day (cal, 2024, 10, 2));
  g_assert_cmpuint (kefu_calendar_get_work_days (cal), ==, 0x3f);
  g_assert_false (kefu_calendar_is_work_day (copy, 2024, 10, 2));
}

static void
test_json_round_trip (void)
{
  g_autoptr (KefuCalendar) cal = calendar ("Asia/Shanghai", 0x3f, 8 * 60 + 30, 17 * 60 + 45);
  g_autoptr (KefuCalendar) back = NULL;
  g_autoptr (KefuCalendar) parsed = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) node2 = NULL;
  g_autoptr (JsonNode) input = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  guint start, end;

  /* Added out of order and twice: written sorted and once. */
  g_assert_true (kefu_calendar_add_holiday (cal, "2024-10-03"));
  g_assert_true (kefu_calendar_add_holiday (cal, "2024-10-01"));
  g_assert_true (kefu_calendar_add_holiday (cal, "2024-10-02"));
  g_assert_true (kefu_calendar_add_holiday (cal, "2024-10-01"));
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-10-12"));
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-09-29"));

  node = kefu_calendar_to_json (cal);
  text = to_string (node);
  g_assert_cmpstr (text, ==,
                   "{\"time_zone\":\"Asia/Shanghai\",\"work_days\":[1,2,3,4,5,6],"
                   "\"work_start\":\"08:30\",\"work_end\":\"17:45\","
                   "\"holidays\":[\"2024-10-01\",\"2024-10-02\",\"2024-10-03\"],"
                   "\"extra_work_days\":[\"2024-09-29\",\"2024-10-12\"]}");

  back = kefu_calendar_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (kefu_calendar_get_time_zone (back), ==, "Asia/Shanghai");
  g_assert_cmpuint (kefu_calendar_get_work_days (back), ==, 0x3f);
  kefu_calendar_get_work_hours (back, &start, &end);
  g_assert_cmpuint (start, ==, 510);
  g_assert_cmpuint (end, ==, 1065);
  g_assert_false (kefu_calendar_is_work_day (back, 2024, 10, 2));
  g_assert_true (kefu_calendar_is_work_day (back, 2024, 9, 29));  /* a Sunday */
  node2 = kefu_calendar_to_json (back);
  text2 = to_string (node2);
  g_assert_cmpstr (text, ==, text2);

  /* Unordered, repeated weekdays; 24:00; no lists at all; an unknown member is ignored. */
  input = json_from_string ("{\"time_zone\":\"Europe/Berlin\",\"work_days\":[7,1,1],"
                            "\"work_start\":\"00:00\",\"work_end\":\"24:00\",\"note\":1}", NULL);
  g_assert_nonnull (input);
  parsed = kefu_calendar_from_json (input, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kefu_calendar_get_work_days (parsed), ==, 0x41);
  kefu_calendar_get_work_hours (parsed, &start, &end);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (end, ==, 1440);
  {
    g_autoptr (JsonNode) out = kefu_calendar_to_json (parsed);
    g_autofree char *s = to_string (out);

    g_assert_cmpstr (s, ==,
                     "{\"time_zone\":\"Europe/Berlin\",\"work_days\":[1,7],"
                     "\"work_start\":\"00:00\",\"work_end\":\"24:00\","
                     "\"holidays\":[],\"extra_work_days\":[]}");
  }
}

typedef struct {
  const char *json;
  const char *field;
} InvalidCase;

#define VALID_TAIL "\"work_start\":\"09:00\",\"work_end\":\"18:00\""

static void
test_json_invalid (void)
{
  const InvalidCase cases[] = {
    { "[]", "calendar" },
    { "\"UTC\"", "calendar" },
    { "{\"work_days\":[1]," VALID_TAIL "}", "calendar.time_zone" },
    { "{\"time_zone\":5,\"work_days\":[1]," VALID_TAIL "}", "calendar.time_zone" },
    { "{\"time_zone\":\"Mars/Base\",\"work_days\":[1]," VALID_TAIL "}", "calendar.time_zone" },
    { "{\"time_zone\":\"\",\"work_days\":[1]," VALID_TAIL "}", "calendar.time_zone" },
    /* Zone names, not paths: GLib would open any file (found by fuzz-calendar). */
    { "{\"time_zone\":\"../../../../etc/passwd\",\"work_days\":[1]," VALID_TAIL "}",
      "calendar.time_zone" },
    { "{\"time_zone\":\"/usr/share/zoneinfo/UTC\",\"work_days\":[1]," VALID_TAIL "}",
      "calendar.time_zone" },
    { "{\"time_zone\":\"Asia/../Asia/Shanghai\",\"work_days\":[1]," VALID_TAIL "}",
      "calendar.time_zone" },
    { "{\"time_zone\":\"UTC\"," VALID_TAIL "}", "calendar.work_days" },
    { "{\"time_zone\":\"UTC\",\"work_days\":5," VALID_TAIL "}", "calendar.work_days" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[]," VALID_TAIL "}", "calendar.work_days" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[0]," VALID_TAIL "}", "calendar.work_days[0]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1,8]," VALID_TAIL "}", "calendar.work_days[1]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1,\"2\"]," VALID_TAIL "}",
      "calendar.work_days[1]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1.5]," VALID_TAIL "}", "calendar.work_days[0]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[null]," VALID_TAIL "}", "calendar.work_days[0]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_end\":\"18:00\"}",
      "calendar.work_start" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"9:00\",\"work_end\":\"18:00\"}",
      "calendar.work_start" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"09:60\","
      "\"work_end\":\"18:00\"}", "calendar.work_start" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"24:00\","
      "\"work_end\":\"24:00\"}", "calendar.work_start" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":540,\"work_end\":\"18:00\"}",
      "calendar.work_start" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"09:00\"}",
      "calendar.work_end" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"09:00\","
      "\"work_end\":\"25:00\"}", "calendar.work_end" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"09:00\","
      "\"work_end\":\"24:01\"}", "calendar.work_end" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"09:00\","
      "\"work_end\":\"08:00\"}", "calendar.work_end" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1],\"work_start\":\"09:00\","
      "\"work_end\":\"09:00\"}", "calendar.work_end" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1]," VALID_TAIL ",\"holidays\":\"2024-10-01\"}",
      "calendar.holidays" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1]," VALID_TAIL
      ",\"holidays\":[\"2024-10-01\",\"2024-02-30\"]}", "calendar.holidays[1]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1]," VALID_TAIL ",\"holidays\":[20241001]}",
      "calendar.holidays[0]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1]," VALID_TAIL ",\"extra_work_days\":{}}",
      "calendar.extra_work_days" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1]," VALID_TAIL ",\"extra_work_days\":[\"x\"]}",
      "calendar.extra_work_days[0]" },
    { "{\"time_zone\":\"UTC\",\"work_days\":[1]," VALID_TAIL
      ",\"holidays\":[\"2024-10-01\"],\"extra_work_days\":[\"2024-09-29\",\"2024-10-01\"]}",
      "calendar.extra_work_days[1]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = json_from_string (cases[i].json, &error);
      g_autoptr (KefuCalendar) cal = NULL;

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_no_error (error);
      cal = kefu_calendar_from_json (node, &error);
      g_assert_null (cal);
      g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
      g_assert_cmpstr (kefu_error_get_field (error), ==, cases[i].field);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calendar/new", test_new);
  g_test_add_func ("/calendar/work-day", test_work_day);
  g_test_add_func ("/calendar/add/inside-hours", test_add_inside_hours);
  g_test_add_func ("/calendar/add/outside-hours", test_add_outside_hours);
  g_test_add_func ("/calendar/add/zero-and-usec", test_add_zero_and_usec);
  g_test_add_func ("/calendar/add/holiday-and-extra-day", test_holiday_and_extra_day);
  g_test_add_func ("/calendar/add/long", test_add_long);
  g_test_add_func ("/calendar/add/dense-holidays-and-horizon", test_dense_holidays_and_horizon);
  g_test_add_func ("/calendar/between", test_business_between);
  g_test_add_func ("/calendar/dst/all-day", test_dst_all_day);
  g_test_add_func ("/calendar/dst/sunday-calendar", test_dst_sunday_calendar);
  g_test_add_func ("/calendar/dst/office-hours", test_dst_office_hours);
  g_test_add_func ("/calendar/dst/hours-around-jump", test_dst_hours_around_jump);
  g_test_add_func ("/calendar/random-vs-reference", test_random_vs_reference);
  g_test_add_func ("/calendar/copy", test_copy);
  g_test_add_func ("/calendar/json/round-trip", test_json_round_trip);
  g_test_add_func ("/calendar/json/invalid", test_json_invalid);

  return g_test_run ();
}
