/* test-conflicts.c: the pairwise rules, the indexes and the conflict report,
 * on small hand-made programs and on the shipped timetable. */
#include "conflicts.h"
#include "program-lpc-text.h"

#include <string.h>

/* 2021-09-20 07:00 in Los Angeles (UTC-7). */
#define T0 G_GINT64_CONSTANT (1632146400)
#define AT(m) (T0 + (gint64) (m) *60)

/* ---- building programs and agendas ---- */

static LpcEntry *
add_entry (LpcProgram *program, const char *id, LpcEntryKind kind, const char *room, int start_min,
           int end_min)
{
  LpcEntry *entry = lpc_entry_new ();

  entry->id = g_strdup (id);
  entry->kind = kind;
  entry->title = g_strdup_printf ("Title of %s", id);
  entry->track = g_strdup ("Track");
  entry->room = g_strdup (room);
  entry->start = AT (start_min);
  entry->end = AT (end_min);
  entry->identity = g_strdup (id);
  lpc_program_take_entry (program, entry);
  return entry;
}

static LpcEntry *
add_talk (LpcProgram *program, const char *id, const char *room, int start_min, int end_min)
{
  return add_entry (program, id, LPC_ENTRY_TALK, room, start_min, end_min);
}

static LpcEntry *
add_block (LpcProgram *program, const char *id, const char *room, int start_min, int end_min)
{
  return add_entry (program, id, LPC_ENTRY_SESSION, room, start_min, end_min);
}

static LpcProgram *
new_program (void)
{
  return lpc_program_new ("Test", "America/Los_Angeles");
}

typedef struct
{
  LpcProgram *program;
  LpcProgramIndex *index;
  GArray *items; /* LpcPlanItem */
  LpcConflictSettings settings;
  LpcConflictReport *report;
} Fixture;

static void
fixture_init (Fixture *fixture, LpcProgram *program)
{
  fixture->program = program;
  fixture->index = NULL;
  fixture->items = g_array_new (FALSE, TRUE, sizeof (LpcPlanItem));
  lpc_conflict_settings_init (&fixture->settings);
  fixture->report = NULL;
}

static void
fixture_clear (Fixture *fixture)
{
  lpc_conflict_report_free (fixture->report);
  lpc_program_index_free (fixture->index);
  g_array_unref (fixture->items);
  lpc_program_unref (fixture->program);
}

static void
pick_full (Fixture *fixture, const char *id, guint priority, LpcItemState state,
           const char *const *accepted_with)
{
  LpcPlanItem item = { 0 };

  item.entry = lpc_program_lookup (fixture->program, id);
  g_assert_nonnull (item.entry);
  item.priority = priority;
  item.added_at = T0 - 86400 + fixture->items->len;
  item.state = state;
  item.accepted_with = accepted_with;
  g_array_append_val (fixture->items, item);
}

static void
pick (Fixture *fixture, const char *id)
{
  pick_full (fixture, id, 3, LPC_ITEM_PLANNED, NULL);
}

static LpcConflictReport *
find (Fixture *fixture)
{
  if (fixture->index == NULL)
    fixture->index = lpc_program_index_new (fixture->program);
  lpc_conflict_report_free (fixture->report);
  fixture->report
      = lpc_conflicts_find (fixture->index, (const LpcPlanItem *) (gpointer) fixture->items->data,
                            fixture->items->len, &fixture->settings);
  return fixture->report;
}

/* "a,b,c" from a record's entries. */
static char *
ids_of (GPtrArray *entries)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = entries->pdata[i];
      if (i > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, entry->id);
    }
  return g_string_free (ids, FALSE);
}

static void
assert_record (LpcConflict *conflict, LpcConflictKind kind, const char *ids, int start_min,
               int end_min, guint minutes)
{
  g_autofree char *got = ids_of (conflict->entries);

  g_assert_cmpstr (lpc_conflict_kind_to_string (conflict->kind), ==,
                   lpc_conflict_kind_to_string (kind));
  g_assert_cmpstr (got, ==, ids);
  g_assert_cmpint (conflict->start, ==, AT (start_min));
  g_assert_cmpint (conflict->end, ==, AT (end_min));
  g_assert_cmpuint (conflict->minutes, ==, minutes);
}

/* ---- the pairwise rules ---- */

static void
test_pair_rules (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  LpcEntry *a = add_talk (program, "a", "X", 0, 30);
  LpcEntry *b = add_talk (program, "b", "Y", 30, 60);
  LpcEntry *c = add_talk (program, "c", "Y", 20, 50);
  LpcEntry *k = add_block (program, "k", "X", 0, 240);
  LpcEntry *inside = add_talk (program, "inside", "X", 60, 90);
  LpcEntry *elsewhere = add_talk (program, "elsewhere", "Y", 60, 90);
  LpcEntry *zero = add_talk (program, "zero", "Y", 45, 45);
  LpcEntry *zero_at_start = add_talk (program, "zero-at-start", "Y", 30, 30);
  LpcEntry *t1 = add_talk (program, "t1", "X", 100, 140);
  LpcEntry *t_inside_talk = add_talk (program, "t-inside-talk", "X", 110, 120);

  /* Touching intervals do not overlap. */
  g_assert_cmpint (lpc_pair_relation (a, b, 0), ==, LPC_PAIR_FREE);
  g_assert_cmpint (lpc_pair_relation (b, a, 0), ==, LPC_PAIR_FREE);
  g_assert_cmpint (lpc_pair_relation (a, c, 0), ==, LPC_PAIR_OVERLAP);
  /* A talk inside a block in the same room is nested; in another room it
   * overlaps. */
  g_assert_cmpint (lpc_pair_relation (k, inside, 0), ==, LPC_PAIR_NESTED);
  g_assert_cmpint (lpc_pair_relation (inside, k, 0), ==, LPC_PAIR_NESTED);
  g_assert_cmpint (lpc_pair_relation (k, elsewhere, 0), ==, LPC_PAIR_OVERLAP);
  /* Only a block holds: a talk inside a talk is a clash. */
  g_assert_cmpint (lpc_pair_relation (t1, t_inside_talk, 0), ==, LPC_PAIR_OVERLAP);
  /* A zero-length entry overlaps what runs across its instant only. */
  g_assert_cmpint (lpc_pair_relation (zero, c, 0), ==, LPC_PAIR_OVERLAP);
  g_assert_cmpint (lpc_pair_relation (zero, b, 0), ==, LPC_PAIR_OVERLAP);
  g_assert_cmpint (lpc_pair_relation (zero_at_start, b, 0), ==, LPC_PAIR_FREE);
  g_assert_cmpint (lpc_pair_relation (zero_at_start, a, 0), ==, LPC_PAIR_FREE);
  g_assert_cmpint (lpc_pair_relation (zero_at_start, zero_at_start, 0), ==, LPC_PAIR_FREE);
  /* Travel time: different rooms need it, the same room does not. */
  g_assert_cmpint (lpc_pair_relation (a, b, 10), ==, LPC_PAIR_ROOM_CHANGE);
  g_assert_cmpint (lpc_pair_relation (a, elsewhere, 30), ==, LPC_PAIR_FREE);
  g_assert_cmpint (lpc_pair_relation (a, elsewhere, 31), ==, LPC_PAIR_ROOM_CHANGE);
  g_assert_cmpint (lpc_pair_relation (a, inside, 240), ==, LPC_PAIR_FREE);
  g_assert_cmpint (lpc_pair_relation (zero_at_start, a, 10), ==, LPC_PAIR_ROOM_CHANGE);
  g_assert_true (lpc_pair_clashes (a, b, 10));
  g_assert_false (lpc_pair_clashes (k, inside, 10));
  g_assert_cmpuint (lpc_seconds_to_minutes_up (30), ==, 1);
  g_assert_cmpuint (lpc_seconds_to_minutes_up (0), ==, 0);
  g_assert_cmpuint (lpc_seconds_to_minutes_up (600), ==, 10);
}

