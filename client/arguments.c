/* arguments.c: checking command-line values before anything is sent. */
#include "arguments.h"

#include <string.h>

#define MAX_REMIND_MINUTES 1440

char *
lpc_arguments_invalid_utf8 (const char *text)
{
  if (g_utf8_validate (text, -1, NULL))
    return NULL;
  return g_utf8_make_valid (text, -1);
}

static const char *const weekdays[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL,
};

static gboolean
parse_weekday (const char *text, char **out_day)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  gsize length = strlen (lower);

  /* "mon" … "sun" and the full names; nothing in between, so that "m" or
   * "t" is never silently read as one particular day. */
  for (guint i = 0; weekdays[i] != NULL; i++)
    if ((length == 3 && strncmp (lower, weekdays[i], 3) == 0) || strcmp (lower, weekdays[i]) == 0)
      {
        *out_day = g_strndup (weekdays[i], 3);
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_iso_date (const char *text)
{
  guint64 year, month, day;
  g_auto (GStrv) parts = NULL;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  parts = g_strsplit (text, "-", 3);
  if (!g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &year, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL)
      || !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL))
    return FALSE;
  return g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

gboolean
lpc_arguments_parse_day (const char *option, const char *text, char **out_day, GError **error)
{
  if (parse_weekday (text, out_day))
    return TRUE;
  if (parse_iso_date (text))
    {
      *out_day = g_strdup (text);
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s takes a date such as 2021-09-20 or a weekday such as mon, not ‘%s’", option,
               text);
  return FALSE;
}

gboolean
lpc_arguments_parse_priority (const char *option, const char *text, guint *out_priority,
                              GError **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 5, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be a whole number from 1 (lowest) to 5 (highest), not ‘%s’", option,
                   text);
      return FALSE;
    }
  *out_priority = (guint)value;
  return TRUE;
}

gboolean
lpc_arguments_parse_remind (const char *option, const char *text, char **out_remind, GError **error)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) normalized = g_string_new (NULL);

  if (g_ascii_strcasecmp (text, "off") == 0)
    {
      *out_remind = g_strdup ("off");
      return TRUE;
    }
  if (*text == '\0' || g_ascii_strcasecmp (text, "default") == 0)
    {
      *out_remind = g_strdup ("");
      return TRUE;
    }

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 minutes = 0;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, MAX_REMIND_MINUTES, &minutes,
                                       NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s takes ‘off’, ‘default’, or minutes before the start (0–%d) separated "
                       "by commas such as ‘10,0’, not ‘%s’",
                       option, MAX_REMIND_MINUTES, text);
          return FALSE;
        }
      if (normalized->len > 0)
        g_string_append_c (normalized, ',');
      g_string_append_printf (normalized, "%" G_GUINT64_FORMAT, minutes);
    }
  *out_remind = g_string_free (g_steal_pointer (&normalized), FALSE);
  return TRUE;
}

gboolean
lpc_arguments_parse_minutes (const char *name, const char *text, guint max, guint *out_minutes,
                             GError **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s takes whole minutes from 0 to %u, not ‘%s’", name, max, text);
      return FALSE;
    }
  *out_minutes = (guint)value;
  return TRUE;
}

gboolean
lpc_arguments_check_choice (const char *option, const char *text, const char *const *choices,
                            GError **error)
{
  g_autofree char *listed = NULL;

  if (g_strv_contains (choices, text))
    return TRUE;
  listed = g_strjoinv (", ", (char **)choices);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s takes one of %s, not ‘%s’",
               option, listed, text);
  return FALSE;
}

gboolean
lpc_arguments_check_zone (const char *text, GError **error)
{
  g_autoptr (GTimeZone) zone = NULL;

  if (strcmp (text, "local") == 0 || strcmp (text, "conference") == 0)
    return TRUE;
  zone = g_time_zone_new_identifier (text);
  if (zone == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--tz takes ‘local’, ‘conference’ or a time zone such as Europe/Prague or "
                   "UTC, not ‘%s’",
                   text);
      return FALSE;
    }
  return TRUE;
}

gboolean
lpc_arguments_check_id (const char *text, GError **error)
{
  if (*text == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "a talk id cannot be empty (see `lpc-agenda list`)");
      return FALSE;
    }
  return TRUE;
}
