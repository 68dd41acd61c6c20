// summary.json: what a run measured, in the shape of DESIGN.md. Per-call times give
// count, mean, min, p50, p90, p95, p99 and max; rates give numerator and denominator;
// with replications, every mean and rate gets a 95 % interval across replications. The
// same figures per center, the per-interval rows and the agent scorecard follow
// (docs/metrics.md has the shape). The SLA verdicts are computed from the same numbers.

import { compileSla } from '../scenario/sla-grammar.js';
import type { Scenario, ServiceLevelDefinition } from '../scenario/types.js';
import type { CallMetrics, Counters } from './call-metrics.js';
import { type MetricsCollector, SERVICE_LEVEL_DEFINITIONS } from './collector.js';
import { confidenceInterval, type Interval } from './confidence.js';
import type { DurationMetric } from './duration-metric.js';
import type { GroupIntervalFigures } from './group-intervals.js';
import { intervalsSummary, type IntervalsSummary } from './interval-metrics.js';
import { rates, ratioValue, serviceLevelRatio } from './rates.js';
import { naturalCompare, scorecardSummary, type ScorecardSummary } from './scorecard.js';
import { PooledReplications, type ScopeValues } from './pooled-replications.js';
import type { Replication } from './simulate.js';
import { evaluateSla, type MetricSource, type SlaResult } from './sla.js';
import { serviceLevelKey, parseMetricName } from '../scenario/metric-names.js';

export const SUMMARY_FORMAT = 1;

export interface Ci95 {
  readonly low: number;
  readonly high: number;
  readonly stderr: number;
}

export interface DurationSummary {
  readonly unit: 's' | 'rings';
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation of the per-call values (lets `compare` judge means of single runs). */
  readonly sd: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** 95 % interval of the mean across replications. */
  readonly ci95?: Ci95;
}

export interface RateSummary {
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number;
  readonly ci95?: Ci95;
}

export interface Summary {
  readonly callsim: { readonly summaryFormat: number };
  readonly scenario: {
    readonly name: string;
    readonly file: string;
    readonly seed: number;
    readonly start: string;
    readonly duration: number;
    readonly warmup: number;
    readonly replications: number;
    readonly seeds: readonly number[];
    readonly serviceLevel: { readonly threshold: number; readonly definition: ServiceLevelDefinition };
  };
  readonly totals: Record<string, number>;
  readonly metrics: Record<string, DurationSummary>;
  readonly rates: Record<string, RateSummary>;
  /** Callers' ratings of agent-answered calls (absent when nobody rated). */
  readonly ratings?: RatingsSummary;
  /** The same figures per center (by the center that took the call), keys sorted. */
  readonly centers: Record<string, CenterSummary>;
  /** Per interval of `scenario.interval`, for the platform and every center. */
  readonly intervals: IntervalsSummary;
  /**
   * Agent time per group (`center/group`) per interval; index i of each array is
   * `intervals.rows[i]`. Absent in summaries written before it was added.
   */
  readonly groupIntervals?: Record<string, GroupIntervalFigures>;
  /** The agent scorecard of seed 001, per group and per agent. */
  readonly scorecard: ScorecardSummary;
  /** Every service-level definition for every T counted, for comparison. */
  readonly serviceLevels: Record<string, Record<ServiceLevelDefinition, RateSummary>>;
  /** What callers did in the IVR (absent without one). */
  readonly ivr?: IvrSummary;
  /**
   * Per-call times of the whole run as percentile curves (DISTRIBUTION_PERCENTILES, from the
   * HDR histograms; 0 is the exact min, 100 the exact max), for metrics with observations.
   * Absent in summaries written before it was added.
   */
  readonly distributions?: Record<string, readonly PercentilePoint[]>;
  readonly slas: readonly SlaResult[];
  /** Every SLA held. */
  readonly pass: boolean;
  /** The run was interrupted; the numbers cover what ran. */
  readonly partial: boolean;
  /**
   * Seconds of scenario time the figures cover, when that is less than the scenario's
   * duration: a `serve` stopped by Ctrl-C or `--duration`, a `load` interrupted. Absent when
   * they cover the whole scenario.
   */
  readonly covered?: number;
  /** Wall-clock facts: they differ between runs of the same seed. */
  readonly timing: { readonly generatedAt: string; readonly wallSeconds: number; readonly events: number };
}

export interface RatingsSummary {
  readonly rated: number;
  /** Mean score, 1..5. */
  readonly mean: number;
  /** Rated 4 or 5. */
  readonly satisfied: number;
}

export interface CenterSummary {
  readonly totals: Record<string, number>;
  readonly metrics: Record<string, DurationSummary>;
  readonly rates: Record<string, RateSummary>;
  readonly ratings?: RatingsSummary;
}

export interface IvrSummary {
  readonly answered: number;
  readonly invalidKeys: number;
  readonly voicemails: number;
  readonly selfService: number;
  /** Visits per menu, most visited first. */
  readonly visits: Record<string, number>;
  /** The most common paths (menus entered, `=k` keys pressed), with their share of IVR calls. */
  readonly topPaths: readonly { readonly path: string; readonly calls: number; readonly share: number }[];
}

