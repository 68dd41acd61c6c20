// Regenerates docs/scenario.schema.json, docs/ivr.schema.json and the reference tables in
// docs/scenarios.md and docs/ivr.md from the formats' one description (schema.ts,
// ivr-schema.ts). A test fails when they are stale.
// Run: npx tsc -p tsconfig.json && node dist/sim/scenario/write-scenario-docs.js

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ivrJsonSchemaText, scenarioJsonSchemaText } from './json-schema.js';
import { IVR_REFERENCE_FILE, IVR_SCHEMA_FILE, ivrReference, REFERENCE_FILE, repoRoot, SCHEMA_FILE, scenarioReference, withReference } from './reference-docs.js';

const root = repoRoot();
function writePage(file: string, title: string, section: string): void {
  const page = join(root, file);
  writeFileSync(page, withReference(existsSync(page) ? readFileSync(page, 'utf8') : `# ${title}\n`, section));
}
writeFileSync(join(root, SCHEMA_FILE), scenarioJsonSchemaText());
writeFileSync(join(root, IVR_SCHEMA_FILE), ivrJsonSchemaText());
writePage(REFERENCE_FILE, 'Scenario files', scenarioReference());
writePage(IVR_REFERENCE_FILE, 'IVR menus', ivrReference());
process.stderr.write(`wrote ${SCHEMA_FILE}, ${IVR_SCHEMA_FILE} and the references in ${REFERENCE_FILE} and ${IVR_REFERENCE_FILE}\n`);
