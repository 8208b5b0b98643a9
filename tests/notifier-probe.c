/* notifier-probe.c: shows reminders through the notifier (daemon/notifier.c)
 * and prints, one line each, what happened, so the integration tests can
 * drive the notifier against python3-dbusmock on a private bus. It starts
 * nothing itself: point DBUS_SESSION_BUS_ADDRESS at the bus.
 *
 * Output lines (stdout, flushed at once):
 *   posted N <summary>
 *   shown N id=ID
 *   failed N <message>
 *   ready
 *   action N id=ID <action>
 *   closed N id=ID reason=R
 *   done | timeout
 * N is the reminder's number, 1..--count.
 *
 * It exits 0 once every reminder reached --until (shown: shown; closed:
 * closed; action: an action came), 1 on --timeout, 3 at the first failure.
 * With --retry a failed reminder is instead posted again at the next
 * "ready", as the daemon does after lpc_reminders_release_held(). */
#include "notifier.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct
{
  GMainLoop *loop;
  LpcNotifier *notifier;
  GPtrArray *reminders; /* LpcReminder*, by number - 1 */
  GArray *states;       /* gint: 0 pending, 1 failed (held), 2 reached */
  const char *until;
  gboolean retry;
  gint64 expires;
  gboolean timed_out;
  gboolean failed;
} Probe;

static guint
number_of (Probe *probe, const LpcReminder *reminder)
{
  for (guint i = 0; i < probe->reminders->len; i++)
    {
      const LpcReminder *mine = g_ptr_array_index (probe->reminders, i);
      if (g_strcmp0 (mine->entry_id, reminder->entry_id) == 0)
        return i + 1;
    }
  return 0;
}

static void
reach (Probe *probe, guint number, const char *what)
{
  gboolean all = TRUE;

  if (number == 0 || g_strcmp0 (what, probe->until) != 0)
    return;
  g_array_index (probe->states, gint, number - 1) = 2;
  for (guint i = 0; i < probe->states->len; i++)
    all = all && g_array_index (probe->states, gint, i) == 2;
  if (all)
    g_main_loop_quit (probe->loop);
}

static void
post (Probe *probe, guint number)
{
  const LpcReminder *reminder = g_ptr_array_index (probe->reminders, number - 1);

  g_array_index (probe->states, gint, number - 1) = 0;
  printf ("posted %u %s\n", number, reminder->summary);
  lpc_notifier_post (probe->notifier, reminder, probe->expires);
}

static void
on_event (const LpcNotifierEvent *event, gpointer user_data)
{
  Probe *probe = user_data;
  guint number = event->reminder != NULL ? number_of (probe, event->reminder) : 0;

  switch (event->kind)
    {
    case LPC_NOTIFIER_SHOWN:
      printf ("shown %u id=%u\n", number, event->id);
      reach (probe, number, "shown");
      break;
    case LPC_NOTIFIER_FAILED:
      printf ("failed %u %s\n", number, event->message);
      if (number != 0)
        g_array_index (probe->states, gint, number - 1) = 1;
      if (!probe->retry)
        {
          probe->failed = TRUE;
          g_main_loop_quit (probe->loop);
        }
      break;
    case LPC_NOTIFIER_READY:
      printf ("ready\n");
      for (guint i = 0; i < probe->states->len; i++)
        {
          if (g_array_index (probe->states, gint, i) == 1)
            post (probe, i + 1);
        }
      break;
    case LPC_NOTIFIER_ACTION:
      printf ("action %u id=%u %s\n", number, event->id, event->action);
      reach (probe, number, "action");
      break;
    case LPC_NOTIFIER_CLOSED:
      printf ("closed %u id=%u reason=%d\n", number, event->id, event->closed_reason);
      reach (probe, number, "closed");
      break;
    default:
      g_assert_not_reached ();
    }
  fflush (stdout);
}

static gboolean
on_timeout (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timed_out = TRUE;
  g_main_loop_quit (probe->loop);
  return G_SOURCE_REMOVE;
}

static LpcReminder *
make_reminder (guint number, const char *title, const char *body, gboolean notice)
{
  LpcReminder *reminder = g_new0 (LpcReminder, 1);
  gint lead = LPC_LEAD_TIME_DEFAULT;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  reminder->kind = notice ? LPC_REMINDER_KIND_MOVED : LPC_REMINDER_KIND_ON_TIME;
  reminder->entry_id = g_strdup_printf ("probe-%u", number);
  reminder->title = number == 1 ? g_strdup (title) : g_strdup_printf ("%s (%u)", title, number);
  reminder->start = now + 60 * lead;
  reminder->end = reminder->start + 30 * 60;
  reminder->due = now;
  reminder->leads = g_array_new (FALSE, FALSE, sizeof (gint));
  if (!notice)
    g_array_append_val (reminder->leads, lead);
  reminder->summary = notice ? g_strdup_printf ("Moved: %s", reminder->title)
                             : g_strdup_printf ("In %d min: %s", lead, reminder->title);
  reminder->body = g_markup_escape_text (body, -1);
  reminder->body_text = g_strdup (body);
  return reminder;
}

int
main (int argc, char **argv)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *until = NULL;
  gint count = 1;
  gint timeout = 30;
  gint expires_in = 1800;
  gboolean retry = FALSE;
  gboolean notice = FALSE;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title (default: BPF & Networking Summit)", "T" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, "Body text, escaped for markup here", "B" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Reminders to show at once (default 1)", "N" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, "shown (default), action or closed", "WHAT" },
    { "retry", 0, 0, G_OPTION_ARG_NONE, &retry, "Post failed reminders again at \"ready\"", NULL },
    { "notice", 0, 0, G_OPTION_ARG_NONE, &notice, "Post a \"Moved\" notice (no actions)", NULL },
    { "expires", 0, 0, G_OPTION_ARG_INT, &expires_in, "Seconds until the talk ends (1800)", "S" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds (30)", "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- show reminders via the notifier");
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GPtrArray) reminders = NULL;
  g_autoptr (GArray) states = NULL;
  Probe probe = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (until == NULL)
    until = g_strdup ("shown");
  if (count < 1 || count > 100
      || (g_strcmp0 (until, "shown") != 0 && g_strcmp0 (until, "action") != 0
          && g_strcmp0 (until, "closed") != 0))
    {
      g_printerr ("--count is 1-100; --until is shown, action or closed\n");
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  reminders = g_ptr_array_new_with_free_func ((GDestroyNotify) lpc_reminder_free);
  states = g_array_new (FALSE, TRUE, sizeof (gint));
  g_array_set_size (states, count);
  for (gint i = 1; i <= count; i++)
    g_ptr_array_add (reminders,
                     make_reminder (i, title != NULL ? title : "BPF & Networking Summit",
                                    body != NULL ? body : "Mon 20 Sep, 07:00–11:00 · <Room> & co",
                                    notice));

  probe.loop = loop;
  probe.reminders = reminders;
  probe.states = states;
  probe.until = until;
  probe.retry = retry;
  probe.expires = g_get_real_time () + expires_in * G_USEC_PER_SEC;
  probe.notifier = lpc_notifier_new (on_event, &probe);
  for (gint i = 1; i <= count; i++)
    post (&probe, i);
  fflush (stdout);
  g_timeout_add_seconds (timeout, on_timeout, &probe);
  g_main_loop_run (loop);
  printf ("%s\n", probe.timed_out ? "timeout" : probe.failed ? "failed" : "done");
  fflush (stdout);
  lpc_notifier_free (probe.notifier);
  return probe.timed_out ? 1 : probe.failed ? 3 : 0;
}
