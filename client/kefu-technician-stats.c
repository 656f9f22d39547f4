/* kefu-technician-stats.c — one technician's line of a report
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-technician-stats"

#include "config.h"

#include <math.h>

#include "kefu-report-data.h"
#include "kefu-technician-stats.h"

struct _KefuTechnicianStats
{
  GObject  parent_instance;

  char    *display_name;
  int      assigned;
  int      open;
  int      resolved;
  double   avg_resolution_minutes;
  int      csat_count;
  double   csat_average;
};

G_DEFINE_FINAL_TYPE (KefuTechnicianStats, kefu_technician_stats, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DISPLAY_NAME,
  PROP_ASSIGNED,
  PROP_OPEN,
  PROP_RESOLVED,
  PROP_AVG_RESOLUTION_MINUTES,
  PROP_CSAT_COUNT,
  PROP_CSAT_AVERAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
count_of (JsonObject *object,
          const char *name)
{
  double value = kefu_report_get_number (object, name);

  return isfinite (value) ? (int) CLAMP (value, 0, G_MAXINT) : 0;
}

static double
average_of (JsonObject *object,
            const char *name)
{
  double value = kefu_report_get_number (object, name);

  return isfinite (value) ? value : -1.0;
}

KefuTechnicianStats *
kefu_technician_stats_new_from_json (JsonObject *object)
{
  KefuTechnicianStats *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (KEFU_TYPE_TECHNICIAN_STATS, NULL);
  self->display_name = g_strdup (json_object_get_string_member_with_default (object,
                                                                              "display_name",
                                                                              ""));
  self->assigned = count_of (object, "assigned");
  self->open = count_of (object, "open");
  self->resolved = count_of (object, "resolved");
  self->avg_resolution_minutes = average_of (object, "avg_resolution_minutes");
  self->csat_count = count_of (object, "csat_count");
  self->csat_average = average_of (object, "csat_average");
  return self;
}

const char *
kefu_technician_stats_get_display_name (KefuTechnicianStats *self)
{
  g_return_val_if_fail (KEFU_IS_TECHNICIAN_STATS (self), NULL);
  return self->display_name;
}

int
kefu_technician_stats_get_assigned (KefuTechnicianStats *self)
{
  g_return_val_if_fail (KEFU_IS_TECHNICIAN_STATS (self), 0);
  return self->assigned;
}

int
kefu_technician_stats_get_open (KefuTechnicianStats *self)
{
  g_return_val_if_fail (KEFU_IS_TECHNICIAN_STATS (self), 0);
  return self->open;
}

int
kefu_technician_stats_get_resolved (KefuTechnicianStats *self)
{
  g_return_val_if_fail (KEFU_IS_TECHNICIAN_STATS (self), 0);
  return self->resolved;
}

double
kefu_technician_stats_get_avg_resolution_minutes (KefuTechnicianStats *self)
{
  g_return_val_if_fail (KEFU_IS_TECHNICIAN_STATS (self), -1.0);
  return self->avg_resolution_minutes;
}

int
kefu_technician_stats_get_csat_count (KefuTechnicianStats *self)
{
  g_return_val_if_fail (KEFU_IS_TECHNICIAN_STATS (self), 0);
  return self->csat_count;
}

double
kefu_technician_stats_get_csat_average (KefuTechnicianStats *self)
{
  g_return_val_if_fail (KEFU_IS_TECHNICIAN_STATS (self), -1.0);
  return self->csat_average;
}

static void
kefu_technician_stats_finalize (GObject *object)
{
  KefuTechnicianStats *self = KEFU_TECHNICIAN_STATS (object);

  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (kefu_technician_stats_parent_class)->finalize (object);
}

static void
kefu_technician_stats_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KefuTechnicianStats *self = KEFU_TECHNICIAN_STATS (object);

  switch (prop_id)
    {
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_ASSIGNED:
      g_value_set_int (value, self->assigned);
      break;

    case PROP_OPEN:
      g_value_set_int (value, self->open);
      break;

    case PROP_RESOLVED:
      g_value_set_int (value, self->resolved);
      break;

    case PROP_AVG_RESOLUTION_MINUTES:
      g_value_set_double (value, self->avg_resolution_minutes);
      break;

    case PROP_CSAT_COUNT:
      g_value_set_int (value, self->csat_count);
      break;

    case PROP_CSAT_AVERAGE:
      g_value_set_double (value, self->csat_average);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_technician_stats_class_init (KefuTechnicianStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kefu_technician_stats_finalize;
  object_class->get_property = kefu_technician_stats_get_property;

  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_ASSIGNED] = g_param_spec_int ("assigned", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_OPEN] = g_param_spec_int ("open", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_RESOLVED] = g_param_spec_int ("resolved", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_AVG_RESOLUTION_MINUTES] =
    g_param_spec_double ("avg-resolution-minutes", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, flags);
  properties[PROP_CSAT_COUNT] = g_param_spec_int ("csat-count", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_CSAT_AVERAGE] =
    g_param_spec_double ("csat-average", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kefu_technician_stats_init (KefuTechnicianStats *self)
{
  self->avg_resolution_minutes = -1.0;
  self->csat_average = -1.0;
}
