/* Unit tests of the frab/pentabarf schedule XML importer: the fixture
 * tests/data/frab-schedule.xml (two days in Europe/Brussels, while the tests
 * run in America/New_York, so a parser that used the machine's zone would be
 * six hours off), then one small document per kind of bad input, each with
 * the line its message must name. */
#include "lpc-error.h"
#include "program-file.h"
#include "program-frab-xml.h"
#include "test-util.h"

#include <string.h>

/* ---- helpers ---- */

static const char *
fixture_path (void)
{
  return g_test_get_filename (G_TEST_DIST, "data", "frab-schedule.xml", NULL);
}

static LpcProgram *
load_fixture (GPtrArray *warnings)
{
  return lpc_test_load_ok (lpc_program_load_frab_xml_file, fixture_path (), warnings);
}

static LpcProgram *
parse_ok (const char *xml, GPtrArray *warnings)
{
  return lpc_test_parse_ok (lpc_program_parse_frab_xml, xml, "ok.xml", warnings);
}

static const LpcEntry *
find_title (LpcProgram *program, LpcEntryKind kind, const char *title, guint nth)
{
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      if (entry->kind == kind && g_strcmp0 (entry->title, title) == 0 && nth-- == 0)
        return entry;
    }
  g_test_message ("no %s titled '%s'", lpc_entry_kind_to_string (kind), title);
  g_assert_not_reached ();
  return NULL;
}

/* ---- the fixture ---- */

static void
test_fixture_program (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = load_fixture (warnings);

  g_assert_cmpstr (program->name, ==, "PlumbCon 2024");
  g_assert_cmpstr (program->timezone, ==, "Europe/Brussels");
  g_assert_cmpuint (strlen (program->source_hash), ==, 32);
  /* 9 events; blocks: Janson and H.1302 on Saturday, Janson and K.1.105 on
   * Sunday. */
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, 8);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_BREAK), ==, 1);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_SESSION), ==, 4);
  g_assert_cmpuint (warnings->len, ==, 0);
}

static void
test_fixture_times_rooms_speakers (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *welcome = find_title (program, LPC_ENTRY_TALK, "Welcome to PlumbCon", 0);
  const LpcEntry *qa = find_title (program, LPC_ENTRY_TALK, "Rust Q&A", 0);
  const LpcEntry *lunch = find_title (program, LPC_ENTRY_BREAK, "Lunch", 0);
  const LpcEntry *hackathon = find_title (program, LPC_ENTRY_TALK, "Hackathon", 0);
  const LpcEntry *zurich = find_title (program, LPC_ENTRY_TALK, "Zürich Plumbing Ünconference", 0);

  /* 10:00 in Brussels (UTC+1 in February) */
  lpc_test_assert_utc (welcome->start, "2024-02-03T09:00:00Z");
  lpc_test_assert_utc (welcome->end, "2024-02-03T09:50:00Z");
  g_assert_cmpint (lpc_entry_duration_minutes (welcome), ==, 50);
  g_assert_cmpstr (welcome->room, ==, "Janson");
  g_assert_cmpstr (welcome->track, ==, "Keynotes");
  lpc_test_assert_speakers (welcome, "Ada Lovelace|Grace Hopper");
  g_assert_cmpuint (welcome->source_line, ==, 20);

  lpc_test_assert_utc (qa->start, "2024-02-03T09:30:00Z");
  g_assert_cmpint (lpc_entry_duration_minutes (qa), ==, 30);
  g_assert_cmpstr (qa->room, ==, "H.1302 (Depage)");
  lpc_test_assert_speakers (qa, "Miguel Example|Wedson Example");

  /* <type>break</type> */
  lpc_test_assert_utc (lunch->start, "2024-02-03T11:00:00Z");
  g_assert_cmpstr (lunch->track, ==, "Rust");
  g_assert_false (lpc_entry_is_attendable (lunch));

  /* D:HH:MM: a day, two hours and a half */
  lpc_test_assert_utc (hackathon->start, "2024-02-04T08:30:00Z");
  lpc_test_assert_utc (hackathon->end, "2024-02-05T11:00:00Z");
  g_assert_cmpint (lpc_entry_duration_minutes (hackathon), ==, 26 * 60 + 30);

  g_assert_cmpstr (zurich->id, ==, "zurich-plumbing-unconference");
  lpc_test_assert_speakers (zurich, "Zoë Ärger");
  lpc_test_assert_utc (zurich->start, "2024-02-04T13:00:00Z");
}

