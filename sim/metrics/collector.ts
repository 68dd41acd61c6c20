// Turns the model's records into metrics as they stream in: HDR histograms for per-call
// times, exact counters for rates, for the whole platform and for every center; per-interval
// arrays; the agent scorecard. Nothing keeps every call, so memory stays flat in the number
// of calls (it grows with centers, agents and intervals only). Calls offered before the
// warm-up ends are not counted in the totals; agent time counts inside [warm-up, duration]
// only. The per-interval series count everything and leave the warm-up to the reader.
// snapshot() / fromSnapshot() carry a collector across a worker boundary (see
// collector-snapshot.ts): every field travels, so a new field needs nothing there, and a
// field of a new class only needs the class added to SNAPSHOT_TYPES below.

import type { AgentEvent, AgentSpan, CallbackRecord, CallRecord, RecordSink } from '../acd/records.js';
import type { Scenario, ServiceLevelDefinition } from '../scenario/types.js';
import { CallMetrics, Counters, DURATION_METRICS, overlap, ServiceLevelCounts, type CallFacts } from './call-metrics.js';
import { decodeSnapshot, encodeSnapshot, type Snapshot, type SnapshotClass } from './collector-snapshot.js';
import { DurationMetric } from './duration-metric.js';
import { GroupIntervals } from './group-intervals.js';
import { effectiveInterval, IntervalSeries } from './interval-metrics.js';
import { AgentStats, DEFAULT_RING_LIMIT, Scorecard } from './scorecard.js';

export { Counters, DURATION_METRICS, ServiceLevelCounts };

export const SERVICE_LEVEL_DEFINITIONS: readonly ServiceLevelDefinition[] = [
  'strict',
  'answered',
  'exclude-short-abandons',
  'wait',
  'virtual',
];

/** The wrap-up limit when a group states none (seed 002: 30 s). */
export const DEFAULT_WRAP_UP_LIMIT = 30;

export interface CollectorOptions {
  readonly warmup: number;
  readonly duration: number;
  readonly ringPeriod: number;
  /** Every T for which service levels are counted exactly. */
  readonly serviceLevelThresholds: readonly number[];
  readonly shortAbandon: number;
  /** T of the per-interval service level; default the first of serviceLevelThresholds (20 s without any). */
  readonly serviceLevelThreshold?: number;
  /** Seconds per interval of the per-interval results; default 1 h. */
  readonly interval?: number;
  /** Center ids in scenario order: they get results even when no call reached them. */
  readonly centers?: readonly string[];
  /**
   * Wrap-up limit by center, then group; default DEFAULT_WRAP_UP_LIMIT. (Maps of maps: a
   * `center/group` key built and hashed per call was 1.4 % of the direct million-call model.)
   */
  readonly wrapUpLimits?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Scorecard: an answer within this many rings is on time. Default 3. */
  readonly ringLimit?: number;
}

/** The collector's options for a scenario (what simulate.ts should pass). */
export function collectorOptions(scenario: Scenario, extraThresholds: readonly number[] = [], ringLimit = DEFAULT_RING_LIMIT): CollectorOptions {
  const wrapUpLimits = new Map(scenario.centers.map((c) => [c.id, new Map(c.groups.map((g) => [g.id, g.day?.wrapUpLimit ?? DEFAULT_WRAP_UP_LIMIT]))]));
  return {
    warmup: scenario.warmup,
    duration: scenario.duration,
    ringPeriod: scenario.ringPeriod,
    serviceLevelThresholds: [scenario.serviceLevel.threshold, ...extraThresholds],
    serviceLevelThreshold: scenario.serviceLevel.threshold,
    shortAbandon: scenario.serviceLevel.shortAbandon,
    interval: scenario.interval,
    centers: scenario.centers.map((c) => c.id),
    wrapUpLimits,
    ringLimit,
  };
}

/** Distinct IVR paths counted before the rest are lumped together, to keep memory flat. */
const MAX_PATHS = 20_000;
export const OTHER_PATHS = '(other paths)';

