/* test-ticket.c — the ticket model, its JSON encoding and the time and phone helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "kefu-error.h"
#include "kefu-ticket.h"

/* 2026-11-23T08:30:00Z */
#define T0 (G_GINT64_CONSTANT (1795422600) * G_TIME_SPAN_SECOND)

static KefuTicketEvent *
make_event (gint64         id,
            KefuEventKind  kind,
            gint64         at,
            gint64         actor_id,
            const char    *actor_name,
            const char    *text,
            const char    *data_json)
{
  KefuTicketEvent *event = kefu_ticket_event_new (kind, at);

  event->id = id;
  if (actor_id != 0)
    kefu_user_ref_set (&event->actor, actor_id, actor_name);
  event->text = g_strdup (text);
  if (data_json != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (data_json, &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      event->data = json_object_ref (json_node_get_object (node));
    }

  return event;
}

static KefuTicket *
make_full_ticket (void)
{
  KefuTicket *t = kefu_ticket_new ();
  const char *departments[] = { "logistics", "quality", NULL };

  t->id = 42;
  t->number = g_strdup ("FW20261123001");
  t->version = 7;
  t->channel = KEFU_CHANNEL_WEB_FORM;
  t->stage = KEFU_STAGE_AFTER_SALE;
  t->category = KEFU_CATEGORY_QUALITY;
  t->subcategory = g_strdup ("无法开机");
  t->priority = KEFU_PRIORITY_P1;
  t->status = KEFU_STATUS_CLOSED;
  t->customer.name = g_strdup ("王小明");
  t->customer.phone = g_strdup ("13812345678");
  t->customer.email = g_strdup ("wang@example.cn");
  t->customer.code = g_strdup ("C1001");
  t->customer.order_no = g_strdup ("SO-88231");
  t->customer.product_model = g_strdup ("KX-200");
  t->customer.serial_no = g_strdup ("SN 2026/05 批次 7");
  t->customer.purchase_date = g_strdup ("2026-05-02");
  t->customer.address = g_strdup ("上海市浦东新区世纪大道 100 号\n3 楼 \"前台\"");
  t->description = g_strdup ("收到货后电饭煲无法开机，指示灯不亮。\n客户原话：“插上电没有任何反应”。\t✓");
  t->submitted_at = T0 - 3600 * G_TIME_SPAN_SECOND;
  t->registered_at = T0;
  kefu_user_ref_set (&t->registered_by, 3, "李客服");
  kefu_user_ref_set (&t->assignee, 7, "张工");
  t->department = g_strdup ("technical");
  g_strfreev (t->supporting_departments);
  t->supporting_departments = g_strdupv ((char **) departments);
  t->sla.response_due = T0 + 2 * G_TIME_SPAN_HOUR;
  t->sla.resolve_due = T0 + 24 * G_TIME_SPAN_HOUR;
  t->sla.accept_due = T0 + 1 * G_TIME_SPAN_HOUR;
  t->sla.next_update_due = T0 + 4 * G_TIME_SPAN_HOUR;
  t->sla.confirm_due = T0 + 25 * G_TIME_SPAN_HOUR;
  t->sla.first_response_at = T0 + 600 * G_TIME_SPAN_SECOND;
  t->sla.accepted_at = T0 + 900 * G_TIME_SPAN_SECOND;
  t->sla.resolved_at = T0 + 20 * G_TIME_SPAN_HOUR;
  t->sla.closed_at = T0 + 21 * G_TIME_SPAN_HOUR;
  t->sla.paused = TRUE;
  t->sla.state = KEFU_SLA_STATE_WARNING;
  t->escalation_level = 2;
  t->resolution = g_new0 (KefuResolution, 1);
  t->resolution->kind = KEFU_RESOLUTION_RETURN_REFUND;
  t->resolution->summary = g_strdup ("退货退款 ¥299");
  t->resolution->cost_cents = 29900;
  t->resolution->minutes_spent = 95;
  t->confirmation = g_new0 (KefuConfirmation, 1);
  t->confirmation->solved = TRUE;
  t->confirmation->satisfaction = 4;
  t->confirmation->comment = g_strdup ("满意");
  t->confirmation->confirmed_at = T0 + 21 * G_TIME_SPAN_HOUR;
  t->updated_at = T0 + 21 * G_TIME_SPAN_HOUR;

  t->events = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_event_free);
  g_ptr_array_add (t->events, make_event (1, KEFU_EVENT_CREATED, T0, 3, "李客服", NULL, NULL));
  g_ptr_array_add (t->events,
                   make_event (2, KEFU_EVENT_STATUS, T0 + 60 * G_TIME_SPAN_SECOND, 5, "主管",
                               "分配给张工",
                               "{\"from\":\"new\",\"to\":\"assigned\","
                               "\"nested\":{\"list\":[1,2.5,true,null,\"文字\"],\"n\":-3}}"));
  g_ptr_array_add (t->events,
                   make_event (3, KEFU_EVENT_SLA_WARNING, T0 + 2 * G_TIME_SPAN_HOUR, 0, NULL,
                               NULL, "{\"clock\":\"response\",\"ratio\":0.8}"));
  g_ptr_array_add (t->events, make_event (4, KEFU_EVENT_NOTE, T0 + 3 * G_TIME_SPAN_HOUR, 7, NULL,
                                          "内部备注：需要更换主板", "{}"));

  return t;
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_get_object (node);
}

static KefuTicket *
round_trip (const KefuTicket    *t,
            KefuTicketJsonFlags  flags,
            gboolean             via_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = kefu_ticket_to_json (t, flags);
  KefuTicket *back;

  if (via_text)
    {
      g_autofree char *text = json_to_string (node, FALSE);
      g_autoptr(JsonNode) reparsed = json_from_string (text, &error);

      g_assert_no_error (error);
      back = kefu_ticket_from_json (reparsed, &error);
    }
  else
    {
      back = kefu_ticket_from_json (node, &error);
    }

  g_assert_no_error (error);
  g_assert_nonnull (back);

  return back;
}

