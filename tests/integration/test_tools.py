#!/usr/bin/python3
# The stock tools people script the daemon with: `gdbus call`, `busctl
# --user`, and introspection, which must match the XML contract.

import json
import xml.etree.ElementTree as ET

from gi.repository import GLib

import lpctest
from lpctest import BUS_NAME, OBJECT_PATH, IFACE
from test_dbus import ApiTestCase, TRACING, REUSEPORT


def parse_gvariant (text, type_string):
    return GLib.Variant.parse (GLib.VariantType.new (type_string), text.strip (), None, None)


class GdbusTest (ApiTestCase):

    def test_gdbus_add (self):
        tid = self.id_of (TRACING)
        rc, out, err = self.gdbus_call ('Add', tid, "{'priority': <uint32 4>, 'note': <'via gdbus'>}")
        self.assertEqual (rc, 0, err)
        result = parse_gvariant (out, '(a{sv})').unpack ()[0]
        self.assertEqual ((result['id'], result['already']), (tid, False))
        self.assertEqual ((result['item']['priority'], result['item']['note']), (4, 'via gdbus'))
        items = self.agenda_items ()
        self.assertEqual ([(i['id'], i['priority']) for i in items], [(tid, 4)])

    def test_gdbus_list (self):
        rc, out, err = self.gdbus_call ('ListTalks', "{'day': <'mon'>}")
        self.assertEqual (rc, 0, err)
        talks = parse_gvariant (out, '(aa{sv})').unpack ()[0]
        expected = self.talks (day='mon')
        self.assertEqual ([t['id'] for t in talks], [t['id'] for t in expected])
        self.assertEqual ([(t['title'], t['start'], t['end']) for t in talks],
                          [(t['title'], t['start'], t['end']) for t in expected])

    def test_gdbus_errors (self):
        rc, out, err = self.gdbus_call ('GetTalk', 'zzz-no-such-talk')
        self.assertNotEqual (rc, 0)
        self.assertIn ('org.lpcagenda.Agenda1.Error.NoSuchTalk', err)
        brk = self.talks (kind='break')[0]['id']
        rc, out, err = self.gdbus_call ('Add', brk, '{}')
        self.assertNotEqual (rc, 0)
        self.assertIn ('org.lpcagenda.Agenda1.Error.NotAttendable', err)
        rc, out, err = self.gdbus_call ('ListTalks', "{'bogus': <1>}")
        self.assertNotEqual (rc, 0)
        self.assertIn ('org.lpcagenda.Agenda1.Error.InvalidArgument', err)
        self.assertEqual (self.agenda_items (), [])
        self.assert_daemon_alive ()

    def test_gdbus_introspect_matches_xml (self):
        rc, out, err = self.run_gdbus ('introspect', '--session', '--dest', BUS_NAME,
                                       '--object-path', OBJECT_PATH, '--xml')
        self.assertEqual (rc, 0, err)
        assert_matches_contract (self, out)


def assert_matches_contract (test, xml_text):
    """Introspection XML of the live object against the contract: every
    method, signal and property, with its arguments' names, types and
    directions and the properties' access, compared as parsed structures."""
    live = lpctest.parse_interface_xml (xml_text)
    want = lpctest.contract ()
    for kind in ('methods', 'signals', 'properties'):
        test.assertEqual (sorted (live[kind]), sorted (want[kind]), '%s differ' % kind)
        for name in want[kind]:
            test.assertEqual (live[kind][name], want[kind][name], '%s %s differs' % (kind, name))
    # and the object offers the standard interfaces scripts rely on
    names = {i.get ('name') for i in ET.fromstring (xml_text).iter ('interface')}
    for std in ('org.freedesktop.DBus.Properties', 'org.freedesktop.DBus.Introspectable',
                'org.freedesktop.DBus.Peer'):
        test.assertIn (std, names)


class BusctlTest (ApiTestCase):

    def busctl_call (self, *args, json_out=False):
        pre = ('--json=short',) if json_out else ()
        return self.run_busctl (*pre, 'call', BUS_NAME, OBJECT_PATH, IFACE, *args)

    def test_busctl_add (self):
        tid = self.id_of (REUSEPORT)
        rc, out, err = self.busctl_call ('Add', 'sa{sv}', tid, '1', 'priority', 'u', '2', json_out=True)
        self.assertEqual (rc, 0, err)
        reply = json.loads (out)
        self.assertEqual (reply['type'], 'a{sv}')
        result = reply['data'][0]
        self.assertEqual (result['id'], {'type': 's', 'data': tid})
        self.assertEqual (result['already'], {'type': 'b', 'data': False})
        self.assertEqual ([(i['id'], i['priority']) for i in self.agenda_items ()], [(tid, 2)])
        # and the plain text form a shell script would read
        rc, out, err = self.busctl_call ('Add', 'sa{sv}', tid, '0')
        self.assertEqual (rc, 0, err)
        self.assertTrue (out.startswith ('a{sv} '), out)
        self.assertIn ('"already" b true', out)

    def test_busctl_list (self):
        rc, out, err = self.busctl_call ('ListTalks', 'a{sv}', '1', 'day', 's', 'mon', json_out=True)
        self.assertEqual (rc, 0, err)
        reply = json.loads (out)
        self.assertEqual (reply['type'], 'aa{sv}')
        talks = reply['data'][0]
        expected = self.talks (day='mon')
        self.assertEqual ([t['id']['data'] for t in talks], [t['id'] for t in expected])
        self.assertEqual ([t['start'] for t in talks[:1]], [{'type': 'x', 'data': expected[0]['start']}])

    def test_busctl_properties (self):
        rc, out, err = self.run_busctl ('get-property', BUS_NAME, OBJECT_PATH, IFACE, 'LeadTime')
        self.assertEqual ((rc, out.strip ()), (0, 'u 5'), err)
        rc, out, err = self.run_busctl ('set-property', BUS_NAME, OBJECT_PATH, IFACE, 'LeadTime', 'u', '7')
        self.assertEqual (rc, 0, err)
        self.assertEqual (self.get_prop ('LeadTime'), 7)
        rc, out, err = self.run_busctl ('set-property', BUS_NAME, OBJECT_PATH, IFACE, 'LeadTime', 'u',
                                        '99999')
        self.assertNotEqual (rc, 0)
        self.assertEqual (self.get_prop ('LeadTime'), 7)
        rc, out, err = self.run_busctl ('get-property', BUS_NAME, OBJECT_PATH, IFACE, 'ProgramTimezone')
        self.assertEqual ((rc, out.strip ()), (0, 's "America/Los_Angeles"'), err)

    def test_busctl_errors (self):
        rc, out, err = self.busctl_call ('Add', 'sa{sv}', 'zzz-no-such-talk', '0')
        self.assertNotEqual (rc, 0)
        self.assertTrue (err.strip ())
        rc, out, err = self.busctl_call ('Add', 's', 'zzz')      # wrong signature
        self.assertNotEqual (rc, 0)
        self.assertEqual (self.agenda_items (), [])
        self.assert_daemon_alive ()

    def test_busctl_introspect_matches_xml (self):
        rc, out, err = self.run_busctl ('introspect', '--xml-interface', BUS_NAME, OBJECT_PATH)
        self.assertEqual (rc, 0, err)
        assert_matches_contract (self, out)


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
