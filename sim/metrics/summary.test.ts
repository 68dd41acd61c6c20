import test from 'ava';
import { agentGroup, queueScenario } from '../../test/scenario-builder.js';
import type { Scenario } from '../scenario/types.js';
import { collectorOptions, MetricsCollector } from './collector.js';
import { isoAfter } from './interval-metrics.js';
import type { Replication } from './simulate.js';
import { summarize, summaryJson } from './summary.js';
import { abandonedCall, answeredCall, blockedCall, callbackRecord, span } from './test-records.js';

const base = queueScenario({ rate: 1, agents: 1, talk: { kind: 'constant', value: 60 }, duration: 7200, warmup: 1800, interval: 1800 });
// Scenario order is yanbian first: summary.json sorts the keys all the same.
const scenario: Scenario = {
  ...base,
  sla: [{ metric: 'wrap_up_violation_rate', expr: '<= 0.4' }],
  centers: [
    { ...base.centers[0]!, id: 'yanbian', name: 'Yanbian', groups: [agentGroup('g', 1, { day: { wrapUpLimit: 30 } })] },
    { ...base.centers[0]!, id: 'province', name: 'Province', groups: [agentGroup('g', 2, { day: { wrapUpLimit: 60 } })] },
  ],
};

const P1 = { center: 'province', agent: 'province/g/1', group: 'g' };
const Y1 = { center: 'yanbian', agent: 'yanbian/g/1', group: 'g' };

function replication(index: number, feed: (m: MetricsCollector) => void): Replication {
  const collector = new MetricsCollector(collectorOptions(scenario));
  feed(collector);
  return { index, seed: index + 1, collector, events: 10, endTime: 7200, partial: false };
}

const feedA = (m: MetricsCollector): void => {
  m.call(answeredCall({ queued: 100, answered: 100, left: 200 }, Y1)); // warm-up
  m.call(answeredCall({ queued: 2000, answered: 2010, left: 2100, wrapEnd: 2145 }, { ...P1, dispatchedFrom: 'yanbian' })); // 45 s < 60 s
  m.call(answeredCall({ queued: 4000, answered: 4005, left: 4100, wrapEnd: 4140 }, Y1)); // 40 s > 30 s
  m.call(abandonedCall({ queued: 5000, left: 5100 }, { center: 'yanbian' }));
  m.call(blockedCall(6000, { center: 'province' }));
  m.callback(callbackRecord({ center: 'province', created: 2100, due: 3900, reached: 2500, onTime: true }));
  for (const a of [P1, Y1]) m.staffed(span(0, 7200, a));
  m.staffed(span(0, 7200, { ...P1, agent: 'province/g/2' }));
  m.work(span(2010, 2145, P1));
  m.work(span(4005, 4140, Y1));
};

const feedB = (m: MetricsCollector): void => {
  m.call(answeredCall({ queued: 3000, answered: 3030, left: 3100, wrapEnd: 3100 }, P1));
  for (const a of [P1, Y1]) m.staffed(span(0, 7200, a));
  m.work(span(3030, 3100, P1));
};

const now = new Date('2026-07-07T00:00:00Z');

test('summary.json: per-center totals, metrics and rates; keys sorted; dispatched counted at the target', (t) => {
  const s = summarize(scenario, [replication(0, feedA)], { now });
  t.deepEqual(Object.keys(s.centers), ['province', 'yanbian']);
  const p = s.centers.province!;
  const y = s.centers.yanbian!;
  t.like(p.totals, { offered: 2, answered: 1, blocked: 1, dispatchedIn: 1, dispatchedOut: 0, callbacksClosed: 1 });
  t.like(y.totals, { offered: 2, answered: 1, abandoned: 1, dispatchedIn: 0, dispatchedOut: 1 });
  t.like(s.totals, { offered: 4, answered: 2, dispatchedIn: 1, dispatchedOut: 1, wrapUpViolations: 1 });
  t.is(p.metrics.speed_of_answer!.mean, 10);
  t.is(y.metrics.speed_of_answer!.p50, 5);
  t.is(p.rates.occupancy!.value, 135 / (2 * 5400));
  t.is(y.rates.occupancy!.value, 135 / 5400);
  t.is(y.rates.wrap_up_violation_rate!.value, 1);
  t.is(p.rates.wrap_up_violation_rate!.value, 0);
  t.is(p.rates.callback_on_time_rate!.value, 1);
  t.is(s.rates.abandon_rate!.value, 1 / 3);
  t.deepEqual(s.slas.map((x) => [x.metric, x.observed, x.pass]), [['wrap_up_violation_rate', 0.5, false]]);
  t.is(s.scorecard.ringLimit, 3);
  t.deepEqual(
    s.scorecard.groups.map((g) => [g.center, g.group, g.agents, g.answered, g.wrapUpViolations, g.wrapUpLimit]),
    [
      ['province', 'g', 2, 1, 0, 60],
      ['yanbian', 'g', 1, 1, 1, 30],
    ],
  );
  t.deepEqual(s.scorecard.agents.map((a) => a.agent), ['province/g/1', 'province/g/2', 'yanbian/g/1']);
});

