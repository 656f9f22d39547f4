/* test-reports.c — the Reports page against a real demo server: tiles, periods, charts, live
 * refresh, empty state, CSV and PDF export, screenshots
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first tests need no server: the chart widget and the PDF writer on fixed data. Then a
 * manager signs in and the page is compared with the server's own answers, fetched here
 * independently. Set LANGUAGE=zh_CN for the Chinese screenshots (meson registers both).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kefu-application.h"
#include "kefu-chart.h"
#include "kefu-gui-test.h"
#include "kefu-report-data.h"
#include "kefu-report-pdf.h"
#include "kefu-reports-page.h"
#include "kefu-technician-stats.h"
#include "kefu-window.h"

static KefuGuiServer   *server;
static KefuApplication *app;
static KefuWindow      *window;
static char            *manager_token;
static char            *agent_token;
static char            *tmp_dir;

/* A summary in the shape of GET /reports/summary, with Chinese names. */
static const char fixture_summary[] =
  "{\"from\":\"2026-11-16\",\"to\":\"2026-11-22\",\"generated_at\":\"2026-11-23T09:00:00Z\","
  "\"tickets\":123,\"open\":10,\"cancelled\":2,"
  "\"by_category\":{\"quality\":40,\"logistics\":30,\"service\":20,\"consultation\":20,"
  "\"complaint\":13},"
  "\"by_channel\":{\"phone\":50,\"online\":73},"
  "\"by_priority\":{\"1\":5,\"2\":30,\"3\":60,\"4\":28},"
  "\"first_response\":{\"count\":110,\"avg_minutes\":52.5,\"p90_minutes\":118.0},"
  "\"resolution\":{\"count\":95,\"avg_minutes\":1840.2},"
  "\"resolution_rate\":0.79,"
  "\"sla\":{\"compliance\":0.93,\"by_priority\":{\"1\":{\"met\":4,\"breached\":1,\"rate\":0.8},"
  "\"2\":{\"met\":28,\"breached\":2,\"rate\":0.9333},\"3\":{\"met\":58,\"breached\":2,"
  "\"rate\":0.9667},\"4\":{\"met\":0,\"breached\":0,\"rate\":null}}},"
  "\"csat\":{\"count\":80,\"average\":4.21,\"distribution\":{\"1\":2,\"2\":3,\"3\":10,\"4\":30,"
  "\"5\":35},\"satisfied_share\":0.8125,\"basically_satisfied_share\":0.125,"
  "\"unsatisfied_share\":0.0625},"
  "\"reopen_rate\":0.04,\"escalations\":{\"level1\":7,\"level2\":2,\"total\":9},"
  "\"top_subcategories\":[{\"subcategory\":\"物流延迟\",\"category\":\"logistics\",\"count\":25,"
  "\"share\":0.2},{\"subcategory\":\"无法开机\",\"category\":\"quality\",\"count\":18,"
  "\"share\":0.146}],"
  "\"cross_department\":{\"count\":12,\"avg_resolution_minutes\":3000.0,\"by_department\":"
  "[{\"department\":\"logistics\",\"count\":8,\"avg_resolution_minutes\":2800.0}]},"
  "\"technicians\":[{\"id\":7,\"display_name\":\"维修工程师 刘强\",\"assigned\":30,\"open\":4,"
  "\"resolved\":25,\"avg_resolution_minutes\":1500.0,\"csat_count\":20,\"csat_average\":4.4},"
  "{\"id\":8,\"display_name\":\"Zhao Lei\",\"assigned\":12,\"open\":1,\"resolved\":11,"
  "\"avg_resolution_minutes\":null,\"csat_count\":0,\"csat_average\":null}]}";

static const char fixture_trend[] =
  "{\"bucket\":\"day\",\"points\":["
  "{\"start\":\"2026-11-16\",\"count\":12,\"average\":4.1,\"satisfied_share\":0.75},"
  "{\"start\":\"2026-11-17\",\"count\":10,\"average\":4.4,\"satisfied_share\":0.8},"
  "{\"start\":\"2026-11-18\",\"count\":0,\"average\":null,\"satisfied_share\":null},"
  "{\"start\":\"2026-11-19\",\"count\":15,\"average\":3.9,\"satisfied_share\":0.7},"
  "{\"start\":\"2026-11-20\",\"count\":20,\"average\":4.3,\"satisfied_share\":0.85},"
  "{\"start\":\"2026-11-21\",\"count\":13,\"average\":4.5,\"satisfied_share\":0.9},"
  "{\"start\":\"2026-11-22\",\"count\":10,\"average\":4.0,\"satisfied_share\":0.8}]}";

