// The IVR menu format (docs/ivr.md), described with the schema DSL: menus of prompts and
// DTMF options, variants chosen by conditions (agent hours, holiday, area code), and the
// actions a key leads to. Resolves to the engine's IvrSpec (sim/ivr/types.ts). Rules across
// menus (every named menu exists, where `*` returns) are in ivr-checks.ts; the deeper
// properties (reachability, every path ends) are proved by `callsim check`.

import { isMap, isScalar, type Node } from 'yaml';
import type { Action, Condition, Key, Menu, Prompt, QueueTarget, Variant } from '../ivr/types.js';
import type { Cursor } from './cursor.js';
import { OPTION_KEYS } from './key-rules.js';
import { MAX_DIGITS } from './limits.js';
import type { Field } from './schema-dsl.js';
import { either, list, literal, named, obj, record, tagged, type Entry, type KeyRule } from './schema-shapes.js';
import { bool, duration, str, whole } from './schema-scalars.js';

export const MENU_ID = { re: /^[A-Za-z0-9_-]+$/, says: 'letters, digits, `_` and `-`' };
const CENTER_ID = { re: /^[a-z0-9_-]+$/, says: 'lowercase letters, digits, `_` and `-`' };
const DIGITS = { re: /^[0-9]+$/, says: 'digits' };

/** The invalid-key prompt of seed 001's main flow, step 8. */
export const DEFAULT_INVALID_PROMPT = { text: '选择错误,请重新输入', duration: '2s' };

const PROMPT: Field<Prompt> = obj('A recorded announcement: what it says and how long it plays.', {
  text: str('What it says (shown in reports and paths).'),
  duration: duration('How long it plays; Mandarin IVR speech runs at about 4-5 characters a second.', { above: 0 }),
});

export function prompt(doc: string): Field<Prompt> {
  return named('prompt', () => PROMPT, doc);
}

/** A menu id that must exist in the same IVR (checked once all menus are read). */
export function menuRef(doc: string): Field<string> {
  return str(doc, { pattern: MENU_ID, expected: `a menu id (${MENU_ID.says})` }).map((id, cur) => {
    cur.refer('menu', id);
    return id;
  });
}

// Conditions ------------------------------------------------------------------------------

export function condition(doc: string): Field<Condition> {
  return named('condition', () => CONDITION, doc);
}

const NOT_TESTED = 'not tested';

const CONDITION: Field<Condition> = obj('A condition on the moment and the call; several keys in one map must all hold.', {
  agentHours: bool('Inside agent hours (`true`) or outside them (`false`), by the calendar.').optional(NOT_TESTED),
  holiday: bool('A date in `calendar.holidays` (`true`) or not (`false`).').optional(NOT_TESTED),
  areaCode: list(
    'The calling number has one of these area codes (quoted: `"0431"`).',
    str('An area code.', { pattern: DIGITS }),
    { min: 1, single: true },
  ).optional(NOT_TESTED),
  all: list('Every one of these holds.', condition('A condition.'), { min: 1 }).optional(NOT_TESTED),
  any: list('At least one of these holds.', condition('A condition.'), { min: 1 }).optional(NOT_TESTED),
  not: condition('This does not hold.').optional(NOT_TESTED),
})
  .also((_, cur) => {
    const node = cur.resolvedNode();
    if (!isMap(node) || node.items.length > 0) return true;
    cur.issue('a condition needs at least one test', { expected: 'a map with `agentHours`, `holiday`, `areaCode`, `all`, `any` or `not`' });
    return false;
  })
  .map((c): Condition => {
    const parts: Condition[] = [];
    if (c.agentHours !== undefined) parts.push({ kind: 'agent-hours', value: c.agentHours });
    if (c.holiday !== undefined) parts.push({ kind: 'holiday', value: c.holiday });
    if (c.areaCode !== undefined) parts.push({ kind: 'area-code', codes: c.areaCode });
    if (c.all !== undefined) parts.push({ kind: 'all', of: c.all });
    if (c.any !== undefined) parts.push({ kind: 'any', of: c.any });
    if (c.not !== undefined) parts.push({ kind: 'not', of: c.not });
    return parts.length === 1 ? parts[0]! : { kind: 'all', of: parts };
  });

