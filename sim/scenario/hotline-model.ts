// The hotline wired from a Scenario: calls arrive from callers with an area code, take a
// line (or hear a busy signal), go through the IVR (when there is one) and, when it sends
// them to an agent, wait in their center's queue by priority, are offered to the
// longest-idle agent, ring, talk, and leave the agent in wrap-up; callers abandon when
// their patience runs out and may redial. Every event runs on a Scheduler, every draw on a
// named stream; records go to a sink.

import { transition, type AgentState } from '../../agents/agent-state.js';
import { IdleAgents } from '../acd/idle-agents.js';
import { PriorityCallQueue } from '../acd/priority-queue.js';
import type { CallOutcome, IvrExitKind, RecordSink } from '../acd/records.js';
import { CallerBehaviour } from '../callers/caller-behaviour.js';
import { IvrCaller } from '../callers/ivr-caller.js';
import { BusinessCalendar } from '../ivr/calendar.js';
import type { QueueTarget } from '../ivr/types.js';
import { arrivalProcess, type ArrivalProcess } from '../kernel/arrivals.js';
import type { Scheduled, Scheduler } from '../kernel/clock.js';
import { distribution, type Distribution } from '../kernel/distributions.js';
import type { RandomStream, RandomStreams } from '../kernel/random.js';
import { weekOffset } from './calendar-time.js';
import { IvrSession, type IvrExit, type IvrHost } from './ivr-session.js';
import type { AgentGroup, Center, Scenario } from './types.js';

const GENERAL: QueueTarget = { center: 'caller', queue: 'general', priority: 0 };

class Call {
  gone = false;
  queued = NaN;
  ringStart = NaN;
  answered = NaN;
  left = NaN;
  virtualWait = NaN;
  outcome: CallOutcome = 'answered';
  redialed = false;
  stranded = false;
  patienceTimer: Scheduled | null = null;
  agent: Agent | null = null;
  center: CenterState;
  queue = '';
  priority = 0;
  ivrAnswered = NaN;
  ivrLeft = NaN;
  ivrExit: IvrExitKind = '';
  session: IvrSession | null = null;
  constructor(
    readonly id: number,
    readonly caller: number,
    readonly attempt: number,
    readonly firstArrival: number,
    readonly arrival: number,
    readonly areaCode: string,
    /** The center the calling number belongs to. */
    readonly home: CenterState,
  ) {
    this.center = home;
  }
}

class GroupState {
  readonly talk: Distribution;
  readonly wrapUp: Distribution;
  readonly answerDelay: Distribution;
  readonly talkRng: RandomStream;
  readonly wrapRng: RandomStream;
  readonly answerRng: RandomStream;
  constructor(
    readonly spec: AgentGroup,
    readonly center: CenterState,
    streams: RandomStreams,
  ) {
    this.talk = distribution(spec.talk);
    this.wrapUp = distribution(spec.wrapUp);
    this.answerDelay = distribution(spec.answerDelay);
    const key = `${center.spec.id}/${spec.id}`;
    this.talkRng = streams.stream(`talk:${key}`);
    this.wrapRng = streams.stream(`wrap-up:${key}`);
    this.answerRng = streams.stream(`answer-delay:${key}`);
  }
}

class Agent {
  state: AgentState = 'ready';
  call: Call | null = null;
  timer: Scheduled | null = null;
  constructor(
    readonly id: string,
    readonly group: GroupState,
  ) {}
}

class CenterState {
  readonly queue = new PriorityCallQueue<Call>();
  readonly idle = new IdleAgents<Agent>();
  readonly groups: GroupState[] = [];
  readonly agents: Agent[] = [];
  lines = 0;
  constructor(readonly spec: Center) {}
}

/** Weighted choice of the calling numbers' area codes. */
class AreaCodes {
  private readonly codes: string[];
  private readonly cumulative: number[] = [];
  constructor(mix: Readonly<Record<string, number>>) {
    this.codes = Object.keys(mix);
    const total = this.codes.reduce((a, c) => a + mix[c]!, 0);
    let acc = 0;
    for (const c of this.codes) this.cumulative.push((acc += mix[c]! / total));
  }
  draw(rng: RandomStream): string {
    if (this.codes.length === 0) return '';
    const u = rng.next();
    const i = this.cumulative.findIndex((c) => u < c);
    return this.codes[i < 0 ? this.codes.length - 1 : i]!;
  }
}

export class HotlineModel {
  private readonly centers: CenterState[];
  private readonly centerById = new Map<string, CenterState>();
  private readonly centerByCode = new Map<string, CenterState>();
  private readonly arrivals: ArrivalProcess;
  private readonly arrivalRng: RandomStream;
  private readonly areaCodeRng: RandomStream;
  private readonly areaCodes: AreaCodes;
  private readonly callers: CallerBehaviour;
  private platformLines = 0;
  private nextCallId = 0;
  private nextCallerId = 0;
  /** The IVR's view of the model; null when the scenario has no IVR. */
  private readonly ivr: IvrHost | null;

