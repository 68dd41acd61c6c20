import test from 'ava';
import { MetricsCollector, type CollectorOptions } from './collector.js';
import { intervalFigures } from './interval-metrics.js';
import { rates, ratioValue } from './rates.js';
import { scorecardSummary } from './scorecard.js';
import { abandonedCall, answeredCall, blockedCall, callbackRecord, callRecord, span } from './test-records.js';

const options = (o: Partial<CollectorOptions> = {}): CollectorOptions => ({
  warmup: 0,
  duration: 7200,
  ringPeriod: 5,
  serviceLevelThresholds: [20],
  shortAbandon: 5,
  interval: 3600,
  centers: ['c'],
  ...o,
});

function collect(o: Partial<CollectorOptions>, feed: (m: MetricsCollector) => void): MetricsCollector {
  const m = new MetricsCollector(options(o));
  feed(m);
  return m;
}

const rate = (m: MetricsCollector, name: string, center?: string): number => {
  const s = center === undefined ? m.platform : m.centers.get(center)!;
  return ratioValue(rates(s.counters, s.serviceLevels, 'strict')[name]!);
};

test('intervals: queue length is the time average of the waiting calls, clipped to each interval', (t) => {
  const m = collect({}, (m) => {
    m.call(answeredCall({ queued: 1000, answered: 1600, left: 1700 })); // waits 600 s in interval 0
    m.call(abandonedCall({ queued: 3000, left: 4200 })); // 600 s in 0, 600 s in 1
    m.call(answeredCall({ queued: 3500, answered: 3510, left: 3800 })); // 10 s in 0
    m.work(span(1600, 1700));
    m.work(span(3510, 3800)); // 90 s in 0, 200 s in 1
    m.staffed(span(0, 7200));
    m.staffed(span(1800, 5400, { agent: 'c/g/2' })); // 1800 s in each
  });
  const s = m.intervals.get('c')!;
  t.is(s.count, 2);
  const i0 = intervalFigures(s, 0, 'strict', 1);
  const i1 = intervalFigures(s, 1, 'strict', 1);
  t.is(i0.queueLength, (600 + 600 + 10) / 3600);
  t.is(i1.queueLength, 600 / 3600);
  t.is(i0.agentsBusy, (100 + 90) / 3600);
  t.is(i1.agentsBusy, 200 / 3600);
  t.is(i0.agentsStaffed, 1.5);
  t.is(i1.agentsStaffed, 1.5);
  t.is(i0.occupancy, 190 / 3600 / 1.5);
  // By queue entry: all three queued in interval 0; one of them within 20 s.
  t.like(i0, { arrivals: 3, queued: 3, answered: 2, abandoned: 1, asa: (600 + 10) / 2 });
  t.deepEqual(i0.serviceLevel, { value: 1 / 3, numerator: 1, denominator: 3 });
  t.like(i1, { arrivals: 0, queued: 0, answered: 0, abandoned: 0 });
  t.true(Number.isNaN(i1.serviceLevel.value));
  t.true(Number.isNaN(i1.asa));
});

test('intervals: an instant on a boundary belongs to the interval it starts', (t) => {
  const m = collect({}, (m) => {
    m.call(blockedCall(3600));
    m.call(callRecord({ arrival: 3599.999 }));
    m.call(abandonedCall({ arrival: 3590, queued: 3600, left: 3601 }));
    m.call(callRecord({ arrival: 0 }));
    m.work(span(3600, 3600)); // empty
    m.work(span(0, 3600)); // all in 0
  });
  const s = m.intervals.get('c')!;
  const i0 = intervalFigures(s, 0, 'strict', 1);
  const i1 = intervalFigures(s, 1, 'strict', 1);
  t.like(i0, { arrivals: 3, blocked: 0, queued: 0, agentsBusy: 1 });
  t.like(i1, { arrivals: 1, blocked: 1, queued: 1, abandoned: 1, agentsBusy: 0 });
  t.is(i1.queueLength, 1 / 3600);
  t.is(i0.queueLength, 0);
});

