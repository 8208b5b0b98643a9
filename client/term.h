/* term.h: what the output may use — colour, the terminal's width, and
 * whether the locale can show characters beyond ASCII. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean color;
  guint width; /* columns of the terminal, 0 when stdout is not a terminal */
  gboolean utf8;
} LpcTerm;

typedef enum
{
  LPC_STYLE_PLAIN,
  LPC_STYLE_BOLD,
  LPC_STYLE_DIM,
  LPC_STYLE_RED,
  LPC_STYLE_GREEN,
  LPC_STYLE_YELLOW,
  LPC_STYLE_CYAN,
} LpcStyle;

/* Colour only on a terminal, never with NO_COLOR set (whatever its value,
 * see https://no-color.org) or TERM=dumb, and never with --no-color. */
void lpc_term_init (LpcTerm *term, gboolean no_color);

/* The width to wrap running text at: the terminal's, or 80. */
guint lpc_term_wrap_width (const LpcTerm *term);

/* Appends @text to @out in @style (plain when colour is off). */
void lpc_term_append_styled (const LpcTerm *term, GString *out, LpcStyle style, const char *text);

/* "–" for ranges of times, or "-" where the locale cannot show it. */
const char *lpc_term_dash (const LpcTerm *term);
/* "…" for cut text, or "...". */
const char *lpc_term_ellipsis (const LpcTerm *term);

G_END_DECLS
