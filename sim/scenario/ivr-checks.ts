// Rules across the menus of an IVR, and between the IVR and its scenario: every menu an
// action names exists (said where it is named, with the nearest id), where `*` returns from
// each menu, queue centers that the scenario has, and callers' choices for menus the IVR
// has. Reachability and "every path ends" are not judged here: `callsim check` proves them.

import { isMap, isScalar, isSeq } from 'yaml';
import type { Action, IvrSpec, Menu } from '../ivr/types.js';
import type { Cursor, Reference } from './cursor.js';
import type { IvrWritten } from './ivr-schema.js';
import { listNames } from './schema-shapes.js';
import { didYouMean } from './suggest.js';

/** Every action of a menu, in its variants and time-out, nested ones (`onFailure`) included. */
export function actionsOf(menu: Pick<Menu, 'onNoInput' | 'variants'>): Action[] {
  const out: Action[] = [];
  const add = (a: Action | null | undefined): void => {
    if (!a) return;
    out.push(a);
    if (a.kind === 'account') add(a.onFailure);
  };
  for (const v of menu.variants) {
    for (const a of Object.values(v.options)) add(a);
    add(v.next);
  }
  add(menu.onNoInput);
  return out;
}

/** The menus an action leads to (not counting the actions nested in it). */
export function targetsOf(a: Action): string[] {
  switch (a.kind) {
    case 'menu':
      return [a.target];
    case 'info':
    case 'voicemail':
    case 'fax':
    case 'account':
      return [a.then];
    default:
      return [];
  }
}

/** `a, b, c` or, for many, the first ones and a count. */
function someNames(names: readonly string[]): string {
  return names.length <= 12 ? listNames(names) : `${listNames(names.slice(0, 12))}, ... (${names.length} in all)`;
}

/** Menu names (targets, `then`, `parent`, `entry`) that the IVR does not define. */
export function checkMenuReferences(references: readonly Reference[], ids: readonly string[]): boolean {
  let ok = true;
  for (const r of references) {
    if (r.kind !== 'menu' || ids.includes(r.name)) continue;
    r.cur.issue(`the IVR has no menu \`${r.name}\``, {
      expected: ids.length > 0 ? `a menu id: ${someNames(ids)}` : 'a menu id defined under `menus`',
      hint: didYouMean(r.name, ids),
    });
    ok = false;
  }
  return ok;
}

/**
 * The menus with their ids and parents: a parent given explicitly stands; otherwise it is
 * the first menu in file order with an action leading here (itself not counted), and the
 * entry's is null. Only called on an IVR whose references all resolve.
 */
export function tieMenus(ivr: IvrWritten): Omit<IvrSpec, 'file'> {
  const leadsHere = new Map<string, string>();
  for (const { key: id, value: menu } of ivr.menus) {
    for (const a of actionsOf(menu)) {
      for (const target of targetsOf(a)) if (target !== id && target !== ivr.entry && !leadsHere.has(target)) leadsHere.set(target, id);
    }
  }
  const menus: Record<string, Menu> = {};
  for (const { key: id, value } of ivr.menus) {
    const { parent, ...rest } = value;
    menus[id] = { id, parent: parent !== undefined ? parent : (leadsHere.get(id) ?? null), ...rest };
  }
  return {
    entry: ivr.entry,
    menus,
    invalidPrompt: ivr.invalidPrompt,
    answerDelay: ivr.answerDelay,
    queueOutsideHours: ivr.queueOutsideHours,
  };
}

/** Center ids as written in the scenario, read from the source so that a broken center elsewhere hides nothing. */
function centerIds(cur: Cursor): string[] | undefined {
  const centers = cur.key('centers');
  const node = centers.resolvedNode();
  if (!isSeq(node)) return undefined;
  return node.items.flatMap((_, i) => {
    const id = centers.item(i).key('id').resolvedNode();
    return isScalar(id) && typeof id.value === 'string' ? [id.value] : [];
  });
}

/**
 * A scenario rule: the IVR's queue centers are centers of the scenario (or `caller`), and
 * `callers.ivr.choices` names menus the IVR has (when it has menus; `ivr: none` has none).
 */
export function checkIvrInScenario(_: unknown, cur: Cursor): boolean {
  let ok = true;
  const ids = centerIds(cur);
  if (ids) {
    for (const r of cur.ctx.references) {
      if (r.kind !== 'center' || ids.includes(r.name)) continue;
      r.cur.issue(`the scenario has no center \`${r.name}\``, {
        expected: `\`caller\` (the caller's own center) or a center id: ${someNames(ids)}`,
        hint: didYouMean(r.name, ['caller', ...ids]),
      });
      ok = false;
    }
  }
  // The menus as written, so that a problem inside the IVR does not hide a wrong choice.
  const menus = cur.ctx.defined.get('menu');
  const choices = cur.key('callers').key('ivr').key('choices');
  const node = choices.resolvedNode();
  if (menus && isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || (typeof pair.key.value !== 'string' && typeof pair.key.value !== 'number')) continue;
      const name = String(pair.key.value);
      if (menus.includes(name)) continue;
      const at = choices.child(name, pair.value, pair.key);
      at.issue(`the IVR has no menu \`${name}\``, { expected: `a menu id of the IVR: ${someNames(menus)}`, hint: didYouMean(name, menus), pos: at.keyPos });
      ok = false;
    }
  }
  return ok;
}
