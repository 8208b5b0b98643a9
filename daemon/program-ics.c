/* program-ics.c: the importer for iCalendar programs. See the header for the
 * mapping.
 *
 * libical parses, expands recurrences and converts times in the file's own
 * VTIMEZONEs; but it keeps no line numbers and is lenient where a program
 * must not be (it reads "DTSTART:20241303T250000" as given, and drops a
 * value it cannot parse with only an X-LIC-ERROR left behind). So the text
 * is first scanned here: the nesting of BEGIN/END is checked, and each
 * VEVENT's lines are kept with their numbers, to pair with libical's n-th
 * VEVENT for messages and to notice a property libical dropped. */
#include "program-ics.h"

#include "calendar-export.h"
#include "lpc-error.h"
#include "program-file.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

/* One logical (unfolded) content line. */
typedef struct
{
  guint line;  /* of its first physical line */
  char *name;  /* uppercased, up to the first ';' or ':' */
  char *value; /* after the first ':' outside double quotes, still escaped */
} ContentLine;

/* A VEVENT as the scan saw it: its own lines, not those of its VALARMs. */
typedef struct
{
  guint line;
  GPtrArray *lines; /* ContentLine* */
} ScannedEvent;

/* Where the program's zone, the one of floating times, comes from. */
typedef enum
{
  ZONE_FROM_X_WR_TIMEZONE,
  ZONE_FROM_OPTIONS,
  ZONE_FROM_TZID,    /* the first VTIMEZONE or DTSTART TZID that is an IANA zone */
  ZONE_GUESSED_UTC,  /* the file names none */
} ZoneSource;

typedef struct
{
  const char *filename;
  GPtrArray *warnings;
  const LpcProgramParseOptions *options; /* may be NULL */
  const char *option_zone; /* the options' timezone, or NULL */
  ZoneSource zone_source;
  gboolean floating_noted;    /* the warning about floating times is given */
  GHashTable *option_checked; /* TZIDs found to be the options' zone */
  GPtrArray *calendar_lines; /* ContentLine*: the VCALENDAR's own properties */
  GPtrArray *events;         /* ScannedEvent* */
  icalcomponent *root;
  icalcomponent *calendar;
  GTimeZone *tz;
  char *zone_name;
  GHashTable *zones;          /* TZID -> GTimeZone* (NULL value: not an IANA zone) */
  GHashTable *overrides;      /* "UID\nT" of each RECURRENCE-ID override */
  GHashTable *identities;     /* identity -> ScannedEvent* */
  GHashTable *next_n;         /* "ics|title|…|START" -> the "|N" to try next */
  GPtrArray *entries;         /* LpcEntry*, owned until moved to the program */
  GHashTable *series;         /* LpcEntry* -> UID of its recurring series */
} Ics;

static void
content_line_free (ContentLine *line)
{
  g_free (line->name);
  g_free (line->value);
  g_free (line);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ContentLine, content_line_free)

static void
scanned_event_free (ScannedEvent *event)
{
  g_ptr_array_unref (event->lines);
  g_free (event);
}

static void
ics_clear (Ics *p)
{
  g_clear_pointer (&p->calendar_lines, g_ptr_array_unref);
  g_clear_pointer (&p->events, g_ptr_array_unref);
  g_clear_pointer (&p->root, icalcomponent_free);
  g_clear_pointer (&p->tz, g_time_zone_unref);
  g_clear_pointer (&p->zone_name, g_free);
  g_clear_pointer (&p->zones, g_hash_table_unref);
  g_clear_pointer (&p->option_checked, g_hash_table_unref);
  g_clear_pointer (&p->overrides, g_hash_table_unref);
  g_clear_pointer (&p->identities, g_hash_table_unref);
  g_clear_pointer (&p->next_n, g_hash_table_unref);
  g_clear_pointer (&p->entries, g_ptr_array_unref);
  g_clear_pointer (&p->series, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ics, ics_clear)

/* The zones table remembers "not an IANA zone" as NULL. */
static void
zone_unref_nullable (gpointer tz)
{
  if (tz != NULL)
    g_time_zone_unref (tz);
}

/* ---- the scan ---- */

static ContentLine *
content_line_new (guint lineno, const char *text, gsize len)
{
  ContentLine *line = g_new0 (ContentLine, 1);
  gsize name_end = 0;
  gboolean quoted = FALSE;

  while (name_end < len && text[name_end] != ';' && text[name_end] != ':')
    name_end++;
  line->line = lineno;
  line->name = g_ascii_strup (text, (gssize) name_end);
  /* value stays NULL when there is no ':' outside the parameters' quotes */
  for (gsize i = name_end; i < len; i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (text[i] == ':' && !quoted)
        {
          line->value = g_strndup (text + i + 1, len - i - 1);
          break;
        }
    }
  return line;
}

static const ContentLine *
find_line (GPtrArray *lines, const char *name)
{
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const ContentLine *line = g_ptr_array_index (lines, i);
      if (strcmp (line->name, name) == 0)
        return line;
    }
  return NULL;
}

/* TEXT values escape ',', ';', '\' and line ends with '\'. */
static char *
unescape_text (const char *value)
{
  GString *out = g_string_sized_new (strlen (value));

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, (*p == 'n' || *p == 'N') ? '\n' : *p);
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Walks the unfolded lines: checks that the file is one VCALENDAR whose
 * BEGIN/END nest properly, and keeps the calendar's and each VEVENT's own
 * lines. */
