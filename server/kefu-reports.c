/* kefu-reports.c — the manager's reports: summary, CSAT trend and CSV export of a period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A period is one range of report_facts' primary key (registered_at, ticket_id): the summary
 * reads it once, in one statement, and adds everything up in C — counts per word, sums,
 * per-technician and per-department tables, the first-response times for the 90th percentile.
 * One pass over short rows is what keeps three years of a million tickets under a second; a
 * GROUP BY per metric would read the range a dozen times. The definitions are in
 * docs/reports.md; keep the two in step.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kefu-enums.h"
#include "kefu-error.h"
#include "kefu-report-facts.h"
#include "kefu-reports.h"
#include "kefu-ticket.h"

#define TOP_SUBCATEGORIES 10
/* Periods at least this long are read in slices on several threads. */
#define PARALLEL_MIN_DAYS  90
#define PARALLEL_MAX_PARTS 4
/* A report's own connection: read-only, one read transaction = one snapshot. Not memory-mapped:
 * each new connection would fault the whole range in again, and the page faults of the slices'
 * threads contend on the process's address space (measured: twice the time of plain reads). */
#define REPORT_CONNECTION_SQL \
  "PRAGMA query_only = ON; BEGIN;"
#define USEC_PER_MINUTE   (60.0 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------------------------------ */
/* Periods                                                                                    */

/* Strictly YYYY-MM-DD, a real date. */
static gboolean
parse_date (const char *text,
            int        *year,
            int        *month,
            int        *day)
{
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }

  *year = atoi (text);
  *month = atoi (text + 5);
  *day = atoi (text + 8);
  return *year >= 1970 && *year <= 9998 &&
         g_date_valid_dmy ((GDateDay) *day, (GDateMonth) *month, (GDateYear) *year);
}

static gint64
local_midnight (GTimeZone *tz,
                int        year,
                int        month,
                int        day)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, 0, 0, 0);

  /* Where a zone skips midnight (a daylight-saving change at 00:00), the day starts at 01:00. */
  if (dt == NULL)
    dt = g_date_time_new (tz, year, month, day, 1, 0, 0);
  if (dt == NULL)
    dt = g_date_time_new_utc (year, month, day, 0, 0, 0);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

gboolean
kefu_report_period_parse (const char        *from,
                          const char        *to,
                          GTimeZone         *tz,
                          KefuReportPeriod  *out,
                          GError           **error)
{
  GDate a, b;
  int days;

  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (from == NULL)
    {
      kefu_set_field_error (error, "from", "from is required (YYYY-MM-DD)");
      return FALSE;
    }
  if (!parse_date (from, &out->from_year, &out->from_month, &out->from_day))
    {
      kefu_set_field_error (error, "from", "from must be a date YYYY-MM-DD");
      return FALSE;
    }
  if (to == NULL)
    {
      kefu_set_field_error (error, "to", "to is required (YYYY-MM-DD)");
      return FALSE;
    }
  if (!parse_date (to, &out->to_year, &out->to_month, &out->to_day))
    {
      kefu_set_field_error (error, "to", "to must be a date YYYY-MM-DD");
      return FALSE;
    }

  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  g_date_set_dmy (&a, out->from_day, out->from_month, out->from_year);
  g_date_set_dmy (&b, out->to_day, out->to_month, out->to_year);
  days = g_date_days_between (&a, &b) + 1;
  if (days < 1)
    {
      kefu_set_field_error (error, "to", "to must not be before from");
      return FALSE;
    }
  if (days > KEFU_REPORT_MAX_DAYS)
    {
      kefu_set_field_error (error, "to", "a report covers at most %d days", KEFU_REPORT_MAX_DAYS);
      return FALSE;
    }

  g_date_add_days (&b, 1);
  out->days = (guint) days;
  out->start = local_midnight (tz, out->from_year, out->from_month, out->from_day);
  out->end = local_midnight (tz, g_date_get_year (&b), g_date_get_month (&b),
                             g_date_get_day (&b));
  return TRUE;
}

gboolean
kefu_report_bucket_parse (const char        *text,
                          KefuReportBucket  *out,
                          GError           **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL || g_str_equal (text, "day"))
    *out = KEFU_REPORT_BUCKET_DAY;
  else if (g_str_equal (text, "week"))
    *out = KEFU_REPORT_BUCKET_WEEK;
  else
    {
      kefu_set_field_error (error, "bucket", "bucket must be day or week");
      return FALSE;
    }
  return TRUE;
}

