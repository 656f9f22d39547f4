/* kefu-routes-visits.c — field visits and returns of a ticket (issue 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   POST  /tickets/{n}/visits        schedule a visit (201, the full ticket)
 *   PATCH /tickets/{n}/visits/{id}   reschedule, arrive, done, cancel
 *   POST  /tickets/{n}/returns       request a return, exchange, reship or partial refund (201)
 *   PATCH /tickets/{n}/returns/{id}  move it to its next step
 *
 * Like the other ticket actions: If-Match required, the input validated here, the change made
 * by a write job (kefu-ticket-ops.c) that answers once it is durable, with the full ticket.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "kefu-error.h"
#include "kefu-number.h"
#include "kefu-server.h"
#include "kefu-ticket-ops.h"
#include "kefu-validate.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static JsonNode *
ticket_node_for (KefuRequest      *req,
                 const KefuTicket *ticket)
{
  KefuTicketJsonFlags flags = KEFU_TICKET_JSON_WITH_EVENTS;
  const KefuUser *user = req->user;

  /* The full phone number goes to the roles that call the customer, and to the assignee. */
  if (user->role != KEFU_ROLE_AGENT && user->role != KEFU_ROLE_SUPERVISOR &&
      !(ticket->assignee.id != 0 && ticket->assignee.id == user->id))
    flags |= KEFU_TICKET_JSON_MASK_PHONE;
  return kefu_ticket_to_json (ticket, flags);
}

static void
reply_ticket (KefuRequest      *req,
              guint             status,
              const KefuTicket *ticket)
{
  g_autoptr(JsonNode) node = ticket_node_for (req, ticket);
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", ticket->version);

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "ETag", etag);
  kefu_request_reply_json (req, status, node);
}

/* The ticket number and, with @with_id, the item id of the route; malformed ones are 404. */
static gboolean
path_params (KefuRequest  *req,
             gboolean      with_id,
             const char  **out_number,
             gint64       *out_id,
             GError      **error)
{
  const char *number = req->params[0];

  if (number == NULL || !kefu_number_parse (number, NULL, NULL))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "there is no ticket %s",
                   number != NULL ? number : "");
      return FALSE;
    }
  *out_number = number;

  if (with_id)
    {
      const char *text = req->params[1];
      char *end = NULL;
      gint64 id;

      errno = 0;
      id = text != NULL && g_ascii_isdigit (text[0]) ? g_ascii_strtoll (text, &end, 10) : 0;
      if (id <= 0 || errno != 0 || end == NULL || *end != '\0')
        {
          g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "there is no such item");
          return FALSE;
        }
      *out_id = id;
    }
  return TRUE;
}

/* Path, If-Match (required) and a JSON object body. */
static gboolean
begin (KefuRequest  *req,
       gboolean      with_id,
       const char  **out_number,
       gint64       *out_id,
       gint64       *out_if_match,
       JsonNode    **out_body,
       GError      **error)
{
  JsonNode *body;

  if (!path_params (req, with_id, out_number, out_id, error) ||
      !kefu_request_get_if_match (req, out_if_match, error))
    return FALSE;

  body = kefu_request_parse_body (req, FALSE, error);
  if (body == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (body))
    {
      json_node_unref (body);
      kefu_set_field_error (error, NULL, "the request body must be a JSON object");
      return FALSE;
    }
  *out_body = body;
  return TRUE;
}

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* A string member, trimmed; NULL when absent, null or empty. */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     required,
             gsize        max_chars,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *value = NULL;

  *out = NULL;
  if (!node_is_null (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          kefu_set_field_error (error, name, "%s must be a string", name);
          return FALSE;
        }
      value = g_strstrip (g_strdup (json_node_get_string (node)));
      if (*value == '\0')
        g_clear_pointer (&value, g_free);
    }

  if (value == NULL)
    {
      if (required)
        {
          kefu_set_field_error (error, name, "%s is required", name);
          return FALSE;
        }
      return TRUE;
    }
  if (!kefu_validate_text (value, max_chars, TRUE))
    {
      kefu_set_field_error (error, name, "%s must be text of at most %" G_GSIZE_FORMAT
                            " characters", name, max_chars);
      return FALSE;
    }
  *out = g_steal_pointer (&value);
  return TRUE;
}

