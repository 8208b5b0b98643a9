/* notifier.c: libnotify on a worker thread of its own. */
#include "notifier.h"

#include <gio/gio.h>
#include <libnotify/notify.h>

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define NOTIFICATIONS_INTERFACE "org.freedesktop.Notifications"

/* GetCapabilities is cheap for any live server; waiting less than libnotify's
 * 25 s for it finds a hung one sooner. */
#define CAPS_TIMEOUT_MSEC 10000
#define BACKOFF_FIRST_SEC 30
#define BACKOFF_MAX_SEC 600
/* How long lpc_notifier_free() waits for the worker. */
#define STOP_WAIT_USEC (1 * G_USEC_PER_SEC)

typedef enum
{
  SERVER_UNKNOWN, /* not watched yet, or the watch has not answered */
  SERVER_ABSENT,
  SERVER_PRESENT,
} ServerState;

typedef struct
{
  LpcReminder *reminder;
  gint64 expires; /* Unix usec, CLOCK_REALTIME */
} Request;

typedef struct _Shared Shared;

/* A notification on screen, kept alive until it is closed so its action
 * and "closed" callbacks arrive. */
typedef struct
{
  Shared *shared; /* borrowed */
  NotifyNotification *notification;
  Request *request;
  guint32 id;
  GSource *expiry;
  GSource *close_idle; /* closing it after an action */
  gboolean closing;
} Live;

/* Touched by the worker thread only. */
typedef struct
{
  GMainLoop *loop;
  GDBusConnection *bus;
  guint watch_id;
  ServerState server;
  gboolean told_absent; /* logged "no server" during this absence */
  gboolean caps_known;  /* for the current owner */
  gboolean has_actions;
  gboolean has_body_markup; /* else the body goes as plain text */
  gboolean unresponsive; /* the last call timed out; waiting for retry */
  guint backoff_sec;
  GSource *retry;
  GQueue waiting;  /* Request*: posted before the watch answered */
  GPtrArray *live; /* Live* */
  gboolean notify_initted;
  gboolean stopping;
} Worker;

struct _Shared
{
  gatomicrefcount ref_count;
  GMainContext *main_context;
  GMainContext *worker_context;

  /* Main thread only. */
  LpcNotifierFunc func;
  gpointer user_data;
  gboolean stopped;

  /* The worker tells the main thread it has finished. */
  GMutex lock;
  GCond cond;
  gboolean worker_done;

  Worker worker;
};

struct _LpcNotifier
{
  Shared *shared;
  GThread *thread;
};

/* ---- shared bits ---- */

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
shared_unref (Shared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;
  g_main_context_unref (shared->main_context);
  g_main_context_unref (shared->worker_context);
  g_mutex_clear (&shared->lock);
  g_cond_clear (&shared->cond);
  g_free (shared);
}

static void
request_free (Request *request)
{
  lpc_reminder_free (request->reminder);
  g_free (request);
}

const char *
lpc_notifier_event_kind_to_string (LpcNotifierEventKind kind)
{
  switch (kind)
    {
    case LPC_NOTIFIER_SHOWN:
      return "shown";
    case LPC_NOTIFIER_FAILED:
      return "failed";
    case LPC_NOTIFIER_READY:
      return "ready";
    case LPC_NOTIFIER_ACTION:
      return "action";
    case LPC_NOTIFIER_CLOSED:
      return "closed";
    default:
      g_assert_not_reached ();
    }
}

/* ---- events, worker -> main ---- */

typedef struct
{
  Shared *shared;
  LpcNotifierEvent event;
  LpcReminder *reminder;
  char *action;
  char *message;
} EventJob;

static void
event_job_free (EventJob *job)
{
  lpc_reminder_free (job->reminder);
  g_free (job->action);
  g_free (job->message);
  shared_unref (job->shared);
  g_free (job);
}