static char *
format_date (int year,
             int month,
             int day)
{
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static void
add_double_or_null (JsonBuilder *b,
                    const char  *name,
                    double       sum,
                    gint64       count)
{
  json_builder_set_member_name (b, name);
  if (count > 0)
    json_builder_add_double_value (b, sum / (double) count);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* NULL reads as 0. */
static gint64
column_time (sqlite3_stmt *stmt,
             int           col)
{
  return sqlite3_column_int64 (stmt, col);
}

/* The outcome of one clock of a row: decided, or breached by a due already past at @now. */
static int
clock_outcome (int    decided,
               gint64 due,
               gint64 now)
{
  if (decided != KEFU_REPORT_SLA_UNDECIDED)
    return decided;
  if (due != 0 && due <= now)
    return KEFU_REPORT_SLA_BREACHED;
  return KEFU_REPORT_SLA_UNDECIDED;
}

/* Met when both the first response and the resolution met their targets; breached when
 * either was breached; undecided otherwise. */
static int
ticket_outcome (int    response_sla,
                gint64 response_due,
                int    resolve_sla,
                gint64 resolve_due,
                gint64 now)
{
  int response = clock_outcome (response_sla, response_due, now);
  int resolve = clock_outcome (resolve_sla, resolve_due, now);

  if (response == KEFU_REPORT_SLA_BREACHED || resolve == KEFU_REPORT_SLA_BREACHED)
    return KEFU_REPORT_SLA_BREACHED;
  if (response == KEFU_REPORT_SLA_MET && resolve == KEFU_REPORT_SLA_MET)
    return KEFU_REPORT_SLA_MET;
  return KEFU_REPORT_SLA_UNDECIDED;
}

/* The k-th smallest (0-based) of @v[0..n), reordering @v (Hoare's selection). */
static gint64
select_kth (gint64 *v,
            gssize  n,
            gssize  k)
{
  gssize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      gint64 pivot = v[lo + (hi - lo) / 2];
      gssize i = lo, j = hi;

      while (i <= j)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i <= j)
            {
              gint64 tmp = v[i];

              v[i++] = v[j];
              v[j--] = tmp;
            }
        }
      /* v[lo..j] ≤ pivot ≤ v[i..hi]; between them, the pivot's equals. */
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }
  return v[k];
}

/* ------------------------------------------------------------------------------------------ */
/* Summary                                                                                    */

typedef struct {
  gint64 id;
  gint64 assigned;
  gint64 open;
  gint64 resolved;
  double resolution_sum;
  gint64 csat_count;
  gint64 csat_sum;
} TechStat;

typedef struct {
  char   *code;
  gint64  count;
  gint64  resolved;
  double  resolution_sum;
} DeptStat;

typedef struct {
  const char *subcategory;   /* borrowed from the hash table */
  int         category;
  gint64      count;
} SubStat;

static void
dept_stat_free (gpointer data)
{
  DeptStat *d = data;

  g_free (d->code);
  g_free (d);
}

static DeptStat *
dept_stat (GHashTable *table,
           const char *code,
           gsize       len)
{
  g_autofree char *key = g_strndup (code, len);
  DeptStat *d = g_hash_table_lookup (table, key);

  if (d == NULL)
    {
      d = g_new0 (DeptStat, 1);
      d->code = g_steal_pointer (&key);
      g_hash_table_insert (table, d->code, d);
    }
  return d;
}

static int
compare_tech (gconstpointer a,
              gconstpointer b)
{
  const TechStat *x = *(TechStat * const *) a;
  const TechStat *y = *(TechStat * const *) b;

  if (x->assigned != y->assigned)
    return x->assigned > y->assigned ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int
compare_dept (gconstpointer a,
              gconstpointer b)
{
  const DeptStat *x = *(DeptStat * const *) a;
  const DeptStat *y = *(DeptStat * const *) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->code, y->code);
}

static int
compare_sub (gconstpointer a,
             gconstpointer b)
{
  const SubStat *x = a;
  const SubStat *y = b;
  int c;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  c = strcmp (x->subcategory, y->subcategory);
  return c != 0 ? c : x->category - y->category;
}

typedef struct {
  gint64      tickets, open, cancelled;
  gint64      by_category[KEFU_CATEGORY_LAST];
  gint64      by_channel[KEFU_CHANNEL_LAST];
  gint64      by_priority[5];
  GArray     *first_response;        /* gint64 µs */
  double      first_response_sum;
  gint64      resolved;
  double      resolution_sum;
  gint64      considered;            /* not cancelled */
  gint64      sla_met[5], sla_breached[5];
  gint64      csat[6];
  gint64      ever_resolved, reopened;
  gint64      level1, level2;
  GHashTable *subcategories[KEFU_CATEGORY_LAST];   /* char* → gint64* count */
  gint64      cross, cross_resolved;
  double      cross_resolution_sum;
  GHashTable *departments;           /* code → DeptStat */
  GHashTable *technicians;           /* id → TechStat */
} Totals;

static void
totals_init (Totals *t)
{
  memset (t, 0, sizeof *t);
  t->first_response = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int i = 0; i < KEFU_CATEGORY_LAST; i++)
    t->subcategories[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  t->departments = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, dept_stat_free);
  t->technicians = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

static void
totals_clear (Totals *t)
{
  g_clear_pointer (&t->first_response, g_array_unref);
  for (int i = 0; i < KEFU_CATEGORY_LAST; i++)
    g_clear_pointer (&t->subcategories[i], g_hash_table_unref);
  g_clear_pointer (&t->departments, g_hash_table_unref);
  g_clear_pointer (&t->technicians, g_hash_table_unref);
}

/* What the codes of report_facts mean here: the enumeration value of each category and
 * channel code (-1 for a code this build does not know), and whether a status code is open or
 * cancelled. */
static int category_of_code[8];
static int channel_of_code[16];
static gboolean status_open[16];
static gboolean status_cancelled[16];

