/* clock.c: real and simulated clocks. */
#include "clock.h"

#include "lpc-error.h"

#include <math.h>
#include <string.h>

struct _LpcClock
{
  gboolean simulated;
  gboolean paused;
  double rate;
  gint64 real_origin_usec;  /* real wall-clock time when the simulated clock started */
  gint64 clock_origin_usec; /* what the simulated clock read then */
};

LpcClock *
lpc_clock_new_real (void)
{
  LpcClock *clock = g_new0 (LpcClock, 1);

  clock->rate = 1.0;
  return clock;
}

LpcClock *
lpc_clock_new_simulated (gint64 start_usec, double rate)
{
  LpcClock *clock = g_new0 (LpcClock, 1);

  g_return_val_if_fail (rate > 0 && isfinite (rate), clock);

  clock->simulated = TRUE;
  clock->rate = rate;
  clock->real_origin_usec = g_get_real_time ();
  clock->clock_origin_usec = start_usec;
  return clock;
}

LpcClock *
lpc_clock_new_simulated_paused (gint64 start_usec, double rate)
{
  LpcClock *clock = lpc_clock_new_simulated (start_usec, rate);

  clock->paused = TRUE;
  return clock;
}

void
lpc_clock_start (LpcClock *clock)
{
  if (!clock->paused)
    return;
  clock->paused = FALSE;
  clock->real_origin_usec = g_get_real_time ();
}

void
lpc_clock_free (LpcClock *clock)
{
  g_free (clock);
}

gboolean
lpc_clock_is_simulated (LpcClock *clock)
{
  return clock->simulated;
}

double
lpc_clock_get_rate (LpcClock *clock)
{
  return clock->rate;
}

gint64
lpc_clock_now_usec (LpcClock *clock)
{
  gint64 real_now = g_get_real_time ();

  if (!clock->simulated)
    return real_now;
  if (clock->paused)
    return clock->clock_origin_usec;
  return clock->clock_origin_usec
         + (gint64) llround ((double) (real_now - clock->real_origin_usec) * clock->rate);
}

gint64
lpc_clock_now (LpcClock *clock)
{
  return lpc_clock_now_usec (clock) / G_USEC_PER_SEC;
}

gint64
lpc_clock_to_real_usec (LpcClock *clock, gint64 clock_usec)
{
  gint64 real_origin;

  if (!clock->simulated)
    return clock_usec;
  /* A paused clock reaches @clock_usec no sooner than if it started now. */
  real_origin = clock->paused ? g_get_real_time () : clock->real_origin_usec;
  /* Round up so a timer armed for this instant never fires before the
   * simulated clock reaches @clock_usec. */
  return real_origin
         + (gint64) ceil ((double) (clock_usec - clock->clock_origin_usec) / clock->rate);
}

gboolean
lpc_clock_parse_instant (const char *text, gint64 *out_usec, GError **error)
{
  g_autoptr (GDateTime) dt = NULL;

  /* With a NULL default zone GLib takes local time for strings without an
   * offset; pass UTC and detect the missing offset ourselves instead. */
  if (text == NULL || *text == '\0')
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT, "empty time, expected e.g. 2021-09-20T06:50:00-07:00");
      return FALSE;
    }
  {
    const char *t = strchr (text, 'T');
    if (t == NULL)
      t = strchr (text, ' ');
    if (t == NULL
        || (strchr (t, 'Z') == NULL && strchr (t, 'z') == NULL && strchr (t, '+') == NULL
            && strchr (t, '-') == NULL))
      {
        g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                     "'%s' is not an instant with a zone: expected e.g. "
                     "2021-09-20T06:50:00-07:00 or 2021-09-20T13:50:00Z",
                     text);
        return FALSE;
      }
  }
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "'%s' is not an ISO 8601 date and time, expected e.g. "
                   "2021-09-20T06:50:00-07:00",
                   text);
      return FALSE;
    }
  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}
