/* Unit tests of calendar-export.c: the text is parsed back with libical and
 * every field compared with what went in. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libical/ical.h>

#include <glib/gstdio.h>

#include "agenda-calendar.h"
#include "calendar-file.h"
#include "calendar-export.h"
#include "lpc-error.h"
#include "test-util.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

/* 2021-09-20 07:00 and 07:45 America/Los_Angeles (PDT, UTC-7). */
#define MON_0700 G_GINT64_CONSTANT (1632146400)
#define MON_0745 (MON_0700 + 45 * 60)
#define STAMP G_GINT64_CONSTANT (1630000000)

static LpcEntry *
make_talk (const char *id, const char *title, gint64 start, gint64 end)
{
  LpcEntry *entry = g_new0 (LpcEntry, 1);
  const char *speakers[] = { "Ada Lovelace (Analytical)", "Charles Babbage", NULL };

  entry->id = g_strdup (id);
  entry->kind = LPC_ENTRY_TALK;
  entry->title = g_strdup (title);
  entry->track = g_strdup ("Kernel Summit");
  entry->room = g_strdup ("Room 1, LPC Virtual");
  entry->start = start;
  entry->end = end;
  entry->speakers = g_strdupv ((char **) speakers);
  entry->conveners = g_new0 (char *, 1);
  return entry;
}

/* RFC 5545 3.1 and 3.3.5: every line ends in CRLF (no CR or LF alone), and
 * a time with a TZID is a wall-clock time, without the "Z" of UTC. */
static void
assert_valid_text (const char *text)
{
  g_auto (GStrv) lines = NULL;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        g_assert_cmpint (p[1], ==, '\n');
      if (*p == '\n')
        g_assert_true (p > text && p[-1] == '\r');
    }
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "DTSTART;TZID=") || g_str_has_prefix (lines[i], "DTEND;TZID="))
      g_assert_false (g_str_has_suffix (lines[i], "Z"));
    else if (g_str_has_prefix (lines[i], "DTSTAMP"))
      g_assert_true (g_str_has_suffix (lines[i], "Z"));
}

static icalcomponent *
parse_back (const char *text)
{
  icalcomponent *calendar;

  assert_valid_text (text);
  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_isa (calendar), ==, ICAL_VCALENDAR_COMPONENT);
  return calendar;
}

static icalcomponent *
find_event (icalcomponent *calendar, const char *uid)
{
  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       c != NULL; c = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    if (g_strcmp0 (icalcomponent_get_uid (c), uid) == 0)
      return c;
  return NULL;
}

/* The instant of @event's DTSTART or DTEND as libical reads it: a time
 * written in UTC is UTC (libical's rule, whatever TZID the property also
 * names); a zoned one is resolved through the calendar's own VTIMEZONE, as a
 * reader of the file would, not through libical's built-in zones. */
static gint64
event_time_utc (icalcomponent *event, icalproperty_kind kind)
{
  icalproperty *prop = icalcomponent_get_first_property (event, kind);
  struct icaltimetype t;
  icalparameter *tzid;
  icalcomponent *calendar = icalcomponent_get_parent (event);
  icaltimezone *zone;

  g_assert_nonnull (prop);
  t = kind == ICAL_DTSTART_PROPERTY ? icalcomponent_get_dtstart (event)
                                    : icalcomponent_get_dtend (event);
  if (icaltime_is_utc (t))
    return (gint64) icaltime_as_timet (t);
  tzid = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  g_assert_nonnull (tzid); /* a floating time would be read in the reader's zone */
  zone = icalcomponent_get_timezone (calendar, icalparameter_get_tzid (tzid));
  g_assert_nonnull (zone);
  return (gint64) icaltime_as_timet_with_zone (t, zone);
}

