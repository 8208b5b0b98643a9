#!/usr/bin/python3
# The daemon's life: D-Bus activation, signals, a second instance, --replace,
# persistence across restarts, where the database goes, and refusing other
# Unix users.

import json
import os
import signal
import stat
import subprocess
import textwrap

import dbus

import lpctest
from lpctest import AgendaTestCase, BUS_NAME, OBJECT_PATH, IFACE
from test_dbus import ApiTestCase, TRACING, REUSEPORT, OPENING, v


class ActivationTest (ApiTestCase):
    """No daemon started: the first call starts it through the bus."""

    start_daemon = False

    def check_activated (self, tid):
        self.assertTrue (self.dbus_iface.NameHasOwner (BUS_NAME), 'nothing owns the name')
        pid = self.name_owner_pid ()
        self.assertNotIn (pid, [d.pid for d in self.daemons], 'not started by activation')
        exe = lpctest.program_of (pid)      # (the daemon's, under LPC_TEST_WRAPPER too)
        self.assertEqual (exe, os.path.realpath (lpctest.daemon_path ()),
                          'the activated daemon is not the build tree\'s')
        self.assertEqual ([i['id'] for i in self.agenda_items ()], [tid])
        # its database is in the test's directory, never the user's
        db = str (self.agenda ().GetStatus ()['database'])
        self.assertTrue (os.path.realpath (db).startswith (os.path.realpath (self.tmpdir) + '/'),
                         'activated daemon uses %s' % db)
        return pid

    def stop_and_check (self, pid):
        r = self.stop_activated_daemon ()
        self.assertEqual (r, (pid, True), 'activated daemon did not exit on SIGTERM')
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))

    def test_activation_by_cli_add (self):
        self.write_service_file ()
        self.assertIn (BUS_NAME, [str (n) for n in self.dbus_iface.ListActivatableNames ()])
        self.assertFalse (self.dbus_iface.NameHasOwner (BUS_NAME))
        tid = self.id_of_offline (TRACING)
        rc, out, err = self.run_cli ('add', tid)
        self.assertEqual (rc, 0, 'add did not activate the daemon: %s %s' % (out, err))
        pid = self.check_activated (tid)
        self.stop_and_check (pid)

    def id_of_offline (self, title):
        """The id a user would type, found before the test proper: from a
        daemon of its own (another database) that is gone again before the
        CLI runs, so nothing owns the name when `add` is called."""
        d = self.start_agendad (name='lookup-lpc-agendad', db=os.path.join (self.tmpdir, 'lookup.db'))
        tid = self.id_of (title)
        self.assertEqual (d.stop (signal.SIGTERM, lpctest.STOP_TIMEOUT), 0)
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))
        return tid


class BuildTreeActivationTest (ActivationTest):
    """The same with the service file the build tree writes."""

    use_build_services = True

    def test_activation_by_cli_add (self):
        if lpctest.build_services_dir () is None:
            self.skipTest ('the build tree has no tests/services/%s.service' % BUS_NAME)
        with open (os.path.join (lpctest.build_services_dir (), BUS_NAME + '.service')) as f:
            sys_text = f.read ()
        self.assertIn ('Name=%s' % BUS_NAME, sys_text)
        super ().test_activation_by_cli_add ()

    def write_service_file (self, extra_args=()):
        pass          # use the build tree's


