/* kefu-reports.h — the manager's reports: summary, CSAT trend and CSV export of a period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every metric is defined in docs/reports.md. They are computed from report_facts
 * (kefu-report-facts.h) on a connection of the caller's: kefu_report_run_async() runs them on a
 * worker thread with a read-only connection of its own, so a report over years of tickets
 * never blocks the main loop.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kefu-db.h"

G_BEGIN_DECLS

/* The longest period a report may cover, in days. */
#define KEFU_REPORT_MAX_DAYS     3700
/* The most tickets one CSV export holds (about 150 bytes each). */
#define KEFU_REPORT_CSV_MAX_ROWS 250000

/* A period of whole days in the server's time zone, both ends inclusive. */
typedef struct {
  int     from_year, from_month, from_day;
  int     to_year, to_month, to_day;
  guint   days;            /* to − from + 1 */
  gint64  start;           /* from, 00:00 local, µs since the epoch */
  gint64  end;             /* the day after to, 00:00 local (exclusive) */
} KefuReportPeriod;

typedef enum {
  KEFU_REPORT_BUCKET_DAY,
  KEFU_REPORT_BUCKET_WEEK,   /* weeks start on Monday */
} KefuReportBucket;

typedef enum {
  KEFU_REPORT_SUMMARY,       /* → JsonNode */
  KEFU_REPORT_CSAT_TREND,    /* → JsonNode */
  KEFU_REPORT_CSV,           /* → GBytes */
} KefuReportKind;

/* Parses the query parameters `from` and `to` (YYYY-MM-DD). KEFU_ERROR_VALIDATION_FAILED with
 * field "from" or "to" when missing, malformed, not a date, to < from or longer than
 * KEFU_REPORT_MAX_DAYS. */
gboolean  kefu_report_period_parse  (const char        *from,
                                     const char        *to,
                                     GTimeZone         *tz,
                                     KefuReportPeriod  *out,
                                     GError           **error);
/* "day" (also NULL) or "week"; field "bucket" otherwise. */
gboolean  kefu_report_bucket_parse  (const char        *text,
                                     KefuReportBucket  *out,
                                     GError           **error);

/* @now decides the clocks still running: a due at or before it counts as breached. */
JsonNode *kefu_report_summary       (KefuDb                 *db,
                                     const KefuReportPeriod *period,
                                     GTimeZone              *tz,
                                     gint64                  now,
                                     GError                **error);
JsonNode *kefu_report_csat_trend    (KefuDb                 *db,
                                     const KefuReportPeriod *period,
                                     GTimeZone              *tz,
                                     KefuReportBucket        bucket,
                                     GError                **error);
/* UTF-8 with a BOM, CRLF lines, RFC 4180 quoting. KEFU_ERROR_VALIDATION_FAILED (field "to")
 * when the period holds more than KEFU_REPORT_CSV_MAX_ROWS tickets. */
GBytes   *kefu_report_export_csv    (KefuDb                 *db,
                                     const KefuReportPeriod *period,
                                     GTimeZone              *tz,
                                     gint64                  now,
                                     GError                **error);

/* Runs one report on a worker thread with its own read-only connection to @db_path (one
 * snapshot of the database). Finish with kefu_report_run_finish(): a JsonNode or a GBytes
 * according to @kind (free with json_node_unref / g_bytes_unref). */
void      kefu_report_run_async     (const char             *db_path,
                                     KefuReportKind          kind,
                                     const KefuReportPeriod *period,
                                     KefuReportBucket        bucket,
                                     GTimeZone              *tz,
                                     gint64                  now,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data);
gpointer  kefu_report_run_finish    (GAsyncResult           *result,
                                     GError                **error);

G_END_DECLS
