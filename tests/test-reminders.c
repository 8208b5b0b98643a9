/* test-reminders.c: the reminder schedule — what is due when (leads, lists,
 * "off", same-minute picks, skipped and cancelled items), snoozes, the
 * missed-reminder rule, no repeat across a restart, moved talks, held
 * reminders, and the texts (markup escaping above all). Each test has a
 * store of its own in a temporary folder; "now" is passed in, so nothing
 * here waits. */
#include "lpc-error.h"
#include "reminders.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

/* Monday 2021-09-20 07:00 PDT. */
#define T0 G_GINT64_CONSTANT (1632146400)
#define MINUTES(n) (60 * (gint64) (n))

#define BPF "BPF & Networking Summit"
#define BPF_ROOM "Networking and BPF Summit/Virtual-Room"
#define GPU_ROOM "Microconference2/Virtual-Room"
#define XDP "XDP & <friends>"

typedef struct
{
  char *dir;
  char *path;
  LpcStore *store;
  LpcProgram *program;
  GTimeZone *zone;
  GPtrArray *rows; /* LpcAgendaRow* */
  LpcReminders *reminders;
  gint64 now; /* when pick() changes the agenda */
} Fixture;

static LpcEntry *
add_entry (LpcProgram *program, LpcEntryKind kind, const char *id, const char *title,
           const char *track, const char *room, gint64 start, gint64 minutes)
{
  LpcEntry *entry = lpc_entry_new ();

  entry->id = g_strdup (id);
  entry->kind = kind;
  entry->title = g_strdup (title);
  entry->track = g_strdup (track);
  entry->room = g_strdup (room);
  entry->start = start;
  entry->end = start + MINUTES (minutes);
  entry->parent_id = kind == LPC_ENTRY_SESSION ? NULL : g_strdup ("bpf");
  entry->identity = g_strdup_printf ("%s|%s|%s|1", lpc_entry_kind_to_string (kind), track, title);
  entry->source_line = program->entries->len * 10 + 1;
  lpc_program_take_entry (program, entry);
  return entry;
}

static LpcProgram *
make_program (void)
{
  LpcProgram *program = lpc_program_new ("Test Conference", "America/Los_Angeles");
  LpcEntry *entry;

  g_free (program->source_hash);
  program->source_hash = g_strdup ("hash-1");
  entry = add_entry (program, LPC_ENTRY_SESSION, "bpf", BPF, BPF, BPF_ROOM, T0, 240);
  g_strfreev (entry->conveners);
  entry->conveners = g_strsplit ("Daniel Borkmann (Isovalent),Alexei Starovoitov", ",", -1);
  entry = add_entry (program, LPC_ENTRY_TALK, "xdp", XDP, BPF, BPF_ROOM, T0, 30);
  g_strfreev (entry->speakers);
  entry->speakers = g_strsplit ("Lorenzo Bianconi (Red Hat)|Eelco <Chaudron>", "|", -1);
  g_free (entry->abstract);
  entry->abstract = g_strdup ("Frames > 4 KiB & <more>.");
  entry
      = add_entry (program, LPC_ENTRY_TALK, "shaders", "Shader caches", "GPU MC", GPU_ROOM, T0, 40);
  g_free (entry->parent_id);
  entry->parent_id = NULL;
  add_entry (program, LPC_ENTRY_TALK, "btf", "BTF everywhere", BPF, BPF_ROOM, T0 + MINUTES (30),
             30);
  add_entry (program, LPC_ENTRY_TALK, "tracing", "Tracing with BPF", BPF, BPF_ROOM,
             T0 + MINUTES (120), 45);
  return program;
}

static void
fixture_setup (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  LpcImportSummary summary = { 0 };

  fixture->dir = g_dir_make_tmp ("lpc-reminders-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "agenda.db", NULL);
  fixture->store = lpc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->program = make_program ();
  g_assert_true (lpc_store_import_program (fixture->store, fixture->program, &summary, &error));
  g_assert_no_error (error);
  lpc_import_summary_clear (&summary);
  /* The program's zone, not the machine's (TZ is New York in the test
   * environment): what the texts say must not depend on where they run. */
  fixture->zone = g_time_zone_new_identifier ("America/Los_Angeles");
  g_assert_nonnull (fixture->zone);
  fixture->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_agenda_row_free);
  fixture->reminders = lpc_reminders_new (fixture->store, fixture->zone);
  /* The agenda was made the day before, unless a test says otherwise. */
  fixture->now = T0 - MINUTES (24 * 60);
}

