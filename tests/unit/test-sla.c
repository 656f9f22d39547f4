/* test-sla.c — the SLA calculus: dues, warning points, pauses, clocks of a ticket, policy JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected instant is worked out by hand in the comment next to it. Unless said
 * otherwise the policy is the default one in Asia/Shanghai (UTC+8, no DST): Mon–Fri
 * 09:00–18:00. Dates used often: 2024-05-20 is a Monday, 2024-05-23 a Thursday, 2024-05-25/26
 * a weekend.
 */

#include "kefu-sla.h"
#include "kefu-error.h"

#include <math.h>
#include <string.h>

#define HOUR   G_GINT64_CONSTANT (3600)
#define NEVER  G_MAXINT64

/* ---- helpers ------------------------------------------------------------------------------ */

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

  if (t == NEVER)
    return g_strdup ("never");
  if (t == 0)
    return g_strdup ("none");
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

#define assert_never(got) g_assert_cmpint ((got), ==, NEVER)
#define assert_none(got)  g_assert_cmpint ((got), ==, 0)

static KefuSlaTarget
target (gint64   seconds,
        gboolean business)
{
  return (KefuSlaTarget) { .seconds = seconds, .business = business };
}

static KefuSlaPause
pause_iv (const char *from,
          const char *to)
{
  return (KefuSlaPause) { .start = at (from), .end = to != NULL ? at (to) : 0 };
}

static KefuSlaPolicy *
shanghai (void)
{
  KefuSlaPolicy *policy = kefu_sla_policy_new_default ("Asia/Shanghai");

  g_assert_nonnull (policy);
  return policy;
}

/* A policy whose calendar also has Tuesday 2024-05-28 off. */
static KefuSlaPolicy *
shanghai_with_holiday (void)
{
  KefuSlaPolicy *policy = shanghai ();

  g_assert_true (kefu_calendar_add_holiday (kefu_sla_policy_get_calendar (policy),
                                            "2024-05-28"));
  return policy;
}

static KefuSlaInput
ticket (int         priority,
        const char *registered)
{
  return (KefuSlaInput) { .priority = priority, .registered_at = at (registered), .open = TRUE };
}

static void
assert_no_clocks (const KefuSlaDues *dues)
{
  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    {
      g_assert_cmpint (dues->due[i], ==, 0);
      g_assert_cmpint (dues->warn[i], ==, 0);
    }
}

/* ---- the policy --------------------------------------------------------------------------- */

static void
assert_target (KefuSlaTarget t,
               gint64        seconds,
               gboolean      business)
{
  g_assert_cmpint (t.seconds, ==, seconds);
  g_assert_cmpint (t.business, ==, business);
}

static void
test_defaults (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  g_autoptr (KefuSlaPolicy) utc = kefu_sla_policy_new_default (NULL);
  KefuCalendar *cal = kefu_sla_policy_get_calendar (policy);
  guint start, end;

  assert_target (kefu_sla_policy_get_response (policy, 1), 2 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_resolve (policy, 1), 24 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_response (policy, 2), 4 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_resolve (policy, 2), 48 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_response (policy, 3), 24 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_resolve (policy, 3), 72 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_response (policy, 4), 48 * HOUR, FALSE);
  /* Five business days of 9 h. */
  assert_target (kefu_sla_policy_get_resolve (policy, 4), 45 * HOUR, TRUE);
  assert_target (kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_ACCEPT), HOUR, FALSE);
  assert_target (kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_UPDATE), 4 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_update_p1 (policy), 2 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_CONFIRM), HOUR, FALSE);
  assert_target (kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_RETURN_REVIEW),
                 24 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_RETURN_PICKUP),
                 48 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_reopen_resolve (policy), 24 * HOUR, FALSE);
  g_assert_cmpfloat (kefu_sla_policy_get_warning_ratio (policy), ==, 0.8);
  g_assert_true (kefu_sla_policy_get_pause_waiting_customer (policy));

  g_assert_cmpstr (kefu_calendar_get_time_zone (cal), ==, "Asia/Shanghai");
  g_assert_cmpuint (kefu_calendar_get_work_days (cal), ==, 0x1f);
  kefu_calendar_get_work_hours (cal, &start, &end);
  g_assert_cmpuint (start, ==, 540);
  g_assert_cmpuint (end, ==, 1080);

  g_assert_cmpstr (kefu_calendar_get_time_zone (kefu_sla_policy_get_calendar (utc)), ==, "UTC");
  g_assert_null (kefu_sla_policy_new_default ("Nowhere/Atlantis"));
}

static void
test_setters_and_copy (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  g_autoptr (KefuSlaPolicy) copy = NULL;
  g_autoptr (KefuCalendar) sundays = kefu_calendar_new ("Europe/Berlin");

  kefu_sla_policy_set_response (policy, 3, target (HOUR, TRUE));
  kefu_sla_policy_set_resolve (policy, 2, target (10 * HOUR, TRUE));
  kefu_sla_policy_set_clock (policy, KEFU_SLA_CLOCK_RETURN_PICKUP, target (5 * HOUR, TRUE));
  kefu_sla_policy_set_update_p1 (policy, target (30 * 60, FALSE));
  kefu_sla_policy_set_reopen_resolve (policy, target (12 * HOUR, FALSE));
  kefu_sla_policy_set_warning_ratio (policy, 0.5);
  kefu_sla_policy_set_pause_waiting_customer (policy, FALSE);
  assert_target (kefu_sla_policy_get_response (policy, 3), HOUR, TRUE);
  assert_target (kefu_sla_policy_get_response (policy, 2), 4 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_resolve (policy, 2), 10 * HOUR, TRUE);
  assert_target (kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_RETURN_PICKUP),
                 5 * HOUR, TRUE);
  assert_target (kefu_sla_policy_get_update_p1 (policy), 30 * 60, FALSE);
  assert_target (kefu_sla_policy_get_reopen_resolve (policy), 12 * HOUR, FALSE);
  g_assert_cmpfloat (kefu_sla_policy_get_warning_ratio (policy), ==, 0.5);
  g_assert_false (kefu_sla_policy_get_pause_waiting_customer (policy));

  /* A copy is deep: changing it (its calendar too) leaves the original alone. */
  copy = kefu_sla_policy_copy (policy);
  assert_target (kefu_sla_policy_get_resolve (copy, 2), 10 * HOUR, TRUE);
  kefu_sla_policy_set_resolve (copy, 2, target (HOUR, FALSE));
  g_assert_true (kefu_calendar_add_holiday (kefu_sla_policy_get_calendar (copy), "2024-05-20"));
  assert_target (kefu_sla_policy_get_resolve (policy, 2), 10 * HOUR, TRUE);
  g_assert_true (kefu_calendar_is_work_day (kefu_sla_policy_get_calendar (policy), 2024, 5, 20));
  g_assert_false (kefu_calendar_is_work_day (kefu_sla_policy_get_calendar (copy), 2024, 5, 20));

  /* Another calendar changes business dues: Sundays only, 10:00–12:00, Berlin (CEST in May).
   * 5 business hours from Monday 2024-05-20 → Sun 26 (2 h), Sun 2 Jun (2 h), Sun 9 Jun 11:00. */
  kefu_calendar_set_work_days (sundays, 0x40);
  kefu_calendar_set_work_hours (sundays, 600, 720);
  kefu_sla_policy_set_calendar (policy, sundays);
  g_assert_true (kefu_sla_policy_get_calendar (policy) == sundays);
  assert_at (kefu_sla_due (policy, at ("2024-05-20T09:00:00+02:00"), target (5 * HOUR, TRUE),
                           NULL, 0),
             "2024-06-09T11:00:00+02:00");
}

static void
test_setters_reject (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (KefuSlaPolicy) policy = shanghai ();

      /* An out-of-range value is a programming error and leaves the policy unchanged. */
      kefu_sla_policy_set_warning_ratio (policy, 1.0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*ratio*");
}

static void
test_clock_strings (void)
{
  const char *names[] = { "response", "resolve", "accept", "update", "confirm",
                          "return_review", "return_pickup" };
  KefuSlaClock clock;

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == KEFU_SLA_CLOCK_LAST);
  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    {
      g_assert_cmpstr (kefu_sla_clock_to_string ((KefuSlaClock) i), ==, names[i]);
      g_assert_true (kefu_sla_clock_from_string (names[i], &clock));
      g_assert_cmpint (clock, ==, i);
    }
  g_assert_null (kefu_sla_clock_to_string (KEFU_SLA_CLOCK_LAST));
  clock = KEFU_SLA_CLOCK_CONFIRM;
  g_assert_false (kefu_sla_clock_from_string ("Response", &clock));
  g_assert_false (kefu_sla_clock_from_string ("", &clock));
  g_assert_false (kefu_sla_clock_from_string (NULL, &clock));
  g_assert_cmpint (clock, ==, KEFU_SLA_CLOCK_CONFIRM);
}

