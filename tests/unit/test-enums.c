/* test-enums.c — enumeration wire words, the status flow and the error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "kefu-enums.h"
#include "kefu-error.h"

/* Every value has a distinct word that parses back to it; LAST has none; junk is rejected. */
#define CHECK_ENUM(Type, prefix, LAST)                                           \
  G_STMT_START {                                                                 \
    g_autoptr(GHashTable) seen_ = g_hash_table_new (g_str_hash, g_str_equal);    \
    Type parsed_;                                                                \
    for (guint i_ = 0; i_ < (guint) (LAST); i_++)                                \
      {                                                                          \
        const char *word_ = prefix##_to_string ((Type) i_);                      \
        g_assert_nonnull (word_);                                                \
        g_assert_false (g_hash_table_contains (seen_, word_));                   \
        g_hash_table_add (seen_, (gpointer) word_);                              \
        parsed_ = (Type) 999;                                                    \
        g_assert_true (prefix##_from_string (word_, &parsed_));                  \
        g_assert_cmpint (parsed_, ==, i_);                                       \
        g_assert_true (prefix##_from_string (word_, NULL));                      \
        g_autofree char *upper_ = g_ascii_strup (word_, -1);                     \
        g_assert_false (prefix##_from_string (upper_, &parsed_));                \
        g_autofree char *padded_ = g_strconcat (word_, " ", NULL);               \
        g_assert_false (prefix##_from_string (padded_, &parsed_));               \
      }                                                                          \
    g_assert_null (prefix##_to_string ((Type) (LAST)));                          \
    g_assert_null (prefix##_to_string ((Type) -1));                              \
    parsed_ = (Type) 999;                                                        \
    g_assert_false (prefix##_from_string ("", &parsed_));                        \
    g_assert_false (prefix##_from_string ("no-such-word", &parsed_));            \
    g_assert_false (prefix##_from_string (NULL, &parsed_));                      \
    g_assert_cmpint (parsed_, ==, 999);                                          \
  } G_STMT_END

static void
assert_word (const char *actual,
             const char *expected)
{
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_roles (void)
{
  KefuRole role;

  CHECK_ENUM (KefuRole, kefu_role, KEFU_ROLE_LAST);
  assert_word (kefu_role_to_string (KEFU_ROLE_AGENT), "agent");
  assert_word (kefu_role_to_string (KEFU_ROLE_SUPERVISOR), "supervisor");
  assert_word (kefu_role_to_string (KEFU_ROLE_TECHNICIAN), "technician");
  assert_word (kefu_role_to_string (KEFU_ROLE_MANAGER), "manager");
  assert_word (kefu_role_to_string (KEFU_ROLE_ADMIN), "admin");
  g_assert_true (kefu_role_from_string ("manager", &role));
  g_assert_cmpint (role, ==, KEFU_ROLE_MANAGER);
}

static void
test_channels (void)
{
  KefuChannel channel;

  CHECK_ENUM (KefuChannel, kefu_channel, KEFU_CHANNEL_LAST);
  g_assert_cmpint (KEFU_CHANNEL_LAST, ==, 8);
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_PHONE), "phone");
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_ONLINE), "online");
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_EMAIL), "email");
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_WEB_FORM), "web_form");
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_SOCIAL), "social");
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_PLATFORM), "platform");
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_APP), "app");
  assert_word (kefu_channel_to_string (KEFU_CHANNEL_ONSITE), "onsite");
  g_assert_true (kefu_channel_from_string ("web_form", &channel));
  g_assert_cmpint (channel, ==, KEFU_CHANNEL_WEB_FORM);
  g_assert_false (kefu_channel_from_string ("web-form", &channel));
  g_assert_false (kefu_channel_from_string ("webform", &channel));
}

static void
test_stages_categories (void)
{
  KefuStage stage;
  KefuCategory category;

  CHECK_ENUM (KefuStage, kefu_stage, KEFU_STAGE_LAST);
  assert_word (kefu_stage_to_string (KEFU_STAGE_PRE_SALE), "pre_sale");
  assert_word (kefu_stage_to_string (KEFU_STAGE_IN_SALE), "in_sale");
  assert_word (kefu_stage_to_string (KEFU_STAGE_AFTER_SALE), "after_sale");
  g_assert_true (kefu_stage_from_string ("in_sale", &stage));
  g_assert_cmpint (stage, ==, KEFU_STAGE_IN_SALE);

  CHECK_ENUM (KefuCategory, kefu_category, KEFU_CATEGORY_LAST);
  assert_word (kefu_category_to_string (KEFU_CATEGORY_QUALITY), "quality");
  assert_word (kefu_category_to_string (KEFU_CATEGORY_LOGISTICS), "logistics");
  assert_word (kefu_category_to_string (KEFU_CATEGORY_SERVICE), "service");
  assert_word (kefu_category_to_string (KEFU_CATEGORY_CONSULTATION), "consultation");
  assert_word (kefu_category_to_string (KEFU_CATEGORY_COMPLAINT), "complaint");
  g_assert_true (kefu_category_from_string ("complaint", &category));
  g_assert_cmpint (category, ==, KEFU_CATEGORY_COMPLAINT);
}

