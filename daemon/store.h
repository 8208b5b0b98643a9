/* store.h: the SQLite store — the program, the agenda, settings and the
 * reminder log. Plain C, no D-Bus.
 *
 * Guarantees: a change this API reports as done is on disk (WAL,
 * synchronous=FULL) and survives a crash or a power cut; every change is one
 * transaction, so it is all there or not at all; a file that is not ours, is
 * damaged or is newer than this build is never written to — only
 * lpc_store_repair() ever replaces a database, and it keeps the old one.
 * A change that fails (disk full, I/O error, the file system gone read-only)
 * is rolled back whole and says so, naming the file; the store stays usable
 * and the same change succeeds once the cause is gone.
 * All errors are LPC_ERROR_STORAGE (or LPC_ERROR_NO_SUCH_TALK /
 * LPC_ERROR_INVALID_ARGUMENT where said) with a message naming the file. */
#pragma once

#include "program.h"

G_BEGIN_DECLS

/* PRAGMA application_id: "LPCA". */
#define LPC_STORE_APPLICATION_ID 0x4c504341
/* PRAGMA user_version this build writes. Version 1 is the first schema;
 * every older version is migrated forward on open. */
#define LPC_STORE_SCHEMA_VERSION 6

typedef enum
{
  LPC_ITEM_PLANNED,
  LPC_ITEM_SKIPPED,   /* kept, not reminded; unskip restores it */
  LPC_ITEM_MOVED,     /* the program moved the talk; planned at its new time */
  LPC_ITEM_CANCELLED, /* the talk vanished from the program; kept, never reminded */
} LpcItemState;

const char *lpc_item_state_to_string (LpcItemState state);
gboolean lpc_item_state_from_string (const char *str, LpcItemState *out_state);

typedef struct
{
  char *entry_id;
  guint priority;       /* 1–5, default 3 */
  char *remind;         /* reminder lead override: NULL = the LeadTimes setting;
                         * "off"; or minutes before start, comma-separated ("10,0") */
  LpcItemState state;
  char *note;           /* "" when none */
  gint64 added_at;      /* Unix seconds */
  gint64 previous_start; /* start before the program moved it; 0 when not moved */
  char *previous_room;   /* room before the program moved it; NULL when not moved */
} LpcAgendaItem;

LpcAgendaItem *lpc_agenda_item_new (const char *entry_id);
void lpc_agenda_item_free (LpcAgendaItem *item);

typedef struct
{
  guint n_sessions;
  guint n_talks;
  guint n_breaks;
  guint n_new;            /* entries this store had never seen */
  guint n_unchanged;
  guint n_changed;        /* any entry whose time or room changed */
  GPtrArray *moved_ids;     /* agenda items whose talk moved (now LPC_ITEM_MOVED) */
  GPtrArray *cancelled_ids; /* agenda items whose talk vanished (now LPC_ITEM_CANCELLED) */
  GPtrArray *restored_ids;  /* cancelled items whose talk came back (in their state before) */
  /* Set when the import switched conferences (LPC_IMPORT_REPLACE): */
  char *replaced_program;   /* the name of the program replaced */
  guint n_archived;         /* its agenda items, now archived */
  guint n_unarchived;       /* this program's archived items that came back */
  /* The importer's warnings, "FILE:LINE: text" (char*), for the caller:
   * the agenda fills them, as it is what parses the file; NULL for none. */
  GPtrArray *warnings;
} LpcImportSummary;

typedef enum
{
  LPC_IMPORT_DEFAULT = 0,
  /* The program may be another conference's (its name differs from the
   * stored one's): the agenda is archived under the old name, and this
   * conference's archived agenda, if any, comes back. Without it such an
   * import fails with LPC_ERROR_INVALID_ARGUMENT and changes nothing. */
  LPC_IMPORT_REPLACE = 1 << 0,
} LpcImportFlags;

void lpc_import_summary_clear (LpcImportSummary *summary);

typedef struct
{
  guint agenda_items_saved;
  guint settings_saved;
  guint reminder_log_saved;
  gboolean program_saved;
  char *backup_path;      /* where the damaged file now lives */
  gboolean healthy;       /* nothing was wrong, and nothing was done */
} LpcRepairReport;

void lpc_repair_report_clear (LpcRepairReport *report);

typedef struct _LpcStore LpcStore;

/* The default path: $XDG_DATA_HOME/lpc-agenda/agenda.db. */
char *lpc_store_default_path (void);

typedef enum
{
  LPC_STORE_OPEN_DEFAULT = 0,
  /* Open read-only even where the file could be written (as the store does
   * by itself where it cannot be): for tests, where root can write
   * anything a mode forbids. */
  LPC_STORE_OPEN_READ_ONLY = 1 << 0,
} LpcStoreOpenFlags;

