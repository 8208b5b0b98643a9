/* calendar-export.h: the agenda as an RFC 5545 iCalendar, written with
 * libical. Plain C, no D-Bus.
 *
 * One VEVENT per agenda item:
 *   UID          "<entry id>@<program slug>.lpc-agenda": stable per talk, since
 *                entry ids are stable across re-imports of a program, and
 *                distinct between conferences.
 *   DTSTART/DTEND wall-clock times in the program's time zone (TZID, no
 *                "Z"), with a VTIMEZONE made from the system's zone data
 *                (GTimeZone) holding only the observances the events fall in;
 *                in UTC ("Z", no VTIMEZONE) when the zone is UTC or unknown to
 *                the system, and for a time in an hour that comes twice.
 *   DTSTAMP      UTC.
 *   SUMMARY = title, LOCATION = room, CATEGORIES = track,
 *   DESCRIPTION  speakers, then the abstract, then the item's note.
 *   STATUS       CONFIRMED; CANCELLED for skipped items and talks that left
 *                the program (those are only exported when asked for).
 *   VALARM       one DISPLAY alarm per reminder lead (TRIGGER:-PT<lead>M),
 *                none when the item's reminders are off.
 * A calendar application subscribed to the file sees the same UIDs on every
 * rewrite, so it updates events rather than duplicating them. */
#pragma once

#include "program.h"
#include "store.h"

G_BEGIN_DECLS

typedef struct
{
  const LpcEntry *entry;    /* borrowed */
  LpcItemState state;
  const char *abstract;     /* "" or NULL when none */
  const char *note;         /* "" or NULL when none */
  const guint *leads;       /* minutes before start; NULL/0 leads: no alarm */
  guint n_leads;
} LpcCalendarEvent;

typedef struct
{
  const char *program_name; /* X-WR-CALNAME, and the UIDs' domain */
  const char *timezone;     /* IANA zone of the program */
  gint64 stamp;             /* DTSTAMP, Unix seconds: when the export was made */
} LpcCalendarExport;

/* The iCalendar text (CRLF line ends, lines folded at 75 octets) of @events,
 * in the given order. Fails with LPC_ERROR_INVALID_ARGUMENT only when an
 * event cannot be represented (end before start). */
char *lpc_calendar_export_ics (const LpcCalendarExport *export, const LpcCalendarEvent *events,
                               guint n_events, GError **error);

/* The same events as JSON, for scripts (UTF-8, one object):
 *   {"calendar": NAME, "timezone": ZONE, "events": [
 *     {"uid", "id", "title", "start", "end" (RFC 3339 in the program's zone),
 *      "start-unix", "end-unix", "room", "track", "speakers": [...],
 *      "abstract", "note", "state" (planned/skipped/moved/cancelled),
 *      "status" (confirmed/cancelled, as in the iCalendar), "alarms": [minutes
 *      before the start, as the VALARMs]}, ...]} */
char *lpc_calendar_export_json (const LpcCalendarExport *export, const LpcCalendarEvent *events,
                                guint n_events, GError **error);

/* Skipped and cancelled items are exported (when asked for) as
 * STATUS:CANCELLED, without alarms. */
gboolean lpc_calendar_event_is_cancelled (const LpcCalendarEvent *event);

/* What marks a calendar as written by lpc_calendar_export_ics(): the
 * importer refuses such a file as a program (see program-ics.c). */
#define LPC_CALENDAR_PRODID_PREFIX "-//lpc-agenda//"
#define LPC_CALENDAR_UID_SUFFIX ".lpc-agenda"

/* The UID an entry gets in exports of the program @program_name. */
char *lpc_calendar_event_uid (const char *program_name, const char *entry_id);

G_END_DECLS
