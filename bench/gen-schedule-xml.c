/* gen-schedule-xml: writes a synthetic conference program as frab/pretalx
 * schedule XML (the format FOSDEM, CCC and pretalx publish), for benchmarks.
 *
 *   gen-schedule-xml N_EVENTS > schedule.xml
 *
 * Five days in Europe/Brussels, 09:00-19:00; rooms of ten 30-minute
 * talks and a 30-minute break after the fifth, each day filling as many
 * rooms as it needs. Every event has a guid, a numeric id, a full ISO date,
 * a track, two persons, and an HTML abstract and description of a few
 * sentences — the size of a real pretalx export's events. Deterministic:
 * the same N gives the same bytes. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#define N_DAYS 5
#define SLOTS_PER_ROOM 11 /* ten talks and a break */

static const char *const words[] = {
  "scheduler", "latency", "memory", "folios", "tracing", "probes", "netdev", "offload",
  "filesystem", "writeback", "iommu", "vfio", "rust", "toolchain", "linker", "sanitizer",
  "realtime", "preemption", "cgroup", "namespace", "checkpoint", "restore", "printing", "risc-v",
};

static guint32
next (guint32 *seed)
{
  *seed = *seed * 1103515245u + 12345u;
  return *seed >> 8;
}

int
main (int argc, char **argv)
{
  long n_events = argc > 1 ? strtol (argv[1], NULL, 10) : 10000;
  long n_rooms_total = (n_events + SLOTS_PER_ROOM - 1) / SLOTS_PER_ROOM;
  long rooms_per_day = (n_rooms_total + N_DAYS - 1) / N_DAYS;
  long written = 0;
  guint32 seed = 2024;

  if (n_events <= 0)
    {
      fprintf (stderr, "usage: gen-schedule-xml N_EVENTS\n");
      return 2;
    }
  printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n"
          "  <generator name=\"gen-schedule-xml\" version=\"1\"/>\n"
          "  <version>1</version>\n  <conference>\n"
          "    <acronym>synth%ld</acronym>\n    <title>Synthetic Schedule %ld</title>\n"
          "    <start>2024-02-05</start>\n    <end>2024-02-09</end>\n"
          "    <days>%d</days>\n    <timeslot_duration>00:05</timeslot_duration>\n"
          "    <time_zone_name>Europe/Brussels</time_zone_name>\n  </conference>\n",
          n_events, n_events, N_DAYS);

  for (int day = 0; day < N_DAYS && written < n_events; day++)
    {
      printf ("  <day index=\"%d\" date=\"2024-02-%02d\" start=\"2024-02-%02dT09:00:00+01:00\""
              " end=\"2024-02-%02dT19:00:00+01:00\">\n",
              day + 1, 5 + day, 5 + day, 5 + day);
      for (long r = 0; r < rooms_per_day && written < n_events; r++)
        {
          printf ("    <room name=\"Room %05ld\">\n", r);
          for (int slot = 0; slot < SLOTS_PER_ROOM && written < n_events; slot++, written++)
            {
              int minutes = 9 * 60 + slot * 30;
              gboolean is_break = slot == 5;
              const char *a = words[next (&seed) % G_N_ELEMENTS (words)];
              const char *b = words[next (&seed) % G_N_ELEMENTS (words)];
              const char *c = words[next (&seed) % G_N_ELEMENTS (words)];

              printf ("      <event guid=\"5e0c%04x-%04lx-4000-8000-%012lx\" id=\"%ld\">\n"
                      "        <date>2024-02-%02dT%02d:%02d:00+01:00</date>\n"
                      "        <start>%02d:%02d</start>\n        <duration>00:30</duration>\n"
                      "        <room>Room %05ld</room>\n"
                      "        <slug>synth-%ld</slug>\n",
                      day, written & 0xffff, written, written + 1, 5 + day, minutes / 60,
                      minutes % 60, minutes / 60, minutes % 60, r, written);
              if (is_break)
                {
                  printf ("        <title>Coffee break</title>\n"
                          "        <track></track>\n        <type>break</type>\n"
                          "        <abstract></abstract>\n        <description></description>\n"
                          "        <persons></persons>\n      </event>\n");
                  continue;
                }
              printf ("        <title>Talk %ld: %s and %s</title>\n"
                      "        <subtitle></subtitle>\n"
                      "        <track>Track %ld %s</track>\n        <type>Talk</type>\n"
                      "        <language>en</language>\n"
                      "        <abstract>&lt;p&gt;How %s meets %s, and what %s has to do "
                      "with it.&lt;/p&gt;</abstract>\n"
                      "        <description>&lt;p&gt;A look at %s in practice: what broke, "
                      "what we measured, and what we changed in %s.&lt;/p&gt;&lt;ul&gt;"
                      "&lt;li&gt;%s&lt;/li&gt;&lt;li&gt;%s&lt;/li&gt;&lt;/ul&gt;</description>\n"
                      "        <persons>\n"
                      "          <person id=\"%ld\">Speaker %ld</person>\n"
                      "          <person id=\"%ld\">Co Speaker %u</person>\n"
                      "        </persons>\n        <links/>\n        <attachments/>\n"
                      "      </event>\n",
                      written, a, b, r % 40, c, a, b, c, a, b, a, b, written * 2, written,
                      written * 2 + 1, next (&seed) % 97);
            }
          printf ("    </room>\n");
        }
      printf ("  </day>\n");
    }
  printf ("</schedule>\n");
  return 0;
}
