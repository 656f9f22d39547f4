/* kefu-json-mask.h — mask the phone numbers of a ticket document without decoding it
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean kefu_json_append_masked (GString    *out,
                                  const char *json,
                                  gssize      len);

G_END_DECLS
