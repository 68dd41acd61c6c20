// The simulator against queueing theory. Each validation scenario runs as independent
// replications; the simulated figure must lie within 4 standard errors (estimated from the
// replications themselves) of the closed form, and the standard error must be small enough
// that a short, noisy run could not pass by chance.

import test from 'ava';
import { erlangA, erlangB, erlangCMetrics } from '../sim/acd/erlang.js';
import type { Counters, ServiceLevelCounts } from '../sim/metrics/collector.js';
import { confidenceInterval } from '../sim/metrics/confidence.js';
import { rates, ratioValue, serviceLevelRatio } from '../sim/metrics/rates.js';
import { simulate, type ReplicationFold } from '../sim/metrics/simulate.js';
import { loadScenario } from '../sim/scenario/load.js';
import { RandomStreams } from '../sim/kernel/random.js';
import type { Scenario, ServiceLevelDefinition } from '../sim/scenario/types.js';
import { recordRun } from './record-run.js';
import { queueScenario } from './scenario-builder.js';

const REPLICATIONS = 10;
const Z = 4;

interface Check {
  readonly name: string;
  readonly exact: number;
  /** One value per replication. */
  readonly values: readonly number[];
  /** Largest standard error accepted. */
  readonly maxStderr: number;
}

function verify(t: import('ava').ExecutionContext, checks: readonly Check[]): void {
  for (const c of checks) {
    const ci = confidenceInterval(c.values)!;
    const msg = `${c.name}: simulated ${ci.mean.toFixed(6)} ± ${ci.stderr.toFixed(6)} (s.e.), exact ${c.exact.toFixed(6)}`;
    t.log(msg);
    t.true(ci.stderr <= c.maxStderr, `${msg}: standard error above ${c.maxStderr}`);
    t.true(Math.abs(ci.mean - c.exact) <= Z * ci.stderr, `${msg}: more than ${Z} standard errors apart`);
  }
}

/** What the checks read of a replication: its counts and means (its histograms go with its collector). */
interface Kept {
  readonly counters: Counters;
  readonly serviceLevels: readonly ServiceLevelCounts[];
  readonly means: ReadonlyMap<string, number>;
}

/** A fold keeping each replication's counts and means in `into`. */
const keep = (into: Kept[]): ReplicationFold => (r) =>
  void into.push({
    counters: r.collector.counters,
    serviceLevels: r.collector.serviceLevels,
    means: new Map([...r.collector.durations].map(([name, m]) => [name, m.mean])),
  });

async function simulateKept(scenario: Scenario, serviceLevelThresholds: number[]): Promise<Kept[]> {
  const reps: Kept[] = [];
  await simulate(scenario, REPLICATIONS, keep(reps), { serviceLevelThresholds });
  return reps;
}

const replicate = (file: string): Promise<Kept[]> => simulateKept(loadScenario(file), [0, 20]);

const sl = (r: Kept, t: number): ServiceLevelCounts => r.serviceLevels.find((s) => s.threshold === t)!;
const rate = (name: string) => (r: Kept) => ratioValue(rates(r.counters, r.serviceLevels, 'strict')[name]!);
const level = (t: number, def: ServiceLevelDefinition) => (r: Kept) => ratioValue(serviceLevelRatio(r.counters, sl(r, t), def));
const mean = (metric: string) => (r: Kept) => r.means.get(metric)!;

test('M/M/14 matches Erlang C: wait probability, service level, ASA, occupancy', async (t) => {
  const reps = await replicate('scenarios/validation/erlang-c.yaml');
  const exact = erlangCMetrics({ arrivalRate: 100 / 1800, aht: 180, agents: 14, target: 20 });
  verify(t, [
    { name: 'P(wait)', exact: exact.waitProbability, values: reps.map((r) => 1 - level(0, 'strict')(r)), maxStderr: 0.004 },
    { name: 'service level 20 s', exact: exact.serviceLevel, values: reps.map(level(20, 'strict')), maxStderr: 0.003 },
    { name: 'ASA', exact: exact.asa, values: reps.map(mean('speed_of_answer')), maxStderr: 0.25 },
    { name: 'occupancy', exact: exact.occupancy, values: reps.map(rate('occupancy')), maxStderr: 0.002 },
  ]);
});

