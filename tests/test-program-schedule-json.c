/* Unit tests of the frab/pretalx schedule.json importer: the fixture
 * tests/data/schedule.json (two days in Europe/Brussels, while the tests run
 * in America/New_York, so a parser that used the machine's zone would be six
 * hours off), a JSON and an XML schedule that must give the same program,
 * bad inputs with the place their message must name, and where the zone of
 * a schedule comes from. */
#include "lpc-error.h"
#include "program-file.h"
#include "program-frab-xml.h"
#include "program-schedule-json.h"
#include "test-util.h"

#include <string.h>

/* ---- helpers ---- */

static const char *
fixture_path (void)
{
  return g_test_get_filename (G_TEST_DIST, "data", "schedule.json", NULL);
}

static LpcProgram *
load_fixture (GPtrArray *warnings)
{
  return lpc_test_load_ok (lpc_program_load_schedule_json_file, fixture_path (), warnings);
}

static LpcProgram *
parse_ok (const char *json, GPtrArray *warnings)
{
  return lpc_test_parse_ok (lpc_program_parse_schedule_json, json, "ok.json", warnings);
}

static LpcProgram *
parse_with_zone (LpcProgramParseFunc parse, const char *text, const char *zone,
                 GPtrArray *warnings, GError **error)
{
  LpcProgramParseOptions options = { .timezone = zone };

  // cppcheck-suppress returnDanglingLifetime ; the program copies the zone name, not @options
  return parse (text, strlen (text), "zone.file", &options, warnings, error);
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

/* The 1-based line of the first occurrence of @needle in the fixture. */
static guint
fixture_line_of (const char *needle)
{
  g_autofree char *contents = NULL;
  const char *at;

  g_assert_true (g_file_get_contents (fixture_path (), &contents, NULL, NULL));
  at = strstr (contents, needle);
  g_assert_nonnull (at);
  return lpc_program_line_of_offset (contents, (gsize) (at - contents));
}

/* ---- the fixture ---- */

static void
test_fixture_program (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = load_fixture (warnings);
  g_autofree char *expected = NULL;

  g_assert_cmpstr (program->name, ==, "PlumbCon 2025");
  g_assert_cmpstr (program->timezone, ==, "Europe/Brussels");
  g_assert_cmpuint (strlen (program->source_hash), ==, 32);
  /* 7 events; blocks: Janson and H.1302 on Saturday, Janson and K.1.105 on
   * Sunday. */
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, 6);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_BREAK), ==, 1);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_SESSION), ==, 4);

  /* The Lisbon talk is written at +00:00, which is not Brussels' offset:
   * one warning, at the event, naming it. */
  g_assert_cmpuint (warnings->len, ==, 1);
  expected = g_strdup_printf ("%s:%u: schedule.conference.days[1].rooms[\"Janson\"][0] (guid "
                              "5d2b7c4a-1111-5e6f-8a9b-0c1d2e3f4a05): 1 event is written with a "
                              "UTC offset that is not Europe/Brussels's at that time, the first "
                              "'Remote Talk from Lisbon' at 2025-02-02T10:00:00+00:00",
                              fixture_path (),
                              fixture_line_of ("5d2b7c4a-1111-5e6f-8a9b-0c1d2e3f4a05") - 1);
  g_test_message ("%s", (char *) g_ptr_array_index (warnings, 0));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), expected));
}

