/* store.c: the SQLite store behind store.h — schema and migrations, the
 * checks that keep us from writing to a file that is not ours, the program
 * import with stable ids, the agenda, settings, the reminder log and repair. */
#include "store.h"

#include "lpc-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a statement waits for another connection's lock before it
 * reports the database as locked. Only another program (sqlite3(1) with a
 * transaction open, a backup tool) holds one for long: the daemon is the
 * store's only writer, and under WAL a writer blocks no reader. The wait
 * is kept well under the client's 25 s call timeout, so that a locked
 * database is told in a clear error rather than as a call that never
 * answers, and so that calls queued behind a blocked one are not each held
 * up by a long wait too. */
#define STORE_BUSY_TIMEOUT_MS 1000

/* The page cache a connection keeps, in KiB (PRAGMA cache_size = -N). The
 * daemon answers reads from the program it holds in memory; the store is
 * only read for the agenda, settings and single entries, a few pages each,
 * which the OS's page cache serves just as well. SQLite's default of 2 MiB
 * would let the idle daemon grow by the whole database (16 KiB pages) as
 * calls touch it. */
#define STORE_CACHE_KIB 64
/* An import rewrites much of the database in one transaction; a cache this
 * size keeps its dirty pages in memory until the commit, rather than
 * spilling them into the WAL early and writing some twice. */
#define STORE_IMPORT_CACHE_KIB 8192

/* A reminder lead longer than a week is a typo, not a plan. */
#define STORE_MAX_LEAD_MINUTES (7 * 24 * 60)

/* Repair gives entries it could not salvage but an agenda item or the
 * reminder log still names a placeholder row with this identity prefix; the
 * next import hands the id back to the talk that proposes it. */
#define SALVAGED_IDENTITY_PREFIX "salvaged|"

#define REPAIR_HINT                                                                                \
  "Stop lpc-agendad and run `lpc-agenda repair` to salvage it into a fresh database; the "        \
  "damaged file is kept."
#define UNTOUCHED "It was left as it is."

/* ---- schema ---- */

/* CHECKs are spelled with = and OR, not IN (...): SQLite builds an
 * ephemeral table for an IN list on every row it checks, which costs a
 * 100,000-entry import a fifth of a second.
 *
 * Each migration runs in its own transaction together with the bump of
 * user_version to its index + 1, so a database is always at exactly one
 * version. Never edit a migration that has shipped: add one. */
static const char *const migrations[] = {
  /* 1: the first schema. */
  "CREATE TABLE program ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  name TEXT NOT NULL,"
  "  timezone TEXT NOT NULL,"
  "  source_hash TEXT NOT NULL,"
  "  imported_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE entries ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  identity TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL CHECK (kind = 'session' OR kind = 'talk' OR kind = 'break'),"
  "  title TEXT NOT NULL,"
  "  track TEXT,"
  "  room TEXT,"
  "  start_utc INTEGER NOT NULL,"
  "  end_utc INTEGER NOT NULL,"
  "  speakers TEXT NOT NULL DEFAULT '',"
  "  conveners TEXT NOT NULL DEFAULT '',"
  "  abstract TEXT NOT NULL DEFAULT '',"
  "  parent_id TEXT,"
  "  occurrence_group TEXT,"
  "  source_line INTEGER NOT NULL DEFAULT 0,"
  "  position INTEGER,"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1)"
  ");"
  "CREATE INDEX entries_by_position ON entries (active, position);"
  "CREATE TABLE agenda ("
  "  entry_id TEXT PRIMARY KEY NOT NULL REFERENCES entries (id),"
  "  priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),"
  "  state TEXT NOT NULL DEFAULT 'planned'"
  "    CHECK (state = 'planned' OR state = 'skipped' OR state = 'moved'"
  "           OR state = 'cancelled'),"
  "  note TEXT NOT NULL DEFAULT '',"
  "  added_at INTEGER NOT NULL,"
  "  previous_start INTEGER NOT NULL DEFAULT 0,"
  "  previous_room TEXT"
  ");"
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ");",

  /* 2: per-item reminder leads, and the log that keeps a reminder from
   * being shown twice across daemon restarts. */
  "ALTER TABLE agenda ADD COLUMN remind TEXT;"
  "CREATE TABLE reminder_log ("
  "  entry_id TEXT NOT NULL REFERENCES entries (id),"
  "  start_utc INTEGER NOT NULL,"
  "  lead_minutes INTEGER NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  outcome TEXT NOT NULL CHECK (outcome = 'shown' OR outcome = 'missed'),"
  "  PRIMARY KEY (entry_id, start_utc, lead_minutes)"
  ");",

  /* 3: overlaps the user accepted (resolve --apply kept both items with a
   * note), one row per pair of agenda ids, a < b. The agreement was about
   * those two items where they are: the triggers drop it, in the same
   * statement as the change, when either item leaves the agenda, is
   * planned again after a skip, or is moved to another occurrence. */
  "CREATE TABLE accepted_overlap ("
  "  a TEXT NOT NULL,"
  "  b TEXT NOT NULL,"
  "  PRIMARY KEY (a, b),"
  "  CHECK (a < b)"
  ");"
  "CREATE INDEX accepted_overlap_by_b ON accepted_overlap (b);"
  "CREATE TRIGGER accepted_overlap_removed AFTER DELETE ON agenda BEGIN"
  "  DELETE FROM accepted_overlap WHERE a = OLD.entry_id OR b = OLD.entry_id;"
  " END;"
  "CREATE TRIGGER accepted_overlap_retargeted AFTER UPDATE OF entry_id ON agenda"
  "  WHEN OLD.entry_id <> NEW.entry_id BEGIN"
  "  DELETE FROM accepted_overlap WHERE a = OLD.entry_id OR b = OLD.entry_id;"
  " END;"
  "CREATE TRIGGER accepted_overlap_unskipped AFTER UPDATE OF state ON agenda"
  "  WHEN OLD.state = 'skipped' AND NEW.state <> 'skipped' BEGIN"
  "  DELETE FROM accepted_overlap WHERE a = OLD.entry_id OR b = OLD.entry_id;"
  " END;",

  /* 4: agendas of other conferences. Importing another conference's program
   * (lpc_store_import_program_full() with LPC_IMPORT_REPLACE) moves the
   * agenda here under the old program's name; importing that program again
   * brings it back. The entries stay in entries (inactive), so the ids hold. */
  "CREATE TABLE archived_agenda ("
  "  conference TEXT NOT NULL,"
  "  entry_id TEXT NOT NULL REFERENCES entries (id),"
  "  priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),"
  "  remind TEXT,"
  "  state TEXT NOT NULL DEFAULT 'planned'"
  "    CHECK (state = 'planned' OR state = 'skipped' OR state = 'moved'"
  "           OR state = 'cancelled'),"
  "  note TEXT NOT NULL DEFAULT '',"
  "  added_at INTEGER NOT NULL,"
  "  previous_start INTEGER NOT NULL DEFAULT 0,"
  "  previous_room TEXT,"
  "  archived_at INTEGER NOT NULL,"
  "  PRIMARY KEY (conference, entry_id)"
  ");",

  /* 5: the outcome 'void': a reminder that fell due before its item was
   * planned with that lead (added, planned again after a skip, or given the
   * lead after its time) for a talk that had ended by then. It was never
   * owed, so it is not "missed"; it is logged so that no later run takes it
   * for one. SQLite cannot change a CHECK in place: the table is rebuilt. */
  "CREATE TABLE reminder_log_v5 ("
  "  entry_id TEXT NOT NULL REFERENCES entries (id),"
  "  start_utc INTEGER NOT NULL,"
  "  lead_minutes INTEGER NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  outcome TEXT NOT NULL"
  "    CHECK (outcome = 'shown' OR outcome = 'missed' OR outcome = 'void'),"
  "  PRIMARY KEY (entry_id, start_utc, lead_minutes)"
  ");"
  "INSERT INTO reminder_log_v5 (entry_id, start_utc, lead_minutes, at, outcome)"
  "  SELECT entry_id, start_utc, lead_minutes, at, outcome FROM reminder_log;"
  "DROP TABLE reminder_log;"
  "ALTER TABLE reminder_log_v5 RENAME TO reminder_log;",

  /* 6: the state an item had before a re-import cancelled it (its talk left
   * the program), so that the talk's return brings back a skip or a move,
   * not a fresh "planned". NULL for an item that is not cancelled, and for
   * one cancelled before this version (it comes back planned). */
  "ALTER TABLE agenda ADD COLUMN state_before_cancel TEXT"
  "  CHECK (state_before_cancel IS NULL OR state_before_cancel = 'planned'"
  "         OR state_before_cancel = 'skipped' OR state_before_cancel = 'moved');"
  "ALTER TABLE archived_agenda ADD COLUMN state_before_cancel TEXT"
  "  CHECK (state_before_cancel IS NULL OR state_before_cancel = 'planned'"
  "         OR state_before_cancel = 'skipped' OR state_before_cancel = 'moved');",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LPC_STORE_SCHEMA_VERSION);

/* Every table any version of the schema has: an application_id of 0 with
 * other tables means the file is someone else's. */
static const char *const known_tables[] = {
  "program", "entries", "agenda", "settings", "reminder_log", "accepted_overlap",
};

/* ---- small types ---- */

static const char *const state_names[] = { "planned", "skipped", "moved", "cancelled" };

const char *
lpc_item_state_to_string (LpcItemState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), "planned");
  return state_names[state];
}

gboolean
lpc_item_state_from_string (const char *str, LpcItemState *out_state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (str, state_names[i]) == 0)
        {
          *out_state = (LpcItemState) i;
          return TRUE;
        }
    }
  return FALSE;
}

LpcAgendaItem *
lpc_agenda_item_new (const char *entry_id)
{
  LpcAgendaItem *item = g_new0 (LpcAgendaItem, 1);

  item->entry_id = g_strdup (entry_id);
  item->priority = 3;
  item->state = LPC_ITEM_PLANNED;
  item->note = g_strdup ("");
  return item;
}

void
lpc_agenda_item_free (LpcAgendaItem *item)
{
  if (item == NULL)
    return;
  g_free (item->entry_id);
  g_free (item->remind);
  g_free (item->note);
  g_free (item->previous_room);
  g_free (item);
}

void
lpc_import_summary_clear (LpcImportSummary *summary)
{
  g_clear_pointer (&summary->moved_ids, g_ptr_array_unref);
  g_clear_pointer (&summary->cancelled_ids, g_ptr_array_unref);
  g_clear_pointer (&summary->restored_ids, g_ptr_array_unref);
  g_clear_pointer (&summary->replaced_program, g_free);
  g_clear_pointer (&summary->warnings, g_ptr_array_unref);
  memset (summary, 0, sizeof *summary);
}

void
lpc_repair_report_clear (LpcRepairReport *report)
{
  g_free (report->backup_path);
  memset (report, 0, sizeof *report);
}

/* ---- the store and its statement cache ---- */

struct _LpcStore
{
  char *path;
  sqlite3 *db;              /* NULL for a store that could not be opened */
  char *unavailable;        /* why not, then: every call fails with it */
  char *read_only_reason;   /* non-NULL: opened read-only, and why */
  /* SQL literal -> sqlite3_stmt *, prepared once. Keyed by the literal's
   * address: hashing a long INSERT's text for every row of an import
   * showed in profiles. */
  GHashTable *stmts;
};

/* A statement borrowed from the cache: releasing it resets it for the next
 * user instead of finalizing it. */
typedef sqlite3_stmt CachedStmt;

static void
cached_stmt_release (CachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStmt, cached_stmt_release)

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static char *unwritable_reason (const char *dir, const char *path);

/* Says what went wrong in words a person can act on: a full disk, a file
 * system that went read-only and other I/O errors are told apart from the
 * rest, whose SQLite message is passed on. SQLite does not always keep the
 * errno of a failed write (a commit's WAL write loses it), so after an I/O
 * error the folder itself is asked whether it can still be written. */
