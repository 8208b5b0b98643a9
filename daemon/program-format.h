/* program-format.h: which importer a program file needs, told by its
 * content (never by its name, which a download or a user may have changed),
 * and one loader for them all. Plain C, no D-Bus. */
#pragma once

#include "program-file.h"

G_BEGIN_DECLS

typedef enum
{
  LPC_PROGRAM_FORMAT_UNKNOWN,
  LPC_PROGRAM_FORMAT_LPC_TEXT,  /* program-lpc-text.h */
  LPC_PROGRAM_FORMAT_FRAB_XML,  /* program-frab-xml.h */
  LPC_PROGRAM_FORMAT_ICALENDAR, /* program-ics.h */
  LPC_PROGRAM_FORMAT_SCHEDULE_JSON, /* program-schedule-json.h */
} LpcProgramFormat;

/* Looks at the start of @data (after a byte-order mark, blank space and, for
 * XML, its declaration and comments): "BEGIN:VCALENDAR" (any case) is
 * iCalendar; XML ("<?xml", "<schedule", or any other element but HTML) is
 * frab schedule XML, whose parser names a wrong root element; a JSON object
 * with a "schedule" member (looked for in the whole text, in one pass) is
 * frab/pretalx schedule JSON; a NUL byte in the first 4 KiB, HTML, and other
 * JSON ('{' or '[') are unknown; anything else is LPC timetable text, whose
 * parser says precisely what is wrong with a text that is not one. */
LpcProgramFormat lpc_program_detect_format (const char *data, gsize len);

/* "LPC timetable text", "frab schedule XML", "iCalendar", "frab schedule JSON",
 * "unknown". */
const char *lpc_program_format_to_string (LpcProgramFormat format);

/* Parses @data with the importer of @format (lpc_program_detect_format()
 * when @format is LPC_PROGRAM_FORMAT_UNKNOWN); an unknown format is
 * LPC_ERROR_PROGRAM_INVALID "FILENAME: …" naming what it looks like and what
 * can be read. For fuzzing and for callers that already hold the bytes. */
LpcProgram *lpc_program_parse_any (const char *data, gsize len, const char *filename,
                                   LpcProgramFormat format,
                                   const LpcProgramParseOptions *options, GPtrArray *warnings,
                                   GError **error);

/* Reads @path (lpc_program_read_file(): regular files of at most 16 MiB) and
 * parses it with the importer its content asks for. Errors start with
 * @path; warnings are "PATH:LINE: text". If @out_format is not NULL it is
 * set to the format detected, also on a parse error. */
LpcProgram *lpc_program_load_file (const char *path, const LpcProgramParseOptions *options,
                                   GPtrArray *warnings,
                                   LpcProgramFormat *out_format, GError **error);

G_END_DECLS
