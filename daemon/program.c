/* program.c: the program model's constructors, lookups and small helpers. */
#include "program.h"

#include <string.h>

LpcEntry *
lpc_entry_new (void)
{
  LpcEntry *entry = g_new0 (LpcEntry, 1);

  entry->speakers = g_new0 (char *, 1);
  entry->conveners = g_new0 (char *, 1);
  entry->abstract = g_strdup ("");
  return entry;
}

LpcEntry *
lpc_entry_copy (const LpcEntry *entry)
{
  LpcEntry *copy = g_new0 (LpcEntry, 1);

  copy->id = g_strdup (entry->id);
  copy->kind = entry->kind;
  copy->title = g_strdup (entry->title);
  copy->track = g_strdup (entry->track);
  copy->room = g_strdup (entry->room);
  copy->start = entry->start;
  copy->end = entry->end;
  copy->speakers = g_strdupv (entry->speakers);
  copy->conveners = g_strdupv (entry->conveners);
  copy->abstract = g_strdup (entry->abstract);
  copy->parent_id = g_strdup (entry->parent_id);
  copy->occurrence_group = g_strdup (entry->occurrence_group);
  copy->identity = g_strdup (entry->identity);
  copy->source_line = entry->source_line;
  return copy;
}

void
lpc_entry_free (LpcEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->title);
  g_free (entry->track);
  g_free (entry->room);
  g_strfreev (entry->speakers);
  g_strfreev (entry->conveners);
  g_free (entry->abstract);
  g_free (entry->parent_id);
  g_free (entry->occurrence_group);
  g_free (entry->identity);
  g_free (entry);
}

static const char *const kind_names[] = { "session", "talk", "break" };

const char *
lpc_entry_kind_to_string (LpcEntryKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "unknown");
  return kind_names[kind];
}

gboolean
lpc_entry_kind_from_string (const char *str, LpcEntryKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (str, kind_names[i]) == 0)
        {
          *out_kind = (LpcEntryKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
lpc_entry_is_attendable (const LpcEntry *entry)
{
  return entry->kind != LPC_ENTRY_BREAK;
}

gint64
lpc_entry_duration_minutes (const LpcEntry *entry)
{
  return (entry->end - entry->start) / 60;
}

LpcProgram *
lpc_program_new (const char *name, const char *zone)
{
  LpcProgram *program = g_new0 (LpcProgram, 1);

  g_atomic_ref_count_init (&program->ref_count);
  program->name = g_strdup (name);
  program->timezone = g_strdup (zone);
  program->source_hash = g_strdup ("");
  program->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_entry_free);
  program->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  return program;
}

LpcProgram *
lpc_program_ref (LpcProgram *program)
{
  g_atomic_ref_count_inc (&program->ref_count);
  return program;
}

void
lpc_program_unref (LpcProgram *program)
{
  if (program == NULL || !g_atomic_ref_count_dec (&program->ref_count))
    return;
  g_hash_table_unref (program->by_id);
  g_ptr_array_unref (program->entries);
  g_free (program->name);
  g_free (program->timezone);
  g_free (program->source_hash);
  g_free (program);
}

void
lpc_program_take_entry (LpcProgram *program, LpcEntry *entry)
{
  g_return_if_fail (entry->id != NULL);
  g_return_if_fail (!g_hash_table_contains (program->by_id, entry->id));

  g_ptr_array_add (program->entries, entry);
  g_hash_table_insert (program->by_id, entry->id, entry);
}

const LpcEntry *
lpc_program_lookup (LpcProgram *program, const char *id)
{
  return g_hash_table_lookup (program->by_id, id);
}

guint
lpc_program_count_kind (LpcProgram *program, LpcEntryKind kind)
{
  guint n = 0;

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);
      if (entry->kind == kind)
        n++;
    }
  return n;
}

static inline guint64
rotate_left (guint64 x, int bits)
{
  return (x << bits) | (x >> (64 - bits));
}

/* The final avalanche: every input bit flips each output bit with
 * probability ~1/2 (the multiply-xorshift finaliser of MurmurHash3). */
static inline guint64
mix_final (guint64 h)
{
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h;
}

char *
lpc_content_hash (const void *data, gsize len)
{
  const guint8 *bytes = data;
  /* Two lanes with different odd multipliers and rotations; each word
   * feeds both, so they are two independent 64-bit hashes of the input. */
  guint64 a = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ len;
  guint64 b = G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f) ^ (len * 31);
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 word;

      /* memcpy: @data has no alignment promise; compilers make it one load. */
      memcpy (&word, bytes + i, sizeof word);
      a = rotate_left ((a ^ word) * G_GUINT64_CONSTANT (0x87c37b91114253d5), 31);
      b = rotate_left ((b ^ word) * G_GUINT64_CONSTANT (0x4cf5ad432745937f), 29);
    }
  if (i < len)
    {
      guint64 tail = 0;

      memcpy (&tail, bytes + i, len - i);
      /* Distinguishes "ab" from "ab\0": the tail's length goes in with it. */
      tail ^= (guint64) (len - i) << 56;
      a = rotate_left ((a ^ tail) * G_GUINT64_CONSTANT (0x87c37b91114253d5), 31);
      b = rotate_left ((b ^ tail) * G_GUINT64_CONSTANT (0x4cf5ad432745937f), 29);
    }
  a = mix_final (a + b);
  b = mix_final (b + a);
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x", a, b);
}
