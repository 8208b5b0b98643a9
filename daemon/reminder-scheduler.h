/* reminder-scheduler.h: runs the reminders of an LpcAgenda — the schedule
 * (reminders.h), one wall-clock timer armed for the next due instant
 * (wall-timer.h) and the notifier (notifier.h) — on the daemon's main
 * context. The D-Bus service owns one and calls it after every change; it
 * calls back for what the service must announce.
 *
 * The loop, all on the main context:
 * - refresh (agenda, import, settings change) or timer fire: take what is
 *   due on the agenda clock; reminders to show go to the notifier (and the
 *   log), ReminderFired is announced; missed ones are recorded; the timer is
 *   re-armed for the next wake-up, or disarmed when there is none.
 * - notifier SHOWN: recorded in the reminder log (never shown again, also
 *   after a restart); FAILED: held; READY (a server appeared, or the back-off
 *   after a hung one ran out): held reminders are taken again, with texts as
 *   of then ("Started 2 min ago"); a talk that ended first is recorded missed.
 * - action "snooze": shown again 5 min later (never after the talk ended);
 *   "skip": the item is skipped (lpc_agenda_skip), the service is told. */
#pragma once

#include "agenda.h"

G_BEGIN_DECLS

typedef struct
{
  /* A reminder went out (to the notifier, and the log): emit ReminderFired.
   * Not called again when a held reminder is retried. */
  void (*fired) (const char *entry_id, gint64 start, gpointer user_data);
  /* NextReminder changed: lpc_reminder_scheduler_get_next() has the value. */
  void (*next_changed) (gpointer user_data);
  /* The "skip" action skipped @entry_id: emit AgendaChanged. */
  void (*skipped) (const char *entry_id, gpointer user_data);
  /* Optional: entry id -> NULL-terminated char** of the titles of the picks
   * it clashes with, for the reminders' warning line (transfer full). */
  GHashTable *(*dup_clashes) (gpointer user_data);
} LpcReminderSchedulerHooks;

typedef struct _LpcReminderScheduler LpcReminderScheduler;

/* @agenda and @store (the agenda's store, for the reminder log) are
 * borrowed and must outlive the scheduler; @hooks is copied. Events arrive
 * on the thread-default main context of the call. Takes what is due at
 * once: reminders missed while the daemon was not running are dealt with
 * here. */
LpcReminderScheduler *lpc_reminder_scheduler_new (LpcAgenda *agenda, LpcStore *store,
                                                  const LpcReminderSchedulerHooks *hooks,
                                                  gpointer user_data, GError **error);
void lpc_reminder_scheduler_free (LpcReminderScheduler *scheduler);

/* Re-reads the agenda and the default lead times: call after every change of
 * either (Add, Update, Remove, Skip, Unskip, LeadTime or LeadTimes, Resolve
 * --apply). */
void lpc_reminder_scheduler_refresh (LpcReminderScheduler *scheduler);
/* After ImportProgram: refresh, and one notice per pick the import moved or
 * cancelled ("Moved: <title> 10:00 → 11:30, <room>"). */
void lpc_reminder_scheduler_program_imported (LpcReminderScheduler *scheduler,
                                              const LpcImportSummary *summary);

/* The Snooze method: @entry_id's reminder again @minutes from now, never
 * after the talk ended (LPC_ERROR_NO_SUCH_TALK / _INVALID_ARGUMENT). */
gboolean lpc_reminder_scheduler_snooze (LpcReminderScheduler *scheduler, const char *entry_id,
                                        guint minutes, GError **error);

/* NextReminder: Unix seconds, 0 = none. */
gint64 lpc_reminder_scheduler_get_next (LpcReminderScheduler *scheduler);
/* The next reminder of one item (GetAgenda); 0 = none. */
gint64 lpc_reminder_scheduler_get_next_for (LpcReminderScheduler *scheduler, const char *entry_id);
/* What the reminder log says of @entry_id's reminders for @start (GetAgenda's
 * "reminded"): "shown", "missed" (none was shown, and the talk ended: the
 * rule is lpc_reminders_set_agenda()'s), or NULL when none is logged but
 * void ones (or the log cannot be read: that is logged). */
const char *lpc_reminder_scheduler_get_reminded (LpcReminderScheduler *scheduler,
                                                 const char *entry_id, gint64 start);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcReminderScheduler, lpc_reminder_scheduler_free)

G_END_DECLS
