/* calendar-export.c: the iCalendar export (see calendar-export.h), the one
 * part of it that needs libical: the daemon loads it as a module on first
 * use (see ical-loader.c). */
#include "config.h"

#include "calendar-export.h"

#include <libical/ical.h>

#include "lpc-error.h"
#include "program-file.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

/* The program's zone as the events need it: each offset in force from the
 * first event's start to the last event's end, with the instant it began.
 * Built from the system's zone data (GTimeZone, what the daemon shows the
 * program in), so the file says exactly what the daemon means, and holds
 * only the observances the events fall in; libical's built-in zones carry
 * their whole history, back to 1883. */
typedef struct
{
  gint64 onset;        /* UTC; ZONE_ONSET_UNKNOWN: in force as long as the bound looked back */
  gint32 offset_from;  /* seconds east of UTC, before the onset */
  gint32 offset_to;    /* from the onset on */
  gboolean is_dst;
  const char *name;    /* the abbreviation, owned by the GTimeZone */
} ZoneObservance;

#define ZONE_ONSET_UNKNOWN G_MININT64

/* How far before the first event to look for the onset of the offset then
 * in force: a year holds both changes of any zone with daylight saving
 * time. A zone with no change in that year gets the observance from 1970 on. */
#define ZONE_LOOK_BACK (G_GINT64_CONSTANT (366) * 24 * 3600)

typedef struct
{
  GTimeZone *tz;
  GArray *observances; /* of ZoneObservance, by onset */
} ExportZone;

static void
export_zone_clear (ExportZone *zone)
{
  g_clear_pointer (&zone->tz, g_time_zone_unref);
  g_clear_pointer (&zone->observances, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportZone, export_zone_clear)

static gint
zone_interval (GTimeZone *tz, gint64 utc)
{
  return g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc);
}

/* The first instant in (@from, @to] in another interval than @from's, given
 * that @to is in another one. GTimeZone numbers its intervals in time order,
 * so an instant in @from's interval has no change before it. */
static gint64
zone_next_change (GTimeZone *tz, gint64 from, gint64 to)
{
  gint interval = zone_interval (tz, from);

  while (to - from > 1)
    {
      gint64 mid = from + (to - from) / 2;

      if (zone_interval (tz, mid) == interval)
        from = mid;
      else
        to = mid;
    }
  return to;
}

/* The first instant of @at's interval, given that @from is in an earlier one. */
static gint64
zone_onset (GTimeZone *tz, gint64 from, gint64 at)
{
  gint interval = zone_interval (tz, at);

  while (at - from > 1)
    {
      gint64 mid = from + (at - from) / 2;

      if (zone_interval (tz, mid) == interval)
        at = mid;
      else
        from = mid;
    }
  return at;
}

/* The observance of @utc's interval, which began at @onset. */
static ZoneObservance
zone_observance (const ExportZone *zone, gint64 onset, gint64 utc)
{
  gint interval = zone_interval (zone->tz, utc);
  ZoneObservance observance = {
    .onset = onset,
    .offset_to = g_time_zone_get_offset (zone->tz, interval),
    .is_dst = g_time_zone_is_dst (zone->tz, interval),
    .name = g_time_zone_get_abbreviation (zone->tz, interval),
  };

  observance.offset_from = onset == ZONE_ONSET_UNKNOWN
                             ? observance.offset_to
                             : g_time_zone_get_offset (zone->tz, zone_interval (zone->tz, onset - 1));
  return observance;
}

/* When @utc's interval began, looking back at most ZONE_LOOK_BACK. */
static gint64
zone_onset_within_look_back (GTimeZone *tz, gint64 utc)
{
  gint64 from = utc - ZONE_LOOK_BACK;

  if (zone_interval (tz, from) == zone_interval (tz, utc))
    return ZONE_ONSET_UNKNOWN;
  return zone_onset (tz, from, utc);
}

