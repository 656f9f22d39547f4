/* kefu-server.h — the Kefu server: store, clock, auth and the HTTP API on one main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kefu-auth.h"
#include "kefu-clock.h"
#include "kefu-event-hub.h"
#include "kefu-http-guard.h"
#include "kefu-request.h"
#include "kefu-sla.h"
#include "kefu-sla-scheduler.h"
#include "kefu-store.h"

G_BEGIN_DECLS

#define KEFU_MAX_BODY_BYTES (1024 * 1024)

/* Who may call a route: a mask of (1 << KefuRole); 0 = anyone, even without a session. */
#define KEFU_ROLE_BIT(r)      (1u << (r))
#define KEFU_ROUTE_ANONYMOUS  0u
#define KEFU_ROUTE_STAFF      ((1u << KEFU_ROLE_LAST) - 1)

#define KEFU_TYPE_SERVER (kefu_server_get_type ())
G_DECLARE_FINAL_TYPE (KefuServer, kefu_server, KEFU, SERVER, GObject)

/* @clock NULL = the system clock. @time_zone NULL = the local zone. */
KefuServer    *kefu_server_new            (const char   *data_dir,
                                           KefuClock    *clock,
                                           const char   *time_zone);
/* Demo mode seeds demo accounts (password "demo") and tickets into an empty database and
 * refuses to listen anywhere but loopback. Set before kefu_server_start(). */
void           kefu_server_set_demo       (KefuServer   *self,
                                           gboolean      demo);
gboolean       kefu_server_get_demo       (KefuServer   *self);
void           kefu_server_set_connection_limits (KefuServer                *self,
                                                  const KefuHttpGuardLimits *limits);
void           kefu_server_set_tls_certificate (KefuServer *self,
                                           GTlsCertificate *cert);
/* Opens the store, creates the first admin (printing its password once) or the demo data,
 * and listens on @listen ("HOST:PORT", PORT 0 = any free port). */
gboolean       kefu_server_start          (KefuServer   *self,
                                           const char   *listen,
                                           GError      **error);
/* Stops listening, closes client connections and the store (after queued writes commit). */
void           kefu_server_stop           (KefuServer   *self);
guint16        kefu_server_get_port       (KefuServer   *self);

KefuStore     *kefu_server_get_store      (KefuServer   *self);
KefuClock     *kefu_server_get_clock      (KefuServer   *self);
KefuAuth      *kefu_server_get_auth       (KefuServer   *self);
GTimeZone     *kefu_server_get_time_zone  (KefuServer   *self);
/* The policy in force (main thread; borrowed — a write job takes its own reference). */
KefuSlaPolicy *kefu_server_get_sla_policy (KefuServer   *self);
/* Puts @policy in force (takes a reference; the old one lives on in the jobs that hold it).
 * PUT /sla-policy calls this once the policy is stored. Never change a policy in place. */
void           kefu_server_set_sla_policy (KefuServer   *self,
                                           KefuSlaPolicy *policy);
/* The SLA scheduler (NULL before start). */
KefuSlaScheduler *kefu_server_get_sla_scheduler (KefuServer *self);
SoupServer    *kefu_server_get_soup_server (KefuServer  *self);
/* The live event hub (NULL before start). */
KefuEventHub  *kefu_server_get_event_hub  (KefuServer   *self);
gint64         kefu_server_now            (KefuServer   *self);
/* The data directory (the database, attachments/). */
const char    *kefu_server_get_data_dir   (KefuServer   *self);

/* @pattern: a path under /api/v1 with "{}" for a parameter segment, e.g. "/tickets/{}/assign". */
void           kefu_server_add_route      (KefuServer       *self,
                                           const char       *method,
                                           const char       *pattern,
                                           guint             roles,
                                           KefuRouteHandler  handler);

/* Route families (one file each). */
void           kefu_routes_session_register (KefuServer *server);
void           kefu_routes_tickets_register (KefuServer *server);
/* GET /alerts, POST /alerts/{id}/ack; GET and PUT /sla-policy. */
void           kefu_routes_alerts_register  (KefuServer *server);
/* GET /reports/summary, /reports/csat-trend, /reports/export.csv (supervisors, managers). */
void           kefu_routes_reports_register (KefuServer *server);
/* Issue 5: POST/PATCH /tickets/{n}/visits[/{id}], /tickets/{n}/returns[/{id}]. */
void           kefu_routes_visits_register  (KefuServer *server);
/* Issue 5: POST /tickets/{n}/attachments, GET /attachments/{id}. */
void           kefu_routes_attachments_register (KefuServer *server);
/* GET /api/v1/events (WebSocket): attached to the SoupServer once it exists. */
void           kefu_routes_events_attach    (KefuServer *server,
                                             SoupServer *soup);

G_END_DECLS
