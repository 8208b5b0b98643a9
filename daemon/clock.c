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

/* ---- instants in texts ---- */

static GDateTime *
in_zone (GTimeZone *zone, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);

  return utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
}

/* An IANA name ("Europe/Prague", "UTC", "EST5EDT") rather than a POSIX TZ
 * rule ("<+0530>-5:30") or a file path, which name no zone a person knows. */
static gboolean
is_zone_name (const char *identifier)
{
  if (identifier == NULL || *identifier == '\0' || *identifier == '/' || *identifier == '.')
    return FALSE;
  for (const char *c = identifier; *c != '\0'; c++)
    {
      if (!g_ascii_isalnum (*c) && strchr ("/_+-", *c) == NULL)
        return FALSE;
    }
  return TRUE;
}

static char *
zone_label (GTimeZone *zone, GDateTime *local)
{
  const char *abbreviation = g_date_time_get_timezone_abbreviation (local);
  const char *identifier = g_time_zone_get_identifier (zone);

  /* GLib keeps the ':' of TZ=":Europe/Prague". */
  if (identifier != NULL && *identifier == ':')
    identifier++;
  if (is_zone_name (identifier))
    {
      if (g_strcmp0 (abbreviation, identifier) == 0)
        return g_strdup (identifier);
      return g_strdup_printf ("%s (%s)", abbreviation, identifier);
    }
  return g_date_time_format (local, "%Z (UTC%:z)");
}

char *
lpc_time_text_zone_label (GTimeZone *zone, gint64 t)
{
  g_autoptr (GDateTime) local = in_zone (zone, t);

  return local != NULL ? zone_label (zone, local) : g_strdup ("");
}

static const char *
style_format (LpcTimeTextStyle style)
{
  switch (style)
    {
    case LPC_TIME_TEXT_CLOCK:
      return "%H:%M";
    case LPC_TIME_TEXT_WEEKDAY:
      return "%a %H:%M";
    case LPC_TIME_TEXT_DATE:
      return "%a %-d %b, %H:%M";
    default:
      g_assert_not_reached ();
    }
}

char *
lpc_time_text (GTimeZone *zone, gint64 t, LpcTimeTextStyle style)
{
  g_autoptr (GDateTime) local = in_zone (zone, t);
  g_autofree char *time = NULL;
  g_autofree char *label = NULL;

  if (local == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT " (Unix time)", t);
  time = g_date_time_format (local, style_format (style));
  label = zone_label (zone, local);
  return g_strdup_printf ("%s %s", time, label);
}

char *
lpc_time_text_span (GTimeZone *zone, gint64 from, gint64 to, LpcTimeTextStyle style,
                    const char *separator)
{
  g_autoptr (GDateTime) a = in_zone (zone, from);
  g_autoptr (GDateTime) b = in_zone (zone, to);
  g_autofree char *a_text = NULL;
  g_autofree char *b_text = NULL;
  g_autofree char *label = NULL;
  gboolean same_day;

  if (a == NULL || b == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT "%s%" G_GINT64_FORMAT " (Unix time)", from,
                            separator, to);
  same_day = g_date_time_get_year (a) == g_date_time_get_year (b)
             && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
  if (!same_day && style == LPC_TIME_TEXT_CLOCK)
    style = LPC_TIME_TEXT_WEEKDAY;
  a_text = g_date_time_format (a, style_format (style));
  b_text = g_date_time_format (b, style_format (same_day ? LPC_TIME_TEXT_CLOCK : style));
  label = zone_label (zone, b);
  if (g_strcmp0 (g_date_time_get_timezone_abbreviation (a),
                 g_date_time_get_timezone_abbreviation (b))
      != 0)
    return g_strdup_printf ("%s %s%s%s %s", a_text, g_date_time_get_timezone_abbreviation (a),
                            separator, b_text, label);
  return g_strdup_printf ("%s%s%s %s", a_text, separator, b_text, label);
}
