/* kefu-report-facts.c — one narrow row per ticket for the reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reports read report_facts (schema 5), never the tickets' documents: a row holds what
 * they count, in a table clustered by registration time, so a period is one range scan of
 * short rows (the small values packed into one integer: kefu-report-facts.h). The row is rewritten in the same transaction as every ticket write, so it is
 * never behind the ticket. Whether the first response and the resolution met their targets is
 * decided here, at the change that makes them: the previous row holds the due that was in
 * force until then (the SLA calculus forgets a due once it is met). A due that passes while
 * nothing happens is counted as breached by the reports themselves (the row keeps the due).
 */
#include "config.h"

#include "kefu-report-facts.h"

const char * const kefu_report_category_words[KEFU_FACTS_N_CATEGORIES] = {
  "quality", "logistics", "service", "consultation", "complaint",
};

const char * const kefu_report_channel_words[KEFU_FACTS_N_CHANNELS] = {
  "phone", "online", "email", "web_form", "social", "platform", "app", "onsite",
};

const char * const kefu_report_status_words[KEFU_FACTS_N_STATUSES] = {
  "new", "assigned", "accepted", "in_progress", "waiting_customer", "waiting_parts",
  "resolved", "closed", "reopened", "cancelled",
};

G_STATIC_ASSERT (KEFU_CATEGORY_LAST == KEFU_FACTS_N_CATEGORIES);
G_STATIC_ASSERT (KEFU_CHANNEL_LAST == KEFU_FACTS_N_CHANNELS);
G_STATIC_ASSERT (KEFU_STATUS_LAST == KEFU_FACTS_N_STATUSES);

int
kefu_report_facts_code (const char * const *words,
                        guint               n,
                        const char         *word)
{
  for (guint i = 0; word != NULL && i < n; i++)
    {
      if (g_str_equal (words[i], word))
        return (int) i;
    }
  return -1;
}

gint64
kefu_report_facts_pack (int priority,
                        int category,
                        int channel,
                        int status,
                        int response_sla,
                        int resolve_sla,
                        int level,
                        int satisfaction,
                        int reopened)
{
  return (gint64) CLAMP (priority, 0, 7)
         | (gint64) CLAMP (category, 0, 7) << 3
         | (gint64) CLAMP (channel, 0, 15) << 6
         | (gint64) CLAMP (status, 0, 15) << 10
         | (gint64) CLAMP (response_sla, 0, 3) << 14
         | (gint64) CLAMP (resolve_sla, 0, 3) << 16
         | (gint64) CLAMP (level, 0, 3) << 18
         | (gint64) CLAMP (satisfaction, 0, 7) << 20
         | (gint64) CLAMP (reopened, 0, 255) << 23;
}

typedef struct {
  gboolean found;
  gint64   first_response_at;
  gint64   resolved_at;
  gint64   response_due;
  gint64   resolve_due;
  int      response_sla;
  int      resolve_sla;
  int      reopened;
  gint64   reopened_at;
  int      escalation_level;
} OldRow;