// Actions ---------------------------------------------------------------------------------

export function action(doc: string): Field<Action> {
  return named('action', () => ACTION, doc);
}

const then = (): Field<string> => menuRef('The menu that follows, typically the "continue?" menu.');

const queueTarget = {
  center: str('A center id of the scenario, or `caller`: the center whose area codes include the caller\'s.', {
    pattern: CENTER_ID,
    expected: 'a center id or `caller`',
  })
    .map((center, cur) => {
      if (center !== 'caller') cur.refer('center', center);
      return center;
    })
    .withDefault('caller'),
  queue: str('Queue within the center, e.g. `general`, `complaint`; with `routing: { strategy: skills }` agents need the skill of that name.', {
    pattern: CENTER_ID,
    expected: `a queue name (${CENTER_ID.says})`,
  })
    .map((queue, cur) => {
      // Judged by the scenario (routing-checks.ts): with skills routing some group needs it.
      cur.refer('queue', queue);
      return queue;
    })
    .withDefault('general'),
  priority: whole('Lower is served first (complaints may use -1).', {}).withDefault(0),
};

const ACTION_KINDS: Readonly<Record<Action['kind'], Field<Action>>> = {
  menu: menuRef('Go to this menu; its parent is where `*` returns.').map((target): Action => ({ kind: 'menu', target })),
  info: obj('Self-service information: the recording plays, then `then`.', {
    prompt: prompt('The information; its duration is the time the service takes.'),
    then: then(),
  }).map((a): Action => ({ kind: 'info', prompt: a.prompt, then: a.then })),
  voicemail: obj('Record a voice message (a callback task follows), then `then`.', {
    prompt: prompt('The invitation to speak after the tone.'),
    maxDuration: duration('Longest message.', { above: 0 }).withDefault('60s'),
    then: then(),
  }).map((a): Action => ({ kind: 'voicemail', prompt: a.prompt, maxDuration: a.maxDuration, then: a.then })),
  fax: obj('Fax on demand: the fax is sent while the prompt plays, then `then`.', {
    prompt: prompt('Instructions; its duration is the time the fax takes.'),
    then: then(),
  }).map((a): Action => ({ kind: 'fax', prompt: a.prompt, then: a.then })),
  account: obj('Personal account query with identity verification (ID number, then PIN), then `then`.', {
    idPrompt: prompt('Asks for the ID card number.'),
    pinPrompt: prompt('Asks for the PIN.'),
    resultPrompt: prompt('Reads the account; played on success.'),
    failPrompt: prompt('Says the number or PIN is wrong; played on each failure.'),
    idDigits: whole(`Digits of the ID number, at most ${MAX_DIGITS} (each is a key the caller presses).`, { min: 1, max: MAX_DIGITS }).withDefault(18),
    pinDigits: whole(`Digits of the PIN, at most ${MAX_DIGITS}.`, { min: 1, max: MAX_DIGITS }).withDefault(6),
    maxFailures: whole('Failed attempts before `onFailure`.', { min: 1 }).withDefault(3),
    then: then(),
    onFailure: action('After `maxFailures` failures.').withDefault('hangup'),
  }).map((a): Action => ({ kind: 'account', ...a })),
  queue: obj('Join an agent queue: agent service, or a complaint taken by an agent.', {
    ...queueTarget,
    prompt: prompt('Played before the call joins the queue.').optional('none'),
  }).map((a): Action => {
    const target: QueueTarget = { center: a.center, queue: a.queue, priority: a.priority };
    return a.prompt ? { kind: 'queue', target, prompt: a.prompt } : { kind: 'queue', target };
  }),
  transfer: obj("Collect an area code and transfer the call to that center's IVR (or the upper level).", {
    prompt: prompt('Asks for the area code.'),
    digits: whole(`Digits of the area code, at most ${MAX_DIGITS}.`, { min: 1, max: MAX_DIGITS }).withDefault(4),
  }).map((a): Action => ({ kind: 'transfer', prompt: a.prompt, digits: a.digits })),
  hangup: obj('Say goodbye and hang up; the bare word `hangup` hangs up without a prompt.', {
    prompt: prompt('The goodbye.').optional('none'),
  })
    .map((a): Action => (a.prompt ? { kind: 'hangup', prompt: a.prompt } : { kind: 'hangup' }))
    .withDefault({}),
};

