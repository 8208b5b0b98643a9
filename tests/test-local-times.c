/* Unit tests of local times that a daylight-saving change skips or repeats
 * (RFC 5545 3.3.5: a skipped time takes the offset from before the gap, a
 * repeated one is its first occurrence), in the shared helper and in every
 * importer, each with its one warning; and of the timezone option of the
 * LPC text and iCalendar importers.
 *
 * The machine's zone in these tests is America/New_York (tests/meson.build):
 * the zones here are all others, so a parser that used the machine's would
 * be hours off. */
#include "lpc-error.h"
#include "program-frab-xml.h"
#include "program-ics.h"
#include "program-lpc-text.h"
#include "test-util.h"

#include <string.h>

#define BUL "\xe2\x80\xa2"   /* U+2022, the LPC text's bullet */
#define NNBSP "\xe2\x80\xaf" /* U+202F, before AM/PM */

/* ---- helpers ---- */

static LpcProgram *
parse_with (LpcProgramParseFunc parse, const char *text, const char *filename,
            const char *zone, GPtrArray *warnings)
{
  LpcProgramParseOptions options = { .timezone = zone };
  g_autoptr (GError) error = NULL;
  LpcProgram *program = parse (text, strlen (text), filename, &options, warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (program);
  // cppcheck-suppress returnDanglingLifetime ; the program copies the zone name, not @options
  return program;
}

static const LpcEntry *
find_title (LpcProgram *program, const char *title)
{
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      if (g_strcmp0 (entry->title, title) == 0)
        return entry;
    }
  g_test_message ("no entry titled '%s'", title);
  g_assert_not_reached ();
  return NULL;
}

/* The warnings that contain @fragment. */
static guint
count_warnings (GPtrArray *warnings, const char *fragment)
{
  guint n = 0;

  for (guint i = 0; i < warnings->len; i++)
    {
      if (strstr (g_ptr_array_index (warnings, i), fragment) != NULL)
        n++;
    }
  return n;
}

static void
assert_local_time (const char *zone, int year, int month, int day, int seconds,
                   const char *expected_utc, LpcLocalTimeKind expected_kind)
{
  g_autoptr (GTimeZone) tz = lpc_program_zone_new (zone);
  LpcLocalTime time;
  GDate date;

  g_assert_nonnull (tz);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  g_assert_true (lpc_program_local_time (tz, &date, seconds, 0, &time));
  lpc_test_assert_utc (time.instant, expected_utc);
  g_assert_cmpint (time.kind, ==, expected_kind);
}

/* ---- the shared helper ---- */

static void
test_helper (void)
{
  /* Clocks go forward from 02:00 PST to 03:00 PDT: 02:30 takes PST. */
  assert_local_time ("America/Los_Angeles", 2021, 3, 14, 2 * 3600 + 30 * 60,
                     "2021-03-14T10:30:00Z", LPC_LOCAL_TIME_SKIPPED);
  assert_local_time ("America/Los_Angeles", 2021, 3, 14, 2 * 3600, "2021-03-14T10:00:00Z",
                     LPC_LOCAL_TIME_SKIPPED);
  assert_local_time ("America/Los_Angeles", 2021, 3, 14, 3 * 3600, "2021-03-14T10:00:00Z",
                     LPC_LOCAL_TIME_EXACT);
  assert_local_time ("America/Los_Angeles", 2021, 3, 14, 3600 + 59 * 60, "2021-03-14T09:59:00Z",
                     LPC_LOCAL_TIME_EXACT);
  /* Clocks go back from 02:00 PDT to 01:00 PST: 01:30 is first PDT. */
  assert_local_time ("America/Los_Angeles", 2021, 11, 7, 3600 + 30 * 60, "2021-11-07T08:30:00Z",
                     LPC_LOCAL_TIME_REPEATED);
  assert_local_time ("America/Los_Angeles", 2021, 11, 7, 3600, "2021-11-07T08:00:00Z",
                     LPC_LOCAL_TIME_REPEATED);
  assert_local_time ("America/Los_Angeles", 2021, 11, 7, 2 * 3600, "2021-11-07T10:00:00Z",
                     LPC_LOCAL_TIME_EXACT);
  assert_local_time ("America/Los_Angeles", 2021, 11, 7, 30 * 60, "2021-11-07T07:30:00Z",
                     LPC_LOCAL_TIME_EXACT);
  /* Europe changes at 01:00 UTC; a southern zone the other way round. */
  assert_local_time ("Europe/Brussels", 2021, 3, 28, 2 * 3600 + 15 * 60, "2021-03-28T01:15:00Z",
                     LPC_LOCAL_TIME_SKIPPED);
  assert_local_time ("Europe/Brussels", 2021, 10, 31, 2 * 3600 + 15 * 60,
                     "2021-10-31T00:15:00Z", LPC_LOCAL_TIME_REPEATED);
  assert_local_time ("Pacific/Auckland", 2021, 9, 26, 2 * 3600 + 30 * 60, "2021-09-25T14:30:00Z",
                     LPC_LOCAL_TIME_SKIPPED);
  /* Lord Howe moves by half an hour: 02:15 is skipped, taken at +10:30. */
  assert_local_time ("Australia/Lord_Howe", 2021, 10, 3, 2 * 3600 + 15 * 60,
                     "2021-10-02T15:45:00Z", LPC_LOCAL_TIME_SKIPPED);
  /* No change at all. */
  assert_local_time ("UTC", 2021, 3, 14, 2 * 3600 + 30 * 60, "2021-03-14T02:30:00Z",
                     LPC_LOCAL_TIME_EXACT);
}

