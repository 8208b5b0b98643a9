/* bench-conflicts-dbus: GetConflicts and Resolve through the real daemon,
 * D-Bus call included, on synthetic programs.
 *
 *   bench-conflicts-dbus GEN_PROGRAM LPC_AGENDAD|--in-process [N_ENTRIES[:N_PICKS]…]
 *                                        (default 1000 10000 100000; N_PICKS N_ENTRIES / 10)
 *
 * For each size: gen-program writes a program of N_ENTRIES entries (bench/
 * gen-program.c: five days of 4-hour blocks, each in a room of its own, of
 * 20-minute entries); lpc-agendad starts with it and a fresh database on a
 * private bus of our own; a tenth as many talks as there are entries,
 * spread evenly over the program, go on the agenda by D-Bus Add calls (in
 * flight 100 at a time: the API has no bulk add, and the store may only be
 * written through it); priorities 1-5 in turn. Then GetConflicts and
 * Resolve (apply false) are called one after the other, each timed from the
 * call to its decoded reply: one cold call first (it builds the program's
 * index), then the median, minimum and maximum of CALLS more. The issue's
 * targets at 100,000 entries / 10,000 picks: GetConflicts <= 50 ms, Resolve
 * <= 100 ms, median. Growth is shown as the ratio to the smaller size
 * before and that ratio divided by the n log2 n ratio (1.0: n log n).
 *
 * With --in-process instead of LPC_AGENDAD, the daemon's D-Bus object runs
 * in this process (see InProcess below): the same handlers on the same
 * kind of bus, without lpc-agendad's reminders, whose refresh on every Add
 * makes adding 10,000 crowded picks to lpc-agendad take hours. */
#include "agenda-service.h"
#include "bench-stats.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUS_NAME "org.lpcagenda.Agenda1"
#define OBJECT_PATH "/org/lpcagenda/Agenda1"
#define INTERFACE "org.lpcagenda.Agenda1"
#define CALLS 15
/* Below the bus's max_replies_per_connection (128 by default). */
#define IN_FLIGHT 100
#define START_TIMEOUT_S 300

typedef struct
{
  guint n_entries;
  guint n_picks;
  guint n_records;
  gsize reply_bytes;
  double add_s;
  double conflicts_cold_ms;
  double conflicts_ms[3]; /* median, min, max */
  double resolve_ms[3];
  double agenda_ms;
  guint n_skip;
} Figures;

/* A bus of our own: session type, only our (empty) service directory, so
 * nothing of the desktop is activated, and the stock session bus's limits
 * (/usr/share/dbus-1/session.conf): without them dbus-daemon's defaults
 * apply, and it disconnects the daemon for a reply as big as the talks of
 * a 100,000-entry program. Returns its address. */
static GSubprocess *
start_bus (const char *dir, char **out_address, GError **error)
{
  g_autofree char *config_path = g_build_filename (dir, "bus.conf", NULL);
  g_autofree char *services = g_build_filename (dir, "services", NULL);
  g_autofree char *config = NULL;
  g_autoptr (GSubprocess) bus = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *address = NULL;

  g_mkdir_with_parents (services, 0700);
  config = g_strdup_printf (
      "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
      " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
      "<busconfig><type>session</type><listen>unix:tmpdir=%s</listen>"
      "<servicedir>%s</servicedir><policy context=\"default\">"
      "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>"
      "<allow own=\"*\"/></policy>"
      "<limit name=\"max_incoming_bytes\">1000000000</limit>"
      "<limit name=\"max_outgoing_bytes\">1000000000</limit>"
      "<limit name=\"max_message_size\">1000000000</limit>"
      "<limit name=\"max_replies_per_connection\">50000</limit>"
      "</busconfig>\n",
      dir, services);
  if (!g_file_set_contents (config_path, config, -1, error))
    return NULL;
  /* Silenced: as another user than root it warns of the fd limit it
   * cannot raise, every time. */
  bus = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE
          | (g_getenv ("BENCH_BUS_STDERR") != NULL ? 0 : G_SUBPROCESS_FLAGS_STDERR_SILENCE),
      error, "dbus-daemon", "--nofork", "--print-address=1", "--config-file", config_path, NULL);
  if (bus == NULL)
    return NULL;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, error);
  if (address == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "dbus-daemon printed no address");
      g_subprocess_force_exit (bus);
      return NULL;
    }
  *out_address = g_steal_pointer (&address);
  return g_steal_pointer (&bus);
}

