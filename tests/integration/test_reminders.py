#!/usr/bin/python3
# Reminders (issue 5), end to end: the real lpc-agendad on a private bus with
# a simulated clock, and python3-dbusmock's notification_daemon template as
# the desktop's notification server (a silent one and no server at all for
# the bad cases; dunst under Xvfb for the real thing). What the server
# received is read back call by call.
#
# The simulated clock: `--clock 2021-09-20T06:54:00-07:00 --clock-rate 60`
# starts the daemon's "now" at that instant and runs it 60 times faster, so
# a reminder due at 06:55 comes a real second later. The tests read the
# daemon's clock through GetStatus; they never assert on real time except
# the one bound the issue names (a call answered within 1 s while the
# notification server hangs).

import calendar
import json
import os
import re
import select
import signal
import shutil
import subprocess
import sys
import time

import dbus

import lpctest
from lpctest import AgendaTestCase, unwrap

NOTIFICATIONS_IFACE = 'org.freedesktop.Notifications'
NOTIFICATIONS_PATH = '/org/freedesktop/Notifications'

# Monday 20 September 2021, America/Los_Angeles (UTC-7). The tests run in
# Europe/Berlin (UTC+2 then), so the texts show 07:00 PDT as 16:00 CEST, labelled
# "16:00 CEST (Europe/Berlin)".
PDT = -7 * 3600


def pdt (hhmm, day=20):
    """Unix seconds of @hhmm ("06:55" or "06:55:30") Pacific on day @day."""
    parts = [int (p) for p in hhmm.split (':')] + [0]
    return calendar.timegm ((2021, 9, day, parts[0], parts[1], parts[2], 0, 0, 0)) - PDT


def clock_arg (hhmm):
    return '2021-09-20T%s-07:00' % (hhmm if hhmm.count (':') == 2 else hhmm + ':00')


# Talks of Monday's program (ids checked in setUp against the program).
TRACING = 'bpf-tracing-exploring-additional'        # 07:00-07:40, BPF & Networking Summit
LORE = 'doing-more-with-lore-and-b4'                 # 07:00-07:45, Kernel Summit
FANALYZER = 'gccs-fanalyzer-option-whats-new'        # 07:00-07:30, GNU Tools Track
OPENING = 'bpf-networking-opening-session'           # 06:40-07:00, BPF & Networking Summit
SCHED_INTRO = 'scheduler-microconference'            # 07:00-07:05, Scheduler MC

TITLES = {
    TRACING: 'BPF tracing: exploring additional debugging capabilities',
    LORE: 'Doing more with lore and b4',
    FANALYZER: "GCC's -fanalyzer option: what's new in GCC 12",
    OPENING: 'BPF & Networking Opening Session',
    SCHED_INTRO: 'Scheduler Microconference',
}

# The bodies, as markup: every piece of text escaped (the track has '&').
TRACING_BODY = ('Mon 20 Sep, 16:00\u201316:40 CEST (Europe/Berlin) \u00b7 Networking and BPF Summit/Virtual-Room\n'
                'BPF &amp; Networking Summit\n'
                'Speaker: Alan Maguire (Oracle)')
LORE_BODY = ('Mon 20 Sep, 16:00\u201316:45 CEST (Europe/Berlin) \u00b7 Kernel Summit/Virtual-Room\n'
             'Kernel Summit\n'
             'Speaker: Konstantin Ryabitsev (The Linux Foundation)')

ACTIONS = {('snooze', 'Snooze 5 min'), ('skip', 'Skip')}


def opts (**kw):
    return dbus.Dictionary (kw, signature='sv')


class Notification:
    """One Notify call as the server received it."""

    def __init__ (self, args):
        (self.app_name, self.replaces_id, self.app_icon, self.summary, self.body, actions,
         self.hints, self.timeout) = unwrap (args)
        # Actions come as a flat list of (key, label) pairs, in whatever order
        # libnotify's hash table gives them: compared as a set of pairs.
        self.actions = set (zip (actions[0::2], actions[1::2]))
        self.action_list = actions

    def __repr__ (self):
        return 'Notification(%r, %r)' % (self.summary, self.body)


