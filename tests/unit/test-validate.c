/* test-validate.c — validation of untrusted input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "kefu-error.h"
#include "kefu-validate.h"

/* "now" for the tests: 2026-11-23T08:30:00Z */
#define NOW (G_GINT64_CONSTANT (1795422600) * G_TIME_SPAN_SECOND)

static const char *good_intake =
  "{"
  "  \"channel\": \"phone\","
  "  \"category\": \"quality\","
  "  \"subcategory\": \"  无法开机 \","
  "  \"priority\": 1,"
  "  \"customer\": {"
  "    \"name\": \"\u3000王小明 \","
  "    \"phone\": \" 138-1234-5678 \","
  "    \"email\": \"\","
  "    \"code\": \"C1001\","
  "    \"order_no\": \"SO-88231\","
  "    \"product_model\": \"KX-200\","
  "    \"serial_no\": null,"
  "    \"purchase_date\": \"2026-05-02\","
  "    \"address\": \"上海市浦东新区\\n世纪大道 100 号\""
  "  },"
  "  \"description\": \"\\n 收到货后无法开机。\\n客户原话：“插上电没反应”。\\t \","
  "  \"submitted_at\": \"2026-11-23T15:00:00+08:00\","
  "  \"unknown_member\": [1, 2, 3],"
  "  \"status\": \"closed\""
  "}";

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static JsonObject *
object_at (JsonNode   *root,
           const char *name)
{
  JsonObject *object = json_node_get_object (root);

  return name == NULL ? object : json_object_get_object_member (object, name);
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);

  return g_string_free (s, FALSE);
}

static void
assert_field_error (const GError *error,
                    const char   *field,
                    const char   *message)
{
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (kefu_error_get_field (error), ==, field);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  else if (field != NULL)
    g_assert_nonnull (strstr (error->message, field));
}

/* Sets member @name of @object (or removes it when @value is NULL). */
static void
set_member (JsonObject *object,
            const char *name,
            JsonNode   *value)
{
  if (value == NULL)
    json_object_remove_member (object, name);
  else
    json_object_set_member (object, name, value);
}

static JsonNode *
string_node (const char *str)
{
  return json_node_init_string (json_node_alloc (), str);
}

/* Validates the good intake body with one member (of the body, or of "customer" when @in_customer)
 * replaced by @value and expects an error on @field. */
static void
assert_intake_fails (gboolean    in_customer,
                     const char *name,
                     JsonNode   *value,
                     const char *field,
                     const char *message)
{
  g_autoptr(JsonNode) body = parse (good_intake);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  set_member (object_at (body, in_customer ? "customer" : NULL), name, value);
  ticket = kefu_validate_intake (body, NOW, &error);
  if (ticket != NULL)
    g_error ("intake accepted a bad %s", field);
  assert_field_error (error, field, message);
}

static void
assert_intake_ok (gboolean    in_customer,
                  const char *name,
                  JsonNode   *value)
{
  g_autoptr(JsonNode) body = parse (good_intake);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) ticket = NULL;

  set_member (object_at (body, in_customer ? "customer" : NULL), name, value);
  ticket = kefu_validate_intake (body, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ticket);
}

#define JSON(text) parse (text)