static void
test_fixture_midnight (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *late = find_title (program, LPC_ENTRY_TALK, "Late Night Kernel Hacking", 0);
  const LpcEntry *after = find_title (program, LPC_ENTRY_TALK, "After Midnight Lightning Talks", 0);
  const LpcEntry *block = lpc_program_lookup (program, late->parent_id);

  /* 23:30 to 00:30 in Brussels: it ends on the next day. */
  lpc_test_assert_utc (late->start, "2024-02-03T22:30:00Z");
  lpc_test_assert_utc (late->end, "2024-02-03T23:30:00Z");
  /* <start>01:00</start> and no <date>, in a day that starts at 09:00: the
   * next morning, 01:00 in Brussels. */
  lpc_test_assert_utc (after->start, "2024-02-04T00:00:00Z");
  lpc_test_assert_utc (after->end, "2024-02-04T00:30:00Z");
  /* Both in Saturday's Janson block, which runs until the last one ends. */
  g_assert_nonnull (block);
  g_assert_cmpstr (after->parent_id, ==, late->parent_id);
  lpc_test_assert_utc (block->start, "2024-02-03T09:00:00Z");
  lpc_test_assert_utc (block->end, "2024-02-04T00:30:00Z");
}

static void
test_fixture_blocks (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *sat_janson = find_title (program, LPC_ENTRY_SESSION, "Janson", 0);
  const LpcEntry *rust = find_title (program, LPC_ENTRY_SESSION, "Rust", 0);
  const LpcEntry *sun_janson = find_title (program, LPC_ENTRY_SESSION, "Kernel", 0);
  const LpcEntry *fontaine = find_title (program, LPC_ENTRY_SESSION, "K.1.105 (La Fontaine)", 0);
  const LpcEntry *hackathon = find_title (program, LPC_ENTRY_TALK, "Hackathon", 0);
  const LpcEntry *previous_block = NULL;

  /* Mixed tracks: named after the room; one track: after the track. */
  g_assert_cmpstr (sat_janson->room, ==, "Janson");
  g_assert_cmpstr (rust->room, ==, "H.1302 (Depage)");
  g_assert_cmpstr (sun_janson->room, ==, "Janson");
  g_assert_cmpstr (fontaine->room, ==, "K.1.105 (La Fontaine)");
  lpc_test_assert_utc (rust->start, "2024-02-03T09:00:00Z");
  lpc_test_assert_utc (rust->end, "2024-02-03T12:00:00Z");
  g_assert_cmpstr (hackathon->parent_id, ==, sun_janson->id);
  g_assert_cmpstr (sat_janson->identity, ==, "frab|block|2024-02-03|Janson");
  g_assert_cmpstr (sun_janson->identity, ==, "frab|block|2024-02-04|Janson");
  g_assert_cmpuint (sat_janson->source_line, ==, 19);

  /* Program order: each block, then its entries, in time order, each inside
   * its block and in its room. */
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);

      if (entry->kind == LPC_ENTRY_SESSION)
        {
          g_assert_null (entry->parent_id);
          previous_block = entry;
          continue;
        }
      g_assert_nonnull (previous_block);
      g_assert_cmpstr (entry->parent_id, ==, previous_block->id);
      g_assert_cmpstr (entry->room, ==, previous_block->room);
      g_assert_cmpint (entry->start, >=, previous_block->start);
      g_assert_cmpint (entry->end, <=, previous_block->end);
    }
}