class ReminderTestCase (AgendaTestCase):
    start_daemon = False

    def setUp (self):
        super ().setUp ()
        self.mock = None
        self.mock_proc = None
        self.fired = lpctest.SignalRecorder (self.conn, 'ReminderFired')

    # the daemon, on a simulated clock ------------------------------------------

    def start_at (self, hhmm, rate=60, extra=(), env=None):
        self.daemon = self.start_agendad (['--clock', clock_arg (hhmm), '--clock-rate', str (rate)]
                                          + list (extra), env=env)
        return self.daemon

    def stop_daemon (self):
        rc = self.daemon.stop (signal.SIGTERM, lpctest.STOP_TIMEOUT)
        self.assertEqual (rc, 0, 'daemon exit code after SIGTERM:\n' + self.daemon.output ())
        self.assertTrue (self.wait_for_name_gone (lpctest.BUS_NAME))

    def now (self):
        """The daemon's clock."""
        return int (self.agenda ().GetStatus ()['now'])

    def wait_for_clock (self, t, timeout=30):
        """Until the daemon's clock reads @t or later (pumping signals)."""
        deadline = time.monotonic () + timeout
        while self.now () < t:
            self.assertLess (time.monotonic (), deadline, 'the daemon clock never reached %d' % t)
            self.fired.wait_for (len (self.fired.signals) + 1, timeout=0.1)

    def item (self, talk_id):
        items = {i['id']: i for i in self.agenda_items ()}
        self.assertIn (talk_id, items)
        return items[talk_id]

    def env_with (self, **kw):
        env = dict (self.env)
        env.update (kw)
        return env

    # the notification server ------------------------------------------------------

    def start_mock (self, capabilities='body body-markup actions'):
        self.mock_proc, self.mock = self.start_notification_mock (capabilities)
        return self.mock

    def notifications (self):
        return [Notification (args) for _, args in self.mock.GetMethodCalls ('Notify')]

    def wait_for_notifications (self, count, timeout=20):
        deadline = time.monotonic () + timeout
        while True:
            got = self.notifications ()
            if len (got) >= count or time.monotonic () > deadline:
                return got
            self.fired.wait_for (len (self.fired.signals) + 1, timeout=0.05)

    def invoke_action (self, notification_id, action):
        # Mock.EmitSignal (interface, name, signature, av args)
        self.mock.EmitSignal (NOTIFICATIONS_IFACE, 'ActionInvoked', 'us',
                              dbus.Array ([dbus.UInt32 (notification_id), dbus.String (action)],
                                          signature='v'),
                              signature='sssav')

    def assert_reminder (self, n, summary, body=None, actions=ACTIONS,
                         category='x-lpcagenda.reminder'):
        self.assertEqual (n.app_name, 'lpc-agenda')
        self.assertEqual (n.replaces_id, 0)
        self.assertEqual (n.app_icon, '')
        self.assertEqual (n.timeout, -1)   # the server's default
        self.assertEqual (n.summary, summary)
        if body is not None:
            self.assertEqual (n.body, body)
        self.assertEqual (n.actions, actions)
        self.assertEqual (len (n.action_list), 2 * len (actions))
        self.assertEqual (n.hints.get ('category'), category)
        self.assertEqual (n.hints.get ('desktop-entry'), 'lpc-agenda')
        self.assertEqual (n.hints.get ('urgency'), 1)
        # libnotify adds the sender's pid; nothing else is ours to expect
        self.assertLessEqual (set (n.hints), {'category', 'desktop-entry', 'urgency', 'sender-pid'})


class NotificationTest (ReminderTestCase):

    def test_two_picks_same_minute_exact_notify_calls (self):
        # Two picks at 07:00: two notifications (not one for both), each with
        # the summary, an escaped body that warns of the clash, both
        # actions and the hints. Both are picked before the daemon starts
        # just ahead of their reminders: a reminder due as the daemon starts
        # carries its clash line too, and no pick can race its partner's
        # reminder (picked after it, a clash is rightly not yet in it).
        self.start_at ('06:00:00', rate=1)
        self.add (TRACING)
        self.add (LORE)
        self.stop_daemon ()
        self.start_mock ('body body-markup actions')
        self.start_at ('06:54:50', rate=30)
        got = self.wait_for_notifications (2)
        self.assertEqual (len (got), 2, got)
        by_title = {n.summary: n for n in got}
        self.assertEqual (set (by_title), {'In 5 min: ' + TITLES[TRACING],
                                           'In 5 min: ' + TITLES[LORE]})
        self.assert_reminder (by_title['In 5 min: ' + TITLES[TRACING]],
                              'In 5 min: ' + TITLES[TRACING],
                              TRACING_BODY + '\n\u26a0 Clashes with: ' + TITLES[LORE])
        self.assert_reminder (by_title['In 5 min: ' + TITLES[LORE]],
                              'In 5 min: ' + TITLES[LORE],
                              LORE_BODY + '\n\u26a0 Clashes with: ' + TITLES[TRACING])
        for n in got:
            self.assertEqual (n.hints.get ('sender-pid', self.daemon.pid), self.daemon.pid)
            self.assertEqual (n.timeout, -1)
        # one ReminderFired each, with the start it was for
        self.assertEqual (sorted (self.fired.wait_for (2)),
                          sorted ([(TRACING, pdt ('07:00')), (LORE, pdt ('07:00'))]))
        # and no third one: both are logged as shown
        self.assertEqual (self.get_prop ('NextReminder'), 0)
        for tid in (TRACING, LORE):
            item = self.item (tid)
            self.assertEqual ((item['reminder'], item['reminded']), (0, 'shown'))

    def test_markup_escaped_in_body (self):
        # An apostrophe in the title, '<', '>' and '&' in a note: all escaped
        # in the body markup; the summary is plain text and stays as it is.
        self.start_mock ()
        self.start_at ('06:54:00', rate=30)
        self.add (FANALYZER, note='<b>bring</b> a laptop & "charger"')
        got = self.wait_for_notifications (1)
        self.assertEqual (len (got), 1)
        self.assert_reminder (
            got[0], 'In 5 min: ' + TITLES[FANALYZER],
            'Mon 20 Sep, 16:00\u201316:30 CEST (Europe/Berlin) \u00b7 GNU Tools track/Virtual-Room\n'
            'GNU Tools Track\n'
            'Speaker: David Malcolm (Red Hat)\n'
            'Note: &lt;b&gt;bring&lt;/b&gt; a laptop &amp; &quot;charger&quot;')

    def test_plain_body_without_markup_capability (self):
        # A server without "body-markup" shows the body as it is: it gets
        # the plain text, not entities it would show literally.
        self.start_mock ('body actions')
        self.start_at ('06:54:00', rate=30)
        self.add (FANALYZER, note='<b>bring</b> a laptop & "charger"')
        got = self.wait_for_notifications (1)
        self.assertEqual (len (got), 1)
        self.assert_reminder (
            got[0], 'In 5 min: ' + TITLES[FANALYZER],
            'Mon 20 Sep, 16:00\u201316:30 CEST (Europe/Berlin) \u00b7 GNU Tools track/Virtual-Room\n'
            'GNU Tools Track\n'
            'Speaker: David Malcolm (Red Hat)\n'
            'Note: <b>bring</b> a laptop & "charger"')

    def test_no_actions_without_the_capability (self):
        self.start_mock ('body body-markup')
        self.start_at ('06:54:00', rate=30)
        self.add (TRACING)
        got = self.wait_for_notifications (1)
        self.assertEqual (len (got), 1)
        self.assert_reminder (got[0], 'In 5 min: ' + TITLES[TRACING], TRACING_BODY,
                              actions=set ())

    def test_summary_of_a_title_with_ampersand_is_plain (self):
        # The summary is plain text by the spec: "&" stays "&".
        self.start_mock ()
        self.start_at ('06:34:00', rate=30)
        self.add (OPENING)
        got = self.wait_for_notifications (1)
        self.assertEqual (len (got), 1)
        self.assertEqual (got[0].summary, 'In 5 min: BPF & Networking Opening Session')
        self.assertIn ('BPF &amp; Networking Summit', got[0].body)

    def test_lead_times_list (self):
        self.skip_if_wrapped (lpctest.SIMULATED_CLOCK_SKIP)
        # The default as a list: "10,0" reminds ten minutes before and at the
        # start; an item's own "off" has none, its own "1" only its own.
        self.start_mock ()
        self.start_at ('06:49:00', rate=60)
        self.set_prop ('LeadTimes', dbus.String ('0, 10'))
        self.assertEqual ((self.get_prop ('LeadTimes'), self.get_prop ('LeadTime')), ('10,0', 10))
        self.add (TRACING)
        self.add (LORE, remind='off')
        self.add (FANALYZER, remind='1')
        self.assertEqual (self.item (TRACING)['reminder'], pdt ('06:50'))
        self.assertEqual (self.item (LORE)['reminder'], 0)
        self.assertEqual (self.item (FANALYZER)['reminder'], pdt ('06:59'))
        got = self.wait_for_notifications (3, timeout=40)
        self.assertEqual ([n.summary for n in got],
                          ['In 10 min: ' + TITLES[TRACING], 'In 1 min: ' + TITLES[FANALYZER],
                           'Now: ' + TITLES[TRACING]])
        self.assertEqual (self.fired.wait_for (3),
                          [(TRACING, pdt ('07:00')), (FANALYZER, pdt ('07:00')),
                           (TRACING, pdt ('07:00'))])


