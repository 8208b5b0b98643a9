/* json-output.c: --json, the client's output for scripts. */
#include "json-output.h"

#include <errno.h>
#include <stdio.h>

#include <gio/gio.h>

#include "record.h"
#include "time-format.h"

void
lpc_json_add_time_member (JsonBuilder *builder, const char *name, gint64 unix_time,
                          gboolean zero_is_null)
{
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, name);
  if (zero_is_null && unix_time == 0)
    {
      json_builder_add_null_value (builder);
      return;
    }
  text = lpc_format_rfc3339_utc (unix_time);
  json_builder_add_string_value (builder, text);
}

void
lpc_json_add_strv_member (JsonBuilder *builder, const char *name, const char *const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gsize i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_string_member (JsonBuilder *builder, GVariant *record, const char *key)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, lpc_record_get_string (record, key));
}

static void
add_record_strv_member (JsonBuilder *builder, GVariant *record, const char *key)
{
  g_auto (GStrv) strv = lpc_record_dup_strv (record, key);

  lpc_json_add_strv_member (builder, key, (const char *const *)strv);
}

static void
add_agenda_members (JsonBuilder *builder, GVariant *record)
{
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, lpc_record_get_uint32 (record, "priority"));
  add_string_member (builder, record, "state");
  add_string_member (builder, record, "note");
  add_string_member (builder, record, "remind");
  lpc_json_add_time_member (builder, "added", lpc_record_get_int64 (record, "added"), TRUE);
  if (lpc_record_has (record, "conflicts", G_VARIANT_TYPE_STRING_ARRAY))
    add_record_strv_member (builder, record, "conflicts");
  if (lpc_record_has (record, "previous-start", G_VARIANT_TYPE_INT64))
    lpc_json_add_time_member (builder, "previous-start",
                              lpc_record_get_int64 (record, "previous-start"), TRUE);
  if (lpc_record_has (record, "previous-room", G_VARIANT_TYPE_STRING))
    add_string_member (builder, record, "previous-room");
  /* The next reminder, null when none is due; "shown", "missed" or null. */
  lpc_json_add_time_member (builder, "reminder", lpc_record_get_int64 (record, "reminder"), TRUE);
  json_builder_set_member_name (builder, "reminded");
  if (lpc_record_has (record, "reminded", G_VARIANT_TYPE_STRING))
    json_builder_add_string_value (builder, lpc_record_get_string (record, "reminded"));
  else
    json_builder_add_null_value (builder);
}

void
lpc_json_add_record (JsonBuilder *builder, GVariant *record)
{
  json_builder_begin_object (builder);
  add_string_member (builder, record, "id");
  add_string_member (builder, record, "kind");
  add_string_member (builder, record, "title");
  add_string_member (builder, record, "track");
  add_string_member (builder, record, "room");
  lpc_json_add_time_member (builder, "start", lpc_record_get_int64 (record, "start"), FALSE);
  lpc_json_add_time_member (builder, "end", lpc_record_get_int64 (record, "end"), FALSE);
  add_record_strv_member (builder, record, "speakers");
  add_record_strv_member (builder, record, "conveners");

  json_builder_set_member_name (builder, "parent");
  if (lpc_record_has (record, "parent", G_VARIANT_TYPE_STRING))
    json_builder_add_string_value (builder, lpc_record_get_string (record, "parent"));
  else
    json_builder_add_null_value (builder);

  add_record_strv_member (builder, record, "occurrences");
  json_builder_set_member_name (builder, "attendable");
  json_builder_add_boolean_value (builder, lpc_record_get_boolean (record, "attendable", TRUE));
  if (lpc_record_has (record, "abstract", G_VARIANT_TYPE_STRING))
    add_string_member (builder, record, "abstract");

  if (lpc_record_is_agenda_item (record))
    add_agenda_members (builder, record);
  json_builder_end_object (builder);
}

void
lpc_json_add_conflict (JsonBuilder *builder, GVariant *conflict)
{
  g_auto (GStrv) ids = lpc_record_dup_strv (conflict, "ids");
  g_auto (GStrv) alternatives = lpc_record_dup_strv (conflict, "alternatives");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, lpc_record_get_string (conflict, "kind"));
  lpc_json_add_strv_member (builder, "ids", (const char *const *)ids);
  lpc_json_add_time_member (builder, "start", lpc_record_get_int64 (conflict, "start"), FALSE);
  lpc_json_add_time_member (builder, "end", lpc_record_get_int64 (conflict, "end"), FALSE);
  json_builder_set_member_name (builder, "minutes");
  json_builder_add_int_value (builder, lpc_record_get_uint32 (conflict, "minutes"));
  json_builder_set_member_name (builder, "accepted");
  json_builder_add_boolean_value (builder, lpc_record_get_boolean (conflict, "accepted", FALSE));
  /* Program clashes belong to no cluster. */
  json_builder_set_member_name (builder, "cluster");
  if (lpc_record_has (conflict, "cluster", G_VARIANT_TYPE_UINT32))
    json_builder_add_int_value (builder, lpc_record_get_uint32 (conflict, "cluster"));
  else
    json_builder_add_null_value (builder);
  lpc_json_add_strv_member (builder, "alternatives", (const char *const *)alternatives);
  lpc_json_add_string_map_member (builder, "other-occurrences", conflict, "other-occurrences");
  json_builder_set_member_name (builder, "note");
  if (lpc_record_has (conflict, "note", G_VARIANT_TYPE_STRING))
    json_builder_add_string_value (builder, lpc_record_get_string (conflict, "note"));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

void
lpc_json_add_string_map_member (JsonBuilder *builder, const char *name, GVariant *record,
                                const char *key)
{
  g_autoptr (GVariant) map = g_variant_lookup_value (record, key, G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *from;
  const char *to;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  if (map != NULL)
    {
      g_variant_iter_init (&iter, map);
      while (g_variant_iter_next (&iter, "{&s&s}", &from, &to))
        {
          json_builder_set_member_name (builder, from);
          json_builder_add_string_value (builder, to);
        }
    }
  json_builder_end_object (builder);
}

void
lpc_json_add_records (JsonBuilder *builder, GPtrArray *records)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < records->len; i++)
    lpc_json_add_record (builder, g_ptr_array_index (records, i));
  json_builder_end_array (builder);
}

gboolean
lpc_json_print (JsonBuilder *builder, GError **error)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  if (fwrite (text, 1, length, stdout) != length || fputc ('\n', stdout) == EOF
      || fflush (stdout) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot write to standard output: %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
