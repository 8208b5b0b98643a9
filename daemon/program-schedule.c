/* program-schedule.c: the second pass shared by the frab schedule readers:
 * see program-schedule.h. */
#include "program-schedule.h"

#include "lpc-error.h"

#include <stdlib.h>
#include <string.h>

static void
day_free (LpcScheduleDay *day)
{
  g_free (day->where);
  g_free (day->key);
  g_free (day);
}

static void
event_free (LpcScheduleEvent *event)
{
  /* Its strings are in LpcSchedule.strings. */
  g_free (event->where);
  g_ptr_array_unref (event->persons);
  g_free (event);
}

const LpcScheduleTextField lpc_schedule_text_fields[] = {
  { "date", G_STRUCT_OFFSET (LpcScheduleEvent, date), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "start", G_STRUCT_OFFSET (LpcScheduleEvent, start), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "duration", G_STRUCT_OFFSET (LpcScheduleEvent, duration), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "room", G_STRUCT_OFFSET (LpcScheduleEvent, room), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "title", G_STRUCT_OFFSET (LpcScheduleEvent, title), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "subtitle", G_STRUCT_OFFSET (LpcScheduleEvent, subtitle), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "track", G_STRUCT_OFFSET (LpcScheduleEvent, track), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "type", G_STRUCT_OFFSET (LpcScheduleEvent, type), LPC_PROGRAM_MAX_SHORT_FIELD },
  { "abstract", G_STRUCT_OFFSET (LpcScheduleEvent, abstract), LPC_PROGRAM_MAX_LONG_FIELD },
  { "description", G_STRUCT_OFFSET (LpcScheduleEvent, description), LPC_PROGRAM_MAX_LONG_FIELD },
};
const guint lpc_schedule_n_text_fields = G_N_ELEMENTS (lpc_schedule_text_fields);

void
lpc_schedule_init (LpcSchedule *schedule, LpcScheduleSyntax syntax, const char *filename,
                   const LpcProgramParseOptions *options, GPtrArray *warnings)
{
  memset (schedule, 0, sizeof *schedule);
  schedule->syntax = syntax;
  schedule->filename = filename;
  schedule->options = options;
  schedule->warnings = warnings;
  schedule->strings = g_string_chunk_new (64 * 1024);
  schedule->days = g_ptr_array_new_with_free_func ((GDestroyNotify) day_free);
  schedule->events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
}

void
lpc_schedule_clear (LpcSchedule *schedule)
{
  g_clear_pointer (&schedule->days, g_ptr_array_unref);
  g_clear_pointer (&schedule->events, g_ptr_array_unref);
  g_clear_pointer (&schedule->tz, g_time_zone_unref);
  g_clear_pointer (&schedule->zone_name, g_free);
  g_clear_pointer (&schedule->strings, g_string_chunk_free);
}

char *
lpc_schedule_intern (LpcSchedule *schedule, const char *text)
{
  return text != NULL ? g_string_chunk_insert (schedule->strings, text) : NULL;
}

LpcScheduleDay *
lpc_schedule_add_day (LpcSchedule *schedule, guint line)
{
  LpcScheduleDay *day = g_new0 (LpcScheduleDay, 1);

  day->line = line;
  g_ptr_array_add (schedule->days, day);
  return day;
}

LpcScheduleEvent *
lpc_schedule_add_event (LpcSchedule *schedule, guint line, const char *where, GError **error)
{
  LpcScheduleEvent *event;

  if (schedule->events->len >= LPC_PROGRAM_MAX_ENTRIES)
    {
      lpc_schedule_error (schedule, line, where, error,
                          "more than %d events: too many for a program", LPC_PROGRAM_MAX_ENTRIES);
      return NULL;
    }
  event = g_new0 (LpcScheduleEvent, 1);
  event->line = line;
  event->where = g_strdup (where);
  event->day = schedule->days->len > 0 ? schedule->days->len - 1 : 0;
  event->persons = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (schedule->events, event);
  return event;
}

