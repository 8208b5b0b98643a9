# ical_readers.py: what real calendar clients read from an iCalendar file.
#
# read_instants (path) runs three independent parsers on the file and returns,
# for each, {uid: (start, end, [alarm instants])}: the true instants (Unix
# seconds, UTC) of each VEVENT's DTSTART and DTEND and of each VALARM's firing,
# as that parser understands them:
#   libical            through ICalGLib (libical's public API, as Evolution and
#                      GNOME Calendar use it): each VTIMEZONE of the file made
#                      into an ICalGLib.Timezone, a TZID resolved against those
#                      only, never libical's built-in zones;
#   ical.js            Thunderbird's parser, from npm (tests/js/ical-instants.mjs);
#   python3-icalendar  its decoded values (it maps a TZID to its own zone data),
#                      which must agree with the file's VTIMEZONE made into a
#                      tzinfo by icalendar (Timezone.to_tz).
# A time a reader cannot place (floating, or a TZID without a VTIMEZONE) is
# a ReaderError: a client would show it in whatever zone it runs in.

import json
import os
import shutil
import subprocess

import lpctest


class ReaderError (Exception):
    pass


class ReaderMissing (Exception):
    """The reader is not installed here (.ci/install-deps installs it)."""


def _libical (path):
    try:
        import gi
        gi.require_version ('ICalGLib', '3.0')
        from gi.repository import ICalGLib
    except (ImportError, ValueError) as e:
        raise ReaderMissing ('ICalGLib (gir1.2-ical-3.0): %s' % e)
    with open (path) as f:
        calendar = ICalGLib.Parser.parse_string (f.read ())
    if calendar is None or calendar.isa () != ICalGLib.ComponentKind.VCALENDAR_COMPONENT:
        raise ReaderError ('libical: %s is not an iCalendar' % path)
    zones = {}
    vtimezone = calendar.get_first_component (ICalGLib.ComponentKind.VTIMEZONE_COMPONENT)
    while vtimezone is not None:
        zone = ICalGLib.Timezone.new ()
        if not zone.set_component (vtimezone.clone ()):
            raise ReaderError ('libical: a VTIMEZONE it cannot use')
        zones[zone.get_tzid ()] = zone
        vtimezone = calendar.get_next_component (ICalGLib.ComponentKind.VTIMEZONE_COMPONENT)

    def instant (event, kind, what):
        prop = event.get_first_property (kind)
        if prop is None:
            raise ReaderError ('libical: %s: no %s' % (event.get_uid (), what))
        # The component's getter applies libical's own rule: a time written
        # in UTC ("...Z") is UTC, whatever TZID the property also names.
        t = event.get_dtstart () if kind == ICalGLib.PropertyKind.DTSTART_PROPERTY \
            else event.get_dtend ()
        if t.is_utc ():
            return t.as_timet_with_zone (ICalGLib.Timezone.get_utc_timezone ())
        param = prop.get_first_parameter (ICalGLib.ParameterKind.TZID_PARAMETER)
        if param is None:
            raise ReaderError ('libical: %s: %s is a floating time' % (event.get_uid (), what))
        zone = zones.get (param.get_tzid ())
        if zone is None:
            raise ReaderError ('libical: %s: %s names TZID %s, which the file does not define'
                               % (event.get_uid (), what, param.get_tzid ()))
        return t.as_timet_with_zone (zone)

    events = {}
    event = calendar.get_first_component (ICalGLib.ComponentKind.VEVENT_COMPONENT)
    while event is not None:
        start = instant (event, ICalGLib.PropertyKind.DTSTART_PROPERTY, 'DTSTART')
        end = instant (event, ICalGLib.PropertyKind.DTEND_PROPERTY, 'DTEND')
        alarms = []
        alarm = event.get_first_component (ICalGLib.ComponentKind.VALARM_COMPONENT)
        while alarm is not None:
            prop = alarm.get_first_property (ICalGLib.PropertyKind.TRIGGER_PROPERTY)
            trigger = prop.get_trigger ()
            if not trigger.get_time ().is_null_time ():
                alarms.append (trigger.get_time ().as_timet_with_zone (
                    ICalGLib.Timezone.get_utc_timezone ()))
            else:
                related = prop.get_first_parameter (ICalGLib.ParameterKind.RELATED_PARAMETER)
                base = end if related is not None and \
                    related.get_related () == ICalGLib.ParameterRelated.END else start
                alarms.append (base + trigger.get_duration ().as_int ())
            alarm = event.get_next_component (ICalGLib.ComponentKind.VALARM_COMPONENT)
        events[event.get_uid ()] = (start, end, sorted (alarms))
        event = calendar.get_next_component (ICalGLib.ComponentKind.VEVENT_COMPONENT)
    return events


