import test from 'ava';
import { METRICS, parseMetricName, suggestMetric } from './metric-names.js';
import { compileSla, formatSla, plainDecimal, SlaError } from './sla-grammar.js';
import type { Aggregate, CompiledSla } from './sla-grammar.js';

/** The compiled SLA without what is kept as written (checked on its own below). */
function compiled(metric: string, expr: string): Omit<CompiledSla, 'metric' | 'metricText' | 'text'> & { key: string } {
  const c = compileSla(metric, expr);
  return { key: c.metric.key, aggregate: c.aggregate, op: c.op, threshold: c.threshold };
}
function rejected(metric: string, expr: string): SlaError {
  try {
    compileSla(metric, expr);
  } catch (e) {
    if (e instanceof SlaError) return e;
    throw e;
  }
  throw new Error(`${metric}: ${JSON.stringify(expr)} compiled, but should not`);
}

const p = (q: number): Aggregate => ({ kind: 'p', q });

test('the metric and the expression are kept as written', (t) => {
  const c = compileSla(' service_level ', ' >= 80% ');
  t.is(c.metricText, ' service_level ');
  t.is(c.text, ' >= 80% ');
  t.is(c.metric.key, 'service_level');
});

test('the DESIGN.md examples compile', (t) => {
  t.deepEqual(compiled('agent_ring_rings', 'p(95) <= 3'), { key: 'agent_ring_rings', aggregate: p(95), op: '<=', threshold: 3 });
  t.deepEqual(compiled('connect_rate', '>= 0.95'), { key: 'connect_rate', aggregate: { kind: 'rate' }, op: '>=', threshold: 0.95 });
  t.deepEqual(compiled('service_level(20s)', '>= 0.80'), { key: 'service_level(20s)', aggregate: { kind: 'rate' }, op: '>=', threshold: 0.8 });
  t.deepEqual(compiled('abandon_rate', '<= 0.05'), { key: 'abandon_rate', aggregate: { kind: 'rate' }, op: '<=', threshold: 0.05 });
  t.deepEqual(compiled('wrap_up', 'max <= 30s'), { key: 'wrap_up', aggregate: { kind: 'max' }, op: '<=', threshold: 30 });
});

test('duration metrics: every aggregate, unit and operator', (t) => {
  const cases: [string, Aggregate, string, number][] = [
    ['p(95) <= 20s', p(95), '<=', 20],
    ['p(99.9) < 1m30s', p(99.9), '<', 90],
    ['p(100) <= 2h', p(100), '<=', 7200],
    ['p(0.1) > 250ms', p(0.1), '>', 0.25],
    ['avg < 8s', { kind: 'avg' }, '<', 8],
    ['mean < 8', { kind: 'avg' }, '<', 8],
    ['min >= 0.5', { kind: 'min' }, '>=', 0.5],
    ['max <= 1d', { kind: 'max' }, '<=', 86400],
    ['med == 1w', { kind: 'med' }, '==', 604800],
    ['med != .5s', { kind: 'med' }, '!=', 0.5],
    ['count >= 100', { kind: 'count' }, '>=', 100],
    ['count == 0', { kind: 'count' }, '==', 0],
  ];
  for (const [expr, aggregate, op, threshold] of cases) {
    t.deepEqual(compiled('queue_wait', expr), { key: 'queue_wait', aggregate, op: op as CompiledSla['op'], threshold }, expr);
  }
});

test('whitespace is free between tokens and absent is fine too', (t) => {
  const want = { key: 'speed_of_answer', aggregate: p(95), op: '<=' as const, threshold: 20 };
  for (const expr of ['p(95)<=20s', '  p ( 95 )  <=  20s  ', '\tp(95)\n<= 20 s', 'p(95) <=20s']) {
    t.deepEqual(compiled('speed_of_answer', expr), want, JSON.stringify(expr));
  }
  t.deepEqual(compiled(' service_level ( 15s ) ', '>=80%').key, 'service_level(15s)');
});

test('count and rate metrics take their own values', (t) => {
  t.is(compiled('agent_ring_rings', 'max < 4.5').threshold, 4.5);
  t.is(compiled('occupancy', 'rate <= 0.9').threshold, 0.9);
  t.is(compiled('connect_rate', '>= 95%').threshold, 0.95);
  t.is(compiled('block_rate', '== 0').threshold, 0);
  t.is(compiled('unique_caller_connect_rate', '> 99.5 %').threshold, 0.995);
  t.is(compiled('redial_rate', '<= 1').threshold, 1);
  t.is(compiled('abandon_rate', '<= 100%').threshold, 1);
});