class TimingTest (ReminderTestCase):

    def test_simulated_clock_reminds_at_0655 (self):
        self.skip_if_wrapped (lpctest.SIMULATED_CLOCK_SKIP)
        # --clock 06:50 --clock-rate 60: a 07:00 talk with lead 5 is reminded
        # at 06:55 by the daemon's clock, within one simulated minute.
        self.start_mock ()
        self.start_at ('06:50:00', rate=60)
        st = unwrap (self.agenda ().GetStatus ())
        self.assertEqual ((st['clock'], st['clock-rate']), ('simulated', 60.0))
        self.assertLess (abs (st['now'] - pdt ('06:50')), 60)
        self.add (TRACING)
        self.assertEqual (self.get_prop ('NextReminder'), pdt ('06:55'))
        self.assertEqual (self.item (TRACING)['reminder'], pdt ('06:55'))
        signals = self.fired.wait_for (1, timeout=30)
        fired_at = self.now ()
        self.assertEqual (signals, [(TRACING, pdt ('07:00'))])
        self.assertLessEqual (abs (fired_at - pdt ('06:55')), 60,
                              'fired at %s' % time.strftime ('%H:%M:%S', time.gmtime (fired_at + PDT)))
        self.assertEqual (len (self.wait_for_notifications (1)), 1)
        self.assertEqual (self.get_prop ('NextReminder'), 0)

    def test_status_shows_the_simulated_clock (self):
        # The clock starts at 06:50 once the daemon owns its name, however
        # long it took to start; at 10x the pick is made long before the
        # 06:55 reminder (30 real seconds), under valgrind too.
        self.start_at ('06:50:00', rate=10)
        rc, out, err = self.run_cli ('status')
        self.assertEqual (rc, 0, err)
        self.assertRegex (out, r'now\s+Mon 20 Sep 2021 15:5[0-4] CEST \(simulated, 10\u00d7 real time\)')
        self.add (TRACING)
        rc, out, err = self.run_cli ('status')
        self.assertEqual (rc, 0, err)
        self.assertRegex (out, r'next reminder\s+Mon 20 Sep 2021 15:55 CEST')

    def test_clock_starts_when_the_daemon_is_ready (self):
        # Under valgrind the start takes seconds, a few simulated minutes at
        # 60x: the first look at a daemon that owns its name still finds its
        # clock at --clock. The clock starts once the name is the daemon's,
        # so after the last look that found it nobody's: what it reads is at
        # most 60 times the real time since then.
        spawned = time.monotonic ()
        self.daemon = self.spawn_agendad (['--clock', clock_arg ('06:50'), '--clock-rate', '60'])
        not_owned_at = spawned
        while True:
            asked = time.monotonic ()
            if self.dbus_iface.NameHasOwner (lpctest.BUS_NAME):
                break
            not_owned_at = asked
            self.assertIsNone (self.daemon.poll (), self.daemon.output ())
            self.assertLess (asked - spawned, lpctest.START_TIMEOUT, 'never owned its name')
            time.sleep (0.01)
        now = self.now ()
        since = time.monotonic () - not_owned_at
        self.assertGreaterEqual (now, pdt ('06:50'))
        self.assertLessEqual (now - pdt ('06:50'), 60 * since + 1,
                              'the daemon took %.1f s to start; %.3f s since its name was free'
                              % (not_owned_at - spawned, since))

    def test_absurd_clock_rates_refused (self):
        # Each refused at start, exit 2, with the value and what to give.
        for rate in ('0', '-1', '-0.5', 'nan', 'inf', '-inf', '1e300', '3601'):
            rc, out, err = self.run_cmd ([lpctest.daemon_path (), '--db', self.db_path,
                                          '--clock', clock_arg ('06:50'), '--clock-rate', rate])
            self.assertEqual (rc, 2, 'rate %s: %s%s' % (rate, out, err))
            self.assertEqual (out, '')
            self.assertRegex (err, r'--clock-rate \S+: give how many times faster than real time '
                                   r'the simulated clock runs, above 0 and at most 3600')
        rc, out, err = self.run_cmd ([lpctest.daemon_path (), '--db', self.db_path,
                                      '--clock-rate', '1e999'])
        self.assertEqual (rc, 2, err)
        self.assertIn ('--clock-rate out of range', err)
        self.assertFalse (os.path.exists (self.db_path), 'a refused start made the database')


