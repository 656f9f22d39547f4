/* kefu-window.c
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-alert-list.h"
#include "kefu-alert-strip.h"
#include "kefu-alerts-page.h"
#include "kefu-board.h"
#include "kefu-display-names.h"
#include "kefu-error-text.h"
#include "kefu-my-work.h"
#include "kefu-reports-page.h"
#include "kefu-ticket-filter.h"
#include "kefu-ticket-form.h"
#include "kefu-ticket-page.h"
#include "kefu-ticket-text.h"
#include "kefu-tickets-view.h"
#include "kefu-window.h"

struct _KefuWindow
{
  AdwApplicationWindow  parent_instance;

  KefuConnection       *connection;
  GSettings            *settings;
  GCancellable         *sign_in_cancellable;

  /* Template widgets */
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *user_box;
  GtkLabel             *user_label;
  GtkStack             *main_stack;
  AdwToastOverlay      *toast_overlay;
  AdwEntryRow          *server_row;
  AdwEntryRow          *username_row;
  AdwPasswordEntryRow  *password_row;
  GtkLabel             *error_label;
  GtkButton            *sign_in_button;
  GtkSpinner           *sign_in_spinner;
  GtkLabel             *sign_in_label;
  AdwViewStack         *view_stack;
  KefuBoard            *board;
  KefuTicketsView      *tickets_view;
  GtkWidget            *new_ticket_button;
  GtkWidget            *connection_button;
  GtkImage             *connection_icon;
  GtkLabel             *connection_label;
  GtkLabel             *connection_details;
  GtkWidget            *reconnect_button;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkRevealer          *filter_revealer;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *department_button;
  GMenu                *department_section;
  GMenu                *compact_department_section;
  GtkWidget            *workload_button;
  KefuMyWork           *my_work;
  AdwViewStackPage     *my_work_stack_page;
  KefuAlertStrip       *alert_strip;
  KefuAlertsPage       *alerts_page;
  AdwViewStackPage     *alerts_stack_page;
  KefuReportsPage      *reports_page;

  /* The connection's alerts (the strip, the Alerts page and its badge). */
  KefuAlertList        *alerts;

  /* The criteria the board and the ticket table share. */
  KefuTicketFilter     *filter;
  /* Ticket number → its open window. */
  GHashTable           *ticket_windows;
  GCancellable         *departments_cancellable;
  guint                 reconnect_countdown;

  guint                 user_box_idle;
  guint                 was_signed_in : 1;
};

