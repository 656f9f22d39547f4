/* kefu-sla.c — the SLA calculus: due times and warning points of every clock of DOMAIN.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "kefu-sla.h"
#include "kefu-error.h"
#include "kefu-json-input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOUR               G_GINT64_CONSTANT (3600)
#define MAX_TARGET_SECONDS (365 * 24 * HOUR)
#define N_PRIORITIES       4
#define DEFAULT_SUBMITTED_LIMIT (7 * 24 * HOUR)

struct _KefuSlaPolicy
{
  gatomicrefcount  ref_count;
  KefuSlaTarget    response[N_PRIORITIES];
  KefuSlaTarget    resolve[N_PRIORITIES];
  KefuSlaTarget    callback[N_PRIORITIES];
  KefuSlaTarget    clocks[KEFU_SLA_CLOCK_LAST];  /* ACCEPT, UPDATE, CONFIRM, RETURN_* */
  KefuSlaTarget    update_p1;
  KefuSlaTarget    reopen_resolve;
  double           warning_ratio;
  gboolean         pause_waiting_customer;
  gint64           submitted_limit;              /* seconds */
  KefuCalendar    *calendar;
};

G_DEFINE_BOXED_TYPE (KefuSlaPolicy, kefu_sla_policy, kefu_sla_policy_ref, kefu_sla_policy_unref)

static const char * const clock_names[KEFU_SLA_CLOCK_LAST] = {
  [KEFU_SLA_CLOCK_RESPONSE]      = "response",
  [KEFU_SLA_CLOCK_RESOLVE]       = "resolve",
  [KEFU_SLA_CLOCK_ACCEPT]        = "accept",
  [KEFU_SLA_CLOCK_UPDATE]        = "update",
  [KEFU_SLA_CLOCK_CONFIRM]       = "confirm",
  [KEFU_SLA_CLOCK_RETURN_REVIEW] = "return_review",
  [KEFU_SLA_CLOCK_RETURN_PICKUP] = "return_pickup",
};

const char *
kefu_sla_clock_to_string (KefuSlaClock clock)
{
  if ((guint) clock >= KEFU_SLA_CLOCK_LAST)
    return NULL;
  return clock_names[clock];
}

