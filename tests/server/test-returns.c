/* test-returns.c — returns, exchanges and refunds (退换货) through the real API: request with
 * evidence, review, pickup, receipt, inspection, completion, the order of steps, who may move
 * them, and the two return clocks (review 24 h, pickup 48 h) raising warning and breach alerts
 * under the manual clock, and stopping when their step is reached
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manual clock starts at 2026-11-23T08:00:00Z. Expected dues are worked out by hand from
 * DOMAIN.md (review 24 h from the request, pickup 48 h from the approval, warning at 80 %).
 */
#include "config.h"

#include "after-sales-common.h"

static JsonObject *
return_of (KefuTestResponse *r)
{
  return array_last (kefu_test_object (r), "returns");
}

static char *
return_path (JsonObject *ret)
{
  return g_strdup_printf ("returns/%" G_GINT64_FORMAT, json_object_get_int_member (ret, "id"));
}

static JsonObject *
step_at (JsonObject *ret,
         guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (ret, "steps"), i);
}

static void
test_flow (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autoptr(GBytes) photo = jpeg_bytes (2000);
  g_autoptr(KefuTestResponse) r = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *kinds = NULL;
  JsonObject *ret, *event;
  gint64 photo_id;
  const char *steps[] = { "pickup_arranged", "received", "inspected" };

  create_user (f, "wuliu", "agent", "logistics");

  r = upload (f, "agent", number, "破损.jpg", "image/jpeg", photo);
  assert_status (r, 201);
  photo_id = json_object_get_int_member (kefu_test_object (r), "id");
  g_clear_pointer (&r, kefu_test_response_free);

  /* Bad input. */
  r = act (f, "agent", "POST", number, "returns", "{\"type\":\"swap\",\"reason\":\"damaged\"}",
           400);
  assert_error (r, 400, "validation_failed", "type");
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "agent", "POST", number, "returns", "{\"type\":\"exchange\",\"reason\":\"meh\"}",
           400);
  assert_error (r, 400, "validation_failed", "reason");
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "agent", "POST", number, "returns",
           "{\"type\":\"exchange\",\"reason\":\"damaged\",\"attachment_ids\":[999999]}", 400);
  assert_error (r, 400, "validation_failed", "attachment_ids");
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "technician", "POST", number, "returns",
           "{\"type\":\"exchange\",\"reason\":\"damaged\"}", 403);
  g_clear_pointer (&r, kefu_test_response_free);

  body = g_strdup_printf ("{\"type\":\"exchange\",\"reason\":\"damaged\",\"note\":\"外箱破损\","
                          "\"attachment_ids\":[%" G_GINT64_FORMAT "]}", photo_id);
  r = act (f, "agent", "POST", number, "returns", body, 201);
  ret = return_of (r);
  g_assert_cmpstr (json_object_get_string_member (ret, "type"), ==, "exchange");
  g_assert_cmpstr (json_object_get_string_member (ret, "reason"), ==, "damaged");
  g_assert_cmpstr (json_object_get_string_member (ret, "step"), ==, "requested");
  g_assert_cmpint (json_object_get_int_member (ret, "amount_cents"), ==, 0);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (ret,
                                                                             "attachment_ids"),
                                               0), ==, photo_id);
  g_assert_cmpstr (json_object_get_string_member (ret, "review_due"), ==,
                   "2026-11-24T08:00:00Z");
  g_assert_true (json_object_get_null_member (ret, "pickup_due"));
  g_assert_cmpstr (json_object_get_string_member (step_at (ret, 0), "note"), ==, "外箱破损");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (step_at (ret, 0), "by"), "display_name"),
                   ==, "Agent Zhang");
  event = array_last (kefu_test_object (r), "events");
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "return");
  path = return_path (ret);
  g_clear_pointer (&r, kefu_test_response_free);

  /* Agents request, they do not approve; steps follow the flow. */
  r = act (f, "agent", "PATCH", number, path, "{\"step\":\"approved\"}", 403);
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "supervisor", "PATCH", number, path, "{\"step\":\"received\"}", 409);
  assert_error (r, 409, "invalid_transition", NULL);
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "supervisor", "PATCH", number, path, "{\"step\":\"done\"}", 400);
  assert_error (r, 400, "validation_failed", "step");
  g_clear_pointer (&r, kefu_test_response_free);

  advance (f, HOUR);
  r = act (f, "supervisor", "PATCH", number, path, "{\"step\":\"approved\",\"note\":\"同意换货\"}",
           200);
  ret = return_of (r);
  g_assert_cmpstr (json_object_get_string_member (ret, "step"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (ret, "pickup_due"), ==,
                   "2026-11-25T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (step_at (ret, 1), "at"), ==,
                   "2026-11-23T09:00:00Z");
  g_clear_pointer (&r, kefu_test_response_free);

  /* Logistics (an agent of the logistics department) carries the goods through. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *step = g_strdup_printf ("{\"step\":\"%s\"}", steps[i]);

      advance (f, HOUR);
      r = act (f, "wuliu", "PATCH", number, path, step, 200);
      g_assert_cmpstr (json_object_get_string_member (return_of (r), "step"), ==, steps[i]);
      g_clear_pointer (&r, kefu_test_response_free);
    }
  r = act (f, "wuliu", "PATCH", number, path, "{\"step\":\"completed\",\"amount_cents\":1500}",
           200);
  ret = return_of (r);
  g_assert_cmpstr (json_object_get_string_member (ret, "step"), ==, "completed");
  g_assert_cmpint (json_object_get_int_member (ret, "amount_cents"), ==, 1500);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ret, "steps")), ==, 6);
  kinds = event_kinds (kefu_test_object (r));
  /* SLA warnings of other clocks may fall in between: count the return events. */
  {
    g_auto(GStrv) parts = g_strsplit (kinds, ",", -1);
    guint n_returns = 0;

    for (guint i = 0; parts[i] != NULL; i++)
      n_returns += g_str_equal (parts[i], "return");
    g_assert_cmpuint (n_returns, ==, 6);
    g_assert_nonnull (strstr (kinds, "attachment,return"));
  }
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "supervisor", "PATCH", number, path, "{\"step\":\"approved\"}", 409);
  assert_error (r, 409, "invalid_transition", NULL);
  g_clear_pointer (&r, kefu_test_response_free);

  /* A second request, rejected: final. */
  r = act (f, "supervisor", "POST", number, "returns",
           "{\"type\":\"partial_refund\",\"reason\":\"not_as_described\",\"amount_cents\":2000}",
           201);
  g_free (path);
  path = return_path (return_of (r));
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "supervisor", "PATCH", number, path, "{\"step\":\"rejected\",\"note\":\"超过期限\"}",
           200);
  g_assert_cmpstr (json_object_get_string_member (return_of (r), "step"), ==, "rejected");
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "supervisor", "PATCH", number, path, "{\"step\":\"approved\"}", 409);
  g_clear_pointer (&r, kefu_test_response_free);

  /* Both survive a restart. */
  kefu_test_server_restart (f->ts);
  g_hash_table_remove_all (f->tokens);
  {
    g_autoptr(KefuTestResponse) t = NULL;
    JsonObject *ticket = get_ticket (f, number, &t);
    JsonArray *returns = json_object_get_array_member (ticket, "returns");

    g_assert_cmpuint (json_array_get_length (returns), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (returns, 0),
                                                    "step"), ==, "completed");
  }
}

