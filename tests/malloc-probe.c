/* malloc-probe.c: preloaded (LD_PRELOAD) into the daemon by the robustness
 * test (tests/integration/test_robustness.py), it answers how many bytes the
 * process has allocated and not yet freed, as glibc's malloc counts them
 * (mallinfo2: uordblks in the heaps, hblkhd in mmapped blocks).
 *
 * That count, unlike RSS, does not move with what malloc keeps of freed
 * memory, gives back, or spreads over arenas as threads race on a loaded
 * machine: a daemon that leaks nothing comes back to the same count after
 * the same calls, and one that leaks grows by what it leaks.
 *
 * $LPC_MALLOC_PROBE_SOCKET names a Unix socket this binds; each connection
 * that sends one byte gets one line back, "UORDBLKS HBLKHD\n", and is closed.
 * A thread of its own answers, so the daemon's code runs unchanged; it
 * allocates nothing after its start (snprintf into a stack buffer). */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int listen_fd = -1;

static void *
serve (void *data)
{
  (void) data;
  for (;;)
    {
      struct sockaddr_un peer;
      socklen_t peer_length = sizeof peer;
      int fd = accept4 (listen_fd, (struct sockaddr *) &peer, &peer_length, SOCK_CLOEXEC);
      char request;

      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          return NULL;
        }
      if (read (fd, &request, 1) == 1)
        {
          struct mallinfo2 info = mallinfo2 ();
          char reply[64];
          int n = snprintf (reply, sizeof reply, "%zu %zu\n", info.uordblks, info.hblkhd);

          if (n > 0 && write (fd, reply, (size_t) n) != n)
            fprintf (stderr, "malloc-probe: short write: %s\n", strerror (errno));
        }
      close (fd);
    }
}

__attribute__ ((constructor)) static void
start_probe (void)
{
  const char *path = getenv ("LPC_MALLOC_PROBE_SOCKET");
  size_t length;
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  pthread_attr_t attr;
  pthread_t thread;
  int rc;

  if (path == NULL || *path == '\0')
    return;
  /* A probe that cannot answer must say so: the test would otherwise wait
   * for a socket that never comes. */
  length = strlen (path);
  if (length >= sizeof address.sun_path)
    {
      fprintf (stderr, "malloc-probe: socket path too long: %s\n", path);
      abort ();
    }
  memcpy (address.sun_path, path, length + 1);
  listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd < 0 || bind (listen_fd, (struct sockaddr *) &address, sizeof address) < 0
      || listen (listen_fd, 4) < 0)
    {
      fprintf (stderr, "malloc-probe: cannot listen on %s: %s\n", path, strerror (errno));
      abort ();
    }
  pthread_attr_init (&attr);
  pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
  rc = pthread_create (&thread, &attr, serve, NULL);
  pthread_attr_destroy (&attr);
  if (rc != 0)
    {
      fprintf (stderr, "malloc-probe: cannot start its thread: %s\n", strerror (rc));
      abort ();
    }
}
