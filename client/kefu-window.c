/* kefu-window.c
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-display-names.h"
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
  AdwStatusPage        *board_page;

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

static void
update_signed_in (KefuWindow *self)
{
  const char *display_name = kefu_connection_get_user_display_name (self->connection);
  const char *role = kefu_connection_get_role (self->connection);
  const char *server_url = kefu_connection_get_server_url (self->connection);
  gboolean signed_in = is_signed_in (self);

  set_action_enabled (self, "sign-out", signed_in);
  update_user_box (self);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, signed_in);

  if (signed_in)
    {
      g_autofree char *subtitle = NULL;
      g_autofree char *description = NULL;

      /* Translators: the header bar subtitle; the first %s is the user's name, the second
       * the user's role, e.g. "Signed in as Wang Fang (Supervisor)" */
      subtitle = g_strdup_printf (_("Signed in as %s (%s)"),
                                  display_name, kefu_role_word_get_display_name (role));
      /* The subtitle shows when the window is too narrow for the view switcher; the label at
       * the start of the header bar when it is wide enough. */
      adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
      gtk_label_set_text (self->user_label, subtitle);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_label), subtitle);

      adw_status_page_set_icon_name (self->board_page, "network-transmit-receive-symbolic");
      adw_status_page_set_title (self->board_page, _("Connected"));
      /* Translators: %s is the server address */
      description = g_strdup_printf (_("Connected to the Kefu server at %s. Open tickets will "
                                       "appear here as cards in four columns, P1 to P4, with a "
                                       "live countdown to each deadline."),
                                     server_url);
      adw_status_page_set_description (self->board_page, description);

      if (!self->was_signed_in)
        {
          adw_view_stack_set_visible_child_name (self->view_stack, "board");
          gtk_stack_set_visible_child_name (self->main_stack, "main");
        }
    }
  else
    {
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      gtk_label_set_text (self->user_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_label), NULL);
      gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
    }

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
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Signed out")));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static const GActionEntry win_actions[] = {
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
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
  g_clear_handle_id (&self->user_box_idle, g_source_remove);

  G_OBJECT_CLASS (kefu_window_parent_class)->dispose (object);
}

static void
kefu_window_finalize (GObject *object)
{
  KefuWindow *self = KEFU_WINDOW (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->settings);

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
  gtk_widget_class_bind_template_child (widget_class, KefuWindow, board_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_title_visible_changed);
}

static void
kefu_window_init (KefuWindow *self)
{
  int width;
  int height;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  self->settings = g_settings_new (APP_ID);
  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}
