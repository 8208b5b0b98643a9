/* main.c: lpc-agenda — the command table, the global options, dispatch, and
 * turning errors into messages and exit statuses. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "arguments.h"
#include "call.h"
#include "cli.h"
#include "commands.h"
#include "lpc-error.h"

static const LpcCommand commands[] = {
  { "list", lpc_command_list, "List the program's talks (--all: also sessions and breaks)", "",
    LPC_COMMAND_JSON },
  { "search", lpc_command_search, "Find talks by words in title, speakers, track or abstract",
    "WORD…", LPC_COMMAND_JSON },
  { "show", lpc_command_show, "Show everything about one talk or session", "ID", LPC_COMMAND_JSON },
  { "add", lpc_command_add, "Put a talk or a whole session on your agenda", "ID",
    LPC_COMMAND_JSON },
  { "remove", lpc_command_remove, "Take a talk off your agenda", "ID", LPC_COMMAND_NONE },
  { "skip", lpc_command_skip, "Keep a talk on your agenda but skip it (no reminders)", "ID",
    LPC_COMMAND_NONE },
  { "unskip", lpc_command_unskip, "Plan a skipped talk again", "ID", LPC_COMMAND_NONE },
  { "snooze", lpc_command_snooze, "Show a talk's reminder again in MINUTES (default 5)",
    "ID [MINUTES]", LPC_COMMAND_NONE },
  { "agenda", lpc_command_agenda, "Show your agenda, day by day", "", LPC_COMMAND_JSON },
  { "next", lpc_command_next, "Show the next talk you planned", "", LPC_COMMAND_JSON },
  { "now", lpc_command_now, "Show what is on right now", "", LPC_COMMAND_JSON },
  { "conflicts", lpc_command_conflicts, "Show clashes on your agenda (exit 1 if any)", "",
    LPC_COMMAND_JSON },
  { "resolve", lpc_command_resolve, "Plan your way out of the clashes (--apply: do it)", "",
    LPC_COMMAND_JSON },
  { "free", lpc_command_free, "Show the free time between your picks and the talks that fit",
    "[DAY]", LPC_COMMAND_JSON },
  { "check", lpc_command_check, "Check the whole program for clashes (exit 1 if any)", "",
    LPC_COMMAND_JSON },
  { "export", lpc_command_export, "Export your agenda as iCalendar (--json for scripts)", "",
    LPC_COMMAND_JSON },
  { "import", lpc_command_import,
    "Load a new program (LPC text, schedule XML, .ics), keeping your picks", "FILE",
    LPC_COMMAND_JSON },
  { "status", lpc_command_status, "Show what the daemon runs with", "", LPC_COMMAND_JSON },
  { "config", lpc_command_config,
    "Show or change a setting (lead-time, lead-times, travel-time, soft-overlap, calendar-file)",
    "[KEY [VALUE]]",
    LPC_COMMAND_JSON },
  { "repair", lpc_command_repair, "Salvage a damaged database into a fresh one (daemon stopped)",
    "", LPC_COMMAND_NONE },
};

static const LpcCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static char *
commands_summary (void)
{
  g_autoptr (GString) summary
      = g_string_new ("Keeps your personal agenda for Linux Plumbers Conference 2021, with the\n"
                      "agenda daemon lpc-agendad on the D-Bus session bus.\n\nCommands:\n");
  int name_width = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    name_width = MAX (name_width, (int)strlen (commands[i].name));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "  %-*s  %s\n", name_width, commands[i].name,
                            commands[i].description);
  g_string_append_printf (summary, "  %-*s  %s", name_width, "help", "Show the help of a command");
  return g_string_free (g_steal_pointer (&summary), FALSE);
}

/* The global options come before the command's name; every command accepts
 * them after its name too. */
