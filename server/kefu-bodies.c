/* kefu-bodies.c — the request bodies of the write routes, decoded and validated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-auth.h"
#include "kefu-bodies.h"
#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-routes-common.h"
#include "kefu-validate.h"

#define USERNAME_MAX_CHARS 64
#define AMOUNT_MAX_CENTS   (G_GINT64_CONSTANT (1) << 50)

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* ---- sessions and users ------------------------------------------------------------------ */

/* These bodies refuse anything but an object as bad JSON (the ticket routes say
 * validation_failed, see kefu_routes_body_object()). */
static JsonObject *
account_object (JsonNode  *body,
                GError   **error)
{
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "the request body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (body);
}

/* A required or optional string member, validated; *out NULL when absent and optional. */
static gboolean
get_string (JsonObject  *obj,
            const char  *name,
            gboolean     required,
            gsize        max_chars,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  const char *s;
  g_autofree char *copy = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          kefu_set_field_error (error, name, "%s is required", name);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      kefu_set_field_error (error, name, "%s must be a string", name);
      return FALSE;
    }
  s = json_node_get_string (node);
  copy = g_strstrip (g_strdup (s));
  if (required && copy[0] == '\0')
    {
      kefu_set_field_error (error, name, "%s is required", name);
      return FALSE;
    }
  if (!kefu_validate_text (copy, max_chars, FALSE))
    {
      kefu_set_field_error (error, name, "%s is too long or contains invalid characters", name);
      return FALSE;
    }
  *out = g_steal_pointer (&copy);
  return TRUE;
}

static gboolean
get_password (JsonObject  *obj,
              gboolean     required,
              char       **out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (obj, "password");
  const char *s;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        kefu_set_field_error (error, "password", "password is required");
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      kefu_set_field_error (error, "password", "password must be a string");
      return FALSE;
    }
  s = json_node_get_string (node);
  if (strlen (s) > KEFU_PASSWORD_MAX_BYTES)
    {
      kefu_set_field_error (error, "password", "password is too long");
      return FALSE;
    }
  *out = g_strdup (s);
  return TRUE;
}

gboolean
kefu_body_read_session (JsonNode         *body,
                        KefuSessionBody  *out,
                        GError          **error)
{
  JsonObject *obj = account_object (body, error);

  return obj != NULL &&
         get_string (obj, "username", TRUE, USERNAME_MAX_CHARS, &out->username, error) &&
         get_password (obj, TRUE, &out->password, error);
}

void
kefu_session_body_clear (KefuSessionBody *body)
{
  g_clear_pointer (&body->username, g_free);
  g_clear_pointer (&body->password, g_free);
}

gboolean
kefu_body_read_user (JsonNode      *body,
                     gboolean       create,
                     KefuUserBody  *out,
                     GError       **error)
{
  g_autofree char *role = NULL;
  JsonObject *obj;
  JsonNode *active;

  obj = account_object (body, error);
  if (obj == NULL)
    return FALSE;

  if (create)
    {
      if (!get_string (obj, "username", TRUE, USERNAME_MAX_CHARS, &out->username, error))
        return FALSE;
      for (const char *p = out->username; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
          {
            kefu_set_field_error (error, "username",
                                  "username may contain only letters, digits, '.', '_' and '-'");
            return FALSE;
          }
    }

  if (!get_string (obj, "display_name", create, KEFU_SHORT_TEXT_MAX_CHARS,
                   &out->display_name, error) ||
      !get_string (obj, "role", create, 32, &role, error) ||
      !get_string (obj, "department", create, 64, &out->department, error) ||
      !get_password (obj, create, &out->password, error))
    return FALSE;

  if (role != NULL)
    {
      if (!kefu_role_from_string (role, &out->role))
        {
          kefu_set_field_error (error, "role", "role must be one of agent, supervisor, "
                                "technician, manager, admin");
          return FALSE;
        }
      out->has_role = TRUE;
    }

  /* The password's length and quality are the password policy's (kefu-password-policy.c),
   * checked off the main loop when it is hashed. */

  active = json_object_get_member (obj, "active");
  if (!create && active != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (active) || json_node_get_value_type (active) != G_TYPE_BOOLEAN)
        {
          kefu_set_field_error (error, "active", "active must be true or false");
          return FALSE;
        }
      out->has_active = TRUE;
      out->active = json_node_get_boolean (active);
    }

  return TRUE;
}

