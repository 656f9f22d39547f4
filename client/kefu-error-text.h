/* kefu-error-text.h — the server's error codes as sentences for people, translated
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kefu-error.h"

G_BEGIN_DECLS

/* What went wrong with a request, to show to the user in their language. An error of the
 * protocol (KEFU_ERROR: the "code" of the server's {"error":{…}} answer) becomes the client's
 * own sentence for that code — the server's English message is never shown, it is only
 * logged; a validation error names its field (kefu_text_field_error()). Errors of other
 * domains are the client's own and already translated: their message as it is. */
char       *kefu_error_text            (const GError  *error);

/* The sentence of one protocol error code, without field details. */
const char *kefu_error_code_text       (KefuErrorCode  code);

G_END_DECLS
