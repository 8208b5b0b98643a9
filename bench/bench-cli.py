#!/usr/bin/python3
# bench-cli.py: issue 3's benchmarks, on a private bus of their own (never the
# user's session), with lpc-agendad from the build tree and a throwaway
# database.  Prints every figure with its unit and its target.
#
#   latency      `lpc-agenda add ID` and `lpc-agenda remove ID` as whole
#                processes, median over --runs (>= 50), as a ratio to
#                `busctl --user call org.freedesktop.DBus ... GetId` measured
#                in the same run (target <= 1.5x)
#   concurrency  --clients (20) python-dbus processes x --calls (500) calls,
#                a mix of ListTalks/Add/Remove/GetAgenda: errors (target 0)
#                and calls/s
#   rss          lpc-agendad's idle VmRSS against floor-daemon's (a daemon
#                that only owns a name with one method, calls notify_init and
#                opens an SQLite file), both after settling, on a first start
#                (program parsed and imported) and a second start (program
#                loaded from the store) (target <= 1.25x each)
#   wakeups      the daemon's voluntary context switches (all threads) over
#                60 s with nothing due (target 0); --short: 10 s
#
# Usage: bench-cli.py [--only latency|concurrency|rss|wakeups] [--short]
#                     [--daemon PATH] [--cli PATH] [--floor PATH] [--program FILE]
# Exit status: 1 when a benchmark could not run or a call failed (errors are
# not timing); a missed timing target is printed, not an exit status.

import argparse
import multiprocessing
import os
import statistics
import subprocess
import time

import benchlib                  # noqa: E402  (the world, /proc readings, the loop)
from benchlib import BUS_NAME, World, agenda, proc_status, switches, target  # noqa: E402
import dbus                      # noqa: E402
import lpctest                   # noqa: E402  (benchlib put it on the path)

FLOOR_NAME = 'org.lpcagenda.Floor1'


def start_agendad (world, args, tag):
    db = os.path.join (world.tmpdir, tag + '.db')
    return world.start ('lpc-agendad-' + tag, [args.daemon, '--db', db, '--program', args.program],
                        BUS_NAME)


def pick_talk (world, index=0):
    talks = agenda (world.conn).ListTalks (dbus.Dictionary ({'day': 'mon'}, signature='sv'))
    return str (talks[index]['id'])


# latency -----------------------------------------------------------------

