/* program-frab-xml.c: the reader of frab/Pentabarf schedule XML. See the
 * header for how the format maps onto the model.
 *
 * Two passes. GMarkup's callbacks collect each event's fields as text with
 * the line each came from into an LpcSchedule (the conference's zone may
 * only be known after the events that need it); then program-schedule.c's
 * second pass, shared with schedule.json, turns every event into an entry,
 * in document order, and groups the entries into one block per room and
 * day. */
#include "program-frab-xml.h"

#include "lpc-error.h"
#include "program-file.h"
#include "program-schedule.h"

#include <string.h>

typedef LpcScheduleField Field;

typedef enum
{
  CONTEXT_NONE, /* before the root element */
  CONTEXT_SCHEDULE,
  CONTEXT_CONFERENCE,
  CONTEXT_DAY,
  CONTEXT_ROOM,
  CONTEXT_EVENT,
  CONTEXT_PERSONS,
  CONTEXT_DONE, /* after </schedule> */
} Context;

typedef struct
{
  LpcSchedule schedule;
  const char *filename;
  GMarkupParseContext *markup;
  Context context;
  guint ignore_depth; /* > 0 inside an element skipped whole */

  /* The text element being read, if any. */
  Field *capture;
  GString *capture_text;
  gsize capture_max;
  const char *capture_name;
  guint capture_depth; /* elements nested inside it */
  gboolean capture_is_person;

  gboolean seen_conference;
  Field person; /* scratch: names go to the event's list */

  char *room_name; /* in schedule.strings */
  guint room_line;
  LpcScheduleEvent *event; /* the one being read, owned by schedule.events */
} Parser;

/* The text stays in the schedule's strings until the end. */
static void
field_clear (Field *field)
{
  field->text = NULL;
}

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->markup, g_markup_parse_context_free);
  if (p->capture_text != NULL)
    g_string_free (p->capture_text, TRUE);
  p->capture_text = NULL;
  lpc_schedule_clear (&p->schedule);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parser, parser_clear)

/* The line of the element GMarkup is reporting. It calls start_element
 * only after reading the character that follows the '>', so for a tag that
 * ends its line the position is already at the start of the next one. */
static guint
current_line (Parser *p)
{
  int line = 0, column = 0;

  g_markup_parse_context_get_position (p->markup, &line, &column);
  if (column <= 1 && line > 1)
    line--;
  return (guint) MAX (line, 1);
}

/* Where GMarkup stopped, for its own errors. */
static guint
markup_error_line (Parser *p)
{
  int line = 0;

  g_markup_parse_context_get_position (p->markup, &line, NULL);
  return (guint) MAX (line, 1);
}

static const char *
attribute (const char **names, const char **values, const char *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], wanted) == 0)
        return values[i];
    }
  return NULL;
}

/* ---- the first pass: GMarkup callbacks ---- */

static gboolean
begin_capture (Parser *p, Field *field, const char *name, gsize max, GError **error)
{
  if (field->text != NULL)
    return lpc_program_set_line_error (error, p->filename, current_line (p),
                                       "<%s> given twice (first on line %u)", name, field->line);
  field->line = current_line (p);
  p->capture = field;
  p->capture_name = name;
  p->capture_max = max;
  p->capture_depth = 0;
  p->capture_is_person = FALSE;
  g_string_truncate (p->capture_text, 0);
  return TRUE;
}

static void
end_capture (Parser *p)
{
  Field *field = p->capture;

  if (p->capture_is_person)
    {
      char *name = lpc_program_text_one_line (p->capture_text->str);
      if (*name != '\0')
        g_ptr_array_add (p->event->persons, name);
      else
        g_free (name);
      field_clear (field);
    }
  else
    {
      field->text = g_string_chunk_insert_len (p->schedule.strings, p->capture_text->str,
                                               (gssize) p->capture_text->len);
    }
  p->capture = NULL;
}

