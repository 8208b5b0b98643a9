/* bench-export: iCalendar export of a 1,000-item agenda (issue 7: <= 50 ms).
 *
 *   bench-export GEN_PROGRAM
 *
 * Generates a 12,000-entry program with gen-program (a realistic abstract
 * and two speakers per talk), imports it into a fresh store, puts 1,000 of
 * its talks on the agenda (every tenth; each with its own two reminder
 * leads, so every VEVENT carries two VALARMs) and times
 * lpc_agenda_export_ics(): reading the agenda and its abstracts from the
 * store, the VTIMEZONE, the VEVENTs and the text. Median of 20 runs, with
 * min and max; the 1,000-event text size. The D-Bus call adds one reply of
 * that size on top (see bench-conflicts-dbus for what a call costs). */
#include "agenda-calendar.h"

#include "bench-stats.h"

#include <glib/gstdio.h>
#include <stdio.h>

#define N_ENTRIES 12000
#define N_PICKS 1000
#define N_RUNS 20
#define TARGET_MS 50.0

static char *
generate_program (const char *gen_program, const char *dir)
{
  g_autofree char *count = g_strdup_printf ("%d", N_ENTRIES);
  const char *argv[] = { gen_program, count, NULL };
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, "program.txt", NULL);
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error)
      || !g_file_set_contents (path, text, -1, &error))
    g_error ("gen-program: %s", error->message);
  return path;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *program_path = NULL;
  g_autofree char *db = NULL;
  g_autoptr (LpcAgenda) agenda = NULL;
  g_autoptr (GPtrArray) talks = NULL;
  g_auto (LpcTalkFilter) filter = { 0 };
  double runs[N_RUNS], figures[3];
  gsize text_len = 0;
  guint picked = 0, seen = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-export GEN_PROGRAM\n");
      return 2;
    }
  dir = g_dir_make_tmp ("bench-export-XXXXXX", &error);
  g_assert_no_error (error);
  program_path = generate_program (argv[1], dir);
  db = g_build_filename (dir, "agenda.db", NULL);
  agenda = lpc_agenda_new (db, program_path, lpc_clock_new_real (), &error);
  if (agenda == NULL)
    g_error ("%s", error->message);

  talks = lpc_agenda_list_talks (agenda, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < talks->len && picked < N_PICKS; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (talks, i);
      g_auto (LpcItemOptions) options = { .set_remind = TRUE, .remind = g_strdup ("10,0") };
      g_autoptr (LpcAgendaRow) row = NULL;

      if (entry->kind != LPC_ENTRY_TALK || seen++ % 10 != 0)
        continue;
      row = lpc_agenda_add (agenda, entry->id, &options, NULL, &error);
      if (row == NULL)
        g_error ("%s", error->message);
      picked++;
    }
  if (picked != N_PICKS)
    g_error ("only %u talks to pick", picked);

  for (guint r = 0; r < N_RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autofree char *text = lpc_agenda_export_ics (agenda, FALSE, &error);

      runs[r] = lpc_bench_ms_since (start);
      if (text == NULL)
        g_error ("%s", error->message);
      text_len = strlen (text);
    }
  lpc_bench_summarise (runs, N_RUNS, figures);
  printf ("export of a %u-item agenda (%d entries): median %.2f ms (min %.2f, max %.2f) "
          "over %d runs, %" G_GSIZE_FORMAT " bytes of iCalendar\n",
          picked, N_ENTRIES, figures[0], figures[1], figures[2], N_RUNS, text_len);
  printf ("target <= %.0f ms: %.2fx of the target\n", TARGET_MS, figures[0] / TARGET_MS);

  g_clear_pointer (&agenda, lpc_agenda_free);
  g_remove (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_remove (program_path);
  g_rmdir (dir);
  return figures[0] <= TARGET_MS ? 0 : 1;
}
