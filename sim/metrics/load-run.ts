// The native engine of `callsim load`: callsim's own SIP user agent places calls at a target
// on an open model: call k starts at its scheduled instant whether or not earlier calls were
// answered, and every latency is measured from that scheduled instant (no coordinated
// omission: a slow target cannot hide behind a slow generator). Each call sends its keys by
// INFO after the answer, stays up for a hold time and hangs up; a call still ringing after
// its ring timeout is CANCELled. Results stream into HDR histograms and counters.

import type { Scheduler } from '../kernel/clock.js';
import { distribution, type Distribution } from '../kernel/distributions.js';
import type { RandomStream } from '../kernel/random.js';
import { newLoadCounters, type LoadCounters, type LoadPlan } from '../sip/load-plan.js';
import { DurationMetric } from './duration-metric.js';

export { newLoadCounters, type LoadCounters, type LoadPlan } from '../sip/load-plan.js';

export interface LoadResults {
  readonly counters: LoadCounters;
  readonly metrics: {
    readonly post_dial_delay: DurationMetric;
    readonly ivr_answer: DurationMetric;
    readonly call_duration: DurationMetric;
  };
}

/**
 * What an engine's call looks like to the load run: callsim's own SipCall has this shape,
 * and so must another engine's adapter (the JsSIP engine). Events come back through
 * {@link SipCallEvents}: `progress`, `answered`, `failed`, `infoAnswered`, `ended`
 * (and `referred`, `info` when the engine supports them).
 */
export interface DialedCall<T> {
  data: T | undefined;
  /** `confirmed` once answered and ACKed, `terminated` when over. */
  readonly state: string;
  /** UAC: a CANCEL is waiting for the first provisional response (RFC 3261 §9.1). */
  readonly cancelPending: boolean;
  /** One DTMF key by INFO (only when confirmed). */
  sendDtmf(key: string): void;
  /** BYE when confirmed, CANCEL before the answer. */
  hangup(): void;
}

/** What the load run hears about its calls (a subset of callsim's SipCallEvents, on DialedCall). */
export interface LoadCallEvents<T> {
  /** A provisional response (180, 183; 100 too for engines that report it). */
  progress?(call: DialedCall<T>, status: number): void;
  /** The 2xx arrived (and was ACKed). */
  answered?(call: DialedCall<T>): void;
  /**
   * The INVITE failed: final status >= 300, or 408 on a transaction timeout. `fromTarget`: the
   * status is a response the target sent, not one the engine made up (Timer B, a connection
   * that failed), which tells an unreachable target from one that refuses (unreachable.ts).
   */
  failed?(call: DialedCall<T>, status: number, reason: string, fromTarget: boolean): void;
  /** The final response to one of our INFOs. */
  infoAnswered?(call: DialedCall<T>, status: number): void;
  /** The target asks the caller to call another number (REFER). */
  referred?(call: DialedCall<T>, referTo: string): void;
  /** The call ended after the answer: by the target's BYE (`remote`) or ours (`local`). */
  ended?(call: DialedCall<T>, by: 'remote' | 'local' | 'error'): void;
  /** An INFO from the target that is not DTMF: return true to take it (200), false to refuse (415). */
  info?(call: DialedCall<T>, contentType: string, body: string): boolean;
}

/** Places calls: callsim's UserAgent, or another engine's adapter. */
export interface LoadDialer<T> {
  /** Calls `uri` at transport address `peer` as `user` (the calling number). */
  call(uri: string, peer: string, user: string, events: LoadCallEvents<T>, data?: T, extra?: readonly { readonly name: string; readonly value: string }[]): DialedCall<T>;
}

/**
 * How a failed set-up is counted: by its status, and for a 408 that was not a plain Timer B
 * (a WebSocket that would not connect, say) by the reason too, so that an unreachable target
 * reads as such.
 */
export function failureKey(status: number, reason: string | undefined): string {
  if (status === 408 && reason !== undefined && reason !== '' && !/^request time-?out$/i.test(reason)) return `408 ${reason}`;
  return String(status);
}

/** Counters of a run that has started nothing yet. */
/** What a load run measures itself, in seconds from each call's scheduled start. */
export function newLoadMetrics(): LoadResults['metrics'] & { readonly start_lag: DurationMetric } {
  return {
    post_dial_delay: new DurationMetric('s'),
    ivr_answer: new DurationMetric('s'),
    call_duration: new DurationMetric('s'),
    /** How late the generator sent each INVITE after its scheduled start (its own health). */
    start_lag: new DurationMetric('s'),
  };
}

interface CallState {
  readonly scheduled: number;
  ringTimer: ReturnType<Scheduler['after']> | null;
  provisional: boolean;
  answered: boolean;
  /** We CANCELled it (ring timeout, Ctrl-C): its 487 is ours, not the target's. */
  cancelled: boolean;
  ringing: boolean;
  /** The target sent something back (counted once in `responded`). */
  heard: boolean;
}

/** Runs the plan on `scheduler` through `ua`; resolves when every started call has ended (or `stop` was called and they were torn down). */
export class LoadRun {
  readonly counters: LoadCounters = newLoadCounters();
  readonly metrics = newLoadMetrics();
  private live = 0;
  private stopping = false;
  private nextArrival: ReturnType<Scheduler['after']> | null = null;
  private readonly calls = new Set<DialedCall<CallState>>();
  /** Poisson arrivals: exponential gaps. */
  private readonly gap: Distribution;
  private resolveDone: () => void = () => {};
  readonly done: Promise<void> = new Promise((r) => (this.resolveDone = r));