def icaljs_dir ():
    return os.path.join (lpctest.source_root (), 'tests', 'js')


def _icaljs (path):
    node = shutil.which ('node') or shutil.which ('nodejs')
    if node is None:
        raise ReaderMissing ('node (nodejs)')
    if not os.path.isdir (os.path.join (icaljs_dir (), 'node_modules', 'ical.js')):
        raise ReaderError ('ical.js is not installed: run npm ci in %s (.ci/install-deps does)'
                           % icaljs_dir ())
    proc = subprocess.run ([node, os.path.join (icaljs_dir (), 'ical-instants.mjs'), path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60 * lpctest.TIMEOUT_FACTOR)
    if proc.returncode != 0:
        raise ReaderError ('ical.js: %s' % proc.stderr.strip ())
    return {e['uid']: (e['start'], e['end'], sorted (e['alarms']))
            for e in json.loads (proc.stdout)}


def _icalendar (path):
    try:
        import icalendar
    except ImportError as e:
        raise ReaderMissing ('python3-icalendar: %s' % e)
    with open (path, 'rb') as f:
        calendar = icalendar.Calendar.from_ical (f.read ())
    zones = {str (z['TZID']): z.to_tz () for z in calendar.walk ('VTIMEZONE')}
    events = {}
    for event in calendar.walk ('VEVENT'):
        uid = str (event['UID'])
        times = []
        for name in ('DTSTART', 'DTEND'):
            t = event.decoded (name)
            if getattr (t, 'tzinfo', None) is None:
                raise ReaderError ('python3-icalendar: %s: %s is a floating time' % (uid, name))
            tzid = event[name].params.get ('TZID')
            if tzid is not None:
                if tzid not in zones:
                    raise ReaderError ('python3-icalendar: %s: %s names TZID %s, which the file '
                                       'does not define' % (uid, name, tzid))
                by_file = int (zones[tzid].localize (t.replace (tzinfo=None)).timestamp ())
                if by_file != int (t.timestamp ()):
                    raise ReaderError ('python3-icalendar: %s: %s is %d by the file\'s VTIMEZONE, '
                                       '%d by its zone data' % (uid, name, by_file, t.timestamp ()))
            times.append (int (t.timestamp ()))
        alarms = []
        for alarm in event.walk ('VALARM'):
            trigger = alarm.decoded ('TRIGGER')
            if hasattr (trigger, 'timestamp'):
                alarms.append (int (trigger.timestamp ()))
                continue
            related = str (alarm['TRIGGER'].params.get ('RELATED', 'START')).upper ()
            base = times[1] if related == 'END' else times[0]
            alarms.append (base + int (trigger.total_seconds ()))
        events[uid] = (times[0], times[1], sorted (alarms))
    return events


READERS = (('libical', _libical), ('ical.js', _icaljs), ('python3-icalendar', _icalendar))


def read_instants (path):
    """{reader: {uid: (start, end, [alarm instants])}} for the three readers."""
    return {name: read (path) for name, read in READERS}
