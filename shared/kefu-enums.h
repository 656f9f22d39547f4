/* kefu-enums.h — the enumerations of DOMAIN.md and their wire words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each enum has a _to_string() returning its lower-case wire word (static, never NULL for a valid
 * value, NULL for an out-of-range one) and a _from_string() returning TRUE and setting *out when
 * the word is known. Values start at 0 so they can index arrays; _LAST is the count. */

typedef enum {
  KEFU_ROLE_AGENT,
  KEFU_ROLE_SUPERVISOR,
  KEFU_ROLE_TECHNICIAN,
  KEFU_ROLE_MANAGER,
  KEFU_ROLE_ADMIN,
  KEFU_ROLE_LAST
} KefuRole;

typedef enum {
  KEFU_CHANNEL_PHONE,
  KEFU_CHANNEL_ONLINE,
  KEFU_CHANNEL_EMAIL,
  KEFU_CHANNEL_WEB_FORM,
  KEFU_CHANNEL_SOCIAL,
  KEFU_CHANNEL_PLATFORM,
  KEFU_CHANNEL_APP,
  KEFU_CHANNEL_ONSITE,
  KEFU_CHANNEL_LAST
} KefuChannel;

typedef enum {
  KEFU_STAGE_PRE_SALE,
  KEFU_STAGE_IN_SALE,
  KEFU_STAGE_AFTER_SALE,
  KEFU_STAGE_LAST
} KefuStage;

typedef enum {
  KEFU_CATEGORY_QUALITY,
  KEFU_CATEGORY_LOGISTICS,
  KEFU_CATEGORY_SERVICE,
  KEFU_CATEGORY_CONSULTATION,
  KEFU_CATEGORY_COMPLAINT,
  KEFU_CATEGORY_LAST
} KefuCategory;

/* Priorities are 1..4 on the wire (P1..P4); use kefu_priority_is_valid(). */
typedef enum {
  KEFU_PRIORITY_P1 = 1,
  KEFU_PRIORITY_P2 = 2,
  KEFU_PRIORITY_P3 = 3,
  KEFU_PRIORITY_P4 = 4,
} KefuPriority;

typedef enum {
  KEFU_STATUS_NEW,
  KEFU_STATUS_ASSIGNED,
  KEFU_STATUS_ACCEPTED,
  KEFU_STATUS_IN_PROGRESS,
  KEFU_STATUS_WAITING_CUSTOMER,
  KEFU_STATUS_WAITING_PARTS,
  KEFU_STATUS_RESOLVED,
  KEFU_STATUS_CLOSED,
  KEFU_STATUS_REOPENED,
  KEFU_STATUS_CANCELLED,
  KEFU_STATUS_LAST
} KefuStatus;

typedef enum {
  KEFU_RESOLUTION_REPAIR,
  KEFU_RESOLUTION_REPLACE,
  KEFU_RESOLUTION_RETURN_REFUND,
  KEFU_RESOLUTION_EXCHANGE,
  KEFU_RESOLUTION_RESHIP,
  KEFU_RESOLUTION_PARTIAL_REFUND,
  KEFU_RESOLUTION_COMPENSATION,
  KEFU_RESOLUTION_COUPON,
  KEFU_RESOLUTION_APOLOGY,
  KEFU_RESOLUTION_GUIDANCE,
  KEFU_RESOLUTION_OTHER,
  KEFU_RESOLUTION_LAST
} KefuResolutionKind;

typedef enum {
  KEFU_RETURN_REASON_QUALITY,
  KEFU_RETURN_REASON_NO_REASON_7D,
  KEFU_RETURN_REASON_WRONG_ITEM,
  KEFU_RETURN_REASON_MISSING_ITEM,
  KEFU_RETURN_REASON_DAMAGED,
  KEFU_RETURN_REASON_NOT_AS_DESCRIBED,
  KEFU_RETURN_REASON_LAST
} KefuReturnReason;

/* Field visits (上门服务). */
typedef enum {
  KEFU_VISIT_STATUS_SCHEDULED,
  KEFU_VISIT_STATUS_ARRIVED,
  KEFU_VISIT_STATUS_DONE,
  KEFU_VISIT_STATUS_CANCELLED,
  KEFU_VISIT_STATUS_LAST
} KefuVisitStatus;

typedef enum {
  KEFU_WARRANTY_IN,
  KEFU_WARRANTY_OUT,
  KEFU_WARRANTY_LAST
} KefuWarranty;

/* Returns, exchanges and refunds (退换货). */
typedef enum {
  KEFU_RETURN_TYPE_RETURN_REFUND,
  KEFU_RETURN_TYPE_EXCHANGE,
  KEFU_RETURN_TYPE_RESHIP,
  KEFU_RETURN_TYPE_PARTIAL_REFUND,
  KEFU_RETURN_TYPE_LAST
} KefuReturnType;

typedef enum {
  KEFU_RETURN_STEP_REQUESTED,
  KEFU_RETURN_STEP_APPROVED,
  KEFU_RETURN_STEP_REJECTED,
  KEFU_RETURN_STEP_PICKUP_ARRANGED,
  KEFU_RETURN_STEP_RECEIVED,
  KEFU_RETURN_STEP_INSPECTED,
  KEFU_RETURN_STEP_COMPLETED,
  KEFU_RETURN_STEP_LAST
} KefuReturnStep;

