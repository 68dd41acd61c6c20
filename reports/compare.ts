// `callsim compare BASE CANDIDATE`: two runs' summary.json side by side, metric by metric,
// for a CI job that must fail when a release candidate makes the hotline worse. A change is a
// regression when it goes the bad way for callers (the DIRECTIONS table), by more than the
// allowance, and is statistically significant, or its significance cannot be judged (a gate
// fails closed). An SLA that held in the base and fails in the candidate is a regression too.
// The statistics are in docs/outputs.md ("callsim compare").

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tQuantile975 } from '../sim/metrics/confidence.js';
import type { ConsoleStyle } from './console.js';
import { jsonSyntaxError } from './json-error.js';

/** Which way is better for callers and the service. Neutral figures are shown, never a regression. */
export type Direction = 'higher' | 'lower' | 'neutral';

/**
 * The direction of every metric and rate in summary.json. `service_level(T)` of any T is higher
 * = better. A name not listed (a metric added later) is neutral until someone decides.
 */
export const DIRECTIONS: Readonly<Record<string, Direction>> = {
  // per-call times
  ivr_answer: 'lower',
  post_dial_delay: 'lower',
  queue_wait: 'lower',
  speed_of_answer: 'lower',
  agent_ring: 'lower',
  agent_ring_rings: 'lower',
  callback_delay: 'lower',
  ivr_time: 'neutral', // longer can mean more self-service
  time_to_abandon: 'neutral', // longer means more patient callers, not a better service
  talk: 'neutral', // the agents' handle time is an input, not an outcome
  hold: 'neutral',
  wrap_up: 'neutral',
  call_duration: 'neutral',
  // rates
  connect_rate: 'higher',
  agent_answer_rate: 'higher',
  abandon_rate: 'lower',
  block_rate: 'lower',
  service_level: 'higher',
  occupancy: 'neutral', // higher is cheaper and slower: a trade-off, not a verdict
  redial_rate: 'lower',
  unique_caller_connect_rate: 'higher',
  unique_caller_agent_answer_rate: 'higher',
  unique_caller_abandon_rate: 'lower',
  unique_caller_block_rate: 'lower',
  ivr_containment_rate: 'neutral',
  ivr_invalid_rate: 'lower',
  ivr_queue_rate: 'neutral',
  ivr_transfer_rate: 'neutral',
  ivr_hangup_rate: 'neutral', // includes callers who got their answer and hung up
  hold_violation_rate: 'lower',
  wrap_up_violation_rate: 'lower',
  silent_call_rate: 'neutral',
  satisfaction: 'higher',
  callback_reach_rate: 'higher',
  callback_on_time_rate: 'higher',
};

/** Rates whose numerator and denominator are times, not counts: no binomial test applies. */
const TIME_RATIOS: ReadonlySet<string> = new Set(['occupancy']);

/** The per-call time statistics compared. */
export const DURATION_STATISTICS = ['mean', 'p95'] as const;
export type DurationStatistic = (typeof DURATION_STATISTICS)[number];

/** Two-sided 95 %. */
const Z975 = 1.959964;

