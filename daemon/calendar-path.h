/* calendar-path.h: where the living calendar may be written. Files are told
 * apart by what they are (device and inode), never by how their paths are
 * spelt: "//home/me/.local/share/lpc-agenda/agenda.db", a symlinked folder
 * or a hard link name the database as surely as its own path does, and a
 * calendar renamed over it would lose every pick. Plain C, no D-Bus. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The file a calendar set to @path is written to: @path with every symlink
 * followed (a calendar that is a link to a synced folder's file keeps its
 * link; the target is replaced atomically), in a folder that exists. Refuses
 * (LPC_ERROR_INVALID_ARGUMENT, naming @path and why): a relative or
 * overlong path; a missing folder; a folder, FIFO, device or socket; the
 * database @db_path or its side files (-wal, -shm, -journal) under any
 * name; any file directly in the database's folder, which is the agenda's
 * own. @db_path may be NULL (no database: only the file type is checked).
 * Called when the setting is made and again before every write, since the
 * path can be changed under us between the two. */
char *lpc_calendar_path_resolve (const char *path, const char *db_path, GError **error);

G_END_DECLS
