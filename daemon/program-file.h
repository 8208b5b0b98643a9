/* program-file.h: what every program importer shares — reading the file with
 * the same refusals whatever its format, the first checks on its text, the
 * "FILE:LINE: what" error style, and turning marked-up descriptions into the
 * model's plain-text abstracts. Plain C, no D-Bus. */
#pragma once

#include "program.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/* Files larger than this are refused before they are read. The same value as
 * program-lpc-text.h's (identical redefinition), which this header would
 * otherwise have to include. */
#ifndef LPC_PROGRAM_MAX_FILE_SIZE
#define LPC_PROGRAM_MAX_FILE_SIZE (16 * 1024 * 1024)
#endif

/* Limits every importer of a structured format applies, so that a hostile
 * or broken file costs bounded memory and time. */
#define LPC_PROGRAM_MAX_ENTRIES 100000           /* FOSDEM has about 900 events */
#define LPC_PROGRAM_MAX_SHORT_FIELD 4096         /* bytes of a title, room, name, date… */
#define LPC_PROGRAM_MAX_LONG_FIELD (256 * 1024)  /* bytes of an abstract or description */
#define LPC_PROGRAM_MAX_DURATION (7 * 24 * 3600) /* seconds an entry may last */

/* Reads @path whole into *@out_bytes. Refuses non-regular files (FIFOs,
 * devices, directories) and files over LPC_PROGRAM_MAX_FILE_SIZE before
 * reading a byte, so a FIFO cannot block and /dev/zero cannot fill memory.
 * The bytes are followed by a NUL that is not counted in their size, for
 * parsers that want a C string. Every error, a file that cannot be opened
 * included, is LPC_ERROR_PROGRAM_INVALID with a message that starts with
 * "@path: ". */
gboolean lpc_program_read_file (const char *path, GBytes **out_bytes, GError **error);

/* What the user says about a file beyond its bytes (`lpc-agenda import
 * --timezone`, the D-Bus import options). Every field may be unset; a NULL
 * options pointer is all unset. */
typedef struct
{
  /* The IANA zone of the file's local times, for a file that names none.
   * A file that names a different zone is refused with an error naming
   * both. NULL: the file's own zone, or a guess that a warning explains. */
  const char *timezone;
  /* Checked by the importers' loops (g_cancellable_is_cancelled() is safe
   * from any thread): a parse running in a worker thread whose deadline
   * passed stops at its next check instead of running on unseen. NULL:
   * never cancelled. */
  GCancellable *cancellable;
} LpcProgramParseOptions;

/* FALSE, with @error G_IO_ERROR_CANCELLED "FILE:LINE: reading stopped",
 * when @options' cancellable is cancelled; TRUE otherwise (and for NULL
 * options). Cheap: the importers call it once per line or entry. */
gboolean lpc_program_check_cancelled (const LpcProgramParseOptions *options,
                                      const char *filename, guint lineno, GError **error);

/* What every importer's parser looks like (lpc_program_parse_lpc_text(),
 * lpc_program_parse_frab_xml(), lpc_program_parse_ics()). */
typedef LpcProgram *(*LpcProgramParseFunc) (const char *data, gsize len, const char *filename,
                                            const LpcProgramParseOptions *options,
                                            GPtrArray *warnings, GError **error);

/* Reads @path with lpc_program_read_file() and parses it with @parse, @path
 * as the file's name in messages: each format's load_*_file() is this, so
 * that they all refuse the same files the same way. */
LpcProgram *lpc_program_load_file_with_parser (const char *path, LpcProgramParseFunc parse,
                                               GPtrArray *warnings, GError **error);

/* Sets @error to LPC_ERROR_PROGRAM_INVALID "FILE:LINE: what" and returns FALSE. */
G_GNUC_PRINTF (4, 5)
gboolean lpc_program_set_line_error (GError **error, const char *filename, guint lineno,
                                     const char *format, ...);

/* Appends "FILE:LINE: what" to @warnings, which may be NULL. */
G_GNUC_PRINTF (4, 5)
void lpc_program_add_warning (GPtrArray *warnings, const char *filename, guint lineno,
                              const char *format, ...);

/* The length of a UTF-8 byte-order mark at the start of @data: 3, or 0
 * when there is none. Editors on some systems write one; no parser wants it. */
gsize lpc_program_bom_length (const char *data, gsize len);

/* Refuses what cannot be a text program in any format: an empty file, a NUL
 * byte (binary) and invalid UTF-8, naming the line of the first bad byte. */
gboolean lpc_program_check_text (const char *data, gsize len, const char *filename,
                                 GError **error);

