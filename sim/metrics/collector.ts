// Turns the model's records into metrics as they stream in: HDR histograms for per-call
// times, exact counters for rates. Nothing keeps every call, so memory stays flat in the
// number of calls. Calls offered before the warm-up ends are not counted; occupancy counts
// agent time inside [warm-up, duration] only.

import type { AgentSpan, CallRecord, RecordSink } from '../acd/records.js';
import type { ServiceLevelDefinition } from '../scenario/types.js';
import { DurationMetric, type DurationUnit } from './duration-metric.js';

export const DURATION_METRICS: Readonly<Record<string, DurationUnit>> = {
  ivr_answer: 's',
  ivr_time: 's',
  queue_wait: 's',
  speed_of_answer: 's',
  agent_ring: 's',
  agent_ring_rings: 'rings',
  time_to_abandon: 's',
  talk: 's',
  wrap_up: 's',
  call_duration: 's',
};

export const SERVICE_LEVEL_DEFINITIONS: readonly ServiceLevelDefinition[] = [
  'strict',
  'answered',
  'exclude-short-abandons',
  'wait',
  'virtual',
];

export interface CollectorOptions {
  readonly warmup: number;
  readonly duration: number;
  readonly ringPeriod: number;
  /** Every T for which service levels are counted exactly. */
  readonly serviceLevelThresholds: readonly number[];
  readonly shortAbandon: number;
}

/** Counts per service-level threshold T. */
export class ServiceLevelCounts {
  answeredWithin = 0;
  waitWithin = 0;
  virtualWithin = 0;
  constructor(readonly threshold: number) {}
}

export class Counters {
  offered = 0;
  blocked = 0;
  connected = 0;
  queued = 0;
  answered = 0;
  abandoned = 0;
  shortAbandons = 0;
  stranded = 0;
  redials = 0;
  uniqueCallers = 0;
  uniqueConnected = 0;
  uniqueQueued = 0;
  uniqueAnswered = 0;
  uniqueAbandoned = 0;
  uniqueBlocked = 0;
  busyTime = 0;
  staffedTime = 0;
  ivrAnswered = 0;
  ivrContained = 0;
  ivrInvalid = 0;
  ivrQueued = 0;
  ivrTransferred = 0;
  ivrCallerHangups = 0;
  invalidKeys = 0;
  voicemails = 0;
  selfService = 0;

  add(o: Counters): void {
    for (const k of Object.keys(this) as (keyof Counters)[]) {
      const v = this[k];
      if (typeof v === 'number') (this as unknown as Record<string, number>)[k] = v + (o[k] as number);
    }
  }
}

/** Distinct IVR paths counted before the rest are lumped together, to keep memory flat. */
const MAX_PATHS = 20_000;
export const OTHER_PATHS = '(other paths)';

export class MetricsCollector implements RecordSink {
  readonly durations = new Map<string, DurationMetric>();
  /** Visits per IVR menu. */
  readonly visits = new Map<string, number>();
  /** Calls per IVR path (menus entered and keys pressed). */
  readonly paths = new Map<string, number>();
  readonly counters = new Counters();
  readonly serviceLevels: ServiceLevelCounts[];
  /** Callers with a redial pending who reached the queue on an earlier attempt. */
  private readonly everQueued = new Set<number>();
  private readonly m: Record<keyof typeof DURATION_METRICS, DurationMetric>;

  constructor(readonly options: CollectorOptions) {
    for (const [name, unit] of Object.entries(DURATION_METRICS)) this.durations.set(name, new DurationMetric(unit));
    this.m = Object.fromEntries(this.durations) as Record<string, DurationMetric>;
    this.serviceLevels = [...new Set(options.serviceLevelThresholds)].sort((a, b) => a - b).map((t) => new ServiceLevelCounts(t));
  }