static char *
location (const LpcSchedule *schedule, guint line, const char *where)
{
  if (where == NULL)
    return g_strdup_printf ("%s:%u", schedule->filename, MAX (line, 1));
  if (line == 0)
    return g_strdup_printf ("%s: %s", schedule->filename, where);
  return g_strdup_printf ("%s:%u: %s", schedule->filename, line, where);
}

gboolean
lpc_schedule_error (const LpcSchedule *schedule, guint line, const char *where, GError **error,
                    const char *format, ...)
{
  g_autofree char *what = NULL;
  g_autofree char *at = location (schedule, line, where);
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID, "%s: %s", at, what);
  return FALSE;
}

G_GNUC_PRINTF (4, 5)
static void
schedule_warning (const LpcSchedule *schedule, guint line, const char *where, const char *format,
                  ...)
{
  g_autofree char *what = NULL;
  g_autofree char *at = NULL;
  va_list args;

  if (schedule->warnings == NULL)
    return;
  at = location (schedule, line, where);
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (schedule->warnings, g_strdup_printf ("%s: %s", at, what));
}

/* A field's name as the file spells it: "<duration>" or "\"duration\"". */
static const char *
name_of (const LpcSchedule *p, const char *xml, const char *json)
{
  return p->syntax == LPC_SCHEDULE_XML ? xml : json;
}

/* Where an event's field is: its own line in XML, the event in JSON. */
#define FIELD_AT(event, field) ((field).line != 0 ? (field).line : (event)->line), (event)->where

/* ---- the second pass: times ---- */

/* "HH:MM" or "HH:MM:SS", in seconds after midnight. */
static gboolean
parse_clock (const char *text, int *out_seconds)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  int h, m, sec = 0;
  gsize len = strlen (s);

  if (len != 5 && len != 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if ((i % 3 == 2) ? s[i] != ':' : !g_ascii_isdigit (s[i]))
        return FALSE;
    }
  h = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[3] - '0') * 10 + (s[4] - '0');
  if (len == 8)
    sec = (s[6] - '0') * 10 + (s[7] - '0');
  if (h > 23 || m > 59 || sec > 59)
    return FALSE;
  *out_seconds = h * 3600 + m * 60 + sec;
  return TRUE;
}

/* "HH:MM" (hours may be one or more digits), "D:HH:MM" (pretalx: a one-digit
 * day count) or "HH:MM:SS" (a two-digit first part), in seconds. */
static gboolean
parse_duration (const char *text, gint64 *out_seconds)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  gint64 values[3] = { 0 };
  gsize lens[3] = { 0 };
  guint n = 0;
  const char *p = s;

  /* Two or three parts of digits between ':'s, read in place: g_strsplit()
   * cost more than the rest of the event's times. */
  for (;;)
    {
      if (n == 3)
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (++lens[n] > 3)
            return FALSE;
          values[n] = values[n] * 10 + (*p - '0');
        }
      n++;
      if (*p == '\0')
        break;
      if (*p != ':')
        return FALSE;
      p++;
    }
  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (lens[i] == 0 || (i > 0 && lens[i] != 2))
        return FALSE;
    }
  if (n == 2)
    {
      if (values[1] > 59)
        return FALSE;
      *out_seconds = values[0] * 3600 + values[1] * 60;
      return TRUE;
    }
  if (values[1] > 59 || values[2] > 59)
    {
      if (lens[0] != 1 || values[1] > 23 || values[2] > 59)
        return FALSE;
    }
  if (lens[0] == 1)
    {
      if (values[1] > 23)
        return FALSE;
      *out_seconds = values[0] * 86400 + values[1] * 3600 + values[2] * 60;
    }
  else
    {
      *out_seconds = values[0] * 3600 + values[1] * 60 + values[2];
    }
  return TRUE;
}

/* A fixed zone for an offset, as GLib names it: "+01:00", or "UTC". */
static char *
zone_name_for_offset (gint64 offset_seconds)
{
  gint64 minutes = ABS (offset_seconds) / 60;

  if (offset_seconds == 0)
    return g_strdup ("UTC");
  return g_strdup_printf ("%c%02d:%02d", offset_seconds < 0 ? '-' : '+', (int) (minutes / 60),
                          (int) (minutes % 60));
}

