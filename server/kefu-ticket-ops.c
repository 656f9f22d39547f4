/* kefu-ticket-ops.c — the ticket workflow: every change with its rules, timeline and clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every operation runs inside one store write job and follows the same order of checks, so that
 * a caller learns the most fundamental problem first:
 *
 *   1. the input itself (400 validation_failed),
 *   2. what the caller's role may ever do (403 forbidden; managers and administrators never
 *      change tickets),
 *   3. the ticket exists (404) and the caller saw its current version (409 version_conflict),
 *   4. the status flow allows the change (409 invalid_transition),
 *   5. rules that depend on this ticket, such as "only the assignee accepts" (403).
 *
 * A change then bumps the version, stamps updated_at, appends its timeline event(s) with the
 * actor, recomputes the SLA dues and appends a live event to the outbox. Any failure fails the
 * job, whose savepoint then rolls everything back.
 *
 * Timeline events: a change of status is recorded by the event of the action that caused it,
 * with "from" and "to" in its data: "status" for accept and POST …/status, "assignment" for
 * (re)assignment, "resolution" for resolve, "confirmation" for a confirmation that closes,
 * "reopen" for one that reopens.
 *
 * Alerts (kefu-alert.h) raised by the workflow itself: new_p1 when a ticket is registered as or
 * raised to P1, the level-2 escalation of an unsatisfied confirmation. Warnings, breaches and
 * their escalations are kefu_ticket_op_escalate(), the SLA scheduler's operation, at the end.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kefu-error.h"
#include "kefu-number.h"
#include "kefu-ticket-ops.h"
#include "kefu-validate.h"
#include "kefu-settings.h"

/* Times are kept at wire precision (whole seconds) so that what is stored in the document and
 * what the clocks count from are the same instants. */
static gint64
whole_seconds (gint64 usec)
{
  gint64 rem = usec % G_USEC_PER_SEC;

  if (rem < 0)
    rem += G_USEC_PER_SEC;
  return usec - rem;
}

static gint64
op_now (const KefuOpContext *ctx)
{
  return whole_seconds (ctx->now);
}

/* ------------------------------------------------------------------------------------------ */
/* Checks                                                                                     */

static gboolean
forbid (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_FORBIDDEN, message);
  return FALSE;
}

/* Managers and administrators read tickets but never change them. */
static gboolean
check_may_change (const KefuUser  *actor,
                  GError         **error)
{
  if (actor->role == KEFU_ROLE_MANAGER || actor->role == KEFU_ROLE_ADMIN)
    return forbid (error, "managers and administrators cannot change tickets");
  return TRUE;
}

static gboolean
check_role (const KefuUser  *actor,
            guint            role_mask,
            const char      *message,
            GError         **error)
{
  if (!check_may_change (actor, error))
    return FALSE;
  if ((role_mask & (1u << actor->role)) == 0)
    return forbid (error, message);
  return TRUE;
}

#define ROLE(r) (1u << (r))

static gboolean
is_assignee (const KefuTicket *ticket,
             const KefuUser   *actor)
{
  return ticket->assignee.id != 0 && ticket->assignee.id == actor->id;
}

static gboolean
check_version (const KefuTicket  *ticket,
               gint64             if_match,
               GError           **error)
{
  if (if_match >= 0 && if_match != ticket->version)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_VERSION_CONFLICT,
                   "ticket %s has changed (version %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT
                   "): reload it and try again",
                   ticket->number, ticket->version, if_match);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_transition (const KefuTicket  *ticket,
                  KefuStatus         to,
                  GError           **error)
{
  if (!kefu_status_can_transition (ticket->status, to))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                   "a ticket in status %s cannot become %s",
                   kefu_status_to_string (ticket->status), kefu_status_to_string (to));
      return FALSE;
    }
  return TRUE;
}

/* A supervisor or the ticket's assignee; 403 @message for anyone else. */
static gboolean
check_assignee_or_supervisor (const KefuTicket  *ticket,
                              const KefuUser    *actor,
                              const char        *message,
                              GError           **error)
{
  if (actor->role != KEFU_ROLE_SUPERVISOR && !is_assignee (ticket, actor))
    return forbid (error, message);
  return TRUE;
}

/* The user @id into *@out (NULL when there is none); FALSE only when the database fails. */
static gboolean
load_user (KefuDb    *db,
           gint64     id,
           KefuUser **out,
           GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = kefu_user_load (db, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Trimmed, non-empty, valid text within @max_chars. */
static gboolean
check_required_text (const char  *text,
                     const char  *field,
                     gsize        max_chars,
                     gboolean     multiline,
                     GError     **error)
{
  if (text == NULL || *text == '\0')
    {
      kefu_set_field_error (error, field, "%s is required", field);
      return FALSE;
    }
  return kefu_validate_text_field (text, field, max_chars, multiline, error);
}

static gboolean
check_optional_text (const char  *text,
                     const char  *field,
                     gsize        max_chars,
                     gboolean     multiline,
                     GError     **error)
{
  if (text == NULL)
    return TRUE;
  return check_required_text (text, field, max_chars, multiline, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Changing                                                                                   */

static KefuTicketEvent *
new_event (const KefuOpContext *ctx,
           KefuEventKind        kind,
           gint64               now,
           const char          *text,
           JsonObject          *data)   /* (transfer full) (nullable) */
{
  KefuTicketEvent *event = kefu_ticket_event_new (kind, now);

  kefu_user_ref_set (&event->actor, ctx->actor->id, ctx->actor->display_name);
  event->text = g_strdup (text);
  event->data = data;

  return event;
}

static JsonObject *
transition_data (KefuStatus from,
                 KefuStatus to)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "from", kefu_status_to_string (from));
  json_object_set_string_member (data, "to", kefu_status_to_string (to));

  return data;
}

static KefuSlaPause *
open_pause (KefuTicketClock *clock)
{
  KefuSlaPause *last;

  if (clock->pauses == NULL || clock->pauses->len == 0)
    return NULL;
  last = &g_array_index (clock->pauses, KefuSlaPause, clock->pauses->len - 1);
  return last->end == 0 ? last : NULL;
}

/* Sets the status and keeps the waiting_customer pauses: one opens when the ticket starts
 * waiting for the customer and closes when it stops, whatever the next status is. */
static void
change_status (KefuTicket      *ticket,
               KefuTicketClock *clock,
               KefuStatus       status,
               gint64           now)
{
  KefuStatus old = ticket->status;

  if (old == status)
    return;

  if (old == KEFU_STATUS_WAITING_CUSTOMER)
    {
      KefuSlaPause *pause = open_pause (clock);

      if (pause != NULL)
        pause->end = MAX (now, pause->start);
    }

  if (status == KEFU_STATUS_WAITING_CUSTOMER && open_pause (clock) == NULL)
    {
      KefuSlaPause pause = { now, 0 };

      g_array_append_val (clock->pauses, pause);
    }

  ticket->status = status;
}

static gint64
wire_due (gint64 due)
{
  return due == G_MAXINT64 ? 0 : due;
}

/* When @ret reached @step (0 = never). */
static gint64
return_step_at (const KefuReturn *ret,
                KefuReturnStep    step)
{
  for (guint i = 0; i < ret->steps->len; i++)
    {
      const KefuReturnStepEntry *entry = g_ptr_array_index (ret->steps, i);

      if (entry->step == step)
        return entry->at;
    }
  return 0;
}

/* The return clocks: review runs from the request until the return is approved or
 * rejected, pickup from the approval until the pickup is arranged. Each return keeps its own
 * due (review_due, pickup_due on the wire); the ticket's clock follows the earliest pending one,
 * its window starting at that return's request (approval), so each return is alerted once.
 * A cancelled ticket stops them. */
static void
compute_return_clocks (const KefuTicket *ticket,
                       KefuTicketClock  *clock,
                       KefuSlaPolicy    *policy)
{
  KefuSlaClock clocks[] = { KEFU_SLA_CLOCK_RETURN_REVIEW, KEFU_SLA_CLOCK_RETURN_PICKUP };
  KefuReturnStep waiting[] = { KEFU_RETURN_STEP_REQUESTED, KEFU_RETURN_STEP_APPROVED };
  gint64 *from[] = { &clock->return_requested_at, &clock->return_approved_at };

  for (guint c = 0; c < G_N_ELEMENTS (clocks); c++)
    {
      gint64 best_due = 0, best_from = 0;

      for (guint i = 0; ticket->status != KEFU_STATUS_CANCELLED && i < ticket->returns->len; i++)
        {
          const KefuReturn *ret = g_ptr_array_index (ticket->returns, i);
          gint64 due = c == 0 ? ret->review_due : ret->pickup_due;

          if (ret->step != waiting[c] || due == 0)
            continue;
          if (best_due == 0 || due < best_due)
            {
              best_due = due;
              best_from = return_step_at (ret, waiting[c]);
            }
        }

      *from[c] = best_from;
      clock->dues.due[clocks[c]] = best_due;
      clock->dues.warn[clocks[c]] = 0;
      if (best_due != 0 && best_from != 0)
        {
          KefuSlaTarget target = kefu_sla_policy_get_clock (policy, clocks[c]);
          gint64 warn = kefu_sla_warning_at (policy, best_from, target, NULL, 0);

          clock->dues.warn[clocks[c]] = MIN (warn, best_due);
        }
    }
}

void
kefu_ticket_recompute_sla (KefuTicket      *ticket,
                           KefuTicketClock *clock,
                           KefuSlaPolicy   *policy,
                           gint64           now)
{
  KefuSlaInput input = { 0 };
  const KefuSlaDues *dues;

  g_return_if_fail (ticket != NULL);
  g_return_if_fail (clock != NULL && clock->pauses != NULL);
  g_return_if_fail (policy != NULL);

  input.priority = ticket->priority;
  input.registered_at = ticket->registered_at;
  input.submitted_at = ticket->submitted_at;
  input.assigned_at = clock->assigned_at;
  input.accepted_at = ticket->sla.accepted_at;
  input.first_response_at = ticket->sla.first_response_at;
  input.last_contact_at = clock->last_contact_at;
  input.resolved_at = ticket->sla.resolved_at;
  input.reopened_at = clock->reopened_at;
  input.closed_at = ticket->sla.closed_at;
  input.open = kefu_status_is_open (ticket->status);
  input.pauses = (const KefuSlaPause *) clock->pauses->data;
  input.n_pauses = clock->pauses->len;

  kefu_sla_compute (policy, &input, &clock->dues);
  compute_return_clocks (ticket, clock, policy);
  kefu_ticket_clock_set_windows (clock, ticket->registered_at, ticket->sla.accepted_at,
                                 ticket->sla.resolved_at);
  dues = &clock->dues;

  /* A due the pause stopped (G_MAXINT64) goes on the wire as null, with paused = true. */
  ticket->sla.response_due = wire_due (dues->due[KEFU_SLA_CLOCK_RESPONSE]);
  ticket->sla.resolve_due = wire_due (dues->due[KEFU_SLA_CLOCK_RESOLVE]);
  ticket->sla.accept_due = wire_due (dues->due[KEFU_SLA_CLOCK_ACCEPT]);
  ticket->sla.next_update_due = wire_due (dues->due[KEFU_SLA_CLOCK_UPDATE]);
  ticket->sla.confirm_due = wire_due (dues->due[KEFU_SLA_CLOCK_CONFIRM]);
  ticket->sla.paused = open_pause (clock) != NULL &&
                       kefu_sla_policy_get_pause_waiting_customer (policy);
  ticket->sla.state = kefu_sla_state_at (dues, now);
}

static GPtrArray *
event_list_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_event_free);
}

