/* listing.h: talks and agenda items as people read them (grouped by day,
 * aligned) or as --json. */
#pragma once

#include "cli.h"

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

/* Prints a text through GLib, which converts it to the locale's charset. */
void lpc_listing_print_text (const char *text);

G_END_DECLS
