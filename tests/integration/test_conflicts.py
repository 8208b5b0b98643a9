#!/usr/bin/python3
# Conflicts and their resolution (issue 4) on the shipped LPC 2021 program,
# through the real CLI and over D-Bus (python3-dbus), against the real daemon
# on a private bus: overlaps, room changes, other occurrences of a talk,
# resolve with and without --apply, short overlaps kept and accepted, free
# time, the program's own defects, a re-import, and bad input.

import calendar
import os
import re

import dbus

import lpctest
from lpctest import unwrap, dbus_signature_of
from test_cli import CliTestCase, has_word, lines_with
from test_dbus import ApiTestCase, opts, v

# Monday 20 September, in different rooms (times PDT)
BPF_TRACING = 'bpf-tracing-exploring-additional'     # 07:00-07:40 Networking and BPF Summit
RUST = 'rust-in-the-linux-ecosystem'                  # 07:00-07:45 Refereed Track
OVEREAGER = 'overeager-pulling-from-wake-wide'        # 07:40-08:10 Microconference1
FANALYZER = 'gccs-fanalyzer-option-whats-new'         # 07:00-07:30 GNU Tools track
CGROUP = 'cgroup-v1-v2-abstraction-layer'             # 07:30-07:55 Microconference2
MUCH_ADO = 'much-ado-about-migrations'                # 07:05-07:35 Microconference1
SCHED_MC = 'scheduler-microconference'                # 07:00-07:05 Microconference1
# Wednesday 22 September and its repeat on Friday 24 September
SPF_WED = 'speculative-page-faults-wed'               # Wed 10:10-10:30 Microconference3
SPF_FRI = 'speculative-page-faults-fri'               # Fri 10:20-10:40 GNU Tools track
RUST_TESTING = 'testing-in-kernel-rust-code'          # Wed 10:05-10:35 Microconference2

MON_0700 = calendar.timegm ((2021, 9, 20, 14, 0, 0))
MON_0740 = calendar.timegm ((2021, 9, 20, 14, 40, 0))
MON_0745 = calendar.timegm ((2021, 9, 20, 14, 45, 0))

CONFLICT_FIELDS = {
    'kind': 's', 'ids': 'as', 'start': 'x', 'end': 'x', 'minutes': 'u', 'accepted': 'b',
    'cluster': 'u', 'alternatives': 'as', 'other-occurrences': 'a{ss}',
}
PLAN_FIELDS = {
    'keep': 'as', 'skip': 'as', 'move': 'a{ss}', 'reasons': 'a{ss}', 'notes': 'a{ss}',
    'accepted': 'a(ss)', 'total-priority': 'u', 'optimal': 'b', 'applied': 'b',
}
FREE_FIELDS = {'date': 's', 'start': 'x', 'end': 'x', 'talks': 'as', 'fitting': 'u'}
CONFERENCE_DAYS = ['2021-09-%d' % d for d in range (20, 25)]


def modified_timetable (tmpdir, name, edit):
    """A copy of the shipped timetable with @edit (lines -> lines) applied."""
    with open (lpctest.timetable_path (), encoding='utf-8') as f:
        lines = f.readlines ()
    path = os.path.join (tmpdir, name)
    with open (path, 'w', encoding='utf-8') as f:
        f.writelines (edit (lines))
    return path


def monday_end (lines):
    """The index of Tuesday's first block line (Monday has 8 blocks)."""
    block_re = re.compile (r'^    \u2022 \d{1,2}:\d\d\u202f[AP]M \d{1,2}:\d\d\u202f[AP]M\s*$')
    return [i for i, line in enumerate (lines) if block_re.match (line)][8]


def much_ado_at_seven (lines):
    """Much Ado About… Migrations! moved from 07:05 to 07:00: over the
    Scheduler MC's 5-minute opening in the same room."""
    title = next (i for i, line in enumerate (lines) if 'Much Ado About' in line)
    lines = list (lines)
    assert '7:05' in lines[title - 1], lines[title - 1]
    lines[title - 1] = lines[title - 1].replace ('7:05', '7:00')
    return lines