static void
test_fixture_abstracts (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *welcome = find_title (program, LPC_ENTRY_TALK, "Welcome to PlumbCon", 0);
  const LpcEntry *late = find_title (program, LPC_ENTRY_TALK, "Late Night Kernel Hacking", 0);
  const LpcEntry *after = find_title (program, LPC_ENTRY_TALK, "After Midnight Lightning Talks", 0);
  const LpcEntry *rust = find_title (program, LPC_ENTRY_TALK, "Rust in the Kernel", 0);
  const LpcEntry *qa = find_title (program, LPC_ENTRY_TALK, "Rust Q&A", 0);

  /* HTML: tags gone, entities decoded, paragraphs, a line break, a list. */
  g_assert_cmpstr (welcome->abstract, ==,
                   "Opening words & housekeeping.\n\n"
                   "Second paragraph,\nwith a line break.\n\n"
                   "- coffee\n- Wi-Fi");
  /* Markdown kept as written; the subtitle first; a description equal to
   * the abstract only once. */
  g_assert_cmpstr (late->abstract, ==,
                   "Bring a laptop\n\n"
                   "Hands-on **hacking** until after midnight.\n\n"
                   "See [the wiki](https://example.org/wiki) for setup.");
  /* "<" in plain text is no tag. */
  g_assert_cmpstr (after->abstract, ==, "Five-minute talks. a < b and c > d is not markup.");
  /* A description that begins with the abstract replaces it. */
  g_assert_cmpstr (rust->abstract, ==,
                   "Why and how.\n\nA longer description in a second paragraph.");
  g_assert_cmpstr (qa->abstract, ==, "");
}

static void
test_fixture_ids (void)
{
  g_autoptr (LpcProgram) first = load_fixture (NULL);
  g_autoptr (LpcProgram) second = load_fixture (NULL);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) identities = g_hash_table_new (g_str_hash, g_str_equal);
  const LpcEntry *rust_sat = find_title (first, LPC_ENTRY_TALK, "Rust in the Kernel", 0);
  const LpcEntry *rust_sun = find_title (first, LPC_ENTRY_TALK, "Rust in the Kernel", 1);

  g_assert_cmpuint (first->entries->len, ==, second->entries->len);
  for (guint i = 0; i < first->entries->len; i++)
    {
      const LpcEntry *a = g_ptr_array_index (first->entries, i);
      const LpcEntry *b = g_ptr_array_index (second->entries, i);

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpstr (a->identity, ==, b->identity);
      g_assert_true (g_hash_table_add (ids, a->id));
      g_assert_true (g_hash_table_add (identities, a->identity));
      g_assert_true (lpc_program_lookup (first, a->id) == a);
    }

  g_assert_cmpstr (find_title (first, LPC_ENTRY_TALK, "Welcome to PlumbCon", 0)->id, ==,
                   "welcome-to-plumbcon");
  g_assert_cmpstr (find_title (first, LPC_ENTRY_TALK, "Welcome to PlumbCon", 0)->identity, ==,
                   "frab|guid|0b4c1e36-7d5f-5c8e-9a1b-2f3c4d5e6f01");
  /* Same title twice: the day tells them apart. Without a guid, the id. */
  g_assert_cmpstr (rust_sat->id, ==, "rust-in-the-kernel-sat");
  g_assert_cmpstr (rust_sun->id, ==, "rust-in-the-kernel-sun");
  g_assert_cmpstr (rust_sun->identity, ==, "frab|id|108");
  /* The same talk (same speaker) in another block: two occurrences. */
  g_assert_cmpstr (rust_sat->occurrence_group, ==, rust_sat->id);
  g_assert_cmpstr (rust_sun->occurrence_group, ==, rust_sat->id);
}

/* ---- small documents ---- */

/* Four lines before the first event, which is on line 5. */
#define HEAD                                                                                       \
  "<schedule>\n"                                                                                   \
  "<conference><title>T</title><time_zone_name>Europe/Brussels</time_zone_name></conference>\n"   \
  "<day index='1' date='2024-02-03' start='2024-02-03T09:00:00+01:00'>\n"                          \
  "<room name='R'>\n"
#define TAIL "</room>\n</day>\n</schedule>\n"
#define EVENT(guid, title, date, duration)                                                         \
  "<event guid='" guid "' id='1'><date>" date "</date><duration>" duration                         \
  "</duration><title>" title "</title></event>\n"

