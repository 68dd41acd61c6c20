import test from 'ava';
import { METRICS } from '../scenario/metric-names.js';
import { compileSla, OPS } from '../scenario/sla-grammar.js';
import { allPassed, evaluateSla, evaluateSlas, holds, resolveMetricKey } from './sla.js';
import type { DurationView, MetricSource, RateView } from './sla.js';

/** A histogram stand-in over raw samples; percentile is nearest-rank, and every call is logged. */
function samples(values: number[], log: number[] = []): DurationView {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    percentile(q) {
      log.push(q);
      return sorted[Math.max(0, Math.ceil((q / 100) * sorted.length) - 1)] ?? Number.NaN;
    },
  };
}
const ratio = (numerator: number, denominator: number): RateView => ({ numerator, denominator, value: denominator > 0 ? numerator / denominator : Number.NaN });

function source(durations: Record<string, DurationView>, rates: Record<string, RateView>): MetricSource {
  return { duration: (k) => durations[k], rate: (k) => rates[k] };
}

// 1..100 seconds: p(95) = 95, mean = 50.5, min = 1, max = 100, median = 50.
const waits = samples(Array.from({ length: 100 }, (_, i) => i + 1));
const run = source(
  { queue_wait: waits, agent_ring_rings: samples([1, 1, 2, 2, 3, 5]), time_to_abandon: samples([]) },
  {
    connect_rate: ratio(96, 100),
    abandon_rate: ratio(7, 100),
    'service_level(20s)': ratio(80, 100),
    'service_level(15s)': ratio(70, 100),
    'service_level(30s)': ratio(90, 100),
    block_rate: ratio(0, 0),
  },
);
const judge = (metric: string, expr: string, t = 20) => evaluateSla(compileSla(metric, expr), run, t);

test('each aggregate reads its own statistic', (t) => {
  t.like(judge('queue_wait', 'p(95) <= 95s'), { observed: 95, pass: true });
  t.like(judge('queue_wait', 'p(95) < 95s'), { observed: 95, pass: false });
  t.like(judge('queue_wait', 'avg < 1m'), { observed: 50.5, pass: true });
  t.like(judge('queue_wait', 'mean > 50.5'), { observed: 50.5, pass: false });
  t.like(judge('queue_wait', 'min == 1s'), { observed: 1, pass: true });
  t.like(judge('queue_wait', 'max <= 1m40s'), { observed: 100, pass: true });
  t.like(judge('queue_wait', 'med != 50'), { observed: 50, pass: false });
  t.like(judge('queue_wait', 'count >= 100'), { observed: 100, pass: true });
  t.like(judge('agent_ring_rings', 'p(50) <= 2'), { observed: 2, pass: true });
  t.like(judge('agent_ring_rings', 'max <= 3'), { observed: 5, pass: false });
});

test('percentiles are asked for exactly, q in (0, 100]', (t) => {
  const log: number[] = [];
  const view = samples([1, 2, 3], log);
  const src = source({ queue_wait: view }, {});
  for (const expr of ['p(99.9) < 9s', 'p(100) < 9s', 'med < 9s', 'p(0.5) < 9s']) evaluateSla(compileSla('queue_wait', expr), src, 20);
  t.deepEqual(log, [99.9, 100, 50, 0.5]);
});

test('rates compare their value, written as a ratio or a percentage', (t) => {
  t.like(judge('connect_rate', '>= 0.95'), { observed: 0.96, threshold: 0.95, pass: true });
  t.like(judge('connect_rate', '>= 97%'), { observed: 0.96, threshold: 0.97, pass: false });
  t.like(judge('abandon_rate', 'rate <= 0.05'), { observed: 0.07, pass: false, detail: 'abandon_rate was 7%, not <= 5%' });
});

test('bare service_level uses the scenario T; an explicit T ignores it', (t) => {
  t.like(judge('service_level', '>= 0.8'), { key: 'service_level(20s)', observed: 0.8, pass: true });
  t.like(judge('service_level', '>= 0.8', 15), { key: 'service_level(15s)', observed: 0.7, pass: false });
  t.like(judge('service_level(30s)', '>= 0.85', 15), { key: 'service_level(30s)', observed: 0.9, pass: true });
  t.is(resolveMetricKey(compileSla('service_level', '>= 0.8'), 90), 'service_level(1m30s)');
  t.is(resolveMetricKey(compileSla('queue_wait', 'max < 9'), 90), 'queue_wait');
});

