/* kefu-routes-tickets.c — /tickets: list, intake, detail and the workflow operations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads run on the main thread against the store's reader connection. Writes validate their
 * input here, then hand a self-contained job (copies of every input, a copy of the caller, a
 * reference to the SLA policy) to the store's writer thread, and answer once it has committed.
 */
#include "config.h"

#include "kefu-bodies.h"
#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-routes-common.h"
#include "kefu-server.h"
#include "kefu-ticket-ops.h"
#include "kefu-ticket-repo.h"
#include "kefu-validate.h"

#define LIST_DEFAULT_LIMIT 100
#define LIST_MAX_LIMIT     500

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuTicketQuery, kefu_ticket_query_clear)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static KefuDb *
reader_db (KefuRequest *req)
{
  return kefu_store_get_reader (kefu_server_get_store (req->server));
}

/* ------------------------------------------------------------------------------------------ */
/* Write jobs                                                                                 */

typedef enum {
  JOB_CREATE,                       /* create_job_run() */
  JOB_PATCH,
  JOB_ASSIGN,
  JOB_ACCEPT,
  JOB_STATUS,
  JOB_NOTE,
  JOB_RESOLVE,
  JOB_CONFIRM,
} JobKind;

/* Everything a job needs, owned by the job: it runs on the writer thread. */
typedef struct {
  KefuTicketJob     base;
  JobKind           kind;

  KefuTicket       *intake;         /* create */
  JsonNode         *body;           /* patch */
  gint64            assignee_id;    /* assign */
  char             *department;
  GStrv             supporting;     /* NULL = keep */
  KefuStatus        status;         /* status */
  char             *text;           /* status reason, note text */
  gboolean          customer_contact;
  KefuResolution    resolution;     /* resolve */
  KefuConfirmation  confirmation;   /* confirm */
} TicketJob;

typedef struct {
  KefuTicket *ticket;
  GStrv       duplicates;           /* create: numbers of open tickets of the same customer */
} TicketResult;

static void
ticket_job_free (gpointer data)
{
  TicketJob *job = data;

  kefu_ticket_job_clear (&job->base);
  g_clear_pointer (&job->intake, kefu_ticket_unref);
  g_clear_pointer (&job->body, json_node_unref);
  g_free (job->department);
  g_strfreev (job->supporting);
  g_free (job->text);
  g_free (job->resolution.summary);
  g_free (job->confirmation.comment);
  g_free (job);
}

static void
ticket_result_free (gpointer data)
{
  TicketResult *result = data;

  g_clear_pointer (&result->ticket, kefu_ticket_unref);
  g_strfreev (result->duplicates);
  g_free (result);
}

static TicketJob *
ticket_job_new (KefuRequest *req,
                JobKind      kind,
                const char  *number,
                gint64       if_match)
{
  TicketJob *job = g_new0 (TicketJob, 1);

  kefu_ticket_job_init (&job->base, req, number, if_match);
  job->kind = kind;

  return job;
}

static GStrv
find_duplicates (KefuDb      *db,
                 KefuTicket  *intake,
                 GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  found = kefu_ticket_repo_find_open_duplicates (db, intake->customer.phone,
                                                 intake->customer.order_no, error);
  if (found == NULL)
    return NULL;

  for (guint i = 0; i < found->len; i++)
    g_strv_builder_add (builder, ((KefuTicket *) g_ptr_array_index (found, i))->number);

  return g_strv_builder_end (builder);
}

/* JOB_CREATE: a TicketResult. */
static gpointer
create_job_run (KefuDb   *db,
                gpointer  data,
                GError  **error)
{
  TicketJob *job = data;
  KefuOpContext ctx = kefu_ticket_job_context (&job->base);
  g_auto(GStrv) duplicates = NULL;
  KefuTicket *ticket;
  TicketResult *result;

  duplicates = find_duplicates (db, job->intake, error);
  if (duplicates == NULL)
    return NULL;
  ticket = kefu_ticket_op_create (db, &ctx, job->intake, error);
  if (ticket == NULL)
    return NULL;

  result = g_new0 (TicketResult, 1);
  result->ticket = ticket;
  result->duplicates = g_steal_pointer (&duplicates);
  return result;
}

