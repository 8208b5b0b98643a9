/* conflict-records.c: conflicts, plans and free time as D-Bus records. See
 * conflict-records.h; the shapes are documented in the interface XML. */
#include "conflict-records.h"

#include "vardict.h"

#include <string.h>

/* ---- arguments ---- */

gboolean
lpc_resolve_options_read (GVariant *options, gboolean *out_apply, GError **error)
{
  static const LpcVardictKey keys[] = {
    { "apply", "b" },
  };

  if (!lpc_vardict_check (options, "option", keys, G_N_ELEMENTS (keys), error))
    return FALSE;
  *out_apply = FALSE;
  g_variant_lookup (options, "apply", "b", out_apply);
  return TRUE;
}

gboolean
lpc_free_time_filter_read (GVariant *filter, const char **out_day, GError **error)
{
  static const LpcVardictKey keys[] = {
    { "day", "s" },
  };

  if (!lpc_vardict_check (filter, "filter", keys, G_N_ELEMENTS (keys), error))
    return FALSE;
  *out_day = NULL;
  g_variant_lookup (filter, "day", "&s", out_day);
  return TRUE;
}

/* ---- pieces ---- */

static void
add_field (GVariantBuilder *builder, const char *key, GVariant *value)
{
  g_variant_builder_add (builder, "{sv}", key, value);
}

/* as: the ids of @entries (const LpcEntry*). */
static GVariant *
entry_ids (GPtrArray *entries)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    g_variant_builder_add (&builder, "s", ((const LpcEntry *) g_ptr_array_index (entries, i))->id);
  return g_variant_builder_end (&builder);
}

/* The fields every conflict record has. */
static void
add_conflict_fields (GVariantBuilder *builder, const LpcConflict *conflict)
{
  add_field (builder, "kind", g_variant_new_string (lpc_conflict_kind_to_string (conflict->kind)));
  add_field (builder, "ids", entry_ids (conflict->entries));
  add_field (builder, "start", g_variant_new_int64 (conflict->start));
  add_field (builder, "end", g_variant_new_int64 (conflict->end));
  add_field (builder, "minutes", g_variant_new_uint32 (conflict->minutes));
  add_field (builder, "accepted", g_variant_new_boolean (conflict->accepted));
  if (conflict->note != NULL)
    add_field (builder, "note", g_variant_new_string (conflict->note));
}

/* a{ss}: each other occurrence of a cluster's talks -> the agenda id whose
 * place it would take. */
static GVariant *
other_occurrences (const LpcConflictCluster *cluster, const LpcAgendaView *view)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; cluster != NULL && i < cluster->other_occurrences->len; i++)
    {
      const LpcOccurrenceOption *option
          = &g_array_index (cluster->other_occurrences, LpcOccurrenceOption, i);

      g_variant_builder_add (&builder, "{ss}", option->entry->id,
                             lpc_agenda_view_get_id (view, option->item));
    }
  return g_variant_builder_end (&builder);
}

/* @report and @view: NULL for a program clash outside any report. */
static GVariant *
conflict_record (const LpcConflict *conflict, const LpcConflictReport *report,
                 const LpcAgendaView *view)
{
  const LpcConflictCluster *cluster = NULL;
  GVariantBuilder builder;

  if (report != NULL && conflict->cluster != LPC_NO_CLUSTER
      && conflict->cluster < report->clusters->len)
    cluster = g_ptr_array_index (report->clusters, conflict->cluster);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_conflict_fields (&builder, conflict);
  /* A program clash is in no cluster: it has no "cluster" rather than a
   * number that means none. */
  if (cluster != NULL)
    add_field (&builder, "cluster", g_variant_new_uint32 (conflict->cluster));
  add_field (&builder, "alternatives", entry_ids (cluster != NULL ? cluster->alternatives : NULL));
  add_field (&builder, "other-occurrences", other_occurrences (cluster, view));
  return g_variant_builder_end (&builder);
}

GVariant *
lpc_conflict_records_new (LpcAgendaConflicts *conflicts, const char *only_id)
{
  GPtrArray *records = conflicts->report->conflicts;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < records->len; i++)
    {
      const LpcConflict *conflict = g_ptr_array_index (records, i);

      if (only_id != NULL && !lpc_conflict_involves (conflict, only_id))
        continue;
      g_variant_builder_add_value (&builder,
                                   conflict_record (conflict, conflicts->report, conflicts->view));
    }
  return g_variant_builder_end (&builder);
}

GVariant *
lpc_program_clash_records_new (GPtrArray *defects)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < defects->len; i++)
    g_variant_builder_add_value (&builder,
                                 conflict_record (g_ptr_array_index (defects, i), NULL, NULL));
  return g_variant_builder_end (&builder);
}

/* ---- the plan ---- */

typedef struct
{
  const LpcAgendaResolution *resolution;
  const LpcPlanStep *step;
} ShownStep;

static gint
compare_shown_steps (gconstpointer a, gconstpointer b)
{
  const ShownStep *sa = a, *sb = b;
  const LpcEntry *ea = sa->resolution->view->plan_items[sa->step->item].entry;
  const LpcEntry *eb = sb->resolution->view->plan_items[sb->step->item].entry;

  if (ea->start != eb->start)
    return ea->start < eb->start ? -1 : 1;
  return strcmp (ea->id, eb->id);
}

