/* test-e2e.c — one ticket worked end to end by four people, each in a client of their own,
 * every step live in the others within a second
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One demo server; four main windows in one process, each with its own KefuConnection (its own
 * HTTP session and event stream), as four separate clients would be: a supervisor (board), a
 * technician ("My work"), an agent and a manager (alerts). The ticket goes the whole way of
 * issue 5, each step done by the role that does it, through the widgets a user clicks:
 *
 *   intake (agent, registration form) → assign (supervisor, the workflow bar's Assign dialog)
 *   → accept (technician, "My work") → start work (technician, ticket page) → field visit:
 *   schedule, arrive, done (technician) → resolve (technician, dialog) → confirm unsatisfied
 *   (agent, dialog): reopened, escalation level 2, the manager's alert → start work → resolve
 *   again → confirm satisfied (agent): closed.
 *
 * After each step every client's ticket list has the new version (status, assignee,
 * escalation level), so do the ticket pages open in the other clients, the supervisor's board
 * (the card updated; off the board while resolved and once closed, back when reopened) and the
 * technician's "My work"; the time each took
 * from the moment the acting client had the server's answer is measured and must be under a
 * second. The figures go to the test log (g_test_message).
 *
 * Screenshots (BUILDDIR/tests/gui/screenshots/e2e-*-en.png, or -zh_CN when LANGUAGE=zh_CN):
 * the supervisor's board and ticket page, the technician's "My work" and ticket page, the
 * agent's form and ticket page, the manager's alert strip and Alerts page, at the key steps.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kefu-alert-list.h"
#include "kefu-alert-row.h"
#include "kefu-alert-strip.h"
#include "kefu-alerts-page.h"
#include "kefu-application.h"
#include "kefu-board.h"
#include "kefu-gui-test.h"
#include "kefu-my-work.h"
#include "kefu-ticket-actions.h"
#include "kefu-ticket-card.h"
#include "kefu-ticket-form.h"
#include "kefu-ticket-page.h"
#include "kefu-ticket-text.h"
#include "kefu-visits-section.h"
#include "kefu-window.h"

/* How long the product may take to show a change in another client. */
#define LIVE_DEADLINE_MS 1000
/* How long the test waits for a UI to do its part (generous: a loaded 2-core machine). */
#define UI_TIMEOUT_MS    10000

enum {
  SUPERVISOR,
  TECHNICIAN,
  AGENT,
  MANAGER,
  N_CLIENTS
};

typedef struct {
  const char     *username;
  KefuConnection *connection;
  KefuWindow     *window;
  GtkWidget      *page;          /* the ticket's page open in this client, or NULL */
  GtkWindow      *page_window;
} Client;

static Client clients[N_CLIENTS] = {
  [SUPERVISOR] = { "supervisor" },
  [TECHNICIAN] = { "technician" },
  [AGENT]      = { "agent" },
  [MANAGER]    = { "manager" },
};

static KefuGuiServer   *server;
static KefuApplication *app;
static char            *supervisor_token;
static char            *manager_token;

/* The ticket, once registered, and what it is about. */
static char            *number;
static int              priority;
static gint64           technician_id;
/* Whether the supervisor's board is narrowed to the ticket (its card is then on screen). */
static gboolean         board_filtered;
static char            *technician_name;

/* ---- helpers ------------------------------------------------------------------------------ */

static const char *
language_suffix (void)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && g_str_has_prefix (language, "zh") ? "zh_CN" : "en";
}