/* The offset a program that names no zone is shown in: its first written
 * one. */
static char *
guess_zone (LpcSchedule *p, guint *out_line, const char **out_where, const char **out_from)
{
  for (guint i = 0; i < p->events->len; i++)
    {
      const LpcScheduleEvent *event = g_ptr_array_index (p->events, i);
      g_autofree char *text = NULL;
      g_autoptr (GDateTime) dt = NULL;

      if (event->date.text == NULL)
        continue;
      text = g_strstrip (g_strdup (event->date.text));
      dt = g_date_time_new_from_iso8601 (text, NULL);
      if (dt != NULL)
        {
          *out_line = event->date.line != 0 ? event->date.line : event->line;
          *out_where = event->where;
          *out_from = name_of (p, "<date>", "event \"date\"");
          return zone_name_for_offset (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND);
        }
    }
  for (guint i = 0; i < p->days->len; i++)
    {
      const LpcScheduleDay *day = g_ptr_array_index (p->days, i);
      g_autoptr (GDateTime) dt = NULL;

      if (day->start_attr == NULL)
        continue;
      dt = g_date_time_new_from_iso8601 (day->start_attr, NULL);
      if (dt != NULL)
        {
          *out_line = day->line;
          *out_where = day->where;
          *out_from = name_of (p, "<day start>", "day \"day_start\"");
          return zone_name_for_offset (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND);
        }
    }
  return NULL;
}

/* The tz database's zone whose city (the last part of its name, '_' as a
 * space) is @city, in any case; NULL when none is. @cities maps folded city
 * names to zone names; it is read on first use. */
static const char *
zone_of_city (GHashTable **cities, const char *city)
{
  g_autofree char *folded = NULL;

  if (*cities == NULL)
    {
      static const char *const tables[] = { "zone.tab", "zone1970.tab" };
      const char *dir = g_getenv ("TZDIR");

      *cities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (dir == NULL || *dir == '\0')
        dir = "/usr/share/zoneinfo";
      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        {
          g_autofree char *path = g_build_filename (dir, tables[t], NULL);
          g_autofree char *contents = NULL;
          g_auto (GStrv) lines = NULL;

          if (!g_file_get_contents (path, &contents, NULL, NULL))
            continue;
          lines = g_strsplit (contents, "\n", -1);
          for (guint i = 0; lines[i] != NULL; i++)
            {
              g_auto (GStrv) columns = NULL;
              const char *slash;
              g_autofree char *name = NULL;

              if (lines[i][0] == '#' || lines[i][0] == '\0')
                continue;
              columns = g_strsplit (lines[i], "\t", 4);
              if (g_strv_length (columns) < 3 || strchr (columns[2], '/') == NULL)
                continue;
              slash = strrchr (columns[2], '/');
              name = g_strdelimit (g_utf8_casefold (slash + 1, -1), "_", ' ');
              if (!g_hash_table_contains (*cities, name))
                g_hash_table_insert (*cities, g_steal_pointer (&name), g_strdup (columns[2]));
            }
        }
    }
  folded = g_utf8_casefold (city, -1);
  return g_hash_table_lookup (*cities, g_strstrip (folded));
}

/* The zone of the conference's city or venue, and which of the two named it
 * ("<city>"), or NULL. */
static const char *
zone_from_city (LpcSchedule *p, GHashTable **cities, const LpcScheduleField **out_field)
{
  const LpcScheduleField *fields[] = { &p->city, &p->venue };

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_autofree char *text = lpc_program_text_one_line (fields[f]->text);
      g_auto (GStrv) parts = g_strsplit (text, ",", 8);
      const char *zone = NULL;

      if (*text == '\0')
        continue;
      zone = zone_of_city (cities, text);
      for (guint i = 0; zone == NULL && parts[i] != NULL; i++)
        zone = zone_of_city (cities, parts[i]);
      if (zone != NULL)
        {
          *out_field = fields[f];
          return zone;
        }
    }
  return NULL;
}

