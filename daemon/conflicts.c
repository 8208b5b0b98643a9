/* conflicts.c: the pairwise rules, the interval and program indexes, and the
 * conflict report (overlap windows, room changes, program clashes, clusters,
 * alternatives). See conflicts.h for the rules. */
#include "conflicts.h"

#include <string.h>

void
lpc_conflict_settings_init (LpcConflictSettings *settings)
{
  settings->travel_minutes = 0;
  settings->soft_overlap_minutes = LPC_SOFT_OVERLAP_DEFAULT;
  settings->max_suggestions = LPC_SUGGESTIONS_DEFAULT;
}

static const char *const conflict_kind_names[] = { "overlap", "room-change", "program-clash" };

const char *
lpc_conflict_kind_to_string (LpcConflictKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (conflict_kind_names), "unknown");
  return conflict_kind_names[kind];
}

guint
lpc_seconds_to_minutes_up (gint64 seconds)
{
  if (seconds <= 0)
    return 0;
  return (guint) MIN ((seconds + 59) / 60, (gint64) G_MAXUINT);
}

/* ---- the pairwise rules ---- */

static gboolean
slot_holds (const LpcSlot *outer, const LpcSlot *inner)
{
  return outer->session && outer->start <= inner->start && inner->end <= outer->end;
}

LpcPairRelation
lpc_slot_relation (const LpcSlot *a, const LpcSlot *b, gint64 travel_seconds)
{
  gboolean same_room = a->room == b->room;
  gint64 gap;

  if (same_room && (slot_holds (a, b) || slot_holds (b, a)))
    return LPC_PAIR_NESTED;
  /* Half-open intervals: a zero-length entry overlaps what runs across its
   * instant, but not what starts or ends at it. */
  if (a->start < b->end && b->start < a->end)
    return LPC_PAIR_OVERLAP;
  if (same_room || travel_seconds <= 0)
    return LPC_PAIR_FREE;
  gap = a->end <= b->start ? b->start - a->end : a->start - b->end;
  return gap < travel_seconds ? LPC_PAIR_ROOM_CHANGE : LPC_PAIR_FREE;
}

/* The one that starts first (on a tie, the one that ends first). */
static void
slot_order (const LpcSlot *a, const LpcSlot *b, const LpcSlot **out_first,
            const LpcSlot **out_second)
{
  if (a->start < b->start || (a->start == b->start && a->end <= b->end))
    {
      *out_first = a;
      *out_second = b;
    }
  else
    {
      *out_first = b;
      *out_second = a;
    }
}

gint64
lpc_slot_shortfall (const LpcSlot *a, const LpcSlot *b, gint64 travel_seconds)
{
  const LpcSlot *first, *second;
  gint64 need;

  if (lpc_slot_relation (a, b, travel_seconds) == LPC_PAIR_NESTED)
    return 0;
  slot_order (a, b, &first, &second);
  need = a->room == b->room ? 0 : MAX (travel_seconds, 0);
  return first->end + need - second->start;
}

gboolean
lpc_slot_is_soft (const LpcSlot *a, const LpcSlot *b, gint64 travel_seconds, gint64 soft_seconds)
{
  const LpcSlot *first, *second;
  LpcPairRelation relation;
  gint64 shortfall, min_length;

  if (soft_seconds <= 0 || a->session || b->session)
    return FALSE;
  relation = lpc_slot_relation (a, b, travel_seconds);
  if (relation != LPC_PAIR_OVERLAP && relation != LPC_PAIR_ROOM_CHANGE)
    return FALSE;
  slot_order (a, b, &first, &second);
  if (!(first->start < second->start && first->end < second->end))
    return FALSE;
  shortfall = lpc_slot_shortfall (a, b, travel_seconds);
  if (shortfall <= 0 || shortfall > soft_seconds)
    return FALSE;
  /* See conflicts.h: this is what makes soft pairs neighbours. */
  min_length = 2 * soft_seconds + MAX (travel_seconds, 0);
  return a->end - a->start >= min_length && b->end - b->start >= min_length;
}

static void
entry_slots (const LpcEntry *a, const LpcEntry *b, LpcSlot *out_a, LpcSlot *out_b)
{
  *out_a = (LpcSlot){ a->start, a->end, 0, a->kind == LPC_ENTRY_SESSION };
  *out_b = (LpcSlot){ b->start, b->end, g_strcmp0 (a->room, b->room) == 0 ? 0 : 1,
                      b->kind == LPC_ENTRY_SESSION };
}

LpcPairRelation
lpc_pair_relation (const LpcEntry *a, const LpcEntry *b, guint travel_minutes)
{
  LpcSlot sa, sb;

  entry_slots (a, b, &sa, &sb);
  return lpc_slot_relation (&sa, &sb, (gint64) travel_minutes * 60);
}

gboolean
lpc_pair_clashes (const LpcEntry *a, const LpcEntry *b, guint travel_minutes)
{
  LpcPairRelation relation = lpc_pair_relation (a, b, travel_minutes);

  return relation == LPC_PAIR_OVERLAP || relation == LPC_PAIR_ROOM_CHANGE;
}

gboolean
lpc_pair_is_soft (const LpcEntry *a, const LpcEntry *b, const LpcConflictSettings *settings)
{
  LpcSlot sa, sb;

  entry_slots (a, b, &sa, &sb);
  return lpc_slot_is_soft (&sa, &sb, (gint64) settings->travel_minutes * 60,
                           (gint64) settings->soft_overlap_minutes * 60);
}

/* ---- the interval index: entries by start, and a segment tree of their
 * largest end, so that "what may clash with [s, e)" costs O(log n + k) ---- */

struct _LpcIntervalIndex
{
  guint n;
  guint size;               /* leaves: a power of two >= n */
  const LpcEntry **entries; /* by start */
  guint *tags;
  gint64 *starts;
  gint64 *max_end; /* the tree: node i has children 2i and 2i+1; leaves at size + i */
};

/* Below any real time, and safe to add a margin to. */
#define NO_END (G_MININT64 / 4)

typedef struct
{
  const LpcEntry *entry;
  guint tag;
} TaggedEntry;

static int
compare_tagged (const void *pa, const void *pb)
{
  const TaggedEntry *a = pa, *b = pb;

  if (a->entry->start != b->entry->start)
    return a->entry->start < b->entry->start ? -1 : 1;
  if (a->entry->end != b->entry->end)
    return a->entry->end < b->entry->end ? -1 : 1;
  return (a->tag > b->tag) - (a->tag < b->tag);
}

LpcIntervalIndex *
lpc_interval_index_new (const LpcEntry *const *entries, const guint *tags, guint n)
{
  LpcIntervalIndex *index = g_new0 (LpcIntervalIndex, 1);
  g_autofree TaggedEntry *sorted = g_new (TaggedEntry, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    sorted[i] = (TaggedEntry){ entries[i], tags != NULL ? tags[i] : i };
  qsort (sorted, n, sizeof (TaggedEntry), compare_tagged);

  index->n = n;
  index->size = 1;
  while (index->size < n)
    index->size *= 2;
  index->entries = g_new (const LpcEntry *, MAX (n, 1));
  index->tags = g_new (guint, MAX (n, 1));
  index->starts = g_new (gint64, MAX (n, 1));
  index->max_end = g_new (gint64, 2 * index->size);
  for (guint i = 0; i < 2 * index->size; i++)
    index->max_end[i] = NO_END;
  for (guint i = 0; i < n; i++)
    {
      index->entries[i] = sorted[i].entry;
      index->tags[i] = sorted[i].tag;
      index->starts[i] = sorted[i].entry->start;
      index->max_end[index->size + i] = sorted[i].entry->end;
    }
  for (guint i = index->size - 1; i >= 1; i--)
    index->max_end[i] = MAX (index->max_end[2 * i], index->max_end[2 * i + 1]);
  return index;
}

void
lpc_interval_index_free (LpcIntervalIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->entries);
  g_free (index->tags);
  g_free (index->starts);
  g_free (index->max_end);
  g_free (index);
}

