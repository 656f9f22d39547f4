/* kefu-malloc.c
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-malloc"

#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "kefu-malloc.h"

/**
 * kefu_malloc_prefer_system:
 * @argv: the program's arguments, as main() got them
 *
 * Makes GSlice hand out malloc's blocks, by running the program again with
 * G_SLICE=always-malloc — the first thing main() does; it returns when nothing is to be done
 * or the program could not be run again.
 *
 * Why: decoding the ticket list allocates millions of small blocks (every JSON node, object
 * and member list of json-glib) in worker threads. GLib before 2.76 serves them from GSlice's
 * per-thread magazines, and with two decoding threads that was a third of the load's time
 * (bench-board-load, docs/benchmarks.md); GLib 2.76 made GSlice use malloc for that reason.
 * GSlice reads G_SLICE once, on its first use, which happens in GLib's and GObject's own
 * constructors before main(): hence running again rather than setting it here.
 *
 * Nothing is done with GLib 2.76 or later, or when G_SLICE is already set (as it is for
 * valgrind, or by a second run).
 */
void
kefu_malloc_prefer_system (char **argv)
{
  g_return_if_fail (argv != NULL && argv[0] != NULL);

  if (glib_check_version (2, 76, 0) == NULL)
    return;
  if (g_getenv ("G_SLICE") != NULL)
    return;

  if (!g_setenv ("G_SLICE", "always-malloc", TRUE))
    return;
  execv ("/proc/self/exe", argv);

  /* Could not run again: carry on as we are, and do not hand the setting to children. */
  g_unsetenv ("G_SLICE");
}
