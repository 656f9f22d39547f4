/* kefu-report-data.h — the report's numbers as people read them: tiles, charts, periods
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the Reports page and the PDF report, so that both say the same thing. The inputs
 * are the JSON objects of GET /reports/summary and GET /reports/csat-trend (docs/protocol.md).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kefu-chart.h"

G_BEGIN_DECLS

/* The KPI tiles, in the order shown. */
typedef enum {
  KEFU_REPORT_TILE_TICKETS,
  KEFU_REPORT_TILE_FIRST_RESPONSE_AVG,
  KEFU_REPORT_TILE_FIRST_RESPONSE_P90,
  KEFU_REPORT_TILE_RESOLUTION_AVG,
  KEFU_REPORT_TILE_RESOLUTION_RATE,
  KEFU_REPORT_TILE_SLA_COMPLIANCE,
  KEFU_REPORT_TILE_CSAT_AVERAGE,
  KEFU_REPORT_TILE_CSAT_SATISFIED,
  KEFU_REPORT_TILE_REOPEN_RATE,
  KEFU_REPORT_TILE_ESCALATIONS,
  KEFU_REPORT_N_TILES
} KefuReportTile;

/* The charts, in the order shown. */
typedef enum {
  KEFU_REPORT_CHART_CSAT_TREND,
  KEFU_REPORT_CHART_SCORES,
  KEFU_REPORT_CHART_CATEGORIES,
  KEFU_REPORT_CHART_SLA,
  KEFU_REPORT_CHART_SUBCATEGORIES,
  KEFU_REPORT_N_CHARTS
} KefuReportChart;

/* "Tickets", "First response (average)", … (translated, static). */
const char *kefu_report_tile_title      (KefuReportTile   tile);
/* The tile's big value ("123", "52 min", "93 %", "4.2", "—" when there is none); never NULL. */
char       *kefu_report_tile_value      (KefuReportTile   tile,
                                         JsonObject      *summary);
/* The small line under it ("10 open · 2 cancelled"), or NULL. */
char       *kefu_report_tile_detail     (KefuReportTile   tile,
                                         JsonObject      *summary);

const char *kefu_report_chart_title     (KefuReportChart  chart);
/* Sets @chart's kind, unit, range, title and points from the answers (@trend may be NULL). */
void        kefu_report_chart_setup     (KefuChart       *chart,
                                         KefuReportChart  chart_id,
                                         JsonObject      *summary,
                                         JsonObject      *trend);

/* "35 min", "2 h 5 min", "1 d 6 h"; "—" for NAN. */
char       *kefu_report_format_minutes  (double           minutes);
/* "93 %"; "—" for NAN. */
char       *kefu_report_format_rate     (double           rate);

/* A member as a number, NAN when missing or null. @path is dotted: "first_response.avg_minutes". */
double      kefu_report_get_number      (JsonObject      *object,
                                         const char      *path);

/* "16 – 22 Nov 2026", "28 Nov – 4 Dec 2026", "Mon 16 Nov 2026" (one day). */
char       *kefu_report_period_text     (GDate           *from,
                                         GDate           *to);
/* "2026-11-16" */
char       *kefu_report_date_iso        (GDate           *date);
/* Parses "2026-11-16"; FALSE when it is not such a date. */
gboolean    kefu_report_date_parse      (const char      *text,
                                         GDate           *date);

G_END_DECLS
