/* cli.h: what every lpc-agenda command shares — the global options, the
 * connection to the daemon, the display zone, and the command table's type. */
#pragma once

#include <gio/gio.h>

#include "lpc-agenda-generated.h"
#include "term.h"

G_BEGIN_DECLS

/* The exit statuses lpc-agenda(1) documents. */
typedef enum
{
  LPC_EXIT_OK = 0,
  LPC_EXIT_FAILURE = 1,
  LPC_EXIT_USAGE = 2,
  LPC_EXIT_NO_SUCH_TALK = 3,
} LpcExitStatus;

/* What a command's call changes, so that a call that gets no answer in
 * time can be read back (see call.h). */
typedef enum
{
  LPC_CHANGE_NONE,       /* a read: nothing to read back */
  LPC_CHANGE_ON_AGENDA,  /* add: the id is on the agenda */
  LPC_CHANGE_OFF_AGENDA, /* remove: it is not */
  LPC_CHANGE_SKIPPED,    /* skip: it is on the agenda, skipped */
  LPC_CHANGE_UNSKIPPED,  /* unskip: it is on the agenda, not skipped */
  LPC_CHANGE_SETTING,    /* config KEY VALUE: the property reads VALUE */
  LPC_CHANGE_OPAQUE,     /* import, resolve --apply, snooze, update: no one read tells */
} LpcChangeKind;

typedef struct
{
  LpcChangeKind kind;
  char *what;      /* for messages: "adding 5130" */
  char *subject;   /* the id (agenda kinds) or the property (LPC_CHANGE_SETTING) */
  GVariant *value; /* LPC_CHANGE_SETTING: the value set */
  char *check;     /* the command that shows it, for a person to run */
} LpcChange;

typedef struct _LpcCli LpcCli;
typedef struct _LpcCommand LpcCommand;

/* Runs one command on its own arguments (argv[0] is the command's name).
 * Returns FALSE with @error set on failure; main() turns the error into a
 * message and an exit status. */
typedef gboolean (*LpcCommandFunc) (LpcCli *cli, const LpcCommand *command, int argc, char **argv,
                                    GError **error);

typedef enum
{
  LPC_COMMAND_NONE = 0,
  LPC_COMMAND_JSON = 1 << 0, /* has --json output */
} LpcCommandFlags;

struct _LpcCommand
{
  const char *name;
  LpcCommandFunc fn;
  const char *description;
  const char *arguments; /* for the usage line, e.g. "ID" or "[KEY [VALUE]]" */
  LpcCommandFlags flags;
};

struct _LpcCli
{
  /* Global options, also accepted after the command's name. */
  gboolean json;
  gboolean no_color;
  char *tz_option; /* "local", "conference" or a zone identifier */
  gboolean help;

  LpcTerm term;
  /* Set by a command that succeeded but has something to signal, as
   * `conflicts` does when there are conflicts (the way diff(1) does). */
  LpcExitStatus status;

  LpcChange change; /* the change in flight, if any */

  GDBusConnection *connection;
  LpcAgenda1 *proxy;
  GTimeZone *zone;            /* the display zone, once known */
  GTimeZone *conference_zone; /* the program's zone, once asked for */
};

void lpc_cli_init (LpcCli *cli);
void lpc_cli_clear (LpcCli *cli);

/* The options every command takes: --tz, --no-color, --help, and --json when
 * @with_json. The entries point into @cli. */
GOptionEntry *lpc_cli_global_entries (LpcCli *cli, gboolean with_json);

typedef enum
{
  LPC_ARGS_RUN,  /* parsed: go on */
  LPC_ARGS_DONE, /* --help was printed: nothing more to do */
  LPC_ARGS_FAILED,
} LpcArgsResult;

/* Parses a command's own @entries and the global options out of @argv, checks
 * that every argument is valid UTF-8 and that there are between @min_args
 * and @max_args (-1: any number) positional arguments, returned in
 * @out_args. Usage errors are G_OPTION_ERROR. Makes no D-Bus call. */
LpcArgsResult lpc_cli_parse_args (LpcCli *cli, const LpcCommand *command,
                                  const GOptionEntry *entries, int min_args, int max_args, int argc,
                                  char **argv, GStrv *out_args, GError **error);

/* The proxy for the daemon on the session bus, connecting on first use.
 * The daemon is D-Bus activated by the first method call if it is not
 * running. */
LpcAgenda1 *lpc_cli_get_proxy (LpcCli *cli, GError **error);

/* Reads one of the daemon's properties with org.freedesktop.DBus.Properties.Get,
 * so that a failure is reported rather than read as an empty cache. */
GVariant *lpc_cli_get_property (LpcCli *cli, const char *property, const GVariantType *type,
                                GError **error);

/* The program's own zone (the ProgramTimezone property). */
GTimeZone *lpc_cli_get_conference_zone (LpcCli *cli, GError **error);

/* The zone times are shown in, from --tz. */
GTimeZone *lpc_cli_get_zone (LpcCli *cli, GError **error);

/* The daemon's "now" (GetStatus), which may run on a simulated clock. */
gboolean lpc_cli_get_now (LpcCli *cli, gint64 *out_now, GError **error);

/* The exit status an error stands for. */
LpcExitStatus lpc_cli_exit_status_for_error (const GError *error);

/* Prints "lpc-agenda: <why>" for @error to stderr, in words a person can act on. */
void lpc_cli_print_error (const GError *error);

G_END_DECLS