/* ---- dues of a fresh ticket --------------------------------------------------------------- */

static void
test_p1_late_night (void)
{
  /* A P1 registered on Monday 23:30: calendar time, so the night counts. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaInput in = ticket (1, "2024-05-20T23:30:00+08:00");
  KefuSlaDues dues;

  kefu_sla_compute (policy, &in, &dues);
  /* Response 2 h → 01:30; warning at 80 % = 96 min → 01:06. */
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-21T01:30:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESPONSE], "2024-05-21T01:06:00+08:00");
  /* Resolve 24 h → Tuesday 23:30; 80 % = 19 h 12 min → Tuesday 18:42. */
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-21T23:30:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESOLVE], "2024-05-21T18:42:00+08:00");
  /* Nobody accepted it: no progress update is owed yet. */
  assert_none (dues.due[KEFU_SLA_CLOCK_UPDATE]);
  assert_none (dues.warn[KEFU_SLA_CLOCK_UPDATE]);
  /* Nobody assigned, not resolved, no return clocks. */
  assert_none (dues.due[KEFU_SLA_CLOCK_ACCEPT]);
  assert_none (dues.warn[KEFU_SLA_CLOCK_ACCEPT]);
  assert_none (dues.due[KEFU_SLA_CLOCK_CONFIRM]);
  assert_none (dues.due[KEFU_SLA_CLOCK_RETURN_REVIEW]);
  assert_none (dues.due[KEFU_SLA_CLOCK_RETURN_PICKUP]);

  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-21T01:05:59+08:00")), ==,
                   KEFU_SLA_STATE_OK);
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-21T01:06:00+08:00")), ==,
                   KEFU_SLA_STATE_WARNING);
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-21T01:29:59+08:00")), ==,
                   KEFU_SLA_STATE_WARNING);
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-21T01:30:00+08:00")), ==,
                   KEFU_SLA_STATE_BREACHED);
}

static void
test_priorities (void)
{
  /* Registered Monday 10:00. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaInput in = ticket (2, "2024-05-20T10:00:00+08:00");
  KefuSlaDues dues;

  /* P2: 4 h → 14:00 (warn 13:12), 48 h → Wednesday 10:00 (warn 38 h 24 min → Wed 00:24);
   * no update before the acceptance. */
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-20T14:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESPONSE], "2024-05-20T13:12:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-22T10:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESOLVE], "2024-05-22T00:24:00+08:00");
  assert_none (dues.due[KEFU_SLA_CLOCK_UPDATE]);

  /* P3: 24 h → Tuesday 10:00, 72 h → Thursday 10:00. */
  in.priority = 3;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-21T10:00:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-23T10:00:00+08:00");
  assert_none (dues.due[KEFU_SLA_CLOCK_UPDATE]);

  /* P4: 48 h → Wednesday 10:00; 45 business hours from Mon 10:00: Mon 8, Tue–Fri 36 → 44,
   * one more on the next Monday → 2024-05-27 10:00. */
  in.priority = 4;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-22T10:00:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-27T10:00:00+08:00");
}

