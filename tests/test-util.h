/* test-util.h: what the unit tests share — temporary folders. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new temporary folder named after @template ("test-x-XXXXXX"). */
char *lpc_test_make_tmp_dir (const char *template);
/* Removes @path and everything under it, not following symlinks. */
void lpc_test_remove_tree (const char *path);

G_END_DECLS