/* ---- helpers ----------------------------------------------------------------------------- */

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static KefuReportsPage *
page (void)
{
  return kefu_window_get_reports_page (window);
}

static KefuConnection *
connection (void)
{
  return kefu_window_get_connection (window);
}

/* The server's summary of the page's period, asked for here, not by the client. */
static JsonObject *
server_summary (void)
{
  GDate from;
  GDate to;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;

  kefu_reports_page_get_dates (page (), &from, &to);
  from_text = kefu_report_date_iso (&from);
  to_text = kefu_report_date_iso (&to);
  path = g_strdup_printf ("/reports/summary?from=%s&to=%s", from_text, to_text);
  answer = kefu_gui_api (server, manager_token, "GET", path, NULL, NULL, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  return json_object_ref (json_node_get_object (answer));
}

typedef struct {
  guint       after;
  const char *view;
} Loaded;

static gboolean
page_loaded (gpointer data)
{
  Loaded *loaded = data;

  return kefu_reports_page_get_load_count (page ()) > loaded->after
         && (loaded->view == NULL
             || g_strcmp0 (kefu_reports_page_get_view_name (page ()), loaded->view) == 0);
}

static void
wait_loaded (guint       after,
             const char *view)
{
  Loaded loaded = { after, view };

  if (!kefu_gui_wait (page_loaded, &loaded, 10000))
    g_error ("The Reports page did not load (loads %u, view %s)",
             kefu_reports_page_get_load_count (page ()),
             kefu_reports_page_get_view_name (page ()));
}

/* Every tile shows what the report data says for the server's own summary. */
static void
assert_tiles_match (JsonObject *summary)
{
  for (KefuReportTile tile = 0; tile < KEFU_REPORT_N_TILES; tile++)
    {
      g_autofree char *expected = kefu_report_tile_value (tile, summary);

      g_assert_cmpstr (kefu_reports_page_get_tile_text (page (), tile), ==, expected);
    }
}

static void
screenshot (const char *what)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", what, kefu_gui_language ());
  g_autofree char *path = kefu_gui_save_screenshot (GTK_WIDGET (window), name);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* The PDF is complete: header, cross-reference trailer, end marker, at least @min_pages pages,
 * and (when the system has it) the CJK font embedded for the Chinese texts. */
/* strstr() for binary data: a PDF's compressed streams hold NUL bytes. */
static const char *
find (const char *data,
      const char *end,
      const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = data; p + n <= end; p++)
    if (memcmp (p, needle, n) == 0)
      return p;
  return NULL;
}

static void
assert_pdf (const char *path,
            guint       min_pages)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  guint pages = 0;
  const char *end;
  const char *p;
  const char *count;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  end = data + length;
  g_assert_true (g_str_has_prefix (data, "%PDF-"));

  g_assert_nonnull (find (end - MIN (length, 64), end, "%%EOF"));
  g_assert_nonnull (find (data, end, "startxref"));
  g_assert_nonnull (find (data, end, "trailer"));

  /* "/Type /Page" but not "/Type /Pages". */
  for (p = data; (p = find (p, end, "/Type /Page")) != NULL; p++)
    if (p + 11 < end && p[11] != 's')
      pages++;
  g_assert_cmpuint (pages, >=, min_pages);

  count = find (data, end, "/Count ");
  g_assert_nonnull (count);
  g_assert_cmpuint (g_ascii_strtoull (count + 7, NULL, 10), ==, pages);

  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes, %u pages, %s", path, length, pages,
                  find (data, end, "CJK") != NULL ? "a CJK font embedded"
                                                  : "no CJK font embedded (none installed?)");
}

/* ---- the chart and the PDF on fixed data ------------------------------------------------- */

/* Draws @chart as the PDF does (kept as an artefact, NAME.png) and counts the pixels it
 * painted. */
