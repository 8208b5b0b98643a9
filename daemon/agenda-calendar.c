/* agenda-calendar.c: see agenda-calendar.h. */
#include "config.h"

#include "agenda-calendar.h"


#include "calendar-export.h"
#include "lpc-error.h"

/* "10,0" -> {10, 0}; "off" -> none. The spec is already normalised (the
 * store only holds specs lpc_agenda_normalize_remind() accepted). */
static GArray *
parse_leads (const char *spec)
{
  GArray *leads = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto (GStrv) parts = NULL;

  if (spec == NULL || *spec == '\0' || g_str_equal (spec, "off"))
    return leads;
  parts = g_strsplit (spec, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 minutes;

      if (g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, LPC_LEAD_TIME_MAX, &minutes,
                                      NULL))
        {
          guint lead = (guint) minutes;
          g_array_append_val (leads, lead);
        }
    }
  return leads;
}

static gboolean
exported (LpcItemState state, gboolean include_skipped)
{
  return include_skipped || state == LPC_ITEM_PLANNED || state == LPC_ITEM_MOVED;
}

gboolean
lpc_calendar_format_from_string (const char *str, LpcCalendarFormat *out_format)
{
  if (g_strcmp0 (str, "ics") == 0)
    *out_format = LPC_CALENDAR_ICS;
  else if (g_strcmp0 (str, "json") == 0)
    *out_format = LPC_CALENDAR_JSON;
  else
    return FALSE;
  return TRUE;
}

char *
lpc_agenda_export_ics (LpcAgenda *agenda, gboolean include_skipped, GError **error)
{
  return lpc_agenda_export_calendar (agenda, LPC_CALENDAR_ICS, include_skipped, error);
}

char *
lpc_agenda_export_calendar (LpcAgenda *agenda, LpcCalendarFormat format,
                            gboolean include_skipped, GError **error)
{
  g_auto (LpcAgendaFilter) filter = { 0 };
  g_autoptr (GPtrArray) rows = lpc_agenda_list_agenda (agenda, &filter, error);
  g_autoptr (GPtrArray) abstracts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) lead_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GArray) events = g_array_new (FALSE, TRUE, sizeof (LpcCalendarEvent));
  LpcProgram *program;
  LpcCalendarExport export;
  const char *default_leads;

  if (rows == NULL)
    return NULL;
  program = lpc_agenda_get_program (agenda);
  default_leads = lpc_agenda_get_lead_times (agenda);
  for (guint i = 0; i < rows->len; i++)
    {
      LpcAgendaRow *row = g_ptr_array_index (rows, i);
      LpcCalendarEvent event = { 0 };
      char *abstract;
      GArray *leads;

      if (!exported (row->item->state, include_skipped))
        continue;
      abstract = lpc_agenda_dup_abstract (agenda, row->entry, error);
      if (abstract == NULL)
        return NULL;
      g_ptr_array_add (abstracts, abstract);
      leads = parse_leads (row->item->remind != NULL ? row->item->remind : default_leads);
      g_ptr_array_add (lead_lists, leads);
      event.entry = row->entry;
      event.state = row->item->state;
      event.abstract = abstract;
      event.note = row->item->note;
      event.leads = (const guint *) (gpointer) leads->data;
      event.n_leads = leads->len;
      g_array_append_val (events, event);
    }
  export.program_name = program->name;
  export.timezone = program->timezone;
  export.stamp = lpc_clock_now (lpc_agenda_get_clock (agenda));
  if (format == LPC_CALENDAR_JSON)
    return lpc_calendar_export_json (&export, (const LpcCalendarEvent *) (gpointer) events->data,
                                     events->len, error);
  return lpc_calendar_export_ics (&export, (const LpcCalendarEvent *) (gpointer) events->data,
                                  events->len, error);
}

gboolean
lpc_calendar_file_write (const char *path, const char *contents, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (path == NULL || !g_path_is_absolute (path))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "calendar file '%s': not an absolute path", path != NULL ? path : "");
      return FALSE;
    }
  /* CONSISTENT: temporary file + fsync + rename; the mode is for the
   * user's own calendar application, which runs as the user. */
  if (!g_file_set_contents_full (path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "calendar file %s: %s", path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