const ACTION: Field<Action> = tagged(
  'What a key (or a time-out, or the end of an announcement) leads to.',
  'an action',
  ACTION_KINDS,
  { hangup: (): Action => ({ kind: 'hangup' }) },
  (word) => (MENU_ID.re.test(word) ? `to go to the menu \`${word}\`, write \`{ menu: ${word} }\`` : undefined),
);

// Variants and menus ----------------------------------------------------------------------

const variantShape = {
  prompts: list('Played in order before waiting for a key (e.g. the hours notice, then the menu).', prompt('A prompt.')).withDefault([]),
  options: record('Key -> action: `0`-`9`, `"*"`, `"#"` (quote `*` and `#`). `*` here replaces "back to the parent".', 'key', action(''), OPTION_KEYS).optional(
    'none (an announcement)',
  ),
  next: action('For an announcement (no options): what follows the prompts.').optional('none (a menu with options)'),
};

interface VariantWritten {
  readonly when?: Condition | undefined;
  readonly prompts?: readonly Prompt[];
  readonly options?: readonly Entry<Action>[] | undefined;
  readonly next?: Action | undefined;
}

function given(cur: Cursor): boolean {
  return cur.resolvedNode() !== undefined;
}

/** A variant waits for a key (`options`) or is an announcement (`next`): exactly one. */
function checkOptionsOrNext(_: unknown, cur: Cursor): boolean {
  const options = cur.key('options');
  const next = cur.key('next');
  if (given(options) && given(next)) {
    next.issue('`options` and `next` are both given', {
      expected: '`options` (the menu waits for a key) or `next` (an announcement), not both',
      pos: next.keyPos,
    });
    return false;
  }
  const node = options.resolvedNode();
  if (isMap(node) && node.items.length === 0 && !given(next)) {
    options.issue('`options` is empty', { expected: 'at least one option, or `next` for an announcement' });
    return false;
  }
  if (!given(options) && !given(next)) {
    cur.issue(`\`${cur.label}\` has neither \`options\` nor \`next\``, {
      expected: '`options` (the menu waits for a key) or `next` (an announcement: what follows its prompts)',
    });
    return false;
  }
  return true;
}

function buildVariant(v: VariantWritten): Variant {
  const options: Partial<Record<Key, Action>> = {};
  for (const o of v.options ?? []) options[o.key as Key] = o.value;
  return { when: v.when ?? null, prompts: v.prompts ?? [], options, next: v.next ?? null };
}

const VARIANT = obj('One form of a menu, for the moments or callers its `when` names.', {
  when: condition('When this variant applies; none = always (give it to the last variant).').optional('always'),
  ...variantShape,
})
  .also(checkOptionsOrNext)
  .map(buildVariant);

/** A variant without `when` ends the list: any after it could never be met. */
function checkOtherwiseLast(variants: readonly (Variant | undefined)[], cur: Cursor): boolean {
  const otherwise = variants.findIndex((v, i) => i < variants.length - 1 && v !== undefined && v.when === null);
  if (otherwise < 0) return true;
  cur.item(otherwise + 1).issue(`this variant is never met: variant ${otherwise} before it has no \`when\``, {
    expected: 'the variant without `when` last',
  });
  return false;
}

