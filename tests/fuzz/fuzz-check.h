/* fuzz-check.h: what every parser's result must be, whatever the format —
 * program.h, slug.h and the importers' headers as promises, and what the
 * store checks before it imports a program (store.c, validate_program()) —
 * checked on each fuzz input with lpc_fuzz_check(), so that a broken
 * promise is a crash with its input. The few differences between formats
 * (the LPC text's fixed zone, the blocks an .ics does not have) are a
 * LpcFuzzFormat. */
#pragma once

#include "fuzz.h"
#include "program-file.h"
#include "program.h"

G_BEGIN_DECLS

typedef struct
{
  /* Given to the parser: every message starts with "FILENAME:". */
  const char *filename;
  /* The zone of every program of the format, or NULL: a zone that
   * lpc_program_zone_new() knows, whatever the file says. */
  const char *zone;
  /* Talks and breaks nest in the block before them, which comes first in
   * program order; FALSE: the format has no blocks at all (iCalendar). */
  gboolean has_blocks;
  /* A talk's track is its block's title (the LPC text); otherwise only a
   * block's own track is its title. */
  gboolean track_is_block_title;
  /* A talk is in its block's room and within its hours (frab: a block is a
   * room's day). */
  gboolean inside_block;
  /* Program order is time order (iCalendar: no blocks to order by). */
  gboolean time_ordered;
  /* The parser sets identities from the file (guid, UID) and assigns ids with
   * lpc_program_assign_ids_keeping_identities(); occurrence groups are its
   * own (an RRULE's series) when @own_occurrence_groups. */
  gboolean own_identities;
  gboolean own_occurrence_groups;
  /* Seconds a talk or break may last, 0 for no limit. */
  gint64 max_duration;
} LpcFuzzFormat;

extern const LpcFuzzFormat lpc_fuzz_format_lpc_text;
extern const LpcFuzzFormat lpc_fuzz_format_frab_xml;
extern const LpcFuzzFormat lpc_fuzz_format_schedule_json;
extern const LpcFuzzFormat lpc_fuzz_format_ics;

/* Checks what a parser gave for @data: its @warnings ("FILENAME:" and one
 * line each), then either its refusal (@program NULL: @error is a
 * LPC_ERROR_PROGRAM_INVALID "FILENAME:…" in UTF-8) or the program, and that
 * assigning its ids again on a copy gives the same ids. Aborts on the first
 * broken promise. */
void lpc_fuzz_check_result (const LpcFuzzFormat *format, const uint8_t *data, size_t size,
                            LpcProgram *program, const GError *error, GPtrArray *warnings);

/* LLVMFuzzerTestOneInput() of a target over one format's parser: @parse on
 * @data from memory, as the daemon parses a file it was given, and its
 * result checked with lpc_fuzz_check_result(). Returns what the target
 * returns: -1 (not added to the corpus) for an input larger than the file
 * loader reads, 0 otherwise. */
int lpc_fuzz_parse_and_check (const LpcFuzzFormat *format, LpcProgramParseFunc parse,
                              const uint8_t *data, size_t size);

G_END_DECLS
