/* kefu-calendar.c — a business calendar: working days and hours, holidays, time zone (with DST)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Days are counted as "day numbers": days since 1970-01-01 in the proleptic Gregorian calendar,
 * for local dates of the calendar's zone. Local wall-clock instants are seconds since the epoch
 * as if the zone were UTC; local_to_utc() maps them to real instants through the zone's rules.
 *
 * kefu_calendar_add_business_usec() and kefu_calendar_business_between_usec() walk day by day,
 * but skip runs of whole weeks arithmetically: a run of weeks that contains no holiday and no
 * extra working day, and over which the zone keeps one UTC offset (the same GTimeZone interval at
 * both ends, intervals being contiguous and ordered), holds exactly popcount(mask) full working
 * days. Zones change offset twice a year at most in practice, so a target of a year costs a few
 * dozen steps.
 */

#include "kefu-calendar.h"
#include "kefu-error.h"
#include "kefu-json-input.h"

#include <string.h>

#define SECONDS_PER_DAY   G_GINT64_CONSTANT (86400)
#define MINUTES_PER_DAY   1440
/* Give up (G_MAXINT64) when no answer is found this many days after the start. */
#define HORIZON_DAYS      (100 * 366)
#define ALL_DAYS_MASK     0x7fu

struct _KefuCalendar
{
  gatomicrefcount  ref_count;
  char            *tz_id;
  GTimeZone       *tz;
  guint            work_days;     /* bit 0 = Monday … bit 6 = Sunday */
  guint            start_minute;
  guint            end_minute;
  GArray          *holidays;      /* gint64 day numbers, sorted, unique */
  GArray          *extra_days;    /* gint64 day numbers, sorted, unique */
};

G_DEFINE_BOXED_TYPE (KefuCalendar, kefu_calendar, kefu_calendar_ref, kefu_calendar_unref)

/* ---- date arithmetic ------------------------------------------------------------------------ */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = floor_div (y, 400);
  yoe = (guint) (y - era * 400);
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64  z,
                 int    *year,
                 guint  *month,
                 guint  *day)
{
  gint64 era, y;
  guint doe, yoe, doy, mp, m;

  z += 719468;
  era = floor_div (z, 146097);
  doe = (guint) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = (gint64) yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  m = mp < 10 ? mp + 3 : mp - 9;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = m;
  *year = (int) (y + (m <= 2));
}

/* 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday. */
static guint
weekday_of_day (gint64 day)
{
  gint64 w = (day + 3) % 7;

  return (guint) (w < 0 ? w + 7 : w);
}

static gboolean
valid_date (int year,
            int month,
            int day)
{
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
}

/* Strict "YYYY-MM-DD". */
static gboolean
parse_date (const char *str,
            gint64     *out_day)
{
  int v[3] = { 0, 0, 0 };
  const int widths[3] = { 4, 2, 2 };
  const char *p = str;

  if (str == NULL || strlen (str) != 10)
    return FALSE;
  for (guint f = 0; f < 3; f++)
    {
      for (int i = 0; i < widths[f]; i++, p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          v[f] = v[f] * 10 + (*p - '0');
        }
      if (f < 2 && *p++ != '-')
        return FALSE;
    }
  if (!valid_date (v[0], v[1], v[2]))
    return FALSE;
  *out_day = days_from_civil (v[0], (guint) v[1], (guint) v[2]);
  return TRUE;
}

static char *
format_date (gint64 day)
{
  int y;
  guint m, d;

  civil_from_days (day, &y, &m, &d);
  return g_strdup_printf ("%04d-%02u-%02u", y, m, d);
}

