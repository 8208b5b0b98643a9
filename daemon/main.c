/* main.c: lpc-agendad — options, logging, the bus name, the main loop.
 * LpcAgenda does the work; LpcAgendaService puts it on the bus. */
#include "config.h"

#include "agenda-service.h"
#include "agenda.h"
#include "clock.h"
#include "store-lock.h"

#include <glib-unix.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>

/* How long --replace waits for the daemon it replaces to let go of the
 * database: it exits within a second unless the machine is very busy. */
#define REPLACE_TIMEOUT_MS 10000

typedef struct
{
  GMainLoop *loop;
  LpcAgendaService *service;
  LpcClock *clock; /* the agenda's */
  gboolean exported;
  gboolean name_acquired;
  gboolean replaced;
  int exit_status;
} Daemon;

static GLogWriterOutput
write_log (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  gboolean to_journal = GPOINTER_TO_INT (user_data);
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
    }
  /* Honours --verbose and G_MESSAGES_DEBUG. */
  if (g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;
  if (to_journal
      && g_log_writer_journald (log_level, fields, n_fields, NULL) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_standard_streams (log_level, fields, n_fields, NULL);
}

static char *
find_program_file (void)
{
  const char *from_env;

  if (g_file_test (LPC_DEFAULT_PROGRAM, G_FILE_TEST_EXISTS))
    return g_strdup (LPC_DEFAULT_PROGRAM);
  /* Not installed: running from the build tree. */
  from_env = g_getenv ("LPC_AGENDA_PROGRAM");
  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);
  return NULL;
}

/* --repair: salvage a damaged database into a fresh one, offline. The daemon
 * must not be running on it; `lpc-agenda repair` checks that before it runs
 * this. */
static int
repair_database (const char *db_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcStoreLock) lock = NULL;
  LpcRepairReport report = { 0 };

  /* Held while the file is read and replaced: a daemon on it, whatever
   * bus it is on or path it was given, keeps repair away. */
  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      lock = lpc_store_lock_acquire (db_path, NULL, &error);
      if (lock == NULL)
        {
          g_printerr ("lpc-agendad: cannot repair %s: %s Stop it first (systemctl --user stop "
                      "lpc-agenda), then repair.\n",
                      db_path, error->message);
          return EXIT_FAILURE;
        }
    }
  if (!lpc_store_repair (db_path, &report, &error))
    {
      g_printerr ("lpc-agendad: cannot repair %s: %s\n", db_path, error->message);
      return EXIT_FAILURE;
    }
  if (report.healthy)
    {
      g_print ("%s is healthy: the daemon can open it as it is. Nothing was changed.\n",
               db_path);
      lpc_repair_report_clear (&report);
      return EXIT_SUCCESS;
    }
  g_print ("Repaired %s: saved %u agenda items, %u settings, %u reminder log records%s.\n"
           "The damaged file is kept as %s.\n",
           db_path, report.agenda_items_saved, report.settings_saved, report.reminder_log_saved,
           report.program_saved ? " and the program" : " (the program is imported again at the next start)",
           report.backup_path);
  lpc_repair_report_clear (&report);
  return EXIT_SUCCESS;
}

/* The database's lock, waiting for the daemon that holds it to stop when
 * @replace says this one takes over: it is sent SIGTERM, as a replaced
 * daemon would be told by the bus, and releases the file as it exits.
 * Taking over the bus name first would leave the name pointing at a
 * process with nothing to answer with while the old one winds down. */
static LpcStoreLock *
lock_database (const char *db_path, gboolean replace, GError **error)
{
  g_autofree char *unlocked = NULL;
  g_autoptr (GError) busy = NULL;
  LpcStoreLock *lock = lpc_store_lock_acquire (db_path, &unlocked, &busy);
  GPid holder;

  if (lock == NULL && replace && (holder = lpc_store_lock_get_holder (db_path)) > 0
      && holder != getpid () && kill (holder, SIGTERM) == 0)
    {
      g_clear_error (&busy);
      lock = lpc_store_lock_acquire_waiting (db_path, REPLACE_TIMEOUT_MS, &unlocked, &busy);
    }
  if (lock == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&busy));
      return NULL;
    }
  if (unlocked != NULL)
    g_message ("Not locking the database (%s): nothing can be written there", unlocked);
  return lock;
}

