// The leaves of the scenario format: durations and rates in the units people write, whole
// numbers and numbers with bounds, names and ids, fixed choices, instants, times of day
// and time zones. Each reads one YAML scalar and says precisely what it wanted instead.

import { isScalar, type Node } from 'yaml';
import { INVALID, type Checked, type Cursor } from './cursor.js';
import { Field, type JsonDefs, type JsonObject } from './schema-dsl.js';
import { didYouMean } from './suggest.js';
import { DURATION_EXPECTED, parseDuration, parseRate, RATE_EXPECTED } from './units.js';

type Primitive = string | number | boolean | null;

abstract class ScalarField<T> extends Field<T> {
  accepts(node: Node): boolean {
    return isScalar(node);
  }
  protected read(node: Node, cur: Cursor): Checked<T> {
    if (!isScalar(node)) return this.wrongShape(node, cur);
    const v = node.value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && v !== null) {
      return this.wrongShape(node, cur);
    }
    return this.parse(v, node, cur);
  }
  protected abstract parse(value: Primitive, node: Node, cur: Cursor): Checked<T>;
}

/** Bounds of a number, and how they read: `>= 0`, `> 0`, `from 0 to 1`. */
export interface Bounds {
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  readonly max?: number;
}

function boundsText(b: Bounds): string {
  if (b.min !== undefined && b.max !== undefined) return ` from ${b.min} to ${b.max}`;
  const parts: string[] = [];
  if (b.above !== undefined) parts.push(`> ${b.above}`);
  else if (b.min !== undefined) parts.push(`>= ${b.min}`);
  if (b.max !== undefined) parts.push(`<= ${b.max}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

function withinBounds(x: number, b: Bounds): boolean {
  return (b.min === undefined || x >= b.min) && (b.above === undefined || x > b.above) && (b.max === undefined || x <= b.max);
}

function boundsJson(b: Bounds): JsonObject {
  const out: JsonObject = {};
  if (b.min !== undefined) out['minimum'] = b.min;
  if (b.above !== undefined) out['exclusiveMinimum'] = b.above;
  if (b.max !== undefined) out['maximum'] = b.max;
  return out;
}

export class NumberField extends ScalarField<number> {
  constructor(
    doc: string,
    readonly bounds: Bounds,
    readonly whole: boolean,
  ) {
    super(doc);
  }
  get expected(): string {
    return `${this.whole ? 'a whole number' : 'a number'}${boundsText(this.bounds)}`;
  }
  protected parse(v: Primitive, node: Node, cur: Cursor): Checked<number> {
    if (typeof v !== 'number' || Number.isNaN(v) || (this.whole && Number.isFinite(v) && !Number.isInteger(v))) {
      return this.wrongShape(node, cur, stringHint(v));
    }
    // A number written too large to hold (1e400), or for a whole number too large to hold
    // exactly (20 digits: every seed would be the same as a neighbour's), is out of range,
    // not "not a whole number": it is one, just not one this field takes.
    const unsafe = this.whole && Math.abs(v) > Number.MAX_SAFE_INTEGER;
    if (!Number.isFinite(v) || unsafe || !withinBounds(v, this.bounds)) {
      const expected = unsafe && (this.bounds.max === undefined || this.bounds.max > Number.MAX_SAFE_INTEGER)
        ? `a whole number from ${this.bounds.min ?? -Number.MAX_SAFE_INTEGER} to 2^53-1 (${Number.MAX_SAFE_INTEGER})`
        : this.expected;
      cur.issue(`\`${cur.ctx.sources.written(node) ?? v}\` is out of range`, { expected });
      return INVALID;
    }
    return v;
  }
  protected schema(): JsonObject {
    return { type: this.whole ? 'integer' : 'number', ...boundsJson(this.bounds) };
  }
}

function stringHint(v: Primitive): string | undefined {
  return typeof v === 'string' && /^\s*-?\d/.test(v) ? 'write the number without quotes or units' : undefined;
}

