/* test-alerts.c — alerts in the client against a real demo server: the strip, the Alerts
 * page and its badge, acknowledging, a second supervisor, a manager's level-2 escalation,
 * the notification actions, "raised … ago" moving with the ticker, the strip's "Show All",
 * screenshots
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests run in order and share one window and one server. A second client (a connection
 * and its alert list, without a window) is signed in as another supervisor, to see what the
 * first one does. Warnings are fatal here: with no notification service (Xvfb, perhaps no
 * session bus at all) the client must not make GLib warn. Set LANGUAGE=zh_CN for the Chinese
 * screenshots (meson registers both).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kefu-alert-list.h"
#include "kefu-alert-row.h"
#include "kefu-alert-strip.h"
#include "kefu-alerts-page.h"
#include "kefu-application.h"
#include "kefu-gui-test.h"
#include "kefu-ticker.h"
#include "kefu-ticket-page.h"
#include "kefu-window.h"

static KefuGuiServer   *server;
static KefuApplication *app;
static KefuWindow      *window;
static char            *supervisor_token;
static char            *supervisor2_token;
static char            *agent_token;
static char            *technician_token;
static char            *manager_token;

/* The second supervisor's client. */
static KefuConnection  *other;

/* The ticket of the new-P1 tests and its alert. */
static char            *p1_number;
static gint64           p1_alert_id;

static KefuConnection *
connection (void)
{
  return kefu_window_get_connection (window);
}

static KefuAlertList *
alerts (void)
{
  return kefu_alert_list_get_for_connection (connection ());
}

static KefuAlertStrip *
strip (void)
{
  return kefu_window_get_alert_strip (window);
}

static KefuAlertsPage *
page (void)
{
  return kefu_window_get_alerts_page (window);
}

/* ---- helpers ----------------------------------------------------------------------------- */

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

static const char *
display_name (const char *username)
{
  static GHashTable *names;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *users;

  if (names == NULL)
    names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (g_hash_table_contains (names, username))
    return g_hash_table_lookup (names, username);

  answer = kefu_gui_api (server, supervisor_token, "GET", "/users", NULL, NULL, 200);
  users = json_object_get_array_member (kefu_gui_object (answer), "users");
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      g_hash_table_insert (names, g_strdup (json_object_get_string_member (user, "username")),
                           g_strdup (json_object_get_string_member (user, "display_name")));
    }

  return g_hash_table_lookup (names, username);
}

/* The alert of @token's GET /alerts?state=@state about @number and of @kind, or NULL. */
static JsonObject *
server_alert (const char *token,
              const char *state,
              const char *number,
              const char *kind)
{
  static JsonNode *keep;
  g_autofree char *path = g_strdup_printf ("/alerts?state=%s&limit=500", state);
  JsonArray *array;

  g_clear_pointer (&keep, json_node_unref);
  keep = kefu_gui_api (server, token, "GET", path, NULL, NULL, 200);
  array = json_object_get_array_member (kefu_gui_object (keep), "alerts");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *alert = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (alert, "number"), number) == 0
          && g_strcmp0 (json_object_get_string_member (alert, "kind"), kind) == 0)
        return alert;
    }

  return NULL;
}

static char *
create_ticket (int priority)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;

  body = g_strdup_printf ("{\"channel\":\"phone\",\"category\":\"quality\","
                          "\"subcategory\":\"无法开机\",\"priority\":%d,"
                          "\"customer\":{\"name\":\"周先生\",\"phone\":\"13800001111\","
                          "\"order_no\":\"SO-88%03d\"},"
                          "\"description\":\"洗衣机通电后无法开机，指示灯不亮\","
                          "\"submitted_at\":\"@NOW@\"}",
                          priority, g_random_int_range (0, 1000));
  answer = kefu_gui_api (server, agent_token, "POST", "/tickets", body, NULL, 201);
  return g_strdup (json_object_get_string_member (kefu_gui_object (answer), "number"));
}

/* The ticket's version now, as If-Match wants it. */
static char *
ticket_version (const char *number)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);
  g_autoptr(JsonNode) answer = kefu_gui_api (server, supervisor_token, "GET", path, NULL, NULL, 200);

  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          json_object_get_int_member (kefu_gui_object (answer), "version"));
}

static void
ticket_step (const char *token,
             const char *number,
             const char *what,
             const char *body)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s/%s", number, what);
  g_autofree char *version = ticket_version (number);
  g_autoptr(JsonNode) answer = kefu_gui_api (server, token, "POST", path, body, version, 200);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action_name)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
button_labelled (GtkWidget     *widget,
                 gconstpointer  label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* The mapped button under @widget whose label is @label (with its mnemonic), or NULL. */
static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  return kefu_gui_find_mapped (widget, GTK_TYPE_BUTTON, button_labelled, label);
}

