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

/* "06:40–07:00" in @zone. */
char *lpc_format_time_range (gint64 start, gint64 end, GTimeZone *zone, const LpcTerm *term);

/* "Mon 20 Sep 15:40–16:00 CEST", and, when the conference's clocks show
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

G_END_DECLS
