/* program-lpc-text.c: the importer for the LPC 2021 timetable text.
 *
 * One pass over the lines, no regular expressions: each line is classified by
 * its indentation and first characters, and a small state machine follows the
 * blocks (bullets at indent 4), their entries (bullets at indent 6) and the
 * body text under each. The traps of the format, and why each rule below
 * exists, are in DESIGN.md ("The program"). */
#include "program-lpc-text.h"

#include "lpc-error.h"
#include "program-file.h"
#include "slug.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BULLET "\xe2\x80\xa2" /* U+2022 */
#define BULLET_LEN 3
#define ROOM_SUFFIX "/Virtual-Room"
#define VENUE_LINE "LPC Virtual"
#define VENUE_SUFFIX " (" VENUE_LINE ")"
#define BLOCK_INDENT 4
#define ENTRY_INDENT 6
#define MAX_DURATION_MINUTES (24 * 60)
/* Rooms with spaces remembered to split later block lines: a conference has a
 * handful, and each block line is checked against all of them. */
#define MAX_REMEMBERED_ROOMS 256

/* The file has no dates at all: its first block is on this day (a Monday). */
#define FIRST_DAY_YEAR 2021
#define FIRST_DAY_MONTH G_DATE_SEPTEMBER
#define FIRST_DAY_DAY 20

typedef struct
{
  const char *text; /* after the indentation */
  gsize len;        /* without trailing whitespace */
  guint indent;     /* leading spaces */
} Line;

typedef enum
{
  STATE_PREAMBLE,    /* before the first block */
  STATE_BLOCK_TITLE, /* after a block's bullet, waiting for its title line */
  STATE_ENTRY_TITLE, /* after an entry's bullet, waiting for its title line */
  STATE_BODY,        /* under a titled block or entry */
} State;

typedef struct
{
  const char *filename;
  GPtrArray *warnings;
  GTimeZone *tz;
  LpcProgram *program;
  guint lineno;
  State state;

  /* The bullet waiting for its title line. */
  guint bullet_line;
  const char *bullet_time;
  gsize bullet_time_len;
  int bullet_start; /* minutes after local midnight */
  int bullet_end;   /* blocks only */

  /* The current block, and how its day was inferred. */
  LpcEntry *block;
  int day; /* 0 for the first day */
  GDate block_date;
  int block_start; /* minutes */
  gboolean block_crosses_midnight;

  /* The block or entry whose body lines are being read. */
  LpcEntry *item;
  guint base_indent;      /* its title line's indentation: body text keeps only what is deeper */
  gboolean in_header;     /* no body text yet: repeated room and venue lines are not abstract */
  gboolean paragraph_gap; /* a blank line since the last abstract line */
  GString *abstract;
  /* Its speakers and conveners so far (char*, owned): its "Speakers:" lines
   * may be many, and each is appended in time linear in its own length. */
  GPtrArray *speakers;
  GPtrArray *conveners;

  /* Room names with spaces seen on a line of their own, to split a later
   * block line whose room does not stand alone. */
  GPtrArray *rooms;
} Parser;

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->tz, g_time_zone_unref);
  g_clear_pointer (&p->program, lpc_program_unref);
  if (p->abstract != NULL)
    g_string_free (p->abstract, TRUE);
  p->abstract = NULL;
  g_clear_pointer (&p->rooms, g_ptr_array_unref);
  g_clear_pointer (&p->speakers, g_ptr_array_unref);
  g_clear_pointer (&p->conveners, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parser, parser_clear)

static gboolean
has_prefix (const char *s, gsize len, const char *prefix)
{
  gsize n = strlen (prefix);
  return len >= n && memcmp (s, prefix, n) == 0;
}

static gboolean
has_suffix (const char *s, gsize len, const char *suffix)
{
  gsize n = strlen (suffix);
  return len >= n && memcmp (s + len - n, suffix, n) == 0;
}

static gboolean
line_equals (const Line *line, const char *str)
{
  return str != NULL && line->len == strlen (str) && memcmp (line->text, str, line->len) == 0;
}

