/* Unit tests of the iCalendar importer: the fixture tests/data/program.ics
 * (Europe/Brussels; the tests run in America/New_York), whose events use
 * every way of giving a time — an IANA TZID, UTC, floating, an Outlook zone
 * defined only by its VTIMEZONE — plus a series with an EXDATE and a moved
 * occurrence; then one small calendar per kind of bad input, each with the
 * line its message must name. */
#include "lpc-error.h"
#include "program-file.h"
#include "program-ics.h"
#include "test-util.h"

#include <string.h>

static const char *
fixture_path (void)
{
  return g_test_get_filename (G_TEST_DIST, "data", "program.ics", NULL);
}

static LpcProgram *
load_fixture (GPtrArray *warnings)
{
  return lpc_test_load_ok (lpc_program_load_ics_file, fixture_path (), warnings);
}

static LpcProgram *
parse_ok (const char *ics, GPtrArray *warnings)
{
  return lpc_test_parse_ok (lpc_program_parse_ics, ics, "ok.ics", warnings);
}

static const LpcEntry *
find_title (LpcProgram *program, const char *title, guint nth)
{
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      if (g_strcmp0 (entry->title, title) == 0 && nth-- == 0)
        return entry;
    }
  g_test_message ("no entry titled '%s'", title);
  g_assert_not_reached ();
  return NULL;
}

/* ---- the fixture ---- */

static void
test_fixture_program (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program = load_fixture (warnings);
  g_autofree char *all_day = g_strdup_printf ("%s:106: event 'Registration desk open': an "
                                              "all-day event",
                                              fixture_path ());
  g_autofree char *cancelled = g_strdup_printf ("%s:113: event 'Cancelled Talk': "
                                                "STATUS:CANCELLED",
                                                fixture_path ());

  g_assert_cmpstr (program->name, ==, "PlumbCon 2024 (calendar)");
  g_assert_cmpstr (program->timezone, ==, "Europe/Brussels");
  g_assert_cmpuint (strlen (program->source_hash), ==, 32);
  /* 8 VEVENTs: one all-day and one cancelled left out; the coffee series
   * gives three (four, one EXDATE'd; one of them moved). */
  g_assert_cmpuint (program->entries->len, ==, 7);
  g_assert_cmpuint (lpc_program_count_kind (program, LPC_ENTRY_TALK), ==, 7);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), all_day));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 1), cancelled));
}

static void
test_fixture_times (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *welcome = find_title (program, "Welcome to PlumbCon", 0);
  const LpcEntry *late = find_title (program, "Late Night Kernel Hacking", 0);
  const LpcEntry *floating = find_title (program, "Floating Breakfast Talk", 0);
  const LpcEntry *windows = find_title (program, "Windows Zone Talk", 0);

  /* TZID=Europe/Brussels 10:00–10:50 */
  lpc_test_assert_utc (welcome->start, "2024-02-03T09:00:00Z");
  lpc_test_assert_utc (welcome->end, "2024-02-03T09:50:00Z");
  /* UTC with DURATION, 23:30–00:30 in Brussels: across midnight. */
  lpc_test_assert_utc (late->start, "2024-02-03T22:30:00Z");
  lpc_test_assert_utc (late->end, "2024-02-03T23:30:00Z");
  g_assert_cmpint (lpc_entry_duration_minutes (late), ==, 60);
  /* Floating 09:00: in the calendar's zone, not the machine's. */
  lpc_test_assert_utc (floating->start, "2024-02-04T08:00:00Z");
  lpc_test_assert_utc (floating->end, "2024-02-04T08:30:00Z");
  /* An Outlook zone name, converted by its VTIMEZONE: 14:00 at +01:00. */
  lpc_test_assert_utc (windows->start, "2024-02-04T13:00:00Z");
  lpc_test_assert_utc (windows->end, "2024-02-04T13:45:00Z");
}

