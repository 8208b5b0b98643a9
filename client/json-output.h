/* json-output.h: --json, the client's output for scripts. The shape is an API,
 * documented in lpc-agenda(1): change it only by adding members. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One talk or agenda record as an object: id, kind, title, track, room,
 * start, end (RFC 3339, UTC), speakers, conveners, parent, occurrences,
 * attendable, abstract (when the daemon sent it), and for agenda items
 * priority, state, note, remind, added, conflicts,
 * previous-start and previous-room (when moved). */
void lpc_json_add_record (JsonBuilder *builder, GVariant *record);

/* A conflict record (GetConflicts, Add, CheckProgram): kind, ids, start,
 * end, minutes, accepted, cluster (null for program clashes), alternatives,
 * other-occurrences (an object: occurrence id -> the agenda id it would
 * replace), note (null but on program clashes). */
void lpc_json_add_conflict (JsonBuilder *builder, GVariant *conflict);

/* A member holding an object made of the a{ss} at @key of @record (empty
 * when missing). */
void lpc_json_add_string_map_member (JsonBuilder *builder, const char *name, GVariant *record,
                                     const char *key);

/* An array of records. */
void lpc_json_add_records (JsonBuilder *builder, GPtrArray *records);

/* A member holding an RFC 3339 time, or null for @unix_time 0 when
 * @zero_is_null. */
void lpc_json_add_time_member (JsonBuilder *builder, const char *name, gint64 unix_time,
                               gboolean zero_is_null);

/* A member holding an array of strings. */
void lpc_json_add_strv_member (JsonBuilder *builder, const char *name, const char *const *strv);

/* Writes the builder's root to stdout, indented, with a final newline. JSON
 * is UTF-8 whatever the locale, so the bytes go out unconverted. */
gboolean lpc_json_print (JsonBuilder *builder, GError **error);

G_END_DECLS
