// Menus built in code for the checker's tests: the seed's 12333 flow with its agent submenu
// judged by the hours (so that it passes), the same with that guard missing, and the four
// broken menus of scenarios/ivr/broken/ in miniature.

import { hotline12333 } from '../fixtures.js';
import type { CalendarSpec } from '../calendar-types.js';
import type { Action, IvrSpec, Menu, Prompt, Variant } from '../types.js';
import type { CenterRef, CheckInput } from './input.js';

const p = (text: string, duration: number): Prompt => ({ text, duration });

/** The seed's seasons (summer 08:00-18:00 May-September, winter 08:00-17:00), Monday to Friday, one holiday. */
export const SEED_CALENDAR: CalendarSpec = {
  timeZone: 'Asia/Shanghai',
  seasons: [
    { name: 'summer', from: '05-01', to: '09-30', open: 8 * 3600, close: 18 * 3600 },
    { name: 'winter', from: '10-01', to: '04-30', open: 8 * 3600, close: 17 * 3600 },
  ],
  agentDays: [0, 1, 2, 3, 4],
  holidays: ['2026-10-01'],
  workdays: [],
};

/** The province center (no area code of its own: unknown numbers go to it) and two cities. */
export const CENTERS: readonly CenterRef[] = [
  { id: 'province', areaCodes: [] },
  { id: 'changchun', areaCodes: ['0431'] },
  { id: 'jilin-city', areaCodes: ['0432'] },
];

/** A Monday in summer, local midnight. */
export const START = '2026-07-06T00:00:00+08:00';

export function checkInput(ivr: IvrSpec, extra: Partial<CheckInput> = {}): CheckInput {
  return { ivr, calendar: SEED_CALENDAR, start: START, centers: CENTERS, callerAreaCodes: [], ...extra };
}

export function menu(id: string, parent: string | null, variants: Variant[], extra: Partial<Menu> = {}): Menu {
  return { id, parent, variants, timeout: 8, maxReplays: 2, onNoInput: { kind: 'hangup' }, bargeIn: true, ...extra };
}

export const waits = (prompt: Prompt, options: Variant['options'], when: Variant['when'] = null): Variant => ({ when, prompts: [prompt], options, next: null });
const IN_HOURS = { kind: 'agent-hours', value: true } as const;

export function withMenus(spec: IvrSpec, ...menus: Menu[]): IvrSpec {
  return { ...spec, menus: { ...spec.menus, ...Object.fromEntries(menus.map((m) => [m.id, m])) } };
}

/**
 * The seed's 12333 flow (whose `agent` submenu re-tests the hours) with its queues taking
 * no announcement: an announcement between the menu's decision and the queue lets a call
 * join the queue after closing. Every property holds.
 */
export function sound12333(): IvrSpec {
  const spec = hotline12333();
  const quiet = (a: Action | null): Action | null => (a?.kind === 'queue' ? { kind: 'queue', target: a.target } : a);
  const menus = Object.values(spec.menus).map((m) => ({
    ...m,
    variants: m.variants.map((v) => ({
      ...v,
      options: Object.fromEntries(Object.entries(v.options).map(([k, a]) => [k, quiet(a!)])),
      next: quiet(v.next),
    })),
  }));
  return withMenus(spec, ...(menus as Menu[]));
}

/** The `agent` submenu without an hours test: a capital caller who chose it at 17:59:59 queues after closing. */
export function agentWithoutHours(): IvrSpec {
  const spec = sound12333();
  const queue = (center: string): Action => ({ kind: 'queue', target: { center, queue: 'general', priority: 0 } });
  return withMenus(
    spec,
    menu('agent', 'main', [
      waits(p('省级咨询服务请按1、长春市咨询服务请按2', 4), { '1': queue('province'), '2': queue('changchun') }, { kind: 'area-code', codes: ['0431'] }),
      { when: null, prompts: [], options: {}, next: queue('caller') },
    ]),
  );
}

const info = (then: string): Action => ({ kind: 'info', prompt: p('政策信息', 60), then });
const agentQueue: Action = { kind: 'queue', target: { center: 'caller', queue: 'general', priority: 0 } };

function small(menus: Menu[]): IvrSpec {
  return {
    entry: 'main',
    menus: Object.fromEntries(menus.map((m) => [m.id, m])),
    invalidPrompt: p('选择错误,请重新输入', 2),
    answerDelay: 0,
    file: 'sim/ivr/check/fixtures.ts',
    queueOutsideHours: false,
  };
}

/** main with keys 1 (policy), 2 (records) and, inside hours, 0 (agent). */
function main(extra: Partial<Menu> = {}, more: Variant['options'] = {}): Menu {
  const self = { '1': { kind: 'menu', target: 'policy' }, '2': { kind: 'menu', target: 'records' }, ...more } as const;
  return menu('main', null, [waits(p('主菜单', 6), { ...self, '0': agentQueue }, IN_HOURS), waits(p('主菜单(自动服务)', 4), self)], extra);
}

const records = menu('records', 'main', [waits(p('缴费记录请按1', 4), { '1': info('main') })]);

/** `*` in policy is an option to records, not back to main. */
export function starWrongParent(): IvrSpec {
  return small([main(), menu('policy', 'main', [waits(p('政策咨询', 5), { '1': info('main'), '*': { kind: 'menu', target: 'records' } })]), records]);
}

/** policy claims records as its parent, though callers only come from main. */
export function parentNotPrevious(): IvrSpec {
  return small([main(), menu('policy', 'records', [waits(p('政策咨询', 5), { '1': info('main') })]), records]);
}

/** Outside hours, key 0 still queues for an agent. */
export function queueOutOfHours(): IvrSpec {
  const spec = small([main(), menu('policy', 'main', [waits(p('政策咨询', 5), { '1': info('main') })]), records]);
  const m = spec.menus.main!;
  return withMenus(spec, { ...m, variants: [m.variants[0]!, { ...m.variants[1]!, options: { ...m.variants[1]!.options, '0': agentQueue } }] });
}

/** Key 2 leads to an announcement that cannot be interrupted and plays itself again. */
export function deadEnd(): IvrSpec {
  return small([
    main(),
    menu('policy', 'main', [waits(p('政策咨询', 5), { '1': info('main') })]),
    menu('records', 'main', [{ when: null, prompts: [p('服务暂停', 4)], options: {}, next: { kind: 'menu', target: 'records' } }], { bargeIn: false }),
  ]);
}

/** Silence in main leads to help, silence in help back to main. */
export function loopNoExit(): IvrSpec {
  return small([
    main({ onNoInput: { kind: 'menu', target: 'help' }, maxReplays: 1 }),
    menu('policy', 'main', [waits(p('政策咨询', 5), { '1': info('main') })]),
    records,
    menu('help', 'main', [waits(p('帮助', 4), { '1': { kind: 'menu', target: 'main' } })], { onNoInput: { kind: 'menu', target: 'main' }, maxReplays: 0 }),
  ]);
}