static gboolean
dispatch_event (gpointer data)
{
  EventJob *job = data;

  /* Events queued before lpc_notifier_free() are dropped after it. */
  if (!job->shared->stopped)
    job->shared->func (&job->event, job->shared->user_data);
  return G_SOURCE_REMOVE;
}

static void
emit (Shared *shared, LpcNotifierEventKind kind, const Request *request, guint32 id,
      const char *action, const char *message, gint closed_reason)
{
  EventJob *job = g_new0 (EventJob, 1);

  job->shared = shared_ref (shared);
  job->reminder = request != NULL ? lpc_reminder_copy (request->reminder) : NULL;
  job->action = g_strdup (action);
  job->message = g_strdup (message);
  job->event.kind = kind;
  job->event.reminder = job->reminder;
  job->event.id = id;
  job->event.action = job->action;
  job->event.message = job->message;
  job->event.closed_reason = closed_reason;
  g_main_context_invoke_full (shared->main_context, G_PRIORITY_DEFAULT, dispatch_event, job,
                              (GDestroyNotify) event_job_free);
  // cppcheck-suppress memleak ; the main context owns job and frees it (GDestroyNotify)
}

/* Ends @request (owned) with FAILED. */
static void
fail (Shared *shared, Request *request, const char *message)
{
  emit (shared, LPC_NOTIFIER_FAILED, request, 0, NULL, message, 0);
  request_free (request);
}

/* ---- live notifications (worker) ---- */

static void
live_free (Live *live)
{
  if (live->expiry != NULL)
    {
      g_source_destroy (live->expiry);
      g_source_unref (live->expiry);
    }
  if (live->close_idle != NULL)
    {
      g_source_destroy (live->close_idle);
      g_source_unref (live->close_idle);
    }
  /* Drops libnotify's callbacks into us along with our reference. */
  g_signal_handlers_disconnect_by_data (live->notification, live);
  g_object_unref (live->notification);
  request_free (live->request);
  g_free (live);
}

static Live *
find_live (Worker *worker, const NotifyNotification *notification)
{
  for (guint i = 0; i < worker->live->len; i++)
    {
      Live *live = g_ptr_array_index (worker->live, i);
      if (live->notification == notification)
        return live;
    }
  return NULL;
}

static void
on_closed (NotifyNotification *notification, gpointer user_data)
{
  Live *live = user_data;
  Shared *shared = live->shared;

  emit (shared, LPC_NOTIFIER_CLOSED, live->request, live->id, NULL, NULL,
        notify_notification_get_closed_reason (notification));
  g_ptr_array_remove (shared->worker.live, live);
}

/* Closes @live on screen; the server answers with NotificationClosed, which
 * ends it (on_closed). Blocking, like every libnotify call: worker only. */
static void
close_live (Live *live)
{
  g_autoptr (GError) error = NULL;

  if (live->closing)
    return;
  live->closing = TRUE;
  if (!notify_notification_close (live->notification, &error))
    {
      g_debug ("Could not close notification %u: %s", live->id, error->message);
      /* No NotificationClosed will come: end it here. */
      emit (live->shared, LPC_NOTIFIER_CLOSED, live->request, live->id, NULL, NULL, 0);
      g_ptr_array_remove (live->shared->worker.live, live);
    }
}

static gboolean
close_live_idle (gpointer data)
{
  Live *live = data;

  g_clear_pointer (&live->close_idle, g_source_unref);
  close_live (live);
  return G_SOURCE_REMOVE;
}

static gboolean
on_expired (gpointer data)
{
  Live *live = data;

  g_clear_pointer (&live->expiry, g_source_unref);
  if (live->closing)
    {
      /* We closed it (after an action) and the server never said it was
       * gone: stop waiting for it. */
      emit (live->shared, LPC_NOTIFIER_CLOSED, live->request, live->id, NULL, NULL, 0);
      g_ptr_array_remove (live->shared->worker.live, live);
      return G_SOURCE_REMOVE;
    }
  /* The talk is over: its reminder has no use on screen any more. */
  close_live (live);
  return G_SOURCE_REMOVE;
}

