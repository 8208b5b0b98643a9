/* fuzz-ics.c: the iCalendar importer (its own line scan, then libical's
 * parser, recurrence expansion and zones) under libFuzzer, from memory, as
 * the daemon parses a file it was given; the result is checked like every
 * parser's (fuzz-check.h): no blocks, time order, series in one group. */
#include "fuzz-check.h"

#include "program-ics.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  lpc_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return lpc_fuzz_parse_and_check (&lpc_fuzz_format_ics, lpc_program_parse_ics, data, size);
}
