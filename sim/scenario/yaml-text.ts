// Parsing one YAML text (a scenario, a menu file) keeping where every node came from:
// its syntax errors become positioned issues, with a hint for the mistakes people make
// most in these files (an unquoted SLA expression, an unquoted `*` key).

import { LineCounter, parseDocument, type Document } from 'yaml';
import type { ScenarioIssue } from './errors.js';
import { fileOrigin, type Origin } from './positions.js';

/** Parser errors the document survives well enough to validate the rest. */
const RECOVERABLE = new Set(['DUPLICATE_KEY']);

export interface ParsedYaml {
  readonly doc: Document;
  readonly origin: Origin;
  /** Syntax errors, positioned in `file`. */
  readonly issues: readonly ScenarioIssue[];
  /** Whether the errors leave nothing worth validating. */
  readonly fatal: boolean;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const origin = fileOrigin(file, text, lines);
  const issues = doc.errors.map((e): ScenarioIssue => {
    const { line, column } = origin.locate(e.pos[0]);
    const issue: ScenarioIssue = { pos: { file, line, column }, path: '', message: firstLine(e.message), expected: 'valid YAML' };
    const hint = yamlHint(text, e.pos[0]);
    return hint ? { ...issue, hint } : issue;
  });
  return { doc, origin, issues, fatal: doc.errors.some((e) => !RECOVERABLE.has(e.code)) };
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(text: string, offset: number): string | undefined {
  // `>= 0.95` unquoted is a YAML block scalar gone wrong; SLA writers meet it first.
  const start = /[>|]/.test(text[offset - 1] ?? '') ? offset - 1 : offset;
  const rest = /^[>|][^\n]*/.exec(text.slice(start))?.[0];
  if (rest && /^[<>]=?\s*[\d.]/.test(rest)) return `quote the expression: "${rest.trim()}"`;
  // `*: ...` for the star key of a menu: an unquoted `*` starts an alias.
  const lineStart = text.lastIndexOf('\n', Math.max(offset - 1, 0)) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  if (/(^|[\s{,?])\*\s*:/.test(line)) return 'quote the key: `"*"` (unquoted, `*` starts an alias)';
  return undefined;
}
