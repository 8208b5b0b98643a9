/* calendar-path.c: see calendar-path.h. */
#include "calendar-path.h"

#include "lpc-error.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PATH_BYTES 4096
/* Links followed before a path counts as a loop, as the kernel's ELOOP. */
#define MAX_LINKS 40

static gboolean
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return "a folder";
  if (S_ISFIFO (mode))
    return "a FIFO";
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return "a device";
  if (S_ISSOCK (mode))
    return "a socket";
  return "not a regular file";
}

/* @path with its symlinks followed, as far as they exist: the final link's
 * target may not exist yet (the calendar is created at the first write). */
static char *
follow_links (const char *path, GError **error)
{
  g_autofree char *current = g_canonicalize_filename (path, NULL);

  for (guint hops = 0; hops < MAX_LINKS; hops++)
    {
      g_autofree char *target = NULL;
      g_autofree char *folder = NULL;
      g_autoptr (GError) local_error = NULL;
      struct stat st;

      if (lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);
      target = g_file_read_link (current, &local_error);
      if (target == NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "CalendarFile %s: cannot read the link: %s", path, local_error->message);
          return NULL;
        }
      folder = g_path_get_dirname (current);
      g_free (current);
      current = g_canonicalize_filename (target, folder);
    }
  g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
               "CalendarFile %s: too many levels of symbolic links", path);
  return NULL;
}

/* Is @file the database or one of its side files, whatever it is called? */
static gboolean
is_database_file (const struct stat *file, const char *db_path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (db_path, suffixes[i], NULL);
      struct stat st;

      if (stat (side, &st) == 0 && same_file (&st, file))
        return TRUE;
    }
  return FALSE;
}

char *
lpc_calendar_path_resolve (const char *path, const char *db_path, GError **error)
{
  g_autofree char *target = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *real_folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *resolved = NULL;
  struct stat folder_st, st;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path == NULL || !g_utf8_validate (path, -1, NULL) || strlen (path) > MAX_PATH_BYTES)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "CalendarFile: not a valid path of at most %d bytes", MAX_PATH_BYTES);
      return NULL;
    }
  if (!g_path_is_absolute (path))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "CalendarFile '%s' is relative: give an absolute path", path);
      return NULL;
    }
  target = follow_links (path, error);
  if (target == NULL)
    return NULL;
  folder = g_path_get_dirname (target);
  name = g_path_get_basename (target);
  real_folder = realpath (folder, NULL);
  if (real_folder == NULL || stat (real_folder, &folder_st) != 0 || !S_ISDIR (folder_st.st_mode))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "CalendarFile %s: the folder %s does not exist", path, folder);
      return NULL;
    }
  resolved = g_build_filename (real_folder, name, NULL);
  if (stat (resolved, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "CalendarFile %s is %s: give the path of a regular file", path,
                   file_kind (st.st_mode));
      return NULL;
    }
  if (db_path != NULL)
    {
      g_autofree char *db_folder = g_path_get_dirname (db_path);
      struct stat db_folder_st;

      if (stat (resolved, &st) == 0 && is_database_file (&st, db_path))
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "CalendarFile %s is the agenda's database: give another file", path);
          return NULL;
        }
      if (stat (db_folder, &db_folder_st) == 0 && same_file (&db_folder_st, &folder_st))
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "CalendarFile %s is in the agenda's data folder %s, which holds the "
                       "database: give a file in another folder", path, db_folder);
          return NULL;
        }
    }
  return g_steal_pointer (&resolved);
}
