/* free-time.h: the free windows between the user's picks in the conference
 * hours, and the talks that fit in each. Plain data in, plain data out; no
 * store, no D-Bus. */
#pragma once

#include "conflicts.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 start;
  gint64 end;
  /* Program talks (kind talk) not on the agenda in any state that lie within
   * [start, end) and clash with no planned item, travel time included on
   * both sides: talks of a track the user picked something from first, then
   * by start, room and id; at most max_suggestions of them. */
  GPtrArray *talks; /* const LpcEntry* (borrowed) */
  guint n_fitting;  /* how many fit in all */
} LpcFreeWindow;

void lpc_free_window_free (LpcFreeWindow *window);

typedef struct
{
  GDate date;         /* in the program's time zone */
  gint64 start;       /* conference hours: the day's first block start ... */
  gint64 end;         /* ... to its last block end */
  GPtrArray *windows; /* LpcFreeWindow*, by start: the hours no planned item takes */
} LpcFreeDay;

void lpc_free_day_free (LpcFreeDay *day);

/* The free time on @day (a date in the program's zone; NULL = every
 * conference day) around the active @items: LpcFreeDay*, by date; empty
 * when @day is not a conference day. */
GPtrArray *lpc_free_time_find (LpcProgramIndex *index, const LpcPlanItem *items, guint n_items,
                               const LpcConflictSettings *settings, const GDate *day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcFreeWindow, lpc_free_window_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcFreeDay, lpc_free_day_free)

G_END_DECLS
