/* kefu-password-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <pwquality.h>
#include <string.h>

#include "kefu-error.h"
#include "kefu-password-policy.h"

/* cracklib keeps the dictionary's last block in static buffers, so two checks must not run
 * at once; a check takes about a millisecond. */
static GMutex check_lock;

/* The messages of libpwquality and cracklib are translated through gettext; the API answers
 * in English whatever the server's locale, so checks run in the "C" locale of this thread. */
static locale_t
c_locale (void)
{
  static gsize once;
  static locale_t loc;

  if (g_once_init_enter (&once))
    {
      loc = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
      g_once_init_leave (&once, 1);
    }
  return loc;
}

/* Whether cracklib's dictionary is there. Without it every check would fail with "error
 * loading dictionary"; the server then warns once and checks everything but the dictionary. */
static gboolean
dictionary_available (pwquality_settings_t *pwq)
{
  static gsize once;
  static gboolean available;

  if (g_once_init_enter (&once))
    {
      const char *path = NULL;
      g_autofree char *file = NULL;

      if (pwquality_get_str_value (pwq, PWQ_SETTING_DICT_PATH, &path) != 0 || path == NULL)
        path = "/var/cache/cracklib/cracklib_dict";
      file = g_strconcat (path, ".pwd", NULL);
      available = g_file_test (file, G_FILE_TEST_IS_REGULAR);
      if (!available)
        g_warning ("The cracklib dictionary %s is missing (Debian: install cracklib-runtime); "
                   "new passwords are not checked against dictionary words", file);
      g_once_init_leave (&once, 1);
    }
  return available;
}

gboolean
kefu_password_policy_check (const char  *password,
                            const char  *username,
                            GError     **error)
{
  pwquality_settings_t *pwq;
  void *aux = NULL;
  locale_t old_locale;
  char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
  char reason[PWQ_MAX_ERROR_MESSAGE_LEN];
  int rc;

  g_return_val_if_fail (password != NULL, FALSE);

  if (!g_utf8_validate (password, -1, NULL))
    {
      kefu_set_field_error (error, "password", "password is not valid UTF-8");
      return FALSE;
    }
  if (strlen (password) > KEFU_PASSWORD_MAX_BYTES)
    {
      kefu_set_field_error (error, "password", "password is too long (at most %d bytes)",
                            KEFU_PASSWORD_MAX_BYTES);
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < KEFU_PASSWORD_MIN_CHARS)
    {
      kefu_set_field_error (error, "password", "password must have at least %d characters",
                            KEFU_PASSWORD_MIN_CHARS);
      return FALSE;
    }

  /* libpwquality's defaults, not /etc/security/pwquality.conf: the policy is the server's
   * own and the same on every host. Its length rule counts bytes; ours, above, characters. */
  pwq = pwquality_default_settings ();
  if (pwq == NULL)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                           "out of memory while checking a password");
      return FALSE;
    }
  pwquality_set_int_value (pwq, PWQ_SETTING_MIN_LENGTH, KEFU_PASSWORD_MIN_CHARS);
  pwquality_set_int_value (pwq, PWQ_SETTING_USER_CHECK, 1);
  pwquality_set_int_value (pwq, PWQ_SETTING_DICT_CHECK, dictionary_available (pwq) ? 1 : 0);

  g_mutex_lock (&check_lock);
  old_locale = uselocale (c_locale ());
  rc = pwquality_check (pwq, password, NULL, username, &aux);
  if (rc < 0)
    {
      /* It may return a constant instead of filling the buffer. */
      const char *text = pwquality_strerror (buf, sizeof buf, rc, aux);

      g_strlcpy (reason, text != NULL ? text : "", sizeof reason);
      reason[0] = g_ascii_tolower (reason[0]);   /* it follows a colon */
    }
  uselocale (old_locale);
  g_mutex_unlock (&check_lock);
  pwquality_free_settings (pwq);

  if (rc >= 0)
    return TRUE;

  switch (rc)
    {
    case PWQ_ERROR_MEM_ALLOC:
    case PWQ_ERROR_FATAL_FAILURE:
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INTERNAL, "checking a password failed: %s",
                   reason);
      return FALSE;
    case PWQ_ERROR_USER_CHECK:
      kefu_set_field_error (error, "password", "password must not contain the user name");
      return FALSE;
    case PWQ_ERROR_CRACKLIB_CHECK:
      /* aux is cracklib's reason: "it is based on a dictionary word", "it is too
       * simplistic/systematic", … */
      kefu_set_field_error (error, "password", "password is too easy to guess: %s",
                            aux != NULL ? (const char *) aux : reason);
      return FALSE;
    default:
      kefu_set_field_error (error, "password", "password is too easy to guess: %s", reason);
      return FALSE;
    }
}
