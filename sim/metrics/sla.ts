// Judging a finished run against its compiled SLAs. The verdict drives the exit code a CI
// job gates on, so it never passes by default: a metric the run did not record, or one
// with no observations, is a failure that says why (docs/sla.md, "No data").

import { metricInfo, serviceLevelKey } from '../scenario/metric-names.js';
import type { CompiledSla, Op } from '../scenario/sla-grammar.js';
import { formatAggregate, formatSla, thresholdKind } from '../scenario/sla-grammar.js';
import { formatDuration } from '../scenario/units.js';

/** A recorded distribution (an HDR histogram): seconds for durations, plain for counts. */
export interface DurationView {
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** The value at percentile q, 0 < q <= 100 (HdrHistogram's getValueAtPercentile). */
  percentile(q: number): number;
}

/** A ratio with its parts; `value` = numerator / denominator when the denominator is > 0. */
export interface RateView {
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number;
}

/**
 * The results an SLA is judged on, keyed as in summary.json (`queue_wait`,
 * `service_level(20s)`), already scoped to what the SLA covers (the run, a center, an interval).
 */
export interface MetricSource {
  duration(key: string): DurationView | undefined;
  rate(key: string): RateView | undefined;
}

export interface SlaResult {
  /** The metric as written in the scenario. */
  readonly metric: string;
  /** The key it was looked up by: bare `service_level` becomes `service_level(<scenario T>)`. */
  readonly key: string;
  /** The expression as written. */
  readonly expr: string;
  /** In the threshold's unit (seconds, ratio, count); null when there was nothing to observe. */
  readonly observed: number | null;
  readonly threshold: number;
  readonly pass: boolean;
  /** Why it failed, for people: `no data`, `p(95) was 23.4s, not <= 20s`, ... */
  readonly detail?: string;
}

/** The summary.json key an SLA reads; `defaultServiceLevelT` (seconds) fills in bare `service_level`. */
export function resolveMetricKey(sla: CompiledSla, defaultServiceLevelT: number): string {
  if (sla.metric.name === 'service_level' && sla.metric.param === undefined) return serviceLevelKey(defaultServiceLevelT);
  return sla.metric.key;
}

export function evaluateSla(sla: CompiledSla, source: MetricSource, defaultServiceLevelT: number): SlaResult {
  const key = resolveMetricKey(sla, defaultServiceLevelT);
  const base = { metric: sla.metricText, key, expr: sla.text, threshold: sla.threshold };
  const fail = (observed: number | null, detail: string): SlaResult => ({ ...base, observed, pass: false, detail });

  let observed: number;
  if (sla.metric.kind === 'rate') {
    const view = source.rate(key);
    if (view === undefined) return fail(null, missing(key));
    if (!(view.denominator > 0)) return fail(null, 'no data');
    observed = view.value;
  } else {
    const view = source.duration(key);
    if (view === undefined) return fail(null, missing(key));
    // `count` is meaningful at zero (`time_to_abandon: ["count == 0"]`); every other
    // aggregate of an empty histogram is not a number, and must not pass as one.
    if (sla.aggregate.kind === 'count') observed = view.count;
    else if (!(view.count > 0)) return fail(null, 'no data');
    else observed = aggregateOf(sla, view);
  }
  if (Number.isNaN(observed)) {
    const what = sla.metric.kind === 'rate' ? key : `${formatAggregate(sla.aggregate)} of ${key}`;
    return fail(null, `${what} is not a number`);
  }
  if (holds(observed, sla.op, sla.threshold)) return { ...base, observed, pass: true };
  const what = sla.metric.kind === 'rate' ? key : `${formatAggregate(sla.aggregate)}`;
  return fail(observed, `${what} was ${formatObserved(sla, observed)}, not ${sla.op} ${formatObserved(sla, sla.threshold)}`);
}

/** Every SLA, in order. */
export function evaluateSlas(slas: readonly CompiledSla[], source: MetricSource, defaultServiceLevelT: number): SlaResult[] {
  return slas.map((s) => evaluateSla(s, source, defaultServiceLevelT));
}

/** True when every result passed (an empty list passes: there was nothing to hold). */
export function allPassed(results: readonly SlaResult[]): boolean {
  return results.every((r) => r.pass);
}

export function holds(observed: number, op: Op, threshold: number): boolean {
  switch (op) {
    case '<':
      return observed < threshold;
    case '<=':
      return observed <= threshold;
    case '>':
      return observed > threshold;
    case '>=':
      return observed >= threshold;
    case '==':
      return observed === threshold;
    case '!=':
      return observed !== threshold;
  }
}

function aggregateOf(sla: CompiledSla, view: DurationView): number {
  const a = sla.aggregate;
  switch (a.kind) {
    case 'avg':
      return view.mean;
    case 'min':
      return view.min;
    case 'max':
      return view.max;
    case 'med':
      return view.percentile(50);
    case 'p':
      return view.percentile(a.q);
    case 'count':
      return view.count;
    case 'rate':
      // The grammar refuses `rate` on durations and counts; reaching here is a bug, not a pass.
      throw new Error(`internal: aggregate rate on ${sla.metric.key} (${formatSla(sla)})`);
  }
}

function missing(key: string): string {
  const known = metricInfo(key.replace(/\(.*$/, ''));
  return known ? `this run recorded no ${key}` : `${key} is not a metric this run records`;
}

/** For people, in the threshold's unit: `23.4s`, `93.1%`, `4`. */
function formatObserved(sla: CompiledSla, x: number): string {
  switch (thresholdKind(sla.metric, sla.aggregate)) {
    case 'duration':
      return formatDuration(x);
    case 'rate':
      return `${+(x * 100).toPrecision(4)}%`;
    case 'count':
      return `${+x.toPrecision(6)}`;
  }
}