static gboolean
store_fail (LpcStore *store, GError **error, const char *doing)
{
  g_autofree char *dir = NULL;
  g_autofree char *unwritable = NULL;
  int code;
  int errsv;

  if (store->db == NULL)
    {
      g_set_error_literal (error, LPC_ERROR, LPC_ERROR_STORAGE, store->unavailable);
      return FALSE;
    }
  code = sqlite3_extended_errcode (store->db) & 0xff;
  errsv = sqlite3_system_errno (store->db);
  if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_READONLY)
    {
      dir = g_path_get_dirname (store->path);
      unwritable = unwritable_reason (dir, store->path);
      if (unwritable == NULL && errsv == EROFS)
        unwritable = g_strdup ("the file system became read-only");
    }
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                 "%s is locked by another program: could not %s; nothing was changed. Try "
                 "again once it lets go (a sqlite3 shell or backup tool with the file open?).",
                 store->path, doing);
  else if (code == SQLITE_FULL || (code == SQLITE_IOERR && errsv == ENOSPC))
    g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                 "%s: disk full: could not %s; nothing was saved. Free some space and try "
                 "again.",
                 store->path, doing);
  else if (unwritable != NULL || code == SQLITE_READONLY)
    g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                 "%s: read-only (%s): could not %s; nothing was saved. Everything can still be "
                 "read.",
                 store->path, unwritable != NULL ? unwritable : sqlite3_errmsg (store->db), doing);
  else if (code == SQLITE_IOERR)
    g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                 "%s: I/O error (%s): could not %s; nothing was saved.", store->path,
                 errsv != 0 ? g_strerror (errsv) : sqlite3_errmsg (store->db), doing);
  else
    g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not %s in %s: %s", doing,
                 store->path, sqlite3_errmsg (store->db));
  return FALSE;
}

/* The gate of every change: a store opened read-only (or not at all) says
 * so, naming the file, before SQLite is asked. */
gboolean
lpc_store_require_writable (LpcStore *store, const char *what, GError **error)
{
  if (store->db == NULL)
    {
      g_set_error_literal (error, LPC_ERROR, LPC_ERROR_STORAGE, store->unavailable);
      return FALSE;
    }
  if (store->read_only_reason == NULL)
    return TRUE;
  g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
               "%s: read-only (%s): cannot save %s. Everything can still be read; once it can "
               "be written, restart lpc-agendad.",
               store->path, store->read_only_reason, what);
  return FALSE;
}

/* @sql must be a string literal: the cache knows it by its address. */
static CachedStmt *
store_stmt (LpcStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt;

  if (store->db == NULL)
    {
      store_fail (store, error, "read the database");
      return NULL;
    }
  stmt = g_hash_table_lookup (store->stmts, sql);
  if (stmt == NULL)
    {
      /* stmt is NULL, with SQLITE_OK, for SQL without a statement. */
      if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
              != SQLITE_OK
          || stmt == NULL)
        {
          store_fail (store, error, "prepare a query");
          return NULL;
        }
      g_hash_table_insert (store->stmts, (gpointer) sql, stmt);
    }
  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
store_step_done (LpcStore *store, CachedStmt *stmt, const char *doing, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return store_fail (store, error, doing);
  return TRUE;
}

static gboolean
store_exec_cached (LpcStore *store, const char *sql, const char *doing, GError **error)
{
  g_autoptr (CachedStmt) stmt = store_stmt (store, sql, error);

  return stmt != NULL && store_step_done (store, stmt, doing, error);
}

static void
store_rollback (LpcStore *store)
{
  if (store->db != NULL && !sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

typedef gboolean (*StoreTxnFunc) (LpcStore *store, gpointer data, GError **error);

/* One change, one transaction: all of @func's writes land or none do. The
 * write lock is taken up front so a read-then-write never fails half way
 * with SQLITE_BUSY. */
static gboolean
store_write_transaction (LpcStore *store, StoreTxnFunc func, gpointer data, GError **error)
{
  if (!lpc_store_require_writable (store, "the change", error))
    return FALSE;
  if (!store_exec_cached (store, "BEGIN IMMEDIATE", "start a change", error))
    return FALSE;
  if (!func (store, data, error))
    {
      store_rollback (store);
      return FALSE;
    }
  if (!store_exec_cached (store, "COMMIT", "save a change", error))
    {
      store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt, int col, const char *text)
{
  /* The caller's strings outlive the step that reads them. */
  sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- opening: the checks that come before any write ---- */

char *
lpc_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "lpc-agenda", "agenda.db", NULL);
}

static char *
sibling_path (const char *path, const char *suffix)
{
  return g_strconcat (path, suffix, NULL);
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

typedef enum
{
  HEADER_EMPTY, /* a zero-length file: a database nobody has written yet */
  HEADER_SQLITE,
  HEADER_NOT_SQLITE,
} HeaderKind;

/* Reads the 100-byte SQLite header ourselves, so that a file that is plainly
 * not ours is refused without SQLite ever opening it. */
static gboolean
read_header (const char *path, HeaderKind *out_kind, guint32 *out_app_id, guint32 *out_version,
             GError **error)
{
  static const char magic[16] = "SQLite format 3";
  guint8 header[100];
  struct stat st;
  gssize n = 0;
  int fd;

  /* O_NONBLOCK: a FIFO at our path must not hang the daemon. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not open %s: %s", path,
                   g_strerror (errsv));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                   "%s is not a regular file, so it cannot be the agenda database. " UNTOUCHED
                   " Move it away or choose another path.",
                   path);
      return FALSE;
    }
  while ((gsize) n < sizeof header)
    {
      gssize r = read (fd, header + n, sizeof header - (gsize) n);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int errsv = errno;
          close (fd);
          g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not read %s: %s", path,
                       g_strerror (errsv));
          return FALSE;
        }
      if (r == 0)
        break;
      n += r;
    }
  close (fd);

  *out_app_id = 0;
  *out_version = 0;
  if (n == 0)
    *out_kind = HEADER_EMPTY;
  else if ((gsize) n < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    *out_kind = HEADER_NOT_SQLITE;
  else
    {
      *out_kind = HEADER_SQLITE;
      *out_version = read_be32 (header + 60);
      *out_app_id = read_be32 (header + 68);
    }
  return TRUE;
}

static void
set_not_sqlite_error (const char *path, GError **error)
{
  g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
               "%s is not an lpc-agenda database: it is not an SQLite file at all. " UNTOUCHED
               " Stop lpc-agendad and run `lpc-agenda repair` to keep it aside under a new name and start a fresh "
               "database, or move it away yourself.",
               path);
}

static void
set_foreign_error (const char *path, guint32 app_id, GError **error)
{
  g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
               "%s is another program's SQLite database (application id 0x%08x), not "
               "lpc-agenda's. " UNTOUCHED " Move it away, choose another path, or stop "
               "lpc-agendad and run `lpc-agenda repair` to keep it aside under a new name and "
               "start a fresh database.",
               path, app_id);
}

static void
set_newer_error (const char *path, gint64 version, GError **error)
{
  g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
               "%s was written by a newer lpc-agenda (schema version %" G_GINT64_FORMAT
               "; this one knows up to %d). " UNTOUCHED " Upgrade lpc-agenda to use it.",
               path, version, LPC_STORE_SCHEMA_VERSION);
}

static void
set_damaged_error (const char *path, const char *what, GError **error)
{
  g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
               "%s is damaged (%s). " UNTOUCHED " " REPAIR_HINT, path, what);
}

static char *unwritable_reason (const char *dir, const char *path);

/* Why SQLite cannot open @path when its -wal has no -shm beside it and none
 * can be made (the folder is read-only): NULL when that is not the case.
 * The -wal holds the latest changes of a writer that stopped without folding
 * them in; reading around it would show an older agenda as the current one. */
static char *
wal_without_shm_reason (const char *path)
{
  g_autofree char *wal = sibling_path (path, "-wal");
  g_autofree char *shm = sibling_path (path, "-shm");
  g_autofree char *dir = NULL;

  if (!g_file_test (wal, G_FILE_TEST_EXISTS) || g_file_test (shm, G_FILE_TEST_EXISTS))
    return NULL;
  dir = g_path_get_dirname (path);
  return unwritable_reason (dir, path);
}

/* Turns a failed read on a checking connection into the right refusal. */
static gboolean
check_failed (sqlite3 *db, int rc, const char *path, GError **error)
{
  g_autofree char *no_shm = NULL;

  switch (rc & 0xff)
    {
    case SQLITE_CANTOPEN:
      no_shm = wal_without_shm_reason (path);
      if (no_shm != NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                       "%s cannot be read: its latest changes are in %s-wal, left by an "
                       "lpc-agendad that did not stop cleanly, and SQLite reads them only with a "
                       "%s-shm beside it, which cannot be made (%s). " UNTOUCHED " Make the "
                       "folder writable again (for example, remount it read-write) and start "
                       "lpc-agendad: it adds those changes to the database.",
                       path, path, path, no_shm);
          break;
        }
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not read %s: %s", path,
                   sqlite3_errmsg (db));
      break;
    case SQLITE_NOTADB:
      set_not_sqlite_error (path, error);
      break;
    case SQLITE_CORRUPT:
      set_damaged_error (path, sqlite3_errmsg (db), error);
      break;
    default:
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not read %s: %s", path,
                   sqlite3_errmsg (db));
      break;
    }
  return FALSE;
}

static int
query_int (sqlite3 *db, const char *sql, gint64 *out_value)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_value = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* Opens @path for reading only, creating nothing: with no -wal or -journal
 * beside it the main file is all there is, so "immutable" reads it without
 * locks or a -shm. Either of those means a writer is (or was, before a
 * crash) at work, and what it holds counts. */
static int
open_for_reading (const char *path, sqlite3 **out_db)
{
  g_autofree char *wal = sibling_path (path, "-wal");
  g_autofree char *journal = sibling_path (path, "-journal");
  int rc;

  if (g_file_test (wal, G_FILE_TEST_EXISTS) || g_file_test (journal, G_FILE_TEST_EXISTS))
    rc = sqlite3_open_v2 (path, out_db, SQLITE_OPEN_READONLY, NULL);
  else
    {
      g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
      g_autofree char *uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
      rc = sqlite3_open_v2 (uri, out_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    }
  if (*out_db != NULL)
    sqlite3_busy_timeout (*out_db, STORE_BUSY_TIMEOUT_MS);
  return rc;
}

/* quick_check's first row: "ok", or a report whose first line may only
 * name the database ("*** in database main ***"). */
static char *
first_problem (const char *report)
{
  g_auto (GStrv) lines = g_strsplit (report != NULL ? report : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] != '\0' && !g_str_has_prefix (lines[i], "***"))
        return g_strdup (lines[i]);
    }
  return g_strdup (report);
}

/* Everything SQLite can tell without writing: is it SQLite, is it ours, is
 * it whole, is it a version we know. */
static gboolean
check_database (const char *path, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 app_id = 0, version = 0;
  g_autofree char *unknown_table = NULL;
  g_autofree char *quick_check = NULL;
  guint n_tables = 0;
  gboolean ok = FALSE;
  int rc;

  rc = open_for_reading (path, &db);
  if (rc != SQLITE_OK)
    {
      check_failed (db, rc, path, error);
      goto out;
    }

  /* One read transaction: a concurrent creator writes the mark, the schema
   * version and the tables in one, and must be seen all or not at all. */
  if ((rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK
      || (rc = query_int (db, "PRAGMA application_id", &app_id)) != SQLITE_OK
      || (rc = query_int (db, "PRAGMA user_version", &version)) != SQLITE_OK)
    {
      check_failed (db, rc, path, error);
      goto out;
    }

  rc = sqlite3_prepare_v2 (db,
                           "SELECT name FROM sqlite_schema WHERE type = 'table'"
                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      n_tables++;
      if (unknown_table == NULL && !g_strv_contains (known_tables, name))
        unknown_table = g_strdup (name);
      rc = SQLITE_OK;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    {
      check_failed (db, rc, path, error);
      goto out;
    }

  if (app_id != 0 && app_id != LPC_STORE_APPLICATION_ID)
    {
      set_foreign_error (path, (guint32) app_id, error);
      goto out;
    }
  if (app_id == 0 && (n_tables > 0 || version != 0))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                   "%s is an SQLite database, but not lpc-agenda's (%s%s%s). " UNTOUCHED
                   " Move it away, choose another path, or stop lpc-agendad and run "
                   "`lpc-agenda repair` to keep it aside under a new name and start a fresh "
                   "database.",
                   path, unknown_table != NULL ? "it has a table “" : "it has a schema version",
                   unknown_table != NULL ? unknown_table : "",
                   unknown_table != NULL ? "”" : " and no lpc-agenda mark");
      goto out;
    }
  if (version > LPC_STORE_SCHEMA_VERSION)
    {
      set_newer_error (path, version, error);
      goto out;
    }
  if (version == 0 && n_tables > 0)
    {
      set_damaged_error (path, "it has tables but no schema version", error);
      goto out;
    }

  /* One problem is enough to refuse, and a message a person reads. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      quick_check = first_problem ((const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_OK)
    {
      check_failed (db, rc, path, error);
      goto out;
    }
  if (g_strcmp0 (quick_check, "ok") != 0)
    {
      g_autofree char *what = g_strdup_printf ("integrity check: %s",
                                               quick_check != NULL ? quick_check : "no answer");
      set_damaged_error (path, what, error);
      goto out;
    }
  ok = TRUE;

out:
  sqlite3_close (db);
  return ok;
}

/* Creates the file ourselves, 0600 whatever the umask, so SQLite never
 * creates it with its own default mode; SQLite then gives -wal and -shm the
 * main file's mode. */
static gboolean
ensure_file (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);

  if (fd < 0)
    {
      int errsv = errno;
      if (errsv == EEXIST)
        return TRUE;
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not create %s: %s", path,
                   g_strerror (errsv));
      return FALSE;
    }
  /* umask may have cleared bits, never added them; fchmod makes it exact. */
  if (fchmod (fd, 0600) != 0 || close (fd) != 0)
    {
      int errsv = errno;
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not create %s: %s", path,
                   g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/* The agenda is personal: nobody else on the machine may read it, nor the
 * recent changes sitting in -wal. */
static void
restrict_mode (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 077) != 0)
    {
      if (g_chmod (path, st.st_mode & 0700) != 0)
        g_warning ("Could not make %s private: %s", path, g_strerror (errno));
    }
}

