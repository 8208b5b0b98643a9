/* resolver.c: the best conflict-free plan — components, a dynamic programme
 * over time with nested blocks and soft neighbours, and a branch and bound
 * for items that may move to another occurrence. See resolver.h for what
 * "best" means and why the method is exact. */
#include "resolver.h"

#include <string.h>

/* ---- the objective ---- */

int
lpc_plan_score_compare (const LpcPlanScore *a, const LpcPlanScore *b)
{
  for (guint k = 0; k < LPC_SCORE_N_KEYS; k++)
    if (a->key[k] != b->key[k])
      return a->key[k] < b->key[k] ? -1 : 1;
  return 0;
}

static guint
clamp_priority (guint priority)
{
  return CLAMP (priority, 1, 5);
}

void
lpc_plan_score_add_item (LpcPlanScore *score, const LpcPlanItem *item, const LpcEntry *placed)
{
  guint priority = clamp_priority (item->priority);

  score->key[LPC_SCORE_PRIORITY] += priority;
  score->key[LPC_SCORE_KEPT_5 + (5 - priority)] += 1;
  score->key[LPC_SCORE_ADDED] -= item->added_at;
  score->key[LPC_SCORE_START] -= item->entry->start;
  if (strcmp (placed->id, item->entry->id) != 0)
    {
      score->key[LPC_SCORE_MOVES] -= 1;
      score->key[LPC_SCORE_MOVED_PRIORITY] -= priority;
      score->key[LPC_SCORE_MOVED_ADDED] += item->added_at;
      score->key[LPC_SCORE_MOVED_TARGET] -= placed->start;
    }
}

void
lpc_plan_score_add_soft_pair (LpcPlanScore *score)
{
  score->key[LPC_SCORE_SOFT] -= 1;
}

static void
score_add (LpcPlanScore *into, const LpcPlanScore *value)
{
  for (guint k = 0; k < LPC_SCORE_N_KEYS; k++)
    into->key[k] += value->key[k];
}

static const char *const action_names[] = { "keep", "move", "skip" };

const char *
lpc_plan_action_to_string (LpcPlanAction action)
{
  g_return_val_if_fail ((guint) action < G_N_ELEMENTS (action_names), "unknown");
  return action_names[action];
}

void
lpc_plan_step_free (LpcPlanStep *step)
{
  if (step == NULL)
    return;
  g_free (step->reason);
  g_free (step->note);
  g_free (step);
}

void
lpc_plan_free (LpcPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->steps);
  g_array_unref (plan->soft_pairs);
  g_free (plan);
}

/* ---- the solver's data ---- */

/* At most this many places per item (its own and other occurrences): the
 * branch and bound keeps an item's allowed places in a 32-bit mask. */
#define MAX_OPTIONS 32

/* One place an item may take. */
typedef struct
{
  LpcSlot slot;
  guint item;   /* solver item */
  guint option; /* 0 = the item's own entry */
  const LpcEntry *entry;
  LpcPlanScore value;
} Elem;

typedef struct
{
  guint input; /* index into the items given */
  guint first_elem;
  guint n_options;
} SolverItem;

typedef struct
{
  const LpcPlanItem *items;
  gint64 travel; /* seconds */
  gint64 soft;   /* seconds */
  SolverItem *sitems;
  guint n_sitems;
  Elem *elems;
  guint n_elems;
  guint n_rooms;
  /* Per room, the best chain value flushed so far in the current chain run
   * (valid where room_stamp == stamp, so no reset between runs). */
  LpcPlanScore *room_best;
  guint *room_arg;
  guint *room_stamp;
  guint stamp;
  guint64 work; /* of the branch and bound, see SEARCH_BUDGET */
  gboolean optimal;
} Solver;

/* ---- the dynamic programme over one set of elements ---- */

typedef struct
{
  guint *members; /* local indices, in time order */
  gboolean *soft; /* soft[i]: members[i - 1] and members[i] are a soft pair */
  guint n;
} Chain;

static void
chain_clear (Chain *chain)
{
  g_clear_pointer (&chain->members, g_free);
  g_clear_pointer (&chain->soft, g_free);
  chain->n = 0;
}

typedef struct
{
  Solver *solver;
  const guint *elems; /* local index -> element, in (start, end, element) order */
  LpcPlanScore *value; /* per local: the element's value, plus what it holds if a block */
  Chain *inner;        /* per local block: the best set it holds */
} Dp;

static const LpcSlot *
dp_slot (Dp *dp, guint local)
{
  return &dp->solver->elems[dp->elems[local]].slot;
}

typedef struct
{
  Dp *dp;
  const guint *list;
} ByEndContext;

/* Chain positions by (end, start, position): the order in which they become
 * possible predecessors. Among equal ends, the position order is the start
 * order, so a walk in this order never passes an element not yet computed
 * that an element computed later could need (see chain_run()). */
