#!/usr/bin/python3
# Storage faults, on real file systems: the daemon keeps serving what it
# can, every change it cannot save fails with a Storage error that names the
# file and the cause, nothing already stored is lost, and a file it cannot
# use is left exactly as it was.
#
# - a read-only folder (a tmpfs remounted read-only): reads answer, every
#   change is refused ("read-only");
# - a full disk (a small tmpfs filled up): the change fails ("disk full"),
#   is rolled back, and works once space is freed;
# - a damaged, foreign or newer database: the daemon starts without the
#   agenda, serves the program from its program file, refuses every agenda
#   call saying what to do, and never touches the file.
#
# The mounts need root and a mount namespace of their own, so they vanish
# with the test whatever happens: as root, this file runs itself again under
# `unshare --mount --propagation private`.  Without root, or where unshare
# or mount is refused, the mount tests skip (saying why); the others run.

import errno
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time

import dbus

import lpctest
from lpctest import AgendaTestCase, BUS_NAME
from test_dbus import TRACING, REUSEPORT

IN_NAMESPACE = 'LPC_TEST_PRIVATE_MOUNT_NS'
# Room for the database with the shipped program (about 1.6 MiB with its
# -wal) and a little more; small enough to fill in a moment.
TMPFS_SIZE = '8m'


def reexec_in_mount_namespace ():
    """As root, runs this file again in a private mount namespace; records
    why not otherwise (the mount tests then skip with the reason)."""
    if IN_NAMESPACE in os.environ or sys.argv[1:] == ['--list']:
        return
    if os.geteuid () != 0:
        os.environ[IN_NAMESPACE] = 'not root: mounting a tmpfs needs root'
        return
    unshare = shutil.which ('unshare')
    if unshare is None:
        os.environ[IN_NAMESPACE] = 'unshare (util-linux) is not installed'
        return
    argv = [unshare, '--mount', '--propagation', 'private']
    probe = subprocess.run (argv + ['true'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if probe.returncode != 0:
        os.environ[IN_NAMESPACE] = ('unshare --mount is refused here: %s'
                                    % probe.stdout.decode (errors='replace').strip ())
        return
    env = dict (os.environ)
    env[IN_NAMESPACE] = 'yes'
    sys.stdout.flush ()
    sys.stderr.flush ()
    os.execve (unshare, argv + [sys.executable, os.path.abspath (__file__)] + sys.argv[1:], env)


def file_state (path):
    """Bytes, mtime and mode: what 'left untouched' means."""
    with open (path, 'rb') as f:
        digest = hashlib.sha256 (f.read ()).hexdigest ()
    st = os.stat (path)
    return (digest, st.st_mtime_ns, st.st_mode)


class StorageTestCase (AgendaTestCase):
    start_daemon = False

    def pick_and_stop (self, extra=()):
        """A daemon on self.db_path picks two talks and a setting, and stops
        (so the WAL is folded into the main file).  Returns the agenda."""
        self.daemon = self.start_agendad (extra)
        for title in (TRACING, REUSEPORT):
            self.add (self.id_of (title), priority=dbus.UInt32 (4), note='keep me')
        self.set_prop ('TravelTime', dbus.UInt32 (10))
        agenda = self.agenda_items ()
        self.assertEqual (len (agenda), 2)
        self.assertEqual (self.daemon.stop (), 0)
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))
        return agenda

    def assert_storage_error (self, fn, *words):
        e = self.assertDBusError ('Storage', fn)
        msg = e.get_dbus_message ()
        self.assertIn (self.db_path, msg)
        for w in words:
            self.assertIn (w, msg)
        return msg

    def assert_cli_add_refused (self, talk_id, *words):
        rc, out, err = self.run_cli ('add', talk_id)
        self.assertNotEqual (rc, 0, out + err)
        self.assertIn (self.db_path, err)
        for w in words:
            self.assertIn (w, err)
        self.assertNotIn ('GDBus.Error', err)

    def assert_program_served (self):
        talks = self.talks ()
        self.assertEqual (len (talks), 226)
        tid = self.id_of (TRACING)
        talk = lpctest.unwrap (self.agenda ().GetTalk (tid))
        self.assertTrue (talk['abstract'])
        self.agenda ().CheckProgram ()