static gboolean
store_migrate_one (LpcStore *store, gpointer data, GError **error)
{
  gboolean *out_done = data;
  g_autofree char *bump = NULL;
  gint64 version = 0, app_id = 0;

  /* Read again under the write lock: another process may have migrated
   * between our check and now. */
  if (query_int (store->db, "PRAGMA user_version", &version) != SQLITE_OK
      || query_int (store->db, "PRAGMA application_id", &app_id) != SQLITE_OK)
    return store_fail (store, error, "read the schema version");
  if (app_id != 0 && app_id != LPC_STORE_APPLICATION_ID)
    {
      set_foreign_error (store->path, (guint32) app_id, error);
      return FALSE;
    }
  if (version > LPC_STORE_SCHEMA_VERSION)
    {
      set_newer_error (store->path, version, error);
      return FALSE;
    }
  if (version == LPC_STORE_SCHEMA_VERSION)
    {
      *out_done = TRUE;
      return TRUE;
    }

  if (sqlite3_exec (store->db, migrations[version], NULL, NULL, NULL) != SQLITE_OK)
    {
      g_autofree char *doing
          = g_strdup_printf ("update the database to schema version %d", (int) version + 1);
      return store_fail (store, error, doing);
    }
  /* Pragmas take no parameters. The mark goes on with the first schema,
   * in the same transaction, so no file of ours ever lacks it. */
  if (version == 0)
    bump = g_strdup_printf ("PRAGMA user_version = 1; PRAGMA application_id = %d;",
                            (int) LPC_STORE_APPLICATION_ID);
  else
    bump = g_strdup_printf ("PRAGMA user_version = %d;", (int) version + 1);
  if (sqlite3_exec (store->db, bump, NULL, NULL, NULL) != SQLITE_OK)
    return store_fail (store, error, "record the schema version");
  return TRUE;
}

static gboolean
store_set_cache_size (LpcStore *store, int kib)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%d", kib);

  return store->db != NULL && sqlite3_exec (store->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static gboolean
store_configure (LpcStore *store, gboolean fresh, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *mode = NULL;
  int rc;

  sqlite3_busy_timeout (store->db, STORE_BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (store->db, 1);
  /* Only a database with nothing in it yet takes a page size. Each WAL
   * frame costs two writes, so 16 KiB pages make an import's commit about a
   * quarter of the syscalls of 4 KiB ones; a small change writes a little
   * more, and changes are rare. */
  if (fresh && sqlite3_exec (store->db, "PRAGMA page_size = 16384", NULL, NULL, NULL) != SQLITE_OK)
    return store_fail (store, error, "configure the connection");
  if (sqlite3_exec (store->db,
                    "PRAGMA foreign_keys = ON;"
                    "PRAGMA synchronous = FULL;"
                    "PRAGMA trusted_schema = OFF;",
                    NULL, NULL, NULL)
          != SQLITE_OK
      || !store_set_cache_size (store, STORE_CACHE_KIB))
    return store_fail (store, error, "configure the connection");

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      mode = column_dup (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    return store_fail (store, error, "switch to write-ahead logging");
  /* Some file systems cannot share memory between processes; a rollback
   * journal with synchronous=FULL is still durable, just slower. */
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    g_warning ("%s: write-ahead logging is not available here (journal mode %s)", store->path,
               mode);
  return TRUE;
}

/* Why @path (in @dir) cannot be written, or NULL when it can (or does not
 * exist yet and @dir can be written). access() answers for this process:
 * root is refused only by a read-only file system, as SQLite would be. */
static char *
unwritable_reason (const char *dir, const char *path)
{
  int errsv;

  if (access (dir, W_OK) != 0)
    {
      errsv = errno;
      if (errsv == EROFS)
        return g_strdup_printf ("its folder %s is on a read-only file system", dir);
      return g_strdup_printf ("its folder %s cannot be written: %s", dir, g_strerror (errsv));
    }
  if (access (path, W_OK) != 0 && errno != ENOENT)
    {
      errsv = errno;
      if (errsv == EROFS)
        return g_strdup ("it is on a read-only file system");
      return g_strdup_printf ("the file cannot be written: %s", g_strerror (errsv));
    }
  return NULL;
}

static LpcStore *
store_new (const char *path)
{
  LpcStore *store = g_new0 (LpcStore, 1);

  store->path = g_strdup (path);
  store->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_finalize);
  return store;
}

LpcStore *
lpc_store_new_unavailable (const char *path, const char *message)
{
  LpcStore *store = store_new (path);

  g_return_val_if_fail (message != NULL, store);
  store->unavailable = g_strdup (message);
  return store;
}

/* The read-only way in: the file must already be a database of ours at the
 * current schema (checked by check_database() before), since nothing can be
 * created or migrated. Nothing is written, not even a -shm when the folder
 * holds no -wal (see open_for_reading()). */
static LpcStore *
store_open_read_only (const char *path, HeaderKind kind, char *reason, GError **error)
{
  g_autofree char *owned_reason = reason;
  g_autoptr (LpcStore) store = NULL;
  gint64 version = 0;
  int rc;

  if (kind == HEADER_EMPTY)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                   "%s is empty and read-only (%s): there is no agenda in it to read, and none "
                   "can be created there.",
                   path, owned_reason);
      return NULL;
    }
  store = store_new (path);
  rc = open_for_reading (path, &store->db);
  if (rc != SQLITE_OK)
    {
      check_failed (store->db, rc, path, error);
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  /* query_only: should a write get past store_require_writable(), SQLite
   * refuses it too. */
  if (sqlite3_exec (store->db,
                    "PRAGMA foreign_keys = ON;"
                    "PRAGMA trusted_schema = OFF;"
                    "PRAGMA query_only = ON;",
                    NULL, NULL, NULL)
          != SQLITE_OK
      || !store_set_cache_size (store, STORE_CACHE_KIB))
    {
      store_fail (store, error, "configure the connection");
      return NULL;
    }
  if ((rc = query_int (store->db, "PRAGMA user_version", &version)) != SQLITE_OK)
    {
      check_failed (store->db, rc, path, error);
      return NULL;
    }
  if (version < LPC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                   "%s is read-only (%s) and was written by an older lpc-agenda (schema version "
                   "%" G_GINT64_FORMAT "): it must be updated to version %d before it can be "
                   "read, and that needs it writable. " UNTOUCHED,
                   path, owned_reason, version, LPC_STORE_SCHEMA_VERSION);
      return NULL;
    }
  g_info ("%s is read-only (%s): reading it, saving nothing", path, owned_reason);
  store->read_only_reason = g_steal_pointer (&owned_reason);
  return g_steal_pointer (&store);
}

LpcStore *
lpc_store_open (const char *path, GError **error)
{
  return lpc_store_open_full (path, LPC_STORE_OPEN_DEFAULT, error);
}

LpcStore *
lpc_store_open_full (const char *path, LpcStoreOpenFlags flags, GError **error)
{
  g_autoptr (LpcStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *read_only_reason = NULL;
  HeaderKind kind;
  guint32 app_id, version;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                   "Could not create the folder %s for the agenda database: %s", dir,
                   g_strerror (errsv));
      return NULL;
    }
  if (flags & LPC_STORE_OPEN_READ_ONLY)
    read_only_reason = g_strdup ("opened read-only");
  else
    read_only_reason = unwritable_reason (dir, path);
  if (read_only_reason != NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not create %s: %s", path,
                   read_only_reason);
      return NULL;
    }
  if ((read_only_reason == NULL && !ensure_file (path, error))
      || !read_header (path, &kind, &app_id, &version, error))
    return NULL;

  switch (kind)
    {
    case HEADER_NOT_SQLITE:
      set_not_sqlite_error (path, error);
      return NULL;
    case HEADER_SQLITE:
      if (app_id != 0 && app_id != LPC_STORE_APPLICATION_ID)
        {
          set_foreign_error (path, app_id, error);
          return NULL;
        }
      if (!check_database (path, error))
        return NULL;
      break;
    case HEADER_EMPTY:
    default:
      break;
    }
  if (read_only_reason != NULL)
    return store_open_read_only (path, kind, g_steal_pointer (&read_only_reason), error);

  /* Only now, with the file known to be ours (or empty), may anything be
   * written to it: even setting the journal mode writes the header. */
  store = store_new (path);
  if (sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      store_fail (store, error, "open the database");
      return NULL;
    }
  restrict_mode (path);
  if (!store_configure (store, kind == HEADER_EMPTY, error))
    return NULL;

  for (gboolean done = FALSE; !done;)
    {
      if (!store_write_transaction (store, store_migrate_one, &done, error))
        return NULL;
    }

  {
    g_autofree char *wal = sibling_path (path, "-wal");
    g_autofree char *shm = sibling_path (path, "-shm");
    restrict_mode (wal);
    restrict_mode (shm);
  }
  return g_steal_pointer (&store);
}

void
lpc_store_free (LpcStore *store)
{
  if (store == NULL)
    return;
  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&store->stmts, g_hash_table_unref);
  if (store->db != NULL && sqlite3_close (store->db) != SQLITE_OK)
    g_warning ("Could not close %s: %s", store->path, sqlite3_errmsg (store->db));
  g_free (store->path);
  g_free (store->unavailable);
  g_free (store->read_only_reason);
  g_free (store);
}

const char *
lpc_store_get_path (LpcStore *store)
{
  return store->path;
}

const char *
lpc_store_get_read_only_reason (LpcStore *store)
{
  return store->read_only_reason;
}

const char *
lpc_store_get_unavailable_message (LpcStore *store)
{
  return store->unavailable;
}

void
lpc_store_release_memory (LpcStore *store)
{
  /* The statements too: an import prepares a dozen that nothing else uses,
   * and those the next calls need are prepared again in microseconds. */
  g_hash_table_remove_all (store->stmts);
  if (store->db != NULL)
    sqlite3_db_release_memory (store->db);
}

/* For the unit tests only (declared there, not in store.h): per-connection
 * settings such as synchronous cannot be seen from a second connection. */
sqlite3 *lpc_store_get_db_for_tests (LpcStore *store);

sqlite3 *
lpc_store_get_db_for_tests (LpcStore *store)
{
  return store->db;
}

/* ---- the program ---- */

#define ENTRY_COLUMNS                                                                              \
  "id, kind, title, track, room, start_utc, end_utc, speakers, conveners, abstract, "              \
  "parent_id, occurrence_group, identity, source_line"

static GStrv
split_lines (const char *text)
{
  if (text == NULL || *text == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, "\n", -1);
}

static char *
join_lines (GStrv strv)
{
  return strv != NULL ? g_strjoinv ("\n", strv) : g_strdup ("");
}

/* What a lean load reads: ENTRY_COLUMNS without the abstract and the
 * identity, which are read as NULL. */
#define LEAN_ENTRY_COLUMNS                                                                         \
  "id, kind, title, track, room, start_utc, end_utc, speakers, conveners, NULL, "                  \
  "parent_id, occurrence_group, NULL, source_line"