static int
compare_by_end (const void *pa, const void *pb, void *user_data)
{
  ByEndContext *context = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;
  const LpcSlot *sa = dp_slot (context->dp, context->list[a]);
  const LpcSlot *sb = dp_slot (context->dp, context->list[b]);

  if (sa->end != sb->end)
    return sa->end < sb->end ? -1 : 1;
  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  return (a > b) - (a < b);
}

/* The best chain over @list (local indices in start order): a sequence in
 * which each element follows its predecessor with the travel time its rooms
 * need (e_j + need <= s_k), or is its soft neighbour. In such a chain every
 * two elements are free of each other or a soft pair (conflicts.h), and
 * every such set of elements, in start order, is a chain: the programme over
 * chains is exact. f(k) = value(k) + max(0, best f(j) over possible
 * predecessors j). Predecessors in any room with e_j <= s_k - travel: a
 * prefix of the elements by end, so a prefix maximum and a binary search;
 * in k's own room with e_j <= s_k: a running maximum per room; soft ones:
 * the few elements ending within the soft window around s_k. */
static void
chain_run (Dp *dp, const guint *list, guint m, LpcPlanScore *out_best, Chain *out_chain)
{
  Solver *solver = dp->solver;
  g_autofree LpcPlanScore *f = g_new0 (LpcPlanScore, MAX (m, 1));
  g_autofree gint *pred = g_new (gint, MAX (m, 1));
  g_autofree gboolean *pred_soft = g_new0 (gboolean, MAX (m, 1));
  g_autofree guint *by_end = g_new (guint, MAX (m, 1));
  g_autofree gint64 *flushed_end = g_new (gint64, MAX (m, 1));
  g_autofree LpcPlanScore *flushed_best = g_new (LpcPlanScore, MAX (m, 1));
  g_autofree guint *flushed_arg = g_new (guint, MAX (m, 1));
  ByEndContext context = { dp, list };
  guint n_flushed = 0, walk = 0, stamp;
  gint best_k = -1;
  LpcPlanScore zero = { { 0 } };

  memset (out_chain, 0, sizeof (Chain));
  *out_best = zero;
  if (m == 0)
    return;

  for (guint i = 0; i < m; i++)
    by_end[i] = i;
  g_qsort_with_data (by_end, (gint) m, sizeof (guint), compare_by_end, &context);
  stamp = ++solver->stamp;

  for (guint k = 0; k < m; k++)
    {
      const LpcSlot *sk = dp_slot (dp, list[k]);
      LpcPlanScore best = zero;
      gint arg = -1;
      gboolean soft = FALSE;
      guint lo, hi;

      /* Elements that ended by s_k become possible predecessors. One not yet
       * computed (a zero-length element at s_k after k) stops the walk: all
       * that follow it by end are later than k too. */
      while (walk < m && dp_slot (dp, list[by_end[walk]])->end <= sk->start && by_end[walk] < k)
        {
          guint j = by_end[walk++];
          guint room = dp_slot (dp, list[j])->room;

          flushed_end[n_flushed] = dp_slot (dp, list[j])->end;
          if (n_flushed == 0 || lpc_plan_score_compare (&f[j], &flushed_best[n_flushed - 1]) > 0)
            {
              flushed_best[n_flushed] = f[j];
              flushed_arg[n_flushed] = j;
            }
          else
            {
              flushed_best[n_flushed] = flushed_best[n_flushed - 1];
              flushed_arg[n_flushed] = flushed_arg[n_flushed - 1];
            }
          n_flushed++;
          if (solver->room_stamp[room] != stamp
              || lpc_plan_score_compare (&f[j], &solver->room_best[room]) > 0)
            {
              solver->room_stamp[room] = stamp;
              solver->room_best[room] = f[j];
              solver->room_arg[room] = j;
            }
        }

      /* Any room, with the travel time. */
      lo = 0;
      hi = n_flushed;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (flushed_end[mid] <= sk->start - solver->travel)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo > 0 && lpc_plan_score_compare (&flushed_best[lo - 1], &best) > 0)
        {
          best = flushed_best[lo - 1];
          arg = (gint) flushed_arg[lo - 1];
        }
      /* The same room: no travel. */
      if (solver->room_stamp[sk->room] == stamp
          && lpc_plan_score_compare (&solver->room_best[sk->room], &best) > 0)
        {
          best = solver->room_best[sk->room];
          arg = (gint) solver->room_arg[sk->room];
        }
      /* A soft neighbour ends in (s_k - travel, s_k + soft]. Only items long
       * enough can be soft at all (lpc_slot_is_soft()): a crowded agenda of
       * short talks skips the scan. */
      if (solver->soft > 0 && !sk->session
          && sk->end - sk->start >= 2 * solver->soft + solver->travel)
        {
          lo = 0;
          hi = m;
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;
              if (dp_slot (dp, list[by_end[mid]])->end <= sk->start - solver->travel)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (guint w = lo;
               w < m && dp_slot (dp, list[by_end[w]])->end <= sk->start + solver->soft; w++)
            {
              guint j = by_end[w];
              LpcPlanScore candidate;

              if (j >= k
                  || !lpc_slot_is_soft (dp_slot (dp, list[j]), sk, solver->travel, solver->soft))
                continue;
              candidate = f[j];
              lpc_plan_score_add_soft_pair (&candidate);
              if (lpc_plan_score_compare (&candidate, &best) > 0)
                {
                  best = candidate;
                  arg = (gint) j;
                  soft = TRUE;
                }
            }
        }

      f[k] = dp->value[list[k]];
      score_add (&f[k], &best);
      pred[k] = arg;
      pred_soft[k] = soft;
      if (best_k < 0 || lpc_plan_score_compare (&f[k], &f[best_k]) > 0)
        best_k = (gint) k;
    }

  *out_best = f[best_k];
  {
    guint n = 0;

    for (gint k = best_k; k >= 0; k = pred[k])
      n++;
    out_chain->n = n;
    out_chain->members = g_new (guint, n);
    out_chain->soft = g_new0 (gboolean, n);
    for (gint k = best_k; k >= 0; k = pred[k])
      {
        n--;
        out_chain->members[n] = list[k];
        /* The edge from the predecessor into k is stored on k. */
        out_chain->soft[n] = pred_soft[k];
      }
  }
}

