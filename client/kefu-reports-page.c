/* kefu-reports-page.c — a period's numbers, charts and technicians, for supervisors and
 * managers
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-reports-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "kefu-error-text.h"
#include "kefu-report-data.h"
#include "kefu-report-pdf.h"
#include "kefu-reports-page.h"
#include "kefu-technician-stats.h"

/* Events arriving while the page is on screen refresh it at most this often. */
#define REFRESH_DELAY_MS 2000
/* Longer periods show the satisfaction trend by week rather than by day. */
#define MAX_DAY_BUCKETS  62

typedef enum {
  COLUMN_NAME,
  COLUMN_ASSIGNED,
  COLUMN_OPEN,
  COLUMN_RESOLVED,
  COLUMN_RESOLUTION,
  COLUMN_CSAT,
  N_COLUMNS
} Column;

struct _KefuReportsPage
{
  AdwBin               parent_instance;

  KefuConnection      *connection;
  GCancellable        *cancellable;
  guint                generation;

  KefuReportPeriod     period;
  GDate                from;
  GDate                to;

  JsonObject          *summary;       /* what is shown, or NULL */
  JsonObject          *trend;
  guint                load_count;
  guint                refresh_timeout;
  gboolean             dirty;         /* to load when next shown */
  gboolean             can_export;
  gboolean             updating_toggles;

  GtkLabel            *tile_values[KEFU_REPORT_N_TILES];
  GtkLabel            *tile_details[KEFU_REPORT_N_TILES];
  KefuChart           *charts[KEFU_REPORT_N_CHARTS];
  GListStore          *technicians;
  GtkNativeDialog     *chooser;

  /* Template widgets */
  GtkWidget           *period_bar;
  GtkToggleButton     *this_week_button;
  GtkToggleButton     *last_week_button;
  GtkToggleButton     *this_month_button;
  GtkMenuButton       *custom_button;
  GtkLabel            *period_label;
  GtkSpinner          *spinner;
  GtkStack            *stack;
  GtkFlowBox          *tiles_box;
  GtkGrid             *charts_grid;
  GtkStack            *technicians_stack;
  GtkColumnView       *technicians_view;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *assigned_column;
  GtkColumnViewColumn *open_column;
  GtkColumnViewColumn *resolved_column;
  GtkColumnViewColumn *resolution_column;
  GtkColumnViewColumn *csat_column;
  AdwStatusPage       *error_page;
  GtkPopover          *custom_popover;
  GtkCalendar         *from_calendar;
  GtkCalendar         *to_calendar;
  GtkLabel            *custom_error_label;
  GtkWidget           *custom_apply_button;
};

G_DEFINE_FINAL_TYPE (KefuReportsPage, kefu_reports_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CAN_EXPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (KefuReportsPage *self);

/* ---- state ------------------------------------------------------------------------------- */

static void
ensure_style (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/org/kefu/Kefu/kefu-reports.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&done, 1);
    }
}

static gboolean
may_read_reports (KefuReportsPage *self)
{
  const char *role = self->connection != NULL ? kefu_connection_get_role (self->connection)
                                              : NULL;

  return g_strcmp0 (role, "supervisor") == 0 || g_strcmp0 (role, "manager") == 0;
}

static void
set_can_export (KefuReportsPage *self,
                gboolean         can_export)
{
  if (self->can_export == can_export)
    return;
  self->can_export = can_export;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_EXPORT]);
}

static void
show_view (KefuReportsPage *self,
           const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (self->period_bar, !g_str_equal (name, "denied"));
  set_can_export (self, self->summary != NULL
                        && (g_str_equal (name, "report") || g_str_equal (name, "empty")));
}

static void
today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static void
update_period_label (KefuReportsPage *self)
{
  g_autofree char *text = kefu_report_period_text (&self->from, &self->to);

  gtk_label_set_text (self->period_label, text);
}

static void
update_toggles (KefuReportsPage *self)
{
  self->updating_toggles = TRUE;
  gtk_toggle_button_set_active (self->this_week_button,
                                self->period == KEFU_REPORT_PERIOD_THIS_WEEK);
  gtk_toggle_button_set_active (self->last_week_button,
                                self->period == KEFU_REPORT_PERIOD_LAST_WEEK);
  gtk_toggle_button_set_active (self->this_month_button,
                                self->period == KEFU_REPORT_PERIOD_THIS_MONTH);
  if (self->period == KEFU_REPORT_PERIOD_CUSTOM)
    gtk_widget_add_css_class (GTK_WIDGET (self->custom_button), "kefu-period-custom");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->custom_button), "kefu-period-custom");
  self->updating_toggles = FALSE;
}

