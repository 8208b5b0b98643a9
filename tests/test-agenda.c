/* test-agenda.c: LpcAgenda, the daemon's core context, driven directly (no
 * D-Bus) with a temporary database and the shipped timetable. */
#include "agenda.h"
#include "agenda-conflicts.h"
#include "lpc-error.h"
#include "program-lpc-text.h"
#include "talk-lookup.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

typedef struct
{
  char *dir;
  char *db_path;
  const char *timetable;
  LpcAgenda *agenda;
} Fixture;

static LpcAgenda *
open_agenda (Fixture *fixture, GError **error)
{
  return lpc_agenda_new (fixture->db_path, fixture->timetable, lpc_clock_new_real (), error);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;

  fixture->timetable = g_getenv ("LPC_TEST_TIMETABLE");
  g_assert_nonnull (fixture->timetable);
  fixture->dir = g_dir_make_tmp ("test-agenda-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "data", "agenda.db", NULL);
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->agenda);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer user_data)
{
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

/* The first entry of @kind in program order. */
static const LpcEntry *
first_of_kind (LpcAgenda *agenda, LpcEntryKind kind)
{
  GPtrArray *entries = lpc_agenda_get_program (agenda)->entries;

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      if (entry->kind == kind)
        return entry;
    }
  g_assert_not_reached ();
}

static guint
agenda_length (LpcAgenda *agenda)
{
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = lpc_agenda_list_agenda (agenda, &filter, &error);

  g_assert_no_error (error);
  return rows->len;
}

/* ---- start-up ---- */

static void
test_first_start_imports_second_loads (Fixture *fixture, gconstpointer user_data)
{
  LpcAgendaStatus status;
  g_autoptr (GError) error = NULL;

  g_assert_true (lpc_agenda_get_status (fixture->agenda, &status, &error));
  g_assert_no_error (error);
  g_assert_true (status.program_was_parsed);
  g_assert_cmpuint (status.n_sessions, ==, 38);
  g_assert_cmpuint (status.n_talks, ==, 226);
  g_assert_cmpuint (status.n_breaks, ==, 45);
  g_assert_cmpstr (status.program_timezone, ==, "America/Los_Angeles");
  g_assert_cmpstr (status.database, ==, fixture->db_path);

  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (lpc_agenda_get_status (fixture->agenda, &status, &error));
  /* Same file, same hash: the stored program is used, nothing is parsed. */
  g_assert_false (status.program_was_parsed);
  g_assert_cmpuint (status.n_talks, ==, 226);
}

static void
test_start_without_program_file (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgenda) agenda = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-program.txt", NULL);
  g_autofree char *fresh_db = g_build_filename (fixture->dir, "fresh.db", NULL);
  LpcAgendaStatus status;

  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  if (g_test_subprocess ())
    {
      /* The store has a program: a missing file only costs a warning, which
       * must not abort this process as g_test_init() makes warnings do. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      agenda = lpc_agenda_new (fixture->db_path, missing, lpc_clock_new_real (), &error);
      g_assert_no_error (error);
      g_assert_true (lpc_agenda_get_status (agenda, &status, &error));
      g_assert_false (status.program_was_parsed);
      g_assert_cmpuint (status.n_talks, ==, 226);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*no-such-program.txt*using the program stored in*");

  /* No program stored and none given: a clear error. */
  agenda = lpc_agenda_new (fresh_db, NULL, lpc_clock_new_real (), &error);
  g_assert_null (agenda);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "--program"));
}

static void
test_first_start_bad_program (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgenda) agenda = NULL;
  g_autofree char *fresh_db = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.txt", NULL);

  /* Not a program, and not a regular file: no database is created. */
  g_assert_true (g_file_set_contents (garbage, "not a timetable\n", -1, &error));
  agenda = lpc_agenda_new (fresh_db, garbage, lpc_clock_new_real (), &error);
  g_assert_null (agenda);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_nonnull (strstr (error->message, garbage));
  g_clear_error (&error);
  agenda = lpc_agenda_new (fresh_db, fixture->dir, lpc_clock_new_real (), &error);
  g_assert_null (agenda);
  g_assert_nonnull (error);
  g_assert_false (g_file_test (fresh_db, G_FILE_TEST_EXISTS));
}

/* ---- resolving ids ---- */

static void
test_resolve (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  const LpcEntry *entry;

  entry = lpc_agenda_resolve (fixture->agenda, "bpf-networking-opening-session", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->title, ==, "BPF & Networking Opening Session");

  entry = lpc_agenda_resolve (fixture->agenda, "bpf-networking-open", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->id, ==, "bpf-networking-opening-session");

  /* Ids are lowercase; what someone types need not be. */
  entry = lpc_agenda_resolve (fixture->agenda, "BPF-Networking-Open", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->id, ==, "bpf-networking-opening-session");
}

