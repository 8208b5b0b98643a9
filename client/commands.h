/* commands.h: the commands of lpc-agenda, one file per group; main.c's table
 * names them. */
#pragma once

#include "call.h"
#include "cli.h"

G_BEGIN_DECLS

/* cmd-program.c: the conference program. */
gboolean lpc_command_list (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                           GError **error);
gboolean lpc_command_search (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);
gboolean lpc_command_show (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                           GError **error);

/* cmd-agenda.c: the user's picks. */
gboolean lpc_command_add (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                          GError **error);
gboolean lpc_command_remove (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);
gboolean lpc_command_skip (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                           GError **error);
gboolean lpc_command_unskip (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);
gboolean lpc_command_agenda (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);

/* cmd-now.c: what is on, by the daemon's clock. */
gboolean lpc_command_next (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                           GError **error);
gboolean lpc_command_now (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                          GError **error);

/* cmd-conflicts.c: conflicts and their way out, free time, the program's defects. */
gboolean lpc_command_conflicts (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                                GError **error);
gboolean lpc_command_resolve (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                              GError **error);
gboolean lpc_command_free (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                           GError **error);
gboolean lpc_command_check (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                            GError **error);

/* cmd-planner.c: the calendar export. */
gboolean lpc_command_export (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);

/* cmd-daemon.c: the daemon's state, settings and program. */
gboolean lpc_command_status (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);
gboolean lpc_command_config (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);
gboolean lpc_command_import (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);

/* cmd-reminders.c: reminders. */
gboolean lpc_command_snooze (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);

/* cmd-repair.c: salvaging a damaged database (offline, through lpc-agendad --repair). */
gboolean lpc_command_repair (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                             GError **error);

G_END_DECLS
