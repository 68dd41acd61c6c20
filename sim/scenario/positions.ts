// Where a YAML node came from: a line and column in the scenario file, or a column in one
// `--set` flag. File nodes are located through the yaml package's offsets; nodes that an
// override parsed or made are registered here with their flag, so that validation reports
// them exactly like file content.

import { isAlias, isCollection, isScalar, visit, type LineCounter, type Node } from 'yaml';
import type { SourcePos } from './errors.js';

/** A text that nodes' ranges index into, and how to turn an offset into a position. */
export interface Origin {
  readonly file: string;
  readonly text: string;
  locate(offset: number): { line: number; column: number };
}

export function fileOrigin(file: string, text: string, lines: LineCounter): Origin {
  return {
    file,
    text,
    locate: (offset) => {
      const { line, col } = lines.linePos(Math.min(Math.max(offset, 0), text.length));
      return { line: Math.max(line, 1), column: Math.max(col, 1) };
    },
  };
}

/** The value text of the `index`-th flag (1-based), which starts at `start` (0-based) in the flag. */
export function flagOrigin(index: number, start: number, text: string): Origin {
  return { file: '--set', text, locate: (offset) => ({ line: index, column: start + Math.max(offset, 0) + 1 }) };
}

function rangeStart(node: object): number | undefined {
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

export class Sources {
  private readonly origins = new WeakMap<object, Origin>();
  private readonly fixed = new WeakMap<object, SourcePos>();
  /** Each alias's target, fixed before overrides move nodes around (null: no such anchor). */
  private readonly aliasTargets = new Map<object, Node | null>();

  constructor(readonly main: Origin) {}

  /** Registers every node under `root` as coming from `origin`, and learns its aliases. */
  adopt(root: Node, origin: Origin): void {
    // `visit` meets keys as nodes too, so an unknown key in a flag's map has its place.
    visit(root, {
      Node: (_key, node) => {
        this.origins.set(node, origin);
      },
    });
    this.learnAliases(root);
  }

  /** A node made by an override, placed at a fixed position (e.g. a path segment of the flag). */
  place(node: object, pos: SourcePos): void {
    this.fixed.set(node, pos);
  }

  /** A copy made by an override stands where its original stood. */
  mirror(copy: object, original: object): void {
    const origin = this.origins.get(original);
    if (origin) this.origins.set(copy, origin);
    const fixed = this.fixed.get(original);
    if (fixed) this.fixed.set(copy, fixed);
  }

  /**
   * Records which anchor every alias under `root` refers to: the last one before it, as
   * YAML says. Done once up front because overrides may later replace the anchored node.
   */
  learnAliases(root: Node): void {
    const anchors = new Map<string, Node>();
    visit(root, {
      Node: (_key, node) => {
        if (isAlias(node)) this.aliasTargets.set(node, anchors.get(node.source) ?? null);
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  /** The anchored node an alias stands for; null when the anchor does not exist. */
  aliasTarget(alias: Node): Node | null {
    return this.aliasTargets.get(alias) ?? null;
  }

  private originOf(node: object): Origin {
    return this.origins.get(node) ?? this.main;
  }

  /** Where a node starts; undefined for a node made in code with no known place. */
  pos(node: object | null | undefined): SourcePos | undefined {
    if (!node || typeof node !== 'object') return undefined;
    const fixed = this.fixed.get(node);
    if (fixed) return fixed;
    const start = rangeStart(node);
    if (start === undefined) return undefined;
    const origin = this.originOf(node);
    return { file: origin.file, ...origin.locate(start) };
  }

  /**
   * The position of the character `offset` inside a string scalar's value, when the string
   * stands plainly on one line (unquoted, or quoted without escapes); else the scalar's start.
   */
  posInside(node: object | null | undefined, offset: number): SourcePos | undefined {
    const at = this.pos(node);
    if (!at || !node || !isScalar(node) || typeof node.value !== 'string' || this.fixed.has(node)) return at;
    const start = rangeStart(node)!;
    const end = (node.range as number[])[1] ?? start;
    const written = this.originOf(node).text.slice(start, end);
    const value = node.value;
    let shift: number | undefined;
    if (written === value) shift = 0;
    else if (written.length === value.length + 2 && written.slice(1, -1) === value && /^(["']).*\1$/s.test(written)) shift = 1;
    if (shift === undefined || value.includes('\n')) return at;
    const clamped = Math.min(Math.max(offset, 0), value.length);
    return { ...at, column: at.column + shift + clamped };
  }

  /** The source text of a scalar as written, for messages (`0431` rather than 431). */
  written(node: object | null | undefined): string | undefined {
    if (!node || !isScalar(node)) return undefined;
    const start = rangeStart(node);
    if (start === undefined || this.fixed.has(node)) return undefined;
    const end = (node.range as number[])[1] ?? start;
    const text = this.originOf(node).text.slice(start, end).trim();
    return text === '' ? undefined : text;
  }
}

/** True for a node the walker can meet: scalars, collections and aliases. */
export function isYamlNode(value: unknown): value is Node {
  return isScalar(value) || isCollection(value) || isAlias(value);
}
