/* cmd-now.c: next, now — what is on, by the daemon's clock (which may be a
 * simulated one: the client never reads its own). */
#include "commands.h"

#include <string.h>

#include "json-output.h"
#include "listing.h"
#include "record.h"
#include "table.h"
#include "time-format.h"

/* Planned and moved items are the ones the user means to attend. */
static gboolean
is_attending (GVariant *item)
{
  const char *state = lpc_record_get_string (item, "state");

  return strcmp (state, "planned") == 0 || strcmp (state, "moved") == 0;
}

static gboolean
get_agenda_around (LpcCli *cli, gint64 from, gint64 to, GPtrArray **out_items, GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) items = NULL;

  g_variant_dict_insert (&filter, "from", "x", from);
  if (to > 0)
    g_variant_dict_insert (&filter, "to", "x", to);
  if (proxy == NULL
      || !lpc_agenda1_call_get_agenda_sync (proxy, g_variant_dict_end (&filter), &items, NULL,
                                            error))
    return FALSE;
  *out_items = lpc_records_from_array (items);
  return TRUE;
}

static gboolean
print_records_json (GPtrArray *records, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  lpc_json_add_records (builder, records);
  return lpc_json_print (builder, error);
}

static void
append_next_item (LpcCli *cli, GString *out, GVariant *item, gint64 now, GTimeZone *zone,
                  GTimeZone *conference)
{
  gint64 start = lpc_record_get_int64 (item, "start");
  g_autofree char *until = lpc_format_duration (start - now);
  g_autofree char *when
      = lpc_format_when (start, lpc_record_get_int64 (item, "end"), zone, conference, &cli->term);
  g_autofree char *heading
      = g_strdup_printf ("In %s: %s", until, lpc_record_get_string (item, "title"));
  const char *room = lpc_record_get_string (item, "room");
  const char *note = lpc_record_get_string (item, "note");
  /* The daemon's next reminder for it; 0 when none is due. */
  gint64 reminder = lpc_record_get_int64 (item, "reminder");

  lpc_term_append_styled (&cli->term, out, LPC_STYLE_BOLD, heading);
  g_string_append_printf (out, "\n  %s\n  %s", lpc_record_get_string (item, "id"), when);
  if (*room != '\0')
    {
      g_string_append (out, ", ");
      lpc_term_append_styled (&cli->term, out, LPC_STYLE_DIM, room);
    }
  g_string_append_c (out, '\n');
  if (*note != '\0')
    g_string_append_printf (out, "  note: %s\n", note);
  if (reminder != 0)
    {
      g_autofree char *reminder_text = lpc_format_instant (reminder, zone);

      g_string_append_printf (out, "  reminder: %s\n", reminder_text);
    }
}

gboolean
lpc_command_next (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) next = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) conference_error = NULL;
  GTimeZone *zone;
  GTimeZone *conference;
  LpcArgsResult parsed;
  gint64 now = 0;
  gint64 next_start = G_MAXINT64;
  gint64 first, last;

  parsed = lpc_cli_parse_args (cli, command, NULL, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  if (!lpc_cli_get_now (cli, &now, error) || !get_agenda_around (cli, now, 0, &items, error))
    return FALSE;

  /* The earliest start after now; items starting together all count (that
   * is a clash the user should see). */
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      gint64 start = lpc_record_get_int64 (item, "start");

      if (is_attending (item) && start > now && start < next_start)
        next_start = start;
    }
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);

      if (is_attending (item) && lpc_record_get_int64 (item, "start") == next_start)
        g_ptr_array_add (next, g_variant_ref (item));
    }

  if (cli->json)
    return print_records_json (next, error);
  if (next->len == 0)
    {
      g_print ("Nothing more is planned on your agenda.\n");
      return TRUE;
    }

  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL)
    return FALSE;
  conference = lpc_cli_get_conference_zone (cli, &conference_error);
  for (guint i = 0; i < next->len; i++)
    append_next_item (cli, out, g_ptr_array_index (next, i), now, zone, conference);
  lpc_listing_print_text (out->str);
  lpc_listing_time_span (next, &first, &last);
  lpc_listing_print_zone_hint (cli, zone, first, last);
  return TRUE;
}