static void
test_export_fields (void)
{
  g_autoptr (LpcEntry) first = make_talk ("tracing-the-kernel", "Tracing the kernel", MON_0700,
                                          MON_0745);
  g_autoptr (LpcEntry) second = make_talk ("io-uring-and-you", "io_uring, and you; a \"story\"",
                                           MON_0745, MON_0745 + 30 * 60);
  guint leads[] = { 10, 0 };
  LpcCalendarEvent events[] = {
    { first, LPC_ITEM_PLANNED, "First paragraph.\n\nSecond, with; odd \\ chars.", "bring laptop",
      leads, 2 },
    { second, LPC_ITEM_SKIPPED, "", NULL, leads, 2 },
  };
  LpcCalendarExport export = { "Linux Plumbers Conference 2021", "America/Los_Angeles", STAMP };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = lpc_calendar_export_ics (&export, events, G_N_ELEMENTS (events), &error);
  g_autoptr (icalcomponent) calendar = NULL;
  g_autofree char *uid1 = lpc_calendar_event_uid (export.program_name, first->id);
  g_autofree char *uid2 = lpc_calendar_event_uid (export.program_name, second->id);
  icalcomponent *event;
  icalcomponent *alarm;
  icalproperty *prop;
  int n_alarms = 0;
  int triggers = 0;

  g_assert_no_error (error);
  g_assert_nonnull (text);
  /* RFC 5545 3.1: lines end in CRLF. */
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_nonnull (strstr (text, "TZID:America/Los_Angeles\r\n"));
  g_assert_cmpstr (uid1, ==, "tracing-the-kernel@linux-plumbers-conference-2021.lpc-agenda");

  calendar = parse_back (text);
  g_assert_nonnull (icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT));

  event = find_event (calendar, uid1);
  g_assert_nonnull (event);
  g_assert_cmpint (event_time_utc (event, ICAL_DTSTART_PROPERTY), ==, MON_0700);
  g_assert_cmpint (event_time_utc (event, ICAL_DTEND_PROPERTY), ==, MON_0745);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, "Tracing the kernel");
  g_assert_cmpstr (icalcomponent_get_location (event), ==, "Room 1, LPC Virtual");
  g_assert_cmpstr (icalcomponent_get_description (event), ==,
                   "Speakers: Ada Lovelace (Analytical), Charles Babbage\n\n"
                   "First paragraph.\n\nSecond, with; odd \\ chars.\n\nNote: bring laptop");
  prop = icalcomponent_get_first_property (event, ICAL_CATEGORIES_PROPERTY);
  g_assert_nonnull (prop);
  g_assert_cmpstr (icalproperty_get_categories (prop), ==, "Kernel Summit");
  g_assert_cmpint (icalcomponent_get_status (event), ==, ICAL_STATUS_CONFIRMED);
  for (alarm = icalcomponent_get_first_component (event, ICAL_VALARM_COMPONENT); alarm != NULL;
       alarm = icalcomponent_get_next_component (event, ICAL_VALARM_COMPONENT))
    {
      struct icaltriggertype trigger =
        icalproperty_get_trigger (icalcomponent_get_first_property (alarm, ICAL_TRIGGER_PROPERTY));

      n_alarms++;
      triggers |= 1 << (-icaldurationtype_as_int (trigger.duration) / 60);
      g_assert_cmpint (icalproperty_get_action (icalcomponent_get_first_property (
                         alarm, ICAL_ACTION_PROPERTY)),
                       ==, ICAL_ACTION_DISPLAY);
    }
  g_assert_cmpint (n_alarms, ==, 2);
  g_assert_cmpint (triggers, ==, (1 << 10) | (1 << 0));

  event = find_event (calendar, uid2);
  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, "io_uring, and you; a \"story\"");
  g_assert_cmpint (icalcomponent_get_status (event), ==, ICAL_STATUS_CANCELLED);
  g_assert_null (icalcomponent_get_first_component (event, ICAL_VALARM_COMPONENT));
  g_assert_cmpint (event_time_utc (event, ICAL_DTSTART_PROPERTY), ==, MON_0745);
}

