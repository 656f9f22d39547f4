/* test-workflow.c — working a ticket through the client: assign (dialog and drop), re-prioritise,
 * accept, start, wait, resolve, confirm unsatisfied; what each role is offered
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One demo server; a supervisor's main window (board with the workload panel), a technician's
 * main window ("My work") and ticket pages opened as the agent, the technicians and the
 * supervisor, each on a connection of its own, as separate clients would be. Everything is
 * driven through the widgets' actions and the forms' fields, and checked against the server.
 *
 * Screenshots (BUILDDIR/tests/gui/screenshots/): workflow-board-panel, workflow-card-menu,
 * workflow-priority-dialog, workflow-assign-form, workflow-assign-error, workflow-supervisor-page,
 * workflow-my-work, workflow-technician-working, workflow-resolve-form,
 * workflow-technician-page, workflow-confirm-form, workflow-agent-page, each -en or -zh_CN
 * (meson runs the program again with LANGUAGE=zh_CN).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kefu-application.h"
#include "kefu-board.h"
#include "kefu-gui-test.h"
#include "kefu-my-work.h"
#include "kefu-ticket-actions.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-page.h"
#include "kefu-window.h"
#include "kefu-workload-panel.h"

static KefuGuiServer   *server;
static KefuApplication *app;
static KefuWindow      *window;        /* the supervisor's */
static KefuWindow      *tech_window;   /* the technician's */
static KefuConnection  *agent;
static KefuConnection  *technician2;
static char            *supervisor_token;
static char            *agent_token;

/* The tickets the tests work on. */
static char            *first;         /* assigned with the dialog, worked, confirmed */
static char            *second;        /* assigned by dropping, re-prioritised */

/* ---- helpers ------------------------------------------------------------------------------ */

static void
screenshot (GtkWidget  *widget,
            const char *what)
{
  g_autofree char *name = g_strdup_printf ("workflow-%s-%s", what, kefu_gui_language ());
  g_autofree char *path = NULL;

  kefu_gui_run_for (300);
  path = kefu_gui_save_screenshot (widget, name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* The ticket as the server has it now (kept alive in *keep). */
static JsonObject *
server_ticket (const char  *number,
               JsonNode   **keep)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);

  g_clear_pointer (keep, json_node_unref);
  *keep = kefu_gui_api (server, supervisor_token, "GET", path, NULL, NULL, 200);
  return kefu_gui_object (*keep);
}

static const char *
server_status (const char *number)
{
  static char status[32];
  g_autoptr(JsonNode) keep = NULL;

  g_strlcpy (status, json_object_get_string_member (server_ticket (number, &keep), "status"),
             sizeof status);
  return status;
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

static char *
create_ticket (const char *subcategory)
{
  g_autofree char *body = g_strdup_printf (
    "{\"channel\":\"phone\",\"category\":\"quality\",\"subcategory\":\"%s\",\"priority\":3,"
    "\"customer\":{\"name\":\"周师傅\",\"phone\":\"13700001234\",\"order_no\":\"SO-55%d\","
    "\"address\":\"上海市浦东新区张江路 88 号\"},"
    "\"description\":\"洗衣机脱水时声音很大，机身晃动\",\"submitted_at\":\"@NOW@\"}",
    subcategory, g_random_int_range (100, 999));
  g_autoptr(JsonNode) answer = kefu_gui_api (server, agent_token, "POST", "/tickets", body, NULL, 201);

  return g_strdup (json_object_get_string_member (kefu_gui_object (answer), "number"));
}

typedef struct {
  GtkWidget *window;
  GtkWidget *page;
} PageWindow;

static gboolean
page_loaded (gpointer data)
{
  return kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (data)) != NULL;
}