static guint
painted_pixels (KefuChart  *chart,
                const char *name,
                int         width,
                int         height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  unsigned char *pixels;
  int stride;
  guint painted = 0;

  kefu_chart_draw (chart, cr, width, height, NULL, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  {
    g_autofree char *file_name = g_strdup_printf ("%s-%s.png", name, kefu_gui_language ());
    g_autofree char *path = g_build_filename (KEFU_GUI_SCREENSHOT_DIR, file_name, NULL);

    g_mkdir_with_parents (KEFU_GUI_SCREENSHOT_DIR, 0755);
    g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  }

  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (pixels[y * stride + x * 4 + 3] != 0)
        painted++;

  cairo_surface_destroy (surface);
  return painted;
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

static void
test_chart_fixture (void)
{
  g_autoptr(JsonObject) summary = parse_object (fixture_summary);
  g_autoptr(JsonObject) trend = parse_object (fixture_trend);
  g_autoptr(KefuChart) scores = g_object_ref_sink (KEFU_CHART (kefu_chart_new (0)));
  g_autoptr(KefuChart) line = g_object_ref_sink (KEFU_CHART (kefu_chart_new (0)));
  g_autoptr(KefuChart) empty = g_object_ref_sink (KEFU_CHART (kefu_chart_new (0)));
  g_autofree char *text = NULL;
  guint full;
  guint blank;
  GtkWidget *test_window;
  g_autofree char *shot = NULL;
  int hit;

  /* Score distribution: five bars, the counts of the summary. */
  kefu_report_chart_setup (scores, KEFU_REPORT_CHART_SCORES, summary, NULL);
  g_assert_cmpint (kefu_chart_get_kind (scores), ==, KEFU_CHART_KIND_COLUMNS);
  g_assert_cmpuint (kefu_chart_get_n_points (scores), ==, 5);
  g_assert_false (kefu_chart_is_empty (scores));
  text = kefu_chart_dup_point_text (scores, 4);
  g_assert_true (g_str_has_prefix (text, "5"));
  g_assert_nonnull (strstr (text, "35"));
  g_clear_pointer (&text, g_free);
  {
    /* One line a bar, in order: "4: 30 (satisfied, 38 %)". */
    g_auto(GStrv) lines = g_strsplit (kefu_chart_get_text_alternative (scores), "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 5);
    g_assert_true (g_str_has_prefix (lines[3], "4"));
    g_assert_nonnull (strstr (lines[3], "30"));
  }

  /* The trend: one point a day, a gap where nobody rated. */
  kefu_report_chart_setup (line, KEFU_REPORT_CHART_CSAT_TREND, summary, trend);
  g_assert_cmpint (kefu_chart_get_kind (line), ==, KEFU_CHART_KIND_LINE);
  g_assert_cmpuint (kefu_chart_get_n_points (line), ==, 7);
  g_assert_nonnull (strstr (kefu_chart_get_text_alternative (line), "4.4"));

  /* Nothing to show: the empty text, said to screen readers too. */
  kefu_report_chart_setup (empty, KEFU_REPORT_CHART_SCORES, NULL, NULL);
  g_assert_true (kefu_chart_is_empty (empty));
  g_assert_cmpstr (kefu_chart_get_text_alternative (empty), ==,
                   g_dgettext (GETTEXT_PACKAGE, "No satisfaction ratings in this period"));

  /* Drawing: bars paint far more than an empty chart, which still says something. */
  full = painted_pixels (scores, "chart-cairo-scores", 400, 220);
  blank = painted_pixels (empty, "chart-cairo-empty", 400, 220);
  g_test_message ("painted pixels: %u with data, %u empty", full, blank);
  g_assert_cmpuint (blank, >, 0);
  g_assert_cmpuint (full, >, 4 * blank);
  g_assert_cmpuint (painted_pixels (line, "chart-cairo-trend", 600, 220), >, blank);

  /* On screen: hovering finds the bar under the pointer. */
  test_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (test_window), 500, 260);
  gtk_window_set_child (GTK_WINDOW (test_window), GTK_WIDGET (scores));
  gtk_window_present (GTK_WINDOW (test_window));
  g_assert_true (kefu_gui_wait (has_size, scores, 5000));
  shot = kefu_gui_save_screenshot (test_window, "chart-scores-fixture");
  {
    int width = gtk_widget_get_width (GTK_WIDGET (scores));
    int height = gtk_widget_get_height (GTK_WIDGET (scores));

    /* Five equal slots right of the axis: the last one is the right-most. */
    hit = kefu_chart_get_point_at (scores, width - 10, height / 2.0);
    g_assert_cmpint (hit, ==, 4);
    g_assert_cmpint (kefu_chart_get_point_at (scores, -5, -5), ==, -1);
  }
  gtk_window_destroy (GTK_WINDOW (test_window));
}

static void
test_pdf_fixture (void)
{
  g_autoptr(JsonObject) summary = parse_object (fixture_summary);
  g_autoptr(JsonObject) trend = parse_object (fixture_trend);
  g_autofree char *path = g_build_filename (tmp_dir, "fixture.pdf", NULL);
  g_autofree char *bad = g_build_filename (tmp_dir, "no-such-dir", "fixture.pdf", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (kefu_report_pdf_write (summary, trend, "售后总监 孙伟", path, &error));
  g_assert_no_error (error);
  assert_pdf (path, 2);

  /* A folder that does not exist: an error, no crash, no file. */
  g_assert_false (kefu_report_pdf_write (summary, trend, NULL, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

/* ---- against the demo server ------------------------------------------------------------- */

static gboolean
signed_in (gpointer data)
{
  return kefu_connection_get_role (connection ()) != NULL
         && g_strcmp0 (kefu_connection_get_role (connection ()), data) == 0;
}

static void
test_sign_in (void)
{
  kefu_window_sign_in (window, kefu_gui_server_get_url (server), "manager", "demo");
  g_assert_true (kefu_gui_wait (signed_in, (gpointer) "manager", 10000));
}

static void
test_tiles (void)
{
  guint before = kefu_reports_page_get_load_count (page ());
  g_autoptr(JsonObject) summary = NULL;
  GListModel *technicians;
  JsonArray *expected;
  KefuChart *categories;

  /* Last week: the demo's closed tickets lie in the past three weeks. */
  kefu_reports_page_select_period (page (), KEFU_REPORT_PERIOD_LAST_WEEK);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "reports");
  wait_loaded (before, "report");

  summary = server_summary ();
  g_assert_cmpint (json_object_get_int_member (summary, "tickets"), >, 0);
  assert_tiles_match (summary);
  {
    g_autofree char *tickets = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                json_object_get_int_member (summary, "tickets"));

    g_assert_cmpstr (kefu_reports_page_get_tile_text (page (), KEFU_REPORT_TILE_TICKETS), ==,
                     tickets);
  }

  /* The technicians' table has the server's rows. */
  technicians = kefu_reports_page_get_technicians (page ());
  expected = json_object_get_array_member (summary, "technicians");
  g_assert_cmpuint (g_list_model_get_n_items (technicians), ==, json_array_get_length (expected));
  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      JsonObject *row = json_array_get_object_element (expected, i);
      gboolean found = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (technicians); j++)
        {
          g_autoptr(KefuTechnicianStats) stats = g_list_model_get_item (technicians, j);

          if (g_strcmp0 (kefu_technician_stats_get_display_name (stats),
                         json_object_get_string_member (row, "display_name")) == 0)
            {
              g_assert_cmpint (kefu_technician_stats_get_assigned (stats), ==,
                               json_object_get_int_member (row, "assigned"));
              g_assert_cmpint (kefu_technician_stats_get_resolved (stats), ==,
                               json_object_get_int_member (row, "resolved"));
              found = TRUE;
            }
        }
      g_assert_true (found);
    }

  /* Charts with data, in words for screen readers. */
  categories = kefu_reports_page_get_chart (page (), KEFU_REPORT_CHART_CATEGORIES);
  g_assert_false (kefu_chart_is_empty (categories));
  g_assert_cmpuint (kefu_chart_get_n_points (categories), ==, 5);
  g_assert_nonnull (strstr (kefu_chart_get_text_alternative (categories),
                            g_dpgettext2 (GETTEXT_PACKAGE, "category", "Quality")));
  g_assert_false (kefu_chart_is_empty (kefu_reports_page_get_chart (page (),
                                                                   KEFU_REPORT_CHART_SLA)));

  /* The export actions are for this page only. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-pdf"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-csv"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-pdf"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-csv"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "reports");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-pdf"));
}

/* The last 30 days, today included. */
static void
select_last_30_days (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate from;
  GDate to;

  g_date_clear (&to, 1);
  g_date_set_dmy (&to, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  from = to;
  g_date_subtract_days (&from, 29);
  kefu_reports_page_set_custom_period (page (), &from, &to);
}

static void
test_period (void)
{
  guint before = kefu_reports_page_get_load_count (page ());
  g_autoptr(JsonObject) summary = NULL;
  JsonObject *shown;
  GDate from;
  GDate to;

  select_last_30_days ();
  g_assert_cmpint (kefu_reports_page_get_period (page ()), ==, KEFU_REPORT_PERIOD_CUSTOM);
  wait_loaded (before, "report");

  /* The page asked for the new period, and shows what the server says about it. */
  kefu_reports_page_get_dates (page (), &from, &to);
  shown = kefu_reports_page_get_summary (page ());
  {
    g_autofree char *from_text = kefu_report_date_iso (&from);
    g_autofree char *to_text = kefu_report_date_iso (&to);

    g_assert_cmpstr (json_object_get_string_member (shown, "from"), ==, from_text);
    g_assert_cmpstr (json_object_get_string_member (shown, "to"), ==, to_text);
  }
  summary = server_summary ();
  assert_tiles_match (summary);

  /* A month has more tickets than last week alone. */
  g_assert_cmpint (json_object_get_int_member (summary, "tickets"), >=,
                   json_object_get_int_member (summary, "open"));
  g_assert_cmpuint (kefu_chart_get_n_points (kefu_reports_page_get_chart (
                      page (), KEFU_REPORT_CHART_CSAT_TREND)), ==, 30);
}

static gboolean
tickets_tile_is (gpointer data)
{
  return g_strcmp0 (kefu_reports_page_get_tile_text (page (), KEFU_REPORT_TILE_TICKETS),
                    data) == 0;
}

static void
test_live_refresh (void)
{
  const char *body =
    "{\"channel\":\"phone\",\"category\":\"logistics\",\"subcategory\":\"物流延迟\",\"priority\":3,"
    "\"customer\":{\"name\":\"报表客户\",\"phone\":\"13812345678\",\"order_no\":\"SO-88001\"},"
    "\"description\":\"快递一周没有更新物流信息\",\"submitted_at\":\"@NOW@\"}";
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *expected = NULL;
  gint64 before = json_object_get_int_member (kefu_reports_page_get_summary (page ()), "tickets");
  gint64 start;

  created = kefu_gui_api (server, agent_token, "POST", "/tickets", body, NULL, 201);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, before + 1);

  /* The page refreshes by itself (debounced: at most every 2 s) while it is on screen. */
  start = g_get_monotonic_time ();
  g_assert_true (kefu_gui_wait (tickets_tile_is, expected, 8000));
  g_test_message ("The new ticket counted after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
}

static gboolean
scroll_to_end (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *adjustment;

      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (scroll_to_end (child))
      return TRUE;
  return FALSE;
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  guint before = kefu_reports_page_get_load_count (page ());

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  kefu_reports_page_select_period (page (), KEFU_REPORT_PERIOD_LAST_WEEK);
  wait_loaded (before, "report");
  kefu_gui_run_for (300);
  screenshot ("reports");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kefu_gui_run_for (300);
  screenshot ("reports-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  kefu_gui_run_for (300);

  /* The lower half: the category charts and the technicians. */
  scroll_to_end (GTK_WIDGET (page ()));
  kefu_gui_run_for (300);
  screenshot ("reports-lower");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kefu_gui_run_for (300);
  screenshot ("reports-lower-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  kefu_gui_run_for (300);

  /* Narrow: the tiles wrap, the charts stay readable. */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  kefu_gui_run_for (500);
  screenshot ("reports-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  kefu_gui_run_for (300);
}

static void
keep_result (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GtkWidget *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (toplevel) && gtk_widget_get_visible (toplevel))
        return toplevel;
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_chooser () != NULL;
}

typedef struct {
  GtkWidget  *chooser;
  const char *path;
} Chosen;

static gboolean
chooser_has_file (gpointer data)
{
  Chosen *chosen = data;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chosen->chooser));

  return file != NULL && g_strcmp0 (g_file_peek_path (file), chosen->path) == 0;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

/* Without a portal, GtkFileChooserNative shows a GtkFileChooserDialog: fill it and accept. */
static void
export_through_chooser (const char *action,
                        const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (tmp_dir);
  g_autoptr(GError) error = NULL;
  GtkWidget *chooser;

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action + 4));
  gtk_widget_activate_action (GTK_WIDGET (window), action, NULL);
  g_assert_true (kefu_gui_wait (chooser_shown, NULL, 5000));
  chooser = find_chooser ();

  g_assert_true (g_str_has_prefix (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)),
                                   "kefu-report-"));
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error);
  g_assert_no_error (error);
  /* The whole path: the name entry resolves it whatever folder it has loaded. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), path);
  /* The folder loads in the background. */
  {
    Chosen chosen = { chooser, path };

    g_assert_true (kefu_gui_wait (chooser_has_file, &chosen, 5000));
  }
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_assert_true (kefu_gui_wait (file_exists, path, 10000));
  kefu_gui_run_for (300);
  if (g_str_has_suffix (name, ".pdf"))
    {
      assert_pdf (path, 2);
    }
  else
    {
      g_autofree char *data = NULL;

      g_file_get_contents (path, &data, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (data, "\xEF\xBB\xBFnumber,"));
    }
}

