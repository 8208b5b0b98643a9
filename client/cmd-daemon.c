/* cmd-daemon.c: status, config, import — the daemon's state, its settings
 * and its program. */
#include "commands.h"

#include <string.h>

#include "arguments.h"
#include "json-output.h"
#include "listing.h"
#include "record.h"
#include "table.h"
#include "time-format.h"

#define IMPORT_TIMEOUT_MSEC (10 * 60 * 1000)

/* The settings `config` knows, each a readwrite property. */
typedef enum
{
  SETTING_MINUTES,      /* u */
  SETTING_MINUTES_LIST, /* s, "10,0" */
  SETTING_PATH,         /* s, an absolute path or "" for none */
} SettingKind;

typedef struct
{
  const char *key;
  const char *property;
  guint max;
  const char *description;
  SettingKind kind;
} Setting;

static const Setting settings[] = {
  { "lead-time", "LeadTime", 1440,
    "minutes before a talk its reminder shows (the first of lead-times)" },
  { "lead-times", "LeadTimes", 1440,
    "default reminders, minutes before a talk (such as 10,0: ten minutes before and at the start)",
    SETTING_MINUTES_LIST },
  { "travel-time", "TravelTime", 240, "minutes needed to change rooms (0: off)" },
  { "soft-overlap", "SoftOverlap", 60,
    "minutes two talks may overlap for resolve to keep both with a note (0: off)" },
  { "calendar-file", "CalendarFile", 0,
    "an .ics file the daemon keeps up to date with your agenda (off: none)", SETTING_PATH },
};

/* A setting's value as `config` prints it: "5", "10,0", a path, "off". */
static char *
setting_value (const Setting *setting, GVariant *properties)
{
  const char *text;

  switch (setting->kind)
    {
    case SETTING_MINUTES_LIST:
      return g_strdup (lpc_record_get_string (properties, setting->property));
    case SETTING_PATH:
      text = lpc_record_get_string (properties, setting->property);
      return g_strdup (text != NULL && *text != '\0' ? text : "off");
    case SETTING_MINUTES:
    default:
      return g_strdup_printf ("%u", lpc_record_get_uint32 (properties, setting->property));
    }
}

/* The value to set, checked: NULL (and a usage error) when it is not one. */
static GVariant *
parse_setting_value (const Setting *setting, const char *text, GError **error)
{
  g_autofree char *list = NULL;
  guint minutes = 0;

  if (setting->kind == SETTING_PATH)
    {
      g_autofree char *path = NULL;

      if (*text == '\0' || strcmp (text, "off") == 0 || strcmp (text, "none") == 0)
        return g_variant_new_string ("");
      /* The daemon's working directory is not ours. */
      path = g_canonicalize_filename (text, NULL);
      return g_variant_new_string (path);
    }
  if (setting->kind == SETTING_MINUTES)
    {
      if (!lpc_arguments_parse_minutes (setting->key, text, setting->max, &minutes, error))
        return NULL;
      return g_variant_new_uint32 (minutes);
    }
  if (!lpc_arguments_parse_remind (setting->key, text, &list, error))
    return NULL;
  /* "off" and "default" are for one talk (add --remind); the default
   * itself must say when. */
  if (*list == '\0' || strcmp (list, "off") == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s takes minutes before the start (0–%u) separated by commas, such as "
                   "‘10,0’, not ‘%s’; to silence one talk use `lpc-agenda add ID --remind off`",
                   setting->key, setting->max, text);
      return NULL;
    }
  return g_variant_new_string (list);
}

static const Setting *
find_setting (const char *key, GError **error)
{
  g_autoptr (GString) keys = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      if (strcmp (settings[i].key, key) == 0)
        return &settings[i];
      g_string_append_printf (keys, "%s%s", i > 0 ? ", " : "", settings[i].key);
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "config: unknown setting ‘%s’ (there are %s)", key, keys->str);
  return NULL;
}

