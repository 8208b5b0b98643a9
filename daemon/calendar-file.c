/* calendar-file.c: see calendar-file.h. */
#include "config.h"

#include "calendar-file.h"

#include "agenda-calendar.h"
#include "calendar-path.h"
#include "store.h"

struct _LpcCalendarFile
{
  LpcAgenda *agenda;
  guint idle_id;
  guint writes;
  /* The last failure logged, so a calendar file on a full disk is reported
   * once, not after every call. */
  char *last_failure;
};

LpcCalendarFile *
lpc_calendar_file_new (LpcAgenda *agenda)
{
  LpcCalendarFile *file = g_new0 (LpcCalendarFile, 1);

  file->agenda = agenda;
  return file;
}

void
lpc_calendar_file_free (LpcCalendarFile *file)
{
  if (file == NULL)
    return;
  g_clear_handle_id (&file->idle_id, g_source_remove);
  g_free (file->last_failure);
  g_free (file);
}

gboolean
lpc_calendar_file_update_now (LpcCalendarFile *file, GError **error)
{
  const char *path = lpc_agenda_get_calendar_file (file->agenda);
  g_autofree char *target = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;

  g_clear_handle_id (&file->idle_id, g_source_remove);
  if (path == NULL)
    {
      g_clear_pointer (&file->last_failure, g_free);
      return TRUE;
    }
  /* Checked again at every write: the path (a link, a folder) may have
   * been changed to lead to the database since it was set. */
  target = lpc_calendar_path_resolve (
      path, lpc_store_get_path (lpc_agenda_get_store (file->agenda)), &local_error);
  if (target != NULL)
    text = lpc_agenda_export_ics (file->agenda, FALSE, &local_error);
  if (text == NULL || !lpc_calendar_file_write (target, text, &local_error))
    {
      g_free (file->last_failure);
      file->last_failure = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  file->writes++;
  g_clear_pointer (&file->last_failure, g_free);
  return TRUE;
}

static void
update_logging_failure (LpcCalendarFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *previous = g_strdup (file->last_failure);

  if (!lpc_calendar_file_update_now (file, &error) && g_strcmp0 (previous, error->message) != 0)
    g_warning ("Could not update the calendar file: %s", error->message);
}

void
lpc_calendar_file_flush (LpcCalendarFile *file)
{
  if (file->idle_id == 0)
    return;
  g_clear_handle_id (&file->idle_id, g_source_remove);
  update_logging_failure (file);
}

static gboolean
on_idle (gpointer user_data)
{
  LpcCalendarFile *file = user_data;

  file->idle_id = 0;
  update_logging_failure (file);
  return G_SOURCE_REMOVE;
}

void
lpc_calendar_file_queue_update (LpcCalendarFile *file)
{
  if (file->idle_id != 0 || lpc_agenda_get_calendar_file (file->agenda) == NULL)
    return;
  file->idle_id = g_idle_add_full (G_PRIORITY_LOW, on_idle, file, NULL);
}

const char *
lpc_calendar_file_get_error (LpcCalendarFile *file)
{
  return file->last_failure;
}

guint
lpc_calendar_file_get_writes (LpcCalendarFile *file)
{
  return file->writes;
}
