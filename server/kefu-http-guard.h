/* kefu-http-guard.h — hardens a SoupServer (libsoup 3.2) against its server traps and hostile
 * connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1. Request-body limit. libsoup reads a whole request body into memory before it calls a
 *    handler, and setting a status from "got-headers" does not stop it from reading the body.
 *    The guard answers 413 with the JSON error body
 *      {"error":{"code":"too_large","message":"request body exceeds N bytes"}}
 *    as soon as the headers announce a Content-Length over the limit (the body is never read
 *    by libsoup), or as soon as a chunked body goes over it. The connection is then taken
 *    from libsoup, the 413 is written, and it is closed after a short bounded drain (so the
 *    client sees the 413 rather than a reset). Handlers are never called for such a request.
 *    Request headers need no guard: libsoup itself drops a connection whose request head
 *    passes 64 KiB (HEADER_SIZE_LIMIT in libsoup/http1/soup-message-io-data.c), without
 *    an answer.
 *
 * 2. Idle keep-alive connection leak. In libsoup 3.2 a keep-alive connection whose client
 *    closes it while idle (between requests) is never disconnected: its socket and
 *    SoupServerConnection stay until the SoupServer is disposed. The guard watches each idle
 *    keep-alive connection and, when the peer has gone, takes the connection from libsoup
 *    and closes it. Keep-alive itself is untouched; connections libsoup hands off
 *    (WebSocket upgrades, soup_server_message_steal_connection()) are left alone.
 *
 * 3. Connections. libsoup's own listener stops accepting for good the first time accept()
 *    fails (out of file descriptors), and it never times a connection out. The guard accepts
 *    connections itself (kefu_http_guard_listen()): it caps how many are open, closes the
 *    oldest idle one to make room for a new one and answers 503 when none is idle; when the
 *    process is out of descriptors it still takes the connection off the queue and refuses it,
 *    so accepting resumes as soon as descriptors are free; a connection that has not sent a
 *    whole request head within the head timeout, whose body stalls, or that stays idle between
 *    requests longer than the idle timeout is closed (408 where a request had started).
 *
 * 4. Who may send a body. Before libsoup reads a request body the guard asks the admit
 *    function (kefu_http_guard_set_admit_func()); a refusal is answered at once (e.g. 401 to a
 *    request without a valid session) and the connection closed, so no body byte is buffered
 *    for a caller that is not allowed to send it. Ambiguous framing (two different
 *    Content-Lengths, Content-Length with Transfer-Encoding, an unknown transfer coding) is
 *    answered 400 the same way.
 *
 * Call kefu_http_guard_install() once per server, in the thread (thread-default main
 * context) that runs the server, before it accepts connections. The guard lives as long as
 * the server.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void  kefu_http_guard_install        (SoupServer *server,
                                      gsize       max_body_bytes);

/* A per-request body limit, asked once the request headers are in (method, URI and headers
 * are known): the limit in bytes for @msg, or 0 for the server's default. Lets one route (file
 * uploads) take more than the JSON limit while every other keeps it. */
typedef gsize (*KefuHttpGuardLimitFunc) (SoupServerMessage *msg,
                                         gpointer           user_data);

/* After kefu_http_guard_install(); @func NULL = the default for every request. */
void  kefu_http_guard_set_limit_func (SoupServer             *server,
                                      KefuHttpGuardLimitFunc  func,
                                      gpointer                user_data);

/* Decides from the request head whether the body may be read: 0 to go on, or an HTTP status
 * to refuse with; then *@json is the error body (transfer full) and *@headers extra header lines
 * ("Name: value\r\n"…, transfer full, may stay NULL). Called only for requests that announce a
 * body, after the framing and size checks. */
typedef guint (*KefuHttpGuardAdmitFunc) (SoupServerMessage  *msg,
                                         char              **json,
                                         char              **headers,
                                         gpointer            user_data);

void  kefu_http_guard_set_admit_func (SoupServer             *server,
                                      KefuHttpGuardAdmitFunc  func,
                                      gpointer                user_data);

typedef struct
{
  guint max_connections;   /* open connections at most (WebSockets included); 0 = no cap */
  guint head_timeout_ms;   /* from accept or the first byte of a request to its whole head */
  guint body_timeout_ms;   /* longest pause while a request body arrives */
  guint idle_timeout_ms;   /* keep-alive connection between requests */
} KefuHttpGuardLimits;

#define KEFU_HTTP_GUARD_DEFAULT_MAX_CONNECTIONS 4096
#define KEFU_HTTP_GUARD_DEFAULT_HEAD_TIMEOUT_MS 10000
#define KEFU_HTTP_GUARD_DEFAULT_BODY_TIMEOUT_MS 30000
#define KEFU_HTTP_GUARD_DEFAULT_IDLE_TIMEOUT_MS 60000

/* Zeros in @limits keep the defaults above; max_connections is lowered to what the process's
 * descriptor limit (RLIMIT_NOFILE) leaves after a reserve for the database and files. */
void  kefu_http_guard_set_limits     (SoupServer                *server,
                                      const KefuHttpGuardLimits *limits);
void  kefu_http_guard_get_limits     (SoupServer                *server,
                                      KefuHttpGuardLimits       *limits);

/* Accepts connections on @listening (bound and listening) for @server, instead of
 * soup_server_listen_socket(); HTTPS when the server has a "tls-certificate". */
gboolean kefu_http_guard_listen      (SoupServer  *server,
                                      GSocket     *listening,
                                      GError     **error);
/* Stops accepting and closes the connections libsoup has not seen yet. Call before
 * soup_server_disconnect(). */
void  kefu_http_guard_disconnect     (SoupServer  *server);

/* Connections open now (accepted and not yet closed), and how many were refused, evicted
 * and timed out since the start. For tests and the health route. */
typedef struct
{
  guint   open;
  guint64 refused;
  guint64 evicted;
  guint64 timed_out;
} KefuHttpGuardStats;

void  kefu_http_guard_get_stats      (SoupServer         *server,
                                      KefuHttpGuardStats *stats);

/* Raises this process's soft descriptor limit to its hard limit; returns the new soft limit. */
guint kefu_http_guard_raise_fd_limit (void);

/* Number of open file descriptors of this process (entries of /proc/self/fd, not counting
 * the one used to list them); 0 where /proc is not available. For tests. */
guint kefu_http_guard_count_open_fds (void);

G_END_DECLS