static PageWindow
open_page_as (KefuConnection *as,
              const char     *number)
{
  PageWindow pw;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_window_title_new ("", NULL);

  pw.window = adw_window_new ();
  pw.page = kefu_ticket_page_new (as, number);
  g_object_bind_property (pw.page, "title", title, "title", G_BINDING_SYNC_CREATE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (pw.page, TRUE);
  gtk_box_append (GTK_BOX (box), pw.page);
  adw_window_set_content (ADW_WINDOW (pw.window), box);
  gtk_window_set_default_size (GTK_WINDOW (pw.window), 820, 720);
  gtk_window_present (GTK_WINDOW (pw.window));
  g_assert_true (kefu_gui_wait (page_loaded, pw.page, 5000));
  return pw;
}

static KefuTicketActions *
actions_of (PageWindow *pw)
{
  return kefu_ticket_page_get_actions (KEFU_TICKET_PAGE (pw->page));
}

static gboolean
has_form (gpointer data)
{
  return kefu_ticket_actions_get_form (data) != NULL;
}

static gboolean
has_no_form (gpointer data)
{
  return kefu_ticket_actions_get_form (data) == NULL;
}

/* Runs @action of the page's workflow and waits for its form. */
static GtkWindow *
open_form (PageWindow *pw,
           const char *action)
{
  KefuTicketActions *actions = actions_of (pw);

  gtk_widget_activate_action (GTK_WIDGET (actions), action, NULL);
  g_assert_true (kefu_gui_wait (has_form, actions, 5000));
  kefu_gui_run_for (200);
  return kefu_ticket_actions_get_form (actions);
}

typedef struct {
  GtkWidget  *page;
  const char *status;
} StatusWait;

static gboolean
page_has_status (gpointer data)
{
  StatusWait *wait = data;
  KefuTicketPage *page = KEFU_TICKET_PAGE (wait->page);
  KefuTicket *ticket = kefu_ticket_page_get_ticket (page);

  /* The page may show the new status (from the live event) a moment before the request's own
   * answer ends the workflow bar's busy state: wait for both. */
  return ticket != NULL && g_strcmp0 (kefu_status_to_string (ticket->status), wait->status) == 0 &&
         !kefu_ticket_actions_get_busy (kefu_ticket_page_get_actions (page));
}

typedef struct {
  const char *number;
  const char *status;
} ServerWait;

static gboolean
server_has_status (gpointer data)
{
  ServerWait *wait = data;

  return g_strcmp0 (server_status (wait->number), wait->status) == 0;
}

static void
wait_page_status (PageWindow *pw,
                  const char *status)
{
  StatusWait wait = { pw->page, status };

  g_assert_true (kefu_gui_wait (page_has_status, &wait, 5000));
  g_assert_cmpstr (server_status (kefu_ticket_page_get_number (KEFU_TICKET_PAGE (pw->page))), ==,
                   status);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* What a click on one of its buttons does: the response, then the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  kefu_gui_run_for (50);
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

typedef struct {
  const char *number;
  const char *member;
  gint64      value;
} IntWait;

static gboolean
server_int_is (gpointer data)
{
  IntWait *wait = data;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *ticket = server_ticket (wait->number, &keep);

  if (g_str_equal (wait->member, "assignee"))
    {
      JsonNode *node = json_object_get_member (ticket, "assignee");

      return node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
             json_object_get_int_member (json_node_get_object (node), "id") == wait->value;
    }
  return json_object_get_int_member (ticket, wait->member) == wait->value;
}

static GtkDropTarget *
panel_drop_target (gint64 id)
{
  return kefu_workload_panel_get_drop_target (
    kefu_board_get_workload_panel (kefu_window_get_board (window)), id);
}

static gboolean
panel_has_rows (gpointer data)
{
  return kefu_workload_panel_get_n_technicians (
    kefu_board_get_workload_panel (kefu_window_get_board (window))) > 0 &&
    panel_drop_target (GPOINTER_TO_SIZE (data)) != NULL;
}

/* What a drop of a dragged card does: the target gets the ticket number as a string. */
static gboolean
drop_number (GtkDropTarget *target,
             const char    *number)
{
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_assert_nonnull (target);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, number);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_value_unset (&value);
  return handled;
}

static guint
panel_open_count (gint64 id)
{
  KefuWorkloadPanel *panel = kefu_board_get_workload_panel (kefu_window_get_board (window));

  for (guint i = 0; i < kefu_workload_panel_get_n_technicians (panel); i++)
    {
      guint open = 0;

      if (kefu_workload_panel_get_technician (panel, i, NULL, &open) == id)
        return open;
    }
  return G_MAXUINT;
}

/* Open tickets assigned to @id, counted on the server. */
static guint
server_open_count (gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/tickets?status=open&assignee=%" G_GINT64_FORMAT
                                           "&limit=500", id);
  g_autoptr(JsonNode) answer = kefu_gui_api (server, supervisor_token, "GET", path, NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (kefu_gui_object (answer), "tickets"));
}