static void
init_codes (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      for (guint i = 0; i < G_N_ELEMENTS (category_of_code); i++)
        {
          KefuCategory category;

          category_of_code[i] = i < KEFU_FACTS_N_CATEGORIES &&
                                kefu_category_from_string (kefu_report_category_words[i],
                                                           &category) ? (int) category : -1;
        }
      for (guint i = 0; i < G_N_ELEMENTS (channel_of_code); i++)
        {
          KefuChannel channel;

          channel_of_code[i] = i < KEFU_FACTS_N_CHANNELS &&
                               kefu_channel_from_string (kefu_report_channel_words[i], &channel)
                               ? (int) channel : -1;
        }
      for (guint i = 0; i < KEFU_FACTS_N_STATUSES; i++)
        {
          KefuStatus status;

          if (kefu_status_from_string (kefu_report_status_words[i], &status))
            {
              status_open[i] = kefu_status_is_open (status);
              status_cancelled[i] = status == KEFU_STATUS_CANCELLED;
            }
        }
      g_once_init_leave (&once, 1);
    }
}

/* Column order of SCAN_SQL. */
enum {
  COL_REGISTERED_AT, COL_CODES, COL_SUBCATEGORY, COL_ASSIGNEE, COL_INVOLVED,
  COL_FIRST_RESPONSE_AT, COL_RESOLVED_AT, COL_RESPONSE_DUE, COL_RESOLVE_DUE,
};

#define SCAN_SQL \
  "SELECT registered_at, codes, subcategory, assignee_id, involved, first_response_at," \
  " resolved_at, response_due, resolve_due" \
  " FROM report_facts WHERE registered_at >= ? AND registered_at < ?"

static void
add_row (Totals       *t,
         sqlite3_stmt *stmt,
         gint64        now)
{
  gint64 registered_at = sqlite3_column_int64 (stmt, COL_REGISTERED_AT);
  gint64 codes = sqlite3_column_int64 (stmt, COL_CODES);
  int priority = KEFU_FACTS_PRIORITY (codes);
  int category = category_of_code[KEFU_FACTS_CATEGORY (codes)];
  int channel = channel_of_code[KEFU_FACTS_CHANNEL (codes)];
  gboolean cancelled = status_cancelled[KEFU_FACTS_STATUS (codes)];
  gboolean open = status_open[KEFU_FACTS_STATUS (codes)];
  int reopened = KEFU_FACTS_REOPENED (codes);
  int level = KEFU_FACTS_LEVEL (codes);
  int satisfaction = KEFU_FACTS_SATISFACTION (codes);
  const char *subcategory = kefu_db_column_text (stmt, COL_SUBCATEGORY);
  gint64 assignee = column_time (stmt, COL_ASSIGNEE);
  const char *involved = kefu_db_column_text (stmt, COL_INVOLVED);
  gint64 first_response_at = column_time (stmt, COL_FIRST_RESPONSE_AT);
  gint64 resolved_at = column_time (stmt, COL_RESOLVED_AT);
  gboolean resolved = resolved_at != 0;
  double resolution = resolved ? (double) MAX (resolved_at - registered_at, 0) : 0;
  TechStat *tech = NULL;
  int outcome;

  /* Volume: every ticket registered in the period. */
  t->tickets++;
  if (category >= 0)
    t->by_category[category]++;
  if (channel >= 0)
    t->by_channel[channel]++;
  if (priority >= 1 && priority <= 4)
    t->by_priority[priority]++;
  else
    priority = 0;

  /* Everything else leaves cancelled tickets (duplicates, spam) out. */
  if (cancelled)
    {
      t->cancelled++;
      return;
    }
  t->considered++;
  if (open)
    t->open++;

  if (first_response_at != 0)
    {
      gint64 took = MAX (first_response_at - registered_at, 0);

      g_array_append_val (t->first_response, took);
      t->first_response_sum += (double) took;
    }

  if (resolved)
    {
      t->resolved++;
      t->resolution_sum += resolution;
    }

  outcome = ticket_outcome (KEFU_FACTS_RESPONSE_SLA (codes),
                            column_time (stmt, COL_RESPONSE_DUE),
                            KEFU_FACTS_RESOLVE_SLA (codes),
                            column_time (stmt, COL_RESOLVE_DUE), now);
  if (outcome == KEFU_REPORT_SLA_MET)
    t->sla_met[priority]++;
  else if (outcome == KEFU_REPORT_SLA_BREACHED)
    t->sla_breached[priority]++;

  if (satisfaction >= 1 && satisfaction <= 5)
    t->csat[satisfaction]++;

  if (resolved || reopened > 0)
    t->ever_resolved++;
  if (reopened > 0)
    t->reopened++;

  if (level == 1)
    t->level1++;
  else if (level >= 2)
    t->level2++;

  if (subcategory != NULL && category >= 0)
    {
      GHashTable *table = t->subcategories[category];
      gint64 *count = g_hash_table_lookup (table, subcategory);

      if (count == NULL)
        {
          count = g_new0 (gint64, 1);
          g_hash_table_insert (table, g_strdup (subcategory), count);
        }
      (*count)++;
    }

  if (involved != NULL)
    {
      t->cross++;
      if (resolved)
        {
          t->cross_resolved++;
          t->cross_resolution_sum += resolution;
        }

      /* Each department involved, lead and supporting, once. */
      for (const char *p = involved; ; )
        {
          const char *comma = strchr (p, ',');
          gsize len = comma ? (gsize) (comma - p) : strlen (p);
          DeptStat *d = dept_stat (t->departments, p, len);

          d->count++;
          if (resolved)
            {
              d->resolved++;
              d->resolution_sum += resolution;
            }
          if (comma == NULL)
            break;
          p = comma + 1;
        }
    }

  if (assignee != 0)
    {
      tech = g_hash_table_lookup (t->technicians, &assignee);
      if (tech == NULL)
        {
          tech = g_new0 (TechStat, 1);
          tech->id = assignee;
          g_hash_table_insert (t->technicians, &tech->id, tech);
        }
      tech->assigned++;
      if (open)
        tech->open++;
      if (resolved)
        {
          tech->resolved++;
          tech->resolution_sum += resolution;
        }
      if (satisfaction >= 1 && satisfaction <= 5)
        {
          tech->csat_count++;
          tech->csat_sum += satisfaction;
        }
    }
}

