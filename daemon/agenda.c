/* agenda.c: the daemon's one context and the operations on it. */
#include "agenda.h"

#include "agenda-conflicts.h"
#include "calendar-path.h"
#include "lpc-error.h"
#include "program-format.h"
#include "program-lpc-text.h"
#include "talk-lookup.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Settings keys in the store. */
#define SETTING_LEAD_TIME "lead-time"
#define SETTING_TRAVEL_TIME "travel-time"
#define SETTING_SOFT_OVERLAP "soft-overlap"
/* The .ics file the daemon keeps current; unset or "" when none. */
#define SETTING_CALENDAR_FILE "calendar-file"
/* The content hash of the --program file last imported at start, so that a
 * program the user imported since is not replaced at every start just
 * because the shipped file differs from it. */
#define SETTING_STARTUP_PROGRAM_HASH "startup-program-hash"

/* A day of the calendar in the program's zone, as the UTC seconds it spans. */
typedef struct
{
  gint64 start; /* its midnight */
  gint64 end;   /* the next day's midnight */
  GDateYear year;
  GDateMonth month;
  GDateDay day;
  GDateWeekday weekday;
} ProgramDay;

/* A program's days are counted with this table rather than a GTimeZone: the
 * zone holds its whole transition table (some 70 KiB for
 * America/Los_Angeles) for the daemon's lifetime, the days of a conference
 * take a few dozen bytes, and finding one is cheaper than converting a
 * time. A program spanning more days than this is counted with the zone. */
#define PROGRAM_DAYS_MAX 400

struct _LpcAgenda
{
  LpcStore *store;
  LpcProgram *program;
  GArray *days;            /* ProgramDay, in order: every day an entry starts on */
  GTimeZone *timezone;     /* the program's; made by lpc_agenda_get_timezone() */
  GHashTable *occurrences; /* occurrence group -> GPtrArray of ids borrowed from program */
  LpcClock *clock;
  guint lead_time;  /* the first (largest) of lead_times: the LeadTime property */
  char *lead_times; /* the default reminder leads, normalised ("5", "10,0") */
  char *calendar_file; /* the living calendar's path; NULL when none */
  guint travel_time;
  guint soft_overlap;
  /* The program indexed for conflicts, made on first use and dropped with
   * the program: an O(n log n) build that a daemon only listing talks
   * never needs. */
  LpcProgramIndex *index;
  gboolean program_was_parsed;
  gboolean import_running; /* an asynchronous import's parse is under way */
  GQueue import_queue;     /* GTask*, owned: the imports waiting for it */
  LpcStorageState storage;
  char *storage_message; /* why storage is not LPC_STORAGE_OK */
};

void
lpc_agenda_row_free (LpcAgendaRow *row)
{
  if (row == NULL)
    return;
  lpc_agenda_item_free (row->item);
  lpc_entry_free (row->entry);
  g_free (row);
}

void
lpc_item_options_clear (LpcItemOptions *options)
{
  g_clear_pointer (&options->remind, g_free);
  g_clear_pointer (&options->note, g_free);
}

void
lpc_agenda_filter_clear (LpcAgendaFilter *filter)
{
  lpc_talk_filter_clear (&filter->when);
}

void
lpc_agenda_free (LpcAgenda *agenda)
{
  if (agenda == NULL)
    return;
  g_queue_clear_full (&agenda->import_queue, g_object_unref);
  g_clear_pointer (&agenda->index, lpc_program_index_free);
  g_clear_pointer (&agenda->occurrences, g_hash_table_unref);
  g_clear_pointer (&agenda->timezone, g_time_zone_unref);
  g_clear_pointer (&agenda->days, g_array_unref);
  g_clear_pointer (&agenda->program, lpc_program_unref);
  g_clear_pointer (&agenda->store, lpc_store_free);
  g_clear_pointer (&agenda->clock, lpc_clock_free);
  g_free (agenda->lead_times);
  g_free (agenda->calendar_file);
  g_free (agenda->storage_message);
  g_free (agenda);
}

/* ---- storage faults ---- */

const char *
lpc_storage_state_to_string (LpcStorageState state)
{
  switch (state)
    {
    case LPC_STORAGE_OK:
      return "ok";
    case LPC_STORAGE_READ_ONLY:
      return "read-only";
    case LPC_STORAGE_UNAVAILABLE:
      return "unavailable";
    default:
      g_return_val_if_reached ("unavailable");
    }
}

LpcStorageState
lpc_agenda_get_storage (LpcAgenda *agenda, const char **out_message)
{
  if (out_message != NULL)
    *out_message = agenda->storage_message;
  return agenda->storage;
}

/* The gate of every operation that reads the agenda (the user's picks,
 * settings, the reminder log): with no store there is none, and the error
 * says why and what to do. Operations on the program alone do not pass here. */
static gboolean
require_store (LpcAgenda *agenda, GError **error)
{
  if (agenda->storage != LPC_STORAGE_UNAVAILABLE)
    return TRUE;
  g_set_error_literal (error, LPC_ERROR, LPC_ERROR_STORAGE, agenda->storage_message);
  return FALSE;
}

/* The gate of every operation that changes what is stored, checked before
 * anything else, so that a read-only store refuses the same way whatever
 * the change. @what is what would be saved. */
static gboolean
require_writable_store (LpcAgenda *agenda, const char *what, GError **error)
{
  return require_store (agenda, error) && lpc_store_require_writable (agenda->store, what, error);
}

/* ---- the program ---- */

/* Bringing up a program (at start, or by ImportProgram) reads a file, builds
 * the program twice (as parsed, then as the store keeps it) and fills
 * SQLite's page cache: several hundred KiB that an idle daemon has no use
 * for. The page cache is dropped, and glibc is asked to give the freed heap
 * back: by itself it keeps free pages mapped below the top of the heap, and
 * they would count in the daemon's RSS for as long as it runs. */
static void
release_work_memory (LpcAgenda *agenda)
{
  lpc_store_release_memory (agenda->store);
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

static GTimeZone *
program_timezone (LpcProgram *program, GError **error)
{
  GTimeZone *zone = g_time_zone_new_identifier (program->timezone);

  if (zone == NULL)
    g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
                 "the program's time zone '%s' is unknown to this system (is tzdata installed?)",
                 program->timezone);
  return zone;
}

/* The days, in @zone, from the one @first starts on to the one @last
 * starts on; NULL when there are more than PROGRAM_DAYS_MAX. */
