/* fuzz-intake.c — POST /tickets: kefu_validate_intake() on any JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-fuzz.h"
#include "kefu-validate.h"

#define NOW (G_GINT64_CONSTANT (1795420800) * G_USEC_PER_SEC)   /* 2026-11-23T08:00:00Z */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) body = kefu_fuzz_parse (data, size);
  g_autoptr(KefuTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;

  if (body == NULL)
    return 0;

  ticket = kefu_validate_intake (body, NOW, &error);
  if (ticket == NULL)
    {
      kefu_fuzz_check_error (g_steal_pointer (&error));
      return 0;
    }

  /* What was accepted is a ticket the codec can write. */
  g_assert_true (kefu_priority_is_valid (ticket->priority));
  g_assert_nonnull (ticket->description);
  {
    g_autoptr(JsonNode) node = kefu_ticket_to_json (ticket, KEFU_TICKET_JSON_MASK_PHONE);

    g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  }
  return 0;
}
