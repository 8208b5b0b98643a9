/* cmd-agenda.c: add, remove, skip, unskip, agenda — the user's picks. */
#include "commands.h"

#include <string.h>

#include "arguments.h"
#include "json-output.h"
#include "listing.h"
#include "record.h"
#include "time-format.h"

/* "<id>: <title> (Mon 06:40–07:00, <room>)" for one-line confirmations. */
static char *
describe_talk (LpcCli *cli, GVariant *record, GError **error)
{
  GTimeZone *zone = lpc_cli_get_zone (cli, error);
  g_autofree char *when = NULL;
  const char *room;

  if (zone == NULL)
    return NULL;
  when = lpc_format_short_when (lpc_record_get_int64 (record, "start"),
                                lpc_record_get_int64 (record, "end"), zone, &cli->term);
  room = lpc_record_get_string (record, "room");
  return g_strdup_printf ("%s: %s (%s%s%s)", lpc_record_get_string (record, "id"),
                          lpc_record_get_string (record, "title"), when, *room != '\0' ? ", " : "",
                          room);
}

typedef struct
{
  char *priority;
  char *remind;
  char *note;
} AddOptions;

static void
add_options_clear (AddOptions *options)
{
  g_clear_pointer (&options->priority, g_free);
  g_clear_pointer (&options->remind, g_free);
  g_clear_pointer (&options->note, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* Add's and Update's options, checked; NULL on a bad value. */
static GVariant *
build_item_options (AddOptions *options, GError **error)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  if (options->priority != NULL)
    {
      guint priority = 0;

      if (!lpc_arguments_parse_priority ("--priority", options->priority, &priority, error))
        return NULL;
      g_variant_dict_insert (&dict, "priority", "u", priority);
    }
  if (options->remind != NULL)
    {
      g_autofree char *remind = NULL;

      if (!lpc_arguments_parse_remind ("--remind", options->remind, &remind, error))
        return NULL;
      g_variant_dict_insert (&dict, "remind", "s", remind);
    }
  if (options->note != NULL)
    g_variant_dict_insert (&dict, "note", "s", options->note);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static void
print_added (LpcCli *cli, const char *description, gboolean already, gboolean updated,
             GPtrArray *conflicts, const char *id)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (!already)
    g_string_append_printf (out, "Added %s\n", description);
  else if (updated)
    g_string_append_printf (out,
                            "%s is already on your agenda; its priority, reminders or note "
                            "are updated\n",
                            id);
  else
    g_string_append_printf (out, "%s is already on your agenda\n", id);

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      g_autofree char *conflict
          = lpc_listing_describe_conflict (g_ptr_array_index (conflicts, i), id);

      g_string_append (out, "  ");
      lpc_term_append_styled (&cli->term, out, LPC_STYLE_RED, cli->term.utf8 ? "⚠ " : "! ");
      g_string_append_printf (out, "%s\n", conflict);
    }
  if (conflicts != NULL && conflicts->len > 0)
    g_string_append (out, "  See `lpc-agenda conflicts` for the ways out.\n");
  lpc_listing_print_text (out->str);
}

