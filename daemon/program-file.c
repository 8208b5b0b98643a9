/* program-file.c: reading a program file, and the text helpers every importer
 * shares. See program-file.h. */
#include "program-file.h"

#include "lpc-error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- reading ---- */

static gboolean
read_open_file (int fd, const char *path, GBytes **out_bytes, GError **error)
{
  struct stat st;
  g_autofree char *data = NULL;
  gsize size, got = 0;

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID, "%s: cannot read: %s", path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* Before any read: a FIFO would block and /dev/zero never ends. */
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
                   "%s: not a regular file (a FIFO, device or directory cannot be a program)",
                   path);
      return FALSE;
    }
  if (st.st_size > LPC_PROGRAM_MAX_FILE_SIZE)
    {
      g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID,
                   "%s: %" G_GINT64_FORMAT " bytes, more than the %d MiB a program may have", path,
                   (gint64) st.st_size, LPC_PROGRAM_MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }

  size = (gsize) st.st_size;
  data = g_malloc (size + 1);
  /* Reads what fstat() saw; a file that grows meanwhile is read as it was. */
  while (got < size)
    {
      ssize_t n = read (fd, data + got, size - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID, "%s: cannot read: %s", path,
                       g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      got += (gsize) n;
    }
  data[got] = '\0';
  /* The NUL stays in the buffer, past the bytes' size. */
  *out_bytes = g_bytes_new_take (g_steal_pointer (&data), got);
  return TRUE;
}

gboolean
lpc_program_read_file (const char *path, GBytes **out_bytes, GError **error)
{
  gboolean ok;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out_bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* O_NONBLOCK: opening a FIFO must not wait for a writer before fstat()
   * can tell it is one. */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID, "%s: cannot open: %s", path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  ok = read_open_file (fd, path, out_bytes, error);
  close (fd);
  return ok;
}

LpcProgram *
lpc_program_load_file_with_parser (const char *path, LpcProgramParseFunc parse, GPtrArray *warnings,
                                   GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (parse != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lpc_program_read_file (path, &bytes, error))
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  /* GBytes may give NULL for no bytes; the parsers want a pointer. */
  return parse (data != NULL ? data : "", len, path, NULL, warnings, error);
}

/* ---- messages ---- */

gboolean
lpc_program_set_line_error (GError **error, const char *filename, guint lineno,
                            const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID, "%s:%u: %s", filename, lineno, what);
  return FALSE;
}

gboolean
lpc_program_check_cancelled (const LpcProgramParseOptions *options, const char *filename,
                             guint lineno, GError **error)
{
  if (options == NULL || !g_cancellable_is_cancelled (options->cancellable))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s:%u: reading stopped", filename,
               lineno);
  return FALSE;
}

void
lpc_program_add_warning (GPtrArray *warnings, const char *filename, guint lineno,
                         const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;

  if (warnings == NULL)
    return;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (warnings, g_strdup_printf ("%s:%u: %s", filename, lineno, what));
}

/* Around a change, one of the two offsets a day before and a day after is
 * the one in force: a wall time is valid with an offset when the instant it
 * gives has that offset. */
void
lpc_program_resolve_wall_time (gint64 wall, LpcUtcOffsetFunc offset_at, gpointer user_data,
                               LpcLocalTime *out)
{
  gint32 before = offset_at (wall - 86400, user_data);
  gint32 after = offset_at (wall + 86400, user_data);
  gboolean valid_before = offset_at (wall - before, user_data) == before;
  gboolean valid_after = offset_at (wall - after, user_data) == after;

  out->wall = wall;
  if (before == after || (valid_before && !valid_after))
    {
      out->instant = wall - before;
      out->kind = LPC_LOCAL_TIME_EXACT;
    }
  else if (valid_after && !valid_before)
    {
      out->instant = wall - after;
      out->kind = LPC_LOCAL_TIME_EXACT;
    }
  else if (valid_before)
    {
      /* Both: the first occurrence is the earlier instant. */
      out->instant = MIN (wall - before, wall - after);
      out->kind = LPC_LOCAL_TIME_REPEATED;
    }
  else
    {
      /* Neither: in the gap, read with the offset from before it. */
      out->instant = wall - before;
      out->kind = LPC_LOCAL_TIME_SKIPPED;
    }
  out->offset = offset_at (out->instant, user_data);
}

