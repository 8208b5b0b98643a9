/* fuzz-schedule-json.c: the frab/pretalx schedule.json importer under
 * libFuzzer, from memory, as the daemon parses a file it was given; the
 * result is checked like every parser's (fuzz-check.h), and every block is
 * checked to hold its talks (one room's day), as for the XML. */
#include "fuzz-check.h"

#include "program-schedule-json.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  lpc_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return lpc_fuzz_parse_and_check (&lpc_fuzz_format_schedule_json,
                                   lpc_program_parse_schedule_json, data, size);
}
