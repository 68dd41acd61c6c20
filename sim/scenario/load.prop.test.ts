import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, parse } from 'yaml';
import { ScenarioError } from './errors.js';
import { FULL_EXAMPLE, MINIMAL_EXAMPLE } from './example-scenarios.js';
import { parseScenario } from './load.js';
import { repoRoot } from './reference-docs.js';

// Whatever the text and flags, loading ends in a Scenario or a ScenarioError whose every
// issue has a place; never in any other exception. The full example holds every key of
// the format (agent days, dispatch, skills routing, callbacks...), so mutations reach them all. The same for a scenario whose IVR is a
// menu file, both documents mutated.

type Tree = unknown;
type Path = readonly (string | number)[];

const BASES: readonly Tree[] = [parse(FULL_EXAMPLE), parse(MINIMAL_EXAMPLE)];

/** A scenario naming the 12333 menu file, with the centers its queues name. */
const WITH_MENU_FILE = `arrivals: { rate: 1/s }
ivr: ivr/menus.yaml
callers:
  areaCodes: { "0431": 1 }
  ivr: { choices: { main: { "0": 1, silent: 0.1 }, agent: { "1": 1 } } }
centers:
  - { id: province, groups: [{ count: 1 }] }
  - { id: changchun, areaCodes: ["0431"], groups: [{ count: 1 }] }
`;
const MENU_FILE = 'ivr/menus.yaml';
const MENUS: Tree = parse(readFileSync(join(repoRoot(), 'scenarios/ivr/12333.yaml'), 'utf8'));

/** Values that are valid somewhere in the format, wrong elsewhere, or wrong everywhere. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '3 minutes', '-1', '90s', '0s', '1h30m', 'unlimited', 'none', '', '08:00', '00:00', '1e400', '>= 0.95', 'p(95) <= 3',
    'Asia/Shanghai', 'Mars/Olympus', '100/30m', '5/0s', 'strict', 'longest-idle', 'connect_rate', 'service_level(20s)',
    '2026-07-06T00:00:00+08:00', 'g1', 'province', null, true, -3, 0, 1, 1.5, 1e300, Infinity, Number.NaN,
    'hangup', 'main', 'caller', 'changchn', 'ivr/menus.yaml', 'menus.yaml', '05-01', '02-29', '24:00', 'mon', '0431', '*', '#', 'silent',
    'always', 'agent-hours', 'alwys', 'skills', 'round-robin', 'fewest-calls', 'any', 'complaint', 'general', 'fri', '11:30', '30m', false,
  ),
  fc.constantFrom(
    { exponential: { mean: '5m' } },
    { uniform: { min: '30s', max: '10s' } },
    { empirical: ['30s', { value: '1m', weight: 0 }] },
    { expo: {} },
    [{ at: '00:00', rate: '1/s' }],
    [{ id: 'province', groups: [{ count: 1 }] }],
    [{ count: 2 }],
    { rate: '1/s', profile: [] },
    { menu: 'main' },
    { menu: 'nowhere' },
    { queue: { center: 'caller', priority: -1 } },
    { hangup: { prompt: { text: '再见', duration: '2s' } } },
    { agentHours: true, areaCode: ['0431'] },
    { not: { any: [{ holiday: true }] } },
    [{ text: '菜单', duration: '3s' }],
    { '1': 'hangup', '10': { menu: 'main' } },
    [{ when: { agentHours: true }, next: 'hangup' }, { next: { menu: 'main' } }],
    [{ name: 'all', from: '01-01', to: '12-31', agentHours: { open: '00:00', close: '24:00' } }],
    { entry: 'm', menus: { m: { next: 'hangup' } } },
    [{ days: ['mon', 'tue'], start: '08:00', end: '18:00' }],
    [{ days: ['sat', 'sat'], start: '22:00', end: '22:00' }],
    { from: '11:30', to: '13:30', duration: '30m' },
    { from: '13:30', to: '11:30', duration: '3h' },
    { day: 'fri', from: '14:00', to: '17:00', share: 0.25 },
    { every: { exponential: { mean: '1h' } }, duration: '2m' },
    { rings: 0, notReady: '2m' },
    { probability: 0.2, duration: { lognormal: { mean: '40s', sd: '30s' } }, limit: '30s', returns: 0.8 },
    { general: 1, complaint: 11 },
    { complaint: 3 },
    [{ to: 'changchun', after: '60s' }, { to: 'any', queueLongerThan: 10 }],
    [{ to: 'province', closed: true }, { to: 'nowhere' }],
    { to: 'province', noFreeAgent: true },
    { strategy: 'skills' },
    { deadline: '30m', fromCalls: 0.05, attempts: 0 },
    [1, 1, 3, 10, 25],
    [0, 0, 0, 0, 0],
    [1, 2, 3],
  ),
  fc.integer({ min: -5, max: 100 }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Keys near the real ones, and others. */
