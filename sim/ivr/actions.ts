// What an option does once chosen: go to a menu, run a self-service branch (information,
// voice message, fax, account query), join an agent queue, transfer to another center, or
// hang up. The half of the IVR engine (engine.ts) that runs after a menu has decided.
// Action prompts always play with bargeIn false: only a menu's own prompts can be cut short.
// This file and engine.ts call each other (a menu takes an action, an action enters a menu);
// only function declarations cross, at call time, so the import cycle is harmless.

import { enterMenu, IvrSpecError, menuOf, replayMenu } from './engine.js';
import { patch } from './ivr-state.js';
import type { Action, IvrContext, IvrEffect, IvrSpec, IvrState, Key, Prompt } from './types.js';

/** One transition in progress: its inputs, the effects so far, and menus entered (loop guard). */
export interface Run {
  readonly spec: IvrSpec;
  readonly ctx: IvrContext;
  readonly out: IvrEffect[];
  entries: number;
}

type Account = Extract<Action, { kind: 'account' }>;

/** Carry out `action`, chosen in the menu of `from` (whose replays and failures it keeps). */
export function takeAction(run: Run, from: IvrState, action: Action): IvrState {
  const s: IvrState = patch(from, { action, phase: 'prompt', prompt: 0, digits: '', step: 'none' });
  switch (action.kind) {
    case 'menu':
      return enterMenu(run, action.target);
    case 'info':
    case 'fax':
      run.out.push({ kind: 'branch', service: action.kind, duration: action.prompt.duration });
      return patch(s, { phase: 'branch' });
    case 'voicemail':
    case 'transfer':
      return play(run, s, action.prompt);
    case 'account':
      return play(run, patch(s, { step: 'id', failures: 0 }), action.idPrompt);
    case 'queue':
    case 'hangup':
      return action.prompt !== undefined ? play(run, s, action.prompt) : leave(run, s, action);
  }
}

/** The action's prompt ended; what follows it. */
export function actionPromptDone(run: Run, s: IvrState, a: Action): IvrState {
  switch (a.kind) {
    case 'voicemail':
      run.out.push({ kind: 'branch', service: 'voicemail', duration: a.maxDuration });
      return patch(s, { phase: 'branch' });
    case 'transfer':
      return collectDigits(run, s, a.digits);
    case 'queue':
    case 'hangup':
      return leave(run, s, a);
    case 'account':
      if (s.step === 'id' && s.prompt < 0) {
        // The fail prompt ended: try again from the ID, or give up.
        return s.failures >= a.maxFailures ? takeAction(run, s, a.onFailure) : play(run, patch(s, { prompt: 0 }), a.idPrompt);
      }
      if (s.step === 'id') return collectDigits(run, s, a.idDigits);
      if (s.step === 'pin') return collectDigits(run, s, a.pinDigits);
      return enterMenu(run, a.then); // the result has played
    default:
      throw new IvrSpecError(`internal: action "${a.kind}" plays no prompt (state ${JSON.stringify(s)})`);
  }
}

export function branchDone(run: Run, s: IvrState, ok: boolean): IvrState {
  const a = s.action;
  switch (a?.kind) {
    case 'info':
    case 'fax':
      return enterMenu(run, a.then);
    case 'voicemail':
      run.out.push({ kind: 'voicemail-recorded' });
      return enterMenu(run, a.then);
    case 'account':
      return ok ? play(run, patch(s, { step: 'result' }), a.resultPrompt) : accountFailed(run, s, a);
    default:
      throw new IvrSpecError(`internal: no branch runs in state ${JSON.stringify(s)}`);
  }
}

/**
 * A key while collecting digits: a digit is kept; `*` abandons the query or transfer back
 * to the menu it was chosen in; `#` is not a digit and is ignored (the world dropped its
 * time-out when the key came, so the collect is re-armed).
 */
export function digitKey(run: Run, s: IvrState, k: Key): IvrState {
  if (k === '*') return enterMenu(run, s.menu);
  if (k === '#') {
    run.out.push({ kind: 'collect', timeout: menuOf(run.spec, s.menu).timeout });
    return s;
  }
  return collectDigits(run, patch(s, { digits: s.digits + k }), needed(s));
}

/**
 * No digit in time. In an account query that is a failed attempt (spec). In a transfer it is
 * a time-out of the menu the transfer was chosen in: the menu replays, or after maxReplays
 * takes onNoInput, so a caller who falls silent after pressing 9 still ends.
 */
export function digitsTimeout(run: Run, s: IvrState): IvrState {
  const a = s.action;
  if (a?.kind === 'account') return accountFailed(run, s, a);
  const menu = menuOf(run.spec, s.menu);
  const replays = s.replays + 1;
  if (replays <= menu.maxReplays) return replayMenu(run, s.menu, replays);
  return takeAction(run, patch(s, { replays, action: null, digits: '' }), menu.onNoInput);
}

/** Enter (or stay in) the `digits` phase until `n` digits are in, then act on them. */
function collectDigits(run: Run, s: IvrState, n: number): IvrState {
  const a = s.action;
  if (s.digits.length < n) {
    run.out.push({ kind: 'collect', timeout: menuOf(run.spec, s.menu).timeout });
    return patch(s, { phase: 'digits', prompt: 0 });
  }
  if (a?.kind === 'transfer') {
    run.out.push({ kind: 'transfer', areaCode: s.digits });
    return patch(s, { phase: 'ended' });
  }
  if (a?.kind === 'account' && s.step === 'id') return play(run, patch(s, { step: 'pin', digits: '' }), a.pinPrompt);
  if (a?.kind === 'account' && s.step === 'pin') {
    // The lookup. Its time is not in the menu data, so the branch takes none; the caller
    // model answers with branch-done { ok }.
    run.out.push({ kind: 'branch', service: 'account', duration: 0 });
    return patch(s, { phase: 'branch', step: 'result', digits: '' });
  }
  throw new IvrSpecError(`internal: no digits are collected in state ${JSON.stringify(s)}`);
}

function needed(s: IvrState): number {
  const a = s.action;
  if (a?.kind === 'transfer') return a.digits;
  if (a?.kind === 'account') return s.step === 'id' ? a.idDigits : a.pinDigits;
  throw new IvrSpecError(`internal: no digits are collected in state ${JSON.stringify(s)}`);
}

/** A failed attempt: the fail prompt plays (then a retry, or onFailure after maxFailures). */
function accountFailed(run: Run, s: IvrState, a: Account): IvrState {
  return play(run, patch(s, { phase: 'prompt', step: 'id', prompt: -1, digits: '', failures: s.failures + 1 }), a.failPrompt);
}

function play(run: Run, s: IvrState, prompt: Prompt): IvrState {
  run.out.push({ kind: 'play', prompt, bargeIn: false });
  return patch(s, { phase: 'prompt' });
}

/** Leave the IVR: to an agent queue, or by hanging up. */
function leave(run: Run, s: IvrState, a: Extract<Action, { kind: 'queue' | 'hangup' }>): IvrState {
  run.out.push(a.kind === 'queue' ? { kind: 'enqueue', target: a.target } : { kind: 'hangup', reason: hangupReason(run, s) });
  return patch(s, { phase: 'ended' });
}

/**
 * Why the IVR hangs up, read from the state that led here: failures are carried only into
 * an account query's onFailure; replays exceed maxReplays only once onNoInput is taken.
 */
function hangupReason(run: Run, s: IvrState): 'menu' | 'no-input' | 'account-failed' {
  if (s.failures > 0) return 'account-failed';
  return s.replays > menuOf(run.spec, s.menu).maxReplays ? 'no-input' : 'menu';
}
