import test from 'ava';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { REPLICATION_WORKER_FILE, simulateOnWorkers, startReplicationWorkers, type ReplicationPlacement } from './replication-pool.js';
import { replicationSeed, simulate, type Replication, type ReplicationProgress } from './simulate.js';
import { slaServiceLevelThresholds, summarize, summaryJson } from './summary.js';

const scenarios = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const erlangA = loadScenario(join(scenarios, 'validation/erlang-a.yaml'), { sets: ['duration=1d'] });
const long = loadScenario(join(scenarios, 'validation/erlang-c.yaml'), { sets: ['duration=3000d'] });

const withoutTiming = (reps: readonly Replication[], scenario: Scenario): string =>
  summaryJson({ ...summarize(scenario, reps), timing: { generatedAt: '', wallSeconds: 0, events: 0 } });
const destroy = (reps: readonly Replication[]): void => reps.forEach((r) => r.collector.destroy());

test('the worker file is found beside the pool, whatever the working directory', (t) => {
  t.true(REPLICATION_WORKER_FILE.endsWith(join('dist', 'sim', 'metrics', 'replication-worker.js')));
  t.true(existsSync(REPLICATION_WORKER_FILE));
});

test('every shipped scenario is plain data, so a worker receives it whole', (t) => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      // Under ivr/ the plain files are menus; the scenarios there end in -scenario.yaml.
      else if (e.name.endsWith('.yaml') && (!dir.includes('/ivr') || e.name.endsWith('-scenario.yaml'))) files.push(join(dir, e.name));
    }
  };
  walk(scenarios);
  t.true(files.length >= 8, files.join(', '));
  for (const file of files) {
    const s = loadScenario(file);
    // structuredClone drops prototypes and throws on functions: deep strict equality (which
    // compares prototypes) holds only if nothing of the kind is in the scenario.
    t.true(isDeepStrictEqual(structuredClone(s), s), file);
  }
});

// With several threads the replications finish in an order of their own; the summary must not
// notice. `thisThread: false` sends every replication through a worker and its snapshot; by
// default this thread runs a share itself.
test('replications on 1, 2 and 3 threads, with or without this one, give the summary the in-process run gives, byte for byte', async (t) => {
  const options = { serviceLevelThresholds: slaServiceLevelThresholds(erlangA) };
  const inProcess = await simulate(erlangA, 5, options);
  const expected = withoutTiming(inProcess, erlangA);
  destroy(inProcess);
  for (const [workers, thisThread] of [[1, true], [2, true], [3, true], [1, false], [2, false]] as const) {
    const what = `${workers} threads${thisThread ? '' : ', all workers'}`;
    const placed: ReplicationPlacement[] = [];
    const reps = await simulateOnWorkers(erlangA, 5, { ...options, workers, thisThread, onPlacement: (p) => placed.push(p) });
    t.deepEqual(reps.map((r) => r.index), [0, 1, 2, 3, 4], what);
    t.deepEqual(reps.map((r) => r.seed), [0, 1, 2, 3, 4].map((i) => replicationSeed(erlangA.seed, i, 5)));
    t.true(reps.every((r) => !r.partial));
    t.is(withoutTiming(reps, erlangA), expected, what);
    // Each replication ran once; 0 is this thread.
    t.deepEqual(placed.map((p) => p.index).sort(), [0, 1, 2, 3, 4], what);
    const threads = new Set(placed.map((p) => p.thread));
    if (!thisThread) t.false(threads.has(0), what);
    else if (workers === 1) t.deepEqual([...threads], [0], what);
    // This thread takes the first replication before the workers get their tasks.
    else t.is(placed.find((p) => p.index === 0)?.thread, 0, what);
    t.true(threads.size <= workers, what);
    destroy(reps);
  }
});

test('worker threads started ahead serve several runs, and the caller ends them', async (t) => {
  const options = { serviceLevelThresholds: slaServiceLevelThresholds(erlangA) };
  const pool = startReplicationWorkers(2);
  try {
    const first = await simulateOnWorkers(erlangA, 4, { ...options, workers: 2, thisThread: false, pool });
    const second = await simulateOnWorkers(erlangA, 4, { ...options, workers: 3, pool });
    t.is(withoutTiming(second, erlangA), withoutTiming(first, erlangA));
    destroy(first);
    destroy(second);
    // Still alive after both runs: a third one works.
    const third = await simulateOnWorkers(erlangA, 2, { ...options, workers: 2, thisThread: false, pool });
    t.is(third.length, 2);
    destroy(third);
  } finally {
    await pool.destroy();
  }
});

test('progress arrives from the workers; every replication ends done', async (t) => {
  const seen = new Map<number, ReplicationProgress>();
  const ended: number[] = [];
  const reps = await simulateOnWorkers(erlangA, 3, {
    workers: 2,
    thisThread: false,
    onProgress: (p) => seen.set(p.index, p),
    onReplication: (r) => ended.push(r.index),
  });
  t.deepEqual([...ended].sort(), [0, 1, 2]);
  t.true(seen.size > 0);
  for (const p of seen.values()) t.true(p.time > 0 && p.calls > 0);
  destroy(reps);
});

test('stop (Ctrl-C): running replications return what they ran, marked partial; no new one starts', async (t) => {
  const stop = new AbortController();
  const reps = await simulateOnWorkers(long, 6, {
    workers: 2,
    signal: stop.signal,
    onProgress: (p) => {
      if (p.calls > 1000) stop.abort();
    },
  });
  t.true(reps.length >= 1 && reps.length <= 2, `${reps.length} replications`);
  for (const r of reps) {
    t.true(r.partial);
    t.true(r.collector.counters.offered > 0);
    t.true(r.endTime < long.duration);
  }
  const s = summarize(long, reps, { partial: true });
  t.true(s.partial);
  destroy(reps);
});

test('abort (a second Ctrl-C): running replications are dropped and the pool ends', async (t) => {
  const kill = new AbortController();
  const reps = await simulateOnWorkers(long, 4, {
    workers: 2,
    abort: kill.signal,
    onProgress: () => kill.abort(),
  });
  t.deepEqual(reps, []);
});

test('an error inside a replication rejects the run instead of hanging it, in this thread or in a worker', async (t) => {
  const broken = { ...erlangA, centers: null } as unknown as Scenario;
  await t.throwsAsync(simulateOnWorkers(broken, 3, { workers: 2 }));
  // The collector's options are fine, the model is not: the replications themselves fail.
  const noArrivals = { ...erlangA, arrivals: null } as unknown as Scenario;
  await t.throwsAsync(simulateOnWorkers(noArrivals, 3, { workers: 2 }));
  await t.throwsAsync(simulateOnWorkers(noArrivals, 3, { workers: 2, thisThread: false }));
});