static void
test_export_utc_fallback (void)
{
  g_autoptr (LpcEntry) talk = make_talk ("t", "T", MON_0700, MON_0745);
  LpcCalendarEvent event = { talk, LPC_ITEM_PLANNED, NULL, NULL, NULL, 0 };
  LpcCalendarExport export = { "X", "UTC", STAMP };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = lpc_calendar_export_ics (&export, &event, 1, &error);
  g_autoptr (icalcomponent) calendar = NULL;
  icalcomponent *vevent;

  g_assert_no_error (error);
  calendar = parse_back (text);
  g_assert_null (icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT));
  vevent = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  g_assert_cmpint (event_time_utc (vevent, ICAL_DTSTART_PROPERTY), ==, MON_0700);
  g_assert_null (icalcomponent_get_first_component (vevent, ICAL_VALARM_COMPONENT));
  /* No speakers' line without abstract or note either way: only speakers. */
  g_assert_cmpstr (icalcomponent_get_description (vevent), ==,
                   "Speakers: Ada Lovelace (Analytical), Charles Babbage");
}

static void
test_export_empty_and_refusal (void)
{
  g_autoptr (LpcEntry) talk = make_talk ("backwards", "Backwards", MON_0745, MON_0700);
  LpcCalendarEvent event = { talk, LPC_ITEM_PLANNED, NULL, NULL, NULL, 0 };
  LpcCalendarExport export = { "Linux Plumbers Conference 2021", "America/Los_Angeles", STAMP };
  g_autoptr (GError) error = NULL;
  g_autofree char *empty = lpc_calendar_export_ics (&export, NULL, 0, &error);
  g_autofree char *refused = NULL;
  g_autoptr (icalcomponent) calendar = NULL;

  g_assert_no_error (error);
  calendar = parse_back (empty);
  g_assert_null (icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT));

  refused = lpc_calendar_export_ics (&export, &event, 1, &error);
  g_assert_null (refused);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "backwards"));
}

