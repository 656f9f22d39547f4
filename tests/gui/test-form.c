/* test-form.c — the registration form and the ticket page, driven through their widgets
 * against a real demo server
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Screenshots (BUILDDIR/tests/gui/screenshots/): form-LANG[-dark].png and form-bottom-LANG[-dark]
 * (the form's top and end), page-LANG[-dark].png and page-bottom-LANG[-dark].png (a ticket and
 * its timeline), for LANG = en and zh_CN (the Chinese ones come from a child run of this
 * program with LANGUAGE=zh_CN); and in English: form-errors, form-duplicates, form-done,
 * page-accept.
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kefu-connection.h"
#include "kefu-error.h"
#include "kefu-gui-test.h"
#include "kefu-ticket-form.h"
#include "kefu-ticket-page.h"
#include "kefu-timeline-row.h"

static KefuGuiServer *server;
static KefuConnection *connection;
static char *agent_token;

/* ---- helpers ------------------------------------------------------------------------------ */

static const char *
language (void)
{
  const char *lang = g_getenv ("LANGUAGE");

  return lang != NULL && *lang != '\0' ? lang : "en";
}

static char *
shot_name (const char *what,
           gboolean    dark)
{
  return g_strdup_printf ("%s-%s%s", what, language (), dark ? "-dark" : "");
}

static gpointer
form_child (KefuTicketForm *form,
            const char     *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (form), KEFU_TYPE_TICKET_FORM, name);

  g_assert_nonnull (child);
  return child;
}

static gpointer
page_child (GtkWidget  *page,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (page, KEFU_TYPE_TICKET_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static void
set_row (KefuTicketForm *form,
         const char     *name,
         const char     *text)
{
  gtk_editable_set_text (GTK_EDITABLE (form_child (form, name)), text);
}

static void
set_description (KefuTicketForm *form,
                 const char     *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (form_child (form, "description_view")),
                            text, -1);
}

static gboolean
is_signed_in (gpointer data)
{
  return kefu_connection_get_state (connection) == KEFU_CONNECTION_STATE_CONNECTED;
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  kefu_connection_sign_in_finish (KEFU_CONNECTION (object), result, &error);
  g_assert_no_error (error);
}

static KefuTicketForm *
new_form (void)
{
  KefuTicketForm *form = kefu_ticket_form_new (connection, NULL);

  gtk_window_present (GTK_WINDOW (form));
  kefu_gui_run_for (200);   /* the SLA policy arrives */
  return form;
}

/* Destroys @form without asking about its input. */
static void
drop_form (KefuTicketForm *form)
{
  gtk_window_set_focus (GTK_WINDOW (form), NULL);
  gtk_window_destroy (GTK_WINDOW (form));
  kefu_gui_run_for (50);
}

static gboolean
stack_shows_done (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (form_child (data, "stack")), "done") == 0;
}

static gboolean
widget_is_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

/* The message row the form put under @row, if it shows. */
static const char *
error_under (gpointer row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (row));

  if (next == NULL || !gtk_widget_has_css_class (next, "kefu-field-error") ||
      !gtk_widget_get_visible (next))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (next))));
}

static gboolean
has_error_under (gpointer row)
{
  return error_under (row) != NULL;
}

static gboolean
focus_is_in (GtkWindow *window,
             gpointer   widget)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static guint
count_tickets_matching (const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/tickets?q=%s&limit=500", escaped);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = kefu_gui_server_request (server, agent_token, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (answer),
                                                              "tickets"));
}

static JsonObject *
get_ticket (const char *number,
            JsonNode  **keep)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);
  guint status = 0;

  *keep = kefu_gui_server_request (server, agent_token, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_node_get_object (*keep);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  return json_object_get_string_member_with_default (object, member, NULL);
}

/* An open demo ticket with the longest timeline among the first ones listed. */
static char *
find_busy_ticket (void)
{
  g_autoptr(JsonNode) list = NULL;
  JsonArray *tickets;
  g_autofree char *best = NULL;
  guint best_events = 0;
  guint status = 0;

  list = kefu_gui_server_request (server, agent_token, "GET", "/tickets?status=open&limit=30",
                                  NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  tickets = json_object_get_array_member (json_node_get_object (list), "tickets");
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      const char *number = member_string (json_array_get_object_element (tickets, i), "number");
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *ticket = get_ticket (number, &keep);
      guint n = json_array_get_length (json_object_get_array_member (ticket, "events"));

      if (n > best_events)
        {
          best_events = n;
          g_free (best);
          best = g_strdup (number);
        }
    }
  g_assert_nonnull (best);
  return g_steal_pointer (&best);
}

