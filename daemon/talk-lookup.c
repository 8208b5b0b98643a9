/* talk-lookup.c: ids, unique prefixes, and "did you mean" suggestions. */
#include "talk-lookup.h"

#include "lpc-error.h"
#include "slug.h"

#include <string.h>

/* Candidates an AmbiguousId message lists before it only counts the rest. */
#define AMBIGUOUS_MAX_LISTED 10
/* Characters of a quoted argument kept in messages. */
#define QUOTE_MAX_CHARS 48
/* Suggestions must be at least this close (0–1) to be worth showing. */
#define SUGGESTION_MIN_SCORE 0.6
/* Edit distances are computed on at most this many bytes. */
#define EDIT_MAX_LEN 64

char *
lpc_talk_lookup_quote (const char *text)
{
  g_autofree char *valid = NULL;
  glong n_chars;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  n_chars = g_utf8_strlen (valid, -1);
  if (n_chars <= QUOTE_MAX_CHARS)
    return g_steal_pointer (&valid);
  /* A megabyte-long argument must not come back as a megabyte-long message. */
  {
    const char *cut = g_utf8_offset_to_pointer (valid, QUOTE_MAX_CHARS);
    return g_strdup_printf ("%.*s…", (int) (cut - valid), valid);
  }
}

gboolean
lpc_talk_lookup_check_id (const char *id, GError **error)
{
  gsize len;

  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (
          error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
          "empty id: give a talk id such as 'bpf-tracing' or a unique prefix of one");
      return FALSE;
    }
  len = strlen (id);
  if (len > LPC_TALK_ID_MAX_LEN)
    {
      g_autofree char *quoted = lpc_talk_lookup_quote (id);
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "id '%s' is %" G_GSIZE_FORMAT " bytes long; ids are at most %d bytes", quoted,
                   len, LPC_TALK_ID_MAX_LEN);
      return FALSE;
    }
  if (!g_utf8_validate (id, len, NULL))
    {
      g_autofree char *quoted = lpc_talk_lookup_quote (id);
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT, "id '%s' is not valid UTF-8",
                   quoted);
      return FALSE;
    }
  return TRUE;
}

/* Lowercased words of two or more letters or digits. */
static GPtrArray *
split_words (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *word_start = NULL;

  for (const char *p = folded;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean in_word = c != 0 && g_unichar_isalnum (c);

      if (in_word && word_start == NULL)
        word_start = p;
      else if (!in_word && word_start != NULL)
        {
          if (g_utf8_strlen (word_start, p - word_start) >= 2)
            g_ptr_array_add (words, g_strndup (word_start, p - word_start));
          word_start = NULL;
        }
      if (c == 0)
        break;
    }
  return words;
}

/* The share of @query_words found in @title: equal, or, for words of four
 * or more characters, the start of a title word ("spec" finds "speculative"). */
static double
word_overlap (GPtrArray *query_words, const char *title)
{
  g_autoptr (GPtrArray) title_words = NULL;
  guint found = 0;

  if (query_words->len == 0)
    return 0.0;
  title_words = split_words (title);
  for (guint i = 0; i < query_words->len; i++)
    {
      const char *word = g_ptr_array_index (query_words, i);
      gsize word_len = strlen (word);

      for (guint j = 0; j < title_words->len; j++)
        {
          const char *title_word = g_ptr_array_index (title_words, j);
          if (strcmp (word, title_word) == 0
              || (word_len >= 4 && strncmp (word, title_word, word_len) == 0))
            {
              found++;
              break;
            }
        }
    }
  return (double) found / query_words->len;
}

