/* agenda.h: LpcAgenda, the daemon's one context — the store, the current
 * program, the clock and the settings, and every operation the D-Bus layer
 * offers, validated here. Plain C, no D-Bus.
 *
 * Every operation either succeeds or changes nothing and fails with an
 * LPC_ERROR naming what was wrong (the id, the option, the value). */
#pragma once

#include "clock.h"
#include "program-file.h"
#include "program.h"
#include "store.h"
#include "talk-filter.h"

G_BEGIN_DECLS

#define LPC_LEAD_TIME_DEFAULT 5
#define LPC_LEAD_TIME_MAX 1440
#define LPC_TRAVEL_TIME_DEFAULT 0
#define LPC_TRAVEL_TIME_MAX 240
/* The default is LPC_SOFT_OVERLAP_DEFAULT (conflicts.h). */
#define LPC_SOFT_OVERLAP_MAX 60

#define LPC_PRIORITY_MIN 1
#define LPC_PRIORITY_MAX 5
#define LPC_PRIORITY_DEFAULT 3
/* A reminder spec lists at most this many leads, each 0–LPC_LEAD_TIME_MAX. */
#define LPC_REMIND_MAX_LEADS 8
#define LPC_NOTE_MAX_LEN 4096

typedef struct _LpcAgenda LpcAgenda;

/* An agenda item with the entry it is for. For a cancelled item (its talk
 * vanished from the program) the entry is the last version the store knew. */
typedef struct
{
  LpcAgendaItem *item;
  LpcEntry *entry;
} LpcAgendaRow;

void lpc_agenda_row_free (LpcAgendaRow *row);

/* What Add and Update may change; only the fields marked set are used. */
typedef struct
{
  gboolean set_priority;
  guint priority;
  gboolean set_remind;
  char *remind; /* "" = the LeadTimes default, "off", or minutes such as "10,0" */
  gboolean set_note;
  char *note;
} LpcItemOptions;

void lpc_item_options_clear (LpcItemOptions *options);

typedef struct
{
  LpcTalkFilter when; /* only day, from and to apply */
  gboolean by_state;  /* FALSE: every state */
  LpcItemState state;
} LpcAgendaFilter;

void lpc_agenda_filter_clear (LpcAgendaFilter *filter);

/* What the agenda's store can do. */
typedef enum
{
  LPC_STORAGE_OK,
  LPC_STORAGE_READ_ONLY,   /* every read works; every change fails with LPC_ERROR_STORAGE */
  LPC_STORAGE_UNAVAILABLE, /* the database could not be opened (damaged, not ours, newer, …):
                            * the program is served from the --program file; every call on
                            * the agenda fails with LPC_ERROR_STORAGE; no reminders */
} LpcStorageState;

/* "ok", "read-only", "unavailable": GetStatus's storage key. */
const char *lpc_storage_state_to_string (LpcStorageState state);

typedef struct
{
  gint64 now;
  gboolean clock_simulated;
  double clock_rate;
  const char *database;         /* borrowed from the agenda */
  const char *program_name;     /* borrowed */
  const char *program_timezone; /* borrowed */
  guint n_sessions;
  guint n_talks;
  guint n_breaks;
  guint n_agenda;              /* 0 when storage is LPC_STORAGE_UNAVAILABLE: unknown */
  guint n_planned;             /* planned or moved: the items that will be attended */
  LpcStorageState storage;
  const char *storage_error;   /* borrowed; NULL when storage is LPC_STORAGE_OK: why not, naming
                                * the file and what to do */
  gboolean program_was_parsed; /* this start (or an ImportProgram) parsed a file,
                                * rather than loading the stored program */
} LpcAgendaStatus;

/* Opens the store at @db_path and brings up the program: the stored one when
 * @program_path's content is what was imported before, otherwise @program_path
 * is parsed and imported first. @program_path may be NULL to run from the
 * stored program alone. Takes ownership of @clock, even on failure.
 *
 * Storage faults do not stop it where there is something to serve: a store
 * that can only be read is used read-only (LPC_STORAGE_READ_ONLY; the stored
 * program is kept when the file's cannot be imported), and a store that
 * cannot be opened at all (LPC_STORAGE_UNAVAILABLE) is left untouched while
 * @program_path is parsed and served from memory. Fails when there is no
 * program to serve (no usable @program_path and no readable store). */