  constructor(
    private readonly scenario: Scenario,
    readonly clock: Scheduler,
    streams: RandomStreams,
    private readonly sink: RecordSink,
  ) {
    this.arrivals = arrivalProcess(
      scenario.arrivals.process,
      scenario.arrivals.scale,
      weekOffset(scenario.start, scenario.calendar.timeZone),
    );
    this.arrivalRng = streams.stream('arrivals');
    this.areaCodeRng = streams.stream('callers:area-code');
    this.areaCodes = new AreaCodes(scenario.callers.areaCodes);
    this.callers = new CallerBehaviour(scenario.callers, streams);
    this.centers = scenario.centers.map((spec) => {
      const center = new CenterState(spec);
      this.centerById.set(spec.id, center);
      for (const code of spec.areaCodes) if (!this.centerByCode.has(code)) this.centerByCode.set(code, center);
      for (const g of spec.groups) {
        const group = new GroupState(g, center, streams);
        center.groups.push(group);
        for (let i = 1; i <= g.count; i++) {
          const agent = new Agent(`${spec.id}/${g.id}/${i}`, group);
          center.agents.push(agent);
          center.idle.push(agent);
        }
      }
      return center;
    });
    this.ivr =
      scenario.ivr === null
        ? null
        : {
            clock,
            spec: scenario.ivr,
            calendar: new BusinessCalendar(scenario.calendar, scenario.start),
            caller: new IvrCaller(scenario.callers.ivr, streams, scenario.centers.flatMap((c) => c.areaCodes)),
            exit: (session, exit) => this.exitIvr(session, exit),
          };
  }

  /** Schedules the first arrival and the agents' shifts. Run the scheduler afterwards. */
  start(): void {
    for (const center of this.centers) {
      for (const agent of center.agents) {
        this.sink.staffed({ agent: agent.id, group: agent.group.spec.id, center: center.spec.id, start: 0, end: this.scenario.duration });
      }
    }
    this.scheduleNextArrival(this.clock.now());
  }

  /**
   * After the scheduler ran dry: callers still waiting had no agent left to come (e.g. a
   * center with none); they are recorded as stranded abandons at the current time.
   */
  finish(): void {
    const now = this.clock.now();
    for (const center of this.centers) {
      for (let call = center.queue.shift(); call !== undefined; call = center.queue.shift()) {
        if (!call.gone) {
          call.stranded = true;
          call.outcome = 'abandoned';
          call.left = now;
        }
        call.virtualWait = Infinity;
        this.emit(call, NaN);
      }
    }
  }

  private scheduleNextArrival(after: number): void {
    const t = this.arrivals.next(after, this.arrivalRng);
    if (t < this.scenario.duration) this.clock.at(t, this.onArrival, undefined);
  }

  private readonly onArrival = (): void => {
    const now = this.clock.now();
    this.scheduleNextArrival(now);
    const areaCode = this.areaCodes.draw(this.areaCodeRng);
    this.offer(new Call(this.nextCallId++, this.nextCallerId++, 1, now, now, areaCode, this.homeCenter(areaCode)));
  };

  private readonly onRedial = (previous: Call): void => {
    const now = this.clock.now();
    this.offer(new Call(this.nextCallId++, previous.caller, previous.attempt + 1, previous.firstArrival, now, previous.areaCode, previous.home));
  };

  /** The center a calling number belongs to; unknown codes go to the first (province) center. */
  private homeCenter(areaCode: string): CenterState {
    return this.centerByCode.get(areaCode) ?? this.centers[0]!;
  }

  private offer(call: Call): void {
    const home = call.home;
    if (this.platformLines >= this.scenario.trunks || home.lines >= home.spec.trunks) {
      call.outcome = 'blocked';
      call.left = call.arrival;
      this.fail(call);
      this.emit(call, NaN);
      return;
    }
    this.platformLines++;
    home.lines++;
    if (this.ivr === null) {
      this.enqueue(call, GENERAL);
      return;
    }
    const delay = this.ivr.spec.answerDelay;
    if (delay > 0) this.clock.after(delay, this.onIvrAnswer, call);
    else this.onIvrAnswer(call);
  }

  private readonly onIvrAnswer = (call: Call): void => {
    call.ivrAnswered = this.clock.now();
    call.session = new IvrSession(this.ivr!, call.areaCode, call);
    call.session.start();
  };

  /** The IVR is done with a call. */
  private exitIvr(session: IvrSession, exit: IvrExit): void {
    const call = session.call as Call;
    call.ivrLeft = this.clock.now();
    switch (exit.kind) {
      case 'enqueue':
        call.ivrExit = 'queue';
        this.enqueue(call, exit.target);
        return;
      case 'transfer':
        call.ivrExit = 'transfer';
        call.outcome = 'transferred';
        break;
      case 'hangup':
        call.ivrExit = exit.by === 'system' ? 'system-hangup' : 'caller-hangup';
        call.outcome = 'ivr';
        break;
    }
    call.left = call.ivrLeft;
    this.releaseLine(call);
    this.emit(call, NaN);
  }

