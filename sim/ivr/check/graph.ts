// Exhaustive exploration of a menu: breadth-first over every state the engine reaches from
// `start`, for every calling area code (one per class the menus tell apart) and every
// moment the calendar produces (inside hours, outside, holiday), with the clock allowed to
// close or open agent hours once during the call. Events are those a caller and the
// clock can produce from each state: the running timer firing, any key where keys are
// taken. Breadth-first order makes the first path found to any state a shortest one.

import { initialState } from '../engine.js';
import type { IvrContext, IvrEvent, IvrSpec } from '../types.js';
import { applyEvent, type CallPoint, EngineFailure, keysToTry, pointKey, takesKeys, timerEvent } from './call-point.js';
import { type Finding, transitionFindings } from './invariants.js';
import { type AreaCodeClass } from './input.js';
import type { Moment } from './calendar-scan.js';

/** What happened along an edge: an engine event, or the calendar changing. */
export type Label = { readonly kind: 'event'; readonly event: IvrEvent } | { readonly kind: 'clock'; readonly to: number };

export interface GraphNode {
  readonly point: CallPoint;
  readonly area: number;
  readonly moment: number;
  readonly flipped: boolean;
  /** The node this one was first reached from (-1 for a root) and how. */
  readonly parent: number;
  readonly via: Label | null;
}

export interface EdgeFinding extends Finding {
  /** The node the offending event left from, and the event. */
  readonly from: number;
  readonly label: Label;
}

export interface EnqueueSeen {
  readonly node: number;
  readonly label: Label;
  readonly center: string;
  readonly queue: string;
  readonly agentHours: boolean;
}

export interface MenuGraph {
  readonly nodes: readonly GraphNode[];
  /** Edges as parallel arrays: from, to, and whether it is a timer event (no key, no clock). */
  readonly edgeFrom: readonly number[];
  readonly edgeTo: readonly number[];
  readonly edgeLabel: readonly Label[];
  readonly findings: readonly EdgeFinding[];
  readonly enqueues: readonly EnqueueSeen[];
  /** Menu -> the menus a call entered it from (a `*` back into a parent not counted). */
  readonly cameFrom: ReadonlyMap<string, ReadonlySet<string>>;
  readonly transitions: number;
  /** True when the state space passed `maxStates` and the walk stopped. */
  readonly truncated: boolean;
}

export interface ExploreOptions {
  readonly areas: readonly AreaCodeClass[];
  readonly moments: readonly Moment[];
  /** Which moment may turn into which during a call (closing and opening time). */
  readonly changes: (from: Moment, to: Moment) => boolean;
  /** Where a queue target sends a caller of this area code. */
  readonly resolveCenter: (target: { center: string }, areaCode: string) => string | undefined;
  readonly maxStates: number;
}

export function explore(spec: IvrSpec, opts: ExploreOptions): MenuGraph {
  const nodes: GraphNode[] = [];
  const index = new Map<string, number>();
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const edgeLabel: Label[] = [];
  const findings: EdgeFinding[] = [];
  const enqueues: EnqueueSeen[] = [];
  const reported = new Set<string>();
  const cameFrom = new Map<string, Set<string>>();
  let transitions = 0;
  let truncated = false;

  const add = (point: CallPoint, area: number, moment: number, flipped: boolean, parent: number, via: Label | null): number => {
    const key = `${pointKey(point)}#${area}#${moment}#${flipped ? 1 : 0}`;
    const known = index.get(key);
    if (known !== undefined) return known;
    if (nodes.length >= opts.maxStates) {
      truncated = true;
      return -1;
    }
    nodes.push({ point, area, moment, flipped, parent, via });
    index.set(key, nodes.length - 1);
    return nodes.length - 1;
  };
  const edge = (from: number, to: number, label: Label): void => {
    if (to < 0) return;
    edgeFrom.push(from);
    edgeTo.push(to);
    edgeLabel.push(label);
  };
  const report = (f: Finding, from: number, label: Label): void => {
    // The first finding of a property in breadth-first order has a shortest path.
    if (reported.has(f.property)) return;
    reported.add(f.property);
    findings.push({ ...f, from, label });
  };

  const start: CallPoint = { state: initialState(spec), pending: null, fresh: true };
  for (let a = 0; a < opts.areas.length; a++) {
    for (let m = 0; m < opts.moments.length; m++) add(start, a, m, false, -1, null);
  }

  for (let id = 0; id < nodes.length; id++) {
    const node = nodes[id]!;
    const { point } = node;
    if (point.state.phase === 'ended' && !point.fresh) continue;
    const moment = opts.moments[node.moment]!;
    const areaCode = opts.areas[node.area]!.representative;
    const ctx: IvrContext = { agentHours: moment.agentHours, holiday: moment.holiday, areaCode };

    const events: IvrEvent[] = [];
    if (point.fresh) events.push({ kind: 'start' });
    else if (point.pending !== null) {
      events.push(timerEvent(point.pending, true));
      if (point.pending.kind === 'branch-done') events.push(timerEvent(point.pending, false));
      if (takesKeys(point)) for (const key of keysToTry(point)) events.push({ kind: 'key', key });
    }
    for (const event of events) {
      const label: Label = { kind: 'event', event };
      let step;
      transitions++;
      try {
        step = applyEvent(spec, point, event, ctx);
      } catch (e) {
        if (!(e instanceof EngineFailure)) throw e;
        report({ property: 'no-engine-error', message: e.message }, id, label);
        continue;
      }
      if (step === undefined) continue;
      // A refused no-op (same state, nothing done) is not a move.
      if (step.effects.length === 0 && step.point.state === point.state && step.point.pending === point.pending) continue;
      for (const f of transitionFindings(spec, point, event, ctx, step.point, step.effects)) report(f, id, label);
      let from = point.state.menu;
      for (const e of step.effects) {
        if (e.kind !== 'visit') continue;
        const back = event.kind === 'key' && event.key === '*' && from === point.state.menu;
        if (e.menu !== from && !back) {
          const set = cameFrom.get(e.menu) ?? new Set<string>();
          set.add(from);
          cameFrom.set(e.menu, set);
        }
        from = e.menu;
      }
      for (const e of step.effects) {
        if (e.kind !== 'enqueue') continue;
        const center = opts.resolveCenter(e.target, areaCode);
        if (center !== undefined) enqueues.push({ node: id, label, center, queue: e.target.queue, agentHours: moment.agentHours });
      }
      edge(id, add(step.point, node.area, node.moment, node.flipped, id, label), label);
    }
    if (!node.flipped && !point.fresh) {
      for (let m = 0; m < opts.moments.length; m++) {
        if (m === node.moment || !opts.changes(moment, opts.moments[m]!)) continue;
        const label: Label = { kind: 'clock', to: m };
        edge(id, add(point, node.area, m, true, id, label), label);
      }
    }
  }
  return { nodes, edgeFrom, edgeTo, edgeLabel, findings, enqueues, cameFrom, transitions, truncated };
}

/** The labels from a root to `node`, in order, and the root's node id. */
export function pathTo(graph: MenuGraph, node: number): { root: number; labels: Label[] } {
  const labels: Label[] = [];
  let id = node;
  for (;;) {
    const n = graph.nodes[id]!;
    if (n.parent < 0) break;
    labels.push(n.via!);
    id = n.parent;
  }
  return { root: id, labels: labels.reverse() };
}

export const isTimer = (l: Label): boolean =>
  l.kind === 'event' && (l.event.kind === 'prompt-done' || l.event.kind === 'timeout' || l.event.kind === 'branch-done' || l.event.kind === 'start');
