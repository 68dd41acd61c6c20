// SLA expressions, k6-style: `sla: { queue_wait: ["p(95) <= 20s"], connect_rate: [">= 95%"] }`.
// They are compiled when the scenario loads, so a typo is exit 2 with a column to look at,
// never a threshold that is quietly skipped at the end of a long run.
//
// Grammar (also in docs/sla.md); whitespace is allowed between any two tokens:
//
//   expr      = [ aggregate ] op value
//   aggregate = "avg" | "mean" | "min" | "max" | "med" | "count" | "p" "(" number ")" | "rate"
//   op        = "<" | "<=" | ">" | ">=" | "==" | "!="
//   value     = number [ unit ]
//   number    = digit { digit } [ "." digit { digit } ] | "." digit { digit }
//   unit      = duration-unit { number duration-unit }   (* largest first: 1h30m, 1m30s, 250ms *)
//             | "%"
//   duration-unit = "ms" | "s" | "m" | "h" | "d" | "w"
//
// What the metric's kind allows (sim/scenario/metric-names.ts):
//   duration  an aggregate is required; `rate` is not one; the value is a duration (bare = seconds),
//             except after `count`, which takes a plain number of observations;
//   count     an aggregate is required (not `rate`); the value is a plain number;
//   rate      no aggregate or `rate`; the value is a ratio in [0, 1] or a percentage in [0, 100] %;
//   p(q)      needs 0 < q <= 100.

import { composeMessage, MetricNameError, parseMetricName, quote } from './metric-names.js';
import { closestNames } from './suggest.js';
import type { MetricKind, MetricRef } from './metric-names.js';
import { DURATION_EXPECTED, formatDuration, parseDuration } from './units.js';

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
export const OPS: readonly Op[] = ['<', '<=', '>', '>=', '==', '!='];

