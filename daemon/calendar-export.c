/* calendar-export.c: see calendar-export.h. */
#include "config.h"

#include "calendar-export.h"

#include <libical/ical.h>

#include "lpc-error.h"
#include "slug.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

char *
lpc_calendar_event_uid (const char *program_name, const char *entry_id)
{
  g_autofree char *domain = lpc_slugify (program_name != NULL ? program_name : "", 64);

  if (domain == NULL || *domain == '\0')
    {
      g_free (domain);
      domain = g_strdup ("program");
    }
  return g_strdup_printf ("%s@%s.lpc-agenda", entry_id, domain);
}

/* libical names its built-in zones "/freeassociation.sourceforge.net/<IANA>";
 * calendar applications (and Python's icalendar) map a plain IANA TZID to
 * their own zone data, so the file names the zone plainly: in the VTIMEZONE
 * and in every DTSTART/DTEND. */
static icaltimezone *
program_zone (const char *name)
{
  if (name == NULL || *name == '\0' || g_str_equal (name, "UTC"))
    return NULL;
  return icaltimezone_get_builtin_timezone (name);
}

static struct icaltimetype
time_in_zone (gint64 unix_seconds, icaltimezone *zone)
{
  if (zone == NULL)
    return icaltime_from_timet_with_zone ((time_t) unix_seconds, 0,
                                          icaltimezone_get_utc_timezone ());
  return icaltime_from_timet_with_zone ((time_t) unix_seconds, 0, zone);
}

static icalproperty *
zoned_time_property (icalproperty *prop, const char *tzid)
{
  icalparameter *param;

  if (tzid == NULL)
    return prop;
  while ((param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER)) != NULL)
    icalproperty_remove_parameter_by_ref (prop, param);
  icalproperty_add_parameter (prop, icalparameter_new_tzid (tzid));
  return prop;
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

static gboolean
is_cancelled (LpcItemState state)
{
  return state == LPC_ITEM_SKIPPED || state == LPC_ITEM_CANCELLED;
}

static icalcomponent *
event_component (const LpcCalendarExport *export, const LpcCalendarEvent *event,
                 icaltimezone *zone, const char *tzid, GError **error)
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
  icalcomponent_add_property (vevent,
                              icalproperty_new_dtstamp (time_in_zone (export->stamp, NULL)));
  icalcomponent_add_property (vevent,
                              zoned_time_property (icalproperty_new_dtstart (
                                                     time_in_zone (entry->start, zone)),
                                                   tzid));
  icalcomponent_add_property (vevent,
                              zoned_time_property (icalproperty_new_dtend (
                                                     time_in_zone (entry->end, zone)),
                                                   tzid));
  icalcomponent_add_property (vevent, icalproperty_new_summary (entry->title));
  if (entry->room != NULL && *entry->room != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_location (entry->room));
  description = event_description (event);
  if (*description != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_description (description));
  if (entry->track != NULL && *entry->track != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_categories (entry->track));
  icalcomponent_add_property (vevent,
                              icalproperty_new_status (is_cancelled (event->state)
                                                         ? ICAL_STATUS_CANCELLED
                                                         : ICAL_STATUS_CONFIRMED));
  /* A cancelled event keeps no alarm: a calendar must not ring for it. */
  if (!is_cancelled (event->state))
    for (guint i = 0; i < event->n_leads; i++)
      icalcomponent_add_component (vevent, event_alarm (entry, event->leads[i]));
  return g_steal_pointer (&vevent);
}

