// The whole callsim model on the bench's M/M/c+M: scenario wiring, ACD queue, agent state
// machine, caller behaviour, call records and HDR histograms, i.e. what `callsim run` does
// for one replication, minus YAML loading and reporting.

import { simulateOnce } from '../sim/metrics/simulate.js';
import type { Scenario } from '../sim/scenario/types.js';
import { exp, queueScenario } from '../test/scenario-builder.js';
import type { MmcParams } from './mmc.js';

export interface FullModelRun {
  readonly wallSeconds: number;
  readonly calls: number;
  readonly answered: number;
  readonly abandoned: number;
  /** Kernel events fired (the model schedules more kinds than the bare M/M/c+M). */
  readonly events: number;
  /** Resident set size right after the run, bytes. */
  readonly rssAfter: number;
}

/** The bench's M/M/c+M as a resolved scenario for the full model. */
export function mmcScenario(p: MmcParams): Scenario {
  return queueScenario({
    rate: p.rate,
    agents: p.agents,
    talk: exp(p.talk),
    patience: exp(p.patience),
    duration: p.duration,
    seed: p.seed,
  });
}

export function runFullModel(p: MmcParams): FullModelRun {
  const scenario = mmcScenario(p);
  const start = performance.now();
  const rep = simulateOnce(scenario, p.seed);
  const wallSeconds = (performance.now() - start) / 1000;
  const rssAfter = process.memoryUsage.rss();
  const c = rep.collector.counters;
  const run = { wallSeconds, calls: c.offered, answered: c.answered, abandoned: c.abandoned, events: rep.events, rssAfter };
  rep.collector.destroy();
  return run;
}