static void
test_soft_rules (void)
{
  g_autoptr (LpcProgram) program = new_program ();
  LpcEntry *a = add_talk (program, "a", "X", 0, 60);
  LpcEntry *b = add_talk (program, "b", "Y", 55, 120);
  LpcEntry *c = add_talk (program, "c", "Y", 45, 120);
  LpcEntry *short_talk = add_talk (program, "short", "Y", 55, 70);
  LpcEntry *inside = add_talk (program, "inside", "Y", 10, 50);
  LpcEntry *after = add_talk (program, "after", "Y", 62, 120);
  LpcEntry *k = add_block (program, "k", "Y", 55, 240);
  LpcConflictSettings settings;

  lpc_conflict_settings_init (&settings);
  /* 5 minutes short, both long enough. */
  g_assert_true (lpc_pair_is_soft (a, b, &settings));
  g_assert_true (lpc_pair_is_soft (b, a, &settings));
  /* 15 minutes is more than 10. */
  g_assert_false (lpc_pair_is_soft (a, c, &settings));
  /* A 15-minute talk cannot lose up to 10 minutes at both ends. */
  g_assert_false (lpc_pair_is_soft (a, short_talk, &settings));
  /* One inside the other is no short overlap. */
  g_assert_false (lpc_pair_is_soft (a, inside, &settings));
  /* A block is never cut softly. */
  g_assert_false (lpc_pair_is_soft (a, k, &settings));
  /* Free pairs are not soft pairs. */
  g_assert_false (lpc_pair_is_soft (a, after, &settings));
  /* With travel: 2 minutes apart, 10 needed: 8 short. */
  settings.travel_minutes = 10;
  g_assert_true (lpc_pair_is_soft (a, after, &settings));
  /* 5 overlapping + 10 travel is 15 short. */
  g_assert_false (lpc_pair_is_soft (a, b, &settings));
  settings.travel_minutes = 0;
  settings.soft_overlap_minutes = 0;
  g_assert_false (lpc_pair_is_soft (a, b, &settings));
}

/* ---- the interval index against a scan ---- */

typedef struct
{
  GArray *seen;
} Collect;

static gboolean
collect_cb (const LpcEntry *entry, guint tag, gpointer user_data)
{
  Collect *collect = user_data;

  g_array_append_val (collect->seen, tag);
  return TRUE;
}

static int
compare_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

static void
test_interval_index (void)
{
  GRand *rand = g_rand_new_with_seed (4);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr (LpcProgram) program = new_program ();
      guint n = (guint) g_rand_int_range (rand, 0, 40);
      g_autofree const LpcEntry **entries = g_new (const LpcEntry *, MAX (n, 1));
      g_autoptr (LpcIntervalIndex) index = NULL;

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *id = g_strdup_printf ("e%u", i);
          int start = g_rand_int_range (rand, 0, 300);
          int length = g_rand_int_range (rand, 0, 4) == 0 ? 0 : g_rand_int_range (rand, 1, 120);
          entries[i] = add_talk (program, id, "X", start, start + length);
        }
      index = lpc_interval_index_new (entries, NULL, n);
      for (guint q = 0; q < 20; q++)
        {
          gint64 start = AT (g_rand_int_range (rand, -20, 320));
          gint64 end = start + 60 * g_rand_int_range (rand, 0, 90);
          gint64 margin = 60 * (g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 1, 30));
          Collect collect = { g_array_new (FALSE, FALSE, sizeof (guint)) };
          g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));

          lpc_interval_index_foreach (index, start, end, margin, collect_cb, &collect);
          for (guint i = 0; i < n; i++)
            if (entries[i]->start < end + margin && entries[i]->end + margin > start)
              g_array_append_val (expected, i);
          g_array_sort (collect.seen, compare_guint);
          g_assert_cmpuint (collect.seen->len, ==, expected->len);
          g_assert_cmpmem (collect.seen->data, collect.seen->len * sizeof (guint), expected->data,
                           expected->len * sizeof (guint));
          g_array_unref (collect.seen);
        }
    }
  g_rand_free (rand);
}

/* ---- overlaps ---- */

static void
test_touching_is_no_overlap (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 30);
  add_talk (f.program, "b", "Y", 30, 60);
  pick (&f, "a");
  pick (&f, "b");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 0);
  g_assert_cmpuint (f.report->clusters->len, ==, 0);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 0);
  g_assert_cmpuint (f.report->item_cluster[0], ==, LPC_NO_CLUSTER);
  fixture_clear (&f);
}

