// An agent's working day as the scenario describes it for a group: when the group works
// (shifts per weekday), lunch taken in rotation, the Friday-afternoon training rotation
// (seed 001) that takes a share of the group away, random not-ready episodes, what happens
// when an agent lets a call ring out, holds during a call and the policy limits that the
// scorecard counts (seeds 001, 002). Times of day are seconds after local midnight.

import type { DistributionSpec } from '../sim/kernel/distributions.js';

/** When the group is logged in. */
export type ShiftSpec =
  /** Around the clock, every day (the default: what queueing validation needs). */
  | { readonly kind: 'always' }
  /** The calendar's agent hours (season, agent days, holidays). */
  | { readonly kind: 'agent-hours' }
  /**
   * Explicit shifts: on these weekdays (0 = Monday), from `start` to `end` (seconds of day;
   * end may pass midnight). `days` are the days a shift starts on, sorted, each once;
   * `end` < `start` ends on the next day; `end` is 86400 for a shift to midnight; never
   * `end` = `start`. Several shifts may share a day (split shifts).
   */
  | { readonly kind: 'shifts'; readonly shifts: readonly { readonly days: readonly number[]; readonly start: number; readonly end: number }[] };

export interface LunchSpec {
  /** The window in which lunches are taken, seconds of day. */
  readonly from: number;
  readonly to: number;
  /** Each agent's lunch; agents are staggered across the window in rotation. */
  readonly duration: number;
}

export interface TrainingSpec {
  /** Weekday, 0 = Monday (seed 001: Friday = 4; the loader's default). */
  readonly day: number;
  readonly from: number;
  readonly to: number;
  /** Share of the group in training at once; who goes rotates week by week. */
  readonly share: number;
}

export interface NotReadySpec {
  /** Time between the end of one episode and the start of the next. */
  readonly every: DistributionSpec;
  readonly duration: DistributionSpec;
}

export interface RingNoAnswerSpec {
  /** After this many rings unanswered the call goes back to the head of the queue. */
  readonly rings: number;
  /** The agent is then not ready for this long. */
  readonly notReady: number;
}

export interface HoldSpec {
  /** Share of answered calls with a hold (a lookup) in the middle. Default 0. */
  readonly probability: number;
  /** How long the lookup takes. Default exponential, mean 30 s. */
  readonly duration: DistributionSpec;
  /** The policy: come back to the caller within this (seeds 001, 002: 30 s). Default 30 s. */
  readonly limit: number;
  /** Probability that an agent whose lookup passes the limit comes back in time (else a violation). Default 0.8. */
  readonly returns: number;
}

/** The parts of an agent group beyond count and handling times. */
export interface AgentDay {
  readonly shift: ShiftSpec;
  readonly lunch: LunchSpec | null;
  readonly training: TrainingSpec | null;
  readonly notReady: NotReadySpec | null;
  readonly ringNoAnswer: RingNoAnswerSpec | null;
  readonly hold: HoldSpec;
  /** Wrap-up policy limit (seed 002: 30 s); longer wrap-ups are counted. Default 30 s. */
  readonly wrapUpLimit: number;
  /** Skills and levels (1 = basic .. 10 = expert); default { general: 1 }. */
  readonly skills: Readonly<Record<string, number>>;
}
