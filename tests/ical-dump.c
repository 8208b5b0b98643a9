/* ical-dump: reads an iCalendar file with libical, as a calendar
 * application would, and prints each VEVENT as one line of JSON: uid,
 * summary, location, status, start and end as Unix seconds (resolved through
 * the file's own VTIMEZONEs), and the alarms' minutes before the start. The
 * integration tests compare it with the agenda and with a second parser
 * (python3-icalendar).
 *
 *   ical-dump FILE */
#include "config.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libical/ical.h>
#include <stdio.h>

static gint64
event_time (icalcomponent *calendar, icalcomponent *event, icalproperty_kind kind)
{
  icalproperty *prop = icalcomponent_get_first_property (event, kind);
  icalparameter *tzid;
  struct icaltimetype t;

  if (prop == NULL)
    return -1;
  t = kind == ICAL_DTSTART_PROPERTY ? icalproperty_get_dtstart (prop) : icalproperty_get_dtend (prop);
  tzid = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  if (tzid != NULL)
    {
      icaltimezone *zone = icalcomponent_get_timezone (calendar, icalparameter_get_tzid (tzid));
      if (zone == NULL)
        return -1;
      return (gint64) icaltime_as_timet_with_zone (t, zone);
    }
  return (gint64) icaltime_as_timet_with_zone (t, icaltimezone_get_utc_timezone ());
}

int
main (int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  icalcomponent *calendar;

  if (argc != 2)
    {
      fprintf (stderr, "usage: ical-dump FILE\n");
      return 2;
    }
  if (!g_file_get_contents (argv[1], &text, NULL, &error))
    {
      fprintf (stderr, "ical-dump: %s\n", error->message);
      return 1;
    }
  calendar = icalparser_parse_string (text);
  if (calendar == NULL || icalcomponent_isa (calendar) != ICAL_VCALENDAR_COMPONENT)
    {
      fprintf (stderr, "ical-dump: %s: not an iCalendar\n", argv[1]);
      return 1;
    }
  for (icalcomponent *event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       event != NULL; event = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *line = NULL;
      icalproperty_status status = icalcomponent_get_status (event);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uid");
      json_builder_add_string_value (builder, icalcomponent_get_uid (event));
      json_builder_set_member_name (builder, "summary");
      json_builder_add_string_value (builder, icalcomponent_get_summary (event));
      json_builder_set_member_name (builder, "location");
      json_builder_add_string_value (builder, icalcomponent_get_location (event));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status == ICAL_STATUS_NONE
                                                  ? ""
                                                  : icalproperty_status_to_string (status));
      json_builder_set_member_name (builder, "start");
      json_builder_add_int_value (builder, event_time (calendar, event, ICAL_DTSTART_PROPERTY));
      json_builder_set_member_name (builder, "end");
      json_builder_add_int_value (builder, event_time (calendar, event, ICAL_DTEND_PROPERTY));
      json_builder_set_member_name (builder, "alarms");
      json_builder_begin_array (builder);
      for (icalcomponent *alarm = icalcomponent_get_first_component (event, ICAL_VALARM_COMPONENT);
           alarm != NULL; alarm = icalcomponent_get_next_component (event, ICAL_VALARM_COMPONENT))
        {
          icalproperty *trigger_prop = icalcomponent_get_first_property (alarm, ICAL_TRIGGER_PROPERTY);
          struct icaltriggertype trigger = icalproperty_get_trigger (trigger_prop);

          json_builder_add_int_value (builder, -icaldurationtype_as_int (trigger.duration) / 60);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      line = json_generator_to_data (generator, NULL);
      printf ("%s\n", line);
    }
  icalcomponent_free (calendar);
  return 0;
}
