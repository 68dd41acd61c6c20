// Loading a scenario: read the file, parse the YAML keeping positions, apply `--set`
// overrides, validate against the format (schema.ts) and return the resolved, immutable
// Scenario. Every problem found, YAML syntax included and those in the menu file it names,
// comes back in one ScenarioError. A menu file can also be loaded on its own.

import { basename, extname } from 'node:path';
import { isScalar, YAMLMap, type Node } from 'yaml';
import { checkContext, Cursor, INVALID, type ReadFile } from './cursor.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { checkIvrText, expandMenuFile } from './ivr-field.js';
import { applyOverrides, parseOverrides } from './overrides.js';
import { Sources } from './positions.js';
import { SCENARIO } from './schema.js';
import { NotUtf8Error, readUtf8File } from './source-text.js';
import type { IvrSpec, Scenario } from './types.js';
import { parseYaml } from './yaml-text.js';

export interface LoadOptions {
  /** `--set` flags, each `path=value`, applied in order. */
  readonly sets?: readonly string[];
  /** Reads the files the scenario names (a menu file); default the file system. */
  readonly readFile?: ReadFile;
}

/** Reads and resolves a scenario file; throws ScenarioError listing every problem. */
export function loadScenario(file: string, options: LoadOptions = {}): Scenario {
  return parseScenario(readSource(file, 'scenario', options), file, options);
}

function readSource(file: string, what: string, options: LoadOptions): string {
  try {
    return (options.readFile ?? readUtf8File)(file);
  } catch (e) {
    if (e instanceof NotUtf8Error) throw new ScenarioError([e.issue]);
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ScenarioError([{ path: '', message: `cannot read the ${what} file ${file}: ${reason}` }]);
  }
}

/** Resolves scenario text; `file` names it in positions and gives the default name. */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): Scenario {
  const { doc, origin, issues: syntax, fatal } = parseYaml(text, file);
  const sources = new Sources(origin);
  const issues: ScenarioIssue[] = [...syntax];
  if (doc.contents) sources.learnAliases(doc.contents as Node);
  const overrides = parseOverrides(options.sets ?? [], sources, issues);
  if (fatal) throw new ScenarioError(sortIssues(issues, file));

  if (!doc.contents) {
    // An empty file is an empty map: the missing required keys are then named one by one.
    const empty = new YAMLMap();
    sources.place(empty, { file, line: 1, column: 1 });
    doc.contents = empty;
  }
  // `--set ivr.menus.…` goes on into the menu file that `ivr` names (read once per name)
  const menus = new Map<string, ReturnType<typeof expandMenuFile>>();
  applyOverrides(doc, overrides, sources, issues, (path, node) => {
    if (path !== 'ivr' || !isScalar(node) || typeof node.value !== 'string' || node.value === 'none') return undefined;
    const written = node.value;
    if (!menus.has(written)) menus.set(written, expandMenuFile(written, sources, options.readFile ?? readUtf8File, issues));
    return menus.get(written);
  });

  const ctx = checkContext(sources, defaultName(file), options.readFile);
  const scenario = SCENARIO.check(Cursor.root(ctx, doc.contents as Node));
  issues.push(...ctx.issues);
  if (issues.length > 0 || scenario === INVALID) {
    if (issues.length === 0) throw new Error('scenario validation failed without saying why');
    throw new ScenarioError(sortIssues(issues, file));
  }
  return deepFreeze({ ...scenario, file });
}

/**
 * Reads and resolves a menu file on its own (docs/ivr.md), without a scenario: its queue
 * centers are not checked against any. Throws ScenarioError listing every problem.
 */
export function loadIvr(file: string, options: Pick<LoadOptions, 'readFile'> = {}): IvrSpec {
  return parseIvr(readSource(file, 'menu', options), file);
}

/** Resolves the text of a menu file; `file` names it in positions and in `IvrSpec.file`. */
export function parseIvr(text: string, file: string): IvrSpec {
  const sources = new Sources({ file, text, locate: () => ({ line: 1, column: 1 }) });
  const ctx = checkContext(sources, defaultName(file));
  const spec = checkIvrText(text, file, ctx);
  if (ctx.issues.length > 0 || spec === INVALID) {
    if (ctx.issues.length === 0) throw new Error('menu validation failed without saying why');
    throw new ScenarioError(sortIssues(ctx.issues, file));
  }
  return deepFreeze(spec);
}

function defaultName(file: string): string {
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length) || base;
}

/** Issues of the main file in source order, then of other files (a menu file), then `--set` by flag, then those with no place. */
function sortIssues(issues: readonly ScenarioIssue[], main: string): ScenarioIssue[] {
  const rank = (i: ScenarioIssue): number => (!i.pos ? 3 : i.pos.file === main ? 0 : i.pos.file === '--set' ? 2 : 1);
  return [...issues].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.pos && b.pos && a.pos.file < b.pos.file ? -1 : a.pos && b.pos && a.pos.file > b.pos.file ? 1 : 0) ||
      (a.pos?.line ?? 0) - (b.pos?.line ?? 0) ||
      (a.pos?.column ?? 0) - (b.pos?.column ?? 0),
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