static void
on_action (NotifyNotification *notification, char *action, gpointer user_data)
{
  Shared *shared = user_data;
  Live *live = find_live (&shared->worker, notification);

  if (live == NULL || live->closing || live->close_idle != NULL)
    return;
  emit (shared, LPC_NOTIFIER_ACTION, live->request, live->id, action, NULL, 0);
  /* Some servers (dunst) leave the notification up after an action. Close
   * it from an idle, not from inside libnotify's signal handler. */
  live->close_idle = g_idle_source_new ();
  g_source_set_callback (live->close_idle, close_live_idle, live, NULL);
  g_source_attach (live->close_idle, g_main_context_get_thread_default ());
}

static void
drop_all_live (Worker *worker, gint closed_reason, Shared *shared)
{
  while (worker->live->len > 0)
    {
      Live *live = g_ptr_array_index (worker->live, worker->live->len - 1);
      if (closed_reason >= 0)
        emit (shared, LPC_NOTIFIER_CLOSED, live->request, live->id, NULL, NULL, closed_reason);
      g_ptr_array_remove_index (worker->live, worker->live->len - 1);
    }
}

/* ---- talking to the server (worker) ---- */

static gboolean
is_timeout (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY);
}

static gboolean
on_retry (gpointer data)
{
  Shared *shared = data;
  Worker *worker = &shared->worker;

  g_clear_pointer (&worker->retry, g_source_unref);
  worker->unresponsive = FALSE;
  emit (shared, LPC_NOTIFIER_READY, NULL, 0, NULL, NULL, 0);
  return G_SOURCE_REMOVE;
}

static void
cancel_retry (Worker *worker)
{
  if (worker->retry != NULL)
    {
      g_source_destroy (worker->retry);
      g_clear_pointer (&worker->retry, g_source_unref);
    }
}

static void
mark_unresponsive (Shared *shared, const GError *error)
{
  Worker *worker = &shared->worker;

  worker->unresponsive = TRUE;
  worker->backoff_sec = worker->backoff_sec == 0 ? BACKOFF_FIRST_SEC
                                                 : MIN (worker->backoff_sec * 2, BACKOFF_MAX_SEC);
  g_message ("The notification server does not answer (%s); reminders are kept and tried "
             "again in %u s",
             error->message, worker->backoff_sec);
  cancel_retry (worker);
  worker->retry = g_timeout_source_new_seconds (worker->backoff_sec);
  g_source_set_callback (worker->retry, on_retry, shared, NULL);
  g_source_attach (worker->retry, g_main_context_get_thread_default ());
}

/* Reads the server's capabilities (once per owner). FALSE when the server
 * did not answer at all. */
static gboolean
ensure_caps (Shared *shared)
{
  Worker *worker = &shared->worker;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autofree const char **caps = NULL;

  if (worker->caps_known)
    return TRUE;
  reply = g_dbus_connection_call_sync (worker->bus, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                                       NOTIFICATIONS_INTERFACE, "GetCapabilities", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       CAPS_TIMEOUT_MSEC, NULL, &error);
  if (reply == NULL)
    {
      if (is_timeout (error))
        {
          mark_unresponsive (shared, error);
          return FALSE;
        }
      /* A server without GetCapabilities is odd but can still show text. */
      g_debug ("GetCapabilities failed: %s", error->message);
      worker->has_actions = FALSE;
      worker->has_body_markup = FALSE;
      worker->caps_known = TRUE;
      return TRUE;
    }
  g_variant_get (reply, "(^a&s)", &caps);
  worker->has_actions = g_strv_contains (caps, "actions");
  worker->has_body_markup = g_strv_contains (caps, "body-markup");
  worker->caps_known = TRUE;
  return TRUE;
}