static void
period_changed (KefuReportsPage *self)
{
  update_toggles (self);
  update_period_label (self);
  /* The numbers of another period must not stay on screen under the new dates. */
  g_clear_pointer (&self->summary, json_object_unref);
  g_clear_pointer (&self->trend, json_object_unref);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
  else
    self->dirty = TRUE;
}

/* ---- filling the page -------------------------------------------------------------------- */

static void
fill_tiles (KefuReportsPage *self)
{
  for (KefuReportTile tile = 0; tile < KEFU_REPORT_N_TILES; tile++)
    {
      g_autofree char *value = kefu_report_tile_value (tile, self->summary);
      g_autofree char *detail = kefu_report_tile_detail (tile, self->summary);

      gtk_label_set_text (self->tile_values[tile], value);
      gtk_label_set_text (self->tile_details[tile], detail != NULL ? detail : "");
      gtk_widget_set_visible (GTK_WIDGET (self->tile_details[tile]), detail != NULL);
    }
}

static void
fill_technicians (KefuReportsPage *self)
{
  JsonNode *node = json_object_get_member (self->summary, "technicians");
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                  : NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (object != NULL)
        g_ptr_array_add (rows, kefu_technician_stats_new_from_json (object));
    }

  g_list_store_splice (self->technicians, 0, g_list_model_get_n_items (G_LIST_MODEL (
                         self->technicians)), rows->pdata, rows->len);
  gtk_stack_set_visible_child_name (self->technicians_stack, rows->len > 0 ? "table" : "none");
}

static void
show_report (KefuReportsPage *self)
{
  double tickets = kefu_report_get_number (self->summary, "tickets");

  for (KefuReportChart chart = 0; chart < KEFU_REPORT_N_CHARTS; chart++)
    kefu_report_chart_setup (self->charts[chart], chart, self->summary, self->trend);
  fill_tiles (self);
  fill_technicians (self);

  show_view (self, isfinite (tickets) && tickets > 0 ? "report" : "empty");
}

/* ---- loading ----------------------------------------------------------------------------- */

typedef struct {
  KefuReportsPage *self;
  guint            generation;
  guint            pending;
  JsonNode        *summary;
  JsonNode        *trend;
  GError          *error;
  GError          *trend_error;
} Load;

static void
load_free (Load *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->summary, json_node_unref);
  g_clear_pointer (&data->trend, json_node_unref);
  g_clear_error (&data->error);
  g_clear_error (&data->trend_error);
  g_free (data);
}

static void
load_done (Load *data)
{
  KefuReportsPage *self = data->self;

  if (--data->pending > 0)
    return;

  if (data->generation != self->generation)
    {
      load_free (data);
      return;
    }

  gtk_spinner_set_spinning (self->spinner, FALSE);
  g_clear_object (&self->cancellable);

  if (data->error != NULL || data->summary == NULL || !JSON_NODE_HOLDS_OBJECT (data->summary))
    {
      if (data->error != NULL && g_error_matches (data->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          load_free (data);
          return;
        }

      g_debug ("Could not load the report: %s",
               data->error != NULL ? data->error->message : "not an object");
      {
        g_autofree char *why = data->error != NULL ? kefu_error_text (data->error) : NULL;

        adw_status_page_set_description (self->error_page, why);
      }
      g_clear_pointer (&self->summary, json_object_unref);
      g_clear_pointer (&self->trend, json_object_unref);
      self->load_count++;
      show_view (self, "error");
      load_free (data);
      return;
    }

  if (data->trend_error != NULL)
    g_debug ("Could not load the satisfaction trend: %s", data->trend_error->message);

  g_clear_pointer (&self->summary, json_object_unref);
  g_clear_pointer (&self->trend, json_object_unref);
  self->summary = json_object_ref (json_node_get_object (data->summary));
  if (data->trend != NULL && JSON_NODE_HOLDS_OBJECT (data->trend))
    self->trend = json_object_ref (json_node_get_object (data->trend));

  self->load_count++;
  show_report (self);
  load_free (data);
}

static void
summary_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Load *data = user_data;

  data->summary = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &data->error);
  load_done (data);
}

