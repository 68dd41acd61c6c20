import test from 'ava';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { PooledReplications } from './pooled-replications.js';
import { collectorOptions, MetricsCollector } from './collector.js';
import { IndexOrder, REPLICATION_WORKER_FILE, simulateOnWorkers, startReplicationWorkers, type ReplicationPlacement } from './replication-pool.js';
import type { ReplicationResult } from './replication-worker.js';
import { replicationEnd, replicationSeed, simulate, type Replication, type ReplicationFold, type ReplicationProgress } from './simulate.js';
import { slaServiceLevelThresholds, summarizePooled, summaryJson } from './summary.js';

const scenarios = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const erlangA = loadScenario(join(scenarios, 'validation/erlang-a.yaml'), { sets: ['duration=1d'] });
const long = loadScenario(join(scenarios, 'validation/erlang-c.yaml'), { sets: ['duration=3000d'] });

/** A run's replications as folded, in order, and its summary.json without timing. */
interface Folded {
  readonly reps: readonly Omit<Replication, 'collector'>[];
  readonly summary: string;
  readonly offered: readonly number[];
}

/** Runs `run` with a fold that pools the replications, as `callsim run` does, and notes what it was given. */
async function folded(scenario: Scenario, run: (fold: ReplicationFold) => Promise<void>): Promise<Folded> {
  const pooled = new PooledReplications(scenario.serviceLevel.definition);
  const reps: Omit<Replication, 'collector'>[] = [];
  const offered: number[] = [];
  try {
    await run((r) => {
      const { collector, ...rest } = r;
      reps.push(rest);
      offered.push(collector.counters.offered);
      pooled.add(r);
    });
    const summary = reps.length > 0 ? summaryJson({ ...summarizePooled(scenario, pooled), timing: { generatedAt: '', wallSeconds: 0, events: 0 } }) : '';
    return { reps, summary, offered };
  } finally {
    pooled.destroy();
  }
}