static void
test_moved_event_keeps_identity (void)
{
  const char *before = HEAD EVENT ("g1", "Talk", "2024-02-03T10:00:00+01:00", "00:30") TAIL;
  const char *after = HEAD EVENT ("g1", "Talk", "2024-02-03T15:00:00+01:00", "00:45") TAIL;
  g_autoptr (LpcProgram) a = parse_ok (before, NULL);
  g_autoptr (LpcProgram) b = parse_ok (after, NULL);
  const LpcEntry *ta = find_title (a, LPC_ENTRY_TALK, "Talk", 0);
  const LpcEntry *tb = find_title (b, LPC_ENTRY_TALK, "Talk", 0);

  g_assert_cmpint (ta->start, !=, tb->start);
  g_assert_cmpstr (ta->identity, ==, tb->identity);
  g_assert_cmpstr (ta->id, ==, tb->id);
  /* The room is the <room name> when the event has no <room>. */
  g_assert_cmpstr (ta->room, ==, "R");
  g_assert_cmpstr (ta->track, ==, "R");
}

static void
test_without_guid_or_id (void)
{
  const char *xml = HEAD
      "<event><date>2024-02-03T10:00:00+01:00</date><duration>00:30</duration>"
      "<title>Lunch</title></event>\n"
      "<event><date>2024-02-03T10:00:00+01:00</date><duration>00:30</duration>"
      "<title>Lunch</title><room>Other</room></event>\n" TAIL;
  g_autoptr (LpcProgram) program = parse_ok (xml, NULL);
  const LpcEntry *a = find_title (program, LPC_ENTRY_TALK, "Lunch", 0);
  const LpcEntry *b = find_title (program, LPC_ENTRY_TALK, "Lunch", 1);

  g_assert_cmpstr (a->identity, ==, "frab|title|Lunch|1706950800");
  g_assert_cmpstr (b->identity, ==, "frab|title|Lunch|1706950800|2");
  g_assert_cmpstr (a->id, !=, b->id);
}

static void
test_zone_from_offset (void)
{
  const char *xml = "<schedule><conference><title>T</title></conference>\n"
                    "<day date='2024-02-03'><room name='R'>\n"
                    "<event id='1'><date>2024-02-03T10:00:00+05:30</date>"
                    "<duration>0:30</duration><title>A</title></event>\n"
                    "<event id='2'><start>11:00</start><duration>00:30</duration>"
                    "<title>B</title></event>\n" TAIL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = parse_ok (xml, warnings);

  g_assert_cmpstr (program->timezone, ==, "+05:30");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "ok.xml:3: no <time_zone_name>: local times are shown at UTC+05:30, the "
                   "offset of the first <date>; to give the conference's zone: lpc-agenda "
                   "import --timezone ZONE ok.xml");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "A", 0)->start, "2024-02-03T04:30:00Z");
  /* B has no <date>: the day's date at 11:00 in the guessed zone. */
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "B", 0)->start, "2024-02-03T05:30:00Z");
}

/* ---- the zone of a schedule that names none ---- */

#define ZONELESS(conference)                                                                       \
  "<schedule><conference><title>T</title>" conference "</conference>\n"                           \
  "<day date='2024-02-03'><room name='R'>\n"                                                       \
  "<event id='1'><start>10:00</start><duration>00:30</duration><title>Local</title></event>\n"    \
  "<event id='2'><date>2024-02-03T11:00:00+01:00</date><duration>00:30</duration>"                \
  "<title>Offset</title></event>\n" TAIL

static LpcProgram *
parse_with_zone (const char *xml, const char *zone, GPtrArray *warnings, GError **error)
{
  LpcProgramParseOptions options = { .timezone = zone };

  return lpc_program_parse_frab_xml (xml, strlen (xml), "zone.xml", &options, warnings, error);
}

static void
test_zone_from_city (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = parse_with_zone (ZONELESS ("\n<city>  dublin </city>"), NULL,
                                                    warnings, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (program->timezone, ==, "Europe/Dublin");
  /* 10:00 in Dublin in February is 10:00 UTC. */
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Local", 0)->start,
                       "2024-02-03T10:00:00Z");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Offset", 0)->start,
                       "2024-02-03T10:00:00Z");
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "zone.xml:2: no <time_zone_name>: the time zone Europe/Dublin was taken from "
                   "the city 'dublin'; if that is wrong: lpc-agenda import --timezone ZONE "
                   "zone.xml");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "zone.xml:5: 1 event is written with a UTC offset that is not "
                   "Europe/Dublin's at that time, the first 'Offset' at "
                   "2024-02-03T11:00:00+01:00: the written time is kept as given");
}