static void
add_running_rows (LpcCli *cli, LpcTable *table, GPtrArray *records, gint64 now, GTimeZone *zone)
{
  for (guint i = 0; i < records->len; i++)
    {
      GVariant *record = g_ptr_array_index (records, i);
      gint64 end = lpc_record_get_int64 (record, "end");
      g_autofree char *range
          = lpc_format_time_range (lpc_record_get_int64 (record, "start"), end, zone, &cli->term);
      g_autofree char *left = lpc_format_duration (end - now);
      g_autofree char *left_text = g_strdup_printf ("%s left", left);

      lpc_table_start_row (table);
      lpc_table_add_cell (table, LPC_STYLE_PLAIN, range);
      lpc_table_add_cell (table, LPC_STYLE_PLAIN, lpc_record_get_string (record, "id"));
      lpc_table_add_cell (table, LPC_STYLE_PLAIN, lpc_record_get_string (record, "title"));
      lpc_table_add_cell (table, LPC_STYLE_DIM, lpc_record_get_string (record, "room"));
      lpc_table_add_cell (table, LPC_STYLE_GREEN, left_text);
    }
}

static void
widen_span (GPtrArray *records, gint64 *first, gint64 *last)
{
  gint64 records_first, records_last;

  if (records->len == 0)
    return;
  lpc_listing_time_span (records, &records_first, &records_last);
  *first = MIN (*first, records_first);
  *last = MAX (*last, records_last);
}

/* The program's talks running at @now that are not among @on_agenda. */
static gboolean
get_program_running (LpcCli *cli, gint64 now, GPtrArray *on_agenda, GPtrArray **out_talks,
                     GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) talks = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) others = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);

  /* "from": ending after now; "to": starting before now + 1 s, i.e. by now. */
  g_variant_dict_insert (&filter, "from", "x", now);
  g_variant_dict_insert (&filter, "to", "x", now + 1);
  g_variant_dict_insert (&filter, "kind", "s", "talk");
  if (proxy == NULL
      || !lpc_agenda1_call_list_talks_sync (proxy, g_variant_dict_end (&filter), &talks, NULL,
                                            error))
    return FALSE;

  records = lpc_records_from_array (talks);
  for (guint i = 0; i < records->len; i++)
    {
      GVariant *talk = g_ptr_array_index (records, i);
      const char *id = lpc_record_get_string (talk, "id");
      gboolean picked = FALSE;

      for (guint j = 0; j < on_agenda->len && !picked; j++)
        picked = strcmp (lpc_record_get_string (g_ptr_array_index (on_agenda, j), "id"), id) == 0;
      if (!picked)
        g_ptr_array_add (others, g_variant_ref (talk));
    }
  *out_talks = g_steal_pointer (&others);
  return TRUE;
}

gboolean
lpc_command_now (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Also show the program's other talks running now",
      NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) running = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  g_autoptr (GPtrArray) others = NULL;
  g_autoptr (LpcTable) table = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *text = NULL;
  GTimeZone *zone;
  LpcArgsResult parsed;
  gint64 now = 0;
  gint64 first, last;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  if (!lpc_cli_get_now (cli, &now, error) || !get_agenda_around (cli, now, now + 1, &items, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    if (is_attending (g_ptr_array_index (items, i)))
      g_ptr_array_add (running, g_variant_ref (g_ptr_array_index (items, i)));
  if (all && !get_program_running (cli, now, items, &others, error))
    return FALSE;

  if (cli->json)
    {
      /* One array: the agenda's items (with their agenda fields) first. */
      if (others != NULL)
        g_ptr_array_extend_and_steal (running, g_steal_pointer (&others));
      return print_records_json (running, error);
    }

  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL)
    return FALSE;
  now_text = lpc_format_instant (now, zone);

  table = lpc_table_new (5);
  lpc_table_set_flexible (table, 2);
  lpc_table_set_flexible (table, 3);
  heading = g_strdup_printf ("On your agenda now (%s)", now_text);
  lpc_table_add_heading (table, LPC_STYLE_BOLD, heading);
  if (running->len == 0)
    lpc_table_add_line (table, LPC_STYLE_PLAIN, "Nothing: see `lpc-agenda next`.");
  add_running_rows (cli, table, running, now, zone);
  if (others != NULL)
    {
      lpc_table_add_heading (table, LPC_STYLE_BOLD, "Also running now");
      if (others->len == 0)
        lpc_table_add_line (table, LPC_STYLE_PLAIN, "No other talks.");
      add_running_rows (cli, table, others, now, zone);
    }

  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);
  /* The heading's "now" is one of the times shown. */
  first = last = now;
  widen_span (running, &first, &last);
  if (others != NULL)
    widen_span (others, &first, &last);
  lpc_listing_print_zone_hint (cli, zone, first, last);
  return TRUE;
}