const keyName = fc.oneof(
  fc.constantFrom('patince', 'cout', 'id', 'talk', 'rate', 'profile', 'groups', 'sla', 'ring_period', 'seed', '<<', '', '0', 'exponential',
    'main', 'options', 'next', 'variants', 'when', 'prompts', 'parent', '1', '*', '10', 'then', 'menu', 'seasons', 'choices',
    'shift', 'lunch', 'training', 'notReady', 'ringNoAnswer', 'hold', 'skills', 'complaint', 'dispatch', 'to', 'after', 'closed',
    'waitingRoom', 'interval', 'callbacks', 'conversation', 'ratingWeights', 'queue', 'strategy'),
  fc.string({ maxLength: 8 }),
);

const mutation = fc.record({
  op: fc.constantFrom('delete', 'retype', 'rename', 'duplicate', 'share'),
  pick: fc.nat(),
  value,
  key: keyName,
});

const garbage = fc
  .array(fc.constantFrom(':', '- ', ' ', '  ', '\n', '{', '}', '[', ']', '&a ', '*a', '"', "'", '#', '>', '|', '!', '!!binary ', '%', '@', '`', '? ', '---\n', '\t', 'x', '1', '中', '\u0000', ',', '\\'), { maxLength: 8 })
  .map((parts) => parts.join(''));

const textEdit = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: garbage }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), length: fc.nat({ max: 20 }) }),
  fc.record({ op: fc.constant('dupline' as const), at: fc.nat() }),
);

const setPath = fc.oneof(
  fc.constantFrom('seed', 'arrivals.scale', 'arrivals.rate', 'callers.patience', 'centers[0].groups[0].count', 'centers.province.groups.general.count',
    'centers.province.groups.g2.talk', 'sla.connect_rate', 'sla.nope', 'centers[9].id', 'seed.x', 'calers.x', 'centers.0', '', 'a..b', 'centers[x]',
    'ivr', 'ivr.menus.main.timeout', 'ivr.entry', 'callers.ivr.choices.main.1', 'callers.ivr.bargeIn', 'calendar.seasons[0].from', 'calendar.holidays',
    'centers.province.groups.general.lunch.duration', 'centers.province.groups.general.shift', 'centers.province.groups.general.skills.complaint',
    'centers.province.groups.g2.skills', 'centers.province.dispatch[0].to', 'centers.changchun.dispatch', 'centers[0].waitingRoom',
    'routing.strategy', 'interval', 'callbacks.attempts', 'conversation.ratingWeights', 'ivr.menus.main.options.5.queue.queue'),
  fc.string({ maxLength: 10 }),
);
const setFlag = fc.oneof(
  fc.tuple(setPath, value).map(([p, v]) => `${p}=${flow(v)}`),
  fc.tuple(setPath, garbage).map(([p, g]) => `${p}=${g}`),
  garbage,
);

function flow(v: unknown): string {
  return new Document(v).toString({ collectionStyle: 'flow' }).trimEnd();
}

function allPaths(tree: Tree, path: Path = []): Path[] {
  const out: Path[] = [path];
  if (Array.isArray(tree)) tree.forEach((item, i) => out.push(...allPaths(item, [...path, i])));
  else if (tree && typeof tree === 'object') for (const [k, v] of Object.entries(tree)) out.push(...allPaths(v, [...path, k]));
  return out;
}

function parentOf(tree: Tree, path: Path): Record<string | number, unknown> | undefined {
  let node = tree;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[step];
  return node && typeof node === 'object' ? (node as Record<string | number, unknown>) : undefined;
}

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(base: Tree, mutations: readonly Mutation[]): Tree {
  let tree = structuredClone(base);
  for (const m of mutations) {
    const paths = allPaths(tree);
    const path = paths[m.pick % paths.length]!;
    // Copies, so that later mutations never reach into the arbitraries' shared constants.
    if (path.length === 0) {
      if (m.op === 'retype') tree = structuredClone(m.value);
      continue;
    }
    const parent = parentOf(tree, path);
    const last = path[path.length - 1]!;
    if (!parent) continue;
    const old = parent[last];
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else if (m.op === 'retype') {
      parent[last] = structuredClone(m.value);
    } else if (m.op === 'rename' && !Array.isArray(parent)) {
      delete parent[last];
      parent[m.key] = old;
    } else if (m.op === 'duplicate') {
      if (Array.isArray(parent)) parent.push(structuredClone(old));
      else parent[m.key] = structuredClone(old);
    } else if (m.op === 'share' && old && typeof old === 'object') {
      // The same object twice: written out as an anchor and an alias.
      if (Array.isArray(parent)) parent.push(old);
      else parent[m.key] = old;
    }
  }
  return tree;
}

