/* test-free-time.c: free windows in the conference hours and the talks that
 * fit in them. */
#include "free-time.h"
#include "program-lpc-text.h"

#include <string.h>

/* 2021-09-20 07:00 in Los Angeles (UTC-7). */
#define T0 G_GINT64_CONSTANT (1632146400)
#define AT(m) (T0 + (gint64) (m) *60)

static LpcEntry *
add_entry (LpcProgram *program, const char *id, LpcEntryKind kind, const char *room,
           const char *track, int start_min, int end_min)
{
  LpcEntry *entry = lpc_entry_new ();

  entry->id = g_strdup (id);
  entry->kind = kind;
  entry->title = g_strdup (id);
  entry->track = g_strdup (track);
  entry->room = g_strdup (room);
  entry->start = AT (start_min);
  entry->end = AT (end_min);
  entry->identity = g_strdup (id);
  lpc_program_take_entry (program, entry);
  return entry;
}

static LpcEntry *
add_talk (LpcProgram *program, const char *id, const char *room, const char *track, int start_min,
          int end_min)
{
  return add_entry (program, id, LPC_ENTRY_TALK, room, track, start_min, end_min);
}

typedef struct
{
  LpcProgram *program;
  LpcProgramIndex *index;
  GArray *items;
  LpcConflictSettings settings;
  GPtrArray *days;
} Fixture;

static void
fixture_init (Fixture *fixture, LpcProgram *program)
{
  fixture->program = program != NULL ? program : lpc_program_new ("Test", "America/Los_Angeles");
  fixture->index = NULL;
  fixture->items = g_array_new (FALSE, TRUE, sizeof (LpcPlanItem));
  lpc_conflict_settings_init (&fixture->settings);
  fixture->days = NULL;
}

static void
fixture_clear (Fixture *fixture)
{
  if (fixture->days != NULL)
    g_ptr_array_unref (fixture->days);
  lpc_program_index_free (fixture->index);
  g_array_unref (fixture->items);
  lpc_program_unref (fixture->program);
}

static void
pick_state (Fixture *fixture, const char *id, LpcItemState state)
{
  LpcPlanItem item = { 0 };

  item.entry = lpc_program_lookup (fixture->program, id);
  g_assert_nonnull (item.entry);
  item.priority = 3;
  item.added_at = T0 - 86400;
  item.state = state;
  g_array_append_val (fixture->items, item);
}

static void
pick (Fixture *fixture, const char *id)
{
  pick_state (fixture, id, LPC_ITEM_PLANNED);
}

static GPtrArray *
find (Fixture *fixture, const GDate *day)
{
  if (fixture->index == NULL)
    fixture->index = lpc_program_index_new (fixture->program);
  if (fixture->days != NULL)
    g_ptr_array_unref (fixture->days);
  fixture->days
      = lpc_free_time_find (fixture->index, (const LpcPlanItem *) (gpointer) fixture->items->data,
                            fixture->items->len, &fixture->settings, day);
  return fixture->days;
}

static char *
ids_of (GPtrArray *entries)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      if (i > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, ((const LpcEntry *) entries->pdata[i])->id);
    }
  return g_string_free (ids, FALSE);
}

static LpcFreeWindow *
window_at (LpcFreeDay *day, guint i, int start_min, int end_min)
{
  LpcFreeWindow *window;

  g_assert_cmpuint (i, <, day->windows->len);
  window = day->windows->pdata[i];
  g_assert_cmpint (window->start, ==, AT (start_min));
  g_assert_cmpint (window->end, ==, AT (end_min));
  return window;
}

/* One day: block X [0, 240) and block Y [0, 240) with talks; picks leave
 * gaps. */
static LpcProgram *
day_program (void)
{
  LpcProgram *program = lpc_program_new ("Test", "America/Los_Angeles");

  add_entry (program, "block-x", LPC_ENTRY_SESSION, "X", "Track X", 0, 240);
  add_entry (program, "block-y", LPC_ENTRY_SESSION, "Y", "Track Y", 0, 240);
  add_entry (program, "block-w", LPC_ENTRY_SESSION, "W", "Track W", 30, 250);
  add_talk (program, "x1", "X", "Track X", 0, 30);
  add_talk (program, "x2", "X", "Track X", 30, 60);
  add_talk (program, "x3", "X", "Track X", 60, 100);
  add_talk (program, "x4", "X", "Track X", 100, 130);
  add_talk (program, "x5", "X", "Track X", 130, 240);
  add_talk (program, "y1", "Y", "Track Y", 0, 60);
  add_talk (program, "y2", "Y", "Track Y", 60, 70);
  add_talk (program, "y3", "Y", "Track Y", 70, 95);
  add_talk (program, "y4", "Y", "Track Y", 130, 160);
  add_talk (program, "w1", "W", "Track W", 62, 98);
  add_talk (program, "w2", "W", "Track W", 160, 250);
  add_entry (program, "break-y", LPC_ENTRY_BREAK, "Y", "Track Y", 95, 100);
  return program;
}

