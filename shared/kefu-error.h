/* kefu-error.h — the error codes of API.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KEFU_ERROR (kefu_error_quark ())

typedef enum {
  KEFU_ERROR_BAD_JSON,           /* 400 bad_json */
  KEFU_ERROR_VALIDATION_FAILED,  /* 400 validation_failed (with a field) */
  KEFU_ERROR_UNAUTHENTICATED,    /* 401 unauthenticated */
  KEFU_ERROR_FORBIDDEN,          /* 403 forbidden */
  KEFU_ERROR_NOT_FOUND,          /* 404 not_found */
  KEFU_ERROR_METHOD_NOT_ALLOWED, /* 405 method_not_allowed */
  KEFU_ERROR_VERSION_CONFLICT,   /* 409 version_conflict */
  KEFU_ERROR_INVALID_TRANSITION, /* 409 invalid_transition */
  KEFU_ERROR_CONFLICT,           /* 409 conflict (e.g. username taken) */
  KEFU_ERROR_PRECONDITION_REQUIRED, /* 428 precondition_required (If-Match missing) */
  KEFU_ERROR_TOO_LARGE,          /* 413 too_large */
  KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE, /* 415 unsupported_media_type */
  KEFU_ERROR_TOO_MANY_ATTEMPTS,  /* 429 too_many_attempts */
  KEFU_ERROR_INTERNAL,           /* 500 internal */
  KEFU_ERROR_UNAVAILABLE,        /* 503 unavailable */
  KEFU_ERROR_BAD_REQUEST,        /* 400 bad_request (the HTTP framing itself) */
  KEFU_ERROR_TIMEOUT,            /* 408 timeout (the request did not arrive in time) */
  KEFU_ERROR_LAST
} KefuErrorCode;

/* KEFU_ERROR is an extended error domain (G_DEFINE_EXTENDED_ERROR): a validation error carries
 * the name of the offending field ("description", "customer.phone", …). */
GQuark      kefu_error_quark          (void);
void        kefu_set_field_error      (GError       **error,
                                       const char    *field,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (3, 4);
/* The field of a KEFU_ERROR, or NULL. */
const char *kefu_error_get_field      (const GError  *error);
const char *kefu_error_code_to_string (KefuErrorCode code);
gboolean    kefu_error_code_from_string (const char *str,
                                       KefuErrorCode *out);
guint       kefu_error_code_http_status (KefuErrorCode code);

G_END_DECLS
