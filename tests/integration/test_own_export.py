#!/usr/bin/python3
# Importing one's own export loses nothing (issue 12, case 7): the .ics that
# `lpc-agenda export` wrote holds only the picks, so taken as a new version
# of the conference it would cancel every other pick. The importer refuses
# it, by its PRODID or, once a calendar application has saved it again with
# its own PRODID, by its UIDs; the agenda is then exactly as it was.

import os

import icalendar

import lpctest
from test_cli import CliTestCase
from test_dbus import REUSEPORT, TRACING, v


class OwnExportTest (CliTestCase):

    def setUp (self):
        super ().setUp ()
        # Picks in every state the CLI can make: planned with a priority, a
        # note and leads, skipped, planned.
        self.add (self.id_of (TRACING), priority=v (4, 'u'), note='keep me',
                  remind=v ('15,5', 's'))
        self.add (self.id_of (REUSEPORT))
        self.agenda ().Skip (self.id_of (REUSEPORT))
        picked = set (self.agenda_ids ())
        self.add (next (t['id'] for t in self.talks (kind='talk') if t['id'] not in picked))
        self.export_path = os.path.join (self.tmpdir, 'my-agenda.ics')
        self.cli_ok ('export', '-o', self.export_path)
        with open (self.export_path, encoding='utf-8') as f:
            self.exported = f.read ()
        self.assertIn ('PRODID:-//lpc-agenda//lpc-agenda ', self.exported)

    def agenda_json (self):
        return self.cli_json ('agenda', '--json')

    def assert_refused (self, path, *options):
        before = self.agenda_json ()
        self.assertGreaterEqual (len (before), 3)
        self.assertIn ('skipped', [i['state'] for i in before])
        _, err = self.cli_fails (1, 'import', *options, path)
        self.assertIn ('%s: this is an lpc-agenda export of your agenda' % path, err)
        self.assertIn ("not a conference program: import the conference's own program file",
                       err)
        after = self.agenda_json ()
        self.assertEqual ([(i['id'], i['state'], i['priority']) for i in after],
                          [(i['id'], i['state'], i['priority']) for i in before])
        self.assertEqual (after, before)
        return err

    def test_own_export_refused (self):
        err = self.assert_refused (self.export_path)
        self.assertIn ('(PRODID -//lpc-agenda//lpc-agenda ', err)

    def test_own_export_resaved_refused (self):
        # A calendar application saves it again: its own PRODID, the UIDs kept.
        calendar = icalendar.Calendar.from_ical (self.exported)
        uids = [str (e['UID']) for e in calendar.walk ('VEVENT')]
        self.assertTrue (uids)
        self.assertTrue (all (u.endswith ('.lpc-agenda') for u in uids), uids)
        calendar['PRODID'] = '-//Example Corp.//Some Calendar 4.2//EN'
        resaved = os.path.join (self.tmpdir, 'resaved.ics')
        with open (resaved, 'wb') as f:
            f.write (calendar.to_ical ())
        reread = icalendar.Calendar.from_ical (open (resaved, 'rb').read ())
        self.assertEqual (str (reread['PRODID']), '-//Example Corp.//Some Calendar 4.2//EN')
        self.assertEqual ([str (e['UID']) for e in reread.walk ('VEVENT')], uids)
        err = self.assert_refused (resaved)
        self.assertIn ('%d of its %d events have UIDs ending in' % (len (uids), len (uids)), err)

    def test_own_export_replace_refused (self):
        err = self.assert_refused (self.export_path, '--replace')
        self.assertIn ('(PRODID -//lpc-agenda//lpc-agenda ', err)


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
