/* test-store.c: the SQLite store — opening and refusing, migrations, the
 * agenda, program import with stable ids, settings, the reminder log and
 * repair. Every test works in a temporary folder of its own. */
#include "lpc-error.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* store.c exports this for tests only: per-connection pragmas such as
 * synchronous cannot be read from a second connection. */
sqlite3 *lpc_store_get_db_for_tests (LpcStore *store);

/* Monday 2021-09-20 07:00 PDT. */
#define T0 G_GINT64_CONSTANT (1632146400)
#define MINUTES(n) (60 * (gint64) (n))

/* The first schema exactly as version 1 shipped it, to test the migration. */
static const char v1_schema[]
    = "CREATE TABLE program ("
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
      ");";

/* What version 2 added to it, exactly as it shipped. */
static const char v2_migration[]
    = "ALTER TABLE agenda ADD COLUMN remind TEXT;"
      "CREATE TABLE reminder_log ("
      "  entry_id TEXT NOT NULL REFERENCES entries (id),"
      "  start_utc INTEGER NOT NULL,"
      "  lead_minutes INTEGER NOT NULL,"
      "  at INTEGER NOT NULL,"
      "  outcome TEXT NOT NULL CHECK (outcome = 'shown' OR outcome = 'missed'),"
      "  PRIMARY KEY (entry_id, start_utc, lead_minutes)"
      ");";

typedef struct
{
  char *dir;
  char *folder; /* where the store lives: not there yet when a test starts */
  char *path;
} Fixture;

static void
fixture_setup (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("lpc-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->folder = g_build_filename (fixture->dir, "lpc-agenda", NULL);
  fixture->path = g_build_filename (fixture->folder, "agenda.db", NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }
  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->folder);
  g_free (fixture->path);
}

static void
make_folder (Fixture *fixture)
{
  g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0700), ==, 0);
}

static char *
sibling (const char *path, const char *suffix)
{
  return g_strconcat (path, suffix, NULL);
}

/* ---- raw SQLite, for looking behind the store's back ---- */

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Every row of @sql as text, to compare a table before and after. */
static char *
raw_dump (sqlite3 *db, const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);
          g_string_append_printf (out, "%s|", text != NULL ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* What a store holds, read through a connection of its own: the agenda's
 * @agenda_columns ("*" for all; a migration test names those the old
 * version had). */
static char *
dump_store_columns (const char *path, const char *agenda_columns)
{
  sqlite3 *db = raw_open (path);
  g_autofree char *agenda_sql
      = g_strdup_printf ("SELECT %s FROM agenda ORDER BY entry_id", agenda_columns);
  g_autofree char *entries = raw_dump (db, "SELECT * FROM entries ORDER BY id");
  g_autofree char *agenda = raw_dump (db, agenda_sql);
  g_autofree char *program = raw_dump (db, "SELECT * FROM program");
  g_autofree char *settings = raw_dump (db, "SELECT * FROM settings ORDER BY key");
  g_autofree char *log = raw_dump (db, "SELECT * FROM reminder_log ORDER BY entry_id");

  sqlite3_close (db);
  return g_strdup_printf ("%s--\n%s--\n%s--\n%s--\n%s", entries, agenda, program, settings, log);
}

/* Everything a store holds. */
static char *
dump_store (const char *path)
{
  return dump_store_columns (path, "*");
}

/* The agenda's columns of schema versions 2 to 5. */
#define V2_AGENDA_COLUMNS                                                                          \
  "entry_id, priority, state, note, added_at, previous_start, previous_room, remind"

/* ---- file snapshots: a refused file must stay byte for byte the same ---- */

typedef struct
{
  char *contents;
  gsize length;
  struct timespec mtime;
  mode_t mode;
} Snapshot;

static void
snapshot_take (Snapshot *snapshot, const char *path)
{
  struct stat st;

  g_assert_true (g_file_get_contents (path, &snapshot->contents, &snapshot->length, NULL));
  g_assert_cmpint (stat (path, &st), ==, 0);
  snapshot->mtime = st.st_mtim;
  snapshot->mode = st.st_mode;
}

static void
snapshot_assert_unchanged (Snapshot *snapshot, const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  struct stat st;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, snapshot->contents, snapshot->length);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mtim.tv_sec, ==, snapshot->mtime.tv_sec);
  g_assert_cmpint (st.st_mtim.tv_nsec, ==, snapshot->mtime.tv_nsec);
  g_assert_cmpuint (st.st_mode, ==, snapshot->mode);
}

static void
snapshot_clear (Snapshot *snapshot)
{
  g_free (snapshot->contents);
}

static void
write_file (const char *path, const void *data, gsize length)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

/* Overwrites @length bytes of @path at @offset, in place. */
static void
scribble (const char *path, goffset offset, gsize length, guint8 byte)
{
  g_autofree guint8 *junk = g_malloc (length);
  int fd = g_open (path, O_WRONLY, 0);

  memset (junk, byte, length);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, length, offset), ==, (gssize) length);
  close (fd);
}

static gint64
page_size (const char *path)
{
  sqlite3 *db = raw_open (path);
  gint64 size = raw_int (db, "PRAGMA page_size");

  sqlite3_close (db);
  return size;
}

static gsize
file_size (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return (gsize) st.st_size;
}

static guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* ---- a small synthetic program ---- */

static LpcEntry *
add_entry (LpcProgram *program, LpcEntryKind kind, const char *id, const char *title,
           const char *track, const char *room, gint64 start, gint64 minutes, const char *parent_id)
{
  LpcEntry *entry = lpc_entry_new ();

  entry->id = g_strdup (id);
  entry->kind = kind;
  entry->title = g_strdup (title);
  entry->track = g_strdup (track);
  entry->room = g_strdup (room);
  entry->start = start;
  entry->end = start + MINUTES (minutes);
  entry->parent_id = g_strdup (parent_id);
  entry->identity = g_strdup_printf ("%s|%s|%s|1", lpc_entry_kind_to_string (kind), track, title);
  entry->source_line = program->entries->len * 10 + 1;
  lpc_program_take_entry (program, entry);
  return entry;
}

static void
set_speakers (LpcEntry *entry, const char *first, ...)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_strv_builder_add (builder, name);
  va_end (args);
  g_strfreev (entry->speakers);
  entry->speakers = g_strv_builder_end (builder);
}

#define BPF "BPF & Networking Summit"
#define BPF_ROOM "Networking and BPF Summit/Virtual-Room"
#define GPU "GPU/media/AI buffer management and interop MC"
#define GPU_ROOM "Microconference2/Virtual-Room"

/* Two blocks; every variation a test needs starts from this. */
static LpcProgram *
make_program (void)
{
  LpcProgram *program = lpc_program_new ("Test Conference", "America/Los_Angeles");
  LpcEntry *entry;

  g_free (program->source_hash);
  program->source_hash = g_strdup ("hash-1");

  entry = add_entry (program, LPC_ENTRY_SESSION, "bpf", BPF, BPF, BPF_ROOM, T0, 240, NULL);
  set_speakers (entry, NULL);
  g_strfreev (entry->conveners);
  entry->conveners = g_strsplit ("Daniel Borkmann (Isovalent),Alexei Starovoitov", ",", -1);
  entry = add_entry (program, LPC_ENTRY_TALK, "xdp", "XDP multi-buffer", BPF, BPF_ROOM, T0, 30,
                     "bpf");
  set_speakers (entry, "Lorenzo Bianconi (Red Hat)", "Eelco Chaudron (Red Hat)", NULL);
  g_free (entry->abstract);
  entry->abstract = g_strdup ("First paragraph.\n\nSecond paragraph.");
  add_entry (program, LPC_ENTRY_TALK, "btf", "BTF everywhere", BPF, BPF_ROOM, T0 + MINUTES (30), 30,
             "bpf");
  add_entry (program, LPC_ENTRY_BREAK, "break", "Break", BPF, BPF_ROOM, T0 + MINUTES (60), 15,
             "bpf");
  add_entry (program, LPC_ENTRY_TALK, "tracing", "Tracing with BPF", BPF, BPF_ROOM,
             T0 + MINUTES (75), 45, "bpf");
  add_entry (program, LPC_ENTRY_TALK, "gone", "A talk that will vanish", BPF, BPF_ROOM,
             T0 + MINUTES (120), 30, "bpf");

  add_entry (program, LPC_ENTRY_SESSION, "gpu", GPU, GPU, GPU_ROOM, T0, 180, NULL);
  add_entry (program, LPC_ENTRY_TALK, "shaders", "Shader caches", GPU, GPU_ROOM, T0, 40, "gpu");
  entry = add_entry (program, LPC_ENTRY_TALK, "spf", "Speculative page faults", GPU, GPU_ROOM,
                     T0 + MINUTES (40), 40, "gpu");
  entry->occurrence_group = g_strdup ("spf");
  entry = add_entry (program, LPC_ENTRY_TALK, "spf-fri", "Speculative page faults", GPU, GPU_ROOM,
                     T0 + MINUTES (4 * 24 * 60), 40, "gpu");
  entry->occurrence_group = g_strdup ("spf");
  g_free (entry->identity);
  entry->identity = g_strdup ("talk|" GPU "|Speculative page faults|2");
  return program;
}

static LpcEntry *
find_entry (LpcProgram *program, const char *id)
{
  return (LpcEntry *) lpc_program_lookup (program, id);
}

/* Removes @id from @program (tests build variations of one program). */
static void
drop_entry (LpcProgram *program, const char *id)
{
  LpcEntry *entry = find_entry (program, id);

  g_assert_nonnull (entry);
  g_hash_table_remove (program->by_id, id);
  g_ptr_array_remove (program->entries, entry);
}