static void
test_windows (void)
{
  Fixture f;
  LpcFreeDay *day;
  LpcFreeWindow *window;

  fixture_init (&f, day_program ());
  pick (&f, "x2");
  pick (&f, "x4");
  find (&f, NULL);
  g_assert_cmpuint (f.days->len, ==, 1);
  day = f.days->pdata[0];
  /* Conference hours: the first block start to the last block end. */
  g_assert_cmpint (day->start, ==, AT (0));
  g_assert_cmpint (day->end, ==, AT (250));
  g_assert_cmpuint (g_date_get_day (&day->date), ==, 20);
  g_assert_cmpuint (day->windows->len, ==, 3);

  window = window_at (day, 0, 0, 30);
  {
    g_autofree char *ids = ids_of (window->talks);
    g_assert_cmpstr (ids, ==, "x1");
  }
  window = window_at (day, 1, 60, 100);
  {
    /* Track X (the user's) first; blocks and breaks are not suggested;
     * talks on the agenda are not either. */
    g_autofree char *ids = ids_of (window->talks);
    g_assert_cmpstr (ids, ==, "x3,y2,w1,y3");
    g_assert_cmpuint (window->n_fitting, ==, 4);
  }
  window = window_at (day, 2, 130, 250);
  {
    g_autofree char *ids = ids_of (window->talks);
    g_assert_cmpstr (ids, ==, "x5,y4,w2");
  }
  fixture_clear (&f);
}

static void
test_travel_both_sides (void)
{
  Fixture f;
  LpcFreeDay *day;

  fixture_init (&f, day_program ());
  pick (&f, "x2");
  pick (&f, "x4");
  f.settings.travel_minutes = 5;
  find (&f, NULL);
  day = f.days->pdata[0];
  {
    /* In [60, 100): x3 is in X, where the picks are; y2 starts right after
     * x2 in another room, y3 ends 5 minutes before x4 (fine); w1 leaves 2
     * minutes at both ends (not enough). */
    g_autofree char *ids = ids_of (window_at (day, 1, 60, 100)->talks);
    g_assert_cmpstr (ids, ==, "x3,y3");
  }
  fixture_clear (&f);
}

static void
test_states_limit_and_blocks (void)
{
  Fixture f;
  LpcFreeDay *day;

  fixture_init (&f, day_program ());
  /* A picked block takes its hours; a skipped pick takes none (and is not
   * suggested again). */
  pick (&f, "block-y");
  pick_state (&f, "x3", LPC_ITEM_SKIPPED);
  pick_state (&f, "w2", LPC_ITEM_CANCELLED);
  f.settings.max_suggestions = 1;
  find (&f, NULL);
  day = f.days->pdata[0];
  g_assert_cmpuint (day->windows->len, ==, 1);
  {
    LpcFreeWindow *window = window_at (day, 0, 240, 250);
    /* w2 runs 160-250: not within the window. */
    g_assert_cmpuint (window->talks->len, ==, 0);
    g_assert_cmpuint (window->n_fitting, ==, 0);
  }

  g_array_set_size (f.items, 0);
  find (&f, NULL);
  day = f.days->pdata[0];
  g_assert_cmpuint (day->windows->len, ==, 1);
  {
    LpcFreeWindow *window = window_at (day, 0, 0, 250);
    g_assert_cmpuint (window->talks->len, ==, 1);
    g_assert_cmpuint (window->n_fitting, ==, 11);
    g_assert_cmpstr (((const LpcEntry *) window->talks->pdata[0])->id, ==, "x1");
  }
  fixture_clear (&f);
}

static void
test_overlapping_picks_and_zero_length (void)
{
  Fixture f;
  LpcFreeDay *day;

  fixture_init (&f, day_program ());
  add_talk (f.program, "instant", "Z", "Track Z", 200, 200);
  pick (&f, "y1");
  pick (&f, "x2");
  pick (&f, "instant");
  find (&f, NULL);
  day = f.days->pdata[0];
  /* y1 and x2 overlap: one busy stretch [0, 60); the instant takes no
   * time. */
  g_assert_cmpuint (day->windows->len, ==, 1);
  window_at (day, 0, 60, 250);
  fixture_clear (&f);
}

