// One trial of a staffing search: simulate the scenario with a given head count per center,
// with replications, and judge every SLA for the platform and for each center on its own
// calls. A trial passes when every SLA holds everywhere, judged on the replications pooled
// (as `callsim run --replications N` judges them). Each verdict comes with its margin
// (observed − threshold, signed so that a positive margin is room to spare) and a 95 %
// interval of the margin across replications: a margin whose interval straddles 0 is a
// verdict the replications cannot tell from chance.

import type { MetricKind } from '../scenario/metric-names.js';
import { compileSla, thresholdKind, type CompiledSla } from '../scenario/sla-grammar.js';
import type { Scenario } from '../scenario/types.js';
import type { CallMetrics } from './call-metrics.js';
import type { MetricsCollector } from './collector.js';
import { confidenceInterval } from './confidence.js';
import { rates, ratioValue } from './rates.js';
import { PooledReplications } from './pooled-replications.js';
import { simulateOnWorkers, type ReplicationWorkers } from './replication-pool.js';
import { simulate, type Replication } from './simulate.js';
import { evaluateSla, type MetricSource, type SlaResult } from './sla.js';
import { slaServiceLevelThresholds } from './summary.js';
import { withStaffing, type Staffing } from './staffing-scale.js';

/** One SLA judged in one scope (the platform or a center). */
export interface SlaMargin {
  /** The metric as written, e.g. `service_level(20s)`. */
  readonly metric: string;
  readonly expr: string;
  /** The threshold's unit: `duration` (seconds), `rate` (a ratio), `count`. */
  readonly kind: MetricKind;
  /** Pooled over the replications; null with no data. */
  readonly observed: number | null;
  readonly threshold: number;
  /** Signed room to spare: threshold − observed for `<`/`<=`, observed − threshold for `>`/`>=`; null for `==`/`!=` or no data. */
  readonly margin: number | null;
  /** 95 % interval of the margin across replications (absent with one replication). */
  readonly ci95?: { readonly low: number; readonly high: number };
  readonly pass: boolean;
  /** False for a center that saw no data for this metric (it is judged for the platform only). */
  readonly applicable: boolean;
  /** Why it failed, for people. */
  readonly detail?: string;
}

/** The verdicts of one scope. */
export interface ScopeVerdict {
  readonly pass: boolean;
  readonly slas: readonly SlaMargin[];
}

export interface Trial {
  /** 0-based, in the order the search ran them. */
  readonly index: number;
  readonly staffing: Staffing;
  readonly pass: boolean;
  readonly platform: ScopeVerdict;
  readonly centers: Readonly<Record<string, ScopeVerdict>>;
  /** Kernel events fired over the replications (a cost measure). */
  readonly events: number;
}

export interface TrialOptions {
  readonly replications: number;
  /** Worker threads for the replications (1 or absent: in this thread). The verdict is the same for any number. */
  readonly workers?: number;
  /**
   * Worker threads started beforehand and kept for every trial of a search (the caller
   * destroys them). Without it, a trial with `workers` > 1 starts and ends its own, and each
   * new thread loads its modules and warms its JIT up again.
   */
  readonly pool?: ReplicationWorkers;
  /** Stops a trial mid-run (Ctrl-C, or the budget running out); the trial is then discarded. */
  readonly signal?: AbortSignal;
}

/** The metrics of one scope as an SLA reads them (the same keys as summary.json). */
export function metricSource(m: CallMetrics, scenario: Scenario): MetricSource {
  const r = rates(m.counters, m.serviceLevels, scenario.serviceLevel.definition);
  return {
    duration: (key) => {
      const d = m.durations.get(key);
      return d && { count: d.count, mean: d.mean, min: d.min, max: d.max, percentile: (q: number) => d.percentile(q) };
    },
    rate: (key) => {
      const x = r[key];
      return x && { value: ratioValue(x), numerator: x.numerator, denominator: x.denominator };
    },
  };
}

/** Signed room to spare; undefined where the operator has no direction. */
export function signedMargin(sla: CompiledSla, observed: number): number | undefined {
  switch (sla.op) {
    case '<':
    case '<=':
      return sla.threshold - observed;
    case '>':
    case '>=':
      return observed - sla.threshold;
    default:
      return undefined;
  }
}

/** The scenario's SLAs, compiled (they were checked when it loaded). */
export function compiledSlas(scenario: Scenario): CompiledSla[] {
  return scenario.sla.map((s) => compileSla(s.metric, s.expr));
}

/** One replication's observed value of every SLA (null: no data), index s for SLA s. */
type Observed = readonly (number | null)[];

