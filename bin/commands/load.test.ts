import test from 'ava';
import { percentText, rateText } from './load.js';

test('a share prints in percent, and as `-` when no call started (never NaN)', (t) => {
  t.is(percentText(0), '0.00 %');
  t.is(percentText(0.98765), '98.77 %');
  t.is(percentText(Number.NaN), '- (no call started)');
});

test('a rate prints per second, minute or hour, whichever gives at least one call, without float noise', (t) => {
  t.is(rateText(50), '50 calls/s');
  t.is(rateText(1), '1 call/s');
  t.is(rateText(1 / 3), '20 calls/min');
  t.is(rateText(1 / 3600), '1 call/h');
  t.is(rateText(2.5 / 3600), '2.5 calls/h');
  t.is(rateText(100 / 7), '14.2857 calls/s');
});
