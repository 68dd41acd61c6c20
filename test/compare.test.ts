import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllowance } from '../bin/commands/compare.js';
import {
  type ComparableSummary,
  compareSummaries,
  DIRECTIONS,
  directionOf,
  type DurationIn,
  formatComparison,
  type RateIn,
  readSummary,
  SummaryInputError,
} from '../reports/compare.js';
import { METRICS } from '../sim/scenario/metric-names.js';
import { callsim } from './cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'callsim-compare-'));

const duration = (mean: number, over: Partial<DurationIn> = {}): DurationIn => ({ unit: 's', count: 1000, mean, p95: mean * 3, ...over });
const rate = (numerator: number, denominator: number, over: Partial<RateIn> = {}): RateIn => ({ value: numerator / denominator, numerator, denominator, ...over });

function summary(over: Partial<ComparableSummary> = {}): ComparableSummary {
  return {
    file: 'x/summary.json',
    scenario: { name: 's', seed: 1, replications: 1 },
    metrics: { queue_wait: duration(10), talk: duration(180) },
    rates: { abandon_rate: rate(50, 1000), 'service_level(20s)': rate(800, 1000), occupancy: rate(600, 1000) },
    slas: [{ metric: 'abandon_rate', expr: '<= 0.06', observed: 0.05, pass: true }],
    partial: false,
    ...over,
  };
}

const row = (c: ReturnType<typeof compareSummaries>, label: string) => c.rows.find((r) => r.label === label)!;

test('every metric of the catalog has a direction, in one table', (t) => {
  for (const m of METRICS) t.true(m.name in DIRECTIONS, m.name);
  t.is(directionOf('service_level(30s)'), 'higher');
  t.is(directionOf('queue_wait'), 'lower');
  t.is(directionOf('occupancy'), 'neutral');
  t.is(directionOf('some_future_metric'), 'neutral');
});

test('identical summaries: no change, no regression', (t) => {
  const c = compareSummaries(summary(), summary());
  t.deepEqual(c.regressions, []);
  t.true(c.rows.every((r) => r.delta === 0 && !r.regression));
  t.regex(formatComparison(c, { color: false }), /no regression beyond 5%\n$/);
});

test('rates: a significant change the bad way beyond the allowance is a regression; the good way, within it, or insignificant is not', (t) => {
  const worse = compareSummaries(summary(), summary({ rates: { ...summary().rates, abandon_rate: rate(80, 1000), 'service_level(20s)': rate(700, 1000) } }));
  t.like(row(worse, 'abandon_rate'), { change: 'worse', test: 'two-proportion-z', significant: true, regression: true });
  t.like(row(worse, 'service_level(20s)'), { change: 'worse', significant: true, regression: true });
  t.is(row(worse, 'abandon_rate').relative!.toFixed(2), '0.60');
  t.deepEqual(worse.regressions, ['abandon_rate', 'service_level(20s)']);

  const better = compareSummaries(summary(), summary({ rates: { ...summary().rates, abandon_rate: rate(20, 1000) } }));
  t.like(row(better, 'abandon_rate'), { change: 'better', significant: true, regression: false });

  // 80 % -> 77 %: significant on 10,000 calls but 3.75 % relative, inside 5 %; outside a 2 % allowance.
  const big = { 'service_level(20s)': rate(8000, 10000) };
  const slightly = compareSummaries(summary({ rates: big }), summary({ rates: { 'service_level(20s)': rate(7700, 10000) } }));
  t.like(row(slightly, 'service_level(20s)'), { change: 'worse', significant: true, regression: false });
  t.true(compareSummaries(summary({ rates: big }), summary({ rates: { 'service_level(20s)': rate(7700, 10000) } }), { maxRegression: 0.02 }).regressions.length > 0);

  // 5 of 100 -> 7 of 100: +40 %, but not significant.
  const small = compareSummaries(summary({ rates: { abandon_rate: rate(5, 100) } }), summary({ rates: { abandon_rate: rate(7, 100) } }));
  t.like(row(small, 'abandon_rate'), { change: 'worse', significant: false, regression: false });

  // Neutral figures move freely.
  const busy = compareSummaries(summary(), summary({ rates: { ...summary().rates, occupancy: rate(950, 1000) } }));
  t.like(row(busy, 'occupancy'), { change: 'neutral', regression: false, test: 'none' });
});

