#!/usr/bin/env python3
"""bench-crowded-room: the cost of a program with thousands of talks in one
room at once (every pair of them clashes), through the real daemon.

For each size N: a schedule XML with N events in one room at the same hour
is written, the daemon starts with it as its --program (first start: parse,
import, index), `CheckProgram` is called, the daemon is stopped and started
again on the same database (what every later login does). Printed: the
daemon's peak RSS (VmHWM) on each start, the wall time from spawn to the bus
name, CheckProgram's records and total, and the same figures for an
N-event schedule whose events are spread over N rooms (no clash at all):
the crowded program must cost about what a sound one of its size costs.

    /usr/bin/python3 bench/bench-crowded-room.py [N ...]    (default 3000 10000)
"""

import os
import sys
import time

import benchlib

DAEMON = os.environ.get ('LPC_AGENDAD') or os.path.join (
    os.path.dirname (benchlib.HERE), 'build', 'daemon', 'lpc-agendad')


def write_schedule (path, n, crowded):
    with open (path, 'w') as f:
        f.write ('<?xml version="1.0" encoding="utf-8"?>\n<schedule>\n'
                 '<conference><title>Crowded %d</title>'
                 '<time_zone_name>Europe/Brussels</time_zone_name></conference>\n'
                 '<day index="1" date="2024-02-03">\n' % n)
        rooms = {}
        for i in range (n):
            rooms.setdefault ('Hall' if crowded else 'Room %d' % i, []).append (i)
        for room, events in rooms.items ():
            f.write ('<room name="%s">\n' % room)
            for i in events:
                f.write ('<event guid="ev-%d" id="%d"><date>2024-02-03T10:00:00+01:00</date>'
                         '<start>10:00</start><duration>00:30</duration><room>%s</room>'
                         '<title>Talk number %d</title><type>talk</type></event>\n'
                         % (i, i, room, i))
            f.write ('</room>\n')
        f.write ('</day>\n</schedule>\n')


def start_daemon (world, program, db):
    t0 = time.monotonic ()
    p = world.start ('lpc-agendad', [DAEMON, '--program', program, '--db', db],
                     benchlib.BUS_NAME)
    return p, time.monotonic () - t0


def peak_rss_kib (p):
    return int (benchlib.proc_status (p.pid)['VmHWM'].split ()[0])


def measure (world, n, crowded):
    kind = 'crowded' if crowded else 'spread'
    program = os.path.join (world.tmpdir, '%s-%d.xml' % (kind, n))
    db = os.path.join (world.tmpdir, '%s-%d.db' % (kind, n))
    write_schedule (program, n, crowded)
    p, first_start = start_daemon (world, program, db)
    api = benchlib.agenda (world.conn)
    t0 = time.monotonic ()
    records, total = api.CheckProgram (timeout=600)
    check = time.monotonic () - t0
    first_rss = peak_rss_kib (p)
    world.stop (p)
    p, second_start = start_daemon (world, program, db)
    benchlib.agenda (world.conn).GetStatus (timeout=600)
    second_rss = peak_rss_kib (p)
    world.stop (p)
    print ('%-7s %6d events: first start %7.1f ms, peak RSS %7.1f MiB; CheckProgram %6.1f ms, '
           '%d records of %d; restart %7.1f ms, peak RSS %7.1f MiB'
           % (kind, n, first_start * 1e3, first_rss / 1024, check * 1e3, len (records), total,
              second_start * 1e3, second_rss / 1024))
    sys.stdout.flush ()
    return first_rss, second_rss, int (total)


def main ():
    sizes = [int (a) for a in sys.argv[1:]] or [3000, 10000]
    status = 0
    for n in sizes:
        world = benchlib.World ()
        try:
            crowded = measure (world, n, True)
            spread = measure (world, n, False)
        finally:
            world.close ()
        pairs = n * (n - 1) // 2
        ratio = max (crowded[0], crowded[1]) / max (spread[0], spread[1])
        ok = crowded[2] == pairs and ratio <= 1.5
        print ('%d events: %d clashing pairs counted (expected %d); peak RSS crowded/spread %.2fx: %s'
               % (n, crowded[2], pairs, ratio,
                  benchlib.target (ok, 'exact count and <= 1.5x a sound program of its size')))
        status |= 0 if ok else 1
    return status


if __name__ == '__main__':
    sys.exit (main ())
