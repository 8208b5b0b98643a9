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

static void
append_strv (GString *text, GStrv strv)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      g_string_append (text, strv[i]);
      g_string_append_c (text, '\n');
    }
}

static gboolean
query_matches (GStrv words, const LpcEntry *entry)
{
  g_autoptr (GString) text = g_string_new (entry->title);
  g_autofree char *folded = NULL;

  g_string_append_c (text, '\n');
  append_strv (text, entry->speakers);
  append_strv (text, entry->conveners);
  g_string_append (text, entry->track != NULL ? entry->track : "");
  g_string_append_c (text, '\n');
  g_string_append (text, entry->abstract != NULL ? entry->abstract : "");
  folded = g_utf8_casefold (text->str, text->len);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strstr (folded, words[i]) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
day_matches (const LpcTalkFilter *filter, const LpcEntry *entry, GTimeZone *timezone)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  int year, month, day;

  if (filter->year == 0 && filter->weekday == G_DATE_BAD_WEEKDAY)
    return TRUE;
  utc = g_date_time_new_from_unix_utc (entry->start);
  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_timezone (utc, timezone);
  if (filter->weekday != G_DATE_BAD_WEEKDAY)
    return g_date_time_get_day_of_week (local) == (int) filter->weekday;
  g_date_time_get_ymd (local, &year, &month, &day);
  return year == (int) filter->year && month == (int) filter->month && day == (int) filter->day;
}

gboolean
lpc_talk_filter_matches_time (const LpcTalkFilter *filter, const LpcEntry *entry,
                              GTimeZone *timezone)
{
  if (filter->has_from && entry->end <= filter->from)
    return FALSE;
  if (filter->has_to && entry->start >= filter->to)
    return FALSE;
  return day_matches (filter, entry, timezone);
}

gboolean
lpc_talk_filter_matches (const LpcTalkFilter *filter, const LpcEntry *entry, GTimeZone *timezone)
{
  if (!kind_matches (filter->kind, entry->kind))
    return FALSE;
  if (filter->track != NULL && !contains_folded (entry->track, filter->track))
    return FALSE;
  if (filter->room != NULL && !contains_folded (entry->room, filter->room))
    return FALSE;
  if (!lpc_talk_filter_matches_time (filter, entry, timezone))
    return FALSE;
  /* The costliest test last. */
  if (filter->query_words != NULL && !query_matches (filter->query_words, entry))
    return FALSE;
  return TRUE;
}