test('the worker file is found beside the pool, whatever the working directory', (t) => {
  t.true(REPLICATION_WORKER_FILE.endsWith(join('dist', 'sim', 'metrics', 'replication-worker-entry.cjs')));
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
test('replications on 1, 2 and 3 threads, with or without this one, are folded in index order and give the summary the in-process run gives, byte for byte', async (t) => {
  const options = { serviceLevelThresholds: slaServiceLevelThresholds(erlangA) };
  const expected = (await folded(erlangA, (fold) => simulate(erlangA, 5, fold, options))).summary;
  for (const [workers, thisThread] of [[1, true], [2, true], [3, true], [1, false], [2, false]] as const) {
    const what = `${workers} threads${thisThread ? '' : ', all workers'}`;
    const placed: ReplicationPlacement[] = [];
    const { reps, summary } = await folded(erlangA, (fold) => simulateOnWorkers(erlangA, 5, fold, { ...options, workers, thisThread, onPlacement: (p) => placed.push(p) }));
    t.deepEqual(reps.map((r) => r.index), [0, 1, 2, 3, 4], what);
    t.deepEqual(reps.map((r) => r.seed), [0, 1, 2, 3, 4].map((i) => replicationSeed(erlangA.seed, i, 5)));
    t.true(reps.every((r) => !r.partial));
    t.is(summary, expected, what);
    // Each replication ran once; 0 is this thread.
    t.deepEqual(placed.map((p) => p.index).sort(), [0, 1, 2, 3, 4], what);
    const threads = new Set(placed.map((p) => p.thread));
    if (!thisThread) t.false(threads.has(0), what);
    else if (workers === 1) t.deepEqual([...threads], [0], what);
    // This thread takes the first replication before the workers get their tasks.
    else t.is(placed.find((p) => p.index === 0)?.thread, 0, what);
    t.true(threads.size <= workers, what);
  }
});

test('replications are folded in index order whatever order they end in; those behind one that never came, at the end', (t) => {
  const options = collectorOptions(erlangA);
  // Replication i offered i + 1 calls, so that what is folded can be told apart.
  const ended = (index: number): Replication => {
    const collector = new MetricsCollector(options);
    collector.counters.offered = index + 1;
    collector.durations.get('queue_wait')!.record(index);
    return { index, seed: 100 + index, events: 10, endTime: 60, partial: false, collector };
  };
  const fromWorker = (index: number): ReplicationResult => {
    const rep = ended(index);
    const result = { ...replicationEnd(rep), snapshot: rep.collector.snapshot(), thread: 7 };
    rep.collector.destroy();
    return result;
  };
  const folded: [number, number, number][] = [];
  const order = new IndexOrder(options, (r) => folded.push([r.index, r.collector.counters.offered, r.collector.durations.get('queue_wait')!.max]));
  order.arrived(fromWorker(2));
  const three = ended(3);
  order.own(three);
  // It waits as a snapshot: its collector is freed at once.
  t.throws(() => three.collector.durations.get('queue_wait')!.histogram.totalCount, { message: /destroyed/ });
  t.deepEqual(folded, []);
  order.own(ended(0));
  t.deepEqual(folded.map((f) => f[0]), [0]);
  order.arrived(fromWorker(1));
  t.deepEqual(folded.map((f) => f[0]), [0, 1, 2, 3]);
  // 4 never comes (dropped by a second Ctrl-C): 5 and 6 wait until the end.
  order.arrived(fromWorker(6));
  order.own(ended(5));
  t.is(folded.length, 4);
  order.rest();
  t.deepEqual(folded, [0, 1, 2, 3, 5, 6].map((i) => [i, i + 1, i]));
});

test('worker threads started ahead serve several runs, and the caller ends them', async (t) => {
  const options = { serviceLevelThresholds: slaServiceLevelThresholds(erlangA) };
  const pool = startReplicationWorkers(2);
  try {
    const first = await folded(erlangA, (fold) => simulateOnWorkers(erlangA, 4, fold, { ...options, workers: 2, thisThread: false, pool }));
    const second = await folded(erlangA, (fold) => simulateOnWorkers(erlangA, 4, fold, { ...options, workers: 3, pool }));
    t.is(second.summary, first.summary);
    // Still alive after both runs: a third one works.
    const third = await folded(erlangA, (fold) => simulateOnWorkers(erlangA, 2, fold, { ...options, workers: 2, thisThread: false, pool }));
    t.is(third.reps.length, 2);
  } finally {
    await pool.destroy();
  }
});

test('progress arrives from the workers; every replication ends done', async (t) => {
  const seen = new Map<number, ReplicationProgress>();
  const ended: number[] = [];
  await simulateOnWorkers(erlangA, 3, () => {}, {
    workers: 2,
    thisThread: false,
    onProgress: (p) => seen.set(p.index, p),
    onReplication: (r) => ended.push(r.index),
  });
  t.deepEqual([...ended].sort(), [0, 1, 2]);
  t.true(seen.size > 0);
  for (const p of seen.values()) t.true(p.time > 0 && p.calls > 0);
});

test('stop (Ctrl-C): running replications return what they ran, marked partial; no new one starts', async (t) => {
  const stop = new AbortController();
  const { reps, summary, offered } = await folded(long, (fold) =>
    simulateOnWorkers(long, 6, fold, {
      workers: 2,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.calls > 1000) stop.abort();
      },
    }),
  );
  t.true(reps.length >= 1 && reps.length <= 2, `${reps.length} replications`);
  for (const [i, r] of reps.entries()) {
    t.true(r.partial);
    t.true(offered[i]! > 0);
    t.true(r.endTime < long.duration);
  }
  t.deepEqual(reps.map((r) => r.index), [...reps.map((r) => r.index)].sort((a, b) => a - b));
  t.not(summary, '');
});

test('abort (a second Ctrl-C): running replications are dropped and the pool ends', async (t) => {
  const kill = new AbortController();
  const { reps } = await folded(long, (fold) =>
    simulateOnWorkers(long, 4, fold, {
      workers: 2,
      abort: kill.signal,
      onProgress: () => kill.abort(),
    }),
  );
  t.deepEqual(reps, []);
});

test('an error inside a replication rejects the run instead of hanging it, in this thread or in a worker', async (t) => {
  const broken = { ...erlangA, centers: null } as unknown as Scenario;
  await t.throwsAsync(simulateOnWorkers(broken, 3, () => {}, { workers: 2 }));
  // The collector's options are fine, the model is not: the replications themselves fail.
  const noArrivals = { ...erlangA, arrivals: null } as unknown as Scenario;
  await t.throwsAsync(simulateOnWorkers(noArrivals, 3, () => {}, { workers: 2 }));
  await t.throwsAsync(simulateOnWorkers(noArrivals, 3, () => {}, { workers: 2, thisThread: false }));
});

test('an error in the fold rejects the run, with or without workers', async (t) => {
  const fold: ReplicationFold = (r) => {
    if (r.index === 1) throw new Error('fold failed');
  };
  await t.throwsAsync(simulate(erlangA, 3, fold), { message: 'fold failed' });
  await t.throwsAsync(simulateOnWorkers(erlangA, 3, fold, { workers: 2 }), { message: 'fold failed' });
});
