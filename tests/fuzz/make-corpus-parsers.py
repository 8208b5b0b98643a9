#!/usr/bin/python3
"""Writes the seed corpora of the frab-xml, schedule-json, ics and any-format
fuzz targets (corpus/NAME/): every input the parser's unit test parses from
memory — the small documents and the bad inputs of
tests/test-program-frab-xml.c, tests/test-program-schedule-json.c,
tests/test-program-ics.c and tests/test-program-format.c, byte for byte, so
they cannot drift from the tests — plus the fixtures tests/data/frab-schedule.xml,
tests/data/schedule.json and tests/data/program.ics; any-format also gets the
first few inputs of corpus/lpc-text/, corpus/frab-xml/, corpus/schedule-json/
and corpus/ics/. The inputs are caught by relinking the unit test's
object file from BUILDDIR with the parser's entry point wrapped
(ld --wrap), so a wrapper writes each input to a file before parsing it.
Inputs over 16 KiB (fuzz inputs are capped there) are left out.

    tests/fuzz/make-corpus-parsers.py BUILDDIR

BUILDDIR is a built ordinary (not -Dfuzzing) build. Run it again after
changing the tests' inputs; it rewrites the four directories."""
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.normpath(os.path.join(here, "..", ".."))
MAX_LEN = 16384

WRAP_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef struct _GPtrArray GPtrArray;
typedef struct _GError GError;
static void
dump (const char *data, size_t len)
{
  static unsigned n;
  char name[64];
  FILE *f;
  if (len > %(max)d)
    return;
  snprintf (name, sizeof name, "input-%%04u", n++);
  f = fopen (name, "wb");
  if (f == NULL)
    abort ();
  if (len > 0)
    fwrite (data, 1, len, f);
  fclose (f);
}
%(wrappers)s
"""

PARSE_WRAPPER = """
void *__real_%(f)s (const char *data, size_t len, const char *filename, const void *options, GPtrArray *warnings, GError **error);
void *__wrap_%(f)s (const char *data, size_t len, const char *filename, const void *options, GPtrArray *warnings, GError **error);
void *
__wrap_%(f)s (const char *data, size_t len, const char *filename, const void *options, GPtrArray *warnings, GError **error)
{
  dump (data, len);
  return __real_%(f)s (data, len, filename, options, warnings, error);
}
"""

DETECT_WRAPPER = """
int __real_lpc_program_detect_format (const char *data, size_t len);
int __wrap_lpc_program_detect_format (const char *data, size_t len);
int
__wrap_lpc_program_detect_format (const char *data, size_t len)
{
  dump (data, len);
  return __real_lpc_program_detect_format (data, len);
}
"""

# target -> (unit test, wrapped functions, fixtures)
TARGETS = {
    "frab-xml": ("test-program-frab-xml", ["lpc_program_parse_frab_xml"],
                 ["frab-schedule.xml"]),
    "schedule-json": ("test-program-schedule-json", ["lpc_program_parse_schedule_json"],
                      ["schedule.json"]),
    "ics": ("test-program-ics", ["lpc_program_parse_ics"], ["program.ics"]),
    "any-format": ("test-program-format", ["detect"],
                   ["frab-schedule.xml", "schedule.json", "program.ics"]),
}


def link_command(builddir, test):
    """The test's link command from BUILDDIR's ninja file, as a list."""
    out = subprocess.run(["ninja", "-C", builddir, "-t", "commands", "tests/" + test],
                         check=True, capture_output=True, text=True).stdout
    return shlex.split(out.strip().splitlines()[-1])


def capture(builddir, test, functions, tmp):
    wrappers = "".join(DETECT_WRAPPER if f == "detect" else PARSE_WRAPPER % {"f": f}
                       for f in functions)
    wrap_c = os.path.join(tmp, "wrap.c")
    with open(wrap_c, "w") as f:
        f.write(WRAP_C % {"max": MAX_LEN, "wrappers": wrappers})
    cmd = link_command(builddir, test)
    exe = os.path.join(tmp, test)
    cmd[cmd.index("-o") + 1] = exe
    cmd += [wrap_c] + ["-Wl,--wrap=" + (f if f != "detect" else "lpc_program_detect_format")
                       for f in functions]
    subprocess.run(cmd, cwd=builddir, check=True)
    out = os.path.join(tmp, "out-" + test)
    os.mkdir(out)
    env = dict(os.environ, G_TEST_SRCDIR=os.path.join(top, "tests"),
               G_TEST_BUILDDIR=os.path.join(builddir, "tests"), LC_ALL="C.UTF-8",
               TZ="America/New_York")
    subprocess.run([exe], cwd=out, env=env, check=True, stdout=subprocess.DEVNULL)
    return [os.path.join(out, n) for n in sorted(os.listdir(out))]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    builddir = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        for target, (test, functions, fixtures) in TARGETS.items():
            dest = os.path.join(here, "corpus", target)
            shutil.rmtree(dest, ignore_errors=True)
            os.makedirs(dest)
            seen = set()
            files = [os.path.join(top, "tests", "data", f) for f in fixtures]
            files += capture(builddir, test, functions, tmp)
            for i, path in enumerate(files):
                with open(path, "rb") as f:
                    data = f.read()
                digest = hashlib.sha1(data).hexdigest()
                if digest in seen:
                    continue
                seen.add(digest)
                name = ("fixture-" + os.path.basename(path) if i < len(fixtures)
                        else "test-%03d" % i)
                with open(os.path.join(dest, name), "wb") as f:
                    f.write(data)
            if target == "any-format":
                # and a few of each format's, lpc-text's included, to start
                # from every parser
                for other in ("lpc-text", "frab-xml", "schedule-json", "ics"):
                    # texts that parse first ("text-…" sorts after "bad-…")
                    names = sorted((n for n in os.listdir(os.path.join(here, "corpus", other))
                                    if not n.startswith("fixture-")),
                                   key=lambda n: (not n.startswith("text-"), n))
                    for n in names[:4]:
                        shutil.copy(os.path.join(here, "corpus", other, n),
                                    os.path.join(dest, other + "-" + n))
                        seen.add(other + n)
            print(f"{target}: {len(seen)} inputs in {os.path.relpath(dest, top)}")


main()