static void
test_days (void)
{
  Fixture f;
  GDate date;

  fixture_init (&f, day_program ());
  add_entry (f.program, "tuesday", LPC_ENTRY_SESSION, "X", "Track X", 24 * 60, 24 * 60 + 120);
  find (&f, NULL);
  g_assert_cmpuint (f.days->len, ==, 2);
  g_assert_cmpint (((LpcFreeDay *) f.days->pdata[1])->start, ==, AT (24 * 60));

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 21, G_DATE_SEPTEMBER, 2021);
  find (&f, &date);
  g_assert_cmpuint (f.days->len, ==, 1);
  g_assert_cmpint (((LpcFreeDay *) f.days->pdata[0])->start, ==, AT (24 * 60));

  g_date_set_dmy (&date, 25, G_DATE_SEPTEMBER, 2021);
  find (&f, &date);
  g_assert_cmpuint (f.days->len, ==, 0);
  fixture_clear (&f);
}

static void
test_shipped_monday (void)
{
  const char *path = g_getenv ("LPC_TEST_TIMETABLE");
  g_autoptr (GError) error = NULL;
  LpcProgram *program;
  Fixture f;
  LpcFreeDay *day;
  GDate monday;
  const LpcEntry *lore = NULL, *rust = NULL;

  if (path == NULL)
    {
      g_test_skip ("LPC_TEST_TIMETABLE is not set");
      return;
    }
  program = lpc_program_load_lpc_text_file (path, NULL, &error);
  g_assert_no_error (error);
  fixture_init (&f, program);
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = program->entries->pdata[i];
      if (strcmp (entry->title, "Doing more with lore and b4") == 0)
        lore = entry;
      if (strcmp (entry->title, "Rust for Linux") == 0)
        rust = entry;
    }
  g_assert_nonnull (lore);
  g_assert_nonnull (rust);
  pick (&f, lore->id);
  pick (&f, rust->id);
  g_date_clear (&monday, 1);
  g_date_set_dmy (&monday, 20, G_DATE_SEPTEMBER, 2021);
  find (&f, &monday);
  g_assert_cmpuint (f.days->len, ==, 1);
  day = f.days->pdata[0];
  /* 06:40-12:00 less 07:00-07:45 and 10:00-10:45. */
  g_assert_cmpuint (day->windows->len, ==, 3);
  window_at (day, 0, -20, 0);
  window_at (day, 1, 45, 180);
  window_at (day, 2, 225, 300);
  for (guint w = 0; w < day->windows->len; w++)
    {
      LpcFreeWindow *window = day->windows->pdata[w];
      g_assert_cmpuint (window->talks->len, <=, LPC_SUGGESTIONS_DEFAULT);
      for (guint i = 0; i < window->talks->len; i++)
        {
          const LpcEntry *talk = window->talks->pdata[i];
          g_assert_cmpint (talk->kind, ==, LPC_ENTRY_TALK);
          g_assert_cmpint (talk->start, >=, window->start);
          g_assert_cmpint (talk->end, <=, window->end);
        }
    }
  /* 07:45-10:00: Kernel Summit's 08:00 and 09:00 talks come first. */
  {
    LpcFreeWindow *window = day->windows->pdata[1];
    g_assert_cmpuint (window->talks->len, ==, LPC_SUGGESTIONS_DEFAULT);
    g_assert_cmpstr (((const LpcEntry *) window->talks->pdata[0])->track, ==, "Kernel Summit");
    g_assert_cmpstr (((const LpcEntry *) window->talks->pdata[1])->track, ==, "Kernel Summit");
    g_assert_cmpstr (((const LpcEntry *) window->talks->pdata[2])->track, !=, "Kernel Summit");
    g_assert_cmpuint (window->n_fitting, >, LPC_SUGGESTIONS_DEFAULT);
  }
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/free-time/windows", test_windows);
  g_test_add_func ("/free-time/travel", test_travel_both_sides);
  g_test_add_func ("/free-time/states-limit-blocks", test_states_limit_and_blocks);
  g_test_add_func ("/free-time/overlapping-picks", test_overlapping_picks_and_zero_length);
  g_test_add_func ("/free-time/days", test_days);
  g_test_add_func ("/free-time/shipped/monday", test_shipped_monday);
  return g_test_run ();
}