static gboolean
print_added_json (const char *id, gboolean already, GVariant *item, GPtrArray *conflicts,
                  GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "already");
  json_builder_add_boolean_value (builder, already);
  json_builder_set_member_name (builder, "item");
  lpc_json_add_record (builder, item);
  if (conflicts != NULL)
    {
      json_builder_set_member_name (builder, "conflicts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < conflicts->len; i++)
        lpc_json_add_conflict (builder, g_ptr_array_index (conflicts, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return lpc_json_print (builder, error);
}

gboolean
lpc_command_add (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (AddOptions) options = { 0 };
  const GOptionEntry entries[] = {
    { "priority", 'p', 0, G_OPTION_ARG_FILENAME, &options.priority,
      "How much you want to see it, 1 (lowest) to 5 (highest); default 3", "N" },
    { "remind", 0, 0, G_OPTION_ARG_FILENAME, &options.remind,
      "Reminders: minutes before the start (such as 10,0), off, or default (the lead-times "
      "setting)",
      "SPEC" },
    { "note", 'n', 0, G_OPTION_ARG_FILENAME, &options.note, "A note of your own", "TEXT" },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (GStrv) args = NULL;
  g_autoptr (GVariant) item_options = NULL;
  g_autoptr (GVariant) result = NULL;
  g_autoptr (GVariant) item = NULL;
  g_autoptr (GVariant) conflicts_array = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autofree char *description = NULL;
  g_autofree char *doing = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;
  const char *id;
  gboolean already = FALSE;
  gboolean updated = FALSE;

  parsed = lpc_cli_parse_args (cli, command, entries, 1, 1, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;
  if (!lpc_arguments_check_id (args[0], error))
    return FALSE;
  item_options = build_item_options (&options, error);
  if (item_options == NULL)
    return FALSE;

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL)
    return FALSE;
  doing = g_strdup_printf ("adding %s", args[0]);
  lpc_call_expect_change (cli, LPC_CHANGE_ON_AGENDA, doing, args[0], NULL, "lpc-agenda agenda");
  if (!lpc_agenda1_call_add_sync (proxy, args[0], item_options, &result, NULL, error))
    return FALSE;

  id = lpc_record_get_string (result, "id");
  g_variant_lookup (result, "already", "b", &already);
  item = g_variant_lookup_value (result, "item", G_VARIANT_TYPE_VARDICT);
  conflicts_array = g_variant_lookup_value (result, "conflicts", G_VARIANT_TYPE ("aa{sv}"));
  /* Absent until the daemon checks for conflicts: absent is not "none". */
  conflicts = conflicts_array != NULL ? lpc_records_from_array (conflicts_array) : NULL;
  if (item == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the agenda daemon added %s but sent no agenda record for it", id);
      return FALSE;
    }

  /* Adding twice changes nothing; asked for a new priority, reminder or
   * note, though, the item takes them. */
  if (already && g_variant_n_children (item_options) > 0)
    {
      g_autoptr (GVariant) updated_item = NULL;
      g_autofree char *updating = g_strdup_printf ("updating %s", id);

      lpc_call_expect_change (cli, LPC_CHANGE_OPAQUE, updating, id, NULL, "lpc-agenda agenda");
      if (!lpc_agenda1_call_update_sync (proxy, id, item_options, &updated_item, NULL, error))
        return FALSE;
      g_clear_pointer (&item, g_variant_unref);
      item = g_steal_pointer (&updated_item);
      updated = TRUE;
    }

  if (cli->json)
    return print_added_json (id, already, item, conflicts, error);

  description = describe_talk (cli, item, error);
  if (description == NULL)
    return FALSE;
  print_added (cli, description, already, updated, conflicts, id);
  return TRUE;
}

typedef gboolean (*AgendaCall) (LpcAgenda1 *proxy, const char *id, GCancellable *cancellable,
                                GError **error);

/* remove, skip and unskip: one call on one id, then a line that names the talk
 * in full (the argument may have been a prefix). */
static gboolean
change_item (LpcCli *cli, const LpcCommand *command, int argc, char **argv, AgendaCall call,
             LpcChangeKind change, const char *done, const char *after, GError **error)
{
  g_auto (GStrv) args = NULL;
  g_autofree char *doing = NULL;
  g_autoptr (GVariant) talk = NULL;
  g_autofree char *description = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, NULL, 1, 1, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;
  if (!lpc_arguments_check_id (args[0], error))
    return FALSE;

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL)
    return FALSE;
  doing = g_strdup_printf ("%s %s",
                           change == LPC_CHANGE_OFF_AGENDA ? "removing"
                           : change == LPC_CHANGE_SKIPPED  ? "skipping"
                                                           : "unskipping",
                           args[0]);
  lpc_call_expect_change (cli, change, doing, args[0], NULL, "lpc-agenda agenda");
  if (!call (proxy, args[0], NULL, error))
    return FALSE;

  /* Naming the talk is a courtesy, and only safe for a whole id: the daemon
   * matched a prefix among the agenda's items, GetTalk would match it among
   * the program's, and a cancelled item's talk is not in the program at all,
   * so the two can differ. */
  if (lpc_agenda1_call_get_talk_sync (proxy, args[0], &talk, NULL, NULL)
      && strcmp (lpc_record_get_string (talk, "id"), args[0]) == 0)
    description = describe_talk (cli, talk, NULL);
  g_print ("%s %s%s\n", done, description != NULL ? description : args[0], after);
  return TRUE;
}

gboolean
lpc_command_remove (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  return change_item (cli, command, argc, argv, lpc_agenda1_call_remove_sync, LPC_CHANGE_OFF_AGENDA,
                      "Removed", "", error);
}

gboolean
lpc_command_skip (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  return change_item (cli, command, argc, argv, lpc_agenda1_call_skip_sync, LPC_CHANGE_SKIPPED,
                      "Skipped",
                      "\n  It stays on your agenda without reminders; `lpc-agenda unskip` plans it "
                      "again.",
                      error);
}

gboolean
lpc_command_unskip (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  return change_item (cli, command, argc, argv, lpc_agenda1_call_unskip_sync, LPC_CHANGE_UNSKIPPED,
                      "Planned again:", "", error);
}

static const char *const states[] = { "planned", "skipped", "moved", "cancelled", "all", NULL };

gboolean
lpc_command_agenda (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_autofree char *day_option = NULL;
  g_autofree char *state = NULL;
  gboolean ids = FALSE;
  const GOptionEntry entries[] = {
    { "day", 'd', 0, G_OPTION_ARG_FILENAME, &day_option,
      "Only the conference day DAY, as the program counts days: a date such as 2021-09-20, or a "
      "weekday such as mon", "DAY" },
    { "state", 's', 0, G_OPTION_ARG_FILENAME, &state,
      "Only items in STATE: planned, skipped, moved, cancelled or all (the default)", "STATE" },
    { "ids", 0, 0, G_OPTION_ARG_NONE, &ids, "Print only the ids, one per line", NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) items = NULL;
  g_autoptr (GPtrArray) records = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;
  if (ids && cli->json)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--ids and --json cannot be used together");
      return FALSE;
    }
  if (day_option != NULL)
    {
      g_autofree char *day = NULL;

      if (!lpc_arguments_parse_day ("--day", day_option, &day, error))
        return FALSE;
      g_variant_dict_insert (&filter, "day", "s", day);
    }
  if (state != NULL)
    {
      if (!lpc_arguments_check_choice ("--state", state, states, error))
        return FALSE;
      g_variant_dict_insert (&filter, "state", "s", state);
    }

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL
      || !lpc_agenda1_call_get_agenda_sync (proxy, g_variant_dict_end (&filter), &items, NULL,
                                            error))
    return FALSE;
  records = lpc_records_from_array (items);

  if (ids)
    {
      lpc_listing_print_ids (records);
      return TRUE;
    }
  return lpc_listing_print_agenda (cli, records,
                                   day_option != NULL || state != NULL
                                       ? "Nothing on your agenda matches."
                                       : "Your agenda is empty: find talks with `lpc-agenda list` "
                                         "and add them with `lpc-agenda add ID`.",
                                   error);
}
