/* Unit tests of format detection, the one loader for every format, and the
 * file reading all the loaders share (program-file.c): its refusals of FIFOs,
 * devices and oversized files, and its text helpers. */
#include "lpc-error.h"
#include "program-file.h"
#include "program-format.h"
#include "test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static LpcProgramFormat
detect (const char *text)
{
  return lpc_program_detect_format (text, strlen (text));
}

static void
test_detect (void)
{
  g_assert_cmpint (detect ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), ==, LPC_PROGRAM_FORMAT_ICALENDAR);
  g_assert_cmpint (detect ("\xef\xbb\xbf\n  begin:vcalendar\n"), ==, LPC_PROGRAM_FORMAT_ICALENDAR);
  g_assert_cmpint (detect ("<?xml version='1.0'?>\n<schedule>"), ==, LPC_PROGRAM_FORMAT_FRAB_XML);
  g_assert_cmpint (detect ("<schedule>"), ==, LPC_PROGRAM_FORMAT_FRAB_XML);
  g_assert_cmpint (detect ("\xef\xbb\xbf<?xml version='1.0'?><!-- c --><schedule>"), ==,
                   LPC_PROGRAM_FORMAT_FRAB_XML);
  /* Other XML goes to the frab parser, which names its root element. */
  g_assert_cmpint (detect ("<?xml version='1.0'?><rss/>"), ==, LPC_PROGRAM_FORMAT_FRAB_XML);
  g_assert_cmpint (detect ("<!DOCTYPE html><html>"), ==, LPC_PROGRAM_FORMAT_UNKNOWN);
  g_assert_cmpint (detect ("<?xml version='1.0'?>\n<html>"), ==, LPC_PROGRAM_FORMAT_UNKNOWN);
  /* JSON: a schedule when its root object has "schedule", wherever it is
   * among the members; any other JSON is unknown. */
  g_assert_cmpint (detect ("{\"schedule\": {}}"), ==, LPC_PROGRAM_FORMAT_SCHEDULE_JSON);
  g_assert_cmpint (detect ("\xef\xbb\xbf {\"$schema\": \"x\", \"generator\": {\"schedule\": 1},\n"
                           "  \"a\\\"b\": [\"schedule\"], \"schedule\" : {}}"),
                   ==, LPC_PROGRAM_FORMAT_SCHEDULE_JSON);
  g_assert_cmpint (detect ("{\"generator\": {\"schedule\": 1}, \"x\": \"schedule\"}"), ==,
                   LPC_PROGRAM_FORMAT_UNKNOWN);
  g_assert_cmpint (detect ("[{\"schedule\": {}}]"), ==, LPC_PROGRAM_FORMAT_UNKNOWN);
  g_assert_cmpint (detect ("  [1, 2]"), ==, LPC_PROGRAM_FORMAT_UNKNOWN);
  g_assert_cmpint (lpc_program_detect_format ("\x7f" "ELF\0\0", 6), ==, LPC_PROGRAM_FORMAT_UNKNOWN);
  g_assert_cmpint (detect ("Linux Plumbers Conference 2021\n\n    \xe2\x80\xa2 7:00 AM"), ==,
                   LPC_PROGRAM_FORMAT_LPC_TEXT);
  /* The LPC parser says what is wrong with an empty file. */
  g_assert_cmpint (detect (""), ==, LPC_PROGRAM_FORMAT_LPC_TEXT);
  g_assert_cmpstr (lpc_program_format_to_string (LPC_PROGRAM_FORMAT_FRAB_XML), ==,
                   "frab schedule XML");
  g_assert_cmpstr (lpc_program_format_to_string (LPC_PROGRAM_FORMAT_SCHEDULE_JSON), ==,
                   "frab schedule JSON");
}