static gboolean
scan_lines (Ics *p, const char *data, gsize len, GError **error)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new_with_free_func (g_free); /* component names */
  g_autoptr (GArray) stack_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GString) logical = g_string_new (NULL);
  ScannedEvent *event = NULL;
  gboolean seen_calendar = FALSE;
  guint logical_line = 0, lineno = 0;
  gsize pos = lpc_program_bom_length (data, len);

  for (;;)
    {
      const char *start = data + pos;
      const char *nl = pos < len ? memchr (start, '\n', len - pos) : NULL;
      gsize raw_len = pos < len ? (nl != NULL ? (gsize) (nl - start) : len - pos) : 0;
      gboolean at_end = pos >= len;
      g_autoptr (ContentLine) line = NULL;

      if (!at_end)
        {
          pos += raw_len + (nl != NULL ? 1 : 0);
          lineno++;
          if (raw_len > 0 && start[raw_len - 1] == '\r')
            raw_len--;
          if (lineno % 1024 == 0
              && !lpc_program_check_cancelled (p->options, p->filename, lineno, error))
            return FALSE;
          /* A line that starts with a space or tab continues the one before. */
          if (raw_len > 0 && (start[0] == ' ' || start[0] == '\t') && logical_line > 0)
            {
              if (logical->len + raw_len - 1 > LPC_ICS_MAX_LINE)
                return lpc_program_set_line_error (error, p->filename, logical_line,
                                                   "a line of more than %d bytes (unfolded)",
                                                   LPC_ICS_MAX_LINE);
              g_string_append_len (logical, start + 1, (gssize) raw_len - 1);
              continue;
            }
          /* Before libical sees the text: its parser slows down with the
           * square of a line's length. */
          if (raw_len > LPC_ICS_MAX_LINE)
            return lpc_program_set_line_error (error, p->filename, lineno,
                                               "a line of more than %d bytes", LPC_ICS_MAX_LINE);
        }

      /* The line before is complete. */
      if (logical_line > 0 && logical->len > 0)
        line = content_line_new (logical_line, logical->str, logical->len);
      g_string_assign (logical, "");
      logical_line = 0;
      if (!at_end)
        {
          g_string_append_len (logical, start, (gssize) raw_len);
          logical_line = lineno;
        }

      if (line != NULL)
        {
          const char *top = stack->len > 0 ? g_ptr_array_index (stack, stack->len - 1) : NULL;

          if (!seen_calendar
              && (strcmp (line->name, "BEGIN") != 0 || line->value == NULL
                  || g_ascii_strcasecmp (line->value, "VCALENDAR") != 0))
            return lpc_program_set_line_error (error, p->filename, line->line,
                                               "not an iCalendar file: it does not begin "
                                               "with BEGIN:VCALENDAR");
          if (line->value == NULL)
            {
              /* 40 bytes may end inside a character: the message must stay
               * UTF-8 for D-Bus. */
              g_autofree char *shown = g_utf8_make_valid (line->name, MIN (strlen (line->name), 40));

              return lpc_program_set_line_error (error, p->filename, line->line,
                                                 "not a content line (NAME:value): '%s'", shown);
            }
          if (strcmp (line->name, "BEGIN") == 0)
            {
              char *component = g_ascii_strup (line->value, -1);

              if (top == NULL && seen_calendar)
                {
                  g_free (component);
                  return lpc_program_set_line_error (error, p->filename, line->line,
                                                     "a second VCALENDAR: one calendar per "
                                                     "file");
                }
              if (strcmp (component, "VEVENT") == 0 && g_strcmp0 (top, "VCALENDAR") != 0)
                {
                  lpc_program_set_line_error (error, p->filename, line->line,
                                              "BEGIN:VEVENT inside %s (line %u): a VEVENT "
                                              "belongs directly in the VCALENDAR",
                                              top, g_array_index (stack_lines, guint,
                                                                  stack_lines->len - 1));
                  g_free (component);
                  return FALSE;
                }
              if (strcmp (component, "VEVENT") == 0)
                {
                  if (p->events->len >= LPC_PROGRAM_MAX_ENTRIES)
                    {
                      g_free (component);
                      return lpc_program_set_line_error (error, p->filename, line->line,
                                                         "more than %d events: too many for "
                                                         "a program",
                                                         LPC_PROGRAM_MAX_ENTRIES);
                    }
                  event = g_new0 (ScannedEvent, 1);
                  event->line = line->line;
                  event->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) content_line_free);
                  g_ptr_array_add (p->events, event);
                }
              seen_calendar = TRUE;
              g_ptr_array_add (stack, component);
              g_array_append_val (stack_lines, line->line);
              continue;
            }
          if (strcmp (line->name, "END") == 0)
            {
              if (top == NULL || g_ascii_strcasecmp (line->value, top) != 0)
                return lpc_program_set_line_error (
                    error, p->filename, line->line, "END:%s does not close %s%s%s", line->value,
                    top != NULL ? "BEGIN:" : "", top != NULL ? top : "anything",
                    top != NULL ? " (its BEGIN is higher up)" : "");
              if (strcmp (top, "VEVENT") == 0)
                event = NULL;
              g_ptr_array_remove_index (stack, stack->len - 1);
              g_array_remove_index (stack_lines, stack_lines->len - 1);
              continue;
            }
          if (top == NULL)
            return lpc_program_set_line_error (error, p->filename, line->line,
                                               "'%s' after END:VCALENDAR", line->name);
          if (event != NULL && strcmp (top, "VEVENT") == 0)
            g_ptr_array_add (event->lines, g_steal_pointer (&line));
          else if (strcmp (top, "VCALENDAR") == 0)
            g_ptr_array_add (p->calendar_lines, g_steal_pointer (&line));
        }

      if (at_end)
        break;
    }

  if (stack->len > 0)
    return lpc_program_set_line_error (error, p->filename,
                                       g_array_index (stack_lines, guint, stack_lines->len - 1),
                                       "BEGIN:%s is never closed: the file is truncated",
                                       (const char *) g_ptr_array_index (stack, stack->len - 1));
  if (!seen_calendar)
    return lpc_program_set_line_error (error, p->filename, 1,
                                       "no BEGIN:VCALENDAR: not an iCalendar file");
  return TRUE;
}

/* ---- messages ---- */

typedef struct
{
  const ScannedEvent *scanned;
  const char *summary;
  const char *uid;
} EventRef;

/* At most 60 characters of @text on one line, for a message: a SUMMARY's
 * "\n" escapes are line breaks once libical has read it, and a warning or an
 * error is one line. */
static char *
shortened (const char *text)
{
  g_autofree char *line = lpc_program_text_one_line (text);

  if (g_utf8_strlen (line, 61) <= 60)
    return g_steal_pointer (&line);
  {
    g_autofree char *start = g_utf8_substring (line, 0, 59);
    return g_strconcat (start, "\u2026", NULL);
  }
}

/* "FILE:LINE: what, in event 'SUMMARY' (UID x)", LINE being that of
 * @property when the event has one, else the event's BEGIN. */
G_GNUC_PRINTF (5, 6)
static gboolean
event_error (Ics *p, const EventRef *ref, const char *property, GError **error,
             const char *format, ...)
{
  const ContentLine *line = property != NULL ? find_line (ref->scanned->lines, property) : NULL;
  g_autofree char *what = NULL;
  va_list args;

  g_autofree char *summary = shortened (ref->summary);
  g_autofree char *uid = shortened (ref->uid != NULL ? ref->uid : "none");

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  lpc_program_set_line_error (error, p->filename, line != NULL ? line->line : ref->scanned->line,
                              "%s, in event '%s' (UID %s)", what, summary, uid);
  /* Said here, not left to the other file's function: callers return this
   * straight away, and the analysers must see that it is always FALSE. */
  return FALSE;
}

G_GNUC_PRINTF (3, 4)
static void
event_warning (Ics *p, const EventRef *ref, const char *format, ...)
{
  g_autofree char *what = NULL;
  g_autofree char *summary = shortened (ref->summary);
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  lpc_program_add_warning (p->warnings, p->filename, ref->scanned->line, "event '%s': %s",
                           summary, what);
}

/* ---- zones and times ---- */

