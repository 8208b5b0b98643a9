#!/usr/bin/python3
# Import warnings and zones through the real CLI and D-Bus on a private bus:
# the importer's warnings reach the caller (printed by `lpc-agenda import`,
# which still exits 0, and in the D-Bus summary and ProgramChanged), the
# timezone option places an iCalendar file's floating times, a file that
# names another zone is refused naming both and changes nothing, and a bad
# zone is a usage error.  Times are checked as Unix seconds (UTC) while the
# tests run in another zone.

import calendar
import json
import os

import dbus

import lpctest
import test_cli
from test_cli import CliTestCase
from test_dbus import opts

LPC_NAME = 'Linux Plumbers Conference 2021'


def utc (year, month, day, hour, minute):
    return calendar.timegm ((year, month, day, hour, minute, 0))


# Two talks in Los Angeles: one at a time the clocks skip (02:30 on the
# night they go forward), one at a time they repeat (01:30 on the night
# they go back).  Line 8 and line 14 hold their DTSTARTs.
DST_ICS = '\r\n'.join ([
    'BEGIN:VCALENDAR',                                   # 1
    'VERSION:2.0',
    'PRODID:-//lpc-agenda tests//EN',
    'X-WR-CALNAME:DST Camp',
    'BEGIN:VEVENT',                                      # 5
    'UID:gap@dst',
    'SUMMARY:Skipped hour',
    'DTSTART;TZID=America/Los_Angeles:20210314T023000',  # 8
    'DTEND;TZID=America/Los_Angeles:20210314T040000',
    'END:VEVENT',                                        # 10
    'BEGIN:VEVENT',
    'UID:repeat@dst',
    'SUMMARY:Repeated hour',
    'DTSTART;TZID=America/Los_Angeles:20211107T013000',  # 14
    'DTEND;TZID=America/Los_Angeles:20211107T030000',
    'END:VEVENT',
    'END:VCALENDAR',
    ''])

# Floating times (no TZID, no Z) and no X-WR-TIMEZONE.
FLOATING_ICS = '\r\n'.join ([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//lpc-agenda tests//EN',
    'X-WR-CALNAME:Floating Fest',
    'BEGIN:VEVENT',
    'UID:keynote@floating',
    'SUMMARY:Keynote',
    'DTSTART:20240203T100000',                           # 8
    'DTEND:20240203T110000',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:summer@floating',
    'SUMMARY:Summer talk',
    'DTSTART:20240715T143000',
    'DTEND:20240715T150000',
    'END:VEVENT',
    'END:VCALENDAR',
    ''])

# Names its zone: Europe/Berlin.
BERLIN_ICS = '\r\n'.join ([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//lpc-agenda tests//EN',
    'X-WR-CALNAME:Berlin Days',
    'X-WR-TIMEZONE:Europe/Berlin',                       # 5
    'BEGIN:VEVENT',
    'UID:opening@berlin',
    'SUMMARY:Opening',
    'DTSTART:20240203T100000',
    'DTEND:20240203T110000',
    'END:VEVENT',
    'END:VCALENDAR',
    ''])