/* One change of an existing ticket, from loading it to committing it: what every operation but
 * create and escalate shares. */
typedef struct {
  KefuDb              *db;
  const KefuOpContext *ctx;
  gint64               now;
  KefuTicket          *ticket;
  KefuTicketClock     *clock;
  GPtrArray           *events;     /* the timeline events the change appends */
} Change;

static void
change_clear (Change *change)
{
  g_clear_pointer (&change->ticket, kefu_ticket_unref);
  g_clear_pointer (&change->clock, kefu_ticket_clock_free);
  g_clear_pointer (&change->events, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Change, change_clear)

/* Loads the ticket with its timeline and clock and checks the version the caller saw. */
static gboolean
change_begin (Change              *change,
              KefuDb              *db,
              const KefuOpContext *ctx,
              const char          *number,
              gint64               if_match,
              GError             **error)
{
  change->db = db;
  change->ctx = ctx;
  change->now = op_now (ctx);
  change->events = event_list_new ();
  change->ticket = kefu_ticket_repo_load (db, number, TRUE, &change->clock, error);

  return change->ticket != NULL && check_version (change->ticket, if_match, error);
}

static void
change_add_event (Change        *change,
                  KefuEventKind  kind,
                  const char    *text,
                  JsonObject    *data)   /* (transfer full) (nullable) */
{
  g_ptr_array_add (change->events, new_event (change->ctx, kind, change->now, text, data));
}

/* The one event of an item operation (visit, return, attachment): @kind, its data naming the
 * item and the action. */
static void
change_add_item_event (Change        *change,
                       KefuEventKind  kind,
                       const char    *id_name,
                       gint64         id,
                       const char    *action,
                       const char    *text,
                       JsonObject    *data)   /* (transfer full) (nullable) */
{
  if (data == NULL)
    data = json_object_new ();
  json_object_set_int_member (data, id_name, id);
  json_object_set_string_member (data, "action", action);
  change_add_event (change, kind, text, data);
}

/* Moves the ticket to @status and returns the event data {"from", "to"} (transfer full). */
static JsonObject *
change_move (Change     *change,
             KefuStatus  status)
{
  KefuStatus old_status = change->ticket->status;

  change_status (change->ticket, change->clock, status, change->now);
  return transition_data (old_status, status);
}

/* A call with the customer: meets the first response and restarts the progress-update clock. */
static void
change_record_contact (Change *change)
{
  if (change->ticket->sla.first_response_at == 0)
    change->ticket->sla.first_response_at = change->now;
  change->clock->last_contact_at = change->now;
}

/* Bumps the version, recomputes the clocks, rewrites the row and appends the events to the
 * timeline and the ticket to the outbox. Returns the changed ticket (transfer full). */
static KefuTicket *
change_commit (Change  *change,
               GError **error)
{
  KefuTicket *ticket = change->ticket;
  g_autoptr(JsonNode) data = NULL;

  ticket->version++;
  ticket->updated_at = change->now;
  kefu_ticket_recompute_sla (ticket, change->clock, change->ctx->policy, change->now);

  if (!kefu_ticket_repo_update (change->db, ticket, change->clock, error))
    return NULL;

  for (guint i = 0; i < change->events->len; i++)
    {
      if (!kefu_ticket_repo_append_event (change->db, ticket,
                                          g_ptr_array_index (change->events, i), error))
        return NULL;
    }

  data = kefu_ticket_to_json (ticket, KEFU_TICKET_JSON_DEFAULT);
  if (kefu_outbox_append (change->db, "ticket.updated", change->now, data, error) <= 0)
    return NULL;

  return g_steal_pointer (&change->ticket);
}

/* An alert about @ticket, raised at @now. */
static KefuAlert *
alert_new (const KefuTicket *ticket,
           KefuAlertKind     kind,
           int               clock,
           int               level,
           gint64            now)
{
  KefuAlert *alert = kefu_alert_new (kind);

  alert->ticket_id = ticket->id;
  alert->number = g_strdup (ticket->number);
  alert->priority = ticket->priority;
  alert->clock = clock;
  alert->level = level;
  alert->created_at = now;
  return alert;
}

/* Every supervisor, at once: once per ticket (cycle 0), even if it becomes P1 again. */
static gboolean
raise_new_p1 (KefuDb              *db,
              const KefuOpContext *ctx,
              const KefuTicket    *ticket,
              gint64               now,
              GError             **error)
{
  g_autoptr(KefuAlert) alert = alert_new (ticket, KEFU_ALERT_NEW_P1, KEFU_ALERT_NO_CLOCK, 0,
                                          now);

  alert->recipient_role = KEFU_ROLE_SUPERVISOR;
  alert->due_at = ticket->sla.response_due;
  kefu_alert_set_default_message (alert, ctx->tz, NULL);
  return kefu_alert_raise (db, alert, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Create                                                                                     */

KefuTicket *
kefu_ticket_op_create (KefuDb              *db,
                       const KefuOpContext *ctx,
                       KefuTicket          *intake,
                       GError             **error)
{
  g_autoptr(KefuTicket) ticket = NULL;
  g_autoptr(KefuTicketClock) clock = NULL;
  g_autoptr(JsonNode) outbox = NULL;
  KefuTicketEvent *created;
  JsonObject *data;
  gint64 now;
  guint32 day;
  guint serial;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (ctx->tz != NULL, NULL);
  g_return_val_if_fail (intake != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_role (ctx->actor, ROLE (KEFU_ROLE_AGENT) | ROLE (KEFU_ROLE_SUPERVISOR),
                   "only agents and supervisors register tickets", error))
    return NULL;

  now = op_now (ctx);
  day = kefu_number_day_key (now, ctx->tz);
  if (!kefu_ticket_repo_next_serial (db, day, &serial, error))
    return NULL;

  /* Only the intake fields come from the caller; the server fills in the rest. */
  ticket = kefu_ticket_copy (intake);
  g_free (ticket->number);
  ticket->number = kefu_number_format (day, serial);
  ticket->id = 0;
  ticket->version = 1;
  ticket->status = KEFU_STATUS_NEW;
  ticket->registered_at = now;
  kefu_user_ref_set (&ticket->registered_by, ctx->actor->id, ctx->actor->display_name);
  kefu_user_ref_clear (&ticket->assignee);
  g_clear_pointer (&ticket->department, g_free);
  g_strfreev (ticket->supporting_departments);
  ticket->supporting_departments = g_new0 (char *, 1);
  memset (&ticket->sla, 0, sizeof ticket->sla);
  ticket->escalation_level = 0;
  if (ticket->resolution != NULL)
    {
      g_free (ticket->resolution->summary);
      g_clear_pointer (&ticket->resolution, g_free);
    }
  if (ticket->confirmation != NULL)
    {
      g_free (ticket->confirmation->comment);
      g_clear_pointer (&ticket->confirmation, g_free);
    }
  ticket->updated_at = now;
  g_ptr_array_set_size (ticket->attachments, 0);
  g_ptr_array_set_size (ticket->visits, 0);
  g_ptr_array_set_size (ticket->returns, 0);

  data = json_object_new ();
  json_object_set_string_member (data, "channel", kefu_channel_to_string (ticket->channel));
  json_object_set_string_member (data, "category", kefu_category_to_string (ticket->category));
  json_object_set_int_member (data, "priority", ticket->priority);
  created = new_event (ctx, KEFU_EVENT_CREATED, now, NULL, data);
  g_clear_pointer (&ticket->events, g_ptr_array_unref);
  ticket->events = event_list_new ();
  g_ptr_array_add (ticket->events, created);

  /* The promise read to the customer now is kept as said, whatever the policy says later. */
  {
    KefuSlaTarget promise = kefu_sla_policy_get_callback (ctx->policy, ticket->priority);

    ticket->sla.callback_promise_seconds = promise.seconds;
    ticket->sla.callback_promise_business = promise.business;
    ticket->sla.callback_due = kefu_sla_due (ctx->policy, now, promise, NULL, 0);
  }

  clock = kefu_ticket_clock_new ();
  kefu_ticket_recompute_sla (ticket, clock, ctx->policy, now);

  if (!kefu_ticket_repo_insert (db, ticket, clock, error))
    return NULL;

  outbox = kefu_ticket_to_json (ticket, KEFU_TICKET_JSON_DEFAULT);
  if (kefu_outbox_append (db, "ticket.created", now, outbox, error) <= 0)
    return NULL;

  if (ticket->priority == 1 && !raise_new_p1 (db, ctx, ticket, now, error))
    return NULL;

  return g_steal_pointer (&ticket);
}

/* ------------------------------------------------------------------------------------------ */
/* Patch                                                                                      */

KefuTicket *
kefu_ticket_op_patch (KefuDb              *db,
                      const KefuOpContext *ctx,
                      const char          *number,
                      gint64               if_match,
                      JsonNode            *body,
                      GError             **error)
{
  g_auto(Change) change = { 0 };
  g_autoptr(KefuTicket) committed = NULL;
  g_autoptr(JsonArray) fields = NULL;
  g_auto(GStrv) changed = NULL;
  KefuTicket *ticket;
  int old_priority;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_role (ctx->actor, ROLE (KEFU_ROLE_AGENT) | ROLE (KEFU_ROLE_SUPERVISOR),
                   "only agents and supervisors edit tickets", error) ||
      !change_begin (&change, db, ctx, number, if_match, error))
    return NULL;

  ticket = change.ticket;
  /* Closed and cancelled tickets are the record of what happened; they are not edited. */
  if (ticket->status == KEFU_STATUS_CLOSED || ticket->status == KEFU_STATUS_CANCELLED)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                   "a %s ticket cannot be edited", kefu_status_to_string (ticket->status));
      return NULL;
    }

  old_priority = ticket->priority;
  if (!kefu_validate_patch (body, ticket, &changed, error))
    return NULL;

  /* Nothing changed: no new version, no event. */
  if (changed == NULL || changed[0] == NULL)
    return g_steal_pointer (&change.ticket);

  /* Re-prioritising is the supervisors'; agents edit the rest. */
  if (ctx->actor->role != KEFU_ROLE_SUPERVISOR &&
      g_strv_contains ((const char * const *) changed, "priority"))
    {
      forbid (error, "only supervisors change the priority");
      return NULL;
    }

  fields = json_array_new ();

  for (guint i = 0; changed[i] != NULL; i++)
    {
      if (g_str_equal (changed[i], "priority"))
        {
          JsonObject *data = json_object_new ();
          g_autofree char *text = g_strdup_printf ("P%d → P%d", old_priority, ticket->priority);

          json_object_set_int_member (data, "from", old_priority);
          json_object_set_int_member (data, "to", ticket->priority);
          change_add_event (&change, KEFU_EVENT_PRIORITY, text, data);
        }
      else
        {
          json_array_add_string_element (fields, changed[i]);
        }
    }

  if (json_array_get_length (fields) > 0)
    {
      JsonObject *data = json_object_new ();

      json_object_set_array_member (data, "fields", g_steal_pointer (&fields));
      change_add_event (&change, KEFU_EVENT_UPDATED, NULL, data);
    }

  committed = change_commit (&change, error);
  if (committed == NULL)
    return NULL;

  /* Raised to P1: the supervisors hear of it as of a new P1 ticket. */
  if (committed->priority == 1 && old_priority != 1 &&
      !raise_new_p1 (db, ctx, committed, change.now, error))
    return NULL;

  return g_steal_pointer (&committed);
}

