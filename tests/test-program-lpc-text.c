/* Unit tests of the LPC timetable importer: the shipped program, checked
 * against the file, one test per trap of the format (DESIGN.md, "The
 * program"), and small inline texts for each kind of bad input.
 *
 * The machine's zone in these tests is America/New_York on purpose (see
 * tests/meson.build): a parser that used it instead of the program's zone
 * would be an hour off everywhere. */
#include "lpc-error.h"
#include "program-lpc-text.h"
#include "test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUL "\xe2\x80\xa2"   /* U+2022, the file's bullet */
#define NNBSP "\xe2\x80\xaf" /* U+202F, before AM/PM */

/* ---- helpers ---- */

/* Set by tests/meson.build; the source tree's copy otherwise. */
static const char *
timetable_path (void)
{
  const char *path = g_getenv ("LPC_TEST_TIMETABLE");

  if (path != NULL)
    return path;
  return g_test_get_filename (G_TEST_DIST, "..", "data", "lpc2021-timetable.txt", NULL);
}

static LpcProgram *
load_shipped (GPtrArray *warnings)
{
  return lpc_test_load_ok (lpc_program_load_lpc_text_file, timetable_path (), warnings);
}

static LpcProgram *
parse_text (const char *text, GPtrArray *warnings)
{
  return lpc_test_parse_ok (lpc_program_parse_lpc_text, text, "test.txt", warnings);
}

/* The first entry of @kind titled @title (and in @track, if not NULL). */
static const LpcEntry *
find_entry (LpcProgram *program, LpcEntryKind kind, const char *title, const char *track)
{
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      if (entry->kind == kind && g_strcmp0 (entry->title, title) == 0
          && (track == NULL || g_strcmp0 (entry->track, track) == 0))
        return entry;
    }
  g_test_message ("no %s titled '%s'", lpc_entry_kind_to_string (kind), title);
  g_assert_not_reached ();
  return NULL;
}

/* In the conference's zone, whatever the machine's. */
static char *
pacific_string (gint64 unix_time)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (LPC_TEXT_TIMEZONE);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%a %Y-%m-%d %H:%M");
}

#define assert_pacific(unix_time, expected)                                                        \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *_s = pacific_string (unix_time);                                              \
    g_assert_cmpstr (_s, ==, expected);                                                            \
  }                                                                                                \
  G_STMT_END

static guint
strv_len (GStrv strv)
{
  g_assert_nonnull (strv);
  return g_strv_length (strv);
}

/* ---- the shipped program ---- */

static void
test_shipped_counts (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = load_shipped (warnings);
  g_autofree char *expected_prefix = g_strdup_printf ("%s:1571:", timetable_path ());

  g_assert_cmpstr (program->name, ==, "Linux Plumbers Conference 2021");
  g_assert_cmpstr (program->timezone, ==, "America/Los_Angeles");
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_SESSION), ==, 38);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, 226);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_BREAK), ==, 45);
  g_assert_cmpuint (program->entries->len, ==, 38 + 271);

  /* The RISC-V MC's untitled 7:00 AM entry: skipped, and said so. */
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), expected_prefix));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "7:00"));
}

static void
test_shipped_program_order (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *block = NULL;

  /* Each block, then its entries; every entry inside its block's day. */
  g_assert_cmpint (((LpcEntry *) g_ptr_array_index (program->entries, 0))->kind, ==,
                   LPC_ENTRY_SESSION);
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);

      g_assert_cmpint (entry->end, >=, entry->start);
      g_assert_cmpuint (entry->source_line, >, 0);
      if (entry->kind == LPC_ENTRY_SESSION)
        {
          block = entry;
          g_assert_null (entry->parent_id);
          g_assert_cmpstr (entry->track, ==, entry->title);
          continue;
        }
      g_assert_nonnull (block);
      g_assert_cmpstr (entry->parent_id, ==, block->id);
      g_assert_cmpstr (entry->track, ==, block->title);
      g_assert_cmpuint (strv_len (entry->conveners), ==, 0);
      g_assert_cmpint (entry->start, >=, block->start);
      g_assert_cmpint (entry->start - block->start, <, 12 * 3600);
    }
}

static void
test_shipped_days (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (LPC_TEXT_TIMEZONE);
  guint per_day[5] = { 0 };
  const guint expected[5] = { 8, 7, 7, 7, 9 };

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      g_autoptr (GDateTime) utc = NULL;
      g_autoptr (GDateTime) local = NULL;
      int day;

      if (entry->kind != LPC_ENTRY_SESSION)
        continue;
      utc = g_date_time_new_from_unix_utc (entry->start);
      local = g_date_time_to_timezone (utc, tz);
      g_assert_cmpint (g_date_time_get_year (local), ==, 2021);
      g_assert_cmpint (g_date_time_get_month (local), ==, 9);
      day = g_date_time_get_day_of_month (local) - 20;
      g_assert_cmpint (day, >=, 0);
      g_assert_cmpint (day, <, 5);
      /* Mon..Fri */
      g_assert_cmpint (g_date_time_get_day_of_week (local), ==, day + 1);
      per_day[day]++;
    }
  for (guint d = 0; d < 5; d++)
    g_assert_cmpuint (per_day[d], ==, expected[d]);

  /* "RISC-V MC" sorts before "Real-time MC" byte-wise: same Tuesday. */
  assert_pacific (find_entry (program, LPC_ENTRY_SESSION, "RISC-V MC", NULL)->start,
                  "Tue 2021-09-21 07:00");
  assert_pacific (find_entry (program, LPC_ENTRY_SESSION, "Real-time MC", NULL)->start,
                  "Tue 2021-09-21 07:00");
  assert_pacific (find_entry (program, LPC_ENTRY_SESSION, "Android MC", NULL)->start,
                  "Wed 2021-09-22 07:00");
  assert_pacific (
      find_entry (program, LPC_ENTRY_SESSION, "Android MC: Android reprise", NULL)->start,
      "Fri 2021-09-24 07:00");
}

static void
test_shipped_times (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *keynote
      = find_entry (program, LPC_ENTRY_SESSION, "Keynote: Keynote by Jon Maddog Hall", NULL);
  const LpcEntry *first = find_entry (program, LPC_ENTRY_SESSION, "BPF & Networking Summit", NULL);

  /* "11:00 AM 12:00 PM": 12 PM is noon. */
  assert_pacific (keynote->start, "Mon 2021-09-20 11:00");
  assert_pacific (keynote->end, "Mon 2021-09-20 12:00");
  lpc_test_assert_utc (keynote->end, "2021-09-20T19:00:00Z");
  /* A block ends at its own second time, not at its last entry's end. */
  assert_pacific (first->start, "Mon 2021-09-20 06:40");
  assert_pacific (first->end, "Mon 2021-09-20 11:00");
  g_assert_cmpint (lpc_entry_duration_minutes (first), ==, 260);
}

