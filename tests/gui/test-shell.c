/* test-shell.c — what surrounds the screens: the About window, the keyboard shortcuts window,
 * accessible names of icon-only buttons, and the server's errors as the user reads them
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against a real demo server, signed in as a supervisor. Set LANGUAGE=zh_CN for the Chinese
 * screenshots (meson registers both).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "kefu-application.h"
#include "kefu-error-text.h"
#include "kefu-gui-test.h"
#include "kefu-window.h"

static KefuGuiServer   *server;
static KefuApplication *app;
static KefuWindow      *window;

static const char *
language_suffix (void)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && g_str_has_prefix (language, "zh") ? "zh_CN" : "en";
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *full = g_strdup_printf ("%s-%s", name, language_suffix ());
  g_autofree char *path = NULL;

  kefu_gui_run_for (300);
  path = kefu_gui_save_screenshot (widget, full);
  g_test_message ("screenshot: %s", path);
}

static gboolean
signed_in (gpointer data)
{
  return kefu_connection_get_user_display_name (kefu_window_get_connection (window)) != NULL
         && kefu_ticket_list_get_loaded (kefu_connection_get_tickets (
              kefu_window_get_connection (window)));
}

static void
test_sign_in (void)
{
  kefu_window_sign_in (window, kefu_gui_server_get_url (server), "supervisor", "demo");
  g_assert_true (kefu_gui_wait (signed_in, NULL, 15000));
}

/* ---- About ------------------------------------------------------------------------------- */

static AdwAboutWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_ABOUT_WINDOW (toplevel);
    }

  return NULL;
}

static gboolean
about_is_shown (gpointer data)
{
  AdwAboutWindow *about = find_about_window ();

  return about != NULL && gtk_widget_get_mapped (GTK_WIDGET (about));
}

static void
test_about (void)
{
  AdwAboutWindow *about;
  const char *const *developers;

  g_assert_null (find_about_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.about", NULL));
  g_assert_true (kefu_gui_wait (about_is_shown, NULL, 5000));
  about = find_about_window ();

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, _("Kefu"));
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  developers = adw_about_window_get_developers (about);
  g_assert_nonnull (developers);
  g_assert_nonnull (developers[0]);
  g_assert_cmpstr (adw_about_window_get_developer_name (about), !=, "");
  /* The translators of the language in use, through the usual message. */
  g_assert_cmpstr (adw_about_window_get_translator_credits (about), ==, _("translator-credits"));
  if (g_str_equal (language_suffix (), "zh_CN"))
    g_assert_cmpstr (adw_about_window_get_translator_credits (about), !=, "translator-credits");

  screenshot (GTK_WIDGET (about), "about");
  gtk_window_destroy (GTK_WINDOW (about));
  kefu_gui_run_for (100);
}

/* ---- keyboard shortcuts ------------------------------------------------------------------ */

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *shortcuts)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    g_ptr_array_add (shortcuts, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, shortcuts);
}

/* Does the accelerator shown by @shortcut (space-separated accelerators) include @accel? */
static gboolean
shows_accel (GtkWidget  *shortcut,
             const char *accel)
{
  g_autofree char *shown = NULL;
  g_auto(GStrv) parts = NULL;
  guint key;
  GdkModifierType mods;

  if (!gtk_accelerator_parse (accel, &key, &mods))
    g_error ("The application registers an accelerator GTK cannot parse: %s", accel);

  g_object_get (shortcut, "accelerator", &shown, NULL);
  if (shown == NULL)
    return FALSE;

  parts = g_strsplit (shown, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint shown_key;
      GdkModifierType shown_mods;

      if (gtk_accelerator_parse (parts[i], &shown_key, &shown_mods)
          && gdk_keyval_to_lower (shown_key) == gdk_keyval_to_lower (key)
          && shown_mods == mods)
        return TRUE;
    }

  return FALSE;
}

static gboolean
overlay_is_shown (gpointer data)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (data);

  return overlay != NULL && gtk_widget_get_mapped (GTK_WIDGET (overlay));
}

static void
test_shortcuts (void)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GtkShortcutsWindow *overlay;
  guint n_accels = 0;

  /* Ctrl+? opens it: GTK binds it to win.show-help-overlay. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "win.show-help-overlay");
    g_assert_true (g_strv_contains ((const char *const *) accels, "<Control>question"));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay",
                                             NULL));
  g_assert_true (kefu_gui_wait (overlay_is_shown, window, 5000));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  collect_shortcuts (GTK_WIDGET (overlay), shortcuts);
  g_assert_cmpuint (shortcuts->len, >, 0);

  /* Every accelerator the application registers is in the window … */
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      for (guint a = 0; accels[a] != NULL; a++)
        {
          gboolean found = FALSE;

          n_accels++;
          for (guint s = 0; s < shortcuts->len && !found; s++)
            found = shows_accel (shortcuts->pdata[s], accels[a]);
          if (!found)
            g_error ("The shortcut %s of %s is missing from client/gtk/help-overlay.ui",
                     accels[a], actions[i]);
        }
    }
  g_assert_cmpuint (n_accels, >=, 8);

  /* … and every action the window names has one (no stale entries). */
  for (guint s = 0; s < shortcuts->len; s++)
    {
      g_autofree char *action = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (shortcuts->pdata[s], "action-name", &action, "accelerator", &accelerator,
                    NULL);
      if (action != NULL && (accelerator == NULL || accelerator[0] == '\0'))
        g_error ("The shortcuts window lists %s, which has no accelerator", action);
    }

  screenshot (GTK_WIDGET (overlay), "shortcuts");
  gtk_window_close (GTK_WINDOW (overlay));
  kefu_gui_run_for (100);
}

