// Independent replications on W threads: this one and W - 1 worker threads of a piscina
// pool (replication-worker.ts). Every thread takes the next replication index from a
// counter they share, when it is free, so the work balances itself whatever the speed of
// each thread, and a worker never waits for this thread between two replications. This
// thread runs its replications slice by slice and, between slices, takes in the workers'
// results (collectors sent as snapshots) as they arrive. The replications are folded in
// index order (PooledReplications merges them), so that the figures are the same, to the
// last bit, for any number of threads. A replication that ends before a lower index waits
// for its turn as its snapshot (plain data, about 0.7 MB on the default scenario, where the
// restored collector is about 20 MB) and is restored, folded and destroyed when its turn comes.
//
// Why this thread works too: it has the modules loaded already, and its results need no
// snapshot unless they end before their turn; left idle, it would only restore the workers' results, and W threads on W cores
// would leave one core to it. The worker threads can be started early (startReplicationWorkers),
// e.g. while the scenario is being parsed, so that their start-up overlaps that.
//
// Stopping: `signal` (Ctrl-C) raises a flag every thread reads between slices, so running
// replications stop at once and return what they ran, marked partial, as the in-process
// path does; no thread takes another one. `abort` (a second Ctrl-C) drops the replications
// still running: this thread's is discarded and the workers' tasks are aborted (piscina's
// AbortSignal ends their threads); results that arrived before are kept, and those waiting
// behind a dropped one are folded at the end, still in index order.

import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Scenario } from '../scenario/types.js';
import { collectorOptions, MetricsCollector, type CollectorOptions, type CollectorSnapshot } from './collector.js';
import { SHARED_SLOTS, STOP, takeReplication, type ReplicationMessage, type ReplicationResult, type ReplicationTask } from './replication-worker.js';
import {
  foldAndRelease,
  replicationEnd,
  ReplicationRun,
  replicationSeed,
  type Replication,
  type ReplicationEnd,
  type ReplicationFold,
  type SimulateOptions,
} from './simulate.js';

/**
 * The compiled worker entry beside this file (dist/sim/metrics/), whatever the working
 * directory: CommonJS, which imports the worker's ES module (see replication-worker-entry.cts).
 */
export const REPLICATION_WORKER_FILE = fileURLToPath(new URL('./replication-worker-entry.cjs', import.meta.url));

/** Worker threads started ahead of a run; reusable for several runs, one at a time. */
export class ReplicationWorkers {
  readonly pool: Piscina<ReplicationTask, number>;

  constructor(readonly threads: number) {
    if (!(Number.isSafeInteger(threads) && threads >= 1)) throw new RangeError(`worker threads: expected a whole number >= 1, got ${threads}`);
    // The threads start now and load the worker module (and the histograms' WebAssembly) at once.
    this.pool = new Piscina<ReplicationTask, number>({ filename: REPLICATION_WORKER_FILE, minThreads: threads, maxThreads: threads });
  }

  /** Ends the threads. */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}

/** Starts `threads` worker threads now, for a run that starts later (simulateOnWorkers' `pool`). */
export function startReplicationWorkers(threads: number): ReplicationWorkers {
  return new ReplicationWorkers(threads);
}

/** Which thread ran a replication: 0 for this one, else the worker's `threadId`. */
export interface ReplicationPlacement {
  readonly index: number;
  readonly thread: number;
}

export interface PoolOptions extends SimulateOptions {
  /** Threads that run replications, this one included unless `thisThread` is false (at most one per replication is used). */
  readonly workers: number;
  /** Abort the replications still running; they are not folded. */
  readonly abort?: AbortSignal;
  /** Worker threads started beforehand; the caller destroys them. Without it, the run starts and ends its own. */
  readonly pool?: ReplicationWorkers;
  /**
   * Run replications in this thread too (default true). False leaves this thread to restore
   * the results only and runs every replication on `workers` worker threads.
   */
  readonly thisThread?: boolean;
  /** Told where each replication ran, when its result is in. */
  readonly onPlacement?: (placement: ReplicationPlacement) => void;
}

const isAbort = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A replication that ended before its turn to be folded: its collector as a snapshot. */
interface Waiting extends ReplicationEnd {
  readonly snapshot: CollectorSnapshot;
}

/** Folds replications in index order, whatever order they end in; those early wait as snapshots. */
export class IndexOrder {
  private next = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly options: CollectorOptions,
    private readonly fold: ReplicationFold,
  ) {}

  /** A replication of this thread: folded now if it is its turn, else kept as a snapshot. Its collector is destroyed either way. */
  own(rep: Replication): void {
    if (rep.index === this.next) {
      this.take(rep);
      return;
    }
    const snapshot = rep.collector.snapshot();
    rep.collector.destroy();
    this.waiting.set(rep.index, { ...replicationEnd(rep), snapshot });
  }

  /** A worker's replication. */
  arrived(result: ReplicationResult): void {
    this.waiting.set(result.index, result);
    this.drain();
  }

  /** Those still waiting behind an index that never came (dropped by an abort), in index order. */
  rest(): void {
    for (const index of [...this.waiting.keys()].sort((a, b) => a - b)) {
      this.next = index;
      this.drain();
    }
  }

  private take(rep: Replication): void {
    this.next = rep.index + 1;
    foldAndRelease(this.fold, rep);
    this.drain();
  }

  private drain(): void {
    for (let w = this.waiting.get(this.next); w !== undefined; w = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next++;
      const collector = MetricsCollector.fromSnapshot(this.options, w.snapshot);
      foldAndRelease(this.fold, { index: w.index, seed: w.seed, events: w.events, endTime: w.endTime, partial: w.partial, collector });
    }
  }
}

