import test from 'ava';
import { percentText } from './load.js';

test('a share prints in percent, and as `-` when no call started (never NaN)', (t) => {
  t.is(percentText(0), '0.00 %');
  t.is(percentText(0.98765), '98.77 %');
  t.is(percentText(Number.NaN), '- (no call started)');
});
