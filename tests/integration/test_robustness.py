#!/usr/bin/python3
# Hostile input over D-Bus (issue 6), against the real daemon on a private
# bus.
#
# StormTest: for a bounded time, seeded random calls on everything the daemon
# exports (every method of dbus/org.lpcagenda.Agenda1.xml, unknown methods,
# interfaces and objects, Properties Get/Set/GetAll, Introspectable, Peer),
# with right and wrong signatures, and odd values: empty, 1 MiB and control
# character strings, prefixes of real ids, byte arrays with NULs and invalid
# UTF-8, a{sv} dictionaries of random keys and types, huge and with repeated
# keys, variants nested as deep as the bus lets through; single calls, bursts
# of pipelined ones, and calls that expect no reply.  They go out through
# Gio.DBusConnection (gi), which sends whatever signature it is given, so
# wrong ones really reach the daemon.  Every call must be answered within
# CALL_TIMEOUT by a proper D-Bus error of a known name, with a message, or by
# a reply of the right type; the daemon must keep its pid and name, the bytes
# it holds allocated must stay flat over a replay of such calls (see
# REPLAY_CALLS), and the
# agenda set up before the storm must be as it was except for the items the
# daemon's AgendaChanged signals named.
#
#   LPC_ROBUSTNESS_SEED=N      replay a run (the seed is printed)
#   LPC_ROBUSTNESS_SECONDS=S   how long the storm lasts (default 20)
#   LPC_ROBUSTNESS_ROUNDS=N    rounds of the leak replay (default 30)
#   LPC_ROBUSTNESS_TRACE=1     print every call, and the daemon's allocated
#                              bytes and RSS by round of the leak replay
#
# ReplySizeTest: a program of 100,000 entries (bench/gen-program), whose
# whole ListTalks would be bigger than the bus carries in one message: the
# daemon answers LimitExceeded, says how to page, keeps its name, the pages
# (offset, limit) add up to the listing, and `lpc-agenda list` pages.

import os
import random
import socket
import statistics
import subprocess
import time

import dbus
from gi.repository import Gio, GLib

import lpctest
from lpctest import AgendaTestCase, LoggedProcess, unwrap, dbus_signature_of
from lpctest import BUS_NAME, OBJECT_PATH, IFACE, ERROR_PREFIX, DBUS_ERROR_PREFIX

STORM_SECONDS = float (os.environ.get ('LPC_ROBUSTNESS_SECONDS', '20'))
CALL_TIMEOUT = 5.0 * lpctest.TIMEOUT_FACTOR
# Leaks are measured on a replay before the storm: REPLAY_CALLS calls made
# as the storm makes them, without its big values, that change nothing
# (refused ones, and those of methods that only read) are sent
# REPLAY_WARM_ROUNDS + REPLAY_ROUNDS times over, and the bytes the daemon
# has allocated and not freed are read after the last warm round and after
# each round from then on.
# Each round does the same to the same state, so once the warm rounds have
# allocated what it needs (SQLite's page cache, GLib's type and quark
# tables), a daemon that leaks nothing comes back to the same count, and a
# leak grows it by what it loses per call, however the machine is loaded.
# The count is glibc's own (mallinfo2: uordblks + hblkhd), read through
# tests/malloc-probe.c, preloaded into the daemon (a Unix socket it answers
# on from a thread of its own; the daemon itself is unchanged). RSS is no
# judge: it moves with what malloc keeps of freed memory and with how many
# arenas racing threads make, which load decides (it grew 196-232 KiB over
# a replay of an unchanged daemon on a loaded machine).
# Under valgrind or a sanitizer the count is not taken: they have their own
# allocator, and find leaks themselves (definite ones; the count also sees
# memory still referenced that grows without end).
REPLAY_CALLS = 500
REPLAY_BATCH = 50
REPLAY_WARM_ROUNDS = 10
REPLAY_ROUNDS = int (os.environ.get ('LPC_ROBUSTNESS_ROUNDS', '30'))
# The count is read after every round. A leak grows it by the same amount
# each round. An unchanged daemon does not keep it quite still: in some runs
# it cycles through two or three values some 16 KiB apart (buffers of GDBus
# and SQLite not all freed at the same point of a round), and once or twice
# a run it steps by a few hundred KiB, mostly down, at no fixed round (not
# pinned down: not a leak, as it comes back or goes down). So the judge is the
# median, over every measured round, of the growth to the round
# REPLAY_SPAN later (6: whole cycles of two and of three), per replayed
# call: the cycles cancel in it and a step moves only the few spans across
# it, while a leak moves them all. It must stay under LEAK_BYTES_PER_CALL.
# Unchanged daemon: 0 bytes a call; a 16-byte leak in the method dispatch,
# which about two calls in three reach (a 32-byte malloc chunk each):
# about 20 bytes a call.
REPLAY_SPAN = 6
LEAK_BYTES_PER_CALL = 4
# No per-thread malloc caches: mallinfo2 counts what sits freed in them as
# allocated, and a thread of GLib's pool that ends idle gives back its
# cache (up to 200 KiB) at once.
MALLOC_TUNABLES = 'glibc.malloc.tcache_count=0'

HUGE = 1024 * 1024
OUR_ERRORS = {ERROR_PREFIX + n for n in (
    'NoSuchTalk', 'AmbiguousId', 'NotAttendable', 'InvalidArgument', 'ProgramInvalid',
    'NotSupported', 'LimitExceeded')}
BUS_ERRORS = {DBUS_ERROR_PREFIX + n for n in (
    'InvalidArgs', 'UnknownMethod', 'UnknownInterface', 'UnknownObject', 'UnknownProperty',
    'PropertyReadOnly')}
ALLOWED_ERRORS = OUR_ERRORS | BUS_ERRORS
# A message a person can read: not the megabyte they sent echoed back.
MAX_ERROR_MESSAGE = 16 * 1024