/* The first scrolled window under @widget, depth first. */
static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget) && gtk_widget_get_mapped (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Waits for transitions to end, then saves @widget as NAME (and, scrolled to the end,
 * as NAME-bottom). */
static void
screenshot (GtkWidget  *widget,
            GtkWidget  *scrolled_part,
            const char *what,
            gboolean    dark)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  GtkScrolledWindow *scroller;

  kefu_gui_run_for (400);
  name = shot_name (what, dark);
  path = kefu_gui_save_screenshot (widget, name);

  if (scrolled_part == NULL || (scroller = find_scroller (scrolled_part)) == NULL)
    return;

  {
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
    g_autofree char *bottom = g_strconcat (what, "-bottom", NULL);
    g_autofree char *bottom_name = shot_name (bottom, dark);
    g_autofree char *bottom_path = NULL;

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                          - gtk_adjustment_get_page_size (adjustment));
    kefu_gui_run_for (300);
    bottom_path = kefu_gui_save_screenshot (widget, bottom_name);
  }
}

/* ---- the form ----------------------------------------------------------------------------- */

typedef struct {
  char *number;
} Created;

static void
on_created (KefuTicketForm *form,
            const char     *number,
            Created        *created)
{
  g_free (created->number);
  created->number = g_strdup (number);
}

static void
test_form_save (void)
{
  KefuTicketForm *form = new_form ();
  Created created = { NULL };
  g_autofree char *name = g_strdup_printf ("测试客户 %d", g_random_int_range (1000, 9999));
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GDateTime) earlier = NULL;
  g_autofree char *submitted_text = NULL;
  g_autofree char *submitted_utc = NULL;
  g_autoptr(GDateTime) earlier_utc = NULL;
  JsonObject *ticket, *customer;
  const char *promise;

  g_signal_connect (form, "created", G_CALLBACK (on_created), &created);

  /* Every intake field, through its widget. */
  set_row (form, "name_row", name);
  set_row (form, "phone_row", "139 0011 2233");
  set_row (form, "email_row", "wang.fang@example.com");
  set_row (form, "code_row", "C2046");
  set_row (form, "address_row", "上海市徐汇区漕溪北路 88 号 1201 室");
  set_row (form, "order_row", "SO-TEST-77120");
  set_row (form, "model_row", "WM-80 滚筒洗衣机");
  set_row (form, "serial_row", "WM80-2604-11873");
  set_row (form, "purchase_row", "2026-04-18");
  adw_combo_row_set_selected (form_child (form, "channel_row"), 1);    /* online */
  adw_combo_row_set_selected (form_child (form, "stage_row"), 2);      /* after_sale */
  adw_combo_row_set_selected (form_child (form, "category_row"), 0);   /* quality */
  set_row (form, "subcategory_row", "功能故障");
  gtk_check_button_set_active (form_child (form, "p2_check"), TRUE);

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    earlier = g_date_time_add_minutes (now, -45);
  }
  submitted_text = g_date_time_format (earlier, "%Y-%m-%d %H:%M");
  set_row (form, "submitted_row", submitted_text);
  set_description (form, "洗衣机脱水的时候声音特别大，像有东西在里面撞，\n"
                         "昨天开始还漏水，地板都湿了。买了才半年，希望尽快派人来看看。");

  g_assert_true (kefu_ticket_form_get_has_input (form));
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  g_assert_true (kefu_gui_wait (stack_shows_done, form, 5000));
  g_assert_nonnull (created.number);
  g_assert_true (g_str_has_prefix (created.number, "FW"));

  /* What to tell the customer: the number and the promised response time (P2: 4 hours). */
  promise = gtk_label_get_text (form_child (form, "promise_label"));
  g_test_message ("Promise: %s", promise);
  g_assert_nonnull (strstr (promise, created.number));
  if (g_str_equal (language (), "en"))
    g_assert_nonnull (strstr (promise, "within 4 hours"));
  g_assert_false (kefu_ticket_form_get_has_input (form));

  /* The server has exactly what was entered. */
  ticket = get_ticket (created.number, &keep);
  customer = json_object_get_object_member (ticket, "customer");
  g_assert_cmpstr (member_string (ticket, "channel"), ==, "online");
  g_assert_cmpstr (member_string (ticket, "stage"), ==, "after_sale");
  g_assert_cmpstr (member_string (ticket, "category"), ==, "quality");
  g_assert_cmpstr (member_string (ticket, "subcategory"), ==, "功能故障");
  g_assert_cmpint (json_object_get_int_member (ticket, "priority"), ==, 2);
  g_assert_cmpstr (member_string (ticket, "status"), ==, "new");
  g_assert_cmpstr (member_string (customer, "name"), ==, name);
  g_assert_cmpstr (member_string (customer, "phone"), ==, "139 0011 2233");
  g_assert_cmpstr (member_string (customer, "email"), ==, "wang.fang@example.com");
  g_assert_cmpstr (member_string (customer, "code"), ==, "C2046");
  g_assert_cmpstr (member_string (customer, "order_no"), ==, "SO-TEST-77120");
  g_assert_cmpstr (member_string (customer, "product_model"), ==, "WM-80 滚筒洗衣机");
  g_assert_cmpstr (member_string (customer, "serial_no"), ==, "WM80-2604-11873");
  g_assert_cmpstr (member_string (customer, "purchase_date"), ==, "2026-04-18");
  g_assert_cmpstr (member_string (customer, "address"), ==, "上海市徐汇区漕溪北路 88 号 1201 室");
  g_assert_cmpstr (member_string (ticket, "description"), ==,
                   "洗衣机脱水的时候声音特别大，像有东西在里面撞，\n"
                   "昨天开始还漏水，地板都湿了。买了才半年，希望尽快派人来看看。");
  earlier_utc = g_date_time_to_utc (earlier);
  submitted_utc = g_date_time_format (earlier_utc, "%Y-%m-%dT%H:%M:00Z");
  g_assert_cmpstr (member_string (ticket, "submitted_at"), ==, submitted_utc);
  g_assert_cmpstr (member_string (json_object_get_object_member (ticket, "registered_by"),
                                  "display_name"),
                   ==, kefu_connection_get_user_display_name (connection));

  g_free (created.number);
  drop_form (form);
}

