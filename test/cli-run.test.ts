import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callsim, callsimInterrupted } from './cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'callsim-'));
const withoutTiming = (json: string): unknown => {
  const s = JSON.parse(json) as Record<string, unknown>;
  delete s.timing;
  return s;
};

test('run writes summary.json; the same seed gives the same bytes apart from timing, another seed differs', (t) => {
  const [a, b, c] = [tmp(), tmp(), tmp()];
  const file = 'scenarios/validation/erlang-a.yaml';
  t.is(callsim(['run', file, '--out', a, '--quiet']).code, 0);
  t.is(callsim(['run', file, '--out', b, '--quiet']).code, 0);
  t.is(callsim(['run', file, '--out', c, '--seed', '2', '--quiet']).code, 0);
  const [ja, jb, jc] = [a, b, c].map((d) => readFileSync(join(d, 'summary.json'), 'utf8'));
  const strip = (s: string) => s.replace(/"timing": \{[^}]*\}/, '');
  t.is(strip(ja!), strip(jb!));
  t.notDeepEqual(withoutTiming(ja!), withoutTiming(jc!));
  const summary = JSON.parse(ja!);
  t.is(summary.scenario.seed, 1);
  t.true(summary.pass);
  t.deepEqual(Object.keys(summary.metrics.queue_wait), ['unit', 'count', 'mean', 'sd', 'min', 'p50', 'p90', 'p95', 'p99', 'max']);
  t.deepEqual(summary.slas.map((s: { metric: string }) => s.metric), ['service_level(20s)', 'abandon_rate', 'agent_answer_rate']);
  t.true(summary.rates.abandon_rate.numerator > 0);
});

test('an SLA that breaks exits 1 and says which', (t) => {
  const r = callsim(['run', 'scenarios/validation/erlang-a.yaml', '--set', 'sla.abandon_rate=<= 0.001', '--quiet']);
  t.is(r.code, 1);
  t.regex(r.stdout, /✗ abandon_rate: <= 0.001/);
  t.regex(r.stdout, /1 of 3 SLAs failed/);
});

test('--json prints summary.json to stdout, with intervals when replicated', (t) => {
  const r = callsim(['run', 'scenarios/validation/erlang-c.yaml', '--json', '--replications', '3', '--set', 'duration=2d']);
  t.is(r.code, 0);
  const s = JSON.parse(r.stdout);
  t.is(s.scenario.replications, 3);
  t.is(s.scenario.seeds.length, 3);
  t.true(s.rates['service_level(20s)'].ci95.low < s.rates['service_level(20s)'].value);
  t.true(s.metrics.speed_of_answer.ci95.high > s.metrics.speed_of_answer.mean);
  for (const def of ['strict', 'answered', 'exclude-short-abandons', 'wait', 'virtual']) {
    t.true(s.serviceLevels['service_level(20s)'][def].value > 0.8, def);
  }
});

test('a scenario with four mistakes exits 2 and names all four with their lines, without a stack trace', (t) => {
  const dir = tmp();
  const file = join(dir, 'broken.yaml');
  writeFileSync(
    file,
    [
      'name: broken',
      'arrivals:',
      '  rate: 100/30m',
      'callers:',
      '  patince: { exponential: { mean: 5m } }',
      'centers:',
      '  - id: pool',
      '    groups:',
      '      - id: agents',
      '        count: -3',
      '        talk: { exponential: { mean: 3 minutes } }',
      'sla:',
      '  queue_wiat: ["p(95) <= 20s"]',
      '',
    ].join('\n'),
  );
  const r = callsim(['run', file]);
  t.is(r.code, 2);
  t.is(r.stdout, '');
  t.regex(r.stderr, /4 problems/);
  t.regex(r.stderr, /broken\.yaml:5:3: callers\.patince: .*did you mean `patience`/);
  t.regex(r.stderr, /broken\.yaml:10:\d+: centers\[0\]\.groups\[0\]\.count: `-3` is out of range/);
  t.regex(r.stderr, /broken\.yaml:11:\d+: centers\[0\]\.groups\[0\]\.talk\.exponential\.mean: `3 minutes` is not a duration/);
  t.regex(r.stderr, /broken\.yaml:13:3: sla\.queue_wiat: unknown metric.*did you mean `queue_wait`/);
  t.notRegex(r.stderr, /\n\s+at /);
});

test('bad flags and missing files exit 2 with a message, never a stack trace', (t) => {
  for (const args of [
    ['run', 'no/such/file.yaml'],
    ['run', '--bogus'],
    ['run', '--replications', '0'],
    ['run', '--seed', '-4'],
    ['run', '--set', 'nonsense'],
    ['frobnicate'],
  ]) {
    const r = callsim(args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, /^callsim: /, args.join(' '));
    t.notRegex(r.stderr, /\n\s+at /, args.join(' '));
  }
});

test('the default scenario runs with no arguments and reports its SLAs', (t) => {
  const r = callsim(['run', '--quiet']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /Jilin 12333/);
  t.regex(r.stdout, /✓ connect_rate: >= 0.95/);
  t.regex(r.stdout, /all SLAs held/);
});

test('Ctrl-C stops a long run, writes what it has marked partial, and exits 130', async (t) => {
  const dir = tmp();
  const r = await callsimInterrupted(['run', 'scenarios/validation/erlang-c.yaml', '--set', 'duration=3000d', '--out', dir, '--quiet'], 4000);
  t.is(r.code, 130, r.stderr);
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  t.true(s.partial);
  t.true(s.totals.offered > 0);
  t.regex(r.stdout, /PARTIAL/);
});

test('help lists every command; a command names only its own options; a mistyped command exits 2 with a suggestion', (t) => {
  const all = callsim(['--help']);
  t.is(all.code, 0, all.stderr);
  for (const name of ['run', 'erlang', 'check', 'staff', 'report', 'compare', 'serve', 'load']) t.regex(all.stdout, new RegExp(`callsim ${name}\\b`));
  const erlang = callsim(['erlang', '--help']);
  t.is(erlang.code, 0, erlang.stderr);
  t.regex(erlang.stdout, /callsim erlang <model>/);
  t.notRegex(erlang.stdout, /--replications/);
  const typo = callsim(['rn']);
  t.is(typo.code, 2);
  t.regex(typo.stderr, /Did you mean run\?/);
  const erlangRun = callsim(['erlang', 'c', '--rate', '60/h', '--aht', '180s', '--agents', '5', '--json']);
  t.is(erlangRun.code, 0, erlangRun.stderr);
  t.true(JSON.parse(erlangRun.stdout).occupancy === 0.6);
});