class LifecycleTest (ApiTestCase):

    def test_sigterm_exits_0_and_releases_name (self):
        self.add (self.id_of (TRACING))
        rc = self.daemon.stop (signal.SIGTERM, lpctest.STOP_TIMEOUT)
        self.assertEqual (rc, 0, self.daemon.output ())
        self.assertTrue (self.wait_for_name_gone (BUS_NAME), 'name still owned')

    def test_sigint_exits_0 (self):
        rc = self.daemon.stop (signal.SIGINT, lpctest.STOP_TIMEOUT)
        self.assertEqual (rc, 0, self.daemon.output ())
        self.assertTrue (self.wait_for_name_gone (BUS_NAME), 'name still owned')

    def test_second_instance_refused (self):
        first = self.daemon
        second = self.spawn_agendad (name='second-lpc-agendad', db=os.path.join (self.tmpdir, 'b.db'))
        rc = second.wait (10)
        self.assertEqual (rc, 1, 'second instance: exit %s\n%s' % (rc, second.output ()))
        self.assertRegex (second.output (), r'(?i)(%s).*(taken|already|owned|in use|running)|'
                          r'(taken|already|owned|in use|running).*(%s)' % (BUS_NAME, BUS_NAME))
        self.assert_daemon_alive (first)

    def test_second_instance_same_database (self):
        first = self.daemon
        self.add (self.id_of (TRACING))
        before = self.agenda_items ()
        second = self.spawn_agendad (name='second-lpc-agendad')
        rc = second.wait (10)
        self.assertEqual (rc, 1, second.output ())
        self.assert_daemon_alive (first)
        self.assertEqual (self.agenda_items (), before)

    def test_replace (self):
        first = self.daemon
        tid = self.id_of (TRACING)
        self.add (tid)
        second = self.spawn_agendad (['--replace'], name='replacing-lpc-agendad')
        self.wait_for_name (BUS_NAME, process=second, owner_pid=second.pid)
        rc = first.wait (lpctest.STOP_TIMEOUT)
        self.assertEqual (rc, 0, 'the replaced daemon: exit %s\n%s' % (rc, first.output ()))
        self.daemon = second
        self.assert_daemon_alive (second)
        self.assertEqual ([i['id'] for i in self.agenda_items ()], [tid])

    def test_persistence (self):
        a, b, c = self.id_of (TRACING), self.id_of (REUSEPORT), self.id_of (OPENING)
        self.add (a, priority=v (5, 'u'), note='front row', remind='10,0')
        self.add (b)
        self.add (c)
        self.agenda ().Skip (b)
        self.agenda ().Remove (c)
        before = self.agenda_items ()
        self.restart_agendad ()
        after = self.agenda_items ()
        self.assertEqual (after, before)
        self.assertEqual ([(i['id'], i['state']) for i in after], [(a, 'planned'), (b, 'skipped')])

    def test_version (self):
        rc, out, err = self.run_cmd ([lpctest.daemon_path (), '--version'])
        self.assertEqual (rc, 0, err)
        self.assertIn (str (self.get_prop ('Version')), out)

    def test_bad_options (self):
        for args in (['--no-such-option'], ['--db']):
            with self.subTest (args=args):
                rc, out, err = self.run_cmd ([lpctest.daemon_path ()] + args)
                self.assertNotEqual (rc, 0)
                self.assertTrue ((out + err).strip ())
        self.assert_daemon_alive ()


class DatabaseLocationTest (AgendaTestCase):
    """Without --db the store goes to $XDG_DATA_HOME/lpc-agenda/agenda.db,
    private to the user."""

    start_daemon = False

    def test_default_database_location (self):
        argv = [lpctest.daemon_path (), '--program', lpctest.timetable_path ()]
        d = lpctest.LoggedProcess ('lpc-agendad', argv, self.env,
                                   os.path.join (self.tmpdir, 'lpc-agendad-default.log'))
        self.daemons.append (d)
        self.daemon = d
        self.wait_for_name (BUS_NAME, process=d)
        talks = self.talks ()
        self.add (talks[0]['id'])
        db = os.path.join (self.xdg_data, 'lpc-agenda', 'agenda.db')
        self.assertEqual (os.path.realpath (str (self.agenda ().GetStatus ()['database'])),
                          os.path.realpath (db))
        self.assertTrue (os.path.isfile (db))
        self.assertEqual (stat.S_IMODE (os.stat (db).st_mode), 0o600)
        self.assertEqual (stat.S_IMODE (os.stat (os.path.dirname (db)).st_mode), 0o700)

    def test_unwritable_database (self):
        # A store that cannot be opened: the daemon serves the program from
        # its program file and refuses the agenda, saying why (issue 6).
        self.daemon = self.start_agendad (db='/proc/lpc-agenda-no/agenda.db')
        status = self.agenda ().GetStatus ()
        self.assertEqual (status['storage'], 'unavailable')
        self.assertIn ('/proc/lpc-agenda-no', status['storage-error'])
        self.assertTrue (self.talks ())
        e = self.assertDBusError ('Storage', self.add, self.talks ()[0]['id'])
        self.assertIn ('/proc/lpc-agenda-no', e.get_dbus_message ())
        self.assertFalse (os.path.exists ('/proc/lpc-agenda-no'))


