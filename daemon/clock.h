/* clock.h: the daemon's notion of "now" — the real wall clock, or a simulated
 * one (for demos and tests) that starts at a given instant and runs N times
 * faster. Times are Unix microseconds on the wall clock (CLOCK_REALTIME), so
 * they stay right across suspend and clock changes. Plain C, no D-Bus. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LpcClock LpcClock;

LpcClock *lpc_clock_new_real (void);
/* Simulated: "now" is @start_usec at creation and advances @rate times
 * faster than the real clock (@rate > 0). */
LpcClock *lpc_clock_new_simulated (gint64 start_usec, double rate);
/* Simulated, but standing still at @start_usec until lpc_clock_start (): the
 * daemon starts it once it owns its bus name, so the time it took to start
 * (seconds under valgrind or on a loaded machine, minutes of a fast clock)
 * moves nothing on it, and whoever waits for the name finds it at @start_usec. */
LpcClock *lpc_clock_new_simulated_paused (gint64 start_usec, double rate);
/* Sets a paused clock running from where it stands; nothing for a running one. */
void lpc_clock_start (LpcClock *clock);

/* The fastest simulated clock: an hour a second runs a whole conference
 * week in three minutes; beyond it a reminder's minute is a fraction of the
 * real timer's latency, and far instants would overflow the arithmetic. */
#define LPC_CLOCK_RATE_MAX 3600.0
void lpc_clock_free (LpcClock *clock);

gboolean lpc_clock_is_simulated (LpcClock *clock);
double lpc_clock_get_rate (LpcClock *clock);

/* Now, on this clock, in Unix microseconds. */
gint64 lpc_clock_now_usec (LpcClock *clock);
/* Now, in Unix seconds. */
gint64 lpc_clock_now (LpcClock *clock);

/* The real wall-clock instant (Unix usec, CLOCK_REALTIME) at which this clock
 * reads @clock_usec: what a timerfd on CLOCK_REALTIME must be armed for. For a
 * paused clock: the instant were it started now. */
gint64 lpc_clock_to_real_usec (LpcClock *clock, gint64 clock_usec);

/* Parses an ISO 8601 instant with a zone or offset ("2021-09-20T06:50:00-07:00",
 * "2021-09-20T13:50:00Z") into Unix microseconds. A local time without an
 * offset is refused: it is ambiguous. */
gboolean lpc_clock_parse_instant (const char *text, gint64 *out_usec, GError **error);

/* ---- instants in texts a person reads ----
 *
 * The one rule for every time the daemon writes into a text (error messages,
 * notification summaries and bodies, log lines): the instant in the zone it
 * is given — the daemon's local zone, in the daemon — followed by that
 * zone's label, its abbreviation and its IANA name: "Mon 20 Sep, 14:45 CEST
 * (Europe/Prague)". Never a bare "14:45", also not in a notification: the
 * daemon's zone is the machine's, where the desktop is, but its TZ can
 * differ from the reader's (a systemd user manager started with another TZ,
 * a shell or client with its own --tz, an SSH session), and the daemon
 * cannot know. A labelled time is right for every reader; a bare one only
 * for some. The abbreviation is for a glance; the IANA name because
 * abbreviations are ambiguous (CST, IST) and it is what --tz takes. */

typedef enum
{
  LPC_TIME_TEXT_CLOCK,   /* "14:45" */
  LPC_TIME_TEXT_WEEKDAY, /* "Mon 14:45" */
  LPC_TIME_TEXT_DATE,    /* "Mon 20 Sep, 14:45" */
} LpcTimeTextStyle;

/* The label of @zone at instant @t (Unix seconds): "CEST (Europe/Prague)",
 * "UTC"; a zone without an IANA name (a POSIX TZ string) gives its offset:
 * "+0530 (UTC+05:30)". */
char *lpc_time_text_zone_label (GTimeZone *zone, gint64 t);
/* @t (Unix seconds) in @zone, in @style, with the zone's label:
 * "Mon 20 Sep, 14:45 CEST (Europe/Prague)". */
char *lpc_time_text (GTimeZone *zone, gint64 t, LpcTimeTextStyle style);
/* Two instants sharing one label, joined by @separator ("–", " → "): @from
 * in @style (CLOCK turns WEEKDAY when the two are on different days), @to
 * with its clock only when on the same day: "Mon 20 Sep, 10:00–10:45 PDT
 * (America/Los_Angeles)", "Mon 23:30 → Tue 00:30 CEST (Europe/Prague)".
 * When the abbreviations differ (a summer time change between), @from
 * carries its own. */
char *lpc_time_text_span (GTimeZone *zone, gint64 from, gint64 to, LpcTimeTextStyle style,
                          const char *separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcClock, lpc_clock_free)

G_END_DECLS
