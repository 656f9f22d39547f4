/* kefu-json-input.c — JSON from untrusted bytes: bounded parsing and range-checked integers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The check is a tokenizer, not a parser: it tracks strings (with their escapes) exactly as
 * json-glib does, so that a bracket inside a string never counts and one outside always does.
 * For that it must refuse whatever json-glib's scanner would read differently from JSON —
 * comments and single-quoted strings could hide a quote from us, hexadecimal and octal
 * literals would escape the integer range check — so outside strings only the tokens of
 * RFC 8259 pass.
 */
#include "kefu-json-input.h"

#include <string.h>

#include "kefu-error.h"

typedef struct {
  gboolean    object;
  gboolean    expect_key;  /* objects: before a member name (after '{' or ',') */
  const char *key;         /* objects: the name of the member being read, raw */
  gsize       key_len;
  guint       index;       /* arrays: the element being read */
} Frame;

typedef struct {
  Frame frames[KEFU_JSON_MAX_DEPTH];
  guint depth;
} Scan;

/* "customer.phone", "targets[0].response.seconds"; NULL at the top level. */
static char *
scan_path (const Scan *scan)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < scan->depth; i++)
    {
      const Frame *f = &scan->frames[i];

      if (!f->object)
        g_string_append_printf (path, "[%u]", f->index);
      else if (f->key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, f->key, f->key_len);
        }
    }

  if (path->len == 0)
    {
      g_string_free (path, TRUE);
      return NULL;
    }
  return g_string_free (path, FALSE);
}

static gboolean
bad_char (const char  *data,
          gsize        at,
          GError     **error)
{
  guchar c = data[at];

  if (c >= 0x20 && c < 0x7f)
    g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                 "not valid JSON: unexpected '%c' at byte %" G_GSIZE_FORMAT, c, at);
  else
    g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                 "not valid JSON: unexpected byte 0x%02x at byte %" G_GSIZE_FORMAT, c, at);
  return FALSE;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-' || c == '_';
}

/* A number at @data[*at] by the grammar of RFC 8259; an integer must fit in gint64. */
static gboolean
scan_number (const Scan  *scan,
             const char  *data,
             gsize        len,
             gsize       *at,
             GError     **error)
{
  gsize i = *at;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  gboolean overflow = FALSE;
  guint64 magnitude = 0;
  const guint64 limit = (guint64) G_MAXINT64;

  if (data[i] == '-')
    {
      negative = TRUE;
      i++;
    }
  if (i >= len || !g_ascii_isdigit (data[i]))
    goto malformed;

  if (data[i] == '0')
    i++;
  else
    while (i < len && g_ascii_isdigit (data[i]))
      {
        guint digit = data[i] - '0';

        /* Past limit + 1 (the magnitude of G_MININT64) we only need to know that it is. */
        if (magnitude > (limit + 1 - digit) / 10)
          overflow = TRUE;
        else
          magnitude = magnitude * 10 + digit;
        i++;
      }

  if (i < len && data[i] == '.')
    {
      integer = FALSE;
      i++;
      if (i >= len || !g_ascii_isdigit (data[i]))
        goto malformed;
      while (i < len && g_ascii_isdigit (data[i]))
        i++;
    }
  if (i < len && (data[i] == 'e' || data[i] == 'E'))
    {
      integer = FALSE;
      i++;
      if (i < len && (data[i] == '+' || data[i] == '-'))
        i++;
      if (i >= len || !g_ascii_isdigit (data[i]))
        goto malformed;
      while (i < len && g_ascii_isdigit (data[i]))
        i++;
    }
  if (i < len && is_token_char (data[i]))
    goto malformed;   /* 0x10, 010, 1.5.2, 12abc */

  if (integer && (overflow || magnitude > limit + (negative ? 1 : 0)))
    {
      g_autofree char *field = scan_path (scan);

      kefu_set_field_error (error, field, "%s is out of range",
                            field != NULL ? field : "a number");
      return FALSE;
    }

  *at = i;
  return TRUE;

malformed:
  g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
               "not valid JSON: malformed number at byte %" G_GSIZE_FORMAT, *at);
  return FALSE;
}

static gint
hex4 (const char *p)
{
  gint value = 0;

  for (guint k = 0; k < 4; k++)
    {
      gint digit = g_ascii_xdigit_value (p[k]);

      if (digit < 0)
        return -1;
      value = value << 4 | digit;
    }
  return value;
}

/* The string opening at @data[*at]; *at moves past its closing quote. A \u escape must be
 * four hexadecimal digits, and a surrogate must be half of a pair: json-glib turns a lone one
 * into bytes that are not UTF-8, which would then be stored and sent as text. */
static gboolean
scan_string (const char  *data,
             gsize        len,
             gsize       *at,
             GError     **error)
{
  gsize j = *at + 1;

  while (j < len && data[j] != '"')
    {
      gint unit;

      if (data[j] != '\\')
        {
          j++;
          continue;
        }
      if (j + 1 >= len)
        {
          j = len;
          break;
        }
      if (data[j + 1] != 'u')
        {
          /* Only the escapes of JSON: json-glib's message for another one may quote half
           * a character. */
          if (strchr ("\"\\/bfnrt", data[j + 1]) == NULL || data[j + 1] == '\0')
            goto bad_escape;
          j += 2;
          continue;
        }
      unit = j + 6 <= len ? hex4 (data + j + 2) : -1;
      if (unit < 0)
        goto bad_escape;
      j += 6;
      if (unit >= 0xdc00 && unit <= 0xdfff)
        goto bad_escape;
      if (unit >= 0xd800 && unit <= 0xdbff)
        {
          gint low = j + 6 <= len && data[j] == '\\' && data[j + 1] == 'u'
                     ? hex4 (data + j + 2) : -1;

          if (low < 0xdc00 || low > 0xdfff)
            goto bad_escape;
          j += 6;
        }
    }
  if (j >= len)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "not valid JSON: a string does not end");
      return FALSE;
    }
  *at = j + 1;
  return TRUE;

