/* main.c — kefu, the Kefu service desk client
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "kefu-application.h"
#include "kefu-malloc.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KefuApplication) app = NULL;
  const char *localedir;

  kefu_malloc_prefer_system (argv);

  /* KEFU_LOCALEDIR lets a build tree use its own translations (BUILDDIR/po). */
  localedir = g_getenv ("KEFU_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = kefu_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