/** One replication's observations, for the platform and per center. */
interface ReplicationObserved {
  readonly platform: Observed;
  readonly centers: Readonly<Record<string, Observed>>;
}

function observe(slas: readonly CompiledSla[], source: MetricSource, defaultT: number): Observed {
  return slas.map((sla) => evaluateSla(sla, source, defaultT).observed);
}

/** Every SLA observed in one replication, for the platform and every center: what judge() needs of it once its collector is gone. */
function observeReplication(scenario: Scenario, slas: readonly CompiledSla[], collector: MetricsCollector): ReplicationObserved {
  const defaultT = scenario.serviceLevel.threshold;
  const centers: Record<string, Observed> = {};
  for (const c of scenario.centers) centers[c.id] = observe(slas, metricSource(collector.center(c.id), scenario), defaultT);
  return { platform: observe(slas, metricSource(collector.platform, scenario), defaultT), centers };
}

function judge(
  slas: readonly CompiledSla[],
  pooled: MetricSource,
  perRep: readonly Observed[],
  defaultT: number,
  scoped: boolean,
): ScopeVerdict {
  const out = slas.map((sla, s): SlaMargin => {
    const r: SlaResult = evaluateSla(sla, pooled, defaultT);
    const margin = r.observed === null ? undefined : signedMargin(sla, r.observed);
    const repMargins = perRep.map((observed) => {
      const o = observed[s] ?? null;
      return o === null ? NaN : (signedMargin(sla, o) ?? NaN);
    });
    const ci = confidenceInterval(repMargins);
    // A center that never saw the metric (no calls queued there) has nothing to hold.
    const applicable = !(scoped && r.observed === null && r.detail === 'no data');
    return {
      metric: r.metric,
      expr: r.expr,
      kind: thresholdKind(sla.metric, sla.aggregate),
      observed: r.observed,
      threshold: r.threshold,
      margin: margin ?? null,
      ...(ci && { ci95: { low: ci.low, high: ci.high } }),
      pass: r.pass || !applicable,
      applicable,
      ...(r.detail !== undefined && { detail: r.detail }),
    };
  });
  return { pass: out.every((s) => s.pass), slas: out };
}

/** Judges pooled replications of a scenario, and what each observed: the platform and every center. */
function judgeReplications(scenario: Scenario, pooled: PooledReplications, observed: readonly ReplicationObserved[]): Omit<Trial, 'index' | 'staffing'> {
  const slas = compiledSlas(scenario);
  const defaultT = scenario.serviceLevel.threshold;
  const merged = pooled.collector;
  const platform = judge(
    slas,
    metricSource(merged.platform, scenario),
    observed.map((o) => o.platform),
    defaultT,
    false,
  );
  const centers: Record<string, ScopeVerdict> = {};
  for (const c of scenario.centers) {
    centers[c.id] = judge(
      slas,
      metricSource(merged.center(c.id), scenario),
      observed.map((o) => o.centers[c.id]!),
      defaultT,
      true,
    );
  }
  const pass = platform.pass && Object.values(centers).every((v) => v.pass);
  return { pass, platform, centers, events: pooled.replications.reduce((a, r) => a + r.events, 0) };
}

/**
 * Simulates `scenario` with `staffing` and judges it. Every trial uses the same replication
 * seeds (common random numbers), so two staffings differ by the staffing, not by luck.
 * Undefined when the signal stopped it before every replication finished.
 */
export async function runTrial(scenario: Scenario, staffing: Staffing, index: number, options: TrialOptions): Promise<Trial | undefined> {
  const staffed = withStaffing(scenario, staffing);
  const simOptions = {
    serviceLevelThresholds: slaServiceLevelThresholds(staffed),
    ...(options.signal && { signal: options.signal }),
  };
  const workers = Math.min(options.workers ?? 1, options.replications);
  const slas = compiledSlas(staffed);
  const pooled = new PooledReplications(staffed.serviceLevel.definition);
  const observed: ReplicationObserved[] = [];
  const fold = (rep: Replication): void => {
    pooled.add(rep);
    observed.push(observeReplication(staffed, slas, rep.collector));
  };
  try {
    if (workers > 1) await simulateOnWorkers(staffed, options.replications, fold, { ...simOptions, workers, ...(options.pool && { pool: options.pool }) });
    else await simulate(staffed, options.replications, fold, simOptions);
    const reps = pooled.replications;
    if (reps.length < options.replications || reps.some((r) => r.partial)) return undefined;
    return { index, staffing, ...judgeReplications(staffed, pooled, observed) };
  } finally {
    pooled.destroy();
  }
}
