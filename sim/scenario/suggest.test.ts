import test from 'ava';
import fc from 'fast-check';
import { closestNames, didYouMean, editDistance } from './suggest.js';

test('edit distance counts insertions, deletions, substitutions and adjacent swaps', (t) => {
  t.is(editDistance('', 'abc'), 3);
  t.is(editDistance('patince', 'patience'), 1);
  t.is(editDistance('ab', 'ba'), 1);
  t.is(editDistance('kitten', 'sitting'), 3);
  t.is(editDistance('same', 'same'), 0);
});

test('edit distance is symmetric and bounded by the longer word', (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
      const d = editDistance(a, b);
      return d === editDistance(b, a) && d <= Math.max(a.length, b.length) && (d === 0) === (a === b);
    }),
  );
  t.pass();
});

test('suggestions: near typos, other spellings and abbreviations; nothing for strangers', (t) => {
  const keys = ['patience', 'redial'];
  t.is(didYouMean('patince', keys), 'did you mean `patience`?');
  t.is(didYouMean('Redial', keys), 'did you mean `redial`?');
  t.is(didYouMean('ring_period', ['ringPeriod', 'trunks']), 'did you mean `ringPeriod`?');
  t.is(didYouMean('expo', ['exponential', 'gamma'], { prefixes: true }), 'did you mean `exponential`?');
  t.is(didYouMean('expo', ['exponential', 'gamma']), undefined);
  t.is(didYouMean('colour', keys), undefined);
  t.deepEqual(closestNames('g1', ['g2', 'g3', 'general']), ['g2', 'g3']);
});
