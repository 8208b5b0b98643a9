/* talk-filter.c: parsing what a caller filters by, and matching entries. */
#include "talk-filter.h"

#include "lpc-error.h"
#include "talk-lookup.h"

#include <string.h>

void
lpc_talk_filter_clear (LpcTalkFilter *filter)
{
  g_clear_pointer (&filter->track, g_free);
  g_clear_pointer (&filter->room, g_free);
  g_clear_pointer (&filter->query_words, g_strfreev);
}

static const struct
{
  const char *abbreviation;
  const char *name;
} weekday_names[] = {
  /* indexed by GDateWeekday - 1 */
  { "mon", "monday" }, { "tue", "tuesday" },  { "wed", "wednesday" }, { "thu", "thursday" },
  { "fri", "friday" }, { "sat", "saturday" }, { "sun", "sunday" },
};

static gboolean
parse_iso_date (const char *text, GDateYear *out_year, GDateMonth *out_month, GDateDay *out_day)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }
  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  *out_year = (GDateYear) year;
  *out_month = (GDateMonth) month;
  *out_day = (GDateDay) day;
  return TRUE;
}

gboolean
lpc_talk_filter_set_day (LpcTalkFilter *filter, const char *text, GError **error)
{
  g_autofree char *quoted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (weekday_names); i++)
    {
      if (g_ascii_strcasecmp (text, weekday_names[i].abbreviation) == 0
          || g_ascii_strcasecmp (text, weekday_names[i].name) == 0)
        {
          filter->year = 0;
          filter->weekday = (GDateWeekday) (i + 1);
          return TRUE;
        }
    }
  if (parse_iso_date (text, &filter->year, &filter->month, &filter->day))
    {
      filter->weekday = G_DATE_BAD_WEEKDAY;
      return TRUE;
    }
  quoted = lpc_talk_lookup_quote (text);
  g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
               "day '%s' is neither a date such as 2021-09-20 nor a weekday such as mon", quoted);
  return FALSE;
}

gboolean
lpc_talk_filter_set_kind (LpcTalkFilter *filter, const char *text, GError **error)
{
  static const char *const names[] = { "talk", "session", "break", "all" };
  g_autofree char *quoted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_strcmp0 (text, names[i]) == 0)
        {
          filter->kind = (LpcKindFilter) i;
          return TRUE;
        }
    }
  quoted = lpc_talk_lookup_quote (text);
  g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
               "kind '%s' is not one of talk, session, break, all", quoted);
  return FALSE;
}

static gboolean
check_text (const char *what, const char *text, GError **error)
{
  gsize len = strlen (text);

  if (len > LPC_TALK_FILTER_MAX_TEXT)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "%s is %" G_GSIZE_FORMAT " bytes long; at most %d bytes are allowed", what, len,
                   LPC_TALK_FILTER_MAX_TEXT);
      return FALSE;
    }
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT, "%s is not valid UTF-8", what);
      return FALSE;
    }
  return TRUE;
}

gboolean
lpc_talk_filter_set_track (LpcTalkFilter *filter, const char *text, GError **error)
{
  if (!check_text ("track", text, error))
    return FALSE;
  g_free (filter->track);
  filter->track = g_utf8_casefold (text, -1);
  return TRUE;
}

gboolean
lpc_talk_filter_set_room (LpcTalkFilter *filter, const char *text, GError **error)
{
  if (!check_text ("room", text, error))
    return FALSE;
  g_free (filter->room);
  filter->room = g_utf8_casefold (text, -1);
  return TRUE;
}

gboolean
lpc_talk_filter_set_query (LpcTalkFilter *filter, const char *text, GError **error)
{
  g_autofree char *folded = NULL;
  g_auto (GStrv) pieces = NULL;
  g_autoptr (GStrvBuilder) words = g_strv_builder_new ();
  guint n_words = 0;

  if (!check_text ("query", text, error))
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  pieces = g_strsplit_set (folded, " \t\n\r\f\v", -1);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      if (*pieces[i] != '\0')
        {
          g_strv_builder_add (words, pieces[i]);
          n_words++;
        }
    }
  if (n_words == 0)
    {
      g_set_error_literal (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                           "query has no words to search for");
      return FALSE;
    }
  g_strfreev (filter->query_words);
  filter->query_words = g_strv_builder_end (words);
  return TRUE;
}

