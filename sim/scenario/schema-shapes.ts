// The composite fields of the schema DSL: maps with known keys (and rules across them),
// lists, maps with the user's keys, fixed words and alternatives chosen by the shape of
// the node. Unknown keys are reported at the key, with the nearest allowed one.

import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
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
    readonly maxItems = Infinity,
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
    if (this.minItems === this.maxItems) return `a list of exactly ${this.minItems}`;
    if (this.maxItems < Infinity) return `a list of ${this.minItems} to ${this.maxItems}`;
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
    if (all.length < this.minItems || all.length > this.maxItems) {
      const count = (n: number): string => `${n} item${n === 1 ? '' : 's'}`;
      const message =
        this.minItems === this.maxItems
          ? `\`${cur.label}\` has ${count(all.length)}, not ${this.minItems}`
          : all.length < this.minItems
            ? `\`${cur.label}\` needs at least ${count(this.minItems)}`
            : `\`${cur.label}\` has more than ${count(this.maxItems)}`;
      cur.issue(message, { expected: this.expected });
      ok = false;
    }
    const partial = all.map((v) => (v === INVALID ? undefined : v));
    for (const rule of this.rules) if (!rule(partial, cur)) ok = false;
    return ok ? (partial as T[]) : INVALID;
  }
  protected schema(defs: JsonDefs): JsonObject {
    const list: JsonObject = { type: 'array', items: this.item.json(defs) };
    if (this.minItems > 0) list['minItems'] = this.minItems;
    if (this.maxItems < Infinity) list['maxItems'] = this.maxItems;
    return this.single ? { anyOf: [this.item.json(defs), list] } : list;
  }
}

/** One entry of a free-keyed map, with where its key stands. */
export interface Entry<T> {
  readonly key: string;
  readonly keyCur: Cursor;
  readonly value: T;
}

/**
 * How the keys of a free-keyed map are read: the key as the format knows it, or what is
 * wrong with it. YAML gives `1:` as a number; a rule may accept it by its written text.
 */
export interface KeyRule {
  read(key: Scalar, written: string | undefined): { readonly key: string } | { readonly problem: string; readonly hint?: string | undefined };
  /** What a key is, for messages: `a key \`0\`-\`9\`, \`*\` or \`#\``. */
  readonly expected?: string;
  /** JSON Schema of the keys (`propertyNames`). */
  readonly schema?: JsonObject;
}

/** Any non-empty string. */
function anyStringKey(keyDoc: string): KeyRule {
  return {
    read: (key) => (typeof key.value === 'string' && key.value !== '' ? { key: key.value } : { problem: `a key must be a ${keyDoc}` }),
  };
}

/** A map whose keys are the user's (e.g. metric names in `sla`); keys are checked by `map` or a KeyRule. */
export class RecordField<T> extends Field<Entry<T>[]> {
  readonly keys: KeyRule;
  constructor(
    doc: string,
    /** What a key is, for the docs: `metric name`. */
    readonly keyDoc: string,
    readonly value: Field<T>,
    keys?: KeyRule,
  ) {
    super(doc);
    this.keys = keys ?? anyStringKey(keyDoc);
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
    const seen = new Map<string, unknown>();
    let ok = true;
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key)) {
        cur.issue(`a key must be a ${this.keyDoc}`, { expected: this.keys.expected, pos: cur.child('?', key ?? pair.value).pos });
        ok = false;
        continue;
      }
      const read = this.keys.read(key, cur.ctx.sources.written(key));
      if (!('key' in read)) {
        cur.issue(read.problem, { expected: this.keys.expected, hint: read.hint, pos: cur.child('?', key).pos });
        ok = false;
        continue;
      }
      const name = read.key;
      const raw = key.value;
      if (seen.has(name)) {
        // Equal scalars are the YAML parser's duplicate; `1` and `"1"` differ in YAML but not here.
        if (seen.get(name) !== raw) {
          cur.child(name, pair.value, key).issue(`the key \`${name}\` is given twice`, {
            expected: 'each key once',
            pos: cur.ctx.sources.pos(key) ?? cur.pos,
          });
          ok = false;
        }
        continue;
      }
      seen.set(name, raw);
      const child = cur.child(name, pair.value, key);
      const value = this.value.check(child);
      if (value === INVALID) ok = false;
      else out.push({ key: name, keyCur: new Cursor(cur.ctx, key, child.path, name, key, child.keyPos), value });
    }
    return ok ? out : INVALID;
  }
  protected schema(defs: JsonDefs): JsonObject {
    const out: JsonObject = { type: 'object', additionalProperties: this.value.json(defs) };
    if (this.keys.schema) out['propertyNames'] = this.keys.schema;
    return out;
  }
}

/**
 * A one-key map naming the kind of a value, with the kind's parameters under it
 * (`{ queue: { center: caller } }`), or a bare word that stands for a value (`hangup`).
 */
