/* wall-timer.h: one timer on the wall clock (CLOCK_REALTIME), for the next
 * due reminder only. GLib, no D-Bus.
 *
 * Why not g_timeout_add: GLib's timeouts run on the monotonic clock, which
 * stops while the machine sleeps, so a timeout armed for 10:00 before a
 * suspend fires late by the time slept. A timerfd on CLOCK_REALTIME with
 * TFD_TIMER_ABSTIME fires at the wall-clock instant whatever happened in
 * between; with TFD_TIMER_CANCEL_ON_SET it also tells us when the wall clock
 * jumped (someone set the time, NTP stepped it, or the machine resumed from
 * suspend: the kernel counts the jump of CLOCK_REALTIME against the
 * monotonic clock at resume as a clock change), and the callback gets
 * clock_changed = TRUE so the caller re-evaluates what is due (the
 * missed-reminder rule). A timer whose instant passed during a suspend fires
 * at resume either way.
 *
 * Disarmed, the timer causes no wake-ups at all: nothing polls.
 *
 * The timer works in real wall-clock time; a caller running a simulated
 * clock converts with lpc_clock_to_real_usec() first. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LpcWallTimer LpcWallTimer;

/* Called on the main context the timer was created in, once per arming:
 * when the armed instant is reached (clock_changed FALSE), or earlier when
 * the wall clock was set or the machine resumed (clock_changed TRUE). Either
 * way the timer is disarmed when it is called; re-arm it from the callback. */
typedef void (*LpcWallTimerFunc) (gboolean clock_changed, gpointer user_data);

/* The timer is watched in the thread-default main context at the time of
 * the call. Fails only when the kernel refuses a timerfd. */
LpcWallTimer *lpc_wall_timer_new (LpcWallTimerFunc func, gpointer user_data, GError **error);
void lpc_wall_timer_free (LpcWallTimer *timer);

/* Arms the timer for @real_usec (Unix microseconds on CLOCK_REALTIME),
 * replacing any earlier arming. An instant in the past fires at once. */
void lpc_wall_timer_arm (LpcWallTimer *timer, gint64 real_usec);
void lpc_wall_timer_disarm (LpcWallTimer *timer);
/* The armed instant, or 0 when disarmed. */
gint64 lpc_wall_timer_get_deadline (LpcWallTimer *timer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcWallTimer, lpc_wall_timer_free)

G_END_DECLS