class ConflictsCliTest (CliTestCase):

    def conflicts (self, *args):
        """`lpc-agenda conflicts --json`: (exit status, records)."""
        import json
        rc, out, err = self.run_cli ('conflicts', '--json', *args)
        self.assertIn (rc, (0, 1), 'conflicts --json: exit %d\n%s' % (rc, err))
        return rc, json.loads (out)

    def plan (self, *args):
        return self.cli_json ('resolve', '--json', *args)

    def test_two_monday_talks_overlap (self):
        out, _ = self.cli_ok ('add', BPF_TRACING)
        self.assertNotIn ('overlaps', out)
        # the clash is told right after the pick, with its minutes; still exit 0
        out, _ = self.cli_ok ('add', RUST, '--priority', '4')
        clash = lines_with (out, 'overlaps')
        self.assertEqual (len (clash), 1, out)
        self.assertTrue (has_word (clash[0], BPF_TRACING), out)
        self.assertIn ('40 min', clash[0])

        rc, records = self.conflicts ()
        self.assertEqual (rc, 1)
        self.assertEqual (len (records), 1, records)
        r = records[0]
        self.assertEqual ((r['kind'], sorted (r['ids']), r['minutes']),
                          ('overlap', sorted ([BPF_TRACING, RUST]), 40))
        self.assertEqual ((r['start'], r['end']), ('2021-09-20T14:00:00Z', '2021-09-20T14:40:00Z'))
        self.assertEqual ((r['accepted'], r['cluster'], r['note']), (False, 0, None))
        # the talks that run then instead, none of them on the agenda
        self.assertTrue (r['alternatives'])
        self.assertNotIn (BPF_TRACING, r['alternatives'])
        for alt in r['alternatives']:
            t = self.agenda ().GetTalk (alt)
            self.assertEqual (t['kind'], 'talk')
            self.assertGreaterEqual (int (t['start']), MON_0700)
            self.assertLessEqual (int (t['end']), MON_0745)

        rc, out, _ = self.run_cli ('conflicts', '--tz', 'conference')
        self.assertEqual (rc, 1, out)
        self.assertTrue (has_word (out, BPF_TRACING) and has_word (out, RUST), out)
        self.assertIn ('07:00', out)
        self.assertIn ('40 min', out)
        self.assertTrue (has_word (out, r['alternatives'][0]), out)

        # the agenda marks both inline, and its JSON names the partner
        out, _ = self.cli_ok ('agenda')
        for me, other in ((BPF_TRACING, RUST), (RUST, BPF_TRACING)):
            row = lines_with (out, me + ' ')
            self.assertTrue (row and 'clashes with ' + other in row[0], out)
        items = {i['id']: i for i in self.cli_json ('agenda', '--json')}
        self.assertEqual (items[BPF_TRACING]['conflicts'], [RUST])
        self.assertEqual (items[RUST]['conflicts'], [BPF_TRACING])

    def test_other_occurrence_is_the_way_out (self):
        self.cli_ok ('add', SPF_WED)
        self.cli_ok ('add', RUST_TESTING, '--priority', '5')
        rc, records = self.conflicts ()
        self.assertEqual (rc, 1)
        self.assertEqual (len (records), 1, records)
        self.assertEqual (records[0]['minutes'], 20)
        self.assertEqual (records[0]['other-occurrences'], {SPF_FRI: SPF_WED})
        rc, out, _ = self.run_cli ('conflicts', '--tz', 'conference')
        row = lines_with (out, SPF_FRI)
        self.assertTrue (row, out)
        self.assertIn ('instead of ' + SPF_WED, row[0])
        self.assertIn ('Fri 10:20', row[0])

        # without --apply nothing changes
        before = self.agenda_items ()
        plan = self.plan ()
        self.assertEqual (plan['move'], {SPF_WED: SPF_FRI})
        self.assertEqual ((plan['keep'], plan['skip'], plan['applied']), ([RUST_TESTING], [], False))
        self.assertIn ('priority 5', plan['reasons'][SPF_WED])
        self.assertEqual ((plan['total-priority'], plan['optimal']), (8, True))
        out, _ = self.cli_ok ('resolve', '--tz', 'conference')
        self.assertTrue (lines_with (out, SPF_WED)[0].startswith ('move'), out)
        self.assertIn ('to ' + SPF_FRI, out)
        self.assertIn ('Nothing changed', out)
        self.assertEqual (self.agenda_items (), before)

        # --apply moves it to Friday, keeping what the user gave it
        out, _ = self.cli_ok ('resolve', '--apply')
        self.assertIn ('1 moved', out)
        items = {i['id']: i for i in self.agenda_items ()}
        self.assertEqual (sorted (items), sorted ([RUST_TESTING, SPF_FRI]))
        self.assertEqual ((items[SPF_FRI]['state'], items[SPF_FRI]['priority']), ('planned', 3))
        self.assertEqual (items[SPF_FRI]['added'], {i['id']: i for i in before}[SPF_WED]['added'])
        rc, records = self.conflicts ()
        self.assertEqual ((rc, records), (0, []))
        out, _ = self.cli_ok ('conflicts')
        self.assertIn ('No conflicts', out)

    def test_apply_loses_nothing (self):
        for tid, prio in ((BPF_TRACING, '3'), (RUST, '4'), (SPF_WED, '3'), (RUST_TESTING, '5'),
                          (FANALYZER, '2')):
            self.cli_ok ('add', tid, '--priority', prio)
        before = self.agenda_items ()
        rc, records = self.conflicts ()
        self.assertEqual (rc, 1)
        self.assertEqual (len ({r['cluster'] for r in records}), 2)
        rec = lpctest.SignalRecorder (self.conn, 'AgendaChanged')
        plan = self.plan ('--apply')
        self.assertTrue (plan['applied'])
        # the Monday clash: Rust (4) wins over BPF tracing (3) and the
        # fanalyzer talk (2), which are skipped, not deleted
        self.assertEqual (sorted (plan['skip']), sorted ([BPF_TRACING, FANALYZER]))
        self.assertEqual (plan['move'], {SPF_WED: SPF_FRI})
        sigs = rec.wait_for (1)
        self.assertEqual (len (sigs), 1)
        self.assertEqual (sorted (sigs[0][0]), sorted ([BPF_TRACING, FANALYZER, SPF_WED, SPF_FRI]))
        rec.remove ()

        after = self.agenda_items ()
        self.assertEqual (len (after), len (before))
        states = {i['id']: i['state'] for i in after}
        self.assertEqual (states, {BPF_TRACING: 'skipped', FANALYZER: 'skipped', RUST: 'planned',
                                   RUST_TESTING: 'planned', SPF_FRI: 'planned'})
        rc, out, _ = self.run_cli ('conflicts')
        self.assertEqual (rc, 0, out)
        # skipped items are still listed, marked
        out, _ = self.cli_ok ('agenda')
        self.assertTrue ('skipped' in lines_with (out, BPF_TRACING)[0], out)
        # the plan is now empty, and applying it again changes nothing
        rec = lpctest.SignalRecorder (self.conn, 'AgendaChanged')
        plan = self.plan ('--apply')
        self.assertEqual ((plan['keep'], plan['skip'], plan['move']), ([], [], {}))
        self.assertEqual (rec.wait_for (1, timeout=1.0), [])
        self.assertEqual (self.agenda_items (), after)
        # unskip restores a loser, and the clash with it
        self.cli_ok ('unskip', BPF_TRACING)
        self.assertEqual (self.conflicts ()[0], 1)

    def test_soft_overlap_kept_and_accepted (self):
        self.cli_ok ('add', RUST, '--priority', '4')
        self.cli_ok ('add', OVEREAGER, '--note', 'ask about wake_wide')
        rc, records = self.conflicts ()
        self.assertEqual (rc, 1)
        self.assertEqual ([(r['minutes'], r['accepted']) for r in records], [(5, False)])

        plan = self.plan ()
        self.assertEqual ((sorted (plan['keep']), plan['skip'], plan['move']),
                          (sorted ([RUST, OVEREAGER]), [], {}))
        self.assertEqual (plan['accepted'], [[RUST, OVEREAGER]])
        notes = ' '.join (plan['notes'].values ())
        self.assertRegex (notes, r'(leave 5 min early|join 5 min late)')
        out, _ = self.cli_ok ('resolve')
        self.assertRegex (out, r'(leave|join) 5 min')

        self.cli_ok ('resolve', '--apply')
        rc, records = self.conflicts ()
        self.assertEqual (rc, 0, records)
        self.assertEqual ([(r['minutes'], r['accepted']) for r in records], [(5, True)])
        rc, out, _ = self.run_cli ('conflicts')
        self.assertEqual (rc, 0)
        self.assertIn ('accepted', out)
        items = {i['id']: i for i in self.agenda_items ()}
        self.assertEqual ({i['state'] for i in items.values ()}, {'planned'})
        for tid, note in plan['notes'].items ():
            self.assertIn (note, items[tid]['note'])
        self.assertTrue (items[OVEREAGER]['note'].startswith ('ask about wake_wide'))
        # applying again adds the note once only
        self.cli_ok ('resolve', '--apply')
        again = {i['id']: i['note'] for i in self.agenda_items ()}
        self.assertEqual (again, {tid: i['note'] for tid, i in items.items ()})

        # with short overlaps off the agreement no longer holds
        self.cli_ok ('config', 'soft-overlap', '0')
        out, _ = self.cli_ok ('config', 'soft-overlap')
        self.assertEqual (out.strip (), '0')
        rc, records = self.conflicts ()
        self.assertEqual ((rc, records[0]['accepted']), (1, False))
        plan = self.plan ()
        self.assertEqual ((plan['skip'], plan['accepted']), ([OVEREAGER], []))

    def test_travel_time_makes_a_room_change (self):
        self.cli_ok ('add', FANALYZER)
        self.cli_ok ('add', CGROUP)
        # back to back in two rooms: fine without travel time
        self.assertEqual (self.conflicts (), (0, []))
        self.cli_ok ('config', 'travel-time', '10')
        rc, records = self.conflicts ()
        self.assertEqual (rc, 1)
        self.assertEqual ([(r['kind'], r['ids'], r['minutes']) for r in records],
                          [('room-change', [FANALYZER, CGROUP], 10)])
        out, _ = self.cli_ok ('add', CGROUP)       # already there: the clash is still told
        self.assertIn ('10 min short', out)
        plan = self.plan ()
        self.assertEqual (len (plan['skip']), 1)
        self.assertIn ('travel', plan['reasons'][plan['skip'][0]])

    def test_free_time (self):
        self.cli_ok ('add', RUST)
        windows = self.cli_json ('free', 'mon', '--json')
        self.assertTrue (windows)
        self.assertEqual ({w['date'] for w in windows}, {'2021-09-20'})
        # the pick splits Monday's hours: one window ends as it starts, one
        # begins as it ends
        self.assertIn ('2021-09-20T14:00:00Z', [w['end'] for w in windows])
        self.assertIn ('2021-09-20T14:45:00Z', [w['start'] for w in windows])
        for w in windows:
            self.assertGreaterEqual (w['fitting'], len (w['talks']))
            self.assertLessEqual (len (w['talks']), 10)
            for tid in w['talks']:
                t = unwrap (self.agenda ().GetTalk (tid))
                self.assertNotEqual (tid, RUST)
                self.assertGreaterEqual (lpctest.rfc3339_utc (t['start']), w['start'])
                self.assertLessEqual (lpctest.rfc3339_utc (t['end']), w['end'])
        every = self.cli_json ('free', '--json')
        self.assertEqual (sorted ({w['date'] for w in every}), CONFERENCE_DAYS)
        out, _ = self.cli_ok ('free', 'mon', '--tz', 'conference')
        self.assertIn ('07:45', out)
        self.assertTrue (has_word (out, windows[-1]['talks'][0]), out)
        self.assertEqual (self.cli_json ('free', '2021-09-25', '--json'), [])
        self.cli_fails (2, 'free', 'funday')

    def test_check_program (self):
        out, _ = self.cli_ok ('check')
        self.assertIn ('No clashes', out)
        self.assertEqual (self.cli_json ('check', '--json'), [])
        path = modified_timetable (self.tmpdir, 'clash.txt', much_ado_at_seven)
        self.cli_ok ('import', path)
        rc, out, _ = self.run_cli ('check', '--json')
        self.assertEqual (rc, 1, out)
        import json
        clashes = json.loads (out)
        self.assertEqual ([(c['kind'], sorted (c['ids']), c['minutes']) for c in clashes],
                          [('program-clash', sorted ([MUCH_ADO, SCHED_MC]), 5)])
        self.assertIsNone (clashes[0]['cluster'])
        self.assertTrue (clashes[0]['note'])
        rc, out, _ = self.run_cli ('check')
        self.assertEqual (rc, 1)
        self.assertIn (clashes[0]['note'], out)