static void
test_p4_weekend_and_holiday (void)
{
  /* P4 registered Thursday 2024-05-23 15:00, Tuesday 2024-05-28 a holiday. 45 business hours:
   * Thu 15–18 3 (42 left), Fri 9 (33), weekend, Mon 27 9 (24), Tue holiday, Wed 29 9 (15),
   * Thu 30 9 (6), Fri 31 09:00 + 6 h → 15:00. */
  g_autoptr (KefuSlaPolicy) policy = shanghai_with_holiday ();
  g_autoptr (KefuSlaPolicy) plain = shanghai ();
  KefuSlaInput in = ticket (4, "2024-05-23T15:00:00+08:00");
  KefuSlaDues dues;

  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-31T15:00:00+08:00");
  /* Warning: 80 % = 36 h: Thu 3 (33), Fri 9 (24), Mon 9 (15), Wed 9 (6), Thu 30 → 15:00. */
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESOLVE], "2024-05-30T15:00:00+08:00");
  /* Response 48 h calendar → Saturday 15:00; warning 38 h 24 min → Saturday 05:24. */
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-25T15:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESPONSE], "2024-05-25T05:24:00+08:00");
  /* Accepted at 15:30: update 4 h → 19:30, warning 3 h 12 min → 18:42. */
  in.accepted_at = at ("2024-05-23T15:30:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-23T19:30:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_UPDATE], "2024-05-23T18:42:00+08:00");

  /* Without the holiday, Tuesday counts: Tue 9 (15), Wed 9 (6), Thu 30 → 15:00. */
  kefu_sla_compute (plain, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-30T15:00:00+08:00");
}

static void
test_business_start_outside_hours (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai_with_holiday ();
  KefuSlaTarget p4 = kefu_sla_policy_get_resolve (policy, 4);

  /* Before opening, Thursday 07:00: Thu 9 (36), Fri 9 (27), Mon 9 (18), Wed 9 (9), Thu 30 9 →
   * used up exactly at Thursday 30's closing. */
  assert_at (kefu_sla_due (policy, at ("2024-05-23T07:00:00+08:00"), p4, NULL, 0),
             "2024-05-30T18:00:00+08:00");
  /* After closing, Thursday 19:00: Fri 9 (36), Mon 9 (27), Wed 9 (18), Thu 9 (9), Fri 31 9. */
  assert_at (kefu_sla_due (policy, at ("2024-05-23T19:00:00+08:00"), p4, NULL, 0),
             "2024-05-31T18:00:00+08:00");
  /* On the weekend, Saturday 10:00: Mon 27 9 (36), Tue off, Wed 9 (27), Thu 9 (18),
   * Fri 9 (9), Mon 3 June 9 → 18:00. */
  assert_at (kefu_sla_due (policy, at ("2024-05-25T10:00:00+08:00"), p4, NULL, 0),
             "2024-06-03T18:00:00+08:00");
  /* On the holiday itself, Tuesday 11:00: Wed 9 (36), Thu 9 (27), Fri 9 (18), Mon 9 (9),
   * Tue 4 June 9 → 18:00. */
  assert_at (kefu_sla_due (policy, at ("2024-05-28T11:00:00+08:00"), p4, NULL, 0),
             "2024-06-04T18:00:00+08:00");
  /* A calendar target started on the weekend is not moved: 48 h from Saturday 10:00. */
  assert_at (kefu_sla_due (policy, at ("2024-05-25T10:00:00+08:00"),
                           kefu_sla_policy_get_response (policy, 4), NULL, 0),
             "2024-05-27T10:00:00+08:00");
}

static void
test_extra_work_day (void)
{
  /* Saturday 2024-06-01 is a make-up working day. P4 registered Tuesday 2024-05-28 15:00:
   * Tue 3 (42), Wed 9 (33), Thu 9 (24), Fri 9 (15), Sat 1 June 9 (6), Mon 3 June → 15:00. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  g_autoptr (KefuSlaPolicy) plain = shanghai ();
  KefuSlaTarget p4 = kefu_sla_policy_get_resolve (policy, 4);

  g_assert_true (kefu_calendar_add_extra_work_day (kefu_sla_policy_get_calendar (policy),
                                                   "2024-06-01"));
  assert_at (kefu_sla_due (policy, at ("2024-05-28T15:00:00+08:00"), p4, NULL, 0),
             "2024-06-03T15:00:00+08:00");
  /* Without it: … Fri 9 (15), Mon 3 June 9 (6), Tue 4 June → 15:00. */
  assert_at (kefu_sla_due (plain, at ("2024-05-28T15:00:00+08:00"), p4, NULL, 0),
             "2024-06-04T15:00:00+08:00");
  /* Registered on that Saturday at 10:00: counting starts at once; 8 h → 18:00. */
  assert_at (kefu_sla_due (policy, at ("2024-06-01T10:00:00+08:00"), target (8 * HOUR, TRUE),
                           NULL, 0),
             "2024-06-01T18:00:00+08:00");
}

static void
test_dst (void)
{
  /* New York, a calendar open every day 00:00–24:00: business time is real time even on the
   * 23-hour 2024-03-10 and the 25-hour 2024-11-03. */
  g_autoptr (KefuSlaPolicy) policy = kefu_sla_policy_new_default ("America/New_York");
  g_autoptr (KefuSlaPolicy) office = kefu_sla_policy_new_default ("America/New_York");
  KefuCalendar *cal = kefu_sla_policy_get_calendar (policy);
  KefuSlaPause jump = pause_iv ("2024-03-10T01:00:00-05:00", "2024-03-10T04:00:00-04:00");

  kefu_calendar_set_work_days (cal, 0x7f);
  kefu_calendar_set_work_hours (cal, 0, 1440);

  /* Saturday 12:00 EST + 24 h (17:00Z) = Sunday 13:00 EDT, in business and calendar time. */
  assert_at (kefu_sla_due (policy, at ("2024-03-09T12:00:00-05:00"), target (24 * HOUR, TRUE),
                           NULL, 0),
             "2024-03-10T13:00:00-04:00");
  assert_at (kefu_sla_due (policy, at ("2024-03-09T12:00:00-05:00"), target (24 * HOUR, FALSE),
                           NULL, 0),
             "2024-03-10T13:00:00-04:00");
  /* Saturday 12:00 EDT + 24 h (16:00Z) = Sunday 11:00 EST. */
  assert_at (kefu_sla_due (policy, at ("2024-11-02T12:00:00-04:00"), target (24 * HOUR, TRUE),
                           NULL, 0),
             "2024-11-03T11:00:00-05:00");
  /* From Sunday 00:00 EST, 24 business hours: the 23 h Sunday + 1 h → Monday 01:00 EDT. */
  assert_at (kefu_sla_due (policy, at ("2024-03-10T00:00:00-05:00"), target (24 * HOUR, TRUE),
                           NULL, 0),
             "2024-03-11T01:00:00-04:00");
  /* A pause across the jump, 01:00 EST → 04:00 EDT, is 2 real hours: 13:00 → 15:00 EDT. */
  assert_at (kefu_sla_due (policy, at ("2024-03-09T12:00:00-05:00"), target (24 * HOUR, TRUE),
                           &jump, 1),
             "2024-03-10T15:00:00-04:00");
  assert_at (kefu_sla_due (policy, at ("2024-03-09T12:00:00-05:00"), target (24 * HOUR, FALSE),
                           &jump, 1),
             "2024-03-10T15:00:00-04:00");

  /* The default office calendar: a P4 registered Friday 2024-03-08 15:00 EST. Fri 3 (42),
   * Mon 11 9 (33), Tue 9 (24), Wed 9 (15), Thu 9 (6), Fri 15 09:00 EDT + 6 h → 15:00 EDT
   * (19:00Z; counting in UTC days would give 20:00Z). */
  assert_at (kefu_sla_due (office, at ("2024-03-08T15:00:00-05:00"),
                           kefu_sla_policy_get_resolve (office, 4), NULL, 0),
             "2024-03-15T15:00:00-04:00");
  /* And across the fall-back weekend: Fri 1 Nov 15:00 EDT → Fri 8 Nov 15:00 EST. */
  assert_at (kefu_sla_due (office, at ("2024-11-01T15:00:00-04:00"),
                           kefu_sla_policy_get_resolve (office, 4), NULL, 0),
             "2024-11-08T15:00:00-05:00");
}

/* ---- pauses ------------------------------------------------------------------------------- */

static void
test_pause_calendar (void)
{
  /* P2 response, 4 h calendar time from Monday 10:00 → 14:00 without pauses. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaTarget t = kefu_sla_policy_get_response (policy, 2);
  gint64 start = at ("2024-05-20T10:00:00+08:00");
  KefuSlaPause one[] = { pause_iv ("2024-05-20T11:00:00+08:00", "2024-05-20T11:45:00+08:00") };
  KefuSlaPause two[] = { pause_iv ("2024-05-20T11:00:00+08:00", "2024-05-20T11:30:00+08:00"),
                         pause_iv ("2024-05-20T12:00:00+08:00", "2024-05-20T12:10:00+08:00") };
  KefuSlaPause overlapping[] = {
    pause_iv ("2024-05-20T12:00:00+08:00", "2024-05-20T12:30:00+08:00"),
    pause_iv ("2024-05-20T11:50:00+08:00", "2024-05-20T12:10:00+08:00"),
  };
  KefuSlaPause nested[] = { pause_iv ("2024-05-20T11:00:00+08:00", "2024-05-20T12:00:00+08:00"),
                            pause_iv ("2024-05-20T11:15:00+08:00", "2024-05-20T11:30:00+08:00") };
  KefuSlaPause before_start[] = {
    pause_iv ("2024-05-20T09:00:00+08:00", "2024-05-20T10:30:00+08:00") };
  KefuSlaPause all_before[] = {
    pause_iv ("2024-05-20T08:00:00+08:00", "2024-05-20T09:00:00+08:00"),
    pause_iv ("2024-05-20T09:00:00+08:00", "2024-05-20T10:00:00+08:00") };
  KefuSlaPause after_due[] = {
    pause_iv ("2024-05-20T15:00:00+08:00", "2024-05-20T16:00:00+08:00") };
  KefuSlaPause sub_second[] = {
    pause_iv ("2024-05-20T11:00:00.250000+08:00", "2024-05-20T11:00:00.750000+08:00") };

  assert_at (kefu_sla_due (policy, start, t, NULL, 0), "2024-05-20T14:00:00+08:00");
  /* Paused 45 min → exactly 45 min later. */
  assert_at (kefu_sla_due (policy, start, t, one, 1), "2024-05-20T14:45:00+08:00");
  /* 30 + 10 min. */
  assert_at (kefu_sla_due (policy, start, t, two, 2), "2024-05-20T14:40:00+08:00");
  /* Unsorted and overlapping: the union 11:50–12:30 is 40 min, not 30 + 20. */
  assert_at (kefu_sla_due (policy, start, t, overlapping, 2), "2024-05-20T14:40:00+08:00");
  /* A pause inside another counts once: 1 h. */
  assert_at (kefu_sla_due (policy, start, t, nested, 2), "2024-05-20T15:00:00+08:00");
  /* Began before the clock: only the 30 min after 10:00 count. */
  assert_at (kefu_sla_due (policy, start, t, before_start, 1), "2024-05-20T14:30:00+08:00");
  /* Over before the clock started (one ends exactly at the start): nothing. */
  assert_at (kefu_sla_due (policy, start, t, all_before, 2), "2024-05-20T14:00:00+08:00");
  /* After the due: nothing. */
  assert_at (kefu_sla_due (policy, start, t, after_due, 1), "2024-05-20T14:00:00+08:00");
  /* Half a second. */
  assert_at (kefu_sla_due (policy, start, t, sub_second, 1), "2024-05-20T14:00:00.5+08:00");

  /* Warning at 80 % = 3 h 12 min → 13:12; with the 45 min pause → 13:57. */
  assert_at (kefu_sla_warning_at (policy, start, t, NULL, 0), "2024-05-20T13:12:00+08:00");
  assert_at (kefu_sla_warning_at (policy, start, t, one, 1), "2024-05-20T13:57:00+08:00");
}

static void
test_pause_open (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaTarget t = kefu_sla_policy_get_response (policy, 2);
  gint64 start = at ("2024-05-20T10:00:00+08:00");
  KefuSlaPause at_noon[] = { pause_iv ("2024-05-20T12:00:00+08:00", NULL) };
  KefuSlaPause at_due[] = { pause_iv ("2024-05-20T14:00:00+08:00", NULL) };
  KefuSlaPause just_before[] = { pause_iv ("2024-05-20T13:59:59+08:00", NULL) };
  KefuSlaPause after[] = { pause_iv ("2024-05-20T15:00:00+08:00", NULL) };
  KefuSlaPause before_start[] = { pause_iv ("2024-05-20T09:00:00+08:00", NULL) };
  KefuSlaPause closed_then_open[] = {
    pause_iv ("2024-05-20T11:00:00+08:00", "2024-05-20T11:30:00+08:00"),
    pause_iv ("2024-05-20T14:15:00+08:00", NULL) };
  KefuSlaPause warned_then_open[] = { pause_iv ("2024-05-20T13:30:00+08:00", NULL) };

  /* Still paused before the target is used up: stopped. */
  assert_never (kefu_sla_due (policy, start, t, at_noon, 1));
  assert_never (kefu_sla_warning_at (policy, start, t, at_noon, 1));
  assert_never (kefu_sla_due (policy, start, t, just_before, 1));
  assert_never (kefu_sla_due (policy, start, t, before_start, 1));
  /* Used up exactly as the pause begins, or before: due as usual. */
  assert_at (kefu_sla_due (policy, start, t, at_due, 1), "2024-05-20T14:00:00+08:00");
  assert_at (kefu_sla_due (policy, start, t, after, 1), "2024-05-20T14:00:00+08:00");
  /* A closed pause of 30 min moves the due to 14:30, after the open one began at 14:15. */
  assert_never (kefu_sla_due (policy, start, t, closed_then_open, 2));
  /* The warning (13:12) came before the pause (13:30); the due never comes. */
  assert_at (kefu_sla_warning_at (policy, start, t, warned_then_open, 1),
             "2024-05-20T13:12:00+08:00");
  assert_never (kefu_sla_due (policy, start, t, warned_then_open, 1));
}

static void
test_pause_business (void)
{
  /* P4 resolve from Thursday 2024-05-23 15:00, Tuesday 28 off: due Fri 31 15:00 unpaused. */
  g_autoptr (KefuSlaPolicy) policy = shanghai_with_holiday ();
  KefuSlaTarget t = kefu_sla_policy_get_resolve (policy, 4);
  gint64 start = at ("2024-05-23T15:00:00+08:00");
  KefuSlaPause long_pause[] = {
    pause_iv ("2024-05-23T17:00:00+08:00", "2024-05-27T10:00:00+08:00") };
  KefuSlaPause night[] = {
    pause_iv ("2024-05-23T19:00:00+08:00", "2024-05-24T08:00:00+08:00") };
  KefuSlaPause holiday[] = {
    pause_iv ("2024-05-28T00:00:00+08:00", "2024-05-29T00:00:00+08:00") };
  KefuSlaPause morning[] = {
    pause_iv ("2024-05-24T09:00:00+08:00", "2024-05-24T12:00:00+08:00") };
  KefuSlaPause open_1400[] = { pause_iv ("2024-05-31T14:00:00+08:00", NULL) };
  KefuSlaPause open_1500[] = { pause_iv ("2024-05-31T15:00:00+08:00", NULL) };
  KefuSlaPause open_evening[] = { pause_iv ("2024-05-30T18:30:00+08:00", NULL) };

  assert_at (kefu_sla_due (policy, start, t, NULL, 0), "2024-05-31T15:00:00+08:00");
  /* Paused Thu 17:00 → Mon 10:00, which holds 11 business hours (Thu 1, Fri 9, Mon 1):
   * Thu 15–17 2 (43), Mon 10–18 8 (35), Wed 9 (26), Thu 9 (17), Fri 9 (8), Mon 3 June 09:00 +
   * 8 h → 17:00. */
  assert_at (kefu_sla_due (policy, start, t, long_pause, 1), "2024-06-03T17:00:00+08:00");
  /* Warning, 36 h: Thu 2 (34), Mon 8 (26), Wed 9 (17), Thu 9 (8), Fri 31 09:00 + 8 → 17:00. */
  assert_at (kefu_sla_warning_at (policy, start, t, long_pause, 1), "2024-05-31T17:00:00+08:00");
  /* Pauses that hold no business time change nothing: a night, the holiday. */
  assert_at (kefu_sla_due (policy, start, t, night, 1), "2024-05-31T15:00:00+08:00");
  assert_at (kefu_sla_due (policy, start, t, holiday, 1), "2024-05-31T15:00:00+08:00");
  /* Three business hours paused on Friday morning → Friday 31 15:00 + 3 h = 18:00. */
  assert_at (kefu_sla_due (policy, start, t, morning, 1), "2024-05-31T18:00:00+08:00");
  /* Open pauses: before the due → stopped; at it → due. An open pause that began after Thursday
   * 30's closing leaves 6 h to count: stopped as well. */
  assert_never (kefu_sla_due (policy, start, t, open_1400, 1));
  assert_at (kefu_sla_due (policy, start, t, open_1500, 1), "2024-05-31T15:00:00+08:00");
  assert_never (kefu_sla_due (policy, start, t, open_evening, 1));
}

static void
test_warning_rounding (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  gint64 start = at ("2024-05-20T10:00:00+08:00");

  /* 0.8 × 7 s = 5.6 → 6 s; 0.8 × 3 s = 2.4 → 2 s. */
  assert_at (kefu_sla_warning_at (policy, start, target (7, FALSE), NULL, 0),
             "2024-05-20T10:00:06+08:00");
  assert_at (kefu_sla_warning_at (policy, start, target (3, FALSE), NULL, 0),
             "2024-05-20T10:00:02+08:00");
  /* 0.5 × 3 s = 1.5 → 2 s (half up); 0.75 × 1 h = 45 min. */
  kefu_sla_policy_set_warning_ratio (policy, 0.5);
  assert_at (kefu_sla_warning_at (policy, start, target (3, FALSE), NULL, 0),
             "2024-05-20T10:00:02+08:00");
  kefu_sla_policy_set_warning_ratio (policy, 0.75);
  assert_at (kefu_sla_warning_at (policy, start, target (HOUR, FALSE), NULL, 0),
             "2024-05-20T10:45:00+08:00");
  /* Business: 0.75 × 4 h = 3 h from Monday 17:00 → 1 h Monday, 2 h Tuesday → 11:00. */
  assert_at (kefu_sla_warning_at (policy, at ("2024-05-20T17:00:00+08:00"),
                                  target (4 * HOUR, TRUE), NULL, 0),
             "2024-05-21T11:00:00+08:00");
  assert_at (kefu_sla_due (policy, at ("2024-05-20T17:00:00+08:00"), target (4 * HOUR, TRUE),
                           NULL, 0),
             "2024-05-21T12:00:00+08:00");
}

/* ---- the clocks of a ticket --------------------------------------------------------------- */

static void
test_compute_pauses (void)
{
  /* P2 registered Monday 10:00, assigned 10:30, waiting for the customer since 11:00. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaPause open_1100[] = { pause_iv ("2024-05-20T11:00:00+08:00", NULL) };
  KefuSlaPause open_1330[] = { pause_iv ("2024-05-20T13:30:00+08:00", NULL) };
  KefuSlaPause closed[] = { pause_iv ("2024-05-20T10:40:00+08:00", "2024-05-20T11:00:00+08:00") };
  KefuSlaInput in = ticket (2, "2024-05-20T10:00:00+08:00");
  KefuSlaDues dues;

  in.assigned_at = at ("2024-05-20T10:30:00+08:00");
  in.pauses = open_1100;
  in.n_pauses = 1;
  kefu_sla_compute (policy, &in, &dues);
  /* Every running clock stops: none of them is used up by 11:00 (accept would be at 11:30,
   * its warning at 11:18). */
  assert_never (dues.due[KEFU_SLA_CLOCK_RESPONSE]);
  assert_never (dues.warn[KEFU_SLA_CLOCK_RESPONSE]);
  assert_never (dues.due[KEFU_SLA_CLOCK_RESOLVE]);
  assert_never (dues.due[KEFU_SLA_CLOCK_ACCEPT]);
  assert_never (dues.warn[KEFU_SLA_CLOCK_ACCEPT]);
  /* Not accepted: no update clock at all, paused or not. */
  assert_none (dues.due[KEFU_SLA_CLOCK_UPDATE]);
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2030-01-01T00:00:00Z")), ==, KEFU_SLA_STATE_OK);

  /* Paused from 13:30: the response warning (13:12) came first, the due never comes; the accept
   * clock ran out at 11:30. */
  in.pauses = open_1330;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESPONSE], "2024-05-20T13:12:00+08:00");
  assert_never (dues.due[KEFU_SLA_CLOCK_RESPONSE]);
  assert_at (dues.due[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T11:30:00+08:00");
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-20T11:29:00+08:00")), ==,
                   KEFU_SLA_STATE_WARNING);
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-20T11:30:00+08:00")), ==,
                   KEFU_SLA_STATE_BREACHED);

  /* A closed pause of 20 min shifts every paused clock by 20 min: response 14:20, resolve
   * Wednesday 10:20; the accept clock from 10:30 loses 10:40–11:00 → 11:50. */
  in.pauses = closed;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-20T14:20:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-22T10:20:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T11:50:00+08:00");
  /* Accepted at 10:20 (before this assignment, so the accept clock still runs): the update
   * clock from 10:20 loses the pause too → 14:40. */
  in.accepted_at = at ("2024-05-20T10:20:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T14:40:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T11:50:00+08:00");
  in.accepted_at = 0;

  /* With pausing switched off, the pauses are ignored. */
  kefu_sla_policy_set_pause_waiting_customer (policy, FALSE);
  in.pauses = open_1100;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-20T14:00:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T11:30:00+08:00");
}

