// A call in the IVR as the checker drives it: the engine's state plus the one timer the
// IVR is waiting on (a prompt playing, a key being collected, a branch running), which is
// what decides the events a caller and the clock can produce next. The engine itself is
// pure and knows nothing of time; this is the thin layer that a kernel would add.

import { IvrTransitionError, transition } from '../engine.js';
import type { IvrContext, IvrEffect, IvrEvent, IvrSpec, IvrState, Key } from '../types.js';
import { KEYS } from '../types.js';

/** The timer that is running, from the last effect that started one. */
export type Pending =
  | { readonly kind: 'prompt-done'; readonly duration: number; readonly bargeIn: boolean }
  | { readonly kind: 'timeout'; readonly duration: number }
  | { readonly kind: 'branch-done'; readonly duration: number };

export interface CallPoint {
  readonly state: IvrState;
  /** null before `start`, once ended, or when the IVR waits for nothing (a stuck call). */
  readonly pending: Pending | null;
  /** True until the `start` event. */
  readonly fresh: boolean;
}

export interface Step {
  readonly point: CallPoint;
  readonly effects: readonly IvrEffect[];
}

/** The engine threw something other than an illegal-event error. */
export class EngineFailure extends Error {
  override readonly name = 'EngineFailure';
  constructor(
    readonly event: IvrEvent,
    readonly reason: unknown,
  ) {
    super(`the engine threw on ${describeEvent(event)}: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

/**
 * Applies one event. Returns undefined when the engine refuses it as illegal (an
 * IvrTransitionError); throws EngineFailure for any other error.
 */
export function applyEvent(spec: IvrSpec, point: CallPoint, event: IvrEvent, ctx: IvrContext): Step | undefined {
  let next: IvrState;
  let effects: readonly IvrEffect[];
  try {
    [next, effects] = transition(spec, point.state, event, ctx);
  } catch (e) {
    if (e instanceof IvrTransitionError) return undefined;
    throw new EngineFailure(event, e);
  }
  const ended = next.phase === 'ended';
  // A timer that fired is used up; a key leaves the running timer alone unless the engine
  // starts another (digits collected one by one, say).
  const kept = event.kind === 'key' ? point.pending : null;
  const pending = ended ? null : (lastTimer(effects) ?? kept);
  return { point: { state: next, pending, fresh: false }, effects };
}

function lastTimer(effects: readonly IvrEffect[]): Pending | undefined {
  for (let i = effects.length - 1; i >= 0; i--) {
    const e = effects[i]!;
    if (e.kind === 'play') return { kind: 'prompt-done', duration: e.prompt.duration, bargeIn: e.bargeIn };
    if (e.kind === 'collect') return { kind: 'timeout', duration: e.timeout };
    if (e.kind === 'branch') return { kind: 'branch-done', duration: e.duration };
  }
  return undefined;
}

const actionKeys = new WeakMap<object, string>();
function actionKey(a: object | null): string {
  if (a === null) return '-';
  let k = actionKeys.get(a);
  if (k === undefined) {
    k = JSON.stringify(a);
    actionKeys.set(a, k);
  }
  return k;
}

export function stateKey(s: IvrState): string {
  return `${s.menu}|${s.variant}|${s.phase}|${s.prompt}|${s.replays}|${actionKey(s.action)}|${s.digits}|${s.failures}|${s.step}`;
}

/** Identifies a point for the walk: two equal keys have the same futures. */
export function pointKey(p: CallPoint): string {
  const t = p.pending;
  return `${p.fresh ? 'fresh' : stateKey(p.state)}#${t === null ? '-' : t.kind === 'prompt-done' ? `p${t.bargeIn ? 'b' : ''}` : t.kind}`;
}

/** Whether a key pressed now reaches the engine (it is collecting, or a prompt allows barge-in). */
export function takesKeys(point: CallPoint): boolean {
  const p = point.pending;
  return p !== null && (p.kind === 'timeout' || (p.kind === 'prompt-done' && p.bargeIn));
}

/** The keys worth trying: in a digits phase one digit stands for all ten. */
export function keysToTry(point: CallPoint): readonly Key[] {
  return point.state.phase === 'digits' ? ['1', '*', '#'] : KEYS;
}

/** The event the running timer sends when it fires (`ok` picks a branch's result). */
export function timerEvent(pending: Pending, ok = true): IvrEvent {
  if (pending.kind === 'branch-done') return { kind: 'branch-done', ok };
  return { kind: pending.kind };
}

export function describeEvent(event: IvrEvent): string {
  switch (event.kind) {
    case 'key':
      return `key ${event.key}`;
    case 'branch-done':
      return `branch done (${event.ok ? 'ok' : 'failed'})`;
    case 'prompt-done':
      return 'prompt done';
    default:
      return event.kind;
  }
}