test('metric names: parameters and canonical keys', (t) => {
  t.deepEqual(parseMetricName('service_level'), { name: 'service_level', kind: 'rate', key: 'service_level' });
  t.deepEqual(parseMetricName('service_level(20s)'), { name: 'service_level', kind: 'rate', param: 20, key: 'service_level(20s)' });
  t.deepEqual(parseMetricName('service_level(20)'), { name: 'service_level', kind: 'rate', param: 20, key: 'service_level(20s)' });
  t.deepEqual(parseMetricName('service_level(90s)').key, 'service_level(1m30s)');
  t.deepEqual(parseMetricName('service_level(500ms)').param, 0.5);
  t.deepEqual(parseMetricName('queue_wait'), { name: 'queue_wait', kind: 'duration', key: 'queue_wait' });
  t.deepEqual(parseMetricName('agent_ring_rings').kind, 'count');
  t.is(METRICS.length, 35);
  t.is(new Set(METRICS.map((m) => m.name)).size, METRICS.length);
});

interface Bad {
  metric?: string;
  expr: string;
  target?: 'metric' | 'expr';
  offset: number;
  message?: string;
  includes?: string[];
}

const BAD: Bad[] = [
  {
    metric: 'agent_ring_rings', expr: 'p(95) =< 3', offset: 6,
    message: 'unexpected "=<" at column 7 in "p(95) =< 3"; expected one of <, <=, >, >=, ==, != (did you mean `<=`?)',
  },
  { expr: 'p(95) => 3', offset: 6, includes: ['did you mean `>=`?'] },
  { expr: 'avg = 3', offset: 4, includes: ['did you mean `==`?'] },
  { expr: 'avg <> 3', offset: 4, includes: ['did you mean `!=`?'] },
  { expr: 'avg ≤ 3s', offset: 4, includes: ['unexpected "≤" at column 5', 'did you mean `<=`?'] },
  { expr: 'avg << 3', offset: 4, includes: ['unexpected "<<"'] },
  {
    expr: '<= 20s', offset: 0,
    message: 'missing aggregate at column 1 in "<= 20s": queue_wait is a duration per call; expected one of avg, mean, min, max, med, count, p(N) (e.g. "p(95) <= 20s")',
  },
  { expr: '20s', offset: 0, includes: ['missing aggregate'] },
  { expr: '', offset: 0, message: 'empty SLA expression; expected one of avg, mean, min, max, med, count, p(N) (e.g. "p(95) <= 20s")' },
  { expr: '   ', offset: 3, includes: ['empty SLA expression'] },
  { expr: 'p95 <= 20s', offset: 0, includes: ['unknown aggregate "p95"', 'write `p(95)`'] },
  { expr: 'p99.9 <= 20s', offset: 0, includes: ['write `p(99.9)`'] },
  { expr: 'p(0) <= 20s', offset: 2, message: 'percentile 0 at column 3 in "p(0) <= 20s" is out of range; expected a percentile q with 0 < q <= 100 (for the smallest value write `min`)' },
  { expr: 'p(100.5) <= 20s', offset: 2, includes: ['percentile 100.5'] },
  { expr: 'p() <= 20s', offset: 2, includes: ['unexpected ")" at column 3', 'a percentile q'] },
  { expr: 'p(95 <= 20s', offset: 5, includes: ['unexpected "<=" at column 6', 'expected ")"'] },
  { expr: 'p 95 <= 20s', offset: 2, includes: ['expected "(" after p'] },
  { expr: 'p(-5) <= 20s', offset: 2, includes: ['unexpected "-"'] },
  { expr: 'average < 3s', offset: 0, includes: ['unknown aggregate "average"', 'did you mean `avg`?'] },
  { expr: 'median < 3s', offset: 0, includes: ['did you mean `med`?'] },
  { expr: 'mxa < 3s', offset: 0, includes: ['did you mean `max`?'] },
  { expr: 'P(95) < 3s', offset: 0, includes: ['unknown aggregate "P"'] },
  { expr: 'queue_wait p(95) < 3s', offset: 0, includes: ["the metric is the SLA's key"] },
  { expr: 'rate < 0.1', offset: 0, includes: ['aggregate "rate" at column 1 in "rate < 0.1" does not apply to queue_wait'] },
  { expr: 'p(95) <=', offset: 8, message: 'unexpected end of expression in "p(95) <="; expected a duration such as `90s`, `15m`, `1h30m`, `30d` or `250ms`' },
  { expr: 'p(95)', offset: 5, includes: ['unexpected end of expression', 'one of <, <='] },
  { expr: 'avg < -3s', offset: 6, includes: ['unexpected "-" at column 7', 'thresholds are never negative'] },
  { expr: 'avg < 20x', offset: 6, includes: ['bad duration "20x" at column 7'] },
  { expr: 'avg < 30m1h', offset: 6, includes: ['bad duration "30m1h"', 'largest first'] },
  { expr: 'avg < 20%', offset: 6, includes: ['"%" is for rates'] },
  { expr: 'avg < 1m 30s', offset: 9, includes: ['unexpected "30s" at column 10', 'without spaces'] },
  { expr: 'avg < 3s and max < 9s', offset: 9, includes: ['one condition per string'] },
  { expr: 'avg < 3s)', offset: 8, includes: ['unexpected ")" at column 9', 'the end of the expression'] },
  { expr: 'avg < 3e5', offset: 6, includes: ['bad duration "3e5"'] },
  { expr: 'count >= 100s', offset: 12, includes: ['unexpected unit "s" at column 13', '`count` is the number of observations'] },
  { expr: `avg < ${'9'.repeat(400)}`, offset: 6, includes: ['is too large', '…'] },
  { metric: 'agent_ring_rings', expr: 'p(95) <= 3s', offset: 10, includes: ['agent_ring_rings counts rings'] },
  { metric: 'agent_ring_rings', expr: '<= 3', offset: 0, includes: ['agent_ring_rings is a count per call', '"p(95) <= 3"'] },
  { metric: 'connect_rate', expr: '>= 95', offset: 3, includes: ['95 at column 4 in ">= 95" is outside [0, 1]', 'did you mean `95%`?'] },
  { metric: 'connect_rate', expr: '>= 101%', offset: 3, includes: ['is more than 100%'] },
  { metric: 'connect_rate', expr: '>= 500', offset: 3, includes: ['outside [0, 1]'] },
  { metric: 'connect_rate', expr: '>= 0.9s', offset: 6, includes: ['unexpected unit "s"', 'connect_rate is a rate'] },
  { metric: 'connect_rate', expr: 'p(95) >= 0.9', offset: 0, includes: ['does not apply to connect_rate, a rate', 'expected `rate` or no aggregate'] },
  { metric: 'abandon_rate', expr: 'avg <= 0.1', offset: 0, includes: ['"<= 0.05"'] },
  { metric: 'connect_rate', expr: 'ratio >= 0.9', offset: 0, includes: ['unknown aggregate "ratio"'] },
  { metric: 'connect_rate', expr: '>= 0.9 && <= 1', offset: 7, includes: ['unexpected "&&" at column 8', 'one condition per string'] },
  // metric names
  {
    metric: 'queue_wiat', expr: 'p(95) < 3s', target: 'metric', offset: 0,
    message: 'unknown metric "queue_wiat"; expected a metric name from docs/metrics.md (did you mean `queue_wait`?)',
  },
  { metric: 'Queue-Wait', expr: 'p(95) < 3s', target: 'metric', offset: 0, includes: ['did you mean `queue_wait`?'] },
  { metric: '  wrapup', expr: 'max < 3s', target: 'metric', offset: 2, includes: ['unknown metric "wrapup"', '`wrap_up`'] },
  { metric: 'asa', expr: 'avg < 3s', target: 'metric', offset: 0, includes: ['use `speed_of_answer`'] },
  { metric: 'abandon', expr: '<= 0.1', target: 'metric', offset: 0, includes: ['`abandon_rate`'] },
  { metric: 'http_req_duration', expr: 'p(95) < 3s', target: 'metric', offset: 0, includes: ['unknown metric "http_req_duration"'] },
  { metric: '', expr: 'p(95) < 3s', target: 'metric', offset: 0, includes: ['empty metric name'] },
  { metric: '(20s)', expr: '>= 0.8', target: 'metric', offset: 0, includes: ['missing metric name'] },
  {
    metric: 'service_level(abc)', expr: '>= 0.8', target: 'metric', offset: 14,
    message: 'bad duration "abc" at column 15 in "service_level(abc)"; expected a duration such as `90s`, `15m`, `1h30m`, `30d` or `250ms` (e.g. `service_level(20s)`; a bare `service_level` uses the scenario\'s T)',
  },
  { metric: 'service_level()', expr: '>= 0.8', target: 'metric', offset: 14, includes: ['service_level() needs a duration T'] },
  { metric: 'service_level( -5s )', expr: '>= 0.8', target: 'metric', offset: 15, includes: ['bad duration "-5s" at column 16'] },
  { metric: 'service_level(20s', expr: '>= 0.8', target: 'metric', offset: 13, includes: ['unclosed "(" at column 14'] },
  { metric: 'service_level(20s) x', expr: '>= 0.8', target: 'metric', offset: 19, includes: ['unexpected "x" at column 20'] },
  { metric: 'service_level(20.0000001s)', expr: '>= 0.8', target: 'metric', offset: 14, includes: ['more precise', '`service_level(20s)`'] },
  {
    metric: 'queue_wait(5s)', expr: 'p(95) < 3s', target: 'metric', offset: 10,
    message: 'queue_wait takes no parameter, but "queue_wait(5s)" gives one at column 11; expected just `queue_wait`',
  },
];