static void
test_fixture_times_rooms_speakers (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *keynote = find_title (program, LPC_ENTRY_TALK, "Opening Keynote", 0);
  const LpcEntry *rust = find_title (program, LPC_ENTRY_TALK, "Rust in Userspace", 0);
  const LpcEntry *lunch = find_title (program, LPC_ENTRY_BREAK, "Lunch", 0);
  const LpcEntry *lisbon = find_title (program, LPC_ENTRY_TALK, "Remote Talk from Lisbon", 0);
  const LpcEntry *hackathon = find_title (program, LPC_ENTRY_TALK, "Hackathon", 0);
  const LpcEntry *closing = find_title (program, LPC_ENTRY_TALK, "Closing", 0);

  /* 10:00 in Brussels (UTC+1 in February) */
  lpc_test_assert_utc (keynote->start, "2025-02-01T09:00:00Z");
  lpc_test_assert_utc (keynote->end, "2025-02-01T09:45:00Z");
  g_assert_cmpstr (keynote->room, ==, "Janson");
  g_assert_cmpstr (keynote->track, ==, "Keynotes");
  /* "public_name" before "name" */
  lpc_test_assert_speakers (keynote, "Ada Lovelace|Grace Hopper");

  lpc_test_assert_utc (rust->start, "2025-02-01T10:00:00Z");
  g_assert_cmpstr (rust->room, ==, "H.1302 (Depage)");
  lpc_test_assert_speakers (rust, "Miguel Example|Wedson Example");

  /* "type": "break" */
  lpc_test_assert_utc (lunch->start, "2025-02-01T11:00:00Z");
  lpc_test_assert_utc (lunch->end, "2025-02-01T12:00:00Z");
  g_assert_false (lpc_entry_is_attendable (lunch));

  /* Its ISO date says 10:00 at +00:00; its "start" says 11:00, which is the
   * same instant in Brussels: the instant is kept. */
  lpc_test_assert_utc (lisbon->start, "2025-02-02T10:00:00Z");
  lpc_test_assert_utc (lisbon->end, "2025-02-02T10:30:00Z");
  lpc_test_assert_speakers (lisbon, "João Exemplo");

  /* D:HH:MM: a day, two hours and a half; a person given as a string */
  lpc_test_assert_utc (hackathon->start, "2025-02-02T08:30:00Z");
  lpc_test_assert_utc (hackathon->end, "2025-02-03T11:00:00Z");
  lpc_test_assert_speakers (hackathon, "Zoë Ärger");
  g_assert_cmpstr (hackathon->room, ==, "K.1.105");

  lpc_test_assert_utc (closing->start, "2025-02-02T16:00:00Z");
  g_assert_cmpuint (g_strv_length (closing->speakers), ==, 0);
}

static void
test_fixture_midnight (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *late = find_title (program, LPC_ENTRY_TALK, "Midnight Kernel Hacking", 0);
  const LpcEntry *block = lpc_program_lookup (program, late->parent_id);

  /* 23:30 to 00:30 in Brussels: it ends on the next day, in Saturday's
   * Janson block, which runs until it ends. */
  lpc_test_assert_utc (late->start, "2025-02-01T22:30:00Z");
  lpc_test_assert_utc (late->end, "2025-02-01T23:30:00Z");
  g_assert_nonnull (block);
  g_assert_cmpstr (block->identity, ==, "frab|block|2025-02-01|Janson");
  lpc_test_assert_utc (block->start, "2025-02-01T09:00:00Z");
  lpc_test_assert_utc (block->end, "2025-02-01T23:30:00Z");
}

