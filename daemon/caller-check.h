/* caller-check.h: only the Unix user the daemon runs as may use it.
 *
 * The sender's uid comes from the bus (GetConnectionUnixUser), asked
 * asynchronously so a method call never blocks the main loop while it waits,
 * and remembered per sender (unique names are never reused on a bus, so a
 * remembered answer cannot go stale; the cache is bounded by forgetting the
 * oldest senders). Calls from one sender are let through in the order they
 * came, also while its lookup is in flight. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _LpcCallerCheck LpcCallerCheck;

/* Called with the invocation (transfer full) of a call from the allowed user. */
typedef void (*LpcCallerAllowedFunc) (GDBusMethodInvocation *invocation, gpointer user_data);

LpcCallerCheck *lpc_caller_check_new (uid_t allowed_uid);
/* Calls still waiting for their sender's uid are answered with an error
 * saying the daemon is shutting down. */
void lpc_caller_check_free (LpcCallerCheck *check);

/* Takes @invocation: passes it to @allowed once its sender is known to be the
 * allowed user (perhaps at once, perhaps from the main loop later), or answers
 * it with org.freedesktop.DBus.Error.AccessDenied. */
void lpc_caller_check_method (LpcCallerCheck *check, GDBusMethodInvocation *invocation,
                              LpcCallerAllowedFunc allowed, gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcCallerCheck, lpc_caller_check_free)

G_END_DECLS