static void
assert_loads (const char *path, LpcProgramFormat expected_format, const char *expected_name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  LpcProgramFormat format = LPC_PROGRAM_FORMAT_UNKNOWN;
  g_autoptr (LpcProgram) program = lpc_program_load_file (path, NULL, warnings, &format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (program);
  g_assert_cmpint (format, ==, expected_format);
  g_assert_cmpstr (program->name, ==, expected_name);
  g_assert_cmpuint (program->entries->len, >, 0);
}

static void
test_load_any (void)
{
  const char *timetable = g_getenv ("LPC_TEST_TIMETABLE");

  assert_loads (g_test_get_filename (G_TEST_DIST, "data", "frab-schedule.xml", NULL),
                LPC_PROGRAM_FORMAT_FRAB_XML, "PlumbCon 2024");
  assert_loads (g_test_get_filename (G_TEST_DIST, "data", "schedule.json", NULL),
                LPC_PROGRAM_FORMAT_SCHEDULE_JSON, "PlumbCon 2025");
  assert_loads (g_test_get_filename (G_TEST_DIST, "data", "program.ics", NULL),
                LPC_PROGRAM_FORMAT_ICALENDAR, "PlumbCon 2024 (calendar)");
  if (timetable == NULL)
    timetable = g_test_get_filename (G_TEST_DIST, "..", "data", "lpc2021-timetable.txt", NULL);
  assert_loads (timetable, LPC_PROGRAM_FORMAT_LPC_TEXT, "Linux Plumbers Conference 2021");
}

/* A file in a fresh temporary folder. */
static char *
write_temp (const char *dir, const char *name, const char *content, gssize len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, content, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_load_errors (void)
{
  g_autofree char *dir = lpc_test_make_tmp_dir ("test-program-format-XXXXXX");
  g_autofree char *json = write_temp (dir, "schedule.xml", "{\"talks\": [{\"schedule\": 1}]}", -1);
  g_autofree char *schedule_json = write_temp (dir, "schedule.ics", "{\"schedule\": {\"version\": 1}}", -1);
  g_autofree char *ics = write_temp (dir, "program.txt", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", -1);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *big = g_build_filename (dir, "big.xml", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.ics", NULL);
  g_autofree char *expected = NULL;
  LpcProgramFormat format;
  GError *error = NULL;
  FILE *f;

  /* Named .xml, but JSON: by content, and the message names the file. */
  g_assert_null (lpc_program_load_file (json, NULL, NULL, &format, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_cmpint (format, ==, LPC_PROGRAM_FORMAT_UNKNOWN);
  expected = g_strdup_printf ("%s: not a program this version can read: it looks like JSON, "
                              "but not a frab/pretalx schedule.json", json);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  /* Named .ics, but a schedule JSON: its parser's message. */
  g_assert_null (lpc_program_load_file (schedule_json, NULL, NULL, &format, &error));
  g_assert_error (error, LPC_ERROR, LPC_ERROR_PROGRAM_INVALID);
  g_assert_cmpint (format, ==, LPC_PROGRAM_FORMAT_SCHEDULE_JSON);
  g_free (expected);
  expected = g_strdup_printf ("%s:1: schedule: no \"conference\"", schedule_json);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Named .txt, but iCalendar: the iCalendar parser's message. */
  g_assert_null (lpc_program_load_file (ics, NULL, NULL, &format, &error));
  g_assert_cmpint (format, ==, LPC_PROGRAM_FORMAT_ICALENDAR);
  g_free (expected);
  expected = g_strdup_printf ("%s:1: no VEVENT in the calendar", ics);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  /* A FIFO with no writer would block a read: refused before one. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_null (lpc_program_load_file (fifo, NULL, NULL, NULL, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s: not a regular file", fifo);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  /* Over 16 MiB (sparse): refused before reading. */
  f = fopen (big, "w");
  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), LPC_PROGRAM_MAX_FILE_SIZE + 1), ==, 0);
  fclose (f);
  g_assert_null (lpc_program_load_file (big, NULL, NULL, NULL, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s: 16777217 bytes, more than the 16 MiB", big);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  g_assert_null (lpc_program_load_file (missing, NULL, NULL, NULL, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s: cannot open: ", missing);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  lpc_test_remove_tree (dir);
}

static void
test_read_file_nul_terminated (void)
{
  g_autofree char *dir = lpc_test_make_tmp_dir ("test-program-format-XXXXXX");
  g_autofree char *path = write_temp (dir, "x", "abc", 3);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  const char *data;
  gsize len;

  g_assert_true (lpc_program_read_file (path, &bytes, &error));
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, 3);
  g_assert_cmpint (data[3], ==, '\0');
  lpc_test_remove_tree (dir);
}

static void
assert_text (const char *markup, const char *expected)
{
  g_autofree char *text = lpc_program_text_from_markup (markup);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_text_from_markup (void)
{
  assert_text (NULL, "");
  assert_text ("  \n\n ", "");
  assert_text ("one\r\ntwo  \r\n\r\n\r\n\r\nthree\n\n", "one\ntwo\n\nthree");
  assert_text ("<p>A &amp; B&#8217;s &lt;x&gt;</p>\n<p>C<br>D</p>", "A & B\xe2\x80\x99s <x>\n\nC\nD");
  assert_text ("<h2>Title</h2><ol><li>one</li><li><a href='x'>two</a></li></ol>",
               "Title\n\n- one\n- two");
  assert_text ("<p>bell\x07 and escape\x1b[31m</p>", "bell and escape[31m");
  assert_text ("if a<b then b>a", "if a<b then b>a");
  assert_text ("<p>x<br />y</p><p class=\"z\">w</p>", "x\ny\n\nw");
  {
    g_autofree char *line = lpc_program_text_one_line ("  A\n title\twith\x1b  gaps ");
    g_assert_cmpstr (line, ==, "A title with gaps");
  }
}

static void
test_zone_names (void)
{
  const char *good[] = { "Europe/Brussels", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+1",
                         "+01:00", "-05:30" };
  const char *bad[] = { "/etc/passwd", "../../etc/passwd", "Europe/../../etc/passwd",
                        "Mars/Olympus_Mons", "", "Europe/Brussels/", " UTC" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      GTimeZone *tz = lpc_program_zone_new (good[i]);
      g_assert_nonnull (tz);
      g_time_zone_unref (tz);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_null (lpc_program_zone_new (bad[i]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/program-format/detect", test_detect);
  g_test_add_func ("/program-format/load-any", test_load_any);
  g_test_add_func ("/program-format/load-errors", test_load_errors);
  g_test_add_func ("/program-format/read-file-nul-terminated", test_read_file_nul_terminated);
  g_test_add_func ("/program-format/text-from-markup", test_text_from_markup);
  g_test_add_func ("/program-format/zone-names", test_zone_names);
  return g_test_run ();
}
