// The scenario format as JSON Schema (draft 2020-12), derived from schema.ts, so that
// editors can complete and check scenario files: with the YAML language server, put
// `# yaml-language-server: $schema=<path>/docs/scenario.schema.json` at the top of a file
// (`ivr.schema.json` for a menu file).

import { JsonDefs, type JsonObject } from './schema-dsl.js';
import { IVR_FORMAT } from './ivr-field.js';
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

/** The menu file format (docs/ivr.md) as JSON Schema, for menu files such as scenarios/ivr/12333.yaml. */
export function ivrJsonSchema(): JsonObject {
  const defs = new JsonDefs();
  const root = IVR_FORMAT.json(defs);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'callsim IVR menus',
    ...root,
    $defs: defs.defs,
  };
}

/** The text of docs/ivr.schema.json. */
export function ivrJsonSchemaText(): string {
  return `${JSON.stringify(ivrJsonSchema(), null, 2)}\n`;
}