static gboolean
write_program (const char *gen_program, guint n_entries, const char *path, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GSubprocess) gen = NULL;
  g_autofree char *count = g_strdup_printf ("%u", n_entries);

  g_subprocess_launcher_set_stdout_file_path (launcher, path);
  gen = g_subprocess_launcher_spawn (launcher, error, gen_program, count, NULL);
  return gen != NULL && g_subprocess_wait_check (gen, NULL, error);
}

static gboolean
name_has_owner (GDBusConnection *connection)
{
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "NameHasOwner", g_variant_new ("(s)", BUS_NAME), G_VARIANT_TYPE ("(b)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static GVariant *
call (GDBusConnection *connection, const char *method, GVariant *args, const char *reply_type,
      GError **error)
{
  /* Generous: a cold call on 100,000 entries indexes the program first. */
  return g_dbus_connection_call_sync (connection, BUS_NAME, OBJECT_PATH, INTERFACE, method, args,
                                      G_VARIANT_TYPE (reply_type), G_DBUS_CALL_FLAGS_NONE, 120000,
                                      NULL, error);
}

/* ---- adding the picks, IN_FLIGHT calls at a time ---- */

typedef struct
{
  GDBusConnection *connection;
  GPtrArray *ids;
  guint next;
  guint pending;
  guint done;
  GError *error;
  GMainLoop *loop;
  gint64 started;
} Adder;

static void adder_send (Adder *adder);

static void
on_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Adder *adder = user_data;
  g_autoptr (GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  adder->pending--;
  if (reply == NULL && adder->error == NULL)
    adder->error = error;
  else if (reply == NULL)
    g_error_free (error);
  else
    adder->done++;
  /* Progress on stderr: each Add costs the daemon more as the agenda
   * grows, and a big size takes a while. */
  if (adder->done % 1000 == 0 && adder->done > 0 && reply != NULL)
    fprintf (stderr, "  added %u of %u (%.0f s)\n", adder->done, adder->ids->len,
             lpc_bench_ms_since (adder->started) / 1000.0);
  adder_send (adder);
  if (adder->pending == 0)
    g_main_loop_quit (adder->loop);
}

static void
adder_send (Adder *adder)
{
  while (adder->error == NULL && adder->pending < IN_FLIGHT && adder->next < adder->ids->len)
    {
      guint i = adder->next++;
      GVariantBuilder options;

      g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&options, "{sv}", "priority", g_variant_new_uint32 (1 + i % 5));
      g_dbus_connection_call (
          adder->connection, BUS_NAME, OBJECT_PATH, INTERFACE, "Add",
          g_variant_new ("(sa{sv})", (const char *) adder->ids->pdata[i], &options),
          G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, 120000, NULL, on_added, adder);
      adder->pending++;
    }
}

static gboolean
add_picks (GDBusConnection *connection, GPtrArray *ids, GError **error)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Adder adder = { connection, ids, 0, 0, 0, NULL, loop, g_get_monotonic_time () };

  adder_send (&adder);
  if (adder.pending > 0)
    g_main_loop_run (loop);
  if (adder.error != NULL)
    {
      g_propagate_error (error, adder.error);
      return FALSE;
    }
  return TRUE;
}

/* Every tenth of the talks' count, spread evenly over them. */
static GPtrArray *
choose_picks (GVariant *talks, guint n_picks)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  gsize n_talks = g_variant_n_children (talks);

  for (guint i = 0; i < n_picks && n_talks > 0; i++)
    {
      g_autoptr (GVariant) talk = g_variant_get_child_value (talks, (gsize) i * n_talks / n_picks);
      const char *id = NULL;

      g_variant_lookup (talk, "id", "&s", &id);
      g_ptr_array_add (ids, g_strdup (id));
    }
  return ids;
}

