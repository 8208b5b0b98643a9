/* conflicts.h: what clashes in an agenda — overlaps, room changes too short
 * for the travel time, defects of the program itself — and the pairwise rules
 * that the resolver (resolver.h) and the free-time finder (free-time.h) share.
 * Plain data in, plain data out: no store, no D-Bus, no clock.
 *
 * The rules, for two entries A and B that are both attended. Times are
 * half-open [start, end); rooms compare as strings.
 * - nested: same room, and one of them is a session block whose hours hold
 *   the other (a talk inside a block you also picked). Never a clash.
 * - overlap: A.start < B.end and B.start < A.end, unless nested. Touching
 *   intervals (A.end == B.start) do not overlap; a zero-length entry overlaps
 *   what runs across its instant (for 0 minutes), not what starts or ends at
 *   it.
 * - room change: different rooms, one ends before the other starts, but the
 *   gap between them is shorter than the travel time (0 = off).
 * - free: anything else.
 * A set of items is conflict-free when no two of its items clash. The
 * resolver produces such sets, except for "soft" pairs it keeps on purpose
 * (lpc_pair_is_soft()), which the user then accepts. */
#pragma once

#include "program.h"
#include "store.h"

G_BEGIN_DECLS

#define LPC_SOFT_OVERLAP_DEFAULT 10
#define LPC_SUGGESTIONS_DEFAULT 10
/* Marks "in no cluster" in LpcConflict.cluster and LpcConflictReport.item_cluster. */
#define LPC_NO_CLUSTER G_MAXUINT

typedef struct
{
  guint travel_minutes;       /* needed between two different rooms; 0 = off */
  guint soft_overlap_minutes; /* the most a pair may be short of time and still be kept
                               * with a note (see lpc_pair_is_soft()); 0 = off */
  guint max_suggestions;      /* alternatives per cluster, talks per free window; 0 = all */
} LpcConflictSettings;

/* travel 0, soft overlap LPC_SOFT_OVERLAP_DEFAULT, LPC_SUGGESTIONS_DEFAULT. */
void lpc_conflict_settings_init (LpcConflictSettings *settings);

/* One agenda item as the conflict rules see it. */
typedef struct
{
  /* Borrowed. Its current time and room count: a "moved" item is checked
   * where the program has it now. */
  const LpcEntry *entry;
  /* 1–5; values outside are clamped. */
  guint priority;
  /* Unix seconds; the earlier added wins ties in the resolver. */
  gint64 added_at;
  /* Only planned and moved items take part; skipped and cancelled ones
   * never clash and are never moved. */
  LpcItemState state;
  /* NULL-terminated ids of agenda items this one may overlap by agreement
   * (resolve --apply kept both with a note); NULL = none. One side naming
   * the other is enough. */
  const char *const *accepted_with;
} LpcPlanItem;

/* Whether @item takes part in conflicts: planned or moved, with an entry.
 * Inline, so that callers (and the static analyser) see that an active item
 * has an entry. */
static inline gboolean
lpc_plan_item_is_active (const LpcPlanItem *item)
{
  return item->entry != NULL && (item->state == LPC_ITEM_PLANNED || item->state == LPC_ITEM_MOVED);
}

/* ---- the pairwise rules ---- */

typedef enum
{
  LPC_PAIR_FREE,
  LPC_PAIR_NESTED,
  LPC_PAIR_OVERLAP,
  LPC_PAIR_ROOM_CHANGE,
} LpcPairRelation;

/* The rules on plain numbers, for callers that intern rooms themselves. */
typedef struct
{
  gint64 start;
  gint64 end;
  guint room;       /* equal numbers = same room */
  gboolean session; /* a session block: may hold others in its room */
} LpcSlot;

LpcPairRelation lpc_slot_relation (const LpcSlot *a, const LpcSlot *b, gint64 travel_seconds);
/* Seconds that @a and @b are short of: the overlap plus the travel time their
 * rooms need, less any gap between them; <= 0 when they are free of each
 * other (nested pairs give 0). */
gint64 lpc_slot_shortfall (const LpcSlot *a, const LpcSlot *b, gint64 travel_seconds);
/* A soft pair: both are talks (not session blocks), they clash, one starts and
 * ends strictly before the other, the time they are short of is at most
 * @soft_seconds, and each is at least 2 × @soft_seconds + @travel_seconds
 * long. Keeping both costs a few minutes at the end of the first or the start
 * of the second. The length condition is what keeps soft pairs local: in a
 * set where every pair is free, nested or soft, a soft pair is always two
 * neighbours in time, each item loses at most @soft_seconds at either end and
 * keeps most of its length, and the resolver's dynamic programme over
 * neighbours is exact. */
