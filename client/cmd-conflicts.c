/* cmd-conflicts.c: conflicts, resolve, free, check — what the daemon works
 * out about the agenda as a whole against the full program. The client
 * only shows it: every decision (what clashes, what to skip, what fits) is
 * the daemon's. */
#include "commands.h"

#include <string.h>

#include "arguments.h"
#include "json-output.h"
#include "listing.h"
#include "record.h"
#include "table.h"
#include "time-format.h"

/* ---- the talks the answers name ---- */

/* Records by id, to put times, titles and rooms next to the ids the daemon's
 * answers carry: the agenda first, the whole program once an id is not on
 * it (alternatives, other occurrences, a move's old place). */
typedef struct
{
  LpcCli *cli;
  GHashTable *by_id; /* id -> a{sv} */
  gboolean has_program;
  /* The span of the times shown, for the zone hint under them. */
  gboolean any_shown;
  gint64 first_shown;
  gint64 last_shown;
} Directory;

static void
directory_clear (Directory *directory)
{
  g_clear_pointer (&directory->by_id, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Directory, directory_clear)

static void
directory_add_records (Directory *directory, GVariant *records)
{
  gsize n = g_variant_n_children (records);

  for (gsize i = 0; i < n; i++)
    {
      GVariant *record = g_variant_get_child_value (records, i);
      const char *id = lpc_record_get_string (record, "id");

      /* An agenda record says more than the program's record of it. */
      if (g_hash_table_contains (directory->by_id, id))
        g_variant_unref (record);
      else
        g_hash_table_insert (directory->by_id, g_strdup (id), record);
    }
}

static gboolean
directory_init (Directory *directory, LpcCli *cli, GError **error)
{
  LpcAgenda1 *proxy = lpc_cli_get_proxy (cli, error);
  g_autoptr (GVariant) items = NULL;

  directory->cli = cli;
  directory->by_id
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  directory->has_program = FALSE;
  directory->any_shown = FALSE;
  if (proxy == NULL
      || !lpc_agenda1_call_get_agenda_sync (proxy, g_variant_new ("a{sv}", NULL), &items, NULL,
                                            error))
    return FALSE;
  directory_add_records (directory, items);
  return TRUE;
}

static void
directory_note_shown (Directory *directory, gint64 start, gint64 end)
{
  directory->first_shown = directory->any_shown ? MIN (directory->first_shown, start) : start;
  directory->last_shown = directory->any_shown ? MAX (directory->last_shown, end) : end;
  directory->any_shown = TRUE;
}

/* Which zone the times shown are in, once, at the end. */
static void
directory_print_zone_hint (Directory *directory, GTimeZone *zone)
{
  if (directory->any_shown)
    lpc_listing_print_zone_hint (directory->cli, zone, directory->first_shown,
                                 directory->last_shown);
}

/* The record of @id, or NULL when neither the agenda nor the program has it
 * (or the program cannot be read: the id is shown alone then). */
static GVariant *
directory_lookup (Directory *directory, const char *id)
{
  GVariant *record = g_hash_table_lookup (directory->by_id, id);

  if (record == NULL && !directory->has_program)
    {
      g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
      g_autoptr (GVariant) talks = NULL;

      directory->has_program = TRUE;
      g_variant_dict_insert (&filter, "kind", "s", "all");
      if (lpc_agenda1_call_list_talks_sync (directory->cli->proxy, g_variant_dict_end (&filter),
                                            &talks, NULL, NULL))
        directory_add_records (directory, talks);
      record = g_hash_table_lookup (directory->by_id, id);
    }
  return record;
}

/* "Mon 07:00–07:40" of @record. */
static char *
short_when (Directory *directory, GTimeZone *zone, GVariant *record)
{
  gint64 start = lpc_record_get_int64 (record, "start");
  gint64 end = lpc_record_get_int64 (record, "end");

  directory_note_shown (directory, start, end);
  return lpc_format_short_when (start, end, zone, &directory->cli->term);
}

enum
{
  COLUMN_LABEL,
  COLUMN_WHEN,
  COLUMN_ID,
  COLUMN_TITLE,
  COLUMN_ROOM,
  COLUMN_EXTRA,
  N_COLUMNS,
};

static LpcTable *
talk_table_new (void)
{
  LpcTable *table = lpc_table_new (N_COLUMNS);

  lpc_table_set_flexible (table, COLUMN_TITLE);
  lpc_table_set_flexible (table, COLUMN_ROOM);
  lpc_table_set_flexible (table, COLUMN_EXTRA);
  return table;
}

/* A row for the talk @id: @label, when, id, title, room, @extra. */
static void
add_talk_row (LpcTable *table, Directory *directory, GTimeZone *zone, const char *label,
              LpcStyle label_style, const char *id, const char *extra)
{
  GVariant *record = directory_lookup (directory, id);
  g_autofree char *when = record != NULL ? short_when (directory, zone, record) : NULL;

  lpc_table_start_row (table);
  lpc_table_add_cell (table, label_style, label != NULL ? label : "");
  lpc_table_add_cell (table, LPC_STYLE_PLAIN, when != NULL ? when : "");
  lpc_table_add_cell (table, LPC_STYLE_PLAIN, id);
  lpc_table_add_cell (table, LPC_STYLE_PLAIN,
                      record != NULL ? lpc_record_get_string (record, "title") : "");
  lpc_table_add_cell (table, LPC_STYLE_DIM,
                      record != NULL ? lpc_record_get_string (record, "room") : "");
  lpc_table_add_cell (table, LPC_STYLE_PLAIN, extra != NULL ? extra : "");
}

/* The priority of @id, or of its new place once a move was applied. */
static char *
priority_text (Directory *directory, const char *id, const char *to)
{
  GVariant *item = directory_lookup (directory, id);

  if ((item == NULL || !lpc_record_is_agenda_item (item)) && to != NULL)
    item = directory_lookup (directory, to);
  if (item == NULL || !lpc_record_is_agenda_item (item))
    return NULL;
  return g_strdup_printf ("p%u", lpc_record_get_uint32 (item, "priority"));
}

static gboolean
print_records_json (GPtrArray *records, void (*add) (JsonBuilder *, GVariant *), GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < records->len; i++)
    add (builder, g_ptr_array_index (records, i));
  json_builder_end_array (builder);
  return lpc_json_print (builder, error);
}

