/* call.h: how long lpc-agenda waits for the daemon, and what it says when
 * the daemon does not answer in time: for a call that changes something,
 * whether the change was applied, read back once the daemon answers again. */
#pragma once

#include "cli.h"

G_BEGIN_DECLS

/* The wait for an answer unless LPC_AGENDA_TIMEOUT says otherwise: GDBus's
 * own default, long enough for any call but an import. */
#define LPC_CALL_TIMEOUT_MSEC (25 * 1000)

/* Sets how long each call waits for its answer: LPC_AGENDA_TIMEOUT (seconds)
 * when set, else @default_msec. Fails with G_OPTION_ERROR on a bad
 * LPC_AGENDA_TIMEOUT. */
gboolean lpc_call_set_timeout (LpcCli *cli, int default_msec, GError **error);

/* Declares the change the command's next call makes, replacing any earlier
 * one: @what names it for messages ("adding 5130"), @subject is the id or
 * property it reads back by, @value (sunk) the value a setting must read,
 * and @check the command a person runs to look for themselves. */
void lpc_call_expect_change (LpcCli *cli, LpcChangeKind kind, const char *what, const char *subject,
                             GVariant *value, const char *check);

/* Whether @error is a call that got no answer in time. */
gboolean lpc_call_is_timeout (const GError *error);

/* Reports a call that got no answer in time, and for a change in flight
 * waits a bounded while longer to read back whether it was applied.
 * Returns the exit status: LPC_EXIT_OK only when the change was applied. */
LpcExitStatus lpc_call_report_timeout (LpcCli *cli);

G_END_DECLS