typedef struct {
  gint64 id;
  guint  open;
} CountWait;

static gboolean
panel_count_is (gpointer data)
{
  CountWait *wait = data;

  return panel_open_count (wait->id) == wait->open;
}

static gboolean
card_is_shown (gpointer data)
{
  return kefu_gui_find_card (GTK_WIDGET (window), data) != NULL;
}

static GtkWidget *
find_popover (GtkWidget *card)
{
  for (GtkWidget *child = gtk_widget_get_first_child (card); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_POPOVER_MENU (child))
        return child;
    }
  return NULL;
}

/* ---- the tests ---------------------------------------------------------------------------- */

static gboolean
window_ready (gpointer data)
{
  return kefu_gui_connection_ready (kefu_window_get_connection (data));
}

static void
test_sign_in (void)
{
  kefu_window_sign_in (window, kefu_gui_server_get_url (server), "supervisor", "demo");
  kefu_window_sign_in (tech_window, kefu_gui_server_get_url (server), "technician", "demo");
  g_assert_true (kefu_gui_wait (window_ready, window, 10000));
  g_assert_true (kefu_gui_wait (window_ready, tech_window, 10000));
  agent = kefu_gui_sign_in (server, "agent");
  technician2 = kefu_gui_sign_in (server, "technician2");

  first = create_ticket ("脱水异响");
  second = create_ticket ("不排水");
}

/* Each role is offered what it may do, and nothing else. */
static void
test_roles (void)
{
  PageWindow as_agent = open_page_as (agent, first);
  PageWindow as_supervisor = open_page_as (kefu_window_get_connection (window), first);
  PageWindow as_tech2 = open_page_as (technician2, first);
  KefuTicketActions *a = actions_of (&as_agent);
  KefuTicketActions *s = actions_of (&as_supervisor);
  KefuTicketActions *t = actions_of (&as_tech2);

  /* A new ticket: only the supervisor assigns, cancels, re-prioritises. */
  g_assert_false (kefu_ticket_actions_is_offered (a, KEFU_TICKET_ACTION_ASSIGN));
  g_assert_false (gtk_widget_get_visible (kefu_ticket_actions_get_button (a,
                                            KEFU_TICKET_ACTION_ASSIGN)));
  g_assert_false (kefu_ticket_actions_is_offered (a, KEFU_TICKET_ACTION_CANCEL));
  g_assert_false (kefu_ticket_actions_is_offered (a, KEFU_TICKET_ACTION_PRIORITY));
  g_assert_true (kefu_ticket_actions_is_offered (a, KEFU_TICKET_ACTION_CLASSIFY));
  g_assert_false (kefu_ticket_actions_is_offered (a, KEFU_TICKET_ACTION_CONFIRM));

  g_assert_true (kefu_ticket_actions_is_offered (s, KEFU_TICKET_ACTION_ASSIGN));
  g_assert_true (gtk_widget_get_visible (kefu_ticket_actions_get_button (s,
                                           KEFU_TICKET_ACTION_ASSIGN)));
  g_assert_true (kefu_ticket_actions_is_offered (s, KEFU_TICKET_ACTION_CANCEL));
  g_assert_true (kefu_ticket_actions_is_offered (s, KEFU_TICKET_ACTION_PRIORITY));
  g_assert_false (kefu_ticket_actions_is_offered (s, KEFU_TICKET_ACTION_RESOLVE));

  for (guint i = 0; i < KEFU_TICKET_ACTION_NOTE; i++)
    g_assert_false (kefu_ticket_actions_is_offered (t, i));

  /* Nobody has accepted the ticket: no progress update is owed yet, so no strip (the agent
   * sees it once the ticket is accepted, below); the technician never does. */
  g_assert_null (kefu_ticket_actions_get_update_text (a));
  g_assert_null (kefu_ticket_actions_get_update_text (t));

  gtk_window_destroy (GTK_WINDOW (as_agent.window));
  gtk_window_destroy (GTK_WINDOW (as_supervisor.window));
  gtk_window_destroy (GTK_WINDOW (as_tech2.window));
}

