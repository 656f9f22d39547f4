/* test-search.c — GET /tickets?q= cannot unmask a phone number or an e-mail address: roles that
 * see "135****7718" find a ticket by the whole number, its last four digits or the whole
 * address, never by a part; roles that see the full number (and a ticket's assignee) still
 * find it by any part
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "after-sales-common.h"

typedef struct {
  char *masked;     /* 135-1234-7718, wang.xiaoming@example.com */
  char *same_four;  /* +86 137 0000 7718 */
  char *other;      /* 13900001111 */
} Tickets;

static char *
create_contact (Fixture    *f,
                const char *phone,
                const char *email)
{
  g_autofree char *body = NULL;
  g_autoptr(KefuTestResponse) r = NULL;

  body = g_strdup_printf ("{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":3,"
                          "\"submitted_at\":\"2026-11-23T07:55:00Z\","
                          "\"description\":\"洗衣机无法开机\",\"customer\":{\"name\":\"王小明\","
                          "\"phone\":\"%s\"%s%s%s}}",
                          phone, email ? ",\"email\":\"" : "", email ? email : "",
                          email ? "\"" : "");
  r = call (f, "agent", "POST", "/tickets", body, -1);
  assert_status (r, 201);
  return g_strdup (json_object_get_string_member (kefu_test_object (r), "number"));
}

static void
create_tickets (Fixture *f,
                Tickets *t)
{
  t->masked = create_contact (f, "135-1234-7718", "Wang.Xiaoming@example.com");
  t->same_four = create_contact (f, "+86 137 0000 7718", NULL);
  t->other = create_contact (f, "13900001111", "li@example.org");
}

static void
tickets_clear (Tickets *t)
{
  g_free (t->masked);
  g_free (t->same_four);
  g_free (t->other);
}

/* The numbers GET /tickets?q=@q gives @user (one page holds them all here). */
static GHashTable *
search (Fixture    *f,
        const char *user,
        const char *q)
{
  g_autofree char *escaped = g_uri_escape_string (q, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/tickets?limit=500&q=%s", escaped);
  g_autoptr(KefuTestResponse) r = call (f, user, "GET", path, NULL, -1);
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *tickets;

  assert_status (r, 200);
  tickets = json_object_get_array_member (kefu_test_object (r), "tickets");
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    g_hash_table_add (found, g_strdup (json_object_get_string_member (
                                         json_array_get_object_element (tickets, i), "number")));
  return found;
}

static gboolean
finds (Fixture    *f,
       const char *user,
       const char *q,
       const char *number)
{
  g_autoptr(GHashTable) found = search (f, user, q);

  return g_hash_table_contains (found, number);
}

/* The attack of the finding: knowing "135****7718", try each digit after what is known, and
 * keep the one whose search finds the ticket. Returns the digits it learned (at most 4). */
static char *
recover_digits (Fixture    *f,
                const char *user,
                const char *number,
                guint      *n_queries)
{
  GString *known = g_string_new ("135");

  for (guint position = 0; position < 4; position++)
    {
      gboolean learned = FALSE;

      for (char d = '0'; d <= '9' && !learned; d++)
        {
          g_autofree char *prefix = g_strdup_printf ("%s%c", known->str, d);
          g_autofree char *middle = g_strdup_printf ("%s%c7718", known->str + 3, d);

          (*n_queries) += 2;
          /* From the front ("1351"…) and around the known end ("17718"…). */
          if (finds (f, user, prefix, number) ||
              (strlen (middle) > 4 && finds (f, user, middle, number)))
            {
              g_string_append_c (known, d);
              learned = TRUE;
            }
        }
      if (!learned)
        break;
    }

  return g_string_free (known, FALSE);
}

/* Roles that see the number masked: every substring search fails, the whole number (as it is
 * written or typed) and the last four digits succeed, and so does the whole address. */
static void
test_masked_roles (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const masked_roles[] = { "technician", "manager", "admin" };
  static const char * const parts[] = {
    "1351", "135123", "12347718", "3512347718", "1351234771", "2347", "234771", "51234",
    "135-1234", "1234-7718", "0000", "5135123477", "35123477",
    "wang.xiaoming", "xiaoming@example.com", "example.com", "wang", "@example",
  };
  static const char * const whole[] = {
    "13512347718", "135-1234-7718", "135 1234 7718", "+86 135 1234 7718", "7718",
    "wang.xiaoming@example.com", "WANG.XIAOMING@EXAMPLE.COM",
  };
  Tickets t = { 0 };

  create_tickets (f, &t);

  for (guint r = 0; r < G_N_ELEMENTS (masked_roles); r++)
    {
      const char *user = masked_roles[r];
      guint n_queries = 0;
      g_autofree char *learned = recover_digits (f, user, t.masked, &n_queries);

      g_test_message ("%s: %u queries learned \"%s\"", user, n_queries, learned);
      g_assert_cmpstr (learned, ==, "135");
      g_assert_cmpuint (n_queries, >=, 20);

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          g_test_message ("%s: q=%s", user, parts[i]);
          g_assert_false (finds (f, user, parts[i], t.masked));
        }
      for (guint i = 0; i < G_N_ELEMENTS (whole); i++)
        {
          g_test_message ("%s: q=%s", user, whole[i]);
          g_assert_true (finds (f, user, whole[i], t.masked));
        }

      /* The last four digits find every ticket that ends so, and only those. */
      {
        g_autoptr(GHashTable) found = search (f, user, "7718");

        g_assert_true (g_hash_table_contains (found, t.same_four));
        g_assert_false (g_hash_table_contains (found, t.other));
      }
      g_assert_true (finds (f, user, "13900001111", t.other));
      g_assert_false (finds (f, user, "1390000", t.other));
      /* What is not a phone or an address still matches by any part. */
      g_assert_true (finds (f, user, "小明", t.masked));
      g_assert_true (finds (f, user, t.masked + 2, t.masked));
      g_assert_true (finds (f, user, "无法开机", t.other));
    }

  tickets_clear (&t);
}

