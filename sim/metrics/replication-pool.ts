// Independent replications on a piscina pool of worker threads. Each worker runs one
// replication at a time (replication-worker.ts) and sends back its collector as a
// snapshot; the main thread restores it. The replications come back in whatever order
// they finish, and are returned in index order, so that merging them (summarize) gives
// the same figures, to the last bit, for any number of workers.
//
// Every replication is queued at once, so a worker starts its next one the moment it
// sends a result, while the main thread restores that result. Stopping: `signal` (Ctrl-C)
// raises a flag the workers read between slices, so running replications stop at once and
// return what they ran, marked partial, as the in-process path does; queued ones then start,
// see the flag and return nothing. `abort` (a second Ctrl-C) aborts the tasks outright
// (piscina's AbortSignal ends their threads); the replications still running are left out.

import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Scenario } from '../scenario/types.js';
import { collectorOptions, MetricsCollector } from './collector.js';
import type { ReplicationResult, ReplicationTask } from './replication-worker.js';
import { replicationSeed, type Replication, type ReplicationProgress, type SimulateOptions } from './simulate.js';

/** The compiled worker beside this file (dist/sim/metrics/), whatever the working directory. */
export const REPLICATION_WORKER_FILE = fileURLToPath(new URL('./replication-worker.js', import.meta.url));

export interface PoolOptions extends SimulateOptions {
  /** Worker threads (at most one per replication is started). */
  readonly workers: number;
  /** Abort the replications still running; they are left out of the result. */
  readonly abort?: AbortSignal;
}

const isAbort = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

/** `replications` independent replications on `workers` threads, in index order. */
export async function simulateOnWorkers(scenario: Scenario, replications: number, options: PoolOptions): Promise<Replication[]> {
  const workers = Math.max(1, Math.min(options.workers, replications));
  const thresholds = options.serviceLevelThresholds ?? [];
  const collectorOpts = collectorOptions(scenario, thresholds);
  const stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const raise = (): void => void Atomics.store(stop, 0, 1);
  if (options.signal?.aborted) raise();
  options.signal?.addEventListener('abort', raise, { once: true });

  const onProgress = options.onProgress;
  const progressChannel = onProgress ? `callsim-progress-${randomUUID()}` : undefined;
  const channel = progressChannel === undefined ? undefined : new BroadcastChannel(progressChannel);
  if (channel && onProgress) channel.onmessage = (e: unknown) => onProgress((e as { data: ReplicationProgress }).data);

  const pool = new Piscina<ReplicationTask, ReplicationResult>({
    filename: REPLICATION_WORKER_FILE,
    minThreads: workers,
    maxThreads: workers,
  });
  const done: Replication[] = [];
  let failure: { error: unknown } | undefined;

  const one = async (index: number): Promise<void> => {
    const task: ReplicationTask = {
      scenario,
      index,
      seed: replicationSeed(scenario.seed, index, replications),
      serviceLevelThresholds: thresholds,
      stop,
      ...(progressChannel !== undefined && { progressChannel }),
    };
    try {
      const r = await pool.run(task, options.abort ? { signal: options.abort } : {});
      // Stopped before it started: it observed nothing, so it is no replication at all.
      if (r.snapshot === null) return;
      const rep: Replication = {
        index: r.index,
        seed: r.seed,
        events: r.events,
        endTime: r.endTime,
        partial: r.partial,
        collector: MetricsCollector.fromSnapshot(collectorOpts, r.snapshot),
      };
      done.push(rep);
      options.onReplication?.(rep);
    } catch (error) {
      // One failure stops the rest (their results are then dropped); an abort is no failure.
      if (!isAbort(error)) failure ??= { error };
      raise();
    }
  };
  try {
    await Promise.all(Array.from({ length: replications }, (_, i) => one(i)));
  } finally {
    options.signal?.removeEventListener('abort', raise);
    channel?.close();
    await pool.destroy();
  }
  if (failure) {
    for (const r of done) r.collector.destroy();
    throw failure.error;
  }
  return done.sort((a, b) => a.index - b.index);
}
