/* calendar-export.c: the iCalendar export (see calendar-export.h), the one
 * part of it that needs libical: the daemon loads it as a module on first
 * use (see ical-loader.c). */
#include "config.h"

#include "calendar-export.h"

#include <libical/ical.h>

#include "lpc-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

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
