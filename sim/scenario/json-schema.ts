// The scenario format as JSON Schema (draft 2020-12), derived from schema.ts, so that
// editors can complete and check scenario files: with the YAML language server, put
// `# yaml-language-server: $schema=<path>/docs/scenario.schema.json` at the top of a file.

import { JsonDefs, type JsonObject } from './schema-dsl.js';
import { SCENARIO } from './schema.js';

export function scenarioJsonSchema(): JsonObject {
  const defs = new JsonDefs();
  const root = SCENARIO.json(defs);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'callsim scenario',
    ...root,
    $defs: defs.defs,
  };
}

/** The text of docs/scenario.schema.json. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