static void
screenshot (GtkWidget  *widget,
            const char *what)
{
  g_autofree char *name = g_strdup_printf ("e2e-%s-%s", what, language_suffix ());
  g_autofree char *path = NULL;

  kefu_gui_run_for (300);
  path = kefu_gui_save_screenshot (widget, name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static JsonNode *
api (const char *token,
     const char *method,
     const char *path,
     const char *body,
     const char *if_match,
     guint       expected_status)
{
  guint status = 0;
  JsonNode *answer = kefu_gui_server_request (server, token, method, path, body, if_match,
                                              &status);

  if (status != expected_status)
    g_error ("%s %s answered %u, not %u", method, path, status, expected_status);
  return answer;
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* The ticket as the server has it now (kept alive in *keep). */
static JsonObject *
server_ticket (JsonNode **keep)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);

  g_clear_pointer (keep, json_node_unref);
  *keep = api (supervisor_token, "GET", path, NULL, NULL, 200);
  return object_of (*keep);
}

static KefuTicketList *
tickets_of (int who)
{
  return kefu_connection_get_tickets (clients[who].connection);
}

/* The ticket as client @who's list has it, or NULL. */
static KefuTicket *
listed (int who)
{
  KefuTicketObject *object = kefu_ticket_list_lookup (tickets_of (who), number);

  return object != NULL ? kefu_ticket_object_get_ticket (object) : NULL;
}

static gboolean
window_ready (gpointer data)
{
  Client *c = data;

  return kefu_connection_get_state (c->connection) == KEFU_CONNECTION_STATE_CONNECTED &&
         kefu_connection_get_user_id (c->connection) != 0 &&
         kefu_ticket_list_get_complete (kefu_connection_get_tickets (c->connection)) &&
         kefu_alert_list_get_loaded (kefu_alert_list_get_for_connection (c->connection));
}

static KefuMyWork *
my_work (void)
{
  return KEFU_MY_WORK (gtk_widget_get_template_child (GTK_WIDGET (clients[TECHNICIAN].window),
                                                      KEFU_TYPE_WINDOW, "my_work"));
}

static gboolean
in_model (GListModel *model)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KefuTicketObject) t = g_list_model_get_item (model, i);

      if (g_strcmp0 (kefu_ticket_object_get_number (t), number) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
on_board (int column)
{
  return in_model (kefu_board_get_column_model (kefu_window_get_board (clients[SUPERVISOR].window),
                                                column));
}

/* The card on screen that shows the ticket, or NULL. */
static KefuTicketCard *
find_card (GtkWidget *widget)
{
  if (KEFU_IS_TICKET_CARD (widget))
    {
      KefuTicketObject *t = kefu_ticket_card_get_ticket (KEFU_TICKET_CARD (widget));

      return t != NULL && g_strcmp0 (kefu_ticket_object_get_number (t), number) == 0 &&
             gtk_widget_get_mapped (widget) ? KEFU_TICKET_CARD (widget) : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      KefuTicketCard *card = find_card (child);

      if (card != NULL)
        return card;
    }
  return NULL;
}

/* The ticket page of @number inside @widget, or NULL. */
static GtkWidget *
find_page (GtkWidget *widget)
{
  if (KEFU_IS_TICKET_PAGE (widget))
    return g_strcmp0 (kefu_ticket_page_get_number (KEFU_TICKET_PAGE (widget)), number) == 0
           ? widget : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *page = find_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

static gboolean
page_window_open (gpointer data)
{
  Client *c = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      GtkWidget *page;

      if (gtk_window_get_transient_for (w) != GTK_WINDOW (c->window))
        continue;
      page = find_page (GTK_WIDGET (w));
      if (page != NULL && kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (page)) != NULL)
        {
          c->page = page;
          c->page_window = w;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
window_is_tall (gpointer data)
{
  /* The request counts the window's shadow, the height does not. */
  return gtk_widget_get_height (data) >= 900;
}

/* Opens the ticket in @who's client as its user does (a card, a row, an alert: all run
 * win.open-ticket): a window of its own with the ticket page. */
static void
open_page (int who)
{
  Client *c = &clients[who];

  gtk_widget_activate_action (GTK_WIDGET (c->window), "win.open-ticket", "s", number);
  g_assert_true (kefu_gui_wait (page_window_open, c, UI_TIMEOUT_MS));
  /* Taller than the window's default, for the screenshots: a shown window keeps its size
   * whatever its default size says, not its minimum. */
  gtk_widget_set_size_request (GTK_WIDGET (c->page_window), 760, 940);
  g_assert_true (kefu_gui_wait (window_is_tall, c->page_window, UI_TIMEOUT_MS));
}

static KefuTicketActions *
actions_of (int who)
{
  g_assert_nonnull (clients[who].page);
  return kefu_ticket_page_get_actions (KEFU_TICKET_PAGE (clients[who].page));
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

/* Runs @action of @who's workflow bar and waits for its dialog. */
static GtkWindow *
open_form (int         who,
           const char *action)
{
  KefuTicketActions *actions = actions_of (who);

  gtk_widget_activate_action (GTK_WIDGET (actions), action, NULL);
  g_assert_true (kefu_gui_wait (has_form, actions, UI_TIMEOUT_MS));
  kefu_gui_run_for (200);
  return kefu_ticket_actions_get_form (actions);
}

/* ---- one step, seen everywhere ------------------------------------------------------------- */

/* What a step should leave, and when each client showed it. */
typedef struct {
  const char *what;
  int         actor;
  gint64      before;                 /* the version every client had before the step */
  KefuStatus  status;
  gint64      assignee;               /* 0: none */
  int         escalation;
  gint64      acted;                  /* when the user acted (monotonic µs) */
  gint64      answered;               /* when the acting client first showed the result */
  gint64      list_seen[N_CLIENTS];   /* when each client's ticket list had it */
  gint64      page_seen[N_CLIENTS];   /* … each open ticket page */
  gint64      board_model_seen;       /* … the board's column models */
  gint64      board_seen;             /* … the supervisor's board card (drawn) */
  gint64      my_work_seen;           /* … the technician's "My work" */
  gboolean    alert;                  /* whether the manager is to be alerted */
  gint64      alert_seen;             /* … when the manager's strip showed it */
} Step;

static gboolean manager_alerted (void);

static gboolean
ticket_is (KefuTicket *t,
           Step       *s)
{
  return t != NULL && t->version > s->before && t->status == s->status &&
         t->assignee.id == s->assignee && t->escalation_level == s->escalation;
}

/* The board's column models have the ticket where @s wants it (its card may not be drawn
 * yet). */
static gboolean
board_model_is (Step *s)
{
  for (int p = 1; p <= 4; p++)
    if (on_board (p) != (p == priority && kefu_status_is_open (s->status)))
      return FALSE;
  return ticket_is (listed (SUPERVISOR), s);
}

/* The supervisor's board (filtered to the ticket after intake) shows the ticket as @s wants:
 * in its priority's column with the status and assignee on the card while open, nowhere once
 * closed. */
static gboolean
board_is (Step *s)
{
  KefuTicketCard *card;

  if (!kefu_status_is_open (s->status))
    {
      for (int p = 1; p <= 4; p++)
        if (on_board (p))
          return FALSE;
      return find_card (GTK_WIDGET (clients[SUPERVISOR].window)) == NULL;
    }

  if (!on_board (priority))
    return FALSE;
  if (!board_filtered)
    return TRUE;
  card = find_card (GTK_WIDGET (clients[SUPERVISOR].window));
  if (card == NULL)
    return FALSE;
  return ticket_is (kefu_ticket_object_get_ticket (kefu_ticket_card_get_ticket (card)), s) &&
         g_strcmp0 (kefu_ticket_card_get_status_text (card), kefu_text_status (s->status)) == 0 &&
         (s->assignee == 0 ||
          g_strcmp0 (kefu_ticket_card_get_assignee_text (card), technician_name) == 0);
}

/* "My work" lists the ticket while it is the technician's and open, not otherwise. */
static gboolean
my_work_is (Step *s)
{
  gboolean mine = s->assignee == technician_id && kefu_status_is_open (s->status);
  KefuTicket *t = listed (TECHNICIAN);

  return ticket_is (t, s) && in_model (kefu_my_work_get_model (my_work ())) == mine;
}

static gboolean
step_seen (gpointer data)
{
  Step *s = data;
  gint64 now = g_get_monotonic_time ();
  gboolean all = TRUE;

  for (int i = 0; i < N_CLIENTS; i++)
    {
      Client *c = &clients[i];

      if (s->list_seen[i] == 0 && ticket_is (listed (i), s))
        s->list_seen[i] = now;
      if (c->page != NULL && s->page_seen[i] == 0 &&
          ticket_is (kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (c->page)), s))
        s->page_seen[i] = now;
      all &= s->list_seen[i] != 0 && (c->page == NULL || s->page_seen[i] != 0);
    }
  if (s->board_model_seen == 0 && board_model_is (s))
    s->board_model_seen = now;
  if (s->board_seen == 0 && board_is (s))
    s->board_seen = now;
  if (s->my_work_seen == 0 && my_work_is (s))
    s->my_work_seen = now;
  if (s->alert && s->alert_seen == 0 && manager_alerted ())
    s->alert_seen = now;

  /* The acting client has the server's answer once its page (or list) shows the result. */
  if (s->answered == 0)
    {
      gint64 page = s->page_seen[s->actor];
      gint64 list = s->list_seen[s->actor];

      if (page != 0 && list != 0)
        s->answered = MIN (page, list);
      else if (page != 0 || list != 0)
        s->answered = MAX (page, list);
    }

  return all && s->board_seen != 0 && s->my_work_seen != 0 && (!s->alert || s->alert_seen != 0);
}

static void
step_begin (Step       *s,
            const char *what,
            int         actor,
            KefuStatus  status,
            gint64      assignee,
            int         escalation)
{
  KefuTicket *t = listed (actor);

  memset (s, 0, sizeof *s);
  s->what = what;
  s->actor = actor;
  s->before = t != NULL ? t->version : 0;
  s->status = status;
  s->assignee = assignee;
  s->escalation = escalation;
  s->acted = g_get_monotonic_time ();
}

static int
ms_after (gint64 then,
          gint64 since)
{
  return (int) ((then - since) / 1000);
}

/* Waits until every client shows what @s wants; checks each did within a second of the
 * acting client's answer, and that all agree with the server. */
static void
step_end (Step *s)
{
  static const char *const names[N_CLIENTS] = { "supervisor", "technician", "agent", "manager" };
  g_autoptr(GString) figures = g_string_new (NULL);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *on_server;
  JsonNode *assignee;
  gboolean late = FALSE;

  if (!kefu_gui_wait (step_seen, s, UI_TIMEOUT_MS + LIVE_DEADLINE_MS))
    {
      for (int i = 0; i < N_CLIENTS; i++)
        {
          KefuTicket *t = listed (i);

          g_test_message ("%s: list %s v%" G_GINT64_FORMAT " %s, page %s", names[i],
                          s->list_seen[i] ? "seen" : "NOT seen", t ? t->version : 0,
                          t ? kefu_status_to_string (t->status) : "-",
                          clients[i].page == NULL ? "none" : s->page_seen[i] ? "seen" : "NOT seen");
        }
      g_test_message ("board %s, my work %s, manager's alert %s",
                      s->board_seen ? "seen" : "NOT seen", s->my_work_seen ? "seen" : "NOT seen",
                      !s->alert ? "not due" : s->alert_seen ? "seen" : "NOT seen");
      g_error ("%s: not every client showed %s", s->what, kefu_status_to_string (s->status));
    }
  g_assert_cmpint (s->answered, >, 0);

  g_string_append_printf (figures, "%s: answered %d ms after the click; then", s->what,
                          ms_after (s->answered, s->acted));
  for (int i = 0; i < N_CLIENTS; i++)
    {
      if (i == s->actor)
        continue;
      g_string_append_printf (figures, " %s list %+d", names[i],
                              ms_after (s->list_seen[i], s->answered));
      late |= s->list_seen[i] - s->answered >= LIVE_DEADLINE_MS * 1000;
      if (clients[i].page != NULL)
        {
          g_string_append_printf (figures, " page %+d", ms_after (s->page_seen[i], s->answered));
          late |= s->page_seen[i] - s->answered >= LIVE_DEADLINE_MS * 1000;
        }
    }
  if (s->actor != SUPERVISOR)
    {
      g_string_append_printf (figures, ", board model %+d card %+d",
                              ms_after (s->board_model_seen, s->answered),
                              ms_after (s->board_seen, s->answered));
      late |= s->board_seen - s->answered >= LIVE_DEADLINE_MS * 1000;
    }
  if (s->actor != TECHNICIAN)
    {
      g_string_append_printf (figures, ", my work %+d", ms_after (s->my_work_seen, s->answered));
      late |= s->my_work_seen - s->answered >= LIVE_DEADLINE_MS * 1000;
    }
  if (s->alert)
    {
      g_string_append_printf (figures, ", manager's alert %+d",
                              ms_after (s->alert_seen, s->answered));
      late |= s->alert_seen - s->answered >= LIVE_DEADLINE_MS * 1000;
    }
  g_string_append (figures, " ms");
  g_test_message ("%s", figures->str);
  if (late)
    g_error ("%s: another client took a second or more (%s)", s->what, figures->str);

  /* Everyone has the server's version of the ticket, and it is what the step should leave. */
  on_server = server_ticket (&keep);
  g_assert_cmpstr (json_object_get_string_member (on_server, "status"), ==,
                   kefu_status_to_string (s->status));
  g_assert_cmpint (json_object_get_int_member (on_server, "escalation_level"), ==, s->escalation);
  assignee = json_object_get_member (on_server, "assignee");
  g_assert_cmpint (assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee)
                   ? json_object_get_int_member (json_node_get_object (assignee), "id") : 0,
                   ==, s->assignee);
  for (int i = 0; i < N_CLIENTS; i++)
    {
      g_assert_cmpint (listed (i)->version, ==, json_object_get_int_member (on_server, "version"));
      if (clients[i].page != NULL)
        g_assert_cmpint (kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (clients[i].page))->version,
                         ==, json_object_get_int_member (on_server, "version"));
    }
}

/* ---- the steps ----------------------------------------------------------------------------- */

static gboolean
none_open (gpointer data)
{
  return kefu_alert_list_get_n_open (data) == 0;
}

static void
test_sign_in (void)
{
  for (int i = 0; i < N_CLIENTS; i++)
    kefu_window_sign_in (clients[i].window, kefu_gui_server_get_url (server),
                         clients[i].username, "demo");
  for (int i = 0; i < N_CLIENTS; i++)
    g_assert_true (kefu_gui_wait (window_ready, &clients[i], UI_TIMEOUT_MS * 2));

  /* Four clients, four connections, four people. */
  for (int i = 0; i < N_CLIENTS; i++)
    {
      g_assert_cmpstr (kefu_connection_get_username (clients[i].connection), ==,
                       clients[i].username);
      for (int j = i + 1; j < N_CLIENTS; j++)
        g_assert_true (clients[i].connection != clients[j].connection);
    }
  technician_id = kefu_connection_get_user_id (clients[TECHNICIAN].connection);
  technician_name = g_strdup (kefu_connection_get_user_display_name (
                                clients[TECHNICIAN].connection));
  g_assert_cmpint (technician_id, >, 0);

  /* The manager starts with nothing open (the demo's escalations acknowledged in another
   * session), so that what the strip shows later is this ticket's. */
  {
    g_autoptr(JsonNode) open = api (manager_token, "GET", "/alerts?state=open&limit=500", NULL,
                                    NULL, 200);
    JsonArray *array = json_object_get_array_member (object_of (open), "alerts");
    KefuAlertList *alerts = kefu_alert_list_get_for_connection (clients[MANAGER].connection);

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        g_autofree char *path = g_strdup_printf ("/alerts/%" G_GINT64_FORMAT "/ack",
                                                 json_object_get_int_member (
                                                   json_array_get_object_element (array, i),
                                                   "id"));
        g_autoptr(JsonNode) answer = api (manager_token, "POST", path, NULL, NULL, 200);
      }
    g_assert_true (kefu_gui_wait (none_open, alerts, UI_TIMEOUT_MS));
  }
}