static void
fixture_teardown (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  const char *name;
  GDir *dir;

  lpc_reminders_free (fixture->reminders);
  g_ptr_array_unref (fixture->rows);
  g_time_zone_unref (fixture->zone);
  lpc_program_unref (fixture->program);
  lpc_store_free (fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_remove (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Puts @id on the fixture's agenda (rows only: the schedule reads no agenda
 * from the store) and hands the agenda to the schedule. */
static LpcAgendaRow *
pick (Fixture *fixture, const char *id, const char *remind, LpcItemState state)
{
  LpcAgendaRow *row = g_new0 (LpcAgendaRow, 1);

  row->item = lpc_agenda_item_new (id);
  row->item->remind = g_strdup (remind);
  row->item->state = state;
  row->entry = lpc_entry_copy (lpc_program_lookup (fixture->program, id));
  g_assert_nonnull (row->entry);
  g_ptr_array_add (fixture->rows, row);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  return row;
}

static GPtrArray *
take (Fixture *fixture, gint64 now)
{
  return lpc_reminders_take_due (fixture->reminders, now);
}

static LpcReminder *
take_one (Fixture *fixture, gint64 now)
{
  g_autoptr (GPtrArray) due = take (fixture, now);

  g_assert_cmpuint (due->len, ==, 1);
  return lpc_reminder_copy (g_ptr_array_index (due, 0));
}

static void
record (Fixture *fixture, const LpcReminder *reminder, gint64 at)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (lpc_reminders_record (fixture->reminders, reminder, at, &error));
  g_assert_no_error (error);
}

static void
assert_leads (const LpcReminder *reminder, const gint *expected, guint n)
{
  g_assert_cmpuint (reminder->leads->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (reminder->leads, gint, i), ==, expected[i]);
}

/* The outcome the log has for the key, or NULL. */
static char *
logged_outcome (Fixture *fixture, const char *id, gint64 start, gint lead)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *outcome = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT outcome FROM reminder_log WHERE entry_id = ?1 AND "
                                       "start_utc = ?2 AND lead_minutes = ?3",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int (stmt, 3, lead);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    outcome = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return outcome;
}

static void
assert_outcome (Fixture *fixture, const char *id, gint64 start, gint lead, const char *expected)
{
  g_autofree char *outcome = logged_outcome (fixture, id, start, lead);

  g_assert_cmpstr (outcome, ==, expected);
}

/* ---- what is due when ---- */

static void
test_next_due (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) reminder = NULL;
  g_autoptr (GPtrArray) none = NULL;
  const gint five[] = { 5 };

  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (60)), ==, 0);
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
  pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (60)), ==,
                   T0 - MINUTES (5));
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, T0 - MINUTES (5));
  g_assert_cmpint (lpc_reminders_get_next_due_for (fixture->reminders, "xdp", T0 - MINUTES (60)),
                   ==, T0 - MINUTES (5));
  g_assert_cmpint (lpc_reminders_get_next_due_for (fixture->reminders, "btf", T0 - MINUTES (60)),
                   ==, 0);

  none = take (fixture, T0 - MINUTES (5) - 1);
  g_assert_cmpuint (none->len, ==, 0);
  reminder = take_one (fixture, T0 - MINUTES (5));
  g_assert_cmpint (reminder->kind, ==, LPC_REMINDER_KIND_ON_TIME);
  g_assert_cmpstr (reminder->entry_id, ==, "xdp");
  g_assert_cmpint (reminder->start, ==, T0);
  g_assert_cmpint (reminder->end, ==, T0 + MINUTES (30));
  g_assert_cmpint (reminder->due, ==, T0 - MINUTES (5));
  assert_leads (reminder, five, 1);
  g_assert_false (reminder->again);
  g_assert_false (reminder->snooze);
  g_assert_cmpstr (reminder->summary, ==, "In 5 min: " XDP);

  /* In flight: neither due nor taken again until recorded. */
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (5)), ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = take (fixture, T0 - MINUTES (4));
  g_assert_cmpuint (none->len, ==, 0);

  record (fixture, reminder, T0 - MINUTES (5));
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (5)), ==, 0);
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
  assert_outcome (fixture, "xdp", T0, 5, "shown");
}

static void
test_same_minute (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GPtrArray) due = NULL;
  const LpcReminder *first;
  const LpcReminder *second;

  /* Two picks starting in the same minute (in different rooms) and the
   * block that holds one of them: each gets its own reminder. */
  pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  pick (fixture, "shaders", NULL, LPC_ITEM_PLANNED);
  pick (fixture, "bpf", NULL, LPC_ITEM_PLANNED);
  due = take (fixture, T0 - MINUTES (5));
  g_assert_cmpuint (due->len, ==, 3);
  first = g_ptr_array_index (due, 0);
  second = g_ptr_array_index (due, 1);
  g_assert_cmpstr (first->entry_id, ==, "bpf");
  g_assert_cmpstr (second->entry_id, ==, "shaders");
  g_assert_cmpstr (((LpcReminder *) g_ptr_array_index (due, 2))->entry_id, ==, "xdp");
  for (guint i = 0; i < due->len; i++)
    {
      const LpcReminder *reminder = g_ptr_array_index (due, i);
      g_assert_cmpint (reminder->kind, ==, LPC_REMINDER_KIND_ON_TIME);
      g_assert_true (g_str_has_prefix (reminder->summary, "In 5 min: "));
      record (fixture, reminder, T0 - MINUTES (5));
    }
  assert_outcome (fixture, "shaders", T0, 5, "shown");
  assert_outcome (fixture, "xdp", T0, 5, "shown");
}

