/* cmd-repair.c: `lpc-agenda repair` — salvage a damaged agenda database.
 *
 * Repair works on the file, not through the daemon: a daemon cannot start on
 * a damaged database, and one that runs on the file must not have it replaced
 * under it. So this checks that no daemon uses the file, then runs
 * `lpc-agendad --repair`, which holds the store code; the client itself holds
 * no agenda logic. */
#include "config.h"

#include "commands.h"

static char *
default_db_path (void)
{
  /* The daemon's default (store.c): $XDG_DATA_HOME/lpc-agenda/agenda.db. */
  return g_build_filename (g_get_user_data_dir (), "lpc-agenda", "agenda.db", NULL);
}

/* The daemon running on the session bus and the database it has open, or
 * NULL when none runs. Never activates one: that would open the file. */
static char *
dup_running_daemon_db (void)
{
  g_autoptr (GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (GVariant) status = NULL;
  gboolean has_owner = FALSE;
  const char *database = NULL;

  if (connection == NULL)
    return NULL;
  owned = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", LPC_BUS_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (owned != NULL)
    g_variant_get (owned, "(b)", &has_owner);
  if (!has_owner)
    return NULL;

  status = g_dbus_connection_call_sync (
      connection, LPC_BUS_NAME, LPC_OBJECT_PATH, "org.lpcagenda.Agenda1", "GetStatus", NULL,
      G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL);
  if (status != NULL)
    {
      g_autoptr (GVariant) record = g_variant_get_child_value (status, 0);
      g_variant_lookup (record, "database", "&s", &database);
      return g_strdup (database != NULL ? database : "");
    }
  return g_strdup ("");
}

static const char *
daemon_path (void)
{
  /* LPC_AGENDAD points the tests at the build tree's daemon. */
  const char *from_env = g_getenv ("LPC_AGENDAD");

  return from_env != NULL && *from_env != '\0' ? from_env : LPC_DAEMON_PATH;
}

gboolean
lpc_command_repair (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_autofree char *db_option = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_option,
      "The database to repair (default: $XDG_DATA_HOME/lpc-agenda/agenda.db)", "PATH" },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (GStrv) args = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *running_db = NULL;
  const char *daemon = NULL;
  int wait_status = 0;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  db_path = db_option != NULL ? g_canonicalize_filename (db_option, NULL) : default_db_path ();
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "repair: no database at %s", db_path);
      return FALSE;
    }

  running_db = dup_running_daemon_db ();
  if (running_db != NULL && (*running_db == '\0' || g_str_equal (running_db, db_path)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   "repair: lpc-agendad is running%s%s; stop it first "
                   "(systemctl --user stop lpc-agenda), then run lpc-agenda repair again",
                   *running_db != '\0' ? " with " : "", running_db);
      return FALSE;
    }

  daemon = daemon_path ();
  {
    const char *const daemon_argv[] = { daemon, "--repair", "--db", db_path, NULL };

    /* No shell: the path is passed as one argument, whatever it contains. */
    if (!g_spawn_sync (NULL, (char **) daemon_argv, NULL,
                       G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                       &wait_status, error))
      {
        g_prefix_error (error, "repair: cannot run %s: ", daemon);
        return FALSE;
      }
  }
  if (!g_spawn_check_wait_status (wait_status, error))
    {
      g_prefix_error (error, "repair failed (%s): ", daemon);
      return FALSE;
    }
  return TRUE;
}