export class TaggedField<T> extends Field<T> {
  constructor(
    doc: string,
    /** What the value is, for messages: `an action`. */
    readonly noun: string,
    readonly kinds: Readonly<Record<string, Field<T>>>,
    readonly words: Readonly<Record<string, () => T>> = {},
    /** A hint for a word that is not one of `words` (e.g. a menu id written bare). */
    readonly wordHint: (word: string) => string | undefined = () => undefined,
  ) {
    super(doc);
  }
  get expected(): string {
    const words = Object.keys(this.words).map((w) => `\`${w}\``);
    const map = `a map with one key, the kind: ${listNames(Object.keys(this.kinds))}`;
    return words.length ? `${words.join(', ')} or ${map}` : map;
  }
  accepts(node: Node): boolean {
    return isMap(node) || (isScalar(node) && typeof node.value === 'string');
  }
  protected read(node: Node, cur: Cursor): Checked<T> {
    const names = new Set([...Object.keys(this.words), ...Object.keys(this.kinds)]);
    if (isScalar(node) && typeof node.value === 'string') {
      const word = node.value;
      if (Object.hasOwn(this.words, word)) return this.words[word]!();
      cur.issue(`\`${word}\` is not ${this.noun}`, { expected: this.expected, hint: didYouMean(word, names) ?? this.wordHint(word) });
      return INVALID;
    }
    if (!isMap(node)) return this.wrongShape(node, cur);
    const first = node.items[0];
    if (!first) {
      cur.issue(`${this.noun} needs its kind`, { expected: this.expected });
      return INVALID;
    }
    const second = node.items[1];
    if (second) {
      cur.issue(`${this.noun} has exactly one key, its kind`, { expected: this.expected, pos: cur.ctx.sources.pos(second.key as Node) ?? cur.pos });
      return INVALID;
    }
    const key = first.key;
    const name = isScalar(key) && typeof key.value === 'string' ? key.value : undefined;
    if (name === undefined || !Object.hasOwn(this.kinds, name)) {
      const written = name ?? cur.ctx.sources.written(key as Node) ?? '?';
      const at = cur.child(written, first.value, key);
      at.issue(`unknown kind \`${written}\` of ${this.noun.replace(/^an? /, '')}`, {
        expected: `one of ${listNames(Object.keys(this.kinds))}`,
        hint: didYouMean(written, Object.keys(this.kinds)),
        pos: at.keyPos,
      });
      return INVALID;
    }
    return this.kinds[name]!.check(cur.child(name, first.value, key));
  }
  protected schema(defs: JsonDefs): JsonObject {
    return {
      anyOf: [
        ...Object.keys(this.words).map((w): JsonObject => ({ const: w })),
        ...Object.entries(this.kinds).map(([name, kind]): JsonObject => ({
          type: 'object',
          properties: { [name]: kind.json(defs) },
          required: [name],
          additionalProperties: false,
        })),
      ],
    };
  }
}

/**
 * A field described once under a name and used in several places, or inside itself (a
 * condition under `not`): the JSON Schema refers to it in `$defs`, the docs give it one
 * table, and it is made on first use so that it can refer to itself.
 */
export class NamedField<T> extends Field<T> {
  private made: Field<T> | undefined;
  constructor(
    doc: string,
    readonly name: string,
    private readonly make: () => Field<T>,
  ) {
    super(doc);
  }
  get target(): Field<T> {
    return (this.made ??= this.make());
  }
  get expected(): string {
    return this.target.expected;
  }
  accepts(node: Node): boolean {
    return this.target.accepts(node);
  }
  protected read(node: Node, cur: Cursor): Checked<T> {
    return this.target.check(new Cursor(cur.ctx, node, cur.path, cur.segment, cur.keyNode, cur.pos));
  }
  protected schema(defs: JsonDefs): JsonObject {
    return defs.ref(this.name, () => this.target.json(defs));
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

export function list<T>(doc: string, item: Field<T>, options: { min?: number; max?: number; single?: boolean } = {}): ListField<T> {
  return new ListField(doc, item, options.min ?? 0, options.single ?? false, options.max ?? Infinity);
}

export function record<T>(doc: string, keyDoc: string, value: Field<T>, keys?: KeyRule): RecordField<T> {
  return new RecordField(doc, keyDoc, value, keys);
}

export function tagged<T>(
  doc: string,
  noun: string,
  kinds: Readonly<Record<string, Field<T>>>,
  words: Readonly<Record<string, () => T>> = {},
  wordHint?: (word: string) => string | undefined,
): TaggedField<T> {
  return new TaggedField(doc, noun, kinds, words, wordHint);
}

/** `make` is called on first use; the same name must always make the same field. */
export function named<T>(name: string, make: () => Field<T>, doc = ''): NamedField<T> {
  return new NamedField(doc, name, make);
}

export function literal<T>(word: string, value: T, doc = ''): LiteralField<T> {
  return new LiteralField(doc, word, value);
}

export function either<T>(doc: string, alternatives: readonly Field<T>[]): EitherField<T> {
  return new EitherField(doc, alternatives);
}
