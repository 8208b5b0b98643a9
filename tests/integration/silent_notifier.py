#!/usr/bin/python3
# silent_notifier.py: a notification server that owns
# org.freedesktop.Notifications on the session bus and never answers, for
# the reminder tests: a desktop whose server hangs must not freeze
# lpc-agendad.
#
# Usage: silent_notifier.py [--answer-from N]
#   Every call is logged to stdout ("CALL <n> <method> <monotonic time>") and
#   left unanswered, until call number N (counting from 1): from then on it
#   answers like a plain server (capabilities "body body-markup actions",
#   Notify returns ids from 1), so a test can see a retried reminder arrive.
#   Without --answer-from it never answers at all.

import argparse
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

NAME = 'org.freedesktop.Notifications'
PATH = '/org/freedesktop/Notifications'
IFACE = 'org.freedesktop.Notifications'


class Silent (dbus.service.Object):

    def __init__ (self, conn, answer_from):
        super ().__init__ (conn, PATH)
        self.answer_from = answer_from
        self.count = 0
        self.next_id = 1
        # Unanswered calls are kept: dropping the callbacks would let
        # python-dbus answer them with an error.
        self.pending = []

    def _log (self, method):
        self.count += 1
        print ('CALL %d %s %.3f' % (self.count, method, time.monotonic ()), flush=True)
        return self.answer_from is not None and self.count >= self.answer_from

    @dbus.service.method (IFACE, in_signature='', out_signature='as',
                          async_callbacks=('ok', 'err'))
    def GetCapabilities (self, ok, err):
        if self._log ('GetCapabilities'):
            ok (['body', 'body-markup', 'actions'])
        else:
            self.pending.append ((ok, err))

    @dbus.service.method (IFACE, in_signature='', out_signature='ssss',
                          async_callbacks=('ok', 'err'))
    def GetServerInformation (self, ok, err):
        if self._log ('GetServerInformation'):
            ok ('silent', 'lpc-agenda tests', '1.0', '1.2')
        else:
            self.pending.append ((ok, err))

    @dbus.service.method (IFACE, in_signature='susssasa{sv}i', out_signature='u',
                          async_callbacks=('ok', 'err'))
    def Notify (self, app_name, replaces_id, app_icon, summary, body, actions, hints, timeout,
                ok, err):
        if self._log ('Notify'):
            print ('NOTIFY %s' % summary, flush=True)
            ok (dbus.UInt32 (self.next_id))
            self.next_id += 1
        else:
            self.pending.append ((ok, err))

    @dbus.service.method (IFACE, in_signature='u', out_signature='',
                          async_callbacks=('ok', 'err'))
    def CloseNotification (self, notification_id, ok, err):
        if self._log ('CloseNotification'):
            ok ()
        else:
            self.pending.append ((ok, err))


def main ():
    parser = argparse.ArgumentParser ()
    parser.add_argument ('--answer-from', type=int, default=None)
    args = parser.parse_args ()
    dbus.mainloop.glib.DBusGMainLoop (set_as_default=True)
    conn = dbus.SessionBus ()
    server = Silent (conn, args.answer_from)
    # Owned only once the object is there, so no call finds it missing.
    name = dbus.service.BusName (NAME, conn, do_not_queue=True)
    print ('READY %s' % conn.get_unique_name (), flush=True)
    loop = GLib.MainLoop ()
    try:
        loop.run ()
    except KeyboardInterrupt:
        pass
    del name, server


if __name__ == '__main__':
    sys.exit (main ())
