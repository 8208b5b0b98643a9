#!/usr/bin/python3
# Crash safety (issue 6): the daemon killed with SIGKILL at random moments,
# and stopped with SIGTERM, while several clients hammer it with Add, Remove,
# Skip and Unskip.  What the daemon acknowledged must be in the store, no
# change may be half-applied, and the database must stay intact.
#
# Each client is a thread with a D-Bus connection of its own (Gio) and owns a
# disjoint set of talk ids, so it knows the exact state each of its ids must
# have: after an acknowledged call, the call's result; after a call that got
# no answer (the daemon died: NoReply, ServiceUnknown, Spawn.*), either the
# state before or the state after, which it reads back (GetAgenda) once the
# daemon is there again: anything else is a half-applied change.  After an
# error reply from the daemon the state must be the one before.
#
# The random schedule (kill intervals, downtimes, the clients' choices) comes
# from a seed the test prints; LPC_CRASH_SEED=S runs the same schedule again
# (the threads' interleaving is the kernel's, so a failure that depends on it
# may need a few runs).

import os
import random
import re
import signal
import sqlite3
import sys
import threading
import time
import urllib.parse

import gi
gi.require_version ('Gio', '2.0')
from gi.repository import Gio, GLib

import lpctest
from lpctest import AgendaTestCase, BUS_NAME, OBJECT_PATH, IFACE

N_CLIENTS = 4
IDS_PER_CLIENT = 8
CALL_TIMEOUT_MS = 20000          # a call that takes this long is a hang
RESOLVE_TIMEOUT = 30.0           # how long a client tries to read an uncertain id back


def env_seed ():
    s = os.environ.get ('LPC_CRASH_SEED')
    if s:
        return int (s)
    return int.from_bytes (os.urandom (4), 'big')


def say (line):
    """A line for the test's output (meson test -v shows it)."""
    sys.stdout.write (line + '\n')
    sys.stdout.flush ()


def error_name (e):
    """The D-Bus error name a GLib.Error from GDBus carries, or None."""
    m = re.match (r'GDBus\.Error:([A-Za-z0-9_.]+): ', getattr (e, 'message', '') or '')
    return m.group (1) if m else None


def exe_of (pid):
    try:
        return os.path.realpath ('/proc/%d/exe' % pid)
    except OSError:
        return None


def describe (value):
    if value is None:
        return 'absent'
    return '%s/p%d/%r' % value


# Reading the store directly ---------------------------------------------------

def read_store (path):
    """(integrity_check rows, {entry_id: (state, priority, note)}) of the
    database at @path, opened read-only with Python's own sqlite3."""
    uri = 'file:%s?mode=ro' % urllib.parse.quote (path)
    db = sqlite3.connect (uri, uri=True)
    try:
        integrity = [r[0] for r in db.execute ('PRAGMA integrity_check')]
        rows = {r[0]: (r[1], int (r[2]), r[3])
                for r in db.execute ('SELECT entry_id, state, priority, note FROM agenda')}
    finally:
        db.close ()
    return integrity, rows


# A client -----------------------------------------------------------------------

