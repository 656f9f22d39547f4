/* kefu-alert.c — SLA alerts and escalations: raised once, addressed, acknowledged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Alerts live in the `alerts` table (schema 3). Its unique index on (ticket, kind, clock, level,
 * cycle) is what makes an alert be raised once: every raise is an INSERT OR IGNORE, so the
 * scheduler catching up after a restart, or two paths reaching the same breach, cannot raise it
 * twice. Each raise and each acknowledgement appends its live event ("alert.raised",
 * "alert.acked", data: the alert object) to the outbox in the same transaction.
 */
#include "config.h"

#include "kefu-alert.h"
#include "kefu-error.h"
#include "kefu-ticket-repo.h"

static const char * const kind_names[KEFU_ALERT_KIND_LAST] = {
  [KEFU_ALERT_NEW_P1]     = "new_p1",
  [KEFU_ALERT_WARNING]    = "warning",
  [KEFU_ALERT_BREACH]     = "breach",
  [KEFU_ALERT_ESCALATION] = "escalation",
};

const char *
kefu_alert_kind_to_string (KefuAlertKind kind)
{
  if ((guint) kind >= KEFU_ALERT_KIND_LAST)
    return NULL;
  return kind_names[kind];
}

static gboolean
kind_from_string (const char    *str,
                  KefuAlertKind *out)
{
  for (guint i = 0; str != NULL && i < KEFU_ALERT_KIND_LAST; i++)
    if (g_str_equal (str, kind_names[i]))
      {
        *out = (KefuAlertKind) i;
        return TRUE;
      }
  return FALSE;
}

KefuAlert *
kefu_alert_new (KefuAlertKind kind)
{
  KefuAlert *alert = g_new0 (KefuAlert, 1);

  alert->kind = kind;
  alert->clock = KEFU_ALERT_NO_CLOCK;
  alert->recipient_role = KEFU_ROLE_LAST;
  return alert;
}

void
kefu_alert_free (KefuAlert *alert)
{
  if (alert == NULL)
    return;

  g_free (alert->number);
  g_free (alert->department);
  g_free (alert->message);
  kefu_user_ref_clear (&alert->acked_by);
  g_free (alert);
}

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_time (JsonObject *object,
          const char *name,
          gint64      usec)
{
  g_autofree char *text = kefu_time_to_iso8601 (usec);

  set_string_or_null (object, name, text);
}

JsonNode *
kefu_alert_to_json (const KefuAlert *alert)
{
  JsonObject *object;
  JsonObject *recipients;

  g_return_val_if_fail (alert != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", alert->id);
  set_string_or_null (object, "number", alert->number);
  json_object_set_int_member (object, "priority", alert->priority);
  json_object_set_string_member (object, "kind", kefu_alert_kind_to_string (alert->kind));
  set_string_or_null (object, "clock", alert->clock == KEFU_ALERT_NO_CLOCK
                                        ? NULL : kefu_sla_clock_to_string (alert->clock));
  json_object_set_int_member (object, "level", alert->level);

  recipients = json_object_new ();
  set_string_or_null (recipients, "role", alert->recipient_role == KEFU_ROLE_LAST
                                          ? NULL : kefu_role_to_string (alert->recipient_role));
  if (alert->recipient_user_id != 0)
    json_object_set_int_member (recipients, "user_id", alert->recipient_user_id);
  else
    json_object_set_null_member (recipients, "user_id");
  set_string_or_null (recipients, "department", alert->department);
  json_object_set_object_member (object, "recipients", recipients);

  set_string_or_null (object, "message", alert->message);
  set_time (object, "due_at", alert->due_at);
  set_time (object, "created_at", alert->created_at);
  set_time (object, "acked_at", alert->acked_at);
  if (alert->acked_by.id != 0)
    {
      JsonObject *by = json_object_new ();

      json_object_set_int_member (by, "id", alert->acked_by.id);
      set_string_or_null (by, "display_name", alert->acked_by.display_name);
      json_object_set_object_member (object, "acked_by", by);
    }
  else
    {
      json_object_set_null_member (object, "acked_by");
    }

  {
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);

    json_node_take_object (node, object);
    return node;
  }
}

/* What each clock is about, in a sentence. */
static const char *
clock_phrase (int clock)
{
  switch (clock)
    {
    case KEFU_SLA_CLOCK_RESPONSE:      return "first response";
    case KEFU_SLA_CLOCK_RESOLVE:       return "resolution";
    case KEFU_SLA_CLOCK_ACCEPT:        return "acceptance";
    case KEFU_SLA_CLOCK_UPDATE:        return "progress update";
    case KEFU_SLA_CLOCK_CONFIRM:       return "confirmation call";
    case KEFU_SLA_CLOCK_RETURN_REVIEW: return "return review";
    case KEFU_SLA_CLOCK_RETURN_PICKUP: return "return pickup";
    default:                           return "deadline";
    }
}

/* "2026-11-23 18:00 Asia/Shanghai" */
static char *
local_time (gint64     usec,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_ref (utc);
  text = g_date_time_format (local, "%Y-%m-%d %H:%M");
  return g_strdup_printf ("%s %s", text,
                          tz != NULL ? g_time_zone_get_identifier (tz) : "UTC");
}