static void
show (Shared *shared, Request *request)
{
  Worker *worker = &shared->worker;
  const LpcReminder *reminder = request->reminder;
  /* libnotify 0.8.1 has no autoptr for it. */
  NotifyNotification *notification;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time ();
  Live *live;
  gint id = 0;

  if (now >= request->expires)
    {
      fail (shared, request, "the talk has ended");
      return;
    }
  if (worker->server != SERVER_PRESENT)
    {
      if (!worker->told_absent)
        {
          /* A message, not a warning: no server is a normal state of a
           * session (and the daemon may run with fatal warnings). */
          g_message ("No desktop notification server (%s) on the session bus: reminders are "
                     "logged here and shown when one appears",
                     NOTIFICATIONS_NAME);
          worker->told_absent = TRUE;
        }
      fail (shared, request, "no notification server");
      return;
    }
  if (worker->unresponsive)
    {
      fail (shared, request, "the notification server does not answer; trying again later");
      return;
    }
  if (!ensure_caps (shared))
    {
      fail (shared, request, "the notification server does not answer; trying again later");
      return;
    }
  if (!worker->notify_initted)
    {
      /* Process-global in libnotify; only this thread ever calls it. */
      notify_init (LPC_NOTIFIER_APP_NAME);
      worker->notify_initted = TRUE;
    }

  /* The specification: a server without "body-markup" shows the body as
   * it is, so escaped markup would reach the user as "&amp;". */
  notification = notify_notification_new (reminder->summary,
                                          worker->has_body_markup ? reminder->body
                                                                  : reminder->body_text,
                                          NULL);
  notify_notification_set_app_name (notification, LPC_NOTIFIER_APP_NAME);
  notify_notification_set_category (notification, lpc_reminder_is_notice (reminder)
                                                      ? LPC_NOTIFIER_CATEGORY_NOTICE
                                                      : LPC_NOTIFIER_CATEGORY_REMINDER);
  notify_notification_set_urgency (notification, NOTIFY_URGENCY_NORMAL);
  notify_notification_set_hint (notification, "desktop-entry",
                                g_variant_new_string (LPC_NOTIFIER_DESKTOP_ENTRY));
  if (worker->has_actions && lpc_reminder_is_shown (reminder))
    {
      g_autofree char *snooze_label
          = g_strdup_printf ("Snooze %d min", LPC_NOTIFIER_SNOOZE_MINUTES);
      notify_notification_add_action (notification, LPC_NOTIFIER_ACTION_SNOOZE, snooze_label,
                                      on_action, shared, NULL);
      notify_notification_add_action (notification, LPC_NOTIFIER_ACTION_SKIP, "Skip", on_action,
                                      shared, NULL);
    }

  if (!notify_notification_show (notification, &error))
    {
      gboolean timed_out = is_timeout (error);
      g_autofree char *message = g_strdup_printf (
          timed_out ? "the notification server did not answer: %s; trying again later"
                    : "the notification server refused it: %s",
          error->message);

      if (timed_out)
        mark_unresponsive (shared, error);
      g_object_unref (notification);
      fail (shared, request, message);
      return;
    }
  worker->backoff_sec = 0;

  g_object_get (notification, "id", &id, NULL);
  live = g_new0 (Live, 1);
  live->shared = shared;
  live->notification = notification;
  live->request = request;
  live->id = (guint32) id;
  g_signal_connect (live->notification, "closed", G_CALLBACK (on_closed), live);
  /* Seconds are precise enough to take a stale reminder off the screen. */
  live->expiry = g_timeout_source_new_seconds (
      (guint) MIN ((request->expires - now) / G_USEC_PER_SEC + 1, G_MAXUINT / 2));
  g_source_set_callback (live->expiry, on_expired, live, NULL);
  g_source_attach (live->expiry, g_main_context_get_thread_default ());
  g_ptr_array_add (worker->live, live);
  emit (shared, LPC_NOTIFIER_SHOWN, request, live->id, NULL, NULL, 0);
}

static void
flush_waiting (Shared *shared)
{
  Worker *worker = &shared->worker;
  Request *request;

  while ((request = g_queue_pop_head (&worker->waiting)) != NULL)
    show (shared, request);
}

