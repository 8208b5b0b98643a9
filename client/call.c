/* call.c: see call.h. */
#include "config.h"

#include "call.h"

#include <errno.h>
#include <string.h>

#include "lpc-error.h"
#include "record.h"

/* The least the read-back waits after a timeout, however short the call's
 * own wait: a daemon that was only slow (a burst of load, a big import
 * ahead in its queue) gets the time to say what became of the change. */
#define READ_BACK_MIN_MSEC (10 * 1000)

/* A day: anything longer is a typo for a number of seconds. */
#define TIMEOUT_MAX_SECONDS (24.0 * 60 * 60)

#define STATUS_HINT                                                                                \
  "Is it stopped or stuck? See `systemctl --user status lpc-agenda` and `journalctl --user -u "    \
  "lpc-agenda`"

typedef enum
{
  OUTCOME_APPLIED,
  OUTCOME_NOT_APPLIED,
  OUTCOME_CANNOT_TELL, /* the daemon answers, but no read says */
} Outcome;

gboolean
lpc_call_set_timeout (LpcCli *cli, int default_msec, GError **error)
{
  const char *setting = g_getenv ("LPC_AGENDA_TIMEOUT");
  int msec = default_msec;

  if (setting != NULL && *setting != '\0')
    {
      char *end = NULL;
      double seconds;

      errno = 0;
      seconds = g_ascii_strtod (setting, &end);
      if (errno != 0 || end == setting || *end != '\0' || !(seconds > 0)
          || seconds > TIMEOUT_MAX_SECONDS)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "LPC_AGENDA_TIMEOUT=‘%s’: give the seconds to wait for the agenda daemon, "
                       "a number above 0 and at most %.0f",
                       setting, TIMEOUT_MAX_SECONDS);
          return FALSE;
        }
      msec = MAX (1, (int)(seconds * 1000));
    }
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (cli->proxy), msec);
  return TRUE;
}

void
lpc_call_expect_change (LpcCli *cli, LpcChangeKind kind, const char *what, const char *subject,
                        GVariant *value, const char *check)
{
  LpcChange *change = &cli->change;

  g_clear_pointer (&change->what, g_free);
  g_clear_pointer (&change->subject, g_free);
  g_clear_pointer (&change->value, g_variant_unref);
  g_clear_pointer (&change->check, g_free);
  change->kind = kind;
  change->what = g_strdup (what);
  change->subject = g_strdup (subject);
  change->value = value != NULL ? g_variant_ref_sink (value) : NULL;
  change->check = g_strdup (check);
}

gboolean
lpc_call_is_timeout (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static char *
format_seconds (int msec)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", msec / 1000.0));
}

/* The agenda item @id names, as the daemon matches it: the whole id, or a
 * unique prefix (ASCII case ignored). Sets @ambiguous when a prefix
 * matches several. */
static GVariant *
find_item (GPtrArray *items, const char *id, gboolean *ambiguous)
{
  GVariant *match = NULL;
  guint n_matches = 0;
  gsize length = strlen (id);

  *ambiguous = FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      const char *item_id = lpc_record_get_string (item, "id");

      if (g_ascii_strcasecmp (item_id, id) == 0)
        return item;
      if (g_ascii_strncasecmp (item_id, id, length) == 0)
        {
          match = item;
          n_matches++;
        }
    }
  *ambiguous = n_matches > 1;
  return n_matches == 1 ? match : NULL;
}

/* Reads back the change in flight. The daemon answers one connection's
 * calls in order, so this read's answer comes after the change's own and
 * shows its effect, whatever became of it. */