/* The shipped program through a real LpcAgenda: what the daemon exports. */
static void
test_agenda_export (void)
{
  g_autofree char *dir = lpc_test_make_tmp_dir ("test-calendar-export-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "agenda.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgenda) agenda = lpc_agenda_new (db, g_getenv ("LPC_TEST_TIMETABLE"),
                                                 lpc_clock_new_real (), &error);
  g_auto (LpcItemOptions) own_leads = { .set_remind = TRUE, .remind = g_strdup ("15,1") };
  g_auto (LpcItemOptions) none = { 0 };
  g_autoptr (GPtrArray) talks = NULL;
  g_auto (LpcTalkFilter) filter = { 0 };
  const LpcEntry *planned = NULL;
  const LpcEntry *skipped = NULL;
  g_autofree char *text = NULL;
  g_autofree char *all = NULL;
  g_autoptr (icalcomponent) calendar = NULL;
  g_autoptr (icalcomponent) calendar_all = NULL;
  g_autofree char *uid_planned = NULL;
  g_autofree char *uid_skipped = NULL;
  icalcomponent *event;
  int n_alarms = 0;

  g_assert_no_error (error);
  talks = lpc_agenda_list_talks (agenda, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < talks->len && (planned == NULL || skipped == NULL); i++)
    {
      const LpcEntry *entry = g_ptr_array_index (talks, i);

      if (entry->kind != LPC_ENTRY_TALK)
        continue;
      if (planned == NULL)
        planned = entry;
      else if (entry->start != planned->start)
        skipped = entry;
    }
  g_assert_nonnull (planned);
  g_assert_nonnull (skipped);
  g_autoptr (LpcAgendaRow) planned_row = lpc_agenda_add (agenda, planned->id, &own_leads, NULL, &error);
  g_assert_nonnull (planned_row);
  g_assert_no_error (error);
  g_autoptr (LpcAgendaRow) skipped_row = lpc_agenda_add (agenda, skipped->id, &none, NULL, &error);
  g_assert_nonnull (skipped_row);
  g_assert_no_error (error);
  g_free (lpc_agenda_skip (agenda, skipped->id, NULL, &error));
  g_assert_no_error (error);

  uid_planned = lpc_calendar_event_uid ("Linux Plumbers Conference 2021", planned->id);
  uid_skipped = lpc_calendar_event_uid ("Linux Plumbers Conference 2021", skipped->id);

  text = lpc_agenda_export_ics (agenda, FALSE, &error);
  g_assert_no_error (error);
  calendar = parse_back (text);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, 1);
  event = find_event (calendar, uid_planned);
  g_assert_nonnull (event);
  g_assert_null (find_event (calendar, uid_skipped));
  g_assert_cmpint (event_time_utc (event, ICAL_DTSTART_PROPERTY), ==, planned->start);
  g_assert_cmpint (event_time_utc (event, ICAL_DTEND_PROPERTY), ==, planned->end);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, planned->title);
  for (icalcomponent *alarm = icalcomponent_get_first_component (event, ICAL_VALARM_COMPONENT);
       alarm != NULL; alarm = icalcomponent_get_next_component (event, ICAL_VALARM_COMPONENT))
    {
      struct icaltriggertype trigger =
        icalproperty_get_trigger (icalcomponent_get_first_property (alarm, ICAL_TRIGGER_PROPERTY));
      int minutes = -icaldurationtype_as_int (trigger.duration) / 60;

      g_assert_true (minutes == 15 || minutes == 1);
      n_alarms++;
    }
  g_assert_cmpint (n_alarms, ==, 2);

  /* --all: the skipped item too, cancelled, with no alarm. */
  all = lpc_agenda_export_ics (agenda, TRUE, &error);
  g_assert_no_error (error);
  calendar_all = parse_back (all);
  g_assert_cmpint (icalcomponent_count_components (calendar_all, ICAL_VEVENT_COMPONENT), ==, 2);
  event = find_event (calendar_all, uid_skipped);
  g_assert_nonnull (event);
  g_assert_cmpint (icalcomponent_get_status (event), ==, ICAL_STATUS_CANCELLED);
  g_assert_null (icalcomponent_get_first_component (event, ICAL_VALARM_COMPONENT));

  /* The same as JSON: one event, the same UID, times and alarms. */
  {
    g_autofree char *json = lpc_agenda_export_calendar (agenda, LPC_CALENDAR_JSON, FALSE, &error);
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *root;
    JsonArray *events;
    JsonObject *first;
    JsonArray *alarms;
    g_autoptr (GDateTime) start = NULL;

    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (root, "timezone"), ==, "America/Los_Angeles");
    events = json_object_get_array_member (root, "events");
    g_assert_cmpuint (json_array_get_length (events), ==, 1);
    first = json_array_get_object_element (events, 0);
    g_assert_cmpstr (json_object_get_string_member (first, "uid"), ==, uid_planned);
    g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, planned->title);
    g_assert_cmpint (json_object_get_int_member (first, "start-unix"), ==, planned->start);
    start = g_date_time_new_from_iso8601 (json_object_get_string_member (first, "start"), NULL);
    g_assert_nonnull (start);
    g_assert_cmpint (g_date_time_to_unix (start), ==, planned->start);
    /* September in Los Angeles: PDT. */
    g_assert_true (g_str_has_suffix (json_object_get_string_member (first, "start"), "-07:00"));
    g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "confirmed");
    alarms = json_object_get_array_member (first, "alarms");
    g_assert_cmpuint (json_array_get_length (alarms), ==, 2);
    g_assert_cmpint (json_array_get_int_element (alarms, 0), ==, 15);
    g_assert_cmpint (json_array_get_int_element (alarms, 1), ==, 1);
  }

  g_clear_pointer (&agenda, lpc_agenda_free);
  lpc_test_remove_tree (dir);
}

/* Characters JSON must escape, in every string field. */
static void
test_export_json_escaping (void)
{
  g_autoptr (LpcEntry) talk = make_talk ("odd", "Quote \" backslash \\ tab\t bell\a", MON_0700,
                                         MON_0745);
  LpcCalendarEvent event = { talk, LPC_ITEM_SKIPPED, "line\nbreak", "\x01", NULL, 0 };
  LpcCalendarExport export = { "Name \"quoted\"", "America/Los_Angeles", STAMP };
  g_autoptr (GError) error = NULL;
  g_autofree char *json = lpc_calendar_export_json (&export, &event, 1, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *first;

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "calendar"), ==, "Name \"quoted\"");
  first = json_array_get_object_element (json_object_get_array_member (root, "events"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==,
                   "Quote \" backslash \\ tab\t bell\a");
  g_assert_cmpstr (json_object_get_string_member (first, "abstract"), ==, "line\nbreak");
  g_assert_cmpstr (json_object_get_string_member (first, "note"), ==, "\x01");
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "cancelled");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "speakers")), ==, 2);
}

