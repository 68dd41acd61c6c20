// The composite fields of the schema DSL: maps with known keys (and rules across them),
// lists, maps with the user's keys, fixed words and alternatives chosen by the shape of
// the node. Unknown keys are reported at the key, with the nearest allowed one.

import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { Cursor, INVALID, type Checked } from './cursor.js';
import { Field, type JsonDefs, type JsonObject } from './schema-dsl.js';
import { didYouMean } from './suggest.js';

// `any`: a shape holds fields of different value types, each inferred by `Resolved`.
export type Shape = Record<string, Field<any>>;
export type ValueOf<F> = F extends Field<infer T> ? T : never;
export type Resolved<S extends Shape> = { [K in keyof S]: ValueOf<S[K]> };

/**
 * A rule across fields; it sees the fields that were valid (so that one bad field does not
 * hide another problem) and returns false when it recorded an issue.
 */
export type Rule<P> = (partial: P, cur: Cursor) => boolean;

export class ObjectField<S extends Shape> extends Field<Resolved<S>> {
  private readonly rules: Rule<Partial<Resolved<S>>>[] = [];

  constructor(
    doc: string,
    readonly shape: S,
  ) {
    super(doc);
  }
  also(rule: Rule<Partial<Resolved<S>>>): this {
    this.rules.push(rule);
    return this;
  }
  get expected(): string {
    return 'a map';
  }
  accepts(node: Node): boolean {
    return isMap(node);
  }
  protected read(node: Node, cur: Cursor): Checked<Resolved<S>> {
    if (!isMap(node)) return this.wrongShape(node, cur);
    const allowed = Object.keys(this.shape);
    const pairs = new Map<string, { key: Node; value: unknown }>();
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
        const at = cur.child('?', isScalar(key) || isMap(key) || isSeq(key) ? key : pair.value);
        cur.issue('a key must be a plain name', { expected: `one of ${listNames(allowed)}`, pos: at.pos });
        continue;
      }
      const name = String(key.value);
      if (pairs.has(name)) continue; // the YAML parser already reported the duplicate
      pairs.set(name, { key, value: pair.value });
      if (!Object.hasOwn(this.shape, name)) {
        cur.child(name, pair.value, key).issue(`unknown key \`${name}\``, {
          expected: `one of ${listNames(allowed)}`,
          hint: name === '<<' ? 'merge keys are not supported; use an alias for the whole value' : didYouMean(name, allowed),
          pos: cur.ctx.sources.pos(key) ?? cur.pos,
        });
      }
    }
    const out: Record<string, unknown> = {};
    let ok = true;
    for (const [name, field] of Object.entries(this.shape)) {
      const pair = pairs.get(name);
      const value: unknown = field.check(cur.child(name, pair?.value, pair?.key));
      if (value === INVALID) ok = false;
      else out[name] = value;
    }
    for (const rule of this.rules) if (!rule(out as Partial<Resolved<S>>, cur)) ok = false;
    return ok ? (out as Resolved<S>) : INVALID;
  }
  protected schema(defs: JsonDefs): JsonObject {
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const [name, field] of Object.entries(this.shape)) {
      properties[name] = field.json(defs);
      if (!field.hasDefault && field.computed === undefined) required.push(name);
    }
    const out: JsonObject = { type: 'object', properties, additionalProperties: false };
    if (required.length > 0) out['required'] = required;
    return out;
  }
}

