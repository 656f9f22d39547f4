/* kefu-json-input.h — JSON from untrusted bytes: bounded parsing and range-checked integers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Arrays and objects nest at most this deep. json-glib's parser recurses once per level on
 * the caller's stack, so the limit is what keeps a small body from overflowing it. */
#define KEFU_JSON_MAX_DEPTH 64

/* Checks @data (@len bytes) in one linear pass, before any parser sees it: UTF-8 without NUL
 * bytes, nesting at most
 * KEFU_JSON_MAX_DEPTH, nothing outside strings but strict JSON tokens (no comments, single
 * quotes, hexadecimal or octal numbers, which json-glib would otherwise accept), and every
 * integer literal within gint64 (json-glib wraps larger ones silently: -18446744073709551615
 * would read as 1), one value (json-glib reads "{} {}" too, and leaks all but the last), and
 * \u escapes that make UTF-8 (no lone surrogates). The grammar beyond that is json-glib's to
 * check.
 *
 * Errors: KEFU_ERROR_BAD_JSON; KEFU_ERROR_VALIDATION_FAILED for an integer out of range, with
 * the field path of the value ("priority", "customer.age", "targets[0].response.seconds"). */
gboolean  kefu_json_check          (const char  *data,
                                    gsize        len,
                                    GError     **error);

/* kefu_json_check(), then json-glib: the root node, or NULL
 * with a KEFU_ERROR (BAD_JSON, or VALIDATION_FAILED as above). Empty or white space only:
 * NULL without an error. */
JsonNode *kefu_json_parse_bounded  (const char  *data,
                                    gsize        len,
                                    GError     **error);

/* @node as an integer in [@min, @max]. JSON integers only: a fraction or exponent (2.5, 1e300,
 * even 2.0), a string ("2"), a boolean or null are not integers. On failure sets a
 * KEFU_ERROR_VALIDATION_FAILED naming @field and returns FALSE. */
gboolean  kefu_json_node_get_int   (JsonNode    *node,
                                    const char  *field,
                                    gint64       min,
                                    gint64       max,
                                    gint64      *out,
                                    GError     **error);

/* The member @name of @object as kefu_json_node_get_int() (the field is @name). Absent or
 * null: an error when @required, otherwise TRUE with *@out untouched. @present (may be NULL)
 * says whether a value was read. */
gboolean  kefu_json_read_int       (JsonObject  *object,
                                    const char  *name,
                                    gboolean     required,
                                    gint64       min,
                                    gint64       max,
                                    gint64      *out,
                                    gboolean    *present,
                                    GError     **error);

/* A decimal integer of a query parameter, path segment or header: ASCII digits only (no sign,
 * no spaces), in [@min, @max] (@min ≥ 0). FALSE for anything else, never a clamped value. */
gboolean  kefu_parse_decimal       (const char  *text,
                                    gint64       min,
                                    gint64       max,
                                    gint64      *out);

G_END_DECLS
