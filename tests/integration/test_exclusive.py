#!/usr/bin/python3
# One daemon per agenda database, held on the file itself: a second daemon
# on another bus, a relative path or a link to the file writes nothing and
# says who holds it; repair keeps away from a database in use, whatever it
# was told; a healthy database is left alone by repair (issue 12, 4 and 5).

import glob
import hashlib
import os
import sqlite3

import lpctest
from lpctest import AgendaTestCase, PrivateBus
from test_dbus import TRACING


def file_digest (path):
    with open (path, 'rb') as f:
        return hashlib.sha256 (f.read ()).hexdigest ()


def other_conference (tmpdir):
    """A small schedule of another conference: a daemon that imported it
    would change the stored program's name."""
    path = os.path.join (tmpdir, 'other.xml')
    with open (path, 'w') as f:
        f.write ('<?xml version="1.0"?><schedule><conference><title>Other Conf</title>'
                 '<time_zone_name>Europe/Brussels</time_zone_name></conference>'
                 '<day index="1" date="2024-02-03"><room name="A"><event guid="g1" id="1">'
                 '<date>2024-02-03T10:00:00+01:00</date><start>10:00</start>'
                 '<duration>00:30</duration><room>A</room><title>Elsewhere</title>'
                 '</event></room></day></schedule>\n')
    return path


def stored_program_name (db_path):
    with sqlite3.connect ('file:%s?mode=ro' % db_path, uri=True) as db:
        return db.execute ('SELECT name FROM program').fetchone ()[0]


class ExclusiveDatabaseTest (AgendaTestCase):

    def other_bus_env (self):
        """A second session: its own bus, the same database file."""
        bus = PrivateBus (self.mkdir ('second-session'), self.env, [self.servicedir])
        self.addCleanup (bus.stop)
        return dict (self.env, DBUS_SESSION_BUS_ADDRESS=bus.address)

    def assert_refused_second (self, d):
        rc = d.wait (lpctest.START_TIMEOUT)
        self.assertEqual (rc, 1, d.output ())
        self.assertIn ('is in use by', d.output ())
        self.assertIn ('pid %d' % self.daemon.pid, d.output ())

    def test_second_daemon_on_another_bus_writes_nothing (self):
        self.add (self.id_of (TRACING))
        before = self.agenda_items ()
        name = stored_program_name (self.db_path)
        program = other_conference (self.tmpdir)
        # The same file by a relative path, through a link, from another bus.
        link = os.path.join (self.mkdir ('elsewhere'), 'link.db')
        os.symlink (self.db_path, link)
        for db in (os.path.basename (self.db_path), link):
            d = self.spawn_agendad (['--program', program], name='second-lpc-agendad', db=db,
                                    env=self.other_bus_env ())
            self.assert_refused_second (d)
        self.assertEqual (stored_program_name (self.db_path), name)
        self.assertEqual (self.agenda_items (), before)
        self.assert_daemon_alive ()

    def test_repair_refused_on_a_database_in_use (self):
        self.add (self.id_of (TRACING))
        digest_before = len (self.agenda_items ())
        # No session bus at all, and a relative path: the lock still holds.
        env = dict (self.env, LPC_AGENDAD=lpctest.daemon_path ())
        del env['DBUS_SESSION_BUS_ADDRESS']
        rc, out, err = self.run_cmd (
            self.wrap_cli_argv ([lpctest.cli_path (), 'repair', '--db',
                                 os.path.basename (self.db_path)]), env=env)
        self.assertEqual (rc, 1, out + err)
        self.assertIn ('in use by', err)
        self.assertIn ('pid %d' % self.daemon.pid, err)
        self.assertEqual (glob.glob (self.db_path + '.damaged-*'), [])
        self.assertEqual (len (self.agenda_items ()), digest_before)
        self.assert_daemon_alive ()

    def test_repair_of_a_healthy_database_changes_nothing (self):
        self.add (self.id_of (TRACING))
        self.assertEqual (self.daemon.stop (), 0)
        self.assertTrue (self.wait_for_name_gone (lpctest.BUS_NAME))
        digest, mtime = file_digest (self.db_path), os.stat (self.db_path).st_mtime_ns
        env = dict (self.env, LPC_AGENDAD=lpctest.daemon_path ())
        rc, out, err = self.run_cli ('repair', '--db', self.db_path, env=env)
        self.assertEqual (rc, 0, out + err)
        self.assertIn ('is healthy', out)
        self.assertIn ('Nothing was changed', out)
        self.assertEqual ((file_digest (self.db_path), os.stat (self.db_path).st_mtime_ns),
                          (digest, mtime))
        self.assertEqual (glob.glob (self.db_path + '.damaged-*'), [])


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