static void
test_round_trip_full (void)
{
  g_autoptr(KefuTicket) t = make_full_ticket ();
  g_autoptr(KefuTicket) back = round_trip (t, KEFU_TICKET_JSON_WITH_EVENTS, FALSE);
  g_autoptr(KefuTicket) back_text = round_trip (t, KEFU_TICKET_JSON_WITH_EVENTS, TRUE);
  g_autoptr(KefuTicket) no_events = round_trip (t, KEFU_TICKET_JSON_DEFAULT, TRUE);
  KefuTicketEvent *event;

  g_assert_true (kefu_ticket_equal (t, back));
  g_assert_true (kefu_ticket_equal (back, t));
  g_assert_true (kefu_ticket_equal (t, back_text));

  /* Spot-check the decoded values, not only equality. */
  g_assert_cmpint (back->id, ==, 0);                 /* not on the wire */
  g_assert_cmpstr (back->subcategory, ==, "无法开机");
  g_assert_cmpstr (back_text->description, ==, t->description);
  g_assert_cmpstr (back_text->customer.address, ==, t->customer.address);
  g_assert_cmpint (back->priority, ==, 1);
  g_assert_cmpint (back->channel, ==, KEFU_CHANNEL_WEB_FORM);
  g_assert_cmpint (back->status, ==, KEFU_STATUS_CLOSED);
  g_assert_cmpint (back->sla.state, ==, KEFU_SLA_STATE_WARNING);
  g_assert_true (back->sla.paused);
  g_assert_cmpint (back->sla.confirm_due, ==, t->sla.confirm_due);
  g_assert_cmpint (back->registered_by.id, ==, 3);
  g_assert_cmpstr (back->assignee.display_name, ==, "张工");
  g_assert_cmpstr (back->supporting_departments[1], ==, "quality");
  g_assert_null (back->supporting_departments[2]);
  g_assert_cmpint (back->resolution->kind, ==, KEFU_RESOLUTION_RETURN_REFUND);
  g_assert_cmpint (back->resolution->cost_cents, ==, 29900);
  g_assert_cmpint (back->confirmation->satisfaction, ==, 4);
  g_assert_true (back->confirmation->solved);
  g_assert_cmpuint (back_text->events->len, ==, 4);
  event = g_ptr_array_index (back_text->events, 1);
  g_assert_cmpint (event->kind, ==, KEFU_EVENT_STATUS);
  g_assert_cmpstr (event->text, ==, "分配给张工");
  g_assert_cmpstr (json_object_get_string_member (event->data, "to"), ==, "assigned");
  event = g_ptr_array_index (back_text->events, 2);
  g_assert_cmpint (event->actor.id, ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (event->data, "ratio"), ==, 0.8);

  /* Without WITH_EVENTS the events are not on the wire, so they do not come back. */
  g_assert_null (no_events->events);
  g_assert_false (kefu_ticket_equal (t, no_events));
  g_ptr_array_set_size (t->events, 0);
  g_clear_pointer (&t->events, g_ptr_array_unref);
  g_assert_true (kefu_ticket_equal (t, no_events));
}

static void
test_round_trip_minimal (void)
{
  g_autoptr(KefuTicket) t = kefu_ticket_new ();
  g_autoptr(KefuTicket) back = NULL;
  g_autoptr(KefuTicket) with_empty = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *customer, *sla;

  g_assert_nonnull (t->supporting_departments);
  g_assert_null (t->supporting_departments[0]);
  g_assert_null (t->events);

  back = round_trip (t, KEFU_TICKET_JSON_WITH_EVENTS, TRUE);
  g_assert_true (kefu_ticket_equal (t, back));
  g_assert_null (back->number);
  g_assert_null (back->customer.name);
  g_assert_null (back->resolution);
  g_assert_null (back->confirmation);
  g_assert_null (back->events);
  g_assert_nonnull (back->supporting_departments);
  g_assert_null (back->supporting_departments[0]);

  node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_WITH_EVENTS);
  object = object_of (node);
  g_assert_true (json_object_get_null_member (object, "number"));
  g_assert_true (json_object_get_null_member (object, "registered_by"));
  g_assert_true (json_object_get_null_member (object, "assignee"));
  g_assert_true (json_object_get_null_member (object, "department"));
  g_assert_true (json_object_get_null_member (object, "resolution"));
  g_assert_true (json_object_get_null_member (object, "confirmation"));
  g_assert_true (json_object_get_null_member (object, "submitted_at"));
  g_assert_false (json_object_has_member (object, "events"));
  g_assert_false (json_object_has_member (object, "id"));
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (object, "supporting_departments")), ==, 0);
  customer = json_object_get_object_member (object, "customer");
  g_assert_cmpuint (json_object_get_size (customer), ==, 9);
  g_assert_true (json_object_get_null_member (customer, "email"));
  g_assert_true (json_object_get_null_member (customer, "purchase_date"));
  sla = json_object_get_object_member (object, "sla");
  g_assert_true (json_object_get_null_member (sla, "response_due"));
  g_assert_false (json_object_get_boolean_member (sla, "paused"));
  g_assert_cmpstr (json_object_get_string_member (sla, "state"), ==, "ok");

  /* An empty (loaded) timeline is not the same as an unloaded one, and survives. */
  t->events = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_ticket_event_free);
  with_empty = round_trip (t, KEFU_TICKET_JSON_WITH_EVENTS, FALSE);
  g_assert_nonnull (with_empty->events);
  g_assert_cmpuint (with_empty->events->len, ==, 0);
  g_assert_true (kefu_ticket_equal (t, with_empty));
  g_assert_false (kefu_ticket_equal (with_empty, back));
}