static void
trend_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Load *data = user_data;

  data->trend = kefu_connection_request_finish (KEFU_CONNECTION (object), result,
                                                &data->trend_error);
  load_done (data);
}

static char *
period_query (KefuReportsPage *self)
{
  g_autofree char *from = kefu_report_date_iso (&self->from);
  g_autofree char *to = kefu_report_date_iso (&self->to);

  return g_strdup_printf ("from=%s&to=%s", from, to);
}

static void
load (KefuReportsPage *self)
{
  g_autofree char *query = NULL;
  g_autofree char *summary_path = NULL;
  g_autofree char *trend_path = NULL;
  Load *data;
  int days;

  self->dirty = FALSE;
  g_clear_handle_id (&self->refresh_timeout, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->generation++;

  if (self->connection == NULL || kefu_connection_get_role (self->connection) == NULL)
    return;

  if (!may_read_reports (self))
    {
      show_view (self, "denied");
      return;
    }

  self->cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  /* A refresh keeps the numbers on screen until the new ones are in. */
  if (self->summary == NULL)
    show_view (self, "loading");

  query = period_query (self);
  days = g_date_days_between (&self->from, &self->to) + 1;
  summary_path = g_strdup_printf ("/reports/summary?%s", query);
  trend_path = g_strdup_printf ("/reports/csat-trend?%s&bucket=%s", query,
                                days > MAX_DAY_BUCKETS ? "week" : "day");

  data = g_new0 (Load, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->pending = 2;

  kefu_connection_request_async (self->connection, "GET", summary_path, NULL, NULL,
                                 self->cancellable, summary_cb, data);
  kefu_connection_request_async (self->connection, "GET", trend_path, NULL, NULL,
                                 self->cancellable, trend_cb, data);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  KefuReportsPage *self = user_data;

  self->refresh_timeout = 0;
  load (self);
  return G_SOURCE_REMOVE;
}

static void
on_event (KefuReportsPage *self,
          const char      *type,
          JsonNode        *data,
          KefuConnection  *connection)
{
  if (type == NULL || !(g_str_has_prefix (type, "ticket.") || g_str_has_prefix (type, "alert.")))
    return;
  if (!may_read_reports (self))
    return;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }

  /* A burst of events is one refresh, at most REFRESH_DELAY_MS after the first of them. */
  if (self->refresh_timeout == 0)
    self->refresh_timeout = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

static void
on_role_changed (KefuReportsPage *self)
{
  g_clear_pointer (&self->summary, json_object_unref);
  g_clear_pointer (&self->trend, json_object_unref);
  g_list_store_remove_all (self->technicians);

  if (kefu_connection_get_role (self->connection) == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_handle_id (&self->refresh_timeout, g_source_remove);
      show_view (self, "loading");
      self->dirty = TRUE;
      return;
    }

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
  else
    self->dirty = TRUE;
}

static void
kefu_reports_page_map (GtkWidget *widget)
{
  KefuReportsPage *self = KEFU_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (kefu_reports_page_parent_class)->map (widget);

  if (self->dirty || (self->summary == NULL && self->cancellable == NULL))
    load (self);
}

/* ---- periods ----------------------------------------------------------------------------- */

static void
on_period_toggled (KefuReportsPage *self,
                   GtkToggleButton *button)
{
  if (self->updating_toggles || !gtk_toggle_button_get_active (button))
    return;

  if (button == self->this_week_button)
    kefu_reports_page_select_period (self, KEFU_REPORT_PERIOD_THIS_WEEK);
  else if (button == self->last_week_button)
    kefu_reports_page_select_period (self, KEFU_REPORT_PERIOD_LAST_WEEK);
  else if (button == self->this_month_button)
    kefu_reports_page_select_period (self, KEFU_REPORT_PERIOD_THIS_MONTH);
}

static void
calendar_select (GtkCalendar *calendar,
                 GDate       *date)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (g_date_get_year (date),
                                                     g_date_get_month (date),
                                                     g_date_get_day (date), 12, 0, 0);

  gtk_calendar_select_day (calendar, time);
}

static void
calendar_date (GtkCalendar *calendar,
               GDate       *date)
{
  g_autoptr(GDateTime) time = gtk_calendar_get_date (calendar);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (time), g_date_time_get_month (time),
                  g_date_time_get_year (time));
}