gboolean
kefu_sla_clock_from_string (const char   *str,
                            KefuSlaClock *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    if (g_str_equal (str, clock_names[i]))
      {
        *out = (KefuSlaClock) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- the policy --------------------------------------------------------------------------- */

static gboolean
target_is_valid (KefuSlaTarget t)
{
  return t.seconds > 0 && t.seconds <= MAX_TARGET_SECONDS;
}

/* The clocks that kefu_sla_policy_get_clock() serves (the others depend on the priority). */
static gboolean
clock_is_simple (KefuSlaClock clock)
{
  return clock == KEFU_SLA_CLOCK_ACCEPT || clock == KEFU_SLA_CLOCK_UPDATE ||
         clock == KEFU_SLA_CLOCK_CONFIRM || clock == KEFU_SLA_CLOCK_RETURN_REVIEW ||
         clock == KEFU_SLA_CLOCK_RETURN_PICKUP;
}

static KefuSlaTarget
calendar_target (gint64 seconds)
{
  return (KefuSlaTarget) { .seconds = seconds, .business = FALSE };
}

/* Urgent problems are promised a call back within the hour; the others are promised their
 * response target. Only the priorities not marked in @given (NULL: all) are set. */
static void
set_default_callbacks (KefuSlaPolicy  *policy,
                       const gboolean *given)
{
  for (int p = 1; p <= N_PRIORITIES; p++)
    if (given == NULL || !given[p - 1])
      policy->callback[p - 1] = p == 1 ? calendar_target (1 * HOUR) : policy->response[p - 1];
}

KefuSlaPolicy *
kefu_sla_policy_new_default (const char *tz_identifier)
{
  KefuSlaPolicy *policy;
  KefuCalendar *cal = kefu_calendar_new (tz_identifier);

  if (cal == NULL)
    return NULL;

  policy = g_new0 (KefuSlaPolicy, 1);
  g_atomic_ref_count_init (&policy->ref_count);
  policy->calendar = cal;  /* Mon–Fri 09:00–18:00 */

  policy->response[0] = calendar_target (2 * HOUR);
  policy->resolve[0] = calendar_target (24 * HOUR);
  policy->response[1] = calendar_target (4 * HOUR);
  policy->resolve[1] = calendar_target (48 * HOUR);
  policy->response[2] = calendar_target (24 * HOUR);
  policy->resolve[2] = calendar_target (72 * HOUR);
  policy->response[3] = calendar_target (48 * HOUR);
  /* Five business days of the default calendar: 5 × 9 h. */
  policy->resolve[3] = (KefuSlaTarget) { .seconds = 5 * 9 * HOUR, .business = TRUE };
  set_default_callbacks (policy, NULL);

  policy->clocks[KEFU_SLA_CLOCK_ACCEPT] = calendar_target (1 * HOUR);
  policy->clocks[KEFU_SLA_CLOCK_UPDATE] = calendar_target (4 * HOUR);
  policy->clocks[KEFU_SLA_CLOCK_CONFIRM] = calendar_target (1 * HOUR);
  policy->clocks[KEFU_SLA_CLOCK_RETURN_REVIEW] = calendar_target (24 * HOUR);
  policy->clocks[KEFU_SLA_CLOCK_RETURN_PICKUP] = calendar_target (48 * HOUR);
  policy->update_p1 = calendar_target (2 * HOUR);
  policy->reopen_resolve = calendar_target (24 * HOUR);
  policy->warning_ratio = 0.8;
  policy->pause_waiting_customer = TRUE;
  policy->submitted_limit = DEFAULT_SUBMITTED_LIMIT;

  return policy;
}

KefuSlaPolicy *
kefu_sla_policy_ref (KefuSlaPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);

  g_atomic_ref_count_inc (&policy->ref_count);
  return policy;
}

void
kefu_sla_policy_unref (KefuSlaPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  if (!g_atomic_ref_count_dec (&policy->ref_count))
    return;
  kefu_calendar_unref (policy->calendar);
  g_free (policy);
}

KefuSlaPolicy *
kefu_sla_policy_copy (KefuSlaPolicy *policy)
{
  KefuSlaPolicy *copy;

  g_return_val_if_fail (policy != NULL, NULL);

  copy = g_memdup2 (policy, sizeof *policy);
  g_atomic_ref_count_init (&copy->ref_count);
  copy->calendar = kefu_calendar_copy (policy->calendar);
  return copy;
}

/* Borrowed; the policy keeps a reference. */
KefuCalendar *
kefu_sla_policy_get_calendar (KefuSlaPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);

  return policy->calendar;
}

/* Takes a reference on @cal (no copy). */
void
kefu_sla_policy_set_calendar (KefuSlaPolicy *policy,
                              KefuCalendar  *cal)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (cal != NULL);

  kefu_calendar_ref (cal);
  kefu_calendar_unref (policy->calendar);
  policy->calendar = cal;
}

#define PRIORITY_IS_VALID(p) ((p) >= 1 && (p) <= N_PRIORITIES)

KefuSlaTarget
kefu_sla_policy_get_response (KefuSlaPolicy *policy,
                              int            priority)
{
  g_return_val_if_fail (policy != NULL, calendar_target (0));
  g_return_val_if_fail (PRIORITY_IS_VALID (priority), calendar_target (0));

  return policy->response[priority - 1];
}

void
kefu_sla_policy_set_response (KefuSlaPolicy *policy,
                              int            priority,
                              KefuSlaTarget  t)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (PRIORITY_IS_VALID (priority));
  g_return_if_fail (target_is_valid (t));

  policy->response[priority - 1] = t;
}

KefuSlaTarget
kefu_sla_policy_get_resolve (KefuSlaPolicy *policy,
                             int            priority)
{
  g_return_val_if_fail (policy != NULL, calendar_target (0));
  g_return_val_if_fail (PRIORITY_IS_VALID (priority), calendar_target (0));

  return policy->resolve[priority - 1];
}