typedef struct
{
  LpcIntervalIndex *index;
  guint limit;    /* leaves [0, limit) start early enough */
  gint64 min_end; /* ends must be > this */
  LpcIntervalFunc func;
  gpointer user_data;
} IntervalWalk;

static gboolean
interval_visit (IntervalWalk *walk, guint node, guint lo, guint hi)
{
  if (lo >= walk->limit || walk->index->max_end[node] <= walk->min_end)
    return TRUE;
  if (hi - lo == 1)
    return walk->func (walk->index->entries[lo], walk->index->tags[lo], walk->user_data);
  return interval_visit (walk, 2 * node, lo, (lo + hi) / 2)
         && interval_visit (walk, 2 * node + 1, (lo + hi) / 2, hi);
}

gboolean
lpc_interval_index_foreach (LpcIntervalIndex *index, gint64 start, gint64 end, gint64 margin,
                            LpcIntervalFunc func, gpointer user_data)
{
  IntervalWalk walk = { index, 0, start - margin, func, user_data };
  guint lo = 0, hi = index->n;

  if (index->n == 0)
    return TRUE;
  /* The first entry starting at or after end + margin. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (index->starts[mid] < end + margin)
        lo = mid + 1;
      else
        hi = mid;
    }
  walk.limit = lo;
  return interval_visit (&walk, 1, 0, index->size);
}

/* ---- records ---- */

void
lpc_conflict_free (LpcConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_ptr_array_unref (conflict->entries);
  if (conflict->items != NULL)
    g_array_unref (conflict->items);
  g_free (conflict->note);
  g_free (conflict);
}

void
lpc_conflict_cluster_free (LpcConflictCluster *cluster)
{
  if (cluster == NULL)
    return;
  g_array_unref (cluster->items);
  g_ptr_array_unref (cluster->alternatives);
  g_array_unref (cluster->other_occurrences);
  g_free (cluster);
}

void
lpc_conflict_report_free (LpcConflictReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->conflicts);
  g_ptr_array_unref (report->clusters);
  g_free (report->item_cluster);
  g_free (report);
}

static int
compare_entries_by_start_id (const LpcEntry *a, const LpcEntry *b)
{
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return strcmp (a->id, b->id);
}

static int
compare_entry_ptrs_by_start_id (gconstpointer pa, gconstpointer pb)
{
  return compare_entries_by_start_id (*(const LpcEntry *const *) pa, *(const LpcEntry *const *) pb);
}

static LpcConflict *
program_clash_new (const LpcEntry *a, const LpcEntry *b, gint64 start, gint64 end, gint64 seconds,
                   char *note)
{
  LpcConflict *conflict = g_new0 (LpcConflict, 1);

  conflict->kind = LPC_CONFLICT_PROGRAM_CLASH;
  conflict->entries = g_ptr_array_new ();
  g_ptr_array_add (conflict->entries, (gpointer) a);
  g_ptr_array_add (conflict->entries, (gpointer) b);
  g_ptr_array_sort (conflict->entries, compare_entry_ptrs_by_start_id);
  conflict->start = start;
  conflict->end = end;
  conflict->minutes = lpc_seconds_to_minutes_up (seconds);
  conflict->cluster = LPC_NO_CLUSTER;
  conflict->note = note;
  return conflict;
}

static int
compare_conflicts (gconstpointer pa, gconstpointer pb)
{
  const LpcConflict *a = *(const LpcConflict *const *) pa;
  const LpcConflict *b = *(const LpcConflict *const *) pb;

  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  if (a->end != b->end)
    return a->end < b->end ? -1 : 1;
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  return strcmp (((const LpcEntry *) a->entries->pdata[0])->id,
                 ((const LpcEntry *) b->entries->pdata[0])->id);
}

/* ---- the program index ---- */

typedef struct
{
  GPtrArray *entries;         /* const LpcEntry*, by start, then id (compare_talks) */
  LpcIntervalIndex *by_time;  /* the same, tagged with their position there */
} ProgramRoom;

struct _LpcProgramIndex
{
  LpcProgram *program;
  GPtrArray *talks;   /* const LpcEntry*, kind talk, by start, room, id */
  GHashTable *groups; /* occurrence group -> GPtrArray of const LpcEntry*, by start */
  GArray *days;       /* LpcConferenceDay */
  GHashTable *rooms;    /* room name -> ProgramRoom*, the entries that occupy a room */
  GHashTable *children; /* block id -> GPtrArray of the const LpcEntry* it holds */
};

static int
compare_talks (gconstpointer pa, gconstpointer pb)
{
  const LpcEntry *a = *(const LpcEntry *const *) pa;
  const LpcEntry *b = *(const LpcEntry *const *) pb;
  int by_room;

  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  by_room = g_strcmp0 (a->room, b->room);
  if (by_room != 0)
    return by_room;
  return strcmp (a->id, b->id);
}

static int
compare_days (gconstpointer pa, gconstpointer pb)
{
  const LpcConferenceDay *a = pa, *b = pb;

  return g_date_compare (&a->date, &b->date);
}

static void
index_days (LpcProgramIndex *index)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (index->program->timezone);
  g_autoptr (GHashTable) by_date = g_hash_table_new (NULL, NULL); /* yyyymmdd -> index + 1 */
  gboolean any_session = lpc_program_count_kind (index->program, LPC_ENTRY_SESSION) > 0;

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  for (guint i = 0; i < index->program->entries->len; i++)
    {
      const LpcEntry *entry = index->program->entries->pdata[i];
      g_autoptr (GDateTime) utc = NULL;
      g_autoptr (GDateTime) local = NULL;
      guint key, slot;

      /* Conference hours come from the blocks; a program without any (a
       * bare list of talks) uses its entries. */
      if (any_session ? entry->kind != LPC_ENTRY_SESSION : entry->kind == LPC_ENTRY_BREAK)
        continue;
      utc = g_date_time_new_from_unix_utc (entry->start);
      if (utc == NULL)
        continue;
      local = g_date_time_to_timezone (utc, zone);
      key = (guint) (g_date_time_get_year (local) * 10000 + g_date_time_get_month (local) * 100
                     + g_date_time_get_day_of_month (local));
      slot = GPOINTER_TO_UINT (g_hash_table_lookup (by_date, GUINT_TO_POINTER (key)));
      if (slot == 0)
        {
          LpcConferenceDay day = { 0 };

          g_date_clear (&day.date, 1);
          g_date_set_dmy (&day.date, (GDateDay) g_date_time_get_day_of_month (local),
                          (GDateMonth) g_date_time_get_month (local),
                          (GDateYear) g_date_time_get_year (local));
          day.start = entry->start;
          day.end = entry->end;
          g_array_append_val (index->days, day);
          g_hash_table_insert (by_date, GUINT_TO_POINTER (key),
                               GUINT_TO_POINTER (index->days->len));
        }
      else
        {
          LpcConferenceDay *day = &g_array_index (index->days, LpcConferenceDay, slot - 1);
          day->start = MIN (day->start, entry->start);
          day->end = MAX (day->end, entry->end);
        }
    }
  g_array_sort (index->days, compare_days);
}

/* The program's own defects. A hostile or broken program can put thousands
 * of entries in one room at once: their pairs number in the millions, so
 * nothing here is per pair but what is reported. Each room keeps its
 * entries in an interval index; the pairs are counted with a binary search
 * per entry and only the first few are made into records. */

/* Entries of zero length share a room with nobody: a marker is no booking. */
static gboolean
occupies_room (const LpcEntry *entry)
{
  return entry->room != NULL && *entry->room != '\0' && entry->end > entry->start;
}