static void
test_json_shape (void)
{
  g_autoptr(KefuTicket) t = make_full_ticket ();
  g_autoptr(JsonNode) node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_WITH_EVENTS);
  g_autoptr(JsonNode) masked_node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_MASK_PHONE);
  JsonObject *object = object_of (node);
  JsonObject *masked = object_of (masked_node);
  JsonObject *member;
  JsonArray *events;

  g_assert_cmpstr (json_object_get_string_member (object, "number"), ==, "FW20261123001");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (object, "channel"), ==, "web_form");
  g_assert_cmpstr (json_object_get_string_member (object, "stage"), ==, "after_sale");
  g_assert_cmpstr (json_object_get_string_member (object, "category"), ==, "quality");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "closed");
  g_assert_cmpuint (json_node_get_value_type (json_object_get_member (object, "priority")), ==,
                    G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "priority"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "registered_at"), ==,
                   "2026-11-23T08:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (object, "submitted_at"), ==,
                   "2026-11-23T07:30:00Z");
  member = json_object_get_object_member (object, "registered_by");
  g_assert_cmpint (json_object_get_int_member (member, "id"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (member, "display_name"), ==, "李客服");
  member = json_object_get_object_member (object, "customer");
  g_assert_cmpstr (json_object_get_string_member (member, "phone"), ==, "13812345678");
  g_assert_cmpstr (json_object_get_string_member (member, "purchase_date"), ==, "2026-05-02");
  member = json_object_get_object_member (object, "sla");
  g_assert_cmpstr (json_object_get_string_member (member, "response_due"), ==,
                   "2026-11-23T10:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (member, "state"), ==, "warning");
  g_assert_true (json_object_get_boolean_member (member, "paused"));
  member = json_object_get_object_member (object, "resolution");
  g_assert_cmpstr (json_object_get_string_member (member, "kind"), ==, "return_refund");
  g_assert_cmpint (json_object_get_int_member (member, "minutes_spent"), ==, 95);
  member = json_object_get_object_member (object, "confirmation");
  g_assert_true (json_object_get_boolean_member (member, "solved"));
  g_assert_cmpstr (json_object_get_string_member (member, "confirmed_at"), ==,
                   "2026-11-24T05:30:00Z");
  g_assert_cmpint (json_object_get_int_member (object, "escalation_level"), ==, 2);

  events = json_object_get_array_member (object, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 4);
  member = json_array_get_object_element (events, 2);
  g_assert_cmpstr (json_object_get_string_member (member, "kind"), ==, "sla_warning");
  g_assert_true (json_object_get_null_member (member, "actor"));
  g_assert_true (json_object_get_null_member (member, "text"));
  member = json_array_get_object_element (events, 0);
  g_assert_true (json_object_get_null_member (member, "data"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (member, "actor"),
                                                  "display_name"), ==, "李客服");

  /* Masked output: only the phone differs, and there are no events without the flag. */
  member = json_object_get_object_member (masked, "customer");
  g_assert_cmpstr (json_object_get_string_member (member, "phone"), ==, "138****5678");
  g_assert_cmpstr (json_object_get_string_member (member, "name"), ==, "王小明");
  g_assert_false (json_object_has_member (masked, "events"));
}

static void
test_equal_and_copy (void)
{
  g_autoptr(KefuTicket) t = make_full_ticket ();
  g_autoptr(KefuTicket) copy = kefu_ticket_copy (t);
  KefuTicketEvent *event;

  g_assert_true (copy != t);
  g_assert_cmpint (copy->id, ==, 42);
  g_assert_true (kefu_ticket_equal (t, copy));
  g_assert_true (copy->customer.name != t->customer.name);
  g_assert_true (copy->resolution != t->resolution);
  g_assert_true (copy->events != t->events);

  /* The copy is deep, down to the event data. */
  event = g_ptr_array_index (copy->events, 1);
  g_assert_true (event->data != ((KefuTicketEvent *) g_ptr_array_index (t->events, 1))->data);
  json_object_set_string_member (event->data, "to", "accepted");
  g_assert_false (kefu_ticket_equal (t, copy));
  event = g_ptr_array_index (t->events, 1);
  g_assert_cmpstr (json_object_get_string_member (event->data, "to"), ==, "assigned");

#define ASSERT_DIFFERS(statement)                        \
  G_STMT_START {                                         \
    g_autoptr(KefuTicket) c_ = kefu_ticket_copy (t);     \
    g_assert_true (kefu_ticket_equal (t, c_));           \
    { KefuTicket *c = c_; statement; }                   \
    g_assert_false (kefu_ticket_equal (t, c_));          \
    g_assert_false (kefu_ticket_equal (c_, t));          \
  } G_STMT_END

  ASSERT_DIFFERS (c->version++);
  ASSERT_DIFFERS (g_free (c->number); c->number = NULL);
  ASSERT_DIFFERS (c->channel = KEFU_CHANNEL_APP);
  ASSERT_DIFFERS (c->priority = 2);
  ASSERT_DIFFERS (c->status = KEFU_STATUS_RESOLVED);
  ASSERT_DIFFERS (g_free (c->customer.address); c->customer.address = g_strdup (""));
  ASSERT_DIFFERS (g_free (c->customer.serial_no); c->customer.serial_no = NULL);
  ASSERT_DIFFERS (c->customer.name[0] = 'x');
  ASSERT_DIFFERS (c->customer.phone[10] = '9');
  ASSERT_DIFFERS (c->customer.email[0] = 'x');
  ASSERT_DIFFERS (c->customer.code[0] = 'D');
  ASSERT_DIFFERS (c->customer.order_no[0] = 'P');
  ASSERT_DIFFERS (c->customer.product_model[0] = 'Y');
  ASSERT_DIFFERS (c->customer.purchase_date[9] = '3');
  ASSERT_DIFFERS (c->stage = KEFU_STAGE_IN_SALE);
  ASSERT_DIFFERS (c->category = KEFU_CATEGORY_SERVICE);
  ASSERT_DIFFERS (g_clear_pointer (&c->subcategory, g_free));
  ASSERT_DIFFERS (c->description[0] = 'x');
  ASSERT_DIFFERS (g_clear_pointer (&c->department, g_free));
  ASSERT_DIFFERS (c->resolution->kind = KEFU_RESOLUTION_OTHER);
  ASSERT_DIFFERS (c->resolution->minutes_spent = 1);
  ASSERT_DIFFERS (g_clear_pointer (&c->resolution->summary, g_free));
  ASSERT_DIFFERS (c->confirmation->solved = FALSE);
  ASSERT_DIFFERS (c->confirmation->confirmed_at = 0);
  ASSERT_DIFFERS (g_clear_pointer (&c->confirmation->comment, g_free));
  ASSERT_DIFFERS (((KefuTicketEvent *) g_ptr_array_index (c->events, 0))->id = 100);
  ASSERT_DIFFERS (((KefuTicketEvent *) g_ptr_array_index (c->events, 0))->at = 0);
  ASSERT_DIFFERS (g_clear_pointer (&((KefuTicketEvent *) g_ptr_array_index (c->events, 1))->text,
                                   g_free));
  ASSERT_DIFFERS (g_clear_pointer (&((KefuTicketEvent *) g_ptr_array_index (c->events, 1))->data,
                                   json_object_unref));
  ASSERT_DIFFERS (kefu_user_ref_set (&((KefuTicketEvent *) g_ptr_array_index (c->events, 1))->actor,
                                     5, "别人"));
  ASSERT_DIFFERS (c->submitted_at += G_USEC_PER_SEC);
  ASSERT_DIFFERS (c->assignee.id = 8);
  ASSERT_DIFFERS (kefu_user_ref_set (&c->registered_by, 3, "别人"));
  ASSERT_DIFFERS (g_free (c->supporting_departments[1]); c->supporting_departments[1] = NULL);
  ASSERT_DIFFERS (c->sla.response_due += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->sla.resolve_due += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->sla.accept_due += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->sla.next_update_due += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->sla.confirm_due += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->sla.first_response_at += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->sla.accepted_at += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->sla.resolved_at += G_TIME_SPAN_SECOND);
  ASSERT_DIFFERS (c->registered_at = 0);
  ASSERT_DIFFERS (c->sla.paused = FALSE);
  ASSERT_DIFFERS (c->sla.closed_at = 0);
  ASSERT_DIFFERS (c->sla.state = KEFU_SLA_STATE_BREACHED);
  ASSERT_DIFFERS (c->escalation_level = 1);
  ASSERT_DIFFERS (c->resolution->cost_cents = 1);
  ASSERT_DIFFERS (g_free (c->confirmation->comment); g_clear_pointer (&c->confirmation, g_free));
  ASSERT_DIFFERS (c->confirmation->satisfaction = 5);
  ASSERT_DIFFERS (c->updated_at = 0);
  ASSERT_DIFFERS (g_ptr_array_remove_index (c->events, 3));
  ASSERT_DIFFERS (((KefuTicketEvent *) g_ptr_array_index (c->events, 0))->kind = KEFU_EVENT_NOTE);
  ASSERT_DIFFERS (((KefuTicketEvent *) g_ptr_array_index (c->events, 3))->actor.id = 0);
#undef ASSERT_DIFFERS

  /* The database id is not a wire field; sub-second time parts are below wire precision. */
  copy->id = 99;
  json_object_set_string_member (((KefuTicketEvent *) g_ptr_array_index (copy->events, 1))->data,
                                 "to", "assigned");
  copy->updated_at += 999999;
  g_assert_true (kefu_ticket_equal (t, copy));
}

static void
test_ref_and_boxed (void)
{
  KefuTicket *t = kefu_ticket_new ();
  KefuTicket *boxed;
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (KEFU_TYPE_TICKET));
  g_assert_cmpstr (g_type_name (KEFU_TYPE_TICKET), ==, "KefuTicket");

  g_assert_true (kefu_ticket_ref (t) == t);
  g_assert_cmpint (t->ref_count, ==, 2);
  kefu_ticket_unref (t);
  g_assert_cmpint (t->ref_count, ==, 1);

  /* Boxed copy is a reference, not a deep copy. */
  boxed = g_boxed_copy (KEFU_TYPE_TICKET, t);
  g_assert_true (boxed == t);
  g_assert_cmpint (t->ref_count, ==, 2);
  g_boxed_free (KEFU_TYPE_TICKET, boxed);

  g_value_init (&value, KEFU_TYPE_TICKET);
  g_value_set_boxed (&value, t);
  g_assert_cmpint (t->ref_count, ==, 2);
  g_assert_true (g_value_get_boxed (&value) == t);
  g_value_unset (&value);
  g_assert_cmpint (t->ref_count, ==, 1);

  kefu_ticket_unref (t);
}

