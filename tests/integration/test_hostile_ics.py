#!/usr/bin/env python3
"""An .ics built to hang the daemon (issue 12, case 3): recurrence rules that
never match, lines that libical reads in quadratic time.  The import is read
off the daemon's main thread, and the other calls are answered meanwhile."""

import threading
import time

import dbus
from gi.repository import GLib

import lpctest
from test_cli import TRACING, CliTestCase

HEAD = ('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lpc-agenda tests//hostile//EN\r\n'
        'X-WR-CALNAME:Linux Plumbers Conference 2021\r\n'
        'X-WR-TIMEZONE:America/Los_Angeles\r\n')
TAIL = 'END:VCALENDAR\r\n'

# Each of these makes libical try some 86,000 minutes, within the bound on
# one rule's search (LPC_ICS_MAX_RULE_STEPS), to find its 60 daily
# occurrences: together they keep the parse busy for a while, so the calls
# made meanwhile really meet a parse under way.
SLOW_EVENTS = 150
SLOW_RULE = 'FREQ=MINUTELY;BYHOUR=10;BYMINUTE=0;COUNT=60'
NEVER_RULE = 'FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30;COUNT=3'


def event (uid, rule):
    return ('BEGIN:VEVENT\r\nUID:%s@example.org\r\nSUMMARY:Talk %s\r\n'
            'DTSTART:20210920T100000\r\nDURATION:PT30M\r\nRRULE:%s\r\nEND:VEVENT\r\n'
            % (uid, uid, rule))


def write_hostile (path, slow_events):
    """Returns the line of the never-matching RRULE."""
    text = HEAD + ''.join (event ('slow-%d' % i, SLOW_RULE) for i in range (slow_events))
    never = event ('never', NEVER_RULE)
    rrule_line = text.count ('\r\n') + 1 + never.split ('\r\n').index ('RRULE:' + NEVER_RULE)
    with open (path, 'w', newline='') as f:
        f.write (text + never + TAIL)
    return rrule_line


class HostileIcsTest (CliTestCase):

    def snapshot (self):
        status = self.agenda ().GetStatus ()
        return ({k: status[k] for k in status if k != 'now'}, self.agenda_items (),
                [t['id'] for t in self.talks (kind='all')])

    def test_never_matching_rule_while_status_answers (self):
        self.add (self.id_of (TRACING))
        before = self.snapshot ()
        path = self.tmpdir + '/hostile.ics'
        rrule_line = write_hostile (path, SLOW_EVENTS)

        result = {}

        def run_import ():
            result['cli'] = self.run_cli ('import', '--replace', path, timeout=120)

        importer = threading.Thread (target=run_import)
        importer.start ()
        agenda = self.agenda ()
        latencies = []
        # Every call must be answered within dbus-python's default timeout
        # (25 s): a call that is not raises, and fails the test.
        while importer.is_alive () or not latencies:
            started = time.monotonic ()
            agenda.GetStatus ()
            latencies.append (time.monotonic () - started)
        importer.join ()

        rc, out, err = result['cli']
        self.assertNotEqual (rc, 0, out)
        self.assertIn ('%s:%d: ' % (path, rrule_line), err)
        self.assertIn ('RRULE finds 0 of its COUNT=3 occurrences', err)
        print ('\nGetStatus during the hostile import (%d slow rules, then a never-matching '
               'one): %d calls answered, max %.1f ms, median %.1f ms'
               % (SLOW_EVENTS, len (latencies), max (latencies) * 1000,
                  sorted (latencies)[len (latencies) // 2] * 1000))
        self.assert_daemon_alive ()
        self.assertEqual (self.snapshot (), before)

    def test_second_import_while_one_is_read (self):
        before = self.snapshot ()
        path = self.tmpdir + '/hostile.ics'
        write_hostile (path, SLOW_EVENTS)
        agenda = self.agenda ()
        replies = []

        # Both sent before either is answered: the first's parse is under
        # way when the second arrives, on the same connection, in order.
        def on_reply (*args):
            replies.append (('reply', None, repr (args)))

        def on_error (e):
            replies.append (('error', e.get_dbus_name (), e.get_dbus_message ()))

        for _ in range (2):
            agenda.ImportProgram (path, dbus.Dictionary ({}, signature='sv'),
                                  reply_handler=on_reply, error_handler=on_error,
                                  timeout=120)
        context = GLib.MainContext.default ()
        deadline = time.monotonic () + 120 * lpctest.TIMEOUT_FACTOR
        while len (replies) < 2 and time.monotonic () < deadline:
            context.iteration (True)
        self.assertEqual (len (replies), 2, replies)
        names = sorted (str (name) for _, name, _ in replies)
        self.assertEqual (names, [lpctest.ERROR_PREFIX + 'Failed',
                                  lpctest.ERROR_PREFIX + 'ProgramInvalid'], replies)
        busy = [m for _, name, m in replies if name.endswith ('Failed')][0]
        self.assertIn ('another program import is still being read', busy)
        self.assertEqual (self.snapshot (), before)


if __name__ == '__main__':
    lpctest.main ()