/* The supervisor assigns with the dialog: technicians with their workload, departments. */
static void
test_assign_dialog (void)
{
  PageWindow pw = open_page_as (kefu_window_get_connection (window), first);
  KefuTicketActions *actions = actions_of (&pw);
  gint64 tech = user_id ("technician");
  g_autofree char *tech_word = g_strdup_printf ("%" G_GINT64_FORMAT, tech);
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) labels = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *ticket;
  GtkWindow *form;
  gboolean listed = FALSE;

  form = open_form (&pw, "workflow.assign");
  words = kefu_ticket_actions_form_get_words (actions, "assignee_id");
  labels = kefu_ticket_actions_form_get_labels (actions, "assignee_id");
  g_assert_cmpuint (g_strv_length (words), >=, 3);   /* the demo's three technicians */
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_test_message ("technician %s: %s", words[i], labels[i]);
      if (g_str_equal (words[i], tech_word))
        {
          g_autofree char *count = g_strdup_printf ("%u", server_open_count (tech));

          /* Name and the number of open tickets. */
          g_assert_nonnull (strstr (labels[i], "刘强"));
          g_assert_nonnull (strstr (labels[i], count));
          listed = TRUE;
        }
    }
  g_assert_true (listed);

  g_assert_true (kefu_ticket_actions_form_select (actions, "assignee_id", tech_word));
  g_assert_true (kefu_ticket_actions_form_select (actions, "department", "technical"));
  screenshot (GTK_WIDGET (form), "assign-form");

  kefu_ticket_actions_form_submit (actions);
  g_assert_true (kefu_gui_wait (has_no_form, actions, 5000));
  wait_page_status (&pw, "assigned");
  ticket = server_ticket (first, &keep);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ticket, "assignee"),
                                               "id"), ==, tech);
  g_assert_cmpstr (json_object_get_string_member (ticket, "department"), ==, "technical");

  /* Assigned: the supervisor may reassign, but not accept for the technician. */
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ASSIGN));
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ACCEPT));
  screenshot (pw.window, "supervisor-page");
  gtk_window_destroy (GTK_WINDOW (pw.window));
}

/* Dropping a card on a technician of the side panel assigns it; dropping it on another asks
 * first; the workload follows. */
static void
test_assign_drop (void)
{
  KefuBoard *board = kefu_window_get_board (window);
  gint64 tech = user_id ("technician");
  gint64 tech2 = user_id ("technician2");
  IntWait assigned = { second, "assignee", tech2 };
  CountWait count = { tech2, 0 };
  AdwMessageDialog *dialog;

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "workload-panel"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "workload-panel", NULL);
  g_assert_true (kefu_board_get_show_workload (board));
  g_assert_true (kefu_gui_wait (panel_has_rows, GSIZE_TO_POINTER (tech2), 5000));

  /* The workload the panel shows is the server's. */
  count.open = server_open_count (tech2);
  g_assert_true (kefu_gui_wait (panel_count_is, &count, 5000));

  /* Unassigned: no question. */
  g_assert_true (drop_number (panel_drop_target (tech2), second));
  g_assert_true (kefu_gui_wait (server_int_is, &assigned, 5000));
  g_assert_null (find_message_dialog ());
  count.open++;
  g_assert_true (kefu_gui_wait (panel_count_is, &count, 5000));

  /* Assigned already: asked first; "cancel" changes nothing. */
  g_assert_true (drop_number (panel_drop_target (tech), second));
  g_assert_true (kefu_gui_wait (has_message_dialog, NULL, 5000));
  dialog = find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Zhao Lei"));
  respond (dialog, "cancel");
  kefu_gui_run_for (500);
  g_assert_true (server_int_is (&assigned));

  g_assert_true (drop_number (panel_drop_target (tech), second));
  g_assert_true (kefu_gui_wait (has_message_dialog, NULL, 5000));
  respond (find_message_dialog (), "ok");
  assigned.value = tech;
  g_assert_true (kefu_gui_wait (server_int_is, &assigned, 5000));
  count.open--;
  g_assert_true (kefu_gui_wait (panel_count_is, &count, 5000));

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 820);
  kefu_gui_run_for (400);
  screenshot (GTK_WIDGET (window), "board-panel");
}

