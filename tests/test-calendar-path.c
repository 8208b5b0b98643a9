/* test-calendar-path.c: the living calendar's path is checked by what the
 * files are, not by how their paths are spelt. */
#include "calendar-path.h"
#include "lpc-error.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  char *root;     /* a temporary folder */
  char *data;     /* root/data: the database's folder */
  char *db;       /* root/data/agenda.db */
  char *calendars; /* root/cal */
} Fixture;

static void
touch (const char *path)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "x", 1, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->root = g_dir_make_tmp ("lpc-calendar-path-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->root, "data", NULL);
  f->db = g_build_filename (f->data, "agenda.db", NULL);
  f->calendars = g_build_filename (f->root, "cal", NULL);
  g_assert_cmpint (g_mkdir (f->data, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (f->calendars, 0700), ==, 0);
  touch (f->db);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  remove_tree (f->root);
  g_free (f->root);
  g_free (f->data);
  g_free (f->db);
  g_free (f->calendars);
}

static void
assert_refused (Fixture *f, const char *path, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *resolved = lpc_calendar_path_resolve (path, f->db, &error);

  g_assert_null (resolved);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static char *
assert_accepted (Fixture *f, const char *path)
{
  g_autoptr (GError) error = NULL;
  char *resolved = lpc_calendar_path_resolve (path, f->db, &error);

  g_assert_no_error (error);
  g_assert_nonnull (resolved);
  return resolved;
}

static void
test_database_by_any_name (Fixture *f, gconstpointer data)
{
  g_autofree char *slashes = g_strconcat ("/", f->db, NULL);
  g_autofree char *dotted = g_build_filename (f->calendars, "..", "data", ".", "agenda.db", NULL);
  g_autofree char *data_link = g_build_filename (f->root, "link-to-data", NULL);
  g_autofree char *via_link = g_build_filename (data_link, "agenda.db", NULL);
  g_autofree char *hard = g_build_filename (f->calendars, "hard.ics", NULL);
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autofree char *wal_link = g_build_filename (f->calendars, "wal.ics", NULL);

  assert_refused (f, f->db, "agenda's database");
  assert_refused (f, slashes, "agenda's database");
  assert_refused (f, dotted, "agenda's database");
  g_assert_cmpint (symlink (f->data, data_link), ==, 0);
  assert_refused (f, via_link, "agenda's database");
  /* Another name for the same inode, in another folder. */
  g_assert_cmpint (link (f->db, hard), ==, 0);
  assert_refused (f, hard, "agenda's database");
  touch (wal);
  g_assert_cmpint (symlink (wal, wal_link), ==, 0);
  assert_refused (f, wal_link, "agenda's database");
}

static void
test_data_folder_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *beside = g_build_filename (f->data, "agenda.ics", NULL);
  g_autofree char *link = g_build_filename (f->root, "link-to-data", NULL);
  g_autofree char *via_link = g_build_filename (link, "new.ics", NULL);

  assert_refused (f, beside, "data folder");
  g_assert_cmpint (symlink (f->data, link), ==, 0);
  assert_refused (f, via_link, "data folder");
}

static void
test_links_followed (Fixture *f, gconstpointer data)
{
  g_autofree char *target = g_build_filename (f->calendars, "real.ics", NULL);
  g_autofree char *link = g_build_filename (f->root, "agenda.ics", NULL);
  g_autofree char *dangling = g_build_filename (f->root, "dangling.ics", NULL);
  g_autofree char *not_yet = g_build_filename (f->calendars, "not-yet.ics", NULL);
  g_autofree char *resolved = NULL;
  g_autofree char *resolved_dangling = NULL;

  g_assert_cmpint (symlink ("cal/real.ics", link), ==, 0);
  resolved = assert_accepted (f, link);
  /* The target, existing or not yet: the link itself is never replaced. */
  g_assert_cmpstr (resolved, ==, target);
  g_assert_cmpint (symlink (not_yet, dangling), ==, 0);
  resolved_dangling = assert_accepted (f, dangling);
  g_assert_cmpstr (resolved_dangling, ==, not_yet);
}

static void
test_link_loop_and_odd_files (Fixture *f, gconstpointer data)
{
  g_autofree char *a = g_build_filename (f->calendars, "a.ics", NULL);
  g_autofree char *b = g_build_filename (f->calendars, "b.ics", NULL);
  g_autofree char *fifo = g_build_filename (f->calendars, "fifo.ics", NULL);
  g_autofree char *missing = g_build_filename (f->root, "nowhere", "agenda.ics", NULL);

  g_assert_cmpint (symlink (b, a), ==, 0);
  g_assert_cmpint (symlink (a, b), ==, 0);
  assert_refused (f, a, "too many levels of symbolic links");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  assert_refused (f, fifo, "is a FIFO");
  assert_refused (f, f->calendars, "is a folder");
  assert_refused (f, missing, "does not exist");
  assert_refused (f, "relative/agenda.ics", "is relative");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/calendar-path/database-by-any-name", Fixture, NULL, fixture_setup,
              test_database_by_any_name, fixture_teardown);
  g_test_add ("/calendar-path/data-folder", Fixture, NULL, fixture_setup,
              test_data_folder_refused, fixture_teardown);
  g_test_add ("/calendar-path/links-followed", Fixture, NULL, fixture_setup, test_links_followed,
              fixture_teardown);
  g_test_add ("/calendar-path/loops-and-odd-files", Fixture, NULL, fixture_setup,
              test_link_loop_and_odd_files, fixture_teardown);
  return g_test_run ();
}
