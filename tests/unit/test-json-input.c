/* test-json-input.c — the depth and token check in front of json-glib, and integer members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-error.h"
#include "kefu-json-input.h"

/* @n '[' then @n ']' */
static char *
nested (guint n)
{
  char *s = g_malloc (2 * n + 1);

  memset (s, '[', n);
  memset (s + n, ']', n);
  s[2 * n] = '\0';
  return s;
}

static void
assert_ok (const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!kefu_json_check (text, strlen (text), &error))
    g_error ("%s: refused: %s", text, error->message);
}

static void
assert_refused (const char    *text,
                KefuErrorCode  code,
                const char    *field)
{
  g_autoptr(GError) error = NULL;

  if (kefu_json_check (text, strlen (text), &error))
    g_error ("%s: accepted", text);
  g_assert_error (error, KEFU_ERROR, (int) code);
  g_assert_cmpstr (kefu_error_get_field (error), ==, field);
}

static JsonNode *
parse (const char  *text,
       GError     **error)
{
  return kefu_json_parse_bounded (text, strlen (text), error);
}

static void
test_depth (void)
{
  g_autofree char *at_limit = nested (KEFU_JSON_MAX_DEPTH);
  g_autofree char *over = nested (KEFU_JSON_MAX_DEPTH + 1);
  g_autofree char *huge = nested (100000);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_ok (at_limit);
  node = kefu_json_parse_bounded (at_limit, strlen (at_limit), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));

  assert_refused (over, KEFU_ERROR_BAD_JSON, NULL);
  /* Only the opening brackets are read: json-glib never sees this. */
  g_assert_null (kefu_json_parse_bounded (huge, 100000, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
  g_assert_nonnull (strstr (error->message, "deeper than 64"));

  /* Objects count as much as arrays, and mixed nesting adds up. */
  {
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < 33; i++)
      g_string_append (s, "{\"a\":[");
    assert_refused (s->str, KEFU_ERROR_BAD_JSON, NULL);
    g_string_truncate (s, 0);
    for (guint i = 0; i < 32; i++)
      g_string_append (s, "{\"a\":[");
    for (guint i = 0; i < 32; i++)
      g_string_append (s, "]}");
    assert_ok (s->str);
    g_string_free (s, TRUE);
  }
}

/* Brackets inside strings do not count, however the quotes and backslashes around them are
 * arranged. */
static void
test_strings (void)
{
  g_autofree char *deep_in_string = NULL;
  g_autofree char *brackets = g_strnfill (1000, '[');

  deep_in_string = g_strdup_printf ("{\"a\":\"%s\"}", brackets);
  assert_ok (deep_in_string);
  assert_ok ("[\"\\\"[[[[\", \"\\\\\", \"]]]\\\"\"]");
  assert_ok ("{\"k[\":\"}\\\"{\"}");
  /* An escaped backslash ends before the quote: the quote closes the string, and the
   * brackets after it are structure (65 of them). */
  {
    g_autofree char *open = g_strnfill (64, '[');
    g_autofree char *s = g_strdup_printf ("[\"\\\\\",%s", open);

    assert_refused (s, KEFU_ERROR_BAD_JSON, NULL);
  }
  assert_refused ("[\"no end", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"ends in a backslash\\", KEFU_ERROR_BAD_JSON, NULL);
}