static void
on_name_appeared (GDBusConnection *bus, const char *name, const char *owner, gpointer user_data)
{
  Shared *shared = user_data;
  Worker *worker = &shared->worker;

  g_debug ("Notification server %s appeared", owner);
  /* A new owner: new capabilities, a fresh start. */
  worker->server = SERVER_PRESENT;
  worker->told_absent = FALSE;
  worker->caps_known = FALSE;
  worker->unresponsive = FALSE;
  worker->backoff_sec = 0;
  cancel_retry (worker);
  flush_waiting (shared);
  /* Unless showing what waited just found it does not answer: then READY
   * comes after the back-off. */
  if (!worker->unresponsive)
    emit (shared, LPC_NOTIFIER_READY, NULL, 0, NULL, NULL, 0);
}

static void
on_name_vanished (GDBusConnection *bus, const char *name, gpointer user_data)
{
  Shared *shared = user_data;
  Worker *worker = &shared->worker;

  if (worker->server == SERVER_PRESENT)
    g_debug ("Notification server went away");
  worker->server = SERVER_ABSENT;
  worker->caps_known = FALSE;
  cancel_retry (worker);
  worker->unresponsive = FALSE;
  /* Its notifications went with it; no NotificationClosed will come. */
  drop_all_live (worker, 0, shared);
  flush_waiting (shared);
}

static void
start_watching (Shared *shared)
{
  Worker *worker = &shared->worker;
  g_autoptr (GError) error = NULL;

  if (worker->watch_id != 0 || worker->bus != NULL)
    return;
  worker->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (worker->bus == NULL)
    {
      g_message ("No session bus (%s): reminders are only logged here", error->message);
      worker->told_absent = TRUE;
      worker->server = SERVER_ABSENT;
      return;
    }
  /* Auto-start: a server that is only D-Bus-activatable starts now, when a
   * reminder first needs it, as it would for notify-send. */
  worker->watch_id = g_bus_watch_name_on_connection (
      worker->bus, NOTIFICATIONS_NAME, G_BUS_NAME_WATCHER_FLAGS_AUTO_START, on_name_appeared,
      on_name_vanished, shared, NULL);
}

/* ---- requests, main -> worker ---- */

typedef struct
{
  Shared *shared;
  Request *request; /* NULL: stop */
} PostJob;

static void
post_job_free (PostJob *job)
{
  if (job->request != NULL)
    request_free (job->request);
  shared_unref (job->shared);
  g_free (job);
}

static gboolean
handle_post (gpointer data)
{
  PostJob *job = data;
  Shared *shared = job->shared;
  Worker *worker = &shared->worker;
  Request *request = g_steal_pointer (&job->request);

  if (request == NULL)
    {
      worker->stopping = TRUE;
      g_main_loop_quit (worker->loop);
      return G_SOURCE_REMOVE;
    }
  if (worker->stopping)
    {
      request_free (request);
      return G_SOURCE_REMOVE;
    }
  start_watching (shared);
  if (worker->server == SERVER_UNKNOWN)
    g_queue_push_tail (&worker->waiting, request);
  else
    show (shared, request);
  return G_SOURCE_REMOVE;
}

static void
send_job (Shared *shared, Request *request)
{
  PostJob *job = g_new0 (PostJob, 1);

  job->shared = shared_ref (shared);
  job->request = request;
  g_main_context_invoke_full (shared->worker_context, G_PRIORITY_DEFAULT, handle_post, job,
                              (GDestroyNotify) post_job_free);
  // cppcheck-suppress memleak ; the main context owns job and frees it (GDestroyNotify)
}

/* ---- the worker thread ---- */