/* The IANA zone @tzid names, or ends in: "/mozilla.org/20050126_1/Europe/Berlin"
 * or "/freeassociation.sourceforge.net/Europe/Berlin" are Europe/Berlin. */
static char *
iana_name_of (const char *tzid, GTimeZone **out_tz)
{
  g_autofree char *name = g_strstrip (g_strdup (tzid));
  const char *candidate = name;

  while (candidate != NULL && *candidate != '\0')
    {
      GTimeZone *tz = lpc_program_zone_new (candidate);

      if (tz != NULL)
        {
          if (out_tz != NULL)
            *out_tz = tz;
          else
            g_time_zone_unref (tz);
          return g_strdup (candidate);
        }
      candidate = strchr (candidate, '/');
      if (candidate != NULL)
        candidate++;
    }
  return NULL;
}

/* The GLib zone of @tzid, cached; NULL when it is no IANA zone. */
static GTimeZone *
glib_zone_of (Ics *p, const char *tzid)
{
  GTimeZone *tz = NULL;

  if (g_hash_table_lookup_extended (p->zones, tzid, NULL, (gpointer *) &tz))
    return tz;
  /* Only the zone is wanted here, not its name. */
  g_free (iana_name_of (tzid, &tz));
  g_hash_table_insert (p->zones, g_strdup (tzid), tz);
  return tz;
}

static gboolean
time_is_valid (struct icaltimetype t)
{
  if (t.year < 1900 || t.year > 2999 || t.month < 1 || t.month > 12 || t.day < 1
      || t.day > icaltime_days_in_month (t.month, t.year))
    return FALSE;
  return t.is_date || (t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60
                       && t.second >= 0 && t.second < 61);
}

/* @t's wall-clock time as Unix time as if it were UTC (@t is valid). */
static gint64
wall_of (struct icaltimetype t)
{
  g_autoptr (GDateTime) dt
      = g_date_time_new_utc (t.year, t.month, t.day, t.hour, t.minute, MIN (t.second, 59));
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

/* FALSE for a date or time of day that exists nowhere: only from libical's
 * expansion of a rule, as time_is_valid() checked the file's own times. */
static gboolean
local_time_in (GTimeZone *tz, struct icaltimetype t, LpcLocalTime *out)
{
  GDate date;

  if (!g_date_valid_dmy ((GDateDay) t.day, (GDateMonth) t.month, (GDateYear) t.year))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) t.day, (GDateMonth) t.month, (GDateYear) t.year);
  return lpc_program_local_time (tz, &date, t.hour * 3600 + t.minute * 60 + MIN (t.second, 59),
                                 0, out);
}

/* A VTIMEZONE of the file's own (not an IANA zone): its offset at @instant. */
static gint32
ical_zone_offset_at (gint64 instant, gpointer zone)
{
  struct icaltimetype utc
      = icaltime_from_timet_with_zone ((time_t) instant, 0, icaltimezone_get_utc_timezone ());
  int is_daylight = 0;

  return icaltimezone_get_utc_offset_of_utc_time (zone, &utc, &is_daylight);
}

/* The line of @ref's @property, or of the event. */
static guint
property_line (const EventRef *ref, const char *property)
{
  const ContentLine *line = find_line (ref->scanned->lines, property);

  return line != NULL ? line->line : ref->scanned->line;
}

/* A floating time is read in the program's zone; when the file did not say
 * which that is (X-WR-TIMEZONE) nor the user (the timezone option), once,
 * the zone taken and how to give another. */
static void
note_floating_time (Ics *p, const EventRef *ref, const char *property)
{
  if (p->floating_noted || p->zone_source == ZONE_FROM_X_WR_TIMEZONE
      || p->zone_source == ZONE_FROM_OPTIONS)
    return;
  p->floating_noted = TRUE;
  if (p->zone_source == ZONE_GUESSED_UTC)
    lpc_program_add_warning (p->warnings, p->filename, property_line (ref, property),
                             "floating times (no TZID, no Z) and no X-WR-TIMEZONE: taken as "
                             "UTC; to give their zone, import with `lpc-agenda import "
                             "--timezone ZONE %s`",
                             p->filename);
  else
    lpc_program_add_warning (p->warnings, p->filename, property_line (ref, property),
                             "floating times (no TZID, no Z) and no X-WR-TIMEZONE: taken as %s, "
                             "the zone of the file's other times",
                             p->zone_name);
}

/* With a timezone option, every TZID must be that zone: a file that names
 * its zone is read in it, and one that names another is refused rather
 * than read in either. */
static gboolean
check_tzid_against_option (Ics *p, const EventRef *ref, const char *property, const char *tzid,
                           GError **error)
{
  g_autofree char *name = NULL;

  if (p->option_zone == NULL || g_hash_table_contains (p->option_checked, tzid))
    return TRUE;
  name = iana_name_of (tzid, NULL);
  if (g_strcmp0 (name, p->option_zone) != 0)
    return event_error (p, ref, property, error,
                        "%s is in %s (TZID=%s), not in %s as the timezone option says: a "
                        "file that names its zone is read in it (import it without the "
                        "option)",
                        property, name != NULL ? name : tzid, tzid, p->option_zone);
  g_hash_table_add (p->option_checked, g_strdup (tzid));
  return TRUE;
}

/* @t's Unix time: UTC, in its TZID (@tzid may be NULL), or floating in the
 * program's zone. A local time that a daylight-saving change skips or
 * repeats is resolved as RFC 5545 says, and warned about for the times that
 * place an entry (DTSTART, DTEND). */
static gboolean
unix_time_of (Ics *p, const EventRef *ref, const char *property, struct icaltimetype t,
              const char *tzid, gint64 *out, GError **error)
{
  LpcLocalTime time;
  GTimeZone *tz;
  const char *zone_name;

  if (icaltime_is_utc (t))
    {
      *out = wall_of (t);
      return TRUE;
    }
  if (tzid == NULL)
    {
      note_floating_time (p, ref, property);
      tz = p->tz;
      zone_name = p->zone_name;
      if (!local_time_in (tz, t, &time))
        return event_error (p, ref, property, error, "%s is no time of any day", property);
    }
  else
    {
      icaltimezone *file_zone;

      if (!check_tzid_against_option (p, ref, property, tzid, error))
        return FALSE;
      tz = glib_zone_of (p, tzid);
      zone_name = tzid;
      if (tz != NULL)
        {
          if (!local_time_in (tz, t, &time))
            return event_error (p, ref, property, error, "%s is no time of any day", property);
        }
      else if ((file_zone = icalcomponent_get_timezone (p->calendar, tzid)) != NULL)
        lpc_program_resolve_wall_time (wall_of (t), ical_zone_offset_at, file_zone, &time);
      else
        return event_error (p, ref, property, error,
                            "unknown time zone TZID=%s in %s (no IANA zone of that name, and "
                            "no VTIMEZONE for it in the file)",
                            tzid, property);
    }
  if (strcmp (property, "DTSTART") == 0 || strcmp (property, "DTEND") == 0)
    lpc_program_warn_local_time (p->warnings, p->filename, property_line (ref, property),
                                 zone_name, tz, &time);
  *out = time.instant;
  return TRUE;
}

