// Loading a scenario: read the file, parse the YAML keeping positions, apply `--set`
// overrides, validate against the format (schema.ts) and return the resolved, immutable
// Scenario. Every problem found, YAML syntax included, comes back in one ScenarioError.

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument, YAMLMap, type Document, type Node } from 'yaml';
import { checkContext, Cursor, INVALID } from './cursor.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { applyOverrides, firstLine, parseOverrides } from './overrides.js';
import { fileOrigin, Sources } from './positions.js';
import { SCENARIO } from './schema.js';
import type { Scenario } from './types.js';

export interface LoadOptions {
  /** `--set` flags, each `path=value`, applied in order. */
  readonly sets?: readonly string[];
}

/** Reads and resolves a scenario file; throws ScenarioError listing every problem. */
export function loadScenario(file: string, options: LoadOptions = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ScenarioError([{ path: '', message: `cannot read the scenario file ${file}: ${reason}` }]);
  }
  return parseScenario(text, file, options);
}

/** Parser errors the document survives well enough to validate the rest. */
const RECOVERABLE = new Set(['DUPLICATE_KEY']);

/** Resolves scenario text; `file` names it in positions and gives the default name. */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): Scenario {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const origin = fileOrigin(file, text, lines);
  const sources = new Sources(origin);
  const issues: ScenarioIssue[] = [];
  for (const e of doc.errors) {
    const { line, column } = origin.locate(e.pos[0]);
    const issue: ScenarioIssue = { pos: { file, line, column }, path: '', message: firstLine(e.message), expected: 'valid YAML' };
    const hint = yamlHint(text, e.pos[0]);
    issues.push(hint ? { ...issue, hint } : issue);
  }
  if (doc.contents) sources.learnAliases(doc.contents as Node);
  const overrides = parseOverrides(options.sets ?? [], sources, issues);
  if (doc.errors.some((e) => !RECOVERABLE.has(e.code))) throw new ScenarioError(sortIssues(issues));

  if (!doc.contents) {
    // An empty file is an empty map: the missing required keys are then named one by one.
    const empty = new YAMLMap();
    sources.place(empty, { file, line: 1, column: 1 });
    doc.contents = empty;
  }
  applyOverrides(doc, overrides, sources, issues);

  const ctx = checkContext(sources, defaultName(file));
  const scenario = SCENARIO.check(Cursor.root(ctx, doc.contents as Node));
  issues.push(...ctx.issues);
  if (issues.length > 0 || scenario === INVALID) {
    if (issues.length === 0) throw new Error('scenario validation failed without saying why');
    throw new ScenarioError(sortIssues(issues));
  }
  return deepFreeze({ ...scenario, file });
}

/** `>= 0.95` unquoted is a YAML block scalar gone wrong; SLA writers meet it first. */
function yamlHint(text: string, offset: number): string | undefined {
  const start = /[>|]/.test(text[offset - 1] ?? '') ? offset - 1 : offset;
  const rest = /^[>|][^\n]*/.exec(text.slice(start))?.[0];
  return rest && /^[<>]=?\s*[\d.]/.test(rest) ? `quote the expression: "${rest.trim()}"` : undefined;
}

function defaultName(file: string): string {
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length) || base;
}

/** File issues in source order, then `--set` issues by flag, then those with no place. */
function sortIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const rank = (i: ScenarioIssue): number => (!i.pos ? 2 : i.pos.file === '--set' ? 1 : 0);
  return [...issues].sort(
    (a, b) => rank(a) - rank(b) || (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.column ?? 0) - (b.pos?.column ?? 0),
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
