#!/usr/bin/python3
# A damaged database: the daemon refuses it (serving the program alone) and
# leaves it as it is;
# `lpc-agenda repair` salvages the agenda into a fresh one and keeps the
# damaged file beside it; a running daemon's database is never repaired.

import glob
import hashlib
import os
import sqlite3

import lpctest
from lpctest import AgendaTestCase, BUS_NAME
from test_dbus import TRACING, REUSEPORT


def file_digest (path):
    with open (path, 'rb') as f:
        return hashlib.sha256 (f.read ()).hexdigest ()


class RepairTest (AgendaTestCase):

    def pick_two_and_stop (self):
        picks = sorted ([self.id_of (TRACING), self.id_of (REUSEPORT)])
        for tid in picks:
            self.add (tid)
        self.assertEqual (self.daemon.stop (), 0)
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))
        # Fold the WAL into the main file, so damaging the file damages data.
        with sqlite3.connect (self.db_path) as db:
            db.execute ('PRAGMA wal_checkpoint(TRUNCATE)')
        return picks

    def damage_entries_table (self):
        """Overwrites the pages of the program's entries (the bulk of the
        file) with garbage, leaving the agenda table's pages alone."""
        with sqlite3.connect (self.db_path) as db:
            page_size = db.execute ('PRAGMA page_size').fetchone ()[0]
            pages = [row[0] for row in db.execute (
                "SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype != 'overflow'"
                " ORDER BY pageno")] if self.has_dbstat (db) else []
        if not pages:
            # No dbstat in this SQLite: the entries table's root page is 3
            # (created third by migration 1) and its leaves follow it.
            pages = list (range (3, 8))
        with open (self.db_path, 'r+b') as f:
            for pageno in pages[:6]:
                f.seek ((pageno - 1) * page_size)
                f.write (os.urandom (page_size))

    @staticmethod
    def has_dbstat (db):
        try:
            db.execute ('SELECT 1 FROM dbstat LIMIT 1')
            return True
        except sqlite3.Error:
            return False

    def test_damaged_database_refused_then_repaired (self):
        picks = self.pick_two_and_stop ()
        self.damage_entries_table ()
        digest = file_digest (self.db_path)

        # The daemon refuses the file, says what to do, and does not touch it:
        # it serves the program alone (issue 6) until it is stopped.
        d = self.start_agendad (name='refusing-lpc-agendad')
        e = self.assertDBusError ('Storage', self.add, picks[0])
        self.assertIn ('lpc-agenda repair', e.get_dbus_message ())
        self.assertIn (self.db_path, e.get_dbus_message ())
        self.assertIn ('lpc-agenda repair', d.output ())
        self.assertEqual (d.stop (), 0)
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))
        self.assertEqual (file_digest (self.db_path), digest)

        env = dict (self.env, LPC_AGENDAD=lpctest.daemon_path ())
        rc, out, err = self.run_cli ('repair', '--db', self.db_path, env=env)
        self.assertEqual (rc, 0, out + err)
        self.assertRegex (out, r'saved 2 agenda items')
        backups = glob.glob (self.db_path + '.damaged-*')
        self.assertEqual (len ([b for b in backups if not b.endswith (('-wal', '-shm'))]), 1,
                          backups)
        backup = [b for b in backups if not b.endswith (('-wal', '-shm'))][0]
        self.assertIn (backup, out)
        self.assertEqual (file_digest (backup), digest, 'the damaged file was changed')

        # The fresh database serves the salvaged agenda with the program
        # imported again, and the ids are the ones the user picked.
        self.daemon = self.start_agendad (name='repaired-lpc-agendad')
        self.assertEqual (sorted (i['id'] for i in self.agenda_items ()), picks)
        self.assertEqual (os.stat (self.db_path).st_mode & 0o777, 0o600)

    def test_repair_refuses_while_daemon_runs (self):
        self.add (self.id_of (TRACING))
        env = dict (self.env, LPC_AGENDAD=lpctest.daemon_path ())
        rc, out, err = self.run_cli ('repair', '--db', self.db_path, env=env)
        self.assertEqual (rc, 1, out + err)
        self.assertIn ('stop it first', err)
        self.assertEqual (glob.glob (self.db_path + '.damaged-*'), [])
        self.assertEqual (len (self.agenda_items ()), 1)
        self.assert_daemon_alive ()

    def test_repair_of_missing_database (self):
        env = dict (self.env, LPC_AGENDAD=lpctest.daemon_path ())
        missing = os.path.join (self.tmpdir, 'nothing-here.db')
        rc, out, err = self.run_cli ('repair', '--db', missing, env=env)
        self.assertEqual (rc, 1, out + err)
        self.assertIn (missing, err)
        self.assertFalse (os.path.exists (missing))


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