/* ---- accessible names -------------------------------------------------------------------- */

static gboolean
is_icon_only (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL
           && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL;
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL
           && gtk_button_get_label (GTK_BUTTON (widget)) == NULL;
  return FALSE;
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  const char *icon = GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget))
                                            : NULL;

  /* Inside the toolkit's own widgets, not ours to name: the apply button of an AdwEntryRow,
   * the reveal toggle of an AdwPasswordEntryRow, the month and year arrows of a GtkCalendar. */
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_CALENDAR) != NULL
      || g_strcmp0 (icon, "adw-entry-apply-symbolic") == 0
      || (gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL
          && (g_strcmp0 (icon, "view-reveal-symbolic") == 0
              || g_strcmp0 (icon, "view-conceal-symbolic") == 0)))
    return TRUE;

  /* (Not gtk_test_accessible_has_relation (…LABELLED_BY): GTK 4.8 answers TRUE for any
   * widget. No button of ours is labelled by another widget.) */
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Icon-only buttons of Kefu's own widgets (the first ancestor with a type of ours decides)
 * without an accessible name. */
static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *unnamed)
{
  if (is_icon_only (widget) && !has_accessible_name (widget))
    {
      GtkWidget *owner = widget;

      while (owner != NULL && !g_str_has_prefix (G_OBJECT_TYPE_NAME (owner), "Kefu"))
        owner = gtk_widget_get_parent (owner);
      if (owner != NULL)
        g_ptr_array_add (unnamed, g_strdup_printf ("%s (icon %s) in %s",
                                                   G_OBJECT_TYPE_NAME (widget),
                                                   GTK_IS_MENU_BUTTON (widget)
                                                   ? gtk_menu_button_get_icon_name (
                                                       GTK_MENU_BUTTON (widget))
                                                   : gtk_button_get_icon_name (
                                                       GTK_BUTTON (widget)),
                                                   G_OBJECT_TYPE_NAME (owner)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed);
}

/* What the .ui files say, including pages not on screen: an icon-only button (icon-name, no
 * label, no child) must carry <accessibility><property name="label"> or a labelled-by
 * relation. */
typedef struct {
  gboolean is_button;
  gboolean has_icon;
  gboolean has_label;
  gboolean has_name;
  char    *id;
} UiObject;

typedef struct {
  const char *file;
  GArray     *stack;         /* of UiObject */
  GPtrArray  *unnamed;
  gboolean    in_accessibility;
} UiScan;

static void
ui_start (GMarkupParseContext  *context,
          const char           *element,
          const char          **names,
          const char          **values,
          gpointer              user_data,
          GError              **error)
{
  UiScan *scan = user_data;
  UiObject *top = scan->stack->len > 0
                  ? &g_array_index (scan->stack, UiObject, scan->stack->len - 1) : NULL;
  const char *name = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], "name"))
      name = values[i];

  if (g_str_equal (element, "object") || g_str_equal (element, "template"))
    {
      UiObject object = { FALSE, FALSE, FALSE, FALSE, NULL };

      for (guint i = 0; names[i] != NULL; i++)
        {
          if (g_str_equal (names[i], "class") || g_str_equal (names[i], "parent"))
            object.is_button |= g_str_equal (values[i], "GtkButton")
                                || g_str_equal (values[i], "GtkMenuButton")
                                || g_str_equal (values[i], "GtkToggleButton");
          if (g_str_equal (names[i], "id"))
            object.id = g_strdup (values[i]);
        }
      g_array_append_val (scan->stack, object);
    }
  else if (g_str_equal (element, "accessibility"))
    scan->in_accessibility = TRUE;
  else if (top != NULL && scan->in_accessibility
           && ((g_str_equal (element, "property") && g_strcmp0 (name, "label") == 0)
               || (g_str_equal (element, "relation") && g_strcmp0 (name, "labelled-by") == 0)))
    top->has_name = TRUE;
  else if (top != NULL && g_str_equal (element, "property") && !scan->in_accessibility)
    {
      if (g_strcmp0 (name, "icon-name") == 0)
        top->has_icon = TRUE;
      else if (g_strcmp0 (name, "label") == 0 || g_strcmp0 (name, "child") == 0)
        top->has_label = TRUE;
    }
  else if (top != NULL && g_str_equal (element, "child"))
    top->has_label = TRUE;
}

