import test from 'ava';
import fc from 'fast-check';
import type { AgentDay, LunchSpec, ShiftSpec, TrainingSpec } from './agent-day-types.js';
import { agentWindows, type CalendarView, type Window } from './agent-schedule.js';
import { GroupSchedule, type WindowCursor } from './window-cursor.js';
import { BusinessCalendar } from '../sim/ivr/calendar.js';
import type { CalendarSpec } from '../sim/ivr/calendar-types.js';

const H = 3600;
const DAY = 86400;
/** The parts of a day the windows do not depend on. */
const BASE_DAY: AgentDay = {
  shift: { kind: 'always' },
  lunch: null,
  training: null,
  notReady: null,
  ringNoAnswer: null,
  hold: { probability: 0, duration: { kind: 'constant', value: 30 }, limit: 30, returns: 0.8 },
  wrapUpLimit: 30,
  skills: { general: 1 },
};

function drain(cursor: WindowCursor): Window[] {
  const out: Window[] = [];
  while (cursor.advance()) out.push({ start: cursor.start, end: cursor.end });
  return out;
}

// Zones with daylight saving on either side of the world, a half-hour offset, and none.
const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];
const date = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-03-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
/** Times of day, often on the half hour so that shifts, lunches and agent hours meet exactly. */
const timeOfDay = fc.oneof(fc.integer({ min: 0, max: 47 }).map((k) => k * 1800), fc.integer({ min: 0, max: DAY - 1 }));
/** Two different times of day, in order; the later may be midnight at the end of the day. */
const span: fc.Arbitrary<readonly [number, number]> = fc
  .tuple(timeOfDay, fc.oneof(timeOfDay, fc.constant(DAY)))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => (a < b ? [a, b] : [b, a]));
const hours = fc.tuple(timeOfDay, timeOfDay).map(([open, close]) => ({ open, close })); // open >= close: no agent hours that season
const calendarSpec: fc.Arbitrary<CalendarSpec> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  seasons: fc.oneof(
    hours.map((h) => [{ name: 'all', from: '01-01', to: '12-31', ...h }]),
    fc.tuple(hours, hours).map(([s, w]) => [{ name: 'summer', from: '05-01', to: '09-30', ...s }, { name: 'winter', from: '10-01', to: '04-30', ...w }]),
  ),
  agentDays: fc.subarray([0, 1, 2, 3, 4, 5, 6]),
  holidays: fc.array(date, { maxLength: 30 }),
  workdays: fc.array(date, { maxLength: 10 }),
});
/** Starts at any instant (milliseconds included), so that the first local midnight is any time before it. */
const startIso = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const shift: fc.Arbitrary<ShiftSpec> = fc.oneof(
  fc.constant({ kind: 'always' as const }),
  fc.constant({ kind: 'agent-hours' as const }),
  fc
    .array(
      fc.record({
        days: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
        // a night shift (end before start) as often as a day shift
        times: fc.tuple(timeOfDay, fc.oneof(timeOfDay, fc.constant(DAY))).filter(([a, b]) => a !== b),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((shifts) => ({ kind: 'shifts' as const, shifts: shifts.map((s) => ({ days: s.days, start: s.times[0], end: s.times[1] })) })),
);
const lunch: fc.Arbitrary<LunchSpec | null> = fc.option(
  fc.tuple(span, fc.double({ min: 0, max: 1, noNaN: true })).map(([[from, to], f]) => ({ from, to, duration: Math.max(1, Math.round(f * (to - from))) })),
  { nil: null },
);
const training: fc.Arbitrary<TrainingSpec | null> = fc.option(
  fc.record({ day: fc.integer({ min: 0, max: 6 }), span, share: fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })) }).map((t) => ({ day: t.day, from: t.span[0], to: t.span[1], share: t.share })),
  { nil: null },
);
const horizon = fc.oneof(fc.integer({ min: 1, max: 45 }).map((d) => d * DAY), fc.double({ min: 1, max: 45 * DAY, noNaN: true }));

test('an agent\'s cursor gives exactly the windows agentWindows lists: shifts, calendars, lunches, training, any start', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(calendarSpec, startIso, shift, lunch, training, fc.integer({ min: 1, max: 9 }), horizon, (spec, start, sh, l, tr, count, h) => {
        const cal = new BusinessCalendar(spec, start);
        const day: AgentDay = { ...BASE_DAY, shift: sh, lunch: l, training: tr };
        const group = new GroupSchedule(day, count, cal, h);
        for (let i = 0; i < count; i++) {
          const eager = agentWindows(day, i, count, cal, h);
          const lazy = drain(group.cursor(i));
          if (JSON.stringify(lazy) !== JSON.stringify(eager)) throw new Error(`agent ${i}: cursor ${JSON.stringify(lazy)} but agentWindows ${JSON.stringify(eager)}`);
          // JSON writes Infinity as null: the last window's end, compared as a number too
          if (lazy.length > 0 && !Object.is(lazy[lazy.length - 1]!.end, eager[eager.length - 1]!.end)) throw new Error(`agent ${i}: last end differs`);
        }
      }),
      { numRuns: 300 },
    ),
  );
});

/** A calendar that counts what it is asked. */
function counting(cal: CalendarView): { view: CalendarView; calls: () => number } {
  let calls = 0;
  const view: CalendarView = {
    agentHours: (x) => (calls++, cal.agentHours(x)),
    nextChange: (x) => (calls++, cal.nextChange(x)),
    secondsOfDay: (x) => (calls++, cal.secondsOfDay(x)),
    weekday: (x) => (calls++, cal.weekday(x)),
  };
  return { view, calls: () => calls };
}

test('a cursor works a window ahead: the first window of a year asks the calendar about a day, the whole year about every day', (t) => {
  const spec: CalendarSpec = { timeZone: 'Asia/Shanghai', seasons: [{ name: 'all', from: '01-01', to: '12-31', open: 8 * H, close: 18 * H }], agentDays: [0, 1, 2, 3, 4], holidays: [], workdays: [] };
  const cal = new BusinessCalendar(spec, '2026-07-06T00:00:00+08:00');
  const year = 365 * DAY;
  const days: AgentDay[] = [
    { ...BASE_DAY, shift: { kind: 'agent-hours' }, lunch: { from: 11 * H, to: 13 * H, duration: 0.5 * H }, training: { day: 4, from: 14 * H, to: 17 * H, share: 0.25 } },
    { ...BASE_DAY, shift: { kind: 'shifts', shifts: [{ days: [0, 1, 2, 3, 4], start: 22 * H, end: 6 * H }] }, lunch: null, training: { day: 2, from: 1 * H, to: 2 * H, share: 1 } },
  ];
  for (const day of days) {
    const first = counting(cal);
    const cursor = new GroupSchedule(day, 4, first.view, year).cursor(1);
    t.true(cursor.advance());
    // The eager list asks several questions per day of the run (over a thousand here).
    t.true(first.calls() <= 12, `${first.calls()} calendar calls for the first window`);
    const all = counting(cal);
    const n = drain(new GroupSchedule(day, 4, all.view, year).cursor(1)).length;
    t.true(n > 250, `${n} windows in a year`);
    t.true(all.calls() > 365, 'the whole year is worked out as the windows come');
  }
});
