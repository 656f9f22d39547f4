/* test-list.c — GET /tickets pages are made from the stored text: same tickets as the detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-test-server.h"

static KefuTestServer *ts;

/* Every ticket of a list page equals the manager's detail view of it (which masks the phone
 * through the decoder) once the detail's timeline (events and their count) is set aside: the text path and the decoder
 * agree on every demo ticket, and no full phone number leaves in a list. */
static void
test_list_matches_detail (void)
{
  g_autofree char *token = kefu_test_login (ts, "manager", "demo");
  g_autoptr(KefuTestResponse) r = kefu_test_request (ts, "GET", "/tickets?limit=500", token,
                                                     NULL, NULL);
  JsonArray *tickets;
  guint with_phone = 0;

  g_assert_cmpuint (r->status, ==, 200);
  tickets = json_object_get_array_member (kefu_test_object (r), "tickets");
  g_assert_cmpuint (json_array_get_length (tickets), >=, 60);

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonNode *item = json_array_get_element (tickets, i);
      const char *number = json_object_get_string_member (json_node_get_object (item), "number");
      JsonObject *customer = json_object_get_object_member (json_node_get_object (item),
                                                            "customer");
      g_autofree char *path = g_strdup_printf ("/tickets/%s", number);
      g_autoptr(KefuTestResponse) d = kefu_test_request (ts, "GET", path, token, NULL, NULL);
      JsonObject *detail;

      g_assert_cmpuint (d->status, ==, 200);
      detail = kefu_test_object (d);
      json_object_remove_member (detail, "events");
      json_object_remove_member (detail, "timeline_total");
      if (!json_node_equal (item, d->body))
        {
          g_autofree char *a = json_to_string (item, TRUE);
          g_autofree char *b = json_to_string (d->body, TRUE);

          g_error ("%s: list and detail differ:\n%s\n---\n%s", number, a, b);
        }

      if (!json_object_get_null_member (customer, "phone"))
        {
          const char *phone = json_object_get_string_member (customer, "phone");

          g_assert_nonnull (strstr (phone, "****"));
          with_phone++;
        }
    }
  g_assert_cmpuint (with_phone, >, 0);
}

/* Paging: the pages join without gaps or repeats, and next_cursor closes each body. */
static void
test_list_pages (void)
{
  g_autofree char *token = kefu_test_login (ts, "supervisor", "demo");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *path = NULL;
      g_autoptr(KefuTestResponse) r = NULL;
      JsonArray *tickets;
      JsonNode *next;

      path = cursor != NULL ? g_strdup_printf ("/tickets?limit=7&cursor=%s", cursor)
                            : g_strdup ("/tickets?limit=7");
      r = kefu_test_request (ts, "GET", path, token, NULL, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_true (g_str_has_suffix (r->raw, "}"));
      g_assert_nonnull (strstr (r->raw, "\"next_cursor\":"));
      g_assert_true (strstr (r->raw, "\"next_cursor\":") > strstr (r->raw, "\"tickets\":"));
      tickets = json_object_get_array_member (kefu_test_object (r), "tickets");
      g_assert_cmpuint (json_array_get_length (tickets), <=, 7);
      for (guint i = 0; i < json_array_get_length (tickets); i++)
        {
          const char *number = json_object_get_string_member (
            json_array_get_object_element (tickets, i), "number");

          g_assert_false (g_hash_table_contains (seen, number));
          g_hash_table_add (seen, g_strdup (number));
        }
      next = json_object_get_member (kefu_test_object (r), "next_cursor");
      g_clear_pointer (&cursor, g_free);
      if (!json_node_is_null (next))
        cursor = g_strdup (json_node_get_string (next));
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpuint (g_hash_table_size (seen), >=, 60);
  g_assert_cmpuint (pages, ==, (g_hash_table_size (seen) + 6) / 7);
}

/* The numbers of the tickets of @query, all pages of @limit joined, in the order given. */
static GPtrArray *
list_numbers (const char *token,
              const char *query,
              guint       limit)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *path = NULL;
      g_autoptr(KefuTestResponse) r = NULL;
      JsonArray *tickets;
      JsonNode *next;

      path = cursor != NULL ? g_strdup_printf ("/tickets?%s&limit=%u&cursor=%s", query, limit,
                                               cursor)
                            : g_strdup_printf ("/tickets?%s&limit=%u", query, limit);
      r = kefu_test_request (ts, "GET", path, token, NULL, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      tickets = json_object_get_array_member (kefu_test_object (r), "tickets");
      g_assert_cmpuint (json_array_get_length (tickets), <=, limit);
      for (guint i = 0; i < json_array_get_length (tickets); i++)
        {
          JsonObject *ticket = json_array_get_object_element (tickets, i);

          g_ptr_array_add (numbers, g_strdup (json_object_get_string_member (ticket, "number")));
        }
      next = json_object_get_member (kefu_test_object (r), "next_cursor");
      g_clear_pointer (&cursor, g_free);
      if (!json_node_is_null (next))
        cursor = g_strdup (json_node_get_string (next));
    }
  while (cursor != NULL);

  return numbers;
}

/* Filtered on indexed columns (the page's ids are chosen first, then their documents read):
 * small pages join into exactly the one big page, newest first, and hold only what matches. */
static void
test_list_pages_filtered (void)
{
  static const char * const queries[] = {
    "status=open", "status=new,assigned", "status=open&priority=1,2", "priority=3",
  };
  g_autofree char *token = kefu_test_login (ts, "supervisor", "demo");
  g_autoptr(GPtrArray) all = list_numbers (token, "status=open,resolved,closed,cancelled", 500);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) paged = list_numbers (token, queries[q], 3);
      g_autoptr(GPtrArray) whole = list_numbers (token, queries[q], 500);
      guint last = G_MAXUINT;

      g_test_message ("%s: %u tickets", queries[q], whole->len);
      g_assert_cmpuint (whole->len, >, 3);
      g_assert_cmpuint (paged->len, ==, whole->len);
      g_assert_cmpuint (whole->len, <, all->len);
      for (guint i = 0; i < whole->len; i++)
        {
          guint position;

          g_assert_cmpstr (g_ptr_array_index (paged, i), ==, g_ptr_array_index (whole, i));
          /* Newest first: in the order of the unfiltered list. */
          g_assert_true (g_ptr_array_find_with_equal_func (all, g_ptr_array_index (whole, i),
                                                           g_str_equal, &position));
          g_assert_true (last == G_MAXUINT || position > last);
          last = position;
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  ts = kefu_test_server_new (TRUE);

  g_test_add_func ("/list/matches-detail", test_list_matches_detail);
  g_test_add_func ("/list/pages", test_list_pages);
  g_test_add_func ("/list/pages-filtered", test_list_pages_filtered);

  rc = g_test_run ();
  kefu_test_server_free (ts);
  return rc;
}
