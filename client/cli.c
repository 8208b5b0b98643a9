/* cli.c: what every lpc-agenda command shares. */
#include "config.h"

#include "cli.h"

#include <string.h>

#include "arguments.h"
#include "call.h"
#include "lpc-error.h"

void
lpc_cli_init (LpcCli *cli)
{
  memset (cli, 0, sizeof *cli);
  cli->status = LPC_EXIT_OK;
}

void
lpc_cli_clear (LpcCli *cli)
{
  g_clear_pointer (&cli->tz_option, g_free);
  g_clear_pointer (&cli->change.what, g_free);
  g_clear_pointer (&cli->change.subject, g_free);
  g_clear_pointer (&cli->change.value, g_variant_unref);
  g_clear_pointer (&cli->change.check, g_free);
  g_clear_pointer (&cli->zone, g_time_zone_unref);
  g_clear_pointer (&cli->conference_zone, g_time_zone_unref);
  g_clear_object (&cli->proxy);
  g_clear_object (&cli->connection);
}

GOptionEntry *
lpc_cli_global_entries (LpcCli *cli, gboolean with_json)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, "Print JSON (see lpc-agenda(1))", NULL },
    { "tz", 0, 0, G_OPTION_ARG_FILENAME, &cli->tz_option,
      "Show times in ZONE: local (the default), conference, or a zone such as Europe/Prague",
      "ZONE" },
    { "no-color", 0, 0, G_OPTION_ARG_NONE, &cli->no_color, "Print no colours", NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &cli->help, "Show help", NULL },
    G_OPTION_ENTRY_NULL,
  };
  /* --json only where a command has JSON output to give. */
  gsize skip = with_json ? 0 : 1;

  return g_memdup2 (entries + skip, sizeof entries - skip * sizeof entries[0]);
}

static void
set_usage_error (GError **error, const LpcCommand *command, const char *message)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "%s: %s (see `lpc-agenda %s --help`)",
               command->name, message, command->name);
}

/* Checks the global options once parsing is done (a valid --tz, --json only
 * where a command has it) and settles colour and terminal width. */
static gboolean
check_globals (LpcCli *cli, const LpcCommand *command, GError **error)
{
  if (cli->json && (command->flags & LPC_COMMAND_JSON) == 0)
    {
      set_usage_error (error, command, "this command has no --json output");
      return FALSE;
    }
  if (cli->tz_option != NULL && !lpc_arguments_check_zone (cli->tz_option, error))
    return FALSE;

  lpc_term_init (&cli->term, cli->no_color);
  return TRUE;
}

LpcArgsResult
lpc_cli_parse_args (LpcCli *cli, const LpcCommand *command, const GOptionEntry *entries,
                    int min_args, int max_args, int argc, char **argv, GStrv *out_args,
                    GError **error)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", command->name, command->arguments);
  g_autoptr (GOptionContext) context = g_option_context_new (g_strstrip (parameter));
  g_autofree GOptionEntry *globals
      = lpc_cli_global_entries (cli, (command->flags & LPC_COMMAND_JSON) != 0);
  g_auto (GStrv) positional = NULL;
  const GOptionEntry remaining[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &positional, NULL, NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) local_error = NULL;
  /* GOption overwrites a string option's variable without freeing what an
   * earlier parse (the options before the command's name) put there. */
  g_autofree char *tz_before_command = g_steal_pointer (&cli->tz_option);
  guint n_positional;

  g_option_context_set_summary (context, command->description);
  g_option_context_set_description (context, "See lpc-agenda(1) for more.");
  g_option_context_set_help_enabled (context, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, globals, NULL);
  g_option_context_add_main_entries (context, remaining, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &local_error))
    {
      set_usage_error (error, command, local_error->message);
      return LPC_ARGS_FAILED;
    }
  if (cli->tz_option == NULL)
    cli->tz_option = g_steal_pointer (&tz_before_command);

  if (cli->help)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", help);
      return LPC_ARGS_DONE;
    }

  /* argv[0] is the command's own name; GOption skips it. */
  n_positional = positional != NULL ? g_strv_length (positional) : 0;
  if ((int)n_positional < min_args)
    {
      g_autofree char *message = g_strdup_printf ("missing %s", command->arguments);

      set_usage_error (error, command, message);
      return LPC_ARGS_FAILED;
    }
  if (max_args >= 0 && (int)n_positional > max_args)
    {
      g_autofree char *message = g_strdup_printf ("unexpected argument ‘%s’", positional[max_args]);

      set_usage_error (error, command, message);
      return LPC_ARGS_FAILED;
    }

  if (!check_globals (cli, command, error))
    return LPC_ARGS_FAILED;

  if (out_args != NULL)
    *out_args = positional != NULL ? g_steal_pointer (&positional) : g_new0 (char *, 1);
  return LPC_ARGS_RUN;
}