/* A block and the entries it holds share its room by design: its own
 * entries, and anything within its hours (lpc_pair_relation()'s "nested"). */
static gboolean
is_parent_and_child (const LpcEntry *a, const LpcEntry *b)
{
  return g_strcmp0 (a->parent_id, b->id) == 0 || g_strcmp0 (b->parent_id, a->id) == 0;
}

/* Two entries of one room that both occupy it. */
static gboolean
room_pair_clashes (const LpcEntry *a, const LpcEntry *b)
{
  return !is_parent_and_child (a, b) && lpc_pair_relation (a, b, 0) == LPC_PAIR_OVERLAP;
}


static ProgramRoom *
program_room_new (void)
{
  ProgramRoom *room = g_new0 (ProgramRoom, 1);

  room->entries = g_ptr_array_new ();
  return room;
}

static void
program_room_free (ProgramRoom *room)
{
  g_ptr_array_unref (room->entries);
  lpc_interval_index_free (room->by_time);
  g_free (room);
}

static void
index_rooms (LpcProgramIndex *index)
{
  LpcProgram *program = index->program;
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = program->entries->pdata[i];
      ProgramRoom *room;

      if (entry->parent_id != NULL)
        {
          GPtrArray *children = g_hash_table_lookup (index->children, entry->parent_id);

          if (children == NULL)
            {
              children = g_ptr_array_new ();
              g_hash_table_insert (index->children, entry->parent_id, children);
            }
          g_ptr_array_add (children, (gpointer) entry);
        }
      if (!occupies_room (entry))
        continue;
      room = g_hash_table_lookup (index->rooms, entry->room);
      if (room == NULL)
        {
          room = program_room_new ();
          g_hash_table_insert (index->rooms, entry->room, room);
        }
      g_ptr_array_add (room->entries, (gpointer) entry);
    }
  g_hash_table_iter_init (&iter, index->rooms);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProgramRoom *room = value;
      g_autofree guint *tags = g_new (guint, MAX (room->entries->len, 1));

      g_ptr_array_sort (room->entries, compare_talks);
      for (guint i = 0; i < room->entries->len; i++)
        tags[i] = i;
      room->by_time = lpc_interval_index_new ((const LpcEntry *const *) room->entries->pdata, tags,
                                              room->entries->len);
    }
}

static LpcConflict *
room_clash_new (const LpcEntry *a, const LpcEntry *b)
{
  gint64 start = MAX (a->start, b->start);
  gint64 end = MIN (a->end, b->end);

  /* Named in the order of the record's entries, whichever was found first. */
  if (compare_entries_by_start_id (b, a) < 0)
    {
      const LpcEntry *first = b;
      b = a;
      a = first;
    }

  return program_clash_new (a, b, start, end, end - start,
                            g_strdup_printf ("'%s' and '%s' are both in %s at once", a->title,
                                             b->title, a->room));
}

static gboolean
runs_outside_block (LpcProgram *program, const LpcEntry *entry)
{
  const LpcEntry *block
      = entry->parent_id != NULL ? lpc_program_lookup (program, entry->parent_id) : NULL;

  return block != NULL && (entry->start < block->start || entry->end > block->end);
}

/* NULL when @entry lies within its block's hours (or has none). */
static LpcConflict *
outside_block_new (LpcProgram *program, const LpcEntry *entry)
{
  const LpcEntry *block;
  gint64 outside;

  if (!runs_outside_block (program, entry))
    return NULL;
  block = lpc_program_lookup (program, entry->parent_id);
  outside = MAX (block->start - entry->start, 0) + MAX (entry->end - block->end, 0);
  outside = MIN (outside, entry->end - entry->start);
  return program_clash_new (entry, block, entry->start, entry->end, MAX (outside, 1),
                            g_strdup_printf ("'%s' runs outside the hours of its block '%s'",
                                             entry->title, block->title));
}

/* Keeps the @max earliest of what is offered, by compare_conflicts(). */
typedef struct
{
  GPtrArray *kept; /* LpcConflict*, owned */
  guint max;
  guint64 total;
} DefectSink;

static void
defect_sink_offer (DefectSink *sink, LpcConflict *conflict)
{
  sink->total++;
  if (sink->kept->len < sink->max)
    g_ptr_array_add (sink->kept, conflict);
  else
    lpc_conflict_free (conflict);
}

typedef struct
{
  const LpcEntry *entry;
  guint position; /* of entry in its room */
  DefectSink *sink;
} EarlierProbe;

/* Pairs @entry with the entries of its room that started no later and are
 * still on: each pair once, from its later member. */
static gboolean
pair_with_earlier (const LpcEntry *other, guint position, gpointer user_data)
{
  EarlierProbe *probe = user_data;

  if (position < probe->position && room_pair_clashes (other, probe->entry))
    defect_sink_offer (probe->sink, room_clash_new (other, probe->entry));
  return probe->sink->kept->len < probe->sink->max;
}

static int
compare_gint64 (gconstpointer pa, gconstpointer pb)
{
  gint64 a = *(const gint64 *) pa, b = *(const gint64 *) pb;

  return a < b ? -1 : a > b;
}

/* How many pairs of @room's entries overlap: for each entry, those before
 * it in the room's order that end after it starts (they all started no
 * later), found by a binary search in the sorted ends. O(n log n). */
static guint64
room_count_overlaps (ProgramRoom *room, const gint64 *sorted_ends)
{
  guint n = room->entries->len;
  guint64 total = 0;

  for (guint i = 0; i < n; i++)
    {
      const LpcEntry *entry = room->entries->pdata[i];
      guint lo = 0, hi = n;

      /* Entries that ended by this one's start all started before it. */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (sorted_ends[mid] <= entry->start)
            lo = mid + 1;
          else
            hi = mid;
        }
      total += i - lo;
    }
  return total;
}

/* How many overlapping pairs of @room's entries are a block and an entry
 * within its hours: for each block, the entries that start no earlier and
 * end no later, counted with a Fenwick tree over the ends while the
 * entries are added latest start first. O(n log n). A block's own entries
 * outside its hours are not among them (see room_count_parent_pairs()). */
static guint64
room_count_nested (ProgramRoom *room, const gint64 *sorted_ends)
{
  guint n = room->entries->len;
  g_autofree guint *tree = g_new0 (guint, n + 1);
  guint64 nested = 0;
  guint i = n;

  /* room->entries is by start: walk it backwards, a run of equal starts
   * at a time, so that a block counts the entries that start with it. */
  while (i > 0)
    {
      guint run = i;
      gint64 start = ((const LpcEntry *) room->entries->pdata[i - 1])->start;

      while (run > 0 && ((const LpcEntry *) room->entries->pdata[run - 1])->start == start)
        run--;
      for (guint k = run; k < i; k++)
        {
          const LpcEntry *entry = room->entries->pdata[k];
          /* 1-based rank of its end: the last of equal ends, so that the
           * query below (ends <= a block's end) counts them all. */
          guint lo = 0, hi = n;

          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;
              if (sorted_ends[mid] <= entry->end)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (guint x = lo; x <= n; x += x & -x)
            tree[x]++;
        }
      for (guint k = run; k < i; k++)
        {
          const LpcEntry *block = room->entries->pdata[k];
          guint lo = 0, hi = n;
          guint64 within = 0;

          if (block->kind != LPC_ENTRY_SESSION)
            continue;
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;
              if (sorted_ends[mid] <= block->end)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (guint x = lo; x > 0; x -= x & -x)
            within += tree[x];
          /* Not itself. */
          nested += within - 1;
        }
      i = run;
    }

  /* Two blocks of the same hours hold each other: that pair was counted
   * from both. */
  for (guint k = 0; k < n;)
    {
      const LpcEntry *first = room->entries->pdata[k];
      guint64 same = 0;
      guint next = k;

      while (next < n && ((const LpcEntry *) room->entries->pdata[next])->start == first->start)
        next++;
      /* Blocks of one start, by end: count equal (start, end) runs. */
      {
        g_autoptr (GHashTable) by_end = g_hash_table_new (g_int64_hash, g_int64_equal);

        for (guint m = k; m < next; m++)
          {
            const LpcEntry *entry = room->entries->pdata[m];
            guint seen;

            if (entry->kind != LPC_ENTRY_SESSION)
              continue;
            seen = GPOINTER_TO_UINT (g_hash_table_lookup (by_end, &entry->end));
            same += seen;
            g_hash_table_insert (by_end, (gpointer) &entry->end, GUINT_TO_POINTER (seen + 1));
          }
      }
      nested -= same;
      k = next;
    }
  return nested;
}

