#!/usr/bin/python3
# Self-tests of the harness: the private bus is really private, the children's
# environment carries nothing of the user's session, and the notification mock
# the reminder tests will use answers on the private bus.

import os

import dbus

import lpctest
from lpctest import AgendaTestCase


class HarnessTest (AgendaTestCase):
    start_daemon = False

    def test_private_bus_is_isolated (self):
        # Our bus is not the user's: its address is in our temp dir, and the
        # only activatable names are the bus itself and what our service dir
        # holds (empty here) -- in particular no notification server (dunst's
        # file lives in /usr/share/dbus-1/services).
        self.assertIn ('unix:path=' + self.tmpdir, self.bus.address)
        activatable = set (str (n) for n in self.dbus_iface.ListActivatableNames ())
        self.assertEqual (activatable, {'org.freedesktop.DBus'})
        self.assertFalse (self.dbus_iface.NameHasOwner (lpctest.NOTIFICATIONS_NAME))
        with open (self.bus.config_path) as f:
            config = f.read ()
        self.assertNotIn ('standard_session_servicedirs', config)
        self.assertNotIn ('/usr/share/dbus-1', config)
        self.assertNotIn ('<include', config)

    def test_child_environment (self):
        # What a child sees: our HOME, XDG dirs, TZ and bus; none of the
        # caller's session variables.
        rc, out, _ = self.run_cmd (['env'])
        self.assertEqual (rc, 0)
        env = dict (line.split ('=', 1) for line in out.splitlines () if '=' in line)
        self.assertEqual (env['DBUS_SESSION_BUS_ADDRESS'], self.bus.address)
        self.assertEqual (env['TZ'], lpctest.TEST_TZ)
        self.assertEqual (env['G_DEBUG'], 'fatal-criticals')
        for key in ('HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR', 'XDG_CACHE_HOME'):
            self.assertTrue (env[key].startswith (self.tmpdir + '/'), key)
        for key in ('DISPLAY', 'WAYLAND_DISPLAY', 'NO_COLOR', 'DBUS_SYSTEM_BUS_ADDRESS',
                    'XDG_SESSION_ID', 'TERM'):
            self.assertNotIn (key, env)
        self.assertEqual (os.stat (self.xdg_runtime).st_mode & 0o777, 0o700)

    def test_stock_tools_use_private_bus (self):
        # gdbus and busctl --user, as the tests run them, reach the private bus.
        bus_id = str (self.dbus_iface.GetId ())
        rc, out, err = self.run_busctl ('call', 'org.freedesktop.DBus', '/org/freedesktop/DBus',
                                        'org.freedesktop.DBus', 'GetId')
        self.assertEqual ((rc, out.strip ()), (0, 's "%s"' % bus_id), err)
        rc, out, err = self.run_gdbus ('call', '--session', '--dest', 'org.freedesktop.DBus',
                                       '--object-path', '/org/freedesktop/DBus',
                                       '--method', 'org.freedesktop.DBus.GetId')
        self.assertEqual ((rc, out.strip ()), (0, "('%s',)" % bus_id), err)

    def test_notification_mock (self):
        # The reminder tests' notification server: dbusmock's template on the
        # private bus, its calls readable back.
        proc, mock = self.start_notification_mock ('body body-markup actions')
        obj = self.conn.get_object (lpctest.NOTIFICATIONS_NAME, '/org/freedesktop/Notifications',
                                    introspect=False)
        notifications = dbus.Interface (obj, 'org.freedesktop.Notifications')
        caps = [str (c) for c in notifications.GetCapabilities ()]
        self.assertEqual (caps, ['body', 'body-markup', 'actions'])
        nid = notifications.Notify ('lpc-agenda', 0, '', 'In 5 min: BPF &amp; Networking', 'body',
                                    dbus.Array (['snooze', 'Snooze 5 min'], signature='s'),
                                    dbus.Dictionary ({'urgency': dbus.Byte (1)}, signature='sv'),
                                    -1)
        self.assertGreater (int (nid), 0)
        calls = mock.GetMethodCalls ('Notify')
        self.assertEqual (len (calls), 1)
        args = lpctest.unwrap (calls[0][1])
        self.assertEqual (args[0], 'lpc-agenda')
        self.assertEqual (args[3], 'In 5 min: BPF &amp; Networking')
        self.assertEqual (args[5], ['snooze', 'Snooze 5 min'])
        self.assertIsNone (proc.poll ())

    def test_notification_mock_without_actions (self):
        _, _ = self.start_notification_mock ('body')
        obj = self.conn.get_object (lpctest.NOTIFICATIONS_NAME, '/org/freedesktop/Notifications',
                                    introspect=False)
        caps = [str (c) for c in
                dbus.Interface (obj, 'org.freedesktop.Notifications').GetCapabilities ()]
        self.assertEqual (caps, ['body'])

    def test_contract_parses (self):
        # The XML the tests compare against: every method of DESIGN.md's
        # contract is in it, and the "not yet" list read from its comments
        # names only methods that exist.
        c = lpctest.contract ()
        for m in ('ListTalks', 'GetTalk', 'Add', 'Remove', 'Skip', 'Unskip', 'GetAgenda'):
            self.assertIn (m, c['methods'])
        self.assertIn ('AgendaChanged', c['signals'])
        self.assertEqual (c['properties']['LeadTime'], ('u', 'readwrite'))
        self.assertLessEqual (lpctest.not_yet_methods (), set (c['methods']))


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