/* Opens or creates the database at @path: folder 0700, file 0600, WAL,
 * synchronous=FULL, foreign keys, a busy timeout. Refuses (without writing) a
 * file that is not SQLite, is not ours (application_id), is corrupt
 * (quick_check), or has a schema newer than LPC_STORE_SCHEMA_VERSION; the
 * message says what to do (e.g. run `lpc-agenda repair`).
 *
 * Where the folder or the file cannot be written (a read-only file system,
 * a folder without write permission), an existing database of the current
 * schema is opened read-only instead: every read works, every change fails
 * with LPC_ERROR_STORAGE "PATH: read-only (why): cannot save …". With the
 * folder unwritable no writer can create a -wal or -journal beside the
 * file, so nothing can change it under us and SQLite may read it as
 * immutable (needing no -shm either). An older schema cannot be migrated
 * there and is refused. */
LpcStore *lpc_store_open (const char *path, GError **error);
LpcStore *lpc_store_open_full (const char *path, LpcStoreOpenFlags flags, GError **error);
/* A stand-in for a store that could not be opened (@message says why and
 * what to do): every read and write on it fails with LPC_ERROR_STORAGE and
 * @message; the file at @path is never touched. */
LpcStore *lpc_store_new_unavailable (const char *path, const char *message);
void lpc_store_free (LpcStore *store);
const char *lpc_store_get_path (LpcStore *store);
/* NULL when the store can be written; otherwise why not ("its folder /x is
 * on a read-only file system"). */
const char *lpc_store_get_read_only_reason (LpcStore *store);
/* NULL for a store that was opened; the message of lpc_store_new_unavailable()
 * otherwise. */
const char *lpc_store_get_unavailable_message (LpcStore *store);
/* TRUE when changes can be saved; otherwise FALSE with the LPC_ERROR_STORAGE
 * every change would fail with ("PATH: read-only (why): cannot save @what.
 * …", or the unavailable message). @what is what would be saved ("the
 * setting"). */
gboolean lpc_store_require_writable (LpcStore *store, const char *what, GError **error);
/* Frees the pages SQLite caches for the connection and the prepared
 * statements (both are made again when needed): for after start-up or an
 * import, before the daemon goes idle. No statement may be in use. */
void lpc_store_release_memory (LpcStore *store);

/* ---- the program ---- */

/* The source hash of the stored program, or NULL if none is stored. */
char *lpc_store_dup_program_hash (LpcStore *store);
/* The stored program's name (its conference), or NULL if none is stored. */
char *lpc_store_dup_program_name (LpcStore *store);

/* Replaces the stored program by @program in one transaction. Ids are made
 * stable: an entry whose identity the store has seen keeps the id it had
 * (whatever the importer proposed); a proposed id the store has ever given
 * to another identity is never reused (a suffix is added). The program's
 * entries are updated to the ids actually stored. Entries that vanished are
 * kept (inactive) so their ids are never reused; agenda items on them become
 * cancelled; agenda items whose entry changed time or room become moved. */
gboolean lpc_store_import_program (LpcStore *store, LpcProgram *program,
                                   LpcImportSummary *out_summary, GError **error);
/* The same, with @flags (see LpcImportFlags). */
gboolean lpc_store_import_program_full (LpcStore *store, LpcProgram *program,
                                        LpcImportFlags flags, LpcImportSummary *out_summary,
                                        GError **error);
/* Names of the conferences with an archived agenda, and how many items
 * each holds: a{name: count} as a GHashTable of char* -> GUINT_TO_POINTER. */
GHashTable *lpc_store_archived_agendas (LpcStore *store, GError **error);

/* The stored active program, or NULL with no error when none is stored. */
LpcProgram *lpc_store_load_program (LpcStore *store, GError **error);
/* The same, lean, for a program held in memory for long: every entry's
 * abstract and identity are NULL. The abstracts are most of a program's
 * text; lpc_store_dup_abstract() and lpc_store_foreach_abstract() read them
 * when a call needs them. */
LpcProgram *lpc_store_load_program_lean (LpcStore *store, GError **error);
/* The abstract of the entry @id ("" when it has none); NULL + NO_SUCH_TALK. */
char *lpc_store_dup_abstract (LpcStore *store, const char *id, GError **error);

/* @id and @abstract are valid during the call only. */
typedef void (*LpcStoreAbstractFunc) (const char *id, const char *abstract, gpointer user_data);
/* Calls @func with each active entry that has an abstract, in no set order. */
gboolean lpc_store_foreach_abstract (LpcStore *store, LpcStoreAbstractFunc func, gpointer user_data,
                                     GError **error);

/* An entry by id, including inactive (vanished) ones; NULL + NO_SUCH_TALK. */
LpcEntry *lpc_store_get_entry (LpcStore *store, const char *id, GError **error);

/* ---- the agenda ---- */

/* Adds @item (entry_id must name an active, attendable entry: NO_SUCH_TALK /
 * NOT_ATTENDABLE otherwise). If the entry is already on the agenda, nothing
 * changes and *out_already is set to TRUE. */
