/* kefu-alert.h — SLA alerts and escalations: raised once, addressed, acknowledged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kefu-db.h"
#include "kefu-enums.h"
#include "kefu-sla.h"
#include "kefu-ticket.h"
#include "kefu-user.h"

G_BEGIN_DECLS

typedef enum {
  KEFU_ALERT_NEW_P1,       /* a new (or newly) P1 ticket: every supervisor, at once */
  KEFU_ALERT_WARNING,      /* a warning point of a clock: the assignee (supervisors if none) */
  KEFU_ALERT_BREACH,       /* a clock breached: level 1, supervisors of the lead department */
  KEFU_ALERT_ESCALATION,   /* level 2 to the managers: P1 resolution breached, unsatisfied */
  KEFU_ALERT_KIND_LAST
} KefuAlertKind;

const char *kefu_alert_kind_to_string (KefuAlertKind kind);

typedef enum {
  KEFU_ALERT_STATE_OPEN,   /* not acknowledged yet */
  KEFU_ALERT_STATE_ACKED,
  KEFU_ALERT_STATE_ALL,
} KefuAlertState;

#define KEFU_ALERT_NO_CLOCK (-1)

typedef struct {
  gint64         id;
  gint64         ticket_id;
  char          *number;              /* the ticket's number */
  int            priority;            /* the ticket's priority when raised */
  KefuAlertKind  kind;
  int            clock;               /* KefuSlaClock, or KEFU_ALERT_NO_CLOCK */
  int            level;               /* 0 warning / new P1, 1, 2 */
  gint64         cycle;               /* start of the clock's window; 0 = the ticket as a whole */
  gint64         due_at;              /* the warning point or due that fired (0 = none) */
  /* The recipients: a user, or a role (within a department when set). */
  KefuRole       recipient_role;      /* KEFU_ROLE_LAST = none */
  gint64         recipient_user_id;   /* 0 = none */
  char          *department;
  char          *message;             /* English; clients translate by kind and clock */
  gint64         created_at;
  gint64         acked_at;            /* 0 = open */
  KefuUserRef    acked_by;
} KefuAlert;

KefuAlert *kefu_alert_new      (KefuAlertKind     kind);
void       kefu_alert_free     (KefuAlert        *alert);
/* {"id","number","priority","kind","clock","level","recipients":{"role","user_id",
 *  "department"},"message","due_at","created_at","acked_at","acked_by":{"id","display_name"}} */
JsonNode  *kefu_alert_to_json  (const KefuAlert  *alert);

/* Fills alert->message from the other fields; times in @tz (NULL = UTC). @detail says why an
 * escalation without a clock was raised ("the customer is not satisfied …"). */
void       kefu_alert_set_default_message (KefuAlert  *alert,
                                           GTimeZone  *tz,
                                           const char *detail);

/* Whether @alert is addressed to @user: to them by id, or to their role (and, when the alert
 * names a department, only within it). */
gboolean   kefu_alert_is_addressed_to (const KefuAlert *alert,
                                       const KefuUser  *user);

/* Inside a write job: inserts @alert unless the same (ticket, kind, clock, level, cycle) was
 * raised before, and then appends "alert.raised" to the outbox. Sets alert->id and
 * *out_raised (FALSE when it existed already; the alert is left unchanged then). */
gboolean   kefu_alert_raise    (KefuDb           *db,
                                KefuAlert        *alert,
                                gboolean         *out_raised,
                                GError          **error);

/* The alerts addressed to @user in @state, newest first; @before_id > 0 continues a page
 * below that id. */
GPtrArray *kefu_alert_list     (KefuDb           *db,
                                const KefuUser   *user,
                                KefuAlertState    state,
                                guint             limit,
                                gint64            before_id,
                                GError          **error);
/* NULL with KEFU_ERROR_NOT_FOUND when there is no such alert. */
KefuAlert *kefu_alert_load     (KefuDb           *db,
                                gint64            id,
                                GError          **error);
/* Inside a write job: records that @user acknowledged alert @id at @now and appends
 * "alert.acked". Only a recipient may (FORBIDDEN otherwise); an alert acknowledged before is
 * returned as it is, without a second record (idempotent). */
KefuAlert *kefu_alert_ack      (KefuDb           *db,
                                gint64            id,
                                const KefuUser   *user,
                                gint64            now,
                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuAlert, kefu_alert_free)

G_END_DECLS