void
kefu_sla_policy_set_resolve (KefuSlaPolicy *policy,
                             int            priority,
                             KefuSlaTarget  t)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (PRIORITY_IS_VALID (priority));
  g_return_if_fail (target_is_valid (t));

  policy->resolve[priority - 1] = t;
}

KefuSlaTarget
kefu_sla_policy_get_callback (KefuSlaPolicy *policy,
                              int            priority)
{
  g_return_val_if_fail (policy != NULL, calendar_target (0));
  g_return_val_if_fail (PRIORITY_IS_VALID (priority), calendar_target (0));

  return policy->callback[priority - 1];
}

void
kefu_sla_policy_set_callback (KefuSlaPolicy *policy,
                              int            priority,
                              KefuSlaTarget  t)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (PRIORITY_IS_VALID (priority));
  g_return_if_fail (target_is_valid (t));

  policy->callback[priority - 1] = t;
}

KefuSlaTarget
kefu_sla_policy_get_clock (KefuSlaPolicy *policy,
                           KefuSlaClock   clock)
{
  g_return_val_if_fail (policy != NULL, calendar_target (0));
  g_return_val_if_fail (clock_is_simple (clock), calendar_target (0));

  return policy->clocks[clock];
}

void
kefu_sla_policy_set_clock (KefuSlaPolicy *policy,
                           KefuSlaClock   clock,
                           KefuSlaTarget  t)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (clock_is_simple (clock));
  g_return_if_fail (target_is_valid (t));

  policy->clocks[clock] = t;
}

KefuSlaTarget
kefu_sla_policy_get_update_p1 (KefuSlaPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, calendar_target (0));

  return policy->update_p1;
}

void
kefu_sla_policy_set_update_p1 (KefuSlaPolicy *policy,
                               KefuSlaTarget  t)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (target_is_valid (t));

  policy->update_p1 = t;
}

KefuSlaTarget
kefu_sla_policy_get_reopen_resolve (KefuSlaPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, calendar_target (0));

  return policy->reopen_resolve;
}

void
kefu_sla_policy_set_reopen_resolve (KefuSlaPolicy *policy,
                                    KefuSlaTarget  t)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (target_is_valid (t));

  policy->reopen_resolve = t;
}

double
kefu_sla_policy_get_warning_ratio (KefuSlaPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, 0.0);

  return policy->warning_ratio;
}

void
kefu_sla_policy_set_warning_ratio (KefuSlaPolicy *policy,
                                   double         ratio)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (ratio > 0.0 && ratio < 1.0);

  policy->warning_ratio = ratio;
}

gboolean
kefu_sla_policy_get_pause_waiting_customer (KefuSlaPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, FALSE);

  return policy->pause_waiting_customer;
}

void
kefu_sla_policy_set_pause_waiting_customer (KefuSlaPolicy *policy,
                                            gboolean       pause)
{
  g_return_if_fail (policy != NULL);

  policy->pause_waiting_customer = !!pause;
}

gint64
kefu_sla_policy_get_submitted_limit (KefuSlaPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, 0);

  return policy->submitted_limit;
}

void
kefu_sla_policy_set_submitted_limit (KefuSlaPolicy *policy,
                                     gint64         seconds)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (seconds >= 0 && seconds <= MAX_TARGET_SECONDS);

  policy->submitted_limit = seconds;
}

gint64
kefu_sla_policy_clock_origin (KefuSlaPolicy *policy,
                              gint64         registered_at,
                              gint64         submitted_at)
{
  gint64 earliest;

  g_return_val_if_fail (policy != NULL, registered_at);

  /* Intake refuses a submitted_at more than 5 minutes ahead; a clock still never starts after
   * the registration. A report claimed to be older than the limit (a typing error, or a late
   * backlog) would register as long overdue: it starts at the limit instead. */
  if (submitted_at == 0 || submitted_at >= registered_at)
    return registered_at;
  earliest = registered_at - policy->submitted_limit * G_USEC_PER_SEC;
  return MAX (submitted_at, earliest);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void
add_target (JsonBuilder   *b,
            const char    *name,
            KefuSlaTarget  t)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_int_value (b, t.seconds);
  json_builder_set_member_name (b, "business");
  json_builder_add_boolean_value (b, t.business);
  json_builder_end_object (b);
}