static void
test_fixture_blocks_and_identities (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *sat_janson = find_title (program, LPC_ENTRY_SESSION, "Janson", 0);
  const LpcEntry *rust = find_title (program, LPC_ENTRY_SESSION, "Rust", 0);
  const LpcEntry *sun_janson = find_title (program, LPC_ENTRY_SESSION, "Keynotes", 0);
  const LpcEntry *hacking = find_title (program, LPC_ENTRY_SESSION, "Hacking", 0);
  const LpcEntry *keynote = find_title (program, LPC_ENTRY_TALK, "Opening Keynote", 0);
  const LpcEntry *closing = find_title (program, LPC_ENTRY_TALK, "Closing", 0);

  /* Mixed tracks: named after the room; one track: after the track. */
  g_assert_cmpstr (sat_janson->room, ==, "Janson");
  g_assert_cmpstr (rust->room, ==, "H.1302 (Depage)");
  g_assert_cmpstr (sun_janson->identity, ==, "frab|block|2025-02-02|Janson");
  g_assert_cmpstr (hacking->room, ==, "K.1.105");
  g_assert_cmpstr (closing->parent_id, ==, hacking->id);
  /* The event's guid; its integer id without one. */
  g_assert_cmpstr (keynote->identity, ==, "frab|guid|5d2b7c4a-1111-5e6f-8a9b-0c1d2e3f4a01");
  g_assert_cmpstr (keynote->id, ==, "opening-keynote");
  g_assert_cmpstr (closing->identity, ==, "frab|id|207");
  /* The line of the event's '{' */
  g_assert_cmpuint (keynote->source_line, ==,
                    fixture_line_of ("5d2b7c4a-1111-5e6f-8a9b-0c1d2e3f4a01") - 1);
}

static void
test_fixture_abstracts (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *keynote = find_title (program, LPC_ENTRY_TALK, "Opening Keynote", 0);
  const LpcEntry *late = find_title (program, LPC_ENTRY_TALK, "Midnight Kernel Hacking", 0);
  const LpcEntry *rust = find_title (program, LPC_ENTRY_TALK, "Rust in Userspace", 0);

  /* HTML: tags gone, the entity decoded, the list as lines. */
  g_assert_cmpstr (keynote->abstract, ==,
                   "Why plumbing matters & what comes next:\n\n- pipes\n- valves");
  /* The subtitle first; a description equal to the abstract only once;
   * Markdown kept. */
  g_assert_cmpstr (late->abstract, ==, "Bring a laptop\n\nHands-on: we build a kernel **together**.");
  /* "description": null */
  g_assert_cmpstr (rust->abstract, ==, "Rust **everywhere**, safely.");
}

/* ---- JSON and XML alike ---- */

#define SAME_XML                                                                                   \
  "<schedule><conference><title>Same</title><time_zone_name>Europe/Prague</time_zone_name>"       \
  "</conference>\n"                                                                                \
  "<day index='1' date='2024-03-02' start='2024-03-02T09:00:00+01:00'><room name='Hall'>\n"       \
  "<event guid='g-1' id='1'><date>2024-03-02T10:00:00+01:00</date><duration>00:40</duration>"     \
  "<title>First</title><track>Core</track><abstract>&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;"          \
  "</abstract><persons><person>A One</person><person>B Two</person></persons></event>\n"          \
  "<event id='2'><start>01:30</start><duration>0:01:00</duration><title>Night</title>"            \
  "<type>break</type></event>\n"                                                                   \
  "<event><date>2024-03-02T12:00:00+01:00</date><duration>00:10</duration><title>Nameless"        \
  "</title><room>Side</room><subtitle>Sub</subtitle></event>\n"                                    \
  "</room></day></schedule>\n"

#define SAME_JSON                                                                                  \
  "{\"schedule\": {\"conference\": {\"title\": \"Same\", \"time_zone_name\": \"Europe/Prague\","  \
  " \"days\": [\n"                                                                                 \
  "{\"index\": 1, \"date\": \"2024-03-02\", \"day_start\": \"2024-03-02T09:00:00+01:00\","        \
  " \"rooms\": {\"Hall\": [\n"                                                                     \
  "{\"guid\": \"g-1\", \"id\": 1, \"date\": \"2024-03-02T10:00:00+01:00\", \"duration\": "        \
  "\"00:40\", \"title\": \"First\", \"track\": \"Core\", \"abstract\": \"<p>Hi &amp; bye</p>\","  \
  " \"persons\": [{\"public_name\": \"A One\"}, {\"name\": \"B Two\"}]},\n"                        \
  "{\"id\": \"2\", \"start\": \"01:30\", \"duration\": \"0:01:00\", \"title\": \"Night\", "       \
  "\"type\": \"break\"},\n"                                                                        \
  "{\"date\": \"2024-03-02T12:00:00+01:00\", \"duration\": \"00:10\", \"title\": \"Nameless\","   \
  " \"room\": \"Side\", \"subtitle\": \"Sub\"}\n"                                                  \
  "]}}]}}}\n"