/* ---- intake -------------------------------------------------------------------------------- */

static gpointer
form_child (KefuTicketForm *form,
            const char     *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (form), KEFU_TYPE_TICKET_FORM, name);

  g_assert_nonnull (child);
  return child;
}

static KefuTicketForm *
find_form (KefuWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (KEFU_IS_TICKET_FORM (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (window))
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

typedef struct {
  char   *number;
  gint64  at;
} Created;

static void
on_created (KefuTicketForm *form,
            const char     *created,
            Created        *out)
{
  g_free (out->number);
  out->number = g_strdup (created);
  out->at = g_get_monotonic_time ();
}

/* The agent registers the customer's call with the form (Ctrl+N); it is on the supervisor's
 * board, in every list, within a second. */
static void
test_intake (void)
{
  Client *agent = &clients[AGENT];
  g_autofree char *name = g_strdup_printf ("端到端 %d", g_random_int_range (1000, 9999));
  g_autofree char *phone = g_strdup_printf ("139%08d", g_random_int_range (0, 99999999));
  g_autofree char *order = g_strdup_printf ("SO-E2E-%06d", g_random_int_range (0, 999999));
  Created created = { 0 };
  KefuTicketForm *form;
  Step s;

  gtk_widget_activate_action (GTK_WIDGET (agent->window), "win.new-ticket", NULL);
  g_assert_true (kefu_gui_wait (form_is_open, agent->window, UI_TIMEOUT_MS));
  form = find_form (agent->window);
  kefu_gui_run_for (300);   /* the SLA policy arrives */
  g_signal_connect (form, "created", G_CALLBACK (on_created), &created);

  gtk_editable_set_text (form_child (form, "name_row"), name);
  gtk_editable_set_text (form_child (form, "phone_row"), phone);
  gtk_editable_set_text (form_child (form, "address_row"), "上海市徐汇区漕溪北路 398 号 12 楼");
  gtk_editable_set_text (form_child (form, "order_row"), order);
  adw_combo_row_set_selected (form_child (form, "category_row"), 0);   /* quality */
  gtk_editable_set_text (form_child (form, "subcategory_row"), "漏水");
  gtk_check_button_set_active (form_child (form, "p2_check"), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (form_child (form, "description_view")),
                            "热水器底部漏水，地板已经湿了一片，客户要求尽快上门。", -1);
  screenshot (GTK_WIDGET (form), "agent-form");

  step_begin (&s, "intake", AGENT, KEFU_STATUS_NEW, 0, 0);
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  g_assert_true (kefu_gui_wait (form_done, form, UI_TIMEOUT_MS));
  g_assert_nonnull (created.number);
  number = g_steal_pointer (&created.number);
  priority = 2;

  /* Until the number was known nothing could be looked for: measured from the form's answer,
   * the others' times are an upper bound of what they took. */
  s.answered = created.at;
  step_end (&s);
  g_test_message ("intake: %s registered, the form had it %d ms after Save", number,
                  ms_after (created.at, s.acted));
  g_assert_cmpint (listed (SUPERVISOR)->priority, ==, 2);
  g_assert_cmpstr (listed (SUPERVISOR)->customer.name, ==, name);
  screenshot (GTK_WIDGET (form), "agent-form-done");
  gtk_window_destroy (GTK_WINDOW (form));

  /* The whole board as the supervisor sees it, with the new card in P2. */
  g_assert_true (on_board (2));
  for (int p = 1; p <= 4; p++)
    g_assert_cmpint (on_board (p), ==, p == 2);
  screenshot (GTK_WIDGET (clients[SUPERVISOR].window), "supervisor-board-new");

  /* From here the supervisor follows this ticket: its number in the board's search. */
  gtk_widget_activate_action (GTK_WIDGET (clients[SUPERVISOR].window), "win.search", NULL);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                                         GTK_WIDGET (clients[SUPERVISOR].window),
                                         KEFU_TYPE_WINDOW, "search_entry")), number);
  board_filtered = TRUE;
  step_begin (&s, "search", SUPERVISOR, KEFU_STATUS_NEW, 0, 0);
  s.before = 0;   /* no new version: the same one, now on the filtered board */
  g_assert_true (kefu_gui_wait (step_seen, &s, UI_TIMEOUT_MS));
  g_assert_cmpstr (kefu_ticket_card_get_assignee_text (find_card (
                     GTK_WIDGET (clients[SUPERVISOR].window))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Unassigned"));
  screenshot (GTK_WIDGET (clients[SUPERVISOR].window), "supervisor-board-search");

  /* The agent keeps the ticket open, to follow it. */
  open_page (AGENT);
}

/* ---- assign -------------------------------------------------------------------------------- */

/* The supervisor opens the ticket and assigns it to the technician with the Assign dialog. */
static void
test_assign (void)
{
  g_autofree char *tech_word = g_strdup_printf ("%" G_GINT64_FORMAT, technician_id);
  KefuTicketActions *actions;
  GtkWindow *form;
  Step s;

  open_page (SUPERVISOR);
  actions = actions_of (SUPERVISOR);
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ASSIGN));
  form = open_form (SUPERVISOR, "workflow.assign");
  g_assert_true (kefu_ticket_actions_form_select (actions, "assignee_id", tech_word));
  g_assert_true (kefu_ticket_actions_form_select (actions, "department", "technical"));
  screenshot (GTK_WIDGET (form), "supervisor-assign-form");

  step_begin (&s, "assign", SUPERVISOR, KEFU_STATUS_ASSIGNED, technician_id, 0);
  kefu_ticket_actions_form_submit (actions);
  step_end (&s);
  g_assert_true (kefu_gui_wait (has_no_form, actions, UI_TIMEOUT_MS));
  g_assert_cmpstr (listed (AGENT)->department, ==, "technical");

  screenshot (GTK_WIDGET (clients[SUPERVISOR].page_window), "supervisor-page-assigned");
  screenshot (GTK_WIDGET (clients[SUPERVISOR].window), "supervisor-board-assigned");
}