static gint32
glib_zone_offset_at (gint64 instant, gpointer tz)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, instant);

  return interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0;
}

gboolean
lpc_program_local_time (GTimeZone *tz, const GDate *date, int seconds, int day_offset,
                        LpcLocalTime *out)
{
  GDate day = *date;
  g_autoptr (GDateTime) wall = NULL;

  if (seconds < 0 || seconds >= 24 * 3600)
    return FALSE;
  if (day_offset > 0)
    g_date_add_days (&day, (guint) day_offset);
  /* UTC has no gaps: this only checks the day and reads the wall time. */
  wall = g_date_time_new_utc (g_date_get_year (&day), g_date_get_month (&day),
                              g_date_get_day (&day), seconds / 3600, (seconds / 60) % 60,
                              seconds % 60);
  if (wall == NULL)
    return FALSE;
  lpc_program_resolve_wall_time (g_date_time_to_unix (wall), glib_zone_offset_at, tz, out);
  return TRUE;
}

/* "03:30", or "03:30:15" when the seconds are not 0. */
static char *
clock_text (gint64 unix_time)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, g_date_time_get_second (dt) != 0 ? "%H:%M:%S" : "%H:%M");
}

void
lpc_program_warn_local_time (GPtrArray *warnings, const char *filename, guint lineno,
                             const char *zone_name, GTimeZone *tz, const LpcLocalTime *time)
{
  g_autoptr (GDateTime) wall = NULL;
  g_autofree char *wall_clock = NULL;
  g_autofree char *wall_day = NULL;
  g_autofree char *taken_clock = clock_text (time->instant + time->offset);
  g_autofree char *utc_clock = clock_text (time->instant);
  g_autofree char *zone_label = NULL;

  if (time->kind == LPC_LOCAL_TIME_EXACT)
    return;
  wall = g_date_time_new_from_unix_utc (time->wall);
  wall_clock = clock_text (time->wall);
  wall_day = g_date_time_format (wall, "%Y-%m-%d");
  if (tz != NULL)
    zone_label = g_strdup (g_time_zone_get_abbreviation (
        tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, time->instant)));
  else
    zone_label = g_strdup_printf ("UTC%c%02d:%02d", time->offset < 0 ? '-' : '+',
                                  ABS (time->offset) / 3600, ABS (time->offset) / 60 % 60);
  if (time->kind == LPC_LOCAL_TIME_SKIPPED)
    lpc_program_add_warning (warnings, filename, lineno,
                             "%s on %s does not exist in %s (clocks go forward): taken as %s %s "
                             "(%s UTC), as RFC 5545 says",
                             wall_clock, wall_day, zone_name, taken_clock, zone_label, utc_clock);
  else
    lpc_program_add_warning (warnings, filename, lineno,
                             "%s on %s happens twice in %s (clocks go back): taken as the first, "
                             "%s %s (%s UTC), as RFC 5545 says",
                             wall_clock, wall_day, zone_name, taken_clock, zone_label, utc_clock);
}

char *
lpc_program_unique_identity (char *base, GHashTable *taken, GHashTable *next_n)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (next_n, base));
  char *identity = n == 0 ? g_strdup (base) : g_strdup_printf ("%s|%u", base, n);

  /* Still a loop: another entry's identity may be this one's "|N". */
  while (g_hash_table_contains (taken, identity))
    {
      n = MAX (n + 1, 2);
      g_free (identity);
      identity = g_strdup_printf ("%s|%u", base, n);
    }
  g_hash_table_insert (next_n, base, GUINT_TO_POINTER (MAX (n + 1, 2)));
  return identity;
}

guint
lpc_program_line_of_offset (const char *data, gsize offset)
{
  guint lineno = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        lineno++;
    }
  return lineno;
}

