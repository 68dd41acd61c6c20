// The reference tables of docs/scenarios.md and docs/ivr.md, derived from the formats'
// descriptions (schema.ts, ivr-schema.ts): one table per map (key, type, default, meaning),
// one section per named type (prompt, action, condition) and one for the distribution
// families. The tables sit between two markers in the hand-written page and are
// regenerated in place.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DISTRIBUTION_FAMILIES, DistributionField } from './distribution-field.js';
import type { Field } from './schema-dsl.js';
import { IVR_FORMAT } from './ivr-field.js';
import { EitherField, ListField, LiteralField, NamedField, ObjectField, RecordField, TaggedField, type Shape } from './schema-shapes.js';
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
export const IVR_SCHEMA_FILE = 'docs/ivr.schema.json';
export const IVR_REFERENCE_FILE = 'docs/ivr.md';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The type of a field in a few words: `duration > 0`, `list of maps (at least 1)`. */
export function typeWords(field: Field<unknown>): string {
  const f = field.unwrap();
  if (f instanceof NamedField) return f.name;
  if (f instanceof TaggedField) return f.noun.replace(/^an? /, '');
  if (f instanceof ObjectField) return 'map';
  if (f instanceof DistributionField) return 'distribution';
  if (f instanceof LiteralField) return `\`${f.word}\``;
  if (f instanceof EitherField) return f.alternatives.map(typeWords).join(' or ');
  if (f instanceof RecordField) return `map of ${f.keyDoc} to ${typeWords(f.value)}`;
  if (f instanceof ListField) {
    const item = typeWords(f.item);
    const atLeast =
      f.minItems === f.maxItems
        ? ` (exactly ${f.minItems})`
        : f.maxItems < Infinity
          ? ` (${f.minItems} to ${f.maxItems})`
          : f.minItems > 0
            ? ` (at least ${f.minItems})`
            : '';
    const list = /^\w+$/.test(item) ? `list of ${item}s${atLeast}` : `list${atLeast}, each ${item}`;
    return f.single ? `${item}, or a ${list}` : list;
  }
  return f.expected.replace(/^(a|an) /, '');
}

function defaultWords(field: Field<unknown>): string {
  if (field.unwrap() instanceof ObjectField && field.hasDefault) return 'see below';
  if (field.hasDefault) return field.defaultShown ?? `\`${field.defaultText}\``;
  return field.computed ?? '**required**';
}

/** Maps nested in a field, with the path their table goes under; named fields have their own section. */
function nested(path: string, field: Field<unknown>, named: NamedField<unknown>[]): [string, ObjectField<Shape>][] {
  const f = field.unwrap();
  if (f instanceof NamedField) {
    named.push(f);
    return [];
  }
  if (f instanceof ObjectField) return [[path, f]];
  if (f instanceof ListField) return nested(`${path}[]`, f.item, named);
  if (f instanceof EitherField) return f.alternatives.flatMap((a) => nested(path, a, named));
  if (f instanceof RecordField) return nested(`${path}.*`, f.value, named);
  if (f instanceof TaggedField) return Object.entries(f.kinds as Record<string, Field<unknown>>).flatMap(([k, kind]) => nested(`${path}.${k}`, kind, named));
  return [];
}

function table(title: string, o: ObjectField<Shape>): string {
  const rows = Object.entries(o.shape).map(
    ([key, f]) => `| \`${key}\` | ${cell(typeWords(f))} | ${cell(defaultWords(f))} | ${cell(f.doc)} |`,
  );
  return [`### ${title}`, '', o.doc, '', '| key | type | default | meaning |', '|---|---|---|---|', ...rows, ''].join('\n');
}

function pathTitle(path: string): string {
  return path === '' ? 'Top level' : `\`${path}\``;
}

/** The one-key kinds of a tagged field (an action), with a line each. */
function kindsTable(title: string, f: TaggedField<unknown>): string {
  const words = Object.keys(f.words).map((w) => `| \`${w}\` (the bare word) | ${cell(f.kinds[w]?.doc ?? '')} |`);
  const kinds = Object.entries(f.kinds as Record<string, Field<unknown>>).map(([name, kind]) => {
    const inner = kind.unwrap();
    const shape = inner instanceof ObjectField ? 'a map, below' : typeWords(kind);
    return `| \`{ ${name}: ... }\` (${cell(shape)}) | ${cell(kind.doc)} |`;
  });
  return [`### ${title}`, '', f.doc, '', '| written | meaning |', '|---|---|', ...words, ...kinds, ''].join('\n');
}

/**
 * The tables of a format: one per map reached from `root` (key, type, default, meaning),
 * then one section per named type (a prompt, an action and its kinds, a condition).
 */
export function formatReference(root: Field<unknown>): string[] {
  const sections: string[] = [];
  const named: NamedField<unknown>[] = [];
  const done = new Set<string>();
  const walk = (path: string, title: string, o: ObjectField<Shape>): void => {
    sections.push(table(title, o));
    for (const [key, f] of Object.entries(o.shape)) {
      for (const [p, child] of nested(path ? `${path}.${key}` : key, f, named)) walk(p, pathTitle(p), child);
    }
  };
  for (const [p, o] of nested('', root, named)) walk(p, pathTitle(p), o);
  for (let i = 0; i < named.length; i++) {
    const n = named[i]!;
    if (done.has(n.name)) continue;
    done.add(n.name);
    const target = n.target.unwrap();
    if (target instanceof ObjectField) walk(n.name, `A \`${n.name}\``, target);
    else if (target instanceof TaggedField) {
      sections.push(kindsTable(`An \`${n.name}\``, target));
      for (const [kind, field] of Object.entries(target.kinds as Record<string, Field<unknown>>)) {
        for (const [p, o] of nested(kind, field, named)) walk(p, `The \`${p}\` ${n.name}`, o);
      }
    }
  }
  return sections;
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

/** The generated section of docs/scenarios.md, markers included. */
export function scenarioReference(): string {
  return [BEGIN_MARKER, '', ...formatReference(SCENARIO), distributionTable(), END_MARKER].join('\n');
}

/** The generated section of docs/ivr.md, markers included. */
export function ivrReference(): string {
  return [BEGIN_MARKER, '', ...formatReference(IVR_FORMAT), END_MARKER].join('\n');
}

/** The page with its generated section replaced (or appended when the markers are missing). */
export function withReference(page: string, section: string = scenarioReference()): string {
  const begin = page.indexOf(BEGIN_MARKER);
  const end = page.indexOf(END_MARKER);
  if (begin < 0 || end < begin) return `${page.trimEnd()}\n\n${section}\n`;
  return page.slice(0, begin) + section + page.slice(end + END_MARKER.length);
}
