#!/usr/bin/python3
# Times a person cannot misread, in any zone (issue 11): the real CLI with the
# shipped program (America/Los_Angeles) run in zones on both sides of it.
# Every screen of times names its zone once; a range that ends on a later
# local day says so (+1); --day means the conference's day, whatever the
# zone, and the headings group by it and say which local day it is.
#
# The daemon runs in Pacific/Kiritimati (UTC+14), where the conference's
# Monday daytime is Tuesday: a day matched in the daemon's own zone shows.

import json
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import lpctest
from test_cli import CliTestCase, has_word

PROGRAM_ZONE = ZoneInfo ('America/Los_Angeles')
ZONES = ('Asia/Tokyo', 'Europe/Prague', 'America/Los_Angeles', 'UTC')
DAEMON_TZ = 'Pacific/Kiritimati'
# Monday 20 September 2021, 07:50 in Los Angeles: talks are running.
CLOCK = '2021-09-20T07:50:00-07:00'
DAYS = (('mon', 'monday', '2021-09-20'), ('tue', 'tuesday', '2021-09-21'),
        ('wed', 'wednesday', '2021-09-22'), ('thu', 'thursday', '2021-09-23'),
        ('fri', 'friday', '2021-09-24'))
# Picks on Monday (two overlapping, so conflicts and resolve print times) and
# one on Tuesday.
PICK_TITLES = ('Overeager pulling from wake_wide() in interrupt heavy workloads', 'CUPS 3.0',
               'gprofng - The next generation GNU profiler')
# A row: its time range (with +N when it ends N days later), then its id.
ROW = re.compile (r'^\s*(?:\w{3} )?(\d\d:\d\d[–-]\d\d:\d\d(?: \+\d+)?)\s+([a-z0-9-]+)(?:\s|$)')
HINT = re.compile (r'^\s*Times in (.*)$', re.M)


def instant (rfc3339):
    return datetime.strptime (rfc3339, '%Y-%m-%dT%H:%M:%SZ').replace (tzinfo=timezone.utc)


def conference_date (record):
    return instant (record['start']).astimezone (PROGRAM_ZONE).date ().isoformat ()


def rows_of (out):
    """{id: the time range on its row} of a listing."""
    rows = {}
    for line in out.splitlines ():
        m = ROW.match (line)
        if m:
            rows.setdefault (m.group (2), m.group (1).replace ('-', '–'))
    return rows


def expected_hint (zone, when):
    """What the hint says for @zone at @when (an aware datetime)."""
    abbreviation = when.astimezone (ZoneInfo (zone)).tzname ()
    return zone if abbreviation == zone else '%s (%s)' % (zone, abbreviation)


class DisplayTestCase (CliTestCase):

    start_daemon = False

    def setUp (self):
        super ().setUp ()
        env = dict (self.env)
        env['TZ'] = DAEMON_TZ
        self.daemon = self.start_agendad (['--clock', CLOCK, '--clock-rate', '1'], env=env)

    def cli_in (self, zone, *args):
        out, _ = self.cli_ok (*args, extra_env={'TZ': zone})
        return out

    def program (self):
        """Every entry, from the CLI's own JSON (RFC 3339 UTC, zone-free)."""
        return self.cli_json ('list', '--all', '--json')

    def pick (self):
        by_title = {r['title']: r['id'] for r in self.program () if r['kind'] == 'talk'}
        ids = [by_title[t] for t in PICK_TITLES]
        for i in ids:
            self.add (i)
        return ids

    def hints (self, out):
        return HINT.findall (out)


