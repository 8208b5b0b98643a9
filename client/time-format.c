/* time-format.c: Unix seconds as people and scripts read them. */
#include "time-format.h"

static GDateTime *
date_time_in_zone (gint64 unix_time, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);

  /* Out of GDateTime's range (years 1–9999): only a broken record gets here. */
  if (utc == NULL)
    utc = g_date_time_new_from_unix_utc (0);
  return g_date_time_to_timezone (utc, zone);
}

static char *
format_in_zone (gint64 unix_time, GTimeZone *zone, const char *format)
{
  g_autoptr (GDateTime) time = date_time_in_zone (unix_time, zone);

  return g_date_time_format (time, format);
}

char *
lpc_format_rfc3339_utc (gint64 unix_time)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

  return format_in_zone (unix_time, utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
lpc_format_day_heading (gint64 unix_time, GTimeZone *zone)
{
  return format_in_zone (unix_time, zone, "%A %-d %B %Y");
}

char *
lpc_format_day_key (gint64 unix_time, GTimeZone *zone)
{
  return format_in_zone (unix_time, zone, "%Y-%m-%d");
}

char *
lpc_format_time_range (gint64 start, gint64 end, GTimeZone *zone, const LpcTerm *term)
{
  g_autofree char *from = format_in_zone (start, zone, "%H:%M");
  g_autofree char *to = format_in_zone (end, zone, "%H:%M");

  return g_strconcat (from, lpc_term_dash (term), to, NULL);
}

static gboolean
same_wall_clock (gint64 unix_time, GTimeZone *a, GTimeZone *b)
{
  g_autoptr (GDateTime) in_a = date_time_in_zone (unix_time, a);
  g_autoptr (GDateTime) in_b = date_time_in_zone (unix_time, b);

  return g_date_time_get_utc_offset (in_a) == g_date_time_get_utc_offset (in_b);
}

char *
lpc_format_when (gint64 start, gint64 end, GTimeZone *zone, GTimeZone *conference,
                 const LpcTerm *term)
{
  g_autofree char *day = format_in_zone (start, zone, "%a %-d %b");
  g_autofree char *range = lpc_format_time_range (start, end, zone, term);
  g_autofree char *abbreviation = format_in_zone (start, zone, "%Z");
  g_autofree char *conference_day = NULL;
  g_autofree char *conference_range = NULL;
  g_autofree char *conference_abbreviation = NULL;
  g_autofree char *day_key = NULL;
  g_autofree char *conference_day_key = NULL;

  if (conference == NULL || same_wall_clock (start, zone, conference))
    return g_strdup_printf ("%s %s %s", day, range, abbreviation);

  conference_range = lpc_format_time_range (start, end, conference, term);
  conference_abbreviation = format_in_zone (start, conference, "%Z");
  day_key = lpc_format_day_key (start, zone);
  conference_day_key = lpc_format_day_key (start, conference);
  if (g_strcmp0 (day_key, conference_day_key) != 0)
    conference_day = format_in_zone (start, conference, "%a %-d %b ");

  return g_strdup_printf ("%s %s %s (%s%s %s, conference time)", day, range, abbreviation,
                          conference_day != NULL ? conference_day : "", conference_range,
                          conference_abbreviation);
}

char *
lpc_format_short_when (gint64 start, gint64 end, GTimeZone *zone, const LpcTerm *term)
{
  g_autofree char *day = format_in_zone (start, zone, "%a");
  g_autofree char *range = lpc_format_time_range (start, end, zone, term);

  return g_strdup_printf ("%s %s", day, range);
}

char *
lpc_format_instant (gint64 unix_time, GTimeZone *zone)
{
  return format_in_zone (unix_time, zone, "%a %-d %b %Y %H:%M %Z");
}

char *
lpc_format_duration (gint64 seconds)
{
  gint64 minutes = (ABS (seconds) + 59) / 60;
  gint64 days = minutes / (24 * 60);
  gint64 hours = (minutes / 60) % 24;

  minutes %= 60;
  if (days > 0 && hours > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT " h", days,
                            days == 1 ? "day" : "days", hours);
  if (days > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s", days, days == 1 ? "day" : "days");
  if (hours > 0 && minutes > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min", hours, minutes);
  if (hours > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h", hours);
  return g_strdup_printf ("%" G_GINT64_FORMAT " min", minutes);
}
