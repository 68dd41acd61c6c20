// Per-interval results (`scenario.interval`: 15m, 30m, 1h): for every interval of the run
// and every center, arrivals and blocked calls by arrival time; queued, answered,
// abandoned, service level and ASA by queue-entry time; and time averages of the callers
// waiting, the agents busy and the agents staffed. Everything is a number in an array
// indexed by interval, so memory is bounded by duration / interval, never by calls.
// Intervals before the warm-up are counted too (summary.json marks them); totals are not.

import type { AgentSpan, CallRecord } from '../acd/records.js';
import type { ServiceLevelDefinition } from '../scenario/types.js';
import { Counters, happened, ServiceLevelCounts } from './call-metrics.js';
import { ratioValue, serviceLevelRatio, type Ratio } from './rates.js';

/** Intervals per center beyond which the interval is widened (a 1 s interval over 30 days would not fit). */
export const MAX_INTERVALS = 20_000;

/** The counted fields, one Float64Array each. */
export const INTERVAL_FIELDS = [
  'arrivals',
  'blocked',
  'queued',
  'answered',
  'abandoned',
  'shortAbandons',
  'answeredWithin',
  'waitWithin',
  'virtualWithin',
  /** Sum of speed_of_answer over answered calls (ASA = this / answered). */
  'answerWaitSum',
  /** Caller-seconds spent waiting for an agent (ringing included) inside the interval. */
  'queueTime',
  /** Agent-seconds of work inside the interval. */
  'busyTime',
  /** Agent-seconds staffed inside the interval. */
  'staffedTime',
] as const;
export type IntervalField = (typeof INTERVAL_FIELDS)[number];

/** The interval length actually used for a run: `interval`, widened so that there are at most MAX_INTERVALS. */
export function effectiveInterval(duration: number, interval: number): number {
  const length = interval > 0 && Number.isFinite(interval) ? interval : 3600;
  if (!(duration > 0) || !Number.isFinite(duration)) return length;
  return duration / length > MAX_INTERVALS ? Math.ceil(duration / MAX_INTERVALS) : length;
}

/** One center's (or the platform's) figures per interval. */
export class IntervalSeries {
  readonly count: number;
  readonly data: Record<IntervalField, Float64Array>;

  constructor(
    /** Seconds per interval. */
    readonly length: number,
    /** The run's length: intervals cover [0, duration), the last one possibly shorter. */
    readonly duration: number,
    /** T of the per-interval service level. */
    readonly threshold: number,
    readonly shortAbandon: number,
  ) {
    this.count = Math.max(1, Math.ceil(duration / length - 1e-9));
    this.data = Object.fromEntries(INTERVAL_FIELDS.map((f) => [f, new Float64Array(this.count)])) as Record<IntervalField, Float64Array>;
  }

  /** The interval holding instant t; instants past the end fall in the last one, before 0 in the first. */
  index(t: number): number {
    const i = Math.floor(t / this.length);
    return i < 0 ? 0 : i >= this.count ? this.count - 1 : i;
  }

  /** [start, end) of interval i in run seconds. */
  bounds(i: number): [number, number] {
    return [i * this.length, Math.min((i + 1) * this.length, this.duration)];
  }

  call(r: CallRecord): void {
    const d = this.data;
    const a = this.index(r.arrival);
    d.arrivals[a]!++;
    if (r.outcome === 'blocked') d.blocked[a]!++;
    if (!happened(r.queued)) return;
    const q = this.index(r.queued);
    d.queued[q]!++;
    const answered = r.outcome === 'answered';
    const end = answered ? r.answered : r.left;
    const wait = end - r.queued;
    if (answered) {
      d.answered[q]!++;
      d.answerWaitSum[q]! += wait;
      if (wait <= this.threshold) d.answeredWithin[q]!++;
    } else if (r.outcome === 'abandoned') {
      d.abandoned[q]!++;
      if (wait < this.shortAbandon) d.shortAbandons[q]!++;
    }
    if (wait <= this.threshold) d.waitWithin[q]!++;
    if (r.virtualWait <= this.threshold) d.virtualWithin[q]!++;
    this.spread(d.queueTime, r.queued, end);
  }

  work(span: AgentSpan): void {
    this.spread(this.data.busyTime, span.start, span.end);
  }

  staffed(span: AgentSpan): void {
    this.spread(this.data.staffedTime, span.start, span.end);
  }

  /** Adds the part of [start, end] inside each interval (and inside the run) to `into`. */
  private spread(into: Float64Array, start: number, end: number): void {
    const from = Math.max(start, 0);
    const to = Math.min(end, this.duration);
    if (!(to > from)) return;
    const last = this.index(to);
    for (let i = this.index(from); i <= last; i++) {
      const [a, b] = this.bounds(i);
      const s = Math.max(from, a);
      const e = Math.min(to, b);
      if (e > s) into[i]! += e - s;
    }
  }

  merge(other: IntervalSeries): void {
    for (const f of INTERVAL_FIELDS) {
      const mine = this.data[f];
      const theirs = other.data[f];
      for (let i = 0; i < this.count; i++) mine[i]! += theirs[i]!;
    }
  }
}

