// The hotline wired from a Scenario: callers with an area code take a line (or hear a busy
// signal), go through the IVR when there is one, and wait in a center's queue by priority;
// dispatch rules may send a waiting call to another center (seed 004). Agents log in and out
// by their shifts, lunches and training (agent-schedule.ts), go not ready now and then, are
// offered calls by the routing strategy, ring, may let a call ring out, talk (with a hold
// for a lookup), wrap up, and make callbacks when no inbound call waits (seed 003). Callers
// abandon when their patience runs out and may redial. Every event runs on a Scheduler,
// every draw on a named stream; records go to a sink.

import { transition } from '../../agents/agent-state.js';
import { GroupSchedule } from '../../agents/window-cursor.js';
import { CallbackTask } from '../acd/callback-tasks.js';
import type { RecordSink } from '../acd/records.js';
import { CallerBehaviour } from '../callers/caller-behaviour.js';
import { IvrCaller } from '../callers/ivr-caller.js';
import { BusinessCalendar } from '../ivr/calendar.js';
import type { Key, QueueTarget } from '../ivr/types.js';
import { arrivalProcess, type ArrivalProcess } from '../kernel/arrivals.js';
import type { Scheduler } from '../kernel/clock.js';
import { distribution, type Distribution } from '../kernel/distributions.js';
import type { RandomStream, RandomStreams } from '../kernel/random.js';
import { weekOffset } from './calendar-time.js';
import { Agent, Call, CenterState, GroupState, QueueEntry } from './hotline-state.js';
import { IvrSession, type IvrExit, type IvrHost } from './ivr-session.js';
import { DirectSignaling, type RefusalStatus, type Signaling, type SignalingHandlers } from './signaling.js';
import { SipSignaling } from './sip-signaling.js';
import type { DispatchRule, Scenario } from './types.js';

const GENERAL: QueueTarget = { center: 'caller', queue: 'general', priority: 0 };
/** A silent caller is greeted this many times before the agent hangs up (seed 003). */
const GREETINGS = 3;