static void
test_accept (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaInput in = ticket (3, "2024-05-20T09:00:00+08:00");
  KefuSlaDues dues;

  /* Assigned 10:00: accept within 1 h → 11:00, warning 48 min → 10:48. */
  in.assigned_at = at ("2024-05-20T10:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T11:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T10:48:00+08:00");

  /* Accepted 10:30: met. */
  in.accepted_at = at ("2024-05-20T10:30:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_ACCEPT]);
  assert_none (dues.warn[KEFU_SLA_CLOCK_ACCEPT]);

  /* Reassigned at 14:00 after that accept: the clock restarts → 15:00, warning 14:48. */
  in.assigned_at = at ("2024-05-20T14:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T15:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_ACCEPT], "2024-05-20T14:48:00+08:00");

  /* Accepted at the very instant of the assignment: met. */
  in.accepted_at = in.assigned_at;
  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_ACCEPT]);

  /* Not open any more (resolved): no accept clock even if never accepted. */
  in.accepted_at = 0;
  in.open = FALSE;
  in.resolved_at = at ("2024-05-20T16:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_ACCEPT]);
}

static void
test_update (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaInput in = ticket (3, "2024-05-20T09:00:00+08:00");
  KefuSlaDues dues;

  /* Registered, untouched: no progress update is owed before anyone takes the ticket, so an
   * untouched P3 is neither warned nor breached at 4 h, nor at 23 h (its response is due at
   * 24 h: warning at 19 h 12 min). */
  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_UPDATE]);
  assert_none (dues.warn[KEFU_SLA_CLOCK_UPDATE]);
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-20T13:00:00+08:00")), ==,
                   KEFU_SLA_STATE_OK);
  g_assert_cmpint (kefu_sla_state_at (&dues, at ("2024-05-21T08:00:00+08:00")), ==,
                   KEFU_SLA_STATE_WARNING);
  /* Assigned, not accepted yet: still none (accept is the clock that matters). */
  in.assigned_at = at ("2024-05-20T09:30:00+08:00");
  in.first_response_at = at ("2024-05-20T09:40:00+08:00");
  in.last_contact_at = at ("2024-05-20T09:40:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_UPDATE]);

  /* Accepted 10:00: from the acceptance (later than the contact), every 4 h → 14:00, warning
   * 13:12; P1 every 2 h → 12:00 (warning 11:36). */
  in.accepted_at = at ("2024-05-20T10:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T14:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T13:12:00+08:00");
  in.priority = 1;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T12:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T11:36:00+08:00");

  /* Last contact 12:00, after the acceptance: P1 → 14:00 (warning 13:36), P2 → 16:00
   * (warning 15:12). */
  in.last_contact_at = at ("2024-05-20T12:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T14:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T13:36:00+08:00");
  /* The first response is in: no response clock any more. */
  assert_none (dues.due[KEFU_SLA_CLOCK_RESPONSE]);
  assert_none (dues.warn[KEFU_SLA_CLOCK_RESPONSE]);
  in.priority = 2;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T16:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T15:12:00+08:00");
  /* P3 and P4 use the same 4 h. */
  in.priority = 4;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T16:00:00+08:00");

  /* A contact before the acceptance doesn't count: from the acceptance. */
  in.last_contact_at = at ("2024-05-20T08:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T14:00:00+08:00");

  /* A different P1 interval is used for P1 only. */
  kefu_sla_policy_set_update_p1 (policy, target (30 * 60, FALSE));
  in.priority = 1;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-20T10:30:00+08:00");

  /* Not open: no update clock. */
  in.open = FALSE;
  in.resolved_at = at ("2024-05-20T12:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_UPDATE]);
}

static void
test_submitted (void)
{
  /* Phoned in Monday 20:00, typed in at 23:49 (P1): response 2 h from 20:00 → 22:00, already
   * overdue when registered; resolution 24 h → Tuesday 20:00. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaInput in = ticket (1, "2024-05-20T23:49:00+08:00");
  KefuSlaDues dues;

  in.submitted_at = at ("2024-05-20T20:00:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-20T22:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESPONSE], "2024-05-20T21:36:00+08:00");
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-21T20:00:00+08:00");
  g_assert_cmpint (kefu_sla_state_at (&dues, in.registered_at), ==, KEFU_SLA_STATE_BREACHED);

  /* The accept clock still runs from the assignment. */
  in.assigned_at = at ("2024-05-20T23:55:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_ACCEPT], "2024-05-21T00:55:00+08:00");

  /* A submitted_at after the registration (intake allows 5 minutes of clock skew) counts from
   * the registration; none at all (0) too. */
  in.submitted_at = at ("2024-05-20T23:52:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-21T01:49:00+08:00");
  in.submitted_at = 0;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-21T01:49:00+08:00");

  /* 30 days before the registration: clamped to the limit, 7 days before → response due
   * 2024-05-14 01:49. */
  in.submitted_at = at ("2024-04-20T23:49:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESPONSE], "2024-05-14T01:49:00+08:00");
  g_assert_cmpint (kefu_sla_policy_clock_origin (policy, in.registered_at, in.submitted_at), ==,
                   at ("2024-05-13T23:49:00+08:00"));
  /* Exactly at the limit is kept; the limit is the policy's. */
  g_assert_cmpint (kefu_sla_policy_clock_origin (policy, in.registered_at,
                                                 at ("2024-05-13T23:49:00+08:00")), ==,
                   at ("2024-05-13T23:49:00+08:00"));
  kefu_sla_policy_set_submitted_limit (policy, 3600);
  g_assert_cmpint (kefu_sla_policy_get_submitted_limit (policy), ==, 3600);
  g_assert_cmpint (kefu_sla_policy_clock_origin (policy, in.registered_at,
                                                 at ("2024-05-20T20:00:00+08:00")), ==,
                   at ("2024-05-20T22:49:00+08:00"));
  kefu_sla_policy_set_submitted_limit (policy, 0);
  g_assert_cmpint (kefu_sla_policy_clock_origin (policy, in.registered_at,
                                                 at ("2024-05-20T20:00:00+08:00")), ==,
                   in.registered_at);
}

static void
test_callback (void)
{
  /* The promise read to the customer: P1 within 1 h, the others their response target; set
   * on its own. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();

  assert_target (kefu_sla_policy_get_callback (policy, 1), HOUR, FALSE);
  assert_target (kefu_sla_policy_get_callback (policy, 2), 4 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_callback (policy, 3), 24 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_callback (policy, 4), 48 * HOUR, FALSE);
  g_assert_cmpint (kefu_sla_policy_get_submitted_limit (policy), ==, 7 * 24 * HOUR);

  kefu_sla_policy_set_callback (policy, 2, target (2 * HOUR, TRUE));
  assert_target (kefu_sla_policy_get_callback (policy, 2), 2 * HOUR, TRUE);
  assert_target (kefu_sla_policy_get_response (policy, 2), 4 * HOUR, FALSE);
}

static void
test_confirm (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaPause waiting[] = { pause_iv ("2024-05-21T16:10:00+08:00", NULL) };
  KefuSlaInput in = ticket (2, "2024-05-20T09:00:00+08:00");
  KefuSlaDues dues;

  in.assigned_at = at ("2024-05-20T09:10:00+08:00");
  in.accepted_at = at ("2024-05-20T09:20:00+08:00");
  in.first_response_at = at ("2024-05-20T10:00:00+08:00");
  in.last_contact_at = at ("2024-05-20T10:00:00+08:00");
  in.resolved_at = at ("2024-05-21T16:00:00+08:00");
  in.open = FALSE;
  kefu_sla_compute (policy, &in, &dues);
  /* Call the customer within 1 h of the resolution → 17:00, warning 16:48. Nothing else runs. */
  assert_at (dues.due[KEFU_SLA_CLOCK_CONFIRM], "2024-05-21T17:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_CONFIRM], "2024-05-21T16:48:00+08:00");
  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    if (i != KEFU_SLA_CLOCK_CONFIRM)
      {
        assert_none (dues.due[i]);
        assert_none (dues.warn[i]);
      }

  /* Waiting for the customer doesn't stop our own call. */
  in.pauses = waiting;
  in.n_pauses = 1;
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_CONFIRM], "2024-05-21T17:00:00+08:00");

  /* Closed: nothing is due. */
  in.closed_at = at ("2024-05-21T16:30:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_no_clocks (&dues);

  /* Cancelled while open (closed_at set, open FALSE, never resolved): nothing either. */
  in = ticket (1, "2024-05-20T09:00:00+08:00");
  in.open = FALSE;
  in.closed_at = at ("2024-05-20T09:30:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_no_clocks (&dues);
  /* closed_at wins even if a caller left open set. */
  in.open = TRUE;
  kefu_sla_compute (policy, &in, &dues);
  assert_no_clocks (&dues);
}

static void
test_reopen (void)
{
  /* A P4 resolved Tuesday 10:00, confirmed unsatisfied and reopened Wednesday 2024-05-22 09:00:
   * a fresh 24 h calendar-time resolution clock, whatever the priority's own target. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaInput in = ticket (4, "2024-05-20T09:00:00+08:00");
  KefuSlaDues dues;

  in.first_response_at = at ("2024-05-20T09:30:00+08:00");
  in.last_contact_at = at ("2024-05-21T10:00:00+08:00");
  in.resolved_at = at ("2024-05-21T10:00:00+08:00");
  in.reopened_at = at ("2024-05-22T09:00:00+08:00");
  in.open = TRUE;
  kefu_sla_compute (policy, &in, &dues);
  /* Due Thursday 09:00; warning 19 h 12 min → Thursday 04:12. */
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-23T09:00:00+08:00");
  assert_at (dues.warn[KEFU_SLA_CLOCK_RESOLVE], "2024-05-23T04:12:00+08:00");
  assert_none (dues.due[KEFU_SLA_CLOCK_RESPONSE]);
  /* Reopened, not resolved: no confirmation due (resolved_at is the old one). */
  assert_none (dues.due[KEFU_SLA_CLOCK_CONFIRM]);
  /* The update cycle restarts at the reopen (it was accepted in the first round): 09:00 + 4 h. */
  in.accepted_at = at ("2024-05-20T09:20:00+08:00");
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_UPDATE], "2024-05-22T13:00:00+08:00");

  /* Pauses before the reopen don't touch the new clock; one after it does (1 h → 10:00). */
  {
    KefuSlaPause pauses[] = {
      pause_iv ("2024-05-20T11:00:00+08:00", "2024-05-20T15:00:00+08:00"),
      pause_iv ("2024-05-22T10:00:00+08:00", "2024-05-22T11:00:00+08:00") };

    in.pauses = pauses;
    in.n_pauses = 2;
    kefu_sla_compute (policy, &in, &dues);
    assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-23T10:00:00+08:00");
    in.pauses = NULL;
    in.n_pauses = 0;
  }

  /* A business-time reopen target: 9 h from Wednesday 09:00 → 18:00. */
  kefu_sla_policy_set_reopen_resolve (policy, target (9 * HOUR, TRUE));
  kefu_sla_compute (policy, &in, &dues);
  assert_at (dues.due[KEFU_SLA_CLOCK_RESOLVE], "2024-05-22T18:00:00+08:00");

  /* Resolved again: the confirmation clock runs from the new resolution. */
  in.resolved_at = at ("2024-05-22T15:00:00+08:00");
  in.open = FALSE;
  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_RESOLVE]);
  assert_at (dues.due[KEFU_SLA_CLOCK_CONFIRM], "2024-05-22T16:00:00+08:00");
}

