/* bench-conflicts: the core of GetConflicts, Resolve and `free`, without
 * D-Bus, on synthetic programs of 1,000, 10,000 and 100,000 entries with a
 * tenth of them on the agenda.
 *
 *   bench-conflicts [MAX_ENTRIES]     (default 100000)
 *
 * The programs have the shape of gen-program's (bench/gen-program.c): five
 * days, each block a 4-hour microconference in a room of its own holding 12
 * entries of 20 minutes (one a break), all of a day's blocks at the same
 * hours. The agenda takes every tenth talk in program order (so about 170
 * picks run at once in every 20-minute slot at 100,000: a stress, not a
 * person), every 500th block, priorities 1-5 in turn. Variants: travel time
 * 0 and 10 minutes; and one where every 50th talk is held twice (the next
 * day, same hours), so that the resolver may move items. Figures: the median
 * of several runs, in milliseconds, and the time divided by n log2 n
 * (normalised to the smallest size): flat means n log n. The targets (issue
 * 4) are for the whole D-Bus call: GetConflicts <= 50 ms and Resolve <=
 * 100 ms at 100,000 entries / 10,000 picks; the core must be well below. */
#include "conflicts.h"
#include "free-time.h"
#include "resolver.h"

#include "bench-stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define ENTRIES_PER_BLOCK 12
#define N_DAYS 5
/* 2021-09-20 07:00 in Los Angeles. */
#define DAY0 G_GINT64_CONSTANT (1632146400)

static LpcProgram *
synthetic_program (guint n_entries, gboolean repeats)
{
  LpcProgram *program = lpc_program_new ("Synthetic", "America/Los_Angeles");
  guint n_blocks = (n_entries + ENTRIES_PER_BLOCK - 1) / ENTRIES_PER_BLOCK;
  guint blocks_per_day = (n_blocks + N_DAYS - 1) / N_DAYS;
  guint written = 0, talk_number = 0;

  for (guint b = 0; b < n_blocks && written < n_entries; b++)
    {
      guint day = b / blocks_per_day, in_day = b % blocks_per_day;
      gint64 start = DAY0 + (gint64) day * 86400;
      LpcEntry *block = lpc_entry_new ();

      block->id = g_strdup_printf ("block-%u", b);
      block->kind = LPC_ENTRY_SESSION;
      block->title = g_strdup_printf ("Track %06u MC", in_day);
      block->track = g_strdup (block->title);
      block->room = g_strdup_printf ("Room%06u", b);
      block->start = start;
      block->end = start + ENTRIES_PER_BLOCK * 20 * 60;
      block->identity = g_strdup (block->id);
      lpc_program_take_entry (program, block);

      for (guint e = 0; e < ENTRIES_PER_BLOCK && written < n_entries; e++, written++)
        {
          LpcEntry *entry = lpc_entry_new ();

          entry->kind = e == 6 ? LPC_ENTRY_BREAK : LPC_ENTRY_TALK;
          entry->id = g_strdup_printf ("e-%u", written);
          entry->title = g_strdup_printf ("Talk %u", written);
          entry->track = g_strdup (block->track);
          entry->room = g_strdup (block->room);
          entry->start = start + (gint64) e * 20 * 60;
          entry->end = entry->start + 20 * 60;
          entry->parent_id = g_strdup (block->id);
          entry->identity = g_strdup (entry->id);
          if (entry->kind == LPC_ENTRY_TALK && repeats && talk_number++ % 50 == 0
              && day + 1 < N_DAYS)
            entry->occurrence_group = g_strdup (entry->id);
          lpc_program_take_entry (program, entry);

          /* The repeat: the same block of the next day, same hours. */
          if (entry->occurrence_group != NULL)
            {
              LpcEntry *again = lpc_entry_copy (entry);

              g_free (again->id);
              again->id = g_strdup_printf ("%s-again", entry->id);
              again->start += 86400;
              again->end += 86400;
              g_free (again->room);
              again->room = g_strdup_printf ("Reprise%06u", b);
              lpc_program_take_entry (program, again);
            }
        }
    }
  return program;
}

static GArray *
synthetic_agenda (LpcProgram *program)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (LpcPlanItem));
  guint n_talks = 0, n_blocks = 0;

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = program->entries->pdata[i];
      gboolean take = FALSE;

      if (entry->kind == LPC_ENTRY_TALK && g_str_has_prefix (entry->id, "e-")
          && !g_str_has_suffix (entry->id, "-again"))
        take = n_talks++ % 10 == 0;
      else if (entry->kind == LPC_ENTRY_SESSION)
        take = n_blocks++ % 500 == 250;
      if (take)
        {
          LpcPlanItem item = { 0 };

          item.entry = entry;
          item.priority = 1 + items->len % 5;
          item.added_at = DAY0 - 86400 + items->len;
          item.state = LPC_ITEM_PLANNED;
          g_array_append_val (items, item);
        }
    }
  return items;
}