static void
test_overlap_pair (void)
{
  Fixture f;
  LpcConflictCluster *cluster;

  fixture_init (&f, new_program ());
  add_talk (f.program, "b", "Y", 20, 60);
  add_talk (f.program, "a", "X", 0, 40);
  pick (&f, "b");
  pick (&f, "a");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 1);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "a,b", 20, 40, 20);
  g_assert_false (((LpcConflict *) f.report->conflicts->pdata[0])->accepted);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 1);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  cluster = f.report->clusters->pdata[0];
  /* Items by start: "a" (index 1) first. */
  g_assert_cmpuint (cluster->items->len, ==, 2);
  g_assert_cmpuint (g_array_index (cluster->items, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (cluster->items, guint, 1), ==, 0);
  g_assert_cmpint (cluster->start, ==, AT (0));
  g_assert_cmpint (cluster->end, ==, AT (60));
  g_assert_false (cluster->accepted);
  g_assert_cmpuint (f.report->item_cluster[0], ==, 0);
  g_assert_cmpuint (f.report->item_cluster[1], ==, 0);
  fixture_clear (&f);
}

static void
test_nested_same_room (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_block (f.program, "k", "X", 0, 240);
  add_talk (f.program, "t", "X", 30, 60);
  add_talk (f.program, "u", "X", 60, 90);
  pick (&f, "k");
  pick (&f, "t");
  pick (&f, "u");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 0);
  fixture_clear (&f);
}

static void
test_nested_other_room (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_block (f.program, "k", "X", 0, 240);
  add_talk (f.program, "t", "Y", 30, 60);
  pick (&f, "k");
  pick (&f, "t");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 1);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "k,t", 30, 60, 30);
  fixture_clear (&f);
}

static void
test_same_room_talks (void)
{
  Fixture f;

  /* Two talks of one room at once: an overlap on the agenda (and a defect
   * of the program, below). */
  fixture_init (&f, new_program ());
  add_talk (f.program, "t1", "X", 0, 40);
  add_talk (f.program, "t2", "X", 30, 60);
  pick (&f, "t1");
  pick (&f, "t2");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 2);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "t1,t2", 30, 40, 10);
  assert_record (f.report->conflicts->pdata[1], LPC_CONFLICT_PROGRAM_CLASH, "t1,t2", 30, 40, 10);
  g_assert_cmpuint (((LpcConflict *) f.report->conflicts->pdata[1])->cluster, ==, LPC_NO_CLUSTER);
  g_assert_null (((LpcConflict *) f.report->conflicts->pdata[1])->items);
  /* Program clashes are shown but are not what the exit status counts. */
  g_assert_cmpuint (f.report->n_unaccepted, ==, 1);
  fixture_clear (&f);
}

static void
test_zero_length (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 60);
  add_talk (f.program, "z-inside", "Y", 30, 30);
  add_talk (f.program, "z-start", "Y", 0, 0);
  add_talk (f.program, "z-end", "Y", 60, 60);
  add_block (f.program, "k", "Z", 100, 200);
  add_talk (f.program, "z-in-block", "Z", 150, 150);
  pick (&f, "a");
  pick (&f, "z-inside");
  pick (&f, "z-start");
  pick (&f, "z-end");
  pick (&f, "k");
  pick (&f, "z-in-block");
  find (&f);
  /* Only the instant inside "a" clashes, for 0 minutes; the ones at its
   * ends and the one inside a block of its room do not. */
  g_assert_cmpuint (f.report->conflicts->len, ==, 1);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "a,z-inside", 30, 30, 0);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);

  /* With travel time, the ones at its ends are room changes. */
  f.settings.travel_minutes = 5;
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 3);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_ROOM_CHANGE, "a,z-start", 0, 0, 5);
  assert_record (f.report->conflicts->pdata[1], LPC_CONFLICT_OVERLAP, "a,z-inside", 30, 30, 0);
  assert_record (f.report->conflicts->pdata[2], LPC_CONFLICT_ROOM_CHANGE, "a,z-end", 60, 60, 5);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  fixture_clear (&f);
}

static void
test_overlap_windows (void)
{
  Fixture f;
  g_autoptr (GArray) partners = NULL;

  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 60);
  add_talk (f.program, "b", "Y", 30, 90);
  add_talk (f.program, "c", "Z", 45, 120);
  add_talk (f.program, "d", "X", 200, 260);
  add_talk (f.program, "e", "Y", 250, 300);
  pick (&f, "a");
  pick (&f, "b");
  pick (&f, "c");
  pick (&f, "d");
  pick (&f, "e");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 4);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "a,b", 30, 45, 15);
  assert_record (f.report->conflicts->pdata[1], LPC_CONFLICT_OVERLAP, "a,b,c", 45, 60, 15);
  assert_record (f.report->conflicts->pdata[2], LPC_CONFLICT_OVERLAP, "b,c", 60, 90, 30);
  assert_record (f.report->conflicts->pdata[3], LPC_CONFLICT_OVERLAP, "d,e", 250, 260, 10);
  g_assert_cmpuint (f.report->clusters->len, ==, 2);
  g_assert_cmpuint (((LpcConflict *) f.report->conflicts->pdata[2])->cluster, ==, 0);
  g_assert_cmpuint (((LpcConflict *) f.report->conflicts->pdata[3])->cluster, ==, 1);
  g_assert_cmpuint (((LpcConflictCluster *) f.report->clusters->pdata[0])->items->len, ==, 3);

  partners = lpc_conflict_report_dup_partners (
      f.report, (const LpcPlanItem *) (gpointer) f.items->data, 0, &f.settings);
  g_assert_cmpuint (partners->len, ==, 2);
  g_assert_cmpuint (g_array_index (partners, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (partners, guint, 1), ==, 2);
  fixture_clear (&f);
}

static void
test_block_with_talk_and_other_room (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_block (f.program, "k", "X", 0, 240);
  add_talk (f.program, "t", "X", 60, 90);
  add_talk (f.program, "u", "Y", 70, 100);
  pick (&f, "k");
  pick (&f, "t");
  pick (&f, "u");
  find (&f);
  /* While only the block and its talk run, nothing clashes. */
  g_assert_cmpuint (f.report->conflicts->len, ==, 2);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "k,t,u", 70, 90, 20);
  assert_record (f.report->conflicts->pdata[1], LPC_CONFLICT_OVERLAP, "k,u", 90, 100, 10);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  fixture_clear (&f);
}

