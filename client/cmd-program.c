/* cmd-program.c: list, search, show — the conference program. */
#include "commands.h"

#include <string.h>

#include "arguments.h"
#include "json-output.h"
#include "listing.h"
#include "lpc-error.h"
#include "record.h"
#include "text.h"
#include "time-format.h"

/* The filters list and search share. */
typedef struct
{
  gboolean all;
  gboolean ids;
  char *day;
  char *track;
  char *room;
  char *kind;
} ListOptions;

static void
list_options_clear (ListOptions *options)
{
  g_clear_pointer (&options->day, g_free);
  g_clear_pointer (&options->track, g_free);
  g_clear_pointer (&options->room, g_free);
  g_clear_pointer (&options->kind, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ListOptions, list_options_clear)

static const char *const kinds[] = { "talk", "session", "break", "all", NULL };

static GOptionEntry *
list_option_entries (ListOptions *options)
{
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &options->all,
      "Also list session blocks and breaks (--kind all)", NULL },
    { "day", 'd', 0, G_OPTION_ARG_FILENAME, &options->day,
      "Only the conference day DAY, as the program counts days: a date such as 2021-09-20, or a "
      "weekday such as mon", "DAY" },
    { "track", 't', 0, G_OPTION_ARG_FILENAME, &options->track,
      "Only the track (session block) whose title is or contains TRACK", "TRACK" },
    { "room", 'r', 0, G_OPTION_ARG_FILENAME, &options->room,
      "Only the room whose name is or contains ROOM", "ROOM" },
    { "kind", 'k', 0, G_OPTION_ARG_FILENAME, &options->kind,
      "Only entries of KIND: talk (the default), session, break or all", "KIND" },
    { "ids", 0, 0, G_OPTION_ARG_NONE, &options->ids, "Print only the ids, one per line", NULL },
    G_OPTION_ENTRY_NULL,
  };

  return g_memdup2 (entries, sizeof entries);
}

/* The ListTalks filter; every value is checked here, before any call. */
static GVariant *
build_list_filter (LpcCli *cli, ListOptions *options, const char *query, GError **error)
{
  g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
  const char *kind = options->kind;

  if (options->ids && cli->json)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--ids and --json cannot be used together");
      return NULL;
    }
  if (options->all)
    {
      if (kind != NULL && strcmp (kind, "all") != 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--all means --kind all; it cannot be used with --kind %s", kind);
          return NULL;
        }
      kind = "all";
    }
  if (kind != NULL)
    {
      if (!lpc_arguments_check_choice ("--kind", kind, kinds, error))
        return NULL;
      g_variant_dict_insert (&filter, "kind", "s", kind);
    }
  if (options->day != NULL)
    {
      g_autofree char *day = NULL;

      if (!lpc_arguments_parse_day ("--day", options->day, &day, error))
        return NULL;
      g_variant_dict_insert (&filter, "day", "s", day);
    }
  if (options->track != NULL)
    g_variant_dict_insert (&filter, "track", "s", options->track);
  if (options->room != NULL)
    g_variant_dict_insert (&filter, "room", "s", options->room);
  if (query != NULL)
    g_variant_dict_insert (&filter, "query", "s", query);
  return g_variant_ref_sink (g_variant_dict_end (&filter));
}

/* Entries per ListTalks page when the whole listing is too big for one
 * D-Bus message (a program of 100,000 entries): some 7 MiB each. */
#define LIST_PAGE_SIZE 20000

/* The listing of @filter a page at a time (offset, limit). */
static GPtrArray *
list_talks_paged (LpcAgenda1 *proxy, GVariant *filter, GError **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  for (guint offset = 0;; offset += LIST_PAGE_SIZE)
    {
      g_auto (GVariantDict) page_filter = G_VARIANT_DICT_INIT (filter);
      g_autoptr (GVariant) talks = NULL;
      g_autoptr (GPtrArray) page = NULL;

      g_variant_dict_insert (&page_filter, "offset", "u", offset);
      g_variant_dict_insert (&page_filter, "limit", "u", (guint) LIST_PAGE_SIZE);
      if (!lpc_agenda1_call_list_talks_sync (proxy, g_variant_dict_end (&page_filter), &talks,
                                             NULL, error))
        return NULL;
      page = lpc_records_from_array (talks);
      g_ptr_array_extend_and_steal (records, g_steal_pointer (&page));
      if (g_variant_n_children (talks) < LIST_PAGE_SIZE)
        return g_steal_pointer (&records);
    }
}

