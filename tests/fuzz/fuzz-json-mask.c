/* fuzz-json-mask.c — masking phone numbers in stored text without decoding it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On any bytes: no crash, and a refusal leaves the output as it was. On a document as the
 * server stores it (json-glib's compact text of the input): when the text path masks, its
 * result is the document with every string member "phone" replaced by kefu_mask_phone() of
 * it — exactly what the decoding path gives, nothing more and nothing less.
 */
#include "config.h"

#include <string.h>

#include "kefu-fuzz.h"
#include "kefu-json-input.h"
#include "kefu-json-mask.h"
#include "kefu-ticket.h"

static void
mask_tree (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        mask_tree (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (g_str_equal (l->data, "phone") && JSON_NODE_HOLDS_VALUE (member) &&
              json_node_get_value_type (member) == G_TYPE_STRING)
            {
              g_autofree char *masked = kefu_mask_phone (json_node_get_string (member));

              json_object_set_string_member (object, l->data, masked);
            }
          else
            {
              mask_tree (member);
            }
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) out = g_string_new ("prefix");
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *stored = NULL;

  if (!kefu_json_append_masked (out, (const char *) data, size))
    g_assert_cmpstr (out->str, ==, "prefix");

  node = kefu_fuzz_parse (data, size);
  if (node == NULL)
    return 0;

  if (!kefu_fuzz_writes_as_json (node))
    return 0;
  stored = json_to_string (node, FALSE);
  g_string_assign (out, "");
  if (kefu_json_append_masked (out, stored, strlen (stored)))
    {
      g_autoptr(JsonNode) masked = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *got = NULL;

      masked = kefu_json_parse_bounded (out->str, out->len, &error);
      g_assert_no_error (error);
      g_assert_nonnull (masked);
      mask_tree (node);
      expected = json_to_string (node, FALSE);
      got = json_to_string (masked, FALSE);
      g_assert_cmpstr (got, ==, expected);
    }
  return 0;
}