static void
test_helper_warning (void)
{
  g_autoptr (GTimeZone) tz = lpc_program_zone_new ("America/Los_Angeles");
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  LpcLocalTime time;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 14, G_DATE_MARCH, 2021);
  g_assert_true (lpc_program_local_time (tz, &date, 2 * 3600 + 30 * 60, 0, &time));
  lpc_program_warn_local_time (warnings, "f.txt", 7, "America/Los_Angeles", tz, &time);
  /* Without the zone, its offset. */
  lpc_program_warn_local_time (warnings, "f.txt", 8, "Pacific", NULL, &time);
  g_date_set_dmy (&date, 7, G_DATE_NOVEMBER, 2021);
  g_assert_true (lpc_program_local_time (tz, &date, 3600 + 30 * 60, 0, &time));
  lpc_program_warn_local_time (warnings, "f.txt", 9, "America/Los_Angeles", tz, &time);
  /* An ordinary time says nothing. */
  g_assert_true (lpc_program_local_time (tz, &date, 12 * 3600, 0, &time));
  lpc_program_warn_local_time (warnings, "f.txt", 10, "America/Los_Angeles", tz, &time);

  g_assert_cmpuint (warnings->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "f.txt:7: 02:30 on 2021-03-14 does not exist in America/Los_Angeles (clocks "
                   "go forward): taken as 03:30 PDT (10:30 UTC), as RFC 5545 says");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "f.txt:8: 02:30 on 2021-03-14 does not exist in Pacific (clocks go forward): "
                   "taken as 03:30 UTC-07:00 (10:30 UTC), as RFC 5545 says");
  g_assert_cmpstr (g_ptr_array_index (warnings, 2), ==,
                   "f.txt:9: 01:30 on 2021-11-07 happens twice in America/Los_Angeles (clocks go "
                   "back): taken as the first, 01:30 PDT (08:30 UTC), as RFC 5545 says");
}

/* ---- LPC timetable text ---- */

/* An LPC text whose last block is on @date (2021-09-20 or later), from
 * 00:15 to 04:00, with one talk at @clock ("2:30"): a day is inferred
 * whenever a block starts before the one above it, so each day before has
 * a 7:00 and an 8:00 block. *@out_line: the talk's bullet line. */
static char *
lpc_text_on (int year, int month, int day, const char *clock, guint *out_line)
{
  GString *text = g_string_new ("Local times\n\n");
  GDate first, last;
  int days;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 20, G_DATE_SEPTEMBER, 2021);
  g_date_set_dmy (&last, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  days = g_date_days_between (&first, &last);
  g_assert_cmpint (days, >=, 0);
  for (int i = 0; i < days; i++)
    g_string_append (text, "    " BUL " 7:00" NNBSP "AM 8:00" NNBSP "AM\n"
                           "      Early MC Room1/Virtual-Room\n"
                           "    " BUL " 8:00" NNBSP "AM 9:00" NNBSP "AM\n"
                           "      Later MC Room1/Virtual-Room\n");
  g_string_append (text, "    " BUL " 12:15" NNBSP "AM 4:00" NNBSP "AM\n"
                         "      Night MC Room1/Virtual-Room\n");
  *out_line = 4 * (guint) days + 5;
  g_string_append_printf (text,
                          "      " BUL " %s" NNBSP "AM\n"
                          "        Night talk 20m\n",
                          clock);
  return g_string_free (text, FALSE);
}