static void
test_window_members_one_room (void)
{
  Fixture f;

  /* In one room, the block that holds both talks is not in the record:
   * only the two talks clash. */
  fixture_init (&f, new_program ());
  add_block (f.program, "k", "X", 0, 240);
  add_talk (f.program, "t1", "X", 60, 100);
  add_talk (f.program, "t2", "X", 90, 120);
  pick (&f, "k");
  pick (&f, "t1");
  pick (&f, "t2");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 2);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "t1,t2", 90, 100, 10);
  g_assert_cmpint (((LpcConflict *) f.report->conflicts->pdata[1])->kind, ==,
                   LPC_CONFLICT_PROGRAM_CLASH);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  g_assert_cmpuint (((LpcConflictCluster *) f.report->clusters->pdata[0])->items->len, ==, 2);
  g_assert_cmpuint (f.report->item_cluster[0], ==, LPC_NO_CLUSTER);
  fixture_clear (&f);
}

/* ---- room changes ---- */

static void
test_room_change (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 30);
  add_talk (f.program, "b", "Y", 35, 60);
  add_talk (f.program, "c", "Y", 60, 90);
  add_talk (f.program, "d", "Y", 95, 120);
  pick (&f, "a");
  pick (&f, "b");
  pick (&f, "c");
  pick (&f, "d");
  /* Off by default. */
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 0);

  f.settings.travel_minutes = 10;
  find (&f);
  /* Only a -> b changes rooms; c and d share b's room. */
  g_assert_cmpuint (f.report->conflicts->len, ==, 1);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_ROOM_CHANGE, "a,b", 30, 35, 5);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 1);

  f.settings.travel_minutes = 5;
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 0);
  fixture_clear (&f);
}

static void
test_room_change_touching_and_groups (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 30);
  add_talk (f.program, "a2", "X", 10, 28);
  add_talk (f.program, "same", "X", 30, 60);
  add_talk (f.program, "b", "Y", 30, 60);
  pick (&f, "a");
  pick (&f, "a2");
  pick (&f, "same");
  pick (&f, "b");
  f.settings.travel_minutes = 10;
  find (&f);
  /* a2 runs inside a in the same room (a talk, not a block): an overlap. At
   * 30, b starts in Y while a and a2 just ended in X; "same" starts in X. */
  g_assert_cmpuint (f.report->conflicts->len, ==, 4);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "a,a2", 10, 28, 18);
  assert_record (f.report->conflicts->pdata[1], LPC_CONFLICT_ROOM_CHANGE, "a,a2,b", 28, 30, 10);
  assert_record (f.report->conflicts->pdata[2], LPC_CONFLICT_OVERLAP, "b,same", 30, 60, 30);
  /* The program clashes come last. */
  assert_record (f.report->conflicts->pdata[3], LPC_CONFLICT_PROGRAM_CLASH, "a,a2", 10, 28, 18);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  fixture_clear (&f);
}

static void
test_room_change_clusters (void)
{
  Fixture f;

  /* X -> Y and Y -> X at one instant, nothing else in common: two
   * clusters. */
  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 30);
  add_talk (f.program, "b", "Y", 31, 60);
  add_talk (f.program, "c", "Y", 100, 130);
  add_talk (f.program, "d", "X", 131, 160);
  pick (&f, "a");
  pick (&f, "b");
  pick (&f, "c");
  pick (&f, "d");
  f.settings.travel_minutes = 5;
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 2);
  g_assert_cmpuint (f.report->clusters->len, ==, 2);
  fixture_clear (&f);
}

static void
test_room_change_many_rooms (void)
{
  Fixture f;
  g_autofree char *expected = NULL;
  GString *ids = g_string_new (NULL);

  /* Four rooms ending, four starting: one cluster, one record. */
  fixture_init (&f, new_program ());
  for (guint r = 0; r < 4; r++)
    {
      g_autofree char *room = g_strdup_printf ("R%u", r);
      g_autofree char *before = g_strdup_printf ("before%u", r);
      add_talk (f.program, before, room, 0, 30);
      pick (&f, before);
    }
  for (guint r = 0; r < 4; r++)
    {
      g_autofree char *room = g_strdup_printf ("R%u", r);
      g_autofree char *after = g_strdup_printf ("after%u", r);
      add_talk (f.program, after, room, 32, 60);
      pick (&f, after);
    }
  f.settings.travel_minutes = 5;
  find (&f);
  /* The four before overlap each other, the four after too. */
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  for (guint r = 0; r < 4; r++)
    g_string_append_printf (ids, "%sbefore%u", r == 0 ? "" : ",", r);
  for (guint r = 0; r < 4; r++)
    g_string_append_printf (ids, ",after%u", r);
  expected = g_string_free (ids, FALSE);
  assert_record (f.report->conflicts->pdata[1], LPC_CONFLICT_ROOM_CHANGE, expected, 30, 32, 3);
  fixture_clear (&f);
}

/* ---- states ---- */

static void
test_skipped_and_cancelled_ignored (void)
{
  Fixture f;

  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 40);
  add_talk (f.program, "b", "Y", 20, 60);
  add_talk (f.program, "c", "Z", 20, 60);
  add_talk (f.program, "d", "W", 20, 60);
  pick (&f, "a");
  pick_full (&f, "b", 5, LPC_ITEM_SKIPPED, NULL);
  pick_full (&f, "c", 5, LPC_ITEM_CANCELLED, NULL);
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 0);

  /* A moved item counts, at its (new) time. */
  pick_full (&f, "d", 3, LPC_ITEM_MOVED, NULL);
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 1);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "a,d", 20, 40, 20);
  g_assert_false (lpc_plan_item_is_active (&g_array_index (f.items, LpcPlanItem, 1)));
  fixture_clear (&f);
}

/* ---- accepted overlaps ---- */

