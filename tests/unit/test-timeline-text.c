/* test-timeline-text.c — what the ticket page's timeline says of each event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kefu-timeline-row.h"

static char *
summary_of (KefuEventKind  kind,
            const char    *action)
{
  KefuTicketEvent event = { 0 };
  g_autoptr(JsonObject) data = json_object_new ();

  event.kind = kind;
  if (action != NULL)
    json_object_set_string_member (data, "action", action);
  event.data = data;
  return kefu_timeline_event_summary (&event);
}

/* Every step of a visit and of a return has its own words; an unknown step falls back to the
 * kind's name rather than to nothing. */
static void
test_visit_and_return_steps (void)
{
  static const struct {
    KefuEventKind kind;
    const char   *action;
    const char   *summary;
  } cases[] = {
    { KEFU_EVENT_VISIT, "scheduled", "Scheduled a field visit" },
    { KEFU_EVENT_VISIT, "rescheduled", "Rescheduled the field visit" },
    { KEFU_EVENT_VISIT, "arrived", "Arrived at the customer" },
    { KEFU_EVENT_VISIT, "done", "Finished the field visit" },
    { KEFU_EVENT_VISIT, "cancelled", "Cancelled the field visit" },
    { KEFU_EVENT_VISIT, "teleported", "Field visit" },
    { KEFU_EVENT_VISIT, NULL, "Field visit" },
    { KEFU_EVENT_RETURN, "requested", "Return, exchange or refund requested" },
    { KEFU_EVENT_RETURN, "approved", "Return approved" },
    { KEFU_EVENT_RETURN, "rejected", "Return rejected" },
    { KEFU_EVENT_RETURN, "pickup_arranged", "Pickup arranged" },
    { KEFU_EVENT_RETURN, "received", "Goods received" },
    { KEFU_EVENT_RETURN, "inspected", "Goods inspected" },
    { KEFU_EVENT_RETURN, "completed", "Return, exchange or refund completed" },
    { KEFU_EVENT_RETURN, NULL, "Return, exchange or refund" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *summary = summary_of (cases[i].kind, cases[i].action);

      g_assert_cmpstr (summary, ==, cases[i].summary);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline-text/visit-and-return-steps", test_visit_and_return_steps);

  return g_test_run ();
}
