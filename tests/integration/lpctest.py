# lpctest.py: the integration-test harness for lpc-agenda.
#
# Every test gets a world of its own: a temporary directory holding HOME and
# the XDG directories, a private dbus-daemon with a config written here (its
# only service directory is the test's own; never the stock session config,
# whose service directories would let a real notification server be
# activated), and, unless the test says otherwise, the real lpc-agendad from
# the build tree with its database in that directory and the shipped program.
# Nothing here touches the user's session bus, data or notifications: child
# processes get an environment built from scratch, not a copy of ours.
#
# Run under /usr/bin/python3 (python3-dbus, python3-gi, python3-dbusmock).
# Each test file ends with lpctest.main(), so meson can run one test method
# per process:  /usr/bin/python3 tests/integration/test_cli.py Class.test_x
# Exit codes: 0 passed, 1 failed, 77 skipped (meson's convention).

import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

BUS_NAME = 'org.lpcagenda.Agenda1'
OBJECT_PATH = '/org/lpcagenda/Agenda1'
IFACE = 'org.lpcagenda.Agenda1'
ERROR_PREFIX = 'org.lpcagenda.Agenda1.Error.'
DBUS_ERROR_PREFIX = 'org.freedesktop.DBus.Error.'
NOTIFICATIONS_NAME = 'org.freedesktop.Notifications'

# The daemon and the tests run in a zone that is neither the conference's
# (America/Los_Angeles) nor UTC, so a time printed in the wrong zone shows.
TEST_TZ = 'Europe/Berlin'

# How long the harness waits for a process or a bus name, in seconds.  Generous
# so sanitizer and valgrind runs pass; a healthy run takes a fraction of it.
START_TIMEOUT = float (os.environ.get ('LPC_TEST_START_TIMEOUT', '20'))
STOP_TIMEOUT = float (os.environ.get ('LPC_TEST_STOP_TIMEOUT', '5'))

dbus.mainloop.glib.DBusGMainLoop (set_as_default=True)


# Paths ----------------------------------------------------------------------

def source_root ():
    root = os.environ.get ('LPC_SOURCE_ROOT')
    if root:
        return root
    return os.path.dirname (os.path.dirname (os.path.dirname (os.path.abspath (__file__))))


def build_root ():
    return os.environ.get ('LPC_BUILD_ROOT', '/tmp/build-itest')


def daemon_path ():
    return os.environ.get ('LPC_AGENDAD', os.path.join (build_root (), 'daemon', 'lpc-agendad'))


def cli_path ():
    return os.environ.get ('LPC_AGENDA', os.path.join (build_root (), 'client', 'lpc-agenda'))


def timetable_path ():
    return os.environ.get ('LPC_TEST_TIMETABLE',
                           os.path.join (source_root (), 'data', 'lpc2021-timetable.txt'))


def interface_xml_path ():
    return os.environ.get ('LPC_INTERFACE_XML',
                           os.path.join (source_root (), 'dbus', 'org.lpcagenda.Agenda1.xml'))


def build_services_dir ():
    """The build tree's activation directory (written by the daemon's build
    rules), or None when it holds no service file for us."""
    d = os.environ.get ('LPC_TEST_SERVICES_DIR', os.path.join (build_root (), 'tests', 'services'))
    if os.path.isfile (os.path.join (d, BUS_NAME + '.service')):
        return d
    return None


# Values ---------------------------------------------------------------------