test('rejected expressions say where and what was expected', (t) => {
  for (const bad of BAD) {
    const metric = bad.metric ?? 'queue_wait';
    const label = `${metric}: ${JSON.stringify(bad.expr)}`;
    const e = rejected(metric, bad.expr);
    t.is(e.target, bad.target ?? 'expr', label);
    t.is(e.input, e.target === 'metric' ? metric : bad.expr, label);
    t.is(e.offset, bad.offset, label);
    if (bad.message !== undefined) t.is(e.message, bad.message, label);
    for (const part of bad.includes ?? []) t.true(e.message.includes(part), `${label}: ${e.message} lacks ${part}`);
    t.true(e.message.startsWith(e.reason), label);
  }
});

test('an SlaError carries expected and hint apart, for a ScenarioIssue', (t) => {
  const e = rejected('agent_ring_rings', 'p(95) =< 3');
  t.is(e.reason, 'unexpected "=<" at column 7 in "p(95) =< 3"');
  t.is(e.expected, 'one of <, <=, >, >=, ==, !=');
  t.is(e.hint, 'did you mean `<=`?');
  t.is(e.name, 'SlaError');
  t.true(e instanceof Error);
  const noHint = rejected('queue_wait', 'avg << 3');
  t.is(noHint.hint, undefined);
  t.false('hint' in noHint);
});