static void
line_init (Line *line, const char *start, gsize raw_len)
{
  gsize indent = 0;

  while (indent < raw_len && start[indent] == ' ')
    indent++;
  line->text = start + indent;
  line->len = raw_len - indent;
  line->indent = (guint) MIN (indent, G_MAXUINT);
  /* Also drops the '\r' of a file saved with CRLF line ends. */
  while (line->len > 0 && g_ascii_isspace (line->text[line->len - 1]))
    line->len--;
}

/* Refuses what cannot be a timetable at all, naming the first bad line. */
static gboolean
check_text (const char *data, gsize len, const char *filename, GError **error)
{
  const char *end = NULL;
  gsize offset;

  if (len == 0)
    return lpc_program_set_line_error (error, filename, 1, "the file is empty");
  if (g_utf8_validate_len (data, len, &end))
    return TRUE;

  offset = (gsize) (end - data);
  if (*end == '\0')
    return lpc_program_set_line_error (
        error, filename, lpc_program_line_of_offset (data, offset),
        "NUL byte at byte %" G_GSIZE_FORMAT ": a binary file, not a timetable", offset);
  return lpc_program_set_line_error (error, filename, lpc_program_line_of_offset (data, offset),
                                     "invalid UTF-8 at byte %" G_GSIZE_FORMAT
                                     ": a binary file, or text in another encoding",
                                     offset);
}

/* The length of the word at @s that looks like a time ("7:00 AM", or
 * "25:00 AM" with an ordinary space), for messages. */
static gsize
time_token_len (const char *s, gsize len)
{
  gsize i = 0;

  while (i < len && s[i] != ' ')
    i++;
  if (i + 3 <= len && (g_ascii_toupper (s[i + 1]) == 'A' || g_ascii_toupper (s[i + 1]) == 'P')
      && g_ascii_toupper (s[i + 2]) == 'M' && (i + 3 == len || s[i + 3] == ' '))
    i += 3;
  return i;
}

/* Reads "7:05 AM" at the start of @s: hour 1–12, two-digit minutes, then
 * U+202F (as the file has it), a space, U+00A0 or nothing, then AM or PM.
 * 12 AM is midnight, 12 PM noon. Returns the bytes used, 0 if it is no time. */
static gsize
parse_clock (const char *s, gsize len, int *out_minutes)
{
  gsize i = 0;
  int hour = 0, minute;
  char half;

  while (i < len && i < 2 && g_ascii_isdigit (s[i]))
    hour = hour * 10 + (s[i++] - '0');
  if (i == 0 || i + 3 > len || s[i] != ':' || !g_ascii_isdigit (s[i + 1])
      || !g_ascii_isdigit (s[i + 2]))
    return 0;
  minute = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
  i += 3;

  if (has_prefix (s + i, len - i, "\xe2\x80\xaf"))
    i += 3;
  else if (has_prefix (s + i, len - i, "\xc2\xa0"))
    i += 2;
  else if (i < len && s[i] == ' ')
    i++;

  if (i + 2 > len)
    return 0;
  half = g_ascii_toupper (s[i]);
  if ((half != 'A' && half != 'P') || g_ascii_toupper (s[i + 1]) != 'M')
    return 0;
  i += 2;
  if (i < len && g_ascii_isalnum (s[i]))
    return 0;
  if (hour < 1 || hour > 12 || minute > 59)
    return 0;

  *out_minutes = ((hour % 12) + (half == 'P' ? 12 : 0)) * 60 + minute;
  return i;
}

/* "20m" or "1h" (a word of its own), in minutes. */
static gboolean
parse_duration_word (const char *w, gsize len, int *out_minutes, char *out_unit)
{
  int value = 0;

  if (len < 2 || len > 5)
    return FALSE;
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (!g_ascii_isdigit (w[i]))
        return FALSE;
      value = value * 10 + (w[i] - '0');
    }
  switch (w[len - 1])
    {
    case 'h':
      *out_minutes = value * 60;
      break;
    case 'm':
      *out_minutes = value;
      break;
    default:
      return FALSE;
    }
  *out_unit = w[len - 1];
  return TRUE;
}

