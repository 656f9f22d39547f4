/* kefu-reports-page.h — a period's numbers, charts and technicians, for supervisors and
 * managers
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-chart.h"
#include "kefu-connection.h"
#include "kefu-report-data.h"

G_BEGIN_DECLS

typedef enum {
  KEFU_REPORT_PERIOD_THIS_WEEK,    /* Monday to today */
  KEFU_REPORT_PERIOD_LAST_WEEK,    /* Monday to Sunday before */
  KEFU_REPORT_PERIOD_THIS_MONTH,   /* the 1st to today */
  KEFU_REPORT_PERIOD_CUSTOM,
} KefuReportPeriod;

#define KEFU_TYPE_REPORTS_PAGE (kefu_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (KefuReportsPage, kefu_reports_page, KEFU, REPORTS_PAGE, AdwBin)

/* The page loads GET /reports/summary and /reports/csat-trend for its period when it is shown
 * (and the user is a supervisor or a manager; others read why not), and again, at most every
 * two seconds, while ticket and alert events arrive. Property "can-export" (read-only): a
 * report is loaded, so the export actions make sense. */
void              kefu_reports_page_set_connection (KefuReportsPage  *self,
                                                    KefuConnection   *connection);

KefuReportPeriod  kefu_reports_page_get_period     (KefuReportsPage  *self);
/* THIS_WEEK, LAST_WEEK or THIS_MONTH, counted from today. */
void              kefu_reports_page_select_period  (KefuReportsPage  *self,
                                                    KefuReportPeriod  period);
/* A custom period, both days inclusive (@to not before @from). */
void              kefu_reports_page_set_custom_period (KefuReportsPage *self,
                                                    GDate            *from,
                                                    GDate            *to);
/* The first and last day of the period shown. */
void              kefu_reports_page_get_dates      (KefuReportsPage  *self,
                                                    GDate            *from,
                                                    GDate            *to);

/* Loads the report again now. */
void              kefu_reports_page_refresh        (KefuReportsPage  *self);
gboolean          kefu_reports_page_get_can_export (KefuReportsPage  *self);

/* Asks where to save (a file chooser), then saves the server's CSV or writes the PDF; says
 * how it went in a toast of the window's toast overlay (@toasts, nullable). */
void              kefu_reports_page_export_csv     (KefuReportsPage  *self,
                                                    AdwToastOverlay  *toasts);
void              kefu_reports_page_export_pdf     (KefuReportsPage  *self,
                                                    AdwToastOverlay  *toasts);

/* What the exports do once a file is chosen. */
void              kefu_reports_page_save_csv_async (KefuReportsPage  *self,
                                                    GFile            *file,
                                                    GCancellable     *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer          user_data);
gboolean          kefu_reports_page_save_csv_finish (KefuReportsPage *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);
gboolean          kefu_reports_page_save_pdf       (KefuReportsPage  *self,
                                                    GFile            *file,
                                                    GError          **error);

/* For tests: which view shows ("loading", "report", "empty", "error", "denied"), how many
 * loads completed, the summary shown, a tile's big value, a chart, the technicians' rows
 * (KefuTechnicianStats). */
const char       *kefu_reports_page_get_view_name  (KefuReportsPage  *self);
guint             kefu_reports_page_get_load_count (KefuReportsPage  *self);
JsonObject       *kefu_reports_page_get_summary    (KefuReportsPage  *self);
const char       *kefu_reports_page_get_tile_text  (KefuReportsPage  *self,
                                                    KefuReportTile    tile);
KefuChart        *kefu_reports_page_get_chart      (KefuReportsPage  *self,
                                                    KefuReportChart   chart);
GListModel       *kefu_reports_page_get_technicians (KefuReportsPage *self);

G_END_DECLS
