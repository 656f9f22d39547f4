/* test-json-mask.c — masking phone numbers in stored ticket text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kefu-json-mask.h"
#include "kefu-ticket.h"

static KefuTicket *
sample_ticket (const char *phone,
               const char *description)
{
  KefuTicket *t = kefu_ticket_new ();

  t->number = g_strdup ("FW20261123001");
  t->version = 3;
  t->priority = 2;
  t->customer.name = g_strdup ("王先生");
  t->customer.phone = g_strdup (phone);
  t->customer.email = g_strdup ("wang@example.com");
  t->description = g_strdup (description);
  t->submitted_at = t->registered_at = t->updated_at = G_GINT64_CONSTANT (1795420800) * G_USEC_PER_SEC;
  return t;
}

static char *
encode (KefuTicket   *t,
        KefuTicketJsonFlags flags)
{
  g_autoptr(JsonNode) node = kefu_ticket_to_json (t, flags);

  return json_to_string (node, FALSE);
}

/* The text path gives what encoding with the mask flag gives, value for value. */
static void
check_same_as_decoder (const char *phone,
                       const char *description)
{
  g_autoptr(KefuTicket) t = sample_ticket (phone, description);
  g_autofree char *stored = encode (t, KEFU_TICKET_JSON_DEFAULT);
  g_autofree char *expected = encode (t, KEFU_TICKET_JSON_MASK_PHONE);
  g_autoptr(GString) out = g_string_new ("prefix:");
  g_autoptr(JsonNode) got_node = NULL;
  g_autoptr(JsonNode) expected_node = NULL;

  g_assert_true (kefu_json_append_masked (out, stored, -1));
  g_assert_true (g_str_has_prefix (out->str, "prefix:"));
  got_node = json_from_string (out->str + strlen ("prefix:"), NULL);
  expected_node = json_from_string (expected, NULL);
  g_assert_nonnull (got_node);
  g_assert_true (json_node_equal (got_node, expected_node));
}

static void
test_mask_plain (void)
{
  g_autoptr(KefuTicket) t = sample_ticket ("13800005678", "开不了机");
  g_autofree char *stored = encode (t, KEFU_TICKET_JSON_DEFAULT);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (strstr (stored, "13800005678"));
  g_assert_true (kefu_json_append_masked (out, stored, -1));
  g_assert_null (strstr (out->str, "13800005678"));
  g_assert_nonnull (strstr (out->str, "\"phone\":\"138****5678\""));

  check_same_as_decoder ("13800005678", "开不了机");
  check_same_as_decoder ("+86 138-0000-5678", "x");
  check_same_as_decoder ("0571-8888", "short number");
}

static void
test_mask_null_phone (void)
{
  g_autoptr(KefuTicket) t = sample_ticket (NULL, "no phone, e-mail only");
  g_autofree char *stored = encode (t, KEFU_TICKET_JSON_DEFAULT);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_true (kefu_json_append_masked (out, stored, -1));
  g_assert_cmpstr (out->str, ==, stored);
}

/* The customer's own words may quote a "phone" member: that text is a string, not a member,
 * and stays as it was. */
static void
test_mask_description_untouched (void)
{
  const char *words = "客户说 \"phone\":\"13912345678\" 写在纸上";
  g_autoptr(KefuTicket) t = sample_ticket ("13800005678", words);
  g_autofree char *stored = encode (t, KEFU_TICKET_JSON_DEFAULT);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_true (kefu_json_append_masked (out, stored, -1));
  node = json_from_string (out->str, NULL);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, words);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                  "customer"),
                                                  "phone"), ==, "138****5678");
  check_same_as_decoder ("13800005678", words);
}

/* An escape inside the value is left to the decoder: FALSE, nothing appended. */
static void
test_mask_escape_refused (void)
{
  const char *text = "{\"customer\":{\"phone\":\"138\\u00300005678\"}}";
  g_autoptr(GString) out = g_string_new ("keep");

  g_assert_false (kefu_json_append_masked (out, text, -1));
  g_assert_cmpstr (out->str, ==, "keep");
}

/* A name that ends in "phone after an escaped quote is another member: left alone, while the
 * real one next to it is masked (found by fuzz-json-mask). */
static void
test_mask_escaped_quote_name (void)
{
  const char *text = "{\"a\\\"phone\":\"13800001111\",\"b\\\\\":1,"
                     "\"phone\":\"13900002222\"}";
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_true (kefu_json_append_masked (out, text, -1));
  g_assert_cmpstr (out->str, ==, "{\"a\\\"phone\":\"13800001111\",\"b\\\\\":1,"
                                 "\"phone\":\"139****2222\"}");
}

/* Every member named phone is masked, and a length shorter than the text is honoured. */
static void
test_mask_many_and_length (void)
{
  const char *text = "[{\"phone\":\"13800001111\"},{\"phone\":\"13900002222\"}]TRAILING";
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_true (kefu_json_append_masked (out, text, strlen (text) - strlen ("TRAILING")));
  g_assert_cmpstr (out->str, ==, "[{\"phone\":\"138****1111\"},{\"phone\":\"139****2222\"}]");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-mask/plain", test_mask_plain);
  g_test_add_func ("/json-mask/null-phone", test_mask_null_phone);
  g_test_add_func ("/json-mask/description-untouched", test_mask_description_untouched);
  g_test_add_func ("/json-mask/escape-refused", test_mask_escape_refused);
  g_test_add_func ("/json-mask/many-and-length", test_mask_many_and_length);
  g_test_add_func ("/json-mask/escaped-quote-name", test_mask_escaped_quote_name);

  return g_test_run ();
}