void
kefu_user_body_clear (KefuUserBody *body)
{
  g_clear_pointer (&body->username, g_free);
  g_clear_pointer (&body->display_name, g_free);
  g_clear_pointer (&body->department, g_free);
  g_clear_pointer (&body->password, g_free);
}

/* ---- ticket workflow --------------------------------------------------------------------- */

/* A string member (trimmed; NULL when absent, null or empty). */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     required,
             char       **out,
             GError     **error)
{
  return kefu_routes_read_string (object, name, required, kefu_routes_trim_dup, out, error);
}

static gboolean
read_bool (JsonObject  *object,
           const char  *name,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node_is_null (node))
    {
      kefu_set_field_error (error, name, "%s is required", name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      kefu_set_field_error (error, name, "%s must be true or false", name);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
kefu_body_read_assign (JsonNode        *body,
                       KefuAssignBody  *out,
                       GError         **error)
{
  JsonObject *object;
  JsonNode *member;

  if (!kefu_routes_body_object (body, &object, error) ||
      !kefu_json_read_int (object, "assignee_id", FALSE, 1, G_MAXINT64, &out->assignee_id,
                           NULL, error) ||
      !read_string (object, "department", FALSE, &out->department, error))
    return FALSE;

  if (out->department != NULL &&
      !kefu_validate_text (out->department, KEFU_SHORT_TEXT_MAX_CHARS, FALSE))
    {
      kefu_set_field_error (error, "department", "department is not a department code");
      return FALSE;
    }

  member = json_object_get_member (object, "supporting_departments");
  if (!node_is_null (member))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          kefu_set_field_error (error, "supporting_departments",
                                "supporting_departments must be an array of department codes");
          return FALSE;
        }
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING ||
              !kefu_validate_text (json_node_get_string (element), KEFU_SHORT_TEXT_MAX_CHARS,
                                   FALSE))
            {
              kefu_set_field_error (error, "supporting_departments",
                                    "supporting_departments must be an array of department "
                                    "codes");
              return FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      out->supporting = g_strv_builder_end (builder);
    }

  return TRUE;
}

void
kefu_assign_body_clear (KefuAssignBody *body)
{
  g_clear_pointer (&body->department, g_free);
  g_clear_pointer (&body->supporting, g_strfreev);
}

gboolean
kefu_body_read_status (JsonNode        *body,
                       KefuStatusBody  *out,
                       GError         **error)
{
  g_autofree char *word = NULL;
  JsonObject *object;

  if (!kefu_routes_body_object (body, &object, error) ||
      !read_string (object, "status", TRUE, &word, error) ||
      !read_string (object, "reason", FALSE, &out->reason, error))
    return FALSE;

  if (!kefu_status_from_string (word, &out->status))
    {
      kefu_set_field_error (error, "status", "status is not a known status");
      return FALSE;
    }
  return TRUE;
}

void
kefu_status_body_clear (KefuStatusBody *body)
{
  g_clear_pointer (&body->reason, g_free);
}

gboolean
kefu_body_read_note (JsonNode      *body,
                     KefuNoteBody  *out,
                     GError       **error)
{
  g_autofree char *kind = NULL;
  JsonObject *object;

  if (!kefu_routes_body_object (body, &object, error) ||
      !read_string (object, "text", TRUE, &out->text, error) ||
      !read_string (object, "kind", FALSE, &kind, error))
    return FALSE;

  if (kind != NULL)
    {
      if (g_str_equal (kind, "customer_contact"))
        out->customer_contact = TRUE;
      else if (!g_str_equal (kind, "note"))
        {
          kefu_set_field_error (error, "kind", "kind must be note or customer_contact");
          return FALSE;
        }
    }

  return kefu_validate_text_field (out->text, "text", KEFU_LONG_TEXT_MAX_CHARS, TRUE, error);
}

void
kefu_note_body_clear (KefuNoteBody *body)
{
  g_clear_pointer (&body->text, g_free);
}

