import test from 'ava';
import { agentGroup, exp, queueScenario } from '../../test/scenario-builder.js';
import type { Scenario } from '../scenario/types.js';
import { GroupIntervals } from './group-intervals.js';
import { simulateOnce } from './simulate.js';
import { DISTRIBUTION_PERCENTILES, summarize } from './summary.js';
import { span } from './test-records.js';

test('work and staffed spans are cut at interval bounds and at the run, per center/group', (t) => {
  const g = new GroupIntervals(3600, 9000); // 1 h, 1 h, 30 min
  const a = { center: 'c', group: 'g' };
  g.staffed(span(-100, 9999, a)); // clipped to [0, 9000]
  g.work(span(3000, 4000, a)); // 600 + 400
  g.work(span(8000, 12000, a)); // 1000 inside the run
  g.work(span(100, 200, { center: 'c', group: 'h' }));
  t.deepEqual([...g.busy.get('c/g')!], [600, 400, 1000]);
  t.deepEqual([...g.staffedTime.get('c/g')!], [3600, 3600, 1800]);
  const f = g.figures(1);
  t.deepEqual(Object.keys(f), ['c/g', 'c/h']);
  t.like(f['c/g'], { center: 'c', group: 'g' });
  t.deepEqual(f['c/g']!.agentsBusy, [600 / 3600, 400 / 3600, 1000 / 1800]);
  t.deepEqual(f['c/g']!.agentsStaffed, [1, 1, 1]);
  t.deepEqual(f['c/g']!.occupancy, [600 / 3600, 400 / 3600, 1000 / 1800]);
  // c/h was never staffed: no occupancy, not 0 %.
  t.true(f['c/h']!.occupancy.every((x) => Number.isNaN(x)));
});

test('merge adds groups seen by either side; figures divide by replications', (t) => {
  const a = new GroupIntervals(1800, 3600);
  const b = new GroupIntervals(1800, 3600);
  a.staffed(span(0, 3600, { center: 'x', group: 'g' }));
  a.work(span(0, 900, { center: 'x', group: 'g' }));
  b.staffed(span(0, 3600, { center: 'x', group: 'g' }));
  b.work(span(1800, 3600, { center: 'y', group: 'g' }));
  a.merge(b);
  t.deepEqual([...a.staffedTime.get('x/g')!], [3600, 3600]);
  t.deepEqual([...a.busy.get('y/g')!], [0, 1800]);
  const f = a.figures(2);
  t.deepEqual(f['x/g']!.agentsStaffed, [1, 1]);
  t.deepEqual(f['x/g']!.agentsBusy, [0.25, 0]);
});

// Two groups in one center and one in another, so that the groups must add up to the center.
const base = queueScenario({ rate: 0.08, agents: 3, talk: exp(120), duration: 4 * 3600, interval: 1800, warmup: 600 });
const scenario: Scenario = {
  ...base,
  sla: [{ metric: 'queue_wait', expr: 'p(95) <= 60s' }],
  centers: [
    { ...base.centers[0]!, id: 'a', groups: [agentGroup('g1', 2), agentGroup('g2', 3, { day: { shift: { kind: 'always' } } })] },
    { ...base.centers[0]!, id: 'b', groups: [agentGroup('g', 2)] },
  ],
};

test('summary.json groupIntervals: the groups of a center add up to its per-interval agents', (t) => {
  const s = summarize(scenario, [simulateOnce(scenario, 7)]);
  t.deepEqual(Object.keys(s.groupIntervals!), ['a/g1', 'a/g2', 'b/g']);
  const rows = s.intervals.rows;
  let busy = 0;
  for (const center of ['a', 'b']) {
    const groups = Object.values(s.groupIntervals!).filter((g) => g.center === center);
    rows.forEach((row, i) => {
      const sum = (f: 'agentsBusy' | 'agentsStaffed'): number => groups.reduce((a, g) => a + g[f][i]!, 0);
      t.true(Math.abs(sum('agentsBusy') - row.centers[center]!.agentsBusy) < 1e-9, `${center} busy, interval ${i}`);
      t.true(Math.abs(sum('agentsStaffed') - row.centers[center]!.agentsStaffed) < 1e-9, `${center} staffed, interval ${i}`);
      busy += sum('agentsBusy');
    });
  }
  t.true(busy > 0, 'agents worked');
  for (const g of Object.values(s.groupIntervals!)) t.is(g.occupancy.length, rows.length);
});

test('summary.json distributions: percentile curves from the histograms, min to max, agreeing with the metrics', (t) => {
  const s = summarize(scenario, [simulateOnce(scenario, 7)]);
  const d = s.distributions!;
  t.truthy(d.queue_wait);
  t.falsy(d.callback_delay, 'no curve for a metric without observations');
  for (const [name, curve] of Object.entries(d)) {
    const m = s.metrics[name]!;
    t.deepEqual(
      curve.map((p) => p.percentile),
      [...DISTRIBUTION_PERCENTILES],
    );
    for (let i = 1; i < curve.length; i++) t.true(curve[i]!.value >= curve[i - 1]!.value, `${name} rises`);
    t.is(curve[0]!.value, m.min);
    t.is(curve.at(-1)!.value, m.max);
    for (const [q, key] of [[50, 'p50'], [90, 'p90'], [95, 'p95'], [99, 'p99']] as const) {
      t.is(curve.find((p) => p.percentile === q)!.value, m[key], `${name} p(${q})`);
    }
  }
});