/* Levenshtein distance between the first @a_len bytes of @a and of @b. */
static gsize
edit_distance (const char *a, gsize a_len, const char *b, gsize b_len)
{
  gsize row[EDIT_MAX_LEN + 1];

  a_len = MIN (a_len, EDIT_MAX_LEN);
  b_len = MIN (b_len, EDIT_MAX_LEN);
  for (gsize j = 0; j <= b_len; j++)
    row[j] = j;
  for (gsize i = 1; i <= a_len; i++)
    {
      gsize diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= b_len; j++)
        {
          gsize above = row[j];
          gsize cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[b_len];
}

/* 1 for an id that starts with @slug, falling towards 0 with each edit needed;
 * comparing with the id's beginning too means a mistyped prefix still counts. */
static double
edit_similarity (const char *slug, const char *id)
{
  gsize slug_len = MIN (strlen (slug), EDIT_MAX_LEN);
  gsize id_len = strlen (id);
  gsize distance;

  /* Two letters are too few to say what someone meant. */
  // cppcheck-suppress knownConditionTrueFalse ; false positive: any length 0..EDIT_MAX_LEN
  if (slug_len < 3)
    return 0.0;
  distance = edit_distance (slug, slug_len, id, id_len);
  if (id_len > slug_len)
    distance = MIN (distance, edit_distance (slug, slug_len, id, slug_len));
  if (distance >= slug_len)
    return 0.0;
  return 1.0 - (double) distance / slug_len;
}

typedef struct
{
  const LpcEntry *entry;
  double score;
} Suggestion;

static gint
compare_suggestions (gconstpointer a, gconstpointer b)
{
  const Suggestion *sa = a;
  const Suggestion *sb = b;

  return (sb->score > sa->score) - (sb->score < sa->score);
}

GPtrArray *
lpc_talk_lookup_suggest (GPtrArray *candidates, const char *query, guint max_results)
{
  g_autoptr (GArray) scored = g_array_new (FALSE, FALSE, sizeof (Suggestion));
  g_autoptr (GPtrArray) query_words = NULL;
  g_autofree char *valid_query = NULL;
  g_autofree char *slug = NULL;
  GPtrArray *result = g_ptr_array_new ();

  if (query == NULL || *query == '\0')
    return result;
  valid_query = g_utf8_make_valid (query, MIN (strlen (query), (gsize) LPC_TALK_ID_MAX_LEN));
  query_words = split_words (valid_query);
  slug = lpc_slugify (valid_query, EDIT_MAX_LEN);

  for (guint i = 0; i < candidates->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (candidates, i);
      Suggestion suggestion = { entry, 0.0 };

      suggestion.score
          = MAX (word_overlap (query_words, entry->title), edit_similarity (slug, entry->id));
      if (suggestion.score >= SUGGESTION_MIN_SCORE)
        g_array_append_val (scored, suggestion);
    }
  /* Stable, so equally close entries keep their program order. */
  g_array_sort (scored, compare_suggestions);
  for (guint i = 0; i < scored->len && i < max_results; i++)
    g_ptr_array_add (result, (gpointer) g_array_index (scored, Suggestion, i).entry);
  return result;
}

static void
append_entry_line (GString *message, const LpcEntry *entry)
{
  g_string_append_printf (message, "\n  %s — %s", entry->id, entry->title);
}

const LpcEntry *
lpc_talk_lookup (GPtrArray *candidates, const char *query, const char *what, GError **error)
{
  g_autoptr (GPtrArray) matches = g_ptr_array_new ();
  g_autoptr (GPtrArray) suggestions = NULL;
  g_autofree char *key = NULL;
  g_autofree char *quoted = NULL;
  g_autoptr (GString) message = NULL;
  gsize key_len;

  if (!lpc_talk_lookup_check_id (query, error))
    return NULL;

  /* Ids are lowercase ASCII, so "BPF-Tr" may as well find "bpf-tracing". */
  key = g_ascii_strdown (query, -1);
  key_len = strlen (key);
  for (guint i = 0; i < candidates->len; i++)
    {
      const LpcEntry *entry = g_ptr_array_index (candidates, i);

      if (strcmp (entry->id, key) == 0)
        return entry;
      if (strncmp (entry->id, key, key_len) == 0)
        g_ptr_array_add (matches, (gpointer) entry);
    }
  if (matches->len == 1)
    return g_ptr_array_index (matches, 0);

  quoted = lpc_talk_lookup_quote (query);
  message = g_string_new (NULL);
  if (matches->len > 1)
    {
      g_string_append_printf (
          message, "'%s' is the start of %u ids in %s; type more of the one you mean:", quoted,
          matches->len, what);
      for (guint i = 0; i < matches->len && i < AMBIGUOUS_MAX_LISTED; i++)
        append_entry_line (message, g_ptr_array_index (matches, i));
      if (matches->len > AMBIGUOUS_MAX_LISTED)
        g_string_append_printf (message, "\n  … and %u more", matches->len - AMBIGUOUS_MAX_LISTED);
      g_set_error_literal (error, LPC_ERROR, LPC_ERROR_AMBIGUOUS_ID, message->str);
      return NULL;
    }

  g_string_append_printf (message, "no id in %s is or starts with '%s'", what, quoted);
  suggestions = lpc_talk_lookup_suggest (candidates, query, LPC_TALK_LOOKUP_MAX_SUGGESTIONS);
  if (suggestions->len > 0)
    {
      g_string_append (message, "; the closest titles are:");
      for (guint i = 0; i < suggestions->len; i++)
        append_entry_line (message, g_ptr_array_index (suggestions, i));
    }
  g_set_error_literal (error, LPC_ERROR, LPC_ERROR_NO_SUCH_TALK, message->str);
  return NULL;
}