/* All properties at once, for status and config. */
static GVariant *
get_all_properties (LpcCli *cli, GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_autoptr (GVariant) reply = NULL;
  GVariant *properties = NULL;

  if (proxy == NULL)
    return NULL;
  reply = g_dbus_proxy_call_sync (
      G_DBUS_PROXY (proxy), "org.freedesktop.DBus.Properties.GetAll",
      g_variant_new ("(s)", g_dbus_proxy_get_interface_name (G_DBUS_PROXY (proxy))),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(@a{sv})", &properties);
  return properties;
}

static void
add_status_row (LpcTable *table, const char *label, const char *value)
{
  lpc_table_start_row (table);
  lpc_table_add_cell (table, LPC_STYLE_DIM, label);
  lpc_table_add_cell (table, LPC_STYLE_PLAIN, value);
}

static char *
describe_clock (GVariant *status, GTimeZone *zone)
{
  gint64 now = lpc_record_get_int64 (status, "now");
  const char *clock = lpc_record_get_string (status, "clock");
  double rate = 1.0;
  g_autofree char *now_text = lpc_format_instant (now, zone);

  g_variant_lookup (status, "clock-rate", "d", &rate);
  if (strcmp (clock, "simulated") == 0)
    return g_strdup_printf ("%s (simulated, %g× real time)", now_text, rate);
  return g_steal_pointer (&now_text);
}

static gboolean
print_status (LpcCli *cli, GVariant *status, GVariant *properties, GError **error)
{
  GTimeZone *zone = lpc_cli_get_zone (cli, error);
  g_autoptr (LpcTable) table = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *program = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *agenda = NULL;
  g_autofree char *lead_time = NULL;
  g_autofree char *travel_time = NULL;
  g_autofree char *next_reminder = NULL;
  g_autofree char *text = NULL;
  gint64 next = lpc_record_get_int64 (properties, "NextReminder");
  const char *program_name = lpc_record_get_string (status, "program");

  if (zone == NULL)
    return FALSE;

  clock = describe_clock (status, zone);
  program = g_strdup_printf ("%s (%s)", *program_name != '\0' ? program_name : "none",
                             lpc_record_get_string (status, "program-timezone"));
  counts = g_strdup_printf (
      "%u sessions, %u talks, %u breaks", lpc_record_get_uint32 (status, "sessions"),
      lpc_record_get_uint32 (status, "talks"), lpc_record_get_uint32 (status, "breaks"));
  /* Absent when the daemon has no usable database (storage "unavailable"). */
  if (lpc_record_has (status, "agenda", G_VARIANT_TYPE_UINT32))
    agenda = g_strdup_printf ("%u items, %u planned", lpc_record_get_uint32 (status, "agenda"),
                              lpc_record_get_uint32 (status, "planned"));
  else
    agenda = g_strdup ("unavailable");
  lead_time
      = g_strdup_printf ("%s min", lpc_record_has (properties, "LeadTimes", G_VARIANT_TYPE_STRING)
                                       ? lpc_record_get_string (properties, "LeadTimes")
                                       : "?");
  travel_time = g_strdup_printf ("%u min", lpc_record_get_uint32 (properties, "TravelTime"));
  next_reminder = next != 0 ? lpc_format_instant (next, zone) : g_strdup ("none");

  table = lpc_table_new (2);
  add_status_row (table, "daemon", lpc_record_get_string (status, "version"));
  add_status_row (table, "now", clock);
  add_status_row (table, "program", program);
  add_status_row (table, "", counts);
  add_status_row (table, "database", lpc_record_get_string (status, "database"));
  /* Storage faults: "read-only" or "unavailable", and why. */
  if (lpc_record_has (status, "storage", G_VARIANT_TYPE_STRING)
      && strcmp (lpc_record_get_string (status, "storage"), "ok") != 0)
    {
      g_autofree char *storage = g_strdup_printf (
          "%s: %s", lpc_record_get_string (status, "storage"),
          lpc_record_get_string (status, "storage-error"));
      add_status_row (table, "storage", storage);
    }
  add_status_row (table, "agenda", agenda);
  if (lpc_record_has (status, "calendar-file-error", G_VARIANT_TYPE_STRING))
    add_status_row (table, "calendar file",
                    lpc_record_get_string (status, "calendar-file-error"));
  add_status_row (table, "lead-times", lead_time);
  add_status_row (table, "travel-time", travel_time);
  add_status_row (table, "next reminder", next_reminder);
  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);
  return TRUE;
}