static void
zone_add_observance (ExportZone *zone, gint64 onset, gint64 utc)
{
  ZoneObservance observance = zone_observance (zone, onset, utc);

  if (zone->observances->len > 0)
    {
      const ZoneObservance *last = &g_array_index (zone->observances, ZoneObservance,
                                                   zone->observances->len - 1);

      /* A change of the zone data that changes nothing a reader sees. */
      if (last->offset_to == observance.offset_to && last->is_dst == observance.is_dst
          && g_strcmp0 (last->name, observance.name) == 0)
        return;
    }
  g_array_append_val (zone->observances, observance);
}

/* Events all in summer time still get the standard time before it: how far
 * DAYLIGHT is from standard time is what some readers (python-icalendar's
 * Timezone.to_tz(), Outlook) need to know, and they refuse a zone without a
 * STANDARD. */
static void
zone_add_standard_before (ExportZone *zone)
{
  const ZoneObservance *first = &g_array_index (zone->observances, ZoneObservance, 0);
  ZoneObservance standard;
  gint64 before;

  for (guint i = 0; i < zone->observances->len; i++)
    if (!g_array_index (zone->observances, ZoneObservance, i).is_dst)
      return;
  if (first->onset == ZONE_ONSET_UNKNOWN)
    return;
  before = first->onset - 1;
  standard = zone_observance (zone, zone_onset_within_look_back (zone->tz, before), before);
  if (!standard.is_dst)
    g_array_prepend_val (zone->observances, standard);
}

/* @name's observances from @first to @last (Unix seconds); FALSE when the
 * system does not know the zone, when it is UTC, or a bare offset ("+01:00",
 * no zone name to give a TZID): then the times are written in UTC. */
static gboolean
export_zone_init (ExportZone *zone, const char *name, gint64 first, gint64 last)
{
  gint64 at;

  if (name == NULL || g_str_equal (name, "UTC") || name[0] == '+' || name[0] == '-')
    return FALSE;
  /* lpc_program_zone_new(): a name from a program file never opens a path. */
  zone->tz = lpc_program_zone_new (name);
  if (zone->tz == NULL)
    return FALSE;
  zone->observances = g_array_new (FALSE, FALSE, sizeof (ZoneObservance));
  zone_add_observance (zone, zone_onset_within_look_back (zone->tz, first), first);
  for (at = first; zone_interval (zone->tz, at) != zone_interval (zone->tz, last);)
    {
      at = zone_next_change (zone->tz, at, last);
      zone_add_observance (zone, at, at);
    }
  zone_add_standard_before (zone);
  return TRUE;
}

/* @utc as the wall-clock time @offset seconds east of UTC, with no zone of
 * its own: the property's TZID says which. */
static struct icaltimetype
wall_time (gint64 utc, gint32 offset)
{
  g_autoptr (GDateTime) wall = g_date_time_new_from_unix_utc (utc + offset);
  struct icaltimetype t = icaltime_null_time ();

  t.year = g_date_time_get_year (wall);
  t.month = g_date_time_get_month (wall);
  t.day = g_date_time_get_day_of_month (wall);
  t.hour = g_date_time_get_hour (wall);
  t.minute = g_date_time_get_minute (wall);
  t.second = g_date_time_get_second (wall);
  return t;
}

static struct icaltimetype
utc_time (gint64 utc)
{
  return icaltime_from_timet_with_zone ((time_t) utc, 0, icaltimezone_get_utc_timezone ());
}

static gint32
zone_offset (GTimeZone *tz, gint64 utc)
{
  return g_time_zone_get_offset (tz, zone_interval (tz, utc));
}

/* Whether the wall-clock time of @utc in the zone is one of an hour that
 * comes twice (when the clocks go back). RFC 5545 3.3.5 has such a time
 * mean the first of the two, but readers differ (ical.js takes the second),
 * so a time in that hour is written in UTC. */
static gboolean
wall_time_is_ambiguous (const ExportZone *zone, gint64 utc, gint32 offset)
{
  for (guint i = 0; i < zone->observances->len; i++)
    {
      const ZoneObservance *o = &g_array_index (zone->observances, ZoneObservance, i);
      const gint32 others[] = { o->offset_from, o->offset_to };

      for (guint j = 0; j < G_N_ELEMENTS (others); j++)
        if (others[j] != offset && zone_offset (zone->tz, utc + offset - others[j]) == others[j])
          return TRUE;
    }
  return FALSE;
}