static void
test_shipped_timezone (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *hmm = find_entry (
      program, LPC_ENTRY_TALK, "Documenting the Heterogeneous Memory Model Architecture", NULL);

  /* Announced as "08:40-10:00 Pacific, 11:40-13:00 Eastern, 15:40-17:00 UTC". */
  lpc_test_assert_utc (hmm->start, "2021-09-24T15:40:00Z");
  lpc_test_assert_utc (hmm->end, "2021-09-24T17:00:00Z");
  assert_pacific (hmm->start, "Fri 2021-09-24 08:40");
  g_assert_cmpstr (hmm->track, ==, "GPU/media/AI buffer management and interop MC");
}

static void
test_shipped_durations (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);

  g_assert_cmpint (lpc_entry_duration_minutes (find_entry (
                       program, LPC_ENTRY_TALK, "BPF & Networking Opening Session", NULL)),
                   ==, 20);
  g_assert_cmpint (lpc_entry_duration_minutes (find_entry (
                       program, LPC_ENTRY_TALK, "Closing Keynote & Beverage Hall", NULL)),
                   ==, 60);
  g_assert_cmpint (lpc_entry_duration_minutes (find_entry (
                       program, LPC_ENTRY_TALK,
                       "Documenting the Heterogeneous Memory Model Architecture", NULL)),
                   ==, 80);
}

static void
test_shipped_own_rooms (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *direct = find_entry (program, LPC_ENTRY_TALK, "Direct map management", NULL);
  const LpcEntry *intro = find_entry (program, LPC_ENTRY_TALK, "Android BoF Intro", NULL);
  const LpcEntry *rcu = find_entry (program, LPC_ENTRY_TALK, "RCU Implementation BOF", NULL);
  const LpcEntry *pause
      = find_entry (program, LPC_ENTRY_BREAK, "15 min Break", "Android MC: Android reprise");

  g_assert_cmpstr (direct->room, ==, "BOF1/Virtual-Room");
  g_assert_cmpint (lpc_entry_duration_minutes (direct), ==, 45);
  g_assert_cmpstr (direct->track, ==, "BOFs Session");
  g_assert_true (g_str_has_prefix (direct->abstract, "This BoF is to discuss pros and cons"));
  g_assert_cmpuint (strv_len (direct->speakers), ==, 3);

  /* The repeated room line and the venue line are not the abstract. */
  g_assert_cmpstr (intro->room, ==, "GNU Tools track/Virtual-Room");
  g_assert_true (g_str_has_prefix (intro->abstract, "Come join and further discuss"));
  g_assert_cmpstr (rcu->abstract, ==, "");
  g_assert_cmpstr (rcu->speakers[0], ==, "Paul McKenney (Facebook)");
  /* "... 15m GNU Tools track/Virtual-Room (LPC Virtual)" */
  g_assert_cmpstr (pause->room, ==, "GNU Tools track/Virtual-Room");
  g_assert_cmpint (lpc_entry_duration_minutes (pause), ==, 15);
  g_assert_cmpstr (pause->abstract, ==, "");

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      g_assert_null (strstr (entry->abstract, "/Virtual-Room"));
      g_assert_null (strstr (entry->abstract, "LPC Virtual"));
      g_assert_true (g_str_has_suffix (entry->room, "/Virtual-Room"));
    }
}

static void
test_shipped_block_rooms (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  g_autoptr (GHashTable) rooms = g_hash_table_new (g_str_hash, g_str_equal);
  struct
  {
    const char *title, *room;
  } blocks[] = {
    /* rooms with spaces, which also stand alone two lines below */
    { "BPF & Networking Summit", "Networking and BPF Summit/Virtual-Room" },
    { "GNU Tools Track", "GNU Tools track/Virtual-Room" },
    { "Kernel Summit", "Kernel Summit/Virtual-Room" },
    { "LPC Refereed Track", "Refereed Track/Virtual-Room" },
    { "Keynote: Keynote by Jon Maddog Hall", "Refereed Track/Virtual-Room" },
    { "Android MC: Android reprise", "GNU Tools track/Virtual-Room" },
    /* one-word rooms, which do not */
    { "Containers and Checkpoint/Restore MC", "Microconference2/Virtual-Room" },
    { "VFIO/IOMMU/PCI MC", "Microconference2/Virtual-Room" },
    { "Diversity, Equity & Inclusion MC", "Microconference4/Virtual-Room" },
    { "BOFs Session", "BOF1/Virtual-Room" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      const LpcEntry *block = find_entry (program, LPC_ENTRY_SESSION, blocks[i].title, NULL);
      g_assert_cmpstr (block->room, ==, blocks[i].room);
    }

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      g_hash_table_add (rooms, entry->room);
    }
  g_assert_cmpuint (g_hash_table_size (rooms), ==, 9);

  /* The block's abstract starts after the room and venue lines. */
  g_assert_true (g_str_has_prefix (
      find_entry (program, LPC_ENTRY_SESSION, "Containers and Checkpoint/Restore MC", NULL)
          ->abstract,
      "The Containers and Checkpoint/Restore Microconference focuses"));
  g_assert_true (g_str_has_prefix (
      find_entry (program, LPC_ENTRY_SESSION, "BPF & Networking Summit", NULL)->abstract,
      "The track will be composed of talks"));
}

static void
test_shipped_bullet_abstracts (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *ebpf = find_entry (program, LPC_ENTRY_TALK, "Use of eBPF in cpu scheduler", NULL);
  const LpcEntry *cgroup
      = find_entry (program, LPC_ENTRY_TALK, "Cgroup v1/v2 Abstraction Layer", NULL);
  const LpcEntry *riscv
      = find_entry (program, LPC_ENTRY_TALK, "RISC-V platform specification", "BOFs Session");
  const LpcEntry *mass
      = find_entry (program, LPC_ENTRY_TALK, "bpf: mass attachment of tracing probes", NULL);

  /* Bullets at indent 8 are list items of the abstract, not entries. */
  g_assert_true (g_str_has_prefix (ebpf->abstract, "eBPF has been used extensively"));
  g_assert_nonnull (strstr (ebpf->abstract, "\n\n" BUL " Profiling scheduling latencies."));
  g_assert_nonnull (strstr (ebpf->abstract, "\n\n" BUL " The third application of eBPF"));
  g_assert_cmpuint (strv_len (ebpf->speakers), ==, 2);
  g_assert_cmpint (lpc_entry_duration_minutes (ebpf), ==, 40);

  /* List items without blank lines between, and a continuation line that
   * keeps its deeper indentation. */
  g_assert_nonnull (strstr (cgroup->abstract, "\n\n" BUL " cgroup v2 support added to libcgroup"));
  g_assert_nonnull (strstr (cgroup->abstract, "DONE [1]\n" BUL " cgroup v1/v2 abstraction layer"));
  g_assert_nonnull (strstr (cgroup->abstract, "(e.g. cpu.weight\n  vs cpu.shares)"));
  g_assert_nonnull (strstr (riscv->abstract, "\n\n" BUL " PCT\n" BUL " Mandating Compatibility"));

  /* Hard-wrapped paragraphs keep their lines; paragraphs are "\n\n" apart. */
  g_assert_true (g_str_has_prefix (mass->abstract,
                                   "There's currently kernel-side bottleneck when attaching probe\n"
                                   "to multiple functions"));
  g_assert_nonnull (strstr (mass->abstract, ";-)\n\nAfter multiple discussions"));
  g_assert_true (g_str_has_suffix (mass->abstract, "status of the implementation."));
  g_assert_null (strstr (mass->abstract, "\n\n\n"));
}

