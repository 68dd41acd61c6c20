// `--set path=value`: what-ifs without editing the file (`--set arrivals.scale=1.3`,
// `--set centers.province.groups.general.count=20`). Overrides are applied to the parsed
// YAML document before validation, so an overridden value is checked exactly like file
// content, and its problems point at the flag: file `--set`, line = the flag's number,
// column = the character in the flag.

import { isAlias, isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import type { ScenarioIssue, SourcePos } from './errors.js';
import { flagOrigin, type Sources } from './positions.js';
import { didYouMean } from './suggest.js';
import { firstLine } from './yaml-text.js';

interface Segment {
  /** A map key, or an id to look up in a list of maps. */
  readonly name?: string;
  /** A list index, from `[n]`. */
  readonly index?: number;
  /** 0-based, in the flag. */
  readonly at: number;
}

export interface Override {
  /** 1-based position among the flags: the line of its issues. */
  readonly flag: number;
  readonly segments: readonly Segment[];
  readonly value: Node;
}

const EXPECTED_FLAG = '`path=value`, e.g. `arrivals.scale=1.3` or `centers[0].groups[0].count=12`';

function flagPos(flag: number, at: number): SourcePos {
  return { file: '--set', line: flag, column: at + 1 };
}

/** Splits `centers[0].groups.general.count` into keys, ids and indexes; parentheses group (`service_level(1.5s)`). */
function parsePath(text: string, flag: number, issues: ScenarioIssue[]): Segment[] | undefined {
  const fail = (at: number, message: string): undefined => {
    issues.push({ pos: flagPos(flag, at), path: text, message, expected: EXPECTED_FLAG });
    return undefined;
  };
  if (text === '') return fail(0, 'the path is empty');
  const segments: Segment[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      const inner = close < 0 ? text.slice(i + 1) : text.slice(i + 1, close);
      if (close < 0 || !/^\d{1,9}$/.test(inner)) return fail(i, `\`[${inner}${close < 0 ? '' : ']'}\` is not a list index`);
      segments.push({ index: Number(inner), at: i });
      i = close + 1;
    } else {
      const start = i;
      let depth = 0;
      while (i < text.length && (depth > 0 || (text[i] !== '.' && text[i] !== '['))) {
        if (text[i] === '(') depth++;
        else if (text[i] === ')') depth = Math.max(0, depth - 1);
        i++;
      }
      if (i === start) return fail(start, 'a key in the path is empty');
      const name = text.slice(start, i);
      if (name.includes(']')) return fail(start + name.indexOf(']'), `\`${name}\` has a stray \`]\``);
      segments.push({ name, at: start });
    }
    if (i >= text.length) return segments;
    if (text[i] === '.') {
      i++;
      if (i >= text.length || text[i] === '[' || text[i] === '.') return fail(i, 'a key in the path is empty');
    } else if (text[i] !== '[') {
      return fail(i, `unexpected \`${text[i]}\` in the path`);
    }
  }
}