static void
test_return_clocks (void)
{
  /* Return clocks are the caller's: kefu_sla_compute() leaves them at 0, kefu_sla_due() with the
   * policy's targets gives review 24 h and pickup 48 h. */
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  KefuSlaInput in = ticket (2, "2024-05-20T09:00:00+08:00");
  KefuSlaDues dues;

  kefu_sla_compute (policy, &in, &dues);
  assert_none (dues.due[KEFU_SLA_CLOCK_RETURN_REVIEW]);
  assert_none (dues.due[KEFU_SLA_CLOCK_RETURN_PICKUP]);
  assert_at (kefu_sla_due (policy, at ("2024-05-20T09:00:00+08:00"),
                           kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_RETURN_REVIEW),
                           NULL, 0),
             "2024-05-21T09:00:00+08:00");
  assert_at (kefu_sla_due (policy, at ("2024-05-20T09:00:00+08:00"),
                           kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_RETURN_PICKUP),
                           NULL, 0),
             "2024-05-22T09:00:00+08:00");
}

static void
test_state_at (void)
{
  KefuSlaDues dues = { { 0 }, { 0 } };

  /* Nothing pending: OK, always. */
  g_assert_cmpint (kefu_sla_state_at (&dues, 0), ==, KEFU_SLA_STATE_OK);
  g_assert_cmpint (kefu_sla_state_at (&dues, G_MAXINT64), ==, KEFU_SLA_STATE_OK);

  dues.due[KEFU_SLA_CLOCK_RESOLVE] = 1000;
  dues.warn[KEFU_SLA_CLOCK_RESOLVE] = 800;
  g_assert_cmpint (kefu_sla_state_at (&dues, 799), ==, KEFU_SLA_STATE_OK);
  g_assert_cmpint (kefu_sla_state_at (&dues, 800), ==, KEFU_SLA_STATE_WARNING);
  g_assert_cmpint (kefu_sla_state_at (&dues, 999), ==, KEFU_SLA_STATE_WARNING);
  g_assert_cmpint (kefu_sla_state_at (&dues, 1000), ==, KEFU_SLA_STATE_BREACHED);

  /* Any clock decides: a later clock's warning doesn't hide an earlier clock's breach. */
  dues.due[KEFU_SLA_CLOCK_UPDATE] = 500;
  dues.warn[KEFU_SLA_CLOCK_UPDATE] = 400;
  g_assert_cmpint (kefu_sla_state_at (&dues, 399), ==, KEFU_SLA_STATE_OK);
  g_assert_cmpint (kefu_sla_state_at (&dues, 400), ==, KEFU_SLA_STATE_WARNING);
  g_assert_cmpint (kefu_sla_state_at (&dues, 500), ==, KEFU_SLA_STATE_BREACHED);

  /* Paused: never breached, warned once its warning point passed. */
  memset (&dues, 0, sizeof dues);
  dues.due[KEFU_SLA_CLOCK_ACCEPT] = NEVER;
  dues.warn[KEFU_SLA_CLOCK_ACCEPT] = 300;
  g_assert_cmpint (kefu_sla_state_at (&dues, 299), ==, KEFU_SLA_STATE_OK);
  g_assert_cmpint (kefu_sla_state_at (&dues, G_MAXINT64 - 1), ==, KEFU_SLA_STATE_WARNING);
  dues.warn[KEFU_SLA_CLOCK_ACCEPT] = NEVER;
  g_assert_cmpint (kefu_sla_state_at (&dues, G_MAXINT64 - 1), ==, KEFU_SLA_STATE_OK);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static char *
policy_string (KefuSlaPolicy *policy)
{
  g_autoptr (JsonNode) node = kefu_sla_policy_to_json (policy);

  return json_to_string (node, FALSE);
}

static void
test_json_round_trip (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();
  g_autoptr (KefuSlaPolicy) back = NULL;
  g_autoptr (KefuSlaPolicy) defaults = shanghai ();
  g_autoptr (KefuSlaPolicy) defaults_back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) defaults_node = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  KefuCalendar *cal = kefu_sla_policy_get_calendar (policy);

  kefu_sla_policy_set_resolve (policy, 3, target (100000, TRUE));
  kefu_sla_policy_set_clock (policy, KEFU_SLA_CLOCK_ACCEPT, target (1800, FALSE));
  kefu_sla_policy_set_warning_ratio (policy, 0.75);
  kefu_sla_policy_set_pause_waiting_customer (policy, FALSE);
  g_assert_true (kefu_calendar_add_holiday (cal, "2024-10-01"));
  g_assert_true (kefu_calendar_add_extra_work_day (cal, "2024-09-29"));

  text = policy_string (policy);
  g_assert_cmpstr (text, ==,
                   "{\"targets\":["
                   "{\"priority\":1,\"response\":{\"seconds\":7200,\"business\":false},"
                   "\"resolve\":{\"seconds\":86400,\"business\":false},"
                   "\"callback\":{\"seconds\":3600,\"business\":false}},"
                   "{\"priority\":2,\"response\":{\"seconds\":14400,\"business\":false},"
                   "\"resolve\":{\"seconds\":172800,\"business\":false},"
                   "\"callback\":{\"seconds\":14400,\"business\":false}},"
                   "{\"priority\":3,\"response\":{\"seconds\":86400,\"business\":false},"
                   "\"resolve\":{\"seconds\":100000,\"business\":true},"
                   "\"callback\":{\"seconds\":86400,\"business\":false}},"
                   "{\"priority\":4,\"response\":{\"seconds\":172800,\"business\":false},"
                   "\"resolve\":{\"seconds\":162000,\"business\":true},"
                   "\"callback\":{\"seconds\":172800,\"business\":false}}],"
                   "\"accept\":{\"seconds\":1800,\"business\":false},"
                   "\"update\":{\"seconds\":14400,\"business\":false},"
                   "\"update_p1\":{\"seconds\":7200,\"business\":false},"
                   "\"confirm\":{\"seconds\":3600,\"business\":false},"
                   "\"return_review\":{\"seconds\":86400,\"business\":false},"
                   "\"return_pickup\":{\"seconds\":172800,\"business\":false},"
                   "\"reopen_resolve\":{\"seconds\":86400,\"business\":false},"
                   "\"warning_ratio\":0.75,\"pause_waiting_customer\":false,"
                   "\"submitted_limit_seconds\":604800,"
                   "\"calendar\":{\"time_zone\":\"Asia/Shanghai\",\"work_days\":[1,2,3,4,5],"
                   "\"work_start\":\"09:00\",\"work_end\":\"18:00\","
                   "\"holidays\":[\"2024-10-01\"],\"extra_work_days\":[\"2024-09-29\"]}}");

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  back = kefu_sla_policy_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_target (kefu_sla_policy_get_resolve (back, 3), 100000, TRUE);
  assert_target (kefu_sla_policy_get_clock (back, KEFU_SLA_CLOCK_ACCEPT), 1800, FALSE);
  g_assert_cmpfloat (kefu_sla_policy_get_warning_ratio (back), ==, 0.75);
  g_assert_false (kefu_sla_policy_get_pause_waiting_customer (back));
  g_assert_false (kefu_calendar_is_work_day (kefu_sla_policy_get_calendar (back), 2024, 10, 1));
  g_assert_true (kefu_calendar_is_work_day (kefu_sla_policy_get_calendar (back), 2024, 9, 29));
  text2 = policy_string (back);
  g_assert_cmpstr (text, ==, text2);

  /* The defaults survive too, 0.8 included (not exactly representable in binary). */
  defaults_node = kefu_sla_policy_to_json (defaults);
  defaults_back = kefu_sla_policy_from_json (defaults_node, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (kefu_sla_policy_get_warning_ratio (defaults_back), ==, 0.8);
  assert_target (kefu_sla_policy_get_resolve (defaults_back, 4), 45 * HOUR, TRUE);
  assert_target (kefu_sla_policy_get_update_p1 (defaults_back), 2 * HOUR, FALSE);
  g_assert_true (kefu_sla_policy_get_pause_waiting_customer (defaults_back));
}

/* The default policy as a JSON object to break one piece at a time. */
static JsonNode *
valid_policy_node (void)
{
  g_autoptr (KefuSlaPolicy) policy = shanghai ();

  return kefu_sla_policy_to_json (policy);
}

static JsonObject *
target_object (JsonObject *root,
               guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (root, "targets"), index);
}