static void
test_accepted_overlap (void)
{
  Fixture f;
  const char *const with_b[] = { "b", NULL };
  const char *const with_nothing_known[] = { "nope", NULL };

  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 60);
  add_talk (f.program, "b", "Y", 55, 120);
  pick_full (&f, "a", 3, LPC_ITEM_PLANNED, with_b);
  pick (&f, "b");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 1);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "a,b", 55, 60, 5);
  g_assert_true (((LpcConflict *) f.report->conflicts->pdata[0])->accepted);
  g_assert_true (((LpcConflictCluster *) f.report->clusters->pdata[0])->accepted);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 0);

  /* No longer soft: a conflict again. */
  f.settings.soft_overlap_minutes = 4;
  find (&f);
  g_assert_false (((LpcConflict *) f.report->conflicts->pdata[0])->accepted);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 1);
  f.settings.soft_overlap_minutes = 10;

  /* Accepting something else accepts nothing. */
  g_array_index (f.items, LpcPlanItem, 0).accepted_with = with_nothing_known;
  find (&f);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 1);
  fixture_clear (&f);
}

static void
test_accepted_needs_every_pair (void)
{
  Fixture f;
  const char *const with_b[] = { "b", NULL };

  /* a and b accepted; c overlaps b as well: the window with all three is
   * not accepted, the one with a and b alone is. */
  fixture_init (&f, new_program ());
  add_talk (f.program, "a", "X", 0, 60);
  add_talk (f.program, "b", "Y", 55, 120);
  add_talk (f.program, "c", "Z", 58, 90);
  pick_full (&f, "a", 3, LPC_ITEM_PLANNED, with_b);
  pick (&f, "b");
  pick (&f, "c");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 3);
  assert_record (f.report->conflicts->pdata[0], LPC_CONFLICT_OVERLAP, "a,b", 55, 58, 3);
  g_assert_true (((LpcConflict *) f.report->conflicts->pdata[0])->accepted);
  g_assert_false (((LpcConflict *) f.report->conflicts->pdata[1])->accepted);
  g_assert_false (((LpcConflictCluster *) f.report->clusters->pdata[0])->accepted);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 2);
  fixture_clear (&f);
}

/* ---- alternatives and other occurrences ---- */

static void
set_track (LpcEntry *entry, const char *track)
{
  g_free (entry->track);
  entry->track = g_strdup (track);
}

static void
test_alternatives (void)
{
  Fixture f;
  LpcConflictCluster *cluster;

  fixture_init (&f, new_program ());
  set_track (add_talk (f.program, "a", "X", 0, 40), "Mine");
  set_track (add_talk (f.program, "b", "Y", 20, 60), "Other");
  /* In the span [0, 60): */
  set_track (add_talk (f.program, "alt-late-mine", "Z", 30, 50), "Mine");
  set_track (add_talk (f.program, "alt-early", "W", 0, 30), "Else");
  set_track (add_talk (f.program, "alt-early-mine", "Z", 5, 25), "Mine");
  set_track (add_talk (f.program, "alt-also", "V", 10, 50), "Else");
  /* Not alternatives: runs past the span; on the agenda (skipped); a
   * break; a block. */
  set_track (add_talk (f.program, "too-long", "W", 40, 70), "Mine");
  set_track (add_talk (f.program, "skipped", "V", 0, 20), "Mine");
  add_entry (f.program, "break", LPC_ENTRY_BREAK, "Z", 50, 60);
  add_block (f.program, "block", "Q", 0, 60);
  pick (&f, "a");
  pick (&f, "b");
  pick_full (&f, "skipped", 3, LPC_ITEM_SKIPPED, NULL);
  find (&f);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  cluster = f.report->clusters->pdata[0];
  {
    g_autofree char *ids = ids_of (cluster->alternatives);
    /* Tracks the user picks from first ("Mine", "Other"), then by start. */
    g_assert_cmpstr (ids, ==, "alt-early-mine,alt-late-mine,alt-early,alt-also");
  }

  f.settings.max_suggestions = 3;
  find (&f);
  cluster = f.report->clusters->pdata[0];
  {
    g_autofree char *ids = ids_of (cluster->alternatives);
    g_assert_cmpstr (ids, ==, "alt-early-mine,alt-late-mine,alt-early");
  }
  f.settings.max_suggestions = 1;
  find (&f);
  cluster = f.report->clusters->pdata[0];
  g_assert_cmpuint (cluster->alternatives->len, ==, 1);
  fixture_clear (&f);
}

static void
test_alternatives_respect_the_rest (void)
{
  Fixture f;
  LpcConflictCluster *cluster;

  fixture_init (&f, new_program ());
  add_talk (f.program, "before", "X", -60, -5);
  add_talk (f.program, "a", "X", 0, 40);
  add_talk (f.program, "b", "Y", 20, 60);
  add_talk (f.program, "near-before", "Z", 0, 20);
  add_talk (f.program, "fine", "Z", 30, 60);
  pick (&f, "before");
  pick (&f, "a");
  pick (&f, "b");
  f.settings.travel_minutes = 10;
  find (&f);
  /* "before" ends at -5 in X: 5 minutes is too short to reach Z by 0. */
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  cluster = f.report->clusters->pdata[0];
  {
    g_autofree char *ids = ids_of (cluster->alternatives);
    g_assert_cmpstr (ids, ==, "fine");
  }
  fixture_clear (&f);
}

static void
test_other_occurrences (void)
{
  Fixture f;
  LpcConflictCluster *cluster;
  LpcOccurrenceOption *option;
  LpcEntry *once, *again, *third;

  fixture_init (&f, new_program ());
  once = add_talk (f.program, "talk-wed", "X", 0, 40);
  add_talk (f.program, "keynote", "Y", 0, 40);
  again = add_talk (f.program, "talk-fri", "Z", 1000, 1040);
  third = add_talk (f.program, "talk-sat", "Z", 2000, 2040);
  add_talk (f.program, "busy-sat", "W", 2010, 2050);
  once->occurrence_group = g_strdup ("talk-wed");
  again->occurrence_group = g_strdup ("talk-wed");
  third->occurrence_group = g_strdup ("talk-wed");
  pick (&f, "talk-wed");
  pick (&f, "keynote");
  pick (&f, "busy-sat");
  find (&f);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  cluster = f.report->clusters->pdata[0];
  /* Saturday's clashes with another pick; Friday's is free. */
  g_assert_cmpuint (cluster->other_occurrences->len, ==, 1);
  option = &g_array_index (cluster->other_occurrences, LpcOccurrenceOption, 0);
  g_assert_cmpuint (option->item, ==, 0);
  g_assert_cmpstr (option->entry->id, ==, "talk-fri");
  {
    g_autoptr (GPtrArray) others = lpc_program_index_dup_occurrences (f.index, once);
    g_assert_cmpuint (others->len, ==, 2);
  }
  fixture_clear (&f);
}