/* ---- accept and start --------------------------------------------------------------------- */

/* The technician finds it in "My work", accepts it there, opens it and starts work. */
static void
test_accept_and_start (void)
{
  Client *tech = &clients[TECHNICIAN];
  KefuTicketActions *actions;
  Step s;

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (
                     ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (tech->window),
                                                                    KEFU_TYPE_WINDOW,
                                                                    "view_stack"))), ==,
                   "mywork");
  g_assert_true (in_model (kefu_my_work_get_model (my_work ())));
  screenshot (GTK_WIDGET (tech->window), "technician-my-work-assigned");

  step_begin (&s, "accept", TECHNICIAN, KEFU_STATUS_ACCEPTED, technician_id, 0);
  kefu_my_work_activate (my_work (), number, "accept");
  step_end (&s);

  open_page (TECHNICIAN);
  actions = actions_of (TECHNICIAN);
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ACCEPT));
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_START_WORK));

  step_begin (&s, "start work", TECHNICIAN, KEFU_STATUS_IN_PROGRESS, technician_id, 0);
  gtk_widget_activate_action (GTK_WIDGET (actions), "workflow.start-work", NULL);
  step_end (&s);
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_RESOLVE));
}

/* ---- the field visit ---------------------------------------------------------------------- */

/* The ticket's last visit as client @who's list has it, or NULL. */
static KefuVisit *
last_visit (int who)
{
  KefuTicket *t = listed (who);

  return t != NULL && t->visits->len > 0 ? g_ptr_array_index (t->visits, t->visits->len - 1)
                                          : NULL;
}