class ActionTest (ReminderTestCase):

    def fire_one (self, remind=None):
        self.start_mock ()
        self.start_at ('06:54:00', rate=60)
        if remind is None:
            self.add (TRACING)
        else:
            self.add (TRACING, remind=remind)
        got = self.wait_for_notifications (1)
        self.assertEqual (len (got), 1)
        self.assertEqual (self.fired.wait_for (1), [(TRACING, pdt ('07:00'))])
        # the mock numbers its notifications from 1
        return 1

    def test_snooze_action (self):
        self.skip_if_wrapped (lpctest.SIMULATED_CLOCK_SKIP)
        nid = self.fire_one ()
        changed = lpctest.SignalRecorder (self.conn, 'PropertiesChanged',
                                          interface='org.freedesktop.DBus.Properties')
        self.invoke_action (nid, 'snooze')
        # the daemon closes it itself (dunst would leave it up after an action)
        deadline = time.monotonic () + 10
        while not self.mock.GetMethodCalls ('CloseNotification') and time.monotonic () < deadline:
            time.sleep (0.05)
        closes = [unwrap (args) for _, args in self.mock.GetMethodCalls ('CloseNotification')]
        self.assertEqual (closes, [[nid]])
        # snoozed for 5 min: due again about 07:00, once
        deadline = time.monotonic () + 10
        while self.get_prop ('NextReminder') == 0 and time.monotonic () < deadline:
            changed.wait_for (len (changed.signals) + 1, timeout=0.1)
        due = int (self.get_prop ('NextReminder'))
        self.assertLessEqual (abs (due - pdt ('07:00')), 60)
        got = self.wait_for_notifications (2)
        self.assertEqual (len (got), 2, got)
        self.assertTrue (got[1].summary.endswith (': ' + TITLES[TRACING]), got[1].summary)
        self.assertRegex (got[1].summary, r'^(Now|In 1 min|Started 1 min ago): ')
        self.assertEqual (got[1].actions, ACTIONS)
        self.assertEqual (self.fired.wait_for (2), [(TRACING, pdt ('07:00'))] * 2)
        self.assertEqual (self.get_prop ('NextReminder'), 0)

    def test_skip_action (self):
        # "5,0": after Skip at 06:55, the 07:00 reminder never comes.
        nid = self.fire_one (remind='5,0')
        self.assertEqual (self.item (TRACING)['reminder'], pdt ('07:00'))
        changed = lpctest.SignalRecorder (self.conn, 'AgendaChanged')
        self.invoke_action (nid, 'skip')
        self.assertEqual (changed.wait_for (1), [([TRACING],)])
        item = self.item (TRACING)
        self.assertEqual ((item['state'], item['reminder']), ('skipped', 0))
        self.assertEqual (self.get_prop ('NextReminder'), 0)
        self.wait_for_clock (pdt ('07:02'))
        self.assertEqual (len (self.notifications ()), 1)
        self.assertEqual (len (self.fired.signals), 1)

    def test_unknown_action_changes_nothing (self):
        nid = self.fire_one (remind='5,0')
        self.invoke_action (nid, 'default')
        self.invoke_action (nid + 41, 'skip')
        self.assert_daemon_alive ()
        item = self.item (TRACING)
        self.assertEqual ((item['state'], item['reminder']), ('planned', pdt ('07:00')))

    def test_snooze_method (self):
        self.skip_if_wrapped (lpctest.SIMULATED_CLOCK_SKIP)
        self.fire_one ()
        api = self.agenda ()
        # by prefix, like every method on agenda items
        api.Snooze ('bpf-tracing', dbus.UInt32 (3))
        due = self.item (TRACING)['reminder']
        self.assertLessEqual (abs (due - (pdt ('06:55') + 180)), 60)
        self.assertEqual (self.get_prop ('NextReminder'), due)
        got = self.wait_for_notifications (2)
        self.assertEqual (len (got), 2)
        self.assertTrue (got[1].summary.endswith (TITLES[TRACING]))
        # refused by name: past the end, 0 or too long, not on the agenda,
        # not planned
        self.assertDBusError ('InvalidArgument', api.Snooze, TRACING, dbus.UInt32 (60))
        self.assertDBusError ('InvalidArgument', api.Snooze, TRACING, dbus.UInt32 (0))
        self.assertDBusError ('InvalidArgument', api.Snooze, TRACING, dbus.UInt32 (1441))
        self.assertDBusError ('NoSuchTalk', api.Snooze, LORE, dbus.UInt32 (5))
        self.add (LORE)
        api.Skip (LORE)
        self.assertDBusError ('NoSuchTalk', api.Snooze, LORE, dbus.UInt32 (5))

    def test_snooze_cli (self):
        self.skip_if_wrapped (lpctest.SIMULATED_CLOCK_SKIP)
        self.fire_one ()
        rc, out, err = self.run_cli ('snooze', 'bpf-tracing', '2')
        self.assertEqual (rc, 0, err)
        self.assertRegex (out, r'^Snoozed bpf-tracing: reminded again in 2 min, at '
                               r'Mon 20 Sep 2021 15:5\d CEST\n$')
        self.assertEqual (len (self.wait_for_notifications (2)), 2)
        rc, out, err = self.run_cli ('snooze', 'bpf-tracing', '0')
        self.assertEqual (rc, 2, out)
        rc, out, err = self.run_cli ('snooze', 'bpf-tracing', '90')
        self.assertEqual (rc, 2, err)
        self.assertIn ('ends at', err)
        rc, out, err = self.run_cli ('snooze', 'no-such-talk')
        self.assertEqual (rc, 3, err)


