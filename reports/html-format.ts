// Numbers and instants as report.html prints them. A summary read back from summary.json
// has null where the run had NaN (JSON has no NaN), so every reader here takes
// number | null | undefined and prints a dash for "no value".

import { isoAfter } from '../sim/metrics/interval-metrics.js';
import type { Summary } from '../sim/metrics/summary.js';
import { formatDuration } from '../sim/scenario/units.js';
import type { Tick } from './html-svg.js';

/** A number from summary.json: null (NaN written as JSON) and anything else not a number become NaN. */
export const num = (x: unknown): number => (typeof x === 'number' ? x : NaN);

/** A count: `12,345`; whole-unit rounding for big non-integers (agent-seconds). */
export function count(x: unknown): string {
  const v = num(x);
  if (!Number.isFinite(v)) return '–';
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return v.toPrecision(3);
}

/** A ratio as a percentage: `88.6%`. */
export function pct(x: unknown, digits = 1): string {
  const v = num(x);
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '–';
}

/** Seconds for people: `0.42 s`, `12.9 s`, `127 s`. */
export function secs(x: unknown): string {
  const v = num(x);
  if (!Number.isFinite(v)) return '–';
  return `${Math.abs(v) < 10 ? v.toFixed(2) : Math.abs(v) < 1000 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')} s`;
}

/** A value with enough digits to compare against a threshold: 29.999, not 30.0. */
export function precise(x: unknown): string {
  const v = num(x);
  if (!Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return String(Number(v.toPrecision(5)));
}

/** A small count (agents, callers waiting): one decimal. */
export function avg(x: unknown): string {
  const v = num(x);
  return Number.isFinite(v) ? v.toFixed(1) : '–';
}

/** `+08:00` (or `Z`) of the run's start, for axis labels: `UTC+08:00`. */
export function zoneOf(startIso: string): string {
  const m = /([+-]\d{2}:?\d{2})$/.exec(startIso);
  return m ? `UTC${m[1]}` : 'UTC';
}

/** How the report labels instants of one run: clock times, with dates once the run spans days. */
export class TimeLabels {
  readonly multiDay: boolean;

  constructor(
    private readonly startIso: string,
    readonly duration: number,
  ) {
    this.multiDay = duration > 86400;
  }

  /** The local wall time `offset` seconds after the start: `08:00`, or `07-06 08:00` in multi-day runs. */
  at(offset: number, withDate = this.multiDay): string {
    const iso = isoAfter(this.startIso, offset);
    if (iso === '') return formatDuration(offset);
    return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
  }

  /** `08:00–09:00`. */
  span(from: number, to: number): string {
    return `${this.at(from)}–${this.at(to, false)}`;
  }

  /** Ticks every 15 min .. 30 days, at most about 12 of them, from the start. */
  ticks(maxTicks = 12): Tick[] {
    const steps = [900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000];
    const step = steps.find((s) => this.duration / s <= maxTicks) ?? Math.ceil(this.duration / maxTicks);
    const ticks: Tick[] = [];
    for (let t = 0; t <= this.duration + 1e-9; t += step) {
      const iso = isoAfter(this.startIso, t);
      const midnight = iso.slice(11, 16) === '00:00';
      const label = iso === '' ? formatDuration(t) : step >= 86400 || (this.multiDay && midnight) ? iso.slice(5, 10) : iso.slice(11, 16);
      ticks.push({ at: t, label });
    }
    return ticks;
  }

  /** The x-axis title. */
  axisLabel(): string {
    return `${this.multiDay ? 'date and time' : 'time of day'} (${zoneOf(this.startIso)})`;
  }
}

/** The interval length in words: `hour`, `30 min`. */
export function intervalWord(seconds: number): string {
  if (seconds === 3600) return 'hour';
  if (seconds === 86400) return 'day';
  return formatDuration(seconds);
}

/** Replications the per-interval counts were summed over (1 for a plain run). */
export function replicationsOf(s: Summary): number {
  const r = num(s.scenario.replications);
  return r >= 1 ? r : 1;
}