static void
test_export (void)
{
  g_autofree char *csv_path = g_build_filename (tmp_dir, "report.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (tmp_dir, "report.pdf", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  /* CSV: the server's file as it is, with the BOM Excel needs and the header. */
  kefu_reports_page_save_csv_async (page (), csv, NULL, keep_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (kefu_reports_page_save_csv_finish (page (), result, &error));
  g_assert_no_error (error);

  g_file_get_contents (csv_path, &data, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 3);
  g_assert_true (g_str_has_prefix (data, "\xEF\xBB\xBF"));
  g_assert_true (g_str_has_prefix (data + 3, "number,registered_at,channel,category"));
  g_assert_true (g_utf8_validate (data, length, NULL));

  /* PDF: the report on screen. */
  g_assert_true (kefu_reports_page_save_pdf (page (), pdf, &error));
  g_assert_no_error (error);
  assert_pdf (pdf_path, 2);

  /* The actions, as a user runs them: a file chooser, a file, a toast. */
  export_through_chooser ("win.export-csv", "chosen.csv");
  export_through_chooser ("win.export-pdf", "chosen.pdf");
}

static void
test_empty (void)
{
  guint before = kefu_reports_page_get_load_count (page ());
  GDate from;
  GDate to;

  /* Long before the demo's first ticket. */
  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 5, G_DATE_JANUARY, 2015);
  to = from;
  g_date_add_days (&to, 6);
  kefu_reports_page_set_custom_period (page (), &from, &to);
  wait_loaded (before, "empty");
  kefu_gui_run_for (500);

  g_assert_cmpstr (kefu_reports_page_get_view_name (page ()), ==, "empty");
  /* The CSV of an empty period is still a valid file. */
  g_assert_true (kefu_reports_page_get_can_export (page ()));
  screenshot ("reports-empty");
}

static void
test_denied (void)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  kefu_gui_run_for (200);
  kefu_window_sign_in (window, kefu_gui_server_get_url (server), "agent", "demo");
  g_assert_true (kefu_gui_wait (signed_in, (gpointer) "agent", 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "reports");
  kefu_gui_run_for (300);
  g_assert_cmpstr (kefu_reports_page_get_view_name (page ()), ==, "denied");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-pdf"));
  screenshot ("reports-denied");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kefu_gui_test_init (&argc, &argv);

  tmp_dir = g_dir_make_tmp ("kefu-reports-XXXXXX", &error);
  g_assert_no_error (error);

  server = kefu_gui_server_new ();
  manager_token = kefu_gui_server_login (server, "manager");
  agent_token = kefu_gui_server_login (server, "agent");

  app = kefu_gui_application_new ();
  window = kefu_gui_window_new (app, NULL, 1280, 800);

  g_test_add_func ("/reports/chart-fixture", test_chart_fixture);
  g_test_add_func ("/reports/pdf-fixture", test_pdf_fixture);
  g_test_add_func ("/reports/sign-in", test_sign_in);
  g_test_add_func ("/reports/tiles", test_tiles);
  g_test_add_func ("/reports/period", test_period);
  g_test_add_func ("/reports/live-refresh", test_live_refresh);
  g_test_add_func ("/reports/screenshots", test_screenshots);
  g_test_add_func ("/reports/export", test_export);
  g_test_add_func ("/reports/empty", test_empty);
  g_test_add_func ("/reports/denied", test_denied);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  kefu_gui_server_free (server);
  g_free (manager_token);
  g_free (agent_token);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);

  return ret;
}