/* Strict "HH:MM", 00:00 … 24:00. */
static gboolean
parse_hhmm (const char *str,
            guint      *out_minute)
{
  guint h, m;

  if (str == NULL || strlen (str) != 5 || str[2] != ':' ||
      !g_ascii_isdigit (str[0]) || !g_ascii_isdigit (str[1]) ||
      !g_ascii_isdigit (str[3]) || !g_ascii_isdigit (str[4]))
    return FALSE;
  h = (guint) (str[0] - '0') * 10 + (guint) (str[1] - '0');
  m = (guint) (str[3] - '0') * 10 + (guint) (str[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;
  *out_minute = h * 60 + m;
  return TRUE;
}

static char *
format_hhmm (guint minute)
{
  return g_strdup_printf ("%02u:%02u", minute / 60, minute % 60);
}

/* ---- sorted day sets ------------------------------------------------------------------------ */

/* Index of the first element ≥ @day. */
static guint
day_set_lower_bound (GArray *set,
                     gint64  day)
{
  guint lo = 0, hi = set->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (set, gint64, mid) < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
day_set_contains (GArray *set,
                  gint64  day)
{
  guint i = day_set_lower_bound (set, day);

  return i < set->len && g_array_index (set, gint64, i) == day;
}

static void
day_set_add (GArray *set,
             gint64  day)
{
  guint i = day_set_lower_bound (set, day);

  if (i < set->len && g_array_index (set, gint64, i) == day)
    return;
  g_array_insert_val (set, i, day);
}

/* The first listed day ≥ @day, or G_MAXINT64. */
static gint64
day_set_next (GArray *set,
              gint64  day)
{
  guint i = day_set_lower_bound (set, day);

  return i < set->len ? g_array_index (set, gint64, i) : G_MAXINT64;
}

/* ---- time zone ---------------------------------------------------------------------------- */

/* Local wall-clock seconds → UTC seconds. A time in a gap moves to the end of the gap; an
 * ambiguous time is its first occurrence (daylight time, before the clocks go back). */
static gint64
local_to_utc (KefuCalendar *cal,
              gint64        local)
{
  gint64 t = local;
  gint interval = g_time_zone_adjust_time (cal->tz, G_TIME_TYPE_DAYLIGHT, &t);

  return t - g_time_zone_get_offset (cal->tz, interval);
}

static gint
utc_interval (KefuCalendar *cal,
              gint64        utc)
{
  return g_time_zone_find_interval (cal->tz, G_TIME_TYPE_UNIVERSAL, utc);
}

/* The local day number of an instant (µs). */
static gint64
local_day_of (KefuCalendar *cal,
              gint64        usec)
{
  gint64 s = floor_div (usec, G_USEC_PER_SEC);
  gint32 offset = g_time_zone_get_offset (cal->tz, utc_interval (cal, s));

  return floor_div (s + offset, SECONDS_PER_DAY);
}

/* Start of local day @day, as UTC seconds. */
static gint64
midnight_utc (KefuCalendar *cal,
              gint64        day)
{
  return local_to_utc (cal, day * SECONDS_PER_DAY);
}

static gboolean
is_work_day_num (KefuCalendar *cal,
                 gint64        day)
{
  if (day_set_contains (cal->holidays, day))
    return FALSE;
  if (day_set_contains (cal->extra_days, day))
    return TRUE;
  return (cal->work_days & (1u << weekday_of_day (day))) != 0;
}

/* The working window of local day @day in µs; FALSE when it is not a working day or the window
 * is empty (hours that a DST gap swallows). */
static gboolean
day_window (KefuCalendar *cal,
            gint64        day,
            gint64       *open,
            gint64       *close)
{
  gint64 o, c;

  if (!is_work_day_num (cal, day))
    return FALSE;
  o = local_to_utc (cal, day * SECONDS_PER_DAY + (gint64) cal->start_minute * 60);
  c = local_to_utc (cal, day * SECONDS_PER_DAY + (gint64) cal->end_minute * 60);
  if (c <= o)
    return FALSE;
  *open = o * G_USEC_PER_SEC;
  *close = c * G_USEC_PER_SEC;
  return TRUE;
}

/* Business µs of a full week without holidays, extra days or offset changes. */
static gint64
week_usec (KefuCalendar *cal)
{
  gint64 days = 0;

  for (guint i = 0; i < 7; i++)
    days += (cal->work_days >> i) & 1;
  return days * (gint64) (cal->end_minute - cal->start_minute) * 60 * G_USEC_PER_SEC;
}

/* The largest k ≤ @max_weeks such that the days [day, day + 7k) can be counted arithmetically:
 * no listed holiday or extra day among them, and one UTC offset from the start of @day to the
 * start of day + 7k. */
static gint64
skippable_weeks (KefuCalendar *cal,
                 gint64        day,
                 gint64        max_weeks)
{
  gint64 special, lo, hi;
  gint first;

  special = MIN (day_set_next (cal->holidays, day), day_set_next (cal->extra_days, day));
  if (special != G_MAXINT64)
    max_weeks = MIN (max_weeks, (special - day) / 7);
  if (max_weeks <= 0)
    return 0;

  first = utc_interval (cal, midnight_utc (cal, day));
  if (utc_interval (cal, midnight_utc (cal, day + 7 * max_weeks)) == first)
    return max_weeks;

  /* Intervals only grow with time: binary search the last week end still in @first. */
  lo = 0;
  hi = max_weeks;
  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (utc_interval (cal, midnight_utc (cal, day + 7 * mid)) == first)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* ---- public API --------------------------------------------------------------------------- */

/* An IANA zone name: "UTC", "Asia/Shanghai", "America/Argentina/Buenos_Aires", "Etc/GMT-8".
 * GLib takes an identifier as a path under the zone directory (or an absolute one), so a name
 * from a request must not be able to leave it: no dots, no leading, trailing or double
 * slash. Opening an arbitrary file would also block on a FIFO and leaks in GLib 2.74 when the
 * file is not a zone. (The server's own zone, from its configuration, may be any identifier
 * GLib takes: kefu_calendar_new() does not check.) */
static gboolean
zone_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 64 || name[0] == '/' || name[len - 1] == '/' ||
      strstr (name, "//") != NULL)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
      return FALSE;
  return TRUE;
}

KefuCalendar *
kefu_calendar_new (const char *tz_identifier)
{
  KefuCalendar *cal;
  GTimeZone *tz;

  if (tz_identifier == NULL)
    tz_identifier = "UTC";
  if (*tz_identifier == '\0')
    return NULL;
  tz = g_time_zone_new_identifier (tz_identifier);
  if (tz == NULL)
    return NULL;

  cal = g_new0 (KefuCalendar, 1);
  g_atomic_ref_count_init (&cal->ref_count);
  cal->tz_id = g_strdup (tz_identifier);
  cal->tz = tz;
  cal->work_days = 0x1f;
  cal->start_minute = 9 * 60;
  cal->end_minute = 18 * 60;
  cal->holidays = g_array_new (FALSE, FALSE, sizeof (gint64));
  cal->extra_days = g_array_new (FALSE, FALSE, sizeof (gint64));
  return cal;
}

KefuCalendar *
kefu_calendar_ref (KefuCalendar *cal)
{
  g_return_val_if_fail (cal != NULL, NULL);

  g_atomic_ref_count_inc (&cal->ref_count);
  return cal;
}

void
kefu_calendar_unref (KefuCalendar *cal)
{
  g_return_if_fail (cal != NULL);

  if (!g_atomic_ref_count_dec (&cal->ref_count))
    return;
  g_free (cal->tz_id);
  g_time_zone_unref (cal->tz);
  g_array_unref (cal->holidays);
  g_array_unref (cal->extra_days);
  g_free (cal);
}

KefuCalendar *
kefu_calendar_copy (KefuCalendar *cal)
{
  KefuCalendar *copy;

  g_return_val_if_fail (cal != NULL, NULL);

  copy = g_new0 (KefuCalendar, 1);
  g_atomic_ref_count_init (&copy->ref_count);
  copy->tz_id = g_strdup (cal->tz_id);
  copy->tz = g_time_zone_ref (cal->tz);
  copy->holidays = g_array_new (FALSE, FALSE, sizeof (gint64));
  copy->extra_days = g_array_new (FALSE, FALSE, sizeof (gint64));
  copy->work_days = cal->work_days;
  copy->start_minute = cal->start_minute;
  copy->end_minute = cal->end_minute;
  g_array_append_vals (copy->holidays, cal->holidays->data, cal->holidays->len);
  g_array_append_vals (copy->extra_days, cal->extra_days->data, cal->extra_days->len);
  return copy;
}

const char *
kefu_calendar_get_time_zone (KefuCalendar *cal)
{
  g_return_val_if_fail (cal != NULL, NULL);

  return cal->tz_id;
}

void
kefu_calendar_set_work_days (KefuCalendar *cal,
                             guint         weekday_mask)
{
  g_return_if_fail (cal != NULL);
  g_return_if_fail (weekday_mask != 0 && (weekday_mask & ~ALL_DAYS_MASK) == 0);

  cal->work_days = weekday_mask;
}

guint
kefu_calendar_get_work_days (KefuCalendar *cal)
{
  g_return_val_if_fail (cal != NULL, 0);

  return cal->work_days;
}

void
kefu_calendar_set_work_hours (KefuCalendar *cal,
                              guint         start_minute,
                              guint         end_minute)
{
  g_return_if_fail (cal != NULL);
  g_return_if_fail (start_minute < end_minute && end_minute <= MINUTES_PER_DAY);

  cal->start_minute = start_minute;
  cal->end_minute = end_minute;
}

void
kefu_calendar_get_work_hours (KefuCalendar *cal,
                              guint        *start_minute,
                              guint        *end_minute)
{
  g_return_if_fail (cal != NULL);

  if (start_minute != NULL)
    *start_minute = cal->start_minute;
  if (end_minute != NULL)
    *end_minute = cal->end_minute;
}

gboolean
kefu_calendar_add_holiday (KefuCalendar *cal,
                           const char   *date)
{
  gint64 day;

  g_return_val_if_fail (cal != NULL, FALSE);

  if (!parse_date (date, &day))
    return FALSE;
  day_set_add (cal->holidays, day);
  return TRUE;
}

gboolean
kefu_calendar_add_extra_work_day (KefuCalendar *cal,
                                  const char   *date)
{
  gint64 day;

  g_return_val_if_fail (cal != NULL, FALSE);

  if (!parse_date (date, &day))
    return FALSE;
  day_set_add (cal->extra_days, day);
  return TRUE;
}

gboolean
kefu_calendar_is_work_day (KefuCalendar *cal,
                           int           year,
                           int           month,
                           int           day)
{
  g_return_val_if_fail (cal != NULL, FALSE);

  if (!valid_date (year, month, day))
    return FALSE;
  return is_work_day_num (cal, days_from_civil (year, (guint) month, (guint) day));
}

/* Instants are clamped to [MIN_USEC, MAX_USEC] (years 1 … 9999) so day arithmetic cannot
 * overflow. */
static gint64
max_usec (void)
{
  return days_from_civil (10000, 1, 1) * SECONDS_PER_DAY * G_USEC_PER_SEC;
}

static gint64
min_usec (void)
{
  return days_from_civil (1, 1, 2) * SECONDS_PER_DAY * G_USEC_PER_SEC;
}

gint64
kefu_calendar_add_business_usec (KefuCalendar *cal,
                                 gint64        start,
                                 gint64        usec)
{
  gint64 remaining = usec;
  gint64 t, day, last_day, week;
  gboolean first = TRUE;

  g_return_val_if_fail (cal != NULL, G_MAXINT64);

  if (usec <= 0)
    return start;
  if (start >= max_usec ())
    return G_MAXINT64;

  t = MAX (start, min_usec ());
  /* The window of the day before can't reach into today, but starting there is free. */
  day = local_day_of (cal, t) - 1;
  last_day = MIN (day + HORIZON_DAYS, local_day_of (cal, max_usec ()) - 2);
  week = week_usec (cal);

  for (; day <= last_day; day++)
    {
      gint64 open, close;

      if (!first && t <= midnight_utc (cal, day) * G_USEC_PER_SEC)
        {
          gint64 max_weeks = (last_day - day) / 7;
          gint64 k;

          if (week > 0)
            max_weeks = MIN (max_weeks, (remaining - 1) / week);
          else if (day_set_next (cal->extra_days, day) == G_MAXINT64)
            return G_MAXINT64;  /* no working day ever again */

          k = skippable_weeks (cal, day, max_weeks);
          if (k > 0)
            {
              remaining -= k * week;
              day += 7 * k;
              t = midnight_utc (cal, day) * G_USEC_PER_SEC;
            }
        }
      first = FALSE;

      if (!day_window (cal, day, &open, &close))
        continue;
      open = MAX (open, t);
      if (close <= open)
        continue;
      if (remaining <= close - open)
        return open + remaining;
      remaining -= close - open;
      t = close;
    }

  return G_MAXINT64;
}

gint64
kefu_calendar_business_between_usec (KefuCalendar *cal,
                                     gint64        from,
                                     gint64        to)
{
  gint64 total = 0;
  gint64 t, day, last_day, week;
  gboolean first = TRUE;

  g_return_val_if_fail (cal != NULL, 0);

  from = MAX (from, min_usec ());
  to = MIN (to, max_usec ());
  if (to <= from)
    return 0;

  t = from;
  day = local_day_of (cal, from) - 1;
  last_day = local_day_of (cal, to);
  week = week_usec (cal);

  for (; day <= last_day; day++)
    {
      gint64 open, close;

      if (!first && t <= midnight_utc (cal, day) * G_USEC_PER_SEC)
        {
          /* Only weeks that end before @to: day + 7k ≤ local day of @to. */
          gint64 k = skippable_weeks (cal, day, (last_day - day) / 7);

          if (k > 0)
            {
              total += k * week;
              day += 7 * k;
              t = midnight_utc (cal, day) * G_USEC_PER_SEC;
            }
        }
      first = FALSE;

      if (!day_window (cal, day, &open, &close))
        continue;
      open = MAX (open, t);
      close = MIN (close, to);
      if (close > open)
        total += close - open;
      t = MAX (t, close);
    }

  return total;
}

gint64
kefu_calendar_add_business (KefuCalendar *cal,
                            gint64        start,
                            gint64        seconds)
{
  g_return_val_if_fail (cal != NULL, G_MAXINT64);

  if (seconds > G_MAXINT64 / G_USEC_PER_SEC)
    return G_MAXINT64;
  return kefu_calendar_add_business_usec (cal, start, seconds * G_USEC_PER_SEC);
}

gint64
kefu_calendar_business_between (KefuCalendar *cal,
                                gint64        from,
                                gint64        to)
{
  g_return_val_if_fail (cal != NULL, 0);

  return kefu_calendar_business_between_usec (cal, from, to) / G_USEC_PER_SEC;
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void
add_day_list (JsonBuilder *b,
              const char  *name,
              GArray      *set)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < set->len; i++)
    {
      g_autofree char *s = format_date (g_array_index (set, gint64, i));

      json_builder_add_string_value (b, s);
    }
  json_builder_end_array (b);
}

JsonNode *
kefu_calendar_to_json (KefuCalendar *cal)
{
  g_autoptr (JsonBuilder) b = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  g_return_val_if_fail (cal != NULL, NULL);

  start = format_hhmm (cal->start_minute);
  end = format_hhmm (cal->end_minute);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "time_zone");
  json_builder_add_string_value (b, cal->tz_id);
  json_builder_set_member_name (b, "work_days");
  json_builder_begin_array (b);
  for (guint i = 0; i < 7; i++)
    if (cal->work_days & (1u << i))
      json_builder_add_int_value (b, i + 1);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "work_start");
  json_builder_add_string_value (b, start);
  json_builder_set_member_name (b, "work_end");
  json_builder_add_string_value (b, end);
  add_day_list (b, "holidays", cal->holidays);
  add_day_list (b, "extra_work_days", cal->extra_days);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static const char *