class StorageFaultTest (StorageTestCase):
    """A read-only folder and a full disk, on a tmpfs of the test's own."""

    def setUp (self):
        super ().setUp ()
        why = os.environ.get (IN_NAMESPACE)
        if why != 'yes':
            self.skipTest (why or 'not in a private mount namespace')
        self.mnt = self.mkdir ('data')
        p = subprocess.run (['mount', '-t', 'tmpfs', '-o', 'size=%s,mode=0700' % TMPFS_SIZE,
                             'lpc-test', self.mnt], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
        if p.returncode != 0:
            self.skipTest ('mount -t tmpfs is refused: %s' % p.stdout.decode (errors='replace'))
        # Lazily, as a daemon may still hold files there; the harness stops
        # it afterwards (cleanups run last-added first).
        self.addCleanup (subprocess.run, ['umount', '-l', self.mnt])
        self.env['XDG_DATA_HOME'] = self.mnt
        self.db_path = os.path.join (self.mnt, 'lpc-agenda', 'agenda.db')

    def remount (self, mode):
        p = subprocess.run (['mount', '-o', 'remount,%s' % mode, self.mnt],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertEqual (p.returncode, 0, p.stdout.decode (errors='replace'))

    def test_read_only_folder (self):
        before = self.pick_and_stop ()
        state = file_state (self.db_path)
        self.remount ('ro')

        self.daemon = self.start_agendad (name='read-only-lpc-agendad')
        status = lpctest.unwrap (self.agenda ().GetStatus ())
        self.assertEqual (status['storage'], 'read-only')
        self.assertIn (self.db_path, status['storage-error'])
        self.assertEqual (status['agenda'], 2)

        # Every read answers.
        self.assertEqual (self.agenda_items (), before)
        self.assert_program_served ()
        self.agenda ().GetConflicts ()
        self.agenda ().Resolve (dbus.Dictionary ({}, signature='sv'))
        self.assertEqual (self.get_prop ('TravelTime'), 10)
        rc, out, err = self.run_cli ('agenda')
        self.assertEqual (rc, 0, err)
        rc, out, err = self.run_cli ('status')
        self.assertEqual (rc, 0, err)
        self.assertIn ('read-only', out)

        # Every change is refused, naming the file.
        api = self.agenda ()
        picked = before[0]['id']
        other = [t['id'] for t in self.talks () if t['id'] not in {i['id'] for i in before}][0]
        no_options = dbus.Dictionary ({}, signature='sv')
        for name, call in (
                ('Add', lambda: api.Add (other, no_options)),
                ('Update', lambda: api.Update (picked, dbus.Dictionary (
                    {'priority': dbus.UInt32 (1)}, signature='sv'))),
                ('Remove', lambda: api.Remove (picked)),
                ('Skip', lambda: api.Skip (picked)),
                ('Unskip', lambda: api.Unskip (picked)),
                ('ImportProgram', lambda: api.ImportProgram (lpctest.timetable_path (), dbus.Dictionary ({}, signature='sv'))),
                ('Set LeadTime', lambda: self.set_prop ('LeadTime', dbus.UInt32 (3))),
                ('Set TravelTime', lambda: self.set_prop ('TravelTime', dbus.UInt32 (3)))):
            with self.subTest (call=name):
                self.assert_storage_error (call, 'read-only', 'cannot save')
        self.assert_cli_add_refused (other, 'read-only')

        self.assert_daemon_alive ()
        self.assertEqual (self.agenda_items (), before)
        self.assertEqual (self.get_prop ('TravelTime'), 10)
        self.assertEqual (file_state (self.db_path), state)
        self.assertEqual (sorted (os.listdir (os.path.dirname (self.db_path))), ['agenda.db'])

    def test_read_only_folder_with_wal_and_no_shm (self):
        # A daemon that died (SIGKILL) left its latest changes in the -wal;
        # then the -shm went (a reboot clears it where it lives on a tmpfs,
        # a cleanup deletes it) and the folder became read-only. SQLite
        # cannot read a -wal without its -shm, and cannot make one there.
        self.daemon = self.start_agendad ()
        self.add (self.id_of (TRACING), note='keep me')
        before = self.agenda_items ()
        self.daemon.kill ()
        wal, shm = self.db_path + '-wal', self.db_path + '-shm'
        self.assertTrue (os.path.exists (wal))
        os.unlink (shm)
        self.remount ('ro')
        state = file_state (self.db_path)
        wal_state = file_state (wal)

        # Degraded, not down: the program is served, every agenda call is
        # refused with what happened and what to do, and nothing is touched
        # (reading around the -wal would pass an older agenda off as the
        # current one).
        DegradedStartTest.check_degraded (self, state, wal, 'did not stop cleanly', 'read-only',
                                          'Make the folder writable again')
        self.assertEqual (file_state (wal), wal_state)
        self.assertEqual (sorted (os.listdir (os.path.dirname (self.db_path))),
                          ['agenda.db', 'agenda.db-wal'])
        self.assertEqual (self.daemon.stop (), 0)
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))

        # Doing what it says brings the latest changes back.
        self.remount ('rw')
        self.daemon = self.start_agendad (name='writable-lpc-agendad')
        self.assertEqual (lpctest.unwrap (self.agenda ().GetStatus ())['storage'], 'ok')
        self.assertEqual (self.agenda_items (), before)

    def test_read_only_reminder_still_shown (self):
        # Before the conference, so no reminder is logged yet.
        before = self.pick_and_stop (['--clock', '2021-09-19T12:00:00-07:00'])
        tracing = [i for i in before if i['title'] == TRACING][0]
        self.remount ('ro')
        self.start_notification_mock ()
        fired = lpctest.SignalRecorder (self.conn, 'ReminderFired')
        # 30 simulated seconds before its reminder (5 min before the start).
        start = time.strftime ('%Y-%m-%dT%H:%M:%SZ', time.gmtime (tracing['start'] - 330))
        self.daemon = self.start_agendad (['--clock', start, '--clock-rate', '60'])
        self.assertEqual (fired.wait_for (1, timeout=30), [(tracing['id'], tracing['start'])])
        # Shown, and the log that could not be written says so.
        deadline = time.monotonic () + 10
        while 'Cannot record the reminder for %s' % tracing['id'] not in self.daemon.output ():
            self.assertLess (time.monotonic (), deadline, self.daemon.output ())
            time.sleep (0.05)
        self.assertIn ('read-only', self.daemon.output ())
        self.assert_daemon_alive ()
        self.assertIn (tracing['id'], [i['id'] for i in self.agenda_items (state='planned')])
        # The notification server was asked to show it.
        calls = lpctest.read_text (os.path.join (self.tmpdir, 'notification-mock-calls.log'))
        self.assertIn ('Notify', calls)

    def fill_disk (self):
        """Writes a filler file until the tmpfs has no byte left."""
        filler = os.path.join (self.mnt, 'filler')
        fd = os.open (filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for chunk in (1 << 20, 4096, 1):
                while True:
                    try:
                        os.write (fd, b'\0' * chunk)
                    except OSError as e:
                        self.assertEqual (e.errno, errno.ENOSPC)
                        break
        finally:
            os.close (fd)
        return filler

    def test_disk_full (self):
        self.daemon = self.start_agendad ()
        first = self.id_of (TRACING)
        second = self.id_of (REUSEPORT)
        self.add (first, note='keep me')
        self.set_prop ('TravelTime', dbus.UInt32 (10))
        before = self.agenda_items ()

        filler = self.fill_disk ()
        st = os.statvfs (self.mnt)
        self.assertEqual (st.f_bavail, 0)

        api = self.agenda ()
        self.assert_storage_error (
            lambda: api.Add (second, dbus.Dictionary ({'note': 'x' * 4000}, signature='sv')),
            'disk full')
        self.assert_cli_add_refused (second, 'disk full')
        # Nothing half-applied, nothing lost, reads answer, the daemon lives.
        self.assert_daemon_alive ()
        self.assertEqual (self.agenda_items (), before)
        self.assert_program_served ()
        status = lpctest.unwrap (api.GetStatus ())
        self.assertEqual (status['storage'], 'ok')
        self.assertEqual (status['agenda'], 1)

        # Space again: the same change goes through, and is kept.
        os.unlink (filler)
        self.add (second, note='x' * 4000)
        self.assertEqual (sorted (i['id'] for i in self.agenda_items ()), sorted ([first, second]))
        rc, out, err = self.run_cli ('remove', first)
        self.assertEqual (rc, 0, err)
        self.restart_agendad ()
        after = self.agenda_items ()
        self.assertEqual ([i['id'] for i in after], [second])
        self.assertEqual (after[0]['note'], 'x' * 4000)
        self.assertEqual (self.get_prop ('TravelTime'), 10)


class DegradedStartTest (StorageTestCase):
    """A database the daemon cannot use: it starts without the agenda."""

    def check_degraded (self, state, *words):
        self.daemon = self.start_agendad (name='degraded-lpc-agendad')
        api = self.agenda ()
        status = lpctest.unwrap (api.GetStatus ())
        self.assertEqual (status['storage'], 'unavailable')
        self.assertIn (self.db_path, status['storage-error'])
        for w in words:
            self.assertIn (w, status['storage-error'])
        self.assertNotIn ('agenda', status)
        self.assertEqual (status['talks'], 226)

        # The program, from the program file.
        self.assert_program_served ()
        rc, out, err = self.run_cli ('list', '--day', 'mon')
        self.assertEqual (rc, 0, err)
        rc, out, err = self.run_cli ('status')
        self.assertEqual (rc, 0, err)
        self.assertIn ('unavailable', out)
        self.assertIn (self.db_path, out)

        # Every call on the agenda: refused, naming the file and what to do.
        tid = self.id_of (TRACING)
        no_options = dbus.Dictionary ({}, signature='sv')
        for name, call in (
                ('Add', lambda: api.Add (tid, no_options)),
                ('GetAgenda', lambda: api.GetAgenda (no_options)),
                ('GetConflicts', lambda: api.GetConflicts ()),
                ('Resolve', lambda: api.Resolve (no_options)),
                ('GetFreeTime', lambda: api.GetFreeTime (no_options)),
                ('Remove', lambda: api.Remove (tid)),
                ('Snooze', lambda: api.Snooze (tid, dbus.UInt32 (5))),
                ('ImportProgram', lambda: api.ImportProgram (lpctest.timetable_path (), dbus.Dictionary ({}, signature='sv'))),
                ('Set LeadTime', lambda: self.set_prop ('LeadTime', dbus.UInt32 (3)))):
            with self.subTest (call=name):
                self.assert_storage_error (call, *words)
        self.assert_cli_add_refused (tid, *words)
        rc, out, err = self.run_cli ('agenda')
        self.assertEqual (rc, 1, out + err)
        self.assertIn (self.db_path, err)

        self.assert_daemon_alive ()
        self.assertEqual (file_state (self.db_path), state)
        self.assertIn ('no reminders', self.daemon.output ())

    def test_corrupt_database (self):
        self.pick_and_stop ()
        with sqlite3.connect (self.db_path) as db:
            page_size = db.execute ('PRAGMA page_size').fetchone ()[0]
        size = os.path.getsize (self.db_path)
        self.assertGreater (size, 2 * page_size)
        # Page 1 (the schema) stays; every other page is noise.
        with open (self.db_path, 'r+b') as f:
            f.seek (page_size)
            f.write (b'\xaa' * (size - page_size))
        state = file_state (self.db_path)
        self.check_degraded (state, 'damaged', 'lpc-agenda repair')

    def test_foreign_database (self):
        os.makedirs (os.path.dirname (self.db_path), exist_ok=True)
        with sqlite3.connect (self.db_path) as db:
            db.execute ('PRAGMA application_id = 305419896')
            db.execute ('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)')
            db.execute ("INSERT INTO photos (path) VALUES ('/tmp/cat.jpg')")
        db.close ()
        state = file_state (self.db_path)
        self.check_degraded (state, 'another program', 'lpc-agenda repair')

    def test_newer_database (self):
        self.pick_and_stop ()
        with sqlite3.connect (self.db_path) as db:
            db.execute ('PRAGMA user_version = 99')
        db.close ()
        state = file_state (self.db_path)
        self.check_degraded (state, 'newer lpc-agenda', 'Upgrade')

    def test_no_program_file_exits (self):
        self.pick_and_stop ()
        with open (self.db_path, 'r+b') as f:
            f.write (b'garbage, not SQLite')
        state = file_state (self.db_path)
        missing = os.path.join (self.tmpdir, 'no-such-program.txt')
        d = lpctest.LoggedProcess (
            'lpc-agendad-no-program',
            [lpctest.daemon_path (), '--db', self.db_path, '--program', missing, '--verbose'],
            self.env, os.path.join (self.tmpdir, 'no-program.log'), cwd=self.tmpdir)
        self.daemons.append (d)
        self.assertEqual (d.wait (lpctest.START_TIMEOUT), 1, d.output ())
        self.assertIn (self.db_path, d.output ())
        self.assertIn ('lpc-agenda repair', d.output ())
        self.assertFalse (self.dbus_iface.NameHasOwner (BUS_NAME))
        self.assertEqual (file_state (self.db_path), state)


if __name__ == '__main__':
    reexec_in_mount_namespace ()
    raise SystemExit (lpctest.main ())
