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
  gboolean ics = FALSE;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the calendar to FILE instead of standard output", "FILE" },
    { "ics", 0, 0, G_OPTION_ARG_NONE, &ics, "iCalendar (RFC 5545), the default", NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      "Also skipped and cancelled items, as cancelled events", NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *calendar = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  if (ics && cli->json)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "export: --ics and --json are two formats: give one");
      return FALSE;
    }
  g_variant_dict_insert (&options, "format", "s", cli->json ? "json" : "ics");
  if (all)
    g_variant_dict_insert (&options, "all", "b", TRUE);
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
  /* Standard output is the calendar's when there is no -o; with -o, a
   * script asking for JSON gets only what it asked for. */
  if (!cli->json)
    g_print ("Wrote your agenda to %s\n", output);
  return TRUE;
}