static void
test_lpc_text_gap (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  guint line;
  g_autofree char *text = lpc_text_on (2022, 3, 13, "2:30", &line);
  g_autoptr (LpcProgram) program
      = parse_with (lpc_program_parse_lpc_text, text, "t.txt", NULL, warnings);
  g_autofree char *expected = g_strdup_printf (
      "t.txt:%u: 02:30 on 2022-03-13 does not exist in America/Los_Angeles (clocks go forward): "
      "taken as 03:30 PDT (10:30 UTC), as RFC 5545 says",
      line);
  const LpcEntry *talk = find_title (program, "Night talk");

  lpc_test_assert_utc (find_title (program, "Night MC")->start, "2022-03-13T08:15:00Z");
  lpc_test_assert_utc (talk->start, "2022-03-13T10:30:00Z");
  lpc_test_assert_utc (talk->end, "2022-03-13T10:50:00Z");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==, expected);
}

static void
test_lpc_text_repeat (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  guint line;
  g_autofree char *text = lpc_text_on (2021, 11, 7, "1:30", &line);
  g_autoptr (LpcProgram) program
      = parse_with (lpc_program_parse_lpc_text, text, "t.txt", NULL, warnings);
  g_autofree char *expected = g_strdup_printf (
      "t.txt:%u: 01:30 on 2021-11-07 happens twice in America/Los_Angeles (clocks go back): "
      "taken as the first, 01:30 PDT (08:30 UTC), as RFC 5545 says",
      line);

  lpc_test_assert_utc (find_title (program, "Night talk")->start, "2021-11-07T08:30:00Z");
  /* 04:00 is after the change: PST. */
  lpc_test_assert_utc (find_title (program, "Night MC")->end, "2021-11-07T12:00:00Z");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==, expected);
}

static void
test_lpc_text_timezone_option (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  guint line;
  g_autofree char *text = lpc_text_on (2021, 9, 26, "2:30", &line);
  /* The text's own zone: no warning. */
  g_autoptr (LpcProgram) same
      = parse_with (lpc_program_parse_lpc_text, text, "t.txt", "America/Los_Angeles", warnings);
  g_autoptr (LpcProgram) program = NULL;

  g_assert_cmpuint (warnings->len, ==, 0);
  lpc_test_assert_utc (find_title (same, "Night talk")->start, "2021-09-26T09:30:00Z");

  /* Auckland's clocks go forward that night: the option's zone is the one
   * the times are read in, and said so at line 1. */
  program = parse_with (lpc_program_parse_lpc_text, text, "t.txt", "Pacific/Auckland", warnings);
  g_assert_cmpstr (program->timezone, ==, "Pacific/Auckland");
  lpc_test_assert_utc (find_title (program, "Night talk")->start, "2021-09-25T14:30:00Z");
  lpc_test_assert_utc (find_title (program, "Early MC")->start, "2021-09-19T19:00:00Z");
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "t.txt:1: times read in Pacific/Auckland, as the timezone option says, not "
                   "in America/Los_Angeles, the zone of the LPC 2021 timetable");
  g_assert_cmpuint (count_warnings (warnings, "02:30 on 2021-09-26 does not exist in "
                                              "Pacific/Auckland (clocks go forward): taken as "
                                              "03:30 NZDT (14:30 UTC)"),
                    ==, 1);
}

/* ---- frab schedule XML ---- */

static void
test_frab_xml (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  const char *xml = "<schedule><conference><title>T</title>"
                    "<time_zone_name>America/Los_Angeles</time_zone_name></conference>\n"
                    "<day date='2021-03-14'><room name='R'>\n"
                    "<event id='1'><start>02:30</start><duration>00:30</duration>"
                    "<title>Gap</title></event>\n"
                    "</room></day>\n"
                    "<day date='2021-11-07'><room name='R'>\n"
                    "<event id='2'><start>01:30</start><duration>00:30</duration>"
                    "<title>Repeat</title></event>\n"
                    "<event id='3'><start>03:00</start><duration>00:30</duration>"
                    "<title>Ordinary</title></event>\n"
                    "</room></day></schedule>\n";
  g_autoptr (LpcProgram) program
      = parse_with (lpc_program_parse_frab_xml, xml, "s.xml", NULL, warnings);

  lpc_test_assert_utc (find_title (program, "Gap")->start, "2021-03-14T10:30:00Z");
  lpc_test_assert_utc (find_title (program, "Repeat")->start, "2021-11-07T08:30:00Z");
  lpc_test_assert_utc (find_title (program, "Ordinary")->start, "2021-11-07T11:00:00Z");
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "s.xml:3: 02:30 on 2021-03-14 does not exist in America/Los_Angeles (clocks "
                   "go forward): taken as 03:30 PDT (10:30 UTC), as RFC 5545 says");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "s.xml:6: 01:30 on 2021-11-07 happens twice in America/Los_Angeles (clocks "
                   "go back): taken as the first, 01:30 PDT (08:30 UTC), as RFC 5545 says");
}