LpcAgenda *lpc_agenda_new (const char *db_path, const char *program_path, LpcClock *clock,
                           GError **error);
/* The same, with flags for opening the store (LPC_STORE_OPEN_READ_ONLY). */
LpcAgenda *lpc_agenda_new_full (const char *db_path, const char *program_path,
                                LpcStoreOpenFlags store_flags, LpcClock *clock, GError **error);

/* The store's state; @out_message (borrowed, may be NULL) says why it is not
 * LPC_STORAGE_OK. */
LpcStorageState lpc_agenda_get_storage (LpcAgenda *agenda, const char **out_message);
void lpc_agenda_free (LpcAgenda *agenda);

/* Its entries are loaded lean: abstract and identity are NULL (see
 * lpc_agenda_dup_abstract()). */
LpcProgram *lpc_agenda_get_program (LpcAgenda *agenda);
GTimeZone *lpc_agenda_get_timezone (LpcAgenda *agenda);
LpcClock *lpc_agenda_get_clock (LpcAgenda *agenda);
/* For the reminder log, which the reminders keep in the agenda's store. With
 * storage LPC_STORAGE_UNAVAILABLE it is a stand-in on which every call fails
 * (see lpc_store_new_unavailable()). */
LpcStore *lpc_agenda_get_store (LpcAgenda *agenda);

/* An entry of the program by id or unique prefix; borrowed, valid until the
 * program is replaced by lpc_agenda_import_program(). */
const LpcEntry *lpc_agenda_resolve (LpcAgenda *agenda, const char *id, GError **error);
/* Ids of the other occurrences of @entry's talk; NULL when it is held once. */
GStrv lpc_agenda_dup_other_occurrences (LpcAgenda *agenda, const LpcEntry *entry);

/* Entries matching @filter by start, then room (borrowed, as for resolve).
 * NULL and LPC_ERROR_STORAGE when a query's abstracts cannot be read. */
GPtrArray *lpc_agenda_list_talks (LpcAgenda *agenda, const LpcTalkFilter *filter, GError **error);
/* The abstract of @entry ("" when it has none): the program the agenda holds
 * leaves abstracts in the store (entry->abstract is NULL), so this reads it. */
char *lpc_agenda_dup_abstract (LpcAgenda *agenda, const LpcEntry *entry, GError **error);

/* Puts @id (a talk or session block, or a unique prefix) on the agenda. If it
 * is there already, nothing changes and *out_already is TRUE. */
LpcAgendaRow *lpc_agenda_add (LpcAgenda *agenda, const char *id, const LpcItemOptions *options,
                              gboolean *out_already, GError **error);
/* Changes the options given for an item on the agenda (@id or a prefix of an
 * id on the agenda); *out_changed says whether anything differed. */
LpcAgendaRow *lpc_agenda_update (LpcAgenda *agenda, const char *id, const LpcItemOptions *options,
                                 gboolean *out_changed, GError **error);
/* Each returns the full id acted on. */
char *lpc_agenda_remove (LpcAgenda *agenda, const char *id, GError **error);
char *lpc_agenda_skip (LpcAgenda *agenda, const char *id, gboolean *out_changed, GError **error);
char *lpc_agenda_unskip (LpcAgenda *agenda, const char *id, gboolean *out_changed, GError **error);
/* The item @id (an id on the agenda, or a unique prefix of one), as the
 * methods on agenda items find it: NO_SUCH_TALK / AMBIGUOUS_ID otherwise. */
LpcAgendaRow *lpc_agenda_get_item (LpcAgenda *agenda, const char *id, GError **error);

/* LpcAgendaRow*, by start time. */
GPtrArray *lpc_agenda_list_agenda (LpcAgenda *agenda, const LpcAgendaFilter *filter,
                                   GError **error);

/* Replaces the program by the one in @path (absolute); the agenda is kept.
 * Fills @out_summary (clear it with lpc_import_summary_clear()). */
gboolean lpc_agenda_import_program (LpcAgenda *agenda, const char *path,
                                    LpcImportSummary *out_summary, GError **error);
