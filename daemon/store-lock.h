/* store-lock.h: one process at a time on an agenda database. The daemon
 * holds an exclusive flock(2) on the database file itself from before it
 * writes anything until it exits; `--repair` takes the same lock. It is the
 * file that is locked, not a path or a bus name, so no spelling of the path
 * (relative, through a link, a hard link), no second session bus and no
 * missing bus gets round it. flock(2) locks do not interact with the POSIX
 * locks SQLite takes on the same file, and go away with the process, so a
 * crash never leaves the file locked. Plain C, no D-Bus. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LpcStoreLock LpcStoreLock;

/* Locks the database at @path, creating an empty file (0600, its folder
 * 0700) when there is none yet. When another process holds it: NULL and
 * LPC_ERROR_STORAGE, naming the file and the holder ("lpc-agendad, pid 1234")
 * as /proc/locks tells it. A file that cannot be opened for locking (a
 * read-only folder with no file yet, a missing folder that cannot be made):
 * a lock that holds nothing is returned, with *@out_unlocked_reason set (may
 * be NULL) — nothing can be written there anyway, and the store says why. */
LpcStoreLock *lpc_store_lock_acquire (const char *path, char **out_unlocked_reason,
                                      GError **error);
/* Waits up to @timeout_ms for the lock (another daemon being replaced is on
 * its way out), then as lpc_store_lock_acquire(). */
LpcStoreLock *lpc_store_lock_acquire_waiting (const char *path, guint timeout_ms,
                                              char **out_unlocked_reason, GError **error);
/* The process holding the lock on @path as /proc/locks tells it; 0 when
 * none does (or it cannot be told). */
GPid lpc_store_lock_get_holder (const char *path);
void lpc_store_lock_free (LpcStoreLock *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcStoreLock, lpc_store_lock_free)

G_END_DECLS