/* The row of the main window showing the alert @id on screen, or NULL. */
static KefuAlertRow *
shown_row (gint64 id)
{
  return kefu_gui_find_alert_row (GTK_WIDGET (window), id);
}

/* How many alert rows under @widget are on screen. */
static guint
count_mapped_rows (GtkWidget *widget)
{
  return kefu_gui_count_mapped (widget, KEFU_TYPE_ALERT_ROW);
}

static int
model_position (GListModel *model,
                gint64      id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KefuAlertObject) alert = g_list_model_get_item (model, i);

      if (kefu_alert_object_get_id (alert) == id)
        return (int) i;
    }

  return -1;
}

static AdwViewStackPage *
alerts_stack_page (void)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (page ()), ADW_TYPE_VIEW_STACK);

  g_assert_nonnull (stack);
  return adw_view_stack_get_page (ADW_VIEW_STACK (stack), GTK_WIDGET (page ()));
}

static void
screenshot (const char *what)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", what, kefu_gui_language ());
  g_autofree char *path = kefu_gui_save_screenshot (GTK_WIDGET (window), name);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* ---- conditions -------------------------------------------------------------------------- */

static gboolean
alerts_loaded (gpointer data)
{
  return kefu_alert_list_get_loaded (data);
}

static gboolean
none_open (gpointer data)
{
  return kefu_alert_list_get_loaded (data) && kefu_alert_list_get_n_open (data) == 0;
}

typedef struct {
  KefuAlertList *list;
  const char    *number;
  const char    *kind;
} AlertFor;

/* The open or acknowledged alert of @number and @kind in a client's list, or NULL. */
static KefuAlertObject *
client_alert (KefuAlertList *list,
              const char    *number,
              const char    *kind)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(KefuAlertObject) alert = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_strcmp0 (kefu_alert_object_get_number (alert), number) == 0
          && g_strcmp0 (kefu_alert_object_get_kind (alert), kind) == 0)
        return alert;   /* the list holds it */
    }

  return NULL;
}

static gboolean
has_alert (gpointer data)
{
  AlertFor *f = data;

  return client_alert (f->list, f->number, f->kind) != NULL;
}

static gboolean
alert_acked (gpointer data)
{
  AlertFor *f = data;
  KefuAlertObject *alert = client_alert (f->list, f->number, f->kind);

  return alert != NULL && kefu_alert_object_get_acked (alert)
         && kefu_alert_object_get_acked_by (alert) != NULL;
}

static gboolean
strip_shows (gpointer data)
{
  KefuAlertObject *alert = kefu_alert_strip_get_alert (strip ());

  return kefu_alert_strip_get_revealed (strip ()) && alert != NULL
         && kefu_alert_object_get_id (alert) == *(gint64 *) data;
}

static gboolean
strip_hidden (gpointer data)
{
  return !kefu_alert_strip_get_revealed (strip ());
}

static gboolean
row_shown (gpointer data)
{
  return shown_row (*(gint64 *) data) != NULL;
}

static gboolean
is_signed_in_as (gpointer data)
{
  return g_strcmp0 (kefu_connection_get_username (data), "supervisor2") == 0
         && kefu_connection_get_state (data) == KEFU_CONNECTION_STATE_CONNECTED;
}

static gboolean
is_offline (gpointer data)
{
  return kefu_connection_get_state (data) == KEFU_CONNECTION_STATE_OFFLINE;
}

/* ---- a notification service ---------------------------------------------------------------
 *
 * When the test runs on a session bus (meson runs it once under dbus-run-session), it serves
 * org.freedesktop.Notifications itself: the notifications GLib sends for the client arrive
 * here, and "pressing" a button sends the ActionInvoked signal back, as a desktop would. */

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "</method></interface></node>";

static GDBusConnection *service_bus;
static guint            n_notified;
static guint            n_closed;
static char            *notified_summary;
static char            *notified_body;
static char           **notified_actions;

static void
service_method_call (GDBusConnection       *bus,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary;
      const char *body;

      g_clear_pointer (&notified_summary, g_free);
      g_clear_pointer (&notified_body, g_free);
      g_clear_pointer (&notified_actions, g_strfreev);
      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     &notified_actions, NULL, NULL);
      notified_summary = g_strdup (summary);
      notified_body = g_strdup (body);
      n_notified++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n_notified));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      n_closed++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "fake", "kefu", "1", "1.2"));
    }
}

