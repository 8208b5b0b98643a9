/* test-resolver.c: the resolver's rules, tie-breaks, moves and soft plans,
 * its plans checked by the conflict finder, its optimality cross-checked
 * against brute force on random agendas, and the shipped program. */
#include "conflicts.h"
#include "program-lpc-text.h"
#include "resolver.h"

#include <string.h>

/* 2021-09-20 07:00 in Los Angeles (UTC-7). */
#define T0 G_GINT64_CONSTANT (1632146400)
#define AT(m) (T0 + (gint64) (m) *60)

static LpcEntry *
add_entry (LpcProgram *program, const char *id, LpcEntryKind kind, const char *room, int start_min,
           int end_min)
{
  LpcEntry *entry = lpc_entry_new ();

  entry->id = g_strdup (id);
  entry->kind = kind;
  entry->title = g_strdup (id);
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

static void
same_talk (LpcEntry *a, LpcEntry *b)
{
  g_free (a->occurrence_group);
  g_free (b->occurrence_group);
  a->occurrence_group = g_strdup (a->id);
  b->occurrence_group = g_strdup (a->id);
}

typedef struct
{
  LpcProgram *program;
  LpcProgramIndex *index;
  GArray *items; /* LpcPlanItem */
  LpcConflictSettings settings;
  LpcPlan *plan;
} Fixture;

static void
fixture_init (Fixture *fixture)
{
  fixture->program = lpc_program_new ("Test", "America/Los_Angeles");
  fixture->index = NULL;
  fixture->items = g_array_new (FALSE, TRUE, sizeof (LpcPlanItem));
  lpc_conflict_settings_init (&fixture->settings);
  fixture->plan = NULL;
}

static void
fixture_clear (Fixture *fixture)
{
  lpc_plan_free (fixture->plan);
  lpc_program_index_free (fixture->index);
  g_array_unref (fixture->items);
  lpc_program_unref (fixture->program);
}

static void
pick_full (Fixture *fixture, const char *id, guint priority, gint64 added_at, LpcItemState state)
{
  LpcPlanItem item = { 0 };

  item.entry = lpc_program_lookup (fixture->program, id);
  g_assert_nonnull (item.entry);
  item.priority = priority;
  item.added_at = added_at;
  item.state = state;
  g_array_append_val (fixture->items, item);
}

static void
pick (Fixture *fixture, const char *id, guint priority)
{
  pick_full (fixture, id, priority, T0 - 86400 + fixture->items->len, LPC_ITEM_PLANNED);
}

static LpcPlanItem *
items_of (Fixture *fixture)
{
  return (LpcPlanItem *) (gpointer) fixture->items->data;
}

/* The plan carried out on a copy of the items: skipped ones skipped, moved
 * ones at their new place, soft pairs accepted. */
typedef struct
{
  LpcPlanItem *items;
  GPtrArray *accepted; /* per item: GPtrArray of ids (NULL-terminated) */
  guint n;
} Applied;

static void
applied_clear (Applied *applied)
{
  g_free (applied->items);
  g_ptr_array_unref (applied->accepted);
}

static void
apply_plan (const LpcPlan *plan, const LpcPlanItem *items, guint n_items, Applied *applied)
{
  applied->items = g_memdup2 (items, MAX (n_items, 1) * sizeof (LpcPlanItem));
  applied->n = n_items;
  applied->accepted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (applied->accepted, g_ptr_array_new ());
  for (guint s = 0; s < plan->steps->len; s++)
    {
      const LpcPlanStep *step = plan->steps->pdata[s];
      LpcPlanItem *item = &applied->items[step->item];

      if (step->action == LPC_PLAN_SKIP)
        item->state = LPC_ITEM_SKIPPED;
      else
        item->entry = step->entry;
    }
  for (guint p = 0; p < plan->soft_pairs->len; p++)
    {
      const LpcSoftPair *pair = &g_array_index (plan->soft_pairs, LpcSoftPair, p);
      g_ptr_array_add (applied->accepted->pdata[pair->first],
                       applied->items[pair->second].entry->id);
    }
  for (guint i = 0; i < n_items; i++)
    {
      GPtrArray *with = applied->accepted->pdata[i];
      g_ptr_array_add (with, NULL);
      applied->items[i].accepted_with = (const char *const *) with->pdata;
    }
}

/* The plan is conflict-free for the conflict finder once applied, keeps
 * every item (as keep, move or skip), and its score is what its steps add
 * up to. */
static void
check_plan (LpcProgramIndex *index, const LpcPlan *plan, const LpcPlanItem *items, guint n_items,
            const LpcConflictSettings *settings)
{
  Applied applied;
  g_autoptr (LpcConflictReport) report = NULL;
  LpcPlanScore score = { { 0 } };
  guint n_active = 0;

  for (guint i = 0; i < n_items; i++)
    n_active += lpc_plan_item_is_active (&items[i]);
  g_assert_cmpuint (plan->steps->len, ==, n_active);
  g_assert_cmpuint (plan->n_keep + plan->n_move + plan->n_skip, ==, n_active);
  for (guint s = 0; s < plan->steps->len; s++)
    {
      const LpcPlanStep *step = plan->steps->pdata[s];
      if (step->action != LPC_PLAN_SKIP)
        lpc_plan_score_add_item (&score, &items[step->item], step->entry);
      if (step->action == LPC_PLAN_KEEP)
        g_assert_true (step->entry == items[step->item].entry);
      else
        g_assert_nonnull (step->reason);
    }
  for (guint p = 0; p < plan->soft_pairs->len; p++)
    lpc_plan_score_add_soft_pair (&score);
  g_assert_cmpint (lpc_plan_score_compare (&score, &plan->score), ==, 0);

  apply_plan (plan, items, n_items, &applied);
  report = lpc_conflicts_find (index, applied.items, applied.n, settings);
  if (report->n_unaccepted != 0)
    {
      for (guint r = 0; r < report->conflicts->len; r++)
        {
          const LpcConflict *conflict = report->conflicts->pdata[r];
          g_test_message ("%s %s accepted=%d", lpc_conflict_kind_to_string (conflict->kind),
                          ((const LpcEntry *) conflict->entries->pdata[0])->id, conflict->accepted);
        }
    }
  g_assert_cmpuint (report->n_unaccepted, ==, 0);
  applied_clear (&applied);
}

static LpcPlan *
resolve (Fixture *fixture)
{
  if (fixture->index == NULL)
    fixture->index = lpc_program_index_new (fixture->program);
  lpc_plan_free (fixture->plan);
  fixture->plan
      = lpc_resolve (fixture->index, items_of (fixture), fixture->items->len, &fixture->settings);
  check_plan (fixture->index, fixture->plan, items_of (fixture), fixture->items->len,
              &fixture->settings);
  g_assert_true (fixture->plan->optimal);
  return fixture->plan;
}

static LpcPlanStep *
step_of (Fixture *fixture, const char *id)
{
  for (guint s = 0; s < fixture->plan->steps->len; s++)
    {
      LpcPlanStep *step = fixture->plan->steps->pdata[s];
      if (strcmp (items_of (fixture)[step->item].entry->id, id) == 0)
        return step;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
assert_action (Fixture *fixture, const char *id, LpcPlanAction action)
{
  g_assert_cmpstr (lpc_plan_action_to_string (step_of (fixture, id)->action), ==,
                   lpc_plan_action_to_string (action));
}

/* ---- rules ---- */

static void
test_higher_priority_wins (void)
{
  Fixture f;

  fixture_init (&f);
  add_talk (f.program, "low", "X", 0, 40);
  add_talk (f.program, "high", "Y", 20, 60);
  add_talk (f.program, "free", "Z", 100, 120);
  pick (&f, "low", 2);
  pick (&f, "high", 5);
  pick (&f, "free", 1);
  resolve (&f);
  assert_action (&f, "high", LPC_PLAN_KEEP);
  assert_action (&f, "free", LPC_PLAN_KEEP);
  assert_action (&f, "low", LPC_PLAN_SKIP);
  g_assert_cmpstr (step_of (&f, "low")->reason, ==, "overlaps 'high' (priority 5) by 20 min");
  g_assert_null (step_of (&f, "high")->reason);
  g_assert_cmpuint (f.plan->total_priority, ==, 6);
  g_assert_cmpuint (f.plan->n_skip, ==, 1);
  fixture_clear (&f);
}

static void
test_tie_breaks (void)
{
  Fixture f;

  /* Equal priorities: the earlier added wins. */
  fixture_init (&f);
  add_talk (f.program, "a", "X", 0, 40);
  add_talk (f.program, "b", "Y", 10, 50);
  pick_full (&f, "a", 3, 200, LPC_ITEM_PLANNED);
  pick_full (&f, "b", 3, 100, LPC_ITEM_PLANNED);
  resolve (&f);
  assert_action (&f, "b", LPC_PLAN_KEEP);
  assert_action (&f, "a", LPC_PLAN_SKIP);

  /* Added at once too: the earlier start wins. */
  g_array_index (f.items, LpcPlanItem, 0).added_at = 100;
  resolve (&f);
  assert_action (&f, "a", LPC_PLAN_KEEP);
  assert_action (&f, "b", LPC_PLAN_SKIP);
  fixture_clear (&f);

  /* Equal totals: the plan with the higher priority wins (one 4 over two
   * 2s). */
  fixture_init (&f);
  add_talk (f.program, "four", "X", 0, 60);
  add_talk (f.program, "two-a", "Y", 0, 30);
  add_talk (f.program, "two-b", "Y", 30, 60);
  pick (&f, "two-a", 2);
  pick (&f, "two-b", 2);
  pick (&f, "four", 4);
  resolve (&f);
  assert_action (&f, "four", LPC_PLAN_KEEP);
  assert_action (&f, "two-a", LPC_PLAN_SKIP);
  assert_action (&f, "two-b", LPC_PLAN_SKIP);
  g_assert_cmpuint (f.plan->total_priority, ==, 4);

  fixture_clear (&f);
}

static void
test_nested_blocks (void)
{
  Fixture f;

  fixture_init (&f);
  add_block (f.program, "block", "X", 0, 240);
  add_talk (f.program, "in-1", "X", 0, 40);
  add_talk (f.program, "in-2", "X", 60, 100);
  add_talk (f.program, "other", "Y", 70, 90);
  add_talk (f.program, "after", "Y", 240, 280);
  pick (&f, "block", 1);
  pick (&f, "in-1", 3);
  pick (&f, "in-2", 3);
  pick (&f, "other", 5);
  pick (&f, "after", 2);
  resolve (&f);
  /* "other" (5) clashes with the block and in-2; in-1 stays. */
  assert_action (&f, "other", LPC_PLAN_KEEP);
  assert_action (&f, "in-1", LPC_PLAN_KEEP);
  assert_action (&f, "in-2", LPC_PLAN_SKIP);
  assert_action (&f, "block", LPC_PLAN_SKIP);
  assert_action (&f, "after", LPC_PLAN_KEEP);
  g_assert_cmpuint (f.plan->total_priority, ==, 10);

  /* Without "other", the block holds both talks. */
  g_array_index (f.items, LpcPlanItem, 3).state = LPC_ITEM_SKIPPED;
  resolve (&f);
  assert_action (&f, "block", LPC_PLAN_KEEP);
  assert_action (&f, "in-1", LPC_PLAN_KEEP);
  assert_action (&f, "in-2", LPC_PLAN_KEEP);
  g_assert_cmpuint (f.plan->steps->len, ==, 4);
  fixture_clear (&f);
}

static void
test_travel_time (void)
{
  Fixture f;

  fixture_init (&f);
  add_talk (f.program, "a", "X", 0, 30);
  add_talk (f.program, "b", "Y", 35, 60);
  add_talk (f.program, "c", "X", 30, 60);
  pick (&f, "a", 4);
  pick (&f, "b", 3);
  f.settings.soft_overlap_minutes = 0;
  resolve (&f);
  g_assert_cmpuint (f.plan->n_skip, ==, 0);

  f.settings.travel_minutes = 10;
  resolve (&f);
  assert_action (&f, "a", LPC_PLAN_KEEP);
  assert_action (&f, "b", LPC_PLAN_SKIP);
  g_assert_cmpstr (step_of (&f, "b")->reason, ==,
                   "starts 5 min after 'a' (priority 4) ends in X; the travel time is 10 min");

  /* The same room needs no travel time. */
  pick (&f, "c", 3);
  g_array_index (f.items, LpcPlanItem, 1).state = LPC_ITEM_SKIPPED;
  resolve (&f);
  g_assert_cmpuint (f.plan->n_skip, ==, 0);
  fixture_clear (&f);
}

static void
test_soft_plan (void)
{
  Fixture f;
  LpcSoftPair *pair;

  fixture_init (&f);
  add_talk (f.program, "a", "X", 0, 60);
  add_talk (f.program, "b", "Y", 55, 120);
  pick (&f, "a", 3);
  pick (&f, "b", 3);
  resolve (&f);
  /* Both kept, 5 minutes split: the first leaves 3 early, the second joins
   * 2 late. */
  assert_action (&f, "a", LPC_PLAN_KEEP);
  assert_action (&f, "b", LPC_PLAN_KEEP);
  g_assert_cmpuint (f.plan->soft_pairs->len, ==, 1);
  pair = &g_array_index (f.plan->soft_pairs, LpcSoftPair, 0);
  g_assert_cmpuint (pair->first, ==, 0);
  g_assert_cmpuint (pair->second, ==, 1);
  g_assert_cmpuint (pair->minutes, ==, 5);
  g_assert_cmpstr (step_of (&f, "a")->note, ==, "leave 3 min early for 'b'");
  g_assert_cmpstr (step_of (&f, "b")->note, ==, "join 2 min late, after 'a'");
  g_assert_cmpuint (step_of (&f, "a")->leave_early_minutes, ==, 3);
  g_assert_cmpuint (step_of (&f, "b")->join_late_minutes, ==, 2);

  /* The lower priority takes it all. */
  g_array_index (f.items, LpcPlanItem, 1).priority = 5;
  resolve (&f);
  g_assert_cmpstr (step_of (&f, "a")->note, ==, "leave 5 min early for 'b'");
  g_assert_null (step_of (&f, "b")->note);

  /* Soft plans off: one goes. */
  f.settings.soft_overlap_minutes = 0;
  resolve (&f);
  g_assert_cmpuint (f.plan->n_skip, ==, 1);
  g_assert_cmpuint (f.plan->soft_pairs->len, ==, 0);
  assert_action (&f, "a", LPC_PLAN_SKIP);
  fixture_clear (&f);
}

static void
test_soft_prefers_hard (void)
{
  Fixture f;

  /* Keeping both with a short overlap and moving one to its other
   * occurrence score the same up to "fewer soft pairs", which comes before
   * "fewer moves": the move wins. */
  fixture_init (&f);
  add_talk (f.program, "a", "X", 0, 60);
  same_talk (add_talk (f.program, "b", "Y", 55, 120),
             add_talk (f.program, "b-again", "Z", 1000, 1065));
  pick (&f, "a", 3);
  pick (&f, "b", 3);
  resolve (&f);
  assert_action (&f, "a", LPC_PLAN_KEEP);
  assert_action (&f, "b", LPC_PLAN_MOVE);
  g_assert_cmpuint (f.plan->soft_pairs->len, ==, 0);
  fixture_clear (&f);
}

static void
test_move_to_other_occurrence (void)
{
  Fixture f;
  LpcPlanStep *step;

  fixture_init (&f);
  same_talk (add_talk (f.program, "talk-wed", "X", 0, 40),
             add_talk (f.program, "talk-fri", "Z", 1000, 1040));
  g_free (((LpcEntry *) lpc_program_lookup (f.program, "talk-fri"))->track);
  ((LpcEntry *) lpc_program_lookup (f.program, "talk-fri"))->track = g_strdup ("Reprise");
  add_talk (f.program, "keynote", "Y", 0, 40);
  pick (&f, "talk-wed", 3);
  pick (&f, "keynote", 5);
  resolve (&f);
  step = step_of (&f, "talk-wed");
  assert_action (&f, "talk-wed", LPC_PLAN_MOVE);
  g_assert_cmpstr (step->entry->id, ==, "talk-fri");
  g_assert_cmpstr (step->reason, ==,
                   "overlaps 'keynote' (priority 5) by 40 min; moved to its other occurrence in "
                   "'Reprise'");
  assert_action (&f, "keynote", LPC_PLAN_KEEP);
  g_assert_cmpuint (f.plan->total_priority, ==, 8);
  g_assert_cmpuint (f.plan->n_move, ==, 1);

  /* An occurrence already on the agenda is no place to move to. */
  pick_full (&f, "talk-fri", 1, T0, LPC_ITEM_SKIPPED);
  resolve (&f);
  assert_action (&f, "talk-wed", LPC_PLAN_SKIP);
  fixture_clear (&f);
}

static void
test_move_the_lower (void)
{
  Fixture f;

  /* Both can move; one must: the lower priority does. */
  fixture_init (&f);
  same_talk (add_talk (f.program, "a", "X", 0, 40), add_talk (f.program, "a2", "X", 500, 540));
  same_talk (add_talk (f.program, "b", "Y", 0, 40), add_talk (f.program, "b2", "Y", 600, 640));
  pick (&f, "a", 4);
  pick (&f, "b", 3);
  resolve (&f);
  assert_action (&f, "a", LPC_PLAN_KEEP);
  assert_action (&f, "b", LPC_PLAN_MOVE);
  g_assert_cmpuint (f.plan->total_priority, ==, 7);
  fixture_clear (&f);
}

static void
test_move_search_budget (void)
{
  Fixture f;

  /* 30 rooms, 12 slots of 20 minutes, every talk picked and every one
   * held again at a random slot of a later day: hundreds of items that could
   * move, all clashing at once. However long the search would be, the plan
   * stays a plan: conflict-free, every item kept, moved or skipped. */
  fixture_init (&f);
  {
    GRand *rand = g_rand_new_with_seed (7);

    for (guint room = 0; room < 30; room++)
      for (guint slot = 0; slot < 12; slot++)
        {
          g_autofree char *id = g_strdup_printf ("t-%u-%u", room, slot);
          g_autofree char *again_id = g_strdup_printf ("t-%u-%u-again", room, slot);
          g_autofree char *room_name = g_strdup_printf ("R%u", room);
          g_autofree char *again_room = g_strdup_printf ("S%d", g_rand_int_range (rand, 0, 30));
          int again_slot = g_rand_int_range (rand, 0, 12);

          same_talk (add_talk (f.program, id, room_name, 20 * (int) slot, 20 * (int) slot + 20),
                     add_talk (f.program, again_id, again_room, 1440 + 20 * again_slot,
                               1440 + 20 * again_slot + 20));
          pick_full (&f, id, 1 + (room + slot) % 5, T0 - 100 + g_rand_int_range (rand, 0, 3),
                     LPC_ITEM_PLANNED);
        }
    g_rand_free (rand);
  }
  f.index = lpc_program_index_new (f.program);
  f.plan = lpc_resolve (f.index, items_of (&f), f.items->len, &f.settings);
  check_plan (f.index, f.plan, items_of (&f), f.items->len, &f.settings);
  g_test_message ("%u kept, %u moved, %u skipped, optimal: %s", f.plan->n_keep, f.plan->n_move,
                  f.plan->n_skip, f.plan->optimal ? "proven" : "not proven");
  /* At most one talk per slot of the first day and one per place of the
   * second can be attended: 12 slots + the places of the repeats. */
  g_assert_cmpuint (f.plan->n_keep, <=, 12);
  g_assert_cmpuint (f.plan->n_keep + f.plan->n_move, >=, 12);
  fixture_clear (&f);
}

static void
test_states_ignored (void)
{
  Fixture f;

  fixture_init (&f);
  add_talk (f.program, "a", "X", 0, 40);
  add_talk (f.program, "b", "Y", 0, 40);
  add_talk (f.program, "c", "Z", 0, 40);
  add_talk (f.program, "d", "W", 100, 140);
  pick (&f, "a", 3);
  pick_full (&f, "b", 5, T0, LPC_ITEM_SKIPPED);
  pick_full (&f, "c", 5, T0, LPC_ITEM_CANCELLED);
  pick_full (&f, "d", 2, T0, LPC_ITEM_MOVED);
  resolve (&f);
  g_assert_cmpuint (f.plan->steps->len, ==, 2);
  assert_action (&f, "a", LPC_PLAN_KEEP);
  assert_action (&f, "d", LPC_PLAN_KEEP);
  fixture_clear (&f);
}

static void
test_zero_length (void)
{
  Fixture f;

  fixture_init (&f);
  add_talk (f.program, "a", "X", 0, 60);
  add_talk (f.program, "instant", "Y", 30, 30);
  add_talk (f.program, "at-end", "Y", 60, 60);
  pick (&f, "a", 3);
  pick (&f, "instant", 3);
  pick (&f, "at-end", 1);
  resolve (&f);
  assert_action (&f, "a", LPC_PLAN_KEEP);
  assert_action (&f, "instant", LPC_PLAN_SKIP);
  assert_action (&f, "at-end", LPC_PLAN_KEEP);
  g_assert_cmpstr (step_of (&f, "instant")->reason, ==, "is at the same time as 'a' (priority 3)");
  fixture_clear (&f);
}

/* ---- brute force ---- */

typedef struct
{
  const LpcPlanItem *items;
  guint n;
  guint *active; /* item indices */
  guint n_active;
  GPtrArray **places; /* per active: const LpcEntry*, own first */
  const LpcConflictSettings *settings;
  const LpcEntry **chosen; /* per active, NULL = skipped */
  guint *max_rest;         /* per active position: the most priority still to come */
  LpcPlanScore best;
  gboolean have_best;
  guint64 visited;
} Brute;

static void
brute_search (Brute *brute, guint depth, gint64 priority)
{
  if (depth == brute->n_active)
    {
      LpcPlanScore score = { { 0 } };

      for (guint i = 0; i < brute->n_active; i++)
        {
          if (brute->chosen[i] == NULL)
            continue;
          lpc_plan_score_add_item (&score, &brute->items[brute->active[i]], brute->chosen[i]);
          for (guint j = i + 1; j < brute->n_active; j++)
            if (brute->chosen[j] != NULL
                && lpc_pair_clashes (brute->chosen[i], brute->chosen[j],
                                     brute->settings->travel_minutes))
              lpc_plan_score_add_soft_pair (&score);
        }
      brute->visited++;
      if (!brute->have_best || lpc_plan_score_compare (&score, &brute->best) > 0)
        {
          brute->best = score;
          brute->have_best = TRUE;
        }
      return;
    }
  /* No completion can reach the best total priority: the first key
   * decides, nothing else can make up for it. */
  if (brute->have_best && priority + brute->max_rest[depth] < brute->best.key[LPC_SCORE_PRIORITY])
    return;

  for (guint p = 0; p < brute->places[depth]->len; p++)
    {
      const LpcEntry *place = brute->places[depth]->pdata[p];
      gboolean fits = TRUE;

      for (guint j = 0; j < depth && fits; j++)
        if (brute->chosen[j] != NULL
            && lpc_pair_clashes (place, brute->chosen[j], brute->settings->travel_minutes)
            && !lpc_pair_is_soft (place, brute->chosen[j], brute->settings))
          fits = FALSE;
      if (!fits)
        continue;
      brute->chosen[depth] = place;
      brute_search (brute, depth + 1,
                    priority + CLAMP (brute->items[brute->active[depth]].priority, 1, 5));
    }
  brute->chosen[depth] = NULL;
  brute_search (brute, depth + 1, priority);
}

static LpcPlanScore
brute_force (LpcProgramIndex *index, const LpcPlanItem *items, guint n,
             const LpcConflictSettings *settings)
{
  Brute brute = { 0 };
  g_autoptr (GHashTable) on_agenda = g_hash_table_new (g_str_hash, g_str_equal);

  brute.items = items;
  brute.n = n;
  brute.settings = settings;
  brute.active = g_new (guint, MAX (n, 1));
  brute.places = g_new0 (GPtrArray *, MAX (n, 1));
  brute.chosen = g_new0 (const LpcEntry *, MAX (n, 1));
  brute.max_rest = g_new0 (guint, MAX (n, 1) + 1);
  for (guint i = 0; i < n; i++)
    g_hash_table_add (on_agenda, items[i].entry->id);
  for (guint i = 0; i < n; i++)
    if (lpc_plan_item_is_active (&items[i]))
      {
        GPtrArray *places = g_ptr_array_new ();
        g_autoptr (GPtrArray) others = lpc_program_index_dup_occurrences (index, items[i].entry);

        g_ptr_array_add (places, (gpointer) items[i].entry);
        for (guint k = 0; k < others->len; k++)
          if (!g_hash_table_contains (on_agenda, ((const LpcEntry *) others->pdata[k])->id))
            g_ptr_array_add (places, others->pdata[k]);
        brute.places[brute.n_active] = places;
        brute.active[brute.n_active++] = i;
      }
  for (gint d = (gint) brute.n_active - 1; d >= 0; d--)
    brute.max_rest[d] = brute.max_rest[d + 1] + CLAMP (items[brute.active[d]].priority, 1, 5);
  brute_search (&brute, 0, 0);
  for (guint i = 0; i < brute.n_active; i++)
    g_ptr_array_unref (brute.places[i]);
  g_free (brute.places);
  g_free (brute.active);
  g_free (brute.chosen);
  g_free (brute.max_rest);
  return brute.best;
}

static const char *const rooms[] = { "R0", "R1", "R2" };

/* A random agenda of at most 12 items: three rooms, blocks holding talks,
 * zero-length talks, repeated talks, many equal priorities and times. */
static void
random_agenda (GRand *rand, Fixture *f)
{
  guint n = (guint) g_rand_int_range (rand, 1, 13);
  /* Some agendas crowded into two hours, some spread over four. */
  int slots = g_rand_boolean (rand) ? 24 : 48;
  g_autoptr (GPtrArray) blocks = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      LpcEntry *entry;
      int start = 5 * g_rand_int_range (rand, 0, slots);
      int roll = g_rand_int_range (rand, 0, 100);
      LpcItemState state = LPC_ITEM_PLANNED;
      static const guint priorities[] = { 3, 3, 3, 1, 2, 4, 5, 5 };
      int state_roll;

      if (roll < 12)
        {
          entry = add_block (f->program, id, rooms[g_rand_int_range (rand, 0, 3)], start,
                             start + 5 * g_rand_int_range (rand, 6, 36));
          g_ptr_array_add (blocks, entry);
        }
      else if (roll < 18 && blocks->len > 0)
        {
          /* A block inside a block (or with the very same hours). */
          const LpcEntry *block = blocks->pdata[g_rand_int_range (rand, 0, (gint) blocks->len)];
          int block_start = (int) ((block->start - T0) / 60);
          int block_length = (int) ((block->end - block->start) / 60);
          int offset
              = g_rand_boolean (rand) ? 0 : 5 * g_rand_int_range (rand, 0, block_length / 5 + 1);
          int length = g_rand_boolean (rand)
                           ? block_length - offset
                           : MIN (5 * g_rand_int_range (rand, 0, 20), block_length - offset);
          entry = add_block (f->program, id, block->room, block_start + offset,
                             block_start + offset + length);
          g_ptr_array_add (blocks, entry);
        }
      else if (roll < 40 && blocks->len > 0)
        {
          /* Inside a block, in its room. */
          const LpcEntry *block = blocks->pdata[g_rand_int_range (rand, 0, (gint) blocks->len)];
          int block_start = (int) ((block->start - T0) / 60);
          int block_length = (int) ((block->end - block->start) / 60);
          int offset = 5 * g_rand_int_range (rand, 0, block_length / 5 + 1);
          int length = MIN (5 * g_rand_int_range (rand, 0, 10), block_length - offset);
          entry = add_talk (f->program, id, block->room, block_start + offset,
                            block_start + offset + length);
        }
      else
        {
          int length = g_rand_int_range (rand, 0, 10) == 0 ? 0 : 5 * g_rand_int_range (rand, 1, 14);
          entry = add_talk (f->program, id, rooms[g_rand_int_range (rand, 0, 3)], start,
                            start + length);
        }

      /* Other occurrences, off the agenda. */
      if (entry->kind == LPC_ENTRY_TALK && g_rand_int_range (rand, 0, 100) < 25)
        {
          guint n_others = (guint) g_rand_int_range (rand, 1, 3);
          entry->occurrence_group = g_strdup (entry->id);
          for (guint k = 0; k < n_others; k++)
            {
              g_autofree char *other_id = g_strdup_printf ("%s-again%u", id, k);
              int other_start = 5 * g_rand_int_range (rand, 0, 60);
              LpcEntry *other
                  = add_talk (f->program, other_id, rooms[g_rand_int_range (rand, 0, 3)],
                              other_start, other_start + (int) (entry->end - entry->start) / 60);
              other->occurrence_group = g_strdup (entry->id);
            }
        }

      state_roll = g_rand_int_range (rand, 0, 100);
      if (state_roll < 8)
        state = LPC_ITEM_SKIPPED;
      else if (state_roll < 12)
        state = LPC_ITEM_CANCELLED;
      else if (state_roll < 20)
        state = LPC_ITEM_MOVED;
      pick_full (f, id, priorities[g_rand_int_range (rand, 0, G_N_ELEMENTS (priorities))],
                 T0 - 100 + g_rand_int_range (rand, 0, 4), state);
    }
  {
    static const guint travels[] = { 0, 0, 5, 10 };
    static const guint softs[] = { 0, 10, 10, 5 };
    f->settings.travel_minutes = travels[g_rand_int_range (rand, 0, 4)];
    f->settings.soft_overlap_minutes = softs[g_rand_int_range (rand, 0, 4)];
  }
}

static void
test_brute_force (void)
{
  /* A fixed seed, so a failure can be replayed; LPC_TEST_SEED tries others. */
  const char *seed = g_getenv ("LPC_TEST_SEED");
  GRand *rand
      = g_rand_new_with_seed (seed != NULL ? (guint32) g_ascii_strtoull (seed, NULL, 10) : 2021);
  guint rounds = g_test_slow () ? 20000 : 3000;
  guint with_moves = 0, with_soft = 0, with_skips = 0;

  for (guint round = 0; round < rounds; round++)
    {
      Fixture f;
      LpcPlanScore best;

      fixture_init (&f);
      random_agenda (rand, &f);
      resolve (&f);
      best = brute_force (f.index, items_of (&f), f.items->len, &f.settings);
      if (lpc_plan_score_compare (&best, &f.plan->score) != 0)
        {
          for (guint i = 0; i < f.items->len; i++)
            {
              const LpcPlanItem *item = &items_of (&f)[i];
              g_test_message (
                  "%s %s %s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " p%u a%" G_GINT64_FORMAT " %s",
                  item->entry->id, lpc_entry_kind_to_string (item->entry->kind), item->entry->room,
                  (item->entry->start - T0) / 60, (item->entry->end - T0) / 60, item->priority,
                  item->added_at - T0, lpc_item_state_to_string (item->state));
            }
          g_test_message ("round %u travel %u soft %u: plan %" G_GINT64_FORMAT
                          " brute %" G_GINT64_FORMAT,
                          round, f.settings.travel_minutes, f.settings.soft_overlap_minutes,
                          f.plan->score.key[LPC_SCORE_PRIORITY], best.key[LPC_SCORE_PRIORITY]);
          for (guint k = 0; k < LPC_SCORE_N_KEYS; k++)
            g_test_message ("key %u: plan %" G_GINT64_FORMAT " brute %" G_GINT64_FORMAT, k,
                            f.plan->score.key[k], best.key[k]);
        }
      /* The same best total priority, and the same plan value on every
       * tie-break key. */
      g_assert_cmpint (f.plan->score.key[LPC_SCORE_PRIORITY], ==, best.key[LPC_SCORE_PRIORITY]);
      g_assert_cmpint (lpc_plan_score_compare (&best, &f.plan->score), ==, 0);
      with_moves += f.plan->n_move > 0;
      with_soft += f.plan->soft_pairs->len > 0;
      with_skips += f.plan->n_skip > 0;
      fixture_clear (&f);
    }
  g_test_message ("%u agendas: %u with moves, %u with soft pairs, %u with skips", rounds,
                  with_moves, with_soft, with_skips);
  /* The random agendas do exercise every part of the method. */
  g_assert_cmpuint (with_moves, >, rounds / 50);
  g_assert_cmpuint (with_soft, >, rounds / 50);
  g_assert_cmpuint (with_skips, >, rounds / 4);
  g_rand_free (rand);
}

/* ---- the shipped program ---- */

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
test_shipped_speculative_page_faults (void)
{
  const char *path = g_getenv ("LPC_TEST_TIMETABLE");
  g_autoptr (GError) error = NULL;
  Fixture f;
  const LpcEntry *wed, *fri, *rival = NULL;
  LpcPlanStep *step;
  Applied applied;
  g_autoptr (LpcConflictReport) report = NULL;

  if (path == NULL)
    {
      g_test_skip ("LPC_TEST_TIMETABLE is not set");
      return;
    }
  fixture_init (&f);
  lpc_program_unref (f.program);
  f.program = lpc_program_load_lpc_text_file (path, NULL, &error);
  g_assert_no_error (error);

  wed = find_talk (f.program, "Speculative page faults", G_DATE_WEDNESDAY);
  fri = find_talk (f.program, "Speculative page faults", G_DATE_FRIDAY);
  g_assert_nonnull (wed);
  g_assert_nonnull (fri);
  /* A talk at the same time on Wednesday, in another room. */
  for (guint i = 0; i < f.program->entries->len && rival == NULL; i++)
    {
      const LpcEntry *entry = f.program->entries->pdata[i];
      if (entry->kind == LPC_ENTRY_TALK && entry->start < wed->end && wed->start < entry->end
          && strcmp (entry->room, wed->room) != 0)
        rival = entry;
    }
  g_assert_nonnull (rival);
  pick (&f, wed->id, 3);
  pick (&f, rival->id, 5);
  resolve (&f);
  step = step_of (&f, wed->id);
  g_assert_cmpint (step->action, ==, LPC_PLAN_MOVE);
  g_assert_cmpstr (step->entry->id, ==, fri->id);
  g_assert_nonnull (strstr (step->reason, "moved to its other occurrence"));
  assert_action (&f, rival->id, LPC_PLAN_KEEP);

  /* Applied: conflict-free, and no item lost. */
  apply_plan (f.plan, items_of (&f), f.items->len, &applied);
  report = lpc_conflicts_find (f.index, applied.items, applied.n, &f.settings);
  g_assert_cmpuint (report->conflicts->len, ==, 0);
  g_assert_cmpuint (applied.n, ==, 2);
  g_assert_true (applied.items[0].entry == fri);
  g_assert_true (lpc_plan_item_is_active (&applied.items[0]));
  g_assert_true (lpc_plan_item_is_active (&applied.items[1]));
  applied_clear (&applied);
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/resolver/priority", test_higher_priority_wins);
  g_test_add_func ("/resolver/tie-breaks", test_tie_breaks);
  g_test_add_func ("/resolver/nested-blocks", test_nested_blocks);
  g_test_add_func ("/resolver/travel-time", test_travel_time);
  g_test_add_func ("/resolver/soft/plan", test_soft_plan);
  g_test_add_func ("/resolver/soft/prefers-hard", test_soft_prefers_hard);
  g_test_add_func ("/resolver/move/other-occurrence", test_move_to_other_occurrence);
  g_test_add_func ("/resolver/move/the-lower", test_move_the_lower);
  g_test_add_func ("/resolver/move/search-budget", test_move_search_budget);
  g_test_add_func ("/resolver/states", test_states_ignored);
  g_test_add_func ("/resolver/zero-length", test_zero_length);
  g_test_add_func ("/resolver/brute-force", test_brute_force);
  g_test_add_func ("/resolver/shipped/speculative-page-faults",
                   test_shipped_speculative_page_faults);
  return g_test_run ();
}