typedef struct
{
  LpcPlanScore score;
  GArray *chosen;     /* element indices */
  GArray *soft_pairs; /* element indices, two per pair */
} DpResult;

static void
dp_result_clear (DpResult *result)
{
  g_clear_pointer (&result->chosen, g_array_unref);
  g_clear_pointer (&result->soft_pairs, g_array_unref);
}

static int
compare_by_room (const void *pa, const void *pb, void *user_data)
{
  Dp *dp = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;
  guint ra = dp_slot (dp, a)->room, rb = dp_slot (dp, b)->room;

  if (ra != rb)
    return ra < rb ? -1 : 1;
  return (a > b) - (a < b);
}

static int
compare_blocks (const void *pa, const void *pb, void *user_data)
{
  Dp *dp = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;
  gint64 la = dp_slot (dp, a)->end - dp_slot (dp, a)->start;
  gint64 lb = dp_slot (dp, b)->end - dp_slot (dp, b)->start;

  if (la != lb)
    return la < lb ? -1 : 1;
  /* Blocks with the same hours in the same room: the later one is held by
   * the earlier one, so it is solved first. */
  return (a < b) - (a > b);
}

/* Whether block @k holds @x for the programme: same room, within its hours,
 * not a zero-length element at its very start or end (those come before or
 * after it in a chain instead: counting them in both would count them
 * twice), and, for a block with the very same hours, a later one. */
static gboolean
dp_holds (Dp *dp, guint k, guint x)
{
  const LpcSlot *sk = dp_slot (dp, k), *sx = dp_slot (dp, x);

  if (x == k || sx->room != sk->room || sx->start < sk->start || sx->end > sk->end)
    return FALSE;
  if (sx->start == sx->end && (sx->start == sk->start || sx->start == sk->end))
    return FALSE;
  if (sx->session && sx->start == sk->start && sx->end == sk->end)
    return x > k;
  return TRUE;
}

static void
dp_expand (Dp *dp, const Chain *chain, DpResult *result)
{
  for (guint i = 0; i < chain->n; i++)
    {
      guint local = chain->members[i];

      g_array_append_val (result->chosen, dp->elems[local]);
      if (i > 0 && chain->soft[i])
        {
          g_array_append_val (result->soft_pairs, dp->elems[chain->members[i - 1]]);
          g_array_append_val (result->soft_pairs, dp->elems[local]);
        }
      if (dp->inner[local].n > 0)
        dp_expand (dp, &dp->inner[local], result);
    }
}

/* The best set of the elements @elems (in start order): each block first
 * gets the best set it holds (smallest blocks first, so that a block inside
 * a block is solved before it), then one chain over everything. A set is
 * compatible exactly when its outermost elements form a chain and each block
 * in it holds a compatible set: anything a block holds is as free of the
 * block's neighbours as the block is. */