static void
test_event_json (void)
{
  g_autoptr(KefuTicketEvent) event = make_event (17, KEFU_EVENT_CUSTOMER_CONTACT, T0, 4, "客服小刘",
                                                 "已电话联系客户", "{\"minutes\":5}");
  g_autoptr(KefuTicketEvent) back = NULL;
  g_autoptr(KefuTicketEvent) copy = kefu_ticket_event_copy (event);
  g_autoptr(JsonNode) node = kefu_ticket_event_to_json (event);
  g_autoptr(JsonNode) array_node = json_from_string ("[1]", NULL);
  g_autoptr(JsonNode) bad_kind = json_from_string ("{\"id\":1,\"kind\":\"gossip\",\"at\":null}",
                                                   NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *object = object_of (node);

  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 17);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "customer_contact");
  g_assert_cmpstr (json_object_get_string_member (object, "at"), ==, "2026-11-23T08:30:00Z");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "data"),
                                               "minutes"), ==, 5);

  back = kefu_ticket_event_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->id, ==, 17);
  g_assert_cmpint (back->kind, ==, KEFU_EVENT_CUSTOMER_CONTACT);
  g_assert_cmpint (back->at, ==, T0);
  g_assert_cmpint (back->actor.id, ==, 4);
  g_assert_cmpstr (back->actor.display_name, ==, "客服小刘");
  g_assert_cmpstr (back->text, ==, "已电话联系客户");
  g_assert_cmpint (json_object_get_int_member (back->data, "minutes"), ==, 5);

  g_assert_cmpstr (copy->text, ==, event->text);
  g_assert_true (copy->text != event->text);
  g_assert_true (copy->data != event->data);

  g_assert_null (kefu_ticket_event_from_json (array_node, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
  g_clear_error (&error);

  g_assert_null (kefu_ticket_event_from_json (bad_kind, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (kefu_error_get_field (error), ==, "kind");
}

/* Replaces one member (dotted path, one level of nesting) of a good ticket's JSON with @value
 * and checks that decoding fails on @field. */
static void
assert_decode_fails (const char *path,
                     const char *value_json,
                     const char *field)
{
  g_autoptr(KefuTicket) t = make_full_ticket ();
  g_autoptr(JsonNode) node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_WITH_EVENTS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) back = NULL;
  g_auto(GStrv) parts = g_strsplit (path, ".", 2);
  JsonObject *object = object_of (node);

  if (parts[1] != NULL)
    object = json_object_get_object_member (object, parts[0]);

  if (value_json == NULL)
    {
      json_object_remove_member (object, parts[1] != NULL ? parts[1] : parts[0]);
    }
  else
    {
      JsonNode *value = json_from_string (value_json, &error);

      g_assert_no_error (error);
      json_object_set_member (object, parts[1] != NULL ? parts[1] : parts[0], value);
    }

  back = kefu_ticket_from_json (node, &error);
  if (back != NULL)
    g_error ("decoded a ticket with %s = %s", path, value_json);
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (kefu_error_get_field (error), ==, field);
  g_assert_nonnull (strstr (error->message, field));
}

static void
test_decode_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) array = json_from_string ("[]", NULL);
  g_autoptr(JsonNode) string = json_from_string ("\"ticket\"", NULL);
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(KefuTicket) t = make_full_ticket ();

  g_assert_null (kefu_ticket_from_json (array, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
  g_clear_error (&error);
  g_assert_null (kefu_ticket_from_json (string, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
  g_clear_error (&error);

  assert_decode_fails ("version", NULL, "version");
  assert_decode_fails ("version", "\"7\"", "version");
  assert_decode_fails ("number", "42", "number");
  assert_decode_fails ("channel", "\"fax\"", "channel");
  assert_decode_fails ("channel", "null", "channel");
  assert_decode_fails ("stage", "1", "stage");
  assert_decode_fails ("category", "\"Quality\"", "category");
  assert_decode_fails ("status", "\"done\"", "status");
  assert_decode_fails ("priority", "\"1\"", "priority");
  assert_decode_fails ("priority", "1.0", "priority");
  assert_decode_fails ("priority", "5", "priority");
  assert_decode_fails ("priority", "0", "priority");
  assert_decode_fails ("customer", "\"王小明\"", "customer");
  assert_decode_fails ("customer.phone", "13812345678", "customer.phone");
  assert_decode_fails ("customer.name", "{}", "customer.name");
  assert_decode_fails ("description", "[\"x\"]", "description");
  assert_decode_fails ("submitted_at", "\"yesterday\"", "submitted_at");
  assert_decode_fails ("registered_at", "1795422600", "registered_at");
  assert_decode_fails ("registered_by", "3", "registered_by");
  assert_decode_fails ("registered_by.id", "\"3\"", "registered_by.id");
  assert_decode_fails ("assignee.display_name", "7", "assignee.display_name");
  assert_decode_fails ("supporting_departments", "\"logistics\"", "supporting_departments");
  assert_decode_fails ("supporting_departments", "[\"logistics\", 5]", "supporting_departments");
  assert_decode_fails ("sla", "[]", "sla");
  assert_decode_fails ("sla.response_due", "\"2026-13-01T00:00:00Z\"", "sla.response_due");
  assert_decode_fails ("sla.paused", "\"false\"", "sla.paused");
  assert_decode_fails ("sla.state", "\"late\"", "sla.state");
  assert_decode_fails ("escalation_level", "-1", "escalation_level");
  assert_decode_fails ("resolution", "true", "resolution");
  assert_decode_fails ("resolution.kind", "\"magic\"", "resolution.kind");
  assert_decode_fails ("resolution.cost_cents", "\"299\"", "resolution.cost_cents");
  assert_decode_fails ("confirmation.solved", "1", "confirmation.solved");
  assert_decode_fails ("confirmation.satisfaction", "6", "confirmation.satisfaction");
  assert_decode_fails ("confirmation.confirmed_at", "\"\"", "confirmation.confirmed_at");
  assert_decode_fails ("updated_at", "{}", "updated_at");
  assert_decode_fails ("events", "{}", "events");
  assert_decode_fails ("events", "[1]", "events[0]");
  assert_decode_fails ("events", "[{\"id\":1,\"kind\":\"note\",\"data\":[]}]", "events[0].data");
  assert_decode_fails ("events", "[{\"id\":1,\"kind\":\"note\"},{\"kind\":\"poke\"}]",
                       "events[1].kind");
  assert_decode_fails ("events", "[{\"id\":1,\"kind\":\"note\",\"actor\":{\"id\":\"x\"}}]",
                       "events[0].actor.id");

  /* Members that may be missing decode to their unset values. */
  events = kefu_ticket_to_json (t, KEFU_TICKET_JSON_DEFAULT);
  json_object_remove_member (object_of (events), "resolution");
  json_object_remove_member (object_of (events), "sla");
  json_object_remove_member (object_of (events), "supporting_departments");
  {
    g_autoptr(KefuTicket) back = kefu_ticket_from_json (events, &error);

    g_assert_no_error (error);
    g_assert_null (back->resolution);
    g_assert_cmpint (back->sla.response_due, ==, 0);
    g_assert_cmpint (back->sla.state, ==, KEFU_SLA_STATE_OK);
    g_assert_nonnull (back->supporting_departments);
    g_assert_null (back->supporting_departments[0]);
  }
}

static void
test_times (void)
{
  static const struct {
    const char *in;
    gint64 secs;
  } good[] = {
    { "2026-11-23T08:30:00Z", 1795422600 },
    { "2026-11-23T16:30:00+08:00", 1795422600 },
    { "2026-11-23T03:30:00-05:00", 1795422600 },
    { "2026-11-23T08:30:00.987654Z", 1795422600 },
    { "2026-11-23T08:30:00", 1795422600 },          /* no offset: UTC */
    { "2000-01-01T00:00:00Z", 946684800 },
    { "2028-02-29T23:59:59Z", 1835481599 },
  };
  static const char * const bad[] = {
    "", "yesterday", "2026-11-23", "2026-11-23T25:00:00Z", "2026-02-30T00:00:00Z",
    "2026-11-23T08:30:00Zjunk", "1795422600",
  };
  g_autofree char *zero = kefu_time_to_iso8601 (0);
  g_autofree char *t0 = kefu_time_to_iso8601 (T0);
  g_autofree char *fraction = kefu_time_to_iso8601 (T0 + 999999);
  g_autofree char *early = kefu_time_to_iso8601 (G_GINT64_CONSTANT (-1));
  gint64 usec;

  g_assert_null (zero);
  g_assert_cmpstr (t0, ==, "2026-11-23T08:30:00Z");
  g_assert_cmpstr (fraction, ==, "2026-11-23T08:30:00Z");
  g_assert_cmpstr (early, ==, "1969-12-31T23:59:59Z");

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      usec = 1;
      if (!kefu_time_from_iso8601 (good[i].in, &usec))
        g_error ("could not parse %s", good[i].in);
      g_assert_cmpint (usec, ==, good[i].secs * G_TIME_SPAN_SECOND);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (kefu_time_from_iso8601 (bad[i], &usec))
        g_error ("parsed bad time \"%s\"", bad[i]);
    }
  g_assert_false (kefu_time_from_iso8601 (NULL, &usec));
}

/* Times in the wire's own shape are read without GDateTime: the values, and which strings are
 * refused, must still be exactly what GLib gives. */
static void
test_times_match_glib (void)
{
  static const char * const edges[] = {
    "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "1900-02-29T00:00:00Z",
    "2000-02-29T12:00:00Z", "2100-02-29T12:00:00Z", "2024-02-29T12:00:00Z",
    "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
    "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
    "2026-01-01T00:00:60Z", "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z",
    "2026-1-01T00:00:00Z ", "20x6-01-01T00:00:00Z", "2026-01-01T0a:00:00Z",
  };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  for (guint i = 0; i < G_N_ELEMENTS (edges) + 20000; i++)
    {
      g_autofree char *generated = NULL;
      g_autoptr(GDateTime) dt = NULL;
      const char *text;
      gint64 usec = 0;
      gboolean ok;

      if (i < G_N_ELEMENTS (edges))
        {
          text = edges[i];
        }
      else
        {
          gint64 secs = g_rand_int_range (rand, -2000000, 2000000) * (gint64) 3600
                        + g_rand_int_range (rand, 0, 3600);

          generated = kefu_time_to_iso8601 (secs * G_USEC_PER_SEC);
          text = generated;
        }

      dt = g_date_time_new_from_iso8601 (text, utc);
      ok = kefu_time_from_iso8601 (text, &usec);
      if (ok != (dt != NULL))
        g_error ("\"%s\": %s here, %s by GLib", text, ok ? "read" : "refused",
                 dt != NULL ? "read" : "refused");
      if (ok)
        g_assert_cmpint (usec, ==, g_date_time_to_unix (dt) * G_USEC_PER_SEC);
    }
}

static void
test_mask_phone (void)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "13812345678", "138****5678" },
    { "138-1234-5678", "138****5678" },
    { "+86 138 1234 5678", "138****5678" },
    { "02161234567", "021****4567" },
    { "61234567", "****4567" },
    { "12345", "****2345" },
    { "1234", "****" },
    { "12", "****" },
    { "", "****" },
    { "unknown", "****" },
  };
  g_autoptr(KefuTicket) t = make_full_ticket ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *customer;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = kefu_mask_phone (cases[i].in);

      g_assert_cmpstr (masked, ==, cases[i].out);
    }
  g_assert_null (kefu_mask_phone (NULL));

  /* A ticket without a phone stays null when masked. */
  g_clear_pointer (&t->customer.phone, g_free);
  node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_MASK_PHONE);
  customer = json_object_get_object_member (object_of (node), "customer");
  g_assert_true (json_object_get_null_member (customer, "phone"));
}