const NUMBER = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
/** Matches exactly what `parseDuration` accepts as text. */
export const DURATION_PATTERN = String.raw`^\s*(?:${NUMBER}(?:[eE][+-]?\d+)?|(?=\S)(?:${NUMBER}w)?(?:${NUMBER}d)?(?:${NUMBER}h)?(?:${NUMBER}m)?(?:${NUMBER}s)?(?:${NUMBER}ms)?)\s*$`;
/** Matches what `parseRate` accepts as text (save a zero period such as `5/0s`). */
export const RATE_PATTERN = String.raw`^\s*${NUMBER}\s*(?:/\s*(?:ms|s|m|h|d|w|${NUMBER}(?:[eE][+-]?\d+)?|(?=\S)(?:${NUMBER}w)?(?:${NUMBER}d)?(?:${NUMBER}h)?(?:${NUMBER}m)?(?:${NUMBER}s)?(?:${NUMBER}ms)?)\s*)?$`;

/** The JSON Schema of a duration, shared through `$defs`. */
export function durationRef(defs: JsonDefs): JsonObject {
  return defs.ref('duration', (): JsonObject => ({
    description: `${DURATION_EXPECTED}; a bare number is seconds`,
    anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }],
  }));
}

/** Seconds, written `90s`, `15m`, `1h30m` or as a bare number of seconds. */
export class DurationField extends ScalarField<number> {
  constructor(
    doc: string,
    readonly bounds: Bounds,
  ) {
    super(doc);
  }
  get expected(): string {
    return `a duration${boundsText(this.bounds)}`;
  }
  protected parse(v: Primitive, node: Node, cur: Cursor): Checked<number> {
    const seconds = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
    if (seconds === undefined || !Number.isFinite(seconds)) {
      const written = cur.ctx.sources.written(node) ?? String(v);
      cur.issue(`\`${written}\` is not a duration`, { expected: DURATION_EXPECTED });
      return INVALID;
    }
    if (!withinBounds(seconds, this.bounds)) {
      cur.issue(`\`${cur.ctx.sources.written(node) ?? v}\` is out of range`, { expected: this.expected });
      return INVALID;
    }
    return seconds;
  }
  protected schema(defs: JsonDefs): JsonObject {
    return durationRef(defs);
  }
}

/** Per second, written `1/s`, `120/h`, `100/30m` or as a bare number per second. */
export class RateField extends ScalarField<number> {
  get expected(): string {
    return 'a rate';
  }
  protected parse(v: Primitive, node: Node, cur: Cursor): Checked<number> {
    const perSecond = typeof v === 'string' || typeof v === 'number' ? parseRate(v) : undefined;
    if (perSecond === undefined || !Number.isFinite(perSecond)) {
      cur.issue(`\`${cur.ctx.sources.written(node) ?? String(v)}\` is not a rate`, { expected: RATE_EXPECTED });
      return INVALID;
    }
    return perSecond;
  }
  protected schema(defs: JsonDefs): JsonObject {
    return defs.ref('rate', (): JsonObject => ({
      description: `${RATE_EXPECTED}; a bare number is per second`,
      anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: RATE_PATTERN }],
    }));
  }
}

export interface StringRules {
  /** What the text must look like, with how to say it: `[a-z0-9_-]+`. */
  readonly pattern?: { readonly re: RegExp; readonly says: string };
  /** A further check; returns what is wrong, or undefined. */
  readonly check?: (text: string) => string | undefined;
  /** Names to suggest from when the text is wrong. */
  readonly known?: () => Iterable<string>;
  /** What a right value is, when more than `a string`. */
  readonly expected?: string;
  readonly format?: string;
}

