/* test-timeline.c — a long timeline on the ticket page: the document carries its newest
 * entries, "Show Earlier Entries" loads the ones before, a page at a time, until all show
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One demo server, a ticket with 120 notes, its page opened as the supervisor. The button is
 * pressed as a user would; a note added meanwhile by someone else arrives live and the entries
 * already loaded stay. Screenshot (BUILDDIR/tests/gui/screenshots/): timeline-earlier-en, the
 * button above the first loaded entries.
 */
#include "config.h"

#include "kefu-gui-test.h"
#include "kefu-ticket-page.h"
#include "kefu-timeline-row.h"

#define N_NOTES 120

static KefuGuiServer   *server;
static KefuApplication *app;
static char            *agent_token;
static char            *number;

static void
add_note (guint i)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s/notes", number);
  g_autofree char *body = g_strdup_printf ("{\"text\":\"note %u\"}", i);
  g_autoptr(JsonNode) answer = kefu_gui_api (server, agent_token, "POST", path, body, NULL, 200);
}

typedef struct {
  KefuTicketPage *page;
  guint           entries;
} Wait;

static gboolean
page_loaded (gpointer data)
{
  return kefu_ticket_page_get_ticket (data) != NULL;
}

static gboolean
entries_are (gpointer data)
{
  Wait *w = data;

  return kefu_ticket_page_get_n_timeline_entries (w->page) == w->entries;
}

/* How many timeline rows are on screen (an independent count of what the page says). */
static guint
rows_on_screen (KefuTicketPage *page)
{
  return kefu_gui_count_mapped (GTK_WIDGET (page), KEFU_TYPE_TIMELINE_ROW);
}

/* Scrolls the page so that @widget is at the top. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t point;

  kefu_gui_run_for (100);
  g_assert_true (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 60);
  kefu_gui_run_for (300);
}

static void
test_show_earlier (void)
{
  g_autoptr(KefuConnection) connection = kefu_gui_sign_in (server, "supervisor");
  GtkWidget *window = adw_window_new ();
  KefuTicketPage *page;
  GtkWidget *button;
  KefuTicket *ticket;
  Wait w;

  page = KEFU_TICKET_PAGE (kefu_ticket_page_new (connection, number));
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kefu_gui_wait (page_loaded, page, 5000));

  /* The document: the newest 50 of 121 ("created" and the notes). */
  ticket = kefu_ticket_page_get_ticket (page);
  g_assert_cmpint (ticket->timeline_total, ==, N_NOTES + 1);
  g_assert_cmpuint (ticket->events->len, ==, KEFU_TIMELINE_PAGE);
  g_assert_cmpuint (kefu_ticket_page_get_n_timeline_entries (page), ==, KEFU_TIMELINE_PAGE);
  kefu_gui_run_for (100);
  g_assert_cmpuint (rows_on_screen (page), ==, KEFU_TIMELINE_PAGE);
  button = kefu_ticket_page_get_earlier_button (page);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  /* One press: the 50 before them. */
  gtk_widget_activate (button);
  w = (Wait) { page, 2 * KEFU_TIMELINE_PAGE };
  g_assert_true (kefu_gui_wait (entries_are, &w, 5000));
  kefu_gui_run_for (100);
  g_assert_cmpuint (rows_on_screen (page), ==, 2 * KEFU_TIMELINE_PAGE);
  g_assert_true (gtk_widget_get_mapped (button));
  scroll_to (button);
  {
    g_autofree char *name = g_strdup_printf ("timeline-earlier-%s", kefu_gui_language ());
    g_autofree char *path = kefu_gui_save_screenshot (window, name);

    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  }

  /* Someone adds a note: the page takes the new document live and keeps what it loaded. */
  add_note (N_NOTES);
  w = (Wait) { page, 2 * KEFU_TIMELINE_PAGE + 1 };
  g_assert_true (kefu_gui_wait (entries_are, &w, 5000));
  g_assert_cmpint (kefu_ticket_page_get_ticket (page)->timeline_total, ==, N_NOTES + 2);

  /* The second press loads the rest: every entry once, and the button goes. */
  gtk_widget_activate (button);
  w = (Wait) { page, N_NOTES + 2 };
  g_assert_true (kefu_gui_wait (entries_are, &w, 5000));
  kefu_gui_run_for (100);
  g_assert_cmpuint (rows_on_screen (page), ==, N_NOTES + 2);
  g_assert_false (gtk_widget_get_visible (button));

  gtk_window_destroy (GTK_WINDOW (window));
  kefu_gui_run_for (50);
}

int
main (int    argc,
      char **argv)
{
  int result;

  kefu_gui_test_init (&argc, &argv);

  server = kefu_gui_server_new ();
  app = kefu_gui_application_new ();
  agent_token = kefu_gui_server_login (server, "agent");
  {
    g_autoptr(JsonNode) created = kefu_gui_api (server, agent_token, "POST", "/tickets",
                                                "{\"channel\":\"phone\",\"category\":\"quality\","
                                                "\"priority\":3,\"description\":\"洗衣机无法开机\","
                                                "\"customer\":{\"name\":\"王小明\","
                                                "\"phone\":\"13512347718\"},"
                                                "\"submitted_at\":\"@NOW@\"}",
                                                NULL, 201);

    number = g_strdup (json_object_get_string_member (kefu_gui_object (created), "number"));
  }
  for (guint i = 0; i < N_NOTES; i++)
    add_note (i);

  g_test_add_func ("/timeline/show-earlier", test_show_earlier);
  result = g_test_run ();

  g_clear_object (&app);
  kefu_gui_server_free (server);
  g_free (agent_token);
  g_free (number);
  return result;
}
