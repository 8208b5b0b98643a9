/* listing.c: talks and agenda items grouped by day, aligned, or as JSON. */
#include "listing.h"

#include <string.h>

#include "json-output.h"
#include "record.h"
#include "table.h"
#include "time-format.h"

enum
{
  COLUMN_TIME,
  COLUMN_ID,
  COLUMN_TITLE,
  COLUMN_ROOM,
  COLUMN_KIND,
  N_TALK_COLUMNS,
};

enum
{
  AGENDA_COLUMN_TIME,
  AGENDA_COLUMN_ID,
  AGENDA_COLUMN_TITLE,
  AGENDA_COLUMN_ROOM,
  AGENDA_COLUMN_PRIORITY,
  AGENDA_COLUMN_STATE,
  AGENDA_COLUMN_REMINDER,
  AGENDA_COLUMN_CLASHES,
  N_AGENDA_COLUMNS,
};

void
lpc_listing_print_text (const char *text)
{
  g_print ("%s", text);
}

void
lpc_listing_print_ids (GPtrArray *records)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < records->len; i++)
    g_string_append_printf (out, "%s\n",
                            lpc_record_get_string (g_ptr_array_index (records, i), "id"));
  lpc_listing_print_text (out->str);
}

static gboolean
print_json_records (GPtrArray *records, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  lpc_json_add_records (builder, records);
  return lpc_json_print (builder, error);
}

void
lpc_day_groups_init (LpcDayGroups *groups, LpcCli *cli, GTimeZone *zone)
{
  g_autoptr (GError) conference_error = NULL;

  *groups = (LpcDayGroups){ .zone = zone };
  /* Without the program's zone the local days still group the rows. */
  groups->conference = lpc_cli_get_conference_zone (cli, &conference_error);
}

void
lpc_day_groups_clear (LpcDayGroups *groups)
{
  g_clear_pointer (&groups->conference_key, g_free);
  g_clear_pointer (&groups->local_key, g_free);
}

void
lpc_day_groups_add (LpcDayGroups *groups, LpcTable *table, gint64 start, const LpcTerm *term)
{
  g_autofree char *local_key = lpc_format_day_key (start, groups->zone);
  g_autofree char *conference_key = NULL;
  g_autofree char *heading = NULL;

  if (groups->conference == NULL)
    {
      if (g_strcmp0 (local_key, groups->local_key) != 0)
        {
          heading = lpc_format_day_heading (start, groups->zone);
          lpc_table_add_heading (table, LPC_STYLE_BOLD, heading);
        }
    }
  else
    {
      conference_key = lpc_format_day_key (start, groups->conference);
      if (g_strcmp0 (conference_key, groups->conference_key) != 0)
        {
          heading = lpc_format_conference_day_heading (start, groups->zone, groups->conference,
                                                       term);
          lpc_table_add_heading (table, LPC_STYLE_BOLD, heading);
          g_free (groups->conference_key);
          groups->conference_key = g_steal_pointer (&conference_key);
        }
      else if (g_strcmp0 (local_key, groups->local_key) != 0)
        {
          g_autofree char *local_day = lpc_format_local_day (start, groups->zone);
          g_autofree char *line = g_strdup_printf ("%s here:", local_day);

          lpc_table_add_line (table, LPC_STYLE_DIM, line);
        }
    }
  g_free (groups->local_key);
  groups->local_key = g_steal_pointer (&local_key);
}

void
lpc_listing_print_zone_hint (LpcCli *cli, GTimeZone *zone, gint64 first, gint64 last)
{
  g_autofree char *hint = lpc_format_zone_hint (zone, first, last);
  g_autoptr (GString) out = g_string_new ("\n");

  lpc_term_append_styled (&cli->term, out, LPC_STYLE_DIM, hint);
  g_string_append_c (out, '\n');
  lpc_listing_print_text (out->str);
}

void
lpc_listing_time_span (GPtrArray *records, gint64 *out_first, gint64 *out_last)
{
  gint64 first = G_MAXINT64;
  gint64 last = G_MININT64;

  for (guint i = 0; i < records->len; i++)
    {
      GVariant *record = g_ptr_array_index (records, i);

      first = MIN (first, lpc_record_get_int64 (record, "start"));
      last = MAX (last, lpc_record_get_int64 (record, "end"));
    }
  *out_first = records->len > 0 ? first : 0;
  *out_last = records->len > 0 ? last : 0;
}

static void
add_time_cell (LpcTable *table, GVariant *record, GTimeZone *zone, const LpcTerm *term)
{
  g_autofree char *range = lpc_format_time_range (lpc_record_get_int64 (record, "start"),
                                                  lpc_record_get_int64 (record, "end"), zone, term);

  lpc_table_add_cell (table, LPC_STYLE_PLAIN, range);
}