static void
test_fixture_fields (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *welcome = find_title (program, "Welcome to PlumbCon", 0);
  const LpcEntry *late = find_title (program, "Late Night Kernel Hacking", 0);
  const LpcEntry *floating = find_title (program, "Floating Breakfast Talk", 0);
  const LpcEntry *windows = find_title (program, "Windows Zone Talk", 0);

  g_assert_cmpstr (welcome->room, ==, "Janson");
  /* The first of the CATEGORIES */
  g_assert_cmpstr (welcome->track, ==, "Keynotes");
  g_assert_cmpstr (late->track, ==, "Kernel");
  g_assert_cmpstr (floating->track, ==, "");
  g_assert_cmpstr (windows->track, ==, "Community");
  /* Unfolded, unescaped, the VALARM's DESCRIPTION not taken. */
  g_assert_cmpstr (welcome->abstract, ==,
                   "Opening words, and housekeeping.\n\n"
                   "Second paragraph of a description folded over two lines.");
  g_assert_cmpstr (late->abstract, ==, "");
  /* Attendees but the non-participant; the organizer only without them. */
  lpc_test_assert_speakers (welcome, "Lovelace, Ada");
  lpc_test_assert_speakers (late, "Linus Example");
  lpc_test_assert_speakers (floating, "Grace Hopper");
  lpc_test_assert_speakers (windows, "");
  /* No blocks in an .ics */
  g_assert_null (welcome->parent_id);
  g_assert_cmpuint (welcome->source_line, ==, 40);
  g_assert_cmpuint (windows->source_line, ==, 97);
}

static void
test_fixture_recurrence (void)
{
  g_autoptr (LpcProgram) program = load_fixture (NULL);
  const LpcEntry *sat = find_title (program, "Morning Coffee Chat", 0);
  const LpcEntry *sun = find_title (program, "Morning Coffee Chat", 1);
  const LpcEntry *mon = find_title (program, "Morning Coffee Chat", 2);

  /* Saturday as the rule says, Sunday moved to 08:45 upstairs by its
   * RECURRENCE-ID, Monday as the rule says, Tuesday EXDATE'd. */
  lpc_test_assert_utc (sat->start, "2024-02-03T07:30:00Z");
  lpc_test_assert_utc (sat->end, "2024-02-03T07:45:00Z");
  g_assert_cmpstr (sat->room, ==, "Foyer");
  lpc_test_assert_utc (sun->start, "2024-02-04T07:45:00Z");
  lpc_test_assert_utc (sun->end, "2024-02-04T08:00:00Z");
  g_assert_cmpstr (sun->room, ==, "Foyer (upstairs)");
  g_assert_cmpuint (sun->source_line, ==, 88);
  lpc_test_assert_utc (mon->start, "2024-02-05T07:30:00Z");
  g_assert_cmpuint (mon->source_line, ==, 78);
  g_assert_cmpstr (find_title (program, "Morning Coffee Chat", 2)->title, ==, mon->title);

  /* One series, each occurrence by its original start. */
  g_assert_cmpstr (sat->id, ==, "morning-coffee-chat-sat");
  g_assert_cmpstr (sat->occurrence_group, ==, sat->id);
  g_assert_cmpstr (sun->occurrence_group, ==, sat->id);
  g_assert_cmpstr (mon->occurrence_group, ==, sat->id);
  g_assert_cmpstr (sat->identity, ==, "ics|coffee@plumbcon.example|1706945400");
  g_assert_cmpstr (sun->identity, ==, "ics|coffee@plumbcon.example|1707031800");
  g_assert_null (find_title (program, "Welcome to PlumbCon", 0)->occurrence_group);
}

static void
test_fixture_ids (void)
{
  g_autoptr (LpcProgram) first = load_fixture (NULL);
  g_autoptr (LpcProgram) second = load_fixture (NULL);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) identities = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 previous_start = G_MININT64;

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
      /* program order is time order */
      g_assert_cmpint (a->start, >=, previous_start);
      previous_start = a->start;
    }
  g_assert_cmpstr (find_title (first, "Welcome to PlumbCon", 0)->id, ==, "welcome-to-plumbcon");
  g_assert_cmpstr (find_title (first, "Welcome to PlumbCon", 0)->identity, ==,
                   "ics|welcome@plumbcon.example");
}

/* ---- small calendars ---- */

/* Three lines, then the events. */
#define HEAD "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:Europe/Brussels\n"
#define TAIL "END:VCALENDAR\n"

