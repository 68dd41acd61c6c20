// Runs a scenario once and keeps every record, for tests that look at individual calls.

import type { AgentSpan, CallbackRecord, CallRecord } from '../sim/acd/records.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { Simulation } from '../sim/kernel/simulation.js';
import { DRAIN_LIMIT } from '../sim/metrics/simulate.js';
import { HotlineModel } from '../sim/scenario/hotline-model.js';
import type { Scenario } from '../sim/scenario/types.js';

export interface Recorded {
  calls: CallRecord[];
  work: AgentSpan[];
  staffed: AgentSpan[];
  callbacks: CallbackRecord[];
  ringOuts: number;
}

export function recordRun(scenario: Scenario, seed = scenario.seed): Recorded {
  const r: Recorded = { calls: [], work: [], staffed: [], callbacks: [], ringOuts: 0 };
  const sim = new Simulation();
  const model = new HotlineModel(scenario, sim, new RandomStreams(seed), {
    call: (c) => r.calls.push(c),
    work: (w) => r.work.push(w),
    staffed: (s) => r.staffed.push(s),
    callback: (c) => r.callbacks.push(c),
    agentEvent: () => r.ringOuts++,
  });
  model.start();
  sim.run(scenario.duration + DRAIN_LIMIT);
  model.finish();
  return r;
}
