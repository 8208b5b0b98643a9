/* time-format.c: Unix seconds as people and scripts read them. */
#include "time-format.h"

#include <string.h>

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

static guint
julian_day_in_zone (gint64 unix_time, GTimeZone *zone)
{
  g_autoptr (GDateTime) time = date_time_in_zone (unix_time, zone);
  int year, month, day;
  GDate date;

  g_date_time_get_ymd (time, &year, &month, &day);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return g_date_get_julian (&date);
}

int
lpc_format_days_later (gint64 start, gint64 end, GTimeZone *zone)
{
  return (int) julian_day_in_zone (end, zone) - (int) julian_day_in_zone (start, zone);
}

char *
lpc_format_time_range (gint64 start, gint64 end, GTimeZone *zone, const LpcTerm *term)
{
  g_autofree char *from = format_in_zone (start, zone, "%H:%M");
  g_autofree char *to = format_in_zone (end, zone, "%H:%M");
  int days_later = lpc_format_days_later (start, end, zone);

  /* Without the mark, "23:30–00:30" reads as a range running backwards,
   * or as one on the start's day. */
  if (days_later > 0)
    return g_strdup_printf ("%s%s%s +%d", from, lpc_term_dash (term), to, days_later);
  return g_strconcat (from, lpc_term_dash (term), to, NULL);
}

/* "23:00–03:00" on one day; "23:00 – Tue 21 Sep 03:00" with the end's day
 * when it is a later one. */
static char *
time_range_with_end_day (gint64 start, gint64 end, GTimeZone *zone, const LpcTerm *term)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (lpc_format_days_later (start, end, zone) <= 0)
    return lpc_format_time_range (start, end, zone, term);
  from = format_in_zone (start, zone, "%H:%M");
  to = format_in_zone (end, zone, "%a %-d %b %H:%M");
  return g_strdup_printf ("%s %s %s", from, lpc_term_dash (term), to);
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
  g_autofree char *range = time_range_with_end_day (start, end, zone, term);
  g_autofree char *abbreviation = format_in_zone (start, zone, "%Z");
  g_autofree char *conference_day = NULL;
  g_autofree char *conference_range = NULL;
  g_autofree char *conference_abbreviation = NULL;
  g_autofree char *day_key = NULL;
  g_autofree char *conference_day_key = NULL;

  if (conference == NULL || same_wall_clock (start, zone, conference))
    return g_strdup_printf ("%s %s %s", day, range, abbreviation);

  conference_range = time_range_with_end_day (start, end, conference, term);
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

char *
lpc_format_zone_name (GTimeZone *zone)
{
  const char *identifier = g_time_zone_get_identifier (zone);
  const char *zoneinfo_dir = g_getenv ("TZDIR");
  const char *in_dir;
  g_autofree char *path = NULL;

  /* TZ=":Europe/Prague" and TZ=/usr/share/zoneinfo/Europe/Prague name the
   * same zone as TZ=Europe/Prague. */
  if (*identifier == ':')
    identifier++;
  if (*identifier == '/')
    {
      in_dir = strstr (identifier, "/zoneinfo/");
      if (in_dir == NULL)
        return NULL;
      identifier = in_dir + strlen ("/zoneinfo/");
    }
  if (*identifier == '\0' || strstr (identifier, "..") != NULL)
    return NULL;
  /* A POSIX rule such as "JST-9" is no name a person would know the zone
   * by: only a zone of the tz database is. */
  path = g_build_filename (zoneinfo_dir != NULL && *zoneinfo_dir != '\0' ? zoneinfo_dir
                                                                          : "/usr/share/zoneinfo",
                           identifier, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_strdup (identifier);
}

/* "CEST", or "UTC+04:00" where the zone's abbreviation is a bare offset
 * ("+04"). */
static char *
format_abbreviation (gint64 unix_time, GTimeZone *zone)
{
  g_autofree char *abbreviation = format_in_zone (unix_time, zone, "%Z");

  if (*abbreviation == '+' || *abbreviation == '-')
    return format_in_zone (unix_time, zone, "UTC%:z");
  return g_steal_pointer (&abbreviation);
}

char *
lpc_format_zone_hint (GTimeZone *zone, gint64 first, gint64 last)
{
  g_autofree char *name = lpc_format_zone_name (zone);
  g_autofree char *first_abbreviation = format_abbreviation (first, zone);
  g_autofree char *last_abbreviation = format_abbreviation (last, zone);
  g_autofree char *abbreviations
      = strcmp (first_abbreviation, last_abbreviation) == 0
            ? g_strdup (first_abbreviation)
            : g_strdup_printf ("%s/%s", first_abbreviation, last_abbreviation);

  if (name == NULL)
    {
      g_autofree char *offset = format_in_zone (first, zone, "UTC%:z");

      if (strcmp (offset, abbreviations) == 0)
        return g_strdup_printf ("Times in %s", offset);
      return g_strdup_printf ("Times in %s (%s)", abbreviations, offset);
    }
  if (strcmp (name, abbreviations) == 0)
    return g_strdup_printf ("Times in %s", name);
  return g_strdup_printf ("Times in %s (%s)", name, abbreviations);
}

char *
lpc_format_conference_day_heading (gint64 first_shown, GTimeZone *zone, GTimeZone *conference,
                                   const LpcTerm *term)
{
  g_autofree char *day = lpc_format_day_heading (first_shown, conference);
  g_autofree char *conference_key = lpc_format_day_key (first_shown, conference);
  g_autofree char *local_key = lpc_format_day_key (first_shown, zone);
  g_autofree char *local_day = NULL;

  if (strcmp (conference_key, local_key) == 0)
    return g_strdup_printf ("%s (conference day)", day);
  local_day = lpc_format_local_day (first_shown, zone);
  return g_strdup_printf ("%s (conference day) %s %s here", day, lpc_term_dash (term), local_day);
}

char *
lpc_format_local_day (gint64 unix_time, GTimeZone *zone)
{
  return format_in_zone (unix_time, zone, "%a %-d %b");
}