/* Every other kind: the changed ticket. */
static gpointer
ticket_job_run (KefuDb   *db,
                gpointer  data,
                GError  **error)
{
  TicketJob *job = data;
  KefuOpContext ctx = kefu_ticket_job_context (&job->base);
  const char *number = job->base.number;
  gint64 if_match = job->base.if_match;

  switch (job->kind)
    {
    case JOB_PATCH:
      return kefu_ticket_op_patch (db, &ctx, number, if_match, job->body, error);

    case JOB_ASSIGN:
      return kefu_ticket_op_assign (db, &ctx, number, if_match, job->assignee_id,
                                    job->department, (const char * const *) job->supporting,
                                    error);

    case JOB_ACCEPT:
      return kefu_ticket_op_accept (db, &ctx, number, if_match, error);

    case JOB_STATUS:
      return kefu_ticket_op_set_status (db, &ctx, number, if_match, job->status, job->text,
                                        error);

    case JOB_NOTE:
      return kefu_ticket_op_add_note (db, &ctx, number, if_match, job->text,
                                      job->customer_contact, error);

    case JOB_RESOLVE:
      return kefu_ticket_op_resolve (db, &ctx, number, if_match, &job->resolution, error);

    case JOB_CONFIRM:
      return kefu_ticket_op_confirm (db, &ctx, number, if_match, &job->confirmation, error);

    case JOB_CREATE:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static void
create_job_done (KefuRequest  *req,
                 gpointer      data,
                 const GError *error)
{
  TicketResult *result = data;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *location = NULL;
  JsonArray *duplicates;

  if (error != NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  g_return_if_fail (result != NULL && result->ticket != NULL);

  node = kefu_routes_ticket_node (req, result->ticket);
  duplicates = json_array_new ();
  for (guint i = 0; result->duplicates != NULL && result->duplicates[i] != NULL; i++)
    json_array_add_string_element (duplicates, result->duplicates[i]);
  json_object_set_array_member (json_node_get_object (node), "duplicates", duplicates);

  location = g_strconcat ("/api/v1/tickets/", result->ticket->number, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
  kefu_routes_set_etag (req, result->ticket);
  kefu_request_reply_json (req, SOUP_STATUS_CREATED, node);
}

/* A change: answered 200 with the changed ticket. */
static void
run_job (KefuRequest *req,
         TicketJob   *job)
{
  kefu_routes_write_ticket (req, ticket_job_run, job, ticket_job_free, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /tickets                                                                               */

static gboolean
bad_query (GError     **error,
           const char  *name,
           const char  *message)
{
  kefu_set_field_error (error, name, "%s: %s", name, message);
  return FALSE;
}

/* The comma-separated items of a query value, trimmed, without empty ones. */
static GStrv
query_list (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_list_query (KefuRequest      *req,
                  KefuTicketQuery  *query,
                  GError          **error)
{
  const char *value;

  query->limit = LIST_DEFAULT_LIMIT;

  value = kefu_request_get_query (req, "status");
  if (value != NULL && *value != '\0')
    {
      g_auto(GStrv) items = query_list (value);

      for (guint i = 0; items[i] != NULL; i++)
        {
          KefuStatus status;

          if (g_str_equal (items[i], "open"))
            {
              query->open_only = TRUE;
              continue;
            }
          if (!kefu_status_from_string (items[i], &status))
            return bad_query (error, "status", "not a status (or \"open\")");
          if (query->statuses == NULL)
            query->statuses = g_array_new (FALSE, FALSE, sizeof (KefuStatus));
          g_array_append_val (query->statuses, status);
        }
      /* "open,resolved" means either: open statuses plus the ones named. */
      if (query->open_only && query->statuses != NULL)
        {
          for (KefuStatus s = 0; s < KEFU_STATUS_LAST; s++)
            {
              if (kefu_status_is_open (s))
                g_array_append_val (query->statuses, s);
            }
          query->open_only = FALSE;
        }
    }

  value = kefu_request_get_query (req, "priority");
  if (value != NULL && *value != '\0')
    {
      g_auto(GStrv) items = query_list (value);

      query->priorities = g_array_new (FALSE, FALSE, sizeof (int));
      for (guint i = 0; items[i] != NULL; i++)
        {
          gint64 p;
          int priority;

          if (!kefu_parse_decimal (items[i], 1, 4, &p))
            return bad_query (error, "priority", "priorities are 1 to 4");
          priority = (int) p;
          g_array_append_val (query->priorities, priority);
        }
    }

  value = kefu_request_get_query (req, "category");
  if (value != NULL && *value != '\0')
    {
      g_auto(GStrv) items = query_list (value);

      query->categories = g_array_new (FALSE, FALSE, sizeof (KefuCategory));
      for (guint i = 0; items[i] != NULL; i++)
        {
          KefuCategory category;

          if (!kefu_category_from_string (items[i], &category))
            return bad_query (error, "category", "not a category");
          g_array_append_val (query->categories, category);
        }
    }

  value = kefu_request_get_query (req, "assignee");
  if (value != NULL && *value != '\0')
    {
      if (g_str_equal (value, "me"))
        query->assignee_id = req->user->id;
      else if (g_str_equal (value, "none"))
        query->assignee_none = TRUE;
      else if (!kefu_parse_decimal (value, 1, G_MAXINT64, &query->assignee_id))
        return bad_query (error, "assignee", "use me, none or a user id");
    }

  value = kefu_request_get_query (req, "department");
  if (value != NULL && *value != '\0')
    {
      if (!kefu_validate_text (value, KEFU_SHORT_TEXT_MAX_CHARS, FALSE))
        return bad_query (error, "department", "not a department code");
      query->department = g_strdup (value);
    }

  value = kefu_request_get_query (req, "q");
  if (value != NULL)
    {
      g_autofree char *text = kefu_routes_trim_dup (value);

      if (!kefu_validate_text (text, KEFU_SHORT_TEXT_MAX_CHARS, FALSE))
        return bad_query (error, "q", "the search text is too long or not valid text");
      if (*text != '\0')
        query->text = g_steal_pointer (&text);
      query->viewer = req->user;
    }

  value = kefu_request_get_query (req, "updated_since");
  if (value != NULL && *value != '\0')
    {
      if (!kefu_time_from_iso8601 (value, &query->updated_since) || query->updated_since == 0)
        return bad_query (error, "updated_since", "not an RFC 3339 time");
    }

  value = kefu_request_get_query (req, "limit");
  if (value != NULL && *value != '\0')
    {
      gint64 limit;

      if (!kefu_parse_decimal (value, 1, LIST_MAX_LIMIT, &limit))
        return bad_query (error, "limit", "a number from 1 to 500");
      query->limit = (guint) limit;
    }

  value = kefu_request_get_query (req, "cursor");
  if (value != NULL && *value != '\0')
    {
      if (!kefu_parse_decimal (value, 1, G_MAXINT64, &query->cursor))
        return bad_query (error, "cursor", "not a cursor from a previous page");
    }

  return TRUE;
}

static void
handle_list (KefuRequest *req)
{
  g_auto(KefuTicketQuery) query = { 0 };
  g_autoptr(GError) error = NULL;
  GString *body;
  gint64 next_cursor = 0;

  if (!parse_list_query (req, &query, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  /* Lists always carry masked phone numbers, for every role, made from the stored text. */
  body = g_string_sized_new (64 * 1024);
  g_string_append (body, "{\"tickets\":[");
  if (kefu_ticket_repo_list_json (reader_db (req), &query, body, &next_cursor, &error) < 0)
    {
      g_string_free (body, TRUE);
      kefu_request_reply_error (req, error);
      return;
    }

  /* next_cursor last: the client starts the next page's request from the end of the body. */
  if (next_cursor > 0)
    g_string_append_printf (body, "],\"next_cursor\":\"%" G_GINT64_FORMAT "\"}", next_cursor);
  else
    g_string_append (body, "],\"next_cursor\":null}");

  kefu_request_reply_text (req, SOUP_STATUS_OK, "application/json", body);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /tickets                                                                              */

static void
handle_create (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(KefuTicket) intake = NULL;
  TicketJob *job;

  body = kefu_request_parse_body (req, FALSE, &error);
  if (body == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  intake = kefu_validate_intake (body, kefu_server_now (req->server), &error);
  if (intake == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  job = ticket_job_new (req, JOB_CREATE, NULL, -1);
  job->intake = g_steal_pointer (&intake);
  kefu_request_write (req, create_job_run, job, ticket_job_free, ticket_result_free,
                      create_job_done);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /tickets/{number}                                                                      */

static void
handle_get (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = NULL;
  const char *number;

  number = kefu_routes_path_number (req, &error);
  if (number == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  ticket = kefu_ticket_repo_load (reader_db (req), number, TRUE, NULL, &error);
  if (ticket == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  kefu_routes_reply_ticket (req, SOUP_STATUS_OK, ticket);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /tickets/{number}/timeline?before=ID&limit=N                                          */

/* The older part of a timeline, a page at a time: the ticket document carries only the newest
 * KEFU_TIMELINE_PAGE events. The same roles read it as the document; events hold no phone
 * number (the one thing the document masks), so both are the same to every role. */
static void
handle_timeline (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *array;
  const char *number;
  const char *value;
  gint64 before = 0;
  gint64 limit = KEFU_TIMELINE_PAGE;
  gint64 total = 0;
  gboolean more = FALSE;

  number = kefu_routes_path_number (req, &error);
  if (number == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  value = kefu_request_get_query (req, "before");
  if (value != NULL && *value != '\0' && !kefu_parse_decimal (value, 1, G_MAXINT64, &before))
    {
      bad_query (&error, "before", "the id of an event (next_before of the previous page)");
      kefu_request_reply_error (req, error);
      return;
    }
  value = kefu_request_get_query (req, "limit");
  if (value != NULL && *value != '\0' &&
      !kefu_parse_decimal (value, 1, KEFU_TIMELINE_MAX_PAGE, &limit))
    {
      bad_query (&error, "limit", "a number from 1 to " G_STRINGIFY (KEFU_TIMELINE_MAX_PAGE));
      kefu_request_reply_error (req, error);
      return;
    }

  events = kefu_ticket_repo_load_timeline (reader_db (req), number, before, (guint) limit,
                                           &total, &more, &error);
  if (events == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  object = json_object_new ();
  json_object_set_string_member (object, "number", number);
  array = json_array_sized_new (events->len);
  for (guint i = 0; i < events->len; i++)
    json_array_add_element (array, kefu_ticket_event_to_json (g_ptr_array_index (events, i)));
  json_object_set_array_member (object, "events", array);
  json_object_set_int_member (object, "timeline_total", total);
  if (more && events->len > 0)
    json_object_set_int_member (object, "next_before",
                                ((KefuTicketEvent *) g_ptr_array_index (events, 0))->id);
  else
    json_object_set_null_member (object, "next_before");

  root = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  kefu_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* ------------------------------------------------------------------------------------------ */
/* Changes                                                                                    */

static void
handle_patch (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(KefuTicket) current = NULL;
  g_auto(GStrv) changed = NULL;
  const char *number;
  gint64 if_match;
  TicketJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_DEFAULT, &number, NULL, &if_match,
                                 &body, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  /* Validate against the ticket as it is now, so that bad input is answered without a trip
   * to the writer; the job checks again against the ticket it changes. */
  current = kefu_ticket_repo_load (reader_db (req), number, FALSE, NULL, &error);
  if (current == NULL || !kefu_validate_patch (body, current, &changed, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  job = ticket_job_new (req, JOB_PATCH, number, if_match);
  job->body = g_steal_pointer (&body);
  run_job (req, job);
}

static void
handle_assign (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_auto(KefuAssignBody) in = { 0 };
  const char *number;
  gint64 if_match;
  TicketJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_DEFAULT, &number, NULL, &if_match,
                                 &body, &error) ||
      !kefu_body_read_assign (body, &in, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  job = ticket_job_new (req, JOB_ASSIGN, number, if_match);
  job->assignee_id = in.assignee_id;
  job->department = g_steal_pointer (&in.department);
  job->supporting = g_steal_pointer (&in.supporting);
  run_job (req, job);
}

static void
handle_accept (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  const char *number;
  gint64 if_match;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_BODY_OPTIONAL, &number, NULL, &if_match,
                                 &body, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  run_job (req, ticket_job_new (req, JOB_ACCEPT, number, if_match));
}

static void
handle_status (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_auto(KefuStatusBody) in = { 0 };
  const char *number;
  gint64 if_match;
  TicketJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_DEFAULT, &number, NULL, &if_match,
                                 &body, &error) ||
      !kefu_body_read_status (body, &in, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  job = ticket_job_new (req, JOB_STATUS, number, if_match);
  job->status = in.status;
  job->text = g_steal_pointer (&in.reason);
  run_job (req, job);
}

static void
handle_note (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_auto(KefuNoteBody) in = { 0 };
  const char *number;
  gint64 if_match;
  TicketJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_IF_MATCH_OPTIONAL, &number, NULL,
                                 &if_match, &body, &error) ||
      !kefu_body_read_note (body, &in, &error))
    {
      kefu_request_reply_error (req, error);
      return;
    }

  job = ticket_job_new (req, JOB_NOTE, number, if_match);
  job->text = g_steal_pointer (&in.text);
  job->customer_contact = in.customer_contact;
  run_job (req, job);
}

static void
handle_resolve (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  KefuResolution in = { 0 };
  const char *number;
  gint64 if_match;
  TicketJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_DEFAULT, &number, NULL, &if_match,
                                 &body, &error) ||
      !kefu_body_read_resolve (body, &in, &error))
    {
      g_free (in.summary);
      kefu_request_reply_error (req, error);
      return;
    }

  job = ticket_job_new (req, JOB_RESOLVE, number, if_match);
  job->resolution = in;   /* takes the summary */
  run_job (req, job);
}

static void
handle_confirm (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  KefuConfirmation in = { 0 };
  const char *number;
  gint64 if_match;
  TicketJob *job;

  if (!kefu_routes_begin_change (req, KEFU_ROUTES_CHANGE_DEFAULT, &number, NULL, &if_match,
                                 &body, &error) ||
      !kefu_body_read_confirm (body, &in, &error))
    {
      g_free (in.comment);
      kefu_request_reply_error (req, error);
      return;
    }

  job = ticket_job_new (req, JOB_CONFIRM, number, if_match);
  job->confirmation = in;   /* takes the comment */
  run_job (req, job);
}

/* ------------------------------------------------------------------------------------------ */

void
kefu_routes_tickets_register (KefuServer *server)
{
  const guint intake = KEFU_ROLE_BIT (KEFU_ROLE_AGENT) | KEFU_ROLE_BIT (KEFU_ROLE_SUPERVISOR);

  g_return_if_fail (KEFU_IS_SERVER (server));

  kefu_server_add_route (server, "GET", "/tickets", KEFU_ROUTE_STAFF, handle_list);
  kefu_server_add_route (server, "POST", "/tickets", intake, handle_create);
  kefu_server_add_route (server, "GET", "/tickets/{}", KEFU_ROUTE_STAFF, handle_get);
  kefu_server_add_route (server, "GET", "/tickets/{}/timeline", KEFU_ROUTE_STAFF,
                         handle_timeline);
  kefu_server_add_route (server, "PATCH", "/tickets/{}", intake, handle_patch);
  kefu_server_add_route (server, "POST", "/tickets/{}/assign",
                         KEFU_ROLE_BIT (KEFU_ROLE_SUPERVISOR), handle_assign);
  kefu_server_add_route (server, "POST", "/tickets/{}/accept", KEFU_ROUTE_STAFF, handle_accept);
  kefu_server_add_route (server, "POST", "/tickets/{}/status", KEFU_ROUTE_STAFF, handle_status);
  kefu_server_add_route (server, "POST", "/tickets/{}/notes", KEFU_ROUTE_STAFF, handle_note);
  kefu_server_add_route (server, "POST", "/tickets/{}/resolve", KEFU_ROUTE_STAFF,
                         handle_resolve);
  kefu_server_add_route (server, "POST", "/tickets/{}/confirm", intake, handle_confirm);
}
