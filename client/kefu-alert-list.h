/* kefu-alert-list.h — the signed-in user's alerts, kept current by live events
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kefu-alert-object.h"
#include "kefu-connection.h"

G_BEGIN_DECLS

#define KEFU_TYPE_ALERT_LIST (kefu_alert_list_get_type ())
G_DECLARE_FINAL_TYPE (KefuAlertList, kefu_alert_list, KEFU, ALERT_LIST, GObject)

/* A GListModel of KefuAlertObject, newest first, one per alert id: every open alert addressed
 * to the signed-in user and the 100 latest acknowledged ones. Loaded (GET /alerts) each time
 * the live event stream opens and when the server asks for a resync; kept current by the
 * alert.raised and alert.acked events; emptied at sign-out.
 *
 * Properties: "n-open" (unacknowledged alerts), "loaded".
 * Signals:
 *   "alert-raised" (KefuAlertObject *alert): a new alert arrived live (not from a load). */

/* The connection's alert list, made on first use; it lives as long as @connection
 * (borrowed). */
KefuAlertList   *kefu_alert_list_get_for_connection (KefuConnection *connection);

KefuConnection  *kefu_alert_list_get_connection     (KefuAlertList  *self);
guint            kefu_alert_list_get_n_open         (KefuAlertList  *self);
gboolean         kefu_alert_list_get_loaded         (KefuAlertList  *self);
/* The alert with @id (borrowed), or NULL. */
KefuAlertObject *kefu_alert_list_lookup             (KefuAlertList  *self,
                                                     gint64          id);
/* The most urgent open alert (kefu_alert_object_compare_urgency()), borrowed, or NULL. */
KefuAlertObject *kefu_alert_list_get_most_urgent    (KefuAlertList  *self);

/* Adds an alert of the wire or takes what it says about one held; returns the object holding
 * it (borrowed), or NULL when @node is not an alert. */
KefuAlertObject *kefu_alert_list_apply_json         (KefuAlertList  *self,
                                                     JsonNode       *node);

/* POST /alerts/{id}/ack. The alert shows as acknowledged at once, and again as it was when
 * the server refuses. */
void             kefu_alert_list_acknowledge_async  (KefuAlertList       *self,
                                                     gint64               id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         kefu_alert_list_acknowledge_finish (KefuAlertList       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