def unwrap (value):
    """A python-dbus value as plain Python data (for comparisons)."""
    if isinstance (value, dbus.Boolean):
        return bool (value)
    if isinstance (value, (dbus.Byte, dbus.Int16, dbus.UInt16, dbus.Int32, dbus.UInt32,
                           dbus.Int64, dbus.UInt64)):
        return int (value)
    if isinstance (value, dbus.Double):
        return float (value)
    if isinstance (value, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str (value)
    if isinstance (value, dict):
        return {unwrap (k): unwrap (v) for k, v in value.items ()}
    if isinstance (value, dbus.Struct):
        return tuple (unwrap (v) for v in value)
    if isinstance (value, list):
        return [unwrap (v) for v in value]
    return value


def dbus_signature_of (value):
    """The D-Bus type code python-dbus decoded @value as ('s', 'x', 'as', ...)."""
    simple = [(dbus.Boolean, 'b'), (dbus.Byte, 'y'), (dbus.Int16, 'n'), (dbus.UInt16, 'q'),
              (dbus.Int32, 'i'), (dbus.UInt32, 'u'), (dbus.Int64, 'x'), (dbus.UInt64, 't'),
              (dbus.Double, 'd'), (dbus.String, 's'), (dbus.ObjectPath, 'o'),
              (dbus.Signature, 'g')]
    for cls, code in simple:
        if isinstance (value, cls):
            return code
    if isinstance (value, dbus.Dictionary):
        return 'a{%s}' % value.signature if value.signature else 'a{?}'
    if isinstance (value, dbus.Array):
        return 'a' + value.signature if value.signature else 'a?'
    if isinstance (value, dbus.Struct):
        return '(' + ''.join (dbus_signature_of (v) for v in value) + ')'
    return '?'


def rfc3339_utc (unix_seconds):
    return time.strftime ('%Y-%m-%dT%H:%M:%SZ', time.gmtime (unix_seconds))


# The private bus ------------------------------------------------------------

BUS_CONFIG = '''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- A private session bus for one lpc-agenda integration test. -->
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={socket_dir}</listen>
{servicedirs}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
{extra_policy}
  </policy>
</busconfig>
'''


class PrivateBus:
    """A dbus-daemon of our own: `dbus-daemon --config-file=F --print-address=1
    --nofork` with only the service directories we give it."""

    def __init__ (self, workdir, env, servicedirs, allow_other_users=False):
        self.workdir = workdir
        self.socket_dir = os.path.join (workdir, 'bus')
        os.makedirs (self.socket_dir, exist_ok=True)
        os.chmod (self.socket_dir, 0o755)
        self.config_path = os.path.join (workdir, 'bus.conf')
        self.log_path = os.path.join (workdir, 'dbus-daemon.log')
        dirs = '\n'.join ('  <servicedir>%s</servicedir>' % d for d in servicedirs)
        # A session bus only lets its own user connect; the AccessDenied test
        # needs another user on the bus, so the daemon's own check is what
        # refuses the call.
        extra = '    <allow user="*"/>' if allow_other_users else ''
        with open (self.config_path, 'w') as f:
            f.write (BUS_CONFIG.format (socket_dir=self.socket_dir, servicedirs=dirs,
                                        extra_policy=extra))
        self.log = open (self.log_path, 'wb')
        # The address comes on a pipe of its own; stdout and stderr (which
        # services it activates inherit) go to the log.
        rfd, wfd = os.pipe ()
        try:
            self.proc = subprocess.Popen (
                ['dbus-daemon', '--config-file=' + self.config_path,
                 '--print-address=%d' % wfd, '--nofork'],
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, env=env,
                cwd=workdir, pass_fds=[wfd])
        finally:
            os.close (wfd)
        self.address_pipe = os.fdopen (rfd, 'rb', buffering=0)
        self.address = self._read_address ()

    def _read_address (self):
        deadline = time.monotonic () + START_TIMEOUT
        buf = b''
        fd = self.address_pipe.fileno ()
        while b'\n' not in buf:
            left = deadline - time.monotonic ()
            if left <= 0 or self.proc.poll () is not None:
                raise RuntimeError ('dbus-daemon did not print its address: %s'
                                    % read_text (self.log_path))
            r, _, _ = select.select ([fd], [], [], left)
            if r:
                chunk = os.read (fd, 4096)
                if not chunk:
                    raise RuntimeError ('dbus-daemon closed its address pipe: %s'
                                        % read_text (self.log_path))
                buf += chunk
        address = buf.split (b'\n', 1)[0].decode ().strip ()
        if not address.startswith ('unix:'):
            raise RuntimeError ('unexpected bus address %r' % address)
        return address

    def stop (self):
        if self.proc.poll () is None:
            self.proc.terminate ()
            try:
                self.proc.wait (STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill ()
                self.proc.wait ()
        self.address_pipe.close ()
        self.log.close ()


def read_text (path, limit=200000):
    try:
        with open (path, 'rb') as f:
            data = f.read ()
    except OSError as e:
        return '(%s)' % e
    if len (data) > limit:
        data = b'[... %d bytes cut ...]\n' % (len (data) - limit) + data[-limit:]
    return data.decode ('utf-8', 'replace')


# A process we started (daemon, mock) whose output goes to a log file --------

class LoggedProcess:
    def __init__ (self, name, argv, env, log_path, cwd=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.log = open (log_path, 'ab')
        self.log.write (('$ %s\n' % ' '.join (argv)).encode ())
        self.log.flush ()
        self.proc = subprocess.Popen (argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                      stderr=subprocess.STDOUT, env=env, cwd=cwd)
        self.pid = self.proc.pid

    def poll (self):
        return self.proc.poll ()

    def alive (self):
        return self.proc.poll () is None

    def wait (self, timeout):
        """The exit code, or None when still running after @timeout seconds."""
        try:
            return self.proc.wait (timeout)
        except subprocess.TimeoutExpired:
            return None

    def send_signal (self, sig):
        if self.proc.poll () is None:
            self.proc.send_signal (sig)

    def stop (self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Sends @sig and waits; returns the exit code (negative: killed by a
        signal), or None when it had to be killed after @timeout."""
        if self.proc.poll () is None:
            self.proc.send_signal (sig)
            rc = self.wait (timeout)
            if rc is None:
                self.proc.kill ()
                self.proc.wait ()
        else:
            rc = self.proc.returncode
        if not self.log.closed:
            self.log.close ()
        return rc

    def kill (self):
        if self.proc.poll () is None:
            self.proc.kill ()
            self.proc.wait ()
        if not self.log.closed:
            self.log.close ()

    def output (self):
        return read_text (self.log_path)


class SignalRecorder:
    """Records a D-Bus signal as it arrives; wait_for() pumps the GLib main
    context until the wanted number of signals came or the timeout passed."""

    def __init__ (self, conn, signal_name, interface=IFACE, path=OBJECT_PATH, sender=BUS_NAME):
        self.signals = []
        self.match = conn.add_signal_receiver (self._on_signal, signal_name=signal_name,
                                               dbus_interface=interface, path=path,
                                               bus_name=sender)

    def _on_signal (self, *args):
        self.signals.append (tuple (unwrap (a) for a in args))

    def wait_for (self, count=1, timeout=5.0):
        ctx = GLib.MainContext.default ()
        deadline = time.monotonic () + timeout
        while len (self.signals) < count and time.monotonic () < deadline:
            if not ctx.iteration (False):
                time.sleep (0.005)
        return self.signals

    def remove (self):
        self.match.remove ()


# Memory checkers: sanitizers and valgrind ------------------------------------
#
# The sanitize and valgrind legs of CI (.ci/test-sanitize, .ci/test-valgrind)
# run these tests on other builds of the daemon and the CLI; what here is for
# them (MemoryCheckMixin and the functions below) does nothing in a plain run
# except look for reports that would never be there.
#
#   LPC_TEST_WRAPPER          a command (shell words) every daemon the harness
#                             starts, the daemon of the test's own activation
#                             file, and the CLI of run_cli() run under, e.g.
#                             "valgrind --tool=memcheck --leak-check=full ...".
#                             For valgrind each process logs to
#                             TMPDIR/valgrind-NAME-PID.log, and the test fails
#                             when any of those logs has an error or a
#                             definite leak.
#   LPC_TEST_WRAP_CLI         whether run_cli() uses the wrapper too: 'all'
#                             (default), 'none', or N: the first N calls of
#                             each test.
#   LPC_TEST_TIMEOUT_FACTOR   run_cmd()'s timeouts are multiplied by it.
#   LPC_TEST_STOP_TIMEOUT     how long a daemon gets to exit on SIGTERM (5 s).
#
# A sanitizer report (ASan, LSan, UBSan) in any *.log of the test's directory
# (the daemons' logs, the private bus's log, where the daemons it activates
# write) or on the stderr of a command run_cmd() ran fails the test, whatever
# the exit codes said.

TIMEOUT_FACTOR = float (os.environ.get ('LPC_TEST_TIMEOUT_FACTOR', '1'))

SANITIZER_REPORT = re.compile (
    r'^==\d+==ERROR: (AddressSanitizer|LeakSanitizer)'
    r'|^\S[^\n]*?: runtime error: '
    r'|^SUMMARY: (AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer)', re.M)

# What valgrind prints for an error as it happens (a log without its final
# ERROR SUMMARY, from a process that was killed, still shows these).
VALGRIND_ERROR = re.compile (
    r'^==\d+== (Invalid (read|write|free)|Mismatched free|Conditional jump or move'
    r'|Use of uninitialised|Syscall param|Source and destination overlap'
    r'|Argument \'\w+\' of function|Process terminating with default action of signal '
    r'(?!9 |15 ))', re.M)


# Why the reminder tests on a fast simulated clock skip under the wrapper.
# (The daemon's start-up no longer counts: a simulated clock starts when the
# daemon owns its name.)
SIMULATED_CLOCK_SKIP = ('the daemon\'s clock runs 30-60 times real time, and memcheck\'s seconds '
                        'per call move it minutes past what the test checks')


def wrapper ():
    """LPC_TEST_WRAPPER as a list of arguments ([] when unset)."""
    return shlex.split (os.environ.get ('LPC_TEST_WRAPPER', ''))


def wrapped ():
    return bool (wrapper ())


def program_of (pid):
    """The program @pid runs: its /proc/PID/exe, or, under LPC_TEST_WRAPPER,
    the first argument of its command line after the wrapper's options."""
    exe = os.path.realpath ('/proc/%d/exe' % pid)
    if not wrapped ():
        return exe
    with open ('/proc/%d/cmdline' % pid, 'rb') as f:
        args = [a.decode ('utf-8', 'replace') for a in f.read ().split (b'\0') if a]
    if not args or os.path.realpath (args[0]) == exe:
        return exe                    # not wrapped (a build tree's service file)
    for a in args[1:]:
        if not a.startswith ('-'):
            return os.path.realpath (a)
    return exe


def sanitizer_report_in (text):
    """The text of the first sanitizer report in @text, or None."""
    m = SANITIZER_REPORT.search (text)
    if m is None:
        return None
    start = text.rfind ('\n', 0, max (0, m.start () - 2000)) + 1
    return text[start:m.start () + 8000]


def valgrind_log_problem (path):
    """None when the valgrind log at @path shows no error and no definite
    leak, else a description with the log."""
    text = read_text (path)
    errors = [int (n.replace (',', '')) for n in re.findall (r'ERROR SUMMARY: ([\d,]+) errors', text)]
    lost = [int (n.replace (',', '')) for n in re.findall (r'definitely lost: ([\d,]+) bytes', text)]
    if errors:
        bad = any (errors) or any (lost)
    else:
        bad = VALGRIND_ERROR.search (text) is not None or any (lost)
    if not bad:
        return None
    return 'valgrind found errors (%s):\n%s' % (os.path.basename (path), text)


class MemoryCheckMixin:
    """The harness's side of the sanitize and valgrind legs (see above)."""

    def wrap_argv (self, argv, name):
        """@argv under LPC_TEST_WRAPPER, when set; valgrind gets a log file
        per process in the test's directory."""
        w = wrapper ()
        if not w:
            return list (argv)
        # an absolute path: a service file's Exec needs one
        w[0] = shutil.which (w[0]) or w[0]
        if os.path.basename (w[0]) == 'valgrind' and not any (a.startswith ('--log-file') for a in w):
            w.append ('--log-file=' + os.path.join (self.tmpdir, 'valgrind-%s-%%p.log' % name))
        return w + list (argv)

    def wrap_cli_argv (self, argv):
        """@argv (the CLI's) under the wrapper, as LPC_TEST_WRAP_CLI says:
        'all', 'none', or a number N: the first N run_cli() calls of a test."""
        which = os.environ.get ('LPC_TEST_WRAP_CLI', 'all')
        self._cli_runs = getattr (self, '_cli_runs', 0) + 1
        if which == 'none' or (which.isdigit () and self._cli_runs > int (which)):
            return list (argv)
        return self.wrap_argv (argv, 'lpc-agenda')

    def skip_if_wrapped (self, reason):
        """For the few tests that cannot work under valgrind (timing)."""
        if wrapped ():
            self.skipTest ('under %s: %s' % (os.path.basename (wrapper ()[0]), reason))

    def note_sanitizer_reports (self, argv, stderr):
        """Remembers a sanitizer report on a command's stderr, for teardown."""
        text = stderr.decode ('utf-8', 'replace') if isinstance (stderr, bytes) else (stderr or '')
        report = sanitizer_report_in (text)
        if report is not None:
            if not hasattr (self, '_memory_reports'):
                self._memory_reports = []
            self._memory_reports.append ('sanitizer report from %s:\n%s'
                                         % (' '.join (str (a) for a in argv), report))

    def memory_check_problems (self):
        """At teardown, once every process is gone: the sanitizer reports in
        the test directory's logs and remembered from commands, and the
        valgrind logs with errors or definite leaks."""
        problems = list (getattr (self, '_memory_reports', []))
        for dirpath, _, files in os.walk (self.tmpdir):
            for fn in sorted (files):
                if not fn.endswith ('.log'):
                    continue
                path = os.path.join (dirpath, fn)
                if fn.startswith ('valgrind-'):
                    problem = valgrind_log_problem (path)
                    if problem:
                        problems.append (problem)
                    continue
                report = sanitizer_report_in (read_text (path))
                if report is not None:
                    problems.append ('sanitizer report in %s:\n%s' % (fn, report))
        return problems


# The test case ---------------------------------------------------------------

class AgendaTestCase (MemoryCheckMixin, unittest.TestCase):
    """Base class: private bus + the real daemon, torn down after each test.

    Class attributes a test class may set:
      start_daemon        start lpc-agendad in setUp (default True)
      daemon_extra_args   extra daemon options
      use_build_services  add the build tree's service directory to the bus
      allow_other_users   let other Unix users connect to the bus
    """

    start_daemon = True
    daemon_extra_args = []
    use_build_services = False
    allow_other_users = False

    # setUp / tearDown --------------------------------------------------------

    def setUp (self):
        self.tmpdir = tempfile.mkdtemp (prefix='lpc-itest-')
        self.daemons = []      # LoggedProcess, stopped (and checked) at the end
        self.others = []       # LoggedProcess, killed at the end
        self.bus = None
        self.conn = None
        # A cleanup, not tearDown: it also runs when setUp fails half-way.
        self.addCleanup (self._teardown_world)
        self.home = self.mkdir ('home')
        self.xdg_data = self.mkdir ('home/.local/share')
        self.xdg_config = self.mkdir ('home/.config')
        self.xdg_cache = self.mkdir ('home/.cache')
        self.xdg_runtime = self.mkdir ('runtime', 0o700)
        self.servicedir = self.mkdir ('services')
        self.db_path = os.path.join (self.tmpdir, 'agenda.db')
        self.env = self.base_env ()
        servicedirs = [self.servicedir]
        if self.use_build_services and build_services_dir ():
            servicedirs.append (build_services_dir ())
        self.bus = PrivateBus (self.tmpdir, self.env, servicedirs,
                               allow_other_users=self.allow_other_users)
        self.env['DBUS_SESSION_BUS_ADDRESS'] = self.bus.address
        self.conn = dbus.bus.BusConnection (self.bus.address)
        self.dbus_iface = dbus.Interface (
            self.conn.get_object ('org.freedesktop.DBus', '/org/freedesktop/DBus'),
            'org.freedesktop.DBus')
        self.daemon = None
        if self.start_daemon:
            self.daemon = self.start_agendad ()

    def _teardown_world (self):
        problems = []
        try:
            # Every daemon we started must take SIGTERM and exit 0 within 5 s.
            for d in self.daemons:
                if d.poll () is not None:
                    continue
                rc = d.stop (signal.SIGTERM, STOP_TIMEOUT)
                if rc is None:
                    problems.append ('%s (pid %d) did not exit within %.0f s of SIGTERM'
                                     % (d.name, d.pid, STOP_TIMEOUT))
                elif rc != 0:
                    problems.append ('%s (pid %d) exited with %d after SIGTERM, expected 0'
                                     % (d.name, d.pid, rc))
            for p in self.others:
                p.stop (signal.SIGTERM, 2.0)
            if self.conn is not None:
                self.stop_activated_daemon ()
                try:
                    self.conn.close ()
                except Exception:
                    pass
            if self.bus is not None:
                self.bus.stop ()
            problems.extend (self.memory_check_problems ())
        finally:
            failed = bool (problems) or not self._test_passed ()
            if failed or os.environ.get ('LPC_TEST_VERBOSE'):
                self.dump_logs ()
            if os.environ.get ('LPC_TEST_KEEP') or (failed and os.environ.get ('LPC_TEST_KEEP_FAILED')):
                sys.stderr.write ('kept %s\n' % self.tmpdir)
            else:
                shutil.rmtree (self.tmpdir, ignore_errors=True)
        if problems:
            self.fail ('; '.join (problems))

    def _test_passed (self):
        # unittest resets its own success flag around each part (setUp, the
        # test, tearDown), so ask the result what it recorded for this test.
        outcome = getattr (self, '_outcome', None)
        result = getattr (outcome, 'result', None)
        if result is None:
            return True
        # (a failed subTest is recorded as a _SubTest whose test_case is us)
        return not any (t is self or getattr (t, 'test_case', None) is self
                        for t, _ in list (result.failures) + list (result.errors))

    def dump_logs (self):
        sys.stderr.write ('\n===== logs of %s (%s) =====\n' % (self.id (), self.tmpdir))
        for p in self.daemons + self.others:
            sys.stderr.write ('----- %s (pid %d, exit %s) -----\n%s\n'
                              % (p.name, p.pid, p.poll (), p.output ()))
        activated = os.path.join (self.tmpdir, 'dbus-daemon.log')
        sys.stderr.write ('----- dbus-daemon (and activated services) -----\n%s\n'
                          % read_text (activated))
        sys.stderr.write ('===== end of logs =====\n')

    # environment -------------------------------------------------------------

    def mkdir (self, rel, mode=0o755):
        path = os.path.join (self.tmpdir, rel)
        os.makedirs (path, exist_ok=True)
        os.chmod (path, mode)
        return path

    def base_env (self):
        """The environment of every child: built from scratch, so nothing of
        the user's session (bus, display, data dirs, NO_COLOR) leaks in."""
        env = {
            'PATH': os.environ.get ('PATH', '/usr/bin:/bin'),
            'HOME': self.home,
            'XDG_DATA_HOME': self.xdg_data,
            'XDG_CONFIG_HOME': self.xdg_config,
            'XDG_CACHE_HOME': self.xdg_cache,
            'XDG_RUNTIME_DIR': self.xdg_runtime,
            'TZ': TEST_TZ,
            'LC_ALL': 'C.UTF-8',
            'LANG': 'C.UTF-8',
            'G_DEBUG': 'fatal-criticals',
            'PYTHONDONTWRITEBYTECODE': '1',
        }
        # Sanitizer and valgrind legs of CI configure the children with these.
        for key, value in os.environ.items ():
            if key.startswith (('ASAN_', 'UBSAN_', 'LSAN_', 'MSAN_', 'TSAN_', 'MALLOC_',
                                'VALGRIND', 'LD_PRELOAD', 'G_SLICE', 'LPC_')):
                env[key] = value
        return env

    # the daemon ----------------------------------------------------------------

    def require_built (self, path, what):
        if not os.access (path, os.X_OK):
            self.fail ('the %s is not built: %s (set LPC_AGENDAD / LPC_AGENDA)' % (what, path))

    def agendad_argv (self, extra=(), db=None, program=None):
        self.require_built (daemon_path (), 'daemon')
        argv = [daemon_path (), '--db', db or self.db_path,
                '--program', program or timetable_path (), '--verbose']
        return self.wrap_argv (argv + list (self.daemon_extra_args) + list (extra), 'lpc-agendad')

    def spawn_agendad (self, extra=(), name='lpc-agendad', db=None, env=None):
        """Starts a daemon and returns it without waiting for the bus name."""
        log = os.path.join (self.tmpdir, '%s-%d.log' % (name, len (self.daemons)))
        d = LoggedProcess (name, self.agendad_argv (extra, db=db), env or self.env, log,
                           cwd=self.tmpdir)
        self.daemons.append (d)
        return d

    def start_agendad (self, extra=(), name='lpc-agendad', db=None, env=None):
        """Starts a daemon and waits until it owns the bus name."""
        d = self.spawn_agendad (extra, name=name, db=db, env=env)
        self.wait_for_name (BUS_NAME, process=d)
        return d

    def wait_for_name (self, name, process=None, timeout=START_TIMEOUT, owner_pid=None):
        """NameHasOwner loop: no fixed sleeps, fails early when @process exits."""
        deadline = time.monotonic () + timeout
        while True:
            if self.dbus_iface.NameHasOwner (name):
                if owner_pid is None or self.name_owner_pid (name) == owner_pid:
                    return
            if process is not None and process.poll () is not None:
                self.fail ('%s exited with %d before owning %s:\n%s'
                           % (process.name, process.poll (), name, process.output ()))
            if time.monotonic () > deadline:
                self.fail ('%s not owned after %.0f s' % (name, timeout))
            time.sleep (0.01)

    def wait_for_name_gone (self, name, timeout=STOP_TIMEOUT):
        deadline = time.monotonic () + timeout
        while self.dbus_iface.NameHasOwner (name):
            if time.monotonic () > deadline:
                return False
            time.sleep (0.01)
        return True

    def name_owner_pid (self, name=BUS_NAME):
        try:
            return int (self.dbus_iface.GetConnectionUnixProcessID (name))
        except dbus.exceptions.DBusException:
            return None

    def restart_agendad (self, extra=()):
        """SIGTERM the running daemon (asserting exit 0) and start another on
        the same database."""
        rc = self.daemon.stop (signal.SIGTERM, STOP_TIMEOUT)
        self.assertEqual (rc, 0, 'daemon exit code after SIGTERM')
        self.assertTrue (self.wait_for_name_gone (BUS_NAME), 'name still owned after exit')
        self.daemon = self.start_agendad (extra)
        return self.daemon

    def stop_activated_daemon (self):
        """A daemon that D-Bus activation started is the bus's child, not
        ours: SIGTERM it by the pid the bus reports and wait until it is
        gone.  Returns (pid, gone) or None when there was none."""
        ours = {d.pid for d in self.daemons}
        try:
            pid = self.name_owner_pid (BUS_NAME)
        except Exception:
            return None
        if pid is None or pid in ours:
            return None
        os.kill (pid, signal.SIGTERM)
        deadline = time.monotonic () + STOP_TIMEOUT
        while time.monotonic () < deadline:
            if not pid_running (pid):
                return (pid, True)
            time.sleep (0.01)
        os.kill (pid, signal.SIGKILL)
        return (pid, False)

    # D-Bus clients -------------------------------------------------------------

    def agenda (self, conn=None):
        """A python-dbus proxy for the agenda (bound to the current owner)."""
        conn = conn or self.conn
        obj = conn.get_object (BUS_NAME, OBJECT_PATH, introspect=False)
        return dbus.Interface (obj, IFACE)

    def props (self, conn=None):
        conn = conn or self.conn
        obj = conn.get_object (BUS_NAME, OBJECT_PATH, introspect=False)
        return dbus.Interface (obj, 'org.freedesktop.DBus.Properties')

    def get_prop (self, name):
        return self.props ().Get (IFACE, name)

    def set_prop (self, name, value):
        # 'ssv': without it python-dbus would send the value's own type, not
        # a variant, and GDBus would not recognise the call at all
        return self.props ().Set (IFACE, name, value, signature='ssv')

    def assertDBusError (self, error_name, fn, *args, **kwargs):
        """Calls fn and asserts it fails with the D-Bus error @error_name
        (a full name, or a short one of ours such as 'NoSuchTalk')."""
        if '.' not in error_name:
            error_name = ERROR_PREFIX + error_name
        try:
            result = fn (*args, **kwargs)
        except dbus.exceptions.DBusException as e:
            self.assertEqual (e.get_dbus_name (), error_name,
                              'wrong error (message: %s)' % e.get_dbus_message ())
            msg = e.get_dbus_message () or ''
            self.assertTrue (msg.strip (), 'error %s carries no message' % error_name)
            return e
        self.fail ('expected %s, got a result: %r' % (error_name, unwrap (result)))

    def talks (self, **filter_):
        return [unwrap (t) for t in self.agenda ().ListTalks (dbus.Dictionary (filter_, signature='sv'))]

    def agenda_items (self, **filter_):
        return [unwrap (t) for t in self.agenda ().GetAgenda (dbus.Dictionary (filter_, signature='sv'))]

    def talk_by_title (self, title, kind='all'):
        matches = [t for t in self.talks (kind=kind) if t['title'] == title]
        self.assertTrue (matches, 'no entry titled %r in the program' % title)
        return matches[0]

    def id_of (self, title, kind='all'):
        return self.talk_by_title (title, kind)['id']

    def add (self, talk_id, **options):
        return unwrap (self.agenda ().Add (talk_id, dbus.Dictionary (options, signature='sv')))

    def assert_daemon_alive (self, daemon=None):
        daemon = daemon or self.daemon
        self.assertIsNone (daemon.poll (), 'the daemon died:\n' + daemon.output ())
        self.assertEqual (self.name_owner_pid (), daemon.pid, 'the daemon lost its name')
        # a round trip through its main loop
        obj = self.conn.get_object (BUS_NAME, OBJECT_PATH, introspect=False)
        dbus.Interface (obj, 'org.freedesktop.DBus.Peer').Ping ()

    # command-line tools --------------------------------------------------------

    def run_cmd (self, argv, env=None, timeout=30, input=None, extra_env=None, unset=()):
        e = dict (env or self.env)
        e.update (extra_env or {})
        for k in unset:
            e.pop (k, None)
        p = subprocess.run (argv, env=e, input=input, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=timeout * TIMEOUT_FACTOR,
                            cwd=self.tmpdir)
        self.note_sanitizer_reports (argv, p.stderr)
        return (p.returncode, p.stdout.decode ('utf-8', 'replace'),
                p.stderr.decode ('utf-8', 'replace'))

    def run_cli (self, *args, **kw):
        """Runs the real lpc-agenda: returns (rc, stdout, stderr).  Arguments
        may be bytes (for invalid UTF-8)."""
        self.require_built (cli_path (), 'CLI')
        return self.run_cmd (self.wrap_cli_argv ([cli_path ()] + list (args)), **kw)

    def run_gdbus (self, *args, **kw):
        return self.run_cmd (['gdbus'] + list (args), **kw)

    def gdbus_call (self, method, *args, **kw):
        return self.run_gdbus ('call', '--session', '--dest', BUS_NAME, '--object-path',
                               OBJECT_PATH, '--method', IFACE + '.' + method, *args, **kw)

    def run_busctl (self, *args, **kw):
        # busctl --user takes the bus from DBUS_SESSION_BUS_ADDRESS, which is
        # our private bus (checked: it works as well as --address=).
        return self.run_cmd (['busctl', '--user'] + list (args), **kw)

    # the notification mock (python3-dbusmock) ----------------------------------

    def start_notification_mock (self, capabilities='body body-markup actions'):
        """Starts python3-dbusmock's notification_daemon template on the
        private bus and waits until it owns org.freedesktop.Notifications.
        Returns (process, mock interface); skips the test if dbusmock is
        missing."""
        import importlib.util
        if importlib.util.find_spec ('dbusmock') is None:
            self.skipTest ('python3-dbusmock is not installed (apt install python3-dbusmock)')
        import json
        params = json.dumps ({'capabilities': capabilities})
        log = os.path.join (self.tmpdir, 'notification-mock.log')
        calls_log = os.path.join (self.tmpdir, 'notification-mock-calls.log')
        p = LoggedProcess ('notification-mock',
                           ['/usr/bin/python3', '-m', 'dbusmock', '--template',
                            'notification_daemon', '-p', params, '-l', calls_log],
                           self.env, log, cwd=self.tmpdir)
        self.others.append (p)
        self.wait_for_name (NOTIFICATIONS_NAME, process=p)
        obj = self.conn.get_object (NOTIFICATIONS_NAME, '/org/freedesktop/Notifications',
                                    introspect=False)
        return p, dbus.Interface (obj, 'org.freedesktop.DBus.Mock')

    # the activation file -------------------------------------------------------

    def write_service_file (self, extra_args=()):
        """Our own activation file in the test's service directory: the
        build-tree daemon with its database in the test's directory."""
        argv = self.agendad_argv (extra_args)
        path = os.path.join (self.servicedir, BUS_NAME + '.service')
        with open (path, 'w') as f:
            f.write ('[D-BUS Service]\nName=%s\nExec=%s\n'
                     % (BUS_NAME, ' '.join (shlex.quote (a) for a in argv)))
        return path


def pid_running (pid):
    """True while @pid exists and is not a zombie."""
    try:
        with open ('/proc/%d/stat' % pid) as f:
            state = f.read ().rsplit (')', 1)[1].split ()[0]
        return state not in ('Z', 'X')
    except (OSError, IndexError):
        return False


# The API contract ----------------------------------------------------------

def parse_interface_xml (text, iface=IFACE):
    """Methods, signals and properties of @iface in introspection XML text:
    {'methods': {name: [(direction, type, name), ...]},
     'signals': {name: [(type, name), ...]},
     'properties': {name: (type, access)}}"""
    root = ET.fromstring (text)
    for node in root.iter ('interface'):
        if node.get ('name') != iface:
            continue
        methods = {}
        for m in node.findall ('method'):
            methods[m.get ('name')] = [(a.get ('direction', 'in'), a.get ('type'), a.get ('name'))
                                       for a in m.findall ('arg')]
        signals = {}
        for s in node.findall ('signal'):
            signals[s.get ('name')] = [(a.get ('type'), a.get ('name')) for a in s.findall ('arg')]
        properties = {}
        for p in node.findall ('property'):
            properties[p.get ('name')] = (p.get ('type'), p.get ('access'))
        return {'methods': methods, 'signals': signals, 'properties': properties}
    raise ValueError ('interface %s not found' % iface)


def contract ():
    with open (interface_xml_path ()) as f:
        return parse_interface_xml (f.read ())


def not_yet_methods ():
    """Methods whose documentation in the XML says this version does not have
    them yet (they must answer NotSupported).  Read from the comment right
    before each <method>, so the tests follow the contract as it changes."""
    with open (interface_xml_path ()) as f:
        text = f.read ()
    result = set ()
    for m in re.finditer (r'<!--(.*?)-->\s*<method name="([A-Za-z]+)"', text, re.S):
        comment, name = m.group (1), m.group (2)
        if re.search (r'not in this version yet', comment, re.I) and 'NotSupported' in comment:
            result.add (name)
    return result


# Running one test per process ------------------------------------------------

def main ():
    """Runs the tests named on the command line (Class.test_method) in the
    calling module, or all of them, and exits with the result: a test file
    that forgets to pass the status on cannot turn a failure into a pass."""
    sys.exit (run_tests ())


def run_tests ():
    """--list prints the tests' names.  Returns 77 when every test that ran
    was skipped, as meson counts that as a skip."""
    module = sys.modules['__main__']
    loader = unittest.TestLoader ()
    args = sys.argv[1:]
    if args == ['--list']:
        for name in list_tests (module):
            print (name)
        return 0
    suite = loader.loadTestsFromNames (args, module) if args else loader.loadTestsFromModule (module)
    result = unittest.TextTestRunner (verbosity=2, stream=sys.stderr).run (suite)
    if not result.wasSuccessful ():
        return 1
    if result.testsRun and len (result.skipped) == result.testsRun:
        for _, reason in result.skipped:
            print ('SKIP: %s' % reason)
        return 77
    return 0


def list_tests (module):
    names = []

    def walk (suite):
        for t in suite:
            if isinstance (t, unittest.TestSuite):
                walk (t)
            else:
                names.append ('%s.%s' % (type (t).__name__, t._testMethodName))
    walk (unittest.TestLoader ().loadTestsFromModule (module))
    return sorted (names)