G_DEFINE_FINAL_TYPE (KefuWindow, kefu_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
row_is_blank (gpointer row)
{
  const char *text = row_text (row);

  while (*text == ' ' || *text == '\t')
    text++;
  return *text == '\0';
}

static void
set_action_enabled (KefuWindow *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static gboolean
is_signed_in (KefuWindow *self)
{
  /* Signed in = the server told us who we are; "state" alone may later flicker between
   * connecting and connected while the live connection recovers. */
  return kefu_connection_get_user_display_name (self->connection) != NULL;
}

static void
show_error (KefuWindow *self,
            const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
focus_first_blank_field (KefuWindow *self)
{
  if (row_is_blank (self->server_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (row_is_blank (self->username_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
update_sign_in_action (KefuWindow *self)
{
  gboolean busy = kefu_connection_get_state (self->connection) == KEFU_CONNECTION_STATE_CONNECTING;

  set_action_enabled (self, "sign-in",
                      !busy
                      && !row_is_blank (self->server_row)
                      && !row_is_blank (self->username_row)
                      && row_text (self->password_row)[0] != '\0');
}

static void
update_busy (KefuWindow *self)
{
  gboolean busy = kefu_connection_get_state (self->connection) == KEFU_CONNECTION_STATE_CONNECTING;

  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_spinner), busy);
  gtk_spinner_set_spinning (self->sign_in_spinner, busy);
  gtk_label_set_text_with_mnemonic (self->sign_in_label, busy ? _("Signing In…") : _("_Sign In"));
}

static void
update_user_box (KefuWindow *self)
{
  /* Also called while the template is being built. */
  if (self->user_box == NULL || self->connection == NULL)
    return;

  gtk_widget_set_visible (self->user_box,
                          is_signed_in (self)
                          && !adw_view_switcher_title_get_title_visible (self->switcher_title));
  /* Narrow: the connection state as an icon only. */
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label),
                          !adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static gboolean
update_user_box_idle (gpointer user_data)
{
  KefuWindow *self = user_data;

  self->user_box_idle = 0;
  update_user_box (self);
  return G_SOURCE_REMOVE;
}

/* "title-visible" changes while the header bar is being allocated: showing a widget then
 * would leave it unallocated, so wait for the frame to finish. */
static void
on_title_visible_changed (KefuWindow *self)
{
  if (self->user_box_idle == 0)
    self->user_box_idle = g_idle_add (update_user_box_idle, self);
}

/* ---- ticket windows ---------------------------------------------------------------------- */

static void
close_ticket_windows (KefuWindow *self)
{
  g_autoptr(GList) windows = g_hash_table_get_values (self->ticket_windows);

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_hash_table_remove_all (self->ticket_windows);
}

static void
on_ticket_window_destroy (GtkWidget  *window,
                          KefuWindow *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->ticket_windows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (value == window)
        {
          g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

static void
on_ticket_page_title (GtkWidget  *page,
                      GParamSpec *pspec,
                      GtkWindow  *window)
{
  g_autofree char *title = NULL;

  g_object_get (page, "title", &title, NULL);
  gtk_window_set_title (window, title);
}

/* A ticket opens in a window of its own, so that a supervisor can keep the board in view
 * and several tickets side by side; opening it again brings its window forward. */
static void
open_ticket (KefuWindow *self,
             const char *number)
{
  GtkWindow *window = g_hash_table_lookup (self->ticket_windows, number);
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *page;
  GtkWidget *title;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_title (window, number);
  gtk_window_set_default_size (window, 720, 760);
  gtk_window_set_application (window, gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_transient_for (window, GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (window, TRUE);

  page = kefu_ticket_page_new (self->connection, number);
  gtk_widget_set_vexpand (page, TRUE);

  header = adw_header_bar_new ();
  title = adw_window_title_new (number, NULL);
  g_object_bind_property (page, "title", title, "title", G_BINDING_DEFAULT);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (on_ticket_page_title), window, 0);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);

  g_hash_table_insert (self->ticket_windows, g_strdup (number), window);
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_ticket_window_destroy), self, 0);

  gtk_window_present (window);
}

/* ---- the connection's state -------------------------------------------------------------- */

static void
update_new_ticket_action (KefuWindow *self)
{
  const char *role = kefu_connection_get_role (self->connection);

  /* The server lets agents and supervisors register tickets. */
  set_action_enabled (self, "new-ticket",
                      is_signed_in (self)
                      && (g_strcmp0 (role, "agent") == 0 || g_strcmp0 (role, "supervisor") == 0));
}

static gboolean
network_is_down (void)
{
  return !g_network_monitor_get_network_available (g_network_monitor_get_default ());
}

static void
update_banner (KefuWindow *self)
{
  gint64 reconnect_time = kefu_connection_get_reconnect_time (self->connection);
  g_autofree char *text = NULL;

  if (reconnect_time == 0)
    {
      text = g_strdup (_("The connection to the server was lost. Reconnecting…"));
    }
  else
    {
      gint64 seconds = (reconnect_time - g_get_monotonic_time () + G_USEC_PER_SEC - 1)
                       / G_USEC_PER_SEC;

      seconds = MAX (seconds, 1);
      text = g_strdup_printf (ngettext ("The connection to the server was lost. Changes by "
                                        "others will show once it is back. Trying again in "
                                        "%d second.",
                                        "The connection to the server was lost. Changes by "
                                        "others will show once it is back. Trying again in "
                                        "%d seconds.",
                                        (gulong) seconds),
                              (int) seconds);
    }

  gtk_label_set_text (self->banner_label, text);
}

static gboolean
reconnect_countdown_cb (gpointer user_data)
{
  KefuWindow *self = user_data;

  update_banner (self);
  return G_SOURCE_CONTINUE;
}

static void
update_connection_state (KefuWindow *self)
{
  KefuConnectionState state = kefu_connection_get_state (self->connection);
  gboolean reconnecting = is_signed_in (self) && state == KEFU_CONNECTION_STATE_RECONNECTING;
  g_autofree char *details = NULL;
  const char *icon;
  const char *label;
  const char *server_url = kefu_connection_get_server_url (self->connection);

  gtk_widget_remove_css_class (self->connection_button, "kefu-reconnecting");
  gtk_widget_remove_css_class (self->connection_button, "kefu-offline");

  if (!reconnecting)
    {
      icon = "network-transmit-receive-symbolic";
      label = C_("connection", "Connected");
      /* Translators: %s is the server address */
      details = g_strdup_printf (_("Connected to %s. Changes made by others show as they "
                                   "happen."), server_url != NULL ? server_url : "");
    }
  else if (network_is_down ())
    {
      icon = "network-offline-symbolic";
      label = C_("connection", "Offline");
      gtk_widget_add_css_class (self->connection_button, "kefu-offline");
      details = g_strdup (_("This computer is not connected to a network. Kefu reconnects "
                            "as soon as it is, and catches up on what changed meanwhile."));
    }
  else
    {
      icon = "network-error-symbolic";
      label = C_("connection", "Reconnecting…");
      gtk_widget_add_css_class (self->connection_button, "kefu-reconnecting");
      /* Translators: %s is the server address */
      details = g_strdup_printf (_("The connection to %s was lost. Kefu keeps trying, and "
                                   "catches up on what changed meanwhile."),
                                 server_url != NULL ? server_url : "");
    }

  gtk_image_set_from_icon_name (self->connection_icon, icon);
  gtk_label_set_text (self->connection_label, label);
  gtk_widget_set_tooltip_text (self->connection_button, details);
  gtk_label_set_text (self->connection_details, details);
  gtk_widget_set_visible (self->reconnect_button, reconnecting);
  set_action_enabled (self, "reconnect", reconnecting);

  gtk_revealer_set_reveal_child (self->banner_revealer, reconnecting);
  if (reconnecting)
    {
      update_banner (self);
      if (self->reconnect_countdown == 0)
        self->reconnect_countdown = g_timeout_add_seconds (1, reconnect_countdown_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->reconnect_countdown, g_source_remove);
    }
}

static void
on_session_ended (KefuWindow     *self,
                  const char     *message,
                  KefuConnection *connection)
{
  show_error (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/* ---- filters ----------------------------------------------------------------------------- */

static void
set_department_label (KefuWindow *self,
                      const char *code)
{
  if (code == NULL || code[0] == '\0')
    gtk_menu_button_set_label (self->department_button, _("All Departments"));
  else
    gtk_menu_button_set_label (self->department_button, kefu_text_department (code));
}

static void
fill_department_menus (KefuWindow *self,
                       JsonArray  *departments)
{
  GMenu *menus[] = { self->department_section, self->compact_department_section };

  for (guint m = 0; m < G_N_ELEMENTS (menus); m++)
    {
      g_menu_remove_all (menus[m]);
      g_menu_append (menus[m], _("All Departments"), "win.department::");

      for (guint i = 0; departments != NULL && i < json_array_get_length (departments); i++)
        {
          JsonObject *department = json_array_get_object_element (departments, i);
          const char *code = json_object_get_string_member_with_default (department, "code", NULL);
          const char *name = json_object_get_string_member_with_default (department, "name",
                                                                         code);
          const char *shown;
          g_autoptr(GMenuItem) item = NULL;

          if (code == NULL)
            continue;

          /* Our own translation of a default department, the server's name of another. */
          shown = kefu_text_department (code);
          if (g_strcmp0 (shown, code) == 0 && name != NULL)
            shown = name;

          item = g_menu_item_new (shown, NULL);
          g_menu_item_set_action_and_target (item, "win.department", "s", code);
          g_menu_append_item (menus[m], item);
        }
    }
}

static void
departments_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KefuWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object_answer;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, &error);
  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not load the departments: %s", error->message);
      return;
    }

  object_answer = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  if (object_answer != NULL && json_object_has_member (object_answer, "departments"))
    fill_department_menus (self, json_object_get_array_member (object_answer, "departments"));
}

static void
load_departments (KefuWindow *self)
{
  g_cancellable_cancel (self->departments_cancellable);
  g_clear_object (&self->departments_cancellable);
  self->departments_cancellable = g_cancellable_new ();

  kefu_connection_request_async (self->connection, "GET", "/departments", NULL, NULL,
                                 self->departments_cancellable, departments_cb,
                                 g_object_ref (self));
}

static void
on_search_changed (KefuWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  kefu_ticket_filter_set_search (self->filter, text[0] != '\0' ? text : NULL);
}

static void
on_stop_search (KefuWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Exporting is for the report on screen. */
static void
update_export_actions (KefuWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean enabled = is_signed_in (self) && g_strcmp0 (name, "reports") == 0
                     && kefu_reports_page_get_can_export (self->reports_page);

  set_action_enabled (self, "export-csv", enabled);
  set_action_enabled (self, "export-pdf", enabled);
}

static void
on_visible_view_changed (KefuWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  /* Also called while the template is being built. */
  if (self->reports_page != NULL && self->connection != NULL)
    update_export_actions (self);

  /* The filters belong to the ticket views. */
  gtk_revealer_set_reveal_child (self->filter_revealer,
                                 g_strcmp0 (name, "board") == 0
                                 || g_strcmp0 (name, "tickets") == 0);
}

static void
update_signed_in (KefuWindow *self)
{
  const char *display_name = kefu_connection_get_user_display_name (self->connection);
  const char *role = kefu_connection_get_role (self->connection);
  gboolean signed_in = is_signed_in (self);

  set_action_enabled (self, "sign-out", signed_in);
  update_user_box (self);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, signed_in);

  /* "My work" for technicians, the workload panel for supervisors. */
  adw_view_stack_page_set_visible (self->my_work_stack_page,
                                   signed_in && g_strcmp0 (role, "technician") == 0);
  gtk_widget_set_visible (self->workload_button,
                          signed_in && g_strcmp0 (role, "supervisor") == 0);
  set_action_enabled (self, "workload-panel", signed_in && g_strcmp0 (role, "supervisor") == 0);
  if (!signed_in || g_strcmp0 (role, "supervisor") != 0)
    kefu_board_set_show_workload (self->board, FALSE);

  if (signed_in)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: the header bar subtitle; the first %s is the user's name, the second
       * the user's role, e.g. "Signed in as Wang Fang (Supervisor)" */
      subtitle = g_strdup_printf (_("Signed in as %s (%s)"),
                                  display_name, kefu_role_word_get_display_name (role));
      /* The subtitle shows when the window is too narrow for the view switcher; the label at
       * the start of the header bar when it is wide enough. */
      adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
      gtk_label_set_text (self->user_label, subtitle);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_label), subtitle);

      if (!self->was_signed_in)
        {
          adw_view_stack_set_visible_child_name (self->view_stack,
                                                 g_strcmp0 (role, "technician") == 0
                                                 ? "mywork" : "board");
          gtk_stack_set_visible_child_name (self->main_stack, "main");
          load_departments (self);
        }
    }
  else
    {
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      gtk_label_set_text (self->user_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_label), NULL);
      gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
      if (self->was_signed_in)
        close_ticket_windows (self);
    }

  gtk_widget_set_visible (self->new_ticket_button, signed_in);
  gtk_widget_set_visible (self->connection_button, signed_in);
  update_new_ticket_action (self);
  kefu_ticket_filter_set_user_id (self->filter, kefu_connection_get_user_id (self->connection));

  self->was_signed_in = signed_in;
}

static void
on_connection_state_changed (KefuWindow     *self,
                             GParamSpec     *pspec,
                             KefuConnection *connection)
{
  update_busy (self);
  update_sign_in_action (self);
  update_signed_in (self);
  update_connection_state (self);
}

static void
on_sign_in_field_changed (KefuWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_sign_in_action (self);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KefuConnection *connection = KEFU_CONNECTION (object);
  g_autoptr(KefuWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kefu_connection_sign_in_finish (connection, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("Sign-in failed: %s", error->message);
      show_error (self, error->message);

      if (g_error_matches (error, KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_WRONG_CREDENTIALS))
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
          gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
        }
      else if (error->domain == KEFU_CONNECTION_ERROR
               && error->code != KEFU_CONNECTION_ERROR_TOO_MANY_ATTEMPTS
               && error->code != KEFU_CONNECTION_ERROR_SERVER)
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
        }
      return;
    }

  /* Remember where and as whom, never the password. */
  g_settings_set_string (self->settings, "server-url",
                         kefu_connection_get_server_url (connection));
  g_settings_set_string (self->settings, "username", kefu_connection_get_username (connection));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row),
                         kefu_connection_get_server_url (connection));
}

