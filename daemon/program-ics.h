/* program-ics.h: the importer for a conference program published as an
 * iCalendar file (.ics, RFC 5545), read with libical.
 *
 * How it maps onto the model:
 *
 * - Program: name from X-WR-CALNAME, else NAME (RFC 7986), else PRODID's
 *   product part ("-//pretalx//FOSDEM 2024//EN" gives "FOSDEM 2024"), else
 *   the file's name. timezone: X-WR-TIMEZONE (an unknown one is an error:
 *   floating times would be read in the wrong zone), else the first
 *   VTIMEZONE's TZID, else the first DTSTART's TZID, each taken when it is
 *   or ends in an IANA name ("/mozilla.org/20050126_1/Europe/Berlin" gives
 *   Europe/Berlin); else UTC, with a warning.
 *
 * - Entries: every VEVENT is an LPC_ENTRY_TALK; there are no blocks (an .ics
 *   has no sessions), so parent_id is NULL and the conference's hours come
 *   from the talks themselves (conflicts.c handles a program without
 *   blocks). title SUMMARY, room LOCATION ("" without one), track the first
 *   CATEGORIES value, abstract DESCRIPTION (through
 *   lpc_program_text_from_markup(), so HTML pasted into it reads as text),
 *   speakers the CN of each ATTENDEE that is not ROLE=NON-PARTICIPANT, or the
 *   ORGANIZER's CN when no attendee has one (a calendar's ORGANIZER is
 *   mostly the conference itself).
 *
 * - Times: DTSTART with TZID (an IANA name: the system's tzdata, like the
 *   rest of lpc-agenda; any other name: the file's VTIMEZONE of that TZID
 *   through libical; neither: an error), in UTC ("Z"), or floating (the
 *   program's zone). The end from DTEND, else DURATION, else the start
 *   (RFC 5545: a zero-length event). DTEND before DTSTART, both DTEND and
 *   DURATION, and more than LPC_PROGRAM_MAX_DURATION are errors. All-day
 *   events (DATE values) and STATUS:CANCELLED ones are skipped with a warning:
 *   "registration open all day" is no talk to plan around.
 *
 * - Recurrence: RRULE is expanded with libical (EXDATEs removed, each
 *   RECURRENCE-ID override replacing the occurrence it names), every
 *   occurrence an entry of its own, all in one occurrence_group (the id of the
 *   first). A rule without COUNT or UNTIL, or with more than
 *   LPC_ICS_MAX_OCCURRENCES occurrences, is refused: a program has a last
 *   day, and guessing where to cut an endless rule would silently drop or
 *   invent talks. So is a rule whose occurrences are not all found within
 *   LPC_ICS_MAX_RULE_STEPS steps of its FREQ (BY-parts that never match
 *   would keep libical searching for centuries of minutes). RDATE is not supported (a warning; its dates are left out).
 *
 * - Ids: slugs of SUMMARYs via lpc_program_assign_ids(), in order of start.
 *   Identity: "ics|UID" for a single event, "ics|UID|T" for the occurrence
 *   of a recurring one whose original start (RECURRENCE-ID) is T in Unix
 *   seconds; without a UID "ics|title|SUMMARY|START" ("|N" for repeats). A
 *   UID used by two events that are not a series and its overrides is an
 *   error.
 *
 * - source_line: the line of the VEVENT's BEGIN. libical keeps no lines, so
 *   the importer scans the text itself (unfolding continuation lines) and
 *   pairs the n-th VEVENT it finds with libical's n-th; messages name the
 *   line of the property that is wrong, and the event's SUMMARY and UID.
 *
 * Limits as for frab XML (program-file.h); a single VCALENDAR per file. */
#pragma once

#include "program-file.h"

G_BEGIN_DECLS

/* Occurrences one RRULE may have. */
#define LPC_ICS_MAX_OCCURRENCES 1000
/* Candidate instants (steps of FREQ×INTERVAL from DTSTART) libical may try
 * for one RRULE: 100,000 steps take it a few milliseconds, and a rule that
 * needs more finds its occurrences too rarely to describe a conference
 * (FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30 finds none at all). */
#define LPC_ICS_MAX_RULE_STEPS 100000
/* Bytes of one content line, unfolded: a DESCRIPTION as long as
 * LPC_PROGRAM_MAX_LONG_FIELD still fits. libical's parser takes time in the
 * square of a line's length (libical 3.0.16 here: 0.03 s for 256 KiB, 5.6 s
 * for 4 MiB, so minutes for a 16 MiB file of one line), and is never given
 * a longer one. */
#define LPC_ICS_MAX_LINE (LPC_PROGRAM_MAX_LONG_FIELD + 1024)

/* Parses @data (@len bytes, need not be NUL-terminated). @filename is used in
 * messages only. Warnings go to @warnings (may be NULL; g_free as its free
 * func) as "FILE:LINE: text". On error returns NULL and sets @error to
 * LPC_ERROR_PROGRAM_INVALID "FILE:LINE: what". The returned program has ids,
 * identities and occurrence groups assigned and source_hash set. */
LpcProgram *lpc_program_parse_ics (const char *data, gsize len, const char *filename, const LpcProgramParseOptions *options,
                                   GPtrArray *warnings, GError **error);

/* Reads @path with lpc_program_read_file() and parses it; errors start with
 * @path. */
LpcProgram *lpc_program_load_ics_file (const char *path, GPtrArray *warnings, GError **error);

G_END_DECLS