/* Reads a row of ENTRY_COLUMNS (or LEAN_ENTRY_COLUMNS). */
static LpcEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  LpcEntry *entry = g_new0 (LpcEntry, 1);

  entry->id = column_dup (stmt, 0);
  if (!lpc_entry_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &entry->kind))
    entry->kind = LPC_ENTRY_TALK;
  entry->title = column_dup (stmt, 2);
  entry->track = column_dup (stmt, 3);
  entry->room = column_dup (stmt, 4);
  entry->start = sqlite3_column_int64 (stmt, 5);
  entry->end = sqlite3_column_int64 (stmt, 6);
  entry->speakers = split_lines ((const char *) sqlite3_column_text (stmt, 7));
  entry->conveners = split_lines ((const char *) sqlite3_column_text (stmt, 8));
  entry->abstract = column_dup (stmt, 9);
  entry->parent_id = column_dup (stmt, 10);
  entry->occurrence_group = column_dup (stmt, 11);
  entry->identity = column_dup (stmt, 12);
  entry->source_line = (guint) sqlite3_column_int64 (stmt, 13);
  return entry;
}

/* One column of the stored program's row; NULL when none is stored (or it
 * cannot be read: logged). */
static char *
dup_program_column (LpcStore *store, const char *sql, const char *doing)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CachedStmt) stmt = store_stmt (store, sql, &error);

  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return column_dup (stmt, 0);
    case SQLITE_DONE:
      return NULL;
    default:
      store_fail (store, &error, doing);
      g_warning ("%s", error->message);
      return NULL;
    }
}

char *
lpc_store_dup_program_hash (LpcStore *store)
{
  return dup_program_column (store, "SELECT source_hash FROM program WHERE id = 1",
                             "read the program's hash");
}

char *
lpc_store_dup_program_name (LpcStore *store)
{
  return dup_program_column (store, "SELECT name FROM program WHERE id = 1",
                             "read the program's name");
}

static gboolean
load_program_rows (LpcStore *store, gboolean lean, LpcProgram **out_program, GError **error)
{
  g_autoptr (LpcProgram) program = NULL;
  int rc;

  {
    g_autoptr (CachedStmt) stmt
        = store_stmt (store, "SELECT name, timezone, source_hash FROM program WHERE id = 1", error);
    if (stmt == NULL)
      return FALSE;
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        *out_program = NULL;
        return TRUE;
      }
    if (rc != SQLITE_ROW)
      return store_fail (store, error, "read the program");
    program = lpc_program_new ((const char *) sqlite3_column_text (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1));
    g_free (program->source_hash);
    program->source_hash = column_dup (stmt, 2);
  }

  {
    g_autoptr (CachedStmt) stmt
        = lean ? store_stmt (store,
                             "SELECT " LEAN_ENTRY_COLUMNS
                             " FROM entries WHERE active = 1 ORDER BY position",
                             error)
               : store_stmt (store,
                             "SELECT " ENTRY_COLUMNS
                             " FROM entries WHERE active = 1 ORDER BY position",
                             error);
    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        LpcEntry *entry = entry_from_row (stmt);

        if (!lean && entry->abstract == NULL)
          entry->abstract = g_strdup ("");
        lpc_program_take_entry (program, entry);
      }
    if (rc != SQLITE_DONE)
      return store_fail (store, error, "read the program");
  }
  *out_program = g_steal_pointer (&program);
  return TRUE;
}

static LpcProgram *
load_program (LpcStore *store, gboolean lean, GError **error)
{
  LpcProgram *program = NULL;
  gboolean ok;

  /* One read transaction: the header and the entries from the same
   * snapshot even if an import commits in between. */
  if (!store_exec_cached (store, "BEGIN", "read the program", error))
    return NULL;
  ok = load_program_rows (store, lean, &program, error);
  store_rollback (store);
  return ok ? program : NULL;
}

LpcProgram *
lpc_store_load_program (LpcStore *store, GError **error)
{
  return load_program (store, FALSE, error);
}

LpcProgram *
lpc_store_load_program_lean (LpcStore *store, GError **error)
{
  return load_program (store, TRUE, error);
}

char *
lpc_store_dup_abstract (LpcStore *store, const char *id, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "SELECT abstract FROM entries WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    case SQLITE_DONE:
      g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "There is no talk “%s”.", id);
      return NULL;
    default:
      store_fail (store, error, "read a talk's abstract");
      return NULL;
    }
}

gboolean
lpc_store_foreach_abstract (LpcStore *store, LpcStoreAbstractFunc func, gpointer user_data,
                            GError **error)
{
  g_autoptr (CachedStmt) stmt = store_stmt (
      store, "SELECT id, abstract FROM entries WHERE active = 1 AND abstract <> ''", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (stmt, 0),
          (const char *) sqlite3_column_text (stmt, 1), user_data);
  if (rc != SQLITE_DONE)
    return store_fail (store, error, "read the abstracts");
  return TRUE;
}

LpcEntry *
lpc_store_get_entry (LpcStore *store, const char *id, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      {
        LpcEntry *entry = entry_from_row (stmt);

        if (entry->abstract == NULL)
          entry->abstract = g_strdup ("");
        return entry;
      }
    case SQLITE_DONE:
      g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "There is no talk “%s”.", id);
      return NULL;
    default:
      store_fail (store, error, "read a talk");
      return NULL;
    }
}

/* ---- import ---- */

/* What the store knew about an entry before this import. */
typedef struct
{
  char *id;
  char *identity;
  char *room;
  gint64 start;
  gint64 end;
  gboolean active;
  gboolean claimed; /* this import gave the row to one of its entries */
} StoredEntry;

static void
stored_entry_free (gpointer data)
{
  StoredEntry *stored = data;

  g_free (stored->id);
  g_free (stored->identity);
  g_free (stored->room);
  g_free (stored);
}

typedef struct
{
  LpcProgram *program;
  LpcImportFlags flags;
  /* Results, applied to @program only once the transaction committed. */
  GPtrArray *new_ids; /* char *, one per entry, in program order */
  GHashTable *remap;  /* proposed id -> stored id (borrowed from new_ids), where they differ */
  LpcImportSummary summary;
} ImportJob;

static void
import_job_clear (ImportJob *job)
{
  g_clear_pointer (&job->new_ids, g_ptr_array_unref);
  g_clear_pointer (&job->remap, g_hash_table_unref);
  lpc_import_summary_clear (&job->summary);
}

static gboolean
text_has_newline (const char *const *strv)
{
  for (; strv != NULL && *strv != NULL; strv++)
    {
      if (strchr (*strv, '\n') != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Everything that can be wrong with the program itself is found before the
 * transaction starts. */
static gboolean
validate_program (LpcProgram *program, GError **error)
{
  g_autoptr (GHashTable) identities = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      const LpcEntry *other;
      const char *problem = NULL;

      if (entry->id == NULL || *entry->id == '\0')
        problem = "has no id";
      else if (entry->identity == NULL || *entry->identity == '\0')
        problem = "has no identity";
      else if (entry->title == NULL)
        problem = "has no title";
      else if ((guint) entry->kind > LPC_ENTRY_BREAK)
        problem = "has an unknown kind";
      else if (entry->end < entry->start)
        problem = "ends before it starts";
      else if (text_has_newline ((const char *const *) entry->speakers)
               || text_has_newline ((const char *const *) entry->conveners))
        problem = "has a speaker or convener name with a line break";
      if (problem != NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID, "line %u: entry “%s” %s",
                       entry->source_line, entry->id != NULL ? entry->id : "", problem);
          return FALSE;
        }

      other = g_hash_table_lookup (identities, entry->identity);
      if (other != NULL)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
                       "line %u: entry “%s” is the same entry (%s) as “%s” on line %u",
                       entry->source_line, entry->id, entry->identity, other->id,
                       other->source_line);
          return FALSE;
        }
      g_hash_table_insert (identities, entry->identity, (gpointer) entry);
    }
  return TRUE;
}

static gboolean
load_stored_entries (LpcStore *store, GHashTable *by_identity, GHashTable *by_id, GError **error)
{
  g_autoptr (CachedStmt) stmt = store_stmt (
      store, "SELECT id, identity, room, start_utc, end_utc, active FROM entries", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StoredEntry *stored = g_new0 (StoredEntry, 1);
      stored->id = column_dup (stmt, 0);
      stored->identity = column_dup (stmt, 1);
      stored->room = column_dup (stmt, 2);
      stored->start = sqlite3_column_int64 (stmt, 3);
      stored->end = sqlite3_column_int64 (stmt, 4);
      stored->active = sqlite3_column_int (stmt, 5) != 0;
      g_hash_table_insert (by_id, stored->id, stored);
      g_hash_table_insert (by_identity, stored->identity, stored);
    }
  if (rc != SQLITE_DONE)
    return store_fail (store, error, "read the stored program");
  return TRUE;
}

static gboolean
load_agenda_states (LpcStore *store, GHashTable *states, GError **error)
{
  g_autoptr (CachedStmt) stmt = store_stmt (store, "SELECT entry_id, state FROM agenda", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LpcItemState state = LPC_ITEM_PLANNED;
      lpc_item_state_from_string ((const char *) sqlite3_column_text (stmt, 1), &state);
      g_hash_table_insert (states, column_dup (stmt, 0), GINT_TO_POINTER (state));
    }
  if (rc != SQLITE_DONE)
    return store_fail (store, error, "read the agenda");
  return TRUE;
}

static gboolean
id_is_free (const char *id, GHashTable *by_id, GHashTable *claimed)
{
  return !g_hash_table_contains (by_id, id) && !g_hash_table_contains (claimed, id);
}

/* Decides every entry's id: known identities keep theirs; new ones get the
 * id proposed for them if nobody has ever held it, else the first free
 * "-N" suffix. Never fails. */
static void
assign_ids (ImportJob *job, GHashTable *by_identity, GHashTable *by_id, GHashTable *adopted)
{
  GPtrArray *entries = job->program->entries;
  g_autoptr (GHashTable) claimed = g_hash_table_new (g_str_hash, g_str_equal);

  job->new_ids = g_ptr_array_new_full (entries->len, g_free);
  g_ptr_array_set_size (job->new_ids, (gint) entries->len);

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      StoredEntry *stored = g_hash_table_lookup (by_identity, entry->identity);
      if (stored != NULL)
        {
          stored->claimed = TRUE;
          job->new_ids->pdata[i] = g_strdup (stored->id);
          g_hash_table_add (claimed, stored->id);
        }
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      StoredEntry *holder;

      if (job->new_ids->pdata[i] != NULL)
        continue;
      holder = g_hash_table_lookup (by_id, entry->id);
      if (holder == NULL && !g_hash_table_contains (claimed, entry->id))
        {
          job->new_ids->pdata[i] = g_strdup (entry->id);
          g_hash_table_add (claimed, job->new_ids->pdata[i]);
        }
      else if (holder != NULL && !holder->claimed
               && g_str_has_prefix (holder->identity, SALVAGED_IDENTITY_PREFIX))
        {
          /* A placeholder repair left for an agenda item: this is the talk
           * it stood for. */
          holder->claimed = TRUE;
          job->new_ids->pdata[i] = g_strdup (entry->id);
          g_hash_table_add (claimed, job->new_ids->pdata[i]);
          g_hash_table_add (adopted, job->new_ids->pdata[i]);
        }
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      char *candidate = NULL;

      if (job->new_ids->pdata[i] != NULL)
        continue;
      /* Also step over ids other new entries of this program proposed, so a
       * program's own "talk-2" keeps its id. */
      for (guint n = 2;; n++)
        {
          g_free (candidate);
          candidate = g_strdup_printf ("%s-%u", entry->id, n);
          if (id_is_free (candidate, by_id, claimed)
              && !g_hash_table_contains (job->program->by_id, candidate))
            break;
        }
      job->new_ids->pdata[i] = candidate;
      g_hash_table_add (claimed, candidate);
    }

  job->remap = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      if (strcmp (entry->id, job->new_ids->pdata[i]) != 0)
        g_hash_table_insert (job->remap, g_strdup (entry->id), job->new_ids->pdata[i]);
    }
}

static const char *
remapped (ImportJob *job, const char *id)
{
  const char *new_id = id != NULL ? g_hash_table_lookup (job->remap, id) : NULL;

  return new_id != NULL ? new_id : id;
}