/* Urgent problems are promised a call back within the hour (not the 2 h response target): the
 * form reads out what the server stored on the ticket. */
static void
test_form_p1_promise (void)
{
  KefuTicketForm *form = new_form ();
  Created created = { NULL };
  g_autofree char *name = g_strdup_printf ("紧急客户 %d", g_random_int_range (1000, 9999));
  g_autofree char *phone = g_strdup_printf ("137%08d", g_random_int_range (0, 99999999));
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *promise;
  const char *text;

  g_signal_connect (form, "created", G_CALLBACK (on_created), &created);
  set_row (form, "name_row", name);
  set_row (form, "phone_row", phone);
  adw_combo_row_set_selected (form_child (form, "category_row"), 0);   /* quality */
  gtk_check_button_set_active (form_child (form, "p1_check"), TRUE);
  set_description (form, "热水器漏电，家里有老人小孩，请马上派人。");

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  g_assert_true (kefu_gui_wait (stack_shows_done, form, 5000));
  g_assert_nonnull (created.number);

  text = gtk_label_get_text (form_child (form, "promise_label"));
  g_test_message ("Promise: %s", text);
  g_assert_nonnull (strstr (text, created.number));
  if (g_str_equal (language (), "en"))
    g_assert_nonnull (strstr (text, "within 1 hour."));

  promise = json_object_get_object_member (
              json_object_get_object_member (get_ticket (created.number, &keep), "sla"),
              "callback_promise");
  g_assert_nonnull (promise);
  g_assert_cmpint (json_object_get_int_member (promise, "seconds"), ==, 3600);

  g_free (created.number);
  drop_form (form);
}

