/* fuzz-check.c: the checks every fuzz target applies to its parser's result;
 * see fuzz-check.h. */
#include "fuzz-check.h"
#include "conflicts.h"

#include "lpc-error.h"
#include "program-file.h"
#include "program-lpc-text.h"
#include "slug.h"

#include <string.h>

const LpcFuzzFormat lpc_fuzz_format_lpc_text = {
  .filename = "fuzz.txt",
  .zone = LPC_TEXT_TIMEZONE,
  .has_blocks = TRUE,
  .track_is_block_title = TRUE,
};

const LpcFuzzFormat lpc_fuzz_format_frab_xml = {
  .filename = "fuzz.xml",
  .has_blocks = TRUE,
  .inside_block = TRUE,
  .own_identities = TRUE,
  .max_duration = LPC_PROGRAM_MAX_DURATION,
};

/* The same schedule as the XML, in JSON (program-schedule.h). */
const LpcFuzzFormat lpc_fuzz_format_schedule_json = {
  .filename = "fuzz.json",
  .has_blocks = TRUE,
  .inside_block = TRUE,
  .own_identities = TRUE,
  .max_duration = LPC_PROGRAM_MAX_DURATION,
};

const LpcFuzzFormat lpc_fuzz_format_ics = {
  .filename = "fuzz.ics",
  .time_ordered = TRUE,
  .own_identities = TRUE,
  .own_occurrence_groups = TRUE,
  .max_duration = LPC_PROGRAM_MAX_DURATION,
};

static gboolean
is_id (const char *id)
{
  if (id == NULL || *id == '\0' || id[0] == '-' || id[strlen (id) - 1] == '-')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }
  return TRUE;
}

/* One line of UTF-8: what the store refuses in a name, and what D-Bus
 * refuses in any string. */
static gboolean
is_one_line (const char *str)
{
  return str != NULL && g_utf8_validate (str, -1, NULL) && strchr (str, '\n') == NULL;
}

static gboolean
all_one_line (GStrv strv)
{
  for (; strv != NULL && *strv != NULL; strv++)
    {
      if (!is_one_line (*strv) || **strv == '\0')
        return FALSE;
    }
  return strv != NULL;
}

static void
check_zone (const LpcFuzzFormat *format, const char *zone)
{
  g_autoptr (GTimeZone) tz = NULL;

  if (format->zone != NULL)
    {
      lpc_fuzz_check (g_strcmp0 (zone, format->zone) == 0);
      return;
    }
  /* A zone the rest of lpc-agenda can use: it shows local times in it. */
  lpc_fuzz_check (zone != NULL);
  tz = lpc_program_zone_new (zone);
  lpc_fuzz_check (tz != NULL);
}

/* Blocks and what nests in them. */
static void
check_nesting (const LpcFuzzFormat *format, const LpcEntry *entry, const LpcEntry *block)
{
  if (!format->has_blocks)
    {
      lpc_fuzz_check (entry->kind != LPC_ENTRY_SESSION);
      lpc_fuzz_check (entry->parent_id == NULL);
      lpc_fuzz_check (entry->conveners[0] == NULL);
      return;
    }
  if (entry->kind == LPC_ENTRY_SESSION)
    {
      lpc_fuzz_check (entry->parent_id == NULL);
      lpc_fuzz_check (strcmp (entry->track, entry->title) == 0);
      return;
    }
  /* The parsers refuse an entry before any block. */
  lpc_fuzz_check (block != NULL);
  lpc_fuzz_check (g_strcmp0 (entry->parent_id, block->id) == 0);
  lpc_fuzz_check (entry->conveners[0] == NULL);
  if (format->track_is_block_title)
    lpc_fuzz_check (strcmp (entry->track, block->title) == 0);
  if (format->inside_block)
    {
      lpc_fuzz_check (strcmp (entry->room, block->room) == 0);
      lpc_fuzz_check (entry->start >= block->start && entry->end <= block->end);
    }
}