/* ---- program clashes ---- */

static void
test_program_defects (void)
{
  Fixture f;
  g_autoptr (GPtrArray) defects = NULL;
  guint64 total = 0;
  LpcEntry *outside, *inside;

  fixture_init (&f, new_program ());
  add_block (f.program, "block", "X", 0, 120);
  inside = add_talk (f.program, "inside", "X", 0, 60);
  outside = add_talk (f.program, "outside", "X", 100, 130);
  inside->parent_id = g_strdup ("block");
  outside->parent_id = g_strdup ("block");
  add_talk (f.program, "double-booked", "X", 50, 70);
  add_talk (f.program, "elsewhere", "Y", 0, 200);
  add_block (f.program, "block-2", "X", 110, 200);
  add_talk (f.program, "mine", "Z", 300, 330);
  pick (&f, "mine");
  find (&f);
  defects = lpc_program_index_find_defects (f.index, LPC_PROGRAM_CLASHES_KEPT, &total);
  g_assert_cmpuint (total, ==, 4);
  /* "outside" runs 10 minutes past its block (reported once, not also as
   * sharing the block's room); "double-booked" shares X with "inside";
   * "block-2" overlaps "block" and holds only part of "outside". */
  g_assert_cmpuint (defects->len, ==, 4);
  assert_record (defects->pdata[0], LPC_CONFLICT_PROGRAM_CLASH, "inside,double-booked", 50, 60, 10);
  assert_record (defects->pdata[1], LPC_CONFLICT_PROGRAM_CLASH, "block,outside", 100, 130, 10);
  assert_record (defects->pdata[2], LPC_CONFLICT_PROGRAM_CLASH, "block,block-2", 110, 120, 10);
  assert_record (defects->pdata[3], LPC_CONFLICT_PROGRAM_CLASH, "outside,block-2", 110, 130, 20);
  g_assert_nonnull (strstr (((LpcConflict *) defects->pdata[1])->note, "outside the hours"));
  g_assert_nonnull (strstr (((LpcConflict *) defects->pdata[0])->note, "at once"));
  /* None of them involves the agenda. */
  g_assert_cmpuint (f.report->conflicts->len, ==, 0);

  g_array_set_size (f.items, 0);
  pick (&f, "outside");
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 2);
  g_assert_cmpuint (f.report->n_unaccepted, ==, 0);
  fixture_clear (&f);
}

/* ---- the shipped program ---- */

static LpcProgram *
load_shipped (void)
{
  const char *path = g_getenv ("LPC_TEST_TIMETABLE");
  g_autoptr (GError) error = NULL;
  LpcProgram *program;

  if (path == NULL)
    return NULL;
  program = lpc_program_load_lpc_text_file (path, NULL, &error);
  g_assert_no_error (error);
  return program;
}

/* The entry titled @title (kind talk) on @weekday in the program's zone. */
static const LpcEntry *
find_talk (LpcProgram *program, const char *title, GDateWeekday weekday)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (program->timezone);

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = program->entries->pdata[i];
      g_autoptr (GDateTime) start = g_date_time_new_from_unix_utc (entry->start);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (start, zone);

      if (entry->kind == LPC_ENTRY_TALK && strcmp (entry->title, title) == 0
          && (GDateWeekday) g_date_time_get_day_of_week (local) == weekday)
        return entry;
    }
  return NULL;
}

static void
test_shipped_monday_overlap (void)
{
  Fixture f;
  LpcProgram *program = load_shipped ();
  const LpcEntry *bpf, *lore;
  LpcConflictCluster *cluster;

  if (program == NULL)
    {
      g_test_skip ("LPC_TEST_TIMETABLE is not set");
      return;
    }
  fixture_init (&f, program);
  /* Two Monday 07:00 talks in different rooms: 40 and 45 minutes long. */
  bpf = find_talk (program, "BPF tracing: exploring additional debugging capabilities",
                   G_DATE_MONDAY);
  lore = find_talk (program, "Doing more with lore and b4", G_DATE_MONDAY);
  g_assert_nonnull (bpf);
  g_assert_nonnull (lore);
  g_assert_cmpstr (bpf->room, !=, lore->room);
  g_assert_cmpint (bpf->start, ==, lore->start);
  pick (&f, bpf->id);
  pick (&f, lore->id);
  find (&f);
  g_assert_cmpuint (f.report->conflicts->len, ==, 1);
  {
    LpcConflict *conflict = f.report->conflicts->pdata[0];
    g_assert_cmpint (conflict->kind, ==, LPC_CONFLICT_OVERLAP);
    g_assert_cmpuint (conflict->entries->len, ==, 2);
    g_assert_cmpint (conflict->start, ==, bpf->start);
    g_assert_cmpuint (conflict->minutes, ==, 40);
  }
  g_assert_cmpuint (f.report->n_unaccepted, ==, 1);
  cluster = f.report->clusters->pdata[0];
  /* Neither track has another talk between 07:00 and 07:45, so the
   * alternatives are other tracks' talks in that window, such as the
   * Refereed Track's 07:00 talk. */
  g_assert_cmpuint (cluster->alternatives->len, >, 0);
  for (guint i = 0; i < cluster->alternatives->len; i++)
    {
      const LpcEntry *alternative = cluster->alternatives->pdata[i];
      g_assert_cmpint (alternative->start, >=, cluster->start);
      g_assert_cmpint (alternative->end, <=, cluster->end);
      g_assert_cmpstr (alternative->id, !=, bpf->id);
      g_assert_cmpstr (alternative->id, !=, lore->id);
      g_assert_cmpint (alternative->kind, ==, LPC_ENTRY_TALK);
    }
  g_assert_cmpuint (cluster->other_occurrences->len, ==, 0);
  fixture_clear (&f);
}

