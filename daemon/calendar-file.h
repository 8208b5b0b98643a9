/* calendar-file.h: the living calendar — the .ics file named by the
 * CalendarFile setting, rewritten (atomically, see lpc_calendar_file_write())
 * whenever the agenda, the program or the reminder leads change, so that a
 * calendar application subscribed to it never shows a stale agenda. Plain C
 * on the GLib main loop, no D-Bus.
 *
 * The rewrite runs from an idle source at low priority: a burst of calls
 * (a script adding twenty talks) gives one write after the burst, and an idle
 * daemon has no source pending, so no wake-ups. */
#pragma once

#include "agenda.h"

G_BEGIN_DECLS

typedef struct _LpcCalendarFile LpcCalendarFile;

/* @agenda is borrowed and must outlive the result. */
LpcCalendarFile *lpc_calendar_file_new (LpcAgenda *agenda);
/* Drops a pending rewrite: call lpc_calendar_file_flush() first to keep it. */
void lpc_calendar_file_free (LpcCalendarFile *file);

/* Something the calendar shows changed: rewrite the file soon (if one is
 * set). Cheap; call it after every change. */
void lpc_calendar_file_queue_update (LpcCalendarFile *file);
/* Rewrites the file now if one is set (TRUE with nothing done if none is),
 * cancelling a pending rewrite. For start-up, for when the setting changes
 * (so a bad path is reported to the caller who set it), and before exit. */
gboolean lpc_calendar_file_update_now (LpcCalendarFile *file, GError **error);
/* Runs a pending rewrite now, logging a failure. */
void lpc_calendar_file_flush (LpcCalendarFile *file);
/* Why the last write failed; NULL when it succeeded (or none is set). */
const char *lpc_calendar_file_get_error (LpcCalendarFile *file);
/* How many times the file was written: for tests and logs. */
guint lpc_calendar_file_get_writes (LpcCalendarFile *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcCalendarFile, lpc_calendar_file_free)

G_END_DECLS