static gboolean
set_zone (LpcSchedule *p, const char *name, GError **error)
{
  p->tz = lpc_program_zone_new (name);
  if (p->tz == NULL)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_FAILED,
                   "%s: the time zone %s is not known on this system", p->filename, name);
      return FALSE;
    }
  p->zone_name = g_strdup (name);
  return TRUE;
}

static gboolean
resolve_zone (LpcSchedule *p, GError **error)
{
  const char *option = p->options != NULL ? p->options->timezone : NULL;
  g_autoptr (GHashTable) cities = NULL;
  const LpcScheduleField *city_field = NULL;
  const char *city_zone;
  const char *from = NULL, *where = NULL;
  guint line = 1;
  g_autofree char *guess = NULL;

  if (option != NULL)
    {
      g_autoptr (GTimeZone) tz = lpc_program_zone_new (option);

      if (tz == NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "%s: unknown time zone '%s' given for it (expected an IANA name like "
                       "Europe/Brussels)",
                       p->filename, option);
          return FALSE;
        }
    }

  if (p->time_zone_name.text != NULL)
    {
      g_autofree char *name = lpc_program_text_one_line (p->time_zone_name.text);

      p->tz = lpc_program_zone_new (name);
      if (p->tz == NULL)
        return lpc_schedule_error (p, p->time_zone_name.line, NULL, error,
                                   "unknown time zone '%s' in %s (expected an IANA name like "
                                   "Europe/Brussels)",
                                   name, name_of (p, "<time_zone_name>", "\"time_zone_name\""));
      if (option != NULL && strcmp (option, name) != 0)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
                       "%s: the file's time zone is %s, but %s was given for it: leave out "
                       "--timezone, or give %s",
                       p->filename, name, option, name);
          return FALSE;
        }
      p->zone_name = g_steal_pointer (&name);
      return TRUE;
    }

  if (option != NULL)
    return set_zone (p, option, error);

  city_zone = zone_from_city (p, &cities, &city_field);
  if (city_zone != NULL)
    {
      g_autofree char *city = lpc_program_text_one_line (city_field->text);

      if (!set_zone (p, city_zone, error))
        return FALSE;
      schedule_warning (p, city_field->line, NULL,
                        "no %s: the time zone %s was taken from the city '%s'; if that is "
                        "wrong: lpc-agenda import --timezone ZONE %s",
                        name_of (p, "<time_zone_name>", "\"time_zone_name\""), city_zone, city,
                        p->filename);
      return TRUE;
    }

  guess = guess_zone (p, &line, &where, &from);
  if (guess != NULL)
    schedule_warning (p, line, where,
                      "no %s: local times are shown at UTC%s, the offset of the first %s; "
                      "to give the conference's zone: lpc-agenda import --timezone ZONE %s",
                      name_of (p, "<time_zone_name>", "\"time_zone_name\""),
                      strcmp (guess, "UTC") == 0 ? "" : guess, from, p->filename);
  else
    {
      guess = g_strdup ("UTC");
      schedule_warning (p, 1, NULL,
                        "no %s and no UTC offset anywhere: times are taken as UTC; to give "
                        "the conference's zone: lpc-agenda import --timezone ZONE %s",
                        name_of (p, "<time_zone_name>", "\"time_zone_name\""), p->filename);
    }
  return set_zone (p, guess, error);
}

