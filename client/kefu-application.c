/* kefu-application.c
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-application"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-alert-list.h"
#include "kefu-application.h"
#include "kefu-window.h"

struct _KefuApplication
{
  AdwApplication  parent_instance;

  KefuConnection *connection;

  /* Desktop notifications of new alerts (see kefu_application_get_can_notify()). */
  GCancellable   *notify_check_cancellable;
  guint           n_alert_notifications;
  guint           can_notify : 1;
};

G_DEFINE_FINAL_TYPE (KefuApplication, kefu_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Address of the Kefu server (or set KEFU_SERVER)"), N_("URL") },
  { "user", 'u', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Username to sign in with (or set KEFU_USER)"), N_("NAME") },
  { "password", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Password to sign in with; visible to other users of this computer, prefer KEFU_PASSWORD"),
    N_("PASSWORD") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

KefuApplication *
kefu_application_new (void)
{
  return g_object_new (KEFU_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/org/kefu/Kefu",
                       "flags", (G_APPLICATION_HANDLES_COMMAND_LINE
                                 | G_APPLICATION_CAN_OVERRIDE_APP_ID),
                       NULL);
}

KefuConnection *
kefu_application_get_connection (KefuApplication *self)
{
  g_return_val_if_fail (KEFU_IS_APPLICATION (self), NULL);

  return self->connection;
}

static KefuWindow *
get_window (KefuApplication *self)
{
  GtkWindow *window;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (KEFU_IS_WINDOW (l->data))
        return KEFU_WINDOW (l->data);
    }

  window = GTK_WINDOW (kefu_window_new (GTK_APPLICATION (self), self->connection));
  return KEFU_WINDOW (window);
}

static void
kefu_application_activate (GApplication *application)
{
  KefuApplication *self = KEFU_APPLICATION (application);

  gtk_window_present (GTK_WINDOW (get_window (self)));
}

/* An option, else the environment variable of the invoking process, else NULL. */
static const char *
lookup_setting (GApplicationCommandLine *command_line,
                GVariantDict            *options,
                const char              *option,
                const char              *variable)
{
  const char *value = NULL;

  if (g_variant_dict_lookup (options, option, "&s", &value) && value[0] != '\0')
    return value;

  value = g_application_command_line_getenv (command_line, variable);
  if (value != NULL && value[0] != '\0')
    return value;

  return NULL;
}

static int
kefu_application_command_line (GApplication            *application,
                               GApplicationCommandLine *command_line)
{
  KefuApplication *self = KEFU_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server;
  const char *user;
  const char *password;
  KefuWindow *window;

  server = lookup_setting (command_line, options, "server", "KEFU_SERVER");
  user = lookup_setting (command_line, options, "user", "KEFU_USER");
  password = lookup_setting (command_line, options, "password", "KEFU_PASSWORD");

  window = get_window (self);
  gtk_window_present (GTK_WINDOW (window));

  if (server != NULL && user != NULL && password != NULL)
    kefu_window_sign_in (window, server, user, password);
  else
    kefu_window_prefill (window, server, user);

  return EXIT_SUCCESS;
}

static int
kefu_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("kefu %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* Without its schema GSettings would abort; say what is missing instead. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("The settings schema %s is not installed. When running from a build tree, "
                    "set GSETTINGS_SCHEMA_DIR to BUILDDIR/data.\n"),
                  APP_ID);
      return EXIT_FAILURE;
    }

  return G_APPLICATION_CLASS (kefu_application_parent_class)->handle_local_options (application,
                                                                                    options);
}

static void
kefu_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  KefuApplication *self = user_data;

  /* Close the windows so that they save their state, then leave. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
kefu_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  static const char *developers[] = { N_("Kefu developers"), NULL };
  g_autofree char *developer = g_strdup (_(developers[0]));
  const char *translated_developers[] = { developer, NULL };
  KefuApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  adw_about_window_set_application_name (about, _("Kefu"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_comments (about,
                                 _("Register every customer feedback as a ticket, route it to "
                                   "the right person and keep it on time."));
  adw_about_window_set_developer_name (about, developer);
  adw_about_window_set_developers (about, translated_developers);
  adw_about_window_set_copyright (about, _("© 2026 Kefu developers"));
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_website (about, PACKAGE_URL);
  adw_about_window_set_issue_url (about, PACKAGE_URL "/issues");
  /* Translators: replace this with your name(s), one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));

  if (window != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (about), window);
  gtk_window_present (GTK_WINDOW (about));
}

/* ---- alerts on the desktop ------------------------------------------------------------------ */

/* The buttons of a notification: act in the window, which shows what happens. */
static void
kefu_application_open_ticket_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  KefuApplication *self = user_data;
  KefuWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-ticket", "s",
                              g_variant_get_string (parameter, NULL));
}

static void
kefu_application_ack_alert_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  KefuApplication *self = user_data;
  KefuWindow *window = get_window (self);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.ack-alert", "x",
                              g_variant_get_int64 (parameter));
}

static char *
alert_notification_id (KefuAlertObject *alert)
{
  return g_strdup_printf ("alert-%" G_GINT64_FORMAT, kefu_alert_object_get_id (alert));
}

static void
on_alert_acked (KefuApplication *self,
                GParamSpec      *pspec,
                KefuAlertObject *alert)
{
  g_autofree char *id = NULL;

  if (!kefu_alert_object_get_acked (alert))
    return;

  g_signal_handlers_disconnect_by_func (alert, on_alert_acked, self);
  if (self->can_notify)
    {
      id = alert_notification_id (alert);
      g_application_withdraw_notification (G_APPLICATION (self), id);
    }
}