static void
test_form_client_validation (void)
{
  KefuTicketForm *form = new_form ();
  g_autofree char *name = g_strdup_printf ("校验客户 %d", g_random_int_range (1000, 9999));
  AdwEntryRow *phone_row = form_child (form, "phone_row");
  GtkLabel *description_error = form_child (form, "description_error");

  set_row (form, "name_row", name);
  set_row (form, "phone_row", "138-12ab");
  set_description (form, "开不了机。");

  /* A bad phone: the message under the phone row, the focus there, nothing sent. */
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  kefu_gui_run_for (300);
  g_assert_nonnull (error_under (phone_row));
  g_test_message ("Phone error: %s", error_under (phone_row));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (phone_row), "error"));
  g_assert_true (focus_is_in (GTK_WINDOW (form), phone_row));
  g_assert_false (stack_shows_done (form));

  /* Typing in the field clears its message. */
  set_row (form, "phone_row", "13812345678");
  g_assert_null (error_under (phone_row));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (phone_row), "error"));

  /* An empty description: the message under the text. */
  set_description (form, "   ");
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  kefu_gui_run_for (300);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (description_error)));
  g_test_message ("Description error: %s", gtk_label_get_text (description_error));
  g_assert_true (focus_is_in (GTK_WINDOW (form), form_child (form, "description_view")));
  g_assert_false (stack_shows_done (form));

  /* Neither attempt created anything. */
  g_assert_cmpuint (count_tickets_matching (name), ==, 0);

  set_row (form, "email_row", "not-an-email");
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  screenshot (GTK_WIDGET (form), NULL, "form-errors", FALSE);

  drop_form (form);
}

static void
test_form_server_validation (void)
{
  KefuTicketForm *form = new_form ();
  g_autofree char *name = g_strdup_printf ("未来客户 %d", g_random_int_range (1000, 9999));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *future = g_date_time_format (tomorrow, "%Y-%m-%d %H:%M");
  AdwEntryRow *submitted_row = form_child (form, "submitted_row");

  /* Only the server checks: its field error must reach the field. */
  kefu_ticket_form_set_validate_locally (form, FALSE);
  set_row (form, "name_row", name);
  set_row (form, "phone_row", "13812345678");
  set_row (form, "submitted_row", future);
  set_description (form, "明天才会发生的事。");

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  g_assert_true (kefu_gui_wait (has_error_under, submitted_row, 5000));
  g_test_message ("Server's error: %s", error_under (submitted_row));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (submitted_row), "error"));
  g_assert_true (focus_is_in (GTK_WINDOW (form), submitted_row));
  g_assert_false (stack_shows_done (form));
  g_assert_cmpuint (count_tickets_matching (name), ==, 0);

  drop_form (form);
}

static void
test_form_duplicates (void)
{
  g_autofree char *number = find_busy_ticket ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *existing = get_ticket (number, &keep);
  const char *phone = member_string (json_object_get_object_member (existing, "customer"),
                                     "phone");
  KefuTicketForm *form = new_form ();
  AdwActionRow *duplicate_row = form_child (form, "duplicate_row");
  GtkLabel *done_duplicates = form_child (form, "done_duplicates_label");
  g_autofree char *name = g_strdup_printf ("重复客户 %d", g_random_int_range (1000, 9999));

  g_assert_nonnull (phone);
  g_assert_null (strchr (phone, '*'));   /* an agent sees the full number */

  /* Leaving the phone field looks for open tickets with that phone. */
  set_row (form, "name_row", name);
  gtk_widget_grab_focus (form_child (form, "phone_row"));
  set_row (form, "phone_row", phone);
  gtk_widget_grab_focus (form_child (form, "email_row"));
  g_assert_true (kefu_gui_wait (widget_is_visible, duplicate_row, 5000));
  g_test_message ("Duplicate warning: %s", adw_action_row_get_subtitle (duplicate_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (duplicate_row), number));

  screenshot (GTK_WIDGET (form), NULL, "form-duplicates", FALSE);

  /* Continuing anyway registers it; the server names the open tickets too. */
  set_description (form, "又坏了，上次说好的工程师一直没来。");
  gtk_widget_activate_action (GTK_WIDGET (form), "form.accept-duplicates", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (duplicate_row)));
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  g_assert_true (kefu_gui_wait (stack_shows_done, form, 5000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (done_duplicates)));
  g_assert_nonnull (strstr (gtk_label_get_text (done_duplicates), number));

  screenshot (GTK_WIDGET (form), NULL, "form-done", FALSE);

  drop_form (form);
}