static void
check_program (const LpcFuzzFormat *format, LpcProgram *program, const uint8_t *data,
               size_t size)
{
  g_autoptr (GHashTable) identities = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *hash = lpc_content_hash (data, size);
  const LpcEntry *block = NULL;

  lpc_fuzz_check (is_one_line (program->name) && *program->name != '\0');
  check_zone (format, program->timezone);
  lpc_fuzz_check (g_strcmp0 (program->source_hash, hash) == 0);
  lpc_fuzz_check (program->entries->len > 0);
  /* Ids unique: by_id has one key per entry. */
  lpc_fuzz_check (g_hash_table_size (program->by_id) == program->entries->len);

  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (program->entries, i);

      lpc_fuzz_check (entry->kind <= LPC_ENTRY_BREAK);
      lpc_fuzz_check (is_id (entry->id));
      lpc_fuzz_check (lpc_program_lookup (program, entry->id) == entry);
      lpc_fuzz_check (is_one_line (entry->title) && *entry->title != '\0');
      lpc_fuzz_check (is_one_line (entry->track) && is_one_line (entry->room));
      lpc_fuzz_check (entry->abstract != NULL && g_utf8_validate (entry->abstract, -1, NULL));
      lpc_fuzz_check (all_one_line (entry->speakers) && all_one_line (entry->conveners));
      lpc_fuzz_check (entry->end >= entry->start);
      if (format->max_duration > 0 && entry->kind != LPC_ENTRY_SESSION)
        lpc_fuzz_check (entry->end - entry->start <= format->max_duration);
      lpc_fuzz_check (entry->source_line > 0);
      /* The store refuses a program with two entries of one identity. */
      lpc_fuzz_check (entry->identity != NULL && *entry->identity != '\0');
      /* Not one line: a UID may hold an escaped line break, and is kept as
       * it is, the key it is. */
      lpc_fuzz_check (g_utf8_validate (entry->identity, -1, NULL));
      lpc_fuzz_check (g_hash_table_add (identities, entry->identity));
      if (format->time_ordered && i > 0)
        lpc_fuzz_check (entry->start >= ((const LpcEntry *) g_ptr_array_index (program->entries,
                                                                                i - 1))->start);

      check_nesting (format, entry, block);
      if (entry->kind == LPC_ENTRY_SESSION)
        block = entry;

      /* The group is its first occurrence's id, which is in the group. */
      if (entry->occurrence_group != NULL)
        {
          const LpcEntry *first = lpc_program_lookup (program, entry->occurrence_group);

          lpc_fuzz_check (first != NULL);
          lpc_fuzz_check (g_strcmp0 (first->occurrence_group, entry->occurrence_group) == 0);
        }
    }
}

/* "The same program text always gives the same ids", and assigning them
 * again is fine: on a copy, as a re-import would see it. */
static void
check_ids_again (const LpcFuzzFormat *format, LpcProgram *program)
{
  g_autoptr (LpcProgram) copy = lpc_program_new (program->name, program->timezone);

  for (guint i = 0; i < program->entries->len; i++)
    {
      LpcEntry *entry = lpc_entry_copy (g_ptr_array_index (program->entries, i));
      g_ptr_array_add (copy->entries, entry);
    }
  if (format->own_identities)
    lpc_program_assign_ids_keeping_identities (copy);
  else
    lpc_program_assign_ids (copy);
  lpc_fuzz_check (copy->entries->len == program->entries->len);
  for (guint i = 0; i < program->entries->len; i++)
    {
      const LpcEntry *a = g_ptr_array_index (program->entries, i);
      const LpcEntry *b = g_ptr_array_index (copy->entries, i);

      lpc_fuzz_check (strcmp (a->id, b->id) == 0);
      lpc_fuzz_check (strcmp (a->identity, b->identity) == 0);
      lpc_fuzz_check (g_strcmp0 (a->parent_id, b->parent_id) == 0);
      if (!format->own_occurrence_groups)
        lpc_fuzz_check (g_strcmp0 (a->occurrence_group, b->occurrence_group) == 0);
    }
}

/* What the daemon does with every program it takes: index it and find its
 * defects. A crowded room (thousands of entries at once) must cost the
 * count, not the pairs; the records kept are bounded and well formed. */
static void
check_defects (LpcProgram *program)
{
  g_autoptr (LpcProgramIndex) index = lpc_program_index_new (program);
  guint64 total = 0;
  g_autoptr (GPtrArray) defects = lpc_program_index_find_defects (index, 20, &total);

  lpc_fuzz_check (defects->len <= 20 && defects->len <= total);
  lpc_fuzz_check (total <= (guint64) program->entries->len * program->entries->len);
  for (guint i = 0; i < defects->len; i++)
    {
      const LpcConflict *defect = defects->pdata[i];

      lpc_fuzz_check (defect->kind == LPC_CONFLICT_PROGRAM_CLASH);
      lpc_fuzz_check (defect->entries->len == 2 && defect->note != NULL);
      lpc_fuzz_check (defect->start <= defect->end);
      if (i > 0)
        lpc_fuzz_check (((const LpcConflict *) defects->pdata[i - 1])->start <= defect->start);
    }
}

void
lpc_fuzz_check_result (const LpcFuzzFormat *format, const uint8_t *data, size_t size,
                       LpcProgram *program, const GError *error, GPtrArray *warnings)
{
  g_autofree char *prefix = g_strconcat (format->filename, ":", NULL);

  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (warnings, i);
      lpc_fuzz_check (g_str_has_prefix (warning, prefix) && is_one_line (warning));
    }
  if (program == NULL)
    {
      /* Every refusal is a ProgramInvalid naming the file (and a line). */
      lpc_fuzz_check (g_error_matches (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID));
      lpc_fuzz_check (g_str_has_prefix (error->message, prefix));
      lpc_fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  lpc_fuzz_check (error == NULL);

  check_program (format, program, data, size);
  check_ids_again (format, program);
  check_defects (program);
}

int
lpc_fuzz_parse_and_check (const LpcFuzzFormat *format, LpcProgramParseFunc parse,
                          const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpcProgram) program = NULL;

  /* The file loader refuses larger files before reading them. */
  if (size > LPC_PROGRAM_MAX_FILE_SIZE)
    return -1;

  program = parse ((const char *) data, size, format->filename, NULL, warnings, &error);
  lpc_fuzz_check_result (format, data, size, program, error, warnings);
  return 0;
}
