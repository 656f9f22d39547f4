/* kefu-ticket-repo.c — tickets and their timelines in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ticket row keeps the wire document (kefu_ticket_to_json() with the full phone number and
 * without events) in `doc`, and copies into columns what lists filter and sort on. `clock` holds
 * the KefuTicketClock as JSON with microsecond integers (with "windows" since schema 3: what the
 * SLA scheduler handled). `search` is the lower-cased text that
 * GET /tickets?q= looks in: number, name, customer code, order number, description — not the
 * phone number or the e-mail address, which have columns of their own (`customer_phone`, the
 * last 11 digits; `phone_digits`, all of them; `email`, lower-cased) so that a role that sees
 * them masked matches them only whole (schema 6). `next_due` is the next instant the SLA scheduler must act on: the
 * earliest warning point or due that it has not handled yet (kefu_ticket_clock_next_point()),
 * NULL when there is none. Its partial index gives the scheduler its one timer.
 */
#include "config.h"

#include <string.h>

#include "kefu-error.h"
#include "kefu-json-mask.h"
#include "kefu-report-facts.h"
#include "kefu-ticket-repo.h"

/* ------------------------------------------------------------------------------------------ */
/* The clock                                                                                  */

KefuTicketClock *
kefu_ticket_clock_new (void)
{
  KefuTicketClock *clock = g_new0 (KefuTicketClock, 1);

  clock->pauses = g_array_new (FALSE, TRUE, sizeof (KefuSlaPause));

  return clock;
}

KefuTicketClock *
kefu_ticket_clock_copy (const KefuTicketClock *clock)
{
  KefuTicketClock *copy;

  g_return_val_if_fail (clock != NULL, NULL);

  copy = kefu_ticket_clock_new ();
  copy->assigned_at = clock->assigned_at;
  copy->last_contact_at = clock->last_contact_at;
  copy->reopened_at = clock->reopened_at;
  copy->return_requested_at = clock->return_requested_at;
  copy->return_approved_at = clock->return_approved_at;
  if (clock->pauses != NULL && clock->pauses->len > 0)
    g_array_append_vals (copy->pauses, clock->pauses->data, clock->pauses->len);
  copy->dues = clock->dues;
  memcpy (copy->window, clock->window, sizeof copy->window);
  memcpy (copy->handled_window, clock->handled_window, sizeof copy->handled_window);
  memcpy (copy->handled, clock->handled, sizeof copy->handled);

  return copy;
}

void
kefu_ticket_clock_free (KefuTicketClock *clock)
{
  if (clock == NULL)
    return;

  g_clear_pointer (&clock->pauses, g_array_unref);
  g_free (clock);
}

void
kefu_ticket_clock_set_windows (KefuTicketClock *clock,
                               gint64           registered_at,
                               gint64           accepted_at,
                               gint64           resolved_at)
{
  g_return_if_fail (clock != NULL);

  memset (clock->window, 0, sizeof clock->window);
  clock->window[KEFU_SLA_CLOCK_RESPONSE] = registered_at;
  clock->window[KEFU_SLA_CLOCK_RESOLVE] = clock->reopened_at != 0 ? clock->reopened_at
                                                                  : registered_at;
  clock->window[KEFU_SLA_CLOCK_ACCEPT] = clock->assigned_at;
  /* No update is owed before the acceptance: the window is 0 until then. */
  clock->window[KEFU_SLA_CLOCK_UPDATE] = accepted_at == 0 ? 0
                                         : MAX (accepted_at,
                                                MAX (clock->last_contact_at, clock->reopened_at));
  clock->window[KEFU_SLA_CLOCK_CONFIRM] = resolved_at;
  clock->window[KEFU_SLA_CLOCK_RETURN_REVIEW] = clock->return_requested_at;
  clock->window[KEFU_SLA_CLOCK_RETURN_PICKUP] = clock->return_approved_at;
}

KefuSlaStage
kefu_ticket_clock_get_stage (const KefuTicketClock *clock,
                             KefuSlaClock           which)
{
  g_return_val_if_fail (clock != NULL, KEFU_SLA_STAGE_NONE);
  g_return_val_if_fail ((guint) which < KEFU_SLA_CLOCK_LAST, KEFU_SLA_STAGE_NONE);

  if (clock->handled_window[which] != clock->window[which])
    return KEFU_SLA_STAGE_NONE;
  return clock->handled[which];
}

void
kefu_ticket_clock_set_stage (KefuTicketClock *clock,
                             KefuSlaClock     which,
                             KefuSlaStage     stage)
{
  g_return_if_fail (clock != NULL);
  g_return_if_fail ((guint) which < KEFU_SLA_CLOCK_LAST);

  clock->handled_window[which] = clock->window[which];
  clock->handled[which] = stage;
}

gint64
kefu_ticket_clock_next_point (const KefuTicketClock *clock)
{
  gint64 best = 0;

  g_return_val_if_fail (clock != NULL, 0);

  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    {
      gint64 due = clock->dues.due[i];
      gint64 warn = clock->dues.warn[i];
      KefuSlaStage stage;
      gint64 point;

      if (due == 0)
        continue;  /* met, not started or not applicable */

      stage = kefu_ticket_clock_get_stage (clock, i);
      if (stage == KEFU_SLA_STAGE_NONE && warn != 0 && warn != G_MAXINT64)
        point = warn;
      else if (stage != KEFU_SLA_STAGE_BREACHED && due != G_MAXINT64)
        point = due;
      else
        continue;  /* handled, or stopped by a pause */

      if (best == 0 || point < best)
        best = point;
    }

  return best;
}

static char *
node_to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static JsonNode *
text_to_node (const char  *text,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (text == NULL)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_INTERNAL, "missing JSON document");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;

  return json_parser_steal_root (parser);
}