class ExactlyOnceTest (ReminderTestCase):

    def test_no_repeat_after_restart (self):
        self.start_mock ()
        self.start_at ('06:54:00', rate=60)
        self.add (TRACING)
        self.assertEqual (len (self.wait_for_notifications (1)), 1)
        self.assertEqual (self.item (TRACING)['reminded'], 'shown')
        # the same minute again, after a restart: nothing is due
        self.stop_daemon ()
        self.start_at ('06:55:30', rate=60)
        self.assertEqual (self.get_prop ('NextReminder'), 0)
        item = self.item (TRACING)
        self.assertEqual ((item['reminder'], item['reminded']), (0, 'shown'))
        self.wait_for_clock (pdt ('06:58'))
        self.assertEqual (len (self.notifications ()), 1)
        self.assertEqual (self.fired.signals, [(TRACING, pdt ('07:00'))])
        # and the CLI shows no missed marker for it
        rc, out, err = self.run_cli ('agenda')
        self.assertEqual (rc, 0, err)
        self.assertNotIn ('missed', out)

    def test_missed_reminder_rule (self):
        # Picks made at 06:00; the daemon is down until 07:10. The talk that
        # is still on gets one late reminder; the one that ended gets none
        # and is logged as missed, which `agenda` shows.
        self.start_at ('06:00:00', rate=1)
        self.add (TRACING)                 # 07:00-07:40: still on at 07:10
        self.add (OPENING)                 # 06:40-07:00: ended by 07:10
        self.add (LORE, remind='30,0')     # 07:00-07:45: both leads late, one reminder
        self.assertEqual (self.item (OPENING)['reminder'], pdt ('06:35'))
        self.stop_daemon ()
        self.start_mock ()
        self.start_at ('07:10:00', rate=1)
        got = self.wait_for_notifications (2)
        self.assertEqual (sorted (n.summary for n in got),
                          sorted (['Started 10 min ago: ' + TITLES[TRACING],
                                   'Started 10 min ago: ' + TITLES[LORE]]))
        for n in got:
            self.assertEqual (n.actions, ACTIONS)
        self.assertEqual (sorted (self.fired.wait_for (2)),
                          sorted ([(TRACING, pdt ('07:00')), (LORE, pdt ('07:00'))]))
        opening = self.item (OPENING)
        self.assertEqual ((opening['reminder'], opening['reminded']), (0, 'missed'))
        self.assertEqual (self.item (TRACING)['reminded'], 'shown')
        rc, out, err = self.run_cli ('agenda')
        self.assertEqual (rc, 0, err)
        line = [l for l in out.splitlines () if OPENING in l]
        self.assertEqual (len (line), 1, out)
        self.assertIn ('reminder missed', line[0])
        rc, out, err = self.run_cli ('agenda', '--json')
        records = {r['id']: r for r in json.loads (out)}
        self.assertEqual ((records[OPENING]['reminded'], records[OPENING]['reminder']),
                          ('missed', None))
        # nothing more comes, also after another restart
        time.sleep (1)
        self.assertEqual (len (self.notifications ()), 2)
        self.stop_daemon ()
        self.start_at ('07:11:00', rate=1)
        self.assertEqual (self.get_prop ('NextReminder'), 0)
        time.sleep (1)
        self.assertEqual (len (self.notifications ()), 2)

    def assert_not_missed (self, talk_id):
        """Neither GetAgenda nor `lpc-agenda agenda` call @talk_id's reminder missed."""
        self.assertNotIn ('reminded', self.item (talk_id))
        rc, out, err = self.run_cli ('agenda')
        self.assertEqual (rc, 0, err)
        line = [l for l in out.splitlines () if talk_id in l]
        self.assertEqual (len (line), 1, out)
        self.assertNotIn ('missed', line[0])

    def test_added_after_it_ended_is_not_missed (self):
        # At 07:10 the opening (06:40-07:00) is picked: its 06:35 reminder
        # was never owed, so it is not "missed"; tracing (07:00-07:40) with a
        # 30-minute lead, picked while it runs, gets its late reminder.
        self.start_mock ()
        self.start_at ('07:10:00', rate=1)
        self.add (OPENING)
        self.add (TRACING, remind='30')
        self.assertEqual (self.item (OPENING)['reminder'], 0)
        self.assert_not_missed (OPENING)
        got = self.wait_for_notifications (1)
        self.assertEqual ([n.summary for n in got], ['Started 10 min ago: ' + TITLES[TRACING]])
        self.assertEqual (self.item (TRACING)['reminded'], 'shown')
        # a later run does not take it for missed either
        self.stop_daemon ()
        self.start_at ('07:20:00', rate=1)
        self.assert_not_missed (OPENING)
        self.assertEqual (self.item (TRACING)['reminded'], 'shown')

    def test_skipped_is_not_missed (self):
        # Skipped at 06:00, before its 06:35 reminder; the daemon is down
        # across that time and runs while the talk (06:40-07:00) ends; it is
        # planned again at 07:01, after it ended: no reminder was missed.
        self.start_at ('06:00:00', rate=1)
        self.add (OPENING)
        self.agenda ().Skip (OPENING)
        self.stop_daemon ()
        self.start_mock ()
        self.start_at ('06:50:00', rate=60)
        self.wait_for_clock (pdt ('07:01'))
        self.assertEqual (self.item (OPENING)['state'], 'skipped')
        self.assert_not_missed (OPENING)
        self.agenda ().Unskip (OPENING)
        item = self.item (OPENING)
        self.assertEqual ((item['state'], item['reminder']), ('planned', 0))
        self.assert_not_missed (OPENING)
        self.stop_daemon ()
        self.start_at ('07:05:00', rate=1)
        self.assert_not_missed (OPENING)
        self.assertEqual (self.notifications (), [])
        self.assertEqual (self.fired.signals, [])

    def test_moved_by_import_notice_and_new_reminder (self):
        # The reminder fired at 06:55; then a re-import moves the talk to
        # 07:10: one "Moved" notice (no actions), and a reminder again at
        # 07:05 for the new start.
        self.start_mock ()
        self.start_at ('06:54:00', rate=60)
        self.add (TRACING)
        self.assertEqual (len (self.wait_for_notifications (1)), 1)
        with open (lpctest.timetable_path (), encoding='utf-8') as f:
            text = f.read ()
        old = '      \u2022 7:00\u202fAM\n        BPF tracing: exploring'
        self.assertEqual (text.count (old), 1)
        moved = os.path.join (self.tmpdir, 'moved.txt')
        with open (moved, 'w', encoding='utf-8') as f:
            f.write (text.replace (old, '      \u2022 7:10\u202fAM\n        BPF tracing: exploring'))
        summary = unwrap (self.agenda ().ImportProgram (
            moved, dbus.Dictionary ({}, signature='sv')))
        self.assertEqual (summary['moved'], [TRACING])
        got = self.wait_for_notifications (2)
        self.assertEqual (len (got), 2)
        self.assert_reminder (got[1], 'Moved: %s 16:00 \u2192 16:10 CEST (Europe/Berlin)' % TITLES[TRACING],
                              actions=set (), category='x-lpcagenda.reminder.changed')
        self.assertIn ('Was: Mon 16:00 CEST (Europe/Berlin)', got[1].body)
        item = self.item (TRACING)
        self.assertEqual ((item['state'], item['reminder']), ('moved', pdt ('07:05')))
        got = self.wait_for_notifications (3, timeout=30)
        self.assertEqual (len (got), 3)
        self.assertEqual (got[2].summary, 'In 5 min: ' + TITLES[TRACING])
        self.assertEqual (self.fired.wait_for (2),
                          [(TRACING, pdt ('07:00')), (TRACING, pdt ('07:10'))])