class Client (threading.Thread):
    """Calls Add/Remove/Skip/Unskip on its own ids until told to stop, and
    keeps the model of what each id must be.

    model[id]: None (not on the agenda) or (state, priority, note).
    pending[id]: (before, after) while a call on id is in flight or its
    outcome is not known yet; model[id] is then `before`."""

    def __init__ (self, index, address, ids, seed, stop, go, abort, rate=None):
        super ().__init__ (name='client-%d' % index, daemon=True)
        self.index = index
        self.address = address
        self.ids = list (ids)
        self.rng = random.Random (seed)
        self.stop = stop            # set: finish (after resolving what is uncertain)
        self.go = go                # cleared: pause before the next call
        self.abort = abort          # set: the test failed, give up at once
        self.interval = (1.0 / rate) if rate else 0.0
        self.lock = threading.Lock ()
        self.model = {i: None for i in self.ids}
        self.pending = {}
        self.unresolved = None      # (id, before, after, must_be_before, what) to read back
        self.seq = 0
        # figures
        self.acked = 0
        self.failed = 0             # no answer (uncertain)
        self.refused = 0            # an error reply (must not have changed anything)
        self.resolved = 0
        self.resolved_after = 0     # uncertain calls that turned out applied
        self.problems = []          # (kind, text): 'half', 'lost', 'applied-error', 'hang', 'bad-reply', 'unexpected'
        self.errors_seen = {}       # error name -> count
        self.error_samples = {}     # error name -> the first message
        self.conn = None

    # D-Bus --------------------------------------------------------------------

    def connect (self):
        self.conn = Gio.DBusConnection.new_for_address_sync (
            self.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

    def call (self, method, args, reply_type):
        # To the well-known name, auto-start allowed: when nothing owns it the
        # bus activates the daemon (when it has an activation file for it).
        r = self.conn.call_sync (BUS_NAME, OBJECT_PATH, IFACE, method, args,
                                 GLib.VariantType.new (reply_type) if reply_type else None,
                                 Gio.DBusCallFlags.NONE, CALL_TIMEOUT_MS, None)
        return r.unpack () if r is not None else None

    def classify (self, e):
        """'uncertain' (no answer: the daemon went away), 'refused' (an
        error reply: nothing may have changed) or 'hang' (timed out)."""
        name = error_name (e)
        key = name or ('%s:%s' % (getattr (e, 'domain', '?'), getattr (e, 'code', '?')))
        self.errors_seen[key] = self.errors_seen.get (key, 0) + 1
        self.error_samples.setdefault (key, getattr (e, 'message', ''))
        if name is None:
            if getattr (e, 'domain', None) == 'g-io-error-quark' and e.code == Gio.IOErrorEnum.TIMED_OUT:
                return 'hang'
            return 'uncertain'       # our side of the connection (should not happen)
        if name == 'org.freedesktop.DBus.Error.TimedOut':
            return 'hang'
        if name in ('org.freedesktop.DBus.Error.UnknownMethod', 'org.freedesktop.DBus.Error.UnknownObject',
                    'org.freedesktop.DBus.Error.UnknownInterface'):
            return 'refused'         # the daemon answered (shutting down: object unexported)
        if name.startswith ('org.freedesktop.DBus.Error.'):
            return 'uncertain'       # NoReply, ServiceUnknown, NameHasNoOwner, Spawn.* …
        return 'refused'

    def read_agenda (self):
        items = self.call ('GetAgenda', GLib.Variant ('(a{sv})', ({},)), '(aa{sv})')[0]
        return {i['id']: (i['state'], int (i['priority']), i['note']) for i in items}

    # the loop ---------------------------------------------------------------

    def choose (self, tid, before):
        """(method, args, after) for the next call on @tid, whose value is
        @before: a change most of the time, sometimes a call that must
        change nothing."""
        r = self.rng.random ()
        if before is None:
            self.seq += 1
            prio = self.rng.randint (1, 5)
            note = 'c%d-%d' % (self.index, self.seq)
            args = GLib.Variant ('(sa{sv})', (tid, {'priority': GLib.Variant ('u', prio),
                                                    'note': GLib.Variant ('s', note)}))
            return 'Add', args, ('planned', prio, note)
        state, prio, note = before
        if r < 0.35:
            return 'Remove', GLib.Variant ('(s)', (tid,)), None
        if state == 'planned':
            if r < 0.8:
                return 'Skip', GLib.Variant ('(s)', (tid,)), ('skipped', prio, note)
            if r < 0.9:
                return 'Unskip', GLib.Variant ('(s)', (tid,)), before       # changes nothing
        else:
            if r < 0.8:
                return 'Unskip', GLib.Variant ('(s)', (tid,)), ('planned', prio, note)
            if r < 0.9:
                return 'Skip', GLib.Variant ('(s)', (tid,)), before         # changes nothing
        # Add of an id on the agenda: "already", changes nothing
        args = GLib.Variant ('(sa{sv})', (tid, {'priority': GLib.Variant ('u', 5 if prio != 5 else 1),
                                                'note': GLib.Variant ('s', 'never')}))
        return 'Add', args, before

    def run (self):
        try:
            self.connect ()
            self.loop ()
        except Exception:            # anything else is a broken test: report it
            import traceback
            self.problems.append (('unexpected', '%s: %s' % (self.name, traceback.format_exc ())))

    def loop (self):
        next_at = time.monotonic ()
        while True:
            if self.unresolved is not None:
                self.go.wait ()
                if not self.resolve ():
                    return
                continue
            if self.stop.is_set ():
                return
            self.go.wait ()
            if self.interval:
                now = time.monotonic ()
                next_at = max (next_at + self.rng.uniform (0, 2 * self.interval), now - 0.05)
                if next_at > now:
                    time.sleep (next_at - now)
            tid = self.rng.choice (self.ids)
            before = self.model[tid]
            method, args, after = self.choose (tid, before)
            reply_type = '(a{sv})' if method == 'Add' else None
            with self.lock:
                self.pending[tid] = (before, after)
            try:
                reply = self.call (method, args, reply_type)
            except GLib.Error as e:
                kind = self.classify (e)
                if kind == 'hang':
                    self.problems.append (('hang', '%s %s: %s' % (method, tid, e.message)))
                if kind == 'refused':
                    self.refused += 1
                else:
                    self.failed += 1
                self.unresolved = (tid, before, after, kind == 'refused',
                                   '%s %s (%s)' % (method, tid, error_name (e) or e.message))
                continue
            if method == 'Add':
                res = reply[0]
                item = res.get ('item', {})
                got = (item.get ('state'), int (item.get ('priority', 0)), item.get ('note'))
                if res.get ('id') != tid or got != after or bool (res.get ('already')) != (before is not None):
                    self.problems.append (('bad-reply', 'Add %s: expected %s (already %s), reply %r'
                                           % (tid, describe (after), before is not None, res)))
            with self.lock:
                self.model[tid] = after
                del self.pending[tid]
            self.acked += 1

    def resolve (self):
        """Reads the uncertain id back (and checks every other id of ours on
        the way); False when the daemon could not be reached in time."""
        tid, before, after, must_be_before, what = self.unresolved
        deadline = time.monotonic () + RESOLVE_TIMEOUT
        while True:
            try:
                agenda = self.read_agenda ()
                break
            except GLib.Error as e:
                if self.abort.is_set ():
                    return False
                if self.classify (e) == 'hang' or time.monotonic () > deadline:
                    self.problems.append (('hang', 'could not read %s back after %s: %s'
                                           % (tid, what, e.message)))
                    return False
                time.sleep (0.01)
                self.go.wait ()
        got = agenda.get (tid)
        allowed = [before] if must_be_before else [before, after]
        if got not in allowed:
            kind = 'applied-error' if must_be_before and got == after else 'half'
            self.problems.append ((kind, '%s: read back %s, expected %s'
                                   % (what, describe (got), ' or '.join (describe (a) for a in allowed))))
        if got == after and before != after:
            self.resolved_after += 1
        self.resolved += 1
        with self.lock:
            self.model[tid] = got
            self.pending.pop (tid, None)
        self.unresolved = None
        for other in self.ids:
            if other != tid and agenda.get (other) != self.model[other]:
                self.problems.append (('lost', '%s: read %s after %s, but the model says %s'
                                       % (other, describe (agenda.get (other)), what,
                                          describe (self.model[other]))))
                with self.lock:
                    self.model[other] = agenda.get (other)
        return True

    def snapshot (self):
        """{id: [allowed values]} at this instant."""
        with self.lock:
            out = {i: [v] for i, v in self.model.items ()}
            for i, (before, after) in self.pending.items ():
                out[i] = [before, after]
        if self.unresolved is not None:
            tid, before, after, must_be_before, _ = self.unresolved
            out[tid] = [before] if must_be_before else [before, after]
        return out


# The tests -----------------------------------------------------------------------

class CrashTestCase (AgendaTestCase):

    maxDiff = None

    def pick_ids (self, rng):
        """N_CLIENTS disjoint lists of attendable talk ids from the shipped
        program; none a prefix of another, so an id names one talk only."""
        talks = [t['id'] for t in self.talks () if t.get ('attendable', True)]
        ids = sorted (t for t in talks if not any (o != t and o.startswith (t) for o in talks))
        self.assertGreaterEqual (len (ids), N_CLIENTS * IDS_PER_CLIENT)
        rng.shuffle (ids)
        return [ids[k * IDS_PER_CLIENT:(k + 1) * IDS_PER_CLIENT] for k in range (N_CLIENTS)]

    def start_clients (self, rng, rate=None):
        self.stop_event = threading.Event ()
        self.go_event = threading.Event ()
        self.go_event.set ()
        self.abort_event = threading.Event ()
        groups = self.pick_ids (rng)
        self.clients = [Client (k, self.bus.address, groups[k], rng.getrandbits (32),
                                self.stop_event, self.go_event, self.abort_event,
                                rate=(rate / N_CLIENTS) if rate else None)
                        for k in range (N_CLIENTS)]
        # before the world is torn down (cleanups run last first)
        self.addCleanup (self.abort_clients)
        for c in self.clients:
            c.start ()

    def abort_clients (self):
        self.abort_event.set ()
        self.stop_event.set ()
        self.go_event.set ()
        for c in self.clients:
            c.join (5)

    def acked (self):
        return sum (c.acked for c in self.clients)

    def stop_clients (self):
        """Lets every client finish (resolving its last uncertain call)."""
        self.go_event.set ()
        self.stop_event.set ()
        for c in self.clients:
            c.join (RESOLVE_TIMEOUT + CALL_TIMEOUT_MS / 1000.0 + 5)
            self.assertFalse (c.is_alive (), '%s did not finish' % c.name)

    def problems (self, kind=None):
        return [(k, t) for c in self.clients for k, t in c.problems if kind is None or k == kind]

    def models (self):
        out = {}
        for c in self.clients:
            out.update (c.snapshot ())
        return out

    def check_store (self, path, allowed, what):
        """integrity_check is ok and every id of the clients is one of its
        allowed values in the store; nothing else is on the agenda.  Returns
        ([(id, text) of each mismatch], rows)."""
        integrity, rows = read_store (path)
        self.assertEqual (integrity, ['ok'], '%s: PRAGMA integrity_check of %s' % (what, path))
        bad = []
        for tid, values in sorted (allowed.items ()):
            if rows.get (tid) not in values:
                bad.append ((tid, '%s: %s: the store has %s, the clients\' model %s'
                             % (what, tid, describe (rows.get (tid)),
                                ' or '.join (describe (x) for x in values))))
        for tid in sorted (set (rows) - set (allowed)):
            bad.append ((tid, '%s: %s: in the store, but no client ever added it' % (what, tid)))
        return bad, rows

    def agenda_now (self):
        return {i['id']: (i['state'], i['priority'], i['note']) for i in self.agenda_items ()}

    def served_mismatches (self, expected, what):
        """Where GetAgenda of the running daemon differs from @expected
        ({id: value}, absent ids included as None): [(id, text)]."""
        served = self.agenda_now ()
        bad = [(tid, '%s: %s: served %s, expected %s'
                % (what, tid, describe (served.get (tid)), describe (want)))
               for tid, want in sorted (expected.items ()) if served.get (tid) != want]
        bad += [(tid, '%s: %s: served, but no client ever added it' % (what, tid))
                for tid in sorted (set (served) - set (expected))]
        return bad

    def assert_none (self, mismatches, what):
        self.assertEqual ([t for _, t in mismatches], [], what)

    def assert_no_problems (self, kinds):
        for kind in kinds:
            found = self.problems (kind)
            self.assertEqual (found, [], '%d %s problem(s):\n%s'
                              % (len (found), kind, '\n'.join (t for _, t in found[:20])))

    def figures (self):
        errors = {}
        for c in self.clients:
            for k, n in c.errors_seen.items ():
                errors[k] = errors.get (k, 0) + n
        return errors

    def say_errors (self):
        samples = {}
        for c in self.clients:
            for k, m in c.error_samples.items ():
                samples.setdefault (k, m)
        say ('  errors the clients saw: %s'
             % (', '.join ('%s %d' % kv for kv in sorted (self.figures ().items ())) or 'none'))
        for k, m in sorted (samples.items ()):
            say ('    e.g. %s' % m[:200])

    def own_daemon_pids (self):
        """The lpc-agendad processes of this test's world (D-Bus activation
        leaves them children of init: known by their environment)."""
        exe = os.path.realpath (lpctest.daemon_path ())
        mark = ('DBUS_SESSION_BUS_ADDRESS=%s' % self.bus.address).encode ()
        out = []
        for name in os.listdir ('/proc'):
            if not name.isdigit () or exe_of (int (name)) != exe:
                continue
            try:
                with open ('/proc/%s/environ' % name, 'rb') as f:
                    if mark in f.read ().split (b'\0'):
                        out.append (int (name))
            except OSError:
                pass
        return out


class KillTestCase (CrashTestCase):
    """SIGKILL at random moments while four clients call away."""

    start_daemon = False

    KILLS = 24                   # target kills (the test asserts at least 10)
    ACKED = 1500                 # target acknowledged calls (asserts at least 1000)
    RATE = 250.0                 # calls per second, all clients together
    PHASE_DEADLINE = 40.0        # seconds the killing may take at most

    def setUp (self):
        if os.environ.get ('LPC_TEST_WRAPPER'):
            self.skipTest ('under %s: kills at 100-400 ms intervals leave a daemon under a '
                           'memory checker no time to start, and its logs would be cut off'
                           % os.environ['LPC_TEST_WRAPPER'].split ()[0])
        super ().setUp ()

    def wait_owner (self, old_pid, timeout):
        """The pid of the name's new owner (not @old_pid), or None.  Only a
        live daemon of this test counts: one killed as it started may have
        owned the name for a moment, and the bus may still name it until it
        has seen the connection close."""
        deadline = time.monotonic () + timeout
        while time.monotonic () < deadline:
            pid = self.name_owner_pid ()
            if pid is not None and pid != old_pid and pid in self.own_daemon_pids ():
                return pid
            time.sleep (0.002)
        return None

    def sigkill (self, pid):
        os.kill (pid, signal.SIGKILL)
        deadline = time.monotonic () + lpctest.STOP_TIMEOUT
        while lpctest.pid_running (pid):
            if time.monotonic () > deadline:
                self.fail ('pid %d still there %.0f s after SIGKILL' % (pid, lpctest.STOP_TIMEOUT))
            time.sleep (0.002)

    def run_kills (self, seed, restart_by_test):
        rng = random.Random (seed)
        if restart_by_test:
            self.daemon = self.start_agendad ()
            db = self.db_path
        else:
            if lpctest.build_services_dir () is None:
                self.write_service_file ()     # no build-tree file: our own
            # the first call activates the daemon
            db = str (self.agenda ().GetStatus ()['database'])
        self.start_clients (rng, rate=self.RATE)
        kills = startup_kills = 0
        t0 = time.monotonic ()
        pid = self.daemon.pid if restart_by_test else self.wait_owner (None, lpctest.START_TIMEOUT)
        self.assertIsNotNone (pid, 'the daemon was not activated')
        while kills < self.KILLS or self.acked () < self.ACKED:
            if time.monotonic () - t0 > self.PHASE_DEADLINE:
                break
            if self.problems ('hang') or self.problems ('unexpected'):
                break
            time.sleep (rng.uniform (0.1, 0.4))
            if restart_by_test:
                self.daemon.kill ()                  # SIGKILL and wait
                kills += 1
                time.sleep (rng.uniform (0, 0.1))    # down for a moment: calls get ServiceUnknown
                self.daemon = self.start_agendad ()
                continue
            self.assertIn (pid, self.own_daemon_pids (), 'the name\'s owner is not our daemon')
            self.sigkill (pid)
            kills += 1
            if rng.random () < 0.2:
                # kill the next one as it starts, before it owns the name
                deadline = time.monotonic () + lpctest.START_TIMEOUT
                while time.monotonic () < deadline:
                    starting = [p for p in self.own_daemon_pids () if p != pid]
                    if starting:
                        self.sigkill (starting[0])
                        kills += 1
                        startup_kills += 1
                        break
                    time.sleep (0.001)
            # the clients' next call activates the next one
            pid = self.wait_owner (pid, lpctest.START_TIMEOUT)
            self.assertIsNotNone (pid, 'no daemon activated within %.0f s after kill %d'
                                  % (lpctest.START_TIMEOUT, kills))
        phase = time.monotonic () - t0

        # The clients finish with a daemon there to read their last uncertain ids.
        if restart_by_test and self.daemon.poll () is not None:
            self.daemon = self.start_agendad ()
        self.stop_clients ()
        self.assert_no_problems (['unexpected', 'hang'])

        # A last kill, then the store as the crash left it.
        if restart_by_test:
            self.daemon.kill ()
        else:
            pid = self.name_owner_pid ()
            self.assertIsNotNone (pid)
            self.sigkill (pid)
        kills += 1
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))
        self.assertEqual (self.own_daemon_pids (), [])
        model = {tid: vals[0] for tid, vals in self.models ().items ()}
        lost, rows = self.check_store (db, {t: [x] for t, x in model.items ()}, 'after the last kill')

        # A fresh start serves the same agenda (and goes on to exit 0 at teardown).
        self.daemon = self.start_agendad (db=db)
        lost += self.served_mismatches (model, 'GetAgenda after a fresh start')
        unlike_store = self.served_mismatches ({t: rows.get (t) for t in model},
                                               'GetAgenda against the store')

        acked = self.acked ()
        half = self.problems ('half')
        lost_during = self.problems ('lost')
        resolved = sum (c.resolved for c in self.clients)
        say ('kill test (%s): seed %d, %d calls acknowledged, %d lost, %d half-applied, '
             '%d kills survived%s, %d uncertain calls resolved (%d found applied), '
             '%d error replies, %.1f s'
             % ('restarted by the test' if restart_by_test else 'D-Bus activation', seed, acked,
                len ({t for t, _ in lost}) + len (lost_during), len (half), kills,
                ' (%d during startup)' % startup_kills if not restart_by_test else '',
                resolved, sum (c.resolved_after for c in self.clients),
                sum (c.refused for c in self.clients), phase))
        self.say_errors ()
        self.assert_none (lost, 'acknowledged changes lost (seed %d)' % seed)
        self.assert_none (unlike_store, 'the daemon serves what the store does not hold')
        self.assert_no_problems (['lost', 'half', 'applied-error', 'bad-reply'])
        self.assertGreaterEqual (kills, 10, 'too few kills (seed %d)' % seed)
        self.assertGreaterEqual (acked, 1000, 'too few acknowledged calls (seed %d)' % seed)
        self.assertGreater (resolved, 0, 'no call was ever cut off: the kills missed (seed %d)' % seed)