void
kefu_alert_set_default_message (KefuAlert  *alert,
                                GTimeZone  *tz,
                                const char *detail)
{
  g_autofree char *due = NULL;
  const char *number;
  const char *what;

  g_return_if_fail (alert != NULL);

  number = alert->number != NULL ? alert->number : "?";
  what = clock_phrase (alert->clock);
  due = alert->due_at != 0 ? local_time (alert->due_at, tz) : g_strdup ("?");
  g_free (alert->message);

  switch (alert->kind)
    {
    case KEFU_ALERT_NEW_P1:
      if (alert->due_at != 0)
        alert->message = g_strdup_printf ("%s is an urgent (P1) ticket: the first response is "
                                          "due at %s.", number, due);
      else
        alert->message = g_strdup_printf ("%s is an urgent (P1) ticket.", number);
      break;

    case KEFU_ALERT_WARNING:
      alert->message = g_strdup_printf ("%s (P%d): the %s is due at %s.", number,
                                        alert->priority, what, due);
      break;

    case KEFU_ALERT_BREACH:
      alert->message = g_strdup_printf ("%s (P%d): the %s was due at %s and is overdue "
                                        "(escalation level %d).", number, alert->priority,
                                        what, due, alert->level);
      break;

    case KEFU_ALERT_ESCALATION:
      if (alert->clock != KEFU_ALERT_NO_CLOCK)
        alert->message = g_strdup_printf ("%s (P%d): the %s was due at %s and is overdue "
                                          "(escalation level %d).", number, alert->priority,
                                          what, due, alert->level);
      else
        alert->message = g_strdup_printf ("%s (P%d): %s (escalation level %d).", number,
                                          alert->priority,
                                          detail ? detail : "escalated", alert->level);
      break;

    case KEFU_ALERT_KIND_LAST:
    default:
      g_return_if_reached ();
    }
}

gboolean
kefu_alert_is_addressed_to (const KefuAlert *alert,
                            const KefuUser  *user)
{
  g_return_val_if_fail (alert != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  if (alert->recipient_user_id != 0 && alert->recipient_user_id == user->id)
    return TRUE;
  if (alert->recipient_role != KEFU_ROLE_LAST && alert->recipient_role == user->role)
    return alert->department == NULL || g_strcmp0 (alert->department, user->department) == 0;
  return FALSE;
}

/* ---- the table --------------------------------------------------------------------------- */

gboolean
kefu_alert_raise (KefuDb     *db,
                  KefuAlert  *alert,
                  gboolean   *out_raised,
                  GError    **error)
{
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (alert != NULL && alert->ticket_id > 0 && alert->number != NULL, FALSE);
  g_return_val_if_fail (alert->recipient_role != KEFU_ROLE_LAST ||
                        alert->recipient_user_id != 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_raised != NULL)
    *out_raised = FALSE;

  if (alert->message == NULL)
    kefu_alert_set_default_message (alert, NULL, NULL);

  stmt = kefu_db_prepare (db,
                          "INSERT OR IGNORE INTO alerts (ticket_id, number, priority, kind, clock,"
                          " level, cycle, due_at, recipient_role, recipient_user_id, department,"
                          " message, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, alert->ticket_id);
  kefu_db_bind_text (stmt, 2, alert->number);
  sqlite3_bind_int (stmt, 3, alert->priority);
  kefu_db_bind_text (stmt, 4, kefu_alert_kind_to_string (alert->kind));
  kefu_db_bind_text (stmt, 5, alert->clock == KEFU_ALERT_NO_CLOCK
                              ? NULL : kefu_sla_clock_to_string (alert->clock));
  sqlite3_bind_int (stmt, 6, alert->level);
  sqlite3_bind_int64 (stmt, 7, alert->cycle);
  kefu_db_bind_time (stmt, 8, alert->due_at);
  kefu_db_bind_text (stmt, 9, alert->recipient_role == KEFU_ROLE_LAST
                              ? NULL : kefu_role_to_string (alert->recipient_role));
  if (alert->recipient_user_id != 0)
    sqlite3_bind_int64 (stmt, 10, alert->recipient_user_id);
  else
    sqlite3_bind_null (stmt, 10);
  kefu_db_bind_text (stmt, 11, alert->department);
  kefu_db_bind_text (stmt, 12, alert->message);
  sqlite3_bind_int64 (stmt, 13, alert->created_at);
  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (kefu_db_handle (db)) == 0)
    return TRUE;  /* raised before */

  alert->id = sqlite3_last_insert_rowid (kefu_db_handle (db));
  node = kefu_alert_to_json (alert);
  if (kefu_outbox_append (db, "alert.raised", alert->created_at, node, error) <= 0)
    return FALSE;

  if (out_raised != NULL)
    *out_raised = TRUE;
  return TRUE;
}

#define ALERT_COLUMNS \
  "a.id, a.ticket_id, a.number, a.priority, a.kind, a.clock, a.level, a.cycle, a.due_at," \
  " a.recipient_role, a.recipient_user_id, a.department, a.message, a.created_at," \
  " a.acked_at, a.acked_by, u.display_name"

static KefuAlert *
alert_from_row (sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(KefuAlert) alert = kefu_alert_new (KEFU_ALERT_WARNING);
  const char *text;
  KefuSlaClock clock;
  KefuRole role;

  alert->id = sqlite3_column_int64 (stmt, 0);
  alert->ticket_id = sqlite3_column_int64 (stmt, 1);
  alert->number = kefu_db_column_dup (stmt, 2);
  alert->priority = sqlite3_column_int (stmt, 3);
  if (!kind_from_string (kefu_db_column_text (stmt, 4), &alert->kind))
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                   "alert %" G_GINT64_FORMAT " has an unknown kind", alert->id);
      return NULL;
    }
  text = kefu_db_column_text (stmt, 5);
  if (text != NULL && kefu_sla_clock_from_string (text, &clock))
    alert->clock = clock;
  alert->level = sqlite3_column_int (stmt, 6);
  alert->cycle = sqlite3_column_int64 (stmt, 7);
  alert->due_at = sqlite3_column_int64 (stmt, 8);
  text = kefu_db_column_text (stmt, 9);
  if (text != NULL && kefu_role_from_string (text, &role))
    alert->recipient_role = role;
  alert->recipient_user_id = sqlite3_column_int64 (stmt, 10);
  alert->department = kefu_db_column_dup (stmt, 11);
  alert->message = kefu_db_column_dup (stmt, 12);
  alert->created_at = sqlite3_column_int64 (stmt, 13);
  alert->acked_at = sqlite3_column_int64 (stmt, 14);
  kefu_user_ref_set (&alert->acked_by, sqlite3_column_int64 (stmt, 15),
                     kefu_db_column_text (stmt, 16));

  return g_steal_pointer (&alert);
}

