import test from 'ava';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { collectorOptions, MetricsCollector } from './collector.js';
import { SnapshotError } from './collector-snapshot.js';
import { simulateOnce, type Replication } from './simulate.js';
import { slaServiceLevelThresholds, summarize, summaryJson } from './summary.js';
import { answeredCall, abandonedCall, span } from './test-records.js';
import { state } from './test-state.js';

const scenarioFile = (name: string): string => fileURLToPath(new URL(`../../../scenarios/${name}`, import.meta.url));
// The default scenario (IVR, ten centers, callbacks, scorecard), an hour of a busy morning.
const province = loadScenario(scenarioFile('12333-province.yaml'), { sets: ['start=2026-07-06T09:00:00+08:00', 'duration=1h', 'warmup=10m'] });
const erlangA = loadScenario(scenarioFile('validation/erlang-a.yaml'), { sets: ['duration=1d'] });

const roundTrip = (c: MetricsCollector): MetricsCollector => MetricsCollector.fromSnapshot(c.options, structuredClone(c.snapshot()));

function replicate(scenario: Scenario, seed: number, index = 0): Replication {
  return simulateOnce(scenario, seed, index, { serviceLevelThresholds: slaServiceLevelThresholds(scenario) });
}

for (const [name, scenario] of [
  ['the default scenario', province],
  ['Erlang A', erlangA],
] as const) {
  test(`a replication of ${name} survives a snapshot round trip whole: same state, same summary`, (t) => {
    const rep = replicate(scenario, 7);
    t.true(rep.collector.counters.offered > 100);
    const back = roundTrip(rep.collector);
    t.true(back instanceof MetricsCollector);
    t.deepEqual(state(back), state(rep.collector));
    const before = summaryJson(summarize(scenario, [rep]));
    t.is(summaryJson(summarize(scenario, [{ ...rep, collector: back }])), before);
    rep.collector.destroy();
    back.destroy();
  });
}

test('replications merged from snapshots give the summary (intervals included) the originals give', (t) => {
  const reps = [replicate(province, 11, 0), replicate(province, 12, 1), replicate(province, 13, 2)];
  const restored = reps.map((r) => ({ ...r, collector: roundTrip(r.collector) }));
  const a = summaryJson(summarize(province, reps));
  const b = summaryJson(summarize(province, restored));
  t.is(b, a);
  t.true(JSON.parse(a).metrics.queue_wait.ci95.stderr > 0);
  for (const r of [...reps, ...restored]) r.collector.destroy();
});

test('a restored collector keeps counting like the original (shared histograms stay shared)', (t) => {
  const rep = replicate(erlangA, 3);
  const back = roundTrip(rep.collector);
  for (const m of [rep.collector, back]) {
    m.call(answeredCall({ arrival: 80_000, queued: 80_000, answered: 80_030, left: 80_200 }, { center: 'pool', agent: 'pool/agents/1', group: 'agents' }));
    m.call(abandonedCall({ arrival: 80_100, queued: 80_100, left: 80_400 }, { center: 'pool' }));
    m.work(span(80_030, 80_200, { center: 'pool', agent: 'pool/agents/1', group: 'agents' }));
  }
  t.deepEqual(state(back), state(rep.collector));
  t.is(back.durations.get('speed_of_answer')!.count, rep.collector.durations.get('speed_of_answer')!.count);
  rep.collector.destroy();
  back.destroy();
});

test('a field added to a collector later travels without changing the snapshot code', (t) => {
  const rep = replicate(erlangA, 5);
  const c = rep.collector as MetricsCollector & Record<string, unknown>;
  c['perGroupSeries'] = new Map([['pool/agents', { busy: new Float64Array([1, 2.5, NaN]), label: 'x', nested: [1, { deep: -0 }] }]]);
  const back = roundTrip(c) as MetricsCollector & Record<string, unknown>;
  t.deepEqual(state(back), state(c));
  t.true(Object.is((back['perGroupSeries'] as Map<string, { nested: [number, { deep: number }] }>).get('pool/agents')!.nested[1].deep, -0));
  c.destroy();
  back.destroy();
});

test('what a snapshot cannot carry is an error naming the field, never dropped in silence', (t) => {
  class Unregistered {
    n = 1;
  }
  const cases: [string, (c: MetricsCollector & Record<string, unknown>) => void, RegExp][] = [
    ['a class not registered', (c) => void (c['later'] = new Map([['a', new Unregistered()]])), /MetricsCollector\.later\.get\(a\): cannot snapshot a Unregistered; add the class to the snapshot types/],
    ['a function', (c) => void (c['fn'] = { f: () => 1 }), /MetricsCollector\.fn\.f: cannot snapshot a function/],
    ['a hidden property', (c) => void Object.defineProperty(c.platform.counters, 'secret', { value: 1, enumerable: false }), /MetricsCollector\.platform\.counters: Counters has non-enumerable or symbol properties \(secret\)/],
  ];
  for (const [what, spoil, message] of cases) {
    const c = new MetricsCollector(collectorOptions(erlangA)) as MetricsCollector & Record<string, unknown>;
    spoil(c);
    t.throws(() => c.snapshot(), { instanceOf: SnapshotError, message }, what);
    c.destroy();
  }
});

test('a snapshot is plain data: structured clone and JSON-free transport keep it, and it holds no WebAssembly memory', (t) => {
  const rep = replicate(erlangA, 9);
  const snap = rep.collector.snapshot();
  const kinds = new Set<string>();
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null) return;
    kinds.add(String((x as object).constructor?.name));
    if (!ArrayBuffer.isView(x)) for (const v of Object.values(x)) walk(v);
  };
  walk(snap);
  t.deepEqual([...kinds].sort(), ['Array', 'Float64Array', 'Object']);
  t.deepEqual(structuredClone(snap), snap);
  rep.collector.destroy();
});