static void
test_shipped_people (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *opening
      = find_entry (program, LPC_ENTRY_TALK, "BPF & Networking Opening Session", NULL);
  const LpcEntry *gnu
      = find_entry (program, LPC_ENTRY_TALK, "Update on BPF support in the GNU Toolchain", NULL);
  const LpcEntry *kda
      = find_entry (program, LPC_ENTRY_SESSION, "Kernel Dependability and Assurance MC", NULL);
  const LpcEntry *reprise
      = find_entry (program, LPC_ENTRY_SESSION, "Android MC: Android reprise", NULL);
  const LpcEntry *android_intro
      = find_entry (program, LPC_ENTRY_TALK, "Android MC Introduction", NULL);
  const LpcEntry *scheduler = find_entry (program, LPC_ENTRY_SESSION, "Scheduler MC", NULL);

  g_assert_cmpuint (strv_len (opening->speakers), ==, 6);
  g_assert_cmpstr (opening->speakers[0], ==, "Daniel Borkmann (Isovalent)");
  g_assert_cmpstr (opening->speakers[5], ==, "Eric Dumazet (Google)");

  /* A comma inside the parentheses does not split a speaker. */
  g_assert_cmpuint (strv_len (gnu->speakers), ==, 3);
  g_assert_cmpstr (gnu->speakers[0], ==, "Jose E. Marchesi (GNU Project, Oracle Inc.)");
  g_assert_cmpstr (gnu->speakers[1], ==, "David Faust");
  g_assert_cmpstr (gnu->speakers[2], ==, "Mr Guillermo Martinez (Oracle)");

  /* Conveners for blocks ("Conveners:" and "Convener:"), not speakers. */
  g_assert_cmpuint (strv_len (kda->conveners), ==, 2);
  g_assert_cmpstr (kda->conveners[0], ==, "Gabriele Paoloni");
  g_assert_cmpstr (kda->conveners[1], ==, "Shuah Khan (The Linux Foundation)");
  g_assert_cmpuint (strv_len (kda->speakers), ==, 0);
  g_assert_cmpuint (strv_len (reprise->conveners), ==, 1);
  g_assert_cmpstr (reprise->conveners[0], ==, "Karim Yaghmour (Opersys inc.)");

  /* And none at all. */
  g_assert_cmpuint (strv_len (android_intro->speakers), ==, 0);
  g_assert_cmpuint (strv_len (scheduler->conveners), ==, 0);
  g_assert_cmpuint (strv_len (scheduler->speakers), ==, 0);
}

static void
test_shipped_breaks (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const char *spellings[]
      = { "Break", "break", "break 1", "break 2", "Coffee Break", "15min Break", "15 min Break" };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      const LpcEntry *entry = find_entry (program, LPC_ENTRY_BREAK, spellings[i], NULL);
      g_assert_false (lpc_entry_is_attendable (entry));
      g_assert_nonnull (entry->id);
    }
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      if (entry->kind == LPC_ENTRY_TALK)
        g_assert_null (strstr (entry->title, "reak"));
    }
}

static void
test_shipped_entries (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *entry;
  const LpcEntry *block;

  entry = find_entry (program, LPC_ENTRY_TALK, "BPF & Networking Opening Session", NULL);
  block = find_entry (program, LPC_ENTRY_SESSION, "BPF & Networking Summit", NULL);
  g_assert_cmpstr (entry->track, ==, "BPF & Networking Summit");
  g_assert_cmpstr (entry->room, ==, "Networking and BPF Summit/Virtual-Room");
  assert_pacific (entry->start, "Mon 2021-09-20 06:40");
  assert_pacific (entry->end, "Mon 2021-09-20 07:00");
  lpc_test_assert_utc (entry->start, "2021-09-20T13:40:00Z");
  g_assert_cmpstr (entry->abstract, ==,
                   "Short intro/welcome session to the Networking and BPF track.");
  g_assert_cmpstr (entry->parent_id, ==, block->id);
  g_assert_null (entry->occurrence_group);
  g_assert_cmpuint (entry->source_line, ==, 20);
  g_assert_cmpuint (block->source_line, ==, 8);
  g_assert_cmpstr (entry->identity, ==,
                   "talk|BPF & Networking Summit|BPF & Networking Opening Session|1");

  entry = find_entry (program, LPC_ENTRY_TALK, "Update on BPF support in the GNU Toolchain", NULL);
  g_assert_cmpstr (entry->track, ==, "GNU Tools Track");
  g_assert_cmpstr (entry->room, ==, "GNU Tools track/Virtual-Room");
  assert_pacific (entry->start, "Mon 2021-09-20 10:15");
  assert_pacific (entry->end, "Mon 2021-09-20 10:45");
  g_assert_true (g_str_has_prefix (entry->abstract, "BPF is a virtual machine"));
  g_assert_nonnull (strstr (entry->abstract, "\n\nIn this talk we will first"));
  g_assert_cmpstr (entry->parent_id, ==,
                   find_entry (program, LPC_ENTRY_SESSION, "GNU Tools Track", NULL)->id);

  entry = find_entry (program, LPC_ENTRY_BREAK, "Coffee Break", "GNU Tools Track");
  assert_pacific (entry->start, "Mon 2021-09-20 09:00");
  assert_pacific (entry->end, "Mon 2021-09-20 09:15");
  g_assert_cmpstr (entry->abstract, ==, "");
  g_assert_cmpuint (strv_len (entry->speakers), ==, 0);
  g_assert_cmpstr (entry->identity, ==, "break|GNU Tools Track|Coffee Break|1");

  entry = find_entry (program, LPC_ENTRY_TALK, "Speculative page faults", "Android MC");
  g_assert_cmpstr (entry->room, ==, "Microconference3/Virtual-Room");
  assert_pacific (entry->start, "Wed 2021-09-22 10:10");
  lpc_test_assert_utc (entry->end, "2021-09-22T17:30:00Z");
  g_assert_cmpuint (strv_len (entry->speakers), ==, 2);
  g_assert_cmpstr (entry->speakers[1], ==, "Mr Laurent Dufour");
  g_assert_true (g_str_has_prefix (entry->abstract, "Most Android vendors currently ship"));
  g_assert_cmpstr (entry->parent_id, ==,
                   find_entry (program, LPC_ENTRY_SESSION, "Android MC", NULL)->id);

  block = find_entry (program, LPC_ENTRY_SESSION, "Kernel Dependability and Assurance MC", NULL);
  g_assert_cmpstr (block->track, ==, block->title);
  g_assert_cmpstr (block->room, ==, "Microconference1/Virtual-Room");
  lpc_test_assert_utc (block->start, "2021-09-23T14:00:00Z");
  lpc_test_assert_utc (block->end, "2021-09-23T18:00:00Z");
  g_assert_true (g_str_has_prefix (block->abstract, "The Kernel Dependability and Assurance"));
  g_assert_null (block->parent_id);
  g_assert_cmpstr (block->identity, ==,
                   "session|Kernel Dependability and Assurance MC|"
                   "Kernel Dependability and Assurance MC|1");

  /* The last line of the file, without a newline. */
  entry = find_entry (program, LPC_ENTRY_TALK, "Closing Keynote & Beverage Hall", NULL);
  g_assert_cmpuint (strv_len (entry->speakers), ==, 2);
  g_assert_cmpstr (entry->speakers[1], ==, "David Woodhouse");
  assert_pacific (entry->end, "Fri 2021-09-24 12:00");
}