gboolean
kefu_body_read_resolve (JsonNode        *body,
                        KefuResolution  *out,
                        GError         **error)
{
  g_autofree char *kind = NULL;
  JsonObject *object;

  if (!kefu_routes_body_object (body, &object, error) ||
      !read_string (object, "kind", TRUE, &kind, error))
    return FALSE;

  if (!kefu_resolution_kind_from_string (kind, &out->kind))
    {
      kefu_set_field_error (error, "kind", "kind is not a known resolution");
      return FALSE;
    }

  if (!read_string (object, "summary", TRUE, &out->summary, error) ||
      !kefu_json_read_int (object, "cost_cents", FALSE, 0, AMOUNT_MAX_CENTS, &out->cost_cents,
                           NULL, error) ||
      !kefu_json_read_int (object, "minutes_spent", FALSE, 0, G_MAXINT32,
                           &out->minutes_spent, NULL, error))
    return FALSE;

  return kefu_validate_text_field (out->summary, "summary", KEFU_LONG_TEXT_MAX_CHARS, TRUE,
                                   error);
}

gboolean
kefu_body_read_confirm (JsonNode          *body,
                        KefuConfirmation  *out,
                        GError           **error)
{
  JsonObject *object;
  gint64 satisfaction = 0;

  if (!kefu_routes_body_object (body, &object, error) ||
      !read_bool (object, "solved", &out->solved, error) ||
      !kefu_json_read_int (object, "satisfaction", TRUE, 1, 5, &satisfaction, NULL, error) ||
      !read_string (object, "comment", FALSE, &out->comment, error))
    return FALSE;
  out->satisfaction = (int) satisfaction;

  return kefu_validate_text_field (out->comment, "comment", KEFU_LONG_TEXT_MAX_CHARS, TRUE,
                                   error);
}

/* ---- visits and returns ------------------------------------------------------------------ */

/* These members are trimmed of ASCII white space only (g_strstrip()). */
static char *
strip_dup (const char *str)
{
  return g_strstrip (g_strdup (str));
}