static void
test_same_as_xml (void)
{
  g_autoptr (LpcProgram) xml = lpc_test_parse_ok (lpc_program_parse_frab_xml, SAME_XML, "s.xml",
                                                  NULL);
  g_autoptr (LpcProgram) json = parse_ok (SAME_JSON, NULL);
  const LpcEntry *night = find_title (json, LPC_ENTRY_BREAK, "Night", 0);

  g_assert_cmpstr (json->name, ==, xml->name);
  g_assert_cmpstr (json->timezone, ==, "Europe/Prague");
  g_assert_cmpuint (json->entries->len, ==, xml->entries->len);
  g_assert_cmpuint (json->entries->len, ==, 5);
  for (guint i = 0; i < json->entries->len; i++)
    {
      const LpcEntry *a = g_ptr_array_index (json->entries, i);
      const LpcEntry *b = g_ptr_array_index (xml->entries, i);
      g_autofree char *speakers_a = g_strjoinv ("|", a->speakers);
      g_autofree char *speakers_b = g_strjoinv ("|", b->speakers);

      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpstr (a->title, ==, b->title);
      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpstr (a->identity, ==, b->identity);
      g_assert_cmpstr (a->parent_id, ==, b->parent_id);
      g_assert_cmpint (a->start, ==, b->start);
      g_assert_cmpint (a->end, ==, b->end);
      g_assert_cmpstr (a->room, ==, b->room);
      g_assert_cmpstr (a->track, ==, b->track);
      g_assert_cmpstr (a->abstract, ==, b->abstract);
      g_assert_cmpstr (speakers_a, ==, speakers_b);
    }
  /* Spot checks that the two did not merely agree on nonsense. */
  g_assert_cmpstr (find_title (json, LPC_ENTRY_TALK, "First", 0)->abstract, ==, "Hi & bye");
  g_assert_cmpstr (find_title (json, LPC_ENTRY_TALK, "First", 0)->identity, ==, "frab|guid|g-1");
  lpc_test_assert_speakers (find_title (json, LPC_ENTRY_TALK, "First", 0), "A One|B Two");
  /* 01:30 in a day that starts at 09:00: the next morning in Prague. */
  lpc_test_assert_utc (night->start, "2024-03-03T00:30:00Z");
  /* "0:01:00": pretalx's D:HH:MM, no day and one hour */
  lpc_test_assert_utc (night->end, "2024-03-03T01:30:00Z");
  g_assert_cmpstr (night->identity, ==, "frab|id|2");
  g_assert_cmpstr (find_title (json, LPC_ENTRY_TALK, "Nameless", 0)->identity, ==,
                   "frab|title|Nameless|1709377200");
}

/* ---- bad inputs ---- */

/* The first event is on line 3. */
#define HEAD                                                                                       \
  "{\"schedule\": {\"conference\": {\"title\": \"T\", \"time_zone_name\": \"Europe/Brussels\",\n" \
  "\"days\": [{\"date\": \"2024-02-03\", \"day_start\": \"2024-02-03T09:00:00+01:00\", "           \
  "\"rooms\": {\"R\": [\n"
#define TAIL "]}}]}}}\n"
#define EVENT(guid, title, date, duration)                                                         \
  "{\"guid\": \"" guid "\", \"date\": \"" date "\", \"duration\": \"" duration "\", \"title\": \"" \
  title "\"}"
#define AT(n) "schedule.conference.days[0].rooms[\"R\"][" #n "]"

static void
expect_error (const char *json, gsize len, const char *prefix, const char *fragment)
{
  lpc_test_assert_parse_error (lpc_program_parse_schedule_json, json, len, "bad.json", NULL,
                               prefix, fragment);
}

