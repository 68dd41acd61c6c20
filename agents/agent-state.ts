// An agent is logged out, ready (示闲), not ready (示忙), ringing, talking, on hold or in
// wrap-up. Transitions are pure: `transition(state, event)` returns the next state or
// throws, naming the state and the event, so an impossible sequence never goes unnoticed.

export type AgentState = 'logged-out' | 'ready' | 'not-ready' | 'ringing' | 'talking' | 'on-hold' | 'wrap-up';

export type AgentEvent =
  | 'log-in' // logged-out -> ready
  | 'log-out' // ready | not-ready -> logged-out
  | 'offer' // ready -> ringing: the ACD offers a call
  | 'dial' // ready -> ringing: the agent calls a caller back (the callee's phone rings)
  | 'answer' // ringing -> talking
  | 'ring-no-answer' // ringing -> not-ready: the agent let an offered call ring out
  | 'caller-gone' // ringing | talking | on-hold -> ready or wrap-up: the caller hung up
  | 'hold' // talking -> on-hold
  | 'resume' // on-hold -> talking
  | 'wrap-done' // wrap-up -> ready
  | 'not-ready' // ready -> not-ready
  | 'ready'; // not-ready -> ready

const NEXT: Readonly<Record<AgentState, Partial<Record<AgentEvent, AgentState>>>> = {
  'logged-out': { 'log-in': 'ready' },
  ready: { offer: 'ringing', dial: 'ringing', 'not-ready': 'not-ready', 'log-out': 'logged-out' },
  'not-ready': { ready: 'ready', 'log-out': 'logged-out' },
  // A caller who hangs up while the phone rings leaves nothing to wrap up.
  ringing: { answer: 'talking', 'caller-gone': 'ready', 'ring-no-answer': 'not-ready' },
  talking: { hold: 'on-hold', 'caller-gone': 'wrap-up' },
  'on-hold': { resume: 'talking', 'caller-gone': 'wrap-up' },
  'wrap-up': { 'wrap-done': 'ready' },
};

export class AgentStateError extends Error {
  override readonly name = 'AgentStateError';
}

export function transition(state: AgentState, event: AgentEvent): AgentState {
  const next = NEXT[state][event];
  if (next === undefined) {
    const allowed = Object.keys(NEXT[state]).join(', ');
    throw new AgentStateError(`agent in state '${state}' cannot take '${event}' (allowed: ${allowed})`);
  }
  return next;
}
