// The charts of report.html, each built from summary.json alone: calls per interval,
// service level and connect rate per interval against their SLA lines, the percentile
// curves of the waiting times, queue and agents over time per center (small multiples),
// agent occupancy by group and hour (a heatmap) and the IVR's most common paths. Each
// returns a <figure> (an <svg data-chart> and a caption), or a note when there is no data.

import type { IntervalFigures, IntervalRow } from '../sim/metrics/interval-metrics.js';
import type { SlaResult } from '../sim/metrics/sla.js';
import type { PercentilePoint, Summary } from '../sim/metrics/summary.js';
import { serviceLevelKey } from '../sim/scenario/metric-names.js';
import { compileSla, thresholdKind } from '../sim/scenario/sla-grammar.js';
import { avg, count, intervalWord, num, pct, replicationsOf, secs, TimeLabels } from './html-format.js';
import { barChart, esc, heatmap, lineChart, PALETTE, type Band, type LineSeries, type RefLine, type Tick } from './html-svg.js';

const WIDE = 760;
const SMALL = 380;

/** A chart with its caption. */
export function figure(svg: string, caption: string, className = ''): string {
  const cap = caption ? `<figcaption>${esc(caption)}</figcaption>` : '';
  return `<figure class="chart-figure${className ? ` ${className}` : ''}">${svg}${cap}</figure>`;
}

/** Said instead of a chart when the summary has nothing to draw. */
export function noData(text: string): string {
  return `<p class="no-data">${esc(text)}</p>`;
}

/** The threshold kind of an SLA (duration, rate, count), or undefined if it no longer compiles. */
export function slaKind(sla: SlaResult): 'duration' | 'rate' | 'count' | undefined {
  try {
    const compiled = compileSla(sla.metric, sla.expr);
    return thresholdKind(compiled.metric, compiled.aggregate);
  } catch {
    return undefined;
  }
}

/** Dashed lines for the SLAs on `key` whose threshold is in the chart's unit. */
function slaLines(s: Summary, key: string, kind: 'duration' | 'rate'): RefLine[] {
  return (s.slas ?? [])
    .filter((sla) => sla.key === key && Number.isFinite(num(sla.threshold)) && slaKind(sla) === kind)
    .map((sla) => ({
      y: num(sla.threshold),
      label: `SLA ${sla.metric} ${sla.expr}`,
      color: sla.pass ? PALETTE.blue : PALETTE.vermillion,
      dash: '7 4',
    }));
}

function rowsOf(s: Summary): readonly IntervalRow[] {
  return s.intervals?.rows ?? [];
}

function labelsOf(s: Summary): TimeLabels {
  return new TimeLabels(s.intervals?.start || s.scenario.start, num(s.scenario.duration));
}

function warmupBands(s: Summary): Band[] {
  const w = num(s.scenario.warmup);
  return w > 0 ? [{ from: 0, to: w, label: 'warm-up (not in the totals)' }] : [];
}

/** Points at the middle of each interval. */
function perInterval(rows: readonly IntervalRow[], value: (f: IntervalFigures, r: IntervalRow) => number, scope?: string): [number, number][] {
  return rows.map((r) => {
    const f = scope === undefined ? r.all : r.centers?.[scope];
    return [num(r.offset) + num(r.length) / 2, f ? value(f, r) : NaN];
  });
}

function tipsOf(rows: readonly IntervalRow[], labels: TimeLabels, text: (r: IntervalRow) => string): string[] {
  return rows.map((r) => `${labels.span(num(r.offset), num(r.offset) + num(r.length))}: ${text(r)}`);
}

