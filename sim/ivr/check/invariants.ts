// The properties that one transition can break, judged the same way whether the exhaustive
// walk or a random call produced it: `*` in a submenu returns to the parent, a key without
// an option replays the menu, and no call joins an agent queue outside agent hours.

import { variantFor } from '../engine.js';
import type { Action, IvrContext, IvrEffect, IvrEvent, IvrSpec, QueueTarget } from '../types.js';
import type { CallPoint } from './call-point.js';
import type { PropertyName } from './properties.js';

export interface Finding {
  readonly property: PropertyName;
  readonly message: string;
}

export function transitionFindings(
  spec: IvrSpec,
  before: CallPoint,
  event: IvrEvent,
  ctx: IvrContext,
  after: CallPoint,
  effects: readonly IvrEffect[],
): Finding[] {
  const out: Finding[] = [];
  const queued = committedQueue(before, after, effects);
  if (queued && !spec.queueOutsideHours && !ctx.agentHours) {
    out.push({
      property: 'no-queue-outside-hours',
      message: `menu \`${before.state.menu}\` sends the call to the agent queue ${describeQueue(queued)} outside agent hours`,
    });
  }
  if (event.kind === 'key') out.push(...keyFindings(spec, before, event.key, ctx, after, effects));
  return out;
}

/**
 * The queue this transition puts the call in, if any: the `enqueue` effect, judged by the
 * hours at that instant. A queue action that plays an announcement first ("connecting you
 * to an agent") therefore fails near closing time: the caller chose at 17:59:58 and joins
 * the queue at 18:00:01, when no agent may be left to answer (a simulated day finds such
 * calls). Menus should queue at once and let the ACD announce while the call waits.
 */
function committedQueue(_before: CallPoint, _after: CallPoint, effects: readonly IvrEffect[]): QueueTarget | undefined {
  const e = effects.find((x) => x.kind === 'enqueue');
  return e?.kind === 'enqueue' ? e.target : undefined;
}

/** A key pressed where a menu waits for one (not while collecting digits or in a branch). */
function keyFindings(
  spec: IvrSpec,
  before: CallPoint,
  key: string,
  ctx: IvrContext,
  after: CallPoint,
  effects: readonly IvrEffect[],
): Finding[] {
  const s = before.state;
  if ((s.phase !== 'waiting' && s.phase !== 'prompt') || s.action !== null) return [];
  const menu = spec.menus[s.menu];
  if (!menu) return [];
  let variant;
  try {
    variant = menu.variants[variantFor(menu, ctx)];
  } catch {
    return []; // no variant holds: the engine has said so already (no-engine-error)
  }
  if (!variant || variant.options === undefined) return [];
  const option = (variant.options as Record<string, Action | undefined>)[key];
  const entered = effects.find((e) => e.kind === 'visit')?.menu;
  const where = after.state.phase === 'ended' ? 'ends the call' : entered ? `enters \`${entered}\`` : `stays in \`${after.state.menu}\``;

  if (key === '*' && menu.parent !== null) {
    const parent = menu.parent;
    if (option !== undefined && !(option.kind === 'menu' && option.target === parent)) {
      return [
        {
          property: 'star-returns-to-parent',
          message: `\`*\` in \`${menu.id}\` is an option that ${describeAction(option)}, not back to its parent \`${parent}\``,
        },
      ];
    }
    if (entered !== parent || after.state.phase === 'ended') {
      return [{ property: 'star-returns-to-parent', message: `\`*\` in \`${menu.id}\` ${where}, not its parent \`${parent}\`` }];
    }
    return [];
  }
  if (option !== undefined) return [];
  const invalid = effects.some((e) => e.kind === 'invalid' && e.key === key);
  const replays = after.state.phase !== 'ended' && after.state.menu === menu.id && !effects.some((e) => e.kind === 'visit' && e.menu !== menu.id);
  if (invalid && replays) return [];
  const missing = !invalid ? 'does not say the key is invalid' : `${where} instead of replaying it`;
  return [{ property: 'invalid-key-replays', message: `key ${key} has no option in \`${menu.id}\` and ${missing}` }];
}

export function describeQueue(t: { center: string; queue: string }): string {
  return `\`${t.queue}\` of ${t.center === 'caller' ? "the caller's center" : `center \`${t.center}\``}`;
}

export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'menu':
      return `goes to \`${a.target}\``;
    case 'queue':
      return `queues for ${describeQueue(a.target)}`;
    case 'transfer':
      return 'transfers the call';
    case 'hangup':
      return 'hangs up';
    default:
      return `starts a ${a.kind} branch`;
  }
}