static gboolean
kinds_are_mixed (GPtrArray *records)
{
  for (guint i = 1; i < records->len; i++)
    if (strcmp (lpc_record_get_string (g_ptr_array_index (records, 0), "kind"),
                lpc_record_get_string (g_ptr_array_index (records, i), "kind"))
        != 0)
      return TRUE;
  return FALSE;
}

static LpcStyle
kind_style (const char *kind)
{
  if (strcmp (kind, "session") == 0)
    return LPC_STYLE_BOLD;
  if (strcmp (kind, "break") == 0)
    return LPC_STYLE_DIM;
  return LPC_STYLE_PLAIN;
}

gboolean
lpc_listing_print_talks (LpcCli *cli, GPtrArray *records, const char *empty_message, GError **error)
{
  g_autoptr (LpcTable) table = NULL;
  g_auto (LpcDayGroups) days = { 0 };
  g_autofree char *text = NULL;
  gboolean show_kind;
  GTimeZone *zone;
  gint64 first, last;

  if (cli->json)
    return print_json_records (records, error);
  if (records->len == 0)
    {
      g_print ("%s\n", empty_message);
      return TRUE;
    }

  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL)
    return FALSE;
  lpc_day_groups_init (&days, cli, zone);

  show_kind = kinds_are_mixed (records);
  table = lpc_table_new (N_TALK_COLUMNS);
  lpc_table_set_flexible (table, COLUMN_TITLE);
  lpc_table_set_flexible (table, COLUMN_ROOM);

  for (guint i = 0; i < records->len; i++)
    {
      GVariant *record = g_ptr_array_index (records, i);
      const char *kind = lpc_record_get_string (record, "kind");
      LpcStyle style = kind_style (kind);

      lpc_day_groups_add (&days, table, lpc_record_get_int64 (record, "start"), &cli->term);
      lpc_table_start_row (table);
      add_time_cell (table, record, zone, &cli->term);
      lpc_table_add_cell (table, style, lpc_record_get_string (record, "id"));
      lpc_table_add_cell (table, style, lpc_record_get_string (record, "title"));
      lpc_table_add_cell (table, LPC_STYLE_DIM, lpc_record_get_string (record, "room"));
      lpc_table_add_cell (table, style, show_kind ? kind : "");
    }

  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);
  lpc_listing_time_span (records, &first, &last);
  lpc_listing_print_zone_hint (cli, zone, first, last);
  return TRUE;
}

LpcStyle
lpc_listing_state_style (const char *state)
{
  if (strcmp (state, "skipped") == 0)
    return LPC_STYLE_YELLOW;
  if (strcmp (state, "moved") == 0)
    return LPC_STYLE_CYAN;
  if (strcmp (state, "cancelled") == 0)
    return LPC_STYLE_RED;
  return LPC_STYLE_PLAIN;
}

/* "remind 06:55" for the next reminder (with the day when it is not the talk's),
 * "reminder missed" when the log says so; nothing otherwise. */
static void
add_reminder_cell (LpcTable *table, GVariant *record, GTimeZone *zone)
{
  gint64 next = lpc_record_get_int64 (record, "reminder");
  const char *reminded = lpc_record_get_string (record, "reminded");
  g_autofree char *text = NULL;

  if (next != 0)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (next);
      g_autoptr (GDateTime) when = g_date_time_to_timezone (utc, zone);
      g_autofree char *day = lpc_format_day_key (next, zone);
      g_autofree char *talk_day = lpc_format_day_key (lpc_record_get_int64 (record, "start"), zone);
      g_autofree char *clock
          = g_date_time_format (when, strcmp (day, talk_day) == 0 ? "%H:%M" : "%a %H:%M");

      text = g_strdup_printf ("remind %s", clock);
      lpc_table_add_cell (table, LPC_STYLE_DIM, text);
    }
  else if (strcmp (reminded, "missed") == 0)
    lpc_table_add_cell (table, LPC_STYLE_YELLOW, "reminder missed");
  else
    lpc_table_add_cell (table, LPC_STYLE_PLAIN, "");
}

static void
add_agenda_marker_cells (LpcTable *table, GVariant *record, GTimeZone *zone, const LpcTerm *term)
{
  const char *state = lpc_record_get_string (record, "state");
  guint priority = lpc_record_get_uint32 (record, "priority");
  g_auto (GStrv) conflicts = lpc_record_dup_strv (record, "conflicts");
  g_autofree char *priority_text = g_strdup_printf ("p%u", priority);
  g_autofree char *clashes = NULL;

  lpc_table_add_cell (table, priority >= 4 ? LPC_STYLE_BOLD : LPC_STYLE_PLAIN, priority_text);
  /* "planned" is what an agenda is made of: only the exceptions are marked. */
  lpc_table_add_cell (table, lpc_listing_state_style (state),
                      strcmp (state, "planned") == 0 ? "" : state);
  add_reminder_cell (table, record, zone);

  if (conflicts[0] != NULL)
    {
      g_autofree char *ids = g_strjoinv (", ", conflicts);

      clashes = g_strdup_printf ("%sclashes with %s", term->utf8 ? "⚠ " : "! ", ids);
    }
  lpc_table_add_cell (table, LPC_STYLE_RED, clashes != NULL ? clashes : "");
}

