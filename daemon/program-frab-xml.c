/* program-frab-xml.c: the importer for frab/Pentabarf schedule XML. See the
 * header for how the format maps onto the model.
 *
 * Two passes. GMarkup's callbacks collect each event's fields as text with
 * the line each came from (the conference's zone may only be known after the
 * events that need it, when it has to be guessed from an offset); then every
 * event is turned into an entry, in document order, and the entries are
 * grouped into one block per room and day. */
#include "program-frab-xml.h"

#include "lpc-error.h"
#include "program-file.h"

#include <string.h>

typedef struct
{
  char *text; /* NULL when the element was absent; in Parser.strings */
  guint line;
} Field;

typedef struct
{
  guint line;
  char *date_attr;
  char *start_attr;
  char *end_attr;
  /* Resolved in the second pass. */
  gboolean has_date;
  GDate date;
  gboolean has_start;
  gint64 start;
  char *key; /* "2024-02-03", or "day-N" for a day without a date */
} Day;

typedef struct
{
  guint line;
  guint day; /* index into Parser.days */
  /* These strings are in Parser.strings. */
  char *guid;
  char *id;
  char *room_name; /* the enclosing <room name> */
  guint room_line;
  Field date, start, duration, room, title, subtitle, track, type, abstract, description;
  GPtrArray *persons; /* char*, one line each */
} RawEvent;

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
  const char *filename;
  GPtrArray *warnings;
  GMarkupParseContext *markup;
  /* The text of every Field, and the events' guids, ids and room names:
   * a 10,000-event schedule has over 100,000 of them, which one by one
   * were a tenth of the parse in malloc() and free(). */
  GStringChunk *strings;
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
  Field conference_title, acronym, time_zone_name;
  Field person; /* scratch: names go to the event's list */

  GPtrArray *days;   /* Day* */
  GPtrArray *events; /* RawEvent* */
  char *room_name; /* in strings */
  guint room_line;
  RawEvent *event; /* the one being read, owned by events */
  GHashTable *guids; /* guid -> RawEvent*, and ids under "\nid" */

  GTimeZone *tz;
  char *zone_name;
} Parser;

/* The text stays in Parser.strings until the end. */
static void
field_clear (Field *field)
{
  field->text = NULL;
}

static void
day_free (Day *day)
{
  g_free (day->date_attr);
  g_free (day->start_attr);
  g_free (day->end_attr);
  g_free (day->key);
  g_free (day);
}

static void
raw_event_free (RawEvent *event)
{
  /* Its strings are in Parser.strings. */
  g_ptr_array_unref (event->persons);
  g_free (event);
}

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->markup, g_markup_parse_context_free);
  if (p->capture_text != NULL)
    g_string_free (p->capture_text, TRUE);
  p->capture_text = NULL;
  field_clear (&p->conference_title);
  field_clear (&p->acronym);
  field_clear (&p->time_zone_name);
  field_clear (&p->person);
  g_clear_pointer (&p->days, g_ptr_array_unref);
  g_clear_pointer (&p->events, g_ptr_array_unref);
  p->room_name = NULL;
  g_clear_pointer (&p->guids, g_hash_table_unref);
  g_clear_pointer (&p->tz, g_time_zone_unref);
  g_clear_pointer (&p->zone_name, g_free);
  g_clear_pointer (&p->strings, g_string_chunk_free);
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
      field->text = g_string_chunk_insert_len (p->strings, p->capture_text->str,
                                               (gssize) p->capture_text->len);
    }
  p->capture = NULL;
}

