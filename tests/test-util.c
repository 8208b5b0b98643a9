/* test-util.c: see test-util.h. */
#include "config.h"

#include "test-util.h"

#include "lpc-error.h"

#include <glib/gstdio.h>
#include <string.h>

char *
lpc_test_make_tmp_dir (const char *template)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

void
lpc_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          lpc_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

LpcProgram *
lpc_test_load_ok (LpcTestLoadFunc load, const char *path, GPtrArray *warnings)
{
  g_autoptr (GError) error = NULL;
  LpcProgram *program = load (path, warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (program);
  return program;
}

LpcProgram *
lpc_test_parse_ok (LpcProgramParseFunc parse, const char *text, const char *filename,
                   GPtrArray *warnings)
{
  g_autoptr (GError) error = NULL;
  LpcProgram *program = parse (text, strlen (text), filename, NULL, warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (program);
  return program;
}

void
lpc_test_assert_parse_error (LpcProgramParseFunc parse, const char *data, gsize len,
                             const char *filename, GPtrArray *warnings, const char *prefix,
                             const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = parse (data, len, filename, NULL, warnings, &error);

  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_test_message ("%s", error->message);
  /* One message naming both, rather than two asserts: which of the two is
   * off is plain from the text. */
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, fragment) == NULL)
    g_error ("expected '%s…%s…', got '%s'", prefix, fragment, error->message);
}

char *
lpc_test_utc_string (gint64 unix_time)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}