static void
test_phone (void)
{
  static const char * const good[] = {
    "13812345678", "+86 138-1234-5678", "021-6123 4567", "12345", "12345678901234567890",
    "+8613812345678",
  };
  static const char * const bad[] = {
    "", "1234", "123456789012345678901", "+", "138+12345678", "138.1234.5678", "(010)12345678",
    "１３８１２３４５６７８", "13812345678x", "ext 123456", "++8613812345678", "13812345678\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      if (!kefu_validate_phone (good[i]))
        g_error ("rejected good phone \"%s\"", good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (kefu_validate_phone (bad[i]))
        g_error ("accepted bad phone \"%s\"", bad[i]);
    }
  g_assert_false (kefu_validate_phone (NULL));
}

static void
test_email (void)
{
  static const char * const good[] = {
    "a@b.co", "first.last+tag@sub.example.com", "x_y@e-x.cn", "O'Brien@example.ie",
    "user123@163.com",
  };
  static const char * const bad[] = {
    "", "plain", "foo@", "@example.com", "foo@bar", "foo@bar.c", "a b@c.com", "a@b@c.com",
    "a@b..com", "a..b@c.com", ".a@c.com", "a.@c.com", "a@-b.com", "a@b-.com", "a@b.c0m",
    "a@1.2.3.4", "a@.com", "a@b.com.", "王@例子.中国", "a@b_c.com", "a@b.com\n", "a(b)@c.com",
  };
  g_autofree char *local65 = repeat ("a", 65);
  g_autofree char *too_long_local = g_strconcat (local65, "@example.com", NULL);
  g_autofree char *label = repeat ("b", 60);
  g_autofree char *domain = g_strjoin (".", label, label, label, label, "com", NULL);
  g_autofree char *too_long = g_strconcat ("a@", domain, NULL);   /* 2 + 4 * 61 + 3 = 249 */
  g_autofree char *longer = g_strconcat ("abcdef@", domain, NULL); /* 254 */
  g_autofree char *longest = g_strconcat ("abcdefg@", domain, NULL); /* 255 */

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      if (!kefu_validate_email (good[i]))
        g_error ("rejected good email \"%s\"", good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (kefu_validate_email (bad[i]))
        g_error ("accepted bad email \"%s\"", bad[i]);
    }
  g_assert_false (kefu_validate_email (NULL));
  g_assert_false (kefu_validate_email (too_long_local));
  g_assert_true (kefu_validate_email (too_long));
  g_assert_cmpuint (strlen (longer), ==, 254);
  g_assert_true (kefu_validate_email (longer));
  g_assert_false (kefu_validate_email (longest));
}

static void
test_date (void)
{
  static const char * const good[] = { "2024-02-29", "2026-12-31", "2000-01-01", "2026-05-02" };
  static const char * const bad[] = {
    "", "2023-02-29", "2026-00-10", "2026-13-01", "2026-04-31", "2026-01-00", " 2026-01-01",
    "2026-01-01 ", "2026-01-01T00:00:00Z", "2026/05/02", "26-05-02", "2026-5-2", "abcd-ef-gh",
    "0000-01-01", "2026-1-012", "+026-01-01",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      if (!kefu_validate_date (good[i]))
        g_error ("rejected good date \"%s\"", good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (kefu_validate_date (bad[i]))
        g_error ("accepted bad date \"%s\"", bad[i]);
    }
  g_assert_false (kefu_validate_date (NULL));
}

static void
test_text (void)
{
  g_autofree char *cjk200 = repeat ("字", 200);
  g_autofree char *cjk201 = repeat ("字", 201);

  g_assert_true (kefu_validate_text ("", 10, FALSE));
  g_assert_true (kefu_validate_text ("hello", 5, FALSE));
  g_assert_false (kefu_validate_text ("hello!", 5, FALSE));
  /* Limits count characters, not bytes. */
  g_assert_true (kefu_validate_text (cjk200, KEFU_SHORT_TEXT_MAX_CHARS, FALSE));
  g_assert_false (kefu_validate_text (cjk201, KEFU_SHORT_TEXT_MAX_CHARS, FALSE));
  /* Newlines and tabs only in multi-line text. */
  g_assert_true (kefu_validate_text ("a\nb\tc\r\n", 100, TRUE));
  g_assert_false (kefu_validate_text ("a\nb", 100, FALSE));
  g_assert_false (kefu_validate_text ("a\tb", 100, FALSE));
  /* Other control characters never. */
  g_assert_false (kefu_validate_text ("a\x01" "b", 100, TRUE));
  g_assert_false (kefu_validate_text ("a\x1b[31m", 100, TRUE));
  g_assert_false (kefu_validate_text ("a\x7f", 100, TRUE));
  g_assert_false (kefu_validate_text ("a\xc2\x85", 100, TRUE));  /* U+0085 NEL */
  /* Invalid UTF-8. */
  g_assert_false (kefu_validate_text ("a\xff", 100, TRUE));
  g_assert_false (kefu_validate_text ("\xe5\xad", 100, TRUE));   /* truncated 字 */
  g_assert_false (kefu_validate_text ("\xed\xa0\x80", 100, TRUE)); /* surrogate */
  g_assert_false (kefu_validate_text (NULL, 100, TRUE));
}

/* The characters that reorder display (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) are
 * refused in every field, single- or multi-line; a carriage return only before a line feed;
 * the line and paragraph separators only in multi-line text. Their neighbours pass. */
static void
test_text_bidi (void)
{
  static const char * const bidi[] = {
    "\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
  };
  static const char * const allowed[] = {
    "\u061b", "\u200d", "\u2010", "\u2029" /* multi-line only */, "\u202f", "\u2065",
    "\u206a", "\u3000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bidi); i++)
    {
      g_autofree char *name = g_strconcat (bidi[i], "gnp.exe", NULL);
      g_autofree char *middle = g_strconcat ("王", bidi[i], "小明", NULL);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (kefu_text_check (name, 200, FALSE), ==, KEFU_TEXT_BIDI);
      g_assert_cmpint (kefu_text_check (middle, 200, TRUE), ==, KEFU_TEXT_BIDI);
      g_assert_false (kefu_validate_text (middle, 200, TRUE));
      g_assert_false (kefu_validate_text_field (name, "name", 200, FALSE, &error));
      g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
      g_assert_cmpstr (kefu_error_get_field (error), ==, "name");
      g_assert_cmpstr (error->message, ==,
                       "name contains bidirectional formatting characters");
    }

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autofree char *text = g_strconcat ("a", allowed[i], "b", NULL);

      g_assert_true (kefu_validate_text (text, 200, TRUE));
    }

  /* Line ends. */
  g_assert_cmpint (kefu_text_check ("a\rb", 100, TRUE), ==, KEFU_TEXT_CONTROL);
  g_assert_cmpint (kefu_text_check ("a\r", 100, TRUE), ==, KEFU_TEXT_CONTROL);
  g_assert_cmpint (kefu_text_check ("a\r\nb", 100, TRUE), ==, KEFU_TEXT_OK);
  g_assert_cmpint (kefu_text_check ("a\r\nb", 100, FALSE), ==, KEFU_TEXT_CONTROL);
  g_assert_cmpint (kefu_text_check ("a\u2028b", 100, FALSE), ==, KEFU_TEXT_CONTROL);
  g_assert_cmpint (kefu_text_check ("a\u2028b", 100, TRUE), ==, KEFU_TEXT_OK);
  g_assert_cmpint (kefu_text_check ("a\u2029b", 100, FALSE), ==, KEFU_TEXT_CONTROL);
  /* DEL and C1 in single-line text too. */
  g_assert_cmpint (kefu_text_check ("a\x7f", 100, FALSE), ==, KEFU_TEXT_CONTROL);
  g_assert_cmpint (kefu_text_check ("a\xc2\x80", 100, FALSE), ==, KEFU_TEXT_CONTROL);
  g_assert_cmpint (kefu_text_check ("a\xc2\x9f", 100, FALSE), ==, KEFU_TEXT_CONTROL);
  g_assert_cmpint (kefu_text_check ("a\xc2\xa0", 100, FALSE), ==, KEFU_TEXT_OK);  /* NBSP */

  /* An absent optional field passes; a problem names the field. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (kefu_validate_text_field (NULL, "note", 10, TRUE, NULL));
    g_assert_false (kefu_validate_text_field ("0123456789a", "note", 10, TRUE, &error));
    g_assert_cmpstr (kefu_error_get_field (error), ==, "note");
    g_assert_cmpstr (error->message, ==, "note is too long (at most 10 characters)");
  }
}

/* Intake and patch refuse bidi controls in every text member, naming it, and keep the
 * description exactly as sent. */
static void
test_intake_bidi (void)
{
  static const struct {
    gboolean    in_customer;
    const char *name;
    const char *field;
  } members[] = {
    { TRUE, "name", "customer.name" },
    { TRUE, "code", "customer.code" },
    { TRUE, "order_no", "customer.order_no" },
    { TRUE, "product_model", "customer.product_model" },
    { TRUE, "serial_no", "customer.serial_no" },
    { TRUE, "address", "customer.address" },
    { FALSE, "subcategory", "subcategory" },
    { FALSE, "description", "description" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      assert_intake_fails (members[i].in_customer, members[i].name,
                           string_node ("ab\u202ecd"), members[i].field, NULL);
      assert_intake_fails (members[i].in_customer, members[i].name,
                           string_node ("ab\u2067cd"), members[i].field, NULL);
    }
  /* Phone and e-mail have shapes of their own that leave no room for them either. */
  assert_intake_fails (TRUE, "phone", string_node ("\u202e13812345678"), "customer.phone",
                       NULL);
  assert_intake_fails (TRUE, "email", string_node ("li\u200e@example.com"), "customer.email",
                       NULL);

  {
    g_autoptr(JsonNode) body = parse (good_intake);
    g_autoptr(KefuTicket) ticket = kefu_validate_intake (body, NOW, NULL);
    g_autoptr(JsonNode) patch = parse ("{\"customer\":{\"name\":\"\u202egnp.exe\"}}");
    g_autoptr(GError) error = NULL;

    g_assert_nonnull (ticket);
    g_assert_false (kefu_validate_patch (patch, ticket, NULL, &error));
    g_assert_cmpstr (kefu_error_get_field (error), ==, "customer.name");
    g_assert_cmpstr (ticket->customer.name, ==, "王小明");
  }
}

static void
test_intake_good (void)
{
  g_autoptr(JsonNode) body = parse (good_intake);
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) t = kefu_validate_intake (body, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  g_assert_cmpint (t->channel, ==, KEFU_CHANNEL_PHONE);
  g_assert_cmpint (t->stage, ==, KEFU_STAGE_AFTER_SALE);    /* the default */
  g_assert_cmpint (t->category, ==, KEFU_CATEGORY_QUALITY);
  g_assert_cmpstr (t->subcategory, ==, "无法开机");
  g_assert_cmpint (t->priority, ==, 1);
  g_assert_cmpstr (t->customer.name, ==, "王小明");          /* ideographic space trimmed */
  g_assert_cmpstr (t->customer.phone, ==, "138-1234-5678");
  g_assert_null (t->customer.email);                         /* "" → NULL */
  g_assert_cmpstr (t->customer.code, ==, "C1001");
  g_assert_cmpstr (t->customer.order_no, ==, "SO-88231");
  g_assert_cmpstr (t->customer.product_model, ==, "KX-200");
  g_assert_null (t->customer.serial_no);
  g_assert_cmpstr (t->customer.purchase_date, ==, "2026-05-02");
  g_assert_cmpstr (t->customer.address, ==, "上海市浦东新区\n世纪大道 100 号");
  /* The customer's words verbatim: the description is not trimmed. */
  g_assert_cmpstr (t->description, ==, "\n 收到货后无法开机。\n客户原话：“插上电没反应”。\t ");
  g_assert_cmpint (t->submitted_at, ==, NOW - 90 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (t->status, ==, KEFU_STATUS_NEW);          /* "status" is not an intake field */
  g_assert_null (t->number);
  g_assert_null (t->events);
}

static void
test_intake_minimal (void)
{
  g_autoptr(JsonNode) body = parse ("{\"channel\":\"email\",\"stage\":\"pre_sale\","
                                    "\"category\":\"consultation\",\"priority\":4,"
                                    "\"customer\":{\"name\":\"Li\",\"email\":\"li@example.com\"},"
                                    "\"description\":\"How do I descale it?\","
                                    "\"submitted_at\":\"2026-11-23T08:34:59Z\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTicket) t = kefu_validate_intake (body, NOW, &error);

  g_assert_no_error (error);
  g_assert_cmpint (t->channel, ==, KEFU_CHANNEL_EMAIL);
  g_assert_cmpint (t->stage, ==, KEFU_STAGE_PRE_SALE);
  g_assert_cmpint (t->category, ==, KEFU_CATEGORY_CONSULTATION);
  g_assert_cmpint (t->priority, ==, 4);
  g_assert_null (t->subcategory);
  g_assert_null (t->customer.phone);
  g_assert_cmpstr (t->customer.email, ==, "li@example.com");
  g_assert_null (t->customer.address);
  g_assert_cmpint (t->submitted_at, ==, NOW + 299 * G_TIME_SPAN_SECOND);
}

static void
test_intake_body (void)
{
  static const char * const bodies[] = { "[]", "\"ticket\"", "42", "null", "true" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) body = parse (bodies[i]);

      g_assert_null (kefu_validate_intake (body, NOW, &error));
      assert_field_error (error, NULL, "the request body must be a JSON object");
      g_clear_error (&error);
    }

  g_assert_null (kefu_validate_intake (NULL, NOW, &error));
  assert_field_error (error, NULL, NULL);
}

static void
test_intake_enums (void)
{
  assert_intake_fails (FALSE, "channel", NULL, "channel", "channel is required");
  assert_intake_fails (FALSE, "channel", JSON ("null"), "channel", "channel is required");
  assert_intake_fails (FALSE, "channel", JSON ("1"), "channel", NULL);
  assert_intake_fails (FALSE, "channel", JSON ("\"fax\""), "channel",
                       "channel must be one of phone, online, email, web_form, social, platform, "
                       "app, onsite");
  assert_intake_fails (FALSE, "channel", JSON ("\"Phone\""), "channel", NULL);
  assert_intake_fails (FALSE, "channel", JSON ("[\"phone\"]"), "channel", NULL);
  assert_intake_fails (FALSE, "stage", JSON ("\"during\""), "stage", NULL);
  assert_intake_fails (FALSE, "stage", JSON ("{}"), "stage", NULL);
  assert_intake_ok (FALSE, "stage", JSON ("null"));
  assert_intake_ok (FALSE, "stage", JSON ("\"in_sale\""));
  assert_intake_fails (FALSE, "category", NULL, "category", "category is required");
  assert_intake_fails (FALSE, "category", JSON ("\"misc\""), "category", NULL);
  assert_intake_ok (FALSE, "channel", JSON ("\"web_form\""));
}

static void
test_intake_priority (void)
{
  static const char * const bad[] = { "0", "5", "-1", "1.5", "1.0", "\"1\"", "\"P1\"", "true",
                                      "[1]", "9223372036854775807" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_intake_fails (FALSE, "priority", JSON (bad[i]), "priority",
                         "priority must be an integer from 1 to 4");
  assert_intake_fails (FALSE, "priority", NULL, "priority", "priority is required");
  assert_intake_fails (FALSE, "priority", JSON ("null"), "priority", "priority is required");
  assert_intake_ok (FALSE, "priority", JSON ("4"));
}

static void
test_intake_text (void)
{
  g_autofree char *cjk_max = repeat ("字", KEFU_DESCRIPTION_MAX_CHARS);
  g_autofree char *cjk_over = repeat ("字", KEFU_DESCRIPTION_MAX_CHARS + 1);
  g_autofree char *short_max = repeat ("é", KEFU_SHORT_TEXT_MAX_CHARS);
  g_autofree char *short_over = repeat ("é", KEFU_SHORT_TEXT_MAX_CHARS + 1);
  g_autofree char *long_max = repeat ("路", KEFU_LONG_TEXT_MAX_CHARS);
  g_autofree char *long_over = repeat ("路", KEFU_LONG_TEXT_MAX_CHARS + 1);
  g_autofree char *padded_max = g_strconcat ("   ", short_max, " \n", NULL);

  /* description: required, multi-line, ≤ 10000 characters */
  assert_intake_fails (FALSE, "description", NULL, "description", "description is required");
  assert_intake_fails (FALSE, "description", JSON ("null"), "description",
                       "description is required");
  assert_intake_fails (FALSE, "description", JSON ("\"\""), "description",
                       "description is required");
  assert_intake_fails (FALSE, "description", JSON ("\" \\n\\t \\u3000 \""), "description",
                       "description is required");
  assert_intake_fails (FALSE, "description", JSON ("42"), "description",
                       "description must be a string");
  assert_intake_fails (FALSE, "description", JSON ("{\"text\":\"x\"}"), "description", NULL);
  assert_intake_fails (FALSE, "description", string_node (cjk_over), "description",
                       "description is too long (at most 10000 characters)");
  assert_intake_ok (FALSE, "description", string_node (cjk_max));
  assert_intake_fails (FALSE, "description", JSON ("\"bell \\u0007\""), "description",
                       "description contains control characters");
  /* (A "\u0000" escape never reaches this layer intact: json-glib 1.6 cuts the string there.) */
  assert_intake_fails (FALSE, "description", JSON ("\"escape \\u001b[2J\""), "description",
                       NULL);
  assert_intake_fails (FALSE, "description", string_node ("bad \xff\xfe bytes"), "description",
                       "description is not valid UTF-8");
  assert_intake_fails (FALSE, "description", string_node ("C1 \xc2\x9b control"), "description",
                       "description contains control characters");

  /* short text: one line, ≤ 200 characters, optional */
  assert_intake_fails (FALSE, "subcategory", JSON ("123"), "subcategory",
                       "subcategory must be a string");
  assert_intake_fails (FALSE, "subcategory", string_node (short_over), "subcategory",
                       "subcategory is too long (at most 200 characters)");
  assert_intake_ok (FALSE, "subcategory", string_node (short_max));
  assert_intake_ok (FALSE, "subcategory", string_node (padded_max));   /* limit after trim */
  assert_intake_ok (FALSE, "subcategory", JSON ("null"));
  assert_intake_fails (FALSE, "subcategory", JSON ("\"two\\nlines\""), "subcategory",
                       "subcategory contains control characters");
  assert_intake_fails (TRUE, "code", JSON ("\"C\\u00011001\""), "customer.code",
                       "customer.code contains control characters");
  assert_intake_fails (TRUE, "order_no", JSON ("[]"), "customer.order_no",
                       "customer.order_no must be a string");
  assert_intake_fails (TRUE, "product_model", string_node (short_over), "customer.product_model",
                       NULL);
  assert_intake_fails (TRUE, "serial_no", string_node ("\xc0\xaf"), "customer.serial_no",
                       "customer.serial_no is not valid UTF-8");
  assert_intake_fails (TRUE, "name", JSON ("\"王\\t小明\""), "customer.name", NULL);

  /* address: long text, multi-line */
  assert_intake_ok (TRUE, "address", string_node (long_max));
  assert_intake_fails (TRUE, "address", string_node (long_over), "customer.address",
                       "customer.address is too long (at most 4000 characters)");
  assert_intake_fails (TRUE, "address", JSON ("\"a\\u0008b\""), "customer.address", NULL);
}

static void
test_intake_customer (void)
{
  assert_intake_fails (FALSE, "customer", NULL, "customer.name", "customer.name is required");
  assert_intake_fails (FALSE, "customer", JSON ("null"), "customer.name", NULL);
  assert_intake_fails (FALSE, "customer", JSON ("\"王小明\""), "customer",
                       "customer must be an object");
  assert_intake_fails (FALSE, "customer", JSON ("[]"), "customer", NULL);
  assert_intake_fails (FALSE, "customer", JSON ("{\"phone\":\"13812345678\"}"), "customer.name",
                       "customer.name is required");
  assert_intake_fails (FALSE, "customer", JSON ("{\"name\":\"王\"}"), "customer.phone",
                       "customer.phone or customer.email is required");
  assert_intake_fails (FALSE, "customer", JSON ("{\"name\":\"王\",\"phone\":\" \",\"email\":null}"),
                       "customer.phone", "customer.phone or customer.email is required");
  assert_intake_ok (FALSE, "customer", JSON ("{\"name\":\"王\",\"email\":\"w@example.com\"}"));
  assert_intake_ok (FALSE, "customer", JSON ("{\"name\":\"王\",\"phone\":\"+86 13812345678\"}"));

  assert_intake_fails (TRUE, "name", NULL, "customer.name", "customer.name is required");
  assert_intake_fails (TRUE, "name", JSON ("\"   \""), "customer.name",
                       "customer.name is required");
  assert_intake_fails (TRUE, "name", JSON ("7"), "customer.name", "customer.name must be a string");

  assert_intake_fails (TRUE, "phone", JSON ("\"abc\""), "customer.phone",
                       "customer.phone is not a valid phone number");
  assert_intake_fails (TRUE, "phone", JSON ("\"1234\""), "customer.phone", NULL);
  assert_intake_fails (TRUE, "phone", JSON ("\"1234567890123456789012\""), "customer.phone",
                       NULL);
  assert_intake_fails (TRUE, "phone", JSON ("13812345678"), "customer.phone",
                       "customer.phone must be a string");

  assert_intake_fails (TRUE, "email", JSON ("\"wang@\""), "customer.email",
                       "customer.email is not a valid email address");
  assert_intake_fails (TRUE, "email", JSON ("\"wang at example.com\""), "customer.email", NULL);
  assert_intake_fails (TRUE, "email", JSON ("true"), "customer.email", NULL);
  assert_intake_ok (TRUE, "email", JSON ("\" wang@example.com \""));

  assert_intake_fails (TRUE, "purchase_date", JSON ("\"2026-02-30\""), "customer.purchase_date",
                       "customer.purchase_date is not a valid date (YYYY-MM-DD)");
  assert_intake_fails (TRUE, "purchase_date", JSON ("\"2026/05/02\""), "customer.purchase_date",
                       NULL);
  assert_intake_fails (TRUE, "purchase_date", JSON ("20260502"), "customer.purchase_date", NULL);
  assert_intake_ok (TRUE, "purchase_date", JSON ("\"\""));
  assert_intake_ok (TRUE, "purchase_date", JSON ("null"));
}

static void
test_intake_submitted_at (void)
{
  assert_intake_fails (FALSE, "submitted_at", NULL, "submitted_at", "submitted_at is required");
  assert_intake_fails (FALSE, "submitted_at", JSON ("null"), "submitted_at", NULL);
  assert_intake_fails (FALSE, "submitted_at", JSON ("\"tomorrow\""), "submitted_at", NULL);
  assert_intake_fails (FALSE, "submitted_at", JSON ("\"2026-11-23\""), "submitted_at", NULL);
  assert_intake_fails (FALSE, "submitted_at", JSON ("1795422600"), "submitted_at", NULL);
  assert_intake_fails (FALSE, "submitted_at", JSON ("\"2026-11-23T08:35:01Z\""), "submitted_at",
                       "submitted_at may not be in the future");
  assert_intake_fails (FALSE, "submitted_at", JSON ("\"2027-01-01T00:00:00Z\""), "submitted_at",
                       NULL);
  assert_intake_fails (FALSE, "submitted_at", JSON ("\"1999-12-31T23:59:59Z\""), "submitted_at",
                       "submitted_at may not be before the year 2000");
  assert_intake_ok (FALSE, "submitted_at", JSON ("\"2000-01-01T00:00:00Z\""));
  assert_intake_ok (FALSE, "submitted_at", JSON ("\"2026-11-23T08:35:00Z\""));
  assert_intake_ok (FALSE, "submitted_at", JSON ("\"2026-11-23T16:34:00.5+08:00\""));
}

static KefuTicket *
make_ticket (void)
{
  g_autoptr(JsonNode) body = parse (good_intake);
  g_autoptr(GError) error = NULL;
  KefuTicket *t = kefu_validate_intake (body, NOW, &error);

  g_assert_no_error (error);
  t->customer.email = g_strdup ("wang@example.com");
  t->status = KEFU_STATUS_ASSIGNED;

  return t;
}

static void
assert_changed (GStrv         changed,
                const char   *first,
                ...)
{
  va_list args;
  guint i = 0;

  g_assert_nonnull (changed);
  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      g_assert_cmpstr (changed[i], ==, name);
      i++;
    }
  va_end (args);
  g_assert_cmpstr (changed[i], ==, NULL);
}

static void
test_patch_apply (void)
{
  g_autoptr(KefuTicket) t = make_ticket ();
  g_autoptr(KefuTicket) before = kefu_ticket_copy (t);
  g_autoptr(JsonNode) body = parse ("{\"priority\":2,\"channel\":\"phone\",\"stage\":\"in_sale\","
                                    "\"subcategory\":\"\",\"category\":\"logistics\","
                                    "\"customer\":{\"phone\":null,\"email\":\" new@example.com \","
                                    "\"name\":\"王小明\",\"serial_no\":\" SN-1 \","
                                    "\"address\":null},"
                                    "\"description\":\"\\n 收到货后无法开机。\\n客户原话：“插上电没反应”。\\t \","
                                    "\"status\":\"closed\",\"number\":\"FW1\",\"version\":99}");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) changed = NULL;

  g_assert_true (kefu_validate_patch (body, t, &changed, &error));
  g_assert_no_error (error);
  assert_changed (changed, "stage", "category", "subcategory", "priority", "customer.phone",
                  "customer.email", "customer.serial_no", "customer.address", NULL);
  g_assert_cmpint (t->channel, ==, KEFU_CHANNEL_PHONE);
  g_assert_cmpint (t->stage, ==, KEFU_STAGE_IN_SALE);
  g_assert_cmpint (t->category, ==, KEFU_CATEGORY_LOGISTICS);
  g_assert_null (t->subcategory);
  g_assert_cmpint (t->priority, ==, 2);
  g_assert_cmpstr (t->customer.name, ==, "王小明");
  g_assert_null (t->customer.phone);
  g_assert_cmpstr (t->customer.email, ==, "new@example.com");
  g_assert_cmpstr (t->customer.serial_no, ==, "SN-1");
  g_assert_null (t->customer.address);
  g_assert_cmpstr (t->customer.code, ==, before->customer.code);   /* absent: untouched */
  g_assert_cmpstr (t->description, ==, before->description);
  /* Not editable through PATCH: ignored. */
  g_assert_cmpint (t->status, ==, KEFU_STATUS_ASSIGNED);
  g_assert_null (t->number);
  g_assert_cmpint (t->version, ==, 0);
}

static void
test_patch_noop (void)
{
  g_autoptr(KefuTicket) t = make_ticket ();
  g_autoptr(KefuTicket) before = kefu_ticket_copy (t);
  g_autoptr(JsonNode) empty = parse ("{}");
  g_autoptr(JsonNode) same = parse ("{\"priority\":1,\"channel\":\"phone\","
                                    "\"subcategory\":\"无法开机\","
                                    "\"customer\":{\"name\":\" 王小明\",\"serial_no\":null}}");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) changed = NULL;
  g_auto(GStrv) changed_same = NULL;

  g_assert_true (kefu_validate_patch (empty, t, &changed, &error));
  g_assert_no_error (error);
  assert_changed (changed, NULL);
  g_assert_true (kefu_ticket_equal (t, before));

  g_assert_true (kefu_validate_patch (same, t, &changed_same, &error));
  g_assert_no_error (error);
  assert_changed (changed_same, NULL);
  g_assert_true (kefu_ticket_equal (t, before));

  /* changed_fields may be NULL. */
  g_assert_true (kefu_validate_patch (same, t, NULL, &error));
  g_assert_no_error (error);
}

/* Applies @json to a fresh ticket, expects failure on @field and no change at all. */
static void
assert_patch_fails (const char *json,
                    const char *field,
                    const char *message)
{
  g_autoptr(KefuTicket) t = make_ticket ();
  g_autoptr(KefuTicket) before = kefu_ticket_copy (t);
  g_autoptr(JsonNode) body = parse (json);
  g_autoptr(GError) error = NULL;
  GStrv changed = (GStrv) 0x1;

  if (kefu_validate_patch (body, t, &changed, &error))
    g_error ("patch %s was accepted", json);
  assert_field_error (error, field, message);
  g_assert_null (changed);
  g_assert_true (kefu_ticket_equal (t, before));
}

static void
test_patch_errors (void)
{
  assert_patch_fails ("[]", NULL, "the request body must be a JSON object");
  assert_patch_fails ("null", NULL, NULL);
  /* Earlier valid members are not applied when a later one fails. */
  assert_patch_fails ("{\"priority\":3,\"channel\":\"fax\"}", "channel", NULL);
  assert_patch_fails ("{\"priority\":3,\"description\":\"\"}", "description",
                      "description is required");
  assert_patch_fails ("{\"subcategory\":\"new\",\"customer\":{\"email\":\"bad\"}}",
                      "customer.email", "customer.email is not a valid email address");
  assert_patch_fails ("{\"channel\":null}", "channel", "channel is required");
  assert_patch_fails ("{\"stage\":null}", "stage", "stage is required");
  assert_patch_fails ("{\"category\":7}", "category", NULL);
  assert_patch_fails ("{\"priority\":null}", "priority", "priority is required");
  assert_patch_fails ("{\"priority\":\"2\"}", "priority",
                      "priority must be an integer from 1 to 4");
  assert_patch_fails ("{\"description\":null}", "description", "description is required");
  assert_patch_fails ("{\"description\":\"ok\",\"customer\":null}", "customer",
                      "customer must be an object");
  assert_patch_fails ("{\"customer\":{\"name\":null}}", "customer.name",
                      "customer.name is required");
  assert_patch_fails ("{\"customer\":{\"name\":\"\\u3000\"}}", "customer.name", NULL);
  assert_patch_fails ("{\"customer\":{\"phone\":null,\"email\":null}}", "customer.phone",
                      "customer.phone or customer.email is required");
  assert_patch_fails ("{\"customer\":{\"phone\":\"12\"}}", "customer.phone",
                      "customer.phone is not a valid phone number");
  assert_patch_fails ("{\"customer\":{\"purchase_date\":\"2026-02-29\"}}",
                      "customer.purchase_date", NULL);
  assert_patch_fails ("{\"customer\":{\"code\":\"a\\nb\"}}", "customer.code", NULL);
}

static void
test_patch_contact (void)
{
  g_autoptr(KefuTicket) t = make_ticket ();
  g_autoptr(JsonNode) clear_phone = parse ("{\"customer\":{\"phone\":null}}");
  g_autoptr(JsonNode) clear_email = parse ("{\"customer\":{\"email\":\"\"}}");
  g_autoptr(JsonNode) description = parse ("{\"description\":\"更新描述\"}");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) changed = NULL;
  g_auto(GStrv) changed2 = NULL;

  /* Clearing one contact is fine while the other remains … */
  g_assert_true (kefu_validate_patch (clear_phone, t, &changed, &error));
  g_assert_no_error (error);
  assert_changed (changed, "customer.phone", NULL);
  g_assert_null (t->customer.phone);

  /* … but not the last one. */
  g_assert_false (kefu_validate_patch (clear_email, t, NULL, &error));
  assert_field_error (error, "customer.phone", NULL);
  g_clear_error (&error);
  g_assert_cmpstr (t->customer.email, ==, "wang@example.com");

  /* A legacy ticket without any contact can still be edited elsewhere. */
  g_clear_pointer (&t->customer.email, g_free);
  g_assert_true (kefu_validate_patch (description, t, &changed2, &error));
  g_assert_no_error (error);
  assert_changed (changed2, "description", NULL);
  g_assert_cmpstr (t->description, ==, "更新描述");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/phone", test_phone);
  g_test_add_func ("/validate/email", test_email);
  g_test_add_func ("/validate/date", test_date);
  g_test_add_func ("/validate/text", test_text);
  g_test_add_func ("/validate/text-bidi", test_text_bidi);
  g_test_add_func ("/validate/intake/bidi", test_intake_bidi);
  g_test_add_func ("/validate/intake/good", test_intake_good);
  g_test_add_func ("/validate/intake/minimal", test_intake_minimal);
  g_test_add_func ("/validate/intake/body", test_intake_body);
  g_test_add_func ("/validate/intake/enums", test_intake_enums);
  g_test_add_func ("/validate/intake/priority", test_intake_priority);
  g_test_add_func ("/validate/intake/text", test_intake_text);
  g_test_add_func ("/validate/intake/customer", test_intake_customer);
  g_test_add_func ("/validate/intake/submitted-at", test_intake_submitted_at);
  g_test_add_func ("/validate/patch/apply", test_patch_apply);
  g_test_add_func ("/validate/patch/noop", test_patch_noop);
  g_test_add_func ("/validate/patch/errors", test_patch_errors);
  g_test_add_func ("/validate/patch/contact", test_patch_contact);

  return g_test_run ();
}
