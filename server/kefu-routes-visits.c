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

#include "kefu-bodies.h"
#include "kefu-error.h"
#include "kefu-routes-common.h"
#include "kefu-server.h"
#include "kefu-ticket-ops.h"
#include "kefu-validate.h"

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

  KefuReturnBody    ret;              /* amount_cents -1 = keep (update) */
} ItemJob;

static void
item_job_free (gpointer data)
{
  ItemJob *job = data;

  kefu_ticket_job_clear (&job->base);
  kefu_visit_input_clear (&job->visit);
  kefu_return_body_clear (&job->ret);
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
      return kefu_ticket_op_add_return (db, &ctx, number, if_match, job->ret.type,
                                        job->ret.reason, MAX (job->ret.amount_cents, 0),
                                        job->ret.note, job->ret.attachment_ids, error);
    case JOB_UPDATE_RETURN:
      return kefu_ticket_op_update_return (db, &ctx, number, if_match, job->item_id,
                                           job->ret.step, job->ret.note, job->ret.amount_cents,
                                           error);
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* Reads the body of an item request into @job (kefu-bodies.c). */
static gboolean
read_body (JsonNode  *body,
           ItemJob   *job,
           GError   **error)
{
  switch (job->kind)
    {
    case JOB_ADD_VISIT:
      return kefu_body_read_visit (body, NULL, &job->visit, error);
    case JOB_UPDATE_VISIT:
      return kefu_body_read_visit (body, &job->action, &job->visit, error);
    case JOB_ADD_RETURN:
      return kefu_body_read_return (body, FALSE, &job->ret, error);
    case JOB_UPDATE_RETURN:
      return kefu_body_read_return (body, TRUE, &job->ret, error);
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* Every item request: the path (with the item id for an update), If-Match (required), a JSON
 * object body read into a job of @kind; answered with the changed ticket, 201 for a new item
 * and 200 for an update. */
static void
handle_item (KefuRequest *req,
             JobKind      kind)
{
  gboolean update = kind == JOB_UPDATE_VISIT || kind == JOB_UPDATE_RETURN;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  const char *number;
  gint64 if_match;
  gint64 id = 0;
  ItemJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_DEFAULT, &number, update ? &id : NULL,
                                 &if_match, &body, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  job = item_job_new (req, kind, number, if_match, id);
  if (!read_body (body, job, &error))
    {
      item_job_free (job);
      kefu_request_reply_error (req, error);
      return;
    }

  kefu_routes_write_ticket (req, item_job_run, job, item_job_free, !update);
}

/* ------------------------------------------------------------------------------------------ */
/* Visits                                                                                     */

static void
handle_add_visit (KefuRequest *req)
{
  handle_item (req, JOB_ADD_VISIT);
}

static void
handle_update_visit (KefuRequest *req)
{
  handle_item (req, JOB_UPDATE_VISIT);
}

/* ------------------------------------------------------------------------------------------ */
/* Returns                                                                                    */

static void
handle_add_return (KefuRequest *req)
{
  handle_item (req, JOB_ADD_RETURN);
}

static void
handle_update_return (KefuRequest *req)
{
  handle_item (req, JOB_UPDATE_RETURN);
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
