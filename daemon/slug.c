/* slug.c: ids, identities, parents and occurrence groups for a program's
 * entries. Everything here is linear in the number of entries (hash tables,
 * no pairwise searches), so a 100,000-entry program costs no more per entry
 * than the 300-entry one. */
#include "slug.h"

#include "program-file.h"

#include <string.h>

static gboolean
is_ascii (const char *str)
{
  for (const char *p = str; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        return FALSE;
    }
  return TRUE;
}

/* Writes the slug of @title into @out (emptied first). */
static void
slugify_into (GString *out, const char *title, gsize max_len)
{
  g_autofree char *ascii = NULL;
  const char *src = title;
  gboolean pending_dash = FALSE;

  /* The "C" locale makes the transliteration the same on every machine, which
   * ids need more than the nicest possible rendering of a name. */
  if (!is_ascii (title))
    {
      ascii = g_str_to_ascii (title, "C");
      src = ascii;
    }

  g_string_truncate (out, 0);
  /* One character past @max_len is enough to know where to cut. */
  for (const char *p = src; *p != '\0' && out->len <= max_len; p++)
    {
      char c = g_ascii_tolower (*p);

      /* "IoThree's" reads better as "iothrees" than as "iothree-s". */
      if (c == '\'')
        continue;
      if (g_ascii_isalnum (c))
        {
          if (pending_dash && out->len > 0)
            g_string_append_c (out, '-');
          pending_dash = FALSE;
          g_string_append_c (out, c);
        }
      else
        {
          pending_dash = TRUE;
        }
    }

  if (out->len > max_len)
    {
      gsize cut = max_len;

      /* Cut where a word ends; only a single word longer than @max_len is cut
       * inside itself. */
      if (out->str[max_len] != '-')
        {
          const char *dash = g_strrstr_len (out->str, (gssize) max_len, "-");
          if (dash != NULL && dash > out->str)
            cut = (gsize) (dash - out->str);
        }
      g_string_truncate (out, cut);
      while (out->len > 0 && out->str[out->len - 1] == '-')
        g_string_truncate (out, out->len - 1);
    }

  if (out->len == 0)
    g_string_assign (out, "entry");
}

char *
lpc_slugify (const char *title, gsize max_len)
{
  GString *out;

  g_return_val_if_fail (title != NULL, g_strdup ("entry"));
  g_return_val_if_fail (max_len > 0, g_strdup ("entry"));

  out = g_string_new (NULL);
  slugify_into (out, title, max_len);
  return g_string_free (out, FALSE);
}

/* Every string the passes below count or look up is interned once in a table
 * of Keys: one string hash per lookup, after which counts and flags are
 * reached through the Key pointer. Strings and Keys live in pools freed at
 * once at the end, which for 100,000 entries is most of the cost saved. */
typedef struct
{
  const char *str;    /* in the chunk */
  guint n;            /* how many entries have it (what "it" is depends on the table) */
  guint n_wanted;     /* ids: how many entries want it as their id */
  guint next_ordinal; /* ids: the next "-N" to try for it */
  gboolean taken;     /* ids: given out, or reserved for the one entry that wants it */
  /* Occurrence groups: the earliest talk seen under this key, and the
   * earliest in a block other than that one's. Enough to find an earlier
   * talk in a block other than the current one, whichever that is. */
  LpcEntry *first;
  const LpcEntry *first_block;
  LpcEntry *other;
} Key;

#define KEYS_PER_POOL 1024

typedef struct
{
  GStringChunk *chunk;
  GPtrArray *pools; /* Key[KEYS_PER_POOL] each */
  guint pool_used;
  GString *scratch;
  GTimeZone *tz;
  Key **slugs; /* parallel to program->entries: the title's slug */
} Ids;

static Key *
key_lookup (GHashTable *table, const char *str)
{
  return g_hash_table_lookup (table, str);
}

static Key *
key_intern (Ids *ids, GHashTable *table, const char *str)
{
  Key *key = g_hash_table_lookup (table, str);

  if (key != NULL)
    return key;

  if (ids->pools->len == 0 || ids->pool_used == KEYS_PER_POOL)
    {
      g_ptr_array_add (ids->pools, g_new (Key, KEYS_PER_POOL));
      ids->pool_used = 0;
    }
  key = (Key *) g_ptr_array_index (ids->pools, ids->pools->len - 1) + ids->pool_used++;
  memset (key, 0, sizeof (*key));
  key->str = g_string_chunk_insert (ids->chunk, str);
  g_hash_table_insert (table, (gpointer) key->str, key);
  return key;
}