/* ------------------------------------------------------------------------------------------ */
/* Assign                                                                                     */

static gboolean
department_exists (KefuDb      *db,
                   const char  *code,
                   gboolean    *out_exists,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kefu_db_prepare (db, "SELECT 1 FROM departments WHERE code = ?", error);
  if (stmt == NULL)
    return FALSE;

  kefu_db_bind_text (stmt, 1, code);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return kefu_db_fail (db, error);

  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  guint i;

  for (i = 0; a != NULL && b != NULL && a[i] != NULL && b[i] != NULL; i++)
    {
      if (!g_str_equal (a[i], b[i]))
        return FALSE;
    }
  return (a == NULL || a[i] == NULL) && (b == NULL || b[i] == NULL);
}

/* Assignment rules (the status flow's edges are new→assigned, assigned→assigned,
 * reopened→assigned):
 *
 * - new, reopened: an assignee is required (given, or the reopened ticket's previous one, who is
 *   then assigned afresh); the ticket becomes assigned.
 * - assigned: another person is a reassignment (status stays assigned).
 * - accepted, in_progress, waiting_*: another person takes over; since they have not accepted
 *   yet, the ticket goes back to assigned (the one case outside kefu_status_can_transition(),
 *   deliberately: a supervisor must be able to move work away from someone who is absent).
 *   The same person (or none given) changes only the departments, the status stays.
 * - resolved, closed, cancelled: nothing can be assigned (invalid_transition).
 *
 * Every (re)assignment restarts the accept clock. The lead department defaults to the
 * assignee's own department; the lead department is never also a supporting one.
 * Nothing different from the ticket as it is: no new version, no event. */
