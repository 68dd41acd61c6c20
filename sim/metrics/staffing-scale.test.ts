import test from 'ava';
import fc from 'fast-check';
import { agentGroup, queueScenario } from '../../test/scenario-builder.js';
import type { Center } from '../scenario/types.js';
import { currentStaffing, groupCounts, headCount, minimumHeadCount, withStaffing } from './staffing-scale.js';

const base = queueScenario({ rate: 0.05, agents: 14, talk: { kind: 'exponential', mean: 180 } });
const center = (counts: number[]): Center => ({ ...base.centers[0]!, groups: counts.map((n, i) => agentGroup(`g${i}`, n)) });

test('a head count is spread over the groups in proportion to their counts, adding up exactly', (t) => {
  t.deepEqual(groupCounts(center([20, 10]), 15), [10, 5]);
  t.deepEqual(groupCounts(center([20, 10]), 30), [20, 10]);
  t.deepEqual(groupCounts(center([20, 10]), 31), [21, 10]);
  t.deepEqual(groupCounts(center([1, 1, 1]), 4), [2, 1, 1]);
});

test('every group that had agents keeps at least one; groups without agents stay empty', (t) => {
  t.deepEqual(groupCounts(center([98, 2]), 10), [9, 1]);
  t.deepEqual(groupCounts(center([5, 0, 5]), 2), [1, 0, 1]);
  t.is(minimumHeadCount(center([5, 0, 5])), 2);
  t.throws(() => groupCounts(center([5, 0, 5]), 1), { instanceOf: RangeError });
  // A center with no agents at all: every group takes part, evenly.
  t.deepEqual(groupCounts(center([0, 0]), 5), [3, 2]);
});

test('property: counts add up to the head count, never below 1, and within one agent of their share when every share is one or more', (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 300 }), (counts, extra) => {
      const c = center(counts);
      const total = counts.length + extra;
      const out = groupCounts(c, total);
      const sum = counts.reduce((a, b) => a + b, 0);
      const shares = counts.map((n) => (n / sum) * total);
      return (
        out.reduce((a, b) => a + b, 0) === total &&
        out.every((n) => n >= 1) &&
        (shares.some((x) => x < 1) || out.every((n, i) => Math.abs(n - shares[i]!) < 1))
      );
    }),
  );
  t.pass();
});

test('withStaffing changes the named centers only and leaves the scenario as it was', (t) => {
  const two = { ...base, centers: [center([10, 5]), { ...center([9]), id: 'small' }] };
  const after = withStaffing(two, { c: 6 });
  t.deepEqual(after.centers[0]!.groups.map((g) => g.count), [4, 2]);
  t.is(after.centers[1], two.centers[1]);
  t.deepEqual(currentStaffing(two), { c: 15, small: 9 });
  t.is(headCount(two.centers[0]!), 15);
});