static const char *
plural (guint n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

/* ---- conflicts ---- */

static gboolean
is_program_clash (GVariant *conflict)
{
  return g_strcmp0 (lpc_record_get_string (conflict, "kind"), "program-clash") == 0;
}

/* What one record says, on a line of its own; its day is named when it is
 * not the day of @cluster_start, the heading's. */
static char *
describe_record (LpcCli *cli, GTimeZone *zone, GVariant *conflict, gint64 cluster_start)
{
  const char *kind = lpc_record_get_string (conflict, "kind");
  guint minutes = lpc_record_get_uint32 (conflict, "minutes");
  gint64 start = lpc_record_get_int64 (conflict, "start");
  gint64 end = lpc_record_get_int64 (conflict, "end");
  g_autofree char *range
      = lpc_format_days_later (cluster_start, start, zone) != 0
            ? lpc_format_short_when (start, end, zone, &cli->term)
            : lpc_format_time_range (start, end, zone, &cli->term);
  g_autofree char *what = NULL;

  if (strcmp (kind, "overlap") == 0)
    what = g_strdup_printf ("overlap %s (%u min)", range, minutes);
  else if (strcmp (kind, "room-change") == 0)
    what = g_strdup_printf ("room change %s: %u min short of the travel time", range, minutes);
  else
    what = g_strdup_printf ("%s %s (%u min)", kind, range, minutes);
  if (lpc_record_get_boolean (conflict, "accepted", FALSE))
    return g_strdup_printf ("%s, accepted: resolve kept both with a note", what);
  return g_steal_pointer (&what);
}

static gint
compare_by_start (gconstpointer a, gconstpointer b, gpointer user_data)
{
  Directory *directory = user_data;
  GVariant *ra = directory_lookup (directory, *(const char *const *) a);
  GVariant *rb = directory_lookup (directory, *(const char *const *) b);
  gint64 sa = ra != NULL ? lpc_record_get_int64 (ra, "start") : 0;
  gint64 sb = rb != NULL ? lpc_record_get_int64 (rb, "start") : 0;

  if (sa != sb)
    return sa < sb ? -1 : 1;
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The records of one cluster: a heading for the hours it spans, what
 * clashes there, the picks involved, and the ways out. */
static void
add_cluster (LpcTable *table, Directory *directory, GTimeZone *zone, GPtrArray *records,
             guint number)
{
  LpcCli *cli = directory->cli;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) alternatives = NULL;
  g_autoptr (GVariant) occurrences = NULL;
  g_autofree char *when = NULL;
  g_autofree char *heading = NULL;
  gint64 start = G_MAXINT64, end = G_MININT64;
  gboolean accepted = TRUE;

  for (guint r = 0; r < records->len; r++)
    {
      GVariant *conflict = g_ptr_array_index (records, r);
      g_auto (GStrv) record_ids = lpc_record_dup_strv (conflict, "ids");

      accepted = accepted && lpc_record_get_boolean (conflict, "accepted", FALSE);
      for (guint i = 0; record_ids[i] != NULL; i++)
        if (!g_ptr_array_find_with_equal_func (ids, record_ids[i], g_str_equal, NULL))
          g_ptr_array_add (ids, g_strdup (record_ids[i]));
    }
  g_ptr_array_sort_with_data (ids, compare_by_start, directory);
  for (guint i = 0; i < ids->len; i++)
    {
      GVariant *item = directory_lookup (directory, g_ptr_array_index (ids, i));

      if (item == NULL)
        continue;
      start = MIN (start, lpc_record_get_int64 (item, "start"));
      end = MAX (end, lpc_record_get_int64 (item, "end"));
    }
  if (start > end)
    {
      start = lpc_record_get_int64 (g_ptr_array_index (records, 0), "start");
      end = lpc_record_get_int64 (g_ptr_array_index (records, 0), "end");
    }
  directory_note_shown (directory, start, end);
  when = lpc_format_when (start, end, zone, NULL, &cli->term);
  heading = g_strdup_printf ("Clash %u: %s%s", number, when, accepted ? " (accepted)" : "");
  lpc_table_add_heading (table, accepted ? LPC_STYLE_BOLD : LPC_STYLE_RED, heading);
  for (guint r = 0; r < records->len; r++)
    {
      g_autofree char *line = describe_record (cli, zone, g_ptr_array_index (records, r), start);

      lpc_table_add_line (table, LPC_STYLE_PLAIN, line);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *priority = priority_text (directory, g_ptr_array_index (ids, i), NULL);

      add_talk_row (table, directory, zone, "", LPC_STYLE_PLAIN, g_ptr_array_index (ids, i),
                    priority);
    }

  /* The ways out, from the first record: every record of a cluster has the
   * cluster's. */
  alternatives = lpc_record_dup_strv (g_ptr_array_index (records, 0), "alternatives");
  occurrences = g_variant_lookup_value (g_ptr_array_index (records, 0), "other-occurrences",
                                        G_VARIANT_TYPE ("a{ss}"));
  if (occurrences != NULL && g_variant_n_children (occurrences) > 0)
    {
      GVariantIter iter;
      const char *occurrence;
      const char *replaces;

      lpc_table_add_line (table, LPC_STYLE_GREEN, "or see a talk at its other time:");
      g_variant_iter_init (&iter, occurrences);
      while (g_variant_iter_next (&iter, "{&s&s}", &occurrence, &replaces))
        {
          g_autofree char *extra = g_strdup_printf ("instead of %s", replaces);

          add_talk_row (table, directory, zone, "", LPC_STYLE_PLAIN, occurrence, extra);
        }
    }
  if (alternatives[0] != NULL)
    {
      lpc_table_add_line (table, LPC_STYLE_GREEN, "or instead, in the same hours:");
      for (guint i = 0; alternatives[i] != NULL; i++)
        add_talk_row (table, directory, zone, "", LPC_STYLE_PLAIN, alternatives[i], NULL);
    }
}

/* A defect of the program: what is wrong and the entries it concerns. */
static void
add_program_clash (LpcTable *table, Directory *directory, GTimeZone *zone, GVariant *conflict)
{
  g_auto (GStrv) ids = lpc_record_dup_strv (conflict, "ids");
  gint64 start = lpc_record_get_int64 (conflict, "start");
  gint64 end = lpc_record_get_int64 (conflict, "end");
  g_autofree char *when = lpc_format_when (start, end, zone, NULL, &directory->cli->term);
  g_autofree char *heading = g_strdup_printf ("Clash in the program: %s (%u min)", when,
                                              lpc_record_get_uint32 (conflict, "minutes"));

  directory_note_shown (directory, start, end);
  lpc_table_add_heading (table, LPC_STYLE_YELLOW, heading);
  if (lpc_record_has (conflict, "note", G_VARIANT_TYPE_STRING))
    lpc_table_add_line (table, LPC_STYLE_PLAIN, lpc_record_get_string (conflict, "note"));
  for (guint i = 0; ids[i] != NULL; i++)
    add_talk_row (table, directory, zone, "", LPC_STYLE_PLAIN, ids[i], NULL);
}

/* How many records count for the exit status: overlaps and room changes
 * not accepted. */
static guint
count_unaccepted (GPtrArray *conflicts)
{
  guint n = 0;

  for (guint i = 0; i < conflicts->len; i++)
    {
      GVariant *conflict = g_ptr_array_index (conflicts, i);

      if (!is_program_clash (conflict) && !lpc_record_get_boolean (conflict, "accepted", FALSE))
        n++;
    }
  return n;
}

static gboolean
print_conflicts (LpcCli *cli, GPtrArray *conflicts, GError **error)
{
  g_auto (Directory) directory = { 0 };
  g_autoptr (LpcTable) table = NULL;
  g_autoptr (GHashTable) clusters = NULL;
  g_autoptr (GArray) order = NULL;
  g_autoptr (GString) summary = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint n_unaccepted = count_unaccepted (conflicts);
  guint n_program = 0;
  GTimeZone *zone;

  if (conflicts->len == 0)
    {
      g_print ("No conflicts on your agenda.\n");
      return TRUE;
    }
  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL || !directory_init (&directory, cli, error))
    return FALSE;

  /* Records by cluster, clusters in the order the daemon numbered them. */
  clusters = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  order = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < conflicts->len; i++)
    {
      GVariant *conflict = g_ptr_array_index (conflicts, i);
      guint cluster;
      GPtrArray *records;

      if (is_program_clash (conflict)
          || !lpc_record_has (conflict, "cluster", G_VARIANT_TYPE_UINT32))
        continue;
      cluster = lpc_record_get_uint32 (conflict, "cluster");
      records = g_hash_table_lookup (clusters, GUINT_TO_POINTER (cluster + 1));
      if (records == NULL)
        {
          records = g_ptr_array_new ();
          g_hash_table_insert (clusters, GUINT_TO_POINTER (cluster + 1), records);
          g_array_append_val (order, cluster);
        }
      g_ptr_array_add (records, conflict);
    }

  table = talk_table_new ();
  for (guint c = 0; c < order->len; c++)
    add_cluster (
        table, &directory, zone,
        g_hash_table_lookup (clusters, GUINT_TO_POINTER (g_array_index (order, guint, c) + 1)),
        c + 1);
  for (guint i = 0; i < conflicts->len; i++)
    {
      GVariant *conflict = g_ptr_array_index (conflicts, i);

      if (is_program_clash (conflict))
        {
          add_program_clash (table, &directory, zone, conflict);
          n_program++;
        }
    }
  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);

  if (n_unaccepted > 0)
    g_string_append_printf (summary,
                            "\n%u %s on your agenda: `lpc-agenda resolve` plans a way out.\n",
                            n_unaccepted, plural (n_unaccepted, "conflict", "conflicts"));
  else
    g_string_append (summary, "\nNo conflicts to resolve: the overlaps left are accepted.\n");
  if (n_program > 0)
    g_string_append_printf (
        summary, "%u %s in the program itself %s your agenda (see `lpc-agenda check`).\n",
        n_program, plural (n_program, "clash", "clashes"), plural (n_program, "touches", "touch"));
  lpc_listing_print_text (summary->str);
  directory_print_zone_hint (&directory, zone);
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
    printed = print_records_json (conflicts, lpc_json_add_conflict, error);
  else
    printed = print_conflicts (cli, conflicts, error);

  /* Like diff(1): scripts test the exit status. Accepted overlaps and the
   * program's own clashes are listed but are nothing to resolve. */
  if (printed && count_unaccepted (conflicts) > 0)
    cli->status = LPC_EXIT_FAILURE;
  return printed;
}