static void
test_lead_lists (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) ten = NULL;
  g_autoptr (LpcReminder) now = NULL;
  g_autoptr (LpcReminder) hour = NULL;
  g_autoptr (GError) error = NULL;
  const gint lead_ten[] = { 10 };
  const gint lead_zero[] = { 0 };

  pick (fixture, "xdp", "10,0", LPC_ITEM_PLANNED);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (60)), ==,
                   T0 - MINUTES (10));
  ten = take_one (fixture, T0 - MINUTES (10));
  assert_leads (ten, lead_ten, 1);
  g_assert_cmpstr (ten->summary, ==, "In 10 min: " XDP);
  record (fixture, ten, T0 - MINUTES (10));
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (10)), ==, T0);
  now = take_one (fixture, T0);
  assert_leads (now, lead_zero, 1);
  g_assert_cmpstr (now->summary, ==, "Now: " XDP);
  record (fixture, now, T0);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0), ==, 0);

  /* The default may be a list too; an item's own list wins over it. */
  g_assert_true (lpc_reminders_set_default_leads (fixture->reminders, "90, 60", &error));
  g_assert_no_error (error);
  pick (fixture, "tracing", NULL, LPC_ITEM_PLANNED);
  g_assert_cmpint (lpc_reminders_get_next_due_for (fixture->reminders, "tracing", T0), ==,
                   T0 + MINUTES (30));
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0), ==, T0 + MINUTES (30));
  hour = take_one (fixture, T0 + MINUTES (30));
  g_assert_cmpstr (hour->summary, ==, "In 1 h 30 min: Tracing with BPF");
  record (fixture, hour, T0 + MINUTES (30));
  g_clear_pointer (&hour, lpc_reminder_free);
  hour = take_one (fixture, T0 + MINUTES (60));
  g_assert_cmpstr (hour->summary, ==, "In 1 h: Tracing with BPF");

  /* A bad default is refused and changes nothing. */
  g_assert_false (lpc_reminders_set_default_leads (fixture->reminders, "soon", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
}

static void
test_off (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GError) error = NULL;

  pick (fixture, "xdp", "off", LPC_ITEM_PLANNED);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (60)), ==, 0);
  none = take (fixture, T0);
  g_assert_cmpuint (none->len, ==, 0);

  /* Default "off": only items with a list of their own are reminded. */
  g_assert_true (lpc_reminders_set_default_leads (fixture->reminders, "off", &error));
  g_assert_no_error (error);
  pick (fixture, "btf", NULL, LPC_ITEM_PLANNED);
  pick (fixture, "tracing", "15", LPC_ITEM_PLANNED);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (60)), ==,
                   T0 + MINUTES (105));
}

