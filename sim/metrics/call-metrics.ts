// The per-call figures of one scope (the whole platform, or one center): exact counters
// for rates, HDR histograms for per-call times, service-level counts for every T. The
// collector keeps one for the platform and one per center; nothing here keeps a call.

import type { AgentSpan, CallbackRecord, CallRecord } from '../acd/records.js';
import { DurationMetric, type DurationUnit } from './duration-metric.js';

export const DURATION_METRICS: Readonly<Record<string, DurationUnit>> = {
  post_dial_delay: 's',
  ivr_answer: 's',
  ivr_time: 's',
  queue_wait: 's',
  speed_of_answer: 's',
  agent_ring: 's',
  agent_ring_rings: 'rings',
  time_to_abandon: 's',
  talk: 's',
  hold: 's',
  wrap_up: 's',
  call_duration: 's',
  callback_delay: 's',
};

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
  /** Calls that dispatch moved into this scope from another center (counted here). */
  dispatchedIn = 0;
  /** Calls that dispatch moved out of this scope's queue to another center. */
  dispatchedOut = 0;
  /** Agent-answered calls with at least one hold past the limit. */
  holdViolationCalls = 0;
  /** Holds past the limit, summed. */
  holdViolations = 0;
  /** Agent-answered calls whose wrap-up passed the group's limit. */
  wrapUpViolations = 0;
  /** Agent-answered calls in which the caller said nothing. */
  silent = 0;
  rated = 0;
  ratingSum = 0;
  /** Rated 4 or 5. */
  satisfied = 0;
  /** Agent-answered calls that ended with a promised callback. */
  callbacksPromised = 0;
  /** Callback tasks closed (reached, or out of attempts). */
  callbacksClosed = 0;
  callbacksReached = 0;
  callbacksOnTime = 0;
  /** Times an agent let an offered call ring out (agent events). */
  ringNoAnswers = 0;

  add(o: Counters): void {
    for (const k of Object.keys(this) as (keyof Counters)[]) {
      const v = this[k];
      if (typeof v === 'number') (this as unknown as Record<string, number>)[k] = v + (o[k] as number);
    }
  }
}

/** Whether a time is a number (the records use NaN for "never happened"). */
export const happened = (t: number): boolean => t === t;

/** What one call's agent answer looked like, as several scopes count it. */
export interface CallFacts {
  /** The wrap-up limit of the answering agent's group (seconds). */
  readonly wrapUpLimit: number;
  readonly ringPeriod: number;
  readonly shortAbandon: number;
}

/** Slack for comparing times that went through float sums (30 s wrap-up = left + 30 - left). */
export const TIME_EPSILON = 1e-6;

/** Rings the caller heard: an answer within the first ring period is 1 ring, an instant one 0. */
export function ringsOf(ring: number, ringPeriod: number): number {
  return Math.ceil(ring / ringPeriod - 1e-9);
}

/** The wrap-up passed the limit (strictly: a 30 s wrap-up under a 30 s limit is not counted). */
export function wrapUpOverLimit(r: CallRecord, limit: number): boolean {
  return r.wrapEnd - r.left > limit + TIME_EPSILON;
}

export class CallMetrics {
  readonly durations = new Map<string, DurationMetric>();
  readonly counters = new Counters();
  readonly serviceLevels: ServiceLevelCounts[];
  private readonly m: Record<keyof typeof DURATION_METRICS, DurationMetric>;

  constructor(thresholds: readonly number[]) {
    for (const [name, unit] of Object.entries(DURATION_METRICS)) this.durations.set(name, new DurationMetric(unit));
    this.m = Object.fromEntries(this.durations) as Record<string, DurationMetric>;
    this.serviceLevels = [...new Set(thresholds)].sort((a, b) => a - b).map((t) => new ServiceLevelCounts(t));
  }

  /** A call counted in this scope (after the warm-up). */
  call(r: CallRecord, facts: CallFacts): void {
    const c = this.counters;
    const m = this.m;
    const queued = happened(r.queued);
    c.offered++;
    if (r.attempt > 1) c.redials++;
    if (r.outcome === 'blocked') c.blocked++;
    else c.connected++;
    if (r.dispatchedFrom) c.dispatchedIn++;
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
        if (wait < facts.shortAbandon) c.shortAbandons++;
        m.time_to_abandon!.record(wait);
      }
    }
    if (r.outcome === 'answered') this.answered(r, facts);
    if (r.outcome !== 'blocked') m.call_duration!.record(r.left - r.arrival);
    if (happened(r.ringing)) m.post_dial_delay!.record(r.ringing - r.arrival);
    if (happened(r.ivrAnswered)) {
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
    }
  }

  private answered(r: CallRecord, facts: CallFacts): void {
    const c = this.counters;
    const m = this.m;
    c.answered++;
    const ring = r.answered - r.ringStart;
    const hold = r.holdTime > 0 ? r.holdTime : 0;
    m.speed_of_answer!.record(r.answered - r.queued);
    m.agent_ring!.record(ring);
    m.agent_ring_rings!.record(ringsOf(ring, facts.ringPeriod));
    m.talk!.record(r.left - r.answered - hold);
    m.hold!.record(hold);
    m.wrap_up!.record(r.wrapEnd - r.left);
    if (r.holdViolations > 0) {
      c.holdViolationCalls++;
      c.holdViolations += r.holdViolations;
    }
    if (wrapUpOverLimit(r, facts.wrapUpLimit)) c.wrapUpViolations++;
    if (r.silent) c.silent++;
    if (r.rating >= 1) {
      c.rated++;
      c.ratingSum += r.rating;
      if (r.rating >= 4) c.satisfied++;
    }
    if (r.callbackPromised) c.callbacksPromised++;
  }

  /** A callback task counted in this scope (created after the warm-up). */
  callback(r: CallbackRecord): void {
    const c = this.counters;
    c.callbacksClosed++;
    if (happened(r.reached)) {
      c.callbacksReached++;
      this.m.callback_delay!.record(r.reached - r.created);
    }
    if (r.onTime) c.callbacksOnTime++;
  }

  /** Adds agent time already clipped to the counted window. */
  work(seconds: number): void {
    this.counters.busyTime += seconds;
  }

  staffed(seconds: number): void {
    this.counters.staffedTime += seconds;
  }

  /** Adds another scope's results (same thresholds) into this one. */
  merge(other: CallMetrics): void {
    for (const [name, metric] of this.durations) metric.merge(other.durations.get(name)!);
    this.counters.add(other.counters);
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

/** The length of `span` inside [from, to]. */
export function overlap(span: Pick<AgentSpan, 'start' | 'end'>, from: number, to: number): number {
  const start = Math.max(span.start, from);
  const end = Math.min(span.end, to);
  return end > start ? end - start : 0;
}
