#!/usr/bin/env python3
# syscall-filter.py SYSTEMD-ANALYZE UNIT DAEMON PROGRAM: does the daemon stay
# within the unit's SystemCallFilter=?
#
# No systemd user manager is needed (nor, usually, available on a build
# machine): this resolves the unit's SystemCallFilter= lines into the set of
# system calls they allow (with `systemd-analyze syscall-filter`), runs DAEMON
# under strace -f on a private bus with a throwaway database and PROGRAM,
# drives it through the D-Bus calls a session makes (list, add, agenda,
# properties, conflicts, remove), stops it with SIGTERM, and fails on any
# system call it made that the filter would have refused (with EPERM, under
# SystemCallErrorNumber=: a call the daemon then handles as a failure).
# The integration suite covers far more paths; run it under
# LPC_TEST_WRAPPER='strace -D -f -qq -ff -o DIR/t' to check those too.
#
# Exit 77 (skipped) when strace, dbus-daemon or gdbus is missing or ptrace is
# not allowed here.
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
BUS_NAME = 'org.lpcagenda.Agenda1'
OBJECT_PATH = '/org/lpcagenda/Agenda1'
IFACE = 'org.lpcagenda.Agenda1'


def groups (analyze):
    """{'@group': [members]} from `systemd-analyze syscall-filter`."""
    out = subprocess.run ([analyze, 'syscall-filter', '--no-pager'], check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    result, current = {}, None
    for line in out.splitlines ():
        if line.startswith ('@'):
            current = result.setdefault (line.strip (), [])
        elif line.startswith ('    ') and current is not None:
            word = line.strip ()
            if word and not word.startswith ('#'):
                current.append (word)
        elif not line.strip ():
            current = None
    return result


def expand (names, table, seen=None):
    seen = set () if seen is None else seen
    calls = set ()
    for name in names:
        if name.startswith ('@'):
            if name in seen:
                continue
            seen.add (name)
            if name not in table:
                raise SystemExit ('unknown system call group %s' % name)
            calls |= expand (table[name], table, seen)
        else:
            calls.add (name)
    return calls


def allowed_calls (unit, table):
    """The calls the unit's SystemCallFilter= lines allow, as systemd reads
    them: the first line that is an allow list starts the set, later deny
    lists (~) take from it, later allow lists add to it."""
    allowed = None
    lines = []
    with open (unit) as f:
        for line in f:
            m = re.match (r'\s*SystemCallFilter\s*=\s*(.*)$', line)
            if m:
                lines.append (m.group (1).strip ())
    if not lines:
        raise SystemExit ('%s has no SystemCallFilter=' % unit)
    for value in lines:
        deny = value.startswith ('~')
        calls = expand (value.lstrip ('~').split (), table)
        if allowed is None:
            if deny:
                raise SystemExit ('%s: a deny-list-only filter is not handled here' % unit)
            allowed = calls
        elif deny:
            allowed -= calls
        else:
            allowed |= calls
    return allowed, lines


def gdbus (address, *args):
    return subprocess.run (['gdbus', 'call', '--address', address, '--dest', BUS_NAME,
                            '--object-path', OBJECT_PATH] + list (args),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30)


def main ():
    analyze, unit, daemon, program = sys.argv[1:5]
    for tool in ('strace', 'dbus-daemon', 'gdbus'):
        if shutil.which (tool) is None:
            print ('skipped: no %s' % tool)
            return SKIP
    if subprocess.run (['strace', '-qq', '-o', os.devnull, 'true']).returncode != 0:
        print ('skipped: strace cannot trace here (ptrace not allowed)')
        return SKIP

    table = groups (analyze)
    allowed, lines = allowed_calls (unit, table)
    print ('SystemCallFilter=%s: %d calls allowed' % (' | '.join (lines), len (allowed)))

    with tempfile.TemporaryDirectory (prefix='lpc-syscalls-') as tmp:
        conf = os.path.join (tmp, 'bus.conf')
        os.mkdir (os.path.join (tmp, 'services'))
        with open (conf, 'w') as f:
            f.write ('<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"'
                     ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">'
                     '<busconfig><type>session</type><listen>unix:tmpdir=%s</listen>'
                     '<servicedir>%s/services</servicedir><policy context="default">'
                     '<allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>'
                     '<allow own="*"/></policy></busconfig>\n' % (tmp, tmp))
        bus = subprocess.Popen (['dbus-daemon', '--nofork', '--print-address=1',
                                 '--config-file', conf],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        agendad = None
        try:
            address = bus.stdout.readline ().strip ()
            env = {'PATH': os.environ.get ('PATH', '/usr/bin:/bin'), 'HOME': tmp,
                   'XDG_DATA_HOME': os.path.join (tmp, 'data'),
                   'XDG_RUNTIME_DIR': tmp, 'DBUS_SESSION_BUS_ADDRESS': address,
                   'LC_ALL': 'C.UTF-8', 'TZ': 'America/New_York'}
            trace = os.path.join (tmp, 'trace')
            log = open (os.path.join (tmp, 'daemon.log'), 'w')
            # -D: strace runs beside the daemon, which keeps its pid and gets
            # the SIGTERM itself.
            agendad = subprocess.Popen (['strace', '-D', '-f', '-qq', '-o', trace, daemon,
                                         '--db', os.path.join (tmp, 'data', 'agenda.db'),
                                         '--program', program],
                                        env=env, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic () + 60
            while gdbus (address, '--method', 'org.freedesktop.DBus.Peer.Ping').returncode != 0:
                if agendad.poll () is not None or time.monotonic () > deadline:
                    log.close ()
                    print (open (os.path.join (tmp, 'daemon.log')).read ())
                    print ('FAIL: the daemon did not come up on the bus')
                    return 1
                time.sleep (0.2)

            talks = gdbus (address, '--method', IFACE + '.ListTalks', '{}')
            ids = re.findall (r"'id': <'([^']+)'>", talks.stdout)
            steps = [
                ('ListTalks', talks),
                ('Add', gdbus (address, '--method', IFACE + '.Add', ids[0] if ids else 'none',
                               "{'priority': <uint32 4>}")),
                ('GetAgenda', gdbus (address, '--method', IFACE + '.GetAgenda', '{}')),
                ('GetStatus', gdbus (address, '--method', IFACE + '.GetStatus')),
                ('Set LeadTime', gdbus (address, '--method', 'org.freedesktop.DBus.Properties.Set',
                                        IFACE, 'LeadTime', '<uint32 7>')),
                ('GetAll', gdbus (address, '--method', 'org.freedesktop.DBus.Properties.GetAll',
                                  IFACE)),
                ('Remove', gdbus (address, '--method', IFACE + '.Remove',
                                  ids[0] if ids else 'none')),
            ]
            failed = [name for name, p in steps if p.returncode != 0]
            for name, p in steps:
                if p.returncode != 0:
                    print ('%s failed: %s' % (name, p.stdout.strip ()[:500]))
            agendad.send_signal (signal.SIGTERM)
            rc = agendad.wait (30)
            agendad = None
            log.close ()
            if failed or rc != 0:
                print (open (os.path.join (tmp, 'daemon.log')).read ())
                print ('FAIL: the daemon did not work under strace (calls failed: %s; exit %d)'
                       % (', '.join (failed) or 'none', rc))
                return 1

            # The strace may still be writing its last lines.
            time.sleep (0.5)
            used = {}
            call = re.compile (r'^\d+\s+(?:<\.\.\. )?([a-z_][a-z0-9_]*)(?:\(| resumed>)')
            with open (trace) as f:
                for line in f:
                    m = call.match (line)
                    if m:
                        used[m.group (1)] = used.get (m.group (1), 0) + 1
        finally:
            if agendad is not None:
                agendad.kill ()
                agendad.wait ()
            bus.terminate ()
            bus.wait ()

    denied = sorted (c for c in used if c not in allowed)
    print ('the daemon made %d different system calls: %s'
           % (len (used), ' '.join (sorted (used))))
    if os.geteuid () == 0 and 'fchown' in denied:
        # SQLite gives a new journal or WAL file the database's owner when
        # it runs as root, and ignores a failure; as a user it never calls it.
        print ('as root: fchown (SQLite\'s, root only, its failure ignored) not counted')
        denied.remove ('fchown')
    if denied:
        print ('FAIL: refused by the unit\'s SystemCallFilter=: %s' % ' '.join (denied))
        return 1
    print ('ok: every one of them is allowed by the unit\'s filter')
    return 0


if __name__ == '__main__':
    sys.exit (main ())
