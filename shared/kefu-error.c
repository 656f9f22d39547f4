/* kefu-error.c — the error codes of API.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kefu-error.h"

typedef struct {
  char *field;
} KefuErrorPrivate;

static void
kefu_error_private_init (KefuErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
kefu_error_private_copy (const KefuErrorPrivate *src,
                         KefuErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
kefu_error_private_clear (KefuErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (KefuError, kefu_error)

typedef struct {
  const char *word;
  guint       status;
} KefuErrorInfo;

static const KefuErrorInfo error_info[KEFU_ERROR_LAST] = {
  [KEFU_ERROR_BAD_JSON]               = { "bad_json", 400 },
  [KEFU_ERROR_VALIDATION_FAILED]      = { "validation_failed", 400 },
  [KEFU_ERROR_UNAUTHENTICATED]        = { "unauthenticated", 401 },
  [KEFU_ERROR_FORBIDDEN]              = { "forbidden", 403 },
  [KEFU_ERROR_NOT_FOUND]              = { "not_found", 404 },
  [KEFU_ERROR_METHOD_NOT_ALLOWED]     = { "method_not_allowed", 405 },
  [KEFU_ERROR_VERSION_CONFLICT]       = { "version_conflict", 409 },
  [KEFU_ERROR_INVALID_TRANSITION]     = { "invalid_transition", 409 },
  [KEFU_ERROR_CONFLICT]               = { "conflict", 409 },
  [KEFU_ERROR_PRECONDITION_REQUIRED]  = { "precondition_required", 428 },
  [KEFU_ERROR_TOO_LARGE]              = { "too_large", 413 },
  [KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE] = { "unsupported_media_type", 415 },
  [KEFU_ERROR_TOO_MANY_ATTEMPTS]      = { "too_many_attempts", 429 },
  [KEFU_ERROR_INTERNAL]               = { "internal", 500 },
  [KEFU_ERROR_UNAVAILABLE]            = { "unavailable", 503 },
  [KEFU_ERROR_BAD_REQUEST]            = { "bad_request", 400 },
  [KEFU_ERROR_TIMEOUT]                = { "timeout", 408 },
};

/**
 * kefu_set_field_error:
 * @error: (nullable): return location for a #GError
 * @field: (nullable): the wire name of the offending field, e.g. "customer.phone"
 * @format: printf-style message format
 *
 * Sets a %KEFU_ERROR_VALIDATION_FAILED error that carries @field.
 */
void
kefu_set_field_error (GError     **error,
                      const char  *field,
                      const char  *format,
                      ...)
{
  GError *new_error;
  va_list args;

  g_return_if_fail (format != NULL);

  if (error == NULL)
    return;

  va_start (args, format);
  new_error = g_error_new_valist (KEFU_ERROR, KEFU_ERROR_VALIDATION_FAILED, format, args);
  va_end (args);

  kefu_error_get_private (new_error)->field = g_strdup (field);

  /* Warns and drops new_error if *error is already set, like g_set_error(). */
  g_propagate_error (error, new_error);
}

const char *
kefu_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != KEFU_ERROR)
    return NULL;

  return kefu_error_get_private (error)->field;
}

const char *
kefu_error_code_to_string (KefuErrorCode code)
{
  if ((guint) code >= KEFU_ERROR_LAST)
    return NULL;

  return error_info[code].word;
}

gboolean
kefu_error_code_from_string (const char    *str,
                             KefuErrorCode *out)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < KEFU_ERROR_LAST; i++)
    {
      if (g_str_equal (str, error_info[i].word))
        {
          if (out != NULL)
            *out = (KefuErrorCode) i;
          return TRUE;
        }
    }

  return FALSE;
}

guint
kefu_error_code_http_status (KefuErrorCode code)
{
  if ((guint) code >= KEFU_ERROR_LAST)
    return 500;

  return error_info[code].status;
}