static void
start_notification_service (void)
{
  static const GDBusInterfaceVTable vtable = { service_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return;
  service_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (service_bus == NULL)
    return;

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (service_bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (service_bus, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications",
                                                      4 /* do not queue */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
}

static gboolean
notified (gpointer data)
{
  return n_notified >= GPOINTER_TO_UINT (data);
}

static gboolean
closed (gpointer data)
{
  return n_closed > 0;
}

/* The action key of the button labelled @label. */
static const char *
notified_action (const char *label)
{
  for (guint i = 0; notified_actions != NULL && notified_actions[i] != NULL
                    && notified_actions[i + 1] != NULL; i += 2)
    {
      if (g_str_equal (notified_actions[i + 1], label))
        return notified_actions[i];
    }

  return NULL;
}

/* ---- the tests --------------------------------------------------------------------------- */

static void
other_signed_in_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kefu_connection_sign_in_finish (KEFU_CONNECTION (object), result, &error));
  g_assert_no_error (error);
}

static void
test_sign_in (void)
{
  g_autoptr(JsonNode) open = NULL;
  JsonArray *array;

  kefu_window_sign_in (window, kefu_gui_server_get_url (server), "supervisor", "demo");
  g_assert_true (kefu_gui_wait (alerts_loaded, alerts (), 10000));

  /* What the server says is open for a supervisor is what the client holds. */
  open = kefu_gui_api (server, supervisor_token, "GET", "/alerts?state=open&limit=500", NULL, NULL, 200);
  array = json_object_get_array_member (kefu_gui_object (open), "alerts");
  g_test_message ("%u open alerts for the supervisor at sign-in", json_array_get_length (array));
  g_assert_cmpuint (kefu_alert_list_get_n_open (alerts ()), ==, json_array_get_length (array));
  g_assert_cmpuint ((guint) adw_view_stack_page_get_badge_number (alerts_stack_page ()), ==,
                    json_array_get_length (array));
  g_assert_cmpint (kefu_alert_strip_get_revealed (strip ()), ==,
                   json_array_get_length (array) > 0);

  /* The second supervisor's client. */
  other = kefu_connection_new ();
  kefu_connection_sign_in_async (other, kefu_gui_server_get_url (server), "supervisor2", "demo",
                                 NULL, other_signed_in_cb, NULL);
  g_assert_true (kefu_gui_wait (is_signed_in_as, other, 10000));
  g_assert_true (kefu_gui_wait (alerts_loaded, kefu_alert_list_get_for_connection (other),
                                10000));
}

/* What others acknowledge clears here too, live: the demo's open alerts, acknowledged
 * through the API by the same supervisor in another session. */
static void
ack_all (const char *token)
{
  g_autoptr(JsonNode) open = kefu_gui_api (server, token, "GET", "/alerts?state=open&limit=500", NULL, NULL, 200);
  JsonArray *array = json_object_get_array_member (kefu_gui_object (open), "alerts");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *alert = json_array_get_object_element (array, i);
      g_autofree char *path = g_strdup_printf ("/alerts/%" G_GINT64_FORMAT "/ack",
                                               json_object_get_int_member (alert, "id"));
      g_autoptr(JsonNode) answer = kefu_gui_api (server, token, "POST", path, NULL, NULL, 200);
    }
}

static void
test_acked_elsewhere (void)
{
  g_assert_cmpuint (kefu_alert_list_get_n_open (alerts ()), >, 0);
  ack_all (supervisor_token);

  g_assert_true (kefu_gui_wait (none_open, alerts (), 2000));
  g_assert_true (kefu_gui_wait (strip_hidden, NULL, 1000));
  g_assert_cmpuint ((guint) adw_view_stack_page_get_badge_number (alerts_stack_page ()), ==, 0);
  g_assert_false (adw_view_stack_page_get_needs_attention (alerts_stack_page ()));
}

