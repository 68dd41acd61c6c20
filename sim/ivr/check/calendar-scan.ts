// The moments a calendar can produce, as the checker needs them: which combinations of
// "inside agent hours" and "holiday" occur at all, where one turns into another (closing
// and opening time), and a concrete instant for each, to put a time of day on a
// counterexample. Times are seconds since the scenario's start, as in BusinessCalendar.

import { BusinessCalendar } from '../calendar.js';
import type { CalendarSpec } from '../calendar-types.js';

/** What the calendar says at a moment (the IVR's context without the area code). */
export interface Moment {
  readonly agentHours: boolean;
  readonly holiday: boolean;
}

/** A stretch of time over which the calendar says the same thing. */
export interface CalendarInterval extends Moment {
  readonly from: number;
  readonly to: number;
}

const DAY = 86400;
/** A year and a bit: every season, weekday and dated holiday occurs. */
export const HORIZON = 400 * DAY;

export const momentKey = (m: Moment): string => `${m.agentHours ? 'hours' : 'closed'}${m.holiday ? '-holiday' : ''}`;

export function describeMoment(m: Moment): string {
  if (m.holiday) return m.agentHours ? 'a holiday, inside agent hours' : 'a holiday (no agent service)';
  return m.agentHours ? 'inside agent hours' : 'outside agent hours';
}

export class CalendarScan {
  readonly calendar: BusinessCalendar;
  readonly intervals: readonly CalendarInterval[];

  constructor(
    readonly spec: CalendarSpec,
    readonly start: string,
    horizon = HORIZON,
  ) {
    this.calendar = new BusinessCalendar(spec, start);
    this.intervals = scan(this.calendar, horizon);
  }

  moment(t: number): Moment {
    return { agentHours: this.calendar.agentHours(t), holiday: this.calendar.holiday(t) };
  }

  /** The combinations that occur, in a fixed order (inside hours first). */
  moments(): Moment[] {
    const seen = new Map<string, Moment>();
    for (const i of this.intervals) seen.set(momentKey(i), { agentHours: i.agentHours, holiday: i.holiday });
    return [...seen.values()].sort((a, b) => rank(a) - rank(b));
  }

  /** Whether the calendar turns `from` into `to` at some instant (closing or opening time). */
  changes(from: Moment, to: Moment): boolean {
    return this.boundary(from, to, 0, 0) !== undefined;
  }

  /** An instant t such that [t, t + length] lies in one interval of moment `m`, preferring an hour in. */
  instantFor(m: Moment, length: number): number | undefined {
    for (const i of this.intervals) {
      if (momentKey(i) !== momentKey(m) || i.to - i.from < length) continue;
      return i.from + Math.min(3600, Math.floor((i.to - i.from - length) / 2));
    }
    return undefined;
  }

  /** The first instant where `from` turns into `to`, with at least the given time on either side. */
  boundary(from: Moment, to: Moment, before: number, after: number): number | undefined {
    for (let k = 0; k + 1 < this.intervals.length; k++) {
      const a = this.intervals[k]!;
      const b = this.intervals[k + 1]!;
      if (momentKey(a) === momentKey(from) && momentKey(b) === momentKey(to) && a.to - a.from >= before && b.to - b.from >= after) {
        return a.to;
      }
    }
    return undefined;
  }

  /** Local midnight starting day `day` (0 = the day of the start instant). */
  midnight(day: number): number {
    return day * DAY - this.calendar.secondsOfDay(0);
  }

  /** `Mon 2026-07-06 17:59:52` in the calendar's time zone. */
  format(t: number): string {
    return formatInstant(this.start, this.spec.timeZone, t);
  }
}

const rank = (m: Moment): number => (m.agentHours ? 0 : 2) + (m.holiday ? 1 : 0);

function scan(cal: BusinessCalendar, horizon: number): CalendarInterval[] {
  const out: CalendarInterval[] = [];
  let t = 0;
  while (t < horizon) {
    const agentHours = cal.agentHours(t);
    const holiday = cal.holiday(t);
    // Holidays change at local midnight, which nextChange need not report.
    const midnight = t + (DAY - cal.secondsOfDay(t));
    let next = Math.min(cal.nextChange(t), midnight, horizon);
    if (!(next > t)) next = Math.min(midnight > t ? midnight : t + DAY, horizon);
    const last = out[out.length - 1];
    if (last && last.agentHours === agentHours && last.holiday === holiday && last.to === t) {
      out[out.length - 1] = { ...last, to: next };
    } else {
      out.push({ from: t, to: next, agentHours, holiday });
    }
    t = next;
  }
  return out;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatInstant(startIso: string, timeZone: string, t: number): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(Date.parse(startIso) + Math.round(t * 1000))).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
