/* kefu-report-pdf.h — the printable report of a period (A4 PDF, cairo)
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Writes the report of @summary (GET /reports/summary) and @trend (GET /reports/csat-trend,
 * nullable) to @path as an A4 PDF: title, period, when it was made and by whom (@author,
 * nullable), the KPI tiles, the charts and the per-technician table (on as many pages as it
 * needs). Texts go through Pango, so Chinese renders (Noto Sans CJK SC when installed).
 * Needs GTK to be initialised (the charts are KefuChart). The file is replaced only when the
 * whole report was written. */
gboolean kefu_report_pdf_write (JsonObject  *summary,
                                JsonObject  *trend,
                                const char  *author,
                                const char  *path,
                                GError     **error);

G_END_DECLS
