#!/usr/bin/env python3
"""The living calendar never lands on the database, whatever the path's
spelling, and a calendar that cannot be written is said in `status`
(issue 12, case 1)."""

import os
import stat
import time

import lpctest
from test_cli import CliTestCase


class CalendarPathTest (CliTestCase):

    def wait_for (self, predicate, what, timeout=20):
        deadline = time.monotonic () + timeout
        while not predicate ():
            if time.monotonic () > deadline:
                self.fail ('never: %s' % what)
            time.sleep (0.05)

    def status_json (self):
        return self.cli_json ('status', '--json')

    def test_database_refused_by_any_spelling (self):
        data = os.path.dirname (self.db_path)
        link = os.path.join (self.tmpdir, 'home', 'data-link')
        os.symlink (data, link)
        hard = os.path.join (self.tmpdir, 'home', 'hard.ics')
        os.link (self.db_path, hard)
        for path in ('/' + self.db_path,
                     os.path.join (data, 'home', '..', os.path.basename (self.db_path)),
                     os.path.join (link, os.path.basename (self.db_path)),
                     hard):
            rc, out, err = self.run_cli ('config', 'calendar-file', path)
            self.assertEqual (rc, 2, '%s: %s%s' % (path, out, err))
            self.assertIn ("agenda's database", err)
        # Anything beside the database, under any name of its folder.
        for path in (os.path.join (data, 'agenda.ics'), os.path.join (link, 'agenda.ics')):
            rc, out, err = self.run_cli ('config', 'calendar-file', path)
            self.assertEqual (rc, 2, '%s: %s%s' % (path, out, err))
            self.assertIn ('data folder', err)
        self.assertEqual (self.get_prop ('CalendarFile'), '')
        self.assert_daemon_alive ()

    def test_symlinked_calendar_writes_its_target (self):
        synced = self.mkdir ('home/Sync')
        target = os.path.join (synced, 'lpc.ics')
        link = os.path.join (self.mkdir ('home/Calendars'), 'lpc.ics')
        os.symlink (target, link)
        talk = self.talks (kind='talk')[3]['id']
        self.cli_ok ('config', 'calendar-file', link)
        self.cli_ok ('add', talk)
        self.wait_for (lambda: os.path.exists (target) and talk in open (target).read (),
                       'the link target holds the pick')
        self.assertTrue (stat.S_ISLNK (os.lstat (link).st_mode), 'the link was replaced')
        self.assertEqual (os.readlink (link), target)

    def test_unwritable_calendar_shown_in_status (self):
        folder = self.mkdir ('home/Calendars')
        path = os.path.join (folder, 'lpc.ics')
        talks = [t['id'] for t in self.talks (kind='talk')[:3]]
        self.cli_ok ('config', 'calendar-file', path)
        self.cli_ok ('add', talks[0])
        self.wait_for (lambda: talks[0] in open (path).read (), 'the first pick written')
        self.assertNotIn ('calendar-file-error', self.status_json ())

        # A FIFO put in its place: refused, never opened (that would block).
        os.unlink (path)
        os.mkfifo (path)
        self.cli_ok ('add', talks[1])
        self.wait_for (lambda: 'calendar-file-error' in self.status_json (), 'status names the error')
        self.assertIn ('is a FIFO', self.status_json ()['calendar-file-error'])
        out, _ = self.cli_ok ('status')
        self.assertIn ('calendar file', out)
        self.assertTrue (stat.S_ISFIFO (os.lstat (path).st_mode))

        # Then a link to the database: refused at the write, the agenda kept.
        os.unlink (path)
        os.symlink (self.db_path, path)
        self.cli_ok ('add', talks[2])
        self.wait_for (lambda: "agenda's database" in self.status_json ().get ('calendar-file-error', ''),
                       "status says it is the agenda's database")
        self.restart_agendad ()
        self.assertEqual (sorted (i['id'] for i in self.cli_json ('agenda', '--json')), sorted (talks))

        # Fixed by the user: written again at the next change, error gone.
        os.unlink (path)
        self.cli_ok ('remove', talks[2])
        self.wait_for (lambda: os.path.exists (path) and talks[1] in open (path).read (),
                       'written again')
        self.assertNotIn ('calendar-file-error', self.status_json ())


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