static void
add_string_member (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int_member (JsonBuilder *builder, const char *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static gboolean
print_status_json (GVariant *status, GVariant *properties, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  static const char *const counts[] = { "sessions", "talks", "breaks", "agenda", "planned" };
  double rate = 1.0;

  g_variant_lookup (status, "clock-rate", "d", &rate);
  json_builder_begin_object (builder);
  add_string_member (builder, "version", lpc_record_get_string (status, "version"));
  lpc_json_add_time_member (builder, "now", lpc_record_get_int64 (status, "now"), FALSE);
  add_string_member (builder, "clock", lpc_record_get_string (status, "clock"));
  json_builder_set_member_name (builder, "clock-rate");
  json_builder_add_double_value (builder, rate);
  add_string_member (builder, "database", lpc_record_get_string (status, "database"));
  add_string_member (builder, "program", lpc_record_get_string (status, "program"));
  add_string_member (builder, "program-timezone",
                     lpc_record_get_string (status, "program-timezone"));
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      /* agenda and planned are absent when storage is "unavailable". */
      if (lpc_record_has (status, counts[i], G_VARIANT_TYPE_UINT32))
        add_int_member (builder, counts[i], lpc_record_get_uint32 (status, counts[i]));
    }
  if (lpc_record_has (status, "storage", G_VARIANT_TYPE_STRING))
    add_string_member (builder, "storage", lpc_record_get_string (status, "storage"));
  if (lpc_record_has (status, "storage-error", G_VARIANT_TYPE_STRING))
    add_string_member (builder, "storage-error", lpc_record_get_string (status, "storage-error"));
  if (lpc_record_has (status, "calendar-file-error", G_VARIANT_TYPE_STRING))
    add_string_member (builder, "calendar-file-error",
                       lpc_record_get_string (status, "calendar-file-error"));
  add_int_member (builder, "lead-time", lpc_record_get_uint32 (properties, "LeadTime"));
  add_string_member (builder, "lead-times", lpc_record_get_string (properties, "LeadTimes"));
  add_int_member (builder, "travel-time", lpc_record_get_uint32 (properties, "TravelTime"));
  lpc_json_add_time_member (builder, "next-reminder",
                            lpc_record_get_int64 (properties, "NextReminder"), TRUE);
  json_builder_end_object (builder);
  return lpc_json_print (builder, error);
}

gboolean
lpc_command_status (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  LpcAgenda1 *proxy;
  g_autoptr (GVariant) status = NULL;
  g_autoptr (GVariant) properties = NULL;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, NULL, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL || !lpc_agenda1_call_get_status_sync (proxy, &status, NULL, error))
    return FALSE;
  properties = get_all_properties (cli, error);
  if (properties == NULL)
    return FALSE;

  if (cli->json)
    return print_status_json (status, properties, error);
  return print_status (cli, status, properties, error);
}