static void
test_user_ref (void)
{
  KefuUserRef ref = { 0, NULL };
  KefuCustomer customer = { 0 };

  kefu_user_ref_set (&ref, 5, "老王");
  g_assert_cmpint (ref.id, ==, 5);
  g_assert_cmpstr (ref.display_name, ==, "老王");
  /* Setting from its own name must not read freed memory. */
  kefu_user_ref_set (&ref, 6, ref.display_name);
  g_assert_cmpint (ref.id, ==, 6);
  g_assert_cmpstr (ref.display_name, ==, "老王");
  kefu_user_ref_clear (&ref);
  g_assert_cmpint (ref.id, ==, 0);
  g_assert_null (ref.display_name);

  customer.name = g_strdup ("x");
  customer.address = g_strdup ("y");
  kefu_customer_clear (&customer);
  g_assert_null (customer.name);
  g_assert_null (customer.address);
}

/* A ticket with one of each after-sales record: attachments, a rescheduled visit, a return. */
static void
add_after_sales (KefuTicket *t)
{
  KefuAttachment *a;
  KefuVisit *v;
  KefuReturn *r;
  gint64 id = 12;

  a = kefu_attachment_new ();
  a->id = 12;
  a->name = g_strdup ("照片.jpg");
  a->content_type = g_strdup ("image/jpeg");
  a->size = 183422;
  a->uploaded_at = T0 + 5 * G_TIME_SPAN_MINUTE;
  kefu_user_ref_set (&a->uploaded_by, 3, "李客服");
  g_ptr_array_add (t->attachments, a);

  a = kefu_attachment_new ();
  a->id = 13;
  a->name = g_strdup ("invoice.pdf");
  a->content_type = g_strdup ("application/pdf");
  a->size = 1;
  a->uploaded_at = T0 + 6 * G_TIME_SPAN_MINUTE;
  kefu_user_ref_set (&a->uploaded_by, 7, "张工");
  g_ptr_array_add (t->attachments, a);

  v = kefu_visit_new ();
  v->id = 4;
  v->status = KEFU_VISIT_STATUS_DONE;
  v->scheduled_at = T0 + G_TIME_SPAN_DAY;
  v->address = g_strdup ("上海市浦东新区世纪大道 100 号");
  kefu_user_ref_set (&v->technician, 7, "张工");
  v->parts = g_strdup ("主板");
  v->warranty = KEFU_WARRANTY_OUT;
  v->warranty_until = g_strdup ("2025-01-31");
  v->fee_cents = 8000;
  v->arrived_at = T0 + G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR;
  v->done_at = T0 + G_TIME_SPAN_DAY + 2 * G_TIME_SPAN_HOUR;
  v->outcome = g_strdup ("更换主板后正常开机");
  g_ptr_array_add (v->reschedules,
                   kefu_visit_reschedule_new (T0 + G_TIME_SPAN_HOUR, T0 + 12 * G_TIME_SPAN_HOUR,
                                              T0 + G_TIME_SPAN_DAY, "客户不在家"));
  g_ptr_array_add (t->visits, v);

  v = kefu_visit_new ();
  v->id = 5;
  v->scheduled_at = T0 + 2 * G_TIME_SPAN_DAY;
  v->address = g_strdup ("x");
  v->warranty = KEFU_WARRANTY_IN;
  g_ptr_array_add (t->visits, v);

  r = kefu_return_new ();
  r->id = 2;
  r->type = KEFU_RETURN_TYPE_EXCHANGE;
  r->reason = KEFU_RETURN_REASON_DAMAGED;
  r->step = KEFU_RETURN_STEP_PICKUP_ARRANGED;
  r->amount_cents = 29900;
  g_array_append_val (r->attachment_ids, id);
  r->review_due = T0 + G_TIME_SPAN_DAY;
  r->pickup_due = T0 + 3 * G_TIME_SPAN_DAY;
  g_ptr_array_add (r->steps, kefu_return_step_entry_new (KEFU_RETURN_STEP_REQUESTED, T0, 3,
                                                         "李客服", "外箱破损"));
  g_ptr_array_add (r->steps, kefu_return_step_entry_new (KEFU_RETURN_STEP_APPROVED,
                                                         T0 + G_TIME_SPAN_HOUR, 5, "主管",
                                                         NULL));
  g_ptr_array_add (t->returns, r);
}