static gboolean
scan (KefuDb   *db,
      gint64    start,
      gint64    end,
      gint64    now,
      Totals   *t,
      GError  **error)
{
  sqlite3_stmt *stmt = kefu_db_prepare (db, SCAN_SQL, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_row (t, stmt, now);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kefu_db_fail (db, error);
  return TRUE;
}

/* Adds @from's counts into @into (and empties @from's tables). */
static void
totals_merge (Totals *into,
              Totals *from)
{
  GHashTableIter iter;
  gpointer key, value;

#define ADD_ARRAY(field) \
  for (guint i = 0; i < G_N_ELEMENTS (into->field); i++) \
    into->field[i] += from->field[i]

  into->tickets += from->tickets;
  into->open += from->open;
  into->cancelled += from->cancelled;
  ADD_ARRAY (by_category);
  ADD_ARRAY (by_channel);
  ADD_ARRAY (by_priority);
  g_array_append_vals (into->first_response, from->first_response->data,
                       from->first_response->len);
  into->first_response_sum += from->first_response_sum;
  into->resolved += from->resolved;
  into->resolution_sum += from->resolution_sum;
  into->considered += from->considered;
  ADD_ARRAY (sla_met);
  ADD_ARRAY (sla_breached);
  ADD_ARRAY (csat);
  into->ever_resolved += from->ever_resolved;
  into->reopened += from->reopened;
  into->level1 += from->level1;
  into->level2 += from->level2;
  into->cross += from->cross;
  into->cross_resolved += from->cross_resolved;
  into->cross_resolution_sum += from->cross_resolution_sum;
#undef ADD_ARRAY

  for (int c = 0; c < KEFU_CATEGORY_LAST; c++)
    {
      g_hash_table_iter_init (&iter, from->subcategories[c]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 *count = g_hash_table_lookup (into->subcategories[c], key);

          if (count != NULL)
            *count += *(gint64 *) value;
          else
            {
              g_hash_table_iter_steal (&iter);
              g_hash_table_insert (into->subcategories[c], key, value);
            }
        }
    }

  g_hash_table_iter_init (&iter, from->departments);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DeptStat *d = value;
      DeptStat *to = dept_stat (into->departments, d->code, strlen (d->code));

      to->count += d->count;
      to->resolved += d->resolved;
      to->resolution_sum += d->resolution_sum;
    }

  g_hash_table_iter_init (&iter, from->technicians);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TechStat *s = value;
      TechStat *to = g_hash_table_lookup (into->technicians, &s->id);

      if (to == NULL)
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (into->technicians, &s->id, s);
          continue;
        }
      to->assigned += s->assigned;
      to->open += s->open;
      to->resolved += s->resolved;
      to->resolution_sum += s->resolution_sum;
      to->csat_count += s->csat_count;
      to->csat_sum += s->csat_sum;
    }
}

/* A slice of the period scanned on a thread of its own, with its own connection. */
typedef struct {
  const char *path;
  gint64      start;
  gint64      end;
  gint64      now;
  Totals      totals;
  GError     *error;
} Part;

static gpointer
scan_part (gpointer data)
{
  Part *part = data;
  g_autoptr(KefuDb) db = kefu_db_open (part->path, TRUE, &part->error);

  if (db == NULL || !kefu_db_exec (db, REPORT_CONNECTION_SQL, &part->error))
    return NULL;
  scan (db, part->start, part->end, part->now, &part->totals, &part->error);
  kefu_db_exec (db, "COMMIT;", NULL);
  return NULL;
}

static char *
user_name (KefuDb *db,
           gint64  id)
{
  sqlite3_stmt *stmt = kefu_db_prepare (db, "SELECT display_name FROM users WHERE id = ?", NULL);
  char *name = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = kefu_db_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return name;
}

static void
add_rate (JsonBuilder *b,
          const char  *name,
          gint64       part,
          gint64       whole)
{
  json_builder_set_member_name (b, name);
  if (whole > 0)
    json_builder_add_double_value (b, (double) part / (double) whole);
  else
    json_builder_add_null_value (b);
}

