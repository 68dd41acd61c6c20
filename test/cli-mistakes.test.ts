// The command line as users get it wrong: a flag without its value, a number flag given
// words, an --out that is a file or cannot be created. Each is exit 2 with a message that
// quotes what was typed, before any work, and never a stack trace or a run the user did not
// ask for (a run without its --out, on another seed). Runs are one simulated hour.

import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_WORKERS } from '../bin/flags.js';
import { callsim, callsimInterrupted, type CliResult } from './cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'callsim-'));
const RUN = ['run', 'scenarios/validation/erlang-a.yaml', '--set', 'duration=1h', '--set', 'warmup=0s', '--quiet'];

/** The CLI, killed after `ms` (code null): a check that is missing must fail the test, not hang it. */
function bounded(args: readonly string[], ms = 30_000): Promise<CliResult> {
  return callsimInterrupted(args, ms, 'SIGKILL');
}

function usageError(t: import('ava').ExecutionContext, r: CliResult, message: RegExp): void {
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, message);
  t.false(/\n\s+at /.test(r.stderr), 'no stack trace');
  t.is(r.stdout, '', 'nothing ran');
}

test('a flag that takes a value, given none (last on the line, or before another flag), is exit 2 naming it', (t) => {
  usageError(t, callsim([...RUN, '--out']), /^callsim: --out needs a value\n$/);
  usageError(t, callsim([...RUN, '--seed']), /^callsim: --seed needs a value\n$/);
  usageError(t, callsim([...RUN, '--seed', '--json']), /^callsim: --seed needs a value\n$/);
  usageError(t, callsim([...RUN, '--set']), /^callsim: --set needs a value\n$/);
  usageError(t, callsim(['erlang', 'c', '--rate', '100/30m', '--aht', '180s', '--agents', '--target', '20s']), /^callsim: --agents needs a value\n$/);
});

test('a number flag given something else quotes what was typed (not NaN), and `--seed=` is not seed 0', (t) => {
  usageError(t, callsim([...RUN, '--seed', 'abc']), /^callsim: --seed `abc`: expected a number\n$/);
  usageError(t, callsim([...RUN, '--replications', 'ten']), /^callsim: --replications `ten`: expected a number\n$/);
  usageError(t, callsim([...RUN, '--seed=']), /^callsim: --seed ``: expected a number\n$/);
  usageError(t, callsim(['staff', 'scenarios/validation/erlang-a.yaml', '--maxAgents', 'many']), /--max-agents `many`: expected a number/);
  // what still works: negative numbers are values (and then out of range), hex is a number
  usageError(t, callsim([...RUN, '--seed', '-3']), /--seed -3: expected a whole number >= 0/);
  const hex = callsim([...RUN, '--seed', '0x10', '--json']);
  t.true(hex.code === 0 || hex.code === 1, hex.stderr);
  t.is(JSON.parse(hex.stdout).scenario.seed, 16);
});

test('--workers beyond the cap (each thread costs about 30 MB) is exit 2 before any thread starts, in run and staff', (t) => {
  const max = MAX_WORKERS;
  usageError(t, callsim([...RUN, '--replications', '2000', '--workers', '1000']), new RegExp(`^callsim: --workers 1000: outside the range 1 \\.\\. ${max}\\n$`));
  usageError(t, callsim(['staff', 'scenarios/validation/erlang-a.yaml', '--workers', '1e4']), /--workers 1e4: outside the range 1 \.\./);
  // the cap itself is taken (one replication: one thread, whatever was asked)
  const atCap = callsim([...RUN, '--workers', String(max), '--json']);
  t.true(atCap.code === 0 || atCap.code === 1, atCap.stderr);
});

