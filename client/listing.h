/* listing.h: talks and agenda items as people read them (grouped by day,
 * aligned) or as --json. */
#pragma once

#include "cli.h"
#include "table.h"

G_BEGIN_DECLS

/* Program entries: time, id, title, room, and the kind when the list mixes
 * kinds. @empty_message is printed when there are none. */
gboolean lpc_listing_print_talks (LpcCli *cli, GPtrArray *records, const char *empty_message,
                                  GError **error);

/* Agenda items: time, id, title, room, priority, state, clashes; notes and
 * moves on a line below. */
gboolean lpc_listing_print_agenda (LpcCli *cli, GPtrArray *records, const char *empty_message,
                                   GError **error);

/* One id per line, for shell completion and scripts. */
void lpc_listing_print_ids (GPtrArray *records);

/* The style an agenda state is shown in. */
LpcStyle lpc_listing_state_style (const char *state);

/* "overlap with a, b (20 min)" for a conflict record, leaving out @self_id. */
char *lpc_listing_describe_conflict (GVariant *conflict, const char *self_id);

/* Day headings for rows added in time order. Days are the conference's
 * (counted in the program's zone, as --day counts them), so a listing of
 * `--day mon` is one heading in every zone; the heading names the local
 * day when it differs, and a line under it marks where the local day
 * changes among its rows. Without the program's zone, local days. */
typedef struct
{
  GTimeZone *zone;
  GTimeZone *conference; /* NULL: group by local day */
  char *conference_key;
  char *local_key;
} LpcDayGroups;

void lpc_day_groups_init (LpcDayGroups *groups, LpcCli *cli, GTimeZone *zone);
void lpc_day_groups_clear (LpcDayGroups *groups);
/* Adds to @table what a row starting at @start needs above it, if anything. */
void lpc_day_groups_add (LpcDayGroups *groups, LpcTable *table, gint64 start,
                         const LpcTerm *term);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpcDayGroups, lpc_day_groups_clear)

/* Prints, after a blank line, which zone the times above are in ("Times in
 * Asia/Tokyo (JST)"), for times from @first to @last. */
void lpc_listing_print_zone_hint (LpcCli *cli, GTimeZone *zone, gint64 first, gint64 last);

/* The earliest start and the latest end of @records. */
void lpc_listing_time_span (GPtrArray *records, gint64 *out_first, gint64 *out_last);

/* Prints a text through GLib, which converts it to the locale's charset. */
void lpc_listing_print_text (const char *text);

G_END_DECLS