/* What json-glib accepts but JSON is not: it could hide a bracket or wrap an integer. */
static void
test_tokens (void)
{
  assert_ok ("{\"a\":[true,false,null,0,-0,1.5,-2e10,3E+2,4e-1]}");
  assert_ok (" \t\r\n{ \"a\" : 1 }\n");
  assert_refused ("['[[[[']", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[/* \" */ 1]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\":0x10}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\":010}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\":.5}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\":1.}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\":+1}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\":tru}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\":nullx}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("{a:1}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[1]]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[1}", KEFU_ERROR_BAD_JSON, NULL);
  /* One value: json-glib would read on, and leak every value but the last. */
  assert_ok ("{} \n");
  assert_refused ("{} {}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("false{\"a\":1}", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("1 2", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("\"a\"\"b\"", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[]]", KEFU_ERROR_BAD_JSON, NULL);
}

/* \u escapes must make UTF-8: json-glib turns a lone surrogate into bytes that are not. */
static void
test_escapes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_ok ("[\"\\u00e9\\u4E2D\\ud83d\\ude00\\n\\\"\"]");
  assert_refused ("[\"\\ud83d\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"\\ud83dx\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"\\ud83d\\u0041\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"\\ude00\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"\\u12\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"\\u12g4\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"abc\\", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"\\2\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_refused ("[\"\\x41\"]", KEFU_ERROR_BAD_JSON, NULL);
  assert_ok ("[\"\\/\\b\\f\\r\\t\"]");
  /* Member names are quoted in errors: the bytes are checked first. */
  assert_refused ("{\"\xff\":99999999999999999999}", KEFU_ERROR_BAD_JSON, NULL);

  node = parse ("\"\\ud83d\\ude00\"", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (node), ==, "\xf0\x9f\x98\x80");
}

static void
test_integer_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_ok ("{\"a\":9223372036854775807,\"b\":-9223372036854775808}");
  assert_refused ("{\"priority\":-18446744073709551615}", KEFU_ERROR_VALIDATION_FAILED,
                  "priority");
  assert_refused ("{\"a\":9223372036854775808}", KEFU_ERROR_VALIDATION_FAILED, "a");
  assert_refused ("{\"a\":-9223372036854775809}", KEFU_ERROR_VALIDATION_FAILED, "a");
  assert_refused ("{\"customer\":{\"name\":\"x\",\"age\":99999999999999999999999}}",
                  KEFU_ERROR_VALIDATION_FAILED, "customer.age");
  assert_refused ("{\"targets\":[{\"priority\":1},{\"response\":{\"seconds\":1e3,"
                  "\"n\":[1,2,100000000000000000000]}}]}", KEFU_ERROR_VALIDATION_FAILED,
                  "targets[1].response.n[2]");
  assert_refused ("[1, 18446744073709551616]", KEFU_ERROR_VALIDATION_FAILED, "[1]");
  assert_refused ("18446744073709551616", KEFU_ERROR_VALIDATION_FAILED, NULL);
  /* Not integers: doubles are the reader's business. */
  assert_ok ("{\"a\":1e300,\"b\":184467440737095516160.5}");

  node = parse ("{\"a\":-9223372036854775808}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "a"), ==,
                   G_MININT64);
}

static void
test_parse_bounded (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse ("{\"a\":[1,{\"b\":\"[\"}]}", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  /* White space alone: no document, no error. */
  g_assert_null (parse ("  \n", &error));
  g_assert_no_error (error);

  g_assert_null (parse ("{\"a\":\xff}", &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
  g_clear_error (&error);
  g_assert_null (kefu_json_parse_bounded ("{\"a\":\"x\0\"}", 10, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
  g_clear_error (&error);
  /* The grammar is json-glib's to check. */
  g_assert_null (parse ("{\"a\":1,}", &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON);
}

static JsonObject *
object_of (JsonNode   **holder,
           const char  *text)
{
  g_autoptr(GError) error = NULL;

  *holder = kefu_json_parse_bounded (text, strlen (text), &error);
  g_assert_no_error (error);
  return json_node_get_object (*holder);
}

static void
test_read_int (void)
{
  g_autoptr(JsonNode) holder = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o = object_of (&holder, "{\"p\":2,\"big\":9000000000,\"f\":2.5,\"e\":1e300,"
                                      "\"whole\":2.0,\"s\":\"2\",\"b\":true,\"n\":null}");
  const char *not_integers[] = { "f", "e", "whole", "s", "b" };
  gboolean present = TRUE;
  gint64 v = -1;

  g_assert_true (kefu_json_read_int (o, "p", TRUE, 1, 4, &v, &present, &error));
  g_assert_no_error (error);
  g_assert_cmpint (v, ==, 2);
  g_assert_true (present);

  g_assert_false (kefu_json_read_int (o, "big", TRUE, 1, 4, &v, NULL, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (kefu_error_get_field (error), ==, "big");
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (not_integers); i++)
    {
      g_assert_false (kefu_json_read_int (o, not_integers[i], FALSE, 0, 10, &v, NULL, &error));
      g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
      g_assert_cmpstr (kefu_error_get_field (error), ==, not_integers[i]);
      g_clear_error (&error);
    }
  g_assert_cmpint (v, ==, 2);

  /* Absent or null: fine unless required; *out untouched. */
  g_assert_true (kefu_json_read_int (o, "n", FALSE, 0, 10, &v, &present, &error));
  g_assert_false (present);
  g_assert_true (kefu_json_read_int (o, "missing", FALSE, 0, 10, &v, NULL, &error));
  g_assert_cmpint (v, ==, 2);
  g_assert_false (kefu_json_read_int (o, "n", TRUE, 0, 10, &v, NULL, &error));
  g_assert_error (error, KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (kefu_error_get_field (error), ==, "n");
}

static void
test_parse_decimal (void)
{
  gint64 v = 0;

  g_assert_true (kefu_parse_decimal ("42", 1, 100, &v));
  g_assert_cmpint (v, ==, 42);
  g_assert_true (kefu_parse_decimal ("9223372036854775807", 0, G_MAXINT64, &v));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_false (kefu_parse_decimal ("9223372036854775808", 0, G_MAXINT64, &v));
  g_assert_false (kefu_parse_decimal ("99999999999999999999999", 0, G_MAXINT64, &v));
  g_assert_false (kefu_parse_decimal ("101", 1, 100, &v));
  g_assert_false (kefu_parse_decimal ("5", 1, 4, &v));
  g_assert_false (kefu_parse_decimal ("10", 1, 9, &v));
  g_assert_false (kefu_parse_decimal ("0", 1, 100, &v));
  g_assert_false (kefu_parse_decimal ("-1", 0, 100, &v));
  g_assert_false (kefu_parse_decimal ("+1", 0, 100, &v));
  g_assert_false (kefu_parse_decimal (" 1", 0, 100, &v));
  g_assert_false (kefu_parse_decimal ("1 ", 0, 100, &v));
  g_assert_false (kefu_parse_decimal ("", 0, 100, &v));
  g_assert_false (kefu_parse_decimal (NULL, 0, 100, &v));
  g_assert_cmpint (v, ==, G_MAXINT64);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-input/depth", test_depth);
  g_test_add_func ("/json-input/strings", test_strings);
  g_test_add_func ("/json-input/tokens", test_tokens);
  g_test_add_func ("/json-input/escapes", test_escapes);
  g_test_add_func ("/json-input/integer-range", test_integer_range);
  g_test_add_func ("/json-input/parse-bounded", test_parse_bounded);
  g_test_add_func ("/json-input/read-int", test_read_int);
  g_test_add_func ("/json-input/parse-decimal", test_parse_decimal);

  return g_test_run ();
}
