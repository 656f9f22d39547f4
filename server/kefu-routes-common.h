/* kefu-routes-common.h — what the ticket routes share: the start of a change (path, If-Match,
 * body), the common part of a write job and the answer with the ticket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to the server's routes (kefu-routes-tickets.c, kefu-routes-visits.c,
 * kefu-routes-attachments.c).
 */
#pragma once

#include "kefu-request.h"
#include "kefu-ticket-ops.h"

G_BEGIN_DECLS

/* What every ticket write job carries, owned by the job since it runs on the store's writer
 * thread: a copy of the caller, a reference to the SLA policy and the server's zone, the time
 * of the request, the ticket number and the If-Match version (-1 = not given). A job struct
 * embeds it. */
typedef struct {
  KefuUser      *actor;
  KefuSlaPolicy *policy;
  GTimeZone     *tz;
  gint64         now;
  char          *number;
  gint64         if_match;
} KefuTicketJob;

void          kefu_ticket_job_init      (KefuTicketJob       *job,
                                         KefuRequest         *req,
                                         const char          *number,
                                         gint64               if_match);
void          kefu_ticket_job_clear     (KefuTicketJob       *job);
/* The operation context of @job; it points into @job. */
KefuOpContext kefu_ticket_job_context   (const KefuTicketJob *job);

/* The {} ticket number of the route (the first); a malformed one names no ticket (404). */
const char   *kefu_routes_path_number   (KefuRequest         *req,
                                         GError             **error);
/* The If-Match version; with @optional, -1 when absent (a malformed one is still an error). */
gboolean      kefu_routes_get_if_match  (KefuRequest         *req,
                                         gboolean             optional,
                                         gint64              *out_if_match,
                                         GError             **error);

typedef enum {
  KEFU_ROUTES_CHANGE_DEFAULT           = 0,
  KEFU_ROUTES_CHANGE_IF_MATCH_OPTIONAL = 1 << 0,   /* -1 when absent */
  KEFU_ROUTES_CHANGE_BODY_OPTIONAL     = 1 << 1,   /* *out_body NULL when empty */
} KefuRoutesChangeFlags;

/* The common start of a change, in this order: the ticket number, with @out_item_id the item
 * id of the second {} (a malformed one is 404 "there is no such item"), the If-Match version
 * and the JSON body: an object, or NULL (when empty and allowed, or only white space; see
 * kefu_routes_body_object()). */
gboolean      kefu_routes_begin_change  (KefuRequest          *req,
                                         KefuRoutesChangeFlags flags,
                                         const char          **out_number,
                                         gint64               *out_item_id,
                                         gint64               *out_if_match,
                                         JsonNode            **out_body,
                                         GError              **error);
/* The object of a body from kefu_routes_begin_change(); NULL is not one (400). */
gboolean      kefu_routes_body_object   (JsonNode             *body,
                                         JsonObject          **out,
                                         GError              **error);

/* How a string member is trimmed: a new string. */
typedef char *(*KefuRoutesTrimFunc) (const char *str);

/* A copy of @str without surrounding white space, including the ideographic space (U+3000)
 * that Chinese input methods type. */
char         *kefu_routes_trim_dup      (const char          *str);
/* A string member of @object, trimmed by @trim; NULL when absent, null or empty, which is a
 * validation error ("%s is required") when @required. Any other type: "%s must be a string". */
gboolean      kefu_routes_read_string   (JsonObject          *object,
                                         const char          *name,
                                         gboolean             required,
                                         KefuRoutesTrimFunc   trim,
                                         char               **out,
                                         GError             **error);

/* @ticket with its events, the full phone number only for agents, supervisors and the
 * assignee. */
JsonNode     *kefu_routes_ticket_node   (KefuRequest         *req,
                                         const KefuTicket    *ticket);
/* ETag: the ticket's version. */
void          kefu_routes_set_etag      (KefuRequest         *req,
                                         const KefuTicket    *ticket);
/* Answers @status with kefu_routes_ticket_node() and the ETag. */
void          kefu_routes_reply_ticket  (KefuRequest         *req,
                                         guint                status,
                                         const KefuTicket    *ticket);
/* Runs @func on the store's writer with @job (freed with @job_free); @func returns the changed
 * KefuTicket. Once it is durable, answers with the ticket (kefu_routes_reply_ticket()): 201
 * Created when @created, 200 otherwise; or with the job's error. */
void          kefu_routes_write_ticket  (KefuRequest         *req,
                                         KefuStoreWriteFunc   func,
                                         gpointer             job,
                                         GDestroyNotify       job_free,
                                         gboolean             created);

G_END_DECLS
