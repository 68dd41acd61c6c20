// The `ivr` key of a scenario: `none` (calls go straight to the agent queue), the path of
// a menu file relative to the scenario file, or the menus inline. A menu file is parsed
// with its own positions, so that its problems name that file, line and column; they are
// reported together with the scenario's.

import { dirname, isAbsolute, join } from 'node:path';
import { isMap, isScalar, YAMLMap, type Node } from 'yaml';
import type { IvrSpec } from '../ivr/types.js';
import { Cursor, INVALID, type CheckContext, type Checked, type ReadFile } from './cursor.js';
import type { ScenarioIssue } from './errors.js';
import { checkMenuReferences, tieMenus } from './ivr-checks.js';
import { IVR_SHAPE, menuIdsInSource } from './ivr-schema.js';
import type { Sources } from './positions.js';
import { Field, type JsonDefs, type JsonObject } from './schema-dsl.js';
import { NotUtf8Error } from './source-text.js';
import { didYouMean } from './suggest.js';
import { parseYaml } from './yaml-text.js';

/** The menu format with its menus tied together (every reference resolved, parents found). */
class IvrFormatField extends Field<Omit<IvrSpec, 'file'>> {
  constructor() {
    super(IVR_SHAPE.doc);
  }
  get expected(): string {
    return 'a map of an IVR: `entry`, `menus`, ...';
  }
  accepts(node: Node): boolean {
    return IVR_SHAPE.accepts(node);
  }
  protected read(node: Node, cur: Cursor): Checked<Omit<IvrSpec, 'file'>> {
    const start = cur.ctx.references.length;
    const written = IVR_SHAPE.check(new Cursor(cur.ctx, node, cur.path, cur.segment, cur.keyNode, cur.pos));
    // Names of menus are judged even when some menu was wrong, against the ids as written.
    const ids = menuIdsInSource(cur);
    if (ids) cur.ctx.defined.set('menu', ids);
    const resolved = ids === undefined || checkMenuReferences(cur.ctx.references.slice(start), ids);
    return written === INVALID || !resolved ? INVALID : tieMenus(written);
  }
  protected schema(defs: JsonDefs): JsonObject {
    return IVR_SHAPE.json(defs);
  }
  override unwrap(): Field<unknown> {
    return IVR_SHAPE;
  }
}

/** The menu file format: what docs/ivr.md and docs/ivr.schema.json describe. */
export const IVR_FORMAT = new IvrFormatField();

/**
 * A menu file's text as YAML nodes placed in `file` (an empty file is an empty map: the
 * missing required keys are then named one by one); no root when it is not YAML. Its YAML
 * problems come back either way.
 */
function menuNodes(text: string, file: string, sources: Sources): { readonly root: Node | undefined; readonly issues: readonly ScenarioIssue[] } {
  const parsed = parseYaml(text, file);
  if (parsed.fatal) return { root: undefined, issues: parsed.issues };
  let root = parsed.doc.contents as Node | null;
  if (root) {
    sources.adopt(root, parsed.origin);
  } else {
    root = new YAMLMap();
    sources.place(root, { file, line: 1, column: 1 });
  }
  return { root, issues: parsed.issues };
}

/** Checks the text of a menu file; its issues are positioned in `file`. */
export function checkIvrText(text: string, file: string, ctx: CheckContext): Checked<IvrSpec> {
  const { root, issues } = menuNodes(text, file, ctx.sources);
  ctx.issues.push(...issues);
  if (root === undefined) return INVALID;
  const spec = IVR_FORMAT.check(new Cursor(ctx, root, '', undefined, undefined, { file, line: 1, column: 1 }));
  return spec === INVALID ? INVALID : { ...spec, file };
}

/** Where a menu file named in a scenario is: relative to the scenario file unless absolute. */
export function menuFilePath(written: string, scenarioFile: string): string {
  return isAbsolute(written) ? written : join(dirname(scenarioFile), written);
}

/**
 * For `--set ivr.…` when `ivr` names a menu file: the file's menus as YAML nodes placed in
 * that file, for the path to go on into (they then stand inline, and keep their file in
 * positions and in `IvrSpec.file`). Problems of the file that do not stop parsing go to
 * `issues`. When the file cannot be read or parsed: why, in words; its problems are then
 * reported where the scenario's `ivr` is checked.
 */
export function expandMenuFile(written: string, sources: Sources, readFile: ReadFile, issues: ScenarioIssue[]): Node | { readonly unavailable: string } {
  const file = menuFilePath(written, sources.main.file);
  let text: string;
  try {
    text = readFile(file);
  } catch {
    return { unavailable: `the menu file ${file}, which cannot be read` };
  }
  const { root, issues: yaml } = menuNodes(text, file, sources);
  if (root === undefined) return { unavailable: `the menu file ${file}, which is not valid YAML` };
  issues.push(...yaml);
  return root;
}

/** `ivr:` in a scenario. */
export class IvrField extends Field<IvrSpec | null> {
  get expected(): string {
    return '`none`, the path of a menu file, or the menus inline';
  }
  accepts(node: Node): boolean {
    return isMap(node) || (isScalar(node) && typeof node.value === 'string');
  }
  protected read(node: Node, cur: Cursor): Checked<IvrSpec | null> {
    if (isScalar(node) && node.value === 'none') return null;
    if (isScalar(node) && typeof node.value === 'string') return this.readFile(node.value, cur);
    if (!isMap(node)) return this.wrongShape(node, cur);
    const spec = IVR_FORMAT.check(new Cursor(cur.ctx, node, cur.path, cur.segment, cur.keyNode, cur.pos));
    // inline menus are the scenario file's, unless they are a menu file's that `--set` opened
    const from = cur.ctx.sources.pos(node)?.file;
    const file = from === undefined || from === '--set' ? cur.ctx.sources.main.file : from;
    return spec === INVALID ? INVALID : { ...spec, file };
  }
  private readFile(written: string, cur: Cursor): Checked<IvrSpec> {
    const file = menuFilePath(written, cur.ctx.sources.main.file);
    let text: string;
    try {
      text = cur.ctx.readFile(file);
    } catch (e) {
      // the bytes in the menu file are the mistake: say where they are, not where `ivr:` is
      if (e instanceof NotUtf8Error) {
        cur.ctx.issues.push(e.issue);
        return INVALID;
      }
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
      cur.issue(`cannot read the menu file ${file}: ${reason}`, {
        expected: this.expected,
        hint: didYouMean(written, ['none']) ?? 'a path is relative to the scenario file',
      });
      return INVALID;
    }
    return checkIvrText(text, file, cur.ctx);
  }
  protected schema(defs: JsonDefs): JsonObject {
    return {
      anyOf: [
        { const: 'none' },
        { type: 'string', description: 'A menu file (docs/ivr.md), relative to the scenario file.' },
        defs.ref('ivr', () => IVR_FORMAT.json(defs)),
      ],
    };
  }
}

export function ivrField(doc: string): IvrField {
  return new IvrField(doc);
}