class ZoneHintTest (DisplayTestCase):

    def test_zone_hint_once_per_screen (self):
        ids = self.pick ()
        first = instant (self.program ()[0]['start'])
        commands = (('list',), ('list', '--day', 'mon'), ('search', 'scheduler'), ('agenda',),
                    ('agenda', '--day', 'mon'), ('next',), ('now',), ('free', 'mon'),
                    ('conflicts',), ('resolve',), ('show', ids[0]))
        for zone in ZONES:
            for command in commands:
                with self.subTest (zone=zone, command=command):
                    rc, out, err = self.run_cli (*command, extra_env={'TZ': zone})
                    # conflicts exits 1 when there are some, like diff
                    self.assertIn (rc, (0, 1) if command[0] == 'conflicts' else (0,), err)
                    hints = self.hints (out)
                    self.assertEqual (len (hints), 1, 'lpc-agenda %s in %s: %d hints\n%s'
                                      % (' '.join (command), zone, len (hints), out))
                    self.assertEqual (hints[0], expected_hint (zone, first), out)
                    # not in JSON, which carries UTC instants
                    rc, json_out, err = self.run_cli (*command, '--json', extra_env={'TZ': zone})
                    json.loads (json_out)
                    self.assertNotIn ('Times in', json_out)

    def test_zone_hint_names_the_chosen_zone (self):
        first = instant (self.program ()[0]['start'])
        for tz_option, name in (('conference', 'America/Los_Angeles'),
                                ('Europe/Prague', 'Europe/Prague'), ('UTC', 'UTC')):
            with self.subTest (tz=tz_option):
                out = self.cli_in ('Asia/Tokyo', 'list', '--day', 'tue', '--tz', tz_option)
                self.assertEqual (self.hints (out), [expected_hint (name, first)], out)
        # TZ=:NAME and a path into the zoneinfo directory name the zone too
        for tz in (':Europe/Prague', '/usr/share/zoneinfo/Europe/Prague'):
            with self.subTest (TZ=tz):
                out = self.cli_in (tz, 'list', '--day', 'tue')
                self.assertEqual (self.hints (out), [expected_hint ('Europe/Prague', first)], out)
        # a POSIX rule has no name: its abbreviation and offset
        out = self.cli_in ('JST-9', 'list', '--day', 'tue')
        self.assertEqual (self.hints (out), ['JST (UTC+09:00)'], out)

    def test_zone_hint_without_tz (self):
        """With TZ unset the zone is /etc/localtime's; the hint names it as
        the tz database does (whatever this machine's zone is)."""
        first = instant (self.program ()[0]['start'])
        rc, out, err = self.run_cli ('list', '--day', 'wed', unset=('TZ',))
        self.assertEqual (rc, 0, err)
        hints = self.hints (out)
        self.assertEqual (len (hints), 1, out)
        m = re.fullmatch (r'(\S+)(?: \((\S+)\))?', hints[0])
        self.assertTrue (m, hints[0])
        name = m.group (1)
        zone = ZoneInfo (name)          # a name of the tz database
        self.assertEqual (hints[0], expected_hint (name, first))
        # and the rows are in that zone
        talks = [t for t in self.cli_json ('list', '--day', 'wed', '--json')]
        self.assertTrue (rows_of (out)[talks[0]['id']].startswith (
            instant (talks[0]['start']).astimezone (zone).strftime ('%H:%M')), out)


class NextDayTest (DisplayTestCase):

    def assert_ranges_marked (self, zone, out, records):
        """Every record's row shows its local start and end, with +N when
        the end is N days after the start in @zone; returns how many rows
        were marked."""
        tz = ZoneInfo (zone)
        marked = 0
        for r in records:
            start = instant (r['start']).astimezone (tz)
            end = instant (r['end']).astimezone (tz)
            rows = rows_of (out)
            self.assertIn (r['id'], rows, '%s not listed in %s:\n%s' % (r['id'], zone, out))
            days = (end.date () - start.date ()).days
            self.assertEqual (rows[r['id']], '%s–%s%s' % (
                start.strftime ('%H:%M'), end.strftime ('%H:%M'),
                ' +%d' % days if days > 0 else ''), '%s in %s' % (r['id'], zone))
            marked += days > 0
        return marked

    def test_range_ending_next_day_marked (self):
        for zone in ZONES:
            for day, _, _ in DAYS:
                with self.subTest (zone=zone, day=day):
                    out = self.cli_in (zone, 'list', '--day', day, '--all')
                    records = self.cli_json ('list', '--day', day, '--all', '--json')
                    marked = self.assert_ranges_marked (zone, out, records)
                    # LA 07:00–11:00 is 23:00–03:00 in Tokyo: blocks and talks
                    # cross midnight there every day
                    if zone == 'Asia/Tokyo':
                        self.assertGreater (marked, 0, out)

    def test_agenda_and_now_mark_next_day (self):
        ids = self.pick ()
        records = [r for r in self.cli_json ('agenda', '--json')]
        self.assertEqual (sorted (r['id'] for r in records), sorted (ids))
        out = self.cli_in ('Asia/Tokyo', 'agenda')
        self.assertGreater (self.assert_ranges_marked ('Asia/Tokyo', out, records), 0, out)
        # at 07:50 PDT (23:50 JST) the wake_wide talk, 23:40–00:10 JST, is on
        out = self.cli_in ('Asia/Tokyo', 'now')
        running = [r for r in records if r['id'] == ids[0]]
        self.assertEqual (self.assert_ranges_marked ('Asia/Tokyo', out, running), 1, out)
        # show spells the end's day
        out = self.cli_in ('Asia/Tokyo', 'show', ids[0])
        self.assertRegex (out, r'Mon 20 Sep 23:40 [–-] Tue 21 Sep 00:10 JST')


