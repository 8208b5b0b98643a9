# benchlib.py: what the Python benchmarks share — a private world (temp
# HOME/XDG dirs, a private bus, the processes started on it), /proc readings,
# the target line, and the loop that runs the chosen benchmarks.

import os
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname (os.path.abspath (__file__))
sys.path.insert (0, os.path.join (os.path.dirname (HERE), 'tests', 'integration'))

import dbus                      # noqa: E402
import lpctest                   # noqa: E402  (the private bus and process helpers)

BUS_NAME = lpctest.BUS_NAME
OBJECT_PATH = lpctest.OBJECT_PATH
IFACE = lpctest.IFACE


class World:
    """A temp dir with HOME/XDG dirs, a private bus, and the processes we start."""

    # Exit statuses after SIGTERM that are not worth a warning.
    clean_exits = (0,)

    def __init__ (self, prefix='lpc-bench-'):
        self.tmpdir = tempfile.mkdtemp (prefix=prefix)
        home = os.path.join (self.tmpdir, 'home')
        runtime = os.path.join (self.tmpdir, 'runtime')
        services = os.path.join (self.tmpdir, 'services')
        for d in (home, runtime, services):
            os.makedirs (d)
        os.chmod (runtime, 0o700)
        self.env = {
            'PATH': os.environ.get ('PATH', '/usr/bin:/bin'),
            'HOME': home,
            'XDG_DATA_HOME': os.path.join (home, '.local', 'share'),
            'XDG_CONFIG_HOME': os.path.join (home, '.config'),
            'XDG_CACHE_HOME': os.path.join (home, '.cache'),
            'XDG_RUNTIME_DIR': runtime,
            'TZ': lpctest.TEST_TZ,
            'LC_ALL': 'C.UTF-8',
        }
        self.bus = lpctest.PrivateBus (self.tmpdir, self.env, [services])
        self.env['DBUS_SESSION_BUS_ADDRESS'] = self.bus.address
        self.conn = dbus.bus.BusConnection (self.bus.address)
        self.dbus = dbus.Interface (self.conn.get_object ('org.freedesktop.DBus',
                                                          '/org/freedesktop/DBus'),
                                    'org.freedesktop.DBus')
        self.procs = []

    def start (self, name, argv, bus_name):
        """Starts @argv and waits until it owns @bus_name."""
        p = lpctest.LoggedProcess (name, argv, self.env, os.path.join (self.tmpdir, name + '.log'),
                                   cwd=self.tmpdir)
        self.procs.append (p)
        deadline = time.monotonic () + 30
        while not self.dbus.NameHasOwner (bus_name):
            if p.poll () is not None:
                raise RuntimeError ('%s exited with %d:\n%s' % (name, p.poll (), p.output ()))
            if time.monotonic () > deadline:
                raise RuntimeError ('%s did not own %s' % (name, bus_name))
            time.sleep (0.01)
        return p

    def stop (self, p):
        rc = p.stop (signal.SIGTERM, 5)
        if rc not in self.clean_exits:
            print ('warning: %s exited with %s after SIGTERM' % (p.name, rc))
        return rc

    def close (self):
        for p in self.procs:
            if p.alive ():
                self.stop (p)
        try:
            self.conn.close ()
        except Exception:
            pass
        self.bus.stop ()
        shutil.rmtree (self.tmpdir, ignore_errors=True)


def agenda (conn):
    return dbus.Interface (conn.get_object (BUS_NAME, OBJECT_PATH, introspect=False), IFACE)


def target (ok, text):
    return '%s, target %s' % ('met' if ok else 'MISSED', text)


def proc_status (pid, tid=None):
    path = '/proc/%d/status' % pid if tid is None else '/proc/%d/task/%d/status' % (pid, tid)
    fields = {}
    with open (path) as f:
        for line in f:
            k, _, v = line.partition (':')
            fields[k] = v.strip ()
    return fields


def switches (pid):
    """{tid: (comm, voluntary, nonvoluntary)} for every thread of @pid."""
    out = {}
    for tid in sorted (int (t) for t in os.listdir ('/proc/%d/task' % pid)):
        try:
            s = proc_status (pid, tid)
            with open ('/proc/%d/task/%d/comm' % (pid, tid)) as f:
                comm = f.read ().strip ()
        except OSError:
            continue
        out[tid] = (comm, int (s['voluntary_ctxt_switches']), int (s['nonvoluntary_ctxt_switches']))
    return out


def run_benches (benches, names, make_world, *args):
    """Runs each of @names (all of @benches when empty) in a world of its
    own, as benches[name] (world, *args); a benchmark that cannot run prints why and the logs of what it
    started. Returns the exit status."""
    status = 0
    for name in names or list (benches):
        world = make_world ()
        try:
            status |= benches[name] (world, *args)
        except Exception as e:
            print ('%s: could not run: %s' % (name, e))
            for p in world.procs:
                print ('--- %s ---\n%s' % (p.name, p.output ()))
            status = 1
        finally:
            world.close ()
        sys.stdout.flush ()
    return status