/* Overlapping pairs of a block and one of its own entries that the nested
 * count did not take: the entries outside their block's hours. */
static guint64
room_count_parent_pairs (ProgramRoom *room, GHashTable *position_of)
{
  guint64 pairs = 0;

  for (guint i = 0; i < room->entries->len; i++)
    {
      const LpcEntry *entry = room->entries->pdata[i];
      guint parent_position = entry->parent_id != NULL
                                  ? GPOINTER_TO_UINT (g_hash_table_lookup (position_of,
                                                                           entry->parent_id))
                                  : 0;
      const LpcEntry *parent;

      if (parent_position == 0)
        continue;
      parent = room->entries->pdata[parent_position - 1];
      /* A block holding its entry is nested, counted there already. */
      if (lpc_pair_relation (parent, entry, 0) == LPC_PAIR_OVERLAP)
        pairs++;
    }
  return pairs;
}

/* How many pairs of @room's entries clash (room_pair_clashes()), without
 * looking at the pairs. */
static guint64
room_count_clashes (ProgramRoom *room)
{
  guint n = room->entries->len;
  g_autofree gint64 *ends = g_new (gint64, MAX (n, 1));
  g_autoptr (GHashTable) position_of = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      const LpcEntry *entry = room->entries->pdata[i];

      ends[i] = entry->end;
      g_hash_table_insert (position_of, entry->id, GUINT_TO_POINTER (i + 1));
    }
  qsort (ends, n, sizeof (gint64), compare_gint64);
  return room_count_overlaps (room, ends) - room_count_nested (room, ends)
         - room_count_parent_pairs (room, position_of);
}

GPtrArray *
lpc_program_index_find_defects (LpcProgramIndex *index, guint max_kept, guint64 *out_total)
{
  LpcProgram *program = index->program;
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_conflict_free);
  DefectSink sink = { kept, max_kept, 0 };
  guint64 room_total = 0;
  GHashTableIter iter;
  gpointer value;

  {
    /* Their records are made for the earliest only: a program can have
     * every entry outside its block. */
    g_autoptr (GPtrArray) outside = g_ptr_array_new ();

    for (guint i = 0; i < program->entries->len; i++)
      {
        const LpcEntry *entry = program->entries->pdata[i];

        if (runs_outside_block (program, entry))
          g_ptr_array_add (outside, (gpointer) entry);
      }
    g_ptr_array_sort (outside, compare_talks);
    for (guint i = 0; i < outside->len; i++)
      {
        sink.total++;
        if (i < max_kept)
          g_ptr_array_add (kept, outside_block_new (program, outside->pdata[i]));
      }
  }
  /* The earliest room clashes of each room: the kept set is cut to the
   * earliest overall below, so no room needs to give more than max_kept. */
  g_hash_table_iter_init (&iter, index->rooms);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProgramRoom *room = value;
      DefectSink room_sink = { g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_conflict_free),
                               max_kept, 0 };

      for (guint i = 0; i < room->entries->len && room_sink.kept->len < max_kept; i++)
        {
          const LpcEntry *entry = room->entries->pdata[i];
          EarlierProbe probe = { entry, i, &room_sink };

          lpc_interval_index_foreach (room->by_time, entry->start, entry->start + 1, 0,
                                      pair_with_earlier, &probe);
        }
      room_total += room_count_clashes (room);
      g_ptr_array_extend_and_steal (kept, g_steal_pointer (&room_sink.kept));
    }
  g_ptr_array_sort (kept, compare_conflicts);
  if (kept->len > max_kept)
    g_ptr_array_set_size (kept, max_kept);
  if (out_total != NULL)
    *out_total = (sink.total) + room_total;
  return g_steal_pointer (&kept);
}

typedef struct
{
  const LpcEntry *entry;
  GHashTable *seen; /* "id\nid" of pairs reported */
  DefectSink *sink;
} PartnerProbe;

static void
offer_once (PartnerProbe *probe, const LpcEntry *a, const LpcEntry *b, LpcConflict *conflict)
{
  char *key = strcmp (a->id, b->id) < 0 ? g_strconcat (a->id, "\n", b->id, NULL)
                                        : g_strconcat (b->id, "\n", a->id, NULL);

  if (g_hash_table_add (probe->seen, key))
    defect_sink_offer (probe->sink, conflict);
  else
    lpc_conflict_free (conflict);
}

static gboolean
pair_with_any (const LpcEntry *other, guint position, gpointer user_data)
{
  PartnerProbe *probe = user_data;

  if (other != probe->entry && room_pair_clashes (other, probe->entry))
    offer_once (probe, other, probe->entry, room_clash_new (other, probe->entry));
  return probe->sink->kept->len < probe->sink->max;
}

/* The program's defects that involve @entry, into @sink: its room clashes,
 * its own time outside its block, and for a block its entries outside it. */
static void
find_defects_of (LpcProgramIndex *index, const LpcEntry *entry, GHashTable *seen,
                 DefectSink *sink)
{
  PartnerProbe probe = { entry, seen, sink };
  GPtrArray *children = g_hash_table_lookup (index->children, entry->id);
  LpcConflict *outside = outside_block_new (index->program, entry);

  if (outside != NULL)
    offer_once (&probe, entry, lpc_program_lookup (index->program, entry->parent_id), outside);
  for (guint i = 0; children != NULL && i < children->len; i++)
    {
      const LpcEntry *child = children->pdata[i];

      outside = outside_block_new (index->program, child);
      if (outside != NULL)
        offer_once (&probe, child, entry, outside);
    }
  if (occupies_room (entry))
    {
      ProgramRoom *room = g_hash_table_lookup (index->rooms, entry->room);

      if (room != NULL)
        lpc_interval_index_foreach (room->by_time, entry->start, entry->end, 0, pair_with_any,
                                    &probe);
    }
}

LpcProgramIndex *
lpc_program_index_new (LpcProgram *program)
{
  LpcProgramIndex *index = g_new0 (LpcProgramIndex, 1);

  index->program = lpc_program_ref (program);
  index->talks = g_ptr_array_new ();
  index->groups
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->days = g_array_new (FALSE, FALSE, sizeof (LpcConferenceDay));
  index->rooms = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) program_room_free);
  index->children
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = program->entries->pdata[i];

      if (entry->kind == LPC_ENTRY_TALK)
        g_ptr_array_add (index->talks, (gpointer) entry);
      if (entry->occurrence_group != NULL)
        {
          GPtrArray *group = g_hash_table_lookup (index->groups, entry->occurrence_group);
          if (group == NULL)
            {
              group = g_ptr_array_new ();
              g_hash_table_insert (index->groups, entry->occurrence_group, group);
            }
          g_ptr_array_add (group, (gpointer) entry);
        }
    }
  g_ptr_array_sort (index->talks, compare_talks);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, index->groups);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_sort (value, compare_talks);
  }
  index_days (index);
  index_rooms (index);
  return index;
}