static KefuVisitsSection *
visits_of (int who)
{
  g_assert_nonnull (clients[who].page);
  return kefu_ticket_page_get_visits (KEFU_TICKET_PAGE (clients[who].page));
}

/* Scrolls the ticket page that holds @widget so that @widget is at the top, as a user would
 * to read it. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  double x, y;

  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_widget_translate_coordinates (widget, scrolled, 0, 0, &x, &y));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + y - 12);
  kefu_gui_run_for (200);
}

static gboolean
section_has_form (gpointer data)
{
  return kefu_visits_section_get_form (data) != NULL;
}

static gboolean
section_has_no_form (gpointer data)
{
  return kefu_visits_section_get_form (data) == NULL;
}

/* Runs "visits.@action" (with the visit's id, or none) in the technician's visits section and
 * waits for its form; NULL when the action has no form (arrive). */
static KefuSectionForm *
visit_action (const char *action,
              gint64      id)
{
  KefuVisitsSection *section = visits_of (TECHNICIAN);
  g_autofree char *name = g_strdup_printf ("visits.%s", action);

  g_assert_null (kefu_visits_section_get_form (section));
  if (id != 0)
    gtk_widget_activate_action (GTK_WIDGET (section), name, "x", id);
  else
    gtk_widget_activate_action (GTK_WIDGET (section), name, NULL);
  if (g_str_equal (action, "arrive"))
    return NULL;
  g_assert_true (kefu_gui_wait (section_has_form, section, UI_TIMEOUT_MS));
  kefu_gui_run_for (200);
  return kefu_visits_section_get_form (section);
}