function edit(text: string, edits: readonly { op: string; at: number; text?: string; length?: number }[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length;
    if (e.op === 'insert') out = out.slice(0, at) + e.text + out.slice(at);
    else if (e.op === 'cut') out = out.slice(0, at) + out.slice(at + (e.length ?? 0));
    else {
      const start = out.lastIndexOf('\n', at) + 1;
      const end = out.indexOf('\n', at);
      const line = out.slice(start, end < 0 ? out.length : end + 1);
      out = out.slice(0, start) + line + (line.endsWith('\n') ? '' : '\n') + out.slice(start);
    }
  }
  return out;
}

function outcome(text: string, sets: readonly string[], menus?: string): 'valid' | 'invalid' {
  const readFile = (path: string): string => {
    if (menus !== undefined && path === MENU_FILE) return menus;
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  };
  try {
    const s = parseScenario(text, 'prop.yaml', { sets, readFile });
    if (s.file !== 'prop.yaml' || s.centers.length === 0) throw new Error('a resolved scenario without its file or centers');
    if (s.ivr && s.ivr.file !== 'prop.yaml' && s.ivr.file !== MENU_FILE) throw new Error(`an IVR from an unknown file: ${s.ivr.file}`);
    return 'valid';
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    if (e.issues.length === 0) throw new Error('a ScenarioError with no issues');
    const last = new Map<string, [number, number]>();
    const files = ['prop.yaml', MENU_FILE, '--set'];
    let fileRank = 0;
    for (const issue of e.issues) {
      const pos = issue.pos;
      if (!pos || !Number.isInteger(pos.line) || !Number.isInteger(pos.column) || pos.line < 1 || pos.column < 1) {
        throw new Error(`an issue without a proper position: ${JSON.stringify(issue)}`);
      }
      const rank = files.indexOf(pos.file);
      if (rank < 0) throw new Error(`an issue in an unknown file: ${JSON.stringify(issue)}`);
      if (rank < fileRank) throw new Error('issues not grouped by file: the scenario, the menu file, then the flags');
      fileRank = rank;
      if (pos.file !== '--set') {
        const [line, column] = last.get(pos.file) ?? [0, 0];
        if (pos.line < line || (pos.line === line && pos.column < column)) throw new Error(`issues of ${pos.file} out of source order`);
        last.set(pos.file, [pos.line, pos.column]);
      }
      if (typeof issue.message !== 'string' || issue.message === '') throw new Error('an issue without a message');
    }
    return 'invalid';
  }
}

test('mutated scenario documents end in a Scenario or a fully positioned ScenarioError', (t) => {
  const seen = { valid: 0, invalid: 0 };
  fc.assert(
    fc.property(
      fc.constantFrom(...BASES.keys()),
      fc.array(mutation, { maxLength: 4 }),
      fc.boolean(),
      fc.array(textEdit, { maxLength: 3 }),
      fc.array(setFlag, { maxLength: 3 }),
      (base, mutations, flowStyle, edits, sets) => {
        const tree = mutate(BASES[base], mutations);
        const doc = new Document(tree, { aliasDuplicateObjects: true });
        const text = edit(doc.toString(flowStyle ? { collectionStyle: 'flow' } : {}), edits);
        seen[outcome(text, sets)]++;
      },
    ),
    { numRuns: 1500 },
  );
  // Both outcomes must really occur, or the property is testing less than it claims.
  t.true(seen.valid > 20, JSON.stringify(seen));
  t.true(seen.invalid > 200, JSON.stringify(seen));
});

test('a scenario and its mutated menu file end in a Scenario or a fully positioned ScenarioError', (t) => {
  const seen = { valid: 0, invalid: 0 };
  const scenario = parse(WITH_MENU_FILE) as Tree;
  fc.assert(
    fc.property(
      fc.array(mutation, { maxLength: 1 }),
      fc.array(mutation, { maxLength: 3 }),
      fc.boolean(),
      fc.array(textEdit, { maxLength: 1 }),
      fc.array(setFlag, { maxLength: 1 }),
      (scenarioMutations, menuMutations, flowStyle, edits, sets) => {
        const text = new Document(mutate(scenario, scenarioMutations), { aliasDuplicateObjects: true }).toString();
        const menus = new Document(mutate(MENUS, menuMutations), { aliasDuplicateObjects: true });
        seen[outcome(text, sets, edit(menus.toString(flowStyle ? { collectionStyle: 'flow' } : {}), edits))]++;
      },
    ),
    { numRuns: 600 },
  );
  t.true(seen.valid > 20, JSON.stringify(seen));
  t.true(seen.invalid > 100, JSON.stringify(seen));
});

test('arbitrary text ends in a Scenario or a fully positioned ScenarioError', (t) => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), garbage), fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }), (text, sets) => {
      outcome(text, sets);
    }),
    { numRuns: 500 },
  );
  t.pass();
});
