// Runs a scenario in simulated time: one replication, or several independent ones whose
// seeds are derived from the scenario's seed. Each replication streams its records into
// its own collector; nothing else is kept. When a replication ends, its collector is handed
// to a fold (PooledReplications.add: merged, a few numbers kept) and destroyed, so a run
// holds the collectors of the replications running and no others, however many it runs.
// The kernel runs in slices so that Ctrl-C (an AbortSignal) is noticed mid-run and what ran
// so far can still be reported. The same sliced run serves the worker threads of
// replication-pool.ts, so a replication gives the same collector in-process and on a worker.

import type { RecordSink } from '../acd/records.js';
import { RandomStreams } from '../kernel/random.js';
import { Simulation } from '../kernel/simulation.js';
import { HotlineModel } from '../scenario/hotline-model.js';
import type { Scenario } from '../scenario/types.js';
import { collectorOptions, MetricsCollector } from './collector.js';

export interface Replication {
  readonly index: number;
  readonly seed: number;
  readonly collector: MetricsCollector;
  /** Kernel events fired. */
  readonly events: number;
  /** Simulated seconds at the end (after the last call finished). */
  readonly endTime: number;
  /** Stopped before the end. */
  readonly partial: boolean;
}

/** A replication that has ended, without its figures (for progress). */
export interface ReplicationEnd {
  readonly index: number;
  readonly seed: number;
  readonly events: number;
  readonly endTime: number;
  readonly partial: boolean;
  /** Call records (warm-up included). */
  readonly calls: number;
}

/**
 * Takes each replication once it has ended, in index order, and keeps what it needs of it:
 * the runner destroys the collector as soon as the fold returns.
 */
export type ReplicationFold = (rep: Replication) => void;

/** Where one replication stands, for a progress bar. */
export interface ReplicationProgress {
  readonly index: number;
  /** Simulated seconds so far. */
  readonly time: number;
  /** Call records so far (warm-up included). */
  readonly calls: number;
  /** The replication has ended (completed or stopped). */
  readonly done: boolean;
}

export interface SimulateOptions {
  /** Service-level thresholds T to count exactly (the scenario's default T is always added). */
  readonly serviceLevelThresholds?: readonly number[];
  /** Ctrl-C: stop at the next slice and report what ran. */
  readonly signal?: AbortSignal;
  /** Told after every replication, as it ends (on workers, not necessarily in index order). */
  readonly onReplication?: (end: ReplicationEnd) => void;
  /** Told after every slice of every replication (a few times per second). */
  readonly onProgress?: (progress: ReplicationProgress) => void;
  /**
   * In this thread only: the sink the model of replication `index` writes to, wrapping the
   * collector (e.g. calls.csv streaming every record, then passing it on).
   */
  readonly sink?: (index: number, collector: MetricsCollector) => RecordSink;
}

/**
 * Arrivals stop at the scenario's duration; calls in progress then finish. A run stops one
 * day after that whatever is left (a call that rings out forever at agents who never answer
 * must not hang the run); callers still waiting are recorded as stranded.
 */
export const DRAIN_LIMIT = 86400;

/** Events per slice between looks at the signal and progress reports: small enough to answer Ctrl-C at once. */
export const SLICE_EVENTS = 50_000;

/** The seed of replication `index`: the scenario's own seed for a single run, derived ones otherwise. */
export function replicationSeed(seed: number, index: number, replications: number): number {
  return replications === 1 ? seed : new RandomStreams(seed).replicationSeed(index);
}

/** One replication being run slice by slice: the model, its kernel and its collector. */
export class ReplicationRun {
  readonly collector: MetricsCollector;
  private readonly sim = new Simulation();
  private readonly model: HotlineModel;
  private readonly horizon: number;

  constructor(
    scenario: Scenario,
    readonly index: number,
    readonly seed: number,
    serviceLevelThresholds: readonly number[] = [],
    sink?: (index: number, collector: MetricsCollector) => RecordSink,
  ) {
    this.collector = new MetricsCollector(collectorOptions(scenario, serviceLevelThresholds));
    this.model = new HotlineModel(scenario, this.sim, new RandomStreams(seed), sink ? sink(index, this.collector) : this.collector);
    this.model.start();
    this.horizon = scenario.duration + DRAIN_LIMIT;
  }

  /** Nothing is left to run (every call ended, or the drain limit was reached). */
  get done(): boolean {
    return this.sim.pending === 0 || this.sim.now() >= this.horizon;
  }

  /** Runs up to `events` more events. */
  step(events = SLICE_EVENTS): void {
    this.sim.run(this.horizon, events);
  }

  /** Runs to the end at once. */
  runToEnd(): void {
    this.sim.run(this.horizon);
  }

  progress(): ReplicationProgress {
    return { index: this.index, time: this.sim.now(), calls: this.collector.callsRecorded, done: this.done };
  }

  /** Ends the replication: a stopped one keeps its calls so far (they are real observations) and is marked partial. */
  finish(): Replication {
    const partial = !this.done;
    if (!partial) this.model.finish();
    return { index: this.index, seed: this.seed, collector: this.collector, events: this.sim.events, endTime: this.sim.now(), partial };
  }
}

/** One replication, start to end, synchronously. */
export function simulateOnce(scenario: Scenario, seed: number, index = 0, options: SimulateOptions = {}): Replication {
  const run = new ReplicationRun(scenario, index, seed, options.serviceLevelThresholds);
  run.runToEnd();
  return run.finish();
}

/** What onReplication is told of a replication. */
export function replicationEnd(rep: Replication): ReplicationEnd {
  return { index: rep.index, seed: rep.seed, events: rep.events, endTime: rep.endTime, partial: rep.partial, calls: rep.collector.callsRecorded };
}

/** Hands a replication to the fold, then frees its collector, whatever the fold did. */
export function foldAndRelease(fold: ReplicationFold, rep: Replication): void {
  try {
    fold(rep);
  } finally {
    rep.collector.destroy();
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * `replications` independent replications, one after the other in this thread, stoppable by
 * the signal; each is folded as it ends. A stopped one is folded too, marked partial.
 */
export async function simulate(scenario: Scenario, replications: number, fold: ReplicationFold, options: SimulateOptions = {}): Promise<void> {
  for (let i = 0; i < replications && !options.signal?.aborted; i++) {
    await runAndFold(new ReplicationRun(scenario, i, replicationSeed(scenario.seed, i, replications), options.serviceLevelThresholds, options.sink), fold, options);
  }
}

/**
 * One replication, slice by slice, then folded. A function of its own so that no variable of
 * a finished replication is left in the loop's suspended frame while the next one runs: V8
 * keeps a suspended async function's locals, and a local that held the last replication kept
 * its collector reachable for the whole of the next one.
 */
async function runAndFold(run: ReplicationRun, fold: ReplicationFold, options: SimulateOptions): Promise<void> {
  while (!run.done && !options.signal?.aborted) {
    run.step();
    options.onProgress?.(run.progress());
    await tick();
  }
  const rep = run.finish();
  options.onReplication?.(replicationEnd(rep));
  foldAndRelease(fold, rep);
}