static void
test_shipped_occurrence_groups (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  const LpcEntry *first
      = find_entry (program, LPC_ENTRY_TALK, "Speculative page faults", "Android MC");
  const LpcEntry *again = find_entry (program, LPC_ENTRY_TALK, "Speculative page faults",
                                      "Android MC: Android reprise");
  guint grouped = 0;

  g_assert_true (first != again);
  g_assert_cmpstr (first->occurrence_group, ==, first->id);
  g_assert_cmpstr (again->occurrence_group, ==, first->id);
  /* Two occurrences, two entries with their own ids. */
  g_assert_cmpstr (first->id, !=, again->id);

  /* Same title, different talks (different MCs, different speakers). */
  g_assert_null (
      find_entry (program, LPC_ENTRY_TALK, "Introduction", "Open Printing MC")->occurrence_group);
  g_assert_null (
      find_entry (program, LPC_ENTRY_TALK, "Introduction", "Tracing MC")->occurrence_group);

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      if (entry->occurrence_group != NULL)
        grouped++;
    }
  g_assert_cmpuint (grouped, ==, 2);
}

static void
assert_id_is_slug (const char *id)
{
  g_assert_nonnull (id);
  g_assert_cmpuint (strlen (id), >, 0);
  g_assert_cmpint (id[0], !=, '-');
  g_assert_cmpint (id[strlen (id) - 1], !=, '-');
  for (const char *p = id; *p != '\0'; p++)
    g_assert_true ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
}

static void
test_shipped_ids (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  g_autoptr (LpcProgram) again = load_shipped (NULL);
  g_autoptr (GHashTable) identities = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (g_hash_table_size (program->by_id), ==, program->entries->len);
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      const LpcEntry *other = g_ptr_array_index (again->entries, i);

      assert_id_is_slug (entry->id);
      g_assert_true (lpc_program_lookup (program, entry->id) == entry);
      g_assert_true (g_hash_table_add (identities, entry->identity));
      /* The same text gives the same ids. */
      g_assert_cmpstr (entry->id, ==, other->id);
      g_assert_cmpstr (entry->identity, ==, other->identity);
    }

  g_assert_cmpstr (
      find_entry (program, LPC_ENTRY_TALK, "BPF & Networking Opening Session", NULL)->id, ==,
      "bpf-networking-opening-session");
  /* Blocks held on several days get the day. */
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_SESSION, "LPC Refereed Track", NULL)->id, ==,
                   "lpc-refereed-track-mon");
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_TALK, "Introduction", "Tracing MC")->id, ==,
                   "introduction-wed");
  g_assert_cmpstr (
      find_entry (program, LPC_ENTRY_BREAK, "15 min Break", "Android MC: Android reprise")->id, ==,
      "15-min-break-fri");
}

/* A copy of the shipped text with the first occurrence of @from replaced. */
static char *
edited_copy (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);
  GString *copy;

  g_assert_nonnull (at);
  copy = g_string_new_len (text, at - text);
  g_string_append (copy, to);
  g_string_append (copy, at + strlen (from));
  return g_string_free (copy, FALSE);
}

static void
test_shipped_ids_survive_moves (void)
{
  g_autofree char *text = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *moved_twice = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) before = NULL;
  g_autoptr (LpcProgram) after = NULL;
  gsize len;
  const LpcEntry *talk_before, *talk_after;

  g_assert_true (g_file_get_contents (timetable_path (), &text, &len, &error));
  g_assert_no_error (error);
  before = lpc_program_parse_lpc_text (text, len, "before.txt", NULL, NULL, &error);
  g_assert_no_error (error);

  /* "Socket migration for SO_REUSEPORT" moves from 8:40 to 10:45, and
   * "Direct map management" to another room. */
  moved = edited_copy (text, "      " BUL " 8:40" NNBSP "AM\n        Socket migration",
                       "      " BUL " 10:45" NNBSP "AM\n        Socket migration");
  moved_twice = edited_copy (moved, "Direct map management 45m BOF1/Virtual-Room",
                             "Direct map management 45m BOF2/Virtual-Room");
  after = lpc_program_parse_lpc_text (moved_twice, strlen (moved_twice), "after.txt", NULL, NULL, &error);
  g_assert_no_error (error);

  talk_before = find_entry (before, LPC_ENTRY_TALK, "Socket migration for SO_REUSEPORT", NULL);
  talk_after = find_entry (after, LPC_ENTRY_TALK, "Socket migration for SO_REUSEPORT", NULL);
  assert_pacific (talk_before->start, "Mon 2021-09-20 08:40");
  assert_pacific (talk_after->start, "Mon 2021-09-20 10:45");
  g_assert_cmpstr (find_entry (after, LPC_ENTRY_TALK, "Direct map management", NULL)->room, ==,
                   "BOF2/Virtual-Room");
  g_assert_cmpstr (talk_before->id, ==, talk_after->id);

  g_assert_cmpuint (before->entries->len, ==, after->entries->len);
  for (guint i = 0; i < before->entries->len; i++)
    {
      const LpcEntry *a = g_ptr_array_index (before->entries, i);
      const LpcEntry *b = g_ptr_array_index (after->entries, i);
      g_assert_cmpstr (a->identity, ==, b->identity);
      g_assert_cmpstr (a->id, ==, b->id);
    }
  g_assert_cmpstr (before->source_hash, !=, after->source_hash);
}

