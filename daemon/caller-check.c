/* caller-check.c: refusing callers that are another Unix user. */
#include "caller-check.h"

#include "lpc-error.h"

/* Senders remembered at most; each CLI run is a new sender, so without a
 * bound the cache would grow for as long as the daemon runs. */
#define MAX_KNOWN_SENDERS 256

typedef struct
{
  GDBusMethodInvocation *invocation;
  LpcCallerAllowedFunc allowed;
  gpointer user_data;
} WaitingCall;

/* One GetConnectionUnixUser in flight, and the calls waiting for its answer.
 * Owned by the D-Bus call's callback, which always runs (cancelled or not). */
typedef struct
{
  LpcCallerCheck *check; /* NULL once the check is freed */
  char *sender;
  GQueue calls; /* WaitingCall* in arrival order */
} Lookup;

struct _LpcCallerCheck
{
  uid_t allowed_uid;
  GHashTable *known_uids; /* sender (owned) -> uid */
  GQueue known_order;     /* senders (borrowed from known_uids), oldest first */
  GHashTable *lookups;    /* sender -> Lookup* in flight (both borrowed) */
  GCancellable *cancellable;
};

LpcCallerCheck *
lpc_caller_check_new (uid_t allowed_uid)
{
  LpcCallerCheck *check = g_new0 (LpcCallerCheck, 1);

  check->allowed_uid = allowed_uid;
  check->known_uids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&check->known_order);
  check->lookups = g_hash_table_new (g_str_hash, g_str_equal);
  check->cancellable = g_cancellable_new ();
  return check;
}

static void
lookup_free (Lookup *lookup)
{
  g_assert (g_queue_is_empty (&lookup->calls));
  g_free (lookup->sender);
  g_free (lookup);
}

void
lpc_caller_check_free (LpcCallerCheck *check)
{
  GHashTableIter iter;
  Lookup *lookup;

  if (check == NULL)
    return;
  g_cancellable_cancel (check->cancellable);
  g_hash_table_iter_init (&iter, check->lookups);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lookup))
    {
      WaitingCall *call;

      /* The lookup's callback still runs, and frees it. */
      lookup->check = NULL;
      while ((call = g_queue_pop_head (&lookup->calls)) != NULL)
        {
          g_dbus_method_invocation_return_error_literal (
              call->invocation, LPC_ERROR, LPC_ERROR_FAILED,
              "lpc-agendad is shutting down; call again to reach the next instance");
          g_free (call);
        }
    }
  g_hash_table_unref (check->lookups);
  g_queue_clear (&check->known_order);
  g_hash_table_unref (check->known_uids);
  g_object_unref (check->cancellable);
  g_free (check);
}

static gboolean
lookup_known (LpcCallerCheck *check, const char *sender, uid_t *out_uid)
{
  gpointer uid;

  if (!g_hash_table_lookup_extended (check->known_uids, sender, NULL, &uid))
    return FALSE;
  *out_uid = (uid_t) GPOINTER_TO_UINT (uid);
  return TRUE;
}

static void
remember (LpcCallerCheck *check, const char *sender, uid_t uid)
{
  char *key;

  if (g_hash_table_contains (check->known_uids, sender))
    return;
  if (g_hash_table_size (check->known_uids) >= MAX_KNOWN_SENDERS)
    g_hash_table_remove (check->known_uids, g_queue_pop_head (&check->known_order));
  key = g_strdup (sender);
  g_hash_table_insert (check->known_uids, key, GUINT_TO_POINTER ((guint) uid));
  g_queue_push_tail (&check->known_order, key);
}

static gboolean
check_uid (LpcCallerCheck *check, uid_t uid, GError **error)
{
  if (uid == check->allowed_uid)
    return TRUE;
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
               "lpc-agendad serves only the user it runs as (uid %u); this call came from uid %u",
               (guint) check->allowed_uid, (guint) uid);
  return FALSE;
}

/* A peer-to-peer connection (no bus): the kernel told GDBus who is at the
 * other end when it authenticated. */
static gboolean
check_peer (LpcCallerCheck *check, GDBusConnection *connection, GError **error)
{
  GCredentials *credentials = g_dbus_connection_get_peer_credentials (connection);
  uid_t uid;

  if (credentials == NULL)
    {
      g_set_error_literal (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                           "the caller's Unix user is unknown on this connection");
      return FALSE;
    }
  uid = g_credentials_get_unix_user (credentials, error);
  if (uid == (uid_t) -1)
    return FALSE;
  return check_uid (check, uid, error);
}

static void
dispatch (LpcCallerCheck *check, GDBusMethodInvocation *invocation, uid_t uid,
          LpcCallerAllowedFunc allowed, gpointer user_data)
{
  GError *error = NULL;

  if (check_uid (check, uid, &error))
    allowed (invocation, user_data);
  else
    g_dbus_method_invocation_take_error (invocation, error);
}

static void
on_uid_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;
  LpcCallerCheck *check = lookup->check;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  WaitingCall *call;
  guint32 uid = 0;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (check == NULL)
    {
      lookup_free (lookup);
      return;
    }
  g_hash_table_remove (check->lookups, lookup->sender);
  if (reply != NULL)
    {
      g_variant_get (reply, "(u)", &uid);
      remember (check, lookup->sender, (uid_t) uid);
    }
  else
    g_debug ("cannot look up the Unix user of %s: %s", lookup->sender, error->message);

  while ((call = g_queue_pop_head (&lookup->calls)) != NULL)
    {
      if (reply != NULL)
        dispatch (check, call->invocation, (uid_t) uid, call->allowed, call->user_data);
      else
        g_dbus_method_invocation_return_error (
            call->invocation, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
            "cannot tell which Unix user the caller %s is: %s", lookup->sender, error->message);
      g_free (call);
    }
  lookup_free (lookup);
}

void
lpc_caller_check_method (LpcCallerCheck *check, GDBusMethodInvocation *invocation,
                         LpcCallerAllowedFunc allowed, gpointer user_data)
{
  GDBusConnection *connection = g_dbus_method_invocation_get_connection (invocation);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  WaitingCall *call;
  Lookup *lookup;
  uid_t uid;

  if (sender == NULL || g_dbus_connection_get_unique_name (connection) == NULL)
    {
      GError *error = NULL;

      if (check_peer (check, connection, &error))
        allowed (invocation, user_data);
      else
        g_dbus_method_invocation_take_error (invocation, error);
      return;
    }

  lookup = g_hash_table_lookup (check->lookups, sender);
  /* A call that arrives while its sender's lookup is in flight waits behind
   * the earlier ones, so the sender's calls keep their order. */
  if (lookup == NULL && lookup_known (check, sender, &uid))
    {
      dispatch (check, invocation, uid, allowed, user_data);
      return;
    }
  if (lookup == NULL)
    {
      lookup = g_new0 (Lookup, 1);
      lookup->check = check;
      lookup->sender = g_strdup (sender);
      g_queue_init (&lookup->calls);
      g_hash_table_insert (check->lookups, lookup->sender, lookup);
      g_dbus_connection_call (
          connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
          "GetConnectionUnixUser", g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(u)"),
          G_DBUS_CALL_FLAGS_NONE, -1, check->cancellable, on_uid_looked_up, lookup);
    }
  call = g_new0 (WaitingCall, 1);
  call->invocation = invocation;
  call->allowed = allowed;
  call->user_data = user_data;
  g_queue_push_tail (&lookup->calls, call);
}
