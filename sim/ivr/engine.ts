// The IVR engine: a call's place in the menus is an immutable IvrState, and
// transition(state, event) -> [state, effects] performs nothing. The world (the simulated
// call, or the SIP server) plays the prompts, arms the time-outs and runs the branches the
// effects name, and reports back with events (prompt-done, key, timeout, branch-done, hangup).
//
// Time reaches the engine only through the events and the IvrContext of the moment, so a
// menu's variant is chosen when it matters: on entering or replaying the menu, and again
// when a key arrives (a caller who heard the in-hours menu at 17:59:58 and presses 0 at
// 18:00:03 is judged by the out-of-hours options).

import { patch } from './ivr-state.js';
import { takeAction, actionPromptDone, branchDone, digitKey, digitsTimeout, type Run } from './actions.js';
import type { Condition, IvrContext, IvrEffect, IvrEvent, IvrSpec, IvrState, Key, Menu, Prompt, Variant } from './types.js';

export type IvrPhase = IvrState['phase'];

/**
 * The events the engine accepts in each phase; any other is an IvrTransitionError.
 * Keys are accepted wherever a caller can physically press one: while a prompt plays
 * (taken only by a barge-in menu prompt, otherwise ignored), while a branch runs (ignored),
 * waiting and collecting digits. Time-outs only follow a `collect`, prompt-done a `play`,
 * branch-done a `branch`. `ended` is absorbing: nothing is legal there.
 */
export const LEGAL_EVENTS: Readonly<Record<IvrPhase, readonly IvrEvent['kind'][]>> = {
  idle: ['start', 'hangup'],
  prompt: ['prompt-done', 'key', 'hangup'],
  waiting: ['key', 'timeout', 'hangup'],
  digits: ['key', 'timeout', 'hangup'],
  branch: ['branch-done', 'key', 'hangup'],
  ended: [],
};

/** An event the current phase cannot take (a bug in the world that drives the engine). */
export class IvrTransitionError extends Error {
  override readonly name = 'IvrTransitionError';
  constructor(
    readonly state: IvrState,
    readonly event: IvrEvent,
  ) {
    const legal = LEGAL_EVENTS[state.phase];
    super(
      `IVR event ${JSON.stringify(event)} is not legal in phase "${state.phase}" of menu "${state.menu}"` +
        (legal.length > 0 ? `; legal here: ${legal.join(', ')}` : '; the call has ended, send it nothing more'),
    );
  }
}

/** A broken menu met at run time (unknown menu, no variant holds, a loop without prompts). `callsim check` should have caught it. */
export class IvrSpecError extends Error {
  override readonly name = 'IvrSpecError';
}

const FRESH = { variant: 0, prompt: 0, replays: 0, action: null, digits: '', failures: 0, step: 'none' } as const;

/** A call before the IVR answers: send `start` when it does. */
export function initialState(spec: IvrSpec): IvrState {
  return patch(FRESH, { menu: spec.entry, phase: 'idle' });
}

export function holds(cond: Condition | null, ctx: IvrContext): boolean {
  if (cond === null) return true;
  switch (cond.kind) {
    case 'agent-hours':
      return ctx.agentHours === cond.value;
    case 'holiday':
      return ctx.holiday === cond.value;
    case 'area-code':
      return cond.codes.includes(ctx.areaCode);
    case 'all':
      return cond.of.every((c) => holds(c, ctx));
    case 'any':
      return cond.of.some((c) => holds(c, ctx));
    case 'not':
      return !holds(cond.of, ctx);
  }
}

/** Index of the first variant whose condition holds; a menu where none does is broken. */
export function variantFor(menu: Menu, ctx: IvrContext): number {
  const i = menu.variants.findIndex((v) => holds(v.when, ctx));
  if (i < 0) {
    throw new IvrSpecError(
      `no variant of menu "${menu.id}" holds for ${JSON.stringify(ctx)}; give its last variant no condition (when: null)`,
    );
  }
  return i;
}

export function transition(spec: IvrSpec, state: IvrState, event: IvrEvent, ctx: IvrContext): [IvrState, IvrEffect[]] {
  if (!LEGAL_EVENTS[state.phase].includes(event.kind)) throw new IvrTransitionError(state, event);
  const run: Run = { spec, ctx, out: [], entries: 0 };
  return [step(run, state, event), run.out];
}

function step(run: Run, s: IvrState, e: IvrEvent): IvrState {
  switch (e.kind) {
    case 'hangup':
      return patch(s, { phase: 'ended' });
    case 'start':
      return enterMenu(run, run.spec.entry);
    case 'prompt-done':
      if (s.action !== null) return actionPromptDone(run, s, s.action);
      // The invalid-key prompt ends: the menu starts again, its variant chosen anew.
      if (s.prompt < 0) return replayMenu(run, s.menu, s.replays);
      return playMenu(run, patch(s, { prompt: s.prompt + 1 }));
    case 'key':
      return key(run, s, e.key);
    case 'timeout':
      return s.phase === 'waiting' ? menuTimeout(run, s) : digitsTimeout(run, s);
    case 'branch-done':
      return branchDone(run, s, e.ok);
  }
}