/* How many open alerts of @kind on @clock the supervisor sees for @number. */
static guint
count_alerts (Fixture    *f,
              const char *number,
              const char *kind,
              const char *clock)
{
  g_autoptr(KefuTestResponse) r = call (f, "supervisor", "GET", "/alerts?state=open&limit=500",
                                        NULL, -1);
  JsonArray *alerts;
  guint n = 0;

  assert_status (r, 200);
  alerts = json_object_get_array_member (kefu_test_object (r), "alerts");
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (alerts, i);

      if (g_strcmp0 (json_object_get_string_member (alert, "number"), number) == 0 &&
          g_strcmp0 (json_object_get_string_member (alert, "kind"), kind) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (alert, "clock", ""), clock) == 0)
        n++;
    }
  return n;
}

/* Moves the clock; sessions do not last days, so everyone signs in again. */
static void
advance_relogin (Fixture *f,
                 gint64   usec)
{
  advance (f, usec);
  g_hash_table_remove_all (f->tokens);
}

static void
test_clocks (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *slow = create_ticket (f, 3, NULL, NULL);
  g_autofree char *quick = create_ticket (f, 3, NULL, NULL);
  g_autoptr(KefuTestResponse) r = NULL;
  g_autofree char *slow_path = NULL;
  g_autofree char *quick_path = NULL;

  r = act (f, "agent", "POST", slow, "returns", "{\"type\":\"return_refund\","
           "\"reason\":\"no_reason_7d\",\"amount_cents\":29900}", 201);
  slow_path = return_path (return_of (r));
  g_clear_pointer (&r, kefu_test_response_free);
  r = act (f, "agent", "POST", quick, "returns", "{\"type\":\"reship\",\"reason\":\"missing_item\"}",
           201);
  quick_path = return_path (return_of (r));
  g_clear_pointer (&r, kefu_test_response_free);

  /* The quick one is approved at once and its pickup arranged within the hour: neither of its
   * clocks ever alerts. */
  r = act (f, "supervisor", "PATCH", quick, quick_path, "{\"step\":\"approved\"}", 200);
  g_clear_pointer (&r, kefu_test_response_free);

  /* 19 h: nothing yet on the review clock. */
  advance_relogin (f, 19 * HOUR);
  g_assert_cmpuint (count_alerts (f, slow, "warning", "return_review"), ==, 0);

  /* 19 h 12 min = 80 % of 24 h: the warning, once. */
  advance_relogin (f, 12 * MINUTE);
  g_assert_cmpuint (count_alerts (f, slow, "warning", "return_review"), ==, 1);
  g_assert_cmpuint (count_alerts (f, slow, "breach", "return_review"), ==, 0);
  g_assert_cmpuint (count_alerts (f, quick, "warning", "return_review"), ==, 0);
  {
    g_autoptr(KefuTestResponse) t = NULL;
    JsonObject *ticket = get_ticket (f, slow, &t);
    g_autofree char *kinds = event_kinds (ticket);

    g_assert_nonnull (strstr (kinds, "sla_warning"));
  }

  /* 24 h: the breach. */
  advance_relogin (f, 4 * HOUR + 48 * MINUTE);
  g_assert_cmpuint (count_alerts (f, slow, "breach", "return_review"), ==, 1);
  g_assert_cmpuint (count_alerts (f, slow, "warning", "return_review"), ==, 1);
  {
    g_autoptr(KefuTestResponse) t = NULL;
    JsonObject *ticket = get_ticket (f, slow, &t);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ticket, "sla"),
                                                    "state"), ==, "breached");
  }

  /* The quick return: 38.4 h after its approval is 80 % of its pickup window. The pickup is
   * arranged before that, so the clock stops. */
  r = act (f, "supervisor", "PATCH", quick, quick_path, "{\"step\":\"pickup_arranged\"}", 200);
  g_assert_true (json_object_get_null_member (return_of (r), "review_due") == FALSE);
  g_clear_pointer (&r, kefu_test_response_free);

  /* The slow one is approved late (at 25 h): its pickup is due at 73 h. */
  advance_relogin (f, HOUR);
  r = act (f, "supervisor", "PATCH", slow, slow_path, "{\"step\":\"approved\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (return_of (r), "pickup_due"), ==,
                   "2026-11-26T09:00:00Z");
  g_clear_pointer (&r, kefu_test_response_free);

  /* 25 h + 38 h 24 min: the pickup warning; 73 h: its breach. The review clock raised
   * nothing more. */
  advance_relogin (f, 38 * HOUR + 24 * MINUTE);
  g_assert_cmpuint (count_alerts (f, slow, "warning", "return_pickup"), ==, 1);
  g_assert_cmpuint (count_alerts (f, slow, "breach", "return_pickup"), ==, 0);
  advance_relogin (f, 9 * HOUR + 36 * MINUTE);
  g_assert_cmpuint (count_alerts (f, slow, "breach", "return_pickup"), ==, 1);
  g_assert_cmpuint (count_alerts (f, slow, "breach", "return_review"), ==, 1);
  g_assert_cmpuint (count_alerts (f, quick, "warning", "return_pickup"), ==, 0);
  g_assert_cmpuint (count_alerts (f, quick, "breach", "return_pickup"), ==, 0);
  g_assert_cmpuint (count_alerts (f, quick, "breach", "return_review"), ==, 0);

  /* A restart does not raise them again. */
  kefu_test_server_restart (f->ts);
  g_hash_table_remove_all (f->tokens);
  advance_relogin (f, MINUTE);
  g_assert_cmpuint (count_alerts (f, slow, "breach", "return_pickup"), ==, 1);
  g_assert_cmpuint (count_alerts (f, slow, "warning", "return_review"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/returns/flow", Fixture, NULL, fixture_set_up, test_flow, fixture_tear_down);
  g_test_add ("/returns/clocks", Fixture, NULL, fixture_set_up, test_clocks, fixture_tear_down);

  return g_test_run ();
}
