// Replications on a worker thread. Piscina's entry (replication-worker-entry.cts, CommonJS)
// imports the compiled file (dist/sim/metrics/replication-worker.js) when the thread starts
// and calls the default export once per pool run: it takes replication indices from a counter shared with the
// main thread and every other worker until none is left, runs each slice by slice exactly
// as the in-process path does (simulate.ts), and posts each result on its own port as soon
// as it is done (its collector as a snapshot, plain data), so the thread never waits for
// the main thread between replications. It posts progress after every slice, and stops
// early when the shared stop flag is raised (Ctrl-C; after it no index is taken).

import hdr from 'hdr-histogram-js';
import { threadId, type MessagePort } from 'node:worker_threads';
import type { Scenario } from '../scenario/types.js';
import type { CollectorSnapshot } from './collector.js';
import { replicationEnd, ReplicationRun, replicationSeed, type ReplicationEnd, type ReplicationProgress } from './simulate.js';

// The histograms' WebAssembly is instantiated while the thread starts, which overlaps the
// main thread's own work, instead of inside the first replication.
hdr.initWebAssemblySync();

/** Slots of ReplicationTask.shared. */
export const NEXT = 0;
export const STOP = 1;
export const SHARED_SLOTS = 2;

export interface ReplicationTask {
  /** The resolved scenario (plain data: structured cloning keeps it whole), sent once per thread. */
  readonly scenario: Scenario;
  /** Replications in the run: indices 0 .. replications - 1, seeds derived from the scenario's. */
  readonly replications: number;
  readonly serviceLevelThresholds: readonly number[];
  /**
   * Over a SharedArrayBuffer: [NEXT] the lowest index no thread has taken yet, [STOP] non-zero
   * asks every running replication to stop at its next slice and every thread to take no more.
   */
  readonly shared: Int32Array;
  /** Where results (and progress, if asked) are posted, as ReplicationMessage. */
  readonly port: MessagePort;
  /** Post a ReplicationProgress after every slice. */
  readonly progress: boolean;
}

/** A replication's end (its `calls` for progress before the snapshot is restored) and its figures. */
export interface ReplicationResult extends ReplicationEnd {
  readonly snapshot: CollectorSnapshot;
  /** The worker's threadId. */
  readonly thread: number;
}

export type ReplicationMessage =
  | { readonly kind: 'progress'; readonly progress: ReplicationProgress }
  | { readonly kind: 'result'; readonly result: ReplicationResult };

/** The next replication index for this thread, or undefined when every one is taken or the run is stopping. */
export function takeReplication(shared: Int32Array, replications: number): number | undefined {
  if (Atomics.load(shared, STOP) !== 0) return undefined;
  const index = Atomics.add(shared, NEXT, 1);
  return index < replications ? index : undefined;
}

/** Runs replications until none is left; returns how many results it posted. Called by piscina in a worker thread. */
export default function runReplications(task: ReplicationTask): number {
  const { scenario, replications, shared, port } = task;
  let posted = 0;
  for (let index = takeReplication(shared, replications); index !== undefined; index = takeReplication(shared, replications)) {
    const run = new ReplicationRun(scenario, index, replicationSeed(scenario.seed, index, replications), task.serviceLevelThresholds);
    let slices = 0;
    while (!run.done && Atomics.load(shared, STOP) === 0) {
      run.step();
      slices++;
      if (task.progress) port.postMessage({ kind: 'progress', progress: run.progress() } satisfies ReplicationMessage);
    }
    const rep = run.finish();
    // Stopped before its first slice: it observed nothing, so it is no replication at all.
    if (slices === 0 && rep.partial) {
      rep.collector.destroy();
      break;
    }
    const result: ReplicationResult = { ...replicationEnd(rep), snapshot: rep.collector.snapshot(), thread: threadId };
    rep.collector.destroy();
    port.postMessage({ kind: 'result', result } satisfies ReplicationMessage);
    posted++;
  }
  return posted;
}
