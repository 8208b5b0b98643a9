/* reminders.h: the reminder schedule — which reminder is due when, for which
 * agenda item, and what it says. Plain C: no D-Bus, no libnotify, no timers.
 * The caller owns the clock and the timer; this module is told "now".
 *
 * A reminder is keyed in the store's reminder log by (entry, start it is for,
 * lead minutes), so a daemon restart never repeats one, and a talk the program
 * moved is reminded again for its new start. Each key is, in memory, either
 * untouched, in flight (taken by lpc_reminders_take_due(), not yet recorded)
 * or held (could not be shown: waits for lpc_reminders_release_held()).
 *
 * The rules:
 * - Only planned and moved items are reminded; skipped and cancelled ones
 *   never. Every item gets its own reminder, also when several start in the
 *   same minute.
 * - Leads: the item's own list ("10,0", "off") or else the default list.
 * - On time: taken within the grace period after it was due, it reads
 *   "In 5 min: <title>" ("Now: <title>" for lead 0).
 * - Late (the daemon was not running, the machine slept, no notification
 *   server took it, or the item was planned after the instant): if the talk
 *   has not ended, one reminder covering every late lead, "Starts in 3 min:
 *   …" / "Now: …" / "Started 2 min ago: …"; if it has ended, none.
 * - Missed: a reminder is owed from the instant its item is planned with
 *   that lead; an owed one not shown by the talk's end is recorded missed.
 *   One that fell due before the item was planned with that lead (added
 *   after the talk, planned again after a skip, lead given after its time)
 *   was never owed: recorded void, never "missed". See set_agenda().
 * - Snooze: once more after N minutes, never at or after the talk's end.
 */
#pragma once

#include "agenda.h"

G_BEGIN_DECLS

/* Taken this long (seconds, on the agenda clock) after it was due, a
 * reminder still counts as on time. */
#define LPC_REMINDERS_GRACE_DEFAULT 60

typedef enum
{
  LPC_REMINDER_KIND_ON_TIME,   /* "In 5 min: …", "Now: …" */
  LPC_REMINDER_KIND_LATE,      /* the missed-reminder rule: "Starts in 3 min: …" */
  LPC_REMINDER_KIND_SNOOZED,   /* a snooze ran out */
  LPC_REMINDER_KIND_MISSED,    /* not to show: owed, the talk ended first; record it missed */
  LPC_REMINDER_KIND_MOVED,     /* a notice: a program re-import moved the pick */
  LPC_REMINDER_KIND_CANCELLED, /* a notice: a program re-import dropped the pick's talk */
} LpcReminderKind;

typedef struct
{
  LpcReminderKind kind;
  char *entry_id;
  char *title;
  gint64 start;    /* Unix seconds: the start this reminder is for */
  gint64 end;      /* Unix seconds: no use showing it after this */
  gint64 due;      /* Unix seconds (agenda clock): when it was due */
  GArray *leads;   /* gint minutes: the log keys it covers, largest first;
                    * empty for a pure snooze and for notices */
  gboolean snooze; /* it covers the item's snooze */
  gboolean again;  /* it was held before: this is a retry (ReminderFired was
                    * already emitted for it) */
  char *summary;   /* plain text, as the notification spec wants it */
  char *body;      /* body markup: every piece of text escaped */
  char *body_text; /* the same lines as plain text, for logs */
} LpcReminder;

LpcReminder *lpc_reminder_copy (const LpcReminder *reminder);
void lpc_reminder_free (LpcReminder *reminder);
const char *lpc_reminder_kind_to_string (LpcReminderKind kind);
/* Moved and cancelled notices: shown, never recorded in the log. */
gboolean lpc_reminder_is_notice (const LpcReminder *reminder);
/* ON_TIME, LATE and SNOOZED: reminders one shows. */
gboolean lpc_reminder_is_shown (const LpcReminder *reminder);

typedef struct _LpcReminders LpcReminders;

/* @store (borrowed: it must outlive the schedule) holds the reminder log;
 * @local_zone is the zone texts give times in (the machine's, normally
 * g_time_zone_new_local ()). The default lead list is LPC_LEAD_TIME_DEFAULT. */
LpcReminders *lpc_reminders_new (LpcStore *store, GTimeZone *local_zone);
void lpc_reminders_free (LpcReminders *reminders);