static gpointer
worker_main (gpointer data)
{
  Shared *shared = data;
  Worker *worker = &shared->worker;

  g_main_context_push_thread_default (shared->worker_context);
  worker->loop = g_main_loop_new (shared->worker_context, FALSE);
  worker->live = g_ptr_array_new_with_free_func ((GDestroyNotify) live_free);
  g_queue_init (&worker->waiting);

  g_main_loop_run (worker->loop);

  if (worker->watch_id != 0)
    g_bus_unwatch_name (worker->watch_id);
  cancel_retry (worker);
  g_queue_clear_full (&worker->waiting, (GDestroyNotify) request_free);
  /* Not closed on screen: a daemon that stops should not block on a server
   * (which might not answer) for notifications it cannot act on anyway. */
  drop_all_live (worker, -1, shared);
  g_ptr_array_unref (worker->live);
  if (worker->notify_initted)
    notify_uninit (); /* drops libnotify's proxy and its bus reference */
  g_clear_object (&worker->bus);
  g_main_loop_unref (worker->loop);
  /* Idles still queued (posts after the stop) hold references to @shared;
   * dispatch them away, each only frees itself. */
  while (g_main_context_iteration (shared->worker_context, FALSE))
    ;
  g_main_context_pop_thread_default (shared->worker_context);

  g_mutex_lock (&shared->lock);
  shared->worker_done = TRUE;
  g_cond_signal (&shared->cond);
  g_mutex_unlock (&shared->lock);
  shared_unref (shared);
  return NULL;
}

LpcNotifier *
lpc_notifier_new (LpcNotifierFunc func, gpointer user_data)
{
  LpcNotifier *notifier = g_new0 (LpcNotifier, 1);
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref_count);
  shared->main_context = g_main_context_ref_thread_default ();
  shared->worker_context = g_main_context_new ();
  shared->func = func;
  shared->user_data = user_data;
  g_mutex_init (&shared->lock);
  g_cond_init (&shared->cond);
  notifier->shared = shared;
  notifier->thread = g_thread_new ("lpc-notifier", worker_main, shared_ref (shared));
  return notifier;
}

void
lpc_notifier_free (LpcNotifier *notifier)
{
  Shared *shared;
  gboolean done;
  gint64 deadline;

  if (notifier == NULL)
    return;
  shared = notifier->shared;
  shared->stopped = TRUE;
  send_job (shared, NULL);

  deadline = g_get_monotonic_time () + STOP_WAIT_USEC;
  g_mutex_lock (&shared->lock);
  while (!shared->worker_done)
    {
      if (!g_cond_wait_until (&shared->cond, &shared->lock, deadline))
        break;
    }
  done = shared->worker_done;
  g_mutex_unlock (&shared->lock);
  if (done)
    g_thread_join (notifier->thread);
  else
    {
      g_message ("The notification worker is still waiting for the server; not waiting for it");
      g_thread_unref (notifier->thread);
    }
  shared_unref (shared);
  g_free (notifier);
}

void
lpc_notifier_log (const LpcReminder *reminder)
{
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, reminder->start);
  g_auto (GStrv) lines
      = g_strsplit (reminder->body_text != NULL ? reminder->body_text : "", "\n", -1);
  g_autofree char *details = g_strjoinv (" | ", lines);

  /* One field per line: journalctl LPC_ENTRY_ID=… finds a talk's reminders. */
  /* clang-format off */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "LPC_ENTRY_ID", reminder->entry_id,
                    "LPC_START", start,
                    "LPC_REMINDER_KIND", lpc_reminder_kind_to_string (reminder->kind),
                    "MESSAGE", "%s%s: %s%s%s",
                    lpc_reminder_is_notice (reminder) ? "Agenda change" : "Reminder",
                    reminder->again ? " (again)" : "",
                    reminder->summary, *details != '\0' ? " | " : "", details);
  /* clang-format on */
}

void
lpc_notifier_post (LpcNotifier *notifier, const LpcReminder *reminder, gint64 expires_real_usec)
{
  Request *request = g_new0 (Request, 1);

  lpc_notifier_log (reminder);
  request->reminder = lpc_reminder_copy (reminder);
  request->expires = expires_real_usec;
  send_job (notifier->shared, request);
}