export class StringField extends ScalarField<string> {
  constructor(
    doc: string,
    readonly rules: StringRules = {},
  ) {
    super(doc);
  }
  get expected(): string {
    if (this.rules.expected) return this.rules.expected;
    return this.rules.pattern ? `a string of ${this.rules.pattern.says}` : 'a string';
  }
  protected parse(v: Primitive, node: Node, cur: Cursor): Checked<string> {
    if (typeof v !== 'string') {
      const written = cur.ctx.sources.written(node) ?? String(v);
      const hint = typeof v === 'number' ? `quote it: "${written}"` : undefined;
      cur.issue(`\`${written}\` is not a string`, { expected: this.expected, hint });
      return INVALID;
    }
    const { pattern, check, known } = this.rules;
    const wrong = pattern && !pattern.re.test(v) ? `\`${v}\` is not allowed here` : check?.(v);
    if (wrong !== undefined) {
      cur.issue(wrong, { expected: this.expected, hint: known ? didYouMean(v, known()) : undefined });
      return INVALID;
    }
    return v;
  }
  protected schema(): JsonObject {
    const out: JsonObject = { type: 'string' };
    if (this.rules.pattern) out['pattern'] = this.rules.pattern.re.source;
    if (this.rules.format) out['format'] = this.rules.format;
    return out;
  }
}

export class EnumField<T extends string> extends ScalarField<T> {
  constructor(
    doc: string,
    readonly values: readonly T[],
  ) {
    super(doc);
  }
  get expected(): string {
    return this.values.length === 1 ? `\`${this.values[0]}\`` : `one of ${this.values.map((v) => `\`${v}\``).join(', ')}`;
  }
  protected parse(v: Primitive, node: Node, cur: Cursor): Checked<T> {
    if (typeof v === 'string' && (this.values as readonly string[]).includes(v)) return v as T;
    return this.wrongShape(node, cur, typeof v === 'string' ? didYouMean(v, this.values) : undefined);
  }
  protected schema(): JsonObject {
    return { enum: [...this.values] };
  }
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/** What is wrong with an ISO 8601 instant, or undefined when it is one. */
export function instantProblem(text: string): string | undefined {
  const m = INSTANT.exec(text);
  if (!m) return `\`${text}\` is not an ISO 8601 instant with an offset`;
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!));
  const realDay = date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d;
  if (!realDay || h! > 23 || mi! > 59 || s! > 59 || oh! > 23 || om! > 59) return `\`${text}\` is not a real date and time`;
  return undefined;
}

/** `HH:MM` or `HH:MM:SS` after local midnight, in seconds. */
export function timeOfDaySeconds(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return h < 24 && mi < 60 && s < 60 ? h * 3600 + mi * 60 + s : undefined;
}

export class TimeOfDayField extends ScalarField<number> {
  constructor(
    doc: string,
    /** Whether `24:00` (the end of the day, 86400 s) is allowed, for the end of a span. */
    readonly endOfDay = false,
  ) {
    super(doc);
  }
  get expected(): string {
    return `a time of day \`HH:MM\` or \`HH:MM:SS\`${this.endOfDay ? ', or `24:00`' : ''}`;
  }
  protected parse(v: Primitive, node: Node, cur: Cursor): Checked<number> {
    const seconds = typeof v !== 'string' ? undefined : this.endOfDay && /^24:00(:00)?$/.test(v) ? 86400 : timeOfDaySeconds(v);
    if (seconds === undefined) {
      const hint = typeof v === 'number' ? 'quote it: "08:00"' : undefined;
      return this.wrongShape(node, cur, hint);
    }
    return seconds;
  }
  protected schema(): JsonObject {
    const day = '([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?';
    return { type: 'string', pattern: this.endOfDay ? `^(${day}|24:00(:00)?)$` : `^${day}$` };
  }
}