#define EXPECT_ERROR(json, prefix, fragment) expect_error (json, strlen (json), prefix, fragment)

static void
test_bad_inputs (void)
{
  g_autofree char *long_title = g_strnfill (LPC_PROGRAM_MAX_SHORT_FIELD + 1, 'x');
  g_autofree char *oversized = g_strconcat (HEAD "{\"title\": \"", long_title, "\"}" TAIL, NULL);
  g_autofree char *brackets = g_strnfill (100000, '[');
  g_autofree char *deep = g_strconcat ("{\"schedule\": \"[{\",\n\"x\": ", brackets, NULL);

  EXPECT_ERROR ("", "bad.json:1: ", "empty");
  expect_error ("{\"schedule\": \0}", 15, "bad.json:1: ", "NUL byte");
  /* json-glib's line */
  EXPECT_ERROR ("{\"schedule\":\n {\"conference\":\n {\"title\" \"T\"}}}", "bad.json:3: ",
                "not valid JSON: ");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") "\n,]}}]}}}",
                "bad.json:4: ", "not valid JSON");
  EXPECT_ERROR ("\n[1, 2]", "bad.json:2: ", "not a JSON object");
  EXPECT_ERROR ("var schedule = {\"schedule\": {}};", "bad.json:1: ", "not a JSON object");
  /* json-glib reads several values and keeps the last (found by fuzzing:
   * it leaked the others). */
  EXPECT_ERROR ("{\"schedule\": {}}\n{\"schedule\": {}}", "bad.json:2: ",
                "more after the JSON object");
  EXPECT_ERROR ("{\"talks\": []}", "bad.json:1: ", "no \"schedule\" in the root object");
  EXPECT_ERROR ("{\"schedule\": {\"version\": \"1\"}}", "bad.json:1: schedule: ",
                "no \"conference\"");
  EXPECT_ERROR ("{\"schedule\": {\"conference\": {\"title\": \"T\", \"days\": []}}}",
                "bad.json:1: schedule.conference: ", "no event in the whole schedule");
  EXPECT_ERROR ("{\"schedule\": {\"conference\": {\"days\": {}}}}",
                "bad.json:1: schedule.conference: ", "\"days\" is an object, not an array");
  EXPECT_ERROR ("{\"schedule\": {\"conference\": {\"title\": 5}}}",
                "bad.json:1: schedule.conference: ", "\"title\" is a number, not a string");
  /* An event's problems name its path, its guid and the line of its '{'. */
  EXPECT_ERROR (HEAD "\n" EVENT ("g1", "", "2024-02-03T10:00:00+01:00", "00:30") TAIL,
                "bad.json:4: " AT (0) " (guid g1): ", "an event without \"title\"");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") ",\n"
                     EVENT ("g2", "B", "2024-02-30T10:00:00+01:00", "00:30") TAIL,
                "bad.json:4: " AT (1) " (guid g2): ",
                "bad \"date\" '2024-02-30T10:00:00+01:00' of 'B'");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "1h") TAIL,
                "bad.json:3: " AT (0) " (guid g1): ",
                "bad \"duration\" '1h' of 'A' (expected HH:MM or D:HH:MM)");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "8:00:00") TAIL,
                "bad.json:3: ", "'A' lasts 8:00:00, longer than a week");
  EXPECT_ERROR (HEAD "{\"id\": 7, \"title\": \"A\", \"start\": \"10:00\"}" TAIL,
                "bad.json:3: " AT (0) " (id 7): ", "'A' has no \"duration\"");
  EXPECT_ERROR (HEAD "{\"title\": \"A\", \"start\": \"25:00\", \"duration\": \"00:30\"}" TAIL,
                "bad.json:3: " AT (0) ": ", "bad \"start\" '25:00' of 'A'");
  EXPECT_ERROR (HEAD "{\"title\": \"A\", \"duration\": \"00:30\"}" TAIL, "bad.json:3: ",
                "'A' has neither \"date\" nor \"start\"");
  EXPECT_ERROR (HEAD "{\"title\": \"A\", \"duration\": 30}" TAIL, "bad.json:3: " AT (0) ": ",
                "\"duration\" is a number, not a string");
  EXPECT_ERROR (HEAD "{\"title\": \"A\", \"persons\": [{\"name\": true}]}" TAIL,
                "bad.json:3: " AT (0) ": ", "\"name\" is a boolean, not a string");
  EXPECT_ERROR (HEAD "{\"title\": \"A\", \"persons\": [1]}" TAIL, "bad.json:3: " AT (0) ": ",
                "\"persons\"[0] is a number, not a person");
  EXPECT_ERROR (HEAD "42" TAIL, "bad.json: " AT (0) ": ", "an event is a number, not an object");
  EXPECT_ERROR ("{\"schedule\": {\"conference\": {\"days\": [\n{\"date\": \"2024-02-03\", "
                "\"rooms\": {\"R\": {}}}]}}}",
                "bad.json:2: schedule.conference.days[0].rooms[\"R\"]: ",
                "a room's events are an object, not an array");
  EXPECT_ERROR ("{\"schedule\": {\"conference\": {\"days\": [\n{\"date\": \"3 Feb 2024\", "
                "\"rooms\": {\"R\": [" EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30")
                "]}}]}}}",
                "bad.json:2: schedule.conference.days[0]: ", "bad \"date\" '3 Feb 2024'");
  EXPECT_ERROR ("{\"schedule\": {\"conference\": {\"time_zone_name\": \"/etc/passwd\",\n"
                "\"days\": [{\"rooms\": {\"R\": [" EVENT ("g1", "A", "2024-02-03T10:00:00+01:00",
                                                           "00:30") "]}}]}}}",
                "bad.json:1: ", "unknown time zone '/etc/passwd' in \"time_zone_name\"");
  EXPECT_ERROR (HEAD EVENT ("g1", "A", "2024-02-03T10:00:00+01:00", "00:30") ",\n"
                     EVENT ("g1", "B", "2024-02-03T11:00:00+01:00", "00:30") TAIL,
                "bad.json:4: " AT (1) " (guid g1): ",
                "event guid 'g1' is used again (first at " AT (0) " (guid g1))");
  EXPECT_ERROR (oversized, "bad.json:3: " AT (0) ": ", "\"title\" is longer than 4096 bytes");
  /* Brackets in a string do not count. */
  EXPECT_ERROR (deep, "bad.json:2: ", "nested more than 64 levels deep");
}