static void
on_custom_changed (KefuReportsPage *self)
{
  GDate from;
  GDate to;
  const char *problem = NULL;

  calendar_date (self->from_calendar, &from);
  calendar_date (self->to_calendar, &to);

  if (g_date_compare (&to, &from) < 0)
    problem = _("The last day comes before the first.");
  else if (g_date_days_between (&from, &to) >= 3700)
    problem = _("Choose at most ten years.");

  gtk_label_set_text (self->custom_error_label, problem != NULL ? problem : "");
  gtk_widget_set_sensitive (self->custom_apply_button, problem == NULL);
}

static void
on_custom_popover_show (KefuReportsPage *self)
{
  calendar_select (self->from_calendar, &self->from);
  calendar_select (self->to_calendar, &self->to);
  on_custom_changed (self);
}

static void
on_custom_apply (KefuReportsPage *self)
{
  GDate from;
  GDate to;

  calendar_date (self->from_calendar, &from);
  calendar_date (self->to_calendar, &to);
  if (g_date_compare (&to, &from) < 0)
    return;

  gtk_popover_popdown (self->custom_popover);
  kefu_reports_page_set_custom_period (self, &from, &to);
}

static void
on_retry (KefuReportsPage *self)
{
  kefu_reports_page_refresh (self);
}

/* ---- the technicians' table -------------------------------------------------------------- */

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  /* Left, under their headings (GTK 4.8 cannot align a column heading to the right). */
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column != COLUMN_NAME)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  KefuTechnicianStats *row = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = NULL;
  double csat;

  switch (column)
    {
    case COLUMN_NAME:
      gtk_label_set_text (label, kefu_technician_stats_get_display_name (row));
      return;
    case COLUMN_ASSIGNED:
      text = g_strdup_printf ("%d", kefu_technician_stats_get_assigned (row));
      break;
    case COLUMN_OPEN:
      text = g_strdup_printf ("%d", kefu_technician_stats_get_open (row));
      break;
    case COLUMN_RESOLVED:
      text = g_strdup_printf ("%d", kefu_technician_stats_get_resolved (row));
      break;
    case COLUMN_RESOLUTION:
      {
        double minutes = kefu_technician_stats_get_avg_resolution_minutes (row);

        text = kefu_report_format_minutes (minutes >= 0 ? minutes : NAN);
      }
      break;
    case COLUMN_CSAT:
      csat = kefu_technician_stats_get_csat_average (row);
      if (csat >= 0)
        /* Translators: a technician's average satisfaction and the number of ratings */
        text = g_strdup_printf (_("%.1f (%.0f)"), csat,
                                (double) kefu_technician_stats_get_csat_count (row));
      else
        text = g_strdup ("—");
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (label, text);
}

static void
setup_column (KefuReportsPage     *self,
              GtkColumnViewColumn *column,
              Column               which,
              const char          *property,
              GType                type)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression;
  GtkSorter *sorter;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), GINT_TO_POINTER (which));
  gtk_column_view_column_set_factory (column, factory);
  g_object_unref (factory);

  expression = gtk_property_expression_new (KEFU_TYPE_TECHNICIAN_STATS, NULL, property);
  if (type == G_TYPE_STRING)
    sorter = GTK_SORTER (gtk_string_sorter_new (expression));
  else
    sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_unref (sorter);
}

static void
setup_technicians (KefuReportsPage *self)
{
  GtkSortListModel *sorted;
  GtkNoSelection *selection;

  self->technicians = g_list_store_new (KEFU_TYPE_TECHNICIAN_STATS);

  setup_column (self, self->name_column, COLUMN_NAME, "display-name", G_TYPE_STRING);
  setup_column (self, self->assigned_column, COLUMN_ASSIGNED, "assigned", G_TYPE_INT);
  setup_column (self, self->open_column, COLUMN_OPEN, "open", G_TYPE_INT);
  setup_column (self, self->resolved_column, COLUMN_RESOLVED, "resolved", G_TYPE_INT);
  setup_column (self, self->resolution_column, COLUMN_RESOLUTION, "avg-resolution-minutes",
                G_TYPE_DOUBLE);
  setup_column (self, self->csat_column, COLUMN_CSAT, "csat-average", G_TYPE_DOUBLE);

  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->technicians)),
                                    g_object_ref (gtk_column_view_get_sorter (
                                      self->technicians_view)));
  selection = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->technicians_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_column_view_sort_by_column (self->technicians_view, self->assigned_column,
                                  GTK_SORT_DESCENDING);
}