/* A string member, trimmed; NULL when absent, null or empty; at most @max_chars. */
static gboolean
read_item_string (JsonObject  *object,
                  const char  *name,
                  gboolean     required,
                  gsize        max_chars,
                  char       **out,
                  GError     **error)
{
  g_autofree char *value = NULL;

  *out = NULL;
  if (!kefu_routes_read_string (object, name, required, strip_dup, &value, error))
    return FALSE;
  if (!kefu_validate_text_field (value, name, max_chars, TRUE, error))
    return FALSE;
  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *name,
           gboolean     required,
           gint64      *out,
           GError     **error)
{
  g_autofree char *text = NULL;

  *out = 0;
  if (!read_item_string (object, name, required, 64, &text, error))
    return FALSE;
  if (text != NULL && !kefu_time_from_iso8601 (text, out))
    {
      kefu_set_field_error (error, name, "%s must be an RFC 3339 time", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_new_visit (JsonObject      *object,
                KefuVisitInput  *in,
                GError         **error)
{
  g_autofree char *warranty = NULL;

  if (!read_time (object, "scheduled_at", TRUE, &in->scheduled_at, error) ||
      !read_item_string (object, "address", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->address,
                         error) ||
      !read_item_string (object, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->parts, error) ||
      !kefu_json_read_int (object, "fee_cents", FALSE, 0, AMOUNT_MAX_CENTS, &in->fee_cents,
                           &in->has_fee, error) ||
      !read_item_string (object, "warranty", FALSE, 8, &warranty, error) ||
      !kefu_json_read_int (object, "technician_id", FALSE, 1, G_MAXINT64, &in->technician_id,
                           NULL, error))
    return FALSE;

  if (warranty != NULL)
    {
      KefuWarranty w;

      if (!kefu_warranty_from_string (warranty, &w))
        {
          kefu_set_field_error (error, "warranty", "warranty must be in or out");
          return FALSE;
        }
      in->warranty_in = w == KEFU_WARRANTY_IN;
    }

  return TRUE;
}

static gboolean
read_visit_update (JsonObject       *object,
                   KefuVisitAction  *out_action,
                   KefuVisitInput   *in,
                   GError          **error)
{
  static const char * const actions[] = {
    [KEFU_VISIT_ACTION_RESCHEDULE] = "reschedule",
    [KEFU_VISIT_ACTION_ARRIVE] = "arrive",
    [KEFU_VISIT_ACTION_DONE] = "done",
    [KEFU_VISIT_ACTION_CANCEL] = "cancel",
  };
  g_autofree char *word = NULL;
  KefuVisitAction action;
  guint a;

  if (!read_item_string (object, "action", TRUE, 32, &word, error))
    return FALSE;
  for (a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      if (g_str_equal (word, actions[a]))
        break;
    }
  if (a == G_N_ELEMENTS (actions))
    {
      kefu_set_field_error (error, "action",
                            "action must be reschedule, arrive, done or cancel");
      return FALSE;
    }
  action = a;
  *out_action = action;

  return read_time (object, "scheduled_at", action == KEFU_VISIT_ACTION_RESCHEDULE,
                    &in->scheduled_at, error) &&
         read_item_string (object, "reason", action == KEFU_VISIT_ACTION_RESCHEDULE ||
                                             action == KEFU_VISIT_ACTION_CANCEL,
                           KEFU_LONG_TEXT_MAX_CHARS, &in->reason, error) &&
         read_item_string (object, "outcome", action == KEFU_VISIT_ACTION_DONE,
                           KEFU_LONG_TEXT_MAX_CHARS, &in->outcome, error) &&
         read_item_string (object, "parts", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &in->parts,
                           error) &&
         kefu_json_read_int (object, "fee_cents", FALSE, 0, AMOUNT_MAX_CENTS, &in->fee_cents,
                             &in->has_fee, error);
}

gboolean
kefu_body_read_visit (JsonNode         *body,
                      KefuVisitAction  *out_action,
                      KefuVisitInput   *out,
                      GError          **error)
{
  JsonObject *object;

  if (!kefu_routes_body_object (body, &object, error))
    return FALSE;
  if (out_action == NULL)
    return read_new_visit (object, out, error);
  return read_visit_update (object, out_action, out, error);
}

static gboolean
read_attachment_ids (JsonObject      *object,
                     GArray          *ids,
                     GError         **error)
{
  JsonNode *member = json_object_get_member (object, "attachment_ids");
  JsonArray *array;

  if (node_is_null (member))
    return TRUE;

  array = JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
  if (array == NULL || json_array_get_length (array) > KEFU_MAX_ATTACHMENTS_PER_TICKET)
    {
      kefu_set_field_error (error, "attachment_ids",
                            "attachment_ids must be an array of attachment ids");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 id;

      if (!kefu_json_node_get_int (json_array_get_element (array, i), "attachment_ids", 1,
                                   G_MAXINT64, &id, error))
        return FALSE;
      g_array_append_val (ids, id);
    }
  return TRUE;
}

gboolean
kefu_body_read_return (JsonNode        *body,
                       gboolean         update,
                       KefuReturnBody  *out,
                       GError         **error)
{
  g_autofree char *word = NULL;
  JsonObject *object;

  out->amount_cents = -1;
  if (!kefu_routes_body_object (body, &object, error))
    return FALSE;

  if (update)
    {
      if (!read_item_string (object, "step", TRUE, 32, &word, error))
        return FALSE;
      if (!kefu_return_step_from_string (word, &out->step))
        {
          kefu_set_field_error (error, "step", "step is not a known return step");
          return FALSE;
        }
    }
  else
    {
      if (!read_item_string (object, "type", TRUE, 32, &word, error))
        return FALSE;
      if (!kefu_return_type_from_string (word, &out->type))
        {
          kefu_set_field_error (error, "type",
                                "type must be return_refund, exchange, reship or partial_refund");
          return FALSE;
        }
      g_clear_pointer (&word, g_free);
      if (!read_item_string (object, "reason", TRUE, 32, &word, error))
        return FALSE;
      if (!kefu_return_reason_from_string (word, &out->reason))
        {
          kefu_set_field_error (error, "reason", "reason is not a known return reason");
          return FALSE;
        }
    }

  if (!kefu_json_read_int (object, "amount_cents", FALSE, 0, AMOUNT_MAX_CENTS,
                           &out->amount_cents, NULL, error) ||
      !read_item_string (object, "note", FALSE, KEFU_LONG_TEXT_MAX_CHARS, &out->note, error))
    return FALSE;

  if (!update)
    {
      out->attachment_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (!read_attachment_ids (object, out->attachment_ids, error))
        return FALSE;
    }

  return TRUE;
}

void
kefu_return_body_clear (KefuReturnBody *body)
{
  g_clear_pointer (&body->note, g_free);
  g_clear_pointer (&body->attachment_ids, g_array_unref);
}
