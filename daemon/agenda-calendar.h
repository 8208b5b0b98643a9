/* agenda-calendar.h: the agenda of an LpcAgenda as iCalendar text
 * (calendar-export.h), and the calendar file the daemon keeps current.
 * Plain C, no D-Bus. */
#pragma once

#include "agenda.h"

G_BEGIN_DECLS

typedef enum
{
  LPC_CALENDAR_ICS,
  LPC_CALENDAR_JSON,
} LpcCalendarFormat;

/* "ics" or "json"; FALSE for anything else. */
gboolean lpc_calendar_format_from_string (const char *str, LpcCalendarFormat *out_format);

/* Every planned or moved item (and with @include_skipped, skipped and
 * cancelled ones as STATUS:CANCELLED), by start time, with a VALARM per
 * reminder lead: the item's own leads, else the LeadTimes default. */
char *lpc_agenda_export_calendar (LpcAgenda *agenda, LpcCalendarFormat format,
                                  gboolean include_skipped, GError **error);
char *lpc_agenda_export_ics (LpcAgenda *agenda, gboolean include_skipped, GError **error);

/* Writes @contents to @path atomically: a temporary file beside it, synced,
 * then renamed over it, so a calendar application reading the file sees the
 * old calendar or the new one, never a part. @path must be absolute; its
 * folder must exist. */
gboolean lpc_calendar_file_write (const char *path, const char *contents, GError **error);

G_END_DECLS