/* The event's field named @name, if it is read as text, and its limit. */
static LpcScheduleField *
event_field (LpcScheduleEvent *event, const char *name, gsize *out_max)
{
  /* Called for every element of every event: the first byte rules out
   * most names before a strcmp(). */
  for (guint i = 0; i < lpc_schedule_n_text_fields; i++)
    {
      const LpcScheduleTextField *spec = &lpc_schedule_text_fields[i];

      if (name[0] == spec->name[0] && strcmp (name, spec->name) == 0)
        {
          *out_max = spec->max;
          return lpc_schedule_event_field (event, spec);
        }
    }
  return NULL;
}

static gboolean
check_attribute_size (Parser *p, const char *element, const char *name, const char *value,
                      GError **error)
{
  if (value != NULL && strlen (value) > LPC_PROGRAM_MAX_SHORT_FIELD)
    return lpc_program_set_line_error (error, p->filename, current_line (p),
                                       "<%s %s> is longer than %d bytes", element, name,
                                       LPC_PROGRAM_MAX_SHORT_FIELD);
  return TRUE;
}

static gboolean
start_day (Parser *p, const char **names, const char **values, GError **error)
{
  LpcScheduleDay *day = lpc_schedule_add_day (&p->schedule, current_line (p));

  day->date_attr = lpc_schedule_intern (&p->schedule, attribute (names, values, "date"));
  day->start_attr = lpc_schedule_intern (&p->schedule, attribute (names, values, "start"));
  day->end_attr = lpc_schedule_intern (&p->schedule, attribute (names, values, "end"));
  p->context = CONTEXT_DAY;
  return check_attribute_size (p, "day", "date", day->date_attr, error)
         && check_attribute_size (p, "day", "start", day->start_attr, error)
         && check_attribute_size (p, "day", "end", day->end_attr, error);
}

static gboolean
start_room (Parser *p, const char **names, const char **values, GError **error)
{
  const char *name = attribute (names, values, "name");

  if (!check_attribute_size (p, "room", "name", name, error))
    return FALSE;
  p->room_name = NULL;
  if (name != NULL)
    {
      g_autofree char *line = lpc_program_text_one_line (name);
      p->room_name = lpc_schedule_intern (&p->schedule, line);
    }
  p->room_line = current_line (p);
  p->context = CONTEXT_ROOM;
  return TRUE;
}

static gboolean
start_event (Parser *p, const char **names, const char **values, GError **error)
{
  const char *guid = attribute (names, values, "guid");
  const char *id = attribute (names, values, "id");
  LpcScheduleEvent *event;

  event = lpc_schedule_add_event (&p->schedule, current_line (p), NULL, error);
  if (event == NULL)
    return FALSE;
  if (!check_attribute_size (p, "event", "guid", guid, error)
      || !check_attribute_size (p, "event", "id", id, error))
    return FALSE;

  event->guid = guid != NULL && *guid != '\0' ? lpc_schedule_intern (&p->schedule, guid) : NULL;
  event->id = id != NULL && *id != '\0' ? lpc_schedule_intern (&p->schedule, id) : NULL;
  event->room_name = p->room_name;
  event->room_line = p->room_line;
  p->event = event;
  p->context = CONTEXT_EVENT;
  return TRUE;
}

/* <day>, <room> and <event> in the wrong place would otherwise be skipped
 * with the unknown elements, and their events silently lost. */