class ImportZonesTest (CliTestCase):

    def write (self, name, text):
        path = os.path.join (self.tmpdir, name)
        with open (path, 'w', encoding='utf-8') as f:
            f.write (text)
        return path

    def starts (self):
        return {t['title']: (t['start'], t['end']) for t in self.talks (kind='all')}

    def expected_dst_warnings (self, path):
        return [
            '%s:8: 02:30 on 2021-03-14 does not exist in America/Los_Angeles (clocks go '
            'forward): taken as 03:30 PDT (10:30 UTC), as RFC 5545 says' % path,
            '%s:14: 01:30 on 2021-11-07 happens twice in America/Los_Angeles (clocks go '
            'back): taken as the first, 01:30 PDT (08:30 UTC), as RFC 5545 says' % path,
        ]

    def test_warnings_printed_and_exit_0 (self):
        path = self.write ('dst.ics', DST_ICS)
        rc, out, err = self.run_cli ('import', '--replace', path)
        self.assertEqual (rc, 0, out + err)
        self.assertIn ('Imported %s' % path, out)
        # Each warning on stderr, prefixed so it reads as one, none on stdout.
        warnings = [line for line in err.splitlines () if line.startswith ('lpc-agenda: warning: ')]
        self.assertEqual ([w[len ('lpc-agenda: warning: '):] for w in warnings],
                          self.expected_dst_warnings (path), err)
        self.assertNotIn ('warning', out)
        # Where RFC 5545 puts them: before the gap's offset, the first of two.
        self.assertEqual (self.starts (), {
            'Skipped hour': (utc (2021, 3, 14, 10, 30), utc (2021, 3, 14, 11, 0)),
            'Repeated hour': (utc (2021, 11, 7, 8, 30), utc (2021, 11, 7, 11, 0)),
        })
        # --json: the warnings are in the object too, and stdout stays JSON.
        rc, out, err = self.run_cli ('--json', 'import', path)
        self.assertEqual (rc, 0, out + err)
        self.assertEqual (json.loads (out)['warnings'], self.expected_dst_warnings (path))
        self.assertEqual (err.count ('lpc-agenda: warning: '), 2, err)

    def test_dbus_summary_carries_warnings (self):
        path = self.write ('dst.ics', DST_ICS)
        rec = lpctest.SignalRecorder (self.conn, 'ProgramChanged')
        summary = self.agenda ().ReplaceProgram (path, opts ())
        self.assertEqual (summary['warnings'].signature, 's')
        self.assertEqual ([str (w) for w in summary['warnings']], self.expected_dst_warnings (path))
        sigs = rec.wait_for (1)
        self.assertEqual ([str (w) for w in sigs[0][0]['warnings']],
                          self.expected_dst_warnings (path))
        # A re-import of the same conference says the same again.
        summary = self.agenda ().ImportProgram (path, opts ())
        self.assertEqual (len (summary['warnings']), 2)
        # A file with nothing to say: an empty list.
        floating = self.write ('floating.ics', FLOATING_ICS)
        summary = self.agenda ().ReplaceProgram (floating, opts (timezone='Europe/Brussels'))
        self.assertEqual (list (summary['warnings']), [])

    def test_timezone_places_floating_times (self):
        path = self.write ('floating.ics', FLOATING_ICS)
        out, err = self.cli_ok ('import', '--replace', '--timezone', 'Europe/Brussels', path)
        self.assertNotIn ('warning', err)
        self.assertEqual (self.get_prop ('ProgramTimezone'), 'Europe/Brussels')
        # 10:00 CET = 09:00 UTC; 14:30 CEST = 12:30 UTC.
        self.assertEqual (self.starts (), {
            'Keynote': (utc (2024, 2, 3, 9, 0), utc (2024, 2, 3, 10, 0)),
            'Summer talk': (utc (2024, 7, 15, 12, 30), utc (2024, 7, 15, 13, 0)),
        })

    def test_floating_times_without_timezone_warn (self):
        path = self.write ('floating.ics', FLOATING_ICS)
        out, err = self.cli_ok ('import', '--replace', path)
        self.assertIn ('lpc-agenda: warning: %s:8: floating times (no TZID, no Z) and no '
                       'X-WR-TIMEZONE: taken as UTC; to give their zone, import with '
                       '`lpc-agenda import --timezone ZONE %s`' % (path, path), err)
        self.assertEqual (self.starts ()['Keynote'], (utc (2024, 2, 3, 10, 0), utc (2024, 2, 3, 11, 0)))

    def test_other_zone_refused_naming_both (self):
        path = self.write ('berlin.ics', BERLIN_ICS)
        items_before = self.agenda_items ()
        talks_before = self.talks (kind='all')
        rc, out, err = self.run_cli ('import', '--replace', '--timezone', 'America/New_York', path)
        self.assertEqual (rc, 1, out + err)
        self.assertIn ('%s:5:' % path, err)
        self.assertIn ('Europe/Berlin', err)
        self.assertIn ('America/New_York', err)
        self.assertEqual (self.get_prop ('ProgramName'), LPC_NAME)
        self.assertEqual (self.talks (kind='all'), talks_before)
        self.assertEqual (self.agenda_items (), items_before)
        # The zone the file names itself is no conflict.
        self.cli_ok ('import', '--replace', '--timezone', 'Europe/Berlin', path)
        self.assertEqual (self.starts (), {'Opening': (utc (2024, 2, 3, 9, 0), utc (2024, 2, 3, 10, 0))})

    def test_bad_timezone_refused (self):
        path = self.write ('floating.ics', FLOATING_ICS)
        talks_before = self.talks (kind='all')
        for zone in ('Mars/Olympus_Mons', '../../etc/passwd', ''):
            with self.subTest (zone=zone):
                rc, out, err = self.run_cli ('import', '--replace', '--timezone', zone, path)
                self.assertEqual (rc, 2, out + err)
                self.assertIn ("timezone '%s'" % zone, err)
        self.assertEqual (self.get_prop ('ProgramName'), LPC_NAME)
        self.assertEqual (self.talks (kind='all'), talks_before)
        # Over D-Bus: an unknown key or a value of another type, named.
        for options, named in (({'zone': 'UTC'}, 'zone'),
                               ({'timezone': dbus.UInt32 (1, variant_level=1)}, 'timezone')):
            with self.subTest (options=options):
                e = self.assert_refused ('InvalidArgument', self.agenda ().ImportProgram, path,
                                         dbus.Dictionary (options, signature='sv'))
                self.assertIn (named, e.get_dbus_message ())
        self.assertEqual (self.get_prop ('ProgramName'), LPC_NAME)

    def test_completion_offers_timezone (self):
        # test_cli's helper, not its class: a class imported here would run
        # its tests here too.
        complete = test_cli.CliCompletionTest.complete
        self.assertIn ('--timezone', complete (self, 'import', '--'))
        self.assertEqual (complete (self, 'import', '--timezone', 'Europe/Pra'), ['Europe/Prague'])
        self.assertEqual (complete (self, 'import', '--timezone', 'Americ'), ['America/'])
        self.assertIn ('UTC', complete (self, 'import', '--timezone', 'U'))


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
