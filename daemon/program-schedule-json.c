/* program-schedule-json.c: the reader of frab/pretalx schedule.json; see the
 * header. json-glib builds the document's tree; the reader walks it into an
 * LpcSchedule, whose second pass (program-schedule.c) is the XML's. */
#include "program-schedule-json.h"

#include "lpc-error.h"
#include "program-schedule.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

/* Far more than a schedule needs (about ten); json-glib reads nesting by
 * recursion, so a file of 16 MiB of '[' would otherwise overflow the
 * stack. */
#define MAX_DEPTH 64

typedef struct
{
  LpcSchedule schedule;
  /* The line of each object's '{', recorded as json-glib reads it. */
  GHashTable *lines;  /* JsonObject* -> line */
  GArray *open_lines; /* guint: the objects being read */
} Reader;

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->lines, g_hash_table_unref);
  g_clear_pointer (&r->open_lines, g_array_unref);
  lpc_schedule_clear (&r->schedule);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)

static void
on_object_start (JsonParser *parser, gpointer user_data)
{
  Reader *r = user_data;
  guint line = json_parser_get_current_line (parser);

  g_array_append_val (r->open_lines, line);
}

static void
on_object_end (JsonParser *parser, JsonObject *object, gpointer user_data)
{
  Reader *r = user_data;
  guint line;

  if (r->open_lines->len == 0)
    return;
  line = g_array_index (r->open_lines, guint, r->open_lines->len - 1);
  g_array_set_size (r->open_lines, r->open_lines->len - 1);
  g_hash_table_insert (r->lines, object, GUINT_TO_POINTER (line));
}

static guint
object_line (Reader *r, JsonObject *object)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (r->lines, object));
}

/* Refuses, before json-glib reads it, what it would mishandle: nesting
 * deeper than MAX_DEPTH (it recurses), and anything but one object (it
 * reads several top-level values, and JavaScript's "var x = …;", keeping
 * only the last and leaking the others). Strings are skipped; the rest of
 * the syntax is json-glib's to check. */
static gboolean
check_structure (const char *data, gsize len, const char *filename, GError **error)
{
  gboolean in_string = FALSE, started = FALSE;
  guint depth = 0, line = 1;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '\n')
        line++;
      if (in_string)
        {
          if (c == '\\' && i + 1 < len && data[i + 1] != '\n')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (g_ascii_isspace (c))
        continue;
      if (!started && c != '{')
        return lpc_program_set_line_error (error, filename, line,
                                           "not a JSON object: a frab/pretalx schedule JSON is "
                                           "one object with \"schedule\"");
      if (started && depth == 0)
        return lpc_program_set_line_error (error, filename, line,
                                           "more after the JSON object: a schedule is one "
                                           "object");
      started = TRUE;
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            return lpc_program_set_line_error (error, filename, line,
                                               "JSON nested more than %d levels deep: not a "
                                               "schedule",
                                               MAX_DEPTH);
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* json-glib's "<data>:LINE:COLUMN: Parse error: what" as "FILE:LINE: …". */
static gboolean
syntax_error (const char *filename, const GError *json_error, GError **error)
{
  const char *message = json_error->message;
  guint line = 1;

  if (g_str_has_prefix (message, "<data>:"))
    {
      const char *what = strstr (message, ": Parse error: ");

      line = (guint) MAX (1, atoi (message + strlen ("<data>:")));
      if (what != NULL)
        message = what + strlen (": Parse error: ");
    }
  {
    g_autofree char *valid = g_utf8_make_valid (message, -1);
    return lpc_program_set_line_error (error, filename, line, "not valid JSON: %s", valid);
  }
}

static const char *
type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        default:
          return "a number";
        }
    }
}

/* @object's member @name as text in the schedule's strings: NULL when it is
 * absent or null; an integer "id" is written in decimal (pretalx's ids). */