static void
start_sign_in (KefuWindow *self)
{
  g_autofree char *username = g_strstrip (g_strdup (row_text (self->username_row)));

  show_error (self, NULL);

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();

  kefu_connection_sign_in_async (self->connection,
                                 row_text (self->server_row),
                                 username,
                                 row_text (self->password_row),
                                 self->sign_in_cancellable,
                                 sign_in_cb,
                                 g_object_ref (self));
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  start_sign_in (KEFU_WINDOW (user_data));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);

  kefu_connection_sign_out (self->connection);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Signed out")));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_ticket_created (KefuWindow     *self,
                   const char     *number,
                   KefuTicketForm *form)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: a toast after a ticket was registered; %s is its number */
  title = g_strdup_printf (_("Ticket %s registered"), number);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-ticket");
  adw_toast_set_action_target_value (toast, g_variant_new_string (number));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
new_ticket_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);
  KefuTicketForm *form;

  form = kefu_ticket_form_new (self->connection, GTK_WINDOW (self));
  g_signal_connect_object (form, "created", G_CALLBACK (on_ticket_created), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (form));
}

static void
open_ticket_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);
  const char *number = g_variant_get_string (parameter, NULL);

  if (number[0] != '\0' && is_signed_in (self))
    open_ticket (self, number);
}

