// The resolved, immutable form of a scenario: every unit converted (times in seconds,
// rates per second), every default filled in. What the user wrote is only seen by the
// loader; the model reads this.

import type { ArrivalSpec } from '../kernel/arrivals.js';
import type { DistributionSpec } from '../kernel/distributions.js';
import type { AgentDay } from '../../agents/agent-day-types.js';
import type { RoutingStrategy } from '../acd/ready-agents.js';
import type { Callers, Redial } from '../callers/caller-behaviour.js';
import type { CallerMix, IvrNavigation } from '../callers/ivr-navigation.js';
import type { CalendarSpec, Season } from '../ivr/calendar-types.js';
import type { IvrSpec } from '../ivr/types.js';
import type { SourcePos } from './errors.js';

export type { AgentDay, ArrivalSpec, CalendarSpec, CallerMix, Callers, DistributionSpec, IvrNavigation, IvrSpec, Redial, Season };

/** How `service_level(T)` is computed; `strict` is the default (see docs/metrics.md). */
export type ServiceLevelDefinition =
  | 'strict' // answered within T / entered queue
  | 'answered' // answered within T / answered
  | 'exclude-short-abandons' // answered within T / (entered - abandoned within shortAbandon)
  | 'wait' // P(queue_wait <= T): (answered or abandoned within T) / entered
  | 'virtual'; // P(virtual wait <= T): the wait an infinitely patient caller would have had

export interface Arrivals {
  readonly process: ArrivalSpec;
  /** Multiplies every rate (what-ifs: `--set arrivals.scale=1.3`). Default 1. */
  readonly scale: number;
}

export interface AgentGroup {
  readonly id: string;
  readonly count: number;
  /** Talk time. Default exponential, mean 180 s. */
  readonly talk: DistributionSpec;
  /** After-call work. Default constant 0. */
  readonly wrapUp: DistributionSpec;
  /** From the phone ringing to the agent answering. Default constant 0. */
  readonly answerDelay: DistributionSpec;
  /** Shifts, lunch, training, not-ready, ring-no-answer, hold and policy limits. */
  readonly day: AgentDay;
}

/**
 * Send a waiting call to another center (seed 004, 平台间的话务调度). A rule applies when
 * any of its conditions holds; rules are tried in order; the first whose target can take
 * the call wins. At least one condition is given.
 */
export interface DispatchRule {
  /** A center id, or `any`: the center with the most ready agents (ties: scenario order). */
  readonly to: string;
  /** The call has waited this long in this center's queue. */
  readonly after?: number;
  /** More than this many callers wait here (judged when the call arrives in the queue). */
  readonly queueLongerThan?: number;
  /** This center has no agent logged in. */
  readonly closed?: boolean;
  /** No agent here is ready when the call arrives (overflow). */
  readonly noFreeAgent?: boolean;
}

export interface Center {
  readonly id: string;
  readonly name: string;
  readonly areaCodes: readonly string[];
  /** Lines into this center; Infinity = unlimited. Default Infinity. */
  readonly trunks: number;
  /** Callers who may wait here at once; a call that finds it full (after dispatch) is refused. Default Infinity. */
  readonly waitingRoom: number;
  /** Tried in order; default none. */
  readonly dispatch: readonly DispatchRule[];
  readonly groups: readonly AgentGroup[];
}

/** Outbound calls that return voice messages and promised answers (seed 003). */
export interface Callbacks {
  /** A task is due this long after it is created (seed 003: 20-30 min). Default 30 min. */
  readonly deadline: number;
  /** Share of agent-answered calls that end with "we will call you back". Default 0. */
  readonly fromCalls: number;
  /** Probability that the callee answers an attempt. Default 0.8. */
  readonly reach: number;
  /** Attempts per task. Default 3. */
  readonly attempts: number;
  /** Time between attempts. Default 10 min. */
  readonly retryAfter: number;
  /** The callee's phone rings this long before an unanswered attempt is given up. Default 30 s. */
  readonly ringTime: number;
  /** Talk time of a callback. Default exponential, mean 120 s. */
  readonly talk: DistributionSpec;
}

/** The agent's side of callers beyond the IVR. */
export interface CallerConversation {
  /** Share of agent-answered callers who say nothing: the agent greets three times, then hangs up (seed 003). Default 0. */
  readonly silentShare: number;
  /** Time between greetings to a silent caller. Default 5 s. */
  readonly greetInterval: number;
  /** Share of callers who rate the call after it (seed 000 art. 21). Default 0. */
  readonly ratingShare: number;
  /** Weights of the scores 1..5 (index 0 = score 1). Default [1, 1, 3, 10, 25]. */
  readonly ratingWeights: readonly number[];
}

export type { RoutingStrategy };

/** One SLA expression as written, with where it was written. */
export interface SlaSpec {
  /** The metric name as written, e.g. `service_level(20s)`. */
  readonly metric: string;
  /** The expression, e.g. `p(95) <= 3`. */
  readonly expr: string;
  /** Where the expression string stands in the source (or the --set flag). */
  readonly pos?: SourcePos;
}

export interface ServiceLevel {
  /** T of `service_level` when an SLA does not name one. Default 20 s. */
  readonly threshold: number;
  readonly definition: ServiceLevelDefinition;
  /** Abandons shorter than this are excluded by `exclude-short-abandons`. Default 5 s. */
  readonly shortAbandon: number;
}

export interface Scenario {
  readonly name: string;
  /** Default 1. */
  readonly seed: number;
  /** ISO instant of the run's time 0. Default `2026-07-06T00:00:00+08:00` (a Monday in summer). */
  readonly start: string;
  /** Length of the run in seconds (arrivals stop then; calls in progress finish). Default 1 day. */
  readonly duration: number;
  /** Calls arriving before this are not counted. Default 0. */
  readonly warmup: number;
  /** One ring cycle in seconds (China: 1 s on, 4 s off). Default 5. */
  readonly ringPeriod: number;
  /** Lines into the whole platform; Infinity = unlimited. Default Infinity. */
  readonly trunks: number;
  readonly calendar: CalendarSpec;
  readonly arrivals: Arrivals;
  readonly callers: Callers;
  /** The IVR in front of the queues; null = `ivr: none`, calls go straight to the agent queue. */
  readonly ivr: IvrSpec | null;
  readonly centers: readonly Center[];
  /**
   * How the ACD picks an agent among the ready ones. `skills`: a queue named like a skill
   * needs an agent with it (highest level first, then longest idle). Default longest-idle.
   */
  readonly routing: { readonly strategy: RoutingStrategy };
  readonly callbacks: Callbacks;
  readonly conversation: CallerConversation;
  /** Length of the per-interval results (15m, 30m, 1h). Default 1h. */
  readonly interval: number;
  readonly serviceLevel: ServiceLevel;
  readonly sla: readonly SlaSpec[];
  /** How callers and the hotline talk: `direct` (default) or `sip` messages in memory. */
  readonly signaling: SignalingMode;
  /** The in-memory network of `signaling: sip`. */
  readonly network: NetworkSpec;
  /** The file it came from ('<inline>' when built in code). */
  readonly file: string;
}

export type SignalingMode = 'direct' | 'sip';

/** The in-memory network of `signaling: sip`. */
export interface NetworkSpec {
  /** One-way latency per datagram; null = none. */
  readonly latency: DistributionSpec | null;
  /** Share of datagrams lost, 0..0.5. */
  readonly loss: number;
  /** SIP timers T1 and T2, seconds. */
  readonly timers: { readonly t1: number; readonly t2: number };
}