static gboolean
get_text (Reader *r, JsonObject *object, const char *name, gsize max, guint line, const char *where,
          char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (strcmp (name, "id") == 0 && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      *out = lpc_schedule_intern (&r->schedule, number);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return lpc_schedule_error (&r->schedule, line, where, error, "\"%s\" is %s, not a string", name,
                               type_name (node));
  text = json_node_get_string (node);
  if (strlen (text) > max)
    return lpc_schedule_error (&r->schedule, line, where, error,
                               "\"%s\" is longer than %" G_GSIZE_FORMAT " bytes", name, max);
  *out = lpc_schedule_intern (&r->schedule, text);
  return TRUE;
}

static gboolean
get_field (Reader *r, JsonObject *object, const char *name, gsize max, guint line,
           const char *where, LpcScheduleField *field, GError **error)
{
  field->line = line;
  return get_text (r, object, name, max, line, where, &field->text, error);
}

/* @object's member @name when it is of @type; NULL when absent or null. */
static JsonNode *
get_member (Reader *r, JsonObject *object, const char *name, JsonNodeType type, guint line,
            const char *where, gboolean *ok, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_node_type (node) != type)
    {
      *ok = lpc_schedule_error (&r->schedule, line, where, error, "\"%s\" is %s, not %s", name,
                                type_name (node),
                                type == JSON_NODE_OBJECT ? "an object" : "an array");
      return NULL;
    }
  return node;
}

static gboolean
read_persons (Reader *r, JsonObject *object, LpcScheduleEvent *event, GError **error)
{
  gboolean ok;
  JsonNode *node
      = get_member (r, object, "persons", JSON_NODE_ARRAY, event->line, event->where, &ok, error);
  JsonArray *persons;

  if (node == NULL)
    return ok;
  persons = json_node_get_array (node);
  if (json_array_get_length (persons) > 100)
    return lpc_schedule_error (&r->schedule, event->line, event->where, error,
                               "more than 100 persons in one event");
  for (guint i = 0; i < json_array_get_length (persons); i++)
    {
      JsonNode *person = json_array_get_element (persons, i);
      char *name = NULL;
      g_autofree char *line = NULL;

      if (JSON_NODE_HOLDS_OBJECT (person))
        {
          JsonObject *fields = json_node_get_object (person);

          if (!get_text (r, fields, "public_name", LPC_PROGRAM_MAX_SHORT_FIELD, event->line,
                         event->where, &name, error))
            return FALSE;
          if ((name == NULL || *name == '\0')
              && !get_text (r, fields, "name", LPC_PROGRAM_MAX_SHORT_FIELD, event->line,
                            event->where, &name, error))
            return FALSE;
        }
      else if (JSON_NODE_HOLDS_VALUE (person) && json_node_get_value_type (person) == G_TYPE_STRING)
        {
          name = (char *) json_node_get_string (person);
          if (strlen (name) > LPC_PROGRAM_MAX_SHORT_FIELD)
            return lpc_schedule_error (&r->schedule, event->line, event->where, error,
                                       "\"persons\"[%u] is longer than %d bytes", i,
                                       LPC_PROGRAM_MAX_SHORT_FIELD);
        }
      else
        return lpc_schedule_error (&r->schedule, event->line, event->where, error,
                                   "\"persons\"[%u] is %s, not a person", i, type_name (person));
      line = lpc_program_text_one_line (name);
      if (*line != '\0')
        g_ptr_array_add (event->persons, g_steal_pointer (&line));
    }
  return TRUE;
}

