import test from 'ava';
import { DurationMetric } from '../../metrics/duration-metric.js';
import type { LoadCounters, LoadResults } from '../../metrics/load-run.js';
import { LoadTally, parseSippAborts, percentile } from './load-tally.js';

const metric = (): DurationMetric => new DurationMetric('s');

const T = 1_795_392_500_000_000; // µs since the epoch

/** A time as SIPp 3.6.1 prints a <gettimeofday> pair of call variables ("%lf" each). */
function at(dtUs: number): string {
  const us = T + dtUs;
  return `${Math.floor(us / 1e6)}.000000/${us % 1e6}.000000`;
}

// One process at 10 calls/s: call k starts (k - 1) x 100 ms after T; call 4 is 30 ms late.
// Each call writes one line, when it is over.
const LOG = [
  'The following line is SIPp speaking, not us',
  // 2: refused 486 (ringing first)
  `callsim 2 final_486 at=${at(150_000)} t0=${at(100_000)} r=${at(102_000)}`,
  // 5: answered; one key sent, never answered; the target hung up first
  `callsim 5 call_end at=${at(900_100)} t0=${at(400_000)} r=${at(401_000)} a=${at(600_000)} h=${at(900_000)} by=1.000000 ks=1.000000 ka=`,
  // 3: nothing came back within the ring timeout
  `callsim 3 no_answer at=${at(1_200_000)} t0=${at(200_000)}`,
  // 4: ringing, CANCELled at the ring timeout; its 487, caught by the global refusals, is ours
  `callsim 4 ring_timeout at=${at(1_330_000)} t0=${at(330_000)} r=${at(331_000)}`,
  `callsim 4 final_487 at=${at(1_331_000)} t0=${at(330_000)} r=${at(331_000)}`,
  // 1: answered after 1.5 s (no 18x: post-dial delay unknown), two keys acknowledged, our BYE at 2.7 s
  `callsim 1 call_end at=${at(2_701_100)} t0=${at(0)} r=/ a=${at(1_500_000)} h=${at(2_700_000)} by= ks=2.000000 ka=2.000000`,
  // 7: answered at 650 ms, then it hung (no hangup time: SIPp gave up on its BYE)
  `callsim 7 call_end at=${at(40_000_000)} t0=${at(600_000)} r=${at(601_000)} a=${at(650_000)} h=/ by= ks= ka=`,
  '',
];
// 6: SIPp aborted it on a 599 it does not list; 8: aborted at Ctrl-C before any outcome
const ERRORS =
  "The following events occurred:\n2026-11-23\t00:00:00.5\t1795392500.5: Aborting call on unexpected message for Call-Id '6-4242@127.0.0.1': while expecting '100' (index 2), received 'SIP/2.0 599 Odd\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK4242c6i\nCall-ID: 6-4242@127.0.0.1\n\n'" +
  "2026-11-23\t00:00:00.9\t1795392500.9: Aborted call with Call-ID '8-4242@127.0.0.1'\n";

function run(interrupted: boolean, due?: number) {
  const tally = new LoadTally(metric);
  const p = tally.process(10, 10);
  for (const l of LOG) p.line(l);
  p.end(parseSippAborts(ERRORS), interrupted, due);
  return { tally, p };
}

test('each call is counted as the native engine counts it, with exact durations from the INVITE', (t) => {
  const { tally, p } = run(false);
  const c = tally.counters;
  t.is(p.otherLines, 1);
  t.is(c.started, 8);
  t.is(c.scheduled, 10);
  t.is(c.notStarted, 2);
  t.is(c.answered, 3);
  t.deepEqual(c.failed, { 486: 1, 'no answer': 1, 599: 1 }, 'call 8 was cut by Ctrl-C: started, not failed');
  t.is(c.ringTimeouts, 2, 'no answer and the CANCELled call');
  t.is(c.keysSent, 3);
  t.is(c.keysAcked, 2);
  t.is(c.completed, 2, 'call 7 has no end time');
  t.is(c.endedByTarget, 1);
  t.is(c.responded, 6, 'every call but 3 (nothing came back) and 8 (cut at Ctrl-C before any outcome)');
  const m = tally.metrics;
  t.deepEqual([m.ivr_answer.count, m.ivr_answer.min, m.ivr_answer.max], [3, 0.05, 1.5]);
  // first 18x: 2 ms, 1 ms, 1 ms, 1 ms
  t.deepEqual([m.post_dial_delay.count, m.post_dial_delay.min, m.post_dial_delay.max], [4, 0.001, 0.002]);
  t.deepEqual([m.call_duration.count, m.call_duration.min, m.call_duration.max], [2, 0.5, 2.7]);
  // start lag: call 4 started 30 ms after its slot, the others on time (6 and 8 logged no start)
  const lags = tally.startLagMs();
  t.is(lags.length, 6);
  t.true(lags.slice(0, 5).every((l) => Math.abs(l) < 1e-6), String(lags));
  t.true(Math.abs(lags[5]! - 30) < 1e-6, String(lags));
  t.is(m.start_lag.count, 6);
  t.true(Math.abs(m.start_lag.max - 0.03) < 1e-9);
  for (const d of Object.values(m)) d.destroy();
});

