/* test-two-clients.c — two clients on one demo server: a ticket registered in one appears
 * live on the other's board
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two windows, each with its own KefuConnection (its own HTTP session and event stream), signed
 * in as two people: an agent registers a P1 through the registration form opened with the
 * window's "new-ticket" action; the supervisor's board shows it in the P1 column within a
 * second with a countdown that runs.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kefu-application.h"
#include "kefu-board.h"
#include "kefu-gui-test.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-form.h"
#include "kefu-window.h"

static KefuGuiServer *server;

typedef struct {
  KefuConnection *connection;
  KefuWindow     *window;
} Client;

static gboolean
list_complete (gpointer data)
{
  Client *c = data;

  return kefu_ticket_list_get_complete (kefu_connection_get_tickets (c->connection));
}

static void
client_open (Client          *c,
             KefuApplication *app,
             const char      *username)
{
  c->connection = kefu_connection_new ();
  c->window = kefu_gui_window_new (app, c->connection, 1280, 800);
  kefu_window_sign_in (c->window, kefu_gui_server_get_url (server), username, "demo");
  g_assert_true (kefu_gui_wait (list_complete, c, 10000));
  g_assert_cmpint (kefu_connection_get_state (c->connection), ==,
                   KEFU_CONNECTION_STATE_CONNECTED);
}

static void
client_close (Client *c)
{
  gtk_window_destroy (GTK_WINDOW (c->window));
  g_clear_object (&c->connection);
}

static gpointer
form_child (KefuTicketForm *form,
            const char     *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (form), KEFU_TYPE_TICKET_FORM, name);

  g_assert_nonnull (child);
  return child;
}

/* The registration form open on top of @window, or NULL. */
static KefuTicketForm *
find_form (KefuWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (KEFU_IS_TICKET_FORM (w) &&
          gtk_window_get_transient_for (w) == GTK_WINDOW (window))
        return KEFU_TICKET_FORM (w);
    }
  return NULL;
}

static gboolean
form_is_open (gpointer data)
{
  return find_form (data) != NULL;
}

static gboolean
form_done (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (form_child (data, "stack")), "done") == 0;
}

static void
on_created (KefuTicketForm  *form,
            const char      *number,
            char           **out)
{
  g_free (*out);
  *out = g_strdup (number);
}

/* The card showing @number on @window's board, mapped, or NULL. */
typedef struct {
  KefuWindow *window;
  const char *number;
  int         priority;
} Watch;

