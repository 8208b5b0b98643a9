/* notifier.h: shows reminders as desktop notifications (libnotify), off the
 * daemon's main loop.
 *
 * libnotify 0.8 talks to the server with blocking D-Bus calls that wait up to
 * 25 s (GDBus's default timeout, on a proxy libnotify keeps to itself), and
 * its first use blocks on GetServerInformation. So every libnotify call runs
 * on a worker thread with a main context of its own, which also owns every
 * NotifyNotification (action and "closed" callbacks arrive there). The main
 * thread only posts reminders and gets events back, on the main context the
 * notifier was created in, through g_main_context_invoke.
 *
 * The server:
 * - Watched with g_bus_watch_name (started at the first post, with
 *   auto-start, so a D-Bus-activatable server starts when a reminder first
 *   needs it). libnotify is never called while org.freedesktop.Notifications
 *   has no owner: notify_get_server_caps() logs a g_warning then, fatal under
 *   G_DEBUG=fatal-warnings; the capabilities are asked for with our own
 *   GetCapabilities call instead, so that race cannot happen either.
 * - None there: a reminder fails at once with FAILED; one log message (not a
 *   warning) per absence says so. When a server appears the notifier sends
 *   READY: release the held reminders then (lpc_reminders_release_held()).
 * - One that owns the name and never answers: the worker blocks (10 s in our
 *   GetCapabilities, or 25 s in libnotify's Notify), the main loop does
 *   not. After the timeout the server counts as unresponsive: further
 *   reminders fail at once (no blocking call each, so nothing piles up), and
 *   READY comes after a back-off (30 s, doubling to 10 min) for one more
 *   try. A reminder is thus tried at most once per back-off period, and only
 *   the requests posted meanwhile (one per reminder) ever queue.
 *
 * Every reminder also goes to the log (journal or stderr) as a structured
 * message, so the demo shows it without a notification server.
 *
 * libnotify's state (notify_init, its proxy) is process-global: have one
 * notifier per process. */
#pragma once

#include "reminders.h"

G_BEGIN_DECLS

#define LPC_NOTIFIER_APP_NAME "lpc-agenda"
#define LPC_NOTIFIER_DESKTOP_ENTRY "lpc-agenda"
/* The spec has no standard category for calendar reminders; non-standard
 * ones take the form "x-vendor.class.name". */
#define LPC_NOTIFIER_CATEGORY_REMINDER "x-lpcagenda.reminder"
#define LPC_NOTIFIER_CATEGORY_NOTICE "x-lpcagenda.reminder.changed"
#define LPC_NOTIFIER_ACTION_SNOOZE "snooze"
#define LPC_NOTIFIER_ACTION_SKIP "skip"
#define LPC_NOTIFIER_SNOOZE_MINUTES 5

typedef enum
{
  LPC_NOTIFIER_SHOWN,  /* the server took it (id): record it (lpc_reminders_record) */
  LPC_NOTIFIER_FAILED, /* not shown (message says why): lpc_reminders_mark_failed() */
  LPC_NOTIFIER_READY,  /* a server is there (again): lpc_reminders_release_held() */
  LPC_NOTIFIER_ACTION, /* the user picked an action: "snooze" or "skip" */
  LPC_NOTIFIER_CLOSED, /* it left the screen (closed_reason) */
} LpcNotifierEventKind;

typedef struct
{
  LpcNotifierEventKind kind;
  const LpcReminder *reminder; /* the one posted (a copy); NULL for READY */
  guint32 id;                  /* SHOWN, ACTION, CLOSED: the server's id */
  const char *action;          /* ACTION */
  const char *message;         /* FAILED */
  gint closed_reason;          /* CLOSED: 1 expired, 2 dismissed, 3 closed by us,
                                * 4 undefined; 0 when the server went away */
} LpcNotifierEvent;

const char *lpc_notifier_event_kind_to_string (LpcNotifierEventKind kind);

/* Called on the main context for every event; the event and what it points
 * to are valid during the call only. Never called after lpc_notifier_free(). */
typedef void (*LpcNotifierFunc) (const LpcNotifierEvent *event, gpointer user_data);

typedef struct _LpcNotifier LpcNotifier;

/* Starts the worker thread. Events go to the thread-default main context at
 * the time of the call. */
LpcNotifier *lpc_notifier_new (LpcNotifierFunc func, gpointer user_data);
/* Stops the worker. Waits up to a second for it; a worker stuck in a call to
 * a server that does not answer is left to finish on its own (it holds
 * nothing of the caller's). */
void lpc_notifier_free (LpcNotifier *notifier);

/* Logs @reminder and shows it: a reminder (is_shown) with the snooze and
 * skip actions when the server has the "actions" capability, a notice
 * without. @expires_real_usec (Unix microseconds, CLOCK_REALTIME; the talk's
 * end, via lpc_clock_to_real_usec()): not shown after that, and closed then
 * if still on screen. Each post ends in SHOWN or FAILED. */
void lpc_notifier_post (LpcNotifier *notifier, const LpcReminder *reminder,
                        gint64 expires_real_usec);

/* Only the log line lpc_notifier_post() writes. */
void lpc_notifier_log (const LpcReminder *reminder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcNotifier, lpc_notifier_free)

G_END_DECLS