KefuTicket *
kefu_ticket_op_assign (KefuDb              *db,
                       const KefuOpContext *ctx,
                       const char          *number,
                       gint64               if_match,
                       gint64               assignee_id,
                       const char          *department,
                       const char * const  *supporting,
                       GError             **error)
{
  g_auto(Change) change = { 0 };
  g_autoptr(KefuUser) assignee = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) new_supporting = NULL;
  g_autofree char *new_department = NULL;
  KefuTicket *ticket;
  KefuStatus old_status;
  KefuStatus new_status;
  gboolean reassign = FALSE;
  gboolean departments_changed;
  gint64 previous_id;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (assignee_id < 0)
    {
      kefu_set_field_error (error, "assignee_id", "assignee_id must be a user id");
      return NULL;
    }

  if (!check_role (ctx->actor, ROLE (KEFU_ROLE_SUPERVISOR), "only supervisors assign tickets",
                   error))
    return NULL;

  if (assignee_id != 0)
    {
      if (!load_user (db, assignee_id, &assignee, error))
        return NULL;
      if (assignee == NULL || !assignee->active)
        {
          kefu_set_field_error (error, "assignee_id", "there is no active user %" G_GINT64_FORMAT,
                                assignee_id);
          return NULL;
        }
      if (assignee->role == KEFU_ROLE_MANAGER || assignee->role == KEFU_ROLE_ADMIN)
        {
          kefu_set_field_error (error, "assignee_id", "a %s cannot be assigned tickets",
                                kefu_role_to_string (assignee->role));
          return NULL;
        }
    }

  if (department != NULL)
    {
      gboolean exists;

      if (!department_exists (db, department, &exists, error))
        return NULL;
      if (!exists)
        {
          kefu_set_field_error (error, "department", "there is no department %s", department);
          return NULL;
        }
    }

  for (guint i = 0; supporting != NULL && supporting[i] != NULL; i++)
    {
      gboolean exists;

      if (!department_exists (db, supporting[i], &exists, error))
        return NULL;
      if (!exists)
        {
          kefu_set_field_error (error, "supporting_departments", "there is no department %s",
                                supporting[i]);
          return NULL;
        }
    }

  if (!change_begin (&change, db, ctx, number, if_match, error))
    return NULL;

  ticket = change.ticket;
  old_status = ticket->status;
  new_status = old_status;
  previous_id = ticket->assignee.id;

  switch (old_status)
    {
    case KEFU_STATUS_NEW:
    case KEFU_STATUS_REOPENED:
      if (assignee == NULL && ticket->assignee.id == 0)
        {
          kefu_set_field_error (error, "assignee_id", "assignee_id is required");
          return NULL;
        }
      new_status = KEFU_STATUS_ASSIGNED;
      reassign = TRUE;
      break;

    case KEFU_STATUS_ASSIGNED:
      reassign = assignee != NULL && assignee->id != ticket->assignee.id;
      break;

    case KEFU_STATUS_ACCEPTED:
    case KEFU_STATUS_IN_PROGRESS:
    case KEFU_STATUS_WAITING_CUSTOMER:
    case KEFU_STATUS_WAITING_PARTS:
      reassign = assignee != NULL && assignee->id != ticket->assignee.id;
      if (reassign)
        new_status = KEFU_STATUS_ASSIGNED;
      break;

    case KEFU_STATUS_RESOLVED:
    case KEFU_STATUS_CLOSED:
    case KEFU_STATUS_CANCELLED:
    case KEFU_STATUS_LAST:
    default:
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                   "a %s ticket cannot be assigned", kefu_status_to_string (old_status));
      return NULL;
    }

  if (department != NULL)
    new_department = g_strdup (department);
  else if (ticket->department != NULL)
    new_department = g_strdup (ticket->department);
  else if (assignee != NULL)
    new_department = g_strdup (assignee->department);

  builder = g_strv_builder_new ();
  {
    const char * const *source = supporting != NULL
                                 ? supporting
                                 : (const char * const *) ticket->supporting_departments;
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; source != NULL && source[i] != NULL; i++)
      {
        if (g_strcmp0 (source[i], new_department) == 0 ||
            !g_hash_table_add (seen, (gpointer) source[i]))
          continue;
        g_strv_builder_add (builder, source[i]);
      }
  }
  new_supporting = g_strv_builder_end (builder);

  departments_changed =
    g_strcmp0 (new_department, ticket->department) != 0 ||
    !strv_equal0 ((const char * const *) new_supporting,
                  (const char * const *) ticket->supporting_departments);

  if (!reassign && !departments_changed && new_status == old_status)
    return g_steal_pointer (&change.ticket);

  if (reassign)
    {
      if (assignee != NULL)
        kefu_user_ref_set (&ticket->assignee, assignee->id, assignee->display_name);
      change.clock->assigned_at = change.now;
    }
  g_free (ticket->department);
  ticket->department = g_steal_pointer (&new_department);
  g_strfreev (ticket->supporting_departments);
  ticket->supporting_departments = g_steal_pointer (&new_supporting);
  change_status (ticket, change.clock, new_status, change.now);

  {
    JsonObject *data = json_object_new ();
    JsonArray *array = json_array_new ();

    if (new_status != old_status)
      {
        json_object_set_string_member (data, "from", kefu_status_to_string (old_status));
        json_object_set_string_member (data, "to", kefu_status_to_string (new_status));
      }
    json_object_set_int_member (data, "assignee_id", ticket->assignee.id);
    if (previous_id != ticket->assignee.id)
      json_object_set_int_member (data, "previous_assignee_id", previous_id);
    if (ticket->department != NULL)
      json_object_set_string_member (data, "department", ticket->department);
    else
      json_object_set_null_member (data, "department");
    for (guint i = 0; ticket->supporting_departments[i] != NULL; i++)
      json_array_add_string_element (array, ticket->supporting_departments[i]);
    json_object_set_array_member (data, "supporting_departments", array);

    change_add_event (&change, KEFU_EVENT_ASSIGNMENT, ticket->assignee.display_name, data);
  }

  return change_commit (&change, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Accept                                                                                     */

KefuTicket *
kefu_ticket_op_accept (KefuDb              *db,
                       const KefuOpContext *ctx,
                       const char          *number,
                       gint64               if_match,
                       GError             **error)
{
  g_auto(Change) change = { 0 };

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_may_change (ctx->actor, error) ||
      !change_begin (&change, db, ctx, number, if_match, error) ||
      !check_transition (change.ticket, KEFU_STATUS_ACCEPTED, error))
    return NULL;
  if (!is_assignee (change.ticket, ctx->actor))
    {
      forbid (error, "only the assignee can accept a ticket");
      return NULL;
    }

  change_add_event (&change, KEFU_EVENT_STATUS, NULL,
                    change_move (&change, KEFU_STATUS_ACCEPTED));
  change.ticket->sla.accepted_at = change.now;

  return change_commit (&change, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Status                                                                                     */

KefuTicket *
kefu_ticket_op_set_status (KefuDb              *db,
                           const KefuOpContext *ctx,
                           const char          *number,
                           gint64               if_match,
                           KefuStatus           status,
                           const char          *reason,
                           GError             **error)
{
  g_auto(Change) change = { 0 };
  JsonObject *data;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (status)
    {
    case KEFU_STATUS_IN_PROGRESS:
      if (!check_optional_text (reason, "reason", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error))
        return NULL;
      break;

    case KEFU_STATUS_WAITING_CUSTOMER:
    case KEFU_STATUS_WAITING_PARTS:
      if (!check_required_text (reason, "reason", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error))
        return NULL;
      break;

    case KEFU_STATUS_CANCELLED:
      if (!kefu_cancel_reason_from_string (reason, NULL))
        {
          kefu_set_field_error (error, "reason",
                                "reason must be one of duplicate, spam, withdrawn");
          return NULL;
        }
      break;

    case KEFU_STATUS_NEW:
    case KEFU_STATUS_ASSIGNED:
    case KEFU_STATUS_ACCEPTED:
    case KEFU_STATUS_RESOLVED:
    case KEFU_STATUS_CLOSED:
    case KEFU_STATUS_REOPENED:
    case KEFU_STATUS_LAST:
    default:
      kefu_set_field_error (error, "status",
                            "status must be in_progress, waiting_customer, waiting_parts or "
                            "cancelled (assign, accept, resolve and confirm have their own "
                            "requests)");
      return NULL;
    }

  if (status == KEFU_STATUS_CANCELLED)
    {
      if (!check_role (ctx->actor, ROLE (KEFU_ROLE_SUPERVISOR),
                       "only supervisors cancel tickets", error))
        return NULL;
    }
  else if (!check_may_change (ctx->actor, error))
    return NULL;

  if (!change_begin (&change, db, ctx, number, if_match, error) ||
      !check_transition (change.ticket, status, error))
    return NULL;
  if (status != KEFU_STATUS_CANCELLED &&
      !check_assignee_or_supervisor (change.ticket, ctx->actor,
                                     "only the assignee or a supervisor can change the status",
                                     error))
    return NULL;

  data = change_move (&change, status);
  if (status == KEFU_STATUS_CANCELLED)
    {
      change.ticket->sla.closed_at = change.now;
      json_object_set_string_member (data, "reason", reason);
    }
  change_add_event (&change, KEFU_EVENT_STATUS, reason, data);

  return change_commit (&change, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Notes                                                                                      */

KefuTicket *
kefu_ticket_op_add_note (KefuDb              *db,
                         const KefuOpContext *ctx,
                         const char          *number,
                         gint64               if_match,
                         const char          *text,
                         gboolean             customer_contact,
                         GError             **error)
{
  g_auto(Change) change = { 0 };

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_required_text (text, "text", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error))
    return NULL;
  /* A director may leave an instruction on an escalated ticket; administrators run the system,
   * not the tickets. */
  if (ctx->actor->role == KEFU_ROLE_ADMIN)
    {
      forbid (error, "administrators cannot add notes to tickets");
      return NULL;
    }

  if (!change_begin (&change, db, ctx, number, if_match, error))
    return NULL;

  if (customer_contact && ctx->actor->role != KEFU_ROLE_AGENT &&
      !check_assignee_or_supervisor (change.ticket, ctx->actor,
                                     "only agents, supervisors and the assignee record customer "
                                     "contacts", error))
    return NULL;

  if (customer_contact)
    change_record_contact (&change);

  change_add_event (&change, customer_contact ? KEFU_EVENT_CUSTOMER_CONTACT : KEFU_EVENT_NOTE,
                    text, NULL);

  return change_commit (&change, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Resolve                                                                                    */

KefuTicket *
kefu_ticket_op_resolve (KefuDb               *db,
                        const KefuOpContext  *ctx,
                        const char           *number,
                        gint64                if_match,
                        const KefuResolution *resolution,
                        GError              **error)
{
  g_auto(Change) change = { 0 };
  KefuTicket *ticket;
  JsonObject *data;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (resolution != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (kefu_resolution_kind_to_string (resolution->kind) == NULL)
    {
      kefu_set_field_error (error, "kind", "kind is not a known resolution");
      return NULL;
    }
  if (!check_required_text (resolution->summary, "summary", KEFU_LONG_TEXT_MAX_CHARS, TRUE,
                            error))
    return NULL;
  if (resolution->cost_cents < 0)
    {
      kefu_set_field_error (error, "cost_cents", "cost_cents must not be negative");
      return NULL;
    }
  if (resolution->minutes_spent < 0)
    {
      kefu_set_field_error (error, "minutes_spent", "minutes_spent must not be negative");
      return NULL;
    }

  if (!check_may_change (ctx->actor, error) ||
      !change_begin (&change, db, ctx, number, if_match, error) ||
      !check_transition (change.ticket, KEFU_STATUS_RESOLVED, error) ||
      !check_assignee_or_supervisor (change.ticket, ctx->actor,
                                     "only the assignee or a supervisor can resolve a ticket",
                                     error))
    return NULL;

  ticket = change.ticket;
  data = change_move (&change, KEFU_STATUS_RESOLVED);
  ticket->sla.resolved_at = change.now;

  if (ticket->resolution == NULL)
    ticket->resolution = g_new0 (KefuResolution, 1);
  ticket->resolution->kind = resolution->kind;
  g_free (ticket->resolution->summary);
  ticket->resolution->summary = g_strdup (resolution->summary);
  ticket->resolution->cost_cents = resolution->cost_cents;
  ticket->resolution->minutes_spent = resolution->minutes_spent;

  json_object_set_string_member (data, "kind", kefu_resolution_kind_to_string (resolution->kind));
  json_object_set_int_member (data, "cost_cents", resolution->cost_cents);
  json_object_set_int_member (data, "minutes_spent", resolution->minutes_spent);
  change_add_event (&change, KEFU_EVENT_RESOLUTION, resolution->summary, data);

  return change_commit (&change, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Confirm                                                                                    */

KefuTicket *
kefu_ticket_op_confirm (KefuDb                 *db,
                        const KefuOpContext    *ctx,
                        const char             *number,
                        gint64                  if_match,
                        const KefuConfirmation *confirmation,
                        GError                **error)
{
  g_auto(Change) change = { 0 };
  g_autoptr(KefuTicket) committed = NULL;
  KefuTicket *ticket;
  gboolean satisfied;
  JsonObject *data;
  gint64 now;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (confirmation != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (confirmation->satisfaction < 1 || confirmation->satisfaction > 5)
    {
      kefu_set_field_error (error, "satisfaction", "satisfaction must be 1 to 5");
      return NULL;
    }
  if (!check_optional_text (confirmation->comment, "comment", KEFU_LONG_TEXT_MAX_CHARS, TRUE,
                            error))
    return NULL;

  if (!check_role (ctx->actor, ROLE (KEFU_ROLE_AGENT) | ROLE (KEFU_ROLE_SUPERVISOR),
                   "only agents and supervisors confirm with the customer", error) ||
      !change_begin (&change, db, ctx, number, if_match, error))
    return NULL;

  ticket = change.ticket;
  if (ticket->status != KEFU_STATUS_RESOLVED)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                   "only a resolved ticket can be confirmed (this one is %s)",
                   kefu_status_to_string (ticket->status));
      return NULL;
    }

  now = change.now;
  satisfied = confirmation->solved && confirmation->satisfaction >= 3;

  if (ticket->confirmation == NULL)
    ticket->confirmation = g_new0 (KefuConfirmation, 1);
  ticket->confirmation->solved = confirmation->solved;
  ticket->confirmation->satisfaction = confirmation->satisfaction;
  g_free (ticket->confirmation->comment);
  ticket->confirmation->comment = g_strdup (confirmation->comment);
  ticket->confirmation->confirmed_at = now;

  /* The confirmation is a call with the customer. */
  change_record_contact (&change);

  data = satisfied ? transition_data (KEFU_STATUS_RESOLVED, KEFU_STATUS_CLOSED)
                   : json_object_new ();
  json_object_set_boolean_member (data, "solved", confirmation->solved);
  json_object_set_int_member (data, "satisfaction", confirmation->satisfaction);
  change_add_event (&change, KEFU_EVENT_CONFIRMATION, confirmation->comment, data);

  if (satisfied)
    {
      change_status (ticket, change.clock, KEFU_STATUS_CLOSED, now);
      ticket->sla.closed_at = now;
    }
  else
    {
      /* Unsatisfied: reopen with a new resolution clock and escalate to the managers. */
      change_add_event (&change, KEFU_EVENT_REOPEN, NULL,
                        change_move (&change, KEFU_STATUS_REOPENED));
      change.clock->reopened_at = now;
      ticket->sla.resolved_at = 0;
      ticket->escalation_level = MAX (ticket->escalation_level, 2);

      data = json_object_new ();
      json_object_set_int_member (data, "level", 2);
      json_object_set_string_member (data, "reason", "unsatisfied");
      change_add_event (&change, KEFU_EVENT_ESCALATION, NULL, data);
    }

  committed = change_commit (&change, error);
  if (committed == NULL)
    return NULL;

  if (!satisfied)
    {
      /* Level 2: the managers, once per reopen (its time is the cycle). */
      g_autoptr(KefuAlert) alert = alert_new (committed, KEFU_ALERT_ESCALATION,
                                              KEFU_ALERT_NO_CLOCK, 2, now);
      g_autofree char *detail = NULL;

      alert->recipient_role = KEFU_ROLE_MANAGER;
      alert->cycle = change.clock->reopened_at;
      if (!confirmation->solved)
        detail = g_strdup_printf ("the customer says the problem is not solved "
                                  "(satisfaction %d/5); the ticket is reopened",
                                  confirmation->satisfaction);
      else
        detail = g_strdup_printf ("the customer is not satisfied (satisfaction %d/5); "
                                  "the ticket is reopened", confirmation->satisfaction);
      kefu_alert_set_default_message (alert, ctx->tz, detail);
      if (!kefu_alert_raise (db, alert, NULL, error))
        return NULL;
    }

  return g_steal_pointer (&committed);
}

/* ------------------------------------------------------------------------------------------ */
/* Escalate (the SLA scheduler)                                                               */

static KefuTicketEvent *
system_event (KefuEventKind  kind,
              gint64         now,
              JsonObject    *data)   /* (transfer full) */
{
  KefuTicketEvent *event = kefu_ticket_event_new (kind, now);

  event->data = data;  /* actor id 0: the system */
  return event;
}

static JsonObject *
clock_point_data (KefuSlaClock clock,
                  gint64       due,
                  gint64       point)
{
  JsonObject *data = json_object_new ();
  g_autofree char *due_text = kefu_time_to_iso8601 (due == G_MAXINT64 ? 0 : due);
  g_autofree char *point_text = kefu_time_to_iso8601 (point);

  json_object_set_string_member (data, "clock", kefu_sla_clock_to_string (clock));
  if (due_text != NULL)
    json_object_set_string_member (data, "due", due_text);
  else
    json_object_set_null_member (data, "due");
  json_object_set_string_member (data, "at", point_text);
  return data;
}

/* An alert about a ticket the scheduler handles. */
static KefuAlert *
due_alert_new (const KefuDueTicket *ticket,
               KefuAlertKind        kind,
               KefuSlaClock         clock,
               int                  level,
               gint64               due,
               gint64               now)
{
  KefuAlert *alert = kefu_alert_new (kind);

  alert->ticket_id = ticket->id;
  alert->number = g_strdup (ticket->number);
  alert->priority = ticket->priority;
  alert->clock = clock;
  alert->level = level;
  alert->cycle = ticket->clock->window[clock];
  alert->due_at = due == G_MAXINT64 ? 0 : due;
  alert->created_at = now;
  return alert;
}

gboolean
kefu_ticket_op_escalate (KefuDb         *db,
                         GTimeZone      *tz,
                         gint64          now,
                         KefuDueTicket  *ticket,
                         guint          *out_raised,
                         GError        **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  KefuTicketClock *clock;
  KefuSlaState state;
  int level;
  int level_clock = KEFU_ALERT_NO_CLOCK;
  gint64 stamp;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id > 0 && ticket->clock != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_raised != NULL)
    *out_raised = 0;

  clock = ticket->clock;
  stamp = whole_seconds (now);
  /* Rows written before schema 3 have no windows yet. */
  kefu_ticket_clock_set_windows (clock, ticket->registered_at, ticket->accepted_at,
                                 ticket->resolved_at);

  events = event_list_new ();
  alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_alert_free);
  level = ticket->escalation_level;

  for (guint c = 0; c < KEFU_SLA_CLOCK_LAST; c++)
    {
      gint64 due = clock->dues.due[c];
      gint64 warn = clock->dues.warn[c];
      KefuSlaStage stage;
      gboolean breached, warned;

      if (due == 0)
        continue;

      stage = kefu_ticket_clock_get_stage (clock, c);
      breached = due != G_MAXINT64 && due <= now;
      warned = warn != 0 && warn != G_MAXINT64 && warn <= now;

      if (breached && stage != KEFU_SLA_STAGE_BREACHED)
        {
          KefuAlert *alert = due_alert_new (ticket, KEFU_ALERT_BREACH, c, 1, due, stamp);

          alert->recipient_role = KEFU_ROLE_SUPERVISOR;
          alert->department = g_strdup (ticket->department);  /* NULL: every supervisor */
          kefu_alert_set_default_message (alert, tz, NULL);
          g_ptr_array_add (alerts, alert);
          g_ptr_array_add (events, system_event (KEFU_EVENT_SLA_BREACH, stamp,
                                                 clock_point_data (c, due, due)));
          if (level < 1)
            {
              level = 1;
              level_clock = c;
            }

          if (c == KEFU_SLA_CLOCK_RESOLVE && ticket->priority == 1)
            {
              alert = due_alert_new (ticket, KEFU_ALERT_ESCALATION, c, 2, due, stamp);
              alert->recipient_role = KEFU_ROLE_MANAGER;
              kefu_alert_set_default_message (alert, tz, NULL);
              g_ptr_array_add (alerts, alert);
              if (level < 2)
                {
                  level = 2;
                  level_clock = c;
                }
            }

          kefu_ticket_clock_set_stage (clock, c, KEFU_SLA_STAGE_BREACHED);
        }
      else if (warned && stage == KEFU_SLA_STAGE_NONE)
        {
          KefuAlert *alert = due_alert_new (ticket, KEFU_ALERT_WARNING, c, 0, due, stamp);

          if (ticket->assignee_id != 0)
            {
              alert->recipient_user_id = ticket->assignee_id;
            }
          else
            {
              alert->recipient_role = KEFU_ROLE_SUPERVISOR;
              alert->department = g_strdup (ticket->department);
            }
          kefu_alert_set_default_message (alert, tz, NULL);
          g_ptr_array_add (alerts, alert);
          g_ptr_array_add (events, system_event (KEFU_EVENT_SLA_WARNING, stamp,
                                                 clock_point_data (c, due, warn)));
          kefu_ticket_clock_set_stage (clock, c, KEFU_SLA_STAGE_WARNED);
        }
    }

  if (level > ticket->escalation_level)
    {
      JsonObject *escalation = json_object_new ();

      json_object_set_int_member (escalation, "level", level);
      json_object_set_string_member (escalation, "reason", "breach");
      json_object_set_string_member (escalation, "clock", kefu_sla_clock_to_string (level_clock));
      g_ptr_array_add (events, system_event (KEFU_EVENT_ESCALATION, stamp, escalation));
      ticket->escalation_level = level;
    }

  state = kefu_sla_state_at (&clock->dues, now);

  if (events->len == 0 && state == ticket->state)
    {
      /* Nothing to tell anyone (a stale next_due): only look further ahead. */
      return kefu_ticket_repo_update_due (db, ticket, FALSE, stamp, error);
    }

  ticket->state = state;
  if (!kefu_ticket_repo_update_due (db, ticket, TRUE, stamp, error))
    return FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      if (!kefu_ticket_repo_insert_event (db, ticket->id, g_ptr_array_index (events, i), error))
        return FALSE;
    }

  for (guint i = 0; i < alerts->len; i++)
    {
      gboolean raised;

      if (!kefu_alert_raise (db, g_ptr_array_index (alerts, i), &raised, error))
        return FALSE;
      if (raised && out_raised != NULL)
        (*out_raised)++;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Field visits, returns and attachments                                                      */

void
kefu_visit_input_clear (KefuVisitInput *input)
{
  g_return_if_fail (input != NULL);

  g_clear_pointer (&input->address, g_free);
  g_clear_pointer (&input->parts, g_free);
  g_clear_pointer (&input->reason, g_free);
  g_clear_pointer (&input->outcome, g_free);
}

static void
set_time_member (JsonObject *object,
                 const char *name,
                 gint64      usec)
{
  g_autofree char *text = kefu_time_to_iso8601 (usec);

  if (text != NULL)
    json_object_set_string_member (object, name, text);
  else
    json_object_set_null_member (object, name);
}

static gint64
last_insert_id (KefuDb *db)
{
  return sqlite3_last_insert_rowid (kefu_db_handle (db));
}

static gboolean
check_not_final (const KefuTicket  *ticket,
                 gboolean           closed_too,
                 GError           **error)
{
  if (ticket->status == KEFU_STATUS_CANCELLED ||
      (closed_too && ticket->status == KEFU_STATUS_CLOSED))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                   "a %s ticket cannot be changed", kefu_status_to_string (ticket->status));
      return FALSE;
    }
  return TRUE;
}

/* The item @id (a visit, a return) that @number does not have: 404. */
static gboolean
no_such_item (const char  *number,
              const char  *what,
              gint64       id,
              GError     **error)
{
  g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "ticket %s has no %s %" G_GINT64_FORMAT,
               number, what, id);
  return FALSE;
}

static gint64
warranty_days (KefuDb *db)
{
  g_autofree char *value = kefu_settings_get (db, KEFU_SETTING_WARRANTY_DAYS, NULL);
  gint64 days;

  if (value == NULL)
    return KEFU_WARRANTY_DAYS_DEFAULT;
  days = g_ascii_strtoll (value, NULL, 10);
  return days > 0 && days <= 36500 ? days : KEFU_WARRANTY_DAYS_DEFAULT;
}

/* "in" when the scheduled day (in the server's zone) is no later than purchase + @days;
 * *out_until = that last day. Unknown purchase date: "out" unless @claimed_in. */
static KefuWarranty
work_out_warranty (const KefuCustomer *customer,
                   gint64              days,
                   gint64              scheduled_at,
                   GTimeZone          *tz,
                   gboolean            claimed_in,
                   char              **out_until)
{
  g_autoptr(GDateTime) scheduled = NULL;
  g_autoptr(GDateTime) local = NULL;
  GDate purchase, until, day;
  int y, m, d;

  *out_until = NULL;
  if (customer->purchase_date == NULL ||
      sscanf (customer->purchase_date, "%d-%d-%d", &y, &m, &d) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return claimed_in ? KEFU_WARRANTY_IN : KEFU_WARRANTY_OUT;

  g_date_clear (&purchase, 1);
  g_date_set_dmy (&purchase, d, m, y);
  until = purchase;
  g_date_add_days (&until, (guint) days);
  *out_until = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&until),
                                g_date_get_month (&until), g_date_get_day (&until));

  scheduled = g_date_time_new_from_unix_utc (scheduled_at / G_USEC_PER_SEC);
  local = g_date_time_to_timezone (scheduled, tz);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));

  return g_date_compare (&day, &until) <= 0 ? KEFU_WARRANTY_IN : KEFU_WARRANTY_OUT;
}