# Every key of every a{sv} argument in the contract, and a few near misses.
KNOWN_KEYS = ['day', 'track', 'room', 'query', 'kind', 'from', 'to', 'limit', 'offset',
              'details', 'state', 'priority', 'remind', 'note', 'apply', 'format']
ODD_KEYS = ['', 'Day', 'DAY', 'day ', ' day', 'priority\n', 'from\x01', 'lïmit', 'x' * 1000,
            'apply\u202e', 'state;', '%s%n']
STRING_POOL = [
    '', ' ', '\t', 'mon', 'MONDAY', 'sun', '2021-09-20', '2021-02-30', '2021-9-20',
    '9999-99-99', '-1', '0', '5', '4294967296', 'all', 'talk', 'session', 'break',
    'planned', 'skipped', 'moved', 'cancelled', 'ics', '10,0', '0,0,0', '1441',
    '1,2,3,4,5,6,7,8,9', 'off', ' 5 , 5 ', 'soon', '\x01\x02\x03\x1b[31mred\x1b[0m\x7f',
    '\r\n\r\n', 'ünïcödé', 'zzz\u202fam', '\u202ertl', '\ufeffbom', '\U0001f600',
    '../../etc/passwd', "'; DROP TABLE agenda; --", '%s%n%x%p', '*', '%', '_', '\\',
    '"quoted"', 'bpf', 'scheduler latency', 'a' * 300,
]
PATH_POOL = ['', '/', '/dev/zero', '/dev/null', '/proc/self/status', '/etc/passwd',
             '/nonexistent/program.txt', 'relative.txt', '/tmp', '/' + 'x' * 5000]
BYTES_POOL = [b'', b'\x00', b'abc\x00def', b'\xff\xfe\xfd', b'\xc0\x80', b'\xed\xa0\x80',
              b'\xf4\x90\x80\x80', b'mon\x00day', b'\x00' * 1000]
# Complete types for values in a{sv}, and for wrong arguments.
VALUE_TYPES = ['s', 'u', 'i', 'x', 't', 'b', 'd', 'y', 'n', 'q', 'o', 'g', 'as', 'ay',
               'v', 'a{sv}', 'a{ss}', '(si)', 'au', 'a(ss)', 'aa{sv}']
ARG_TYPES = ['s', 'u', 'i', 'x', 'b', 'ay', 'as', 'a{sv}', 'a{ss}', 'v', 'o', 'g', '(s)',
             'aa{sv}', 'd']
# dbus-daemon disconnects a client whose message nests containers deeper
# than 64 in all (62 variants in an a{sv} argument already are), or is over
# its maximum size (32 MiB here); the storm stays below both.
MAX_DEPTH = 64
MAX_MESSAGE = 8 * 1024 * 1024
PROPERTIES = ['LeadTime', 'LeadTimes', 'TravelTime', 'SoftOverlap', 'ProgramName',
              'ProgramTimezone', 'NextReminder', 'Version']

# The picks made before the storm: (title, options, skipped).
PICKS = [
    ('BPF tracing: exploring additional debugging capabilities', {'priority': 5, 'note': 'keep me'}, False),
    ('Socket migration for SO_REUSEPORT', {'priority': 2}, True),
    ('BPF & Networking Summit', {'priority': 4, 'remind': '15'}, False),
    ('Rust in the Linux ecosystem', {'priority': 1, 'note': 'ünïcödé \x01 note'}, False),
]
AGENDA_STATES = ('planned', 'skipped', 'moved', 'cancelled')
STABLE_FIELDS = ('id', 'kind', 'title', 'start', 'end', 'priority', 'state', 'note', 'added',
                 'remind')


