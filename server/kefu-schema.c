/* kefu-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each migration moves the schema one version up. Never edit a migration that has shipped: add
 * a new one. Tickets keep their wire document (the JSON of API.md, events excluded) in `doc`,
 * and copy into columns what queries filter, sort or index on.
 */
#include "config.h"

#include "kefu-schema.h"

static const char *migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE departments ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  name_zh TEXT NOT NULL"
  ");"
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  display_name TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  department TEXT NOT NULL REFERENCES departments (code),"
  "  password_hash TEXT NOT NULL,"
  "  active INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE sessions ("
  "  token_hash BLOB PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX sessions_user ON sessions (user_id);"
  "CREATE TABLE day_serials ("
  "  day INTEGER PRIMARY KEY,"
  "  last INTEGER NOT NULL"
  ");"
  "CREATE TABLE tickets ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE,"
  "  version INTEGER NOT NULL,"
  "  status TEXT NOT NULL,"
  "  priority INTEGER NOT NULL,"
  "  category TEXT NOT NULL,"
  "  channel TEXT NOT NULL,"
  "  assignee_id INTEGER REFERENCES users (id),"
  "  department TEXT,"
  "  customer_phone TEXT,"
  "  order_no TEXT,"
  "  search TEXT NOT NULL,"
  "  registered_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  next_due INTEGER,"
  "  clock TEXT NOT NULL,"
  "  doc TEXT NOT NULL"
  ");"
  "CREATE INDEX tickets_status_priority ON tickets (status, priority);"
  "CREATE INDEX tickets_assignee ON tickets (assignee_id);"
  "CREATE INDEX tickets_updated ON tickets (updated_at);"
  "CREATE INDEX tickets_registered ON tickets (registered_at);"
  "CREATE INDEX tickets_next_due ON tickets (next_due) WHERE next_due IS NOT NULL;"
  "CREATE INDEX tickets_phone ON tickets (customer_phone);"
  "CREATE INDEX tickets_order ON tickets (order_no);"
  "CREATE TABLE ticket_events ("
  "  id INTEGER PRIMARY KEY,"
  "  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
  "  kind TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  actor_id INTEGER REFERENCES users (id),"
  "  actor_name TEXT,"
  "  text TEXT,"
  "  data TEXT"
  ");"
  "CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);",

  /* 2: the outbox of live events (global seq), and when each user last signed in */
  "CREATE TABLE events ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  type TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  data TEXT NOT NULL"
  ");"
  "ALTER TABLE users ADD COLUMN last_login_at INTEGER;",

  /* 3: SLA alerts and escalations, and server settings (the SLA policy).
   *
   * An alert is raised once per ticket, kind, clock, level and cycle: `cycle` is the start of
   * the clock's window (a reassignment, a customer contact or a reopen starts a new one; 0 for
   * alerts that belong to the ticket as a whole), and the unique index makes "INSERT OR IGNORE"
   * the guarantee, whatever restarts happen. `clock` is NULL for new_p1 and for the escalation
   * of an unsatisfied customer, hence ifnull() in the index (NULLs never collide in UNIQUE).
   * tickets.next_due now also counts the warning points the scheduler has not handled yet: the
   * UPDATE makes the scheduler look at every open ticket once after this upgrade. No CHECK
   * constraints on alerts: the words come from the code's enumerations, and a CHECK makes SQLite
   * keep a statement journal for every insert, which doubles the cost of raising an alert when
   * thousands fall due at once. */
  "CREATE TABLE alerts ("
  "  id INTEGER PRIMARY KEY,"
  "  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
  "  number TEXT NOT NULL,"
  "  priority INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  clock TEXT,"
  "  level INTEGER NOT NULL,"
  "  cycle INTEGER NOT NULL,"
  "  due_at INTEGER,"
  "  recipient_role TEXT,"
  "  recipient_user_id INTEGER REFERENCES users (id),"
  "  department TEXT,"
  "  message TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  acked_at INTEGER,"
  "  acked_by INTEGER REFERENCES users (id)"
  ");"
  "CREATE UNIQUE INDEX alerts_once ON alerts (ticket_id, kind, ifnull (clock, ''), level, cycle);"
  "CREATE INDEX alerts_user ON alerts (recipient_user_id) WHERE recipient_user_id IS NOT NULL;"
  "CREATE INDEX alerts_role ON alerts (recipient_role) WHERE recipient_role IS NOT NULL;"
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  updated_by INTEGER REFERENCES users (id)"
  ");"
  "UPDATE tickets SET next_due = registered_at WHERE next_due IS NOT NULL;",

  /* 4: field visits, returns and attachments (issue 5).
   *
   * The ticket document stays the record that is read (visits, returns and attachments are
   * arrays in it, like the timeline's summary); these tables give each item its id and hold
   * what queries filter on (a technician's visits, returns by step, the files on disk),
   * written in the same transaction as the document. Attachment bytes live in
   * DATA_DIR/attachments/ named by their SHA-256; `sha256` finds the file. */
  "CREATE TABLE attachments ("
  "  id INTEGER PRIMARY KEY,"
  "  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
  "  name TEXT NOT NULL,"
  "  content_type TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  uploaded_at INTEGER NOT NULL,"
  "  uploaded_by INTEGER REFERENCES users (id)"
  ");"
  "CREATE INDEX attachments_ticket ON attachments (ticket_id);"
  "CREATE INDEX attachments_sha256 ON attachments (sha256);"
  "CREATE TABLE visits ("
  "  id INTEGER PRIMARY KEY,"
  "  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
  "  technician_id INTEGER REFERENCES users (id),"
  "  status TEXT NOT NULL,"
  "  scheduled_at INTEGER NOT NULL,"
  "  warranty TEXT NOT NULL,"
  "  fee_cents INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX visits_ticket ON visits (ticket_id);"
  "CREATE INDEX visits_technician ON visits (technician_id, scheduled_at);"
  "CREATE TABLE returns ("
  "  id INTEGER PRIMARY KEY,"
  "  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
  "  type TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  step TEXT NOT NULL,"
  "  amount_cents INTEGER NOT NULL DEFAULT 0,"
  "  requested_at INTEGER NOT NULL,"
  "  review_due INTEGER,"
  "  pickup_due INTEGER,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX returns_ticket ON returns (ticket_id);"
  "CREATE INDEX returns_step ON returns (step);"
  "CREATE TABLE return_steps ("
  "  id INTEGER PRIMARY KEY,"
  "  return_id INTEGER NOT NULL REFERENCES returns (id),"
  "  step TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  by_id INTEGER REFERENCES users (id),"
  "  note TEXT"
  ");"
  "CREATE INDEX return_steps_return ON return_steps (return_id, id);"
  /* Documents written before carry the three arrays from now on (lists serve them as stored). */
  "UPDATE tickets SET doc = json_insert (doc, '$.attachments', json ('[]'),"
  " '$.visits', json ('[]'), '$.returns', json ('[]'));",

  /* 5: report facts (issue 6). One short row per ticket with what the reports count, kept by
   * server/kefu-report-facts.c in the transaction of every ticket write. Clustered by
   * (registered_at, ticket_id), so that a period is one contiguous range of the table, and
   * short: the small values are packed into `codes` (layout in kefu-report-facts.h: priority,
   * category, channel and status by their fixed codes, the verdicts of the response and
   * resolution clocks — 0 undecided, 1 met, 2 breached —, the highest escalation level, the
   * satisfaction score, the number of reopens), since a report reads every column of every row
   * of its period. `involved` lists the departments of a cross-department ticket (the lead
   * one first, then the supporting ones; NULL when the ticket is not cross-department).
   * `response_due`/`resolve_due` are the dues in force while the clock runs (NULL when met,
   * stopped by a pause or not running). `reopened_at` is the last reopen seen. Existing
   * tickets are back-filled from their documents: for them "breached" means that the SLA
   * scheduler raised a breach alert on that clock (their old dues are not kept once met). */
  "CREATE TABLE report_facts ("
  "  registered_at INTEGER NOT NULL,"
  "  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
  "  codes INTEGER NOT NULL,"
  "  subcategory TEXT,"
  "  assignee_id INTEGER,"
  "  involved TEXT,"
  "  first_response_at INTEGER,"
  "  resolved_at INTEGER,"
  "  response_due INTEGER,"
  "  resolve_due INTEGER,"
  "  department TEXT,"
  "  reopened_at INTEGER,"
  "  PRIMARY KEY (registered_at, ticket_id)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX report_facts_ticket ON report_facts (ticket_id);"
  "INSERT INTO report_facts (registered_at, ticket_id, codes, subcategory, assignee_id,"
  "  involved, first_response_at, resolved_at, response_due, resolve_due, department,"
  "  reopened_at)"
  " SELECT registered_at, id,"
  "  priority"
  "  | ((CASE category WHEN 'quality' THEN 0 WHEN 'logistics' THEN 1 WHEN 'service' THEN 2"
  "       WHEN 'consultation' THEN 3 ELSE 4 END) << 3)"
  "  | ((CASE channel WHEN 'phone' THEN 0 WHEN 'online' THEN 1 WHEN 'email' THEN 2"
  "       WHEN 'web_form' THEN 3 WHEN 'social' THEN 4 WHEN 'platform' THEN 5 WHEN 'app' THEN 6"
  "       ELSE 7 END) << 6)"
  "  | ((CASE status WHEN 'new' THEN 0 WHEN 'assigned' THEN 1 WHEN 'accepted' THEN 2"
  "       WHEN 'in_progress' THEN 3 WHEN 'waiting_customer' THEN 4 WHEN 'waiting_parts' THEN 5"
  "       WHEN 'resolved' THEN 6 WHEN 'closed' THEN 7 WHEN 'reopened' THEN 8 ELSE 9 END) << 10)"
  "  | ((CASE WHEN EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = t.id"
  "                        AND a.kind = 'breach' AND a.clock = 'response') THEN 2"
  "       WHEN json_extract (doc, '$.sla.first_response_at') IS NULL THEN 0 ELSE 1 END) << 14)"
  "  | ((CASE WHEN EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = t.id"
  "                        AND a.kind = 'breach' AND a.clock = 'resolve') THEN 2"
  "       WHEN json_extract (doc, '$.sla.resolved_at') IS NULL THEN 0 ELSE 1 END) << 16)"
  "  | (min (ifnull (json_extract (doc, '$.escalation_level'), 0), 3) << 18)"
  "  | (ifnull (json_extract (doc, '$.confirmation.satisfaction'), 0) << 20)"
  "  | (min ((SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id"
  "          AND e.kind = 'reopen'), 255) << 23),"
  "  json_extract (doc, '$.subcategory'),"
  "  assignee_id,"
  "  (SELECT CASE WHEN count(*) > 0 THEN ltrim (ifnull (t.department, '') || ','"
  "                                             || group_concat (j.value, ','), ',') END"
  "    FROM json_each (doc, '$.supporting_departments') j"
  "    WHERE j.value IS NOT t.department AND j.value <> ''),"
  "  unixepoch (json_extract (doc, '$.sla.first_response_at')) * 1000000,"
  "  unixepoch (json_extract (doc, '$.sla.resolved_at')) * 1000000,"
  "  CASE WHEN json_extract (doc, '$.sla.first_response_at') IS NULL AND status <> 'cancelled'"
  "    THEN nullif (nullif (json_extract (clock, '$.dues.response[0]'), 0),"
  "                 9223372036854775807) END,"
  "  CASE WHEN json_extract (doc, '$.sla.resolved_at') IS NULL AND status <> 'cancelled'"
  "    THEN nullif (nullif (json_extract (clock, '$.dues.resolve[0]'), 0),"
  "                 9223372036854775807) END,"
  "  department,"
  "  nullif (json_extract (clock, '$.reopened_at'), 0)"
  " FROM tickets t;",

  /* 6: phone numbers and e-mail addresses leave the search text (issue 12). GET /tickets?q=
   * matched substrings of `search`, which held the phone, its digits and the e-mail address, so
   * a role that sees "135****7718" could learn the hidden digits one query at a time. They get
   * columns of their own, matched whole (or by the last four digits) for the roles that see
   * them masked (server/kefu-ticket-repo.c). `phone_digits` is every digit of the number (the
   * older `customer_phone` keeps only the last 11, for duplicates); `email` is lower-cased.
   *
   * Each row's search text is rewritten without those lines. It was the lower-cased lines
   * number, name, phone, digits (when they differ from the phone), e-mail, code, order number,
   * description; the phone, digits and e-mail lines (ASCII, so lower() agrees with the C code)
   * follow the second line feed and are cut out there, which keeps the other lines exactly as
   * the server lower-cased them. A row that does not have that shape is rebuilt from its
   * document instead (lower() then folds ASCII only, until the ticket's next change). */
  "ALTER TABLE tickets ADD COLUMN phone_digits TEXT;"
  "ALTER TABLE tickets ADD COLUMN email TEXT;"
  "UPDATE tickets SET"
  " phone_digits = nullif (replace (replace (replace ("
  "   json_extract (doc, '$.customer.phone'), '+', ''), ' ', ''), '-', ''), ''),"
  " email = nullif (lower (json_extract (doc, '$.customer.email')), '');"
  "UPDATE tickets SET search = CASE"
  "   WHEN s.block = '' THEN tickets.search"
  "   WHEN substr (tickets.search, s.at, length (s.block)) = s.block"
  "     THEN substr (tickets.search, 1, s.at - 1) || substr (tickets.search, s.at + length (s.block))"
  "   ELSE lower (json_extract (tickets.doc, '$.number'))"
  "     || ifnull (char (10) || nullif (lower (json_extract (tickets.doc, '$.customer.name')), ''), '')"
  "     || ifnull (char (10) || nullif (lower (json_extract (tickets.doc, '$.customer.code')), ''), '')"
  "     || ifnull (char (10) || nullif (lower (json_extract (tickets.doc, '$.customer.order_no')), ''), '')"
  "     || ifnull (char (10) || nullif (lower (json_extract (tickets.doc, '$.description')), ''), '')"
  "   END"
  " FROM (SELECT id,"
  "         ifnull (char (10) || json_extract (doc, '$.customer.phone'), '')"
  "         || CASE WHEN customer_phone IS NOT NULL"
  "                  AND customer_phone IS NOT json_extract (doc, '$.customer.phone')"
  "             THEN char (10) || customer_phone ELSE '' END"
  "         || ifnull (char (10) || nullif (lower (json_extract (doc, '$.customer.email')), ''), '')"
  "           AS block,"
  "         instr (search, char (10))"
  "         + instr (substr (search, instr (search, char (10)) + 1), char (10)) AS at"
  "       FROM tickets) AS s"
  " WHERE tickets.id = s.id;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == KEFU_SCHEMA_VERSION);

gboolean
kefu_schema_migrate (KefuDb  *db,
                     gint64   target,
                     GError **error)
{
  gint64 current;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (target >= 1 && target <= KEFU_SCHEMA_VERSION, FALSE);

  current = kefu_db_get_user_version (db);
  if (current < 0)
    return kefu_db_fail (db, error);

  if (current > KEFU_SCHEMA_VERSION)
    {
      g_set_error (error, KEFU_DB_ERROR, 0,
                   "the database has schema version %" G_GINT64_FORMAT
                   ", newer than this server (%d): upgrade the server",
                   current, KEFU_SCHEMA_VERSION);
      return FALSE;
    }

  for (gint64 v = current; v < target; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT ";",
                                               v + 1);

      if (!kefu_db_exec (db, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!kefu_db_exec (db, migrations[v], error) || !kefu_db_exec (db, bump, error))
        {
          kefu_db_exec (db, "ROLLBACK;", NULL);
          g_prefix_error (error, "migration to schema %" G_GINT64_FORMAT ": ", v + 1);
          return FALSE;
        }
      if (!kefu_db_exec (db, "COMMIT;", error))
        {
          kefu_db_exec (db, "ROLLBACK;", NULL);
          return FALSE;
        }
    }

  return TRUE;
}
