/* program.h: the conference program as data — entries (session blocks, talks,
 * breaks) with UTC times, and the program that owns them. Plain C, no D-Bus. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LPC_ENTRY_SESSION, /* a block: a microconference, a track's half-day, a keynote slot */
  LPC_ENTRY_TALK,
  LPC_ENTRY_BREAK,
} LpcEntryKind;

typedef struct
{
  char *id;               /* short lowercase ASCII slug, unique in the program */
  LpcEntryKind kind;
  char *title;
  char *track;            /* the block's title (a block's own title for a block) */
  char *room;
  gint64 start;           /* Unix seconds, UTC */
  gint64 end;             /* Unix seconds, UTC; end >= start */
  GStrv speakers;         /* as written, affiliation kept; never NULL, maybe empty */
  GStrv conveners;        /* blocks only; never NULL, maybe empty */
  char *abstract;         /* paragraphs separated by "\n\n"; "" when none; NULL when
                           * loaded lean (lpc_store_load_program_lean()) */
  char *parent_id;        /* the block's id for talks and breaks; NULL for blocks */
  char *occurrence_group; /* shared by every occurrence of a talk held more than once
                           * (the id of its first occurrence); NULL otherwise */
  char *identity;         /* what makes this the same entry across re-imports whatever
                           * its time or room: "kind|track|title|n"; NULL when loaded
                           * lean */
  guint source_line;      /* 1-based line of the entry's bullet in its source file */
} LpcEntry;

typedef struct
{
  gatomicrefcount ref_count;
  char *name;           /* "Linux Plumbers Conference 2021" */
  char *timezone;       /* IANA zone the program's local times are in */
  char *source_hash;    /* lpc_content_hash() of the source file's bytes */
  GPtrArray *entries;   /* LpcEntry*, in program order: each block, then its entries */
  GHashTable *by_id;    /* id -> LpcEntry* (borrowed from entries) */
} LpcProgram;

LpcEntry *lpc_entry_new (void);
LpcEntry *lpc_entry_copy (const LpcEntry *entry);
void lpc_entry_free (LpcEntry *entry);
const char *lpc_entry_kind_to_string (LpcEntryKind kind);
/* A 128-bit hash of @len bytes, as 32 hex digits: for "has this file changed
 * since it was imported?", checked at every daemon start. Not cryptographic:
 * the file is the user's own (or the package's), so only accidental
 * collisions matter, and at 2^-128 they do not; in exchange it is ~15x
 * faster than SHA-256, which was a third of the shipped program's import. */
char *lpc_content_hash (const void *data, gsize len);

gboolean lpc_entry_kind_from_string (const char *str, LpcEntryKind *out_kind);
/* Talks and whole session blocks can be picked; breaks cannot. */
gboolean lpc_entry_is_attendable (const LpcEntry *entry);
/* Minutes, rounded down. */
gint64 lpc_entry_duration_minutes (const LpcEntry *entry);

/* Takes no entries; add them with lpc_program_take_entry(). */
LpcProgram *lpc_program_new (const char *name, const char *zone);
LpcProgram *lpc_program_ref (LpcProgram *program);
void lpc_program_unref (LpcProgram *program);
/* Takes ownership of @entry; its id must be unique in @program. */
void lpc_program_take_entry (LpcProgram *program, LpcEntry *entry);
const LpcEntry *lpc_program_lookup (LpcProgram *program, const char *id);
guint lpc_program_count_kind (LpcProgram *program, LpcEntryKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcEntry, lpc_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcProgram, lpc_program_unref)

G_END_DECLS