/* The technician, on the ticket page's visits section: schedules a visit, arrives, and
 * finishes it with the outcome; each step live everywhere, the visit on every page. */
static void
test_visit (void)
{
  KefuVisitsSection *section = visits_of (TECHNICIAN);
  const char *outcome = "更换进水阀密封圈，试水两小时无渗漏";
  KefuSectionForm *form;
  KefuVisit *visit;
  gint64 id;
  Step s;

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section)));
  g_assert_true (kefu_visits_section_is_relevant (section));

  form = visit_action ("schedule", 0);
  /* Tomorrow 10:00 is offered; the address is the customer's. */
  g_assert_nonnull (kefu_section_form_get_word (form, "warranty"));
  g_assert_true (kefu_section_form_select (form, "warranty", "in"));
  kefu_section_form_set_text (form, "parts", "进水阀密封圈");
  screenshot (GTK_WIDGET (kefu_section_form_get_window (form)), "technician-visit-form");
  step_begin (&s, "visit scheduled", TECHNICIAN, KEFU_STATUS_IN_PROGRESS, technician_id, 0);
  kefu_section_form_submit (form);
  step_end (&s);
  g_assert_true (kefu_gui_wait (section_has_no_form, section, UI_TIMEOUT_MS));
  for (int i = 0; i < N_CLIENTS; i++)
    {
      visit = last_visit (i);
      g_assert_nonnull (visit);
      g_assert_cmpint (visit->status, ==, KEFU_VISIT_STATUS_SCHEDULED);
      g_assert_cmpstr (visit->address, ==, "上海市徐汇区漕溪北路 398 号 12 楼");
      g_assert_cmpint (visit->technician.id, ==, technician_id);
      g_assert_cmpint (visit->warranty, ==, KEFU_WARRANTY_IN);
    }
  id = last_visit (SUPERVISOR)->id;

  step_begin (&s, "visit arrived", TECHNICIAN, KEFU_STATUS_IN_PROGRESS, technician_id, 0);
  visit_action ("arrive", id);
  step_end (&s);
  for (int i = 0; i < N_CLIENTS; i++)
    {
      g_assert_cmpint (last_visit (i)->status, ==, KEFU_VISIT_STATUS_ARRIVED);
      g_assert_cmpint (last_visit (i)->arrived_at, >, 0);
    }

  form = visit_action ("done", id);
  kefu_section_form_set_text (form, "outcome", outcome);
  step_begin (&s, "visit done", TECHNICIAN, KEFU_STATUS_IN_PROGRESS, technician_id, 0);
  kefu_section_form_submit (form);
  step_end (&s);
  g_assert_true (kefu_gui_wait (section_has_no_form, section, UI_TIMEOUT_MS));
  for (int i = 0; i < N_CLIENTS; i++)
    {
      g_assert_cmpint (last_visit (i)->status, ==, KEFU_VISIT_STATUS_DONE);
      g_assert_cmpstr (last_visit (i)->outcome, ==, outcome);
    }

  /* The other pages show the visit with its outcome. */
  for (int i = 0; i < N_CLIENTS; i++)
    {
      g_autofree char *text = NULL;

      if (clients[i].page == NULL)
        continue;
      text = kefu_visits_section_get_row_text (visits_of (i), id);
      g_test_message ("%s's page: %s", clients[i].username, text);
      g_assert_nonnull (text);
      g_assert_nonnull (strstr (text, outcome));
    }
  scroll_to (GTK_WIDGET (visits_of (TECHNICIAN)));
  screenshot (GTK_WIDGET (clients[TECHNICIAN].page_window), "technician-page-visit");
  scroll_to (GTK_WIDGET (visits_of (SUPERVISOR)));
  screenshot (GTK_WIDGET (clients[SUPERVISOR].page_window), "supervisor-page-visit");
}

/* ---- resolve and confirm ------------------------------------------------------------------ */

static void
resolve (const char *what,
         const char *summary,
         const char *shot)
{
  KefuTicketActions *actions = actions_of (TECHNICIAN);
  GtkWindow *form;
  Step s;

  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_RESOLVE));
  form = open_form (TECHNICIAN, "workflow.resolve");
  g_assert_true (kefu_ticket_actions_form_select (actions, "kind", "repair"));
  kefu_ticket_actions_form_set_text (actions, "summary", summary);
  kefu_ticket_actions_form_set_number (actions, "cost_cents", 0);
  kefu_ticket_actions_form_set_number (actions, "minutes_spent", 75);
  if (shot != NULL)
    screenshot (GTK_WIDGET (form), shot);

  step_begin (&s, what, TECHNICIAN, KEFU_STATUS_RESOLVED, technician_id,
              listed (TECHNICIAN)->escalation_level);
  kefu_ticket_actions_form_submit (actions);
  step_end (&s);
  g_assert_true (kefu_gui_wait (has_no_form, actions, UI_TIMEOUT_MS));
  g_assert_cmpstr (listed (AGENT)->resolution->summary, ==, summary);
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_CONFIRM));
  /* Resolved: off the technician's "My work" (step_end checked), on the agent's to confirm. */
  g_assert_true (kefu_ticket_actions_is_offered (actions_of (AGENT), KEFU_TICKET_ACTION_CONFIRM));
}

