#!/usr/bin/python3
"""Writes the seed corpus of the lpc-text fuzz target to corpus/lpc-text/:
every inline text and bad input of tests/test-program-lpc-text.c, byte for
byte (compiled from that file's own definitions, so they cannot drift), and
excerpts of data/lpc2021-timetable.txt small enough to mutate quickly (the
whole file is 300 KB; the unit tests parse it).

    tests/fuzz/make-corpus-lpc-text.py [CC]

Run it again after changing the test's texts; it rewrites the directory."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.normpath(os.path.join(here, "..", ".."))
out = os.path.join(here, "corpus", "lpc-text")
cc = sys.argv[1] if len(sys.argv) > 1 else "cc"

BULLET = "\u2022"
MAX_LINE = 160  # characters of a long abstract line kept


def test_texts(tmp):
    """name -> bytes, from the test file's definitions."""
    with open(os.path.join(top, "tests", "test-program-lpc-text.c")) as f:
        src = f.read()
    defines = "\n".join(re.findall(r"^#define (?:BUL|NNBSP) .*$", src, re.M))
    start = src.index("#define BLOCK_7_TO_11")
    end = src.index("/* clang-format on */", start)
    names = re.findall(r"^static const char (\w+)\[\] =", src[start:end], re.M)
    prog = ["#include <stdio.h>", "#include <string.h>", "#include <glib.h>", defines,
            src[start:end],
            "static void put (const char *name, const char *text, size_t len)",
            "{ FILE *f = fopen (name, \"wb\"); fwrite (text, 1, len, f); fclose (f); }",
            "int main (void) {"]
    for n in names:
        prog.append(f'  put ("text-{n.replace("_text", "").replace("_", "-")}", {n}, sizeof {n} - 1);')
    prog.append("  for (size_t i = 0; i < G_N_ELEMENTS (bad_inputs); i++) {")
    prog.append("    char name[128]; const BadInput *b = &bad_inputs[i];")
    prog.append('    snprintf (name, sizeof name, "bad-%s", b->name);')
    prog.append("    put (name, b->text, b->len ? b->len : strlen (b->text)); }")
    prog.append("  return 0; }")
    with open(os.path.join(tmp, "texts.c"), "w") as f:
        f.write("\n".join(prog) + "\n")
    flags = subprocess.run(["pkg-config", "--cflags", "glib-2.0"], check=True,
                           capture_output=True, text=True).stdout.split()
    subprocess.run([cc, "-o", os.path.join(tmp, "texts"), os.path.join(tmp, "texts.c")] + flags,
                   check=True)
    texts_dir = os.path.join(tmp, "out")
    os.mkdir(texts_dir)
    subprocess.run([os.path.join(tmp, "texts")], cwd=texts_dir, check=True)
    result = {}
    for name in sorted(os.listdir(texts_dir)):
        with open(os.path.join(texts_dir, name), "rb") as f:
            result[name] = f.read()
    return result


def shorten(line):
    return line if len(line) <= MAX_LINE + 1 else line[:MAX_LINE] + "\n"


def timetable_excerpts():
    with open(os.path.join(top, "data", "lpc2021-timetable.txt"), encoding="utf-8") as f:
        lines = f.readlines()
    starts = [i for i, l in enumerate(lines) if l.startswith("    " + BULLET + " ")]
    preamble = [shorten(l) for l in lines[:starts[0]]]
    blocks = [lines[a:b] for a, b in zip(starts, starts[1:] + [len(lines)])]

    def block_head(block, n_entries):
        """The block's lines up to its n_entries+1-th entry bullet."""
        kept, seen = [], 0
        for line in block:
            if line.startswith("      " + BULLET + " "):
                seen += 1
                if seen > n_entries:
                    break
            kept.append(shorten(line))
        return kept

    def titles_only(block, n_entries):
        """Bullets and title lines only: the structure without the prose."""
        kept, seen = [], 0
        for i, line in enumerate(block):
            bullet = line.startswith("    " + BULLET) or line.startswith("      " + BULLET)
            if line.startswith("      " + BULLET + " "):
                seen += 1
                if seen > n_entries:
                    break
            if bullet or (i > 0 and block[i - 1].startswith(("    " + BULLET, "      " + BULLET))):
                kept.append(line)
        return kept

    def title(block):
        return block[1].strip()

    result = {}
    # Every day's blocks in order, two entries each: day inference, ids,
    # occurrence groups across blocks.
    result["timetable-structure"] = "".join(
        preamble[:1] + ["\n"] + [l for b in blocks for l in titles_only(b, 2)])
    # The head of the file, as it is.
    result["timetable-head"] = "".join(preamble + block_head(blocks[0], 4))
    # Blocks with a trap each: a room with spaces, entries with their own
    # rooms, conveners, an untitled entry, 12 PM, a talk held twice, the end.
    wanted = ("GNU Tools", "BOFs Session", "RISC-V MC", "Android MC", "Keynote",
              "Kernel Summit", "Toolchains", "Containers")
    seen = set()
    for i, block in enumerate(blocks):
        t = title(block)
        slug = "-".join(re.findall(r"[a-z0-9]+", t.lower())[:4])
        if (any(t.startswith(w) for w in wanted) or i == len(blocks) - 1) and slug not in seen:
            seen.add(slug)
            result[f"timetable-{i:02d}-{slug}"] = "".join(preamble[:1] + ["\n"]
                                                           + block_head(block, 5))
    return {k: v.encode("utf-8") for k, v in result.items()}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        files = test_texts(tmp)
    files.update(timetable_excerpts())
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name, data in sorted(files.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(files)} files, {sum(len(d) for d in files.values())} bytes in {out}")


if __name__ == "__main__":
    main()