static void
ui_end (GMarkupParseContext  *context,
        const char           *element,
        gpointer              user_data,
        GError              **error)
{
  UiScan *scan = user_data;

  if (g_str_equal (element, "accessibility"))
    scan->in_accessibility = FALSE;
  else if (g_str_equal (element, "object") || g_str_equal (element, "template"))
    {
      UiObject *top = &g_array_index (scan->stack, UiObject, scan->stack->len - 1);

      if (top->is_button && top->has_icon && !top->has_label && !top->has_name)
        g_ptr_array_add (scan->unnamed, g_strdup_printf ("%s: %s", scan->file,
                                                         top->id ? top->id : "(no id)"));
      g_free (top->id);
      g_array_set_size (scan->stack, scan->stack->len - 1);
    }
}

static void
scan_ui_resources (const char *path,
                   GPtrArray  *unnamed,
                   guint      *n_files)
{
  g_auto(GStrv) children = g_resources_enumerate_children (path, 0, NULL);

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      g_autofree char *child = g_strconcat (path, children[i], NULL);

      if (g_str_has_suffix (children[i], "/"))
        scan_ui_resources (child, unnamed, n_files);
      else if (g_str_has_suffix (children[i], ".ui"))
        {
          static const GMarkupParser parser = { ui_start, ui_end, NULL, NULL, NULL };
          g_autoptr(GBytes) bytes = g_resources_lookup_data (child, 0, NULL);
          g_autoptr(GMarkupParseContext) context = NULL;
          g_autoptr(GError) error = NULL;
          UiScan scan = { child, g_array_new (FALSE, TRUE, sizeof (UiObject)), unnamed, FALSE };
          gsize size;
          const char *data = g_bytes_get_data (bytes, &size);

          context = g_markup_parse_context_new (&parser, 0, &scan, NULL);
          g_markup_parse_context_parse (context, data, size, &error);
          g_assert_no_error (error);
          g_array_unref (scan.stack);
          (*n_files)++;
        }
    }
}

static void
test_accessible_names (void)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  guint n_files = 0;

  /* The check itself: a bare icon button has no name, one with a label has. */
  {
    GtkWidget *probe = g_object_ref_sink (gtk_button_new_from_icon_name ("edit-copy-symbolic"));

    g_assert_true (is_icon_only (probe));
    g_assert_false (has_accessible_name (probe));
    gtk_accessible_update_property (GTK_ACCESSIBLE (probe), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    "Copy", -1);
    g_assert_true (has_accessible_name (probe));
    g_object_unref (probe);
  }

  scan_ui_resources ("/org/kefu/Kefu/", unnamed, &n_files);
  g_assert_cmpuint (n_files, >=, 5);

  /* And what is on screen, including buttons made in code: the main window and a ticket. */
  collect_unnamed (GTK_WIDGET (window), unnamed);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

        if (toplevel != GTK_WIDGET (window))
          collect_unnamed (toplevel, unnamed);
      }
  }

  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("icon-only button without an accessible name: %s",
                    (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);
}

/* ---- the server's errors as the user reads them ------------------------------------------ */

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(JsonNode) answer = NULL;

  answer = kefu_connection_request_finish (KEFU_CONNECTION (object), result, error);
  if (answer != NULL && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "unexpected success");
}

static gboolean
has_error (gpointer data)
{
  return *(GError **) data != NULL;
}

static void
test_error_texts (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) own = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, _("Signed out"));
  g_autofree char *own_text = kefu_error_text (own);
  g_autofree char *text = NULL;

  /* Every code of the protocol has a sentence of its own. */
  for (int code = 0; code < KEFU_ERROR_LAST; code++)
    {
      const char *sentence = kefu_error_code_text (code);

      g_assert_nonnull (sentence);
      g_assert_cmpuint (strlen (sentence), >, 10);
      if (g_hash_table_contains (seen, sentence))
        g_error ("Two error codes share the sentence \"%s\"", sentence);
      g_hash_table_add (seen, (gpointer) sentence);
    }

  /* A real refusal of the server: a ticket number that does not exist. */
  kefu_connection_request_async (kefu_window_get_connection (window), "GET",
                                 "/tickets/FW20000101999", NULL, NULL, NULL, request_cb, &error);
  g_assert_true (kefu_gui_wait (has_error, &error, 10000));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_NOT_FOUND);
  text = kefu_error_text (error);
  /* The client's own (translated) sentence, never the server's English message. */
  g_assert_cmpstr (text, ==, kefu_error_code_text (KEFU_ERROR_NOT_FOUND));
  g_assert_cmpstr (text, !=, error->message);

  /* The client's own errors are already for people. */
  g_assert_cmpstr (own_text, ==, own->message);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* The test accessibility backend keeps the accessible properties, so that they can be read
   * back (with "none" there is nothing to read). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kefu_gui_test_init (&argc, &argv);

  server = kefu_gui_server_new ();

  app = kefu_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = kefu_window_new (GTK_APPLICATION (app), kefu_application_get_connection (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/shell/sign-in", test_sign_in);
  g_test_add_func ("/shell/about", test_about);
  g_test_add_func ("/shell/shortcuts", test_shortcuts);
  g_test_add_func ("/shell/accessible-names", test_accessible_names);
  g_test_add_func ("/shell/error-texts", test_error_texts);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  kefu_gui_server_free (server);

  return ret;
}
