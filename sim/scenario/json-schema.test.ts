import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ivrJsonSchema, ivrJsonSchemaText, scenarioJsonSchema, scenarioJsonSchemaText } from './json-schema.js';
import { IVR_REFERENCE_FILE, IVR_SCHEMA_FILE, ivrReference, REFERENCE_FILE, repoRoot, SCHEMA_FILE, withReference } from './reference-docs.js';

const REGENERATE = 'npx tsc -p tsconfig.json && node dist/sim/scenario/write-scenario-docs.js';

test('docs/scenario.schema.json is what schema.ts describes', (t) => {
  const written = readFileSync(join(repoRoot(), SCHEMA_FILE), 'utf8');
  t.true(written === scenarioJsonSchemaText(), `${SCHEMA_FILE} is stale; regenerate it: ${REGENERATE}`);
});

test('the reference tables in docs/scenarios.md are what schema.ts describes', (t) => {
  const page = readFileSync(join(repoRoot(), REFERENCE_FILE), 'utf8');
  t.true(page === withReference(page), `the reference in ${REFERENCE_FILE} is stale; regenerate it: ${REGENERATE}`);
});

test('docs/ivr.schema.json and the tables in docs/ivr.md are what ivr-schema.ts describes', (t) => {
  const written = readFileSync(join(repoRoot(), IVR_SCHEMA_FILE), 'utf8');
  t.true(written === ivrJsonSchemaText(), `${IVR_SCHEMA_FILE} is stale; regenerate it: ${REGENERATE}`);
  const page = readFileSync(join(repoRoot(), IVR_REFERENCE_FILE), 'utf8');
  t.true(page === withReference(page, ivrReference()), `the reference in ${IVR_REFERENCE_FILE} is stale; regenerate it: ${REGENERATE}`);
});

/** Every `$ref` in a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refs(v)));
  }
  return [];
}

test('the JSON Schema is draft 2020-12, closed, and every reference resolves', (t) => {
  const schema = scenarioJsonSchema() as { $schema: string; required: string[]; additionalProperties: boolean; properties: object; $defs: Record<string, unknown> };
  t.is(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  t.deepEqual(schema.required, ['arrivals', 'centers']);
  t.false(schema.additionalProperties);
  t.deepEqual(Object.keys(schema.$defs).sort(), ['action', 'condition', 'distribution', 'duration', 'ivr', 'prompt', 'rate']);
  const all = refs(schema);
  t.true(all.length > 10);
  for (const ref of all) t.true(ref.startsWith('#/$defs/') && ref.slice('#/$defs/'.length) in schema.$defs, ref);
});

test('the menu file schema stands alone: its own definitions, the recursive ones by reference', (t) => {
  const schema = ivrJsonSchema() as { required: string[]; $defs: Record<string, unknown> };
  t.deepEqual(schema.required, ['entry', 'menus']);
  t.deepEqual(Object.keys(schema.$defs).sort(), ['action', 'condition', 'duration', 'prompt']);
  for (const ref of refs(schema)) t.true(ref.slice('#/$defs/'.length) in schema.$defs, ref);
  // A condition contains conditions, an action (onFailure) actions: by reference, not expanded.
  t.true(refs(schema.$defs['condition']).includes('#/$defs/condition'));
  t.true(refs(schema.$defs['action']).includes('#/$defs/action'));
});

test('defaults in the JSON Schema are written as users write them', (t) => {
  const schema = scenarioJsonSchema() as { properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }> };
  t.is(schema.properties['duration']!.default, '1d');
  t.is(schema.properties['trunks']!.default, 'unlimited');
  t.is(schema.properties['callers']!.properties!['patience']!.default, 'none');
});

test('the agent day, dispatch and conversation keys are in the JSON Schema with their defaults and bounds', (t) => {
  type Obj = { properties: Record<string, Obj>; items: Obj; default?: unknown; minItems?: number; maxItems?: number; required?: string[] };
  const schema = scenarioJsonSchema() as unknown as Obj;
  const center = schema.properties['centers']!.items;
  t.is(center.properties['waitingRoom']!.default, 'unlimited');
  t.deepEqual(center.properties['dispatch']!.items.required, ['to']);
  const group = center.properties['groups']!.items;
  t.is(group.properties['shift']!.default, 'always');
  t.deepEqual(group.properties['skills']!.default, { general: 1 });
  t.is(group.properties['wrapUpLimit']!.default, '30s');
  const weights = schema.properties['conversation']!.properties['ratingWeights']!;
  t.deepEqual([weights.minItems, weights.maxItems, weights.default], [5, 5, [1, 1, 3, 10, 25]]);
  t.is(schema.properties['interval']!.default, '1h');
});