/* g_utf8_validate_len(), with the same answer and the same @out_end, but
 * much faster on text that is nearly all ASCII, as programs are: GLib 2.74's
 * goes byte by byte, which was a tenth of a big schedule's import. Eight
 * bytes at a time are skipped while all are ASCII and none is NUL; the
 * stretches in between, each up to the next ASCII byte (which always starts
 * a character), are left to g_utf8_validate_len(). */
static gboolean
validate_utf8 (const char *data, gsize len, const char **out_end)
{
  const char *p = data, *end = data + len;

  while (p < end)
    {
      const char *stretch_end;

      while (end - p >= 8)
        {
          guint64 word;

          memcpy (&word, p, sizeof word);
          /* A byte with its high bit set has it in @word; a NUL byte has it
           * in @word - 0x01...01 (and ASCII bytes above it none). */
          if (((word | (word - G_GUINT64_CONSTANT (0x0101010101010101)))
               & G_GUINT64_CONSTANT (0x8080808080808080))
              != 0)
            break;
          p += 8;
        }
      stretch_end = p + MIN (8, end - p);
      while (stretch_end < end && (guchar) *stretch_end >= 0x80)
        stretch_end++;
      if (!g_utf8_validate_len (p, (gsize) (stretch_end - p), out_end))
        return FALSE;
      p = stretch_end;
    }
  return TRUE;
}