static GArray *
program_days (GTimeZone *zone, gint64 first, gint64 last)
{
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (ProgramDay));
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (first);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) midnight = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, zone);
  midnight = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  while (midnight != NULL && g_date_time_to_unix (midnight) <= last)
    {
      g_autoptr (GDateTime) tomorrow = NULL;
      g_autoptr (GDateTime) next = NULL;
      ProgramDay day;
      int year, month, day_of_month;

      if (days->len == PROGRAM_DAYS_MAX)
        return NULL;
      /* The next midnight, whatever the day's length (23 or 25 hours at a
       * change of summer time). */
      g_date_time_get_ymd (midnight, &year, &month, &day_of_month);
      tomorrow = g_date_time_add_days (midnight, 1);
      if (tomorrow == NULL)
        return NULL;
      next = g_date_time_new (zone, g_date_time_get_year (tomorrow),
                              g_date_time_get_month (tomorrow),
                              g_date_time_get_day_of_month (tomorrow), 0, 0, 0);
      if (next == NULL)
        return NULL;
      day = (ProgramDay){
        .start = g_date_time_to_unix (midnight),
        .end = g_date_time_to_unix (next),
        .year = (GDateYear) year,
        .month = (GDateMonth) month,
        .day = (GDateDay) day_of_month,
        .weekday = (GDateWeekday) g_date_time_get_day_of_week (midnight),
      };
      g_array_append_val (days, day);
      g_date_time_unref (midnight);
      midnight = g_steal_pointer (&next);
    }
  return midnight != NULL ? g_steal_pointer (&days) : NULL;
}

/* The program's day that @time falls on, or NULL when it is not one. */
static const ProgramDay *
find_program_day (LpcAgenda *agenda, gint64 time)
{
  guint low = 0;
  guint high = agenda->days != NULL ? agenda->days->len : 0;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const ProgramDay *day = &g_array_index (agenda->days, ProgramDay, middle);

      if (time < day->start)
        high = middle;
      else if (time >= day->end)
        low = middle + 1;
      else
        return day;
    }
  return NULL;
}

/* Whether @entry starts on a day @filter keeps. Outside the program's days
 * (an agenda item whose talk was cancelled) it takes the zone: the agenda's
 * if it has made it, else @zone, made here once per listing. */
static gboolean
day_matches (LpcAgenda *agenda, const LpcTalkFilter *filter, const LpcEntry *entry,
             GTimeZone **zone)
{
  const ProgramDay *day;

  if (!lpc_talk_filter_has_day (filter))
    return TRUE;
  day = find_program_day (agenda, entry->start);
  if (day != NULL)
    return lpc_talk_filter_matches_date (filter, day->year, day->month, day->day, day->weekday);
  if (agenda->timezone != NULL)
    return lpc_talk_filter_matches_time (filter, entry, agenda->timezone);
  if (*zone == NULL)
    *zone = g_time_zone_new_identifier (agenda->program->timezone);
  /* The zone was valid when the program was loaded; should it have gone
   * since, days are counted in UTC rather than not at all. */
  if (*zone == NULL)
    *zone = g_time_zone_new_utc ();
  return lpc_talk_filter_matches_time (filter, entry, *zone);
}

/* Takes @program; @zone is its zone, only used here. */
static void
set_program (LpcAgenda *agenda, LpcProgram *program, GTimeZone *zone)
{
  gint64 first = G_MAXINT64;
  gint64 last = G_MININT64;

  g_clear_pointer (&agenda->index, lpc_program_index_free);
  g_clear_pointer (&agenda->occurrences, g_hash_table_unref);
  g_clear_pointer (&agenda->timezone, g_time_zone_unref);
  g_clear_pointer (&agenda->days, g_array_unref);
  g_clear_pointer (&agenda->program, lpc_program_unref);
  agenda->program = program;

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);

      first = MIN (first, entry->start);
      last = MAX (last, entry->start);
    }
  if (first <= last)
    agenda->days = program_days (zone, first, last);
  /* Without a table, days are counted with the zone. */
  if (agenda->days == NULL)
    agenda->timezone = g_time_zone_ref (zone);

  agenda->occurrences
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      GPtrArray *ids;

      if (entry->occurrence_group == NULL)
        continue;
      ids = g_hash_table_lookup (agenda->occurrences, entry->occurrence_group);
      if (ids == NULL)
        {
          ids = g_ptr_array_new ();
          g_hash_table_insert (agenda->occurrences, entry->occurrence_group, ids);
        }
      g_ptr_array_add (ids, entry->id);
    }
}

static gboolean
load_stored_program (LpcAgenda *agenda, GError **error)
{
  g_autoptr (LpcProgram) program = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  GError *local_error = NULL;

  /* Lean: the abstracts, most of the program's text, stay in the store
   * until a call needs them. */
  program = lpc_store_load_program_lean (agenda->store, &local_error);
  if (program == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                     "%s holds no program: start lpc-agendad with --program FILE",
                     lpc_store_get_path (agenda->store));
      return FALSE;
    }
  zone = program_timezone (program, error);
  if (zone == NULL)
    return FALSE;
  set_program (agenda, g_steal_pointer (&program), zone);
  return TRUE;
}

/* Parses @path with @options (may be NULL), adding the importer's warnings
 * to @warnings, and checks what the agenda needs of a program, so an
 * unusable one is never stored. */
static LpcProgram *
parse_program_file (const char *path, const LpcProgramParseOptions *options, GPtrArray *warnings,
                    GError **error)
{
  g_autoptr (LpcProgram) parsed = NULL;
  g_autoptr (GTimeZone) zone = NULL;

  parsed = lpc_program_load_file (path, options, warnings, NULL, error);
  if (parsed == NULL)
    return NULL;
  zone = program_timezone (parsed, error);
  if (zone == NULL)
    return NULL;
  return g_steal_pointer (&parsed);
}

/* The program file given at start: there is no caller to tell the
 * warnings, so the log is where they go. */
static LpcProgram *
parse_startup_program_file (const char *path, GError **error)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  LpcProgram *parsed = parse_program_file (path, NULL, warnings, error);

  for (guint i = 0; i < warnings->len; i++)
    g_message ("%s", (const char *) g_ptr_array_index (warnings, i));
  return parsed;
}

/* Imports @parsed in one transaction, then takes the program back from the
 * store so the ids are the ones it keeps stable. */
static gboolean
import_parsed (LpcAgenda *agenda, LpcProgram *parsed, LpcImportFlags flags,
               LpcImportSummary *out_summary, GError **error)
{
  if (!lpc_store_import_program_full (agenda->store, parsed, flags, out_summary, error))
    return FALSE;
  if (!load_stored_program (agenda, error))
    return FALSE;
  agenda->program_was_parsed = TRUE;
  return TRUE;
}

/* The program file named at start, as far as it was read before the store
 * was opened. */
typedef struct
{
  const char *path; /* NULL: none given */
  char *hash;       /* NULL: it could not be read, see hash_error */
  GError *hash_error;
  LpcProgram *parsed; /* already parsed (on a first start), or NULL */
} StartupProgram;