test('intervals: the last interval may be shorter; time past the end is not counted', (t) => {
  const m = collect({ duration: 5400 }, (m) => {
    m.staffed(span(0, 9000));
    m.call(answeredCall({ queued: 5000, answered: 5500, left: 5600 })); // waits 400 s inside the run, 100 s after
  });
  const s = m.intervals.get('c')!;
  t.is(s.count, 2);
  t.deepEqual(s.bounds(1), [3600, 5400]);
  const i1 = intervalFigures(s, 1, 'strict', 1);
  t.is(i1.agentsStaffed, 1);
  t.is(i1.queueLength, 400 / 1800);
});

test('a call dispatched from yanbian to province counts at province and as dispatched out of yanbian', (t) => {
  const m = collect({ centers: ['province', 'yanbian'] }, (m) => {
    m.call(answeredCall({ queued: 100, answered: 110, left: 200 }, { center: 'province', dispatchedFrom: 'yanbian', agent: 'province/g/1' }));
    m.call(answeredCall({ queued: 300, answered: 300, left: 400 }, { center: 'yanbian', agent: 'yanbian/g/1' }));
    m.work(span(110, 200, { center: 'province', agent: 'province/g/1' }));
    m.staffed(span(0, 7200, { center: 'province', agent: 'province/g/1' }));
    m.staffed(span(0, 7200, { center: 'yanbian', agent: 'yanbian/g/1' }));
    m.work(span(300, 400, { center: 'yanbian', agent: 'yanbian/g/1' }));
  });
  const province = m.centers.get('province')!.counters;
  const yanbian = m.centers.get('yanbian')!.counters;
  t.like(province, { offered: 1, answered: 1, dispatchedIn: 1, dispatchedOut: 0 });
  t.like(yanbian, { offered: 1, answered: 1, dispatchedIn: 0, dispatchedOut: 1 });
  t.like(m.platform.counters, { offered: 2, answered: 2, dispatchedIn: 1, dispatchedOut: 1 });
  t.is(rate(m, 'occupancy', 'province'), 90 / 7200);
  t.is(rate(m, 'occupancy', 'yanbian'), 100 / 7200);
  t.is(rate(m, 'occupancy'), 190 / 14400);
  t.is(m.centers.get('province')!.durations.get('speed_of_answer')!.mean, 10);
  t.is(intervalFigures(m.intervals.get('province')!, 0, 'strict', 1).arrivals, 1);
  t.is(intervalFigures(m.intervals.get('yanbian')!, 0, 'strict', 1).arrivals, 1);
});

test('wrap-up over the limit: 31 s under a 30 s limit counts, 30 s does not (even after float sums)', (t) => {
  const m = collect({ wrapUpLimits: new Map([['c', new Map([['g', 30]])]]) }, (m) => {
    m.call(answeredCall({ queued: 1000, answered: 1000, left: 1000.1, wrapEnd: 1000.1 + 31 }));
    m.call(answeredCall({ queued: 2000, answered: 2000, left: 2000.7, wrapEnd: 2000.7 + 30 }));
    m.call(answeredCall({ queued: 3000, answered: 3000, left: 3000.3, wrapEnd: 3000.3 + 29.9 }));
  });
  t.is(m.platform.counters.wrapUpViolations, 1);
  t.is(rate(m, 'wrap_up_violation_rate'), 1 / 3);
  const card = scorecardSummary(m.scorecard, (c, g) => m.wrapUpLimit(c, g));
  t.like(card.agents[0], { agent: 'c/g/1', wrapUpViolations: 1, answered: 3 });
  t.like(card.groups[0], { center: 'c', group: 'g', wrapUpViolations: 1, wrapUpLimit: 30 });
});

test("wrap-up limits are the answering group's", (t) => {
  const m = collect({ wrapUpLimits: new Map([['c', new Map([['g', 30], ['experts', 60]])]]) }, (m) => {
    m.call(answeredCall({ queued: 0, answered: 0, left: 100, wrapEnd: 145 }, { group: 'experts', agent: 'c/experts/1' }));
    m.call(answeredCall({ queued: 0, answered: 0, left: 100, wrapEnd: 145 }));
    m.call(answeredCall({ queued: 0, answered: 0, left: 100, wrapEnd: 145 }, { group: 'other', agent: 'c/other/1' })); // default 30 s
  });
  t.is(m.platform.counters.wrapUpViolations, 2);
});

