/* test-timeline.c — a ticket document carries the newest KEFU_TIMELINE_PAGE events of its
 * timeline and the count of all; GET /tickets/{n}/timeline pages through the older ones, each
 * exactly once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "after-sales-common.h"
#include "kefu-ticket.h"

#define N_NOTES 600

/* Adds @n notes of some 300 characters as the agent. (With notes of the longest kind, 4,000
 * characters, the document of a ticket with 600 went from 7.1 MB to 0.59 MB; shorter ones keep
 * this test quick under the sanitizers.) */
static void
add_notes (Fixture    *f,
           const char *number,
           guint       first,
           guint       n)
{
  g_autofree char *path = ticket_path (number, "notes");
  g_autoptr(GString) filler = g_string_new (NULL);

  for (guint i = 0; i < 100; i++)
    g_string_append (filler, "客户说");

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"text\":\"note %u %s\"}", i, filler->str);
      g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", path, body, -1);

      assert_status (r, 200);
      /* Every answer to a change is bounded too. */
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                          kefu_test_object (r), "events")), <=, KEFU_TIMELINE_PAGE);
    }
}

/* The note number a note event's text starts with ("note 17 …"), or -1 for other events. */
static int
note_index (JsonObject *event)
{
  const char *text;

  if (g_strcmp0 (json_object_get_string_member (event, "kind"), "note") != 0)
    return -1;
  text = json_object_get_string_member (event, "text");
  g_assert_true (g_str_has_prefix (text, "note "));
  return atoi (text + 5);
}

/* The ticket document is bounded and counts the whole timeline; paging back from it with
 * next_before visits every event once, oldest last, and ends with next_before null. */
static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autofree char *path = ticket_path (number, NULL);
  g_autoptr(KefuTestResponse) doc = NULL;
  g_autoptr(GHashTable) seen_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          NULL);
  g_autofree guint *note_seen = g_new0 (guint, N_NOTES);
  JsonObject *ticket;
  JsonArray *events;
  gint64 total, before, last_id = G_MAXINT64;
  guint pages = 0, n_events = 0;

  add_notes (f, number, 0, N_NOTES);

  doc = call (f, "technician", "GET", path, NULL, -1);
  assert_status (doc, 200);
  ticket = kefu_test_object (doc);
  events = json_object_get_array_member (ticket, "events");
  total = json_object_get_int_member (ticket, "timeline_total");
  g_test_message ("GET /tickets/%s with %u notes: %zu bytes, %u events of %" G_GINT64_FORMAT,
                  number, N_NOTES, strlen (doc->raw), json_array_get_length (events), total);

  /* "created" and the 600 notes. */
  g_assert_cmpint (total, ==, N_NOTES + 1);
  g_assert_cmpuint (json_array_get_length (events), ==, KEFU_TIMELINE_PAGE);
  /* 50 notes of about 1 KB each, not 600. */
  g_assert_cmpuint (strlen (doc->raw), <, 100 * 1024);
  /* The newest, oldest first: the last note closes the document. */
  g_assert_cmpint (note_index (json_array_get_object_element (events, KEFU_TIMELINE_PAGE - 1)),
                   ==, N_NOTES - 1);
  g_assert_cmpint (note_index (json_array_get_object_element (events, 0)), ==,
                   N_NOTES - KEFU_TIMELINE_PAGE);

  /* The document's events, then the pages before them, newest page first. */
  for (guint i = json_array_get_length (events); i-- > 0;)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      gint64 id = json_object_get_int_member (event, "id");
      int note = note_index (event);

      g_assert_cmpint (id, <, last_id);
      last_id = id;
      g_assert_true (g_hash_table_add (seen_ids, g_memdup2 (&id, sizeof id)));
      if (note >= 0)
        note_seen[note]++;
      n_events++;
    }
  before = json_object_get_int_member (json_array_get_object_element (events, 0), "id");

  while (before != 0)
    {
      g_autofree char *page_path = g_strdup_printf ("/tickets/%s/timeline?before=%" G_GINT64_FORMAT
                                                    "&limit=70", number, before);
      g_autoptr(KefuTestResponse) r = call (f, "manager", "GET", page_path, NULL, -1);
      JsonObject *page;
      JsonArray *items;
      JsonNode *next;

      assert_status (r, 200);
      page = kefu_test_object (r);
      g_assert_cmpstr (json_object_get_string_member (page, "number"), ==, number);
      g_assert_cmpint (json_object_get_int_member (page, "timeline_total"), ==, total);
      items = json_object_get_array_member (page, "events");
      g_assert_cmpuint (json_array_get_length (items), >, 0);
      g_assert_cmpuint (json_array_get_length (items), <=, 70);

      for (guint i = json_array_get_length (items); i-- > 0;)
        {
          JsonObject *event = json_array_get_object_element (items, i);
          gint64 id = json_object_get_int_member (event, "id");
          int note = note_index (event);

          g_assert_cmpint (id, <, last_id);
          last_id = id;
          g_assert_true (g_hash_table_add (seen_ids, g_memdup2 (&id, sizeof id)));
          if (note >= 0)
            note_seen[note]++;
          n_events++;
        }

      next = json_object_get_member (page, "next_before");
      g_assert_nonnull (next);
      if (json_node_is_null (next))
        {
          /* The last page ends with the first event of all. */
          g_assert_cmpstr (json_object_get_string_member (
                             json_array_get_object_element (items, 0), "kind"), ==, "created");
          before = 0;
        }
      else
        {
          g_assert_cmpint (json_node_get_int (next), ==,
                           json_object_get_int_member (json_array_get_object_element (items, 0),
                                                       "id"));
          before = json_node_get_int (next);
        }
      pages++;
    }

  g_assert_cmpuint (n_events, ==, total);
  g_assert_cmpuint (g_hash_table_size (seen_ids), ==, total);
  for (guint i = 0; i < N_NOTES; i++)
    g_assert_cmpuint (note_seen[i], ==, 1);
  /* 551 events before the document's 50, by 70. */
  g_assert_cmpuint (pages, ==, (N_NOTES + 1 - KEFU_TIMELINE_PAGE + 69) / 70);

  /* Without before: the newest page, the document's own. */
  {
    g_autofree char *page_path = g_strdup_printf ("/tickets/%s/timeline", number);
    g_autoptr(KefuTestResponse) r = call (f, "technician", "GET", page_path, NULL, -1);
    JsonArray *items;

    assert_status (r, 200);
    items = json_object_get_array_member (kefu_test_object (r), "events");
    g_assert_cmpuint (json_array_get_length (items), ==, KEFU_TIMELINE_PAGE);
    g_assert_true (json_node_equal (json_object_get_member (kefu_test_object (r), "events"),
                                    json_object_get_member (ticket, "events")));
    g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "next_before"), ==,
                     json_object_get_int_member (json_array_get_object_element (items, 0),
                                                 "id"));
  }
}