static gboolean
in_column (gpointer data)
{
  Watch *w = data;
  GListModel *model = kefu_board_get_column_model (kefu_window_get_board (w->window), w->priority);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KefuTicketObject) t = g_list_model_get_item (model, i);

      if (g_strcmp0 (kefu_ticket_object_get_number (t), w->number) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
card_shown (gpointer data)
{
  Watch *w = data;

  return kefu_gui_find_card (GTK_WIDGET (w->window), w->number) != NULL;
}

/* Whether @card shows the countdown to @due as of now (or of the tick just before). */
static gboolean
countdown_shows (KefuTicketCard *card,
                 gint64          due)
{
  gint64 now = g_get_real_time ();

  for (int back = 0; back <= 1; back++)
    {
      g_autofree char *text = NULL;

      text = kefu_ticket_card_format_countdown (due - (now - back * G_USEC_PER_SEC), NULL);
      if (g_strcmp0 (text, kefu_ticket_card_get_countdown_text (card)) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_registered_in_one_appears_on_the_other (void)
{
  g_autoptr(KefuApplication) app = kefu_gui_application_new ();
  Client agent = { 0 }, supervisor = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *name = g_strdup_printf ("双客户端 %d", g_random_int_range (1000, 9999));
  KefuTicketForm *form;
  KefuTicketCard *card;
  Watch watch = { 0 };
  gint64 saved, shown;

  client_open (&agent, app, "agent");
  client_open (&supervisor, app, "supervisor");
  g_assert_true (agent.connection != supervisor.connection);

  /* The agent registers a P1 through the form, as a user does (Ctrl+N). */
  gtk_widget_activate_action (GTK_WIDGET (agent.window), "win.new-ticket", NULL);
  g_assert_true (kefu_gui_wait (form_is_open, agent.window, 2000));
  form = find_form (agent.window);
  kefu_gui_run_for (200);   /* the SLA policy arrives */
  g_signal_connect (form, "created", G_CALLBACK (on_created), &number);

  gtk_editable_set_text (form_child (form, "name_row"), name);
  gtk_editable_set_text (form_child (form, "phone_row"), "13700135790");
  gtk_editable_set_text (form_child (form, "order_row"), "SO-TWO-4411");
  adw_combo_row_set_selected (form_child (form, "category_row"), 0);   /* quality */
  gtk_editable_set_text (form_child (form, "subcategory_row"), "无法开机");
  gtk_check_button_set_active (form_child (form, "p1_check"), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (form_child (form, "description_view")),
                            "热水器完全打不着火，家里老人小孩没热水洗澡。", -1);
  saved = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  g_assert_true (kefu_gui_wait (form_done, form, 5000));
  g_assert_nonnull (number);

  /* On the supervisor's board: the P1 column, within a second. */
  watch.window = supervisor.window;
  watch.number = number;
  watch.priority = 1;
  g_assert_true (kefu_gui_wait (in_column, &watch, 1000));
  shown = g_get_monotonic_time ();
  g_test_message ("%s on the other client's board %" G_GINT64_FORMAT " ms after Save",
                  number, (shown - saved) / 1000);
  g_assert_cmpint (shown - saved, <, G_USEC_PER_SEC);
  for (int p = 2; p <= 4; p++)
    {
      Watch other = watch;

      other.priority = p;
      g_assert_false (in_column (&other));
    }

  /* Drawn, with a countdown that runs: what the card shows is the time left to the ticket's
   * nearest due from now (P1: 2 h to the first response), at two moments more than a second
   * apart — and across a minute boundary it changes (test-board's one-timer test shows the
   * seconds moving). */
  g_assert_true (kefu_gui_wait (card_shown, &watch, 1000));
  for (guint i = 0; i < 2; i++)
    {
      KefuTicketObject *t;
      gint64 due;

      card = kefu_gui_find_card (GTK_WIDGET (supervisor.window), number);
      t = kefu_ticket_card_get_ticket (card);
      due = kefu_ticket_object_get_nearest_due (t);
      g_assert_cmpint (due, >, g_get_real_time () + G_GINT64_CONSTANT (119) * 60 * G_USEC_PER_SEC);
      g_assert_cmpint (due, <=, g_get_real_time () + G_GINT64_CONSTANT (120) * 60 * G_USEC_PER_SEC);
      if (!countdown_shows (card, due))
        g_error ("card shows %s, %d s before its due",
                 kefu_ticket_card_get_countdown_text (card),
                 (int) ((due - g_get_real_time ()) / G_USEC_PER_SEC));
      g_clear_pointer (&first_text, g_free);
      first_text = g_strdup (kefu_ticket_card_get_countdown_text (card));
      g_test_message ("countdown: %s", first_text);
      kefu_gui_run_for (1200);
    }

  /* And the agent's own board has it too, from its own stream. */
  watch.window = agent.window;
  g_assert_true (kefu_gui_wait (in_column, &watch, 1000));

  g_free (kefu_gui_save_screenshot (GTK_WIDGET (supervisor.window), "two-clients-supervisor"));

  gtk_window_destroy (GTK_WINDOW (form));
  client_close (&agent);
  client_close (&supervisor);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kefu_gui_test_init (&argc, &argv);
  server = kefu_gui_server_new ();

  g_test_add_func ("/two-clients/registered-appears-live",
                   test_registered_in_one_appears_on_the_other);

  ret = g_test_run ();
  kefu_gui_server_free (server);
  return ret;
}