/** `variants`, or one variant's keys at the top of the menu, not both. */
function checkVariantsOrInline(_: unknown, cur: Cursor): boolean {
  if (!given(cur.key('variants'))) return checkOptionsOrNext(_, cur);
  let ok = true;
  for (const key of Object.keys(variantShape)) {
    const at = cur.key(key);
    if (!at.node) continue;
    at.issue(`\`${key}\` belongs in each variant when the menu has \`variants\``, { expected: 'no `prompts`, `options` or `next` beside `variants`', pos: at.keyPos });
    ok = false;
  }
  return ok;
}

/** A menu as written: its parent if given (null for `none`), the rest resolved. */
export type MenuWritten = Omit<Menu, 'id' | 'parent'> & { readonly parent: string | null | undefined };

const MENU: Field<MenuWritten> = obj(
  'A menu: prompts, then a key chooses an action; or an announcement that moves on by itself. Give `variants`, or one variant\'s `prompts`, `options` and `next` directly.',
  {
    parent: either<string | null>('Where `*` returns; `none` for a top menu (`*` is then an invalid key).', [
      literal('none', null),
      menuRef(''),
    ]).optional('the first menu in file order with an action leading here; `none` for the entry'),
    timeout: duration('Waiting longer than this for a key is a time-out.', { above: 0 }).withDefault('8s'),
    maxReplays: whole('Time-outs answered by replaying the menu before `onNoInput`.').withDefault(2),
    onNoInput: action('After the last replay.').withDefault('hangup'),
    bargeIn: bool('Keys pressed while the prompts play are taken.').withDefault(true),
    variants: list('Forms of the menu, tried in order: the first whose `when` holds is the one the caller meets.', VARIANT, { min: 1 })
      .also(checkOtherwiseLast)
      .optional('one variant, from `prompts`, `options` and `next`'),
    ...variantShape,
  },
)
  .also(checkVariantsOrInline)
  .map(
    (m): MenuWritten => ({
      parent: m.parent,
      variants: m.variants ?? [buildVariant(m)],
      timeout: m.timeout,
      maxReplays: m.maxReplays,
      onNoInput: m.onNoInput,
      bargeIn: m.bargeIn,
    }),
  );

const MENU_ID_KEYS: KeyRule = {
  read: (key, written) =>
    typeof key.value === 'string' && MENU_ID.re.test(key.value)
      ? { key: key.value }
      : { problem: `\`${written ?? String(key.value)}\` is not a menu id`, hint: typeof key.value === 'number' ? 'give menus names, such as `main`' : undefined },
  expected: `a menu id of ${MENU_ID.says}`,
  schema: { pattern: MENU_ID.re.source },
};

/** An IVR as written, before its menus are tied together (ivr-checks.ts). */
export interface IvrWritten {
  readonly entry: string;
  readonly answerDelay: number;
  readonly queueOutsideHours: boolean;
  readonly invalidPrompt: Prompt;
  readonly menus: readonly Entry<MenuWritten>[];
}

export const IVR_SHAPE = obj('An IVR: the menus a call meets before an agent queue.', {
  entry: menuRef('The menu every call starts in (the welcome).'),
  answerDelay: duration("From the call's INVITE to the IVR answering (the system's rings).").withDefault('0s'),
  queueOutsideHours: bool(
    'Whether a path may reach an agent queue outside agent hours (a night desk); `callsim check` proves that none does when false.',
  ).withDefault(false),
  invalidPrompt: prompt('Played on an invalid key, before the menu replays.').withDefault(DEFAULT_INVALID_PROMPT),
  menus: record('The menus, by id.', 'menu id', MENU, MENU_ID_KEYS),
});

/** The nodes of the menus map in the source, for checks that must not wait for valid menus. */
export function menuIdsInSource(cur: Cursor): string[] | undefined {
  const node = cur.key('menus').resolvedNode();
  if (!isMap(node)) return undefined;
  return node.items.flatMap((p) => {
    const key = p.key as Node;
    return isScalar(key) && typeof key.value === 'string' ? [key.value] : [];
  });
}