static void
test_shipped_hash (void)
{
  g_autoptr (LpcProgram) program = load_shipped (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = lpc_program_hash_file (timetable_path (), &error);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  gsize len;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (timetable_path (), &text, &len, NULL));
  expected = lpc_content_hash (text, len);
  g_assert_cmpstr (hash, ==, expected);
  g_assert_cmpstr (program->source_hash, ==, expected);
  g_assert_cmpuint (strlen (hash), ==, 32);
}

/* The change-detection hash: any one-bit change, and any change of length
 * (including by a trailing NUL), gives another hash. */
static void
test_content_hash_sensitivity (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint8 buffer[1024];
  guint n_hashes = 0;

  for (guint i = 0; i < sizeof buffer; i++)
    buffer[i] = (guint8) (i * 7 + 3);

  /* every length from 0 to 40 (all tail sizes, several words) */
  for (gsize len = 0; len <= 40; len++, n_hashes++)
    g_hash_table_add (seen, lpc_content_hash (buffer, len));
  /* every single-bit flip in the first 128 bytes of the whole buffer */
  for (guint bit = 0; bit < 128 * 8; bit++, n_hashes++)
    {
      buffer[bit / 8] ^= (guint8) (1u << (bit % 8));
      g_hash_table_add (seen, lpc_content_hash (buffer, sizeof buffer));
      buffer[bit / 8] ^= (guint8) (1u << (bit % 8));
    }
  g_hash_table_add (seen, lpc_content_hash (buffer, sizeof buffer));
  n_hashes++;
  g_assert_cmpuint (g_hash_table_size (seen), ==, n_hashes);

  /* deterministic, and 32 hex digits */
  {
    g_autofree char *once = lpc_content_hash ("abc", 3);
    g_autofree char *again = lpc_content_hash ("abc", 3);
    g_autofree char *with_nul = lpc_content_hash ("abc\0", 4);

    g_assert_cmpstr (once, ==, again);
    g_assert_cmpstr (once, !=, with_nul);
    g_assert_cmpuint (strlen (once), ==, 32);
    g_assert_cmpuint (strspn (once, "0123456789abcdef"), ==, 32);
  }
}

/* ---- inline texts: the format's rules one by one ---- */

/* The texts are laid out a line of the file to a line of source. */
/* clang-format off */
#define BLOCK_7_TO_11 "    " BUL " 7:00" NNBSP "AM 11:00" NNBSP "AM\n"
#define ENTRY_AT(time) "      " BUL " " time "\n"

static const char clock_text[] =
  "Clock test\n"
  "\n"
  "    " BUL " 11:00" NNBSP "PM 1:00" NNBSP "AM\n"
  "      Late MC Room1/Virtual-Room (LPC Virtual)\n"
  ENTRY_AT ("11:30" NNBSP "PM")
  "        Before midnight 30m\n"
  ENTRY_AT ("12:00" NNBSP "AM")
  "        Midnight 20m\n"
  ENTRY_AT ("12:30" NNBSP "AM")
  "        After midnight 30m\n"
  "    " BUL " 12:00 PM 1:00PM\n"
  "      Noon MC Room1/Virtual-Room\n"
  ENTRY_AT ("12:15 pm")
  "        Quarter past noon 1h 5m\n";

static const char days_text[] =
  "Days\n"
  "\n"
  BLOCK_7_TO_11
  "      Beta MC Room1/Virtual-Room\n"
  BLOCK_7_TO_11
  "      Gamma MC Room2/Virtual-Room\n"
  BLOCK_7_TO_11                                 /* sorts before Gamma: Tuesday */
  "      Alpha MC Room1/Virtual-Room\n"
  "    " BUL " 8:00" NNBSP "AM 9:00" NNBSP "AM\n"
  "      Alpha MC Room2/Virtual-Room\n"
  BLOCK_7_TO_11                                 /* starts before 8:00: Wednesday */
  "      Zeta MC Room1/Virtual-Room\n";

static const char rooms_text[] =
  "Rooms\n"
  "\n"
  BLOCK_7_TO_11
  "      GNU Tools Track GNU Tools track/Virtual-Room (LPC Virtual)\n"
  "\n"
  "      GNU Tools track/Virtual-Room\n"
  "\n"
  "      LPC Virtual\n"
  "\n"
  "\n"
  "      The block's abstract.\n"
  "\n"
  ENTRY_AT ("7:00" NNBSP "AM")
  "        Twenty 20m\n"
  "\n"
  "        First paragraph\n"
  "        goes on.\n"
  "\n"
  "\n"
  "        Second paragraph.\n"
  "\n"
  "        Speaker: Someone\n"
  ENTRY_AT ("7:20" NNBSP "AM")
  "        Hour 1h\n"
  ENTRY_AT ("8:20" NNBSP "AM")
  "        Top 10 tips 1h 20m\n"
  ENTRY_AT ("9:40" NNBSP "AM")
  "        Own room 45m BOF1/Virtual-Room\n"
  "\n"
  "\n"
  "        LPC Virtual\n"
  "\n"
  "        Own room's abstract.\n"
  ENTRY_AT ("10:25" NNBSP "AM")
  "        Spaced room 20m Big Hall/Virtual-Room (LPC Virtual)\n"
  "\n"
  "        Big Hall/Virtual-Room\n"
  "\n"
  "        LPC Virtual\n"
  "\n"
  "        " BUL " a list item, not an entry\n"
  BLOCK_7_TO_11                 /* the room with spaces, known now, not repeated */
  "      Again GNU Tools track/Virtual-Room\n"
  "\n"
  "      Abstract.\n";

static const char untitled_text[] =
  "Untitled\n"
  "\n"
  BLOCK_7_TO_11
  "      Alpha MC Room1/Virtual-Room\n"
  "\n"
  "      LPC Virtual\n"
  "\n"
  ENTRY_AT ("7:00" NNBSP "AM")                  /* line 8: no title */
  ENTRY_AT ("7:05" NNBSP "AM")
  "        Titled 20m\n";

static const char people_text[] =
  "People\n"
  "\n"
  BLOCK_7_TO_11
  "      Alpha MC Room1/Virtual-Room\n"
  "\n"
  "      Convener: Solo Person (Org, Inc.)\n"
  ENTRY_AT ("7:00" NNBSP "AM")
  "        Talk 20m\n"
  "        Speakers: A (X), B (Y, Z (nested, too)), , C\n";

static const char breaks_head[] =
  "Breaks\n"
  "\n"
  BLOCK_7_TO_11
  "      Break MC Room1/Virtual-Room\n";
#define BREAKS_ENTRY ENTRY_AT ("7:00" NNBSP "AM") "        %s 5m\n"

typedef struct
{
  const char *name;
  const char *text;
  gsize len;           /* 0: strlen (text) */
  const char *where;   /* the message's "FILE:LINE:" */
  const char *what;    /* and a word of what was wrong */
} BadInput;

#define HEAD "T\n\n" BLOCK_7_TO_11 "      A Room1/Virtual-Room\n"   /* lines 1-4 */

