/* lpc-error.h: the one error enum shared by the core, the daemon and the client.
 *
 * (Callers from another Unix user get GIO's own G_DBUS_ERROR_ACCESS_DENIED.)
 *
 * Each value carries its D-Bus error name, registered once, so an error raised
 * deep in the core reaches a D-Bus caller under its own name and the client can
 * match it and print its message without the remote-error prefix.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LPC_ERROR (lpc_error_quark ())

typedef enum
{
  LPC_ERROR_FAILED,           /* org.lpcagenda.Agenda1.Error.Failed */
  LPC_ERROR_NO_SUCH_TALK,     /* .NoSuchTalk */
  LPC_ERROR_AMBIGUOUS_ID,     /* .AmbiguousId */
  LPC_ERROR_NOT_ATTENDABLE,   /* .NotAttendable */
  LPC_ERROR_INVALID_ARGUMENT, /* .InvalidArgument */
  LPC_ERROR_PROGRAM_INVALID,  /* .ProgramInvalid */
  LPC_ERROR_STORAGE,          /* .Storage */
  LPC_ERROR_NOT_SUPPORTED,    /* .NotSupported: a feature this build does not have yet */
  LPC_ERROR_LIMIT_EXCEEDED,   /* .LimitExceeded: the answer would not fit in one D-Bus message */
  LPC_ERROR_N_ERRORS
} LpcError;

GQuark lpc_error_quark (void);

/* The D-Bus error name of @code, e.g. "org.lpcagenda.Agenda1.Error.NoSuchTalk". */
const char *lpc_error_dbus_name (LpcError code);

/* Removes the "GDBus.Error:name: " prefix a remote error carries, so the client
 * can print the message a person can act on. */
void lpc_error_strip_remote (GError *error);

G_END_DECLS