static void
test_skipped_and_cancelled (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GError) error = NULL;
  LpcAgendaRow *row;

  pick (fixture, "xdp", NULL, LPC_ITEM_SKIPPED);
  pick (fixture, "shaders", NULL, LPC_ITEM_CANCELLED);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (60)), ==, 0);
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
  none = take (fixture, T0 + MINUTES (60));
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_false (lpc_reminders_snooze (fixture->reminders, "xdp", 5, T0, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
  assert_outcome (fixture, "xdp", T0, 5, NULL);

  /* Skipping while a reminder is held (no server) drops it. */
  row = pick (fixture, "btf", NULL, LPC_ITEM_PLANNED);
  {
    g_autoptr (LpcReminder) held = take_one (fixture, T0 + MINUTES (25));
    lpc_reminders_mark_failed (fixture->reminders, held);
  }
  row->item->state = LPC_ITEM_SKIPPED;
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  g_assert_false (lpc_reminders_release_held (fixture->reminders));
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
}

/* ---- snooze ---- */

static void
test_snooze (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) first = NULL;
  g_autoptr (LpcReminder) snoozed = NULL;
  g_autoptr (LpcReminder) again = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GError) error = NULL;

  pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  first = take_one (fixture, T0 - MINUTES (5));
  record (fixture, first, T0 - MINUTES (5));

  g_assert_true (lpc_reminders_snooze (fixture->reminders, "xdp", 5, T0 - MINUTES (5), &error));
  g_assert_no_error (error);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (5)), ==, T0);
  snoozed = take_one (fixture, T0);
  g_assert_cmpint (snoozed->kind, ==, LPC_REMINDER_KIND_SNOOZED);
  g_assert_true (snoozed->snooze);
  g_assert_cmpuint (snoozed->leads->len, ==, 0);
  g_assert_cmpstr (snoozed->summary, ==, "Now: " XDP);
  record (fixture, snoozed, T0);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0), ==, 0);

  /* Snoozed into the talk: "Started 3 min ago". */
  g_assert_true (lpc_reminders_snooze (fixture->reminders, "xdp", 3, T0, &error));
  again = take_one (fixture, T0 + MINUTES (3));
  g_assert_cmpstr (again->summary, ==, "Started 3 min ago: " XDP);
  record (fixture, again, T0 + MINUTES (3));

  /* Never at or after the end (T0 + 30 min). */
  g_assert_false (lpc_reminders_snooze (fixture->reminders, "xdp", 5, T0 + MINUTES (25), &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "'" XDP "' ends at Mon 07:30 PDT (America/Los_Angeles), before a 5-minute "
                   "snooze would run out");
  g_clear_error (&error);
  g_assert_false (lpc_reminders_snooze (fixture->reminders, "xdp", 1, T0 + MINUTES (40), &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "'" XDP "' ended at Mon 20 Sep, 07:30 PDT (America/Los_Angeles): there is "
                   "nothing left to remind you of");
  g_clear_error (&error);
  g_assert_false (lpc_reminders_snooze (fixture->reminders, "xdp", 0, T0, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (lpc_reminders_snooze (fixture->reminders, "xdp", 4, T0 + MINUTES (25), &error));
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 + MINUTES (25)), ==,
                   T0 + MINUTES (29));

  /* A snooze that could not be shown and is still held when the talk
   * ends is dropped, not shown late and not recorded as missed. */
  {
    g_autoptr (LpcReminder) held = take_one (fixture, T0 + MINUTES (29));
    lpc_reminders_mark_failed (fixture->reminders, held);
  }
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 + MINUTES (29)), ==, 0);
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, T0 + MINUTES (30));
  none = take (fixture, T0 + MINUTES (30));
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_false (lpc_reminders_release_held (fixture->reminders));
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
}

/* ---- missed reminders, restarts ---- */

static void
test_missed_rule (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) late = NULL;
  g_autoptr (LpcReminder) started = NULL;
  g_autoptr (LpcReminder) missed = NULL;
  const gint both[] = { 10, 0 };
  const gint five[] = { 5 };

  /* The daemon starts at 06:58: the 06:55 reminder was not shown, the talk
   * has not started: one "starts in 2 min". */
  pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, T0 - MINUTES (5));
  late = take_one (fixture, T0 - MINUTES (2));
  g_assert_cmpint (late->kind, ==, LPC_REMINDER_KIND_LATE);
  assert_leads (late, five, 1);
  g_assert_cmpstr (late->summary, ==, "Starts in 2 min: " XDP);
  record (fixture, late, T0 - MINUTES (2));

  /* 07:03 with leads 10 and 0, both missed: one reminder for both. */
  pick (fixture, "shaders", "10,0", LPC_ITEM_PLANNED);
  started = take_one (fixture, T0 + MINUTES (3));
  g_assert_cmpint (started->kind, ==, LPC_REMINDER_KIND_LATE);
  assert_leads (started, both, 2);
  g_assert_cmpstr (started->summary, ==, "Started 3 min ago: Shader caches");
  record (fixture, started, T0 + MINUTES (3));
  assert_outcome (fixture, "shaders", T0, 10, "shown");
  assert_outcome (fixture, "shaders", T0, 0, "shown");

  /* 08:05: btf (07:30–08:00) is over: nothing to show, recorded missed. */
  pick (fixture, "btf", NULL, LPC_ITEM_PLANNED);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 + MINUTES (65)), ==, 0);
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, T0 + MINUTES (25));
  missed = take_one (fixture, T0 + MINUTES (65));
  g_assert_cmpint (missed->kind, ==, LPC_REMINDER_KIND_MISSED);
  g_assert_false (lpc_reminder_is_shown (missed));
  assert_leads (missed, five, 1);
  record (fixture, missed, T0 + MINUTES (65));
  assert_outcome (fixture, "btf", T0 + MINUTES (30), 5, "missed");
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
}

/* The store's answer for GetAgenda's "reminded": NULL, "shown" or "missed". */
static const char *
reminded (Fixture *fixture, const char *id, gint64 start)
{
  g_autoptr (GError) error = NULL;
  LpcReminderOutcome outcome = LPC_REMINDER_SHOWN;
  gboolean logged = FALSE;

  g_assert_true (lpc_store_reminder_outcome (fixture->store, id, start, &logged, &outcome, &error));
  g_assert_no_error (error);
  return logged ? lpc_reminder_outcome_to_string (outcome) : NULL;
}

