/* fuzz-json-check.c — the depth and token check, and json-glib behind it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whatever the bytes: no crash, no stack overflow in json-glib (the check must stop every
 * input nested too deep, however it hides its brackets), and a document that passes is one
 * json-glib parses the same way again after writing it back.
 */
#include "config.h"

#include <string.h>

#include "kefu-fuzz.h"
#include "kefu-json-input.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean passed;

  passed = kefu_json_check ((const char *) data, size, &error);
  if (!passed)
    kefu_fuzz_check_error (g_steal_pointer (&error));

  node = kefu_fuzz_parse (data, size);
  if (node == NULL)
    return 0;
  g_assert_true (passed);

  if (kefu_fuzz_writes_as_json (node))
    {
      g_autofree char *text = json_to_string (node, FALSE);
      g_autofree char *again = NULL;
      g_autoptr(JsonNode) reparsed = NULL;

      reparsed = kefu_json_parse_bounded (text, strlen (text), &error);
      g_assert_no_error (error);
      g_assert_nonnull (reparsed);
      again = json_to_string (reparsed, FALSE);
      g_assert_cmpstr (again, ==, text);
    }
  return 0;
}
