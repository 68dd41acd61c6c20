// `callsim load TARGET SCENARIO`: real SIP callers who behave as the scenario's callers do,
// placed at any target on an open model. Each caller's first attempt comes from the
// scenario's arrival process (its time-of-day profile and day factors, or a constant rate),
// their calling number from the area-code mix; once the target answers, a mirror of the
// scenario's IVR runs on the caller's side and decides, as the simulation would, which key
// to press in each menu and when (think times, barge-in, digits, slips, hang-ups), and the
// keys go out by INFO. In an agent queue the caller waits as long as their patience lasts,
// then hangs up; a blocked or abandoned caller may redial after the scenario's delay.
//
// What the caller cannot see, the target may tell: `callsim serve` reports the ACD steps of
// each call (acd-report.ts) when asked, and then queue waits, agent rings and talk times are
// measured too, from serve's timestamps (no jitter of the caller's event loop). Every attempt
// becomes a CallRecord with what was observed (NaN for the rest), so the same collector,
// summary and SLA checks as a simulation apply. Times are the scenario's seconds: the
// scheduler may run faster than real time (`--speed`), as `callsim serve --speed` does.
//
// Patience needs to know when an agent answers; a target that does not report it (SIPp, a
// vendor's system) gets callers who wait until the target ends the call or `maxCallTime`.
// The mirror draws its own account-lookup outcomes: where the target's IVR decides otherwise,
// the two may part ways for that call (its ivrPath shows what the caller believed).

import type { CallOutcome, CallRecord, IvrExitKind, RecordSink } from '../acd/records.js';
import { CallerBehaviour } from '../callers/caller-behaviour.js';
import { IvrCaller } from '../callers/ivr-caller.js';
import { BusinessCalendar } from '../ivr/calendar.js';
import type { Key } from '../ivr/types.js';
import { arrivalProcess, type ArrivalProcess } from '../kernel/arrivals.js';
import type { Scheduled, Scheduler } from '../kernel/clock.js';
import { distribution } from '../kernel/distributions.js';
import type { RandomStream, RandomStreams } from '../kernel/random.js';
import { ACD_EVENT_TYPE, ACD_REPORT_HEADER, ACD_REPORT_VALUE, parseAcdEvent, type AcdEvent } from '../scenario/acd-report.js';
import { weekOffset } from '../scenario/calendar-time.js';
import { Weighted } from '../scenario/hotline-model.js';
import { IvrSession, type IvrExit, type IvrHost } from '../scenario/ivr-session.js';
import type { Scenario } from '../scenario/types.js';
import { failureKey, newLoadCounters, newLoadMetrics, type DialedCall, type LoadCallEvents, type LoadCounters, type LoadDialer } from './load-run.js';

export interface ScenarioLoadPlan {
  readonly uri: string;
  readonly peer: string;
  /** Scenario seconds during which attempts (first calls and redials) start. */
  readonly duration: number;
  /** Attempts to start at most (first calls and redials). */
  readonly calls: number;
  readonly maxConcurrent: number;
  /** Scenario seconds from an attempt's start to giving up on the answer (CANCEL). */
  readonly ringTimeout: number;
  /** Scenario seconds after which a call still up is hung up (a target that never ends calls). */
  readonly maxCallTime: number;
  /** Calls per scenario second instead of the scenario's arrival process (Poisson). */
  readonly rate?: number;
  /** Ask the target for ACD events (`callsim serve` sends them). */
  readonly askAcd: boolean;
}

