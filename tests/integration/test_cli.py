#!/usr/bin/python3
# The real lpc-agenda CLI against the real daemon on a private bus: its
# output, its exit codes (0 ok, 1 failure, 2 usage, 3 no such or ambiguous
# talk) and what it leaves on the agenda, checked through D-Bus.

import json
import os
import re
import select
import subprocess
import time

import lpctest
from test_dbus import ApiTestCase, OPENING, TRACING, REUSEPORT, SUMMIT, PROGRAM_COUNTS, v

COMMANDS = ('list', 'search', 'show', 'add', 'remove', 'skip', 'unskip', 'agenda', 'next', 'now',
            'status', 'config')
RFC3339_UTC = re.compile (r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
JSON_FIELDS = ('id', 'kind', 'title', 'track', 'room', 'start', 'end', 'speakers')
JSON_AGENDA_FIELDS = JSON_FIELDS + ('priority', 'state')
ESC = '\x1b'

# Opening session: 06:40 PDT = 13:40 UTC = 15:40 CEST (the tests' zone)
OPENING_LOCAL = '15:40'
OPENING_CONFERENCE = '06:40'
OPENING_UTC = '13:40'


def lines_with (text, needle):
    return [line for line in text.splitlines () if needle in line]


def has_word (text, word):
    """@word appears in @text delimited by anything but id characters."""
    return re.search (r'(?<![a-z0-9-])%s(?![a-z0-9-])' % re.escape (word), text) is not None


class CliTestCase (ApiTestCase):

    def cli_ok (self, *args, **kw):
        rc, out, err = self.run_cli (*args, **kw)
        self.assertEqual (rc, 0, 'lpc-agenda %s: exit %d\nstdout: %s\nstderr: %s'
                          % (' '.join (map (str, args)), rc, out, err))
        return out, err

    def cli_json (self, *args):
        out, err = self.cli_ok (*args)
        try:
            return json.loads (out)
        except ValueError as e:
            self.fail ('lpc-agenda %s: not JSON (%s): %r' % (' '.join (args), e, out[:500]))

    def cli_fails (self, expected_rc, *args, **kw):
        """Runs a command that must fail with @expected_rc and change nothing:
        the agenda is the same afterwards and the daemon alive.  The message
        is on stderr, one 'lpc-agenda: ' line or more, without the D-Bus
        remote-error prefix."""
        before = self.agenda_items () if self.daemon else None
        rc, out, err = self.run_cli (*args, **kw)
        shown = ' '.join (a if isinstance (a, str) else repr (a) for a in args)
        self.assertEqual (rc, expected_rc, 'lpc-agenda %s: exit %d, expected %d\nstdout: %s\nstderr: %s'
                          % (shown[:200], rc, expected_rc, out[:2000], err[:2000]))
        self.assertTrue (err.strip (), 'lpc-agenda %s: no message on stderr' % shown[:200])
        self.assertNotIn ('GDBus.Error', err)
        self.assertNotIn (lpctest.ERROR_PREFIX, err)
        if self.daemon:
            self.assert_daemon_alive ()
            self.assertEqual (self.agenda_items (), before, 'a failed command changed the agenda')
        return out, err

    def agenda_ids (self):
        return [i['id'] for i in self.agenda_items ()]

    def run_cli_tty (self, *args, extra_env=None, unset=()):
        """Runs lpc-agenda with stdout and stderr on a pseudo-terminal (200
        columns); returns (rc, output)."""
        import fcntl
        import pty
        import struct
        import termios
        master, slave = pty.openpty ()
        fcntl.ioctl (slave, termios.TIOCSWINSZ, struct.pack ('HHHH', 50, 200, 0, 0))
        env = dict (self.env)
        env['TERM'] = 'xterm-256color'
        env.update (extra_env or {})
        for k in unset:
            env.pop (k, None)
        p = subprocess.Popen ([lpctest.cli_path ()] + list (args), stdin=subprocess.DEVNULL,
                              stdout=slave, stderr=slave, env=env, cwd=self.tmpdir)
        os.close (slave)
        chunks = []
        deadline = time.monotonic () + 30
        while time.monotonic () < deadline:
            r, _, _ = select.select ([master], [], [], 0.5)
            if r:
                try:
                    data = os.read (master, 65536)
                except OSError:        # EIO: the other side is closed
                    break
                if not data:
                    break
                chunks.append (data)
            elif p.poll () is not None:
                break
        os.close (master)
        rc = p.wait (10)
        return rc, b''.join (chunks).decode ('utf-8', 'replace')


class CliListTest (CliTestCase):

    def test_list_day_mon_local_time (self):
        out, _ = self.cli_ok ('list', '--day', 'mon')
        mon = self.talks (day='mon')
        tue = self.talks (day='tue')
        for t in mon:
            self.assertTrue (has_word (out, t['id']), 'Monday talk %s not listed' % t['id'])
        for t in tue:
            self.assertFalse (has_word (out, t['id']), 'Tuesday talk %s listed' % t['id'])
        for t in self.talks (kind='break', day='mon') + self.talks (kind='session', day='mon'):
            self.assertFalse (has_word (out, t['id']), '%s %s listed without --all'
                              % (t['kind'], t['id']))
        opening = mon[0]
        self.assertEqual (opening['title'], OPENING)
        rows = lines_with (out, opening['id'])
        self.assertTrue (rows)
        self.assertTrue (any (OPENING_LOCAL in r for r in rows),
                         'opening session not at %s local time: %r' % (OPENING_LOCAL, rows))
        self.assertFalse (any (re.search (r'\b0?6:40\b', r) for r in rows),
                          'conference time shown by default: %r' % rows)
        # grouped by day: Monday is named before the first talk
        first_row = out.index (opening['id'])
        self.assertRegex (out[:first_row], r'(?i)mon|2021-09-20|20 sep')
        self.assertNotIn (ESC, out)

    def test_list_tz (self):
        oid = self.id_of (OPENING)
        for tz, hhmm in (('conference', OPENING_CONFERENCE), ('UTC', OPENING_UTC),
                         ('America/Los_Angeles', OPENING_CONFERENCE), ('local', OPENING_LOCAL),
                         ('Asia/Tokyo', '22:40')):
            with self.subTest (tz=tz):
                out, _ = self.cli_ok ('list', '--day', 'mon', '--tz', tz)
                rows = lines_with (out, oid)
                self.assertTrue (any (hhmm in r for r in rows), '--tz %s: %r' % (tz, rows))
        self.cli_fails (2, 'list', '--tz', 'Not/AZone')

    def test_list_json (self):
        records = self.cli_json ('list', '--day', 'mon', '--json')
        self.assertIsInstance (records, list)
        mon = self.talks (day='mon')
        self.assertEqual ([r['id'] for r in records], [t['id'] for t in mon])
        for r in records:
            for key in JSON_FIELDS:
                self.assertIn (key, r, 'JSON record lacks %r' % key)
            self.assertRegex (r['start'], RFC3339_UTC)
            self.assertRegex (r['end'], RFC3339_UTC)
            self.assertIsInstance (r['speakers'], list)
            self.assertEqual (r['kind'], 'talk')
        first = records[0]
        self.assertEqual ((first['title'], first['start'], first['end'], first['track']),
                          (OPENING, '2021-09-20T13:40:00Z', '2021-09-20T14:00:00Z', SUMMIT))
        self.assertIn ('Daniel Borkmann (Isovalent)', first['speakers'])
        by_id = {t['id']: t for t in mon}
        for r in records:
            t = by_id[r['id']]
            self.assertEqual ((r['title'], r['track'], r['room'], r['speakers']),
                              (t['title'], t['track'], t['room'], t['speakers']))
            self.assertEqual ((r['start'], r['end']),
                              (lpctest.rfc3339_utc (t['start']), lpctest.rfc3339_utc (t['end'])))

    def test_list_all (self):
        records = self.cli_json ('list', '--all', '--json')
        kinds = {}
        for r in records:
            kinds[r['kind']] = kinds.get (r['kind'], 0) + 1
        self.assertEqual (kinds, PROGRAM_COUNTS)
        self.assertEqual (sorted (r['id'] for r in records),
                          sorted (t['id'] for t in self.talks (kind='all')))
        talks_only = self.cli_json ('list', '--json')
        self.assertEqual ({r['kind'] for r in talks_only}, {'talk'})
        self.assertEqual (len (talks_only), PROGRAM_COUNTS['talk'])
        # the human listing too
        out, _ = self.cli_ok ('list', '--all', '--day', 'mon')
        for t in self.talks (kind='all', day='mon'):
            self.assertTrue (has_word (out, t['id']), '%s %s not in list --all' % (t['kind'], t['id']))

    def test_list_filters (self):
        breaks = self.cli_json ('list', '--kind', 'break', '--day', 'tue', '--json')
        self.assertTrue (breaks)
        self.assertEqual ([r['id'] for r in breaks], [t['id'] for t in self.talks (kind='break', day='tue')])
        bpf = self.cli_json ('list', '--track', 'bpf', '--json')
        self.assertEqual ([r['id'] for r in bpf], [t['id'] for t in self.talks (track='bpf')])
        room = self.talks ()[0]['room']
        in_room = self.cli_json ('list', '--room', room, '--json')
        self.assertEqual ([r['id'] for r in in_room], [t['id'] for t in self.talks (room=room)])
        self.cli_fails (2, 'list', '--day', 'funday')
        self.cli_fails (2, 'list', '--kind', 'lecture')

    def test_search (self):
        found = self.cli_json ('search', 'so_reuseport', '--json')
        self.assertIn (REUSEPORT, [r['title'] for r in found])
        self.assertEqual ([r['id'] for r in found], [t['id'] for t in self.talks (query='so_reuseport')])
        out, _ = self.cli_ok ('search', 'reuseport')
        self.assertTrue (has_word (out, self.id_of (REUSEPORT)))
        self.cli_fails (2, 'search')


class CliShowTest (CliTestCase):

    def test_show_local_and_conference_time (self):
        oid = self.id_of (OPENING)
        out, _ = self.cli_ok ('show', oid)
        self.assertIn (OPENING, out)
        self.assertIn (OPENING_LOCAL, out, 'local time missing')
        self.assertRegex (out, r'\b0?6:40\b', 'conference time missing')
        self.assertIn ('Daniel Borkmann', out)
        self.assertIn ('Short intro/welcome session', out)
        self.assertNotIn (ESC, out)
        # by a unique prefix
        out2, _ = self.cli_ok ('show', self.unique_prefix (oid))
        self.assertEqual (out2, out)

    def test_show_errors (self):
        _, err = self.cli_fails (3, 'show', 'zzz-no-such-talk')
        prefix, matches = self.ambiguous_prefix ()
        _, err = self.cli_fails (3, 'show', prefix)
        for m in matches:
            self.assertIn (m, err)


class CliAgendaTest (CliTestCase):

    def test_add_and_remove (self):
        tid = self.id_of (TRACING)
        out, _ = self.cli_ok ('add', tid)
        self.assertTrue (tid in out or TRACING in out, 'add says nothing about what it added: %r' % out)
        self.assertEqual (self.agenda_ids (), [tid])
        before = self.agenda_items ()
        out, err = self.cli_ok ('add', tid)
        self.assertRegex (out + err, r'(?i)already', 'adding twice does not say so')
        self.assertEqual (self.agenda_items (), before)
        self.cli_ok ('remove', tid)
        self.assertEqual (self.agenda_ids (), [])
        self.cli_fails (3, 'remove', tid)

    def test_add_by_prefix (self):
        tid = self.id_of (REUSEPORT)
        self.cli_ok ('add', self.unique_prefix (tid))
        self.assertEqual (self.agenda_ids (), [tid])

    def test_add_session_block (self):
        sid = self.id_of (SUMMIT)
        self.cli_ok ('add', sid)
        self.assertEqual (self.agenda_ids (), [sid])

    def test_add_options (self):
        tid = self.id_of (TRACING)
        self.cli_ok ('add', tid, '--priority', '5', '--note', 'ask about BTF', '--remind', '10,0')
        item = self.agenda_items ()[0]
        self.assertEqual ((item['priority'], item['note'], item['remind']), (5, 'ask about BTF', '10,0'))
        self.cli_fails (2, 'add', self.id_of (REUSEPORT), '--priority', '9')
        self.cli_fails (2, 'add', self.id_of (REUSEPORT), '--priority', 'high')
        self.cli_fails (2, 'add', self.id_of (REUSEPORT), '--remind', 'soon')

    def test_add_break_refused (self):
        brk = self.talks (kind='break')[0]
        _, err = self.cli_fails (1, 'add', brk['id'])
        self.assertRegex (err, r'(?i)break|attend')

    def test_unknown_id (self):
        for cmd in ('add', 'remove', 'skip', 'unskip', 'show'):
            with self.subTest (command=cmd):
                _, err = self.cli_fails (3, cmd, 'zzz-no-such-talk')
                self.assertTrue (err.startswith ('lpc-agenda'), err)

    def test_unknown_id_suggests_closest (self):
        tid = self.id_of (TRACING)
        _, err = self.cli_fails (3, 'add', tid.replace ('tracing', 'tracng'))
        self.assertTrue (tid in err or TRACING in err, 'no suggestion: %r' % err)

    def test_ambiguous_prefix (self):
        prefix, matches = self.ambiguous_prefix ()
        for cmd in ('add', 'show'):
            with self.subTest (command=cmd):
                _, err = self.cli_fails (3, cmd, prefix)
                for m in matches:
                    self.assertIn (m, err, 'candidate %s not listed' % m)

    def test_skip_unskip (self):
        a, b = self.id_of (TRACING), self.id_of (REUSEPORT)
        self.cli_ok ('add', a)
        self.cli_ok ('add', b)
        self.cli_ok ('skip', a)
        self.assertEqual ({i['id']: i['state'] for i in self.agenda_items ()},
                          {a: 'skipped', b: 'planned'})
        self.cli_ok ('unskip', self.unique_prefix (a))
        self.assertEqual ({i['id']: i['state'] for i in self.agenda_items ()},
                          {a: 'planned', b: 'planned'})
        self.cli_fails (3, 'skip', self.id_of (OPENING))   # not on the agenda

    def test_concurrent_adds (self):
        # ten CLI processes at once: every pick lands, each signalled once
        ids = [t['id'] for t in self.talks (day='wed')[:10]]
        rec = lpctest.SignalRecorder (self.conn, 'AgendaChanged')
        procs = [subprocess.Popen ([lpctest.cli_path (), 'add', i], env=self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in ids]
        for p, i in zip (procs, ids):
            out, err = p.communicate (timeout=60)
            self.assertEqual (p.returncode, 0, '%s: %s' % (i, err.decode ()))
        self.assertEqual (sorted (self.agenda_ids ()), sorted (ids))
        sigs = rec.wait_for (len (ids))
        self.assertEqual (sorted (s[0][0] for s in sigs), sorted (ids))

    def test_agenda (self):
        a, b, c = self.id_of (REUSEPORT), self.id_of (OPENING), self.id_of (TRACING)
        self.add (a, priority=v (5, 'u'))
        self.add (b)
        self.agenda ().Skip (b)
        out, _ = self.cli_ok ('agenda')
        self.assertTrue (has_word (out, a) and has_word (out, b), out)
        self.assertFalse (has_word (out, c))
        self.assertTrue (any (OPENING_LOCAL in line for line in lines_with (out, b)), out)
        self.assertNotIn (ESC, out)
        records = self.cli_json ('agenda', '--json')
        self.assertEqual ([r['id'] for r in records], [b, a])
        for r in records:
            for key in JSON_AGENDA_FIELDS:
                self.assertIn (key, r)
            self.assertRegex (r['start'], RFC3339_UTC)
            # "conflicts" on every item (issue 4): these two do not clash
            self.assertEqual (r['conflicts'], [])
        self.assertEqual ([(r['priority'], r['state']) for r in records], [(3, 'skipped'), (5, 'planned')])
        self.assertEqual (records[0]['start'], '2021-09-20T13:40:00Z')

    def test_agenda_empty (self):
        self.assertEqual (self.cli_json ('agenda', '--json'), [])
        self.cli_ok ('agenda')

    def test_next_and_now_after_the_conference (self):
        # The real clock is years past September 2021: nothing is next or now.
        tid = self.id_of (TRACING)
        self.add (tid)
        for cmd in ('next', 'now'):
            with self.subTest (command=cmd):
                out, _ = self.cli_ok (cmd)
                self.assertFalse (has_word (out, tid), '%s shows a talk of 2021: %r' % (cmd, out))

    def test_status (self):
        self.add (self.id_of (TRACING))
        out, _ = self.cli_ok ('status')
        self.assertIn ('Linux Plumbers Conference 2021', out)
        self.assertIn (self.db_path, out)
        self.assertNotIn (ESC, out)

    def test_config (self):
        out, _ = self.cli_ok ('config')
        self.assertRegex (out, r'(?i)lead.?time\W+5\b')
        self.assertRegex (out, r'(?i)travel.?time\W+0\b')
        self.cli_ok ('config', 'lead-time', '10')
        self.cli_ok ('config', 'travel-time', '15')
        self.assertEqual ((self.get_prop ('LeadTime'), self.get_prop ('TravelTime')), (10, 15))
        out, _ = self.cli_ok ('config', 'lead-time')
        self.assertIn ('10', out)
        self.cli_fails (2, 'config', 'lead-time', '5000')
        self.cli_fails (2, 'config', 'lead-time', 'soon')
        self.cli_fails (2, 'config', 'travel-time', '241')
        self.cli_fails (2, 'config', 'no-such-key', '1')
        self.assertEqual ((self.get_prop ('LeadTime'), self.get_prop ('TravelTime')), (10, 15))


class CliSimulatedClockTest (CliTestCase):
    """next/now at a moment of the conference (the daemon's --clock, issue 5)."""

    start_daemon = False

    def setUp (self):
        super ().setUp ()
        rc, out, err = self.run_cmd ([lpctest.daemon_path (), '--help'])
        if '--clock' not in out + err:
            self.skipTest ('lpc-agendad has no --clock option yet (issue 5)')
        self.daemon = self.start_agendad (['--clock', '2021-09-20T06:50:00-07:00',
                                           '--clock-rate', '1'])

    def test_next_and_now (self):
        opening, tracing, reuseport = (self.id_of (t) for t in (OPENING, TRACING, REUSEPORT))
        for t in (opening, tracing, reuseport):
            self.add (t)
        out, _ = self.cli_ok ('now')
        self.assertTrue (has_word (out, opening), out)
        self.assertFalse (has_word (out, tracing), out)
        out, _ = self.cli_ok ('next')
        self.assertTrue (has_word (out, tracing), out)
        self.assertFalse (has_word (out, reuseport), out)
        out, _ = self.cli_ok ('status')
        self.assertRegex (out, r'(?i)simulated')


class CliUsageTest (CliTestCase):

    def setUp (self):
        super ().setUp ()
        self.add (self.id_of (TRACING), priority=v (4, 'u'))

    def test_usage_errors (self):
        rid = self.id_of (REUSEPORT)
        for args in (('frobnicate',), ('add',), ('add', rid, 'extra'), ('list', '--bogus'),
                     ('show',), ('remove',), ('list', '--day'), ('status', 'extra'),
                     ('add', rid, '--priority', '0'), ('add', '')):
            with self.subTest (args=args):
                self.cli_fails (2, *args)
        self.assertNotIn (rid, self.agenda_ids ())

    def test_no_command (self):
        rc, out, err = self.run_cli ()
        self.assertEqual (rc, 2, 'no command: exit %d' % rc)
        self.assertTrue (err.strip ())

    def test_invalid_utf8_argument (self):
        for args in ((b'add', b'bpf-\xff\xfe'), (b'show', b'\xc3\x28'), (b'list', b'--day', b'mo\xffn'),
                     (b'search', b'caf\xe9'), (b'add', self.id_of (REUSEPORT).encode (), b'--note',
                                               b'bad \xff note')):
            with self.subTest (args=args):
                _, err = self.cli_fails (2, *args)
                self.assertRegex (err, r'(?i)utf-?8')
        self.assertEqual (self.agenda_ids (), [self.id_of (TRACING)])

    def test_huge_argument (self):
        # (one argument may be at most 128 KiB on Linux: no 1 MiB here; the
        # D-Bus test sends that)
        huge = 'bpf-' + 'x' * (100 * 1024)
        rc, out, err = self.run_cli ('add', huge)
        self.assertIn (rc, (2, 3), err[:500])
        self.assertLess (len (err), 4096, 'a %d-byte error message' % len (err))
        self.assert_daemon_alive ()
        self.assertEqual (self.agenda_ids (), [self.id_of (TRACING)])

    def test_help (self):
        out, _ = self.cli_ok ('--help')
        for cmd in COMMANDS:
            self.assertTrue (re.search (r'^\s+%s\b' % cmd, out, re.M), '%s not in --help' % cmd)
        for cmd in COMMANDS:
            with self.subTest (command=cmd):
                out, _ = self.cli_ok (cmd, '--help')
                self.assertIn (cmd, out)
                self.assertIn ('--help', out)


class CliColourTest (CliTestCase):

    def setUp (self):
        super ().setUp ()
        self.add (self.id_of (TRACING))

    def test_no_escape_codes_when_not_a_tty (self):
        # NO_COLOR is not set here: a pipe alone means no colour
        self.assertNotIn ('NO_COLOR', self.env)
        for args in (('list', '--day', 'mon'), ('agenda',), ('show', self.id_of (TRACING)),
                     ('status',), ('config',), ('add', 'zzz-nope'), ('list', '--all')):
            with self.subTest (args=args):
                rc, out, err = self.run_cli (*args, extra_env={'TERM': 'xterm-256color'})
                self.assertNotIn (ESC, out)
                self.assertNotIn (ESC, err)

    def test_no_color_on_a_tty (self):
        for args in (('list', '--day', 'mon'), ('agenda',), ('show', self.id_of (TRACING)),
                     ('add', 'zzz-nope')):
            with self.subTest (args=args, how='NO_COLOR'):
                rc, out = self.run_cli_tty (*args, extra_env={'NO_COLOR': '1'})
                self.assertIn (rc, (0, 3))
                self.assertTrue (out.strip ())
                self.assertNotIn (ESC, out)
            with self.subTest (args=args, how='--no-color'):
                rc, out = self.run_cli_tty (*(args + ('--no-color',)))
                self.assertNotIn (ESC, out)

    def test_tty_listing_fits (self):
        # on a terminal the same ids are listed as on a pipe
        rc, out = self.run_cli_tty ('list', '--day', 'mon', extra_env={'NO_COLOR': '1'})
        self.assertEqual (rc, 0, out)
        for t in self.talks (day='mon'):
            self.assertTrue (has_word (out, t['id']), t['id'])


class CliJsonTest (CliTestCase):

    def test_json_on_every_listing (self):
        tid = self.id_of (TRACING)
        self.add (tid)
        for args in (('list',), ('list', '--all', '--day', 'fri'), ('search', 'rust'), ('agenda',),
                     ('next',), ('now',), ('status',), ('config',), ('show', tid)):
            with self.subTest (args=args):
                out, _ = self.cli_ok (*(args + ('--json',)))
                try:
                    json.loads (out)
                except ValueError as e:
                    self.fail ('lpc-agenda %s --json: not JSON (%s): %r' % (' '.join (args), e, out[:300]))
                self.assertNotIn (ESC, out)
        shown = self.cli_json ('show', tid, '--json')
        record = shown[0] if isinstance (shown, list) else shown
        self.assertEqual ((record['id'], record['start']), (tid, '2021-09-20T14:00:00Z'))
        self.assertIn ('abstract', record)


class CliCompletionTest (CliTestCase):
    """data/bash-completion/lpc-agenda completes ids from the running daemon."""

    def complete (self, *words):
        script = os.path.join (lpctest.source_root (), 'data', 'bash-completion', 'lpc-agenda')
        framework = '/usr/share/bash-completion/bash_completion'
        if not os.path.isfile (framework):
            self.skipTest ('bash-completion is not installed')
        if not os.path.isfile (script):
            self.skipTest ('no data/bash-completion/lpc-agenda')
        words = ('lpc-agenda',) + words
        line = ' '.join (words)
        bash = ('source %s; source %s; COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=%s; '
                'COMP_POINT=${#COMP_LINE}; _lpc_agenda; printf "%%s\n" "${COMPREPLY[@]}"'
                % (framework, script, ' '.join ("'%s'" % w for w in words), len (words) - 1,
                   "'%s'" % line))
        env = dict (self.env)
        env['PATH'] = os.path.dirname (lpctest.cli_path ()) + ':' + env['PATH']
        rc, out, err = self.run_cmd (['bash', '-c', bash], env=env)
        self.assertEqual (rc, 0, err)
        return [w for w in out.splitlines () if w]

    def test_complete_commands_and_ids (self):
        self.assertIn ('agenda', self.complete ('ag'))
        self.assertEqual (self.complete ('add', 'bpf-trac'), [self.id_of (TRACING)])
        self.assertEqual (self.complete ('show', 'socket-mig'), [self.id_of (REUSEPORT)])
        # remove completes only what is on the agenda
        self.assertEqual (self.complete ('remove', ''), [])
        self.add (self.id_of (REUSEPORT))
        self.assertEqual (self.complete ('remove', ''), [self.id_of (REUSEPORT)])
        self.assertEqual (self.complete ('list', '--day', 'm'), ['mon'])


class CliNoDaemonTest (CliTestCase):
    """No daemon and nothing to activate it with."""

    start_daemon = False

    def test_daemon_not_reachable (self):
        for args in (('list',), ('add', 'bpf-tracing'), ('status',)):
            with self.subTest (args=args):
                _, err = self.cli_fails (1, *args)
                self.assertEqual (len (err.strip ().splitlines ()), 1, 'not one line: %r' % err)
                self.assertRegex (err, r'systemctl|lpc-agendad')

    def test_no_session_bus (self):
        _, err = self.cli_fails (1, 'list', extra_env={
            'DBUS_SESSION_BUS_ADDRESS': 'unix:path=' + os.path.join (self.tmpdir, 'no-such-socket')})
        self.assertEqual (len (err.strip ().splitlines ()), 1, 'not one line: %r' % err)


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