static void
test_resolve (void)
{
  resolve ("resolve", "更换进水阀密封圈，试水无渗漏", "technician-resolve-form");
  screenshot (GTK_WIDGET (clients[TECHNICIAN].page_window), "technician-page-resolved");
  screenshot (GTK_WIDGET (clients[TECHNICIAN].window), "technician-my-work-resolved");
}

typedef struct {
  KefuAlertList *list;
  gint64         id;
} AlertWait;

static KefuAlertObject *
escalation_alert (KefuAlertList *list)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(KefuAlertObject) alert = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_strcmp0 (kefu_alert_object_get_number (alert), number) == 0 &&
          g_strcmp0 (kefu_alert_object_get_kind (alert), "escalation") == 0)
        return alert;   /* the list holds it */
    }
  return NULL;
}

static gboolean
manager_strip_shows (gpointer data)
{
  KefuAlertStrip *strip = kefu_window_get_alert_strip (clients[MANAGER].window);
  KefuAlertObject *alert = kefu_alert_strip_get_alert (strip);

  KefuAlertObject *ours = data;

  /* Ours, or one more urgent still (a P1 deadline that passed meanwhile, say), with ours
   * counted in "N more". */
  return kefu_alert_strip_get_revealed (strip) && alert != NULL &&
         (alert == ours || kefu_alert_object_compare_urgency (alert, ours) < 0);
}

/* The manager's client has the ticket's escalation alert, and its strip shows it. */
static gboolean
manager_alerted (void)
{
  KefuAlertObject *alert = escalation_alert (
    kefu_alert_list_get_for_connection (clients[MANAGER].connection));

  return alert != NULL && manager_strip_shows (alert);
}

/* The manager's alert row showing the alert @id on screen, or NULL. */
static KefuAlertRow *
manager_row (gint64 id)
{
  return kefu_gui_find_alert_row (GTK_WIDGET (clients[MANAGER].window), id);
}

static gboolean
row_shown (gpointer data)
{
  return manager_row (*(gint64 *) data) != NULL;
}

/* The manager's Alerts page in the window's view switcher (badge, needs attention). */
static AdwViewStackPage *
alerts_stack_page (void)
{
  GtkWidget *page = GTK_WIDGET (kefu_window_get_alerts_page (clients[MANAGER].window));
  GtkWidget *stack = gtk_widget_get_ancestor (page, ADW_TYPE_VIEW_STACK);

  g_assert_nonnull (stack);
  return adw_view_stack_get_page (ADW_VIEW_STACK (stack), page);
}

/* The agent calls the customer back: not solved, 2 of 5. The ticket reopens with escalation
 * level 2, and the manager is told at once. */
static void
test_confirm_unsatisfied (void)
{
  KefuTicketActions *actions = actions_of (AGENT);
  KefuAlertList *alerts = kefu_alert_list_get_for_connection (clients[MANAGER].connection);
  KefuAlertStrip *strip = kefu_window_get_alert_strip (clients[MANAGER].window);
  KefuAlertObject *alert;
  GtkWindow *form;
  gint64 id;
  Step s;

  g_assert_null (escalation_alert (alerts));

  form = open_form (AGENT, "workflow.confirm");
  kefu_ticket_actions_form_set_active (actions, "solved", FALSE);
  g_assert_true (kefu_ticket_actions_form_select (actions, "satisfaction", "2"));
  kefu_ticket_actions_form_set_text (actions, "comment", "还在漏水，师傅走后第二天又湿了");
  g_assert_nonnull (kefu_ticket_actions_form_get_note (actions));
  screenshot (GTK_WIDGET (form), "agent-confirm-unsatisfied-form");

  step_begin (&s, "confirm unsatisfied", AGENT, KEFU_STATUS_REOPENED, technician_id, 2);
  s.alert = TRUE;
  kefu_ticket_actions_form_submit (actions);
  step_end (&s);
  g_assert_true (kefu_gui_wait (has_no_form, actions, UI_TIMEOUT_MS));
  g_assert_false (listed (MANAGER)->confirmation->solved);
  g_assert_cmpint (listed (MANAGER)->confirmation->satisfaction, ==, 2);

  /* The manager's level-2 alert (step_end saw it on the strip within a second). */
  alert = escalation_alert (alerts);
  g_assert_nonnull (alert);
  id = kefu_alert_object_get_id (alert);
  g_assert_cmpint (kefu_alert_object_get_level (alert), ==, 2);
  g_assert_false (kefu_alert_object_get_acked (alert));
  g_assert_true (adw_view_stack_page_get_needs_attention (alerts_stack_page ()));
  if (kefu_alert_strip_get_alert (strip) == alert)
    g_assert_nonnull (strstr (kefu_alert_strip_get_text (strip), number));
  else
    g_test_message ("the strip shows a more urgent alert first: %s",
                    kefu_alert_strip_get_text (strip));

  screenshot (GTK_WIDGET (clients[AGENT].page_window), "agent-page-reopened");
  screenshot (GTK_WIDGET (clients[MANAGER].window), "manager-alert-strip");
  gtk_widget_activate_action (GTK_WIDGET (clients[MANAGER].window), "win.show-view", "s",
                              "alerts");
  kefu_alerts_page_set_show_acked (kefu_window_get_alerts_page (clients[MANAGER].window), FALSE);
  g_assert_true (kefu_gui_wait (row_shown, &id, UI_TIMEOUT_MS));
  g_assert_true (kefu_alert_row_get_can_acknowledge (manager_row (id)));
  screenshot (GTK_WIDGET (clients[MANAGER].window), "manager-alerts-page");
  gtk_widget_activate_action (GTK_WIDGET (clients[MANAGER].window), "win.show-view", "s", "board");

  /* The reopened, escalated ticket on the supervisor's board and in "My work". */
  screenshot (GTK_WIDGET (clients[SUPERVISOR].window), "supervisor-board-reopened");
  screenshot (GTK_WIDGET (clients[TECHNICIAN].window), "technician-my-work-reopened");
}

