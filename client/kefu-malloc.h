/* kefu-malloc.h — small blocks from malloc rather than GSlice, for a fast ticket load
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void kefu_malloc_prefer_system (char **argv);

G_END_DECLS
