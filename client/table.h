/* table.h: aligned columns under headings, cut to the terminal's width. */
#pragma once

#include <glib.h>

#include "term.h"

G_BEGIN_DECLS

typedef struct _LpcTable LpcTable;

LpcTable *lpc_table_new (guint n_columns);
void lpc_table_free (LpcTable *table);

/* A column that gives way (its cells cut short) when a row is wider than the
 * terminal; the widest such column gives way first. Off a terminal nothing
 * is cut. */
void lpc_table_set_flexible (LpcTable *table, guint column);

/* A line of its own at the left margin (a day), with a blank line above it
 * unless it comes first. Rows are indented under headings. */
void lpc_table_add_heading (LpcTable *table, LpcStyle style, const char *text);

/* Starts a row; its cells follow with lpc_table_add_cell(), left to right.
 * Missing cells at the end are empty. */
void lpc_table_start_row (LpcTable *table);
void lpc_table_add_cell (LpcTable *table, LpcStyle style, const char *text);

/* A line below the current row, indented to its second column and outside
 * the alignment (a note on an agenda item). */
void lpc_table_add_detail (LpcTable *table, LpcStyle style, const char *text);

/* A line of text indented like the rows but outside the alignment ("Nothing
 * on your agenda"). */
void lpc_table_add_line (LpcTable *table, LpcStyle style, const char *text);

/* The table as text, every line ending in '\n'. */
char *lpc_table_render (LpcTable *table, const LpcTerm *term);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpcTable, lpc_table_free)

G_END_DECLS