static LpcStore *
open_store (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  LpcStore *store = lpc_store_open (fixture->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
import (LpcStore *store, LpcProgram *program, LpcImportSummary *summary)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (lpc_store_import_program (store, program, summary, &error));
  g_assert_no_error (error);
}

static void
add_item (LpcStore *store, const char *id, guint priority, gint64 added_at, const char *note)
{
  g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new (id);
  g_autoptr (GError) error = NULL;
  gboolean already = TRUE;

  item->priority = priority;
  item->added_at = added_at;
  if (note != NULL)
    {
      g_free (item->note);
      item->note = g_strdup (note);
    }
  g_assert_true (lpc_store_agenda_add (store, item, &already, &error));
  g_assert_no_error (error);
  g_assert_false (already);
}

static LpcAgendaItem *
get_item (LpcStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  LpcAgendaItem *item = lpc_store_agenda_get (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static void
assert_state (LpcStore *store, const char *id, LpcItemState state)
{
  g_autoptr (LpcAgendaItem) item = get_item (store, id);

  g_assert_cmpstr (lpc_item_state_to_string (item->state), ==, lpc_item_state_to_string (state));
}

static void
assert_ids (GPtrArray *ids, const char *const *expected)
{
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ids, i), ==, expected[i]);
}

static void
assert_setting (LpcStore *store, const char *key, const char *expected)
{
  g_autofree char *value = lpc_store_get_setting (store, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_strv_equal (GStrv a, GStrv b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_true (g_strv_equal ((const char *const *) a, (const char *const *) b));
}

static void
assert_entries_equal (const LpcEntry *a, const LpcEntry *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->track, ==, b->track);
  g_assert_cmpstr (a->room, ==, b->room);
  g_assert_cmpint (a->start, ==, b->start);
  g_assert_cmpint (a->end, ==, b->end);
  assert_strv_equal (a->speakers, b->speakers);
  assert_strv_equal (a->conveners, b->conveners);
  g_assert_cmpstr (a->abstract, ==, b->abstract);
  g_assert_cmpstr (a->parent_id, ==, b->parent_id);
  g_assert_cmpstr (a->occurrence_group, ==, b->occurrence_group);
  g_assert_cmpstr (a->identity, ==, b->identity);
  g_assert_cmpuint (a->source_line, ==, b->source_line);
}

/* ---- opening ---- */

static void
test_open_create (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autofree char *wal = sibling (fixture->path, "-wal");
  g_autofree char *shm = sibling (fixture->path, "-shm");
  g_autoptr (GError) error = NULL;
  mode_t old_umask;

  /* The most permissive umask: the modes must come from the store. */
  old_umask = umask (0);
  store = open_store (fixture);
  g_assert_cmpstr (lpc_store_get_path (store), ==, fixture->path);
  g_assert_cmphex (file_mode (fixture->folder), ==, 0700);
  g_assert_cmphex (file_mode (fixture->path), ==, 0600);

  /* While the store is open and has written, -wal and -shm exist: they hold
   * agenda data too. */
  g_assert_true (lpc_store_set_setting (store, "lead-time", "5", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmphex (file_mode (wal), ==, 0600);
  g_assert_cmphex (file_mode (shm), ==, 0600);
  umask (old_umask);

  g_clear_pointer (&store, lpc_store_free);
  store = open_store (fixture);
  assert_setting (store, "lead-time", "5");
}

static void
test_open_pragmas (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_store (fixture);
  sqlite3 *db = raw_open (fixture->path);
  sqlite3 *own = lpc_store_get_db_for_tests (store);

  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, LPC_STORE_APPLICATION_ID);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, LPC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);
  g_assert_cmpint (raw_int (db, "PRAGMA page_size"), ==, 16384);
  /* Every table and column the last migration left. */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"), ==, 7);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info('archived_agenda')"
                                " WHERE name = 'conference'"),
                   ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info('agenda')"
                                " WHERE name = 'remind'"),
                   ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                                " AND tbl_name = 'agenda' AND name LIKE 'accepted_overlap_%'"),
                   ==, 3);
  sqlite3_close (db);

  /* Per connection, so asked of the store's own. */
  g_assert_cmpint (raw_int (own, "PRAGMA synchronous"), ==, 2 /* FULL */);
  g_assert_cmpint (raw_int (own, "PRAGMA foreign_keys"), ==, 1);
  /* Long enough to ride out a short lock, short enough that a locked
   * database is an error well within a client's call timeout. */
  g_assert_cmpint (raw_int (own, "PRAGMA busy_timeout"), >=, 100);
  g_assert_cmpint (raw_int (own, "PRAGMA busy_timeout"), <=, 1000);
}

static void
test_locked_by_another_program (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_store (fixture);
  g_autoptr (GError) error = NULL;
  sqlite3 *other;

  g_assert_true (lpc_store_set_setting (store, "lead-time", "5", &error));
  g_assert_no_error (error);

  /* Another program's write transaction, as a sqlite3(1) shell holds one. */
  other = raw_open (fixture->path);
  raw_exec (other, "BEGIN EXCLUSIVE");
  g_assert_false (lpc_store_set_setting (store, "lead-time", "7", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "is locked by another program"));
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  g_clear_error (&error);
  /* Under WAL a writer blocks no reader. */
  assert_setting (store, "lead-time", "5");

  raw_exec (other, "ROLLBACK");
  sqlite3_close (other);
  g_assert_true (lpc_store_set_setting (store, "lead-time", "7", &error));
  g_assert_no_error (error);
  assert_setting (store, "lead-time", "7");
}

static void
test_open_empty_file (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;

  /* A zero-length file is what a crash between creating the file and the
   * first write leaves: nothing to lose, so it becomes the store. */
  make_folder (fixture);
  write_file (fixture->path, "", 0);
  store = open_store (fixture);
  g_assert_null (lpc_store_load_program (store, NULL));
}

static void
test_open_folder_blocked (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcStore) store = NULL;
  Snapshot snapshot = { 0 };

  /* Tests run as root, where a read-only folder is no obstacle; a regular
   * file where the folder should be is one for everybody. */
  write_file (fixture->folder, "not a folder", 12);
  snapshot_take (&snapshot, fixture->folder);
  store = lpc_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, fixture->folder));
  snapshot_assert_unchanged (&snapshot, fixture->folder);
  snapshot_clear (&snapshot);
}

static void
test_open_not_regular (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcStore) store = NULL;

  make_folder (fixture);
  g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
  store = lpc_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);
  g_rmdir (fixture->path);

  /* A FIFO must be refused, not read from (which would block forever). */
  g_assert_cmpint (mkfifo (fixture->path, 0600), ==, 0);
  store = lpc_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
}

/* ---- refusals: never a byte written ---- */

static void
assert_refused (Fixture *fixture, const char *expected_words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcStore) store = NULL;
  g_autofree char *wal = sibling (fixture->path, "-wal");
  g_autofree char *shm = sibling (fixture->path, "-shm");
  gboolean had_wal = g_file_test (wal, G_FILE_TEST_EXISTS);
  gboolean had_shm = g_file_test (shm, G_FILE_TEST_EXISTS);
  Snapshot snapshot = { 0 };

  snapshot_take (&snapshot, fixture->path);
  /* Twice: a first refusal must not leave anything a second open trips on. */
  for (int i = 0; i < 2; i++)
    {
      store = lpc_store_open (fixture->path, &error);
      g_assert_null (store);
      g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
      g_test_message ("refused: %s", error->message);
      g_assert_nonnull (strstr (error->message, fixture->path));
      g_assert_nonnull (strstr (error->message, expected_words));
      g_clear_error (&error);
    }
  snapshot_assert_unchanged (&snapshot, fixture->path);
  g_assert_cmpint (g_file_test (wal, G_FILE_TEST_EXISTS), ==, had_wal);
  g_assert_cmpint (g_file_test (shm, G_FILE_TEST_EXISTS), ==, had_shm);
  snapshot_clear (&snapshot);
}

static void
test_refuse_garbage (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  guint8 junk[8192];

  for (gsize i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
  make_folder (fixture);
  write_file (fixture->path, junk, sizeof junk);
  assert_refused (fixture, "not an SQLite file");
  assert_refused (fixture, "lpc-agenda repair");

  /* Garbage that starts like SQLite gets past the magic; SQLite itself
   * must then refuse it (SQLITE_NOTADB or SQLITE_CORRUPT). */
  memcpy (junk, "SQLite format 3", 16);
  junk[16] = 0x03; /* page size 768: not a power of two */
  junk[17] = 0x00;
  memset (junk + 60, 0, 4); /* no schema version */
  memset (junk + 68, 0, 4); /* no application id: past our own gate */
  write_file (fixture->path, junk, sizeof junk);
  assert_refused (fixture, "lpc-agenda repair");

  write_file (fixture->path, "hello", 5);
  assert_refused (fixture, "not an SQLite file");
}

static void
test_refuse_foreign (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  sqlite3 *db;

  make_folder (fixture);
  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA application_id = 305419896;"
                "CREATE TABLE agenda (x);"
                "INSERT INTO agenda VALUES (1);");
  sqlite3_close (db);
  assert_refused (fixture, "another program");
  g_remove (fixture->path);

  /* No application id, but tables that are not ours, in WAL mode: even the
   * check must not create -wal or -shm beside someone else's file. */
  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA journal_mode = WAL;"
                "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);"
                "INSERT INTO photos (path) VALUES ('/tmp/cat.jpg');");
  sqlite3_close (db);
  assert_refused (fixture, "“photos”");
}

/* A store with a program, an agenda, settings and a reminder, closed (so
 * everything is in the main file). */
static void
make_populated_store (Fixture *fixture)
{
  g_autoptr (LpcStore) store = open_store (fixture);
  g_autoptr (LpcProgram) program = make_program ();
  g_autoptr (GError) error = NULL;

  import (store, program, NULL);
  add_item (store, "xdp", 5, 100, "front row");
  add_item (store, "shaders", 2, 200, NULL);
  add_item (store, "gpu", 3, 300, "whole MC");
  g_assert_true (lpc_store_set_setting (store, "lead-time", "7", &error));
  g_assert_true (lpc_store_set_setting (store, "travel-time", "2", &error));
  g_assert_true (
      lpc_store_log_reminder (store, "xdp", T0, 5, T0 - MINUTES (5), LPC_REMINDER_SHOWN, &error));
  g_assert_no_error (error);
}

static void
test_refuse_corrupt (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  gsize size;
  gint64 page;

  make_populated_store (fixture);
  size = file_size (fixture->path);
  page = page_size (fixture->path);
  g_assert_cmpuint (size, >, page);
  /* Page 1 (the schema) stays readable; every other page is noise. */
  scribble (fixture->path, page, size - page, 0xaa);
  assert_refused (fixture, "damaged");
  assert_refused (fixture, "lpc-agenda repair");
}

static void
test_refuse_newer (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  sqlite3 *db;

  make_populated_store (fixture);
  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);
  assert_refused (fixture, "newer lpc-agenda");
}

/* ---- migration ---- */