class ConferenceDayTest (DisplayTestCase):

    def test_day_selects_the_same_talks_in_every_zone (self):
        program = self.cli_json ('list', '--json')
        for zone in ZONES:
            for names in DAYS:
                expected = [r['id'] for r in program if conference_date (r) == names[2]]
                self.assertTrue (expected)
                for name in names:
                    with self.subTest (zone=zone, day=name):
                        out = self.cli_in (zone, 'list', '--day', name, '--ids')
                        self.assertEqual (out.split (), expected)
                        out = self.cli_in (zone, 'list', '--day', name)
                        listed = [i for i in expected if has_word (out, i)]
                        self.assertEqual (listed, expected, out)
                        others = [r['id'] for r in program
                                  if conference_date (r) != names[2] and has_word (out, r['id'])]
                        self.assertEqual (others, [], out)

    def test_agenda_and_free_days_are_the_conference_days (self):
        self.pick ()
        items = self.cli_json ('agenda', '--json')
        for zone in ZONES:
            for names in DAYS[:2]:
                expected = [r['id'] for r in items if conference_date (r) == names[2]]
                self.assertTrue (expected)
                for name in names:
                    with self.subTest (zone=zone, day=name):
                        out = self.cli_in (zone, 'agenda', '--day', name, '--ids')
                        self.assertEqual (out.split (), expected)
                        windows = self.cli_json ('free', name, '--json')
                        self.assertTrue (windows)
                        self.assertEqual ({w['date'] for w in windows}, {names[2]})
                        out = self.cli_in (zone, 'free', name)
                        self.assert_headings (zone, out, {names[2]})

    def assert_headings (self, zone, out, dates):
        """The headings of @out are the conference days @dates, in order,
        each saying it is one; each names the local day when it differs."""
        headings = [line for line in out.splitlines ()
                    if line and not line.startswith (' ') and not HINT.match (line)]
        expected = [datetime.strptime (d, '%Y-%m-%d').strftime ('%A %-d %B %Y (conference day)')
                    for d in sorted (dates)]
        self.assertEqual ([h.split (' (conference day)')[0] + ' (conference day)'
                           for h in headings], expected, out)
        return headings

    def test_headings_name_the_conference_day (self):
        program = self.cli_json ('list', '--json')
        for zone in ZONES + ('Pacific/Auckland',):
            tz = ZoneInfo (zone)
            with self.subTest (zone=zone):
                out = self.cli_in (zone, 'list')
                self.assert_headings (zone, out, {conference_date (r) for r in program})
                # Every row is on the local day its heading (or the line
                # marking a change of local day under it) names.
                local_day = None
                by_id = {r['id']: r for r in program}
                changes = 0
                rows = 0
                for line in out.splitlines ():
                    m = re.match (r'^(\w+day \d+ \w+ \d{4}) \(conference day\)(?: [–-] (\w{3} \d+ \w{3}) here)?$', line)
                    if m:
                        conference = datetime.strptime (m.group (1), '%A %d %B %Y')
                        local_day = m.group (2) or conference.strftime ('%a %-d %b')
                        continue
                    m = re.match (r'^  (\w{3} \d+ \w{3}) here:$', line)
                    if m:
                        local_day = m.group (1)
                        changes += 1
                        continue
                    m = ROW.match (line)
                    if not m:
                        continue
                    start = instant (by_id[m.group (2)]['start']).astimezone (tz)
                    self.assertEqual (start.strftime ('%a %-d %b'), local_day,
                                      '%s in %s: %r' % (m.group (2), zone, line))
                    rows += 1
                self.assertEqual (rows, len (program), out)
                if zone == 'Asia/Tokyo':
                    self.assertGreater (changes, 0, 'Tokyo crosses midnight each day:\n' + out)
        # Where the conference morning is already the next day, the heading says so.
        out = self.cli_in ('Pacific/Auckland', 'list', '--day', 'mon')
        self.assertRegex (out.splitlines ()[0],
                          r'^Monday 20 September 2021 \(conference day\) [–-] Tue 21 Sep here$')
        out = self.cli_in ('America/Los_Angeles', 'list', '--day', 'mon')
        self.assertEqual (out.splitlines ()[0], 'Monday 20 September 2021 (conference day)')


if __name__ == '__main__':
    lpctest.main ()