static GOptionContext *
main_option_context (LpcCli *cli, gboolean *version)
{
  GOptionContext *context = g_option_context_new ("COMMAND [ARGUMENT…]");
  g_autofree GOptionEntry *globals = lpc_cli_global_entries (cli, TRUE);
  g_autofree char *summary = commands_summary ();
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, version, "Show the version", NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_context_set_summary (context, summary);
  g_option_context_set_description (
      context, "Run `lpc-agenda COMMAND --help` for a command's own options; see lpc-agenda(1).");
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, globals, NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  return context;
}

/* Every argument must be UTF-8: it goes to the daemon as a D-Bus string. The
 * message names the option a bad value belongs to. */
static gboolean
check_arguments_utf8 (int argc, char **argv, GError **error)
{
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *shown = lpc_arguments_invalid_utf8 (argv[i]);
      g_autofree char *option = NULL;

      if (shown == NULL)
        continue;
      if (g_str_has_prefix (argv[i], "--") && strchr (argv[i], '=') != NULL)
        option = g_strndup (argv[i], strchr (argv[i], '=') - argv[i]);
      else if (i > 1 && argv[i - 1][0] == '-' && argv[i - 1][1] != '\0' && argv[i][0] != '-')
        option = g_strdup (argv[i - 1]);

      if (option != NULL && g_utf8_validate (option, -1, NULL))
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "the value of %s is not valid UTF-8: ‘%s’", option, shown);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "argument %d is not valid UTF-8: ‘%s’", i, shown);
      return FALSE;
    }
  return TRUE;
}

static int
fail (const GError *error)
{
  lpc_cli_print_error (error);
  return lpc_cli_exit_status_for_error (error);
}

static int
run_command (LpcCli *cli, const LpcCommand *command, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  if (!command->fn (cli, command, argc, argv, &error))
    {
      if (lpc_call_is_timeout (error) && cli->proxy != NULL)
        return lpc_call_report_timeout (cli);
      return fail (error);
    }
  return cli->status;
}

/* `lpc-agenda help [COMMAND]`. */
static int
run_help (LpcCli *cli, GOptionContext *context, int argc, char **argv)
{
  const LpcCommand *command;
  char *help_argv[] = { NULL, (char *)"--help", NULL };

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", help);
      return LPC_EXIT_OK;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_printerr ("lpc-agenda: help: unknown command ‘%s’ (see `lpc-agenda --help`)\n", argv[1]);
      return LPC_EXIT_USAGE;
    }
  help_argv[0] = (char *)command->name;
  return run_command (cli, command, 2, help_argv);
}

int
main (int argc, char **argv)
{
  LpcCli cli;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  const LpcCommand *command;
  gboolean version = FALSE;
  int status;

  setlocale (LC_ALL, "");
  g_set_prgname ("lpc-agenda");
  /* Registers the LPC_ERROR domain's D-Bus names before the first call, so
   * the daemon's named errors arrive as LPC_ERROR codes. */
  lpc_error_quark ();

  lpc_cli_init (&cli);
  if (!check_arguments_utf8 (argc, argv, &error))
    return fail (error);

  context = main_option_context (&cli, &version);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = fail (error);
      lpc_cli_clear (&cli);
      return status;
    }

  if (version)
    {
      g_print ("lpc-agenda %s\n", PACKAGE_VERSION);
      status = LPC_EXIT_OK;
    }
  else if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      /* Asked for, help goes to stdout; as the answer to a missing command, it
       * is a usage error's explanation. */
      if (cli.help)
        g_print ("%s", help);
      else
        g_printerr ("%s", help);
      status = cli.help ? LPC_EXIT_OK : LPC_EXIT_USAGE;
    }
  else if (strcmp (argv[1], "help") == 0)
    status = run_help (&cli, context, argc - 1, argv + 1);
  else if ((command = find_command (argv[1])) != NULL)
    status = run_command (&cli, command, argc - 1, argv + 1);
  else
    {
      g_printerr ("lpc-agenda: unknown command ‘%s’ (see `lpc-agenda --help`)\n", argv[1]);
      status = LPC_EXIT_USAGE;
    }

  lpc_cli_clear (&cli);
  return status;
}