test('holds: talk excludes hold; hold histogram; calls with a violation over answered calls', (t) => {
  const m = collect({}, (m) => {
    m.call(answeredCall({ queued: 0, answered: 0, left: 100 }, { holdTime: 40, holdViolations: 1 }));
    m.call(answeredCall({ queued: 0, answered: 0, left: 200 }, { holdTime: 70, holdViolations: 2 }));
    m.call(answeredCall({ queued: 0, answered: 0, left: 50 }));
    m.call(abandonedCall({ queued: 0, left: 30 }));
  });
  const hold = m.platform.durations.get('hold')!;
  const talk = m.platform.durations.get('talk')!;
  t.is(hold.count, 3);
  t.is(hold.sum, 110);
  t.is(hold.max, 70);
  t.is(talk.sum, 60 + 130 + 50);
  t.like(m.platform.counters, { holdViolationCalls: 2, holdViolations: 3 });
  t.is(rate(m, 'hold_violation_rate'), 2 / 3);
  t.is(m.scorecard.agents.get('c/g/1')!.holdViolations, 3);
});

test('silent calls, ratings and satisfaction', (t) => {
  const m = collect({}, (m) => {
    m.call(answeredCall({ queued: 0, answered: 0, left: 15 }, { silent: true }));
    m.call(answeredCall({ queued: 0, answered: 0, left: 100 }, { rating: 5 }));
    m.call(answeredCall({ queued: 0, answered: 0, left: 100 }, { rating: 4 }));
    m.call(answeredCall({ queued: 0, answered: 0, left: 100 }, { rating: 2, callbackPromised: true }));
  });
  t.is(rate(m, 'silent_call_rate'), 1 / 4);
  t.is(rate(m, 'satisfaction'), 2 / 3);
  t.like(m.platform.counters, { rated: 3, ratingSum: 11, satisfied: 2, callbacksPromised: 1 });
});

test('callbacks: delay from created to reached, on time and reached over closed tasks; warm-up excluded', (t) => {
  const m = collect({ warmup: 50 }, (m) => {
    m.callback?.(callbackRecord({ created: 100, due: 1900, reached: 1000, ended: 1100, onTime: true }));
    m.callback?.(callbackRecord({ created: 200, due: 2000, reached: 2500, ended: 2600, onTime: false, attempts: 2 }));
    m.callback?.(callbackRecord({ created: 300, due: 2100, attempts: 3 }));
    m.callback?.(callbackRecord({ created: 10, due: 1810, reached: 20, onTime: true }));
  });
  const delay = m.platform.durations.get('callback_delay')!;
  t.is(delay.count, 2);
  t.is(delay.mean, (900 + 2300) / 2);
  t.is(rate(m, 'callback_reach_rate'), 2 / 3);
  t.is(rate(m, 'callback_on_time_rate'), 1 / 3);
  t.is(m.centers.get('c')!.counters.callbacksClosed, 3);
  // No callbacks, no callback rates (like the IVR rates without an IVR).
  const none = collect({}, () => {});
  t.false('callback_on_time_rate' in rates(none.platform.counters, none.platform.serviceLevels, 'strict'));
});

test('scorecard per agent: within the ring limit, occupancy, ring-no-answer after the warm-up', (t) => {
  const a = { agent: 'c/g/1' };
  const b = { agent: 'c/g/2' };
  const m = collect({ warmup: 100, ringLimit: 3 }, (m) => {
    m.call(answeredCall({ queued: 200, ringStart: 200, answered: 215, left: 300 }, a)); // 3 rings
    m.call(answeredCall({ queued: 400, ringStart: 400, answered: 415.5, left: 500 }, a)); // 4 rings
    m.call(answeredCall({ queued: 600, answered: 600, left: 700 }, a)); // 0 rings
    m.call(answeredCall({ queued: 800, ringStart: 800, answered: 805, left: 900 }, b)); // 1 ring
    m.call(answeredCall({ queued: 10, ringStart: 10, answered: 60, left: 90 }, b)); // before the warm-up
    m.staffed(span(0, 3600, a));
    m.staffed(span(0, 1900, b));
    m.work(span(215, 300, a));
    m.work(span(415.5, 500, a));
    m.work(span(600, 700, a));
    m.work(span(805, 900, b));
    m.work(span(60, 150, b)); // 50 s after the warm-up
    for (const time of [50, 700, 720]) m.agentEvent?.({ ...b, group: 'g', center: 'c', time, kind: 'ring-no-answer' });
  });
  const card = scorecardSummary(m.scorecard, (c, g) => m.wrapUpLimit(c, g));
  t.is(card.ringLimit, 3);
  t.deepEqual(
    card.agents.map((x) => [x.agent, x.answered, x.answeredWithinRingLimit, x.ringNoAnswers]),
    [
      ['c/g/1', 3, 2, 0],
      ['c/g/2', 1, 1, 2],
    ],
  );
  t.is(card.agents[0]!.ringLimitShare, 2 / 3);
  t.is(card.agents[0]!.occupancy, (85 + 84.5 + 100) / 3500);
  t.is(card.agents[1]!.occupancy, (95 + 50) / 1800);
  t.like(card.groups[0], { agents: 2, answered: 4, answeredWithinRingLimit: 3, ringLimitShare: 3 / 4, ringNoAnswers: 2 });
  t.is(card.groups[0]!.occupancy, (85 + 84.5 + 100 + 95 + 50) / (3500 + 1800));
  t.is(m.platform.counters.ringNoAnswers, 2);
});