/* ---- resolve ---- */

static gboolean
print_plan_json (GVariant *plan, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_auto (GStrv) keep = lpc_record_dup_strv (plan, "keep");
  g_auto (GStrv) skip = lpc_record_dup_strv (plan, "skip");
  g_autoptr (GVariant) accepted
      = g_variant_lookup_value (plan, "accepted", G_VARIANT_TYPE ("a(ss)"));

  json_builder_begin_object (builder);
  lpc_json_add_strv_member (builder, "keep", (const char *const *) keep);
  lpc_json_add_strv_member (builder, "skip", (const char *const *) skip);
  lpc_json_add_string_map_member (builder, "move", plan, "move");
  lpc_json_add_string_map_member (builder, "reasons", plan, "reasons");
  lpc_json_add_string_map_member (builder, "notes", plan, "notes");
  json_builder_set_member_name (builder, "accepted");
  json_builder_begin_array (builder);
  if (accepted != NULL)
    {
      GVariantIter iter;
      const char *first;
      const char *second;

      g_variant_iter_init (&iter, accepted);
      while (g_variant_iter_next (&iter, "(&s&s)", &first, &second))
        {
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, first);
          json_builder_add_string_value (builder, second);
          json_builder_end_array (builder);
        }
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total-priority");
  json_builder_add_int_value (builder, lpc_record_get_uint32 (plan, "total-priority"));
  json_builder_set_member_name (builder, "optimal");
  json_builder_add_boolean_value (builder, lpc_record_get_boolean (plan, "optimal", TRUE));
  json_builder_set_member_name (builder, "applied");
  json_builder_add_boolean_value (builder, lpc_record_get_boolean (plan, "applied", FALSE));
  json_builder_end_object (builder);
  return lpc_json_print (builder, error);
}