/** `true` or `false`; YAML 1.2 reads `yes` and `on` as strings, so they are refused with a hint. */
export class BooleanField extends ScalarField<boolean> {
  get expected(): string {
    return '`true` or `false`';
  }
  protected parse(v: Primitive, node: Node, cur: Cursor): Checked<boolean> {
    if (typeof v === 'boolean') return v;
    const word = typeof v === 'string' ? v.toLowerCase() : undefined;
    const hint = word && ['yes', 'on', 'y', 'no', 'off', 'n'].includes(word) ? `write \`${['yes', 'on', 'y'].includes(word)}\`` : undefined;
    return this.wrongShape(node, cur, hint);
  }
  protected schema(): JsonObject {
    return { type: 'boolean' };
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Day of a leap year, 0 (`01-01`) to 365 (`12-31`), of a `MM-DD` text; undefined when it is no day. */
export function monthDayIndex(text: string): number | undefined {
  const m = /^(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  return DAYS_IN_MONTH.slice(0, month - 1).reduce((a, b) => a + b, 0) + day - 1;
}

/** `MM-DD` of a day of a leap year (the inverse of `monthDayIndex`). */
export function monthDayText(index: number): string {
  let month = 0;
  let day = index;
  while (day >= DAYS_IN_MONTH[month]!) day -= DAYS_IN_MONTH[month++]!;
  return `${String(month + 1).padStart(2, '0')}-${String(day + 1).padStart(2, '0')}`;
}

/** What is wrong with a `YYYY-MM-DD` date, or undefined when it is a real one. */
export function dateProblem(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return `\`${text}\` is not a date \`YYYY-MM-DD\``;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return real ? undefined : `\`${text}\` is not a real date`;
}

const knownZones = new Map<string, boolean>();

export function isTimeZone(name: string): boolean {
  let known = knownZones.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    // Asking Intl is slow; the answers are few and never change.
    if (knownZones.size < 1000) knownZones.set(name, known);
  }
  return known;
}

export function duration(doc: string, bounds: Bounds = { min: 0 }): DurationField {
  return new DurationField(doc, bounds);
}
export function rate(doc: string): RateField {
  return new RateField(doc);
}
export function whole(doc: string, bounds: Bounds = { min: 0 }): NumberField {
  return new NumberField(doc, bounds, true);
}
export function num(doc: string, bounds: Bounds = { min: 0 }): NumberField {
  return new NumberField(doc, bounds, false);
}
export function str(doc: string, rules?: StringRules): StringField {
  return new StringField(doc, rules);
}
export function oneOf<T extends string>(doc: string, values: readonly T[]): EnumField<T> {
  return new EnumField(doc, values);
}
export function instant(doc: string): StringField {
  return new StringField(doc, {
    check: instantProblem,
    expected: 'an ISO 8601 instant with an offset, e.g. `2026-07-06T00:00:00+08:00`',
    format: 'date-time',
  });
}
export function timeOfDay(doc: string, options: { endOfDay?: boolean } = {}): TimeOfDayField {
  return new TimeOfDayField(doc, options.endOfDay ?? false);
}
export function bool(doc: string): BooleanField {
  return new BooleanField(doc);
}
/** A day of the year, `MM-DD` (`02-29` included). */
export function monthDay(doc: string): StringField {
  return new StringField(doc, {
    check: (text) => (monthDayIndex(text) === undefined ? `\`${text}\` is not a day of the year` : undefined),
    expected: 'a day of the year `MM-DD`, e.g. `"05-01"`',
  });
}
/** A calendar date, `YYYY-MM-DD`. */
export function date(doc: string): StringField {
  return new StringField(doc, { check: dateProblem, expected: 'a date `YYYY-MM-DD`, e.g. `"2026-10-01"`', format: 'date' });
}
export function timeZone(doc: string): StringField {
  return new StringField(doc, {
    check: (name) => (isTimeZone(name) ? undefined : `\`${name}\` is not a time zone Intl knows`),
    known: () => Intl.supportedValuesOf('timeZone'),
    expected: 'an IANA time zone such as `Asia/Shanghai`',
  });
}