  call(r: CallRecord): void {
    const counted = r.arrival >= this.options.warmup;
    const c = this.counters;
    const m = this.m;
    const queued = r.queued === r.queued;
    if (counted) {
      c.offered++;
      if (r.attempt > 1) c.redials++;
      if (r.outcome === 'blocked') c.blocked++;
      else c.connected++;
      if (queued) {
        c.queued++;
        const end = r.outcome === 'answered' ? r.answered : r.left;
        const wait = end - r.queued;
        m.queue_wait!.record(wait);
        const abandoned = r.outcome === 'abandoned';
        const sa = r.answered - r.queued;
        for (const sl of this.serviceLevels) {
          if (!abandoned && sa <= sl.threshold) sl.answeredWithin++;
          if (wait <= sl.threshold) sl.waitWithin++;
          if (r.virtualWait <= sl.threshold) sl.virtualWithin++;
        }
        if (abandoned) {
          c.abandoned++;
          if (r.stranded) c.stranded++;
          if (wait < this.options.shortAbandon) c.shortAbandons++;
          m.time_to_abandon!.record(wait);
        }
      }
      if (r.outcome === 'answered') {
        c.answered++;
        const ring = r.answered - r.ringStart;
        m.speed_of_answer!.record(r.answered - r.queued);
        m.agent_ring!.record(ring);
        // A call answered during the first ring cycle took one ring; 0 only if answered at once.
        m.agent_ring_rings!.record(Math.ceil(ring / this.options.ringPeriod - 1e-9));
        m.talk!.record(r.left - r.answered);
        m.wrap_up!.record(r.wrapEnd - r.left);
      }
      if (r.outcome !== 'blocked') m.call_duration!.record(r.left - r.arrival);
      if (r.ivrAnswered === r.ivrAnswered) this.ivr(r);
    }
    this.uniqueCaller(r, queued);
  }

  private ivr(r: CallRecord): void {
    const c = this.counters;
    const m = this.m;
    c.ivrAnswered++;
    m.ivr_answer!.record(r.ivrAnswered - r.arrival);
    m.ivr_time!.record(r.ivrLeft - r.ivrAnswered);
    if (r.invalidKeys > 0) c.ivrInvalid++;
    c.invalidKeys += r.invalidKeys;
    c.voicemails += r.voicemails;
    c.selfService += r.selfService;
    if (r.ivrExit === 'queue') c.ivrQueued++;
    else if (r.ivrExit === 'transfer') c.ivrTransferred++;
    else {
      if (r.ivrExit === 'caller-hangup') c.ivrCallerHangups++;
      if (r.selfService > 0) c.ivrContained++;
    }
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
    const c = this.counters;
    c.uniqueCallers++;
    if (everQueued) c.uniqueQueued++;
    if (r.outcome === 'blocked') c.uniqueBlocked++;
    else c.uniqueConnected++;
    if (r.outcome === 'answered') c.uniqueAnswered++;
    if (r.outcome === 'abandoned') c.uniqueAbandoned++;
  }

  work(span: AgentSpan): void {
    this.counters.busyTime += this.clip(span);
  }

  staffed(span: AgentSpan): void {
    this.counters.staffedTime += this.clip(span);
  }

  private clip(span: AgentSpan): number {
    const start = Math.max(span.start, this.options.warmup);
    const end = Math.min(span.end, this.options.duration);
    return end > start ? end - start : 0;
  }

  /** Adds another collector's results (same options) into this one. */
  merge(other: MetricsCollector): void {
    for (const [name, metric] of this.durations) metric.merge(other.durations.get(name)!);
    this.counters.add(other.counters);
    for (const [k, v] of other.visits) this.visits.set(k, (this.visits.get(k) ?? 0) + v);
    for (const [k, v] of other.paths) {
      const path = this.paths.has(k) || this.paths.size < MAX_PATHS ? k : OTHER_PATHS;
      this.paths.set(path, (this.paths.get(path) ?? 0) + v);
    }
    this.serviceLevels.forEach((sl, i) => {
      const o = other.serviceLevels[i]!;
      sl.answeredWithin += o.answeredWithin;
      sl.waitWithin += o.waitWithin;
      sl.virtualWithin += o.virtualWithin;
    });
  }

  destroy(): void {
    for (const metric of this.durations.values()) metric.destroy();
  }
}
