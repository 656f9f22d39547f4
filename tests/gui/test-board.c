/* test-board.c — the board against a real demo server: sign-in, columns, live changes,
 * reconnection, screenshots
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests run in order and share one window and one server, like a supervisor's day:
 * sign in, read the board, see a new ticket and a reassignment arrive, lose the server and get
 * it back. Set LANGUAGE=zh_CN to get the Chinese screenshots (meson registers both).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kefu-application.h"
#include "kefu-board.h"
#include "kefu-board-column.h"
#include "kefu-gui-test.h"
#include "kefu-ticker.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-form.h"
#include "kefu-ticket-page.h"
#include "kefu-tickets-view.h"
#include "kefu-window.h"

static KefuGuiServer   *server;
static KefuApplication *app;
static KefuWindow      *window;
static char            *supervisor_token;
static char            *agent_token;

static KefuConnection *
connection (void)
{
  return kefu_window_get_connection (window);
}

static KefuTicketList *
tickets (void)
{
  return kefu_connection_get_tickets (connection ());
}

static KefuBoard *
board (void)
{
  return kefu_window_get_board (window);
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* Every open ticket according to the server, paged like any client would. */
static GPtrArray *
server_open_tickets (void)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) answer = NULL;
      JsonArray *array;
      JsonNode *next;

      path = cursor != NULL ? g_strdup_printf ("/tickets?status=open&limit=100&cursor=%s", cursor)
                            : g_strdup ("/tickets?status=open&limit=100");
      answer = kefu_gui_api (server, supervisor_token, "GET", path, NULL, NULL, 200);
      array = json_object_get_array_member (kefu_gui_object (answer), "tickets");
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (result, json_node_ref (json_array_get_element (array, i)));

      g_clear_pointer (&cursor, g_free);
      next = json_object_get_member (kefu_gui_object (answer), "next_cursor");
      if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
        cursor = g_strdup (json_node_get_string (next));
    }
  while (cursor != NULL);

  return result;
}

static gint64
user_id (const char *username)
{
  g_autoptr(JsonNode) answer = kefu_gui_api (server, supervisor_token, "GET", "/users", NULL, NULL, 200);
  JsonArray *users = json_object_get_array_member (kefu_gui_object (answer), "users");

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      if (g_strcmp0 (json_object_get_string_member (user, "username"), username) == 0)
        return json_object_get_int_member (user, "id");
    }

  g_error ("No user %s", username);
  return 0;
}

static int
column_position (int         priority,
                 const char *number)
{
  GListModel *model = kefu_board_get_column_model (board (), priority);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KefuTicketObject) t = g_list_model_get_item (model, i);

      if (g_strcmp0 (kefu_ticket_object_get_number (t), number) == 0)
        return (int) i;
    }

  return -1;
}

typedef struct {
  int         priority;
  const char *number;
} InColumn;

static gboolean
is_in_column (gpointer data)
{
  InColumn *in = data;

  return column_position (in->priority, in->number) >= 0;
}

static gboolean
card_is_shown (gpointer data)
{
  return kefu_gui_find_card (GTK_WIDGET (window), data) != NULL;
}

static gboolean
list_loaded (gpointer data)
{
  return kefu_ticket_list_get_loaded (tickets ());
}

static gboolean
list_complete (gpointer data)
{
  return kefu_ticket_list_get_complete (tickets ());
}

static gboolean
connection_text_is (gpointer data)
{
  return g_strcmp0 (kefu_window_get_connection_text (window), data) == 0;
}

/* ---- the tests --------------------------------------------------------------------------- */

static void
test_sign_in (void)
{
  /* The real sign-in path: the fields, the action, the connection. */
  kefu_window_sign_in (window, kefu_gui_server_get_url (server), "supervisor", "demo");

  g_assert_true (kefu_gui_wait (list_loaded, NULL, 10000));
  g_assert_true (kefu_gui_wait (list_complete, NULL, 10000));
  g_assert_cmpint (kefu_connection_get_state (connection ()), ==,
                   KEFU_CONNECTION_STATE_CONNECTED);
  g_assert_cmpstr (kefu_window_get_connection_text (window), ==,
                   g_dpgettext2 (GETTEXT_PACKAGE, "connection", "Connected"));
  g_assert_cmpint (kefu_connection_get_user_id (connection ()), ==, user_id ("supervisor"));
}