test('with replications: Welch\'s t on the intervals decides', (t) => {
  const ci = (mean: number, stderr: number) => ({ low: mean - 2.776 * stderr, high: mean + 2.776 * stderr, stderr });
  const reps = { name: 's', seed: 1, replications: 5 };
  const base = summary({ scenario: reps, metrics: { queue_wait: duration(10, { ci95: ci(10, 0.5) }) }, rates: { abandon_rate: rate(50, 1000, { ci95: ci(0.05, 0.004) }) } });
  const apart = summary({ scenario: reps, metrics: { queue_wait: duration(14, { ci95: ci(14, 0.5) }) }, rates: { abandon_rate: rate(58, 1000, { ci95: ci(0.058, 0.004) }) } });
  const c = compareSummaries(base, apart);
  t.like(row(c, 'queue_wait mean'), { test: 'welch-t', significant: true, regression: true });
  t.true(Math.abs(row(c, 'queue_wait mean').statisticValue! - 4 / Math.sqrt(0.5)) < 1e-9);
  // +16 % on abandons, but t = 1.41: the replications cannot tell.
  t.like(row(c, 'abandon_rate'), { test: 'welch-t', significant: false, regression: false });
});

test('per-call means: z with the standard deviation when the summary carries it, otherwise not judged and counted on the allowance', (t) => {
  const withSd = (mean: number, sd: number) => summary({ metrics: { queue_wait: duration(mean, { sd, count: 400 }) } });
  t.like(row(compareSummaries(withSd(10, 20), withSd(11, 20)), 'queue_wait mean'), { test: 'z-means', significant: false, regression: false });
  t.like(row(compareSummaries(withSd(10, 20), withSd(14, 20)), 'queue_wait mean'), { test: 'z-means', significant: true, regression: true });
  const c = compareSummaries(summary(), summary({ metrics: { queue_wait: duration(11) } }));
  t.like(row(c, 'queue_wait mean'), { test: 'none', significant: null, regression: true });
  t.like(row(c, 'queue_wait p95'), { significant: null, regression: true });
  t.true(c.notes.some((n) => /could not be judged for queue_wait mean: .*--replications/.test(n)));
  t.true(c.notes.some((n) => /^queue_wait p95: percentiles carry no spread/.test(n)));
  t.regex(formatComparison(c, { color: false }), /queue_wait mean \(s\)\s+10\.0\s+11\.0\s+\+1\.00\s+\+10\.0%\s+\?\s+REGRESSION \(not judged\)/);
});

test('a base of zero; metrics present on one side only', (t) => {
  const c = compareSummaries(summary({ rates: { block_rate: rate(0, 1000) } }), summary({ rates: { block_rate: rate(30, 1000) } }));
  t.like(row(c, 'block_rate'), { relative: Infinity, significant: true, regression: true });
  const gone = compareSummaries(summary(), summary({ metrics: { queue_wait: duration(10, { count: 0, mean: null, p95: null }) } }));
  t.like(row(gone, 'queue_wait mean'), { change: 'no data', regression: false });
});

test('an SLA that held and now fails is a regression; one that now holds is not', (t) => {
  const fail = [{ metric: 'abandon_rate', expr: '<= 0.06', observed: 0.07, pass: false }];
  const c = compareSummaries(summary(), summary({ slas: fail }));
  t.deepEqual(c.regressions, ['SLA abandon_rate <= 0.06']);
  t.regex(formatComparison(c, { color: false }), /✗ abandon_rate: <= 0\.06 {3}pass -> fail {3}\(observed 0\.05 -> 0\.07\)/);
  t.deepEqual(compareSummaries(summary({ slas: fail }), summary()).regressions, []);
});

test('--max-regression takes 5% or 0.05, nothing else', (t) => {
  t.is(parseAllowance('5%'), 0.05);
  t.is(parseAllowance(' 0.05 '), 0.05);
  t.is(parseAllowance('0%'), 0);
  for (const bad of ['5', '-5%', '101%', 'five', '5%%', '']) t.is(parseAllowance(bad), undefined, bad);
});

test('readSummary: a folder or a file; missing, unreadable or foreign input is a SummaryInputError naming the file', (t) => {
  const dir = tmp();
  t.throws(() => readSummary(join(dir, 'nope.json')), { instanceOf: SummaryInputError, message: /nope\.json: no such file/ });
  t.throws(() => readSummary(dir), { instanceOf: SummaryInputError, message: /no summary\.json in this folder/ });
  writeFileSync(join(dir, 'bad.json'), '{ "metrics": ');
  t.throws(() => readSummary(join(dir, 'bad.json')), { instanceOf: SummaryInputError, message: /bad\.json:1:14: not valid JSON: expected a value .*, found the end of the text$/ });
  // where, as line and column (JSON.parse says "position 32", or for a bad token nowhere)
  writeFileSync(join(dir, 'comma.json'), '{\n  "callsim": { "summaryFormat": 1 },,\n}\n');
  t.throws(() => readSummary(join(dir, 'comma.json')), { instanceOf: SummaryInputError, message: /comma\.json:2:37: not valid JSON: expected a double-quoted property name, found `,`$/ });
  writeFileSync(join(dir, 'token.json'), '{\n  "partial": tru\n}\n');
  t.throws(() => readSummary(join(dir, 'token.json')), { instanceOf: SummaryInputError, message: /token\.json:2:17: not valid JSON: expected `true`, found the end of the line$/ });
  writeFileSync(join(dir, 'other.json'), '{ "name": "package" }');
  t.throws(() => readSummary(join(dir, 'other.json')), { instanceOf: SummaryInputError, message: /other\.json: not a callsim summary\.json/ });
  writeFileSync(join(dir, 'future.json'), '{ "callsim": { "summaryFormat": 9 } }');
  t.throws(() => readSummary(join(dir, 'future.json')), { instanceOf: SummaryInputError, message: /summary format 9/ });
});