static void
build_subcategories (JsonBuilder *b,
                     Totals      *t)
{
  g_autoptr(GArray) subs = g_array_new (FALSE, FALSE, sizeof (SubStat));

  for (int c = 0; c < KEFU_CATEGORY_LAST; c++)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, t->subcategories[c]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          SubStat s = { key, c, *(gint64 *) value };

          g_array_append_val (subs, s);
        }
    }
  g_array_sort (subs, compare_sub);

  json_builder_set_member_name (b, "top_subcategories");
  json_builder_begin_array (b);
  for (guint i = 0; i < subs->len && i < TOP_SUBCATEGORIES; i++)
    {
      SubStat *s = &g_array_index (subs, SubStat, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "subcategory");
      json_builder_add_string_value (b, s->subcategory);
      json_builder_set_member_name (b, "category");
      json_builder_add_string_value (b, kefu_category_to_string (s->category));
      add_int (b, "count", s->count);
      add_rate (b, "share", s->count, t->considered);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_cross (JsonBuilder *b,
             Totals      *t)
{
  g_autoptr(GPtrArray) depts = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, t->departments);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (depts, value);
  g_ptr_array_sort (depts, compare_dept);

  json_builder_set_member_name (b, "cross_department");
  json_builder_begin_object (b);
  add_int (b, "count", t->cross);
  add_double_or_null (b, "avg_resolution_minutes", t->cross_resolution_sum / USEC_PER_MINUTE,
                      t->cross_resolved);
  json_builder_set_member_name (b, "by_department");
  json_builder_begin_array (b);
  for (guint i = 0; i < depts->len; i++)
    {
      DeptStat *d = g_ptr_array_index (depts, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "department");
      json_builder_add_string_value (b, d->code);
      add_int (b, "count", d->count);
      add_int (b, "resolved", d->resolved);
      add_double_or_null (b, "avg_resolution_minutes", d->resolution_sum / USEC_PER_MINUTE,
                          d->resolved);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
build_technicians (JsonBuilder *b,
                   KefuDb      *db,
                   Totals      *t)
{
  g_autoptr(GPtrArray) techs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, t->technicians);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (techs, value);
  g_ptr_array_sort (techs, compare_tech);

  json_builder_set_member_name (b, "technicians");
  json_builder_begin_array (b);
  for (guint i = 0; i < techs->len; i++)
    {
      TechStat *s = g_ptr_array_index (techs, i);
      g_autofree char *name = user_name (db, s->id);

      json_builder_begin_object (b);
      add_int (b, "id", s->id);
      json_builder_set_member_name (b, "display_name");
      if (name != NULL)
        json_builder_add_string_value (b, name);
      else
        json_builder_add_null_value (b);
      add_int (b, "assigned", s->assigned);
      add_int (b, "open", s->open);
      add_int (b, "resolved", s->resolved);
      add_double_or_null (b, "avg_resolution_minutes", s->resolution_sum / USEC_PER_MINUTE,
                          s->resolved);
      add_int (b, "csat_count", s->csat_count);
      add_double_or_null (b, "csat_average", (double) s->csat_sum, s->csat_count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static JsonNode *
build_summary (KefuDb                 *db,
               const KefuReportPeriod *period,
               gint64                  now,
               Totals                 *t)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *from = format_date (period->from_year, period->from_month, period->from_day);
  g_autofree char *to = format_date (period->to_year, period->to_month, period->to_day);
  g_autofree char *generated = kefu_time_to_iso8601 (now / G_USEC_PER_SEC * G_USEC_PER_SEC);
  gint64 n_fr = t->first_response->len;
  gint64 csat_count = 0, csat_sum = 0, met = 0, breached = 0;

  for (int s = 1; s <= 5; s++)
    {
      csat_count += t->csat[s];
      csat_sum += s * t->csat[s];
    }
  for (int p = 0; p <= 4; p++)
    {
      met += t->sla_met[p];
      breached += t->sla_breached[p];
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, from);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, to);
  json_builder_set_member_name (b, "generated_at");
  json_builder_add_string_value (b, generated);
  add_int (b, "tickets", t->tickets);
  add_int (b, "open", t->open);
  add_int (b, "cancelled", t->cancelled);

  json_builder_set_member_name (b, "by_category");
  json_builder_begin_object (b);
  for (int c = 0; c < KEFU_CATEGORY_LAST; c++)
    add_int (b, kefu_category_to_string (c), t->by_category[c]);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "by_channel");
  json_builder_begin_object (b);
  for (int c = 0; c < KEFU_CHANNEL_LAST; c++)
    add_int (b, kefu_channel_to_string (c), t->by_channel[c]);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "by_priority");
  json_builder_begin_object (b);
  for (int p = 1; p <= 4; p++)
    {
      char key[2] = { (char) ('0' + p), '\0' };

      add_int (b, key, t->by_priority[p]);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "first_response");
  json_builder_begin_object (b);
  add_int (b, "count", n_fr);
  add_double_or_null (b, "avg_minutes", t->first_response_sum / USEC_PER_MINUTE, n_fr);
  json_builder_set_member_name (b, "p90_minutes");
  if (n_fr > 0)
    {
      /* Nearest rank: the smallest time that at least 90 % of first responses took. */
      gssize k = (9 * n_fr + 9) / 10 - 1;
      gint64 p90 = select_kth ((gint64 *) (gpointer) t->first_response->data, n_fr, k);

      json_builder_add_double_value (b, (double) p90 / USEC_PER_MINUTE);
    }
  else
    {
      json_builder_add_null_value (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "resolution");
  json_builder_begin_object (b);
  add_int (b, "count", t->resolved);
  add_double_or_null (b, "avg_minutes", t->resolution_sum / USEC_PER_MINUTE, t->resolved);
  json_builder_end_object (b);

  add_rate (b, "resolution_rate", t->resolved, t->considered);

  json_builder_set_member_name (b, "sla");
  json_builder_begin_object (b);
  add_rate (b, "compliance", met, met + breached);
  json_builder_set_member_name (b, "by_priority");
  json_builder_begin_object (b);
  for (int p = 1; p <= 4; p++)
    {
      char key[2] = { (char) ('0' + p), '\0' };

      json_builder_set_member_name (b, key);
      json_builder_begin_object (b);
      add_int (b, "met", t->sla_met[p]);
      add_int (b, "breached", t->sla_breached[p]);
      add_rate (b, "rate", t->sla_met[p], t->sla_met[p] + t->sla_breached[p]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "csat");
  json_builder_begin_object (b);
  add_int (b, "count", csat_count);
  add_double_or_null (b, "average", (double) csat_sum, csat_count);
  json_builder_set_member_name (b, "distribution");
  json_builder_begin_object (b);
  for (int s = 1; s <= 5; s++)
    {
      char key[2] = { (char) ('0' + s), '\0' };

      add_int (b, key, t->csat[s]);
    }
  json_builder_end_object (b);
  add_rate (b, "satisfied_share", t->csat[4] + t->csat[5], csat_count);
  add_rate (b, "basically_satisfied_share", t->csat[3], csat_count);
  add_rate (b, "unsatisfied_share", t->csat[1] + t->csat[2], csat_count);
  json_builder_end_object (b);

  add_rate (b, "reopen_rate", t->reopened, t->ever_resolved);

  json_builder_set_member_name (b, "escalations");
  json_builder_begin_object (b);
  add_int (b, "level1", t->level1);
  add_int (b, "level2", t->level2);
  add_int (b, "total", t->level1 + t->level2);
  json_builder_end_object (b);

  build_subcategories (b, t);
  build_cross (b, t);
  build_technicians (b, db, t);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
kefu_report_summary (KefuDb                 *db,
                     const KefuReportPeriod *period,
                     GTimeZone              *tz,
                     gint64                  now,
                     GError                **error)
{
  const char *path;
  Part parts[PARALLEL_MAX_PARTS] = { 0 };
  GThread *threads[PARALLEL_MAX_PARTS] = { NULL };
  guint n_parts = 1;
  JsonNode *node = NULL;
  gboolean ok;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (period != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  init_codes ();

  /* A long period is cut into slices of time read side by side, one per processor, each on a
   * connection of its own (each sees a committed state; a ticket is in exactly one slice). */
  path = sqlite3_db_filename (kefu_db_handle (db), "main");
  if (period->days >= PARALLEL_MIN_DAYS && path != NULL && *path != '\0')
    n_parts = CLAMP (g_get_num_processors (), 1, PARALLEL_MAX_PARTS);

  for (guint i = 0; i < n_parts; i++)
    {
      parts[i].path = path;
      parts[i].now = now;
      parts[i].start = period->start + (period->end - period->start) / n_parts * i;
      parts[i].end = i + 1 == n_parts ? period->end
                                      : period->start + (period->end - period->start) / n_parts
                                        * (i + 1);
      totals_init (&parts[i].totals);
    }
  for (guint i = 1; i < n_parts; i++)
    threads[i] = g_thread_try_new ("kefu-report", scan_part, &parts[i], &parts[i].error);

  ok = scan (db, parts[0].start, parts[0].end, now, &parts[0].totals, error);

  for (guint i = 1; i < n_parts; i++)
    {
      if (threads[i] != NULL)
        g_thread_join (threads[i]);
      if (parts[i].error != NULL)
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&parts[i].error));
          g_clear_error (&parts[i].error);
          ok = FALSE;
        }
      if (ok)
        totals_merge (&parts[0].totals, &parts[i].totals);
      totals_clear (&parts[i].totals);
    }

  if (ok)
    node = build_summary (db, period, now, &parts[0].totals);
  totals_clear (&parts[0].totals);
  return node;
}

/* ------------------------------------------------------------------------------------------ */
/* CSAT trend                                                                                 */

typedef struct {
  char   *start_text;
  gint64  start;
  gint64  count;
  gint64  sum;
  gint64  satisfied;
} Bucket;

static void
bucket_clear (gpointer data)
{
  Bucket *bucket = data;

  g_free (bucket->start_text);
}

/* The buckets of @period in order: days, or weeks from the Monday on or before `from`. */
static GArray *
make_buckets (const KefuReportPeriod *period,
              GTimeZone              *tz,
              KefuReportBucket        kind)
{
  GArray *buckets = g_array_new (FALSE, TRUE, sizeof (Bucket));
  GDate day;
  GDate last;
  guint step = kind == KEFU_REPORT_BUCKET_WEEK ? 7 : 1;

  g_array_set_clear_func (buckets, bucket_clear);
  g_date_clear (&day, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&day, period->from_day, period->from_month, period->from_year);
  g_date_set_dmy (&last, period->to_day, period->to_month, period->to_year);
  if (kind == KEFU_REPORT_BUCKET_WEEK)
    g_date_subtract_days (&day, g_date_get_weekday (&day) - G_DATE_MONDAY);

  while (g_date_compare (&day, &last) <= 0)
    {
      Bucket bucket = { 0 };

      bucket.start_text = format_date (g_date_get_year (&day), g_date_get_month (&day),
                                       g_date_get_day (&day));
      bucket.start = local_midnight (tz, g_date_get_year (&day), g_date_get_month (&day),
                                     g_date_get_day (&day));
      g_array_append_val (buckets, bucket);
      g_date_add_days (&day, step);
    }

  return buckets;
}

JsonNode *
kefu_report_csat_trend (KefuDb                 *db,
                        const KefuReportPeriod *period,
                        GTimeZone              *tz,
                        KefuReportBucket        kind,
                        GError                **error)
{
  g_autoptr(GArray) buckets = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  sqlite3_stmt *stmt;
  guint current = 0;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (period != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buckets = make_buckets (period, tz, kind);

  /* In primary-key order, so each row's bucket is the current one or a later one. */
  stmt = kefu_db_prepare (db,
                          "SELECT registered_at, " KEFU_FACTS_SQL_SATISFACTION
                          " FROM report_facts WHERE registered_at >= ? AND registered_at < ?"
                          " AND " KEFU_FACTS_SQL_SATISFACTION " <> 0"
                          " AND " KEFU_FACTS_SQL_STATUS " <> "
                          G_STRINGIFY (KEFU_FACTS_STATUS_CANCELLED)
                          " ORDER BY registered_at",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (stmt, 0);
      int satisfaction = sqlite3_column_int (stmt, 1);
      Bucket *bucket;

      while (current + 1 < buckets->len && g_array_index (buckets, Bucket, current + 1).start <= at)
        current++;
      bucket = &g_array_index (buckets, Bucket, current);
      bucket->count++;
      bucket->sum += satisfaction;
      if (satisfaction >= 4)
        bucket->satisfied++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      return NULL;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bucket");
  json_builder_add_string_value (b, kind == KEFU_REPORT_BUCKET_WEEK ? "week" : "day");
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < buckets->len; i++)
    {
      Bucket *bucket = &g_array_index (buckets, Bucket, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "start");
      json_builder_add_string_value (b, bucket->start_text);
      add_int (b, "count", bucket->count);
      add_double_or_null (b, "average", (double) bucket->sum, bucket->count);
      add_rate (b, "satisfied_share", bucket->satisfied, bucket->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* ------------------------------------------------------------------------------------------ */
/* CSV                                                                                        */

/* One RFC 4180 field: quoted when it holds a comma, a quote or a line break. Text that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return: a
 * subcategory typed as "=HYPERLINK(…)") gets a leading apostrophe, which spreadsheets show
 * as text and do not evaluate (OWASP "CSV injection"). Numbers are not written through here. */
static void
csv_field (GString    *out,
           const char *text,
           gboolean    last)
{
  if (text != NULL && *text != '\0')
    {
      gboolean quote = strpbrk (text, ",\"\r\n") != NULL;

      if (quote)
        g_string_append_c (out, '"');
      if (strchr ("=+-@\t\r", *text) != NULL)
        g_string_append_c (out, '\'');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      if (quote)
        g_string_append_c (out, '"');
    }
  g_string_append (out, last ? "\r\n" : ",");
}

static void
csv_minutes (GString *out,
             gint64   usec)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.1f", (double) usec / USEC_PER_MINUTE);
  g_string_append (out, buf);
  g_string_append_c (out, ',');
}

static char *
local_time (GTimeZone *tz,
            gint64     usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

/* "by_category.quality", "sla.by_priority.1.rate", "technicians.1.display_name" … */
static void
csv_flatten (GString    *out,
             const char *prefix,
             JsonNode   *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_autofree char *key = prefix ? g_strdup_printf ("%s.%s", prefix, name)
                                        : g_strdup (name);

          csv_flatten (out, key, member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *key = g_strdup_printf ("%s.%u", prefix, i + 1);

          csv_flatten (out, key, json_array_get_element (array, i));
        }
    }
  else
    {
      g_autofree char *value = NULL;

      csv_field (out, prefix, FALSE);
      if (JSON_NODE_HOLDS_NULL (node))
        value = g_strdup ("");
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          value = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4f",
                                             json_node_get_double (node)));
        }
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        value = g_strdup (json_node_get_boolean (node) ? "true" : "false");
      else
        {
          csv_field (out, json_node_get_string (node), TRUE);
          return;
        }

      /* A number or a boolean: as it is. */
      g_string_append (out, value);
      g_string_append (out, "\r\n");
    }
}

GBytes *
kefu_report_export_csv (KefuDb                 *db,
                        const KefuReportPeriod *period,
                        GTimeZone              *tz,
                        gint64                  now,
                        GError                **error)
{
  g_autoptr(JsonNode) summary = NULL;
  GString *out;
  sqlite3_stmt *stmt;
  gint64 rows = 0;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (period != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  init_codes ();
  summary = kefu_report_summary (db, period, tz, now, error);
  if (summary == NULL)
    return NULL;

  stmt = kefu_db_prepare (db,
                          "SELECT t.number, f.registered_at, f.codes, f.subcategory,"
                          " u.display_name, f.department, f.first_response_at, f.resolved_at,"
                          " f.response_due, f.resolve_due"
                          " FROM report_facts f JOIN tickets t ON t.id = f.ticket_id"
                          " LEFT JOIN users u ON u.id = f.assignee_id"
                          " WHERE f.registered_at >= ? AND f.registered_at < ?"
                          " ORDER BY f.registered_at, f.ticket_id",
                          error);
  if (stmt == NULL)
    return NULL;

  out = g_string_sized_new (4096);
  g_string_append (out, "\xEF\xBB\xBF");
  g_string_append (out, "number,registered_at,channel,category,subcategory,priority,status,"
                        "assignee,department,first_response_minutes,resolution_minutes,sla_met,"
                        "escalation_level,reopened,satisfaction\r\n");

  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *registered = NULL;
      gint64 registered_at = sqlite3_column_int64 (stmt, 1);
      gint64 codes = sqlite3_column_int64 (stmt, 2);
      gint64 first_response_at = column_time (stmt, 6);
      gint64 resolved_at = column_time (stmt, 7);
      int status = KEFU_FACTS_STATUS (codes);
      int category = KEFU_FACTS_CATEGORY (codes);
      int channel = KEFU_FACTS_CHANNEL (codes);
      int outcome;

      if (++rows > KEFU_REPORT_CSV_MAX_ROWS)
        {
          sqlite3_reset (stmt);
          g_string_free (out, TRUE);
          kefu_set_field_error (error, "to",
                                "the period holds more than %d tickets: export a shorter one",
                                KEFU_REPORT_CSV_MAX_ROWS);
          return NULL;
        }

      registered = local_time (tz, registered_at);
      csv_field (out, kefu_db_column_text (stmt, 0), FALSE);
      csv_field (out, registered, FALSE);
      csv_field (out, channel < KEFU_FACTS_N_CHANNELS ? kefu_report_channel_words[channel]
                                                       : NULL, FALSE);
      csv_field (out, category < KEFU_FACTS_N_CATEGORIES ? kefu_report_category_words[category]
                                                          : NULL, FALSE);
      csv_field (out, kefu_db_column_text (stmt, 3), FALSE);
      g_string_append_printf (out, "%d,", KEFU_FACTS_PRIORITY (codes));
      csv_field (out, status < KEFU_FACTS_N_STATUSES ? kefu_report_status_words[status] : NULL,
                 FALSE);
      csv_field (out, kefu_db_column_text (stmt, 4), FALSE);
      csv_field (out, kefu_db_column_text (stmt, 5), FALSE);
      if (first_response_at != 0)
        csv_minutes (out, MAX (first_response_at - registered_at, 0));
      else
        g_string_append_c (out, ',');
      if (resolved_at != 0)
        csv_minutes (out, MAX (resolved_at - registered_at, 0));
      else
        g_string_append_c (out, ',');

      outcome = status_cancelled[status]
                ? KEFU_REPORT_SLA_UNDECIDED
                : ticket_outcome (KEFU_FACTS_RESPONSE_SLA (codes), column_time (stmt, 8),
                                  KEFU_FACTS_RESOLVE_SLA (codes), column_time (stmt, 9), now);
      csv_field (out, outcome == KEFU_REPORT_SLA_MET ? "yes"
                      : outcome == KEFU_REPORT_SLA_BREACHED ? "no" : NULL, FALSE);
      g_string_append_printf (out, "%d,%d,", KEFU_FACTS_LEVEL (codes),
                              KEFU_FACTS_REOPENED (codes));
      if (KEFU_FACTS_SATISFACTION (codes) != 0)
        g_string_append_printf (out, "%d", KEFU_FACTS_SATISFACTION (codes));
      g_string_append (out, "\r\n");
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_string_free (out, TRUE);
      kefu_db_fail (db, error);
      return NULL;
    }

  g_string_append (out, "\r\nmetric,value\r\n");
  csv_flatten (out, NULL, summary);

  return g_string_free_to_bytes (out);
}

/* ------------------------------------------------------------------------------------------ */
/* On a worker thread                                                                         */

typedef struct {
  char             *path;
  KefuReportKind    kind;
  KefuReportPeriod  period;
  KefuReportBucket  bucket;
  GTimeZone        *tz;
  gint64            now;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_free (run->path);
  g_clear_pointer (&run->tz, g_time_zone_unref);
  g_free (run);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  g_autoptr(KefuDb) db = NULL;
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;
  GDestroyNotify destroy = (GDestroyNotify) json_node_unref;

  db = kefu_db_open (run->path, TRUE, &error);
  if (db == NULL || !kefu_db_exec (db, REPORT_CONNECTION_SQL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One read transaction: every query of the report sees the same snapshot. */
  switch (run->kind)
    {
    case KEFU_REPORT_SUMMARY:
      result = kefu_report_summary (db, &run->period, run->tz, run->now, &error);
      break;
    case KEFU_REPORT_CSAT_TREND:
      result = kefu_report_csat_trend (db, &run->period, run->tz, run->bucket, &error);
      break;
    case KEFU_REPORT_CSV:
      result = kefu_report_export_csv (db, &run->period, run->tz, run->now, &error);
      destroy = (GDestroyNotify) g_bytes_unref;
      break;
    default:
      g_assert_not_reached ();
    }
  kefu_db_exec (db, "COMMIT;", NULL);

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, destroy);
}

void
kefu_report_run_async (const char             *db_path,
                       KefuReportKind          kind,
                       const KefuReportPeriod *period,
                       KefuReportBucket        bucket,
                       GTimeZone              *tz,
                       gint64                  now,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (period != NULL);
  g_return_if_fail (tz != NULL);

  run = g_new0 (RunData, 1);
  run->path = g_strdup (db_path);
  run->kind = kind;
  run->period = *period;
  run->bucket = bucket;
  run->tz = g_time_zone_ref (tz);
  run->now = now;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_report_run_async);
  g_task_set_task_data (task, run, run_data_free);
  g_task_run_in_thread (task, run_thread);
}

gpointer
kefu_report_run_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kefu_report_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
