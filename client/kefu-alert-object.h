/* kefu-alert-object.h — one alert as a GObject, for list models and views
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KEFU_TYPE_ALERT_OBJECT (kefu_alert_object_get_type ())
G_DECLARE_FINAL_TYPE (KefuAlertObject, kefu_alert_object, KEFU, ALERT_OBJECT, GObject)

/* An alert of the wire (docs/protocol.md, "Alerts"), or NULL with KEFU_ERROR_BAD_JSON when
 * @node is not one. */
KefuAlertObject *kefu_alert_object_new_from_json  (JsonNode        *node,
                                                   GError         **error);
/* Takes what a newer copy of the same alert says. An alert only ever moves from open to
 * acknowledged: an open copy never undoes an acknowledgement. Returns TRUE when "acked"
 * changed. */
gboolean         kefu_alert_object_update         (KefuAlertObject *self,
                                                   KefuAlertObject *newer);
/* Marks the alert acknowledged by @by_name at @acked_at before the server said so (an
 * acknowledgement in flight), or (acked_at 0) undoes such a mark — never one the server
 * confirmed. Returns TRUE when "acked" changed. */
gboolean         kefu_alert_object_set_acked      (KefuAlertObject *self,
                                                   gint64           acked_at,
                                                   const char      *by_name);

gint64           kefu_alert_object_get_id         (KefuAlertObject *self);
const char      *kefu_alert_object_get_number     (KefuAlertObject *self);
int              kefu_alert_object_get_priority   (KefuAlertObject *self);
/* "new_p1", "warning", "breach", "escalation" */
const char      *kefu_alert_object_get_kind       (KefuAlertObject *self);
/* "response", "resolve", … or NULL */
const char      *kefu_alert_object_get_clock      (KefuAlertObject *self);
int              kefu_alert_object_get_level      (KefuAlertObject *self);
/* The server's English sentence, for logs. */
const char      *kefu_alert_object_get_message    (KefuAlertObject *self);
gint64           kefu_alert_object_get_due_at     (KefuAlertObject *self);
gint64           kefu_alert_object_get_created_at (KefuAlertObject *self);
/* 0 while open. */
gint64           kefu_alert_object_get_acked_at   (KefuAlertObject *self);
const char      *kefu_alert_object_get_acked_by   (KefuAlertObject *self);
gboolean         kefu_alert_object_get_acked      (KefuAlertObject *self);
/* Addressed to one user (a deadline warning to the assignee): their id; 0 for a role. */
gint64           kefu_alert_object_get_user_id    (KefuAlertObject *self);

/* How urgent, for choosing what the strip shows: level 2 first, then level 1, a new P1, a
 * warning; then the higher priority; then the earlier due. Negative when @a is more urgent. */
int              kefu_alert_object_compare_urgency (KefuAlertObject *a,
                                                    KefuAlertObject *b);
/* TRUE for a breach, an escalation or a new P1 (shown in red); FALSE for a warning. */
gboolean         kefu_alert_object_is_serious     (KefuAlertObject *self);

/* Translated plain words. What happened, short: "Overdue", "New urgent ticket", … */
const char      *kefu_alert_object_get_kind_text  (KefuAlertObject *self);
/* Who it reached: "Level 2 · managers", "Level 1 · supervisors", "Deadline warning" … */
const char      *kefu_alert_object_get_level_text (KefuAlertObject *self);
/* The clock's name ("First response"), or NULL. */
const char      *kefu_alert_object_get_clock_text (KefuAlertObject *self);
/* One sentence for the strip, a toast or a notification: "FW20261123001 is overdue: first
 * response was due at 18:00." (free it) */
char            *kefu_alert_object_dup_headline   (KefuAlertObject *self);

G_END_DECLS
