/* Unit tests of the client's time formatting: ranges that end on a later
 * day, zone names and hints, conference-day headings. Every zone is named
 * here; the machine's (New York in the tests) plays no part. */
#include "time-format.h"

/* 2021-09-20 07:00 PDT (14:00 UTC, 23:00 JST), a Monday. */
#define MON_0700_PDT ((gint64) 1632146400)
#define MINUTE ((gint64) 60)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

static const LpcTerm utf8_term = { .color = FALSE, .width = 0, .utf8 = TRUE };
static const LpcTerm ascii_term = { .color = FALSE, .width = 0, .utf8 = FALSE };

static GTimeZone *
zone_new (const char *identifier)
{
  GTimeZone *zone = g_time_zone_new_identifier (identifier);

  g_assert_nonnull (zone);
  return zone;
}

static void
test_time_range_marks_later_day (void)
{
  g_autoptr (GTimeZone) tokyo = zone_new ("Asia/Tokyo");
  g_autoptr (GTimeZone) la = zone_new ("America/Los_Angeles");
  struct
  {
    GTimeZone *zone;
    gint64 start, end;
    const LpcTerm *term;
    const char *expected;
  } cases[] = {
    /* 07:00–11:00 PDT is 23:00–03:00 JST */
    { la, MON_0700_PDT, MON_0700_PDT + 4 * HOUR, &utf8_term, "07:00–11:00" },
    { tokyo, MON_0700_PDT, MON_0700_PDT + 4 * HOUR, &utf8_term, "23:00–03:00 +1" },
    { tokyo, MON_0700_PDT, MON_0700_PDT + 4 * HOUR, &ascii_term, "23:00-03:00 +1" },
    { tokyo, MON_0700_PDT, MON_0700_PDT + 50 * HOUR, &utf8_term, "23:00–01:00 +3" },
    { tokyo, MON_0700_PDT, MON_0700_PDT + 26 * HOUR, &utf8_term, "23:00–01:00 +2" },
    /* ends at midnight: that is the next day's 00:00 */
    { tokyo, MON_0700_PDT, MON_0700_PDT + HOUR, &utf8_term, "23:00–00:00 +1" },
    { tokyo, MON_0700_PDT, MON_0700_PDT + HOUR - MINUTE, &utf8_term, "23:00–23:59" },
    { tokyo, MON_0700_PDT + HOUR, MON_0700_PDT + 2 * HOUR, &utf8_term, "00:00–01:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *range
          = lpc_format_time_range (cases[i].start, cases[i].end, cases[i].zone, cases[i].term);

      g_assert_cmpstr (range, ==, cases[i].expected);
    }
  g_assert_cmpint (lpc_format_days_later (MON_0700_PDT, MON_0700_PDT + 4 * HOUR, tokyo), ==, 1);
  g_assert_cmpint (lpc_format_days_later (MON_0700_PDT, MON_0700_PDT + 4 * HOUR, la), ==, 0);
  /* across the end of a month and a year */
  g_assert_cmpint (lpc_format_days_later (1640995200 - HOUR, 1640995200 + HOUR, la), ==, 0);
  {
    g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

    g_assert_cmpint (lpc_format_days_later (1640995200 - HOUR, 1640995200 + HOUR, utc), ==, 1);
  }
}

static void
test_when_spells_later_end_day (void)
{
  g_autoptr (GTimeZone) tokyo = zone_new ("Asia/Tokyo");
  g_autoptr (GTimeZone) la = zone_new ("America/Los_Angeles");
  g_autofree char *crossing
      = lpc_format_when (MON_0700_PDT, MON_0700_PDT + 4 * HOUR, tokyo, la, &utf8_term);
  g_autofree char *same_day = lpc_format_when (MON_0700_PDT, MON_0700_PDT + HOUR / 2, la, la,
                                               &utf8_term);

  g_assert_cmpstr (crossing, ==,
                   "Mon 20 Sep 23:00 – Tue 21 Sep 03:00 JST (07:00–11:00 PDT, conference time)");
  g_assert_cmpstr (same_day, ==, "Mon 20 Sep 07:00–07:30 PDT");
}

static void
test_zone_name (void)
{
  struct
  {
    const char *identifier;
    const char *name; /* NULL: none */
  } cases[] = {
    { "Europe/Prague", "Europe/Prague" },
    { ":Europe/Prague", "Europe/Prague" },
    { "/usr/share/zoneinfo/Europe/Prague", "Europe/Prague" },
    { "UTC", "UTC" },
    { "America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires" },
    { "JST-9", NULL },
    { "CET-1CEST,M3.5.0,M10.5.0/3", NULL },
  };

  /* The tz database is where the tests' zones are looked for. */
  g_unsetenv ("TZDIR");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GTimeZone) zone = zone_new (cases[i].identifier);
      g_autofree char *name = lpc_format_zone_name (zone);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_zone_hint (void)
{
  g_autoptr (GTimeZone) prague = zone_new ("Europe/Prague");
  g_autoptr (GTimeZone) utc = zone_new ("UTC");
  g_autoptr (GTimeZone) posix = zone_new ("JST-9");
  g_autoptr (GTimeZone) dubai = zone_new ("Asia/Dubai");
  /* 2021-10-31 is the end of summer time in Europe */
  gint64 october_30 = 1635552000;
  g_autofree char *summer = lpc_format_zone_hint (prague, MON_0700_PDT, MON_0700_PDT + HOUR);
  g_autofree char *change = lpc_format_zone_hint (prague, october_30, october_30 + 2 * DAY);
  g_autofree char *utc_hint = lpc_format_zone_hint (utc, MON_0700_PDT, MON_0700_PDT);
  g_autofree char *posix_hint = lpc_format_zone_hint (posix, MON_0700_PDT, MON_0700_PDT);
  g_autofree char *dubai_hint = lpc_format_zone_hint (dubai, MON_0700_PDT, MON_0700_PDT);

  g_assert_cmpstr (summer, ==, "Times in Europe/Prague (CEST)");
  g_assert_cmpstr (change, ==, "Times in Europe/Prague (CEST/CET)");
  g_assert_cmpstr (utc_hint, ==, "Times in UTC");
  g_assert_cmpstr (posix_hint, ==, "Times in JST (UTC+09:00)");
  /* a zone whose abbreviation is a bare offset ("+04") */
  g_assert_cmpstr (dubai_hint, ==, "Times in Asia/Dubai (UTC+04:00)");
}

static void
test_conference_day_heading (void)
{
  g_autoptr (GTimeZone) la = zone_new ("America/Los_Angeles");
  g_autoptr (GTimeZone) tokyo = zone_new ("Asia/Tokyo");
  g_autoptr (GTimeZone) auckland = zone_new ("Pacific/Auckland");
  g_autofree char *at_home = lpc_format_conference_day_heading (MON_0700_PDT, la, la, &utf8_term);
  /* 23:00 JST: still Monday in Tokyo */
  g_autofree char *tokyo_heading
      = lpc_format_conference_day_heading (MON_0700_PDT, tokyo, la, &utf8_term);
  /* 02:00 NZST: Tuesday in Auckland */
  g_autofree char *auckland_heading
      = lpc_format_conference_day_heading (MON_0700_PDT, auckland, la, &utf8_term);
  /* 01:00 JST Tuesday, still the conference's Monday (09:00 PDT) */
  g_autofree char *tokyo_later
      = lpc_format_conference_day_heading (MON_0700_PDT + 2 * HOUR, tokyo, la, &ascii_term);

  g_assert_cmpstr (at_home, ==, "Monday 20 September 2021 (conference day)");
  g_assert_cmpstr (tokyo_heading, ==, "Monday 20 September 2021 (conference day)");
  g_assert_cmpstr (auckland_heading, ==,
                   "Monday 20 September 2021 (conference day) – Tue 21 Sep here");
  g_assert_cmpstr (tokyo_later, ==, "Monday 20 September 2021 (conference day) - Tue 21 Sep here");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time-format/range-marks-later-day", test_time_range_marks_later_day);
  g_test_add_func ("/time-format/when-spells-later-end-day", test_when_spells_later_end_day);
  g_test_add_func ("/time-format/zone-name", test_zone_name);
  g_test_add_func ("/time-format/zone-hint", test_zone_hint);
  g_test_add_func ("/time-format/conference-day-heading", test_conference_day_heading);
  return g_test_run ();
}
