/* agenda-conflicts.c: the agenda handed to the conflict rules, and a
 * resolution carried out. See agenda-conflicts.h. */
#include "agenda-conflicts.h"

#include "lpc-error.h"
#include "talk-filter.h"

#include <stdlib.h>
#include <string.h>

void
lpc_agenda_get_conflict_settings (LpcAgenda *agenda, LpcConflictSettings *out_settings)
{
  lpc_conflict_settings_init (out_settings);
  out_settings->travel_minutes = lpc_agenda_get_travel_time (agenda);
  out_settings->soft_overlap_minutes = lpc_agenda_get_soft_overlap (agenda);
  out_settings->max_suggestions = LPC_SUGGESTIONS_DEFAULT;
}

/* ---- the view ---- */

void
lpc_agenda_view_free (LpcAgendaView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->accepted_with, g_ptr_array_unref);
  g_clear_pointer (&view->accepted, g_ptr_array_unref);
  g_clear_pointer (&view->by_id, g_hash_table_unref);
  g_free (view->plan_items);
  g_clear_pointer (&view->items, g_ptr_array_unref);
  g_free (view);
}

const char *
lpc_agenda_view_get_id (const LpcAgendaView *view, guint item)
{
  g_return_val_if_fail (item < view->n_items, NULL);
  return ((const LpcAgendaItem *) g_ptr_array_index (view->items, item))->entry_id;
}

gboolean
lpc_agenda_view_lookup (const LpcAgendaView *view, const char *id, guint *out_item)
{
  guint found = GPOINTER_TO_UINT (g_hash_table_lookup (view->by_id, id));

  if (found == 0)
    return FALSE;
  if (out_item != NULL)
    *out_item = found - 1;
  return TRUE;
}

/* Gives each item the ids it may overlap by agreement. A pair naming an
 * item that is no longer on the agenda cannot be in the store (the
 * triggers drop it), but is ignored all the same. */
static void
view_set_accepted (LpcAgendaView *view)
{
  g_autoptr (GPtrArray) lists = g_ptr_array_new_full (view->n_items, NULL);

  view->accepted_with = g_ptr_array_new_full (view->n_items, g_free);
  g_ptr_array_set_size (lists, (gint) view->n_items);
  for (guint i = 0; i + 1 < view->accepted->len; i += 2)
    {
      const char *a = g_ptr_array_index (view->accepted, i);
      const char *b = g_ptr_array_index (view->accepted, i + 1);
      guint item_a, item_b;

      if (!lpc_agenda_view_lookup (view, a, &item_a) || !lpc_agenda_view_lookup (view, b, &item_b))
        continue;
      /* One side naming the other is enough (conflicts.h). */
      if (lists->pdata[item_a] == NULL)
        lists->pdata[item_a] = g_ptr_array_new ();
      g_ptr_array_add (lists->pdata[item_a], (gpointer) b);
    }
  g_ptr_array_set_size (view->accepted_with, (gint) view->n_items);
  for (guint i = 0; i < view->n_items; i++)
    {
      GPtrArray *list = lists->pdata[i];

      if (list == NULL)
        continue;
      g_ptr_array_add (list, NULL);
      view->accepted_with->pdata[i] = g_ptr_array_free (list, FALSE);
      view->plan_items[i].accepted_with = view->accepted_with->pdata[i];
    }
}

