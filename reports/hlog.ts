// histograms.hlog: the run's per-call time histograms in the HdrHistogram log format 1.3, as
// HdrHistogram's HistogramLogWriter writes it, so that the standard tools (Java's
// HistogramLogProcessor, HdrHistogram's plotters, hdr-histogram-js's HistogramLogReader) read
// it. One tagged interval line per metric (`Tag=queue_wait`) for the platform, then one per
// metric and center that saw calls (`Tag=center:<id>:queue_wait`). Each line covers the
// measured window of simulated time (warm-up end -> end of arrivals) after the scenario's start.
// Values are integers: microseconds for times, rings for agent_ring_rings (docs/outputs.md).

import hdr from 'hdr-histogram-js';
import { DurationMetric } from '../sim/metrics/duration-metric.js';

/** Histograms by metric name, as MetricsCollector.durations and CallMetrics.durations hold them. */
export type DurationMap = ReadonlyMap<string, DurationMetric>;

/** A MetricsCollector (platform and centers), or just one map of histograms. */
export type HistogramSource = DurationMap | { readonly durations: DurationMap; readonly centers?: ReadonlyMap<string, { readonly durations: DurationMap }> };

export interface HistogramLogOptions {
  /** The scenario's start (ISO instant or ms since the epoch): StartTime and BaseTime of the log. */
  readonly startTime: string | number;
  /** Seconds after the start where the measured window begins (the scenario's warm-up). */
  readonly intervalStart: number;
  /** Seconds after the start where it ends (the scenario's duration). */
  readonly intervalEnd: number;
  /** Per-center lines too (default true). */
  readonly centers?: boolean;
  /** Extra comment lines for the header (scenario name, seed, ...). */
  readonly comments?: readonly string[];
}

/** The tag of a center's metric: `center:<id>:<metric>` (commas and blanks, which end a tag, become `_`). */
export function centerTag(center: string, metric: string): string {
  return `center:${center.replace(/[,\s]/g, '_')}:${metric}`;
}

/** Histogram units per unit shown in the Interval_Max column: µs -> s for times, 1 for rings. */
function maxRatio(m: DurationMetric): number {
  return m.scale;
}

/**
 * `m`'s histogram as the log writer reads it, with the largest value recorded, exactly, as
 * its max. A histogram restored from its compressed encoding (a replication run on a worker
 * thread) knows its max only as the top of that value's bucket, and the log must not depend
 * on which thread ran which replication.
 */
function withExactMax(m: DurationMetric): hdr.Histogram {
  // As the histogram holds it: a whole number of units, never -0 (an instant answer is -0 rings).
  const max = m.count > 0 ? Math.max(0, Math.round(m.max * m.scale)) : 0;
  return Object.create(m.histogram, { maxValue: { value: max } }) as hdr.Histogram;
}

const isMap = (s: HistogramSource): s is DurationMap => s instanceof Map;

/**
 * The log text. With several sources (the replications of a run), each metric's histograms
 * are added together first, so every tag has one line covering all replications.
 */
export function histogramLog(sources: HistogramSource | readonly HistogramSource[], options: HistogramLogOptions): string {
  const list: readonly HistogramSource[] = Array.isArray(sources) ? sources : [sources as HistogramSource];
  const startMs = typeof options.startTime === 'number' ? options.startTime : Date.parse(options.startTime);
  if (!Number.isFinite(startMs)) throw new Error(`histogramLog: startTime ${String(options.startTime)} is not an instant`);
  if (!(options.intervalEnd >= options.intervalStart)) throw new Error('histogramLog: intervalEnd is before intervalStart');

  const lines: string[] = [];
  const writer = new hdr.HistogramLogWriter((chunk) => void lines.push(chunk));
  writer.outputLogFormatVersion();
  for (const c of [
    ' callsim per-call histograms. Values are integers: microseconds for times (divide by 1e6 for',
    ' seconds: HistogramLogProcessor\'s default -outputValueUnitRatio 1000000 prints seconds), rings',
    ' for agent_ring_rings (read it with -outputValueUnitRatio 1). Interval_Max is in seconds (rings).',
    ' Timestamps are simulated seconds after StartTime (the scenario\'s start); one interval per tag',
    ' covers the measured window (warm-up end -> end of arrivals), all replications added together.',
    ...(options.comments ?? []).map((x) => ` ${x.replace(/[\r\n]+/g, ' ')}`),
  ]) {
    writer.outputComment(c);
  }
  // The library's outputStartTime ends its line twice; these two lines are Java's own format.
  lines.push(`#[StartTime: ${(startMs / 1000).toFixed(3)} (seconds since epoch), ${new Date(startMs).toISOString()}]\n`);
  lines.push(`#[BaseTime: ${(startMs / 1000).toFixed(3)} (seconds since epoch)]\n`);
  writer.outputLegend();

  const write = (tag: string, maps: readonly (DurationMap | undefined)[], name: string, skipEmpty: boolean): void => {
    const parts = maps.map((m) => m?.get(name)).filter((m): m is DurationMetric => m !== undefined);
    const first = parts[0];
    if (!first) return;
    const merged = parts.length === 1 ? first : new DurationMetric(first.unit);
    try {
      if (merged !== first) for (const p of parts) merged.merge(p);
      if (skipEmpty && merged.count === 0) return;
      const h = merged.histogram;
      const before = h.tag;
      h.tag = tag;
      try {
        writer.outputIntervalHistogram(withExactMax(merged), options.intervalStart, options.intervalEnd, maxRatio(merged));
      } finally {
        h.tag = before;
      }
    } finally {
      if (merged !== first) merged.destroy();
    }
  };

  const platform = list.map((s) => (isMap(s) ? s : s.durations));
  for (const name of namesOf(platform)) write(name, platform, name, false);
  if (options.centers !== false) {
    const ids = new Set<string>();
    for (const s of list) if (!isMap(s)) for (const id of s.centers?.keys() ?? []) ids.add(id);
    for (const id of [...ids].sort()) {
      const maps = list.map((s) => (isMap(s) ? undefined : s.centers?.get(id)?.durations));
      for (const name of namesOf(maps)) write(centerTag(id, name), maps, name, true);
    }
  }
  return lines.join('');
}

/** Metric names in the order the first source lists them, then any others. */
function namesOf(maps: readonly (DurationMap | undefined)[]): string[] {
  const names = new Set<string>();
  for (const m of maps) for (const k of m?.keys() ?? []) names.add(k);
  return [...names];
}
