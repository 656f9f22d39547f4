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
 * Strings must be valid UTF-8 without NUL/control characters (newlines and tabs allowed in long
 * text), trimmed, within their length limit (counted in characters). */

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