test('end to end: the same run exits 0; 30 % more calls exits 1 and names what regressed; bad input exits 2', (t) => {
  const dir = tmp();
  const file = 'scenarios/validation/erlang-a.yaml';
  const base = join(dir, 'base');
  const more = join(dir, 'more');
  t.is(callsim(['run', file, '--set', 'duration=1d', '--out', base, '--quiet']).code, 0);
  t.is(callsim(['run', file, '--set', 'duration=1d', '--set', 'arrivals.scale=1.3', '--out', more, '--quiet']).code, 1);

  const same = callsim(['compare', join(base, 'summary.json'), join(base, 'summary.json')]);
  t.is(same.code, 0, same.stderr);
  t.regex(same.stdout, /no regression beyond 5%/);

  const worse = callsim(['compare', base, more]);
  t.is(worse.code, 1, worse.stderr);
  const verdict = worse.stdout.trimEnd().split('\n').pop()!;
  for (const name of ['queue_wait mean', 'abandon_rate', 'service_level(20s)', 'SLA abandon_rate <= 0.02']) {
    t.true(verdict.includes(name), `${name} in: ${verdict}`);
  }
  t.false(/occupancy|talk/.test(verdict), 'neutral figures are never regressions');
  t.regex(worse.stdout, /^abandon_rate\s+\d+\.\d\d%\s+\d+\.\d\d%\s+\+\d+\.\d\dpp\s+\+\d+\.\d%\s+yes\s+REGRESSION$/m);

  const json = callsim(['compare', base, more, '--json']);
  t.is(json.code, 1);
  const doc = JSON.parse(json.stdout) as { pass: boolean; regressions: string[]; rows: { label: string; regression: boolean }[] };
  t.false(doc.pass);
  t.true(doc.regressions.includes('service_level(20s)'));
  t.true(doc.rows.find((r) => r.label === 'abandon_rate')!.regression);

  // The other way round, 30 % fewer calls than the candidate is only better.
  t.is(callsim(['compare', more, base]).code, 0);

  for (const args of [
    ['compare', join(dir, 'missing.json'), base],
    ['compare', base, dir],
    ['compare', base, more, '--max-regression', 'lots'],
    ['compare', base],
  ]) {
    const r = callsim(args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, /^callsim: /);
    t.false(/\n\s+at /.test(r.stderr), 'no stack trace');
  }
  const broken = join(dir, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'summary.json'), readFileSync(join(base, 'summary.json'), 'utf8').slice(0, 100));
  const r = callsim(['compare', base, broken]);
  t.is(r.code, 2);
  t.regex(r.stderr, /broken\/summary\.json:\d+:\d+: not valid JSON: expected .*, found the end of the text\n$/);
  t.notRegex(r.stderr, /position/);
});

test('end to end with replications: Welch\'s t judges the means', (t) => {
  const dir = tmp();
  const file = 'scenarios/validation/erlang-a.yaml';
  const args = ['--set', 'duration=1d', '--replications', '3', '--quiet'];
  t.is(callsim(['run', file, ...args, '--out', join(dir, 'a')]).code, 0);
  t.is(callsim(['run', file, ...args, '--set', 'arrivals.scale=1.3', '--out', join(dir, 'b')]).code, 1);
  const r = callsim(['compare', join(dir, 'a'), join(dir, 'b'), '--json']);
  t.is(r.code, 1);
  const doc = JSON.parse(r.stdout) as { rows: { label: string; test: string; significant: boolean | null; regression: boolean }[] };
  const wait = doc.rows.find((x) => x.label === 'queue_wait mean')!;
  t.like(wait, { test: 'welch-t', significant: true, regression: true });
  t.is(doc.rows.find((x) => x.label === 'abandon_rate')!.test, 'welch-t');
});