static void
startup_program_clear (StartupProgram *program)
{
  g_clear_pointer (&program->hash, g_free);
  g_clear_error (&program->hash_error);
  g_clear_pointer (&program->parsed, lpc_program_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StartupProgram, startup_program_clear)

/* Whether the stored program is called @name (or none is stored). */
static gboolean
stored_program_named (LpcAgenda *agenda, const char *name)
{
  g_autofree char *stored = lpc_store_dup_program_name (agenda->store);

  return stored == NULL || g_strcmp0 (stored, name) == 0;
}

static gboolean
bring_up_program (LpcAgenda *agenda, StartupProgram *file, GError **error)
{
  g_autofree char *stored_hash = lpc_store_dup_program_hash (agenda->store);
  g_autofree char *startup_hash = NULL;
  g_autoptr (GError) local_error = NULL;
  LpcImportSummary summary = { 0 };
  gboolean imported;

  if (file->path == NULL)
    return load_stored_program (agenda, error);
  if (file->hash == NULL)
    {
      if (stored_hash == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&file->hash_error));
          return FALSE;
        }
      /* The agenda is still usable with the program the store has. */
      g_warning ("%s; using the program stored in %s", file->hash_error->message,
                 lpc_store_get_path (agenda->store));
      return load_stored_program (agenda, error);
    }

  startup_hash = lpc_store_get_setting (agenda->store, SETTING_STARTUP_PROGRAM_HASH);
  if (stored_hash != NULL
      && (strcmp (file->hash, stored_hash) == 0 || g_strcmp0 (file->hash, startup_hash) == 0))
    return load_stored_program (agenda, error);

  g_info ("importing %s into %s", file->path, lpc_store_get_path (agenda->store));
  if (file->parsed == NULL)
    file->parsed = parse_startup_program_file (file->path, error);
  if (file->parsed == NULL)
    return FALSE;
  /* The file given at start is of another conference than the stored
   * program: the user switched conferences with ReplaceProgram since, and
   * a start (or a new version of the startup file) must not switch back. */
  if (stored_hash != NULL && !stored_program_named (agenda, file->parsed->name))
    {
      g_message ("%s is the program of “%s”, not of the conference on the agenda; using the "
                 "program stored in %s (import it with --replace to switch)",
                 file->path, file->parsed->name, lpc_store_get_path (agenda->store));
      return load_stored_program (agenda, error);
    }
  imported = import_parsed (agenda, file->parsed, LPC_IMPORT_DEFAULT, &summary, &local_error);
  lpc_import_summary_clear (&summary);
  if (!imported)
    {
      /* The import was rolled back whole (read-only, disk full): the
       * program the store has is still a good one to serve. */
      if (stored_hash == NULL || !g_error_matches (local_error, LPC_ERROR, LPC_ERROR_STORAGE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_message ("Could not import %s: %s; using the program stored in %s", file->path,
                 local_error->message, lpc_store_get_path (agenda->store));
      return load_stored_program (agenda, error);
    }
  /* Only an optimisation for the next start: a failure loses nothing. */
  if (!lpc_store_set_setting (agenda->store, SETTING_STARTUP_PROGRAM_HASH, file->hash,
                              &local_error))
    g_message ("%s", local_error->message);
  return TRUE;
}

/* ---- settings ---- */

static guint
load_minutes_setting (LpcStore *store, const char *key, guint default_value, guint max_value)
{
  g_autofree char *value = lpc_store_get_setting (store, key);
  g_autoptr (GError) error = NULL;
  guint64 minutes;

  if (value == NULL)
    return default_value;
  if (!g_ascii_string_to_unsigned (value, 10, 0, max_value, &minutes, &error))
    {
      g_warning ("stored setting %s='%s' is unusable (%s); using %u", key, value, error->message,
                 default_value);
      return default_value;
    }
  return (guint) minutes;
}

static gboolean
store_minutes_setting (LpcAgenda *agenda, const char *key, const char *name, guint minutes,
                       guint max_value, GError **error)
{
  g_autofree char *value = NULL;

  if (minutes > max_value)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "%s %u is out of range: give 0 to %u minutes", name, minutes, max_value);
      return FALSE;
    }
  if (!require_writable_store (agenda, "the setting", error))
    return FALSE;
  value = g_strdup_printf ("%u", minutes);
  return lpc_store_set_setting (agenda->store, key, value, error);
}

/* The lead-time setting holds the default lead list, normalised ("10,0"). A
 * single number, which is all older versions wrote there, is a list of one. */
static gboolean
parse_lead_times (const char *spec, char **out_normalized, guint *out_first, GError **error)
{
  g_autofree char *normalized = lpc_agenda_normalize_remind (spec, NULL);

  /* "" and "off" are fine for one item (the default; no reminder), not for
   * the default itself: it must say when. */
  if (normalized == NULL || *normalized == '\0' || strcmp (normalized, "off") == 0)
    {
      g_autofree char *quoted = lpc_talk_lookup_quote (spec);

      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "LeadTimes '%s' is not a list of minutes before the start, each 0 to %d, "
                   "separated by commas, such as \"10,0\" (at most %d of them); to have no "
                   "reminder for one talk, set its remind to \"off\"",
                   quoted, LPC_LEAD_TIME_MAX, LPC_REMIND_MAX_LEADS);
      return FALSE;
    }
  *out_first = (guint) g_ascii_strtoull (normalized, NULL, 10);
  *out_normalized = g_steal_pointer (&normalized);
  return TRUE;
}

static void
load_lead_times (LpcAgenda *agenda)
{
  g_autofree char *value = lpc_store_get_setting (agenda->store, SETTING_LEAD_TIME);
  g_autoptr (GError) error = NULL;

  if (value != NULL && parse_lead_times (value, &agenda->lead_times, &agenda->lead_time, &error))
    return;
  if (value != NULL)
    g_warning ("stored setting %s='%s' is unusable (%s); using %d", SETTING_LEAD_TIME, value,
               error->message, LPC_LEAD_TIME_DEFAULT);
  agenda->lead_time = LPC_LEAD_TIME_DEFAULT;
  agenda->lead_times = g_strdup_printf ("%d", LPC_LEAD_TIME_DEFAULT);
}

guint
lpc_agenda_get_lead_time (LpcAgenda *agenda)
{
  return agenda->lead_time;
}

const char *
lpc_agenda_get_lead_times (LpcAgenda *agenda)
{
  return agenda->lead_times;
}

gboolean
lpc_agenda_set_lead_times (LpcAgenda *agenda, const char *spec, GError **error)
{
  g_autofree char *normalized = NULL;
  guint first = 0;

  if (!parse_lead_times (spec, &normalized, &first, error)
      || !require_writable_store (agenda, "the setting", error)
      || !lpc_store_set_setting (agenda->store, SETTING_LEAD_TIME, normalized, error))
    return FALSE;
  g_free (agenda->lead_times);
  agenda->lead_times = g_steal_pointer (&normalized);
  agenda->lead_time = first;
  return TRUE;
}

guint
lpc_agenda_get_travel_time (LpcAgenda *agenda)
{
  return agenda->travel_time;
}

gboolean
lpc_agenda_set_lead_time (LpcAgenda *agenda, guint minutes, GError **error)
{
  if (!store_minutes_setting (agenda, SETTING_LEAD_TIME, "LeadTime", minutes, LPC_LEAD_TIME_MAX,
                              error))
    return FALSE;
  /* One lead replaces the list: what was stored is "minutes" alone. */
  agenda->lead_time = minutes;
  g_free (agenda->lead_times);
  agenda->lead_times = g_strdup_printf ("%u", minutes);
  return TRUE;
}

gboolean
lpc_agenda_set_travel_time (LpcAgenda *agenda, guint minutes, GError **error)
{
  if (!store_minutes_setting (agenda, SETTING_TRAVEL_TIME, "TravelTime", minutes,
                              LPC_TRAVEL_TIME_MAX, error))
    return FALSE;
  agenda->travel_time = minutes;
  return TRUE;
}

const char *
lpc_agenda_get_calendar_file (LpcAgenda *agenda)
{
  return agenda->calendar_file;
}