class ConflictsDbusTest (ApiTestCase):

    def assertConflictRecord (self, record, what):
        fields = dict (CONFLICT_FIELDS)
        if record['kind'] == 'program-clash':
            del fields['cluster']
            fields['note'] = 's'
        else:
            self.assertNotIn ('note', record)
        self.assertTypes (record, fields, what)

    def test_add_result_carries_conflicts (self):
        res = self.agenda ().Add (RUST, opts ())
        self.assertEqual (dbus_signature_of (res['conflicts']), 'aa{sv}')
        self.assertEqual (list (res['conflicts']), [])
        self.assertEqual (list (res['item']['conflicts']), [])
        res = self.agenda ().Add (BPF_TRACING, opts (priority=v (2, 'u')))
        self.assertEqual (len (res['conflicts']), 1)
        record = res['conflicts'][0]
        self.assertConflictRecord (record, 'Add conflict')
        record = unwrap (record)
        self.assertEqual ((record['kind'], sorted (record['ids'])), ('overlap', sorted ([RUST, BPF_TRACING])))
        self.assertEqual ((record['start'], record['end'], record['minutes']), (MON_0700, MON_0740, 40))
        self.assertEqual (unwrap (res['item'])['conflicts'], [RUST])
        # a pick that clashes with nothing: none, though the agenda has one
        res = unwrap (self.agenda ().Add (SPF_FRI, opts ()))
        self.assertEqual ((res['conflicts'], res['item']['conflicts']), ([], []))
        # Update's record has them too
        item = unwrap (self.agenda ().Update (RUST, opts (priority=v (5, 'u'))))
        self.assertEqual (item['conflicts'], [BPF_TRACING])
        # and GetConflicts the same record
        conflicts = self.agenda ().GetConflicts ()
        self.assertEqual (dbus_signature_of (conflicts), 'aa{sv}')
        self.assertEqual ([unwrap (c) for c in conflicts], [record])

    def test_resolve_over_dbus (self):
        self.add (SPF_WED)
        self.add (RUST_TESTING, priority=v (5, 'u'))
        before = self.agenda_items ()
        plan = self.agenda ().Resolve (opts ())
        self.assertTypes (plan, PLAN_FIELDS, 'plan')
        plan = unwrap (plan)
        self.assertEqual ((plan['move'], plan['applied']), ({SPF_WED: SPF_FRI}, False))
        self.assertEqual (self.agenda_items (), before)
        plan = unwrap (self.agenda ().Resolve (opts (apply=True)))
        self.assertTrue (plan['applied'])
        self.assertEqual (sorted (i['id'] for i in self.agenda_items ()), sorted ([RUST_TESTING, SPF_FRI]))
        self.assertEqual (list (self.agenda ().GetConflicts ()), [])

    def test_get_free_time (self):
        self.add (RUST)
        windows = self.agenda ().GetFreeTime (opts ())
        self.assertEqual (dbus_signature_of (windows), 'aa{sv}')
        for w in windows:
            self.assertTypes (w, FREE_FIELDS, 'free window')
        windows = [unwrap (w) for w in windows]
        self.assertEqual (sorted ({w['date'] for w in windows}), CONFERENCE_DAYS)
        for w in windows:
            self.assertLess (w['start'], w['end'])
            # no window overlaps the pick
            self.assertTrue (w['end'] <= MON_0700 or w['start'] >= MON_0745, w)
        mon = [unwrap (w) for w in self.agenda ().GetFreeTime (opts (day='monday'))]
        self.assertEqual (mon, [w for w in windows if w['date'] == '2021-09-20'])
        self.assertEqual ([unwrap (w) for w in self.agenda ().GetFreeTime (opts (day='2021-09-20'))], mon)
        self.assertEqual (list (self.agenda ().GetFreeTime (opts (day='sat'))), [])

    def test_check_program (self):
        clashes = self.agenda ().CheckProgram ()
        self.assertEqual ((dbus_signature_of (clashes), list (clashes)), ('aa{sv}', []))
        self.add (MUCH_ADO)
        self.add (FANALYZER, priority=v (4, 'u'))
        # a re-import moves a pick: it is checked at its new time, and the
        # program's new defect that touches it is listed too
        path = modified_timetable (self.tmpdir, 'clash.txt', much_ado_at_seven)
        summary = unwrap (self.agenda ().ImportProgram (path, opts ()))
        self.assertEqual (summary['moved'], [MUCH_ADO])
        clashes = self.agenda ().CheckProgram ()
        self.assertEqual (len (clashes), 1)
        self.assertConflictRecord (clashes[0], 'program clash')
        clash = unwrap (clashes[0])
        self.assertEqual ((clash['kind'], sorted (clash['ids'])), ('program-clash', sorted ([MUCH_ADO, SCHED_MC])))
        conflicts = [unwrap (c) for c in self.agenda ().GetConflicts ()]
        overlap = [c for c in conflicts if c['kind'] == 'overlap']
        self.assertEqual ([(c['start'], c['minutes']) for c in overlap], [(MON_0700, 30)])
        self.assertEqual ([c for c in conflicts if c['kind'] == 'program-clash'], [clash])
        # two clashing Tuesday picks, then a program of Monday alone: they
        # are cancelled, reported, and take part in no conflict
        tuesday = self.clashing_pair (self.talks (day='tue'))
        for tid in tuesday:
            self.add (tid)
        self.assertEqual (len (self.agenda ().GetConflicts ()), 3)
        monday_only = modified_timetable (
            self.tmpdir, 'monday.txt', lambda lines: much_ado_at_seven (lines)[:monday_end (lines)])
        summary = unwrap (self.agenda ().ImportProgram (monday_only, opts ()))
        self.assertEqual (sorted (summary['cancelled']), sorted (tuesday))
        conflicts = [unwrap (c) for c in self.agenda ().GetConflicts ()]
        self.assertEqual (sorted (c['kind'] for c in conflicts), ['overlap', 'program-clash'])
        self.assertFalse ([c for c in conflicts if set (c['ids']) & set (tuesday)])
        states = {i['id']: i['state'] for i in self.agenda_items ()}
        self.assertEqual ([states[tid] for tid in tuesday], ['cancelled', 'cancelled'])
        self.assertEqual (unwrap (self.agenda ().Resolve (opts ()))['skip'], [MUCH_ADO])

    @staticmethod
    def clashing_pair (talks):
        """Two talks that overlap in different rooms."""
        for a in talks:
            for b in talks:
                if (a['id'] < b['id'] and a['room'] != b['room'] and a['start'] < b['end']
                        and b['start'] < a['end']):
                    return [a['id'], b['id']]
        raise AssertionError ('no two talks overlap')

    def test_bad_input (self):
        self.add (RUST)
        self.add (BPF_TRACING)
        api = self.agenda ()
        cases = [
            ('InvalidArgument', api.Resolve, (opts (apply=v (1, 'i')),), 'apply'),
            ('InvalidArgument', api.Resolve, (opts (apply=v ('yes', 's')),), 'apply'),
            ('InvalidArgument', api.Resolve, (opts (apply=True, dry=True),), 'dry'),
            ('InvalidArgument', api.GetFreeTime, (opts (day='funday'),), 'funday'),
            ('InvalidArgument', api.GetFreeTime, (opts (day='2021-02-30'),), '2021-02-30'),
            ('InvalidArgument', api.GetFreeTime, (opts (day=v (1, 'u')),), 'day'),
            ('InvalidArgument', api.GetFreeTime, (opts (week='mon'),), 'week'),
        ]
        for error, method, args, named in cases:
            with self.subTest (args=unwrap (args)):
                e = self.assert_refused (error, method, *args)
                self.assertIn (named, e.get_dbus_message ())
        # wrong signatures are GDBus's to refuse
        for method, args in ((api.GetConflicts, (opts (),)), (api.CheckProgram, ('x',)),
                             (api.Resolve, (True,)), (api.GetFreeTime, ('mon',))):
            with self.subTest (method=method):
                self.assert_refused ('org.freedesktop.DBus.Error.InvalidArgs', method, *args)
        e = self.assert_refused ('InvalidArgument', self.props ().Set, lpctest.IFACE, 'SoftOverlap',
                                 dbus.UInt32 (61), signature='ssv')
        self.assertIn ('SoftOverlap', e.get_dbus_message ())
        self.assertEqual (self.get_prop ('SoftOverlap'), 10)
        # after all that: the clash is still there, unresolved
        self.assertEqual (len (api.GetConflicts ()), 1)


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