static void
test_zone_assumed_without_city (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *xml = "<schedule><conference><title>T</title><city>Nowhere Town</city>"
                    "</conference>\n<day date='2024-02-03'><room name='R'>\n"
                    "<event id='1'><start>10:00</start><duration>00:30</duration>"
                    "<title>Local</title></event>\n" TAIL;
  g_autoptr (LpcProgram) program = parse_with_zone (xml, NULL, warnings, &error);

  g_assert_no_error (error);
  /* No offset anywhere and no city it knows: UTC, and how to say better. */
  g_assert_cmpstr (program->timezone, ==, "UTC");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "zone.xml:1: no <time_zone_name> and no UTC offset anywhere: times are "
                   "taken as UTC; to give the conference's zone: lpc-agenda import --timezone "
                   "ZONE zone.xml");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Local", 0)->start,
                       "2024-02-03T10:00:00Z");
}

static void
test_zone_from_option (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = parse_with_zone (ZONELESS ("<city>Dublin</city>"),
                                                    "Europe/Brussels", warnings, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (program->timezone, ==, "Europe/Brussels");
  g_assert_cmpuint (warnings->len, ==, 0);
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Local", 0)->start,
                       "2024-02-03T09:00:00Z");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Offset", 0)->start,
                       "2024-02-03T10:00:00Z");
}

static void
test_zone_option_conflicts (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;
  const char *xml = HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") TAIL;

  program = parse_with_zone (xml, "America/New_York", NULL, &error);
  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "zone.xml: the file's time zone is Europe/Brussels, but America/New_York was "
                   "given for it: leave out --timezone, or give Europe/Brussels");
  g_clear_error (&error);

  program = parse_with_zone (xml, "Europe/Brussels", NULL, &error);
  g_assert_no_error (error);
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "A", 0)->start,
                       "2024-02-03T09:00:00Z");
}

/* pretalx writes some <date>s at another offset than its zone's: the
 * instant is kept, and one warning counts them. */
static void
test_offset_mismatch_counted (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  const char *xml = HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30")
      EVENT ("g2", "B", "2024-02-03T10:00:00Z", "00:30")
      EVENT ("g3", "C", "2024-02-03T12:00:00+02:00", "00:30")
      EVENT ("g4", "D", "2024-02-03T12:00:00", "00:30") TAIL;
  g_autoptr (LpcProgram) program = parse_ok (xml, warnings);

  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "ok.xml:6: 2 events are written with a UTC offset that is not "
                   "Europe/Brussels's at that time, the first 'B' at 2024-02-03T10:00:00Z: the "
                   "written times are kept as given");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "B", 0)->start,
                       "2024-02-03T10:00:00Z");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "C", 0)->start,
                       "2024-02-03T10:00:00Z");
  /* No offset: the program's zone, and nothing to disagree with. */
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "D", 0)->start,
                       "2024-02-03T11:00:00Z");
}

static void
expect_error (const char *xml, gsize len, const char *prefix, const char *fragment)
{
  lpc_test_assert_parse_error (lpc_program_parse_frab_xml, xml, len, "bad.xml", NULL, prefix,
                               fragment);
}

#define EXPECT_ERROR(xml, prefix, fragment) expect_error (xml, strlen (xml), prefix, fragment)