gboolean
lpc_agenda_set_calendar_file (LpcAgenda *agenda, const char *path, GError **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *resolved = NULL;

  if (path == NULL || *path == '\0')
    {
      if (!require_writable_store (agenda, "the setting", error)
          || !lpc_store_set_setting (agenda->store, SETTING_CALENDAR_FILE, "", error))
        return FALSE;
      g_clear_pointer (&agenda->calendar_file, g_free);
      return TRUE;
    }
  resolved = lpc_calendar_path_resolve (path, lpc_store_get_path (agenda->store), error);
  if (resolved == NULL)
    return FALSE;
  /* The path as the user gave it, links and all: a link may be pointed
   * elsewhere later, and the calendar must follow it. */
  canonical = g_canonicalize_filename (path, NULL);
  if (!require_writable_store (agenda, "the setting", error)
      || !lpc_store_set_setting (agenda->store, SETTING_CALENDAR_FILE, canonical, error))
    return FALSE;
  g_free (agenda->calendar_file);
  agenda->calendar_file = g_steal_pointer (&canonical);
  return TRUE;
}

guint
lpc_agenda_get_soft_overlap (LpcAgenda *agenda)
{
  return agenda->soft_overlap;
}

gboolean
lpc_agenda_set_soft_overlap (LpcAgenda *agenda, guint minutes, GError **error)
{
  if (!store_minutes_setting (agenda, SETTING_SOFT_OVERLAP, "SoftOverlap", minutes,
                              LPC_SOFT_OVERLAP_MAX, error))
    return FALSE;
  agenda->soft_overlap = minutes;
  return TRUE;
}

/* ---- construction ---- */

/* Without a store: the program from the --program file, served from memory
 * (with its abstracts, as there is no store to read them from), default
 * settings, and @store_error, which says why, for every call on the agenda.
 * A stand-in store carries the same message to the code that asks the
 * store directly (conflicts, reminders). The file at @db_path is not
 * touched. Takes @store_error. */
static gboolean
start_without_store (LpcAgenda *agenda, const char *db_path, StartupProgram *file,
                     GError *store_error, GError **error)
{
  g_autoptr (GError) why = store_error;
  g_autoptr (GError) program_error = NULL;
  g_autoptr (GTimeZone) zone = NULL;

  if (file->path == NULL || file->hash == NULL)
    {
      /* Nothing to serve. */
      if (file->hash_error != NULL)
        g_message ("%s", file->hash_error->message);
      g_propagate_error (error, g_steal_pointer (&why));
      return FALSE;
    }
  if (file->parsed == NULL)
    file->parsed = parse_startup_program_file (file->path, &program_error);
  if (file->parsed == NULL)
    {
      g_message ("%s", program_error->message);
      g_propagate_error (error, g_steal_pointer (&why));
      return FALSE;
    }
  zone = program_timezone (file->parsed, error);
  if (zone == NULL)
    return FALSE;

  agenda->storage = LPC_STORAGE_UNAVAILABLE;
  agenda->storage_message = g_strdup_printf ("The agenda cannot be used: %s", why->message);
  g_clear_pointer (&agenda->store, lpc_store_free);
  agenda->store = lpc_store_new_unavailable (db_path, agenda->storage_message);
  set_program (agenda, g_steal_pointer (&file->parsed), zone);
  agenda->program_was_parsed = TRUE;
  agenda->lead_time = LPC_LEAD_TIME_DEFAULT;
  agenda->lead_times = g_strdup_printf ("%d", LPC_LEAD_TIME_DEFAULT);
  agenda->travel_time = LPC_TRAVEL_TIME_DEFAULT;
  agenda->soft_overlap = LPC_SOFT_OVERLAP_DEFAULT;
  g_message ("%s Serving the program from %s only: no agenda, no settings, no reminders.",
             agenda->storage_message, file->path);
  return TRUE;
}

LpcAgenda *
lpc_agenda_new (const char *db_path, const char *program_path, LpcClock *clock, GError **error)
{
  return lpc_agenda_new_full (db_path, program_path, LPC_STORE_OPEN_DEFAULT, clock, error);
}

LpcAgenda *
lpc_agenda_new_full (const char *db_path, const char *program_path, LpcStoreOpenFlags store_flags,
                     LpcClock *clock, GError **error)
{
  g_autoptr (LpcAgenda) agenda = g_new0 (LpcAgenda, 1);
  g_auto (StartupProgram) file = { .path = program_path };
  GError *store_error = NULL;
  const char *read_only_reason;

  agenda->clock = clock;
  if (program_path != NULL)
    file.hash = lpc_program_hash_file (program_path, &file.hash_error);
  /* A first start: the program must be right before a database is created,
   * so that a bad start leaves nothing behind. */
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      if (program_path == NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                       "%s does not exist yet and no program file was given to start it "
                       "with: start lpc-agendad with --program FILE",
                       db_path);
          return NULL;
        }
      if (file.hash == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&file.hash_error));
          return NULL;
        }
      file.parsed = parse_startup_program_file (program_path, error);
      if (file.parsed == NULL)
        return NULL;
    }

  agenda->store = lpc_store_open_full (db_path, store_flags, &store_error);
  if (agenda->store == NULL)
    {
      if (!start_without_store (agenda, db_path, &file, store_error, error))
        return NULL;
      startup_program_clear (&file);
      release_work_memory (agenda);
      return g_steal_pointer (&agenda);
    }
  read_only_reason = lpc_store_get_read_only_reason (agenda->store);
  if (read_only_reason != NULL)
    {
      agenda->storage = LPC_STORAGE_READ_ONLY;
      agenda->storage_message
          = g_strdup_printf ("%s: read-only (%s): changes cannot be saved", db_path,
                             read_only_reason);
      g_message ("%s; everything else works.", agenda->storage_message);
    }
  if (!bring_up_program (agenda, &file, &store_error))
    {
      /* A store that opened but cannot give a program (a read-only one that
       * never had one; a first import on a full disk) is as good as none. */
      if (!g_error_matches (store_error, LPC_ERROR, LPC_ERROR_STORAGE))
        {
          g_propagate_error (error, store_error);
          return NULL;
        }
      g_clear_pointer (&agenda->storage_message, g_free);
      if (!start_without_store (agenda, db_path, &file, store_error, error))
        return NULL;
      startup_program_clear (&file);
      release_work_memory (agenda);
      return g_steal_pointer (&agenda);
    }
  load_lead_times (agenda);
  agenda->calendar_file = lpc_store_get_setting (agenda->store, SETTING_CALENDAR_FILE);
  if (agenda->calendar_file != NULL && *agenda->calendar_file == '\0')
    g_clear_pointer (&agenda->calendar_file, g_free);
  agenda->travel_time = load_minutes_setting (agenda->store, SETTING_TRAVEL_TIME,
                                              LPC_TRAVEL_TIME_DEFAULT, LPC_TRAVEL_TIME_MAX);
  agenda->soft_overlap = load_minutes_setting (agenda->store, SETTING_SOFT_OVERLAP,
                                               LPC_SOFT_OVERLAP_DEFAULT, LPC_SOFT_OVERLAP_MAX);
  startup_program_clear (&file);
  release_work_memory (agenda);
  return g_steal_pointer (&agenda);
}