/* A new P1 reaches every supervisor at once: the strip, a row, the badge. */
static void
test_new_p1 (void)
{
  KefuAlertList *other_alerts = kefu_alert_list_get_for_connection (other);
  AlertFor mine = { alerts (), NULL, "new_p1" };
  AlertFor theirs = { other_alerts, NULL, "new_p1" };
  guint n_notifications = kefu_application_get_n_alert_notifications (app);
  KefuAlertObject *alert;
  gint64 start;
  gint64 elapsed;

  p1_number = create_ticket (1);
  mine.number = theirs.number = p1_number;

  start = g_get_monotonic_time ();
  g_assert_true (kefu_gui_wait (has_alert, &mine, 1000));
  alert = client_alert (alerts (), p1_number, "new_p1");
  p1_alert_id = kefu_alert_object_get_id (alert);
  g_assert_true (kefu_gui_wait (strip_shows, &p1_alert_id, 1000));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("The new P1 %s was on the strip after %" G_GINT64_FORMAT " ms", p1_number,
                  elapsed / 1000);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  /* The other supervisor has it too, as the same alert. */
  g_assert_true (kefu_gui_wait (has_alert, &theirs, 1000));
  g_assert_cmpint (kefu_alert_object_get_id (client_alert (other_alerts, p1_number, "new_p1")),
                   ==, p1_alert_id);

  /* The strip says it in plain words; nothing else is open. */
  g_assert_false (kefu_alert_object_get_acked (alert));
  g_assert_nonnull (strstr (kefu_alert_strip_get_text (strip ()), p1_number));
  g_assert_cmpstr (kefu_alert_strip_get_more_text (strip ()), ==, "");
  g_assert_cmpuint (kefu_alert_list_get_n_open (alerts ()), ==, 1);
  g_assert_cmpint (adw_view_stack_page_get_badge_number (alerts_stack_page ()), ==, 1);
  g_assert_true (adw_view_stack_page_get_needs_attention (alerts_stack_page ()));

  /* A desktop notification was due when the window is not the active one (under Xvfb
   * without a window manager it never is); shown only when a service exists. */
  g_test_message ("window active: %d, notifications possible: %d",
                  gtk_window_is_active (GTK_WINDOW (window)),
                  kefu_application_get_can_notify (app));
  if (!gtk_window_is_active (GTK_WINDOW (window)))
    g_assert_cmpuint (kefu_application_get_n_alert_notifications (app), ==, n_notifications + 1);

  /* The Alerts page lists it among the open ones, with its buttons. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "alerts");
  kefu_alerts_page_set_show_acked (page (), FALSE);
  g_assert_cmpint (model_position (kefu_alerts_page_get_model (page ()), p1_alert_id), ==, 0);
  g_assert_true (kefu_gui_wait (row_shown, &p1_alert_id, 1000));
  g_assert_true (kefu_alert_row_get_can_acknowledge (shown_row (p1_alert_id)));
  g_assert_cmpstr (kefu_alert_row_get_headline_text (shown_row (p1_alert_id)),
                   ==, kefu_alert_strip_get_text (strip ()));
  kefu_gui_run_for (300);
  screenshot ("alerts-page-open");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
  kefu_gui_run_for (300);
  screenshot ("alert-strip");
}

/* "raised %s" with the words the client uses for @minutes (< 60) or @hours ago. */
static char *
raised_text (int minutes,
             int hours)
{
  g_autofree char *ago = NULL;

  if (hours > 0)
    ago = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d h ago", "%d h ago", hours), hours);
  else
    ago = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min ago", "%d min ago", minutes),
                           minutes);

  return g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "raised %s"), ago);
}

/* The new P1's row on screen, after waiting for it. */
static KefuAlertRow *
p1_row (void)
{
  g_assert_true (kefu_gui_wait (row_shown, &p1_alert_id, 1000));
  return shown_row (p1_alert_id);
}

static void
show_view (const char *name)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", name);
  kefu_gui_run_for (100);
}

/* "raised … ago" on a row moves with the one ticker while the row is on screen, without a
 * timer of its own; rows off screen do not hold the ticker, and catch up when shown again.
 * Time moves by the ticker's test offset (the server's clock is the real one): minutes and
 * hours pass at once. */