test('a metric the run did not record fails, never passes silently', (t) => {
  const r = judge('service_level(45s)', '>= 0', 20);
  t.is(r.pass, false);
  t.is(r.observed, null);
  t.is(r.detail, 'this run recorded no service_level(45s)');
  t.like(judge('talk', 'count >= 0'), { pass: false, observed: null, detail: 'this run recorded no talk' });
});

test('no observations is a failure with detail "no data"', (t) => {
  t.deepEqual(judge('time_to_abandon', 'max < 1h'), {
    metric: 'time_to_abandon', key: 'time_to_abandon', expr: 'max < 1h', observed: null, threshold: 3600, pass: false, detail: 'no data',
  });
  t.like(judge('block_rate', '<= 1'), { observed: null, pass: false, detail: 'no data' });
});

test('count is meaningful at zero: no abandons at all is an observation', (t) => {
  t.like(judge('time_to_abandon', 'count == 0'), { observed: 0, pass: true });
  t.like(judge('time_to_abandon', 'count >= 1'), { observed: 0, pass: false, detail: 'count was 0, not >= 1' });
});

test('a NaN statistic is a failure, not a comparison', (t) => {
  const src = source({ queue_wait: { ...waits, mean: Number.NaN, percentile: () => 1 } }, { connect_rate: { value: Number.NaN, numerator: 1, denominator: 1 } });
  t.like(evaluateSla(compileSla('queue_wait', 'avg != 3'), src, 20), { observed: null, pass: false });
  t.like(evaluateSla(compileSla('connect_rate', '!= 0.5'), src, 20), { observed: null, pass: false });
});

test('results keep what was written and say why a check failed', (t) => {
  const r = judge(' queue_wait ', ' p(95)<=20s ');
  t.deepEqual(r, {
    metric: ' queue_wait ', key: 'queue_wait', expr: ' p(95)<=20s ', observed: 95, threshold: 20, pass: false, detail: 'p(95) was 1m35s, not <= 20s',
  });
  t.false('detail' in judge('queue_wait', 'p(95) <= 2m'));
});

test('holds: every operator at, below and above the threshold', (t) => {
  const table: Record<string, [boolean, boolean, boolean]> = {
    '<': [true, false, false], '<=': [true, true, false], '>': [false, false, true],
    '>=': [false, true, true], '==': [false, true, false], '!=': [true, false, true],
  };
  for (const op of OPS) t.deepEqual([holds(1, op, 2), holds(2, op, 2), holds(3, op, 2)], table[op], op);
});

test('with nothing recorded, no SLA on any metric passes', (t) => {
  const empty = source({}, {});
  const hollow = source(Object.fromEntries(METRICS.map((m) => [m.name, samples([])])), Object.fromEntries(METRICS.map((m) => [m.name, ratio(0, 0)])));
  for (const m of METRICS) {
    const metric = m.param ? 'service_level' : m.name;
    const exprs = m.kind === 'rate' ? OPS.map((op) => `${op} 0.5`) : OPS.flatMap((op) => [`p(95) ${op} 3`, `avg ${op} 3`, `max ${op} 0`]);
    for (const expr of exprs) {
      for (const src of [empty, hollow]) {
        const r = evaluateSla(compileSla(metric, expr), src, 20);
        t.false(r.pass, `${metric} ${expr}`);
        t.is(r.observed, null);
      }
    }
  }
});

test('evaluateSlas keeps order and allPassed needs every one', (t) => {
  const slas = [compileSla('connect_rate', '>= 0.95'), compileSla('abandon_rate', '<= 0.05')];
  const results = evaluateSlas(slas, run, 20);
  t.deepEqual(results.map((r) => [r.metric, r.pass]), [['connect_rate', true], ['abandon_rate', false]]);
  t.false(allPassed(results));
  t.true(allPassed(results.slice(0, 1)));
});