/* The lines under an item of the plan: why, and what a kept overlap costs. */
static void
add_plan_details (LpcTable *table, GVariant *plan, const char *id)
{
  g_autoptr (GVariant) reasons = g_variant_lookup_value (plan, "reasons", G_VARIANT_TYPE ("a{ss}"));
  g_autoptr (GVariant) notes = g_variant_lookup_value (plan, "notes", G_VARIANT_TYPE ("a{ss}"));
  const char *text;

  if (reasons != NULL && g_variant_lookup (reasons, id, "&s", &text))
    lpc_table_add_detail (table, LPC_STYLE_DIM, text);
  if (notes != NULL && g_variant_lookup (notes, id, "&s", &text))
    lpc_table_add_detail (table, LPC_STYLE_CYAN, text);
}

typedef struct
{
  const char *action;
  const char *id;
  const char *to; /* a move's other occurrence */
  gint64 start;
} PlanLine;

static gint
compare_plan_lines (gconstpointer a, gconstpointer b)
{
  const PlanLine *la = a, *lb = b;

  if (la->start != lb->start)
    return la->start < lb->start ? -1 : 1;
  return strcmp (la->id, lb->id);
}

static gboolean
print_plan (LpcCli *cli, GVariant *plan, GError **error)
{
  g_auto (Directory) directory = { 0 };
  g_auto (GStrv) keep = lpc_record_dup_strv (plan, "keep");
  g_auto (GStrv) skip = lpc_record_dup_strv (plan, "skip");
  g_autoptr (GVariant) move = g_variant_lookup_value (plan, "move", G_VARIANT_TYPE ("a{ss}"));
  g_autoptr (GVariant) accepted
      = g_variant_lookup_value (plan, "accepted", G_VARIANT_TYPE ("a(ss)"));
  g_autoptr (GArray) lines = g_array_new (FALSE, FALSE, sizeof (PlanLine));
  g_autoptr (LpcTable) table = NULL;
  g_autoptr (GString) footer = g_string_new (NULL);
  g_autofree char *text = NULL;
  gboolean applied = lpc_record_get_boolean (plan, "applied", FALSE);
  guint n_skip = g_strv_length (skip);
  guint n_move = move != NULL ? (guint) g_variant_n_children (move) : 0;
  guint n_accepted = accepted != NULL ? (guint) g_variant_n_children (accepted) : 0;
  GTimeZone *zone;
  GVariantIter iter;
  const char *from;
  const char *to;

  if (keep[0] == NULL && n_skip == 0 && n_move == 0)
    {
      g_print ("Your agenda has no conflicts to resolve.\n");
      return TRUE;
    }
  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL || !directory_init (&directory, cli, error))
    return FALSE;

  for (guint i = 0; keep[i] != NULL; i++)
    g_array_append_val (lines, ((PlanLine){ "keep", keep[i], NULL, 0 }));
  if (move != NULL)
    {
      g_variant_iter_init (&iter, move);
      while (g_variant_iter_next (&iter, "{&s&s}", &from, &to))
        g_array_append_val (lines, ((PlanLine){ "move", from, to, 0 }));
    }
  for (guint i = 0; skip[i] != NULL; i++)
    g_array_append_val (lines, ((PlanLine){ "skip", skip[i], NULL, 0 }));
  /* In the order they run, so a loser stands next to what it loses to. */
  for (guint i = 0; i < lines->len; i++)
    {
      PlanLine *line = &g_array_index (lines, PlanLine, i);
      GVariant *record = directory_lookup (&directory, line->id);

      line->start = record != NULL ? lpc_record_get_int64 (record, "start") : 0;
    }
  g_array_sort (lines, compare_plan_lines);

  table = talk_table_new ();
  for (guint i = 0; i < lines->len; i++)
    {
      const PlanLine *line = &g_array_index (lines, PlanLine, i);
      LpcStyle style = strcmp (line->action, "keep") == 0   ? LPC_STYLE_GREEN
                       : strcmp (line->action, "move") == 0 ? LPC_STYLE_CYAN
                                                            : LPC_STYLE_YELLOW;
      g_autofree char *priority = priority_text (&directory, line->id, line->to);

      add_talk_row (table, &directory, zone, line->action, style, line->id, priority);
      if (line->to != NULL)
        {
          GVariant *target = directory_lookup (&directory, line->to);
          g_autofree char *when = target != NULL ? short_when (&directory, zone, target) : NULL;
          g_autofree char *where
              = g_strdup_printf ("to %s%s%s%s%s", line->to, when != NULL ? ", " : "",
                                 when != NULL ? when : "", target != NULL ? ", " : "",
                                 target != NULL ? lpc_record_get_string (target, "room") : "");

          lpc_table_add_detail (table, LPC_STYLE_CYAN, where);
        }
      add_plan_details (table, plan, line->id);
    }
  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);

  g_string_append_printf (
      footer, "\nTotal priority kept: %u%s\n", lpc_record_get_uint32 (plan, "total-priority"),
      lpc_record_get_boolean (plan, "optimal", TRUE) ? "" : " (best found, not proven optimal)");
  if (!applied)
    g_string_append (footer,
                     "Nothing changed: `lpc-agenda resolve --apply` carries this plan out.\n");
  else
    {
      g_string_append_printf (footer, "Done: %u skipped, %u moved", n_skip, n_move);
      if (n_accepted > 0)
        g_string_append_printf (footer, ", %u short %s accepted", n_accepted,
                                plural (n_accepted, "overlap", "overlaps"));
      g_string_append (footer, ".");
      if (n_skip > 0)
        g_string_append (footer, " Skipped items stay on your agenda; `lpc-agenda unskip ID` "
                                 "plans one again.");
      g_string_append_c (footer, '\n');
    }
  lpc_listing_print_text (footer->str);
  directory_print_zone_hint (&directory, zone);
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
  if (proxy == NULL)
    return FALSE;
  if (apply)
    lpc_call_expect_change (cli, LPC_CHANGE_OPAQUE, "applying the plan", NULL, NULL,
                            "lpc-agenda conflicts");
  if (!lpc_agenda1_call_resolve_sync (proxy, g_variant_dict_end (&options), &plan, NULL, error))
    return FALSE;

  if (cli->json)
    return print_plan_json (plan, error);
  return print_plan (cli, plan, error);
}