/* An integer member ≥ 0; *@present says whether it was given. */
static gboolean
read_amount (JsonObject  *object,
             const char  *name,
             gboolean    *present,
             gint64      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *present = FALSE;
  if (node_is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > G_GINT64_CONSTANT (1) << 50)
    {
      kefu_set_field_error (error, name, "%s must be a whole number of cents, 0 or more", name);
      return FALSE;
    }
  *present = TRUE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *name,
           gboolean     required,
           gint64      *out,
           GError     **error)
{
  g_autofree char *text = NULL;

  *out = 0;
  if (!read_string (object, name, required, 64, &text, error))
    return FALSE;
  if (text != NULL && !kefu_time_from_iso8601 (text, out))
    {
      kefu_set_field_error (error, name, "%s must be an RFC 3339 time", name);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Write jobs                                                                                 */

typedef enum {
  JOB_ADD_VISIT,
  JOB_UPDATE_VISIT,
  JOB_ADD_RETURN,
  JOB_UPDATE_RETURN,
} JobKind;

typedef struct {
  JobKind           kind;
  KefuUser         *actor;
  KefuSlaPolicy    *policy;
  GTimeZone        *tz;
  gint64            now;
  char             *number;
  gint64            if_match;
  gint64            item_id;

  KefuVisitInput    visit;
  KefuVisitAction   action;

  KefuReturnType    type;
  KefuReturnReason  reason;
  KefuReturnStep    step;
  gint64            amount_cents;     /* -1 = keep (update) */
  char             *note;
  GArray           *attachment_ids;
} ItemJob;

static void
item_job_free (gpointer data)
{
  ItemJob *job = data;

  g_clear_pointer (&job->actor, kefu_user_free);
  g_clear_pointer (&job->policy, kefu_sla_policy_unref);
  g_clear_pointer (&job->tz, g_time_zone_unref);
  g_free (job->number);
  kefu_visit_input_clear (&job->visit);
  g_free (job->note);
  g_clear_pointer (&job->attachment_ids, g_array_unref);
  g_free (job);
}

static ItemJob *
item_job_new (KefuRequest *req,
              JobKind      kind,
              const char  *number,
              gint64       if_match,
              gint64       item_id)
{
  ItemJob *job = g_new0 (ItemJob, 1);

  job->kind = kind;
  job->actor = kefu_user_copy (req->user);
  job->policy = kefu_sla_policy_ref (kefu_server_get_sla_policy (req->server));
  job->tz = g_time_zone_ref (kefu_server_get_time_zone (req->server));
  job->now = kefu_server_now (req->server);
  job->number = g_strdup (number);
  job->if_match = if_match;
  job->item_id = item_id;
  job->amount_cents = -1;

  return job;
}

static gpointer
item_job_run (KefuDb   *db,
              gpointer  data,
              GError  **error)
{
  ItemJob *job = data;
  KefuOpContext ctx = { job->policy, job->tz, job->now, job->actor };

  switch (job->kind)
    {
    case JOB_ADD_VISIT:
      return kefu_ticket_op_add_visit (db, &ctx, job->number, job->if_match, &job->visit, error);
    case JOB_UPDATE_VISIT:
      return kefu_ticket_op_update_visit (db, &ctx, job->number, job->if_match, job->item_id,
                                          job->action, &job->visit, error);
    case JOB_ADD_RETURN:
      return kefu_ticket_op_add_return (db, &ctx, job->number, job->if_match, job->type,
                                        job->reason, MAX (job->amount_cents, 0), job->note,
                                        job->attachment_ids, error);
    case JOB_UPDATE_RETURN:
      return kefu_ticket_op_update_return (db, &ctx, job->number, job->if_match, job->item_id,
                                           job->step, job->note, job->amount_cents, error);
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static void
created_done (KefuRequest  *req,
              gpointer      result,
              const GError *error)
{
  if (error != NULL)
    kefu_request_reply_error (req, error);
  else
    reply_ticket (req, SOUP_STATUS_CREATED, result);
}

static void
updated_done (KefuRequest  *req,
              gpointer      result,
              const GError *error)
{
  if (error != NULL)
    kefu_request_reply_error (req, error);
  else
    reply_ticket (req, SOUP_STATUS_OK, result);
}

static void
run_job (KefuRequest          *req,
         ItemJob              *job,
         KefuRequestWriteDone  done)
{
  kefu_request_write (req, item_job_run, job, item_job_free,
                      (GDestroyNotify) kefu_ticket_unref, done);
}

/* ------------------------------------------------------------------------------------------ */
/* Visits                                                                                     */

static void
handle_add_visit (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *warranty = NULL;
  const char *number;
  gint64 if_match, unused;
  JsonObject *object;
  ItemJob *job;
  KefuVisitInput *in;

  if (!begin (req, FALSE, &number, &unused, &if_match, &body, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }
  object = json_node_get_object (body);

  job = item_job_new (req, JOB_ADD_VISIT, number, if_match, 0);
  in = &job->visit;
  if (!read_time (object, "scheduled_at", TRUE, &in->scheduled_at, &error) ||
      !read_string (object, "address", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->address, &error) ||
      !read_string (object, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->parts, &error) ||
      !read_amount (object, "fee_cents", &in->has_fee, &in->fee_cents, &error) ||
      !read_string (object, "warranty", FALSE, 8, &warranty, &error))
    goto fail;

  if (warranty != NULL)
    {
      KefuWarranty w;

      if (!kefu_warranty_from_string (warranty, &w))
        {
          kefu_set_field_error (&error, "warranty", "warranty must be in or out");
          goto fail;
        }
      in->warranty_in = w == KEFU_WARRANTY_IN;
    }

  if (json_object_has_member (object, "technician_id") &&
      !node_is_null (json_object_get_member (object, "technician_id")))
    {
      JsonNode *node = json_object_get_member (object, "technician_id");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) <= 0)
        {
          kefu_set_field_error (&error, "technician_id", "technician_id must be a user id");
          goto fail;
        }
      in->technician_id = json_node_get_int (node);
    }

  run_job (req, job, created_done);
  return;

fail:
  item_job_free (job);
  kefu_request_reply_error (req, error);
}

static void
handle_update_visit (KefuRequest *req)
{
  static const char * const actions[] = {
    [KEFU_VISIT_ACTION_RESCHEDULE] = "reschedule",
    [KEFU_VISIT_ACTION_ARRIVE] = "arrive",
    [KEFU_VISIT_ACTION_DONE] = "done",
    [KEFU_VISIT_ACTION_CANCEL] = "cancel",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *action = NULL;
  const char *number;
  gint64 if_match, id;
  JsonObject *object;
  ItemJob *job;
  KefuVisitInput *in;
  guint a;

  if (!begin (req, TRUE, &number, &id, &if_match, &body, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }
  object = json_node_get_object (body);

  job = item_job_new (req, JOB_UPDATE_VISIT, number, if_match, id);
  in = &job->visit;
  if (!read_string (object, "action", TRUE, 32, &action, &error))
    goto fail;
  for (a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      if (g_str_equal (action, actions[a]))
        break;
    }
  if (a == G_N_ELEMENTS (actions))
    {
      kefu_set_field_error (&error, "action",
                            "action must be reschedule, arrive, done or cancel");
      goto fail;
    }
  job->action = a;

  if (!read_time (object, "scheduled_at", job->action == KEFU_VISIT_ACTION_RESCHEDULE,
                  &in->scheduled_at, &error) ||
      !read_string (object, "reason", job->action == KEFU_VISIT_ACTION_RESCHEDULE ||
                                      job->action == KEFU_VISIT_ACTION_CANCEL,
                    KEFU_LONG_TEXT_MAX_CHARS, &in->reason, &error) ||
      !read_string (object, "outcome", job->action == KEFU_VISIT_ACTION_DONE,
                    KEFU_LONG_TEXT_MAX_CHARS, &in->outcome, &error) ||
      !read_string (object, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->parts, &error) ||
      !read_amount (object, "fee_cents", &in->has_fee, &in->fee_cents, &error))
    goto fail;

  run_job (req, job, updated_done);
  return;

fail:
  item_job_free (job);
  kefu_request_reply_error (req, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Returns                                                                                    */

static void
handle_add_return (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *type = NULL;
  g_autofree char *reason = NULL;
  const char *number;
  gint64 if_match, unused;
  gboolean has_amount;
  JsonObject *object;
  JsonNode *ids;
  ItemJob *job;

  if (!begin (req, FALSE, &number, &unused, &if_match, &body, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }
  object = json_node_get_object (body);

  job = item_job_new (req, JOB_ADD_RETURN, number, if_match, 0);
  if (!read_string (object, "type", TRUE, 32, &type, &error))
    goto fail;
  if (!kefu_return_type_from_string (type, &job->type))
    {
      kefu_set_field_error (&error, "type",
                            "type must be return_refund, exchange, reship or partial_refund");
      goto fail;
    }
  if (!read_string (object, "reason", TRUE, 32, &reason, &error))
    goto fail;
  if (!kefu_return_reason_from_string (reason, &job->reason))
    {
      kefu_set_field_error (&error, "reason", "reason is not a known return reason");
      goto fail;
    }
  if (!read_amount (object, "amount_cents", &has_amount, &job->amount_cents, &error) ||
      !read_string (object, "note", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &job->note, &error))
    goto fail;

  job->attachment_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ids = json_object_get_member (object, "attachment_ids");
  if (!node_is_null (ids))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (ids) ? json_node_get_array (ids) : NULL;

      if (array == NULL || json_array_get_length (array) > KEFU_MAX_ATTACHMENTS_PER_TICKET)
        {
          kefu_set_field_error (&error, "attachment_ids",
                                "attachment_ids must be an array of attachment ids");
          goto fail;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          gint64 id;

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_INT64)
            {
              kefu_set_field_error (&error, "attachment_ids",
                                    "attachment_ids must be an array of attachment ids");
              goto fail;
            }
          id = json_node_get_int (element);
          g_array_append_val (job->attachment_ids, id);
        }
    }

  run_job (req, job, created_done);
  return;

fail:
  item_job_free (job);
  kefu_request_reply_error (req, error);
}

static void
handle_update_return (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *step = NULL;
  const char *number;
  gint64 if_match, id;
  gboolean has_amount;
  JsonObject *object;
  ItemJob *job;

  if (!begin (req, TRUE, &number, &id, &if_match, &body, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }
  object = json_node_get_object (body);

  job = item_job_new (req, JOB_UPDATE_RETURN, number, if_match, id);
  if (!read_string (object, "step", TRUE, 32, &step, &error))
    goto fail;
  if (!kefu_return_step_from_string (step, &job->step))
    {
      kefu_set_field_error (&error, "step", "step is not a known return step");
      goto fail;
    }
  if (!read_amount (object, "amount_cents", &has_amount, &job->amount_cents, &error) ||
      !read_string (object, "note", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &job->note, &error))
    goto fail;
  if (!has_amount)
    job->amount_cents = -1;

  run_job (req, job, updated_done);
  return;

fail:
  item_job_free (job);
  kefu_request_reply_error (req, error);
}

/* ------------------------------------------------------------------------------------------ */

void
kefu_routes_visits_register (KefuServer *server)
{
  g_return_if_fail (KEFU_IS_SERVER (server));

  /* Route masks let every role through that may ever do it; the operations decide the rest
   * (the assignee, the logistics department …) and answer 403 themselves. */
  kefu_server_add_route (server, "POST", "/tickets/{}/visits", KEFU_ROUTE_STAFF,
                         handle_add_visit);
  kefu_server_add_route (server, "PATCH", "/tickets/{}/visits/{}", KEFU_ROUTE_STAFF,
                         handle_update_visit);
  kefu_server_add_route (server, "POST", "/tickets/{}/returns", KEFU_ROUTE_STAFF,
                         handle_add_return);
  kefu_server_add_route (server, "PATCH", "/tickets/{}/returns/{}", KEFU_ROUTE_STAFF,
                         handle_update_return);
}