LpcProgram *
lpc_agenda_get_program (LpcAgenda *agenda)
{
  return agenda->program;
}

GTimeZone *
lpc_agenda_get_timezone (LpcAgenda *agenda)
{
  /* Made on first use only (see PROGRAM_DAYS_MAX); the zone was checked
   * when the program was loaded. */
  if (agenda->timezone == NULL)
    agenda->timezone = g_time_zone_new_identifier (agenda->program->timezone);
  if (agenda->timezone == NULL)
    agenda->timezone = g_time_zone_new_utc ();
  return agenda->timezone;
}

LpcClock *
lpc_agenda_get_clock (LpcAgenda *agenda)
{
  return agenda->clock;
}

LpcStore *
lpc_agenda_get_store (LpcAgenda *agenda)
{
  return agenda->store;
}

LpcProgramIndex *
lpc_agenda_get_program_index (LpcAgenda *agenda)
{
  if (agenda->index == NULL)
    agenda->index = lpc_program_index_new (agenda->program);
  return agenda->index;
}

/* ---- the program's entries ---- */

const LpcEntry *
lpc_agenda_resolve (LpcAgenda *agenda, const char *id, GError **error)
{
  const LpcEntry *entry;

  if (!lpc_talk_lookup_check_id (id, error))
    return NULL;
  /* The common case, a whole id, without a scan. */
  entry = lpc_program_lookup (agenda->program, id);
  if (entry != NULL)
    return entry;
  return lpc_talk_lookup (agenda->program->entries, id, "the program", error);
}

GStrv
lpc_agenda_dup_other_occurrences (LpcAgenda *agenda, const LpcEntry *entry)
{
  g_autoptr (GStrvBuilder) builder = NULL;
  GPtrArray *ids;
  guint n = 0;

  if (entry->occurrence_group == NULL)
    return NULL;
  ids = g_hash_table_lookup (agenda->occurrences, entry->occurrence_group);
  if (ids == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      if (strcmp (id, entry->id) != 0)
        {
          g_strv_builder_add (builder, id);
          n++;
        }
    }
  return n > 0 ? g_strv_builder_end (builder) : NULL;
}

static gint
compare_entries_by_time (gconstpointer a, gconstpointer b)
{
  const LpcEntry *ea = *(const LpcEntry *const *) a;
  const LpcEntry *eb = *(const LpcEntry *const *) b;

  if (ea->start != eb->start)
    return ea->start < eb->start ? -1 : 1;
  return g_strcmp0 (ea->room, eb->room);
}

char *
lpc_agenda_dup_abstract (LpcAgenda *agenda, const LpcEntry *entry, GError **error)
{
  if (entry->abstract != NULL)
    return g_strdup (entry->abstract);
  return lpc_store_dup_abstract (agenda->store, entry->id, error);
}

typedef struct
{
  const LpcTalkFilter *filter;
  GHashTable *unread;  /* id -> candidate whose abstract has not been seen */
  GHashTable *matches; /* candidates matching the query */
} QueryScan;

static void
scan_abstract (const char *id, const char *abstract, gpointer user_data)
{
  QueryScan *scan = user_data;
  const LpcEntry *entry = g_hash_table_lookup (scan->unread, id);

  if (entry == NULL)
    return;
  g_hash_table_remove (scan->unread, id);
  if (lpc_talk_filter_query_matches (scan->filter, entry, abstract))
    g_hash_table_add (scan->matches, (gpointer) entry);
}

/* Keeps those of @candidates that match the query, reading the abstracts
 * from the store in one pass. */
static gboolean
keep_query_matches (LpcAgenda *agenda, const LpcTalkFilter *filter, GPtrArray *candidates,
                    GError **error)
{
  g_autoptr (GHashTable) unread = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) matches = g_hash_table_new (NULL, NULL);
  QueryScan scan = { filter, unread, matches };
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < candidates->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (candidates, i);

      /* Entries that have their abstract (not loaded lean) need no scan. */
      if (entry->abstract != NULL)
        {
          if (lpc_talk_filter_query_matches (filter, entry, entry->abstract))
            g_hash_table_add (matches, (gpointer) entry);
        }
      else
        g_hash_table_insert (unread, entry->id, (gpointer) entry);
    }
  if (g_hash_table_size (unread) > 0
      && !lpc_store_foreach_abstract (agenda->store, scan_abstract, &scan, error))
    return FALSE;
  /* The store only lists entries that have an abstract. */
  g_hash_table_iter_init (&iter, unread);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (lpc_talk_filter_query_matches (filter, value, NULL))
        g_hash_table_add (matches, value);
    }
  for (guint i = candidates->len; i > 0; i--)
    {
      if (!g_hash_table_contains (matches, g_ptr_array_index (candidates, i - 1)))
        g_ptr_array_remove_index (candidates, i - 1);
    }
  return TRUE;
}

GPtrArray *
lpc_agenda_list_talks (LpcAgenda *agenda, const LpcTalkFilter *filter, GError **error)
{
  GPtrArray *entries = agenda->program->entries;
  g_autoptr (GPtrArray) result = g_ptr_array_new ();
  g_autoptr (GTimeZone) zone = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      /* No zone: the day is tested here, with the program's days. */
      if (lpc_talk_filter_matches_except_query (filter, entry, NULL)
          && day_matches (agenda, filter, entry, &zone))
        g_ptr_array_add (result, (gpointer) entry);
    }
  if (filter->query_words != NULL && !keep_query_matches (agenda, filter, result, error))
    return NULL;
  /* Stable: a block stays before its first talk when both start together. */
  g_ptr_array_sort (result, compare_entries_by_time);
  if (filter->limit > 0 && result->len > filter->limit)
    g_ptr_array_set_size (result, filter->limit);
  return g_steal_pointer (&result);
}

/* ---- the agenda ---- */

static LpcEntry *
dup_entry_of_item (LpcAgenda *agenda, const LpcAgendaItem *item, GError **error)
{
  const LpcEntry *entry = lpc_program_lookup (agenda->program, item->entry_id);

  if (entry != NULL)
    return lpc_entry_copy (entry);
  /* Cancelled: no longer in the program, but the store remembers it. */
  return lpc_store_get_entry (agenda->store, item->entry_id, error);
}

static LpcAgendaRow *
row_new (LpcAgendaItem *item, LpcEntry *entry)
{
  LpcAgendaRow *row = g_new0 (LpcAgendaRow, 1);

  row->item = item;
  row->entry = entry;
  return row;
}

static GPtrArray *
load_rows (LpcAgenda *agenda, GError **error)
{
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  if (!require_store (agenda, error))
    return NULL;
  items = lpc_store_agenda_list (agenda->store, error);
  if (items == NULL)
    return NULL;
  rows = g_ptr_array_new_full (items->len, (GDestroyNotify) lpc_agenda_row_free);
  /* Take the items over one by one, so each has exactly one owner. */
  g_ptr_array_set_free_func (items, NULL);
  for (guint i = 0; i < items->len; i++)
    {
      LpcAgendaItem *item = g_ptr_array_index (items, i);
      LpcEntry *entry = dup_entry_of_item (agenda, item, error);

      if (entry == NULL)
        {
          lpc_agenda_item_free (item);
          for (guint j = i + 1; j < items->len; j++)
            lpc_agenda_item_free (g_ptr_array_index (items, j));
          return NULL;
        }
      g_ptr_array_add (rows, row_new (item, entry));
    }
  return g_steal_pointer (&rows);
}