static gboolean
load_old (KefuDb  *db,
          gint64   ticket_id,
          OldRow  *old,
          GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kefu_db_prepare (db,
                          "SELECT codes, first_response_at, resolved_at, response_due,"
                          " resolve_due, reopened_at FROM report_facts WHERE ticket_id = ?",
                          error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, ticket_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 codes = sqlite3_column_int64 (stmt, 0);

      old->found = TRUE;
      old->response_sla = KEFU_FACTS_RESPONSE_SLA (codes);
      old->resolve_sla = KEFU_FACTS_RESOLVE_SLA (codes);
      old->escalation_level = KEFU_FACTS_LEVEL (codes);
      old->reopened = KEFU_FACTS_REOPENED (codes);
      old->first_response_at = sqlite3_column_int64 (stmt, 1);
      old->resolved_at = sqlite3_column_int64 (stmt, 2);
      old->response_due = sqlite3_column_int64 (stmt, 3);
      old->resolve_due = sqlite3_column_int64 (stmt, 4);
      old->reopened_at = sqlite3_column_int64 (stmt, 5);
    }
  else if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* A due as stored: 0 for "none" (met, not running) and for "stopped by a pause". */
static gint64
stored_due (gint64 due)
{
  return due == G_MAXINT64 ? 0 : due;
}

/* The departments of a cross-department ticket, the lead one first ("technical,logistics");
 * NULL when no supporting department differs from the lead one. */
static char *
involved_text (const KefuTicket *ticket)
{
  GString *out = NULL;

  for (guint i = 0; ticket->supporting_departments != NULL &&
                    ticket->supporting_departments[i] != NULL; i++)
    {
      const char *code = ticket->supporting_departments[i];

      gboolean seen = FALSE;

      if (*code == '\0' || g_strcmp0 (code, ticket->department) == 0)
        continue;
      for (guint j = 0; j < i && !seen; j++)
        seen = g_str_equal (ticket->supporting_departments[j], code);
      if (seen)
        continue;
      if (out == NULL)
        {
          out = g_string_new (ticket->department);
          if (out->len > 0)
            g_string_append_c (out, ',');
          g_string_append (out, code);
        }
      else
        {
          g_string_append_printf (out, ",%s", code);
        }
    }

  return out ? g_string_free (out, FALSE) : NULL;
}

gboolean
kefu_report_facts_update (KefuDb                *db,
                          const KefuTicket      *ticket,
                          const KefuTicketClock *clock,
                          GError               **error)
{
  g_autofree char *involved = NULL;
  OldRow old = { 0 };
  sqlite3_stmt *stmt;
  gint64 response_due = 0, resolve_due = 0;
  int response_sla, resolve_sla, reopened, level, satisfaction = 0;
  gint64 reopened_at, codes;
  int i = 1;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id > 0, FALSE);
  g_return_val_if_fail (clock != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!load_old (db, ticket->id, &old, error))
    return FALSE;

  /* First response: decided once, by the due in force until it came. */
  response_sla = old.response_sla;
  if (ticket->sla.first_response_at != 0)
    {
      if (response_sla == KEFU_REPORT_SLA_UNDECIDED)
        response_sla = old.response_due != 0 && ticket->sla.first_response_at > old.response_due
                       ? KEFU_REPORT_SLA_BREACHED : KEFU_REPORT_SLA_MET;
    }
  else
    {
      response_due = stored_due (clock->dues.due[KEFU_SLA_CLOCK_RESPONSE]);
    }

  /* Resolution: decided at each resolution; a late one stays breached after a reopen, an
   * on-time one is undecided again when the customer reopens the ticket. */
  resolve_sla = old.resolve_sla;
  if (ticket->sla.resolved_at != 0)
    {
      if (ticket->sla.resolved_at != old.resolved_at && resolve_sla != KEFU_REPORT_SLA_BREACHED)
        resolve_sla = old.resolve_due != 0 && ticket->sla.resolved_at > old.resolve_due
                      ? KEFU_REPORT_SLA_BREACHED : KEFU_REPORT_SLA_MET;
    }
  else
    {
      resolve_due = ticket->status == KEFU_STATUS_CANCELLED
                    ? 0 : stored_due (clock->dues.due[KEFU_SLA_CLOCK_RESOLVE]);
      if (resolve_sla == KEFU_REPORT_SLA_MET)
        resolve_sla = KEFU_REPORT_SLA_UNDECIDED;
    }
  if (ticket->status == KEFU_STATUS_CANCELLED)
    response_due = 0;

  reopened = old.reopened;
  reopened_at = old.reopened_at;
  if (clock->reopened_at != 0 && clock->reopened_at != old.reopened_at)
    {
      reopened++;
      reopened_at = clock->reopened_at;
    }

  level = MAX (old.escalation_level, ticket->escalation_level);
  if (ticket->confirmation != NULL && ticket->confirmation->satisfaction >= 1 &&
      ticket->confirmation->satisfaction <= 5)
    satisfaction = ticket->confirmation->satisfaction;
  codes = kefu_report_facts_pack (ticket->priority,
                                  kefu_report_facts_code (kefu_report_category_words,
                                                          KEFU_FACTS_N_CATEGORIES,
                                                          kefu_category_to_string (
                                                            ticket->category)),
                                  kefu_report_facts_code (kefu_report_channel_words,
                                                          KEFU_FACTS_N_CHANNELS,
                                                          kefu_channel_to_string (
                                                            ticket->channel)),
                                  kefu_report_facts_code (kefu_report_status_words,
                                                          KEFU_FACTS_N_STATUSES,
                                                          kefu_status_to_string (ticket->status)),
                                  response_sla, resolve_sla, level, satisfaction, reopened);
  involved = involved_text (ticket);

  stmt = kefu_db_prepare (db,
                          "INSERT OR REPLACE INTO report_facts (registered_at, ticket_id, codes,"
                          " subcategory, assignee_id, involved, first_response_at, resolved_at,"
                          " response_due, resolve_due, department, reopened_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, i++, ticket->registered_at);
  sqlite3_bind_int64 (stmt, i++, ticket->id);
  sqlite3_bind_int64 (stmt, i++, codes);
  kefu_db_bind_text (stmt, i++, ticket->subcategory != NULL && *ticket->subcategory != '\0'
                                ? ticket->subcategory : NULL);
  if (ticket->assignee.id != 0)
    sqlite3_bind_int64 (stmt, i++, ticket->assignee.id);
  else
    sqlite3_bind_null (stmt, i++);
  kefu_db_bind_text (stmt, i++, involved);
  kefu_db_bind_time (stmt, i++, ticket->sla.first_response_at);
  kefu_db_bind_time (stmt, i++, ticket->sla.resolved_at);
  kefu_db_bind_time (stmt, i++, response_due);
  kefu_db_bind_time (stmt, i++, resolve_due);
  kefu_db_bind_text (stmt, i++, ticket->department);
  kefu_db_bind_time (stmt, i++, reopened_at);

  return kefu_db_step_done (db, stmt, error);
}

gboolean
kefu_report_facts_raise_escalation (KefuDb  *db,
                                    gint64   ticket_id,
                                    int      level,
                                    GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The level's two bits of codes, raised to @level (never lowered). */
  stmt = kefu_db_prepare (db,
                          "UPDATE report_facts SET codes = (codes & ~(3 << 18))"
                          " | (max ((codes >> 18) & 3, min (?, 3)) << 18)"
                          " WHERE ticket_id = ?",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, level);
  sqlite3_bind_int64 (stmt, 2, ticket_id);
  return kefu_db_step_done (db, stmt, error);
}