gsize
lpc_program_bom_length (const char *data, gsize len)
{
  return len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

gboolean
lpc_program_check_text (const char *data, gsize len, const char *filename, GError **error)
{
  const char *end = NULL;
  gsize offset;

  if (len == 0)
    return lpc_program_set_line_error (error, filename, 1, "the file is empty");
  if (validate_utf8 (data, len, &end))
    return TRUE;

  offset = (gsize) (end - data);
  if (*end == '\0')
    return lpc_program_set_line_error (error, filename, lpc_program_line_of_offset (data, offset),
                                       "NUL byte at byte %" G_GSIZE_FORMAT
                                       ": a binary file, not a program",
                                       offset);
  return lpc_program_set_line_error (error, filename, lpc_program_line_of_offset (data, offset),
                                     "invalid UTF-8 at byte %" G_GSIZE_FORMAT
                                     ": a binary file, or text in another encoding",
                                     offset);
}

/* ---- zones ---- */

static gboolean
is_offset_name (const char *name)
{
  /* "+01:00", "-0530", "+01" */
  gsize len = strlen (name);

  if (len < 3 || len > 6 || (name[0] != '+' && name[0] != '-'))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    {
      if (!g_ascii_isdigit (name[i]) && !(i == 3 && name[i] == ':'))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_iana_name (const char *name)
{
  /* Area/Location names: letters first, then letters, digits, '_', '-',
   * '+' and single '/' between parts ("America/Argentina/Buenos_Aires",
   * "Etc/GMT+1", "UTC"). */
  if (!g_ascii_isalpha (name[0]) || strstr (name, "//") != NULL || strstr (name, "..") != NULL)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '+' && *p != '/' && *p != '.')
        return FALSE;
    }
  return name[strlen (name) - 1] != '/' && strlen (name) < 64;
}

GTimeZone *
lpc_program_zone_new (const char *name)
{
  if (name == NULL || !(is_iana_name (name) || is_offset_name (name)))
    return NULL;
  return g_time_zone_new_identifier (name);
}

/* ---- text ---- */

/* Control characters would reach a terminal through the CLI; tabs and line
 * ends are the only ones a description needs.
 *
 * The helpers below go through the text byte by byte and copy runs of
 * ordinary characters whole: appending character by character (decoding each
 * and encoding it again with g_string_append_unichar()) was most of a big
 * schedule's import. That relies on the text being valid UTF-8, which every
 * caller has checked (lpc_program_check_text() on the file, or GMarkup): the
 * characters these helpers drop or change are all ASCII or U+0080..U+00A0,
 * whose UTF-8 starts with the byte 0xc2, and no byte of another character is
 * one of those bytes. */

/* Whether @b can only be part of a character the helpers keep as it is:
 * true of every byte but the ASCII controls, space and DEL, and 0xc2. A
 * cheap first test, before the exact ones below. */
static inline gboolean
is_plain_byte (guchar b)
{
  return b > 0x20 && b != 0x7f && b != 0xc2;
}

/* The length in bytes of the unwanted control character at @p, or 0. */
static inline gsize
unwanted_control_length (const char *p)
{
  guchar b = (guchar) p[0];

  if ((b > 0 && b < 0x20 && b != '\n' && b != '\t') || b == 0x7f)
    return 1;
  /* U+0080..U+009F, the C1 controls */
  if (b == 0xc2 && (guchar) p[1] >= 0x80 && (guchar) p[1] < 0xa0)
    return 2;
  return 0;
}

/* The length in bytes of the white space character at @p (line ends and
 * U+00A0 included), or 0. */
static inline gsize
one_line_space_length (const char *p)
{
  if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    return 1;
  if ((guchar) p[0] == 0xc2 && (guchar) p[1] == 0xa0)
    return 2;
  return 0;
}

char *
lpc_program_text_one_line (const char *text)
{
  char *out, *o;
  gboolean pending_space = FALSE;
  const char *p = text;

  if (text == NULL)
    return g_strdup ("");
  /* The line is never longer than @text: characters are dropped, or a run
   * of white space becomes one space. Short strings by the ten thousand
   * (titles, names) made a GString's own allocation count. */
  o = out = g_malloc (strlen (text) + 1);
  while (*p != '\0')
    {
      const char *run;
      gsize n;

      if ((n = one_line_space_length (p)) > 0)
        {
          pending_space = TRUE;
          p += n;
          continue;
        }
      if ((n = unwanted_control_length (p)) > 0)
        {
          p += n;
          continue;
        }
      /* The characters kept as they are, up to the next space or control. */
      run = p;
      while (is_plain_byte (*p)
             || (*p != '\0' && one_line_space_length (p) == 0 && unwanted_control_length (p) == 0))
        p++;
      if (pending_space && o > out)
        *o++ = ' ';
      pending_space = FALSE;
      memcpy (o, run, (gsize) (p - run));
      o += p - run;
    }
  *o = '\0';
  return out;
}

/* Plain text: "\n" line ends, no trailing spaces, paragraphs separated by one
 * blank line, no blank lines at either end. */
static char *
normalize_paragraphs (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean blank_pending = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      const char *eol = p + strcspn (p, "\r\n");
      gsize before_separator = out->len, line_start, end;

      /* The line goes straight into @out after the separator it would need,
       * and both go again if it turns out blank. */
      if (out->len > 0)
        g_string_append (out, blank_pending ? "\n\n" : "\n");
      line_start = out->len;
      for (const char *q = p; q < eol;)
        {
          const char *run = q;
          gsize n;

          if ((n = unwanted_control_length (q)) > 0)
            {
              q += n;
              continue;
            }
          while (q < eol && (is_plain_byte (*q) || unwanted_control_length (q) == 0))
            q++;
          g_string_append_len (out, run, q - run);
        }
      end = out->len;
      while (end > line_start && (out->str[end - 1] == ' ' || out->str[end - 1] == '\t'))
        end--;
      g_string_truncate (out, end);

      if (out->len == line_start)
        {
          g_string_truncate (out, before_separator);
          blank_pending = out->len > 0;
        }
      else
        blank_pending = FALSE;

      p = eol;
      if (*p == '\r' && p[1] == '\n')
        p += 2;
      else if (*p != '\0')
        p++;
    }
  return g_string_free (out, FALSE);
}

typedef enum
{
  BREAK_NONE,
  BREAK_LINE,
  BREAK_PARAGRAPH,
} Break;

static const char *const paragraph_tags[] = {
  "p",  "div",   "h1",    "h2",      "h3",      "h4",     "h5",     "h6",   "ul",
  "ol", "table", "tr",    "pre",     "section", "article", "header", "footer",
  "blockquote", "hr",
};