test('M/M/14+M matches Erlang A: wait probability, abandonment, every service-level definition, ASA', async (t) => {
  const reps = await replicate('scenarios/validation/erlang-a.yaml');
  const exact = erlangA({ arrivalRate: 100 / 1800, aht: 180, agents: 14, target: 20, patience: 300 });
  verify(t, [
    { name: 'P(wait)', exact: exact.waitProbability, values: reps.map((r) => 1 - level(0, 'virtual')(r)), maxStderr: 0.004 },
    { name: 'abandonment', exact: exact.abandonProbability, values: reps.map(rate('abandon_rate')), maxStderr: 0.0008 },
    { name: 'SL strict', exact: exact.serviceLevels.strict, values: reps.map(level(20, 'strict')), maxStderr: 0.003 },
    { name: 'SL answered', exact: exact.serviceLevels.answered, values: reps.map(level(20, 'answered')), maxStderr: 0.003 },
    { name: 'SL wait', exact: exact.serviceLevels.wait, values: reps.map(level(20, 'wait')), maxStderr: 0.003 },
    { name: 'SL virtual', exact: exact.serviceLevels.virtual, values: reps.map(level(20, 'virtual')), maxStderr: 0.003 },
    { name: 'ASA', exact: exact.asa, values: reps.map(mean('speed_of_answer')), maxStderr: 0.2 },
    { name: 'occupancy', exact: exact.occupancy, values: reps.map(rate('occupancy')), maxStderr: 0.002 },
  ]);
});

test('17 lines at 10 Erlangs with lognormal talk match Erlang B blocking (insensitivity)', async (t) => {
  const reps = await replicate('scenarios/validation/trunk-limited.yaml');
  verify(t, [
    { name: 'blocking', exact: erlangB(10, 17), values: reps.map(rate('block_rate')), maxStderr: 0.001 },
    { name: 'connect rate', exact: 1 - erlangB(10, 17), values: reps.map(rate('connect_rate')), maxStderr: 0.001 },
  ]);
});

test('the check has teeth: 13 agents instead of 14 is far outside the Erlang C interval', async (t) => {
  const scenario = loadScenario('scenarios/validation/erlang-c.yaml', { sets: ['centers[0].groups[0].count=13'] });
  const reps = await simulateKept(scenario, [20]);
  const exact = erlangCMetrics({ arrivalRate: 100 / 1800, aht: 180, agents: 14, target: 20 });
  const ci = confidenceInterval(reps.map(level(20, 'strict')))!;
  t.true(Math.abs(ci.mean - exact.serviceLevel) > Z * ci.stderr);
});

test('two centers with no waiting room, the first overflowing to the second: Erlang B loss for both and for the first', async (t) => {
  // 12 Erlangs offered to center A (10 agents); a call that finds A full goes to B (7
  // agents); one that finds B full too is lost. Loss = E_B(17, 12); A's overflow = E_B(10, 12).
  const base = queueScenario({ rate: 12 / 180, agents: 10, talk: { kind: 'lognormal', mean: 180, sd: 240 }, duration: 10 * 86400, warmup: 7200 });
  const group = base.centers[0]!.groups[0]!;
  const scenario: Scenario = {
    ...base,
    centers: [
      { ...base.centers[0]!, id: 'a', waitingRoom: 0, dispatch: [{ to: 'b', noFreeAgent: true }] },
      { ...base.centers[0]!, id: 'b', waitingRoom: 0, dispatch: [], groups: [{ ...group, count: 7 }] },
    ],
  };
  const streams = new RandomStreams(scenario.seed);
  const loss: number[] = [];
  const overflow: number[] = [];
  for (let i = 0; i < REPLICATIONS; i++) {
    const calls = recordRun(scenario, streams.replicationSeed(i)).calls.filter((c) => c.arrival >= scenario.warmup);
    loss.push(calls.filter((c) => c.outcome === 'blocked').length / calls.length);
    overflow.push(calls.filter((c) => c.outcome === 'blocked' || c.dispatchedFrom === 'a').length / calls.length);
  }
  verify(t, [
    { name: 'loss, both centers', exact: erlangB(12, 17), values: loss, maxStderr: 0.001 },
    { name: 'overflow from the first', exact: erlangB(12, 10), values: overflow, maxStderr: 0.002 },
  ]);
});
