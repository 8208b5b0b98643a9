#!/usr/bin/python3
# Issue 12, case 6: a daemon that does not answer in time, and a database
# another program holds locked.  The CLI says how long it waited and, for a
# change, reads back whether it was applied; a locked store is a clear
# Storage error naming the file, while reads still answer.

import os
import select
import signal
import sqlite3
import subprocess
import time

import lpctest
from test_cli import CliTestCase
from test_dbus import OPENING, TRACING

# Short enough to keep the tests quick; the read-back after it waits at
# least 10 s more, which is what lets SIGCONT land while the CLI waits.
SHORT_TIMEOUT = '2'
# Waits on conditions end here at the latest (a loaded machine).
PATIENCE = 60 * lpctest.TIMEOUT_FACTOR


class DaemonStoppedTest (CliTestCase):
    """The daemon is stopped with SIGSTOP: it holds its name but answers
    nothing until SIGCONT."""

    def stop_daemon (self):
        self.daemon.send_signal (signal.SIGSTOP)
        # Whatever happens, the teardown must find a daemon that runs.
        self.addCleanup (self.daemon.send_signal, signal.SIGCONT)

    def start_cli (self, *args):
        env = dict (self.env, LPC_AGENDA_TIMEOUT=SHORT_TIMEOUT)
        argv = self.wrap_cli_argv ([lpctest.cli_path ()] + list (args))
        cli = subprocess.Popen (argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=self.tmpdir)
        self.addCleanup (lambda: cli.poll () is None and cli.kill ())
        return cli

    def read_stderr_until (self, cli, needle):
        """What @cli wrote to stderr up to and including @needle, read while
        it still runs."""
        seen = b''
        deadline = time.monotonic () + PATIENCE
        while needle.encode () not in seen:
            left = deadline - time.monotonic ()
            self.assertGreater (left, 0, 'no %r on stderr; so far: %r' % (needle, seen))
            ready, _, _ = select.select ([cli.stderr], [], [], left)
            if not ready:
                continue
            chunk = os.read (cli.stderr.fileno (), 4096)
            self.assertTrue (chunk, 'lpc-agenda closed stderr before %r: %r' % (needle, seen))
            seen += chunk
        return seen.decode ('utf-8', 'replace')

    def finish (self, cli, earlier_stderr):
        out, err = cli.communicate (timeout=PATIENCE)
        err = earlier_stderr + err.decode ('utf-8', 'replace')
        self.note_sanitizer_reports (cli.args, err.encode ())
        return cli.returncode, out.decode ('utf-8', 'replace'), err

    def test_add_applied_after_sigcont (self):
        opening = self.id_of (OPENING)
        self.stop_daemon ()
        cli = self.start_cli ('add', opening)
        first = self.read_stderr_until (cli, 'waiting up to')
        self.assertIn ('no answer from lpc-agendad in %s s while adding %s' % (SHORT_TIMEOUT, opening),
                       first)
        self.assertIsNone (cli.poll (), 'lpc-agenda gave up instead of reading back:\n' + first)

        self.daemon.send_signal (signal.SIGCONT)
        rc, out, err = self.finish (cli, first)
        self.assertEqual (rc, 0, 'exit %d\nstdout: %s\nstderr: %s' % (rc, out, err))
        self.assertIn ('adding %s was applied after all' % opening, err)
        self.assertNotIn ('Timeout was reached', err)
        self.assertIn (opening, self.agenda_ids ())

    def test_refused_change_read_back_as_not_applied (self):
        break_id = self.talks (kind='break')[0]['id']
        self.stop_daemon ()
        cli = self.start_cli ('add', break_id)
        first = self.read_stderr_until (cli, 'waiting up to')
        self.daemon.send_signal (signal.SIGCONT)
        rc, out, err = self.finish (cli, first)
        self.assertEqual (rc, 1, 'exit %d\nstdout: %s\nstderr: %s' % (rc, out, err))
        self.assertIn ('adding %s was not applied' % break_id, err)
        self.assertNotIn (break_id, self.agenda_ids ())

    def test_no_answer_at_all_is_unknown (self):
        tracing = self.id_of (TRACING)
        self.stop_daemon ()
        cli = self.start_cli ('remove', tracing)
        rc, out, err = self.finish (cli, '')
        self.assertEqual (rc, 1, 'exit %d\nstdout: %s\nstderr: %s' % (rc, out, err))
        self.assertIn ('no answer from lpc-agendad in %s s while removing %s' % (SHORT_TIMEOUT, tracing),
                       err)
        self.assertIn ('unknown whether removing %s was applied' % tracing, err)
        self.assertIn ('lpc-agenda agenda', err)
        self.assertIn ('systemctl --user status lpc-agenda', err)

    def test_read_only_command_says_no_answer (self):
        self.stop_daemon ()
        rc, out, err = self.run_cli ('agenda', extra_env={'LPC_AGENDA_TIMEOUT': SHORT_TIMEOUT})
        self.assertEqual (rc, 1, 'exit %d\nstdout: %s\nstderr: %s' % (rc, out, err))
        self.assertIn ('no answer from lpc-agendad in %s s' % SHORT_TIMEOUT, err)
        self.assertIn ('systemctl --user status lpc-agenda', err)
        self.assertNotIn ('read back', err)
        self.assertNotIn ('Timeout was reached', err)

    def test_bad_timeout_is_a_usage_error (self):
        rc, out, err = self.run_cli ('agenda', extra_env={'LPC_AGENDA_TIMEOUT': 'soon'})
        self.assertEqual (rc, 2, 'exit %d\nstdout: %s\nstderr: %s' % (rc, out, err))
        self.assertIn ('LPC_AGENDA_TIMEOUT=‘soon’', err)


class LockedDatabaseTest (CliTestCase):
    """Another program holds the database's write lock."""

    def lock_database (self):
        other = sqlite3.connect (self.db_path, isolation_level=None, timeout=0)
        self.addCleanup (other.close)
        other.execute ('BEGIN EXCLUSIVE')
        return other

    def test_change_fails_fast_and_reads_answer (self):
        opening = self.id_of (OPENING)
        tracing = self.id_of (TRACING)
        self.cli_ok ('add', tracing)
        other = self.lock_database ()

        # The default timeout: the daemon must answer well within it.
        out, err = self.cli_fails (1, 'add', opening)
        self.assertIn ('%s is locked by another program' % self.db_path, err)
        self.assertIn ('nothing was changed', err)
        self.assertNotIn ('no answer', err)

        out, err = self.cli_ok ('agenda', '--ids')
        self.assertEqual (out.split (), [tracing])

        other.execute ('ROLLBACK')
        other.close ()
        self.cli_ok ('add', opening)
        self.assertEqual (sorted (self.agenda_ids ()), sorted ([opening, tracing]))


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