/* The clock holds integers only (and the fixed clock names), so it is written directly: the
 * SLA scheduler rewrites thousands of clocks at once, and a JsonBuilder costs several times
 * more. clock_from_text() reads it with json-glib like any JSON. */
static char *
clock_to_text (const KefuTicketClock *clock)
{
  GString *out = g_string_sized_new (640);

  g_string_append_printf (out, "{\"assigned_at\":%" G_GINT64_FORMAT ",\"last_contact_at\":%"
                          G_GINT64_FORMAT ",\"reopened_at\":%" G_GINT64_FORMAT
                          ",\"return_requested_at\":%" G_GINT64_FORMAT
                          ",\"return_approved_at\":%" G_GINT64_FORMAT ",\"pauses\":[",
                          clock->assigned_at, clock->last_contact_at, clock->reopened_at,
                          clock->return_requested_at, clock->return_approved_at);
  for (guint i = 0; clock->pauses != NULL && i < clock->pauses->len; i++)
    {
      const KefuSlaPause *pause = &g_array_index (clock->pauses, KefuSlaPause, i);

      g_string_append_printf (out, "%s[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]",
                              i > 0 ? "," : "", pause->start, pause->end);
    }

  /* {"response":[due, warn], …} by clock name */
  g_string_append (out, "],\"dues\":{");
  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    g_string_append_printf (out, "%s\"%s\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]",
                            i > 0 ? "," : "", kefu_sla_clock_to_string (i),
                            clock->dues.due[i], clock->dues.warn[i]);

  /* {"response":[window start, handled window, handled stage], …} by clock name */
  g_string_append (out, "},\"windows\":{");
  for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
    g_string_append_printf (out, "%s\"%s\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%d]",
                            i > 0 ? "," : "", kefu_sla_clock_to_string (i),
                            clock->window[i], clock->handled_window[i], (int) clock->handled[i]);
  g_string_append (out, "}}");

  return g_string_free (out, FALSE);
}

static gint64
int_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static KefuTicketClock *
clock_from_text (const char  *text,
                 GError     **error)
{
  g_autoptr(KefuTicketClock) clock = kefu_ticket_clock_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *member;

  root = text_to_node (text, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_INTERNAL, "ticket clock is not an object");
      return NULL;
    }

  object = json_node_get_object (root);
  clock->assigned_at = int_member (object, "assigned_at");
  clock->last_contact_at = int_member (object, "last_contact_at");
  clock->reopened_at = int_member (object, "reopened_at");
  clock->return_requested_at = int_member (object, "return_requested_at");
  clock->return_approved_at = int_member (object, "return_approved_at");

  member = json_object_get_member (object, "pauses");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          KefuSlaPause pause;
          JsonArray *pair;

          if (!JSON_NODE_HOLDS_ARRAY (element))
            continue;
          pair = json_node_get_array (element);
          if (json_array_get_length (pair) != 2)
            continue;
          pause.start = json_array_get_int_element (pair, 0);
          pause.end = json_array_get_int_element (pair, 1);
          g_array_append_val (clock->pauses, pause);
        }
    }

  member = json_object_get_member (object, "dues");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *dues = json_node_get_object (member);

      for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
        {
          JsonNode *pair_node = json_object_get_member (dues, kefu_sla_clock_to_string (i));
          JsonArray *pair;

          if (pair_node == NULL || !JSON_NODE_HOLDS_ARRAY (pair_node))
            continue;
          pair = json_node_get_array (pair_node);
          if (json_array_get_length (pair) != 2)
            continue;
          clock->dues.due[i] = json_array_get_int_element (pair, 0);
          clock->dues.warn[i] = json_array_get_int_element (pair, 1);
        }
    }

  member = json_object_get_member (object, "windows");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *windows = json_node_get_object (member);

      for (guint i = 0; i < KEFU_SLA_CLOCK_LAST; i++)
        {
          JsonNode *triple_node = json_object_get_member (windows, kefu_sla_clock_to_string (i));
          JsonArray *triple;
          gint64 stage;

          if (triple_node == NULL || !JSON_NODE_HOLDS_ARRAY (triple_node))
            continue;
          triple = json_node_get_array (triple_node);
          if (json_array_get_length (triple) != 3)
            continue;
          clock->window[i] = json_array_get_int_element (triple, 0);
          clock->handled_window[i] = json_array_get_int_element (triple, 1);
          stage = json_array_get_int_element (triple, 2);
          clock->handled[i] = CLAMP (stage, KEFU_SLA_STAGE_NONE, KEFU_SLA_STAGE_BREACHED);
        }
    }

  return g_steal_pointer (&clock);
}

/* ------------------------------------------------------------------------------------------ */
/* Row columns                                                                                */

/* Every digit of a phone number; NULL for NULL or no digits. */
static char *
phone_digits (const char *phone)
{
  GString *digits;

  if (phone == NULL)
    return NULL;

  digits = g_string_new (NULL);
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }

  return g_string_free (digits, FALSE);
}

/* The digits of a phone number, the last 11 of a longer (international) one, so that
 * "+86 138-1234-5678" and "13812345678" are the same customer. NULL for NULL or no digits. */
static char *
normalize_phone (const char *phone)
{
  char *digits = phone_digits (phone);
  gsize len = digits != NULL ? strlen (digits) : 0;

  if (len > 11)
    memmove (digits, digits + len - 11, 12);
  return digits;
}

static void
append_search (GString    *search,
               const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL || *text == '\0')
    return;

  lower = g_utf8_strdown (text, -1);
  if (search->len > 0)
    g_string_append_c (search, '\n');
  g_string_append (search, lower);
}