static gboolean
write_entry (LpcStore *store, const LpcEntry *entry, const char *id, const char *parent_id,
             const char *occurrence_group, gint64 position, GError **error)
{
  g_autoptr (CachedStmt) stmt = store_stmt (
      store,
      "INSERT INTO entries (id, identity, kind, title, track, room, start_utc, end_utc,"
      " speakers, conveners, abstract, parent_id, occurrence_group, source_line, position,"
      " active)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1)"
      " ON CONFLICT (id) DO UPDATE SET identity = excluded.identity, kind = excluded.kind,"
      " title = excluded.title, track = excluded.track, room = excluded.room,"
      " start_utc = excluded.start_utc, end_utc = excluded.end_utc,"
      " speakers = excluded.speakers, conveners = excluded.conveners,"
      " abstract = excluded.abstract, parent_id = excluded.parent_id,"
      " occurrence_group = excluded.occurrence_group, source_line = excluded.source_line,"
      " position = excluded.position, active = 1",
      error);
  g_autofree char *speakers = NULL;
  g_autofree char *conveners = NULL;

  if (stmt == NULL)
    return FALSE;
  speakers = join_lines (entry->speakers);
  conveners = join_lines (entry->conveners);
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, entry->identity);
  bind_text (stmt, 3, lpc_entry_kind_to_string (entry->kind));
  bind_text (stmt, 4, entry->title);
  bind_text (stmt, 5, entry->track);
  bind_text (stmt, 6, entry->room);
  sqlite3_bind_int64 (stmt, 7, entry->start);
  sqlite3_bind_int64 (stmt, 8, entry->end);
  bind_text (stmt, 9, speakers);
  bind_text (stmt, 10, conveners);
  bind_text (stmt, 11, entry->abstract != NULL ? entry->abstract : "");
  bind_text (stmt, 12, parent_id);
  bind_text (stmt, 13, occurrence_group);
  sqlite3_bind_int64 (stmt, 14, entry->source_line);
  sqlite3_bind_int64 (stmt, 15, position);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_autofree char *doing
          = g_strdup_printf ("save line %u (“%s”) of the program", entry->source_line, id);
      return store_fail (store, error, doing);
    }
  return TRUE;
}

static gboolean
write_item_state (LpcStore *store, const char *entry_id, LpcItemState state, gint64 previous_start,
                  const char *previous_room, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store,
                    "UPDATE agenda SET state = ?2, previous_start = ?3, previous_room = ?4"
                    " WHERE entry_id = ?1",
                    error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  bind_text (stmt, 2, lpc_item_state_to_string (state));
  sqlite3_bind_int64 (stmt, 3, previous_start);
  bind_text (stmt, 4, previous_room);
  return store_step_done (store, stmt, "update the agenda", error);
}

static gboolean
cancel_item (LpcStore *store, const char *entry_id, GError **error)
{
  /* previous_* stay: a cancelled talk that had moved still tells where it
   * had moved from. The state stays too, for restore_item(). */
  g_autoptr (CachedStmt) stmt
      = store_stmt (store,
                    "UPDATE agenda SET state_before_cancel = state, state = 'cancelled'"
                    " WHERE entry_id = ?1",
                    error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  return store_step_done (store, stmt, "cancel an agenda item", error);
}

static gboolean
deactivate_entry (LpcStore *store, const char *id, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "UPDATE entries SET active = 0, position = NULL WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return store_step_done (store, stmt, "retire a vanished talk", error);
}

/* A cancelled item whose talk is back in the program: it is again what it
 * was before, with the same previous_* (a move still tells where from). A
 * talk that came back at another time or room is news the way a move is:
 * planned or moved becomes moved from where it was when it left; a skip
 * stays a skip that knows. */
static gboolean
restore_item (LpcStore *store, const StoredEntry *stored, const LpcEntry *entry, const char *id,
              GError **error)
{
  g_autoptr (CachedStmt) read_stmt = store_stmt (
      store,
      "SELECT state_before_cancel, previous_start, previous_room FROM agenda WHERE entry_id = ?1",
      error);
  g_autoptr (CachedStmt) write_stmt = NULL;
  LpcItemState state = LPC_ITEM_PLANNED;
  gint64 previous_start = 0;
  g_autofree char *previous_room = NULL;
  gboolean changed = stored->start != entry->start || stored->end != entry->end
                     || g_strcmp0 (stored->room, entry->room) != 0;

  if (read_stmt == NULL)
    return FALSE;
  bind_text (read_stmt, 1, id);
  if (sqlite3_step (read_stmt) != SQLITE_ROW)
    return store_fail (store, error, "read a cancelled agenda item");
  if (!lpc_item_state_from_string ((const char *) sqlite3_column_text (read_stmt, 0), &state)
      || state == LPC_ITEM_CANCELLED)
    state = LPC_ITEM_PLANNED;
  if (state != LPC_ITEM_PLANNED)
    {
      previous_start = sqlite3_column_int64 (read_stmt, 1);
      previous_room = column_dup (read_stmt, 2);
    }
  if (changed)
    {
      if (state == LPC_ITEM_PLANNED)
        state = LPC_ITEM_MOVED;
      previous_start = stored->start;
      g_free (previous_room);
      previous_room = g_strdup (stored->room);
    }

  write_stmt = store_stmt (store,
                      "UPDATE agenda SET state = ?2, previous_start = ?3, previous_room = ?4,"
                      " state_before_cancel = NULL WHERE entry_id = ?1",
                      error);
  if (write_stmt == NULL)
    return FALSE;
  bind_text (write_stmt, 1, id);
  bind_text (write_stmt, 2, lpc_item_state_to_string (state));
  sqlite3_bind_int64 (write_stmt, 3, previous_start);
  bind_text (write_stmt, 4, previous_room);
  return store_step_done (store, write_stmt, "bring back a cancelled agenda item", error);
}

/* What a re-import does to the agenda item on an entry that was in the store
 * before. */
static gboolean
reconcile_item (LpcStore *store, ImportJob *job, const StoredEntry *stored, const LpcEntry *entry,
                const char *id, LpcItemState state, GError **error)
{
  gboolean changed = stored->start != entry->start || stored->end != entry->end
                     || g_strcmp0 (stored->room, entry->room) != 0;

  if (!stored->active)
    {
      if (state != LPC_ITEM_CANCELLED)
        return TRUE;
      g_ptr_array_add (job->summary.restored_ids, g_strdup (id));
      return restore_item (store, stored, entry, id, error);
    }
  if (!changed)
    return TRUE;
  switch (state)
    {
    case LPC_ITEM_PLANNED:
    case LPC_ITEM_MOVED:
      g_ptr_array_add (job->summary.moved_ids, g_strdup (id));
      return write_item_state (store, id, LPC_ITEM_MOVED, stored->start, stored->room, error);
    case LPC_ITEM_SKIPPED:
      /* The user said no to this talk; a new time does not change that, but
       * unskipping later should be able to tell them it moved. */
      return write_item_state (store, id, LPC_ITEM_SKIPPED, stored->start, stored->room, error);
    case LPC_ITEM_CANCELLED:
    default:
      return TRUE;
    }
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

#define ITEM_COLUMNS                                                                               \
  "entry_id, priority, remind, state, note, added_at, previous_start, previous_room,"          \
  " state_before_cancel"

/* Another conference's program replaces the stored one only when asked:
 * the agenda then moves to archived_agenda under the old program's name,
 * whole, in this transaction. */
static gboolean
switch_conference (LpcStore *store, ImportJob *job, GError **error)
{
  g_autoptr (CachedStmt) name_stmt = store_stmt (store, "SELECT name FROM program WHERE id = 1",
                                                 error);
  g_autoptr (CachedStmt) archive = NULL;
  g_autoptr (CachedStmt) clear = NULL;
  const char *new_name = job->program->name != NULL ? job->program->name : "";
  g_autofree char *old_name = NULL;
  int rc;

  if (name_stmt == NULL)
    return FALSE;
  rc = sqlite3_step (name_stmt);
  if (rc == SQLITE_DONE)
    return TRUE; /* nothing stored yet */
  if (rc != SQLITE_ROW)
    return store_fail (store, error, "read the stored program");
  old_name = column_dup (name_stmt, 0);
  if (g_strcmp0 (old_name, new_name) == 0)
    return TRUE;
  if (!(job->flags & LPC_IMPORT_REPLACE))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "The file is the program of “%s”, not of “%s”, the conference of your "
                   "agenda. Import it with --replace (ReplaceProgram) to switch conferences: "
                   "your agenda is then archived, and comes back when you import the program "
                   "of “%s” again.",
                   new_name, old_name != NULL ? old_name : "", old_name != NULL ? old_name : "");
      return FALSE;
    }

  archive = store_stmt (store,
                        "INSERT OR REPLACE INTO archived_agenda (conference, " ITEM_COLUMNS
                        ", archived_at) SELECT ?1, " ITEM_COLUMNS ", ?2 FROM agenda",
                        error);
  if (archive == NULL)
    return FALSE;
  bind_text (archive, 1, old_name);
  sqlite3_bind_int64 (archive, 2, now_seconds ());
  if (!store_step_done (store, archive, "archive the agenda", error))
    return FALSE;
  job->summary.n_archived = (guint) sqlite3_changes (store->db);
  clear = store_stmt (store, "DELETE FROM agenda", error);
  if (clear == NULL || !store_step_done (store, clear, "archive the agenda", error))
    return FALSE;
  job->summary.replaced_program = g_steal_pointer (&old_name);
  return TRUE;
}

/* An unarchived item cancelled before the switch whose talk is in this
 * program is back as it was, as a restore in place would have made it. */
static gboolean
restore_unarchived (LpcStore *store, ImportJob *job, GHashTable *by_id, GError **error)
{
  g_autoptr (CachedStmt) stmt = store_stmt (
      store,
      "SELECT a.entry_id FROM agenda a JOIN entries e ON e.id = a.entry_id AND e.active = 1"
      " WHERE a.state = 'cancelled' ORDER BY e.position",
      error);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) entry_of = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    return store_fail (store, error, "read the archived agenda");
  if (ids->len == 0)
    return TRUE;

  entry_of = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < job->program->entries->len; i++)
    g_hash_table_insert (entry_of, job->new_ids->pdata[i],
                         g_ptr_array_index (job->program->entries, i));
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      const StoredEntry *stored = g_hash_table_lookup (by_id, id);
      const LpcEntry *entry = g_hash_table_lookup (entry_of, id);

      /* Active, so this program has it; and it was stored before. */
      if (stored == NULL || entry == NULL)
        continue;
      g_ptr_array_add (job->summary.restored_ids, g_strdup (id));
      if (!restore_item (store, stored, entry, id, error))
        return FALSE;
    }
  return TRUE;
}

/* After a switch: the new conference's archived agenda, if it has one,
 * comes back — the items whose talk is in the program (the others stay
 * archived, so nothing is lost). */
static gboolean
unarchive_agenda (LpcStore *store, ImportJob *job, GHashTable *by_id, GError **error)
{
  g_autoptr (CachedStmt) restore = store_stmt (
      store,
      "INSERT INTO agenda (" ITEM_COLUMNS ") SELECT a.entry_id, a.priority, a.remind, a.state,"
      " a.note, a.added_at, a.previous_start, a.previous_room, a.state_before_cancel"
      " FROM archived_agenda a"
      " JOIN entries e ON e.id = a.entry_id AND e.active = 1 WHERE a.conference = ?1",
      error);
  g_autoptr (CachedStmt) forget = NULL;

  if (restore == NULL)
    return FALSE;
  bind_text (restore, 1, job->program->name != NULL ? job->program->name : "");
  if (!store_step_done (store, restore, "bring back the archived agenda", error))
    return FALSE;
  job->summary.n_unarchived = (guint) sqlite3_changes (store->db);
  forget = store_stmt (store,
                       "DELETE FROM archived_agenda WHERE conference = ?1"
                       " AND entry_id IN (SELECT entry_id FROM agenda)",
                       error);
  if (forget == NULL)
    return FALSE;
  bind_text (forget, 1, job->program->name != NULL ? job->program->name : "");
  if (!store_step_done (store, forget, "bring back the archived agenda", error))
    return FALSE;
  return restore_unarchived (store, job, by_id, error);
}