static LpcAgendaRow *
load_row (LpcAgenda *agenda, const char *entry_id, GError **error)
{
  g_autoptr (LpcAgendaItem) item = NULL;
  LpcEntry *entry;
  GError *local_error = NULL;

  if (!require_store (agenda, error))
    return NULL;
  item = lpc_store_agenda_get (agenda->store, entry_id, &local_error);
  if (item == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "'%s' is not on your agenda",
                     entry_id);
      return NULL;
    }
  entry = dup_entry_of_item (agenda, item, error);
  if (entry == NULL)
    return NULL;
  return row_new (g_steal_pointer (&item), entry);
}

/* The row among @rows whose id is @id or starts with it. When it is not on
 * the agenda but is in the program, the message says just that. */
static LpcAgendaRow *
find_row (LpcAgenda *agenda, GPtrArray *rows, const char *id, GError **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new ();
  g_autoptr (GError) local_error = NULL;
  const LpcEntry *found;

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (entries, ((LpcAgendaRow *) g_ptr_array_index (rows, i))->entry);
  found = lpc_talk_lookup (entries, id, "your agenda", &local_error);
  if (found != NULL)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          LpcAgendaRow *row = g_ptr_array_index (rows, i);
          if (row->entry == found)
            return row;
        }
      g_assert_not_reached ();
    }
  if (g_error_matches (local_error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK))
    {
      const LpcEntry *in_program = lpc_agenda_resolve (agenda, id, NULL);
      if (in_program != NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "'%s' (%s) is not on your agenda",
                       in_program->id, in_program->title);
          return NULL;
        }
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

char *
lpc_agenda_normalize_remind (const char *spec, GError **error)
{
  g_autofree char *quoted = lpc_talk_lookup_quote (spec);
  g_auto (GStrv) parts = NULL;
  gboolean seen[LPC_LEAD_TIME_MAX + 1] = { FALSE };
  g_autoptr (GString) normalized = g_string_new (NULL);
  guint n_parts;

  if (spec == NULL || *spec == '\0')
    return g_strdup ("");
  if (strcmp (spec, "off") == 0)
    return g_strdup ("off");

  parts = g_strsplit (spec, ",", -1);
  n_parts = g_strv_length (parts);
  if (n_parts > LPC_REMIND_MAX_LEADS)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "remind '%s' lists %u times; at most %d are allowed", quoted, n_parts,
                   LPC_REMIND_MAX_LEADS);
      return NULL;
    }
  for (guint i = 0; i < n_parts; i++)
    {
      guint64 minutes;
      g_strstrip (parts[i]);
      if (!g_ascii_string_to_unsigned (parts[i], 10, 0, LPC_LEAD_TIME_MAX, &minutes, NULL))
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "remind '%s' is not \"off\", \"\" (the LeadTimes default) or minutes "
                       "before the start from 0 to %d separated by commas, such as \"10,0\"",
                       quoted, LPC_LEAD_TIME_MAX);
          return NULL;
        }
      seen[minutes] = TRUE;
    }
  for (gint minutes = LPC_LEAD_TIME_MAX; minutes >= 0; minutes--)
    {
      if (seen[minutes])
        g_string_append_printf (normalized, "%s%d", normalized->len > 0 ? "," : "", minutes);
    }
  return g_string_free (g_steal_pointer (&normalized), FALSE);
}

/* Applies @options to @item (a scratch copy); nothing is stored here. */
static gboolean
apply_options (LpcAgendaItem *item, const LpcItemOptions *options, gboolean *out_changed,
               GError **error)
{
  g_autofree char *remind = NULL;
  gboolean changed = FALSE;

  if (options->set_priority
      && (options->priority < LPC_PRIORITY_MIN || options->priority > LPC_PRIORITY_MAX))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "priority %u is out of range: give %d to %d", options->priority,
                   LPC_PRIORITY_MIN, LPC_PRIORITY_MAX);
      return FALSE;
    }
  if (options->set_remind)
    {
      remind = lpc_agenda_normalize_remind (options->remind, error);
      if (remind == NULL)
        return FALSE;
    }
  if (options->set_note)
    {
      gsize len = options->note != NULL ? strlen (options->note) : 0;
      if (len > LPC_NOTE_MAX_LEN)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "note is %" G_GSIZE_FORMAT " bytes long; at most %d are allowed", len,
                       LPC_NOTE_MAX_LEN);
          return FALSE;
        }
      if (len > 0 && !g_utf8_validate (options->note, len, NULL))
        {
          g_set_error_literal (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                               "note is not valid UTF-8");
          return FALSE;
        }
    }

  if (options->set_priority && item->priority != options->priority)
    {
      item->priority = options->priority;
      changed = TRUE;
    }
  if (options->set_remind)
    {
      /* The store keeps the default as NULL. */
      char *stored = *remind == '\0' ? NULL : g_steal_pointer (&remind);
      if (g_strcmp0 (item->remind, stored) != 0)
        changed = TRUE;
      g_free (item->remind);
      item->remind = stored;
    }
  if (options->set_note)
    {
      const char *note = options->note != NULL ? options->note : "";
      if (g_strcmp0 (item->note, note) != 0)
        {
          g_free (item->note);
          item->note = g_strdup (note);
          changed = TRUE;
        }
    }
  if (out_changed != NULL)
    *out_changed = changed;
  return TRUE;
}

LpcAgendaRow *
lpc_agenda_add (LpcAgenda *agenda, const char *id, const LpcItemOptions *options,
                gboolean *out_already, GError **error)
{
  g_autoptr (LpcAgendaItem) item = NULL;
  const LpcEntry *entry;
  gboolean already = FALSE;

  if (!require_writable_store (agenda, "the new agenda item", error))
    return NULL;
  entry = lpc_agenda_resolve (agenda, id, error);
  if (entry == NULL)
    return NULL;
  if (!lpc_entry_is_attendable (entry))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_NOT_ATTENDABLE,
                   "'%s' (%s) is a break; only talks and session blocks can go on the agenda",
                   entry->id, entry->title);
      return NULL;
    }

  item = lpc_agenda_item_new (entry->id);
  item->priority = LPC_PRIORITY_DEFAULT;
  g_clear_pointer (&item->remind, g_free);
  g_free (item->note);
  item->note = g_strdup ("");
  item->state = LPC_ITEM_PLANNED;
  item->added_at = lpc_clock_now (agenda->clock);
  if (!apply_options (item, options, NULL, error))
    return NULL;

  if (!lpc_store_agenda_add (agenda->store, item, &already, error))
    return NULL;
  if (out_already != NULL)
    *out_already = already;
  return load_row (agenda, entry->id, error);
}