static void
search_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (!is_signed_in (self))
    return;

  if (g_strcmp0 (name, "board") != 0 && g_strcmp0 (name, "tickets") != 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "board");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
reconnect_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);

  kefu_connection_reconnect_now (self->connection);
}

static void
scope_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);
  const char *scope = g_variant_get_string (parameter, NULL);

  if (g_str_equal (scope, "mine"))
    kefu_ticket_filter_set_scope (self->filter, KEFU_TICKET_SCOPE_MINE);
  else if (g_str_equal (scope, "unassigned"))
    kefu_ticket_filter_set_scope (self->filter, KEFU_TICKET_SCOPE_UNASSIGNED);
  else if (g_str_equal (scope, "all"))
    kefu_ticket_filter_set_scope (self->filter, KEFU_TICKET_SCOPE_ALL);
  else
    return;

  g_simple_action_set_state (action, parameter);
}

static void
department_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);
  const char *code = g_variant_get_string (parameter, NULL);

  kefu_ticket_filter_set_department (self->filter, code);
  set_department_label (self, code);
  g_simple_action_set_state (action, parameter);
}

static void
show_view_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);

  if (is_signed_in (self))
    adw_view_stack_set_visible_child_name (self->view_stack,
                                           g_variant_get_string (parameter, NULL));
}

