#!/usr/bin/python3
# Any conference, any calendar: a frab schedule XML imported through the CLI
# on a private bus (times checked in UTC while the tests run in
# America/New_York and the schedule is in Europe/Brussels), conference
# switches with the agenda archived and brought back, the agenda exported as
# iCalendar and read back by the parsers calendar clients use (libical through
# ICalGLib, ical.js, python3-icalendar: ical_readers.py), the JSON export, and
# the living calendar file.

import json
import os
import time

import dbus

import ical_readers
import lpctest
from test_cli import CliTestCase

LPC_NAME = 'Linux Plumbers Conference 2021'
PLUMBCON = 'PlumbCon 2024'
# 2024-02-03 10:00 in Brussels (CET, UTC+1) = 09:00 UTC.
WELCOME_START = 1706950800
# 23:30 CET on the 3rd, for an hour: it ends at 00:30 on the 4th.
LATE_NIGHT_START = 1706999400
# Listed on day 1 at 01:00, before the day's 09:00 start: 01:00 CET on the 4th.
AFTER_MIDNIGHT_START = 1707004800


def frab_fixture ():
    return os.path.join (lpctest.source_root (), 'tests', 'data', 'frab-schedule.xml')


# A program in Europe/Berlin over the end of summer time (2021-10-31, 03:00
# CEST became 02:00 CET, at 01:00 UTC): talks on three days, one in the hour
# that comes twice, one running across the change.
DST_PROGRAM = '''<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1</version>
  <conference>
    <acronym>clockcon21</acronym>
    <title>ClockCon 2021</title>
    <start>2021-10-30</start>
    <end>2021-11-01</end>
    <days>3</days>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
%s
</schedule>
'''
DST_TALKS = (  # (day, <date>, duration, title)
    ('2021-10-30', '2021-10-30T10:00:00+02:00', '00:45', 'Saturday Summer Time'),
    ('2021-10-31', '2021-10-31T01:45:00+02:00', '01:30', 'Across the Change'),
    ('2021-10-31', '2021-10-31T02:30:00+02:00', '00:20', 'The First 02:30'),
    ('2021-10-31', '2021-10-31T10:00:00+01:00', '00:45', 'Sunday Winter Time'),
    ('2021-11-01', '2021-11-01T09:00:00+01:00', '01:00', 'Monday Winter Time'),
)


def dst_program_text ():
    days = []
    for index, day in enumerate (sorted ({t[0] for t in DST_TALKS})):
        events = []
        for n, (talk_day, date, duration, title) in enumerate (DST_TALKS):
            if talk_day != day:
                continue
            events.append ('''      <event guid="c10c0000-0000-4000-8000-%012d" id="%d">
        <date>%s</date>
        <start>%s</start>
        <duration>%s</duration>
        <room>Hall</room>
        <title>%s</title>
        <track>Time</track>
        <type>Talk</type>
        <persons><person id="1">Ada Lovelace</person></persons>
      </event>''' % (n + 1, n + 1, date, date[11:16], duration, title))
        days.append ('''  <day index="%d" date="%s" start="%sT00:00:00" end="%sT23:59:00">
    <room name="Hall">
%s
    </room>
  </day>''' % (index + 1, day, day, day, '\n'.join (events)))
    return DST_PROGRAM % '\n'.join (days)


