/* kefu-report-data.c — the report's numbers as people read them: tiles, charts, periods
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-report-data"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kefu-enums.h"
#include "kefu-report-data.h"
#include "kefu-ticket-text.h"

#define NONE "—"

/* ---- reading the answers ----------------------------------------------------------------- */

static JsonNode *
get_node (JsonObject *object,
          const char *path)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = NULL;

  if (object == NULL)
    return NULL;

  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (object == NULL || !json_object_has_member (object, parts[i]))
        return NULL;
      node = json_object_get_member (object, parts[i]);
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }

  return node;
}

double
kefu_report_get_number (JsonObject *object,
                        const char *path)
{
  JsonNode *node;

  g_return_val_if_fail (path != NULL, NAN);

  node = get_node (object, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return NAN;
    }
}

static JsonObject *
get_object (JsonObject *object,
            const char *path)
{
  JsonNode *node = get_node (object, path);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *path)
{
  JsonNode *node = get_node (object, path);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static int
get_count (JsonObject *object,
           const char *path)
{
  double value = kefu_report_get_number (object, path);

  return isfinite (value) ? (int) value : 0;
}

/* ---- formats ----------------------------------------------------------------------------- */

char *
kefu_report_format_minutes (double minutes)
{
  gint64 total;
  gint64 days;
  gint64 hours;
  gint64 mins;

  if (!isfinite (minutes))
    return g_strdup (NONE);

  total = (gint64) llround (MAX (minutes, 0));
  days = total / (24 * 60);
  hours = (total / 60) % 24;
  mins = total % 60;

  if (total < 60)
    /* Translators: a duration in minutes */
    return g_strdup_printf (_("%d min"), (int) total);
  if (days == 0 && mins == 0)
    /* Translators: a duration in hours */
    return g_strdup_printf (_("%d h"), (int) hours);
  if (days == 0)
    /* Translators: a duration in hours and minutes */
    return g_strdup_printf (_("%d h %d min"), (int) hours, (int) mins);
  if (hours == 0)
    /* Translators: a duration in days (of 24 hours) */
    return g_strdup_printf (_("%d d"), (int) days);
  /* Translators: a duration in days (of 24 hours) and hours */
  return g_strdup_printf (_("%d d %d h"), (int) days, (int) hours);
}

char *
kefu_report_format_rate (double rate)
{
  if (!isfinite (rate))
    return g_strdup (NONE);
  return kefu_chart_format_value (KEFU_CHART_UNIT_PERCENT, rate);
}

char *
kefu_report_date_iso (GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

gboolean
kefu_report_date_parse (const char *text,
                        GDate      *date)
{
  unsigned year, month, day;
  char end;

  g_return_val_if_fail (date != NULL, FALSE);

  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3
      || strlen (text) != 10 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static char *
format_date (GDate      *date,
             const char *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (g_date_get_year (date),
                                                     g_date_get_month (date),
                                                     g_date_get_day (date), 12, 0, 0);

  return g_date_time_format (time, format);
}

char *
kefu_report_period_text (GDate *from,
                         GDate *to)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  g_return_val_if_fail (from != NULL && g_date_valid (from), NULL);
  g_return_val_if_fail (to != NULL && g_date_valid (to), NULL);

  if (g_date_compare (from, to) == 0)
    /* Translators: a report period of one day (a g_date_time_format() format) */
    return format_date (from, C_("period of one day", "%a %-d %b %Y"));

  if (g_date_get_year (from) == g_date_get_year (to))
    /* Translators: the start of a report period within one year (a g_date_time_format()
     * format); the end follows with "period end" */
    start = format_date (from, C_("period start", "%-d %b"));
  else
    /* Translators: the start of a report period over two years (a g_date_time_format()
     * format) */
    start = format_date (from, C_("period start, other year", "%-d %b %Y"));
  /* Translators: the end of a report period (a g_date_time_format() format) */
  end = format_date (to, C_("period end", "%-d %b %Y"));

  /* Translators: a report period, "16 Nov – 22 Nov 2026" */
  return g_strdup_printf (_("%s – %s"), start, end);
}

/* ---- tiles ------------------------------------------------------------------------------- */

const char *
kefu_report_tile_title (KefuReportTile tile)
{
  switch (tile)
    {
    case KEFU_REPORT_TILE_TICKETS:
      return C_("report tile", "Tickets");
    case KEFU_REPORT_TILE_FIRST_RESPONSE_AVG:
      return _("First Response");
    case KEFU_REPORT_TILE_FIRST_RESPONSE_P90:
      return _("First Response (P90)");
    case KEFU_REPORT_TILE_RESOLUTION_AVG:
      return _("Resolution Time");
    case KEFU_REPORT_TILE_RESOLUTION_RATE:
      return _("Resolution Rate");
    case KEFU_REPORT_TILE_SLA_COMPLIANCE:
      return _("Deadlines Met");
    case KEFU_REPORT_TILE_CSAT_AVERAGE:
      return _("Satisfaction");
    case KEFU_REPORT_TILE_CSAT_SATISFIED:
      return _("Satisfied Customers");
    case KEFU_REPORT_TILE_REOPEN_RATE:
      return _("Reopen Rate");
    case KEFU_REPORT_TILE_ESCALATIONS:
      return _("Escalations");
    case KEFU_REPORT_N_TILES:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
kefu_report_tile_value (KefuReportTile  tile,
                        JsonObject     *summary)
{
  double value;

  switch (tile)
    {
    case KEFU_REPORT_TILE_TICKETS:
      return g_strdup_printf ("%d", get_count (summary, "tickets"));
    case KEFU_REPORT_TILE_FIRST_RESPONSE_AVG:
      return kefu_report_format_minutes (kefu_report_get_number (summary,
                                                                 "first_response.avg_minutes"));
    case KEFU_REPORT_TILE_FIRST_RESPONSE_P90:
      return kefu_report_format_minutes (kefu_report_get_number (summary,
                                                                 "first_response.p90_minutes"));
    case KEFU_REPORT_TILE_RESOLUTION_AVG:
      return kefu_report_format_minutes (kefu_report_get_number (summary,
                                                                 "resolution.avg_minutes"));
    case KEFU_REPORT_TILE_RESOLUTION_RATE:
      return kefu_report_format_rate (kefu_report_get_number (summary, "resolution_rate"));
    case KEFU_REPORT_TILE_SLA_COMPLIANCE:
      return kefu_report_format_rate (kefu_report_get_number (summary, "sla.compliance"));
    case KEFU_REPORT_TILE_CSAT_AVERAGE:
      value = kefu_report_get_number (summary, "csat.average");
      return isfinite (value) ? g_strdup_printf ("%.1f", value) : g_strdup (NONE);
    case KEFU_REPORT_TILE_CSAT_SATISFIED:
      return kefu_report_format_rate (kefu_report_get_number (summary, "csat.satisfied_share"));
    case KEFU_REPORT_TILE_REOPEN_RATE:
      return kefu_report_format_rate (kefu_report_get_number (summary, "reopen_rate"));
    case KEFU_REPORT_TILE_ESCALATIONS:
      return g_strdup_printf ("%d", get_count (summary, "escalations.total"));
    case KEFU_REPORT_N_TILES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
sla_totals (JsonObject *summary,
            int        *met,
            int        *breached)
{
  JsonObject *by_priority = get_object (summary, "sla.by_priority");

  *met = 0;
  *breached = 0;
  for (int p = 1; p <= 4; p++)
    {
      char key[2] = { (char) ('0' + p), '\0' };
      JsonObject *one = get_object (by_priority, key);

      *met += get_count (one, "met");
      *breached += get_count (one, "breached");
    }
}

char *
kefu_report_tile_detail (KefuReportTile  tile,
                         JsonObject     *summary)
{
  int count;

  switch (tile)
    {
    case KEFU_REPORT_TILE_TICKETS:
      /* Translators: under the number of tickets of a report period */
      return g_strdup_printf (_("%d still open · %d cancelled"), get_count (summary, "open"),
                              get_count (summary, "cancelled"));
    case KEFU_REPORT_TILE_FIRST_RESPONSE_AVG:
      count = get_count (summary, "first_response.count");
      return g_strdup_printf (ngettext ("average of %d ticket", "average of %d tickets",
                                        (gulong) count), count);
    case KEFU_REPORT_TILE_FIRST_RESPONSE_P90:
      return g_strdup (_("9 in 10 answered within this time"));
    case KEFU_REPORT_TILE_RESOLUTION_AVG:
      count = get_count (summary, "resolution.count");
      return g_strdup_printf (ngettext ("average of %d resolved ticket",
                                        "average of %d resolved tickets", (gulong) count), count);
    case KEFU_REPORT_TILE_RESOLUTION_RATE:
      return g_strdup (_("of the tickets registered"));
    case KEFU_REPORT_TILE_SLA_COMPLIANCE:
      {
        int met;
        int breached;

        sla_totals (summary, &met, &breached);
        /* Translators: under the share of deadlines met */
        return g_strdup_printf (_("%d met · %d missed"), met, breached);
      }
    case KEFU_REPORT_TILE_CSAT_AVERAGE:
      count = get_count (summary, "csat.count");
      /* Translators: under the average satisfaction (1–5) */
      return g_strdup_printf (ngettext ("out of 5 · %d rating", "out of 5 · %d ratings",
                                        (gulong) count), count);
    case KEFU_REPORT_TILE_CSAT_SATISFIED:
      {
        g_autofree char *basic = kefu_report_format_rate (
          kefu_report_get_number (summary, "csat.basically_satisfied_share"));
        g_autofree char *unsatisfied = kefu_report_format_rate (
          kefu_report_get_number (summary, "csat.unsatisfied_share"));

        /* Translators: under the share of satisfied customers (scores 4–5); the shares of
         * scores 3 and 1–2 */
        return g_strdup_printf (_("basically %s · unsatisfied %s"), basic, unsatisfied);
      }
    case KEFU_REPORT_TILE_REOPEN_RATE:
      return g_strdup (_("of the tickets resolved"));
    case KEFU_REPORT_TILE_ESCALATIONS:
      /* Translators: escalations to the supervisors (level 1) and the director (level 2) */
      return g_strdup_printf (_("%d to supervisors · %d to the director"),
                              get_count (summary, "escalations.level1"),
                              get_count (summary, "escalations.level2"));
    case KEFU_REPORT_N_TILES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- charts ------------------------------------------------------------------------------ */

const char *
kefu_report_chart_title (KefuReportChart chart)
{
  switch (chart)
    {
    case KEFU_REPORT_CHART_CSAT_TREND:
      return _("Satisfaction Trend");
    case KEFU_REPORT_CHART_SCORES:
      return _("Satisfaction Scores");
    case KEFU_REPORT_CHART_CATEGORIES:
      return _("Tickets by Category");
    case KEFU_REPORT_CHART_SLA:
      return _("Deadlines Met by Priority");
    case KEFU_REPORT_CHART_SUBCATEGORIES:
      return _("Most Frequent Issues");
    case KEFU_REPORT_N_CHARTS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The points' strings live until the chart copied them. */
typedef struct {
  GArray    *points;
  GPtrArray *strings;
} Points;

static void
points_init (Points *points)
{
  points->points = g_array_new (FALSE, TRUE, sizeof (KefuChartPoint));
  points->strings = g_ptr_array_new_with_free_func (g_free);
}

static const char *
points_keep (Points *points,
             char   *string)
{
  if (string != NULL)
    g_ptr_array_add (points->strings, string);
  return string;
}

static void
points_add (Points        *points,
            const char    *label,
            double         value,
            char          *value_text,
            char          *detail,
            KefuChartTone  tone)
{
  KefuChartPoint point = {
    .label = label,
    .value = value,
    .value_text = points_keep (points, value_text),
    .detail = points_keep (points, detail),
    .tone = tone,
  };

  g_array_append_val (points->points, point);
}

static void
points_apply (Points    *points,
              KefuChart *chart)
{
  kefu_chart_set_points (chart, (KefuChartPoint *) points->points->data, points->points->len);
  g_array_unref (points->points);
  g_ptr_array_unref (points->strings);
}

static KefuChartTone
rate_tone (double rate)
{
  if (rate >= 0.9)
    return KEFU_CHART_TONE_SUCCESS;
  if (rate >= 0.75)
    return KEFU_CHART_TONE_WARNING;
  return KEFU_CHART_TONE_ERROR;
}

static void
setup_trend (Points     *points,
             JsonObject *trend)
{
  JsonArray *array = get_array (trend, "points");
  gboolean weeks = g_strcmp0 (json_object_get_string_member_with_default (trend, "bucket", "day"),
                              "week") == 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *point = json_array_get_object_element (array, i);
      const char *start;
      int count;
      double average;
      GDate date;
      char *label;

      if (point == NULL)
        continue;
      start = json_object_get_string_member_with_default (point, "start", NULL);
      count = get_count (point, "count");
      average = count > 0 ? kefu_report_get_number (point, "average") : NAN;
      if (!kefu_report_date_parse (start, &date))
        continue;

      if (weeks)
        /* Translators: a week on the trend chart's axis (a g_date_time_format() format) */
        label = format_date (&date, C_("chart week", "w/c %-d %b"));
      else
        /* Translators: a day on the trend chart's axis (a g_date_time_format() format) */
        label = format_date (&date, C_("chart day", "%-d %b"));

      points_add (points, points_keep (points, label), average, NULL,
                  g_strdup_printf (ngettext ("%d rating", "%d ratings", (gulong) count), count),
                  KEFU_CHART_TONE_ACCENT);
    }
}

static void
setup_scores (Points     *points,
              JsonObject *summary)
{
  static const char *labels[] = { "1", "2", "3", "4", "5" };
  static const KefuChartTone tones[] = {
    KEFU_CHART_TONE_ERROR, KEFU_CHART_TONE_ERROR, KEFU_CHART_TONE_WARNING,
    KEFU_CHART_TONE_SUCCESS, KEFU_CHART_TONE_SUCCESS,
  };
  static const char *meanings[] = {
    N_("unsatisfied"), N_("unsatisfied"), N_("basically satisfied"), N_("satisfied"),
    N_("satisfied"),
  };
  JsonObject *distribution = get_object (summary, "csat.distribution");
  int total = get_count (summary, "csat.count");

  if (total <= 0)
    return;

  for (guint i = 0; i < 5; i++)
    {
      int count = get_count (distribution, labels[i]);

      /* Translators: a bar of the satisfaction scores: its meaning and share */
      points_add (points, labels[i], count, NULL,
                  g_strdup_printf (_("%s, %.0f %%"), _(meanings[i]), 100.0 * count / total),
                  tones[i]);
    }
}

static void
setup_categories (Points     *points,
                  JsonObject *summary)
{
  JsonObject *by_category = get_object (summary, "by_category");
  int total = get_count (summary, "tickets");

  if (total <= 0)
    return;

  for (KefuCategory c = 0; c < KEFU_CATEGORY_LAST; c++)
    {
      int count = get_count (by_category, kefu_category_to_string (c));

      points_add (points, kefu_text_category (c), count, NULL,
                  kefu_report_format_rate ((double) count / total), KEFU_CHART_TONE_ACCENT);
    }
}

static void
setup_sla (Points     *points,
           JsonObject *summary)
{
  JsonObject *by_priority = get_object (summary, "sla.by_priority");
  gboolean any = FALSE;

  for (int p = 1; p <= 4; p++)
    {
      char key[2] = { (char) ('0' + p), '\0' };
      JsonObject *one = get_object (by_priority, key);

      if (get_count (one, "met") + get_count (one, "breached") > 0)
        any = TRUE;
    }
  if (!any)
    return;

  for (int p = 1; p <= 4; p++)
    {
      char key[2] = { (char) ('0' + p), '\0' };
      JsonObject *one = get_object (by_priority, key);
      double rate = kefu_report_get_number (one, "rate");

      /* Translators: under a bar of deadlines met: how many were met and missed */
      points_add (points, kefu_text_priority (p), rate, NULL,
                  g_strdup_printf (_("%d met, %d missed"), get_count (one, "met"),
                                   get_count (one, "breached")),
                  isfinite (rate) ? rate_tone (rate) : KEFU_CHART_TONE_NEUTRAL);
    }
}

static void
setup_subcategories (Points     *points,
                     JsonObject *summary)
{
  JsonArray *top = get_array (summary, "top_subcategories");

  for (guint i = 0; top != NULL && i < json_array_get_length (top) && i < 8; i++)
    {
      JsonObject *one = json_array_get_object_element (top, i);
      const char *subcategory;
      const char *category;
      KefuCategory c;
      g_autofree char *share = NULL;

      if (one == NULL)
        continue;
      subcategory = json_object_get_string_member_with_default (one, "subcategory", "");
      category = json_object_get_string_member_with_default (one, "category", NULL);
      share = kefu_report_format_rate (kefu_report_get_number (one, "share"));
      if (category != NULL && kefu_category_from_string (category, &c))
        category = kefu_text_category (c);

      points_add (points, subcategory, kefu_report_get_number (one, "count"), NULL,
                  /* Translators: a frequent issue's category and its share of the tickets */
                  g_strdup_printf (_("%s, %s of the tickets"), category != NULL ? category : "",
                                   share),
                  KEFU_CHART_TONE_ACCENT);
    }
}

void
kefu_report_chart_setup (KefuChart       *chart,
                         KefuReportChart  chart_id,
                         JsonObject      *summary,
                         JsonObject      *trend)
{
  Points points;

  g_return_if_fail (KEFU_IS_CHART (chart));
  g_return_if_fail (chart_id < KEFU_REPORT_N_CHARTS);

  points_init (&points);
  kefu_chart_set_title (chart, kefu_report_chart_title (chart_id));

  switch (chart_id)
    {
    case KEFU_REPORT_CHART_CSAT_TREND:
      kefu_chart_set_kind (chart, KEFU_CHART_KIND_LINE);
      kefu_chart_set_unit (chart, KEFU_CHART_UNIT_SCORE);
      kefu_chart_set_range (chart, 1, 5);
      kefu_chart_set_empty_text (chart, _("No satisfaction ratings in this period"));
      if (trend != NULL)
        setup_trend (&points, trend);
      break;

    case KEFU_REPORT_CHART_SCORES:
      kefu_chart_set_kind (chart, KEFU_CHART_KIND_COLUMNS);
      kefu_chart_set_unit (chart, KEFU_CHART_UNIT_COUNT);
      kefu_chart_set_range (chart, 0, 0);
      kefu_chart_set_empty_text (chart, _("No satisfaction ratings in this period"));
      setup_scores (&points, summary);
      break;

    case KEFU_REPORT_CHART_CATEGORIES:
      kefu_chart_set_kind (chart, KEFU_CHART_KIND_BARS);
      kefu_chart_set_unit (chart, KEFU_CHART_UNIT_COUNT);
      kefu_chart_set_range (chart, 0, 0);
      kefu_chart_set_empty_text (chart, _("No tickets in this period"));
      setup_categories (&points, summary);
      break;

    case KEFU_REPORT_CHART_SLA:
      kefu_chart_set_kind (chart, KEFU_CHART_KIND_COLUMNS);
      kefu_chart_set_unit (chart, KEFU_CHART_UNIT_PERCENT);
      kefu_chart_set_range (chart, 0, 1);
      kefu_chart_set_empty_text (chart, _("No deadline was due in this period"));
      setup_sla (&points, summary);
      break;

    case KEFU_REPORT_CHART_SUBCATEGORIES:
      kefu_chart_set_kind (chart, KEFU_CHART_KIND_BARS);
      kefu_chart_set_unit (chart, KEFU_CHART_UNIT_COUNT);
      kefu_chart_set_range (chart, 0, 0);
      kefu_chart_set_empty_text (chart, _("No subcategories recorded in this period"));
      setup_subcategories (&points, summary);
      break;

    case KEFU_REPORT_N_CHARTS:
    default:
      g_assert_not_reached ();
    }

  points_apply (&points, chart);
}