static gboolean
check_fee (KefuWarranty   warranty,
           gint64         fee_cents,
           GError       **error)
{
  if (fee_cents > 0 && warranty == KEFU_WARRANTY_IN)
    {
      kefu_set_field_error (error, "fee_cents", "no fee is charged for a visit in warranty");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_visit_row (KefuDb          *db,
                 gint64           ticket_id,
                 KefuVisit       *visit,
                 gint64           now,
                 GError         **error)
{
  sqlite3_stmt *stmt;

  if (visit->id == 0)
    stmt = kefu_db_prepare (db,
                            "INSERT INTO visits (ticket_id, technician_id, status, scheduled_at,"
                            " warranty, fee_cents, created_at, updated_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)", error);
  else
    stmt = kefu_db_prepare (db,
                            "UPDATE visits SET technician_id = ?2, status = ?3, scheduled_at = ?4,"
                            " warranty = ?5, fee_cents = ?6, updated_at = ?7"
                            " WHERE id = ?8 AND ticket_id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, ticket_id);
  if (visit->technician.id != 0)
    sqlite3_bind_int64 (stmt, 2, visit->technician.id);
  else
    sqlite3_bind_null (stmt, 2);
  kefu_db_bind_text (stmt, 3, kefu_visit_status_to_string (visit->status));
  sqlite3_bind_int64 (stmt, 4, visit->scheduled_at);
  kefu_db_bind_text (stmt, 5, kefu_warranty_to_string (visit->warranty));
  sqlite3_bind_int64 (stmt, 6, visit->fee_cents);
  sqlite3_bind_int64 (stmt, 7, now);
  if (visit->id != 0)
    sqlite3_bind_int64 (stmt, 8, visit->id);
  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;

  if (visit->id == 0)
    visit->id = last_insert_id (db);
  return TRUE;
}

KefuTicket *
kefu_ticket_op_add_visit (KefuDb               *db,
                          const KefuOpContext  *ctx,
                          const char           *number,
                          gint64                if_match,
                          const KefuVisitInput *input,
                          GError              **error)
{
  g_auto(Change) change = { 0 };
  g_autoptr(KefuVisit) visit = NULL;
  g_autoptr(KefuUser) technician = NULL;
  KefuTicket *ticket;
  JsonObject *data;
  gint64 technician_id;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL && input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input->scheduled_at == 0)
    {
      kefu_set_field_error (error, "scheduled_at", "scheduled_at is required");
      return NULL;
    }
  if (!check_optional_text (input->address, "address", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error) ||
      !check_optional_text (input->parts, "parts", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error))
    return NULL;
  if (!check_role (ctx->actor, ROLE (KEFU_ROLE_TECHNICIAN) | ROLE (KEFU_ROLE_SUPERVISOR),
                   "only technicians and supervisors schedule visits", error) ||
      !change_begin (&change, db, ctx, number, if_match, error) ||
      !check_not_final (change.ticket, TRUE, error))
    return NULL;

  ticket = change.ticket;
  if (ticket->status == KEFU_STATUS_RESOLVED)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                           "a resolved ticket gets no new visit; reopen it first");
      return NULL;
    }
  if (ctx->actor->role == KEFU_ROLE_TECHNICIAN && !is_assignee (ticket, ctx->actor))
    {
      forbid (error, "only the assignee or a supervisor schedules a visit");
      return NULL;
    }

  technician_id = input->technician_id != 0 ? input->technician_id : ticket->assignee.id;
  if (technician_id != 0)
    {
      if (!load_user (db, technician_id, &technician, error))
        return NULL;
      if (technician == NULL || technician->role != KEFU_ROLE_TECHNICIAN || !technician->active)
        {
          kefu_set_field_error (error, "technician_id",
                                "technician_id must name an active technician");
          return NULL;
        }
    }

  visit = kefu_visit_new ();
  visit->status = KEFU_VISIT_STATUS_SCHEDULED;
  visit->scheduled_at = whole_seconds (input->scheduled_at);
  visit->address = g_strdup (input->address != NULL ? input->address : ticket->customer.address);
  if (visit->address == NULL || *visit->address == '\0')
    {
      kefu_set_field_error (error, "address",
                            "address is required (the customer has no address on file)");
      return NULL;
    }
  if (technician != NULL)
    kefu_user_ref_set (&visit->technician, technician->id, technician->display_name);
  visit->parts = g_strdup (input->parts);
  visit->warranty = work_out_warranty (&ticket->customer, warranty_days (db),
                                       visit->scheduled_at, ctx->tz, input->warranty_in,
                                       &visit->warranty_until);
  visit->fee_cents = input->has_fee ? input->fee_cents : 0;
  if (!check_fee (visit->warranty, visit->fee_cents, error))
    return NULL;

  if (!write_visit_row (db, ticket->id, visit, change.now, error))
    return NULL;

  data = json_object_new ();
  set_time_member (data, "scheduled_at", visit->scheduled_at);
  json_object_set_string_member (data, "warranty", kefu_warranty_to_string (visit->warranty));
  if (visit->technician.id != 0)
    json_object_set_int_member (data, "technician_id", visit->technician.id);
  change_add_item_event (&change, KEFU_EVENT_VISIT, "visit_id", visit->id, "scheduled", NULL,
                         data);
  g_ptr_array_add (ticket->visits, g_steal_pointer (&visit));

  return change_commit (&change, error);
}