gboolean lpc_slot_is_soft (const LpcSlot *a, const LpcSlot *b, gint64 travel_seconds,
                           gint64 soft_seconds);

LpcPairRelation lpc_pair_relation (const LpcEntry *a, const LpcEntry *b, guint travel_minutes);
gboolean lpc_pair_clashes (const LpcEntry *a, const LpcEntry *b, guint travel_minutes);
gboolean lpc_pair_is_soft (const LpcEntry *a, const LpcEntry *b,
                           const LpcConflictSettings *settings);
/* Whole minutes, rounded up: a 30-second overlap is 1 minute. */
guint lpc_seconds_to_minutes_up (gint64 seconds);

/* ---- an index of entries by time ---- */

typedef struct _LpcIntervalIndex LpcIntervalIndex;

typedef gboolean (*LpcIntervalFunc) (const LpcEntry *entry, guint tag, gpointer user_data);

/* Indexes @n @entries (borrowed), each with the caller's @tags[i] (or i when
 * @tags is NULL). */
LpcIntervalIndex *lpc_interval_index_new (const LpcEntry *const *entries, const guint *tags,
                                          guint n);
void lpc_interval_index_free (LpcIntervalIndex *index);
/* Calls @func for each indexed entry that may clash with [@start, @end) when
 * travel takes @margin seconds: start < @end + @margin and end + @margin >
 * @start. Stops, returning FALSE, when @func does. O(log n + k). */
gboolean lpc_interval_index_foreach (LpcIntervalIndex *index, gint64 start, gint64 end,
                                     gint64 margin, LpcIntervalFunc func, gpointer user_data);

/* ---- conflicts ---- */

typedef enum
{
  LPC_CONFLICT_OVERLAP,
  LPC_CONFLICT_ROOM_CHANGE,
  LPC_CONFLICT_PROGRAM_CLASH,
} LpcConflictKind;

/* "overlap", "room-change", "program-clash". */
const char *lpc_conflict_kind_to_string (LpcConflictKind kind);

/* One conflict record. Records are windows, not pairs, so that their number
 * and size stay linear in the agenda however crowded it is:
 * - overlap: a longest window [start, end) in which the same agenda items
 *   run at once and some two of them clash; entries are those of them that
 *   clash with another one there (a block holding a talk you also picked is
 *   left out unless it clashes itself). minutes = the window's length. A
 *   zero-length item inside another gives a window [t, t) of 0 minutes.
 * - room-change: the items that start at one instant (end) and the items
 *   that ended less than the travel time before it (the first of them ends
 *   at start) in another room. minutes = the most time short of the travel
 *   time.
 * - program-clash: two program entries in one room at once (neither a block
 *   holding the other), or an entry outside the hours of its block; start,
 *   end and minutes: the overlap, or the time outside the block. */
typedef struct
{
  LpcConflictKind kind;
  GPtrArray *entries; /* const LpcEntry* (borrowed), 2 or more, by start, then id */
  GArray *items;      /* guint indices of the same, into the items given; NULL for
                       * program clashes (their entries need not be on the agenda) */
  gint64 start;
  gint64 end;
  guint minutes;
  gboolean accepted; /* every clashing pair in it is soft and accepted by the user;
                      * listed, but no conflict for `conflicts`' exit status */
  guint cluster;     /* index in LpcConflictReport.clusters; LPC_NO_CLUSTER for
                      * program clashes */
  char *note;        /* program clashes: what is wrong, for a person; else NULL */
} LpcConflict;

void lpc_conflict_free (LpcConflict *conflict);

/* A way out of a cluster: another occurrence of one of its talks. */
typedef struct
{
  guint item;            /* index into the items given to lpc_conflicts_find() */
  const LpcEntry *entry; /* the other occurrence */
} LpcOccurrenceOption;

