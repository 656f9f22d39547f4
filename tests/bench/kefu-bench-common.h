/* kefu-bench-common.h — what the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define API_PREFIX "/api/v1"

/* The real kefu-server binary, spawned on a fresh data directory. */
typedef struct {
  GSubprocess      *proc;
  GPid              pid;
  GDataInputStream *out;
  guint16           port;
  char             *admin_password;
  char             *banner;
} Server;

char * kefu_bench_submitted_at_now (void);
void kefu_bench_build_ticket_body (GString *out, guint64 serial, const char *submitted_at);
char * kefu_bench_find_server_binary (void);
gboolean kefu_bench_server_spawn (Server *srv, const char *data_dir, GError **error);
/* The same with more options (NULL-terminated, may be NULL). @first_start: the data directory
 * is new, so the server prints the administrator's password (an error if it does not). */
gboolean kefu_bench_server_spawn_full (Server *srv, const char *data_dir, const char * const *extra_args, gboolean first_start, GError **error);
void kefu_bench_server_stop (Server *srv);
JsonNode * kefu_bench_call (SoupSession *session, const char *base, const char *method, const char *path, const char *token, const char *body, guint expect, GError **error);
char * kefu_bench_sign_in (SoupSession *session, const char *base, const char *user, const char *password, GError **error);

G_END_DECLS
