/* cmd-planner.c: conflicts, resolve, export — what the daemon works out
 * about the agenda as a whole. The client only shows it. */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json-output.h"
#include "listing.h"
#include "record.h"
#include "table.h"
#include "time-format.h"

/* The agenda by id, to put titles and rooms next to the ids the daemon's
 * answers carry. */
static GHashTable *
get_agenda_by_id (LpcCli *cli, GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_autoptr (GVariant) items = NULL;
  g_autoptr (GHashTable) by_id = NULL;
  gsize n;

  if (proxy == NULL
      || !lpc_agenda1_call_get_agenda_sync (proxy, g_variant_new ("a{sv}", NULL), &items, NULL,
                                            error))
    return NULL;

  by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_variant_unref);
  n = g_variant_n_children (items);
  for (gsize i = 0; i < n; i++)
    {
      GVariant *item = g_variant_get_child_value (items, i);

      g_hash_table_replace (by_id, g_strdup (lpc_record_get_string (item, "id")), item);
    }
  return g_steal_pointer (&by_id);
}

static void
add_item_row (LpcTable *table, GHashTable *agenda, const char *marker, LpcStyle marker_style,
              const char *id, const char *reason)
{
  GVariant *item = g_hash_table_lookup (agenda, id);

  lpc_table_start_row (table);
  lpc_table_add_cell (table, marker_style, marker);
  lpc_table_add_cell (table, LPC_STYLE_PLAIN, id);
  lpc_table_add_cell (table, LPC_STYLE_PLAIN,
                      item != NULL ? lpc_record_get_string (item, "title") : "");
  lpc_table_add_cell (table, LPC_STYLE_DIM,
                      item != NULL ? lpc_record_get_string (item, "room") : "");
  lpc_table_add_cell (table, LPC_STYLE_PLAIN, reason != NULL ? reason : "");
}

static const char *
conflict_heading_words (const char *kind)
{
  if (strcmp (kind, "overlap") == 0)
    return "Overlap";
  if (strcmp (kind, "room-change") == 0)
    return "Too little time to change rooms";
  if (strcmp (kind, "program-clash") == 0)
    return "Clash in the program";
  return kind;
}

static gboolean
print_conflicts (LpcCli *cli, GPtrArray *conflicts, GError **error)
{
  g_autoptr (GHashTable) agenda = NULL;
  g_autoptr (LpcTable) table = NULL;
  g_autofree char *text = NULL;
  GTimeZone *zone;

  if (conflicts->len == 0)
    {
      g_print ("No conflicts on your agenda.\n");
      return TRUE;
    }
  zone = lpc_cli_get_zone (cli, error);
  agenda = zone != NULL ? get_agenda_by_id (cli, error) : NULL;
  if (agenda == NULL)
    return FALSE;

  table = lpc_table_new (5);
  lpc_table_set_flexible (table, 2);
  lpc_table_set_flexible (table, 3);
  for (guint i = 0; i < conflicts->len; i++)
    {
      GVariant *conflict = g_ptr_array_index (conflicts, i);
      g_auto (GStrv) ids = lpc_record_dup_strv (conflict, "ids");
      g_auto (GStrv) alternatives = lpc_record_dup_strv (conflict, "alternatives");
      g_autofree char *when
          = lpc_format_when (lpc_record_get_int64 (conflict, "start"),
                             lpc_record_get_int64 (conflict, "end"), zone, NULL, &cli->term);
      guint minutes = lpc_record_get_uint32 (conflict, "minutes");
      g_autofree char *heading = NULL;

      heading = minutes > 0
                    ? g_strdup_printf (
                        "%s: %s (%u min)",
                        conflict_heading_words (lpc_record_get_string (conflict, "kind")), when,
                        minutes)
                    : g_strdup_printf (
                        "%s: %s", conflict_heading_words (lpc_record_get_string (conflict, "kind")),
                        when);
      lpc_table_add_heading (table, LPC_STYLE_BOLD, heading);
      for (guint j = 0; ids[j] != NULL; j++)
        add_item_row (table, agenda, "", LPC_STYLE_PLAIN, ids[j], NULL);
      if (alternatives[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv (", ", alternatives);
          g_autofree char *line = g_strdup_printf ("instead: %s", joined);

          lpc_table_add_line (table, LPC_STYLE_GREEN, line);
        }
    }
  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);
  return TRUE;
}

gboolean
lpc_command_conflicts (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                       GError **error)
{
  g_autoptr (GVariant) conflicts_array = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;
  gboolean printed;

  parsed = lpc_cli_parse_args (cli, command, NULL, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL || !lpc_agenda1_call_get_conflicts_sync (proxy, &conflicts_array, NULL, error))
    return FALSE;
  conflicts = lpc_records_from_array (conflicts_array);

  if (cli->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < conflicts->len; i++)
        lpc_json_add_conflict (builder, g_ptr_array_index (conflicts, i));
      json_builder_end_array (builder);
      printed = lpc_json_print (builder, error);
    }
  else
    printed = print_conflicts (cli, conflicts, error);

  /* Like diff(1): scripts test the exit status. */
  if (printed && conflicts->len > 0)
    cli->status = LPC_EXIT_FAILURE;
  return printed;
}