function key(run: Run, s: IvrState, k: Key): IvrState {
  switch (s.phase) {
    case 'waiting':
      return menuKey(run, s, k);
    case 'digits':
      return digitKey(run, s, k);
    case 'prompt':
      // Only a menu's own prompts honour barge-in; every other prompt plays with
      // bargeIn false, so the world lets it finish and the key changes nothing.
      return s.action === null && s.prompt >= 0 && menuOf(run.spec, s.menu).bargeIn ? menuKey(run, s, k) : s;
    default:
      return s; // a branch runs to its end (a caller who wants out hangs up)
  }
}

function menuKey(run: Run, s: IvrState, k: Key): IvrState {
  const menu = menuOf(run.spec, s.menu);
  const variant = variantFor(menu, run.ctx); // judged by the options in force now
  const here: IvrState = patch(s, { variant, phase: 'waiting', prompt: 0, action: null, step: 'none' });
  const option = variantOf(menu, variant).options[k];
  if (option !== undefined) return takeAction(run, here, option);
  if (k === '*' && menu.parent !== null) return enterMenu(run, menu.parent);
  run.out.push({ kind: 'invalid', key: k }, { kind: 'play', prompt: run.spec.invalidPrompt, bargeIn: false });
  // `replays` is kept: it counts time-outs in this visit, and an invalid key is no new
  // visit. Resetting it would let a caller who alternates slips and silence circle forever
  // instead of reaching onNoInput.
  return patch(here, { phase: 'prompt', prompt: -1 });
}

function menuTimeout(run: Run, s: IvrState): IvrState {
  const menu = menuOf(run.spec, s.menu);
  const replays = s.replays + 1;
  if (replays <= menu.maxReplays) return replayMenu(run, s.menu, replays);
  return takeAction(run, patch(s, { replays, action: null }), menu.onNoInput);
}

/** Enter a menu afresh: a visit, time-outs counted from zero. */
export function enterMenu(run: Run, id: string): IvrState {
  // Only announcements without prompts pass control on within one transition; a chain this
  // long is a loop of them, which would otherwise overflow the stack.
  if (++run.entries > 64) {
    throw new IvrSpecError(`menus in ${run.spec.file} pass control in a loop through "${id}" without a prompt or a key`);
  }
  run.out.push({ kind: 'visit', menu: id });
  return replayMenu(run, id, 0);
}

/** Start a menu's prompts from the first, with the variant in force now (no new visit). */
export function replayMenu(run: Run, id: string, replays: number): IvrState {
  const variant = variantFor(menuOf(run.spec, id), run.ctx);
  return playMenu(run, patch(FRESH, { menu: id, variant, replays, phase: 'prompt' }));
}

/** Play prompt `s.prompt` of the variant; past the last, wait for a key or take `next`. */
function playMenu(run: Run, s: IvrState): IvrState {
  const menu = menuOf(run.spec, s.menu);
  const v = variantOf(menu, s.variant);
  const prompt = v.prompts[s.prompt];
  if (prompt !== undefined) {
    run.out.push({ kind: 'play', prompt, bargeIn: menu.bargeIn });
    return s;
  }
  if (isAnnouncement(v)) return takeAction(run, patch(s, { prompt: 0 }), v.next);
  run.out.push({ kind: 'collect', timeout: menu.timeout });
  return patch(s, { phase: 'waiting', prompt: 0 });
}

/** A variant with no options and a `next`; any other variant waits for a key. */
export function isAnnouncement(v: Variant): v is Variant & { readonly next: NonNullable<Variant['next']> } {
  return v.next !== null && Object.keys(v.options).length === 0;
}

export function menuOf(spec: IvrSpec, id: string): Menu {
  const menu = spec.menus[id];
  if (menu === undefined) throw new IvrSpecError(`unknown menu "${id}" in ${spec.file}`);
  return menu;
}

function variantOf(menu: Menu, i: number): Variant {
  const v = menu.variants[i];
  if (v === undefined) throw new IvrSpecError(`menu "${menu.id}" has no variant ${i}`);
  return v;
}

/** The prompt the world is playing in `state`, or null outside the `prompt` phase. */
export function playing(spec: IvrSpec, state: IvrState): Prompt | null {
  if (state.phase !== 'prompt') return null;
  const a = state.action;
  if (a === null) {
    const menu = menuOf(spec, state.menu);
    return state.prompt < 0 ? spec.invalidPrompt : (variantOf(menu, state.variant).prompts[state.prompt] ?? null);
  }
  switch (a.kind) {
    case 'account':
      if (state.step === 'id') return state.prompt < 0 ? a.failPrompt : a.idPrompt;
      return state.step === 'pin' ? a.pinPrompt : a.resultPrompt;
    case 'voicemail':
    case 'transfer':
      return a.prompt;
    case 'queue':
    case 'hangup':
      return a.prompt ?? null;
    default:
      return null;
  }
}