export class MetricsCollector implements RecordSink {
  /** The whole platform. */
  readonly platform: CallMetrics;
  /** Per center, by CallRecord.center (a dispatched call counts where it was dispatched to). */
  readonly centers = new Map<string, CallMetrics>();
  /** Per center, per interval. */
  readonly intervals = new Map<string, IntervalSeries>();
  /** Agent time per `center/group` per interval (occupancy by group and hour). */
  readonly groupIntervals: GroupIntervals;
  readonly scorecard: Scorecard;
  /** Visits per IVR menu. */
  readonly visits = new Map<string, number>();
  /** Calls per IVR path (menus entered and keys pressed). */
  readonly paths = new Map<string, number>();
  /** Seconds per interval actually used (see effectiveInterval). */
  readonly intervalLength: number;
  readonly intervalThreshold: number;
  /** Call records received, warm-up included (for progress). */
  callsRecorded = 0;
  /** Callers with a redial pending who reached the queue on an earlier attempt. */
  private readonly everQueued = new Set<number>();

  constructor(readonly options: CollectorOptions) {
    this.platform = new CallMetrics(options.serviceLevelThresholds);
    this.intervalLength = effectiveInterval(options.duration, options.interval ?? 3600);
    this.groupIntervals = new GroupIntervals(this.intervalLength, options.duration);
    this.intervalThreshold = options.serviceLevelThreshold ?? options.serviceLevelThresholds[0] ?? 20;
    this.scorecard = new Scorecard(options.ringLimit ?? DEFAULT_RING_LIMIT, options.ringPeriod);
    for (const id of options.centers ?? []) {
      this.center(id);
      this.series(id);
    }
  }

  get durations(): Map<string, DurationMetric> {
    return this.platform.durations;
  }

  get counters(): Counters {
    return this.platform.counters;
  }

  get serviceLevels(): ServiceLevelCounts[] {
    return this.platform.serviceLevels;
  }

  center(id: string): CallMetrics {
    let m = this.centers.get(id);
    if (!m) this.centers.set(id, (m = new CallMetrics(this.options.serviceLevelThresholds)));
    return m;
  }

  private series(id: string): IntervalSeries {
    let s = this.intervals.get(id);
    if (!s) {
      s = new IntervalSeries(this.intervalLength, this.options.duration, this.intervalThreshold, this.options.shortAbandon);
      this.intervals.set(id, s);
    }
    return s;
  }

  /** The wrap-up limit of a group. */
  wrapUpLimit(center: string, group: string): number {
    return this.options.wrapUpLimits?.get(center)?.get(group) ?? DEFAULT_WRAP_UP_LIMIT;
  }

  call(r: CallRecord): void {
    this.callsRecorded++;
    this.series(r.center).call(r);
    if (r.arrival >= this.options.warmup) {
      const facts: CallFacts = {
        wrapUpLimit: this.wrapUpLimit(r.center, r.group),
        ringPeriod: this.options.ringPeriod,
        shortAbandon: this.options.shortAbandon,
      };
      this.platform.call(r, facts);
      this.center(r.center).call(r, facts);
      if (r.dispatchedFrom) {
        // Platform-wide, in = out = calls dispatched between centers.
        this.platform.counters.dispatchedOut++;
        this.center(r.dispatchedFrom).counters.dispatchedOut++;
      }
      this.scorecard.call(r, facts.wrapUpLimit);
      if (r.ivrAnswered === r.ivrAnswered) this.ivrPath(r);
    }
    this.uniqueCaller(r, r.queued === r.queued);
  }

  private ivrPath(r: CallRecord): void {
    for (const token of r.ivrPath.split(' ')) {
      if (token !== '' && !token.startsWith('=')) this.visits.set(token, (this.visits.get(token) ?? 0) + 1);
    }
    const path = this.paths.has(r.ivrPath) || this.paths.size < MAX_PATHS ? r.ivrPath : OTHER_PATHS;
    this.paths.set(path, (this.paths.get(path) ?? 0) + 1);
  }

