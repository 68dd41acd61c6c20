import test from 'ava';
import { arrivalProcess, type ArrivalSpec } from './arrivals.js';
import { RandomStreams } from './random.js';

const H = 3600;
const profile: ArrivalSpec = {
  kind: 'profile',
  steps: [
    { at: 0, rate: 10 / H },
    { at: 8 * H, rate: 600 / H },
    { at: 12 * H, rate: 0 },
    { at: 13 * H, rate: 400 / H },
    { at: 18 * H, rate: 30 / H },
  ],
  dayFactors: [1, 1, 1, 1, 1, 0.5, 0],
};

function counts(spec: ArrivalSpec, weekOffset: number, days: number, seed = 1): number[] {
  const p = arrivalProcess(spec, 1, weekOffset);
  const rng = new RandomStreams(seed).stream('arrivals');
  const perHour = new Array<number>(days * 24).fill(0);
  for (let t = p.next(0, rng); t < days * 86400; t = p.next(t, rng)) perHour[Math.floor(t / H)]!++;
  return perHour;
}

test('a constant rate gives Poisson counts: mean and variance per hour match the rate', (t) => {
  const c = counts({ kind: 'poisson', rate: 120 / H }, 0, 200);
  const mean = c.reduce((a, b) => a + b, 0) / c.length;
  const variance = c.reduce((a, x) => a + (x - mean) ** 2, 0) / (c.length - 1);
  t.true(Math.abs(mean - 120) < 0.8, `mean ${mean}`); // s.e. 0.16
  t.true(Math.abs(variance / mean - 1) < 0.1, `dispersion ${variance / mean}`);
});

test('a profile is followed exactly: each hour\'s mean count equals the integrated rate, none in a zero step', (t) => {
  const weeks = 30;
  const c = counts(profile, 0, 7 * weeks);
  const p = arrivalProcess(profile, 1, 0);
  for (let h = 0; h < 7 * 24; h++) {
    let total = 0;
    for (let w = 0; w < weeks; w++) total += c[w * 168 + h]!;
    const expected = p.expected(h * H, (h + 1) * H);
    const mean = total / weeks;
    const se = Math.sqrt(expected / weeks);
    t.true(Math.abs(mean - expected) <= 5 * se + 1e-9, `hour ${h}: ${mean} vs ${expected}`);
    if (expected === 0) t.is(total, 0);
  }
});

test('the week offset places time 0: starting on Sunday noon, nothing arrives until Monday', (t) => {
  const sundayNoon = 6 * 86400 + 12 * H;
  const p = arrivalProcess(profile, 1, sundayNoon);
  const first = p.next(0, new RandomStreams(9).stream('a'));
  t.true(first >= 12 * H);
  t.is(p.rateAt(0), 0);
  t.is(p.rateAt(12 * H + 9 * H), 600 / H);
});

test('scale multiplies every rate; a profile of zeros never produces an arrival', (t) => {
  const p = arrivalProcess(profile, 2, 0);
  t.is(p.rateAt(9 * H), 1200 / H);
  t.is(p.expected(0, 86400), 2 * arrivalProcess(profile, 1, 0).expected(0, 86400));
  const none = arrivalProcess({ kind: 'profile', steps: [{ at: 0, rate: 0 }], dayFactors: [1, 1, 1, 1, 1, 1, 1] }, 1, 0);
  t.is(none.next(0, new RandomStreams(1).stream('a')), Infinity);
});