static char *
tzid_of (icalproperty *prop)
{
  char *raw = icalproperty_get_parameter_as_string_r (prop, "TZID");
  char *copy = raw != NULL ? g_strdup (raw) : NULL;

  free (raw);
  return copy;
}

/* A DTSTART, DTEND, RECURRENCE-ID or EXDATE: checked (libical reads "month
 * 13" as given), then as Unix time. */
static gboolean
property_time (Ics *p, const EventRef *ref, icalproperty *prop, const char *property,
               struct icaltimetype t, gint64 *out, GError **error)
{
  g_autofree char *tzid = tzid_of (prop);
  const ContentLine *line = find_line (ref->scanned->lines, property);

  if (icaltime_is_null_time (t) || !time_is_valid (t))
    return event_error (p, ref, property, error, "bad %s '%s' (expected 20240203T103000, "
                        "with Z for UTC or a TZID)",
                        property, line != NULL ? line->value : "");
  return unix_time_of (p, ref, property, t, tzid, out, error);
}

static gboolean
resolve_calendar_zone (Ics *p, GError **error)
{
  const ContentLine *wr_zone = find_line (p->calendar_lines, "X-WR-TIMEZONE");
  icalcomponent *vtimezone;

  if (wr_zone != NULL)
    {
      g_autofree char *value = unescape_text (wr_zone->value);

      p->zone_name = iana_name_of (value, &p->tz);
      p->zone_source = ZONE_FROM_X_WR_TIMEZONE;
      if (p->zone_name == NULL)
        return lpc_program_set_line_error (error, p->filename, wr_zone->line,
                                           "unknown time zone '%s' in X-WR-TIMEZONE (expected "
                                           "an IANA name like Europe/Brussels)",
                                           value);
      if (p->option_zone != NULL && strcmp (p->zone_name, p->option_zone) != 0)
        return lpc_program_set_line_error (error, p->filename, wr_zone->line,
                                           "the file's zone is %s (X-WR-TIMEZONE), not %s as the "
                                           "timezone option says: a file that names its zone "
                                           "is read in it (import it without the option)",
                                           p->zone_name, p->option_zone);
      return TRUE;
    }
  if (p->option_zone != NULL)
    {
      p->tz = lpc_program_zone_new (p->option_zone);
      if (p->tz == NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "%s: unknown time zone '%s' in the timezone option", p->filename,
                       p->option_zone);
          return FALSE;
        }
      p->zone_name = g_strdup (p->option_zone);
      p->zone_source = ZONE_FROM_OPTIONS;
      return TRUE;
    }

  p->zone_source = ZONE_FROM_TZID;
  for (vtimezone = icalcomponent_get_first_component (p->calendar, ICAL_VTIMEZONE_COMPONENT);
       vtimezone != NULL && p->zone_name == NULL;
       vtimezone = icalcomponent_get_next_component (p->calendar, ICAL_VTIMEZONE_COMPONENT))
    {
      icalproperty *tzid = icalcomponent_get_first_property (vtimezone, ICAL_TZID_PROPERTY);
      if (tzid != NULL && icalproperty_get_tzid (tzid) != NULL)
        p->zone_name = iana_name_of (icalproperty_get_tzid (tzid), &p->tz);
    }
  if (p->zone_name == NULL)
    {
      /* The first DTSTART with a TZID, through libical's parameters. */
      for (icalcomponent *vevent = icalcomponent_get_first_component (p->calendar,
                                                                       ICAL_VEVENT_COMPONENT);
           vevent != NULL && p->zone_name == NULL;
           vevent = icalcomponent_get_next_component (p->calendar, ICAL_VEVENT_COMPONENT))
        {
          icalproperty *dtstart = icalcomponent_get_first_property (vevent, ICAL_DTSTART_PROPERTY);
          g_autofree char *tzid = dtstart != NULL ? tzid_of (dtstart) : NULL;

          if (tzid != NULL)
            p->zone_name = iana_name_of (tzid, &p->tz);
        }
    }
  if (p->zone_name == NULL)
    {
      /* Said at the end, unless a floating time said more (see
       * note_floating_time()). */
      p->zone_source = ZONE_GUESSED_UTC;
      p->zone_name = g_strdup ("UTC");
      p->tz = g_time_zone_new_utc ();
    }
  return TRUE;
}

/* ---- events ---- */

static gboolean
check_size (Ics *p, const EventRef *ref, const char *property, const char *value, gsize max,
            GError **error)
{
  if (value != NULL && strlen (value) > max)
    return event_error (p, ref, property, error, "%s is longer than %" G_GSIZE_FORMAT " bytes",
                        property, max);
  return TRUE;
}

static char *
first_category (icalcomponent *vevent)
{
  icalproperty *prop = icalcomponent_get_first_property (vevent, ICAL_CATEGORIES_PROPERTY);
  const char *value = prop != NULL ? icalproperty_get_categories (prop) : NULL;
  g_auto (GStrv) parts = NULL;

  if (value == NULL)
    return NULL;
  parts = g_strsplit (value, ",", 2);
  return parts[0] != NULL ? lpc_program_text_one_line (parts[0]) : NULL;
}

static void
add_person (GPtrArray *people, const char *name)
{
  g_autofree char *clean = lpc_program_text_one_line (name);

  if (*clean == '\0')
    return;
  for (guint i = 0; i < people->len; i++)
    {
      if (strcmp (g_ptr_array_index (people, i), clean) == 0)
        return;
    }
  g_ptr_array_add (people, g_steal_pointer (&clean));
}

static gboolean
collect_speakers (Ics *p, const EventRef *ref, icalcomponent *vevent, GStrv *out,
                  GError **error)
{
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func (g_free);
  icalproperty *prop;

  for (prop = icalcomponent_get_first_property (vevent, ICAL_ATTENDEE_PROPERTY); prop != NULL;
       prop = icalcomponent_get_next_property (vevent, ICAL_ATTENDEE_PROPERTY))
    {
      icalparameter *role = icalproperty_get_first_parameter (prop, ICAL_ROLE_PARAMETER);
      char *cn;

      if (role != NULL && icalparameter_get_role (role) == ICAL_ROLE_NONPARTICIPANT)
        continue;
      cn = icalproperty_get_parameter_as_string_r (prop, "CN");
      if (cn != NULL && strlen (cn) <= LPC_PROGRAM_MAX_SHORT_FIELD && people->len < 100)
        add_person (people, cn);
      free (cn);
    }
  if (people->len == 0)
    {
      prop = icalcomponent_get_first_property (vevent, ICAL_ORGANIZER_PROPERTY);
      if (prop != NULL)
        {
          char *cn = icalproperty_get_parameter_as_string_r (prop, "CN");
          if (cn != NULL && strlen (cn) <= LPC_PROGRAM_MAX_SHORT_FIELD)
            add_person (people, cn);
          free (cn);
        }
    }
  g_ptr_array_add (people, NULL);
  *out = (GStrv) g_ptr_array_free (g_steal_pointer (&people), FALSE);
  return TRUE;
}