/** The value, as YAML; text that is not YAML and not meant as a map or list is taken as a string (`>= 0.9`). */
function parseValue(text: string, flag: number, start: number, sources: Sources, issues: ScenarioIssue[]): Node | undefined {
  const origin = flagOrigin(flag, start, text);
  const doc = parseDocument(text, { prettyErrors: false });
  let node: Node;
  if (doc.errors.length > 0) {
    if (/^\s*[[{"']/.test(text)) {
      for (const e of doc.errors) issues.push({ pos: flagPos(flag, start + e.pos[0]), path: '', message: firstLine(e.message), expected: 'a YAML value' });
      return undefined;
    }
    node = new Scalar(text);
    node.range = [0, text.length, text.length];
  } else if (doc.contents === null) {
    node = new Scalar(null);
    node.range = [0, 0, 0];
  } else {
    node = doc.contents as Node;
  }
  sources.adopt(node, origin);
  return node;
}

/** Reads every flag; malformed ones become issues and are left out. */
export function parseOverrides(sets: readonly string[], sources: Sources, issues: ScenarioIssue[]): Override[] {
  const out: Override[] = [];
  sets.forEach((text, i) => {
    const flag = i + 1;
    const eq = text.indexOf('=');
    if (eq < 0) {
      issues.push({ pos: flagPos(flag, 0), path: '', message: `\`${text}\` has no \`=\``, expected: EXPECTED_FLAG });
      return;
    }
    const segments = parsePath(text.slice(0, eq), flag, issues);
    const value = parseValue(text.slice(eq + 1), flag, eq + 1, sources, issues);
    if (segments && value) out.push({ flag, segments, value });
  });
  return out;
}

/** A shallow copy, so that a change reaches only the place the path names, never an alias's other uses. */
function copyContainer(node: YAMLMap | YAMLSeq, sources: Sources): YAMLMap | YAMLSeq {
  const copy = isMap(node) ? new YAMLMap() : new YAMLSeq();
  copy.items = isMap(node) ? node.items.map((p) => new Pair(p.key, p.value)) : [...node.items];
  copy.flow = node.flow;
  if (node.range) copy.range = [...node.range];
  sources.mirror(copy, node);
  return copy;
}

function resolveAlias(node: unknown, sources: Sources): unknown {
  return isAlias(node) ? (sources.aliasTarget(node) ?? node) : node;
}

function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function pathText(done: string, segment: Segment, index?: number): string {
  if (index !== undefined) return `${done}[${index}]`;
  return done ? `${done}.${segment.name}` : segment.name!;
}

/**
 * What a path may go through that the document only names: given the path so far (`ivr`)
 * and the node there (`ivr/12333.yaml`), the node to follow instead (the menu file's
 * contents), why there is none (`the menu file …, which cannot be read`), or undefined to
 * follow the node as it is.
 */
export type Expand = (path: string, node: unknown) => Node | { readonly unavailable: string } | undefined;

/**
 * Applies one override to the document, copying every container on the path and creating
 * missing maps. Returns false (with an issue) when the path cannot be followed.
 */
export function applyOverride(doc: Document, override: Override, sources: Sources, issues: ScenarioIssue[], expand?: Expand): boolean {
  const { flag, segments, value } = override;
  // Only copies are changed, so putting the old root back undoes a half-followed path.
  const original = doc.contents;
  const fail = (segment: Segment, path: string, message: string, expected?: string, hint?: string): false => {
    doc.contents = original;
    const issue: ScenarioIssue = { pos: flagPos(flag, segment.at), path, message };
    issues.push({ ...issue, ...(expected ? { expected } : {}), ...(hint ? { hint } : {}) });
    return false;
  };
  const fresh = (segment: Segment): YAMLMap => {
    const map = new YAMLMap();
    sources.place(map, flagPos(flag, segment.at));
    return map;
  };
  // `set` puts a node where the current container was found, so copies replace originals.
  let container: unknown = resolveAlias(doc.contents, sources);
  let set = (node: Node): void => {
    doc.contents = node;
  };
  if (isEmpty(container)) container = fresh(segments[0]!);
  let done = '';
  for (const [k, segment] of segments.entries()) {
    const last = k === segments.length - 1;
    if (isMap(container)) {
      const map = copyContainer(container, sources) as YAMLMap;
      set(map);
      if (segment.name === undefined) return fail(segment, done, `\`${done || 'the document'}\` is a map, not a list`, 'a key');
      let pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === segment.name);
      if (!pair) {
        const key = new Scalar(segment.name);
        sources.place(key, flagPos(flag, segment.at));
        pair = new Pair(key, last ? value : fresh(segment));
        map.items.push(pair);
      }
      const at = pair;
      done = pathText(done, segment);
      if (last) {
        at.value = value;
        return true;
      }
      set = (node) => {
        at.value = node;
      };
      container = isEmpty(at.value) ? fresh(segment) : resolveAlias(at.value, sources);
      const expanded = expand?.(done, container);
      if (expanded !== undefined && 'unavailable' in expanded) {
        return fail(segments[k + 1]!, done, `\`${done}\` names ${expanded.unavailable}; \`${segments[k + 1]!.name ?? `[${segments[k + 1]!.index}]`}\` cannot be set in it`, 'a menu file that can be read');
      }
      if (expanded !== undefined) container = expanded;
    } else if (isSeq(container)) {
      const seq = copyContainer(container, sources) as YAMLSeq;
      set(seq);
      const index = segment.index ?? findById(seq, segment.name!, sources);
      if (index === undefined) {
        const ids = seq.items.map((item, i) => idOf(item, i, sources)).filter((id): id is string => id !== undefined);
        const hint = /^\d+$/.test(segment.name!) ? `for the item at index ${segment.name}, write \`[${segment.name}]\`` : didYouMean(segment.name!, ids);
        return fail(segment, done, `\`${done}\` has no item with id \`${segment.name}\``, ids.length ? `one of ${ids.map((id) => `\`${id}\``).join(', ')}` : 'an index such as `[0]`', hint);
      }
      if (index >= seq.items.length) {
        return fail(segment, done, `index ${index} is past the end of \`${done}\` (${seq.items.length} item${seq.items.length === 1 ? '' : 's'})`, `an index below ${seq.items.length}`);
      }
      done = pathText(done, segment, index);
      if (last) {
        seq.items[index] = value;
        return true;
      }
      set = (node) => {
        seq.items[index] = node;
      };
      const item = seq.items[index];
      container = isEmpty(item) ? fresh(segment) : resolveAlias(item, sources);
    } else {
      const what = isAlias(container) ? 'an alias with no anchor' : 'a single value';
      return fail(segment, done, `\`${done || 'the document'}\` is ${what}, not a map; \`${segment.name ?? `[${segment.index}]`}\` cannot be set in it`, 'a path through maps and lists');
    }
  }
  return true;
}

/** The item's id: its `id` key, or for an item without one, `g1`, `g2`, ... as groups are named. */
function idOf(item: unknown, index: number, sources: Sources): string | undefined {
  const map = resolveAlias(item, sources);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'id');
  if (!pair) return `g${index + 1}`;
  const id = resolveAlias(pair.value, sources);
  return isScalar(id) && (typeof id.value === 'string' || typeof id.value === 'number') ? String(id.value) : undefined;
}

function findById(seq: YAMLSeq, name: string, sources: Sources): number | undefined {
  const index = seq.items.findIndex((item, i) => idOf(item, i, sources) === name);
  return index < 0 ? undefined : index;
}

/** Applies every override in flag order; later flags see earlier ones. */
export function applyOverrides(doc: Document, overrides: readonly Override[], sources: Sources, issues: ScenarioIssue[], expand?: Expand): void {
  for (const o of overrides) applyOverride(doc, o, sources, issues, expand);
}