gboolean lpc_store_agenda_add (LpcStore *store, const LpcAgendaItem *item, gboolean *out_already,
                               GError **error);
/* NO_SUCH_TALK when @entry_id is not on the agenda. */
gboolean lpc_store_agenda_remove (LpcStore *store, const char *entry_id, GError **error);
gboolean lpc_store_agenda_set_state (LpcStore *store, const char *entry_id, LpcItemState state,
                                     GError **error);
/* Updates priority, remind and note of an item already on the agenda. */
gboolean lpc_store_agenda_update (LpcStore *store, const LpcAgendaItem *item, GError **error);
/* Moves an agenda item to another entry (another occurrence of the same
 * talk), keeping its priority, note and added_at. */
gboolean lpc_store_agenda_retarget (LpcStore *store, const char *entry_id,
                                    const char *new_entry_id, GError **error);
/* NULL with no error when @entry_id is not on the agenda. */
LpcAgendaItem *lpc_store_agenda_get (LpcStore *store, const char *entry_id, GError **error);
/* All items, in order of added_at then entry_id. */
GPtrArray *lpc_store_agenda_list (LpcStore *store, GError **error);

/* ---- accepted overlaps (resolve --apply) ---- */

/* The pairs of agenda ids whose overlap the user accepted, flattened: pair i
 * is (ids[2i], ids[2i + 1]), the smaller id first. A pair is forgotten, in
 * the same transaction, when either item is removed, unskipped or
 * retargeted. */
GPtrArray *lpc_store_accepted_overlaps (LpcStore *store, GError **error);

/* One agenda item's part in a resolution. */
typedef struct
{
  const char *entry_id;
  gboolean skip;            /* state becomes skipped */
  const char *new_entry_id; /* non-NULL: retargeted there (see lpc_store_agenda_retarget()) */
  const char *note;         /* non-NULL: the item's new note (after any retarget) */
} LpcStoreItemChange;

/* Carries a resolution out in one transaction: every change in @changes,
 * then the accepted pairs @accepted (flattened as above, ids after the
 * retargets, either order; @n_accepted pairs). All or nothing:
 * NO_SUCH_TALK when an item is not on the agenda, INVALID_ARGUMENT when a
 * target already is. */
gboolean lpc_store_agenda_resolve (LpcStore *store, const LpcStoreItemChange *changes,
                                   guint n_changes, const char *const *accepted, guint n_accepted,
                                   GError **error);

/* ---- settings (string values; callers parse) ---- */

/* NULL when unset. */
char *lpc_store_get_setting (LpcStore *store, const char *key);
gboolean lpc_store_set_setting (LpcStore *store, const char *key, const char *value,
                                GError **error);

/* ---- the reminder log ---- */

/* The rule that decides between them is lpc_reminders_take_due()'s
 * (reminders.h). */
typedef enum
{
  LPC_REMINDER_SHOWN,
  LPC_REMINDER_MISSED, /* owed, but not shown before the talk ended: the daemon
                        * was not running or the machine asleep when it fell
                        * due (or no notification server showed it) */
  LPC_REMINDER_VOID,   /* never owed: it fell due before the item was planned
                        * with that lead, and the talk had ended by then */
} LpcReminderOutcome;

/* "shown", "missed", "void": as the log stores them. */
const char *lpc_reminder_outcome_to_string (LpcReminderOutcome outcome);

/* Records that the reminder @lead_minutes before @start for @entry_id was
 * shown (or missed, or void) at @at. Recording the same (entry, start, lead)
 * twice is not an error and keeps the first record. */
gboolean lpc_store_log_reminder (LpcStore *store, const char *entry_id, gint64 start,
                                 gint lead_minutes, gint64 at, LpcReminderOutcome outcome,
                                 GError **error);
gboolean lpc_store_reminder_logged (LpcStore *store, const char *entry_id, gint64 start,
                                    gint lead_minutes);
/* What the log says of @entry_id's reminders for @start, whatever their
 * leads: *out_logged is FALSE when it holds none but void ones; otherwise
 * *out_outcome is LPC_REMINDER_SHOWN when at least one was shown,
 * LPC_REMINDER_MISSED when every other one was missed. */
gboolean lpc_store_reminder_outcome (LpcStore *store, const char *entry_id, gint64 start,
                                     gboolean *out_logged, LpcReminderOutcome *out_outcome,
                                     GError **error);

/* ---- repair ---- */

/* Salvages what can be read from the damaged database at @path (the agenda
 * above all, then settings, the reminder log and the program) into a fresh
 * database at @path; the damaged file and its -wal/-shm are renamed beside it
 * with a ".damaged-YYYYmmdd-HHMMSS" suffix, never deleted. A database the
 * daemon would open as it is (ours, not newer, its integrity check ok) is
 * healthy: TRUE with report.healthy set, and the file untouched. */
gboolean lpc_store_repair (const char *path, LpcRepairReport *out_report, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcAgendaItem, lpc_agenda_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcStore, lpc_store_free)

G_END_DECLS