static void
add_agenda_details (LpcTable *table, GVariant *record, GTimeZone *zone)
{
  const char *note = lpc_record_get_string (record, "note");
  gint64 previous_start = lpc_record_get_int64 (record, "previous-start");
  const char *previous_room = lpc_record_get_string (record, "previous-room");

  if (previous_start != 0 || *previous_room != '\0')
    {
      g_autoptr (GString) moved = g_string_new ("moved by the program, was");

      if (previous_start != 0)
        {
          g_autofree char *when = lpc_format_instant (previous_start, zone);

          g_string_append_printf (moved, " %s", when);
        }
      if (*previous_room != '\0')
        g_string_append_printf (moved, " in %s", previous_room);
      lpc_table_add_detail (table, LPC_STYLE_CYAN, moved->str);
    }
  if (*note != '\0')
    {
      g_autofree char *one_line = g_strdup (note);
      g_autofree char *text = NULL;

      /* A note is shown on one line under its item; `show` gives it whole. */
      g_strdelimit (one_line, "\r\n\t", ' ');
      text = g_strdup_printf ("note: %s", one_line);
      lpc_table_add_detail (table, LPC_STYLE_DIM, text);
    }
}

gboolean
lpc_listing_print_agenda (LpcCli *cli, GPtrArray *records, const char *empty_message,
                          GError **error)
{
  g_autoptr (LpcTable) table = NULL;
  g_auto (LpcDayGroups) days = { 0 };
  g_autofree char *text = NULL;
  GTimeZone *zone;
  gint64 first, last;

  if (cli->json)
    return print_json_records (records, error);
  if (records->len == 0)
    {
      g_print ("%s\n", empty_message);
      return TRUE;
    }

  zone = lpc_cli_get_zone (cli, error);
  if (zone == NULL)
    return FALSE;
  lpc_day_groups_init (&days, cli, zone);

  table = lpc_table_new (N_AGENDA_COLUMNS);
  lpc_table_set_flexible (table, AGENDA_COLUMN_TITLE);
  lpc_table_set_flexible (table, AGENDA_COLUMN_ROOM);

  for (guint i = 0; i < records->len; i++)
    {
      GVariant *record = g_ptr_array_index (records, i);
      const char *state = lpc_record_get_string (record, "state");
      gboolean inactive = strcmp (state, "skipped") == 0 || strcmp (state, "cancelled") == 0;

      lpc_day_groups_add (&days, table, lpc_record_get_int64 (record, "start"), &cli->term);
      lpc_table_start_row (table);
      add_time_cell (table, record, zone, &cli->term);
      lpc_table_add_cell (table, LPC_STYLE_PLAIN, lpc_record_get_string (record, "id"));
      lpc_table_add_cell (table, inactive ? LPC_STYLE_DIM : LPC_STYLE_PLAIN,
                          lpc_record_get_string (record, "title"));
      lpc_table_add_cell (table, LPC_STYLE_DIM, lpc_record_get_string (record, "room"));
      add_agenda_marker_cells (table, record, zone, &cli->term);
      add_agenda_details (table, record, zone);
    }

  text = lpc_table_render (table, &cli->term);
  lpc_listing_print_text (text);
  lpc_listing_time_span (records, &first, &last);
  lpc_listing_print_zone_hint (cli, zone, first, last);
  return TRUE;
}

static const char *
conflict_kind_words (const char *kind)
{
  if (strcmp (kind, "overlap") == 0)
    return "overlaps";
  if (strcmp (kind, "room-change") == 0)
    return "too little time to change rooms";
  if (strcmp (kind, "program-clash") == 0)
    return "clashes in the program";
  return kind;
}

char *
lpc_listing_describe_conflict (GVariant *conflict, const char *self_id)
{
  const char *kind = lpc_record_get_string (conflict, "kind");
  g_auto (GStrv) ids = lpc_record_dup_strv (conflict, "ids");
  guint minutes = lpc_record_get_uint32 (conflict, "minutes");
  g_autoptr (GString) out = g_string_new (conflict_kind_words (kind));
  gboolean first = TRUE;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (g_strcmp0 (ids[i], self_id) == 0)
        continue;
      g_string_append (out, first ? " with " : ", ");
      g_string_append (out, ids[i]);
      first = FALSE;
    }
  /* A room change's minutes are the time short of the travel time. */
  if (minutes > 0)
    g_string_append_printf (out, strcmp (kind, "room-change") == 0 ? " (%u min short)" : " (%u min)",
                            minutes);
  if (lpc_record_get_boolean (conflict, "accepted", FALSE))
    g_string_append (out, ", accepted");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