/* ---- iCalendar ---- */

#define ICS_HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//T//EN\r\n"

static void
test_ics_iana_zone (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  const char *ics = ICS_HEAD                                                       /* 1-3 */
      "BEGIN:VEVENT\r\nUID:gap\r\nSUMMARY:Gap\r\n"                                 /* 4-6 */
      "DTSTART;TZID=America/Los_Angeles:20210314T023000\r\n"                       /* 7 */
      "DTEND;TZID=America/Los_Angeles:20210314T040000\r\nEND:VEVENT\r\n"          /* 8-9 */
      "BEGIN:VEVENT\r\nUID:repeat\r\nSUMMARY:Repeat\r\n"                           /* 10-12 */
      "DTSTART;TZID=America/Los_Angeles:20211107T013000\r\n"                       /* 13 */
      "DTEND;TZID=America/Los_Angeles:20211107T030000\r\nEND:VEVENT\r\n"          /* 14-15 */
      "END:VCALENDAR\r\n";
  g_autoptr (LpcProgram) program = parse_with (lpc_program_parse_ics, ics, "c.ics", NULL, warnings);
  const LpcEntry *gap = find_title (program, "Gap");
  const LpcEntry *repeat = find_title (program, "Repeat");

  lpc_test_assert_utc (gap->start, "2021-03-14T10:30:00Z");
  lpc_test_assert_utc (gap->end, "2021-03-14T11:00:00Z");
  lpc_test_assert_utc (repeat->start, "2021-11-07T08:30:00Z");
  lpc_test_assert_utc (repeat->end, "2021-11-07T11:00:00Z");
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "c.ics:7: 02:30 on 2021-03-14 does not exist in America/Los_Angeles (clocks "
                   "go forward): taken as 03:30 PDT (10:30 UTC), as RFC 5545 says");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "c.ics:13: 01:30 on 2021-11-07 happens twice in America/Los_Angeles (clocks "
                   "go back): taken as the first, 01:30 PDT (08:30 UTC), as RFC 5545 says");
}

/* A VTIMEZONE of the file's own, which only libical can read: the same rule. */
static void
test_ics_own_vtimezone (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  const char *ics = ICS_HEAD
      "BEGIN:VTIMEZONE\r\nTZID:Plumbers Pacific\r\n"
      "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nTZNAME:PDT\r\n"
      "DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n"
      "BEGIN:STANDARD\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nTZNAME:PST\r\n"
      "DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n"
      "END:VTIMEZONE\r\n"                                                          /* 4-20 */
      "BEGIN:VEVENT\r\nUID:gap\r\nSUMMARY:Gap\r\n"                                 /* 21-23 */
      "DTSTART;TZID=Plumbers Pacific:20210314T023000\r\nDURATION:PT30M\r\n"       /* 24-25 */
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:repeat\r\nSUMMARY:Repeat\r\n"                           /* 27-29 */
      "DTSTART;TZID=Plumbers Pacific:20211107T013000\r\nDURATION:PT30M\r\n"       /* 30-31 */
      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  g_autoptr (LpcProgram) program = parse_with (lpc_program_parse_ics, ics, "c.ics", NULL, warnings);

  lpc_test_assert_utc (find_title (program, "Gap")->start, "2021-03-14T10:30:00Z");
  lpc_test_assert_utc (find_title (program, "Repeat")->start, "2021-11-07T08:30:00Z");
  g_assert_cmpuint (count_warnings (warnings, "c.ics:24: 02:30 on 2021-03-14 does not exist in "
                                              "Plumbers Pacific (clocks go forward): taken as "
                                              "03:30 UTC-07:00 (10:30 UTC)"),
                    ==, 1);
  g_assert_cmpuint (count_warnings (warnings, "c.ics:30: 01:30 on 2021-11-07 happens twice in "
                                              "Plumbers Pacific (clocks go back): taken as the "
                                              "first, 01:30 UTC-07:00 (08:30 UTC)"),
                    ==, 1);
  g_assert_cmpuint (count_warnings (warnings, "RFC 5545"), ==, 2);
}

