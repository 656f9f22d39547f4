/* kefu-sla.h — the SLA calculus: due times and warning points of every clock of DOMAIN.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kefu-calendar.h"
#include "kefu-enums.h"

G_BEGIN_DECLS

/* A target: a number of seconds, counted in calendar time or in business time. */
typedef struct {
  gint64   seconds;
  gboolean business;
} KefuSlaTarget;

typedef struct _KefuSlaPolicy KefuSlaPolicy;

typedef enum {
  KEFU_SLA_CLOCK_RESPONSE,       /* first customer contact, from the customer's report */
  KEFU_SLA_CLOCK_RESOLVE,        /* resolution, from the customer's report (from reopen: 24 h) */
  KEFU_SLA_CLOCK_ACCEPT,         /* accept, from (re)assignment */
  KEFU_SLA_CLOCK_UPDATE,         /* next progress update, once accepted, from the later of the
                                  * acceptance and the last customer contact */
  KEFU_SLA_CLOCK_CONFIRM,        /* confirmation call, from resolution */
  KEFU_SLA_CLOCK_RETURN_REVIEW,  /* return request reviewed, from request */
  KEFU_SLA_CLOCK_RETURN_PICKUP,  /* pickup arranged, from approval */
  KEFU_SLA_CLOCK_LAST
} KefuSlaClock;

const char *kefu_sla_clock_to_string   (KefuSlaClock clock);
gboolean    kefu_sla_clock_from_string (const char *str, KefuSlaClock *out);

#define KEFU_TYPE_SLA_POLICY (kefu_sla_policy_get_type ())
GType          kefu_sla_policy_get_type (void) G_GNUC_CONST;

/* The defaults of DOMAIN.md (NULL when @tz_identifier is not a known zone): P1 2 h/24 h, P2 4 h/48 h, P3 24 h/72 h, P4 48 h/5 business days;
 * call-back promise P1 1 h, the others their response target; accept 1 h; update 4 h (P1 2 h);
 * confirm 1 h; return review 24 h, pickup 48 h; warning 0.8; pause while waiting_customer;
 * reopen resolution 24 h; submitted_at at most 7 days before registration;
 * calendar Mon–Fri 09:00–18:00 in @tz. */
KefuSlaPolicy *kefu_sla_policy_new_default (const char *tz_identifier);
KefuSlaPolicy *kefu_sla_policy_ref      (KefuSlaPolicy *policy);
void           kefu_sla_policy_unref    (KefuSlaPolicy *policy);
KefuSlaPolicy *kefu_sla_policy_copy     (KefuSlaPolicy *policy);

KefuCalendar  *kefu_sla_policy_get_calendar (KefuSlaPolicy *policy);
void           kefu_sla_policy_set_calendar (KefuSlaPolicy *policy, KefuCalendar *cal);
/* priority 1..4 */
KefuSlaTarget  kefu_sla_policy_get_response (KefuSlaPolicy *policy, int priority);
void           kefu_sla_policy_set_response (KefuSlaPolicy *policy, int priority, KefuSlaTarget t);
KefuSlaTarget  kefu_sla_policy_get_resolve  (KefuSlaPolicy *policy, int priority);
void           kefu_sla_policy_set_resolve  (KefuSlaPolicy *policy, int priority, KefuSlaTarget t);
/* The call back promised to the customer at registration (not a clock: a promise we keep). */
KefuSlaTarget  kefu_sla_policy_get_callback (KefuSlaPolicy *policy, int priority);
void           kefu_sla_policy_set_callback (KefuSlaPolicy *policy, int priority, KefuSlaTarget t);
/* ACCEPT, UPDATE (for priority ≥ 2), CONFIRM, RETURN_REVIEW, RETURN_PICKUP */
KefuSlaTarget  kefu_sla_policy_get_clock    (KefuSlaPolicy *policy, KefuSlaClock clock);
void           kefu_sla_policy_set_clock    (KefuSlaPolicy *policy, KefuSlaClock clock, KefuSlaTarget t);
KefuSlaTarget  kefu_sla_policy_get_update_p1 (KefuSlaPolicy *policy);
void           kefu_sla_policy_set_update_p1 (KefuSlaPolicy *policy, KefuSlaTarget t);
KefuSlaTarget  kefu_sla_policy_get_reopen_resolve (KefuSlaPolicy *policy);
void           kefu_sla_policy_set_reopen_resolve (KefuSlaPolicy *policy, KefuSlaTarget t);
double         kefu_sla_policy_get_warning_ratio (KefuSlaPolicy *policy);   /* in (0,1) */
void           kefu_sla_policy_set_warning_ratio (KefuSlaPolicy *policy, double ratio);
gboolean       kefu_sla_policy_get_pause_waiting_customer (KefuSlaPolicy *policy);
void           kefu_sla_policy_set_pause_waiting_customer (KefuSlaPolicy *policy, gboolean pause);
/* How far before its registration a ticket's submitted_at may start its clocks, in seconds
 * (0 … 31536000). */