/* A connected group of clashing agenda items. */
typedef struct
{
  GArray *items;     /* guint indices into the items given, by start then id */
  gint64 start;      /* the first item's start */
  gint64 end;        /* the last end of its items */
  gboolean accepted; /* all its records are accepted */
  /* Program talks (kind talk) not on the agenda in any state that lie entirely
   * within [start, end) and clash with no planned item outside the cluster
   * (travel time included): what could be attended instead. Best first: talks
   * of a track the user picked something from, then by start, room and id; at
   * most max_suggestions of them. */
  GPtrArray *alternatives; /* const LpcEntry* */
  /* Other occurrences (same occurrence group) of the cluster's items that are
   * not on the agenda and clash with no other planned item: moving there
   * ends the item's part in the cluster. By item, then start. */
  GArray *other_occurrences; /* LpcOccurrenceOption */
} LpcConflictCluster;

void lpc_conflict_cluster_free (LpcConflictCluster *cluster);

typedef struct
{
  /* overlap and room-change records by start, end, kind; then the program
   * clashes that involve a planned item */
  GPtrArray *conflicts; /* LpcConflict* */
  GPtrArray *clusters;  /* LpcConflictCluster*, by start */
  guint n_items;
  guint *item_cluster; /* per item given: its cluster, or LPC_NO_CLUSTER */
  guint n_unaccepted;  /* overlap and room-change records not accepted: what makes
                        * `lpc-agenda conflicts` exit 1 */
} LpcConflictReport;

void lpc_conflict_report_free (LpcConflictReport *report);

/* Indices of the items that @item clashes with (accepted pairs included), in
 * index order: GetAgenda's "conflicts". */
GArray *lpc_conflict_report_dup_partners (LpcConflictReport *report, const LpcPlanItem *items,
                                          guint item, const LpcConflictSettings *settings);

/* ---- the program, indexed for conflicts, resolution and free time ---- */

typedef struct
{
  GDate date;   /* in the program's time zone */
  gint64 start; /* conference hours: the day's first block start ... */
  gint64 end;   /* ... to its last block end */
} LpcConferenceDay;

typedef struct _LpcProgramIndex LpcProgramIndex;

/* Indexes @program (keeps a reference): talks by time, occurrence groups,
 * conference days and the program's own defects. O(n log n); build it once
 * per program and keep it while the program is current. */
LpcProgramIndex *lpc_program_index_new (LpcProgram *program);
void lpc_program_index_free (LpcProgramIndex *index);
LpcProgram *lpc_program_index_get_program (LpcProgramIndex *index);
/* The program's talks (kind talk), by start, end, room and id. */
const LpcEntry *const *lpc_program_index_get_talks (LpcProgramIndex *index, guint *out_n);
/* The other occurrences of @entry's talk, by start (borrowed entries, new
 * array); empty when it is held once. */
GPtrArray *lpc_program_index_dup_occurrences (LpcProgramIndex *index, const LpcEntry *entry);
/* The conference days, by date. */
const LpcConferenceDay *lpc_program_index_get_days (LpcProgramIndex *index, guint *out_n);
/* Program clashes kept for one answer, in lpc_conflicts_find() and for
 * `lpc-agenda check`: a program with thousands of entries in one room at
 * once has millions of pairs, of which a person can act on the first few
 * and the count. */
#define LPC_PROGRAM_CLASHES_KEPT 500

/* The whole program checked, for `lpc-agenda check`: the @max_kept earliest
 * program-clash records (LpcConflict*, a new array that owns them), by
 * start, and in *@out_total how many there are in all. O(n log n + @max_kept)
 * in time and memory, however many pairs clash. */
GPtrArray *lpc_program_index_find_defects (LpcProgramIndex *index, guint max_kept,
                                           guint64 *out_total);

/* The conflicts among the active @items (see LpcPlanItem), with their
 * clusters, alternatives and other occurrences, and the program's defects
 * that involve one of them (at most LPC_PROGRAM_CLASHES_KEPT, the earliest
 * found). O(n log n) in the agenda, plus the size of what it reports, plus
 * the program talks scanned for alternatives. */
LpcConflictReport *lpc_conflicts_find (LpcProgramIndex *index, const LpcPlanItem *items,
                                       guint n_items, const LpcConflictSettings *settings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcIntervalIndex, lpc_interval_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcProgramIndex, lpc_program_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcConflict, lpc_conflict_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcConflictCluster, lpc_conflict_cluster_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcConflictReport, lpc_conflict_report_free)

/* Union-find over 0..n-1 (@parent[i] = i initially), for the connected
 * components both the conflict clusters and the resolver's independent
 * subproblems are. The smaller root wins, so roots do not depend on the order
 * of joins. */
guint lpc_union_find_root (guint *parent, guint x);
void lpc_union_find_join (guint *parent, guint a, guint b);

G_END_DECLS
