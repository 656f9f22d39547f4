/* fuzz-bodies.c — the decoders of every other write body (kefu-bodies.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the decoder (its value modulo the number of decoders; the seeds use
 * '0' … '9', ':' and ';'), the rest is the body.
 */
#include "config.h"

#include "kefu-bodies.h"
#include "kefu-fuzz.h"

typedef enum {
  BODY_SESSION,         /* '0' */
  BODY_USER_CREATE,     /* '1' */
  BODY_USER_UPDATE,     /* '2' */
  BODY_ASSIGN,          /* '3' */
  BODY_STATUS,          /* '4' */
  BODY_NOTE,            /* '5' */
  BODY_RESOLVE,         /* '6' */
  BODY_CONFIRM,         /* '7' */
  BODY_VISIT_ADD,       /* '8' */
  BODY_VISIT_UPDATE,    /* '9' */
  BODY_RETURN_ADD,      /* ':' */
  BODY_RETURN_UPDATE,   /* ';' */
  BODY_LAST
} Body;

static gboolean
decode (Body       which,
        JsonNode  *body,
        GError   **error)
{
  switch (which)
    {
    case BODY_SESSION:
      {
        g_auto(KefuSessionBody) out = { 0 };

        if (!kefu_body_read_session (body, &out, error))
          return FALSE;
        g_assert_nonnull (out.username);
        g_assert_nonnull (out.password);
        return TRUE;
      }
    case BODY_USER_CREATE:
    case BODY_USER_UPDATE:
      {
        g_auto(KefuUserBody) out = { 0 };
        gboolean create = which == BODY_USER_CREATE;

        if (!kefu_body_read_user (body, create, &out, error))
          return FALSE;
        g_assert_true (!create || (out.username != NULL && out.has_role));
        g_assert_true (!out.has_role || out.role < KEFU_ROLE_LAST);
        return TRUE;
      }
    case BODY_ASSIGN:
      {
        g_auto(KefuAssignBody) out = { 0 };

        if (!kefu_body_read_assign (body, &out, error))
          return FALSE;
        g_assert_cmpint (out.assignee_id, >=, 0);
        return TRUE;
      }
    case BODY_STATUS:
      {
        g_auto(KefuStatusBody) out = { 0 };

        if (!kefu_body_read_status (body, &out, error))
          return FALSE;
        g_assert_cmpint (out.status, <, KEFU_STATUS_LAST);
        return TRUE;
      }
    case BODY_NOTE:
      {
        g_auto(KefuNoteBody) out = { 0 };

        if (!kefu_body_read_note (body, &out, error))
          return FALSE;
        g_assert_nonnull (out.text);
        return TRUE;
      }
    case BODY_RESOLVE:
      {
        KefuResolution out = { 0 };
        gboolean ok = kefu_body_read_resolve (body, &out, error);

        if (ok)
          g_assert_true (out.cost_cents >= 0 && out.minutes_spent >= 0 && out.summary != NULL);
        g_free (out.summary);
        return ok;
      }
    case BODY_CONFIRM:
      {
        KefuConfirmation out = { 0 };
        gboolean ok = kefu_body_read_confirm (body, &out, error);

        if (ok)
          g_assert_true (out.satisfaction >= 1 && out.satisfaction <= 5);
        g_free (out.comment);
        return ok;
      }
    case BODY_VISIT_ADD:
    case BODY_VISIT_UPDATE:
      {
        KefuVisitInput out = { 0 };
        KefuVisitAction action = KEFU_VISIT_ACTION_ARRIVE;
        gboolean ok = kefu_body_read_visit (body, which == BODY_VISIT_ADD ? NULL : &action, &out,
                                            error);

        if (ok)
          g_assert_true (out.fee_cents >= 0 && out.technician_id >= 0);
        kefu_visit_input_clear (&out);
        return ok;
      }
    case BODY_RETURN_ADD:
    case BODY_RETURN_UPDATE:
      {
        g_auto(KefuReturnBody) out = { 0 };
        gboolean update = which == BODY_RETURN_UPDATE;

        if (!kefu_body_read_return (body, update, &out, error))
          return FALSE;
        g_assert_cmpint (out.amount_cents, >=, -1);
        g_assert_true (update || out.attachment_ids != NULL);
        return TRUE;
      }
    case BODY_LAST:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  Body which;

  if (size == 0)
    return 0;
  which = data[0] % BODY_LAST;
  body = kefu_fuzz_parse (data + 1, size - 1);

  /* A missing body reaches the decoders as NULL too (accept, empty bodies). */
  if (!decode (which, body, &error))
    kefu_fuzz_check_error (g_steal_pointer (&error));
  return 0;
}
