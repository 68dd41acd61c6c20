// Replications pooled as they end. Each replication's collector is merged into one pooled
// collector in the order the replications are added (the runners add them in index order, so
// the pooled figures are the same to the last bit whichever thread ran a replication and
// whichever ended first), and of the replication itself only the numbers its 95 % intervals
// are computed from are kept: per scope (the platform, each center) every metric's mean and
// every rate's value, and the platform's service level under every definition. Its collector
// can then be destroyed. A collector costs about 20 MB however few calls it counted (143
// WebAssembly HDR histograms of 136 KiB each on the default scenario: 13 metrics x 11 scopes);
// what is kept of a replication here, 8 KB.

import type { ServiceLevelDefinition } from '../scenario/types.js';
import type { CallMetrics } from './call-metrics.js';
import { MetricsCollector, SERVICE_LEVEL_DEFINITIONS } from './collector.js';
import { rates, ratioValue, serviceLevelRatio } from './rates.js';
import type { Replication } from './simulate.js';

/** Names numbered in the order they are first seen, so that a replication's values can be a plain array of numbers. */
class Names {
  private readonly numbers = new Map<string, number>();

  number(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) this.numbers.set(name, (n = this.numbers.size));
    return n;
  }

  /** `name`'s value in `values`; NaN where it has none. */
  read(values: readonly number[], name: string): number {
    const n = this.numbers.get(name);
    return n === undefined ? NaN : (values[n] ?? NaN);
  }
}

/**
 * One replication's values in one scope (the platform or a center): arrays of numbers under
 * names every replication shares. Kept for every replication, so kept small: 8 KB per
 * replication of the default scenario, where objects keyed by name took 27 KB.
 */
export class ScopeValues {
  private readonly means: number[] = [];
  private readonly rates: number[] = [];

  constructor(
    private readonly names: { readonly means: Names; readonly rates: Names },
    m: CallMetrics,
    definition: ServiceLevelDefinition,
  ) {
    for (const [name, metric] of m.durations) this.means[names.means.number(name)] = metric.mean;
    for (const [name, ratio] of Object.entries(rates(m.counters, m.serviceLevels, definition))) this.rates[names.rates.number(name)] = ratioValue(ratio);
  }

  /** A per-call time's mean; NaN without observations. */
  mean(name: string): number {
    return this.names.means.read(this.means, name);
  }

  /** A rate's value by its summary.json name; NaN over a zero denominator, or where the replication did not have the rate. */
  rate(name: string): number {
    return this.names.rates.read(this.rates, name);
  }
}

/** What is kept of one replication once its collector is merged. */
export interface ReplicationValues {
  readonly index: number;
  readonly seed: number;
  /** Kernel events fired. */
  readonly events: number;
  /** Simulated seconds at the end. */
  readonly endTime: number;
  /** Stopped before the end. */
  readonly partial: boolean;
  readonly platform: ScopeValues;
  /** The centers the replication's collector had, by id. */
  readonly centers: ReadonlyMap<string, ScopeValues>;
  /** service_level(T) under every definition, for every T counted, in MetricsCollector.serviceLevels' order. */
  readonly serviceLevels: readonly Readonly<Record<ServiceLevelDefinition, number>>[];
}

export class PooledReplications {
  private merged: MetricsCollector | undefined;
  private readonly values: ReplicationValues[] = [];
  private readonly names = { means: new Names(), rates: new Names() };

  /** `definition`: the scenario's service-level definition, which the per-replication rates use. */
  constructor(readonly definition: ServiceLevelDefinition) {}

  /** Merges a replication's collector in and keeps its values; the collector stays the caller's to destroy. */
  add(rep: Replication): void {
    const c = rep.collector;
    (this.merged ??= new MetricsCollector(c.options)).merge(c);
    const centers = new Map<string, ScopeValues>();
    for (const [id, m] of c.centers) centers.set(id, new ScopeValues(this.names, m, this.definition));
    this.values.push({
      index: rep.index,
      seed: rep.seed,
      events: rep.events,
      endTime: rep.endTime,
      partial: rep.partial,
      platform: new ScopeValues(this.names, c.platform, this.definition),
      centers,
      serviceLevels: c.serviceLevels.map((sl) => {
        const byDef = {} as Record<ServiceLevelDefinition, number>;
        for (const def of SERVICE_LEVEL_DEFINITIONS) byDef[def] = ratioValue(serviceLevelRatio(c.counters, sl, def));
        return byDef;
      }),
    });
  }

  /** The replications added, in the order they were. */
  get replications(): readonly ReplicationValues[] {
    return this.values;
  }

  /** Every replication added, merged in the order they were added. */
  get collector(): MetricsCollector {
    if (!this.merged) throw new Error('no replication has been pooled');
    return this.merged;
  }

  /** Frees the pooled collector's histograms. */
  destroy(): void {
    this.merged?.destroy();
    this.merged = undefined;
  }
}
