// `callsim run --replications N --workers W` end to end: the summary and the histogram log are
// the same bytes for any W (apart from `timing`), the worker pool is found from any working directory, the
// worker threads started while the scenario is parsed never keep a failed run alive, Ctrl-C
// with workers writes a partial summary and exits 130, and the progress bar shows on a
// terminal only (a pseudo-terminal from `script`, util-linux) and never with --quiet.

import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_WORKERS } from '../bin/flags.js';
import { callsim, callsimInterrupted, cliPath, root } from './cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'callsim-workers-'));
const summaryOf = (dir: string): string => readFileSync(join(dir, 'summary.json'), 'utf8');
const withoutTiming = (json: string): string => json.replace(/"timing": \{[^}]*\}/, '');

test('8 replications on 2 workers and on 1 give the same summary.json and histograms.hlog, with 95 % intervals', (t) => {
  const [one, two] = [tmp(), tmp()];
  const args = ['run', 'scenarios/validation/erlang-a.yaml', '--set', 'duration=2d', '--replications', '8', '--quiet'];
  const r1 = callsim([...args, '--workers', '1', '--out', one]);
  const r2 = callsim([...args, '--workers', '2', '--out', two]);
  t.is(r1.code, 0, r1.stderr);
  t.is(r2.code, 0, r2.stderr);
  t.is(withoutTiming(summaryOf(two)), withoutTiming(summaryOf(one)));
  // Interval_Max included: a histogram that crossed from a worker still gives the exact max.
  t.is(readFileSync(join(two, 'histograms.hlog'), 'utf8'), readFileSync(join(one, 'histograms.hlog'), 'utf8'));
  const s = JSON.parse(summaryOf(two));
  t.is(s.scenario.replications, 8);
  t.is(new Set(s.scenario.seeds).size, 8);
  t.false(s.partial);
  for (const rate of ['abandon_rate', 'service_level(20s)', 'occupancy']) t.true(s.rates[rate].ci95.low <= s.rates[rate].value && s.rates[rate].value <= s.rates[rate].ci95.high, rate);
  t.true(s.metrics.queue_wait.ci95.stderr > 0);
  t.true(s.centers.pool.rates.abandon_rate.ci95.high > 0);
});

test('the default scenario gives the same summary.json on 1 and 2 workers', (t) => {
  const [one, two] = [tmp(), tmp()];
  const args = ['run', '--set', 'start=2026-07-06T09:00:00+08:00', '--set', 'duration=1h', '--replications', '3', '--quiet'];
  const r1 = callsim([...args, '--workers', '1', '--out', one]);
  const r2 = callsim([...args, '--workers', '2', '--out', two]);
  t.true(r1.code === 0 || r1.code === 1, r1.stderr);
  t.is(r2.code, r1.code, r2.stderr);
  t.is(withoutTiming(summaryOf(two)), withoutTiming(summaryOf(one)));
  const s = JSON.parse(summaryOf(two));
  t.is(s.scenario.replications, 3);
  t.true(s.totals.offered > 1000);
  t.truthy(s.ivr);
});

test('workers are found when the CLI runs from another directory', (t) => {
  const out = tmp();
  const r = spawnSync(
    process.execPath,
    [cliPath, 'run', join(root, 'scenarios/validation/erlang-c.yaml'), '--set', 'duration=1d', '--replications', '2', '--workers', '2', '--out', out, '--quiet'],
    { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  t.is(r.status, 0, r.stderr);
  t.is(JSON.parse(summaryOf(out)).scenario.replications, 2);
});

test('a scenario error with --workers 2 exits 2 with the message, the threads started ahead notwithstanding', (t) => {
  const dir = tmp();
  const r = spawnSync(process.execPath, [cliPath, 'run', 'scenarios/validation/erlang-a.yaml', '--set', 'duration=-1h', '--replications', '4', '--workers', '2', '--out', dir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  t.is(r.error, undefined);
  t.is(r.status, 2, r.stderr);
  t.regex(r.stderr, /duration/);
});

test('bad --workers exits 2 with a message', (t) => {
  const max = MAX_WORKERS;
  for (const [w, says] of [['0', `outside the range 1 \\.\\. ${max}`], ['-1', `outside the range 1 \\.\\. ${max}`], ['1.5', `expected a whole number from 1 to ${max}`]]) {
    const r = callsim(['run', 'scenarios/validation/erlang-a.yaml', '--replications', '2', '--workers', w!]);
    t.is(r.code, 2, w);
    t.regex(r.stderr, new RegExp(`^callsim: --workers ${w!.replace('.', '\\.')}: ${says}\n$`), w);
  }
});

test('Ctrl-C with workers: the running replications stop, the summary is written marked partial, exit 130; no progress bar off a terminal', async (t) => {
  const dir = tmp();
  const r = await callsimInterrupted(
    ['run', 'scenarios/validation/erlang-c.yaml', '--set', 'duration=3000d', '--replications', '6', '--workers', '2', '--out', dir],
    4000,
  );
  t.is(r.code, 130, r.stderr);
  const s = JSON.parse(summaryOf(dir));
  t.true(s.partial);
  t.true(s.totals.offered > 0);
  t.true(s.scenario.replications >= 1 && s.scenario.replications <= 2, String(s.scenario.replications));
  t.regex(r.stdout, /PARTIAL/);
  t.notRegex(r.stderr, /ETA/);
});

/** Runs the CLI on a pseudo-terminal (stdout and stderr together), as a user at a terminal would. */
function onTerminal(args: readonly string[], env: Record<string, string> = {}): { code: number | null; output: string } {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) throw new Error(`script (util-linux) is needed for this test: ${r.error.message}`);
  return { code: r.status, output: r.stdout };
}

test('on a terminal, a run longer than a second shows progress on stderr (no colour with NO_COLOR); --quiet shows none', (t) => {
  const [a, b] = [tmp(), tmp()];
  const args = ['run', 'scenarios/validation/erlang-c.yaml', '--set', 'duration=60d', '--replications', '2', '--workers', '2'];
  const shown = onTerminal([...args, '--out', a], { NO_COLOR: '1' });
  t.is(shown.code, 0, shown.output.slice(-2000));
  t.regex(shown.output, /\r\[[#-]+\] +\d+% \| [012]\/2 replications \|.* \| ETA /);
  t.notRegex(shown.output, /\u001b\[36m/);
  const quiet = onTerminal([...args, '--out', b, '--quiet'], { NO_COLOR: '1' });
  t.is(quiet.code, 0);
  t.notRegex(quiet.output, /ETA/);
  t.regex(quiet.output, /all SLAs held/);
  // The bar never reaches the results.
  t.is(withoutTiming(summaryOf(b)), withoutTiming(summaryOf(a)));
});