/* ---- tiles and charts -------------------------------------------------------------------- */

static void
setup_tiles (KefuReportsPage *self)
{
  for (KefuReportTile tile = 0; tile < KEFU_REPORT_N_TILES; tile++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = gtk_label_new (kefu_report_tile_title (tile));
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *detail = gtk_label_new (NULL);

      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "kefu-tile");

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (title, kefu_report_tile_title (tile));
      gtk_widget_add_css_class (title, "kefu-tile-title");

      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_selectable (GTK_LABEL (value), FALSE);
      gtk_widget_add_css_class (value, "kefu-tile-value");
      gtk_widget_add_css_class (value, "numeric");

      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
      gtk_label_set_lines (GTK_LABEL (detail), 2);
      gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (detail, "kefu-tile-detail");

      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), detail);
      gtk_flow_box_append (self->tiles_box, box);

      self->tile_values[tile] = GTK_LABEL (value);
      self->tile_details[tile] = GTK_LABEL (detail);
    }
}

static void
setup_charts (KefuReportsPage *self)
{
  static const struct {
    int column, row, width, height;
  } places[KEFU_REPORT_N_CHARTS] = {
    [KEFU_REPORT_CHART_CSAT_TREND] = { 0, 0, 2, 220 },
    [KEFU_REPORT_CHART_SCORES] = { 0, 1, 1, 200 },
    [KEFU_REPORT_CHART_SLA] = { 1, 1, 1, 200 },
    [KEFU_REPORT_CHART_CATEGORIES] = { 0, 2, 1, 190 },
    [KEFU_REPORT_CHART_SUBCATEGORIES] = { 1, 2, 1, 190 },
  };

  for (KefuReportChart chart = 0; chart < KEFU_REPORT_N_CHARTS; chart++)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *title = gtk_label_new (kefu_report_chart_title (chart));
      GtkWidget *widget = kefu_chart_new (KEFU_CHART_KIND_COLUMNS);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "kefu-chart-card");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "heading");
      gtk_widget_set_size_request (widget, -1, places[chart].height);
      gtk_widget_set_vexpand (widget, TRUE);

      gtk_box_append (GTK_BOX (card), title);
      gtk_box_append (GTK_BOX (card), widget);
      gtk_grid_attach (self->charts_grid, card, places[chart].column, places[chart].row,
                       places[chart].width, 1);

      self->charts[chart] = KEFU_CHART (widget);
      kefu_report_chart_setup (self->charts[chart], chart, NULL, NULL);
    }
}

/* ---- export ------------------------------------------------------------------------------ */

static void
toast (AdwToastOverlay *toasts,
       const char      *text)
{
  if (toasts != NULL)
    adw_toast_overlay_add_toast (toasts, adw_toast_new (text));
  else
    g_message ("%s", text);
}

static void
save_csv_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
save_csv_downloaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  GFile *file = g_task_get_task_data (task);

  bytes = kefu_connection_download_finish (KEFU_CONNECTION (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), save_csv_written_cb,
                                       g_object_ref (task));
}

void
kefu_reports_page_save_csv_async (KefuReportsPage     *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_reports_page_save_csv_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);

  if (self->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _("You are not signed in."));
      return;
    }

  query = period_query (self);
  path = g_strdup_printf ("/reports/export.csv?%s", query);
  kefu_connection_download_async (self->connection, path, cancellable, save_csv_downloaded_cb,
                                  g_steal_pointer (&task));
}

gboolean
kefu_reports_page_save_csv_finish (KefuReportsPage  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
kefu_reports_page_save_pdf (KefuReportsPage  *self,
                            GFile            *file,
                            GError          **error)
{
  g_autofree char *path = NULL;
  const char *author = NULL;

  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->summary == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The report is not loaded yet."));
      return FALSE;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The report can only be saved to a local folder."));
      return FALSE;
    }

  if (self->connection != NULL)
    author = kefu_connection_get_user_display_name (self->connection);
  return kefu_report_pdf_write (self->summary, self->trend, author, path, error);
}

typedef struct {
  KefuReportsPage *self;
  AdwToastOverlay *toasts;
} Export;

static void
export_free (Export *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->toasts);
  g_free (data);
}