static void
test_columns (void)
{
  g_autoptr(GPtrArray) expected = server_open_tickets ();
  guint total = 0;

  g_assert_cmpuint (expected->len, >, 0);

  for (int p = 1; p <= 4; p++)
    {
      GListModel *model = kefu_board_get_column_model (board (), p);
      g_autoptr(GHashTable) want = g_hash_table_new (g_str_hash, g_str_equal);
      KefuTicketObject *previous = NULL;
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < expected->len; i++)
        {
          JsonObject *t = kefu_gui_object (g_ptr_array_index (expected, i));

          if (json_object_get_int_member (t, "priority") == p)
            g_hash_table_add (want, (gpointer) json_object_get_string_member (t, "number"));
        }

      g_test_message ("P%d: %u cards, %u on the server", p, n, g_hash_table_size (want));
      g_assert_cmpuint (n, ==, g_hash_table_size (want));

      for (guint i = 0; i < n; i++)
        {
          KefuTicketObject *t = g_list_model_get_item (model, i);

          g_assert_true (g_hash_table_contains (want, kefu_ticket_object_get_number (t)));
          g_assert_cmpint (kefu_ticket_object_get_priority (t), ==, p);
          g_assert_true (kefu_ticket_object_get_is_open (t));
          /* Sorted by the nearest due, soonest first, none last. */
          if (previous != NULL)
            g_assert_cmpint (kefu_board_compare_due (previous, t), <, 0);
          g_clear_object (&previous);
          previous = t;
        }
      g_clear_object (&previous);
      total += n;
    }

  g_assert_cmpuint (total, ==, expected->len);
}

static void
test_created_appears (void)
{
  const char *body =
    "{\"channel\":\"phone\",\"category\":\"quality\",\"subcategory\":\"无法开机\",\"priority\":1,"
    "\"customer\":{\"name\":\"测试客户\",\"phone\":\"13912345678\",\"order_no\":\"SO-77001\"},"
    "\"description\":\"冰箱完全不制冷，里面的食物都坏了\",\"submitted_at\":\"@NOW@\"}";
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *number = NULL;
  InColumn in = { 1, NULL };
  gint64 start;
  gint64 elapsed;
  KefuTicketCard *card;

  answer = kefu_gui_api (server, agent_token, "POST", "/tickets", body, NULL, 201);
  number = g_strdup (json_object_get_string_member (kefu_gui_object (answer), "number"));
  in.number = number;

  start = g_get_monotonic_time ();
  g_assert_true (kefu_gui_wait (is_in_column, &in, 1000));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%s appeared in P1 after %" G_GINT64_FORMAT " ms", number, elapsed / 1000);

  /* And it is drawn, masked. */
  g_assert_true (kefu_gui_wait (card_is_shown, number, 1000));
  card = kefu_gui_find_card (GTK_WIDGET (window), number);
  g_assert_cmpstr (kefu_ticket_object_get_customer_phone (kefu_ticket_card_get_ticket (card)), ==,
                   "139****5678");
  g_assert_cmpstr (kefu_ticket_card_get_assignee_text (card), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Unassigned"));
}

typedef struct {
  KefuTicketObject *object;
  gint64            assignee_id;
} Assigned;

static gboolean
is_assigned (gpointer data)
{
  Assigned *a = data;

  return kefu_ticket_object_get_assignee_id (a->object) == a->assignee_id;
}

static void
test_assign_in_place (void)
{
  GListModel *model = kefu_board_get_column_model (board (), 1);
  g_autoptr(KefuTicketObject) object = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;
  g_autofree char *body = NULL;
  g_autofree char *number = NULL;
  KefuTicketCard *card;
  KefuTicketCard *card_after;
  gint64 technician = user_id ("technician2");
  Assigned assigned;
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (tickets ()));
  gint64 start;

  /* An unassigned ticket on screen. */
  for (guint i = 0; i < g_list_model_get_n_items (model) && object == NULL; i++)
    {
      g_autoptr(KefuTicketObject) t = g_list_model_get_item (model, i);

      if (kefu_ticket_object_get_assignee_id (t) == 0)
        object = g_steal_pointer (&t);
    }
  g_assert_nonnull (object);
  number = g_strdup (kefu_ticket_object_get_number (object));
  g_assert_true (kefu_gui_wait (card_is_shown, number, 1000));
  card = kefu_gui_find_card (GTK_WIDGET (window), number);

  /* Another client assigns it. */
  path = g_strdup_printf ("/tickets/%s/assign", number);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, kefu_ticket_object_get_version (object));
  body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT ",\"department\":\"technical\"}",
                          technician);
  answer = kefu_gui_api (server, supervisor_token, "POST", path, body, version, 200);

  assigned.object = object;
  assigned.assignee_id = technician;
  start = g_get_monotonic_time ();
  g_assert_true (kefu_gui_wait (is_assigned, &assigned, 1000));
  g_test_message ("The assignment showed after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  kefu_gui_run_for (50);

  /* In place: the same object in the list, the same card on screen, nothing added. */
  g_assert_true (kefu_ticket_list_lookup (tickets (), number) == object);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tickets ())), ==, n_before);
  card_after = kefu_gui_find_card (GTK_WIDGET (window), number);
  g_assert_true (card_after == card);
  g_assert_cmpstr (kefu_ticket_card_get_assignee_text (card), ==, "Zhao Lei");
  g_assert_cmpstr (kefu_ticket_card_get_status_text (card), ==,
                   g_dpgettext2 (GETTEXT_PACKAGE, "status", "Assigned"));
}

