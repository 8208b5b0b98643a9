/* time-format.h: Unix seconds as people and scripts read them. */
#pragma once

#include <glib.h>

#include "term.h"

G_BEGIN_DECLS

/* RFC 3339 in UTC: "2021-09-20T13:40:00Z". */
char *lpc_format_rfc3339_utc (gint64 unix_time);

/* The day @unix_time falls on in @zone: "Monday 20 September 2021". */
char *lpc_format_day_heading (gint64 unix_time, GTimeZone *zone);

/* A key that is equal for instants on the same day in @zone. */
char *lpc_format_day_key (gint64 unix_time, GTimeZone *zone);

/* How many days after @start's day, on @zone's calendar, @end falls. */
int lpc_format_days_later (gint64 start, gint64 end, GTimeZone *zone);

/* "06:40–07:00" in @zone; "23:30–00:30 +1" for one that ends on a later
 * day (+2 two days later…). */
char *lpc_format_time_range (gint64 start, gint64 end, GTimeZone *zone, const LpcTerm *term);

/* "Mon 20 Sep 15:40–16:00 CEST" ("Mon 20 Sep 23:00 – Tue 21 Sep 03:00 JST"
 * when it ends on a later day), and, when the conference's clocks show
 * another time, " (06:40–07:00 PDT, conference time)" after it; the day is
 * repeated there when it differs too. @conference may be NULL. */
char *lpc_format_when (gint64 start, gint64 end, GTimeZone *zone, GTimeZone *conference,
                       const LpcTerm *term);

/* "Mon 06:40–07:00": the short form used in one-line confirmations. */
char *lpc_format_short_when (gint64 start, gint64 end, GTimeZone *zone, const LpcTerm *term);

/* "Mon 20 Sep 2021 15:40 CEST". */
char *lpc_format_instant (gint64 unix_time, GTimeZone *zone);

/* A span of time in words: "25 min", "2 h 5 min", "3 days 4 h". */
char *lpc_format_duration (gint64 seconds);

/* The tz database name of @zone ("Europe/Prague"), also for TZ=:NAME or a
 * path into the zoneinfo directory; NULL for a zone without one (a POSIX
 * rule such as "JST-9"). */
char *lpc_format_zone_name (GTimeZone *zone);

/* "Times in Europe/Prague (CEST)" for times from @first to @last
 * ("CEST/CET" when the clocks change between them); "Times in JST
 * (UTC+09:00)" for a zone without a name. */
char *lpc_format_zone_hint (GTimeZone *zone, gint64 first, gint64 last);

/* "Tue 21 Sep": the day @unix_time falls on in @zone, in short. */
char *lpc_format_local_day (gint64 unix_time, GTimeZone *zone);

/* The heading of the conference day (in @conference, the program's zone)
 * that @first_shown starts on: "Monday 20 September 2021 (conference day)",
 * with " – Tue 21 Sep here" when @first_shown is on another day in @zone. */
char *lpc_format_conference_day_heading (gint64 first_shown, GTimeZone *zone,
                                         GTimeZone *conference, const LpcTerm *term);

G_END_DECLS
