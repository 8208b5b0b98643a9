/* reminder-scheduler.c: the schedule, the timer and the notifier, tied. */
#include "reminder-scheduler.h"

#include "notifier.h"
#include "reminders.h"
#include "wall-timer.h"

#include <math.h>

struct _LpcReminderScheduler
{
  LpcAgenda *agenda; /* borrowed */
  LpcClock *clock;   /* borrowed from the agenda */
  LpcStore *store;   /* borrowed: the reminder log */
  LpcReminders *reminders;
  LpcWallTimer *timer;
  LpcNotifier *notifier;
  LpcReminderSchedulerHooks hooks;
  gpointer user_data;
  gint64 next; /* NextReminder as last announced */
};

static gint64
real_usec (LpcReminderScheduler *scheduler, gint64 clock_seconds)
{
  return lpc_clock_to_real_usec (scheduler->clock, clock_seconds * G_USEC_PER_SEC);
}

/* Re-arms the timer for the next wake-up and announces NextReminder. */
static void
rearm (LpcReminderScheduler *scheduler)
{
  gint64 wakeup = lpc_reminders_get_next_wakeup (scheduler->reminders);
  gint64 next = lpc_reminders_get_next_due (scheduler->reminders, lpc_clock_now (scheduler->clock));

  if (wakeup == 0)
    lpc_wall_timer_disarm (scheduler->timer);
  else
    lpc_wall_timer_arm (scheduler->timer, MAX (real_usec (scheduler, wakeup), 1));
  if (next != scheduler->next)
    {
      scheduler->next = next;
      if (scheduler->hooks.next_changed != NULL)
        scheduler->hooks.next_changed (scheduler->user_data);
    }
}

/* Takes everything due now: shows, records missed ones, re-arms. */
static void
run_due (LpcReminderScheduler *scheduler)
{
  gint64 now = lpc_clock_now (scheduler->clock);
  g_autoptr (GPtrArray) due = lpc_reminders_take_due (scheduler->reminders, now);

  for (guint i = 0; i < due->len; i++)
    {
      const LpcReminder *reminder = g_ptr_array_index (due, i);

      if (reminder->kind == LPC_REMINDER_KIND_MISSED)
        {
          g_autoptr (GError) error = NULL;

          lpc_notifier_log (reminder);
          if (!lpc_reminders_record (scheduler->reminders, reminder, now, &error))
            g_message ("Cannot record the missed reminder for %s: %s", reminder->entry_id,
                       error->message);
          continue;
        }
      lpc_notifier_post (scheduler->notifier, reminder, real_usec (scheduler, reminder->end));
      if (!reminder->again && scheduler->hooks.fired != NULL)
        scheduler->hooks.fired (reminder->entry_id, reminder->start, scheduler->user_data);
    }
  rearm (scheduler);
}

static void
reload (LpcReminderScheduler *scheduler)
{
  g_auto (LpcAgendaFilter) all = { { 0 } };
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) clashes = NULL;
  g_autoptr (GError) error = NULL;
  const char *lead = lpc_agenda_get_lead_times (scheduler->agenda);

  if (!lpc_reminders_set_default_leads (scheduler->reminders, lead, &error))
    {
      g_message ("Ignoring the lead time %s: %s", lead, error->message);
      g_clear_error (&error);
    }
  rows = lpc_agenda_list_agenda (scheduler->agenda, &all, &error);
  if (rows == NULL)
    {
      /* The store failed; keep the schedule we have rather than drop every
       * reminder. */
      g_message ("Cannot read the agenda for reminders: %s", error->message);
      return;
    }
  if (scheduler->hooks.dup_clashes != NULL)
    clashes = scheduler->hooks.dup_clashes (scheduler->user_data);
  lpc_reminders_set_agenda (scheduler->reminders, rows, clashes, lpc_clock_now (scheduler->clock));
}

static void
on_timer (gboolean clock_changed, gpointer user_data)
{
  LpcReminderScheduler *scheduler = user_data;

  /* Resume from suspend shows up as a clock change too: what came due in
   * between is taken now, late, by the missed-reminder rule. */
  if (clock_changed)
    g_debug ("Wall clock changed; re-evaluating reminders");
  run_due (scheduler);
}

