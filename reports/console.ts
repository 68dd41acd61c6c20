// The summary a person reads in a terminal: what was simulated, the calls, the per-call
// times, the rates, a compact table per center, an hourly overview of the platform, the
// agent scorecard per group, and one ✓/✗ line per SLA with its observed value. Colour only
// on a TTY and never with NO_COLOR.

import type { IntervalRow } from '../sim/metrics/interval-metrics.js';
import type { Summary } from '../sim/metrics/summary.js';
import { serviceLevelKey } from '../sim/scenario/metric-names.js';
import { formatDuration } from '../sim/scenario/units.js';

export interface ConsoleStyle {
  readonly color: boolean;
}

export function styleFor(stream: NodeJS.WriteStream): ConsoleStyle {
  return { color: Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb' };
}

const paint = (on: boolean, code: number, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  // Agent-seconds and the like: whole units read better than 2.61068e+6.
  if (Math.abs(x) >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  return x.toPrecision(digits);
}

function seconds(x: number, unit: 's' | 'rings'): string {
  if (!Number.isFinite(x)) return '-';
  if (unit === 'rings') return Number.isInteger(x) ? String(x) : x.toFixed(2);
  return x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0);
}

function pct(x: number | null | undefined, digits = 2): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-';
}

/** A number as read back from summary.json, where null stands for NaN. */
const n0 = (x: number | null | undefined): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);
const fixed = (x: number | null | undefined, digits = 1): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-');

