/* program-schedule.h: a frab-style schedule, whatever its syntax. The frab
 * schedule XML (program-frab-xml.h) and its JSON twin schedule.json
 * (program-schedule-json.h) hold the same conference, days, rooms and events;
 * each reader fills an LpcSchedule with their fields as text, and
 * lpc_schedule_build() makes the program from it, so that the zone, the
 * times, identities, rooms, tracks, persons, abstracts and blocks follow the
 * same rules for both (program-frab-xml.h says how the schedule maps onto the
 * model).
 *
 * The program's zone is never a silent guess:
 *
 * - The file's <time_zone_name> ("time_zone_name") when it names one. A
 *   different LpcProgramParseOptions.timezone is refused with
 *   LPC_ERROR_PROGRAM_INVALID naming both, as the D-Bus contract says of
 *   every format (the file cannot be read as the caller says); an option
 *   zone this system does not know is LPC_ERROR_INVALID_ARGUMENT.
 * - Else the option's zone, without a warning.
 * - Else the zone whose tz-database city (the last part of its name, '_' as a
 *   space, any case: "New York" is America/New_York) is the conference's
 *   <city> or one comma-separated part of it or of its <venue>, with a
 *   warning that the zone was taken from the city. The cities are read from
 *   the system's zone.tab (zone1970.tab) under $TZDIR or
 *   /usr/share/zoneinfo, once per import that needs them.
 * - Else the UTC offset of the first event's date (or day start) as a fixed
 *   zone, else UTC, with a warning naming the zone assumed and how to give
 *   another: `lpc-agenda import --timezone ZONE FILE`.
 *
 * An event's ISO 8601 date with an offset is its instant whatever the zone:
 * when the offset is not the program zone's at that instant (pretalx exports
 * do this), the instant wins and one warning per file says for how many
 * events, naming the first. */
#pragma once

#include "program-file.h"

G_BEGIN_DECLS

typedef enum
{
  LPC_SCHEDULE_XML,
  LPC_SCHEDULE_JSON,
} LpcScheduleSyntax;

/* A field as written, and where: @line 0 when the reader knows none. */
typedef struct
{
  char *text; /* NULL when absent; in LpcSchedule.strings */
  guint line;
} LpcScheduleField;

typedef struct
{
  guint line;  /* 0: unknown */
  char *where; /* the JSON path ("schedule.conference.days[1]"), NULL in XML */
  /* As written; in LpcSchedule.strings. */
  char *date_attr;
  char *start_attr;
  char *end_attr;
  /* Resolved by lpc_schedule_build(). */
  gboolean has_date;
  GDate date;
  gboolean has_start;
  gint64 start;
  char *key; /* "2024-02-03", or "day-N" for a day without a date */
} LpcScheduleDay;

typedef struct
{
  guint line;  /* 0: unknown */
  char *where; /* the JSON path with its guid or id, NULL in XML */
  guint day;   /* index into LpcSchedule.days */
  /* These strings are in LpcSchedule.strings. */
  char *guid;
  char *id;
  char *room_name; /* the enclosing room's name */
  guint room_line;
  LpcScheduleField date, start, duration, room, title, subtitle, track, type, abstract, description;
  GPtrArray *persons; /* char*, one line each */
} LpcScheduleEvent;

typedef struct
{
  LpcScheduleSyntax syntax;
  const char *filename;
  const LpcProgramParseOptions *options; /* may be NULL */
  GPtrArray *warnings;                   /* may be NULL */
  /* Every field's text: a 10,000-event schedule has over 100,000 of them,
   * which one by one were a tenth of the parse in malloc() and free(). */
  GStringChunk *strings;
  LpcScheduleField conference_title, acronym, time_zone_name, city, venue;
  GPtrArray *days;   /* LpcScheduleDay* */
  GPtrArray *events; /* LpcScheduleEvent* */

  /* Set by lpc_schedule_build(). */
  GTimeZone *tz;
  char *zone_name;
} LpcSchedule;

/* An event's fields that both syntaxes read as text: their name (an XML
 * element, a JSON member) and the most bytes they may hold. */
typedef struct
{
  const char *name;
  gsize offset; /* of the LpcScheduleField in LpcScheduleEvent */
  gsize max;
} LpcScheduleTextField;

extern const LpcScheduleTextField lpc_schedule_text_fields[];
extern const guint lpc_schedule_n_text_fields;

/* @event's field for @spec. */
static inline LpcScheduleField *
lpc_schedule_event_field (LpcScheduleEvent *event, const LpcScheduleTextField *spec)
{
  return G_STRUCT_MEMBER_P (event, spec->offset);
}

void lpc_schedule_init (LpcSchedule *schedule, LpcScheduleSyntax syntax, const char *filename,
                        const LpcProgramParseOptions *options, GPtrArray *warnings);
void lpc_schedule_clear (LpcSchedule *schedule);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpcSchedule, lpc_schedule_clear)

/* A copy of @text in the schedule's strings, NULL for NULL. */
char *lpc_schedule_intern (LpcSchedule *schedule, const char *text);

/* A new day at the end of the list (its fields unset). */
LpcScheduleDay *lpc_schedule_add_day (LpcSchedule *schedule, guint line);

/* A new event in the last day, or NULL and an error when there are already
 * LPC_PROGRAM_MAX_ENTRIES. */
LpcScheduleEvent *lpc_schedule_add_event (LpcSchedule *schedule, guint line, const char *where,
                                          GError **error);

/* Sets @error to LPC_ERROR_PROGRAM_INVALID: "FILE:LINE: what" in XML,
 * "FILE:LINE: WHERE: what" (or "FILE: WHERE: what" without a line) in JSON. */
G_GNUC_PRINTF (5, 6)
gboolean lpc_schedule_error (const LpcSchedule *schedule, guint line, const char *where,
                             GError **error, const char *format, ...);

/* The second pass: the zone, the days, an entry per event (in document
 * order) and a block per room and day. @data and @len are the file's, for
 * its hash. Errors as lpc_schedule_error() (LPC_ERROR_INVALID_ARGUMENT for
 * an unknown option zone, see above; LPC_ERROR_FAILED when the system lacks
 * a zone it needs for UTC offsets). */
LpcProgram *lpc_schedule_build (LpcSchedule *schedule, const char *data, gsize len, GError **error);

G_END_DECLS