LpcAgenda1 *
lpc_cli_get_proxy (LpcCli *cli, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (cli->proxy != NULL)
    return cli->proxy;

  cli->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &local_error);
  if (cli->connection == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   "there is no D-Bus session bus to reach the agenda daemon on (%s): log in to "
                   "a desktop session, or run the command under dbus-run-session(1)",
                   local_error->message);
      return NULL;
    }

  /* Every call here is a short-lived process's one or two method calls: no
   * cached properties (they are read on demand, so errors show), no signals,
   * and no activation until the first call, which starts the daemon if it is
   * activatable. */
  cli->proxy = lpc_agenda1_proxy_new_sync (
      cli->connection,
      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS
          | G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START_AT_CONSTRUCTION,
      LPC_BUS_NAME, LPC_OBJECT_PATH, NULL, error);
  if (cli->proxy != NULL && !lpc_call_set_timeout (cli, LPC_CALL_TIMEOUT_MSEC, error))
    g_clear_object (&cli->proxy);
  return cli->proxy;
}

GVariant *
lpc_cli_get_property (LpcCli *cli, const char *property, const GVariantType *type, GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) value = NULL;

  if (proxy == NULL)
    return NULL;
  reply = g_dbus_proxy_call_sync (
      G_DBUS_PROXY (proxy), "org.freedesktop.DBus.Properties.Get",
      g_variant_new ("(ss)", g_dbus_proxy_get_interface_name (G_DBUS_PROXY (proxy)), property),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply == NULL)
    return NULL;

  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, type))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the agenda daemon sent %s of type ‘%s’ where ‘%.*s’ was expected", property,
                   g_variant_get_type_string (value), (int)g_variant_type_get_string_length (type),
                   g_variant_type_peek_string (type));
      return NULL;
    }
  return g_steal_pointer (&value);
}

GTimeZone *
lpc_cli_get_conference_zone (LpcCli *cli, GError **error)
{
  g_autoptr (GVariant) value = NULL;
  const char *identifier;

  if (cli->conference_zone != NULL)
    return cli->conference_zone;

  value = lpc_cli_get_property (cli, "ProgramTimezone", G_VARIANT_TYPE_STRING, error);
  if (value == NULL)
    return NULL;
  identifier = g_variant_get_string (value, NULL);
  if (*identifier == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "the agenda daemon has no program loaded, so there is no conference "
                           "time zone: import one with `lpc-agenda import FILE`");
      return NULL;
    }
  cli->conference_zone = g_time_zone_new_identifier (identifier);
  if (cli->conference_zone == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "the program's time zone ‘%s’ is unknown on this system (is tzdata installed?)",
                   identifier);
      return NULL;
    }
  return cli->conference_zone;
}

GTimeZone *
lpc_cli_get_zone (LpcCli *cli, GError **error)
{
  const char *option = cli->tz_option != NULL ? cli->tz_option : "local";

  if (cli->zone != NULL)
    return cli->zone;

  if (strcmp (option, "local") == 0)
    cli->zone = g_time_zone_new_local ();
  else if (strcmp (option, "conference") == 0)
    {
      GTimeZone *conference = lpc_cli_get_conference_zone (cli, error);

      if (conference == NULL)
        return NULL;
      cli->zone = g_time_zone_ref (conference);
    }
  else
    {
      cli->zone = g_time_zone_new_identifier (option);
      if (cli->zone == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--tz: unknown time zone ‘%s’", option);
          return NULL;
        }
    }
  return cli->zone;
}

gboolean
lpc_cli_get_now (LpcCli *cli, gint64 *out_now, GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_autoptr (GVariant) status = NULL;

  if (proxy == NULL || !lpc_agenda1_call_get_status_sync (proxy, &status, NULL, error))
    return FALSE;
  if (!g_variant_lookup (status, "now", "x", out_now))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the agenda daemon's status has no current time (‘now’)");
      return FALSE;
    }
  return TRUE;
}

LpcExitStatus
lpc_cli_exit_status_for_error (const GError *error)
{
  if (error->domain == G_OPTION_ERROR)
    return LPC_EXIT_USAGE;
  if (g_error_matches (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK)
      || g_error_matches (error, LPC_ERROR, LPC_ERROR_AMBIGUOUS_ID))
    return LPC_EXIT_NO_SUCH_TALK;
  /* The daemon checks what the client cannot know (a day outside the
   * program, say): its verdict on a value is a usage error all the same. */
  if (g_error_matches (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT))
    return LPC_EXIT_USAGE;
  return LPC_EXIT_FAILURE;
}

static gboolean
is_daemon_missing (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
}

static gboolean
is_activation_failure (const GError *error)
{
  if (error->domain != G_DBUS_ERROR)
    return FALSE;
  switch (error->code)
    {
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
    case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;
    default:
      return FALSE;
    }
}

void
lpc_cli_print_error (const GError *error)
{
  g_autoptr (GError) copy = g_error_copy (error);

  lpc_error_strip_remote (copy);

  if (is_daemon_missing (copy))
    g_printerr ("lpc-agenda: the agenda daemon is not running and cannot be activated (%s): start "
                "it with `systemctl --user start lpc-agenda` or run %s\n",
                LPC_BUS_NAME, LPC_DAEMON_PATH);
  else if (is_activation_failure (copy))
    g_printerr ("lpc-agenda: D-Bus could not start the agenda daemon (%s): see `journalctl --user "
                "-u lpc-agenda`, or run %s to see why\n",
                copy->message, LPC_DAEMON_PATH);
  else if (g_error_matches (copy, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY))
    g_printerr ("lpc-agenda: the agenda daemon did not answer (%s): see `journalctl --user -u "
                "lpc-agenda`\n",
                copy->message);
  else
    g_printerr ("lpc-agenda: %s\n", copy->message);
}