test('formatSla prints canonical text', (t) => {
  const f = (m: string, e: string): string => formatSla(compileSla(m, e));
  t.is(f('queue_wait', '  mean<90'), 'avg < 1m30s');
  t.is(f('queue_wait', 'p ( 99.90 )<=0.3'), 'p(99.9) <= 300ms');
  t.is(f('queue_wait', 'avg < 1.23456789s'), 'avg < 1.23456789s');
  t.is(f('queue_wait', 'avg < 0.0000001'), 'avg < 0.0000001s');
  t.is(f('queue_wait', 'count >= 100'), 'count >= 100');
  t.is(f('connect_rate', 'rate >= 95%'), '>= 0.95');
  t.is(f('agent_ring_rings', 'p(95)<=3'), 'p(95) <= 3');
});

test('plainDecimal never uses exponents and is exact', (t) => {
  for (const x of [0, 1, 0.5, 1e-7, 1.5e-10, 5e-324, 1e21, 1.2345e25, 123.456]) {
    const s = plainDecimal(x);
    t.regex(s, /^\d+(\.\d+)?$/, s);
    t.is(Number(s), x);
  }
});

test('metric suggestions: typos, swapped letters, aliases, fragments', (t) => {
  t.is(suggestMetric('talkk'), 'did you mean `talk`?');
  t.is(suggestMetric('queue_wiat'), 'did you mean `queue_wait`?');
  t.is(suggestMetric('queuewait'), 'did you mean `queue_wait`?');
  t.is(suggestMetric('ASA'), 'use `speed_of_answer`, e.g. `avg < 20s`');
  t.is(suggestMetric('abandon'), 'did you mean `time_to_abandon` or `abandon_rate` or `unique_caller_abandon_rate`?');
  t.is(suggestMetric('zzzzzz'), undefined);
});
