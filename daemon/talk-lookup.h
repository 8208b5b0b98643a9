/* talk-lookup.h: finding an entry from what a person typed — an id or a
 * unique prefix of one — and, when nothing matches, the closest titles.
 * Plain C, no D-Bus. */
#pragma once

#include "program.h"

G_BEGIN_DECLS

/* Longest id (in bytes) a caller may pass; real ids are much shorter. */
#define LPC_TALK_ID_MAX_LEN 256

/* How many suggestions a NoSuchTalk message offers at most. */
#define LPC_TALK_LOOKUP_MAX_SUGGESTIONS 3

/* Checks that @id is something worth looking up: not NULL or empty, at most
 * LPC_TALK_ID_MAX_LEN bytes, valid UTF-8. LPC_ERROR_INVALID_ARGUMENT otherwise. */
gboolean lpc_talk_lookup_check_id (const char *id, GError **error);

/* Finds the entry among @candidates (const LpcEntry *, borrowed) whose id is
 * @query, else the one whose id starts with @query (ASCII case ignored).
 * Errors: LPC_ERROR_INVALID_ARGUMENT (see lpc_talk_lookup_check_id()),
 * LPC_ERROR_AMBIGUOUS_ID listing the candidates as "id — title", or
 * LPC_ERROR_NO_SUCH_TALK naming @query and the closest titles. @what names
 * the set searched in messages, e.g. "the program" or "your agenda". */
const LpcEntry *lpc_talk_lookup (GPtrArray *candidates, const char *query, const char *what,
                                 GError **error);

/* The entries of @candidates closest to @query (by shared title words and by
 * edit distance between the query's slug and the id), best first, at most
 * @max_results; only reasonably close ones. Borrowed pointers. */
GPtrArray *lpc_talk_lookup_suggest (GPtrArray *candidates, const char *query, guint max_results);

/* @text made safe and short enough to quote in a message. */
char *lpc_talk_lookup_quote (const char *text);

G_END_DECLS