/* ---- alerts ------------------------------------------------------------------------------ */

/* The strip's "Show All": the Alerts page at its open alerts, whichever section was shown
 * there before. */
static void
show_alerts_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);

  if (!is_signed_in (self))
    return;

  kefu_alerts_page_set_show_acked (self->alerts_page, FALSE);
  adw_view_stack_set_visible_child_name (self->view_stack, "alerts");
}

static void
update_alerts_badge (KefuWindow *self)
{
  guint n_open = kefu_alert_list_get_n_open (self->alerts);

  adw_view_stack_page_set_badge_number (self->alerts_stack_page, n_open);
  adw_view_stack_page_set_needs_attention (self->alerts_stack_page, n_open > 0);
}

static void
on_alert_raised (KefuWindow      *self,
                 KefuAlertObject *alert,
                 KefuAlertList   *alerts)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* The strip shows it anyway; a toast tells whoever is looking that it just came. Away
   * from the window, the desktop notification does (KefuApplication). */
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    return;

  title = kefu_alert_object_dup_headline (alert);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-ticket");
  adw_toast_set_action_target_value (toast,
                                     g_variant_new_string (kefu_alert_object_get_number (alert)));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
ack_alert_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KefuWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (kefu_alert_list_acknowledge_finish (KEFU_ALERT_LIST (object), result, &error))
    return;

  {
    g_autofree char *why = kefu_error_text (error);

    /* Translators: %s says why */
    title = g_strdup_printf (_("The alert could not be acknowledged: %s"), why);
  }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
ack_alert_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);

  if (is_signed_in (self))
    kefu_alert_list_acknowledge_async (self->alerts, g_variant_get_int64 (parameter), NULL,
                                       ack_alert_cb, g_object_ref (self));
}

static void
export_csv_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);

  kefu_reports_page_export_csv (self->reports_page, self->toast_overlay);
}

static void
export_pdf_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);

  kefu_reports_page_export_pdf (self->reports_page, self->toast_overlay);
}