class MisbehavingServerTest (ReminderTestCase):

    def test_no_server_then_one_appears (self):
        self.skip_if_wrapped (lpctest.SIMULATED_CLOCK_SKIP)
        # No notification server: one message, the daemon keeps serving
        # (under fatal warnings), the reminder waits and goes to the server
        # that appears, while the talk is still on; ReminderFired only once.
        env = self.env_with (G_DEBUG='fatal-warnings')
        self.start_at ('06:54:00', rate=60, env=env)
        self.add (TRACING)
        self.assertEqual (self.fired.wait_for (1, timeout=20), [(TRACING, pdt ('07:00'))])
        deadline = time.monotonic () + 10
        while 'No desktop notification server' not in self.daemon.output ():
            self.assertLess (time.monotonic (), deadline, self.daemon.output ())
            time.sleep (0.05)
        self.assert_daemon_alive ()
        self.assertTrue (self.talks (day='mon'))
        # the reminder is logged on the daemon's output, and kept
        self.assertIn ('Reminder: In 5 min: ' + TITLES[TRACING], self.daemon.output ())
        self.assertNotIn ('reminded', self.item (TRACING))
        self.start_mock ()
        got = self.wait_for_notifications (1)
        self.assertEqual (len (got), 1)
        self.assertTrue (got[0].summary.endswith (': ' + TITLES[TRACING]), got[0].summary)
        self.assertEqual (got[0].body, TRACING_BODY)
        self.assertEqual (got[0].actions, ACTIONS)
        self.assertEqual (self.item (TRACING)['reminded'], 'shown')
        self.assertEqual (len (self.fired.signals), 1)
        self.assertEqual (self.daemon.output ().count ('No desktop notification server'), 1)
        self.assert_daemon_alive ()

    def test_server_appears_after_the_talk_ended (self):
        # Held while no server runs; the talk (07:00-07:05) ends first: it is
        # logged as missed and never shown.
        env = self.env_with (G_DEBUG='fatal-warnings')
        self.start_at ('06:54:00', rate=120, env=env)
        self.add (SCHED_INTRO)
        self.assertEqual (self.fired.wait_for (1, timeout=20), [(SCHED_INTRO, pdt ('07:00'))])
        self.wait_for_clock (pdt ('07:06'))
        deadline = time.monotonic () + 10
        while self.item (SCHED_INTRO).get ('reminded') != 'missed':
            self.assertLess (time.monotonic (), deadline)
            time.sleep (0.05)
        self.start_mock ()
        time.sleep (1)
        self.assertEqual (self.notifications (), [])
        self.assert_daemon_alive ()

    def start_silent_server (self, *args):
        server = lpctest.LoggedProcess (
            'silent-notifier',
            ['/usr/bin/python3', os.path.join (os.path.dirname (os.path.abspath (__file__)),
                                               'silent_notifier.py')] + list (args),
            self.env, os.path.join (self.tmpdir, 'silent-notifier.log'), cwd=self.tmpdir)
        self.others.append (server)
        self.wait_for_name (lpctest.NOTIFICATIONS_NAME, process=server)
        return server

    def test_stops_promptly_while_the_server_hangs (self):
        # SIGTERM while the notifier waits for a server that never answers:
        # the daemon still exits 0, at once (not after D-Bus's timeouts).
        server = self.start_silent_server ()
        env = self.env_with (G_DEBUG='fatal-warnings')
        self.start_at ('06:54:00', rate=60, env=env)
        self.add (TRACING)
        self.assertEqual (self.fired.wait_for (1, timeout=20), [(TRACING, pdt ('07:00'))])
        deadline = time.monotonic () + 10
        while 'GetCapabilities' not in server.output ():
            self.assertLess (time.monotonic (), deadline, server.output ())
            time.sleep (0.05)
        t0 = time.monotonic ()
        rc = self.daemon.stop (signal.SIGTERM, lpctest.STOP_TIMEOUT)
        self.assertEqual (rc, 0, self.daemon.output ())
        self.assertLess (time.monotonic () - t0, 3.0)

    def test_server_that_never_answers (self):
        # A server that owns the name and never answers: the daemon keeps
        # answering (every call during the hang within 1 s), and the
        # reminder is tried again later, when the server has come round.
        server = self.start_silent_server ('--answer-from', '2')
        env = self.env_with (G_DEBUG='fatal-warnings')
        self.start_at ('06:54:58', rate=1, env=env)
        self.add (TRACING)
        self.assertEqual (self.fired.wait_for (1, timeout=20), [(TRACING, pdt ('07:00'))])
        deadline = time.monotonic () + 10
        while 'CALL 1 GetCapabilities' not in server.output ():
            self.assertLess (time.monotonic (), deadline, server.output ())
            time.sleep (0.05)
        # The hang: the daemon's worker waits for the server; its main loop
        # does not.
        worst = 0.0
        hang_until = time.monotonic () + 8
        while time.monotonic () < hang_until:
            t0 = time.monotonic ()
            talks = self.talks (day='mon')
            worst = max (worst, time.monotonic () - t0)
            self.assertTrue (talks)
            time.sleep (0.2)
        self.assertLess (worst, 1.0, 'ListTalks took %.3f s during the hang' % worst)
        self.assertNotIn ('reminded', self.item (TRACING))
        # After the timeout and the back-off the reminder is tried again;
        # the server answers that time.
        deadline = time.monotonic () + 90
        while 'NOTIFY ' not in server.output ():
            self.assertLess (time.monotonic (), deadline, 'never retried:\n' + server.output ())
            self.talks (limit=dbus.UInt32 (1))
            time.sleep (0.2)
        self.assertIn ('does not answer', self.daemon.output ())
        notify = [l for l in server.output ().splitlines () if l.startswith ('NOTIFY ')]
        self.assertEqual (len (notify), 1, server.output ())
        self.assertTrue (notify[0].endswith (': ' + TITLES[TRACING]), notify[0])
        deadline = time.monotonic () + 10
        while self.item (TRACING).get ('reminded') != 'shown':
            self.assertLess (time.monotonic (), deadline)
            time.sleep (0.05)
        self.assertEqual (len (self.fired.signals), 1)
        self.assert_daemon_alive ()


