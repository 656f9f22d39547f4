/* kefu-gui-test.h — what GUI tests share: a real demo server, waiting, screenshots
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server is the built kefu-server binary (KEFU_SERVER_BINARY), spawned with --demo on a
 * temporary data directory and a free loopback port; it can be stopped and started again on
 * the same directory and port. Its clock is the real one. The test talks to it with its own
 * synchronous HTTP client, independent of the client code under test.
 *
 * Usage:
 *   kefu_gui_test_init (&argc, &argv);        // instead of gtk_test_init ()
 *   KefuGuiServer *server = kefu_gui_server_new ();
 *   ... kefu_gui_server_get_url (server) → "http://127.0.0.1:PORT"
 *   g_autofree char *token = kefu_gui_server_login (server, "agent");
 *   g_autoptr(JsonNode) ticket = kefu_gui_server_request (server, token, "POST", "/tickets",
 *                                                         "{…}", NULL, &status);
 *   g_assert_true (kefu_gui_wait (check_something, data, 1000));
 *   kefu_gui_save_screenshot (GTK_WIDGET (window), "board-en");
 *   kefu_gui_server_free (server);
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kefu-alert-row.h"
#include "kefu-application.h"
#include "kefu-connection.h"
#include "kefu-ticket-card.h"
#include "kefu-window.h"

G_BEGIN_DECLS

typedef struct _KefuGuiServer KefuGuiServer;

/* Sets up the environment for a GUI test (memory GSettings backend, the build's schemas and
 * translations, the cairo renderer, no accessibility bus), then gtk_test_init() and
 * adw_init(). Call first in main(). */
void           kefu_gui_test_init            (int            *argc,
                                              char         ***argv);

/* Starts a demo server and waits until it answers /health; aborts the test on failure. */
KefuGuiServer *kefu_gui_server_new           (void);
/* Stops (SIGTERM, then waits) and removes the data directory. */
void           kefu_gui_server_free          (KefuGuiServer  *server);
/* Stops the server; it can be started again with kefu_gui_server_start(). */
void           kefu_gui_server_stop          (KefuGuiServer  *server);
/* Starts it again on the same data directory and port and waits for /health. */
void           kefu_gui_server_start         (KefuGuiServer  *server);
/* "http://127.0.0.1:PORT", what a user types in the sign-in page. */
const char    *kefu_gui_server_get_url       (KefuGuiServer  *server);
const char    *kefu_gui_server_get_data_dir  (KefuGuiServer  *server);

/* POST /session with the demo password; returns the token (aborts on failure). */
char          *kefu_gui_server_login         (KefuGuiServer  *server,
                                              const char     *username);
/* A KefuConnection signed in to @server as @username (password "demo"), its user known and its
 * ticket list loaded (kefu_gui_connection_ready()); fails the test after 10 s. */
KefuConnection *kefu_gui_sign_in            (KefuGuiServer  *server,
                                              const char     *username);
gboolean       kefu_gui_connection_ready     (gpointer        connection);
/* A synchronous API request (@path after /api/v1). Returns the parsed body or NULL (no body,
 * or not JSON); *status (nullable) gets the HTTP status. While it runs, the main loop does not:
 * the client under test sees the outcome only afterwards. */
JsonNode      *kefu_gui_server_request       (KefuGuiServer  *server,
                                              const char     *token,
                                              const char     *method,
                                              const char     *path,
                                              const char     *json_body,
                                              const char     *if_match,
                                              guint          *status);

/* kefu_gui_server_request() that aborts the test unless the answer has @expected_status.
 * (Both replace "@NOW@" in @json_body with the time a minute ago, e.g. for submitted_at: the
 * SLA clocks run from it.) */
JsonNode      *kefu_gui_api                  (KefuGuiServer  *server,
                                              const char     *token,
                                              const char     *method,
                                              const char     *path,
                                              const char     *json_body,
                                              const char     *if_match,
                                              guint           expected_status);
/* The object @node holds; fails the test when it holds none. */
JsonObject    *kefu_gui_object               (JsonNode       *node);

/* A KefuApplication for tests (non-unique, registered) and a presented window of @width ×
 * @height on @connection (NULL: the application's own). */
KefuApplication *kefu_gui_application_new    (void);
KefuWindow    *kefu_gui_window_new           (KefuApplication *app,
                                              KefuConnection  *connection,
                                              int              width,
                                              int              height);
/* Whether @widget is the one looked for (@data: what the caller passed). */
typedef gboolean (*KefuGuiMatch) (GtkWidget     *widget,
                                  gconstpointer  data);

/* The first widget of @type on screen under @root (itself included, depth first) for which
 * @match (NULL: any) says yes, or NULL. Widgets of @type are not searched inside. */
GtkWidget     *kefu_gui_find_mapped          (GtkWidget      *root,
                                              GType           type,
                                              KefuGuiMatch    match,
                                              gconstpointer   data);
/* The mapped ticket card under @root that shows @number, or NULL. */
KefuTicketCard *kefu_gui_find_card           (GtkWidget      *root,
                                              const char     *number);
/* The mapped alert row under @root that shows the alert @id, or NULL. */
KefuAlertRow  *kefu_gui_find_alert_row       (GtkWidget      *root,
                                              gint64          id);
/* How many widgets of @type under @root (itself included) are on screen; below one of them
 * nothing more is counted. */
guint          kefu_gui_count_mapped         (GtkWidget      *root,
                                              GType           type);
/* "zh_CN" when LANGUAGE asks for Chinese, else "en": for screenshot names. */
const char    *kefu_gui_language             (void);

/* Runs the default main context until @condition returns TRUE (checked after every
 * iteration and at least every 10 ms) or @timeout_ms passed; returns the last result. */
gboolean       kefu_gui_wait                 (gboolean      (*condition) (gpointer data),
                                              gpointer        data,
                                              guint           timeout_ms);
/* Runs the default main context for @ms milliseconds. */
void           kefu_gui_run_for              (guint           ms);

/* Renders @widget as it is now (it must be realized and allocated, e.g. a presented window)
 * into BUILDDIR/tests/gui/screenshots/NAME.png; returns the path (free it). */
char          *kefu_gui_save_screenshot      (GtkWidget      *widget,
                                              const char     *name);

G_END_DECLS