static void
on_alert_raised (KefuApplication *self,
                 KefuAlertObject *alert,
                 KefuAlertList   *alerts)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  /* Someone at the window sees the strip and a toast. */
  if (window != NULL && gtk_window_is_active (window))
    return;

  self->n_alert_notifications++;
  if (!self->can_notify)
    {
      g_debug ("No notification service: alert %" G_GINT64_FORMAT " shows in the window only",
               kefu_alert_object_get_id (alert));
      return;
    }

  body = kefu_alert_object_dup_headline (alert);
  id = alert_notification_id (alert);
  notification = g_notification_new (kefu_alert_object_get_kind_text (alert));
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, kefu_alert_object_is_serious (alert)
                                             ? G_NOTIFICATION_PRIORITY_URGENT
                                             : G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.open-ticket", "s",
                                                kefu_alert_object_get_number (alert));
  g_notification_add_button_with_target (notification, _("Open Ticket"), "app.open-ticket",
                                         "s", kefu_alert_object_get_number (alert));
  g_notification_add_button_with_target (notification, _("Acknowledge"), "app.ack-alert",
                                         "x", kefu_alert_object_get_id (alert));
  g_application_send_notification (G_APPLICATION (self), id, notification);

  g_signal_connect_object (alert, "notify::acked", G_CALLBACK (on_alert_acked), self,
                           G_CONNECT_SWAPPED);
}

static gboolean
names_include_notifications (GVariant *reply)
{
  g_autoptr(GVariantIter) iter = NULL;
  const char *name;

  g_variant_get (reply, "(as)", &iter);
  while (g_variant_iter_loop (iter, "&s", &name))
    {
      if (g_str_equal (name, "org.freedesktop.Notifications")
          || g_str_equal (name, "org.gtk.Notifications"))
        return TRUE;
    }

  return FALSE;
}

static void
list_names_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KefuApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not ask the session bus for a notification service: %s",
                 error->message);
      return;
    }

  if (names_include_notifications (reply))
    {
      g_debug ("Desktop notifications are available");
      self->can_notify = TRUE;
    }
}

/* GLib sends notifications through org.gtk.Notifications when it runs, otherwise through
 * org.freedesktop.Notifications — and warns when that is not there; without a session bus
 * it fails outright. So look first: a running or activatable service, or the portal when
 * GLib uses it (a sandbox), which fails quietly. */
static void
check_notification_service (KefuApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  const char *methods[] = { "ListNames", "ListActivatableNames" };

  self->can_notify = FALSE;
  if (bus == NULL)
    {
      g_debug ("No session bus: no desktop notifications");
      return;
    }

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS)
      || g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0)
    {
      self->can_notify = TRUE;
      return;
    }

  g_cancellable_cancel (self->notify_check_cancellable);
  g_clear_object (&self->notify_check_cancellable);
  self->notify_check_cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                            "org.freedesktop.DBus", methods[i], NULL, G_VARIANT_TYPE ("(as)"),
                            G_DBUS_CALL_FLAGS_NONE, -1, self->notify_check_cancellable,
                            list_names_cb, g_object_ref (self));
}

gboolean
kefu_application_get_can_notify (KefuApplication *self)
{
  g_return_val_if_fail (KEFU_IS_APPLICATION (self), FALSE);

  return self->can_notify;
}

guint
kefu_application_get_n_alert_notifications (KefuApplication *self)
{
  g_return_val_if_fail (KEFU_IS_APPLICATION (self), 0);

  return self->n_alert_notifications;
}

static const GActionEntry app_actions[] = {
  { "quit", kefu_application_quit_action },
  { "about", kefu_application_about_action },
  { "open-ticket", kefu_application_open_ticket_action, "s" },
  { "ack-alert", kefu_application_ack_alert_action, "x" },
};

static void
kefu_application_startup (GApplication *application)
{
  KefuApplication *self = KEFU_APPLICATION (application);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.new-ticket", { "<Control>n", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.show-view::board", { "<Alt>1", NULL } },
    { "win.show-view::tickets", { "<Alt>2", NULL } },
    { "win.show-view::alerts", { "<Alt>3", NULL } },
    { "win.show-view::reports", { "<Alt>4", NULL } },
    { "win.export-csv", { "<Control><Shift>s", NULL } },
    { "win.export-pdf", { "<Control>p", NULL } },
  };

  G_APPLICATION_CLASS (kefu_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  check_notification_service (self);
  g_signal_connect_object (kefu_alert_list_get_for_connection (self->connection),
                           "alert-raised", G_CALLBACK (on_alert_raised), self,
                           G_CONNECT_SWAPPED);
}

static void
kefu_application_dispose (GObject *object)
{
  KefuApplication *self = KEFU_APPLICATION (object);

  g_cancellable_cancel (self->notify_check_cancellable);
  g_clear_object (&self->notify_check_cancellable);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (kefu_application_parent_class)->dispose (object);
}

static void
kefu_application_class_init (KefuApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = kefu_application_dispose;

  app_class->activate = kefu_application_activate;
  app_class->command_line = kefu_application_command_line;
  app_class->handle_local_options = kefu_application_handle_local_options;
  app_class->startup = kefu_application_startup;
}

static void
kefu_application_init (KefuApplication *self)
{
  self->connection = kefu_connection_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Kefu, the after-sales service desk"));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Given a server, a username and a password, "
                                                  "Kefu signs in at start-up. Otherwise it "
                                                  "opens the sign-in page."));
}
