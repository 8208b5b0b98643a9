/* record.c: reading the daemon's a{sv} records. */
#include "record.h"

const char *
lpc_record_get_string (GVariant *record, const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (record, key, "&s", &value))
    return "";
  return value;
}

gint64
lpc_record_get_int64 (GVariant *record, const char *key)
{
  gint64 value = 0;

  if (!g_variant_lookup (record, key, "x", &value))
    return 0;
  return value;
}

guint32
lpc_record_get_uint32 (GVariant *record, const char *key)
{
  guint32 value = 0;

  if (!g_variant_lookup (record, key, "u", &value))
    return 0;
  return value;
}

gboolean
lpc_record_get_boolean (GVariant *record, const char *key, gboolean fallback)
{
  gboolean value = fallback;

  if (!g_variant_lookup (record, key, "b", &value))
    return fallback;
  return value;
}

GStrv
lpc_record_dup_strv (GVariant *record, const char *key)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (record, key, G_VARIANT_TYPE_STRING_ARRAY);

  if (value == NULL)
    return g_new0 (char *, 1);
  return g_variant_dup_strv (value, NULL);
}

gboolean
lpc_record_has (GVariant *record, const char *key, const GVariantType *type)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (record, key, type);

  return value != NULL;
}

GPtrArray *
lpc_records_from_array (GVariant *array)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  gsize n = g_variant_n_children (array);

  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (records, g_variant_get_child_value (array, i));
  return records;
}

gboolean
lpc_record_is_agenda_item (GVariant *record)
{
  return lpc_record_has (record, "state", G_VARIANT_TYPE_STRING)
         && lpc_record_has (record, "priority", G_VARIANT_TYPE_UINT32);
}