static void
test_raised_time_ticks (void)
{
  KefuTicker *ticker = kefu_ticker_get_default ();
  KefuAlertObject *alert = kefu_alert_list_lookup (alerts (), p1_alert_id);
  gint64 age;
  g_autofree char *five_min = raised_text (5, 0);
  g_autofree char *two_h = raised_text (0, 2);
  g_autofree char *three_h = raised_text (0, 3);
  g_autofree char *before = NULL;
  g_autofree char *hidden = NULL;

  g_assert_nonnull (alert);
  g_assert_false (kefu_alert_object_get_acked (alert));
  show_view ("alerts");
  kefu_alerts_page_set_show_acked (page (), FALSE);

  /* Raised seconds ago (the server's clock and ours are the same machine's). */
  age = kefu_ticker_get_now (ticker) - kefu_alert_object_get_created_at (alert);
  g_test_message ("The P1's alert was raised %" G_GINT64_FORMAT " ms ago", age / 1000);
  g_assert_cmpint (age, <, 30 * G_USEC_PER_SEC);
  before = g_strdup (kefu_alert_row_get_meta_text (p1_row ()));
  g_test_message ("Row now: %s", before);
  g_assert_null (strstr (before, five_min));

  /* Each row on screen holds the one ticker; nothing else on this page does. */
  g_assert_cmpuint (count_mapped_rows (GTK_WIDGET (window)), >, 0);
  g_assert_cmpuint (kefu_ticker_get_n_holders (ticker), ==,
                    count_mapped_rows (GTK_WIDGET (window)));

  /* Five minutes and a little later, at the ticker's tick: the row says so, with no redraw
   * asked for by anyone. */
  kefu_ticker_set_offset_for_testing (ticker, (gint64) (5 * 60 + 20) * G_USEC_PER_SEC);
  g_test_message ("Row 5 min later: %s", kefu_alert_row_get_meta_text (p1_row ()));
  g_assert_nonnull (strstr (kefu_alert_row_get_meta_text (p1_row ()), five_min));

  /* The list view rebinds its rows when the section changes, and back: the rows bound
   * again still follow the ticker, and still hold it once each. */
  kefu_alerts_page_set_show_acked (page (), TRUE);
  kefu_gui_run_for (100);
  g_assert_cmpuint (kefu_ticker_get_n_holders (ticker), ==,
                    count_mapped_rows (GTK_WIDGET (window)));
  kefu_alerts_page_set_show_acked (page (), FALSE);
  kefu_gui_run_for (100);
  g_assert_cmpuint (kefu_ticker_get_n_holders (ticker), ==,
                    count_mapped_rows (GTK_WIDGET (window)));
  kefu_ticker_set_offset_for_testing (ticker, (gint64) (2 * 3600 + 20) * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (kefu_alert_row_get_meta_text (p1_row ()), two_h));

  /* Off screen a row lets go of the ticker and is not updated; shown again, it catches up. */
  {
    KefuAlertRow *row = p1_row ();

    g_object_ref (row);
    show_view ("board");
    g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (row)));
    g_assert_cmpuint (count_mapped_rows (GTK_WIDGET (window)), ==, 0);
    kefu_ticker_set_offset_for_testing (ticker, (gint64) (3 * 3600 + 20) * G_USEC_PER_SEC);
    hidden = g_strdup (kefu_alert_row_get_meta_text (row));
    g_assert_nonnull (strstr (hidden, two_h));
    g_object_unref (row);
  }
  show_view ("alerts");
  g_assert_nonnull (strstr (kefu_alert_row_get_meta_text (p1_row ()), three_h));

  /* Back to the real time for the tests after this one. */
  kefu_ticker_set_offset_for_testing (ticker, 0);
  g_assert_null (strstr (kefu_alert_row_get_meta_text (p1_row ()), three_h));
  show_view ("board");
}

/* Acknowledging from the strip clears it here, moves the row, and shows at the other
 * supervisor's (and in the API) with who and when. */
static void
test_ack_from_strip (void)
{
  KefuAlertList *other_alerts = kefu_alert_list_get_for_connection (other);
  AlertFor mine = { alerts (), p1_number, "new_p1" };
  AlertFor theirs = { other_alerts, p1_number, "new_p1" };
  GtkWidget *button = find_button (GTK_WIDGET (strip ()), "win.ack-alert");
  KefuAlertObject *alert = kefu_alert_list_lookup (alerts (), p1_alert_id);
  JsonObject *on_server;
  gint64 start;

  g_assert_nonnull (button);
  g_assert_nonnull (alert);
  g_signal_emit_by_name (button, "clicked");

  /* At once, before the server answers. */
  g_assert_true (kefu_alert_object_get_acked (alert));
  g_assert_false (kefu_alert_strip_get_revealed (strip ()));
  g_assert_cmpint (adw_view_stack_page_get_badge_number (alerts_stack_page ()), ==, 0);

  /* Confirmed, and live at the other supervisor's within a second. */
  start = g_get_monotonic_time ();
  g_assert_true (kefu_gui_wait (alert_acked, &theirs, 1000));
  g_test_message ("The other supervisor saw the acknowledgement after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_true (kefu_gui_wait (alert_acked, &mine, 1000));
  g_assert_cmpstr (kefu_alert_object_get_acked_by (client_alert (other_alerts, p1_number,
                                                                  "new_p1")),
                   ==, display_name ("supervisor"));
  g_assert_cmpstr (kefu_alert_object_get_acked_by (alert), ==, display_name ("supervisor"));

  /* The API agrees, for the second supervisor too: one alert to the role, acknowledged. */
  on_server = server_alert (supervisor2_token, "acked", p1_number, "new_p1");
  g_assert_nonnull (on_server);
  g_assert_false (json_node_is_null (json_object_get_member (on_server, "acked_at")));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (on_server,
                                                                                 "acked_by"),
                                                  "display_name"),
                   ==, display_name ("supervisor"));
  g_assert_null (server_alert (supervisor2_token, "open", p1_number, "new_p1"));

  /* The row moved to the acknowledged section. */
  g_assert_cmpint (model_position (kefu_alerts_page_get_model (page ()), p1_alert_id), ==, -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "alerts");
  kefu_alerts_page_set_show_acked (page (), TRUE);
  g_assert_cmpint (model_position (kefu_alerts_page_get_model (page ()), p1_alert_id), >=, 0);
  g_assert_true (kefu_gui_wait (row_shown, &p1_alert_id, 1000));
  g_assert_false (kefu_alert_row_get_can_acknowledge (shown_row (p1_alert_id)));
  kefu_gui_run_for (300);
  screenshot ("alerts-page-acknowledged");
  kefu_alerts_page_set_show_acked (page (), FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
}