/* The members of the policy object that hold one target each, in wire order. */
typedef enum {
  NAMED_ACCEPT,
  NAMED_UPDATE,
  NAMED_UPDATE_P1,
  NAMED_CONFIRM,
  NAMED_RETURN_REVIEW,
  NAMED_RETURN_PICKUP,
  NAMED_REOPEN_RESOLVE,
  N_NAMED
} NamedTarget;

static const char * const named_members[N_NAMED] = {
  "accept", "update", "update_p1", "confirm", "return_review", "return_pickup", "reopen_resolve",
};

static KefuSlaTarget *
named_target (KefuSlaPolicy *policy,
              NamedTarget    which)
{
  switch (which)
    {
    case NAMED_ACCEPT:         return &policy->clocks[KEFU_SLA_CLOCK_ACCEPT];
    case NAMED_UPDATE:         return &policy->clocks[KEFU_SLA_CLOCK_UPDATE];
    case NAMED_UPDATE_P1:      return &policy->update_p1;
    case NAMED_CONFIRM:        return &policy->clocks[KEFU_SLA_CLOCK_CONFIRM];
    case NAMED_RETURN_REVIEW:  return &policy->clocks[KEFU_SLA_CLOCK_RETURN_REVIEW];
    case NAMED_RETURN_PICKUP:  return &policy->clocks[KEFU_SLA_CLOCK_RETURN_PICKUP];
    case NAMED_REOPEN_RESOLVE: return &policy->reopen_resolve;
    case N_NAMED:
    default:
      g_assert_not_reached ();
    }
}

JsonNode *
kefu_sla_policy_to_json (KefuSlaPolicy *policy)
{
  g_autoptr (JsonBuilder) b = NULL;

  g_return_val_if_fail (policy != NULL, NULL);

  b = json_builder_new ();
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "targets");
  json_builder_begin_array (b);
  for (int p = 1; p <= N_PRIORITIES; p++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "priority");
      json_builder_add_int_value (b, p);
      add_target (b, "response", policy->response[p - 1]);
      add_target (b, "resolve", policy->resolve[p - 1]);
      add_target (b, "callback", policy->callback[p - 1]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  for (guint i = 0; i < N_NAMED; i++)
    add_target (b, named_members[i], *named_target (policy, (NamedTarget) i));

  json_builder_set_member_name (b, "warning_ratio");
  json_builder_add_double_value (b, policy->warning_ratio);
  json_builder_set_member_name (b, "pause_waiting_customer");
  json_builder_add_boolean_value (b, policy->pause_waiting_customer);
  json_builder_set_member_name (b, "submitted_limit_seconds");
  json_builder_add_int_value (b, policy->submitted_limit);
  json_builder_set_member_name (b, "calendar");
  json_builder_add_value (b, kefu_calendar_to_json (policy->calendar));

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
node_holds (JsonNode *node,
            GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Parses the target at @obj.@name; @field is its wire path ("targets[0].response", "accept"). */
static gboolean
parse_target (JsonObject     *obj,
              const char     *name,
              const char     *field,
              KefuSlaTarget  *out,
              GError        **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  JsonObject *t;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      kefu_set_field_error (error, field, "must be an object {\"seconds\":N,\"business\":BOOL}");
      return FALSE;
    }
  t = json_node_get_object (node);

  {
    g_autofree char *f = g_strdup_printf ("%s.seconds", field);

    if (!kefu_json_node_get_int (json_object_get_member (t, "seconds"), f, 1,
                                 MAX_TARGET_SECONDS, &out->seconds, error))
      return FALSE;
  }

  member = json_object_get_member (t, "business");
  out->business = FALSE;
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!node_holds (member, G_TYPE_BOOLEAN))
        {
          g_autofree char *f = g_strdup_printf ("%s.business", field);

          kefu_set_field_error (error, f, "must be true or false");
          return FALSE;
        }
      out->business = json_node_get_boolean (member);
    }
  return TRUE;
}

