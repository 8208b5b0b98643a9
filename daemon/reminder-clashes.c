/* reminder-clashes.c: partners' ids to partners' titles. */
#include "reminder-clashes.h"

#include "agenda-conflicts.h"

GHashTable *
lpc_reminder_clashes_dup (LpcAgenda *agenda, GError **error)
{
  g_autoptr (LpcAgendaConflicts) conflicts = lpc_agenda_find_conflicts (agenda, error);
  g_autoptr (GHashTable) partners = NULL;
  GHashTable *titles;
  GHashTableIter iter;
  gpointer key, value;

  if (conflicts == NULL)
    return NULL;
  partners = lpc_agenda_conflicts_dup_partners (conflicts);
  titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  g_hash_table_iter_init (&iter, partners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *const *ids = value;
      g_autoptr (GStrvBuilder) names = NULL;

      if (ids == NULL || ids[0] == NULL)
        continue;
      names = g_strv_builder_new ();
      for (guint i = 0; ids[i] != NULL; i++)
        {
          guint item;

          /* Every partner is an active item of the same view, so it has
           * an entry; the id stands in should that ever change. */
          if (lpc_agenda_view_lookup (conflicts->view, ids[i], &item)
              && conflicts->view->plan_items[item].entry != NULL)
            g_strv_builder_add (names, conflicts->view->plan_items[item].entry->title);
          else
            g_strv_builder_add (names, ids[i]);
        }
      g_hash_table_insert (titles, g_strdup (key), g_strv_builder_end (names));
    }
  return titles;
}
