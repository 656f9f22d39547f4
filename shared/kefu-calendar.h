/* kefu-calendar.h — a business calendar: working days and hours, holidays, time zone (with DST)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Times are gint64 microseconds since the Unix epoch, UTC. Working hours are local wall-clock
 * times in the calendar's zone, so a DST change moves them in UTC. A day is a working day when
 * its weekday is in the mask and its date is not a holiday; extra working days ("调休" make-up
 * days on a weekend) may be listed too. */

typedef struct _KefuCalendar KefuCalendar;

#define KEFU_TYPE_CALENDAR (kefu_calendar_get_type ())
GType         kefu_calendar_get_type        (void) G_GNUC_CONST;

/* Mon–Fri 09:00–18:00 in @tz_identifier (NULL = UTC), no holidays. NULL if the zone is unknown. */
KefuCalendar *kefu_calendar_new             (const char   *tz_identifier);
KefuCalendar *kefu_calendar_ref             (KefuCalendar *cal);
/* A deep copy (the policy copy must not share a mutable calendar). */
KefuCalendar *kefu_calendar_copy            (KefuCalendar *cal);
void          kefu_calendar_unref           (KefuCalendar *cal);

const char   *kefu_calendar_get_time_zone   (KefuCalendar *cal);
/* bit 0 = Monday … bit 6 = Sunday */
void          kefu_calendar_set_work_days   (KefuCalendar *cal,
                                             guint         weekday_mask);
guint         kefu_calendar_get_work_days   (KefuCalendar *cal);
/* Minutes after local midnight, 0 ≤ start < end ≤ 1440. */
void          kefu_calendar_set_work_hours  (KefuCalendar *cal,
                                             guint         start_minute,
                                             guint         end_minute);
void          kefu_calendar_get_work_hours  (KefuCalendar *cal,
                                             guint        *start_minute,
                                             guint        *end_minute);
/* "YYYY-MM-DD"; FALSE for a malformed date. */
gboolean      kefu_calendar_add_holiday     (KefuCalendar *cal,
                                             const char   *date);
gboolean      kefu_calendar_add_extra_work_day (KefuCalendar *cal,
                                             const char   *date);
gboolean      kefu_calendar_is_work_day     (KefuCalendar *cal,
                                             int           year,
                                             int           month,
                                             int           day);

/* The instant reached after @seconds of business time from @start (when @start is outside
 * working hours, counting starts at the next opening). @start itself when @seconds ≤ 0; the
 * closing instant when the time runs out exactly at a closing; G_MAXINT64 when the calendar
 * has no working time within 100 years. A wall-clock opening or closing that falls into a DST
 * gap moves to the end of the gap; an ambiguous one (DST ends) means its first occurrence. A
 * date listed both as holiday and as extra working day is a holiday. */
gint64        kefu_calendar_add_business    (KefuCalendar *cal,
                                             gint64        start,
                                             gint64        seconds);
/* Business seconds in [from, to) (0 when to ≤ from). */
gint64        kefu_calendar_business_between (KefuCalendar *cal,
                                             gint64        from,
                                             gint64        to);
/* The same in microseconds of business time (exact; the SLA calculus uses these). */
gint64        kefu_calendar_add_business_usec (KefuCalendar *cal,
                                             gint64        start,
                                             gint64        usec);
gint64        kefu_calendar_business_between_usec (KefuCalendar *cal,
                                             gint64        from,
                                             gint64        to);

/* {"time_zone":"Asia/Shanghai","work_days":[1,2,3,4,5] (1=Mon..7=Sun),"work_start":"09:00",
 *  "work_end":"18:00","holidays":["2026-10-01",…],"extra_work_days":[…]} */
JsonNode     *kefu_calendar_to_json         (KefuCalendar *cal);
/* Validates (known zone, sane hours, real dates, at least one work day); KEFU_ERROR
 * VALIDATION_FAILED with the field ("calendar.work_start", …) otherwise. */
KefuCalendar *kefu_calendar_from_json       (JsonNode     *node,
                                             GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuCalendar, kefu_calendar_unref)

G_END_DECLS