def timed (argv, env):
    t0 = time.perf_counter ()
    p = subprocess.run (argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.perf_counter () - t0
    if p.returncode != 0:
        raise RuntimeError ('%s: exit %d: %s' % (' '.join (argv), p.returncode, p.stderr.decode ()))
    return t


def bench_latency (world, args):
    daemon = start_agendad (world, args, 'latency')
    tid = pick_talk (world, 1)
    busctl = ['busctl', '--user', 'call', 'org.freedesktop.DBus', '/org/freedesktop/DBus',
              'org.freedesktop.DBus', 'GetId']
    add, remove, base = [], [], []
    # one warm-up round (page cache), then the three measures interleaved so
    # they share the machine's conditions
    timed (busctl, world.env)
    timed ([args.cli, 'add', tid], world.env)
    timed ([args.cli, 'remove', tid], world.env)
    for _ in range (args.runs):
        base.append (timed (busctl, world.env))
        add.append (timed ([args.cli, 'add', tid], world.env))
        remove.append (timed ([args.cli, 'remove', tid], world.env))
    m_base, m_add, m_remove = (statistics.median (x) * 1000 for x in (base, add, remove))
    print ('latency: %d runs each, talk %s' % (args.runs, tid))
    print ('  busctl --user call ... GetId   median %.2f ms (min %.2f, max %.2f)'
           % (m_base, min (base) * 1000, max (base) * 1000))
    print ('  lpc-agenda add ID              median %.2f ms (min %.2f, max %.2f)'
           % (m_add, min (add) * 1000, max (add) * 1000))
    print ('  lpc-agenda remove ID           median %.2f ms (min %.2f, max %.2f)'
           % (m_remove, min (remove) * 1000, max (remove) * 1000))
    for what, m in (('add', m_add), ('remove', m_remove)):
        ratio = m / m_base
        print ('  %-6s / busctl GetId ratio: %.2fx (%s)' % (what, ratio, target (ratio <= 1.5, '<= 1.5x')))
    world.stop (daemon)
    return 0


# concurrency ---------------------------------------------------------------

def worker (address, tid, calls, barrier, results):
    conn = dbus.bus.BusConnection (address)
    api = agenda (conn)
    empty = dbus.Dictionary ({}, signature='sv')
    ops = (lambda: api.ListTalks (empty),
           lambda: api.Add (tid, empty),
           lambda: api.GetAgenda (empty),
           lambda: api.Remove (tid))
    errors = []
    barrier.wait ()
    t0 = time.perf_counter ()
    for i in range (calls):
        try:
            ops[i % 4] ()
        except dbus.exceptions.DBusException as e:
            errors.append ('%s: %s' % (e.get_dbus_name (), e.get_dbus_message ()))
    results.put ((calls, len (errors), time.perf_counter () - t0, errors[:3]))
    conn.close ()


def bench_concurrency (world, args):
    daemon = start_agendad (world, args, 'concurrency')
    talks = agenda (world.conn).ListTalks (dbus.Dictionary ({}, signature='sv'))
    ids = [str (t['id']) for t in talks]
    ctx = multiprocessing.get_context ('spawn')
    barrier = ctx.Barrier (args.clients + 1)
    results = ctx.Queue ()
    procs = [ctx.Process (target=worker, args=(world.bus.address, ids[i % len (ids)], args.calls,
                                              barrier, results))
             for i in range (args.clients)]
    for p in procs:
        p.start ()
    barrier.wait ()
    t0 = time.perf_counter ()
    cpu0 = cpu_seconds (daemon.pid)
    got = [results.get (timeout=600) for _ in procs]
    wall = time.perf_counter () - t0
    cpu = cpu_seconds (daemon.pid) - cpu0
    for p in procs:
        p.join ()
    total = sum (g[0] for g in got)
    errors = sum (g[1] for g in got)
    crashed = sum (1 for p in procs if p.exitcode != 0)
    print ('concurrency: %d clients x %d calls (ListTalks {} / Add / GetAgenda / Remove)'
           % (args.clients, args.calls))
    print ('  calls: %d in %.2f s' % (total, wall))
    print ('  throughput: %.0f calls/s' % (total / wall))
    print ('  slowest client: %.2f s, fastest %.2f s' % (max (g[2] for g in got), min (g[2] for g in got)))
    print ('  daemon CPU: %.2f s = %.0f%% of one core over the run, %.0f us per call '
           '(the rest is the %d python-dbus clients on %d CPUs)'
           % (cpu, 100 * cpu / wall, 1e6 * cpu / total, args.clients, os.cpu_count ()))
    print ('  errors: %d (%s)' % (errors + crashed, target (errors + crashed == 0, '0')))
    for g in got:
        for e in g[3]:
            print ('    e.g. %s' % e)
    # where the daemon's time goes: each method alone, one client, in sequence
    api = agenda (world.conn)
    empty = dbus.Dictionary ({}, signature='sv')
    tid = ids[0]
    per_method = (('ListTalks {}', lambda: api.ListTalks (empty)),
                  ('ListTalks day=mon', lambda: api.ListTalks (dbus.Dictionary ({'day': 'mon'},
                                                                             signature='sv'))),
                  ('Add+Remove', lambda: (api.Add (tid, empty), api.Remove (tid))),
                  ('GetAgenda', lambda: api.GetAgenda (empty)))
    for label, call in per_method:
        c0 = cpu_seconds (daemon.pid)
        t0 = time.perf_counter ()
        for _ in range (200):
            call ()
        t = time.perf_counter () - t0
        c = cpu_seconds (daemon.pid) - c0
        print ('  alone, 200 x %-18s daemon CPU %5.0f us per call, round trip %5.0f us'
               % (label, 1e6 * c / 200, 1e6 * t / 200))
    alive = daemon.alive ()
    print ('  daemon alive afterwards: %s' % ('yes' if alive else 'NO'))
    agenda_left = len (agenda (world.conn).GetAgenda (dbus.Dictionary ({}, signature='sv')))
    print ('  agenda items left: %d (expected 0: each client removed what it added)' % agenda_left)
    world.stop (daemon)
    return 1 if errors or crashed or not alive or agenda_left else 0


# rss and wake-ups ----------------------------------------------------------

def cpu_seconds (pid):
    """User + system CPU time of @pid, all threads, in seconds."""
    with open ('/proc/%d/stat' % pid) as f:
        fields = f.read ().rsplit (')', 1)[1].split ()
    return (int (fields[11]) + int (fields[12])) / os.sysconf ('SC_CLK_TCK')


def kib (value):
    return int (value.split ()[0])


def rss (pid):
    s = proc_status (pid)
    return kib (s['VmRSS']), kib (s.get ('RssAnon', '0 kB')), kib (s.get ('RssFile', '0 kB'))


def bench_rss (world, args):
    """The daemon's idle RSS on a first start (the program parsed and
    imported into a fresh database) and on a second start (the program
    loaded from that database), each against the floor daemon's."""
    floor = world.start ('floor-daemon', [args.floor, '--db', os.path.join (world.tmpdir, 'floor.db')],
                         FLOOR_NAME)
    dbus.Interface (world.conn.get_object (FLOOR_NAME, '/org/lpcagenda/Floor1'),
                    'org.lpcagenda.Floor1').Ping ()
    empty = dbus.Dictionary ({}, signature='sv')
    worst = 0
    print ('rss: after %.0f s idle (the daemon with the program loaded and 3 picks)' % args.settle)
    for start in ('first', 'second'):
        daemon = start_agendad (world, args, 'rss')
        api = agenda (world.conn)
        # the same calls on both starts; the second start's Adds find the
        # picks already on the agenda
        for i in (0, 1, 2):
            api.Add (pick_talk (world, i), empty)
        time.sleep (args.settle)
        d_rss, d_anon, d_file = rss (daemon.pid)
        f_rss, f_anon, f_file = rss (floor.pid)
        ratio = d_rss / f_rss
        worst = max (worst, ratio)
        print ('  %-6s start: lpc-agendad VmRSS %6d KiB (%.1f MiB; anon %d KiB, file %d KiB)'
               % (start, d_rss, d_rss / 1024, d_anon, d_file))
        print ('                floor-daemon VmRSS %6d KiB (%.1f MiB; anon %d KiB, file %d KiB)'
               % (f_rss, f_rss / 1024, f_anon, f_file))
        print ('                ratio: %.3fx (%s)' % (ratio, target (ratio <= 1.25, '<= 1.25x')))
        if start == 'second':
            # For information, not the target's condition: a listing of the
            # whole program leaves the allocator holding the high-water mark
            # of its reply.
            api.ListTalks (dbus.Dictionary ({'kind': 'all'}, signature='sv'))
            time.sleep (args.settle)
            d_rss, d_anon, d_file = rss (daemon.pid)
            print ('  after one ListTalks {kind: all}: lpc-agendad VmRSS %6d KiB (anon %d KiB), '
                   '%.3fx the floor (information)' % (d_rss, d_anon, d_rss / f_rss))
        world.stop (daemon)
    print ('  worse ratio of the two starts: %.3fx (%s)' % (worst, target (worst <= 1.25, '<= 1.25x')))
    world.stop (floor)
    return 0


def bench_wakeups (world, args):
    daemon = start_agendad (world, args, 'wakeups')
    floor = world.start ('floor-daemon', [args.floor, '--db', os.path.join (world.tmpdir, 'floor2.db')],
                         FLOOR_NAME)
    time.sleep (args.settle)
    period = 10 if args.short else 60
    before = {'lpc-agendad': switches (daemon.pid), 'floor-daemon': switches (floor.pid)}
    time.sleep (period)
    after = {'lpc-agendad': switches (daemon.pid), 'floor-daemon': switches (floor.pid)}
    print ('wakeups: voluntary context switches over %d s with nothing due' % period)
    for name in ('lpc-agendad', 'floor-daemon'):
        b, a = before[name], after[name]
        total = 0
        per_thread = []
        for tid, (comm, vol, nonvol) in a.items ():
            vol0 = b.get (tid, (comm, 0, 0))[1]
            total += vol - vol0
            per_thread.append ('%s:%d' % (comm, vol - vol0))
        new_threads = len (set (a) - set (b))
        line = '  %-12s %d voluntary switches (threads: %s%s)' % (
            name, total, ', '.join (per_thread),
            '; %d new thread(s)' % new_threads if new_threads else '')
        if name == 'lpc-agendad':
            line += ' (%s)' % target (total == 0, '0')
        else:
            line += ' (reference)'
        print (line)
    world.stop (floor)
    world.stop (daemon)
    return 0


def main ():
    ap = argparse.ArgumentParser (description='issue 3 benchmarks of lpc-agendad and lpc-agenda')
    ap.add_argument ('--only', choices=('latency', 'concurrency', 'rss', 'wakeups'), action='append')
    ap.add_argument ('--short', action='store_true', help='10 s instead of 60 s for the wake-ups')
    ap.add_argument ('--runs', type=int, default=50)
    ap.add_argument ('--clients', type=int, default=20)
    ap.add_argument ('--calls', type=int, default=500)
    ap.add_argument ('--settle', type=float, default=3.0, help='seconds idle before measuring')
    ap.add_argument ('--daemon', default=os.environ.get ('LPC_AGENDAD', lpctest.daemon_path ()))
    ap.add_argument ('--cli', default=os.environ.get ('LPC_AGENDA', lpctest.cli_path ()))
    ap.add_argument ('--floor', default=os.environ.get (
        'LPC_FLOOR_DAEMON', os.path.join (lpctest.build_root (), 'bench', 'floor-daemon')))
    ap.add_argument ('--program', default=lpctest.timetable_path ())
    args = ap.parse_args ()
    if args.runs < 50:
        print ('note: --runs %d is below the 50 the issue asks for' % args.runs)
    for path in (args.daemon, args.cli, args.floor):
        if not os.access (path, os.X_OK):
            print ('not built: %s' % path)
            return 1
    benches = {'latency': bench_latency, 'concurrency': bench_concurrency, 'rss': bench_rss,
               'wakeups': bench_wakeups}
    return benchlib.run_benches (benches, args.only, World, args)


if __name__ == '__main__':
    raise SystemExit (main ())
