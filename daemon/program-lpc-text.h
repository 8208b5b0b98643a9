/* program-lpc-text.h: the importer for the LPC timetable text format
 * (data/lpc2021-timetable.txt). See DESIGN.md for the traps of the format. */
#pragma once

#include "program-file.h"

G_BEGIN_DECLS

/* Files larger than this are refused before they are read. */
#define LPC_PROGRAM_MAX_FILE_SIZE (16 * 1024 * 1024)

/* The zone the LPC 2021 timetable's times are written in. */
#define LPC_TEXT_TIMEZONE "America/Los_Angeles"

/* Parses @data (@len bytes, need not be NUL-terminated). @filename is used in
 * messages only. Non-fatal oddities (an entry with no title) are appended to
 * @warnings (may be NULL; the strings are newly allocated, so give the array
 * g_free as its free func) as "FILE:LINE: text" strings. On error, returns
 * NULL and sets @error (LPC_ERROR_PROGRAM_INVALID) to a message
 * "FILE:LINE: what". The returned program has ids assigned (see slug.h) and
 * source_hash set. The file has no dates: its first block is on Monday
 * 2021-09-20, and the days after are inferred from the block order. */
LpcProgram *lpc_program_parse_lpc_text (const char *data, gsize len, const char *filename, const LpcProgramParseOptions *options,
                                        GPtrArray *warnings, GError **error);

/* Reads and parses @path: refuses non-regular files (FIFOs, devices), files
 * over LPC_PROGRAM_MAX_FILE_SIZE (both before reading a byte), empty and
 * binary files, with an error that names the file. Every error, a file that
 * cannot be opened included, is LPC_ERROR_PROGRAM_INVALID with a message that
 * starts with @path. */
LpcProgram *lpc_program_load_lpc_text_file (const char *path, GPtrArray *warnings,
                                            GError **error);

/* lpc_content_hash() of the file's content, for "has the shipped program changed?"
 * without parsing it. Same refusals as lpc_program_load_lpc_text_file(). */
char *lpc_program_hash_file (const char *path, GError **error);

G_END_DECLS