/* DTSTART or DTEND: the program's wall-clock time with its TZID, or UTC
 * ("...Z") when the zone is not written or the wall-clock time would not
 * say which instant. */
static icalproperty *
event_time_property (icalproperty_kind kind, gint64 utc, const ExportZone *zone,
                     const char *tzid)
{
  icalproperty *prop;
  struct icaltimetype t;
  gboolean zoned = zone->tz != NULL;

  if (zoned)
    {
      gint32 offset = zone_offset (zone->tz, utc);

      zoned = !wall_time_is_ambiguous (zone, utc, offset);
      t = zoned ? wall_time (utc, offset) : utc_time (utc);
    }
  else
    t = utc_time (utc);
  prop = kind == ICAL_DTSTART_PROPERTY ? icalproperty_new_dtstart (t) : icalproperty_new_dtend (t);
  if (zoned)
    icalproperty_add_parameter (prop, icalparameter_new_tzid (tzid));
  return prop;
}

static icalcomponent *
zone_component (const ExportZone *zone, const char *tzid)
{
  icalcomponent *vtimezone = icalcomponent_new_vtimezone ();

  icalcomponent_add_property (vtimezone, icalproperty_new_tzid (tzid));
  for (guint i = 0; i < zone->observances->len; i++)
    {
      const ZoneObservance *o = &g_array_index (zone->observances, ZoneObservance, i);
      icalcomponent *part = o->is_dst ? icalcomponent_new_xdaylight ()
                                      : icalcomponent_new_xstandard ();
      /* RFC 5545 3.6.5: DTSTART is the onset in the local time before it. */
      struct icaltimetype onset = o->onset == ZONE_ONSET_UNKNOWN
                                    ? icaltime_from_string ("19700101T000000")
                                    : wall_time (o->onset, o->offset_from);

      icalcomponent_add_property (part, icalproperty_new_dtstart (onset));
      icalcomponent_add_property (part, icalproperty_new_tzoffsetfrom (o->offset_from));
      icalcomponent_add_property (part, icalproperty_new_tzoffsetto (o->offset_to));
      if (o->name != NULL && *o->name != '\0')
        icalcomponent_add_property (part, icalproperty_new_tzname (o->name));
      icalcomponent_add_component (vtimezone, part);
    }
  return vtimezone;
}