static const BadInput bad_inputs[] = {
  { "empty", "", 0, "bad.txt:1:", "empty" },
  { "no-blocks", "Just a preamble\n\nand nothing else\n", 0, "bad.txt:3:", "no session blocks" },
  { "entry-time", HEAD ENTRY_AT ("25:00" NNBSP "AM") "        Talk 20m\n", 0,
    "bad.txt:5:", "cannot read time '25:00" NNBSP "AM'" },
  { "entry-minutes", HEAD ENTRY_AT ("7:60 AM") "        Talk 20m\n", 0,
    "bad.txt:5:", "cannot read time '7:60 AM'" },
  { "entry-13pm", HEAD ENTRY_AT ("13:00" NNBSP "PM") "        Talk 20m\n", 0,
    "bad.txt:5:", "cannot read time" },
  { "block-time", "T\n    " BUL " 7:00" NNBSP "AM eleven\n      A Room1/Virtual-Room\n", 0,
    "bad.txt:2:", "cannot read time 'eleven'" },
  { "block-end-time", "T\n    " BUL " 7:00" NNBSP "AM\n      A Room1/Virtual-Room\n", 0,
    "bad.txt:2:", "no end time" },
  { "duration", HEAD ENTRY_AT ("7:00" NNBSP "AM") "        Talk 20x\n", 0,
    "bad.txt:6:", "cannot read duration" },
  { "no-duration", HEAD ENTRY_AT ("7:00" NNBSP "AM") "        Talk about 5m things\n", 0,
    "bad.txt:6:", "cannot read duration" },
  { "long-duration", HEAD ENTRY_AT ("7:00" NNBSP "AM") "        Talk 99h\n", 0,
    "bad.txt:6:", "longer than a day" },
  { "no-title", HEAD ENTRY_AT ("7:00" NNBSP "AM") "        20m\n", 0,
    "bad.txt:6:", "no title" },
  { "block-no-room", "T\n" BLOCK_7_TO_11 "      Scheduler MC (LPC Virtual)\n", 0,
    "bad.txt:3:", "no room" },
  { "block-only-room", "T\n" BLOCK_7_TO_11 "      Room1/Virtual-Room\n", 0,
    "bad.txt:3:", "no title" },
  { "entry-before-block", "T\n\n" ENTRY_AT ("7:00" NNBSP "AM") "        Talk 20m\n", 0,
    "bad.txt:3:", "before any session block" },
  { "nul", "T\n\nab\0cd\n", 9, "bad.txt:3:", "NUL" },
  { "invalid-utf8", "T\n\n\nab\xff\xfe\n", 0, "bad.txt:4:", "UTF-8" },
  { "truncated-block", "T\n" BLOCK_7_TO_11, 0, "bad.txt:2:", "truncated" },
  { "truncated-entry", HEAD ENTRY_AT ("7:00" NNBSP "AM"), 0, "bad.txt:5:", "truncated" },
  { "truncated-block-line", "T\n" BLOCK_7_TO_11 "      Containers and Checkpoint/Rest", 0,
    "bad.txt:3:", "no room" },
  { "truncated-time", HEAD "      " BUL " 7:0", 0, "bad.txt:5:", "cannot read time" },
  { "block-without-title", "T\n" BLOCK_7_TO_11 BLOCK_7_TO_11 "      A Room1/Virtual-Room\n", 0,
    "bad.txt:2:", "no title" },
};
/* clang-format on */

static void
test_text_clock (void)
{
  g_autoptr (LpcProgram) program = parse_text (clock_text, NULL);

  g_assert_cmpuint (program->entries->len, ==, 6);
  assert_pacific (find_entry (program, LPC_ENTRY_SESSION, "Late MC", NULL)->start,
                  "Mon 2021-09-20 23:00");
  /* A block that runs past midnight ends, and has entries, on the next day. */
  assert_pacific (find_entry (program, LPC_ENTRY_SESSION, "Late MC", NULL)->end,
                  "Tue 2021-09-21 01:00");
  assert_pacific (find_entry (program, LPC_ENTRY_TALK, "Before midnight", NULL)->start,
                  "Mon 2021-09-20 23:30");
  assert_pacific (find_entry (program, LPC_ENTRY_TALK, "Midnight", NULL)->start,
                  "Tue 2021-09-21 00:00");
  assert_pacific (find_entry (program, LPC_ENTRY_TALK, "After midnight", NULL)->start,
                  "Tue 2021-09-21 00:30");
  /* "12:00 PM" is noon. It sorts before 11:00 PM: the next day. A plain space
   * or none before PM is read too, and "pm". */
  assert_pacific (find_entry (program, LPC_ENTRY_SESSION, "Noon MC", NULL)->start,
                  "Tue 2021-09-21 12:00");
  assert_pacific (find_entry (program, LPC_ENTRY_SESSION, "Noon MC", NULL)->end,
                  "Tue 2021-09-21 13:00");
  assert_pacific (find_entry (program, LPC_ENTRY_TALK, "Quarter past noon", NULL)->start,
                  "Tue 2021-09-21 12:15");
  g_assert_cmpint (
      lpc_entry_duration_minutes (find_entry (program, LPC_ENTRY_TALK, "Quarter past noon", NULL)),
      ==, 65);
}

static void
test_text_days (void)
{
  g_autoptr (LpcProgram) program = parse_text (days_text, NULL);
  const char *expected[] = { "Mon 2021-09-20 07:00", "Mon 2021-09-20 07:00", "Tue 2021-09-21 07:00",
                             "Tue 2021-09-21 08:00", "Wed 2021-09-22 07:00" };

  g_assert_cmpuint (program->entries->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_pacific (((LpcEntry *) g_ptr_array_index (program->entries, i))->start, expected[i]);
}

static void
test_text_durations_and_rooms (void)
{
  g_autoptr (LpcProgram) program = parse_text (rooms_text, NULL);
  const LpcEntry *block = find_entry (program, LPC_ENTRY_SESSION, "GNU Tools Track", NULL);
  const LpcEntry *twenty = find_entry (program, LPC_ENTRY_TALK, "Twenty", NULL);
  const LpcEntry *own = find_entry (program, LPC_ENTRY_TALK, "Own room", NULL);
  const LpcEntry *spaced = find_entry (program, LPC_ENTRY_TALK, "Spaced room", NULL);

  g_assert_cmpstr (block->room, ==, "GNU Tools track/Virtual-Room");
  g_assert_cmpstr (block->abstract, ==, "The block's abstract.");
  g_assert_cmpint (lpc_entry_duration_minutes (twenty), ==, 20);
  g_assert_cmpstr (twenty->room, ==, "GNU Tools track/Virtual-Room");
  g_assert_cmpstr (twenty->abstract, ==, "First paragraph\ngoes on.\n\nSecond paragraph.");
  g_assert_cmpstr (twenty->speakers[0], ==, "Someone");
  g_assert_cmpint (lpc_entry_duration_minutes (find_entry (program, LPC_ENTRY_TALK, "Hour", NULL)),
                   ==, 60);
  /* A number in the title is not the duration. */
  g_assert_cmpint (
      lpc_entry_duration_minutes (find_entry (program, LPC_ENTRY_TALK, "Top 10 tips", NULL)), ==,
      80);
  g_assert_cmpstr (own->room, ==, "BOF1/Virtual-Room");
  g_assert_cmpint (lpc_entry_duration_minutes (own), ==, 45);
  g_assert_cmpstr (own->abstract, ==, "Own room's abstract.");
  g_assert_cmpstr (spaced->room, ==, "Big Hall/Virtual-Room");
  g_assert_cmpstr (spaced->abstract, ==, BUL " a list item, not an entry");
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_SESSION, "Again", NULL)->room, ==,
                   "GNU Tools track/Virtual-Room");
}

