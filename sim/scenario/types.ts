// The resolved, immutable form of a scenario: every unit converted (times in seconds,
// rates per second), every default filled in. What the user wrote is only seen by the
// loader; the model reads this.

import type { ArrivalSpec } from '../kernel/arrivals.js';
import type { DistributionSpec } from '../kernel/distributions.js';
import type { Callers, Redial } from '../callers/caller-behaviour.js';
import type { CallerMix, IvrNavigation } from '../callers/ivr-navigation.js';
import type { CalendarSpec, Season } from '../ivr/calendar-types.js';
import type { IvrSpec } from '../ivr/types.js';
import type { SourcePos } from './errors.js';

export type { ArrivalSpec, CalendarSpec, CallerMix, Callers, DistributionSpec, IvrNavigation, IvrSpec, Redial, Season };

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
}

export interface Center {
  readonly id: string;
  readonly name: string;
  readonly areaCodes: readonly string[];
  /** Lines into this center; Infinity = unlimited. Default Infinity. */
  readonly trunks: number;
  readonly groups: readonly AgentGroup[];
}

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
  readonly routing: { readonly strategy: 'longest-idle' };
  readonly serviceLevel: ServiceLevel;
  readonly sla: readonly SlaSpec[];
  /** The file it came from ('<inline>' when built in code). */
  readonly file: string;
}