/** Offered, queued, answered, abandoned (and blocked, when any) calls per interval. */
export function volumeChart(s: Summary): string {
  const rows = rowsOf(s);
  if (rows.length === 0) return noData('No per-interval results in this summary.');
  const labels = labelsOf(s);
  const reps = replicationsOf(s);
  const per = reps > 1 ? ' (mean per replication)' : '';
  const word = intervalWord(num(s.intervals.length));
  const field = (name: 'arrivals' | 'queued' | 'answered' | 'abandoned' | 'blocked', title: string, color: string, dash?: string): LineSeries => ({
    name: title,
    color,
    ...(dash && { dash }),
    points: perInterval(rows, (f) => num(f[name]) / reps),
    tips: tipsOf(rows, labels, (r) => `${count(num(r.all[name]) / reps)} ${title}`),
  });
  const series = [
    field('arrivals', 'offered', PALETTE.black),
    field('queued', 'queued for an agent', PALETTE.sky, '5 3'),
    field('answered', 'answered by an agent', PALETTE.blue),
    field('abandoned', 'abandoned in queue', PALETTE.vermillion),
  ];
  if (rows.some((r) => num(r.all.blocked) > 0)) series.push(field('blocked', 'blocked (no trunk)', PALETTE.purple, '2 3'));
  const svg = lineChart({
    id: 'volume',
    title: `Calls per ${word}: offered, answered, abandoned`,
    description: `Calls offered per ${word} (by arrival time) and, of the calls that entered an agent queue in that ${word}, those answered and those abandoned${per}.`,
    width: WIDE,
    xDomain: [0, labels.duration],
    xTicks: labels.ticks(),
    xLabel: labels.axisLabel(),
    bands: warmupBands(s),
    panels: [{ height: 230, series, yLabel: `calls per ${word}${per}`, yFormat: (y) => count(y) }],
  });
  return figure(
    svg,
    `Offered calls are counted by arrival time; queued, answered and abandoned by the time the call entered an agent queue. ` +
      `Calls that end in the IVR (self-service, hang-ups) are offered but never queued.${reps > 1 ? ` Counts are the mean of ${reps} replications.` : ''}`,
  );
}

/** A rate per interval (0..1) against the SLA line and the whole run's value. */
function rateChart(
  s: Summary,
  options: {
    id: string;
    title: string;
    key: string;
    name: string;
    value: (f: IntervalFigures) => number;
    tip: (f: IntervalFigures) => string;
    whole: number;
    caption: string;
  },
): string {
  const rows = rowsOf(s);
  if (rows.length === 0) return noData('No per-interval results in this summary.');
  const labels = labelsOf(s);
  const refLines: RefLine[] = [...slaLines(s, options.key, 'rate')];
  if (Number.isFinite(options.whole)) refLines.push({ y: options.whole, label: `whole run: ${pct(options.whole)}`, color: PALETTE.grey, dash: '2 3' });
  const svg = lineChart({
    id: options.id,
    title: options.title,
    description: `${options.name} per ${intervalWord(num(s.intervals.length))}, from 0 to 100 %, with the SLA threshold as a dashed line.`,
    width: 500,
    xDomain: [0, labels.duration],
    xTicks: labels.ticks(8),
    xLabel: labels.axisLabel(),
    bands: warmupBands(s),
    panels: [
      {
        height: 200,
        yLabel: options.name,
        yFormat: (y) => pct(y, 0),
        yMax: 1,
        refLines,
        series: [
          {
            name: options.name,
            color: PALETTE.green,
            points: perInterval(rows, options.value),
            tips: tipsOf(rows, labels, (r) => options.tip(r.all)),
          },
        ],
      },
    ],
  });
  return figure(svg, options.caption);
}

/** service_level(T) per interval (the scenario's T and definition). */
export function serviceLevelChart(s: Summary): string {
  const t = num(s.intervals?.serviceLevel?.threshold ?? s.scenario.serviceLevel.threshold);
  const def = s.intervals?.serviceLevel?.definition ?? s.scenario.serviceLevel.definition;
  const key = serviceLevelKey(t);
  const word = intervalWord(num(s.intervals?.length));
  return rateChart(s, {
    id: 'service-level',
    title: `Service level per ${word}: ${key}, ${def}`,
    key,
    name: key,
    value: (f) => num(f.serviceLevel?.value),
    tip: (f) => `${pct(f.serviceLevel?.value)} (${count(f.serviceLevel?.numerator)} of ${count(f.serviceLevel?.denominator)})`,
    whole: num(s.rates?.[key]?.value),
    caption:
      `${key} under the '${def}' definition, over the calls that entered an agent queue in each ${word}; ` +
      `a gap means nobody queued in that ${word}. The SLA is judged over the whole run: one ${word} below the line does not by itself fail it.`,
  });
}