/* "2024-02-03" exactly. */
static gboolean
parse_date (const char *text, GDate *out)
{
  int y, m, d;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }
  y = atoi (text);
  m = atoi (text + 5);
  d = atoi (text + 8);
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static gboolean
parse_iso (LpcSchedule *p, const char *text, gint64 *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (s, p->tz);

  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
resolve_days (LpcSchedule *p, GError **error)
{
  for (guint i = 0; i < p->days->len; i++)
    {
      LpcScheduleDay *day = g_ptr_array_index (p->days, i);
      gint64 end = 0;

      if (day->date_attr != NULL)
        {
          day->has_date = parse_date (day->date_attr, &day->date);
          if (!day->has_date)
            return lpc_schedule_error (
                p, day->line, day->where, error, "bad %s'%s'%s (expected YYYY-MM-DD)",
                name_of (p, "<day date=", "\"date\" "), day->date_attr, name_of (p, ">", ""));
        }
      if (day->start_attr != NULL)
        {
          day->has_start = parse_iso (p, day->start_attr, &day->start);
          if (!day->has_start)
            return lpc_schedule_error (
                p, day->line, day->where, error,
                "bad %s'%s'%s (expected ISO 8601 like 2024-02-03T09:00:00+01:00)",
                name_of (p, "<day start=", "\"day_start\" "), day->start_attr,
                name_of (p, ">", ""));
        }
      if (day->end_attr != NULL)
        {
          if (!parse_iso (p, day->end_attr, &end))
            return lpc_schedule_error (
                p, day->line, day->where, error,
                "bad %s'%s'%s (expected ISO 8601 like 2024-02-04T03:00:00+01:00)",
                name_of (p, "<day end=", "\"day_end\" "), day->end_attr, name_of (p, ">", ""));
          if (day->has_start && end < day->start)
            return lpc_schedule_error (p, day->line, day->where, error,
                                       "the day ends (%s) before it starts (%s)", day->end_attr,
                                       day->start_attr);
        }
      /* A day with only a start has its date in the program's zone. */
      if (!day->has_date && day->has_start)
        {
          g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (day->start);
          g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, p->tz);

          g_date_clear (&day->date, 1);
          g_date_set_dmy (&day->date, (GDateDay) g_date_time_get_day_of_month (local),
                          (GDateMonth) g_date_time_get_month (local),
                          (GDateYear) g_date_time_get_year (local));
          day->has_date = TRUE;
        }
      if (day->has_date)
        day->key = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&day->date),
                                    g_date_get_month (&day->date), g_date_get_day (&day->date));
      else
        day->key = g_strdup_printf ("day-%u", i + 1);
    }
  return TRUE;
}

/* The UTC offset written in an ISO 8601 date-time ("…+01:00", "…Z"), in
 * seconds; FALSE when it has none (a local time in the program's zone). */
static gboolean
written_offset (const char *iso, gint64 instant, gint *out_offset)
{
  const char *time = strpbrk (iso, "Tt ");
  g_autoptr (GDateTime) fixed = NULL;

  if (time == NULL || strpbrk (time, "Zz+-") == NULL)
    return FALSE;
  /* Parsed with its own offset, whatever the default zone. */
  fixed = g_date_time_new_from_iso8601 (iso, NULL);
  if (fixed == NULL || g_date_time_to_unix (fixed) != instant)
    return FALSE;
  *out_offset = (gint) (g_date_time_get_utc_offset (fixed) / G_TIME_SPAN_SECOND);
  return TRUE;
}

static gboolean
event_start (LpcSchedule *p, const LpcScheduleEvent *event, const char *title, gint64 *out,
             GError **error)
{
  const LpcScheduleDay *day = g_ptr_array_index (p->days, event->day);
  LpcLocalTime time;
  int seconds;

  if (event->date.text != NULL)
    {
      if (!parse_iso (p, event->date.text, out))
        return lpc_schedule_error (p, FIELD_AT (event, event->date), error,
                                   "bad %s '%s' of '%s' (expected ISO 8601 like "
                                   "2024-02-03T10:30:00+01:00)",
                                   name_of (p, "<date>", "\"date\""), g_strstrip (event->date.text),
                                   title);
      return TRUE;
    }
  if (event->start.text == NULL)
    return lpc_schedule_error (p, event->line, event->where, error, "'%s' has neither %s nor %s",
                               title, name_of (p, "<date>", "\"date\""),
                               name_of (p, "<start>", "\"start\""));
  if (!parse_clock (event->start.text, &seconds))
    return lpc_schedule_error (
        p, FIELD_AT (event, event->start), error, "bad %s '%s' of '%s' (expected HH:MM)",
        name_of (p, "<start>", "\"start\""), g_strstrip (event->start.text), title);
  if (!day->has_date)
    {
      if (p->syntax == LPC_SCHEDULE_XML)
        return lpc_schedule_error (p, event->line, event->where, error,
                                   "'%s' has no <date>, and its <day> (line %u) no date", title,
                                   day->line);
      return lpc_schedule_error (p, event->line, event->where, error,
                                 "'%s' has no \"date\", and its day no \"date\"", title);
    }
  if (!lpc_program_local_time (p->tz, &day->date, seconds, 0, &time))
    return lpc_schedule_error (p, FIELD_AT (event, event->start), error,
                               "cannot place '%s' on %s", title, day->key);
  /* A frab day runs past midnight: 01:00 in a day that starts at 10:00 is
   * the next morning. */
  if (day->has_start && time.instant < day->start
      && !lpc_program_local_time (p->tz, &day->date, seconds, 1, &time))
    return lpc_schedule_error (p, FIELD_AT (event, event->start), error,
                               "cannot place '%s' after %s", title, day->key);
  lpc_program_warn_local_time (p->warnings, p->filename,
                               event->start.line != 0 ? event->start.line : MAX (event->line, 1),
                               p->zone_name, p->tz, &time);
  *out = time.instant;
  return TRUE;
}

