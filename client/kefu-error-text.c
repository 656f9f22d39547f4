/* kefu-error-text.c
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-error-text"

#include "config.h"

#include <glib/gi18n.h>

#include "kefu-error-text.h"
#include "kefu-ticket-text.h"

/* Every error code of docs/protocol.md, in the order of KefuErrorCode. */
static const char *const code_texts[] = {
  [KEFU_ERROR_BAD_JSON] =
    N_("The server could not read the request. Please report this problem in Kefu."),
  [KEFU_ERROR_VALIDATION_FAILED] =
    N_("Some of the information is not valid. Check it and try again."),
  [KEFU_ERROR_UNAUTHENTICATED] =
    N_("Your session has ended. Sign in again to continue."),
  [KEFU_ERROR_FORBIDDEN] =
    N_("Your role does not allow this. Ask a supervisor or an administrator."),
  [KEFU_ERROR_NOT_FOUND] =
    N_("This is not on the server (any more). It may have been removed, or the number is "
       "wrong."),
  [KEFU_ERROR_METHOD_NOT_ALLOWED] =
    N_("The server does not support this. It may run another version of Kefu."),
  [KEFU_ERROR_VERSION_CONFLICT] =
    N_("Someone else changed this ticket meanwhile. Look at their change and try again."),
  [KEFU_ERROR_INVALID_TRANSITION] =
    N_("The ticket’s current status does not allow this step."),
  [KEFU_ERROR_CONFLICT] =
    N_("This conflicts with what is already there, for example a username that is taken."),
  [KEFU_ERROR_PRECONDITION_REQUIRED] =
    N_("The server needs to know which version of the ticket you saw. Reload the ticket and "
       "try again."),
  [KEFU_ERROR_TOO_LARGE] =
    N_("This is too large for the server."),
  [KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE] =
    N_("The server does not accept this kind of content."),
  [KEFU_ERROR_TOO_MANY_ATTEMPTS] =
    N_("Too many attempts. Wait a few minutes and try again."),
  [KEFU_ERROR_INTERNAL] =
    N_("The server ran into a problem. Try again later, or tell your administrator."),
  [KEFU_ERROR_UNAVAILABLE] =
    N_("The server is busy or starting up. Try again in a moment."),
  [KEFU_ERROR_BAD_REQUEST] =
    N_("The request arrived garbled. Try again; if it keeps happening, ask your administrator to "
       "check the proxy between you and the server."),
  [KEFU_ERROR_TIMEOUT] =
    N_("The connection to the server was too slow. Check the network and try again."),
};

G_STATIC_ASSERT (G_N_ELEMENTS (code_texts) == KEFU_ERROR_LAST);

const char *
kefu_error_code_text (KefuErrorCode code)
{
  g_return_val_if_fail (code < KEFU_ERROR_LAST, NULL);

  return _(code_texts[code]);
}

char *
kefu_error_text (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != KEFU_ERROR)
    return g_strdup (error->message != NULL ? error->message : "");

  g_debug ("The server said: %s (%s)", error->message,
           (guint) error->code < KEFU_ERROR_LAST ? kefu_error_code_to_string (error->code) : "?");

  if ((guint) error->code >= KEFU_ERROR_LAST)
    return g_strdup (_("The server refused the request. Try again later, or tell your "
                       "administrator."));

  if (error->code == KEFU_ERROR_VALIDATION_FAILED && kefu_error_get_field (error) != NULL)
    return kefu_text_field_error (error);

  return g_strdup (kefu_error_code_text (error->code));
}
