/* kefu-alert-object.c — one alert as a GObject, for list models and views
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-alert-object"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-alert-object.h"
#include "kefu-error.h"
#include "kefu-sla.h"
#include "kefu-ticket.h"
#include "kefu-ticket-text.h"

struct _KefuAlertObject
{
  GObject  parent_instance;

  gint64   id;
  char    *number;
  int      priority;
  char    *kind;
  char    *clock;
  int      level;
  char    *message;
  gint64   due_at;
  gint64   created_at;
  gint64   acked_at;
  char    *acked_by;
  gint64   user_id;

  /* The server said it is acknowledged (not only our acknowledgement in flight). */
  guint    ack_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (KefuAlertObject, kefu_alert_object, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_PRIORITY,
  PROP_KIND,
  PROP_LEVEL,
  PROP_ACKED,
  PROP_ACKED_AT,
  PROP_ACKED_BY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- reading the wire --------------------------------------------------------------------- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static gint64
member_time (JsonObject *object,
             const char *name)
{
  const char *text = member_string (object, name);
  gint64 usec = 0;

  if (text == NULL || !kefu_time_from_iso8601 (text, &usec))
    return 0;
  return usec;
}

KefuAlertObject *
kefu_alert_object_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(KefuAlertObject) self = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *kind;
  const char *number;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON, "An alert is not an object");
      return NULL;
    }

  object = json_node_get_object (node);
  kind = member_string (object, "kind");
  number = member_string (object, "number");
  if (member_int (object, "id") <= 0 || kind == NULL || number == NULL)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "An alert lacks its id, kind or number");
      return NULL;
    }

  self = g_object_new (KEFU_TYPE_ALERT_OBJECT, NULL);
  self->id = member_int (object, "id");
  self->number = g_strdup (number);
  self->priority = (int) CLAMP (member_int (object, "priority"), 0, 4);
  self->kind = g_strdup (kind);
  self->clock = g_strdup (member_string (object, "clock"));
  self->level = (int) CLAMP (member_int (object, "level"), 0, 2);
  self->message = g_strdup (member_string (object, "message"));
  self->due_at = member_time (object, "due_at");
  self->created_at = member_time (object, "created_at");
  self->acked_at = member_time (object, "acked_at");
  self->ack_confirmed = self->acked_at != 0;

  member = json_object_get_member (object, "acked_by");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    self->acked_by = g_strdup (member_string (json_node_get_object (member), "display_name"));

  member = json_object_get_member (object, "recipients");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    self->user_id = member_int (json_node_get_object (member), "user_id");

  return g_steal_pointer (&self);
}

/* ---- changes ------------------------------------------------------------------------------ */

static gboolean
set_ack (KefuAlertObject *self,
         gint64           acked_at,
         const char      *by_name)
{
  gboolean was_acked = self->acked_at != 0;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->acked_at != acked_at)
    {
      self->acked_at = acked_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACKED_AT]);
    }
  if (g_strcmp0 (self->acked_by, by_name) != 0)
    {
      g_free (self->acked_by);
      self->acked_by = g_strdup (by_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACKED_BY]);
    }
  if (was_acked != (acked_at != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACKED]);

  g_object_thaw_notify (G_OBJECT (self));

  return was_acked != (acked_at != 0);
}

gboolean
kefu_alert_object_update (KefuAlertObject *self,
                          KefuAlertObject *newer)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), FALSE);
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (newer), FALSE);
  g_return_val_if_fail (self->id == newer->id, FALSE);

  /* The first acknowledgement stands: once the server said who and when, keep it. */
  if (!newer->ack_confirmed || self->ack_confirmed)
    return FALSE;

  self->ack_confirmed = TRUE;
  return set_ack (self, newer->acked_at, newer->acked_by);
}

gboolean
kefu_alert_object_set_acked (KefuAlertObject *self,
                             gint64           acked_at,
                             const char      *by_name)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), FALSE);

  if (self->ack_confirmed)
    return FALSE;

  return set_ack (self, acked_at, acked_at != 0 ? by_name : NULL);
}

/* ---- getters ------------------------------------------------------------------------------ */

gint64
kefu_alert_object_get_id (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), 0);
  return self->id;
}

const char *
kefu_alert_object_get_number (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);
  return self->number;
}

int
kefu_alert_object_get_priority (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), 0);
  return self->priority;
}

const char *
kefu_alert_object_get_kind (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);
  return self->kind;
}

const char *
kefu_alert_object_get_clock (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);
  return self->clock;
}

int
kefu_alert_object_get_level (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), 0);
  return self->level;
}

const char *
kefu_alert_object_get_message (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);
  return self->message;
}

gint64
kefu_alert_object_get_due_at (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), 0);
  return self->due_at;
}

gint64
kefu_alert_object_get_created_at (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), 0);
  return self->created_at;
}

gint64
kefu_alert_object_get_acked_at (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), 0);
  return self->acked_at;
}

const char *
kefu_alert_object_get_acked_by (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);
  return self->acked_by;
}

gboolean
kefu_alert_object_get_acked (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), FALSE);
  return self->acked_at != 0;
}

gint64
kefu_alert_object_get_user_id (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), 0);
  return self->user_id;
}

/* ---- urgency and words -------------------------------------------------------------------- */

static gboolean
is_kind (KefuAlertObject *self,
         const char      *kind)
{
  return g_strcmp0 (self->kind, kind) == 0;
}