static void
saved_toast (AdwToastOverlay *toasts,
             GFile           *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  /* Translators: a toast; %s is a file name */
  text = g_strdup_printf (_("Report saved as “%s”"), name);
  toast (toasts, text);
}

static void
export_csv_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Export *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_object_ref (g_task_get_task_data (G_TASK (result)));

  if (!kefu_reports_page_save_csv_finish (KEFU_REPORTS_PAGE (object), result, &error))
    {
      g_autofree char *why = kefu_error_text (error);
      g_autofree char *text = g_strdup_printf (_("Could not save the report: %s"), why);

      toast (data->toasts, text);
    }
  else
    {
      saved_toast (data->toasts, file);
    }
  export_free (data);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     Export          *data)
{
  KefuReportsPage *self = data->self;
  g_autoptr(GFile) file = NULL;
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "kefu-pdf"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_debug ("Export chooser answered %d: %s", response,
           file != NULL ? g_file_peek_path (file) : "no file");

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);

  if (file == NULL)
    {
      export_free (data);
      return;
    }

  if (!pdf)
    {
      kefu_reports_page_save_csv_async (self, file, NULL, export_csv_cb, data);
      return;
    }

  {
    g_autoptr(GError) error = NULL;

    if (!kefu_reports_page_save_pdf (self, file, &error))
      {
        g_autofree char *why = kefu_error_text (error);
        g_autofree char *text = g_strdup_printf (_("Could not save the report: %s"), why);

        toast (data->toasts, text);
      }
    else
      {
        saved_toast (data->toasts, file);
      }
  }
  export_free (data);
}

static void
export (KefuReportsPage *self,
        AdwToastOverlay *toasts,
        gboolean         pdf)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *from = kefu_report_date_iso (&self->from);
  g_autofree char *to = kefu_report_date_iso (&self->to);
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  Export *data;

  if (!self->can_export)
    return;

  chooser = gtk_file_chooser_native_new (pdf ? _("Export the Report as PDF")
                                             : _("Export the Report as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("kefu-report-%s-%s.%s", from, to, pdf ? "pdf" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (pdf)
    {
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("CSV spreadsheets"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "kefu-pdf", GINT_TO_POINTER (pdf));

  data = g_new0 (Export, 1);
  data->self = g_object_ref (self);
  data->toasts = toasts != NULL ? g_object_ref (toasts) : NULL;
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), data);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

void
kefu_reports_page_export_csv (KefuReportsPage *self,
                              AdwToastOverlay *toasts)
{
  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));

  export (self, toasts, FALSE);
}

void
kefu_reports_page_export_pdf (KefuReportsPage *self,
                              AdwToastOverlay *toasts)
{
  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));

  export (self, toasts, TRUE);
}

/* ---- public API -------------------------------------------------------------------------- */

void
kefu_reports_page_set_connection (KefuReportsPage *self,
                                  KefuConnection  *connection)
{
  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));
  g_return_if_fail (connection == NULL || KEFU_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_set_object (&self->connection, connection);

  if (connection != NULL)
    {
      g_signal_connect_object (connection, "event", G_CALLBACK (on_event), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (connection, "notify::role", G_CALLBACK (on_role_changed), self,
                               G_CONNECT_SWAPPED);
    }

  on_role_changed (self);
}

KefuReportPeriod
kefu_reports_page_get_period (KefuReportsPage *self)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), KEFU_REPORT_PERIOD_THIS_WEEK);

  return self->period;
}

void
kefu_reports_page_select_period (KefuReportsPage  *self,
                                 KefuReportPeriod  period)
{
  GDate now;

  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));
  g_return_if_fail (period != KEFU_REPORT_PERIOD_CUSTOM);

  today (&now);
  self->period = period;
  self->from = now;
  self->to = now;

  switch (period)
    {
    case KEFU_REPORT_PERIOD_THIS_WEEK:
      g_date_subtract_days (&self->from, g_date_get_weekday (&now) - G_DATE_MONDAY);
      break;

    case KEFU_REPORT_PERIOD_LAST_WEEK:
      g_date_subtract_days (&self->from, g_date_get_weekday (&now) - G_DATE_MONDAY + 7);
      self->to = self->from;
      g_date_add_days (&self->to, 6);
      break;

    case KEFU_REPORT_PERIOD_THIS_MONTH:
      g_date_set_day (&self->from, 1);
      break;

    case KEFU_REPORT_PERIOD_CUSTOM:
    default:
      g_return_if_reached ();
    }

  period_changed (self);
}

