/* test-wall-timer.c: the timerfd-backed wall-clock timer — fires once, not
 * before its instant; disarm; re-arm replaces; simulated clocks through
 * lpc_clock_to_real_usec(). Bounds are generous (a loaded CI machine is
 * slow); what is strict is never firing early and never firing twice. */
#include "clock.h"
#include "wall-timer.h"

/* Long enough for a loaded machine, short enough to stay a unit test. */
#define GUARD_MSEC 1000

typedef struct
{
  GMainLoop *loop;
  guint fired;
  gboolean clock_changed;
  gint64 fired_at; /* real usec */
  LpcClock *clock; /* when set: what it read at the firing */
  gint64 clock_at;
  guint guard; /* the running run_for()'s timeout */
} Fixture;

static void
on_fire (gboolean clock_changed, gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->fired++;
  fixture->clock_changed = clock_changed;
  fixture->fired_at = g_get_real_time ();
  if (fixture->clock != NULL)
    fixture->clock_at = lpc_clock_now_usec (fixture->clock);
  g_main_loop_quit (fixture->loop);
}

static gboolean
on_guard (gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->guard = 0;
  g_main_loop_quit (fixture->loop);
  return G_SOURCE_REMOVE;
}

/* Runs the loop until the timer fires or @msec pass. */
static void
run_for (Fixture *fixture, guint msec)
{
  fixture->guard = g_timeout_add (msec, on_guard, fixture);
  g_main_loop_run (fixture->loop);
  g_clear_handle_id (&fixture->guard, g_source_remove);
}

/* Runs the loop for @msec whatever fires. */
static void
spin_for (Fixture *fixture, guint msec)
{
  gint64 until = g_get_monotonic_time () + msec * 1000;

  while (g_get_monotonic_time () < until)
    run_for (fixture, (guint) MAX ((until - g_get_monotonic_time ()) / 1000, 1));
}

static void
fixture_setup (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_teardown (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_main_loop_unref (fixture->loop);
  g_clear_pointer (&fixture->clock, lpc_clock_free);
}

static LpcWallTimer *
new_timer (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  LpcWallTimer *timer = lpc_wall_timer_new (on_fire, fixture, &error);

  g_assert_no_error (error);
  g_assert_nonnull (timer);
  return timer;
}

static void
test_fires_once (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcWallTimer) timer = new_timer (fixture);
  gint64 deadline = g_get_real_time () + 200 * 1000;

  g_assert_cmpint (lpc_wall_timer_get_deadline (timer), ==, 0);
  lpc_wall_timer_arm (timer, deadline);
  g_assert_cmpint (lpc_wall_timer_get_deadline (timer), ==, deadline);
  run_for (fixture, GUARD_MSEC);
  g_assert_cmpuint (fixture->fired, ==, 1);
  g_assert_false (fixture->clock_changed);
  g_assert_cmpint (fixture->fired_at, >=, deadline);
  g_assert_cmpint (fixture->fired_at, <, deadline + GUARD_MSEC * 1000);
  /* Disarmed by firing: nothing more comes. */
  g_assert_cmpint (lpc_wall_timer_get_deadline (timer), ==, 0);
  spin_for (fixture, 300);
  g_assert_cmpuint (fixture->fired, ==, 1);
}

static void
test_disarm (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcWallTimer) timer = new_timer (fixture);

  lpc_wall_timer_arm (timer, g_get_real_time () + 100 * 1000);
  lpc_wall_timer_disarm (timer);
  g_assert_cmpint (lpc_wall_timer_get_deadline (timer), ==, 0);
  spin_for (fixture, 400);
  g_assert_cmpuint (fixture->fired, ==, 0);
  /* Disarming a disarmed timer is fine. */
  lpc_wall_timer_disarm (timer);
}

static void
test_rearm_replaces (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcWallTimer) timer = new_timer (fixture);
  gint64 now = g_get_real_time ();

  /* Later then sooner: fires once, for the sooner. */
  lpc_wall_timer_arm (timer, now + 600 * 1000);
  lpc_wall_timer_arm (timer, now + 100 * 1000);
  run_for (fixture, GUARD_MSEC);
  g_assert_cmpuint (fixture->fired, ==, 1);
  g_assert_cmpint (fixture->fired_at, >=, now + 100 * 1000);
  spin_for (fixture, 800);
  g_assert_cmpuint (fixture->fired, ==, 1);

  /* Sooner then later: not before the later. */
  fixture->fired = 0;
  now = g_get_real_time ();
  lpc_wall_timer_arm (timer, now + 50 * 1000);
  lpc_wall_timer_arm (timer, now + 300 * 1000);
  run_for (fixture, GUARD_MSEC);
  g_assert_cmpuint (fixture->fired, ==, 1);
  g_assert_cmpint (fixture->fired_at, >=, now + 300 * 1000);
}

static void
test_past_fires_at_once (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcWallTimer) timer = new_timer (fixture);

  lpc_wall_timer_arm (timer, g_get_real_time () - 3600 * (gint64) G_USEC_PER_SEC);
  run_for (fixture, GUARD_MSEC);
  g_assert_cmpuint (fixture->fired, ==, 1);
  g_assert_false (fixture->clock_changed);
}

static void
test_simulated_clock (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcWallTimer) timer = new_timer (fixture);
  /* Monday 2021-09-20 06:50 PDT, 600 times faster: 60 simulated seconds
   * are 0.1 real ones. */
  gint64 start = G_GINT64_CONSTANT (1632145800) * G_USEC_PER_SEC;
  gint64 due = start + 60 * G_USEC_PER_SEC;
  gint64 armed_at;
  gint64 real_due;

  fixture->clock = lpc_clock_new_simulated (start, 600.0);
  armed_at = g_get_real_time ();
  real_due = lpc_clock_to_real_usec (fixture->clock, due);
  g_assert_cmpint (real_due - armed_at, <=, 100 * 1000 + 1);
  lpc_wall_timer_arm (timer, real_due);
  run_for (fixture, GUARD_MSEC);
  g_assert_cmpuint (fixture->fired, ==, 1);
  /* Never before the simulated instant; within the guard's real second,
   * i.e. 600 simulated seconds. */
  g_assert_cmpint (fixture->clock_at, >=, due);
  g_assert_cmpint (fixture->clock_at, <, due + 600 * (gint64) GUARD_MSEC * 1000);
}

static void
test_many_timers (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  /* Each timer holds a file descriptor: creating and freeing many must not
   * leak them. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr (LpcWallTimer) timer = new_timer (fixture);
      lpc_wall_timer_arm (timer, g_get_real_time () + G_USEC_PER_SEC);
    }
  g_assert_cmpuint (fixture->fired, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/wall-timer/fires-once", test_fires_once);
  ADD ("/wall-timer/disarm", test_disarm);
  ADD ("/wall-timer/rearm-replaces", test_rearm_replaces);
  ADD ("/wall-timer/past-fires-at-once", test_past_fires_at_once);
  ADD ("/wall-timer/simulated-clock", test_simulated_clock);
  ADD ("/wall-timer/many-timers", test_many_timers);
#undef ADD
  /* Not tested here: a clock change (ECANCELED through
   * TFD_TIMER_CANCEL_ON_SET). Provoking one means setting the wall clock,
   * which needs CAP_SYS_TIME and must not be done to the machine the tests
   * run on. */

  return g_test_run ();
}
