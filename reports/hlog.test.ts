import test from 'ava';
import hdr from 'hdr-histogram-js';
import { DurationMetric } from '../sim/metrics/duration-metric.js';
import { simulateOnce } from '../sim/metrics/simulate.js';
import { exp, queueScenario } from '../test/scenario-builder.js';
import { centerTag, histogramLog } from './hlog.js';

const START = '2026-07-06T00:00:00+08:00';
const START_S = Date.parse(START) / 1000;

/** Every interval of a log, read back by hdr-histogram-js's reader, by tag. */
function readBack(log: string): Map<string, hdr.Histogram> {
  const reader = new hdr.HistogramLogReader(log, 32, true);
  const out = new Map<string, hdr.Histogram>();
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) out.set(h.tag, h);
  return out;
}

const PERCENTILES = [1, 10, 50, 90, 95, 99, 99.9, 100];

function sameHistogram(t: { is: (a: unknown, b: unknown, m?: string) => void }, read: hdr.Histogram, original: DurationMetric, what: string): void {
  t.is(read.totalCount, original.count, `${what}: count`);
  for (const q of PERCENTILES) t.is(read.getValueAtPercentile(q), original.histogram.getValueAtPercentile(q), `${what}: p${q}`);
  // The decoded max is the top of the exact max's bucket: equal within 3 significant digits.
  const max = original.histogram.maxValue;
  t.is(read.maxValue >= max && read.maxValue <= max * 1.001 + 1, true, `${what}: max ${read.maxValue} vs ${max}`);
}

test('the log is version 1.3 with StartTime, BaseTime, legend and one tagged line per metric that reads back exactly', (t) => {
  const wait = new DurationMetric('s');
  const rings = new DurationMetric('rings');
  const empty = new DurationMetric('s');
  for (let i = 0; i < 5000; i++) wait.record(((i * 7919) % 3001) / 10 + 0.000123);
  for (let i = 0; i < 300; i++) rings.record(1 + (i % 4));
  const tagBefore = wait.histogram.tag;
  const log = histogramLog(
    new Map([
      ['queue_wait', wait],
      ['agent_ring_rings', rings],
      ['hold', empty],
    ]),
    { startTime: START, intervalStart: 7200, intervalEnd: 86400, comments: ['scenario: test\nseed 1'] },
  );
  const lines = log.split('\n');
  t.is(lines[0], '#[Histogram log format version 1.3]');
  t.true(lines.some((l) => l === '# scenario: test seed 1'), 'a comment stays on one line');
  t.true(lines.includes(`#[StartTime: ${START_S.toFixed(3)} (seconds since epoch), 2026-07-05T16:00:00.000Z]`));
  t.true(lines.includes(`#[BaseTime: ${START_S.toFixed(3)} (seconds since epoch)]`));
  t.true(lines.includes('"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"'));
  t.false(lines.slice(0, -1).includes(''), 'no blank line inside the log');
  const intervals = lines.filter((l) => l.startsWith('Tag='));
  for (const l of intervals) t.regex(l, /^Tag=[^,\s]+,7200\.000,79200\.000,\d+\.\d{3},HISTF[A-Za-z0-9+/=]+$/);
  t.deepEqual(
    intervals.map((l) => l.slice(4, l.indexOf(','))),
    ['queue_wait', 'agent_ring_rings', 'hold'],
  );
  // Interval_Max: seconds for times, rings for rings.
  t.is(Number(intervals[0]!.split(',')[3]), Number((wait.histogram.maxValue / 1e6).toFixed(3)));
  t.is(Number(intervals[1]!.split(',')[3]), 4);

  const read = readBack(log);
  sameHistogram(t, read.get('queue_wait')!, wait, 'queue_wait');
  sameHistogram(t, read.get('agent_ring_rings')!, rings, 'rings');
  t.is(read.get('hold')!.totalCount, 0);
  // µs for times: a reader divides by 1e6 to get the metric's seconds.
  t.is(read.get('queue_wait')!.getValueAtPercentile(50) / 1e6, wait.percentile(50));
  t.is(read.get('queue_wait')!.startTimeStampMsec, (START_S + 7200) * 1000);
  t.is(read.get('queue_wait')!.endTimeStampMsec, (START_S + 86400) * 1000);
  t.is(wait.histogram.tag, tagBefore, 'the original keeps its tag');
  for (const m of [wait, rings, empty]) m.destroy();
  for (const h of read.values()) h.destroy();
});

test("a collector's platform and per-center histograms; replications are added together", (t) => {
  const scenario = queueScenario({ rate: 1 / 20, agents: 2, talk: exp(30), patience: exp(120), duration: 6 * 3600, warmup: 1800 });
  const a = simulateOnce(scenario, 1).collector;
  const b = simulateOnce(scenario, 2).collector;
  const options = { startTime: scenario.start, intervalStart: scenario.warmup, intervalEnd: scenario.duration };

  const one = readBack(histogramLog(a, options));
  for (const [name, m] of a.durations) sameHistogram(t, one.get(name)!, m, name);
  const center = a.centers.get('c')!;
  for (const [name, m] of center.durations) {
    const tag = centerTag('c', name);
    if (m.count === 0) t.false(one.has(tag), `${tag}: a center's empty metric is left out`);
    else sameHistogram(t, one.get(tag)!, m, tag);
  }
  t.true(one.has('center:c:queue_wait'));

  const both = readBack(histogramLog([a, b], options));
  for (const [name, m] of a.durations) {
    const sum = new DurationMetric(m.unit);
    sum.merge(m);
    sum.merge(b.durations.get(name)!);
    sameHistogram(t, both.get(name)!, sum, `${name} merged`);
    sum.destroy();
  }
  t.is(both.get('queue_wait')!.totalCount, a.durations.get('queue_wait')!.count + b.durations.get('queue_wait')!.count);
  t.false(readBack(histogramLog(a, { ...options, centers: false })).has('center:c:queue_wait'));
  a.destroy();
  b.destroy();
});

test('a center id with a comma or a blank cannot break the line', (t) => {
  t.is(centerTag('a, b', 'talk'), 'center:a__b:talk');
});