GPtrArray *
kefu_alert_list (KefuDb          *db,
                 const KefuUser  *user,
                 KefuAlertState   state,
                 guint            limit,
                 gint64           before_id,
                 GError         **error)
{
  g_autoptr(GPtrArray) alerts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The two arms of the OR each use their partial index. */
  stmt = kefu_db_prepare (db,
                          "SELECT " ALERT_COLUMNS " FROM alerts a"
                          " LEFT JOIN users u ON u.id = a.acked_by"
                          " WHERE (a.recipient_user_id = ?1"
                          "        OR (a.recipient_role = ?2"
                          "            AND (a.department IS NULL OR a.department = ?3)))"
                          " AND (?4 = 2 OR (?4 = 0 AND a.acked_at IS NULL)"
                          "      OR (?4 = 1 AND a.acked_at IS NOT NULL))"
                          " AND (?5 = 0 OR a.id < ?5)"
                          " ORDER BY a.id DESC LIMIT ?6",
                          error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, user->id);
  kefu_db_bind_text (stmt, 2, kefu_role_to_string (user->role));
  kefu_db_bind_text (stmt, 3, user->department);
  sqlite3_bind_int (stmt, 4, state);
  sqlite3_bind_int64 (stmt, 5, before_id);
  sqlite3_bind_int64 (stmt, 6, CLAMP (limit, 1, 500));

  alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_alert_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KefuAlert *alert = alert_from_row (stmt, error);

      if (alert == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (alerts, alert);
    }

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      return NULL;
    }

  return g_steal_pointer (&alerts);
}

KefuAlert *
kefu_alert_load (KefuDb  *db,
                 gint64   id,
                 GError **error)
{
  sqlite3_stmt *stmt;
  KefuAlert *alert = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kefu_db_prepare (db,
                          "SELECT " ALERT_COLUMNS " FROM alerts a"
                          " LEFT JOIN users u ON u.id = a.acked_by WHERE a.id = ?",
                          error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    alert = alert_from_row (stmt, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND,
                 "there is no alert %" G_GINT64_FORMAT, id);
  else
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);

  return alert;
}

KefuAlert *
kefu_alert_ack (KefuDb          *db,
                gint64           id,
                const KefuUser  *user,
                gint64           now,
                GError         **error)
{
  g_autoptr(KefuAlert) alert = NULL;
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  alert = kefu_alert_load (db, id, error);
  if (alert == NULL)
    return NULL;

  if (!kefu_alert_is_addressed_to (alert, user))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_FORBIDDEN,
                           "this alert is not addressed to you");
      return NULL;
    }

  /* Acknowledged before (by this user or another recipient): the first record stands. */
  if (alert->acked_at != 0)
    return g_steal_pointer (&alert);

  stmt = kefu_db_prepare (db,
                          "UPDATE alerts SET acked_at = ?, acked_by = ?"
                          " WHERE id = ? AND acked_at IS NULL",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, user->id);
  sqlite3_bind_int64 (stmt, 3, id);
  if (!kefu_db_step_done (db, stmt, error))
    return NULL;

  alert->acked_at = now;
  kefu_user_ref_set (&alert->acked_by, user->id, user->display_name);

  node = kefu_alert_to_json (alert);
  if (kefu_outbox_append (db, "alert.acked", now, node, error) <= 0)
    return NULL;

  return g_steal_pointer (&alert);
}