static void screenshot (const char *what);

static void
test_reconnect (void)
{
  const char *reconnecting = g_dpgettext2 (GETTEXT_PACKAGE, "connection", "Reconnecting…");
  const char *connected = g_dpgettext2 (GETTEXT_PACKAGE, "connection", "Connected");
  GListModel *p3 = kefu_board_get_column_model (board (), 3);
  g_autoptr(KefuTicketObject) object = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;
  g_autofree char *number = NULL;
  InColumn in = { 2, NULL };

  g_assert_cmpuint (g_list_model_get_n_items (p3), >, 0);
  object = g_list_model_get_item (p3, 0);
  number = g_strdup (kefu_ticket_object_get_number (object));
  in.number = number;

  kefu_gui_server_stop (server);
  g_assert_true (kefu_gui_wait (connection_text_is, (gpointer) reconnecting, 10000));
  g_assert_cmpint (kefu_connection_get_state (connection ()), ==,
                   KEFU_CONNECTION_STATE_RECONNECTING);
  screenshot ("board-reconnecting");

  /* Back, and a change is made before the client is: the client must still see it. */
  kefu_gui_server_start (server);
  path = g_strdup_printf ("/tickets/%s", number);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, kefu_ticket_object_get_version (object));
  answer = kefu_gui_api (server, supervisor_token, "PATCH", path, "{\"priority\":2}", version, 200);
  g_assert_cmpint (kefu_ticket_object_get_priority (object), ==, 3);

  g_assert_true (kefu_gui_wait (connection_text_is, (gpointer) connected, 40000));
  g_assert_true (kefu_gui_wait (is_in_column, &in, 5000));
  g_assert_cmpint (column_position (3, number), ==, -1);
  /* Resumed, not rebuilt: the same object moved to the other column. */
  g_assert_true (kefu_ticket_list_lookup (tickets (), number) == object);
  g_assert_cmpint (kefu_ticket_object_get_priority (object), ==, 2);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static guint
board_total (void)
{
  guint n = 0;

  for (int p = 1; p <= 4; p++)
    n += g_list_model_get_n_items (kefu_board_get_column_model (board (), p));
  return n;
}

/* How many open tickets the server lists for @query (one page is enough for the demo). */
static guint
server_count (const char *query)
{
  g_autofree char *path = g_strdup_printf ("/tickets?status=open&limit=500&%s", query);
  g_autoptr(JsonNode) answer = kefu_gui_api (server, supervisor_token, "GET", path, NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (kefu_gui_object (answer), "tickets"));
}

static void
test_filters (void)
{
  GtkEditable *search = GTK_EDITABLE (find_widget (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY));
  guint all = board_total ();
  g_autoptr(KefuTicketObject) some = NULL;
  g_autofree char *number = NULL;

  g_assert_nonnull (search);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.scope", "s", "unassigned");
  kefu_gui_run_for (50);
  g_assert_cmpuint (board_total (), ==, server_count ("assignee=none"));
  for (int p = 1; p <= 4; p++)
    {
      GListModel *model = kefu_board_get_column_model (board (), p);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(KefuTicketObject) t = g_list_model_get_item (model, i);

          g_assert_cmpint (kefu_ticket_object_get_assignee_id (t), ==, 0);
        }
    }

  /* The supervisor handles no ticket: "mine" is as empty as the server says. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.scope", "s", "mine");
  kefu_gui_run_for (50);
  g_assert_cmpuint (board_total (), ==, server_count ("assignee=me"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.department", "s", "technical");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.scope", "s", "all");
  kefu_gui_run_for (50);
  g_assert_cmpuint (board_total (), <, all);
  g_assert_cmpuint (board_total (), >, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.department", "s", "");
  kefu_gui_run_for (50);
  g_assert_cmpuint (board_total (), ==, all);

  /* Text: one ticket by its number, typed in the search entry. */
  some = g_list_model_get_item (kefu_board_get_column_model (board (), 2), 0);
  number = g_strdup (kefu_ticket_object_get_number (some));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  gtk_editable_set_text (search, number);
  {
    InColumn in = { 2, number };

    /* search-changed comes after a short delay. */
    g_assert_true (kefu_gui_wait (is_in_column, &in, 2000));
  }
  kefu_gui_run_for (400);
  g_assert_cmpuint (board_total (), ==, 1);
  gtk_editable_set_text (search, "");
  kefu_gui_run_for (400);
  g_assert_cmpuint (board_total (), ==, all);
}