static void
dp_solve (Solver *solver, const guint *elems, guint n, DpResult *out)
{
  Dp dp = { solver, elems, NULL, NULL };
  g_autofree guint *by_room = g_new (guint, MAX (n, 1));
  g_autofree guint *blocks = g_new (guint, MAX (n, 1));
  g_autofree guint *room_first = g_new (guint, MAX (n, 1)); /* per local: its room run start */
  g_autofree guint *room_last = g_new (guint, MAX (n, 1));
  g_autofree guint *all = g_new (guint, MAX (n, 1));
  g_autofree guint *held = g_new (guint, MAX (n, 1));
  guint n_blocks = 0;
  Chain top;

  dp.value = g_new (LpcPlanScore, MAX (n, 1));
  dp.inner = g_new0 (Chain, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      dp.value[i] = solver->elems[elems[i]].value;
      by_room[i] = i;
      all[i] = i;
      if (dp_slot (&dp, i)->session)
        blocks[n_blocks++] = i;
    }
  g_qsort_with_data (by_room, (gint) n, sizeof (guint), compare_by_room, &dp);
  for (guint i = 0; i < n;)
    {
      guint j = i;
      while (j < n && dp_slot (&dp, by_room[j])->room == dp_slot (&dp, by_room[i])->room)
        j++;
      for (guint k = i; k < j; k++)
        {
          room_first[by_room[k]] = i;
          room_last[by_room[k]] = j;
        }
      i = j;
    }
  g_qsort_with_data (blocks, (gint) n_blocks, sizeof (guint), compare_blocks, &dp);

  for (guint b = 0; b < n_blocks; b++)
    {
      guint k = blocks[b], lo = room_first[k], hi = room_last[k], n_held = 0;
      const LpcSlot *sk = dp_slot (&dp, k);
      LpcPlanScore inner_best;

      /* The room's elements are in start order: find the first starting at
       * or after the block. */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (dp_slot (&dp, by_room[mid])->start < sk->start)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (guint i = lo; i < room_last[k] && dp_slot (&dp, by_room[i])->start <= sk->end; i++)
        if (dp_holds (&dp, k, by_room[i]))
          held[n_held++] = by_room[i];
      if (n_held == 0)
        continue;
      chain_run (&dp, held, n_held, &inner_best, &dp.inner[k]);
      score_add (&dp.value[k], &inner_best);
    }

  chain_run (&dp, all, n, &out->score, &top);
  out->chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  out->soft_pairs = g_array_new (FALSE, FALSE, sizeof (guint));
  dp_expand (&dp, &top, out);

  chain_clear (&top);
  for (guint i = 0; i < n; i++)
    chain_clear (&dp.inner[i]);
  g_free (dp.inner);
  g_free (dp.value);
}

/* ---- components and the branch and bound ---- */

static int
compare_elems (const void *pa, const void *pb, void *user_data)
{
  const Elem *elems = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;

  if (elems[a].slot.start != elems[b].slot.start)
    return elems[a].slot.start < elems[b].slot.start ? -1 : 1;
  if (elems[a].slot.end != elems[b].slot.end)
    return elems[a].slot.end < elems[b].slot.end ? -1 : 1;
  return (a > b) - (a < b);
}

/* Work the branch and bound may do in one resolve, counted in elements
 * handed to the programme: plenty for any agenda a person keeps (a
 * component of 50 places gets 8,000 branches), and a bound on the time a
 * pathological one takes (hundreds of items that could move, all clashing
 * at once: about 60 ms of search at 10,000 picks, on top of the first plan,
 * which is always found). */
#define SEARCH_BUDGET 400000

static guint
component_subset (const Solver *solver, const guint *comp_elems, guint n_elems,
                  const guint *local_item, const guint32 *allowed, guint *subset)
{
  guint n_subset = 0;

  for (guint i = 0; i < n_elems; i++)
    {
      const Elem *elem = &solver->elems[comp_elems[i]];
      if (allowed[local_item[elem->item]] & (1u << elem->option))
        subset[n_subset++] = comp_elems[i];
    }
  return n_subset;
}

/* Counts, per component item, the places @result uses; returns the first
 * item it places twice, or G_MAXUINT. */
static guint
count_uses (const Solver *solver, const DpResult *result, const guint *local_item, guint n_items,
            guint *uses, guint32 *used_mask)
{
  memset (uses, 0, n_items * sizeof (guint));
  memset (used_mask, 0, n_items * sizeof (guint32));
  for (guint i = 0; i < result->chosen->len; i++)
    {
      const Elem *elem = &solver->elems[g_array_index (result->chosen, guint, i)];
      guint li = local_item[elem->item];
      uses[li]++;
      used_mask[li] |= 1u << elem->option;
    }
  for (guint i = 0; i < n_items; i++)
    if (uses[i] >= 2)
      return i;
  return G_MAXUINT;
}

/* The best plan of one component whose items may move: branch and bound
 * over the programme that lets an item take several places at once. Its
 * value bounds every plan of a branch; when it places no item twice it is a
 * plan. Otherwise the first item it places twice, at places U, is branched
 * on: at each place of U alone, or at none of U. The branches cover every
 * plan and each strictly narrows the item's places, so the search ends.
 * First, a plan at once to bound the search: every item placed twice is
 * held to one of its places (its own if it used it), until none is. */