/* Without the phone number and the e-mail address: see the top of the file. */
static char *
search_text (const KefuTicket *ticket)
{
  GString *search = g_string_new (NULL);

  append_search (search, ticket->number);
  append_search (search, ticket->customer.name);
  append_search (search, ticket->customer.code);
  append_search (search, ticket->customer.order_no);
  append_search (search, ticket->description);

  return g_string_free (search, FALSE);
}

/* Binds the columns shared by INSERT and UPDATE, in this order:
 * number, version, status, priority, category, channel, assignee_id, department,
 * customer_phone, order_no, search, registered_at, updated_at, next_due, clock, doc,
 * phone_digits, email. */
static void
bind_columns (sqlite3_stmt          *stmt,
              const KefuTicket      *ticket,
              const KefuTicketClock *clock)
{
  g_autoptr(JsonNode) doc = kefu_ticket_to_json (ticket, KEFU_TICKET_JSON_DEFAULT);
  g_autofree char *doc_text = node_to_text (doc);
  g_autofree char *clock_text = clock_to_text (clock);
  g_autofree char *search = search_text (ticket);
  g_autofree char *phone = normalize_phone (ticket->customer.phone);
  g_autofree char *digits = phone_digits (ticket->customer.phone);
  g_autofree char *email = ticket->customer.email != NULL
                           ? g_utf8_strdown (ticket->customer.email, -1) : NULL;
  int i = 1;

  kefu_db_bind_text (stmt, i++, ticket->number);
  sqlite3_bind_int64 (stmt, i++, ticket->version);
  kefu_db_bind_text (stmt, i++, kefu_status_to_string (ticket->status));
  sqlite3_bind_int (stmt, i++, ticket->priority);
  kefu_db_bind_text (stmt, i++, kefu_category_to_string (ticket->category));
  kefu_db_bind_text (stmt, i++, kefu_channel_to_string (ticket->channel));
  if (ticket->assignee.id != 0)
    sqlite3_bind_int64 (stmt, i++, ticket->assignee.id);
  else
    sqlite3_bind_null (stmt, i++);
  kefu_db_bind_text (stmt, i++, ticket->department);
  kefu_db_bind_text (stmt, i++, phone);
  kefu_db_bind_text (stmt, i++, ticket->customer.order_no);
  kefu_db_bind_text (stmt, i++, search);
  sqlite3_bind_int64 (stmt, i++, ticket->registered_at);
  sqlite3_bind_int64 (stmt, i++, ticket->updated_at);
  kefu_db_bind_time (stmt, i++, kefu_ticket_clock_next_point (clock));
  kefu_db_bind_text (stmt, i++, clock_text);
  kefu_db_bind_text (stmt, i++, doc_text);
  kefu_db_bind_text (stmt, i++, digits);
  kefu_db_bind_text (stmt, i++, email);
}

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                    */

gboolean
kefu_ticket_repo_next_serial (KefuDb   *db,
                              guint32   day_key,
                              guint    *out_serial,
                              GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 serial;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (out_serial != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kefu_db_prepare (db,
                          "INSERT INTO day_serials (day, last) VALUES (?, 1)"
                          " ON CONFLICT (day) DO UPDATE SET last = last + 1"
                          " RETURNING last",
                          error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, day_key);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kefu_db_fail (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  serial = sqlite3_column_int64 (stmt, 0);
  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;

  if (serial < 1 || serial > G_MAXUINT)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                   "ticket serial %" G_GINT64_FORMAT " of day %u is out of range",
                   serial, day_key);
      return FALSE;
    }

  *out_serial = (guint) serial;
  return TRUE;
}

static gboolean
insert_event (KefuDb          *db,
              gint64           ticket_id,
              KefuTicketEvent *event,
              GError         **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *data = NULL;

  stmt = kefu_db_prepare (db,
                          "INSERT INTO ticket_events (ticket_id, kind, at, actor_id, actor_name,"
                          " text, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          error);
  if (stmt == NULL)
    return FALSE;

  if (event->data != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event->data);

      data = node_to_text (node);
    }

  sqlite3_bind_int64 (stmt, 1, ticket_id);
  kefu_db_bind_text (stmt, 2, kefu_event_kind_to_string (event->kind));
  sqlite3_bind_int64 (stmt, 3, event->at);
  if (event->actor.id != 0)
    sqlite3_bind_int64 (stmt, 4, event->actor.id);
  else
    sqlite3_bind_null (stmt, 4);
  kefu_db_bind_text (stmt, 5, event->actor.display_name);
  kefu_db_bind_text (stmt, 6, event->text);
  kefu_db_bind_text (stmt, 7, data);

  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;

  event->id = sqlite3_last_insert_rowid (kefu_db_handle (db));
  return TRUE;
}