static gboolean
list_talks (LpcCli *cli, ListOptions *options, GVariant *filter, const char *empty_message,
            GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_autoptr (GVariant) talks = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) local_error = NULL;

  if (proxy == NULL)
    return FALSE;
  if (lpc_agenda1_call_list_talks_sync (proxy, filter, &talks, NULL, &local_error))
    records = lpc_records_from_array (talks);
  else if (g_error_matches (local_error, LPC_ERROR, LPC_ERROR_LIMIT_EXCEEDED))
    records = list_talks_paged (proxy, filter, error);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  if (records == NULL)
    return FALSE;

  if (options->ids)
    {
      lpc_listing_print_ids (records);
      return TRUE;
    }
  return lpc_listing_print_talks (cli, records, empty_message, error);
}

gboolean
lpc_command_list (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (ListOptions) options = { 0 };
  g_autofree GOptionEntry *entries = list_option_entries (&options);
  g_autoptr (GVariant) filter = NULL;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  filter = build_list_filter (cli, &options, NULL, error);
  if (filter == NULL)
    return FALSE;
  return list_talks (cli, &options, filter, "No talks match.", error);
}

gboolean
lpc_command_search (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (ListOptions) options = { 0 };
  g_autofree GOptionEntry *entries = list_option_entries (&options);
  g_auto (GStrv) words = NULL;
  g_autofree char *query = NULL;
  g_autofree char *empty_message = NULL;
  g_autoptr (GVariant) filter = NULL;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, entries, 1, -1, argc, argv, &words, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  query = g_strjoinv (" ", words);
  if (*g_strstrip (query) == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "search: give at least one word to look for");
      return FALSE;
    }
  filter = build_list_filter (cli, &options, query, error);
  if (filter == NULL)
    return FALSE;
  empty_message = g_strdup_printf ("No talks match ‘%s’.", query);
  return list_talks (cli, &options, filter, empty_message, error);
}

/* The agenda item for @id, if it is on the agenda: GetAgenda over the talk's
 * own time span, so the answer stays small. */
static gboolean
find_agenda_item (LpcCli *cli, GVariant *talk, GVariant **out_item, GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  const char *id = lpc_record_get_string (talk, "id");
  g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) items = NULL;
  g_autoptr (GPtrArray) records = NULL;

  *out_item = NULL;
  /* "from" keeps entries ending after it and "to" those starting before it:
   * one second either side keeps an entry that takes no time at all. */
  g_variant_dict_insert (&filter, "from", "x", lpc_record_get_int64 (talk, "start") - 1);
  g_variant_dict_insert (&filter, "to", "x", lpc_record_get_int64 (talk, "end") + 1);
  if (proxy == NULL
      || !lpc_agenda1_call_get_agenda_sync (proxy, g_variant_dict_end (&filter), &items, NULL,
                                            error))
    return FALSE;

  records = lpc_records_from_array (items);
  for (guint i = 0; i < records->len; i++)
    if (strcmp (lpc_record_get_string (g_ptr_array_index (records, i), "id"), id) == 0)
      {
        *out_item = g_variant_ref (g_ptr_array_index (records, i));
        break;
      }
  return TRUE;
}

#define SHOW_LABEL_WIDTH 12

static void
append_field (LpcCli *cli, GString *out, const char *label, const char *value)
{
  g_autofree char *padded = g_strdup_printf ("%-*s", SHOW_LABEL_WIDTH - 2, label);

  if (*value == '\0')
    return;
  g_string_append (out, "  ");
  lpc_term_append_styled (&cli->term, out, LPC_STYLE_DIM, padded);
  lpc_text_append_hanging (out, value, lpc_term_wrap_width (&cli->term), SHOW_LABEL_WIDTH);
}

static void
append_strv_field (LpcCli *cli, GString *out, const char *label, GVariant *record, const char *key)
{
  g_auto (GStrv) values = lpc_record_dup_strv (record, key);
  g_autofree char *joined = g_strjoinv (", ", values);

  append_field (cli, out, label, joined);
}