static void
test_priority (void)
{
  g_assert_false (kefu_priority_is_valid (0));
  g_assert_true (kefu_priority_is_valid (1));
  g_assert_true (kefu_priority_is_valid (2));
  g_assert_true (kefu_priority_is_valid (3));
  g_assert_true (kefu_priority_is_valid (4));
  g_assert_false (kefu_priority_is_valid (5));
  g_assert_false (kefu_priority_is_valid (-1));
  g_assert_false (kefu_priority_is_valid (G_MAXINT64));
  g_assert_false (kefu_priority_is_valid (G_MININT64));
  g_assert_false (kefu_priority_is_valid ((gint64) G_MAXUINT32 + 2));
}

static void
test_statuses (void)
{
  static const char * const words[] = {
    "new", "assigned", "accepted", "in_progress", "waiting_customer", "waiting_parts",
    "resolved", "closed", "reopened", "cancelled",
  };
  KefuStatus status;

  CHECK_ENUM (KefuStatus, kefu_status, KEFU_STATUS_LAST);
  g_assert_cmpint (G_N_ELEMENTS (words), ==, KEFU_STATUS_LAST);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    assert_word (kefu_status_to_string ((KefuStatus) i), words[i]);
  g_assert_true (kefu_status_from_string ("waiting_customer", &status));
  g_assert_cmpint (status, ==, KEFU_STATUS_WAITING_CUSTOMER);

  for (guint i = 0; i < KEFU_STATUS_LAST; i++)
    {
      gboolean closed = i == KEFU_STATUS_RESOLVED || i == KEFU_STATUS_CLOSED ||
                        i == KEFU_STATUS_CANCELLED;

      g_assert_cmpint (kefu_status_is_open ((KefuStatus) i), ==, !closed);
    }
  g_assert_false (kefu_status_is_open (KEFU_STATUS_LAST));
}

static void
test_other_enums (void)
{
  KefuResolutionKind kind;
  KefuReturnReason reason;
  KefuEventKind event;
  KefuSlaState state;
  KefuCancelReason cancel;

  CHECK_ENUM (KefuResolutionKind, kefu_resolution_kind, KEFU_RESOLUTION_LAST);
  assert_word (kefu_resolution_kind_to_string (KEFU_RESOLUTION_REPAIR), "repair");
  assert_word (kefu_resolution_kind_to_string (KEFU_RESOLUTION_RETURN_REFUND), "return_refund");
  assert_word (kefu_resolution_kind_to_string (KEFU_RESOLUTION_PARTIAL_REFUND), "partial_refund");
  assert_word (kefu_resolution_kind_to_string (KEFU_RESOLUTION_OTHER), "other");
  g_assert_true (kefu_resolution_kind_from_string ("coupon", &kind));
  g_assert_cmpint (kind, ==, KEFU_RESOLUTION_COUPON);

  CHECK_ENUM (KefuReturnReason, kefu_return_reason, KEFU_RETURN_REASON_LAST);
  assert_word (kefu_return_reason_to_string (KEFU_RETURN_REASON_NO_REASON_7D), "no_reason_7d");
  assert_word (kefu_return_reason_to_string (KEFU_RETURN_REASON_NOT_AS_DESCRIBED),
               "not_as_described");
  g_assert_true (kefu_return_reason_from_string ("wrong_item", &reason));
  g_assert_cmpint (reason, ==, KEFU_RETURN_REASON_WRONG_ITEM);

  CHECK_ENUM (KefuEventKind, kefu_event_kind, KEFU_EVENT_LAST);
  assert_word (kefu_event_kind_to_string (KEFU_EVENT_CUSTOMER_CONTACT), "customer_contact");
  assert_word (kefu_event_kind_to_string (KEFU_EVENT_SLA_WARNING), "sla_warning");
  assert_word (kefu_event_kind_to_string (KEFU_EVENT_SLA_BREACH), "sla_breach");
  assert_word (kefu_event_kind_to_string (KEFU_EVENT_REOPEN), "reopen");
  g_assert_true (kefu_event_kind_from_string ("assignment", &event));
  g_assert_cmpint (event, ==, KEFU_EVENT_ASSIGNMENT);

  CHECK_ENUM (KefuSlaState, kefu_sla_state, KEFU_SLA_STATE_LAST);
  assert_word (kefu_sla_state_to_string (KEFU_SLA_STATE_OK), "ok");
  assert_word (kefu_sla_state_to_string (KEFU_SLA_STATE_WARNING), "warning");
  assert_word (kefu_sla_state_to_string (KEFU_SLA_STATE_BREACHED), "breached");
  g_assert_true (kefu_sla_state_from_string ("breached", &state));
  g_assert_cmpint (state, ==, KEFU_SLA_STATE_BREACHED);

  CHECK_ENUM (KefuCancelReason, kefu_cancel_reason, KEFU_CANCEL_REASON_LAST);
  assert_word (kefu_cancel_reason_to_string (KEFU_CANCEL_REASON_DUPLICATE), "duplicate");
  assert_word (kefu_cancel_reason_to_string (KEFU_CANCEL_REASON_SPAM), "spam");
  g_assert_true (kefu_cancel_reason_from_string ("withdrawn", &cancel));
  g_assert_cmpint (cancel, ==, KEFU_CANCEL_REASON_WITHDRAWN);
}