static char *
event_description (const LpcCalendarEvent *event)
{
  GString *text = g_string_new (NULL);
  const LpcEntry *entry = event->entry;

  if (entry->speakers != NULL && entry->speakers[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", entry->speakers);
      g_string_append_printf (text, "%s: %s",
                              entry->speakers[1] != NULL ? "Speakers" : "Speaker", names);
    }
  else if (entry->conveners != NULL && entry->conveners[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", entry->conveners);
      g_string_append_printf (text, "%s: %s",
                              entry->conveners[1] != NULL ? "Conveners" : "Convener", names);
    }
  if (event->abstract != NULL && *event->abstract != '\0')
    {
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, event->abstract);
    }
  if (event->note != NULL && *event->note != '\0')
    {
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append_printf (text, "Note: %s", event->note);
    }
  return g_string_free (text, FALSE);
}

static icalcomponent *
event_alarm (const LpcEntry *entry, guint lead)
{
  struct icaltriggertype trigger = { 0 };
  icalcomponent *alarm = icalcomponent_new_valarm ();
  g_autofree char *text = NULL;

  trigger.time = icaltime_null_time ();
  trigger.duration = icaldurationtype_from_int (-(int) (lead * 60));
  icalcomponent_add_property (alarm, icalproperty_new_action (ICAL_ACTION_DISPLAY));
  icalcomponent_add_property (alarm, icalproperty_new_trigger (trigger));
  /* What the daemon's own notification says, so both read alike. */
  if (lead == 0)
    text = g_strdup_printf ("Now: %s", entry->title);
  else
    text = g_strdup_printf ("In %u min: %s", lead, entry->title);
  icalcomponent_add_property (alarm, icalproperty_new_description (text));
  return alarm;
}

static icalcomponent *
event_component (const LpcCalendarExport *export, const LpcCalendarEvent *event,
                 const ExportZone *zone, GError **error)
{
  const LpcEntry *entry = event->entry;
  g_autoptr (icalcomponent) vevent = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *description = NULL;

  if (entry->end < entry->start)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "%s: ends before it starts; cannot export it", entry->id);
      return NULL;
    }
  vevent = icalcomponent_new_vevent ();
  uid = lpc_calendar_event_uid (export->program_name, entry->id);
  icalcomponent_add_property (vevent, icalproperty_new_uid (uid));
  icalcomponent_add_property (vevent, icalproperty_new_dtstamp (utc_time (export->stamp)));
  icalcomponent_add_property (vevent, event_time_property (ICAL_DTSTART_PROPERTY, entry->start,
                                                           zone, export->timezone));
  icalcomponent_add_property (vevent, event_time_property (ICAL_DTEND_PROPERTY, entry->end,
                                                           zone, export->timezone));
  icalcomponent_add_property (vevent, icalproperty_new_summary (entry->title));
  if (entry->room != NULL && *entry->room != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_location (entry->room));
  description = event_description (event);
  if (*description != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_description (description));
  if (entry->track != NULL && *entry->track != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_categories (entry->track));
  icalcomponent_add_property (vevent,
                              icalproperty_new_status (lpc_calendar_event_is_cancelled (event)
                                                         ? ICAL_STATUS_CANCELLED
                                                         : ICAL_STATUS_CONFIRMED));
  /* A cancelled event keeps no alarm: a calendar must not ring for it. */
  if (!lpc_calendar_event_is_cancelled (event))
    for (guint i = 0; i < event->n_leads; i++)
      icalcomponent_add_component (vevent, event_alarm (entry, event->leads[i]));
  return g_steal_pointer (&vevent);
}

char *
lpc_calendar_export_ics (const LpcCalendarExport *export, const LpcCalendarEvent *events,
                         guint n_events, GError **error)
{
  g_autoptr (icalcomponent) calendar = NULL;
  g_auto (ExportZone) zone = { 0 };
  g_autofree char *prodid
      = g_strdup_printf (LPC_CALENDAR_PRODID_PREFIX "lpc-agenda %s//EN", PACKAGE_VERSION);
  gint64 first = G_MAXINT64;
  gint64 last = G_MININT64;
  char *text;
  GString *result;

  calendar = icalcomponent_new_vcalendar ();
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid (prodid));
  icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
  if (export->program_name != NULL && *export->program_name != '\0')
    {
      icalproperty *name = icalproperty_new_x (export->program_name);

      icalproperty_set_x_name (name, "X-WR-CALNAME");
      icalcomponent_add_property (calendar, name);
    }
  for (guint i = 0; i < n_events; i++)
    {
      first = MIN (first, events[i].entry->start);
      last = MAX (last, MAX (events[i].entry->start, events[i].entry->end));
    }
  /* With no event, no zone is needed: the file names none. */
  if (n_events > 0 && export_zone_init (&zone, export->timezone, first, last))
    icalcomponent_add_component (calendar, zone_component (&zone, export->timezone));
  for (guint i = 0; i < n_events; i++)
    {
      icalcomponent *vevent = event_component (export, &events[i], &zone, error);

      if (vevent == NULL)
        return NULL;
      icalcomponent_add_component (calendar, vevent);
    }
  text = icalcomponent_as_ical_string_r (calendar);
  if (text == NULL)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "libical could not write the calendar: %s", icalerror_strerror (icalerrno));
      return NULL;
    }
  result = g_string_new (text);
  icalmemory_free_buffer (text);
  /* libical 3.0 folds a line of exactly 75 octets between its CR and its LF,
   * as CR, a folding CRLF and space, then LF: ical.js then reads the CR into
   * the value (a UID that no longer matches). The line end it meant: */
  g_string_replace (result, "\r\r\n \n", "\r\n", 0);
  return g_string_free (result, FALSE);
}
