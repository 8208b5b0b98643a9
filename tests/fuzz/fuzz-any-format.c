/* fuzz-any-format.c: format detection and the parser it picks, as the
 * daemon loads a program file of any format (lpc_program_load_file() without
 * the file): lpc_program_parse_any() on any bytes. The result is checked as
 * the detected format's (fuzz-check.h); an unknown format must be refused. */
#include "fuzz-check.h"

#include "lpc-error.h"
#include "program-file.h"
#include "program-format.h"

#include <string.h>

#define FILENAME "fuzz.program"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  lpc_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;
  LpcProgramFormat detected;
  LpcFuzzFormat format;

  /* The file loader refuses larger files before reading them. */
  if (size > LPC_PROGRAM_MAX_FILE_SIZE)
    return -1;

  detected = lpc_program_detect_format ((const char *) data, size);
  switch (detected)
    {
    case LPC_PROGRAM_FORMAT_LPC_TEXT:
      format = lpc_fuzz_format_lpc_text;
      break;
    case LPC_PROGRAM_FORMAT_FRAB_XML:
      format = lpc_fuzz_format_frab_xml;
      break;
    case LPC_PROGRAM_FORMAT_SCHEDULE_JSON:
      format = lpc_fuzz_format_schedule_json;
      break;
    case LPC_PROGRAM_FORMAT_ICALENDAR:
      format = lpc_fuzz_format_ics;
      break;
    case LPC_PROGRAM_FORMAT_UNKNOWN:
    default:
      /* Refused: only the error is checked, as for any format. */
      format = lpc_fuzz_format_ics;
      break;
    }
  format.filename = FILENAME;

  /* NULL data with size 0 is what an empty file gives. */
  program = lpc_program_parse_any (size > 0 ? (const char *) data : NULL, size, FILENAME,
                                   LPC_PROGRAM_FORMAT_UNKNOWN, NULL, warnings, &error);
  if (detected == LPC_PROGRAM_FORMAT_UNKNOWN)
    lpc_fuzz_check (program == NULL);
  lpc_fuzz_check_result (&format, data, size, program, error, warnings);
  return 0;
}
