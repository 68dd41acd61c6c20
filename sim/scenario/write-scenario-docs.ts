// Regenerates docs/scenario.schema.json and the reference tables in docs/scenarios.md
// from the format's one description (schema.ts). A test fails when they are stale.
// Run: npx tsc -p tsconfig.json && node dist/sim/scenario/write-scenario-docs.js

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchemaText } from './json-schema.js';
import { REFERENCE_FILE, repoRoot, SCHEMA_FILE, withReference } from './reference-docs.js';

const root = repoRoot();
writeFileSync(join(root, SCHEMA_FILE), scenarioJsonSchemaText());
const page = join(root, REFERENCE_FILE);
writeFileSync(page, withReference(existsSync(page) ? readFileSync(page, 'utf8') : '# Scenario files\n'));
process.stderr.write(`wrote ${SCHEMA_FILE} and the reference in ${REFERENCE_FILE}\n`);