/* Dropping a card on another priority column asks, shows the new deadlines, then changes it. */
static void
test_reprioritise (void)
{
  KefuBoard *board = kefu_window_get_board (window);
  IntWait priority = { second, "priority", 1 };
  g_autoptr(JsonNode) keep = NULL;
  AdwMessageDialog *dialog;
  JsonArray *events;
  gboolean recorded = FALSE;

  /* The same column: nothing to do. */
  g_assert_false (drop_number (kefu_board_get_column_drop_target (board, 3), second));
  g_assert_null (find_message_dialog ());

  g_assert_true (drop_number (kefu_board_get_column_drop_target (board, 1), second));
  g_assert_true (kefu_gui_wait (has_message_dialog, NULL, 5000));
  dialog = find_message_dialog ();
  g_test_message ("%s — %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), second));
  /* The new targets of P1 (2 h response, 24 h resolution by default). */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "P3 → P1"));
  screenshot (GTK_WIDGET (dialog), "priority-dialog");
  respond (dialog, "ok");

  g_assert_true (kefu_gui_wait (server_int_is, &priority, 5000));
  events = json_object_get_array_member (server_ticket (second, &keep), "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      recorded |= g_strcmp0 (json_object_get_string_member (event, "kind"), "priority") == 0;
    }
  g_assert_true (recorded);

  /* Without dragging: the card's menu (right click, Menu, Shift+F10) runs the same actions. */
  {
    GtkWidget *card;
    GtkWidget *column;
    GtkWidget *popover;

    g_assert_true (kefu_gui_wait (card_is_shown, second, 3000));
    card = GTK_WIDGET (kefu_gui_find_card (GTK_WIDGET (window), second));
    column = gtk_widget_get_ancestor (card, KEFU_TYPE_BOARD_COLUMN);
    kefu_board_column_popup_menu (KEFU_BOARD_COLUMN (column), card);
    kefu_gui_run_for (200);
    popover = find_popover (card);
    g_assert_nonnull (popover);
    g_assert_true (gtk_widget_get_visible (popover));
    screenshot (popover, "card-menu");
    gtk_popover_popdown (GTK_POPOVER (popover));
    kefu_gui_run_for (100);
  }
  gtk_widget_activate_action (GTK_WIDGET (board), "board.menu-ticket", "s", second);
  gtk_widget_activate_action (GTK_WIDGET (board), "board.set-priority", "i", 2);
  g_assert_true (kefu_gui_wait (has_message_dialog, NULL, 5000));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (find_message_dialog ()), "P1 → P2"));
  respond (find_message_dialog (), "cancel");
  kefu_gui_run_for (300);
  g_assert_true (server_int_is (&priority));

  /* And the card moves to P1 on the board. */
  {
    GListModel *p1 = kefu_board_get_column_model (board, 1);
    gboolean found = FALSE;
    gint64 start = g_get_monotonic_time ();

    while (!found && g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC)
      {
        for (guint i = 0; i < g_list_model_get_n_items (p1) && !found; i++)
          {
            g_autoptr(KefuTicketObject) t = g_list_model_get_item (p1, i);

            found = g_strcmp0 (kefu_ticket_object_get_number (t), second) == 0;
          }
        kefu_gui_run_for (20);
      }
    g_assert_true (found);
  }
}