LpcAgendaView *
lpc_agenda_view_new (LpcAgenda *agenda, GError **error)
{
  g_autoptr (LpcAgendaView) view = g_new0 (LpcAgendaView, 1);
  LpcProgram *program = lpc_agenda_get_program (agenda);
  LpcStore *store = lpc_agenda_get_store (agenda);

  view->items = lpc_store_agenda_list (store, error);
  if (view->items == NULL)
    return NULL;
  view->accepted = lpc_store_accepted_overlaps (store, error);
  if (view->accepted == NULL)
    return NULL;
  view->index = lpc_agenda_get_program_index (agenda);
  lpc_agenda_get_conflict_settings (agenda, &view->settings);

  view->n_items = view->items->len;
  view->plan_items = g_new0 (LpcPlanItem, MAX (view->n_items, 1));
  view->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < view->n_items; i++)
    {
      const LpcAgendaItem *item = g_ptr_array_index (view->items, i);
      LpcPlanItem *plan_item = &view->plan_items[i];

      /* A cancelled item's talk is no longer in the program: NULL, and it
       * takes part in nothing. A moved one is where the program has it now. */
      plan_item->entry
          = item->state == LPC_ITEM_CANCELLED ? NULL : lpc_program_lookup (program, item->entry_id);
      plan_item->priority = item->priority;
      plan_item->added_at = item->added_at;
      plan_item->state = item->state;
      g_hash_table_insert (view->by_id, item->entry_id, GUINT_TO_POINTER (i + 1));
    }
  view_set_accepted (view);
  return g_steal_pointer (&view);
}

/* ---- conflicts ---- */

void
lpc_agenda_conflicts_free (LpcAgendaConflicts *conflicts)
{
  if (conflicts == NULL)
    return;
  g_clear_pointer (&conflicts->report, lpc_conflict_report_free);
  g_clear_pointer (&conflicts->view, lpc_agenda_view_free);
  g_free (conflicts);
}

static LpcConflictReport *
view_find_conflicts (LpcAgendaView *view)
{
  return lpc_conflicts_find (view->index, view->plan_items, view->n_items, &view->settings);
}

LpcAgendaConflicts *
lpc_agenda_find_conflicts (LpcAgenda *agenda, GError **error)
{
  g_autoptr (LpcAgendaConflicts) conflicts = g_new0 (LpcAgendaConflicts, 1);

  conflicts->view = lpc_agenda_view_new (agenda, error);
  if (conflicts->view == NULL)
    return NULL;
  conflicts->report = view_find_conflicts (conflicts->view);
  return g_steal_pointer (&conflicts);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* What lpc_conflict_report_dup_partners() gives item by item, for all items
 * in one pass over the records: asked once per item it scans every record
 * of the item's cluster, and in a crowded agenda (thousands of picks in a
 * few clusters) that made GetAgenda quadratic. A partner is an item that
 * shares a record with it and clashes with it, as there. */
GHashTable *
lpc_agenda_conflicts_dup_partners (LpcAgendaConflicts *conflicts)
{
  LpcAgendaView *view = conflicts->view;
  GPtrArray *records = conflicts->report->conflicts;
  g_autoptr (GPtrArray) partners = g_ptr_array_new_full (view->n_items, NULL);
  /* Ids borrowed from the view: a crowded agenda has millions of partner
   * ids, and copying them was most of the cost. */
  GHashTable *by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_ptr_array_set_size (partners, (gint) view->n_items);
  for (guint r = 0; r < records->len; r++)
    {
      const LpcConflict *conflict = g_ptr_array_index (records, r);

      if (conflict->items == NULL)
        continue;
      for (guint i = 0; i < conflict->items->len; i++)
        for (guint j = i + 1; j < conflict->items->len; j++)
          {
            guint a = g_array_index (conflict->items, guint, i);
            guint b = g_array_index (conflict->items, guint, j);

            if (a == b
                || !lpc_pair_clashes (view->plan_items[a].entry, view->plan_items[b].entry,
                                      view->settings.travel_minutes))
              continue;
            if (partners->pdata[a] == NULL)
              partners->pdata[a] = g_ptr_array_new ();
            if (partners->pdata[b] == NULL)
              partners->pdata[b] = g_ptr_array_new ();
            g_ptr_array_add (partners->pdata[a], (gpointer) lpc_agenda_view_get_id (view, b));
            g_ptr_array_add (partners->pdata[b], (gpointer) lpc_agenda_view_get_id (view, a));
          }
    }
  for (guint i = 0; i < view->n_items; i++)
    {
      GPtrArray *list = partners->pdata[i];
      guint n = 0;

      if (list == NULL)
        list = g_ptr_array_new ();
      /* A pair shares more than one record when the same items overlap in
       * several windows: each partner once. */
      g_ptr_array_sort (list, compare_strings);
      for (guint k = 0; k < list->len; k++)
        if (k == 0 || strcmp (list->pdata[k], list->pdata[n - 1]) != 0)
          list->pdata[n++] = list->pdata[k];
      g_ptr_array_set_size (list, (gint) n);
      g_ptr_array_add (list, NULL);
      g_hash_table_insert (by_id, (gpointer) lpc_agenda_view_get_id (view, i),
                           g_ptr_array_free (list, FALSE));
    }
  return by_id;
}

