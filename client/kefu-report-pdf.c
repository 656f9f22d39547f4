/* kefu-report-pdf.c — the printable report of a period (A4 PDF, cairo)
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Page 1: title, period, KPI tiles, the satisfaction trend and the score and deadline charts.
 * Page 2 on: the category and issue charts, cross-department work and the technicians' table.
 * Units are PostScript points; fonts have absolute sizes so that Pango's resolution does not
 * matter. The charts are drawn by kefu_chart_draw(), as on screen, in the colours of paper.
 */
#define G_LOG_DOMAIN "kefu-report-pdf"

#include "config.h"

#include <math.h>

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <pango/pangocairo.h>

#include "kefu-chart.h"
#include "kefu-report-data.h"
#include "kefu-report-pdf.h"
#include "kefu-ticket-text.h"

#define PAGE_WIDTH   595.28
#define PAGE_HEIGHT  841.89
#define MARGIN       42.0
#define CONTENT      (PAGE_WIDTH - 2 * MARGIN)
#define FOOTER_Y     (PAGE_HEIGHT - 26.0)
#define ROW_HEIGHT   17.0
#define FONT_FAMILY  "Noto Sans CJK SC, Noto Sans, Sans"

typedef struct {
  cairo_t    *cr;
  JsonObject *summary;
  JsonObject *trend;
  int         page;
} Report;

/* ---- writing to a GOutputStream ---------------------------------------------------------- */

