/* fuzz-lpc-text.c: the LPC timetable text importer under libFuzzer: any
 * bytes are parsed from memory as the daemon parses a file it was given,
 * then what it does next with a program (hash, ids, lookups) is done too.
 * Everything is freed, so LeakSanitizer sees every leak; the program's
 * documented promises are checked (fuzz-check.h), so a broken one is a
 * crash. */
#include "fuzz-check.h"

#include "program-lpc-text.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  lpc_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return lpc_fuzz_parse_and_check (&lpc_fuzz_format_lpc_text, lpc_program_parse_lpc_text, data,
                                   size);
}