static gboolean
read_event (Reader *r, JsonNode *node, const char *path, const char *room_name, guint room_line,
            GError **error)
{
  JsonObject *object;
  LpcScheduleEvent *event;
  guint line;
  char *guid = NULL, *id = NULL;
  g_autofree char *where = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return lpc_schedule_error (&r->schedule, 0, path, error, "an event is %s, not an object",
                               type_name (node));
  object = json_node_get_object (node);
  line = object_line (r, object);
  if (!get_text (r, object, "guid", LPC_PROGRAM_MAX_SHORT_FIELD, line, path, &guid, error)
      || !get_text (r, object, "id", LPC_PROGRAM_MAX_SHORT_FIELD, line, path, &id, error))
    return FALSE;
  if (guid != NULL && *guid == '\0')
    guid = NULL;
  if (id != NULL && *id == '\0')
    id = NULL;
  {
    g_autofree char *key = lpc_program_text_one_line (guid != NULL ? guid : id);

    where = guid != NULL || id != NULL
                ? g_strdup_printf ("%s (%s %s)", path, guid != NULL ? "guid" : "id", key)
                : g_strdup (path);
  }
  event = lpc_schedule_add_event (&r->schedule, line, where, error);
  if (event == NULL)
    return FALSE;
  event->guid = guid;
  event->id = id;
  event->room_name = (char *) room_name;
  event->room_line = room_line;
  for (guint i = 0; i < lpc_schedule_n_text_fields; i++)
    {
      const LpcScheduleTextField *spec = &lpc_schedule_text_fields[i];
      LpcScheduleField *field = lpc_schedule_event_field (event, spec);

      if (!get_field (r, object, spec->name, spec->max, line, event->where, field, error))
        return FALSE;
      /* Where the event is, for the second pass's messages. */
      field->line = 0;
    }
  return read_persons (r, object, event, error);
}

