/* kefu-event-hub.h — live events to every connected client, lossless, over WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kefu-store.h"
#include "kefu-user.h"

G_BEGIN_DECLS

#define KEFU_TYPE_EVENT_HUB (kefu_event_hub_get_type ())
G_DECLARE_FINAL_TYPE (KefuEventHub, kefu_event_hub, KEFU, EVENT_HUB, GObject)

/* Limits; tests lower them. */
typedef struct {
  gsize  max_backlog_bytes;   /* unsent bytes a client may owe before it is dropped */
  guint  ping_interval_ms;    /* ping every connection this often (libsoup's keepalive: rounded
                               * up to whole seconds; 0 = no pings) */
  guint  pong_timeout_ms;     /* drop a connection that answered nothing for this long */
  gsize  max_incoming_bytes;  /* the largest message a client may send */
  guint  ring_size;           /* recent events kept in memory for fast fan-out */
} KefuEventHubLimits;

KefuEventHub *kefu_event_hub_new          (KefuStore          *store);
void          kefu_event_hub_set_limits   (KefuEventHub       *self,
                                           const KefuEventHubLimits *limits);
void          kefu_event_hub_get_limits   (KefuEventHub       *self,
                                           KefuEventHubLimits *limits);

/* Takes over a WebSocket connection whose handshake carried a valid session for @user.
 * @since < 0: live events only; otherwise every event after @since first (or "resync" when the
 * log no longer holds them). The connection should run over a KefuWsStream (exact backlog,
 * incoming message cap); @socket (may be NULL) only serves connections that do not. */
void          kefu_event_hub_add_client   (KefuEventHub            *self,
                                           SoupWebsocketConnection *connection,
                                           GSocket                 *socket,
                                           const KefuUser          *user,
                                           gint64                   since);
/* Also reported by the signal ::clients-changed (guint n_clients) when a client comes or goes. */
guint         kefu_event_hub_get_n_clients (KefuEventHub      *self);
/* The newest seq known to the hub. */
gint64        kefu_event_hub_get_last_seq (KefuEventHub       *self);
/* Reads new outbox rows and sends them (also done on every KefuStore::committed). */
void          kefu_event_hub_poll         (KefuEventHub       *self);
void          kefu_event_hub_close_all    (KefuEventHub       *self);

G_END_DECLS
