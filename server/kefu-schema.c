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