/* The lead list for items without one of their own: a spec as
 * lpc_agenda_normalize_remind() takes ("5", "10,0", "off"). */
gboolean lpc_reminders_set_default_leads (LpcReminders *reminders, const char *spec,
                                          GError **error);
/* Seconds on the agenda clock; see LPC_REMINDERS_GRACE_DEFAULT. With a
 * simulated clock running N times faster, timer latency is N times longer
 * in its terms: use MAX (60, 2 * N). */
void lpc_reminders_set_grace (LpcReminders *reminders, gint64 seconds);

/* Replaces the agenda the schedule works from, at @now (Unix seconds, agenda
 * clock). @rows: LpcAgendaRow*, as lpc_agenda_list_agenda() gives them
 * (every state; copied). @clashes: NULL, or entry id -> NULL-terminated
 * char** of the titles of other picks it clashes with (copied). Snoozes and
 * held reminders whose item is no longer planned, or starts at another time,
 * are dropped. The first call of a schedule is the agenda as the daemon
 * starts: its reminders were owed all along. In a later call, a reminder
 * the previous agenda did not have (with the current default leads) is owed
 * from @now: one of a talk that ended by @now is logged void, never missed.
 * A change of the default leads counts at the next call. */
void lpc_reminders_set_agenda (LpcReminders *reminders, GPtrArray *rows, GHashTable *clashes,
                               gint64 now);

/* When the next reminder to show is due (Unix seconds), or 0 when none is:
 * the NextReminder property. It may be before @now: then it is due now.
 * Held reminders and those of talks that ended by @now do not count. */
gint64 lpc_reminders_get_next_due (LpcReminders *reminders, gint64 now);
/* The same for one item (GetAgenda's reminder time); 0 when none. */
gint64 lpc_reminders_get_next_due_for (LpcReminders *reminders, const char *entry_id, gint64 now);
/* When lpc_reminders_take_due() next has work (Unix seconds), or 0 for
 * never: the next due reminder, a reminder of an ended talk still to record
 * as missed (at once), or the end of a talk whose reminder is held. What the
 * wall timer is armed for. */
gint64 lpc_reminders_get_next_wakeup (LpcReminders *reminders);

/* Takes every reminder due at @now (Unix seconds, agenda clock), one per
 * item, in order of start: LpcReminder* to show (is_shown) or to record as
 * missed (LPC_REMINDER_KIND_MISSED: owed, the talk ended by @now; void ones
 * are logged already and never come here). Their keys are in flight until
 * lpc_reminders_record() or lpc_reminders_mark_failed(). Never NULL. */
GPtrArray *lpc_reminders_take_due (LpcReminders *reminders, gint64 now);

/* Records @reminder in the log: shown at @at (or missed, for MISSED). A
 * snooze it covers is used up. */
gboolean lpc_reminders_record (LpcReminders *reminders, const LpcReminder *reminder, gint64 at,
                               GError **error);
/* @reminder could not be shown: its keys are held, neither due nor
 * recorded, until lpc_reminders_release_held(); when the talk ends first
 * they are taken as missed. */
void lpc_reminders_mark_failed (LpcReminders *reminders, const LpcReminder *reminder);
/* A notification server is there (again): held reminders are due again
 * (re-taken late, with up-to-date text). TRUE when there were any. */
gboolean lpc_reminders_release_held (LpcReminders *reminders);

/* Shows @entry_id's reminder again @minutes (1–1440) after @now. Fails with
 * LPC_ERROR_NO_SUCH_TALK when the item is not planned (or moved), and with
 * LPC_ERROR_INVALID_ARGUMENT when the talk has ended or would have by then:
 * a snooze never fires at or after the talk's end. A new snooze replaces
 * the item's previous one. */
gboolean lpc_reminders_snooze (LpcReminders *reminders, const char *entry_id, guint minutes,
                               gint64 now, GError **error);

/* After lpc_reminders_set_agenda() with the agenda a program re-import
 * left: the "Moved: <title> 10:00 → 11:30, <room>" or "Cancelled: <title>"
 * notice for @entry_id, or NULL when that item is neither moved nor
 * cancelled. */
LpcReminder *lpc_reminders_make_notice (LpcReminders *reminders, const char *entry_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcReminder, lpc_reminder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcReminders, lpc_reminders_free)

G_END_DECLS