static gboolean
import_in_transaction (LpcStore *store, gpointer data, GError **error)
{
  ImportJob *job = data;
  GPtrArray *entries = job->program->entries;
  g_autoptr (GHashTable) by_identity = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) by_id
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stored_entry_free);
  g_autoptr (GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) adopted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;

  if (!switch_conference (store, job, error)
      || !load_stored_entries (store, by_identity, by_id, error)
      || !load_agenda_states (store, states, error))
    return FALSE;

  assign_ids (job, by_identity, by_id, adopted);

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);
      const char *id = job->new_ids->pdata[i];
      StoredEntry *stored = g_hash_table_lookup (by_identity, entry->identity);
      gpointer state;

      if (!write_entry (store, entry, id, remapped (job, entry->parent_id),
                        remapped (job, entry->occurrence_group), i, error))
        return FALSE;

      if (stored == NULL || g_hash_table_contains (adopted, id))
        {
          job->summary.n_new++;
          continue;
        }
      if (stored->start != entry->start || stored->end != entry->end
          || g_strcmp0 (stored->room, entry->room) != 0)
        job->summary.n_changed++;
      else
        job->summary.n_unchanged++;
      if (g_hash_table_lookup_extended (states, id, NULL, &state)
          && !reconcile_item (store, job, stored, entry, id, GPOINTER_TO_INT (state), error))
        return FALSE;
    }

  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      StoredEntry *stored = value;
      gpointer state;

      if (!stored->active || stored->claimed)
        continue;
      if (!deactivate_entry (store, stored->id, error))
        return FALSE;
      if (g_hash_table_lookup_extended (states, stored->id, NULL, &state)
          && GPOINTER_TO_INT (state) != LPC_ITEM_CANCELLED)
        {
          g_ptr_array_add (job->summary.cancelled_ids, g_strdup (stored->id));
          if (!cancel_item (store, stored->id, error))
            return FALSE;
        }
    }
  g_ptr_array_sort (job->summary.cancelled_ids, compare_strings);

  if (job->summary.replaced_program != NULL && !unarchive_agenda (store, job, by_id, error))
    return FALSE;

  {
    g_autoptr (CachedStmt) stmt = store_stmt (
        store,
        "INSERT INTO program (id, name, timezone, source_hash, imported_at)"
        " VALUES (1, ?1, ?2, ?3, ?4)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone,"
        " source_hash = excluded.source_hash, imported_at = excluded.imported_at",
        error);
    if (stmt == NULL)
      return FALSE;
    bind_text (stmt, 1, job->program->name != NULL ? job->program->name : "");
    bind_text (stmt, 2, job->program->timezone != NULL ? job->program->timezone : "UTC");
    bind_text (stmt, 3, job->program->source_hash != NULL ? job->program->source_hash : "");
    sqlite3_bind_int64 (stmt, 4, now_seconds ());
    if (!store_step_done (store, stmt, "save the program", error))
      return FALSE;
  }
  return TRUE;
}

/* Gives @program the ids the store settled on, once they are committed. */
static void
apply_ids (ImportJob *job)
{
  LpcProgram *program = job->program;

  if (g_hash_table_size (job->remap) == 0)
    return;
  g_hash_table_remove_all (program->by_id);
  for (guint i = 0; i < program->entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (program->entries, i);
      const char *parent = remapped (job, entry->parent_id);
      const char *group = remapped (job, entry->occurrence_group);

      if (parent != entry->parent_id)
        {
          g_free (entry->parent_id);
          entry->parent_id = g_strdup (parent);
        }
      if (group != entry->occurrence_group)
        {
          g_free (entry->occurrence_group);
          entry->occurrence_group = g_strdup (group);
        }
      if (strcmp (entry->id, job->new_ids->pdata[i]) != 0)
        {
          g_free (entry->id);
          entry->id = g_strdup (job->new_ids->pdata[i]);
        }
      g_hash_table_insert (program->by_id, entry->id, entry);
    }
}

gboolean
lpc_store_import_program (LpcStore *store, LpcProgram *program, LpcImportSummary *out_summary,
                          GError **error)
{
  return lpc_store_import_program_full (store, program, LPC_IMPORT_DEFAULT, out_summary, error);
}

gboolean
lpc_store_import_program_full (LpcStore *store, LpcProgram *program, LpcImportFlags flags,
                               LpcImportSummary *out_summary, GError **error)
{
  ImportJob job = { .flags = flags };
  gboolean imported;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (program != NULL, FALSE);

  if (!lpc_store_require_writable (store, "the imported program", error)
      || !validate_program (program, error))
    return FALSE;

  job.program = program;
  job.summary.moved_ids = g_ptr_array_new_with_free_func (g_free);
  job.summary.cancelled_ids = g_ptr_array_new_with_free_func (g_free);
  job.summary.restored_ids = g_ptr_array_new_with_free_func (g_free);
  job.summary.n_sessions = lpc_program_count_kind (program, LPC_ENTRY_SESSION);
  job.summary.n_talks = lpc_program_count_kind (program, LPC_ENTRY_TALK);
  job.summary.n_breaks = lpc_program_count_kind (program, LPC_ENTRY_BREAK);

  store_set_cache_size (store, STORE_IMPORT_CACHE_KIB);
  imported = store_write_transaction (store, import_in_transaction, &job, error);
  /* Back to the small cache; what the import cached is of no use now. */
  store_set_cache_size (store, STORE_CACHE_KIB);
  lpc_store_release_memory (store);
  if (!imported)
    {
      import_job_clear (&job);
      return FALSE;
    }

  apply_ids (&job);
  if (out_summary != NULL)
    {
      *out_summary = job.summary;
      memset (&job.summary, 0, sizeof job.summary);
    }
  import_job_clear (&job);
  return TRUE;
}

GHashTable *
lpc_store_archived_agendas (LpcStore *store, GError **error)
{
  g_autoptr (GHashTable) archived = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (CachedStmt) stmt = store_stmt (
      store, "SELECT conference, count(*) FROM archived_agenda GROUP BY conference", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (archived, column_dup (stmt, 0),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      store_fail (store, error, "read the archived agendas");
      return NULL;
    }
  return g_steal_pointer (&archived);
}

/* ---- the agenda ---- */

static LpcAgendaItem *
item_from_row (sqlite3_stmt *stmt)
{
  LpcAgendaItem *item = g_new0 (LpcAgendaItem, 1);

  item->entry_id = column_dup (stmt, 0);
  item->priority = (guint) sqlite3_column_int (stmt, 1);
  item->remind = column_dup (stmt, 2);
  if (!lpc_item_state_from_string ((const char *) sqlite3_column_text (stmt, 3), &item->state))
    item->state = LPC_ITEM_PLANNED;
  item->note = column_dup (stmt, 4);
  if (item->note == NULL)
    item->note = g_strdup ("");
  item->added_at = sqlite3_column_int64 (stmt, 5);
  item->previous_start = sqlite3_column_int64 (stmt, 6);
  item->previous_room = column_dup (stmt, 7);
  return item;
}

static gboolean
remind_is_valid (const char *remind)
{
  g_auto (GStrv) leads = NULL;

  if (remind == NULL || strcmp (remind, "off") == 0)
    return TRUE;
  leads = g_strsplit (remind, ",", -1);
  if (leads[0] == NULL)
    return FALSE;
  for (guint i = 0; leads[i] != NULL; i++)
    {
      guint64 minutes;
      if (!g_ascii_string_to_unsigned (leads[i], 10, 0, STORE_MAX_LEAD_MINUTES, &minutes, NULL))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_item (const LpcAgendaItem *item, GError **error)
{
  if (item->priority < 1 || item->priority > 5)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "A priority is 1 to 5 (5 the highest), not %u.", item->priority);
      return FALSE;
    }
  if (!remind_is_valid (item->remind))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "A reminder is “off” or minutes before the start, comma-separated (e.g. "
                   "“10,0”), each at most %d; not “%s”.",
                   STORE_MAX_LEAD_MINUTES, item->remind);
      return FALSE;
    }
  return TRUE;
}

/* Fails with NO_SUCH_TALK / NOT_ATTENDABLE unless @id is an active entry
 * one can put on an agenda. */
static gboolean
check_attendable (LpcStore *store, const char *id, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "SELECT kind, active, title FROM entries WHERE id = ?1", error);
  LpcEntryKind kind = LPC_ENTRY_TALK;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "There is no talk “%s”.", id);
      return FALSE;
    default:
      return store_fail (store, error, "look up a talk");
    }
  if (sqlite3_column_int (stmt, 1) == 0)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "“%s” is no longer in the program.",
                   id);
      return FALSE;
    }
  lpc_entry_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &kind);
  if (kind == LPC_ENTRY_BREAK)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_NOT_ATTENDABLE,
                   "“%s” (%s) is a break; only talks and whole sessions go on the agenda.", id,
                   (const char *) sqlite3_column_text (stmt, 2));
      return FALSE;
    }
  return TRUE;
}

static gboolean
agenda_contains (LpcStore *store, const char *entry_id, gboolean *out_contains, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "SELECT 1 FROM agenda WHERE entry_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return store_fail (store, error, "read the agenda");
  *out_contains = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
set_not_on_agenda_error (const char *entry_id, GError **error)
{
  g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "“%s” is not on the agenda.", entry_id);
  return FALSE;
}

typedef struct
{
  const LpcAgendaItem *item;
  gboolean already;
} AddJob;

static gboolean
add_in_transaction (LpcStore *store, gpointer data, GError **error)
{
  AddJob *job = data;
  const LpcAgendaItem *item = job->item;
  g_autoptr (CachedStmt) stmt = NULL;

  if (!check_attendable (store, item->entry_id, error)
      || !agenda_contains (store, item->entry_id, &job->already, error))
    return FALSE;
  if (job->already)
    return TRUE;

  stmt = store_stmt (store,
                     "INSERT INTO agenda (entry_id, priority, remind, state, note, added_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                     error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, item->entry_id);
  sqlite3_bind_int (stmt, 2, (int) item->priority);
  bind_text (stmt, 3, item->remind);
  bind_text (stmt, 4, lpc_item_state_to_string (item->state));
  bind_text (stmt, 5, item->note != NULL ? item->note : "");
  sqlite3_bind_int64 (stmt, 6, item->added_at != 0 ? item->added_at : now_seconds ());
  return store_step_done (store, stmt, "add to the agenda", error);
}

gboolean
lpc_store_agenda_add (LpcStore *store, const LpcAgendaItem *item, gboolean *out_already,
                      GError **error)
{
  AddJob job = { item, FALSE };

  g_return_val_if_fail (item != NULL && item->entry_id != NULL, FALSE);

  if (!lpc_store_require_writable (store, "the new agenda item", error)
      || !validate_item (item, error))
    return FALSE;
  if (item->state != LPC_ITEM_PLANNED && item->state != LPC_ITEM_SKIPPED)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "A new agenda item is planned or skipped, not %s.",
                   lpc_item_state_to_string (item->state));
      return FALSE;
    }
  if (!store_write_transaction (store, add_in_transaction, &job, error))
    return FALSE;
  if (out_already != NULL)
    *out_already = job.already;
  return TRUE;
}

/* Runs a one-statement change on one agenda item; NO_SUCH_TALK when the
 * statement touched nothing. */
static gboolean
change_item (LpcStore *store, CachedStmt *stmt, const char *entry_id, const char *doing,
             GError **error)
{
  if (!store_step_done (store, stmt, doing, error))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    return set_not_on_agenda_error (entry_id, error);
  return TRUE;
}

gboolean
lpc_store_agenda_remove (LpcStore *store, const char *entry_id, GError **error)
{
  g_autoptr (CachedStmt) stmt = NULL;

  if (!lpc_store_require_writable (store, "the change to the agenda", error))
    return FALSE;
  stmt = store_stmt (store, "DELETE FROM agenda WHERE entry_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  return change_item (store, stmt, entry_id, "remove from the agenda", error);
}

gboolean
lpc_store_agenda_set_state (LpcStore *store, const char *entry_id, LpcItemState state,
                            GError **error)
{
  g_autoptr (CachedStmt) stmt = NULL;

  if (!lpc_store_require_writable (store, "the change to the agenda", error))
    return FALSE;
  if ((guint) state >= G_N_ELEMENTS (state_names))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT, "Unknown agenda state %d.",
                   (int) state);
      return FALSE;
    }
  stmt = store_stmt (store, "UPDATE agenda SET state = ?2 WHERE entry_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  bind_text (stmt, 2, lpc_item_state_to_string (state));
  return change_item (store, stmt, entry_id, "update the agenda", error);
}