static void
test_too_many_events (void)
{
  GString *json = g_string_new (HEAD);

  for (guint i = 0; i <= LPC_PROGRAM_MAX_ENTRIES; i++)
    g_string_append (json, i == 0 ? "{}\n" : ",{}\n");
  g_string_append (json, TAIL);
  expect_error (json->str, json->len,
                "bad.json:100003: schedule.conference.days[0].rooms[\"R\"][100000]: ",
                "more than 100000 events");
  g_string_free (json, TRUE);
}

/* 20,000 events of one title and start, without guid or id: linear time in
 * the events, as for the XML. */
static void
test_many_alike_events (void)
{
  const guint n = 20000;
  GString *json = g_string_new (HEAD);
  g_autoptr (LpcProgram) program = NULL;
  const LpcEntry *last;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"date\": \"2024-02-03T10:00:00+01:00\", "
                                  "\"duration\": \"00:30\", \"title\": \"Break\"}\n",
                            i == 0 ? "" : ",");
  g_string_append (json, TAIL);
  program = parse_ok (json->str, NULL);
  g_string_free (json, TRUE);

  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, n);
  last = g_ptr_array_index (program->entries, program->entries->len - 1);
  g_assert_cmpstr (last->identity, ==, "frab|title|Break|1706950800|20000");
  g_assert_cmpuint (last->source_line, ==, n + 2);
}

