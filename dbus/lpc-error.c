/* lpc-error.c: the error domain and its D-Bus names. */
#include "lpc-error.h"

#include <gio/gio.h>

static const GDBusErrorEntry lpc_error_entries[] = {
  { LPC_ERROR_FAILED, "org.lpcagenda.Agenda1.Error.Failed" },
  { LPC_ERROR_NO_SUCH_TALK, "org.lpcagenda.Agenda1.Error.NoSuchTalk" },
  { LPC_ERROR_AMBIGUOUS_ID, "org.lpcagenda.Agenda1.Error.AmbiguousId" },
  { LPC_ERROR_NOT_ATTENDABLE, "org.lpcagenda.Agenda1.Error.NotAttendable" },
  { LPC_ERROR_INVALID_ARGUMENT, "org.lpcagenda.Agenda1.Error.InvalidArgument" },
  { LPC_ERROR_PROGRAM_INVALID, "org.lpcagenda.Agenda1.Error.ProgramInvalid" },
  { LPC_ERROR_STORAGE, "org.lpcagenda.Agenda1.Error.Storage" },
  { LPC_ERROR_NOT_SUPPORTED, "org.lpcagenda.Agenda1.Error.NotSupported" },
  { LPC_ERROR_LIMIT_EXCEEDED, "org.lpcagenda.Agenda1.Error.LimitExceeded" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (lpc_error_entries) == LPC_ERROR_N_ERRORS);

GQuark
lpc_error_quark (void)
{
  static gsize quark = 0;

  /* Registering in the quark function, as GIO does for its own domains, means
   * no caller can use the domain before its D-Bus names are known. */
  g_dbus_error_register_error_domain ("lpc-agenda-error-quark", &quark, lpc_error_entries,
                                      G_N_ELEMENTS (lpc_error_entries));
  return (GQuark) quark;
}

const char *
lpc_error_dbus_name (LpcError code)
{
  g_return_val_if_fail (code < LPC_ERROR_N_ERRORS, NULL);
  return lpc_error_entries[code].dbus_error_name;
}

void
lpc_error_strip_remote (GError *error)
{
  if (error != NULL && g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);
}