/* A new daemon on the same store: the first agenda it is given is the one
 * the previous run left. */
static void
restart (Fixture *fixture, gint64 now)
{
  lpc_reminders_free (fixture->reminders);
  fixture->reminders = lpc_reminders_new (fixture->store, fixture->zone);
  fixture->now = now;
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, now);
}

/* Each case that is not a missed reminder, and the one that is. */
static void
test_missed_only_when_owed (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (LpcReminder) missed = NULL;
  g_autoptr (LpcReminder) late = NULL;
  LpcAgendaRow *xdp;
  LpcAgendaRow *btf;
  LpcAgendaRow *shaders;

  /* The daemon runs from 06:00; xdp is on the agenda already. */
  fixture->now = T0 - MINUTES (60);
  pick (fixture, "xdp", "off", LPC_ITEM_PLANNED);

  /* btf (07:30–08:00) is added at 08:05, after it ended: never owed, so
   * not missed — logged void, nothing to take, no wake-up for it. */
  fixture->now = T0 + MINUTES (65);
  pick (fixture, "btf", NULL, LPC_ITEM_PLANNED);
  assert_outcome (fixture, "btf", T0 + MINUTES (30), 5, "void");
  g_assert_null (reminded (fixture, "btf", T0 + MINUTES (30)));
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
  none = take (fixture, T0 + MINUTES (65));
  g_assert_cmpuint (none->len, ==, 0);

  /* Still not missed after a restart: the log remembers. */
  restart (fixture, T0 + MINUTES (70));
  g_clear_pointer (&none, g_ptr_array_unref);
  none = take (fixture, T0 + MINUTES (70));
  g_assert_cmpuint (none->len, ==, 0);
  assert_outcome (fixture, "btf", T0 + MINUTES (30), 5, "void");

  /* xdp (07:00–07:30) gets a lead at 08:10, after its time: void too. */
  fixture->now = T0 + MINUTES (70);
  xdp = g_ptr_array_index (fixture->rows, 0);
  g_free (xdp->item->remind);
  xdp->item->remind = g_strdup ("10");
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  assert_outcome (fixture, "xdp", T0, 10, "void");
  g_clear_pointer (&none, g_ptr_array_unref);
  none = take (fixture, fixture->now);
  g_assert_cmpuint (none->len, ==, 0);

  /* The default leads change to 15 at 08:10: btf's new lead fell due
   * before, for a talk that had ended: void. */
  g_assert_true (lpc_reminders_set_default_leads (fixture->reminders, "15", NULL));
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  assert_outcome (fixture, "btf", T0 + MINUTES (30), 15, "void");
  g_assert_null (reminded (fixture, "btf", T0 + MINUTES (30)));

  /* shaders (07:00–07:40) is skipped at 06:00, before its reminder, and
   * planned again at 08:10, after it ended: not missed. */
  fixture->now = T0 - MINUTES (60);
  shaders = pick (fixture, "shaders", "5", LPC_ITEM_SKIPPED);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = take (fixture, T0 + MINUTES (45));
  g_assert_cmpuint (none->len, ==, 0);
  assert_outcome (fixture, "shaders", T0, 5, NULL);
  shaders->item->state = LPC_ITEM_PLANNED;
  fixture->now = T0 + MINUTES (70);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = take (fixture, fixture->now);
  g_assert_cmpuint (none->len, ==, 0);
  assert_outcome (fixture, "shaders", T0, 5, "void");
  g_assert_null (reminded (fixture, "shaders", T0));

  /* A lead given while the talk runs is not missed either: shown late. */
  g_clear_pointer (&none, g_ptr_array_unref);
  btf = g_ptr_array_index (fixture->rows, 1);
  g_assert_cmpstr (btf->entry->id, ==, "btf");
  fixture->now = T0 + MINUTES (35);
  btf->entry->start += MINUTES (60); /* as if a re-import moved it to 08:30–09:00 */
  btf->entry->end += MINUTES (60);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  g_free (btf->item->remind);
  btf->item->remind = g_strdup ("15,10");
  fixture->now = T0 + MINUTES (82);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  late = take_one (fixture, fixture->now);
  g_assert_cmpint (late->kind, ==, LPC_REMINDER_KIND_LATE);
  g_assert_cmpstr (late->summary, ==, "Starts in 8 min: BTF everywhere");
  record (fixture, late, fixture->now);
  g_assert_cmpstr (reminded (fixture, "btf", T0 + MINUTES (90)), ==, "shown");

  /* tracing (09:00–09:45, lead 5) was planned before the daemon stopped at
   * 08:20; it starts again at 10:00: that reminder really was missed. */
  fixture->now = T0 + MINUTES (80);
  pick (fixture, "tracing", "5", LPC_ITEM_PLANNED);
  restart (fixture, T0 + MINUTES (180));
  missed = take_one (fixture, T0 + MINUTES (180));
  g_assert_cmpint (missed->kind, ==, LPC_REMINDER_KIND_MISSED);
  g_assert_cmpstr (missed->entry_id, ==, "tracing");
  record (fixture, missed, T0 + MINUTES (180));
  assert_outcome (fixture, "tracing", T0 + MINUTES (120), 5, "missed");
  g_assert_cmpstr (reminded (fixture, "tracing", T0 + MINUTES (120)), ==, "missed");
}