test('a target that never answered: no call counts as responded, whether it gave up at the ring timeout or ran out of retransmissions', (t) => {
  const tally = new LoadTally(metric);
  const p = tally.process(3, 10);
  p.line(`callsim 1 no_answer at=${at(1_000_000)} t0=${at(0)}`);
  p.line(`callsim 3 no_answer at=${at(1_200_000)} t0=${at(200_000)}`);
  p.end(parseSippAborts("2026-11-23\t00:00:00.5\t1795392500.5: Aborting call on UDP retransmission timeout for Call-ID '2-4242@127.0.0.1'\n"), false);
  t.is(tally.counters.started, 3);
  t.is(tally.counters.responded, 0);
  t.deepEqual(tally.counters.failed, { 'no answer': 2, 408: 1 });
  for (const d of Object.values(tally.metrics)) d.destroy();
});

test('after Ctrl-C the calls never placed were never due', (t) => {
  const { tally } = run(true, 0);
  t.deepEqual(tally.counters.failed, { 486: 1, 'no answer': 1, 599: 1 });
  t.is(tally.counters.started, 8);
  t.is(tally.counters.scheduled, 8);
  t.is(tally.counters.notStarted, 0);
});

test('a process cut short by its bound: the calls whose time had come count as scheduled', (t) => {
  const { tally } = run(false, 9);
  t.is(tally.counters.scheduled, 9);
  t.is(tally.counters.notStarted, 1);
});

test('a call logged with no outcome (a damaged log) is counted as aborted; an unknown event is not ours', (t) => {
  const tally = new LoadTally(metric);
  const p = tally.process(2, 1);
  p.line(`callsim 1 call_end at=${at(2000)} t0=${at(0)} r=/ a=/ h=/ by= ks= ka=`);
  p.line(`callsim 2 something_else at=${at(2000)}`);
  p.end([], false);
  t.deepEqual(tally.counters.failed, { aborted: 1 });
  t.is(tally.counters.started, 1);
  t.is(p.otherLines, 1);
});

test('a call already counted is not counted again by a late error-log entry, nor by a repeated line', (t) => {
  const tally = new LoadTally(metric);
  const p = tally.process(2, 1);
  p.line(`callsim 1 call_end at=${at(2000)} t0=${at(0)} r=/ a=${at(1000)} h=${at(1500)} by= ks= ka=`);
  p.line(`callsim 1 call_end at=${at(2000)} t0=${at(0)} r=/ a=${at(1000)} h=${at(1500)} by= ks= ka=`);
  p.end([{ callNumber: 1, what: 'BYE' }], false);
  t.is(tally.counters.started, 1);
  t.is(tally.counters.answered, 1);
  t.deepEqual(tally.counters.failed, {});
});

test('SIPp error-log entries name the call and what it did not expect', (t) => {
  const text = [
    "2026-11-23\t00:00:00.1\t1.1: Aborting call on unexpected message for Call-Id '12-99@127.0.0.1': while expecting '100' (index 2), received 'SIP/2.0 155 Odd",
    "'2026-11-23\t00:00:00.2\t1.2: Aborting call on unexpected message for Call-Id '13-99@127.0.0.1': while pausing (index 80), received 'REFER sip:caller@127.0.0.1 SIP/2.0",
    "2026-11-23\t00:00:00.3\t1.3: Aborting call on UDP retransmission timeout for Call-ID '14-99@127.0.0.1'",
    "2026-11-23\t00:00:00.4\t1.4: Call-Id: 15-99@127.0.0.1, receive timeout on message callsim load UAC:83, jumping to label 142",
    "2026-11-23\t00:00:00.5\t1.5: Aborted call with Call-ID '16-99@127.0.0.1'",
  ].join('\n');
  t.deepEqual(parseSippAborts(text), [
    { callNumber: 12, what: '155' },
    { callNumber: 13, what: 'REFER' },
    { callNumber: 14, what: 'retransmission timeout' },
    { callNumber: 16, what: 'interrupted' },
  ]);
  const tally = new LoadTally(metric);
  const p = tally.process(16, 1);
  p.end(parseSippAborts(text), false);
  t.deepEqual(tally.counters.failed, { 'unexpected 155': 1, 'unexpected REFER': 1, 408: 1 });
  t.is(tally.counters.started, 4, 'the call cut at Ctrl-C had started too');
});

test('the results have the shape of the native LoadRun', (t) => {
  const tally = new LoadTally(metric);
  // compile-time: the sipp engine's counters and metrics are LoadCounters and LoadResults
  const counters: LoadCounters = tally.counters;
  const results: LoadResults = { counters: tally.counters, metrics: tally.metrics };
  t.is(results.counters, counters);
  t.is(percentile([1, 2, 3, 4], 50), 2);
  t.true(Number.isNaN(percentile([], 99)));
});