void
lpc_program_index_free (LpcProgramIndex *index)
{
  if (index == NULL)
    return;
  g_ptr_array_unref (index->talks);
  g_hash_table_unref (index->groups);
  g_array_unref (index->days);
  g_hash_table_unref (index->rooms);
  g_hash_table_unref (index->children);
  lpc_program_unref (index->program);
  g_free (index);
}

LpcProgram *
lpc_program_index_get_program (LpcProgramIndex *index)
{
  return index->program;
}

const LpcEntry *const *
lpc_program_index_get_talks (LpcProgramIndex *index, guint *out_n)
{
  *out_n = index->talks->len;
  return (const LpcEntry *const *) index->talks->pdata;
}

GPtrArray *
lpc_program_index_dup_occurrences (LpcProgramIndex *index, const LpcEntry *entry)
{
  GPtrArray *others = g_ptr_array_new ();
  GPtrArray *group;

  if (entry->occurrence_group == NULL)
    return others;
  group = g_hash_table_lookup (index->groups, entry->occurrence_group);
  for (guint i = 0; group != NULL && i < group->len; i++)
    {
      const LpcEntry *other = group->pdata[i];
      if (strcmp (other->id, entry->id) != 0)
        g_ptr_array_add (others, (gpointer) other);
    }
  return others;
}

const LpcConferenceDay *
lpc_program_index_get_days (LpcProgramIndex *index, guint *out_n)
{
  *out_n = index->days->len;
  return (const LpcConferenceDay *) (gpointer) index->days->data;
}


/* ---- the report ---- */

typedef struct
{
  guint item; /* index into the items given */
  const LpcEntry *entry;
  LpcSlot slot;
} Active;

typedef struct
{
  LpcConflictKind kind;
  gint64 start;
  gint64 end;
  gint64 minutes_seconds; /* what minutes is computed from */
  GArray *members;        /* guint active indices, ascending */
  gboolean accepted;
} Record;

static void
record_free (Record *record)
{
  g_array_unref (record->members);
  g_free (record);
}

typedef struct
{
  const LpcPlanItem *items;
  const LpcConflictSettings *settings;
  gint64 travel;   /* seconds */
  gint64 soft;     /* seconds */
  Active *actives; /* by start, then id */
  guint n_actives;
  guint *parent;     /* union-find over actives */
  guint64 *accepted; /* sorted keys (lo << 32 | hi) of accepted active pairs */
  guint n_accepted;
  GPtrArray *records; /* Record* */
} Finder;