static gboolean
read_day (Reader *r, JsonNode *node, guint index, GError **error)
{
  g_autofree char *path = g_strdup_printf ("schedule.conference.days[%u]", index);
  JsonObject *object;
  LpcScheduleDay *day;
  JsonNode *rooms_node;
  JsonObject *rooms;
  gboolean ok;
  g_autoptr (GList) names = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return lpc_schedule_error (&r->schedule, 0, path, error, "a day is %s, not an object",
                               type_name (node));
  object = json_node_get_object (node);
  day = lpc_schedule_add_day (&r->schedule, object_line (r, object));
  day->where = g_strdup (path);
  if (!get_text (r, object, "date", LPC_PROGRAM_MAX_SHORT_FIELD, day->line, path, &day->date_attr,
                 error)
      || !get_text (r, object, "day_start", LPC_PROGRAM_MAX_SHORT_FIELD, day->line, path,
                    &day->start_attr, error)
      || !get_text (r, object, "day_end", LPC_PROGRAM_MAX_SHORT_FIELD, day->line, path,
                    &day->end_attr, error))
    return FALSE;

  rooms_node = get_member (r, object, "rooms", JSON_NODE_OBJECT, day->line, path, &ok, error);
  if (rooms_node == NULL)
    return ok;
  rooms = json_node_get_object (rooms_node);
  /* Document order: json-glib keeps it. */
  names = json_object_get_members (rooms);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *events_node = json_object_get_member (rooms, name);
      g_autofree char *room = NULL;
      g_autofree char *room_path = NULL;
      JsonArray *events;
      char *room_name;

      if (strlen (name) > LPC_PROGRAM_MAX_SHORT_FIELD)
        return lpc_schedule_error (&r->schedule, day->line, path, error,
                                   "a room's name is longer than %d bytes",
                                   LPC_PROGRAM_MAX_SHORT_FIELD);
      room = lpc_program_text_one_line (name);
      room_path = g_strdup_printf ("%s.rooms[\"%s\"]", path, room);
      if (!JSON_NODE_HOLDS_ARRAY (events_node))
        {
          if (JSON_NODE_HOLDS_NULL (events_node))
            continue;
          return lpc_schedule_error (&r->schedule, day->line, room_path, error,
                                     "a room's events are %s, not an array",
                                     type_name (events_node));
        }
      room_name = *room != '\0' ? lpc_schedule_intern (&r->schedule, room) : NULL;
      events = json_node_get_array (events_node);
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          g_autofree char *event_path = g_strdup_printf ("%s[%u]", room_path, i);
          JsonNode *event = json_array_get_element (events, i);
          guint room_line = JSON_NODE_HOLDS_OBJECT (event)
                                ? object_line (r, json_node_get_object (event))
                                : day->line;

          if (!read_event (r, event, event_path, room_name, room_line, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_schedule (Reader *r, JsonNode *root, GError **error)
{
  const char *filename = r->schedule.filename;
  JsonObject *object;
  JsonNode *schedule_node, *conference_node, *days_node;
  JsonObject *conference;
  JsonArray *days;
  guint line;
  gboolean ok;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return lpc_program_set_line_error (error, filename, 1,
                                       "the JSON is %s, not an object with \"schedule\": not a "
                                       "frab/pretalx schedule JSON",
                                       root != NULL ? type_name (root) : "empty");
  object = json_node_get_object (root);
  line = object_line (r, object);
  schedule_node = json_object_get_member (object, "schedule");
  if (schedule_node == NULL)
    return lpc_program_set_line_error (error, filename, MAX (line, 1),
                                       "no \"schedule\" in the root object: not a frab/pretalx "
                                       "schedule JSON");
  if (!JSON_NODE_HOLDS_OBJECT (schedule_node))
    return lpc_schedule_error (&r->schedule, line, "schedule", error, "it is %s, not an object",
                               type_name (schedule_node));
  object = json_node_get_object (schedule_node);
  line = object_line (r, object);
  conference_node
      = get_member (r, object, "conference", JSON_NODE_OBJECT, line, "schedule", &ok, error);
  if (conference_node == NULL)
    return ok ? lpc_schedule_error (&r->schedule, line, "schedule", error, "no \"conference\"")
              : FALSE;
  conference = json_node_get_object (conference_node);
  line = object_line (r, conference);
  if (!get_field (r, conference, "title", LPC_PROGRAM_MAX_SHORT_FIELD, line, "schedule.conference",
                  &r->schedule.conference_title, error)
      || !get_field (r, conference, "acronym", LPC_PROGRAM_MAX_SHORT_FIELD, line,
                     "schedule.conference", &r->schedule.acronym, error)
      || !get_field (r, conference, "time_zone_name", LPC_PROGRAM_MAX_SHORT_FIELD, line,
                     "schedule.conference", &r->schedule.time_zone_name, error)
      || !get_field (r, conference, "city", LPC_PROGRAM_MAX_SHORT_FIELD, line,
                     "schedule.conference", &r->schedule.city, error)
      || !get_field (r, conference, "venue", LPC_PROGRAM_MAX_SHORT_FIELD, line,
                     "schedule.conference", &r->schedule.venue, error))
    return FALSE;

  days_node = get_member (r, conference, "days", JSON_NODE_ARRAY, line, "schedule.conference", &ok,
                          error);
  if (!ok)
    return FALSE;
  days = days_node != NULL ? json_node_get_array (days_node) : NULL;
  for (guint i = 0; days != NULL && i < json_array_get_length (days); i++)
    {
      if (!read_day (r, json_array_get_element (days, i), i, error))
        return FALSE;
    }
  if (r->schedule.events->len == 0)
    return lpc_schedule_error (&r->schedule, line, "schedule.conference", error,
                               "no event in the whole schedule: an empty program cannot be "
                               "imported");
  return TRUE;
}

LpcProgram *
lpc_program_parse_schedule_json (const char *data, gsize len, const char *filename,
                                 const LpcProgramParseOptions *options, GPtrArray *warnings,
                                 GError **error)
{
  g_auto (Reader) r = { 0 };
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) json_error = NULL;
  gsize skip;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = "(program)";
  if (!lpc_program_check_text (data, len, filename, error))
    return NULL;
  skip = lpc_program_bom_length (data, len);
  if (!check_structure (data + skip, len - skip, filename, error))
    return NULL;

  lpc_schedule_init (&r.schedule, LPC_SCHEDULE_JSON, filename, options, warnings);
  r.lines = g_hash_table_new (NULL, NULL);
  r.open_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  parser = json_parser_new_immutable ();
  g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &r);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &r);
  if (!json_parser_load_from_data (parser, data + skip, (gssize) (len - skip), &json_error))
    {
      syntax_error (filename, json_error, error);
      return NULL;
    }
  if (!read_schedule (&r, json_parser_get_root (parser), error))
    return NULL;
  return lpc_schedule_build (&r.schedule, data, len, error);
}

LpcProgram *
lpc_program_load_schedule_json_file (const char *path, GPtrArray *warnings, GError **error)
{
  return lpc_program_load_file_with_parser (path, lpc_program_parse_schedule_json, warnings, error);
}
