/* program-frab-xml.h: the importer for the frab/Pentabarf schedule XML that
 * FOSDEM, the CCC events and every pretalx instance publish
 * (.../schedule.xml; checked against c3voc's schedule.xml.xsd):
 *
 *   <schedule>
 *     <conference><title/><acronym/><time_zone_name/>…</conference>
 *     <day index date start end>
 *       <room name>
 *         <event guid id>
 *           <date>2024-02-03T10:30:00+01:00</date> <start>10:30</start>
 *           <duration>00:50</duration> <room/> <title/> <subtitle/> <track/>
 *           <type/> <abstract/> <description/> <persons><person/>…</persons>
 *         </event>…
 *
 * How it maps onto the model:
 *
 * - Program: name from <conference><title> (else <acronym>, else the file's
 *   name); timezone from <time_zone_name>, which must be a zone this system
 *   knows. Without one: the parse options' zone, else the zone of the
 *   <city> (or <venue>), else the UTC offset of the first <event><date> or
 *   <day start> as a fixed zone ("+01:00"), else UTC, the last three with a
 *   warning (program-schedule.h says how).
 *
 * - Blocks: each room on each day becomes one LPC_ENTRY_SESSION block, like an
 *   LPC microconference — which is what a FOSDEM devroom-day is — running
 *   from its first event's start to its last event's end. Its title is the
 *   track its events all share (a devroom: "Rust") or else the room's name
 *   (a CCC hall with mixed tracks: "Saal 1"). So the rest of the core works
 *   unchanged: talks nest in their block (parent_id), conflicts.c does not
 *   count a talk against its own block, the program's clash check finds two
 *   events in one room at once, the conference's hours per day come from the
 *   blocks, and a whole devroom-day can be picked. Identity
 *   "frab|block|DATE|ROOM", DATE being the <day>'s date.
 *
 * - Events: LPC_ENTRY_TALK, or LPC_ENTRY_BREAK for <type>break</type>. start
 *   from <date> (ISO 8601 with its offset; without one, in the program's
 *   zone), else from the <day>'s date and <start> (HH:MM[:SS]) in the
 *   program's zone, on the next calendar day when it is earlier than the
 *   <day start> (frab days run past midnight). Duration HH:MM, D:HH:MM
 *   (pretalx's form, one-digit days) or HH:MM:SS (two-digit first part); at
 *   most a week. room: the event's <room>, else its <room name>. track: <track>,
 *   else the block's title. speakers: the <person>s. abstract: <subtitle>,
 *   <abstract> and <description> (when it is not the same text) as
 *   paragraphs, each through lpc_program_text_from_markup(): HTML (FOSDEM)
 *   loses its tags, Markdown (pretalx) is kept as written.
 *
 * - Ids: slugs of titles through lpc_program_assign_ids(), as for the LPC
 *   text, so unique in the program and the same for the same file. Identity
 *   (what the store keeps ids stable by across re-imports): "frab|guid|GUID"
 *   from <event guid>, else "frab|id|ID" from <event id>, else
 *   "frab|title|TITLE|START" (START in Unix seconds, "|N" added for the Nth
 *   event with the same title and start). A guid or id used twice is an
 *   error.
 *
 * - source_line: the line of the <event> tag (of the first <room> for a
 *   block).
 *
 * The reading is GMarkup's (this file); the mapping above is
 * program-schedule.c's, shared with schedule.json (program-schedule-json.h).
 *
 * Unknown elements (<links>, <attachments>, <recording>, <url>…) are skipped
 * whole. The parser is GLib's GMarkup, which has no DTDs and so no entity
 * expansion. */
#pragma once

#include "program-file.h"

G_BEGIN_DECLS

/* Limits: at most LPC_PROGRAM_MAX_ENTRIES events, LPC_PROGRAM_MAX_SHORT_FIELD
 * bytes in a title, room, track, person, guid, date…, LPC_PROGRAM_MAX_LONG_FIELD
 * in an <abstract> or <description>, events of at most
 * LPC_PROGRAM_MAX_DURATION (program-file.h). */

/* Parses @data (@len bytes, need not be NUL-terminated). @filename is used in
 * messages only. Non-fatal oddities are appended to @warnings (may be NULL;
 * give the array g_free as its free func) as "FILE:LINE: text". On error
 * returns NULL and sets @error to LPC_ERROR_PROGRAM_INVALID "FILE:LINE: what"
 * (also "FILE: what" for an @options->timezone other than the file's
 * <time_zone_name>; LPC_ERROR_INVALID_ARGUMENT for one this system does not
 * know; LPC_ERROR_FAILED when the system lacks a zone it needs for UTC
 * offsets).
 * The returned program has ids, identities and parent_ids assigned and
 * source_hash set. */
LpcProgram *lpc_program_parse_frab_xml (const char *data, gsize len, const char *filename,
                                        const LpcProgramParseOptions *options,
                                        GPtrArray *warnings, GError **error);

/* Reads @path with lpc_program_read_file() (same refusals as the LPC text
 * loader: non-regular files, over 16 MiB) and parses it; errors start with
 * @path. */
LpcProgram *lpc_program_load_frab_xml_file (const char *path, GPtrArray *warnings,
                                            GError **error);

G_END_DECLS
