import test from 'ava';
import { RunProgress, shortSpan } from './run-progress.js';

const DAY = 86_400;

test('fraction, calls and replications done add up over replications; the drain past the end is not counted', (t) => {
  const p = new RunProgress(4, 10 * DAY);
  p.update({ index: 0, time: 5 * DAY, calls: 1000, done: false });
  p.update({ index: 1, time: 2 * DAY, calls: 400, done: false });
  t.is(p.fraction, 7 / 40);
  t.is(p.totalCalls, 1400);
  t.is(p.completed, 0);
  p.update({ index: 0, time: 10 * DAY + 3600, calls: 2000, done: false }); // draining
  t.is(p.simulated, 12 * DAY);
  p.update({ index: 0, time: 10 * DAY + 7200, calls: 2010, done: true });
  t.is(p.completed, 1);
  // A late message from a replication that has ended changes nothing.
  p.update({ index: 0, time: 3 * DAY, calls: 5, done: false });
  t.is(p.totalCalls, 2410);
  p.end(3, 77);
  t.is(p.completed, 2);
  t.is(p.fraction, (10 + 2 + 10) / 40);
});

test('ETA extrapolates the elapsed time; unknown at the very start', (t) => {
  const p = new RunProgress(1, 100);
  t.true(Number.isNaN(p.eta(5)));
  p.update({ index: 0, time: 25, calls: 10, done: false });
  t.is(p.eta(10), 30);
  p.end(0, 40);
  t.is(p.eta(40), 0);
});

test('the line shows bar, percent, replications, simulated time, calls and ETA, and fits the terminal', (t) => {
  const p = new RunProgress(8, 10 * DAY);
  for (let i = 0; i < 3; i++) p.end(i, 123_456);
  p.update({ index: 3, time: 5 * DAY, calls: 1000, done: false });
  const line = p.line(12, { width: 120, color: false });
  t.regex(line, /^\[#+-+\] +43% \| 3\/8 replications \| 35\.0 d of 80\.0 d simulated \| 371,368 calls \| ETA 15 s$/);
  t.true(line.length < 120);
  for (const width of [100, 80, 60, 20, 5]) t.true(p.line(12, { width, color: false }).length < width, `width ${width}`);
  // Narrower: the simulated time goes first, then the calls; the bar, replications and ETA stay.
  t.regex(p.line(12, { width: 80, color: false }), /^\[#+-+\]  43% \| 3\/8 replications \| 371,368 calls \| ETA 15 s$/);
  t.regex(p.line(12, { width: 60, color: false }), /^\[#+-+\]  43% \| 3\/8 replications \| ETA 15 s$/);
  t.notRegex(line, /\u001b/);
  t.regex(p.line(12, { width: 120, color: true }), /\u001b\[36m#+-+\u001b\[0m/);
  // One replication: no replication count.
  const one = new RunProgress(1, 3600);
  one.update({ index: 0, time: 1800, calls: 10, done: false });
  t.regex(one.line(1, { width: 100, color: false }), /50% \| 30\.0 min of 60\.0 min simulated \| 10 calls \| ETA 1 s$/);
});

test('short spans', (t) => {
  t.deepEqual([42, 600, 7200, 3 * DAY].map(shortSpan), ['42 s', '10.0 min', '2.0 h', '3.0 d']);
});