gboolean
kefu_ticket_repo_insert (KefuDb                *db,
                         KefuTicket            *ticket,
                         const KefuTicketClock *clock,
                         GError               **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->number != NULL, FALSE);
  g_return_val_if_fail (clock != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kefu_db_prepare (db,
                          "INSERT INTO tickets (number, version, status, priority, category,"
                          " channel, assignee_id, department, customer_phone, order_no, search,"
                          " registered_at, updated_at, next_due, clock, doc, phone_digits, email)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          error);
  if (stmt == NULL)
    return FALSE;

  bind_columns (stmt, ticket, clock);
  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;

  ticket->id = sqlite3_last_insert_rowid (kefu_db_handle (db));
  if (!kefu_report_facts_update (db, ticket, clock, error))
    return FALSE;

  for (guint i = 0; ticket->events != NULL && i < ticket->events->len; i++)
    {
      if (!insert_event (db, ticket->id, g_ptr_array_index (ticket->events, i), error))
        return FALSE;
    }
  ticket->timeline_total = ticket->events != NULL ? ticket->events->len : 0;

  return TRUE;
}

gboolean
kefu_ticket_repo_update (KefuDb                *db,
                         KefuTicket            *ticket,
                         const KefuTicketClock *clock,
                         GError               **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id > 0, FALSE);
  g_return_val_if_fail (clock != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kefu_db_prepare (db,
                          "UPDATE tickets SET number = ?, version = ?, status = ?, priority = ?,"
                          " category = ?, channel = ?, assignee_id = ?, department = ?,"
                          " customer_phone = ?, order_no = ?, search = ?, registered_at = ?,"
                          " updated_at = ?, next_due = ?, clock = ?, doc = ?, phone_digits = ?,"
                          " email = ? WHERE id = ?",
                          error);
  if (stmt == NULL)
    return FALSE;

  bind_columns (stmt, ticket, clock);
  sqlite3_bind_int64 (stmt, 19, ticket->id);
  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (kefu_db_handle (db)) != 1)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "no ticket %s", ticket->number);
      return FALSE;
    }

  return kefu_report_facts_update (db, ticket, clock, error);
}

gboolean
kefu_ticket_repo_append_event (KefuDb                *db,
                               KefuTicket            *ticket,
                               const KefuTicketEvent *event,
                               GError               **error)
{
  g_autoptr(KefuTicketEvent) copy = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id > 0, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copy = kefu_ticket_event_copy (event);
  if (!insert_event (db, ticket->id, copy, error))
    return FALSE;

  /* The header promises event->id; the caller's event is const, so it learns the id from the
   * copy added to the ticket (when loaded). */
  ((KefuTicketEvent *) event)->id = copy->id;

  /* The loaded timeline stays the newest KEFU_TIMELINE_PAGE events, as a fresh load would
   * give: the answer to a change is bounded like the answer to a GET. */
  if (ticket->events != NULL)
    {
      gint64 total = kefu_ticket_timeline_total (ticket) + 1;

      g_ptr_array_add (ticket->events, g_steal_pointer (&copy));
      if (ticket->events->len > KEFU_TIMELINE_PAGE)
        g_ptr_array_remove_range (ticket->events, 0,
                                  ticket->events->len - KEFU_TIMELINE_PAGE);
      ticket->timeline_total = total;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                    */

static KefuTicket *
ticket_from_doc (gint64       id,
                 const char  *doc,
                 GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  KefuTicket *ticket;

  node = text_to_node (doc, error);
  if (node == NULL)
    return NULL;

  ticket = kefu_ticket_from_json (node, error);
  if (ticket == NULL)
    {
      g_prefix_error (error, "ticket %" G_GINT64_FORMAT " is damaged: ", id);
      return NULL;
    }

  ticket->id = id;
  return ticket;
}

/* How many events the timeline of ticket @ticket_id has (-1 on error): counted on the index
 * (ticket_id, id), so it costs little even for a long timeline. */
static gint64
count_events (KefuDb  *db,
              gint64   ticket_id,
              GError **error)
{
  sqlite3_stmt *stmt;
  gint64 count;

  stmt = kefu_db_prepare (db, "SELECT count(*) FROM ticket_events WHERE ticket_id = ?", error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, ticket_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      kefu_db_fail (db, error);
      sqlite3_reset (stmt);
      return -1;
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/* Up to @limit events of ticket @ticket_id older than the event @before (0: the newest), oldest
 * first; *out_more (nullable) tells whether older ones remain. */
static GPtrArray *
load_events (KefuDb    *db,
             gint64     ticket_id,
             gint64     before,
             guint      limit,
             gboolean  *out_more,
             GError   **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = kefu_db_prepare (db,
                          "SELECT id, kind, at, actor_id, actor_name, text, data"
                          " FROM ticket_events WHERE ticket_id = ?1 AND id < ?2"
                          " ORDER BY id DESC LIMIT ?3",
                          error);
  if (stmt == NULL)
    return NULL;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_event_free);
  sqlite3_bind_int64 (stmt, 1, ticket_id);
  sqlite3_bind_int64 (stmt, 2, before > 0 ? before : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KefuTicketEvent) event = kefu_ticket_event_new (KEFU_EVENT_NOTE, 0);
      const char *data = kefu_db_column_text (stmt, 6);

      event->id = sqlite3_column_int64 (stmt, 0);
      if (!kefu_event_kind_from_string (kefu_db_column_text (stmt, 1), &event->kind))
        {
          g_set_error (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                       "timeline event %" G_GINT64_FORMAT " has an unknown kind", event->id);
          sqlite3_reset (stmt);
          return NULL;
        }
      event->at = sqlite3_column_int64 (stmt, 2);
      kefu_user_ref_set (&event->actor, sqlite3_column_int64 (stmt, 3),
                         kefu_db_column_text (stmt, 4));
      event->text = kefu_db_column_dup (stmt, 5);
      if (data != NULL)
        {
          g_autoptr(JsonNode) node = text_to_node (data, NULL);

          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
            event->data = json_object_ref (json_node_get_object (node));
        }

      g_ptr_array_add (events, g_steal_pointer (&event));
    }

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      return NULL;
    }

  /* One row more than asked for: older ones remain. */
  if (out_more != NULL)
    *out_more = events->len > limit;
  if (events->len > limit)
    g_ptr_array_set_size (events, limit);

  /* Read newest first; the timeline goes oldest first. */
  for (guint i = 0, j = events->len > 0 ? events->len - 1 : 0; i < j; i++, j--)
    {
      gpointer tmp = events->pdata[i];

      events->pdata[i] = events->pdata[j];
      events->pdata[j] = tmp;
    }

  return g_steal_pointer (&events);
}

KefuTicket *
kefu_ticket_repo_load (KefuDb           *db,
                       const char       *number,
                       gboolean          with_events,
                       KefuTicketClock **out_clock,
                       GError          **error)
{
  g_autoptr(KefuTicket) ticket = NULL;
  g_autoptr(KefuTicketClock) clock = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *clock_text = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kefu_db_prepare (db, "SELECT id, clock, doc FROM tickets WHERE number = ?", error);
  if (stmt == NULL)
    return NULL;

  kefu_db_bind_text (stmt, 1, number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "there is no ticket %s", number);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      kefu_db_fail (db, error);
      sqlite3_reset (stmt);
      return NULL;
    }

  id = sqlite3_column_int64 (stmt, 0);
  clock_text = kefu_db_column_dup (stmt, 1);
  doc = kefu_db_column_dup (stmt, 2);
  sqlite3_reset (stmt);

  ticket = ticket_from_doc (id, doc, error);
  if (ticket == NULL)
    return NULL;

  if (out_clock != NULL)
    {
      clock = clock_from_text (clock_text, error);
      if (clock == NULL)
        return NULL;
    }

  if (with_events)
    {
      GPtrArray *events = load_events (db, id, 0, KEFU_TIMELINE_PAGE, NULL, error);
      gint64 total;

      if (events == NULL)
        return NULL;
      g_clear_pointer (&ticket->events, g_ptr_array_unref);
      ticket->events = events;
      total = count_events (db, id, error);
      if (total < 0)
        return NULL;
      ticket->timeline_total = total;
    }

  if (out_clock != NULL)
    *out_clock = g_steal_pointer (&clock);

  return g_steal_pointer (&ticket);
}

