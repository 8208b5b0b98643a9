/* Unit tests of the real and simulated clocks. */
#include "clock.h"
#include "lpc-error.h"

#include <string.h>

static void
test_real_clock_follows_wall_clock (void)
{
  g_autoptr (LpcClock) clock = lpc_clock_new_real ();
  gint64 before = g_get_real_time ();
  gint64 now = lpc_clock_now_usec (clock);
  gint64 after = g_get_real_time ();

  g_assert_false (lpc_clock_is_simulated (clock));
  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, after);
  /* A real clock's instants need no conversion for a CLOCK_REALTIME timer. */
  g_assert_cmpint (lpc_clock_to_real_usec (clock, 1632145800000000), ==, 1632145800000000);
}

static void
test_simulated_clock_starts_at_given_instant (void)
{
  gint64 start = (gint64) 1632145800 * G_USEC_PER_SEC; /* 2021-09-20T06:50:00-07:00 */
  g_autoptr (LpcClock) clock = lpc_clock_new_simulated (start, 60.0);
  gint64 now = lpc_clock_now_usec (clock);

  g_assert_true (lpc_clock_is_simulated (clock));
  g_assert_cmpfloat (lpc_clock_get_rate (clock), ==, 60.0);
  /* Creation and the first reading are microseconds apart, i.e. well under a
   * simulated second at 60x. */
  g_assert_cmpint (now, >=, start);
  g_assert_cmpint (now - start, <, G_USEC_PER_SEC);
  g_assert_cmpint (lpc_clock_now (clock), ==, 1632145800);
}

static void
test_simulated_clock_runs_faster (void)
{
  gint64 start = (gint64) 1632145800 * G_USEC_PER_SEC;
  g_autoptr (LpcClock) clock = lpc_clock_new_simulated (start, 600.0);
  gint64 real_before = g_get_real_time ();
  gint64 sim_before = lpc_clock_now_usec (clock);
  gint64 sim_after, real_after;

  g_usleep (20000);
  sim_after = lpc_clock_now_usec (clock);
  real_after = g_get_real_time ();

  /* At least 20 ms really passed, so at least 12 s simulated; bound from above
   * by the real time measured around it (no wall-clock assumptions). */
  g_assert_cmpint (sim_after - sim_before, >=, 600 * 20000 - 600 * 1000);
  g_assert_cmpint (sim_after - sim_before, <=, 600 * (real_after - real_before) + 600);
}