  private uniqueCaller(r: CallRecord, queued: boolean): void {
    const everQueued = queued || this.everQueued.has(r.caller);
    if (r.redialed) {
      if (everQueued) this.everQueued.add(r.caller);
      return;
    }
    this.everQueued.delete(r.caller);
    if (r.firstArrival < this.options.warmup) return;
    // A caller counts at the center of their last attempt.
    for (const c of [this.platform.counters, this.center(r.center).counters]) {
      c.uniqueCallers++;
      if (everQueued) c.uniqueQueued++;
      if (r.outcome === 'blocked') c.uniqueBlocked++;
      else c.uniqueConnected++;
      if (r.outcome === 'answered') c.uniqueAnswered++;
      if (r.outcome === 'abandoned') c.uniqueAbandoned++;
    }
  }

  work(span: AgentSpan): void {
    this.series(span.center).work(span);
    this.groupIntervals.work(span);
    const seconds = this.clip(span);
    this.platform.work(seconds);
    this.center(span.center).work(seconds);
    this.scorecard.work(span, seconds);
  }

  staffed(span: AgentSpan): void {
    this.series(span.center).staffed(span);
    this.groupIntervals.staffed(span);
    const seconds = this.clip(span);
    this.platform.staffed(seconds);
    this.center(span.center).staffed(seconds);
    this.scorecard.staffed(span, seconds);
  }

  callback(r: CallbackRecord): void {
    if (r.created < this.options.warmup) return;
    this.platform.callback(r);
    this.center(r.center).callback(r);
  }

  agentEvent(e: AgentEvent): void {
    if (e.time < this.options.warmup) return;
    if (e.kind === 'ring-no-answer') {
      this.platform.counters.ringNoAnswers++;
      this.center(e.center).counters.ringNoAnswers++;
    }
    this.scorecard.event(e);
  }

  private clip(span: AgentSpan): number {
    return overlap(span, this.options.warmup, this.options.duration);
  }

  /** Adds another collector's results (same options) into this one. */
  merge(other: MetricsCollector): void {
    this.callsRecorded += other.callsRecorded;
    this.platform.merge(other.platform);
    for (const [id, m] of other.centers) this.center(id).merge(m);
    for (const [id, s] of other.intervals) this.series(id).merge(s);
    this.groupIntervals.merge(other.groupIntervals);
    this.scorecard.merge(other.scorecard);
    for (const [k, v] of other.visits) this.visits.set(k, (this.visits.get(k) ?? 0) + v);
    for (const [k, v] of other.paths) {
      const path = this.paths.has(k) || this.paths.size < MAX_PATHS ? k : OTHER_PATHS;
      this.paths.set(path, (this.paths.get(path) ?? 0) + v);
    }
  }

  destroy(): void {
    this.platform.destroy();
    for (const m of this.centers.values()) m.destroy();
  }

  /** Everything this collector counted, as structured-cloneable data (histograms compressed); the options stay out. */
  snapshot(): CollectorSnapshot {
    return encodeSnapshot(this, SNAPSHOT_TYPES, ['options']);
  }

  /** The collector a snapshot was taken of; `options` must be those it was built with. */
  static fromSnapshot(options: CollectorOptions, snapshot: CollectorSnapshot): MetricsCollector {
    const collector = decodeSnapshot(snapshot, SNAPSHOT_TYPES, { options });
    if (!(collector instanceof MetricsCollector)) throw new TypeError('not a snapshot of a MetricsCollector');
    return collector;
  }
}

/** A MetricsCollector as MetricsCollector.snapshot() gives it. */
export type CollectorSnapshot = Snapshot;

/**
 * Every class whose instances a collector holds. A field holding an instance of a class
 * missing here makes snapshot() throw, naming the field (the round-trip tests run one).
 */
export const SNAPSHOT_TYPES: readonly SnapshotClass[] = [
  MetricsCollector,
  CallMetrics,
  Counters,
  ServiceLevelCounts,
  DurationMetric,
  IntervalSeries,
  GroupIntervals,
  Scorecard,
  AgentStats,
];