GPtrArray *
kefu_ticket_repo_load_timeline (KefuDb      *db,
                                const char  *number,
                                gint64       before,
                                guint        limit,
                                gint64      *out_total,
                                gboolean    *out_more,
                                GError     **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kefu_db_prepare (db, "SELECT id FROM tickets WHERE number = ?", error);
  if (stmt == NULL)
    return NULL;

  kefu_db_bind_text (stmt, 1, number);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "there is no ticket %s", number);
      else
        kefu_db_fail (db, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  events = load_events (db, id, before, limit, out_more, error);
  if (events == NULL)
    return NULL;

  if (out_total != NULL)
    {
      *out_total = count_events (db, id, error);
      if (*out_total < 0)
        return NULL;
    }

  return g_steal_pointer (&events);
}

void
kefu_ticket_query_clear (KefuTicketQuery *query)
{
  g_return_if_fail (query != NULL);

  g_clear_pointer (&query->statuses, g_array_unref);
  g_clear_pointer (&query->priorities, g_array_unref);
  g_clear_pointer (&query->categories, g_array_unref);
  g_clear_pointer (&query->department, g_free);
  g_clear_pointer (&query->text, g_free);
  memset (query, 0, sizeof *query);
}

/* A dynamic query: SQL text plus its bindings in order. */
typedef struct {
  gboolean  is_text;
  gint64    number;
  char     *text;
} Binding;

static void
binding_clear (gpointer data)
{
  Binding *binding = data;

  g_free (binding->text);
}

static void
bind_int (GArray *bindings,
          gint64  value)
{
  Binding b = { FALSE, value, NULL };

  g_array_append_val (bindings, b);
}

static void
bind_text (GArray     *bindings,
           const char *value)
{
  Binding b = { TRUE, 0, g_strdup (value) };

  g_array_append_val (bindings, b);
}

static void
add_word_list (GString    *sql,
               GArray     *bindings,
               const char *column,
               const char * const *words,
               guint       n_words)
{
  g_string_append_printf (sql, " AND %s IN (", column);
  for (guint i = 0; i < n_words; i++)
    {
      g_string_append (sql, i == 0 ? "?" : ", ?");
      bind_text (bindings, words[i]);
    }
  g_string_append (sql, ")");
}

/* "50%_off" → "50\%\_off" for LIKE … ESCAPE '\'. */
static char *
like_escape (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }

  return g_string_free (escaped, FALSE);
}

/* Whether @text could be (part of) a phone number as people type them: digits, spaces,
 * dashes, a leading +, and at least one digit. */
static gboolean
is_phone_like (const char *text)
{
  gboolean digit = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (!(*p == ' ' || *p == '-' || (*p == '+' && p == text)))
        return FALSE;
    }
  return digit;
}

/* GET /tickets?q=: @text in the search text (any part), or in the phone number and e-mail
 * address by the rule of kefu_user_sees_full_phone(). Where @viewer sees them masked — every
 * ticket of a masked role but those assigned to them — only the whole number (compared as
 * the duplicate check does: its last 11 digits), its last four digits (how staff check a
 * caller's identity; they are shown anyway) or the whole address match, so that no sequence of
 * searches narrows the hidden digits down. */
