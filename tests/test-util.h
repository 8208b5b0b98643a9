/* test-util.h: what the unit tests share — temporary folders, and the checks
 * the tests of every program importer make the same way. */
#pragma once

#include <glib.h>

#include "program-file.h"

G_BEGIN_DECLS

/* A new temporary folder named after @template ("test-x-XXXXXX"). */
char *lpc_test_make_tmp_dir (const char *template);
/* Removes @path and everything under it, not following symlinks. */
void lpc_test_remove_tree (const char *path);

/* What every importer's file loader looks like (lpc_program_load_*_file()). */
typedef LpcProgram *(*LpcTestLoadFunc) (const char *path, GPtrArray *warnings, GError **error);

/* @path loaded with @load; fails the test unless it loads without error. */
LpcProgram *lpc_test_load_ok (LpcTestLoadFunc load, const char *path, GPtrArray *warnings);
/* @text (NUL-terminated) parsed with @parse as the file @filename; fails the
 * test unless it parses without error. */
LpcProgram *lpc_test_parse_ok (LpcProgramParseFunc parse, const char *text, const char *filename,
                               GPtrArray *warnings);
/* Fails the test unless @parse refuses @data (@len bytes, so that a NUL byte
 * can be part of it) as the file @filename with LPC_ERROR_PROGRAM_INVALID, in
 * a message that starts with @prefix (its "FILE:LINE:") and contains
 * @fragment. @warnings goes to @parse as it is (may be NULL). */
void lpc_test_assert_parse_error (LpcProgramParseFunc parse, const char *data, gsize len,
                                  const char *filename, GPtrArray *warnings, const char *prefix,
                                  const char *fragment);

/* "2024-02-03T09:00:00Z": times compared as text, so that a failure shows
 * them readably. */
char *lpc_test_utc_string (gint64 unix_time);

#define lpc_test_assert_utc(unix_time, expected)                                                   \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *_s = lpc_test_utc_string (unix_time);                                         \
    g_assert_cmpstr (_s, ==, expected);                                                            \
  }                                                                                                \
  G_STMT_END

/* An entry's speakers as "A|B", compared as text for the same reason. */
#define lpc_test_assert_speakers(entry, expected)                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *_s = g_strjoinv ("|", (entry)->speakers);                                     \
    g_assert_cmpstr (_s, ==, expected);                                                            \
  }                                                                                                \
  G_STMT_END

G_END_DECLS