/* The board's side panel of technicians (a toggle in the header bar, F9). */
static void
workload_panel_change_state (GSimpleAction *action,
                             GVariant      *state,
                             gpointer       user_data)
{
  KefuWindow *self = KEFU_WINDOW (user_data);
  gboolean show = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  kefu_board_set_show_workload (self->board, show);
  if (show)
    adw_view_stack_set_visible_child_name (self->view_stack, "board");
}

static void
on_board_show_workload (KefuWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "workload-panel");
  gboolean shown = kefu_board_get_show_workload (self->board);
  g_autoptr(GVariant) state = g_action_get_state (action);

  if (g_variant_get_boolean (state) != shown)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (shown));
}

static const GActionEntry win_actions[] = {
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
  { "new-ticket", new_ticket_action },
  { "open-ticket", open_ticket_action, "s" },
  { "search", search_action },
  { "reconnect", reconnect_action },
  { "scope", scope_action, "s", "'all'" },
  { "department", department_action, "s", "''" },
  { "show-view", show_view_action, "s" },
  { "show-alerts", show_alerts_action },
  { "workload-panel", NULL, NULL, "false", workload_panel_change_state },
  { "ack-alert", ack_alert_action, "x" },
  { "export-csv", export_csv_action },
  { "export-pdf", export_pdf_action },
};

void
kefu_window_prefill (KefuWindow *self,
                     const char *server_url,
                     const char *username)
{
  g_return_if_fail (KEFU_IS_WINDOW (self));

  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);

  if (!is_signed_in (self))
    focus_first_blank_field (self);
}

void
kefu_window_sign_in (KefuWindow *self,
                     const char *server_url,
                     const char *username,
                     const char *password)
{
  g_return_if_fail (KEFU_IS_WINDOW (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  start_sign_in (self);
}

KefuConnection *
kefu_window_get_connection (KefuWindow *self)
{
  g_return_val_if_fail (KEFU_IS_WINDOW (self), NULL);

  return self->connection;
}

KefuBoard *
kefu_window_get_board (KefuWindow *self)
{
  g_return_val_if_fail (KEFU_IS_WINDOW (self), NULL);

  return self->board;
}

KefuTicketsView *
kefu_window_get_tickets_view (KefuWindow *self)
{
  g_return_val_if_fail (KEFU_IS_WINDOW (self), NULL);

  return self->tickets_view;
}

KefuAlertStrip *
kefu_window_get_alert_strip (KefuWindow *self)
{
  g_return_val_if_fail (KEFU_IS_WINDOW (self), NULL);

  return self->alert_strip;
}

KefuAlertsPage *
kefu_window_get_alerts_page (KefuWindow *self)
{
  g_return_val_if_fail (KEFU_IS_WINDOW (self), NULL);

  return self->alerts_page;
}

KefuReportsPage *
kefu_window_get_reports_page (KefuWindow *self)
{
  g_return_val_if_fail (KEFU_IS_WINDOW (self), NULL);

  return self->reports_page;
}

const char *
kefu_window_get_connection_text (KefuWindow *self)
{
  g_return_val_if_fail (KEFU_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (self->connection_button))
    return NULL;

  return gtk_label_get_text (self->connection_label);
}

KefuWindow *
kefu_window_new (GtkApplication *application,
                 KefuConnection *connection)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (KEFU_IS_CONNECTION (connection), NULL);

  return g_object_new (KEFU_TYPE_WINDOW,
                       "application", application,
                       "connection", connection,
                       NULL);
}

static gboolean
kefu_window_close_request (GtkWindow *window)
{
  KefuWindow *self = KEFU_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);
  int width;
  int height;

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (kefu_window_parent_class)->close_request (window);
}

