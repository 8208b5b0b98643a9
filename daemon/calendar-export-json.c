/* calendar-export-json.c: the UIDs of exported events and the JSON export
 * (see calendar-export.h). No libical here: the daemon keeps it out of its
 * start-up (see ical-loader.c). */
#include "config.h"

#include "calendar-export.h"

#include "lpc-error.h"
#include "slug.h"

gboolean
lpc_calendar_event_is_cancelled (const LpcCalendarEvent *event)
{
  return event->state == LPC_ITEM_SKIPPED || event->state == LPC_ITEM_CANCELLED;
}

char *
lpc_calendar_event_uid (const char *program_name, const char *entry_id)
{
  g_autofree char *domain = lpc_slugify (program_name != NULL ? program_name : "", 64);

  if (domain == NULL || *domain == '\0')
    {
      g_free (domain);
      domain = g_strdup ("program");
    }
  return g_strdup_printf ("%s@%s" LPC_CALENDAR_UID_SUFFIX, entry_id, domain);
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
      gboolean cancelled = lpc_calendar_event_is_cancelled (event);

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
