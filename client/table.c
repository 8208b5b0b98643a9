/* table.c: aligned columns under headings, cut to the terminal's width. */
#include "table.h"

#include "text.h"

#define COLUMN_GAP 2
#define ROW_INDENT 2
/* A flexible column is never cut narrower than this: below it, cut text
 * stops being recognisable. */
#define MIN_FLEXIBLE_WIDTH 12
/* Off a terminal nothing is cut, but the columns are still laid out for a
 * wide window: a few long titles then push their own row's last cells to the
 * right instead of padding every row to their width. */
#define OFF_TERMINAL_LAYOUT_WIDTH 120

typedef enum
{
  LINE_ROW,
  LINE_HEADING,
  LINE_DETAIL,
  LINE_TEXT,
} LineKind;

typedef struct
{
  char *text;
  LpcStyle style;
} Cell;

typedef struct
{
  LineKind kind;
  GArray *cells; /* Cell; one for headings and details */
} Line;

struct _LpcTable
{
  guint n_columns;
  gboolean *flexible;
  GPtrArray *lines;
  gboolean has_headings;
};

static void
cell_clear (gpointer data)
{
  Cell *cell = data;

  g_free (cell->text);
}

static void
line_free (gpointer data)
{
  Line *line = data;

  g_array_unref (line->cells);
  g_free (line);
}

static Line *
line_new (LineKind kind)
{
  Line *line = g_new0 (Line, 1);

  line->kind = kind;
  line->cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  g_array_set_clear_func (line->cells, cell_clear);
  return line;
}

static void
line_add_cell (Line *line, LpcStyle style, const char *text)
{
  Cell cell = { g_strdup (text), style };

  g_array_append_val (line->cells, cell);
}

LpcTable *
lpc_table_new (guint n_columns)
{
  LpcTable *table = g_new0 (LpcTable, 1);

  table->n_columns = n_columns;
  table->flexible = g_new0 (gboolean, n_columns);
  table->lines = g_ptr_array_new_with_free_func (line_free);
  return table;
}

void
lpc_table_free (LpcTable *table)
{
  g_ptr_array_unref (table->lines);
  g_free (table->flexible);
  g_free (table);
}

void
lpc_table_set_flexible (LpcTable *table, guint column)
{
  g_return_if_fail (column < table->n_columns);
  table->flexible[column] = TRUE;
}

void
lpc_table_add_heading (LpcTable *table, LpcStyle style, const char *text)
{
  Line *line = line_new (LINE_HEADING);

  line_add_cell (line, style, text);
  g_ptr_array_add (table->lines, line);
  table->has_headings = TRUE;
}

void
lpc_table_start_row (LpcTable *table)
{
  g_ptr_array_add (table->lines, line_new (LINE_ROW));
}

void
lpc_table_add_cell (LpcTable *table, LpcStyle style, const char *text)
{
  Line *line;

  g_return_if_fail (table->lines->len > 0);
  line = g_ptr_array_index (table->lines, table->lines->len - 1);
  g_return_if_fail (line->kind == LINE_ROW && line->cells->len < table->n_columns);
  line_add_cell (line, style, text);
}

void
lpc_table_add_detail (LpcTable *table, LpcStyle style, const char *text)
{
  Line *line = line_new (LINE_DETAIL);

  line_add_cell (line, style, text);
  g_ptr_array_add (table->lines, line);
}

void
lpc_table_add_line (LpcTable *table, LpcStyle style, const char *text)
{
  Line *line = line_new (LINE_TEXT);

  line_add_cell (line, style, text);
  g_ptr_array_add (table->lines, line);
}

/* The last cell of @line with any text in it, so rows end without trailing
 * padding; -1 for an empty row. */
static int
last_filled_cell (const Line *line)
{
  for (int i = (int)line->cells->len - 1; i >= 0; i--)
    if (*g_array_index (line->cells, Cell, i).text != '\0')
      return i;
  return -1;
}

static guint
total_width (const LpcTable *table, const guint *widths, guint indent)
{
  guint total = indent;
  guint present = 0;

  for (guint c = 0; c < table->n_columns; c++)
    if (widths[c] > 0)
      {
        total += widths[c];
        present++;
      }
  return total + (present > 1 ? (present - 1) * COLUMN_GAP : 0);
}

static void
fit_to_terminal (const LpcTable *table, guint *widths, guint indent, guint terminal_width)
{
  guint total = total_width (table, widths, indent);

  while (total > terminal_width)
    {
      guint widest = table->n_columns;

      for (guint c = 0; c < table->n_columns; c++)
        if (table->flexible[c] && widths[c] > MIN_FLEXIBLE_WIDTH
            && (widest == table->n_columns || widths[c] > widths[widest]))
          widest = c;
      if (widest == table->n_columns)
        return;
      widths[widest]--;
      total--;
    }
}

static void
append_spaces (GString *out, guint n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (out, ' ');
}

static void
render_row (const LpcTable *table, const Line *line, const guint *widths, guint indent,
            const LpcTerm *term, gboolean cut, GString *out)
{
  int last = last_filled_cell (line);
  gboolean first = TRUE;

  append_spaces (out, indent);
  for (int c = 0; c <= last; c++)
    {
      const Cell *cell = &g_array_index (line->cells, Cell, c);
      g_autofree char *text = NULL;

      if (widths[c] == 0)
        continue;
      if (!first)
        append_spaces (out, COLUMN_GAP);
      first = FALSE;

      text = cut ? lpc_text_truncate (cell->text, widths[c], lpc_term_ellipsis (term))
                 : g_strdup (cell->text);
      lpc_term_append_styled (term, out, cell->style, text);
      if (c < last && lpc_text_width (text) < widths[c])
        append_spaces (out, widths[c] - lpc_text_width (text));
    }
  g_string_append_c (out, '\n');
}

char *
lpc_table_render (LpcTable *table, const LpcTerm *term)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  guint indent = table->has_headings ? ROW_INDENT : 0;
  guint detail_indent;

  for (guint i = 0; i < table->lines->len; i++)
    {
      const Line *line = g_ptr_array_index (table->lines, i);

      if (line->kind != LINE_ROW)
        continue;
      for (guint c = 0; c < line->cells->len; c++)
        widths[c] = MAX (widths[c], lpc_text_width (g_array_index (line->cells, Cell, c).text));
    }
  fit_to_terminal (table, widths, indent,
                   term->width > 0 ? term->width : OFF_TERMINAL_LAYOUT_WIDTH);
  detail_indent = indent + widths[0] + (widths[0] > 0 ? COLUMN_GAP : 0);

  for (guint i = 0; i < table->lines->len; i++)
    {
      const Line *line = g_ptr_array_index (table->lines, i);
      const Cell *cell = &g_array_index (line->cells, Cell, 0);
      guint line_indent = line->kind == LINE_DETAIL ? detail_indent : indent;
      g_autofree char *text = NULL;

      switch (line->kind)
        {
        case LINE_ROW:
          render_row (table, line, widths, indent, term, term->width > 0, out);
          break;

        case LINE_HEADING:
          if (i > 0)
            g_string_append_c (out, '\n');
          lpc_term_append_styled (term, out, cell->style, cell->text);
          g_string_append_c (out, '\n');
          break;

        case LINE_DETAIL:
        case LINE_TEXT:
          append_spaces (out, line_indent);
          if (term->width > line_indent)
            text = lpc_text_truncate (cell->text, term->width - line_indent,
                                      lpc_term_ellipsis (term));
          else
            text = g_strdup (cell->text);
          lpc_term_append_styled (term, out, cell->style, text);
          g_string_append_c (out, '\n');
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