static void
add_text_match (GString        *sql,
                GArray         *bindings,
                const char     *text,
                const KefuUser *viewer)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_autofree char *escaped = like_escape (lower);
  g_autofree char *pattern = g_strconcat ("%", escaped, "%", NULL);
  g_autofree char *digits = is_phone_like (text) ? phone_digits (text) : NULL;
  gboolean everywhere = viewer != NULL && kefu_role_sees_full_phone (viewer->role);

  /* LIKE folds ASCII case only; both sides are already lower-cased. */
  g_string_append (sql, " AND (search LIKE ? ESCAPE '\\' OR email = ?");
  bind_text (bindings, pattern);
  bind_text (bindings, lower);

  if (digits != NULL && strlen (digits) == 4)
    {
      g_string_append (sql, " OR substr (customer_phone, -4) = ?");
      bind_text (bindings, digits);
    }
  else if (digits != NULL)
    {
      g_autofree char *whole = normalize_phone (digits);

      g_string_append (sql, " OR customer_phone = ?");
      bind_text (bindings, whole);
    }

  /* Any part, where the number is shown in full. */
  if (everywhere || viewer != NULL)
    {
      g_string_append (sql, everywhere ? " OR ((1)" : " OR (assignee_id = ?");
      if (!everywhere)
        bind_int (bindings, viewer->id);
      g_string_append (sql, " AND (email LIKE ? ESCAPE '\\'");
      bind_text (bindings, pattern);
      if (digits != NULL)
        {
          g_autofree char *escaped_digits = like_escape (digits);
          g_autofree char *digit_pattern = g_strconcat ("%", escaped_digits, "%", NULL);

          g_string_append (sql, " OR phone_digits LIKE ? ESCAPE '\\'");
          bind_text (bindings, digit_pattern);
        }
      g_string_append (sql, "))");
    }

  g_string_append (sql, ")");
}

/* The statement selecting (id, doc) of one page of @query, newest first, with one row more
 * than the page holds when there is a next page.
 *
 * The page's ids are chosen first and only then their documents read: with the filters on
 * indexed columns (status, the usual one) SQLite walks the index and sorts what matches by
 * id, and sorting whole rows copied every document below the cursor into the sorter on every
 * page (20–55 ms a page at 20,000 open tickets, the list's cost); sorting ids costs a tenth. */
static sqlite3_stmt *
prepare_list (KefuDb                *db,
              const KefuTicketQuery *query,
              guint                 *out_limit,
              GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT id, doc FROM tickets WHERE id IN"
                                         " (SELECT id FROM tickets WHERE 1");
  g_autoptr(GArray) bindings = g_array_new (FALSE, TRUE, sizeof (Binding));
  sqlite3_stmt *stmt = NULL;
  guint limit;

  g_array_set_clear_func (bindings, binding_clear);
  limit = CLAMP (query->limit, 1, 500);
  *out_limit = limit;

  if (query->statuses != NULL)
    {
      g_autofree const char **words = g_new0 (const char *, query->statuses->len + 1);

      for (guint i = 0; i < query->statuses->len; i++)
        words[i] = kefu_status_to_string (g_array_index (query->statuses, KefuStatus, i));
      if (query->statuses->len == 0)
        g_string_append (sql, " AND 0");
      else
        add_word_list (sql, bindings, "status", words, query->statuses->len);
    }

  if (query->open_only)
    {
      const char *words[KEFU_STATUS_LAST];
      guint n = 0;

      for (KefuStatus s = 0; s < KEFU_STATUS_LAST; s++)
        {
          if (kefu_status_is_open (s))
            words[n++] = kefu_status_to_string (s);
        }
      add_word_list (sql, bindings, "status", words, n);
    }

  if (query->priorities != NULL)
    {
      if (query->priorities->len == 0)
        g_string_append (sql, " AND 0");
      else
        {
          g_string_append (sql, " AND priority IN (");
          for (guint i = 0; i < query->priorities->len; i++)
            {
              g_string_append (sql, i == 0 ? "?" : ", ?");
              bind_int (bindings, g_array_index (query->priorities, int, i));
            }
          g_string_append (sql, ")");
        }
    }

  if (query->categories != NULL)
    {
      g_autofree const char **words = g_new0 (const char *, query->categories->len + 1);

      for (guint i = 0; i < query->categories->len; i++)
        words[i] = kefu_category_to_string (g_array_index (query->categories, KefuCategory, i));
      if (query->categories->len == 0)
        g_string_append (sql, " AND 0");
      else
        add_word_list (sql, bindings, "category", words, query->categories->len);
    }

  if (query->assignee_none)
    g_string_append (sql, " AND assignee_id IS NULL");
  else if (query->assignee_id != 0)
    {
      g_string_append (sql, " AND assignee_id = ?");
      bind_int (bindings, query->assignee_id);
    }

  if (query->department != NULL)
    {
      g_string_append (sql, " AND department = ?");
      bind_text (bindings, query->department);
    }

  if (query->text != NULL && *query->text != '\0')
    add_text_match (sql, bindings, query->text, query->viewer);

  if (query->updated_since != 0)
    {
      g_string_append (sql, " AND updated_at >= ?");
      bind_int (bindings, query->updated_since);
    }

  if (query->cursor > 0)
    {
      g_string_append (sql, " AND id < ?");
      bind_int (bindings, query->cursor);
    }

  g_string_append (sql, " ORDER BY id DESC LIMIT ?) ORDER BY id DESC");
  bind_int (bindings, (gint64) limit + 1);

  /* The SQL varies with the filters: prepared here, not from the connection's cache (which
   * keys on string literals). */
  if (sqlite3_prepare_v2 (kefu_db_handle (db), sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      kefu_db_fail (db, error);
      return NULL;
    }

  for (guint i = 0; i < bindings->len; i++)
    {
      Binding *b = &g_array_index (bindings, Binding, i);

      if (b->is_text)
        kefu_db_bind_text (stmt, (int) i + 1, b->text);
      else
        sqlite3_bind_int64 (stmt, (int) i + 1, b->number);
    }

  return stmt;
}

