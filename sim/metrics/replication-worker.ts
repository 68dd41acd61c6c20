// One replication on a worker thread. Piscina loads the compiled file
// (dist/sim/metrics/replication-worker.js) in every thread of the pool and calls the
// default export once per task: it runs the replication slice by slice exactly as the
// in-process path does (simulate.ts), posts progress on a BroadcastChannel after every
// slice, stops early when the shared stop flag is raised (Ctrl-C; a task that starts after
// it runs nothing), and returns its collector as a snapshot (plain data).

import { BroadcastChannel } from 'node:worker_threads';
import type { Scenario } from '../scenario/types.js';
import type { CollectorSnapshot } from './collector.js';
import { ReplicationRun, type ReplicationProgress } from './simulate.js';

export interface ReplicationTask {
  /** The resolved scenario (plain data: structured cloning keeps it whole). */
  readonly scenario: Scenario;
  readonly index: number;
  readonly seed: number;
  readonly serviceLevelThresholds: readonly number[];
  /** Over a SharedArrayBuffer: a non-zero [0] asks every running replication to stop at its next slice. */
  readonly stop: Int32Array;
  /** A BroadcastChannel name: a ReplicationProgress is posted there after every slice. */
  readonly progressChannel?: string;
}

export interface ReplicationResult {
  readonly index: number;
  readonly seed: number;
  readonly events: number;
  readonly endTime: number;
  readonly partial: boolean;
  /** The collector; null when the stop flag was up before the replication started (it ran nothing). */
  readonly snapshot: CollectorSnapshot | null;
}

/** Runs one replication; called by piscina in a worker thread. */
export default function runReplication(task: ReplicationTask): ReplicationResult {
  if (Atomics.load(task.stop, 0) !== 0) return { index: task.index, seed: task.seed, events: 0, endTime: 0, partial: true, snapshot: null };
  const run = new ReplicationRun(task.scenario, task.index, task.seed, task.serviceLevelThresholds);
  const channel = task.progressChannel === undefined ? undefined : new BroadcastChannel(task.progressChannel);
  try {
    while (!run.done && Atomics.load(task.stop, 0) === 0) {
      run.step();
      const p: ReplicationProgress = run.progress();
      channel?.postMessage(p);
    }
  } finally {
    channel?.close();
  }
  const rep = run.finish();
  const snapshot = rep.collector.snapshot();
  rep.collector.destroy();
  return { index: rep.index, seed: rep.seed, events: rep.events, endTime: rep.endTime, partial: rep.partial, snapshot };
}
