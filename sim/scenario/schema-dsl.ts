// A small language that describes the scenario format once. A Field knows one key: its
// one-line doc, its default as a user would write it, how to read a YAML node into the
// resolved value (reporting every problem with its place), and its JSON Schema. Maps,
// lists and alternatives are in schema-shapes.ts, the leaves in schema-scalars.ts; the
// format itself in schema.ts; the reference tables in reference-docs.ts.

import { Document, type Node } from 'yaml';
import { checkContext, Cursor, describeNode, INVALID, type Checked } from './cursor.js';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The JSON Schema's shared definitions (`$defs`), filled as fields are emitted. */
export class JsonDefs {
  readonly defs: Record<string, Json> = {};
  ref(name: string, make: () => Json): JsonObject {
    if (!(name in this.defs)) {
      // Claimed before it is made, so that a definition that refers to itself (a condition
      // inside `not`, an action inside `onFailure`) ends in a reference, not a loop.
      this.defs[name] = null;
      this.defs[name] = make();
    }
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

  /** For the docs, when the default as written is too long for a table cell. */
  defaultShown: string | undefined = undefined;

  withDefault(written: unknown, shown?: string): this {
    this.defaultWritten = written;
    this.hasDefault = true;
    this.defaultShown = shown;
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
    const scratch = checkContext(cur.ctx.sources, cur.ctx.defaultName, cur.ctx.readFile);
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
    if (this.hasDefault) return this.defaultShown ?? flowYaml(this.defaultWritten);
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
  override withDefault(written: unknown, shown?: string): this {
    this.inner.withDefault(written, shown);
    return super.withDefault(written, shown);
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