static void
test_resolve_ambiguous (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (lpc_agenda_resolve (fixture->agenda, "bpf", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_AMBIGUOUS_ID);
  g_assert_nonnull (strstr (error->message, "'bpf'"));
  /* Candidates as "id — title". */
  g_assert_nonnull (
      strstr (error->message, "bpf-networking-opening-session — BPF & Networking Opening Session"));
}

static void
test_resolve_unknown_suggests (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* A typo in the id. */
  g_assert_null (lpc_agenda_resolve (fixture->agenda, "specualtive-page-faults", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
  g_assert_nonnull (strstr (error->message, "specualtive-page-faults"));
  g_assert_nonnull (strstr (error->message, "— Speculative page faults"));
  g_clear_error (&error);

  /* Words of the title. */
  g_assert_null (lpc_agenda_resolve (fixture->agenda, "lore b4", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
  g_assert_nonnull (strstr (error->message, "doing-more-with-lore-and-b4"));
  g_clear_error (&error);

  /* Nothing close: no suggestions, still a clear message. */
  g_assert_null (lpc_agenda_resolve (fixture->agenda, "zzzzqqqq", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
  g_assert_null (strstr (error->message, "closest"));
}

static void
test_resolve_bad_ids (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *huge = g_strnfill (1024 * 1024, 'a');

  g_assert_null (lpc_agenda_resolve (fixture->agenda, "", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (lpc_agenda_resolve (fixture->agenda, NULL, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (lpc_agenda_resolve (fixture->agenda, huge, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  /* The message quotes the start of it, not a megabyte. */
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_clear_error (&error);

  g_assert_null (lpc_agenda_resolve (fixture->agenda, "bpf-\xff\xfe", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* ---- the agenda ---- */

static void
test_add_break_not_attendable (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  const LpcEntry *coffee = first_of_kind (fixture->agenda, LPC_ENTRY_BREAK);
  LpcItemOptions options = { 0 };

  g_assert_null (lpc_agenda_add (fixture->agenda, coffee->id, &options, NULL, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NOT_ATTENDABLE);
  g_assert_nonnull (strstr (error->message, coffee->id));
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 0);
}

static void
test_add_twice (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  LpcItemOptions options = { .set_priority = TRUE, .priority = 5 };
  gboolean already = TRUE;

  row = lpc_agenda_add (fixture->agenda, "doing-more-with-lore", &options, &already, &error);
  g_assert_no_error (error);
  g_assert_false (already);
  g_assert_cmpstr (row->entry->id, ==, "doing-more-with-lore-and-b4");
  g_assert_cmpuint (row->item->priority, ==, 5);
  g_assert_cmpint (row->item->state, ==, LPC_ITEM_PLANNED);
  g_clear_pointer (&row, lpc_agenda_row_free);

  /* Again, with other options: nothing changes, and it says so. */
  options.priority = 1;
  row = lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &options, &already, &error);
  g_assert_no_error (error);
  g_assert_true (already);
  g_assert_cmpuint (row->item->priority, ==, 5);
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 1);
}

static void
test_add_session_block (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  const LpcEntry *block = first_of_kind (fixture->agenda, LPC_ENTRY_SESSION);
  LpcItemOptions options = { 0 };

  row = lpc_agenda_add (fixture->agenda, block->id, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (row->entry->kind, ==, LPC_ENTRY_SESSION);
  g_assert_cmpuint (row->item->priority, ==, LPC_PRIORITY_DEFAULT);
}

static void
test_add_options_validated (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autofree char *long_note = g_strnfill (LPC_NOTE_MAX_LEN + 1, 'n');
  LpcItemOptions bad[] = {
    { .set_priority = TRUE, .priority = 0 },
    { .set_priority = TRUE, .priority = 6 },
    { .set_remind = TRUE, .remind = (char *) "soon" },
    { .set_remind = TRUE, .remind = (char *) "1441" },
    { .set_remind = TRUE, .remind = (char *) "10," },
    { .set_remind = TRUE, .remind = (char *) "-5" },
    { .set_remind = TRUE, .remind = (char *) "1,2,3,4,5,6,7,8,9" },
    { .set_note = TRUE, .note = long_note },
    { .set_note = TRUE, .note = (char *) "caf\xe9" },
  };
  LpcItemOptions good = { .set_remind = TRUE,
                          .remind = (char *) " 0, 10,10 ",
                          .set_note = TRUE,
                          .note = (char *) "ask about page pools" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (
          lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &bad[i], NULL, &error));
      g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
      g_test_message ("bad option %u: %s", i, error->message);
      g_clear_error (&error);
    }
  /* Nothing was stored by any of them. */
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 0);

  row = lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &good, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row->item->remind, ==, "10,0");
  g_assert_cmpstr (row->item->note, ==, "ask about page pools");
}

static void
test_normalize_remind (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *empty = lpc_agenda_normalize_remind ("", &error);
  g_autofree char *off = lpc_agenda_normalize_remind ("off", &error);
  g_autofree char *leads = lpc_agenda_normalize_remind ("0,15,5,1440", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (off, ==, "off");
  g_assert_cmpstr (leads, ==, "1440,15,5,0");
  g_assert_null (lpc_agenda_normalize_remind ("OFF", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
}

static void
test_update (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  LpcItemOptions none = { 0 };
  LpcItemOptions priority = { .set_priority = TRUE, .priority = 4 };
  LpcItemOptions bad = { .set_priority = TRUE, .priority = 9 };
  LpcItemOptions default_remind = { .set_remind = TRUE, .remind = (char *) "" };
  gboolean changed = FALSE;

  row = lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &none, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&row, lpc_agenda_row_free);

  /* A prefix of an id on the agenda is enough, even where the program has
   * several ids starting with it. */
  row = lpc_agenda_update (fixture->agenda, "do", &priority, &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_cmpuint (row->item->priority, ==, 4);
  g_clear_pointer (&row, lpc_agenda_row_free);

  row = lpc_agenda_update (fixture->agenda, "doing", &priority, &changed, &error);
  g_assert_no_error (error);
  g_assert_false (changed);
  g_clear_pointer (&row, lpc_agenda_row_free);

  row = lpc_agenda_update (fixture->agenda, "doing", &default_remind, &changed, &error);
  g_assert_no_error (error);
  g_assert_null (row->item->remind);
  g_clear_pointer (&row, lpc_agenda_row_free);

  g_assert_null (lpc_agenda_update (fixture->agenda, "doing", &bad, &changed, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* In the program but not on the agenda. */
  g_assert_null (lpc_agenda_update (fixture->agenda, "bpf-networking-opening-session", &priority,
                                    NULL, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
  g_assert_nonnull (strstr (error->message, "not on your agenda"));
}

static void
test_skip_unskip_remove (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  g_auto (LpcAgendaFilter) skipped = { .by_state = TRUE, .state = LPC_ITEM_SKIPPED };
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *id = NULL;
  LpcItemOptions none = { 0 };
  gboolean changed = FALSE;

  row = lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &none, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);

  id = lpc_agenda_skip (fixture->agenda, "doing-more", &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "doing-more-with-lore-and-b4");
  g_assert_true (changed);
  g_clear_pointer (&id, g_free);
  rows = lpc_agenda_list_agenda (fixture->agenda, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  id = lpc_agenda_skip (fixture->agenda, "doing-more", &changed, &error);
  g_assert_no_error (error);
  g_assert_false (changed);
  g_clear_pointer (&id, g_free);

  id = lpc_agenda_unskip (fixture->agenda, "doing-more", &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_clear_pointer (&id, g_free);
  rows = lpc_agenda_list_agenda (fixture->agenda, &skipped, &error);
  g_assert_cmpuint (rows->len, ==, 0);

  id = lpc_agenda_unskip (fixture->agenda, "doing-more", &changed, &error);
  g_assert_no_error (error);
  g_assert_false (changed);
  g_clear_pointer (&id, g_free);

  id = lpc_agenda_remove (fixture->agenda, "doing-more", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 0);
  g_clear_pointer (&id, g_free);

  g_assert_null (lpc_agenda_remove (fixture->agenda, "doing-more", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
}

static void
test_agenda_filters (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_auto (LpcAgendaFilter) monday = { 0 };
  g_auto (LpcAgendaFilter) friday = { 0 };
  g_autoptr (GPtrArray) rows = NULL;
  const char *ids[] = { "doing-more-with-lore-and-b4", "speculative-page-faults-fri",
                        "bpf-networking-opening-session" };
  LpcItemOptions none = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr (LpcAgendaRow) row = lpc_agenda_add (fixture->agenda, ids[i], &none, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (row);
    }
  g_assert_true (lpc_talk_filter_set_day (&monday.when, "mon", &error));
  rows = lpc_agenda_list_agenda (fixture->agenda, &monday, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  /* By start time, whatever the order they were added in. */
  g_assert_cmpstr (((LpcAgendaRow *) g_ptr_array_index (rows, 0))->entry->id, ==,
                   "bpf-networking-opening-session");
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_assert_true (lpc_talk_filter_set_day (&friday.when, "2021-09-24", &error));
  rows = lpc_agenda_list_agenda (fixture->agenda, &friday, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
}

/* ---- listing the program ---- */

static guint
count_talks (LpcAgenda *agenda, const LpcTalkFilter *filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) talks = lpc_agenda_list_talks (agenda, filter, &error);

  g_assert_no_error (error);
  return talks->len;
}

static void
test_list_day_in_program_zone (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_auto (LpcTalkFilter) by_weekday = { 0 };
  g_auto (LpcTalkFilter) by_date = { 0 };
  g_autoptr (GPtrArray) talks = NULL;
  g_autoptr (GTimeZone) los_angeles = g_time_zone_new_identifier ("America/Los_Angeles");
  guint total;

  /* The tests run with TZ=America/New_York; days are the program's. */
  g_assert_cmpstr (g_getenv ("TZ"), ==, "America/New_York");
  g_assert_true (lpc_talk_filter_set_day (&by_weekday, "mon", &error));
  g_assert_true (lpc_talk_filter_set_day (&by_date, "2021-09-20", &error));
  g_assert_no_error (error);

  talks = lpc_agenda_list_talks (fixture->agenda, &by_weekday, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (talks->len, >, 20);
  for (guint i = 0; i < talks->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (talks, i);
      g_autoptr (GDateTime) start = g_date_time_new_from_unix_utc (entry->start);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (start, los_angeles);

      g_assert_cmpint (entry->kind, ==, LPC_ENTRY_TALK);
      g_assert_cmpint (g_date_time_get_day_of_month (local), ==, 20);
      if (i > 0)
        g_assert_cmpint (entry->start, >=,
                         ((const LpcEntry *) g_ptr_array_index (talks, i - 1))->start);
    }
  g_assert_cmpstr (((const LpcEntry *) g_ptr_array_index (talks, 0))->id, ==,
                   "bpf-networking-opening-session");
  g_assert_cmpuint (count_talks (fixture->agenda, &by_date), ==, talks->len);

  /* The five days hold every talk. */
  total = 0;
  for (guint day = 20; day <= 24; day++)
    {
      g_auto (LpcTalkFilter) filter = { 0 };
      g_autofree char *date = g_strdup_printf ("2021-09-%u", day);

      g_assert_true (lpc_talk_filter_set_day (&filter, date, &error));
      total += count_talks (fixture->agenda, &filter);
    }
  g_assert_cmpuint (total, ==, 226);
}

static void
test_list_filters (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_auto (LpcTalkFilter) all = { .kind = LPC_KIND_FILTER_ALL };
  g_auto (LpcTalkFilter) sessions = { .kind = LPC_KIND_FILTER_SESSION };
  g_auto (LpcTalkFilter) breaks = { .kind = LPC_KIND_FILTER_BREAK };
  g_auto (LpcTalkFilter) talks = { 0 };
  g_auto (LpcTalkFilter) track = { 0 };
  g_auto (LpcTalkFilter) query = { 0 };
  g_auto (LpcTalkFilter) limited = { .limit = 5 };
  g_auto (LpcTalkFilter) window = { 0 };
  g_auto (LpcTalkFilter) bad = { 0 };
  g_autoptr (GPtrArray) found = NULL;

  g_assert_cmpuint (count_talks (fixture->agenda, &all), ==, 309);
  g_assert_cmpuint (count_talks (fixture->agenda, &sessions), ==, 38);
  g_assert_cmpuint (count_talks (fixture->agenda, &breaks), ==, 45);
  g_assert_cmpuint (count_talks (fixture->agenda, &talks), ==, 226);
  g_assert_cmpuint (count_talks (fixture->agenda, &limited), ==, 5);

  g_assert_true (lpc_talk_filter_set_track (&track, "kernel summit", &error));
  found = lpc_agenda_list_talks (fixture->agenda, &track, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    g_assert_cmpstr (((const LpcEntry *) g_ptr_array_index (found, i))->track, ==, "Kernel Summit");
  g_clear_pointer (&found, g_ptr_array_unref);

  g_assert_true (lpc_talk_filter_set_query (&query, "LORE  b4", &error));
  found = lpc_agenda_list_talks (fixture->agenda, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((const LpcEntry *) g_ptr_array_index (found, 0))->id, ==,
                   "doing-more-with-lore-and-b4");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Monday 2021-09-20 07:00–07:30 PDT. */
  window.has_from = TRUE;
  window.from = 1632146400;
  window.has_to = TRUE;
  window.to = 1632148200;
  found = lpc_agenda_list_talks (fixture->agenda, &window, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (found, i);
      g_assert_cmpint (entry->end, >, window.from);
      g_assert_cmpint (entry->start, <, window.to);
    }

  g_assert_false (lpc_talk_filter_set_day (&bad, "funday", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lpc_talk_filter_set_day (&bad, "2021-02-30", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lpc_talk_filter_set_kind (&bad, "keynote", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lpc_talk_filter_set_query (&bad, "   ", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
}

/* The agenda keeps abstracts in the store, not in memory: searching must
 * still find words of the abstract, exactly as searching the parsed program
 * does, and the abstract read back is the one parsed. */
static void
test_list_query_abstracts (Fixture *fixture, gconstpointer user_data)
{
  static const char *const queries[] = {
    "bottleneck",  "reuseport bottleneck", "MÜNCHEN", "Stéphane",
    "universität", "ebpf tracing",         "rcu",     "nosuchwordanywhere",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) parsed = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("America/Los_Angeles");
  LpcProgram *held = lpc_agenda_get_program (fixture->agenda);

  parsed = lpc_program_load_lpc_text_file (fixture->timetable, warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (held->entries->len, ==, parsed->entries->len);
  for (guint i = 0; i < parsed->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (parsed->entries, i);
      const LpcEntry *stored = lpc_program_lookup (held, entry->id);
      g_autofree char *abstract = NULL;

      g_assert_nonnull (stored);
      abstract = lpc_agenda_dup_abstract (fixture->agenda, stored, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (abstract, ==, entry->abstract);
    }

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_auto (LpcTalkFilter) filter = { .kind = LPC_KIND_FILTER_ALL };
      g_autoptr (GPtrArray) found = NULL;
      g_autoptr (GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_true (lpc_talk_filter_set_query (&filter, queries[q], &error));
      for (guint i = 0; i < parsed->entries->len; i++)
        {
          const LpcEntry *entry = g_ptr_array_index (parsed->entries, i);
          if (lpc_talk_filter_matches (&filter, entry, zone))
            g_hash_table_add (expected, entry->id);
        }
      found = lpc_agenda_list_talks (fixture->agenda, &filter, &error);
      g_assert_no_error (error);
      if (g_test_verbose ())
        g_test_message ("query '%s': %u entries", queries[q], found->len);
      g_assert_cmpuint (found->len, ==, g_hash_table_size (expected));
      for (guint i = 0; i < found->len; i++)
        g_assert_true (g_hash_table_contains (
            expected, ((const LpcEntry *) g_ptr_array_index (found, i))->id));
      /* The words that are only in abstracts find something. */
      if (q < 5)
        g_assert_cmpuint (found->len, >, 0);
    }
}

/* ---- days across a change of summer time ---- */

/* A talk in a program of Los Angeles times; @local is "YYYY-MM-DDTHH:MM"
 * in that zone. */
static void
add_dst_talk (LpcProgram *program, const char *id, const char *local)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("America/Los_Angeles");
  g_autofree char *iso = g_strconcat (local, ":00", NULL);
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 (iso, zone);
  LpcEntry *entry = lpc_entry_new ();

  g_assert_nonnull (start);
  entry->id = g_strdup (id);
  entry->kind = LPC_ENTRY_TALK;
  entry->title = g_strdup (id);
  entry->track = g_strdup ("Track");
  entry->room = g_strdup ("Room");
  entry->start = g_date_time_to_unix (start);
  entry->end = entry->start + 20 * 60;
  entry->identity = g_strdup_printf ("talk|Track|%s|1", id);
  entry->source_line = program->entries->len + 1;
  lpc_program_take_entry (program, entry);
}

static void
store_dst_program (const char *db_path, gboolean with_old)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcStore) store = lpc_store_open (db_path, &error);
  g_autoptr (LpcProgram) program = lpc_program_new ("DST", "America/Los_Angeles");
  LpcImportSummary summary = { 0 };

  g_assert_no_error (error);
  if (with_old)
    add_dst_talk (program, "old", "2021-11-01T10:00"); /* a Monday */
  add_dst_talk (program, "sat-late", "2021-11-06T23:30");
  /* Summer time ends at 02:00 on Sunday 7 November: a 25-hour day. */
  add_dst_talk (program, "sun-early", "2021-11-07T00:30");
  add_dst_talk (program, "sun-late", "2021-11-07T23:30");
  add_dst_talk (program, "mon-early", "2021-11-08T00:30");
  g_assert_true (lpc_store_import_program (store, program, &summary, &error));
  g_assert_no_error (error);
  lpc_import_summary_clear (&summary);
}

static char *
ids_on_day (LpcAgenda *agenda, const char *day)
{
  g_autoptr (GError) error = NULL;
  g_auto (LpcTalkFilter) filter = { 0 };
  g_autoptr (GPtrArray) talks = NULL;
  g_autoptr (GString) ids = g_string_new (NULL);

  g_assert_true (lpc_talk_filter_set_day (&filter, day, &error));
  talks = lpc_agenda_list_talks (agenda, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < talks->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            ((const LpcEntry *) g_ptr_array_index (talks, i))->id);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
agenda_ids_on_day (LpcAgenda *agenda, const char *day)
{
  g_autoptr (GError) error = NULL;
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GString) ids = g_string_new (NULL);

  g_assert_true (lpc_talk_filter_set_day (&filter.when, day, &error));
  rows = lpc_agenda_list_agenda (agenda, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            ((const LpcAgendaRow *) g_ptr_array_index (rows, i))->entry->id);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define ASSERT_IDS(expr, expected)                                                                 \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *ids_ = (expr);                                                                \
    g_assert_cmpstr (ids_, ==, (expected));                                                        \
  }                                                                                                \
  G_STMT_END

/* Days are the program's, midnight to midnight, also when one is 25 hours
 * long; and an agenda item whose talk was cancelled is still found by the
 * day it was on, outside the days the program now spans. */
static void
test_days_across_summer_time (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-agenda-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "agenda.db", NULL);
  g_autoptr (LpcAgenda) agenda = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  LpcItemOptions none = { 0 };

  g_assert_no_error (error);
  store_dst_program (db_path, TRUE);
  agenda = lpc_agenda_new (db_path, NULL, lpc_clock_new_real (), &error);
  g_assert_no_error (error);
  ASSERT_IDS (ids_on_day (agenda, "sat"), "sat-late");
  ASSERT_IDS (ids_on_day (agenda, "sun"), "sun-early sun-late");
  ASSERT_IDS (ids_on_day (agenda, "2021-11-07"), "sun-early sun-late");
  ASSERT_IDS (ids_on_day (agenda, "mon"), "old mon-early");
  ASSERT_IDS (ids_on_day (agenda, "2021-11-08"), "mon-early");
  ASSERT_IDS (ids_on_day (agenda, "2021-11-02"), "");
  ASSERT_IDS (ids_on_day (agenda, "wed"), "");
  g_assert_cmpstr (g_time_zone_get_identifier (lpc_agenda_get_timezone (agenda)), ==,
                   "America/Los_Angeles");

  row = lpc_agenda_add (agenda, "old", &none, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&row, lpc_agenda_row_free);
  row = lpc_agenda_add (agenda, "sun-late", &none, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&agenda, lpc_agenda_free);

  /* "old" vanishes from the program: its item is cancelled. */
  store_dst_program (db_path, FALSE);
  agenda = lpc_agenda_new (db_path, NULL, lpc_clock_new_real (), &error);
  g_assert_no_error (error);
  ASSERT_IDS (ids_on_day (agenda, "mon"), "mon-early");
  ASSERT_IDS (agenda_ids_on_day (agenda, "mon"), "old");
  ASSERT_IDS (agenda_ids_on_day (agenda, "2021-11-01"), "old");
  ASSERT_IDS (agenda_ids_on_day (agenda, "sun"), "sun-late");
  ASSERT_IDS (agenda_ids_on_day (agenda, "sat"), "");

  g_clear_pointer (&agenda, lpc_agenda_free);
  remove_tree (dir);
}

static void
test_occurrences (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  const LpcEntry *wednesday
      = lpc_agenda_resolve (fixture->agenda, "speculative-page-faults-wed", &error);
  g_auto (GStrv) others = NULL;

  g_assert_no_error (error);
  others = lpc_agenda_dup_other_occurrences (fixture->agenda, wednesday);
  g_assert_nonnull (others);
  g_assert_cmpuint (g_strv_length (others), ==, 1);
  g_assert_cmpstr (others[0], ==, "speculative-page-faults-fri");
  g_assert_null (lpc_agenda_dup_other_occurrences (
      fixture->agenda, lpc_agenda_resolve (fixture->agenda, "doing-more-with-lore-and-b4", NULL)));
}

/* ---- settings and importing ---- */

static void
test_settings (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (lpc_agenda_get_lead_time (fixture->agenda), ==, 5);
  g_assert_cmpuint (lpc_agenda_get_travel_time (fixture->agenda), ==, 0);

  g_assert_false (lpc_agenda_set_lead_time (fixture->agenda, 1441, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "LeadTime"));
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_travel_time (fixture->agenda, 241, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (lpc_agenda_get_lead_time (fixture->agenda), ==, 5);

  g_assert_true (lpc_agenda_set_lead_time (fixture->agenda, 1440, &error));
  g_assert_true (lpc_agenda_set_travel_time (fixture->agenda, 10, &error));
  g_assert_no_error (error);

  /* Kept across a restart. */
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lpc_agenda_get_lead_time (fixture->agenda), ==, 1440);
  g_assert_cmpuint (lpc_agenda_get_travel_time (fixture->agenda), ==, 10);
}

/* The default may be a list of leads; LeadTime is its first value. */
static void
test_lead_times (Fixture *fixture, gconstpointer user_data)
{
  static const char *const refused[] = { "", "off", "soon", "5,", "1441", "1,2,3,4,5,6,7,8,9" };
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (lpc_agenda_get_lead_times (fixture->agenda), ==, "5");

  g_assert_true (lpc_agenda_set_lead_times (fixture->agenda, " 0, 10 ,0", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lpc_agenda_get_lead_times (fixture->agenda), ==, "10,0");
  g_assert_cmpuint (lpc_agenda_get_lead_time (fixture->agenda), ==, 10);

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (lpc_agenda_set_lead_times (fixture->agenda, refused[i], &error));
      g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "LeadTimes"));
      g_clear_error (&error);
    }
  g_assert_cmpstr (lpc_agenda_get_lead_times (fixture->agenda), ==, "10,0");

  /* Kept across a restart. */
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lpc_agenda_get_lead_times (fixture->agenda), ==, "10,0");
  g_assert_cmpuint (lpc_agenda_get_lead_time (fixture->agenda), ==, 10);

  /* One lead time replaces the list. */
  g_assert_true (lpc_agenda_set_lead_time (fixture->agenda, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lpc_agenda_get_lead_times (fixture->agenda), ==, "7");
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lpc_agenda_get_lead_times (fixture->agenda), ==, "7");
  g_assert_cmpuint (lpc_agenda_get_lead_time (fixture->agenda), ==, 7);
}

static void
test_import (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  LpcImportSummary summary = { 0 };
  LpcItemOptions none = { 0 };
  LpcAgendaStatus status;

  row = lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &none, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);

  g_assert_false (
      lpc_agenda_import_program (fixture->agenda, "data/lpc2021-timetable.txt", &summary, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "absolute"));
  g_clear_error (&error);
  lpc_import_summary_clear (&summary);

  /* Not a regular file: refused by the importer, nothing changes. */
  g_assert_false (lpc_agenda_import_program (fixture->agenda, "/dev/zero", &summary, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/dev/zero"));
  g_clear_error (&error);
  lpc_import_summary_clear (&summary);

  /* The same program again: every entry known, the agenda kept. */
  g_assert_true (lpc_agenda_import_program (fixture->agenda, fixture->timetable, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_talks, ==, 226);
  g_assert_cmpuint (summary.n_new, ==, 0);
  lpc_import_summary_clear (&summary);
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 1);
  g_assert_true (lpc_agenda_get_status (fixture->agenda, &status, &error));
  g_assert_cmpuint (status.n_planned, ==, 1);
}

typedef struct
{
  LpcAgenda *agenda;
  guint done;
  gboolean ok[3];
  GError *errors[3];
  LpcImportSummary summaries[3];
} AsyncImports;

static void
async_import_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncImports *imports = data;
  guint i = imports->done++;

  (void) source;
  imports->ok[i] = lpc_agenda_import_program_finish (imports->agenda, result,
                                                     &imports->summaries[i], &imports->errors[i]);
}

/* Imports started while one is read wait, and finish in order; a bad
 * argument is answered without waiting. */
static void
test_import_async_in_order (Fixture *fixture, gconstpointer user_data)
{
  AsyncImports imports = { .agenda = fixture->agenda };
  g_autofree char *ics = g_build_filename (fixture->dir, "never.ics", NULL);
  const char *text = "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-CALNAME:Linux Plumbers Conference "
                     "2021\nBEGIN:VEVENT\nUID:u\nSUMMARY:Never\nDTSTART:20210920T100000\n"
                     "RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30;COUNT=3\nEND:VEVENT\n"
                     "END:VCALENDAR\n";
  g_autoptr (GError) error = NULL;

  (void) user_data;
  g_assert_true (g_file_set_contents (ics, text, -1, &error));
  lpc_agenda_import_program_async (fixture->agenda, ics, LPC_IMPORT_DEFAULT, NULL,
                                   async_import_done, &imports);
  lpc_agenda_import_program_async (fixture->agenda, fixture->timetable, LPC_IMPORT_DEFAULT, NULL,
                                   async_import_done, &imports);
  lpc_agenda_import_program_async (fixture->agenda, "relative.ics", LPC_IMPORT_DEFAULT, NULL,
                                   async_import_done, &imports);
  while (imports.done < 3)
    g_main_context_iteration (NULL, TRUE);

  /* The relative path first: it waited for nothing. */
  g_assert_false (imports.ok[0]);
  g_assert_error (imports.errors[0], LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_false (imports.ok[1]);
  g_assert_error (imports.errors[1], LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_test_message ("%s", imports.errors[1]->message);
  g_assert_nonnull (strstr (imports.errors[1]->message, "never.ics:8: RRULE"));
  g_assert_true (imports.ok[2]);
  g_assert_no_error (imports.errors[2]);
  g_assert_cmpuint (imports.summaries[2].n_talks, ==, 226);
  for (guint i = 0; i < 3; i++)
    {
      g_clear_error (&imports.errors[i]);
      lpc_import_summary_clear (&imports.summaries[i]);
    }
}

/* ---- storage faults ---- */

/* For the disk-full test: store.c exports it for tests only. */
sqlite3 *lpc_store_get_db_for_tests (LpcStore *store);

typedef struct
{
  char *contents;
  gsize length;
  struct stat st;
} FileSnapshot;

static void
file_snapshot_take (FileSnapshot *snapshot, const char *path)
{
  g_assert_true (g_file_get_contents (path, &snapshot->contents, &snapshot->length, NULL));
  g_assert_cmpint (g_stat (path, (GStatBuf *) &snapshot->st), ==, 0);
}

/* Byte for byte, and not so much as touched (mtime, mode). */
static void
file_snapshot_assert_unchanged (FileSnapshot *snapshot, const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  struct stat st;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, snapshot->contents, snapshot->length);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mtim.tv_sec, ==, snapshot->st.st_mtim.tv_sec);
  g_assert_cmpint (st.st_mtim.tv_nsec, ==, snapshot->st.st_mtim.tv_nsec);
  g_assert_cmpuint (st.st_mode, ==, snapshot->st.st_mode);
  g_free (snapshot->contents);
}

static void
assert_storage_error (GError *error, const char *path, const char *words)
{
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, words));
}

/* Every operation on the user's agenda fails with LPC_ERROR_STORAGE naming
 * @path and saying @words; @reads_too: reading it as well. */
static void
assert_agenda_calls_fail (LpcAgenda *agenda, const char *path, const char *words,
                          gboolean reads_too)
{
  const LpcEntry *talk = first_of_kind (agenda, LPC_ENTRY_TALK);
  g_auto (LpcItemOptions) options = { 0 };
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *id = NULL;
  g_autofree char *timetable = g_strdup (g_getenv ("LPC_TEST_TIMETABLE"));
  LpcImportSummary summary = { 0 };

  row = lpc_agenda_add (agenda, talk->id, &options, NULL, &error);
  g_assert_null (row);
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  options.set_priority = TRUE;
  options.priority = 5;
  row = lpc_agenda_update (agenda, talk->id, &options, NULL, &error);
  g_assert_null (row);
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  id = lpc_agenda_remove (agenda, talk->id, &error);
  g_assert_null (id);
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  id = lpc_agenda_skip (agenda, talk->id, NULL, &error);
  g_assert_null (id);
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  id = lpc_agenda_unskip (agenda, talk->id, NULL, &error);
  g_assert_null (id);
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_lead_time (agenda, 7, &error));
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_lead_times (agenda, "10,0", &error));
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_travel_time (agenda, 7, &error));
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_soft_overlap (agenda, 7, &error));
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  g_assert_false (lpc_agenda_import_program (agenda, timetable, &summary, &error));
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  lpc_import_summary_clear (&summary);
  if (!reads_too)
    return;
  rows = lpc_agenda_list_agenda (agenda, &filter, &error);
  g_assert_null (rows);
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  row = lpc_agenda_get_item (agenda, talk->id, &error);
  g_assert_null (row);
  assert_storage_error (error, path, words);
  g_clear_error (&error);
  /* The conflicts ask the store themselves: the stand-in answers them. */
  g_assert_null (lpc_agenda_find_conflicts (agenda, &error));
  assert_storage_error (error, path, words);
}

/* What is served without the agenda: the program. */
static void
assert_program_served (LpcAgenda *agenda)
{
  g_auto (LpcTalkFilter) filter = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) talks = NULL;
  g_autofree char *abstract = NULL;
  const LpcEntry *talk = first_of_kind (agenda, LPC_ENTRY_TALK);
  LpcAgendaStatus status;

  talks = lpc_agenda_list_talks (agenda, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (talks->len, >, 100);
  g_assert_true (lpc_agenda_resolve (agenda, talk->id, &error) == talk);
  abstract = lpc_agenda_dup_abstract (agenda, talk, &error);
  g_assert_no_error (error);
  g_assert_nonnull (abstract);
  g_assert_true (lpc_agenda_get_status (agenda, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status.n_talks, ==, 226);
  g_assert_cmpuint (lpc_agenda_get_lead_time (agenda), ==, LPC_LEAD_TIME_DEFAULT);
}

static void
break_database (const char *path, const char *how)
{
  g_autoptr (GError) error = NULL;

  if (g_str_equal (how, "garbage"))
    g_file_set_contents (path, "this is not a database at all, just some text.\n", -1, &error);
  else if (g_str_equal (how, "corrupt"))
    {
      /* Every page but the first (the schema) is noise. */
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_cmpuint (length, >, 32768);
      memset (contents + 16384, 0xaa, length - 16384);
      g_file_set_contents (path, contents, (gssize) length, &error);
    }
  else if (g_str_equal (how, "newer"))
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==,
                       SQLITE_OK);
      sqlite3_close (db);
    }
  else
    g_assert_not_reached ();
  g_assert_no_error (error);
}

static void
test_storage_unavailable (Fixture *fixture, gconstpointer user_data)
{
  const char *how = user_data;
  const char *words = g_str_equal (how, "newer") ? "newer lpc-agenda" : "lpc-agenda repair";
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgenda) no_program = NULL;
  FileSnapshot snapshot = { 0 };
  LpcAgendaStatus status;
  const char *message = NULL;

  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  break_database (fixture->db_path, how);
  file_snapshot_take (&snapshot, fixture->db_path);

  /* The program file is served from memory; the agenda is refused, by name,
   * with what to do. */
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lpc_agenda_get_storage (fixture->agenda, &message), ==,
                   LPC_STORAGE_UNAVAILABLE);
  g_assert_nonnull (strstr (message, fixture->db_path));
  g_assert_nonnull (strstr (message, words));
  if (g_str_equal (how, "newer"))
    g_assert_nonnull (strstr (message, "Upgrade"));
  assert_program_served (fixture->agenda);
  g_assert_true (lpc_agenda_get_status (fixture->agenda, &status, &error));
  g_assert_cmpint (status.storage, ==, LPC_STORAGE_UNAVAILABLE);
  g_assert_cmpstr (status.storage_error, ==, message);
  g_assert_cmpstr (lpc_storage_state_to_string (status.storage), ==, "unavailable");
  g_assert_true (status.program_was_parsed);
  assert_agenda_calls_fail (fixture->agenda, fixture->db_path, words, TRUE);
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  file_snapshot_assert_unchanged (&snapshot, fixture->db_path);

  /* Without a program file there is nothing to serve. */
  file_snapshot_take (&snapshot, fixture->db_path);
  no_program = lpc_agenda_new (fixture->db_path, NULL, lpc_clock_new_real (), &error);
  g_assert_null (no_program);
  assert_storage_error (error, fixture->db_path, words);
  file_snapshot_assert_unchanged (&snapshot, fixture->db_path);
}

static void
test_storage_read_only (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_auto (LpcItemOptions) options = { 0 };
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (LpcAgendaConflicts) conflicts = NULL;
  const LpcEntry *talk = first_of_kind (fixture->agenda, LPC_ENTRY_TALK);
  g_autofree char *id = g_strdup (talk->id);
  FileSnapshot snapshot = { 0 };
  LpcAgendaStatus status;
  const char *message = NULL;

  row = lpc_agenda_add (fixture->agenda, id, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lpc_agenda_set_travel_time (fixture->agenda, 15, &error));
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  file_snapshot_take (&snapshot, fixture->db_path);

  /* As where the folder cannot be written: everything reads, nothing saves. */
  fixture->agenda = lpc_agenda_new_full (fixture->db_path, fixture->timetable,
                                         LPC_STORE_OPEN_READ_ONLY, lpc_clock_new_real (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lpc_agenda_get_storage (fixture->agenda, &message), ==, LPC_STORAGE_READ_ONLY);
  g_assert_nonnull (strstr (message, fixture->db_path));
  g_assert_nonnull (strstr (message, "read-only"));
  g_assert_cmpuint (lpc_agenda_get_travel_time (fixture->agenda), ==, 15);
  rows = lpc_agenda_list_agenda (fixture->agenda, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&row, lpc_agenda_row_free);
  row = lpc_agenda_get_item (fixture->agenda, id, &error);
  g_assert_no_error (error);
  conflicts = lpc_agenda_find_conflicts (fixture->agenda, &error);
  g_assert_no_error (error);
  g_assert_nonnull (conflicts);
  g_assert_true (lpc_agenda_get_status (fixture->agenda, &status, &error));
  g_assert_cmpint (status.storage, ==, LPC_STORAGE_READ_ONLY);
  g_assert_cmpuint (status.n_agenda, ==, 1);
  g_assert_false (status.program_was_parsed);
  assert_agenda_calls_fail (fixture->agenda, fixture->db_path, "read-only", FALSE);
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  file_snapshot_assert_unchanged (&snapshot, fixture->db_path);

  /* Writable again: as before. */
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lpc_agenda_get_storage (fixture->agenda, NULL), ==, LPC_STORAGE_OK);
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 1);
}

static void
test_storage_disk_full (Fixture *fixture, gconstpointer user_data)
{
  sqlite3 *db = lpc_store_get_db_for_tests (lpc_agenda_get_store (fixture->agenda));
  GPtrArray *entries = lpc_agenda_get_program (fixture->agenda)->entries;
  g_autofree char *note = g_strnfill (LPC_NOTE_MAX_LEN, 'n');
  g_autoptr (GError) error = NULL;
  g_auto (LpcItemOptions) options = { .set_note = TRUE, .note = g_strdup (note) };
  g_autoptr (GPtrArray) added = g_ptr_array_new ();
  const char *refused = NULL;
  char *max_pages = NULL;
  sqlite3_stmt *stmt = NULL;

  /* The database may not grow past the pages it has: SQLITE_FULL. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  max_pages = g_strdup_printf ("PRAGMA max_page_count = %d", sqlite3_column_int (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, max_pages, NULL, NULL, NULL), ==, SQLITE_OK);
  g_free (max_pages);

  /* Picks with long notes until the free room in its pages runs out. */
  for (guint i = 0; i < entries->len && refused == NULL; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (LpcAgendaRow) row = NULL;

      if (!lpc_entry_is_attendable (entry))
        continue;
      row = lpc_agenda_add (fixture->agenda, entry->id, &options, NULL, &error);
      if (row != NULL)
        g_ptr_array_add (added, entry->id);
      else
        refused = entry->id;
    }
  g_assert_nonnull (refused);
  assert_storage_error (error, fixture->db_path, "disk full");
  g_clear_error (&error);
  g_test_message ("%u picks fitted before the disk was full", added->len);

  /* Nothing half-applied, nothing lost; reads and read-only calls go on. */
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, added->len);
  {
    g_autoptr (LpcAgendaConflicts) conflicts = lpc_agenda_find_conflicts (fixture->agenda, &error);
    g_assert_no_error (error);
    g_assert_nonnull (conflicts);
  }

  /* Space again: the refused pick goes in. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1000000", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  {
    g_autoptr (LpcAgendaRow) row = lpc_agenda_add (fixture->agenda, refused, &options, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (row);
  }
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, added->len + 1);
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, added->len + 1);
}


/* Another conference's program: refused without LPC_IMPORT_REPLACE; with
 * it, the agenda is archived and comes back when the first program is
 * imported again, ids and options intact. */
static void
test_import_replace (Fixture *fixture, gconstpointer user_data)
{
  g_autofree char *frab = g_test_build_filename (G_TEST_DIST, "data", "frab-schedule.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  g_autoptr (LpcAgendaRow) plumbcon_row = NULL;
  g_autoptr (LpcAgendaRow) back = NULL;
  g_autoptr (GHashTable) archived = NULL;
  g_auto (LpcItemOptions) options = { .set_priority = TRUE, .priority = 5, .set_note = TRUE,
                                      .note = g_strdup ("front row") };
  LpcItemOptions none = { 0 };
  LpcImportSummary summary = { 0 };

  row = lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &options, NULL, &error);
  g_assert_no_error (error);

  /* Refused: nothing changes. */
  g_assert_false (lpc_agenda_import_program (fixture->agenda, frab, &summary, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "PlumbCon 2024"));
  g_assert_nonnull (strstr (error->message, "--replace"));
  g_clear_error (&error);
  lpc_import_summary_clear (&summary);
  g_assert_cmpstr (lpc_agenda_get_program (fixture->agenda)->name, ==,
                   "Linux Plumbers Conference 2021");
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 1);

  /* Replaced: the LPC agenda is archived. */
  g_assert_true (lpc_agenda_import_program_full (fixture->agenda, frab, LPC_IMPORT_REPLACE, NULL,
                                                 &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (summary.replaced_program, ==, "Linux Plumbers Conference 2021");
  g_assert_cmpuint (summary.n_archived, ==, 1);
  g_assert_cmpuint (summary.n_unarchived, ==, 0);
  lpc_import_summary_clear (&summary);
  g_assert_cmpstr (lpc_agenda_get_program (fixture->agenda)->name, ==, "PlumbCon 2024");
  g_assert_cmpstr (lpc_agenda_get_program (fixture->agenda)->timezone, ==, "Europe/Brussels");
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 0);
  archived = lpc_store_archived_agendas (lpc_agenda_get_store (fixture->agenda), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (archived,
                                                           "Linux Plumbers Conference 2021")),
                    ==, 1);
  g_clear_pointer (&archived, g_hash_table_unref);
  /* An LPC talk is not in this program. */
  g_assert_null (lpc_agenda_add (fixture->agenda, "doing-more-with-lore-and-b4", &none, NULL,
                                 &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  plumbcon_row = lpc_agenda_add (fixture->agenda, "welcome-to-plumbcon", &none, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plumbcon_row);

  /* Back to LPC: its agenda returns as it was, PlumbCon's is archived. */
  g_assert_true (lpc_agenda_import_program_full (fixture->agenda, fixture->timetable,
                                                 LPC_IMPORT_REPLACE, NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (summary.replaced_program, ==, "PlumbCon 2024");
  g_assert_cmpuint (summary.n_archived, ==, 1);
  g_assert_cmpuint (summary.n_unarchived, ==, 1);
  g_assert_cmpuint (summary.n_new, ==, 0);
  lpc_import_summary_clear (&summary);
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 1);
  back = lpc_agenda_get_item (fixture->agenda, "doing-more-with-lore-and-b4", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->item->priority, ==, 5);
  g_assert_cmpstr (back->item->note, ==, "front row");
  g_assert_cmpint (back->item->state, ==, LPC_ITEM_PLANNED);
  g_assert_cmpint (back->item->added_at, ==, row->item->added_at);
  archived = lpc_store_archived_agendas (lpc_agenda_get_store (fixture->agenda), &error);
  g_assert_no_error (error);
  g_assert_false (g_hash_table_contains (archived, "Linux Plumbers Conference 2021"));
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (archived, "PlumbCon 2024")), ==, 1);

  /* A restart with the LPC file keeps LPC; the stored program stays put. */
  g_clear_pointer (&fixture->agenda, lpc_agenda_free);
  fixture->agenda = open_agenda (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lpc_agenda_get_program (fixture->agenda)->name, ==,
                   "Linux Plumbers Conference 2021");
  g_assert_cmpuint (agenda_length (fixture->agenda), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/agenda/start/imports-then-loads", test_first_start_imports_second_loads);
  ADD ("/agenda/start/without-program-file", test_start_without_program_file);
  ADD ("/agenda/start/bad-program-creates-no-database", test_first_start_bad_program);
  ADD ("/agenda/resolve/id-and-prefix", test_resolve);
  ADD ("/agenda/resolve/ambiguous", test_resolve_ambiguous);
  ADD ("/agenda/resolve/unknown-suggests", test_resolve_unknown_suggests);
  ADD ("/agenda/resolve/bad-ids", test_resolve_bad_ids);
  ADD ("/agenda/add/break-not-attendable", test_add_break_not_attendable);
  ADD ("/agenda/add/twice", test_add_twice);
  ADD ("/agenda/add/session-block", test_add_session_block);
  ADD ("/agenda/add/options-validated", test_add_options_validated);
  ADD ("/agenda/update", test_update);
  ADD ("/agenda/skip-unskip-remove", test_skip_unskip_remove);
  ADD ("/agenda/list-agenda/filters", test_agenda_filters);
  ADD ("/agenda/list-talks/day-in-program-zone", test_list_day_in_program_zone);
  ADD ("/agenda/list-talks/filters", test_list_filters);
  ADD ("/agenda/list-talks/query-abstracts", test_list_query_abstracts);
  ADD ("/agenda/occurrences", test_occurrences);
  ADD ("/agenda/settings", test_settings);
  ADD ("/agenda/lead-times", test_lead_times);
  ADD ("/agenda/import", test_import);
  ADD ("/agenda/import-async-in-order", test_import_async_in_order);
  ADD ("/agenda/import-replace", test_import_replace);
  ADD ("/agenda/storage/read-only", test_storage_read_only);
  ADD ("/agenda/storage/disk-full", test_storage_disk_full);
#undef ADD
  g_test_add ("/agenda/storage/unavailable/garbage", Fixture, "garbage", fixture_set_up,
              test_storage_unavailable, fixture_tear_down);
  g_test_add ("/agenda/storage/unavailable/corrupt", Fixture, "corrupt", fixture_set_up,
              test_storage_unavailable, fixture_tear_down);
  g_test_add ("/agenda/storage/unavailable/newer", Fixture, "newer", fixture_set_up,
              test_storage_unavailable, fixture_tear_down);
  g_test_add_func ("/agenda/normalize-remind", test_normalize_remind);
  g_test_add_func ("/agenda/days-across-summer-time", test_days_across_summer_time);

  return g_test_run ();
}