/* Timeline event kinds (the audit trail). */
typedef enum {
  KEFU_EVENT_CREATED,
  KEFU_EVENT_NOTE,
  KEFU_EVENT_CUSTOMER_CONTACT,
  KEFU_EVENT_STATUS,
  KEFU_EVENT_ASSIGNMENT,
  KEFU_EVENT_PRIORITY,
  KEFU_EVENT_UPDATED,        /* classification or customer fields edited */
  KEFU_EVENT_ATTACHMENT,
  KEFU_EVENT_VISIT,
  KEFU_EVENT_RETURN,
  KEFU_EVENT_SLA_WARNING,
  KEFU_EVENT_SLA_BREACH,
  KEFU_EVENT_ESCALATION,
  KEFU_EVENT_RESOLUTION,
  KEFU_EVENT_CONFIRMATION,
  KEFU_EVENT_REOPEN,
  KEFU_EVENT_LAST
} KefuEventKind;

typedef enum {
  KEFU_SLA_STATE_OK,
  KEFU_SLA_STATE_WARNING,
  KEFU_SLA_STATE_BREACHED,
  KEFU_SLA_STATE_LAST
} KefuSlaState;

/* Cancel reasons accepted with status "cancelled". */
typedef enum {
  KEFU_CANCEL_REASON_DUPLICATE,
  KEFU_CANCEL_REASON_SPAM,
  KEFU_CANCEL_REASON_WITHDRAWN,
  KEFU_CANCEL_REASON_LAST
} KefuCancelReason;

const char *kefu_role_to_string            (KefuRole            value);
gboolean    kefu_role_from_string          (const char         *str,
                                            KefuRole           *out);
const char *kefu_channel_to_string         (KefuChannel         value);
gboolean    kefu_channel_from_string       (const char         *str,
                                            KefuChannel        *out);
const char *kefu_stage_to_string           (KefuStage           value);
gboolean    kefu_stage_from_string         (const char         *str,
                                            KefuStage          *out);
const char *kefu_category_to_string        (KefuCategory        value);
gboolean    kefu_category_from_string      (const char         *str,
                                            KefuCategory       *out);
gboolean    kefu_priority_is_valid         (gint64              value);
const char *kefu_status_to_string          (KefuStatus          value);
gboolean    kefu_status_from_string        (const char         *str,
                                            KefuStatus         *out);
const char *kefu_resolution_kind_to_string (KefuResolutionKind  value);
gboolean    kefu_resolution_kind_from_string (const char       *str,
                                            KefuResolutionKind *out);
const char *kefu_return_reason_to_string   (KefuReturnReason    value);
gboolean    kefu_return_reason_from_string (const char         *str,
                                            KefuReturnReason   *out);
const char *kefu_visit_status_to_string   (KefuVisitStatus     value);
gboolean    kefu_visit_status_from_string (const char         *str,
                                           KefuVisitStatus    *out);
const char *kefu_warranty_to_string       (KefuWarranty        value);
gboolean    kefu_warranty_from_string     (const char         *str,
                                           KefuWarranty       *out);
const char *kefu_return_type_to_string    (KefuReturnType      value);
gboolean    kefu_return_type_from_string  (const char         *str,
                                           KefuReturnType     *out);
const char *kefu_return_step_to_string    (KefuReturnStep      value);
gboolean    kefu_return_step_from_string  (const char         *str,
                                           KefuReturnStep     *out);
const char *kefu_event_kind_to_string      (KefuEventKind       value);
gboolean    kefu_event_kind_from_string    (const char         *str,
                                            KefuEventKind      *out);
const char *kefu_sla_state_to_string       (KefuSlaState        value);
gboolean    kefu_sla_state_from_string     (const char         *str,
                                            KefuSlaState       *out);
const char *kefu_cancel_reason_to_string   (KefuCancelReason    value);
gboolean    kefu_cancel_reason_from_string (const char         *str,
                                            KefuCancelReason   *out);

/* Open = not resolved, closed or cancelled. */
gboolean    kefu_status_is_open            (KefuStatus          status);
/* Whether DOMAIN.md's status flow has an edge from → to (independent of role). Edges:
 * new→assigned; assigned→assigned (reassign); assigned→accepted; accepted→in_progress;
 * in_progress↔waiting_customer; in_progress↔waiting_parts; waiting_*→waiting_* ;
 * accepted|in_progress|waiting_*→resolved; resolved→closed; resolved→reopened;
 * reopened→assigned; reopened→in_progress (the same assignee picks it up again);
 * any open status (incl. reopened, accepted, …; not resolved/closed/cancelled)→cancelled. */
gboolean    kefu_status_can_transition     (KefuStatus          from,
                                            KefuStatus          to);
/* The return flow of DOMAIN.md: requested→approved|rejected; approved→pickup_arranged;
 * pickup_arranged→received→inspected→completed. Rejected and completed are final. */
gboolean    kefu_return_step_can_transition (KefuReturnStep     from,
                                             KefuReturnStep     to);
gboolean    kefu_return_step_is_final      (KefuReturnStep      step);

G_END_DECLS
