/* wall-timer.c: a timerfd on CLOCK_REALTIME, watched by the main loop. */
#include "wall-timer.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct _LpcWallTimer
{
  int fd;
  GSource *source;
  gint64 deadline; /* 0: disarmed */
  LpcWallTimerFunc func;
  gpointer user_data;
};

static void
settime (LpcWallTimer *timer, gint64 real_usec)
{
  struct itimerspec spec;
  int flags = 0;

  memset (&spec, 0, sizeof spec);
  if (real_usec != 0)
    {
      /* An all-zero it_value would disarm: an instant at or before the epoch
       * means "now" anyway. */
      gint64 usec = MAX (real_usec, 1);
      spec.it_value.tv_sec = usec / G_USEC_PER_SEC;
      spec.it_value.tv_nsec = (usec % G_USEC_PER_SEC) * 1000;
      flags = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;
    }
  /* Only EINVAL / EBADF are possible here, both programming errors. */
  if (timerfd_settime (timer->fd, flags, &spec, NULL) != 0)
    g_critical ("timerfd_settime: %s", g_strerror (errno));
}

static gboolean
on_timer_readable (int fd, GIOCondition condition, gpointer user_data)
{
  LpcWallTimer *timer = user_data;
  guint64 expirations = 0;
  gboolean clock_changed;
  ssize_t n = read (fd, &expirations, sizeof expirations);

  if (n == (ssize_t) sizeof expirations)
    clock_changed = FALSE;
  else if (n < 0 && errno == ECANCELED)
    {
      /* The wall clock jumped. The kernel timer may still be armed for the
       * old instant; disarm it so it cannot fire behind the caller's back. */
      clock_changed = TRUE;
      settime (timer, 0);
    }
  else
    {
      /* EAGAIN: someone re-armed the timer between the wake-up and this
       * read, which reset the expiration count. Nothing to do. */
      return G_SOURCE_CONTINUE;
    }
  timer->deadline = 0;
  timer->func (clock_changed, timer->user_data);
  return G_SOURCE_CONTINUE;
}

LpcWallTimer *
lpc_wall_timer_new (LpcWallTimerFunc func, gpointer user_data, GError **error)
{
  LpcWallTimer *timer;
  int fd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create a wall-clock timer: %s", g_strerror (saved_errno));
      return NULL;
    }
  timer = g_new0 (LpcWallTimer, 1);
  timer->fd = fd;
  timer->func = func;
  timer->user_data = user_data;
  /* A disarmed timerfd never becomes readable, so watching it always costs
   * no wake-ups. */
  timer->source = g_unix_fd_source_new (fd, G_IO_IN);
  g_source_set_callback (timer->source, G_SOURCE_FUNC (on_timer_readable), timer, NULL);
  g_source_set_static_name (timer->source, "lpc-wall-timer");
  g_source_attach (timer->source, g_main_context_get_thread_default ());
  return timer;
}

void
lpc_wall_timer_free (LpcWallTimer *timer)
{
  if (timer == NULL)
    return;
  g_source_destroy (timer->source);
  g_source_unref (timer->source);
  close (timer->fd);
  g_free (timer);
}

void
lpc_wall_timer_arm (LpcWallTimer *timer, gint64 real_usec)
{
  g_return_if_fail (real_usec > 0);

  timer->deadline = real_usec;
  settime (timer, real_usec);
}

void
lpc_wall_timer_disarm (LpcWallTimer *timer)
{
  if (timer->deadline == 0)
    return;
  timer->deadline = 0;
  settime (timer, 0);
}

gint64
lpc_wall_timer_get_deadline (LpcWallTimer *timer)
{
  return timer->deadline;
}