static JsonObject *
member_object (JsonObject *obj,
               const char *name)
{
  return json_object_get_object_member (obj, name);
}

typedef void (*Breaker) (JsonObject *root);

#define BREAKER(name, body) static void name (JsonObject *root) { body; }

BREAKER (no_targets, json_object_remove_member (root, "targets"))
BREAKER (targets_string, json_object_set_string_member (root, "targets", "P1"))
BREAKER (target_not_object,
         json_array_remove_element (json_object_get_array_member (root, "targets"), 0);
         json_array_add_int_element (json_object_get_array_member (root, "targets"), 1))
BREAKER (priority_zero, json_object_set_int_member (target_object (root, 0), "priority", 0))
BREAKER (priority_five, json_object_set_int_member (target_object (root, 3), "priority", 5))
BREAKER (priority_twice, json_object_set_int_member (target_object (root, 1), "priority", 1))
BREAKER (priority_string,
         json_object_set_string_member (target_object (root, 2), "priority", "3"))
BREAKER (priority_missing, json_object_remove_member (target_object (root, 2), "priority"))
BREAKER (p4_missing,
         json_array_remove_element (json_object_get_array_member (root, "targets"), 3))
BREAKER (response_missing, json_object_remove_member (target_object (root, 0), "response"))
BREAKER (resolve_number, json_object_set_int_member (target_object (root, 0), "resolve", 86400))
BREAKER (seconds_zero,
         json_object_set_int_member (member_object (target_object (root, 0), "response"),
                                     "seconds", 0))
