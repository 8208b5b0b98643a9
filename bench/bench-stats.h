/* bench-stats.h: the figures every benchmark prints — medians and spreads of
 * repeated runs, and elapsed time on the monotonic clock. */
#pragma once

#include <glib.h>

/* Sorts @values (@n > 0) and gives their median. */
double lpc_bench_median (double *values, guint n);
/* Sorts @values (@n > 0) and gives median, min and max, in that order. */
void lpc_bench_summarise (double *values, guint n, double out[3]);
/* Milliseconds since @start_usec (g_get_monotonic_time ()). */
double lpc_bench_ms_since (gint64 start_usec);