GStrv
lpc_agenda_conflicts_dup_partners_of (LpcAgendaConflicts *conflicts, const char *id)
{
  LpcAgendaView *view = conflicts->view;
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr (GArray) partners = NULL;
  guint item;

  if (lpc_agenda_view_lookup (view, id, &item))
    {
      partners = lpc_conflict_report_dup_partners (conflicts->report, view->plan_items, item,
                                                   &view->settings);
      for (guint i = 0; i < partners->len; i++)
        g_strv_builder_add (ids, lpc_agenda_view_get_id (view, g_array_index (partners, guint, i)));
    }
  /* By id, as for every item in lpc_agenda_conflicts_dup_partners(). */
  {
    GStrv result = g_strv_builder_end (ids);

    qsort (result, g_strv_length (result), sizeof (char *), compare_strings);
    return result;
  }
}

gboolean
lpc_conflict_involves (const LpcConflict *conflict, const char *id)
{
  for (guint i = 0; i < conflict->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (conflict->entries, i);

      if (strcmp (entry->id, id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ---- resolution ---- */

typedef struct
{
  const LpcAgendaView *view;
  guint item;
  gboolean found;
} ClashSearch;

static gboolean
find_clash (const LpcEntry *entry, guint tag, gpointer user_data)
{
  ClashSearch *search = user_data;
  const LpcPlanItem *items = search->view->plan_items;

  if (tag != search->item
      && lpc_pair_clashes (items[search->item].entry, entry, search->view->settings.travel_minutes))
    search->found = TRUE;
  return !search->found;
}

/* Per item, whether it clashes with another active item: what makes it part
 * of a cluster. Resolve needs no more of the conflicts than that, and one
 * lookup per item that stops at the first clash costs a fraction of
 * lpc_conflicts_find(), which also works out records and alternatives. */
static gboolean *
view_find_clashing (const LpcAgendaView *view)
{
  gboolean *clashing = g_new0 (gboolean, MAX (view->n_items, 1));
  g_autofree const LpcEntry **entries = g_new (const LpcEntry *, MAX (view->n_items, 1));
  g_autofree guint *tags = g_new (guint, MAX (view->n_items, 1));
  g_autoptr (LpcIntervalIndex) index = NULL;
  gint64 margin = (gint64) view->settings.travel_minutes * 60;
  guint n = 0;

  for (guint i = 0; i < view->n_items; i++)
    {
      if (!lpc_plan_item_is_active (&view->plan_items[i]))
        continue;
      entries[n] = view->plan_items[i].entry;
      tags[n++] = i;
    }
  index = lpc_interval_index_new (entries, tags, n);
  for (guint k = 0; k < n; k++)
    {
      ClashSearch search = { view, tags[k], FALSE };

      lpc_interval_index_foreach (index, entries[k]->start, entries[k]->end, margin, find_clash,
                                  &search);
      clashing[tags[k]] = search.found;
    }
  return clashing;
}

void
lpc_agenda_resolution_free (LpcAgendaResolution *resolution)
{
  if (resolution == NULL)
    return;
  g_clear_pointer (&resolution->changed_ids, g_ptr_array_unref);
  g_free (resolution->step_of_item);
  g_clear_pointer (&resolution->plan, lpc_plan_free);
  g_free (resolution->clashing);
  g_clear_pointer (&resolution->view, lpc_agenda_view_free);
  g_free (resolution);
}

const char *
lpc_agenda_resolution_placed_id (const LpcAgendaResolution *resolution, const LpcPlanStep *step)
{
  if (step->action == LPC_PLAN_MOVE && step->entry != NULL)
    return step->entry->id;
  return lpc_agenda_view_get_id (resolution->view, step->item);
}

const char *
lpc_agenda_resolution_placed_id_of_item (const LpcAgendaResolution *resolution, guint item)
{
  g_return_val_if_fail (item < resolution->view->n_items, NULL);
  if (resolution->step_of_item[item] == NULL)
    return NULL;
  return lpc_agenda_resolution_placed_id (resolution, resolution->step_of_item[item]);
}

gboolean
lpc_agenda_resolution_involves (const LpcAgendaResolution *resolution, const LpcPlanStep *step)
{
  return step->action != LPC_PLAN_KEEP || step->note != NULL || resolution->clashing[step->item];
}

/* @note with the resolver's @addition, or NULL when it holds that already
 * (applying twice adds nothing) or would grow past what a note may hold (the
 * plan is still carried out; the note is the user's to keep). */
static char *
note_with (const char *note, const char *addition)
{
  if (note == NULL || *note == '\0')
    return strlen (addition) <= LPC_NOTE_MAX_LEN ? g_strdup (addition) : NULL;
  if (strstr (note, addition) != NULL || strlen (note) + 1 + strlen (addition) > LPC_NOTE_MAX_LEN)
    return NULL;
  return g_strconcat (note, "\n", addition, NULL);
}

/* Whether the store has @a and @b accepted already. */
static gboolean
view_pair_accepted (const LpcAgendaView *view, const char *a, const char *b)
{
  const char *low = strcmp (a, b) < 0 ? a : b;
  const char *high = low == a ? b : a;

  for (guint i = 0; i + 1 < view->accepted->len; i += 2)
    {
      if (strcmp (g_ptr_array_index (view->accepted, i), low) == 0
          && strcmp (g_ptr_array_index (view->accepted, i + 1), high) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
add_changed_id (GPtrArray *ids, const char *id)
{
  if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
    g_ptr_array_add (ids, g_strdup (id));
}

static gboolean
resolution_apply (LpcAgendaResolution *resolution, LpcStore *store, GError **error)
{
  LpcAgendaView *view = resolution->view;
  LpcPlan *plan = resolution->plan;
  g_autoptr (GArray) changes = g_array_new (FALSE, TRUE, sizeof (LpcStoreItemChange));
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) accepted = g_ptr_array_new ();
  g_autoptr (GPtrArray) changed_ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plan->steps->len; i++)
    {
      const LpcPlanStep *step = g_ptr_array_index (plan->steps, i);
      const LpcAgendaItem *item = g_ptr_array_index (view->items, step->item);
      LpcStoreItemChange change = { .entry_id = item->entry_id };
      char *note = step->note != NULL ? note_with (item->note, step->note) : NULL;

      change.skip = step->action == LPC_PLAN_SKIP;
      if (step->action == LPC_PLAN_MOVE)
        change.new_entry_id = lpc_agenda_resolution_placed_id (resolution, step);
      if (note != NULL)
        {
          g_ptr_array_add (notes, note);
          change.note = note;
        }
      if (!change.skip && change.new_entry_id == NULL && change.note == NULL)
        continue;
      g_array_append_val (changes, change);
      add_changed_id (changed_ids, item->entry_id);
      if (change.new_entry_id != NULL)
        add_changed_id (changed_ids, change.new_entry_id);
    }
  for (guint i = 0; i < plan->soft_pairs->len; i++)
    {
      const LpcSoftPair *pair = &g_array_index (plan->soft_pairs, LpcSoftPair, i);
      /* By the ids the items have once the moves are made. */
      const char *ids[2] = {
        lpc_agenda_resolution_placed_id_of_item (resolution, pair->first),
        lpc_agenda_resolution_placed_id_of_item (resolution, pair->second),
      };

      g_assert (ids[0] != NULL && ids[1] != NULL);
      if (view_pair_accepted (view, ids[0], ids[1]))
        continue;
      g_ptr_array_add (accepted, (gpointer) ids[0]);
      g_ptr_array_add (accepted, (gpointer) ids[1]);
      add_changed_id (changed_ids, ids[0]);
      add_changed_id (changed_ids, ids[1]);
    }

  if (changes->len > 0 || accepted->len > 0)
    {
      if (!lpc_store_agenda_resolve (store, (const LpcStoreItemChange *) (gpointer) changes->data,
                                     changes->len, (const char *const *) accepted->pdata,
                                     accepted->len / 2, error))
        return FALSE;
    }
  g_ptr_array_extend_and_steal (resolution->changed_ids, g_steal_pointer (&changed_ids));
  resolution->applied = TRUE;
  return TRUE;
}

LpcAgendaResolution *
lpc_agenda_resolve_conflicts (LpcAgenda *agenda, gboolean apply, GError **error)
{
  g_autoptr (LpcAgendaResolution) resolution = g_new0 (LpcAgendaResolution, 1);
  LpcAgendaView *view;

  resolution->changed_ids = g_ptr_array_new_with_free_func (g_free);
  resolution->view = view = lpc_agenda_view_new (agenda, error);
  if (view == NULL)
    return NULL;
  resolution->clashing = view_find_clashing (view);
  resolution->plan = lpc_resolve (view->index, view->plan_items, view->n_items, &view->settings);
  resolution->step_of_item = g_new0 (const LpcPlanStep *, MAX (view->n_items, 1));
  for (guint i = 0; i < resolution->plan->steps->len; i++)
    {
      const LpcPlanStep *step = g_ptr_array_index (resolution->plan->steps, i);

      resolution->step_of_item[step->item] = step;
    }
  if (apply && !resolution_apply (resolution, lpc_agenda_get_store (agenda), error))
    return NULL;
  return g_steal_pointer (&resolution);
}

/* ---- free time ---- */

void
lpc_agenda_free_time_free (LpcAgendaFreeTime *free_time)
{
  if (free_time == NULL)
    return;
  g_clear_pointer (&free_time->days, g_ptr_array_unref);
  g_clear_pointer (&free_time->view, lpc_agenda_view_free);
  g_free (free_time);
}

LpcAgendaFreeTime *
lpc_agenda_find_free_time (LpcAgenda *agenda, const char *day, GError **error)
{
  g_autoptr (LpcAgendaFreeTime) free_time = g_new0 (LpcAgendaFreeTime, 1);
  g_auto (LpcTalkFilter) filter = { 0 };
  const LpcConferenceDay *days;
  LpcAgendaView *view;
  guint n_days;

  /* Checked before anything is read: a bad day is the caller's mistake. */
  if (day != NULL && !lpc_talk_filter_set_day (&filter, day, error))
    return NULL;
  free_time->view = view = lpc_agenda_view_new (agenda, error);
  if (view == NULL)
    return NULL;
  if (day == NULL)
    {
      free_time->days = lpc_free_time_find (view->index, view->plan_items, view->n_items,
                                            &view->settings, NULL);
      return g_steal_pointer (&free_time);
    }

  /* A weekday may name several days of a long program; a date one. */
  free_time->days = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_free_day_free);
  days = lpc_program_index_get_days (view->index, &n_days);
  for (guint i = 0; i < n_days; i++)
    {
      const GDate *date = &days[i].date;
      g_autoptr (GPtrArray) found = NULL;

      if (!lpc_talk_filter_matches_date (&filter, g_date_get_year (date), g_date_get_month (date),
                                         g_date_get_day (date), g_date_get_weekday (date)))
        continue;
      found = lpc_free_time_find (view->index, view->plan_items, view->n_items, &view->settings,
                                  date);
      g_ptr_array_extend_and_steal (free_time->days, g_steal_pointer (&found));
    }
  return g_steal_pointer (&free_time);
}

/* ---- the program ---- */

GPtrArray *
lpc_agenda_check_program (LpcAgenda *agenda, guint64 *out_total)
{
  return lpc_program_index_find_defects (lpc_agenda_get_program_index (agenda),
                                         LPC_PROGRAM_CLASHES_KEPT, out_total);
}