static void
test_moved_event_keeps_identity (void)
{
  g_autoptr (LpcProgram) a = parse_ok (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:Talk\n"
                                            "DTSTART:20240203T100000\nEND:VEVENT\n" TAIL,
                                       NULL);
  g_autoptr (LpcProgram) b = parse_ok (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:Talk\n"
                                            "DTSTART:20240204T150000\nDURATION:PT1H\n"
                                            "LOCATION:Elsewhere\nEND:VEVENT\n" TAIL,
                                       NULL);
  const LpcEntry *ta = find_title (a, "Talk", 0);
  const LpcEntry *tb = find_title (b, "Talk", 0);

  g_assert_cmpint (ta->start, !=, tb->start);
  g_assert_cmpstr (ta->identity, ==, tb->identity);
  g_assert_cmpstr (ta->id, ==, tb->id);
  /* No DTEND or DURATION: it ends as it starts (RFC 5545). */
  g_assert_cmpint (ta->end, ==, ta->start);
  g_assert_cmpstr (ta->room, ==, "");
}

#define OUR_EVENT(id)                                                                              \
  "BEGIN:VEVENT\nUID:" id "@plumbcon-2024.lpc-agenda\nSUMMARY:Talk " id "\n"                     \
  "DTSTART:20240203T100000\nEND:VEVENT\n"

/* What `lpc-agenda export` wrote is the user's agenda, not a program: by
 * its PRODID, or, saved again under another PRODID, by most of its UIDs.
 * A program with an odd event of that UID domain is still a program. */
static void
test_own_export_refused (void)
{
  static const char exported[] = "BEGIN:VCALENDAR\nVERSION:2.0\n"
                                 "PRODID:-//lpc-agenda//lpc-agenda 0.1//EN\n"
                                 "X-WR-CALNAME:PlumbCon 2024\n" OUR_EVENT ("a") OUR_EVENT ("b") TAIL;
  static const char empty_export[] = "BEGIN:VCALENDAR\nVERSION:2.0\n"
                                     "PRODID:-//lpc-agenda//lpc-agenda 0.1//EN\n" TAIL;
  static const char resaved[] = "BEGIN:VCALENDAR\nVERSION:2.0\n"
                                "PRODID:-//Example Corp.//Some Calendar 4.2//EN\n"
                                "X-WR-CALNAME:PlumbCon 2024\n" OUR_EVENT ("a") OUR_EVENT ("b")
                                "BEGIN:VEVENT\nUID:dentist\nSUMMARY:Dentist\n"
                                "DTSTART:20240203T170000\nEND:VEVENT\n" TAIL;
  g_autoptr (LpcProgram) program = NULL;

  lpc_test_assert_parse_error (lpc_program_parse_ics, exported, strlen (exported), "mine.ics",
                               NULL, "mine.ics: this is an lpc-agenda export of your agenda",
                               "(PRODID -//lpc-agenda//lpc-agenda 0.1//EN), not a conference "
                               "program: import the conference's own program file");
  lpc_test_assert_parse_error (lpc_program_parse_ics, empty_export, strlen (empty_export),
                               "mine.ics", NULL, "mine.ics: this is an lpc-agenda export", "PRODID");
  lpc_test_assert_parse_error (lpc_program_parse_ics, resaved, strlen (resaved), "mine.ics", NULL,
                               "mine.ics: this is an lpc-agenda export of your agenda",
                               "(2 of its 3 events have UIDs ending in “.lpc-agenda”)");

  program = parse_ok (HEAD "PRODID:-//Example Corp.//Some Calendar 4.2//EN\n" OUR_EVENT ("a")
                      "BEGIN:VEVENT\nUID:u1\nSUMMARY:One\nDTSTART:20240203T110000\nEND:VEVENT\n"
                      "BEGIN:VEVENT\nUID:u2\nSUMMARY:Two\nDTSTART:20240203T120000\nEND:VEVENT\n"
                      TAIL,
                      NULL);
  g_assert_cmpuint (program->entries->len, ==, 3);
}

