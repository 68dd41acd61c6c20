import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { callsim, root } from '../../test/cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'callsim-check-'));

/** The Jilin centers: the province (numbers without an area code go to it) and nine cities. */
const JILIN_CENTERS = [
  'centers:',
  '  - { id: province, groups: [{ id: general, count: 20, talk: 200s }] }',
  ...['changchun', 'jilin-city', 'yanbian', 'siping', 'tonghua', 'baicheng', 'liaoyuan', 'songyuan', 'baishan'].map(
    (id, i) => `  - { id: ${id}, areaCodes: ["043${i + 1}"], groups: [{ id: general, count: 10, talk: 200s }] }`,
  ),
];

/** The violation blocks of a report: from a `✗ property [layer]` line to its replay line. */
function violations(stdout: string): string[] {
  return stdout.split('\n\n').filter((b) => /^✗ \S+ \[/.test(b));
}

/** `replay: npx callsim check A --b 'c d'` -> ['check', 'A', '--b', 'c d']. */
function replayArgs(block: string): string[] {
  const line = /replay: npx callsim (.*)$/m.exec(block)![1]!;
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!));
}

/** The block without its heading's layer note (a replay says `replayed`, not `shrunk N times`). */
const body = (block: string): string => block.replace(/ \[[^\]]*\]/, '');

test('the default scenario exits 0', (t) => {
  const r = callsim(['check']);
  t.is(r.code, 0, r.stderr);
});

test('the 12333 menus with the Jilin centers: every property holds, with the number of properties and runs', (t) => {
  const file = join(tmp(), 'jilin.yaml');
  writeFileSync(file, ['name: jilin', 'arrivals: { rate: 100/h }', `ivr: ${resolve(root, 'scenarios/ivr/12333.yaml')}`, ...JILIN_CENTERS, ''].join('\n'));
  const r = callsim(['check', file, '--runs', '300']);
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /^12 properties hold over [\d,]+ states and 300 random calls \(seed 1\); a silent caller leaves within \d+ prompts and time-outs$/m);
  t.regex(r.stdout, /^✓ no-queue-outside-hours +exhaustive \([\d,]+ states\), 300 random calls$/m);
});

const FIXTURES: readonly [string, string, string][] = [
  ['star-wrong-parent', 'star-returns-to-parent', '1 *'],
  ['queue-out-of-hours', 'no-queue-outside-hours', '0'],
  ['dead-end', 'every-path-ends', '2'],
  ['loop-no-exit', 'every-path-ends', 'none'],
];

for (const [name, property, keys] of FIXTURES) {
  test(`broken menu ${name}: exit 1 with a minimal counterexample, and each printed replay reproduces it`, (t) => {
    const r = callsim(['check', `scenarios/ivr/broken/${name}-scenario.yaml`]);
    t.is(r.code, 1, r.stderr);
    const blocks = violations(r.stdout);
    t.deepEqual([...new Set(blocks.map((b) => /^✗ (\S+)/.exec(b)![1]))], [property], r.stdout);
    t.regex(r.stdout, new RegExp(`^✗ ${property} `, 'm'));
    const exhaustive = blocks.find((b) => b.includes('[exhaustive]'))!;
    const random = blocks.find((b) => b.includes('[model-based'))!;
    t.truthy(exhaustive);
    t.truthy(random);
    for (const block of [exhaustive, random]) {
      t.regex(block, /^ {2}calling number: 0431-88000000 \(area code 0431\)$/m);
      t.regex(block, /^ {2}call starts: {4}\w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia\/Shanghai \((inside|outside) agent hours\)$/m);
    }
    // Breadth-first: the shortest key sequence there is.
    t.regex(exhaustive, new RegExp(`^ {2}keys: {11}${keys.replace('*', '\\*')}$`, 'm'));
    t.regex(exhaustive, new RegExp(`replay: npx callsim check scenarios/ivr/broken/${name}-scenario.yaml --property ${property}$`, 'm'));
    t.regex(random, /replay: npx callsim check \S+ --seed 1 --path [\d:]+ --replay-path \S+$/m);
    for (const block of [exhaustive, random]) {
      const again = callsim(replayArgs(block));
      t.is(again.code, 1);
      const same = violations(again.stdout).find((b) => b.includes(block.includes('[exhaustive]') ? '[exhaustive]' : '[model-based'));
      t.is(body(same ?? ''), body(block), `replaying ${replayArgs(block).join(' ')}`);
    }
  });
}

test('--json gives the verdict, the counterexample and the replay command', (t) => {
  const r = callsim(['check', 'scenarios/ivr/broken/queue-out-of-hours-scenario.yaml', '--json', '--runs', '200']);
  t.is(r.code, 1);
  const j = JSON.parse(r.stdout);
  t.false(j.pass);
  t.is(j.properties.length, 12);
  const v = j.violations.find((x: { layer: string }) => x.layer === 'exhaustive');
  t.is(v.property, 'no-queue-outside-hours');
  t.is(v.counterexample.keys, '0');
  t.is(v.counterexample.areaCode, '0431');
  t.is(v.replay.command, 'npx callsim check scenarios/ivr/broken/queue-out-of-hours-scenario.yaml --property no-queue-outside-hours');
  t.deepEqual(v.counterexample.events.at(-1).effects, [{ kind: 'enqueue', target: { center: 'caller', queue: 'general', priority: 0 } }]);
});

test('--set flags are part of the replay command', (t) => {
  const r = callsim(['check', 'scenarios/ivr/broken/star-wrong-parent-scenario.yaml', '--set', 'seed=7', '--property', 'star-returns-to-parent']);
  t.is(r.code, 1);
  t.regex(r.stdout, /replay: npx callsim check scenarios\/ivr\/broken\/star-wrong-parent-scenario.yaml --set seed=7 --property star-returns-to-parent --seed 7 --path /);
});

test('an invalid menu file exits 2 naming its file, line and column', (t) => {
  const dir = tmp();
  writeFileSync(join(dir, 'menus.yaml'), ['entry: main', 'menus:', '  main:', '    prompts: [{ text: hi, duration: 2s }]', '    options:', '      "1": { menu: mian }', ''].join('\n'));
  writeFileSync(join(dir, 'scenario.yaml'), ['name: s', 'arrivals: { rate: 1/h }', 'ivr: menus.yaml', 'centers: [{ id: c, groups: [{ id: g, count: 1, talk: 1m }] }]', ''].join('\n'));
  const r = callsim(['check', join(dir, 'scenario.yaml')]);
  t.is(r.code, 2);
  t.regex(r.stderr, /menus\.yaml:6:\d+: .*mian/);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
});

test('a scenario without an IVR has nothing to check: exit 0', (t) => {
  const r = callsim(['check', 'scenarios/validation/erlang-c.yaml']);
  t.is(r.code, 0);
  t.regex(r.stdout, /no IVR to check/);
});

test('flag mistakes exit 2', (t) => {
  const file = 'scenarios/ivr/broken/dead-end-scenario.yaml';
  t.regex(callsim(['check', file, '--path', '3:1']).stderr, /--path replays a counterexample of one seed: give --seed too/);
  t.is(callsim(['check', file, '--path', '3:1']).code, 2);
  const bad = callsim(['check', file, '--property', 'every-path']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /--property every-path: expected one of targets-exist, /);
  const wrong = callsim(['check', file, '--seed', '1', '--path', '5:9:9:9:9']);
  t.is(wrong.code, 2);
  t.regex(wrong.stderr, /cannot replay --path 5:9:9:9:9 with --seed 1/);
  t.is(callsim(['check', file, '--runs', '0']).code, 2);
});
