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
  const LpcFuzzFormat *format = &lpc_fuzz_format_lpc_text;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;

  /* The file loader refuses larger files before reading them. */
  if (size > LPC_PROGRAM_MAX_FILE_SIZE)
    return -1;

  program = lpc_program_parse_lpc_text ((const char *) data, size, format->filename, warnings,
                                        &error);
  lpc_fuzz_check_result (format, data, size, program, error, warnings);
  return 0;
}