static void
test_tickets_page (void)
{
  KefuTicketsView *view = kefu_window_get_tickets_view (window);
  GListModel *rows = kefu_tickets_view_get_model (view);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (tickets ()));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "tickets");
  kefu_gui_run_for (100);

  /* Every loaded ticket, open or recently closed, sorted by the nearest due. */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
  g_assert_cmpuint (n, >, board_total ());
  for (guint i = 1; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(KefuTicketObject) a = g_list_model_get_item (rows, i - 1);
      g_autoptr(KefuTicketObject) b = g_list_model_get_item (rows, i);

      g_assert_cmpint (kefu_board_compare_due (a, b), <, 0);
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
  kefu_gui_run_for (100);
}

/* One timer for every countdown: each countdown on screen holds the one ticker. */
static void
test_one_timer (void)
{
  KefuTicker *ticker = kefu_ticker_get_default ();
  guint cards = kefu_gui_count_mapped (GTK_WIDGET (window), KEFU_TYPE_TICKET_CARD);

  g_assert_cmpuint (cards, >, 0);
  g_assert_cmpuint (kefu_ticker_get_n_holders (ticker), ==, cards);
}

static GtkWindow *
find_window_with (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (w != GTK_WINDOW (window) && find_widget (GTK_WIDGET (w), type) != NULL)
        return w;
    }

  return NULL;
}

static gboolean
has_window_with (gpointer type)
{
  return find_window_with (GPOINTER_TO_SIZE (type)) != NULL;
}

/* A card opens its ticket in a window of its own; "New Ticket" opens the registration form. */
static void
test_open_ticket (void)
{
  GListModel *model = kefu_board_get_column_model (board (), 1);
  GtkListView *list = kefu_board_column_get_list_view (kefu_board_get_column (board (), 1));
  GType page_type = KEFU_TYPE_TICKET_PAGE;
  GType form_type = KEFU_TYPE_TICKET_FORM;
  GtkWindow *opened;

  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);

  /* As a click on the first card does. */
  g_signal_emit_by_name (list, "activate", 0);
  g_assert_true (kefu_gui_wait (has_window_with, GSIZE_TO_POINTER (page_type), 2000));
  opened = find_window_with (page_type);
  kefu_gui_run_for (500);
  {
    g_autofree char *path = kefu_gui_save_screenshot (GTK_WIDGET (opened), "ticket-window-en");
  }
  gtk_window_destroy (opened);

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "new-ticket"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-ticket", NULL);
  g_assert_true (kefu_gui_wait (has_window_with, GSIZE_TO_POINTER (form_type), 2000));
  opened = find_window_with (form_type);
  gtk_window_destroy (opened);
  kefu_gui_run_for (100);
}

static void
set_size (int width,
          int height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  kefu_gui_run_for (400);
}

static void
screenshot (const char *what)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", what, kefu_gui_language ());
  g_autofree char *path = kefu_gui_save_screenshot (GTK_WIDGET (window), name);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  set_size (1280, 800);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
  screenshot ("board");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kefu_gui_run_for (300);
  screenshot ("board-dark");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "tickets");
  kefu_gui_run_for (300);
  screenshot ("tickets-dark");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  kefu_gui_run_for (300);
  screenshot ("tickets");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
  set_size (400, 800);
  /* The header bar only folds to its narrow form once it is narrow: ask again. */
  set_size (401, 800);
  set_size (400, 800);
  screenshot ("board-narrow");
  set_size (1280, 800);
}

