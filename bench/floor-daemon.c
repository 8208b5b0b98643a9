/* floor-daemon.c: the least a daemon like lpc-agendad can be, for the RSS
 * benchmark's floor. It owns a bus name with one method, calls notify_init()
 * and opens an SQLite file, then waits: whatever lpc-agendad uses beyond this
 * is what its own code costs.
 *
 *   floor-daemon --db FILE [--name NAME]
 *
 * Exits 0 on SIGTERM or SIGINT, 1 when it cannot start.
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <libnotify/notify.h>
#include <sqlite3.h>

static const char introspection_xml[] = "<node>"
                                        "  <interface name='org.lpcagenda.Floor1'>"
                                        "    <method name='Ping'>"
                                        "      <arg name='version' type='i' direction='out'/>"
                                        "    </method>"
                                        "  </interface>"
                                        "</node>";

typedef struct
{
  GMainLoop *loop;
  GDBusNodeInfo *node;
  guint registration_id;
  int exit_status;
} Floor;

static void
handle_method_call (GDBusConnection *connection, const char *sender, const char *object_path,
                    const char *interface_name, const char *method_name, GVariant *parameters,
                    GDBusMethodInvocation *invocation, gpointer user_data)
{
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(i)", sqlite3_libversion_number ()));
}

static const GDBusInterfaceVTable vtable = {
  handle_method_call,
  NULL,
  NULL,
  { 0 },
};

static void
on_bus_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Floor *state = user_data;
  g_autoptr (GError) error = NULL;

  state->registration_id = g_dbus_connection_register_object (connection, "/org/lpcagenda/Floor1",
                                                              state->node->interfaces[0], &vtable,
                                                              state, NULL, &error);
  if (state->registration_id == 0)
    {
      g_printerr ("floor-daemon: cannot export the object: %s\n", error->message);
      state->exit_status = 1;
      g_main_loop_quit (state->loop);
    }
}

static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Floor *state = user_data;

  g_printerr ("floor-daemon: cannot own %s (no bus, or the name is taken)\n", name);
  state->exit_status = 1;
  g_main_loop_quit (state->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  Floor *state = user_data;

  g_main_loop_quit (state->loop);
  return G_SOURCE_CONTINUE;
}

static sqlite3 *
open_database (const char *path)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA user_version;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_printerr ("floor-daemon: %s: %s\n", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

int
main (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *bus_name = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The SQLite file to open", "FILE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &bus_name, "The bus name to own", "NAME" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- the RSS floor of a daemon");
  g_autoptr (GError) error = NULL;
  Floor state = { 0 };
  sqlite3 *db;
  guint owner_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("floor-daemon: %s\n", error->message);
      return 1;
    }
  if (db_path == NULL)
    {
      g_printerr ("floor-daemon: --db FILE is required\n");
      return 1;
    }

  if (!notify_init ("floor"))
    {
      g_printerr ("floor-daemon: notify_init failed\n");
      return 1;
    }
  db = open_database (db_path);
  if (db == NULL)
    return 1;

  state.node = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  state.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, &state);
  g_unix_signal_add (SIGINT, on_signal, &state);

  owner_id = g_bus_own_name (G_BUS_TYPE_SESSION, bus_name ? bus_name : "org.lpcagenda.Floor1",
                             G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, on_bus_acquired, NULL,
                             on_name_lost, &state, NULL);
  g_main_loop_run (state.loop);

  g_bus_unown_name (owner_id);
  g_main_loop_unref (state.loop);
  g_dbus_node_info_unref (state.node);
  sqlite3_close (db);
  notify_uninit ();
  return state.exit_status;
}