static void
test_transitions (void)
{
  /* The complete edge list of DOMAIN.md's flow; every other pair must be refused. */
  static const struct {
    KefuStatus from, to;
  } edges[] = {
    { KEFU_STATUS_NEW, KEFU_STATUS_ASSIGNED },
    { KEFU_STATUS_ASSIGNED, KEFU_STATUS_ASSIGNED },
    { KEFU_STATUS_ASSIGNED, KEFU_STATUS_ACCEPTED },
    { KEFU_STATUS_ACCEPTED, KEFU_STATUS_IN_PROGRESS },
    { KEFU_STATUS_IN_PROGRESS, KEFU_STATUS_WAITING_CUSTOMER },
    { KEFU_STATUS_IN_PROGRESS, KEFU_STATUS_WAITING_PARTS },
    { KEFU_STATUS_WAITING_CUSTOMER, KEFU_STATUS_IN_PROGRESS },
    { KEFU_STATUS_WAITING_PARTS, KEFU_STATUS_IN_PROGRESS },
    { KEFU_STATUS_WAITING_CUSTOMER, KEFU_STATUS_WAITING_PARTS },
    { KEFU_STATUS_WAITING_PARTS, KEFU_STATUS_WAITING_CUSTOMER },
    { KEFU_STATUS_ACCEPTED, KEFU_STATUS_RESOLVED },
    { KEFU_STATUS_IN_PROGRESS, KEFU_STATUS_RESOLVED },
    { KEFU_STATUS_WAITING_CUSTOMER, KEFU_STATUS_RESOLVED },
    { KEFU_STATUS_WAITING_PARTS, KEFU_STATUS_RESOLVED },
    { KEFU_STATUS_RESOLVED, KEFU_STATUS_CLOSED },
    { KEFU_STATUS_RESOLVED, KEFU_STATUS_REOPENED },
    { KEFU_STATUS_REOPENED, KEFU_STATUS_ASSIGNED },
    { KEFU_STATUS_REOPENED, KEFU_STATUS_IN_PROGRESS },
    { KEFU_STATUS_NEW, KEFU_STATUS_CANCELLED },
    { KEFU_STATUS_ASSIGNED, KEFU_STATUS_CANCELLED },
    { KEFU_STATUS_ACCEPTED, KEFU_STATUS_CANCELLED },
    { KEFU_STATUS_IN_PROGRESS, KEFU_STATUS_CANCELLED },
    { KEFU_STATUS_WAITING_CUSTOMER, KEFU_STATUS_CANCELLED },
    { KEFU_STATUS_WAITING_PARTS, KEFU_STATUS_CANCELLED },
    { KEFU_STATUS_REOPENED, KEFU_STATUS_CANCELLED },
  };
  guint allowed = 0;

  for (guint from = 0; from < KEFU_STATUS_LAST; from++)
    {
      for (guint to = 0; to < KEFU_STATUS_LAST; to++)
        {
          gboolean expected = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
            {
              if (edges[i].from == from && edges[i].to == to)
                expected = TRUE;
            }

          if (kefu_status_can_transition ((KefuStatus) from, (KefuStatus) to) != expected)
            g_error ("transition %s → %s: expected %s",
                     kefu_status_to_string ((KefuStatus) from),
                     kefu_status_to_string ((KefuStatus) to),
                     expected ? "allowed" : "refused");
          allowed += expected;
        }
    }

  g_assert_cmpuint (allowed, ==, G_N_ELEMENTS (edges));
  g_assert_false (kefu_status_can_transition (KEFU_STATUS_CLOSED, KEFU_STATUS_CANCELLED));
  g_assert_false (kefu_status_can_transition (KEFU_STATUS_RESOLVED, KEFU_STATUS_CANCELLED));
  g_assert_false (kefu_status_can_transition (KEFU_STATUS_CANCELLED, KEFU_STATUS_NEW));
  g_assert_false (kefu_status_can_transition (KEFU_STATUS_NEW, KEFU_STATUS_LAST));
  g_assert_false (kefu_status_can_transition (KEFU_STATUS_LAST, KEFU_STATUS_CANCELLED));
}