static const char * const visit_action_words[] = {
  [KEFU_VISIT_ACTION_RESCHEDULE] = "rescheduled",
  [KEFU_VISIT_ACTION_ARRIVE] = "arrived",
  [KEFU_VISIT_ACTION_DONE] = "done",
  [KEFU_VISIT_ACTION_CANCEL] = "cancelled",
};

KefuTicket *
kefu_ticket_op_update_visit (KefuDb               *db,
                             const KefuOpContext  *ctx,
                             const char           *number,
                             gint64                if_match,
                             gint64                visit_id,
                             KefuVisitAction       action,
                             const KefuVisitInput *input,
                             GError              **error)
{
  g_auto(Change) change = { 0 };
  g_autoptr(JsonObject) data = NULL;
  KefuTicket *ticket;
  KefuVisit *visit;
  KefuVisitStatus from;
  const char *text = NULL;
  gint64 now;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL && input != NULL, NULL);
  g_return_val_if_fail ((guint) action <= KEFU_VISIT_ACTION_CANCEL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (action)
    {
    case KEFU_VISIT_ACTION_RESCHEDULE:
      if (input->scheduled_at == 0)
        {
          kefu_set_field_error (error, "scheduled_at", "scheduled_at is required");
          return NULL;
        }
      if (!check_required_text (input->reason, "reason", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error))
        return NULL;
      text = input->reason;
      break;

    case KEFU_VISIT_ACTION_CANCEL:
      if (!check_required_text (input->reason, "reason", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error))
        return NULL;
      text = input->reason;
      break;

    case KEFU_VISIT_ACTION_DONE:
      if (!check_required_text (input->outcome, "outcome", KEFU_LONG_TEXT_MAX_CHARS, TRUE,
                                error) ||
          !check_optional_text (input->parts, "parts", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error))
        return NULL;
      text = input->outcome;
      break;

    case KEFU_VISIT_ACTION_ARRIVE:
    default:
      break;
    }

  if (!check_role (ctx->actor, ROLE (KEFU_ROLE_TECHNICIAN) | ROLE (KEFU_ROLE_SUPERVISOR),
                   "only technicians and supervisors update visits", error) ||
      !change_begin (&change, db, ctx, number, if_match, error))
    return NULL;

  ticket = change.ticket;
  visit = kefu_ticket_find_visit (ticket, visit_id);
  if (visit == NULL)
    {
      no_such_item (number, "visit", visit_id, error);
      return NULL;
    }
  if (!check_not_final (ticket, TRUE, error))
    return NULL;

  from = visit->status;
  if ((action == KEFU_VISIT_ACTION_RESCHEDULE && from != KEFU_VISIT_STATUS_SCHEDULED) ||
      (action == KEFU_VISIT_ACTION_ARRIVE && from != KEFU_VISIT_STATUS_SCHEDULED) ||
      (action == KEFU_VISIT_ACTION_DONE && from != KEFU_VISIT_STATUS_ARRIVED) ||
      (action == KEFU_VISIT_ACTION_CANCEL && from != KEFU_VISIT_STATUS_SCHEDULED &&
       from != KEFU_VISIT_STATUS_ARRIVED))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                   "a visit that is %s cannot be %s", kefu_visit_status_to_string (from),
                   visit_action_words[action]);
      return NULL;
    }

  if (ctx->actor->role == KEFU_ROLE_TECHNICIAN && !is_assignee (ticket, ctx->actor) &&
      visit->technician.id != ctx->actor->id)
    {
      forbid (error, "only the assignee, the visit's technician or a supervisor updates it");
      return NULL;
    }

  now = change.now;
  data = json_object_new ();
  switch (action)
    {
    case KEFU_VISIT_ACTION_RESCHEDULE:
      {
        gint64 to = whole_seconds (input->scheduled_at);
        g_autofree char *until = NULL;

        g_ptr_array_add (visit->reschedules,
                         kefu_visit_reschedule_new (now, visit->scheduled_at, to, input->reason));
        set_time_member (data, "from", visit->scheduled_at);
        set_time_member (data, "to", to);
        visit->scheduled_at = to;
        /* The warranty is judged again at the new date (an in-warranty claim stays). */
        if (ticket->customer.purchase_date != NULL)
          {
            KefuWarranty warranty = work_out_warranty (&ticket->customer, warranty_days (db), to,
                                                       ctx->tz, FALSE, &until);

            if (warranty == KEFU_WARRANTY_IN)
              visit->fee_cents = 0;
            visit->warranty = warranty;
            g_free (visit->warranty_until);
            visit->warranty_until = g_steal_pointer (&until);
          }
      }
      break;

    case KEFU_VISIT_ACTION_ARRIVE:
      visit->status = KEFU_VISIT_STATUS_ARRIVED;
      visit->arrived_at = now;
      break;

    case KEFU_VISIT_ACTION_DONE:
      if (input->has_fee)
        {
          if (!check_fee (visit->warranty, input->fee_cents, error))
            return NULL;
          visit->fee_cents = input->fee_cents;
        }
      if (input->parts != NULL)
        {
          g_free (visit->parts);
          visit->parts = g_strdup (input->parts);
        }
      visit->status = KEFU_VISIT_STATUS_DONE;
      visit->done_at = now;
      g_free (visit->outcome);
      visit->outcome = g_strdup (input->outcome);
      json_object_set_int_member (data, "fee_cents", visit->fee_cents);
      break;

    case KEFU_VISIT_ACTION_CANCEL:
    default:
      visit->status = KEFU_VISIT_STATUS_CANCELLED;
      break;
    }

  if (!write_visit_row (db, ticket->id, visit, now, error))
    return NULL;

  change_add_item_event (&change, KEFU_EVENT_VISIT, "visit_id", visit_id,
                         visit_action_words[action], text, g_steal_pointer (&data));
  return change_commit (&change, error);
}

