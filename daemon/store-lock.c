/* store-lock.c: see store-lock.h. */
#include "store-lock.h"

#include "lpc-error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct _LpcStoreLock
{
  int fd; /* -1: nothing could be locked */
};

/* The pid /proc/locks gives for an flock on @st's file, or 0. */
static pid_t
flock_holder (const struct stat *st)
{
  g_autofree char *locks = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *wanted = NULL;

  if (!g_file_get_contents ("/proc/locks", &locks, NULL, NULL))
    return 0;
  /* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF": major and minor in
   * hex, the inode in decimal. */
  wanted = g_strdup_printf ("%02x:%02x:%" G_GUINT64_FORMAT, major (st->st_dev),
                            minor (st->st_dev), (guint64) st->st_ino);
  lines = g_strsplit (locks, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit_set (lines[i], " \t", -1);
      guint n = 0;
      const char *word[8] = { NULL };

      for (guint k = 0; fields[k] != NULL && n < G_N_ELEMENTS (word); k++)
        if (*fields[k] != '\0')
          word[n++] = fields[k];
      /* A waiting lock is shown as "-> FLOCK …": not the holder. */
      if (n >= 6 && g_str_equal (word[1], "FLOCK") && g_str_equal (word[5], wanted))
        return (pid_t) g_ascii_strtoll (word[4], NULL, 10);
    }
  return 0;
}

static char *
describe_holder (const struct stat *st)
{
  pid_t pid = flock_holder (st);
  g_autofree char *comm_path = NULL;
  g_autofree char *comm = NULL;

  if (pid <= 0)
    return g_strdup ("another process");
  comm_path = g_strdup_printf ("/proc/%d/comm", (int) pid);
  if (g_file_get_contents (comm_path, &comm, NULL, NULL))
    return g_strdup_printf ("%s, pid %d", g_strstrip (comm), (int) pid);
  return g_strdup_printf ("pid %d", (int) pid);
}

static LpcStoreLock *
lock_new (int fd)
{
  LpcStoreLock *lock = g_new0 (LpcStoreLock, 1);

  lock->fd = fd;
  return lock;
}

/* FALSE with @error set when another process holds the lock; TRUE with
 * *@out_lock set otherwise (maybe a lock on nothing, see the header). */
static gboolean
try_acquire (const char *path, LpcStoreLock **out_lock, char **out_unlocked_reason,
             GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat st;
  int fd;

  *out_lock = NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      if (out_unlocked_reason != NULL)
        *out_unlocked_reason = g_strdup_printf ("cannot create %s: %s", dir, g_strerror (errno));
      *out_lock = lock_new (-1);
      return TRUE;
    }
  /* O_RDONLY is enough for flock(2), and works in a read-only folder. */
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT)
    fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST)
    fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      if (out_unlocked_reason != NULL)
        *out_unlocked_reason = g_strdup_printf ("cannot open %s: %s", path, g_strerror (errno));
      *out_lock = lock_new (-1);
      return TRUE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int errsv = errno;

      if (errsv == EWOULDBLOCK && fstat (fd, &st) == 0)
        {
          g_autofree char *holder = describe_holder (&st);
          g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                       "%s is in use by %s: one lpc-agendad serves an agenda at a time. "
                       "Nothing was changed.",
                       path, holder);
          close (fd);
          return FALSE;
        }
      close (fd);
      if (out_unlocked_reason != NULL)
        *out_unlocked_reason = g_strdup_printf ("cannot lock %s: %s", path, g_strerror (errsv));
      *out_lock = lock_new (-1);
      return TRUE;
    }
  *out_lock = lock_new (fd);
  return TRUE;
}

LpcStoreLock *
lpc_store_lock_acquire (const char *path, char **out_unlocked_reason, GError **error)
{
  LpcStoreLock *lock = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_unlocked_reason != NULL)
    *out_unlocked_reason = NULL;
  if (!try_acquire (path, &lock, out_unlocked_reason, error))
    return NULL;
  return lock;
}

LpcStoreLock *
lpc_store_lock_acquire_waiting (const char *path, guint timeout_ms, char **out_unlocked_reason,
                                GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_unlocked_reason != NULL)
    *out_unlocked_reason = NULL;
  for (;;)
    {
      g_autoptr (GError) busy = NULL;
      LpcStoreLock *lock = NULL;

      if (try_acquire (path, &lock, out_unlocked_reason, &busy))
        return lock;
      if (g_get_monotonic_time () >= deadline)
        {
          g_propagate_error (error, g_steal_pointer (&busy));
          return NULL;
        }
      g_usleep (20 * 1000);
    }
}

GPid
lpc_store_lock_get_holder (const char *path)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return 0;
  return (GPid) flock_holder (&st);
}

void
lpc_store_lock_free (LpcStoreLock *lock)
{
  if (lock == NULL)
    return;
  if (lock->fd >= 0)
    close (lock->fd);
  g_free (lock);
}