LpcAgendaRow *
lpc_agenda_update (LpcAgenda *agenda, const char *id, const LpcItemOptions *options,
                   gboolean *out_changed, GError **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  LpcAgendaRow *row;
  gboolean changed = FALSE;

  if (!require_writable_store (agenda, "the change to the agenda", error))
    return NULL;
  rows = load_rows (agenda, error);
  if (rows == NULL)
    return NULL;
  row = find_row (agenda, rows, id, error);
  if (row == NULL)
    return NULL;
  if (!apply_options (row->item, options, &changed, error))
    return NULL;
  if (changed && !lpc_store_agenda_update (agenda->store, row->item, error))
    return NULL;
  if (out_changed != NULL)
    *out_changed = changed;
  return load_row (agenda, row->entry->id, error);
}

char *
lpc_agenda_remove (LpcAgenda *agenda, const char *id, GError **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  LpcAgendaRow *row;

  if (!require_writable_store (agenda, "the change to the agenda", error))
    return NULL;
  rows = load_rows (agenda, error);
  if (rows == NULL)
    return NULL;
  row = find_row (agenda, rows, id, error);
  if (row == NULL)
    return NULL;
  if (!lpc_store_agenda_remove (agenda->store, row->entry->id, error))
    return NULL;
  return g_strdup (row->entry->id);
}

char *
lpc_agenda_skip (LpcAgenda *agenda, const char *id, gboolean *out_changed, GError **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  LpcAgendaRow *row;
  gboolean changed = FALSE;

  if (!require_writable_store (agenda, "the change to the agenda", error))
    return NULL;
  rows = load_rows (agenda, error);
  if (rows == NULL)
    return NULL;
  row = find_row (agenda, rows, id, error);
  if (row == NULL)
    return NULL;
  switch (row->item->state)
    {
    case LPC_ITEM_CANCELLED:
      g_set_error (error, LPC_ERROR, LPC_ERROR_NOT_ATTENDABLE,
                   "'%s' (%s) was cancelled: it is no longer in the program, so there is "
                   "nothing to skip; Remove takes it off the agenda",
                   row->entry->id, row->entry->title);
      return NULL;
    case LPC_ITEM_SKIPPED:
      break;
    case LPC_ITEM_PLANNED:
    case LPC_ITEM_MOVED:
      if (!lpc_store_agenda_set_state (agenda->store, row->entry->id, LPC_ITEM_SKIPPED, error))
        return NULL;
      changed = TRUE;
      break;
    default:
      g_assert_not_reached ();
    }
  if (out_changed != NULL)
    *out_changed = changed;
  return g_strdup (row->entry->id);
}

char *
lpc_agenda_unskip (LpcAgenda *agenda, const char *id, gboolean *out_changed, GError **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  LpcAgendaRow *row;
  gboolean changed = FALSE;

  if (!require_writable_store (agenda, "the change to the agenda", error))
    return NULL;
  rows = load_rows (agenda, error);
  if (rows == NULL)
    return NULL;
  row = find_row (agenda, rows, id, error);
  if (row == NULL)
    return NULL;
  if (row->item->state == LPC_ITEM_SKIPPED)
    {
      /* A talk the program moved before it was skipped is still a moved one. */
      LpcItemState state = row->item->previous_start != 0 ? LPC_ITEM_MOVED : LPC_ITEM_PLANNED;
      if (!lpc_store_agenda_set_state (agenda->store, row->entry->id, state, error))
        return NULL;
      changed = TRUE;
    }
  if (out_changed != NULL)
    *out_changed = changed;
  return g_strdup (row->entry->id);
}

LpcAgendaRow *
lpc_agenda_get_item (LpcAgenda *agenda, const char *id, GError **error)
{
  g_autoptr (GPtrArray) rows = load_rows (agenda, error);
  LpcAgendaRow *row;
  guint index = 0;

  if (rows == NULL)
    return NULL;
  row = find_row (agenda, rows, id, error);
  if (row == NULL)
    return NULL;
  g_ptr_array_find (rows, row, &index);
  return g_ptr_array_steal_index (rows, index);
}

static gint
compare_rows_by_time (gconstpointer a, gconstpointer b)
{
  const LpcAgendaRow *ra = *(const LpcAgendaRow *const *) a;
  const LpcAgendaRow *rb = *(const LpcAgendaRow *const *) b;
  gint by_time = compare_entries_by_time (&ra->entry, &rb->entry);

  return by_time != 0 ? by_time : strcmp (ra->entry->id, rb->entry->id);
}

GPtrArray *
lpc_agenda_list_agenda (LpcAgenda *agenda, const LpcAgendaFilter *filter, GError **error)
{
  g_autoptr (GPtrArray) rows = load_rows (agenda, error);
  g_autoptr (GTimeZone) zone = NULL;

  if (rows == NULL)
    return NULL;
  for (guint i = rows->len; i > 0; i--)
    {
      const LpcAgendaRow *row = g_ptr_array_index (rows, i - 1);

      /* No zone: the day is tested with the program's days. */
      if ((filter->by_state && row->item->state != filter->state)
          || !lpc_talk_filter_matches_time (&filter->when, row->entry, NULL)
          || !day_matches (agenda, &filter->when, row->entry, &zone))
        g_ptr_array_remove_index (rows, i - 1);
    }
  g_ptr_array_sort (rows, compare_rows_by_time);
  return g_steal_pointer (&rows);
}

/* ---- importing ---- */

gboolean
lpc_agenda_import_program (LpcAgenda *agenda, const char *path, LpcImportSummary *out_summary,
                           GError **error)
{
  return lpc_agenda_import_program_full (agenda, path, LPC_IMPORT_DEFAULT, NULL, out_summary,
                                         error);
}

/* The options' zone must be one this system knows, checked before the file
 * is read: a typo is the caller's argument, not something wrong in the file. */
static gboolean
check_parse_options (const LpcProgramParseOptions *options, GError **error)
{
  g_autoptr (GTimeZone) zone = NULL;
  g_autofree char *quoted = NULL;

  if (options == NULL || options->timezone == NULL)
    return TRUE;
  zone = lpc_program_zone_new (options->timezone);
  if (zone != NULL)
    return TRUE;
  quoted = lpc_talk_lookup_quote (options->timezone);
  g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
               "timezone '%s' is not a time zone this system knows (give an IANA name such as "
               "America/Los_Angeles or Europe/Prague)",
               quoted);
  return FALSE;
}

/* What an import checks before the file is read: the path and the options
 * are the caller's arguments, and a change that cannot be saved is refused
 * the same way whatever the file holds. */
static gboolean
check_import_request (LpcAgenda *agenda, const char *path, const LpcProgramParseOptions *options,
                      GError **error)
{
  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                           "empty path: give the absolute path of a program file");
      return FALSE;
    }
  if (!g_utf8_validate (path, -1, NULL) || strlen (path) > 4096)
    {
      g_set_error_literal (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                           "the program path is not a valid path of at most 4096 bytes");
      return FALSE;
    }
  if (!g_path_is_absolute (path))
    {
      g_autofree char *quoted = lpc_talk_lookup_quote (path);
      /* The daemon's working directory is not the caller's. */
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "program path '%s' is relative: give an absolute path", quoted);
      return FALSE;
    }
  if (!check_parse_options (options, error))
    return FALSE;
  return require_writable_store (agenda, "the imported program", error);
}

/* Stores @parsed (@warnings from its parse): the second half of an import,
 * always on the agenda's own thread. */