/* The event's fields that are read as text, and their size limits. */
static Field *
event_field (RawEvent *event, const char *name, gsize *out_max)
{
  static const struct
  {
    const char *name;
    gsize offset;
    gboolean is_long;
  } fields[] = {
    { "date", G_STRUCT_OFFSET (RawEvent, date), FALSE },
    { "start", G_STRUCT_OFFSET (RawEvent, start), FALSE },
    { "duration", G_STRUCT_OFFSET (RawEvent, duration), FALSE },
    { "room", G_STRUCT_OFFSET (RawEvent, room), FALSE },
    { "title", G_STRUCT_OFFSET (RawEvent, title), FALSE },
    { "subtitle", G_STRUCT_OFFSET (RawEvent, subtitle), FALSE },
    { "track", G_STRUCT_OFFSET (RawEvent, track), FALSE },
    { "type", G_STRUCT_OFFSET (RawEvent, type), FALSE },
    { "abstract", G_STRUCT_OFFSET (RawEvent, abstract), TRUE },
    { "description", G_STRUCT_OFFSET (RawEvent, description), TRUE },
  };

  /* Called for every element of every event: the first byte rules out
   * most names before a strcmp(). */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (name[0] == fields[i].name[0] && strcmp (name, fields[i].name) == 0)
        {
          *out_max = fields[i].is_long ? LPC_PROGRAM_MAX_LONG_FIELD : LPC_PROGRAM_MAX_SHORT_FIELD;
          return G_STRUCT_MEMBER_P (event, fields[i].offset);
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
  Day *day = g_new0 (Day, 1);

  g_ptr_array_add (p->days, day);
  day->line = current_line (p);
  day->date_attr = g_strdup (attribute (names, values, "date"));
  day->start_attr = g_strdup (attribute (names, values, "start"));
  day->end_attr = g_strdup (attribute (names, values, "end"));
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
      p->room_name = g_string_chunk_insert (p->strings, line);
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
  RawEvent *event;

  if (p->events->len >= LPC_PROGRAM_MAX_ENTRIES)
    return lpc_program_set_line_error (error, p->filename, current_line (p),
                                       "more than %d events: too many for a program",
                                       LPC_PROGRAM_MAX_ENTRIES);
  if (!check_attribute_size (p, "event", "guid", guid, error)
      || !check_attribute_size (p, "event", "id", id, error))
    return FALSE;

  event = g_new0 (RawEvent, 1);
  event->line = current_line (p);
  event->day = p->days->len - 1;
  event->guid = guid != NULL && *guid != '\0' ? g_string_chunk_insert (p->strings, guid) : NULL;
  event->id = id != NULL && *id != '\0' ? g_string_chunk_insert (p->strings, id) : NULL;
  event->room_name = p->room_name;
  event->room_line = p->room_line;
  event->persons = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (p->events, event);
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
        begin_capture (p, &p->conference_title, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
      else if (strcmp (name, "acronym") == 0)
        begin_capture (p, &p->acronym, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
      else if (strcmp (name, "time_zone_name") == 0)
        begin_capture (p, &p->time_zone_name, name, LPC_PROGRAM_MAX_SHORT_FIELD, error);
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

/* The offset a program without <time_zone_name> is shown in: its first
 * written one. */
static char *
guess_zone (Parser *p, guint *out_line, const char **out_from)
{
  for (guint i = 0; i < p->events->len; i++)
    {
      const RawEvent *event = g_ptr_array_index (p->events, i);
      g_autoptr (GDateTime) dt = NULL;

      if (event->date.text == NULL)
        continue;
      dt = g_date_time_new_from_iso8601 (g_strstrip (event->date.text), NULL);
      if (dt != NULL)
        {
          *out_line = event->date.line;
          *out_from = "<date>";
          return zone_name_for_offset (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND);
        }
    }
  for (guint i = 0; i < p->days->len; i++)
    {
      const Day *day = g_ptr_array_index (p->days, i);
      g_autoptr (GDateTime) dt = NULL;

      if (day->start_attr == NULL)
        continue;
      dt = g_date_time_new_from_iso8601 (day->start_attr, NULL);
      if (dt != NULL)
        {
          *out_line = day->line;
          *out_from = "<day start>";
          return zone_name_for_offset (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND);
        }
    }
  return NULL;
}

static gboolean
resolve_zone (Parser *p, GError **error)
{
  const char *from = NULL;
  guint line = 1;

  if (p->time_zone_name.text != NULL)
    {
      g_autofree char *name = lpc_program_text_one_line (p->time_zone_name.text);

      p->tz = lpc_program_zone_new (name);
      if (p->tz == NULL)
        return lpc_program_set_line_error (error, p->filename, p->time_zone_name.line,
                                           "unknown time zone '%s' in <time_zone_name> "
                                           "(expected an IANA name like Europe/Brussels)",
                                           name);
      p->zone_name = g_steal_pointer (&name);
      return TRUE;
    }

  p->zone_name = guess_zone (p, &line, &from);
  if (p->zone_name != NULL)
    lpc_program_add_warning (p->warnings, p->filename, line,
                             "no <time_zone_name>: local times are shown at UTC%s, the offset "
                             "of the first %s",
                             strcmp (p->zone_name, "UTC") == 0 ? "" : p->zone_name, from);
  else
    {
      p->zone_name = g_strdup ("UTC");
      lpc_program_add_warning (p->warnings, p->filename, 1,
                               "no <time_zone_name> and no UTC offset anywhere: times are "
                               "taken as UTC");
    }
  p->tz = lpc_program_zone_new (p->zone_name);
  if (p->tz == NULL)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_FAILED,
                   "%s: the time zone %s is not known on this system", p->filename,
                   p->zone_name);
      return FALSE;
    }
  return TRUE;
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
parse_iso (Parser *p, const char *text, gint64 *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (s, p->tz);

  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
resolve_days (Parser *p, GError **error)
{
  for (guint i = 0; i < p->days->len; i++)
    {
      Day *day = g_ptr_array_index (p->days, i);
      gint64 end = 0;

      if (day->date_attr != NULL)
        {
          day->has_date = parse_date (day->date_attr, &day->date);
          if (!day->has_date)
            return lpc_program_set_line_error (error, p->filename, day->line,
                                               "bad <day date='%s'> (expected YYYY-MM-DD)",
                                               day->date_attr);
        }
      if (day->start_attr != NULL)
        {
          day->has_start = parse_iso (p, day->start_attr, &day->start);
          if (!day->has_start)
            return lpc_program_set_line_error (
                error, p->filename, day->line,
                "bad <day start='%s'> (expected ISO 8601 like 2024-02-03T09:00:00+01:00)",
                day->start_attr);
        }
      if (day->end_attr != NULL)
        {
          if (!parse_iso (p, day->end_attr, &end))
            return lpc_program_set_line_error (
                error, p->filename, day->line,
                "bad <day end='%s'> (expected ISO 8601 like 2024-02-04T03:00:00+01:00)",
                day->end_attr);
          if (day->has_start && end < day->start)
            return lpc_program_set_line_error (error, p->filename, day->line,
                                               "the day ends (%s) before it starts (%s)",
                                               day->end_attr, day->start_attr);
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

static gboolean
event_start (Parser *p, const RawEvent *event, const char *title, gint64 *out, GError **error)
{
  const Day *day = g_ptr_array_index (p->days, event->day);
  LpcLocalTime time;
  int seconds;

  if (event->date.text != NULL)
    {
      if (!parse_iso (p, event->date.text, out))
        return lpc_program_set_line_error (error, p->filename, event->date.line,
                                           "bad <date> '%s' of '%s' (expected ISO 8601 like "
                                           "2024-02-03T10:30:00+01:00)",
                                           g_strstrip (event->date.text), title);
      return TRUE;
    }
  if (event->start.text == NULL)
    return lpc_program_set_line_error (error, p->filename, event->line,
                                       "'%s' has neither <date> nor <start>", title);
  if (!parse_clock (event->start.text, &seconds))
    return lpc_program_set_line_error (error, p->filename, event->start.line,
                                       "bad <start> '%s' of '%s' (expected HH:MM)",
                                       g_strstrip (event->start.text), title);
  if (!day->has_date)
    return lpc_program_set_line_error (error, p->filename, event->line,
                                       "'%s' has no <date>, and its <day> (line %u) no date",
                                       title, day->line);
  if (!lpc_program_local_time (p->tz, &day->date, seconds, 0, &time))
    return lpc_program_set_line_error (error, p->filename, event->start.line,
                                       "cannot place '%s' on %s", title, day->key);
  /* A frab day runs past midnight: 01:00 in a day that starts at 10:00 is
   * the next morning. */
  if (day->has_start && time.instant < day->start
      && !lpc_program_local_time (p->tz, &day->date, seconds, 1, &time))
    return lpc_program_set_line_error (error, p->filename, event->start.line,
                                       "cannot place '%s' after %s", title, day->key);
  lpc_program_warn_local_time (p->warnings, p->filename, event->start.line,
                               p->zone_name, p->tz, &time);
  *out = time.instant;
  return TRUE;
}

/* "frab|guid|…", "frab|id|…" or "frab|title|…|START"; see the header.
 * @next_n is lpc_program_unique_identity()'s: counting "|N" from 2 for every
 * event again took time quadratic in the events of one title and start (a
 * minute for 10,000 untitled-alike breaks). */
static gboolean
event_identity (Parser *p, const RawEvent *event, const LpcEntry *entry, GHashTable *seen,
                GHashTable *next_n, char **out, GError **error)
{
  g_autofree char *identity = NULL;

  if (event->guid != NULL)
    identity = g_strconcat ("frab|guid|", event->guid, NULL);
  else if (event->id != NULL)
    identity = g_strconcat ("frab|id|", event->id, NULL);

  if (identity != NULL)
    {
      const RawEvent *other = g_hash_table_lookup (seen, identity);

      if (other != NULL)
        return lpc_program_set_line_error (error, p->filename, event->line,
                                           "event %s '%s' is used again (first on line %u)",
                                           event->guid != NULL ? "guid" : "id",
                                           event->guid != NULL ? event->guid : event->id,
                                           other->line);
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
event_abstract (const RawEvent *event)
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
make_entry (Parser *p, const RawEvent *event, GHashTable *identities, GHashTable *next_n,
            GError **error)
{
  g_autoptr (LpcEntry) entry = lpc_entry_new ();
  g_autofree char *track = NULL;
  gint64 duration;

  entry->source_line = event->line;
  entry->title = lpc_program_text_one_line (event->title.text);
  if (*entry->title == '\0')
    {
      lpc_program_set_line_error (error, p->filename, event->line, "an event without <title>");
      return NULL;
    }
  entry->kind = event->type.text != NULL && is_break_type (event->type.text) ? LPC_ENTRY_BREAK
                                                                              : LPC_ENTRY_TALK;

  if (!event_start (p, event, entry->title, &entry->start, error))
    return NULL;
  if (event->duration.text == NULL)
    {
      lpc_program_set_line_error (error, p->filename, event->line, "'%s' has no <duration>",
                                  entry->title);
      return NULL;
    }
  if (!parse_duration (event->duration.text, &duration))
    {
      lpc_program_set_line_error (error, p->filename, event->duration.line,
                                  "bad <duration> '%s' of '%s' (expected HH:MM or D:HH:MM)",
                                  g_strstrip (event->duration.text), entry->title);
      return NULL;
    }
  if (duration > LPC_PROGRAM_MAX_DURATION)
    {
      lpc_program_set_line_error (error, p->filename, event->duration.line,
                                  "'%s' lasts %s, longer than a week",
                                  entry->title, g_strstrip (event->duration.text));
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
      lpc_program_set_line_error (error, p->filename, event->line,
                                  "'%s' has no room (neither <room> nor <room name>)",
                                  entry->title);
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
  const Day *day;
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

static gboolean
build_program (Parser *p, LpcProgram *program, GError **error)
{
  g_autoptr (GHashTable) identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) next_n = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);

  for (guint i = 0; i < p->events->len; i++)
    {
      const RawEvent *event = g_ptr_array_index (p->events, i);
      const Day *day = g_ptr_array_index (p->days, event->day);
      LpcEntry *entry = make_entry (p, event, identities, next_n, error);
      g_autofree char *key = NULL;
      Group *group;

      if (entry == NULL)
        return FALSE;
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

  lpc_program_assign_ids_keeping_identities (program);
  return TRUE;
}

LpcProgram *
lpc_program_parse_frab_xml (const char *data, gsize len, const char *filename, const LpcProgramParseOptions *options,
                            GPtrArray *warnings, GError **error)
{
  g_auto (Parser) p = { 0 };
  g_autoptr (LpcProgram) program = NULL;
  g_autofree char *name = NULL;
  gsize skip = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = "(program)";
  if (!lpc_program_check_text (data, len, filename, error))
    return NULL;
  /* GMarkup does not know the byte-order mark. */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    skip = 3;

  p.filename = filename;
  p.warnings = warnings;
  p.capture_text = g_string_new (NULL);
  p.strings = g_string_chunk_new (64 * 1024);
  p.days = g_ptr_array_new_with_free_func ((GDestroyNotify) day_free);
  p.events = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_event_free);

  if (!read_markup (&p, data + skip, len - skip, error))
    return NULL;
  if (p.events->len == 0)
    {
      lpc_program_set_line_error (error, filename, current_line (&p),
                                  "no <event> in the whole schedule: an empty program cannot "
                                  "be imported");
      return NULL;
    }
  if (!resolve_zone (&p, error) || !resolve_days (&p, error))
    return NULL;

  name = lpc_program_text_one_line (p.conference_title.text);
  if (*name == '\0')
    {
      g_free (name);
      name = lpc_program_text_one_line (p.acronym.text);
    }
  if (*name == '\0')
    {
      g_free (name);
      name = g_path_get_basename (filename);
    }
  program = lpc_program_new (name, p.zone_name);
  if (!build_program (&p, program, error))
    return NULL;
  g_free (program->source_hash);
  program->source_hash = lpc_content_hash (data, len);
  return g_steal_pointer (&program);
}

LpcProgram *
lpc_program_load_frab_xml_file (const char *path, GPtrArray *warnings, GError **error)
{
  return lpc_program_load_file_with_parser (path, lpc_program_parse_frab_xml, warnings, error);
}
