/* kefu-bodies.h — the request bodies of the write routes, decoded and validated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions from a parsed body (kefu_request_parse_body()) to what the route needs, with
 * field errors: no request, no database. The route handlers call them, and so do the fuzz
 * targets in tests/fuzz. Each *_clear() may be called on a zeroed or partly filled value,
 * also after a failure. The intake and PATCH /tickets/{n} bodies are kefu_validate_intake()
 * and kefu_validate_patch(); PUT /sla-policy is kefu_sla_policy_from_json().
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kefu-enums.h"
#include "kefu-ticket-ops.h"

G_BEGIN_DECLS

/* POST /session */
typedef struct {
  char *username;
  char *password;
} KefuSessionBody;

/* POST /users (@create), PATCH /users/{id} */
typedef struct {
  char     *username;       /* create only */
  char     *display_name;
  gboolean  has_role;
  KefuRole  role;
  char     *department;
  gboolean  has_active;     /* update only */
  gboolean  active;
  char     *password;
} KefuUserBody;

/* POST /tickets/{n}/assign */
typedef struct {
  gint64  assignee_id;      /* 0 = not given */
  char   *department;
  GStrv   supporting;       /* NULL = keep */
} KefuAssignBody;

/* POST /tickets/{n}/status */
typedef struct {
  KefuStatus  status;
  char       *reason;
} KefuStatusBody;

/* POST /tickets/{n}/notes */
typedef struct {
  char     *text;
  gboolean  customer_contact;
} KefuNoteBody;

/* POST /tickets/{n}/returns (kind, reason, amount, note, attachment ids) and
 * PATCH /tickets/{n}/returns/{id} (step, amount, note) */
typedef struct {
  KefuReturnType    type;
  KefuReturnReason  reason;
  KefuReturnStep    step;
  gint64            amount_cents;   /* -1 = not given */
  char             *note;
  GArray           *attachment_ids; /* of gint64; new returns only, never NULL after success */
} KefuReturnBody;

gboolean kefu_body_read_session      (JsonNode          *body,
                                      KefuSessionBody   *out,
                                      GError           **error);
void     kefu_session_body_clear     (KefuSessionBody   *body);

gboolean kefu_body_read_user         (JsonNode          *body,
                                      gboolean           create,
                                      KefuUserBody      *out,
                                      GError           **error);
void     kefu_user_body_clear        (KefuUserBody      *body);

gboolean kefu_body_read_assign       (JsonNode          *body,
                                      KefuAssignBody    *out,
                                      GError           **error);
void     kefu_assign_body_clear      (KefuAssignBody    *body);

gboolean kefu_body_read_status       (JsonNode          *body,
                                      KefuStatusBody    *out,
                                      GError           **error);
void     kefu_status_body_clear      (KefuStatusBody    *body);

gboolean kefu_body_read_note         (JsonNode          *body,
                                      KefuNoteBody      *out,
                                      GError           **error);
void     kefu_note_body_clear        (KefuNoteBody      *body);

/* POST /tickets/{n}/resolve: kind, summary, cost_cents and minutes_spent (≥ 0). Free
 * out->summary. */
gboolean kefu_body_read_resolve      (JsonNode          *body,
                                      KefuResolution    *out,
                                      GError           **error);
/* POST /tickets/{n}/confirm: solved, satisfaction 1–5, comment. Free out->comment. */
gboolean kefu_body_read_confirm      (JsonNode          *body,
                                      KefuConfirmation  *out,
                                      GError           **error);

/* POST /tickets/{n}/visits (@out_action NULL) or PATCH /tickets/{n}/visits/{id} (with its
 * action). Clear @out with kefu_visit_input_clear(). */
gboolean kefu_body_read_visit        (JsonNode          *body,
                                      KefuVisitAction   *out_action,
                                      KefuVisitInput    *out,
                                      GError           **error);

gboolean kefu_body_read_return       (JsonNode          *body,
                                      gboolean           update,
                                      KefuReturnBody    *out,
                                      GError           **error);
void     kefu_return_body_clear      (KefuReturnBody    *body);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuSessionBody, kefu_session_body_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuUserBody, kefu_user_body_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuAssignBody, kefu_assign_body_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuStatusBody, kefu_status_body_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuNoteBody, kefu_note_body_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KefuReturnBody, kefu_return_body_clear)

G_END_DECLS