/* The same, with @flags: LPC_IMPORT_REPLACE lets a program of another
 * conference replace the current one (the agenda is archived; see
 * lpc_store_import_program_full()). The file's format (LPC timetable text,
 * frab schedule XML, iCalendar) is recognised by its content. @options (may
 * be NULL) go to the importer; a zone it names that this system does not
 * know is LPC_ERROR_INVALID_ARGUMENT. The importer's warnings are in
 * @out_summary's warnings: they say where talks were put on a guess. */
gboolean lpc_agenda_import_program_full (LpcAgenda *agenda, const char *path, LpcImportFlags flags,
                                         const LpcProgramParseOptions *options,
                                         LpcImportSummary *out_summary, GError **error);

/* How long reading and parsing a program file may take before the import
 * is abandoned. The largest real programs take well under a second; a
 * file that takes 30 s is one whose recurrence rules or lines make a
 * library work without end, and a caller waits no longer than D-Bus's
 * default 25 s reply timeout plus a little. */
#define LPC_IMPORT_PARSE_DEADLINE 30

/* lpc_agenda_import_program_full() with the file read and parsed in a
 * worker thread, so that the caller's main loop keeps running; the program
 * is stored by lpc_agenda_import_program_finish(), called from @callback on
 * the thread that called this one (the agenda's). A parse that takes over
 * LPC_IMPORT_PARSE_DEADLINE seconds is stopped: LPC_ERROR_PROGRAM_INVALID
 * "PATH: took longer than N s to read …", nothing changed. One at a time:
 * an import started while another's file is read waits for it to be
 * stored, in order, so that each is read and stored as if alone. */
void lpc_agenda_import_program_async (LpcAgenda *agenda, const char *path, LpcImportFlags flags,
                                      const LpcProgramParseOptions *options,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean lpc_agenda_import_program_finish (LpcAgenda *agenda, GAsyncResult *result,
                                           LpcImportSummary *out_summary, GError **error);

gboolean lpc_agenda_get_status (LpcAgenda *agenda, LpcAgendaStatus *out_status, GError **error);

/* The first (largest) of the default lead times: the LeadTime property. */
guint lpc_agenda_get_lead_time (LpcAgenda *agenda);
/* The default lead times, normalised ("5", "10,0"): the LeadTimes property. */
const char *lpc_agenda_get_lead_times (LpcAgenda *agenda);
guint lpc_agenda_get_travel_time (LpcAgenda *agenda);
/* Minutes, 0–LPC_LEAD_TIME_MAX / 0–LPC_TRAVEL_TIME_MAX; stored at once. A
 * lead time replaces the list of lead times by that one value. */
gboolean lpc_agenda_set_lead_time (LpcAgenda *agenda, guint minutes, GError **error);
gboolean lpc_agenda_set_travel_time (LpcAgenda *agenda, guint minutes, GError **error);
/* The most two picks may be short of time and still be kept both, with a
 * note, by Resolve; 0–LPC_SOFT_OVERLAP_MAX minutes, 0 = off. Stored at once. */
guint lpc_agenda_get_soft_overlap (LpcAgenda *agenda);
gboolean lpc_agenda_set_soft_overlap (LpcAgenda *agenda, guint minutes, GError **error);
/* A list as for an item's remind ("10,0"), but never "" or "off": the
 * default must say when. Stored at once; LeadTime becomes its first value. */
gboolean lpc_agenda_set_lead_times (LpcAgenda *agenda, const char *spec, GError **error);

/* The calendar file the daemon keeps current (see agenda-calendar.h), an
 * absolute path; NULL when none is set. */
const char *lpc_agenda_get_calendar_file (LpcAgenda *agenda);
/* Sets it (NULL or "" for none): absolute, in a folder that exists, not a
 * folder, not the database. Stored at once; nothing is written here. */
gboolean lpc_agenda_set_calendar_file (LpcAgenda *agenda, const char *path, GError **error);

/* Checks and normalises a reminder spec: "" (the default), "off", or up to
 * LPC_REMIND_MAX_LEADS comma-separated minutes 0–LPC_LEAD_TIME_MAX, returned
 * largest first without repeats ("0, 10" gives "10,0"). */
char *lpc_agenda_normalize_remind (const char *spec, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcAgenda, lpc_agenda_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcAgendaRow, lpc_agenda_row_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpcItemOptions, lpc_item_options_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpcAgendaFilter, lpc_agenda_filter_clear)

G_END_DECLS