static gboolean
parse_targets (KefuSlaPolicy  *policy,
               JsonObject     *obj,
               GError        **error)
{
  JsonNode *node = json_object_get_member (obj, "targets");
  JsonArray *array;
  gboolean seen[N_PRIORITIES] = { FALSE, };
  gboolean callback_given[N_PRIORITIES] = { FALSE, };

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      kefu_set_field_error (error, "targets", "must be an array with one entry per priority");
      return FALSE;
    }
  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("targets[%u]", i);
      g_autofree char *response_field = g_strdup_printf ("targets[%u].response", i);
      g_autofree char *resolve_field = g_strdup_printf ("targets[%u].resolve", i);
      g_autofree char *callback_field = g_strdup_printf ("targets[%u].callback", i);
      g_autofree char *priority_field = g_strdup_printf ("targets[%u].priority", i);
      JsonObject *entry;
      gint64 p;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          kefu_set_field_error (error, field, "must be an object");
          return FALSE;
        }
      entry = json_node_get_object (element);

      if (!kefu_json_node_get_int (json_object_get_member (entry, "priority"), priority_field,
                                   1, N_PRIORITIES, &p, error))
        return FALSE;
      if (seen[p - 1])
        {
          kefu_set_field_error (error, priority_field, "must be a priority 1 … 4, each listed once");
          return FALSE;
        }
      seen[p - 1] = TRUE;

      if (!parse_target (entry, "response", response_field, &policy->response[p - 1], error) ||
          !parse_target (entry, "resolve", resolve_field, &policy->resolve[p - 1], error))
        return FALSE;

      /* Optional: policies stored before the promise was a value of its own lack it. */
      if (json_object_get_member (entry, "callback") != NULL)
        {
          if (!parse_target (entry, "callback", callback_field, &policy->callback[p - 1], error))
            return FALSE;
          callback_given[p - 1] = TRUE;
        }
    }

  for (int p = 1; p <= N_PRIORITIES; p++)
    if (!seen[p - 1])
      {
        kefu_set_field_error (error, "targets", "the targets of P%d are missing", p);
        return FALSE;
      }
  set_default_callbacks (policy, callback_given);
  return TRUE;
}

KefuSlaPolicy *
kefu_sla_policy_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr (KefuSlaPolicy) policy = NULL;
  JsonObject *obj;
  JsonNode *member;
  KefuCalendar *cal;
  double ratio;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "An SLA policy must be a JSON object");
      return NULL;
    }
  obj = json_node_get_object (node);

  policy = kefu_sla_policy_new_default (NULL);

  if (!parse_targets (policy, obj, error))
    return NULL;

  for (guint i = 0; i < N_NAMED; i++)
    if (!parse_target (obj, named_members[i], named_members[i],
                       named_target (policy, (NamedTarget) i), error))
      return NULL;

  member = json_object_get_member (obj, "warning_ratio");
  if (node_holds (member, G_TYPE_DOUBLE))
    ratio = json_node_get_double (member);
  else if (node_holds (member, G_TYPE_INT64))
    ratio = (double) json_node_get_int (member);
  else
    ratio = NAN;
  if (!(ratio > 0.0 && ratio < 1.0))
    {
      kefu_set_field_error (error, "warning_ratio", "must be a number between 0 and 1 (exclusive)");
      return NULL;
    }
  policy->warning_ratio = ratio;

  member = json_object_get_member (obj, "pause_waiting_customer");
  if (!node_holds (member, G_TYPE_BOOLEAN))
    {
      kefu_set_field_error (error, "pause_waiting_customer", "must be true or false");
      return NULL;
    }
  policy->pause_waiting_customer = json_node_get_boolean (member);

  /* Optional, like the call-back promise, for the policies stored before it. */
  member = json_object_get_member (obj, "submitted_limit_seconds");
  if (member != NULL &&
      !kefu_json_node_get_int (member, "submitted_limit_seconds", 0, MAX_TARGET_SECONDS,
                               &policy->submitted_limit, error))
    return NULL;

  member = json_object_get_member (obj, "calendar");
  if (member == NULL)
    {
      kefu_set_field_error (error, "calendar", "is required");
      return NULL;
    }
  cal = kefu_calendar_from_json (member, error);
  if (cal == NULL)
    return NULL;
  kefu_calendar_unref (policy->calendar);
  policy->calendar = cal;

  return g_steal_pointer (&policy);
}