/* ---- the service in this process (--in-process) ---- */

/* The daemon's own D-Bus object (agenda-service.c, the same handlers as in
 * lpc-agendad) on a thread of its own with its own main context, on its own
 * connection to the bus: calls to it go through dbus-daemon like calls to
 * lpc-agendad. What lpc-agendad has and it has not are the reminders,
 * which main.c starts once the name is owned: every Add refreshes them,
 * and on 10,000 crowded picks that refresh, not the conflicts, made adding
 * them take hours. */
typedef struct
{
  const char *address;
  const char *db;
  const char *program;
  GMainContext *context;
  GMainLoop *loop;
  GMutex lock;
  GCond cond;
  gboolean started;
  GError *error;
  GThread *thread;
} InProcess;

static gboolean
serve (InProcess *in_process, GDBusConnection **out_connection, LpcAgenda **out_agenda,
       LpcAgendaService **out_service, GError **error)
{
  g_autoptr (GVariant) reply = NULL;

  *out_connection = g_dbus_connection_new_for_address_sync (
      in_process->address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, error);
  if (*out_connection == NULL)
    return FALSE;
  *out_agenda = lpc_agenda_new (in_process->db, in_process->program, lpc_clock_new_real (), error);
  if (*out_agenda == NULL)
    return FALSE;
  *out_service = lpc_agenda_service_new (*out_agenda);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (*out_service), *out_connection,
                                         OBJECT_PATH, error))
    return FALSE;
  reply = g_dbus_connection_call_sync (
      *out_connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "RequestName", g_variant_new ("(su)", BUS_NAME, 0), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  return reply != NULL;
}

static gpointer
in_process_thread (gpointer data)
{
  InProcess *in_process = data;
  g_autoptr (GDBusConnection) connection = NULL;
  g_autoptr (LpcAgenda) agenda = NULL;
  g_autoptr (LpcAgendaService) service = NULL;
  GError *error = NULL;
  gboolean served;

  g_main_context_push_thread_default (in_process->context);
  served = serve (in_process, &connection, &agenda, &service, &error);
  g_mutex_lock (&in_process->lock);
  in_process->started = TRUE;
  in_process->error = error;
  g_cond_signal (&in_process->cond);
  g_mutex_unlock (&in_process->lock);
  if (served)
    g_main_loop_run (in_process->loop);
  if (service != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (service));
  if (connection != NULL)
    g_dbus_connection_close_sync (connection, NULL, NULL);
  /* The service borrows the agenda: it goes first. */
  g_clear_object (&service);
  g_clear_pointer (&agenda, lpc_agenda_free);
  g_main_context_pop_thread_default (in_process->context);
  return NULL;
}

static gboolean
in_process_start (InProcess *in_process, GError **error)
{
  in_process->context = g_main_context_new ();
  in_process->loop = g_main_loop_new (in_process->context, FALSE);
  g_mutex_init (&in_process->lock);
  g_cond_init (&in_process->cond);
  in_process->thread = g_thread_new ("service", in_process_thread, in_process);
  g_mutex_lock (&in_process->lock);
  while (!in_process->started)
    g_cond_wait (&in_process->cond, &in_process->lock);
  g_mutex_unlock (&in_process->lock);
  if (in_process->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&in_process->error));
      return FALSE;
    }
  return TRUE;
}

static void
in_process_stop (InProcess *in_process)
{
  if (in_process->thread == NULL)
    return;
  g_main_loop_quit (in_process->loop);
  g_thread_join (g_steal_pointer (&in_process->thread));
  g_clear_pointer (&in_process->loop, g_main_loop_unref);
  g_clear_pointer (&in_process->context, g_main_context_unref);
  g_mutex_clear (&in_process->lock);
  g_cond_clear (&in_process->cond);
}