static LpcClock *
make_clock (const char *clock_start, double clock_rate, GError **error)
{
  gint64 start_usec;

  /* Written as a negation so that NaN, which fails every comparison, is refused too. */
  if (!(clock_rate > 0 && clock_rate <= LPC_CLOCK_RATE_MAX))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--clock-rate %g: give how many times faster than real time the simulated "
                   "clock runs, above 0 and at most %g (an hour a second), such as 60",
                   clock_rate, LPC_CLOCK_RATE_MAX);
      return NULL;
    }
  if (clock_start == NULL && clock_rate == 1.0)
    return lpc_clock_new_real ();
  if (clock_start == NULL)
    start_usec = g_get_real_time ();
  else if (!lpc_clock_parse_instant (clock_start, &start_usec, error))
    {
      g_prefix_error (error, "--clock: ");
      return NULL;
    }
  /* Started once the name is ours (on_name_acquired). */
  return lpc_clock_new_simulated_paused (start_usec, clock_rate);
}

static void
on_bus_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr (GError) error = NULL;

  /* Exported before the name is ours, so whoever sees the name finds the object. */
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (daemon->service), connection,
                                         LPC_OBJECT_PATH, &error))
    {
      g_printerr ("lpc-agendad: cannot export %s: %s\n", LPC_OBJECT_PATH, error->message);
      daemon->exit_status = EXIT_FAILURE;
      g_main_loop_quit (daemon->loop);
      return;
    }
  daemon->exported = TRUE;
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr (GError) error = NULL;

  daemon->name_acquired = TRUE;
  g_debug ("owning %s", name);
  /* A simulated clock reads its --clock instant to whoever sees the name
   * first, however long the start took. */
  lpc_clock_start (daemon->clock);
  /* Now, not before: what is due at once (reminders missed while we were
   * not running) is announced to whoever watches the name. */
  if (!lpc_agenda_service_start_reminders (daemon->service, &error))
    {
      g_printerr ("lpc-agendad: cannot start the reminders: %s\n", error->message);
      daemon->exit_status = EXIT_FAILURE;
      g_main_loop_quit (daemon->loop);
    }
}