typedef struct
{
  double index_ms;
  double conflicts_ms;
  double resolve_ms;
  double free_ms;
  guint n_items;
  guint n_records;
  guint n_clusters;
  guint n_keep;
  guint n_move;
  guint n_skip;
  gboolean optimal;
} Figures;

static void
measure (guint n_entries, guint travel, gboolean repeats, Figures *out)
{
  g_autoptr (LpcProgram) program = synthetic_program (n_entries, repeats);
  g_autoptr (GArray) items = synthetic_agenda (program);
  const LpcPlanItem *data = (const LpcPlanItem *) (gpointer) items->data;
  LpcConflictSettings settings;
  guint runs = n_entries >= 100000 ? 7 : 15;
  double index_ms[15], conflicts_ms[15], resolve_ms[15], free_ms[15];
  g_autoptr (LpcProgramIndex) index = NULL;

  lpc_conflict_settings_init (&settings);
  settings.travel_minutes = travel;
  for (guint r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      LpcProgramIndex *fresh = lpc_program_index_new (program);
      index_ms[r] = lpc_bench_ms_since (start);
      lpc_program_index_free (index);
      index = fresh;
    }
  for (guint r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (LpcConflictReport) report
          = lpc_conflicts_find (index, data, items->len, &settings);
      conflicts_ms[r] = lpc_bench_ms_since (start);
      out->n_records = report->conflicts->len;
      out->n_clusters = report->clusters->len;
    }
  for (guint r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (LpcPlan) plan = lpc_resolve (index, data, items->len, &settings);
      resolve_ms[r] = lpc_bench_ms_since (start);
      out->n_keep = plan->n_keep;
      out->n_move = plan->n_move;
      out->n_skip = plan->n_skip;
      out->optimal = plan->optimal;
    }
  for (guint r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (GPtrArray) days = lpc_free_time_find (index, data, items->len, &settings, NULL);
      free_ms[r] = lpc_bench_ms_since (start);
      g_assert (days != NULL);
    }
  out->n_items = items->len;
  out->index_ms = lpc_bench_median (index_ms, runs);
  out->conflicts_ms = lpc_bench_median (conflicts_ms, runs);
  out->resolve_ms = lpc_bench_median (resolve_ms, runs);
  out->free_ms = lpc_bench_median (free_ms, runs);
}

static double
n_log_n (double n)
{
  return n * log2 (n);
}

int
main (int argc, char **argv)
{
  guint max_entries = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 100000;
  static const guint sizes[] = { 1000, 10000, 100000 };
  static const struct
  {
    guint travel;
    gboolean repeats;
    const char *name;
  } variants[] = {
    { 0, FALSE, "travel 0" },
    { 10, FALSE, "travel 10 min" },
    { 0, TRUE, "travel 0, every 50th talk held twice" },
  };

  printf ("core only (no D-Bus); median ms; x/nlogn: time / (n log2 n), 1.00 at the first size\n");
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      double base_conflicts = 0, base_resolve = 0, base_free = 0, base_index = 0;

      printf ("\n%s\n", variants[v].name);
      printf ("%8s %7s %8s %9s %7s %7s %7s %7s %7s  %s\n", "entries", "picks", "records",
              "clusters", "index", "confl", "resolve", "free", "",
              "x/nlogn (index conflicts resolve free)");
      for (guint s = 0; s < G_N_ELEMENTS (sizes) && sizes[s] <= max_entries; s++)
        {
          Figures figures = { 0 };
          double items_nlogn, entries_nlogn;

          measure (sizes[s], variants[v].travel, variants[v].repeats, &figures);
          items_nlogn = n_log_n (figures.n_items);
          entries_nlogn = n_log_n (sizes[s]);
          if (s == 0)
            {
              base_index = figures.index_ms / entries_nlogn;
              base_conflicts = figures.conflicts_ms / items_nlogn;
              base_resolve = figures.resolve_ms / items_nlogn;
              base_free = figures.free_ms / entries_nlogn;
            }
          printf ("%8u %7u %8u %9u %7.2f %7.2f %7.2f %7.2f %7s  %.2f %.2f %.2f %.2f"
                  "   (keep %u, move %u, skip %u%s)\n",
                  sizes[s], figures.n_items, figures.n_records, figures.n_clusters,
                  figures.index_ms, figures.conflicts_ms, figures.resolve_ms, figures.free_ms, "",
                  figures.index_ms / entries_nlogn / base_index,
                  figures.conflicts_ms / items_nlogn / base_conflicts,
                  figures.resolve_ms / items_nlogn / base_resolve,
                  figures.free_ms / entries_nlogn / base_free, figures.n_keep, figures.n_move,
                  figures.n_skip, figures.optimal ? "" : ", not proven optimal");
        }
    }
  printf ("\ntargets (issue 4, D-Bus call included, 100,000 entries): GetConflicts <= 50 ms, "
          "Resolve <= 100 ms\n");
  return 0;
}