  private enqueue(call: Call, target: QueueTarget): void {
    const center = target.center === 'caller' ? call.home : (this.centerById.get(target.center) ?? call.home);
    call.center = center;
    call.queue = target.queue;
    call.priority = target.priority;
    call.queued = this.clock.now();
    const patience = this.callers.samplePatience();
    if (patience !== Infinity) call.patienceTimer = this.clock.after(patience, this.onPatienceOut, call);
    center.queue.push(call, call.priority);
    this.dispatch(center);
  }

  /** Pairs waiting calls with idle agents, and releases ghosts whose turn has come. */
  private dispatch(center: CenterState): void {
    const queue = center.queue;
    for (let call = queue.peek(); call !== undefined; call = queue.peek()) {
      if (center.idle.size === 0) return;
      queue.shift();
      if (call.gone) {
        // An abandoned caller's turn: an agent is free now, so this is when they would have been served.
        call.virtualWait = this.clock.now() - call.queued;
        this.emit(call, NaN);
        continue;
      }
      this.offerToAgent(center.idle.takeLongestIdle()!, call);
    }
  }

  private offerToAgent(agent: Agent, call: Call): void {
    agent.state = transition(agent.state, 'offer');
    agent.call = call;
    call.agent = agent;
    call.ringStart = this.clock.now();
    const group = agent.group;
    const delay = group.answerDelay.sample(group.answerRng);
    if (delay > 0) agent.timer = this.clock.after(delay, this.onAnswer, agent);
    else this.onAnswer(agent);
  }

  private readonly onAnswer = (agent: Agent): void => {
    const call = agent.call!;
    const now = this.clock.now();
    agent.state = transition(agent.state, 'answer');
    if (call.patienceTimer) this.clock.cancel(call.patienceTimer);
    call.patienceTimer = null;
    call.answered = now;
    call.virtualWait = now - call.queued;
    const group = agent.group;
    agent.timer = this.clock.after(group.talk.sample(group.talkRng), this.onHangUp, agent);
  };

  private readonly onHangUp = (agent: Agent): void => {
    const call = agent.call!;
    call.left = this.clock.now();
    this.releaseLine(call);
    agent.state = transition(agent.state, 'caller-gone');
    const group = agent.group;
    const wrap = group.wrapUp.sample(group.wrapRng);
    if (wrap > 0) agent.timer = this.clock.after(wrap, this.onWrapDone, agent);
    else this.onWrapDone(agent);
  };

  private readonly onWrapDone = (agent: Agent): void => {
    const call = agent.call!;
    const now = this.clock.now();
    agent.state = transition(agent.state, 'wrap-done');
    agent.call = null;
    agent.timer = null;
    const center = call.center;
    this.sink.work({ agent: agent.id, group: agent.group.spec.id, center: center.spec.id, start: call.answered, end: now });
    this.emit(call, now);
    center.idle.push(agent);
    this.dispatch(center);
  };

  private readonly onPatienceOut = (call: Call): void => {
    const center = call.center;
    call.patienceTimer = null;
    call.outcome = 'abandoned';
    call.left = this.clock.now();
    this.releaseLine(call);
    this.fail(call);
    const agent = call.agent;
    if (agent === null) {
      // Still queued: it stays as a ghost and is recorded when its turn comes.
      center.queue.abandon(call, call.priority);
      return;
    }
    // Hung up while the agent's phone rang: the agent would have answered when the timer was due.
    call.virtualWait = agent.timer!.time - call.queued;
    this.clock.cancel(agent.timer!);
    agent.timer = null;
    agent.call = null;
    agent.state = transition(agent.state, 'caller-gone');
    this.emit(call, NaN);
    center.idle.push(agent);
    this.dispatch(center);
  };

  private releaseLine(call: Call): void {
    call.home.lines--;
    this.platformLines--;
  }

  /** A blocked or abandoned attempt: the caller may try again. */
  private fail(call: Call): void {
    const delay = this.callers.redialAfter(call.attempt);
    if (delay === undefined) return;
    const at = this.clock.now() + delay;
    if (at >= this.scenario.duration) return;
    call.redialed = true;
    this.clock.at(at, this.onRedial, call);
  }

  private emit(call: Call, wrapEnd: number): void {
    const agent = call.outcome === 'answered' ? call.agent : null;
    const s = call.session;
    this.sink.call({
      id: call.id,
      caller: call.caller,
      attempt: call.attempt,
      firstArrival: call.firstArrival,
      arrival: call.arrival,
      areaCode: call.areaCode,
      center: call.center.spec.id,
      queue: call.queue,
      priority: call.priority,
      outcome: call.outcome,
      ivrAnswered: call.ivrAnswered,
      ivrLeft: call.ivrLeft,
      ivrExit: call.ivrExit,
      ivrPath: s ? s.path.join(' ') : '',
      invalidKeys: s ? s.invalidKeys : 0,
      selfService: s ? s.selfService : 0,
      voicemails: s ? s.voicemails : 0,
      queued: call.queued,
      ringStart: call.ringStart,
      answered: call.answered,
      left: call.left,
      wrapEnd,
      virtualWait: call.virtualWait,
      agent: agent ? agent.id : '',
      group: agent ? agent.group.spec.id : '',
      redialed: call.redialed,
      stranded: call.stranded,
    });
  }
}
