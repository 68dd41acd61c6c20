// Resolved scenarios built in code, for tests that exercise the model without YAML.

import type { DistributionSpec } from '../sim/kernel/distributions.js';
import type { Scenario } from '../sim/scenario/types.js';

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
}

export const exp = (mean: number): DistributionSpec => ({ kind: 'exponential', mean });
export const constant = (value: number): DistributionSpec => ({ kind: 'constant', value });

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
        groups: [
          {
            id: 'g',
            count: q.agents,
            talk: q.talk,
            wrapUp: q.wrapUp ?? constant(0),
            answerDelay: q.answerDelay ?? constant(0),
          },
        ],
      },
    ],
    routing: { strategy: 'longest-idle' },
    serviceLevel: { threshold: 20, definition: 'strict', shortAbandon: 5 },
    sla: [],
    file: '<test>',
  };
}
