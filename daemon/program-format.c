/* program-format.c: telling program formats apart, and the loader for all. */
#include "program-format.h"

#include "lpc-error.h"
#include "program-file.h"
#include "program-frab-xml.h"
#include "program-ics.h"
#include "program-schedule-json.h"
#include "program-lpc-text.h"

#include <string.h>

#define SNIFF_LEN 4096

static gboolean
starts_with_nocase (const char *s, const char *end, const char *prefix)
{
  gsize n = strlen (prefix);
  return (gsize) (end - s) >= n && g_ascii_strncasecmp (s, prefix, n) == 0;
}

static const char *
skip_space (const char *s, const char *end)
{
  while (s < end && g_ascii_isspace (*s))
    s++;
  return s;
}

/* Past "<?…?>" declarations and "<!--…-->" comments, to the first element
 * or DOCTYPE. NULL when they do not end within @end. */
static const char *
skip_xml_prolog (const char *s, const char *end)
{
  for (;;)
    {
      const char *close;

      s = skip_space (s, end);
      if (starts_with_nocase (s, end, "<?"))
        close = g_strstr_len (s, end - s, "?>");
      else if (starts_with_nocase (s, end, "<!--"))
        close = g_strstr_len (s, end - s, "-->");
      else
        return s;
      if (close == NULL)
        return NULL;
      s = close + (s[1] == '?' ? 2 : 3);
    }
}

/* Whether the JSON object that @s starts has a member "schedule": its
 * members' names are the strings at depth 1 followed by ':'. */
static gboolean
json_has_schedule (const char *s, const char *end)
{
  static const char wanted[] = "\"schedule\"";
  guint depth = 0;

  for (; s < end; s++)
    {
      if (*s == '"')
        {
          const char *string = s;
          const char *after;

          for (s++; s < end && *s != '"'; s++)
            {
              if (*s == '\\')
                s++;
            }
          if (s >= end)
            return FALSE;
          after = skip_space (s + 1, end);
          if (depth == 1 && after < end && *after == ':' && (gsize) (s + 1 - string) == strlen (wanted)
              && memcmp (string, wanted, strlen (wanted)) == 0)
            return TRUE;
        }
      else if (*s == '{' || *s == '[')
        depth++;
      else if ((*s == '}' || *s == ']') && depth > 0)
        depth--;
    }
  return FALSE;
}

LpcProgramFormat
lpc_program_detect_format (const char *data, gsize len)
{
  const char *s = data, *end;

  if (data == NULL)
    return LPC_PROGRAM_FORMAT_UNKNOWN;
  end = data + MIN (len, SNIFF_LEN);
  if (memchr (data, '\0', (gsize) (end - data)) != NULL)
    return LPC_PROGRAM_FORMAT_UNKNOWN;
  if (starts_with_nocase (s, end, "\xef\xbb\xbf"))
    s += 3;
  s = skip_space (s, end);

  if (starts_with_nocase (s, end, "BEGIN:VCALENDAR"))
    return LPC_PROGRAM_FORMAT_ICALENDAR;
  if (s < end && *s == '{' && json_has_schedule (s, data + len))
    return LPC_PROGRAM_FORMAT_SCHEDULE_JSON;
  if (s < end && (*s == '{' || *s == '['))
    return LPC_PROGRAM_FORMAT_UNKNOWN;
  if (s < end && *s == '<')
    {
      const char *element = skip_xml_prolog (s, end);

      /* A declaration that does not end in the first 4 KiB is still XML. */
      if (element == NULL)
        return LPC_PROGRAM_FORMAT_FRAB_XML;
      if (starts_with_nocase (element, end, "<!DOCTYPE html") || starts_with_nocase (element, end, "<html"))
        return LPC_PROGRAM_FORMAT_UNKNOWN;
      return LPC_PROGRAM_FORMAT_FRAB_XML;
    }
  return LPC_PROGRAM_FORMAT_LPC_TEXT;
}

const char *
lpc_program_format_to_string (LpcProgramFormat format)
{
  switch (format)
    {
    case LPC_PROGRAM_FORMAT_LPC_TEXT:
      return "LPC timetable text";
    case LPC_PROGRAM_FORMAT_FRAB_XML:
      return "frab schedule XML";
    case LPC_PROGRAM_FORMAT_ICALENDAR:
      return "iCalendar";
    case LPC_PROGRAM_FORMAT_SCHEDULE_JSON:
      return "frab schedule JSON";
    case LPC_PROGRAM_FORMAT_UNKNOWN:
    default:
      return "unknown";
    }
}

/* What an unknown file looks like, for the message. */
static const char *
describe_unknown (const char *data, gsize len)
{
  const char *end = data + MIN (len, SNIFF_LEN);
  const char *s = data;

  if (memchr (data, '\0', (gsize) (end - data)) != NULL)
    return "a binary file";
  if (starts_with_nocase (s, end, "\xef\xbb\xbf"))
    s += 3;
  s = skip_space (s, end);
  if (s < end && *s == '{')
    return "JSON, but not a frab/pretalx schedule.json (its root object has no \"schedule\")";
  if (s < end && *s == '[')
    return "a JSON array, not a frab/pretalx schedule.json (an object with \"schedule\")";
  return "an HTML page (a web page saved instead of the program file?)";
}

LpcProgram *
lpc_program_parse_any (const char *data, gsize len, const char *filename, LpcProgramFormat format,
                       const LpcProgramParseOptions *options, GPtrArray *warnings, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = "(program)";
  if (data == NULL)
    data = "";
  if (format == LPC_PROGRAM_FORMAT_UNKNOWN)
    format = lpc_program_detect_format (data, len);

  switch (format)
    {
    case LPC_PROGRAM_FORMAT_LPC_TEXT:
      return lpc_program_parse_lpc_text (data, len, filename, options, warnings, error);
    case LPC_PROGRAM_FORMAT_FRAB_XML:
      return lpc_program_parse_frab_xml (data, len, filename, options, warnings, error);
    case LPC_PROGRAM_FORMAT_ICALENDAR:
      return lpc_program_parse_ics (data, len, filename, options, warnings, error);
    case LPC_PROGRAM_FORMAT_SCHEDULE_JSON:
      return lpc_program_parse_schedule_json (data, len, filename, options, warnings, error);
    case LPC_PROGRAM_FORMAT_UNKNOWN:
    default:
      g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
                   "%s: not a program this version can read: it looks like %s; programs can "
                   "be LPC timetable text, frab/pentabarf schedule XML, frab/pretalx schedule "
                   "JSON or iCalendar (.ics)",
                   filename, describe_unknown (data, len));
      return NULL;
    }
}

LpcProgram *
lpc_program_load_file (const char *path, const LpcProgramParseOptions *options, GPtrArray *warnings,
                       LpcProgramFormat *out_format,
                       GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  const char *data;
  gsize len;
  LpcProgramFormat format;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_format != NULL)
    *out_format = LPC_PROGRAM_FORMAT_UNKNOWN;
  if (!lpc_program_read_file (path, &bytes, error))
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  if (data == NULL)
    data = "";
  format = lpc_program_detect_format (data, len);
  if (out_format != NULL)
    *out_format = format;
  return lpc_program_parse_any (data, len, path, format, options, warnings, error);
}