static gboolean
misplaced (Parser *p, const char *name, GError **error)
{
  static const struct
  {
    const char *name;
    const char *where;
  } parents[] = {
    { "day", "directly in <schedule>" },
    { "room", "in a <day>" },
    { "event", "in a <room>" },
    { "conference", "directly in <schedule>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parents); i++)
    {
      if (name[0] == parents[i].name[0] && strcmp (name, parents[i].name) == 0)
        return lpc_program_set_line_error (error, p->filename, current_line (p),
                                           "<%s> belongs %s", name, parents[i].where);
    }
  return TRUE;
}

static void
on_start_element (GMarkupParseContext *context, const char *name, const char **attr_names,
                  const char **attr_values, gpointer user_data, GError **error)
{
  Parser *p = user_data;
  Field *field;
  gsize max;

  if (p->ignore_depth > 0)
    {
      p->ignore_depth++;
      return;
    }
  if (p->capture != NULL)
    {
      /* Markup inside a text field (XHTML in an abstract): its text is kept. */
      p->capture_depth++;
      return;
    }

  switch (p->context)
    {
    case CONTEXT_NONE:
      if (strcmp (name, "schedule") != 0)
        {
          lpc_program_set_line_error (error, p->filename, current_line (p),
                                      "the root element is <%s>, not <schedule>: not a "
                                      "frab/pentabarf schedule XML",
                                      name);
          return;
        }
      p->context = CONTEXT_SCHEDULE;
      return;
    case CONTEXT_SCHEDULE:
      if (strcmp (name, "conference") == 0)
        {
          if (p->seen_conference)
            {
              lpc_program_set_line_error (error, p->filename, current_line (p),
                                          "a second <conference>");
              return;
            }
          p->seen_conference = TRUE;
          p->context = CONTEXT_CONFERENCE;
          return;
        }
      if (strcmp (name, "day") == 0)
        {
          start_day (p, attr_names, attr_values, error);
          return;
        }
      break;
    case CONTEXT_CONFERENCE:
      if (strcmp (name, "title") == 0)
        begin_capture (p, &p->schedule.conference_title, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
      else if (strcmp (name, "acronym") == 0)
        begin_capture (p, &p->schedule.acronym, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
      else if (strcmp (name, "time_zone_name") == 0)
        begin_capture (p, &p->schedule.time_zone_name, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
      else if (strcmp (name, "city") == 0)
        begin_capture (p, &p->schedule.city, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
      else if (strcmp (name, "venue") == 0)
        begin_capture (p, &p->schedule.venue, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
      else
        p->ignore_depth = 1;
      return;
    case CONTEXT_DAY:
      if (strcmp (name, "room") == 0)
        {
          start_room (p, attr_names, attr_values, error);
          return;
        }
      break;
    case CONTEXT_ROOM:
      if (strcmp (name, "event") == 0)
        {
          start_event (p, attr_names, attr_values, error);
          return;
        }
      break;
    case CONTEXT_EVENT:
      field = event_field (p->event, name, &max);
      if (field != NULL)
        {
          begin_capture (p, field, name, max, error);
          return;
        }
      if (strcmp (name, "persons") == 0)
        {
          p->context = CONTEXT_PERSONS;
          return;
        }
      break;
    case CONTEXT_PERSONS:
      if (strcmp (name, "person") == 0)
        {
          if (p->event->persons->len >= 100)
            {
              lpc_program_set_line_error (error, p->filename, current_line (p),
                                          "more than 100 persons in one event");
              return;
            }
          field_clear (&p->person);
          if (begin_capture (p, &p->person, name, LPC_PROGRAM_MAX_SHORT_FIELD, error))
            p->capture_is_person = TRUE;
          return;
        }
      break;
    case CONTEXT_DONE:
    default:
      break;
    }

  if (misplaced (p, name, error))
    p->ignore_depth = 1;
}

static void
on_end_element (GMarkupParseContext *context, const char *name, gpointer user_data,
                GError **error)
{
  Parser *p = user_data;

  if (p->ignore_depth > 0)
    {
      p->ignore_depth--;
      return;
    }
  if (p->capture != NULL)
    {
      if (p->capture_depth > 0)
        p->capture_depth--;
      else
        end_capture (p);
      return;
    }

  switch (p->context)
    {
    case CONTEXT_SCHEDULE:
      p->context = CONTEXT_DONE;
      break;
    case CONTEXT_CONFERENCE:
    case CONTEXT_DAY:
      p->context = CONTEXT_SCHEDULE;
      break;
    case CONTEXT_ROOM:
      p->context = CONTEXT_DAY;
      break;
    case CONTEXT_EVENT:
      p->event = NULL;
      p->context = CONTEXT_ROOM;
      break;
    case CONTEXT_PERSONS:
      p->context = CONTEXT_EVENT;
      break;
    case CONTEXT_NONE:
    case CONTEXT_DONE:
    default:
      break;
    }
}

static void
on_text (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data,
         GError **error)
{
  Parser *p = user_data;

  if (p->capture == NULL || p->ignore_depth > 0)
    return;
  if (p->capture_text->len + len > p->capture_max)
    {
      lpc_program_set_line_error (error, p->filename, p->capture->line,
                                  "<%s> is longer than %" G_GSIZE_FORMAT " bytes",
                                  p->capture_name, p->capture_max);
      return;
    }
  g_string_append_len (p->capture_text, text, (gssize) len);
}

static const GMarkupParser markup_parser = {
  .start_element = on_start_element,
  .end_element = on_end_element,
  .text = on_text,
};

/* GMarkup's own messages start with the position; ours goes first instead. */
static const char *
strip_position (const char *message)
{
  const char *colon;

  if (!g_str_has_prefix (message, "Error on line "))
    return message;
  colon = strstr (message, ": ");
  return colon != NULL ? colon + 2 : message;
}

static gboolean
read_markup (Parser *p, const char *data, gsize len, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  p->markup = g_markup_parse_context_new (&markup_parser, G_MARKUP_TREAT_CDATA_AS_TEXT, p, NULL);
  if (g_markup_parse_context_parse (p->markup, data, (gssize) len, &local_error)
      && g_markup_parse_context_end_parse (p->markup, &local_error))
    {
      if (p->context != CONTEXT_DONE)
        return lpc_program_set_line_error (error, p->filename, current_line (p),
                                           "no <schedule> element: not a frab/pentabarf "
                                           "schedule XML");
      return TRUE;
    }

  if (local_error->domain == G_MARKUP_ERROR)
    {
      /* GMarkup quotes a bad name's character by its first byte alone
       * ("“\xef”" for a U+FEFF), which D-Bus would refuse to send. */
      g_autofree char *message = g_utf8_make_valid (strip_position (local_error->message), -1);

      return lpc_program_set_line_error (error, p->filename, markup_error_line (p),
                                         "%s XML: %s",
                                         p->context == CONTEXT_NONE ? "not" : "malformed",
                                         message);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

LpcProgram *
lpc_program_parse_frab_xml (const char *data, gsize len, const char *filename,
                            const LpcProgramParseOptions *options, GPtrArray *warnings,
                            GError **error)
{
  g_auto (Parser) p = { 0 };
  gsize skip;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = "(program)";
  if (!lpc_program_check_text (data, len, filename, error))
    return NULL;
  /* GMarkup does not know the byte-order mark. */
  skip = lpc_program_bom_length (data, len);

  lpc_schedule_init (&p.schedule, LPC_SCHEDULE_XML, filename, options, warnings);
  p.filename = filename;
  p.capture_text = g_string_new (NULL);

  if (!read_markup (&p, data + skip, len - skip, error))
    return NULL;
  if (p.schedule.events->len == 0)
    {
      lpc_program_set_line_error (error, filename, current_line (&p),
                                  "no <event> in the whole schedule: an empty program cannot "
                                  "be imported");
      return NULL;
    }
  return lpc_schedule_build (&p.schedule, data, len, error);
}

LpcProgram *
lpc_program_load_frab_xml_file (const char *path, GPtrArray *warnings, GError **error)
{
  return lpc_program_load_file_with_parser (path, lpc_program_parse_frab_xml, warnings, error);
}