static void
on_notifier_event (const LpcNotifierEvent *event, gpointer user_data)
{
  LpcReminderScheduler *scheduler = user_data;
  gint64 now = lpc_clock_now (scheduler->clock);
  g_autoptr (GError) error = NULL;

  switch (event->kind)
    {
    case LPC_NOTIFIER_SHOWN:
      if (!lpc_reminders_record (scheduler->reminders, event->reminder, now, &error))
        g_message ("Cannot record the reminder for %s: %s", event->reminder->entry_id,
                   error->message);
      break;
    case LPC_NOTIFIER_FAILED:
      g_debug ("Reminder for %s not shown: %s", event->reminder->entry_id, event->message);
      lpc_reminders_mark_failed (scheduler->reminders, event->reminder);
      rearm (scheduler);
      break;
    case LPC_NOTIFIER_READY:
      if (lpc_reminders_release_held (scheduler->reminders))
        run_due (scheduler);
      break;
    case LPC_NOTIFIER_ACTION:
      if (g_strcmp0 (event->action, LPC_NOTIFIER_ACTION_SNOOZE) == 0)
        {
          if (!lpc_reminders_snooze (scheduler->reminders, event->reminder->entry_id,
                                     LPC_NOTIFIER_SNOOZE_MINUTES, now, &error))
            g_message ("Not snoozed: %s", error->message);
          rearm (scheduler);
        }
      else if (g_strcmp0 (event->action, LPC_NOTIFIER_ACTION_SKIP) == 0)
        {
          gboolean changed = FALSE;
          g_autofree char *id
              = lpc_agenda_skip (scheduler->agenda, event->reminder->entry_id, &changed, &error);

          if (id == NULL)
            g_message ("Not skipped: %s", error->message);
          else if (changed)
            {
              lpc_reminder_scheduler_refresh (scheduler);
              if (scheduler->hooks.skipped != NULL)
                scheduler->hooks.skipped (id, scheduler->user_data);
            }
        }
      break;
    case LPC_NOTIFIER_CLOSED:
      break;
    default:
      g_assert_not_reached ();
    }
}

LpcReminderScheduler *
lpc_reminder_scheduler_new (LpcAgenda *agenda, LpcStore *store,
                            const LpcReminderSchedulerHooks *hooks, gpointer user_data,
                            GError **error)
{
  g_autoptr (LpcReminderScheduler) scheduler = g_new0 (LpcReminderScheduler, 1);
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  double rate;

  scheduler->agenda = agenda;
  scheduler->clock = lpc_agenda_get_clock (agenda);
  scheduler->store = store;
  scheduler->hooks = *hooks;
  scheduler->user_data = user_data;
  scheduler->timer = lpc_wall_timer_new (on_timer, scheduler, error);
  if (scheduler->timer == NULL)
    return NULL;
  /* Texts give times in the machine's zone: that is where the user is. */
  scheduler->reminders = lpc_reminders_new (store, local);
  /* A simulated clock N times faster stretches the timer's real latency N
   * times in its own terms. */
  rate = lpc_clock_get_rate (scheduler->clock);
  lpc_reminders_set_grace (scheduler->reminders,
                           MAX (LPC_REMINDERS_GRACE_DEFAULT, (gint64) ceil (2 * rate)));
  scheduler->notifier = lpc_notifier_new (on_notifier_event, scheduler);
  lpc_reminder_scheduler_refresh (scheduler);
  return g_steal_pointer (&scheduler);
}

void
lpc_reminder_scheduler_free (LpcReminderScheduler *scheduler)
{
  if (scheduler == NULL)
    return;
  /* The notifier first: no event may reach a half-freed scheduler. */
  g_clear_pointer (&scheduler->notifier, lpc_notifier_free);
  g_clear_pointer (&scheduler->timer, lpc_wall_timer_free);
  g_clear_pointer (&scheduler->reminders, lpc_reminders_free);
  g_free (scheduler);
}

void
lpc_reminder_scheduler_refresh (LpcReminderScheduler *scheduler)
{
  reload (scheduler);
  run_due (scheduler);
}

void
lpc_reminder_scheduler_program_imported (LpcReminderScheduler *scheduler,
                                         const LpcImportSummary *summary)
{
  GPtrArray *lists[] = { summary->moved_ids, summary->cancelled_ids };

  reload (scheduler);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
        {
          g_autoptr (LpcReminder) notice
              = lpc_reminders_make_notice (scheduler->reminders, g_ptr_array_index (lists[l], i));

          /* A notice needs no long life on screen: a day at most. */
          if (notice != NULL)
            lpc_notifier_post (scheduler->notifier, notice, g_get_real_time () + G_TIME_SPAN_DAY);
        }
    }
  run_due (scheduler);
}

gboolean
lpc_reminder_scheduler_snooze (LpcReminderScheduler *scheduler, const char *entry_id, guint minutes,
                               GError **error)
{
  if (!lpc_reminders_snooze (scheduler->reminders, entry_id, minutes,
                             lpc_clock_now (scheduler->clock), error))
    return FALSE;
  rearm (scheduler);
  return TRUE;
}

gint64
lpc_reminder_scheduler_get_next (LpcReminderScheduler *scheduler)
{
  return scheduler->next;
}

gint64
lpc_reminder_scheduler_get_next_for (LpcReminderScheduler *scheduler, const char *entry_id)
{
  return lpc_reminders_get_next_due_for (scheduler->reminders, entry_id,
                                         lpc_clock_now (scheduler->clock));
}

const char *
lpc_reminder_scheduler_get_reminded (LpcReminderScheduler *scheduler, const char *entry_id,
                                     gint64 start)
{
  g_autoptr (GError) error = NULL;
  LpcReminderOutcome outcome = LPC_REMINDER_SHOWN;
  gboolean logged = FALSE;

  if (!lpc_store_reminder_outcome (scheduler->store, entry_id, start, &logged, &outcome, &error))
    {
      /* A record without the field is still right about everything else. */
      g_message ("Cannot read the reminder log for %s: %s", entry_id, error->message);
      return NULL;
    }
  if (!logged)
    return NULL;
  return lpc_reminder_outcome_to_string (outcome);
}