BREAKER (seconds_negative,
         json_object_set_int_member (member_object (target_object (root, 1), "resolve"),
                                     "seconds", -1))
BREAKER (seconds_too_long,
         json_object_set_int_member (member_object (target_object (root, 2), "resolve"),
                                     "seconds", 365 * 24 * 3600 + 1))
BREAKER (seconds_fraction,
         json_object_set_double_member (member_object (target_object (root, 0), "response"),
                                        "seconds", 7200.5))
BREAKER (seconds_string,
         json_object_set_string_member (member_object (target_object (root, 0), "response"),
                                        "seconds", "7200"))
BREAKER (seconds_missing,
         json_object_remove_member (member_object (target_object (root, 0), "response"),
                                    "seconds"))
BREAKER (business_string,
         json_object_set_string_member (member_object (target_object (root, 3), "resolve"),
                                        "business", "yes"))
BREAKER (callback_zero,
         json_object_set_int_member (member_object (target_object (root, 0), "callback"),
                                     "seconds", 0))
BREAKER (callback_number,
         json_object_set_int_member (target_object (root, 1), "callback", 3600))
BREAKER (callback_business,
         json_object_set_string_member (member_object (target_object (root, 2), "callback"),
                                        "business", "no"))
BREAKER (limit_negative, json_object_set_int_member (root, "submitted_limit_seconds", -1))
BREAKER (limit_string, json_object_set_string_member (root, "submitted_limit_seconds", "7d"))
BREAKER (limit_too_long,
         json_object_set_int_member (root, "submitted_limit_seconds", 365 * 24 * 3600 + 1))
BREAKER (accept_missing, json_object_remove_member (root, "accept"))
BREAKER (accept_zero, json_object_set_int_member (member_object (root, "accept"), "seconds", 0))
BREAKER (update_missing, json_object_remove_member (root, "update"))
BREAKER (update_zero, json_object_set_int_member (member_object (root, "update"), "seconds", 0))
BREAKER (update_p1_missing, json_object_remove_member (root, "update_p1"))
BREAKER (update_p1_zero,
         json_object_set_int_member (member_object (root, "update_p1"), "seconds", 0))
BREAKER (confirm_missing, json_object_remove_member (root, "confirm"))
BREAKER (confirm_zero,
         json_object_set_int_member (member_object (root, "confirm"), "seconds", 0))
BREAKER (review_missing, json_object_remove_member (root, "return_review"))
BREAKER (review_zero,
         json_object_set_int_member (member_object (root, "return_review"), "seconds", 0))
BREAKER (pickup_missing, json_object_remove_member (root, "return_pickup"))
BREAKER (pickup_business,
         json_object_set_int_member (member_object (root, "return_pickup"), "business", 1))
BREAKER (reopen_missing, json_object_remove_member (root, "reopen_resolve"))
BREAKER (reopen_too_long,
         json_object_set_int_member (member_object (root, "reopen_resolve"), "seconds",
                                     G_GINT64_CONSTANT (40000000)))
BREAKER (ratio_zero, json_object_set_double_member (root, "warning_ratio", 0.0))
BREAKER (ratio_one, json_object_set_double_member (root, "warning_ratio", 1.0))
BREAKER (ratio_int_one, json_object_set_int_member (root, "warning_ratio", 1))
BREAKER (ratio_big, json_object_set_double_member (root, "warning_ratio", 1.5))
BREAKER (ratio_negative, json_object_set_double_member (root, "warning_ratio", -0.1))
BREAKER (ratio_string, json_object_set_string_member (root, "warning_ratio", "0.8"))
BREAKER (ratio_null, json_object_set_null_member (root, "warning_ratio"))
BREAKER (ratio_missing, json_object_remove_member (root, "warning_ratio"))
BREAKER (pause_int, json_object_set_int_member (root, "pause_waiting_customer", 1))
BREAKER (pause_missing, json_object_remove_member (root, "pause_waiting_customer"))
BREAKER (calendar_missing, json_object_remove_member (root, "calendar"))
BREAKER (calendar_string, json_object_set_string_member (root, "calendar", "UTC"))
BREAKER (calendar_zone,
         json_object_set_string_member (member_object (root, "calendar"), "time_zone",
                                        "Mars/Base"))
BREAKER (calendar_start,
         json_object_set_string_member (member_object (root, "calendar"), "work_start", "9am"))
BREAKER (calendar_days,
         json_object_set_array_member (member_object (root, "calendar"), "work_days",
                                       json_array_new ()))
BREAKER (calendar_holiday,
         JsonArray *a = json_array_new ();
         json_array_add_string_element (a, "2024-13-01");
         json_object_set_array_member (member_object (root, "calendar"), "holidays", a))

typedef struct {
  Breaker     breaker;
  const char *field;
} BrokenPolicy;

