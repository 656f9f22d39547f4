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

#include "kefu-error.h"
#include "kefu-routes-common.h"
#include "kefu-server.h"
#include "kefu-ticket-ops.h"
#include "kefu-validate.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* These members are trimmed of ASCII white space only (g_strstrip()). */
static char *
strip_dup (const char *str)
{
  return g_strstrip (g_strdup (str));
}

/* A string member, trimmed; NULL when absent, null or empty; at most @max_chars. */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     required,
             gsize        max_chars,
             char       **out,
             GError     **error)
{
  g_autofree char *value = NULL;

  *out = NULL;
  if (!kefu_routes_read_string (object, name, required, strip_dup, &value, error))
    return FALSE;
  if (!kefu_validate_text_field (value, name, max_chars, TRUE, error))
    return FALSE;
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
  KefuTicketJob     base;
  JobKind           kind;
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

  kefu_ticket_job_clear (&job->base);
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

  kefu_ticket_job_init (&job->base, req, number, if_match);
  job->kind = kind;
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
  KefuOpContext ctx = kefu_ticket_job_context (&job->base);
  const char *number = job->base.number;
  gint64 if_match = job->base.if_match;

  switch (job->kind)
    {
    case JOB_ADD_VISIT:
      return kefu_ticket_op_add_visit (db, &ctx, number, if_match, &job->visit, error);
    case JOB_UPDATE_VISIT:
      return kefu_ticket_op_update_visit (db, &ctx, number, if_match, job->item_id, job->action,
                                          &job->visit, error);
    case JOB_ADD_RETURN:
      return kefu_ticket_op_add_return (db, &ctx, number, if_match, job->type, job->reason,
                                        MAX (job->amount_cents, 0), job->note,
                                        job->attachment_ids, error);
    case JOB_UPDATE_RETURN:
      return kefu_ticket_op_update_return (db, &ctx, number, if_match, job->item_id, job->step,
                                           job->note, job->amount_cents, error);
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* Reads the body of an item request into @job. */
typedef gboolean (*ReadItemFunc) (JsonObject  *object,
                                  ItemJob     *job,
                                  GError     **error);

/* Every item request: the path (with the item id for an update), If-Match (required), a JSON
 * object body that @read puts into a job of @kind; answered with the changed ticket, 201 for a
 * new item and 200 for an update. */
static void
handle_item (KefuRequest  *req,
             JobKind       kind,
             ReadItemFunc  read)
{
  gboolean update = kind == JOB_UPDATE_VISIT || kind == JOB_UPDATE_RETURN;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  const char *number;
  gint64 if_match;
  gint64 id = 0;
  JsonObject *object;
  ItemJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_DEFAULT, &number, update ? &id : NULL,
                                 &if_match, &body, &error) ||
      !kefu_routes_body_object (body, &object, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  job = item_job_new (req, kind, number, if_match, id);
  if (!read (object, job, &error))
    {
      item_job_free (job);
      kefu_request_reply_error (req, error);
      return;
    }

  kefu_routes_write_ticket (req, item_job_run, job, item_job_free, !update);
}

/* ------------------------------------------------------------------------------------------ */
/* Visits                                                                                     */

static gboolean
read_add_visit (JsonObject  *object,
                ItemJob     *job,
                GError     **error)
{
  KefuVisitInput *in = &job->visit;
  g_autofree char *warranty = NULL;

  if (!read_time (object, "scheduled_at", TRUE, &in->scheduled_at, error) ||
      !read_string (object, "address", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->address, error) ||
      !read_string (object, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->parts, error) ||
      !read_amount (object, "fee_cents", &in->has_fee, &in->fee_cents, error) ||
      !read_string (object, "warranty", FALSE, 8, &warranty, error))
    return FALSE;

  if (warranty != NULL)
    {
      KefuWarranty w;

      if (!kefu_warranty_from_string (warranty, &w))
        {
          kefu_set_field_error (error, "warranty", "warranty must be in or out");
          return FALSE;
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
          kefu_set_field_error (error, "technician_id", "technician_id must be a user id");
          return FALSE;
        }
      in->technician_id = json_node_get_int (node);
    }

  return TRUE;
}

static void
handle_add_visit (KefuRequest *req)
{
  handle_item (req, JOB_ADD_VISIT, read_add_visit);
}

static gboolean
read_update_visit (JsonObject  *object,
                   ItemJob     *job,
                   GError     **error)
{
  static const char * const actions[] = {
    [KEFU_VISIT_ACTION_RESCHEDULE] = "reschedule",
    [KEFU_VISIT_ACTION_ARRIVE] = "arrive",
    [KEFU_VISIT_ACTION_DONE] = "done",
    [KEFU_VISIT_ACTION_CANCEL] = "cancel",
  };
  KefuVisitInput *in = &job->visit;
  g_autofree char *action = NULL;
  guint a;

  if (!read_string (object, "action", TRUE, 32, &action, error))
    return FALSE;
  for (a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      if (g_str_equal (action, actions[a]))
        break;
    }
  if (a == G_N_ELEMENTS (actions))
    {
      kefu_set_field_error (error, "action",
                            "action must be reschedule, arrive, done or cancel");
      return FALSE;
    }
  job->action = a;

  if (!read_time (object, "scheduled_at", job->action == KEFU_VISIT_ACTION_RESCHEDULE,
                  &in->scheduled_at, error) ||
      !read_string (object, "reason", job->action == KEFU_VISIT_ACTION_RESCHEDULE ||
                                      job->action == KEFU_VISIT_ACTION_CANCEL,
                    KEFU_LONG_TEXT_MAX_CHARS, &in->reason, error) ||
      !read_string (object, "outcome", job->action == KEFU_VISIT_ACTION_DONE,
                    KEFU_LONG_TEXT_MAX_CHARS, &in->outcome, error) ||
      !read_string (object, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->parts, error) ||
      !read_amount (object, "fee_cents", &in->has_fee, &in->fee_cents, error))
    return FALSE;
  return TRUE;
}

static void
handle_update_visit (KefuRequest *req)
{
  handle_item (req, JOB_UPDATE_VISIT, read_update_visit);
}

/* ------------------------------------------------------------------------------------------ */
/* Returns                                                                                    */

static gboolean
read_add_return (JsonObject  *object,
                 ItemJob     *job,
                 GError     **error)
{
  g_autofree char *type = NULL;
  g_autofree char *reason = NULL;
  gboolean has_amount;
  JsonNode *ids;

  if (!read_string (object, "type", TRUE, 32, &type, error))
    return FALSE;
  if (!kefu_return_type_from_string (type, &job->type))
    {
      kefu_set_field_error (error, "type",
                            "type must be return_refund, exchange, reship or partial_refund");
      return FALSE;
    }
  if (!read_string (object, "reason", TRUE, 32, &reason, error))
    return FALSE;
  if (!kefu_return_reason_from_string (reason, &job->reason))
    {
      kefu_set_field_error (error, "reason", "reason is not a known return reason");
      return FALSE;
    }
  if (!read_amount (object, "amount_cents", &has_amount, &job->amount_cents, error) ||
      !read_string (object, "note", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &job->note, error))
    return FALSE;

  job->attachment_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ids = json_object_get_member (object, "attachment_ids");
  if (!node_is_null (ids))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (ids) ? json_node_get_array (ids) : NULL;

      if (array == NULL || json_array_get_length (array) > KEFU_MAX_ATTACHMENTS_PER_TICKET)
        {
          kefu_set_field_error (error, "attachment_ids",
                                "attachment_ids must be an array of attachment ids");
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          gint64 id;

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_INT64)
            {
              kefu_set_field_error (error, "attachment_ids",
                                    "attachment_ids must be an array of attachment ids");
              return FALSE;
            }
          id = json_node_get_int (element);
          g_array_append_val (job->attachment_ids, id);
        }
    }

  return TRUE;
}

static void
handle_add_return (KefuRequest *req)
{
  handle_item (req, JOB_ADD_RETURN, read_add_return);
}

static gboolean
read_update_return (JsonObject  *object,
                    ItemJob     *job,
                    GError     **error)
{
  g_autofree char *step = NULL;
  gboolean has_amount;

  if (!read_string (object, "step", TRUE, 32, &step, error))
    return FALSE;
  if (!kefu_return_step_from_string (step, &job->step))
    {
      kefu_set_field_error (error, "step", "step is not a known return step");
      return FALSE;
    }
  if (!read_amount (object, "amount_cents", &has_amount, &job->amount_cents, error) ||
      !read_string (object, "note", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &job->note, error))
    return FALSE;
  if (!has_amount)
    job->amount_cents = -1;

  return TRUE;
}

static void
handle_update_return (KefuRequest *req)
{
  handle_item (req, JOB_UPDATE_RETURN, read_update_return);
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
