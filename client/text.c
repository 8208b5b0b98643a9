/* text.c: measuring, cutting and wrapping UTF-8 text in terminal columns. */
#include "text.h"

#include <string.h>

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

guint
lpc_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += char_width (g_utf8_get_char (p));
  return width;
}

char *
lpc_text_truncate (const char *text, guint width, const char *ellipsis)
{
  guint ellipsis_width = lpc_text_width (ellipsis);
  guint used = 0;
  g_autofree char *head = NULL;
  const char *p;

  if (lpc_text_width (text) <= width)
    return g_strdup (text);
  if (width <= ellipsis_width)
    return g_strdup (width == ellipsis_width ? ellipsis : "");

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint w = char_width (g_utf8_get_char (p));

      if (used + w > width - ellipsis_width)
        break;
      used += w;
    }

  /* Cut text that ends in a space reads as if a word were missing. */
  while (p > text && p[-1] == ' ')
    p--;
  head = g_strndup (text, p - text);
  return g_strconcat (head, ellipsis, NULL);
}

/* Continuation lines of a list item line up with its text, not its bullet. */
static guint
hanging_indent (const char *line)
{
  static const char *const bullets[] = { "• ", "- ", "* ", "– " };

  for (gsize i = 0; i < G_N_ELEMENTS (bullets); i++)
    if (g_str_has_prefix (line, bullets[i]))
      return lpc_text_width (bullets[i]);
  return 0;
}

/* Fills the words of @line onto the current output line, which already
 * reaches @column, and onto lines starting with @indent after it. */
static void
append_wrapped_line (GString *out, const char *line, guint width, guint column, const char *indent)
{
  g_auto (GStrv) words = g_strsplit (line, " ", -1);
  guint indent_width = lpc_text_width (indent);
  guint hang = hanging_indent (line);
  gboolean line_empty = TRUE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint word_width;

      if (*words[i] == '\0')
        continue;
      word_width = lpc_text_width (words[i]);

      if (!line_empty && column + 1 + word_width > width)
        {
          g_string_append_c (out, '\n');
          g_string_append (out, indent);
          for (guint h = 0; h < hang; h++)
            g_string_append_c (out, ' ');
          column = indent_width + hang;
          line_empty = TRUE;
        }
      if (!line_empty)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += word_width;
      line_empty = FALSE;
    }
  g_string_append_c (out, '\n');
}

static void
append_wrapped (GString *out, const char *text, guint width, guint first_column, const char *indent)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint indent_width = lpc_text_width (indent);
  gboolean pending_blank = FALSE;
  gboolean any = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (*line == '\0')
        {
          pending_blank = any;
          continue;
        }
      if (pending_blank)
        g_string_append_c (out, '\n');
      pending_blank = FALSE;
      if (any || first_column == 0)
        g_string_append (out, indent);
      append_wrapped_line (out, line, width, any || first_column == 0 ? indent_width : first_column,
                           indent);
      any = TRUE;
    }
  if (!any && first_column > 0)
    g_string_append_c (out, '\n');
}

void
lpc_text_append_wrapped (GString *out, const char *text, guint width, const char *indent)
{
  append_wrapped (out, text, width, 0, indent);
}

void
lpc_text_append_hanging (GString *out, const char *text, guint width, guint column)
{
  g_autofree char *indent = g_strnfill (column, ' ');

  append_wrapped (out, text, width, column, indent);
}