GPtrArray *
kefu_ticket_repo_list (KefuDb                *db,
                       const KefuTicketQuery *query,
                       gint64                *next_cursor,
                       GError               **error)
{
  g_autoptr(GPtrArray) tickets = NULL;
  sqlite3_stmt *stmt;
  guint limit;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = prepare_list (db, query, &limit, error);
  if (stmt == NULL)
    return NULL;

  tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_unref);
  if (next_cursor != NULL)
    *next_cursor = 0;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      KefuTicket *ticket;

      if (tickets->len == limit)
        {
          /* One more row than asked for: there is a next page, continuing below the last
           * ticket returned. */
          if (next_cursor != NULL)
            *next_cursor = ((KefuTicket *) g_ptr_array_index (tickets, tickets->len - 1))->id;
          break;
        }

      ticket = ticket_from_doc (id, kefu_db_column_text (stmt, 1), error);
      if (ticket == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (tickets, ticket);
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_steal_pointer (&tickets);
}

/**
 * kefu_ticket_repo_list_json:
 * @out: where the page's tickets are appended, as JSON objects separated by commas
 *
 * The page of kefu_ticket_repo_list() as wire text with customers' phone numbers masked,
 * straight from the stored documents: a list page neither decodes nor re-encodes a ticket
 * (that was nine tenths of its cost). The stored document is kefu_ticket_to_json() of the
 * ticket, so the text is what encoding each ticket with KEFU_TICKET_JSON_MASK_PHONE gives.
 *
 * Returns: the number of tickets appended, or -1 with @error set.
 */
gssize
kefu_ticket_repo_list_json (KefuDb                *db,
                            const KefuTicketQuery *query,
                            GString               *out,
                            gint64                *next_cursor,
                            GError               **error)
{
  sqlite3_stmt *stmt;
  gint64 last_id = 0;
  gssize n = 0;
  guint limit;
  int rc;

  g_return_val_if_fail (db != NULL, -1);
  g_return_val_if_fail (query != NULL, -1);
  g_return_val_if_fail (out != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  stmt = prepare_list (db, query, &limit, error);
  if (stmt == NULL)
    return -1;

  if (next_cursor != NULL)
    *next_cursor = 0;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *doc = (const char *) sqlite3_column_text (stmt, 1);
      int doc_len = sqlite3_column_bytes (stmt, 1);

      if ((guint) n == limit)
        {
          if (next_cursor != NULL)
            *next_cursor = last_id;
          break;
        }

      if (n > 0)
        g_string_append_c (out, ',');

      if (doc == NULL || !kefu_json_append_masked (out, doc, doc_len))
        {
          /* An escape in a phone number: through the decoder. */
          g_autoptr(KefuTicket) ticket = ticket_from_doc (id, doc != NULL ? doc : "", error);
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *text = NULL;

          if (ticket == NULL)
            {
              sqlite3_finalize (stmt);
              return -1;
            }
          node = kefu_ticket_to_json (ticket, KEFU_TICKET_JSON_MASK_PHONE);
          text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }

      last_id = id;
      n++;
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      sqlite3_finalize (stmt);
      return -1;
    }

  sqlite3_finalize (stmt);
  return n;
}

GPtrArray *
kefu_ticket_repo_find_open_duplicates (KefuDb      *db,
                                       const char  *phone,
                                       const char  *order_no,
                                       GError     **error)
{
  g_autoptr(GPtrArray) tickets = NULL;
  g_autofree char *digits = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_unref);
  digits = normalize_phone (phone);
  if (order_no != NULL && *order_no == '\0')
    order_no = NULL;
  if (digits == NULL && order_no == NULL)
    return g_steal_pointer (&tickets);

  stmt = kefu_db_prepare (db,
                          "SELECT id, doc FROM tickets"
                          " WHERE status NOT IN ('resolved', 'closed', 'cancelled')"
                          " AND (customer_phone = ?1 OR order_no = ?2)"
                          " ORDER BY id DESC LIMIT 50",
                          error);
  if (stmt == NULL)
    return NULL;

  kefu_db_bind_text (stmt, 1, digits);
  kefu_db_bind_text (stmt, 2, order_no);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KefuTicket *ticket = ticket_from_doc (sqlite3_column_int64 (stmt, 0),
                                            kefu_db_column_text (stmt, 1), error);

      if (ticket == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (tickets, ticket);
    }

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kefu_db_fail (db, error);
      return NULL;
    }

  return g_steal_pointer (&tickets);
}

/* ------------------------------------------------------------------------------------------ */
/* The SLA scheduler                                                                          */

gint64
kefu_ticket_repo_earliest_due (KefuDb  *db,
                               GError **error)
{
  sqlite3_stmt *stmt;
  gint64 earliest = 0;
  int rc;

  g_return_val_if_fail (db != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* min() over the partial index tickets_next_due: one index lookup. */
  stmt = kefu_db_prepare (db, "SELECT min (next_due) FROM tickets WHERE next_due IS NOT NULL",
                          error);
  if (stmt == NULL)
    return 0;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    earliest = sqlite3_column_int64 (stmt, 0);  /* NULL reads as 0 */
  else
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);

  return earliest;
}