class CliTest (ReminderTestCase):

    def test_agenda_and_next_show_the_reminder (self):
        self.start_at ('06:30:00', rate=1)
        self.add (TRACING)
        self.add (LORE, remind='off')
        rc, out, err = self.run_cli ('agenda')
        self.assertEqual (rc, 0, err)
        lines = {tid: [l for l in out.splitlines () if re.match (r'^\s*\S+\s+%s\s' % tid, l)]
                 for tid in (TRACING, LORE)}
        self.assertIn ('remind 15:55', lines[TRACING][0])
        self.assertNotIn ('remind', lines[LORE][0])
        rc, out, err = self.run_cli ('next')
        self.assertEqual (rc, 0, err)
        self.assertIn ('reminder: Mon 20 Sep 2021 15:55 CEST', out)
        rc, out, err = self.run_cli ('next', '--json')
        records = {r['id']: r for r in json.loads (out)}
        self.assertEqual (records[TRACING]['reminder'], '2021-09-20T13:55:00Z')
        self.assertIsNone (records[LORE]['reminder'])
        self.assertIsNone (records[TRACING]['reminded'])

    def test_config_lead_times (self):
        self.start_at ('06:30:00', rate=1)
        rc, out, err = self.run_cli ('config', 'lead-times', '0,10')
        self.assertEqual ((rc, out), (0, 'lead-times is now 10,0 min\n'), err)
        rc, out, err = self.run_cli ('config', 'lead-time')
        self.assertEqual ((rc, out), (0, '10\n'))
        rc, out, err = self.run_cli ('config', '--json')
        settings = json.loads (out)
        self.assertEqual ((settings['lead-time'], settings['lead-times']), (10, '10,0'))
        for bad in ('off', 'default', 'soon', '1441'):
            with self.subTest (value=bad):
                rc, out, err = self.run_cli ('config', 'lead-times', bad)
                self.assertEqual (rc, 2, err)
                self.assertIn ('lead-times', err)
        rc, out, err = self.run_cli ('config', 'lead-time', '7')
        self.assertEqual (rc, 0, err)
        rc, out, err = self.run_cli ('config', 'lead-times')
        self.assertEqual (out, '7\n')
        rc, out, err = self.run_cli ('status')
        self.assertRegex (out, r'lead-times\s+7 min')