char *
lpc_calendar_export_ics (const LpcCalendarExport *export, const LpcCalendarEvent *events,
                         guint n_events, GError **error)
{
  g_autoptr (icalcomponent) calendar = NULL;
  icaltimezone *zone = program_zone (export->timezone);
  const char *tzid = NULL;
  g_autofree char *prodid = g_strdup_printf ("-//lpc-agenda//lpc-agenda %s//EN", PACKAGE_VERSION);
  char *text;
  char *result;

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
  if (zone != NULL)
    {
      icalcomponent *vtimezone = icaltimezone_get_component (zone);

      if (vtimezone != NULL)
        {
          icalcomponent *copy = icalcomponent_new_clone (vtimezone);
          icalproperty *id = icalcomponent_get_first_property (copy, ICAL_TZID_PROPERTY);

          tzid = export->timezone;
          if (id != NULL)
            icalproperty_set_tzid (id, tzid);
          else
            icalcomponent_add_property (copy, icalproperty_new_tzid (tzid));
          icalcomponent_add_component (calendar, copy);
        }
      else
        zone = NULL; /* no VTIMEZONE to name: write UTC times instead */
    }
  for (guint i = 0; i < n_events; i++)
    {
      icalcomponent *vevent = event_component (export, &events[i], zone, tzid, error);

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
  result = g_strdup (text);
  icalmemory_free_buffer (text);
  return result;
}

/* ---- JSON ---- */

/* RFC 8259 section 7: quote, backslash and control characters escaped;
 * everything else (valid UTF-8, as every string of the model is) as is. */
static void
append_json_string (GString *out, const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str != NULL ? str : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_member (GString *out, const char *name, const char *value)
{
  append_json_string (out, name);
  g_string_append_c (out, ':');
  append_json_string (out, value);
  g_string_append_c (out, ',');
}

static void
append_json_time (GString *out, const char *name, gint64 unix_seconds, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
  /* RFC 3339 wants the offset as ±HH:MM; g_date_time_format_iso8601 () may
   * write ±HH. */
  g_autofree char *text = local != NULL ? g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
  g_autofree char *unix_name = g_strconcat (name, "-unix", NULL);

  append_json_member (out, name, text != NULL ? text : "");
  append_json_string (out, unix_name);
  g_string_append_printf (out, ":%" G_GINT64_FORMAT ",", unix_seconds);
}

static void
append_json_strv (GString *out, const char *name, GStrv strv)
{
  append_json_string (out, name);
  g_string_append (out, ":[");
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, strv[i]);
    }
  g_string_append (out, "],");
}

char *
lpc_calendar_export_json (const LpcCalendarExport *export, const LpcCalendarEvent *events,
                          guint n_events, GError **error)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (export->timezone);
  GString *out = g_string_new ("{");

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  append_json_member (out, "calendar", export->program_name);
  append_json_member (out, "timezone", export->timezone);
  append_json_string (out, "events");
  g_string_append (out, ":[");
  for (guint i = 0; i < n_events; i++)
    {
      const LpcCalendarEvent *event = &events[i];
      const LpcEntry *entry = event->entry;
      g_autofree char *uid = lpc_calendar_event_uid (export->program_name, entry->id);
      gboolean cancelled = is_cancelled (event->state);

      if (entry->end < entry->start)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "%s: ends before it starts; cannot export it", entry->id);
          g_string_free (out, TRUE);
          return NULL;
        }
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      append_json_member (out, "uid", uid);
      append_json_member (out, "id", entry->id);
      append_json_member (out, "title", entry->title);
      append_json_time (out, "start", entry->start, zone);
      append_json_time (out, "end", entry->end, zone);
      append_json_member (out, "room", entry->room);
      append_json_member (out, "track", entry->track);
      append_json_strv (out, "speakers", entry->speakers);
      append_json_member (out, "abstract", event->abstract);
      append_json_member (out, "note", event->note);
      append_json_member (out, "state", lpc_item_state_to_string (event->state));
      append_json_member (out, "status", cancelled ? "cancelled" : "confirmed");
      append_json_string (out, "alarms");
      g_string_append (out, ":[");
      for (guint l = 0; !cancelled && l < event->n_leads; l++)
        g_string_append_printf (out, "%s%u", l > 0 ? "," : "", event->leads[l]);
      g_string_append (out, "]}");
    }
  g_string_append (out, "]}\n");
  return g_string_free (out, FALSE);
}