static const char *const inline_tags[] = {
  "a",    "em",  "strong", "b",   "i",   "u",    "s",  "code", "span", "img", "sub",
  "sup",  "small", "big",  "abbr", "cite", "del", "ins", "mark", "q",   "tt",  "td",
  "th",   "thead", "tbody", "font", "kbd", "var", "dl", "dt",  "dd",
};

static gboolean
tag_in (const char *name, const char *const *names, gsize n_names)
{
  /* The first byte rules out most names before a strcmp(). */
  for (gsize i = 0; i < n_names; i++)
    {
      if (name[0] == names[i][0] && strcmp (name, names[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Reads "<name ...>" or "</name>" at @p: the lowercased name (at most 15
 * characters) and where the tag ends, or FALSE if it is no tag. */
static gboolean
read_tag (const char *p, char name[16], gboolean *out_closing, const char **out_end)
{
  const char *q = p + 1;
  gsize n = 0;

  *out_closing = *q == '/';
  if (*out_closing)
    q++;
  if (!g_ascii_isalpha (*q))
    return FALSE;
  while (g_ascii_isalnum (*q))
    {
      if (n == 15)
        return FALSE;
      name[n++] = g_ascii_tolower (*q++);
    }
  name[n] = '\0';
  if (*q == '/' && q[1] == '>')
    q++;
  else if (g_ascii_isspace (*q))
    {
      /* Attributes have '=': "a<b then b>a" is text. */
      gboolean has_attribute = FALSE;

      while (*q != '\0' && *q != '>' && *q != '<')
        has_attribute |= *q++ == '=';
      if (!has_attribute && !(q[-1] == '/' && q - p > 2))
        return FALSE;
    }
  if (*q != '>')
    return FALSE;
  *out_end = q + 1;
  return TRUE;
}

typedef enum
{
  TAG_UNKNOWN,
  TAG_LINE_BREAK, /* br */
  TAG_LIST_ITEM,  /* li */
  TAG_PARAGRAPH,
  TAG_INLINE,
} TagKind;

/* What a tag of HTML's own does to the text; TAG_UNKNOWN for other names.
 * Looked up once per tag. */
static TagKind
tag_kind (const char *name)
{
  if (strcmp (name, "br") == 0)
    return TAG_LINE_BREAK;
  if (strcmp (name, "li") == 0)
    return TAG_LIST_ITEM;
  if (tag_in (name, paragraph_tags, G_N_ELEMENTS (paragraph_tags)))
    return TAG_PARAGRAPH;
  if (tag_in (name, inline_tags, G_N_ELEMENTS (inline_tags)))
    return TAG_INLINE;
  return TAG_UNKNOWN;
}

/* HTML when it has a tag of HTML's own; "a < b > c" in plain text is not. */
static gboolean
looks_like_html (const char *text)
{
  for (const char *p = strchr (text, '<'); p != NULL; p = strchr (p + 1, '<'))
    {
      char name[16];
      gboolean closing;
      const char *end;

      if (read_tag (p, name, &closing, &end) && tag_kind (name) != TAG_UNKNOWN)
        return TRUE;
    }
  return FALSE;
}

/* "&amp;" and friends at @p: the character and the bytes used, or 0. */
static gsize
read_entity (const char *p, gunichar *out_char)
{
  static const struct
  {
    const char *name;
    gunichar c;
  } named[] = {
    { "amp", '&' },     { "lt", '<' },       { "gt", '>' },      { "quot", '"' },
    { "apos", '\'' },   { "nbsp", ' ' },     { "ndash", 0x2013 }, { "mdash", 0x2014 },
    { "hellip", 0x2026 }, { "rsquo", 0x2019 }, { "lsquo", 0x2018 }, { "rdquo", 0x201d },
    { "ldquo", 0x201c }, { "copy", 0xa9 },
  };
  const char *semi = p + 1;

  while (*semi != '\0' && *semi != ';' && semi - p < 12)
    semi++;
  if (*semi != ';')
    return 0;

  if (p[1] == '#')
    {
      gboolean hex = p[2] == 'x' || p[2] == 'X';
      const char *digits = p + (hex ? 3 : 2);
      guint64 value = 0;

      if (digits == semi)
        return 0;
      for (const char *q = digits; q < semi; q++)
        {
          if (hex ? !g_ascii_isxdigit (*q) : !g_ascii_isdigit (*q))
            return 0;
          value = value * (hex ? 16 : 10)
                  + (guint64) (hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q));
        }
      if (value == 0 || value > 0x10ffff || !g_unichar_validate ((gunichar) value))
        return 0;
      *out_char = (gunichar) value;
      return (gsize) (semi - p) + 1;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (named); i++)
    {
      gsize n = strlen (named[i].name);
      if ((gsize) (semi - p - 1) == n && strncmp (p + 1, named[i].name, n) == 0)
        {
          *out_char = named[i].c;
          return n + 2;
        }
    }
  return 0;
}

/* What html_to_text() still owes the output before the next character: the
 * white space, line or paragraph break and "- " of the markup since. */
typedef struct
{
  Break brk;
  gboolean space;
  gboolean bullet;
} Pending;

static void
flush_pending (GString *out, Pending *pending)
{
  if (out->len > 0)
    {
      if (pending->brk == BREAK_PARAGRAPH)
        g_string_append (out, "\n\n");
      else if (pending->brk == BREAK_LINE)
        g_string_append_c (out, '\n');
      else if (pending->space)
        g_string_append_c (out, ' ');
    }
  if (pending->bullet)
    g_string_append (out, "- ");
  pending->brk = BREAK_NONE;
  pending->space = FALSE;
  pending->bullet = FALSE;
}

static char *
html_to_text (const char *html)
{
  GString *out = g_string_sized_new (strlen (html));
  Pending pending = { BREAK_NONE, FALSE, FALSE };
  const char *p = html;

  while (*p != '\0')
    {
      gunichar c;
      gsize used;

      if (*p == '<' && strncmp (p, "<!--", 4) == 0)
        {
          const char *end = strstr (p + 4, "-->");
          p = end != NULL ? end + 3 : p + strlen (p);
          continue;
        }
      if (*p == '<')
        {
          char name[16];
          gboolean closing;
          const char *end;
          TagKind kind = read_tag (p, name, &closing, &end) ? tag_kind (name) : TAG_UNKNOWN;

          if (kind != TAG_UNKNOWN)
            {
              if (kind == TAG_LINE_BREAK)
                pending.brk = MAX (pending.brk, BREAK_LINE);
              else if (kind == TAG_LIST_ITEM)
                {
                  pending.brk = MAX (pending.brk, BREAK_LINE);
                  pending.bullet = !closing;
                }
              else if (kind == TAG_PARAGRAPH)
                pending.brk = BREAK_PARAGRAPH;
              p = end;
              continue;
            }
        }

      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          pending.space = TRUE;
          p++;
          continue;
        }

      if (*p == '&' && (used = read_entity (p, &c)) > 0)
        {
          flush_pending (out, &pending);
          g_string_append_unichar (out, c);
          p += used;
          continue;
        }

      /* Text up to the next tag, entity or white space, copied whole; its
       * first byte may be a '<' or '&' that starts neither. A single space
       * between two words stays in the run: it is what collapsing white space
       * would write there. */
      used = 1;
      for (;;)
        {
          used += strcspn (p + used, "<& \t\n\r");
          if (p[used] != ' ' || p[used + 1] == '\0' || strchr ("<& \t\n\r", p[used + 1]) != NULL)
            break;
          used++;
        }
      flush_pending (out, &pending);
      g_string_append_len (out, p, (gssize) used);
      p += used;
    }
  return g_string_free (out, FALSE);
}

char *
lpc_program_text_from_markup (const char *text)
{
  g_autofree char *plain = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (looks_like_html (text))
    {
      plain = html_to_text (text);
      return normalize_paragraphs (plain);
    }
  return normalize_paragraphs (text);
}
