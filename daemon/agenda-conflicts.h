/* agenda-conflicts.h: the agenda as the conflict rules see it — what
 * GetConflicts, Resolve, GetFreeTime, CheckProgram and the "conflicts" of
 * GetAgenda and Add are made of. It reads the agenda and the accepted
 * overlaps from the store, hands them to the core (conflicts.h, resolver.h,
 * free-time.h) with the settings, and carries a resolution out. Plain C, no
 * D-Bus.
 *
 * Everything here is computed afresh per call from what the store holds:
 * the agenda is small next to the program, and a cache would have to follow
 * every change (Add, Skip, an import, a setting). The program's index is
 * the part worth keeping, and the agenda keeps it with the program. */
#pragma once

#include "agenda.h"
#include "conflicts.h"
#include "free-time.h"
#include "resolver.h"

G_BEGIN_DECLS

/* The program indexed for conflicts (borrowed): made on first use and kept
 * until the program is replaced. Defined in agenda.c, which owns it. */
LpcProgramIndex *lpc_agenda_get_program_index (LpcAgenda *agenda);

/* TravelTime, SoftOverlap and LPC_SUGGESTIONS_DEFAULT. */
void lpc_agenda_get_conflict_settings (LpcAgenda *agenda, LpcConflictSettings *out_settings);

/* The agenda read once for one call, as the core's items. */
typedef struct
{
  GPtrArray *items;        /* LpcAgendaItem*, in the store's order (added, then id) */
  LpcPlanItem *plan_items; /* one per item, same order; entries borrowed from the
                            * program (NULL for cancelled items) */
  guint n_items;
  LpcConflictSettings settings;
  LpcProgramIndex *index;   /* borrowed from the agenda */
  GHashTable *by_id;        /* entry id -> item index + 1 */
  GPtrArray *accepted;      /* the store's accepted pairs, flattened (see
                             * lpc_store_accepted_overlaps()) */
  GPtrArray *accepted_with; /* per item, the NULL-terminated ids it may overlap
                             * (borrowed from accepted), or NULL */
} LpcAgendaView;

LpcAgendaView *lpc_agenda_view_new (LpcAgenda *agenda, GError **error);
void lpc_agenda_view_free (LpcAgendaView *view);
/* The agenda id of item @item. */
const char *lpc_agenda_view_get_id (const LpcAgendaView *view, guint item);
/* Whether @id is on the agenda, and which item it is. */
gboolean lpc_agenda_view_lookup (const LpcAgendaView *view, const char *id, guint *out_item);

/* ---- conflicts ---- */

typedef struct
{
  LpcAgendaView *view;
  LpcConflictReport *report; /* its items are view's */
} LpcAgendaConflicts;

void lpc_agenda_conflicts_free (LpcAgendaConflicts *conflicts);

/* The conflicts of the whole agenda now. */
LpcAgendaConflicts *lpc_agenda_find_conflicts (LpcAgenda *agenda, GError **error);

/* The partners of every item on the agenda — the ids of the items it
 * clashes with, accepted overlaps included (lpc_conflict_report_dup_partners()):
 * agenda id -> NULL-terminated ids (const char **), sorted; empty for an
 * item that clashes with nothing. The ids, keys and values, are borrowed
 * from @conflicts: the table must not outlive it. */
GHashTable *lpc_agenda_conflicts_dup_partners (LpcAgendaConflicts *conflicts);

/* The same for the one item @id (lpc_conflict_report_dup_partners()): a
 * NULL-terminated list, empty when @id clashes with nothing or is not on
 * the agenda. */
GStrv lpc_agenda_conflicts_dup_partners_of (LpcAgendaConflicts *conflicts, const char *id);

/* Whether @conflict involves the entry @id. */
gboolean lpc_conflict_involves (const LpcConflict *conflict, const char *id);

/* ---- resolution ---- */

typedef struct
{
  LpcAgendaView *view; /* the agenda before the plan */
  gboolean *clashing;  /* per item of view: it clashes with another one (it is in a
                        * cluster of lpc_conflicts_find()) */
  LpcPlan *plan;
  const LpcPlanStep **step_of_item; /* per item of view: its step, NULL when inactive */
  gboolean applied;                 /* the plan was carried out */
  GPtrArray *changed_ids;           /* what applying changed, for AgendaChanged: the ids of
                                     * items skipped, noted or accepted, and both ids of a
                                     * move; empty when nothing changed */
} LpcAgendaResolution;

void lpc_agenda_resolution_free (LpcAgendaResolution *resolution);

/* The agenda id @step's item has in the plan: its own, or the other
 * occurrence it moves to. */
const char *lpc_agenda_resolution_placed_id (const LpcAgendaResolution *resolution,
                                             const LpcPlanStep *step);
/* The agenda id item @item has in the plan (NULL when the plan has no step
 * for it: it is skipped or cancelled already). */
const char *lpc_agenda_resolution_placed_id_of_item (const LpcAgendaResolution *resolution,
                                                     guint item);
/* Whether @step's item took part in a conflict (it is in a cluster, or the
 * plan moves, skips or notes it): the items a person wants to see. */
gboolean lpc_agenda_resolution_involves (const LpcAgendaResolution *resolution,
                                         const LpcPlanStep *step);

/* The best conflict-free plan for the agenda now (resolver.h). With @apply
 * it is carried out in one store transaction: losers become skipped, moves
 * swap the item to the other occurrence, soft pairs become accepted
 * overlaps (by their ids after the moves) and each kept item's soft note is
 * appended to its note unless it holds it already. Applying a plan that
 * changes nothing writes nothing. */
LpcAgendaResolution *lpc_agenda_resolve_conflicts (LpcAgenda *agenda, gboolean apply,
                                                   GError **error);

/* ---- free time ---- */

typedef struct
{
  LpcAgendaView *view;
  GPtrArray *days; /* LpcFreeDay*, by date */
} LpcAgendaFreeTime;

void lpc_agenda_free_time_free (LpcAgendaFreeTime *free_time);

/* The free windows on @day ("2021-09-20", or a weekday "mon" … "sunday" as
 * for ListTalks; NULL = every conference day) with the talks that fit them.
 * A day the conference does not have gives no days; a @day that is no date
 * or weekday is INVALID_ARGUMENT. */
LpcAgendaFreeTime *lpc_agenda_find_free_time (LpcAgenda *agenda, const char *day, GError **error);

/* ---- the program ---- */

/* The program's defects: the earliest LPC_PROGRAM_CLASHES_KEPT
 * (program-clash LpcConflict*, a new array), by start, and in *@out_total
 * how many there are. */
GPtrArray *lpc_agenda_check_program (LpcAgenda *agenda, guint64 *out_total);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcAgendaView, lpc_agenda_view_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcAgendaConflicts, lpc_agenda_conflicts_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcAgendaResolution, lpc_agenda_resolution_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcAgendaFreeTime, lpc_agenda_free_time_free)

G_END_DECLS
