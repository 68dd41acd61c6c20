// When agents answer: the hotline's local days, each an agent day or not (weekday, 调休
// working day, public holiday), with the opening hours of the season it falls in. The IVR
// asks at every menu decision, so each local day is worked out once, on first use, and kept.
// Times are seconds since the run's start instant.
//
// Local time: the zone's UTC offset is taken once per local day, at its noon, so opening
// and closing times follow daylight saving. On the night of a change, the time of day from
// midnight to the change is off by the shift, and so is the date for that one hour around
// midnight; agent hours are exact unless a zone changes its clocks inside them. Zones
// without daylight saving (Asia/Shanghai, the default) are exact throughout.

import type { CalendarSpec, Season } from './calendar-types.js';

const DAY = 86400;
const DAY_MS = DAY * 1000;
/** How far nextChange looks before answering Infinity: a year and more, so every season and weekday occurs. */
const HORIZON_DAYS = 800;

interface Day {
  /** Days after the start's local date. */
  readonly index: number;
  /** Run seconds of this local midnight and of the next. */
  readonly start: number;
  readonly end: number;
  /** Run seconds of agent hours, open <= t < close; open === close when agents do not work. */
  readonly open: number;
  readonly close: number;
  readonly date: string;
  /** 0 = Monday .. 6 = Sunday. */
  readonly weekday: number;
  readonly holiday: boolean;
}

export class BusinessCalendar {
  private readonly startMs: number;
  /** The start instant's local date, as a UTC midnight (ms). */
  private readonly startDateMs: number;
  private readonly startOffset: number;
  private readonly startSecondsOfDay: number;
  private readonly format: Intl.DateTimeFormat;
  private readonly agentDays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  private readonly days = new Map<number, Day>();
  private readonly offsets = new Map<number, number>();
  private last: Day;

  constructor(
    readonly spec: CalendarSpec,
    startIso: string,
  ) {
    this.startMs = Date.parse(startIso);
    if (!Number.isFinite(this.startMs)) throw new RangeError(`calendar start "${startIso}" is not an ISO instant`);
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: spec.timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    const wall = this.wallClock(this.startMs);
    this.startOffset = (wall - Math.floor(this.startMs / 1000) * 1000) / 1000;
    this.startDateMs = Math.floor(wall / DAY_MS) * DAY_MS;
    this.startSecondsOfDay = (this.startMs + this.startOffset * 1000 - this.startDateMs) / 1000;
    this.agentDays = new Set(spec.agentDays);
    this.holidays = new Set(spec.holidays);
    this.workdays = new Set(spec.workdays);
    this.last = this.dayAt(0);
  }

  /** Whether agents answer at t: an agent day, not a holiday, within its season's hours. */
  agentHours(t: number): boolean {
    const d = this.dayOf(t);
    return t >= d.open && t < d.close;
  }

  /** Whether t falls on a listed holiday (local date). */
  holiday(t: number): boolean {
    return this.dayOf(t).holiday;
  }

  /** The next instant > t where agentHours changes, or Infinity if it never does within two years. */
  nextChange(t: number): number {
    const now = this.agentHours(t);
    const first = this.dayOf(t).index;
    for (let k = first; k < first + HORIZON_DAYS; k++) {
      const d = this.dayAt(k);
      if (d.open === d.close) continue;
      // Hours that run to midnight and on from the next midnight do not change there.
      if (d.open > t && !now) return d.open;
      if (d.close > t && now && !this.agentHours(d.close)) return d.close;
    }
    return Infinity;
  }

  /** Local date of t, `YYYY-MM-DD`. */
  localDate(t: number): string {
    return this.dayOf(t).date;
  }

  /** Local day of the week of t, 0 = Monday .. 6 = Sunday. */
  weekday(t: number): number {
    return this.dayOf(t).weekday;
  }

  /** Local wall-clock seconds after midnight at t. */
  secondsOfDay(t: number): number {
    return t - this.dayOf(t).start;
  }

  private dayOf(t: number): Day {
    const last = this.last;
    if (t >= last.start && t < last.end) return last;
    if (!Number.isFinite(t)) throw new RangeError(`calendar time ${t} is not a finite number of seconds`);
    let k = Math.floor((t + this.startSecondsOfDay) / DAY);
    let d = this.dayAt(k);
    while (t < d.start) d = this.dayAt(--k);
    while (t >= d.end) d = this.dayAt(++k);
    this.last = d;
    return d;
  }

  private dayAt(k: number): Day {
    const cached = this.days.get(k);
    if (cached !== undefined) return cached;
    const midnight = this.startDateMs + k * DAY_MS; // local midnight, written as if UTC
    // Instants in whole milliseconds from the start, divided by 1000 once: an opening time is
    // then the double nearest its exact instant, not a sum of two rounded ones, which could
    // land a hair after it (the property test in calendar.test.ts found 08:00 local, with the start at
    // .599 s past a second, opening 2e-13 s late).
    const startMs = midnight - this.offsetOn(k) * 1000 - this.startMs;
    const start = startMs / 1000;
    const end = (midnight + DAY_MS - this.offsetOn(k + 1) * 1000 - this.startMs) / 1000;
    const at = new Date(midnight);
    const date = at.toISOString().slice(0, 10);
    const weekday = (at.getUTCDay() + 6) % 7;
    const holiday = this.holidays.has(date);
    const agentDay = !holiday && (this.agentDays.has(weekday) || this.workdays.has(date));
    // A date in no season (a calendar that `callsim check` rejects) has no agent hours.
    const season = agentDay ? seasonOf(this.spec.seasons, date.slice(5)) : undefined;
    const hours = season !== undefined && season.open < season.close;
    const open = hours ? (startMs + season.open * 1000) / 1000 : start;
    const close = hours ? (startMs + season.close * 1000) / 1000 : start;
    const day: Day = { index: k, start, end, open, close, date, weekday, holiday };
    this.days.set(k, day);
    return day;
  }

  /** UTC offset (seconds east) in force at local noon of day k. */
  private offsetOn(k: number): number {
    let offset = this.offsets.get(k);
    if (offset === undefined) {
      const noon = this.startDateMs + k * DAY_MS + DAY_MS / 2 - this.startOffset * 1000;
      offset = (this.wallClock(noon) - noon) / 1000;
      this.offsets.set(k, offset);
    }
    return offset;
  }

  /** The local wall-clock time of an instant, written as if it were UTC (ms, whole seconds). */
  private wallClock(ms: number): number {
    const f: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(Math.floor(ms / 1000) * 1000))) f[p.type] = Number(p.value);
    return Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
  }
}

/** The first season that contains `MM-DD`; a season whose `from` is after its `to` wraps the new year. */
export function seasonOf(seasons: readonly Season[], monthDay: string): Season | undefined {
  return seasons.find((s) => (s.from <= s.to ? s.from <= monthDay && monthDay <= s.to : monthDay >= s.from || monthDay <= s.to));
}