/* ---- free ---- */

static void
add_free_window_json (JsonBuilder *builder, GVariant *window)
{
  g_auto (GStrv) talks = lpc_record_dup_strv (window, "talks");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, lpc_record_get_string (window, "date"));
  lpc_json_add_time_member (builder, "start", lpc_record_get_int64 (window, "start"), FALSE);
  lpc_json_add_time_member (builder, "end", lpc_record_get_int64 (window, "end"), FALSE);
  lpc_json_add_strv_member (builder, "talks", (const char *const *) talks);
  json_builder_set_member_name (builder, "fitting");
  json_builder_add_int_value (builder, lpc_record_get_uint32 (window, "fitting"));
  json_builder_end_object (builder);
}

static gboolean
print_free_time (LpcCli *cli, GPtrArray *windows, GError **error)
{
  g_auto (Directory) directory = { 0 };
  g_autoptr (LpcTable) table = NULL;
  g_auto (LpcDayGroups) days = { 0 };
  g_autofree char *text = NULL;
  GTimeZone *zone;

  if (windows->len == 0)
    {
      g_print ("No free time: the conference has no such day, or your picks fill it.\n");
      return TRUE;
    }
  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL || !directory_init (&directory, cli, error))
    return FALSE;
  /* Windows are per conference day (their "date"), as the day headings are. */
  lpc_day_groups_init (&days, cli, zone);

  table = talk_table_new ();
  for (guint w = 0; w < windows->len; w++)
    {
      GVariant *window = g_ptr_array_index (windows, w);
      gint64 start = lpc_record_get_int64 (window, "start");
      gint64 end = lpc_record_get_int64 (window, "end");
      g_auto (GStrv) talks = lpc_record_dup_strv (window, "talks");
      guint fitting = lpc_record_get_uint32 (window, "fitting");
      g_autofree char *range = lpc_format_time_range (start, end, zone, &cli->term);
      g_autofree char *length = lpc_format_duration (end - start);
      g_autofree char *line = NULL;

      directory_note_shown (&directory, start, end);
      lpc_day_groups_add (&days, table, start, &cli->term);
      if (fitting == 0)
        line = g_strdup_printf ("%s free (%s): no talk fits", range, length);
      else if (fitting > g_strv_length (talks))
        line = g_strdup_printf ("%s free (%s): %u talks fit, the best %u:", range, length, fitting,
                                g_strv_length (talks));
      else
        line = g_strdup_printf ("%s free (%s): %u %s", range, length, fitting,
                                plural (fitting, "talk fits:", "talks fit:"));
      lpc_table_add_line (table, LPC_STYLE_GREEN, line);
      for (guint i = 0; talks[i] != NULL; i++)
        add_talk_row (table, &directory, zone, "", LPC_STYLE_PLAIN, talks[i], NULL);
    }
  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);
  directory_print_zone_hint (&directory, zone);
  return TRUE;
}