static int
urgency_rank (KefuAlertObject *self)
{
  if (self->level >= 2)
    return 0;
  if (self->level == 1)
    return 1;
  if (is_kind (self, "new_p1"))
    return 2;
  return 3;
}

int
kefu_alert_object_compare_urgency (KefuAlertObject *a,
                                   KefuAlertObject *b)
{
  int ra = urgency_rank (a);
  int rb = urgency_rank (b);
  int pa = a->priority > 0 ? a->priority : 5;
  int pb = b->priority > 0 ? b->priority : 5;

  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (pa != pb)
    return pa < pb ? -1 : 1;
  if (a->due_at != b->due_at)
    return a->due_at < b->due_at ? -1 : 1;
  if (a->id != b->id)
    return a->id > b->id ? -1 : 1;   /* the newer one first */
  return 0;
}

gboolean
kefu_alert_object_is_serious (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), FALSE);

  return self->level >= 1 || is_kind (self, "new_p1") || is_kind (self, "escalation");
}

const char *
kefu_alert_object_get_kind_text (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);

  if (is_kind (self, "new_p1"))
    return C_("alert", "New urgent ticket");
  if (is_kind (self, "warning"))
    return C_("alert", "Deadline near");
  if (is_kind (self, "breach"))
    return C_("alert", "Overdue");
  if (is_kind (self, "escalation"))
    return self->clock == NULL ? C_("alert", "Customer not satisfied")
                               : C_("alert", "Urgent ticket not resolved in time");
  return C_("alert", "Alert");
}

const char *
kefu_alert_object_get_level_text (KefuAlertObject *self)
{
  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);

  if (self->level >= 2)
    return C_("alert", "Level 2 · for managers");
  if (self->level == 1)
    return C_("alert", "Level 1 · for supervisors");
  if (is_kind (self, "new_p1"))
    return C_("alert", "For every supervisor");
  if (self->user_id != 0)
    return C_("alert", "For the assignee");
  return C_("alert", "Warning");
}

const char *
kefu_alert_object_get_clock_text (KefuAlertObject *self)
{
  KefuSlaClock clock;

  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);

  if (self->clock == NULL || !kefu_sla_clock_from_string (self->clock, &clock))
    return NULL;
  return kefu_text_sla_clock (clock);
}

char *
kefu_alert_object_dup_headline (KefuAlertObject *self)
{
  g_autofree char *due = NULL;
  const char *clock;

  g_return_val_if_fail (KEFU_IS_ALERT_OBJECT (self), NULL);

  due = kefu_text_local_time (self->due_at, FALSE);
  if (due == NULL)
    due = g_strdup ("—");
  clock = kefu_alert_object_get_clock_text (self);
  if (clock == NULL)
    clock = C_("deadline", "Resolution");

  if (is_kind (self, "new_p1"))
    /* Translators: the first %s is a ticket number, the second a time */
    return g_strdup_printf (_("%s was registered as urgent — the first response to the "
                              "customer is due at %s."), self->number, due);
  if (is_kind (self, "warning"))
    /* Translators: a ticket number, a deadline's name ("First response") and a time */
    return g_strdup_printf (_("%s: deadline near — %s is due at %s."),
                            self->number, clock, due);
  if (is_kind (self, "breach"))
    /* Translators: a ticket number, a deadline's name ("First response") and a time */
    return g_strdup_printf (_("%s is overdue — %s was due at %s."), self->number, clock, due);
  if (is_kind (self, "escalation") && self->clock == NULL)
    /* Translators: %s is a ticket number */
    return g_strdup_printf (_("The customer of %s is not satisfied — the ticket is reopened "
                              "and escalated to the managers."), self->number);
  if (is_kind (self, "escalation"))
    /* Translators: the first %s is a ticket number, the second a time */
    return g_strdup_printf (_("Urgent ticket %s was not resolved by %s — escalated to the "
                              "managers."), self->number, due);

  return g_strdup (self->message != NULL ? self->message : self->number);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
kefu_alert_object_finalize (GObject *object)
{
  KefuAlertObject *self = (KefuAlertObject *)object;

  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->clock, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->acked_by, g_free);

  G_OBJECT_CLASS (kefu_alert_object_parent_class)->finalize (object);
}

static void
kefu_alert_object_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KefuAlertObject *self = KEFU_ALERT_OBJECT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;

    case PROP_ACKED:
      g_value_set_boolean (value, self->acked_at != 0);
      break;

    case PROP_ACKED_AT:
      g_value_set_int64 (value, self->acked_at);
      break;

    case PROP_ACKED_BY:
      g_value_set_string (value, self->acked_by);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_alert_object_class_init (KefuAlertObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kefu_alert_object_finalize;
  object_class->get_property = kefu_alert_object_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_PRIORITY] = g_param_spec_int ("priority", NULL, NULL, 0, 4, 0, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_LEVEL] = g_param_spec_int ("level", NULL, NULL, 0, 2, 0, flags);
  properties[PROP_ACKED] = g_param_spec_boolean ("acked", NULL, NULL, FALSE, flags);
  properties[PROP_ACKED_AT] = g_param_spec_int64 ("acked-at", NULL, NULL,
                                                  0, G_MAXINT64, 0, flags);
  properties[PROP_ACKED_BY] = g_param_spec_string ("acked-by", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kefu_alert_object_init (KefuAlertObject *self)
{
}