static void
test_migrate_v1 (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (LpcAgendaItem) item = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *wanted = NULL;
  sqlite3 *db;

  /* Version 1 as it shipped, in a rollback journal as an older build might
   * have left it. */
  make_folder (fixture);
  db = raw_open (fixture->path);
  raw_exec (db, v1_schema);
  wanted = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 1;",
                            (int) LPC_STORE_APPLICATION_ID);
  raw_exec (db, wanted);
  raw_exec (db, "INSERT INTO program VALUES (1, 'Old', 'America/Los_Angeles', 'h1', 5);"
                "INSERT INTO entries (id, identity, kind, title, track, room, start_utc,"
                " end_utc, position) VALUES"
                " ('xdp', 'talk|T|XDP|1', 'talk', 'XDP', 'T', 'R', 100, 200, 0),"
                " ('btf', 'talk|T|BTF|1', 'talk', 'BTF', 'T', 'R', 200, 300, 1);"
                "INSERT INTO agenda (entry_id, priority, state, note, added_at) VALUES"
                " ('xdp', 4, 'planned', 'keep me', 10),"
                " ('btf', 1, 'skipped', '', 20);"
                "INSERT INTO settings VALUES ('lead-time', '9');");
  sqlite3_close (db);

  store = open_store (fixture);
  /* SQLite created it with the umask's mode; ours is private. */
  g_assert_cmphex (file_mode (fixture->path), ==, 0600);
  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, LPC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);
  sqlite3_close (db);

  items = lpc_store_agenda_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  item = get_item (store, "xdp");
  g_assert_cmpuint (item->priority, ==, 4);
  g_assert_cmpstr (item->note, ==, "keep me");
  g_assert_null (item->remind);
  g_assert_cmpint (item->added_at, ==, 10);
  assert_state (store, "btf", LPC_ITEM_SKIPPED);
  assert_setting (store, "lead-time", "9");

  /* What version 2 added works on the migrated file. */
  g_clear_pointer (&item, lpc_agenda_item_free);
  item = get_item (store, "xdp");
  g_free (item->remind);
  item->remind = g_strdup ("10,0");
  g_assert_true (lpc_store_agenda_update (store, item, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_log_reminder (store, "xdp", 100, 10, 40, LPC_REMINDER_SHOWN, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_reminder_logged (store, "xdp", 100, 10));

  /* And it stays at the current version on the next open. */
  g_clear_pointer (&store, lpc_store_free);
  store = open_store (fixture);
  g_clear_pointer (&item, lpc_agenda_item_free);
  item = get_item (store, "xdp");
  g_assert_cmpstr (item->remind, ==, "10,0");
}

/* Version 2 to 3: the accepted overlaps and their triggers arrive, nothing
 * of what was there changes. */
static void
test_migrate_v2 (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (LpcAgendaItem) item = NULL;
  g_autoptr (GPtrArray) accepted = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *header = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *const pair[] = { "xdp", "btf" };
  sqlite3 *db;

  make_folder (fixture);
  db = raw_open (fixture->path);
  raw_exec (db, v1_schema);
  raw_exec (db, v2_migration);
  header = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 2;",
                            (int) LPC_STORE_APPLICATION_ID);
  raw_exec (db, header);
  raw_exec (db, "INSERT INTO program VALUES (1, 'Old', 'America/Los_Angeles', 'h1', 5);"
                "INSERT INTO entries (id, identity, kind, title, track, room, start_utc,"
                " end_utc, position) VALUES"
                " ('xdp', 'talk|T|XDP|1', 'talk', 'XDP', 'T', 'R', 100, 200, 0),"
                " ('btf', 'talk|T|BTF|1', 'talk', 'BTF', 'T', 'S', 150, 300, 1);"
                "INSERT INTO agenda (entry_id, priority, state, note, added_at, remind) VALUES"
                " ('xdp', 4, 'planned', 'keep me', 10, '10,0'),"
                " ('btf', 1, 'skipped', '', 20, NULL);"
                "INSERT INTO reminder_log VALUES ('xdp', 100, 10, 90, 'shown');"
                "INSERT INTO settings VALUES ('travel-time', '5');");
  sqlite3_close (db);
  before = dump_store_columns (fixture->path, V2_AGENDA_COLUMNS);

  store = open_store (fixture);
  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, LPC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM accepted_overlap"), ==, 0);
  /* Version 6's column is empty: nothing was cancelled. */
  g_assert_cmpint (
      raw_int (db, "SELECT count(*) FROM agenda WHERE state_before_cancel IS NOT NULL"), ==, 0);
  sqlite3_close (db);
  after = dump_store_columns (fixture->path, V2_AGENDA_COLUMNS);
  g_assert_cmpstr (after, ==, before);

  /* What version 3 added works on the migrated file. */
  g_assert_true (lpc_store_agenda_resolve (store, NULL, 0, pair, 1, &error));
  g_assert_no_error (error);
  accepted = lpc_store_accepted_overlaps (store, &error);
  g_assert_no_error (error);
  assert_ids (accepted, (const char *const[]){ "btf", "xdp", NULL });
  g_assert_true (lpc_store_agenda_remove (store, "btf", &error));
  g_assert_no_error (error);
  g_clear_pointer (&accepted, g_ptr_array_unref);
  accepted = lpc_store_accepted_overlaps (store, &error);
  g_assert_cmpuint (accepted->len, ==, 0);
  item = get_item (store, "xdp");
  g_assert_cmpstr (item->remind, ==, "10,0");
  g_assert_true (lpc_store_reminder_logged (store, "xdp", 100, 10));
  /* And what version 5 added: the void outcome. */
  g_assert_true (lpc_store_log_reminder (store, "xdp", 100, 0, 250, LPC_REMINDER_VOID, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_reminder_logged (store, "xdp", 100, 0));
  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM reminder_log WHERE outcome = 'void'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM reminder_log WHERE outcome = 'shown'"), ==,
                   1);
  sqlite3_close (db);
}

/* ---- the agenda ---- */

static LpcStore *
open_with_program (Fixture *fixture)
{
  LpcStore *store = open_store (fixture);
  g_autoptr (LpcProgram) program = make_program ();

  import (store, program, NULL);
  return store;
}

static void
test_agenda_basic (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcAgendaItem) item = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  gboolean already = FALSE;

  add_item (store, "xdp", 3, 100, "first");
  add_item (store, "btf", 1, 50, NULL);
  add_item (store, "bpf", 4, 100, NULL); /* a whole block can be picked */

  items = lpc_store_agenda_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  /* added_at, then id. */
  g_assert_cmpstr (((LpcAgendaItem *) items->pdata[0])->entry_id, ==, "btf");
  g_assert_cmpstr (((LpcAgendaItem *) items->pdata[1])->entry_id, ==, "bpf");
  g_assert_cmpstr (((LpcAgendaItem *) items->pdata[2])->entry_id, ==, "xdp");

  /* Adding again changes nothing and says so. */
  item = lpc_agenda_item_new ("xdp");
  item->priority = 5;
  g_assert_true (lpc_store_agenda_add (store, item, &already, &error));
  g_assert_no_error (error);
  g_assert_true (already);
  g_clear_pointer (&item, lpc_agenda_item_free);
  item = get_item (store, "xdp");
  g_assert_cmpuint (item->priority, ==, 3);
  g_assert_cmpstr (item->note, ==, "first");
  g_assert_null (item->remind);
  g_assert_cmpint (item->previous_start, ==, 0);
  g_assert_null (item->previous_room);
  assert_state (store, "xdp", LPC_ITEM_PLANNED);

  /* added_at defaults to now. */
  {
    gint64 before = g_get_real_time () / G_USEC_PER_SEC;
    g_autoptr (LpcAgendaItem) fresh = lpc_agenda_item_new ("tracing");
    g_autoptr (LpcAgendaItem) stored = NULL;
    g_assert_true (lpc_store_agenda_add (store, fresh, NULL, &error));
    g_assert_no_error (error);
    stored = get_item (store, "tracing");
    g_assert_cmpint (stored->added_at, >=, before);
    g_assert_cmpint (stored->added_at, <=, before + 5);
  }

  item->priority = 5;
  g_free (item->remind);
  item->remind = g_strdup ("10,0");
  g_free (item->note);
  item->note = g_strdup ("front row");
  g_assert_true (lpc_store_agenda_update (store, item, &error));
  g_assert_no_error (error);
  g_clear_pointer (&item, lpc_agenda_item_free);
  item = get_item (store, "xdp");
  g_assert_cmpuint (item->priority, ==, 5);
  g_assert_cmpstr (item->remind, ==, "10,0");
  g_assert_cmpstr (item->note, ==, "front row");
  g_assert_cmpint (item->added_at, ==, 100);

  g_free (item->remind);
  item->remind = g_strdup ("off");
  g_assert_true (lpc_store_agenda_update (store, item, &error));
  g_assert_no_error (error);

  g_assert_true (lpc_store_agenda_set_state (store, "xdp", LPC_ITEM_SKIPPED, &error));
  g_assert_no_error (error);
  assert_state (store, "xdp", LPC_ITEM_SKIPPED);
  g_assert_true (lpc_store_agenda_set_state (store, "xdp", LPC_ITEM_PLANNED, &error));
  g_assert_no_error (error);
  assert_state (store, "xdp", LPC_ITEM_PLANNED);

  g_assert_true (lpc_store_agenda_remove (store, "btf", &error));
  g_assert_no_error (error);
  g_assert_null (lpc_store_agenda_get (store, "btf", &error));
  g_assert_no_error (error);
  g_assert_false (lpc_store_agenda_remove (store, "btf", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
  g_clear_error (&error);

  g_clear_pointer (&items, g_ptr_array_unref);
  items = lpc_store_agenda_list (store, &error);
  g_assert_cmpuint (items->len, ==, 3);

  /* Everything survives a reopen. */
  g_clear_pointer (&store, lpc_store_free);
  store = open_store (fixture);
  g_clear_pointer (&item, lpc_agenda_item_free);
  item = get_item (store, "xdp");
  g_assert_cmpstr (item->remind, ==, "off");
  g_assert_cmpstr (item->note, ==, "front row");
}

static void
test_agenda_errors (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  const char *bad_reminds[] = { "", "soon", "10,", ",5", "-5", "5,x", "99999", "on" };

  add_item (store, "xdp", 3, 100, "note");
  before = dump_store (fixture->path);

#define ASSERT_FAILS_UNCHANGED(call, code)                                                         \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *after = NULL;                                                                 \
    g_assert_false (call);                                                                         \
    g_assert_error (error, LPC_ERROR, code);                                                       \
    g_test_message ("%s", error->message);                                                         \
    g_clear_error (&error);                                                                        \
    after = dump_store (fixture->path);                                                            \
    g_assert_cmpstr (after, ==, before);                                                           \
  }                                                                                                \
  G_STMT_END

  {
    g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("break");
    ASSERT_FAILS_UNCHANGED (lpc_store_agenda_add (store, item, NULL, &error),
                            LPC_ERROR_NOT_ATTENDABLE);
  }
  {
    g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("no-such-talk");
    ASSERT_FAILS_UNCHANGED (lpc_store_agenda_add (store, item, NULL, &error),
                            LPC_ERROR_NO_SUCH_TALK);
  }
  for (guint priority = 0; priority <= 6; priority += 6)
    {
      g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("btf");
      item->priority = priority;
      ASSERT_FAILS_UNCHANGED (lpc_store_agenda_add (store, item, NULL, &error),
                              LPC_ERROR_INVALID_ARGUMENT);
      g_free (item->entry_id);
      item->entry_id = g_strdup ("xdp");
      ASSERT_FAILS_UNCHANGED (lpc_store_agenda_update (store, item, &error),
                              LPC_ERROR_INVALID_ARGUMENT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_reminds); i++)
    {
      g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("xdp");
      item->remind = g_strdup (bad_reminds[i]);
      ASSERT_FAILS_UNCHANGED (lpc_store_agenda_update (store, item, &error),
                              LPC_ERROR_INVALID_ARGUMENT);
    }
  {
    g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("btf");
    item->state = LPC_ITEM_CANCELLED;
    ASSERT_FAILS_UNCHANGED (lpc_store_agenda_add (store, item, NULL, &error),
                            LPC_ERROR_INVALID_ARGUMENT);
  }
  {
    g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("btf");
    ASSERT_FAILS_UNCHANGED (lpc_store_agenda_update (store, item, &error), LPC_ERROR_NO_SUCH_TALK);
  }
  ASSERT_FAILS_UNCHANGED (lpc_store_agenda_remove (store, "btf", &error), LPC_ERROR_NO_SUCH_TALK);
  ASSERT_FAILS_UNCHANGED (lpc_store_agenda_set_state (store, "btf", LPC_ITEM_SKIPPED, &error),
                          LPC_ERROR_NO_SUCH_TALK);
  ASSERT_FAILS_UNCHANGED (lpc_store_agenda_retarget (store, "btf", "tracing", &error),
                          LPC_ERROR_NO_SUCH_TALK);
  ASSERT_FAILS_UNCHANGED (lpc_store_agenda_retarget (store, "xdp", "break", &error),
                          LPC_ERROR_NOT_ATTENDABLE);
  ASSERT_FAILS_UNCHANGED (lpc_store_agenda_retarget (store, "xdp", "nope", &error),
                          LPC_ERROR_NO_SUCH_TALK);
  ASSERT_FAILS_UNCHANGED (
      lpc_store_log_reminder (store, "nope", T0, 5, T0, LPC_REMINDER_SHOWN, &error),
      LPC_ERROR_NO_SUCH_TALK);
  {
    g_autoptr (LpcEntry) entry = lpc_store_get_entry (store, "nope", &error);
    g_assert_null (entry);
    g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
    g_clear_error (&error);
  }
#undef ASSERT_FAILS_UNCHANGED
}

static void
test_agenda_retarget (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcAgendaItem) item = NULL;
  g_autoptr (GError) error = NULL;

  add_item (store, "spf", 4, 123, "the Android one");
  add_item (store, "xdp", 3, 124, NULL);
  g_assert_true (lpc_store_agenda_set_state (store, "spf", LPC_ITEM_MOVED, &error));

  g_assert_true (lpc_store_agenda_retarget (store, "spf", "spf-fri", &error));
  g_assert_no_error (error);
  g_assert_null (lpc_store_agenda_get (store, "spf", &error));
  g_assert_no_error (error);
  item = get_item (store, "spf-fri");
  g_assert_cmpuint (item->priority, ==, 4);
  g_assert_cmpstr (item->note, ==, "the Android one");
  g_assert_cmpint (item->added_at, ==, 123);
  g_assert_cmpint (item->state, ==, LPC_ITEM_PLANNED);

  /* Onto an entry that is already on the agenda: refused. */
  g_assert_false (lpc_store_agenda_retarget (store, "spf-fri", "xdp", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Onto itself: nothing to do. */
  g_assert_true (lpc_store_agenda_retarget (store, "spf-fri", "spf-fri", &error));
  g_assert_no_error (error);
}

static GPtrArray *
accepted_overlaps (LpcStore *store)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *ids = lpc_store_accepted_overlaps (store, &error);

  g_assert_no_error (error);
  return ids;
}