get_string_member (JsonObject *obj,
                   const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An optional array of dates into @set; FALSE with the error set otherwise. A date that is in
 * @exclude is an error too. */
static gboolean
parse_day_list (JsonObject  *obj,
                const char  *name,
                GArray      *set,
                GArray      *exclude,
                GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *field = g_strdup_printf ("calendar.%s", name);

      kefu_set_field_error (error, field, "must be an array of dates");
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gint64 day;

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING ||
          !parse_date (json_node_get_string (element), &day))
        {
          g_autofree char *field = g_strdup_printf ("calendar.%s[%u]", name, i);

          kefu_set_field_error (error, field, "must be a date YYYY-MM-DD");
          return FALSE;
        }
      if (exclude != NULL && day_set_contains (exclude, day))
        {
          g_autofree char *field = g_strdup_printf ("calendar.%s[%u]", name, i);

          kefu_set_field_error (error, field, "%s is listed as a holiday too",
                                json_node_get_string (element));
          return FALSE;
        }
      day_set_add (set, day);
    }
  return TRUE;
}

KefuCalendar *
kefu_calendar_from_json (JsonNode  *node,
                         GError   **error)
{
  g_autoptr (KefuCalendar) cal = NULL;
  JsonObject *obj;
  JsonNode *member;
  JsonArray *array;
  const char *tz_id;
  guint mask = 0, start = 0, end = 0;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      kefu_set_field_error (error, "calendar", "must be an object");
      return NULL;
    }
  obj = json_node_get_object (node);

  tz_id = get_string_member (obj, "time_zone");
  if (tz_id == NULL || !zone_name_is_valid (tz_id) || (cal = kefu_calendar_new (tz_id)) == NULL)
    {
      kefu_set_field_error (error, "calendar.time_zone", "must be a known IANA time zone");
      return NULL;
    }

  member = json_object_get_member (obj, "work_days");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member) ||
      json_array_get_length (json_node_get_array (member)) == 0)
    {
      kefu_set_field_error (error, "calendar.work_days",
                            "must be a non-empty array of weekdays 1 (Monday) … 7 (Sunday)");
      return NULL;
    }
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *field = g_strdup_printf ("calendar.work_days[%u]", i);
      gint64 wd;

      if (!kefu_json_node_get_int (json_array_get_element (array, i), field, 1, 7, &wd, error))
        return NULL;
      mask |= 1u << (wd - 1);
    }

  if (!parse_hhmm (get_string_member (obj, "work_start"), &start) || start >= MINUTES_PER_DAY)
    {
      kefu_set_field_error (error, "calendar.work_start", "must be a time HH:MM before 24:00");
      return NULL;
    }
  if (!parse_hhmm (get_string_member (obj, "work_end"), &end) || end <= start)
    {
      kefu_set_field_error (error, "calendar.work_end",
                            "must be a time HH:MM after work_start, 24:00 at the latest");
      return NULL;
    }

  cal->work_days = mask;
  cal->start_minute = start;
  cal->end_minute = end;

  if (!parse_day_list (obj, "holidays", cal->holidays, NULL, error) ||
      !parse_day_list (obj, "extra_work_days", cal->extra_days, cal->holidays, error))
    return NULL;

  return g_steal_pointer (&cal);
}