/** One point of a percentile curve: `value` (in the metric's unit) at `percentile` (0..100). */
export interface PercentilePoint {
  readonly percentile: number;
  readonly value: number;
}

/** The percentiles summary.json `distributions` gives: even steps, then ever finer into the tail. */
export const DISTRIBUTION_PERCENTILES: readonly number[] = [
  0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100,
];

/** A metric's percentile curve; empty without observations. */
export function percentileCurve(m: DurationMetric): PercentilePoint[] {
  if (m.count === 0) return [];
  return DISTRIBUTION_PERCENTILES.map((q) => ({ percentile: q, value: q <= 0 ? m.min : m.percentile(q) }));
}

function distributionsOf(durations: ReadonlyMap<string, DurationMetric>): Record<string, PercentilePoint[]> {
  const out: Record<string, PercentilePoint[]> = {};
  for (const [name, m] of durations) if (m.count > 0) out[name] = percentileCurve(m);
  return out;
}

const TOP_PATHS = 10;

function ivrSummary(m: MetricsCollector): IvrSummary | undefined {
  const c = m.counters;
  if (c.ivrAnswered === 0) return undefined;
  const byCount = <K>(a: [K, number], b: [K, number]): number => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]));
  return {
    answered: c.ivrAnswered,
    invalidKeys: c.invalidKeys,
    voicemails: c.voicemails,
    selfService: c.selfService,
    visits: Object.fromEntries([...m.visits].sort(byCount)),
    topPaths: [...m.paths]
      .sort(byCount)
      .slice(0, TOP_PATHS)
      .map(([path, calls]) => ({ path, calls, share: calls / c.ivrAnswered })),
  };
}

function ci(values: number[]): Ci95 | undefined {
  const i: Interval | undefined = confidenceInterval(values);
  return i && { low: i.low, high: i.high, stderr: i.stderr };
}

/** Every T that the scenario's SLAs name, so that the collector counts them exactly. */
export function slaServiceLevelThresholds(scenario: Scenario): number[] {
  const ts = [scenario.serviceLevel.threshold];
  for (const sla of scenario.sla) {
    const ref = parseMetricName(sla.metric);
    if (ref.name === 'service_level' && ref.param !== undefined) ts.push(ref.param);
  }
  return ts;
}

export interface SummaryOptions {
  readonly partial?: boolean;
  /** Seconds of scenario time the run covered (kept only when short of the scenario's duration). */
  readonly covered?: number;
  readonly wallSeconds?: number;
  readonly now?: Date;
}

/** Counts of one scope (the platform, a center) as summary.json `totals` names them. */
export function totalsOf(c: Counters): Record<string, number> {
  return {
    offered: c.offered,
    connected: c.connected,
    blocked: c.blocked,
    queued: c.queued,
    answered: c.answered,
    abandoned: c.abandoned,
    stranded: c.stranded,
    redials: c.redials,
    uniqueCallers: c.uniqueCallers,
    dispatchedIn: c.dispatchedIn,
    dispatchedOut: c.dispatchedOut,
    holdViolations: c.holdViolations,
    wrapUpViolations: c.wrapUpViolations,
    silent: c.silent,
    rated: c.rated,
    ringNoAnswers: c.ringNoAnswers,
    callbacksPromised: c.callbacksPromised,
    callbacksClosed: c.callbacksClosed,
    callbacksReached: c.callbacksReached,
    callbacksOnTime: c.callbacksOnTime,
  };
}

function ratingsOf(c: Counters): RatingsSummary | undefined {
  return c.rated > 0 ? { rated: c.rated, mean: c.ratingSum / c.rated, satisfied: c.satisfied } : undefined;
}

/**
 * Metrics and rates of one scope from its pooled figures and its values per replication
 * (undefined where a replication never saw the scope: its values count as missing).
 */
function scopeSummary(
  merged: CallMetrics,
  perRep: readonly (ScopeValues | undefined)[],
  definition: ServiceLevelDefinition,
): { metrics: Record<string, DurationSummary>; rates: Record<string, RateSummary> } {
  const multi = perRep.length > 1;
  const metrics: Record<string, DurationSummary> = {};
  for (const [name, m] of merged.durations) {
    if (m.count === 0 && !multi) continue;
    const ci95 = multi ? ci(perRep.map((r) => r?.mean(name) ?? NaN)) : undefined;
    metrics[name] = {
      unit: m.unit,
      count: m.count,
      mean: m.mean,
      sd: m.count > 1 ? Math.sqrt(Math.max(0, (m.sumSquares - m.sum ** 2 / m.count) / (m.count - 1))) : NaN,
      min: m.count ? m.min : NaN,
      p50: m.percentile(50),
      p90: m.percentile(90),
      p95: m.percentile(95),
      p99: m.percentile(99),
      max: m.count ? m.max : NaN,
      ...(ci95 && { ci95 }),
    };
  }
  const pooled = rates(merged.counters, merged.serviceLevels, definition);
  const rateOut: Record<string, RateSummary> = {};
  for (const [name, ratio] of Object.entries(pooled)) {
    const ci95 = multi ? ci(perRep.map((r) => r?.rate(name) ?? NaN)) : undefined;
    rateOut[name] = { value: ratioValue(ratio), ...ratio, ...(ci95 && { ci95 }) };
  }
  return { metrics, rates: rateOut };
}

