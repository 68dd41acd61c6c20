// The hotline's calendar in a scenario: its time zone, the seasons with their agent hours
// (seed 001 "工作时间规定": summer 08:00-18:00, winter 08:00-17:00; the seeds do not date the
// seasons, May to September is the common choice), the weekdays agents work, holidays and
// weekend days worked instead (调休). Every day of the year must fall in exactly one season;
// a gap or an overlap is reported with the days it concerns.

import { isScalar, isSeq } from 'yaml';
import type { Checked, Cursor } from './cursor.js';
import type { Field } from './schema-dsl.js';
import { list, obj } from './schema-shapes.js';
import { date, monthDay, monthDayIndex, monthDayText, oneOf, str, timeOfDay, timeZone } from './schema-scalars.js';
import type { CalendarSpec, Season } from './types.js';
import { formatClock } from './units.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAYS_IN_LEAP_YEAR = 366;

const agentHours = obj('When agents answer, in local time; the IVR itself serves all day.', {
  open: timeOfDay('Agents start answering, `HH:MM`; quote it.'),
  close: timeOfDay('Agents stop answering (calls from then on are outside agent hours); `"24:00"` for midnight.', { endOfDay: true }),
}).also((hours, cur) => {
  if (hours.open === undefined || hours.close === undefined || hours.open < hours.close) return true;
  cur.key('close').issue(`agents close (${formatClock(hours.close)}) before they open (${formatClock(hours.open)})`, {
    expected: `a time after \`open\` (${formatClock(hours.open)})`,
  });
  return false;
});

const season = obj('A season: a span of days of the year and its agent hours.', {
  name: str('Name, unique among the seasons, e.g. `summer`.', { check: (t) => (t.trim() === '' ? 'a season needs a name' : undefined) }),
  from: monthDay('First day, `MM-DD`, inclusive; quote it.'),
  to: monthDay('Last day, `MM-DD`, inclusive; may be before `from` to wrap the new year (`"10-01"` to `"04-30"`).'),
  agentHours,
}).map((s): Season => ({ name: s.name, from: s.from, to: s.to, open: s.agentHours.open, close: s.agentHours.close }));

/** Days of a leap year (0 = `01-01`) from `from` to `to`, in order, wrapping the new year. */
function daysBetween(from: number, to: number): number[] {
  const count = ((to - from + DAYS_IN_LEAP_YEAR) % DAYS_IN_LEAP_YEAR) + 1;
  return Array.from({ length: count }, (_, i) => (from + i) % DAYS_IN_LEAP_YEAR);
}

/** `05-01`, or `05-01` to `05-31`: runs of consecutive days, the year taken as a circle. */
function spans(days: readonly number[]): string[] {
  const set = new Set(days);
  if (set.size === DAYS_IN_LEAP_YEAR) return ['`01-01` to `12-31`'];
  const out: string[] = [];
  // Start after a day not in the set, so that a run across the new year stays one run.
  const start = [...Array(DAYS_IN_LEAP_YEAR).keys()].find((d) => !set.has(d))!;
  for (let i = 1; i <= DAYS_IN_LEAP_YEAR; i++) {
    const day = (start + i) % DAYS_IN_LEAP_YEAR;
    if (!set.has(day) || set.has((day - 1 + DAYS_IN_LEAP_YEAR) % DAYS_IN_LEAP_YEAR)) continue;
    let last = day;
    while (set.has((last + 1) % DAYS_IN_LEAP_YEAR)) last = (last + 1) % DAYS_IN_LEAP_YEAR;
    out.push(last === day ? `\`${monthDayText(day)}\`` : `\`${monthDayText(day)}\` to \`${monthDayText(last)}\``);
  }
  return out;
}

function sayDays(days: readonly number[]): string {
  const all = spans(days);
  const shown = all.length > 4 ? [...all.slice(0, 4), `${all.length - 4} more spans`] : all;
  return `${shown.join(', ')} ${days.length === 1 ? 'is' : 'are'}`;
}

/** What a season says as written: its name and days, or undefined when they cannot be read. */
function writtenSeason(cur: Cursor): { name: string; days: number[] } | undefined {
  const text = (key: string): string | undefined => {
    const node = cur.key(key).resolvedNode();
    return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  };
  const from = monthDayIndex(text('from') ?? '');
  const to = monthDayIndex(text('to') ?? '');
  if (from === undefined || to === undefined) return undefined;
  return { name: text('name') ?? '?', days: daysBetween(from, to) };
}

/**
 * Every day of the year (`02-29` included) in exactly one season: a gap is said at the list,
 * an overlap at the later season's `from`; season names are unique. Judged on the days as
 * written (a season with bad hours still covers its days), when every season's days read.
 */