static void
test_names_and_zones (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  /* PRODID's product part; the first TZID's IANA tail; no UID. */
  g_autoptr (LpcProgram) a = parse_ok ("BEGIN:VCALENDAR\r\nPRODID:-//pretalx//FOSDEM 2024//EN\r\n"
                                       "BEGIN:VEVENT\r\nSUMMARY:A\r\n"
                                       "DTSTART;TZID=/mozilla.org/20050126_1/America/Chicago:"
                                       "20240203T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                                       NULL);
  /* Nothing: UTC, with a warning, and the file's name. */
  g_autoptr (LpcProgram) b = parse_ok ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:B\n"
                                       "DTSTART:20240203T100000\nEND:VEVENT\nEND:VCALENDAR\n",
                                       warnings);

  g_assert_cmpstr (a->name, ==, "FOSDEM 2024");
  g_assert_cmpstr (a->timezone, ==, "America/Chicago");
  lpc_test_assert_utc (find_title (a, "A", 0)->start, "2024-02-03T16:00:00Z");
  g_assert_cmpstr (find_title (a, "A", 0)->identity, ==, "ics|title|A|1706976000");
  g_assert_cmpstr (b->name, ==, "ok.ics");
  g_assert_cmpstr (b->timezone, ==, "UTC");
  lpc_test_assert_utc (find_title (b, "B", 0)->start, "2024-02-03T10:00:00Z");
  /* The floating time's line, the zone assumed and how to give another. */
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "ok.ics:4: floating times (no TZID, no Z) and no X-WR-TIMEZONE: taken as UTC; "
                   "to give their zone, import with `lpc-agenda import --timezone ZONE ok.ics`");
}

static void
expect_error (const char *ics, gsize len, const char *prefix, const char *fragment)
{
  lpc_test_assert_parse_error (lpc_program_parse_ics, ics, len, "bad.ics", NULL, prefix, fragment);
}

#define EXPECT_ERROR(ics, prefix, fragment) expect_error (ics, strlen (ics), prefix, fragment)
/* An event whose BEGIN is on line 4. */
#define EVENT(lines) "BEGIN:VEVENT\nUID:u1\nSUMMARY:Talk\n" lines "END:VEVENT\n"

static void
test_bad_inputs (void)
{
  g_autofree char *long_summary = g_strnfill (LPC_PROGRAM_MAX_SHORT_FIELD + 1, 'x');
  g_autofree char *oversized = g_strconcat (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:", long_summary,
                                            "\nDTSTART:20240203T100000\nEND:VEVENT\n" TAIL, NULL);

  EXPECT_ERROR ("", "bad.ics:1: ", "empty");
  expect_error ("BEGIN:VCALENDAR\n\xff\n", 18, "bad.ics:2: ", "invalid UTF-8");
  EXPECT_ERROR ("Hello\nBEGIN:VCALENDAR\n", "bad.ics:1: ", "not an iCalendar file");
  EXPECT_ERROR ("\nBEGIN:VTODO\nEND:VTODO\n", "bad.ics:2: ",
                "not an iCalendar file: it does not begin with BEGIN:VCALENDAR");
  EXPECT_ERROR (HEAD TAIL, "bad.ics:1: ", "no VEVENT in the calendar");
  EXPECT_ERROR (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:Talk\n", "bad.ics:4: ",
                "BEGIN:VEVENT is never closed: the file is truncated");
  EXPECT_ERROR (HEAD "BEGIN:VEVENT\nEND:VTODO\n" TAIL, "bad.ics:5: ",
                "END:VTODO does not close BEGIN:VEVENT");
  EXPECT_ERROR (HEAD "BEGIN:VTODO\nBEGIN:VEVENT\nEND:VEVENT\nEND:VTODO\n" TAIL, "bad.ics:5: ",
                "BEGIN:VEVENT inside VTODO (line 4)");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\n") TAIL "BEGIN:VCALENDAR\n", "bad.ics:10: ",
                "a second VCALENDAR");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nthis line has no colon\n") TAIL,
                "bad.ics:8: ", "not a content line");
  /* times */
  EXPECT_ERROR (HEAD EVENT ("DTSTART:garbage\n") TAIL, "bad.ics:7: ",
                "bad DTSTART 'garbage', in event 'Talk' (UID u1)");
  EXPECT_ERROR (HEAD EVENT ("DURATION:PT1H\nDTSTART:20241303T100000\n") TAIL, "bad.ics:8: ",
                "bad DTSTART '20241303T100000'");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T250000\n") TAIL, "bad.ics:7: ", "bad DTSTART");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nDTEND:20240203T090000\n") TAIL,
                "bad.ics:8: ", "DTEND is before DTSTART");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nDTEND:20240203T110000\nDURATION:PT1H\n")
                    TAIL,
                "bad.ics:9: ", "both DTEND and DURATION");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nDURATION:PT1X\n") TAIL, "bad.ics:8: ",
                "bad DURATION 'PT1X'");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nDURATION:P8D\n") TAIL, "bad.ics:8: ",
                "lasts 192 hours, longer than a week");
  EXPECT_ERROR (HEAD EVENT ("DTSTART;TZID=Mars/Olympus_Mons:20240203T100000\n") TAIL,
                "bad.ics:7: ", "unknown time zone TZID=Mars/Olympus_Mons in DTSTART");
  EXPECT_ERROR ("BEGIN:VCALENDAR\nX-WR-TIMEZONE:Mars/Olympus_Mons\n"
                "BEGIN:VEVENT\nSUMMARY:A\nDTSTART:20240203T100000\nEND:VEVENT\n" TAIL,
                "bad.ics:2: ", "unknown time zone 'Mars/Olympus_Mons' in X-WR-TIMEZONE");
  EXPECT_ERROR (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:Talk\nEND:VEVENT\n" TAIL, "bad.ics:4: ",
                "no DTSTART, in event 'Talk' (UID u1)");
  EXPECT_ERROR (HEAD "BEGIN:VEVENT\nUID:u1\nDTSTART:20240203T100000\nEND:VEVENT\n" TAIL,
                "bad.ics:4: ", "no SUMMARY");
  /* recurrence */
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nRRULE:FREQ=DAILY\n") TAIL, "bad.ics:8: ",
                "RRULE never ends (no COUNT or UNTIL)");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nRRULE:FREQ=MINUTELY;COUNT=5000\n") TAIL,
                "bad.ics:8: ", "RRULE has more than 1000 occurrences");
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\nRRULE:FREQ=SOMETIMES;COUNT=2\n") TAIL,
                "bad.ics:8: ", "bad RRULE 'FREQ=SOMETIMES;COUNT=2'");
  /* identity and size */
  EXPECT_ERROR (HEAD EVENT ("DTSTART:20240203T100000\n") EVENT ("DTSTART:20240203T110000\n") TAIL,
                "bad.ics:10: ", "UID used again (first by the event on line 4)");
  EXPECT_ERROR (oversized, "bad.ics:6: ", "SUMMARY is longer than 4096 bytes");
}