gboolean
lpc_store_agenda_update (LpcStore *store, const LpcAgendaItem *item, GError **error)
{
  g_autoptr (CachedStmt) stmt = NULL;

  g_return_val_if_fail (item != NULL && item->entry_id != NULL, FALSE);

  if (!lpc_store_require_writable (store, "the change to the agenda", error)
      || !validate_item (item, error))
    return FALSE;
  stmt = store_stmt (
      store, "UPDATE agenda SET priority = ?2, remind = ?3, note = ?4 WHERE entry_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, item->entry_id);
  sqlite3_bind_int (stmt, 2, (int) item->priority);
  bind_text (stmt, 3, item->remind);
  bind_text (stmt, 4, item->note != NULL ? item->note : "");
  return change_item (store, stmt, item->entry_id, "update the agenda", error);
}

typedef struct
{
  const char *entry_id;
  const char *new_entry_id;
} RetargetJob;

static gboolean
retarget_in_transaction (LpcStore *store, gpointer data, GError **error)
{
  RetargetJob *job = data;
  gboolean on_agenda = FALSE, target_on_agenda = FALSE;
  g_autoptr (CachedStmt) stmt = NULL;

  if (!agenda_contains (store, job->entry_id, &on_agenda, error))
    return FALSE;
  if (!on_agenda)
    return set_not_on_agenda_error (job->entry_id, error);
  if (!check_attendable (store, job->new_entry_id, error)
      || !agenda_contains (store, job->new_entry_id, &target_on_agenda, error))
    return FALSE;
  if (target_on_agenda)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "“%s” is already on the agenda; remove one of the two instead.",
                   job->new_entry_id);
      return FALSE;
    }

  /* At its new place the item is an ordinary plan again. */
  stmt = store_stmt (store,
                     "UPDATE agenda SET entry_id = ?2, state = 'planned', previous_start = 0,"
                     " previous_room = NULL WHERE entry_id = ?1",
                     error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, job->entry_id);
  bind_text (stmt, 2, job->new_entry_id);
  return store_step_done (store, stmt, "move an agenda item", error);
}

gboolean
lpc_store_agenda_retarget (LpcStore *store, const char *entry_id, const char *new_entry_id,
                           GError **error)
{
  RetargetJob job = { entry_id, new_entry_id };

  if (!lpc_store_require_writable (store, "the change to the agenda", error))
    return FALSE;
  if (g_strcmp0 (entry_id, new_entry_id) == 0)
    {
      gboolean on_agenda = FALSE;
      if (!agenda_contains (store, entry_id, &on_agenda, error))
        return FALSE;
      return on_agenda || set_not_on_agenda_error (entry_id, error);
    }
  return store_write_transaction (store, retarget_in_transaction, &job, error);
}

LpcAgendaItem *
lpc_store_agenda_get (LpcStore *store, const char *entry_id, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "SELECT " ITEM_COLUMNS " FROM agenda WHERE entry_id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, entry_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return item_from_row (stmt);
    case SQLITE_DONE:
      return NULL;
    default:
      store_fail (store, error, "read the agenda");
      return NULL;
    }
}

GPtrArray *
lpc_store_agenda_list (LpcStore *store, GError **error)
{
  g_autoptr (CachedStmt) stmt = store_stmt (
      store, "SELECT " ITEM_COLUMNS " FROM agenda ORDER BY added_at, entry_id", error);
  g_autoptr (GPtrArray) items = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_agenda_item_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      store_fail (store, error, "read the agenda");
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* ---- accepted overlaps ---- */

GPtrArray *
lpc_store_accepted_overlaps (LpcStore *store, GError **error)
{
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "SELECT a, b FROM accepted_overlap ORDER BY a, b", error);
  g_autoptr (GPtrArray) ids = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  ids = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (ids, column_dup (stmt, 0));
      g_ptr_array_add (ids, column_dup (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    {
      store_fail (store, error, "read the accepted overlaps");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

typedef struct
{
  const LpcStoreItemChange *changes;
  guint n_changes;
  const char *const *accepted;
  guint n_accepted;
} ResolveJob;

static gboolean
resolve_change (LpcStore *store, const LpcStoreItemChange *change, GError **error)
{
  const char *id = change->entry_id;

  if (change->skip)
    {
      g_autoptr (CachedStmt) stmt
          = store_stmt (store, "UPDATE agenda SET state = 'skipped' WHERE entry_id = ?1", error);

      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, id);
      if (!change_item (store, stmt, id, "skip an agenda item", error))
        return FALSE;
    }
  if (change->new_entry_id != NULL && strcmp (change->new_entry_id, id) != 0)
    {
      RetargetJob job = { id, change->new_entry_id };

      if (!retarget_in_transaction (store, &job, error))
        return FALSE;
      id = change->new_entry_id;
    }
  if (change->note != NULL)
    {
      g_autoptr (CachedStmt) stmt
          = store_stmt (store, "UPDATE agenda SET note = ?2 WHERE entry_id = ?1", error);

      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, id);
      bind_text (stmt, 2, change->note);
      if (!change_item (store, stmt, id, "update the agenda", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
resolve_in_transaction (LpcStore *store, gpointer data, GError **error)
{
  ResolveJob *job = data;

  for (guint i = 0; i < job->n_changes; i++)
    {
      if (!resolve_change (store, &job->changes[i], error))
        return FALSE;
    }
  for (guint i = 0; i < job->n_accepted; i++)
    {
      const char *a = job->accepted[2 * i];
      const char *b = job->accepted[2 * i + 1];
      gboolean a_on_agenda = FALSE, b_on_agenda = FALSE;
      g_autoptr (CachedStmt) stmt = NULL;

      /* A pair of ids the agenda does not hold would be an agreement
       * about nothing, and could hold for a later pick of the same id. */
      if (!agenda_contains (store, a, &a_on_agenda, error)
          || !agenda_contains (store, b, &b_on_agenda, error))
        return FALSE;
      if (!a_on_agenda || !b_on_agenda)
        return set_not_on_agenda_error (a_on_agenda ? b : a, error);
      if (strcmp (a, b) == 0)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "“%s” cannot overlap itself.", a);
          return FALSE;
        }
      stmt = store_stmt (store, "INSERT OR IGNORE INTO accepted_overlap (a, b) VALUES (?1, ?2)",
                         error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, strcmp (a, b) < 0 ? a : b);
      bind_text (stmt, 2, strcmp (a, b) < 0 ? b : a);
      if (!store_step_done (store, stmt, "accept an overlap", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
lpc_store_agenda_resolve (LpcStore *store, const LpcStoreItemChange *changes, guint n_changes,
                          const char *const *accepted, guint n_accepted, GError **error)
{
  ResolveJob job = { changes, n_changes, accepted, n_accepted };

  g_return_val_if_fail (n_changes == 0 || changes != NULL, FALSE);
  g_return_val_if_fail (n_accepted == 0 || accepted != NULL, FALSE);

  if (!lpc_store_require_writable (store, "the resolution", error))
    return FALSE;
  for (guint i = 0; i < n_changes; i++)
    {
      g_return_val_if_fail (changes[i].entry_id != NULL, FALSE);
      if (changes[i].note != NULL && !g_utf8_validate (changes[i].note, -1, NULL))
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "The note for “%s” is not valid UTF-8.", changes[i].entry_id);
          return FALSE;
        }
    }
  return store_write_transaction (store, resolve_in_transaction, &job, error);
}

/* ---- settings ---- */

char *
lpc_store_get_setting (LpcStore *store, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CachedStmt) stmt
      = store_stmt (store, "SELECT value FROM settings WHERE key = ?1", &error);

  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }
  bind_text (stmt, 1, key);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return column_dup (stmt, 0);
    case SQLITE_DONE:
      return NULL;
    default:
      store_fail (store, &error, "read a setting");
      g_warning ("%s", error->message);
      return NULL;
    }
}

gboolean
lpc_store_set_setting (LpcStore *store, const char *key, const char *value, GError **error)
{
  g_autoptr (CachedStmt) stmt = NULL;

  g_return_val_if_fail (key != NULL, FALSE);

  if (!lpc_store_require_writable (store, "the setting", error))
    return FALSE;
  /* NULL unsets, so "back to the default" is expressible. */
  if (value == NULL)
    stmt = store_stmt (store, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = store_stmt (store,
                       "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  if (value != NULL)
    bind_text (stmt, 2, value);
  return store_step_done (store, stmt, "save a setting", error);
}

/* ---- the reminder log ---- */

const char *
lpc_reminder_outcome_to_string (LpcReminderOutcome outcome)
{
  switch (outcome)
    {
    case LPC_REMINDER_SHOWN:
      return "shown";
    case LPC_REMINDER_MISSED:
      return "missed";
    case LPC_REMINDER_VOID:
      return "void";
    default:
      g_assert_not_reached ();
    }
}

gboolean
lpc_store_log_reminder (LpcStore *store, const char *entry_id, gint64 start, gint lead_minutes,
                        gint64 at, LpcReminderOutcome outcome, GError **error)
{
  g_autoptr (CachedStmt) stmt = NULL;

  if (!lpc_store_require_writable (store, "the reminder log", error))
    return FALSE;
  stmt = store_stmt (store,
                     "INSERT OR IGNORE INTO reminder_log (entry_id, start_utc, lead_minutes, at,"
                     " outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
                     error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int (stmt, 3, lead_minutes);
  sqlite3_bind_int64 (stmt, 4, at);
  bind_text (stmt, 5, lpc_reminder_outcome_to_string (outcome));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (store->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
        {
          g_set_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, "There is no talk “%s”.",
                       entry_id);
          return FALSE;
        }
      return store_fail (store, error, "record a reminder");
    }
  return TRUE;
}

gboolean
lpc_store_reminder_logged (LpcStore *store, const char *entry_id, gint64 start, gint lead_minutes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CachedStmt) stmt = store_stmt (
      store,
      "SELECT 1 FROM reminder_log WHERE entry_id = ?1 AND start_utc = ?2 AND lead_minutes = ?3",
      &error);
  int rc;

  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return FALSE;
    }
  bind_text (stmt, 1, entry_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int (stmt, 3, lead_minutes);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      store_fail (store, &error, "read the reminder log");
      g_warning ("%s", error->message);
    }
  return rc == SQLITE_ROW;
}

gboolean
lpc_store_reminder_outcome (LpcStore *store, const char *entry_id, gint64 start,
                            gboolean *out_logged, LpcReminderOutcome *out_outcome, GError **error)
{
  /* An aggregate always gives one row: count 0 when nothing is logged. A
   * void reminder was never owed: it says nothing. */
  g_autoptr (CachedStmt) stmt = store_stmt (store,
                                            "SELECT count(*), max(outcome = 'shown')"
                                            " FROM reminder_log"
                                            " WHERE entry_id = ?1 AND start_utc = ?2"
                                            " AND outcome <> 'void'",
                                            error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry_id);
  sqlite3_bind_int64 (stmt, 2, start);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return store_fail (store, error, "read the reminder log");
  *out_logged = sqlite3_column_int64 (stmt, 0) > 0;
  *out_outcome = sqlite3_column_int (stmt, 1) != 0 ? LPC_REMINDER_SHOWN : LPC_REMINDER_MISSED;
  return TRUE;
}

/* ---- repair ---- */

/* A table as repair copies it: the columns read from the damaged file (an
 * older schema may lack some; an expression stands in) and where they go. */
typedef struct
{
  const char *table;
  const char *read_columns;
  const char *write_columns;
  guint n_columns;
} SalvageTable;

static void
value_free (gpointer value)
{
  sqlite3_value_free (value);
}

static gboolean
salvage_scan (sqlite3 *db, const SalvageTable *table, gboolean descending, gint64 *inout_bound,
              GPtrArray *rows)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean complete;
  int rc;

  sql = g_strdup_printf ("SELECT rowid, %s FROM \"%s\" WHERE rowid > ?1 ORDER BY rowid %s",
                         table->read_columns, table->table, descending ? "DESC" : "ASC");
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, descending ? *inout_bound : G_MININT64);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GPtrArray *row = g_ptr_array_new_full (table->n_columns, value_free);
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      for (guint i = 0; i < table->n_columns; i++)
        g_ptr_array_add (row, sqlite3_value_dup (sqlite3_column_value (stmt, (int) i + 1)));
      g_ptr_array_add (rows, row);
      if (!descending)
        *inout_bound = rowid;
    }
  complete = rc == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return complete;
}

/* Reads every row of @table it can: forwards by rowid until the first
 * damaged page, then backwards from the end down to the last row read, so a
 * bad page in the middle costs only the rows on it. */
