/* cmd-reminders.c: snooze — a reminder again later, as the notification's
 * "Snooze" action does, for a desktop without actions or from a script. */
#include "commands.h"

#include "arguments.h"
#include "time-format.h"

#define SNOOZE_DEFAULT_MINUTES 5
#define SNOOZE_MAX_MINUTES 1440

gboolean
lpc_command_snooze (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (GStrv) args = NULL;
  g_autofree char *when = NULL;
  g_autofree char *doing = NULL;
  GTimeZone *zone;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;
  guint minutes = SNOOZE_DEFAULT_MINUTES;
  gint64 now = 0;

  parsed = lpc_cli_parse_args (cli, command, NULL, 1, 2, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;
  if (!lpc_arguments_check_id (args[0], error))
    return FALSE;
  if (args[1] != NULL
      && !lpc_arguments_parse_minutes ("MINUTES", args[1], SNOOZE_MAX_MINUTES, &minutes, error))
    return FALSE;
  if (minutes == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "a snooze is 1 to %d minutes, not 0", SNOOZE_MAX_MINUTES);
      return FALSE;
    }

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL)
    return FALSE;
  doing = g_strdup_printf ("snoozing %s's reminder", args[0]);
  lpc_call_expect_change (cli, LPC_CHANGE_OPAQUE, doing, args[0], NULL, "lpc-agenda agenda");
  if (!lpc_agenda1_call_snooze_sync (proxy, args[0], minutes, NULL, error))
    return FALSE;
  /* The daemon's clock (maybe a simulated one) says when that is. */
  if (!lpc_cli_get_now (cli, &now, error))
    return FALSE;
  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL)
    return FALSE;
  when = lpc_format_instant (now + 60 * (gint64) minutes, zone);
  g_print ("Snoozed %s: reminded again in %u min, at %s\n", args[0], minutes, when);
  return TRUE;
}
