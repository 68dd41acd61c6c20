// Runs a scenario in simulated time: one replication, or several independent ones whose
// seeds are derived from the scenario's seed. Each replication streams its records into
// its own collector; nothing else is kept. The kernel runs in slices so that Ctrl-C (an
// AbortSignal) is noticed mid-run and what ran so far can still be reported.

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

export interface SimulateOptions {
  /** Service-level thresholds T to count exactly (the scenario's default T is always added). */
  readonly serviceLevelThresholds?: readonly number[];
  /** Ctrl-C: stop at the next slice and report what ran. */
  readonly signal?: AbortSignal;
  /** Told after every replication. */
  readonly onReplication?: (rep: Replication) => void;
}

/**
 * Arrivals stop at the scenario's duration; calls in progress then finish. A run stops one
 * day after that whatever is left (a call that rings out forever at agents who never answer
 * must not hang the run); callers still waiting are recorded as stranded.
 */
export const DRAIN_LIMIT = 86400;

/** Events per slice between looks at the signal: small enough to answer Ctrl-C at once. */
const SLICE_EVENTS = 200_000;

/** The seed of replication `index`: the scenario's own seed for a single run, derived ones otherwise. */
export function replicationSeed(seed: number, index: number, replications: number): number {
  return replications === 1 ? seed : new RandomStreams(seed).replicationSeed(index);
}

function setup(scenario: Scenario, seed: number, options: SimulateOptions) {
  const collector = new MetricsCollector(collectorOptions(scenario, options.serviceLevelThresholds ?? []));
  const sim = new Simulation();
  const model = new HotlineModel(scenario, sim, new RandomStreams(seed), collector);
  model.start();
  return { collector, sim, model };
}

/** One replication, start to end, synchronously. */
export function simulateOnce(scenario: Scenario, seed: number, index = 0, options: SimulateOptions = {}): Replication {
  const { collector, sim, model } = setup(scenario, seed, options);
  sim.run(scenario.duration + DRAIN_LIMIT);
  model.finish();
  return { index, seed, collector, events: sim.events, endTime: sim.now(), partial: false };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `replications` independent replications, one after the other, stoppable by the signal. */
export async function simulate(scenario: Scenario, replications: number, options: SimulateOptions = {}): Promise<Replication[]> {
  const out: Replication[] = [];
  for (let i = 0; i < replications && !options.signal?.aborted; i++) {
    const seed = replicationSeed(scenario.seed, i, replications);
    const { collector, sim, model } = setup(scenario, seed, options);
    const horizon = scenario.duration + DRAIN_LIMIT;
    while (sim.pending > 0 && sim.now() < horizon && !options.signal?.aborted) {
      sim.run(horizon, SLICE_EVENTS);
      await tick();
    }
    const partial = options.signal?.aborted === true && sim.pending > 0 && sim.now() < horizon;
    if (!partial) model.finish();
    const rep = { index: i, seed, collector, events: sim.events, endTime: sim.now(), partial };
    // A replication cut short still counts: its calls so far are real observations.
    out.push(rep);
    options.onReplication?.(rep);
  }
  return out;
}