static void
// cppcheck-suppress constParameter ; a GBusNameLostCallback: GIO fixes the signature
on_name_lost (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;

  if (connection == NULL)
    {
      g_printerr ("lpc-agendad: cannot connect to the session bus "
                  "(is DBUS_SESSION_BUS_ADDRESS set?)\n");
      daemon->exit_status = EXIT_FAILURE;
    }
  else if (!daemon->name_acquired)
    {
      g_printerr ("lpc-agendad: another lpc-agendad already owns %s (use --replace)\n", name);
      daemon->exit_status = EXIT_FAILURE;
    }
  else
    {
      g_message ("replaced by another instance: %s is no longer ours", name);
      daemon->replaced = TRUE;
      daemon->exit_status = EXIT_SUCCESS;
    }
  g_main_loop_quit (daemon->loop);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  Daemon *daemon = user_data;

  /* Calls are handled whole within one main-loop dispatch, so quitting the
   * loop here lets the current call finish and starts no other. */
  g_debug ("signal received, shutting down");
  daemon->exit_status = EXIT_SUCCESS;
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *program_path = NULL;
  g_autofree char *clock_start = NULL;
  double clock_rate = 1.0;
  gboolean replace = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  gboolean repair = FALSE;
  const GOptionEntry entries[]
      = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
            "The agenda database (default: $XDG_DATA_HOME/lpc-agenda/agenda.db)", "PATH" },
          { "program", 0, 0, G_OPTION_ARG_FILENAME, &program_path,
            "The conference program (default: " LPC_DEFAULT_PROGRAM ")", "FILE" },
          { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "Replace a running lpc-agendad", NULL },
          { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log debug messages", NULL },
          { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
          { "repair", 0, 0, G_OPTION_ARG_NONE, &repair,
            "Salvage a damaged database into a fresh one (keeps the damaged file) and exit",
            NULL },
          { "clock", 0, 0, G_OPTION_ARG_STRING, &clock_start,
            "Simulate the clock from this instant (from when the daemon owns its bus name), "
            "e.g. 2021-09-20T06:50:00-07:00", "TIME" },
          { "clock-rate", 0, 0, G_OPTION_ARG_DOUBLE, &clock_rate,
            "Run the simulated clock this many times faster (default 1, at most 3600)", "N" },
          G_OPTION_ENTRY_NULL };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcClock) clock = NULL;
  g_autoptr (LpcStoreLock) lock = NULL;
  g_autoptr (LpcAgenda) agenda = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  Daemon daemon = { 0 };
  GBusNameOwnerFlags flags;
  guint owner_id, sigterm_id, sigint_id;

  setlocale (LC_ALL, "");
  g_log_set_writer_func (write_log, GINT_TO_POINTER (g_log_writer_is_journald (fileno (stderr))),
                         NULL);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "The lpc-agenda D-Bus service: keeps your Linux Plumbers "
                                "Conference 2021 agenda on the session bus as " LPC_BUS_NAME ".");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lpc-agendad: %s\nTry lpc-agendad --help\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("lpc-agendad: unexpected argument '%s'\nTry lpc-agendad --help\n", argv[1]);
      return 2;
    }
  if (version)
    {
      g_print ("lpc-agendad %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (verbose)
    g_log_set_debug_enabled (TRUE);

  clock = make_clock (clock_start, clock_rate, &error);
  if (clock == NULL)
    {
      g_printerr ("lpc-agendad: %s\n", error->message);
      return 2;
    }
  if (db_path == NULL)
    db_path = lpc_store_default_path ();
  if (repair)
    return repair_database (db_path);
  /* Before anything is read or written: a second daemon on this file must
   * not import its program into it first and learn of the first after. */
  lock = lock_database (db_path, replace, &error);
  if (lock == NULL)
    {
      g_printerr ("lpc-agendad: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (program_path == NULL)
    program_path = find_program_file ();
  if (program_path == NULL)
    g_info ("%s does not exist and LPC_AGENDA_PROGRAM is unset: using the stored program",
            LPC_DEFAULT_PROGRAM);

  agenda = lpc_agenda_new (db_path, program_path, g_steal_pointer (&clock), &error);
  if (agenda == NULL)
    {
      g_printerr ("lpc-agendad: %s\n", error->message);
      if (program_path == NULL)
        g_printerr ("lpc-agendad: no program file either: %s does not exist; pass --program FILE "
                    "or set LPC_AGENDA_PROGRAM\n",
                    LPC_DEFAULT_PROGRAM);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  daemon.loop = loop;
  daemon.service = lpc_agenda_service_new (agenda);
  daemon.clock = lpc_agenda_get_clock (agenda);
  daemon.exit_status = EXIT_SUCCESS;

  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, &daemon);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, &daemon);
  /* DO_NOT_QUEUE: a second instance exits rather than waiting in line, and
   * one that was replaced does not get the name back later. */
  flags = G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT | G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE;
  if (replace)
    flags |= G_BUS_NAME_OWNER_FLAGS_REPLACE;
  owner_id = g_bus_own_name (G_BUS_TYPE_SESSION, LPC_BUS_NAME, flags, on_bus_acquired,
                             on_name_acquired, on_name_lost, &daemon, NULL);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  if (daemon.exported)
    {
      GDBusConnection *connection
          = g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (daemon.service));
      g_autoptr (GDBusConnection) flushed = connection != NULL ? g_object_ref (connection) : NULL;

      g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (daemon.service));
      /* Calls still waiting for their caller check get their answer now … */
      g_clear_object (&daemon.service);
      /* … and every answer goes out before the name is released. */
      if (flushed != NULL)
        g_dbus_connection_flush_sync (flushed, NULL, NULL);
    }
  g_clear_object (&daemon.service);
  /* After a replacement GLib would still send ReleaseName for a name that is
   * no longer ours, and warn at the refusal; there is nothing to release. */
  if (!daemon.replaced)
    g_bus_unown_name (owner_id);
  return daemon.exit_status;
}