static void
test_bad_inputs (void)
{
  g_autofree char *long_title = g_strnfill (LPC_PROGRAM_MAX_SHORT_FIELD + 1, 'x');
  g_autofree char *oversized = g_strconcat (HEAD "<event id='1'>\n<title>", long_title,
                                            "</title></event>\n" TAIL, NULL);

  EXPECT_ERROR ("", "bad.xml:1: ", "empty");
  expect_error ("<schedule>\0</schedule>", 21, "bad.xml:1: ", "NUL byte");
  EXPECT_ERROR ("hello, world\n", "bad.xml:1: ", "not XML");
  EXPECT_ERROR ("<?xml version='1.0'?>\n<rss version='2.0'></rss>\n", "bad.xml:2: ",
                "the root element is <rss>, not <schedule>");
  EXPECT_ERROR (HEAD "<event id='1'>\n<title>A</titel>\n", "bad.xml:6: ", "malformed XML");
  EXPECT_ERROR (HEAD "<event id='1'><title>A</title>" TAIL, "bad.xml:", "malformed XML");
  EXPECT_ERROR ("<schedule><conference><title>T</title></conference></schedule>",
                "bad.xml:1: ", "no <event>");
  /* missing or garbled fields, at the line of the field or the event */
  EXPECT_ERROR (HEAD "\n<event guid='g1'>\n<date>2024-02-03T10:00:00+01:00</date>"
                     "<duration>00:30</duration></event>\n" TAIL,
                "bad.xml:6: ", "an event without <title>");
  EXPECT_ERROR (HEAD "<event guid='g1'>\n<title>A</title>\n<date>2024-02-30T10:00:00+01:00</date>"
                     "<duration>00:30</duration></event>\n" TAIL,
                "bad.xml:7: ", "bad <date> '2024-02-30T10:00:00+01:00' of 'A'");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "1h") TAIL, "bad.xml:5: ",
                "bad <duration> '1h' of 'A' (expected HH:MM or D:HH:MM)");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:75") TAIL, "bad.xml:5: ",
                "bad <duration> '00:75'");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "8:00:00") TAIL,
                "bad.xml:5: ", "'A' lasts 8:00:00, longer than a week");
  EXPECT_ERROR (HEAD "<event guid='g1'><title>A</title>\n<start>10:00</start></event>\n" TAIL,
                "bad.xml:5: ", "'A' has no <duration>");
  EXPECT_ERROR (HEAD "<event guid='g1'><title>A</title>\n<start>25:00</start>"
                     "<duration>00:30</duration></event>\n" TAIL,
                "bad.xml:6: ", "bad <start> '25:00' of 'A'");
  EXPECT_ERROR (HEAD "<event guid='g1'><title>A</title><duration>00:30</duration></event>\n" TAIL,
                "bad.xml:5: ", "'A' has neither <date> nor <start>");
  EXPECT_ERROR ("<schedule>\n<day><room name='R'>\n<event guid='g1'><title>A</title>"
                "<start>10:00</start><duration>00:30</duration></event>\n" TAIL,
                "bad.xml:3: ", "no <date>, and its <day> (line 2) no date");
  EXPECT_ERROR ("<schedule>\n<day date='2024-02-03'><room>\n"
                "<event guid='g1'><title>A</title><date>2024-02-03T10:00:00Z</date>"
                "<duration>00:30</duration></event>\n" TAIL,
                "bad.xml:3: ", "'A' has no room");
  /* the time zone and the days */
  EXPECT_ERROR ("<schedule>\n<conference>\n<time_zone_name>Europe/Brussel</time_zone_name>\n"
                "</conference>\n<day date='2024-02-03'><room name='R'>\n"
                EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") TAIL,
                "bad.xml:3: ", "unknown time zone 'Europe/Brussel'");
  EXPECT_ERROR ("<schedule>\n<conference>\n<time_zone_name>/etc/passwd</time_zone_name>\n"
                "</conference>\n<day date='2024-02-03'><room name='R'>\n"
                EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") TAIL,
                "bad.xml:3: ", "unknown time zone '/etc/passwd'");
  EXPECT_ERROR ("<schedule>\n<day date='2024-02-03' start='2024-02-03T18:00:00+01:00'\n"
                "  end='2024-02-03T09:00:00+01:00'>\n<room name='R'>\n"
                EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") TAIL,
                "bad.xml:3: ", "the day ends (2024-02-03T09:00:00+01:00) before it starts");
  EXPECT_ERROR ("<schedule>\n<day date='3 Feb 2024'><room name='R'>\n"
                EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") TAIL,
                "bad.xml:2: ", "bad <day date='3 Feb 2024'>");
  /* structure */
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30")
                    EVENT ("g1", "B", "2024-02-03T11:00:00+01:00", "00:30") TAIL,
                "bad.xml:6: ", "event guid 'g1' is used again (first on line 5)");
  EXPECT_ERROR ("<schedule>\n<day date='2024-02-03'>\n"
                EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") "</day></schedule>",
                "bad.xml:3: ", "<event> belongs in a <room>");
  EXPECT_ERROR (HEAD "<event guid='g1'>\n<title>A</title>\n<title>B</title></event>\n" TAIL,
                "bad.xml:7: ", "<title> given twice (first on line 6)");
  EXPECT_ERROR (oversized, "bad.xml:6: ", "<title> is longer than 4096 bytes");
}