test('summary.json intervals: ISO starts in the scenario offset, warm-up marked, all = the sum of the centers', (t) => {
  const s = summarize(scenario, [replication(0, feedA)], { now });
  const iv = s.intervals;
  t.is(iv.length, 1800);
  t.is(iv.start, '2026-07-06T00:00:00+08:00');
  t.deepEqual(iv.rows.map((r) => r.start), ['2026-07-06T00:00:00+08:00', '2026-07-06T00:30:00+08:00', '2026-07-06T01:00:00+08:00', '2026-07-06T01:30:00+08:00']);
  t.deepEqual(iv.rows.map((r) => r.warmup), [true, false, false, false]);
  t.deepEqual(iv.rows.map((r) => r.all.arrivals), [1, 1, 2, 1]);
  t.deepEqual(iv.rows.map((r) => r.centers.yanbian!.arrivals), [1, 0, 2, 0]);
  t.deepEqual(iv.rows.map((r) => Object.keys(r.centers)), Array(4).fill(['province', 'yanbian']));
  // Interval 1 [1800, 3600): province's agent 1 works 135 s; three agents staffed.
  t.is(iv.rows[1]!.centers.province!.agentsBusy, 135 / 1800);
  t.is(iv.rows[1]!.all.agentsStaffed, 3);
  t.is(iv.rows[1]!.all.asa, 10);
  // Interval 2 [3600, 5400): yanbian's abandon waited 100 s.
  t.is(iv.rows[2]!.all.queueLength, (5 + 100) / 1800);
  t.deepEqual(iv.rows[2]!.all.serviceLevel, { value: 0.5, numerator: 1, denominator: 2 });
  for (const r of iv.rows) {
    const sum = Object.values(r.centers).reduce((a, c) => a + c.arrivals + c.queueLength + c.agentsBusy, 0);
    t.true(Math.abs(sum - (r.all.arrivals + r.all.queueLength + r.all.agentsBusy)) < 1e-12);
  }
});

test('summary.json with replications: counts pooled, time averages per replication, intervals of each center', (t) => {
  const s = summarize(scenario, [replication(0, feedA), replication(1, feedB)], { now });
  t.is(s.centers.province!.totals.answered, 2);
  t.truthy(s.centers.province!.metrics.speed_of_answer!.ci95);
  t.is(s.centers.province!.metrics.speed_of_answer!.mean, 20);
  // Interval 1: province works 135 s (rep 0) + 70 s (rep 1); averaged over two replications.
  t.is(s.intervals.rows[1]!.centers.province!.agentsBusy, (135 + 70) / 3600);
  t.is(s.intervals.rows[1]!.all.answered, 2);
  t.is(s.scorecard.agents.find((a) => a.agent === 'province/g/1')!.answered, 2);
  // Replication b has no callback: its rate is missing, not a crash, and the pooled one stands.
  t.is(s.rates.callback_on_time_rate!.value, 1);
});

test('summary.json is deterministic and valid JSON (NaN becomes null)', (t) => {
  const a = summaryJson(summarize(scenario, [replication(0, feedA)], { now, wallSeconds: 1 }));
  const b = summaryJson(summarize(scenario, [replication(0, feedA)], { now, wallSeconds: 1 }));
  t.is(a, b);
  const parsed = JSON.parse(a) as { intervals: { rows: { all: { asa: number | null } }[] } };
  t.is(parsed.intervals.rows[0]!.all.asa, 0);
  t.is(parsed.intervals.rows[3]!.all.asa, null);
});

test('isoAfter keeps the offset of the start, including negative and Z', (t) => {
  t.is(isoAfter('2026-07-06T00:00:00+08:00', 86400 + 5400), '2026-07-07T01:30:00+08:00');
  t.is(isoAfter('2026-01-01T23:30:00-05:30', 1800), '2026-01-02T00:00:00-05:30');
  t.is(isoAfter('2026-01-01T00:00:00Z', 0.25), '2026-01-01T00:00:00.250Z');
});