static gboolean
notified_first_acked_on_server (gpointer data)
{
  return server_alert (supervisor_token, "acked", data, "new_p1") != NULL;
}

/* Two new P1s: the strip shows one and "1 more"; in the dark style too. */
static void
test_more_and_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  guint n_notifications = kefu_application_get_n_alert_notifications (app);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  AlertFor f = { alerts (), NULL, "new_p1" };
  GtkWindow *elsewhere;
  gboolean first_acked = FALSE;
  g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more", "%u more",
                                                        1), 1u);

  /* Away from the window (another program's window has the focus), a new alert makes a
   * desktop notification — sent only when a notification service exists, and without a
   * warning otherwise (they are fatal here). */
  elsewhere = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (elsewhere);
  kefu_gui_run_for (300);
  first = create_ticket (1);
  f.number = first;
  g_assert_true (kefu_gui_wait (has_alert, &f, 1000));
  kefu_gui_run_for (100);
  g_test_message ("window active: %d, notifications possible: %d",
                  gtk_window_is_active (GTK_WINDOW (window)),
                  kefu_application_get_can_notify (app));
  if (!gtk_window_is_active (GTK_WINDOW (window)))
    g_assert_cmpuint (kefu_application_get_n_alert_notifications (app), ==,
                      n_notifications + 1);

  /* With a notification service: the notification, and its Acknowledge button pressed. */
  if (service_bus != NULL && !gtk_window_is_active (GTK_WINDOW (window)))
    {
      KefuAlertObject *alert = client_alert (alerts (), first, "new_p1");
      AlertFor acked = { alerts (), first, "new_p1" };
      const char *ack;

      g_assert_true (kefu_application_get_can_notify (app));
      g_assert_true (kefu_gui_wait (notified, GUINT_TO_POINTER (1), 2000));
      g_assert_cmpstr (notified_summary, ==, kefu_alert_object_get_kind_text (alert));
      g_assert_nonnull (strstr (notified_body, first));
      g_assert_nonnull (notified_action (g_dgettext (GETTEXT_PACKAGE, "Open Ticket")));
      ack = notified_action (g_dgettext (GETTEXT_PACKAGE, "Acknowledge"));
      g_assert_nonnull (ack);
      g_test_message ("Notified: %s — %s; Acknowledge is %s", notified_summary, notified_body,
                      ack);

      g_dbus_connection_emit_signal (service_bus, NULL, "/org/freedesktop/Notifications",
                                     "org.freedesktop.Notifications", "ActionInvoked",
                                     g_variant_new ("(us)", n_notified, ack), NULL);
      g_assert_true (kefu_gui_wait (alert_acked, &acked, 2000));
      g_assert_true (kefu_gui_wait (notified_first_acked_on_server, first, 2000));
      /* Acknowledged: its notification is withdrawn. */
      g_assert_true (kefu_gui_wait (closed, NULL, 2000));
      first_acked = TRUE;
    }

  gtk_window_destroy (elsewhere);
  gtk_window_present (GTK_WINDOW (window));
  kefu_gui_run_for (300);

  second = create_ticket (1);
  f.number = second;
  g_assert_true (kefu_gui_wait (has_alert, &f, 1000));
  if (first_acked)
    {
      /* The first was acknowledged from its notification: raise one more. */
      g_autofree char *third = create_ticket (1);

      f.number = third;
      g_assert_true (kefu_gui_wait (has_alert, &f, 1000));
    }
  g_assert_cmpuint (kefu_alert_list_get_n_open (alerts ()), ==, 2);
  g_assert_true (kefu_alert_strip_get_revealed (strip ()));
  g_assert_cmpstr (kefu_alert_strip_get_more_text (strip ()), ==, more);
  g_assert_cmpint (adw_view_stack_page_get_badge_number (alerts_stack_page ()), ==, 2);
  kefu_gui_run_for (300);
  screenshot ("alert-strip-more");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kefu_gui_run_for (300);
  screenshot ("alert-strip-dark");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "alerts");
  kefu_gui_run_for (300);
  screenshot ("alerts-page-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
  kefu_gui_run_for (200);
}