/* ---- the calculus ------------------------------------------------------------------------- */

typedef struct {
  gint64 start;
  gint64 end;  /* G_MAXINT64 = still open */
} Interval;

static int
compare_intervals (const void *a,
                   const void *b)
{
  const Interval *x = a, *y = b;

  return (x->start > y->start) - (x->start < y->start);
}

/* The pauses that matter after @start, clipped to it, sorted and merged; returns the count. */
static guint
normalize_pauses (gint64              start,
                  const KefuSlaPause *pauses,
                  guint               n_pauses,
                  Interval           *out)
{
  guint n = 0, merged = 0;

  for (guint i = 0; i < n_pauses; i++)
    {
      gint64 s = pauses[i].start;
      gint64 e = pauses[i].end == 0 ? G_MAXINT64 : pauses[i].end;

      if (e <= s || e <= start)
        continue;  /* empty, backwards, or over before the clock started */
      out[n].start = MAX (s, start);
      out[n].end = e;
      n++;
    }
  if (n == 0)
    return 0;

  qsort (out, n, sizeof (Interval), compare_intervals);
  for (guint i = 1; i < n; i++)
    {
      if (out[i].start <= out[merged].end)
        out[merged].end = MAX (out[merged].end, out[i].end);
      else
        out[++merged] = out[i];
    }
  return merged + 1;
}

static gint64
saturating_add (gint64 a,
                gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  return a + b;
}

/* Counting time of the kind of the target (real or business), in µs. */
static gint64
measure (KefuCalendar *cal,
         gboolean      business,
         gint64        from,
         gint64        to)
{
  if (to <= from)
    return 0;
  return business ? kefu_calendar_business_between_usec (cal, from, to) : to - from;
}

static gint64
advance (KefuCalendar *cal,
         gboolean      business,
         gint64        from,
         gint64        usec)
{
  return business ? kefu_calendar_add_business_usec (cal, from, usec)
                  : saturating_add (from, usec);
}

static gint64
due_usec (KefuSlaPolicy      *policy,
          gint64              start,
          gint64              usec,
          gboolean            business,
          const KefuSlaPause *pauses,
          guint               n_pauses)
{
  g_autofree Interval *merged = NULL;
  gint64 remaining = usec;
  gint64 t = start;
  guint n;

  if (usec <= 0)
    return start;

  merged = g_new (Interval, MAX (n_pauses, 1));
  n = normalize_pauses (start, pauses, n_pauses, merged);

  for (guint i = 0; i < n; i++)
    {
      gint64 available = measure (policy->calendar, business, t, merged[i].start);

      if (remaining <= available)
        break;  /* used up before this pause begins */
      remaining -= available;
      if (merged[i].end == G_MAXINT64)
        return G_MAXINT64;  /* stopped: the pause is still open */
      t = merged[i].end;
    }
  return advance (policy->calendar, business, t, remaining);
}

static gint64
target_usec (gint64 seconds)
{
  if (seconds > G_MAXINT64 / G_USEC_PER_SEC)
    return G_MAXINT64;
  return seconds * G_USEC_PER_SEC;
}

gint64
kefu_sla_due (KefuSlaPolicy      *policy,
              gint64              start,
              KefuSlaTarget       target,
              const KefuSlaPause *pauses,
              guint               n_pauses)
{
  g_return_val_if_fail (policy != NULL, G_MAXINT64);
  g_return_val_if_fail (pauses != NULL || n_pauses == 0, G_MAXINT64);

  return due_usec (policy, start, target_usec (target.seconds), target.business,
                   pauses, n_pauses);
}

gint64
kefu_sla_warning_at (KefuSlaPolicy      *policy,
                     gint64              start,
                     KefuSlaTarget       target,
                     const KefuSlaPause *pauses,
                     guint               n_pauses)
{
  gint64 seconds;

  g_return_val_if_fail (policy != NULL, G_MAXINT64);
  g_return_val_if_fail (pauses != NULL || n_pauses == 0, G_MAXINT64);

  seconds = (gint64) floor ((double) target.seconds * policy->warning_ratio + 0.5);
  return due_usec (policy, start, target_usec (seconds), target.business, pauses, n_pauses);
}