/** Weighted choice among a few items. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    const total = weights.reduce((a, w) => a + w, 0);
    let acc = 0;
    for (const w of weights) this.cumulative.push((acc += w / total));
  }
  draw(rng: RandomStream): T | undefined {
    if (this.items.length === 0) return undefined;
    const u = rng.next();
    const i = this.cumulative.findIndex((c) => u < c);
    return this.items[i < 0 ? this.items.length - 1 : i];
  }
}

export class HotlineModel {
  private readonly centers: CenterState[];
  private readonly centerById = new Map<string, CenterState>();
  private readonly centerByCode = new Map<string, CenterState>();
  private readonly arrivals: ArrivalProcess;
  private readonly arrivalRng: RandomStream;
  private readonly areaCodeRng: RandomStream;
  private readonly conversationRng: RandomStream;
  private readonly callbackRng: RandomStream;
  private readonly areaCodes: Weighted<string>;
  private readonly ratings: Weighted<number>;
  private readonly callbackTalk: Distribution;
  private readonly callers: CallerBehaviour;
  private readonly calendar: BusinessCalendar;
  /** The IVR's view of the model; null when the scenario has no IVR. */
  private readonly ivr: IvrHost | null;
  private platformLines = 0;
  private nextCallId = 0;
  private nextCallerId = 0;
  private nextTaskId = 0;
  /** When the last call record went out. */
  private lastEmit = 0;
  /** How caller and hotline talk: directly or by SIP messages. */
  readonly signaling: Signaling;

  constructor(
    private readonly scenario: Scenario,
    private readonly clock: Scheduler,
    streams: RandomStreams,
    private readonly sink: RecordSink,
    /** How caller and hotline talk; by default what the scenario's `signaling` says. */
    signaling?: Signaling,
    /**
     * Real callers from outside (`callsim serve`): no arrivals are generated; calls come in
     * through `incoming`, and their keys, patience and redials are the callers' own business.
     */
    private readonly external = false,
  ) {
    this.signaling = signaling ?? (scenario.signaling === 'sip' ? new SipSignaling(clock, scenario.network, streams) : new DirectSignaling());
    this.arrivals = arrivalProcess(scenario.arrivals.process, scenario.arrivals.scale, weekOffset(scenario.start, scenario.calendar.timeZone));
    this.arrivalRng = streams.stream('arrivals');
    this.areaCodeRng = streams.stream('callers:area-code');
    this.conversationRng = streams.stream('callers:conversation');
    this.callbackRng = streams.stream('callbacks');
    const codes = Object.keys(scenario.callers.areaCodes);
    this.areaCodes = new Weighted(codes, codes.map((c) => scenario.callers.areaCodes[c]!));
    this.ratings = new Weighted([1, 2, 3, 4, 5], scenario.conversation.ratingWeights);
    this.callbackTalk = distribution(scenario.callbacks.talk);
    this.callers = new CallerBehaviour(scenario.callers, streams);
    this.calendar = new BusinessCalendar(scenario.calendar, scenario.start);
    this.centers = scenario.centers.map((spec) => {
      const center = new CenterState(spec, scenario.routing.strategy);
      this.centerById.set(spec.id, center);
      for (const code of spec.areaCodes) if (!this.centerByCode.has(code)) this.centerByCode.set(code, center);
      for (const g of spec.groups) {
        const group = new GroupState(g, center, streams);
        center.groups.push(group);
        for (const skill of Object.keys(g.day.skills)) center.skills.add(skill);
        const schedule = new GroupSchedule(g.day, g.count, this.calendar, scenario.duration);
        for (let i = 0; i < g.count; i++) {
          center.agents.push(new Agent(`${spec.id}/${g.id}/${i + 1}`, center.agents.length, group, schedule.cursor(i)));
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
            calendar: this.calendar,
            caller: new IvrCaller(scenario.callers.ivr, streams, scenario.centers.flatMap((c) => c.areaCodes)),
            exit: (session, exit) => this.exitIvr(session, exit),
            press: (session, key) => this.signaling.key(session.call as Call, key),
            hangUp: (session) => this.signaling.callerHangup(session.call as Call),
            external,
          };
    this.signaling.attach(this.handlers);
  }

  /** What arrives over the signaling: the hotline's side of INVITE, INFO and BYE; the caller's of 180 and 200. */
  private readonly handlers: SignalingHandlers = {
    arrive: (call) => this.offer(call),
    ringing: (call) => {
      call.ringing = this.clock.now();
    },
    answered: (call) => {
      if (this.ivr !== null) call.ivrAnswered = this.clock.now();
    },
    key: (call, key) => {
      if (call.session !== null && call.session.active) call.session.keyArrived(key as Key);
    },
    hangup: (call) => this.callerGone(call),
    cut: (call) => this.cutAtStop(call),
    lost: (call) => this.hungUpOn(call),
  };

  /**
   * Schedules each agent's first log-in or log-out, and the first arrival. Run the scheduler
   * afterwards. An agent's later log-ins and log-outs are scheduled one at a time as its
   * windows come (onLogIn, onLogOut), each at the agent's place taken here: they fire, among
   * events due at the same instant, exactly where they would if all of them had been
   * scheduled now, agent by agent, as they once were (a month of 100,000 agents then held
   * 4.5 million windows and 9 million events from the start).
   */
  start(): void {
    for (const center of this.centers) {
      for (const agent of center.agents) {
        const w = agent.windows;
        if (!w.advance()) continue;
        if (w.start <= this.clock.now()) {
          this.logIn(agent);
          // after what logging in scheduled (a not-ready episode), where the log-out used to be
          agent.place = this.clock.place();
          this.scheduleLogOut(agent);
        } else {
          agent.place = this.clock.place();
          this.clock.atPlace(w.start, agent.place, this.onLogIn, agent);
        }
      }
    }
    if (!this.external) this.scheduleNextArrival(this.clock.now());
  }

  /** A real caller's call (external mode): the signaling hands it to `arrive` once it is tied to its leg. */
  incoming(areaCode: string): Call {
    const now = this.clock.now();
    return new Call(this.nextCallId++, this.nextCallerId++, 1, now, now, areaCode, this.homeCenter(areaCode));
  }

  /**
   * After the scheduler ran dry: callers still waiting had no agent left to come; they are
   * recorded as stranded abandons. Agents still available close their staffed time.
   */
  finish(): void {
    // The run ends when the model's last call ended (or at `duration`), not when the last
    // SIP timer of a lingering transaction fired: both signalings end at the same instant.
    const now = Math.min(this.clock.now(), Math.max(this.scenario.duration, this.lastEmit));
    for (const center of this.centers) {
      for (let entry = center.queue.shift(); entry !== undefined; entry = center.queue.shift()) {
        if (entry.moved) continue;
        const call = entry.call;
        if (!entry.gone) {
          call.stranded = true;
          call.outcome = 'abandoned';
          call.left = now;
        }
        call.virtualWait = Infinity;
        this.emit(call);
      }
      for (const agent of center.agents) {
        this.cutWrapUp(agent, now);
        this.endAvailable(agent, now);
      }
    }
  }

  /**
   * An agent still in wrap-up when the run stops (serve's Ctrl-C, the drain limit): the call
   * is over for the caller, so it is recorded now, its wrap-up unfinished (wrapEnd NaN: no
   * wrap-up time is claimed), and the agent's work up to now counts as busy.
   */
  private cutWrapUp(agent: Agent, now: number): void {
    const call = agent.call;
    if (call === null || Number.isNaN(call.left) || !Number.isNaN(call.wrapEnd) || agent.timer === null) return;
    this.clock.cancel(agent.timer);
    agent.timer = null;
    const g = agent.group;
    this.sink.work({ agent: agent.id, group: g.spec.id, center: g.center.spec.id, start: agent.workStart, end: now, kind: 'call' });
    agent.call = null;
    this.emit(call);
  }

  // ---- arrivals, lines and the IVR ------------------------------------------------------

  private scheduleNextArrival(after: number): void {
    const t = this.arrivals.next(after, this.arrivalRng);
    if (t < this.scenario.duration) this.clock.at(t, this.onArrival, undefined);
  }

  private readonly onArrival = (): void => {
    const now = this.clock.now();
    this.scheduleNextArrival(now);
    const areaCode = this.areaCodes.draw(this.areaCodeRng) ?? '';
    this.signaling.dial(new Call(this.nextCallId++, this.nextCallerId++, 1, now, now, areaCode, this.homeCenter(areaCode)));
  };

  private readonly onRedial = (previous: Call): void => {
    const now = this.clock.now();
    this.signaling.dial(new Call(this.nextCallId++, previous.caller, previous.attempt + 1, previous.firstArrival, now, previous.areaCode, previous.home));
  };

  /** The center a calling number belongs to; unknown codes go to the first (province) center. */
  private homeCenter(areaCode: string): CenterState {
    return this.centerByCode.get(areaCode) ?? this.centers[0]!;
  }

  private offer(call: Call): void {
    const home = call.home;
    if (this.platformLines >= this.scenario.trunks || home.lines >= home.spec.trunks) {
      this.refuse(call, this.platformLines >= this.scenario.trunks ? 503 : 486);
      return;
    }
    this.platformLines++;
    home.lines++;
    this.signaling.ring(call);
    if (this.ivr === null) {
      this.enqueue(call, GENERAL);
      return;
    }
    const delay = this.ivr.spec.answerDelay;
    if (delay > 0) call.ivrAnswerTimer = this.clock.after(delay, this.onIvrAnswer, call);
    else this.onIvrAnswer(call);
  }

  /** A busy signal: no line, or no room to wait anywhere the call could go. */
  private refuse(call: Call, status: RefusalStatus): void {
    this.signaling.refuse(call, status);
    call.outcome = 'blocked';
    call.left = this.clock.now();
    this.fail(call);
    this.emit(call);
  }

  private readonly onIvrAnswer = (call: Call): void => {
    call.ivrAnswerTimer = null;
    this.signaling.answer(call);
    call.session = new IvrSession(this.ivr!, call.areaCode, call);
    call.session.start();
  };

  private exitIvr(session: IvrSession, exit: IvrExit): void {
    const call = session.call as Call;
    const now = this.clock.now();
    call.ivrLeft = now;
    for (let i = 0; i < session.voicemails; i++) this.newTask(call.home, call.caller, 'voicemail');
    switch (exit.kind) {
      case 'enqueue':
        call.ivrExit = 'queue';
        this.enqueue(call, exit.target);
        return;
      case 'transfer': {
        const to = this.centerByCode.get(exit.areaCode);
        if (to !== undefined) {
          // Another city of this platform: its IVR takes the call (seed 001 step 14).
          call.routedTo = to;
          session.transferTo(exit.areaCode);
          return;
        }
        call.ivrExit = 'transfer';
        call.outcome = 'transferred';
        this.signaling.transfer(call, exit.areaCode);
        break;
      }
      case 'hangup':
        call.ivrExit = exit.by === 'system' ? 'system-hangup' : 'caller-hangup';
        call.outcome = 'ivr';
        if (exit.by === 'system') this.signaling.systemHangup(call);
        break;
    }
    call.left = now;
    this.releaseLine(call);
    this.emit(call);
  }

  // ---- queues and dispatch between centers ----------------------------------------------

  private enqueue(call: Call, target: QueueTarget): void {
    const own = call.routedTo ?? call.home;
    const center = target.center === 'caller' ? own : (this.centerById.get(target.center) ?? own);
    call.queue = target.queue;
    call.priority = target.priority;
    const moved = this.dispatchOnArrival(center);
    const place = moved ?? center;
    if (place.ready.size === 0 && place.queue.waiting >= place.spec.waitingRoom) {
      // No agent free and no room to wait: a busy signal after all.
      this.releaseLine(call);
      this.refuse(call, 486);
      return;
    }
    const now = this.clock.now();
    call.queued = now;
    this.signaling.acdEvent?.(call, 'queued');
    const patience = this.external ? Infinity : this.callers.samplePatience();
    if (patience !== Infinity) call.patienceTimer = this.clock.after(patience, this.onPatienceOut, call);
    if (moved) call.dispatchedFrom = center.spec.id;
    for (const rule of place === center ? center.spec.dispatch : []) {
      if (rule.after !== undefined) this.clock.after(rule.after, this.onDispatchTimer, { call, from: center, rule });
    }
    this.place(call, place);
  }

  /** The first rule of `center` that applies now and whose target can take the call. */
  private dispatchOnArrival(center: CenterState): CenterState | undefined {
    for (const rule of center.spec.dispatch) {
      const applies =
        (rule.queueLongerThan !== undefined && center.queue.waiting > rule.queueLongerThan) ||
        (rule.closed === true && center.loggedIn === 0) ||
        (rule.noFreeAgent === true && center.ready.size === 0);
      if (!applies) continue;
      const target = this.dispatchTarget(rule, center);
      if (target) return target;
    }
    return undefined;
  }

  private dispatchTarget(rule: DispatchRule, from: CenterState): CenterState | undefined {
    const canTake = (c: CenterState): boolean => c !== from && (c.ready.size > 0 || c.queue.waiting < c.spec.waitingRoom);
    if (rule.to !== 'any') {
      const c = this.centerById.get(rule.to);
      return c && canTake(c) ? c : undefined;
    }
    let best: CenterState | undefined;
    for (const c of this.centers) if (canTake(c) && (best === undefined || c.ready.size > best.ready.size)) best = c;
    return best;
  }

  private readonly onDispatchTimer = (p: { call: Call; from: CenterState; rule: DispatchRule }): void => {
    const { call, from, rule } = p;
    const entry = call.entry;
    if (entry === null || entry.gone || call.center !== from || call.agent !== null) return;
    const target = this.dispatchTarget(rule, from);
    if (!target) return;
    entry.moved = true;
    from.queue.abandon(entry, call.priority);
    call.dispatchedFrom = from.spec.id;
    this.place(call, target);
  };

  private place(call: Call, center: CenterState): void {
    call.center = center;
    const entry = new QueueEntry(call);
    call.entry = entry;
    center.queue.push(entry, call.priority);
    this.dispatch(center);
  }

  /** Pairs waiting calls with ready agents; releases ghosts whose turn has come; then callbacks. */
  private dispatch(center: CenterState): void {
    const queue = center.queue;
    for (let entry = queue.peek(); entry !== undefined; entry = queue.peek()) {
      if (entry.moved) {
        queue.shift();
        continue;
      }
      if (center.ready.size === 0) return;
      if (entry.gone) {
        // An abandoned caller's turn: an agent is free now, so this is when they would have been served.
        queue.shift();
        entry.call.virtualWait = this.clock.now() - entry.call.queued;
        this.emit(entry.call);
        continue;
      }
      const call = entry.call;
      const skill = this.scenario.routing.strategy === 'skills' && center.skills.has(call.queue) ? call.queue : null;
      const agent = center.ready.take(skill);
      if (agent === undefined) return; // nobody ready has the skill the head of the queue needs
      queue.shift();
      call.entry = null;
      this.offerToAgent(agent, call);
    }
    this.startCallbacks(center);
  }

  // ---- agents: the day, offers, talk, hold, wrap-up --------------------------------------

  private readonly onLogIn = (agent: Agent): void => {
    this.logIn(agent);
    this.scheduleLogOut(agent);
  };

  /** The end of the agent's current window, unless it never ends. */
  private scheduleLogOut(agent: Agent): void {
    const end = agent.windows.end;
    if (end !== Infinity) this.clock.atPlace(end, agent.place, this.onLogOut, agent);
  }

  private logIn(agent: Agent): void {
    if (agent.state !== 'logged-out') {
      agent.pendingLogout = false; // still busy from before a short absence: carry on
      return;
    }
    agent.state = transition(agent.state, 'log-in');
    agent.group.center.loggedIn++;
    this.becomeAvailable(agent);
    this.scheduleNotReady(agent);
    this.makeReady(agent);
  }

  private readonly onLogOut = (agent: Agent): void => {
    const w = agent.windows;
    if (w.advance()) this.clock.atPlace(w.start, agent.place, this.onLogIn, agent);
    if (agent.state === 'logged-out') return;
    if (agent.state === 'ready' || agent.state === 'not-ready') this.logOut(agent);
    else agent.pendingLogout = true;
  };

  private logOut(agent: Agent): void {
    const center = agent.group.center;
    center.ready.remove(agent);
    if (agent.state === 'not-ready') {
      if (agent.timer) this.clock.cancel(agent.timer);
      agent.timer = null;
    }
    // the next log-in arms anew; left armed, the episode came due while logged out and did
    // nothing, an event per agent and shift for nothing
    if (agent.notReadyDue !== null) this.clock.cancel(agent.notReadyDue);
    agent.notReadyDue = null;
    this.endAvailable(agent);
    agent.state = transition(agent.state, 'log-out');
    agent.pendingLogout = false;
    agent.pendingNotReady = 0;
    center.loggedIn--;
  }

  private becomeAvailable(agent: Agent): void {
    agent.availableSince = this.clock.now();
  }

  private endAvailable(agent: Agent, end = this.clock.now()): void {
    if (Number.isNaN(agent.availableSince)) return;
    const g = agent.group;
    this.sink.staffed({ agent: agent.id, group: g.spec.id, center: g.center.spec.id, start: agent.availableSince, end });
    agent.availableSince = NaN;
  }

  /** Arms the next random not-ready episode, in place of one armed before. */
  private scheduleNotReady(agent: Agent): void {
    const g = agent.group;
    if (g.notReadyEvery === null) return;
    if (agent.notReadyDue !== null) this.clock.cancel(agent.notReadyDue);
    agent.notReadyDue = null;
    const at = this.clock.now() + g.notReadyEvery.sample(g.notReadyRng);
    if (at < this.scenario.duration) agent.notReadyDue = this.clock.at(at, this.onNotReadyDue, agent);
  }

  private readonly onNotReadyDue = (agent: Agent): void => {
    agent.notReadyDue = null;
    if (agent.state === 'not-ready') return; // not ready already (a ring unanswered): its return arms anew
    const g = agent.group;
    const duration = g.notReadyDuration!.sample(g.notReadyRng);
    if (agent.state === 'ready') this.goNotReady(agent, duration);
    else agent.pendingNotReady = duration;
  };

  private goNotReady(agent: Agent, duration: number): void {
    agent.group.center.ready.remove(agent);
    this.endAvailable(agent);
    agent.state = transition(agent.state, 'not-ready');
    agent.timer = this.clock.after(duration, this.onBackFromNotReady, agent);
  }

  private readonly onBackFromNotReady = (agent: Agent): void => {
    agent.timer = null;
    agent.state = transition(agent.state, 'ready');
    this.becomeAvailable(agent);
    this.scheduleNotReady(agent);
    this.makeReady(agent);
  };

  /** The agent is ready (or finished a call): a pending log-out or not-ready comes first. */
  private makeReady(agent: Agent): void {
    if (agent.pendingLogout) {
      this.logOut(agent);
      return;
    }
    if (agent.pendingNotReady > 0) {
      const d = agent.pendingNotReady;
      agent.pendingNotReady = 0;
      this.goNotReady(agent, d);
      return;
    }
    const center = agent.group.center;
    center.ready.add(agent);
    this.dispatch(center);
  }

  private offerToAgent(agent: Agent, call: Call): void {
    agent.state = transition(agent.state, 'offer');
    agent.call = call;
    call.agent = agent;
    call.ringStart = this.clock.now();
    this.signaling.acdEvent?.(call, 'agent-ringing');
    const g = agent.group;
    const delay = g.answerDelay.sample(g.answerRng);
    const rna = g.spec.day.ringNoAnswer;
    const limit = rna ? rna.rings * this.scenario.ringPeriod : Infinity;
    if (delay > limit) agent.timer = this.clock.after(limit, this.onRingNoAnswer, agent);
    else if (delay > 0) agent.timer = this.clock.after(delay, this.onAnswer, agent);
    else this.onAnswer(agent);
  }

  private readonly onRingNoAnswer = (agent: Agent): void => {
    const call = agent.call!;
    const g = agent.group;
    const center = g.center;
    agent.timer = null;
    agent.call = null;
    call.agent = null;
    call.ringNoAnswers++;
    this.sink.agentEvent?.({ agent: agent.id, group: g.spec.id, center: center.spec.id, time: this.clock.now(), kind: 'ring-no-answer' });
    // Back to the head of its queue, and the agent sits out for a while.
    this.endAvailable(agent);
    agent.state = transition(agent.state, 'ring-no-answer');
    agent.timer = this.clock.after(g.spec.day.ringNoAnswer!.notReady, this.onBackFromNotReady, agent);
    const entry = new QueueEntry(call);
    call.entry = entry;
    center.queue.pushFront(entry, call.priority);
    this.dispatch(center);
  };

  private readonly onAnswer = (agent: Agent): void => {
    const call = agent.call!;
    const now = this.clock.now();
    agent.state = transition(agent.state, 'answer');
    agent.callsToday++;
    agent.workStart = now;
    if (call.patienceTimer) this.clock.cancel(call.patienceTimer);
    call.patienceTimer = null;
    call.answered = now;
    call.virtualWait = now - call.queued;
    this.signaling.acdEvent?.(call, 'agent-answered');
    if (this.ivr === null) this.signaling.answer(call);
    const g = agent.group;
    const conv = this.scenario.conversation;
    if (!this.external && this.conversationRng.chance(conv.silentShare)) {
      call.silent = true;
      agent.timer = this.clock.after(GREETINGS * conv.greetInterval, this.onHangUp, agent);
      return;
    }
    const talk = g.talk.sample(g.talkRng);
    const hold = g.spec.day.hold;
    if (g.holdRng.chance(hold.probability)) {
      // A lookup in the middle of the talk; past the limit the agent should come back (seeds 001, 002).
      call.talkRest = talk / 2;
      agent.timer = this.clock.after(talk / 2, this.onHold, agent);
      return;
    }
    agent.timer = this.clock.after(talk, this.onHangUp, agent);
  };

  private readonly onHold = (agent: Agent): void => {
    const call = agent.call!;
    const g = agent.group;
    const hold = g.spec.day.hold;
    agent.state = transition(agent.state, 'hold');
    const duration = g.holdDuration.sample(g.holdRng);
    call.holdTime = duration;
    if (duration > hold.limit && !g.holdRng.chance(hold.returns)) call.holdViolations = 1;
    agent.timer = this.clock.after(duration, this.onResume, agent);
  };

  private readonly onResume = (agent: Agent): void => {
    const call = agent.call!;
    agent.state = transition(agent.state, 'resume');
    agent.timer = this.clock.after(call.talkRest, this.onHangUp, agent);
  };

  private readonly onHangUp = (agent: Agent): void => {
    const call = agent.call!;
    this.signaling.acdEvent?.(call, 'agent-hangup');
    this.signaling.systemHangup(call);
    this.endTalk(agent, call);
  };

  /** The conversation is over (the agent or the caller hung up): ratings, promises, wrap-up. */
  private endTalk(agent: Agent, call: Call): void {
    call.left = this.clock.now();
    this.releaseLine(call);
    const conv = this.scenario.conversation;
    const rng = this.conversationRng;
    if (!call.silent && rng.chance(conv.ratingShare)) call.rating = this.ratings.draw(rng) ?? NaN;
    if (!call.silent && this.callbackRng.chance(this.scenario.callbacks.fromCalls)) {
      call.callbackPromised = true;
      this.newTask(call.center, call.caller, 'promised');
    }
    agent.state = transition(agent.state, 'caller-gone');
    const g = agent.group;
    const wrap = g.wrapUp.sample(g.wrapRng);
    if (wrap > 0) agent.timer = this.clock.after(wrap, this.onWrapDone, agent);
    else this.onWrapDone(agent);
  }

  private readonly onWrapDone = (agent: Agent): void => {
    const now = this.clock.now();
    agent.state = transition(agent.state, 'wrap-done');
    agent.timer = null;
    const g = agent.group;
    const call = agent.call;
    this.sink.work({ agent: agent.id, group: g.spec.id, center: g.center.spec.id, start: agent.workStart, end: now, kind: call ? 'call' : 'callback' });
    const task = agent.task;
    agent.call = null;
    agent.task = null;
    if (call) {
      call.wrapEnd = now;
      this.emit(call);
    }
    if (task) this.closeTask(task, g.center, agent, true);
    this.makeReady(agent);
  };

  /** The caller's patience ran out: they hang up (the hotline learns it when the BYE arrives). */
  private readonly onPatienceOut = (call: Call): void => {
    call.patienceTimer = null;
    this.signaling.callerHangup(call);
  };

  /** The caller's hang-up reached the hotline: while the IVR rang, in the IVR, waiting, at a ringing agent, or (late) talking. */
  private callerGone(call: Call): void {
    if (call.session !== null && call.session.active) {
      call.session.hangup();
      return;
    }
    if (call.ivrAnswerTimer !== null) {
      this.endRinging(call);
      return;
    }
    if (!Number.isNaN(call.left) || Number.isNaN(call.queued)) return; // already over: the BYEs crossed
    if (!Number.isNaN(call.answered)) {
      // the BYE was on its way when the agent answered: the caller hangs up on the agent
      const agent = call.agent!;
      if (agent.timer) this.clock.cancel(agent.timer);
      agent.timer = null;
      this.endTalk(agent, call);
      return;
    }
    if (call.patienceTimer) this.clock.cancel(call.patienceTimer);
    call.patienceTimer = null;
    this.abandon(call);
  }

  /** {@link SignalingHandlers.cut}: the hotline hung up on `call` as it stopped. */
  private cutAtStop(call: Call): void {
    // waiting for an agent (queued, or ringing one): stranded, as when a run ends
    if (Number.isNaN(call.left) && !Number.isNaN(call.queued) && Number.isNaN(call.answered)) call.stranded = true;
    this.hungUpOn(call);
  }

  /** The hotline hung up on `call` (it stopped, or gave up on an unACKed 200): in the IVR a system hang-up, elsewhere the caller is gone. */
  private hungUpOn(call: Call): void {
    if (call.session !== null && call.session.active) call.session.systemHangup();
    else this.callerGone(call);
  }

  /**
   * The call ended while the IVR still rang (a real caller's CANCEL, or serve stopping): it
   * never connected, as the caller saw it (a 487 or 480), so it is recorded as not connected
   * (`blocked`), as `callsim load` records it on its side.
   */
  private endRinging(call: Call): void {
    this.clock.cancel(call.ivrAnswerTimer!);
    call.ivrAnswerTimer = null;
    call.outcome = 'blocked';
    call.left = this.clock.now();
    this.releaseLine(call);
    this.fail(call);
    this.emit(call);
  }

  private abandon(call: Call): void {
    call.outcome = 'abandoned';
    call.left = this.clock.now();
    this.releaseLine(call);
    this.fail(call);
    const agent = call.agent;
    if (agent === null) {
      // Still queued: it stays as a ghost and is recorded when its turn comes.
      const entry = call.entry!;
      call.center.queue.abandon(entry, call.priority);
      return;
    }
    // Hung up while the agent's phone rang: the agent would have answered when the timer was due.
    call.virtualWait = agent.timer!.time - call.queued;
    this.clock.cancel(agent.timer!);
    agent.timer = null;
    agent.call = null;
    agent.state = transition(agent.state, 'caller-gone');
    this.emit(call);
    this.makeReady(agent);
  }

  // ---- callbacks ------------------------------------------------------------------------

  private newTask(center: CenterState, caller: number, reason: 'voicemail' | 'promised'): void {
    const now = this.clock.now();
    center.callbacks.add(new CallbackTask(this.nextTaskId++, caller, reason, now, now + this.scenario.callbacks.deadline));
    this.dispatch(center);
  }

  /** Inbound first (seed 003): callbacks only while no inbound call waits here. */
  private startCallbacks(center: CenterState): void {
    while (center.queue.waiting === 0 && center.ready.size > 0 && center.callbacks.size > 0) {
      const agent = center.ready.take(null)!;
      const task = center.callbacks.take()!;
      task.attempts++;
      agent.state = transition(agent.state, 'dial');
      agent.task = task;
      agent.workStart = this.clock.now();
      const spec = this.scenario.callbacks;
      if (this.callbackRng.chance(spec.reach)) {
        agent.timer = this.clock.after(spec.ringTime * this.callbackRng.next(), this.onCallbackAnswered, agent);
      } else {
        agent.timer = this.clock.after(spec.ringTime, this.onCallbackUnanswered, agent);
      }
    }
  }

  private readonly onCallbackAnswered = (agent: Agent): void => {
    const task = agent.task!;
    agent.state = transition(agent.state, 'answer');
    task.reached = this.clock.now();
    agent.timer = this.clock.after(this.callbackTalk.sample(this.callbackRng), this.onCallbackDone, agent);
  };

  private readonly onCallbackDone = (agent: Agent): void => {
    agent.state = transition(agent.state, 'caller-gone');
    const g = agent.group;
    const wrap = g.wrapUp.sample(g.wrapRng);
    if (wrap > 0) agent.timer = this.clock.after(wrap, this.onWrapDone, agent);
    else this.onWrapDone(agent);
  };

  private readonly onCallbackUnanswered = (agent: Agent): void => {
    const task = agent.task!;
    const g = agent.group;
    const now = this.clock.now();
    agent.state = transition(agent.state, 'caller-gone');
    agent.timer = null;
    agent.task = null;
    this.sink.work({ agent: agent.id, group: g.spec.id, center: g.center.spec.id, start: agent.workStart, end: now, kind: 'callback' });
    const spec = this.scenario.callbacks;
    if (task.attempts < spec.attempts && now + spec.retryAfter < this.scenario.duration) {
      task.readyAt = now + spec.retryAfter;
      this.clock.at(task.readyAt, this.onTaskRetry, { task, center: g.center });
    } else {
      this.closeTask(task, g.center, null, false);
    }
    this.makeReady(agent);
  };

  private readonly onTaskRetry = (p: { task: CallbackTask; center: CenterState }): void => {
    p.center.callbacks.add(p.task);
    this.dispatch(p.center);
  };

  private closeTask(task: CallbackTask, center: CenterState, agent: Agent | null, reached: boolean): void {
    const at = task.reached;
    this.sink.callback?.({
      id: task.id,
      caller: task.caller,
      center: center.spec.id,
      reason: task.reason,
      created: task.created,
      due: task.due,
      attempts: task.attempts,
      reached: reached ? at : NaN,
      ended: reached ? this.clock.now() : NaN,
      agent: agent ? agent.id : '',
      onTime: reached && at <= task.due,
    });
  }

  // ---- bookkeeping ----------------------------------------------------------------------

  private releaseLine(call: Call): void {
    call.home.lines--;
    this.platformLines--;
  }

  /** A blocked or abandoned attempt: the caller may try again. */
  private fail(call: Call): void {
    if (this.external) return;
    const delay = this.callers.redialAfter(call.attempt);
    if (delay === undefined) return;
    const at = this.clock.now() + delay;
    if (at >= this.scenario.duration) return;
    call.redialed = true;
    this.clock.at(at, this.onRedial, call);
  }

  private emit(call: Call): void {
    this.lastEmit = this.clock.now();
    const agent = call.outcome === 'answered' ? call.agent : null;
    const s = call.session;
    this.sink.call({
      id: call.id,
      caller: call.caller,
      attempt: call.attempt,
      firstArrival: call.firstArrival,
      arrival: call.arrival,
      ringing: call.ringing,
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
      wrapEnd: call.wrapEnd,
      virtualWait: call.virtualWait,
      agent: agent ? agent.id : '',
      group: agent ? agent.group.spec.id : '',
      redialed: call.redialed,
      stranded: call.stranded,
      dispatchedFrom: call.dispatchedFrom,
      ringNoAnswers: call.ringNoAnswers,
      holdTime: call.holdTime,
      holdViolations: call.holdViolations,
      silent: call.silent,
      rating: call.rating,
      callbackPromised: call.callbackPromised,
    });
  }
}
