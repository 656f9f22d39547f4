/* test-connection.c — KefuConnection without a Kefu server: addresses and network failures
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-client-enums.h"
#include "kefu-connection.h"

static void
test_normalize (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "kefu.example.com:8443", "https://kefu.example.com:8443" },
    { "kefu.example.com", "https://kefu.example.com" },
    { "127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "localhost:8080", "http://localhost:8080" },
    { "[::1]:8080", "http://[::1]:8080" },
    { "  http://127.0.0.1:8080/api/v1/  ", "http://127.0.0.1:8080" },
    { "https://proxy.example.com/kefu/", "https://proxy.example.com/kefu" },
    { "https://proxy.example.com/kefu/api/v1", "https://proxy.example.com/kefu" },
    { "HTTP://192.168.1.5:8080", "http://192.168.1.5:8080" },
  };
  static const char *bad[] = { "", "   ", "ftp://x", "http://", "a b", "https:///path" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = kefu_connection_normalize_server_url (cases[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = kefu_connection_normalize_server_url (bad[i], &error);

      g_assert_null (url);
      g_assert_error (error, KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_INVALID_ADDRESS);
      g_assert_nonnull (error->message);
    }
}

typedef struct {
  GMainLoop *loop;
  GError    *error;
  gboolean   ok;
  guint      pending;
} Wait;

static void
sign_in_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = kefu_connection_sign_in_finish (KEFU_CONNECTION (object), result, &wait->error);
  if (--wait->pending == 0)
    g_main_loop_quit (wait->loop);
}

static void
record_state (KefuConnection *connection,
              GParamSpec     *pspec,
              GString        *states)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (KEFU_TYPE_CONNECTION_STATE);

  g_string_append_printf (states, "%s ",
                          g_enum_get_value (klass, kefu_connection_get_state (connection))
                            ->value_nick);
}

/* A loopback port with nothing listening on it. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_unreachable (void)
{
  g_autoptr(KefuConnection) connection = kefu_connection_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GString) states = g_string_new (NULL);
  g_autofree char *url = g_strdup_printf ("127.0.0.1:%u", closed_port ());
  Wait wait = { loop, NULL, FALSE, 1 };

  g_signal_connect (connection, "notify::state", G_CALLBACK (record_state), states);

  kefu_connection_sign_in_async (connection, url, "agent", "secret", NULL, sign_in_done, &wait);
  g_main_loop_run (loop);

  g_assert_false (wait.ok);
  g_assert_error (wait.error, KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (wait.error->message, url));
  g_assert_cmpstr (states->str, ==, "connecting offline ");
  g_assert_cmpint (kefu_connection_get_state (connection), ==, KEFU_CONNECTION_STATE_OFFLINE);
  g_assert_null (kefu_connection_get_user_display_name (connection));
  g_assert_null (kefu_connection_get_role (connection));
  g_clear_error (&wait.error);
}

static void
test_invalid_address (void)
{
  g_autoptr(KefuConnection) connection = kefu_connection_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GString) states = g_string_new (NULL);
  Wait wait = { loop, NULL, FALSE, 1 };

  g_signal_connect (connection, "notify::state", G_CALLBACK (record_state), states);

  kefu_connection_sign_in_async (connection, "ftp://files", "agent", "secret", NULL,
                                 sign_in_done, &wait);
  g_main_loop_run (loop);

  g_assert_error (wait.error, KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_INVALID_ADDRESS);
  g_assert_cmpstr (states->str, ==, "");
  g_clear_error (&wait.error);
}

/* A newer sign-in cancels the one in flight, which must not touch the state any more. */
static void
test_newer_sign_in_wins (void)
{
  g_autoptr(KefuConnection) connection = kefu_connection_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GSocketListener) silent = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *silent_url = NULL;
  g_autofree char *closed_url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  Wait first = { loop, NULL, FALSE, 1 };
  Wait second = { loop, NULL, FALSE, 1 };
  guint16 port;

  /* Accepts connections (in the backlog) but never answers. */
  port = g_socket_listener_add_any_inet_port (silent, NULL, &error);
  g_assert_no_error (error);
  silent_url = g_strdup_printf ("http://127.0.0.1:%u", port);

  kefu_connection_sign_in_async (connection, silent_url, "agent", "secret", NULL,
                                 sign_in_done, &first);
  g_assert_cmpint (kefu_connection_get_state (connection), ==, KEFU_CONNECTION_STATE_CONNECTING);

  kefu_connection_sign_in_async (connection, closed_url, "agent", "secret", NULL,
                                 sign_in_done, &second);
  while (first.pending > 0 || second.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (second.error, KEFU_CONNECTION_ERROR, KEFU_CONNECTION_ERROR_UNREACHABLE);
  g_assert_cmpint (kefu_connection_get_state (connection), ==, KEFU_CONNECTION_STATE_OFFLINE);
  g_clear_error (&first.error);
  g_clear_error (&second.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection/normalize-server-url", test_normalize);
  g_test_add_func ("/connection/unreachable", test_unreachable);
  g_test_add_func ("/connection/invalid-address", test_invalid_address);
  g_test_add_func ("/connection/newer-sign-in-wins", test_newer_sign_in_wins);

  return g_test_run ();
}
