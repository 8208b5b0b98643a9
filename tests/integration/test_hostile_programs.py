#!/usr/bin/env python3
"""Programs built to hurt: they must cost what a sound program of their size
costs, and never stop the daemon from starting (issue 12)."""

import os
import unittest

import lpctest
from lpctest import unwrap
from test_cli import CliTestCase

# Every two of them clash: 1,999,000 pairs. A record per pair took 445 MB
# at 2,000 talks and left a database the daemon died on at every start.
CROWDED = 2000


def write_crowded_schedule (path, n):
    with open (path, 'w') as f:
        f.write ('<?xml version="1.0" encoding="utf-8"?>\n<schedule>\n'
                 '<conference><title>Crowded</title>'
                 '<time_zone_name>Europe/Brussels</time_zone_name></conference>\n'
                 '<day index="1" date="2024-02-03"><room name="Hall">\n')
        for i in range (n):
            f.write ('<event guid="ev-%d" id="%d"><date>2024-02-03T10:00:00+01:00</date>'
                     '<start>10:00</start><duration>00:30</duration><room>Hall</room>'
                     '<title>Talk number %d</title><type>talk</type></event>\n' % (i, i, i))
        f.write ('</room></day>\n</schedule>\n')


@unittest.skipIf (lpctest.wrapped (), 'a 2,000-talk program under memcheck takes minutes; '
                  'the sanitize leg checks the same code for memory errors')
class CrowdedRoomTest (CliTestCase):
    start_daemon = False

    def setUp (self):
        super ().setUp ()
        self.crowded = os.path.join (self.tmpdir, 'crowded.xml')
        write_crowded_schedule (self.crowded, CROWDED)
        self.daemon = self.start_agendad (['--program', self.crowded])

    def test_crowded_room_checks_and_restarts (self):
        pairs = CROWDED * (CROWDED - 1) // 2
        clashes, total = self.agenda ().CheckProgram (timeout=120)
        self.assertEqual ((len (clashes), total), (500, pairs))
        for clash in clashes:
            clash = unwrap (clash)
            self.assertEqual ((clash['kind'], len (clash['ids'])), ('program-clash', 2))
            self.assertIn ('both in Hall at once', clash['note'])

        out, _ = self.cli_ok ('add', 'talk-number-1500')
        conflicts = [unwrap (c) for c in self.agenda ().GetConflicts (timeout=120)]
        program = [c for c in conflicts if c['kind'] == 'program-clash']
        self.assertEqual (len (program), 500)
        self.assertTrue (all ('talk-number-1500' in c['ids'] for c in program), program[:3])

        rc, out, err = self.run_cli ('check')
        self.assertEqual (rc, 1, err)
        self.assertIn ('%d clashes in the program; the first 500 are shown.' % pairs, out)

        # What every later login does: start on the stored crowded program.
        self.daemon = self.restart_agendad (['--program', self.crowded])
        ids = [unwrap (item)['id'] for item in self.agenda ().GetAgenda (lpctest.dbus.Dictionary ({}, signature='sv'))]
        self.assertEqual (ids, ['talk-number-1500'])
        _, total = self.agenda ().CheckProgram (timeout=120)
        self.assertEqual (total, pairs)


if __name__ == '__main__':
    lpctest.main ()