static void
test_shipped_speculative_page_faults (void)
{
  Fixture f;
  LpcProgram *program = load_shipped ();
  const LpcEntry *wed, *fri, *rival = NULL;
  LpcConflictCluster *cluster;

  if (program == NULL)
    {
      g_test_skip ("LPC_TEST_TIMETABLE is not set");
      return;
    }
  fixture_init (&f, program);
  wed = find_talk (program, "Speculative page faults", G_DATE_WEDNESDAY);
  fri = find_talk (program, "Speculative page faults", G_DATE_FRIDAY);
  g_assert_nonnull (wed);
  g_assert_nonnull (fri);
  g_assert_cmpstr (wed->occurrence_group, ==, fri->occurrence_group);
  for (guint i = 0; i < program->entries->len && rival == NULL; i++)
    {
      const LpcEntry *entry = program->entries->pdata[i];
      if (entry->kind == LPC_ENTRY_TALK && entry->start < wed->end && wed->start < entry->end
          && strcmp (entry->room, wed->room) != 0)
        rival = entry;
    }
  if (rival == NULL)
    g_error ("no talk at the time of '%s'", wed->id);
  pick (&f, wed->id);
  pick_full (&f, rival->id, 5, LPC_ITEM_PLANNED, NULL);
  find (&f);
  g_assert_cmpuint (f.report->clusters->len, ==, 1);
  cluster = f.report->clusters->pdata[0];
  g_assert_cmpuint (cluster->other_occurrences->len, ==, 1);
  g_assert_cmpstr (g_array_index (cluster->other_occurrences, LpcOccurrenceOption, 0).entry->id, ==,
                   fri->id);
  fixture_clear (&f);
}

/* Thousands of talks in one room at once: millions of pairs, of which only
 * the first few become records; the count is exact; a pick among them gets
 * at most LPC_PROGRAM_CLASHES_KEPT program clashes. Fast and small by
 * construction (a per-pair allocation took 445 MB at 2,000 talks). */
static void
test_program_defects_crowded_room (void)
{
  const guint n = 3000;
  Fixture f;
  g_autoptr (GPtrArray) defects = NULL;
  guint64 total = 0;
  guint program_clashes = 0;

  fixture_init (&f, new_program ());
  add_block (f.program, "block", "X", 0, 60);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("talk-%04u", i);
      LpcEntry *talk = add_talk (f.program, id, "X", 0, 60);

      talk->parent_id = g_strdup ("block");
    }
  f.index = lpc_program_index_new (f.program);
  defects = lpc_program_index_find_defects (f.index, LPC_PROGRAM_CLASHES_KEPT, &total);
  /* Every two talks clash; the block holding them clashes with none. */
  g_assert_cmpuint (total, ==, (guint64) n * (n - 1) / 2);
  g_assert_cmpuint (defects->len, ==, LPC_PROGRAM_CLASHES_KEPT);
  for (guint i = 0; i < defects->len; i++)
    {
      const LpcConflict *defect = defects->pdata[i];
      g_assert_cmpuint (defect->kind, ==, LPC_CONFLICT_PROGRAM_CLASH);
      g_assert_cmpuint (defect->entries->len, ==, 2);
    }

  pick (&f, "talk-1500");
  find (&f);
  for (guint i = 0; i < f.report->conflicts->len; i++)
    if (((LpcConflict *) f.report->conflicts->pdata[i])->kind == LPC_CONFLICT_PROGRAM_CLASH)
      program_clashes++;
  g_assert_cmpuint (program_clashes, ==, LPC_PROGRAM_CLASHES_KEPT);
  fixture_clear (&f);
}

/* The pair rules, written the slow way: the count and the records of
 * lpc_program_index_find_defects() must be exactly these on random
 * programs of blocks and talks in a few rooms. */
static gboolean
brute_room_clash (const LpcEntry *a, const LpcEntry *b)
{
  if (a->room == NULL || b->room == NULL || *a->room == '\0' || g_strcmp0 (a->room, b->room) != 0)
    return FALSE;
  if (a->end <= a->start || b->end <= b->start)
    return FALSE;
  if (g_strcmp0 (a->parent_id, b->id) == 0 || g_strcmp0 (b->parent_id, a->id) == 0)
    return FALSE;
  /* A block holding the other within its hours. */
  if ((a->kind == LPC_ENTRY_SESSION && a->start <= b->start && b->end <= a->end)
      || (b->kind == LPC_ENTRY_SESSION && b->start <= a->start && a->end <= b->end))
    return FALSE;
  return MAX (a->start, b->start) < MIN (a->end, b->end);
}

static gboolean
brute_outside_block (LpcProgram *program, const LpcEntry *entry)
{
  const LpcEntry *block
      = entry->parent_id != NULL ? lpc_program_lookup (program, entry->parent_id) : NULL;

  return block != NULL && (entry->start < block->start || entry->end > block->end);
}

