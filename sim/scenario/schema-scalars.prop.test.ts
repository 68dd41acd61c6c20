import test from 'ava';
import fc from 'fast-check';
import { DURATION_PATTERN, instantProblem, RATE_PATTERN, timeOfDaySeconds } from './schema-scalars.js';
import { parseDuration, parseRate } from './units.js';

// The JSON Schema's patterns promise editors what the loader accepts; check the promise
// against the loader's own parsers on text built from the pieces durations are made of.

const piece = fc.constantFrom('0', '1', '2', '10', '.5', '1.5', 'ms', 's', 'm', 'h', 'd', 'w', 'e3', 'e', '-', ' ', 'x', '.', '/', '30m');
const text = fc.array(piece, { maxLength: 7 }).map((p) => p.join(''));

test('the duration pattern matches exactly the text parseDuration accepts', (t) => {
  const re = new RegExp(DURATION_PATTERN);
  fc.assert(
    fc.property(text, (s) => {
      return re.test(s) === (parseDuration(s) !== undefined);
    }),
    { numRuns: 5000 },
  );
  t.true(re.test('1h30m') && !re.test('30m1h') && !re.test(''));
});

test('the rate pattern matches all text parseRate accepts, and only a zero period besides', (t) => {
  const re = new RegExp(RATE_PATTERN);
  fc.assert(
    fc.property(text, (s) => {
      const parsed = parseRate(s);
      if (parsed !== undefined) return re.test(s);
      // What the pattern cannot see: a period of zero length, such as `5/0s`.
      const period = /\/\s*(\S+)\s*$/.exec(s)?.[1];
      return !re.test(s) || (period !== undefined && parseDuration(period) === 0);
    }),
    { numRuns: 5000 },
  );
  t.true(re.test('100/30m') && re.test('2') && !re.test('five/s'));
});

test('times of day and instants', (t) => {
  t.is(timeOfDaySeconds('08:30'), 30600);
  t.is(timeOfDaySeconds('23:59:59'), 86399);
  for (const bad of ['24:00', '8:00', '08:60', '08:00:60', '0800']) t.is(timeOfDaySeconds(bad), undefined, bad);
  t.is(instantProblem('2026-07-06T00:00:00+08:00'), undefined);
  t.is(instantProblem('2026-07-06T00:00Z'), undefined);
  t.is(instantProblem('2024-02-29T12:00:00.5-05:00'), undefined);
  for (const bad of ['2026-02-29T00:00:00Z', '2026-07-06T24:00:00Z', '2026-07-06T00:00:00', '2026-07-06', 'Monday']) {
    t.not(instantProblem(bad), undefined, bad);
  }
});
