// The call centers of a scenario: each with its lines, its waiting room, the rules by which
// it dispatches waiting calls to other centers (seed 004, 平台间的话务调度) and its agent
// groups (count, handle times and the day of agent-day-schema.ts). Center ids are unique,
// group ids unique within their center; a dispatch rule names another center or `any`
// and gives at least one condition.

import { isMap, isScalar, isSeq } from 'yaml';
import { AGENT_DAY_FIELDS, agentDay } from './agent-day-schema.js';
import { checkUniqueIds, defaultGroupId } from './checks.js';
import type { Cursor } from './cursor.js';
import { distribution } from './distribution-field.js';
import type { Field } from './schema-dsl.js';
import { MAX_AGENTS } from './limits.js';
import { either, list, listNames, literal, obj } from './schema-shapes.js';
import { bool, duration, str, whole } from './schema-scalars.js';
import { didYouMean } from './suggest.js';
import type { AgentGroup, Center, DispatchRule } from './types.js';

const ID = { re: /^[a-z0-9_-]+$/, says: 'lowercase letters, digits, `_` and `-`' };
const DIGITS = { re: /^[0-9]+$/, says: 'digits' };

/** Words with a meaning of their own where a center id may stand. */
const RESERVED_CENTER_IDS: Readonly<Record<string, string>> = {
  any: 'in `dispatch`, `to: any` means the center with the most ready agents',
  caller: "in the IVR, `center: caller` means the caller's own center",
};

/** A number of lines or places: a whole number, or `unlimited` (Infinity). */
export function lines(doc: string): Field<number> {
  return either(doc, [literal('unlimited', Infinity), whole('')]);
}

/** A condition that is on (`true`) or not tested; `false` is the same as leaving it out. */
function flag(doc: string): Field<true | undefined> {
  return bool(doc)
    .map((b) => (b ? (true as const) : undefined))
    .optional('not tested');
}

const CONDITIONS = ['after', 'queueLongerThan', 'closed', 'noFreeAgent'] as const;

/**
 * A rule with no condition would never apply. Judged on what was written, so that a bad
 * value still counts as given; an unknown key (a misspelt condition) is said already.
 */
function checkHasCondition(_: unknown, cur: Cursor): boolean {
  const node = cur.resolvedNode();
  const known = new Set<string>(['to', ...CONDITIONS]);
  if (isMap(node) && node.items.some((p) => !(isScalar(p.key) && known.has(String(p.key.value))))) return true;
  const given = CONDITIONS.some((key) => {
    const value = cur.key(key).resolvedNode();
    return value !== undefined && !(isScalar(value) && value.value === false);
  });
  if (given) return true;
  cur.issue('a dispatch rule needs a condition', {
    expected: 'at least one of `after`, `queueLongerThan`, `closed: true` or `noFreeAgent: true`',
  });
  return false;
}

const dispatchRule = obj('Send a waiting call to another center when any of the conditions holds.', {
  to: str('A center id, or `any`: the other center with the most ready agents (ties: scenario order).', {
    pattern: ID,
    expected: 'a center id or `any`',
  }),
  after: duration('The call has waited this long in this center\'s queue.').optional('not tested'),
  queueLongerThan: whole('More than this many callers wait here (judged when the call arrives in the queue).').optional('not tested'),
  closed: flag('`true`: this center has no agent logged in.'),
  noFreeAgent: flag('`true`: no agent here is ready when the call arrives (overflow).'),
})
  .also(checkHasCondition)
  .map((r): DispatchRule => {
    const rule: { -readonly [K in keyof DispatchRule]: DispatchRule[K] } = { to: r.to };
    if (r.after !== undefined) rule.after = r.after;
    if (r.queueLongerThan !== undefined) rule.queueLongerThan = r.queueLongerThan;
    if (r.closed) rule.closed = true;
    if (r.noFreeAgent) rule.noFreeAgent = true;
    return rule;
  });

const group = obj('An agent group: agents with the same skills, handle times and working day.', {
  id: str('Group id, unique within the center.', { pattern: ID }).optional('`g1`, `g2`, ... by position'),
  count: whole(
    `Agents in the group (logged in when their shift says so); at most ${MAX_AGENTS.toLocaleString('en-US')} in the whole scenario, each costing memory and a scorecard row in summary.json.`,
    { min: 0, max: MAX_AGENTS },
  ),
  talk: distribution('Talk time.').withDefault({ exponential: { mean: '180s' } }),
  wrapUp: distribution('After-call work.').withDefault('0s'),
  answerDelay: distribution('From the phone ringing to the agent answering.').withDefault('0s'),
  ...AGENT_DAY_FIELDS,
});

