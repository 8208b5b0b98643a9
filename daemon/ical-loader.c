/* ical-loader.c: the daemon's way to libical. libical brings ICU and
 * libstdc++ with it, about 3 MiB of resident pages at start-up — most of an
 * idle daemon's memory — for features used now and then (an export, an .ics
 * program, the living calendar). So the daemon is linked with this file
 * instead of calendar-export.c and program-ics.c: it defines their two entry
 * points, and on the first call loads them from the module liblpc-ical.so,
 * which holds the real ones. The tests, benchmarks and fuzzers link the real
 * ones directly.
 *
 * The module sits beside lpc-agendad (in the build tree and where it is
 * installed, libexecdir); LPC_ICAL_MODULE names another path. */
#include "config.h"

#include <gmodule.h>

#include "calendar-export.h"
#include "lpc-error.h"
#include "program-ics.h"

typedef char *(*ExportIcsFunc) (const LpcCalendarExport *export, const LpcCalendarEvent *events,
                                guint n_events, GError **error);
typedef LpcProgram *(*ParseIcsFunc) (const char *data, gsize len, const char *filename, const LpcProgramParseOptions *options,
                                     GPtrArray *warnings, GError **error);

typedef struct
{
  GModule *module; /* never closed: what it made may still be in use */
  ExportIcsFunc export_ics;
  ParseIcsFunc parse_ics;
  char *failure; /* why it could not be loaded; set once */
} IcalModule;

static char *
module_path (void)
{
  const char *override = g_getenv ("LPC_ICAL_MODULE");
  g_autofree char *exe = NULL;
  g_autofree char *dir = NULL;

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  exe = g_file_read_link ("/proc/self/exe", NULL);
  dir = exe != NULL ? g_path_get_dirname (exe) : g_strdup (LPC_LIBEXECDIR);
  return g_build_filename (dir, "liblpc-ical.so", NULL);
}

static IcalModule *
ical_module (GError **error)
{
  static IcalModule ical;
  static gsize loaded = 0;

  /* One attempt per process: a module that is not there now will not be
   * there on the next call either. */
  if (g_once_init_enter (&loaded))
    {
      g_autofree char *path = module_path ();

      ical.module = g_module_open (path, G_MODULE_BIND_LOCAL);
      if (ical.module == NULL)
        ical.failure = g_strdup_printf ("cannot load %s: %s", path, g_module_error ());
      else if (!g_module_symbol (ical.module, "lpc_calendar_export_ics",
                                 (gpointer *) &ical.export_ics)
               || !g_module_symbol (ical.module, "lpc_program_parse_ics",
                                    (gpointer *) &ical.parse_ics))
        ical.failure = g_strdup_printf ("%s: %s", path, g_module_error ());
      g_once_init_leave (&loaded, 1);
    }
  if (ical.failure != NULL)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_FAILED,
                   "iCalendar support is not available (%s): reinstall lpc-agenda",
                   ical.failure);
      return NULL;
    }
  return &ical;
}

char *
lpc_calendar_export_ics (const LpcCalendarExport *export, const LpcCalendarEvent *events,
                         guint n_events, GError **error)
{
  IcalModule *ical = ical_module (error);

  return ical != NULL ? ical->export_ics (export, events, n_events, error) : NULL;
}

LpcProgram *
lpc_program_parse_ics (const char *data, gsize len, const char *filename, const LpcProgramParseOptions *options, GPtrArray *warnings,
                       GError **error)
{
  IcalModule *ical = ical_module (error);

  return ical != NULL ? ical->parse_ics (data, len, filename, options, warnings, error) : NULL;
}