/* A property libical dropped (its X-LIC-ERROR says why) that the text has. */
static gboolean
check_dropped (Ics *p, const EventRef *ref, icalcomponent *vevent, icalproperty_kind kind,
               const char *property, GError **error)
{
  const ContentLine *line = find_line (ref->scanned->lines, property);

  if (line != NULL && icalcomponent_get_first_property (vevent, kind) == NULL)
    return event_error (p, ref, property, error, "bad %s '%s'", property, line->value);
  return TRUE;
}

static gboolean
check_single (Ics *p, const EventRef *ref, icalcomponent *vevent, icalproperty_kind kind,
              const char *property, GError **error)
{
  if (icalcomponent_count_properties (vevent, kind) > 1)
    return event_error (p, ref, property, error, "more than one %s", property);
  return TRUE;
}

static char *
identity_for (Ics *p, const char *uid, const char *title, gint64 start, gboolean occurrence,
              gint64 original_start)
{
  if (uid != NULL)
    return occurrence
               ? g_strdup_printf ("ics|%s|%" G_GINT64_FORMAT, uid, original_start)
               : g_strdup_printf ("ics|%s", uid);
  return lpc_program_unique_identity (
      g_strdup_printf ("ics|title|%s|%" G_GINT64_FORMAT, title, start), p->identities, p->next_n);
}

/* Adds an entry like @template starting at @start, under @identity; a
 * repeated identity (two events of one UID) is an error. */
static gboolean
add_entry (Ics *p, const EventRef *ref, const LpcEntry *template, gint64 start,
           gint64 duration, char *identity, const char *series_uid, GError **error)
{
  const ScannedEvent *other = g_hash_table_lookup (p->identities, identity);
  LpcEntry *entry;

  if (other != NULL)
    {
      g_free (identity);
      return event_error (p, ref, "UID", error,
                          "UID used again (first by the event on line %u), and this is no "
                          "RECURRENCE-ID of it",
                          other->line);
    }
  if (p->entries->len >= LPC_PROGRAM_MAX_ENTRIES)
    {
      g_free (identity);
      return event_error (p, ref, NULL, error, "more than %d entries: too many for a program",
                          LPC_PROGRAM_MAX_ENTRIES);
    }
  entry = lpc_entry_copy (template);
  entry->start = start;
  entry->end = start + duration;
  entry->identity = identity;
  g_hash_table_insert (p->identities, entry->identity, (gpointer) ref->scanned);
  g_ptr_array_add (p->entries, entry);
  if (series_uid != NULL)
    g_hash_table_insert (p->series, entry, (gpointer) series_uid);
  return TRUE;
}

static char *
override_key (const char *uid, gint64 original_start)
{
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT, uid, original_start);
}

/* The occurrences of @vevent's RRULE, EXDATEs and overrides left out, each
 * an entry. */
/* libical stops every search in this year: a search bound past it is no
 * cut. */
#define MAX_SEARCH_YEAR 2582

/* DTSTART plus LPC_ICS_MAX_RULE_STEPS steps of the rule's FREQ×INTERVAL,
 * at most MAX_SEARCH_YEAR + 1. */
static struct icaltimetype
rule_search_end (const struct icalrecurrencetype *rule, struct icaltimetype dtstart)
{
  static const gint64 year_seconds = 366 * 86400;
  gint64 step, span;
  struct icaltimetype end = dtstart;

  switch (rule->freq)
    {
    case ICAL_SECONDLY_RECURRENCE:
      step = 1;
      break;
    case ICAL_MINUTELY_RECURRENCE:
      step = 60;
      break;
    case ICAL_HOURLY_RECURRENCE:
      step = 3600;
      break;
    case ICAL_DAILY_RECURRENCE:
      step = 86400;
      break;
    case ICAL_WEEKLY_RECURRENCE:
      step = 7 * 86400;
      break;
    case ICAL_MONTHLY_RECURRENCE:
      step = 31 * 86400;
      break;
    default:
      step = year_seconds;
      break;
    }
  span = step * MAX (rule->interval, 1) * (gint64) LPC_ICS_MAX_RULE_STEPS;
  if (dtstart.year + span / year_seconds > MAX_SEARCH_YEAR)
    {
      end.year = MAX_SEARCH_YEAR + 1;
      return end;
    }
  icaltime_adjust (&end, (int) (span / 86400), 0, 0, (int) (span % 86400));
  return end;
}