static void
test_after_sales_round_trip (void)
{
  g_autoptr(KefuTicket) t = make_full_ticket ();
  g_autoptr(KefuTicket) back = NULL;
  g_autoptr(KefuTicket) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *visit, *ret, *step, *attachment;
  KefuVisit *v;
  KefuReturn *r;

  /* Never NULL after _new(), and always on the wire. */
  g_assert_nonnull (t->attachments);
  g_assert_nonnull (t->visits);
  g_assert_nonnull (t->returns);
  node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_DEFAULT);
  object = object_of (node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "visits")),
                    ==, 0);
  g_clear_pointer (&node, json_node_unref);

  add_after_sales (t);
  back = round_trip (t, KEFU_TICKET_JSON_WITH_EVENTS, TRUE);
  g_assert_true (kefu_ticket_equal (t, back));
  copy = kefu_ticket_copy (t);
  g_assert_true (kefu_ticket_equal (t, copy));

  g_assert_cmpuint (back->attachments->len, ==, 2);
  g_assert_cmpstr (kefu_ticket_find_attachment (back, 12)->name, ==, "照片.jpg");
  g_assert_null (kefu_ticket_find_attachment (back, 99));
  v = kefu_ticket_find_visit (back, 4);
  g_assert_nonnull (v);
  g_assert_cmpint (v->status, ==, KEFU_VISIT_STATUS_DONE);
  g_assert_cmpint (v->fee_cents, ==, 8000);
  g_assert_cmpuint (v->reschedules->len, ==, 1);
  g_assert_cmpstr (((KefuVisitReschedule *) g_ptr_array_index (v->reschedules, 0))->reason, ==,
                   "客户不在家");
  g_assert_cmpint (kefu_ticket_find_visit (back, 5)->warranty, ==, KEFU_WARRANTY_IN);
  r = kefu_ticket_find_return (back, 2);
  g_assert_cmpint (r->step, ==, KEFU_RETURN_STEP_PICKUP_ARRANGED);
  g_assert_cmpint (g_array_index (r->attachment_ids, gint64, 0), ==, 12);
  g_assert_cmpuint (r->steps->len, ==, 2);

  /* The exact wire shape of wire5.md. */
  node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_DEFAULT);
  object = object_of (node);
  attachment = json_array_get_object_element (json_object_get_array_member (object,
                                                                            "attachments"), 0);
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, 183422);
  g_assert_cmpstr (json_object_get_string_member (attachment, "uploaded_at"), ==,
                   "2026-11-23T08:35:00Z");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (attachment, "uploaded_by"), "display_name"),
                   ==, "李客服");
  visit = json_array_get_object_element (json_object_get_array_member (object, "visits"), 1);
  g_assert_cmpstr (json_object_get_string_member (visit, "status"), ==, "scheduled");
  g_assert_cmpstr (json_object_get_string_member (visit, "warranty"), ==, "in");
  g_assert_true (json_object_get_null_member (visit, "technician"));
  g_assert_true (json_object_get_null_member (visit, "parts"));
  g_assert_true (json_object_get_null_member (visit, "arrived_at"));
  g_assert_true (json_object_get_null_member (visit, "outcome"));
  g_assert_true (json_object_get_null_member (visit, "warranty_until"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (visit, "reschedules")),
                    ==, 0);
  visit = json_array_get_object_element (json_object_get_array_member (object, "visits"), 0);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (visit, "reschedules"), 0), "from"), ==,
                   "2026-11-23T20:30:00Z");
  ret = json_array_get_object_element (json_object_get_array_member (object, "returns"), 0);
  g_assert_cmpstr (json_object_get_string_member (ret, "type"), ==, "exchange");
  g_assert_cmpstr (json_object_get_string_member (ret, "reason"), ==, "damaged");
  g_assert_cmpstr (json_object_get_string_member (ret, "step"), ==, "pickup_arranged");
  g_assert_cmpstr (json_object_get_string_member (ret, "pickup_due"), ==,
                   "2026-11-26T08:30:00Z");
  step = json_array_get_object_element (json_object_get_array_member (ret, "steps"), 1);
  g_assert_cmpstr (json_object_get_string_member (step, "step"), ==, "approved");
  g_assert_true (json_object_get_null_member (step, "note"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (step, "by"), "id"),
                   ==, 5);

  /* Each difference is seen by _equal(). */
  kefu_ticket_find_return (copy, 2)->step = KEFU_RETURN_STEP_RECEIVED;
  g_assert_false (kefu_ticket_equal (t, copy));
  g_clear_pointer (&copy, kefu_ticket_unref);
  copy = kefu_ticket_copy (t);
  g_ptr_array_remove_index (kefu_ticket_find_visit (copy, 4)->reschedules, 0);
  g_assert_false (kefu_ticket_equal (t, copy));
  g_clear_pointer (&copy, kefu_ticket_unref);
  copy = kefu_ticket_copy (t);
  kefu_ticket_find_attachment (copy, 13)->size = 2;
  g_assert_false (kefu_ticket_equal (t, copy));

  /* A ticket without the arrays (an older server) decodes to empty arrays. */
  json_object_remove_member (object, "attachments");
  json_object_remove_member (object, "visits");
  json_object_remove_member (object, "returns");
  g_clear_pointer (&back, kefu_ticket_unref);
  back = kefu_ticket_from_json (node, NULL);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->attachments->len + back->visits->len + back->returns->len, ==, 0);
}

