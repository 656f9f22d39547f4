/* kefu-test-server.h — a real Kefu server on a loopback port, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs in a thread of its own with its own main context, on a temporary data
 * directory and a manual clock set to 2026-11-23T08:00:00Z (a Monday; 16:00 in the server's
 * zone, Asia/Shanghai). Tests talk to it over real HTTP from the test thread.
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "kefu-manual-clock.h"
#include "kefu-server.h"

G_BEGIN_DECLS

#define KEFU_TEST_START_USEC (G_GINT64_CONSTANT (1795420800) * G_USEC_PER_SEC)  /* 2026-11-23T08:00:00Z */
#define KEFU_TEST_TIME_ZONE  "Asia/Shanghai"

typedef struct _KefuTestServer KefuTestServer;

typedef struct {
  guint               status;
  JsonNode           *body;      /* NULL when the body is not JSON */
  char               *raw;
  SoupMessageHeaders *headers;
} KefuTestResponse;

/* Non-demo servers get the accounts admin, supervisor, agent, technician, technician2 and
 * manager (password "demo") besides the default departments. */
KefuTestServer   *kefu_test_server_new        (gboolean          demo);
void              kefu_test_server_free       (KefuTestServer   *ts);
/* Stops the server and starts a new one on the same data directory and clock. */
void              kefu_test_server_restart    (KefuTestServer   *ts);
KefuManualClock  *kefu_test_server_get_clock  (KefuTestServer   *ts);
const char       *kefu_test_server_get_data_dir (KefuTestServer *ts);
const char       *kefu_test_server_get_base_url (KefuTestServer *ts);  /* http://127.0.0.1:P/api/v1 */
guint16           kefu_test_server_get_port   (KefuTestServer   *ts);
gint64            kefu_test_server_user_id    (KefuTestServer   *ts,
                                               const char       *username);
/* The server itself: use it only in a function run by kefu_test_server_invoke(). */
KefuServer       *kefu_test_server_get_server (KefuTestServer   *ts);
/* Runs @func on the server's thread and waits for it. */
void              kefu_test_server_invoke     (KefuTestServer   *ts,
                                               GSourceFunc       func,
                                               gpointer          data);

KefuTestResponse *kefu_test_request           (KefuTestServer   *ts,
                                               const char       *method,
                                               const char       *path,
                                               const char       *token,
                                               const char       *json_body,
                                               const char       *if_match);
/* The same with a raw body and content type (NULL body = none). */
KefuTestResponse *kefu_test_request_raw       (KefuTestServer   *ts,
                                               const char       *method,
                                               const char       *path,
                                               const char       *token,
                                               const char       *content_type,
                                               GBytes           *body);
void              kefu_test_response_free     (KefuTestResponse *r);
char             *kefu_test_login             (KefuTestServer   *ts,
                                               const char       *username,
                                               const char       *password);
JsonObject       *kefu_test_object            (KefuTestResponse *r);
const char       *kefu_test_error_code        (KefuTestResponse *r);
const char       *kefu_test_error_field       (KefuTestResponse *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuTestResponse, kefu_test_response_free)

G_END_DECLS