def rss_kib (pid):
    with open ('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith ('VmRSS:'):
                return int (line.split ()[1])
    raise RuntimeError ('no VmRSS for %d' % pid)


def allocated_bytes (socket_path):
    """The bytes the daemon holds allocated, as tests/malloc-probe.c reads
    them: asked until two readings a little apart agree, so that what the
    daemon still frees after its last reply (the call's message, GDBus's
    invocation) is not counted."""
    def read_once ():
        with socket.socket (socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout (CALL_TIMEOUT)
            sock.connect (socket_path)
            sock.sendall (b'?')
            reply = b''
            while not reply.endswith (b'\n'):
                chunk = sock.recv (64)
                if not chunk:
                    raise RuntimeError ('malloc-probe closed without an answer: %r' % reply)
                reply += chunk
        heap, mapped = (int (n) for n in reply.split ())
        return heap + mapped

    last = read_once ()
    deadline = time.monotonic () + 5 * lpctest.TIMEOUT_FACTOR
    while True:
        time.sleep (0.05)
        now = read_once ()
        if now == last or time.monotonic () > deadline:
            return now
        last = now


def memory_checked_process (pid):
    """Whether @pid runs under valgrind or with a sanitizer, whose own
    allocators make its RSS say nothing about leaks (ASan's quarantine alone
    holds 256 MiB of freed memory)."""
    with open ('/proc/%d/maps' % pid) as f:
        maps = f.read ()
    return any (s in maps for s in ('libasan', 'libtsan', 'liblsan', 'vgpreload', 'valgrind'))


def split_types (signature):
    """The complete types of @signature: 'sa{sv}(si)' -> ['s', 'a{sv}', '(si)']."""
    types = []
    i = 0
    while i < len (signature):
        j = i
        while signature[j] in 'am':
            j += 1
        if signature[j] in '({':
            depth = 0
            while True:
                depth += {'(': 1, '{': 1, ')': -1, '}': -1}.get (signature[j], 0)
                if depth == 0:
                    break
                j += 1
        types.append (signature[i:j + 1])
        i = j + 1
    return types


def remote_error_name (error):
    """The D-Bus name of a GLib.Error from a call, or None."""
    if error is not None and Gio.DBusError.is_remote_error (error):
        return Gio.DBusError.get_remote_error (error)
    return None


# Methods that change nothing, whatever their arguments.
READ_ONLY = {(IFACE, m) for m in ('ListTalks', 'GetTalk', 'GetAgenda', 'GetConflicts',
                                  'GetFreeTime', 'CheckProgram', 'ExportCalendar', 'GetStatus')} \
    | {('org.freedesktop.DBus.Properties', 'Get'), ('org.freedesktop.DBus.Properties', 'GetAll'),
       ('org.freedesktop.DBus.Introspectable', 'Introspect'),
       ('org.freedesktop.DBus.Peer', 'Ping'), ('org.freedesktop.DBus.Peer', 'GetMachineId')}


def changes_nothing (call):
    """Whether @call (answered) changed nothing: refused, or only reading.
    (Resolve may apply, Snooze starts a timer, ImportProgram imports.)"""
    if call.no_reply or not call.done:
        return False
    return call.error is not None or (call.iface, call.method) in READ_ONLY


class Call:
    """One message of the storm: destination, what to say, and what may come
    back.  @reply_type: the type a successful reply must have (None: any)."""

    def __init__ (self, method, args, iface=IFACE, path=OBJECT_PATH, reply_type=None,
                  no_reply=False):
        self.iface = iface
        self.path = path
        self.method = method
        self.args = args
        self.reply_type = reply_type
        self.no_reply = no_reply
        self.done = False
        self.reply = None
        self.error = None
        self.elapsed = None

    def copy (self):
        return Call (self.method, self.args, iface=self.iface, path=self.path,
                     reply_type=self.reply_type, no_reply=self.no_reply)

    def describe (self):
        text = self.args.print_ (True) if self.args is not None else '()'
        if len (text) > 400:
            text = text[:400] + '... (%d chars)' % len (text)
        return '%s%s.%s on %s %s' % ('(no reply) ' if self.no_reply else '', self.iface,
                                     self.method, self.path, text)


class Storm:
    """Makes the storm's calls from a seeded random.Random."""

    def __init__ (self, rng, contract, talk_ids, timetable):
        self.rng = rng
        self.methods = contract['methods']
        self.talk_ids = talk_ids
        self.timetable = timetable
        self.huge_string = 'bpf-tracing-' + 'x' * HUGE
        # Big values are made once and sent again: making them in Python
        # for each call would take most of the storm's time.
        self.huge_bytes = GLib.Variant.new_from_bytes (GLib.VariantType.new ('ay'),
                                                       GLib.Bytes.new (b'\x00' * HUGE), True)
        self.many_strings = GLib.Variant ('as', [rng.choice (STRING_POOL) for _ in range (20000)])
        self.big_dicts = [
            GLib.Variant ('a{sv}', {rng.choice (KNOWN_KEYS) + str (i): GLib.Variant ('s', 'x')
                                    for i in range (n)})
            for n in (1000, 20000)]
        # the same key 20,000 times over, and a key of a megabyte
        self.big_dicts.append (GLib.Variant.new_array (None, [GLib.Variant.new_dict_entry (
            GLib.Variant ('s', 'day'), GLib.Variant ('v', GLib.Variant ('s', 'mon')))] * 20000))
        self.big_dicts.append (GLib.Variant ('a{sv}', {'k' * HUGE: GLib.Variant ('u', 1)}))
        # random characters, control characters included (not NUL, which a
        # D-Bus string cannot hold), to cut strings from
        self.chars = ''.join (chr (rng.choice ((rng.randint (1, 0x7f), rng.randint (0x80, 0xd7ff),
                                                rng.randint (0xe000, 0x10ffff))))
                              for _ in range (20000))

    # values ------------------------------------------------------------------

    def chance (self, p):
        return self.rng.random () < p

    def big (self):
        """Whether a big value may go in the call being made: one per call,
        and none in a burst.  So the most memory the daemon needs at once
        for what it is sent is bounded, and reached early (see warm_up()):
        a rise after that is a leak, not a new peak."""
        if self.bigs_left > 0:
            self.bigs_left -= 1
            return True
        return False

    def big_values (self):
        return [GLib.Variant ('s', self.huge_string), self.huge_bytes, self.many_strings] \
            + self.big_dicts

    def warm_up (self):
        """Calls that carry each big value once, and an import."""
        calls = []
        for value in self.big_values ():
            if value.get_type_string () == 'a{sv}':
                args = GLib.Variant.new_tuple (value)
            else:
                args = GLib.Variant.new_tuple (GLib.Variant.new_array (None, [
                    GLib.Variant.new_dict_entry (GLib.Variant ('s', 'query'),
                                                 GLib.Variant ('v', value))]))
            calls.append (Call ('ListTalks', args, reply_type='(aa{sv})'))
        calls.append (Call ('GetTalk', GLib.Variant ('(s)', (self.huge_string,)),
                            reply_type='(a{sv})'))
        # an import's bigger SQLite page cache, given back after it
        calls.append (Call ('ImportProgram', GLib.Variant ('(sa{sv})', (self.timetable, {})),
                            reply_type='(a{sv})'))
        return calls

    def string (self):
        r = self.rng.random ()
        ids = self.talk_ids
        if r < 0.01 and self.big ():
            return self.huge_string
        if r < 0.25:
            return self.rng.choice (ids)
        if r < 0.45:
            i = self.rng.choice (ids)
            return i[:self.rng.randint (1, len (i))]
        if r < 0.5:
            i = self.rng.choice (ids)
            return self.rng.choice ((i.upper (), i + 'x', i + '-', ' ' + i, i + '\n', i * 3))
        if r < 0.85:
            return self.rng.choice (STRING_POOL)
        n = self.rng.choice ((1, 2, 5, 40, 300, 5000))
        start = self.rng.randrange (len (self.chars) - n)
        return self.chars[start:start + n]

    def byte_string (self):
        r = self.rng.random ()
        if r < 0.7:
            return self.rng.choice (BYTES_POOL)
        if r < 0.85:
            return self.rng.choice (self.talk_ids).encode () + b'\x00' + b'\xff'
        return bytes (self.rng.randint (0, 255) for _ in range (self.rng.randint (1, 200)))

    def integer (self, code):
        bits = {'y': 8, 'n': 16, 'q': 16, 'i': 32, 'u': 32, 'x': 64, 't': 64}[code]
        signed = code in 'nix'
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        near = [0, 1, 2, 3, 4, 5, 6, 9, 10, 60, 61, 240, 241, 1440, 1441, 1632150000]
        if signed:
            near += [-1, -5, -1632150000]
        r = self.rng.random ()
        if r < 0.5:
            v = self.rng.choice (near)
        elif r < 0.7:
            v = self.rng.choice ((lo, hi, lo + 1, hi - 1))
        else:
            v = self.rng.randint (lo, hi)
        return max (lo, min (hi, v))

    def value (self, type_string, depth=1):
        """A GLib.Variant of @type_string, with odd contents.  @depth: the
        containers around it (the arguments' tuple is the first)."""
        t = type_string
        if t == 's':
            return GLib.Variant ('s', self.string ())
        if t == 'o':
            return GLib.Variant ('o', self.rng.choice (('/', OBJECT_PATH, '/a/b_c/D1')))
        if t == 'g':
            return GLib.Variant ('g', self.rng.choice (('', 's', 'a{sv}', 'aa{sv}', '(ss)')))
        if t == 'b':
            return GLib.Variant ('b', self.chance (0.5))
        if t == 'd':
            return GLib.Variant ('d', self.rng.choice ((0.0, -1.0, 5.5, 1e308, float ('nan'),
                                                        float ('inf'))))
        if t in ('y', 'n', 'q', 'i', 'u', 'x', 't'):
            return GLib.Variant (t, self.integer (t))
        if t == 'ay':
            if self.chance (0.01) and self.big ():
                return self.huge_bytes
            return GLib.Variant.new_from_bytes (GLib.VariantType.new ('ay'),
                                                GLib.Bytes.new (self.byte_string ()), True)
        if t == 'v':
            return GLib.Variant ('v', self.nested_value (depth + 1))
        if t == 'a{sv}':
            return self.vardict (depth)
        if t.startswith ('a'):
            element = t[1:]
            n = self.rng.choice ((0, 1, 2, 3, 50)) if depth < 6 else 0
            if element == 's' and self.chance (0.05) and self.big ():
                return self.many_strings
            children = [self.value (element, depth + 1) for _ in range (n)]
            return GLib.Variant.new_array (GLib.VariantType.new (element) if not children else None,
                                           children)
        if t.startswith ('('):
            return GLib.Variant.new_tuple (*[self.value (c, depth + 1)
                                             for c in split_types (t[1:-1])])
        if t.startswith ('{'):
            key, value = split_types (t[1:-1])
            return GLib.Variant.new_dict_entry (self.value (key, depth + 1),
                                                self.value (value, depth + 1))
        raise ValueError (t)

    def nested_value (self, depth):
        """What a variant holds, at @depth: now and then variants in
        variants, as deep as the bus allows."""
        if depth < 8 and self.chance (0.05):
            n = self.rng.randint (1, MAX_DEPTH - depth - 1)
            inner = self.value (self.rng.choice (('s', 'ay', 'u')), depth + n)
            for _ in range (n):
                inner = GLib.Variant ('v', inner)
            return inner
        return self.value (self.rng.choice (VALUE_TYPES if depth < 12 else ['s', 'u', 'ay']),
                           depth)

    def key (self):
        r = self.rng.random ()
        if r < 0.75:
            return self.rng.choice (KNOWN_KEYS)
        if r < 0.9:
            return self.rng.choice (ODD_KEYS)
        return self.string ()

    def well_typed (self, key):
        """A value of the type the contract gives @key, mostly."""
        types = {'day': 's', 'track': 's', 'room': 's', 'query': 's', 'kind': 's', 'from': 'x',
                 'to': 'x', 'limit': 'u', 'offset': 'u', 'details': 'b', 'state': 's',
                 'priority': 'u', 'remind': self.rng.choice (('s', 'i')), 'note': 's',
                 'apply': 'b', 'format': 's'}
        return self.value (types.get (key, 's'))

    def vardict (self, depth=1):
        r = self.rng.random ()
        if r < 0.03 and self.big ():
            return self.rng.choice (self.big_dicts)
        n = 0 if r < 0.15 or depth > 12 else self.rng.randint (1, 4)
        entries = []
        for _ in range (n):
            key = self.key ()
            if key in KNOWN_KEYS and self.chance (0.6):
                value = self.well_typed (key)
            else:
                value = self.nested_value (depth + 3)
            entries.append (GLib.Variant.new_dict_entry (GLib.Variant ('s', key),
                                                         GLib.Variant ('v', value)))
        # repeated keys are valid D-Bus: the first one and the last one differ
        if entries and self.chance (0.1):
            entries.append (GLib.Variant.new_dict_entry (
                GLib.Variant ('s', entries[0].get_child_value (0).get_string ()),
                GLib.Variant ('v', self.nested_value (depth + 3))))
        return GLib.Variant.new_array (GLib.VariantType.new ('{sv}') if not entries else None,
                                       entries)

    def args (self, types):
        return GLib.Variant.new_tuple (*[self.value (t) for t in types])

    # calls ---------------------------------------------------------------------

    def contract_call (self):
        """A method of the contract with its own signature: a reply must have
        its out signature."""
        name = self.rng.choice (sorted (self.methods))
        args = self.methods[name]
        ins = [t for d, t, _ in args if d == 'in']
        outs = [t for d, t, _ in args if d == 'out']
        if name == 'ImportProgram':
            values = [GLib.Variant ('s', self.rng.choice (PATH_POOL + [self.timetable])),
                      GLib.Variant ('a{sv}', {})]
        elif name == 'Snooze':
            values = [self.value ('s'), GLib.Variant ('u', self.integer ('u'))]
        else:
            values = [self.value (t) for t in ins]
        return Call (name, GLib.Variant.new_tuple (*values), reply_type='(%s)' % ''.join (outs))

    def wrong_signature_call (self):
        # (unknown names, but valid ones: GDBus and the bus refuse others)
        name = self.rng.choice (sorted (self.methods) + ['NoSuchMethod', 'listtalks', 'Add_',
                                                         'GetStatus2'])
        types = [self.rng.choice (ARG_TYPES) for _ in range (self.rng.choice ((0, 1, 1, 2, 2, 3, 5)))]
        return Call (name, self.args (types))

    def property_call (self):
        props = 'org.freedesktop.DBus.Properties'
        iface = self.rng.choice ((IFACE, IFACE, IFACE, '', 'org.lpcagenda.Agenda2',
                                  'org.freedesktop.DBus.Properties'))
        prop = self.rng.choice (PROPERTIES + ['leadtime', 'NoSuchProperty', '', 'x' * 300])
        r = self.rng.random ()
        if r < 0.35:
            return Call ('Get', GLib.Variant ('(ss)', (iface, prop)), iface=props, reply_type='(v)')
        if r < 0.45:
            return Call ('GetAll', GLib.Variant ('(s)', (iface,)), iface=props,
                         reply_type='(a{sv})')
        if r < 0.9:
            if self.chance (0.5):
                value = self.value (self.rng.choice (('u', 's')))
            else:
                value = self.nested_value (2)
            return Call ('Set', GLib.Variant.new_tuple (GLib.Variant ('s', iface),
                                                        GLib.Variant ('s', prop),
                                                        GLib.Variant ('v', value)),
                         iface=props, reply_type='()')
        method = self.rng.choice (('Get', 'Set', 'GetAll', 'Delete'))
        return Call (method, self.args ([self.rng.choice (ARG_TYPES)
                                         for _ in range (self.rng.randint (0, 4))]), iface=props)

    def standard_call (self):
        r = self.rng.random ()
        if r < 0.3:
            return Call ('Introspect', GLib.Variant ('()', ()),
                         iface='org.freedesktop.DBus.Introspectable', reply_type='(s)')
        if r < 0.5:
            return Call ('Ping', GLib.Variant ('()', ()), iface='org.freedesktop.DBus.Peer',
                         reply_type='()')
        if r < 0.6:
            return Call ('GetMachineId', GLib.Variant ('()', ()),
                         iface='org.freedesktop.DBus.Peer', reply_type='(s)')
        iface = self.rng.choice (('org.freedesktop.DBus.Introspectable',
                                  'org.freedesktop.DBus.Peer', 'org.lpcagenda.Nope',
                                  'org.freedesktop.DBus.ObjectManager'))
        method = self.rng.choice (('Introspect', 'Ping', 'GetMachineId', 'GetManagedObjects',
                                   'Nope'))
        return Call (method, self.args ([self.rng.choice (ARG_TYPES)
                                         for _ in range (self.rng.randint (0, 2))]), iface=iface)

    def elsewhere_call (self):
        """Right calls to the wrong object, or to no interface."""
        call = self.contract_call ()
        if self.chance (0.5):
            call.path = self.rng.choice (('/', '/org/lpcagenda', OBJECT_PATH + '/x',
                                          '/org/lpcagenda/Agenda2'))
            call.reply_type = None
        else:
            call.iface = None
        return call

    def call (self, burst=False):
        while True:
            self.bigs_left = 0 if burst else 1
            c = self.any_call ()
            if c.args.get_size () < MAX_MESSAGE:
                return c

    def any_call (self):
        r = self.rng.random ()
        if r < 0.6:
            c = self.contract_call ()
        elif r < 0.77:
            c = self.wrong_signature_call ()
        elif r < 0.87:
            c = self.property_call ()
        elif r < 0.93:
            c = self.standard_call ()
        else:
            c = self.elsewhere_call ()
        if self.chance (0.03):
            c.no_reply = True
        return c


class RobustnessTestCase (AgendaTestCase):

    def gio_connection (self):
        return Gio.DBusConnection.new_for_address_sync (
            self.bus.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

    def assert_alive_with_name (self, pid, what):
        self.assertIsNone (self.daemon.poll (), '%s: the daemon died:\n%s'
                           % (what, self.daemon.output ()[-20000:]))
        self.assertEqual (self.name_owner_pid (), pid, '%s: the daemon lost its name' % what)


class StormTest (RobustnessTestCase):

    start_daemon = False

    def setUp (self):
        super ().setUp ()
        # The leak check's probe goes into the daemon only (not the bus, not
        # the CLI), and not under valgrind or a sanitizer (their allocators
        # are not glibc's; they check leaks themselves).
        self.probe_socket = None
        env = None
        if not (lpctest.wrapped () or os.environ.get ('LPC_TEST_SANITIZER')):
            probe = os.path.join (lpctest.build_root (), 'tests', 'liblpc-malloc-probe.so')
            self.assertTrue (os.path.isfile (probe), 'the leak probe is not built: %s' % probe)
            self.probe_socket = os.path.join (self.tmpdir, 'malloc-probe.sock')
            env = dict (self.env, LPC_MALLOC_PROBE_SOCKET=self.probe_socket,
                        GLIBC_TUNABLES=MALLOC_TUNABLES,
                        LD_PRELOAD=' '.join (filter (None, [self.env.get ('LD_PRELOAD'), probe])))
        self.daemon = self.start_agendad (env=env)
        self.picks = {}
        for title, options, skipped in PICKS:
            tid = self.id_of (title)
            o = {k: (dbus.UInt32 (v) if k == 'priority' else v) for k, v in options.items ()}
            self.add (tid, **o)
            if skipped:
                self.agenda ().Skip (tid)
        self.before = {i['id']: i for i in self.agenda_items ()}
        self.assertEqual (len (self.before), len (PICKS))

    def send (self, conn, calls):
        """Sends @calls at once (pipelined) and waits for every answer."""
        ctx = GLib.MainContext.default ()

        def on_reply (source, result, call):
            try:
                call.reply = source.call_finish (result)
            except GLib.Error as e:
                call.error = e
            call.elapsed = time.monotonic () - call.started
            call.done = True

        def on_raw_reply (source, result, call):
            try:
                reply = source.send_message_with_reply_finish (result)
                reply.to_gerror ()
                call.reply = reply.get_body () or GLib.Variant ('()', ())
            except GLib.Error as e:
                call.error = e
            call.elapsed = time.monotonic () - call.started
            call.done = True

        for call in calls:
            call.started = time.monotonic ()
            if call.no_reply:
                message = Gio.DBusMessage.new_method_call (BUS_NAME, call.path, call.iface,
                                                           call.method)
                message.set_body (call.args)
                message.set_flags (Gio.DBusMessageFlags.NO_REPLY_EXPECTED)
                conn.send_message (message, Gio.DBusSendMessageFlags.NONE)
                call.done = True
                continue
            if call.iface is None:
                # a message of no interface: GDBus's call() wants one
                message = Gio.DBusMessage.new_method_call (BUS_NAME, call.path, None,
                                                           call.method)
                message.set_body (call.args)
                conn.send_message_with_reply (message, Gio.DBusSendMessageFlags.NONE,
                                              int (CALL_TIMEOUT * 1000), None, on_raw_reply, call)
            else:
                conn.call (BUS_NAME, call.path, call.iface, call.method, call.args, None,
                           Gio.DBusCallFlags.NONE, int (CALL_TIMEOUT * 1000), None, on_reply, call)
        deadline = time.monotonic () + CALL_TIMEOUT + 2
        # wakes the loop below at the deadline, whatever else happens
        wake = GLib.timeout_add (int ((CALL_TIMEOUT + 2) * 1000) + 10, lambda: False)
        while not all (c.done for c in calls) and time.monotonic () < deadline:
            ctx.iteration (True)
        if time.monotonic () < deadline:
            GLib.source_remove (wake)
        while ctx.pending ():
            ctx.iteration (False)

    def check_answer (self, call, stats):
        """Counts @call's answer; returns a problem (text) or None."""
        if call.no_reply:
            stats['no-reply'] = stats.get ('no-reply', 0) + 1
            return None
        if not call.done:
            stats['hangs'] += 1
            return 'no answer within %.0f s' % (CALL_TIMEOUT + 2)
        if call.error is None:
            stats['ok'] += 1
            got = call.reply.get_type_string ()
            if call.reply_type is not None and got != call.reply_type:
                return 'a reply of type %s, the contract says %s' % (got, call.reply_type)
            return None
        name = remote_error_name (call.error)
        if name is None:
            if call.error.matches (Gio.io_error_quark (), Gio.IOErrorEnum.TIMED_OUT):
                stats['hangs'] += 1
                return 'no answer within %.0f s (%s)' % (CALL_TIMEOUT, call.error.message)
            return 'not a D-Bus error: %s' % call.error.message
        short = name.rsplit ('.', 1)[1]
        stats['errors'][short] = stats['errors'].get (short, 0) + 1
        message = call.error.message
        if message.startswith ('GDBus.Error:'):
            message = message.split (': ', 1)[1] if ': ' in message else ''
        if name not in ALLOWED_ERRORS:
            return 'error %s: %s' % (name, call.error.message[:2000])
        if not (message or '').strip ():
            return 'error %s without a message' % name
        if len (message) > MAX_ERROR_MESSAGE:
            return 'error %s with a message of %d bytes: %s...' % (name, len (message),
                                                                    message[:300])
        return None

    def test_storm (self):
        seed = int (os.environ.get ('LPC_ROBUSTNESS_SEED') or random.SystemRandom ().randrange (1 << 32))
        print ('robustness: seed %d (LPC_ROBUSTNESS_SEED=%d replays it)' % (seed, seed), flush=True)
        rng = random.Random (seed)
        pid = self.daemon.pid
        talk_ids = sorted (t['id'] for t in self.talks (kind='all'))
        storm = Storm (rng, lpctest.contract (), talk_ids, lpctest.timetable_path ())

        conn = self.gio_connection ()
        changed = set ()

        def on_agenda_changed (connection, sender, path, iface, signal, params):
            changed.update (params.unpack ()[0])

        conn.signal_subscribe (None, IFACE, 'AgendaChanged', OBJECT_PATH, None,
                               Gio.DBusSignalFlags.NONE, on_agenda_changed)

        stats = {'calls': 0, 'ok': 0, 'hangs': 0, 'errors': {}}
        problems = []

        # Leaks, first: REPLAY_CALLS calls of the storm without its big
        # values, once to keep those that change nothing (refused ones, and
        # those of methods that only read), then REPLAY_WARM_ROUNDS +
        # REPLAY_ROUNDS times over; the allocated bytes are read after the
        # warm rounds and after the last.
        live = []        # allocated bytes after each measured round
        leak_per_call = None
        rss_start = rss_end = None
        replay = [storm.call (burst=True) for _ in range (REPLAY_CALLS)]
        # A call refused once may go through the next time (a Skip of what
        # a later Add put on the agenda): sent again until none does.
        for _ in range (4):
            calls, replay = replay, []
            for call in calls:
                again = call.copy ()
                again.no_reply = False
                self.send (conn, [again])
                stats['calls'] += 1
                problem = self.check_answer (again, stats)
                if problem:
                    problems.append ('%s\n    call: %s' % (problem, again.describe ()))
                if changes_nothing (again):
                    replay.append (again)
            if len (replay) == len (calls):
                break
        replay_start = time.monotonic ()
        checked = memory_checked_process (pid)
        if checked:
            self.assertIsNone (self.probe_socket, 'the leak probe was given to a memory-checked daemon')
        else:
            self.assertIsNotNone (self.probe_socket, 'a daemon without a memory checker needs the probe')
        trace = os.environ.get ('LPC_ROBUSTNESS_TRACE')
        for i in range (0 if checked else REPLAY_WARM_ROUNDS + REPLAY_ROUNDS):
            if self.daemon.poll () is not None or problems:
                break
            # (pipelined: they change nothing, so their order does not matter)
            for first in range (0, len (replay), REPLAY_BATCH):
                batch = replay[first:first + REPLAY_BATCH]
                again = [c.copy () for c in batch]
                self.send (conn, again)
                stats['calls'] += len (again)
                for call, answer in zip (batch, again):
                    problem = self.check_answer (answer, stats)
                    if problem:
                        problems.append ('%s (replayed)\n    call: %s' % (problem, answer.describe ()))
                    elif remote_error_name (answer.error) != remote_error_name (call.error):
                        problems.append ('replayed, it got %s, the first time %s\n    call: %s'
                                         % (answer.error and answer.error.message,
                                            call.error and call.error.message, answer.describe ()))
            if i >= REPLAY_WARM_ROUNDS - 1:
                live.append (allocated_bytes (self.probe_socket))
                rss_end = rss_kib (pid)
                rss_start = rss_start or rss_end
            if trace:
                print ('round %d (%.1f s): %s bytes allocated, RSS %d KiB'
                       % (i, time.monotonic () - replay_start, live[-1] if live else '-',
                          rss_kib (pid)), flush=True)
        spans = [live[k + REPLAY_SPAN] - live[k] for k in range (len (live) - REPLAY_SPAN)]
        leak_per_call = (statistics.median (spans) / (REPLAY_SPAN * len (replay))
                         if spans and replay else None)
        if trace:
            print ('robustness: the replay took %.1f s' % (time.monotonic () - replay_start))

        # The storm.
        start = time.monotonic ()
        end = start + STORM_SECONDS
        warm_up = storm.warm_up ()
        slowest = (0, None)
        gen_time = 0
        while time.monotonic () < end and len (problems) < 10:
            t0 = time.monotonic ()
            if warm_up:
                calls = [warm_up.pop (0)]
            elif rng.random () < 0.05:
                calls = [storm.call (burst=True) for _ in range (rng.randint (5, 40))]
            else:
                calls = [storm.call ()]
            gen_time += time.monotonic () - t0
            self.send (conn, calls)
            stats['calls'] += len (calls)
            for call in calls:
                if call.elapsed is not None and call.elapsed > slowest[0]:
                    slowest = (call.elapsed, call.describe ()[:300])
                if os.environ.get ('LPC_ROBUSTNESS_TRACE') and call.elapsed is not None:
                    print ('%.3f %s' % (call.elapsed, call.describe ()[:200]), flush=True)
                problem = self.check_answer (call, stats)
                if problem:
                    problems.append ('%s\n    call: %s' % (problem, call.describe ()))
            if self.daemon.poll () is not None or any (
                    remote_error_name (c.error) in (DBUS_ERROR_PREFIX + 'NoReply',
                                                    DBUS_ERROR_PREFIX + 'ServiceUnknown')
                    for c in calls if c.error is not None):
                problems.append ('the daemon is gone after: %s'
                                 % '\n    '.join (c.describe () for c in calls))
                break
            if conn.is_closed ():
                problems.append ('the bus closed our connection after: %s (a call the storm '
                                 'should not make)' % '\n    '.join (c.describe () for c in calls))
                conn = self.gio_connection ()
                conn.signal_subscribe (None, IFACE, 'AgendaChanged', OBJECT_PATH, None,
                                       Gio.DBusSignalFlags.NONE, on_agenda_changed)

        # a last round trip, so every AgendaChanged sent before it is in
        conn.call_sync (BUS_NAME, OBJECT_PATH, 'org.freedesktop.DBus.Peer', 'Ping', None, None,
                        Gio.DBusCallFlags.NONE, int (CALL_TIMEOUT * 1000), None)
        ctx = GLib.MainContext.default ()
        while ctx.pending ():
            ctx.iteration (False)
        rss_storm = rss_kib (pid)


        crashes = 0 if self.daemon.poll () is None and self.name_owner_pid () == pid else 1
        errors = ', '.join ('%s %d' % kv for kv in sorted (stats['errors'].items (),
                                                            key=lambda kv: -kv[1]))
        print ('robustness: seed %d, %d calls (%d ok, %d errors: %s; %d without reply), '
               '%d crashes, %d hangs, allocated bytes grew by %s a replayed call (%s to %s)'
               % (seed, stats['calls'], stats['ok'], sum (stats['errors'].values ()), errors,
                  stats.get ('no-reply', 0), crashes, stats['hangs'],
                  None if leak_per_call is None else '%.2f' % leak_per_call,
                  live and live[0], live and live[-1]),
               flush=True)
        print ('robustness: allocated bytes (and RSS: %s KiB, %s KiB, not judged) are those of the '
               'replay before the storm (%d rounds of %d calls after %d); RSS %d KiB after the storm'
               % (rss_start, rss_end, REPLAY_ROUNDS, len (replay), REPLAY_WARM_ROUNDS, rss_storm),
               flush=True)

        print ('robustness: the slowest answer took %.3f s: %s; making the calls took %.1f s'
               % (slowest[0], slowest[1], gen_time), flush=True)
        self.assertEqual (problems, [], 'seed %d:\n%s' % (seed, '\n'.join (problems)))
        self.assert_alive_with_name (pid, 'after the storm')
        # answered quickly once the storm is over
        t0 = time.monotonic ()
        self.assertEqual (len (self.talks ()), 226)
        self.assertLess (time.monotonic () - t0, 1.0 * lpctest.TIMEOUT_FACTOR,
                         'ListTalks after the storm took %.2f s' % (time.monotonic () - t0))
        # a storm that mostly bounced off tells little
        self.assertGreater (stats['ok'], stats['calls'] // 20, 'seed %d: too few calls got through' % seed)

        # Memory: flat over the replay.
        if checked:
            print ('robustness: allocated bytes not counted: the daemon runs under a memory checker, '
                   'which finds leaks itself')
        else:
            self.assertGreaterEqual (len (replay), REPLAY_CALLS * 0.8,
                                     'seed %d: too few calls to replay' % seed)
            self.assertEqual (len (live), REPLAY_ROUNDS + 1)
            self.assertLessEqual (leak_per_call, LEAK_BYTES_PER_CALL,
                                  'seed %d: the daemon\'s allocated bytes grew by %.1f bytes a replayed '
                                  'call (a leak; the median growth over %d rounds, of %d calls each); '
                                  'by round: %s' % (seed, leak_per_call, REPLAY_SPAN, len (replay), live))

        # The agenda: what no AgendaChanged named is as it was, and the rest
        # is a valid agenda of the program's talks.
        after = {i['id']: i for i in self.agenda_items ()}
        for tid, item in self.before.items ():
            if tid in changed:
                continue
            self.assertIn (tid, after, 'seed %d: %s left the agenda without an AgendaChanged'
                           % (seed, tid))
            self.assertEqual ({k: after[tid].get (k) for k in STABLE_FIELDS},
                              {k: item.get (k) for k in STABLE_FIELDS},
                              'seed %d: %s changed without an AgendaChanged' % (seed, tid))
        ids = set (talk_ids)
        records = self.agenda ().GetAgenda (dbus.Dictionary ({}, signature='sv'))
        for r in records:
            tid = str (r['id'])
            self.assertIn (tid, ids, 'seed %d: the agenda holds an id of no talk' % seed)
            self.assertTrue (tid in self.before or tid in changed,
                             'seed %d: %s came onto the agenda without an AgendaChanged' % (seed, tid))
            for key, sig in (('priority', 'u'), ('state', 's'), ('note', 's'), ('remind', 's'),
                             ('added', 'x'), ('conflicts', 'as')):
                self.assertEqual (dbus_signature_of (r[key]), sig, '%s of %s' % (key, tid))
            self.assertIn (int (r['priority']), range (1, 6), tid)
            self.assertIn (str (r['state']), AGENDA_STATES, tid)
        print ('robustness: %d picks before, %d after; AgendaChanged named %d ids; %d of the '
               'first picks untouched' % (len (self.before), len (after), len (changed),
                                         len (set (self.before) - changed)))


class ReplySizeTest (RobustnessTestCase):
    """A program of 100,000 entries: a whole ListTalks is too big for one
    message on the harness's bus (dbus-daemon's default limit, 32 MiB)."""

    start_daemon = False
    N_ENTRIES = 100000

    def setUp (self):
        super ().setUp ()
        self.skip_if_wrapped ('a program of 100,000 entries and replies of 40 MiB take too long')
        generator = os.path.join (lpctest.build_root (), 'bench', 'gen-program')
        self.require_built (generator, 'program generator (bench/gen-program)')
        self.program = os.path.join (self.tmpdir, 'program-100k.txt')
        with open (self.program, 'wb') as f:
            subprocess.run ([generator, str (self.N_ENTRIES)], stdout=f, check=True, timeout=60)
        argv = self.agendad_argv (program=self.program)
        self.daemon = LoggedProcess ('lpc-agendad', argv, self.env,
                                     os.path.join (self.tmpdir, 'lpc-agendad-big.log'),
                                     cwd=self.tmpdir)
        self.daemons.append (self.daemon)
        self.wait_for_name (BUS_NAME, process=self.daemon, timeout=lpctest.START_TIMEOUT * 3)

    def list_talks (self, **filter_):
        return self.agenda ().ListTalks (dbus.Dictionary (filter_, signature='sv'),
                                         timeout=120 * lpctest.TIMEOUT_FACTOR)

    def test_whole_program_list_talks_refused_by_name (self):
        pid = self.daemon.pid
        for f in ({}, {'kind': 'all'}, {'kind': 'all', 'details': True}):
            with self.subTest (filter=f):
                e = self.assertDBusError ('LimitExceeded', self.list_talks, **f)
                msg = e.get_dbus_message ()
                # how big, and how to ask instead
                self.assertRegex (msg, r'would be \d+\.\d MiB', msg)
                for word in ('day', 'offset', 'limit'):
                    self.assertIn (word, msg)
                self.assert_alive_with_name (pid, 'after ListTalks %r' % f)
        # the limit it suggests gives a page that goes through
        e = self.assertDBusError ('LimitExceeded', self.list_talks)
        suggested = int (e.get_dbus_message ().split ('(limit ', 1)[1].split ()[0])
        page = self.list_talks (limit=dbus.UInt32 (suggested))
        self.assertEqual (len (page), suggested)
        self.assert_alive_with_name (pid, 'after a page')

    def test_cli_list_pages (self):
        # `lpc-agenda list` pages through a listing too big for one message
        n_talks = int (self.agenda ().GetStatus ()['talks'])
        rc, out, err = self.run_cli ('list', '--ids', timeout=300)
        self.assertEqual (rc, 0, err)
        ids = out.split ()
        self.assertEqual (len (ids), n_talks)
        self.assertEqual (len (set (ids)), n_talks)
        self.assertEqual (ids[:3], [str (t['id']) for t in self.list_talks (limit=dbus.UInt32 (3))])
        self.assert_alive_with_name (self.daemon.pid, 'after lpc-agenda list')

    def test_pages_add_up (self):
        day = [unwrap (t) for t in self.list_talks (day='tue', kind='all')]
        self.assertGreater (len (day), 10000)
        pages = []
        offset, size = 0, 7001
        while True:
            page = [unwrap (t) for t in self.list_talks (day='tue', kind='all',
                                                         offset=dbus.UInt32 (offset),
                                                         limit=dbus.UInt32 (size))]
            pages.extend (page)
            if len (page) < size:
                break
            offset += size
        self.assertEqual ([t['id'] for t in pages], [t['id'] for t in day])
        self.assertEqual (pages, day)
        # past the end: empty; no limit: the rest
        self.assertEqual (len (self.list_talks (day='tue', offset=dbus.UInt32 (2 ** 32 - 1))), 0)
        rest = self.list_talks (day='tue', kind='all', offset=dbus.UInt32 (len (day) - 3))
        self.assertEqual ([str (t['id']) for t in rest], [t['id'] for t in day[-3:]])
        self.assert_alive_with_name (self.daemon.pid, 'after paging')


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