static void
kefu_window_constructed (GObject *object)
{
  KefuWindow *self = KEFU_WINDOW (object);
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;

  G_OBJECT_CLASS (kefu_window_parent_class)->constructed (object);

  g_assert (KEFU_IS_CONNECTION (self->connection));

  g_signal_connect_object (self->connection, "notify::state",
                           G_CALLBACK (on_connection_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::user-display-name",
                           G_CALLBACK (on_connection_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::role",
                           G_CALLBACK (on_connection_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::reconnect-time",
                           G_CALLBACK (update_connection_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "session-ended",
                           G_CALLBACK (on_session_ended), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (g_network_monitor_get_default (), "notify::network-available",
                           G_CALLBACK (update_connection_state), self,
                           G_CONNECT_SWAPPED);

  self->filter = kefu_ticket_filter_new (kefu_connection_get_tickets (self->connection));
  kefu_board_set_tickets (self->board, kefu_connection_get_tickets (self->connection));
  kefu_board_set_filter (self->board, GTK_FILTER (self->filter));
  kefu_board_set_connection (self->board, self->connection);
  g_signal_connect_object (self->board, "notify::show-workload",
                           G_CALLBACK (on_board_show_workload), self, G_CONNECT_SWAPPED);
  kefu_my_work_set_connection (self->my_work, self->connection);
  kefu_tickets_view_set_tickets (self->tickets_view,
                                 kefu_connection_get_tickets (self->connection));
  kefu_tickets_view_set_filter (self->tickets_view, GTK_FILTER (self->filter));
  fill_department_menus (self, NULL);
  set_department_label (self, NULL);

  self->alerts = g_object_ref (kefu_alert_list_get_for_connection (self->connection));
  kefu_alert_strip_set_alerts (self->alert_strip, self->alerts);
  kefu_alerts_page_set_alerts (self->alerts_page, self->alerts);
  g_signal_connect_object (self->alerts, "notify::n-open", G_CALLBACK (update_alerts_badge),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alerts, "alert-raised", G_CALLBACK (on_alert_raised), self,
                           G_CONNECT_SWAPPED);
  update_alerts_badge (self);

  kefu_reports_page_set_connection (self->reports_page, self->connection);
  g_signal_connect_object (self->reports_page, "notify::can-export",
                           G_CALLBACK (update_export_actions), self, G_CONNECT_SWAPPED);
  update_export_actions (self);

  server_url = g_settings_get_string (self->settings, "server-url");
  username = g_settings_get_string (self->settings, "username");
  kefu_window_prefill (self, server_url, username);

  on_connection_state_changed (self, NULL, self->connection);
}

static void
kefu_window_dispose (GObject *object)
{
  KefuWindow *self = KEFU_WINDOW (object);

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_cancellable_cancel (self->departments_cancellable);
  g_clear_object (&self->departments_cancellable);
  g_clear_handle_id (&self->user_box_idle, g_source_remove);
  g_clear_handle_id (&self->reconnect_countdown, g_source_remove);
  if (self->ticket_windows != NULL)
    close_ticket_windows (self);

  G_OBJECT_CLASS (kefu_window_parent_class)->dispose (object);
}

static void
kefu_window_finalize (GObject *object)
{
  KefuWindow *self = KEFU_WINDOW (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->settings);
  g_clear_object (&self->filter);
  g_clear_object (&self->alerts);
  g_clear_pointer (&self->ticket_windows, g_hash_table_unref);

  G_OBJECT_CLASS (kefu_window_parent_class)->finalize (object);
}

static void
kefu_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KefuWindow *self = KEFU_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KefuWindow *self = KEFU_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_window_class_init (KefuWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kefu_window_constructed;
  object_class->dispose = kefu_window_dispose;
  object_class->finalize = kefu_window_finalize;
  object_class->get_property = kefu_window_get_property;
  object_class->set_property = kefu_window_set_property;

  window_class->close_request = kefu_window_close_request;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         KEFU_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kefu/Kefu/kefu-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, user_box);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, username_row);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, sign_in_spinner);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, board);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, tickets_view);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, new_ticket_button);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, connection_button);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, connection_details);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, department_button);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, department_section);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, compact_department_section);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, workload_button);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, my_work);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, my_work_stack_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.workload-panel", NULL);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, alert_strip);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, alerts_page);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, alerts_stack_page);
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, reports_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_title_visible_changed);
}

static void
kefu_window_init (KefuWindow *self)
{
  int width;
  int height;

  g_type_ensure (KEFU_TYPE_BOARD);
  g_type_ensure (KEFU_TYPE_MY_WORK);
  g_type_ensure (KEFU_TYPE_TICKETS_VIEW);
  g_type_ensure (KEFU_TYPE_ALERT_STRIP);
  g_type_ensure (KEFU_TYPE_ALERTS_PAGE);
  g_type_ensure (KEFU_TYPE_REPORTS_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->ticket_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  self->settings = g_settings_new (APP_ID);
  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}