gboolean
lpc_command_free (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_auto (GStrv) args = NULL;
  g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) windows_array = NULL;
  g_autoptr (GPtrArray) windows = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;

  parsed = lpc_cli_parse_args (cli, command, NULL, 0, 1, argc, argv, &args, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;
  if (args[0] != NULL)
    {
      g_autofree char *day = NULL;

      if (!lpc_arguments_parse_day ("DAY", args[0], &day, error))
        return FALSE;
      g_variant_dict_insert (&filter, "day", "s", day);
    }

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL
      || !lpc_agenda1_call_get_free_time_sync (proxy, g_variant_dict_end (&filter), &windows_array,
                                               NULL, error))
    return FALSE;
  windows = lpc_records_from_array (windows_array);

  if (cli->json)
    return print_records_json (windows, add_free_window_json, error);
  return print_free_time (cli, windows, error);
}

/* ---- check ---- */

gboolean
lpc_command_check (LpcCli *cli, const LpcCommand *command, int argc, char **argv, GError **error)
{
  g_autoptr (GVariant) clashes_array = NULL;
  g_autoptr (GPtrArray) clashes = NULL;
  LpcAgenda1 *proxy;
  LpcArgsResult parsed;
  gboolean printed = TRUE;
  guint64 total = 0;

  parsed = lpc_cli_parse_args (cli, command, NULL, 0, 0, argc, argv, NULL, error);
  if (parsed != LPC_ARGS_RUN)
    return parsed == LPC_ARGS_DONE;

  proxy = lpc_cli_get_proxy (cli, error);
  if (proxy == NULL || !lpc_agenda1_call_check_program_sync (proxy, &clashes_array, &total, NULL, error))
    return FALSE;
  clashes = lpc_records_from_array (clashes_array);

  if (cli->json)
    printed = print_records_json (clashes, lpc_json_add_conflict, error);
  else if (clashes->len == 0)
    g_print ("No clashes in the program.\n");
  else
    {
      g_auto (Directory) directory = { 0 };
      g_autoptr (LpcTable) table = talk_table_new ();
      g_autofree char *text = NULL;
      GTimeZone *zone = lpc_cli_get_zone (cli, error);

      if (zone == NULL || !directory_init (&directory, cli, error))
        return FALSE;
      for (guint i = 0; i < clashes->len; i++)
        add_program_clash (table, &directory, zone, g_ptr_array_index (clashes, i));
      text = lpc_table_render (table, &cli->term);
      lpc_listing_print_text (text);
      if (total > clashes->len)
        g_print ("\n%" G_GUINT64_FORMAT " clashes in the program; the first %u are shown.\n",
                 total, clashes->len);
      else
        g_print ("\n%u %s in the program.\n", clashes->len,
                 plural (clashes->len, "clash", "clashes"));
      directory_print_zone_hint (&directory, zone);
    }
  /* Like `conflicts`: a defect makes the exit status 1. */
  if (printed && clashes->len > 0)
    cli->status = LPC_EXIT_FAILURE;
  return printed;
}