test('scorecard agents sort naturally: c/g/2 before c/g/10', (t) => {
  const m = collect({}, (m) => {
    for (const n of [10, 2, 1]) m.staffed(span(0, 10, { agent: `c/g/${n}` }));
    m.staffed(span(0, 10, { agent: 'a/g/1', center: 'a' }));
  });
  const card = scorecardSummary(m.scorecard, () => 30);
  t.deepEqual(card.agents.map((a) => a.agent), ['a/g/1', 'c/g/1', 'c/g/2', 'c/g/10']);
  t.deepEqual(card.groups.map((g) => `${g.center}/${g.group}`), ['a/g', 'c/g']);
});

test('warm-up: intervals count every call, totals only the calls after it', (t) => {
  const m = collect({ warmup: 3600 }, (m) => {
    m.call(answeredCall({ queued: 100, answered: 100, left: 200 }));
    m.call(answeredCall({ queued: 4000, answered: 4000, left: 4100 }));
    m.staffed(span(0, 7200));
  });
  t.is(m.platform.counters.offered, 1);
  t.is(m.platform.counters.staffedTime, 3600);
  const s = m.intervals.get('c')!;
  t.is(intervalFigures(s, 0, 'strict', 1).answered, 1);
  t.is(intervalFigures(s, 1, 'strict', 1).answered, 1);
  t.is(intervalFigures(s, 0, 'strict', 1).agentsStaffed, 1);
});

test('merge: two collectors merged count what one collector fed both streams counts', (t) => {
  const feeds: ((m: MetricsCollector) => void)[] = [
    (m) => {
      m.call(answeredCall({ queued: 100, answered: 130, left: 200, wrapEnd: 240 }, { center: 'p', dispatchedFrom: 'c', rating: 5 }));
      m.work(span(130, 240, { center: 'p' }));
      m.staffed(span(0, 7200, { center: 'p' }));
    },
    (m) => {
      m.call(abandonedCall({ queued: 4000, left: 4100 }));
      m.call(blockedCall(5000));
      m.callback?.(callbackRecord({ created: 100, reached: 200, onTime: true }));
      m.agentEvent?.({ agent: 'c/g/1', group: 'g', center: 'c', time: 300, kind: 'ring-no-answer' });
    },
  ];
  const both = collect({}, (m) => feeds.forEach((f) => f(m)));
  const a = collect({}, feeds[0]!);
  const b = collect({}, feeds[1]!);
  const merged = collect({}, () => {});
  merged.merge(a);
  merged.merge(b);
  t.deepEqual({ ...merged.platform.counters }, { ...both.platform.counters });
  for (const id of ['c', 'p']) {
    t.deepEqual({ ...merged.centers.get(id)!.counters }, { ...both.centers.get(id)!.counters }, id);
    t.deepEqual(merged.intervals.get(id)!.data, both.intervals.get(id)!.data, id);
  }
  t.deepEqual([...merged.centers.keys()].sort(), ['c', 'p']);
  t.deepEqual(scorecardSummary(merged.scorecard, () => 30), scorecardSummary(both.scorecard, () => 30));
  t.is(merged.platform.durations.get('queue_wait')!.count, 2);
  for (const m of [both, a, b, merged]) m.destroy();
});