gint64         kefu_sla_policy_get_submitted_limit (KefuSlaPolicy *policy);
void           kefu_sla_policy_set_submitted_limit (KefuSlaPolicy *policy, gint64 seconds);

/* Where the response and resolution clocks start: @submitted_at (when the customer reported),
 * but never after @registered_at and never more than the submitted limit before it; 0 →
 * @registered_at. */
gint64         kefu_sla_policy_clock_origin (KefuSlaPolicy *policy,
                                             gint64         registered_at,
                                             gint64         submitted_at);

/* The wire format (every member required except "business", default false, and the later
 * additions "callback" (default: P1 1 h, the others their response target) and
 * "submitted_limit_seconds" (default 604800), so that a policy stored before them still loads):
 * {"targets":[{"priority":1,"response":{"seconds":7200,"business":false},
 *              "resolve":{"seconds":86400,"business":false},
 *              "callback":{"seconds":3600,"business":false}}, … one per priority 1..4],
 *  "accept":TARGET, "update":TARGET, "update_p1":TARGET, "confirm":TARGET,
 *  "return_review":TARGET, "return_pickup":TARGET, "reopen_resolve":TARGET,
 *  "warning_ratio":0.8, "pause_waiting_customer":true, "submitted_limit_seconds":604800,
 *  "calendar":{…kefu_calendar_to_json()…}}
 * where TARGET is {"seconds":N,"business":BOOL}, N an integer in 1 … 31536000 (365 days). */
JsonNode      *kefu_sla_policy_to_json   (KefuSlaPolicy *policy);
/* Validates: positive targets, sane calendar, ratio in (0,1); field-level KEFU_ERROR otherwise
 * (VALIDATION_FAILED with fields such as "targets[0].response.seconds", "warning_ratio",
 * "calendar.time_zone"; BAD_JSON when @node is not an object). */
KefuSlaPolicy *kefu_sla_policy_from_json (JsonNode *node, GError **error);

/* A pause interval [start, end); end == 0 means still paused. */
typedef struct {
  gint64 start;
  gint64 end;
} KefuSlaPause;

/* The instant at which @target is used up when counting from @start, not counting the parts of
 * the pauses that fall after @start. G_MAXINT64 when a pause is still open at that point (the
 * clock is stopped). Business targets count only business time. */
gint64 kefu_sla_due        (KefuSlaPolicy      *policy,
                            gint64              start,
                            KefuSlaTarget       target,
                            const KefuSlaPause *pauses,
                            guint               n_pauses);
/* The warning point: when warning_ratio of the same window (rounded to whole seconds) is used
 * up (same rules). */
gint64 kefu_sla_warning_at (KefuSlaPolicy      *policy,
                            gint64              start,
                            KefuSlaTarget       target,
                            const KefuSlaPause *pauses,
                            guint               n_pauses);

/* The state of a ticket's clocks, as stored by the server. */
typedef struct {
  int                 priority;
  gint64              registered_at;
  gint64              submitted_at;       /* when the customer reported (0 = registered_at) */
  gint64              assigned_at;        /* last (re)assignment, 0 = unassigned */
  gint64              accepted_at;
  gint64              first_response_at;  /* first customer contact */
  gint64              last_contact_at;    /* last customer contact (0 = none) */
  gint64              resolved_at;
  gint64              reopened_at;        /* last reopen, 0 = never */
  gint64              closed_at;          /* closed or cancelled, 0 = not */
  gboolean            open;               /* not resolved/closed/cancelled */
  const KefuSlaPause *pauses;             /* waiting_customer intervals, in order */
  guint               n_pauses;
} KefuSlaInput;

/* Every pending due (0 = none: met, not started or not applicable) and its warning point. */
typedef struct {
  gint64 due[KEFU_SLA_CLOCK_LAST];
  gint64 warn[KEFU_SLA_CLOCK_LAST];
} KefuSlaDues;

/* Fills @out for a ticket: response (from the clock origin — kefu_sla_policy_clock_origin() —
 * until first_response_at), resolve (from the origin until resolved; from reopened_at with the
 * reopen target when reopened), accept (from assigned_at until accepted; an accepted_at before
 * assigned_at is a previous assignment's), update (only during handling: once accepted_at is
 * set and while open, from max(accepted_at, last_contact_at, reopened_at) with the priority's
 * interval; a reopen restarts the cycle; never before anyone accepted), confirm (from
 * resolved_at while resolved and not closed: open=FALSE, resolved_at set, closed_at 0; pauses
 * don't stop it). Nothing is due once closed_at is set.
 * Return clocks are computed by the caller with kefu_sla_due(). Dues that the pause stops are
 * G_MAXINT64 ("paused"); their warning points may still be finite. */
void   kefu_sla_compute    (KefuSlaPolicy      *policy,
                            const KefuSlaInput *input,
                            KefuSlaDues        *out);

/* OK / WARNING / BREACHED of a set of dues at @now: breached when any due ≤ now, warning when
 * any warning point ≤ now. */
KefuSlaState kefu_sla_state_at (const KefuSlaDues *dues,
                                gint64             now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuSlaPolicy, kefu_sla_policy_unref)

G_END_DECLS
