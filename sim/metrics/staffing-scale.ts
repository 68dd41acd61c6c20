// How a staffing level becomes a scenario: "agents" at a center is the head count of its
// groups (the `count` of each group), whatever shifts, lunches and training they work. A
// new head count is spread over the center's groups in proportion to their current counts
// (largest remainders, so the parts add up exactly), every group that had agents keeping
// at least one.

import type { Center, Scenario } from '../scenario/types.js';

/** Head count per center id. */
export type Staffing = Readonly<Record<string, number>>;

/** The head count of a center as the scenario states it (the sum of its groups' counts). */
export function headCount(center: Center): number {
  return center.groups.reduce((a, g) => a + g.count, 0);
}

/** The scenario's own staffing. */
export function currentStaffing(scenario: Scenario): Staffing {
  return Object.fromEntries(scenario.centers.map((c) => [c.id, headCount(c)]));
}

/** Groups that take part in scaling: those with agents, or every group when none has any. */
function scaledGroups(center: Center): number[] {
  const staffed = center.groups.map((g, i) => (g.count > 0 ? i : -1)).filter((i) => i >= 0);
  return staffed.length > 0 ? staffed : center.groups.map((_, i) => i);
}

/** The smallest head count a center can be given: one agent per group that takes part. */
export function minimumHeadCount(center: Center): number {
  return scaledGroups(center).length;
}

/**
 * The group counts of `center` for a head count of `total` (>= minimumHeadCount): in
 * proportion to the current counts (evenly when they are all 0), each at least 1.
 */
export function groupCounts(center: Center, total: number): number[] {
  const parts = scaledGroups(center);
  if (!Number.isSafeInteger(total) || total < parts.length) {
    throw new RangeError(`center ${center.id}: a head count of ${total} is below one agent per group (${parts.length})`);
  }
  const weights = parts.map((i) => center.groups[i]!.count);
  const sum = weights.reduce((a, b) => a + b, 0);
  const ideal = weights.map((w) => (sum > 0 ? (w / sum) * total : total / parts.length));
  const counts = ideal.map((x) => Math.max(1, Math.floor(x)));
  // Largest remainders: add where the share is most short-changed, take back where a
  // group got most more than its share (never below 1). Ties go to the earlier group.
  const gap = (k: number): number => ideal[k]! - counts[k]!;
  const byGap = (): number[] => counts.map((_, k) => k).sort((a, b) => gap(b) - gap(a) || a - b);
  for (let left = total - counts.reduce((a, b) => a + b, 0); left !== 0; ) {
    if (left > 0) {
      counts[byGap()[0]!]!++;
      left--;
    } else {
      const k = byGap().reverse().find((j) => counts[j]! > 1)!;
      counts[k]!--;
      left++;
    }
  }
  const out = center.groups.map(() => 0);
  parts.forEach((i, k) => (out[i] = counts[k]!));
  return out;
}

/** The scenario with these head counts (centers not named keep theirs). */
export function withStaffing(scenario: Scenario, staffing: Staffing): Scenario {
  return {
    ...scenario,
    centers: scenario.centers.map((c) => {
      const total = staffing[c.id];
      if (total === undefined || total === headCount(c)) return c;
      const counts = groupCounts(c, total);
      return { ...c, groups: c.groups.map((g, i) => ({ ...g, count: counts[i]! })) };
    }),
  };
}