export function directionOf(name: string): Direction {
  return DIRECTIONS[name.replace(/\(.*$/, '')] ?? 'neutral';
}

// ---------------------------------------------------------------------------------------
// summary.json as read back (NaN and Infinity were written as null)

export interface Ci95In {
  readonly low: number;
  readonly high: number;
  readonly stderr: number;
}

export interface DurationIn {
  readonly unit: 's' | 'rings';
  readonly count: number;
  readonly mean: number | null;
  readonly p95: number | null;
  /** Standard deviation of the observations, when the summary carries it. */
  readonly sd?: number | null;
  readonly ci95?: Ci95In;
}

export interface RateIn {
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
  readonly ci95?: Ci95In;
}

export interface SlaIn {
  readonly metric: string;
  readonly expr: string;
  readonly observed: number | null;
  readonly pass: boolean;
}

/** What compare reads of a summary.json. */
export interface ComparableSummary {
  /** The file it was read from. */
  readonly file: string;
  readonly scenario: { readonly name: string; readonly seed: number; readonly replications: number };
  readonly metrics: Readonly<Record<string, DurationIn>>;
  readonly rates: Readonly<Record<string, RateIn>>;
  readonly slas: readonly SlaIn[];
  readonly partial: boolean;
}

/** A summary file that is missing, unreadable or not a callsim summary.json (bin/ makes it exit 2). */
export class SummaryInputError extends Error {
  override readonly name = 'SummaryInputError';
}

/** Reads a summary.json, or the summary.json inside a folder (an `--out DIR`). */
export function readSummary(path: string): ComparableSummary {
  let file = path;
  if (existsSync(path) && statSync(path).isDirectory()) {
    file = join(path, 'summary.json');
    if (!existsSync(file)) throw new SummaryInputError(`${path}: no summary.json in this folder (is it a \`callsim run --out\` folder?)`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SummaryInputError(code === 'ENOENT' ? `${file}: no such file or folder` : `${file}: cannot read it (${code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // JSON.parse says "at position 14", or nowhere at all: say line and column, as an editor does
    const at = jsonSyntaxError(text);
    if (at !== undefined) throw new SummaryInputError(`${file}:${at.line}:${at.column}: not valid JSON: ${at.message}`);
    throw new SummaryInputError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return checkSummary(json, file);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const numOrNull = (x: unknown): number | null => (isNum(x) ? x : null);

function checkSummary(json: unknown, file: string): ComparableSummary {
  const bad = (what: string): SummaryInputError => new SummaryInputError(`${file}: not a callsim summary.json (${what})`);
  if (!isObject(json)) throw bad('expected a JSON object');
  const format = isObject(json.callsim) ? json.callsim.summaryFormat : undefined;
  if (format === undefined) throw bad('no callsim.summaryFormat');
  if (format !== 1) throw new SummaryInputError(`${file}: summary format ${String(format)} is not one this callsim reads (1)`);
  const sc = json.scenario;
  if (!isObject(sc)) throw bad('no scenario');
  if (!isObject(json.metrics)) throw bad('no metrics');
  if (!isObject(json.rates)) throw bad('no rates');
  if (!Array.isArray(json.slas)) throw bad('no slas');
  const metrics: Record<string, DurationIn> = {};
  for (const [name, m] of Object.entries(json.metrics)) {
    if (!isObject(m) || !isNum(m.count)) throw bad(`metrics.${name} has no count`);
    metrics[name] = {
      unit: m.unit === 'rings' ? 'rings' : 's',
      count: m.count,
      mean: numOrNull(m.mean),
      p95: numOrNull(m.p95),
      ...('sd' in m && { sd: numOrNull(m.sd) }),
      ...(ci(m.ci95) && { ci95: ci(m.ci95)! }),
    };
  }
  const rates: Record<string, RateIn> = {};
  for (const [name, r] of Object.entries(json.rates)) {
    if (!isObject(r) || !isNum(r.numerator) || !isNum(r.denominator)) throw bad(`rates.${name} has no numerator and denominator`);
    rates[name] = {
      value: numOrNull(r.value),
      numerator: r.numerator,
      denominator: r.denominator,
      ...(ci(r.ci95) && { ci95: ci(r.ci95)! }),
    };
  }
  const slas: SlaIn[] = json.slas.map((s: unknown, i: number) => {
    if (!isObject(s) || typeof s.metric !== 'string' || typeof s.expr !== 'string' || typeof s.pass !== 'boolean') throw bad(`slas[${i}] is not { metric, expr, pass }`);
    return { metric: s.metric, expr: s.expr, observed: numOrNull(s.observed), pass: s.pass };
  });
  return {
    file,
    scenario: {
      name: typeof sc.name === 'string' ? sc.name : '',
      seed: isNum(sc.seed) ? sc.seed : NaN,
      replications: isNum(sc.replications) ? sc.replications : 1,
    },
    metrics,
    rates,
    slas,
    partial: json.partial === true,
  };
}

function ci(x: unknown): Ci95In | undefined {
  return isObject(x) && isNum(x.low) && isNum(x.high) && isNum(x.stderr) ? { low: x.low, high: x.high, stderr: x.stderr } : undefined;
}

// ---------------------------------------------------------------------------------------
// Comparing

/** How significance was judged: Welch's t across replications, z on per-call means (needs `sd`), two-proportion z on counts, or not at all. */
export type Test = 'welch-t' | 'z-means' | 'two-proportion-z' | 'none';

export interface ComparisonRow {
  /** `queue_wait mean`, `queue_wait p95`, `abandon_rate`. */
  readonly label: string;
  readonly metric: string;
  readonly statistic: DurationStatistic | 'value';
  readonly unit: 's' | 'rings' | 'ratio';
  readonly direction: Direction;
  readonly base: number | null;
  readonly candidate: number | null;
  /** candidate - base. */
  readonly delta: number | null;
  /** delta / |base|; ±Infinity from a base of 0. */
  readonly relative: number | null;
  readonly test: Test;
  /** The t or z statistic, when a test ran. */
  readonly statisticValue: number | null;
  /** null when it could not be judged. */
  readonly significant: boolean | null;
  readonly change: 'better' | 'worse' | 'same' | 'neutral' | 'no data';
  readonly regression: boolean;
}

export interface SlaChange {
  readonly metric: string;
  readonly expr: string;
  readonly base: boolean | null;
  readonly candidate: boolean | null;
  readonly baseObserved: number | null;
  readonly candidateObserved: number | null;
  /** Held in the base, fails in the candidate. */
  readonly regression: boolean;
}

export interface Comparison {
  readonly base: ComparableSummary;
  readonly candidate: ComparableSummary;
  /** The allowance: a worse change must exceed it (relative, 0.05 = 5 %) to be a regression. */
  readonly maxRegression: number;
  readonly rows: readonly ComparisonRow[];
  readonly slas: readonly SlaChange[];
  /** Labels of the regressed rows, then `SLA <metric> <expr>` for SLAs that broke. */
  readonly regressions: readonly string[];
  /** For people: what makes the comparison weaker than it looks. */
  readonly notes: readonly string[];
}

export interface CompareOptions {
  /** Default 0.05. */
  readonly maxRegression?: number;
}

export const DEFAULT_MAX_REGRESSION = 0.05;

export function compareSummaries(base: ComparableSummary, candidate: ComparableSummary, options: CompareOptions = {}): Comparison {
  const maxRegression = options.maxRegression ?? DEFAULT_MAX_REGRESSION;
  const rows: ComparisonRow[] = [];
  for (const name of union(Object.keys(base.metrics), Object.keys(candidate.metrics))) {
    const b = base.metrics[name];
    const c = candidate.metrics[name];
    if ((b?.count ?? 0) === 0 && (c?.count ?? 0) === 0) continue;
    for (const stat of DURATION_STATISTICS) {
      rows.push(durationRow(name, stat, b, c, base.scenario.replications, candidate.scenario.replications, maxRegression));
    }
  }
  for (const name of union(Object.keys(base.rates), Object.keys(candidate.rates))) {
    const b = base.rates[name];
    const c = candidate.rates[name];
    if (!(b?.denominator) && !(c?.denominator)) continue;
    rows.push(rateRow(name, b, c, base.scenario.replications, candidate.scenario.replications, maxRegression));
  }
  const slas = slaChanges(base.slas, candidate.slas);
  const regressions = [
    ...rows.filter((r) => r.regression).map((r) => r.label),
    ...slas.filter((s) => s.regression).map((s) => `SLA ${s.metric} ${s.expr}`),
  ];
  const notes: string[] = [];
  if (base.scenario.name !== candidate.scenario.name) notes.push(`the runs are of different scenarios: "${base.scenario.name}" and "${candidate.scenario.name}"`);
  for (const [what, s] of [['base', base], ['candidate', candidate]] as const) {
    if (s.partial) notes.push(`the ${what} run was interrupted (partial): its figures cover only what ran`);
  }
  const unjudged = rows.filter((r) => r.significant === null && r.change === 'worse' && r.direction !== 'neutral' && Math.abs(r.relative ?? 0) > maxRegression);
  const percentiles = unjudged.filter((r) => r.statistic !== 'mean' && r.statistic !== 'value');
  const others = unjudged.filter((r) => !percentiles.includes(r));
  if (others.length > 0) {
    notes.push(
      `significance could not be judged for ${others.map((r) => r.label).join(', ')}: counted on the allowance alone ` +
        '(run both with --replications 2 or more for intervals)',
    );
  }
  if (percentiles.length > 0) {
    notes.push(`${percentiles.map((r) => r.label).join(', ')}: percentiles carry no spread in summary.json, so they count on the allowance alone`);
  }
  return { base, candidate, maxRegression, rows, slas, regressions, notes };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

interface Judged {
  readonly test: Test;
  readonly statisticValue: number | null;
  readonly significant: boolean | null;
}

const NOT_JUDGED: Judged = { test: 'none', statisticValue: null, significant: null };

function durationRow(
  name: string,
  stat: DurationStatistic,
  b: DurationIn | undefined,
  c: DurationIn | undefined,
  nb: number,
  nc: number,
  maxRegression: number,
): ComparisonRow {
  const bv = b && b.count > 0 ? b[stat] : null;
  const cv = c && c.count > 0 ? c[stat] : null;
  let judged = NOT_JUDGED;
  if (stat === 'mean' && b && c) {
    if (b.ci95 && c.ci95) judged = welch(b.ci95, c.ci95, nb, nc);
    else if (isNum(b.sd) && isNum(c.sd) && b.count > 1 && c.count > 1 && bv !== null && cv !== null) {
      judged = zTest(cv - bv, Math.sqrt(b.sd ** 2 / b.count + c.sd ** 2 / c.count), 'z-means');
    }
  }
  // Percentiles have no spread in summary.json: they are never judged significant or not.
  return row(`${name} ${stat}`, name, stat, (b ?? c)?.unit ?? 's', bv, cv, judged, maxRegression);
}

function rateRow(name: string, b: RateIn | undefined, c: RateIn | undefined, nb: number, nc: number, maxRegression: number): ComparisonRow {
  const bv = b && b.denominator > 0 ? b.value : null;
  const cv = c && c.denominator > 0 ? c.value : null;
  let judged = NOT_JUDGED;
  if (b && c && bv !== null && cv !== null) {
    if (b.ci95 && c.ci95) judged = welch(b.ci95, c.ci95, nb, nc);
    else if (!TIME_RATIOS.has(name)) {
      const pooled = (b.numerator + c.numerator) / (b.denominator + c.denominator);
      judged = zTest(c.numerator / c.denominator - b.numerator / b.denominator, Math.sqrt(pooled * (1 - pooled) * (1 / b.denominator + 1 / c.denominator)), 'two-proportion-z');
    }
  }
  return row(name, name, 'value', 'ratio', bv, cv, judged, maxRegression);
}

/** Welch's t on the replication means (the centers of the intervals) with their standard errors. */
function welch(b: Ci95In, c: Ci95In, nb: number, nc: number): Judged {
  const diff = (c.low + c.high) / 2 - (b.low + b.high) / 2;
  const vb = b.stderr ** 2;
  const vc = c.stderr ** 2;
  const se = Math.sqrt(vb + vc);
  if (se === 0) return { test: 'welch-t', statisticValue: diff === 0 ? 0 : Math.sign(diff) * Infinity, significant: diff !== 0 };
  const df = (vb + vc) ** 2 / ((nb > 1 ? vb ** 2 / (nb - 1) : 0) + (nc > 1 ? vc ** 2 / (nc - 1) : 0));
  const t = diff / se;
  return { test: 'welch-t', statisticValue: t, significant: Math.abs(t) > tQuantile975(Number.isFinite(df) ? Math.max(1, df) : 1e9) };
}

function zTest(diff: number, se: number, test: Test): Judged {
  if (!(se > 0)) return { test, statisticValue: diff === 0 ? 0 : Math.sign(diff) * Infinity, significant: diff !== 0 };
  const z = diff / se;
  return { test, statisticValue: z, significant: Math.abs(z) > Z975 };
}

function row(
  label: string,
  metric: string,
  statistic: ComparisonRow['statistic'],
  unit: ComparisonRow['unit'],
  base: number | null,
  candidate: number | null,
  judged: Judged,
  maxRegression: number,
): ComparisonRow {
  const direction = directionOf(metric);
  if (base === null || candidate === null) {
    return { label, metric, statistic, unit, direction, base, candidate, delta: null, relative: null, ...NOT_JUDGED, change: 'no data', regression: false };
  }
  const delta = candidate - base;
  const relative = base !== 0 ? delta / Math.abs(base) : delta === 0 ? 0 : Math.sign(delta) * Infinity;
  const worse = (direction === 'lower' && delta > 0) || (direction === 'higher' && delta < 0);
  const change = direction === 'neutral' ? 'neutral' : delta === 0 ? 'same' : worse ? 'worse' : 'better';
  const regression = change === 'worse' && Math.abs(relative) > maxRegression && judged.significant !== false;
  return { label, metric, statistic, unit, direction, base, candidate, delta, relative, ...judged, change, regression };
}

function slaChanges(base: readonly SlaIn[], candidate: readonly SlaIn[]): SlaChange[] {
  const key = (s: SlaIn): string => `${s.metric}\u0000${s.expr}`;
  const inBase = new Map(base.map((s) => [key(s), s]));
  const inCandidate = new Map(candidate.map((s) => [key(s), s]));
  return union([...inBase.keys()], [...inCandidate.keys()]).map((k) => {
    const b = inBase.get(k);
    const c = inCandidate.get(k);
    const s = (b ?? c)!;
    return {
      metric: s.metric,
      expr: s.expr,
      base: b ? b.pass : null,
      candidate: c ? c.pass : null,
      baseObserved: b?.observed ?? null,
      candidateObserved: c?.observed ?? null,
      regression: b?.pass === true && c?.pass === false,
    };
  });
}

// ---------------------------------------------------------------------------------------
// Output

/** Colour or not, decided as for the console summary (reports/console.ts styleFor). */
export type CompareStyle = ConsoleStyle;

const paint = (on: boolean, code: number, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 || i === r.length - 1 ? padEnd(cell, widths[i]!) : padStart(cell, widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

// Colour codes do not count towards a column's width.
const visible = (s: string): string => s.replace(/\u001b\[\d+m/g, '');
const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - visible(s).length));
const padStart = (s: string, w: number): string => ' '.repeat(Math.max(0, w - visible(s).length)) + s;

function value(x: number | null, unit: ComparisonRow['unit']): string {
  if (x === null || !Number.isFinite(x)) return '-';
  if (unit === 'ratio') return `${(x * 100).toFixed(2)}%`;
  if (unit === 'rings') return x.toFixed(2);
  const a = Math.abs(x);
  if (a > 0 && a < 0.01) return x.toPrecision(2);
  return a < 10 ? x.toFixed(2) : a < 1000 ? x.toFixed(1) : x.toFixed(0);
}

function delta(x: number | null, unit: ComparisonRow['unit']): string {
  if (x === null || !Number.isFinite(x)) return '-';
  const sign = x > 0 ? '+' : x < 0 ? '-' : '';
  const body = unit === 'ratio' ? `${(Math.abs(x) * 100).toFixed(2)}pp` : value(Math.abs(x), unit);
  return `${sign}${body}`;
}

function relative(x: number | null): string {
  if (x === null) return '-';
  if (!Number.isFinite(x)) return x > 0 ? '+inf' : '-inf';
  return `${x > 0 ? '+' : x < 0 ? '-' : ''}${(Math.abs(x) * 100).toFixed(1)}%`;
}

const pctAllowance = (x: number): string => `${+(x * 100).toPrecision(4)}%`;

function verdict(r: ComparisonRow, allowance: string, color: boolean): string {
  switch (r.change) {
    case 'neutral':
      return '(neutral)';
    case 'no data':
      return 'no data';
    case 'same':
      return '';
    case 'better':
      return paint(color, 32, r.significant === false ? 'better, not significant' : 'better');
    case 'worse':
      if (r.regression) return paint(color, 31, r.significant === null ? 'REGRESSION (not judged)' : 'REGRESSION');
      return r.significant === false ? 'worse, not significant' : `worse, within ${allowance}`;
  }
}

function describe(s: ComparableSummary): string {
  const reps = s.scenario.replications;
  return `${s.file} (${s.scenario.name}, seed ${s.scenario.seed}, ${reps} replication${reps === 1 ? '' : 's'}${s.partial ? ', PARTIAL' : ''})`;
}

/** The comparison as a terminal table, the SLA changes, and the verdict line. */
export function formatComparison(c: Comparison, style: CompareStyle): string {
  const allowance = pctAllowance(c.maxRegression);
  const out: string[] = [`base:      ${describe(c.base)}`, `candidate: ${describe(c.candidate)}`, ''];
  const rows: string[][] = [['metric', 'base', 'candidate', 'delta', 'change', 'sig', 'verdict']];
  for (const r of c.rows) {
    const unit = r.unit === 's' ? ' (s)' : r.unit === 'rings' ? ' (rings)' : '';
    rows.push([
      `${r.label}${unit}`,
      value(r.base, r.unit),
      value(r.candidate, r.unit),
      delta(r.delta, r.unit),
      relative(r.relative),
      r.significant === null ? (r.delta === 0 || r.delta === null ? '' : '?') : r.significant ? 'yes' : 'no',
      verdict(r, allowance, style.color),
    ]);
  }
  out.push(table(rows));
  out.push(
    `sig: significant at 95 % (Welch's t across replications; without them, two-proportion z on counts; ? = cannot be judged); ` +
      `a regression is worse for callers, by more than ${allowance}, and not shown insignificant`,
  );
  const changed = c.slas.filter((s) => s.base !== s.candidate);
  if (c.slas.length > 0) {
    out.push('', changed.length === 0 ? `SLAs: the same ${c.slas.length} verdicts` : 'SLAs whose verdict changed:');
    for (const s of changed) {
      const word = (p: boolean | null): string => (p === null ? 'absent' : p ? 'pass' : 'fail');
      const mark = s.regression ? paint(style.color, 31, '✗') : s.candidate === true ? paint(style.color, 32, '✓') : ' ';
      const obs = (x: number | null): string => (x === null ? 'no data' : `${+x.toPrecision(5)}`);
      out.push(`  ${mark} ${s.metric}: ${s.expr}   ${word(s.base)} -> ${word(s.candidate)}   (observed ${obs(s.baseObserved)} -> ${obs(s.candidateObserved)})`);
    }
  }
  if (c.notes.length > 0) out.push('', ...c.notes.map((n) => `note: ${n}`));
  out.push('');
  out.push(
    c.regressions.length === 0
      ? paint(style.color, 32, `no regression beyond ${allowance}`)
      : paint(style.color, 31, `${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'} beyond ${allowance}: ${c.regressions.join(', ')}`),
  );
  return `${out.join('\n')}\n`;
}

/** The comparison as one JSON document (±Infinity and NaN as null). */
export function comparisonJson(c: Comparison): string {
  const side = (s: ComparableSummary) => ({ file: s.file, scenario: s.scenario, partial: s.partial });
  const doc = {
    base: side(c.base),
    candidate: side(c.candidate),
    maxRegression: c.maxRegression,
    pass: c.regressions.length === 0,
    regressions: c.regressions,
    rows: c.rows,
    slas: c.slas,
    notes: c.notes,
  };
  return `${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