/** connect_rate per interval: calls not blocked / calls offered (docs/metrics.md). */
export function connectRateChart(s: Summary): string {
  const word = intervalWord(num(s.intervals?.length));
  const rate = (f: IntervalFigures): number => (num(f.arrivals) > 0 ? (num(f.arrivals) - num(f.blocked)) / num(f.arrivals) : NaN);
  return rateChart(s, {
    id: 'connect-rate',
    title: `Connect rate per ${word}`,
    key: 'connect_rate',
    name: 'connect_rate',
    value: rate,
    tip: (f) => `${pct(rate(f))} (${count(num(f.arrivals) - num(f.blocked))} of ${count(f.arrivals)} offered)`,
    whole: num(s.rates?.connect_rate?.value),
    caption: `Calls the system answered (not refused for lack of trunks) / calls offered, by arrival ${word}; the seeds' 24 h SLA is judged over the whole run.`,
  });
}

/** x position of percentile p on a "nines" scale: 0 %, 90 %, 99 %, 99.9 % evenly apart; the max after 99.99 %. */
export function ninesX(p: number): number {
  if (p >= 100) return 4.6;
  return Math.min(4, -Math.log10(1 - p / 100));
}

const NINES_TICKS: readonly Tick[] = [
  { at: 0, label: '0%' },
  { at: ninesX(90), label: '90%' },
  { at: ninesX(99), label: '99%' },
  { at: ninesX(99.9), label: '99.9%' },
  { at: ninesX(99.99), label: '99.99%' },
  { at: ninesX(100), label: 'max' },
];

/** A metric's percentile curve: summary.json `distributions`, or (older files) min, p50 ... p99, max. */
export function curveOf(s: Summary, metric: string): PercentilePoint[] {
  const d = s.distributions?.[metric];
  if (d && d.length > 0) return d.map((p) => ({ percentile: num(p.percentile), value: num(p.value) }));
  const m = s.metrics?.[metric];
  if (!m || !(num(m.count) > 0)) return [];
  return [
    { percentile: 0, value: num(m.min) },
    { percentile: 50, value: num(m.p50) },
    { percentile: 90, value: num(m.p90) },
    { percentile: 95, value: num(m.p95) },
    { percentile: 99, value: num(m.p99) },
    { percentile: 100, value: num(m.max) },
  ];
}

const CURVE_COLORS: Readonly<Record<string, string>> = {
  queue_wait: PALETTE.orange,
  speed_of_answer: PALETTE.blue,
  agent_ring: PALETTE.purple,
};

/** The percentile distribution of one per-call time, with its SLA lines and its mean. */
export function percentileChart(s: Summary, metric: string, what: string): string {
  const curve = curveOf(s, metric);
  const m = s.metrics?.[metric];
  if (curve.length === 0 || !m) return noData(`${metric}: no calls were measured.`);
  const refLines: RefLine[] = [...slaLines(s, metric, 'duration')];
  if (Number.isFinite(num(m.mean))) refLines.push({ y: num(m.mean), label: `mean ${secs(m.mean)}`, color: PALETTE.grey, dash: '2 3' });
  const svg = lineChart({
    id: `percentiles-${metric}`,
    title: `${metric}: percentile distribution`,
    description: `${what}: seconds at each percentile of ${count(m.count)} calls, the tail spread out (0 %, 90 %, 99 %, 99.9 % evenly apart).`,
    width: 360,
    xDomain: [0, ninesX(100)],
    xTicks: NINES_TICKS,
    xLabel: 'percentile',
    markers: true,
    panels: [
      {
        height: 190,
        yLabel: `${metric} (s)`,
        refLines,
        series: [
          {
            name: metric,
            color: CURVE_COLORS[metric] ?? PALETTE.blue,
            points: curve.map((p) => [ninesX(p.percentile), p.value] as [number, number]),
            tips: curve.map((p) => `${p.percentile >= 100 ? 'max' : p.percentile <= 0 ? 'min' : `p(${p.percentile})`}: ${secs(p.value)}`),
          },
        ],
      },
    ],
  });
  return figure(svg, `${what} (${count(m.count)} calls; HDR histogram, 3 significant digits).`, 'small');
}

