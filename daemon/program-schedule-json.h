/* program-schedule-json.h: the importer for frab/pretalx schedule.json, the
 * JSON twin of schedule.xml (program-frab-xml.h):
 *
 *   {"schedule": {"version": …, "conference": {
 *      "acronym", "title", "time_zone_name", "city", "venue", …,
 *      "days": [{"index", "date", "day_start", "day_end",
 *                "rooms": {"Room name": [
 *                   {"guid", "id", "date", "start", "duration", "room", "title",
 *                    "subtitle", "track", "type", "abstract", "description",
 *                    "persons": [{"public_name" | "name", …} | "Name", …], …}, …]}}]}}}
 *
 * It maps onto the model exactly as the XML does (program-schedule.h holds the
 * shared rules: the zone, identities "frab|guid|GUID", rooms, tracks,
 * persons, abstracts, one block per room and day); "day_start" and
 * "day_end" are the XML's <day start> and <day end>, a room's name the XML's
 * <room name>. An "id" may be a string or an integer. Members not listed
 * are skipped; a listed one of the wrong type is an error.
 *
 * Errors name where: a syntax error "FILE:LINE: …" (json-glib's line); any
 * other "FILE:LINE: PATH (guid G): …", PATH being the JSON path of the
 * event or day ("schedule.conference.days[1].rooms["Janson"][3]") and LINE
 * that of its opening brace. source_line is the line of the event's '{' (of
 * its room's first event for a block).
 *
 * Limits: those of the XML (LPC_PROGRAM_MAX_*); the file is one JSON object
 * nested at most 64 levels deep, checked before json-glib reads it. */
#pragma once

#include "program-file.h"

G_BEGIN_DECLS

/* Parses @data (@len bytes, need not be NUL-terminated) as
 * lpc_program_parse_frab_xml() parses XML: same warnings, errors
 * (LPC_ERROR_PROGRAM_INVALID, also for an @options->timezone that
 * contradicts the file's zone; LPC_ERROR_INVALID_ARGUMENT for one this
 * system does not know) and result. */
LpcProgram *lpc_program_parse_schedule_json (const char *data, gsize len, const char *filename,
                                             const LpcProgramParseOptions *options,
                                             GPtrArray *warnings, GError **error);

/* Reads @path with lpc_program_read_file() and parses it; errors start with
 * @path. */
LpcProgram *lpc_program_load_schedule_json_file (const char *path, GPtrArray *warnings,
                                                 GError **error);

G_END_DECLS
