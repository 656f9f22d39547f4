/* kefu-http-guard-private.h — what the guard's two files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kefu-http-guard.c follows each connection through libsoup (requests, bodies, idle time) and
 * answers early; kefu-http-guard-accept.c accepts connections itself, counts them and hands
 * them to libsoup.
 */
#pragma once

#include "kefu-http-guard.h"

G_BEGIN_DECLS

typedef struct _Conn Conn;

typedef struct
{
  gsize                   max_body;
  GBytes                 *too_large_json;
  KefuHttpGuardLimitFunc  limit_func;   /* per-request limit, NULL = max_body for all */
  gpointer                limit_data;
  KefuHttpGuardAdmitFunc  admit_func;   /* NULL = every request may send its body */
  gpointer                admit_data;
  KefuHttpGuardLimits     limits;

  /* Accepting (kefu-http-guard-accept.c) */
  SoupServer             *server;       /* not owned: the server owns the guard */
  GSocket                *listener;
  GSource                *accept_source;
  GMainContext           *context;
  GQueue                  conns;        /* every Conn, oldest first (eviction order) */
  guint                   n_open;       /* sockets accepted and not yet finalized */
  GTlsCertificate        *tls_cert;
  int                     reserve_fd;   /* given up to accept (and refuse) when out of fds */
  guint64                 n_refused;
  guint64                 n_evicted;
  guint64                 n_timed_out;
} Guard;

typedef enum
{
  CONN_PENDING,     /* accepted by the guard, waiting for its first byte; libsoup has not seen it */
  CONN_HEAD,        /* reading a request head */
  CONN_BODY,        /* reading a request body */
  CONN_BUSY,        /* the request is in; a handler or the response runs */
  CONN_IDLE,        /* keep-alive, between requests */
} ConnState;

typedef struct
{
  GSource  source;
  Conn    *conn;
  gpointer fd_tag;
} Watch;

struct _Conn
{
  Guard             *guard;
  GSocket           *socket;
  GSocketAddress    *remote;       /* our object: libsoup hands it back, carries conn_quark */
  GIOStream         *stream;       /* owned until the hand-off to libsoup */
  SoupServerMessage *msg;          /* the connection's latest request; carries conn_quark */
  Watch             *watch;
  GSource           *tls_watch;
  GSource           *timer;
  GList             *link;         /* in guard->conns */
  gint64             last_progress; /* monotonic time of the body's last chunk */
  ConnState          state;
  gboolean           tls;
  gboolean           http2;
  gboolean           accepted;     /* by the guard (not by a libsoup listener) */
};

extern GQuark kefu_http_guard_conn_quark;

Guard  *kefu_http_guard_ref          (Guard      *guard);
void    kefu_http_guard_unref        (gpointer    guard);
Guard  *kefu_http_guard_get          (SoupServer *server);

Conn   *kefu_http_guard_conn_new     (Guard      *guard,
                                      GSocket    *socket);
void    kefu_http_guard_conn_free    (Conn       *conn);
void    kefu_http_guard_conn_set_state (Conn     *conn,
                                        ConnState state);
/* Closes an idle or pending connection now (eviction, idle timeout). */
void    kefu_http_guard_conn_drop    (Conn       *conn);

/* 1 = data waiting, 0 = end of stream or a socket error, -1 = nothing to tell yet. */
int     kefu_http_guard_socket_peek  (GSocket    *socket);
/* A pending connection sent its first byte: give it to libsoup. */
void    kefu_http_guard_conn_hand_off (Conn      *conn);
void    kefu_http_guard_accept_clear (Guard      *guard);

G_END_DECLS
