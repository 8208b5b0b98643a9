/* text.h: measuring, cutting and wrapping UTF-8 text in terminal columns. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Columns @text takes on a terminal: wide (East Asian) characters take two,
 * combining marks none. */
guint lpc_text_width (const char *text);

/* @text cut to at most @width columns, ending in @ellipsis when cut. */
char *lpc_text_truncate (const char *text, guint width, const char *ellipsis);

/* Appends @text to @out filled to @width columns, each line starting with
 * @indent. Paragraphs ("\n\n") stay apart and single line breaks are kept,
 * so the abstract's own bullet lists survive. */
void lpc_text_append_wrapped (GString *out, const char *text, guint width, const char *indent);

/* Appends @text wrapped to @width where the current line, already @column
 * wide (a label), leaves off; later lines are indented by @column. */
void lpc_text_append_hanging (GString *out, const char *text, guint width, guint column);

G_END_DECLS