NOBODY_CLIENT = textwrap.dedent ('''
    import json, os, sys
    import dbus
    bus = dbus.bus.BusConnection (os.environ['DBUS_SESSION_BUS_ADDRESS'])
    out = {'uid': os.getuid (), 'bus-id': str (bus.get_object ('org.freedesktop.DBus',
           '/org/freedesktop/DBus').GetId (dbus_interface='org.freedesktop.DBus'))}
    obj = bus.get_object ('%(name)s', '%(path)s', introspect=False)
    api = dbus.Interface (obj, '%(iface)s')
    props = dbus.Interface (obj, 'org.freedesktop.DBus.Properties')
    calls = {
        'ListTalks': lambda: api.ListTalks (dbus.Dictionary ({}, signature='sv')),
        'GetAgenda': lambda: api.GetAgenda (dbus.Dictionary ({}, signature='sv')),
        'Add': lambda: api.Add (sys.argv[1], dbus.Dictionary ({}, signature='sv')),
        'Remove': lambda: api.Remove (sys.argv[2]),
        'GetStatus': lambda: api.GetStatus (),
        'Get': lambda: props.Get ('%(iface)s', 'LeadTime'),
        'GetAll': lambda: props.GetAll ('%(iface)s'),
        'Set': lambda: props.Set ('%(iface)s', 'LeadTime', dbus.UInt32 (30), signature='ssv'),
    }
    for name, call in calls.items ():
        try:
            result = call ()
            out[name] = 'ok: ' + repr (result)
        except dbus.exceptions.DBusException as e:
            out[name] = e.get_dbus_name ()
    print (json.dumps (out))
''') % {'name': BUS_NAME, 'path': OBJECT_PATH, 'iface': IFACE}


class AccessDeniedTest (ApiTestCase):
    """Another Unix user on the same bus is refused by the daemon."""

    allow_other_users = True

    def setUp (self):
        if os.geteuid () != 0:
            self.skipTest ('needs root to run a client as another user (nobody)')
        try:
            import pwd
            pwd.getpwnam ('nobody')
        except KeyError:
            self.skipTest ('no user "nobody"')
        super ().setUp ()
        # nobody must reach the bus socket in our temp dir (and nothing else)
        os.chmod (self.tmpdir, 0o711)
        self.nobody_home = self.mkdir ('nobody-home', 0o755)
        os.chown (self.nobody_home, 65534, 65534)

    def as_nobody (self, argv):
        env = {'PATH': self.env['PATH'], 'HOME': self.nobody_home, 'LC_ALL': 'C.UTF-8',
               'TZ': self.env['TZ'], 'DBUS_SESSION_BUS_ADDRESS': self.bus.address}
        p = subprocess.run (['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups',
                             '--'] + argv, env=env, cwd='/', stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=60)
        return p.returncode, p.stdout.decode (), p.stderr.decode ()

    def test_other_user_refused (self):
        mine = self.id_of (TRACING)
        self.add (mine)
        self.set_prop ('LeadTime', dbus.UInt32 (8))
        before = self.agenda_items ()
        rc, out, err = self.as_nobody (['/usr/bin/python3', '-c', NOBODY_CLIENT,
                                        self.id_of (REUSEPORT), mine])
        self.assertEqual (rc, 0, err)
        res = json.loads (out)
        self.assertEqual (res.pop ('uid'), 65534)
        # the bus let nobody in (so the refusal below is the daemon's)
        self.assertEqual (res.pop ('bus-id'), str (self.dbus_iface.GetId ()))
        for name, got in sorted (res.items ()):
            with self.subTest (call=name):
                self.assertEqual (got, 'org.freedesktop.DBus.Error.AccessDenied')
        self.assertEqual (self.agenda_items (), before)
        self.assertEqual (self.get_prop ('LeadTime'), 8)
        self.assert_daemon_alive ()

    def test_other_user_cli_refused (self):
        self.add (self.id_of (TRACING))
        before = self.agenda_items ()
        for args in (['list'], ['add', self.id_of (REUSEPORT)], ['remove', self.id_of (TRACING)]):
            with self.subTest (args=args):
                rc, out, err = self.as_nobody ([lpctest.cli_path ()] + args)
                self.assertEqual (rc, 1, 'as nobody: lpc-agenda %s: exit %d %s %s'
                                  % (' '.join (args), rc, out, err))
                self.assertRegex (err, r'(?i)denied|not allowed|permission|another user|only the user')
                self.assertNotIn ('GDBus.Error', err)
        self.assertEqual (self.agenda_items (), before)
        self.assert_daemon_alive ()


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