static gboolean
clear_next_due (KefuDb  *db,
                gint64   id,
                GError **error)
{
  sqlite3_stmt *stmt = kefu_db_prepare (db, "UPDATE tickets SET next_due = NULL WHERE id = ?",
                                        error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return kefu_db_step_done (db, stmt, error);
}

void
kefu_due_ticket_free (KefuDueTicket *ticket)
{
  if (ticket == NULL)
    return;

  g_free (ticket->number);
  g_free (ticket->department);
  g_clear_pointer (&ticket->clock, kefu_ticket_clock_free);
  g_free (ticket);
}

static gint64
iso_column (sqlite3_stmt *stmt,
            int           col)
{
  gint64 usec = 0;
  const char *text = kefu_db_column_text (stmt, col);

  if (text != NULL && !kefu_time_from_iso8601 (text, &usec))
    usec = 0;
  return usec;
}

gboolean
kefu_ticket_repo_load_due (KefuDb     *db,
                           gint64      now,
                           guint       limit,
                           GPtrArray  *out,
                           GError    **error)
{
  g_autoptr(GArray) damaged = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (limit > 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kefu_db_prepare (db,
                          "SELECT id, number, priority, assignee_id, department, registered_at,"
                          " json_extract (doc, '$.sla.resolved_at'),"
                          " json_extract (doc, '$.escalation_level'),"
                          " json_extract (doc, '$.sla.state'), clock,"
                          " json_extract (doc, '$.sla.accepted_at')"
                          " FROM tickets WHERE next_due IS NOT NULL AND next_due <= ?"
                          " ORDER BY next_due LIMIT ?",
                          error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(KefuDueTicket) ticket = g_new0 (KefuDueTicket, 1);

      ticket->id = sqlite3_column_int64 (stmt, 0);
      ticket->number = kefu_db_column_dup (stmt, 1);
      ticket->priority = sqlite3_column_int (stmt, 2);
      ticket->assignee_id = sqlite3_column_int64 (stmt, 3);
      ticket->department = kefu_db_column_dup (stmt, 4);
      ticket->registered_at = sqlite3_column_int64 (stmt, 5);
      ticket->resolved_at = iso_column (stmt, 6);
      ticket->escalation_level = sqlite3_column_int (stmt, 7);
      if (!kefu_sla_state_from_string (kefu_db_column_text (stmt, 8), &ticket->state))
        ticket->state = KEFU_SLA_STATE_OK;
      ticket->clock = clock_from_text (kefu_db_column_text (stmt, 9), &local_error);
      ticket->accepted_at = iso_column (stmt, 10);

      if (ticket->clock == NULL || ticket->number == NULL || ticket->priority < 1 ||
          ticket->priority > 4)
        {
          g_warning ("SLA: ticket %" G_GINT64_FORMAT " is left out of the clocks: %s",
                     ticket->id, local_error ? local_error->message : "damaged row");
          g_array_append_val (damaged, ticket->id);
          continue;
        }

      g_ptr_array_add (out, g_steal_pointer (&ticket));
    }

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kefu_db_fail (db, error);

  for (guint i = 0; i < damaged->len; i++)
    {
      if (!clear_next_due (db, g_array_index (damaged, gint64, i), error))
        return FALSE;
    }

  return TRUE;
}

gboolean
kefu_ticket_repo_update_due (KefuDb               *db,
                             const KefuDueTicket  *ticket,
                             gboolean              visible,
                             gint64                at,
                             GError              **error)
{
  g_autofree char *clock_text = NULL;
  g_autofree char *at_text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id > 0 && ticket->clock != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  clock_text = clock_to_text (ticket->clock);

  if (!visible)
    {
      stmt = kefu_db_prepare (db, "UPDATE tickets SET next_due = ?, clock = ? WHERE id = ?",
                              error);
      if (stmt == NULL)
        return FALSE;
      kefu_db_bind_time (stmt, 1, kefu_ticket_clock_next_point (ticket->clock));
      kefu_db_bind_text (stmt, 2, clock_text);
      sqlite3_bind_int64 (stmt, 3, ticket->id);
      return kefu_db_step_done (db, stmt, error);
    }

  /* Only these columns, so that the other indexes are left alone: a few pages per ticket. */
  stmt = kefu_db_prepare (db,
                          "UPDATE tickets SET version = version + 1, updated_at = ?1,"
                          " next_due = ?2, clock = ?3,"
                          " doc = json_set (doc, '$.version', version + 1, '$.updated_at', ?4,"
                          "                 '$.escalation_level', ?5, '$.sla.state', ?6)"
                          " WHERE id = ?7",
                          error);
  if (stmt == NULL)
    return FALSE;

  at_text = kefu_time_to_iso8601 (at);
  sqlite3_bind_int64 (stmt, 1, at);
  kefu_db_bind_time (stmt, 2, kefu_ticket_clock_next_point (ticket->clock));
  kefu_db_bind_text (stmt, 3, clock_text);
  kefu_db_bind_text (stmt, 4, at_text);
  sqlite3_bind_int (stmt, 5, ticket->escalation_level);
  kefu_db_bind_text (stmt, 6, kefu_sla_state_to_string (ticket->state));
  sqlite3_bind_int64 (stmt, 7, ticket->id);
  if (!kefu_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (kefu_db_handle (db)) != 1)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND, "no ticket %s", ticket->number);
      return FALSE;
    }
  if (!kefu_report_facts_raise_escalation (db, ticket->id, ticket->escalation_level, error))
    return FALSE;

  /* The live event carries the document as stored, like every ticket.updated. */
  stmt = kefu_db_prepare (db,
                          "INSERT INTO events (type, at, data)"
                          " SELECT 'ticket.updated', ?, doc FROM tickets WHERE id = ?",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_int64 (stmt, 2, ticket->id);
  return kefu_db_step_done (db, stmt, error);
}

gboolean
kefu_ticket_repo_insert_event (KefuDb           *db,
                               gint64            ticket_id,
                               KefuTicketEvent  *event,
                               GError          **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (ticket_id > 0, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_event (db, ticket_id, event, error);
}

gint64
kefu_outbox_append (KefuDb      *db,
                    const char  *type,
                    gint64       at,
                    JsonNode    *data,
                    GError     **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, 0);
  g_return_val_if_fail (type != NULL, 0);
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  stmt = kefu_db_prepare (db, "INSERT INTO events (type, at, data) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return 0;

  text = node_to_text (data);
  kefu_db_bind_text (stmt, 1, type);
  sqlite3_bind_int64 (stmt, 2, at);
  kefu_db_bind_text (stmt, 3, text);
  if (!kefu_db_step_done (db, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (kefu_db_handle (db));
}