static void
test_grace (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) on_time = NULL;
  g_autoptr (LpcReminder) late = NULL;

  pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  pick (fixture, "btf", NULL, LPC_ITEM_PLANNED);
  /* Within a minute of its instant it is on time ... */
  on_time = take_one (fixture, T0 - MINUTES (5) + 59);
  g_assert_cmpint (on_time->kind, ==, LPC_REMINDER_KIND_ON_TIME);
  g_assert_cmpstr (on_time->summary, ==, "In 5 min: " XDP);
  /* ... later it is late, unless the grace is longer (simulated clocks). */
  late = take_one (fixture, T0 + MINUTES (25) + 90);
  g_assert_cmpint (late->kind, ==, LPC_REMINDER_KIND_LATE);
  lpc_reminders_mark_failed (fixture->reminders, late);
  g_assert_true (lpc_reminders_release_held (fixture->reminders));
  lpc_reminders_set_grace (fixture->reminders, 120);
  g_clear_pointer (&late, lpc_reminder_free);
  late = take_one (fixture, T0 + MINUTES (25) + 90);
  g_assert_cmpint (late->kind, ==, LPC_REMINDER_KIND_ON_TIME);
  g_assert_true (late->again);
}

static void
test_restart_does_not_repeat (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) shown = NULL;
  g_autoptr (GPtrArray) none = NULL;

  pick (fixture, "xdp", "10,0", LPC_ITEM_PLANNED);
  shown = take_one (fixture, T0 - MINUTES (10));
  record (fixture, shown, T0 - MINUTES (10));

  /* A new daemon on the same store, started in the same minute. */
  lpc_reminders_free (fixture->reminders);
  fixture->reminders = lpc_reminders_new (fixture->store, fixture->zone);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (10)), ==, T0);
  none = take (fixture, T0 - MINUTES (9));
  g_assert_cmpuint (none->len, ==, 0);

  /* And with a fresh store handle too (the log is on disk). */
  lpc_reminders_free (fixture->reminders);
  lpc_store_free (fixture->store);
  fixture->store = lpc_store_open (fixture->path, NULL);
  g_assert_nonnull (fixture->store);
  fixture->reminders = lpc_reminders_new (fixture->store, fixture->zone);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = take (fixture, T0 - MINUTES (9));
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (9)), ==, T0);
}

/* ---- moved talks ---- */

static void
test_moved_reminded_again (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) before = NULL;
  g_autoptr (LpcReminder) after = NULL;
  g_autoptr (LpcReminder) notice = NULL;
  LpcAgendaRow *row;

  row = pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  g_assert_null (lpc_reminders_make_notice (fixture->reminders, "xdp"));
  before = take_one (fixture, T0 - MINUTES (5));
  record (fixture, before, T0 - MINUTES (5));

  /* A re-import moves it to 08:30 in another room, after its reminder
   * fired: it is reminded again, for the new start. */
  row->item->state = LPC_ITEM_MOVED;
  row->item->previous_start = T0;
  row->item->previous_room = g_strdup (BPF_ROOM);
  row->entry->start = T0 + MINUTES (90);
  row->entry->end = T0 + MINUTES (120);
  g_free (row->entry->room);
  row->entry->room = g_strdup (GPU_ROOM);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0), ==, T0 + MINUTES (85));
  after = take_one (fixture, T0 + MINUTES (85));
  g_assert_cmpint (after->kind, ==, LPC_REMINDER_KIND_ON_TIME);
  g_assert_cmpint (after->start, ==, T0 + MINUTES (90));
  g_assert_cmpstr (after->summary, ==, "In 5 min: " XDP);
  g_assert_true (g_str_has_prefix (
      after->body_text, "Mon 20 Sep, 08:30–09:00 PDT (America/Los_Angeles) · " GPU_ROOM));

  notice = lpc_reminders_make_notice (fixture->reminders, "xdp");
  g_assert_nonnull (notice);
  g_assert_cmpint (notice->kind, ==, LPC_REMINDER_KIND_MOVED);
  g_assert_true (lpc_reminder_is_notice (notice));
  g_assert_cmpstr (notice->summary, ==,
                   "Moved: " XDP " 07:00 → 08:30 PDT (America/Los_Angeles), " GPU_ROOM);
  g_assert_nonnull (
      strstr (notice->body_text, "Was: Mon 07:00 PDT (America/Los_Angeles) · " BPF_ROOM));
  g_assert_nonnull (strstr (notice->body, "Was: Mon 07:00 PDT (America/Los_Angeles) · " BPF_ROOM));
  /* Notices are not recorded and not held. */
  record (fixture, notice, T0);

  /* Moved to another day, same room. */
  g_clear_pointer (&notice, lpc_reminder_free);
  g_free (row->item->previous_room);
  row->item->previous_room = g_strdup (GPU_ROOM);
  row->entry->start = T0 + MINUTES (24 * 60);
  row->entry->end = T0 + MINUTES (24 * 60 + 30);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, NULL, fixture->now);
  notice = lpc_reminders_make_notice (fixture->reminders, "xdp");
  g_assert_cmpstr (notice->summary, ==,
                   "Moved: " XDP " Mon 07:00 → Tue 07:00 PDT (America/Los_Angeles)");
}

