// What the menu checker needs to know besides the menus: the calendar that decides agent
// hours, and the centers and calling numbers that decide where a `center: caller` queue
// goes. A resolved Scenario has this shape; the checker does not import the scenario layer.

import type { CalendarSpec } from '../calendar-types.js';
import type { Condition, IvrSpec, QueueTarget } from '../types.js';

export interface CenterRef {
  readonly id: string;
  readonly areaCodes: readonly string[];
}

export interface CheckInput {
  readonly ivr: IvrSpec;
  readonly calendar: CalendarSpec;
  /** ISO instant of time 0 (the scenario's `start`); calendar times count from it. */
  readonly start: string;
  /** In scenario order: a calling number whose area code no center serves goes to the first. */
  readonly centers: readonly CenterRef[];
  /** Area codes of the scenario's calling numbers (its caller mix); may be empty. */
  readonly callerAreaCodes: readonly string[];
}

/** A calling number without a known area code (a mobile, a withheld number). */
export const UNKNOWN_AREA_CODE = '';

/** The center a queue target sends this caller to (`caller` = the caller's own center). */
export function resolveCenter(input: CheckInput, target: QueueTarget, areaCode: string): string | undefined {
  if (target.center !== 'caller') return target.center;
  return (input.centers.find((c) => c.areaCodes.includes(areaCode)) ?? input.centers[0])?.id;
}

/**
 * Area codes that the IVR cannot tell apart behave alike; one stands for each class.
 * Two codes are alike when every area-code condition of the menus treats them the same
 * and they belong to the same center.
 */
export interface AreaCodeClass {
  readonly representative: string;
  readonly members: readonly string[];
}

export function areaCodeClasses(input: CheckInput): AreaCodeClass[] {
  const lists: (readonly string[])[] = [];
  const collect = (c: Condition | null): void => {
    if (c === null) return;
    if (c.kind === 'area-code') lists.push(c.codes);
    else if (c.kind === 'all' || c.kind === 'any') c.of.forEach(collect);
    else if (c.kind === 'not') collect(c.of);
  };
  for (const menu of Object.values(input.ivr.menus)) for (const v of menu.variants) collect(v.when);
  const codes = new Set<string>([
    ...lists.flat(),
    ...input.centers.flatMap((c) => c.areaCodes),
    ...input.callerAreaCodes,
  ]);
  codes.delete(UNKNOWN_AREA_CODE);
  const classes = new Map<string, string[]>();
  for (const code of [...[...codes].sort(), UNKNOWN_AREA_CODE]) {
    const center = input.centers.find((c) => c.areaCodes.includes(code))?.id ?? '';
    const signature = `${center}|${lists.map((l) => (l.includes(code) ? 1 : 0)).join('')}`;
    const members = classes.get(signature);
    if (members) members.push(code);
    else classes.set(signature, [code]);
  }
  return [...classes.values()].map((members) => ({ representative: members[0]!, members }));
}

/** `0431`, or words for the unknown code. */
export function describeAreaCode(code: string): string {
  return code === UNKNOWN_AREA_CODE ? 'no known area code' : `area code ${code}`;
}

/** A calling number to show in a counterexample. */
export function callingNumber(code: string): string {
  return code === UNKNOWN_AREA_CODE ? '13800000000 (a mobile number, no area code)' : `${code}-88000000`;
}