/* Agents and supervisors see the full number: any part of it, or of the address, finds it. */
static void
test_full_roles (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const full_roles[] = { "agent", "supervisor" };
  static const char * const parts[] = {
    "1351", "12347718", "2347", "135-1234", "xiaoming@", "example.com", "13512347718", "7718",
  };
  Tickets t = { 0 };

  create_tickets (f, &t);

  for (guint r = 0; r < G_N_ELEMENTS (full_roles); r++)
    {
      guint n_queries = 0;
      g_autofree char *learned = recover_digits (f, full_roles[r], t.masked, &n_queries);

      /* (No secret here: these roles see the number.) */
      g_assert_cmpstr (learned, ==, "1351234");
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          g_test_message ("%s: q=%s", full_roles[r], parts[i]);
          g_assert_true (finds (f, full_roles[r], parts[i], t.masked));
        }
      g_assert_false (finds (f, full_roles[r], "1351", t.other));
      g_assert_true (finds (f, full_roles[r], "0000", t.same_four));
      g_assert_true (finds (f, full_roles[r], "8613700", t.same_four));
    }

  tickets_clear (&t);
}

/* A technician sees the full number of the tickets assigned to them (GET /tickets/{n} shows
 * it): there, parts match too; on the others, not. */
static void
test_assignee (Fixture       *f,
               gconstpointer  data)
{
  Tickets t = { 0 };
  g_autoptr(KefuTestResponse) r = NULL;
  JsonObject *customer;

  create_tickets (f, &t);
  assign_and_accept (f, t.masked, "technician");

  {
    g_autofree char *path = ticket_path (t.masked, NULL);

    r = call (f, "technician", "GET", path, NULL, -1);
    assert_status (r, 200);
    customer = json_object_get_object_member (kefu_test_object (r), "customer");
    g_assert_cmpstr (json_object_get_string_member (customer, "phone"), ==, "135-1234-7718");
  }

  g_assert_true (finds (f, "technician", "1351", t.masked));
  g_assert_true (finds (f, "technician", "xiaoming", t.masked));
  g_assert_false (finds (f, "technician2", "1351", t.masked));
  g_assert_false (finds (f, "technician2", "xiaoming", t.masked));
  g_assert_false (finds (f, "technician", "0000", t.same_four));
  g_assert_true (finds (f, "technician2", "7718", t.masked));

  tickets_clear (&t);
}

/* The search text itself holds no phone digits or address any more: nothing else can reach
 * them through q (checked in the database). */
static void
test_search_column (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (kefu_test_server_get_data_dir (f->ts), "kefu.db",
                                            NULL);
  Tickets t = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  create_tickets (f, &t);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT search, phone_digits, email FROM tickets"
                                           " WHERE number = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, t.masked, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    const char *text = (const char *) sqlite3_column_text (stmt, 0);

    g_assert_nonnull (strstr (text, "王小明"));
    g_assert_null (strstr (text, "1234"));
    g_assert_null (strstr (text, "7718"));
    g_assert_null (strstr (text, "example"));
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "13512347718");
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==,
                     "wang.xiaoming@example.com");
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  tickets_clear (&t);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/search/masked-roles", test_masked_roles);
  ADD ("/search/full-roles", test_full_roles);
  ADD ("/search/assignee", test_assignee);
  ADD ("/search/search-column", test_search_column);

  return g_test_run ();
}