static void
test_form_pickers (void)
{
  KefuTicketForm *form = new_form ();
  AdwEntryRow *purchase_row = form_child (form, "purchase_row");
  AdwEntryRow *submitted_row = form_child (form, "submitted_row");
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 5, 2, 0, 0, 0);
  g_autoptr(GDateTime) report_day = g_date_time_new_local (2026, 11, 20, 0, 0, 0);

  /* The purchase date's calendar writes YYYY-MM-DD into the row. */
  gtk_menu_button_popup (form_child (form, "purchase_button"));
  kefu_gui_run_for (100);
  gtk_calendar_select_day (form_child (form, "purchase_calendar"), day);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (purchase_row)), ==, "2026-05-02");
  gtk_menu_button_popdown (form_child (form, "purchase_button"));

  /* The report time's calendar and hour and minute. */
  gtk_menu_button_popup (form_child (form, "submitted_button"));
  kefu_gui_run_for (100);
  gtk_calendar_select_day (form_child (form, "submitted_calendar"), report_day);
  gtk_spin_button_set_value (form_child (form, "hour_spin"), 8);
  gtk_spin_button_set_value (form_child (form, "minute_spin"), 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (submitted_row)), ==, "2026-11-20 08:05");
  gtk_menu_button_popdown (form_child (form, "submitted_button"));

  /* A suggestion of the category fills the subcategory. */
  gtk_widget_activate_action (GTK_WIDGET (form), "form.suggest", "s", "物流延迟");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "subcategory_row"))),
                   ==, "物流延迟");

  /* A malformed date is caught when the focus leaves the row. */
  gtk_widget_grab_focus (GTK_WIDGET (purchase_row));
  set_row (form, "purchase_row", "2026-02-30");
  gtk_widget_grab_focus (form_child (form, "serial_row"));
  g_assert_true (kefu_gui_wait (has_error_under, purchase_row, 1000));

  drop_form (form);
}

static GtkWindow *
find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog (data) != NULL;
}

static void
test_form_close_asks (void)
{
  KefuTicketForm *form = new_form ();
  GtkWindow *dialog;

  g_object_add_weak_pointer (G_OBJECT (form), (gpointer *) &form);

  /* Nothing entered: Escape closes at once. Something entered: it asks first. */
  set_row (form, "name_row", "张三");
  gtk_widget_activate_action (GTK_WIDGET (form), "form.close", NULL);
  g_assert_true (kefu_gui_wait (has_dialog, form, 2000));
  dialog = find_dialog (GTK_WINDOW (form));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  kefu_gui_run_for (100);
  g_assert_nonnull (form);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (form)));

  gtk_widget_activate_action (GTK_WIDGET (form), "form.close", NULL);
  g_assert_true (kefu_gui_wait (has_dialog, form, 2000));
  dialog = find_dialog (GTK_WINDOW (form));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  kefu_gui_run_for (200);
  g_assert_null (form);

  form = new_form ();
  g_object_add_weak_pointer (G_OBJECT (form), (gpointer *) &form);
  gtk_widget_activate_action (GTK_WIDGET (form), "form.close", NULL);
  kefu_gui_run_for (200);
  g_assert_null (form);
}

static void
test_form_screenshots (void)
{
  for (guint dark = 0; dark < 2; dark++)
    {
      KefuTicketForm *form;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                               : ADW_COLOR_SCHEME_FORCE_LIGHT);
      form = new_form ();
      set_row (form, "name_row", "王芳");
      set_row (form, "phone_row", "138 1234 5678");
      set_row (form, "order_row", "SO-88231");
      set_row (form, "model_row", "KX-200");
      set_row (form, "subcategory_row", "无法开机");
      gtk_check_button_set_active (form_child (form, "p1_check"), TRUE);
      set_description (form, "空调开机三分钟就自动关机，显示屏一直闪，家里老人怕热，请尽快派人。");
      gtk_widget_grab_focus (form_child (form, "name_row"));
      screenshot (GTK_WIDGET (form), form_child (form, "form_page"), "form", dark);
      drop_form (form);
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* ---- the ticket page ---------------------------------------------------------------------- */

typedef struct {
  GtkWidget *window;
  GtkWidget *page;
} PageWindow;

static PageWindow
open_page_as (KefuConnection *as,
              const char     *number,
              int             height);

static PageWindow
open_page (const char *number,
           int         height)
{
  return open_page_as (connection, number, height);
}

static PageWindow
open_page_as (KefuConnection *as,
              const char     *number,
              int             height)
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
  gtk_window_set_default_size (GTK_WINDOW (pw.window), 760, height);
  gtk_window_present (GTK_WINDOW (pw.window));
  return pw;
}

static gboolean
page_loaded (gpointer data)
{
  return kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (data)) != NULL;
}

static guint
timeline_rows (GtkWidget *page)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (page_child (page, "timeline_list"));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += KEFU_IS_TIMELINE_ROW (child);
  return n;
}

static KefuTimelineRow *
last_timeline_row (GtkWidget *page)
{
  GtkWidget *last = gtk_widget_get_last_child (page_child (page, "timeline_list"));

  g_assert_true (KEFU_IS_TIMELINE_ROW (last));
  return KEFU_TIMELINE_ROW (last);
}