/* A "start" that the night clocks go forward skips: read with the offset
 * from before the change, with a warning at the event (program-file.h). */
static void
test_start_in_dst_gap (void)
{
  const char *json = "{\"schedule\": {\"conference\": {\"time_zone_name\": \"Europe/Brussels\",\n"
                     "\"days\": [{\"date\": \"2024-03-31\", \"rooms\": {\"R\": [\n"
                     "{\"id\": 1, \"start\": \"02:30\", \"duration\": \"00:30\", "
                     "\"title\": \"Gap\"}\n" TAIL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = parse_ok (json, warnings);

  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Gap", 0)->start,
                       "2024-03-31T01:30:00Z");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0),
                                   "ok.json:3: 02:30 on 2024-03-31 does not exist in "
                                   "Europe/Brussels"));
}

/* ---- the zone ---- */

#define ZONELESS(conference)                                                                       \
  "{\"schedule\": {\"conference\": {\"title\": \"T\"" conference ",\n"                            \
  "\"days\": [{\"date\": \"2024-02-03\", \"rooms\": {\"R\": [\n"                                  \
  "{\"id\": 1, \"start\": \"10:00\", \"duration\": \"00:30\", \"title\": \"Local\"},\n"            \
  "{\"id\": 2, \"date\": \"2024-02-03T11:00:00+01:00\", \"duration\": \"00:30\", "                \
  "\"title\": \"Offset\"}\n" TAIL

static void
test_zone_from_city (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = parse_with_zone (
      lpc_program_parse_schedule_json, ZONELESS (", \"city\": \"New York\""), NULL, warnings,
      &error);

  g_assert_no_error (error);
  g_assert_cmpstr (program->timezone, ==, "America/New_York");
  /* 10:00 in New York in February (UTC-5) */
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Local", 0)->start,
                       "2024-02-03T15:00:00Z");
  /* The written instant wins over the city's zone, with a warning. */
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Offset", 0)->start,
                       "2024-02-03T10:00:00Z");
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "zone.file:1: no \"time_zone_name\": the time zone America/New_York was "
                   "taken from the city 'New York'; if that is wrong: lpc-agenda import "
                   "--timezone ZONE zone.file");
  g_assert_true (strstr (g_ptr_array_index (warnings, 1),
                         "1 event is written with a UTC offset that is not "
                         "America/New_York's") != NULL);

  /* A venue's part names the city too, in any case. */
  g_clear_pointer (&program, lpc_program_unref);
  g_ptr_array_set_size (warnings, 0);
  program = parse_with_zone (lpc_program_parse_schedule_json,
                             ZONELESS (", \"venue\": \"ULB Solbosch, BRUSSELS\""), NULL, warnings,
                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (program->timezone, ==, "Europe/Brussels");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (strstr (g_ptr_array_index (warnings, 0), "taken from the city") != NULL);
}

static void
test_zone_assumed (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = parse_with_zone (
      lpc_program_parse_schedule_json, ZONELESS (", \"city\": \"Atlantis\""), NULL, warnings,
      &error);

  g_assert_no_error (error);
  /* No city it knows: the first written offset, and how to say better. */
  g_assert_cmpstr (program->timezone, ==, "+01:00");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "zone.file:4: schedule.conference.days[0].rooms[\"R\"][1] (id 2): no "
                   "\"time_zone_name\": local times are shown at UTC+01:00, the offset of the "
                   "first event \"date\"; to give the conference's zone: lpc-agenda import "
                   "--timezone ZONE zone.file");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "Local", 0)->start,
                       "2024-02-03T09:00:00Z");
}