static void
test_simulated_clock_maps_to_real_instants (void)
{
  gint64 start = (gint64) 1632145800 * G_USEC_PER_SEC;
  g_autoptr (LpcClock) clock = lpc_clock_new_simulated (start, 60.0);
  gint64 due = start + 5 * 60 * G_USEC_PER_SEC; /* 5 simulated minutes later */
  gint64 real_due = lpc_clock_to_real_usec (clock, due);
  gint64 real_now = g_get_real_time ();

  /* 5 simulated minutes at 60x are 5 real seconds from the clock's origin. */
  g_assert_cmpint (real_due - real_now, <=, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (real_due - real_now, >, 4 * G_USEC_PER_SEC);
}

static void
test_paused_clock_stands_until_started (void)
{
  gint64 start = (gint64) 1632145800 * G_USEC_PER_SEC;
  g_autoptr (LpcClock) clock = lpc_clock_new_simulated_paused (start, 600.0);
  gint64 real_before, real_due, sim_after;

  g_assert_true (lpc_clock_is_simulated (clock));
  g_assert_cmpint (lpc_clock_now_usec (clock), ==, start);
  /* 20 ms at 600x would be 12 simulated seconds: a paused clock shows none. */
  g_usleep (20000);
  g_assert_cmpint (lpc_clock_now_usec (clock), ==, start);
  /* While paused, an instant maps to when it would come were the clock started now. */
  real_before = g_get_real_time ();
  real_due = lpc_clock_to_real_usec (clock, start + 600 * G_USEC_PER_SEC);
  g_assert_cmpint (real_due, >=, real_before + G_USEC_PER_SEC);

  real_before = g_get_real_time ();
  lpc_clock_start (clock);
  g_usleep (20000);
  sim_after = lpc_clock_now_usec (clock);
  /* It runs from where it stood, not from its creation. */
  g_assert_cmpint (sim_after - start, >=, 600 * 20000 - 600 * 1000);
  g_assert_cmpint (sim_after - start, <=, 600 * (g_get_real_time () - real_before) + 600);
  /* Starting it again changes nothing. */
  lpc_clock_start (clock);
  g_assert_cmpint (lpc_clock_now_usec (clock), >=, sim_after);
}

static void
test_parse_instant (void)
{
  g_autoptr (GError) error = NULL;
  gint64 usec = 0;

  g_assert_true (lpc_clock_parse_instant ("2021-09-20T06:50:00-07:00", &usec, &error));
  g_assert_no_error (error);
  g_assert_cmpint (usec, ==, (gint64) 1632145800 * G_USEC_PER_SEC);

  g_assert_true (lpc_clock_parse_instant ("2021-09-20T13:50:00Z", &usec, &error));
  g_assert_cmpint (usec, ==, (gint64) 1632145800 * G_USEC_PER_SEC);

  g_assert_true (lpc_clock_parse_instant ("2021-09-20T15:50:00+02:00", &usec, &error));
  g_assert_cmpint (usec, ==, (gint64) 1632145800 * G_USEC_PER_SEC);
}

static void
test_parse_instant_refuses_bad_input (void)
{
  const char *bad[] = {
    "",
    "2021-09-20T06:50:00",  /* no zone: ambiguous */
    "2021-09-20",
    "yesterday",
    "2021-13-40T06:50:00Z",
    "2021-09-20T25:00:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 usec = 42;

      g_assert_false (lpc_clock_parse_instant (bad[i], &usec, &error));
      g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
      g_assert_cmpint (usec, ==, 42);
      if (*bad[i] != '\0')
        g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

/* ---- instants in texts ---- */

/* Monday 2021-09-20 14:45 PDT. */
#define MON_1445 G_GINT64_CONSTANT (1632174300)

static GTimeZone *
zone (const char *identifier)
{
  GTimeZone *tz = g_time_zone_new_identifier (identifier);

  g_assert_nonnull (tz);
  return tz;
}

static void
assert_text (char *text, const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_time_text_styles (void)
{
  g_autoptr (GTimeZone) la = zone ("America/Los_Angeles");
  g_autoptr (GTimeZone) prague = zone ("Europe/Prague");

  assert_text (lpc_time_text (la, MON_1445, LPC_TIME_TEXT_DATE),
               "Mon 20 Sep, 14:45 PDT (America/Los_Angeles)");
  assert_text (lpc_time_text (la, MON_1445, LPC_TIME_TEXT_WEEKDAY),
               "Mon 14:45 PDT (America/Los_Angeles)");
  assert_text (lpc_time_text (la, MON_1445, LPC_TIME_TEXT_CLOCK),
               "14:45 PDT (America/Los_Angeles)");
  /* The same instant where the reader in Prague is: another day. */
  assert_text (lpc_time_text (prague, MON_1445, LPC_TIME_TEXT_DATE),
               "Mon 20 Sep, 23:45 CEST (Europe/Prague)");
  assert_text (lpc_time_text (prague, MON_1445 + 3600, LPC_TIME_TEXT_WEEKDAY),
               "Tue 00:45 CEST (Europe/Prague)");
}

static void
test_time_text_labels (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GTimeZone) posix = zone ("<+0530>-5:30");
  g_autoptr (GTimeZone) kolkata = zone ("Asia/Kolkata");

  /* Not "UTC (UTC)". */
  assert_text (lpc_time_text (utc, MON_1445, LPC_TIME_TEXT_CLOCK), "21:45 UTC");
  /* A POSIX rule names no zone a person knows: its offset instead. */
  assert_text (lpc_time_text_zone_label (posix, MON_1445), "+0530 (UTC+05:30)");
  assert_text (lpc_time_text (posix, MON_1445, LPC_TIME_TEXT_CLOCK), "03:15 +0530 (UTC+05:30)");
  assert_text (lpc_time_text_zone_label (kolkata, MON_1445), "IST (Asia/Kolkata)");
}

static void
test_time_text_spans (void)
{
  g_autoptr (GTimeZone) la = zone ("America/Los_Angeles");
  g_autoptr (GTimeZone) prague = zone ("Europe/Prague");
  g_autoptr (GTimeZone) new_york = zone ("America/New_York");
  /* Sunday 2021-11-07 01:30 EDT, and an hour later 01:30 EST. */
  const gint64 fall_back = G_GINT64_CONSTANT (1636263000);

  /* One day: the day once, one label. */
  assert_text (lpc_time_text_span (la, MON_1445, MON_1445 + 2700, LPC_TIME_TEXT_DATE, "–"),
               "Mon 20 Sep, 14:45–15:30 PDT (America/Los_Angeles)");
  assert_text (lpc_time_text_span (la, MON_1445, MON_1445 + 2700, LPC_TIME_TEXT_CLOCK, " → "),
               "14:45 → 15:30 PDT (America/Los_Angeles)");
  /* Across midnight: both days. */
  assert_text (lpc_time_text_span (prague, MON_1445, MON_1445 + 2700, LPC_TIME_TEXT_DATE, "–"),
               "Mon 20 Sep, 23:45–Tue 21 Sep, 00:30 CEST (Europe/Prague)");
  assert_text (lpc_time_text_span (prague, MON_1445, MON_1445 + 2700, LPC_TIME_TEXT_CLOCK, " → "),
               "Mon 23:45 → Tue 00:30 CEST (Europe/Prague)");
  /* The clocks go back between: each time its own abbreviation. */
  assert_text (
      lpc_time_text_span (new_york, fall_back, fall_back + 3600, LPC_TIME_TEXT_CLOCK, " → "),
      "01:30 EDT → 01:30 EST (America/New_York)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clock/real", test_real_clock_follows_wall_clock);
  g_test_add_func ("/clock/simulated/start", test_simulated_clock_starts_at_given_instant);
  g_test_add_func ("/clock/simulated/rate", test_simulated_clock_runs_faster);
  g_test_add_func ("/clock/simulated/to-real", test_simulated_clock_maps_to_real_instants);
  g_test_add_func ("/clock/simulated/paused", test_paused_clock_stands_until_started);
  g_test_add_func ("/clock/parse-instant", test_parse_instant);
  g_test_add_func ("/clock/parse-instant/bad", test_parse_instant_refuses_bad_input);
  g_test_add_func ("/clock/time-text/styles", test_time_text_styles);
  g_test_add_func ("/clock/time-text/labels", test_time_text_labels);
  g_test_add_func ("/clock/time-text/spans", test_time_text_spans);
  return g_test_run ();
}