static void
test_text_breaks (void)
{
  const char *breaks[] = { "Break",        "break",       "break 1",      "Coffee Break",
                           "coffee break", "15min Break", "15 min Break", "5 MIN BREAK 2" };
  const char *talks[] = { "Breaking the kernel", "Break it", "Coffee", "15 Break", "break-out" };
  g_autoptr (GString) text = g_string_new (breaks_head);
  g_autoptr (LpcProgram) program = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (breaks); i++)
    g_string_append_printf (text, BREAKS_ENTRY, breaks[i]);
  for (guint i = 0; i < G_N_ELEMENTS (talks); i++)
    g_string_append_printf (text, BREAKS_ENTRY, talks[i]);
  program = parse_text (text->str, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (breaks); i++)
    find_entry (program, LPC_ENTRY_BREAK, breaks[i], NULL);
  for (guint i = 0; i < G_N_ELEMENTS (talks); i++)
    find_entry (program, LPC_ENTRY_TALK, talks[i], NULL);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_BREAK), ==, G_N_ELEMENTS (breaks));
}

static void
test_text_untitled_entry (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = parse_text (untitled_text, warnings);

  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, 1);
  assert_pacific (find_entry (program, LPC_ENTRY_TALK, "Titled", NULL)->start,
                  "Mon 2021-09-20 07:05");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "test.txt:8: "));

  /* Warnings are optional. */
  g_clear_pointer (&program, lpc_program_unref);
  program = parse_text (untitled_text, NULL);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, 1);
}

static void
test_text_people (void)
{
  g_autoptr (LpcProgram) program = parse_text (people_text, NULL);
  const LpcEntry *block = find_entry (program, LPC_ENTRY_SESSION, "Alpha MC", NULL);
  const LpcEntry *talk = find_entry (program, LPC_ENTRY_TALK, "Talk", NULL);
  const char *speakers[] = { "A (X)", "B (Y, Z (nested, too))", "C", NULL };
  const char *conveners[] = { "Solo Person (Org, Inc.)", NULL };

  g_assert_cmpstrv (talk->speakers, speakers);
  g_assert_cmpstrv (block->conveners, conveners);
  g_assert_cmpstr (block->abstract, ==, "");
  g_assert_cmpstr (talk->abstract, ==, "");
}

/* Found with the fuzz target's checks (tests/fuzz/regressions/lpc-text/): a
 * '|' in a block's or a talk's title made two talks one identity, and the
 * store refused the program as having the same entry twice. */
static void
test_text_identity_separator (void)
{
  /* clang-format off */
  static const char text[] =
    "Pipes\n"
    "\n"
    BLOCK_7_TO_11
    "      a|b Room1/Virtual-Room\n"
    ENTRY_AT ("7:00" NNBSP "AM")
    "        c 20m\n"
    "    " BUL " 8:00" NNBSP "AM 11:00" NNBSP "AM\n"
    "      a Room1/Virtual-Room\n"
    ENTRY_AT ("8:00" NNBSP "AM")
    "        b|c 20m\n"
    ENTRY_AT ("8:20" NNBSP "AM")
    "        back\\slash 5m\n";
  /* clang-format on */
  g_autoptr (LpcProgram) program = parse_text (text, NULL);

  g_assert_cmpstr (find_entry (program, LPC_ENTRY_TALK, "c", "a|b")->identity, ==,
                   "talk|a\\|b|c|1");
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_TALK, "b|c", "a")->identity, ==,
                   "talk|a|b\\|c|1");
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_TALK, "back\\slash", "a")->identity, ==,
                   "talk|a|back\\\\slash|1");
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_SESSION, "a|b", NULL)->identity, ==,
                   "session|a\\|b|a\\|b|1");
}

/* Each "Speaker:" line used to copy all the speakers before it: 80,000 of
 * them took 40 s. Now in order, and linear. */
static void
test_text_many_speaker_lines (void)
{
  g_autoptr (GString) text = g_string_new ("T\n\n" BLOCK_7_TO_11 "      A Room1/Virtual-Room\n");
  g_autoptr (LpcProgram) program = NULL;
  const LpcEntry *talk;
  const guint n = 200000;

  g_string_append (text, ENTRY_AT ("7:00" NNBSP "AM") "        Talk 20m\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "        Speaker: P%u\n", i);
  program = parse_text (text->str, NULL);
  talk = find_entry (program, LPC_ENTRY_TALK, "Talk", NULL);
  g_assert_cmpuint (strv_len (talk->speakers), ==, n);
  g_assert_cmpstr (talk->speakers[0], ==, "P0");
  g_assert_cmpstr (talk->speakers[n - 1], ==, "P199999");
}

/* Rooms with spaces are remembered for later block lines, up to 256 of them:
 * each block line is checked against each, which for 40,000 took 8 s. */
static void
test_text_many_rooms (void)
{
  g_autoptr (GString) text = g_string_new ("Rooms\n\n");
  g_autoptr (LpcProgram) program = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (text,
                            BLOCK_7_TO_11 "      T%03u Room %u/Virtual-Room\n"
                                          "      Room %u/Virtual-Room\n",
                            i, i, i);
  g_string_append (text, BLOCK_7_TO_11 "      Later Room 255/Virtual-Room\n" BLOCK_7_TO_11
                                       "      Later Room 256/Virtual-Room\n");
  program = parse_text (text->str, NULL);

  g_assert_cmpstr (find_entry (program, LPC_ENTRY_SESSION, "T299", NULL)->room, ==,
                   "Room 299/Virtual-Room");
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_SESSION, "Later", NULL)->room, ==,
                   "Room 255/Virtual-Room");
  /* the 257th is not remembered: its last word is the room */
  g_assert_cmpstr (find_entry (program, LPC_ENTRY_SESSION, "Later Room", NULL)->room, ==,
                   "256/Virtual-Room");
}

