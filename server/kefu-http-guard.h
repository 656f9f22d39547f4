/* kefu-http-guard.h — hardens a SoupServer (libsoup 3.2) against two of its server traps
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

/* Number of open file descriptors of this process (entries of /proc/self/fd, not counting
 * the one used to list them); 0 where /proc is not available. For tests. */
guint kefu_http_guard_count_open_fds (void);

G_END_DECLS