/**
 * `replications` independent replications on `workers` threads, each folded in index order
 * once it and every lower index have ended (those dropped by `abort` are skipped).
 */
export async function simulateOnWorkers(scenario: Scenario, replications: number, fold: ReplicationFold, options: PoolOptions): Promise<void> {
  const threads = Math.max(1, Math.min(options.workers, replications));
  const thisThread = options.thisThread ?? true;
  const workerThreads = thisThread ? threads - 1 : threads;
  const thresholds = options.serviceLevelThresholds ?? [];
  const order = new IndexOrder(collectorOptions(scenario, thresholds), fold);
  const shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const stopping = (): boolean => Atomics.load(shared, STOP) !== 0;
  const raise = (): void => void Atomics.store(shared, STOP, 1);
  if (options.signal?.aborted || options.abort?.aborted) raise();
  options.signal?.addEventListener('abort', raise, { once: true });
  options.abort?.addEventListener('abort', raise, { once: true });

  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    // One failure stops the rest (their results are then dropped); an abort is no failure.
    if (!isAbort(error)) failure ??= { error };
    raise();
  };
  const ended = (end: ReplicationEnd, thread: number): void => {
    options.onPlacement?.({ index: end.index, thread });
    options.onReplication?.(end);
  };

  // One replication of this thread's share: slice by slice, yielding between slices so that
  // the workers' results and progress are taken in while it runs. False when this thread is
  // to take no more. A function of its own, like simulate.ts's runAndFold, so that the loop's
  // suspended frame keeps nothing of a finished replication while the next one runs.
  const runHere = async (index: number): Promise<boolean> => {
    const run = new ReplicationRun(scenario, index, replicationSeed(scenario.seed, index, replications), thresholds);
    let slices = 0;
    while (!run.done && !stopping()) {
      run.step();
      slices++;
      options.onProgress?.(run.progress());
      await tick();
    }
    // Dropped by a second Ctrl-C, stopped before it observed anything, or after a failure.
    if (options.abort?.aborted || (slices === 0 && !run.done) || failure !== undefined) {
      run.collector.destroy();
      return false;
    }
    const rep = run.finish();
    ended(replicationEnd(rep), 0);
    order.own(rep);
    return true;
  };
  // `first` was taken before the workers got their tasks, so this thread always has the first replication.
  const inThisThread = async (first: number | undefined): Promise<void> => {
    try {
      for (let index = first; index !== undefined; index = takeReplication(shared, replications)) {
        if (!(await runHere(index))) return;
      }
    } catch (error) {
      fail(error);
    }
  };

  const own = workerThreads > 0 && options.pool === undefined ? new ReplicationWorkers(workerThreads) : undefined;
  const pool = options.pool ?? own;
  const tasks = pool === undefined ? 0 : Math.min(workerThreads, pool.threads);
  // One long task per worker thread: it takes replications until none is left and posts
  // each result on its own port, which is taken in here when it arrives.
  const onWorker = async (): Promise<void> => {
    const { port1, port2 } = new MessageChannel();
    let received = 0;
    let expected = Infinity;
    let allIn = (): void => {};
    const arrived = new Promise<void>((resolve) => (allIn = resolve));
    port1.on('message', (message: ReplicationMessage) => {
      if (message.kind === 'progress') return void options.onProgress?.(message.progress);
      received++;
      try {
        if (failure === undefined) {
          ended(message.result, message.result.thread);
          order.arrived(message.result);
        }
      } catch (error) {
        fail(error);
      }
      if (received >= expected) allIn();
    });
    const task: ReplicationTask = { scenario, replications, serviceLevelThresholds: thresholds, shared, port: port2, progress: options.onProgress !== undefined };
    try {
      // The results travel on their own port, which the task's end does not wait for.
      expected = await pool!.pool.run(task, { transferList: [port2], ...(options.abort && { signal: options.abort }) });
      if (received < expected) await arrived;
    } catch (error) {
      fail(error);
    } finally {
      port1.close();
    }
  };

  try {
    const first = thisThread ? takeReplication(shared, replications) : undefined;
    const running: Promise<void>[] = [];
    for (let i = 0; i < tasks; i++) running.push(onWorker());
    if (thisThread) running.push(inThisThread(first));
    await Promise.all(running);
  } finally {
    options.signal?.removeEventListener('abort', raise);
    options.abort?.removeEventListener('abort', raise);
    await own?.destroy();
  }
  if (failure) throw failure.error;
  order.rest();
}