/* Warnings and errors are one line of UTF-8 whatever the file holds: a
 * SUMMARY's "\n" is a line break once unescaped, and a line cut at 40 bytes
 * for a message may end inside a character (both found by fuzzing). */
static void
test_messages_one_line (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program
      = parse_ok (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:Two\\nlines\nSTATUS:CANCELLED\n"
                       "DTSTART:20240203T100000\nEND:VEVENT\n" EVENT ("DTSTART:20240203T100000\n")
                           TAIL,
                  warnings);
  g_autoptr (GError) error = NULL;
  const char *cut = HEAD "BEGIN:VEVENT\nthis line has no colon and its 40th byt\xc3\xa9 is cut\n"
                         "END:VEVENT\n" TAIL;
  g_autoptr (LpcProgram) refused = lpc_program_parse_ics (cut, strlen (cut), "bad.ics", NULL, NULL,
                                                          &error);

  g_assert_nonnull (program);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "ok.ics:4: event 'Two lines': STATUS:CANCELLED, left out");
  g_assert_null (refused);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "bad.ics:5: not a content line"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* 25,000 events of one title and start, without UID: each used to count
 * "|2", "|3"… from the start to find its identity, minutes in all; now a
 * second or so. */
static void
test_many_alike_events (void)
{
  const guint n = 25000;
  GString *ics = g_string_new (HEAD);
  g_autoptr (LpcProgram) program = NULL;
  const LpcEntry *last;

  for (guint i = 0; i < n; i++)
    g_string_append (ics, "BEGIN:VEVENT\nSUMMARY:Break\nDTSTART:20240203T100000\nEND:VEVENT\n");
  g_string_append (ics, TAIL);
  program = parse_ok (ics->str, NULL);
  g_string_free (ics, TRUE);

  g_assert_cmpuint (program->entries->len, ==, n);
  last = g_ptr_array_index (program->entries, program->entries->len - 1);
  g_assert_cmpstr (last->identity, ==, "ics|title|Break|1706950800|25000");
}

/* BY-parts that never match: libical alone would search until the year
 * 2582, one FREQ step at a time. Refused, naming the RRULE's line. */
