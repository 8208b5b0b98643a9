/* vardict.c: key and type checks for a{sv} arguments. */
#include "vardict.h"

#include "lpc-error.h"

#include <string.h>

/* "u (uint32, with gdbus call: <uint32 5>)": what a person scripting the
 * daemon needs to write the right type. */
static const char *
describe_type (const char *type)
{
  static const struct
  {
    const char *type;
    const char *description;
  } descriptions[] = {
    { "s", "s (string)" },
    { "b", "b (boolean)" },
    { "i", "i (int32)" },
    { "u", "u (uint32; with gdbus call write <uint32 5>)" },
    { "x", "x (int64, Unix seconds; with gdbus call write <int64 1632150000>)" },
    { "d", "d (double)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (descriptions); i++)
    {
      if (strcmp (type, descriptions[i].type) == 0)
        return descriptions[i].description;
    }
  return type;
}

static gboolean
type_allowed (const char *allowed, const char *type)
{
  g_auto (GStrv) types = g_strsplit (allowed, "|", -1);

  return g_strv_contains ((const char *const *) types, type);
}

static char *
describe_allowed (const char *allowed)
{
  g_auto (GStrv) types = g_strsplit (allowed, "|", -1);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; types[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (text, types[i + 1] != NULL ? ", " : " or ");
      g_string_append (text, describe_type (types[i]));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
lpc_vardict_check (GVariant *dict, const char *what, const LpcVardictKey *known, gsize n_known,
                   GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT), FALSE);

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      const LpcVardictKey *spec = NULL;
      const char *type = g_variant_get_type_string (value);

      for (gsize i = 0; i < n_known; i++)
        {
          if (strcmp (key, known[i].key) == 0)
            {
              spec = &known[i];
              break;
            }
        }
      if (spec == NULL)
        {
          g_autoptr (GString) keys = g_string_new (NULL);
          g_autofree char *valid_key = g_utf8_make_valid (key, MIN (strlen (key), 64));

          for (gsize i = 0; i < n_known; i++)
            g_string_append_printf (keys, "%s%s", i > 0 ? ", " : "", known[i].key);
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "unknown %s key '%s'; the known keys are: %s", what, valid_key,
                       n_known > 0 ? keys->str : "none");
          g_variant_unref (value);
          return FALSE;
        }
      if (!type_allowed (spec->types, type))
        {
          g_autofree char *allowed = describe_allowed (spec->types);
          g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                       "%s key '%s' must be of type %s, not %s", what, key, allowed,
                       describe_type (type));
          g_variant_unref (value);
          return FALSE;
        }
    }
  return TRUE;
}