const center = obj('A call center with its own lines, waiting room, dispatch rules and agents.', {
  id: str('Center id, unique.', {
    pattern: ID,
    check: (id) => (Object.hasOwn(RESERVED_CENTER_IDS, id) ? `\`${id}\` is a reserved word, not a center id` : undefined),
    expected: `a center id of ${ID.says}, other than ${listNames(Object.keys(RESERVED_CENTER_IDS))}`,
  }),
  name: str('Display name.').optional('the id'),
  areaCodes: list('Area codes the center serves, quoted (`"0431"`).', str('An area code.', { pattern: DIGITS })).withDefault([]),
  trunks: lines('Lines into this center: a whole number or `unlimited`.').withDefault('unlimited'),
  waitingRoom: lines(
    'Callers who may wait here at once: a whole number or `unlimited`; a call that finds it full (after dispatch) is refused.',
  ).withDefault('unlimited'),
  dispatch: list('Rules that send waiting calls to other centers, tried in order; the first whose target can take the call wins.', dispatchRule).withDefault([]),
  groups: list('Agent groups.', group, { min: 1 })
    .also((_, cur) => checkUniqueIds(cur, defaultGroupId))
    .map((groups) =>
      groups.map(
        (g, i): AgentGroup => ({
          id: g.id ?? defaultGroupId(i),
          count: g.count,
          talk: g.talk,
          wrapUp: g.wrapUp,
          answerDelay: g.answerDelay,
          day: agentDay(g),
        }),
      ),
    ),
}).map(
  (c): Center => ({
    id: c.id,
    name: c.name ?? c.id,
    areaCodes: c.areaCodes,
    trunks: c.trunks,
    waitingRoom: c.waitingRoom,
    dispatch: c.dispatch,
    groups: c.groups,
  }),
);

function textAt(cur: Cursor): string | undefined {
  const node = cur.resolvedNode();
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * Every dispatch target is another center of the scenario, or `any` when there is another
 * center. Read from the source, so that a problem elsewhere in a center hides nothing.
 */
export function checkDispatchTargets(_: unknown, cur: Cursor): boolean {
  const centers = cur.resolvedNode();
  if (!isSeq(centers)) return true;
  const ids = centers.items.map((__, i) => textAt(cur.item(i).key('id')));
  let ok = true;
  centers.items.forEach((__, i) => {
    const own = ids[i];
    const rules = cur.item(i).key('dispatch');
    const node = rules.resolvedNode();
    if (!isSeq(node)) return;
    const others = ids.filter((id, j): id is string => j !== i && id !== undefined);
    node.items.forEach((___, j) => {
      const to = rules.item(j).key('to');
      const name = textAt(to);
      if (name === undefined || !ID.re.test(name)) return; // the field says what is wrong
      const expected = others.length > 0 ? `\`any\` or another center id: ${listNames(others)}` : 'another center: the scenario has only this one';
      if (name === 'any') {
        if (centers.items.length > 1) return;
        to.issue('`any` has no center to choose from', { expected });
      } else if (name === own) {
        to.issue(`the center \`${name}\` cannot dispatch to itself`, { expected });
      } else if (!ids.includes(name)) {
        to.issue(`the scenario has no center \`${name}\``, { expected, hint: didYouMean(name, ['any', ...others]) });
      } else {
        return;
      }
      ok = false;
    });
  });
  return ok;
}

/**
 * The agents of every center and group add up to MAX_AGENTS at most; said at the group whose
 * count goes past it. Groups with a bad count are left out (their field says what is wrong).
 */
export function checkAgentTotal(centers: readonly (Center | undefined)[], cur: Cursor): boolean {
  let total = 0;
  for (const [i, c] of centers.entries()) {
    for (const [j, g] of (c?.groups ?? []).entries()) {
      const before = total;
      total += g.count;
      if (total <= MAX_AGENTS) continue;
      cur.item(i).key('groups').item(j).key('count').issue(
        `${g.count} more agents make ${total.toLocaleString('en-US')} in the scenario, more than ${MAX_AGENTS.toLocaleString('en-US')}`,
        { expected: `at most ${(MAX_AGENTS - before).toLocaleString('en-US')} here: ${MAX_AGENTS.toLocaleString('en-US')} agents in the whole scenario` },
      );
      return false;
    }
  }
  return true;
}

export const CENTERS = list('The call centers.', center, { min: 1 })
  .also((_, cur) => checkUniqueIds(cur))
  .also(checkDispatchTargets)
  .also(checkAgentTotal);