/* The technician goes back to work on it and resolves it again. */
static void
test_resolve_again (void)
{
  Step s;

  g_assert_true (kefu_ticket_actions_is_offered (actions_of (TECHNICIAN),
                                                 KEFU_TICKET_ACTION_START_WORK));
  step_begin (&s, "start work again", TECHNICIAN, KEFU_STATUS_IN_PROGRESS, technician_id, 2);
  gtk_widget_activate_action (GTK_WIDGET (actions_of (TECHNICIAN)), "workflow.start-work", NULL);
  step_end (&s);

  resolve ("resolve again", "更换整套进水阀并重新做防水密封，观察 24 小时无渗漏", NULL);
}

/* The agent calls again: solved, satisfied. The ticket closes everywhere. */
static void
test_confirm_satisfied (void)
{
  KefuTicketActions *actions = actions_of (AGENT);
  GtkWindow *form;
  Step s;

  form = open_form (AGENT, "workflow.confirm");
  kefu_ticket_actions_form_set_active (actions, "solved", TRUE);
  g_assert_true (kefu_ticket_actions_form_select (actions, "satisfaction", "5"));
  kefu_ticket_actions_form_set_text (actions, "comment", "这次彻底修好了，谢谢师傅");
  screenshot (GTK_WIDGET (form), "agent-confirm-satisfied-form");

  step_begin (&s, "confirm satisfied", AGENT, KEFU_STATUS_CLOSED, technician_id, 2);
  kefu_ticket_actions_form_submit (actions);
  step_end (&s);
  g_assert_true (kefu_gui_wait (has_no_form, actions, UI_TIMEOUT_MS));
  g_assert_true (listed (SUPERVISOR)->confirmation->solved);
  g_assert_cmpint (listed (SUPERVISOR)->confirmation->satisfaction, ==, 5);
  g_assert_cmpint (listed (SUPERVISOR)->sla.closed_at, >, 0);

  /* The workflow is over, for everyone (a closed ticket still takes notes, contacts,
   * returns and attachments). */
  for (KefuTicketAction a = KEFU_TICKET_ACTION_ASSIGN; a <= KEFU_TICKET_ACTION_CLASSIFY; a++)
    for (int i = 0; i < N_CLIENTS; i++)
      if (clients[i].page != NULL)
        g_assert_false (kefu_ticket_actions_is_offered (actions_of (i), a));

  screenshot (GTK_WIDGET (clients[AGENT].page_window), "agent-page-closed");
  screenshot (GTK_WIDGET (clients[SUPERVISOR].page_window), "supervisor-page-closed");
  screenshot (GTK_WIDGET (clients[SUPERVISOR].window), "supervisor-board-closed");
  screenshot (GTK_WIDGET (clients[TECHNICIAN].page_window), "technician-page-closed");
  screenshot (GTK_WIDGET (clients[TECHNICIAN].window), "technician-my-work-closed");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kefu_gui_test_init (&argc, &argv);

  server = kefu_gui_server_new ();
  supervisor_token = kefu_gui_server_login (server, "supervisor");
  manager_token = kefu_gui_server_login (server, "manager");

  app = kefu_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  for (int i = 0; i < N_CLIENTS; i++)
    {
      clients[i].connection = kefu_connection_new ();
      clients[i].window = kefu_window_new (GTK_APPLICATION (app), clients[i].connection);
      gtk_window_set_default_size (GTK_WINDOW (clients[i].window), 1280, 800);
      gtk_window_present (GTK_WINDOW (clients[i].window));
    }

  g_test_add_func ("/e2e/sign-in", test_sign_in);
  g_test_add_func ("/e2e/intake", test_intake);
  g_test_add_func ("/e2e/assign", test_assign);
  g_test_add_func ("/e2e/accept-and-start", test_accept_and_start);
  g_test_add_func ("/e2e/visit", test_visit);
  g_test_add_func ("/e2e/resolve", test_resolve);
  g_test_add_func ("/e2e/confirm-unsatisfied", test_confirm_unsatisfied);
  g_test_add_func ("/e2e/resolve-again", test_resolve_again);
  g_test_add_func ("/e2e/confirm-satisfied", test_confirm_satisfied);

  ret = g_test_run ();

  for (int i = 0; i < N_CLIENTS; i++)
    {
      gtk_window_destroy (GTK_WINDOW (clients[i].window));
      g_clear_object (&clients[i].connection);
    }
  g_object_unref (app);
  kefu_gui_server_free (server);
  g_free (supervisor_token);
  g_free (manager_token);
  g_free (number);
  g_free (technician_name);

  return ret;
}