/* "frab|guid|…", "frab|id|…" or "frab|title|…|START"; see the header.
 * @next_n is lpc_program_unique_identity()'s: counting "|N" from 2 for every
 * event again took time quadratic in the events of one title and start (a
 * minute for 10,000 untitled-alike breaks). */
static gboolean
event_identity (LpcSchedule *p, const LpcScheduleEvent *event, const LpcEntry *entry,
                GHashTable *seen, GHashTable *next_n, char **out, GError **error)
{
  g_autofree char *identity = NULL;

  if (event->guid != NULL)
    identity = g_strconcat ("frab|guid|", event->guid, NULL);
  else if (event->id != NULL)
    identity = g_strconcat ("frab|id|", event->id, NULL);

  if (identity != NULL)
    {
      const LpcScheduleEvent *other = g_hash_table_lookup (seen, identity);

      if (other != NULL)
        {
          g_autofree char *first = other->where != NULL
                                       ? g_strdup_printf ("at %s", other->where)
                                       : g_strdup_printf ("on line %u", other->line);

          return lpc_schedule_error (p, event->line, event->where, error,
                                     "event %s '%s' is used again (first %s)",
                                     event->guid != NULL ? "guid" : "id",
                                     event->guid != NULL ? event->guid : event->id, first);
        }
      g_hash_table_insert (seen, g_strdup (identity), (gpointer) event);
      *out = g_steal_pointer (&identity);
      return TRUE;
    }

  identity = lpc_program_unique_identity (
      g_strdup_printf ("frab|title|%s|%" G_GINT64_FORMAT, entry->title, entry->start), seen,
      next_n);
  g_hash_table_insert (seen, g_strdup (identity), (gpointer) event);
  *out = g_steal_pointer (&identity);
  return TRUE;
}

