/* run-corpus.c: runs inputs through a fuzz target's LLVMFuzzerTestOneInput()
 * once each, without libFuzzer: the seed corpus and the crash regressions of
 * tests/fuzz/ in every build (gcc, the sanitizer builds, valgrind), as an
 * ordinary test.
 *
 *   run-corpus-TARGET PATH...
 *
 * A PATH is a file, or a directory whose files (not those whose names start
 * with '.') are run in name order. Fails when a PATH cannot be read or when
 * no input was run at all; a crash in the target is its own failure. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gboolean
run_file (const char *path, guint *n_run)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree uint8_t *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fprintf (stderr, "run-corpus: %s\n", error->message);
      return FALSE;
    }
  /* A copy of exactly @len bytes: g_file_get_contents()'s terminating NUL
   * would hide a read one byte past the end from the sanitizers. */
  data = len > 0 ? g_memdup2 (contents, len) : NULL;
  printf ("running %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  fflush (stdout);
  LLVMFuzzerTestOneInput (data, len);
  (*n_run)++;
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
run_dir (const char *path, guint *n_run)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  gboolean ok = TRUE;

  if (dir == NULL)
    {
      fprintf (stderr, "run-corpus: %s\n", error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (name[0] != '.')
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      ok = run_file (file, n_run) && ok;
    }
  return ok;
}

int
main (int argc, char **argv)
{
  gboolean ok = TRUE;
  guint n_run = 0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s PATH...\n", argv[0]);
      return 2;
    }
  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        ok = run_dir (argv[i], &n_run) && ok;
      else
        ok = run_file (argv[i], &n_run) && ok;
    }

  printf ("%u inputs run\n", n_run);
  if (n_run == 0)
    {
      fprintf (stderr, "run-corpus: no inputs in %s...\n", argv[1]);
      return 1;
    }
  return ok ? 0 : 1;
}
