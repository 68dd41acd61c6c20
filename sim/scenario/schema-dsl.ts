// A small language that describes the scenario format once: maps with known keys, lists,
// free-keyed maps, alternatives and scalar leaves (schema-scalars.ts), each with a one-line
// doc and a default written as a user would write it. From the one description come
// validation with positions, the resolved values with defaults filled in, the JSON Schema
// and the reference tables of docs/scenarios.md.

import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import { checkContext, Cursor, describeNode, INVALID, type Checked } from './cursor.js';
import { didYouMean } from './suggest.js';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The JSON Schema's shared definitions (`$defs`), filled as fields are emitted. */
export class JsonDefs {
  readonly defs: Record<string, Json> = {};
  ref(name: string, make: () => Json): JsonObject {
    if (!(name in this.defs)) this.defs[name] = make();
    return { $ref: `#/$defs/${name}` };
  }
}

export abstract class Field<T> {
  /** The default as a user would write it (`180s`, `none`); used when the key is absent. */
  defaultWritten: unknown = undefined;
  hasDefault = false;
  /** For an optional field whose absence is filled in elsewhere: the docs' words for it. */
  computed: string | undefined = undefined;
  private defaultNode: Node | undefined;

  constructor(readonly doc: string) {}

  /** What a right value looks like, for messages and the docs' type column: `a duration > 0`. */
  abstract get expected(): string;
  /** Whether this field reads nodes of this shape; `either` chooses by it. */
  abstract accepts(node: Node): boolean;
  /** Reads a present, non-null, alias-free node. */
  protected abstract read(node: Node, cur: Cursor): Checked<T>;
  protected abstract schema(defs: JsonDefs): JsonObject;

  withDefault(written: unknown): this {
    this.defaultWritten = written;
    this.hasDefault = true;
    return this;
  }

  /** Absent is fine and resolves to undefined; `computed` says what it means, for the docs. */
  optional(computed: string): Field<T | undefined> {
    this.computed = computed;
    return this;
  }

  /** A field whose value is converted, or checked against its siblings, after reading. */
  map<U>(convert: (value: T, cur: Cursor) => Checked<U>): Field<U> {
    return new MappedField(this, convert);
  }

  check(cur: Cursor): Checked<T> {
    const node = cur.resolve();
    if (node === INVALID) return INVALID;
    if (node === undefined) return this.absent(cur);
    return this.read(node, cur);
  }

  protected absent(cur: Cursor): Checked<T> {
    if (this.hasDefault) return this.defaultValue(cur);
    if (this.computed !== undefined) return undefined as T;
    cur.issue(cur.node ? `\`${cur.label}\` has no value` : `\`${cur.label}\` is required`, { expected: this.expected, pos: cur.keyPos });
    return INVALID;
  }

  /** The default, read by the same code as user input, so that docs and behaviour agree. */
  private defaultValue(cur: Cursor): Checked<T> {
    this.defaultNode ??= new Document().createNode(this.defaultWritten) as Node;
    const scratch = checkContext(cur.ctx.sources, cur.ctx.defaultName);
    const value = this.read(this.defaultNode, new Cursor(scratch, this.defaultNode, cur.path, cur.segment, undefined, cur.pos));
    if (value === INVALID || scratch.issues.length > 0) {
      throw new Error(`schema bug: the default of ${cur.path} is invalid: ${scratch.issues.map((i) => i.message).join('; ')}`);
    }
    return value;
  }

  /** The JSON Schema of this field, with its doc and default. */
  json(defs: JsonDefs): JsonObject {
    const out: JsonObject = { ...this.schema(defs) };
    if (this.doc) out['description'] = this.doc;
    if (this.hasDefault) out['default'] = this.defaultWritten as Json;
    return out;
  }

  /** The default for the docs: as written, or the words of `optional`, or undefined if required. */
  get defaultText(): string | undefined {
    if (this.hasDefault) return flowYaml(this.defaultWritten);
    return this.computed;
  }

  /** The field that describes the format (a mapped field hides its source). */
  unwrap(): Field<unknown> {
    return this;
  }

  protected wrongShape(node: Node, cur: Cursor, hint?: string): typeof INVALID {
    cur.issue(`${describeNode(node, cur.ctx.sources)} is not ${this.expected}`, { expected: this.expected, hint });
    return INVALID;
  }
}

/** YAML flow text of a default, e.g. `{ exponential: { mean: 5m } }`. */
export function flowYaml(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(flowYaml).join(', ')}]`;
  const entries = Object.entries(value as object);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${k}: ${flowYaml(v)}`).join(', ')} }`;
}

class MappedField<T, U> extends Field<U> {
  constructor(
    readonly inner: Field<T>,
    private readonly convert: (value: T, cur: Cursor) => Checked<U>,
  ) {
    super(inner.doc);
  }
  get expected(): string {
    return this.inner.expected;
  }
  override get defaultText(): string | undefined {
    return this.inner.defaultText;
  }
  accepts(node: Node): boolean {
    return this.inner.accepts(node);
  }
  // Defaults and optionality belong to the source field, which is what reads absent keys.
  override withDefault(written: unknown): this {
    this.inner.withDefault(written);
    return super.withDefault(written);
  }
  override optional(computed: string): Field<U | undefined> {
    this.inner.optional(computed);
    return super.optional(computed);
  }
  override check(cur: Cursor): Checked<U> {
    const value = this.inner.check(cur);
    return value === INVALID ? INVALID : this.convert(value, cur);
  }
  protected read(): Checked<U> {
    throw new Error('unreachable: a mapped field checks through its inner field');
  }
  protected schema(defs: JsonDefs): JsonObject {
    return this.inner.json(defs);
  }
  override json(defs: JsonDefs): JsonObject {
    return this.inner.json(defs);
  }
  override unwrap(): Field<unknown> {
    return this.inner.unwrap();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a shape holds fields of any value type
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
          hint: didYouMean(name, allowed),
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
    if (!isSeq(node)) {
      if (!this.single || !this.item.accepts(node)) return this.wrongShape(node, cur);
      const one = this.item.check(cur);
      return one === INVALID ? INVALID : [one];
    }
    const all = node.items.map((item, i) => this.item.check(cur.child(i, item)));
    let ok = !all.includes(INVALID);
    if (node.items.length < this.minItems) {
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
    // A wrong value here could have been any alternative: say so, not only the chosen one.
    for (let i = before; i < cur.ctx.issues.length; i++) {
      const issue = cur.ctx.issues[i]!;
      if (issue.path === cur.path) {
        cur.ctx.issues[i] = { ...issue, expected: this.expected, ...(hint && !issue.hint ? { hint } : {}) };
      }
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