static void
test_cancelled_notice (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) notice = NULL;

  pick (fixture, "btf", NULL, LPC_ITEM_CANCELLED);
  notice = lpc_reminders_make_notice (fixture->reminders, "btf");
  g_assert_nonnull (notice);
  g_assert_cmpint (notice->kind, ==, LPC_REMINDER_KIND_CANCELLED);
  g_assert_cmpstr (notice->summary, ==, "Cancelled: BTF everywhere");
  g_assert_null (lpc_reminders_make_notice (fixture->reminders, "no-such-id"));
}

/* ---- held reminders (no notification server) ---- */

static void
test_held (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) first = NULL;
  g_autoptr (LpcReminder) retried = NULL;
  g_autoptr (LpcReminder) missed = NULL;
  g_autoptr (GPtrArray) none = NULL;

  pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  pick (fixture, "btf", NULL, LPC_ITEM_PLANNED);
  first = take_one (fixture, T0 - MINUTES (5));
  lpc_reminders_mark_failed (fixture->reminders, first);
  /* Held: not due, not taken; the timer only needs to wake for btf. */
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (5)), ==,
                   T0 + MINUTES (25));
  none = take (fixture, T0 - MINUTES (3));
  g_assert_cmpuint (none->len, ==, 0);

  /* A server appears at 06:58: shown late, with the time as it is then. */
  g_assert_true (lpc_reminders_release_held (fixture->reminders));
  g_assert_false (lpc_reminders_release_held (fixture->reminders));
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 - MINUTES (2)), ==,
                   T0 - MINUTES (5));
  retried = take_one (fixture, T0 - MINUTES (2));
  g_assert_cmpint (retried->kind, ==, LPC_REMINDER_KIND_LATE);
  g_assert_true (retried->again);
  g_assert_cmpstr (retried->summary, ==, "Starts in 2 min: " XDP);
  record (fixture, retried, T0 - MINUTES (2));
  assert_outcome (fixture, "xdp", T0, 5, "shown");

  /* btf fails too, and no server comes before it ends: recorded missed at
   * its end, never shown. */
  g_clear_pointer (&first, lpc_reminder_free);
  first = take_one (fixture, T0 + MINUTES (25));
  lpc_reminders_mark_failed (fixture->reminders, first);
  g_assert_cmpint (lpc_reminders_get_next_due (fixture->reminders, T0 + MINUTES (25)), ==, 0);
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, T0 + MINUTES (60));
  g_clear_pointer (&none, g_ptr_array_unref);
  none = take (fixture, T0 + MINUTES (59));
  g_assert_cmpuint (none->len, ==, 0);
  missed = take_one (fixture, T0 + MINUTES (60));
  g_assert_cmpint (missed->kind, ==, LPC_REMINDER_KIND_MISSED);
  g_assert_true (missed->again);
  record (fixture, missed, T0 + MINUTES (60));
  assert_outcome (fixture, "btf", T0 + MINUTES (30), 5, "missed");
  g_assert_cmpint (lpc_reminders_get_next_wakeup (fixture->reminders), ==, 0);
}

/* ---- texts ---- */