/* @daemon: NULL runs the service in this process. */
static gboolean
run_size (const char *gen_program, const char *daemon, guint n_entries, guint n_picks,
          Figures *figures, GError **error)
{
  InProcess in_process = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("bench-conflicts-dbus-XXXXXX", error);
  g_autofree char *program = NULL;
  g_autofree char *db = NULL;
  g_autofree char *log = NULL;
  g_autofree char *address = NULL;
  g_autoptr (GSubprocess) bus = NULL;
  g_autoptr (GSubprocess) agendad = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDBusConnection) connection = NULL;
  g_autoptr (GVariant) talks = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  double samples[CALLS];
  gint64 start;
  gboolean ok = FALSE;

  if (dir == NULL)
    return FALSE;
  memset (figures, 0, sizeof *figures);
  figures->n_entries = n_entries;
  program = g_build_filename (dir, "program.txt", NULL);
  db = g_build_filename (dir, "agenda.db", NULL);
  log = g_build_filename (dir, "daemon.log", NULL);
  if (!write_program (gen_program, n_entries, program, error))
    goto out;
  bus = start_bus (dir, &address, error);
  if (bus == NULL)
    goto out;

  if (daemon != NULL)
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", dir, TRUE);
      g_subprocess_launcher_set_stdout_file_path (launcher, log);
      agendad = g_subprocess_launcher_spawn (launcher, error, daemon, "--db", db, "--program",
                                             program, NULL);
      if (agendad == NULL)
        goto out;
    }
  else
    {
      in_process.address = address;
      in_process.db = db;
      in_process.program = program;
      if (!in_process_start (&in_process, error))
        goto out;
    }

  connection = g_dbus_connection_new_for_address_sync (
      address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, error);
  if (connection == NULL)
    goto out;
  start = g_get_monotonic_time ();
  while (!name_has_owner (connection))
    {
      /* The identifier goes once the daemon has exited. */
      if ((agendad != NULL && g_subprocess_get_identifier (agendad) == NULL)
          || lpc_bench_ms_since (start) > START_TIMEOUT_S * 1000.0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "lpc-agendad did not start on %u entries (see %s)", n_entries, log);
          goto out;
        }
      g_usleep (20000);
    }

  {
    GVariantBuilder filter;
    g_autoptr (GVariant) reply = NULL;

    g_variant_builder_init (&filter, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add (&filter, "{sv}", "kind", g_variant_new_string ("talk"));
    reply = call (connection, "ListTalks", g_variant_new ("(a{sv})", &filter), "(aa{sv})", error);
    if (reply == NULL)
      goto out;
    talks = g_variant_get_child_value (reply, 0);
  }
  figures->n_picks = n_picks;
  ids = choose_picks (talks, figures->n_picks);
  start = g_get_monotonic_time ();
  if (!add_picks (connection, ids, error))
    goto out;
  figures->add_s = lpc_bench_ms_since (start) / 1000.0;

  for (int i = -1; i < CALLS; i++)
    {
      g_autoptr (GVariant) reply = NULL;

      start = g_get_monotonic_time ();
      reply = call (connection, "GetConflicts", NULL, "(aa{sv})", error);
      if (reply == NULL)
        goto out;
      if (i < 0)
        {
          g_autoptr (GVariant) records = g_variant_get_child_value (reply, 0);

          figures->conflicts_cold_ms = lpc_bench_ms_since (start);
          figures->n_records = (guint) g_variant_n_children (records);
          figures->reply_bytes = g_variant_get_size (reply);
        }
      else
        samples[i] = lpc_bench_ms_since (start);
    }
  lpc_bench_summarise (samples, CALLS, figures->conflicts_ms);
  fprintf (stderr, "  GetConflicts: %.2f ms\n", figures->conflicts_ms[0]);

  for (int i = 0; i < CALLS; i++)
    {
      g_autoptr (GVariant) reply = NULL;
      GVariantBuilder options;

      g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&options, "{sv}", "apply", g_variant_new_boolean (FALSE));
      start = g_get_monotonic_time ();
      reply = call (connection, "Resolve", g_variant_new ("(a{sv})", &options), "(a{sv})", error);
      if (reply == NULL)
        goto out;
      samples[i] = lpc_bench_ms_since (start);
      if (i == 0)
        {
          g_autoptr (GVariant) plan = g_variant_get_child_value (reply, 0);
          g_autoptr (GVariant) skip = g_variant_lookup_value (plan, "skip", G_VARIANT_TYPE ("as"));

          figures->n_skip = skip != NULL ? (guint) g_variant_n_children (skip) : 0;
        }
    }
  lpc_bench_summarise (samples, CALLS, figures->resolve_ms);
  fprintf (stderr, "  Resolve: %.2f ms\n", figures->resolve_ms[0]);

  /* GetAgenda puts every item's partners in its records: one report per
   * call. Not a target; shown because it grew a conflicts computation.
   * Monday's items only: on 10,000 crowded picks the whole agenda with its
   * million partner ids is more than one D-Bus message may carry, and the
   * daemon refuses it. */
  for (int i = 0; i < 5; i++)
    {
      g_autoptr (GVariant) reply = NULL;

      start = g_get_monotonic_time ();
      reply = call (connection, "GetAgenda", g_variant_new_parsed ("({'day': <'mon'>},)"),
                    "(aa{sv})", error);
      if (reply == NULL)
        goto out;
      samples[i] = lpc_bench_ms_since (start);
      if (i == 0)
        fprintf (stderr, "  GetAgenda: %.2f ms, %" G_GSIZE_FORMAT " bytes\n", samples[i],
                 g_variant_get_size (reply));
    }
  {
    double summary[3];

    lpc_bench_summarise (samples, 5, summary);
    figures->agenda_ms = summary[0];
  }
  /* The whole agenda: answered, or refused by name when too big for one
   * message; either way the daemon must still be there. */
  {
    g_autoptr (GVariant) reply = NULL;
    g_autoptr (GError) refused = NULL;

    start = g_get_monotonic_time ();
    reply = call (connection, "GetAgenda", g_variant_new_parsed ("(@a{sv} {},)"), "(aa{sv})",
                  &refused);
    if (reply != NULL)
      fprintf (stderr, "  GetAgenda (all): %.2f ms, %" G_GSIZE_FORMAT " bytes\n", lpc_bench_ms_since (start),
               g_variant_get_size (reply));
    else
      fprintf (stderr, "  GetAgenda (all) refused after %.2f ms: %s\n", lpc_bench_ms_since (start),
               refused->message);
    if (!name_has_owner (connection))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "the service left the bus after GetAgenda on %u entries", n_entries);
        goto out;
      }
  }
  ok = TRUE;