test('whole-number flags: `1e3` is a thousand as in a scenario file, and a 20-digit seed is outside the range it names, quoted as typed', (t) => {
  const exp = callsim([...RUN, '--seed', '1e3', '--json']);
  t.true(exp.code === 0 || exp.code === 1, exp.stderr);
  t.is(JSON.parse(exp.stdout).scenario.seed, 1000);
  for (const command of [RUN, ['serve', 'scenarios/validation/erlang-a.yaml'], ['load', 'sip:12333@127.0.0.1:9', '--rate', '1', '--calls', '1']]) {
    usageError(t, callsim([...command, '--seed', '12345678901234567890']), /^callsim: --seed 12345678901234567890: outside the range 0 \.\. 2\^53-1 \(9007199254740991\)\n$/);
  }
  usageError(t, callsim(['check', 'scenarios/validation/erlang-a.yaml', '--seed', '12345678901234567890']), /^callsim: --seed 12345678901234567890: outside the range -2147483648 \.\. 2147483647\n$/);
  usageError(t, callsim([...RUN, '--replications', '1.5']), /^callsim: --replications 1\.5: expected a whole number >= 1\n$/);
  usageError(t, callsim([...RUN, '--replications', '0b11']), /^callsim: --replications `0b11`: expected a number\n$/);
});

test('run --out at a file, or under one, is exit 2 before the run, and the file is untouched', (t) => {
  const dir = tmp();
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'keep me');
  usageError(t, callsim([...RUN, '--out', file]), /--out .*notes\.txt: it, or a folder above it, is a file; expected a folder/);
  usageError(t, callsim([...RUN, '--out', join(file, 'sub')]), /--out .*notes\.txt\/sub: it, or a folder above it, is a file/);
  usageError(t, callsim([...RUN, '--out=']), /--out needs a folder/);
  t.is(readFileSync(file, 'utf8'), 'keep me');
});

test('run --out somewhere nothing can be created is exit 2 (under /proc, where mkdir -p never returned)', async (t) => {
  usageError(t, await bounded([...RUN, '--out', '/proc/callsim-no-such/out']), /--out \/proc\/callsim-no-such\/out: cannot be created there/);
});

test('serve and load check --out before they listen or call, not after the run', async (t) => {
  const file = join(tmp(), 'summary.txt');
  writeFileSync(file, '');
  // a duration long enough that, were --out checked at the end, the test would time out
  const serve = await bounded(['serve', 'scenarios/interop.yaml', '--udp', '127.0.0.1:0', '--duration', '10m', '--out', file]);
  usageError(t, serve, /--out .*summary\.txt: it, or a folder above it, is a file/);
  t.false(serve.stderr.includes('listening'));
  const load = await bounded(['load', 'sip:12333@127.0.0.1:9', 'scenarios/interop.yaml', '--calls', '5', '--duration', '10m', '--out', file]);
  usageError(t, load, /--out .*summary\.txt: it, or a folder above it, is a file/);
  // the fixed path writes no files: --out there would silently write nothing
  usageError(t, callsim(['load', 'sip:12333@127.0.0.1:9', '--rate', '5/s', '--calls', '5', '--out', tmp()]), /--out writes the summary\.json and junit\.xml of scenario callers: give a SCENARIO/);
});

test('run --out creates missing folders and writes there', (t) => {
  const out = join(tmp(), 'a', 'b');
  const r = callsim([...RUN, '--out', out]);
  // an hour of the scenario may miss an SLA (exit 1): what matters here is where it wrote
  t.true(r.code === 0 || r.code === 1, r.stderr);
  t.is(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).scenario.duration, 3600);
});

test('--set takes one value each time: a scenario file after it is the scenario, not another --set', (t) => {
  const r = callsim(['run', '--set', 'seed=3', '--set', 'duration=1h', '--set', 'warmup=0s', 'scenarios/validation/erlang-a.yaml', '--json', '--quiet']);
  t.true(r.code === 0 || r.code === 1, r.stderr);
  const s = JSON.parse(r.stdout);
  t.is(s.scenario.file, 'scenarios/validation/erlang-a.yaml');
  t.is(s.scenario.seed, 3);
  t.is(s.scenario.duration, 3600);
});