/** The summary of replications kept whole (a serve or load run, tests): they are pooled here, and left to the caller to destroy. */
export function summarize(scenario: Scenario, reps: readonly Replication[], options: SummaryOptions = {}): Summary {
  if (reps.length === 0) throw new Error('summarize needs at least one replication');
  const pooled = new PooledReplications(scenario.serviceLevel.definition);
  try {
    for (const r of reps) pooled.add(r);
    return summarizePooled(scenario, pooled, options);
  } finally {
    pooled.destroy();
  }
}

/** The summary of replications pooled as they ended (`callsim run`); `pooled` stays the caller's to destroy. */
export function summarizePooled(scenario: Scenario, pooled: PooledReplications, options: SummaryOptions = {}): Summary {
  const reps = pooled.replications;
  if (reps.length === 0) throw new Error('summarize needs at least one replication');
  const definition = scenario.serviceLevel.definition;
  if (pooled.definition !== definition) throw new Error(`replications pooled under service level definition ${pooled.definition}, summarized under ${definition}`);
  const merged = pooled.collector;
  const multi = reps.length > 1;

  const { metrics, rates: rateOut } = scopeSummary(
    merged.platform,
    reps.map((r) => r.platform),
    definition,
  );

  const serviceLevels: Record<string, Record<ServiceLevelDefinition, RateSummary>> = {};
  merged.serviceLevels.forEach((sl, i) => {
    const byDef = {} as Record<ServiceLevelDefinition, RateSummary>;
    for (const def of SERVICE_LEVEL_DEFINITIONS) {
      const ratio = serviceLevelRatio(merged.counters, sl, def);
      const ci95 = multi ? ci(reps.map((r) => r.serviceLevels[i]![def])) : undefined;
      byDef[def] = { value: ratioValue(ratio), ...ratio, ...(ci95 && { ci95 }) };
    }
    serviceLevels[serviceLevelKey(sl.threshold)] = byDef;
  });

  const centerIds = [...new Set([...scenario.centers.map((c) => c.id), ...merged.centers.keys()])].sort(naturalCompare);
  const centers: Record<string, CenterSummary> = {};
  for (const id of centerIds) {
    const m = merged.center(id);
    const scope = scopeSummary(
      m,
      reps.map((r) => r.centers.get(id)),
      definition,
    );
    const ratings = ratingsOf(m.counters);
    centers[id] = { totals: totalsOf(m.counters), ...scope, ...(ratings && { ratings }) };
  }

  const intervals = intervalsSummary(merged.intervals, centerIds, {
    start: scenario.start,
    warmup: scenario.warmup,
    definition,
    replications: reps.length,
    length: merged.intervalLength,
    duration: merged.options.duration,
    threshold: merged.intervalThreshold,
    shortAbandon: merged.options.shortAbandon,
  });
  const scorecard = scorecardSummary(merged.scorecard, (center, group) => merged.wrapUpLimit(center, group));

  const source: MetricSource = {
    duration: (key) => {
      const m = merged.durations.get(key);
      return m && { count: m.count, mean: m.mean, min: m.min, max: m.max, percentile: (q: number) => m.percentile(q) };
    },
    rate: (key) => rateOut[key],
  };
  const slas = scenario.sla.map((s) => evaluateSla(compileSla(s.metric, s.expr), source, scenario.serviceLevel.threshold));
  const c = merged.counters;
  const events = reps.reduce((a, r) => a + r.events, 0);
  const ivr = ivrSummary(merged);
  const ratings = ratingsOf(c);
  const distributions = distributionsOf(merged.durations);
  const groupIntervals = merged.groupIntervals.figures(reps.length);
  return {
    callsim: { summaryFormat: SUMMARY_FORMAT },
    scenario: {
      name: scenario.name,
      file: scenario.file,
      seed: scenario.seed,
      start: scenario.start,
      duration: scenario.duration,
      warmup: scenario.warmup,
      replications: reps.length,
      seeds: reps.map((r) => r.seed),
      serviceLevel: { threshold: scenario.serviceLevel.threshold, definition },
    },
    totals: totalsOf(c),
    metrics,
    rates: rateOut,
    ...(ratings && { ratings }),
    centers,
    intervals,
    groupIntervals,
    scorecard,
    serviceLevels,
    ...(ivr && { ivr }),
    distributions,
    slas,
    pass: slas.every((s) => s.pass),
    partial: options.partial ?? false,
    ...(options.covered !== undefined && options.covered < scenario.duration && { covered: options.covered }),
    timing: {
      // The caller (bin/) passes the wall-clock time; sim/ never reads it.
      generatedAt: options.now ? options.now.toISOString() : '',
      wallSeconds: options.wallSeconds ?? NaN,
      events,
    },
  };
}

/** summary.json text: NaN and Infinity become null (JSON has neither). */
export function summaryJson(summary: Summary): string {
  return `${JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