export function listNames(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

export class ListField<T> extends Field<T[]> {
  private readonly rules: Rule<readonly (T | undefined)[]>[] = [];

  constructor(
    doc: string,
    readonly item: Field<T>,
    readonly minItems = 0,
    /** Whether a lone item may stand for a list of one (`sla: { x: ">= 1" }`). */
    readonly single = false,
  ) {
    super(doc);
  }
  /** A rule across items; invalid items are undefined. */
  also(rule: Rule<readonly (T | undefined)[]>): this {
    this.rules.push(rule);
    return this;
  }
  get expected(): string {
    if (this.single) return `${this.item.expected} or a list of them`;
    return this.minItems > 0 ? `a list of at least ${this.minItems}` : 'a list';
  }
  accepts(node: Node): boolean {
    return isSeq(node) || (this.single && this.item.accepts(node));
  }
  protected read(node: Node, cur: Cursor): Checked<T[]> {
    let all: Checked<T>[];
    if (isSeq(node)) all = node.items.map((item, i) => this.item.check(cur.child(i, item)));
    else if (this.single && this.item.accepts(node)) all = [this.item.check(cur)];
    else return this.wrongShape(node, cur);
    let ok = !all.includes(INVALID);
    if (all.length < this.minItems) {
      cur.issue(`\`${cur.label}\` needs at least ${this.minItems} item${this.minItems === 1 ? '' : 's'}`, { expected: this.expected });
      ok = false;
    }
    const partial = all.map((v) => (v === INVALID ? undefined : v));
    for (const rule of this.rules) if (!rule(partial, cur)) ok = false;
    return ok ? (partial as T[]) : INVALID;
  }
  protected schema(defs: JsonDefs): JsonObject {
    const list: JsonObject = { type: 'array', items: this.item.json(defs) };
    if (this.minItems > 0) list['minItems'] = this.minItems;
    return this.single ? { anyOf: [this.item.json(defs), list] } : list;
  }
}

/** One entry of a free-keyed map, with where its key stands. */
export interface Entry<T> {
  readonly key: string;
  readonly keyCur: Cursor;
  readonly value: T;
}

/** A map whose keys are the user's (e.g. metric names in `sla`); keys are checked by `map`. */
export class RecordField<T> extends Field<Entry<T>[]> {
  constructor(
    doc: string,
    /** What a key is, for the docs: `metric name`. */
    readonly keyDoc: string,
    readonly value: Field<T>,
  ) {
    super(doc);
  }
  get expected(): string {
    return `a map from ${this.keyDoc} to ${this.value.expected}`;
  }
  accepts(node: Node): boolean {
    return isMap(node);
  }
  protected read(node: Node, cur: Cursor): Checked<Entry<T>[]> {
    if (!isMap(node)) return this.wrongShape(node, cur);
    const out: Entry<T>[] = [];
    const seen = new Set<string>();
    let ok = true;
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'string' || key.value === '') {
        cur.issue(`a key must be a ${this.keyDoc}`, { pos: cur.child('?', key ?? pair.value).pos });
        ok = false;
        continue;
      }
      if (seen.has(key.value)) continue; // the YAML parser already reported the duplicate
      seen.add(key.value);
      const child = cur.child(key.value, pair.value, key);
      const value = this.value.check(child);
      if (value === INVALID) ok = false;
      else out.push({ key: key.value, keyCur: new Cursor(cur.ctx, key, child.path, key.value, key, child.keyPos), value });
    }
    return ok ? out : INVALID;
  }
  protected schema(defs: JsonDefs): JsonObject {
    return { type: 'object', additionalProperties: this.value.json(defs) };
  }
}

/** A fixed word that stands for a value: `none` for null, `unlimited` for Infinity. */
export class LiteralField<T> extends Field<T> {
  constructor(
    doc: string,
    readonly word: string,
    readonly value: T,
  ) {
    super(doc);
  }
  get expected(): string {
    return `\`${this.word}\``;
  }
  accepts(node: Node): boolean {
    return isScalar(node) && node.value === this.word;
  }
  protected read(node: Node, cur: Cursor): Checked<T> {
    return this.accepts(node) ? this.value : this.wrongShape(node, cur);
  }
  protected schema(): JsonObject {
    return { const: this.word };
  }
}

/** One of several fields, chosen by the shape of the node (see `Field.accepts`). */
export class EitherField<T> extends Field<T> {
  constructor(
    doc: string,
    readonly alternatives: readonly Field<T>[],
  ) {
    super(doc);
  }
  get expected(): string {
    const all = this.alternatives.map((a) => a.expected);
    return all.length <= 2 ? all.join(' or ') : `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
  }
  accepts(node: Node): boolean {
    return this.alternatives.some((a) => a.accepts(node));
  }
  protected read(node: Node, cur: Cursor): Checked<T> {
    const words = this.alternatives.flatMap((a) => (a instanceof LiteralField ? [a.word] : []));
    const hint = isScalar(node) && typeof node.value === 'string' ? didYouMean(node.value, words) : undefined;
    const chosen = this.alternatives.find((a) => a.accepts(node));
    if (!chosen) return this.wrongShape(node, cur, hint);
    const before = cur.ctx.issues.length;
    const value = chosen.check(new Cursor(cur.ctx, node, cur.path, cur.segment, cur.keyNode, cur.pos));
    // A value of the wrong kind here could have been any alternative: say so, not only
    // the chosen one (more precise expectations, like a duration's syntax, stay).
    for (let i = before; i < cur.ctx.issues.length; i++) {
      const issue = cur.ctx.issues[i]!;
      if (issue.path !== cur.path) continue;
      const expected = issue.expected === chosen.expected ? this.expected : issue.expected;
      cur.ctx.issues[i] = { ...issue, ...(expected ? { expected } : {}), ...(hint && !issue.hint ? { hint } : {}) };
    }
    return value;
  }
  protected schema(defs: JsonDefs): JsonObject {
    return { anyOf: this.alternatives.map((a) => a.json(defs)) };
  }
}

export function obj<S extends Shape>(doc: string, shape: S): ObjectField<S> {
  return new ObjectField(doc, shape);
}

export function list<T>(doc: string, item: Field<T>, options: { min?: number; single?: boolean } = {}): ListField<T> {
  return new ListField(doc, item, options.min ?? 0, options.single ?? false);
}

export function record<T>(doc: string, keyDoc: string, value: Field<T>): RecordField<T> {
  return new RecordField(doc, keyDoc, value);
}

export function literal<T>(word: string, value: T, doc = ''): LiteralField<T> {
  return new LiteralField(doc, word, value);
}

export function either<T>(doc: string, alternatives: readonly Field<T>[]): EitherField<T> {
  return new EitherField(doc, alternatives);
}