/* An a{ss} of @entries (floating {ss} entries, taken). */
static GVariant *
string_map (GPtrArray *entries)
{
  return g_variant_new_array (G_VARIANT_TYPE ("{ss}"), (GVariant *const *) entries->pdata,
                              entries->len);
}

static void
add_string_pair (GPtrArray *entries, const char *key, const char *value)
{
  g_ptr_array_add (
      entries, g_variant_new_dict_entry (g_variant_new_string (key), g_variant_new_string (value)));
}

/* Made with the GVariant constructors rather than GVariantBuilders: a
 * crowded agenda's plan skips thousands of items, each with its reason,
 * and a builder parses a format string for every one of them. */
GVariant *
lpc_plan_record_new (LpcAgendaResolution *resolution)
{
  const LpcPlan *plan = resolution->plan;
  g_autoptr (GArray) shown = g_array_new (FALSE, FALSE, sizeof (ShownStep));
  g_autoptr (GPtrArray) keep = g_ptr_array_new ();
  g_autoptr (GPtrArray) skip = g_ptr_array_new ();
  g_autoptr (GPtrArray) move = g_ptr_array_new ();
  g_autoptr (GPtrArray) reasons = g_ptr_array_new ();
  g_autoptr (GPtrArray) notes = g_ptr_array_new ();
  g_autoptr (GPtrArray) accepted = g_ptr_array_new ();
  GVariantBuilder builder;

  /* The items that took part in a conflict, in the order they run: the
   * rest of the agenda is kept as it is, and listing it would bury them. */
  for (guint i = 0; i < plan->steps->len; i++)
    {
      ShownStep step = { resolution, g_ptr_array_index (plan->steps, i) };

      if (lpc_agenda_resolution_involves (resolution, step.step))
        g_array_append_val (shown, step);
    }
  g_array_sort (shown, compare_shown_steps);

  for (guint i = 0; i < shown->len; i++)
    {
      const LpcPlanStep *step = g_array_index (shown, ShownStep, i).step;
      const char *id = lpc_agenda_view_get_id (resolution->view, step->item);

      switch (step->action)
        {
        case LPC_PLAN_KEEP:
          g_ptr_array_add (keep, (gpointer) id);
          break;
        case LPC_PLAN_SKIP:
          g_ptr_array_add (skip, (gpointer) id);
          break;
        case LPC_PLAN_MOVE:
          add_string_pair (move, id, lpc_agenda_resolution_placed_id (resolution, step));
          break;
        default:
          g_assert_not_reached ();
        }
      if (step->reason != NULL)
        add_string_pair (reasons, id, step->reason);
      if (step->note != NULL)
        add_string_pair (notes, id, step->note);
    }
  for (guint i = 0; i < plan->soft_pairs->len; i++)
    {
      const LpcSoftPair *pair = &g_array_index (plan->soft_pairs, LpcSoftPair, i);
      const char *first = lpc_agenda_resolution_placed_id_of_item (resolution, pair->first);
      const char *second = lpc_agenda_resolution_placed_id_of_item (resolution, pair->second);

      if (first != NULL && second != NULL)
        g_ptr_array_add (accepted, g_variant_new ("(ss)", first, second));
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_field (&builder, "keep", g_variant_new_strv ((const char *const *) keep->pdata, keep->len));
  add_field (&builder, "skip", g_variant_new_strv ((const char *const *) skip->pdata, skip->len));
  add_field (&builder, "move", string_map (move));
  add_field (&builder, "reasons", string_map (reasons));
  add_field (&builder, "notes", string_map (notes));
  add_field (&builder, "accepted",
             g_variant_new_array (G_VARIANT_TYPE ("(ss)"), (GVariant *const *) accepted->pdata,
                                  accepted->len));
  add_field (&builder, "total-priority", g_variant_new_uint32 (plan->total_priority));
  add_field (&builder, "optimal", g_variant_new_boolean (plan->optimal));
  add_field (&builder, "applied", g_variant_new_boolean (resolution->applied));
  return g_variant_builder_end (&builder);
}

/* ---- free time ---- */

GVariant *
lpc_free_time_records_new (LpcAgendaFreeTime *free_time)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint d = 0; d < free_time->days->len; d++)
    {
      const LpcFreeDay *day = g_ptr_array_index (free_time->days, d);
      char date[16];

      g_snprintf (date, sizeof date, "%04u-%02u-%02u", (guint) g_date_get_year (&day->date),
                  (guint) g_date_get_month (&day->date), (guint) g_date_get_day (&day->date));
      for (guint w = 0; w < day->windows->len; w++)
        {
          const LpcFreeWindow *window = g_ptr_array_index (day->windows, w);
          GVariantBuilder record;

          g_variant_builder_init (&record, G_VARIANT_TYPE_VARDICT);
          add_field (&record, "date", g_variant_new_string (date));
          add_field (&record, "start", g_variant_new_int64 (window->start));
          add_field (&record, "end", g_variant_new_int64 (window->end));
          add_field (&record, "talks", entry_ids (window->talks));
          add_field (&record, "fitting", g_variant_new_uint32 (window->n_fitting));
          g_variant_builder_add_value (&builder, g_variant_builder_end (&record));
        }
    }
  return g_variant_builder_end (&builder);
}