guint
lpc_union_find_root (guint *parent, guint x)
{
  while (parent[x] != x)
    {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
  return x;
}

void
lpc_union_find_join (guint *parent, guint a, guint b)
{
  a = lpc_union_find_root (parent, a);
  b = lpc_union_find_root (parent, b);
  /* The smaller root wins, so that roots do not depend on the order of unions. */
  if (a < b)
    parent[b] = a;
  else if (b < a)
    parent[a] = b;
}

static int
compare_actives (const void *pa, const void *pb)
{
  const Active *a = pa, *b = pb;

  return compare_entries_by_start_id (a->entry, b->entry);
}

static int
compare_u64 (const void *pa, const void *pb)
{
  guint64 a = *(const guint64 *) pa, b = *(const guint64 *) pb;

  return (a > b) - (a < b);
}

static guint64
pair_key (guint a, guint b)
{
  return a < b ? ((guint64) a << 32) | b : ((guint64) b << 32) | a;
}

static gboolean
finder_clash (Finder *finder, guint a, guint b)
{
  LpcPairRelation relation
      = lpc_slot_relation (&finder->actives[a].slot, &finder->actives[b].slot, finder->travel);

  return relation == LPC_PAIR_OVERLAP || relation == LPC_PAIR_ROOM_CHANGE;
}

/* A clashing pair the user accepted, and that is still soft (a re-import
 * that makes the overlap longer makes it a conflict again). */
static gboolean
finder_pair_accepted (Finder *finder, guint a, guint b)
{
  guint64 key = pair_key (a, b);

  if (finder->n_accepted == 0
      || bsearch (&key, finder->accepted, finder->n_accepted, sizeof (guint64), compare_u64)
             == NULL)
    return FALSE;
  return lpc_slot_is_soft (&finder->actives[a].slot, &finder->actives[b].slot, finder->travel,
                           finder->soft);
}

static gboolean
finder_has_accepted (Finder *finder, guint a)
{
  for (guint i = 0; i < finder->n_accepted; i++)
    if ((guint) (finder->accepted[i] >> 32) == a || (guint) finder->accepted[i] == a)
      return TRUE;
  return FALSE;
}

static void
finder_index_accepted (Finder *finder, GHashTable *active_by_id)
{
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (guint a = 0; a < finder->n_actives; a++)
    {
      const char *const *with = finder->items[finder->actives[a].item].accepted_with;

      for (guint k = 0; with != NULL && with[k] != NULL; k++)
        {
          gpointer found;
          if (g_hash_table_lookup_extended (active_by_id, with[k], NULL, &found))
            {
              guint b = GPOINTER_TO_UINT (found);
              if (b != a)
                {
                  guint64 key = pair_key (a, b);
                  g_array_append_val (keys, key);
                }
            }
        }
    }
  g_array_sort (keys, compare_u64);
  /* Drop repeats (both sides may name each other). */
  for (guint i = 1; i < keys->len;)
    {
      if (g_array_index (keys, guint64, i) == g_array_index (keys, guint64, i - 1))
        g_array_remove_index (keys, i);
      else
        i++;
    }
  finder->n_accepted = keys->len;
  finder->accepted = (guint64 *) (gpointer) g_array_free (g_steal_pointer (&keys), FALSE);
}

/* Every clashing pair of an item of @side_a with an item of @side_b (or,
 * when @side_b is NULL, of two items of @side_a) is accepted. Accepted pairs
 * are rare, so an item with none answers at once, before any pair is looked
 * at. */
static gboolean
finder_all_accepted (Finder *finder, GArray *side_a, GArray *side_b)
{
  if (finder->n_accepted == 0)
    return FALSE;
  for (guint i = 0; i < side_a->len; i++)
    if (!finder_has_accepted (finder, g_array_index (side_a, guint, i)))
      return FALSE;
  for (guint i = 0; side_b != NULL && i < side_b->len; i++)
    if (!finder_has_accepted (finder, g_array_index (side_b, guint, i)))
      return FALSE;
  for (guint i = 0; i < side_a->len; i++)
    {
      GArray *others = side_b != NULL ? side_b : side_a;

      for (guint j = side_b != NULL ? 0 : i + 1; j < others->len; j++)
        {
          guint a = g_array_index (side_a, guint, i), b = g_array_index (others, guint, j);
          if (a != b && finder_clash (finder, a, b) && !finder_pair_accepted (finder, a, b))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
members_equal (GArray *a, GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (guint)) == 0;
}

static int
compare_guint (gconstpointer pa, gconstpointer pb)
{
  guint a = *(const guint *) pa, b = *(const guint *) pb;

  return (a > b) - (a < b);
}

/* The members of a window's running set @live that clash with another one
 * there, ascending; joins them in the union-find. Running items all span the
 * window, so two in different rooms always overlap: with two rooms or more,
 * every item clashes (and they are connected through any item of another
 * room); within one room, only pairs where no block holds the other do. */
static GArray *
window_members (Finder *finder, const guint *live, guint n_live)
{
  GArray *members = g_array_new (FALSE, FALSE, sizeof (guint));
  guint room = finder->actives[live[0]].slot.room;
  gboolean many_rooms = FALSE;

  for (guint i = 1; i < n_live && !many_rooms; i++)
    many_rooms = finder->actives[live[i]].slot.room != room;

  if (many_rooms)
    {
      g_array_append_vals (members, live, n_live);
      for (guint i = 1; i < n_live; i++)
        lpc_union_find_join (finder->parent, live[0], live[i]);
    }
  else
    {
      g_autofree gboolean *clashes = g_new0 (gboolean, n_live);

      for (guint i = 0; i < n_live; i++)
        for (guint j = i + 1; j < n_live; j++)
          if (finder_clash (finder, live[i], live[j]))
            {
              clashes[i] = clashes[j] = TRUE;
              lpc_union_find_join (finder->parent, live[i], live[j]);
            }
      for (guint i = 0; i < n_live; i++)
        if (clashes[i])
          g_array_append_val (members, live[i]);
    }
  g_array_sort (members, compare_guint);
  return members;
}

static Record *
record_new (LpcConflictKind kind, gint64 start, gint64 end, gint64 seconds, GArray *members)
{
  Record *record = g_new0 (Record, 1);

  record->kind = kind;
  record->start = start;
  record->end = end;
  record->minutes_seconds = seconds;
  record->members = members;
  return record;
}

static int
compare_by_end (const void *pa, const void *pb, void *user_data)
{
  const Active *actives = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;

  if (actives[a].slot.end != actives[b].slot.end)
    return actives[a].slot.end < actives[b].slot.end ? -1 : 1;
  return (a > b) - (a < b);
}

/* Overlaps: a sweep over starts and ends. Between two consecutive instants
 * the set of running items is fixed; a window is reported when some two of
 * them clash, and merged with the previous one when it continues it with the
 * same members. Ends come before starts at one instant (half-open times). */
static void
find_overlaps (Finder *finder, const guint *by_end)
{
  guint n = finder->n_actives;
  g_autofree guint *live = g_new (guint, MAX (n, 1));
  g_autofree guint *live_pos = g_new (guint, MAX (n, 1));
  guint n_live = 0, next_start = 0, next_end = 0;
  Record *open = NULL; /* the last overlap window, to merge into */

  while (next_start < n || next_end < n)
    {
      gint64 t, next_t;

      if (next_end < n
          && (next_start >= n
              || finder->actives[by_end[next_end]].slot.end
                     <= finder->actives[next_start].slot.start))
        t = finder->actives[by_end[next_end]].slot.end;
      else
        t = finder->actives[next_start].slot.start;

      /* Ends at t: those items were running (zero-length ones never were). */
      while (next_end < n && finder->actives[by_end[next_end]].slot.end == t)
        {
          guint a = by_end[next_end++];
          if (finder->actives[a].slot.start < t)
            {
              guint last;

              /* It started before t, so its start was swept: it is live. */
              g_assert (n_live > 0);
              last = live[--n_live];
              live[live_pos[a]] = last;
              live_pos[last] = live_pos[a];
            }
        }

      /* Starts at t. A zero-length item is an instant: it clashes with what
       * runs across t (started before, ends after). */
      while (next_start < n && finder->actives[next_start].slot.start == t)
        {
          guint a = next_start++;

          if (finder->actives[a].slot.end > t)
            continue;
          {
            GArray *members = g_array_new (FALSE, FALSE, sizeof (guint));

            for (guint i = 0; i < n_live; i++)
              if (finder->actives[live[i]].slot.start < t && finder_clash (finder, a, live[i]))
                {
                  g_array_append_val (members, live[i]);
                  lpc_union_find_join (finder->parent, a, live[i]);
                }
            if (members->len == 0)
              {
                g_array_unref (members);
                continue;
              }
            g_array_append_val (members, a);
            g_array_sort (members, compare_guint);
            g_ptr_array_add (finder->records, record_new (LPC_CONFLICT_OVERLAP, t, t, 0, members));
            ((Record *) g_ptr_array_index (finder->records, finder->records->len - 1))->accepted
                = finder_all_accepted (finder, members, NULL);
          }
        }
      /* The others start running now: after the instants, so that a
       * zero-length item does not clash with what starts at its instant. */
      for (guint a = next_start; a > 0 && finder->actives[a - 1].slot.start == t; a--)
        {
          guint b = a - 1;
          if (finder->actives[b].slot.end > t)
            {
              live_pos[b] = n_live;
              live[n_live++] = b;
            }
        }

      if (next_start < n || next_end < n)
        {
          if (next_end < n
              && (next_start >= n
                  || finder->actives[by_end[next_end]].slot.end
                         <= finder->actives[next_start].slot.start))
            next_t = finder->actives[by_end[next_end]].slot.end;
          else
            next_t = finder->actives[next_start].slot.start;
        }
      else
        next_t = t;

      if (n_live >= 2 && next_t > t)
        {
          GArray *members = window_members (finder, live, n_live);

          if (members->len == 0)
            g_array_unref (members);
          else if (open != NULL && open->end == t && members_equal (open->members, members))
            {
              open->end = next_t;
              open->minutes_seconds = open->end - open->start;
              g_array_unref (members);
            }
          else
            {
              open = record_new (LPC_CONFLICT_OVERLAP, t, next_t, next_t - t, members);
              open->accepted = finder_all_accepted (finder, members, NULL);
              g_ptr_array_add (finder->records, open);
            }
        }
    }
}

typedef struct
{
  guint rooms[2];
  guint n_rooms; /* distinct rooms seen, counting at most 3 */
} RoomSummary;

static void
room_summary_add (RoomSummary *summary, guint room)
{
  for (guint i = 0; i < MIN (summary->n_rooms, 2); i++)
    if (summary->rooms[i] == room)
      return;
  if (summary->n_rooms < 2)
    summary->rooms[summary->n_rooms] = room;
  if (summary->n_rooms < 3)
    summary->n_rooms++;
}

/* Whether the summarised side has a room other than @room. */
static gboolean
room_summary_has_other (const RoomSummary *summary, guint room)
{
  return summary->n_rooms >= 2 || (summary->n_rooms == 1 && summary->rooms[0] != room);
}

/* Joins, in the union-find, every item of @side_a with every item of
 * @side_b in another room (the clashing pairs of a room change), without
 * looking at every pair: items of one room on one side have the same
 * partners, and when both sides have three rooms or more, everything that
 * clashes is connected anyway. */
static void
join_room_change (Finder *finder, GArray *side_a, const RoomSummary *rooms_a, GArray *side_b,
                  const RoomSummary *rooms_b)
{
  if (rooms_a->n_rooms >= 3 && rooms_b->n_rooms >= 3)
    {
      guint first = g_array_index (side_a, guint, 0);
      for (guint i = 1; i < side_a->len; i++)
        lpc_union_find_join (finder->parent, first, g_array_index (side_a, guint, i));
      for (guint i = 0; i < side_b->len; i++)
        lpc_union_find_join (finder->parent, first, g_array_index (side_b, guint, i));
      return;
    }
  if (rooms_a->n_rooms > rooms_b->n_rooms)
    {
      join_room_change (finder, side_b, rooms_b, side_a, rooms_a);
      return;
    }
  /* side_a has at most two rooms: one representative each. */
  {
    guint reps[2] = { G_MAXUINT, G_MAXUINT };

    for (guint i = 0; i < side_a->len; i++)
      {
        guint a = g_array_index (side_a, guint, i);
        guint r = finder->actives[a].slot.room == rooms_a->rooms[0] ? 0 : 1;
        if (reps[r] == G_MAXUINT)
          reps[r] = a;
        else
          lpc_union_find_join (finder->parent, reps[r], a);
      }
    for (guint i = 0; i < side_b->len; i++)
      {
        guint b = g_array_index (side_b, guint, i);
        for (guint r = 0; r < 2; r++)
          if (reps[r] != G_MAXUINT && reps[r] != b
              && finder->actives[reps[r]].slot.room != finder->actives[b].slot.room)
            lpc_union_find_join (finder->parent, reps[r], b);
      }
  }
}

/* Room changes: for each instant at which items start, the items that ended
 * less than the travel time before it (or at it) in another room. */
static void
find_room_changes (Finder *finder, const guint *by_end)
{
  guint n = finder->n_actives;

  if (finder->travel <= 0)
    return;
  for (guint first = 0; first < n;)
    {
      gint64 t = finder->actives[first].slot.start;
      guint last = first, lo = 0, hi = n;
      RoomSummary arrival_rooms = { { 0, 0 }, 0 }, departure_rooms = { { 0, 0 }, 0 };
      g_autoptr (GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr (GArray) departures = g_array_new (FALSE, FALSE, sizeof (guint));
      gint64 latest_end = G_MININT64, earliest_end = G_MAXINT64;

      while (last < n && finder->actives[last].slot.start == t)
        last++;
      /* Departures: ends in (t - travel, t]. */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (finder->actives[by_end[mid]].slot.end <= t - finder->travel)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (guint k = first; k < last; k++)
        room_summary_add (&arrival_rooms, finder->actives[k].slot.room);
      for (guint k = lo; k < n && finder->actives[by_end[k]].slot.end <= t; k++)
        room_summary_add (&departure_rooms, finder->actives[by_end[k]].slot.room);

      for (guint k = lo; k < n && finder->actives[by_end[k]].slot.end <= t; k++)
        {
          guint a = by_end[k];
          if (room_summary_has_other (&arrival_rooms, finder->actives[a].slot.room))
            {
              g_array_append_val (departures, a);
              latest_end = MAX (latest_end, finder->actives[a].slot.end);
              earliest_end = MIN (earliest_end, finder->actives[a].slot.end);
            }
        }
      for (guint k = first; k < last; k++)
        if (room_summary_has_other (&departure_rooms, finder->actives[k].slot.room))
          g_array_append_val (arrivals, k);

      if (departures->len > 0 && arrivals->len > 0)
        {
          GArray *members = g_array_new (FALSE, FALSE, sizeof (guint));

          join_room_change (finder, departures, &departure_rooms, arrivals, &arrival_rooms);
          g_array_append_vals (members, departures->data, departures->len);
          g_array_append_vals (members, arrivals->data, arrivals->len);
          g_array_sort (members, compare_guint);
          /* A zero-length item can be both. */
          for (guint k = 1; k < members->len;)
            {
              if (g_array_index (members, guint, k) == g_array_index (members, guint, k - 1))
                g_array_remove_index (members, k);
              else
                k++;
            }
          g_ptr_array_add (finder->records,
                           record_new (LPC_CONFLICT_ROOM_CHANGE, earliest_end, t,
                                       finder->travel - (t - latest_end), members));
          ((Record *) g_ptr_array_index (finder->records, finder->records->len - 1))->accepted
              = finder_all_accepted (finder, departures, arrivals);
        }
      first = last;
    }
}

typedef struct
{
  Finder *finder;
  const LpcEntry *candidate;
  guint skip_cluster; /* clashes with items of this cluster do not count */
  guint skip_active;  /* nor with this item */
  const guint *active_cluster;
  gboolean clashes;
} ClashCheck;

static gboolean
check_clash_cb (const LpcEntry *entry, guint tag, gpointer user_data)
{
  ClashCheck *check = user_data;

  if (tag == check->skip_active
      || (check->skip_cluster != LPC_NO_CLUSTER
          && check->active_cluster[tag] == check->skip_cluster))
    return TRUE;
  if (lpc_pair_clashes (check->candidate, entry, check->finder->settings->travel_minutes))
    {
      check->clashes = TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
clashes_with_agenda (Finder *finder, LpcIntervalIndex *agenda, const LpcEntry *candidate,
                     guint skip_cluster, guint skip_active, const guint *active_cluster)
{
  ClashCheck check = { finder, candidate, skip_cluster, skip_active, active_cluster, FALSE };

  lpc_interval_index_foreach (agenda, candidate->start, candidate->end, finder->travel,
                              check_clash_cb, &check);
  return check.clashes;
}

/* Alternatives of a cluster: scan the program's talks in its span by start;
 * two buckets (tracks the user picks from, others), each kept to the limit,
 * and stop once the first is full: nothing later can come before it. */
static void
cluster_alternatives (Finder *finder, LpcProgramIndex *index, LpcIntervalIndex *agenda,
                      GHashTable *on_agenda, GHashTable *user_tracks, const guint *active_cluster,
                      guint cluster_id, LpcConflictCluster *cluster)
{
  guint n_talks, lo = 0, hi, limit = finder->settings->max_suggestions;
  const LpcEntry *const *talks = lpc_program_index_get_talks (index, &n_talks);
  g_autoptr (GPtrArray) others = g_ptr_array_new ();

  hi = n_talks;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (talks[mid]->start < cluster->start)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < n_talks && talks[i]->start <= cluster->end; i++)
    {
      const LpcEntry *talk = talks[i];
      gboolean same_track;
      GPtrArray *bucket;

      if (talk->end > cluster->end || g_hash_table_contains (on_agenda, talk->id))
        continue;
      same_track = talk->track != NULL && g_hash_table_contains (user_tracks, talk->track);
      bucket = same_track ? cluster->alternatives : others;
      if (limit != 0 && bucket->len >= limit)
        continue;
      if (clashes_with_agenda (finder, agenda, talk, cluster_id, G_MAXUINT, active_cluster))
        continue;
      g_ptr_array_add (bucket, (gpointer) talk);
      if (limit != 0 && cluster->alternatives->len >= limit)
        break;
    }
  for (guint i = 0; i < others->len; i++)
    {
      if (limit != 0 && cluster->alternatives->len >= limit)
        break;
      g_ptr_array_add (cluster->alternatives, others->pdata[i]);
    }
}

static void
cluster_occurrences (Finder *finder, LpcProgramIndex *index, LpcIntervalIndex *agenda,
                     GHashTable *on_agenda, const guint *active_cluster,
                     LpcConflictCluster *cluster, const guint *active_of_item)
{
  for (guint i = 0; i < cluster->items->len; i++)
    {
      guint item = g_array_index (cluster->items, guint, i);
      const LpcEntry *entry = finder->items[item].entry;
      g_autoptr (GPtrArray) others = lpc_program_index_dup_occurrences (index, entry);

      for (guint k = 0; k < others->len; k++)
        {
          const LpcEntry *other = others->pdata[k];
          LpcOccurrenceOption option = { item, other };

          if (g_hash_table_contains (on_agenda, other->id)
              || clashes_with_agenda (finder, agenda, other, LPC_NO_CLUSTER, active_of_item[item],
                                      active_cluster))
            continue;
          g_array_append_val (cluster->other_occurrences, option);
        }
    }
}

LpcConflictReport *
lpc_conflicts_find (LpcProgramIndex *index, const LpcPlanItem *items, guint n_items,
                    const LpcConflictSettings *settings)
{
  LpcConflictReport *report = g_new0 (LpcConflictReport, 1);
  Finder finder = { 0 };
  g_autoptr (GHashTable) rooms = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) active_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) on_agenda = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) user_tracks = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_autoptr (LpcIntervalIndex) agenda = NULL;
  g_autofree guint *by_end = NULL;
  g_autofree guint *active_cluster = NULL;
  g_autofree guint *active_of_item = NULL;
  g_autofree guint *root_cluster = NULL;
  g_autofree guint *component_size = NULL;
  g_autofree const LpcEntry **active_entries = NULL;
  guint n;

  report->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_conflict_free);
  report->clusters = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_conflict_cluster_free);
  report->n_items = n_items;
  report->item_cluster = g_new (guint, MAX (n_items, 1));
  for (guint i = 0; i < n_items; i++)
    report->item_cluster[i] = LPC_NO_CLUSTER;

  finder.items = items;
  finder.settings = settings;
  finder.travel = (gint64) settings->travel_minutes * 60;
  finder.soft = (gint64) settings->soft_overlap_minutes * 60;
  finder.records = records;
  finder.actives = g_new0 (Active, MAX (n_items, 1));

  for (guint i = 0; i < n_items; i++)
    {
      const LpcEntry *entry = items[i].entry;
      const char *room;
      gpointer room_id;

      if (entry != NULL)
        g_hash_table_add (on_agenda, entry->id);
      if (!lpc_plan_item_is_active (&items[i]))
        continue;
      room = entry->room != NULL ? entry->room : "";
      if (!g_hash_table_lookup_extended (rooms, room, NULL, &room_id))
        {
          room_id = GUINT_TO_POINTER (g_hash_table_size (rooms));
          g_hash_table_insert (rooms, (gpointer) room, room_id);
        }
      finder.actives[finder.n_actives++]
          = (Active){ i,
                      entry,
                      { entry->start, entry->end, GPOINTER_TO_UINT (room_id),
                        entry->kind == LPC_ENTRY_SESSION } };
      if (entry->track != NULL)
        g_hash_table_add (user_tracks, entry->track);
    }
  n = finder.n_actives;
  qsort (finder.actives, n, sizeof (Active), compare_actives);

  active_of_item = g_new (guint, MAX (n_items, 1));
  active_entries = g_new (const LpcEntry *, MAX (n, 1));
  finder.parent = g_new (guint, MAX (n, 1));
  by_end = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n_items; i++)
    active_of_item[i] = G_MAXUINT;
  for (guint a = 0; a < n; a++)
    {
      active_of_item[finder.actives[a].item] = a;
      active_entries[a] = finder.actives[a].entry;
      finder.parent[a] = a;
      by_end[a] = a;
      g_hash_table_insert (active_by_id, finder.actives[a].entry->id, GUINT_TO_POINTER (a));
    }
  g_qsort_with_data (by_end, (gint) n, sizeof (guint), compare_by_end, finder.actives);
  finder_index_accepted (&finder, active_by_id);

  find_overlaps (&finder, by_end);
  find_room_changes (&finder, by_end);

  /* Clusters: components of two items or more, numbered by their first item. */
  component_size = g_new0 (guint, MAX (n, 1));
  root_cluster = g_new (guint, MAX (n, 1));
  active_cluster = g_new (guint, MAX (n, 1));
  for (guint a = 0; a < n; a++)
    {
      component_size[lpc_union_find_root (finder.parent, a)]++;
      root_cluster[a] = LPC_NO_CLUSTER;
    }
  for (guint a = 0; a < n; a++)
    {
      guint root = lpc_union_find_root (finder.parent, a);
      LpcConflictCluster *cluster;

      active_cluster[a] = LPC_NO_CLUSTER;
      if (component_size[root] < 2)
        continue;
      if (root_cluster[root] == LPC_NO_CLUSTER)
        {
          cluster = g_new0 (LpcConflictCluster, 1);
          cluster->items = g_array_new (FALSE, FALSE, sizeof (guint));
          cluster->start = finder.actives[a].slot.start;
          cluster->end = finder.actives[a].slot.end;
          cluster->accepted = TRUE;
          cluster->alternatives = g_ptr_array_new ();
          cluster->other_occurrences = g_array_new (FALSE, FALSE, sizeof (LpcOccurrenceOption));
          root_cluster[root] = report->clusters->len;
          g_ptr_array_add (report->clusters, cluster);
        }
      cluster = report->clusters->pdata[root_cluster[root]];
      g_array_append_val (cluster->items, finder.actives[a].item);
      cluster->end = MAX (cluster->end, finder.actives[a].slot.end);
      active_cluster[a] = root_cluster[root];
      report->item_cluster[finder.actives[a].item] = root_cluster[root];
    }

  for (guint r = 0; r < records->len; r++)
    {
      Record *record = records->pdata[r];
      LpcConflict *conflict = g_new0 (LpcConflict, 1);
      guint first = g_array_index (record->members, guint, 0);

      conflict->kind = record->kind;
      conflict->entries = g_ptr_array_sized_new (record->members->len);
      conflict->items = g_array_sized_new (FALSE, FALSE, sizeof (guint), record->members->len);
      for (guint k = 0; k < record->members->len; k++)
        {
          guint a = g_array_index (record->members, guint, k);
          g_ptr_array_add (conflict->entries, (gpointer) finder.actives[a].entry);
          g_array_append_val (conflict->items, finder.actives[a].item);
        }
      conflict->start = record->start;
      conflict->end = record->end;
      conflict->minutes = lpc_seconds_to_minutes_up (record->minutes_seconds);
      conflict->accepted = record->accepted;
      conflict->cluster = active_cluster[first];
      if (!conflict->accepted)
        {
          report->n_unaccepted++;
          if (conflict->cluster != LPC_NO_CLUSTER)
            ((LpcConflictCluster *) report->clusters->pdata[conflict->cluster])->accepted = FALSE;
        }
      g_ptr_array_add (report->conflicts, conflict);
    }
  g_ptr_array_sort (report->conflicts, compare_conflicts);

  agenda = lpc_interval_index_new (active_entries, NULL, n);
  for (guint c = 0; c < report->clusters->len; c++)
    {
      LpcConflictCluster *cluster = report->clusters->pdata[c];

      cluster_alternatives (&finder, index, agenda, on_agenda, user_tracks, active_cluster, c,
                            cluster);
      cluster_occurrences (&finder, index, agenda, on_agenda, active_cluster, cluster,
                           active_of_item);
    }

  /* The program's own defects, where they involve a planned item. */
  {
    g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    DefectSink sink = { g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_conflict_free),
                        LPC_PROGRAM_CLASHES_KEPT, 0 };

    for (guint a = 0; a < finder.n_actives && sink.kept->len < sink.max; a++)
      find_defects_of (index, finder.actives[a].entry, seen, &sink);
    g_ptr_array_sort (sink.kept, compare_conflicts);
    g_ptr_array_extend_and_steal (report->conflicts, sink.kept);
  }

  g_free (finder.actives);
  g_free (finder.parent);
  g_free (finder.accepted);
  return report;
}