bad_escape:
  g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
               "not valid JSON: bad escape at byte %" G_GSIZE_FORMAT, j);
  return FALSE;
}

static gboolean
scan_word (const char  *data,
           gsize        len,
           gsize       *at,
           GError     **error)
{
  static const char * const words[] = { "true", "false", "null" };
  gsize i = *at;

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      gsize n = strlen (words[w]);

      if (len - i >= n && memcmp (data + i, words[w], n) == 0 &&
          (i + n == len || !is_token_char (data[i + n])))
        {
          *at = i + n;
          return TRUE;
        }
    }
  return bad_char (data, i, error);
}

gboolean
kefu_json_check (const char  *data,
                 gsize        len,
                 GError     **error)
{
  Scan scan;
  const char *string = NULL;   /* the last string read, raw, for member names */
  gsize string_len = 0;
  gboolean done = FALSE;   /* the top-level value is complete: only white space may follow */
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  /* First: the errors below quote member names. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "not valid JSON: not UTF-8 text");
      return FALSE;
    }

  scan.depth = 0;
  while (i < len)
    {
      char c = data[i];
      Frame *top = scan.depth > 0 ? &scan.frames[scan.depth - 1] : NULL;

      switch (c)
        {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          i++;
          break;

        case '"':
          if (done)
            return bad_char (data, i, error);
          string = data + i + 1;
          if (!scan_string (data, len, &i, error))
            return FALSE;
          string_len = i - 1 - (string - data);
          done = top == NULL;
          break;

        case '{':
        case '[':
          if (done || (top != NULL && top->object && top->expect_key))
            return bad_char (data, i, error);
          if (scan.depth == KEFU_JSON_MAX_DEPTH)
            {
              g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "JSON nested deeper than %d levels", KEFU_JSON_MAX_DEPTH);
              return FALSE;
            }
          top = &scan.frames[scan.depth++];
          top->object = c == '{';
          top->expect_key = top->object;
          top->key = NULL;
          top->key_len = 0;
          top->index = 0;
          string = NULL;
          i++;
          break;

        case '}':
        case ']':
          if (top == NULL || top->object != (c == '}'))
            return bad_char (data, i, error);
          scan.depth--;
          done = scan.depth == 0;
          i++;
          break;

        case ':':
          if (top == NULL || !top->object || !top->expect_key || string == NULL)
            return bad_char (data, i, error);
          top->key = string;
          top->key_len = string_len;
          top->expect_key = FALSE;
          i++;
          break;

        case ',':
          if (top == NULL)
            return bad_char (data, i, error);
          if (top->object)
            {
              top->expect_key = TRUE;
              top->key = NULL;
            }
          else
            top->index++;
          string = NULL;
          i++;
          break;

        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          if (done || (top != NULL && top->object && top->expect_key))
            return bad_char (data, i, error);
          if (!scan_number (&scan, data, len, &i, error))
            return FALSE;
          done = top == NULL;
          break;

        case 't':
        case 'f':
        case 'n':
          if (done || (top != NULL && top->object && top->expect_key))
            return bad_char (data, i, error);
          if (!scan_word (data, len, &i, error))
            return FALSE;
          done = top == NULL;
          break;

        default:
          return bad_char (data, i, error);
        }
    }

  return TRUE;
}

JsonNode *
kefu_json_parse_bounded (const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!kefu_json_check (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      /* json-glib may quote one byte of a character; the message goes out as JSON text. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON, "not valid JSON: %s", message);
      return NULL;
    }
  /* NULL for white space alone, like json-glib: some callers take that as "no body". */
  return json_parser_steal_root (parser);
}

gboolean
kefu_json_node_get_int (JsonNode    *node,
                        const char  *field,
                        gint64       min,
                        gint64       max,
                        gint64      *out,
                        GError     **error)
{
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (min <= max, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* One message for a wrong type and a wrong value: either way the answer is the range. */
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      kefu_set_field_error (error, field, "%s must be an integer from %" G_GINT64_FORMAT
                            " to %" G_GINT64_FORMAT, field, min, max);
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
kefu_json_read_int (JsonObject  *object,
                    const char  *name,
                    gboolean     required,
                    gint64       min,
                    gint64       max,
                    gint64      *out,
                    gboolean    *present,
                    GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (present != NULL)
    *present = FALSE;

  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          kefu_set_field_error (error, name, "%s is required", name);
          return FALSE;
        }
      return TRUE;
    }

  if (!kefu_json_node_get_int (node, name, min, max, out, error))
    return FALSE;
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
kefu_parse_decimal (const char *text,
                    gint64      min,
                    gint64      max,
                    gint64     *out)
{
  guint64 value = 0;

  g_return_val_if_fail (min >= 0 && min <= max, FALSE);

  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = *p - '0';
      if (value > (guint64) max / 10 || value * 10 + digit > (guint64) max)
        return FALSE;   /* past @max, however many digits follow */
      value = value * 10 + digit;
    }

  if ((gint64) value < min)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}
