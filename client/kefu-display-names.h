/* kefu-display-names.h — the words of the domain as people read them, translated
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kefu-enums.h"

G_BEGIN_DECLS

const char *kefu_role_get_display_name      (KefuRole    role);
/* For a wire word ("supervisor"); an unknown word comes back as it is, NULL as NULL. */
const char *kefu_role_word_get_display_name (const char *word);

G_END_DECLS
