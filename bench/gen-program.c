/* gen-program: writes a synthetic conference program in the LPC timetable
 * text format (the format of data/lpc2021-timetable.txt), for benchmarks.
 *
 *   gen-program N_ENTRIES > program.txt
 *
 * Five days, as the LPC 2021 week; each block is a 4-hour "microconference"
 * in a room of its own holding 12 entries of 20 minutes (one of them a
 * break). Blocks are listed day by day, each day sorted by (start, title),
 * which is how the importer infers the days. Deterministic: the same N gives
 * the same bytes. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#define ENTRIES_PER_BLOCK 12
#define N_DAYS 5

static const char *const words[] = {
  "scheduler", "latency", "memory", "folios", "tracing", "probes", "netdev", "offload",
  "filesystem", "writeback", "iommu", "vfio", "rust", "toolchain", "linker", "sanitizer",
  "realtime", "preemption", "cgroup", "namespace", "checkpoint", "restore", "printing", "risc-v",
};

static void
print_time (int minutes_after_midnight)
{
  int h24 = minutes_after_midnight / 60, m = minutes_after_midnight % 60;
  int h12 = h24 % 12 == 0 ? 12 : h24 % 12;

  /* U+202F NARROW NO-BREAK SPACE before AM/PM, as in the real timetable. */
  printf ("%d:%02d\xe2\x80\xaf%s", h12, m, h24 < 12 ? "AM" : "PM");
}

int
main (int argc, char **argv)
{
  long n_entries = argc > 1 ? strtol (argv[1], NULL, 10) : 100000;
  long n_blocks = (n_entries + ENTRIES_PER_BLOCK - 1) / ENTRIES_PER_BLOCK;
  long blocks_per_day = (n_blocks + N_DAYS - 1) / N_DAYS;
  long written = 0;
  guint32 seed = 2021;

  if (n_entries <= 0)
    {
      fprintf (stderr, "usage: gen-program N_ENTRIES\n");
      return 2;
    }

  printf ("Synthetic Conference %ld\n\n\n20-24 September,Virtually\n\n"
          "A generated program for benchmarks.\n\n",
          n_entries);

  for (long b = 0; b < n_blocks && written < n_entries; b++)
    {
      long in_day = b % blocks_per_day;
      int start = 7 * 60, end = start + ENTRIES_PER_BLOCK * 20;

      printf ("    \xe2\x80\xa2 ");
      print_time (start);
      printf (" ");
      print_time (end);
      /* Zero-padded so titles sort in listing order within a day. */
      printf ("\n      Track %06ld MC Room%06ld/Virtual-Room (LPC Virtual)\n\n\n"
              "      LPC Virtual\n\n\n"
              "      A generated microconference.\n\n"
              "      Conveners: Convener %ld, Co Convener %ld\n",
              in_day, in_day, b, b);

      for (int e = 0; e < ENTRIES_PER_BLOCK && written < n_entries; e++, written++)
        {
          printf ("      \xe2\x80\xa2 ");
          print_time (start + e * 20);
          if (e == 6)
            {
              printf ("\n        Break 20m\n");
              continue;
            }
          seed = seed * 1103515245u + 12345u;
          /* Kept short so 100,000 entries stay under the importer's 16 MiB
           * file limit. */
          printf ("\n        Talk %ld about %s and %s 20m\n\n"
                  "        On %s.\n\n"
                  "        Speakers: S %ld (Co %u), A Other\n",
                  written, words[seed % G_N_ELEMENTS (words)],
                  words[(seed >> 8) % G_N_ELEMENTS (words)],
                  words[(seed >> 16) % G_N_ELEMENTS (words)], written, seed % 97);
        }
    }
  return 0;
}
