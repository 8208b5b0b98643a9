/* free-time.c: free windows in the conference hours, and what fits in them. */
#include "free-time.h"

void
lpc_free_window_free (LpcFreeWindow *window)
{
  if (window == NULL)
    return;
  g_ptr_array_unref (window->talks);
  g_free (window);
}

void
lpc_free_day_free (LpcFreeDay *day)
{
  if (day == NULL)
    return;
  g_ptr_array_unref (day->windows);
  g_free (day);
}

typedef struct
{
  gint64 start;
  gint64 end;
} Span;

static int
compare_spans (gconstpointer pa, gconstpointer pb)
{
  const Span *a = pa, *b = pb;

  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return (a->end > b->end) - (a->end < b->end);
}

typedef struct
{
  const LpcEntry *candidate;
  guint travel_minutes;
  gboolean clashes;
} FitCheck;

static gboolean
fit_check_cb (const LpcEntry *entry, guint tag, gpointer user_data)
{
  FitCheck *check = user_data;

  if (lpc_pair_clashes (check->candidate, entry, check->travel_minutes))
    {
      check->clashes = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* The talks that fit in @window, in two buckets (tracks the user picks
 * from, others), each in the index's order, which is start, room, id. */
static void
window_talks (LpcProgramIndex *index, LpcIntervalIndex *agenda, GHashTable *on_agenda,
              GHashTable *user_tracks, const LpcConflictSettings *settings, LpcFreeWindow *window)
{
  guint n_talks, lo = 0, hi, limit = settings->max_suggestions;
  const LpcEntry *const *talks = lpc_program_index_get_talks (index, &n_talks);
  g_autoptr (GPtrArray) others = g_ptr_array_new ();

  hi = n_talks;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (talks[mid]->start < window->start)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < n_talks && talks[i]->start <= window->end; i++)
    {
      const LpcEntry *talk = talks[i];
      FitCheck check = { talk, settings->travel_minutes, FALSE };
      gboolean same_track;
      GPtrArray *bucket;

      if (talk->end > window->end || g_hash_table_contains (on_agenda, talk->id))
        continue;
      lpc_interval_index_foreach (agenda, talk->start, talk->end,
                                  (gint64) settings->travel_minutes * 60, fit_check_cb, &check);
      if (check.clashes)
        continue;
      window->n_fitting++;
      same_track = talk->track != NULL && g_hash_table_contains (user_tracks, talk->track);
      bucket = same_track ? window->talks : others;
      if (limit == 0 || bucket->len < limit)
        g_ptr_array_add (bucket, (gpointer) talk);
    }
  for (guint i = 0; i < others->len && (limit == 0 || window->talks->len < limit); i++)
    g_ptr_array_add (window->talks, others->pdata[i]);
}

GPtrArray *
lpc_free_time_find (LpcProgramIndex *index, const LpcPlanItem *items, guint n_items,
                    const LpcConflictSettings *settings, const GDate *day)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_free_day_free);
  g_autoptr (GHashTable) on_agenda = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) user_tracks = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) actives = g_ptr_array_new ();
  g_autoptr (GArray) busy = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr (LpcIntervalIndex) agenda = NULL;
  const LpcConferenceDay *days;
  guint n_days;

  for (guint i = 0; i < n_items; i++)
    {
      if (items[i].entry != NULL)
        g_hash_table_add (on_agenda, items[i].entry->id);
      if (!lpc_plan_item_is_active (&items[i]))
        continue;
      g_ptr_array_add (actives, (gpointer) items[i].entry);
      if (items[i].entry->track != NULL)
        g_hash_table_add (user_tracks, items[i].entry->track);
    }
  agenda = lpc_interval_index_new ((const LpcEntry *const *) actives->pdata, NULL, actives->len);

  days = lpc_program_index_get_days (index, &n_days);
  for (guint d = 0; d < n_days; d++)
    {
      LpcFreeDay *free_day;
      gint64 cursor;

      if (day != NULL && g_date_compare (&days[d].date, day) != 0)
        continue;
      free_day = g_new0 (LpcFreeDay, 1);
      free_day->date = days[d].date;
      free_day->start = days[d].start;
      free_day->end = days[d].end;
      free_day->windows = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_free_window_free);
      g_ptr_array_add (result, free_day);

      /* The time the picks take, clipped to the day, in start order; the
       * gaps between them are free. */
      g_array_set_size (busy, 0);
      for (guint a = 0; a < actives->len; a++)
        {
          const LpcEntry *entry = actives->pdata[a];
          Span span = { MAX (entry->start, free_day->start), MIN (entry->end, free_day->end) };
          if (span.start < span.end)
            g_array_append_val (busy, span);
        }
      g_array_sort (busy, compare_spans);
      cursor = free_day->start;
      for (guint b = 0; b <= busy->len; b++)
        {
          gint64 next = b < busy->len ? g_array_index (busy, Span, b).start : free_day->end;

          if (next > cursor)
            {
              LpcFreeWindow *window = g_new0 (LpcFreeWindow, 1);

              window->start = cursor;
              window->end = next;
              window->talks = g_ptr_array_new ();
              window_talks (index, agenda, on_agenda, user_tracks, settings, window);
              g_ptr_array_add (free_day->windows, window);
            }
          if (b < busy->len)
            cursor = MAX (cursor, g_array_index (busy, Span, b).end);
        }
    }
  return result;
}