static gboolean
print_plan_json (GVariant *plan, gboolean applied, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_auto (GStrv) keep = lpc_record_dup_strv (plan, "keep");
  g_auto (GStrv) skip = lpc_record_dup_strv (plan, "skip");
  g_autoptr (GVariant) move = g_variant_lookup_value (plan, "move", G_VARIANT_TYPE ("a{ss}"));
  g_autoptr (GVariant) reasons = g_variant_lookup_value (plan, "reasons", G_VARIANT_TYPE ("a{ss}"));
  GVariant *maps[] = { move, reasons };
  const char *map_names[] = { "move", "reasons" };

  json_builder_begin_object (builder);
  lpc_json_add_strv_member (builder, "keep", (const char *const *)keep);
  lpc_json_add_strv_member (builder, "skip", (const char *const *)skip);
  for (gsize m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      GVariantIter iter;
      const char *key;
      const char *value;

      json_builder_set_member_name (builder, map_names[m]);
      json_builder_begin_object (builder);
      if (maps[m] != NULL)
        {
          g_variant_iter_init (&iter, maps[m]);
          while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
            {
              json_builder_set_member_name (builder, key);
              json_builder_add_string_value (builder, value);
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "applied");
  json_builder_add_boolean_value (builder, applied);
  json_builder_end_object (builder);
  return lpc_json_print (builder, error);
}

static gboolean
print_plan (LpcCli *cli, GVariant *plan, gboolean applied, GError **error)
{
  g_autoptr (GHashTable) agenda = get_agenda_by_id (cli, error);
  g_auto (GStrv) keep = lpc_record_dup_strv (plan, "keep");
  g_auto (GStrv) skip = lpc_record_dup_strv (plan, "skip");
  g_autoptr (GVariant) move = g_variant_lookup_value (plan, "move", G_VARIANT_TYPE ("a{ss}"));
  g_autoptr (GVariant) reasons = g_variant_lookup_value (plan, "reasons", G_VARIANT_TYPE ("a{ss}"));
  g_autoptr (LpcTable) table = NULL;
  g_autofree char *text = NULL;
  GVariantIter iter;
  const char *from;
  const char *to;

  if (agenda == NULL)
    return FALSE;
  if (keep[0] == NULL && skip[0] == NULL && (move == NULL || g_variant_n_children (move) == 0))
    {
      g_print ("Your agenda has no conflicts to resolve.\n");
      return TRUE;
    }

  table = lpc_table_new (5);
  lpc_table_set_flexible (table, 2);
  lpc_table_set_flexible (table, 3);
  lpc_table_set_flexible (table, 4);
  for (guint i = 0; keep[i] != NULL; i++)
    {
      const char *reason = NULL;

      if (reasons != NULL)
        g_variant_lookup (reasons, keep[i], "&s", &reason);
      add_item_row (table, agenda, "keep", LPC_STYLE_GREEN, keep[i], reason);
    }
  if (move != NULL)
    {
      g_variant_iter_init (&iter, move);
      while (g_variant_iter_next (&iter, "{&s&s}", &from, &to))
        {
          const char *reason = NULL;
          g_autofree char *where = NULL;

          if (reasons != NULL)
            g_variant_lookup (reasons, from, "&s", &reason);
          where = g_strdup_printf ("to %s%s%s", to, reason != NULL ? ": " : "",
                                   reason != NULL ? reason : "");
          add_item_row (table, agenda, "move", LPC_STYLE_CYAN, from, where);
        }
    }
  for (guint i = 0; skip[i] != NULL; i++)
    {
      const char *reason = NULL;

      if (reasons != NULL)
        g_variant_lookup (reasons, skip[i], "&s", &reason);
      add_item_row (table, agenda, "skip", LPC_STYLE_YELLOW, skip[i], reason);
    }

  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);
  if (applied)
    g_print ("\nDone: skipped items stay on your agenda; `lpc-agenda unskip ID` restores one.\n");
  else
    g_print ("\nNothing changed: `lpc-agenda resolve --apply` carries this plan out.\n");
  return TRUE;
}

gboolean
lpc_command_resolve (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  gboolean apply = FALSE;
  const GOptionEntry entries[] = {
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply,
      "Carry the plan out: skip or move the items that lose (nothing is deleted)", NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) plan = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  g_variant_dict_insert (&options, "apply", "b", apply);
  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL
      || !lpc_agenda1_call_resolve_sync (proxy, g_variant_dict_end (&options), &plan, NULL, error))
    return FALSE;

  if (cli->json)
    return print_plan_json (plan, apply, error);
  return print_plan (cli, plan, apply, error);
}

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
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the calendar to FILE instead of standard output", "FILE" },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *calendar = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  g_variant_dict_insert (&options, "format", "s", "ics");
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
  g_print ("Wrote your agenda to %s\n", output);
  return TRUE;
}