/* The strip's "Show All" opens the Alerts page at the open alerts, even when the
 * acknowledged ones were shown there last. */
static void
test_show_all (void)
{
  const char *label = g_dgettext (GETTEXT_PACKAGE, "_Show All");
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (page ()),
                                                                 ADW_TYPE_VIEW_STACK));
  KefuAlertObject *shown;
  GtkWidget *button;
  GListModel *model;
  gint64 id;

  g_assert_true (kefu_alert_strip_get_revealed (strip ()));
  shown = kefu_alert_strip_get_alert (strip ());
  g_assert_nonnull (shown);
  id = kefu_alert_object_get_id (shown);

  /* The user looked at the acknowledged ones, then went back to the board. */
  show_view ("alerts");
  kefu_alerts_page_set_show_acked (page (), TRUE);
  kefu_gui_run_for (100);
  g_assert_null (shown_row (id));
  show_view ("board");
  g_assert_true (adw_view_stack_get_visible_child (stack) != GTK_WIDGET (page ()));

  button = find_button_labelled (GTK_WIDGET (strip ()), label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  kefu_gui_run_for (100);

  g_assert_true (adw_view_stack_get_visible_child (stack) == GTK_WIDGET (page ()));
  g_assert_false (kefu_alerts_page_get_show_acked (page ()));
  model = kefu_alerts_page_get_model (page ());
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, kefu_alert_list_get_n_open (alerts ()));
  g_assert_cmpint (model_position (model, id), >=, 0);
  /* The strip's alert is on screen, with its Acknowledge button. */
  g_assert_true (kefu_gui_wait (row_shown, &id, 1000));
  g_assert_true (kefu_alert_row_get_can_acknowledge (shown_row (id)));
  show_view ("board");
}

/* Sign-out empties the list; a manager who signs in gets the level-2 escalation of an
 * unsatisfied confirmation, live. */
static void
test_manager_level2 (void)
{
  g_autofree char *number = NULL;
  g_autofree char *assign = NULL;
  AlertFor f = { alerts (), NULL, "escalation" };
  KefuAlertObject *alert;
  gint64 id;
  gint64 start;

  kefu_connection_sign_out (connection ());
  g_assert_true (kefu_gui_wait (is_offline, connection (), 2000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alerts ())), ==, 0);
  g_assert_false (kefu_alert_strip_get_revealed (strip ()));

  kefu_window_sign_in (window, kefu_gui_server_get_url (server), "manager", "demo");
  g_assert_true (kefu_gui_wait (alerts_loaded, alerts (), 10000));
  /* A manager does not get the supervisors' new-P1 alerts. */
  g_assert_null (kefu_alert_list_lookup (alerts (), p1_alert_id));
  /* The demo's escalations, acknowledged elsewhere: the new one is then the only one. */
  ack_all (manager_token);
  g_assert_true (kefu_gui_wait (none_open, alerts (), 2000));

  /* The whole way through the API, each step by the role that does it. */
  number = create_ticket (2);
  f.number = number;
  assign = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT
                            ",\"department\":\"technical\"}", user_id ("technician"));
  ticket_step (supervisor_token, number, "assign", assign);
  ticket_step (technician_token, number, "accept", NULL);
  ticket_step (technician_token, number, "resolve",
               "{\"kind\":\"repair\",\"summary\":\"更换电源板后正常开机\",\"cost_cents\":0,"
               "\"minutes_spent\":45}");
  kefu_gui_run_for (100);
  g_assert_false (has_alert (&f));

  ticket_step (agent_token, number, "confirm",
               "{\"solved\":false,\"satisfaction\":1,\"comment\":\"还是无法开机\"}");
  start = g_get_monotonic_time ();
  g_assert_true (kefu_gui_wait (has_alert, &f, 1000));
  alert = client_alert (alerts (), number, "escalation");
  id = kefu_alert_object_get_id (alert);
  g_assert_true (kefu_gui_wait (strip_shows, &id, 1000));
  g_test_message ("The manager saw the level-2 escalation after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (kefu_alert_object_get_level (alert), ==, 2);
  g_assert_null (kefu_alert_object_get_clock (alert));
  g_assert_cmpstr (kefu_alert_object_get_level_text (alert), ==,
                   g_dpgettext2 (GETTEXT_PACKAGE, "alert", "Level 2 · for managers"));
  g_assert_nonnull (strstr (kefu_alert_strip_get_text (strip ()), number));
  g_assert_true (adw_view_stack_page_get_needs_attention (alerts_stack_page ()));
  kefu_gui_run_for (300);
  screenshot ("alert-strip-manager");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "alerts");
  g_assert_true (kefu_gui_wait (row_shown, &id, 1000));
  kefu_gui_run_for (300);
  screenshot ("alerts-page-manager");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
}

