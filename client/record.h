/* record.h: reading the daemon's a{sv} records. A key that is missing or has
 * another type than documented reads as empty, so a newer or older daemon
 * never makes the client crash. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *lpc_record_get_string (GVariant *record, const char *key);
gint64 lpc_record_get_int64 (GVariant *record, const char *key);
guint32 lpc_record_get_uint32 (GVariant *record, const char *key);
gboolean lpc_record_get_boolean (GVariant *record, const char *key, gboolean fallback);
/* Never NULL; empty when missing. */
GStrv lpc_record_dup_strv (GVariant *record, const char *key);
gboolean lpc_record_has (GVariant *record, const char *key, const GVariantType *type);

/* The records of an aa{sv}, each one a new reference. */
GPtrArray *lpc_records_from_array (GVariant *array);

/* Whether @record is an agenda item (it has a state and a priority). */
gboolean lpc_record_is_agenda_item (GVariant *record);

G_END_DECLS