static void
test_agenda_resolve (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcAgendaItem) item = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const LpcStoreItemChange changes[] = {
    { .entry_id = "xdp", .skip = TRUE },
    { .entry_id = "spf", .new_entry_id = "spf-fri", .note = "join 5 min late" },
    { .entry_id = "btf", .note = "leave 5 min early" },
  };
  /* Ids after the move, either order. */
  const char *const pairs[] = { "spf-fri", "btf", "tracing", "btf" };

  add_item (store, "xdp", 2, 100, NULL);
  add_item (store, "spf", 4, 101, "Android");
  add_item (store, "btf", 3, 102, NULL);
  add_item (store, "tracing", 3, 103, NULL);

  g_assert_true (lpc_store_agenda_resolve (store, changes, G_N_ELEMENTS (changes), pairs, 2, &error));
  g_assert_no_error (error);
  assert_state (store, "xdp", LPC_ITEM_SKIPPED);
  g_assert_null (lpc_store_agenda_get (store, "spf", &error));
  item = get_item (store, "spf-fri");
  g_assert_cmpstr (item->note, ==, "join 5 min late");
  g_assert_cmpuint (item->priority, ==, 4);
  g_assert_cmpint (item->added_at, ==, 101);
  g_clear_pointer (&item, lpc_agenda_item_free);
  item = get_item (store, "btf");
  g_assert_cmpstr (item->note, ==, "leave 5 min early");
  ids = accepted_overlaps (store);
  assert_ids (ids, (const char *const[]){ "btf", "spf-fri", "btf", "tracing", NULL });

  /* Accepting a pair again keeps one row. */
  g_assert_true (lpc_store_agenda_resolve (store, NULL, 0, pairs, 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = accepted_overlaps (store);
  g_assert_cmpuint (ids->len, ==, 4);

  /* All or nothing: a pair naming an id off the agenda, a move onto an
   * item on the agenda, an item that is not there — nothing changes. */
  before = dump_store (fixture->path);
  {
    const char *const bad_pair[] = { "btf", "shaders" };
    const LpcStoreItemChange skip_then_bad_move[] = {
      { .entry_id = "tracing", .skip = TRUE },
      { .entry_id = "spf-fri", .new_entry_id = "btf" },
    };
    const LpcStoreItemChange missing[] = {
      { .entry_id = "btf", .note = "changed" },
      { .entry_id = "gone", .skip = TRUE },
    };

    g_assert_false (lpc_store_agenda_resolve (store, changes + 2, 1, bad_pair, 1, &error));
    g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
    g_clear_error (&error);
    g_assert_false (lpc_store_agenda_resolve (store, skip_then_bad_move, 2, NULL, 0, &error));
    g_assert_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_false (lpc_store_agenda_resolve (store, missing, 2, NULL, 0, &error));
    g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
    g_clear_error (&error);
  }
  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = accepted_overlaps (store);
  g_assert_cmpuint (ids->len, ==, 4);

  /* The agreement goes with the item: retargeted... */
  g_assert_true (lpc_store_agenda_retarget (store, "spf-fri", "spf", &error));
  g_assert_no_error (error);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = accepted_overlaps (store);
  assert_ids (ids, (const char *const[]){ "btf", "tracing", NULL });
  /* ...skipped and kept, then unskipped... */
  g_assert_true (lpc_store_agenda_set_state (store, "tracing", LPC_ITEM_SKIPPED, &error));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = accepted_overlaps (store);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_true (lpc_store_agenda_set_state (store, "tracing", LPC_ITEM_PLANNED, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = accepted_overlaps (store);
  g_assert_cmpuint (ids->len, ==, 0);
  /* ...or removed. */
  g_assert_true (lpc_store_agenda_resolve (store, NULL, 0, pairs + 2, 1, &error));
  g_assert_true (lpc_store_agenda_remove (store, "tracing", &error));
  g_assert_no_error (error);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = accepted_overlaps (store);
  g_assert_cmpuint (ids->len, ==, 0);
}

static gint64 root_page (const char *path, const char *table);
static gboolean has_leftovers (Fixture *fixture);

/* Repair salvages the accepted overlaps with the agenda. */
static void
test_repair_keeps_accepted (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GError) error = NULL;
  const char *const pair[] = { "xdp", "shaders" };
  LpcRepairReport report = { 0 };

  add_item (store, "xdp", 3, 100, NULL);
  add_item (store, "shaders", 3, 101, NULL);
  g_assert_true (lpc_store_agenda_resolve (store, NULL, 0, pair, 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, lpc_store_free);
  /* Damaged elsewhere: a healthy file is not repaired at all. */
  scribble (fixture->path, (root_page (fixture->path, "entries") - 1) * page_size (fixture->path),
            page_size (fixture->path), 0x55);

  g_assert_true (lpc_store_repair (fixture->path, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.agenda_items_saved, ==, 2);
  store = open_store (fixture);
  ids = accepted_overlaps (store);
  assert_ids (ids, (const char *const[]){ "shaders", "xdp", NULL });
  lpc_repair_report_clear (&report);
}

/* ---- settings and the reminder log ---- */

static void
test_settings (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_store (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_null (lpc_store_get_setting (store, "lead-time"));
  g_assert_true (lpc_store_set_setting (store, "lead-time", "5", &error));
  g_assert_true (lpc_store_set_setting (store, "lead-time", "10", &error));
  g_assert_true (lpc_store_set_setting (store, "travel-time", "", &error));
  g_assert_no_error (error);
  value = lpc_store_get_setting (store, "lead-time");
  g_assert_cmpstr (value, ==, "10");
  g_clear_pointer (&value, g_free);
  value = lpc_store_get_setting (store, "travel-time");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);

  g_assert_true (lpc_store_set_setting (store, "travel-time", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (lpc_store_get_setting (store, "travel-time"));

  g_clear_pointer (&store, lpc_store_free);
  store = open_store (fixture);
  value = lpc_store_get_setting (store, "lead-time");
  g_assert_cmpstr (value, ==, "10");
}

static void
test_reminder_log (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (GError) error = NULL;
  sqlite3 *db;

  g_assert_false (lpc_store_reminder_logged (store, "xdp", T0, 5));
  g_assert_true (lpc_store_log_reminder (store, "xdp", T0, 5, 1000, LPC_REMINDER_SHOWN, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_reminder_logged (store, "xdp", T0, 5));
  g_assert_false (lpc_store_reminder_logged (store, "xdp", T0, 0));
  g_assert_false (lpc_store_reminder_logged (store, "xdp", T0 + 60, 5));

  /* Twice is fine, and the first record stands. */
  g_assert_true (lpc_store_log_reminder (store, "xdp", T0, 5, 2000, LPC_REMINDER_MISSED, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_log_reminder (store, "xdp", T0, 0, 3000, LPC_REMINDER_MISSED, &error));
  g_assert_no_error (error);

  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM reminder_log"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT at FROM reminder_log WHERE lead_minutes = 5"), ==, 1000);
  g_assert_cmpint (raw_int (db, "SELECT outcome = 'shown' FROM reminder_log"
                                " WHERE lead_minutes = 5"),
                   ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT outcome = 'missed' FROM reminder_log"
                                " WHERE lead_minutes = 0"),
                   ==, 1);
  sqlite3_close (db);
}

/* What GetAgenda's "reminded" field reads: the log of one start as a whole. */
static void
test_reminder_outcome (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (GError) error = NULL;
  LpcReminderOutcome outcome = LPC_REMINDER_SHOWN;
  gboolean logged = TRUE;

  g_assert_true (lpc_store_reminder_outcome (store, "xdp", T0, &logged, &outcome, &error));
  g_assert_no_error (error);
  g_assert_false (logged);

  /* Every lead missed: missed. */
  g_assert_true (lpc_store_log_reminder (store, "xdp", T0, 10, 1000, LPC_REMINDER_MISSED, &error));
  g_assert_true (lpc_store_log_reminder (store, "xdp", T0, 0, 1000, LPC_REMINDER_MISSED, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_reminder_outcome (store, "xdp", T0, &logged, &outcome, &error));
  g_assert_no_error (error);
  g_assert_true (logged);
  g_assert_cmpint (outcome, ==, LPC_REMINDER_MISSED);

  /* One shown is enough for "shown": the user was reminded. */
  g_assert_true (lpc_store_log_reminder (store, "xdp", T0, 5, 900, LPC_REMINDER_SHOWN, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_reminder_outcome (store, "xdp", T0, &logged, &outcome, &error));
  g_assert_true (logged);
  g_assert_cmpint (outcome, ==, LPC_REMINDER_SHOWN);

  /* Another start (the talk moved) has a log of its own, and so has
   * another entry. */
  g_assert_true (lpc_store_reminder_outcome (store, "xdp", T0 + 3600, &logged, &outcome, &error));
  g_assert_false (logged);
  g_assert_true (lpc_store_reminder_outcome (store, "bpf", T0, &logged, &outcome, &error));
  g_assert_no_error (error);
  g_assert_false (logged);

  /* A void reminder was never owed: it says nothing, next to a missed one
   * neither. */
  g_assert_true (lpc_store_log_reminder (store, "bpf", T0, 10, 1000, LPC_REMINDER_VOID, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_reminder_logged (store, "bpf", T0, 10));
  g_assert_true (lpc_store_reminder_outcome (store, "bpf", T0, &logged, &outcome, &error));
  g_assert_false (logged);
  g_assert_true (lpc_store_log_reminder (store, "bpf", T0, 0, 1000, LPC_REMINDER_MISSED, &error));
  g_assert_true (lpc_store_reminder_outcome (store, "bpf", T0, &logged, &outcome, &error));
  g_assert_no_error (error);
  g_assert_true (logged);
  g_assert_cmpint (outcome, ==, LPC_REMINDER_MISSED);
  g_assert_cmpstr (lpc_reminder_outcome_to_string (LPC_REMINDER_VOID), ==, "void");
}

/* ---- the program ---- */

static void
test_import_first (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_store (fixture);
  g_autoptr (LpcProgram) program = make_program ();
  g_autoptr (LpcProgram) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = NULL;
  LpcImportSummary summary = { 0 };

  g_assert_null (lpc_store_load_program (store, &error));
  g_assert_no_error (error);
  g_assert_null (lpc_store_dup_program_hash (store));

  import (store, program, &summary);
  g_assert_cmpuint (summary.n_sessions, ==, 2);
  g_assert_cmpuint (summary.n_talks, ==, 7);
  g_assert_cmpuint (summary.n_breaks, ==, 1);
  g_assert_cmpuint (summary.n_new, ==, 10);
  g_assert_cmpuint (summary.n_unchanged, ==, 0);
  g_assert_cmpuint (summary.n_changed, ==, 0);
  g_assert_cmpuint (summary.moved_ids->len, ==, 0);
  g_assert_cmpuint (summary.cancelled_ids->len, ==, 0);
  g_assert_cmpuint (summary.restored_ids->len, ==, 0);
  lpc_import_summary_clear (&summary);

  hash = lpc_store_dup_program_hash (store);
  g_assert_cmpstr (hash, ==, "hash-1");

  /* Through a reopen: what load returns is what was imported, in order. */
  g_clear_pointer (&store, lpc_store_free);
  store = open_store (fixture);
  loaded = lpc_store_load_program (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->name, ==, "Test Conference");
  g_assert_cmpstr (loaded->timezone, ==, "America/Los_Angeles");
  g_assert_cmpstr (loaded->source_hash, ==, "hash-1");
  g_assert_cmpuint (loaded->entries->len, ==, program->entries->len);
  for (guint i = 0; i < program->entries->len; i++)
    assert_entries_equal (g_ptr_array_index (loaded->entries, i),
                          g_ptr_array_index (program->entries, i));
  g_assert_nonnull (lpc_program_lookup (loaded, "spf-fri"));

  /* The same program again changes nothing. */
  import (store, program, &summary);
  g_assert_cmpuint (summary.n_new, ==, 0);
  g_assert_cmpuint (summary.n_unchanged, ==, 10);
  g_assert_cmpuint (summary.n_changed, ==, 0);
  lpc_import_summary_clear (&summary);
}

static void
test_import_reimport (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) next = make_program ();
  g_autoptr (LpcProgram) loaded = NULL;
  g_autoptr (LpcAgendaItem) item = NULL;
  g_autoptr (LpcEntry) vanished = NULL;
  g_autoptr (GError) error = NULL;
  LpcImportSummary summary = { 0 };
  LpcEntry *entry;
  const char *moved[] = { "xdp", "btf", NULL };
  const char *cancelled[] = { "gone", NULL };
  const char *none[] = { NULL };

  add_item (store, "xdp", 3, 1, NULL);
  add_item (store, "btf", 3, 2, NULL);
  add_item (store, "gone", 3, 3, NULL);
  add_item (store, "tracing", 3, 4, NULL);
  add_item (store, "shaders", 3, 5, NULL);
  g_assert_true (lpc_store_agenda_set_state (store, "shaders", LPC_ITEM_SKIPPED, &error));

  /* The program changes: */
  find_entry (next, "xdp")->start += MINUTES (60); /* moved in time */
  find_entry (next, "xdp")->end += MINUTES (60);
  g_free (find_entry (next, "btf")->room); /* moved to another room */
  find_entry (next, "btf")->room = g_strdup ("Microconference3/Virtual-Room");
  find_entry (next, "shaders")->start += MINUTES (10); /* skipped, and moved */
  find_entry (next, "shaders")->end += MINUTES (10);
  drop_entry (next, "gone"); /* vanished */
  add_entry (next, LPC_ENTRY_TALK, "fresh", "A new talk", BPF, BPF_ROOM, T0 + MINUTES (200), 20,
             "bpf");
  /* A different talk whose title happens to give the vanished talk's id. */
  add_entry (next, LPC_ENTRY_TALK, "gone", "Gone, and back with another talk", GPU, GPU_ROOM,
             T0 + MINUTES (300), 20, "gpu");
  /* The importer proposes another id for a known talk (a new slug rule,
   * say): the store keeps the one it gave out. */
  entry = find_entry (next, "tracing");
  g_hash_table_remove (next->by_id, "tracing");
  g_free (entry->id);
  entry->id = g_strdup ("tracing-with-bpf");
  g_hash_table_insert (next->by_id, entry->id, entry);
  g_free (next->source_hash);
  next->source_hash = g_strdup ("hash-2");

  import (store, next, &summary);
  g_assert_cmpuint (summary.n_new, ==, 2);
  g_assert_cmpuint (summary.n_changed, ==, 3);
  g_assert_cmpuint (summary.n_unchanged, ==, 6);
  assert_ids (summary.moved_ids, moved);
  assert_ids (summary.cancelled_ids, cancelled);
  assert_ids (summary.restored_ids, none);
  lpc_import_summary_clear (&summary);

  /* The program object now carries the ids the store gave. */
  g_assert_nonnull (lpc_program_lookup (next, "tracing"));
  g_assert_null (lpc_program_lookup (next, "tracing-with-bpf"));
  g_assert_cmpstr (find_entry (next, "gone-2")->title, ==, "Gone, and back with another talk");
  g_assert_null (lpc_program_lookup (next, "gone"));

  /* Moved: new time in the entry, the old one in the item. */
  item = get_item (store, "xdp");
  g_assert_cmpint (item->state, ==, LPC_ITEM_MOVED);
  g_assert_cmpint (item->previous_start, ==, T0);
  g_assert_cmpstr (item->previous_room, ==, BPF_ROOM);
  g_clear_pointer (&item, lpc_agenda_item_free);
  item = get_item (store, "btf");
  g_assert_cmpint (item->state, ==, LPC_ITEM_MOVED);
  g_assert_cmpstr (item->previous_room, ==, BPF_ROOM);
  g_assert_cmpint (item->previous_start, ==, T0 + MINUTES (30));
  g_clear_pointer (&item, lpc_agenda_item_free);
  /* Skipped stays skipped, but knows it moved. */
  item = get_item (store, "shaders");
  g_assert_cmpint (item->state, ==, LPC_ITEM_SKIPPED);
  g_assert_cmpint (item->previous_start, ==, T0);
  g_clear_pointer (&item, lpc_agenda_item_free);
  assert_state (store, "gone", LPC_ITEM_CANCELLED);
  assert_state (store, "tracing", LPC_ITEM_PLANNED);

  /* The vanished entry is still there for the agenda to show, inactive. */
  vanished = lpc_store_get_entry (store, "gone", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vanished->title, ==, "A talk that will vanish");
  {
    g_autoptr (LpcAgendaItem) again = lpc_agenda_item_new ("gone");
    lpc_store_agenda_remove (store, "gone", &error);
    g_assert_no_error (error);
    g_assert_false (lpc_store_agenda_add (store, again, NULL, &error));
    g_assert_error (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK);
    g_clear_error (&error);
  }

  loaded = lpc_store_load_program (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->entries->len, ==, next->entries->len);
  for (guint i = 0; i < next->entries->len; i++)
    assert_entries_equal (g_ptr_array_index (loaded->entries, i),
                          g_ptr_array_index (next->entries, i));
  g_assert_null (lpc_program_lookup (loaded, "gone"));
  g_assert_cmpint (find_entry (loaded, "xdp")->start, ==, T0 + MINUTES (60));
  g_assert_cmpstr (loaded->source_hash, ==, "hash-2");
}

static void
test_import_id_collision (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) next = make_program ();
  g_autoptr (LpcProgram) loaded = NULL;
  g_autoptr (GError) error = NULL;

  /* The whole GPU block vanishes; a new block and its talk propose the ids
   * it had. Their references to each other follow the new ids. */
  drop_entry (next, "gpu");
  drop_entry (next, "shaders");
  drop_entry (next, "spf");
  drop_entry (next, "spf-fri");
  add_entry (next, LPC_ENTRY_SESSION, "gpu", "GPU reprise", "GPU reprise", GPU_ROOM, T0, 60, NULL);
  add_entry (next, LPC_ENTRY_TALK, "spf", "Something else", "GPU reprise", GPU_ROOM, T0, 30, "gpu");
  find_entry (next, "spf")->occurrence_group = g_strdup ("spf");
  /* The program's own "spf-2" must keep its id: the suffix steps over it. */
  add_entry (next, LPC_ENTRY_TALK, "spf-2", "Something else", "GPU reprise", GPU_ROOM,
             T0 + MINUTES (30), 30, "gpu");
  g_free (find_entry (next, "spf-2")->identity);
  find_entry (next, "spf-2")->identity = g_strdup ("talk|GPU reprise|Something else|2");
  find_entry (next, "spf-2")->occurrence_group = g_strdup ("spf");

  import (store, next, NULL);
  g_assert_nonnull (find_entry (next, "gpu-2"));
  g_assert_cmpstr (find_entry (next, "spf-3")->parent_id, ==, "gpu-2");
  g_assert_cmpstr (find_entry (next, "spf-3")->occurrence_group, ==, "spf-3");
  g_assert_cmpstr (find_entry (next, "spf-2")->parent_id, ==, "gpu-2");
  g_assert_cmpstr (find_entry (next, "spf-2")->occurrence_group, ==, "spf-3");
  g_assert_cmpuint (g_hash_table_size (next->by_id), ==, next->entries->len);

  loaded = lpc_store_load_program (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (find_entry (loaded, "spf-3")->parent_id, ==, "gpu-2");
  g_assert_null (lpc_program_lookup (loaded, "gpu"));

  /* The vanished block keeps its old id in the store. */
  {
    g_autoptr (LpcEntry) old = lpc_store_get_entry (store, "gpu", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (old->title, ==, GPU);
  }
}

static void
test_import_restored (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) without = make_program ();
  g_autoptr (LpcProgram) with = make_program ();
  g_autoptr (LpcAgendaItem) item = NULL;
  LpcImportSummary summary = { 0 };
  const char *gone[] = { "gone", NULL };
  const char *none[] = { NULL };

  add_item (store, "gone", 2, 1, "hope it stays");
  drop_entry (without, "gone");
  import (store, without, &summary);
  assert_ids (summary.cancelled_ids, gone);
  lpc_import_summary_clear (&summary);
  assert_state (store, "gone", LPC_ITEM_CANCELLED);

  /* Gone again: already cancelled, nothing new to report. */
  import (store, without, &summary);
  assert_ids (summary.cancelled_ids, none);
  lpc_import_summary_clear (&summary);

  import (store, with, &summary);
  assert_ids (summary.restored_ids, gone);
  assert_ids (summary.cancelled_ids, none);
  assert_ids (summary.moved_ids, none);
  g_assert_cmpuint (summary.n_new, ==, 0);
  lpc_import_summary_clear (&summary);
  item = get_item (store, "gone");
  g_assert_cmpint (item->state, ==, LPC_ITEM_PLANNED);
  g_assert_cmpuint (item->priority, ==, 2);
  g_assert_cmpstr (item->note, ==, "hope it stays");
  g_assert_cmpstr (find_entry (with, "gone")->title, ==, "A talk that will vanish");
}

static void
add_item_with_leads (LpcStore *store, const char *id, guint priority, const char *note,
                     const char *remind)
{
  g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new (id);
  g_autoptr (GError) error = NULL;
  gboolean already = TRUE;

  item->priority = priority;
  item->added_at = 7;
  item->remind = g_strdup (remind);
  g_free (item->note);
  item->note = g_strdup (note);
  g_assert_true (lpc_store_agenda_add (store, item, &already, &error));
  g_assert_no_error (error);
}

static void
assert_item (LpcStore *store, const char *id, LpcItemState state, guint priority,
             const char *note, const char *remind, gint64 previous_start,
             const char *previous_room)
{
  g_autoptr (LpcAgendaItem) item = get_item (store, id);

  g_assert_cmpstr (lpc_item_state_to_string (item->state), ==, lpc_item_state_to_string (state));
  g_assert_cmpuint (item->priority, ==, priority);
  g_assert_cmpstr (item->note, ==, note);
  g_assert_cmpstr (item->remind, ==, remind);
  g_assert_cmpint (item->previous_start, ==, previous_start);
  g_assert_cmpstr (item->previous_room, ==, previous_room);
}

/* A re-import without the talks cancels their picks; their return gives
 * each pick back the state it had, skip and move included, with its
 * priority, note and leads. */
static void
test_import_restored_keeps_state (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) original = make_program ();
  g_autoptr (LpcProgram) moved = make_program ();
  g_autoptr (LpcProgram) without = make_program ();
  g_autoptr (GError) error = NULL;
  LpcImportSummary summary = { 0 };
  const char *three[] = { "btf", "gone", "tracing", NULL };
  const char *in_program_order[] = { "btf", "tracing", "gone", NULL };
  const char *none[] = { NULL };
  const gint64 btf_start = T0 + MINUTES (30);
  const gint64 btf_later = T0 + MINUTES (200);

  add_item_with_leads (store, "gone", 2, "maybe next year", "15");
  add_item_with_leads (store, "tracing", 4, "front row", "10,0");
  add_item_with_leads (store, "btf", 5, "ask about CO-RE", "5");
  g_assert_true (lpc_store_agenda_set_state (store, "gone", LPC_ITEM_SKIPPED, &error));
  g_assert_no_error (error);

  /* btf moves: its pick is "moved", from where it was. */
  find_entry (moved, "btf")->start = btf_later;
  find_entry (moved, "btf")->end = btf_later + MINUTES (30);
  import (store, moved, NULL);
  assert_item (store, "btf", LPC_ITEM_MOVED, 5, "ask about CO-RE", "5", btf_start, BPF_ROOM);

  find_entry (without, "btf")->start = btf_later;
  find_entry (without, "btf")->end = btf_later + MINUTES (30);
  drop_entry (without, "btf");
  drop_entry (without, "gone");
  drop_entry (without, "tracing");
  import (store, without, &summary);
  assert_ids (summary.cancelled_ids, three);
  lpc_import_summary_clear (&summary);
  assert_state (store, "gone", LPC_ITEM_CANCELLED);
  assert_state (store, "tracing", LPC_ITEM_CANCELLED);
  assert_state (store, "btf", LPC_ITEM_CANCELLED);

  /* They come back where they left: each is what it was. */
  import (store, moved, &summary);
  assert_ids (summary.restored_ids, in_program_order);
  assert_ids (summary.cancelled_ids, none);
  lpc_import_summary_clear (&summary);
  assert_item (store, "gone", LPC_ITEM_SKIPPED, 2, "maybe next year", "15", 0, NULL);
  assert_item (store, "tracing", LPC_ITEM_PLANNED, 4, "front row", "10,0", 0, NULL);
  assert_item (store, "btf", LPC_ITEM_MOVED, 5, "ask about CO-RE", "5", btf_start, BPF_ROOM);

  /* Cancelled again, then back at other times (btf at its first time): a
   * planned pick becomes moved from where its talk was when it left, a skip
   * stays a skip. */
  import (store, without, NULL);
  find_entry (original, "tracing")->start += MINUTES (5);
  find_entry (original, "tracing")->end += MINUTES (5);
  find_entry (original, "gone")->start += MINUTES (5);
  find_entry (original, "gone")->end += MINUTES (5);
  import (store, original, &summary);
  assert_ids (summary.restored_ids, in_program_order);
  lpc_import_summary_clear (&summary);
  assert_item (store, "gone", LPC_ITEM_SKIPPED, 2, "maybe next year", "15",
               T0 + MINUTES (120), BPF_ROOM);
  assert_item (store, "tracing", LPC_ITEM_MOVED, 4, "front row", "10,0", T0 + MINUTES (75),
               BPF_ROOM);
  assert_item (store, "btf", LPC_ITEM_MOVED, 5, "ask about CO-RE", "5", btf_later, BPF_ROOM);
}

/* Switching to another conference and back (ReplaceProgram) keeps every
 * pick's state, and a pick cancelled before the switch still knows what it
 * was. */
static void
test_import_switch_keeps_state (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) moved = make_program ();
  g_autoptr (LpcProgram) without = make_program ();
  g_autoptr (LpcProgram) other = lpc_program_new ("Other Conference", "Europe/Paris");
  g_autoptr (GError) error = NULL;
  const char *only_xdp[] = { "xdp", NULL };
  LpcImportSummary summary = { 0 };
  const gint64 btf_later = T0 + MINUTES (200);

  add_item_with_leads (store, "gone", 2, "maybe next year", "15");
  add_item_with_leads (store, "tracing", 4, "front row", "10,0");
  add_item_with_leads (store, "btf", 5, "ask about CO-RE", "5");
  add_item_with_leads (store, "xdp", 1, "", NULL);
  g_assert_true (lpc_store_agenda_set_state (store, "gone", LPC_ITEM_SKIPPED, &error));
  g_assert_no_error (error);
  find_entry (moved, "btf")->start = btf_later;
  find_entry (moved, "btf")->end = btf_later + MINUTES (30);
  import (store, moved, NULL);
  drop_entry (without, "xdp");
  find_entry (without, "btf")->start = btf_later;
  find_entry (without, "btf")->end = btf_later + MINUTES (30);
  import (store, without, NULL);
  assert_state (store, "xdp", LPC_ITEM_CANCELLED);

  add_entry (other, LPC_ENTRY_TALK, "keynote", "Keynote", "Main", "Hall", T0 + MINUTES (9000),
             60, NULL);
  g_assert_true (
      lpc_store_import_program_full (store, other, LPC_IMPORT_REPLACE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_archived, ==, 4);
  lpc_import_summary_clear (&summary);

  g_assert_true (
      lpc_store_import_program_full (store, moved, LPC_IMPORT_REPLACE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_unarchived, ==, 4);
  assert_ids (summary.restored_ids, only_xdp);
  lpc_import_summary_clear (&summary);
  assert_item (store, "gone", LPC_ITEM_SKIPPED, 2, "maybe next year", "15", 0, NULL);
  assert_item (store, "tracing", LPC_ITEM_PLANNED, 4, "front row", "10,0", 0, NULL);
  assert_item (store, "btf", LPC_ITEM_MOVED, 5, "ask about CO-RE", "5", T0 + MINUTES (30),
               BPF_ROOM);
  /* xdp's talk is in this program: its pick is back, as it was. */
  assert_item (store, "xdp", LPC_ITEM_PLANNED, 1, "", NULL, 0, NULL);
}

static void
test_import_invalid (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) bad = make_program ();
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LpcEntry *entry;

  add_item (store, "xdp", 3, 1, NULL);
  before = dump_store (fixture->path);

  /* Two entries claiming to be the same one. */
  find_entry (bad, "xdp")->start += 600;
  entry = find_entry (bad, "btf");
  g_free (entry->identity);
  entry->identity = g_strdup (find_entry (bad, "tracing")->identity);
  g_assert_false (lpc_store_import_program (store, bad, NULL, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_nonnull (strstr (error->message, "line "));
  g_clear_error (&error);
  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* An entry that ends before it starts. */
  g_free (entry->identity);
  entry->identity = g_strdup ("talk|x|y|1");
  entry->end = entry->start - 1;
  g_assert_false (lpc_store_import_program (store, bad, NULL, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_clear_error (&error);
  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);
}

static void
test_import_fails_midway (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) next = make_program ();
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LpcImportSummary summary = { 0 };
  sqlite3 *db;

  add_item (store, "xdp", 3, 1, NULL);
  add_item (store, "gone", 3, 2, NULL);
  before = dump_store (fixture->path);

  find_entry (next, "xdp")->start += 600;
  drop_entry (next, "gone");
  add_entry (next, LPC_ENTRY_TALK, "gone", "Another talk", GPU, GPU_ROOM, T0, 20, "gpu");
  add_entry (next, LPC_ENTRY_TALK, "last", "The last entry", GPU, GPU_ROOM, T0, 20, "gpu");

  /* A failure after most rows are written: the disk filling up, say. */
  db = raw_open (fixture->path);
  raw_exec (db, "CREATE TRIGGER fail_midway BEFORE INSERT ON entries WHEN NEW.id = 'last'"
                " BEGIN SELECT RAISE (ABORT, 'injected failure'); END;");
  g_assert_false (lpc_store_import_program (store, next, &summary, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "injected failure"));
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);
  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);
  assert_state (store, "xdp", LPC_ITEM_PLANNED);
  assert_state (store, "gone", LPC_ITEM_PLANNED);
  /* Nor was the program object touched. */
  g_assert_cmpstr (find_entry (next, "gone")->title, ==, "Another talk");
  g_assert_null (lpc_program_lookup (next, "gone-2"));

  raw_exec (db, "DROP TRIGGER fail_midway");
  sqlite3_close (db);
  import (store, next, &summary);
  g_assert_cmpuint (summary.moved_ids->len, ==, 1);
  g_assert_cmpuint (summary.cancelled_ids->len, ==, 1);
  lpc_import_summary_clear (&summary);
  g_assert_nonnull (lpc_program_lookup (next, "gone-2"));
}

/* ---- repair ---- */

static gint64
root_page (const char *path, const char *table)
{
  sqlite3 *db = raw_open (path);
  g_autofree char *sql
      = g_strdup_printf ("SELECT rootpage FROM sqlite_schema WHERE name = '%s'", table);
  gint64 page = raw_int (db, sql);

  sqlite3_close (db);
  return page;
}

/* A database the daemon opens as it is is healthy: repair says so and
 * leaves the file, its side files and its folder as they were. */
static void
test_repair_healthy (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  LpcRepairReport report = { 0 };
  Snapshot before = { 0 };

  make_populated_store (fixture);
  snapshot_take (&before, fixture->path);
  g_assert_true (lpc_store_repair (fixture->path, &report, &error));
  g_assert_no_error (error);
  g_assert_true (report.healthy);
  g_assert_null (report.backup_path);
  g_assert_cmpuint (report.agenda_items_saved, ==, 0);
  snapshot_assert_unchanged (&before, fixture->path);
  snapshot_clear (&before);
  g_assert_false (has_leftovers (fixture));
  lpc_repair_report_clear (&report);
}

static gboolean
has_leftovers (Fixture *fixture)
{
  GDir *dir = g_dir_open (fixture->folder, 0, NULL);
  const char *name;
  gboolean found = FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    found |= strstr (name, ".repair-") != NULL;
  g_dir_close (dir);
  return found;
}

static void
test_repair_corrupt (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (LpcProgram) program = make_program ();
  g_autoptr (LpcAgendaItem) item = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = sibling (fixture->path, "-wal");
  g_autofree char *shm = sibling (fixture->path, "-shm");
  g_autofree char *backup_wal = NULL;
  g_autofree char *backup_shm = NULL;
  LpcRepairReport report = { 0 };
  LpcImportSummary summary = { 0 };
  Snapshot damaged = { 0 };
  gint64 page;

  make_populated_store (fixture);
  /* The program's table is lost; the agenda is not. */
  page = root_page (fixture->path, "entries");
  scribble (fixture->path, (page - 1) * page_size (fixture->path), page_size (fixture->path), 0x55);
  write_file (wal, "", 0);
  write_file (shm, "", 0);
  snapshot_take (&damaged, fixture->path);

  store = lpc_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_clear_error (&error);

  g_assert_true (lpc_store_repair (fixture->path, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.agenda_items_saved, ==, 3);
  g_assert_cmpuint (report.settings_saved, ==, 2);
  g_assert_cmpuint (report.reminder_log_saved, ==, 1);
  g_assert_false (report.program_saved);
  g_assert_nonnull (report.backup_path);
  g_assert_true (g_str_has_prefix (report.backup_path, fixture->path));
  g_assert_nonnull (strstr (report.backup_path, ".damaged-"));

  /* The damaged file, byte for byte, beside the fresh one, with its
   * -wal and -shm. */
  snapshot_assert_unchanged (&damaged, report.backup_path);
  backup_wal = sibling (report.backup_path, "-wal");
  backup_shm = sibling (report.backup_path, "-shm");
  g_assert_true (g_file_test (backup_wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (backup_shm, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (has_leftovers (fixture));
  g_assert_cmphex (file_mode (fixture->path), ==, 0600);

  store = open_store (fixture);
  items = lpc_store_agenda_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  item = get_item (store, "xdp");
  g_assert_cmpuint (item->priority, ==, 5);
  g_assert_cmpstr (item->note, ==, "front row");
  g_assert_cmpint (item->added_at, ==, 100);
  assert_setting (store, "lead-time", "7");
  g_assert_true (lpc_store_reminder_logged (store, "xdp", T0, 5));
  /* No half program: the daemon will import it again. */
  g_assert_null (lpc_store_load_program (store, &error));
  g_assert_no_error (error);

  /* And that import gives the agenda its talks back under the same ids. */
  import (store, program, &summary);
  g_assert_cmpuint (summary.cancelled_ids->len, ==, 0);
  g_assert_cmpuint (summary.moved_ids->len, ==, 0);
  lpc_import_summary_clear (&summary);
  g_assert_nonnull (lpc_program_lookup (program, "xdp"));
  g_assert_nonnull (lpc_program_lookup (program, "gpu"));
  assert_state (store, "xdp", LPC_ITEM_PLANNED);
  assert_state (store, "gpu", LPC_ITEM_PLANNED);
  {
    g_autoptr (LpcEntry) entry = lpc_store_get_entry (store, "shaders", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (entry->title, ==, "Shader caches");
  }

  lpc_repair_report_clear (&report);
  snapshot_clear (&damaged);
}

/* Repair keeps what a cancelled pick was, so that its talk's return still
 * brings back a skip. */
static void
test_repair_keeps_state_before_cancel (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_with_program (fixture);
  g_autoptr (LpcProgram) with = make_program ();
  g_autoptr (LpcProgram) without = make_program ();
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = sibling (fixture->path, "-wal");
  g_autofree char *shm = sibling (fixture->path, "-shm");
  LpcRepairReport report = { 0 };
  gint64 page;

  add_item_with_leads (store, "gone", 2, "maybe next year", "15");
  g_assert_true (lpc_store_agenda_set_state (store, "gone", LPC_ITEM_SKIPPED, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_set_setting (store, "lead-time", "7", &error));
  g_assert_no_error (error);
  drop_entry (without, "gone");
  import (store, without, NULL);
  assert_state (store, "gone", LPC_ITEM_CANCELLED);
  g_clear_pointer (&store, lpc_store_free);

  /* The settings are lost; the agenda is not. */
  page = root_page (fixture->path, "settings");
  scribble (fixture->path, (page - 1) * page_size (fixture->path), page_size (fixture->path), 0x55);
  write_file (wal, "", 0);
  write_file (shm, "", 0);
  g_assert_true (lpc_store_repair (fixture->path, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.agenda_items_saved, ==, 1);
  lpc_repair_report_clear (&report);

  store = open_store (fixture);
  assert_state (store, "gone", LPC_ITEM_CANCELLED);
  import (store, with, NULL);
  assert_item (store, "gone", LPC_ITEM_SKIPPED, 2, "maybe next year", "15", 0, NULL);
}

static void
test_repair_keeps_program (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (LpcProgram) loaded = NULL;
  g_autoptr (GError) error = NULL;
  LpcRepairReport report = { 0 };
  gint64 size;

  make_populated_store (fixture);
  size = page_size (fixture->path);
  scribble (fixture->path, (root_page (fixture->path, "settings") - 1) * size, size, 0x55);

  g_assert_true (lpc_store_repair (fixture->path, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.agenda_items_saved, ==, 3);
  g_assert_cmpuint (report.settings_saved, ==, 0);
  g_assert_true (report.program_saved);

  store = open_store (fixture);
  loaded = lpc_store_load_program (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->entries->len, ==, 10);
  g_assert_cmpstr (loaded->source_hash, ==, "hash-1");
  lpc_repair_report_clear (&report);
}

static void
test_repair_mid_table (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = open_store (fixture);
  g_autoptr (LpcProgram) program = lpc_program_new ("Big", "UTC");
  g_autoptr (GError) error = NULL;
  g_autofree char *note = g_strnfill (600, 'n');
  g_autofree char *sql = NULL;
  LpcRepairReport report = { 0 };
  gint64 n_leaves, page, n_lost, size;
  sqlite3 *db;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("t%03u", i);
      add_entry (program, LPC_ENTRY_TALK, id, id, "Track", "Room", T0 + i * 60, 30, NULL);
    }
  import (store, program, NULL);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("t%03u", i);
      add_item (store, id, 3, i + 1, note);
    }
  g_clear_pointer (&store, lpc_store_free);

  /* A bad leaf page in the middle of the agenda: the rows before and after
   * it must still be saved. */
  db = raw_open (fixture->path);
  if (sqlite3_exec (db, "SELECT 1 FROM dbstat LIMIT 1", NULL, NULL, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      g_test_skip ("this SQLite has no dbstat table to find a page with");
      return;
    }
  n_leaves = raw_int (db, "SELECT count(*) FROM dbstat WHERE name = 'agenda'"
                          " AND pagetype = 'leaf'");
  g_assert_cmpint (n_leaves, >=, 5);
  sql = g_strdup_printf ("SELECT pageno FROM dbstat WHERE name = 'agenda' AND pagetype = 'leaf'"
                         " ORDER BY path LIMIT 1 OFFSET %" G_GINT64_FORMAT,
                         n_leaves / 2);
  page = raw_int (db, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT ncell FROM dbstat WHERE pageno = %" G_GINT64_FORMAT, page);
  n_lost = raw_int (db, sql);
  size = raw_int (db, "PRAGMA page_size");
  sqlite3_close (db);
  scribble (fixture->path, (page - 1) * size, size, 0x55);

  g_assert_true (lpc_store_repair (fixture->path, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.agenda_items_saved, ==, 300 - n_lost);
  g_assert_true (report.program_saved);

  store = open_store (fixture);
  lpc_agenda_item_free (get_item (store, "t000"));
  lpc_agenda_item_free (get_item (store, "t299"));
  lpc_repair_report_clear (&report);
}

static void
test_repair_garbage (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  LpcRepairReport report = { 0 };
  Snapshot garbage = { 0 };

  make_folder (fixture);
  write_file (fixture->path, "this is not a database\n", 23);
  snapshot_take (&garbage, fixture->path);

  g_assert_true (lpc_store_repair (fixture->path, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.agenda_items_saved, ==, 0);
  g_assert_false (report.program_saved);
  snapshot_assert_unchanged (&garbage, report.backup_path);

  store = open_store (fixture);
  items = lpc_store_agenda_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
  lpc_repair_report_clear (&report);
  snapshot_clear (&garbage);

  /* Nothing there: nothing to repair. */
  g_clear_pointer (&store, lpc_store_free);
  remove_tree (fixture->folder);
  g_assert_false (lpc_store_repair (fixture->path, &report, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
}

static void
test_repair_newer_refused (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  LpcRepairReport report = { 0 };
  Snapshot snapshot = { 0 };
  sqlite3 *db;

  make_populated_store (fixture);
  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);
  snapshot_take (&snapshot, fixture->path);
  g_assert_false (lpc_store_repair (fixture->path, &report, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  snapshot_assert_unchanged (&snapshot, fixture->path);
  g_assert_false (has_leftovers (fixture));
  snapshot_clear (&snapshot);
}

/* ---- storage faults ---- */

/* Every change a store offers, each expected to fail with LPC_ERROR_STORAGE
 * whose message has all of @words; and nothing changed. */
static void
assert_every_change_fails (LpcStore *store, const char *const *words)
{
  g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("btf");
  g_autoptr (LpcAgendaItem) update = get_item (store, "xdp");
  g_autoptr (LpcProgram) program = make_program ();
  LpcStoreItemChange change = { .entry_id = "shaders", .skip = TRUE };
  const char *const accepted[] = { "gpu", "xdp" };
  GError *errors[9] = { NULL };
  gboolean already = FALSE;

  g_free (update->note);
  update->note = g_strdup ("changed");
  g_assert_false (lpc_store_agenda_add (store, item, &already, &errors[0]));
  g_assert_false (lpc_store_agenda_remove (store, "xdp", &errors[1]));
  g_assert_false (lpc_store_agenda_set_state (store, "xdp", LPC_ITEM_SKIPPED, &errors[2]));
  g_assert_false (lpc_store_agenda_update (store, update, &errors[3]));
  g_assert_false (lpc_store_agenda_retarget (store, "xdp", "btf", &errors[4]));
  g_assert_false (lpc_store_agenda_resolve (store, &change, 1, accepted, 1, &errors[5]));
  g_assert_false (lpc_store_set_setting (store, "lead-time", "9", &errors[6]));
  g_assert_false (lpc_store_log_reminder (store, "shaders", T0, 5, T0, LPC_REMINDER_SHOWN,
                                          &errors[7]));
  g_free (program->source_hash);
  program->source_hash = g_strdup ("hash-2");
  g_assert_false (lpc_store_import_program (store, program, NULL, &errors[8]));
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_assert_error (errors[i], LPC_ERROR, LPC_ERROR_STORAGE);
      g_test_message ("change %u: %s", i, errors[i]->message);
      g_assert_nonnull (strstr (errors[i]->message, lpc_store_get_path (store)));
      for (guint w = 0; words[w] != NULL; w++)
        g_assert_nonnull (strstr (errors[i]->message, words[w]));
      g_error_free (errors[i]);
    }
}

/* What a populated store reads back through @store's own connection. */
static void
assert_reads_work (LpcStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = lpc_store_agenda_list (store, &error);
  g_autoptr (LpcProgram) program = NULL;
  g_autoptr (LpcEntry) entry = NULL;
  g_autofree char *abstract = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  program = lpc_store_load_program_lean (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (program->entries->len, ==, 10);
  entry = lpc_store_get_entry (store, "xdp", &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  abstract = lpc_store_dup_abstract (store, "xdp", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (abstract, ==, "First paragraph.\n\nSecond paragraph.");
  assert_setting (store, "lead-time", "7");
  g_assert_true (lpc_store_reminder_logged (store, "xdp", T0, 5));
  assert_state (store, "xdp", LPC_ITEM_PLANNED);
}

static void
test_read_only_open (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  const char *const words[] = { "read-only", "cannot save", NULL };
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = sibling (fixture->path, "-wal");
  g_autofree char *shm = sibling (fixture->path, "-shm");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Snapshot snapshot = { 0 };

  make_populated_store (fixture);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  before = dump_store (fixture->path);
  snapshot_take (&snapshot, fixture->path);

  /* As where the folder cannot be written (which root cannot be shown with
   * a mode): the store reads as ever and refuses every change, by name. */
  store = lpc_store_open_full (fixture->path, LPC_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_nonnull (lpc_store_get_read_only_reason (store));
  g_assert_null (lpc_store_get_unavailable_message (store));
  assert_reads_work (store);
  assert_every_change_fails (store, words);
  /* A refused change leaves the connection usable. */
  assert_reads_work (store);
  g_clear_pointer (&store, lpc_store_free);

  /* Not a byte written, and no -wal or -shm made beside it. */
  snapshot_assert_unchanged (&snapshot, fixture->path);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);
  snapshot_clear (&snapshot);

  /* A writable open afterwards works as ever. */
  store = open_store (fixture);
  add_item (store, "btf", 3, 400, NULL);
}

static void
test_read_only_refusals (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *wanted = NULL;
  Snapshot snapshot = { 0 };
  sqlite3 *db;

  /* Nothing there: nothing can be created either. */
  make_folder (fixture);
  store = lpc_store_open_full (fixture->path, LPC_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* An empty file has no agenda to read. */
  write_file (fixture->path, "", 0);
  store = lpc_store_open_full (fixture->path, LPC_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);
  g_remove (fixture->path);

  /* An older schema would have to be migrated, which is a write. */
  db = raw_open (fixture->path);
  raw_exec (db, v1_schema);
  wanted = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 1;",
                            (int) LPC_STORE_APPLICATION_ID);
  raw_exec (db, wanted);
  sqlite3_close (db);
  snapshot_take (&snapshot, fixture->path);
  store = lpc_store_open_full (fixture->path, LPC_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "older lpc-agenda"));
  snapshot_assert_unchanged (&snapshot, fixture->path);
  snapshot_clear (&snapshot);
}

static void
test_unavailable_store (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("btf");
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gboolean already = FALSE;
  Snapshot snapshot = { 0 };

  make_populated_store (fixture);
  before = dump_store (fixture->path);
  snapshot_take (&snapshot, fixture->path);
  store = lpc_store_new_unavailable (fixture->path, "it cannot be used: repair it");
  g_assert_cmpstr (lpc_store_get_unavailable_message (store), ==, "it cannot be used: repair it");
  g_assert_cmpstr (lpc_store_get_path (store), ==, fixture->path);

  /* Reads and writes fail with the message, and nothing crashes. */
  g_assert_null (lpc_store_agenda_list (store, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_cmpstr (error->message, ==, "it cannot be used: repair it");
  g_clear_error (&error);
  g_assert_null (lpc_store_load_program_lean (store, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_null (lpc_store_accepted_overlaps (store, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_false (lpc_store_agenda_add (store, item, &already, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_cmpstr (error->message, ==, "it cannot be used: repair it");
  g_clear_error (&error);
  g_assert_false (lpc_store_set_setting (store, "lead-time", "1", &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  lpc_store_release_memory (store);
  g_clear_pointer (&store, lpc_store_free);

  snapshot_assert_unchanged (&snapshot, fixture->path);
  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);
  snapshot_clear (&snapshot);
}

/* A full disk, as SQLite sees one: the database may not grow past the pages
 * it has (PRAGMA max_page_count). */
static void
set_max_pages (LpcStore *store, gint64 pages)
{
  sqlite3 *db = lpc_store_get_db_for_tests (store);
  g_autofree char *sql = NULL;

  if (pages == 0)
    pages = raw_int (db, "PRAGMA page_count");
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);
  raw_exec (db, sql);
}

static void
test_disk_full (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  const char *const words[] = { "disk full", NULL };
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = make_program ();
  g_autoptr (LpcAgendaItem) item = lpc_agenda_item_new ("btf");
  g_autofree char *big = g_strnfill (256 * 1024, 'x');
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gboolean already = FALSE;

  make_populated_store (fixture);
  store = open_store (fixture);
  before = dump_store (fixture->path);
  set_max_pages (store, 0);

  /* A setting that needs new pages, a program import, an agenda item with a
   * long note: each fails whole, saying so, and the store stays usable. */
  g_assert_false (lpc_store_set_setting (store, "big", big, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, words[0]));
  g_clear_error (&error);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr (LpcEntry) entry = lpc_entry_copy (find_entry (program, "tracing"));
      entry->id = (g_free (entry->id), g_strdup_printf ("extra-%u", i));
      entry->identity = (g_free (entry->identity), g_strdup_printf ("talk|extra|%u", i));
      entry->abstract = (g_free (entry->abstract), g_strnfill (2000, 'a'));
      lpc_program_take_entry (program, g_steal_pointer (&entry));
    }
  g_free (program->source_hash);
  program->source_hash = g_strdup ("hash-2");
  g_assert_false (lpc_store_import_program (store, program, NULL, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, words[0]));
  g_clear_error (&error);

  g_free (item->note);
  item->note = g_strdup (big);
  g_assert_false (lpc_store_agenda_add (store, item, &already, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, words[0]));
  g_clear_error (&error);

  /* Nothing half-applied, nothing stored lost; reads work. */
  assert_reads_work (store);
  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);

  /* Space again: the same changes go through. */
  set_max_pages (store, G_MAXINT32);
  g_assert_true (lpc_store_set_setting (store, "big", big, &error));
  g_assert_no_error (error);
  g_assert_true (lpc_store_agenda_add (store, item, &already, &error));
  g_assert_no_error (error);
  import (store, program, NULL);
  g_autoptr (LpcEntry) extra = lpc_store_get_entry (store, "extra-199", NULL);
  g_assert_nonnull (extra);
}

/* ---- fault injection: a VFS whose writes fail as write(2) would ---- */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs faulty_vfs;
static int fault_errno; /* non-zero: every write and truncate fails with it */

typedef struct
{
  sqlite3_file base;
  sqlite3_file *real; /* right after this struct, in the same allocation */
} FaultyFile;

#define REAL(file) (((FaultyFile *) (file))->real)

static int
faulty_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
faulty_read (sqlite3_file *file, void *buf, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buf, amount, offset);
}

/* As the unix VFS maps errno: ENOSPC is SQLITE_FULL, the rest an I/O error. */
static int
injected_write_error (void)
{
  return fault_errno == ENOSPC ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

static int
faulty_write (sqlite3_file *file, const void *buf, int amount, sqlite3_int64 offset)
{
  if (fault_errno != 0)
    return injected_write_error ();
  return REAL (file)->pMethods->xWrite (REAL (file), buf, amount, offset);
}

static int
faulty_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  if (fault_errno != 0)
    return SQLITE_IOERR_TRUNCATE;
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
faulty_sync (sqlite3_file *file, int flags)
{
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
faulty_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
faulty_lock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
faulty_unlock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
faulty_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
faulty_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
faulty_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
faulty_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
faulty_shm_map (sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), page, size, extend, out);
}

static int
faulty_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
faulty_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
faulty_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
faulty_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, out);
}

static int
faulty_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *page)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, page);
}

static const sqlite3_io_methods faulty_io = {
  3,
  faulty_close,
  faulty_read,
  faulty_write,
  faulty_truncate,
  faulty_sync,
  faulty_file_size,
  faulty_lock,
  faulty_unlock,
  faulty_check_reserved_lock,
  faulty_file_control,
  faulty_sector_size,
  faulty_device_characteristics,
  faulty_shm_map,
  faulty_shm_lock,
  faulty_shm_barrier,
  faulty_shm_unmap,
  faulty_fetch,
  faulty_unfetch,
};

static int
faulty_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  FaultyFile *self = (FaultyFile *) file;
  int rc;

  self->real = (sqlite3_file *) (self + 1);
  rc = real_vfs->xOpen (real_vfs, name, self->real, flags, out_flags);
  self->base.pMethods = self->real->pMethods != NULL ? &faulty_io : NULL;
  return rc;
}

/* sqlite3_system_errno() asks this right after the failed call. */
static int
faulty_get_last_error (sqlite3_vfs *vfs, int size, char *buf)
{
  if (fault_errno != 0)
    return fault_errno;
  return real_vfs->xGetLastError (real_vfs, size, buf);
}

/* Makes the faulty VFS the default, for the stores opened until
 * uninstall_faulty_vfs(). */
static void
install_faulty_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  faulty_vfs = *real_vfs;
  faulty_vfs.pNext = NULL;
  faulty_vfs.zName = "lpc-faulty";
  faulty_vfs.szOsFile = (int) sizeof (FaultyFile) + real_vfs->szOsFile;
  faulty_vfs.xOpen = faulty_open;
  faulty_vfs.xGetLastError = faulty_get_last_error;
  fault_errno = 0;
  g_assert_cmpint (sqlite3_vfs_register (&faulty_vfs, 1), ==, SQLITE_OK);
}

static void
uninstall_faulty_vfs (void)
{
  fault_errno = 0;
  sqlite3_vfs_unregister (&faulty_vfs);
  g_assert_cmpint (sqlite3_vfs_register (real_vfs, 1), ==, SQLITE_OK);
}

/* The disk fails, or fills, while the store is open: every change fails
 * whole, naming the file and the cause; reads go on; once writes work again,
 * so do changes. (A file system that goes read-only fails the same writes;
 * store_fail() then finds the folder unwritable, which root cannot be shown
 * here.) */
static void
test_write_faults_while_open (Fixture *fixture, gconstpointer data)
{
  int injected = GPOINTER_TO_INT (data);
  const char *const eio_words[] = { "I/O error", "nothing was saved", NULL };
  const char *const full_words[] = { "disk full", "nothing was saved", NULL };
  g_autoptr (LpcStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_populated_store (fixture);
  install_faulty_vfs ();
  store = open_store (fixture);
  before = dump_store (fixture->path);

  fault_errno = injected;
  assert_every_change_fails (store, injected == ENOSPC ? full_words : eio_words);
  /* Reads do not write (a read-only file system lets them through). */
  assert_reads_work (store);
  fault_errno = 0;

  after = dump_store (fixture->path);
  g_assert_cmpstr (after, ==, before);
  add_item (store, "btf", 3, 400, NULL);
  g_assert_true (lpc_store_set_setting (store, "lead-time", "9", &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, lpc_store_free);
  uninstall_faulty_vfs ();

  store = open_store (fixture);
  assert_setting (store, "lead-time", "9");
  g_autoptr (LpcAgendaItem) btf = get_item (store, "btf");
  g_assert_nonnull (btf);
}


int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/open/create", test_open_create);
  ADD ("/store/open/pragmas", test_open_pragmas);
  ADD ("/store/locked-by-another-program", test_locked_by_another_program);
  ADD ("/store/open/empty-file", test_open_empty_file);
  ADD ("/store/open/folder-blocked", test_open_folder_blocked);
  ADD ("/store/open/not-regular", test_open_not_regular);
  ADD ("/store/refuse/garbage", test_refuse_garbage);
  ADD ("/store/refuse/foreign", test_refuse_foreign);
  ADD ("/store/refuse/corrupt", test_refuse_corrupt);
  ADD ("/store/refuse/newer", test_refuse_newer);
  ADD ("/store/migrate/v1", test_migrate_v1);
  ADD ("/store/migrate/v2", test_migrate_v2);
  ADD ("/store/agenda/basic", test_agenda_basic);
  ADD ("/store/agenda/errors", test_agenda_errors);
  ADD ("/store/agenda/retarget", test_agenda_retarget);
  ADD ("/store/agenda/resolve", test_agenda_resolve);
  ADD ("/store/settings", test_settings);
  ADD ("/store/reminder-log", test_reminder_log);
  ADD ("/store/reminder-outcome", test_reminder_outcome);
  ADD ("/store/import/first", test_import_first);
  ADD ("/store/import/reimport", test_import_reimport);
  ADD ("/store/import/id-collision", test_import_id_collision);
  ADD ("/store/import/restored", test_import_restored);
  ADD ("/store/import/restored-keeps-state", test_import_restored_keeps_state);
  ADD ("/store/import/switch-keeps-state", test_import_switch_keeps_state);
  ADD ("/store/import/invalid", test_import_invalid);
  ADD ("/store/import/fails-midway", test_import_fails_midway);
  ADD ("/store/repair/corrupt", test_repair_corrupt);
  ADD ("/store/repair/keeps-program", test_repair_keeps_program);
  ADD ("/store/repair/mid-table", test_repair_mid_table);
  ADD ("/store/repair/garbage", test_repair_garbage);
  ADD ("/store/repair/healthy", test_repair_healthy);
  ADD ("/store/repair/newer-refused", test_repair_newer_refused);
  ADD ("/store/repair/keeps-accepted", test_repair_keeps_accepted);
  ADD ("/store/repair/keeps-state-before-cancel", test_repair_keeps_state_before_cancel);
  ADD ("/store/faults/read-only-open", test_read_only_open);
  ADD ("/store/faults/read-only-refusals", test_read_only_refusals);
  ADD ("/store/faults/unavailable", test_unavailable_store);
  ADD ("/store/faults/disk-full", test_disk_full);
#undef ADD
  g_test_add ("/store/faults/while-open/io-error", Fixture, GINT_TO_POINTER (EIO), fixture_setup,
              test_write_faults_while_open, fixture_teardown);
  g_test_add ("/store/faults/while-open/disk-full", Fixture, GINT_TO_POINTER (ENOSPC),
              fixture_setup, test_write_faults_while_open, fixture_teardown);

  return g_test_run ();
}
