/* kefu-request.h — one API request being answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "kefu-error.h"
#include "kefu-store.h"
#include "kefu-user.h"

G_BEGIN_DECLS

typedef struct _KefuServer KefuServer;

/* A reference-counted request. The dispatcher holds one reference while the handler runs; a
 * handler that answers later (after a write commits, a password hash…) takes its own with
 * kefu_request_ref(): the message is paused until the reply, then unpaused. */
typedef struct _KefuRequest KefuRequest;

struct _KefuRequest
{
  /*< private >*/
  gatomicrefcount     ref_count;
  gboolean            replied;
  gboolean            paused;
  /*< public >*/
  KefuServer         *server;      /* unowned: the server outlives its requests */
  SoupServerMessage  *msg;
  const char         *method;
  KefuUser           *user;        /* the signed-in caller, NULL on anonymous routes */
  GStrv               params;      /* the {} segments of the route, in order */
  GHashTable         *query;       /* may be NULL */
  char               *peer;        /* the client's address */
};

typedef void (*KefuRouteHandler) (KefuRequest *req);

KefuRequest *kefu_request_ref           (KefuRequest *req);
void         kefu_request_unref         (KefuRequest *req);

/* Answers; unpauses a paused message. Exactly one reply per request. */
void         kefu_request_reply_json    (KefuRequest *req,
                                         guint        status,
                                         JsonNode    *node);      /* takes no ownership */
void         kefu_request_reply_text    (KefuRequest *req,
                                         guint        status,
                                         const char  *content_type,
                                         GString     *text);
void         kefu_request_reply_empty   (KefuRequest *req,
                                         guint        status);
/* Maps KEFU_ERROR codes to their status and wire word (with "field" for validation errors);
 * any other error domain is logged and answered 500 internal without internals. */
void         kefu_request_reply_error   (KefuRequest  *req,
                                         const GError *error);
void         kefu_request_reply_error_literal (KefuRequest  *req,
                                         KefuErrorCode code,
                                         const char   *message);

/* For a route whose answer libsoup completes after the handler (the WebSocket upgrade of
 * GET /events): marks the request answered without setting a status. */
void         kefu_request_pass          (KefuRequest *req);

/* The body as JSON (KEFU_ERROR_BAD_JSON for malformed JSON or a body that is not valid UTF-8;
 * KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE for a non-JSON Content-Type). An empty body is an error
 * unless @allow_empty, then NULL is returned without error. */
JsonNode    *kefu_request_parse_body    (KefuRequest  *req,
                                         gboolean      allow_empty,
                                         GError      **error);
/* The If-Match version (plain or quoted). KEFU_ERROR_PRECONDITION_REQUIRED when absent,
 * KEFU_ERROR_VALIDATION_FAILED (field "If-Match") when malformed. */
gboolean     kefu_request_get_if_match  (KefuRequest  *req,
                                         gint64       *out_version,
                                         GError      **error);
const char  *kefu_request_get_query     (KefuRequest  *req,
                                         const char   *name);

/* Completion of kefu_request_write(): @result is the job's result (owned by the store's task;
 * steal it only by returning it from your own code, never free it here), or @error. */
typedef void (*KefuRequestWriteDone) (KefuRequest  *req,
                                      gpointer      result,
                                      const GError *error);

/* Pauses the message, queues @func on the store, and calls @done on the main thread once the
 * write is durable (or failed). If @done is NULL, the default answers 500/4xx on error and
 * otherwise nothing — so pass one. */
void         kefu_request_write         (KefuRequest          *req,
                                         KefuStoreWriteFunc    func,
                                         gpointer              data,
                                         GDestroyNotify        data_destroy,
                                         GDestroyNotify        result_destroy,
                                         KefuRequestWriteDone  done);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuRequest, kefu_request_unref)

G_END_DECLS
