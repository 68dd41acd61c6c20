import test from 'ava';
import fc from 'fast-check';
import { formatDuration, parseDuration, parseRate } from './units.js';

test('durations in every unit and combination', (t) => {
  t.is(parseDuration('90s'), 90);
  t.is(parseDuration('15m'), 900);
  t.is(parseDuration('1h30m'), 5400);
  t.is(parseDuration('30d'), 30 * 86400);
  t.is(parseDuration('250ms'), 0.25);
  t.is(parseDuration('1.5s'), 1.5);
  t.is(parseDuration('45'), 45);
  t.is(parseDuration(12), 12);
});

test('durations that are not durations', (t) => {
  for (const bad of ['', 's', '-5s', '5 x', '30m1h', '1h1h', '5sec', '1e', 'abc']) {
    t.is(parseDuration(bad), undefined, bad);
  }
  t.is(parseDuration(-1), undefined);
  t.is(parseDuration(Number.NaN), undefined);
});

test('rates per unit and per multiple of a unit', (t) => {
  t.is(parseRate('1/s'), 1);
  t.is(parseRate('120/h'), 120 / 3600);
  t.is(parseRate('100/30m'), 100 / 1800);
  t.is(parseRate('2'), 2);
  t.is(parseRate('5/0s'), undefined);
  t.is(parseRate('five/s'), undefined);
  t.is(parseRate('1/parsec'), undefined);
});

test('formatDuration output parses back to the same number of seconds', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 400 * 86400 }), (n) => parseDuration(formatDuration(n)) === n),
  );
  t.is(formatDuration(5400), '1h30m');
});
