/* kefu-enums.c — the enumerations of DOMAIN.md and their wire words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kefu-enums.h"

#include <string.h>

static gboolean
lookup_word (const char * const *words,
             guint               n_words,
             const char         *str,
             int                *out)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_words; i++)
    {
      if (strcmp (words[i], str) == 0)
        {
          if (out != NULL)
            *out = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Defines _to_string() and _from_string() over a table indexed by the enum value. */
#define KEFU_DEFINE_ENUM_WORDS(Type, prefix, LAST, ...)                                \
  static const char * const prefix##_words[LAST] = { __VA_ARGS__ };                    \
                                                                                       \
  const char *                                                                         \
  prefix##_to_string (Type value)                                                      \
  {                                                                                    \
    if ((guint) value >= (guint) LAST)                                                 \
      return NULL;                                                                     \
    return prefix##_words[value];                                                      \
  }                                                                                    \
                                                                                       \
  gboolean                                                                             \
  prefix##_from_string (const char *str,                                               \
                        Type       *out)                                               \
  {                                                                                    \
    int value;                                                                         \
                                                                                       \
    if (!lookup_word (prefix##_words, LAST, str, &value))                              \
      return FALSE;                                                                    \
    if (out != NULL)                                                                   \
      *out = (Type) value;                                                             \
    return TRUE;                                                                       \
  }

KEFU_DEFINE_ENUM_WORDS (KefuRole, kefu_role, KEFU_ROLE_LAST,
                        [KEFU_ROLE_AGENT] = "agent",
                        [KEFU_ROLE_SUPERVISOR] = "supervisor",
                        [KEFU_ROLE_TECHNICIAN] = "technician",
                        [KEFU_ROLE_MANAGER] = "manager",
                        [KEFU_ROLE_ADMIN] = "admin")

KEFU_DEFINE_ENUM_WORDS (KefuChannel, kefu_channel, KEFU_CHANNEL_LAST,
                        [KEFU_CHANNEL_PHONE] = "phone",
                        [KEFU_CHANNEL_ONLINE] = "online",
                        [KEFU_CHANNEL_EMAIL] = "email",
                        [KEFU_CHANNEL_WEB_FORM] = "web_form",
                        [KEFU_CHANNEL_SOCIAL] = "social",
                        [KEFU_CHANNEL_PLATFORM] = "platform",
                        [KEFU_CHANNEL_APP] = "app",
                        [KEFU_CHANNEL_ONSITE] = "onsite")

KEFU_DEFINE_ENUM_WORDS (KefuStage, kefu_stage, KEFU_STAGE_LAST,
                        [KEFU_STAGE_PRE_SALE] = "pre_sale",
                        [KEFU_STAGE_IN_SALE] = "in_sale",
                        [KEFU_STAGE_AFTER_SALE] = "after_sale")

KEFU_DEFINE_ENUM_WORDS (KefuCategory, kefu_category, KEFU_CATEGORY_LAST,
                        [KEFU_CATEGORY_QUALITY] = "quality",
                        [KEFU_CATEGORY_LOGISTICS] = "logistics",
                        [KEFU_CATEGORY_SERVICE] = "service",
                        [KEFU_CATEGORY_CONSULTATION] = "consultation",
                        [KEFU_CATEGORY_COMPLAINT] = "complaint")

KEFU_DEFINE_ENUM_WORDS (KefuStatus, kefu_status, KEFU_STATUS_LAST,
                        [KEFU_STATUS_NEW] = "new",
                        [KEFU_STATUS_ASSIGNED] = "assigned",
                        [KEFU_STATUS_ACCEPTED] = "accepted",
                        [KEFU_STATUS_IN_PROGRESS] = "in_progress",
                        [KEFU_STATUS_WAITING_CUSTOMER] = "waiting_customer",
                        [KEFU_STATUS_WAITING_PARTS] = "waiting_parts",
                        [KEFU_STATUS_RESOLVED] = "resolved",
                        [KEFU_STATUS_CLOSED] = "closed",
                        [KEFU_STATUS_REOPENED] = "reopened",
                        [KEFU_STATUS_CANCELLED] = "cancelled")

KEFU_DEFINE_ENUM_WORDS (KefuResolutionKind, kefu_resolution_kind, KEFU_RESOLUTION_LAST,
                        [KEFU_RESOLUTION_REPAIR] = "repair",
                        [KEFU_RESOLUTION_REPLACE] = "replace",
                        [KEFU_RESOLUTION_RETURN_REFUND] = "return_refund",
                        [KEFU_RESOLUTION_EXCHANGE] = "exchange",
                        [KEFU_RESOLUTION_RESHIP] = "reship",
                        [KEFU_RESOLUTION_PARTIAL_REFUND] = "partial_refund",
                        [KEFU_RESOLUTION_COMPENSATION] = "compensation",
                        [KEFU_RESOLUTION_COUPON] = "coupon",
                        [KEFU_RESOLUTION_APOLOGY] = "apology",
                        [KEFU_RESOLUTION_GUIDANCE] = "guidance",
                        [KEFU_RESOLUTION_OTHER] = "other")

KEFU_DEFINE_ENUM_WORDS (KefuReturnReason, kefu_return_reason, KEFU_RETURN_REASON_LAST,
                        [KEFU_RETURN_REASON_QUALITY] = "quality",
                        [KEFU_RETURN_REASON_NO_REASON_7D] = "no_reason_7d",
                        [KEFU_RETURN_REASON_WRONG_ITEM] = "wrong_item",
                        [KEFU_RETURN_REASON_MISSING_ITEM] = "missing_item",
                        [KEFU_RETURN_REASON_DAMAGED] = "damaged",
                        [KEFU_RETURN_REASON_NOT_AS_DESCRIBED] = "not_as_described")

KEFU_DEFINE_ENUM_WORDS (KefuVisitStatus, kefu_visit_status, KEFU_VISIT_STATUS_LAST,
                        [KEFU_VISIT_STATUS_SCHEDULED] = "scheduled",
                        [KEFU_VISIT_STATUS_ARRIVED] = "arrived",
                        [KEFU_VISIT_STATUS_DONE] = "done",
                        [KEFU_VISIT_STATUS_CANCELLED] = "cancelled")

KEFU_DEFINE_ENUM_WORDS (KefuWarranty, kefu_warranty, KEFU_WARRANTY_LAST,
                        [KEFU_WARRANTY_IN] = "in",
                        [KEFU_WARRANTY_OUT] = "out")

KEFU_DEFINE_ENUM_WORDS (KefuReturnType, kefu_return_type, KEFU_RETURN_TYPE_LAST,
                        [KEFU_RETURN_TYPE_RETURN_REFUND] = "return_refund",
                        [KEFU_RETURN_TYPE_EXCHANGE] = "exchange",
                        [KEFU_RETURN_TYPE_RESHIP] = "reship",
                        [KEFU_RETURN_TYPE_PARTIAL_REFUND] = "partial_refund")

KEFU_DEFINE_ENUM_WORDS (KefuReturnStep, kefu_return_step, KEFU_RETURN_STEP_LAST,
                        [KEFU_RETURN_STEP_REQUESTED] = "requested",
                        [KEFU_RETURN_STEP_APPROVED] = "approved",
                        [KEFU_RETURN_STEP_REJECTED] = "rejected",
                        [KEFU_RETURN_STEP_PICKUP_ARRANGED] = "pickup_arranged",
                        [KEFU_RETURN_STEP_RECEIVED] = "received",
                        [KEFU_RETURN_STEP_INSPECTED] = "inspected",
                        [KEFU_RETURN_STEP_COMPLETED] = "completed")

KEFU_DEFINE_ENUM_WORDS (KefuEventKind, kefu_event_kind, KEFU_EVENT_LAST,
                        [KEFU_EVENT_CREATED] = "created",
                        [KEFU_EVENT_NOTE] = "note",
                        [KEFU_EVENT_CUSTOMER_CONTACT] = "customer_contact",
                        [KEFU_EVENT_STATUS] = "status",
                        [KEFU_EVENT_ASSIGNMENT] = "assignment",
                        [KEFU_EVENT_PRIORITY] = "priority",
                        [KEFU_EVENT_UPDATED] = "updated",
                        [KEFU_EVENT_ATTACHMENT] = "attachment",
                        [KEFU_EVENT_VISIT] = "visit",
                        [KEFU_EVENT_RETURN] = "return",
                        [KEFU_EVENT_SLA_WARNING] = "sla_warning",
                        [KEFU_EVENT_SLA_BREACH] = "sla_breach",
                        [KEFU_EVENT_ESCALATION] = "escalation",
                        [KEFU_EVENT_RESOLUTION] = "resolution",
                        [KEFU_EVENT_CONFIRMATION] = "confirmation",
                        [KEFU_EVENT_REOPEN] = "reopen")

KEFU_DEFINE_ENUM_WORDS (KefuSlaState, kefu_sla_state, KEFU_SLA_STATE_LAST,
                        [KEFU_SLA_STATE_OK] = "ok",
                        [KEFU_SLA_STATE_WARNING] = "warning",
                        [KEFU_SLA_STATE_BREACHED] = "breached")

KEFU_DEFINE_ENUM_WORDS (KefuCancelReason, kefu_cancel_reason, KEFU_CANCEL_REASON_LAST,
                        [KEFU_CANCEL_REASON_DUPLICATE] = "duplicate",
                        [KEFU_CANCEL_REASON_SPAM] = "spam",
                        [KEFU_CANCEL_REASON_WITHDRAWN] = "withdrawn")

gboolean
kefu_priority_is_valid (gint64 value)
{
  return value >= KEFU_PRIORITY_P1 && value <= KEFU_PRIORITY_P4;
}

gboolean
kefu_status_is_open (KefuStatus status)
{
  switch (status)
    {
    case KEFU_STATUS_NEW:
    case KEFU_STATUS_ASSIGNED:
    case KEFU_STATUS_ACCEPTED:
    case KEFU_STATUS_IN_PROGRESS:
    case KEFU_STATUS_WAITING_CUSTOMER:
    case KEFU_STATUS_WAITING_PARTS:
    case KEFU_STATUS_REOPENED:
      return TRUE;

    case KEFU_STATUS_RESOLVED:
    case KEFU_STATUS_CLOSED:
    case KEFU_STATUS_CANCELLED:
    case KEFU_STATUS_LAST:
    default:
      return FALSE;
    }
}

gboolean
kefu_status_can_transition (KefuStatus from,
                            KefuStatus to)
{
  if ((guint) from >= KEFU_STATUS_LAST || (guint) to >= KEFU_STATUS_LAST)
    return FALSE;

  if (to == KEFU_STATUS_CANCELLED)
    return kefu_status_is_open (from);

  switch (from)
    {
    case KEFU_STATUS_NEW:
      return to == KEFU_STATUS_ASSIGNED;

    case KEFU_STATUS_ASSIGNED:
      return to == KEFU_STATUS_ASSIGNED || to == KEFU_STATUS_ACCEPTED;

    case KEFU_STATUS_ACCEPTED:
      return to == KEFU_STATUS_IN_PROGRESS || to == KEFU_STATUS_RESOLVED;

    case KEFU_STATUS_IN_PROGRESS:
      return to == KEFU_STATUS_WAITING_CUSTOMER || to == KEFU_STATUS_WAITING_PARTS ||
             to == KEFU_STATUS_RESOLVED;

    case KEFU_STATUS_WAITING_CUSTOMER:
      return to == KEFU_STATUS_IN_PROGRESS || to == KEFU_STATUS_WAITING_PARTS ||
             to == KEFU_STATUS_RESOLVED;

    case KEFU_STATUS_WAITING_PARTS:
      return to == KEFU_STATUS_IN_PROGRESS || to == KEFU_STATUS_WAITING_CUSTOMER ||
             to == KEFU_STATUS_RESOLVED;

    case KEFU_STATUS_RESOLVED:
      return to == KEFU_STATUS_CLOSED || to == KEFU_STATUS_REOPENED;

    case KEFU_STATUS_REOPENED:
      return to == KEFU_STATUS_ASSIGNED || to == KEFU_STATUS_IN_PROGRESS;

    case KEFU_STATUS_CLOSED:
    case KEFU_STATUS_CANCELLED:
    case KEFU_STATUS_LAST:
    default:
      return FALSE;
    }
}

gboolean
kefu_return_step_can_transition (KefuReturnStep from,
                                 KefuReturnStep to)
{
  switch (from)
    {
    case KEFU_RETURN_STEP_REQUESTED:
      return to == KEFU_RETURN_STEP_APPROVED || to == KEFU_RETURN_STEP_REJECTED;
    case KEFU_RETURN_STEP_APPROVED:
      return to == KEFU_RETURN_STEP_PICKUP_ARRANGED;
    case KEFU_RETURN_STEP_PICKUP_ARRANGED:
      return to == KEFU_RETURN_STEP_RECEIVED;
    case KEFU_RETURN_STEP_RECEIVED:
      return to == KEFU_RETURN_STEP_INSPECTED;
    case KEFU_RETURN_STEP_INSPECTED:
      return to == KEFU_RETURN_STEP_COMPLETED;
    case KEFU_RETURN_STEP_REJECTED:
    case KEFU_RETURN_STEP_COMPLETED:
    case KEFU_RETURN_STEP_LAST:
    default:
      return FALSE;
    }
}

gboolean
kefu_return_step_is_final (KefuReturnStep step)
{
  return step == KEFU_RETURN_STEP_REJECTED || step == KEFU_RETURN_STEP_COMPLETED;
}