class CalendarTestCase (CliTestCase):

    def talk_titled (self, title):
        found = [t for t in self.talks (kind='all') if t['title'] == title]
        self.assertEqual (len (found), 1, 'talks titled %r: %r' % (title, found))
        return found[0]

    def switch_to_plumbcon (self):
        out, _ = self.cli_ok ('import', '--replace', frab_fixture ())
        self.assertIn ('replaced ' + LPC_NAME, out)
        self.assertEqual (self.get_prop ('ProgramName'), PLUMBCON)

    def export_ics (self, *extra):
        path = os.path.join (self.tmpdir, 'export.ics')
        self.cli_ok ('export', '--ics', '-o', path, *extra)
        return path

    def expected_instants (self, slug, include_skipped=False):
        """{uid: (start, end, [alarm instants])} from the daemon's agenda
        (GetAgenda): the true instants every reader of an export must find."""
        default_leads = self.get_prop ('LeadTimes')
        default_leads = [] if default_leads in ('', 'off') else \
            [int (m) for m in default_leads.split (',')]
        want = {}
        for item in self.agenda_items ():
            cancelled = item['state'] in ('skipped', 'cancelled')
            if cancelled and not include_skipped:
                continue
            if cancelled or item['remind'] == 'off':
                leads = []
            elif item['remind'] == '':
                leads = default_leads
            else:
                leads = [int (m) for m in item['remind'].split (',')]
            want['%s@%s.lpc-agenda' % (item['id'], slug)] = (
                item['start'], item['end'], sorted (item['start'] - 60 * m for m in leads))
        return want

    def assertReadersAgree (self, path, want):
        """Every reader of ical_readers finds exactly @want's instants in the
        file at @path; skips (after checking the others) only when node is
        not installed at all."""
        missing = []
        for name, read in ical_readers.READERS:
            try:
                got = read (path)
            except ical_readers.ReaderMissing as e:
                if name != 'ical.js':
                    self.fail ('%s is not installed (.ci/install-deps installs it): %s' % (name, e))
                missing.append (str (e))
                continue
            except ical_readers.ReaderError as e:
                with open (path) as f:
                    self.fail ('%s\n%s' % (e, f.read ()))
            self.assertEqual (got, want, '%s read %s' % (name, path))
        if missing:
            self.skipTest ('not installed: %s' % ', '.join (missing))

    def assertZonedTimesValid (self, path, zone):
        """RFC 5545 3.3.5: a time with a TZID is a wall time (no "Z"), and
        the file defines that TZID; DTSTAMP is UTC."""
        with open (path, newline='') as f:
            lines = f.read ().split ('\r\n')
        zoned = [l for l in lines if l.startswith (('DTSTART;TZID=', 'DTEND;TZID='))]
        for line in zoned:
            self.assertRegex (line, r'^DT(START|END);TZID=%s:\d{8}T\d{6}$' % zone)
        for line in lines:
            if line.startswith ('DTSTAMP'):
                self.assertRegex (line, r'^DTSTAMP:\d{8}T\d{6}Z$')
        if zoned:
            self.assertEqual (lines.count ('TZID:%s' % zone), 1, 'the VTIMEZONE of ' + zone)
        return zoned

    def icalendar_events (self, path):
        try:
            import icalendar
        except ImportError:
            self.fail ('python3-icalendar is not installed (.ci/install-deps installs it)')
        with open (path, 'rb') as f:
            calendar = icalendar.Calendar.from_ical (f.read ())
        events = {}
        for event in calendar.walk ('VEVENT'):
            start = event.decoded ('DTSTART')
            end = event.decoded ('DTEND')
            # A zoned time must carry its zone: a naive one would be read
            # in whatever zone the reader runs in.
            self.assertIsNotNone (start.tzinfo, 'DTSTART without a zone: %r' % event)
            alarms = [int (-a.decoded ('TRIGGER').total_seconds () // 60)
                      for a in event.walk ('VALARM')]
            events[str (event['UID'])] = {
                'summary': str (event['SUMMARY']),
                'location': str (event.get ('LOCATION', '')),
                'status': str (event.get ('STATUS', '')),
                'start': int (start.timestamp ()),
                'end': int (end.timestamp ()),
                'alarms': alarms,
                'categories': [str (c) for c in event.get ('CATEGORIES').cats]
                if event.get ('CATEGORIES') is not None else [],
                'description': str (event.get ('DESCRIPTION', '')),
            }
        return events


class ScheduleImportTest (CalendarTestCase):

    def test_import_schedule_xml_needs_replace (self):
        self.add (self.talks (kind='talk')[0]['id'])
        before = self.agenda_items ()
        rc, out, err = self.run_cli ('import', frab_fixture ())
        # InvalidArgument from the daemon: exit 2, as for a bad argument.
        self.assertEqual (rc, 2, out + err)
        self.assertIn (PLUMBCON, err)
        self.assertIn ('--replace', err)
        self.assertEqual (self.get_prop ('ProgramName'), LPC_NAME)
        self.assertEqual (self.agenda_items (), before)

    def test_schedule_xml_times (self):
        self.switch_to_plumbcon ()
        self.assertEqual (self.get_prop ('ProgramTimezone'), 'Europe/Brussels')
        welcome = self.talk_titled ('Welcome to PlumbCon')
        self.assertEqual ((welcome['start'], welcome['end']),
                          (WELCOME_START, WELCOME_START + 50 * 60))
        self.assertEqual (welcome['room'], 'Janson')
        self.assertEqual (welcome['speakers'], ['Ada Lovelace', 'Grace Hopper'])
        late = self.talk_titled ('Late Night Kernel Hacking')
        self.assertEqual ((late['start'], late['end']), (LATE_NIGHT_START, LATE_NIGHT_START + 3600))
        after = self.talk_titled ('After Midnight Lightning Talks')
        self.assertEqual ((after['start'], after['end']),
                          (AFTER_MIDNIGHT_START, AFTER_MIDNIGHT_START + 30 * 60))
        # Through the CLI too, in the program's zone.
        out, _ = self.cli_ok ('show', welcome['id'], '--tz', 'conference')
        self.assertIn ('10:00', out)
        # The abstract's markup became text.
        detail = lpctest.unwrap (self.agenda ().GetTalk (welcome['id']))
        self.assertNotIn ('<p>', detail['abstract'])

    def test_ids_stable_across_reimport (self):
        self.switch_to_plumbcon ()
        first = sorted ((t['id'], t['title'], t['start']) for t in self.talks (kind='all'))
        out, _ = self.cli_ok ('import', frab_fixture ())
        self.assertIn ('0 new', out)
        self.assertEqual (sorted ((t['id'], t['title'], t['start']) for t in self.talks (kind='all')),
                          first)

    def test_replace_archives_and_restores (self):
        lpc_pick = self.talks (kind='talk')[3]['id']
        self.cli_ok ('add', lpc_pick, '--priority', '5', '--note', 'front row')
        self.switch_to_plumbcon ()
        self.assertEqual (self.agenda_items (), [])
        welcome = self.talk_titled ('Welcome to PlumbCon')['id']
        self.cli_ok ('add', welcome)
        # Back to LPC: its agenda is back as it was, PlumbCon's archived.
        out = self.cli_json ('--json', 'import', '--replace', lpctest.timetable_path ())
        self.assertEqual ((out['replaced'], out['archived'], out['unarchived']), (PLUMBCON, 1, 1))
        items = self.agenda_items ()
        self.assertEqual ([i['id'] for i in items], [lpc_pick])
        self.assertEqual ((items[0]['priority'], items[0]['note']), (5, 'front row'))
        # And PlumbCon's comes back in turn.
        self.switch_to_plumbcon ()
        self.assertEqual ([i['id'] for i in self.agenda_items ()], [welcome])

    def test_ics_program_import (self):
        out, _ = self.cli_ok ('import', '--replace',
                              os.path.join (lpctest.source_root (), 'tests', 'data', 'program.ics'))
        self.assertIn ('talks', out)
        self.assertNotEqual (self.get_prop ('ProgramName'), LPC_NAME)
        self.assertTrue (self.talks (kind='talk'))

    def test_bad_schedule_refused_with_line (self):
        bad = os.path.join (self.tmpdir, 'bad.xml')
        with open (frab_fixture ()) as f:
            text = f.read ()
        # A duration that is no duration, on a line we know.
        broken = text.replace ('<duration>00:50</duration>', '<duration>fifty</duration>', 1)
        line = broken[:broken.index ('fifty')].count ('\n') + 1
        with open (bad, 'w') as f:
            f.write (broken)
        before = self.agenda_items ()
        rc, out, err = self.run_cli ('import', '--replace', bad)
        self.assertEqual (rc, 1, out + err)
        self.assertIn ('%s:%d:' % (bad, line), err)
        self.assertEqual (self.get_prop ('ProgramName'), LPC_NAME)
        self.assertEqual (self.agenda_items (), before)


def la_day (unix_seconds):
    """The day in Los Angeles (PDT in September 2021) of an instant."""
    return time.strftime ('%Y-%m-%d', time.gmtime (unix_seconds - 7 * 3600))


class ExportTest (CalendarTestCase):

    SLUG = 'linux-plumbers-conference-2021'

    def setUp (self):
        super ().setUp ()
        talks = [t for t in self.talks (kind='talk')]
        # Three talks on three days of the conference.
        by_day = {}
        for t in talks:
            by_day.setdefault (la_day (t['start']), t)
        days = sorted (by_day)
        self.assertGreaterEqual (len (days), 3, days)
        self.planned, self.own_leads, self.skipped = (by_day[d] for d in days[:3])
        self.cli_ok ('config', 'lead-times', '10,0')
        self.cli_ok ('add', self.planned['id'])
        self.cli_ok ('add', self.own_leads['id'], '--remind', '15')
        self.cli_ok ('add', self.skipped['id'])
        self.cli_ok ('skip', self.skipped['id'])

    def expected (self, include_skipped=False):
        """What the agenda says, keyed by the UID the export must use."""
        slug = 'linux-plumbers-conference-2021'
        want = {}
        for talk, alarms, status in ((self.planned, [10, 0], 'CONFIRMED'),
                                     (self.own_leads, [15], 'CONFIRMED'),
                                     (self.skipped, [], 'CANCELLED')):
            if status == 'CANCELLED' and not include_skipped:
                continue
            want['%s@%s.lpc-agenda' % (talk['id'], slug)] = {
                'summary': talk['title'], 'location': talk['room'], 'status': status,
                'start': talk['start'], 'end': talk['end'], 'alarms': alarms}
        return want

    def assertEventsMatch (self, events, want, reader):
        self.assertEqual (set (events), set (want), reader)
        for uid, w in want.items ():
            got = events[uid]
            for key in ('summary', 'location', 'status', 'start', 'end'):
                self.assertEqual (got[key], w[key], '%s, %s: %s' % (reader, uid, key))
            self.assertEqual (sorted (got['alarms']), sorted (w['alarms']), '%s, %s' % (reader, uid))

    def test_export_read_by_libical_and_icalendar (self):
        path = self.export_ics ()
        want = self.expected ()
        self.assertReadersAgree (path, self.expected_instants (self.SLUG))
        py = self.icalendar_events (path)
        self.assertEventsMatch (py, want, 'python3-icalendar')
        planned_uid = '%s@linux-plumbers-conference-2021.lpc-agenda' % self.planned['id']
        self.assertEqual (py[planned_uid]['categories'], [self.planned['track']])
        for speaker in self.planned['speakers']:
            self.assertIn (speaker, py[planned_uid]['description'])
        with open (path, 'rb') as f:
            text = f.read ()
        self.assertIn (b'BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles\r\n', text)

    def test_export_all_marks_skipped_cancelled (self):
        path = self.export_ics ('--all')
        want = self.expected (include_skipped=True)
        self.assertEventsMatch (self.icalendar_events (path), want, 'python3-icalendar')
        self.assertReadersAgree (path, self.expected_instants (self.SLUG, include_skipped=True))

    def assertLosAngelesExport (self, path, n_events):
        zoned = self.assertZonedTimesValid (path, 'America/Los_Angeles')
        self.assertEqual (len (zoned), 2 * n_events)
        with open (path) as f:
            text = f.read ()
        # September 2021: the summer time begun on 2021-03-14, and the
        # standard time before it (how far summer time is from it).
        vtimezone = text[text.index ('BEGIN:VTIMEZONE'):text.index ('END:VTIMEZONE')]
        self.assertEqual (vtimezone.count ('BEGIN:DAYLIGHT'), 1, vtimezone)
        self.assertEqual (vtimezone.count ('BEGIN:STANDARD'), 1, vtimezone)
        self.assertIn ('DTSTART:20210314T020000', vtimezone)
        self.assertIn ('DTSTART:20201101T020000', vtimezone)

    def test_export_instants_in_every_reader (self):
        want = self.expected_instants (self.SLUG)
        # The talks are on several days, with their own and default leads.
        self.assertEqual (len ({la_day (w[0]) for w in want.values ()}), 2)
        self.assertEqual (sorted (len (w[2]) for w in want.values ()), [1, 2])
        path = self.export_ics ()
        self.assertLosAngelesExport (path, 2)
        self.assertReadersAgree (path, want)

    def test_export_all_instants_in_every_reader (self):
        want = self.expected_instants (self.SLUG, include_skipped=True)
        self.assertEqual (len ({la_day (w[0]) for w in want.values ()}), 3)
        path = self.export_ics ('--all')
        self.assertLosAngelesExport (path, 3)
        self.assertReadersAgree (path, want)

    def test_export_across_dst_change (self):
        program = os.path.join (self.tmpdir, 'clockcon.xml')
        with open (program, 'w') as f:
            f.write (dst_program_text ())
        self.cli_ok ('import', '--replace', program)
        self.assertEqual (self.get_prop ('ProgramTimezone'), 'Europe/Berlin')
        talks = {t['title']: t for t in self.talks (kind='talk')}
        self.assertEqual (set (talks), {t[3] for t in DST_TALKS})
        # The first 02:30 on the 31st is summer time: 00:30 UTC.
        self.assertEqual (talks['The First 02:30']['start'], 1635640200)
        for title in talks:
            self.cli_ok ('add', talks[title]['id'])
        self.cli_ok ('skip', talks['Sunday Winter Time']['id'])
        slug = 'clockcon-2021'
        for extra, include_skipped in (((), False), (('--all',), True)):
            want = self.expected_instants (slug, include_skipped)
            self.assertEqual (len (want), 5 if include_skipped else 4)
            path = self.export_ics (*extra)
            self.assertReadersAgree (path, want)
            zoned = self.assertZonedTimesValid (path, 'Europe/Berlin')
            with open (path) as f:
                text = f.read ()
            # Summer time from March, winter time from the change: no more.
            vtimezone = text[text.index ('BEGIN:VTIMEZONE'):text.index ('END:VTIMEZONE')]
            self.assertEqual (vtimezone.count ('BEGIN:DAYLIGHT'), 1, vtimezone)
            self.assertEqual (vtimezone.count ('BEGIN:STANDARD'), 1, vtimezone)
            self.assertIn ('DTSTART:20210328T020000', vtimezone)
            self.assertIn ('DTSTART:20211031T030000', vtimezone)
            # A time in the hour that comes twice is written in UTC, which
            # says which of the two it is: 02:30 CEST, and 02:15 CET (the
            # end of the talk across the change).
            self.assertIn ('DTSTART:20211031T003000Z', text)
            self.assertIn ('DTEND:20211031T011500Z', text)
            self.assertIn ('DTSTART;TZID=Europe/Berlin:20211031T014500', zoned)

    def test_export_stdout_and_uids_stable (self):
        first, _ = self.cli_ok ('export')
        self.assertTrue (first.startswith ('BEGIN:VCALENDAR'))
        # Another export after a change keeps every UID of the items kept.
        self.cli_ok ('remove', self.own_leads['id'])
        second, _ = self.cli_ok ('export')
        uids = lambda text: {line for line in text.splitlines () if line.startswith ('UID:')}
        self.assertEqual (uids (second), uids (first) - {
            'UID:%s@linux-plumbers-conference-2021.lpc-agenda' % self.own_leads['id']})

    def test_export_json (self):
        data = self.cli_json ('export', '--json')
        self.assertEqual ((data['calendar'], data['timezone']), (LPC_NAME, 'America/Los_Angeles'))
        want = self.expected ()
        events = {e['uid']: e for e in data['events']}
        self.assertEqual (set (events), set (want))
        for uid, w in want.items ():
            e = events[uid]
            self.assertEqual ((e['title'], e['room'], e['start-unix'], e['end-unix'], e['alarms']),
                              (w['summary'], w['location'], w['start'], w['end'], w['alarms']))
            # September in Los Angeles: PDT.
            self.assertTrue (e['start'].endswith ('-07:00'), e['start'])
        self.cli_fails (2, 'export', '--json', '--ics')

    def test_export_bad_options (self):
        for options in ({'format': dbus.String ('pdf')}, {'colour': dbus.String ('red')},
                        {'all': dbus.String ('yes')}):
            self.assertDBusError ('InvalidArgument', self.agenda ().ExportCalendar,
                                  dbus.Dictionary (options, signature='sv'))


class LivingCalendarTest (CalendarTestCase):

    def wait_for_file (self, path, check, timeout=5.0):
        """Polls @path until check(text) is true; returns the text."""
        deadline = time.monotonic () + timeout * lpctest.TIMEOUT_FACTOR
        text = None
        while time.monotonic () < deadline:
            try:
                with open (path) as f:
                    text = f.read ()
                if check (text):
                    return text
            except FileNotFoundError:
                pass
            time.sleep (0.05)
        self.fail ('%s never got as expected; last:\n%s' % (path, text))

    def test_calendar_file_follows_changes (self):
        path = os.path.join (self.tmpdir, 'cal', 'agenda.ics')
        os.makedirs (os.path.dirname (path))
        talk = self.talks (kind='talk')[5]
        uid = 'UID:%s@linux-plumbers-conference-2021.lpc-agenda' % talk['id']
        out, _ = self.cli_ok ('config', 'calendar-file', path)
        self.assertIn (path, out)
        self.assertEqual (self.get_prop ('CalendarFile'), path)
        # Written at once, empty of events.
        text = self.wait_for_file (path, lambda t: t.startswith ('BEGIN:VCALENDAR'))
        self.assertNotIn ('BEGIN:VEVENT', text)
        self.assertEqual (os.stat (path).st_mode & 0o777, 0o600)

        self.cli_ok ('add', talk['id'])
        self.wait_for_file (path, lambda t: uid in t)
        inode = os.stat (path).st_ino
        self.cli_ok ('config', 'lead-times', '20')
        self.wait_for_file (path, lambda t: 'TRIGGER:-PT20M' in t)
        # Rewritten by rename, never in place: a reader sees old or new.
        self.assertNotEqual (os.stat (path).st_ino, inode)
        self.cli_ok ('remove', talk['id'])
        self.wait_for_file (path, lambda t: uid not in t)
        self.assertEqual (os.listdir (os.path.dirname (path)), ['agenda.ics'])

        # Kept across a restart; switched off with "off".
        self.restart_agendad ()
        self.assertEqual (self.get_prop ('CalendarFile'), path)
        self.cli_ok ('config', 'calendar-file', 'off')
        self.assertEqual (self.get_prop ('CalendarFile'), '')
        self.cli_ok ('add', talk['id'])
        time.sleep (0.3)
        with open (path) as f:
            self.assertNotIn (uid, f.read ())

    def test_calendar_file_instants_in_every_reader (self):
        path = os.path.join (self.mkdir ('calendars'), 'agenda.ics')
        slug = 'linux-plumbers-conference-2021'
        by_day = {}
        for t in self.talks (kind='talk'):
            by_day.setdefault (la_day (t['start']), t)
        days = sorted (by_day)[:3]
        self.cli_ok ('config', 'lead-times', '10,0')
        self.cli_ok ('add', by_day[days[0]]['id'])
        self.cli_ok ('add', by_day[days[1]]['id'], '--remind', '30,5')
        self.cli_ok ('add', by_day[days[2]]['id'], '--remind', 'off')
        self.cli_ok ('config', 'calendar-file', path)
        want = self.expected_instants (slug)
        self.assertEqual (len ({la_day (w[0]) for w in want.values ()}), 3)
        uids = ['UID:' + uid for uid in want]
        # (long lines are folded: a line end and a space go)
        self.wait_for_file (path, lambda t: all (u in t.replace ('\n ', '') for u in uids))
        self.assertZonedTimesValid (path, 'America/Los_Angeles')
        self.assertReadersAgree (path, want)
        # A change of the leads reaches the file's alarms.
        self.cli_ok ('config', 'lead-times', '20')
        want = self.expected_instants (slug)
        self.wait_for_file (path, lambda t: 'TRIGGER:-PT20M' in t)
        self.assertReadersAgree (path, want)

    def test_calendar_file_refused (self):
        missing = os.path.join (self.tmpdir, 'no-such-folder', 'agenda.ics')
        rc, out, err = self.run_cli ('config', 'calendar-file', missing)
        self.assertEqual (rc, 2, out + err)
        self.assertIn ('does not exist', err)
        self.assertEqual (self.get_prop ('CalendarFile'), '')
        self.assertDBusError ('InvalidArgument', self.set_prop, 'CalendarFile',
                              dbus.String ('relative/agenda.ics'))
        self.assertDBusError ('InvalidArgument', self.set_prop, 'CalendarFile',
                              dbus.String (self.tmpdir))
        self.assertEqual (self.get_prop ('CalendarFile'), '')
        self.assert_daemon_alive ()


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
