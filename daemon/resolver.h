/* resolver.h: the conflict-free plan with the highest total priority. Plain
 * data in, plain data out; no store, no D-Bus.
 *
 * What a plan is. Every active item (planned or moved, see LpcPlanItem) is
 * kept where it is, moved to another occurrence of its talk (same occurrence
 * group, not on the agenda in any state), or skipped. In the plan, every two
 * placed items are free of each other, nested (a block holding a talk in its
 * room), or a soft pair (lpc_slot_is_soft(): a short overlap, kept with a
 * note "leave 5 min early" / "join 5 min late"). So the plan is
 * conflict-free for lpc_conflicts_find() once its soft pairs are accepted.
 *
 * Which plan. The best by LpcPlanScore: the keys below compared in order,
 * each summed over the plan:
 *   1. the total priority of the items kept or moved;
 *   2. then how many items of priority 5 it keeps, then of 4, 3, 2, 1 (so
 *      a tie in total goes to the plan keeping the higher priorities);
 *   3. then the earlier added (least sum of added_at), then the earlier
 *      start (least sum of the items' own starts);
 *   4. then fewer soft pairs, then fewer moves, moving rather the lower
 *      priority, then the later added, to the earlier occurrence.
 * For two items that clash this is exactly "higher priority, then earlier
 * added, then earlier start"; for more it generalises it by sums.
 *
 * How. Items whose times cannot interact (travel time included) fall into
 * independent components. Within a component without other occurrences, an
 * exact dynamic programme over time: a session block is worth its own value
 * plus the best set of items it holds (solved first, smallest blocks first);
 * the top level is a chain of items in time order where each follows its
 * predecessor with enough travel time (predecessors found by binary search
 * in a prefix maximum, and per room), or is its soft neighbour. That is
 * O(n log n) for the common case (blocks holding talks: depth 2). With
 * other occurrences, each placement is an element of the same programme, and
 * a branch and bound over the component makes the answer exact: the
 * programme that may place an item twice bounds every branch; an item it
 * places twice is branched on (each place it used, or none of them). Plans
 * are exact (cross-checked against brute force in tests/test-resolver.c);
 * only a component whose search exceeds its budget (many items with other
 * occurrences clashing at once) returns its best plan found, with
 * LpcPlan.optimal FALSE. */
#pragma once

#include "conflicts.h"

G_BEGIN_DECLS

enum
{
  LPC_SCORE_PRIORITY,
  LPC_SCORE_KEPT_5,                       /* ... LPC_SCORE_KEPT_5 + 4 for priority 1 */
  LPC_SCORE_ADDED = LPC_SCORE_KEPT_5 + 5, /* minus the sum of added_at */
  LPC_SCORE_START,                        /* minus the sum of the items' own starts */
  LPC_SCORE_SOFT,                         /* minus the number of soft pairs */
  LPC_SCORE_MOVES,                        /* minus the number of moves */
  LPC_SCORE_MOVED_PRIORITY,               /* minus the priorities of moved items */
  LPC_SCORE_MOVED_ADDED,                  /* the added_at of moved items */
  LPC_SCORE_MOVED_TARGET,                 /* minus the starts of the places moved to */
  LPC_SCORE_N_KEYS
};

typedef struct
{
  gint64 key[LPC_SCORE_N_KEYS];
} LpcPlanScore;

/* <0, 0, >0 as @a is worse than, as good as, better than @b. */
int lpc_plan_score_compare (const LpcPlanScore *a, const LpcPlanScore *b);
/* Adds @item placed at @placed (its own entry: kept; another: moved). */
void lpc_plan_score_add_item (LpcPlanScore *score, const LpcPlanItem *item, const LpcEntry *placed);
void lpc_plan_score_add_soft_pair (LpcPlanScore *score);

typedef enum
{
  LPC_PLAN_KEEP,
  LPC_PLAN_MOVE,
  LPC_PLAN_SKIP,
} LpcPlanAction;

/* "keep", "move", "skip". */
const char *lpc_plan_action_to_string (LpcPlanAction action);

typedef struct
{
  guint item; /* index into the items given */
  LpcPlanAction action;
  const LpcEntry *entry; /* where the item is in the plan: its own entry (keep), the
                          * other occurrence (move); NULL (skip) */
  char *reason;          /* move and skip: why, for a person ("overlaps 'X' (priority 5)
                          * by 20 min"); NULL for keep */
  char *note;            /* the soft pairs' notes ("leave 5 min early for 'X'"); NULL
                          * when none */
  guint leave_early_minutes;
  guint join_late_minutes;
} LpcPlanStep;

void lpc_plan_step_free (LpcPlanStep *step);

/* Two items the plan keeps though they are short of time: accept them on
 * apply (each lists the other in LpcPlanItem.accepted_with). */
typedef struct
{
  guint first; /* the item that starts first */
  guint second;
  guint minutes; /* the time they are short of, split as the steps' notes say */
} LpcSoftPair;

typedef struct
{
  GPtrArray *steps;   /* LpcPlanStep*, one per active item, in the order given */
  GArray *soft_pairs; /* LpcSoftPair, by first item's start */
  LpcPlanScore score;
  guint total_priority;
  guint n_keep;
  guint n_move;
  guint n_skip;
  gboolean optimal; /* see above */
} LpcPlan;

void lpc_plan_free (LpcPlan *plan);

/* The plan for the active @items. */
LpcPlan *lpc_resolve (LpcProgramIndex *index, const LpcPlanItem *items, guint n_items,
                      const LpcConflictSettings *settings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcPlanStep, lpc_plan_step_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcPlan, lpc_plan_free)

G_END_DECLS