typedef struct {
  GtkWidget *page;
  guint      rows;
} RowsWait;

static gboolean
has_rows (gpointer data)
{
  RowsWait *wait = data;

  return timeline_rows (wait->page) >= wait->rows;
}

static JsonObject *
last_server_event (const char *number,
                   JsonNode  **keep)
{
  JsonObject *ticket = get_ticket (number, keep);
  JsonArray *events = json_object_get_array_member (ticket, "events");

  return json_array_get_object_element (events, json_array_get_length (events) - 1);
}

typedef struct {
  GtkWidget  *page;
  const char *text;
} TextWait;

static gboolean
last_row_has_text (gpointer data)
{
  TextWait *wait = data;
  GtkWidget *last = gtk_widget_get_last_child (page_child (wait->page, "timeline_list"));

  return KEFU_IS_TIMELINE_ROW (last) &&
         g_strcmp0 (kefu_timeline_row_get_event (KEFU_TIMELINE_ROW (last))->text,
                    wait->text) == 0;
}

static void
add_through_composer (GtkWidget  *page,
                      const char *text,
                      gboolean    contact)
{
  TextWait wait = { page, text };

  gtk_toggle_button_set_active (page_child (page, contact ? "contact_toggle" : "note_toggle"),
                                TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (page_child (page, "compose_view")),
                            text, -1);
  gtk_widget_activate_action (page, "ticket.add-note", NULL);
  g_assert_true (kefu_gui_wait (last_row_has_text, &wait, 5000));
}

/* How many events of the server's timeline of @number are of @kind with @text. */
static guint
count_server_events (const char *number,
                     const char *kind,
                     const char *text)
{
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *events = json_object_get_array_member (get_ticket (number, &keep), "events");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      n += g_strcmp0 (member_string (event, "kind"), kind) == 0 &&
           g_strcmp0 (member_string (event, "text"), text) == 0;
    }
  return n;
}

static void
test_page_timeline (void)
{
  g_autofree char *number = find_busy_ticket ();
  PageWindow pw = open_page (number, 900);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *ticket;
  JsonObject *event;
  guint n_events;

  g_assert_true (kefu_gui_wait (page_loaded, pw.page, 5000));

  /* Every event of the server's timeline is a row, in order, each with a sentence. */
  ticket = get_ticket (number, &keep);
  n_events = json_array_get_length (json_object_get_array_member (ticket, "events"));
  g_assert_cmpuint (timeline_rows (pw.page), ==, n_events);
  g_assert_cmpuint (n_events, >=, 2);
  g_assert_cmpstr (gtk_label_get_text (page_child (pw.page, "number_label")), ==, number);
  g_clear_pointer (&keep, json_node_unref);

  /* An internal note: appended, and on the server. */
  add_through_composer (pw.page, "已与物流核实，配件明天上午到货。", FALSE);
  g_assert_cmpuint (timeline_rows (pw.page), ==, n_events + 1);
  g_assert_cmpint (kefu_timeline_row_get_event (last_timeline_row (pw.page))->kind, ==,
                   KEFU_EVENT_NOTE);
  event = last_server_event (number, &keep);
  g_assert_cmpstr (member_string (event, "kind"), ==, "note");
  g_assert_cmpstr (member_string (event, "text"), ==, "已与物流核实，配件明天上午到货。");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpint (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (
                     page_child (pw.page, "compose_view"))), ==, 0);

  /* A customer contact. */
  add_through_composer (pw.page, "已电话告知客户工程师明天下午上门。", TRUE);
  g_assert_cmpuint (timeline_rows (pw.page), ==, n_events + 2);
  g_assert_cmpint (kefu_timeline_row_get_event (last_timeline_row (pw.page))->kind, ==,
                   KEFU_EVENT_CUSTOMER_CONTACT);
  event = last_server_event (number, &keep);
  g_assert_cmpstr (member_string (event, "kind"), ==, "customer_contact");
  g_clear_pointer (&keep, json_node_unref);

  gtk_window_destroy (GTK_WINDOW (pw.window));
}

