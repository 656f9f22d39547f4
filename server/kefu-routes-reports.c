/* kefu-routes-reports.c — /reports: summary, CSAT trend and CSV export of a period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Supervisors and managers only. The parameters are checked here, on the main thread; the
 * report itself runs on a worker thread with a read-only connection of its own
 * (kefu_report_run_async()), so that a report over three years does not stall the main loop
 * while it reads. Metric definitions: docs/reports.md.
 */
#include "config.h"

#include "kefu-error.h"
#include "kefu-reports.h"
#include "kefu-server.h"

#define REPORT_ROLES (KEFU_ROLE_BIT (KEFU_ROLE_SUPERVISOR) | KEFU_ROLE_BIT (KEFU_ROLE_MANAGER))

static void
report_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KefuRequest) req = user_data;
  g_autoptr(GError) error = NULL;
  gpointer value = kefu_report_run_finish (result, &error);

  if (value == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  kefu_request_reply_json (req, SOUP_STATUS_OK, value);
  json_node_unref (value);
}

static void
csv_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KefuRequest) req = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = kefu_report_run_finish (result, &error);
  SoupMessageHeaders *headers;
  g_autofree char *disposition = NULL;
  const char *from, *to;

  if (bytes == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  from = kefu_request_get_query (req, "from");
  to = kefu_request_get_query (req, "to");
  /* Both were checked to be YYYY-MM-DD: nothing to escape. */
  disposition = g_strdup_printf ("attachment; filename=\"kefu-report-%s-%s.csv\"", from, to);
  headers = soup_server_message_get_response_headers (req->msg);
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_replace (headers, "Content-Type", "text/csv; charset=utf-8");
  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  /* The body is the worker's buffer, not a copy: an export can be tens of megabytes. */
  soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), bytes);
  /* Answered: status, headers and body are set (kefu_request_reply_json() is for JSON). */
  kefu_request_pass (req);
}

static void
run (KefuRequest    *req,
     KefuReportKind  kind)
{
  g_autoptr(GError) error = NULL;
  KefuReportPeriod period;
  KefuReportBucket bucket = KEFU_REPORT_BUCKET_DAY;
  GTimeZone *tz = kefu_server_get_time_zone (req->server);
  KefuStore *store = kefu_server_get_store (req->server);

  if (!kefu_report_period_parse (kefu_request_get_query (req, "from"),
                                 kefu_request_get_query (req, "to"), tz, &period, &error) ||
      (kind == KEFU_REPORT_CSAT_TREND &&
       !kefu_report_bucket_parse (kefu_request_get_query (req, "bucket"), &bucket, &error)))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  /* The request is paused until the worker answers. */
  kefu_report_run_async (kefu_store_get_path (store), kind, &period, bucket, tz,
                         kefu_server_now (req->server), NULL,
                         kind == KEFU_REPORT_CSV ? csv_done : report_done,
                         kefu_request_ref (req));
}

static void
handle_summary (KefuRequest *req)
{
  run (req, KEFU_REPORT_SUMMARY);
}

static void
handle_csat_trend (KefuRequest *req)
{
  run (req, KEFU_REPORT_CSAT_TREND);
}

static void
handle_export_csv (KefuRequest *req)
{
  run (req, KEFU_REPORT_CSV);
}

void
kefu_routes_reports_register (KefuServer *server)
{
  kefu_server_add_route (server, "GET", "/reports/summary", REPORT_ROLES, handle_summary);
  kefu_server_add_route (server, "GET", "/reports/csat-trend", REPORT_ROLES, handle_csat_trend);
  kefu_server_add_route (server, "GET", "/reports/export.csv", REPORT_ROLES, handle_export_csv);
}