static void
test_after_sales_decode_errors (void)
{
  g_autoptr(KefuTicket) t = make_full_ticket ();
  const struct {
    const char *array;
    const char *member;
    const char *bad_json;
    const char *field;
  } cases[] = {
    { "visits", "status", "\"gone\"", "visits[0].status" },
    { "visits", "warranty", "\"maybe\"", "visits[0].warranty" },
    { "visits", "reschedules", "[1]", "visits[0].reschedules[0]" },
    { "returns", "step", "\"lost\"", "returns[0].step" },
    { "returns", "type", "null", "returns[0].type" },
    { "returns", "attachment_ids", "[\"x\"]", "returns[0].attachment_ids" },
    { "attachments", "size", "\"big\"", "attachments[0].size" },
  };

  add_after_sales (t);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = kefu_ticket_to_json (t, KEFU_TICKET_JSON_DEFAULT);
      g_autoptr(JsonNode) bad = json_from_string (cases[i].bad_json, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(KefuTicket) back = NULL;
      JsonObject *item;

      item = json_array_get_object_element (json_object_get_array_member (object_of (node),
                                                                          cases[i].array), 0);
      json_object_set_member (item, cases[i].member, g_steal_pointer (&bad));
      back = kefu_ticket_from_json (node, &error);
      g_assert_null (back);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].field));
    }
}