class LeadTimesTest (ReminderTestCase):

    def test_lead_times_property (self):
        self.start_at ('06:30:00', rate=1)
        changed = lpctest.SignalRecorder (self.conn, 'PropertiesChanged',
                                          interface='org.freedesktop.DBus.Properties')
        self.assertEqual ((self.get_prop ('LeadTimes'), self.get_prop ('LeadTime')), ('5', 5))
        self.add (TRACING)
        self.set_prop ('LeadTimes', dbus.String ('15,0,15'))
        self.assertEqual ((self.get_prop ('LeadTimes'), self.get_prop ('LeadTime')), ('15,0', 15))
        # the schedule follows at once
        self.assertEqual (self.get_prop ('NextReminder'), pdt ('06:45'))
        deadline = time.monotonic () + 5
        while not any ('LeadTimes' in s[1] for s in changed.signals):
            self.assertLess (time.monotonic (), deadline, changed.signals)
            changed.wait_for (len (changed.signals) + 1, timeout=0.1)
        sig = [s[1] for s in changed.signals if 'LeadTimes' in s[1]][0]
        self.assertEqual ((sig['LeadTimes'], sig['LeadTime']), ('15,0', 15))
        # LeadTime makes itself the only one
        self.set_prop ('LeadTime', dbus.UInt32 (3))
        self.assertEqual ((self.get_prop ('LeadTimes'), self.get_prop ('LeadTime')), ('3', 3))
        self.assertEqual (self.get_prop ('NextReminder'), pdt ('06:57'))
        self.set_prop ('LeadTimes', dbus.String ('20,5'))
        for bad in ('', 'off', 'soon', '5,', '1441', '1,2,3,4,5,6,7,8,9', '-1'):
            with self.subTest (value=bad):
                e = self.assertDBusError ('InvalidArgument', self.set_prop, 'LeadTimes',
                                          dbus.String (bad))
                self.assertIn ('LeadTimes', e.get_dbus_message ())
        self.assertDBusError ('org.freedesktop.DBus.Error.InvalidArgs', self.set_prop,
                              'LeadTimes', dbus.UInt32 (5))
        self.assertEqual (self.get_prop ('LeadTimes'), '20,5')
        # kept across a restart
        self.stop_daemon ()
        self.start_at ('06:30:00', rate=1)
        self.assertEqual ((self.get_prop ('LeadTimes'), self.get_prop ('LeadTime')), ('20,5', 20))
        self.assertEqual (self.get_prop ('NextReminder'), pdt ('06:40'))


class DunstTest (ReminderTestCase):
    """The real thing: dunst, under Xvfb, on the private bus."""

    def start_xvfb (self):
        if not shutil.which ('Xvfb') or not shutil.which ('dunst') or not shutil.which ('dunstctl'):
            self.skipTest ('dunst and Xvfb are not installed (apt install dunst xvfb x11-utils)')
        # -displayfd: Xvfb picks a free display and writes its number once it
        # accepts connections, so parallel tests never collide.
        rfd, wfd = os.pipe ()
        log = open (os.path.join (self.tmpdir, 'xvfb.log'), 'wb')
        proc = subprocess.Popen (['Xvfb', '-displayfd', str (wfd), '-screen', '0', '1024x768x24',
                                  '-nolisten', 'tcp'],
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                 env=self.env, cwd=self.tmpdir, pass_fds=[wfd])
        os.close (wfd)

        def stop ():
            proc.terminate ()
            try:
                proc.wait (5)
            except subprocess.TimeoutExpired:
                proc.kill ()
                proc.wait ()
            log.close ()
        self.addCleanup (stop)
        buf = b''
        deadline = time.monotonic () + lpctest.START_TIMEOUT
        while not buf.endswith (b'\n'):
            left = deadline - time.monotonic ()
            self.assertGreater (left, 0, 'Xvfb did not start')
            r, _, _ = select.select ([rfd], [], [], left)
            if r:
                chunk = os.read (rfd, 64)
                self.assertTrue (chunk, 'Xvfb exited: ' + lpctest.read_text (log.name))
                buf += chunk
        os.close (rfd)
        display = ':' + buf.decode ().strip ()
        rc, _, err = self.run_cmd (['xdpyinfo'], extra_env={'DISPLAY': display})
        self.assertEqual (rc, 0, err)
        return display

    def test_dunst_shows_the_reminder (self):
        self.skip_if_wrapped (lpctest.SIMULATED_CLOCK_SKIP)
        display = self.start_xvfb ()
        dunst_env = self.env_with (DISPLAY=display)
        dunst = lpctest.LoggedProcess ('dunst', ['dunst', '-print'], dunst_env,
                                       os.path.join (self.tmpdir, 'dunst.log'), cwd=self.tmpdir)
        self.others.append (dunst)
        self.wait_for_name (lpctest.NOTIFICATIONS_NAME, process=dunst)
        self.start_at ('06:54:00', rate=30)
        self.add (TRACING)
        self.assertEqual (self.fired.wait_for (1, timeout=20), [(TRACING, pdt ('07:00'))])
        deadline = time.monotonic () + 20
        while self.item (TRACING).get ('reminded') != 'shown':
            self.assertLess (time.monotonic (), deadline, dunst.output ())
            time.sleep (0.05)
        # what dunst received, from its own log ...
        log = dunst.output ()
        self.assertIn ("appname: 'lpc-agenda'", log)
        self.assertIn ("summary: 'In 5 min: %s'" % TITLES[TRACING], log)
        self.assertIn ('BPF &amp; Networking Summit', log)
        self.assertIn ("category: x-lpcagenda.reminder", log)
        self.assertNotIn ('Unable to parse markup', log)
        # ... and from its history, once closed
        rc, out, err = self.run_cmd (['dunstctl', 'close-all'], env=dunst_env)
        self.assertEqual (rc, 0, err)
        deadline = time.monotonic () + 10
        while True:
            rc, out, err = self.run_cmd (['dunstctl', 'history'], env=dunst_env)
            self.assertEqual (rc, 0, err)
            history = json.loads (out)['data'][0]
            if history or time.monotonic () > deadline:
                break
            time.sleep (0.1)
        self.assertEqual (len (history), 1, out)
        n = history[0]
        self.assertEqual (n['appname']['data'], 'lpc-agenda')
        self.assertEqual (n['summary']['data'], 'In 5 min: ' + TITLES[TRACING])
        self.assertIn ('Speaker: Alan Maguire (Oracle)', n['body']['data'])
        self.assertIn ('BPF', n['body']['data'])
        self.assertGreaterEqual (n['id']['data'], 1)
        self.assert_daemon_alive ()


if __name__ == '__main__':
    raise SystemExit (lpctest.main ())
