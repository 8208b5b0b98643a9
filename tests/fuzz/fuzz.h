/* fuzz.h: what every fuzz target in tests/fuzz/ shares. A target is one C
 * file defining LLVMFuzzerTestOneInput(); libFuzzer drives it in the fuzzing
 * build (-Dfuzzing=true), run-corpus.c everywhere else. */
#pragma once

#include <glib.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

G_BEGIN_DECLS

/* The libFuzzer entry points (prototypes for -Wmissing-prototypes). */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* GLib stops at a fatal message with SIGTRAP (a breakpoint), which
 * libFuzzer does not catch: made an abort(), it is a crash with its input
 * saved like any other. */
static inline void
lpc_fuzz_trap_to_abort (int sig)
{
  abort ();
}

/* For LLVMFuzzerInitialize(): a critical or a warning from GLib (a failed
 * g_return_if_fail() among them) is a bug the fuzzer must stop at, and
 * g_slice's magazines would hide leaks and overflows from the sanitizers. */
static inline void
lpc_fuzz_setup (void)
{
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_setenv ("G_DEBUG", "gc-friendly", FALSE);
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  signal (SIGTRAP, lpc_fuzz_trap_to_abort);
}

/* abort() with a message when @cond is false: the fuzzer reports it as a
 * crash, with the input. Not compiled out, unlike g_assert() under
 * G_DISABLE_ASSERT. */
#define lpc_fuzz_check(cond)                                                                       \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (G_UNLIKELY (!(cond)))                                                                      \
      {                                                                                            \
        fprintf (stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, G_STRFUNC, #cond);   \
        abort ();                                                                                  \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

G_END_DECLS