/* Returns a GPtrArray of rows, each a GPtrArray of sqlite3_value *. */
static GPtrArray *
salvage_table (sqlite3 *db, const SalvageTable *table, gboolean *out_complete)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  gint64 last = G_MININT64;

  *out_complete = salvage_scan (db, table, FALSE, &last, rows);
  if (!*out_complete)
    salvage_scan (db, table, TRUE, &last, rows);
  return rows;
}

static guint
restore_rows (LpcStore *fresh, const SalvageTable *table, GPtrArray *rows)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint n_saved = 0;

  g_string_printf (sql, "INSERT OR IGNORE INTO %s (%s) VALUES (", table->table,
                   table->write_columns);
  for (guint i = 0; i < table->n_columns; i++)
    g_string_append (sql, i == 0 ? "?" : ", ?");
  g_string_append (sql, ")");
  if (sqlite3_prepare_v2 (fresh->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("Could not restore %s: %s", table->table, sqlite3_errmsg (fresh->db));
      return 0;
    }
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      for (guint i = 0; i < table->n_columns; i++)
        sqlite3_bind_value (stmt, (int) i + 1, g_ptr_array_index (row, i));
      /* A row that breaks a constraint (damage can do that) is dropped, the
       * others still go in. */
      if (sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (fresh->db) > 0)
        n_saved++;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);
  return n_saved;
}

/* Agenda items and log records whose entry (the id in column @id_column of
 * each row) could not be read get a placeholder entry, so the agenda
 * survives even when the program did not. */
static void
restore_placeholders (LpcStore *fresh, GPtrArray *rows, guint id_column)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (fresh->db,
                          "INSERT OR IGNORE INTO entries (id, identity, kind, title, start_utc,"
                          " end_utc, active) VALUES (?1, '" SALVAGED_IDENTITY_PREFIX "' || ?1,"
                          " 'talk', ?1, 0, 0, 0)",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return;
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      sqlite3_value *id = g_ptr_array_index (row, id_column);
      if (sqlite3_value_type (id) != SQLITE_TEXT)
        continue;
      sqlite3_bind_value (stmt, 1, id);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
}

static gboolean
table_has_column (sqlite3 *db, const char *table, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\" LIMIT 0", column, table);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK;

  sqlite3_finalize (stmt);
  return ok;
}

typedef struct
{
  LpcRepairReport *report;
  sqlite3 *damaged;
} RepairJob;

static gboolean
restore_in_transaction (LpcStore *fresh, gpointer data, G_GNUC_UNUSED GError **error)
{
  RepairJob *job = data;
  static const SalvageTable entries = {
    "entries",
    "id, identity, kind, title, track, room, start_utc, end_utc, speakers, conveners, abstract,"
    " parent_id, occurrence_group, source_line, position, active",
    "id, identity, kind, title, track, room, start_utc, end_utc, speakers, conveners, abstract,"
    " parent_id, occurrence_group, source_line, position, active",
    16,
  };
  static const SalvageTable program = {
    "program",
    "id, name, timezone, source_hash, imported_at",
    "id, name, timezone, source_hash, imported_at",
    5,
  };
  static const SalvageTable settings = { "settings", "key, value", "key, value", 2 };
  static const SalvageTable accepted = { "accepted_overlap", "a, b", "a, b", 2 };
  static const SalvageTable reminder_log = {
    "reminder_log",
    "entry_id, start_utc, lead_minutes, at, outcome",
    "entry_id, start_utc, lead_minutes, at, outcome",
    5,
  };
  SalvageTable archived = {
    "archived_agenda",
    "conference, entry_id, priority, remind, state, note, added_at, previous_start,"
    " previous_room, archived_at, state_before_cancel",
    "conference, entry_id, priority, remind, state, note, added_at, previous_start,"
    " previous_room, archived_at, state_before_cancel",
    11,
  };
  SalvageTable agenda = {
    "agenda",
    "entry_id, priority, state, note, added_at, previous_start, previous_room, remind,"
    " state_before_cancel",
    "entry_id, priority, state, note, added_at, previous_start, previous_room, remind,"
    " state_before_cancel",
    9,
  };
  g_autoptr (GPtrArray) entry_rows = NULL;
  g_autoptr (GPtrArray) program_rows = NULL;
  g_autoptr (GPtrArray) agenda_rows = NULL;
  g_autoptr (GPtrArray) setting_rows = NULL;
  g_autoptr (GPtrArray) log_rows = NULL;
  g_autoptr (GPtrArray) accepted_rows = NULL;
  g_autoptr (GPtrArray) archived_rows = NULL;
  gboolean entries_complete = FALSE, program_complete = FALSE, ignored;
  guint n_entries;

  if (job->damaged != NULL)
    {
      /* Version 1 had no reminder leads. */
      if (!table_has_column (job->damaged, "agenda", "remind"))
        agenda.read_columns = "entry_id, priority, state, note, added_at, previous_start,"
                              " previous_room, NULL, NULL";
      /* Versions 1 to 5 kept no state from before a cancel. */
      else if (!table_has_column (job->damaged, "agenda", "state_before_cancel"))
        agenda.read_columns = "entry_id, priority, state, note, added_at, previous_start,"
                              " previous_room, remind, NULL";
      if (!table_has_column (job->damaged, "archived_agenda", "state_before_cancel"))
        archived.read_columns = "conference, entry_id, priority, remind, state, note, added_at,"
                                " previous_start, previous_room, archived_at, NULL";
      entry_rows = salvage_table (job->damaged, &entries, &entries_complete);
      program_rows = salvage_table (job->damaged, &program, &program_complete);
      agenda_rows = salvage_table (job->damaged, &agenda, &ignored);
      setting_rows = salvage_table (job->damaged, &settings, &ignored);
      log_rows = salvage_table (job->damaged, &reminder_log, &ignored);
      /* Versions 1 and 2 had no accepted overlaps. */
      accepted_rows = table_has_column (job->damaged, "accepted_overlap", "a")
                          ? salvage_table (job->damaged, &accepted, &ignored)
                          : g_ptr_array_new ();
      /* Versions 1 to 3 had no archived agendas. */
      archived_rows = table_has_column (job->damaged, "archived_agenda", "conference")
                          ? salvage_table (job->damaged, &archived, &ignored)
                          : g_ptr_array_new ();
    }
  else
    {
      entry_rows = g_ptr_array_new ();
      program_rows = g_ptr_array_new ();
      agenda_rows = g_ptr_array_new ();
      setting_rows = g_ptr_array_new ();
      log_rows = g_ptr_array_new ();
      accepted_rows = g_ptr_array_new ();
      archived_rows = g_ptr_array_new ();
    }

  n_entries = restore_rows (fresh, &entries, entry_rows);
  restore_placeholders (fresh, agenda_rows, 0);
  restore_placeholders (fresh, log_rows, 0);
  job->report->agenda_items_saved = restore_rows (fresh, &agenda, agenda_rows);
  job->report->settings_saved = restore_rows (fresh, &settings, setting_rows);
  job->report->reminder_log_saved = restore_rows (fresh, &reminder_log, log_rows);
  restore_rows (fresh, &accepted, accepted_rows);
  restore_placeholders (fresh, archived_rows, 1);
  job->report->agenda_items_saved += restore_rows (fresh, &archived, archived_rows);
  /* A program with holes in it is worse than none: without the program row
   * the daemon imports the shipped program again on its next start, and
   * the identities kept in entries give the talks their old ids back. */
  if (entries_complete && program_complete && n_entries == entry_rows->len
      && program_rows->len == 1)
    job->report->program_saved = restore_rows (fresh, &program, program_rows) == 1;
  return TRUE;
}

static gboolean
fsync_path (const char *path, gboolean directory, GError **error)
{
  int fd = g_open (path, (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int errsv = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not flush %s to disk: %s", path,
                   g_strerror (errsv));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static void
remove_database_files (const char *path)
{
  g_autofree char *wal = sibling_path (path, "-wal");
  g_autofree char *shm = sibling_path (path, "-shm");

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
}

/* "<path>.damaged-YYYYmmdd-HHMMSS", with "-N" after it when a repair in the
 * same second already took that name. */
static char *
backup_name (const char *path)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("%s.damaged-%s", path, stamp)
                                     : g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);
      g_autofree char *wal = sibling_path (name, "-wal");
      g_autofree char *shm = sibling_path (name, "-shm");
      if (!g_file_test (name, G_FILE_TEST_EXISTS) && !g_file_test (wal, G_FILE_TEST_EXISTS)
          && !g_file_test (shm, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&name);
    }
}

/* Moves the damaged file and its -wal/-shm aside and the fresh one into
 * place. The old -wal must be gone before the fresh file arrives, or SQLite
 * would replay it into the fresh database; so on any failure everything
 * moved so far goes back. */
static gboolean
swap_in (const char *path, const char *fresh, const char *backup, GError **error)
{
  g_autofree char *from_wal = sibling_path (path, "-wal");
  g_autofree char *from_shm = sibling_path (path, "-shm");
  g_autofree char *to_wal = sibling_path (backup, "-wal");
  g_autofree char *to_shm = sibling_path (backup, "-shm");
  const char *from[] = { path, from_wal, from_shm, fresh };
  const char *to[] = { backup, to_wal, to_shm, path };
  gboolean moved[G_N_ELEMENTS (from)] = { FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (from); i++)
    {
      if (i > 0 && i < 3 && !g_file_test (from[i], G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (from[i], to[i]) != 0)
        {
          int errsv = errno;
          g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "Could not rename %s to %s: %s",
                       from[i], to[i], g_strerror (errsv));
          for (guint j = i; j-- > 0;)
            {
              if (moved[j])
                g_rename (to[j], from[j]);
            }
          return FALSE;
        }
      moved[i] = TRUE;
    }
  return TRUE;
}

gboolean
lpc_store_repair (const char *path, LpcRepairReport *out_report, GError **error)
{
  LpcRepairReport report = { 0 };
  RepairJob job = { &report, NULL };
  g_autoptr (LpcStore) fresh = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *backup = NULL;
  HeaderKind kind;
  guint32 app_id, version;
  gboolean ok;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE, "There is no database at %s to repair.",
                   path);
      return FALSE;
    }
  if (!read_header (path, &kind, &app_id, &version, error))
    return FALSE;
  if (kind == HEADER_SQLITE && app_id == LPC_STORE_APPLICATION_ID
      && version > LPC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                   "%s was written by a newer lpc-agenda (schema version %u; this one knows up "
                   "to %d); repairing it here would lose what only the newer one understands. "
                   "It was left as it is.",
                   path, version, LPC_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (kind == HEADER_SQLITE && app_id == LPC_STORE_APPLICATION_ID && check_database (path, NULL))
    {
      report.healthy = TRUE;
      if (out_report != NULL)
        *out_report = report;
      return TRUE;
    }

  /* Another program's database has nothing of ours to salvage; garbage has
   * nothing at all. Both are still kept under the new name. */
  if (kind == HEADER_SQLITE && (app_id == 0 || app_id == LPC_STORE_APPLICATION_ID))
    {
      if (open_for_reading (path, &job.damaged) != SQLITE_OK)
        g_clear_pointer (&job.damaged, sqlite3_close);
    }

  dir = g_path_get_dirname (path);
  tmp = g_strconcat (path, ".repair-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_clear_pointer (&job.damaged, sqlite3_close);
      g_set_error (error, LPC_ERROR, LPC_ERROR_STORAGE,
                   "Could not create a fresh database in %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }
  close (fd);

  fresh = lpc_store_open (tmp, error);
  ok = fresh != NULL && store_write_transaction (fresh, restore_in_transaction, &job, error);
  g_clear_pointer (&job.damaged, sqlite3_close);
  /* Everything into the main file, so the fresh database is one file that
   * can be renamed on its own. */
  if (ok
      && sqlite3_exec (fresh->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
    ok = store_fail (fresh, error, "write the fresh database");
  g_clear_pointer (&fresh, lpc_store_free);
  if (ok)
    ok = fsync_path (tmp, FALSE, error);
  if (ok)
    {
      backup = backup_name (path);
      ok = swap_in (path, tmp, backup, error);
    }
  if (!ok)
    {
      remove_database_files (tmp);
      lpc_repair_report_clear (&report);
      return FALSE;
    }
  /* The renames are done; a failure to flush the folder cannot undo them. */
  if (!fsync_path (dir, TRUE, NULL))
    g_warning ("Could not flush %s to disk", dir);

  report.backup_path = g_steal_pointer (&backup);
  if (out_report != NULL)
    *out_report = report;
  else
    lpc_repair_report_clear (&report);
  return TRUE;
}
