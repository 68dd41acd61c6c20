// Static checks read the menus without running them: every name points somewhere, every
// key is a DTMF key with an action, announcements say what follows, some variant of every
// menu holds for every caller at every moment, and every menu can be reached. The loader
// checks names too; these also cover IvrSpecs built in code.

import { holds } from '../engine.js';
import type { Action, IvrSpec, Menu } from '../types.js';
import { KEYS } from '../types.js';
import type { Moment } from './calendar-scan.js';
import { describeMoment } from './calendar-scan.js';
import { type AreaCodeClass, type CenterRef, describeAreaCode } from './input.js';
import type { StaticProperty } from './properties.js';

export interface StaticViolation {
  readonly property: StaticProperty;
  readonly message: string;
}

export interface StaticResult {
  readonly violations: readonly StaticViolation[];
  /** False when a broken name or option leaves the engine nothing sound to walk. */
  readonly walkable: boolean;
}

/** Properties whose failure stops the dynamic checks. */
const STRUCTURAL: ReadonlySet<StaticProperty> = new Set(['targets-exist', 'keys-valid', 'options-have-actions', 'announcements-continue']);

const ACTION_KINDS = new Set(['menu', 'info', 'voicemail', 'fax', 'account', 'queue', 'transfer', 'hangup']);

export function staticChecks(
  spec: IvrSpec,
  centers: readonly CenterRef[],
  moments: readonly Moment[],
  areas: readonly AreaCodeClass[],
): StaticResult {
  const out: StaticViolation[] = [];
  const v = (property: StaticProperty, message: string): void => void out.push({ property, message });
  const menuExists = (id: string): boolean => Object.hasOwn(spec.menus, id);
  const centerIds = new Set(centers.map((c) => c.id));

  if (!menuExists(spec.entry)) v('targets-exist', `the entry menu \`${spec.entry}\` does not exist`);

  const checkAction = (a: Action, where: string): void => {
    const target = (field: string, id: string): void => {
      if (!menuExists(id)) v('targets-exist', `${where}: ${field} \`${id}\` is not a menu${suggest(id, Object.keys(spec.menus))}`);
    };
    switch (a.kind) {
      case 'menu':
        return target('target', a.target);
      case 'info':
      case 'fax':
      case 'voicemail':
        return target('then', a.then);
      case 'account':
        target('then', a.then);
        return checkAction(a.onFailure, `${where} (onFailure)`);
      case 'queue':
        if (a.target.center !== 'caller' && !centerIds.has(a.target.center)) {
          v('targets-exist', `${where}: queue center \`${a.target.center}\` is not a center of the scenario${suggest(a.target.center, [...centerIds])}`);
        } else if (a.target.center === 'caller' && centers.length === 0) {
          v('targets-exist', `${where}: queues for the caller's center, but the scenario has no centers`);
        }
        return;
      default:
        return;
    }
  };

  for (const [id, menu] of Object.entries(spec.menus)) {
    if (menu.parent !== null && !menuExists(menu.parent)) v('targets-exist', `menu \`${id}\`: parent \`${menu.parent}\` is not a menu${suggest(menu.parent, Object.keys(spec.menus))}`);
    checkAction(menu.onNoInput, `menu \`${id}\` onNoInput`);
    menu.variants.forEach((variant, n) => {
      const where = `menu \`${id}\` variant ${n + 1}`;
      const options = Object.entries(variant.options ?? {}) as [string, Action | null | undefined][];
      for (const [key, action] of options) {
        if (!(KEYS as readonly string[]).includes(key)) v('keys-valid', `${where}: \`${key}\` is not a DTMF key (0-9, *, #)`);
        if (action === null || action === undefined || typeof action !== 'object' || !ACTION_KINDS.has(action.kind)) {
          v('options-have-actions', `${where}: key ${key} has no action`);
        } else checkAction(action, `${where} key ${key}`);
      }
      if (options.length === 0) {
        if (variant.next === null || variant.next === undefined) v('announcements-continue', `${where} has no options and no \`next\`: the call would stop there`);
        else checkAction(variant.next, `${where} next`);
      }
    });
    if (menu.variants.length === 0) v('variants-cover-every-context', `menu \`${id}\` has no variants`);
  }
  const walkable = !out.some((x) => STRUCTURAL.has(x.property));

  if (walkable) {
    for (const [id, menu] of Object.entries(spec.menus)) {
      const gap = uncovered(menu, moments, areas);
      if (gap) v('variants-cover-every-context', `menu \`${id}\`: no variant holds for a caller with ${describeAreaCode(gap.area)} ${describeMoment(gap.moment)}; make the last variant unconditional`);
    }
    const reached = reachableMenus(spec);
    for (const id of Object.keys(spec.menus)) {
      if (!reached.has(id)) v('menus-reachable', `menu \`${id}\` cannot be reached from the entry menu \`${spec.entry}\``);
    }
  }
  return { violations: out, walkable };
}

function uncovered(menu: Menu, moments: readonly Moment[], areas: readonly AreaCodeClass[]): { area: string; moment: Moment } | undefined {
  for (const moment of moments) {
    for (const { representative: area } of areas) {
      const ctx = { agentHours: moment.agentHours, holiday: moment.holiday, areaCode: area };
      if (!menu.variants.some((v) => v.when === null || holds(v.when, ctx))) return { area, moment };
    }
  }
  return undefined;
}

/** Menus reachable from the entry through any option, next, then or onNoInput, whatever the conditions. */
export function reachableMenus(spec: IvrSpec): Set<string> {
  const seen = new Set<string>();
  const todo = [spec.entry];
  const follow = (a: Action | null | undefined): void => {
    if (!a) return;
    if (a.kind === 'menu') todo.push(a.target);
    else if (a.kind === 'info' || a.kind === 'fax' || a.kind === 'voicemail') todo.push(a.then);
    else if (a.kind === 'account') {
      todo.push(a.then);
      follow(a.onFailure);
    }
  };
  while (todo.length > 0) {
    const id = todo.pop()!;
    const menu = spec.menus[id];
    if (seen.has(id) || !menu) continue;
    seen.add(id);
    follow(menu.onNoInput);
    for (const variant of menu.variants) {
      follow(variant.next);
      for (const a of Object.values(variant.options ?? {})) follow(a);
    }
  }
  return seen;
}

function suggest(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean \`${best}\`?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