static void
test_calendar_file_write (void)
{
  g_autofree char *dir = lpc_test_make_tmp_dir ("test-calendar-file-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "agenda.ics", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "agenda.ics", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GDir) listing = NULL;
  GStatBuf st;

  g_assert_true (lpc_calendar_file_write (path, "first", &error));
  g_assert_no_error (error);
  g_assert_true (lpc_calendar_file_write (path, "second", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "second");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* No temporary file is left beside it. */
  listing = g_dir_open (dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "agenda.ics");
  g_assert_null (g_dir_read_name (listing));

  g_assert_false (lpc_calendar_file_write ("agenda.ics", "x", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "agenda.ics"));
  g_clear_error (&error);
  g_assert_false (lpc_calendar_file_write (missing, "x", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, missing));

  lpc_test_remove_tree (dir);
}

/* The living calendar: a burst of changes gives one write, after it. */
static void
test_living_calendar (void)
{
  g_autofree char *dir = lpc_test_make_tmp_dir ("test-living-calendar-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "agenda.db", NULL);
  /* Not beside the database: its folder is the agenda's own. */
  g_autofree char *calendars = g_build_filename (dir, "calendars", NULL);
  g_autofree char *ics = g_build_filename (calendars, "agenda.ics", NULL);
  g_autofree char *beside_db = g_build_filename (dir, "agenda.ics", NULL);
  g_autofree char *db_wal = g_strconcat (db, "-wal", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcAgenda) agenda = lpc_agenda_new (db, g_getenv ("LPC_TEST_TIMETABLE"),
                                                 lpc_clock_new_real (), &error);
  g_autoptr (LpcCalendarFile) file = NULL;
  g_autoptr (icalcomponent) calendar = NULL;
  g_autofree char *text = NULL;
  g_autoptr (LpcAgendaRow) row = NULL;
  LpcItemOptions none = { 0 };

  g_assert_no_error (error);
  file = lpc_calendar_file_new (agenda);

  /* None set: nothing queued, nothing written. */
  lpc_calendar_file_queue_update (file);
  g_assert_false (g_main_context_pending (NULL));
  g_assert_true (lpc_calendar_file_update_now (file, &error));
  g_assert_cmpuint (lpc_calendar_file_get_writes (file), ==, 0);

  /* Refused paths leave the setting as it was. */
  g_assert_false (lpc_agenda_set_calendar_file (agenda, "agenda.ics", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_calendar_file (agenda, beside_db, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "data folder"));
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_calendar_file (agenda, db_wal, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "database"));
  g_clear_error (&error);
  g_assert_false (lpc_agenda_set_calendar_file (agenda, dir, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (lpc_agenda_get_calendar_file (agenda));

  g_assert_cmpint (g_mkdir (calendars, 0700), ==, 0);
  g_assert_true (lpc_agenda_set_calendar_file (agenda, ics, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lpc_agenda_get_calendar_file (agenda), ==, ics);
  g_assert_true (lpc_calendar_file_update_now (file, &error));
  g_assert_cmpuint (lpc_calendar_file_get_writes (file), ==, 1);

  /* Three changes, three queued updates: one write, once idle. */
  row = lpc_agenda_add (agenda, "doing-more-with-lore-and-b4", &none, NULL, &error);
  g_assert_nonnull (row);
  lpc_calendar_file_queue_update (file);
  g_free (lpc_agenda_skip (agenda, "doing-more-with-lore-and-b4", NULL, &error));
  lpc_calendar_file_queue_update (file);
  g_free (lpc_agenda_unskip (agenda, "doing-more-with-lore-and-b4", NULL, &error));
  lpc_calendar_file_queue_update (file);
  g_assert_no_error (error);
  g_assert_cmpuint (lpc_calendar_file_get_writes (file), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (lpc_calendar_file_get_writes (file), ==, 2);
  g_assert_true (g_file_get_contents (ics, &text, NULL, NULL));
  calendar = parse_back (text);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, 1);

  /* The setting is kept across a restart. */
  g_clear_pointer (&file, lpc_calendar_file_free);
  g_clear_pointer (&agenda, lpc_agenda_free);
  agenda = lpc_agenda_new (db, g_getenv ("LPC_TEST_TIMETABLE"), lpc_clock_new_real (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lpc_agenda_get_calendar_file (agenda), ==, ics);
  g_assert_true (lpc_agenda_set_calendar_file (agenda, "", &error));
  g_assert_null (lpc_agenda_get_calendar_file (agenda));

  g_clear_pointer (&agenda, lpc_agenda_free);
  lpc_test_remove_tree (dir);
}

/* An observance of a VTIMEZONE, as the unit tests expect it. */
typedef struct
{
  gboolean daylight;
  const char *dtstart;
  int offset_from;
  int offset_to;
  const char *name;
} Observance;

/* Exports one talk at each of @starts (45 minutes long) in @zone, checks
 * that every instant reads back exactly through the file's VTIMEZONE, and
 * that the VTIMEZONE holds exactly @want. */
static void
check_zone_export (const char *zone, const gint64 *starts, guint n_starts,
                   const Observance *want, guint n_want)
{
  g_autoptr (GPtrArray) talks = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_entry_free);
  g_autofree LpcCalendarEvent *events = g_new0 (LpcCalendarEvent, n_starts);
  LpcCalendarExport export = { "Zones", zone, STAMP };
  guint leads[] = { 10 };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (icalcomponent) calendar = NULL;
  icalcomponent *vtimezone;
  icalcomponent *part;
  guint n = 0;

  for (guint i = 0; i < n_starts; i++)
    {
      g_autofree char *id = g_strdup_printf ("talk-%u", i);
      LpcEntry *talk = make_talk (id, id, starts[i], starts[i] + 45 * 60);

      g_ptr_array_add (talks, talk);
      events[i] = (LpcCalendarEvent) { talk, LPC_ITEM_PLANNED, NULL, NULL, leads, 1 };
    }
  text = lpc_calendar_export_ics (&export, events, n_starts, &error);
  g_assert_no_error (error);
  calendar = parse_back (text);
  for (guint i = 0; i < n_starts; i++)
    {
      g_autofree char *uid = lpc_calendar_event_uid ("Zones", events[i].entry->id);
      icalcomponent *event = find_event (calendar, uid);
      icalcomponent *alarm;
      struct icaltriggertype trigger;

      g_assert_nonnull (event);
      g_assert_cmpint (event_time_utc (event, ICAL_DTSTART_PROPERTY), ==, starts[i]);
      g_assert_cmpint (event_time_utc (event, ICAL_DTEND_PROPERTY), ==, starts[i] + 45 * 60);
      /* The alarm is relative to the start: it fires at start - lead. */
      alarm = icalcomponent_get_first_component (event, ICAL_VALARM_COMPONENT);
      g_assert_nonnull (alarm);
      trigger = icalproperty_get_trigger (icalcomponent_get_first_property (alarm,
                                                                            ICAL_TRIGGER_PROPERTY));
      g_assert_true (icaltime_is_null_time (trigger.time));
      g_assert_cmpint (icaldurationtype_as_int (trigger.duration), ==, -10 * 60);
    }

  vtimezone = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
  if (n_want == 0)
    {
      g_assert_null (vtimezone);
      g_assert_null (strstr (text, "TZID"));
      return;
    }
  g_assert_nonnull (vtimezone);
  g_assert_cmpstr (icalproperty_get_tzid (icalcomponent_get_first_property (vtimezone,
                                                                           ICAL_TZID_PROPERTY)),
                   ==, zone);
  g_assert_null (icalcomponent_get_next_component (calendar, ICAL_VTIMEZONE_COMPONENT));
  for (part = icalcomponent_get_first_component (vtimezone, ICAL_ANY_COMPONENT); part != NULL;
       part = icalcomponent_get_next_component (vtimezone, ICAL_ANY_COMPONENT), n++)
    {
      g_assert_cmpuint (n, <, n_want);
      g_assert_cmpint (icalcomponent_isa (part), ==,
                       want[n].daylight ? ICAL_XDAYLIGHT_COMPONENT : ICAL_XSTANDARD_COMPONENT);
      g_assert_cmpstr (icaltime_as_ical_string (icalcomponent_get_dtstart (part)), ==,
                       want[n].dtstart);
      g_assert_cmpint (icalproperty_get_tzoffsetfrom (icalcomponent_get_first_property (
                         part, ICAL_TZOFFSETFROM_PROPERTY)),
                       ==, want[n].offset_from);
      g_assert_cmpint (icalproperty_get_tzoffsetto (icalcomponent_get_first_property (
                         part, ICAL_TZOFFSETTO_PROPERTY)),
                       ==, want[n].offset_to);
      g_assert_cmpstr (icalproperty_get_tzname (icalcomponent_get_first_property (
                         part, ICAL_TZNAME_PROPERTY)),
                       ==, want[n].name);
    }
  g_assert_cmpuint (n, ==, n_want);
}

#define HOUR 3600

/* Talks on several days of one season: the observance in force, and the
 * standard time before it (a reader needs it to place summer time). */
static void
test_zone_one_season (void)
{
  /* Mon 20, Wed 22 and Fri 24 September 2021, 07:00 PDT. */
  const gint64 starts[] = { MON_0700, MON_0700 + 48 * HOUR, MON_0700 + 96 * HOUR };
  const Observance want[] = {
    { FALSE, "20201101T020000", -7 * HOUR, -8 * HOUR, "PST" },
    { TRUE, "20210314T020000", -8 * HOUR, -7 * HOUR, "PDT" },
  };
  /* Berlin in December 2021: winter time only, since 31 October. */
  const gint64 winter[] = { G_GINT64_CONSTANT (1638349200), G_GINT64_CONSTANT (1638435600) };
  const Observance want_winter[] = {
    { FALSE, "20211031T030000", 2 * HOUR, 1 * HOUR, "CET" },
  };
  /* Tokyo has had no change for decades: one observance, from 1970. */
  const Observance want_tokyo[] = {
    { FALSE, "19700101T000000", 9 * HOUR, 9 * HOUR, "JST" },
  };

  check_zone_export ("America/Los_Angeles", starts, G_N_ELEMENTS (starts), want,
                     G_N_ELEMENTS (want));
  check_zone_export ("Europe/Berlin", winter, G_N_ELEMENTS (winter), want_winter,
                     G_N_ELEMENTS (want_winter));
  check_zone_export ("Asia/Tokyo", starts, G_N_ELEMENTS (starts), want_tokyo,
                     G_N_ELEMENTS (want_tokyo));
}

/* Talks on both sides of a change, and in the hour that comes twice. */
static void
test_zone_across_changes (void)
{
  /* Sat 30 October 2021 10:00 CEST, Sun 31 10:00 CET, Mon 1 November 09:00
   * CET; the change was at 01:00 UTC on the 31st. */
  const gint64 berlin[] = { G_GINT64_CONSTANT (1635580800), G_GINT64_CONSTANT (1635670800),
                            G_GINT64_CONSTANT (1635753600) };
  const Observance want_berlin[] = {
    { TRUE, "20210328T020000", 1 * HOUR, 2 * HOUR, "CEST" },
    { FALSE, "20211031T030000", 2 * HOUR, 1 * HOUR, "CET" },
  };
  /* From February to November 2021 in Los Angeles: two changes. */
  const gint64 la[] = { G_GINT64_CONSTANT (1613833200), MON_0700, G_GINT64_CONSTANT (1636300800) };
  const Observance want_la[] = {
    { FALSE, "20201101T020000", -7 * HOUR, -8 * HOUR, "PST" },
    { TRUE, "20210314T020000", -8 * HOUR, -7 * HOUR, "PDT" },
    { FALSE, "20211107T020000", -7 * HOUR, -8 * HOUR, "PST" },
  };
  /* 02:30 CEST on the 31st (00:30 UTC), then 02:30 CET (01:30 UTC): the
   * same wall-clock time twice. */
  const gint64 twice[] = { G_GINT64_CONSTANT (1635640200), G_GINT64_CONSTANT (1635643800) };
  g_autoptr (LpcEntry) first = make_talk ("first", "First", twice[0], twice[0] + 20 * 60);
  g_autoptr (LpcEntry) second = make_talk ("second", "Second", twice[1], twice[1] + 20 * 60);
  LpcCalendarEvent events[] = { { first, LPC_ITEM_PLANNED, NULL, NULL, NULL, 0 },
                                { second, LPC_ITEM_PLANNED, NULL, NULL, NULL, 0 } };
  LpcCalendarExport export = { "Zones", "Europe/Berlin", STAMP };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  check_zone_export ("Europe/Berlin", berlin, G_N_ELEMENTS (berlin), want_berlin,
                     G_N_ELEMENTS (want_berlin));
  check_zone_export ("America/Los_Angeles", la, G_N_ELEMENTS (la), want_la, G_N_ELEMENTS (want_la));
  check_zone_export ("Europe/Berlin", twice, G_N_ELEMENTS (twice), want_berlin,
                     G_N_ELEMENTS (want_berlin));
  /* Written in UTC, which says which 02:30 each is. */
  text = lpc_calendar_export_ics (&export, events, G_N_ELEMENTS (events), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "\r\nDTSTART:20211031T003000Z\r\n"));
  g_assert_nonnull (strstr (text, "\r\nDTSTART:20211031T013000Z\r\n"));
  g_assert_null (strstr (text, "TZID=Europe/Berlin:20211031T02"));
}

/* UTC, and a zone the system does not know: UTC times, no VTIMEZONE. */
static void
test_zone_utc_and_unknown (void)
{
  const gint64 starts[] = { MON_0700, MON_0700 + 24 * HOUR };

  check_zone_export ("UTC", starts, G_N_ELEMENTS (starts), NULL, 0);
  check_zone_export ("Mars/Olympus_Mons", starts, G_N_ELEMENTS (starts), NULL, 0);
  check_zone_export ("../../etc/passwd", starts, G_N_ELEMENTS (starts), NULL, 0);
}

/* Lines of every length around the 75 octets where libical folds them: no
 * CR or LF alone (parse_back checks), and each UID reads back whole. */
static void
test_fold_every_length (void)
{
  for (guint len = 50; len < 160; len++)
    {
      g_autofree char *id = g_strnfill (len, 'x');
      g_autoptr (LpcEntry) talk = make_talk (id, id, MON_0700, MON_0745);
      LpcCalendarEvent event = { talk, LPC_ITEM_PLANNED, NULL, NULL, NULL, 0 };
      LpcCalendarExport export = { "Folds", "America/Los_Angeles", STAMP };
      g_autoptr (GError) error = NULL;
      g_autofree char *text = lpc_calendar_export_ics (&export, &event, 1, &error);
      g_autofree char *uid = lpc_calendar_event_uid ("Folds", id);
      g_autoptr (icalcomponent) calendar = NULL;

      g_assert_no_error (error);
      calendar = parse_back (text);
      g_assert_nonnull (find_event (calendar, uid));
      g_assert_cmpstr (icalcomponent_get_summary (find_event (calendar, uid)), ==, id);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calendar-export/fields", test_export_fields);
  g_test_add_func ("/calendar-export/utc-fallback", test_export_utc_fallback);
  g_test_add_func ("/calendar-export/empty-and-refusal", test_export_empty_and_refusal);
  g_test_add_func ("/calendar-export/zone/one-season", test_zone_one_season);
  g_test_add_func ("/calendar-export/zone/across-changes", test_zone_across_changes);
  g_test_add_func ("/calendar-export/zone/utc-and-unknown", test_zone_utc_and_unknown);
  g_test_add_func ("/calendar-export/fold-every-length", test_fold_every_length);
  g_test_add_func ("/calendar-export/agenda", test_agenda_export);
  g_test_add_func ("/calendar-export/json-escaping", test_export_json_escaping);
  g_test_add_func ("/calendar-export/file-write", test_calendar_file_write);
  g_test_add_func ("/calendar-export/living-calendar", test_living_calendar);
  return g_test_run ();
}
