import test from 'ava';
import { collectorOptions, MetricsCollector } from '../sim/metrics/collector.js';
import type { Replication } from '../sim/metrics/simulate.js';
import { summarize, summaryJson, type Summary } from '../sim/metrics/summary.js';
import { abandonedCall, answeredCall, callbackRecord, span } from '../sim/metrics/test-records.js';
import type { Scenario } from '../sim/scenario/types.js';
import { agentGroup, queueScenario } from '../test/scenario-builder.js';
import { formatConsoleSummary } from './console.js';

const base = queueScenario({ rate: 1, agents: 1, talk: { kind: 'constant', value: 60 }, duration: 3 * 3600, warmup: 1800, interval: 1800 });
const scenario: Scenario = {
  ...base,
  centers: [
    { ...base.centers[0]!, id: 'province', groups: [agentGroup('g', 1)] },
    { ...base.centers[0]!, id: 'yanbian', groups: [agentGroup('g', 1)] },
  ],
};

function summary(): Summary {
  const m = new MetricsCollector(collectorOptions(scenario));
  const P = { center: 'province', agent: 'province/g/1', group: 'g' };
  const Y = { center: 'yanbian', agent: 'yanbian/g/1', group: 'g' };
  m.call(answeredCall({ queued: 100, answered: 110, left: 200 }, P)); // warm-up
  m.call(answeredCall({ queued: 2000, answered: 2030, left: 2100, wrapEnd: 2140 }, { ...P, rating: 5 })); // hour 0, 40 s wrap-up
  m.call(answeredCall({ queued: 4000, answered: 4010, left: 4154 }, { ...Y, dispatchedFrom: 'province', rating: 3 })); // hour 1
  m.call(abandonedCall({ queued: 5000, left: 5100 }, { center: 'yanbian' })); // hour 1
  m.callback(callbackRecord({ center: 'province', created: 2100, reached: 2700, onTime: true }));
  m.staffed(span(0, 3 * 3600, P));
  m.staffed(span(0, 3 * 3600, Y));
  m.work(span(2030, 2140, P));
  m.work(span(4010, 4154, Y));
  const rep: Replication = { index: 0, seed: 1, collector: m, events: 1, endTime: 10800, partial: false };
  return summarize(scenario, [rep], { now: new Date(0), wallSeconds: 0 });
}

test('console: per-center table, hourly platform overview, callbacks, ratings and the scorecard per group', (t) => {
  const text = formatConsoleSummary(summary(), { color: false });
  const lines = text.split('\n');
  const at = (title: string): number => lines.findIndex((l) => l.startsWith(title));
  const centers = at('per center:');
  t.true(centers > 0);
  t.regex(lines[centers + 1]!, /^center\s+offered\s+answered\s+abandoned\s+blocked\s+SL\(20s\)\s+ASA \(s\)\s+abandon\s+occupancy\s+disp\. in\s+disp\. out$/);
  t.regex(lines[centers + 2]!, /^province\s+1\s+1\s+0\s+0\s+0\.0%\s+30\.0\s+0\.0%\s+1\.2%\s+0\s+1$/);
  t.regex(lines[centers + 3]!, /^yanbian\s+2\s+1\s+1\s+0\s+50\.0%\s+10\.0\s+50\.0%\s+1\.6%\s+1\s+0$/);

  // Six 30-minute intervals become three hours; the first includes the warm-up.
  const hourly = at('platform per hour');
  t.true(hourly > 0);
  t.regex(lines[hourly]!, /\* includes warm-up/);
  t.regex(lines[hourly + 2]!, /^00:00\*\s+2\s+2\s+0\s+0\s+50\.0%\s+20\.0\s+0\.0\s+0\.0\s+2\.0\s+1\.5%$/);
  t.regex(lines[hourly + 3]!, /^01:00\s+2\s+1\s+1\s+0\s+50\.0%\s+10\.0\s+0\.0\s+0\.0\s+2\.0\s+2\.0%$/);
  t.regex(lines[hourly + 4]!, /^02:00\s+0\s+0\s+0\s+0\s+-\s+-\s+0\.0\s+0\.0\s+2\.0\s+0\.0%$/);

  t.regex(text, /^callbacks: 1 closed \(0 promised on calls\), 100\.0% reached, 100\.0% on time; delay mean 10m, p90 10m$/m);
  t.regex(text, /^ratings: 2 rated, mean 4\.00, 50\.0% satisfied \(4-5\)$/m);
  const card = at('agent scorecard');
  t.regex(lines[card + 1]!, /^group\s+agents\s+answered\s+<= 3 rings\s+holds > limit\s+wrap-ups > limit\s+occupancy\s+rang out\s+rating$/);
  t.regex(lines[card + 2]!, /^province\/g\s+1\s+1\s+100\.0%\s+0\s+1 \(> 30s\)\s+1\.2%\s+0\s+5\.00$/);
});

test('console: the same text from summary.json read back (nulls for NaN)', (t) => {
  const s = summary();
  const fromJson = JSON.parse(summaryJson(s)) as Summary;
  t.is(formatConsoleSummary(fromJson, { color: false }), formatConsoleSummary(s, { color: false }));
});

test('console: one center, no per-center table', (t) => {
  const one = queueScenario({ rate: 1, agents: 1, talk: { kind: 'constant', value: 60 }, duration: 3600 });
  const m = new MetricsCollector(collectorOptions(one));
  m.call(answeredCall({ queued: 10, answered: 10, left: 70 }));
  const s = summarize(one, [{ index: 0, seed: 1, collector: m, events: 1, endTime: 70, partial: false }], { now: new Date(0) });
  const text = formatConsoleSummary(s, { color: false });
  t.false(text.includes('per center:'));
  t.true(text.includes('platform per hour'));
});

test('console: a summary covering less than the scenario (a server stopped early) says how much, not "simulated"', (t) => {
  const m = new MetricsCollector(collectorOptions(scenario));
  const rep: Replication = { index: 0, seed: 1, collector: m, events: 1, endTime: 2.3456, partial: false };
  const short = summarize(scenario, [rep], { now: new Date(0), covered: 2.3456 });
  t.is(short.covered, 2.3456);
  t.regex(formatConsoleSummary(short, { color: false }).split('\n')[0]!, /: 2\.346s of its 3h covered, seed 1/);
  // covering the whole scenario (or more, the drain after it) is the plain case
  const whole = summarize(scenario, [{ ...rep, endTime: 10800 }], { now: new Date(0), covered: 10800 });
  t.false('covered' in whole);
  t.regex(formatConsoleSummary(whole, { color: false }).split('\n')[0]!, /: 3h simulated, seed 1/);
  t.false('covered' in summarize(scenario, [rep], { now: new Date(0) }));
  m.destroy();
});
