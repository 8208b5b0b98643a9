/* vardict.h: checking the a{sv} filters and options callers send — every key
 * known, every value of an allowed type — with messages that name the key. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *key;
  const char *types; /* allowed type strings, '|'-separated: "s", "s|i" */
} LpcVardictKey;

/* Checks @dict (a{sv}) against @known (@n_known keys). @what names the
 * dictionary in messages ("filter", "option"). LPC_ERROR_INVALID_ARGUMENT
 * for an unknown key or a value of another type. */
gboolean lpc_vardict_check (GVariant *dict, const char *what, const LpcVardictKey *known,
                            gsize n_known, GError **error);

G_END_DECLS
