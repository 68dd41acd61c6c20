// The reference tables of docs/scenarios.md, derived from schema.ts: one table per map in
// the format (key, type, default, meaning) and one for the distribution families. The
// tables sit between two markers in the hand-written page and are regenerated in place.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DISTRIBUTION_FAMILIES, DistributionField } from './distribution-field.js';
import type { Field } from './schema-dsl.js';
import { EitherField, ListField, LiteralField, ObjectField, RecordField, type Shape } from './schema-shapes.js';
import { SCENARIO } from './schema.js';

export const BEGIN_MARKER = '<!-- BEGIN GENERATED REFERENCE (sim/scenario/reference-docs.ts) -->';
export const END_MARKER = '<!-- END GENERATED REFERENCE -->';

/** The directory holding package.json, found from this module (source or compiled). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find package.json above sim/scenario');
    dir = up;
  }
  return dir;
}

export const SCHEMA_FILE = 'docs/scenario.schema.json';
export const REFERENCE_FILE = 'docs/scenarios.md';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The type of a field in a few words: `duration > 0`, `list of maps (at least 1)`. */
export function typeWords(field: Field<unknown>): string {
  const f = field.unwrap();
  if (f instanceof ObjectField) return 'map';
  if (f instanceof DistributionField) return 'distribution';
  if (f instanceof LiteralField) return `\`${f.word}\``;
  if (f instanceof EitherField) return f.alternatives.map(typeWords).join(' or ');
  if (f instanceof RecordField) return `map of ${f.keyDoc} to ${typeWords(f.value)}`;
  if (f instanceof ListField) {
    const item = typeWords(f.item);
    const atLeast = f.minItems > 0 ? ` (at least ${f.minItems})` : '';
    const list = /^\w+$/.test(item) ? `list of ${item}s${atLeast}` : `list${atLeast}, each ${item}`;
    return f.single ? `${item}, or a ${list}` : list;
  }
  return f.expected.replace(/^(a|an) /, '');
}

function defaultWords(field: Field<unknown>): string {
  if (field.unwrap() instanceof ObjectField && field.hasDefault) return 'see below';
  if (field.hasDefault) return `\`${field.defaultText}\``;
  return field.computed ?? '**required**';
}

/** Maps nested in a field, with the path their table goes under. */
function nested(path: string, field: Field<unknown>): [string, ObjectField<Shape>][] {
  const f = field.unwrap();
  if (f instanceof ObjectField) return [[path, f]];
  if (f instanceof ListField) return nested(`${path}[]`, f.item);
  if (f instanceof EitherField) return f.alternatives.flatMap((a) => nested(path, a));
  if (f instanceof RecordField) return nested(`${path}.*`, f.value);
  return [];
}

function table(path: string, o: ObjectField<Shape>): string {
  const title = path === '' ? 'Top level' : `\`${path}\``;
  const rows = Object.entries(o.shape).map(
    ([key, f]) => `| \`${key}\` | ${cell(typeWords(f))} | ${cell(defaultWords(f))} | ${cell(f.doc)} |`,
  );
  return [`### ${title}`, '', o.doc, '', '| key | type | default | meaning |', '|---|---|---|---|', ...rows, ''].join('\n');
}

function distributionTable(): string {
  const rows = Object.entries(DISTRIBUTION_FAMILIES).map(([name, family]) => {
    const f = family.unwrap();
    const params =
      f instanceof ObjectField
        ? Object.entries(f.shape as Shape).map(([k, p]) => `\`${k}\`: ${typeWords(p)}`).join(', ')
        : typeWords(f);
    return `| \`${name}\` | ${cell(params)} | ${cell(family.doc)} |`;
  });
  return [
    '### Distributions',
    '',
    'A one-key map naming the family, or a bare duration (a constant).',
    '',
    '| family | parameters | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** The generated section, markers included. */
export function scenarioReference(): string {
  const sections: string[] = [];
  const walk = (path: string, o: ObjectField<Shape>): void => {
    sections.push(table(path, o));
    for (const [key, f] of Object.entries(o.shape)) {
      for (const [p, child] of nested(path ? `${path}.${key}` : key, f)) walk(p, child);
    }
  };
  for (const [p, o] of nested('', SCENARIO)) walk(p, o);
  sections.push(distributionTable());
  return [BEGIN_MARKER, '', ...sections, END_MARKER].join('\n');
}

/** The page with its generated section replaced (or appended when the markers are missing). */
export function withReference(page: string): string {
  const begin = page.indexOf(BEGIN_MARKER);
  const end = page.indexOf(END_MARKER);
  if (begin < 0 || end < begin) return `${page.trimEnd()}\n\n${scenarioReference()}\n`;
  return page.slice(0, begin) + scenarioReference() + page.slice(end + END_MARKER.length);
}