static char *
describe_agenda_item (GVariant *item)
{
  g_autoptr (GString) text = g_string_new (lpc_record_get_string (item, "state"));
  const char *remind = lpc_record_get_string (item, "remind");

  g_string_append_printf (text, ", priority %u", lpc_record_get_uint32 (item, "priority"));
  if (strcmp (remind, "off") == 0)
    g_string_append (text, ", no reminder");
  else if (*remind != '\0')
    g_string_append_printf (text, ", reminders %s min before", remind);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Under the fields, so it stays next to the times and above a long abstract. */
static void
append_zone_hint (LpcCli *cli, GString *out, GTimeZone *zone, GVariant *talk)
{
  g_autofree char *hint = lpc_format_zone_hint (zone, lpc_record_get_int64 (talk, "start"),
                                                lpc_record_get_int64 (talk, "end"));

  g_string_append (out, "\n  ");
  lpc_term_append_styled (&cli->term, out, LPC_STYLE_DIM, hint);
  g_string_append_c (out, '\n');
}

static gboolean
print_talk (LpcCli *cli, GVariant *talk, GVariant *item, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) conference_error = NULL;
  GTimeZone *zone = lpc_cli_get_zone (cli, error);
  GTimeZone *conference;
  g_autofree char *when = NULL;
  const char *kind = lpc_record_get_string (talk, "kind");
  const char *abstract = lpc_record_get_string (talk, "abstract");

  if (zone == NULL)
    return FALSE;
  /* Without the program's zone, the local time alone is still the answer. */
  conference = lpc_cli_get_conference_zone (cli, &conference_error);
  when = lpc_format_when (lpc_record_get_int64 (talk, "start"), lpc_record_get_int64 (talk, "end"),
                          zone, conference, &cli->term);

  lpc_term_append_styled (&cli->term, out, LPC_STYLE_BOLD, lpc_record_get_string (talk, "title"));
  g_string_append_c (out, '\n');
  append_field (cli, out, "id", lpc_record_get_string (talk, "id"));
  append_field (cli, out, "kind", kind);
  append_field (cli, out, "when", when);
  append_field (cli, out, "room", lpc_record_get_string (talk, "room"));
  append_field (cli, out, "track", lpc_record_get_string (talk, "track"));
  append_field (cli, out, "part of", lpc_record_get_string (talk, "parent"));
  append_strv_field (cli, out, "speakers", talk, "speakers");
  append_strv_field (cli, out, "conveners", talk, "conveners");
  append_strv_field (cli, out, "also held", talk, "occurrences");
  if (!lpc_record_get_boolean (talk, "attendable", TRUE))
    append_field (cli, out, "agenda", "cannot be picked");

  if (item != NULL)
    {
      g_autofree char *agenda = describe_agenda_item (item);
      g_auto (GStrv) conflicts = lpc_record_dup_strv (item, "conflicts");
      g_autofree char *clashes = g_strjoinv (", ", conflicts);

      append_field (cli, out, "agenda", agenda);
      append_field (cli, out, "clashes", clashes);
      append_field (cli, out, "note", lpc_record_get_string (item, "note"));
    }
  else if (lpc_record_get_boolean (talk, "attendable", TRUE))
    append_field (cli, out, "agenda", "not on your agenda");

  append_zone_hint (cli, out, zone, talk);
  if (*abstract != '\0')
    {
      g_string_append_c (out, '\n');
      lpc_text_append_wrapped (out, abstract, lpc_term_wrap_width (&cli->term), "  ");
    }
  lpc_listing_print_text (out->str);
  return TRUE;
}

static gboolean
print_talk_json (GVariant *talk, GVariant *item, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  /* An agenda item is the talk's record plus the agenda's fields. */
  lpc_json_add_record (builder, item != NULL ? item : talk);
  return lpc_json_print (builder, error);
}

gboolean
lpc_command_show (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (GStrv) args = NULL;
  LpcAgenda1 *proxy;
  g_autoptr (GVariant) talk = NULL;
  g_autoptr (GVariant) item = NULL;
  g_autoptr (GVariantDict) merged = NULL;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, NULL, 1, 1, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;
  if (!lpc_arguments_check_id (args[0], error))
    return FALSE;

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL || !lpc_agenda1_call_get_talk_sync (proxy, args[0], &talk, NULL, error))
    return FALSE;
  if (!find_agenda_item (cli, talk, &item, error))
    return FALSE;

  if (item != NULL)
    {
      /* The agenda record may lack the abstract GetTalk gives. */
      merged = g_variant_dict_new (item);
      if (!g_variant_dict_contains (merged, "abstract"))
        g_variant_dict_insert (merged, "abstract", "s", lpc_record_get_string (talk, "abstract"));
      g_clear_pointer (&item, g_variant_unref);
      item = g_variant_ref_sink (g_variant_dict_end (merged));
    }

  if (cli->json)
    return print_talk_json (talk, item, error);
  return print_talk (cli, talk, item, error);
}
