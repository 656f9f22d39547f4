/* kefu-technician-stats.h — one technician's line of a report
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KEFU_TYPE_TECHNICIAN_STATS (kefu_technician_stats_get_type ())
G_DECLARE_FINAL_TYPE (KefuTechnicianStats, kefu_technician_stats, KEFU, TECHNICIAN_STATS, GObject)

/* From one element of "technicians" of GET /reports/summary; read-only properties
 * "display-name", "assigned", "open", "resolved", "avg-resolution-minutes" (-1: none),
 * "csat-count", "csat-average" (-1: none), for the sorters of the table. */
KefuTechnicianStats *kefu_technician_stats_new_from_json (JsonObject        *object);

const char *kefu_technician_stats_get_display_name           (KefuTechnicianStats *self);
int         kefu_technician_stats_get_assigned               (KefuTechnicianStats *self);
int         kefu_technician_stats_get_open                   (KefuTechnicianStats *self);
int         kefu_technician_stats_get_resolved               (KefuTechnicianStats *self);
double      kefu_technician_stats_get_avg_resolution_minutes (KefuTechnicianStats *self);
int         kefu_technician_stats_get_csat_count             (KefuTechnicianStats *self);
double      kefu_technician_stats_get_csat_average           (KefuTechnicianStats *self);

G_END_DECLS