static void
trim_spaces (const char **s, gsize *len)
{
  while (*len > 0 && **s == ' ')
    {
      (*s)++;
      (*len)--;
    }
  while (*len > 0 && (*s)[*len - 1] == ' ')
    (*len)--;
}

/* "<title> <duration>[ <room>[ (LPC Virtual)]]". The duration is the last
 * word that reads as one ("20m", "1h", or "1h 20m" as two words); whatever
 * follows it is the entry's own room. */
static gboolean
split_entry_line (const char *s, gsize len, gsize *out_title_len, int *out_minutes,
                  const char **out_room, gsize *out_room_len)
{
  gsize word_end;

  if (has_suffix (s, len, VENUE_SUFFIX))
    len -= strlen (VENUE_SUFFIX);
  while (len > 0 && s[len - 1] == ' ')
    len--;

  word_end = len;
  while (word_end > 0)
    {
      gsize word_start = word_end;
      int minutes;
      char unit;

      while (word_start > 0 && s[word_start - 1] != ' ')
        word_start--;

      if (parse_duration_word (s + word_start, word_end - word_start, &minutes, &unit))
        {
          gsize duration_start = word_start;
          gsize title_len;

          if (unit == 'm')
            {
              gsize prev_end = word_start, prev_start;
              int hours;
              char hours_unit;

              while (prev_end > 0 && s[prev_end - 1] == ' ')
                prev_end--;
              prev_start = prev_end;
              while (prev_start > 0 && s[prev_start - 1] != ' ')
                prev_start--;
              if (parse_duration_word (s + prev_start, prev_end - prev_start, &hours, &hours_unit)
                  && hours_unit == 'h')
                {
                  minutes += hours;
                  duration_start = prev_start;
                }
            }

          *out_minutes = minutes;
          *out_room = s + word_end;
          *out_room_len = len - word_end;
          trim_spaces (out_room, out_room_len);
          title_len = duration_start;
          while (title_len > 0 && s[title_len - 1] == ' ')
            title_len--;
          *out_title_len = title_len;
          return TRUE;
        }

      word_end = word_start;
      while (word_end > 0 && s[word_end - 1] == ' ')
        word_end--;
    }
  return FALSE;
}

/* Break, break 1, Coffee Break, 15min Break, 15 min Break: an optional
 * "N min " or "Nmin ", an optional "coffee ", "break", an optional " N". */
static gboolean
is_break_title (const char *s, gsize len)
{
  const char *p = s, *end = s + len, *q;

  for (q = p; q < end && g_ascii_isdigit (*q); q++)
    ;
  if (q > p)
    {
      if (q < end && *q == ' ')
        q++;
      if (end - q < 4 || g_ascii_strncasecmp (q, "min ", 4) != 0)
        return FALSE;
      p = q + 4;
    }
  if (end - p >= 7 && g_ascii_strncasecmp (p, "coffee ", 7) == 0)
    p += 7;
  if (end - p < 5 || g_ascii_strncasecmp (p, "break", 5) != 0)
    return FALSE;
  p += 5;
  if (p == end)
    return TRUE;
  if (*p != ' ')
    return FALSE;
  for (q = ++p; q < end && g_ascii_isdigit (*q); q++)
    ;
  return q > p && q == end;
}

/* "A (X), B (Y, Z)": split at the commas outside parentheses, kept as written. */
static void
append_people (GPtrArray *all, const char *s, gsize len)
{
  gsize piece_start = 0;
  int depth = 0;

  for (gsize i = 0; i <= len; i++)
    {
      if (i < len && s[i] == '(')
        depth++;
      else if (i < len && s[i] == ')' && depth > 0)
        depth--;
      else if (i == len || (s[i] == ',' && depth == 0))
        {
          const char *piece = s + piece_start;
          gsize piece_len = i - piece_start;

          trim_spaces (&piece, &piece_len);
          if (piece_len > 0)
            g_ptr_array_add (all, g_strndup (piece, piece_len));
          piece_start = i + 1;
        }
    }
}