static void
test_page_version_conflict (void)
{
  g_autofree char *number = find_busy_ticket ();
  PageWindow pw = open_page (number, 900);
  g_autofree char *supervisor = kefu_gui_server_login (server, "supervisor");
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);
  g_autofree char *version = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *ticket;
  JsonObject *event;
  guint status = 0;

  g_assert_true (kefu_gui_wait (page_loaded, pw.page, 5000));
  ticket = get_ticket (number, &keep);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (ticket,
                                                                             "version"));
  g_clear_pointer (&keep, json_node_unref);

  /* Someone else changes the ticket; the page has not heard of it yet when it posts (the
   * request below runs without the main loop). */
  keep = kefu_gui_server_request (server, supervisor, "PATCH", path,
                                  "{\"subcategory\":\"版本冲突测试\"}", version, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&keep, json_node_unref);

  /* The page posts with the version it saw, gets 409, reloads and posts again: the note is
   * there once, after the other change. */
  add_through_composer (pw.page, "冲突之后的备注。", FALSE);
  event = last_server_event (number, &keep);
  g_assert_cmpstr (member_string (event, "text"), ==, "冲突之后的备注。");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpuint (count_server_events (number, "note", "冲突之后的备注。"), ==, 1);
  g_assert_cmpstr (kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (pw.page))->subcategory, ==,
                   "版本冲突测试");

  gtk_window_destroy (GTK_WINDOW (pw.window));
}

static void
test_page_live (void)
{
  g_autofree char *number = find_busy_ticket ();
  PageWindow pw = open_page (number, 900);
  g_autofree char *supervisor = kefu_gui_server_login (server, "supervisor");
  g_autofree char *path = g_strdup_printf ("/tickets/%s/notes", number);
  g_autoptr(JsonNode) keep = NULL;
  RowsWait wait = { pw.page, 0 };
  guint status = 0;

  g_assert_true (kefu_gui_wait (page_loaded, pw.page, 5000));
  wait.rows = timeline_rows (pw.page) + 1;

  /* Another user's note arrives through the live events. */
  keep = kefu_gui_server_request (server, supervisor, "POST", path,
                                  "{\"text\":\"实时更新：主管已协调备件。\",\"kind\":\"note\"}",
                                  NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (kefu_gui_wait (has_rows, &wait, 5000));
  g_assert_cmpstr (kefu_timeline_row_get_event (last_timeline_row (pw.page))->text, ==,
                   "实时更新：主管已协调备件。");

  gtk_window_destroy (GTK_WINDOW (pw.window));
}

static void
test_page_screenshots (void)
{
  g_autofree char *number = find_busy_ticket ();

  for (guint dark = 0; dark < 2; dark++)
    {
      PageWindow pw;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                               : ADW_COLOR_SCHEME_FORCE_LIGHT);
      pw = open_page (number, 900);
      g_assert_true (kefu_gui_wait (page_loaded, pw.page, 5000));
      screenshot (pw.window, pw.page, "page", dark);
      gtk_window_destroy (GTK_WINDOW (pw.window));
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
connection_is_signed_in (gpointer data)
{
  return kefu_connection_get_state (data) == KEFU_CONNECTION_STATE_CONNECTED;
}

static gboolean
page_status_is (KefuTicketPage *page,
                KefuStatus      status)
{
  KefuTicket *ticket = kefu_ticket_page_get_ticket (page);

  return ticket != NULL && ticket->status == status;
}

static gboolean
page_is_accepted (gpointer data)
{
  return page_status_is (data, KEFU_STATUS_ACCEPTED);
}

static gboolean
page_is_in_progress (gpointer data)
{
  return page_status_is (data, KEFU_STATUS_IN_PROGRESS);
}

static gboolean
start_work_offered (gpointer data)
{
  return kefu_ticket_actions_is_offered (data, KEFU_TICKET_ACTION_START_WORK);
}

static gboolean
resolve_offered (gpointer data)
{
  return kefu_ticket_actions_is_offered (data, KEFU_TICKET_ACTION_RESOLVE);
}

static void
test_page_accept (void)
{
  g_autoptr(KefuConnection) technician = kefu_connection_new ();
  g_autofree char *busy = find_busy_ticket ();
  g_autofree char *number = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) keep = NULL;
  KefuTicketActions *actions;
  JsonArray *tickets;
  PageWindow pw;
  guint status = 0;

  /* A ticket assigned to technician2 (Zhao Lei, id 7) in the demo data. */
  list = kefu_gui_server_request (server, agent_token, "GET",
                                  "/tickets?status=assigned&assignee=7&limit=50", NULL, NULL,
                                  &status);
  g_assert_cmpuint (status, ==, 200);
  tickets = json_object_get_array_member (json_node_get_object (list), "tickets");
  for (guint i = 0; i < json_array_get_length (tickets) && number == NULL; i++)
    {
      const char *n = member_string (json_array_get_object_element (tickets, i), "number");

      if (g_strcmp0 (n, busy) != 0)
        number = g_strdup (n);
    }
  g_assert_nonnull (number);

  kefu_connection_sign_in_async (technician, kefu_gui_server_get_url (server), "technician2",
                                 "demo", NULL, sign_in_cb, NULL);
  g_assert_true (kefu_gui_wait (connection_is_signed_in, technician, 10000));

  pw = open_page_as (technician, number, 900);
  g_assert_true (kefu_gui_wait (page_loaded, pw.page, 5000));

  /* The assignee may accept; the workflow bar offers it. */
  actions = kefu_ticket_page_get_actions (KEFU_TICKET_PAGE (pw.page));
  g_assert_true (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ACCEPT));
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_START_WORK));
  /* The assignee calls the customer: the full number. */
  g_assert_null (strchr (kefu_ticket_page_get_ticket (KEFU_TICKET_PAGE (pw.page))->customer.phone,
                         '*'));
  screenshot (pw.window, NULL, "page-accept", FALSE);

  gtk_widget_activate_action (GTK_WIDGET (actions), "workflow.accept", NULL);
  g_assert_true (kefu_gui_wait (page_is_accepted, pw.page, 5000));
  g_assert_cmpstr (member_string (get_ticket (number, &keep), "status"), ==, "accepted");
  g_clear_pointer (&keep, json_node_unref);
  /* The page may show the new status (from the live event) a moment before the request's own
   * answer ends the bar's busy state: wait for the bar, not just the status. */
  g_assert_true (kefu_gui_wait (start_work_offered, actions, 5000));
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_ACCEPT));

  gtk_widget_activate_action (GTK_WIDGET (actions), "workflow.start-work", NULL);
  g_assert_true (kefu_gui_wait (page_is_in_progress, pw.page, 5000));
  g_assert_cmpstr (member_string (get_ticket (number, &keep), "status"), ==, "in_progress");
  /* In progress: no more starting; waiting and resolving instead. */
  g_assert_true (kefu_gui_wait (resolve_offered, actions, 5000));
  g_assert_false (kefu_ticket_actions_is_offered (actions, KEFU_TICKET_ACTION_START_WORK));

  gtk_window_destroy (GTK_WINDOW (pw.window));
  kefu_connection_sign_out (technician);
}