static gboolean
in_my_work (gpointer data)
{
  GListModel *model = kefu_my_work_get_model (
    KEFU_MY_WORK (gtk_widget_get_template_child (GTK_WIDGET (tech_window), KEFU_TYPE_WINDOW,
                                                 "my_work")));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KefuTicketObject) t = g_list_model_get_item (model, i);

      if (g_strcmp0 (kefu_ticket_object_get_number (t), data) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The technician: accept from "My work", then start, wait for parts, resume and resolve on the
 * ticket page. */
static void
test_technician (void)
{
  KefuMyWork *my_work = KEFU_MY_WORK (gtk_widget_get_template_child (GTK_WIDGET (tech_window),
                                                                     KEFU_TYPE_WINDOW,
                                                                     "my_work"));
  KefuConnection *tech = kefu_window_get_connection (tech_window);
  GListModel *model = kefu_my_work_get_model (my_work);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *resolution;
  KefuTicketActions *actions;
  PageWindow pw;
  GtkWindow *form;

  /* "My work" shows the technician's open tickets, nearest due first. */
  g_assert_true (kefu_gui_wait (in_my_work, first, 5000));
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KefuTicketObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(KefuTicketObject) b = g_list_model_get_item (model, i);

      g_assert_cmpint (kefu_board_compare_due (a, b), <, 0);
      g_assert_cmpint (kefu_ticket_object_get_assignee_id (b), ==, kefu_connection_get_user_id (tech));
    }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (
                     ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (tech_window),
                                                                    KEFU_TYPE_WINDOW,
                                                                    "view_stack"))), ==,
                   "mywork");
  screenshot (GTK_WIDGET (tech_window), "my-work");

  kefu_my_work_activate (my_work, first, "accept");
  {
    ServerWait wait = { first, "accepted" };

    g_assert_true (kefu_gui_wait (server_has_status, &wait, 5000));
  }
  g_assert_cmpstr (server_status (first), ==, "accepted");

  /* Accepted: the agent sees when the customer is next due an update. */
  {
    PageWindow as_agent = open_page_as (agent, first);

    g_test_message ("agent's update strip: %s",
                    kefu_ticket_actions_get_update_text (actions_of (&as_agent)));
    g_assert_nonnull (kefu_ticket_actions_get_update_text (actions_of (&as_agent)));
    gtk_window_destroy (GTK_WINDOW (as_agent.window));
  }

  pw = open_page_as (tech, first);
  actions = actions_of (&pw);
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ACCEPT));
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ASSIGN));
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_START_WORK));

  gtk_widget_activate_action (GTK_WIDGET (actions), "workflow.start-work", NULL);
  wait_page_status (&pw, "in_progress");
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_WAIT_PARTS));
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_WAIT_CUSTOMER));
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_RESOLVE));
  screenshot (pw.window, "technician-working");

  /* Waiting for parts needs a reason: the error shows at the field. */
  form = open_form (&pw, "workflow.wait-parts");
  kefu_ticket_actions_form_submit (actions);
  g_assert_nonnull (kefu_ticket_actions_form_get_error (actions, "reason"));
  g_assert_true (kefu_ticket_actions_get_form (actions) == form);
  kefu_ticket_actions_form_set_text (actions, "reason", "电机轴承已订货，预计周三到");
  kefu_ticket_actions_form_submit (actions);
  g_assert_true (kefu_gui_wait (has_no_form, actions, 5000));
  wait_page_status (&pw, "waiting_parts");

  /* Resume. */
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_START_WORK));
  gtk_widget_activate_action (GTK_WIDGET (actions), "workflow.start-work", NULL);
  wait_page_status (&pw, "in_progress");

  /* Resolve: kind, summary, cost and time. */
  form = open_form (&pw, "workflow.resolve");
  {
    g_auto(GStrv) kinds = kefu_ticket_actions_form_get_words (actions, "kind");

    g_assert_cmpuint (g_strv_length (kinds), ==, KEFU_RESOLUTION_LAST);
  }
  g_assert_true (kefu_ticket_actions_form_select (actions, "kind", "repair"));
  kefu_ticket_actions_form_set_text (actions, "summary", "更换电机轴承，试机脱水正常");
  kefu_ticket_actions_form_set_number (actions, "cost_cents", 120.5);
  kefu_ticket_actions_form_set_number (actions, "minutes_spent", 90);
  screenshot (GTK_WIDGET (form), "resolve-form");
  kefu_ticket_actions_form_submit (actions);
  g_assert_true (kefu_gui_wait (has_no_form, actions, 5000));
  wait_page_status (&pw, "resolved");

  resolution = json_object_get_object_member (server_ticket (first, &keep), "resolution");
  g_assert_cmpstr (json_object_get_string_member (resolution, "kind"), ==, "repair");
  g_assert_cmpint (json_object_get_int_member (resolution, "cost_cents"), ==, 12050);
  g_assert_cmpint (json_object_get_int_member (resolution, "minutes_spent"), ==, 90);
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_CONFIRM));
  screenshot (pw.window, "technician-page");
  gtk_window_destroy (GTK_WINDOW (pw.window));
}

