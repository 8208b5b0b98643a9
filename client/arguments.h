/* arguments.h: checking command-line values before anything is sent to the
 * daemon, so a typo is a usage error (exit 2) with a message naming the
 * argument. Errors are G_OPTION_ERROR_BAD_VALUE. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* NULL when @text is valid UTF-8; otherwise a printable form of it (invalid
 * bytes replaced) for the message. */
char *lpc_arguments_invalid_utf8 (const char *text);

/* "2021-09-20" stays as is; a weekday ("mon", "Monday") becomes "mon". */
gboolean lpc_arguments_parse_day (const char *option, const char *text, char **out_day,
                                  GError **error);

/* 1 to 5. */
gboolean lpc_arguments_parse_priority (const char *option, const char *text, guint *out_priority,
                                       GError **error);

/* "off", "default" (sent as ""), or minutes before the start, comma-separated
 * ("10,0"), each 0–1440. */
gboolean lpc_arguments_parse_remind (const char *option, const char *text, char **out_remind,
                                     GError **error);

/* Minutes from 0 to @max. */
gboolean lpc_arguments_parse_minutes (const char *name, const char *text, guint max,
                                      guint *out_minutes, GError **error);

/* @text must be one of the NULL-terminated @choices. */
gboolean lpc_arguments_check_choice (const char *option, const char *text,
                                     const char *const *choices, GError **error);

/* A zone for --tz: "local", "conference" or a zone identifier such as
 * "Europe/Prague" or "UTC". */
gboolean lpc_arguments_check_zone (const char *text, GError **error);

/* A talk id or prefix: not empty. */
gboolean lpc_arguments_check_id (const char *text, GError **error);

G_END_DECLS
