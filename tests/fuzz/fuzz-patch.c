/* fuzz-patch.c — PATCH /tickets/{n}: kefu_validate_patch() on any JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-fuzz.h"
#include "kefu-validate.h"

static KefuTicket *
sample_ticket (void)
{
  KefuTicket *t = kefu_ticket_new ();

  t->number = g_strdup ("FW20261123001");
  t->version = 3;
  t->channel = KEFU_CHANNEL_PHONE;
  t->category = KEFU_CATEGORY_QUALITY;
  t->subcategory = g_strdup ("功能故障");
  t->priority = 2;
  t->customer.name = g_strdup ("王先生");
  t->customer.phone = g_strdup ("13812345678");
  t->customer.order_no = g_strdup ("JD0001");
  t->description = g_strdup ("洗衣机无法开机");
  t->submitted_at = t->registered_at = t->updated_at =
    G_GINT64_CONSTANT (1795420800) * G_USEC_PER_SEC;
  return t;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) body = kefu_fuzz_parse (data, size);
  g_autoptr(KefuTicket) ticket = NULL;
  g_autoptr(KefuTicket) before = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) changed = NULL;

  if (body == NULL)
    return 0;

  ticket = sample_ticket ();
  before = kefu_ticket_copy (ticket);
  if (!kefu_validate_patch (body, ticket, &changed, &error))
    {
      kefu_fuzz_check_error (g_steal_pointer (&error));
      /* Nothing is applied on error. */
      g_assert_true (kefu_ticket_equal (ticket, before));
      return 0;
    }

  g_assert_nonnull (changed);
  g_assert_true (kefu_priority_is_valid (ticket->priority));
  if (g_strv_length (changed) == 0)
    g_assert_true (kefu_ticket_equal (ticket, before));
  return 0;
}