function table(rows: string[][], rightAlignFrom = 1): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => (i >= rightAlignFrom ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export function formatConsoleSummary(s: Summary, style: ConsoleStyle): string {
  const out: string[] = [];
  const reps = s.scenario.replications;
  out.push(
    `${s.scenario.name} (${s.scenario.file}): ${s.covered === undefined ? `${formatDuration(s.scenario.duration)} simulated` : `${formatDuration(round3(s.covered))} of its ${formatDuration(s.scenario.duration)} covered`}, seed ${s.scenario.seed}` +
      (reps > 1 ? `, ${reps} replications (95 % intervals across them)` : '') +
      (s.partial ? paint(style.color, 33, '  [PARTIAL: interrupted]') : ''),
  );
  const t = s.totals;
  out.push(
    `calls: ${num(t.offered)} offered, ${num(t.connected)} connected, ${num(t.answered)} answered by agents, ` +
      `${num(t.abandoned)} abandoned, ${num(t.blocked)} blocked, ${num(t.redials)} redials, ${num(t.uniqueCallers)} unique callers`,
  );
  if ((t.stranded ?? 0) > 0) out.push(paint(style.color, 33, `warning: ${num(t.stranded)} callers were still waiting when no agent was left to answer; counted as abandoned`));
  out.push('');
  const rows: string[][] = [['metric', 'count', 'mean', 'p50', 'p90', 'p95', 'p99', 'max', reps > 1 ? 'mean 95% CI' : '']];
  for (const [name, m] of Object.entries(s.metrics)) {
    rows.push([
      `${name}${m.unit === 's' ? ' (s)' : ' (rings)'}`,
      num(m.count),
      seconds(m.mean, m.unit),
      seconds(m.p50, m.unit),
      seconds(m.p90, m.unit),
      seconds(m.p95, m.unit),
      seconds(m.p99, m.unit),
      seconds(m.max, m.unit),
      m.ci95 ? `${seconds(m.ci95.low, m.unit)}..${seconds(m.ci95.high, m.unit)}` : '',
    ]);
  }
  out.push(table(rows));
  out.push('');
  const rateRows: string[][] = [['rate', 'value', 'numerator / denominator', reps > 1 ? '95% CI' : '']];
  for (const [name, r] of Object.entries(s.rates)) {
    const label = name.startsWith('service_level(') ? `${name} [${s.scenario.serviceLevel.definition}]` : name;
    rateRows.push([
      label,
      pct(r.value),
      `${num(r.numerator, 6)} / ${num(r.denominator, 6)}`,
      r.ci95 ? `${pct(r.ci95.low)}..${pct(r.ci95.high)}` : '',
    ]);
  }
  out.push(table(rateRows));
  out.push('');
  const centers = centerTable(s);
  if (centers) out.push(centers, '');
  const overview = intervalOverview(s);
  if (overview) out.push(overview, '');
  const extras = callbackAndRatingLines(s);
  if (extras.length > 0) out.push(...extras, '');
  const card = scorecardTable(s);
  if (card) out.push(card, '');
  if (s.ivr) {
    const ivr = s.ivr;
    out.push(
      `IVR: ${num(ivr.answered)} calls answered, ${num(ivr.selfService)} self-service branches, ` +
        `${num(ivr.voicemails)} voice messages, ${num(ivr.invalidKeys)} invalid keys`,
    );
    out.push(`  visits: ${Object.entries(ivr.visits).map(([menu, n]) => `${menu} ${num(n)}`).join(', ')}`);
    out.push('  most common paths:');
    for (const p of ivr.topPaths.slice(0, 5)) out.push(`    ${pct(p.share).padStart(7)}  ${p.path}`);
    out.push('');
  }
  if (s.slas.length === 0) {
    out.push('SLAs: none in this scenario');
  } else {
    out.push('SLAs:');
    for (const sla of s.slas) {
      const mark = sla.pass ? paint(style.color, 32, '✓') : paint(style.color, 31, '✗');
      const observed = sla.observed === null ? 'no data' : num(sla.observed, 5);
      out.push(`  ${mark} ${sla.metric}: ${sla.expr}   observed ${observed}${sla.detail ? ` (${sla.detail})` : ''}`);
    }
    const failed = s.slas.filter((x) => !x.pass).length;
    out.push(failed === 0 ? paint(style.color, 32, 'all SLAs held') : paint(style.color, 31, `${failed} of ${s.slas.length} SLAs failed`));
  }
  return `${out.join('\n')}\n`;
}

/** One line per center (only when there are several): calls, service level, ASA, abandons, occupancy, dispatch. */
function centerTable(s: Summary): string | undefined {
  const ids = Object.keys(s.centers ?? {});
  if (ids.length < 2) return undefined;
  const sl = serviceLevelKey(s.scenario.serviceLevel.threshold);
  const rows: string[][] = [['center', 'offered', 'answered', 'abandoned', 'blocked', sl.replace('service_level', 'SL'), 'ASA (s)', 'abandon', 'occupancy', 'disp. in', 'disp. out']];
  for (const id of ids) {
    const c = s.centers[id]!;
    const t = c.totals;
    rows.push([
      id,
      num(t.offered),
      num(t.answered),
      num(t.abandoned),
      num(t.blocked),
      pct(c.rates[sl]?.value, 1),
      fixed(c.metrics.speed_of_answer?.mean),
      pct(c.rates.abandon_rate?.value, 1),
      pct(c.rates.occupancy?.value, 1),
      num(t.dispatchedIn),
      num(t.dispatchedOut),
    ]);
  }
  return `per center:\n${table(rows)}`;
}

interface Bucket {
  label: string;
  warmup: boolean;
  seconds: number;
  arrivals: number;
  answered: number;
  abandoned: number;
  blocked: number;
  slNum: number;
  slDen: number;
  waitSum: number;
  queue: number;
  busy: number;
  staffed: number;
}

/** The platform per hour of the run (per day when the run is longer than two days), from the interval rows. */
function intervalOverview(s: Summary): string | undefined {
  const rows: readonly IntervalRow[] = s.intervals?.rows ?? [];
  if (rows.length === 0) return undefined;
  const runSeconds = rows.reduce((a, r) => a + r.length, 0);
  const daily = runSeconds > 2 * 86400;
  const width = Math.max(daily ? 86400 : 3600, s.intervals.length);
  const label = (iso: string): string => (daily ? iso.slice(0, 10) : runSeconds > 86400 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16));
  const buckets: Bucket[] = [];
  for (const r of rows) {
    const k = Math.floor(r.offset / width + 1e-9);
    let b = buckets[k];
    if (!b) {
      b = buckets[k] = { label: label(r.start), warmup: false, seconds: 0, arrivals: 0, answered: 0, abandoned: 0, blocked: 0, slNum: 0, slDen: 0, waitSum: 0, queue: 0, busy: 0, staffed: 0 };
    }
    const f = r.all;
    b.warmup ||= r.warmup;
    b.seconds += r.length;
    b.arrivals += f.arrivals;
    b.answered += f.answered;
    b.abandoned += f.abandoned;
    b.blocked += f.blocked;
    b.slNum += n0(f.serviceLevel.numerator);
    b.slDen += n0(f.serviceLevel.denominator);
    b.waitSum += n0(f.asa) * f.answered;
    b.queue += n0(f.queueLength) * r.length;
    b.busy += n0(f.agentsBusy) * r.length;
    b.staffed += n0(f.agentsStaffed) * r.length;
  }
  const out: string[][] = [[daily ? 'day' : 'hour', 'arrivals', 'answered', 'abandoned', 'blocked', 'SL', 'ASA (s)', 'queue', 'busy', 'staffed', 'occupancy']];
  let warm = false;
  for (const b of buckets) {
    if (!b) continue;
    warm ||= b.warmup;
    out.push([
      `${b.label}${b.warmup ? '*' : ''}`,
      num(b.arrivals),
      num(b.answered),
      num(b.abandoned),
      num(b.blocked),
      pct(ratio(b.slNum, b.slDen), 1),
      fixed(ratio(b.waitSum, b.answered)),
      fixed(ratio(b.queue, b.seconds)),
      fixed(ratio(b.busy, b.seconds)),
      fixed(ratio(b.staffed, b.seconds)),
      pct(ratio(b.busy, b.staffed), 1),
    ]);
  }
  const reps = s.scenario.replications;
  const notes = [
    `SL and ASA by queue entry; queue, busy and staffed are time averages${reps > 1 ? ` per replication; counts are summed over ${reps} replications` : ''}`,
    ...(warm ? ['* includes warm-up (not in the totals)'] : []),
  ];
  return `platform per ${daily ? 'day' : 'hour'} (${notes.join('; ')}):\n${table(out)}`;
}

