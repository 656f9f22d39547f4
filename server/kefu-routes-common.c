/* kefu-routes-common.c — what the ticket routes share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-number.h"
#include "kefu-routes-common.h"
#include "kefu-server.h"

/* ------------------------------------------------------------------------------------------ */
/* Write jobs                                                                                 */

void
kefu_ticket_job_init (KefuTicketJob *job,
                      KefuRequest   *req,
                      const char    *number,
                      gint64         if_match)
{
  g_return_if_fail (job != NULL);
  g_return_if_fail (req != NULL);

  job->actor = kefu_user_copy (req->user);
  job->policy = kefu_sla_policy_ref (kefu_server_get_sla_policy (req->server));
  job->tz = g_time_zone_ref (kefu_server_get_time_zone (req->server));
  job->now = kefu_server_now (req->server);
  job->number = g_strdup (number);
  job->if_match = if_match;
}

void
kefu_ticket_job_clear (KefuTicketJob *job)
{
  g_return_if_fail (job != NULL);

  g_clear_pointer (&job->actor, kefu_user_free);
  g_clear_pointer (&job->policy, kefu_sla_policy_unref);
  g_clear_pointer (&job->tz, g_time_zone_unref);
  g_clear_pointer (&job->number, g_free);
}

KefuOpContext
kefu_ticket_job_context (const KefuTicketJob *job)
{
  KefuOpContext ctx = { job->policy, job->tz, job->now, job->actor };

  return ctx;
}

/* ------------------------------------------------------------------------------------------ */
/* The start of a change                                                                      */

const char *
kefu_routes_path_number (KefuRequest  *req,
                         GError      **error)
{
  const char *number = req->params != NULL ? req->params[0] : NULL;

  if (number == NULL || !kefu_number_parse (number, NULL, NULL))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "there is no ticket %s",
                   number != NULL ? number : "");
      return NULL;
    }
  return number;
}

/* The item id of the second {} of the route; a malformed one names nothing (404). */
static gboolean
path_item_id (KefuRequest  *req,
              gint64       *out_id,
              GError      **error)
{
  const char *text = req->params != NULL && req->params[0] != NULL ? req->params[1] : NULL;

  if (!kefu_parse_decimal (text, 1, G_MAXINT64, out_id))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "there is no such item");
      return FALSE;
    }
  return TRUE;
}

gboolean
kefu_routes_get_if_match (KefuRequest  *req,
                          gboolean      optional,
                          gint64       *out_if_match,
                          GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (kefu_request_get_if_match (req, out_if_match, &local_error))
    return TRUE;

  if (optional && g_error_matches (local_error, KEFU_ERROR, KEFU_ERROR_PRECONDITION_REQUIRED))
    {
      *out_if_match = -1;
      return TRUE;
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
kefu_routes_begin_change (KefuRequest           *req,
                          KefuRoutesChangeFlags  flags,
                          const char           **out_number,
                          gint64                *out_item_id,
                          gint64                *out_if_match,
                          JsonNode             **out_body,
                          GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *body;

  *out_number = kefu_routes_path_number (req, error);
  if (*out_number == NULL)
    return FALSE;

  if (out_item_id != NULL && !path_item_id (req, out_item_id, error))
    return FALSE;

  if (!kefu_routes_get_if_match (req, (flags & KEFU_ROUTES_CHANGE_IF_MATCH_OPTIONAL) != 0,
                                 out_if_match, error))
    return FALSE;

  body = kefu_request_parse_body (req, (flags & KEFU_ROUTES_CHANGE_BODY_OPTIONAL) != 0,
                                  &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (body != NULL && !JSON_NODE_HOLDS_OBJECT (body))
    {
      json_node_unref (body);
      kefu_set_field_error (error, NULL, "the request body must be a JSON object");
      return FALSE;
    }

  *out_body = body;
  return TRUE;
}

gboolean
kefu_routes_body_object (JsonNode    *body,
                         JsonObject **out,
                         GError     **error)
{
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      kefu_set_field_error (error, NULL, "the request body must be a JSON object");
      return FALSE;
    }
  *out = json_node_get_object (body);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Body members                                                                               */

char *
kefu_routes_trim_dup (const char *str)
{
  const char *start = str;
  const char *end;

  if (str == NULL)
    return NULL;

  end = str + strlen (str);
  while (start < end)
    {
      gunichar c = g_utf8_get_char_validated (start, end - start);

      if (c == (gunichar) -1 || c == (gunichar) -2 || !(g_unichar_isspace (c) || c == 0x3000))
        break;
      start = g_utf8_next_char (start);
    }
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);
      gunichar c;

      if (prev == NULL)
        break;
      c = g_utf8_get_char_validated (prev, end - prev);
      if (c == (gunichar) -1 || c == (gunichar) -2 || !(g_unichar_isspace (c) || c == 0x3000))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

gboolean
kefu_routes_read_string (JsonObject          *object,
                         const char          *name,
                         gboolean             required,
                         KefuRoutesTrimFunc   trim,
                         char               **out,
                         GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *value = NULL;

  *out = NULL;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          kefu_set_field_error (error, name, "%s must be a string", name);
          return FALSE;
        }
      value = trim (json_node_get_string (node));
      if (*value == '\0')
        g_clear_pointer (&value, g_free);
    }

  if (required && value == NULL)
    {
      kefu_set_field_error (error, name, "%s is required", name);
      return FALSE;
    }

  *out = g_steal_pointer (&value);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Answers                                                                                    */

JsonNode *
kefu_routes_ticket_node (KefuRequest      *req,
                         const KefuTicket *ticket)
{
  KefuTicketJsonFlags flags = KEFU_TICKET_JSON_WITH_EVENTS;

  if (!kefu_user_sees_full_phone (req->user, ticket->assignee.id))
    flags |= KEFU_TICKET_JSON_MASK_PHONE;
  return kefu_ticket_to_json (ticket, flags);
}

void
kefu_routes_set_etag (KefuRequest      *req,
                      const KefuTicket *ticket)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", ticket->version);

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "ETag", etag);
}

void
kefu_routes_reply_ticket (KefuRequest      *req,
                          guint             status,
                          const KefuTicket *ticket)
{
  g_autoptr(JsonNode) node = kefu_routes_ticket_node (req, ticket);

  kefu_routes_set_etag (req, ticket);
  kefu_request_reply_json (req, status, node);
}

static void
ticket_created_done (KefuRequest  *req,
                     gpointer      result,
                     const GError *error)
{
  if (error != NULL)
    kefu_request_reply_error (req, error);
  else
    kefu_routes_reply_ticket (req, SOUP_STATUS_CREATED, result);
}

static void
ticket_updated_done (KefuRequest  *req,
                     gpointer      result,
                     const GError *error)
{
  if (error != NULL)
    kefu_request_reply_error (req, error);
  else
    kefu_routes_reply_ticket (req, SOUP_STATUS_OK, result);
}

void
kefu_routes_write_ticket (KefuRequest        *req,
                          KefuStoreWriteFunc  func,
                          gpointer            job,
                          GDestroyNotify      job_free,
                          gboolean            created)
{
  kefu_request_write (req, func, job, job_free, (GDestroyNotify) kefu_ticket_unref,
                      created ? ticket_created_done : ticket_updated_done);
}
