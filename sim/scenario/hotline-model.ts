// The hotline wired from a Scenario: calls arrive, take a line (or are refused), wait in
// their center's FIFO queue, are offered to the longest-idle agent, ring, talk, and leave
// the agent in wrap-up; callers abandon when their patience runs out and may redial.
// Every event runs on a Scheduler, every draw on a named stream; records go to a sink.

import { transition, type AgentState } from '../../agents/agent-state.js';
import { CallQueue } from '../acd/call-queue.js';
import { IdleAgents } from '../acd/idle-agents.js';
import type { CallOutcome, RecordSink } from '../acd/records.js';
import { CallerBehaviour } from '../callers/caller-behaviour.js';
import { arrivalProcess, type ArrivalProcess } from '../kernel/arrivals.js';
import type { Scheduled, Scheduler } from '../kernel/clock.js';
import { distribution, type Distribution } from '../kernel/distributions.js';
import type { RandomStream, RandomStreams } from '../kernel/random.js';
import { weekOffset } from './calendar-time.js';
import type { AgentGroup, Center, Scenario } from './types.js';

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
  constructor(
    readonly id: number,
    readonly caller: number,
    readonly attempt: number,
    readonly firstArrival: number,
    readonly arrival: number,
    readonly center: CenterState,
  ) {}
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
  readonly queue = new CallQueue<Call>();
  readonly idle = new IdleAgents<Agent>();
  readonly groups: GroupState[] = [];
  readonly agents: Agent[] = [];
  lines = 0;
  constructor(readonly spec: Center) {}
}

export class HotlineModel {
  private readonly centers: CenterState[];
  private readonly arrivals: ArrivalProcess;
  private readonly arrivalRng: RandomStream;
  private readonly callers: CallerBehaviour;
  private platformLines = 0;
  private nextCallId = 0;
  private nextCallerId = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly clock: Scheduler,
    streams: RandomStreams,
    private readonly sink: RecordSink,
  ) {
    this.arrivals = arrivalProcess(
      scenario.arrivals.process,
      scenario.arrivals.scale,
      weekOffset(scenario.start, scenario.calendar.timeZone),
    );
    this.arrivalRng = streams.stream('arrivals');
    this.callers = new CallerBehaviour(scenario.callers, streams);
    this.centers = scenario.centers.map((spec) => {
      const center = new CenterState(spec);
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
    const caller = this.nextCallerId++;
    this.offer(new Call(this.nextCallId++, caller, 1, now, now, this.route()));
  }

  private readonly onRedial = (previous: Call): void => {
    const now = this.clock.now();
    this.offer(new Call(this.nextCallId++, previous.caller, previous.attempt + 1, previous.firstArrival, now, previous.center));
  }

  /** The center a call goes to. Area-code routing between centers comes with the IVR. */
  private route(): CenterState {
    return this.centers[0]!;
  }

  private offer(call: Call): void {
    const center = call.center;
    if (this.platformLines >= this.scenario.trunks || center.lines >= center.spec.trunks) {
      call.outcome = 'blocked';
      call.left = call.arrival;
      this.fail(call);
      this.emit(call, NaN);
      return;
    }
    this.platformLines++;
    center.lines++;
    call.queued = this.clock.now();
    const patience = this.callers.samplePatience();
    if (patience !== Infinity) call.patienceTimer = this.clock.after(patience, this.onPatienceOut, call);
    center.queue.push(call);
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
  }

  private readonly onHangUp = (agent: Agent): void => {
    const call = agent.call!;
    call.left = this.clock.now();
    this.releaseLine(call.center);
    agent.state = transition(agent.state, 'caller-gone');
    const group = agent.group;
    const wrap = group.wrapUp.sample(group.wrapRng);
    if (wrap > 0) agent.timer = this.clock.after(wrap, this.onWrapDone, agent);
    else this.onWrapDone(agent);
  }

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
  }

  private readonly onPatienceOut = (call: Call): void => {
    const center = call.center;
    call.patienceTimer = null;
    call.outcome = 'abandoned';
    call.left = this.clock.now();
    this.releaseLine(center);
    this.fail(call);
    const agent = call.agent;
    if (agent === null) {
      // Still queued: it stays as a ghost and is recorded when its turn comes.
      center.queue.abandon(call);
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
  }

  private releaseLine(center: CenterState): void {
    center.lines--;
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
    this.sink.call({
      id: call.id,
      caller: call.caller,
      attempt: call.attempt,
      firstArrival: call.firstArrival,
      arrival: call.arrival,
      center: call.center.spec.id,
      outcome: call.outcome,
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
