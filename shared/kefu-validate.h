/* kefu-validate.h — validation of untrusted input, with field-level errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kefu-ticket.h"

G_BEGIN_DECLS

/* Every failure is a KEFU_ERROR_VALIDATION_FAILED GError with an English message and the field
 * name (kefu_error_get_field()): "description", "customer.phone", "priority", …
 *
 * The text rule, the same for every text field of the protocol (and attachment names): valid
 * UTF-8, within its length limit (counted in characters), and none of
 *   - control characters: C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F); multi-line
 *     fields (descriptions, notes, addresses, reasons, summaries, comments) may hold line feeds,
 *     tabs and a carriage return just before a line feed;
 *   - bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E,
 *     U+2066–U+2069), which make text display in another order than it is stored
 *     ("\u202Egnp.exe" shows as "exe.png");
 *   - in single-line fields, the line and paragraph separators U+2028 and U+2029.
 * Such text is refused, never silently cleaned: what is stored is what was sent (trimmed of
 * surrounding white space, except the customer's description, which is kept verbatim). */

typedef enum {
  KEFU_TEXT_OK,
  KEFU_TEXT_BAD_UTF8,
  KEFU_TEXT_CONTROL,
  KEFU_TEXT_BIDI,
  KEFU_TEXT_TOO_LONG,
} KefuTextProblem;

/* What the text rule finds wrong with @text (never NULL), KEFU_TEXT_OK when nothing. */
KefuTextProblem kefu_text_check      (const char *text,
                                      gsize       max_chars,
                                      gboolean    multiline);
/* The text rule with its error: "@field contains control characters", … @text NULL is
 * accepted (an absent optional field). */
gboolean    kefu_validate_text_field (const char  *text,
                                      const char  *field,
                                      gsize        max_chars,
                                      gboolean     multiline,
                                      GError     **error);

gboolean kefu_validate_phone         (const char *phone);      /* digits, optional leading +, spaces/dashes; 5..20 digits */
gboolean kefu_validate_email         (const char *email);      /* local@domain.tld shape, ≤ 254 */
gboolean kefu_validate_date          (const char *date);       /* real calendar date YYYY-MM-DD */
gboolean kefu_validate_text          (const char *text,
                                      gsize       max_chars,
                                      gboolean    multiline);

/* POST /tickets body → a new ticket with the intake fields filled (channel, stage, category,
 * subcategory, priority, customer.*, description, submitted_at). Required: channel, category,
 * priority, customer.name, customer.phone or customer.email, description, submitted_at.
 * stage defaults to after_sale. submitted_at may not lie more than 5 minutes after @now_usec.
 * Unknown members are ignored. */
KefuTicket *kefu_validate_intake      (JsonNode   *body,
                                       gint64      now_usec,
                                       GError    **error);

/* PATCH /tickets/{n} body: applies the members present (channel, stage, category, subcategory,
 * priority, description, customer.* — a customer member set to null clears it) to @ticket, in
 * place, after validating all of them (nothing is applied on error). Sets *changed_fields to a
 * NULL-terminated list of the wire names that actually changed (may be empty). */
gboolean    kefu_validate_patch       (JsonNode    *body,
                                       KefuTicket  *ticket,
                                       GStrv       *changed_fields,
                                       GError     **error);

G_END_DECLS
