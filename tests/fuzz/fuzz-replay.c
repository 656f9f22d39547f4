/* fuzz-replay.c — runs a fuzz target once over files and directories of inputs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main() of the fuzz targets in builds without libFuzzer: `fuzz-json-check CORPUS…` feeds
 * every file to LLVMFuzzerTestOneInput(), so the seed corpus — regression inputs included —
 * runs under the normal build and the sanitizer build of the unit tests.
 */
#include "config.h"

#include <string.h>

#include "kefu-fuzz.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  guint runs = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = NULL;
      const char *name;

      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          if (!run_file (argv[i]))
            return 1;
          runs++;
          continue;
        }

      dir = g_dir_open (argv[i], 0, NULL);
      if (dir == NULL)
        {
          g_printerr ("cannot open %s\n", argv[i]);
          return 1;
        }
      names = g_ptr_array_new_with_free_func (g_free);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
      /* In a stable order, so that a failure names the same file every time. */
      g_ptr_array_sort (names, compare_paths);
      for (guint n = 0; n < names->len; n++)
        {
          const char *path = g_ptr_array_index (names, n);

          g_print ("%s\n", path);
          if (!run_file (path))
            return 1;
          runs++;
        }
    }

  if (runs == 0)
    {
      g_printerr ("no inputs\n");
      return 1;
    }
  g_print ("%u inputs ran\n", runs);
  return 0;
}