class KillActivationTest (KillTestCase):
    """Each next call brings the daemon back through D-Bus activation (the
    build tree's activation file)."""

    use_build_services = True

    def test_sigkill_with_activation (self):
        seed = env_seed ()
        say ('kill test (D-Bus activation): seed %d (LPC_CRASH_SEED=%d repeats it)' % (seed, seed))
        self.run_kills (seed, restart_by_test=False)


class KillRestartTest (KillTestCase):
    """The test itself starts the daemon again after each kill; while it is
    down, calls fail with ServiceUnknown (no activation file on this bus)."""

    def test_sigkill_restarted_by_test (self):
        seed = env_seed ()
        say ('kill test (restarted by the test): seed %d (LPC_CRASH_SEED=%d repeats it)' % (seed, seed))
        self.run_kills (seed, restart_by_test=True)


class SigtermTest (CrashTestCase):
    """SIGTERM in the middle of a burst: the daemon finishes the call it is
    on, exits 0 within a few seconds, and keeps all it acknowledged."""

    ROUNDS = 5
    ACKED_PER_ROUND = 150

    def test_sigterm_mid_burst (self):
        seed = env_seed ()
        say ('sigterm test: seed %d (LPC_CRASH_SEED=%d repeats it)' % (seed, seed))
        rng = random.Random (seed)
        self.start_clients (rng)                 # no rate limit: a burst
        exits = []
        cut_off = 0
        for rnd in range (self.ROUNDS):
            start = self.acked ()
            deadline = time.monotonic () + 10
            while self.acked () - start < self.ACKED_PER_ROUND and time.monotonic () < deadline:
                time.sleep (0.005)
            self.assert_no_problems (['unexpected', 'hang'])
            self.assertGreater (self.acked () - start, 0, 'round %d: no call acknowledged' % rnd)
            time.sleep (rng.uniform (0, 0.05))
            failed_before = sum (c.failed + c.refused for c in self.clients)
            t0 = time.monotonic ()
            self.daemon.send_signal (signal.SIGTERM)
            rc = self.daemon.wait (lpctest.STOP_TIMEOUT)
            took = time.monotonic () - t0
            self.go_event.clear ()               # no new calls until the checks are done
            self.assertIsNotNone (rc, 'round %d: the daemon did not exit within %.0f s of SIGTERM'
                                  % (rnd, lpctest.STOP_TIMEOUT))
            self.assertEqual (rc, 0, 'round %d: exit status after SIGTERM\n%s'
                              % (rnd, self.daemon.output ()))
            exits.append (took)
            self.assertTrue (self.wait_for_name_gone (BUS_NAME), 'name still owned after exit')
            time.sleep (0.05)                    # the calls in flight get their errors
            cut_off += sum (c.failed + c.refused for c in self.clients) - failed_before
            # Every acknowledged call is in the store; those in flight are
            # either done or not.
            allowed = self.models ()
            bad, rows = self.check_store (self.db_path, allowed, 'round %d' % rnd)
            self.assert_none (bad, 'round %d: the store after SIGTERM (seed %d)' % (rnd, seed))
            # A restart serves the same agenda.
            self.daemon = self.start_agendad ()
            bad = self.served_mismatches ({t: rows.get (t) for t in allowed},
                                          'round %d: GetAgenda after the restart' % rnd)
            self.assert_none (bad, 'round %d: the restarted daemon does not serve the store' % rnd)
            self.go_event.set ()
        self.stop_clients ()
        self.assert_no_problems (['unexpected', 'hang'])
        model = {tid: vals[0] for tid, vals in self.models ().items ()}
        t0 = time.monotonic ()
        rc = self.daemon.stop (signal.SIGTERM, lpctest.STOP_TIMEOUT)
        exits.append (time.monotonic () - t0)
        self.assertEqual (rc, 0, 'exit status after the last SIGTERM')
        self.assertTrue (self.wait_for_name_gone (BUS_NAME))
        lost, rows = self.check_store (self.db_path, {t: [x] for t, x in model.items ()}, 'at the end')
        self.daemon = self.start_agendad ()
        lost += self.served_mismatches (model, 'GetAgenda after the last restart')
        half = self.problems ('half')
        say ('sigterm test: seed %d, %d calls acknowledged, %d lost, %d half-applied, '
             '%d SIGTERMs (exit 0 after %s s), %d calls cut off, %d uncertain calls resolved '
             '(%d found applied)'
             % (seed, self.acked (), len ({t for t, _ in lost}) + len (self.problems ('lost')), len (half),
                len (exits), '/'.join ('%.2f' % x for x in exits), cut_off,
                sum (c.resolved for c in self.clients), sum (c.resolved_after for c in self.clients)))
        self.say_errors ()
        self.assert_none (lost, 'acknowledged changes lost (seed %d)' % seed)
        self.assert_no_problems (['lost', 'half', 'applied-error', 'bad-reply'])


if __name__ == '__main__':
    sys.exit (lpctest.main ())
