// Dependencies point one way (DESIGN.md): kernel <- (ivr, acd, callers, agents, sip) <-
// scenario <- metrics <- reports <- bin. The model emits records; reporting never reaches
// back into it. This test reads every import and fails on one that points the wrong way.

import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const LEVEL: Readonly<Record<string, number>> = {
  'sim/kernel': 0,
  'sim/ivr': 1,
  'sim/acd': 1,
  'sim/callers': 1,
  agents: 1,
  'sim/sip': 1,
  'sim/scenario': 2,
  'sim/metrics': 3,
  reports: 4,
  bin: 5,
};

function layerOf(file: string): string | undefined {
  return Object.keys(LEVEL).find((l) => file === l || file.startsWith(`${l}/`));
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(rel);
  }
  return out;
}

test('no source file imports from a layer above its own', (t) => {
  const wrong: string[] = [];
  let checked = 0;
  for (const top of ['sim', 'agents', 'reports', 'bin']) {
    for (const file of sources(top)) {
      const from = layerOf(file);
      if (from === undefined) continue;
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)) {
        const target = relative(root, resolve(root, dirname(file), m[1]!));
        const to = layerOf(target);
        checked++;
        if (to !== undefined && LEVEL[to]! > LEVEL[from]!) wrong.push(`${file} imports ${target} (${from} may not depend on ${to})`);
      }
    }
  }
  t.true(checked > 20, 'the scan found the imports');
  t.deepEqual(wrong, []);
});