static GHashTable *
key_table_new (void)
{
  return g_hash_table_new (g_str_hash, g_str_equal);
}

/* Whether no other entry of the program has @entry's title, even casefolded,
 * so it needs no counting by title: equal titles have equal slugs, and so do
 * ASCII titles equal but for case. */
static gboolean
title_is_unique (Ids *ids, guint i, const LpcEntry *entry)
{
  return ids->slugs[i]->n == 1 && entry->title != NULL && is_ascii (entry->title);
}

static const char *const day_abbrevs[] = { "thu", "fri", "sat", "sun", "mon", "tue", "wed" };

/* "mon".."sun" of @unix_time in the program's zone. Plain arithmetic on the
 * zone's offset: a GDateTime per entry would cost more than the rest. */
static const char *
day_abbrev (Ids *ids, gint64 unix_time)
{
  int interval = g_time_zone_find_interval (ids->tz, G_TIME_TYPE_UNIVERSAL, unix_time);
  gint64 local = unix_time + g_time_zone_get_offset (ids->tz, interval);
  gint64 days = local / 86400 - (local % 86400 < 0 ? 1 : 0);

  /* Day 0, 1970-01-01, was a Thursday. */
  return day_abbrevs[((days % 7) + 7) % 7];
}

/* Ids: the title's slug where it is unique; else slug-day where that is
 * unique; else slug-day, slug-day-2, ... in program order. Ids that are unique
 * as wanted are reserved first, so a generated "-2" never takes the id that a
 * title of its own asked for. All of it depends on program order only, so the
 * same text always gives the same ids. */
static void
assign_slugs (Ids *ids, LpcProgram *program)
{
  GPtrArray *entries = program->entries;
  g_autofree Key **wants = g_new0 (Key *, entries->len + 1);
  g_autoptr (GHashTable) slugs = key_table_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);

      slugify_into (ids->scratch, entry->title != NULL ? entry->title : "", LPC_SLUG_MAX_LEN);
      ids->slugs[i] = key_intern (ids, slugs, ids->scratch->str);
      ids->slugs[i]->n++;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (entries, i);

      wants[i] = ids->slugs[i];
      if (wants[i]->n > 1)
        {
          g_string_assign (ids->scratch, wants[i]->str);
          g_string_append_c (ids->scratch, '-');
          g_string_append (ids->scratch, day_abbrev (ids, entry->start));
          wants[i] = key_intern (ids, slugs, ids->scratch->str);
        }
      wants[i]->n_wanted++;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      if (wants[i]->n_wanted == 1)
        wants[i]->taken = TRUE;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (entries, i);
      Key *want = wants[i];

      g_free (entry->id);
      if (want->n_wanted == 1)
        {
          entry->id = g_strdup (want->str);
          continue;
        }

      for (guint ordinal = MAX (want->next_ordinal, 1);; ordinal++)
        {
          Key *candidate = want;

          if (ordinal > 1)
            {
              g_string_printf (ids->scratch, "%s-%u", want->str, ordinal);
              candidate = key_intern (ids, slugs, ids->scratch->str);
            }
          if (!candidate->taken)
            {
              candidate->taken = TRUE;
              want->next_ordinal = ordinal + 1;
              entry->id = g_strdup (candidate->str);
              break;
            }
        }
    }
}

/* Appends @str with '|' and '\\' escaped by a '\\', so that the parts of an
 * identity cannot run into each other: unescaped, the track "A|B" with the
 * title "C" and the track "A" with the title "B|C" gave the same identity,
 * and the store refused the program. */