static gboolean
store_parsed_import (LpcAgenda *agenda, LpcProgram *parsed, GPtrArray **warnings,
                     LpcImportFlags flags, LpcImportSummary *out_summary, GError **error)
{
  gboolean imported = import_parsed (agenda, parsed, flags, out_summary, error);

  release_work_memory (agenda);
  if (imported && out_summary != NULL)
    out_summary->warnings = g_steal_pointer (warnings);
  return imported;
}

gboolean
lpc_agenda_import_program_full (LpcAgenda *agenda, const char *path, LpcImportFlags flags,
                                const LpcProgramParseOptions *options,
                                LpcImportSummary *out_summary, GError **error)
{
  g_autoptr (LpcProgram) parsed = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  if (!check_import_request (agenda, path, options, error))
    return FALSE;
  parsed = parse_program_file (path, options, warnings, error);
  if (parsed == NULL)
    return FALSE;
  return store_parsed_import (agenda, parsed, &warnings, flags, out_summary, error);
}

/* The file's read and parse in a worker thread. It owns copies of
 * everything it reads, and the importers are functions of the bytes and
 * the options alone, so nothing is shared with the agenda's thread but the
 * cancellable. */
typedef struct
{
  char *path;
  char *timezone;
  LpcImportFlags flags;
  GCancellable *cancellable; /* cancelled at the deadline */
  guint deadline_source;
  gboolean running;          /* the agenda's import_running is this job's */
  GPtrArray *warnings;       /* the worker's until it returns */
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->path);
  g_free (job->timezone);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->warnings, g_ptr_array_unref);
  g_free (job);
}

static void
import_parse_in_thread (GTask *task, gpointer source, gpointer task_data,
                        GCancellable *cancellable)
{
  ImportJob *job = task_data;
  LpcProgramParseOptions options = { .timezone = job->timezone, .cancellable = cancellable };
  GError *error = NULL;
  LpcProgram *parsed = parse_program_file (job->path, &options, job->warnings, &error);

  (void) source;
  if (parsed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parsed, (GDestroyNotify) lpc_program_unref);
}

static gboolean
import_deadline_passed (gpointer data)
{
  ImportJob *job = data;

  job->deadline_source = 0;
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_REMOVE;
}

static void
start_import_job (LpcAgenda *agenda, GTask *task)
{
  ImportJob *job = g_task_get_task_data (task);

  /* At the deadline the caller is answered at once, and the worker stops
   * at its importer's next check of the cancellable. The deadline counts
   * from here, not from the call: time spent waiting in the queue is the
   * files before's. */
  job->deadline_source
      = g_timeout_add_seconds (LPC_IMPORT_PARSE_DEADLINE, import_deadline_passed, job);
  job->running = TRUE;
  g_task_set_return_on_cancel (task, TRUE);
  agenda->import_running = TRUE;
  g_task_run_in_thread (task, import_parse_in_thread);
}

void
lpc_agenda_import_program_async (LpcAgenda *agenda, const char *path, LpcImportFlags flags,
                                 const LpcProgramParseOptions *options,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  ImportJob *job = g_new0 (ImportJob, 1);
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;

  job->path = g_strdup (path);
  job->timezone = g_strdup (options != NULL ? options->timezone : NULL);
  job->flags = flags;
  job->cancellable = g_cancellable_new ();
  job->warnings = g_ptr_array_new_with_free_func (g_free);
  task = g_task_new (NULL, job->cancellable, callback, user_data);
  g_task_set_source_tag (task, lpc_agenda_import_program_async);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  if (!check_import_request (agenda, path, options, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (agenda->import_running)
    g_queue_push_tail (&agenda->import_queue, g_steal_pointer (&task));
  else
    start_import_job (agenda, task);
}

static gboolean
finish_import_job (LpcAgenda *agenda, GTask *task, LpcImportSummary *out_summary,
                   GError **error)
{
  ImportJob *job = g_task_get_task_data (task);
  g_autoptr (LpcProgram) parsed = NULL;
  GError *parse_error = NULL;

  if (job->deadline_source != 0)
    {
      g_source_remove (job->deadline_source);
      job->deadline_source = 0;
    }
  parsed = g_task_propagate_pointer (task, &parse_error);
  if (parsed == NULL)
    {
      if (g_error_matches (parse_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Named as the importers name it, at the start: a valid UTF-8
           * path, checked before the parse began. */
          g_clear_error (&parse_error);
          g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
                       "%s: took longer than %d s to read (a recurrence rule that never "
                       "matches?): nothing was changed",
                       job->path, LPC_IMPORT_PARSE_DEADLINE);
          return FALSE;
        }
      g_propagate_error (error, parse_error);
      return FALSE;
    }
  /* The store may have become read-only while the file was read. */
  if (!require_writable_store (agenda, "the imported program", error))
    return FALSE;
  return store_parsed_import (agenda, parsed, &job->warnings, job->flags, out_summary, error);
}

gboolean
lpc_agenda_import_program_finish (LpcAgenda *agenda, GAsyncResult *result,
                                  LpcImportSummary *out_summary, GError **error)
{
  GTask *task = G_TASK (result);
  ImportJob *job = g_task_get_task_data (task);
  gboolean imported;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  imported = finish_import_job (agenda, task, out_summary, error);
  /* Once this one is stored, the next waiting file is read against it. */
  if (job->running)
    {
      g_autoptr (GTask) next = g_queue_pop_head (&agenda->import_queue);

      job->running = FALSE;
      agenda->import_running = FALSE;
      if (next != NULL)
        start_import_job (agenda, next);
    }
  return imported;
}

/* ---- status ---- */

gboolean
lpc_agenda_get_status (LpcAgenda *agenda, LpcAgendaStatus *out_status, GError **error)
{
  g_autoptr (GPtrArray) items = NULL;
  LpcProgram *program = agenda->program;

  /* Without a store the status is what there is to say: how many items
   * there are is not known. */
  if (agenda->storage != LPC_STORAGE_UNAVAILABLE)
    {
      items = lpc_store_agenda_list (agenda->store, error);
      if (items == NULL)
        return FALSE;
    }
  *out_status = (LpcAgendaStatus){
    .now = lpc_clock_now (agenda->clock),
    .clock_simulated = lpc_clock_is_simulated (agenda->clock),
    .clock_rate = lpc_clock_get_rate (agenda->clock),
    .database = lpc_store_get_path (agenda->store),
    .program_name = program->name,
    .program_timezone = program->timezone,
    .n_sessions = lpc_program_count_kind (program, LPC_ENTRY_SESSION),
    .n_talks = lpc_program_count_kind (program, LPC_ENTRY_TALK),
    .n_breaks = lpc_program_count_kind (program, LPC_ENTRY_BREAK),
    .n_agenda = items != NULL ? items->len : 0,
    .program_was_parsed = agenda->program_was_parsed,
    .storage = agenda->storage,
    .storage_error = agenda->storage_message,
  };
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const LpcAgendaItem *item = g_ptr_array_index (items, i);
      if (item->state == LPC_ITEM_PLANNED || item->state == LPC_ITEM_MOVED)
        out_status->n_planned++;
    }
  return TRUE;
}