/* Logistics handles the goods whatever the caller's role (not managers or administrators). */
static gboolean
is_logistics (const KefuUser *actor)
{
  return g_strcmp0 (actor->department, "logistics") == 0 &&
         actor->role != KEFU_ROLE_MANAGER && actor->role != KEFU_ROLE_ADMIN;
}

static gboolean
write_return_row (KefuDb      *db,
                  gint64       ticket_id,
                  KefuReturn  *ret,
                  gint64       now,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  const KefuReturnStepEntry *last;

  if (ret->id == 0)
    stmt = kefu_db_prepare (db,
                            "INSERT INTO returns (ticket_id, type, reason, step, amount_cents,"
                            " review_due, pickup_due, requested_at, updated_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)", error);
  else
    stmt = kefu_db_prepare (db,
                            "UPDATE returns SET type = ?2, reason = ?3, step = ?4,"
                            " amount_cents = ?5, review_due = ?6, pickup_due = ?7,"
                            " updated_at = ?8 WHERE id = ?9 AND ticket_id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, ticket_id);
  kefu_db_bind_text (stmt, 2, kefu_return_type_to_string (ret->type));
  kefu_db_bind_text (stmt, 3, kefu_return_reason_to_string (ret->reason));
  kefu_db_bind_text (stmt, 4, kefu_return_step_to_string (ret->step));
  sqlite3_bind_int64 (stmt, 5, ret->amount_cents);
  kefu_db_bind_time (stmt, 6, ret->review_due);
  kefu_db_bind_time (stmt, 7, ret->pickup_due);
  sqlite3_bind_int64 (stmt, 8, now);
  if (ret->id != 0)
    sqlite3_bind_int64 (stmt, 9, ret->id);
  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;
  if (ret->id == 0)
    ret->id = last_insert_id (db);

  /* The step just taken. */
  last = g_ptr_array_index (ret->steps, ret->steps->len - 1);
  stmt = kefu_db_prepare (db,
                          "INSERT INTO return_steps (return_id, step, at, by_id, note)"
                          " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ret->id);
  kefu_db_bind_text (stmt, 2, kefu_return_step_to_string (last->step));
  sqlite3_bind_int64 (stmt, 3, last->at);
  if (last->by.id != 0)
    sqlite3_bind_int64 (stmt, 4, last->by.id);
  else
    sqlite3_bind_null (stmt, 4);
  kefu_db_bind_text (stmt, 5, last->note);
  return kefu_db_step_done (db, stmt, error);
}

static gint64
return_due (KefuSlaPolicy *policy,
            KefuSlaClock   which,
            gint64         from)
{
  gint64 due = kefu_sla_due (policy, from, kefu_sla_policy_get_clock (policy, which), NULL, 0);

  return due == G_MAXINT64 ? 0 : whole_seconds (due);
}

KefuTicket *
kefu_ticket_op_add_return (KefuDb              *db,
                           const KefuOpContext *ctx,
                           const char          *number,
                           gint64               if_match,
                           KefuReturnType       type,
                           KefuReturnReason     reason,
                           gint64               amount_cents,
                           const char          *note,
                           GArray              *attachment_ids,
                           GError             **error)
{
  g_auto(Change) change = { 0 };
  g_autoptr(KefuReturn) ret = NULL;
  JsonObject *data;
  gint64 now;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (amount_cents < 0)
    {
      kefu_set_field_error (error, "amount_cents", "amount_cents must not be negative");
      return NULL;
    }
  if (!check_optional_text (note, "note", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error) ||
      !check_may_change (ctx->actor, error))
    return NULL;
  if (ctx->actor->role != KEFU_ROLE_AGENT && ctx->actor->role != KEFU_ROLE_SUPERVISOR &&
      !is_logistics (ctx->actor))
    {
      forbid (error, "only agents, supervisors and logistics request returns");
      return NULL;
    }

  if (!change_begin (&change, db, ctx, number, if_match, error) ||
      !check_not_final (change.ticket, FALSE, error))
    return NULL;

  for (guint i = 0; attachment_ids != NULL && i < attachment_ids->len; i++)
    {
      if (kefu_ticket_find_attachment (change.ticket,
                                       g_array_index (attachment_ids, gint64, i)) == NULL)
        {
          kefu_set_field_error (error, "attachment_ids",
                                "attachment_ids must name attachments of this ticket");
          return NULL;
        }
    }

  now = change.now;
  ret = kefu_return_new ();
  ret->type = type;
  ret->reason = reason;
  ret->step = KEFU_RETURN_STEP_REQUESTED;
  ret->amount_cents = amount_cents;
  if (attachment_ids != NULL)
    g_array_append_vals (ret->attachment_ids, attachment_ids->data, attachment_ids->len);
  ret->review_due = return_due (ctx->policy, KEFU_SLA_CLOCK_RETURN_REVIEW, now);
  g_ptr_array_add (ret->steps, kefu_return_step_entry_new (KEFU_RETURN_STEP_REQUESTED, now,
                                                           ctx->actor->id,
                                                           ctx->actor->display_name, note));
  if (!write_return_row (db, change.ticket->id, ret, now, error))
    return NULL;

  data = json_object_new ();
  json_object_set_string_member (data, "type", kefu_return_type_to_string (type));
  json_object_set_string_member (data, "reason", kefu_return_reason_to_string (reason));
  json_object_set_string_member (data, "step", "requested");
  change_add_item_event (&change, KEFU_EVENT_RETURN, "return_id", ret->id, "requested", note,
                         data);
  g_ptr_array_add (change.ticket->returns, g_steal_pointer (&ret));

  return change_commit (&change, error);
}

KefuTicket *
kefu_ticket_op_update_return (KefuDb              *db,
                              const KefuOpContext *ctx,
                              const char          *number,
                              gint64               if_match,
                              gint64               return_id,
                              KefuReturnStep       step,
                              const char          *note,
                              gint64               amount_cents,
                              GError             **error)
{
  g_auto(Change) change = { 0 };
  JsonObject *data;
  KefuReturn *ret;
  KefuReturnStep from;
  gint64 now;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_optional_text (note, "note", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error) ||
      !check_may_change (ctx->actor, error))
    return NULL;
  if (ctx->actor->role != KEFU_ROLE_SUPERVISOR && !is_logistics (ctx->actor))
    {
      forbid (error, "only supervisors and logistics move a return on");
      return NULL;
    }

  if (!change_begin (&change, db, ctx, number, if_match, error))
    return NULL;
  ret = kefu_ticket_find_return (change.ticket, return_id);
  if (ret == NULL)
    {
      no_such_item (number, "return", return_id, error);
      return NULL;
    }
  if (!check_not_final (change.ticket, FALSE, error))
    return NULL;

  from = ret->step;
  if (!kefu_return_step_can_transition (from, step))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INVALID_TRANSITION,
                   "a return that is %s cannot become %s", kefu_return_step_to_string (from),
                   kefu_return_step_to_string (step));
      return NULL;
    }

  now = change.now;
  ret->step = step;
  if (amount_cents >= 0)
    ret->amount_cents = amount_cents;
  if (step == KEFU_RETURN_STEP_APPROVED)
    ret->pickup_due = return_due (ctx->policy, KEFU_SLA_CLOCK_RETURN_PICKUP, now);
  g_ptr_array_add (ret->steps, kefu_return_step_entry_new (step, now, ctx->actor->id,
                                                           ctx->actor->display_name, note));

  if (!write_return_row (db, change.ticket->id, ret, now, error))
    return NULL;

  data = json_object_new ();
  json_object_set_string_member (data, "from", kefu_return_step_to_string (from));
  json_object_set_string_member (data, "to", kefu_return_step_to_string (step));
  json_object_set_string_member (data, "step", kefu_return_step_to_string (step));
  change_add_item_event (&change, KEFU_EVENT_RETURN, "return_id", return_id,
                         kefu_return_step_to_string (step), note, data);

  return change_commit (&change, error);
}