/* The agent confirms: not solved, 2/5 — the ticket reopens with a level-2 escalation. */
static void
test_confirm_unsatisfied (void)
{
  PageWindow pw = open_page_as (agent, first);
  KefuTicketActions *actions = actions_of (&pw);
  g_autoptr(JsonNode) keep = NULL;
  g_auto(GStrv) labels = NULL;
  JsonObject *ticket;
  GtkWindow *form;
  PageWindow other;

  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_CONFIRM));
  form = open_form (&pw, "workflow.confirm");

  /* The seed's words next to the scores. */
  labels = kefu_ticket_actions_form_get_labels (actions, "satisfaction");
  g_assert_cmpuint (g_strv_length (labels), ==, 5);
  g_assert_nonnull (strstr (labels[0], g_dgettext (GETTEXT_PACKAGE, "Satisfied")));
  g_assert_nonnull (strstr (labels[2], g_dgettext (GETTEXT_PACKAGE, "Basically satisfied")));
  g_assert_nonnull (strstr (labels[4], g_dgettext (GETTEXT_PACKAGE, "Unsatisfied")));

  kefu_ticket_actions_form_set_active (actions, "solved", FALSE);
  g_assert_true (kefu_ticket_actions_form_select (actions, "satisfaction", "2"));
  kefu_ticket_actions_form_set_text (actions, "comment", "还是有异响，很不满意");
  /* It says what will happen. */
  g_test_message ("note: %s", kefu_ticket_actions_form_get_note (actions));
  g_assert_nonnull (kefu_ticket_actions_form_get_note (actions));
  g_assert_nonnull (strstr (kefu_ticket_actions_form_get_note (actions), "2"));
  screenshot (GTK_WIDGET (form), "confirm-form");

  kefu_ticket_actions_form_submit (actions);
  g_assert_true (kefu_gui_wait (has_no_form, actions, 5000));
  wait_page_status (&pw, "reopened");
  ticket = server_ticket (first, &keep);
  g_assert_cmpint (json_object_get_int_member (ticket, "escalation_level"), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (ticket,
                                                                                 "confirmation"),
                                                  "solved"));
  screenshot (pw.window, "agent-page");
  gtk_window_destroy (GTK_WINDOW (pw.window));

  /* Reopened: technician2 (not the assignee) cannot pick it up; the agent cannot assign. */
  other = open_page_as (technician2, first);
  g_assert_false (kefu_ticket_actions_is_offered (actions_of (&other),
                                                  KEFU_TICKET_ACTION_START_WORK));
  g_assert_false (kefu_ticket_actions_is_offered (actions_of (&other),
                                                  KEFU_TICKET_ACTION_ACCEPT));
  gtk_window_destroy (GTK_WINDOW (other.window));
  other = open_page_as (agent, first);
  g_assert_false (kefu_ticket_actions_is_offered (actions_of (&other),
                                                  KEFU_TICKET_ACTION_ASSIGN));
  gtk_window_destroy (GTK_WINDOW (other.window));
  other = open_page_as (kefu_window_get_connection (tech_window), first);
  g_assert_true (kefu_ticket_actions_is_offered (actions_of (&other),
                                                 KEFU_TICKET_ACTION_START_WORK));
  gtk_window_destroy (GTK_WINDOW (other.window));
}

/* Someone else changes the ticket while a form is open: 409, the page says so and reloads. */
static void
test_version_conflict (void)
{
  PageWindow pw = open_page_as (kefu_window_get_connection (window), second);
  KefuTicketActions *actions = actions_of (&pw);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/notes", second);
  g_autofree char *version = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 seen = kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (pw.page))->version;
  IntWait priority = { second, "priority", 1 };

  open_form (&pw, "workflow.priority");
  g_assert_true (kefu_ticket_actions_form_select (actions, "priority", "2"));
  g_assert_nonnull (kefu_ticket_actions_form_get_note (actions));

  version = g_strdup_printf ("%" G_GINT64_FORMAT, seen);
  answer = kefu_gui_api (server, supervisor_token, "POST", path, "{\"text\":\"客户来电催促\",\"kind\":\"note\"}",
                version, 200);
  /* Submit on the old version, before the page hears of the new one. */
  kefu_ticket_actions_form_submit (actions);
  g_assert_true (kefu_gui_wait (has_no_form, actions, 5000));
  g_assert_true (server_int_is (&priority));
  {
    gint64 start = g_get_monotonic_time ();

    while (kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (pw.page))->version <= seen &&
           g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
      kefu_gui_run_for (20);
  }
  g_assert_cmpint (kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (pw.page))->version, >, seen);
  gtk_window_destroy (GTK_WINDOW (pw.window));
}

