/* talk-filter.h: which program entries a listing shows — by day in the
 * program's zone, track, room, words, kind, time window. Plain C, no D-Bus.
 *
 * A zero-initialised LpcTalkFilter is valid and keeps every talk (kind
 * "talk", no other condition); the setters validate what a caller typed and
 * name the bad value in LPC_ERROR_INVALID_ARGUMENT. */
#pragma once

#include "program.h"

G_BEGIN_DECLS

/* Longest text (in bytes) a track, room or query filter may be. */
#define LPC_TALK_FILTER_MAX_TEXT 1024

typedef enum
{
  LPC_KIND_FILTER_TALK = 0, /* the default */
  LPC_KIND_FILTER_SESSION,
  LPC_KIND_FILTER_BREAK,
  LPC_KIND_FILTER_ALL,
} LpcKindFilter;

typedef struct
{
  /* day: either a calendar date or a weekday, in the program's zone */
  GDateYear year; /* 0 = no date */
  GDateMonth month;
  GDateDay day;
  GDateWeekday weekday; /* G_DATE_BAD_WEEKDAY (0) = no weekday */

  char *track;       /* casefolded; NULL = any */
  char *room;        /* casefolded; NULL = any */
  GStrv query_words; /* casefolded; NULL = any */
  LpcKindFilter kind;
  gboolean has_from;
  gint64 from; /* entries ending after this */
  gboolean has_to;
  gint64 to;   /* entries starting before this */
  guint limit; /* 0 = no limit */
} LpcTalkFilter;

void lpc_talk_filter_clear (LpcTalkFilter *filter);

/* "2021-09-20", or a weekday: "mon" … "sun" or "monday" … "sunday", any case. */
gboolean lpc_talk_filter_set_day (LpcTalkFilter *filter, const char *text, GError **error);
/* "talk", "session", "break" or "all". */
gboolean lpc_talk_filter_set_kind (LpcTalkFilter *filter, const char *text, GError **error);
/* Case-insensitive substring of the track (block title); an exact title matches too. */
gboolean lpc_talk_filter_set_track (LpcTalkFilter *filter, const char *text, GError **error);
/* Case-insensitive substring of the room. */
gboolean lpc_talk_filter_set_room (LpcTalkFilter *filter, const char *text, GError **error);
/* Words that must all appear (case-insensitively) in the title, speakers,
 * conveners, track or abstract. Text with no words at all is refused. */
gboolean lpc_talk_filter_set_query (LpcTalkFilter *filter, const char *text, GError **error);

/* Whether @entry passes every condition but the limit; @zone is the
 * program's zone, in which days are counted (NULL: the day condition is left
 * to the caller, see lpc_talk_filter_matches_date()). The query is matched against
 * entry->abstract: for an entry loaded without its abstract (see
 * lpc_store_load_program_lean()), test the other conditions with
 * lpc_talk_filter_matches_except_query(), then the query with the abstract
 * read from the store. */
gboolean lpc_talk_filter_matches (const LpcTalkFilter *filter, const LpcEntry *entry,
                                  GTimeZone *zone);
gboolean lpc_talk_filter_matches_except_query (const LpcTalkFilter *filter, const LpcEntry *entry,
                                               GTimeZone *zone);
/* Whether every query word is in @entry's title, speakers, conveners or
 * track, or in @abstract (NULL: none); TRUE when the filter has no query. */
gboolean lpc_talk_filter_query_matches (const LpcTalkFilter *filter, const LpcEntry *entry,
                                        const char *abstract);
/* Whether the filter has a day condition, and whether a day of the
 * calendar (in the program's zone) passes it (TRUE when there is none). */
gboolean lpc_talk_filter_has_day (const LpcTalkFilter *filter);
gboolean lpc_talk_filter_matches_date (const LpcTalkFilter *filter, GDateYear year,
                                       GDateMonth month, GDateDay day, GDateWeekday weekday);

/* Only the day and from/to conditions (what an agenda listing filters by);
 * @zone as for lpc_talk_filter_matches(). */
gboolean lpc_talk_filter_matches_time (const LpcTalkFilter *filter, const LpcEntry *entry,
                                       GTimeZone *zone);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpcTalkFilter, lpc_talk_filter_clear)

G_END_DECLS
