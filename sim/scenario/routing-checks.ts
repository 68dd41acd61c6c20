// With `routing: { strategy: skills }` a queue is served by the agents who have the skill
// named like it. A queue that no group anywhere has the skill for could never be answered:
// that is an error, said where the IVR first names the queue (or at the strategy, for
// `ivr: none`, whose calls all join `general`). Which groups are reachable from which
// center is the model's business; this only catches a skill nobody has.

import { isMap, isScalar, isSeq } from 'yaml';
import { DEFAULT_SKILLS } from './agent-day-schema.js';
import type { Cursor } from './cursor.js';
import { listNames } from './schema-shapes.js';
import { didYouMean } from './suggest.js';
import type { IvrSpec, RoutingStrategy } from './types.js';

/** The queue calls join when there is no IVR (the model's `general` queue). */
export const NO_IVR_QUEUE = 'general';

/**
 * Every skill of every group as written (a group without `skills` has the default), or
 * undefined when some group's skills cannot be read (their problem is reported already).
 */
function skillsInSource(cur: Cursor): Set<string> | undefined {
  const centers = cur.key('centers');
  const centerList = centers.resolvedNode();
  if (!isSeq(centerList)) return undefined;
  const skills = new Set<string>();
  for (let i = 0; i < centerList.items.length; i++) {
    const groups = centers.item(i).key('groups');
    const groupList = groups.resolvedNode();
    if (!isSeq(groupList)) return undefined;
    for (let j = 0; j < groupList.items.length; j++) {
      const group = groups.item(j);
      if (!isMap(group.resolvedNode())) return undefined;
      const node = group.key('skills').resolvedNode();
      if (node === undefined) {
        for (const s of Object.keys(DEFAULT_SKILLS)) skills.add(s);
        continue;
      }
      if (!isMap(node)) return undefined;
      for (const pair of node.items) {
        if (!isScalar(pair.key) || typeof pair.key.value !== 'string') return undefined;
        skills.add(pair.key.value);
      }
    }
  }
  return skills;
}

interface RoutingWritten {
  readonly routing?: { readonly strategy: RoutingStrategy };
  readonly ivr?: IvrSpec | null;
}

/** With skills routing, every queue a call can join needs a group somewhere with that skill. */
export function checkSkillsRouting(s: RoutingWritten, cur: Cursor): boolean {
  if (s.routing?.strategy !== 'skills') return true;
  const skills = skillsInSource(cur);
  if (!skills) return true;
  const have = [...skills].sort();
  const expected = have.length > 0 ? `a queue named like a skill some group has: ${listNames(have)}` : 'a queue named like a skill of some group';
  const fix = (queue: string): string => didYouMean(queue, have) ?? `give a group \`skills: { ${queue}: 1 }\`, or choose another routing strategy`;
  let ok = true;
  const said = new Set<string>();
  for (const r of cur.ctx.references) {
    if (r.kind !== 'queue' || skills.has(r.name) || said.has(r.name)) continue;
    said.add(r.name);
    r.cur.issue(`queue \`${r.name}\` needs skill \`${r.name}\`, which no group has`, { expected, hint: fix(r.name) });
    ok = false;
  }
  if (s.ivr === null && !skills.has(NO_IVR_QUEUE)) {
    cur.key('routing').key('strategy').issue(`with \`ivr: none\` every call joins the queue \`${NO_IVR_QUEUE}\`, which needs skill \`${NO_IVR_QUEUE}\`; no group has it`, {
      expected: `a group with the skill \`${NO_IVR_QUEUE}\``,
      hint: fix(NO_IVR_QUEUE),
    });
    ok = false;
  }
  return ok;
}