  constructor(
    private readonly scheduler: Scheduler,
    private readonly ua: LoadDialer<CallState>,
    private readonly plan: LoadPlan,
    private readonly rng: RandomStream,
  ) {
    this.gap = distribution({ kind: 'exponential', mean: 1 / plan.rate });
  }

  start(): void {
    this.scheduleNext(this.scheduler.now());
  }

  /** Ctrl-C: start nothing more; CANCEL the calls still ringing and BYE the answered ones. */
  stop(): void {
    this.stopping = true;
    if (this.nextArrival) this.scheduler.cancel(this.nextArrival);
    this.nextArrival = null;
    for (const c of [...this.calls]) {
      if (!c.data!.answered) c.data!.cancelled = true;
      c.hangup();
    }
    this.checkDone();
  }

  private scheduleNext(after: number): void {
    if (this.stopping || this.counters.scheduled >= this.plan.calls) return this.checkDone();
    const at = after + this.gap.sample(this.rng);
    if (at >= this.plan.duration) return this.checkDone();
    this.counters.scheduled++;
    this.nextArrival = this.scheduler.at(at, this.onArrival, at);
  }

  private readonly onArrival = (scheduled: number): void => {
    this.nextArrival = null;
    if (this.live >= this.plan.maxConcurrent) {
      this.counters.notStarted++;
    } else {
      this.live++;
      this.counters.started++;
      this.metrics.start_lag.record(this.scheduler.now() - scheduled);
      const state: CallState = { scheduled, ringTimer: null, provisional: false, answered: false, cancelled: false, ringing: false, heard: false };
      const call = this.ua.call(this.plan.uri, this.plan.peer, `${this.plan.from}${this.counters.started}`, this.events, state);
      this.calls.add(call);
      state.ringTimer = this.scheduler.after(Math.max(0, scheduled + this.plan.ringTimeout - this.scheduler.now()), this.onRingTimeout, call);
    }
    this.scheduleNext(scheduled);
  };

  private readonly onRingTimeout = (call: DialedCall<CallState>): void => {
    const s = call.data!;
    s.ringTimer = null;
    if (s.answered || call.state === 'terminated') return;
    this.counters.ringTimeouts++;
    s.cancelled = true;
    // an engine that reports no 100 Trying (JsSIP) still shows the call as early after one
    if (call.state === 'early') this.hear(s);
    if (!s.provisional && call.state !== 'early' && !call.cancelPending) {
      // not a word from the target (unreachable, or silent): give up now rather than wait for
      // Timer B; a CANCEL may only follow a provisional response (RFC 3261 §9.1)
      this.counters.failed['no answer'] = (this.counters.failed['no answer'] ?? 0) + 1;
      call.hangup();
      this.end(call);
      return;
    }
    call.hangup();
  };

  private readonly events: LoadCallEvents<CallState> = {
    progress: (call, status) => {
      const s = call.data!;
      this.hear(s);
      if (!s.provisional) {
        s.provisional = true;
        // post-dial delay is to the first ringing (180/183), not the hop-by-hop 100 Trying
      }
      if (status > 100 && !s.ringing) {
        s.ringing = true;
        this.metrics.post_dial_delay.record(this.scheduler.now() - s.scheduled);
      }
    },
    answered: (call) => {
      const s = call.data!;
      if (s.ringTimer) this.scheduler.cancel(s.ringTimer);
      s.ringTimer = null;
      s.answered = true;
      this.hear(s);
      this.counters.answered++;
      this.metrics.ivr_answer.record(this.scheduler.now() - s.scheduled);
      if (this.stopping) return call.hangup();
      const keys = [...this.plan.keys];
      keys.forEach((k, i) => this.scheduler.after((i + 1) * this.plan.keyGap, () => {
        if (call.state === 'confirmed') {
          this.counters.keysSent++;
          call.sendDtmf(k);
        }
      }, undefined));
      this.scheduler.after(keys.length * this.plan.keyGap + this.plan.hold, () => call.hangup(), undefined);
    },
    infoAnswered: (_call, status) => {
      if (status >= 200 && status < 300) this.counters.keysAcked++;
    },
    failed: (call, status, reason, fromTarget) => {
      const s = call.data!;
      if (s.ringTimer) this.scheduler.cancel(s.ringTimer);
      if (fromTarget) this.hear(s);
      // a 487 after our own CANCEL is our ring timeout (counted there), not the target's refusal
      const key = failureKey(status, reason);
      if (!s.cancelled) this.counters.failed[key] = (this.counters.failed[key] ?? 0) + 1;
      this.end(call);
    },
    ended: (call, by) => {
      this.counters.completed++;
      if (by === 'remote') this.counters.endedByTarget++;
      this.metrics.call_duration.record(this.scheduler.now() - call.data!.scheduled);
      this.end(call);
    },
  };

  private hear(s: CallState): void {
    if (s.heard) return;
    s.heard = true;
    this.counters.responded++;
  }

  private end(call: DialedCall<CallState>): void {
    if (!this.calls.delete(call)) return;
    this.live--;
    this.checkDone();
  }

  /** Done when no arrival is pending and no call is live. */
  private checkDone(): void {
    if (this.nextArrival === null && this.calls.size === 0) this.resolveDone();
  }

  destroy(): void {
    for (const m of Object.values(this.metrics)) m.destroy();
  }
}
