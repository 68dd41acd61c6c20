// The model's mutable pieces: calls in flight, queue entries, agents with their day, agent
// groups with their streams, and centers with their queues, ready agents and callback
// tasks. hotline-model.ts moves them through time; nothing here schedules anything.

import type { AgentState } from '../../agents/agent-state.js';
import type { WindowCursor } from '../../agents/window-cursor.js';
import { CallbackTasks } from '../acd/callback-tasks.js';
import { PriorityCallQueue } from '../acd/priority-queue.js';
import type { CallOutcome, IvrExitKind } from '../acd/records.js';
import { ReadyAgents } from '../acd/ready-agents.js';
import type { Scheduled } from '../kernel/clock.js';
import { distribution, type Distribution } from '../kernel/distributions.js';
import type { RandomStream, RandomStreams } from '../kernel/random.js';
import type { IvrSession } from './ivr-session.js';
import type { AgentGroup, Center, RoutingStrategy } from './types.js';
import type { CallbackTask } from '../acd/callback-tasks.js';

/** A call's place in one center's queue; a call moved by dispatch leaves a dead entry behind. */
export class QueueEntry {
  gone = false;
  /** Dead because dispatch moved the call, not because the caller hung up. */
  moved = false;
  constructor(readonly call: Call) {}
}

export class Call {
  /** The caller heard ringing (180). */
  ringing = NaN;
  queued = NaN;
  ringStart = NaN;
  answered = NaN;
  left = NaN;
  wrapEnd = NaN;
  virtualWait = NaN;
  outcome: CallOutcome = 'answered';
  redialed = false;
  stranded = false;
  patienceTimer: Scheduled | null = null;
  /** The IVR's answer, due while the call rings at it (scenario `ivr.answerDelay`). */
  ivrAnswerTimer: Scheduled | null = null;
  agent: Agent | null = null;
  entry: QueueEntry | null = null;
  center: CenterState;
  queue = 'general';
  priority = 0;
  ivrAnswered = NaN;
  ivrLeft = NaN;
  ivrExit: IvrExitKind = '';
  session: IvrSession | null = null;
  dispatchedFrom = '';
  /** Set by a transfer (key 9) to another center of the platform: `center: caller` means it. */
  routedTo: CenterState | null = null;
  ringNoAnswers = 0;
  holdTime = 0;
  holdViolations = 0;
  silent = false;
  rating = NaN;
  callbackPromised = false;
  /** Talk time left after a hold (the talk is split around it). */
  talkRest = 0;
  /** The SIP legs of this call (caller's and hotline's), when signaling is SIP. */
  uac: unknown = null;
  uas: unknown = null;
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

export class GroupState {
  readonly talk: Distribution;
  readonly wrapUp: Distribution;
  readonly answerDelay: Distribution;
  readonly holdDuration: Distribution;
  readonly notReadyEvery: Distribution | null;
  readonly notReadyDuration: Distribution | null;
  readonly talkRng: RandomStream;
  readonly wrapRng: RandomStream;
  readonly answerRng: RandomStream;
  readonly holdRng: RandomStream;
  readonly notReadyRng: RandomStream;
  constructor(
    readonly spec: AgentGroup,
    readonly center: CenterState,
    streams: RandomStreams,
  ) {
    this.talk = distribution(spec.talk);
    this.wrapUp = distribution(spec.wrapUp);
    this.answerDelay = distribution(spec.answerDelay);
    this.holdDuration = distribution(spec.day.hold.duration);
    this.notReadyEvery = spec.day.notReady ? distribution(spec.day.notReady.every) : null;
    this.notReadyDuration = spec.day.notReady ? distribution(spec.day.notReady.duration) : null;
    const key = `${center.spec.id}/${spec.id}`;
    this.talkRng = streams.stream(`talk:${key}`);
    this.wrapRng = streams.stream(`wrap-up:${key}`);
    this.answerRng = streams.stream(`answer-delay:${key}`);
    this.holdRng = streams.stream(`hold:${key}`);
    this.notReadyRng = streams.stream(`not-ready:${key}`);
  }
}

export class Agent {
  state: AgentState = 'logged-out';
  call: Call | null = null;
  task: CallbackTask | null = null;
  timer: Scheduled | null = null;
  callsToday = 0;
  /** Start of the current stretch of available time (NaN while not available). */
  availableSince = NaN;
  /** Start of the current piece of work (answer or dial), for the work span. */
  workStart = NaN;
  /** Log out as soon as the current call is done. */
  pendingLogout = false;
  /** A not-ready episode of this length is due once the current call is done (0 = none). */
  pendingNotReady = 0;
  /** The random not-ready episode armed and not yet due; cancelled at log-out and when armed anew. */
  notReadyDue: Scheduled | null = null;
  readonly skills: Readonly<Record<string, number>>;
  /** The agent's place in the tie order of the kernel, for its log-ins and log-outs (Scheduler.place). */
  place = -1;
  constructor(
    readonly id: string,
    readonly index: number,
    readonly group: GroupState,
    /** The agent's working windows; the current one is the window its next log-in or log-out belongs to. */
    readonly windows: WindowCursor,
  ) {
    this.skills = group.spec.day.skills;
  }
}

export class CenterState {
  readonly queue = new PriorityCallQueue<QueueEntry>();
  readonly ready: ReadyAgents<Agent>;
  readonly groups: GroupState[] = [];
  readonly agents: Agent[] = [];
  readonly callbacks = new CallbackTasks();
  /** Skills some agent of this center has: a queue named like one needs it (skills routing). */
  readonly skills = new Set<string>();
  lines = 0;
  loggedIn = 0;
  constructor(
    readonly spec: Center,
    strategy: RoutingStrategy,
  ) {
    this.ready = new ReadyAgents<Agent>(strategy, spec.groups.reduce((n, g) => n + g.count, 0));
  }
}
