// Reads an iCalendar file with ical.js (the parser Thunderbird uses) and
// prints, as JSON, each VEVENT's UID, start and end as Unix seconds and the
// instants its VALARMs fire at. The file's own VTIMEZONEs are registered with
// ICAL.TimezoneService, as a calendar client does when it imports the file;
// a zoned time with no VTIMEZONE for its TZID is an error, not a guess.
//
//   node ical-instants.mjs FILE
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

function fail (message) {
  process.stderr.write (`ical-instants: ${message}\n`);
  process.exit (1);
}

if (process.argv.length !== 3)
  fail ('usage: ical-instants.mjs FILE');

const calendar = new ICAL.Component (ICAL.parse (readFileSync (process.argv[2], 'utf8')));
for (const vtimezone of calendar.getAllSubcomponents ('vtimezone'))
  ICAL.TimezoneService.register (new ICAL.Timezone (vtimezone));

function unixTime (time, what) {
  const tzid = time.timezone;
  // A TZID the file names but gives no VTIMEZONE for would be read as a
  // floating time: in whatever zone the reader runs in.
  if (time.zone === ICAL.Timezone.localTimezone || (tzid && !ICAL.TimezoneService.has (tzid)))
    fail (`${what}: time without a known zone: ${time.toString ()}`);
  return time.toUnixTime ();
}

const events = [];
for (const vevent of calendar.getAllSubcomponents ('vevent')) {
  const event = new ICAL.Event (vevent);
  const uid = event.uid;
  const alarms = [];
  for (const valarm of vevent.getAllSubcomponents ('valarm')) {
    const trigger = valarm.getFirstProperty ('trigger');
    const value = trigger.getFirstValue ();
    if (value instanceof ICAL.Time) {
      alarms.push (unixTime (value, `${uid} TRIGGER`));
      continue;
    }
    const base = (trigger.getParameter ('related') || 'START').toUpperCase () === 'END'
      ? event.endDate : event.startDate;
    const fires = base.clone ();
    fires.addDuration (value);
    alarms.push (unixTime (fires, `${uid} VALARM`));
  }
  events.push ({
    uid,
    start: unixTime (event.startDate, `${uid} DTSTART`),
    end: unixTime (event.endDate, `${uid} DTEND`),
    alarms,
  });
}
process.stdout.write (JSON.stringify (events) + '\n');
