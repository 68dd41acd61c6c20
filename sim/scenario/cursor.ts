// Walking a YAML document against the schema: where the walk stands (the node, its path,
// a position to fall back on when the node has none) and every issue found so far. The
// walk never stops at the first problem; it collects them all.

import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ScenarioIssue, SourcePos } from './errors.js';
import { isYamlNode, type Sources } from './positions.js';
import { readUtf8File } from './source-text.js';

/** What a check returns when the value was wrong (the issue is already recorded). */
export const INVALID: unique symbol = Symbol('invalid');
export type Checked<T> = T | typeof INVALID;

/** Alias expansions allowed in one document: enough for any real reuse, not for a bomb. */
const ALIAS_BUDGET = 10_000;

/**
 * A name that must exist elsewhere in the document (a menu, a center, with `routing:
 * skills` a skill for a queue), and where it stands.
 */
export interface Reference {
  readonly kind: 'menu' | 'center' | 'queue';
  readonly name: string;
  readonly cur: Cursor;
}

/** Reads a file that the scenario names (a menu file); throws as `readFileSync` does, or NotUtf8Error. */
export type ReadFile = (path: string) => string;

export interface CheckContext {
  readonly sources: Sources;
  readonly issues: ScenarioIssue[];
  /** The scenario's name when it has none: the file's base name. */
  readonly defaultName: string;
  /**
   * Names read so far that must refer to something defined elsewhere; checked once the
   * whole of what they may refer to has been read, even when other parts were wrong.
   */
  readonly references: Reference[];
  /** Names defined so far, by kind (`menu`: the IVR's menu ids as written), for references from elsewhere. */
  readonly defined: Map<Reference['kind'], readonly string[]>;
  readonly readFile: ReadFile;
  aliasesLeft: number;
}

export function checkContext(sources: Sources, defaultName: string, readFile: ReadFile = readUtf8File): CheckContext {
  return { sources, issues: [], defaultName, references: [], defined: new Map(), readFile, aliasesLeft: ALIAS_BUDGET };
}

export interface IssueDetail {
  readonly expected?: string | undefined;
  readonly hint?: string | undefined;
  /** Where, when not at the cursor's node (e.g. a character inside it). */
  readonly pos?: SourcePos | undefined;
}

export class Cursor {
  constructor(
    readonly ctx: CheckContext,
    /** The node here; undefined when the key is absent. May be an alias or a null scalar. */
    readonly node: Node | undefined,
    readonly path: string,
    /** The key or index that led here; undefined at the document. */
    readonly segment: string | number | undefined,
    /** The key node of the pair that led here, if any. */
    readonly keyNode: Node | undefined,
    private readonly fallback: SourcePos,
  ) {}

  static root(ctx: CheckContext, node: Node | undefined): Cursor {
    const start: SourcePos = { file: ctx.sources.main.file, line: 1, column: 1 };
    return new Cursor(ctx, node, '', undefined, undefined, ctx.sources.pos(node) ?? start);
  }

  /** Where the node stands; for an absent one, its key, else its parent. */
  get pos(): SourcePos {
    return this.ctx.sources.pos(this.node) ?? this.keyPos;
  }

  /** Where the key stands (for unknown and missing keys). */
  get keyPos(): SourcePos {
    return this.ctx.sources.pos(this.keyNode) ?? this.fallback;
  }

  /** The field's name for messages: `count`, or `centers[0]` for a list item. */
  get label(): string {
    return typeof this.segment === 'string' ? this.segment : this.path || 'the document';
  }

  child(segment: string | number, node: unknown, keyNode?: unknown): Cursor {
    const path = typeof segment === 'number' ? `${this.path}[${segment}]` : this.path ? `${this.path}.${segment}` : segment;
    return new Cursor(
      this.ctx,
      isYamlNode(node) ? node : undefined,
      path,
      segment,
      isYamlNode(keyNode) ? keyNode : undefined,
      this.pos,
    );
  }

  /** The value under `key` when this node is a map (first occurrence; duplicates are YAML errors). */
  key(name: string): Cursor {
    const node = this.resolvedQuietly();
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && String(pair.key.value) === name) return this.child(name, pair.value, pair.key);
      }
    }
    return this.child(name, undefined);
  }

  /** The `index`-th item when this node is a list. */
  item(index: number): Cursor {
    const node = this.resolvedQuietly();
    return this.child(index, isSeq(node) ? node.items[index] : undefined);
  }

  /** Records that the value here names a `kind` of thing that must exist (checked later). */
  refer(kind: Reference['kind'], name: string): void {
    this.ctx.references.push({ kind, name, cur: this });
  }

  issue(message: string, detail: IssueDetail = {}): void {
    const issue: { -readonly [K in keyof ScenarioIssue]: ScenarioIssue[K] } = {
      pos: detail.pos ?? this.pos,
      path: this.path,
      message,
    };
    if (detail.expected) issue.expected = detail.expected;
    if (detail.hint) issue.hint = detail.hint;
    this.ctx.issues.push(issue);
  }

  /**
   * The node with aliases followed: undefined when absent or null (`key:` with no value),
   * INVALID (issue recorded) for an alias to nothing or past the alias budget.
   */
  resolve(): Node | undefined | typeof INVALID {
    let node: Node | undefined = this.node;
    while (isAlias(node)) {
      const target = this.ctx.sources.aliasTarget(node);
      if (!target) {
        this.issue(`the alias \`*${node.source}\` has no anchor before it`, {
          expected: 'an `&anchor` defined earlier in the file',
        });
        return INVALID;
      }
      // Said once; later expansions fail quietly, the document is already rejected.
      if (--this.ctx.aliasesLeft < 0) {
        if (this.ctx.aliasesLeft === -1) this.issue('too many alias expansions', { expected: 'fewer `*alias` references' });
        return INVALID;
      }
      node = target;
    }
    if (isScalar(node) && node.value === null) return undefined;
    return node;
  }

  /** The node with aliases followed, without recording anything (for cross-field rules); undefined when absent or null. */
  resolvedNode(): Node | undefined {
    const node = this.resolvedQuietly();
    return isScalar(node) && node.value === null ? undefined : node;
  }

  private resolvedQuietly(): Node | undefined {
    let node: Node | undefined = this.node;
    for (let hops = 0; isAlias(node) && hops < 100; hops++) node = this.ctx.sources.aliasTarget(node) ?? undefined;
    return node;
  }
}

/** How a node reads in a message: `3 minutes`, a map, a list. */
export function describeNode(node: Node, sources: Sources): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const written = sources.written(node);
    if (written !== undefined) return `\`${written}\``;
    const v = node.value;
    if (typeof v === 'string') return `\`${v}\``;
    if (typeof v === 'number' || typeof v === 'boolean') return `\`${String(v)}\``;
    return 'this value';
  }
  return 'an alias';
}