static gboolean
print_settings (LpcCli *cli, const Setting *only, GVariant *properties, GError **error)
{
  if (cli->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
        {
          if (only != NULL && only != &settings[i])
            continue;
          if (settings[i].kind != SETTING_MINUTES)
            add_string_member (builder, settings[i].key,
                               lpc_record_get_string (properties, settings[i].property));
          else
            add_int_member (builder, settings[i].key,
                            lpc_record_get_uint32 (properties, settings[i].property));
        }
      json_builder_end_object (builder);
      return lpc_json_print (builder, error);
    }

  if (only != NULL)
    {
      /* One value alone, for `$(lpc-agenda config lead-time)`. */
      g_autofree char *value = setting_value (only, properties);

      g_print ("%s\n", value);
      return TRUE;
    }
  else
    {
      g_autoptr (LpcTable) table = lpc_table_new (3);
      g_autofree char *text = NULL;

      for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
        {
          g_autofree char *value = setting_value (&settings[i], properties);

          lpc_table_start_row (table);
          lpc_table_add_cell (table, LPC_STYLE_PLAIN, settings[i].key);
          lpc_table_add_cell (table, LPC_STYLE_BOLD, value);
          lpc_table_add_cell (table, LPC_STYLE_DIM, settings[i].description);
        }
      text = lpc_table_render (table, &cli->term);
      lpc_listing_print_text (text);
      return TRUE;
    }
}

gboolean
lpc_command_config (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (GStrv) args = NULL;
  const Setting *setting = NULL;
  g_autoptr (GVariant) properties = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) value = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, NULL, 0, 2, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  if (args[0] != NULL && (setting = find_setting (args[0], error)) == NULL)
    return FALSE;
  if (args[0] != NULL && args[1] != NULL
      && (value = parse_setting_value (setting, args[1], error)) == NULL)
    return FALSE;

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL)
    return FALSE;

  if (args[0] != NULL && args[1] != NULL)
    {
      /* Through Properties.Set, not the proxy's setter, so that a refusal
       * comes back as an error to print. */
      g_autofree char *doing = g_strdup_printf ("setting %s to %s", setting->key, args[1]);

      g_variant_ref_sink (value);
      /* A path is made absolute on the way, so only a number reads back
       * exactly as it was sent. */
      lpc_call_expect_change (
          cli, setting->kind == SETTING_PATH ? LPC_CHANGE_OPAQUE : LPC_CHANGE_SETTING, doing,
          setting->property, value, "lpc-agenda config");
      reply = g_dbus_proxy_call_sync (
          G_DBUS_PROXY (proxy), "org.freedesktop.DBus.Properties.Set",
          g_variant_new ("(ssv)", g_dbus_proxy_get_interface_name (G_DBUS_PROXY (proxy)),
                         setting->property, value),
          G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
      if (reply == NULL)
        return FALSE;
    }

  properties = get_all_properties (cli, error);
  if (properties == NULL)
    return FALSE;
  if (args[0] != NULL && args[1] != NULL && !cli->json)
    {
      g_autofree char *now = setting_value (setting, properties);

      if (setting->kind == SETTING_PATH)
        g_print ("%s is now %s\n", setting->key, now);
      else
        g_print ("%s is now %s min\n", setting->key, now);
      return TRUE;
    }
  return print_settings (cli, setting, properties, error);
}

static void
append_id_list (GString *out, GVariant *summary, const char *key, const char *label)
{
  g_auto (GStrv) ids = lpc_record_dup_strv (summary, key);
  g_autofree char *joined = NULL;

  if (ids[0] == NULL)
    return;
  joined = g_strjoinv (", ", ids);
  g_string_append_printf (out, "  %s: %s\n", label, joined);
}