static const char floating_ics[] = ICS_HEAD
    "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:A\r\n"
    "DTSTART:20240203T100000\r\nDTEND:20240203T103000\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:B\r\n"
    "DTSTART:20240331T023000\r\nDTEND:20240331T033000\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static void
test_ics_floating_with_option (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program
      = parse_with (lpc_program_parse_ics, floating_ics, "f.ics", "Europe/Brussels", warnings);

  g_assert_cmpstr (program->timezone, ==, "Europe/Brussels");
  lpc_test_assert_utc (find_title (program, "A")->start, "2024-02-03T09:00:00Z");
  /* In the night Brussels's clocks go forward: CET kept, one warning. */
  lpc_test_assert_utc (find_title (program, "B")->start, "2024-03-31T01:30:00Z");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "f.ics:13: 02:30 on 2024-03-31 does not exist in Europe/Brussels (clocks go "
                   "forward): taken as 03:30 CEST (01:30 UTC), as RFC 5545 says");
}

static void
test_ics_floating_without_option (void)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpcProgram) program
      = parse_with (lpc_program_parse_ics, floating_ics, "f.ics", NULL, warnings);

  g_assert_cmpstr (program->timezone, ==, "UTC");
  lpc_test_assert_utc (find_title (program, "A")->start, "2024-02-03T10:00:00Z");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "f.ics:7: floating times (no TZID, no Z) and no X-WR-TIMEZONE: taken as UTC; "
                   "to give their zone, import with `lpc-agenda import --timezone ZONE f.ics`");
}

static void
test_ics_other_zone_refused (void)
{
  LpcProgramParseOptions options = { .timezone = "America/New_York" };
  const char *wr = ICS_HEAD "X-WR-TIMEZONE:Europe/Berlin\r\n"
      "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:A\r\nDTSTART:20240203T100000\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  const char *tzid = ICS_HEAD
      "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:A\r\nDTSTART;TZID=Europe/Berlin:20240203T100000\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  const char *same = ICS_HEAD "X-WR-TIMEZONE:America/New_York\r\n"
      "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:A\r\nDTSTART;TZID=America/New_York:20240203T100000\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;
  g_autoptr (LpcProgram) same_program = NULL;

  program = lpc_program_parse_ics (wr, strlen (wr), "w.ics", &options, NULL, &error);
  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "w.ics:4: "));
  g_assert_nonnull (strstr (error->message, "Europe/Berlin"));
  g_assert_nonnull (strstr (error->message, "America/New_York"));
  g_clear_error (&error);

  program = lpc_program_parse_ics (tzid, strlen (tzid), "t.ics", &options, NULL, &error);
  g_assert_null (program);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "t.ics:7: "));
  g_assert_nonnull (strstr (error->message, "Europe/Berlin"));
  g_assert_nonnull (strstr (error->message, "America/New_York"));
  g_clear_error (&error);

  /* The zone the file names itself is no conflict. */
  same_program = parse_with (lpc_program_parse_ics, same, "s.ics", "America/New_York", NULL);
  lpc_test_assert_utc (find_title (same_program, "A")->start, "2024-02-03T15:00:00Z");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/local-times/helper", test_helper);
  g_test_add_func ("/local-times/helper-warning", test_helper_warning);
  g_test_add_func ("/local-times/lpc-text/gap", test_lpc_text_gap);
  g_test_add_func ("/local-times/lpc-text/repeat", test_lpc_text_repeat);
  g_test_add_func ("/local-times/lpc-text/timezone-option", test_lpc_text_timezone_option);
  g_test_add_func ("/local-times/frab-xml", test_frab_xml);
  g_test_add_func ("/local-times/ics/iana-zone", test_ics_iana_zone);
  g_test_add_func ("/local-times/ics/own-vtimezone", test_ics_own_vtimezone);
  g_test_add_func ("/local-times/ics/floating-with-option", test_ics_floating_with_option);
  g_test_add_func ("/local-times/ics/floating-without-option", test_ics_floating_without_option);
  g_test_add_func ("/local-times/ics/other-zone-refused", test_ics_other_zone_refused);
  return g_test_run ();
}
