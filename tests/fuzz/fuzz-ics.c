/* fuzz-ics.c: the iCalendar importer (its own line scan, then libical's
 * parser, recurrence expansion and zones) under libFuzzer, from memory, as
 * the daemon parses a file it was given; the result is checked like every
 * parser's (fuzz-check.h): no blocks, time order, series in one group. */
#include "fuzz-check.h"

#include "program-file.h"
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
  const LpcFuzzFormat *format = &lpc_fuzz_format_ics;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;

  /* The file loader refuses larger files before reading them. */
  if (size > LPC_PROGRAM_MAX_FILE_SIZE)
    return -1;

  program = lpc_program_parse_ics ((const char *) data, size, format->filename, warnings, &error);
  lpc_fuzz_check_result (format, data, size, program, error, warnings);
  return 0;
}
