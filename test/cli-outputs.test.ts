// What `callsim run --out DIR` leaves behind (DESIGN.md, "--out DIR"): summary.json, junit.xml,
// report.html and histograms.hlog always, calls.csv with --calls-csv; and --signaling sip.

import test from 'ava';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALLS_CSV_COLUMNS } from '../reports/calls-csv.js';
import { callsim } from './cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'callsim-out-'));
const FILE = 'scenarios/validation/erlang-a.yaml';
const SHORT = ['--set', 'duration=2h', '--set', 'warmup=0s', '--set', 'interval=30m'];

test('--out writes summary.json, junit.xml, report.html and histograms.hlog; --calls-csv adds one row per call', (t) => {
  const dir = tmp();
  const r = callsim(['run', FILE, ...SHORT, '--out', dir, '--calls-csv']);
  t.true(r.code === 0 || r.code === 1, r.stderr);
  for (const f of ['summary.json', 'junit.xml', 'report.html', 'histograms.hlog', 'calls.csv']) t.true(existsSync(join(dir, f)), f);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const rows = readFileSync(join(dir, 'calls.csv'), 'utf8').trim().split('\n');
  t.is(rows.length - 1, summary.totals.offered, 'one row per call (no warm-up here)');
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  t.is((junit.match(/<testcase /g) ?? []).length, summary.slas.length, 'one test case per SLA');
  t.regex(readFileSync(join(dir, 'histograms.hlog'), 'utf8'), /Tag=queue_wait,/);
  t.regex(r.stderr, /wrote summary\.json, junit\.xml, histograms\.hlog, report\.html, calls\.csv/);
});

test('--calls-csv with replications: one header, then each replication\'s rows in order, as a run of that replication alone writes them', (t) => {
  const dir = tmp();
  const r = callsim(['run', FILE, ...SHORT, '--replications', '3', '--out', dir, '--calls-csv', '--quiet']);
  t.true(r.code === 0 || r.code === 1, r.stderr);
  const seeds = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).scenario.seeds as number[];
  const [header, ...rows] = readFileSync(join(dir, 'calls.csv'), 'utf8').split('\r\n').slice(0, -1);
  t.is(header, CALLS_CSV_COLUMNS.join(','));
  const expected: string[] = [];
  for (const [i, seed] of seeds.entries()) {
    // A single run draws from the seed given; its rows are replication 0.
    const alone = tmp();
    t.not(callsim(['run', FILE, ...SHORT, '--seed', String(seed), '--out', alone, '--calls-csv', '--quiet']).code, 2);
    const own = readFileSync(join(alone, 'calls.csv'), 'utf8').split('\r\n').slice(1, -1);
    t.true(own.length > 100);
    expected.push(...own.map((row) => `${i}${row.slice(row.indexOf(','))}`));
  }
  t.is(rows.length, expected.length);
  t.deepEqual(rows, expected);
});

test('--calls-csv without --out is a usage error (exit 2)', (t) => {
  const r = callsim(['run', FILE, ...SHORT, '--calls-csv']);
  t.is(r.code, 2);
  t.regex(r.stderr, /--calls-csv writes into the --out folder/);
});

test('--signaling sip gives the same summary as direct for the same seed (no latency, no loss)', (t) => {
  const [a, b] = [tmp(), tmp()];
  t.not(callsim(['run', FILE, ...SHORT, '--out', a, '--quiet']).code, 2);
  t.not(callsim(['run', FILE, ...SHORT, '--signaling', 'sip', '--out', b, '--quiet']).code, 2);
  const strip = (d: string): unknown => {
    const s = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8'));
    delete s.timing;
    return s;
  };
  t.deepEqual(strip(b), strip(a));
  const bad = callsim(['run', FILE, '--signaling', 'smoke']);
  t.is(bad.code, 2);
});
