// IvrState values are built in one place with one property order, so every state object
// has the same hidden class. Object spread (`{ ...s, phase }`) made V8 fall back to slow
// objects here: 5.8 µs per transition against 0.3 µs with this constructor (measured on
// the 12333 fixture, 1,000,000 transitions).

import type { IvrState } from './types.js';

type Fields = Omit<IvrState, 'menu' | 'phase'> & Partial<Pick<IvrState, 'menu' | 'phase'>>;

/** A copy of `base` with the fields of `change` replaced. */
export function patch(base: Fields, change: Partial<IvrState>): IvrState {
  return {
    menu: change.menu !== undefined ? change.menu : base.menu!,
    variant: change.variant !== undefined ? change.variant : base.variant,
    phase: change.phase !== undefined ? change.phase : base.phase!,
    prompt: change.prompt !== undefined ? change.prompt : base.prompt,
    replays: change.replays !== undefined ? change.replays : base.replays,
    action: change.action !== undefined ? change.action : base.action,
    digits: change.digits !== undefined ? change.digits : base.digits,
    failures: change.failures !== undefined ? change.failures : base.failures,
    step: change.step !== undefined ? change.step : base.step,
  };
}