/* Replaces @list with the strings of @people, which is left empty. */
static void
take_people (GStrv *list, GPtrArray *people)
{
  g_strfreev (*list);
  g_ptr_array_add (people, NULL);
  *list = (GStrv) g_ptr_array_steal (people, NULL);
}

static gboolean
strip_label (const Line *line, const char *label, const char **rest, gsize *rest_len)
{
  if (!has_prefix (line->text, line->len, label))
    return FALSE;
  *rest = line->text + strlen (label);
  *rest_len = line->len - strlen (label);
  return TRUE;
}

/* A structural bullet: "• " at exactly @indent, then a digit (a time).
 * Bullets anywhere else, or before words, are abstract text. */
static gboolean
is_bullet_at (const Line *line, guint indent, const char **out_time, gsize *out_time_len)
{
  const char *t;
  gsize n;

  if (line->indent != indent || line->len < BULLET_LEN + 2
      || memcmp (line->text, BULLET, BULLET_LEN) != 0 || line->text[BULLET_LEN] != ' ')
    return FALSE;
  t = line->text + BULLET_LEN;
  n = line->len - BULLET_LEN;
  trim_spaces (&t, &n);
  if (n == 0 || !g_ascii_isdigit (*t))
    return FALSE;
  *out_time = t;
  *out_time_len = n;
  return TRUE;
}

/* @lineno: the line that gives the time, for the warning about a time that
 * a daylight-saving change skips or repeats. */
static gboolean
local_time (Parser *p, guint lineno, const GDate *date, int minutes, int day_offset, gint64 *out)
{
  LpcLocalTime time;

  /* In the program's zone, whatever the machine's: a time in the file is a
   * wall-clock time in Los Angeles (or in the zone the options give). */
  if (!lpc_program_local_time (p->tz, date, minutes * 60, day_offset, &time))
    return FALSE;
  lpc_program_warn_local_time (p->warnings, p->filename, lineno, p->program->timezone, p->tz,
                               &time);
  *out = time.instant;
  return TRUE;
}

static void
begin_body (Parser *p, LpcEntry *item, guint indent)
{
  p->item = item;
  p->base_indent = indent;
  p->in_header = TRUE;
  p->paragraph_gap = FALSE;
  g_string_truncate (p->abstract, 0);
  g_ptr_array_set_size (p->speakers, 0);
  g_ptr_array_set_size (p->conveners, 0);
  p->state = STATE_BODY;
}

static void
finish_item (Parser *p)
{
  if (p->item == NULL)
    return;
  g_free (p->item->abstract);
  p->item->abstract = g_strndup (p->abstract->str, p->abstract->len);
  take_people (&p->item->speakers, p->speakers);
  take_people (&p->item->conveners, p->conveners);
  p->item = NULL;
}

/* Called at each bullet: ends what the previous bullet started. */
static gboolean
close_pending (Parser *p, GError **error)
{
  switch (p->state)
    {
    case STATE_BLOCK_TITLE:
      return lpc_program_set_line_error (error, p->filename, p->bullet_line,
                                         "the block at %.*s has no title line",
                                         (int) p->bullet_time_len, p->bullet_time);
    case STATE_ENTRY_TITLE:
      lpc_program_add_warning (p->warnings, p->filename, p->bullet_line,
                               "entry at %.*s has no title, skipped", (int) p->bullet_time_len,
                               p->bullet_time);
      break;
    case STATE_BODY:
      finish_item (p);
      break;
    case STATE_PREAMBLE:
    default:
      break;
    }
  p->state = STATE_PREAMBLE;
  return TRUE;
}