typedef struct {
  GOutputStream *stream;
  GError        *error;
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, NULL, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* ---- text -------------------------------------------------------------------------------- */

static PangoFontDescription *
font_of (double   size,
         gboolean bold)
{
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  return font;
}

static void
set_grey (cairo_t *cr,
          double   alpha)
{
  cairo_set_source_rgba (cr, 0.18, 0.20, 0.21, alpha);
}

/* Draws @text at (x, y) (top left), at most @width wide (0: any); returns its height. */
static double
text_at (cairo_t        *cr,
         const char     *text,
         double          x,
         double          y,
         double          width,
         double          size,
         gboolean        bold,
         PangoAlignment  alignment,
         gboolean        wrap)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = font_of (size, bold);
  PangoRectangle logical;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_alignment (layout, alignment);
      if (wrap)
        pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      else
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

static void
rounded_box (cairo_t *cr,
             double   x,
             double   y,
             double   width,
             double   height,
             double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* ---- parts ------------------------------------------------------------------------------- */

static void
footer (Report *report)
{
  cairo_t *cr = report->cr;
  g_autofree char *text = NULL;

  /* Translators: the footer of the PDF report */
  text = g_strdup_printf (_("Kefu after-sales report · page %d"), report->page);
  set_grey (cr, 0.12);
  cairo_rectangle (cr, MARGIN, FOOTER_Y - 6, CONTENT, 0.5);
  cairo_fill (cr);
  set_grey (cr, 0.55);
  text_at (cr, text, MARGIN, FOOTER_Y, CONTENT, 7.5, FALSE, PANGO_ALIGN_RIGHT, FALSE);
}

static double
header (Report     *report,
        const char *author)
{
  cairo_t *cr = report->cr;
  const char *from = json_object_get_string_member_with_default (report->summary, "from", "");
  const char *to = json_object_get_string_member_with_default (report->summary, "to", "");
  GDate from_date;
  GDate to_date;
  g_autofree char *period = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *generated_text = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *title;
  double y = MARGIN;

  if (kefu_report_date_parse (from, &from_date) && kefu_report_date_parse (to, &to_date))
    {
      period = kefu_report_period_text (&from_date, &to_date);
      title = g_date_days_between (&from_date, &to_date) == 6 ? _("Weekly After-Sales Report")
                                                              : _("After-Sales Report");
    }
  else
    {
      period = g_strdup_printf ("%s – %s", from, to);
      title = _("After-Sales Report");
    }

  generated = g_date_time_format (now, "%Y-%m-%d %H:%M");
  if (author != NULL && author[0] != '\0')
    /* Translators: under the title of the PDF report: when it was made, and by whom */
    generated_text = g_strdup_printf (_("Generated %s by %s"), generated, author);
  else
    /* Translators: under the title of the PDF report: when it was made */
    generated_text = g_strdup_printf (_("Generated %s"), generated);

  /* An accent bar, the title, the period. */
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  rounded_box (cr, MARGIN, y + 2, 4, 40, 2);
  cairo_fill (cr);

  set_grey (cr, 1.0);
  y += text_at (cr, title, MARGIN + 14, y, CONTENT - 14, 20, TRUE, PANGO_ALIGN_LEFT, FALSE);
  set_grey (cr, 0.8);
  y += text_at (cr, period, MARGIN + 14, y + 1, CONTENT - 14, 12, FALSE, PANGO_ALIGN_LEFT,
                FALSE);
  set_grey (cr, 0.55);
  text_at (cr, generated_text, MARGIN + 14, y + 4, CONTENT - 14, 8, FALSE, PANGO_ALIGN_LEFT,
           FALSE);

  return y + 26;
}

static double
tiles (Report *report,
       double  y)
{
  cairo_t *cr = report->cr;
  const int columns = 5;
  const double gap = 8;
  const double width = (CONTENT - gap * (columns - 1)) / columns;
  const double height = 66;

  for (KefuReportTile tile = 0; tile < KEFU_REPORT_N_TILES; tile++)
    {
      double x = MARGIN + (tile % columns) * (width + gap);
      double top = y + (tile / columns) * (height + gap);
      g_autofree char *value = kefu_report_tile_value (tile, report->summary);
      g_autofree char *detail = kefu_report_tile_detail (tile, report->summary);

      cairo_set_source_rgb (cr, 0.965, 0.961, 0.957);
      rounded_box (cr, x, top, width, height, 6);
      cairo_fill (cr);

      set_grey (cr, 0.65);
      text_at (cr, kefu_report_tile_title (tile), x + 8, top + 7, width - 16, 7.5, FALSE,
               PANGO_ALIGN_LEFT, FALSE);
      set_grey (cr, 1.0);
      text_at (cr, value, x + 8, top + 19, width - 16, 14.5, TRUE, PANGO_ALIGN_LEFT, FALSE);
      if (detail != NULL)
        {
          set_grey (cr, 0.6);
          text_at (cr, detail, x + 8, top + 42, width - 16, 6.5, FALSE, PANGO_ALIGN_LEFT, TRUE);
        }
    }

  return y + 2 * height + gap + 20;
}

static void
chart (Report          *report,
       KefuReportChart  chart_id,
       double           x,
       double           y,
       double           width,
       double           height)
{
  cairo_t *cr = report->cr;
  g_autoptr(KefuChart) widget = NULL;
  g_autoptr(PangoFontDescription) font = font_of (8.5, FALSE);
  double title_height;

  widget = g_object_ref_sink (KEFU_CHART (kefu_chart_new (KEFU_CHART_KIND_COLUMNS)));
  kefu_report_chart_setup (widget, chart_id, report->summary, report->trend);

  set_grey (cr, 1.0);
  title_height = text_at (cr, kefu_report_chart_title (chart_id), x, y, width, 10.5, TRUE,
                          PANGO_ALIGN_LEFT, FALSE);

  cairo_save (cr);
  cairo_translate (cr, x, y + title_height + 6);
  kefu_chart_draw (widget, cr, width, height - title_height - 6, NULL, font);
  cairo_restore (cr);
}

static double
cross_department (Report *report,
                  double  y)
{
  cairo_t *cr = report->cr;
  double count = kefu_report_get_number (report->summary, "cross_department.count");
  g_autofree char *duration = kefu_report_format_minutes (
    kefu_report_get_number (report->summary, "cross_department.avg_resolution_minutes"));
  g_autofree char *text = NULL;

  if (!isfinite (count))
    return y;

  /* Translators: a line of the PDF report: tickets that needed another department, and
   * their average resolution time */
  text = g_strdup_printf (_("Cross-department tickets: %d, resolved in %s on average"),
                          (int) count, duration);
  set_grey (cr, 1.0);
  y += text_at (cr, _("Cross-Department Work"), MARGIN, y, CONTENT, 10.5, TRUE,
                PANGO_ALIGN_LEFT, FALSE) + 4;
  set_grey (cr, 0.8);
  y += text_at (cr, text, MARGIN, y, CONTENT, 8.5, FALSE, PANGO_ALIGN_LEFT, TRUE);
  return y + 18;
}

/* The columns of the technicians' table: share of the width, alignment. */
static const struct {
  double         share;
  PangoAlignment alignment;
} table_columns[] = {
  { 0.30, PANGO_ALIGN_LEFT },
  { 0.11, PANGO_ALIGN_RIGHT },
  { 0.11, PANGO_ALIGN_RIGHT },
  { 0.11, PANGO_ALIGN_RIGHT },
  { 0.19, PANGO_ALIGN_RIGHT },
  { 0.18, PANGO_ALIGN_RIGHT },
};

static void
table_row (Report      *report,
           double       y,
           const char **cells,
           gboolean     heading,
           gboolean     shaded)
{
  cairo_t *cr = report->cr;
  double x = MARGIN;

  if (shaded)
    {
      cairo_set_source_rgb (cr, 0.965, 0.961, 0.957);
      cairo_rectangle (cr, MARGIN, y, CONTENT, ROW_HEIGHT);
      cairo_fill (cr);
    }

  for (guint i = 0; i < G_N_ELEMENTS (table_columns); i++)
    {
      double width = CONTENT * table_columns[i].share;

      set_grey (cr, heading ? 0.65 : 1.0);
      text_at (cr, cells[i], x + 6, y + 3, width - 12, heading ? 7.5 : 8.5, heading,
               table_columns[i].alignment, FALSE);
      x += width;
    }

  if (heading)
    {
      set_grey (cr, 0.3);
      cairo_rectangle (cr, MARGIN, y + ROW_HEIGHT - 0.5, CONTENT, 0.5);
      cairo_fill (cr);
    }
}

static void
table_heading (Report *report,
               double  y)
{
  const char *cells[] = {
    C_("column", "Assignee"), C_("column", "Assigned"), C_("column", "Open"),
    C_("column", "Resolved"), C_("column", "Avg. Resolution"), C_("column", "Satisfaction"),
  };

  table_row (report, y, cells, TRUE, FALSE);
}

static void
technician_cells (JsonObject *technician,
                  char      **cells)
{
  double csat = kefu_report_get_number (technician, "csat_average");
  double csat_count = kefu_report_get_number (technician, "csat_count");

  cells[0] = g_strdup (json_object_get_string_member_with_default (technician, "display_name",
                                                                   ""));
  cells[1] = g_strdup_printf ("%.0f", kefu_report_get_number (technician, "assigned"));
  cells[2] = g_strdup_printf ("%.0f", kefu_report_get_number (technician, "open"));
  cells[3] = g_strdup_printf ("%.0f", kefu_report_get_number (technician, "resolved"));
  cells[4] = kefu_report_format_minutes (kefu_report_get_number (technician,
                                                                 "avg_resolution_minutes"));
  if (isfinite (csat))
    /* Translators: a technician's average satisfaction and the number of ratings */
    cells[5] = g_strdup_printf (_("%.1f (%.0f)"), csat, isfinite (csat_count) ? csat_count : 0);
  else
    cells[5] = g_strdup ("—");
}

/* ---- the report -------------------------------------------------------------------------- */

static JsonArray *
technicians_of (JsonObject *summary)
{
  JsonNode *node = json_object_get_member (summary, "technicians");

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Where the table starts on page 2 at the latest. */
#define TABLE_TOP_PAGE_2 (MARGIN + 250.0)

static void
draw_report (Report     *report,
             const char *author)
{
  cairo_t *cr = report->cr;
  JsonArray *technicians = technicians_of (report->summary);
  guint n_technicians = technicians != NULL ? json_array_get_length (technicians) : 0;
  const double half = (CONTENT - 20) / 2;
  double y;
  guint row = 0;

  /* Page 1 */
  report->page = 1;
  y = header (report, author);
  y = tiles (report, y);
  chart (report, KEFU_REPORT_CHART_CSAT_TREND, MARGIN, y, CONTENT, 190);
  y += 190 + 22;
  chart (report, KEFU_REPORT_CHART_SCORES, MARGIN, y, half, FOOTER_Y - 24 - y);
  chart (report, KEFU_REPORT_CHART_SLA, MARGIN + half + 20, y, half, FOOTER_Y - 24 - y);
  footer (report);
  cairo_show_page (cr);

  /* Page 2 */
  report->page = 2;
  y = MARGIN;
  chart (report, KEFU_REPORT_CHART_CATEGORIES, MARGIN, y, half, 170);
  chart (report, KEFU_REPORT_CHART_SUBCATEGORIES, MARGIN + half + 20, y, half, 170);
  y += 170 + 22;
  y = cross_department (report, y);
  y = MAX (y, TABLE_TOP_PAGE_2 - 40);

  set_grey (cr, 1.0);
  y += text_at (cr, _("Workload by Assignee"), MARGIN, y, CONTENT, 10.5, TRUE, PANGO_ALIGN_LEFT,
                FALSE) + 6;
  table_heading (report, y);
  y += ROW_HEIGHT;

  if (n_technicians == 0)
    {
      set_grey (cr, 0.55);
      text_at (cr, _("No one was assigned tickets of this period."), MARGIN + 6, y + 4,
               CONTENT - 12, 8.5, FALSE, PANGO_ALIGN_LEFT, FALSE);
    }

  for (row = 0; row < n_technicians; row++)
    {
      JsonObject *technician = json_array_get_object_element (technicians, row);
      char *cells[G_N_ELEMENTS (table_columns)] = { NULL, };

      if (y + ROW_HEIGHT > FOOTER_Y - 16)
        {
          footer (report);
          cairo_show_page (cr);
          report->page++;
          y = MARGIN;
          table_heading (report, y);
          y += ROW_HEIGHT;
        }

      if (technician == NULL)
        continue;
      technician_cells (technician, cells);
      table_row (report, y, (const char **) cells, FALSE, row % 2 == 1);
      for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
        g_free (cells[i]);
      y += ROW_HEIGHT;
    }

  footer (report);
  cairo_show_page (cr);
}

gboolean
kefu_report_pdf_write (JsonObject  *summary,
                       JsonObject  *trend,
                       const char  *author,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Sink sink = { NULL, NULL };
  Report report = { NULL, };

  g_return_val_if_fail (summary != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_file_new_for_path (path);
  /* Written to a temporary file and moved into place when closed. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (stream == NULL)
    return FALSE;

  sink.stream = G_OUTPUT_STREAM (stream);
  surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("After-Sales Report"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Kefu " PACKAGE_VERSION);
  if (author != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, author);

  report.cr = cairo_create (surface);
  report.summary = summary;
  report.trend = trend;
  draw_report (&report, author);

  status = cairo_status (report.cr);
  cairo_destroy (report.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.error != NULL || status != CAIRO_STATUS_SUCCESS)
    {
      /* Cancelling the close leaves the old file (if any) as it was. */
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();

      g_cancellable_cancel (cancellable);
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, NULL);

      if (sink.error != NULL)
        g_propagate_prefixed_error (error, sink.error, _("Could not write the report: "));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not draw the report: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}
