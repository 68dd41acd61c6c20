// Resolved scenarios built in code, for tests that exercise the model without YAML.

import type { DistributionSpec } from '../sim/kernel/distributions.js';
import type {
  AgentDay, AgentGroup, CallerConversation, Callbacks, DispatchRule, NetworkSpec, RoutingStrategy, Scenario, SignalingMode,
} from '../sim/scenario/types.js';

export interface QueueScenario {
  /** Calls per second. */
  rate: number;
  agents: number;
  talk: DistributionSpec;
  patience?: DistributionSpec | null;
  wrapUp?: DistributionSpec;
  answerDelay?: DistributionSpec;
  trunks?: number;
  duration?: number;
  warmup?: number;
  seed?: number;
  redialProbability?: number;
  /** The group's day; what is not given takes the loader's defaults (DEFAULT_AGENT_DAY). */
  day?: Partial<AgentDay>;
  waitingRoom?: number;
  dispatch?: readonly DispatchRule[];
  routing?: RoutingStrategy;
  callbacks?: Partial<Callbacks>;
  conversation?: Partial<CallerConversation>;
  interval?: number;
  signaling?: SignalingMode;
  network?: Partial<NetworkSpec>;
}

export const exp = (mean: number): DistributionSpec => ({ kind: 'exponential', mean });
export const constant = (value: number): DistributionSpec => ({ kind: 'constant', value });

/** A group's day when the scenario says nothing about it (what the loader resolves; load.test.ts checks they agree). */
export const DEFAULT_AGENT_DAY: AgentDay = {
  shift: { kind: 'always' },
  lunch: null,
  training: null,
  notReady: null,
  ringNoAnswer: null,
  hold: { probability: 0, duration: exp(30), limit: 30, returns: 0.8 },
  wrapUpLimit: 30,
  skills: { general: 1 },
};

/** Callbacks when the scenario says nothing about them. */
export const DEFAULT_CALLBACKS: Callbacks = {
  deadline: 1800,
  fromCalls: 0,
  reach: 0.8,
  attempts: 3,
  retryAfter: 600,
  ringTime: 30,
  talk: exp(120),
};

/** The agent's side of callers when the scenario says nothing about it. */
export const DEFAULT_CONVERSATION: CallerConversation = {
  silentShare: 0,
  greetInterval: 5,
  ratingShare: 0,
  ratingWeights: [1, 1, 3, 10, 25],
};

/** An agent group with default handle times and day, changed by `over`. */
export function agentGroup(id: string, count: number, over: Partial<Omit<AgentGroup, 'id' | 'count' | 'day'>> & { day?: Partial<AgentDay> } = {}): AgentGroup {
  const { day, ...rest } = over;
  return { id, count, talk: exp(180), wrapUp: constant(0), answerDelay: constant(0), ...rest, day: { ...DEFAULT_AGENT_DAY, ...day } };
}

export function queueScenario(q: QueueScenario): Scenario {
  return {
    name: 'test',
    seed: q.seed ?? 1,
    start: '2026-07-06T00:00:00+08:00',
    duration: q.duration ?? 86400,
    warmup: q.warmup ?? 0,
    ringPeriod: 5,
    trunks: Infinity,
    calendar: {
      timeZone: 'Asia/Shanghai',
      seasons: [{ name: 'always', from: '01-01', to: '12-31', open: 0, close: 86400 }],
      agentDays: [0, 1, 2, 3, 4, 5, 6],
      holidays: [],
      workdays: [],
    },
    arrivals: { process: { kind: 'poisson', rate: q.rate }, scale: 1 },
    callers: {
      patience: q.patience ?? null,
      redial: { probability: q.redialProbability ?? 0, delay: exp(300), maxAttempts: 5 },
      areaCodes: {},
      ivr: {
        choices: {},
        bargeIn: 0.3,
        think: { kind: 'uniform', min: 1, max: 4 },
        mistake: 0.02,
        silent: 0.01,
        accountSuccess: 0.85,
        digitTime: 0.6,
        transferAreaCodes: {},
      },
    },
    ivr: null,
    centers: [
      {
        id: 'c',
        name: 'c',
        areaCodes: [],
        trunks: q.trunks ?? Infinity,
        waitingRoom: q.waitingRoom ?? Infinity,
        dispatch: q.dispatch ?? [],
        groups: [
          {
            id: 'g',
            count: q.agents,
            talk: q.talk,
            wrapUp: q.wrapUp ?? constant(0),
            answerDelay: q.answerDelay ?? constant(0),
            day: { ...DEFAULT_AGENT_DAY, ...q.day },
          },
        ],
      },
    ],
    routing: { strategy: q.routing ?? 'longest-idle' },
    callbacks: { ...DEFAULT_CALLBACKS, ...q.callbacks },
    conversation: { ...DEFAULT_CONVERSATION, ...q.conversation },
    interval: q.interval ?? 3600,
    serviceLevel: { threshold: 20, definition: 'strict', shortAbandon: 5 },
    sla: [],
    signaling: q.signaling ?? 'direct',
    network: { latency: null, loss: 0, timers: { t1: 0.5, t2: 4 }, ...q.network },
    file: '<test>',
  };
}