static gboolean
start_block (Parser *p, const char *time, gsize time_len, GError **error)
{
  int start, end;
  gsize used, used_end;
  const char *second;
  gsize second_len;

  if (!close_pending (p, error))
    return FALSE;

  used = parse_clock (time, time_len, &start);
  if (used == 0)
    return lpc_program_set_line_error (error, p->filename, p->lineno, "cannot read time '%.*s'",
                                       (int) time_token_len (time, time_len), time);
  second = time + used;
  second_len = time_len - used;
  trim_spaces (&second, &second_len);
  if (second_len == 0)
    return lpc_program_set_line_error (
        error, p->filename, p->lineno,
        "the block at %.*s has no end time (expected '7:00 AM 11:00 AM')", (int) used, time);
  used_end = parse_clock (second, second_len, &end);
  if (used_end == 0)
    return lpc_program_set_line_error (error, p->filename, p->lineno, "cannot read time '%.*s'",
                                       (int) time_token_len (second, second_len), second);
  if (used_end != second_len)
    return lpc_program_set_line_error (
        error, p->filename, p->lineno,
        "cannot read block times '%.*s' (expected '7:00 AM 11:00 AM')", (int) time_len, time);

  p->state = STATE_BLOCK_TITLE;
  p->bullet_line = p->lineno;
  p->bullet_time = time;
  p->bullet_time_len = used;
  p->bullet_start = start;
  p->bullet_end = end;
  return TRUE;
}

static gboolean
start_entry (Parser *p, const char *time, gsize time_len, GError **error)
{
  int start;

  /* (A block still waiting for its title gets the better message below.) */
  if (p->block == NULL && p->state != STATE_BLOCK_TITLE)
    return lpc_program_set_line_error (error, p->filename, p->lineno,
                                       "entry at %.*s comes before any session block",
                                       (int) time_len, time);
  if (!close_pending (p, error))
    return FALSE;
  if (parse_clock (time, time_len, &start) != time_len)
    return lpc_program_set_line_error (error, p->filename, p->lineno, "cannot read time '%.*s'",
                                       (int) time_len, time);

  p->state = STATE_ENTRY_TITLE;
  p->bullet_line = p->lineno;
  p->bullet_time = time;
  p->bullet_time_len = time_len;
  p->bullet_start = start;
  return TRUE;
}

static gboolean
ends_with_word (const char *s, gsize len, const char *word, gsize word_len)
{
  return len > word_len && s[len - word_len - 1] == ' '
         && memcmp (s + len - word_len, word, word_len) == 0;
}

/* Finds the room at the end of a block line "<title> <room>". A room with
 * spaces stands alone on the next non-blank line (and is remembered for later
 * lines where it might not); a one-word room is the line's last word. */