/* A column shows the first screen of a new model in its first frame and the rest in the
 * frames after (GTK 4.8's list view would make 200 rows at once); its count is the whole
 * model's from the start. */
typedef struct {
  GtkListView *list;
  guint        rows_at_first_paint;
} FirstPaint;

static guint
count_rows (GtkListView *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
on_first_paint (GdkFrameClock *frame_clock,
                FirstPaint    *first)
{
  if (first->rows_at_first_paint == 0)
    first->rows_at_first_paint = count_rows (first->list);
}

static gboolean
list_shows_all (gpointer data)
{
  GtkListView *list = data;

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))) == 300;
}

static void
test_first_rows (void)
{
  g_autoptr(GListStore) store = g_list_store_new (KEFU_TYPE_TICKET_OBJECT);
  GtkWidget *column_window = gtk_window_new ();
  KefuBoardColumn *column = g_object_new (KEFU_TYPE_BOARD_COLUMN, "priority", 2, NULL);
  GtkListView *list = kefu_board_column_get_list_view (column);
  GListModel *shown;
  FirstPaint first = { list, 0 };
  gulong handler;

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(KefuTicket) ticket = kefu_ticket_new ();
      g_autoptr(KefuTicketObject) object = NULL;

      ticket->number = g_strdup_printf ("FW20261123%04u", i + 1);
      ticket->priority = 2;
      ticket->status = KEFU_STATUS_NEW;
      ticket->customer.name = g_strdup_printf ("客户 %u", i + 1);
      object = kefu_ticket_object_new (ticket);
      g_list_store_append (store, object);
    }

  gtk_window_set_default_size (GTK_WINDOW (column_window), 320, 800);
  gtk_window_set_child (GTK_WINDOW (column_window), GTK_WIDGET (column));
  gtk_window_present (GTK_WINDOW (column_window));
  kefu_gui_run_for (200);

  handler = g_signal_connect (gtk_widget_get_frame_clock (column_window), "after-paint",
                              G_CALLBACK (on_first_paint), &first);
  kefu_board_column_set_model (column, G_LIST_MODEL (store));
  shown = G_LIST_MODEL (gtk_list_view_get_model (list));

  /* The whole model counts at once; the list view has the first screen only. */
  g_assert_true (kefu_board_column_get_model (column) == G_LIST_MODEL (store));
  g_assert_cmpuint (g_list_model_get_n_items (shown), <, 50);
  g_assert_cmpuint (g_list_model_get_n_items (shown), >, 0);

  /* The first frame drew a screen's worth of rows, not GTK 4.8's 200. */
  g_assert_true (kefu_gui_wait (list_shows_all, list, 3000));
  g_assert_cmpuint (first.rows_at_first_paint, >, 0);
  g_assert_cmpuint (first.rows_at_first_paint, <, 50);

  /* Then every ticket is there, in the model's order, with the rows below the screen. */
  for (guint i = 0; i < 300; i += 37)
    {
      g_autoptr(KefuTicketObject) a = g_list_model_get_item (shown, i);
      g_autoptr(KefuTicketObject) b = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_true (a == b);
    }
  kefu_gui_run_for (100);
  g_assert_cmpuint (count_rows (list), >, 50);

  g_signal_handler_disconnect (gtk_widget_get_frame_clock (column_window), handler);
  gtk_window_destroy (GTK_WINDOW (column_window));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kefu_gui_test_init (&argc, &argv);

  server = kefu_gui_server_new ();
  supervisor_token = kefu_gui_server_login (server, "supervisor");
  agent_token = kefu_gui_server_login (server, "agent");

  app = kefu_gui_application_new ();
  window = kefu_gui_window_new (app, NULL, 1280, 800);

  g_test_add_func ("/board/first-rows", test_first_rows);
  g_test_add_func ("/board/sign-in", test_sign_in);
  g_test_add_func ("/board/columns", test_columns);
  g_test_add_func ("/board/created-appears", test_created_appears);
  g_test_add_func ("/board/assign-in-place", test_assign_in_place);
  g_test_add_func ("/board/filters", test_filters);
  g_test_add_func ("/board/tickets-page", test_tickets_page);
  g_test_add_func ("/board/one-timer", test_one_timer);
  g_test_add_func ("/board/open-ticket", test_open_ticket);
  g_test_add_func ("/board/screenshots", test_screenshots);
  g_test_add_func ("/board/reconnect", test_reconnect);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  kefu_gui_server_free (server);
  g_free (supervisor_token);
  g_free (agent_token);

  return ret;
}
