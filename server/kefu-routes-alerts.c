/* kefu-routes-alerts.c — /alerts (SLA alerts and escalations) and /sla-policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Alerts are raised by the workflow (a new P1, an unsatisfied customer) and by the SLA
 * scheduler; here they are listed for their recipients and acknowledged. The SLA policy is read
 * by all staff and replaced by administrators: a new policy object is stored and then put in
 * force; policies are never changed in place, so a write job holding the old one is unaffected.
 */
#include "config.h"

#include <string.h>

#include "kefu-alert.h"
#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-server.h"
#include "kefu-settings.h"

#define LIST_DEFAULT_LIMIT 100
#define LIST_MAX_LIMIT     500

static KefuDb *
reader_db (KefuRequest *req)
{
  return kefu_store_get_reader (kefu_server_get_store (req->server));
}

/* A positive integer, all digits (no sign, no spaces). */
static gboolean
parse_id (const char *text,
          gint64     *out)
{
  return kefu_parse_decimal (text, 1, G_MAXINT64, out);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /alerts?state=open|acked|all&limit=N&cursor=C                                          */

static void
handle_list (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *state_text = kefu_request_get_query (req, "state");
  const char *limit_text = kefu_request_get_query (req, "limit");
  const char *cursor_text = kefu_request_get_query (req, "cursor");
  KefuAlertState state = KEFU_ALERT_STATE_OPEN;
  gint64 limit = LIST_DEFAULT_LIMIT;
  gint64 cursor = 0;

  if (state_text == NULL || g_str_equal (state_text, "open"))
    state = KEFU_ALERT_STATE_OPEN;
  else if (g_str_equal (state_text, "acked"))
    state = KEFU_ALERT_STATE_ACKED;
  else if (g_str_equal (state_text, "all"))
    state = KEFU_ALERT_STATE_ALL;
  else
    {
      kefu_set_field_error (&error, "state", "state must be open, acked or all");
      kefu_request_reply_error (req, error);
      return;
    }

  if (limit_text != NULL && (!parse_id (limit_text, &limit) || limit > LIST_MAX_LIMIT))
    {
      kefu_set_field_error (&error, "limit", "limit must be a whole number from 1 to %d",
                            LIST_MAX_LIMIT);
      kefu_request_reply_error (req, error);
      return;
    }
  if (cursor_text != NULL && !parse_id (cursor_text, &cursor))
    {
      kefu_set_field_error (&error, "cursor", "cursor is not one this server gave");
      kefu_request_reply_error (req, error);
      return;
    }

  alerts = kefu_alert_list (reader_db (req), req->user, state, (guint) limit, cursor, &error);
  if (alerts == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "alerts");
  json_builder_begin_array (b);
  for (guint i = 0; i < alerts->len; i++)
    json_builder_add_value (b, kefu_alert_to_json (g_ptr_array_index (alerts, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next_cursor");
  if (alerts->len == (guint) limit)
    {
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               ((KefuAlert *) g_ptr_array_index (
                                                  alerts, alerts->len - 1))->id);

      json_builder_add_string_value (b, next);
    }
  else
    {
      json_builder_add_null_value (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  kefu_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /alerts/{id}/ack                                                                      */

typedef struct {
  gint64    id;
  KefuUser *user;
  gint64    now;
} AckJob;

static void
ack_job_free (gpointer data)
{
  AckJob *job = data;

  g_clear_pointer (&job->user, kefu_user_free);
  g_free (job);
}

static gpointer
ack_job_run (KefuDb   *db,
             gpointer  data,
             GError  **error)
{
  AckJob *job = data;

  return kefu_alert_ack (db, job->id, job->user, job->now, error);
}

static void
ack_job_done (KefuRequest  *req,
              gpointer      result,
              const GError *error)
{
  g_autoptr(JsonNode) node = NULL;

  if (error != NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  node = kefu_alert_to_json (result);
  kefu_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_ack (KefuRequest *req)
{
  AckJob *job;
  gint64 id;

  if (!parse_id (req->params[0], &id))
    {
      kefu_request_reply_error_literal (req, KEFU_ERROR_NOT_FOUND, "there is no such alert");
      return;
    }

  job = g_new0 (AckJob, 1);
  job->id = id;
  job->user = kefu_user_copy (req->user);
  /* Whole seconds, like every time on the wire. */
  job->now = kefu_server_now (req->server) / G_USEC_PER_SEC * G_USEC_PER_SEC;

  kefu_request_write (req, ack_job_run, job, ack_job_free, (GDestroyNotify) kefu_alert_free,
                      ack_job_done);
}

/* ------------------------------------------------------------------------------------------ */
/* GET, PUT /sla-policy                                                                       */

static void
handle_get_policy (KefuRequest *req)
{
  g_autoptr(JsonNode) node = kefu_sla_policy_to_json (kefu_server_get_sla_policy (req->server));

  kefu_request_reply_json (req, SOUP_STATUS_OK, node);
}

typedef struct {
  KefuSlaPolicy *policy;
  char          *text;
  gint64         user_id;
  gint64         now;
} PolicyJob;

static void
policy_job_free (gpointer data)
{
  PolicyJob *job = data;

  g_clear_pointer (&job->policy, kefu_sla_policy_unref);
  g_free (job->text);
  g_free (job);
}

static gpointer
policy_job_run (KefuDb   *db,
                gpointer  data,
                GError  **error)
{
  PolicyJob *job = data;

  if (!kefu_settings_set (db, KEFU_SETTING_SLA_POLICY, job->text, job->now, job->user_id, error))
    return NULL;
  return kefu_sla_policy_ref (job->policy);
}

static void
policy_job_done (KefuRequest  *req,
                 gpointer      result,
                 const GError *error)
{
  g_autoptr(JsonNode) node = NULL;

  if (error != NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  /* Stored: in force from now on (see docs/protocol.md for open tickets). */
  kefu_server_set_sla_policy (req->server, result);
  node = kefu_sla_policy_to_json (result);
  kefu_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_put_policy (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) canonical = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(KefuSlaPolicy) policy = NULL;
  PolicyJob *job;

  body = kefu_request_parse_body (req, FALSE, &error);
  if (body == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  policy = kefu_sla_policy_from_json (body, &error);
  if (policy == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  /* Stored as the server writes it, not as it came. */
  canonical = kefu_sla_policy_to_json (policy);
  json_generator_set_root (gen, canonical);

  job = g_new0 (PolicyJob, 1);
  job->policy = g_steal_pointer (&policy);
  job->text = json_generator_to_data (gen, NULL);
  job->user_id = req->user->id;
  job->now = kefu_server_now (req->server);

  kefu_request_write (req, policy_job_run, job, policy_job_free,
                      (GDestroyNotify) kefu_sla_policy_unref, policy_job_done);
}

void
kefu_routes_alerts_register (KefuServer *server)
{
  kefu_server_add_route (server, "GET", "/alerts", KEFU_ROUTE_STAFF, handle_list);
  kefu_server_add_route (server, "POST", "/alerts/{}/ack", KEFU_ROUTE_STAFF, handle_ack);
  kefu_server_add_route (server, "GET", "/sla-policy", KEFU_ROUTE_STAFF, handle_get_policy);
  kefu_server_add_route (server, "PUT", "/sla-policy", KEFU_ROLE_BIT (KEFU_ROLE_ADMIN),
                         handle_put_policy);
}
