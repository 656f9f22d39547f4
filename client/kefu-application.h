/* kefu-application.h
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

#define KEFU_TYPE_APPLICATION (kefu_application_get_type ())
G_DECLARE_FINAL_TYPE (KefuApplication, kefu_application, KEFU, APPLICATION, AdwApplication)

KefuApplication *kefu_application_new            (void);
KefuConnection  *kefu_application_get_connection (KefuApplication *self);

G_END_DECLS
