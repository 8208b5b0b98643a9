/* test-agenda-conflicts.c: the agenda handed to the conflict rules
 * (agenda-conflicts.h), driven directly with a temporary database and the
 * shipped timetable: what the rules are given, the partners of every item,
 * a resolution carried out, free time by day, the soft-overlap setting. */
#include "agenda-conflicts.h"
#include "lpc-error.h"

#include <glib/gstdio.h>
#include <string.h>

/* Monday 20 September 2021, PDT. */
#define BPF_TRACING "bpf-tracing-exploring-additional" /* 07:00-07:40 */
#define RUST "rust-in-the-linux-ecosystem"             /* 07:00-07:45 */
#define OVEREAGER "overeager-pulling-from-wake-wide"   /* 07:40-08:10 */
#define SPF_WED "speculative-page-faults-wed"          /* Wed 10:10-10:30 */
#define SPF_FRI "speculative-page-faults-fri"          /* Fri 10:20-10:40 */
#define RUST_TESTING "testing-in-kernel-rust-code"     /* Wed 10:05-10:35 */

typedef struct
{
  char *dir;
  char *db_path;
  LpcAgenda *agenda;
} Fixture;

static LpcAgenda *
open_agenda (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  LpcAgenda *agenda = lpc_agenda_new (fixture->db_path, g_getenv ("LPC_TEST_TIMETABLE"),
                                      lpc_clock_new_real (), &error);

  g_assert_no_error (error);
  g_assert_nonnull (agenda);
  return agenda;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (g_getenv ("LPC_TEST_TIMETABLE"));
  fixture->dir = g_dir_make_tmp ("test-agenda-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "agenda.db", NULL);
  fixture->agenda = open_agenda (fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static void
add (Fixture *fixture, const char *id, guint priority)
{
  g_auto (LpcItemOptions) options = { .set_priority = TRUE, .priority = priority };
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autoptr (GError) error = NULL;

  row = lpc_agenda_add (fixture->agenda, id, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row->entry->id, ==, id);
}

static LpcAgendaRow *
get_row (Fixture *fixture, const char *id)
{
  g_autoptr (GError) error = NULL;
  LpcAgendaRow *row = lpc_agenda_get_item (fixture->agenda, id, &error);

  g_assert_no_error (error);
  return row;
}

static LpcAgendaConflicts *
find_conflicts (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  LpcAgendaConflicts *conflicts = lpc_agenda_find_conflicts (fixture->agenda, &error);

  g_assert_no_error (error);
  g_assert_nonnull (conflicts);
  return conflicts;
}

static LpcAgendaResolution *
resolve (Fixture *fixture, gboolean apply)
{
  g_autoptr (GError) error = NULL;
  LpcAgendaResolution *resolution = lpc_agenda_resolve_conflicts (fixture->agenda, apply, &error);

  g_assert_no_error (error);
  g_assert_nonnull (resolution);
  return resolution;
}

/* The view: the store's items in its order, with the program's entries;
 * a skipped item is given (it takes part in nothing), a moved one where
 * the program has it. */
static void
test_view (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (LpcAgendaView) view = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *skipped = NULL;
  guint item;

  add (fixture, RUST, 4);
  add (fixture, BPF_TRACING, 2);
  skipped = lpc_agenda_skip (fixture->agenda, BPF_TRACING, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (skipped);

  view = lpc_agenda_view_new (fixture->agenda, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (view->n_items, ==, 2);
  g_assert_true (lpc_agenda_view_lookup (view, BPF_TRACING, &item));
  g_assert_cmpstr (lpc_agenda_view_get_id (view, item), ==, BPF_TRACING);
  g_assert_cmpuint (view->plan_items[item].priority, ==, 2);
  g_assert_cmpint (view->plan_items[item].state, ==, LPC_ITEM_SKIPPED);
  g_assert_nonnull (view->plan_items[item].entry);
  g_assert_false (lpc_plan_item_is_active (&view->plan_items[item]));
  g_assert_null (view->plan_items[item].accepted_with);
  g_assert_false (lpc_agenda_view_lookup (view, SPF_WED, NULL));
  g_assert_cmpuint (view->settings.travel_minutes, ==, 0);
  g_assert_cmpuint (view->settings.soft_overlap_minutes, ==, LPC_SOFT_OVERLAP_DEFAULT);
  g_assert_cmpuint (view->settings.max_suggestions, ==, LPC_SUGGESTIONS_DEFAULT);
  g_assert_true (view->index == lpc_agenda_get_program_index (fixture->agenda));
}

/* Every item's partners, in one pass, are the core's, item by item. */
static void
test_partners_match_the_core (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (LpcAgendaConflicts) conflicts = NULL;
  g_autoptr (GHashTable) partners = NULL;
  GPtrArray *entries = lpc_agenda_get_program (fixture->agenda)->entries;
  guint n_with_partners = 0;

  /* A crowded agenda: every other talk and block of the program. */
  for (guint i = 0; i < entries->len; i += 2)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);

      if (lpc_entry_is_attendable (entry))
        add (fixture, entry->id, 1 + i % 5);
    }
  lpc_agenda_set_travel_time (fixture->agenda, 5, NULL);
  conflicts = find_conflicts (fixture);
  partners = lpc_agenda_conflicts_dup_partners (conflicts);
  g_assert_cmpuint (g_hash_table_size (partners), ==, conflicts->view->n_items);
  for (guint i = 0; i < conflicts->view->n_items; i++)
    {
      const char *id = lpc_agenda_view_get_id (conflicts->view, i);
      g_auto (GStrv) one = lpc_agenda_conflicts_dup_partners_of (conflicts, id);
      const char *const *all = g_hash_table_lookup (partners, id);

      g_assert_nonnull (all);
      g_assert_true (g_strv_equal (all, (const char *const *) one));
      if (one[0] != NULL)
        n_with_partners++;
    }
  g_assert_cmpuint (n_with_partners, >, 10);

  /* Resolve tells the items that clash without the whole report: the
   * same items, those in a cluster. */
  {
    g_autoptr (LpcAgendaResolution) resolution = resolve (fixture, FALSE);

    g_assert_cmpuint (resolution->view->n_items, ==, conflicts->view->n_items);
    for (guint i = 0; i < conflicts->view->n_items; i++)
      g_assert_cmpint (resolution->clashing[i], ==,
                       conflicts->report->item_cluster[i] != LPC_NO_CLUSTER);
  }
}

/* Apply: the loser skipped, the movable one moved with its priority, note
 * and added time, AgendaChanged's ids; applying again changes nothing. */
static void
test_resolve_apply (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (LpcAgendaResolution) plan = NULL;
  g_autoptr (LpcAgendaResolution) applied = NULL;
  g_autoptr (LpcAgendaResolution) again = NULL;
  g_autoptr (LpcAgendaConflicts) after = NULL;
  g_autoptr (LpcAgendaRow) before_spf = NULL;
  g_autoptr (LpcAgendaRow) moved = NULL;
  g_autoptr (LpcAgendaRow) skipped = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (GPtrArray) rows = NULL;
  const char *const changed[] = { BPF_TRACING, SPF_WED, SPF_FRI, NULL };

  add (fixture, BPF_TRACING, 3);
  add (fixture, RUST, 4);
  add (fixture, SPF_WED, 2);
  add (fixture, RUST_TESTING, 5);
  before_spf = get_row (fixture, SPF_WED);

  /* Without apply: a plan, and nothing changed. */
  plan = resolve (fixture, FALSE);
  g_assert_false (plan->applied);
  g_assert_cmpuint (plan->changed_ids->len, ==, 0);
  g_assert_cmpuint (plan->plan->n_skip, ==, 1);
  g_assert_cmpuint (plan->plan->n_move, ==, 1);
  g_assert_cmpuint (plan->plan->total_priority, ==, 4 + 2 + 5);
  {
    guint item;

    g_assert_true (lpc_agenda_view_lookup (plan->view, SPF_WED, &item));
    g_assert_cmpstr (lpc_agenda_resolution_placed_id_of_item (plan, item), ==, SPF_FRI);
    g_assert_true (lpc_agenda_resolution_involves (plan, plan->step_of_item[item]));
  }
  g_clear_pointer (&before_spf, lpc_agenda_row_free);
  before_spf = get_row (fixture, SPF_WED);
  g_assert_cmpint (before_spf->item->state, ==, LPC_ITEM_PLANNED);

  applied = resolve (fixture, TRUE);
  g_assert_true (applied->applied);
  /* AgendaChanged names the skipped one and both places of the moved one. */
  g_assert_cmpuint (applied->changed_ids->len, ==, g_strv_length ((char **) changed));
  for (guint i = 0; changed[i] != NULL; i++)
    g_assert_true (
        g_ptr_array_find_with_equal_func (applied->changed_ids, changed[i], g_str_equal, NULL));
  skipped = get_row (fixture, BPF_TRACING);
  g_assert_cmpint (skipped->item->state, ==, LPC_ITEM_SKIPPED);
  moved = get_row (fixture, SPF_FRI);
  g_assert_cmpint (moved->item->state, ==, LPC_ITEM_PLANNED);
  g_assert_cmpuint (moved->item->priority, ==, 2);
  g_assert_cmpint (moved->item->added_at, ==, before_spf->item->added_at);
  rows = lpc_agenda_list_agenda (fixture->agenda, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);

  after = find_conflicts (fixture);
  g_assert_cmpuint (after->report->conflicts->len, ==, 0);
  g_assert_cmpuint (after->report->n_unaccepted, ==, 0);

  again = resolve (fixture, TRUE);
  g_assert_cmpuint (again->changed_ids->len, ==, 0);
  g_assert_cmpuint (again->plan->n_skip + again->plan->n_move, ==, 0);
}

/* A short overlap: both kept, the note appended once, the pair accepted
 * until the setting no longer calls it short. */
static void
test_soft_overlap (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (LpcAgendaResolution) applied = NULL;
  g_autoptr (LpcAgendaResolution) again = NULL;
  g_autoptr (LpcAgendaConflicts) before = NULL;
  g_autoptr (LpcAgendaConflicts) after = NULL;
  g_autoptr (LpcAgendaConflicts) strict = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (LpcItemOptions) note = { .set_note = TRUE, .note = g_strdup ("front row") };
  g_autofree char *note_after = NULL;

  add (fixture, RUST, 4);
  add (fixture, OVEREAGER, 3);
  row = lpc_agenda_update (fixture->agenda, OVEREAGER, &note, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&row, lpc_agenda_row_free);
  before = find_conflicts (fixture);
  g_assert_cmpuint (before->report->n_unaccepted, ==, 1);

  applied = resolve (fixture, TRUE);
  g_assert_cmpuint (applied->plan->n_skip, ==, 0);
  g_assert_cmpuint (applied->plan->soft_pairs->len, ==, 1);
  pairs = lpc_store_accepted_overlaps (lpc_agenda_get_store (fixture->agenda), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pairs->len, ==, 2);
  g_assert_cmpstr (pairs->pdata[0], ==, OVEREAGER);
  g_assert_cmpstr (pairs->pdata[1], ==, RUST);
  row = get_row (fixture, OVEREAGER);
  g_assert_true (g_str_has_prefix (row->item->note, "front row\n"));
  g_assert_nonnull (strstr (row->item->note, "5 min"));
  note_after = g_strdup (row->item->note);

  after = find_conflicts (fixture);
  g_assert_cmpuint (after->report->conflicts->len, ==, 1);
  g_assert_true (((LpcConflict *) after->report->conflicts->pdata[0])->accepted);
  g_assert_cmpuint (after->report->n_unaccepted, ==, 0);

  /* Applying again: the note is there already, the pair too. */
  again = resolve (fixture, TRUE);
  g_assert_cmpuint (again->changed_ids->len, ==, 0);
  g_clear_pointer (&row, lpc_agenda_row_free);
  row = get_row (fixture, OVEREAGER);
  g_assert_cmpstr (row->item->note, ==, note_after);

  /* The setting: validated, stored, and what makes a pair short. */
  g_assert_false (lpc_agenda_set_soft_overlap (fixture->agenda, LPC_SOFT_OVERLAP_MAX + 1, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (lpc_agenda_set_soft_overlap (fixture->agenda, 0, &error));
  g_assert_no_error (error);
  strict = find_conflicts (fixture);
  g_assert_false (((LpcConflict *) strict->report->conflicts->pdata[0])->accepted);
  g_assert_cmpuint (strict->report->n_unaccepted, ==, 1);

  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  fixture->agenda = open_agenda (fixture);
  g_assert_cmpuint (lpc_agenda_get_soft_overlap (fixture->agenda), ==, 0);
}

/* Free time by date or weekday; a day the conference lacks gives none, a
 * day that is none is refused. */
static void
test_free_time_days (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (LpcAgendaFreeTime) all = NULL;
  g_autoptr (LpcAgendaFreeTime) monday = NULL;
  g_autoptr (LpcAgendaFreeTime) by_date = NULL;
  g_autoptr (LpcAgendaFreeTime) saturday = NULL;
  g_autoptr (LpcAgendaFreeTime) bad = NULL;
  g_autoptr (GError) error = NULL;
  const LpcFreeDay *day;

  add (fixture, RUST, 3);
  all = lpc_agenda_find_free_time (fixture->agenda, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->days->len, ==, 5);
  monday = lpc_agenda_find_free_time (fixture->agenda, "Monday", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (monday->days->len, ==, 1);
  day = g_ptr_array_index (monday->days, 0);
  g_assert_cmpuint (g_date_get_day (&day->date), ==, 20);
  /* The pick splits the day's hours in two. */
  g_assert_cmpuint (day->windows->len, ==, 2);
  by_date = lpc_agenda_find_free_time (fixture->agenda, "2021-09-20", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_date->days->len, ==, 1);
  g_assert_cmpint (((LpcFreeDay *) by_date->days->pdata[0])->start, ==, day->start);
  saturday = lpc_agenda_find_free_time (fixture->agenda, "sat", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saturday->days->len, ==, 0);
  bad = lpc_agenda_find_free_time (fixture->agenda, "funday", &error);
  g_assert_null (bad);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "funday"));
}

/* The index lives with the program and is made anew with an import. */
static void
test_index_follows_the_program (Fixture *fixture, gconstpointer user_data)
{
  LpcProgramIndex *first = lpc_agenda_get_program_index (fixture->agenda);
  LpcImportSummary summary = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (lpc_agenda_get_program_index (fixture->agenda) == first);
  g_assert_true (lpc_program_index_get_program (first) == lpc_agenda_get_program (fixture->agenda));
  {
    guint64 total = 1;
    g_autoptr (GPtrArray) defects = lpc_agenda_check_program (fixture->agenda, &total);

    g_assert_cmpuint (defects->len, ==, 0);
    g_assert_cmpuint (total, ==, 0);
  }
  g_assert_true (lpc_agenda_import_program (fixture->agenda, g_getenv ("LPC_TEST_TIMETABLE"),
                                            &summary, &error));
  g_assert_no_error (error);
  lpc_import_summary_clear (&summary);
  g_assert_true (lpc_program_index_get_program (lpc_agenda_get_program_index (fixture->agenda))
                 == lpc_agenda_get_program (fixture->agenda));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/agenda-conflicts/view", test_view);
  ADD ("/agenda-conflicts/partners-match-the-core", test_partners_match_the_core);
  ADD ("/agenda-conflicts/resolve-apply", test_resolve_apply);
  ADD ("/agenda-conflicts/soft-overlap", test_soft_overlap);
  ADD ("/agenda-conflicts/free-time-days", test_free_time_days);
  ADD ("/agenda-conflicts/index-follows-the-program", test_index_follows_the_program);
#undef ADD

  return g_test_run ();
}