static void
test_return_steps (void)
{
  KefuReturnStep step;

  g_assert_true (kefu_return_step_can_transition (KEFU_RETURN_STEP_REQUESTED,
                                                  KEFU_RETURN_STEP_APPROVED));
  g_assert_true (kefu_return_step_can_transition (KEFU_RETURN_STEP_REQUESTED,
                                                  KEFU_RETURN_STEP_REJECTED));
  g_assert_false (kefu_return_step_can_transition (KEFU_RETURN_STEP_REQUESTED,
                                                   KEFU_RETURN_STEP_RECEIVED));
  g_assert_true (kefu_return_step_can_transition (KEFU_RETURN_STEP_APPROVED,
                                                  KEFU_RETURN_STEP_PICKUP_ARRANGED));
  g_assert_true (kefu_return_step_can_transition (KEFU_RETURN_STEP_INSPECTED,
                                                  KEFU_RETURN_STEP_COMPLETED));
  g_assert_false (kefu_return_step_can_transition (KEFU_RETURN_STEP_COMPLETED,
                                                   KEFU_RETURN_STEP_REQUESTED));
  g_assert_false (kefu_return_step_can_transition (KEFU_RETURN_STEP_REJECTED,
                                                   KEFU_RETURN_STEP_APPROVED));
  g_assert_true (kefu_return_step_is_final (KEFU_RETURN_STEP_REJECTED));
  g_assert_false (kefu_return_step_is_final (KEFU_RETURN_STEP_INSPECTED));
  g_assert_true (kefu_return_step_from_string ("pickup_arranged", &step));
  g_assert_cmpint (step, ==, KEFU_RETURN_STEP_PICKUP_ARRANGED);
  g_assert_cmpstr (kefu_visit_status_to_string (KEFU_VISIT_STATUS_ARRIVED), ==, "arrived");
  g_assert_cmpstr (kefu_return_type_to_string (KEFU_RETURN_TYPE_PARTIAL_REFUND), ==,
                   "partial_refund");
  g_assert_null (kefu_return_type_to_string (KEFU_RETURN_TYPE_LAST));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ticket/round-trip/full", test_round_trip_full);
  g_test_add_func ("/ticket/round-trip/minimal", test_round_trip_minimal);
  g_test_add_func ("/ticket/json-shape", test_json_shape);
  g_test_add_func ("/ticket/equal-and-copy", test_equal_and_copy);
  g_test_add_func ("/ticket/ref-and-boxed", test_ref_and_boxed);
  g_test_add_func ("/ticket/event-json", test_event_json);
  g_test_add_func ("/ticket/decode-errors", test_decode_errors);
  g_test_add_func ("/ticket/times", test_times);
  g_test_add_func ("/ticket/times-match-glib", test_times_match_glib);
  g_test_add_func ("/ticket/mask-phone", test_mask_phone);
  g_test_add_func ("/ticket/user-ref", test_user_ref);
  g_test_add_func ("/ticket/after-sales/round-trip", test_after_sales_round_trip);
  g_test_add_func ("/ticket/after-sales/decode-errors", test_after_sales_decode_errors);
  g_test_add_func ("/ticket/after-sales/return-steps", test_return_steps);

  return g_test_run ();
}