/** Agents staffed and busy, and callers waiting, over the run: for the platform (`scope` undefined) or one center. */
export function loadChart(s: Summary, scope: string | undefined): string {
  const rows = rowsOf(s);
  if (rows.length === 0) return noData('No per-interval results in this summary.');
  const labels = labelsOf(s);
  const name = scope ?? 'all centers';
  const tip = (field: 'agentsStaffed' | 'agentsBusy' | 'queueLength', unit: string): string[] =>
    tipsOf(rows, labels, (r) => {
      const f = scope === undefined ? r.all : r.centers?.[scope];
      return `${avg(f?.[field])} ${unit}`;
    });
  const svg = lineChart({
    id: `load-${scope ?? 'all'}`,
    title: `${name}: agents and queue over time`,
    heading: scope === undefined ? 'all centers (the platform)' : scope,
    description: `${name}: time-average agents staffed and busy, and callers waiting for an agent, per ${intervalWord(num(s.intervals.length))}.`,
    width: SMALL,
    xDomain: [0, labels.duration],
    xTicks: labels.ticks(6),
    xLabel: labels.axisLabel(),
    bands: warmupBands(s),
    markers: false,
    panels: [
      {
        height: 110,
        yLabel: 'agents',
        series: [
          { name: 'agents staffed', color: PALETTE.grey, dash: '4 3', points: perInterval(rows, (f) => num(f.agentsStaffed), scope), tips: tip('agentsStaffed', 'agents staffed') },
          { name: 'agents busy', color: PALETTE.blue, points: perInterval(rows, (f) => num(f.agentsBusy), scope), tips: tip('agentsBusy', 'agents busy') },
        ],
      },
      {
        height: 70,
        yLabel: 'waiting',
        series: [{ name: 'callers waiting', color: PALETTE.orange, points: perInterval(rows, (f) => num(f.queueLength), scope), tips: tip('queueLength', 'callers waiting') }],
      },
    ],
  });
  return figure(svg, '', 'small');
}

/** One heatmap row: agent-seconds busy and staffed per interval. */
interface OccupancyRow {
  readonly label: string;
  readonly busy: readonly number[];
  readonly staffed: readonly number[];
}