static void
test_never_matching_rules (void)
{
  static const char *const rules[] = {
    "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30;COUNT=3",
    "FREQ=SECONDLY;BYMONTH=4;BYMONTHDAY=31;COUNT=1",
    "FREQ=MINUTELY;BYMONTHDAY=30;BYMONTH=2;UNTIL=21000101T000000Z",
    "FREQ=HOURLY;BYYEARDAY=366;BYMONTH=1;COUNT=2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autofree char *ics = g_strdup_printf (HEAD EVENT ("DTSTART:20240203T100000\nRRULE:%s\n")
                                                  TAIL,
                                              rules[i]);
      g_test_message ("%s", rules[i]);
      EXPECT_ERROR (ics, "bad.ics:8: ", "RRULE");
      EXPECT_ERROR (ics, "bad.ics:8: ", "steps of its FREQ");
    }
  /* A rule that does find all its occurrences is still expanded. */
  {
    g_autoptr (LpcProgram) program = parse_ok (
        HEAD EVENT ("DTSTART:20240203T100000\nRRULE:FREQ=MINUTELY;BYHOUR=10;BYMINUTE=0;COUNT=3\n")
            TAIL,
        NULL);
    g_assert_cmpuint (program->entries->len, ==, 3);
  }
}

/* A line over LPC_ICS_MAX_LINE, as one physical line or folded, is refused
 * before libical reads it. */
static void
test_overlong_line (void)
{
  g_autofree char *long_value = g_strnfill (LPC_ICS_MAX_LINE + 1, 'x');
  g_autofree char *half = g_strnfill (LPC_ICS_MAX_LINE / 2 + 1, 'y');
  g_autofree char *one_line = g_strconcat (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:Talk\nX-JUNK:",
                                           long_value, "\nDTSTART:20240203T100000\n"
                                           "END:VEVENT\n" TAIL, NULL);
  g_autofree char *folded = g_strconcat (HEAD "BEGIN:VEVENT\nUID:u1\nSUMMARY:Talk\nX-JUNK:", half,
                                         "\n ", half, "\nDTSTART:20240203T100000\n"
                                         "END:VEVENT\n" TAIL, NULL);

  EXPECT_ERROR (one_line, "bad.ics:7: ", "a line of more than");
  EXPECT_ERROR (folded, "bad.ics:7: ", "a line of more than");
}

/* A cancelled parse stops with G_IO_ERROR_CANCELLED, even in a series. */
static void
test_cancelled (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  LpcProgramParseOptions options = { .cancellable = cancellable };
  const char *ics = HEAD EVENT ("DTSTART:20240203T100000\nRRULE:FREQ=DAILY;COUNT=3\n") TAIL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;

  program = lpc_program_parse_ics (ics, strlen (ics), "c.ics", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (program);
  g_clear_pointer (&program, lpc_program_unref);

  g_cancellable_cancel (cancellable);
  program = lpc_program_parse_ics (ics, strlen (ics), "c.ics", &options, NULL, &error);
  g_assert_null (program);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_str_has_prefix (error->message, "c.ics:"));
}

static void
test_special_files_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = lpc_program_load_ics_file ("/", NULL, &error);

  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "/: not a regular file"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/program-ics/fixture/program", test_fixture_program);
  g_test_add_func ("/program-ics/fixture/times", test_fixture_times);
  g_test_add_func ("/program-ics/fixture/fields", test_fixture_fields);
  g_test_add_func ("/program-ics/fixture/recurrence", test_fixture_recurrence);
  g_test_add_func ("/program-ics/fixture/ids", test_fixture_ids);
  g_test_add_func ("/program-ics/moved-event-keeps-identity", test_moved_event_keeps_identity);
  g_test_add_func ("/program-ics/names-and-zones", test_names_and_zones);
  g_test_add_func ("/program-ics/own-export-refused", test_own_export_refused);
  g_test_add_func ("/program-ics/bad-inputs", test_bad_inputs);
  g_test_add_func ("/program-ics/messages-one-line", test_messages_one_line);
  g_test_add_func ("/program-ics/many-alike-events", test_many_alike_events);
  g_test_add_func ("/program-ics/special-files-refused", test_special_files_refused);
  g_test_add_func ("/program-ics/never-matching-rules", test_never_matching_rules);
  g_test_add_func ("/program-ics/overlong-line", test_overlong_line);
  g_test_add_func ("/program-ics/cancelled", test_cancelled);
  return g_test_run ();
}
