// A counterexample as a user reads it: one call, from a calling number at a time of day,
// event by event with the time each happened, and what the IVR did. Both the exhaustive
// walk (whose paths get times here) and the random calls produce these.

import type { IvrContext, IvrEffect, IvrEvent, IvrSpec } from '../types.js';
import { applyEvent, type CallPoint, describeEvent } from './call-point.js';
import { initialState } from '../engine.js';
import type { CalendarScan, Moment } from './calendar-scan.js';
import type { AbstractPath } from './exhaustive.js';
import type { Label } from './graph.js';
import { describeQueue } from './invariants.js';

export interface TraceStep {
  /** Seconds since the IVR answered. */
  readonly at: number;
  /** null: the calendar changed (agent hours closed or opened) between two events. */
  readonly event: IvrEvent | null;
  readonly effects: readonly IvrEffect[];
  /** The menu the call is in afterwards. */
  readonly menu: string;
  /** What the calendar said when it happened. */
  readonly moment: Moment;
}

export interface CallTrace {
  readonly areaCode: string;
  /** Calendar time (seconds since the scenario's start) when the IVR answered; undefined if none fits. */
  readonly start: number | undefined;
  /** The moment the call began in, as the walk assumed it. */
  readonly moment: Moment;
  readonly steps: readonly TraceStep[];
  /** Index of the step where a loop starts repeating, if the counterexample is a loop. */
  readonly loopFrom?: number;
}

/** The keys pressed, in order (`1 * 0`), or `none`. */
export function keysOf(trace: CallTrace): string {
  const keys = trace.steps.flatMap((s) => (s.event?.kind === 'key' ? [s.event.key] : []));
  return keys.length > 0 ? keys.join(' ') : 'none';
}

/** How long a caller takes to press a key where one is taken. */
export function thinkTime(point: CallPoint): number {
  const p = point.pending;
  if (p === null || p.kind === 'branch-done') return 0;
  return p.kind === 'timeout' ? Math.min(1, p.duration / 2) : Math.min(0.5, p.duration / 2);
}

/**
 * Puts times on an abstract path: replays its events through the engine under the moments
 * the walk assumed, then picks a calendar instant where those moments hold (and, for a path
 * that crosses closing or opening time, where the change falls between the right events).
 */
export function concretize(spec: IvrSpec, scan: CalendarScan, moments: readonly Moment[], areaCode: string, path: AbstractPath): CallTrace {
  let moment = moments[path.moment]!;
  let point: CallPoint = { state: initialState(spec), pending: null, fresh: true };
  let at = 0;
  const steps: TraceStep[] = [];
  let change: { index: number; before: number; to: Moment } | undefined;
  path.labels.forEach((label: Label, i) => {
    if (label.kind === 'clock') {
      const to = moments[label.to]!;
      change = { index: i, before: at, to };
      moment = to;
      steps.push({ at, event: null, effects: [], menu: point.state.menu, moment: to });
      return;
    }
    const event = label.event;
    if (event.kind === 'key') at += thinkTime(point);
    else if (point.pending !== null) at += point.pending.duration;
    const ctx: IvrContext = { agentHours: moment.agentHours, holiday: moment.holiday, areaCode };
    const step = applyEvent(spec, point, event, ctx);
    if (step === undefined) throw new Error(`the engine refused ${describeEvent(event)} while replaying a path it took`);
    point = step.point;
    steps.push({ at, event, effects: step.effects, menu: point.state.menu, moment });
  });
  const total = at;
  const first = moments[path.moment]!;
  let start: number | undefined;
  if (change === undefined) {
    start = scan.instantFor(first, total + 1);
  } else {
    // The change happens at the first event after it; the call starts that long before.
    const next = steps.slice(change.index + 1).find((s) => s.event !== null)?.at ?? change.before;
    const boundary = scan.boundary(first, change.to, next + 1, total - next + 1);
    if (boundary !== undefined) start = boundary - next;
    steps[change.index] = { ...steps[change.index]!, at: next };
  }
  const timed = start === undefined ? steps : steps.map((s) => ({ ...s, moment: s.event === null ? s.moment : scan.moment(start! + s.at) }));
  return { areaCode, start, moment: first, steps: timed, ...(path.loopFrom !== undefined ? { loopFrom: path.loopFrom } : {}) };
}

/** What an event led to, in a few words: the menus entered and how the call left, if it did. */
export function describeEffects(effects: readonly IvrEffect[]): string {
  const parts: string[] = [];
  for (const e of effects) {
    if (e.kind === 'visit') parts.push(`\`${e.menu}\``);
    else if (e.kind === 'invalid') parts.push(`invalid key ${e.key}`);
    else if (e.kind === 'enqueue') parts.push(`agent queue ${describeQueue(e.target)}`);
    else if (e.kind === 'transfer') parts.push(`transfer to ${e.areaCode || 'another center'}`);
    else if (e.kind === 'hangup') parts.push(`hang-up (${e.reason})`);
    else if (e.kind === 'voicemail-recorded') parts.push('message recorded');
  }
  return parts.join(', ');
}
