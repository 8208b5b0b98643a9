#!/usr/bin/python3
# Checks that tests/meson.build registers every integration test method, and
# nothing that does not exist: each test method is a meson test of its own,
# named in a list there, and a method missing from the list would never run.
#
# Usage: check_registered.py FILE.py:Class.test_method ...

import os
import subprocess
import sys


def main ():
    here = os.path.dirname (os.path.abspath (__file__))
    registered = {}
    for arg in sys.argv[1:]:
        path, name = arg.split (':', 1)
        registered.setdefault (path, set ()).add (name)
    files = sorted (f for f in os.listdir (here) if f.startswith ('test_') and f.endswith ('.py'))
    problems = []
    for f in files:
        p = subprocess.run ([sys.executable, os.path.join (here, f), '--list'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=here)
        if p.returncode != 0:
            problems.append ('%s --list failed: %s' % (f, p.stderr.decode ()))
            continue
        found = set (p.stdout.decode ().split ())
        want = registered.pop (f, set ())
        for name in sorted (found - want):
            problems.append ('%s: %s is not registered in tests/meson.build' % (f, name))
        for name in sorted (want - found):
            problems.append ('%s: %s is registered but does not exist' % (f, name))
    for f in sorted (registered):
        problems.append ('%s is registered but is no test file here' % f)
    for p in problems:
        print (p)
    print ('%d test files, %s' % (len (files), 'OK' if not problems else '%d problems' % len (problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    raise SystemExit (main ())