static gboolean
read_back (LpcCli *cli, Outcome *out_outcome, GError **error)
{
  LpcChange *change = &cli->change;
  LpcAgenda1 *proxy = cli->proxy;

  switch (change->kind)
    {
    case LPC_CHANGE_ON_AGENDA:
    case LPC_CHANGE_OFF_AGENDA:
    case LPC_CHANGE_SKIPPED:
    case LPC_CHANGE_UNSKIPPED:
      {
        g_autoptr (GVariant) items_array = NULL;
        g_autoptr (GPtrArray) items = NULL;
        GVariant *item;
        gboolean ambiguous;
        gboolean skipped;

        if (!lpc_agenda1_call_get_agenda_sync (proxy, g_variant_new ("a{sv}", NULL), &items_array,
                                               NULL, error))
          return FALSE;
        items = lpc_records_from_array (items_array);
        item = find_item (items, change->subject, &ambiguous);
        skipped = item != NULL && g_strcmp0 (lpc_record_get_string (item, "state"), "skipped") == 0;
        if (ambiguous)
          *out_outcome = OUTCOME_CANNOT_TELL;
        else if (change->kind == LPC_CHANGE_ON_AGENDA)
          *out_outcome = item != NULL ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
        else if (change->kind == LPC_CHANGE_OFF_AGENDA)
          *out_outcome = item == NULL ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
        else if (change->kind == LPC_CHANGE_SKIPPED)
          *out_outcome = skipped ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
        else
          *out_outcome = item != NULL && !skipped ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
        return TRUE;
      }
    case LPC_CHANGE_SETTING:
      {
        g_autoptr (GVariant) value = lpc_cli_get_property (
            cli, change->subject, g_variant_get_type (change->value), error);

        if (value == NULL)
          return FALSE;
        *out_outcome
            = g_variant_equal (value, change->value) ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
        return TRUE;
      }
    case LPC_CHANGE_OPAQUE:
      {
        g_autoptr (GVariant) status = NULL;

        /* The daemon answers again: say so, and where to look, since no
         * read tells what became of this change. */
        if (!lpc_agenda1_call_get_status_sync (proxy, &status, NULL, error))
          return FALSE;
        *out_outcome = OUTCOME_CANNOT_TELL;
        return TRUE;
      }
    case LPC_CHANGE_NONE:
    default:
      g_assert_not_reached ();
    }
}

LpcExitStatus
lpc_call_report_timeout (LpcCli *cli)
{
  LpcChange *change = &cli->change;
  int timeout_msec = g_dbus_proxy_get_default_timeout (G_DBUS_PROXY (cli->proxy));
  int read_back_msec = MAX (timeout_msec, READ_BACK_MIN_MSEC);
  g_autofree char *timeout = format_seconds (timeout_msec);
  g_autofree char *read_back_time = format_seconds (read_back_msec);
  g_autoptr (GError) error = NULL;
  Outcome outcome;

  if (change->kind == LPC_CHANGE_NONE)
    {
      g_printerr ("lpc-agenda: no answer from lpc-agendad in %s s. " STATUS_HINT ", then try "
                  "again (LPC_AGENDA_TIMEOUT sets the seconds to wait).\n",
                  timeout);
      return LPC_EXIT_FAILURE;
    }

  g_printerr ("lpc-agenda: no answer from lpc-agendad in %s s while %s; waiting up to %s s more "
              "to read back whether it was applied…\n",
              timeout, change->what, read_back_time);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (cli->proxy), read_back_msec);
  if (!read_back (cli, &outcome, &error))
    {
      lpc_error_strip_remote (error);
      if (lpc_call_is_timeout (error))
        g_printerr ("lpc-agenda: unknown whether %s was applied: lpc-agendad still does not "
                    "answer; check with `%s` later. " STATUS_HINT ".\n",
                    change->what, change->check);
      else
        g_printerr ("lpc-agenda: unknown whether %s was applied: reading it back failed (%s); "
                    "check with `%s` later.\n",
                    change->what, error->message, change->check);
      return LPC_EXIT_FAILURE;
    }

  switch (outcome)
    {
    case OUTCOME_APPLIED:
      g_printerr ("lpc-agenda: lpc-agendad answered late: %s was applied after all (`%s` "
                  "shows it).\n",
                  change->what, change->check);
      return LPC_EXIT_OK;
    case OUTCOME_NOT_APPLIED:
      g_printerr ("lpc-agenda: lpc-agendad answered late: %s was not applied, nothing changed; "
                  "run the command again to see why, should the daemon refuse it.\n",
                  change->what);
      return LPC_EXIT_FAILURE;
    case OUTCOME_CANNOT_TELL:
    default:
      g_printerr ("lpc-agenda: lpc-agendad answers again, but whether %s was applied cannot be "
                  "read back: check with `%s`.\n",
                  change->what, change->check);
      return LPC_EXIT_FAILURE;
    }
}