static void
test_program_defects_match_brute_force (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20210920);
  const char *rooms[] = { "A", "B", "C", "" };

  for (guint round = 0; round < 200; round++)
    {
      Fixture f;
      g_autoptr (GPtrArray) defects = NULL;
      g_autoptr (GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      guint n_blocks = (guint) g_rand_int_range (rand, 0, 4);
      guint n_talks = (guint) g_rand_int_range (rand, 0, 30);
      guint64 total = G_MAXUINT64;

      fixture_init (&f, new_program ());
      for (guint b = 0; b < n_blocks; b++)
        {
          g_autofree char *id = g_strdup_printf ("block-%u", b);
          int start = g_rand_int_range (rand, 0, 100);
          add_block (f.program, id, rooms[g_rand_int_range (rand, 0, 3)], start,
                     start + g_rand_int_range (rand, 0, 120));
        }
      for (guint t = 0; t < n_talks; t++)
        {
          g_autofree char *id = g_strdup_printf ("talk-%u", t);
          int start = g_rand_int_range (rand, 0, 200);
          LpcEntry *talk = add_talk (f.program, id, rooms[g_rand_int_range (rand, 0, 4)], start,
                                     start + g_rand_int_range (rand, 0, 40));

          if (n_blocks > 0 && g_rand_boolean (rand))
            talk->parent_id = g_strdup_printf ("block-%d", g_rand_int_range (rand, 0, (gint32) n_blocks));
        }
      for (guint i = 0; i < f.program->entries->len; i++)
        {
          const LpcEntry *a = f.program->entries->pdata[i];

          if (brute_outside_block (f.program, a))
            g_hash_table_add (expected, g_strdup_printf ("outside %s", a->id));
          for (guint j = i + 1; j < f.program->entries->len; j++)
            {
              const LpcEntry *b = f.program->entries->pdata[j];

              if (brute_room_clash (a, b))
                g_hash_table_add (expected, strcmp (a->id, b->id) < 0
                                                ? g_strdup_printf ("room %s %s", a->id, b->id)
                                                : g_strdup_printf ("room %s %s", b->id, a->id));
            }
        }

      f.index = lpc_program_index_new (f.program);
      defects = lpc_program_index_find_defects (f.index, G_MAXUINT, &total);
      g_assert_cmpuint (total, ==, g_hash_table_size (expected));
      g_assert_cmpuint (defects->len, ==, g_hash_table_size (expected));
      for (guint i = 0; i < defects->len; i++)
        {
          const LpcConflict *defect = defects->pdata[i];
          const LpcEntry *a = defect->entries->pdata[0], *b = defect->entries->pdata[1];
          g_autofree char *key = NULL;

          if (strstr (defect->note, "outside the hours") != NULL)
            key = g_strdup_printf ("outside %s", a->kind == LPC_ENTRY_SESSION ? b->id : a->id);
          else
            key = strcmp (a->id, b->id) < 0 ? g_strdup_printf ("room %s %s", a->id, b->id)
                                            : g_strdup_printf ("room %s %s", b->id, a->id);
          g_assert_true (g_hash_table_remove (expected, key));
        }
      /* A cut keeps the earliest, and the same count. */
      if (total > 2)
        {
          g_autoptr (GPtrArray) cut = lpc_program_index_find_defects (f.index, 2, &total);

          g_assert_cmpuint (cut->len, ==, 2);
          g_assert_cmpuint (((LpcConflict *) cut->pdata[1])->start, <=,
                            ((LpcConflict *) defects->pdata[2])->start);
          g_assert_cmpuint (total, ==, defects->len);
        }
      fixture_clear (&f);
    }
}

static void
test_shipped_check (void)
{
  LpcProgram *program = load_shipped ();
  g_autoptr (LpcProgramIndex) index = NULL;
  const LpcConferenceDay *days;
  guint n_days;

  if (program == NULL)
    {
      g_test_skip ("LPC_TEST_TIMETABLE is not set");
      return;
    }
  index = lpc_program_index_new (program);
  /* Read off the timetable: every entry lies within its block's hours, and
   * no two entries share a room at once except a block and its own talks
   * (the Android reprise on Friday borrows the GNU Tools room, which has no
   * other block that day; Monday's BPF summit starts at 06:40, before the
   * others, in a room of its own). The shipped program has no defect. */
  {
    guint64 total = 1;
    g_autoptr (GPtrArray) defects = lpc_program_index_find_defects (index, 10, &total);

    g_assert_cmpuint (defects->len, ==, 0);
    g_assert_cmpuint (total, ==, 0);
  }
  days = lpc_program_index_get_days (index, &n_days);
  g_assert_cmpuint (n_days, ==, 5);
  g_assert_cmpuint (g_date_get_weekday (&days[0].date), ==, G_DATE_MONDAY);
  g_assert_cmpuint (g_date_get_day (&days[0].date), ==, 20);
  /* Monday: 06:40 (the BPF summit) to 12:00 (the end of the keynote). */
  g_assert_cmpint (days[0].start, ==, T0 - 20 * 60);
  g_assert_cmpint (days[0].end, ==, T0 + 5 * 3600);
  lpc_program_unref (program);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conflicts/rules/pairs", test_pair_rules);
  g_test_add_func ("/conflicts/rules/soft", test_soft_rules);
  g_test_add_func ("/conflicts/interval-index", test_interval_index);
  g_test_add_func ("/conflicts/overlap/touching", test_touching_is_no_overlap);
  g_test_add_func ("/conflicts/overlap/pair", test_overlap_pair);
  g_test_add_func ("/conflicts/overlap/nested-same-room", test_nested_same_room);
  g_test_add_func ("/conflicts/overlap/nested-other-room", test_nested_other_room);
  g_test_add_func ("/conflicts/overlap/same-room-talks", test_same_room_talks);
  g_test_add_func ("/conflicts/overlap/zero-length", test_zero_length);
  g_test_add_func ("/conflicts/overlap/windows", test_overlap_windows);
  g_test_add_func ("/conflicts/overlap/block-talk-other-room", test_block_with_talk_and_other_room);
  g_test_add_func ("/conflicts/overlap/one-room-members", test_window_members_one_room);
  g_test_add_func ("/conflicts/room-change/basic", test_room_change);
  g_test_add_func ("/conflicts/room-change/groups", test_room_change_touching_and_groups);
  g_test_add_func ("/conflicts/room-change/clusters", test_room_change_clusters);
  g_test_add_func ("/conflicts/room-change/many-rooms", test_room_change_many_rooms);
  g_test_add_func ("/conflicts/states", test_skipped_and_cancelled_ignored);
  g_test_add_func ("/conflicts/accepted/pair", test_accepted_overlap);
  g_test_add_func ("/conflicts/accepted/every-pair", test_accepted_needs_every_pair);
  g_test_add_func ("/conflicts/alternatives/order", test_alternatives);
  g_test_add_func ("/conflicts/alternatives/rest-of-agenda", test_alternatives_respect_the_rest);
  g_test_add_func ("/conflicts/other-occurrences", test_other_occurrences);
  g_test_add_func ("/conflicts/program-defects", test_program_defects);
  g_test_add_func ("/conflicts/program-defects/crowded-room", test_program_defects_crowded_room);
  g_test_add_func ("/conflicts/program-defects/brute-force", test_program_defects_match_brute_force);
  g_test_add_func ("/conflicts/shipped/monday-overlap", test_shipped_monday_overlap);
  g_test_add_func ("/conflicts/shipped/speculative-page-faults",
                   test_shipped_speculative_page_faults);
  g_test_add_func ("/conflicts/shipped/check", test_shipped_check);
  return g_test_run ();
}
