/* cmd-planner.c: export — the agenda as a calendar. (conflicts, resolve,
 * free and check are in cmd-conflicts.c.) */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static gboolean
write_stdout (const char *text, GError **error)
{
  gsize length = strlen (text);

  if (fwrite (text, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot write to standard output: %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
lpc_command_export (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the calendar to FILE instead of standard output", "FILE" },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *calendar = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  g_variant_dict_insert (&options, "format", "s", "ics");
  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL
      || !lpc_agenda1_call_export_calendar_sync (proxy, g_variant_dict_end (&options), &calendar,
                                                 NULL, error))
    return FALSE;

  /* iCalendar is UTF-8 by definition: written as is, whatever the locale. */
  if (output == NULL)
    return write_stdout (calendar, error);
  if (!g_file_set_contents (output, calendar, -1, error))
    return FALSE;
  g_print ("Wrote your agenda to %s\n", output);
  return TRUE;
}