void
kefu_reports_page_set_custom_period (KefuReportsPage *self,
                                     GDate           *from,
                                     GDate           *to)
{
  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));
  g_return_if_fail (from != NULL && g_date_valid (from));
  g_return_if_fail (to != NULL && g_date_valid (to));
  g_return_if_fail (g_date_compare (from, to) <= 0);

  self->period = KEFU_REPORT_PERIOD_CUSTOM;
  self->from = *from;
  self->to = *to;
  period_changed (self);
}

void
kefu_reports_page_get_dates (KefuReportsPage *self,
                             GDate           *from,
                             GDate           *to)
{
  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));

  if (from != NULL)
    *from = self->from;
  if (to != NULL)
    *to = self->to;
}

void
kefu_reports_page_refresh (KefuReportsPage *self)
{
  g_return_if_fail (KEFU_IS_REPORTS_PAGE (self));

  load (self);
}

gboolean
kefu_reports_page_get_can_export (KefuReportsPage *self)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), FALSE);

  return self->can_export;
}

const char *
kefu_reports_page_get_view_name (KefuReportsPage *self)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

guint
kefu_reports_page_get_load_count (KefuReportsPage *self)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), 0);

  return self->load_count;
}

JsonObject *
kefu_reports_page_get_summary (KefuReportsPage *self)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), NULL);

  return self->summary;
}

const char *
kefu_reports_page_get_tile_text (KefuReportsPage *self,
                                 KefuReportTile   tile)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), NULL);
  g_return_val_if_fail (tile < KEFU_REPORT_N_TILES, NULL);

  return gtk_label_get_text (self->tile_values[tile]);
}

KefuChart *
kefu_reports_page_get_chart (KefuReportsPage *self,
                             KefuReportChart  chart)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), NULL);
  g_return_val_if_fail (chart < KEFU_REPORT_N_CHARTS, NULL);

  return self->charts[chart];
}

GListModel *
kefu_reports_page_get_technicians (KefuReportsPage *self)
{
  g_return_val_if_fail (KEFU_IS_REPORTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->technicians);
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
kefu_reports_page_dispose (GObject *object)
{
  KefuReportsPage *self = KEFU_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_timeout, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->connection);

  gtk_widget_dispose_template (GTK_WIDGET (self), KEFU_TYPE_REPORTS_PAGE);

  G_OBJECT_CLASS (kefu_reports_page_parent_class)->dispose (object);
}

static void
kefu_reports_page_finalize (GObject *object)
{
  KefuReportsPage *self = KEFU_REPORTS_PAGE (object);

  g_clear_pointer (&self->summary, json_object_unref);
  g_clear_pointer (&self->trend, json_object_unref);
  g_clear_object (&self->technicians);

  G_OBJECT_CLASS (kefu_reports_page_parent_class)->finalize (object);
}

static void
kefu_reports_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KefuReportsPage *self = KEFU_REPORTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAN_EXPORT:
      g_value_set_boolean (value, self->can_export);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_reports_page_class_init (KefuReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kefu_reports_page_dispose;
  object_class->finalize = kefu_reports_page_finalize;
  object_class->get_property = kefu_reports_page_get_property;

  widget_class->map = kefu_reports_page_map;

  properties[PROP_CAN_EXPORT] =
    g_param_spec_boolean ("can-export", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kefu/Kefu/kefu-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, period_bar);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, this_week_button);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, last_week_button);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, this_month_button);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, custom_button);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, charts_grid);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, technicians_stack);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, technicians_view);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, assigned_column);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, open_column);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, resolved_column);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, resolution_column);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, csat_column);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, custom_popover);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, custom_error_label);
  gtk_widget_class_bind_template_child (widget_class, KefuReportsPage, custom_apply_button);
  gtk_widget_class_bind_template_callback (widget_class, on_period_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_retry);

  gtk_widget_class_set_css_name (widget_class, "kefureportspage");
}

static void
kefu_reports_page_init (KefuReportsPage *self)
{
  g_type_ensure (KEFU_TYPE_CHART);
  ensure_style ();
  gtk_widget_init_template (GTK_WIDGET (self));

  setup_tiles (self);
  setup_charts (self);
  setup_technicians (self);

  kefu_reports_page_select_period (self, KEFU_REPORT_PERIOD_THIS_WEEK);
}