static void
test_error_codes (void)
{
  static const struct {
    KefuErrorCode code;
    const char *word;
    guint status;
  } codes[] = {
    { KEFU_ERROR_BAD_JSON, "bad_json", 400 },
    { KEFU_ERROR_VALIDATION_FAILED, "validation_failed", 400 },
    { KEFU_ERROR_UNAUTHENTICATED, "unauthenticated", 401 },
    { KEFU_ERROR_FORBIDDEN, "forbidden", 403 },
    { KEFU_ERROR_NOT_FOUND, "not_found", 404 },
    { KEFU_ERROR_METHOD_NOT_ALLOWED, "method_not_allowed", 405 },
    { KEFU_ERROR_VERSION_CONFLICT, "version_conflict", 409 },
    { KEFU_ERROR_INVALID_TRANSITION, "invalid_transition", 409 },
    { KEFU_ERROR_CONFLICT, "conflict", 409 },
    { KEFU_ERROR_PRECONDITION_REQUIRED, "precondition_required", 428 },
    { KEFU_ERROR_TOO_LARGE, "too_large", 413 },
    { KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415 },
    { KEFU_ERROR_TOO_MANY_ATTEMPTS, "too_many_attempts", 429 },
    { KEFU_ERROR_INTERNAL, "internal", 500 },
    { KEFU_ERROR_UNAVAILABLE, "unavailable", 503 },
    { KEFU_ERROR_BAD_REQUEST, "bad_request", 400 },
    { KEFU_ERROR_TIMEOUT, "timeout", 408 },
  };
  KefuErrorCode code;

  g_assert_cmpint (G_N_ELEMENTS (codes), ==, KEFU_ERROR_LAST);
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_assert_cmpstr (kefu_error_code_to_string (codes[i].code), ==, codes[i].word);
      g_assert_cmpuint (kefu_error_code_http_status (codes[i].code), ==, codes[i].status);
      code = KEFU_ERROR_LAST;
      g_assert_true (kefu_error_code_from_string (codes[i].word, &code));
      g_assert_cmpint (code, ==, codes[i].code);
    }

  g_assert_null (kefu_error_code_to_string (KEFU_ERROR_LAST));
  g_assert_cmpuint (kefu_error_code_http_status (KEFU_ERROR_LAST), ==, 500);
  g_assert_false (kefu_error_code_from_string ("teapot", &code));
  g_assert_false (kefu_error_code_from_string ("", &code));
  g_assert_false (kefu_error_code_from_string (NULL, &code));
}

static void
test_field_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) plain = NULL;
  g_autoptr(GError) other = NULL;
  g_autoptr(GError) no_field = NULL;

  g_assert_cmpuint (KEFU_ERROR, !=, 0);
  g_assert_cmpuint (KEFU_ERROR, ==, kefu_error_quark ());

  kefu_set_field_error (&error, "customer.phone", "%s is not a valid phone number",
                        "customer.phone");
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (error->message, ==, "customer.phone is not a valid phone number");
  g_assert_cmpstr (kefu_error_get_field (error), ==, "customer.phone");

  /* The field survives g_error_copy() (extended domain copy function). */
  copy = g_error_copy (error);
  g_assert_error (copy, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (kefu_error_get_field (copy), ==, "customer.phone");
  g_assert_true (kefu_error_get_field (copy) != kefu_error_get_field (error));

  /* Other errors of the domain have no field; other domains neither. */
  g_set_error (&plain, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "no ticket %s", "FW20261123001");
  g_assert_null (kefu_error_get_field (plain));
  g_set_error_literal (&other, g_quark_from_static_string ("kefu-test-other-domain"), 1, "other");
  g_assert_null (kefu_error_get_field (other));
  g_assert_null (kefu_error_get_field (NULL));

  kefu_set_field_error (&no_field, NULL, "the request body must be a JSON object");
  g_assert_error (no_field, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_null (kefu_error_get_field (no_field));

  /* A NULL location is accepted and does nothing. */
  kefu_set_field_error (NULL, "description", "description is required");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/enums/roles", test_roles);
  g_test_add_func ("/enums/channels", test_channels);
  g_test_add_func ("/enums/stages-categories", test_stages_categories);
  g_test_add_func ("/enums/priority", test_priority);
  g_test_add_func ("/enums/statuses", test_statuses);
  g_test_add_func ("/enums/other", test_other_enums);
  g_test_add_func ("/enums/transitions", test_transitions);
  g_test_add_func ("/error/codes", test_error_codes);
  g_test_add_func ("/error/field", test_field_errors);

  return g_test_run ();
}