out:
  if (connection != NULL)
    g_dbus_connection_close_sync (connection, NULL, NULL);
  in_process_stop (&in_process);
  if (agendad != NULL)
    {
      g_subprocess_send_signal (agendad, SIGTERM);
      g_subprocess_wait (agendad, NULL, NULL);
    }
  if (bus != NULL)
    {
      g_subprocess_send_signal (bus, SIGTERM);
      g_subprocess_wait (bus, NULL, NULL);
    }
  {
    const char *const names[] = { "program.txt",   "agenda.db",  "agenda.db-wal",
                                  "agenda.db-shm", "daemon.log", "bus.conf" };
    g_autofree char *services = g_build_filename (dir, "services", NULL);

    /* The log stays when the run failed: it says why. */
    for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
      if (ok || strcmp (names[i], "daemon.log") != 0)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);
          g_remove (path);
        }
    g_rmdir (services);
    if (ok)
      g_rmdir (dir);
  }
  return ok;
}

static double
n_log_n (double n)
{
  return n * log2 (n);
}

int
main (int argc, char **argv)
{
  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) picks = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) results = g_array_new (FALSE, TRUE, sizeof (Figures));
  const guint default_sizes[] = { 1000, 10000, 100000 };
  const char *daemon;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-conflicts-dbus GEN_PROGRAM LPC_AGENDAD|--in-process "
                       "[N_ENTRIES[:N_PICKS]…]\n");
      return 2;
    }
  daemon = strcmp (argv[2], "--in-process") == 0 ? NULL : argv[2];
  for (int i = 3; i < argc; i++)
    {
      g_auto (GStrv) parts = g_strsplit (argv[i], ":", 2);
      guint64 n, p = 0;
      guint size, n_picks;

      if (!g_ascii_string_to_unsigned (parts[0], 10, 100, 1000000, &n, NULL)
          || (parts[1] != NULL && !g_ascii_string_to_unsigned (parts[1], 10, 1, n, &p, NULL)))
        {
          fprintf (stderr,
                   "bench-conflicts-dbus: give N_ENTRIES (100 to 1000000) or N_ENTRIES:N_PICKS "
                   "(1 to N_ENTRIES picks), not %s\n",
                   argv[i]);
          return 2;
        }
      size = (guint) n;
      n_picks = parts[1] != NULL ? (guint) p : size / 10;
      g_array_append_val (sizes, size);
      g_array_append_val (picks, n_picks);
    }
  if (sizes->len == 0)
    for (gsize i = 0; i < G_N_ELEMENTS (default_sizes); i++)
      {
        guint n_picks = default_sizes[i] / 10;

        g_array_append_val (sizes, default_sizes[i]);
        g_array_append_val (picks, n_picks);
      }

  printf ("GetConflicts and Resolve %s on a private bus, D-Bus call included;\n"
          "ms: median (min-max) of %d calls after one cold call\n\n",
          daemon != NULL ? "through lpc-agendad"
                         : "through the daemon's service in this process (no reminders)",
          CALLS);
  printf (" entries   picks  add-all  records    reply  GetConflicts cold / median (min-max)"
          "   Resolve median (min-max)  skip   GetAgenda(mon)\n");
  for (guint s = 0; s < sizes->len; s++)
    {
      g_autoptr (GError) error = NULL;
      Figures figures;

      if (!run_size (argv[1], daemon, g_array_index (sizes, guint, s),
                     g_array_index (picks, guint, s), &figures, &error))
        {
          fprintf (stderr, "bench-conflicts-dbus: %s\n", error->message);
          return 1;
        }
      g_array_append_val (results, figures);
      printf (
          "%8u %7u %7.2fs %8u %7" G_GSIZE_FORMAT
          "B %8.2f / %6.2f (%.2f-%.2f) %11.2f (%.2f-%.2f) %6u %8.2f ms\n",
          figures.n_entries, figures.n_picks, figures.add_s, figures.n_records, figures.reply_bytes,
          figures.conflicts_cold_ms, figures.conflicts_ms[0], figures.conflicts_ms[1],
          figures.conflicts_ms[2], figures.resolve_ms[0], figures.resolve_ms[1],
          figures.resolve_ms[2], figures.n_skip, figures.agenda_ms);
      fflush (stdout);
    }

  if (results->len > 1)
    {
      printf ("\ngrowth (median ratio to the size before; / n log n ratio in brackets, 1.0 = n log "
              "n)\n");
      for (guint s = 1; s < results->len; s++)
        {
          const Figures *a = &g_array_index (results, Figures, s - 1);
          const Figures *b = &g_array_index (results, Figures, s);
          double nlogn = n_log_n (b->n_picks) / n_log_n (MAX (a->n_picks, 2));
          double conflicts = b->conflicts_ms[0] / a->conflicts_ms[0];
          double resolve = b->resolve_ms[0] / a->resolve_ms[0];

          printf ("  %u -> %u entries: GetConflicts x%.1f (%.2f), Resolve x%.1f (%.2f)\n",
                  a->n_entries, b->n_entries, conflicts, conflicts / nlogn, resolve,
                  resolve / nlogn);
        }
    }
  {
    const Figures *last = &g_array_index (results, Figures, results->len - 1);

    if (last->n_entries == 100000 && last->n_picks == 10000)
      printf ("\ntargets at 100,000 entries / 10,000 picks: GetConflicts <= 50 ms: %.2f ms (%s); "
              "Resolve <= 100 ms: %.2f ms (%s)\n",
              last->conflicts_ms[0], last->conflicts_ms[0] <= 50 ? "met" : "MISSED",
              last->resolve_ms[0], last->resolve_ms[0] <= 100 ? "met" : "MISSED");
  }
  return 0;
}