/** Agent occupancy by group and hour (hours or days for long runs; never finer than the interval). */
export function occupancyChart(s: Summary): string {
  const rows = rowsOf(s);
  if (rows.length === 0) return noData('No per-interval results in this summary.');
  const labels = labelsOf(s);
  const lengths = rows.map((r) => num(r.length));
  const table: OccupancyRow[] = [
    { label: 'all agents', busy: rows.map((r) => num(r.all.agentsBusy)), staffed: rows.map((r) => num(r.all.agentsStaffed)) },
  ];
  const groups = s.groupIntervals;
  const byGroup = groups !== undefined;
  if (groups) {
    for (const [key, g] of Object.entries(groups)) table.push({ label: key, busy: g.agentsBusy.map(num), staffed: g.agentsStaffed.map(num) });
  } else {
    for (const id of Object.keys(s.centers ?? {})) {
      table.push({ label: id, busy: rows.map((r) => num(r.centers?.[id]?.agentsBusy)), staffed: rows.map((r) => num(r.centers?.[id]?.agentsStaffed)) });
    }
  }
  // Buckets of whole intervals: an hour (or the interval, if longer); days past ten days.
  const interval = num(s.intervals.length) > 0 ? num(s.intervals.length) : 3600;
  let bucket = Math.max(interval, 3600);
  if (labels.duration / bucket > 240) bucket = Math.max(interval, 86400);
  const per = Math.max(1, Math.round(bucket / interval));
  const columns: { from: number; to: number; first: number; last: number }[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const last = Math.min(rows.length, i + per) - 1;
    columns.push({ from: num(rows[i]!.offset), to: num(rows[last]!.offset) + num(rows[last]!.length), first: i, last });
  }
  const cells: number[][] = [];
  const tips: string[][] = [];
  for (const row of table) {
    const line: number[] = [];
    const tipLine: string[] = [];
    for (const col of columns) {
      let busy = 0;
      let staffed = 0;
      for (let i = col.first; i <= col.last; i++) {
        const len = lengths[i] ?? 0;
        busy += (Number.isFinite(row.busy[i]) ? row.busy[i]! : 0) * len;
        staffed += (Number.isFinite(row.staffed[i]) ? row.staffed[i]! : 0) * len;
      }
      const occ = staffed > 0 ? busy / staffed : NaN;
      const span = col.to - col.from;
      line.push(occ);
      tipLine.push(
        `${row.label}, ${labels.span(col.from, col.to)}: ` +
          (staffed > 0 ? `occupancy ${pct(occ)} (${avg(busy / span)} busy of ${avg(staffed / span)} staffed agents)` : 'nobody staffed'),
      );
    }
    cells.push(line);
    tips.push(tipLine);
  }
  const columnLabels = columns.map((col) => labels.span(col.from, col.to));
  // The time axis's own ticks, placed at the column edges they fall on.
  const ticks = labels.ticks(12).map((t) => ({ at: t.at / bucket, label: t.label }));
  const word = bucket === 3600 ? 'hour' : intervalWord(bucket);
  const svg = heatmap({
    id: 'occupancy',
    title: `Agent occupancy by ${byGroup ? 'group' : 'center'} and ${word}`,
    description: `Occupancy (work time / staffed time) of each agent ${byGroup ? 'group' : 'center'} in each ${word}; blank where nobody was staffed.`,
    width: WIDE,
    labelWidth: 150,
    rows: table.map((r) => r.label),
    columns: columnLabels,
    ticks,
    cells,
    tips,
    cellLabel: (v) => String(Math.round(v * 100)),
    xLabel: `${labels.axisLabel()}; each cell one ${word}`,
    legendLabel: 'occupancy',
    emptyLabel: 'nobody staffed',
  });
  return figure(
    svg,
    `Occupancy = (talk + hold + wrap-up + callback work) / staffed time of the ${byGroup ? 'group' : 'center'}'s agents, per ${word} (the number in a cell is the percentage). ` +
      (byGroup ? '' : 'This summary.json predates per-group intervals, so centers are shown. ') +
      `Warm-up ${word}s are included.`,
  );
}

/** `welcome main =0 agent` as `welcome › main › [0] › agent`. */
export function prettyPath(path: string): string {
  return path
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => (t.startsWith('=') ? `[${t.slice(1)}]` : t))
    .join(' › ');
}

/** The IVR's most common paths and their share of the calls it answered. */
export function ivrPathsChart(s: Summary): string {
  const ivr = s.ivr;
  if (!ivr || (ivr.topPaths ?? []).length === 0) return noData('This scenario has no IVR (or no call reached it).');
  const svg = barChart({
    id: 'ivr-paths',
    title: 'IVR: the most common paths',
    description: `The ${ivr.topPaths.length} most common paths through the IVR menus (menus entered, [k] = key pressed) and their share of the ${count(ivr.answered)} calls the IVR answered.`,
    width: WIDE,
    labelWidth: 330,
    xLabel: 'share of the calls the IVR answered',
    xFormat: (x) => pct(x, 0),
    color: PALETTE.green,
    bars: ivr.topPaths.map((p) => ({
      label: prettyPath(p.path) || '(hung up before the first menu)',
      value: num(p.share),
      valueLabel: `${pct(p.share)} (${count(p.calls)})`,
      tip: `${p.path}: ${count(p.calls)} calls, ${pct(p.share)}`,
    })),
  });
  return figure(svg, 'Menus entered in order; [k] is the key pressed. A path is counted once per call.');
}