/* The zone named @name if it is an IANA zone name ("Europe/Brussels",
 * "UTC") or a fixed offset ("+01:00") this system knows; NULL otherwise.
 * Unlike g_time_zone_new_identifier() alone, never reads a file named by
 * a path in @name ("/etc/passwd", "../x"): names come from untrusted files. */
GTimeZone *lpc_program_zone_new (const char *name);

/* lpc_program_assign_ids() for an importer that sets each entry's identity
 * itself (from a guid or UID, which is what stays the same across
 * re-imports): ids, parents and occurrence groups as assign_ids gives them,
 * the identities as they were. */
void lpc_program_assign_ids_keeping_identities (LpcProgram *program);

/* The identity of an entry the file gives no key for: @base
 * ("FORMAT|title|TITLE|START"), or "@base|N" with the first N from 2 on that
 * @taken (the identities given so far) does not hold. @next_n (string keys
 * freed with g_free) remembers, for each @base, the N to try next, so that
 * many entries of one title and start cost linear time, not quadratic.
 * Takes @base; the caller adds the result to @taken. */
char *lpc_program_unique_identity (char *base, GHashTable *taken, GHashTable *next_n);

/* What a wall-clock time is in a zone around a daylight-saving change. */
typedef enum
{
  LPC_LOCAL_TIME_EXACT,    /* it happens once */
  LPC_LOCAL_TIME_SKIPPED,  /* the clocks go forward over it */
  LPC_LOCAL_TIME_REPEATED, /* the clocks go back over it: it happens twice */
} LpcLocalTimeKind;

/* A wall-clock time resolved to an instant. */
typedef struct
{
  gint64 instant;        /* Unix time */
  gint64 wall;           /* the wall-clock time asked for, as Unix time as if it were UTC */
  gint32 offset;         /* seconds east of UTC in force at @instant */
  LpcLocalTimeKind kind;
} LpcLocalTime;

/* The UTC offset (seconds east) of a zone at the Unix time @instant. */
typedef gint32 (*LpcUtcOffsetFunc) (gint64 instant, gpointer user_data);

/* Resolves the wall-clock time @wall (as Unix time as if it were UTC) in
 * the zone whose offsets @offset_at gives, as RFC 5545 3.3.5 says for every
 * format: a time the clocks skip is read with the offset from before the
 * change (02:30 on the night they go forward from 02:00 to 03:00 is 03:30
 * summer time), a time they repeat is its first occurrence. Assumes, as
 * every zone has it, no two changes within two days. */
void lpc_program_resolve_wall_time (gint64 wall, LpcUtcOffsetFunc offset_at, gpointer user_data,
                                    LpcLocalTime *out);

/* Wall-clock @seconds after midnight on @date plus @day_offset days (0 or
 * more), in @tz, which is the program's zone and not the machine's,
 * resolved by lpc_program_resolve_wall_time(). FALSE when that day or time
 * does not exist in any zone (a bad date, @seconds not within a day). */
gboolean lpc_program_local_time (GTimeZone *tz, const GDate *date, int seconds, int day_offset,
                                 LpcLocalTime *out);

/* Adds to @warnings, for a @time that was skipped or repeated (nothing when
 * it is LPC_LOCAL_TIME_EXACT), "FILE:LINE: 02:30 on 2021-03-14 does not
 * exist in America/Los_Angeles (clocks go forward): taken as 03:30 PDT
 * (10:30 UTC), as RFC 5545 says". @tz (may be NULL) gives the zone's
 * abbreviations; without it the offset is shown. */
void lpc_program_warn_local_time (GPtrArray *warnings, const char *filename, guint lineno,
                                  const char *zone_name, GTimeZone *tz, const LpcLocalTime *time);

/* The 1-based line of byte @offset of @data. */
guint lpc_program_line_of_offset (const char *data, gsize offset);

/* The model's abstract from a description as programs publish them: plain
 * text, Markdown, or HTML (FOSDEM's <p>…</p>). HTML is recognised by its
 * common tags; then tags are removed (<p>, <div>, headings and lists end a
 * paragraph, <br> a line, <li> starts a "- " line), entities are decoded and
 * runs of white space collapse as a browser would. Markdown and plain text
 * are kept as written: Markdown is meant to read as text. In every case line
 * ends become "\n", trailing spaces go, and paragraphs are separated by
 * exactly one blank line ("\n\n"), none before the first or after the last.
 * Returns a newly allocated string, "" for NULL or blank input. */
char *lpc_program_text_from_markup (const char *text);

/* A title, room, track or name as one line: runs of white space (line breaks
 * included) become one space, control characters go, ends are trimmed. A
 * newly allocated string, "" for NULL. */
char *lpc_program_text_one_line (const char *text);

G_END_DECLS