export function checkSeasonCoverage(_: unknown, cur: Cursor): boolean {
  const items = cur.resolvedNode();
  if (!isSeq(items) || items.items.length === 0) return true;
  const seasons = items.items.map((__, j) => writtenSeason(cur.item(j)));
  if (seasons.some((s) => s === undefined)) return true;
  const owner = new Array<number | undefined>(DAYS_IN_LEAP_YEAR).fill(undefined);
  let ok = true;
  seasons.forEach((s, j) => {
    const clashes = new Map<number, number[]>();
    for (const day of s!.days) {
      const i = owner[day];
      if (i === undefined) owner[day] = j;
      else clashes.set(i, [...(clashes.get(i) ?? []), day]);
    }
    for (const [i, days] of clashes) {
      cur.item(j).key('from').issue(`${sayDays(days)} in both \`${seasons[i]!.name}\` and \`${s!.name}\``, {
        expected: 'each day of the year in exactly one season',
      });
      ok = false;
    }
  });
  const missing = owner.flatMap((o, day) => (o === undefined ? [day] : []));
  if (missing.length > 0) {
    cur.issue(`${sayDays(missing)} in no season`, { expected: 'seasons that together cover every day of the year, `02-29` included' });
    ok = false;
  }
  const names = new Map<string, number>();
  seasons.forEach((s, j) => {
    const earlier = names.get(s!.name);
    if (earlier === undefined) names.set(s!.name, j);
    else {
      cur.item(j).key('name').issue(`the season name \`${s!.name}\` is already used`, {
        expected: 'a name unique among the seasons',
        hint: `\`${cur.path}[${earlier}]\` has it`,
      });
      ok = false;
    }
  });
  return ok;
}

/** A list rule: each value once (the second and later mentions are the errors). */
export function checkNoRepeats<T>(values: readonly (T | undefined)[], cur: Cursor): boolean {
  const seen = new Set<T>();
  let ok = true;
  values.forEach((v, i) => {
    if (v === undefined) return;
    if (seen.has(v)) {
      cur.item(i).issue(`\`${String(v)}\` is listed twice`, { expected: 'each value once' });
      ok = false;
    }
    seen.add(v);
  });
  return ok;
}

const DEFAULT_SEASONS = [
  { name: 'summer', from: '05-01', to: '09-30', agentHours: { open: '08:00', close: '18:00' } },
  { name: 'winter', from: '10-01', to: '04-30', agentHours: { open: '08:00', close: '17:00' } },
];

interface CalendarWritten {
  readonly timeZone: string;
  readonly seasons: readonly Season[];
  readonly agentDays: readonly Weekday[];
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

/** A date cannot be a holiday and a worked day at once; said at the worked day. */
function checkHolidaysAndWorkdays(c: Partial<CalendarWritten>, cur: Cursor): boolean {
  if (!c.holidays || !c.workdays) return true;
  const holidays = new Set(c.holidays);
  let ok = true;
  c.workdays.forEach((d, i) => {
    if (!holidays.has(d)) return;
    cur.key('workdays').item(i).issue(`\`${d}\` is both a holiday and a working day`, { expected: 'a date that is not in `holidays`' });
    ok = false;
  });
  return ok;
}

export const CALENDAR: Field<CalendarSpec> = obj('Local time and agent hours: seasons, working weekdays, holidays.', {
  timeZone: timeZone('IANA time zone of the hotline.').withDefault('Asia/Shanghai'),
  seasons: list('Seasons with their agent hours; every day of the year in exactly one.', season, { min: 1 })
    .also(checkSeasonCoverage)
    .withDefault(DEFAULT_SEASONS, 'the seed\'s: `summer` `05-01`-`09-30` 08:00-18:00, `winter` `10-01`-`04-30` 08:00-17:00'),
  agentDays: list('Weekdays agents work (`mon` ... `sun`).', oneOf('A weekday.', WEEKDAYS))
    .also(checkNoRepeats)
    .withDefault(['mon', 'tue', 'wed', 'thu', 'fri']),
  holidays: list('Dates without agent service, `YYYY-MM-DD`; quote them.', date('A public holiday.'))
    .also(checkNoRepeats)
    .withDefault([]),
  workdays: list('Dates agents work although `agentDays` excludes their weekday (调休), `YYYY-MM-DD`.', date('A worked weekend day.'))
    .also(checkNoRepeats)
    .withDefault([]),
})
  .also(checkHolidaysAndWorkdays)
  .map(
    (c): Checked<CalendarSpec> => ({
      timeZone: c.timeZone,
      seasons: c.seasons,
      agentDays: c.agentDays.map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b),
      holidays: c.holidays,
      workdays: c.workdays,
    }),
  )
  .withDefault({});