/* A field the server refuses shows its error under that field, and the form stays open: the
 * technician chosen is deactivated before the assignment reaches the server. */
static void
test_server_field_error (void)
{
  PageWindow pw = open_page_as (kefu_window_get_connection (window), second);
  KefuTicketActions *actions = actions_of (&pw);
  g_autofree char *admin_token = kefu_gui_server_login (server, "admin");
  gint64 tech3 = user_id ("technician3");
  g_autofree char *word = g_strdup_printf ("%" G_GINT64_FORMAT, tech3);
  g_autofree char *path = g_strdup_printf ("/users/%" G_GINT64_FORMAT, tech3);
  g_autoptr(JsonNode) answer = NULL;
  IntWait assigned = { second, "assignee", tech3 };
  const char *error;
  GtkWindow *form;

  form = open_form (&pw, "workflow.assign");
  g_assert_true (kefu_ticket_actions_form_select (actions, "assignee_id", word));

  answer = kefu_gui_api (server, admin_token, "PATCH", path, "{\"active\":false}", NULL, 200);
  kefu_ticket_actions_form_submit (actions);
  {
    gint64 start = g_get_monotonic_time ();

    while (kefu_ticket_actions_form_get_error (actions, "assignee_id") == NULL &&
           g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
      kefu_gui_run_for (20);
  }
  error = kefu_ticket_actions_form_get_error (actions, "assignee_id");
  g_test_message ("at the field: %s", error);
  g_assert_cmpstr (error, ==, g_dgettext (GETTEXT_PACKAGE,
                                          "This person is no longer active. Choose someone "
                                          "else."));
  g_assert_true (kefu_ticket_actions_get_form (actions) == form);
  screenshot (GTK_WIDGET (form), "assign-error");

  /* Active again: the same form goes through. */
  g_clear_pointer (&answer, json_node_unref);
  answer = kefu_gui_api (server, admin_token, "PATCH", path, "{\"active\":true}", NULL, 200);
  kefu_ticket_actions_form_submit (actions);
  g_assert_true (kefu_gui_wait (has_no_form, actions, 5000));
  g_assert_true (kefu_gui_wait (server_int_is, &assigned, 5000));
  gtk_window_destroy (GTK_WINDOW (pw.window));
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
  {
    g_autoptr(KefuConnection) tech_connection = kefu_connection_new ();

    tech_window = kefu_window_new (GTK_APPLICATION (app), tech_connection);
  }
  gtk_window_set_default_size (GTK_WINDOW (tech_window), 900, 700);
  gtk_window_present (GTK_WINDOW (tech_window));

  g_test_add_func ("/workflow/sign-in", test_sign_in);
  g_test_add_func ("/workflow/roles", test_roles);
  g_test_add_func ("/workflow/assign-dialog", test_assign_dialog);
  g_test_add_func ("/workflow/assign-drop", test_assign_drop);
  g_test_add_func ("/workflow/reprioritise", test_reprioritise);
  g_test_add_func ("/workflow/technician", test_technician);
  g_test_add_func ("/workflow/confirm-unsatisfied", test_confirm_unsatisfied);
  g_test_add_func ("/workflow/version-conflict", test_version_conflict);
  g_test_add_func ("/workflow/server-field-error", test_server_field_error);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (tech_window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&agent);
  g_clear_object (&technician2);
  g_object_unref (app);
  kefu_gui_server_free (server);
  g_free (supervisor_token);
  g_free (agent_token);
  g_free (first);
  g_free (second);

  return ret;
}