KefuTicket *
kefu_ticket_op_add_attachment (KefuDb              *db,
                               const KefuOpContext *ctx,
                               const char          *number,
                               gint64               if_match,
                               const char          *name,
                               const char          *content_type,
                               gint64               size,
                               const char          *sha256,
                               GError             **error)
{
  g_auto(Change) change = { 0 };
  KefuAttachment *attachment;
  sqlite3_stmt *stmt;
  JsonObject *data;
  gint64 now;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->actor != NULL && ctx->policy != NULL, NULL);
  g_return_val_if_fail (number != NULL && content_type != NULL && sha256 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_required_text (name, "name", KEFU_SHORT_TEXT_MAX_CHARS, FALSE, error) ||
      !check_may_change (ctx->actor, error) ||
      !change_begin (&change, db, ctx, number, if_match, error) ||
      !check_not_final (change.ticket, FALSE, error))
    return NULL;
  if (change.ticket->attachments->len >= KEFU_MAX_ATTACHMENTS_PER_TICKET)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_CONFLICT,
                   "ticket %s already holds %d attachments, the most it may", number,
                   KEFU_MAX_ATTACHMENTS_PER_TICKET);
      return NULL;
    }

  now = change.now;
  stmt = kefu_db_prepare (db,
                          "INSERT INTO attachments (ticket_id, name, content_type, size, sha256,"
                          " uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, change.ticket->id);
  kefu_db_bind_text (stmt, 2, name);
  kefu_db_bind_text (stmt, 3, content_type);
  sqlite3_bind_int64 (stmt, 4, size);
  kefu_db_bind_text (stmt, 5, sha256);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_int64 (stmt, 7, ctx->actor->id);
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;

  attachment = kefu_attachment_new ();
  attachment->id = last_insert_id (db);
  attachment->name = g_strdup (name);
  attachment->content_type = g_strdup (content_type);
  attachment->size = size;
  attachment->uploaded_at = now;
  kefu_user_ref_set (&attachment->uploaded_by, ctx->actor->id, ctx->actor->display_name);
  g_ptr_array_add (change.ticket->attachments, attachment);

  data = json_object_new ();
  json_object_set_string_member (data, "name", name);
  json_object_set_string_member (data, "content_type", content_type);
  json_object_set_int_member (data, "size", size);
  change_add_item_event (&change, KEFU_EVENT_ATTACHMENT, "attachment_id", attachment->id,
                         "added", name, data);

  return change_commit (&change, error);
}