static void
test_zone_from_option (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = parse_with_zone (
      lpc_program_parse_schedule_json, ZONELESS (", \"city\": \"New York\""), "Europe/Brussels",
      warnings, &error);

  g_assert_no_error (error);
  /* The option beats the city, and needs no warning. */
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

  program = parse_with_zone (lpc_program_parse_schedule_json, SAME_JSON, "Europe/Brussels", NULL,
                             &error);
  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "zone.file: the file's time zone is Europe/Prague, but Europe/Brussels was "
                   "given for it: leave out --timezone, or give Europe/Prague");
  g_clear_error (&error);

  /* The same zone as the file's is no conflict. */
  program = parse_with_zone (lpc_program_parse_schedule_json, SAME_JSON, "Europe/Prague", NULL,
                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (program->timezone, ==, "Europe/Prague");
  g_clear_pointer (&program, lpc_program_unref);

  /* A zone this system does not know, or a path, is refused. */
  program = parse_with_zone (lpc_program_parse_schedule_json, ZONELESS (""), "../../etc/passwd",
                             NULL, &error);
  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message,
                                   "zone.file: unknown time zone '../../etc/passwd' given"));
}

/* Many events at an offset that is not the zone's: one warning, counting
 * them, naming the first. */
static void
test_offset_mismatch_counted (void)
{
  GString *json = g_string_new (HEAD);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (json,
                            "%s{\"id\": %u, \"date\": \"2024-02-03T%02u:%02u:00%s\", "
                            "\"duration\": \"00:01\", \"title\": \"E%u\"}\n",
                            i == 0 ? "" : ",", i, 10 + i / 60, i % 60,
                            i % 2 == 0 ? "+01:00" : "-05:00", i);
  g_string_append (json, TAIL);
  program = parse_ok (json->str, warnings);
  g_string_free (json, TRUE);

  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "ok.json:4: schedule.conference.days[0].rooms[\"R\"][1] (id 1): 250 events "
                   "are written with a UTC offset that is not Europe/Brussels's at that time, "
                   "the first 'E1' at 2024-02-03T10:01:00-05:00: the written times are kept as "
                   "given");
  /* 10:01 at -05:00 is 15:01 UTC, not 10:01 in Brussels. */
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "E1", 0)->start,
                       "2024-02-03T15:01:00Z");
  lpc_test_assert_utc (find_title (program, LPC_ENTRY_TALK, "E2", 0)->start,
                       "2024-02-03T09:02:00Z");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/program-schedule-json/fixture/program", test_fixture_program);
  g_test_add_func ("/program-schedule-json/fixture/times-rooms-speakers",
                   test_fixture_times_rooms_speakers);
  g_test_add_func ("/program-schedule-json/fixture/midnight", test_fixture_midnight);
  g_test_add_func ("/program-schedule-json/fixture/blocks-and-identities",
                   test_fixture_blocks_and_identities);
  g_test_add_func ("/program-schedule-json/fixture/abstracts", test_fixture_abstracts);
  g_test_add_func ("/program-schedule-json/same-as-xml", test_same_as_xml);
  g_test_add_func ("/program-schedule-json/bad-inputs", test_bad_inputs);
  g_test_add_func ("/program-schedule-json/too-many-events", test_too_many_events);
  g_test_add_func ("/program-schedule-json/many-alike-events", test_many_alike_events);
  g_test_add_func ("/program-schedule-json/start-in-dst-gap", test_start_in_dst_gap);
  g_test_add_func ("/program-schedule-json/zone/from-city", test_zone_from_city);
  g_test_add_func ("/program-schedule-json/zone/assumed", test_zone_assumed);
  g_test_add_func ("/program-schedule-json/zone/from-option", test_zone_from_option);
  g_test_add_func ("/program-schedule-json/zone/option-conflicts", test_zone_option_conflicts);
  g_test_add_func ("/program-schedule-json/zone/offset-mismatch-counted",
                   test_offset_mismatch_counted);
  return g_test_run ();
}