static gboolean
has_ticket_page (GtkWidget *widget)
{
  if (KEFU_IS_TICKET_PAGE (widget))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (has_ticket_page (child))
        return TRUE;
    }

  return FALSE;
}

static GtkWindow *
find_ticket_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (w != GTK_WINDOW (window) && has_ticket_page (GTK_WIDGET (w)))
        return w;
    }

  return NULL;
}

static gboolean
ticket_window_open (gpointer data)
{
  return find_ticket_window () != NULL;
}

static gboolean
strip_hidden_and_acked (gpointer data)
{
  AlertFor *f = data;

  return strip_hidden (NULL) && alert_acked (f);
}

static gboolean
manager_acked_on_server (gpointer data)
{
  return server_alert (manager_token, "acked", data, "escalation") != NULL;
}

/* The buttons of a desktop notification are application actions with a target. */
static void
test_notification_actions (void)
{
  KefuAlertObject *alert = kefu_alert_strip_get_alert (strip ());
  g_autofree char *number = NULL;
  AlertFor f = { alerts (), NULL, "escalation" };
  GtkWindow *opened;

  g_assert_nonnull (alert);
  number = g_strdup (kefu_alert_object_get_number (alert));
  f.number = number;

  g_action_group_activate_action (G_ACTION_GROUP (app), "open-ticket",
                                  g_variant_new_string (number));
  g_assert_true (kefu_gui_wait (ticket_window_open, NULL, 2000));
  opened = find_ticket_window ();
  g_assert_nonnull (opened);
  gtk_window_destroy (opened);

  g_action_group_activate_action (G_ACTION_GROUP (app), "ack-alert",
                                  g_variant_new_int64 (kefu_alert_object_get_id (alert)));
  g_assert_true (kefu_gui_wait (strip_hidden_and_acked, &f, 1000));
  /* Sent and stored (the client showed it acknowledged before the answer came). */
  g_assert_true (kefu_gui_wait (manager_acked_on_server, number, 2000));
  g_assert_cmpstr (kefu_alert_object_get_acked_by (alert), ==, display_name ("manager"));
}

/* Every warning and critical is fatal here, as with G_DEBUG=fatal-warnings — GLib's about a
 * missing notification service above all — except the one GTK prints under Xvfb without a
 * window manager (see kefu-gui-test.c). GTK and GIO log through the structured API, which the
 * test framework's fatal handler never sees, hence a writer. */
static GLogWriterOutput
strict_writer (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        message = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Gtk") == 0
      && message != NULL && strstr (message, "did not receive a focus-out event") != NULL)
    return g_log_writer_standard_streams (log_level & ~G_LOG_FLAG_FATAL, fields, n_fields,
                                          user_data);

  if (log_level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL))
    log_level |= G_LOG_FLAG_FATAL;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_log_set_writer_func (strict_writer, NULL, NULL);
  kefu_gui_test_init (&argc, &argv);
  start_notification_service ();

  server = kefu_gui_server_new ();
  supervisor_token = kefu_gui_server_login (server, "supervisor");
  supervisor2_token = kefu_gui_server_login (server, "supervisor2");
  agent_token = kefu_gui_server_login (server, "agent");
  technician_token = kefu_gui_server_login (server, "technician");
  manager_token = kefu_gui_server_login (server, "manager");

  app = kefu_gui_application_new ();
  window = kefu_gui_window_new (app, NULL, 1280, 800);

  g_test_add_func ("/alerts/sign-in", test_sign_in);
  g_test_add_func ("/alerts/acked-elsewhere", test_acked_elsewhere);
  g_test_add_func ("/alerts/new-p1", test_new_p1);
  g_test_add_func ("/alerts/raised-time-ticks", test_raised_time_ticks);
  g_test_add_func ("/alerts/ack-from-strip", test_ack_from_strip);
  g_test_add_func ("/alerts/more-and-dark", test_more_and_dark);
  g_test_add_func ("/alerts/show-all", test_show_all);
  g_test_add_func ("/alerts/manager-level2", test_manager_level2);
  g_test_add_func ("/alerts/notification-actions", test_notification_actions);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  if (other != NULL)
    kefu_connection_sign_out (other);
  g_clear_object (&other);
  g_object_unref (app);
  kefu_gui_server_free (server);
  g_free (supervisor_token);
  g_free (supervisor2_token);
  g_free (agent_token);
  g_free (technician_token);
  g_free (manager_token);
  g_free (p1_number);

  return ret;
}