/* ---- bad input ---- */

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  gsize len = bad->len != 0 ? bad->len : strlen (bad->text);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  lpc_test_assert_parse_error (lpc_program_parse_lpc_text, bad->text, len, "bad.txt", warnings,
                               bad->where, bad->what);
}

/* ---- files that are no timetable ---- */

typedef struct
{
  char *dir;
} TmpDir;

static void
tmp_dir_setup (TmpDir *fixture, gconstpointer data)
{
  fixture->dir = lpc_test_make_tmp_dir ("lpc-text-XXXXXX");
}

static void
tmp_dir_teardown (TmpDir *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

/* Loading and hashing @path both fail, naming it, with @what in the message. */
static void
assert_refused (const char *path, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) hash_error = NULL;
  g_autoptr (LpcProgram) program = lpc_program_load_lpc_text_file (path, NULL, &error);
  g_autofree char *hash = lpc_program_hash_file (path, &hash_error);

  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, what));

  g_assert_null (hash);
  g_assert_error (hash_error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_cmpstr (hash_error->message, ==, error->message);
}

static void
test_file_fifo (TmpDir *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "program.txt", NULL);

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  /* Without a writer: an open that waited for one would hang here. */
  assert_refused (path, "not a regular file");
}

static void
test_file_device (TmpDir *fixture, gconstpointer data)
{
  assert_refused ("/dev/zero", "not a regular file");
  assert_refused (fixture->dir, "not a regular file");
}

static void
test_file_empty (TmpDir *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "empty.txt", NULL);
  g_autofree char *where = g_strdup_printf ("%s:1:", path);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  assert_refused (path, where);
  assert_refused (path, "empty");
}

static void
test_file_binary (TmpDir *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "binary.txt", NULL);
  g_autofree char *where = g_strdup_printf ("%s:2:", path);
  static const char bytes[] = "line one\n\x7f"
                              "ELF\0\0\0\x01\n";

  g_assert_true (g_file_set_contents (path, bytes, sizeof bytes - 1, NULL));
  assert_refused (path, where);
  assert_refused (path, "NUL");
}

static void
test_file_too_big (TmpDir *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "huge.txt", NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  /* Sparse: costs no disk, and must be refused without being read. */
  g_assert_cmpint (ftruncate (fd, LPC_PROGRAM_MAX_FILE_SIZE + 1), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
  assert_refused (path, "16 MiB");
}

static void
test_file_missing (TmpDir *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing.txt", NULL);

  assert_refused (path, g_strerror (ENOENT));
}

static void
test_file_limit_is_inclusive (TmpDir *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "at-limit.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;
  gsize len;
  char *padded;

  /* The shipped program padded with blank lines to exactly the limit loads. */
  g_assert_true (g_file_get_contents (timetable_path (), &text, &len, NULL));
  g_assert_cmpuint (len, <, LPC_PROGRAM_MAX_FILE_SIZE);
  padded = g_malloc (LPC_PROGRAM_MAX_FILE_SIZE);
  memcpy (padded, text, len);
  memset (padded + len, '\n', LPC_PROGRAM_MAX_FILE_SIZE - len);
  g_assert_true (g_file_set_contents (path, padded, LPC_PROGRAM_MAX_FILE_SIZE, NULL));
  g_free (padded);

  program = lpc_program_load_lpc_text_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_SESSION), ==, 38);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lpc-text/shipped/counts", test_shipped_counts);
  g_test_add_func ("/lpc-text/shipped/program-order", test_shipped_program_order);
  g_test_add_func ("/lpc-text/shipped/days", test_shipped_days);
  g_test_add_func ("/lpc-text/shipped/times", test_shipped_times);
  g_test_add_func ("/lpc-text/shipped/timezone", test_shipped_timezone);
  g_test_add_func ("/lpc-text/shipped/durations", test_shipped_durations);
  g_test_add_func ("/lpc-text/shipped/own-rooms", test_shipped_own_rooms);
  g_test_add_func ("/lpc-text/shipped/block-rooms", test_shipped_block_rooms);
  g_test_add_func ("/lpc-text/shipped/bullet-abstracts", test_shipped_bullet_abstracts);
  g_test_add_func ("/lpc-text/shipped/people", test_shipped_people);
  g_test_add_func ("/lpc-text/shipped/breaks", test_shipped_breaks);
  g_test_add_func ("/lpc-text/shipped/entries", test_shipped_entries);
  g_test_add_func ("/lpc-text/shipped/occurrence-groups", test_shipped_occurrence_groups);
  g_test_add_func ("/lpc-text/shipped/ids", test_shipped_ids);
  g_test_add_func ("/lpc-text/shipped/ids-survive-moves", test_shipped_ids_survive_moves);
  g_test_add_func ("/lpc-text/shipped/hash", test_shipped_hash);
  g_test_add_func ("/lpc-text/content-hash", test_content_hash_sensitivity);

  g_test_add_func ("/lpc-text/text/clock", test_text_clock);
  g_test_add_func ("/lpc-text/text/days", test_text_days);
  g_test_add_func ("/lpc-text/text/durations-and-rooms", test_text_durations_and_rooms);
  g_test_add_func ("/lpc-text/text/breaks", test_text_breaks);
  g_test_add_func ("/lpc-text/text/untitled-entry", test_text_untitled_entry);
  g_test_add_func ("/lpc-text/text/people", test_text_people);
  g_test_add_func ("/lpc-text/text/identity-separator", test_text_identity_separator);
  g_test_add_func ("/lpc-text/text/many-speaker-lines", test_text_many_speaker_lines);
  g_test_add_func ("/lpc-text/text/many-rooms", test_text_many_rooms);

  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *name = g_strdup_printf ("/lpc-text/bad/%s", bad_inputs[i].name);
      g_test_add_data_func (name, &bad_inputs[i], test_bad_input);
    }

  g_test_add ("/lpc-text/file/fifo", TmpDir, NULL, tmp_dir_setup, test_file_fifo, tmp_dir_teardown);
  g_test_add ("/lpc-text/file/device", TmpDir, NULL, tmp_dir_setup, test_file_device,
              tmp_dir_teardown);
  g_test_add ("/lpc-text/file/empty", TmpDir, NULL, tmp_dir_setup, test_file_empty,
              tmp_dir_teardown);
  g_test_add ("/lpc-text/file/binary", TmpDir, NULL, tmp_dir_setup, test_file_binary,
              tmp_dir_teardown);
  g_test_add ("/lpc-text/file/too-big", TmpDir, NULL, tmp_dir_setup, test_file_too_big,
              tmp_dir_teardown);
  g_test_add ("/lpc-text/file/missing", TmpDir, NULL, tmp_dir_setup, test_file_missing,
              tmp_dir_teardown);
  g_test_add ("/lpc-text/file/limit-is-inclusive", TmpDir, NULL, tmp_dir_setup,
              test_file_limit_is_inclusive, tmp_dir_teardown);

  return g_test_run ();
}