static gboolean
expand_rule (Ics *p, const EventRef *ref, icalcomponent *vevent, icalproperty *dtstart_prop,
             const LpcEntry *template, gint64 duration, GError **error)
{
  icalproperty *rrule = icalcomponent_get_first_property (vevent, ICAL_RRULE_PROPERTY);
  struct icalrecurrencetype rule = icalproperty_get_rrule (rrule);
  struct icaltimetype dtstart = icalproperty_get_dtstart (dtstart_prop);
  g_autofree char *tzid = tzid_of (dtstart_prop);
  g_autoptr (GHashTable) excluded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  struct icalrecurrencetype bounded = rule;
  struct icaltimetype search_end;
  icalrecur_iterator *it;
  struct icaltimetype t;
  guint n = 0;
  gboolean ok = TRUE;
  gboolean search_cut;

  if (rule.count == 0 && icaltime_is_null_time (rule.until))
    return event_error (p, ref, "RRULE", error,
                        "RRULE never ends (no COUNT or UNTIL): a program has a last day, and "
                        "lpc-agenda does not guess where to cut a series");

  for (icalproperty *exdate = icalcomponent_get_first_property (vevent, ICAL_EXDATE_PROPERTY);
       exdate != NULL; exdate = icalcomponent_get_next_property (vevent, ICAL_EXDATE_PROPERTY))
    {
      struct icaltimetype ex = icalproperty_get_exdate (exdate);
      g_autofree char *ex_tzid = tzid_of (exdate);
      gint64 when;

      if (icaltime_is_null_time (ex) || !time_is_valid (ex))
        return event_error (p, ref, "EXDATE", error, "bad EXDATE");
      /* An EXDATE without a zone of its own is in DTSTART's. */
      if (!unix_time_of (p, ref, "EXDATE", ex, ex_tzid != NULL ? ex_tzid : tzid, &when, error))
        return FALSE;
      g_hash_table_add (excluded, g_memdup2 (&when, sizeof when));
    }
  if (icalcomponent_get_first_property (vevent, ICAL_RDATE_PROPERTY) != NULL)
    event_warning (p, ref, "RDATE is not supported: its extra dates are left out");

  /* One call of icalrecur_iterator_next() steps through candidate instants
   * until one passes every BY-part, and with COUNT it only gives up in year
   * 2582: FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30 would step through three
   * hundred million minutes. Its steps cannot be counted from outside, but
   * they can be bounded: the search ends (as an UNTIL) once it is
   * LPC_ICS_MAX_RULE_STEPS steps of FREQ×INTERVAL past DTSTART, and COUNT
   * is counted here. */
  search_end = rule_search_end (&rule, dtstart);
  search_cut = icaltime_is_null_time (rule.until) || icaltime_compare (search_end, rule.until) < 0;
  bounded.count = 0;
  if (search_cut)
    bounded.until = search_end;
  it = icalrecur_iterator_new (bounded, dtstart);
  if (it == NULL)
    return event_error (p, ref, "RRULE", error, "RRULE that libical cannot expand");
  for (t = icalrecur_iterator_next (it); ok && !icaltime_is_null_time (t);
       t = icalrecur_iterator_next (it))
    {
      /* Set by unix_time_of() on success; 0 keeps scan-build from
       * following a failure path it cannot see returns. */
      gint64 start = 0;
      g_autofree char *key = NULL;

      if (rule.count > 0 && n >= (guint) rule.count)
        break;
      if (!lpc_program_check_cancelled (p->options, p->filename, ref->scanned->line, error))
        {
          ok = FALSE;
          break;
        }
      if (++n > LPC_ICS_MAX_OCCURRENCES)
        {
          ok = event_error (p, ref, "RRULE", error, "RRULE has more than %d occurrences",
                            LPC_ICS_MAX_OCCURRENCES);
          break;
        }
      if (!unix_time_of (p, ref, "DTSTART", t, tzid, &start, error))
        {
          ok = FALSE;
          break;
        }
      if (g_hash_table_contains (excluded, &start))
        continue;
      key = override_key (ref->uid != NULL ? ref->uid : "", start);
      if (g_hash_table_contains (p->overrides, key))
        continue;
      ok = add_entry (p, ref, template, start, duration,
                      identity_for (p, ref->uid, template->title, start, TRUE, start),
                      ref->uid, error);
    }
  icalrecur_iterator_free (it);
  if (!ok)
    return FALSE;
  /* The search was cut before the rule's own end: it would have gone on
   * through candidates that match nothing, or too rarely to be a program. */
  if (search_cut && icaltime_is_null_time (t) && search_end.year <= MAX_SEARCH_YEAR
      && (rule.count == 0 || n < (guint) rule.count))
    {
      if (rule.count > 0)
        return event_error (p, ref, "RRULE", error,
                            "RRULE finds %u of its COUNT=%d occurrences in %d steps of its "
                            "FREQ: its BY-parts match too rarely or never (a day that does "
                            "not exist?)",
                            n, rule.count, LPC_ICS_MAX_RULE_STEPS);
      return event_error (p, ref, "RRULE", error,
                          "RRULE's UNTIL is more than %d steps of its FREQ after DTSTART: "
                          "its BY-parts would be tried on too many candidate times",
                          LPC_ICS_MAX_RULE_STEPS);
    }
  return TRUE;
}

static gboolean
read_event (Ics *p, const ScannedEvent *scanned, icalcomponent *vevent, GError **error)
{
  EventRef ref = { scanned, icalcomponent_get_summary (vevent), icalcomponent_get_uid (vevent) };
  g_autoptr (LpcEntry) template = lpc_entry_new ();
  icalproperty *dtstart_prop, *dtend_prop, *duration_prop, *recurrence_id;
  struct icaltimetype dtstart;
  /* Set by property_time() before use (see unix_time_of's caller above). */
  gint64 start = 0, end = 0;
  g_autofree char *title = NULL;
  const char *location, *description;

  if (!check_size (p, &ref, "SUMMARY", ref.summary, LPC_PROGRAM_MAX_SHORT_FIELD, error)
      || !check_size (p, &ref, "UID", ref.uid, LPC_PROGRAM_MAX_SHORT_FIELD, error))
    return FALSE;
  if (ref.uid != NULL && *ref.uid == '\0')
    ref.uid = NULL;
  title = lpc_program_text_one_line (ref.summary);
  if (*title == '\0')
    return event_error (p, &ref, NULL, error, "no SUMMARY (the talk's title)");

  if (!check_dropped (p, &ref, vevent, ICAL_DTSTART_PROPERTY, "DTSTART", error)
      || !check_dropped (p, &ref, vevent, ICAL_DTEND_PROPERTY, "DTEND", error)
      || !check_dropped (p, &ref, vevent, ICAL_DURATION_PROPERTY, "DURATION", error)
      || !check_dropped (p, &ref, vevent, ICAL_RRULE_PROPERTY, "RRULE", error)
      || !check_dropped (p, &ref, vevent, ICAL_RECURRENCEID_PROPERTY, "RECURRENCE-ID", error)
      || !check_single (p, &ref, vevent, ICAL_DTSTART_PROPERTY, "DTSTART", error)
      || !check_single (p, &ref, vevent, ICAL_DTEND_PROPERTY, "DTEND", error)
      || !check_single (p, &ref, vevent, ICAL_RRULE_PROPERTY, "RRULE", error))
    return FALSE;
  for (icalproperty *x = icalcomponent_get_first_property (vevent, ICAL_XLICERROR_PROPERTY);
       x != NULL; x = icalcomponent_get_next_property (vevent, ICAL_XLICERROR_PROPERTY))
    {
      /* libical's message quotes the line it could not parse. */
      g_autofree char *valid = g_utf8_make_valid (icalproperty_get_xlicerror (x), -1);
      g_autofree char *message = lpc_program_text_one_line (valid);
      event_warning (p, &ref, "libical: %s", message);
    }

  if (icalcomponent_get_status (vevent) == ICAL_STATUS_CANCELLED)
    {
      event_warning (p, &ref, "STATUS:CANCELLED, left out");
      return TRUE;
    }

  dtstart_prop = icalcomponent_get_first_property (vevent, ICAL_DTSTART_PROPERTY);
  if (dtstart_prop == NULL)
    return event_error (p, &ref, NULL, error, "no DTSTART");
  dtstart = icalproperty_get_dtstart (dtstart_prop);
  if (dtstart.is_date)
    {
      event_warning (p, &ref, "an all-day event (DTSTART;VALUE=DATE), left out: a talk has a "
                              "time of day");
      return TRUE;
    }
  if (!property_time (p, &ref, dtstart_prop, "DTSTART", dtstart, &start, error))
    return FALSE;

  dtend_prop = icalcomponent_get_first_property (vevent, ICAL_DTEND_PROPERTY);
  duration_prop = icalcomponent_get_first_property (vevent, ICAL_DURATION_PROPERTY);
  if (dtend_prop != NULL && duration_prop != NULL)
    return event_error (p, &ref, "DURATION", error, "both DTEND and DURATION");
  if (dtend_prop != NULL)
    {
      struct icaltimetype dtend = icalproperty_get_dtend (dtend_prop);

      if (dtend.is_date)
        return event_error (p, &ref, "DTEND", error, "DTEND is a date, DTSTART a date-time");
      if (!property_time (p, &ref, dtend_prop, "DTEND", dtend, &end, error))
        return FALSE;
      if (end < start)
        return event_error (p, &ref, "DTEND", error, "DTEND is before DTSTART");
    }
  else if (duration_prop != NULL)
    {
      struct icaldurationtype duration = icalproperty_get_duration (duration_prop);
      gint64 seconds = icaldurationtype_as_int (duration);

      if (icaldurationtype_is_bad_duration (duration) || seconds < 0)
        return event_error (p, &ref, "DURATION", error, "DURATION is negative or garbled");
      end = start + seconds;
    }
  else
    {
      end = start;
    }
  if (end - start > LPC_PROGRAM_MAX_DURATION)
    return event_error (p, &ref, dtend_prop != NULL ? "DTEND" : "DURATION", error,
                        "lasts %" G_GINT64_FORMAT " hours, longer than a week",
                        (end - start) / 3600);

  location = icalcomponent_get_location (vevent);
  description = icalcomponent_get_description (vevent);
  if (!check_size (p, &ref, "LOCATION", location, LPC_PROGRAM_MAX_SHORT_FIELD, error)
      || !check_size (p, &ref, "DESCRIPTION", description, LPC_PROGRAM_MAX_LONG_FIELD, error))
    return FALSE;

  template->kind = LPC_ENTRY_TALK;
  template->title = g_steal_pointer (&title);
  template->room = lpc_program_text_one_line (location);
  template->track = first_category (vevent);
  /* Like the other importers: a string, "" when there is none. */
  if (template->track == NULL)
    template->track = g_strdup ("");
  if (strlen (template->track) > LPC_PROGRAM_MAX_SHORT_FIELD)
    return event_error (p, &ref, "CATEGORIES", error, "CATEGORIES is longer than %d bytes",
                        LPC_PROGRAM_MAX_SHORT_FIELD);
  g_free (template->abstract);
  template->abstract = lpc_program_text_from_markup (description);
  g_strfreev (template->speakers);
  template->speakers = NULL;
  if (!collect_speakers (p, &ref, vevent, &template->speakers, error))
    return FALSE;
  template->source_line = scanned->line;

  recurrence_id = icalcomponent_get_first_property (vevent, ICAL_RECURRENCEID_PROPERTY);
  if (recurrence_id != NULL)
    {
      gint64 original = 0; /* set by property_time(), see above */

      if (ref.uid == NULL)
        return event_error (p, &ref, "RECURRENCE-ID", error, "RECURRENCE-ID without a UID");
      if (!property_time (p, &ref, recurrence_id, "RECURRENCE-ID",
                          icalproperty_get_recurrenceid (recurrence_id), &original, error))
        return FALSE;
      return add_entry (p, &ref, template, start, end - start,
                        identity_for (p, ref.uid, template->title, start, TRUE, original),
                        ref.uid, error);
    }
  if (icalcomponent_get_first_property (vevent, ICAL_RRULE_PROPERTY) != NULL)
    return expand_rule (p, &ref, vevent, dtstart_prop, template, end - start, error);
  return add_entry (p, &ref, template, start, end - start,
                    identity_for (p, ref.uid, template->title, start, FALSE, 0), NULL, error);
}