static void
check_markup (const char *body)
{
  static const GMarkupParser parser = { 0 };
  g_autofree char *wrapped = g_strdup_printf ("<body>%s</body>", body);
  g_autoptr (GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_markup_parse_context_parse (context, wrapped, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
}

static void
test_texts (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GHashTable) clashes = g_hash_table_new (g_str_hash, g_str_equal);
  const char *const xdp_clashes[] = { "Shader caches", "A & <B>", NULL };
  const LpcReminder *block;
  const LpcReminder *talk;

  pick (fixture, "bpf", NULL, LPC_ITEM_PLANNED);
  pick (fixture, "xdp", NULL, LPC_ITEM_PLANNED);
  {
    LpcAgendaItem *item = ((LpcAgendaRow *) g_ptr_array_index (fixture->rows, 1))->item;
    g_free (item->note);
    item->note = g_strdup ("front <row>");
  }
  g_hash_table_insert (clashes, (gpointer) "xdp", (gpointer) xdp_clashes);
  lpc_reminders_set_agenda (fixture->reminders, fixture->rows, clashes, fixture->now);
  due = take (fixture, T0 - MINUTES (5));
  g_assert_cmpuint (due->len, ==, 2);
  block = g_ptr_array_index (due, 0);
  talk = g_ptr_array_index (due, 1);

  /* The summary is plain text (the spec gives it no markup). */
  g_assert_cmpstr (block->summary, ==, "In 5 min: " BPF);
  g_assert_cmpstr (talk->summary, ==, "In 5 min: " XDP);

  /* A block: its own title is its track (not repeated); conveners. */
  g_assert_cmpstr (block->body_text, ==,
                   "Mon 20 Sep, 07:00–11:00 PDT (America/Los_Angeles) · " BPF_ROOM "\n"
                   "Conveners: Daniel Borkmann (Isovalent), Alexei Starovoitov");
  g_assert_cmpstr (talk->body_text, ==,
                   "Mon 20 Sep, 07:00–07:30 PDT (America/Los_Angeles) · " BPF_ROOM "\n" BPF "\n"
                   "Speakers: Lorenzo Bianconi (Red Hat), Eelco <Chaudron>\n"
                   "Note: front <row>\n"
                   "⚠ Clashes with: Shader caches; A & <B>");
  /* Markup: every '&', '<' and '>' escaped, and the body parses. */
  g_assert_cmpstr (talk->body, ==,
                   "Mon 20 Sep, 07:00–07:30 PDT (America/Los_Angeles) · " BPF_ROOM "\n"
                   "BPF &amp; Networking Summit\n"
                   "Speakers: Lorenzo Bianconi (Red Hat), Eelco &lt;Chaudron&gt;\n"
                   "Note: front &lt;row&gt;\n"
                   "⚠ Clashes with: Shader caches; A &amp; &lt;B&gt;");
  check_markup (talk->body);
  check_markup (block->body);

  /* Another zone, another text: the caller passes the machine's. */
  {
    g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
    g_autoptr (LpcReminders) there = lpc_reminders_new (fixture->store, berlin);
    g_autoptr (GPtrArray) due_there = NULL;

    lpc_reminders_set_agenda (there, fixture->rows, NULL, fixture->now);
    due_there = lpc_reminders_take_due (there, T0 - MINUTES (5));
    g_assert_cmpuint (due_there->len, ==, 2);
    g_assert_true (g_str_has_prefix (((LpcReminder *) g_ptr_array_index (due_there, 1))->body_text,
                                     "Mon 20 Sep, 16:00–16:30 CEST (Europe/Berlin) · "));
  }
}

static void
test_copy (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcReminder) reminder = NULL;
  g_autoptr (LpcReminder) copy = NULL;

  pick (fixture, "xdp", "10,0", LPC_ITEM_PLANNED);
  reminder = take_one (fixture, T0 + MINUTES (3));
  copy = lpc_reminder_copy (reminder);
  g_assert_cmpstr (copy->entry_id, ==, reminder->entry_id);
  g_assert_cmpstr (copy->summary, ==, reminder->summary);
  g_assert_cmpstr (copy->body, ==, reminder->body);
  g_assert_cmpuint (copy->leads->len, ==, 2);
  g_assert_true (copy->leads != reminder->leads);
  g_assert_cmpstr (lpc_reminder_kind_to_string (copy->kind), ==, "late");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/reminders/next-due", test_next_due);
  ADD ("/reminders/same-minute", test_same_minute);
  ADD ("/reminders/lead-lists", test_lead_lists);
  ADD ("/reminders/off", test_off);
  ADD ("/reminders/skipped-and-cancelled", test_skipped_and_cancelled);
  ADD ("/reminders/snooze", test_snooze);
  ADD ("/reminders/missed-rule", test_missed_rule);
  ADD ("/reminders/missed-only-when-owed", test_missed_only_when_owed);
  ADD ("/reminders/grace", test_grace);
  ADD ("/reminders/restart-does-not-repeat", test_restart_does_not_repeat);
  ADD ("/reminders/moved-reminded-again", test_moved_reminded_again);
  ADD ("/reminders/cancelled-notice", test_cancelled_notice);
  ADD ("/reminders/held", test_held);
  ADD ("/reminders/texts", test_texts);
  ADD ("/reminders/copy", test_copy);
#undef ADD

  return g_test_run ();
}