static gboolean
kind_matches (LpcKindFilter filter, LpcEntryKind kind)
{
  switch (filter)
    {
    case LPC_KIND_FILTER_TALK:
      return kind == LPC_ENTRY_TALK;
    case LPC_KIND_FILTER_SESSION:
      return kind == LPC_ENTRY_SESSION;
    case LPC_KIND_FILTER_BREAK:
      return kind == LPC_ENTRY_BREAK;
    case LPC_KIND_FILTER_ALL:
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
contains_folded (const char *haystack, const char *folded_needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack != NULL ? haystack : "", -1);

  return strstr (folded, folded_needle) != NULL;
}

/* Appends @text casefolded, and a newline. Only the runs of non-ASCII
 * characters (in a program, mostly quotes and dashes) go through
 * g_utf8_casefold(), which works a character at a time; the ASCII between
 * them is lowercased, which is all casefolding does to ASCII.
 * Casefolding has no context, so folding the runs apart is the same as
 * folding the whole. */
static void
append_folded_line (GString *folded, const char *text)
{
  const char *p = text;
  const char *end = text + strlen (text);

  while (p < end)
    {
      if (*p & 0x80)
        {
          const char *run = p;
          g_autofree char *casefolded = NULL;

          while (p < end && (*p & 0x80))
            p++;
          casefolded = g_utf8_casefold (run, p - run);
          g_string_append (folded, casefolded);
        }
      else
        {
          /* Copied and lowercased in one pass (not with g_ascii_tolower(),
           * a function call per character, which showed in profiles). */
          gsize start = folded->len;
          char *out;

          g_string_set_size (folded, start + (end - p));
          out = folded->str + start;
          while (p < end && !(*p & 0x80))
            {
              char c = *p++;
              *out++ = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
            }
          g_string_truncate (folded, out - folded->str);
        }
    }
  g_string_append_c (folded, '\n');
}

static void
append_folded_strv (GString *folded, GStrv strv)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    append_folded_line (folded, strv[i]);
}

gboolean
lpc_talk_filter_query_matches (const LpcTalkFilter *filter, const LpcEntry *entry,
                               const char *abstract)
{
  g_autoptr (GString) head = NULL;
  g_autoptr (GString) body = NULL;

  if (filter->query_words == NULL)
    return TRUE;
  /* Each piece of text ends with a newline: no query word, which has no
   * white space, can match across two of them, so a word is in the whole
   * text when it is in the short fields or in the abstract; the abstract,
   * most of the text, is only folded when a word is not in the rest. */
  head = g_string_sized_new (256);
  append_folded_line (head, entry->title);
  append_folded_strv (head, entry->speakers);
  append_folded_strv (head, entry->conveners);
  append_folded_line (head, entry->track != NULL ? entry->track : "");
  for (guint i = 0; filter->query_words[i] != NULL; i++)
    {
      const char *word = filter->query_words[i];

      if (strstr (head->str, word) != NULL)
        continue;
      if (abstract == NULL || *abstract == '\0')
        return FALSE;
      if (body == NULL)
        {
          body = g_string_sized_new (strlen (abstract) + 16);
          append_folded_line (body, abstract);
        }
      if (strstr (body->str, word) == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
lpc_talk_filter_has_day (const LpcTalkFilter *filter)
{
  return filter->year != 0 || filter->weekday != G_DATE_BAD_WEEKDAY;
}

gboolean
lpc_talk_filter_matches_date (const LpcTalkFilter *filter, GDateYear year, GDateMonth month,
                              GDateDay day, GDateWeekday weekday)
{
  if (filter->weekday != G_DATE_BAD_WEEKDAY)
    return weekday == filter->weekday;
  if (filter->year != 0)
    return year == filter->year && month == filter->month && day == filter->day;
  return TRUE;
}

static gboolean
day_matches (const LpcTalkFilter *filter, const LpcEntry *entry, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  int year, month, day;

  if (zone == NULL || !lpc_talk_filter_has_day (filter))
    return TRUE;
  utc = g_date_time_new_from_unix_utc (entry->start);
  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_timezone (utc, zone);
  g_date_time_get_ymd (local, &year, &month, &day);
  return lpc_talk_filter_matches_date (filter, (GDateYear) year, (GDateMonth) month, (GDateDay) day,
                                       (GDateWeekday) g_date_time_get_day_of_week (local));
}

gboolean
lpc_talk_filter_matches_time (const LpcTalkFilter *filter, const LpcEntry *entry,
                              GTimeZone *zone)
{
  if (filter->has_from && entry->end <= filter->from)
    return FALSE;
  if (filter->has_to && entry->start >= filter->to)
    return FALSE;
  return day_matches (filter, entry, zone);
}

gboolean
lpc_talk_filter_matches_except_query (const LpcTalkFilter *filter, const LpcEntry *entry,
                                      GTimeZone *zone)
{
  if (!kind_matches (filter->kind, entry->kind))
    return FALSE;
  if (filter->track != NULL && !contains_folded (entry->track, filter->track))
    return FALSE;
  if (filter->room != NULL && !contains_folded (entry->room, filter->room))
    return FALSE;
  return lpc_talk_filter_matches_time (filter, entry, zone);
}

gboolean
lpc_talk_filter_matches (const LpcTalkFilter *filter, const LpcEntry *entry, GTimeZone *zone)
{
  /* The costliest test last. */
  return lpc_talk_filter_matches_except_query (filter, entry, zone)
         && lpc_talk_filter_query_matches (filter, entry, entry->abstract);
}