/** `mean` compiles to `avg`; a rate metric's (absent) aggregate compiles to `rate`. */
export type Aggregate =
  | { readonly kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' }
  | { readonly kind: 'p'; readonly q: number };

export interface CompiledSla {
  readonly metric: MetricRef;
  /** The metric name as written (the SLA's key). */
  readonly metricText: string;
  readonly aggregate: Aggregate;
  readonly op: Op;
  /** Seconds for durations, a ratio for rates, a plain number for counts and `count`. */
  readonly threshold: number;
  /** The expression as written. */
  readonly text: string;
}

/** A bad metric name or expression; `offset` is 0-based within `input` (== its length at the end). */
export class SlaError extends Error {
  override readonly name = 'SlaError';
  readonly target: 'metric' | 'expr';
  readonly input: string;
  readonly offset: number;
  /** What is wrong, without `expected` and `hint`: `message` = reason; expected X (hint). */
  readonly reason: string;
  // `declare`: absent stays absent (no own property set to undefined).
  declare readonly expected?: string;
  declare readonly hint?: string;
  constructor(e: {
    target: 'metric' | 'expr';
    input: string;
    offset: number;
    reason: string;
    expected?: string | undefined;
    hint?: string | undefined;
  }) {
    super(composeMessage(e.reason, e.expected, e.hint));
    this.target = e.target;
    this.input = e.input;
    this.offset = e.offset;
    this.reason = e.reason;
    if (e.expected !== undefined) this.expected = e.expected;
    if (e.hint !== undefined) this.hint = e.hint;
  }
}

const OPS_EXPECTED = `one of ${OPS.join(', ')}`;
const AGGREGATES_EXPECTED = 'one of avg, mean, min, max, med, count, p(N)';
const RATE_VALUE_EXPECTED = 'a ratio in [0, 1] such as 0.95, or a percentage such as 95%';
const COUNT_VALUE_EXPECTED = 'a plain number such as 3';
const WORDS: Readonly<Record<string, Exclude<Aggregate['kind'], 'p'>>> = {
  avg: 'avg', mean: 'avg', min: 'min', max: 'max', med: 'med', count: 'count', rate: 'rate',
};
const WORD_HINTS: Readonly<Record<string, string>> = {
  average: 'avg', median: 'med', minimum: 'min', maximum: 'max', percentile: 'p(95)', pct: 'p(95)',
};
const COUNTS_WHAT: Readonly<Record<string, string>> = { agent_ring_rings: 'rings' };
const RATE_EXAMPLES: readonly [RegExp, string][] = [[/abandon|block/, '<= 0.05'], [/occupancy/, '<= 0.9'], [/redial/, '<= 0.1']];
const OP_HINTS: Readonly<Record<string, Op>> = { '=<': '<=', '=>': '>=', '=': '==', '<>': '!=', '≤': '<=', '≥': '>=', '≠': '!=' };

/** What the threshold is measured in: a duration, a plain count, or a ratio. */
export function thresholdKind(metric: MetricRef, aggregate: Aggregate): MetricKind {
  if (metric.kind === 'rate') return 'rate';
  return aggregate.kind === 'count' ? 'count' : metric.kind;
}

/** Compiles one SLA; throws SlaError (target `metric` or `expr`) for anything it does not accept. */
export function compileSla(metricText: string, expr: string): CompiledSla {
  let metric: MetricRef;
  try {
    metric = parseMetricName(metricText);
  } catch (e) {
    if (!(e instanceof MetricNameError)) throw e;
    const { offset, reason, expected, hint } = e;
    throw new SlaError({ target: 'metric', input: metricText, offset, reason, expected, hint });
  }
  return { metric, metricText, ...new Parser(expr, metric).parse(), text: expr };
}

const NUMBER = /\d+(?:\.\d+)?|\.\d+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const OP_CHARS = /[<>=!]+/y;
const UNIT = /[A-Za-z%][A-Za-z0-9.%]*/y;

class Parser {
  private at = 0;
  constructor(
    private readonly src: string,
    private readonly metric: MetricRef,
  ) {}

  parse(): { aggregate: Aggregate; op: Op; threshold: number } {
    this.skipWs();
    if (this.at === this.src.length) {
      this.fail(this.at, 'empty SLA expression', this.isRate() ? OPS_EXPECTED : AGGREGATES_EXPECTED, this.example());
    }
    const aggregate = this.aggregate();
    this.skipWs();
    const op = this.op();
    this.skipWs();
    const threshold = this.value(thresholdKind(this.metric, aggregate));
    this.skipWs();
    if (this.at < this.src.length) {
      const rest = this.src.slice(this.at);
      let hint: string | undefined;
      if (/^(&&|\|\||and\b|or\b)/i.test(rest)) hint = 'one condition per string; list several strings for several conditions';
      else if (/^\d/.test(rest)) hint = 'write compound durations without spaces, e.g. `1m30s`';
      this.unexpected(this.at, 'the end of the expression', hint);
    }
    return { aggregate, op, threshold };
  }

  private aggregate(): Aggregate {
    const start = this.at;
    const word = this.match(WORD);
    const { name } = this.metric;
    const expected = this.isRate() ? '`rate` or no aggregate' : AGGREGATES_EXPECTED;
    if (word === undefined) {
      if (this.isRate()) return { kind: 'rate' };
      this.fail(start, `missing aggregate ${this.where(start)}: ${name} is ${this.kindPhrase()}`, expected, this.example());
    }
    let agg: Aggregate;
    const simple = WORDS[word];
    if (word === 'p') agg = { kind: 'p', q: this.percentile() };
    else if (simple !== undefined) agg = { kind: simple };
    else this.fail(start, `unknown aggregate ${quote(word)} ${this.where(start)}`, expected, this.wordHint(word));
    if (this.isRate() !== (agg.kind === 'rate')) {
      const written = this.src.slice(start, this.at);
      const what = this.isRate() ? 'a rate' : this.kindPhrase();
      const reason = `aggregate ${quote(written)} ${this.where(start)} does not apply to ${name}, ${what}`;
      this.fail(start, reason, expected, this.example());
    }
    return agg;
  }

  private wordHint(word: string): string | undefined {
    // `p95`, `p99.9`: the word stops at the dot, so look past it.
    const p = /^p(\d+(?:\.\d+)?)$/.exec(word + (/^\.\d+/.exec(this.src.slice(this.at))?.[0] ?? ''));
    if (p) return `write \`p(${p[1]})\``;
    const near = WORD_HINTS[word.toLowerCase()] ?? closestNames(word, Object.keys(WORDS))[0];
    if (near) return `did you mean \`${near}\`?`;
    if (isMetricName(word)) return `the metric is the SLA's key; the expression is only the condition, ${this.example()}`;
    return undefined;
  }

  /** After `p`: `( number )` with 0 < q <= 100. */
  private percentile(): number {
    const range = 'a percentile q with 0 < q <= 100';
    this.skipWs();
    if (this.src[this.at] !== '(') this.unexpected(this.at, '"(" after p, as in p(95)');
    this.at++;
    this.skipWs();
    const qAt = this.at;
    const text = this.match(NUMBER);
    if (text === undefined) this.unexpected(qAt, `${range}, as in p(95) or p(99.9)`);
    const q = Number(text);
    this.skipWs();
    if (this.src[this.at] !== ')') this.unexpected(this.at, '")"');
    this.at++;
    if (!(q > 0 && q <= 100)) {
      const hint = q === 0 ? 'for the smallest value write `min`' : undefined;
      this.fail(qAt, `percentile ${text} ${this.where(qAt)} is out of range`, range, hint);
    }
    return q;
  }

  private op(): Op {
    const start = this.at;
    const run = this.match(OP_CHARS);
    if (run !== undefined && (OPS as readonly string[]).includes(run)) return run as Op;
    const token = run ?? tokenAt(this.src, start);
    const fix = OP_HINTS[token];
    this.unexpected(start, OPS_EXPECTED, fix ? `did you mean \`${fix}\`?` : undefined, token);
  }

  private value(kind: MetricKind): number {
    const { name } = this.metric;
    const start = this.at;
    const expected = kind === 'duration' ? DURATION_EXPECTED : kind === 'rate' ? RATE_VALUE_EXPECTED : COUNT_VALUE_EXPECTED;
    const num = this.match(NUMBER);
    if (num === undefined) {
      this.unexpected(start, expected, this.src[start] === '-' ? 'thresholds are never negative' : undefined);
    }
    const beforeUnit = this.at;
    this.skipWs();
    const unitAt = this.at;
    const unit = this.match(UNIT);
    if (unit === undefined) this.at = beforeUnit;
    const written = quote(this.src.slice(start, this.at));
    const finite = (v: number): number => {
      if (!Number.isFinite(v)) this.fail(start, `${written} ${this.where(start)} is too large`, expected);
      return v;
    };
    if (kind === 'duration') {
      if (unit === undefined) return finite(Number(num));
      // parseDuration also takes `3e5`; the grammar has no exponents, so a unit must lead.
      const seconds = /^[smhdw]/.test(unit) ? parseDuration(num + unit) : undefined;
      if (seconds === undefined) {
        const hint = unit.includes('%')
          ? `"%" is for rates; ${name} is a duration`
          : 'units are ms, s, m, h, d, w, largest first';
        this.fail(start, `bad duration ${written} ${this.where(start)}`, expected, hint);
      }
      return finite(seconds);
    }
    if (kind === 'count') {
      if (unit !== undefined) {
        const hint = this.metric.kind === 'count'
          ? `${name} counts ${COUNTS_WHAT[name] ?? 'events'}`
          : '`count` is the number of observations';
        this.fail(unitAt, `unexpected unit ${quote(unit)} ${this.where(unitAt)}`, expected, hint);
      }
      return finite(Number(num));
    }
    const n = Number(num);
    if (unit === '%') {
      if (!(n <= 100)) this.fail(start, `${written} ${this.where(start)} is more than 100%`, expected);
      return n / 100;
    }
    if (unit !== undefined) {
      this.fail(unitAt, `unexpected unit ${quote(unit)} ${this.where(unitAt)}: ${name} is a rate`, expected);
    }
    if (!(n <= 1)) {
      const hint = n <= 100 ? `did you mean \`${num}%\`?` : undefined;
      this.fail(start, `${num} ${this.where(start)} is outside [0, 1]`, expected, hint);
    }
    return n;
  }

  private isRate(): boolean {
    return this.metric.kind === 'rate';
  }

  private kindPhrase(): string {
    return this.metric.kind === 'duration' ? 'a duration per call' : this.metric.kind === 'count' ? 'a count per call' : 'a rate';
  }

  /** `e.g. "p(95) <= 20s"`: a valid expression for this metric, for hints. */
  private example(): string {
    const { kind, name } = this.metric;
    let text = kind === 'count' ? 'p(95) <= 3' : 'p(95) <= 20s';
    if (kind === 'rate') text = RATE_EXAMPLES.find(([re]) => re.test(name))?.[1] ?? '>= 0.95';
    return `e.g. ${quote(text)}`;
  }

  /** `at column 7 in "p(95) =< 3"`: columns are 1-based for people; offsets stay 0-based. */
  private where(offset: number): string {
    return `at column ${offset + 1} in ${quote(this.src)}`;
  }

  private skipWs(): void {
    while (this.at < this.src.length && /\s/.test(this.src[this.at]!)) this.at++;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.at;
    const m = re.exec(this.src);
    if (!m) return undefined;
    this.at = re.lastIndex;
    return m[0];
  }

  private unexpected(at: number, expected: string, hint?: string, token?: string): never {
    if (at >= this.src.length) this.fail(at, `unexpected end of expression in ${quote(this.src)}`, expected, hint);
    this.fail(at, `unexpected ${quote(token ?? tokenAt(this.src, at))} ${this.where(at)}`, expected, hint);
  }

  private fail(offset: number, reason: string, expected?: string, hint?: string): never {
    throw new SlaError({ target: 'expr', input: this.src, offset, reason, expected, hint });
  }
}

function isMetricName(word: string): boolean {
  try {
    parseMetricName(word);
    return true;
  } catch {
    return false;
  }
}

/** The token starting at `at`, for "unexpected X": a word/number, a run of operator characters, or one character. */
function tokenAt(src: string, at: number): string {
  const rest = src.slice(at);
  const m = /^(?:[A-Za-z0-9_.%]+|[<>=!]+|[&|]+)/.exec(rest);
  if (m) return m[0].length > 20 ? `${m[0].slice(0, 20)}…` : m[0];
  return [...rest][0] ?? '';
}

/** `p(95)`, `avg`, ... as the grammar writes it. */
export function formatAggregate(aggregate: Aggregate): string {
  return aggregate.kind === 'p' ? `p(${plainDecimal(aggregate.q)})` : aggregate.kind;
}

/** The threshold in the SLA's own terms: `20s`, `1m30s`, `0.95`, `3`. */
export function formatThreshold(sla: Pick<CompiledSla, 'metric' | 'aggregate' | 'threshold'>): string {
  const x = sla.threshold;
  if (thresholdKind(sla.metric, sla.aggregate) !== 'duration') return plainDecimal(x);
  const nice = formatDuration(x);
  // formatDuration rounds for people; fall back to exact seconds when it would change the SLA.
  return parseDuration(nice) === x ? nice : `${plainDecimal(x)}s`;
}

/** A canonical expression that compiles back (under `sla.metric.key`) to the same SLA. */
export function formatSla(sla: Pick<CompiledSla, 'metric' | 'aggregate' | 'op' | 'threshold'>): string {
  const agg = sla.metric.kind === 'rate' ? '' : `${formatAggregate(sla.aggregate)} `;
  return `${agg}${sla.op} ${formatThreshold(sla)}`;
}

/** A number without exponent notation (the grammar has none), exact: `1e-7` -> `0.0000001`. */
export function plainDecimal(x: number): string {
  const s = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', exp] = m;
  const digits = int! + frac;
  const point = int!.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