static gboolean
find_block_room (Parser *p, const char *s, gsize len, const char *rest, gsize rest_len,
                 gsize *out_room_start)
{
  Line next = { 0 };
  gsize word_start;

  while (rest_len > 0)
    {
      const char *nl = memchr (rest, '\n', rest_len);
      gsize raw_len = nl != NULL ? (gsize) (nl - rest) : rest_len;

      line_init (&next, rest, raw_len);
      if (next.len > 0)
        break;
      rest += raw_len + (nl != NULL ? 1 : 0);
      rest_len -= raw_len + (nl != NULL ? 1 : 0);
    }

  if (next.len > 0 && has_suffix (next.text, next.len, ROOM_SUFFIX)
      && ends_with_word (s, len, next.text, next.len))
    {
      *out_room_start = len - next.len;
      if (memchr (next.text, ' ', next.len) != NULL)
        {
          gboolean known = FALSE;
          for (guint i = 0; i < p->rooms->len && !known; i++)
            known = line_equals (&next, g_ptr_array_index (p->rooms, i));
          /* Beyond the limit, every block line against every room would
           * make a long file take quadratic time. */
          if (!known && p->rooms->len < MAX_REMEMBERED_ROOMS)
            g_ptr_array_add (p->rooms, g_strndup (next.text, next.len));
        }
      return TRUE;
    }

  for (guint i = 0; i < p->rooms->len; i++)
    {
      const char *room = g_ptr_array_index (p->rooms, i);
      gsize room_len = strlen (room);

      if (ends_with_word (s, len, room, room_len))
        {
          *out_room_start = len - room_len;
          return TRUE;
        }
    }

  word_start = len;
  while (word_start > 0 && s[word_start - 1] != ' ')
    word_start--;
  if (has_suffix (s + word_start, len - word_start, ROOM_SUFFIX))
    {
      *out_room_start = word_start;
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_block_title (Parser *p, const Line *line, const char *rest, gsize rest_len, GError **error)
{
  const char *s = line->text;
  gsize len = line->len, room_start, title_len;
  g_autofree char *title = NULL;
  LpcEntry *block;
  GDate date;
  int start = p->bullet_start, end = p->bullet_end;

  if (has_suffix (s, len, VENUE_SUFFIX))
    len -= strlen (VENUE_SUFFIX);
  while (len > 0 && s[len - 1] == ' ')
    len--;

  if (!find_block_room (p, s, len, rest, rest_len, &room_start))
    return lpc_program_set_line_error (error, p->filename, p->lineno,
                                       "block line has no room (a name ending in '" ROOM_SUFFIX
                                       "'): '%.*s'",
                                       (int) line->len, line->text);
  title_len = room_start;
  while (title_len > 0 && s[title_len - 1] == ' ')
    title_len--;
  if (title_len == 0)
    return lpc_program_set_line_error (error, p->filename, p->lineno,
                                       "block line has a room but no title: '%.*s'",
                                       (int) line->len, line->text);
  title = g_strndup (s, title_len);

  /* No day headers: each day's blocks are sorted by (start, title), so a
   * block that sorts before the one above it begins the next day. Byte order,
   * as the source sorted: "RISC-V MC" comes before "Real-time MC". */
  if (p->block != NULL
      && (start < p->block_start
          || (start == p->block_start && strcmp (title, p->block->title) < 0)))
    p->day++;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, FIRST_DAY_DAY, FIRST_DAY_MONTH, FIRST_DAY_YEAR);
  g_date_add_days (&date, (guint) p->day);

  block = lpc_entry_new ();
  block->kind = LPC_ENTRY_SESSION;
  block->title = g_steal_pointer (&title);
  block->track = g_strdup (block->title);
  block->room = g_strndup (s + room_start, len - room_start);
  block->source_line = p->bullet_line;
  g_ptr_array_add (p->program->entries, block);

  if (!local_time (p, p->bullet_line, &date, start, 0, &block->start)
      || !local_time (p, p->bullet_line, &date, end, end < start ? 1 : 0, &block->end))
    return lpc_program_set_line_error (error, p->filename, p->bullet_line,
                                       "cannot place the block on day %d of the conference",
                                       p->day + 1);

  p->block = block;
  p->block_date = date;
  p->block_start = start;
  p->block_crosses_midnight = end < start;
  begin_body (p, block, line->indent);
  return TRUE;
}

static gboolean
read_entry_title (Parser *p, const Line *line, GError **error)
{
  gsize title_len, room_len;
  const char *room;
  int minutes;
  LpcEntry *entry;

  if (!split_entry_line (line->text, line->len, &title_len, &minutes, &room, &room_len)
      || (room_len > 0 && !has_suffix (room, room_len, ROOM_SUFFIX)))
    return lpc_program_set_line_error (
        error, p->filename, p->lineno,
        "cannot read duration in '%.*s' (expected the title, then '20m', "
        "'1h' or '1h 20m', then maybe a room)",
        (int) line->len, line->text);
  if (minutes > MAX_DURATION_MINUTES)
    return lpc_program_set_line_error (error, p->filename, p->lineno,
                                       "duration of %d minutes is longer than a day: '%.*s'",
                                       minutes, (int) line->len, line->text);
  if (title_len == 0)
    return lpc_program_set_line_error (
        error, p->filename, p->lineno, "entry at %.*s has no title: '%.*s'",
        (int) p->bullet_time_len, p->bullet_time, (int) line->len, line->text);

  entry = lpc_entry_new ();
  entry->kind = is_break_title (line->text, title_len) ? LPC_ENTRY_BREAK : LPC_ENTRY_TALK;
  entry->title = g_strndup (line->text, title_len);
  entry->track = g_strdup (p->block->title);
  entry->room = room_len > 0 ? g_strndup (room, room_len) : g_strdup (p->block->room);
  entry->source_line = p->bullet_line;
  g_ptr_array_add (p->program->entries, entry);

  /* Only a block that runs past midnight has entries on the next day. */
  if (!local_time (p, p->bullet_line, &p->block_date, p->bullet_start,
                   p->block_crosses_midnight && p->bullet_start < p->block_start ? 1 : 0,
                   &entry->start))
    return lpc_program_set_line_error (error, p->filename, p->bullet_line,
                                       "cannot place the entry on day %d of the conference",
                                       p->day + 1);
  entry->end = entry->start + (gint64) minutes * 60;

  begin_body (p, entry, line->indent);
  return TRUE;
}

static void
read_body_line (Parser *p, const Line *line)
{
  LpcEntry *item = p->item;
  const char *rest;
  gsize rest_len;

  if (line->len == 0)
    {
      if (p->abstract->len > 0)
        p->paragraph_gap = TRUE;
      return;
    }

  /* Under a title the export repeats the room and the venue; they are not
   * what the talk is about. */
  if (p->in_header && (line_equals (line, VENUE_LINE) || line_equals (line, item->room)))
    return;
  p->in_header = FALSE;

  if (strip_label (line, "Speakers:", &rest, &rest_len)
      || strip_label (line, "Speaker:", &rest, &rest_len))
    {
      append_people (p->speakers, rest, rest_len);
      return;
    }
  if (item->kind == LPC_ENTRY_SESSION
      && (strip_label (line, "Conveners:", &rest, &rest_len)
          || strip_label (line, "Convener:", &rest, &rest_len)))
    {
      append_people (p->conveners, rest, rest_len);
      return;
    }

  if (p->abstract->len > 0)
    g_string_append (p->abstract, p->paragraph_gap ? "\n\n" : "\n");
  p->paragraph_gap = FALSE;
  /* Deeper lines (nested bullets) keep their extra indentation. */
  for (guint i = p->base_indent; i < line->indent; i++)
    g_string_append_c (p->abstract, ' ');
  g_string_append_len (p->abstract, line->text, (gssize) line->len);
}

static gboolean
parser_feed (Parser *p, const Line *line, const char *rest, gsize rest_len, GError **error)
{
  const char *time;
  gsize time_len;

  if (is_bullet_at (line, BLOCK_INDENT, &time, &time_len))
    return start_block (p, time, time_len, error);
  if (is_bullet_at (line, ENTRY_INDENT, &time, &time_len))
    return start_entry (p, time, time_len, error);

  switch (p->state)
    {
    case STATE_PREAMBLE:
      if (line->len > 0 && p->program->name == NULL)
        p->program->name = g_strndup (line->text, line->len);
      return TRUE;
    case STATE_BLOCK_TITLE:
      return line->len == 0 || read_block_title (p, line, rest, rest_len, error);
    case STATE_ENTRY_TITLE:
      return line->len == 0 || read_entry_title (p, line, error);
    case STATE_BODY:
    default:
      read_body_line (p, line);
      return TRUE;
    }
}

static gboolean
parser_finish (Parser *p, GError **error)
{
  switch (p->state)
    {
    case STATE_BLOCK_TITLE:
      return lpc_program_set_line_error (error, p->filename, p->bullet_line,
                                         "the file ends after the block at %.*s, before its title: "
                                         "truncated?",
                                         (int) p->bullet_time_len, p->bullet_time);
    case STATE_ENTRY_TITLE:
      return lpc_program_set_line_error (error, p->filename, p->bullet_line,
                                         "the file ends after the entry at %.*s, before its title: "
                                         "truncated?",
                                         (int) p->bullet_time_len, p->bullet_time);
    case STATE_BODY:
      finish_item (p);
      break;
    case STATE_PREAMBLE:
    default:
      break;
    }

  if (p->block == NULL)
    return lpc_program_set_line_error (error, p->filename, MAX (p->lineno, 1),
                                       "no session blocks (lines like '" BULLET
                                       " 7:00 AM 11:00 AM') in "
                                       "the whole file: not an LPC timetable?");
  return TRUE;
}

LpcProgram *
lpc_program_parse_lpc_text (const char *data, gsize len, const char *filename, const LpcProgramParseOptions *options, GPtrArray *warnings,
                            GError **error)
{
  g_auto (Parser) p = { 0 };
  const char *zone_name;
  gboolean zone_from_options;
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = "(program)";
  if (!check_text (data, len, filename, error))
    return NULL;

  p.filename = filename;
  p.warnings = warnings;
  /* The format names no zone: its times are Los Angeles's because the LPC
   * 2021 timetable's are, which the user may know better of. */
  zone_from_options = options != NULL && options->timezone != NULL;
  zone_name = zone_from_options ? options->timezone : LPC_TEXT_TIMEZONE;
  p.tz = lpc_program_zone_new (zone_name);
  if (p.tz == NULL && zone_from_options)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_INVALID_ARGUMENT,
                   "%s: unknown time zone '%s' in the timezone option", filename, zone_name);
      return NULL;
    }
  if (p.tz == NULL)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_FAILED,
                   "%s: the time zone " LPC_TEXT_TIMEZONE " is not known on this system "
                   "(is tzdata installed?)",
                   filename);
      return NULL;
    }
  if (strcmp (zone_name, LPC_TEXT_TIMEZONE) != 0)
    lpc_program_add_warning (warnings, filename, 1,
                             "times read in %s, as the timezone option says, not in "
                             LPC_TEXT_TIMEZONE ", the zone of the LPC 2021 timetable",
                             zone_name);
  p.program = lpc_program_new (NULL, zone_name);
  p.abstract = g_string_sized_new (4096);
  p.rooms = g_ptr_array_new_with_free_func (g_free);
  p.speakers = g_ptr_array_new_with_free_func (g_free);
  p.conveners = g_ptr_array_new_with_free_func (g_free);

  if (has_prefix (data, len, "\xef\xbb\xbf"))
    pos = 3;

  while (pos < len)
    {
      const char *start = data + pos;
      const char *nl = memchr (start, '\n', len - pos);
      gsize raw_len = nl != NULL ? (gsize) (nl - start) : len - pos;
      Line line;

      pos += raw_len + (nl != NULL ? 1 : 0);
      p.lineno++;
      if (p.lineno % 1024 == 0
          && !lpc_program_check_cancelled (options, filename, p.lineno, error))
        return NULL;
      line_init (&line, start, raw_len);
      if (!parser_feed (&p, &line, data + pos, len - pos, error))
        return NULL;
    }
  if (!parser_finish (&p, error))
    return NULL;

  if (p.program->name == NULL)
    p.program->name = g_path_get_basename (filename);
  g_free (p.program->source_hash);
  p.program->source_hash = lpc_content_hash (data, len);
  lpc_program_assign_ids (p.program);
  return g_steal_pointer (&p.program);
}

LpcProgram *
lpc_program_load_lpc_text_file (const char *path, GPtrArray *warnings, GError **error)
{
  return lpc_program_load_file_with_parser (path, lpc_program_parse_lpc_text, warnings, error);
}

char *
lpc_program_hash_file (const char *path, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  const char *data;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lpc_program_read_file (path, &bytes, error))
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  /* check_text() refuses an empty file before looking at @data. */
  if (!check_text (data, len, path, error))
    return NULL;
  return lpc_content_hash (data, len);
}
