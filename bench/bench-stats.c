/* bench-stats.c: medians and elapsed times for the benchmarks. */
#include "bench-stats.h"

#include <stdlib.h>

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
lpc_bench_median (double *values, guint n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void
lpc_bench_summarise (double *values, guint n, double out[3])
{
  out[0] = lpc_bench_median (values, n);
  out[1] = values[0];
  out[2] = values[n - 1];
}

double
lpc_bench_ms_since (gint64 start_usec)
{
  return (double) (g_get_monotonic_time () - start_usec) / 1000.0;
}