static void
append_identity_part (GString *out, const char *str)
{
  if (str == NULL)
    return;
  if (strpbrk (str, "|\\") == NULL)
    {
      g_string_append (out, str);
      return;
    }
  for (const char *p = str; *p != '\0'; p++)
    {
      if (*p == '|' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

/* "kind|track|title|n": time and room are left out on purpose, so a talk that
 * only moved is still the same talk; n tells apart the entries that share
 * the rest (the "Break"s of one track), counted in program order. */
static void
assign_identities (Ids *ids, LpcProgram *program)
{
  g_autoptr (GHashTable) seen = key_table_new ();
  GString *str = ids->scratch;

  for (guint i = 0; i < program->entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (program->entries, i);
      guint n = 1;

      g_string_assign (str, lpc_entry_kind_to_string (entry->kind));
      g_string_append_c (str, '|');
      append_identity_part (str, entry->track);
      g_string_append_c (str, '|');
      append_identity_part (str, entry->title);
      if (!title_is_unique (ids, i, entry))
        {
          Key *key = key_intern (ids, seen, str->str);
          n = ++key->n;
        }
      g_string_append_printf (str, "|%u", n);

      g_free (entry->identity);
      entry->identity = g_strndup (str->str, str->len);
    }
}

/* Fills @parents (parallel to program->entries) with each entry's block. */
static void
assign_parents (LpcProgram *program, const LpcEntry **parents)
{
  LpcEntry *block = NULL;

  for (guint i = 0; i < program->entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (program->entries, i);

      g_clear_pointer (&entry->parent_id, g_free);
      if (entry->kind == LPC_ENTRY_SESSION)
        {
          block = entry;
          parents[i] = NULL;
          continue;
        }
      if (block != NULL)
        entry->parent_id = g_strdup (block->id);
      parents[i] = block;
    }
}

/* Appends @str casefolded; titles are nearly always ASCII, where a byte-wise
 * lowercase is the same and much cheaper. */
static void
append_folded (GString *out, const char *str)
{
  gsize start = out->len;

  if (is_ascii (str))
    {
      g_string_append (out, str);
      for (gsize i = start; i < out->len; i++)
        out->str[i] = g_ascii_tolower (out->str[i]);
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (str, -1);
      g_string_append (out, folded);
    }
}

/* An earlier talk under @str in a block other than @block, if any. With
 * @remember, also remembers @entry under @str. */
static LpcEntry *
seen_before (Ids *ids, GHashTable *table, const char *str, LpcEntry *entry, const LpcEntry *block,
             gboolean remember)
{
  Key *key = remember ? key_intern (ids, table, str) : key_lookup (table, str);
  LpcEntry *earlier;

  if (key == NULL)
    return NULL;
  if (key->first == NULL)
    {
      key->first = entry;
      key->first_block = block;
      return NULL;
    }
  earlier = key->first_block != block ? key->first : key->other;
  if (remember && key->other == NULL && key->first_block != block)
    key->other = entry;
  return earlier;
}

/* A speaker as the same person whatever affiliation or title the program
 * gave them that day: "Mr Laurent Dufour" and "Laurent Dufour (IBM)". */
static void
append_person (GString *out, GString *scratch, const char *person)
{
  static const char *const honorifics[] = { "mr ", "mrs ", "ms ", "dr ", "prof " };
  gsize start;
  int depth = 0;

  g_string_truncate (scratch, 0);
  for (const char *p = person; *p != '\0'; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')' && depth > 0)
        depth--;
      else if (depth == 0)
        g_string_append_c (scratch, *p);
    }
  g_strstrip (scratch->str);
  start = out->len;
  append_folded (out, scratch->str);
  for (guint i = 0; i < G_N_ELEMENTS (honorifics); i++)
    {
      gsize n = strlen (honorifics[i]);
      if (out->len - start > n && strncmp (out->str + start, honorifics[i], n) == 0)
        {
          g_string_erase (out, (gssize) start, (gssize) n);
          break;
        }
    }
}

static void
join_group (LpcEntry *entry, LpcEntry *earlier)
{
  if (earlier == NULL || entry->occurrence_group != NULL)
    return;
  if (earlier->occurrence_group == NULL)
    earlier->occurrence_group = g_strdup (earlier->id);
  entry->occurrence_group = g_strdup (earlier->occurrence_group);
}

static gboolean
is_word_byte (char c)
{
  return g_ascii_isalnum (c) || (guchar) c >= 0x80;
}

/* The same talk held more than once: a talk of the same (casefolded) title in
 * another block, with a speaker in common or in a block whose title extends
 * the other's ("Android MC" / "Android MC: Android reprise"). Two talks that
 * are merely both called "Introduction" share neither. Block-title prefixes
 * are taken at word ends, so "Android" never matches "Androids"; equal block
 * titles (the same track on another day) count as prefixes. */
static void
assign_occurrence_groups (Ids *ids, LpcProgram *program, const LpcEntry **parents)
{
  GPtrArray *entries = program->entries;
  g_autofree Key **titles = g_new0 (Key *, entries->len + 1);
  g_autoptr (GHashTable) title_table = key_table_new ();
  g_autoptr (GHashTable) by_speaker = key_table_new ();
  g_autoptr (GHashTable) by_track = key_table_new ();
  g_autoptr (GHashTable) by_track_prefix = key_table_new ();
  g_autoptr (GString) track = g_string_new (NULL);
  g_autoptr (GString) person = g_string_new (NULL);
  g_autoptr (GArray) prefix_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  GString *str = ids->scratch;
  const LpcEntry *track_block = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (entries, i);

      g_clear_pointer (&entry->occurrence_group, g_free);
      /* Most titles occur once: they need none of the work below. */
      if (entry->kind != LPC_ENTRY_TALK || entry->title == NULL || title_is_unique (ids, i, entry))
        continue;
      g_string_truncate (str, 0);
      append_folded (str, entry->title);
      titles[i] = key_intern (ids, title_table, str->str);
      titles[i]->n++;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (entries, i);
      const LpcEntry *block = parents[i];
      gsize title_len;

      if (titles[i] == NULL || titles[i]->n < 2)
        continue;

      if (block != track_block || track_block == NULL)
        {
          track_block = block;
          g_string_truncate (track, 0);
          append_folded (track, entry->track != NULL ? entry->track : "");
          g_array_set_size (prefix_ends, 0);
          for (gsize k = 1; k <= track->len; k++)
            {
              if (is_word_byte (track->str[k - 1])
                  && (k == track->len || !is_word_byte (track->str[k])))
                g_array_append_val (prefix_ends, k);
            }
          if (prefix_ends->len == 0
              || g_array_index (prefix_ends, gsize, prefix_ends->len - 1) != track->len)
            g_array_append_val (prefix_ends, track->len);
        }

      g_string_assign (str, titles[i]->str);
      g_string_append_c (str, '\n');
      title_len = str->len;

      for (guint s = 0; entry->speakers[s] != NULL; s++)
        {
          g_string_truncate (str, title_len);
          append_person (str, person, entry->speakers[s]);
          if (str->len > title_len)
            join_group (entry, seen_before (ids, by_speaker, str->str, entry, block, TRUE));
        }

      /* An earlier block's title is a prefix of this one's; remembered under
       * every prefix of this one's for the other way round. */
      for (guint k = 0; k < prefix_ends->len; k++)
        {
          g_string_truncate (str, title_len);
          g_string_append_len (str, track->str, (gssize) g_array_index (prefix_ends, gsize, k));
          join_group (entry, seen_before (ids, by_track, str->str, entry, block, FALSE));
          seen_before (ids, by_track_prefix, str->str, entry, block, TRUE);
        }
      /* This block's title is a prefix of an earlier one's: the string is now
       * the whole track, the last of the prefixes. */
      join_group (entry, seen_before (ids, by_track_prefix, str->str, entry, block, FALSE));
      seen_before (ids, by_track, str->str, entry, block, TRUE);
    }
}

/* With @identities FALSE, the entries keep the identities they have: an
 * importer that sets them itself (lpc_program_assign_ids_keeping_identities())
 * would only throw ours away, and making them was a third of the work here. */
static void
assign_ids (LpcProgram *program, gboolean identities)
{
  g_autofree const LpcEntry **parents = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  Ids ids = { 0 };

  if (program->timezone != NULL)
    tz = g_time_zone_new_identifier (program->timezone);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  ids.tz = tz;
  ids.chunk = g_string_chunk_new (64 * 1024);
  ids.pools = g_ptr_array_new_with_free_func (g_free);
  ids.scratch = g_string_sized_new (256);
  ids.slugs = g_new0 (Key *, program->entries->len + 1);
  parents = g_new0 (const LpcEntry *, program->entries->len + 1);

  /* by_id borrows the ids about to be replaced. */
  g_hash_table_remove_all (program->by_id);

  assign_slugs (&ids, program);
  assign_parents (program, parents);
  if (identities)
    assign_identities (&ids, program);
  assign_occurrence_groups (&ids, program, parents);

  for (guint i = 0; i < program->entries->len; i++)
    {
      LpcEntry *entry = g_ptr_array_index (program->entries, i);
      g_hash_table_insert (program->by_id, entry->id, entry);
    }

  g_free (ids.slugs);
  g_string_free (ids.scratch, TRUE);
  g_ptr_array_unref (ids.pools);
  g_string_chunk_free (ids.chunk);
}

void
lpc_program_assign_ids (LpcProgram *program)
{
  g_return_if_fail (program != NULL);

  assign_ids (program, TRUE);
}

/* Declared in program-file.h, with the importers' helpers. */
void
lpc_program_assign_ids_keeping_identities (LpcProgram *program)
{
  g_return_if_fail (program != NULL);

  assign_ids (program, FALSE);
}