GArray *
lpc_conflict_report_dup_partners (LpcConflictReport *report, const LpcPlanItem *items, guint item,
                                  const LpcConflictSettings *settings)
{
  GArray *partners = g_array_new (FALSE, FALSE, sizeof (guint));
  guint cluster;

  g_return_val_if_fail (item < report->n_items, partners);
  cluster = report->item_cluster[item];
  if (cluster == LPC_NO_CLUSTER)
    return partners;
  for (guint r = 0; r < report->conflicts->len; r++)
    {
      const LpcConflict *conflict = report->conflicts->pdata[r];
      gboolean has_item = FALSE;

      if (conflict->cluster != cluster)
        continue;
      for (guint k = 0; k < conflict->items->len && !has_item; k++)
        has_item = g_array_index (conflict->items, guint, k) == item;
      if (!has_item)
        continue;
      for (guint k = 0; k < conflict->items->len; k++)
        {
          guint other = g_array_index (conflict->items, guint, k);
          if (other != item
              && lpc_pair_clashes (items[item].entry, items[other].entry, settings->travel_minutes))
            g_array_append_val (partners, other);
        }
    }
  g_array_sort (partners, compare_guint);
  for (guint k = 1; k < partners->len;)
    {
      if (g_array_index (partners, guint, k) == g_array_index (partners, guint, k - 1))
        g_array_remove_index (partners, k);
      else
        k++;
    }
  return partners;
}