static void
test_json_invalid (void)
{
  const BrokenPolicy cases[] = {
    { no_targets, "targets" },
    { targets_string, "targets" },
    { target_not_object, "targets[3]" },
    { priority_zero, "targets[0].priority" },
    { priority_five, "targets[3].priority" },
    { priority_twice, "targets[1].priority" },
    { priority_string, "targets[2].priority" },
    { priority_missing, "targets[2].priority" },
    { p4_missing, "targets" },
    { response_missing, "targets[0].response" },
    { resolve_number, "targets[0].resolve" },
    { seconds_zero, "targets[0].response.seconds" },
    { seconds_negative, "targets[1].resolve.seconds" },
    { seconds_too_long, "targets[2].resolve.seconds" },
    { seconds_fraction, "targets[0].response.seconds" },
    { seconds_string, "targets[0].response.seconds" },
    { seconds_missing, "targets[0].response.seconds" },
    { business_string, "targets[3].resolve.business" },
    { callback_zero, "targets[0].callback.seconds" },
    { callback_number, "targets[1].callback" },
    { callback_business, "targets[2].callback.business" },
    { limit_negative, "submitted_limit_seconds" },
    { limit_string, "submitted_limit_seconds" },
    { limit_too_long, "submitted_limit_seconds" },
    { accept_missing, "accept" },
    { accept_zero, "accept.seconds" },
    { update_missing, "update" },
    { update_zero, "update.seconds" },
    { update_p1_missing, "update_p1" },
    { update_p1_zero, "update_p1.seconds" },
    { confirm_missing, "confirm" },
    { confirm_zero, "confirm.seconds" },
    { review_missing, "return_review" },
    { review_zero, "return_review.seconds" },
    { pickup_missing, "return_pickup" },
    { pickup_business, "return_pickup.business" },
    { reopen_missing, "reopen_resolve" },
    { reopen_too_long, "reopen_resolve.seconds" },
    { ratio_zero, "warning_ratio" },
    { ratio_one, "warning_ratio" },
    { ratio_int_one, "warning_ratio" },
    { ratio_big, "warning_ratio" },
    { ratio_negative, "warning_ratio" },
    { ratio_string, "warning_ratio" },
    { ratio_null, "warning_ratio" },
    { ratio_missing, "warning_ratio" },
    { pause_int, "pause_waiting_customer" },
    { pause_missing, "pause_waiting_customer" },
    { calendar_missing, "calendar" },
    { calendar_string, "calendar" },
    { calendar_zone, "calendar.time_zone" },
    { calendar_start, "calendar.work_start" },
    { calendar_days, "calendar.work_days" },
    { calendar_holiday, "calendar.holidays[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = valid_policy_node ();
      g_autoptr (KefuSlaPolicy) policy = NULL;
      g_autoptr (GError) error = NULL;

      cases[i].breaker (json_node_get_object (node));
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_test_message ("case %u (%s): %s", i, cases[i].field, text);
      }
      policy = kefu_sla_policy_from_json (node, &error);
      g_assert_null (policy);
      g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
      g_assert_cmpstr (kefu_error_get_field (error), ==, cases[i].field);
    }

  /* Not an object at all. */
  {
    g_autoptr (JsonNode) node = json_from_string ("[1,2]", NULL);
    g_autoptr (GError) error = NULL;

    g_assert_null (kefu_sla_policy_from_json (node, &error));
    g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
  }
}

static void
test_json_accepts (void)
{
  /* The edges that are fine: exactly 365 days, "business" left out or null (= false), targets
   * listed in any order, a ratio given as a plain number close to the ends. */
  g_autoptr (JsonNode) node = valid_policy_node ();
  g_autoptr (KefuSlaPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *root = json_node_get_object (node);
  JsonArray *targets = json_object_get_array_member (root, "targets");
  JsonNode *first = json_node_copy (json_array_get_element (targets, 0));

  json_object_set_int_member (member_object (target_object (root, 2), "resolve"), "seconds",
                              365 * 24 * 3600);
  json_object_remove_member (member_object (target_object (root, 3), "resolve"), "business");
  json_object_set_null_member (member_object (root, "confirm"), "business");
  json_array_remove_element (targets, 0);
  json_array_add_element (targets, first);  /* P2, P3, P4, P1 */
  json_object_set_double_member (root, "warning_ratio", 0.999);

  policy = kefu_sla_policy_from_json (node, &error);
  g_assert_no_error (error);
  assert_target (kefu_sla_policy_get_resolve (policy, 3), 365 * 24 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_resolve (policy, 4), 45 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_clock (policy, KEFU_SLA_CLOCK_CONFIRM), HOUR, FALSE);
  assert_target (kefu_sla_policy_get_response (policy, 1), 2 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_response (policy, 2), 4 * HOUR, FALSE);
  g_assert_cmpfloat (kefu_sla_policy_get_warning_ratio (policy), ==, 0.999);
}

/* Policies stored before the call-back promise and the submitted limit existed still load,
 * with the defaults: P1 1 h, the others their (stored) response target; 7 days. */
static void
test_json_older_policy (void)
{
  g_autoptr (JsonNode) node = valid_policy_node ();
  g_autoptr (KefuSlaPolicy) policy = NULL;
  g_autoptr (KefuSlaPolicy) back = NULL;
  g_autoptr (JsonNode) back_node = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *root = json_node_get_object (node);

  for (guint i = 0; i < 4; i++)
    json_object_remove_member (target_object (root, i), "callback");
  json_object_remove_member (root, "submitted_limit_seconds");
  json_object_set_int_member (member_object (target_object (root, 2), "response"), "seconds",
                              8 * HOUR);
  json_object_set_int_member (member_object (target_object (root, 0), "response"), "seconds",
                              3 * HOUR);

  policy = kefu_sla_policy_from_json (node, &error);
  g_assert_no_error (error);
  assert_target (kefu_sla_policy_get_callback (policy, 1), HOUR, FALSE);
  assert_target (kefu_sla_policy_get_callback (policy, 2), 4 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_callback (policy, 3), 8 * HOUR, FALSE);
  assert_target (kefu_sla_policy_get_callback (policy, 4), 48 * HOUR, FALSE);
  g_assert_cmpint (kefu_sla_policy_get_submitted_limit (policy), ==, 7 * 24 * HOUR);

  /* Given, they are kept and written back. */
  kefu_sla_policy_set_callback (policy, 3, target (2 * HOUR, TRUE));
  kefu_sla_policy_set_submitted_limit (policy, 0);
  back_node = kefu_sla_policy_to_json (policy);
  back = kefu_sla_policy_from_json (back_node, &error);
  g_assert_no_error (error);
  assert_target (kefu_sla_policy_get_callback (back, 3), 2 * HOUR, TRUE);
  assert_target (kefu_sla_policy_get_callback (back, 1), HOUR, FALSE);
  g_assert_cmpint (kefu_sla_policy_get_submitted_limit (back), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sla/policy/defaults", test_defaults);
  g_test_add_func ("/sla/policy/setters-and-copy", test_setters_and_copy);
  g_test_add_func ("/sla/policy/setters-reject", test_setters_reject);
  g_test_add_func ("/sla/clock-strings", test_clock_strings);
  g_test_add_func ("/sla/due/p1-late-night", test_p1_late_night);
  g_test_add_func ("/sla/due/priorities", test_priorities);
  g_test_add_func ("/sla/due/p4-weekend-and-holiday", test_p4_weekend_and_holiday);
  g_test_add_func ("/sla/due/business-start-outside-hours", test_business_start_outside_hours);
  g_test_add_func ("/sla/due/extra-work-day", test_extra_work_day);
  g_test_add_func ("/sla/due/dst", test_dst);
  g_test_add_func ("/sla/due/warning-rounding", test_warning_rounding);
  g_test_add_func ("/sla/pause/calendar", test_pause_calendar);
  g_test_add_func ("/sla/pause/open", test_pause_open);
  g_test_add_func ("/sla/pause/business", test_pause_business);
  g_test_add_func ("/sla/compute/pauses", test_compute_pauses);
  g_test_add_func ("/sla/compute/accept", test_accept);
  g_test_add_func ("/sla/compute/update", test_update);
  g_test_add_func ("/sla/compute/submitted", test_submitted);
  g_test_add_func ("/sla/policy/callback", test_callback);
  g_test_add_func ("/sla/compute/confirm", test_confirm);
  g_test_add_func ("/sla/compute/reopen", test_reopen);
  g_test_add_func ("/sla/compute/return-clocks", test_return_clocks);
  g_test_add_func ("/sla/state-at", test_state_at);
  g_test_add_func ("/sla/json/round-trip", test_json_round_trip);
  g_test_add_func ("/sla/json/invalid", test_json_invalid);
  g_test_add_func ("/sla/json/accepts", test_json_accepts);
  g_test_add_func ("/sla/json/older-policy", test_json_older_policy);

  return g_test_run ();
}
