/* kefu-fuzz.c — what the fuzz targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "kefu-error.h"
#include "kefu-fuzz.h"
#include "kefu-json-input.h"

JsonNode *
kefu_fuzz_parse (const uint8_t *data,
                 size_t         size)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = kefu_json_parse_bounded ((const char *) data, size, &error);
  if (node == NULL && error != NULL)
    kefu_fuzz_check_error (g_steal_pointer (&error));
  return node;
}

static gboolean
writes_as_json (JsonNode *node,
                guint     depth)
{
  /* Containers count as levels; the check let nothing deeper through. */
  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    g_assert_cmpuint (depth, <=, KEFU_JSON_MAX_DEPTH);

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

        for (GList *l = members; l != NULL; l = l->next)
          if (!writes_as_json (l->data, depth + 1))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!writes_as_json (json_array_get_element (array, i), depth + 1))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          /* json-glib's writer: "%.17g", then ".0" unless there is a point. */
          g_ascii_formatd (buf, sizeof buf, "%.17g", d);
          return isfinite (d) && (strchr (buf, 'e') == NULL || strchr (buf, '.') != NULL);
        }
      return TRUE;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

gboolean
kefu_fuzz_writes_as_json (JsonNode *node)
{
  return writes_as_json (node, 1);
}

void
kefu_fuzz_check_error (GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == KEFU_ERROR);
  g_assert_cmpint (error->code, >=, 0);
  g_assert_cmpint (error->code, <, KEFU_ERROR_LAST);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* Only validation errors name a field, and the name is text. */
  if (kefu_error_get_field (error) != NULL)
    {
      g_assert_cmpint (error->code, ==, KEFU_ERROR_VALIDATION_FAILED);
      g_assert_true (g_utf8_validate (kefu_error_get_field (error), -1, NULL));
    }
  g_error_free (error);
}