static char *
event_abstract (const LpcScheduleEvent *event)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *abstract = lpc_program_text_from_markup (event->abstract.text);
  g_autofree char *description = lpc_program_text_from_markup (event->description.text);
  g_autofree char *subtitle = lpc_program_text_one_line (event->subtitle.text);
  const char *parts[] = { subtitle, abstract, description };

  /* pretalx repeats the abstract when there is no description, and some
   * descriptions begin with it. */
  if (*abstract != '\0' && g_str_has_prefix (description, abstract))
    *abstract = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, "\n\n");
      g_string_append (out, parts[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_break_type (const char *type)
{
  g_autofree char *t = lpc_program_text_one_line (type);
  return g_ascii_strcasecmp (t, "break") == 0;
}

static LpcEntry *
make_entry (LpcSchedule *p, const LpcScheduleEvent *event, GHashTable *identities,
            GHashTable *next_n, GError **error)
{
  g_autoptr (LpcEntry) entry = lpc_entry_new ();
  g_autofree char *track = NULL;
  gint64 duration;

  entry->source_line = event->line;
  entry->title = lpc_program_text_one_line (event->title.text);
  if (*entry->title == '\0')
    {
      lpc_schedule_error (p, event->line, event->where, error, "an event without %s",
                          name_of (p, "<title>", "\"title\""));
      return NULL;
    }
  entry->kind = event->type.text != NULL && is_break_type (event->type.text) ? LPC_ENTRY_BREAK
                                                                             : LPC_ENTRY_TALK;

  if (!event_start (p, event, entry->title, &entry->start, error))
    return NULL;
  if (event->duration.text == NULL)
    {
      lpc_schedule_error (p, event->line, event->where, error, "'%s' has no %s", entry->title,
                          name_of (p, "<duration>", "\"duration\""));
      return NULL;
    }
  if (!parse_duration (event->duration.text, &duration))
    {
      lpc_schedule_error (p, FIELD_AT (event, event->duration), error,
                          "bad %s '%s' of '%s' (expected HH:MM or D:HH:MM)",
                          name_of (p, "<duration>", "\"duration\""),
                          g_strstrip (event->duration.text), entry->title);
      return NULL;
    }
  if (duration > LPC_PROGRAM_MAX_DURATION)
    {
      lpc_schedule_error (p, FIELD_AT (event, event->duration), error,
                          "'%s' lasts %s, longer than a week", entry->title,
                          g_strstrip (event->duration.text));
      return NULL;
    }
  entry->end = entry->start + duration;

  entry->room = lpc_program_text_one_line (event->room.text);
  if (*entry->room == '\0')
    {
      g_free (entry->room);
      entry->room = g_strdup (event->room_name != NULL ? event->room_name : "");
    }
  if (*entry->room == '\0')
    {
      lpc_schedule_error (p, event->line, event->where, error, "'%s' has no room (%s)",
                          entry->title,
                          name_of (p, "neither <room> nor <room name>", "no \"room\""));
      return NULL;
    }

  track = lpc_program_text_one_line (event->track.text);
  entry->track = *track != '\0' ? g_steal_pointer (&track) : NULL;

  g_strfreev (entry->speakers);
  entry->speakers = g_new0 (char *, event->persons->len + 1);
  for (guint i = 0; i < event->persons->len; i++)
    entry->speakers[i] = g_strdup (g_ptr_array_index (event->persons, i));

  g_free (entry->abstract);
  entry->abstract = event_abstract (event);

  if (!event_identity (p, event, entry, identities, next_n, &entry->identity, error))
    return NULL;
  return g_steal_pointer (&entry);
}

/* ---- blocks ---- */

typedef struct
{
  const LpcScheduleDay *day;
  const char *room;
  guint line;
  GPtrArray *entries; /* LpcEntry*, owned */
} Group;

static void
group_free (Group *group)
{
  g_ptr_array_unref (group->entries);
  g_free (group);
}

static int
compare_entries (gconstpointer pa, gconstpointer pb)
{
  const LpcEntry *a = *(LpcEntry *const *) pa, *b = *(LpcEntry *const *) pb;

  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  if (a->end != b->end)
    return a->end < b->end ? -1 : 1;
  return a->source_line < b->source_line ? -1 : a->source_line > b->source_line;
}

/* The block of a room's day: named after the track its events share, else
 * after the room. */
static LpcEntry *
make_block (const Group *group)
{
  LpcEntry *block = lpc_entry_new ();
  const char *shared_track = NULL;

  for (guint i = 0; i < group->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (group->entries, i);

      if (i == 0)
        shared_track = entry->track;
      else if (g_strcmp0 (shared_track, entry->track) != 0)
        shared_track = NULL;
      block->start = i == 0 ? entry->start : MIN (block->start, entry->start);
      block->end = i == 0 ? entry->end : MAX (block->end, entry->end);
    }
  block->kind = LPC_ENTRY_SESSION;
  block->title = g_strdup (shared_track != NULL ? shared_track : group->room);
  block->track = g_strdup (block->title);
  block->room = g_strdup (group->room);
  block->source_line = group->line;
  block->identity = g_strconcat ("frab|block|", group->day->key, "|", group->room, NULL);
  return block;
}

typedef struct
{
  guint count;
  const LpcScheduleEvent *first;
  const char *first_title; /* the entry's, which outlives the check */
} OffsetMismatches;

/* An event whose written offset is not the program zone's at its instant:
 * the instant is kept, and counted for one warning per file. */
static void
count_offset_mismatch (LpcSchedule *p, const LpcScheduleEvent *event, const LpcEntry *entry,
                       OffsetMismatches *mismatches)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  gint offset;

  if (event->date.text == NULL || !written_offset (event->date.text, entry->start, &offset))
    return;
  utc = g_date_time_new_from_unix_utc (entry->start);
  local = utc != NULL ? g_date_time_to_timezone (utc, p->tz) : NULL;
  if (local == NULL || g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND == offset)
    return;
  if (mismatches->count++ == 0)
    {
      mismatches->first = event;
      mismatches->first_title = entry->title;
    }
}

static gboolean
build_program (LpcSchedule *p, LpcProgram *program, GError **error)
{
  OffsetMismatches mismatches = { 0 };
  g_autoptr (GHashTable) identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) next_n = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);

  for (guint i = 0; i < p->events->len; i++)
    {
      const LpcScheduleEvent *event = g_ptr_array_index (p->events, i);
      const LpcScheduleDay *day = g_ptr_array_index (p->days, event->day);
      LpcEntry *entry;

      if (!lpc_program_check_cancelled (p->options, p->filename, event->line, error))
        return FALSE;
      entry = make_entry (p, event, identities, next_n, error);
      g_autofree char *key = NULL;
      Group *group;

      if (entry == NULL)
        return FALSE;
      count_offset_mismatch (p, event, entry, &mismatches);
      key = g_strconcat (day->key, "\n", entry->room, NULL);
      group = g_hash_table_lookup (groups, key);
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->day = day;
          group->line = event->room_line;
          group->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_entry_free);
          g_ptr_array_add (order, group);
          g_hash_table_insert (groups, g_steal_pointer (&key), group);
        }
      g_ptr_array_add (group->entries, entry);
      group->room = entry->room;
    }

  for (guint g = 0; g < order->len; g++)
    {
      Group *group = g_ptr_array_index (order, g);
      LpcEntry *block;

      g_ptr_array_sort (group->entries, compare_entries);
      block = make_block (group);
      g_ptr_array_add (program->entries, block);
      /* The program owns them from here. */
      g_ptr_array_set_free_func (group->entries, NULL);
      for (guint i = 0; i < group->entries->len; i++)
        {
          LpcEntry *entry = g_ptr_array_index (group->entries, i);
          if (entry->track == NULL)
            entry->track = g_strdup (block->title);
          g_ptr_array_add (program->entries, entry);
        }
    }

  if (mismatches.count > 0)
    {
      const LpcScheduleEvent *first = mismatches.first;

      schedule_warning (
          p, first->date.line != 0 ? first->date.line : first->line, first->where,
          "%u event%s written with a UTC offset that is not %s's at that time, the first "
          "'%s' at %s: the written time%s kept as given",
          mismatches.count, mismatches.count == 1 ? " is" : "s are", p->zone_name,
          mismatches.first_title, first->date.text, mismatches.count == 1 ? " is" : "s are");
    }
  lpc_program_assign_ids_keeping_identities (program);
  return TRUE;
}

LpcProgram *
lpc_schedule_build (LpcSchedule *p, const char *data, gsize len, GError **error)
{
  g_autoptr (LpcProgram) program = NULL;
  g_autofree char *name = NULL;

  if (!resolve_zone (p, error) || !resolve_days (p, error))
    return NULL;

  name = lpc_program_text_one_line (p->conference_title.text);
  if (*name == '\0')
    {
      g_free (name);
      name = lpc_program_text_one_line (p->acronym.text);
    }
  if (*name == '\0')
    {
      g_free (name);
      name = g_path_get_basename (p->filename);
    }
  program = lpc_program_new (name, p->zone_name);
  if (!build_program (p, program, error))
    return NULL;
  g_free (program->source_hash);
  program->source_hash = lpc_content_hash (data, len);
  return g_steal_pointer (&program);
}