function callbackAndRatingLines(s: Summary): string[] {
  const out: string[] = [];
  const t = s.totals;
  if (n0(t.callbacksClosed) > 0) {
    const d = s.metrics.callback_delay;
    out.push(
      `callbacks: ${num(t.callbacksClosed)} closed (${num(t.callbacksPromised)} promised on calls), ` +
        `${pct(s.rates.callback_reach_rate?.value, 1)} reached, ${pct(s.rates.callback_on_time_rate?.value, 1)} on time` +
        (d && d.count > 0 ? `; delay mean ${formatDuration(Math.round(d.mean))}, p90 ${formatDuration(Math.round(d.p90))}` : ''),
    );
  }
  if (s.ratings) {
    out.push(`ratings: ${num(s.ratings.rated)} rated, mean ${fixed(s.ratings.mean, 2)}, ${pct(s.rates.satisfaction?.value, 1)} satisfied (4-5)`);
  }
  return out;
}

/** The scorecard per agent group (per agent is in summary.json). */
function scorecardTable(s: Summary): string | undefined {
  const card = s.scorecard;
  if (!card || card.groups.length === 0) return undefined;
  const rows: string[][] = [['group', 'agents', 'answered', `<= ${card.ringLimit} rings`, 'holds > limit', 'wrap-ups > limit', 'occupancy', 'rang out', 'rating']];
  for (const g of card.groups) {
    rows.push([
      `${g.center}/${g.group}`,
      num(g.agents),
      num(g.answered),
      pct(g.ringLimitShare, 1),
      num(g.holdViolations),
      `${num(g.wrapUpViolations)} (> ${typeof g.wrapUpLimit === 'number' && Number.isFinite(g.wrapUpLimit) ? formatDuration(g.wrapUpLimit) : 'none'})`,
      pct(g.occupancy, 1),
      num(g.ringNoAnswers),
      fixed(g.meanRating, 2),
    ]);
  }
  return `agent scorecard (seed 001), per group:\n${table(rows)}`;
}

/** Seconds to the millisecond, for a span that ended when someone stopped it. */
function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