static gboolean
print_import_json (GVariant *summary, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  static const char *const counts[] = { "sessions", "talks", "breaks", "new", "changed" };
  static const char *const lists[] = { "moved", "cancelled", "restored" };

  json_builder_begin_object (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    add_int_member (builder, counts[i], lpc_record_get_uint32 (summary, counts[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_auto (GStrv) ids = lpc_record_dup_strv (summary, lists[i]);

      lpc_json_add_strv_member (builder, lists[i], (const char *const *)ids);
    }
  {
    g_auto (GStrv) warnings = lpc_record_dup_strv (summary, "warnings");

    lpc_json_add_strv_member (builder, "warnings", (const char *const *)warnings);
  }
  if (lpc_record_has (summary, "replaced", G_VARIANT_TYPE_STRING))
    {
      add_string_member (builder, "replaced", lpc_record_get_string (summary, "replaced"));
      add_int_member (builder, "archived", lpc_record_get_uint32 (summary, "archived"));
      add_int_member (builder, "unarchived", lpc_record_get_uint32 (summary, "unarchived"));
    }
  json_builder_end_object (builder);
  return lpc_json_print (builder, error);
}

/* To stderr, so that --json's stdout stays one JSON document; each line
 * says it is a warning, since the import itself went through. */
static void
print_import_warnings (GVariant *summary)
{
  g_auto (GStrv) warnings = lpc_record_dup_strv (summary, "warnings");

  for (guint i = 0; warnings[i] != NULL; i++)
    g_printerr ("lpc-agenda: warning: %s\n", warnings[i]);
}

gboolean
lpc_command_import (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (GStrv) args = NULL;
  g_autofree char *path = NULL;
  g_autofree char *doing = NULL;
  g_autoptr (GVariant) summary = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  gboolean replace = FALSE;
  g_autofree char *zone = NULL;
  GVariantBuilder options;
  const GOptionEntry entries[] = {
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      "The program of another conference: archive the agenda and switch to it", NULL },
    { "timezone", 0, 0, G_OPTION_ARG_STRING, &zone,
      "The zone of the file's times when it names none (an IANA name: America/Los_Angeles)",
      "ZONE" },
    G_OPTION_ENTRY_NULL,
  };

  parsed = lpc_cli_parse_args (cli, command, entries, 1, 1, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  /* The daemon runs elsewhere (another working directory, maybe another
   * mount namespace under systemd): it needs an absolute path. */
  path = g_canonicalize_filename (args[0], NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "import: no such file: %s", path);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "import: not a regular file: %s",
                   path);
      return FALSE;
    }

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL)
    return FALSE;
  /* A big program takes the daemon a while to read and store; D-Bus's
   * default 25 s is meant for calls that do not. */
  if (!lpc_call_set_timeout (cli, IMPORT_TIMEOUT_MSEC, error))
    return FALSE;
  doing = g_strdup_printf ("importing %s", path);
  lpc_call_expect_change (cli, LPC_CHANGE_OPAQUE, doing, NULL, NULL, "lpc-agenda status");
  /* The daemon checks the zone: it is the one that has to know it. */
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (zone != NULL)
    g_variant_builder_add (&options, "{sv}", "timezone", g_variant_new_string (zone));
  if (replace ? !lpc_agenda1_call_replace_program_sync (
                    proxy, path, g_variant_builder_end (&options), &summary, NULL, error)
              : !lpc_agenda1_call_import_program_sync (
                    proxy, path, g_variant_builder_end (&options), &summary, NULL, error))
    return FALSE;

  print_import_warnings (summary);
  if (cli->json)
    return print_import_json (summary, error);

  g_string_append_printf (
      out, "Imported %s: %u sessions, %u talks, %u breaks (%u new, %u changed)\n", path,
      lpc_record_get_uint32 (summary, "sessions"), lpc_record_get_uint32 (summary, "talks"),
      lpc_record_get_uint32 (summary, "breaks"), lpc_record_get_uint32 (summary, "new"),
      lpc_record_get_uint32 (summary, "changed"));
  append_id_list (out, summary, "moved", "moved on your agenda");
  append_id_list (out, summary, "cancelled", "cancelled on your agenda");
  append_id_list (out, summary, "restored", "back on your agenda");
  if (lpc_record_has (summary, "replaced", G_VARIANT_TYPE_STRING))
    {
      g_string_append_printf (out, "  replaced %s: its %u agenda items are archived\n",
                              lpc_record_get_string (summary, "replaced"),
                              lpc_record_get_uint32 (summary, "archived"));
      if (lpc_record_get_uint32 (summary, "unarchived") > 0)
        g_string_append_printf (out, "  %u items of this program's agenda are back\n",
                                lpc_record_get_uint32 (summary, "unarchived"));
    }
  lpc_listing_print_text (out->str);
  return TRUE;
}
