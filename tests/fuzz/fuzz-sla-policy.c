/* fuzz-sla-policy.c — PUT /sla-policy: kefu_sla_policy_from_json() and the calculus behind it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An accepted policy writes back to JSON that reads as the same policy, and computing the
 * dues of a ticket under it ends (a calendar with hardly any working time included).
 */
#include "config.h"

#include "kefu-fuzz.h"
#include "kefu-sla.h"

#define START (G_GINT64_CONSTANT (1795420800) * G_USEC_PER_SEC)   /* 2026-11-23T08:00:00Z */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = kefu_fuzz_parse (data, size);
  g_autoptr(KefuSlaPolicy) policy = NULL;
  g_autoptr(KefuSlaPolicy) again = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) rewritten = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  KefuSlaPause pause = { START + (gint64) 3600 * G_USEC_PER_SEC,
                         START + (gint64) 7200 * G_USEC_PER_SEC };
  KefuSlaInput input = { 0 };
  KefuSlaDues dues;

  if (node == NULL)
    return 0;

  policy = kefu_sla_policy_from_json (node, &error);
  if (policy == NULL)
    {
      kefu_fuzz_check_error (g_steal_pointer (&error));
      return 0;
    }

  written = kefu_sla_policy_to_json (policy);
  again = kefu_sla_policy_from_json (written, &error);
  g_assert_no_error (error);
  rewritten = kefu_sla_policy_to_json (again);
  text = json_to_string (written, FALSE);
  text_again = json_to_string (rewritten, FALSE);
  g_assert_cmpstr (text, ==, text_again);

  for (int priority = 1; priority <= 4; priority++)
    {
      input.priority = priority;
      input.registered_at = START;
      input.assigned_at = START + (gint64) 60 * G_USEC_PER_SEC;
      input.resolved_at = priority == 4 ? START + (gint64) 86400 * G_USEC_PER_SEC : 0;
      input.open = priority != 4;
      input.pauses = &pause;
      input.n_pauses = 1;
      kefu_sla_compute (policy, &input, &dues);
      for (guint c = 0; c < KEFU_SLA_CLOCK_LAST; c++)
        g_assert_true (dues.due[c] == 0 || dues.due[c] >= START);
    }
  return 0;
}