/* The same screenshots in Chinese, from a child run of this program. */
static void
test_screenshots_zh_cn (void)
{
  if (g_test_subprocess ())
    {
      test_form_screenshots ();
      test_page_screenshots ();
      return;
    }

  if (g_strcmp0 (language (), "en") != 0)
    {
      g_test_skip ("already running in another language");
      return;
    }

  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kefu_gui_test_init (&argc, &argv);
  /* Screenshots show the end of transitions, not their middle. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  server = kefu_gui_server_new ();
  agent_token = kefu_gui_server_login (server, "agent");

  connection = kefu_connection_new ();
  kefu_connection_sign_in_async (connection, kefu_gui_server_get_url (server), "agent", "demo",
                                 NULL, sign_in_cb, NULL);
  g_assert_true (kefu_gui_wait (is_signed_in, NULL, 10000));

  g_test_add_func ("/form/save", test_form_save);
  g_test_add_func ("/form/p1-promise", test_form_p1_promise);
  g_test_add_func ("/form/client-validation", test_form_client_validation);
  g_test_add_func ("/form/server-validation", test_form_server_validation);
  g_test_add_func ("/form/duplicates", test_form_duplicates);
  g_test_add_func ("/form/pickers", test_form_pickers);
  g_test_add_func ("/form/close-asks", test_form_close_asks);
  g_test_add_func ("/form/screenshots", test_form_screenshots);
  g_test_add_func ("/page/timeline", test_page_timeline);
  g_test_add_func ("/page/version-conflict", test_page_version_conflict);
  g_test_add_func ("/page/live", test_page_live);
  g_test_add_func ("/page/screenshots", test_page_screenshots);
  g_test_add_func ("/page/accept", test_page_accept);
  g_test_add_func ("/screenshots/zh_CN", test_screenshots_zh_cn);

  ret = g_test_run ();

  kefu_connection_sign_out (connection);
  g_clear_object (&connection);
  g_free (agent_token);
  kefu_gui_server_free (server);
  return ret;
}
