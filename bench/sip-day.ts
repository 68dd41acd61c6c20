// The million-call model (M/M/c+M at 11.6 calls/s on 2,400 agents, mmc.ts) with every caller a
// SIP user agent against the hotline's user agent over the in-memory network (`signaling:
// sip`), next to the same run with `signaling: direct`: calls per second of each, their ratio,
// the messages carried, and the time a 1,000,000-call day takes at the measured SIP rate.
// By default a tenth of the day is run (about 100,000 calls); `--fraction 1` runs the whole
// day. Run alone: node dist/bench/sip-day.js [--fraction 0.1] (one line of JSON); `npm run
// bench` runs it so, in a child process of its own.

import { parseArgs } from 'node:util';
import { RandomStreams } from '../sim/kernel/random.js';
import { Simulation } from '../sim/kernel/simulation.js';
import { collectorOptions, MetricsCollector } from '../sim/metrics/collector.js';
import { DRAIN_LIMIT } from '../sim/metrics/simulate.js';
import { HotlineModel } from '../sim/scenario/hotline-model.js';
import type { Scenario } from '../sim/scenario/types.js';
import { mmcScenario } from './full-model.js';
import { MILLION_MODEL } from './mmc.js';

export interface SipDayRun {
  readonly signaling: 'direct' | 'sip';
  readonly calls: number;
  readonly wallSeconds: number;
  /** CPU time of the process over the run (user + system; GC threads included), seconds. */
  readonly cpuSeconds: number;
  readonly callsPerSecond: number;
  readonly messages: number;
}

function once(scenario: Scenario): SipDayRun {
  const collector = new MetricsCollector(collectorOptions(scenario));
  const sim = new Simulation();
  const model = new HotlineModel(scenario, sim, new RandomStreams(scenario.seed), collector);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  model.start();
  sim.run(scenario.duration + DRAIN_LIMIT);
  model.finish();
  const wallSeconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  const calls = collector.counters.offered;
  collector.destroy();
  return { signaling: scenario.signaling, calls, wallSeconds, cpuSeconds, callsPerSecond: calls / wallSeconds, messages: model.signaling.stats?.()['messages'] ?? 0 };
}

export interface SipDayBench {
  readonly direct: SipDayRun;
  readonly sip: SipDayRun;
  /** direct calls/s / SIP calls/s: what serializing, parsing and the transactions cost. */
  readonly slowdown: number;
  /** 1,000,000 / SIP calls per second (target < 60 s). */
  readonly millionSeconds: number;
  readonly measured: boolean;
}

export function runSipDayBench(fraction = 0.1): SipDayBench {
  const base = mmcScenario({ ...MILLION_MODEL, duration: Math.round(MILLION_MODEL.duration * fraction) });
  const direct = once(base);
  const sip = once({ ...base, signaling: 'sip' });
  return { direct, sip, slowdown: direct.callsPerSecond / sip.callsPerSecond, millionSeconds: 1e6 / sip.callsPerSecond, measured: fraction >= 1 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The V8 flags `callsim run` sets, before anything here is optimized: the figure is then the
  // command's. Without them the same tenth of the day ran 2.7 % more instructions (callgrind,
  // 0.02 of the day: 10.07 G against 9.80 G, 2026-11-23).
  await import('../bin/v8-flags.js');
  const { values } = parseArgs({ options: { fraction: { type: 'string', default: '0.1' } } });
  console.log(JSON.stringify(runSipDayBench(Number(values.fraction))));
}