/* A short timeline: the document holds all of it, the count matches, and the first page has
 * no next. Errors: a bad before or limit names itself, an unknown ticket is 404, no session
 * 401. */
static void
test_short_and_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autofree char *timeline = g_strdup_printf ("/tickets/%s/timeline", number);
  g_autoptr(KefuTestResponse) doc = NULL;
  g_autoptr(KefuTestResponse) r = NULL;
  JsonObject *ticket;

  add_notes (f, number, 0, 3);
  get_ticket (f, number, &doc);
  ticket = kefu_test_object (doc);
  g_assert_cmpint (json_object_get_int_member (ticket, "timeline_total"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ticket, "events")), ==,
                    4);

  r = call (f, "agent", "GET", timeline, NULL, -1);
  assert_status (r, 200);
  g_assert_true (json_object_get_null_member (kefu_test_object (r), "next_before"));
  g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "timeline_total"), ==, 4);
  g_clear_pointer (&r, kefu_test_response_free);

  {
    static const char * const bad[][2] = {
      { "?before=0", "before" }, { "?before=x", "before" }, { "?before=-3", "before" },
      { "?limit=0", "limit" }, { "?limit=201", "limit" }, { "?limit=ten", "limit" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *p = g_strconcat (timeline, bad[i][0], NULL);

        r = call (f, "agent", "GET", p, NULL, -1);
        assert_error (r, 400, "validation_failed", bad[i][1]);
        g_clear_pointer (&r, kefu_test_response_free);
      }
  }

  r = call (f, "agent", "GET", "/tickets/FW20261123999/timeline", NULL, -1);
  assert_error (r, 404, "not_found", NULL);
  g_clear_pointer (&r, kefu_test_response_free);
  r = call (f, NULL, "GET", timeline, NULL, -1);
  assert_error (r, 401, "unauthenticated", NULL);
  g_clear_pointer (&r, kefu_test_response_free);

  /* Before the first event: an empty last page. */
  {
    JsonArray *events = json_object_get_array_member (ticket, "events");
    gint64 first = json_object_get_int_member (json_array_get_object_element (events, 0), "id");
    g_autofree char *p = g_strdup_printf ("%s?before=%" G_GINT64_FORMAT, timeline, first);

    r = call (f, "agent", "GET", p, NULL, -1);
    assert_status (r, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        kefu_test_object (r), "events")), ==, 0);
    g_assert_true (json_object_get_null_member (kefu_test_object (r), "next_before"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/timeline/bounded", test_bounded);
  ADD ("/timeline/short-and-errors", test_short_and_errors);

  return g_test_run ();
}