static void
solve_with_moves (Solver *solver, const guint *comp_elems, guint n_elems, const guint *comp_items,
                  guint n_items, DpResult *out)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *local_item = g_new (guint, solver->n_sitems);
  g_autofree guint *subset = g_new (guint, MAX (n_elems, 1));
  g_autofree guint *uses = g_new (guint, MAX (n_items, 1));
  g_autofree guint32 *used_mask = g_new (guint32, MAX (n_items, 1));
  g_autofree guint32 *fixed = g_new (guint32, MAX (n_items, 1));
  guint32 *root = g_new (guint32, MAX (n_items, 1));

  for (guint i = 0; i < n_items; i++)
    {
      guint n_options = solver->sitems[comp_items[i]].n_options;
      local_item[comp_items[i]] = i;
      root[i] = n_options >= 32 ? G_MAXUINT32 : (1u << n_options) - 1;
    }

  memcpy (fixed, root, n_items * sizeof (guint32));
  for (;;)
    {
      guint n_subset = component_subset (solver, comp_elems, n_elems, local_item, fixed, subset);

      dp_result_clear (out);
      dp_solve (solver, subset, n_subset, out);
      if (count_uses (solver, out, local_item, n_items, uses, used_mask) == G_MAXUINT)
        break;
      for (guint i = 0; i < n_items; i++)
        if (uses[i] >= 2)
          {
            /* Its lowest place used (its own, if used); an item held to one
             * place already cannot be placed twice but by a fault of the
             * programme: then it is dropped, so that this ends anyway. */
            guint32 lowest = used_mask[i] & (~used_mask[i] + 1);
            g_warn_if_fail (fixed[i] != lowest);
            fixed[i] = fixed[i] != lowest ? lowest : 0;
          }
    }

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      guint32 *allowed = g_ptr_array_steal_index (stack, stack->len - 1);
      guint n_subset, branch;
      DpResult result = { { { 0 } }, NULL, NULL };

      if (solver->work > SEARCH_BUDGET)
        {
          solver->optimal = FALSE;
          g_free (allowed);
          continue;
        }
      n_subset = component_subset (solver, comp_elems, n_elems, local_item, allowed, subset);
      solver->work += n_subset;
      dp_solve (solver, subset, n_subset, &result);
      if (lpc_plan_score_compare (&result.score, &out->score) <= 0)
        {
          dp_result_clear (&result);
          g_free (allowed);
          continue;
        }

      branch = count_uses (solver, &result, local_item, n_items, uses, used_mask);
      if (branch == G_MAXUINT)
        {
          dp_result_clear (out);
          *out = result;
          g_free (allowed);
          continue;
        }
      dp_result_clear (&result);

      /* Children, pushed so that they pop in this order: each used place
       * alone (own place first), then none of them. A place used twice
       * would be a fault of the programme; its child would be its parent
       * again, so it is not pushed, and the search still ends. */
      {
        guint32 *rest = g_memdup2 (allowed, n_items * sizeof (guint32));

        g_warn_if_fail ((used_mask[branch] & (used_mask[branch] - 1)) != 0);
        rest[branch] = allowed[branch] & ~used_mask[branch];
        g_ptr_array_add (stack, rest);
        for (gint bit = 31; bit >= 0; bit--)
          if ((used_mask[branch] & (1u << bit)) && allowed[branch] != (1u << bit))
            {
              guint32 *child = g_memdup2 (allowed, n_items * sizeof (guint32));
              child[branch] = 1u << bit;
              g_ptr_array_add (stack, child);
            }
      }
      g_free (allowed);
    }
}

/* ---- explaining the plan ---- */

static int
compare_entries_by_start (const LpcEntry *a, const LpcEntry *b)
{
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return strcmp (a->id, b->id);
}

typedef struct
{
  const LpcEntry *own;
  guint own_item; /* solver item, whose placement does not count */
  guint travel_minutes;
  GArray *hits; /* solver items clashing with own */
} ReasonSearch;

static gboolean
reason_cb (const LpcEntry *entry, guint tag, gpointer user_data)
{
  ReasonSearch *search = user_data;

  if (tag != search->own_item && lpc_pair_clashes (search->own, entry, search->travel_minutes))
    g_array_append_val (search->hits, tag);
  return TRUE;
}

typedef struct
{
  const Solver *solver;
  const LpcEntry *const *placed; /* per solver item, NULL when skipped */
  const LpcEntry *own;
} HitOrder;

static gint64
clash_overlap (const LpcEntry *a, const LpcEntry *b)
{
  return MIN (a->end, b->end) - MAX (a->start, b->start);
}

static int
compare_hits (const void *pa, const void *pb, void *user_data)
{
  HitOrder *order = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;
  guint pa_priority
      = clamp_priority (order->solver->items[order->solver->sitems[a].input].priority);
  guint pb_priority
      = clamp_priority (order->solver->items[order->solver->sitems[b].input].priority);
  gint64 oa = clash_overlap (order->own, order->placed[a]);
  gint64 ob = clash_overlap (order->own, order->placed[b]);

  if (pa_priority != pb_priority)
    return pa_priority > pb_priority ? -1 : 1;
  if (oa != ob)
    return oa > ob ? -1 : 1;
  return compare_entries_by_start (order->placed[a], order->placed[b]);
}