/** One interval's figures in summary.json. Counts are summed over replications; time averages are per replication. */
export interface IntervalFigures {
  readonly arrivals: number;
  readonly blocked: number;
  readonly queued: number;
  readonly answered: number;
  readonly abandoned: number;
  /** service_level(T) under the scenario's definition, over the calls that queued in the interval. */
  readonly serviceLevel: { readonly value: number; readonly numerator: number; readonly denominator: number };
  /** Mean speed_of_answer of the calls answered that queued in the interval (s). */
  readonly asa: number;
  /** abandoned / queued. */
  readonly abandonRate: number;
  /** Time-average number of callers waiting for an agent. */
  readonly queueLength: number;
  /** Time-average number of agents working on a call. */
  readonly agentsBusy: number;
  /** Time-average number of agents staffed. */
  readonly agentsStaffed: number;
  /** agentsBusy / agentsStaffed. */
  readonly occupancy: number;
}

export interface IntervalRow {
  readonly index: number;
  /** ISO instant of the interval's start, in the scenario's UTC offset. */
  readonly start: string;
  /** Seconds from the run's start. */
  readonly offset: number;
  /** Seconds (the last interval may be shorter). */
  readonly length: number;
  /** The interval starts before the warm-up ends: it is reported, but the totals leave it out. */
  readonly warmup: boolean;
  readonly all: IntervalFigures;
  readonly centers: Readonly<Record<string, IntervalFigures>>;
}

export interface IntervalsSummary {
  /** Seconds per interval. */
  readonly length: number;
  /** ISO instant of the first interval's start (the run's start). */
  readonly start: string;
  readonly serviceLevel: { readonly threshold: number; readonly definition: ServiceLevelDefinition };
  readonly rows: readonly IntervalRow[];
}

/** The figures of interval i of `s`; `replications` divides the time averages. */
export function intervalFigures(s: IntervalSeries, i: number, definition: ServiceLevelDefinition, replications: number): IntervalFigures {
  const d = s.data;
  const at = (f: IntervalField): number => d[f][i]!;
  const [a, b] = s.bounds(i);
  const seconds = (b - a) * replications;
  const c = new Counters();
  c.queued = at('queued');
  c.answered = at('answered');
  c.shortAbandons = at('shortAbandons');
  const sl = new ServiceLevelCounts(s.threshold);
  sl.answeredWithin = at('answeredWithin');
  sl.waitWithin = at('waitWithin');
  sl.virtualWithin = at('virtualWithin');
  const ratio: Ratio = serviceLevelRatio(c, sl, definition);
  const busy = seconds > 0 ? at('busyTime') / seconds : NaN;
  const staffed = seconds > 0 ? at('staffedTime') / seconds : NaN;
  return {
    arrivals: at('arrivals'),
    blocked: at('blocked'),
    queued: at('queued'),
    answered: at('answered'),
    abandoned: at('abandoned'),
    serviceLevel: { value: ratioValue(ratio), numerator: ratio.numerator, denominator: ratio.denominator },
    asa: at('answered') > 0 ? at('answerWaitSum') / at('answered') : NaN,
    abandonRate: at('queued') > 0 ? at('abandoned') / at('queued') : NaN,
    queueLength: seconds > 0 ? at('queueTime') / seconds : NaN,
    agentsBusy: busy,
    agentsStaffed: staffed,
    occupancy: staffed > 0 ? busy / staffed : NaN,
  };
}

/** `+08:00` from an ISO instant (`Z` and a missing offset give +00:00). */
export function utcOffsetOf(iso: string): number {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return (m[1] === '-' ? -minutes : minutes) * 60;
}

/** The instant `seconds` after `startIso`, as ISO in the start's own UTC offset: `2026-07-06T08:00:00+08:00`. */
export function isoAfter(startIso: string, seconds: number): string {
  const base = Date.parse(startIso);
  if (!Number.isFinite(base)) return '';
  const offset = utcOffsetOf(startIso);
  const ms = Math.round(base + (seconds + offset) * 1000);
  const text = new Date(ms).toISOString(); // local wall time, labelled Z for now
  const wall = text.endsWith('.000Z') ? text.slice(0, -5) : text.slice(0, -1);
  if (offset === 0 && /Z$/.test(startIso)) return `${wall}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60;
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * summary.json `intervals`: one row per interval with the platform (`all`, the sum of the
 * centers) and every center. `series` are the pooled (merged) per-center series.
 */
export function intervalsSummary(
  series: ReadonlyMap<string, IntervalSeries>,
  centerIds: readonly string[],
  options: {
    readonly start: string;
    readonly warmup: number;
    readonly definition: ServiceLevelDefinition;
    readonly replications: number;
    readonly length: number;
    readonly duration: number;
    readonly threshold: number;
    readonly shortAbandon: number;
  },
): IntervalsSummary {
  const all = new IntervalSeries(options.length, options.duration, options.threshold, options.shortAbandon);
  for (const s of series.values()) all.merge(s);
  const empty = new IntervalSeries(options.length, options.duration, options.threshold, options.shortAbandon);
  const rows: IntervalRow[] = [];
  for (let i = 0; i < all.count; i++) {
    const [a, b] = all.bounds(i);
    const centers: Record<string, IntervalFigures> = {};
    for (const id of centerIds) centers[id] = intervalFigures(series.get(id) ?? empty, i, options.definition, options.replications);
    rows.push({
      index: i,
      start: isoAfter(options.start, a),
      offset: a,
      length: b - a,
      warmup: a < options.warmup,
      all: intervalFigures(all, i, options.definition, options.replications),
      centers,
    });
  }
  return {
    length: options.length,
    start: isoAfter(options.start, 0),
    serviceLevel: { threshold: options.threshold, definition: options.definition },
    rows,
  };
}
