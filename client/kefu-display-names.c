/* kefu-display-names.c — the words of the domain as people read them, translated
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kefu-display-names.h"

const char *
kefu_role_get_display_name (KefuRole role)
{
  switch (role)
    {
    case KEFU_ROLE_AGENT:
      /* Translators: the role of a customer-service specialist (客服专员) */
      return C_("role", "Agent");

    case KEFU_ROLE_SUPERVISOR:
      /* Translators: the role of an after-sales supervisor (售后主管) */
      return C_("role", "Supervisor");

    case KEFU_ROLE_TECHNICIAN:
      /* Translators: the role of a repair engineer or other handler (维修工程师) */
      return C_("role", "Technician");

    case KEFU_ROLE_MANAGER:
      /* Translators: the role of an after-sales director (售后总监) */
      return C_("role", "Manager");

    case KEFU_ROLE_ADMIN:
      /* Translators: the role of a system administrator (系统管理员) */
      return C_("role", "Administrator");

    case KEFU_ROLE_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_role_word_get_display_name (const char *word)
{
  KefuRole role;

  if (word == NULL)
    return NULL;

  if (kefu_role_from_string (word, &role))
    return kefu_role_get_display_name (role);

  return word;
}