static char *
clash_phrase (const LpcEntry *own, const LpcEntry *other, guint other_priority,
              guint travel_minutes)
{
  if (lpc_pair_relation (own, other, travel_minutes) == LPC_PAIR_OVERLAP)
    {
      guint minutes = lpc_seconds_to_minutes_up (clash_overlap (own, other));

      if (minutes == 0)
        return g_strdup_printf ("is at the same time as '%s' (priority %u)", other->title,
                                other_priority);
      return g_strdup_printf ("overlaps '%s' (priority %u) by %u min", other->title, other_priority,
                              minutes);
    }
  if (own->end <= other->start)
    return g_strdup_printf ("leaves %u min to get to '%s' (priority %u) in %s; the travel "
                            "time is %u min",
                            (guint) ((other->start - own->end) / 60), other->title, other_priority,
                            other->room, travel_minutes);
  return g_strdup_printf ("starts %u min after '%s' (priority %u) ends in %s; the travel "
                          "time is %u min",
                          (guint) ((own->start - other->end) / 60), other->title, other_priority,
                          other->room, travel_minutes);
}

/* Why @sitem is not kept where it is: what it clashes with in the plan, the
 * highest priority first, then the longest overlap. */
static char *
explain (const Solver *solver, LpcIntervalIndex *plan_index, const LpcEntry *const *placed,
         guint sitem, guint travel_minutes)
{
  const LpcPlanItem *item = &solver->items[solver->sitems[sitem].input];
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  ReasonSearch search = { item->entry, sitem, travel_minutes, hits };
  HitOrder order = { solver, placed, item->entry };
  g_autofree char *phrase = NULL;
  guint first;

  lpc_interval_index_foreach (plan_index, item->entry->start, item->entry->end, solver->travel,
                              reason_cb, &search);
  if (hits->len == 0)
    return g_strdup ("has no place in a conflict-free plan");
  g_qsort_with_data (hits->data, (gint) hits->len, sizeof (guint), compare_hits, &order);
  first = g_array_index (hits, guint, 0);
  phrase = clash_phrase (item->entry, placed[first],
                         clamp_priority (solver->items[solver->sitems[first].input].priority),
                         travel_minutes);
  if (hits->len == 1)
    return g_steal_pointer (&phrase);
  return g_strdup_printf ("%s, and clashes with %u more", phrase, hits->len - 1);
}

static void
step_add_note (LpcPlanStep *step, const char *note)
{
  char *joined;

  if (step->note == NULL)
    {
      step->note = g_strdup (note);
      return;
    }
  joined = g_strdup_printf ("%s; %s", step->note, note);
  g_free (step->note);
  step->note = joined;
}

/* The time a soft pair is short of goes to the lower priority; with equal
 * priorities it is split, the first item leaving early by the larger half. */
static void
plan_soft_pair (LpcPlan *plan, const Solver *solver, const Elem *a, const Elem *b)
{
  const Elem *first = a, *second = b;
  LpcPlanStep *step_first, *step_second;
  guint prio_first, prio_second, minutes, early, late;
  LpcSoftPair pair;

  if (b->slot.start < a->slot.start)
    {
      first = b;
      second = a;
    }
  minutes = lpc_seconds_to_minutes_up (
      lpc_slot_shortfall (&first->slot, &second->slot, solver->travel));
  step_first = plan->steps->pdata[first->item];
  step_second = plan->steps->pdata[second->item];
  prio_first = clamp_priority (solver->items[step_first->item].priority);
  prio_second = clamp_priority (solver->items[step_second->item].priority);
  if (prio_first < prio_second)
    {
      early = minutes;
      late = 0;
    }
  else if (prio_second < prio_first)
    {
      early = 0;
      late = minutes;
    }
  else
    {
      early = (minutes + 1) / 2;
      late = minutes / 2;
    }
  if (early > 0)
    {
      g_autofree char *note
          = g_strdup_printf ("leave %u min early for '%s'", early, second->entry->title);
      step_first->leave_early_minutes += early;
      step_add_note (step_first, note);
    }
  if (late > 0)
    {
      g_autofree char *note
          = g_strdup_printf ("join %u min late, after '%s'", late, first->entry->title);
      step_second->join_late_minutes += late;
      step_add_note (step_second, note);
    }
  pair.first = step_first->item;
  pair.second = step_second->item;
  pair.minutes = minutes;
  g_array_append_val (plan->soft_pairs, pair);
}

static int
compare_soft_pairs (const void *pa, const void *pb, void *user_data)
{
  const LpcPlanItem *items = user_data;
  const LpcSoftPair *a = pa, *b = pb;

  /* By the items' own entries: the order a person sees them in the agenda. */
  return compare_entries_by_start (items[a->first].entry, items[b->first].entry);
}