static void
set_clock (KefuSlaPolicy      *policy,
           KefuSlaDues        *out,
           KefuSlaClock        clock,
           gint64              start,
           KefuSlaTarget       target,
           const KefuSlaPause *pauses,
           guint               n_pauses)
{
  out->due[clock] = kefu_sla_due (policy, start, target, pauses, n_pauses);
  out->warn[clock] = kefu_sla_warning_at (policy, start, target, pauses, n_pauses);
}

void
kefu_sla_compute (KefuSlaPolicy      *policy,
                  const KefuSlaInput *input,
                  KefuSlaDues        *out)
{
  const KefuSlaPause *pauses = NULL;
  guint n_pauses = 0;
  gboolean running;
  gint64 origin;
  int p;

  g_return_if_fail (out != NULL);
  memset (out, 0, sizeof *out);
  g_return_if_fail (policy != NULL);
  g_return_if_fail (input != NULL);
  g_return_if_fail (PRIORITY_IS_VALID (input->priority));
  g_return_if_fail (input->pauses != NULL || input->n_pauses == 0);

  p = input->priority;
  if (policy->pause_waiting_customer)
    {
      pauses = input->pauses;
      n_pauses = input->n_pauses;
    }
  running = input->open && input->closed_at == 0;
  origin = kefu_sla_policy_clock_origin (policy, input->registered_at, input->submitted_at);

  if (running && input->first_response_at == 0)
    set_clock (policy, out, KEFU_SLA_CLOCK_RESPONSE, origin,
               policy->response[p - 1], pauses, n_pauses);

  if (running)
    {
      if (input->reopened_at != 0)
        set_clock (policy, out, KEFU_SLA_CLOCK_RESOLVE, input->reopened_at,
                   policy->reopen_resolve, pauses, n_pauses);
      else
        set_clock (policy, out, KEFU_SLA_CLOCK_RESOLVE, origin,
                   policy->resolve[p - 1], pauses, n_pauses);
    }

  if (running && input->assigned_at != 0 &&
      (input->accepted_at == 0 || input->accepted_at < input->assigned_at))
    set_clock (policy, out, KEFU_SLA_CLOCK_ACCEPT, input->assigned_at,
               policy->clocks[KEFU_SLA_CLOCK_ACCEPT], pauses, n_pauses);

  /* Progress updates are owed during handling: before anyone took the ticket, the response
   * and accept clocks are the ones that matter, and an update clock from registration would
   * breach every untouched P3/P4 long before its first response is due. */
  if (running && input->accepted_at != 0)
    {
      gint64 from = MAX (input->accepted_at,
                         MAX (input->last_contact_at, input->reopened_at));

      set_clock (policy, out, KEFU_SLA_CLOCK_UPDATE, from,
                 p == 1 ? policy->update_p1 : policy->clocks[KEFU_SLA_CLOCK_UPDATE],
                 pauses, n_pauses);
    }

  /* The confirmation call is ours to make: waiting for the customer doesn't stop it. */
  if (!input->open && input->resolved_at != 0 && input->closed_at == 0)
    set_clock (policy, out, KEFU_SLA_CLOCK_CONFIRM, input->resolved_at,
               policy->clocks[KEFU_SLA_CLOCK_CONFIRM], NULL, 0);
}

KefuSlaState
kefu_sla_state_at (const KefuSlaDues *dues,
                   gint64             now)
{
  gboolean warning = FALSE;

  g_return_val_if_fail (dues != NULL, KEFU_SLA_STATE_OK);

  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    {
      if (dues->due[i] != 0 && dues->due[i] <= now)
        return KEFU_SLA_STATE_BREACHED;
      if (dues->warn[i] != 0 && dues->warn[i] <= now)
        warning = TRUE;
    }
  return warning ? KEFU_SLA_STATE_WARNING : KEFU_SLA_STATE_OK;
}