/* The RECURRENCE-ID overrides, known before any series is expanded so that
 * the occurrences they replace are left out. */
static gboolean
collect_overrides (Ics *p, GPtrArray *vevents, GError **error)
{
  for (guint i = 0; i < vevents->len; i++)
    {
      icalcomponent *vevent = g_ptr_array_index (vevents, i);
      icalproperty *recurrence_id
          = icalcomponent_get_first_property (vevent, ICAL_RECURRENCEID_PROPERTY);
      EventRef ref = { g_ptr_array_index (p->events, i), icalcomponent_get_summary (vevent),
                       icalcomponent_get_uid (vevent) };
      gint64 original = 0; /* set by property_time(), see above */

      if (recurrence_id == NULL || ref.uid == NULL)
        continue;
      if (!property_time (p, &ref, recurrence_id, "RECURRENCE-ID",
                          icalproperty_get_recurrenceid (recurrence_id), &original, error))
        return FALSE;
      g_hash_table_add (p->overrides, override_key (ref.uid, original));
    }
  return TRUE;
}

static int
compare_entries (gconstpointer pa, gconstpointer pb)
{
  const LpcEntry *a = *(LpcEntry *const *) pa, *b = *(LpcEntry *const *) pb;

  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  if (a->end != b->end)
    return a->end < b->end ? -1 : 1;
  if (a->source_line != b->source_line)
    return a->source_line < b->source_line ? -1 : 1;
  return strcmp (a->identity, b->identity);
}

/* Every occurrence of a series in one group, named after the first. */
static void
link_series (Ics *p, LpcProgram *program)
{
  g_autoptr (GHashTable) first = g_hash_table_new (g_str_hash, g_str_equal); /* UID -> id */
  g_autoptr (GHashTable) count = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < program->entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (program->entries, i);
      const char *uid = g_hash_table_lookup (p->series, entry);

      if (uid == NULL)
        continue;
      if (!g_hash_table_contains (first, uid))
        g_hash_table_insert (first, (gpointer) uid, entry->id);
      g_hash_table_insert (count, (gpointer) uid,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (count, uid)) + 1));
    }
  for (guint i = 0; i < program->entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (program->entries, i);
      const char *uid = g_hash_table_lookup (p->series, entry);

      if (uid == NULL || GPOINTER_TO_UINT (g_hash_table_lookup (count, uid)) < 2)
        continue;
      g_free (entry->occurrence_group);
      entry->occurrence_group = g_strdup (g_hash_table_lookup (first, uid));
    }
}

static char *
calendar_name (Ics *p)
{
  static const char *const names[] = { "X-WR-CALNAME", "NAME" };
  const ContentLine *prodid;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const ContentLine *line = find_line (p->calendar_lines, names[i]);
      if (line != NULL && strlen (line->value) <= LPC_PROGRAM_MAX_SHORT_FIELD)
        {
          g_autofree char *value = unescape_text (line->value);
          char *name = lpc_program_text_one_line (value);
          if (*name != '\0')
            return name;
          g_free (name);
        }
    }
  /* "-//Owner//Product//EN" */
  prodid = find_line (p->calendar_lines, "PRODID");
  if (prodid != NULL && strlen (prodid->value) <= LPC_PROGRAM_MAX_SHORT_FIELD)
    {
      g_auto (GStrv) parts = g_strsplit (prodid->value, "//", 0);
      guint n = g_strv_length (parts);
      const char *product = n >= 3 ? parts[2] : n == 2 ? parts[1] : parts[0];
      char *name;

      if (g_str_has_prefix (product, "NONSGML "))
        product += strlen ("NONSGML ");
      name = lpc_program_text_one_line (product);
      if (*name != '\0')
        return name;
      g_free (name);
    }
  return NULL;
}