LpcPlan *
lpc_resolve (LpcProgramIndex *index, const LpcPlanItem *items, guint n_items,
             const LpcConflictSettings *settings)
{
  LpcPlan *plan = g_new0 (LpcPlan, 1);
  Solver solver = { 0 };
  g_autoptr (GHashTable) on_agenda = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) rooms = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GArray) sitems = g_array_new (FALSE, FALSE, sizeof (SolverItem));
  g_autoptr (GArray) elems = g_array_new (FALSE, FALSE, sizeof (Elem));
  g_autoptr (GArray) soft_elems = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (LpcIntervalIndex) plan_index = NULL;
  g_autofree guint *order = NULL;
  g_autofree guint *parent = NULL;
  g_autofree guint *comp_elems = NULL;
  g_autofree guint *comp_items = NULL;
  g_autofree guint *done = NULL;
  g_autofree const LpcEntry **placed = NULL;
  g_autofree guint *placed_option = NULL;
  g_autofree guint *placed_tags = NULL;
  g_autofree const LpcEntry **placed_entries = NULL;
  guint n_placed = 0;

  plan->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_plan_step_free);
  plan->soft_pairs = g_array_new (FALSE, FALSE, sizeof (LpcSoftPair));
  plan->optimal = TRUE;

  solver.items = items;
  solver.travel = (gint64) settings->travel_minutes * 60;
  solver.soft = (gint64) settings->soft_overlap_minutes * 60;
  solver.optimal = TRUE;

  for (guint i = 0; i < n_items; i++)
    if (items[i].entry != NULL)
      g_hash_table_add (on_agenda, items[i].entry->id);

  /* Each active item's places: its own entry, then the other occurrences of
   * its talk that are not on the agenda already. */
  for (guint i = 0; i < n_items; i++)
    {
      SolverItem sitem = { i, elems->len, 0 };
      g_autoptr (GPtrArray) places = NULL;

      if (!lpc_plan_item_is_active (&items[i]))
        continue;
      places = lpc_program_index_dup_occurrences (index, items[i].entry);
      g_ptr_array_insert (places, 0, (gpointer) items[i].entry);
      for (guint k = 0; k < places->len && sitem.n_options < MAX_OPTIONS; k++)
        {
          const LpcEntry *entry = places->pdata[k];
          const char *room = entry->room != NULL ? entry->room : "";
          gpointer room_id;
          Elem elem = { { 0 } };

          if (k > 0 && g_hash_table_contains (on_agenda, entry->id))
            continue;
          if (!g_hash_table_lookup_extended (rooms, room, NULL, &room_id))
            {
              room_id = GUINT_TO_POINTER (g_hash_table_size (rooms));
              g_hash_table_insert (rooms, (gpointer) room, room_id);
            }
          elem.slot = (LpcSlot){ entry->start, entry->end, GPOINTER_TO_UINT (room_id),
                                 entry->kind == LPC_ENTRY_SESSION };
          elem.item = sitems->len;
          elem.option = sitem.n_options++;
          elem.entry = entry;
          lpc_plan_score_add_item (&elem.value, &items[i], entry);
          g_array_append_val (elems, elem);
        }
      g_array_append_val (sitems, sitem);
    }
  solver.sitems = (SolverItem *) (gpointer) sitems->data;
  solver.n_sitems = sitems->len;
  solver.elems = (Elem *) (gpointer) elems->data;
  solver.n_elems = elems->len;
  solver.n_rooms = g_hash_table_size (rooms);
  solver.room_best = g_new (LpcPlanScore, MAX (solver.n_rooms, 1));
  solver.room_arg = g_new (guint, MAX (solver.n_rooms, 1));
  solver.room_stamp = g_new0 (guint, MAX (solver.n_rooms, 1));

  /* Components: in start order, an element that starts before everything
   * so far has ended (plus the travel time) may interact with it; one that
   * starts after is free of all of it. Places of one item join their runs. */
  order = g_new (guint, MAX (solver.n_elems, 1));
  parent = g_new (guint, MAX (solver.n_sitems, 1));
  for (guint e = 0; e < solver.n_elems; e++)
    order[e] = e;
  for (guint s = 0; s < solver.n_sitems; s++)
    parent[s] = s;
  g_qsort_with_data (order, (gint) solver.n_elems, sizeof (guint), compare_elems, solver.elems);
  {
    gint64 run_end = G_MININT64;
    guint run_item = 0;

    for (guint e = 0; e < solver.n_elems; e++)
      {
        const Elem *elem = &solver.elems[order[e]];
        if (e > 0 && elem->slot.start < run_end)
          lpc_union_find_join (parent, run_item, elem->item);
        else
          {
            run_end = G_MININT64;
            run_item = elem->item;
          }
        run_end = MAX (run_end, elem->slot.end + solver.travel);
      }
  }

  placed = g_new0 (const LpcEntry *, MAX (solver.n_sitems, 1));
  placed_option = g_new0 (guint, MAX (solver.n_sitems, 1));
  comp_elems = g_new (guint, MAX (solver.n_elems, 1));
  comp_items = g_new (guint, MAX (solver.n_sitems, 1));
  done = g_new0 (guint, MAX (solver.n_sitems, 1));
  {
    /* Group elements and items by component root, keeping start order. */
    g_autofree guint *elem_count = g_new0 (guint, MAX (solver.n_sitems, 1));
    g_autofree guint *elem_offset = g_new0 (guint, MAX (solver.n_sitems + 1, 1));
    g_autofree guint *grouped = g_new (guint, MAX (solver.n_elems, 1));

    for (guint e = 0; e < solver.n_elems; e++)
      elem_count[lpc_union_find_root (parent, solver.elems[e].item)]++;
    for (guint s = 0; s < solver.n_sitems; s++)
      elem_offset[s + 1] = elem_offset[s] + elem_count[s];
    memset (elem_count, 0, solver.n_sitems * sizeof (guint));
    for (guint e = 0; e < solver.n_elems; e++)
      {
        guint root = lpc_union_find_root (parent, solver.elems[order[e]].item);
        grouped[elem_offset[root] + elem_count[root]++] = order[e];
      }

    for (guint root = 0; root < solver.n_sitems; root++)
      {
        guint n_comp_elems = elem_count[root], n_comp_items = 0;
        gboolean moves = FALSE;
        DpResult result = { { { 0 } }, NULL, NULL };

        if (n_comp_elems == 0)
          continue;
        memcpy (comp_elems, grouped + elem_offset[root], n_comp_elems * sizeof (guint));
        for (guint e = 0; e < n_comp_elems; e++)
          {
            guint s = solver.elems[comp_elems[e]].item;
            if (!done[s])
              {
                done[s] = TRUE;
                comp_items[n_comp_items++] = s;
                moves = moves || solver.sitems[s].n_options > 1;
              }
          }
        if (moves)
          solve_with_moves (&solver, comp_elems, n_comp_elems, comp_items, n_comp_items, &result);
        else
          dp_solve (&solver, comp_elems, n_comp_elems, &result);

        score_add (&plan->score, &result.score);
        for (guint i = 0; i < result.chosen->len; i++)
          {
            const Elem *elem = &solver.elems[g_array_index (result.chosen, guint, i)];
            placed[elem->item] = elem->entry;
            placed_option[elem->item] = elem->option;
          }
        g_array_append_vals (soft_elems, result.soft_pairs->data, result.soft_pairs->len);
        dp_result_clear (&result);
      }
  }
  plan->optimal = solver.optimal;

  /* The steps, with reasons from what the plan places around each item. */
  placed_tags = g_new (guint, MAX (solver.n_sitems, 1));
  placed_entries = g_new (const LpcEntry *, MAX (solver.n_sitems, 1));
  for (guint s = 0; s < solver.n_sitems; s++)
    if (placed[s] != NULL)
      {
        placed_tags[n_placed] = s;
        placed_entries[n_placed++] = placed[s];
      }
  plan_index = lpc_interval_index_new (placed_entries, placed_tags, n_placed);
  for (guint s = 0; s < solver.n_sitems; s++)
    {
      LpcPlanStep *step = g_new0 (LpcPlanStep, 1);

      step->item = solver.sitems[s].input;
      step->entry = placed[s];
      if (placed[s] == NULL)
        {
          step->action = LPC_PLAN_SKIP;
          step->reason = explain (&solver, plan_index, placed, s, settings->travel_minutes);
          plan->n_skip++;
        }
      else if (placed_option[s] != 0)
        {
          g_autofree char *why = explain (&solver, plan_index, placed, s, settings->travel_minutes);
          step->action = LPC_PLAN_MOVE;
          step->reason = g_strdup_printf ("%s; moved to its other occurrence in '%s'", why,
                                          placed[s]->track != NULL ? placed[s]->track : "");
          plan->n_move++;
        }
      else
        {
          step->action = LPC_PLAN_KEEP;
          plan->n_keep++;
        }
      g_ptr_array_add (plan->steps, step);
    }
  for (guint i = 0; i + 1 < soft_elems->len; i += 2)
    plan_soft_pair (plan, &solver, &solver.elems[g_array_index (soft_elems, guint, i)],
                    &solver.elems[g_array_index (soft_elems, guint, i + 1)]);
  g_qsort_with_data (plan->soft_pairs->data, (gint) plan->soft_pairs->len, sizeof (LpcSoftPair),
                     compare_soft_pairs, (gpointer) items);
  plan->total_priority = (guint) plan->score.key[LPC_SCORE_PRIORITY];

  g_free (solver.room_best);
  g_free (solver.room_arg);
  g_free (solver.room_stamp);
  return plan;
}