/** One attempt as the caller lives it. Times are the scenario's seconds on the run's clock. */
class Attempt {
  call: DialedCall<Attempt> | null = null;
  session: IvrSession | null = null;
  ringTimer: Scheduled | null = null;
  redialTimer: Scheduled | null = null;
  /** Over for the caller: the mirror IVR's last words are ignored. */
  over = false;
  patienceTimer: Scheduled | null = null;
  guard: Scheduled | null = null;
  provisional = false;
  /** The target sent something back (counted once in `responded`). */
  heard = false;
  ringing = NaN;
  ivrAnswered = NaN;
  ivrLeft = NaN;
  ivrExit: IvrExitKind = '';
  /** Our own CANCEL or BYE, and why (decides the outcome). */
  hungUpFor: 'ring-timeout' | 'patience' | 'ivr' | 'transfer' | 'stop' | 'max-call-time' | null = null;
  referred = false;
  blockedAfterIvr = false;
  /**
   * The caller's clock and serve's at one ACD event (`queued`; `agent-answered` without an
   * IVR, where the earlier events wait for the 200 OK): serve's instants map to the caller's
   * through this pair.
   */
  anchorLocal = NaN;
  anchorT = NaN;
  queuedT = NaN;
  ringStartT = NaN;
  answeredT = NaN;
  agentHangupT = NaN;
  center = '';
  queue = '';
  agent = '';
  group = '';
  ringNoAnswers = 0;
  dispatchedFrom = '';
  holdTime = 0;
  holdViolations = 0;
  redialed = false;
  constructor(
    readonly id: number,
    readonly caller: number,
    readonly attempt: number,
    readonly firstArrival: number,
    /** The scheduled start: every latency counts from here (open model). */
    readonly arrival: number,
    readonly areaCode: string,
  ) {}
}

export interface ScenarioLoadCounters extends LoadCounters {
  /** Attempts that were redials. */
  redials: number;
  /** ACD events received from the target. */
  acdEvents: number;
  /**
   * Attempts whose IVR path, as the scenario's menus take it (load's mirror of the IVR), left
   * for an agent queue: the calls the target's ACD events would describe.
   */
  toQueue: number;
  /** Calls hung up because the run was stopped (Ctrl-C, or its time bound). */
  cutAtStop: number;
}

export class ScenarioLoadRun {
  readonly counters: ScenarioLoadCounters = { ...newLoadCounters(), redials: 0, acdEvents: 0, toQueue: 0, cutAtStop: 0 };
  /** The caller's own measurements (the collector has them too, per call). */
  readonly metrics = newLoadMetrics();
  /** The sum over ACD events of the target's time in them less ours at their arrival (see targetClockAhead). */
  private aheadSum = 0;
  private readonly arrivals: ArrivalProcess;
  private readonly arrivalRng: RandomStream;
  private readonly areaCodeRng: RandomStream;
  private readonly areaCodes: Weighted<string>;
  private readonly behaviour: CallerBehaviour;
  private readonly ivr: IvrHost | null;
  /** Area codes of the platform's own centers: key 9 to one of them restarts the IVR there. */
  private readonly platformCodes: ReadonlySet<string>;
  private readonly live = new Set<Attempt>();
  private readonly pendingRedials = new Set<Attempt>();
  private nextArrival: Scheduled | null = null;
  private nextId = 0;
  private nextCaller = 0;
  private stopping = false;
  private resolveDone: () => void = () => {};
  readonly done: Promise<void> = new Promise((r) => (this.resolveDone = r));

  constructor(
    private readonly scenario: Scenario,
    private readonly clock: Scheduler,
    private readonly dialer: LoadDialer<Attempt>,
    private readonly plan: ScenarioLoadPlan,
    streams: RandomStreams,
    private readonly sink: RecordSink,
  ) {
    this.arrivals = plan.rate !== undefined
      ? constantRate(plan.rate)
      : arrivalProcess(scenario.arrivals.process, scenario.arrivals.scale, weekOffset(scenario.start, scenario.calendar.timeZone));
    this.arrivalRng = streams.stream('arrivals');
    this.areaCodeRng = streams.stream('callers:area-code');
    const codes = Object.keys(scenario.callers.areaCodes);
    this.areaCodes = new Weighted(codes, codes.map((c) => scenario.callers.areaCodes[c]!));
    this.behaviour = new CallerBehaviour(scenario.callers, streams);
    this.platformCodes = new Set(scenario.centers.flatMap((c) => c.areaCodes));
    this.ivr = scenario.ivr === null
      ? null
      : {
          clock,
          spec: scenario.ivr,
          calendar: new BusinessCalendar(scenario.calendar, scenario.start),
          caller: new IvrCaller(scenario.callers.ivr, streams, [...this.platformCodes]),
          exit: (session, exit) => this.mirrorExit(session.call as Attempt, session, exit),
          press: (session, key) => this.press(session.call as Attempt, session, key),
          hangUp: (session) => this.mirrorHangup(session.call as Attempt),
          mirror: true,
        };
  }