/* A calendar that `lpc-agenda export` wrote holds only the user's picks:
 * imported as a new version of the conference it would cancel every other
 * pick, so it is refused rather than read as what it is. The PRODID tells;
 * a calendar application that saves the file again writes its own PRODID
 * but keeps the UIDs, so most events with our UID domain tell as well (a
 * user may have added an event or two of their own). */
static gboolean
check_not_own_export (Ics *p, GError **error)
{
  const ContentLine *prodid = find_line (p->calendar_lines, "PRODID");
  g_autofree char *sign = NULL;

  if (prodid != NULL && g_str_has_prefix (prodid->value, LPC_CALENDAR_PRODID_PREFIX))
    {
      g_autofree char *shown = shortened (prodid->value);
      sign = g_strdup_printf ("PRODID %s", shown);
    }
  else
    {
      guint n_ours = 0;
      guint n_uids = 0;

      for (guint i = 0; i < p->events->len; i++)
        {
          const ScannedEvent *event = g_ptr_array_index (p->events, i);
          const ContentLine *uid = find_line (event->lines, "UID");

          if (uid == NULL)
            continue;
          n_uids++;
          if (g_str_has_suffix (uid->value, LPC_CALENDAR_UID_SUFFIX))
            n_ours++;
        }
      if (n_ours == 0 || n_ours * 2 <= n_uids)
        return TRUE;
      sign = g_strdup_printf ("%u of its %u events have UIDs ending in “%s”", n_ours,
                              p->events->len, LPC_CALENDAR_UID_SUFFIX);
    }
  g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
               "%s: this is an lpc-agenda export of your agenda (%s), not a conference program: "
               "import the conference's own program file",
               p->filename, sign);
  return FALSE;
}

LpcProgram *
lpc_program_parse_ics (const char *data, gsize len, const char *filename, const LpcProgramParseOptions *options, GPtrArray *warnings,
                       GError **error)
{
  g_auto (Ics) p = { 0 };
  g_autoptr (LpcProgram) program = NULL;
  g_autoptr (GPtrArray) vevents = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = "(program)";
  if (!lpc_program_check_text (data, len, filename, error))
    return NULL;

  p.filename = filename;
  p.warnings = warnings;
  p.options = options;
  p.option_zone = options != NULL ? options->timezone : NULL;
  p.option_checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p.calendar_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) content_line_free);
  p.events = g_ptr_array_new_with_free_func ((GDestroyNotify) scanned_event_free);
  p.zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, zone_unref_nullable);
  p.overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p.identities = g_hash_table_new (g_str_hash, g_str_equal);
  p.next_n = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p.entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_entry_free);
  p.series = g_hash_table_new (NULL, NULL);

  if (!scan_lines (&p, data, len, error) || !check_not_own_export (&p, error))
    return NULL;
  if (p.events->len == 0)
    {
      lpc_program_set_line_error (error, filename, 1,
                                  "no VEVENT in the calendar: an empty program cannot be "
                                  "imported");
      return NULL;
    }

  /* libical wants a C string; check_text() made sure there is no NUL. */
  text = g_strndup (data, len);
  p.root = icalparser_parse_string (text);
  if (p.root == NULL)
    {
      lpc_program_set_line_error (error, filename, 1, "libical cannot read the calendar");
      return NULL;
    }
  p.calendar = icalcomponent_isa (p.root) == ICAL_VCALENDAR_COMPONENT
                   ? p.root
                   : icalcomponent_get_first_component (p.root, ICAL_VCALENDAR_COMPONENT);
  if (p.calendar == NULL)
    {
      lpc_program_set_line_error (error, filename, 1, "libical finds no VCALENDAR in the file");
      return NULL;
    }
  for (icalcomponent *vevent = icalcomponent_get_first_component (p.calendar,
                                                                   ICAL_VEVENT_COMPONENT);
       vevent != NULL;
       vevent = icalcomponent_get_next_component (p.calendar, ICAL_VEVENT_COMPONENT))
    g_ptr_array_add (vevents, vevent);
  /* The scan found the same VEVENTs, or the lines in messages would lie. */
  if (vevents->len != p.events->len)
    {
      lpc_program_set_line_error (error, filename, 1,
                                  "the calendar's structure is garbled: %u VEVENTs by their "
                                  "BEGIN lines, %u as libical reads them",
                                  p.events->len, vevents->len);
      return NULL;
    }

  if (!resolve_calendar_zone (&p, error) || !collect_overrides (&p, vevents, error))
    return NULL;
  for (guint i = 0; i < vevents->len; i++)
    {
      const ScannedEvent *scanned = g_ptr_array_index (p.events, i);

      if (!lpc_program_check_cancelled (options, filename, scanned->line, error)
          || !read_event (&p, scanned, g_ptr_array_index (vevents, i), error))
        return NULL;
    }
  if (p.entries->len == 0)
    {
      lpc_program_set_line_error (error, filename, 1,
                                  "no VEVENT with a time of day (all were all-day or "
                                  "cancelled): an empty program cannot be imported");
      return NULL;
    }

  if (p.zone_source == ZONE_GUESSED_UTC && !p.floating_noted)
    lpc_program_add_warning (warnings, filename, 1,
                             "no time zone named (X-WR-TIMEZONE, VTIMEZONE or TZID): the "
                             "conference's times are shown in UTC (`lpc-agenda import "
                             "--timezone ZONE %s` shows them in ZONE)",
                             filename);

  name = calendar_name (&p);
  program = lpc_program_new (name != NULL ? name : "", p.zone_name);
  if (name == NULL)
    {
      g_free (program->name);
      program->name = g_path_get_basename (filename);
    }
  g_ptr_array_sort (p.entries, compare_entries);
  g_ptr_array_set_free_func (p.entries, NULL);
  for (guint i = 0; i < p.entries->len; i++)
    g_ptr_array_add (program->entries, g_ptr_array_index (p.entries, i));
  g_ptr_array_set_size (p.entries, 0);

  lpc_program_assign_ids_keeping_identities (program);
  link_series (&p, program);
  g_free (program->source_hash);
  program->source_hash = lpc_content_hash (data, len);
  return g_steal_pointer (&program);
}

LpcProgram *
lpc_program_load_ics_file (const char *path, GPtrArray *warnings, GError **error)
{
  return lpc_program_load_file_with_parser (path, lpc_program_parse_ics, warnings, error);
}