static void
test_too_many_events (void)
{
  GString *xml = g_string_new (HEAD);

  for (guint i = 0; i <= LPC_PROGRAM_MAX_ENTRIES; i++)
    g_string_append (xml, "<event/>\n");
  g_string_append (xml, TAIL);
  expect_error (xml->str, xml->len, "bad.xml:100005: ", "more than 100000 events");
  g_string_free (xml, TRUE);
}

/* GMarkup names a bad character by its first byte alone; the message must
 * still be UTF-8, or D-Bus refuses to send the error (found by fuzzing). */
static void
test_markup_error_is_utf8 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;
  const char *xml = "<sched\xef\xbb\xbf<schedule>\n</schedule>\n";

  program = lpc_program_parse_frab_xml (xml, strlen (xml), "bad.xml", NULL, NULL, &error);
  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "bad.xml:") && strstr (error->message, ": not XML: ") != NULL);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* 20,000 events of one title and start, without guid or id: each used to
 * count "|2", "|3"… from the start to find its identity, minutes in all;
 * now a second or so. */
static void
test_many_alike_events (void)
{
  const guint n = 20000;
  GString *xml = g_string_new (HEAD);
  g_autoptr (LpcProgram) program = NULL;
  const LpcEntry *last;

  for (guint i = 0; i < n; i++)
    g_string_append (xml, "<event><date>2024-02-03T10:00:00+01:00</date>"
                          "<duration>00:30</duration><title>Break</title></event>\n");
  g_string_append (xml, TAIL);
  program = parse_ok (xml->str, NULL);
  g_string_free (xml, TRUE);

  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, n);
  last = g_ptr_array_index (program->entries, program->entries->len - 1);
  g_assert_cmpstr (last->identity, ==, "frab|title|Break|1706950800|20000");
}

static void
test_special_files_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = lpc_program_load_frab_xml_file ("/dev/zero", NULL, &error);

  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "/dev/zero: not a regular file (a FIFO, device or directory cannot be a "
                   "program)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/program-frab-xml/fixture/program", test_fixture_program);
  g_test_add_func ("/program-frab-xml/fixture/times-rooms-speakers",
                   test_fixture_times_rooms_speakers);
  g_test_add_func ("/program-frab-xml/fixture/midnight", test_fixture_midnight);
  g_test_add_func ("/program-frab-xml/fixture/blocks", test_fixture_blocks);
  g_test_add_func ("/program-frab-xml/fixture/abstracts", test_fixture_abstracts);
  g_test_add_func ("/program-frab-xml/fixture/ids", test_fixture_ids);
  g_test_add_func ("/program-frab-xml/moved-event-keeps-identity", test_moved_event_keeps_identity);
  g_test_add_func ("/program-frab-xml/without-guid-or-id", test_without_guid_or_id);
  g_test_add_func ("/program-frab-xml/zone-from-offset", test_zone_from_offset);
  g_test_add_func ("/program-frab-xml/zone/from-city", test_zone_from_city);
  g_test_add_func ("/program-frab-xml/zone/assumed-without-city", test_zone_assumed_without_city);
  g_test_add_func ("/program-frab-xml/zone/from-option", test_zone_from_option);
  g_test_add_func ("/program-frab-xml/zone/option-conflicts", test_zone_option_conflicts);
  g_test_add_func ("/program-frab-xml/zone/offset-mismatch-counted", test_offset_mismatch_counted);
  g_test_add_func ("/program-frab-xml/bad-inputs", test_bad_inputs);
  g_test_add_func ("/program-frab-xml/too-many-events", test_too_many_events);
  g_test_add_func ("/program-frab-xml/markup-error-is-utf8", test_markup_error_is_utf8);
  g_test_add_func ("/program-frab-xml/many-alike-events", test_many_alike_events);
  g_test_add_func ("/program-frab-xml/special-files-refused", test_special_files_refused);
  return g_test_run ();
}
