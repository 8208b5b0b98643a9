/* term.c: colour, width and charset of the output. */
#include "term.h"

#include <sys/ioctl.h>
#include <unistd.h>

static guint
stdout_terminal_width (void)
{
  struct winsize size = { 0 };

  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  /* A terminal that does not say how wide it is: assume the classic width
   * rather than not cutting at all. */
  return 80;
}

void
lpc_term_init (LpcTerm *term, gboolean no_color)
{
  gboolean on_tty = isatty (STDOUT_FILENO);
  const char *term_name = g_getenv ("TERM");

  term->width = on_tty ? stdout_terminal_width () : 0;
  term->color
      = on_tty && !no_color && g_getenv ("NO_COLOR") == NULL && g_strcmp0 (term_name, "dumb") != 0;
  term->utf8 = g_get_charset (NULL);
}

guint
lpc_term_wrap_width (const LpcTerm *term)
{
  return term->width > 0 ? term->width : 80;
}

static const char *
style_sequence (LpcStyle style)
{
  switch (style)
    {
    case LPC_STYLE_BOLD:
      return "\033[1m";
    case LPC_STYLE_DIM:
      return "\033[2m";
    case LPC_STYLE_RED:
      return "\033[31m";
    case LPC_STYLE_GREEN:
      return "\033[32m";
    case LPC_STYLE_YELLOW:
      return "\033[33m";
    case LPC_STYLE_CYAN:
      return "\033[36m";
    case LPC_STYLE_PLAIN:
    default:
      return NULL;
    }
}

void
lpc_term_append_styled (const LpcTerm *term, GString *out, LpcStyle style, const char *text)
{
  const char *sequence = term->color ? style_sequence (style) : NULL;

  if (sequence == NULL || *text == '\0')
    {
      g_string_append (out, text);
      return;
    }
  g_string_append (out, sequence);
  g_string_append (out, text);
  g_string_append (out, "\033[0m");
}

const char *
lpc_term_dash (const LpcTerm *term)
{
  return term->utf8 ? "–" : "-";
}

const char *
lpc_term_ellipsis (const LpcTerm *term)
{
  return term->utf8 ? "…" : "...";
}