  start(): void {
    this.scheduleNext(this.clock.now());
  }

  /** Start nothing more; CANCEL or BYE every live call (recorded as they stand). */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.nextArrival) this.clock.cancel(this.nextArrival);
    this.nextArrival = null;
    for (const r of this.pendingRedials) if (r.redialTimer) this.clock.cancel(r.redialTimer);
    this.pendingRedials.clear();
    for (const a of [...this.live]) {
      this.counters.cutAtStop++;
      this.hangUp(a, 'stop');
    }
    this.checkDone();
  }

  /**
   * How far the target's scenario clock (the `t` of its ACD events) ran ahead of the callers',
   * in scenario seconds, the mean over the events; undefined without any. Each process starts
   * its clock when it starts, so with `--speed K` every real second between starting
   * `callsim serve` and `callsim load` puts serve K seconds of the scenario ahead: its time of
   * day (agents' hours, breaks) then runs that much later than the callers' arrival profile.
   * Network and event-loop delays make it read low by their mean (times K).
   */
  targetClockAhead(): number | undefined {
    return this.counters.acdEvents === 0 ? undefined : this.aheadSum / this.counters.acdEvents;
  }

  get liveCalls(): number {
    return this.live.size;
  }

  // ---- arrivals and attempts ------------------------------------------------------------

  private scheduleNext(after: number): void {
    if (this.stopping || this.counters.started >= this.plan.calls) {
      this.nextArrival = null;
      return this.checkDone();
    }
    const at = this.arrivals.next(after, this.arrivalRng);
    if (!(at < this.plan.duration)) {
      this.nextArrival = null;
      return this.checkDone();
    }
    this.nextArrival = this.clock.at(at, this.onArrival, at);
  }

  private readonly onArrival = (at: number): void => {
    this.nextArrival = null;
    if (this.counters.started >= this.plan.calls) return this.checkDone();
    const areaCode = this.areaCodes.draw(this.areaCodeRng) ?? '';
    this.dial(new Attempt(this.nextId++, this.nextCaller++, 1, at, at, areaCode));
    this.scheduleNext(at);
  };

  private readonly onRedial = (a: Attempt): void => {
    a.redialTimer = null;
    this.pendingRedials.delete(a);
    this.counters.redials++;
    this.dial(a);
  };

  private dial(a: Attempt): void {
    this.counters.scheduled++;
    if (this.counters.started >= this.plan.calls || this.live.size >= this.plan.maxConcurrent) {
      this.counters.notStarted++;
      return this.checkDone();
    }
    this.counters.started++;
    this.metrics.start_lag.record(this.clock.now() - a.arrival);
    this.live.add(a);
    const number = `${a.areaCode}${String(a.caller).padStart(8, '0')}`;
    const extra = this.plan.askAcd ? [{ name: ACD_REPORT_HEADER, value: ACD_REPORT_VALUE }] : [];
    a.call = this.dialer.call(this.plan.uri, this.plan.peer, number, this.events, a, extra);
    const wait = Math.max(0, a.arrival + this.plan.ringTimeout - this.clock.now());
    a.ringTimer = this.clock.after(wait, this.onRingTimeout, a);
    a.guard = this.clock.after(Math.max(0, a.arrival + this.plan.maxCallTime - this.clock.now()), this.onMaxCallTime, a);
  }

  private readonly onRingTimeout = (a: Attempt): void => {
    a.ringTimer = null;
    if (!Number.isNaN(a.ivrAnswered) || a.hungUpFor !== null) return;
    // With no IVR the queue wait is spent ringing: patience, not the ring timeout, ends it.
    if (this.ivr === null && a.patienceTimer !== null) return;
    this.counters.ringTimeouts++;
    this.hangUp(a, 'ring-timeout');
  };

  private readonly onMaxCallTime = (a: Attempt): void => {
    a.guard = null;
    if (this.live.has(a)) this.hangUp(a, 'max-call-time');
  };

  private readonly onPatience = (a: Attempt): void => {
    a.patienceTimer = null;
    if (Number.isNaN(a.answeredT)) this.hangUp(a, 'patience');
  };

  private startPatience(a: Attempt): void {
    if (a.patienceTimer !== null || !Number.isNaN(a.answeredT)) return;
    const patience = this.behaviour.samplePatience();
    if (patience !== Infinity) a.patienceTimer = this.clock.after(patience, this.onPatience, a);
  }

  /** Our side ends the call: CANCEL before the answer, BYE after it. */
  private hangUp(a: Attempt, why: NonNullable<Attempt['hungUpFor']>): void {
    if (a.hungUpFor !== null || a.call === null) return;
    a.hungUpFor = why;
    // an engine that reports no 100 Trying (JsSIP) still shows the call as early after one
    if (a.call.state === 'early') this.hear(a);
    const provisionalYet = a.provisional || a.call.state === 'early';
    const answered = !Number.isNaN(a.ivrAnswered);
    a.call.hangup();
    // Not a word from the target yet: a CANCEL may not go out (RFC 3261 §9.1), and waiting
    // for Timer B would only delay the verdict; the attempt is over for the caller now.
    if (!answered && !provisionalYet && this.live.has(a)) {
      if (why === 'ring-timeout') this.counters.failed['no answer'] = (this.counters.failed['no answer'] ?? 0) + 1;
      this.end(a, 'local');
    }
  }

  // ---- the target's answers -------------------------------------------------------------

  private readonly events: LoadCallEvents<Attempt> = {
    progress: (call, status) => {
      const a = call.data!;
      this.hear(a);
      a.provisional = true;
      if (status > 100 && Number.isNaN(a.ringing)) {
        a.ringing = this.clock.now();
        this.metrics.post_dial_delay.record(a.ringing - a.arrival);
        // no IVR: the caller waits for an agent while it rings
        if (this.ivr === null) this.startPatience(a);
      }
    },
    answered: (call) => {
      const a = call.data!;
      if (a.ringTimer) this.clock.cancel(a.ringTimer);
      a.ringTimer = null;
      a.ivrAnswered = this.clock.now();
      this.hear(a);
      this.counters.answered++;
      this.metrics.ivr_answer.record(a.ivrAnswered - a.arrival);
      if (a.hungUpFor !== null) return call.hangup(); // our CANCEL crossed the 200
      if (this.ivr === null) {
        // the agent answered (the 200 OK is the agent's)
        if (a.patienceTimer) this.clock.cancel(a.patienceTimer);
        a.patienceTimer = null;
        return;
      }
      a.session = new IvrSession(this.ivr, a.areaCode, a);
      a.session.start();
    },
    failed: (call, status, reason, fromTarget) => {
      const a = call.data!;
      if (fromTarget) this.hear(a);
      const key = failureKey(status, reason);
      if (a.hungUpFor === null) this.counters.failed[key] = (this.counters.failed[key] ?? 0) + 1;
      this.end(a, 'failed');
    },
    infoAnswered: (_call, status) => {
      if (status >= 200 && status < 300) this.counters.keysAcked++;
    },
    referred: (call) => {
      const a = call.data!;
      a.referred = true;
      // the caller would dial the number given; this one's part ends here
      this.hangUp(a, 'transfer');
    },
    ended: (call, by) => {
      const a = call.data!;
      this.counters.completed++;
      if (by === 'remote') this.counters.endedByTarget++;
      this.end(a, by === 'remote' ? 'remote' : 'local');
    },
    // ACD events when we asked for them; any other INFO is refused (415)
    info: (call, type, body) => {
      if (type !== ACD_EVENT_TYPE) return false;
      const e = parseAcdEvent(body);
      if (e === undefined) return false;
      this.counters.acdEvents++;
      this.aheadSum += e.t - this.clock.now();
      this.acd(call.data!, e);
      return true;
    },
  };

  private acd(a: Attempt, e: AcdEvent): void {
    if (e.event === (this.ivr === null ? 'agent-answered' : 'queued') && Number.isNaN(a.anchorT)) {
      a.anchorLocal = this.clock.now();
      a.anchorT = e.t;
    }
    switch (e.event) {
      case 'queued':
        a.queuedT = e.t;
        a.center = e.center ?? a.center;
        a.queue = e.queue ?? a.queue;
        this.startPatience(a);
        return;
      case 'agent-ringing':
        a.ringStartT = e.t;
        return;
      case 'agent-answered':
        a.answeredT = e.t;
        a.center = e.center ?? a.center;
        a.queue = e.queue ?? a.queue;
        a.agent = e.agent ?? '';
        a.group = e.group ?? '';
        a.ringNoAnswers = e.ringNoAnswers ?? 0;
        a.dispatchedFrom = e.dispatchedFrom ?? '';
        if (a.patienceTimer) this.clock.cancel(a.patienceTimer);
        a.patienceTimer = null;
        return;
      case 'agent-hangup':
        a.agentHangupT = e.t;
        a.holdTime = e.hold ?? 0;
        a.holdViolations = e.holdViolations ?? 0;
        return;
      case 'blocked':
        a.blockedAfterIvr = true;
        return;
    }
  }

  // ---- the mirror IVR -------------------------------------------------------------------

  private press(a: Attempt, session: IvrSession, key: Key): void {
    if (a.call === null || a.call.state !== 'confirmed' || a.hungUpFor !== null) return;
    this.counters.keysSent++;
    a.call.sendDtmf(key);
    // the target's IVR hears it a moment later; the caller's picture moves on now
    session.keyArrived(key);
  }

  private mirrorHangup(a: Attempt): void {
    a.session?.hangup();
    this.hangUp(a, 'ivr');
  }

  private mirrorExit(a: Attempt, session: IvrSession, exit: IvrExit): void {
    if (a.over) return;
    if (exit.kind === 'transfer' && this.platformCodes.has(exit.areaCode)) {
      // another center of the platform: its IVR starts over, as on the target
      session.transferTo(exit.areaCode);
      return;
    }
    a.ivrLeft = this.clock.now();
    if (exit.kind === 'enqueue') this.counters.toQueue++;
    a.ivrExit = exit.kind === 'enqueue' ? 'queue' : exit.kind === 'transfer' ? 'transfer' : exit.by === 'system' ? 'system-hangup' : 'caller-hangup';
    // enqueue: wait for the agent (patience starts with the target's `queued`, when it says);
    // transfer: the target's REFER follows; a system hang-up: its BYE follows.
  }

  // ---- the end of an attempt ------------------------------------------------------------

  private hear(a: Attempt): void {
    if (a.heard) return;
    a.heard = true;
    this.counters.responded++;
  }

  private end(a: Attempt, how: 'remote' | 'local' | 'failed'): void {
    if (!this.live.delete(a)) return;
    // the target hung up while its IVR still had the caller (as the mirror sees it): the IVR's
    // own hang-up (a server stopping, say), recorded so before the mirror is stopped
    if (how === 'remote' && a.session?.active) a.session.systemHangup();
    a.over = true;
    for (const t of [a.ringTimer, a.patienceTimer, a.guard]) if (t) this.clock.cancel(t);
    a.ringTimer = a.patienceTimer = a.guard = null;
    if (a.session?.active) a.session.hangup(); // stop the mirror's timers
    const now = this.clock.now();
    if (!Number.isNaN(a.ivrAnswered)) this.metrics.call_duration.record(now - a.arrival);
    if (a.hungUpFor === 'stop') return this.checkDone(); // cut by Ctrl-C: counted, not a call of the run
    const outcome = this.outcomeOf(a, how);
    if ((outcome === 'blocked' || outcome === 'abandoned') && !this.stopping) this.maybeRedial(a, now);
    this.sink.call(this.record(a, outcome, now));
    this.checkDone();
  }

  private outcomeOf(a: Attempt, how: 'remote' | 'local' | 'failed'): CallOutcome {
    if (!Number.isNaN(a.answeredT) || (this.ivr === null && !Number.isNaN(a.ivrAnswered))) return 'answered';
    if (a.referred || a.ivrExit === 'transfer') return 'transferred';
    // refused (486/503...), or our ring timeout ended it unanswered; with no IVR, patience
    if (how === 'failed' || Number.isNaN(a.ivrAnswered)) return a.hungUpFor === 'patience' ? 'abandoned' : 'blocked';
    if (a.blockedAfterIvr) return 'blocked';
    if (a.ivrExit === 'queue' || !Number.isNaN(a.queuedT)) return 'abandoned';
    return 'ivr';
  }

  private maybeRedial(a: Attempt, now: number): void {
    const delay = this.behaviour.redialAfter(a.attempt);
    if (delay === undefined || !(now + delay < this.plan.duration)) return;
    a.redialed = true;
    const next = new Attempt(this.nextId++, a.caller, a.attempt + 1, a.firstArrival, now + delay, a.areaCode);
    next.redialTimer = this.clock.at(now + delay, this.onRedial, next);
    this.pendingRedials.add(next);
  }

  private record(a: Attempt, outcome: CallOutcome, now: number): CallRecord {
    // ACD instants from serve's clock, through the anchor
    const at = (t: number): number => (Number.isNaN(t) || Number.isNaN(a.anchorT) ? NaN : a.anchorLocal + (t - a.anchorT));
    // no IVR and no ACD events: the caller queued on arrival and the 200 OK is the agent's
    const queued = !Number.isNaN(a.queuedT) ? at(a.queuedT) : this.ivr === null ? a.arrival : NaN;
    const answered = !Number.isNaN(a.answeredT) ? at(a.answeredT) : this.ivr === null && outcome === 'answered' ? a.ivrAnswered : NaN;
    const left = !Number.isNaN(a.agentHangupT) ? at(a.agentHangupT) : now;
    const s = a.session;
    return {
      id: a.id,
      caller: a.caller,
      attempt: a.attempt,
      firstArrival: a.firstArrival,
      arrival: a.arrival,
      ringing: a.ringing,
      areaCode: a.areaCode,
      center: a.center || this.scenario.centers.find((c) => c.areaCodes.includes(a.areaCode))?.id || this.scenario.centers[0]!.id,
      queue: a.queue,
      priority: 0,
      outcome,
      ivrAnswered: this.ivr === null ? NaN : a.ivrAnswered,
      ivrLeft: a.ivrLeft,
      ivrExit: a.ivrExit,
      ivrPath: s ? s.path.join(' ') : '',
      invalidKeys: s ? s.invalidKeys : 0,
      selfService: s ? s.selfService : 0,
      voicemails: s ? s.voicemails : 0,
      queued,
      ringStart: at(a.ringStartT),
      answered,
      left,
      wrapEnd: NaN,
      virtualWait: outcome === 'answered' ? answered - queued : NaN,
      agent: a.agent,
      group: a.group,
      redialed: a.redialed,
      stranded: false,
      dispatchedFrom: a.dispatchedFrom,
      ringNoAnswers: a.ringNoAnswers,
      holdTime: a.holdTime,
      holdViolations: a.holdViolations,
      silent: false,
      rating: NaN,
      callbackPromised: false,
    };
  }

  private checkDone(): void {
    if (this.nextArrival === null && this.pendingRedials.size === 0 && this.live.size === 0) this.resolveDone();
  }

  destroy(): void {
    for (const m of Object.values(this.metrics)) m.destroy();
  }
}

/** Poisson arrivals at `rate` per second, for `--rate` with a scenario. */
function constantRate(rate: number): ArrivalProcess {
  const gap = distribution({ kind: 'exponential', mean: 1 / rate });
  return { next: (t, rng) => t + gap.sample(rng) } as ArrivalProcess;
}
