#!/usr/bin/python3
# Schedules through the real CLI and daemon on a private bus: a frab/pretalx
# schedule.json imported with exact UTC instants (the tests run in
# America/New_York, the schedule is in Europe/Brussels), and where the zone of
# a schedule that names none comes from — its city, `import --timezone`, or a
# guess the warning states — with the warnings printed by `lpc-agenda import`;
# a --timezone that contradicts the file's zone is refused and changes
# nothing.

import os

import lpctest
from test_cli import CliTestCase

LPC_NAME = 'Linux Plumbers Conference 2021'


def data_path (name):
    return os.path.join (lpctest.source_root (), 'tests', 'data', name)


# A frab schedule XML without <time_zone_name>: times by day and <start>
# only, so the zone decides every instant.
ZONELESS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <title>Zoneless Summit</title>
    %(city)s
  </conference>
  <day index="1" date="2024-02-03">
    <room name="Aula">
      <event guid="zl-1" id="1"><start>10:00</start><duration>00:45</duration>
        <title>Morning Talk</title></event>
      <event guid="zl-2" id="2"><start>14:30</start><duration>01:00</duration>
        <title>Afternoon Talk</title></event>
    </room>
  </day>
</schedule>
"""


class ScheduleJsonAndZoneTest (CliTestCase):

    def write_zoneless (self, city=''):
        path = os.path.join (self.tmpdir, 'zoneless.xml')
        with open (path, 'w', encoding='utf-8') as f:
            f.write (ZONELESS_XML % {'city': city})
        return path

    def listed (self):
        """Every entry of the program as `list --all --json` gives it, by
        title."""
        records = self.cli_json ('list', '--all', '--json')
        return {r['title']: r for r in records if r['kind'] != 'session'}

    def warnings_of (self, err):
        return [line for line in err.splitlines () if line.startswith ('lpc-agenda: warning: ')]

    def test_schedule_json_import (self):
        path = data_path ('schedule.json')
        out, err = self.cli_ok ('import', '--replace', path)
        self.assertIn ('replaced ' + LPC_NAME, out)
        self.assertEqual (self.get_prop ('ProgramName'), 'PlumbCon 2025')
        self.assertEqual (self.get_prop ('ProgramTimezone'), 'Europe/Brussels')
        talks = self.listed ()
        expected = {
            # 10:00 in Brussels (UTC+1)
            'Opening Keynote': ('2025-02-01T09:00:00Z', '2025-02-01T09:45:00Z'),
            'Rust in Userspace': ('2025-02-01T10:00:00Z', '2025-02-01T10:30:00Z'),
            'Lunch': ('2025-02-01T11:00:00Z', '2025-02-01T12:00:00Z'),
            # 23:30 to 00:30 in Brussels, across midnight
            'Midnight Kernel Hacking': ('2025-02-01T22:30:00Z', '2025-02-01T23:30:00Z'),
            # written at +00:00: the instant is kept
            'Remote Talk from Lisbon': ('2025-02-02T10:00:00Z', '2025-02-02T10:30:00Z'),
            # "1:02:30": a day, two hours and a half
            'Hackathon': ('2025-02-02T08:30:00Z', '2025-02-03T11:00:00Z'),
            'Closing': ('2025-02-02T16:00:00Z', '2025-02-02T16:15:00Z'),
        }
        self.assertEqual ({t: (r['start'], r['end']) for t, r in talks.items ()}, expected)
        self.assertEqual (talks['Opening Keynote']['speakers'], ['Ada Lovelace', 'Grace Hopper'])
        self.assertEqual (talks['Opening Keynote']['room'], 'Janson')
        self.assertEqual (talks['Lunch']['kind'], 'break')
        # The one offset that is not Brussels' is told, once, with its place.
        warnings = self.warnings_of (err)
        self.assertEqual (len (warnings), 1, err)
        self.assertIn (path + ':', warnings[0])
        self.assertIn ('1 event is written with a UTC offset that is not Europe/Brussels', warnings[0])
        self.assertIn ('Remote Talk from Lisbon', warnings[0])
        # Imported again: the same program, nothing new (identities by guid).
        out, _ = self.cli_ok ('import', path)
        self.assertIn ('0 new', out)

    def test_zoneless_schedule_zone_from_city (self):
        path = self.write_zoneless ('<city>Brussels</city>')
        out, err = self.cli_ok ('import', '--replace', path)
        warnings = self.warnings_of (err)
        self.assertEqual (len (warnings), 1, err)
        self.assertIn ('the time zone Europe/Brussels was taken from the city', warnings[0])
        self.assertIn ('--timezone', warnings[0])
        self.assertEqual (self.get_prop ('ProgramTimezone'), 'Europe/Brussels')
        talks = self.listed ()
        self.assertEqual (talks['Morning Talk']['start'], '2024-02-03T09:00:00Z')
        self.assertEqual (talks['Afternoon Talk']['start'], '2024-02-03T13:30:00Z')

    def test_zoneless_schedule_without_city_states_the_guess (self):
        path = self.write_zoneless ()
        out, err = self.cli_ok ('import', '--replace', path)
        warnings = self.warnings_of (err)
        self.assertEqual (len (warnings), 1, err)
        # Which zone was assumed, and how to give the right one.
        self.assertIn ('times are taken as UTC', warnings[0])
        self.assertIn ('lpc-agenda import --timezone ZONE ' + path, warnings[0])
        self.assertEqual (self.get_prop ('ProgramTimezone'), 'UTC')
        self.assertEqual (self.listed ()['Morning Talk']['start'], '2024-02-03T10:00:00Z')

    def test_zoneless_schedule_with_timezone_option (self):
        path = self.write_zoneless ()
        out, err = self.cli_ok ('import', '--replace', '--timezone', 'Europe/Brussels', path)
        self.assertEqual (self.warnings_of (err), [])
        self.assertEqual (self.get_prop ('ProgramName'), 'Zoneless Summit')
        self.assertEqual (self.get_prop ('ProgramTimezone'), 'Europe/Brussels')
        talks = self.listed ()
        self.assertEqual ((talks['Morning Talk']['start'], talks['Morning Talk']['end']),
                          ('2024-02-03T09:00:00Z', '2024-02-03T09:45:00Z'))
        self.assertEqual ((talks['Afternoon Talk']['start'], talks['Afternoon Talk']['end']),
                          ('2024-02-03T13:30:00Z', '2024-02-03T14:30:00Z'))

    def test_named_zone_and_other_timezone_refused (self):
        before = self.cli_json ('list', '--all', '--json')
        # ProgramInvalid: exit 1, as for a file that cannot be read.
        out, err = self.cli_fails (1, 'import', '--replace', '--timezone', 'America/New_York',
                                   data_path ('schedule.json'))
        self.assertIn ('Europe/Brussels', err)
        self.assertIn ('America/New_York', err)
        self.assertEqual (self.get_prop ('ProgramName'), LPC_NAME)
        self.assertEqual (self.cli_json ('list', '--all', '--json'), before)


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
